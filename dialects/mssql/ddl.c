/* SQL Server DDL flavour, with SQLAlchemy's type names for each server
 * generation: before 2008 (and with no version known) DATETIME for Date
 * and Time; before 2012 TEXT / NTEXT / IMAGE for the unbounded types,
 * then VARCHAR(max) / NVARCHAR(max) / VARBINARY(max).  DateTime is
 * DATETIME as in SQLAlchemy (DATETIME2 when a precision is given, or
 * explicitly with sqlalc_mssql_datetime2); IDENTITY, BIT, explicit NULL,
 * DROP INDEX … ON table. */
#include <stdio.h>
#include "../dialects.h"
#include "mssql.h"

enum { V_NONE = 0, V_2008 = 10, V_2012 = 11 };

static size_t type_sql_v(const sqlalc_type *t, char *buf, size_t size, int ver)
{
    int n, len = sqlalc_type_length(t), large = ver >= V_2012;
    switch (sqlalc_type_get_kind(t)) {
    case SQLALC_TYPE_FLOAT:
        n = sqlalc_type_precision(t) > 0 ? snprintf(buf, size, "FLOAT(%d)", sqlalc_type_precision(t))
                                         : snprintf(buf, size, "FLOAT");
        break;
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_ENUM:
        n = len ? snprintf(buf, size, "VARCHAR(%d)", len) : snprintf(buf, size, "VARCHAR(max)");
        break;
    case SQLALC_TYPE_TEXT: n = snprintf(buf, size, large ? "VARCHAR(max)" : "TEXT"); break;
    case SQLALC_TYPE_UNICODE:
        n = len ? snprintf(buf, size, "NVARCHAR(%d)", len) : snprintf(buf, size, "NVARCHAR(max)");
        break;
    case SQLALC_TYPE_UNICODE_TEXT: n = snprintf(buf, size, large ? "NVARCHAR(max)" : "NTEXT"); break;
    case SQLALC_TYPE_JSON:
    case SQLALC_TYPE_JSONB: n = snprintf(buf, size, "NVARCHAR(max)"); break;
    case SQLALC_TYPE_BOOLEAN: n = snprintf(buf, size, "BIT"); break;
    case SQLALC_TYPE_DOUBLE: n = snprintf(buf, size, "DOUBLE PRECISION"); break;
    case SQLALC_TYPE_DATE: n = snprintf(buf, size, ver >= V_2008 ? "DATE" : "DATETIME"); break;
    case SQLALC_TYPE_TIME:
        if (ver < V_2008)
            n = snprintf(buf, size, "DATETIME");
        else
            n = sqlalc_type_precision(t) >= 0 ? snprintf(buf, size, "TIME(%d)", sqlalc_type_precision(t))
                                              : snprintf(buf, size, "TIME");
        break;
    case SQLALC_TYPE_DATETIME: {
        /* DATETIME keeps 1/300 s and takes no precision: a precision asks
         * for DATETIME2(p). */
        int p = sqlalc_type_precision(t);
        if (sqlalc_type_timezone(t))
            n = p >= 0 ? snprintf(buf, size, "DATETIMEOFFSET(%d)", p) : snprintf(buf, size, "DATETIMEOFFSET");
        else
            n = p >= 0 ? snprintf(buf, size, "DATETIME2(%d)", p) : snprintf(buf, size, "DATETIME");
        break;
    }
    case SQLALC_TYPE_INTERVAL: n = snprintf(buf, size, "DATETIME"); break; /* SQLAlchemy's Interval impl */
    case SQLALC_TYPE_LARGE_BINARY: n = snprintf(buf, size, large ? "VARBINARY(max)" : "IMAGE"); break;
    case SQLALC_TYPE_UUID: n = snprintf(buf, size, "UNIQUEIDENTIFIER"); break;
    default: return sqlalc_type_sql(t, NULL, buf, size);
    }
    return n < 0 ? 0 : (size_t)n;
}

static size_t type_sql(const sqlalc_type *t, char *buf, size_t size)
{
    return type_sql_v(t, buf, size, V_NONE);
}
static size_t type_sql_2008(const sqlalc_type *t, char *buf, size_t size)
{
    return type_sql_v(t, buf, size, V_2008);
}
static size_t type_sql_2012(const sqlalc_type *t, char *buf, size_t size)
{
    return type_sql_v(t, buf, size, V_2012);
}

#define MSSQL_DDL_HOOKS(fn)                                                                                  \
    {                                                                                                        \
        .version = SQLALC_DDL_HOOKS_VERSION, .type_sql = (fn), .autoincrement = SQLALC_DDL_AUTOINC_IDENTITY, \
        .explicit_null = 1, .enum_check = 1, .alter_constraints = 1, .drop_index_on_table = 1,               \
        .max_identifier_length = 128, /* sysname: 128 characters */                                          \
            .identifier_length_in_chars = 1, .index_include = 1, .index_where = 1,                           \
        .sequences = SQLALC_DDL_SEQUENCES_NEXT_VALUE_FOR,                                                    \
    }

const sqlalc_ddl_hooks sqlalc__mssql_ddl_hooks = MSSQL_DDL_HOOKS(type_sql);
const sqlalc_ddl_hooks sqlalc__mssql2008_ddl_hooks = MSSQL_DDL_HOOKS(type_sql_2008);
const sqlalc_ddl_hooks sqlalc__mssql2012_ddl_hooks = MSSQL_DDL_HOOKS(type_sql_2012);

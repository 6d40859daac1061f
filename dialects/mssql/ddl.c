/* SQL Server DDL flavour (SQLAlchemy's names for a 2012+ server, where
 * the large types are the (max) ones): IDENTITY, BIT, NVARCHAR for
 * Unicode, DATETIME2 / DATETIMEOFFSET (SQLAlchemy writes DATETIME, which
 * keeps only 1/300 s), explicit NULL, DROP INDEX … ON table. */
#include <stdio.h>
#include "../dialects.h"

static size_t type_sql(const sqlalc_type *t, char *buf, size_t size)
{
    int n, len = sqlalc_type_length(t);
    switch (sqlalc_type_get_kind(t)) {
    case SQLALC_TYPE_FLOAT:
        n = sqlalc_type_precision(t) > 0 ? snprintf(buf, size, "FLOAT(%d)", sqlalc_type_precision(t))
                                         : snprintf(buf, size, "FLOAT");
        break;
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_ENUM:
        n = len ? snprintf(buf, size, "VARCHAR(%d)", len) : snprintf(buf, size, "VARCHAR(max)");
        break;
    case SQLALC_TYPE_TEXT: n = snprintf(buf, size, "VARCHAR(max)"); break;
    case SQLALC_TYPE_UNICODE:
        n = len ? snprintf(buf, size, "NVARCHAR(%d)", len) : snprintf(buf, size, "NVARCHAR(max)");
        break;
    case SQLALC_TYPE_UNICODE_TEXT:
    case SQLALC_TYPE_JSON:
    case SQLALC_TYPE_JSONB: n = snprintf(buf, size, "NVARCHAR(max)"); break;
    case SQLALC_TYPE_BOOLEAN: n = snprintf(buf, size, "BIT"); break;
    case SQLALC_TYPE_DOUBLE: n = snprintf(buf, size, "DOUBLE PRECISION"); break;
    case SQLALC_TYPE_TIME:
        n = sqlalc_type_precision(t) >= 0 ? snprintf(buf, size, "TIME(%d)", sqlalc_type_precision(t))
                                          : snprintf(buf, size, "TIME");
        break;
    case SQLALC_TYPE_DATETIME: {
        const char *word = sqlalc_type_timezone(t) ? "DATETIMEOFFSET" : "DATETIME2";
        n = sqlalc_type_precision(t) >= 0 ? snprintf(buf, size, "%s(%d)", word, sqlalc_type_precision(t))
                                          : snprintf(buf, size, "%s", word);
        break;
    }
    case SQLALC_TYPE_INTERVAL: n = snprintf(buf, size, "DATETIME2"); break;
    case SQLALC_TYPE_LARGE_BINARY: n = snprintf(buf, size, "VARBINARY(max)"); break;
    case SQLALC_TYPE_UUID: n = snprintf(buf, size, "UNIQUEIDENTIFIER"); break;
    default: return sqlalc_type_sql(t, NULL, buf, size);
    }
    return n < 0 ? 0 : (size_t)n;
}

const sqlalc_ddl_hooks sqlalc__mssql_ddl_hooks = {
    .version = SQLALC_DDL_HOOKS_VERSION,
    .type_sql = type_sql,
    .autoincrement = SQLALC_DDL_AUTOINC_IDENTITY,
    .explicit_null = 1,
    .enum_check = 1,
    .alter_constraints = 1,
    .drop_index_on_table = 1,
    .max_identifier_length = 128, /* sysname: 128 characters */
    .identifier_length_in_chars = 1,
    .index_include = 1,
    .index_where = 1,
    .sequences = SQLALC_DDL_SEQUENCES_NEXT_VALUE_FOR,
};

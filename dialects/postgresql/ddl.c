/* PostgreSQL DDL flavour: SERIAL for the autoincrement column, native
 * ENUM types, TIMESTAMP WITH/WITHOUT TIME ZONE, BYTEA, JSONB (rather than
 * SQLAlchemy's JSON: JSONB compares, groups and indexes), comments. */
#include <stdio.h>
#include "../dialects.h"

static size_t type_sql(const sqlalc_type *t, char *buf, size_t size)
{
    int n;
    int tz = sqlalc_type_timezone(t);
    switch (sqlalc_type_get_kind(t)) {
    case SQLALC_TYPE_FLOAT:
        n = sqlalc_type_precision(t) > 0 ? snprintf(buf, size, "FLOAT(%d)", sqlalc_type_precision(t))
                                         : snprintf(buf, size, "FLOAT");
        break;
    case SQLALC_TYPE_UNICODE:
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_ENUM: /* only when the enum is not native */
        n = sqlalc_type_length(t) ? snprintf(buf, size, "VARCHAR(%d)", sqlalc_type_length(t))
                                  : snprintf(buf, size, "VARCHAR");
        break;
    case SQLALC_TYPE_UNICODE_TEXT: n = snprintf(buf, size, "TEXT"); break;
    case SQLALC_TYPE_TIME:
        n = snprintf(buf, size, tz ? "TIME WITH TIME ZONE" : "TIME WITHOUT TIME ZONE");
        break;
    case SQLALC_TYPE_DATETIME:
        n = snprintf(buf, size, tz ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE");
        break;
    case SQLALC_TYPE_LARGE_BINARY: n = snprintf(buf, size, "BYTEA"); break;
    case SQLALC_TYPE_JSON: n = snprintf(buf, size, "JSONB"); break;
    default: return sqlalc_type_sql(t, NULL, buf, size);
    }
    return n < 0 ? 0 : (size_t)n;
}

const sqlalc_ddl_hooks sqlalc__postgresql_ddl_hooks = {
    .version = SQLALC_DDL_HOOKS_VERSION,
    .type_sql = type_sql,
    .autoincrement = SQLALC_DDL_AUTOINC_SERIAL,
    .native_enum = 1,
    .alter_constraints = 1,
    .comments = 1,
};

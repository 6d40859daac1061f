/* PostgreSQL DDL flavour (SQLAlchemy's names): SERIAL for the
 * autoincrement column, identity columns, native ENUM types and domains,
 * sequences, TIMESTAMP WITH/WITHOUT TIME ZONE, BYTEA, JSON and JSONB as
 * two types, DOUBLE PRECISION, index methods and partial indexes,
 * partitioned tables, comments. */
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
    case SQLALC_TYPE_DATETIME: {
        const char *word = sqlalc_type_get_kind(t) == SQLALC_TYPE_TIME ? "TIME" : "TIMESTAMP";
        const char *zone = tz ? "WITH TIME ZONE" : "WITHOUT TIME ZONE";
        n = sqlalc_type_precision(t) >= 0
                ? snprintf(buf, size, "%s(%d) %s", word, sqlalc_type_precision(t), zone)
                : snprintf(buf, size, "%s %s", word, zone);
        break;
    }
    case SQLALC_TYPE_LARGE_BINARY: n = snprintf(buf, size, "BYTEA"); break;
    case SQLALC_TYPE_JSON: n = snprintf(buf, size, "JSON"); break;
    case SQLALC_TYPE_JSONB: n = snprintf(buf, size, "JSONB"); break;
    case SQLALC_TYPE_DOUBLE: n = snprintf(buf, size, "DOUBLE PRECISION"); break;
    default: return sqlalc_type_sql(t, NULL, buf, size);
    }
    return n < 0 ? 0 : (size_t)n;
}

const sqlalc_ddl_hooks sqlalc__postgresql_ddl_hooks = {
    .version = SQLALC_DDL_HOOKS_VERSION,
    .type_sql = type_sql,
    .autoincrement = SQLALC_DDL_AUTOINC_SERIAL,
    .native_enum = 1,
    .enum_check = 1, /* for Enums declared non-native */
    .alter_constraints = 1,
    .comments = 1,
    .max_identifier_length = 63, /* NAMEDATALEN - 1, in bytes */
    .identity_columns = 1,
    .domains = 1,
    .partitions = 1,
    .index_method = 1,
    .index_with = 1,
    .index_include = 1,
    .index_where = 1,
    .index_opclass = 1,
    .sequences = SQLALC_DDL_SEQUENCES_NEXTVAL,
};

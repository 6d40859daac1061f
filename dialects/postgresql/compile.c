/* postgresql hooks for the SQL compiler. */
#include <stdio.h>
#include "../dialects.h"

static void limit_clause(sqlalc_compiler *c, const sqlalc_value *limit, const sqlalc_value *offset)
{
    if (limit) {
        sqlalc_compiler_puts(c, " \n LIMIT ");
        sqlalc_compiler_param(c, limit);
    }
    if (offset) {
        if (!limit)
            sqlalc_compiler_puts(c, "\n LIMIT ALL");
        sqlalc_compiler_puts(c, " OFFSET ");
        sqlalc_compiler_param(c, offset);
    }
}

static void cast_type(sqlalc_compiler *c, int kind, int length, int precision, int scale)
{
    char tmp[64];
    switch (kind) {
    case SQLALC_TYPE_INTEGER: sqlalc_compiler_puts(c, "INTEGER"); break;
    case SQLALC_TYPE_SMALLINT: sqlalc_compiler_puts(c, "SMALLINT"); break;
    case SQLALC_TYPE_BIGINT: sqlalc_compiler_puts(c, "BIGINT"); break;
    case SQLALC_TYPE_FLOAT: sqlalc_compiler_puts(c, "FLOAT"); break;
    case SQLALC_TYPE_NUMERIC:
        if (precision >= 0 && scale >= 0)
            snprintf(tmp, sizeof tmp, "NUMERIC(%d, %d)", precision, scale);
        else if (precision >= 0)
            snprintf(tmp, sizeof tmp, "NUMERIC(%d)", precision);
        else
            snprintf(tmp, sizeof tmp, "NUMERIC");
        sqlalc_compiler_puts(c, tmp);
        break;
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_UNICODE:
        if (length > 0) {
            snprintf(tmp, sizeof tmp, "VARCHAR(%d)", length);
            sqlalc_compiler_puts(c, tmp);
        } else
            sqlalc_compiler_puts(c, "VARCHAR");
        break;
    case SQLALC_TYPE_TEXT: case SQLALC_TYPE_UNICODE_TEXT: sqlalc_compiler_puts(c, "TEXT"); break;
    case SQLALC_TYPE_BOOLEAN: sqlalc_compiler_puts(c, "BOOLEAN"); break;
    case SQLALC_TYPE_DATE: sqlalc_compiler_puts(c, "DATE"); break;
    case SQLALC_TYPE_TIME: sqlalc_compiler_puts(c, "TIME WITHOUT TIME ZONE"); break;
    case SQLALC_TYPE_DATETIME: sqlalc_compiler_puts(c, "TIMESTAMP WITHOUT TIME ZONE"); break;
    case SQLALC_TYPE_LARGE_BINARY: sqlalc_compiler_puts(c, "BYTEA"); break;
    case SQLALC_TYPE_JSON: sqlalc_compiler_puts(c, "JSON"); break;
    case SQLALC_TYPE_UUID: sqlalc_compiler_puts(c, "UUID"); break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "CAST to this type");
    }
}

const sqlalc_compile_hooks sqlalc__postgresql_compile_hooks = {
    .version = SQLALC_COMPILE_HOOKS_VERSION,
    .concat_op = " || ",
    .native_boolean = 1,
    .has_ilike = 1,
    .has_for_update = 1,
    .has_nulls_order = 1,
    .has_upsert = 1,
    .has_multivalues = 1,
    .recursive_keyword = 1,
    .limit_style = SQLALC_LIMIT_LIMIT_OFFSET,
    .returning_style = SQLALC_RETURNING_CLAUSE,
    .limit_clause = limit_clause,
    .cast_type = cast_type,
};

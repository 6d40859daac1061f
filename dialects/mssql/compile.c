/* mssql hooks for the SQL compiler: TOP / OFFSET … FETCH, + concatenation,
 * OUTPUT inserted/deleted, 1/0 booleans, T-SQL function names. */
#include <stdio.h>
#include <string.h>
#include "../dialects.h"

static const char *function_name(const char *generic)
{
    if (!strcmp(generic, "length") || !strcmp(generic, "char_length"))
        return "LEN";
    if (!strcmp(generic, "now"))
        return "CURRENT_TIMESTAMP";
    return NULL;
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
        if (length > 0) {
            snprintf(tmp, sizeof tmp, "VARCHAR(%d)", length);
            sqlalc_compiler_puts(c, tmp);
        } else
            sqlalc_compiler_puts(c, "VARCHAR(max)");
        break;
    case SQLALC_TYPE_UNICODE:
        if (length > 0) {
            snprintf(tmp, sizeof tmp, "NVARCHAR(%d)", length);
            sqlalc_compiler_puts(c, tmp);
        } else
            sqlalc_compiler_puts(c, "NVARCHAR(max)");
        break;
    case SQLALC_TYPE_TEXT: sqlalc_compiler_puts(c, "VARCHAR(max)"); break;
    case SQLALC_TYPE_UNICODE_TEXT: sqlalc_compiler_puts(c, "NVARCHAR(max)"); break;
    case SQLALC_TYPE_BOOLEAN: sqlalc_compiler_puts(c, "BIT"); break;
    case SQLALC_TYPE_DATE: sqlalc_compiler_puts(c, "DATE"); break;
    case SQLALC_TYPE_TIME: sqlalc_compiler_puts(c, "TIME"); break;
    case SQLALC_TYPE_DATETIME: sqlalc_compiler_puts(c, "DATETIME"); break;
    case SQLALC_TYPE_LARGE_BINARY: sqlalc_compiler_puts(c, "VARBINARY(max)"); break;
    case SQLALC_TYPE_UUID: sqlalc_compiler_puts(c, "UNIQUEIDENTIFIER"); break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "CAST to this type");
    }
}

const sqlalc_compile_hooks sqlalc__mssql_compile_hooks = {
    .version = SQLALC_COMPILE_HOOKS_VERSION,
    .concat_op = " + ",
    .native_boolean = 0,
    .has_ilike = 0,
    .has_for_update = 0,
    .has_nulls_order = 0,
    .has_upsert = 0,
    .has_multivalues = 1, /* SQL Server 2008+ */
    .recursive_keyword = 0,
    .limit_style = SQLALC_LIMIT_TOP_FETCH,
    .returning_style = SQLALC_RETURNING_OUTPUT,
    .function_name = function_name,
    .cast_type = cast_type,
};

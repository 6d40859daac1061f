/* mssql hooks for the SQL compiler: TOP / OFFSET … FETCH, + concatenation,
 * OUTPUT inserted/deleted, 1/0 booleans, T-SQL function names. */
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
    .blob_literal = SQLALC_BLOB_LITERAL_0X,
    .float_literal = SQLALC_FLOAT_LITERAL_FINITE,
    .update_from = SQLALC_UPDATE_FROM_TARGET_EXTRA,
    .delete_from = SQLALC_DELETE_FROM_TARGET_EXTRA,
};

/* mssql hooks for the SQL compiler: TOP / OFFSET … FETCH (ROW_NUMBER()
 * before SQL Server 2012), + concatenation, OUTPUT inserted/deleted, 1/0
 * booleans, T-SQL function names.  One table per server generation, as
 * SQLAlchemy's dialect changes with server_version_info. */
#include <string.h>
#include "../dialects.h"
#include "mssql.h"

static const char *function_name(const char *generic)
{
    if (!strcmp(generic, "length") || !strcmp(generic, "char_length"))
        return "LEN";
    if (!strcmp(generic, "now"))
        return "CURRENT_TIMESTAMP";
    return NULL;
}

#define MSSQL_COMPILE_HOOKS(multivalues, limit)                                                              \
    {                                                                                                        \
        .version = SQLALC_COMPILE_HOOKS_VERSION, .concat_op = " + ", .native_boolean = 0, .has_ilike = 0,    \
        .has_for_update = 0, .has_nulls_order = 0, .has_upsert = 0, .has_multivalues = (multivalues),        \
        .recursive_keyword = 0, .order_needs_limit = 1, .frame_bounds_literal = 1, .inline_in_ints_only = 1, \
        .limit_style = (limit), .returning_style = SQLALC_RETURNING_OUTPUT, .function_name = function_name,  \
        .blob_literal = SQLALC_BLOB_LITERAL_0X, .float_literal = SQLALC_FLOAT_LITERAL_FINITE,                \
        .update_from = SQLALC_UPDATE_FROM_TARGET_EXTRA, .delete_from = SQLALC_DELETE_FROM_TARGET_EXTRA,      \
        .scope_identity_select = "; select scope_identity()", .identity_insert = "SET IDENTITY_INSERT",      \
    }

/* No version known (SQLAlchemy unconnected) and SQL Server 2005: no
 * multi-row VALUES, ROW_NUMBER() paging. */
const sqlalc_compile_hooks sqlalc__mssql_compile_hooks = MSSQL_COMPILE_HOOKS(0, SQLALC_LIMIT_ROW_NUMBER);
/* SQL Server 2008 (10): multi-row VALUES. */
const sqlalc_compile_hooks sqlalc__mssql2008_compile_hooks = MSSQL_COMPILE_HOOKS(1, SQLALC_LIMIT_ROW_NUMBER);
/* SQL Server 2012 (11) and later: OFFSET … FETCH. */
const sqlalc_compile_hooks sqlalc__mssql2012_compile_hooks = MSSQL_COMPILE_HOOKS(1, SQLALC_LIMIT_TOP_FETCH);

/* postgresql hooks for the SQL compiler. */
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
    .like_default_escape = '\\',
    .blob_literal = SQLALC_BLOB_LITERAL_BYTEA,
    .float_literal = SQLALC_FLOAT_LITERAL_QUOTED,
    .update_from = SQLALC_UPDATE_FROM_EXTRA,
    .delete_from = SQLALC_DELETE_FROM_USING,
};

/* sqlite hooks for the SQL compiler. */
#include <string.h>
#include "../dialects.h"

static const char *function_name(const char *generic)
{
    if (!strcmp(generic, "char_length"))
        return "length";
    if (!strcmp(generic, "now"))
        return "CURRENT_TIMESTAMP";
    return NULL;
}

/* SQLite always pairs LIMIT with OFFSET, as SQLAlchemy's sqlite dialect. */
static void limit_clause(sqlalc_compiler *c, const sqlalc_value *limit, const sqlalc_value *offset)
{
    sqlalc_compiler_puts(c, "\n LIMIT ");
    if (limit)
        sqlalc_compiler_param(c, limit);
    else
        sqlalc_compiler_param_const(c, -1);
    sqlalc_compiler_puts(c, " OFFSET ");
    if (offset)
        sqlalc_compiler_param(c, offset);
    else
        sqlalc_compiler_param_const(c, 0);
}

const sqlalc_compile_hooks sqlalc__sqlite_compile_hooks = {
    .version = SQLALC_COMPILE_HOOKS_VERSION,
    .concat_op = " || ",
    .native_boolean = 0,
    .has_ilike = 0,
    .has_for_update = 0,
    .has_nulls_order = 1,
    .has_upsert = 1,
    .has_multivalues = 1,
    .recursive_keyword = 1,
    .empty_in_subquery = 1,
    .limit_style = SQLALC_LIMIT_LIMIT_OFFSET,
    .returning_style = SQLALC_RETURNING_CLAUSE, /* SQLite 3.35+ */
    .limit_clause = limit_clause,
    .function_name = function_name,
    .blob_literal = SQLALC_BLOB_LITERAL_X,
    .float_literal = SQLALC_FLOAT_LITERAL_OVERFLOW,
    .update_from = SQLALC_UPDATE_FROM_EXTRA,
    .delete_from = SQLALC_DELETE_FROM_NONE,
    .values_style = SQLALC_VALUES_SELECT_COLUMNS, /* SQLite has no AS v (a, b) */
};

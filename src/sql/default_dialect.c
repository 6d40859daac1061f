/*
 * SQLAlchemy's "default" dialect, used for the display form when no
 * dialect is given (str(stmt) in SQLAlchemy): double-quote quoting with
 * SQLAlchemy's generic reserved words, named binds, || concatenation.
 */
#include <string.h>
#include "expr_int.h"

/* sqlalchemy.sql.compiler.RESERVED_WORDS (sorted). */
static const char *const reserved[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "binary", "both", "case", "cast", "check", "collate", "column",
    "constraint", "create", "cross", "current_date", "current_role", "current_time",
    "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
    "else", "end", "except", "false", "for", "foreign", "freeze", "from", "full", "grant",
    "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull",
    "join", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "new",
    "not", "notnull", "null", "off", "offset", "old", "on", "only", "or", "order", "outer",
    "overlaps", "placing", "primary", "references", "right", "select", "session_user", "set",
    "similar", "some", "symmetric", "table", "then", "to", "trailing", "true", "union",
    "unique", "user", "using", "verbose", "when", "where",
};

static int is_reserved(const char *w) { return sqlalc__word_in(w, reserved, sizeof reserved / sizeof reserved[0]); }

static const sqlalc_compile_hooks default_hooks = {
    .version = SQLALC_COMPILE_HOOKS_VERSION,
    .concat_op = " || ",
    .native_boolean = 1,
    .has_ilike = 0,
    .has_for_update = 1,
    .has_nulls_order = 1,
    .has_upsert = 1,
    .has_multivalues = 1,
    .recursive_keyword = 1,
    .limit_style = SQLALC_LIMIT_LIMIT_OFFSET,
    .returning_style = SQLALC_RETURNING_CLAUSE,
};

const sqlalc_dialect sqlalc__default_dialect = {
    .version = SQLALC_DIALECT_VERSION,
    .name = "default",
    .quote_open = '"',
    .quote_close = '"',
    .is_reserved = is_reserved,
    .max_params = 65535,
    .supports_returning = 1,
    .compile = &default_hooks,
};

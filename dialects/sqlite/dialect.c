/* The SQLite dialect: quoting, reserved words, limits, capabilities. */
#include "../dialects.h"

/* SQLite's keywords that need quoting as identifiers (sorted). */
static const char *const reserved[] = {
    "add", "after", "all", "alter", "analyze", "and", "as", "asc", "attach", "autoincrement",
    "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column",
    "commit", "conflict", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "database", "default", "deferrable", "deferred", "delete", "desc",
    "detach", "distinct", "drop", "each", "else", "end", "escape", "except", "exclusive",
    "exists", "explain", "fail", "false", "for", "foreign", "from", "full", "glob", "group",
    "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner",
    "insert", "instead", "intersect", "into", "is", "isnull", "join", "key", "left", "like",
    "limit", "match", "natural", "not", "notnull", "null", "of", "offset", "on", "or", "order",
    "outer", "plan", "pragma", "primary", "query", "raise", "references", "reindex", "rename",
    "replace", "restrict", "right", "rollback", "row", "select", "set", "table", "temp",
    "temporary", "then", "to", "transaction", "trigger", "true", "union", "unique", "update",
    "using", "vacuum", "values", "view", "virtual", "when", "where",
};

static int is_reserved(const char *w) { return sqlalc__word_in(w, reserved, SQLALC_ARRAY_LEN_(reserved)); }

const sqlalc_dialect sqlalc__dialect_sqlite = {
    .version = SQLALC_DIALECT_VERSION,
    .name = "sqlite",
    .default_driver = "sqlite3",
    .quote_open = '"',
    .quote_close = '"',
    .is_reserved = is_reserved,
    .max_params = 32766, /* SQLITE_MAX_VARIABLE_NUMBER default since 3.32 */
    .transactional_ddl = 1,
    .supports_returning = 1, /* 3.35+ */
    .supports_savepoints = 1,
    .compile = &sqlalc__sqlite_compile_hooks,
    .ddl = &sqlalc__sqlite_ddl_hooks,
    .reflect = &sqlalc__sqlite_reflect_hooks,
};

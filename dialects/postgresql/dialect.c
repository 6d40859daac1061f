/* The PostgreSQL dialect: quoting, reserved words, limits, capabilities. */
#include "../dialects.h"

/* PostgreSQL's reserved (and reserved-for-names) key words (sorted). */
static const char *const reserved[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "binary", "both", "case", "cast", "check", "collate", "column",
    "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
    "current_role", "current_schema", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
    "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading",
    "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null",
    "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary",
    "references", "returning", "right", "select", "session_user", "similar", "some",
    "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique",
    "user", "using", "variadic", "verbose", "when", "where", "window", "with",
};

static int is_reserved(const char *w) { return sqlalc__word_in(w, reserved, SQLALC_ARRAY_LEN_(reserved)); }

const sqlalc_dialect sqlalc__dialect_postgresql = {
    .version = SQLALC_DIALECT_VERSION,
    .name = "postgresql",
    .default_driver = "libpq",
    .quote_open = '"',
    .quote_close = '"',
    .is_reserved = is_reserved,
    .max_params = 65535,
    .transactional_ddl = 1,
    .supports_returning = 1,
    .supports_savepoints = 1,
    .compile = &sqlalc__postgresql_compile_hooks,
    .ddl = &sqlalc__postgresql_ddl_hooks,
    .reflect = &sqlalc__postgresql_reflect_hooks,
};

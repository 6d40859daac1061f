/* The SQLite dialect: quoting, reserved words, limits, capabilities. */
#include <string.h>
#include "../dialects.h"

/* SQLite's keywords that need quoting as identifiers (sorted). */
static const char *const reserved[] = {
    "add",          "after",
    "all",          "alter",
    "analyze",      "and",
    "as",           "asc",
    "attach",       "autoincrement",
    "before",       "begin",
    "between",      "by",
    "cascade",      "case",
    "cast",         "check",
    "collate",      "column",
    "commit",       "conflict",
    "constraint",   "create",
    "cross",        "current_date",
    "current_time", "current_timestamp",
    "database",     "default",
    "deferrable",   "deferred",
    "delete",       "desc",
    "detach",       "distinct",
    "drop",         "each",
    "else",         "end",
    "escape",       "except",
    "exclusive",    "exists",
    "explain",      "fail",
    "false",        "for",
    "foreign",      "from",
    "full",         "glob",
    "group",        "having",
    "if",           "ignore",
    "immediate",    "in",
    "index",        "indexed",
    "initially",    "inner",
    "insert",       "instead",
    "intersect",    "into",
    "is",           "isnull",
    "join",         "key",
    "left",         "like",
    "limit",        "match",
    "natural",      "not",
    "notnull",      "null",
    "of",           "offset",
    "on",           "or",
    "order",        "outer",
    "plan",         "pragma",
    "primary",      "query",
    "raise",        "references",
    "reindex",      "rename",
    "replace",      "restrict",
    "right",        "rollback",
    "row",          "select",
    "set",          "table",
    "temp",         "temporary",
    "then",         "to",
    "transaction",  "trigger",
    "true",         "union",
    "unique",       "update",
    "using",        "vacuum",
    "values",       "view",
    "virtual",      "when",
    "where",
};

static int is_reserved(const char *w)
{
    return sqlalc__word_in(w, reserved, SQLALC_ARRAY_LEN_(reserved));
}

/* SQLite transactions are serializable; a read-only connection is opened
 * with ?mode=ro instead. */
static int begin_sql(sqlalc_sql_text *out, const char *isolation, int readonly, int begin)
{
    if (isolation && strcmp(isolation, "SERIALIZABLE"))
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "sqlite transactions are SERIALIZABLE; isolation level %s is not available",
                                isolation);
    if (readonly)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "sqlite has no read-only transactions (open the database with ?mode=ro)");
    if (begin)
        sqlalc_sql_text_puts(out, "BEGIN");
    return SQLALC_OK;
}

/* Pragma values cannot be bound, so only plain words and numbers pass. */
static int safe_pragma_value(const char *v)
{
    if (!*v || strlen(v) > 32)
        return 0;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return 0;
    return 1;
}

/* The pragmas users tune in the URL, applied on every new connection. */
static int connect_sql(sqlalc_sql_text *out, const sqlalc_url *url)
{
    static const char *const pragmas[] = { "journal_mode", "synchronous", "cache_size", "foreign_keys" };
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(pragmas); i++) {
        const char *v = sqlalc_url_query_get(url, pragmas[i]);
        if (!v)
            continue;
        if (!safe_pragma_value(v))
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "invalid value '%s' for sqlite pragma %s", v,
                                    pragmas[i]);
        sqlalc_sql_text_printf(out, "PRAGMA %s=%s;", pragmas[i], v);
    }
    return SQLALC_OK;
}

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
    .begin_sql = begin_sql,
    .last_insert_id_sql = "SELECT last_insert_rowid()",
    .connect_sql = connect_sql,
    .syntax = SQLALC_SYNTAX_BRACKET_IDENTIFIERS | SQLALC_SYNTAX_BACKTICK_IDENTIFIERS,
};

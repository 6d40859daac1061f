/* The PostgreSQL dialect: quoting, reserved words, limits, capabilities. */
#include "../dialects.h"

/* PostgreSQL's reserved (and reserved-for-names) key words (sorted). */
static const char *const reserved[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
};

static int is_reserved(const char *w)
{
    return sqlalc__word_in(w, reserved, SQLALC_ARRAY_LEN_(reserved));
}

/* BEGIN ISOLATION LEVEL … READ ONLY; through a driver that begins by
 * itself, SET TRANSACTION as the transaction's first statement. */
static int begin_sql(sqlalc_sql_text *out, const char *isolation, int readonly, int begin)
{
    if (isolation && !sqlalc__isolation_standard(isolation))
        return sqlalc_error_set(
            SQLALC_ERR_NOT_SUPPORTED,
            "postgresql has no isolation level %s (it has READ COMMITTED, REPEATABLE READ, "
            "SERIALIZABLE, READ UNCOMMITTED, AUTOCOMMIT)",
            isolation);
    if (!begin && !isolation && !readonly)
        return SQLALC_OK;
    sqlalc_sql_text_puts(out, begin ? "BEGIN" : "SET TRANSACTION");
    if (isolation)
        sqlalc_sql_text_printf(out, " ISOLATION LEVEL %s", isolation);
    if (readonly)
        sqlalc_sql_text_puts(out, isolation ? ", READ ONLY" : " READ ONLY");
    return SQLALC_OK;
}

/* Dates and times must come back in ISO form (the value model's) whatever
 * the server's default. */
static int connect_sql(sqlalc_sql_text *out, const sqlalc_url *url)
{
    (void)url;
    sqlalc_sql_text_puts(out, "SET DateStyle TO ISO");
    return SQLALC_OK;
}

/* Server-side cursors for stream_results (as psycopg2's named cursors). */
static int cursor_sql(sqlalc_sql_text *out, int op, const char *name, const char *query, size_t n)
{
    switch (op) {
    case SQLALC_CURSOR_DECLARE:
    case SQLALC_CURSOR_DECLARE_HOLD:
        sqlalc_sql_text_printf(out, "DECLARE %s NO SCROLL CURSOR %s FOR %s", name,
                               op == SQLALC_CURSOR_DECLARE ? "WITHOUT HOLD" : "WITH HOLD", query);
        return SQLALC_OK;
    case SQLALC_CURSOR_FETCH:
        sqlalc_sql_text_printf(out, "FETCH FORWARD %zu FROM %s", n, name);
        return SQLALC_OK;
    case SQLALC_CURSOR_CLOSE: sqlalc_sql_text_printf(out, "CLOSE %s", name); return SQLALC_OK;
    default: return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "unknown cursor operation %d", op);
    }
}

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
    .begin_sql = begin_sql,
    /* no row id: the last sequence value this session took */
    .last_insert_id_sql = "SELECT lastval()",
    .error_aborts_transaction = 1,
    .syntax = SQLALC_SYNTAX_DOLLAR | SQLALC_SYNTAX_ESCAPE_STRINGS | SQLALC_SYNTAX_NESTED_COMMENTS,
    .connect_sql = connect_sql,
    .cursor_sql = cursor_sql,
};

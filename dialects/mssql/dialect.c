/* The SQL Server dialect: quoting, reserved words, limits, capabilities. */
#include <string.h>
#include "../dialects.h"

/* T-SQL reserved keywords (sorted). */
static const char *const reserved[] = {
    "add",
    "all",
    "alter",
    "and",
    "any",
    "as",
    "asc",
    "authorization",
    "backup",
    "begin",
    "between",
    "break",
    "browse",
    "bulk",
    "by",
    "cascade",
    "case",
    "check",
    "checkpoint",
    "close",
    "clustered",
    "coalesce",
    "collate",
    "column",
    "commit",
    "compute",
    "constraint",
    "contains",
    "containstable",
    "continue",
    "convert",
    "create",
    "cross",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "database",
    "dbcc",
    "deallocate",
    "declare",
    "default",
    "delete",
    "deny",
    "desc",
    "disk",
    "distinct",
    "distributed",
    "double",
    "drop",
    "dump",
    "else",
    "end",
    "errlvl",
    "escape",
    "except",
    "exec",
    "execute",
    "exists",
    "exit",
    "external",
    "fetch",
    "file",
    "fillfactor",
    "for",
    "foreign",
    "freetext",
    "freetexttable",
    "from",
    "full",
    "function",
    "goto",
    "grant",
    "group",
    "having",
    "holdlock",
    "identity",
    "identity_insert",
    "identitycol",
    "if",
    "in",
    "index",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "join",
    "key",
    "kill",
    "left",
    "like",
    "lineno",
    "load",
    "merge",
    "national",
    "nocheck",
    "nonclustered",
    "not",
    "null",
    "nullif",
    "of",
    "off",
    "offsets",
    "on",
    "open",
    "opendatasource",
    "openquery",
    "openrowset",
    "openxml",
    "option",
    "or",
    "order",
    "outer",
    "over",
    "percent",
    "pivot",
    "plan",
    "precision",
    "primary",
    "print",
    "proc",
    "procedure",
    "public",
    "raiserror",
    "read",
    "readtext",
    "reconfigure",
    "references",
    "replication",
    "restore",
    "restrict",
    "return",
    "revert",
    "revoke",
    "right",
    "rollback",
    "rowcount",
    "rowguidcol",
    "rule",
    "save",
    "schema",
    "securityaudit",
    "select",
    "semantickeyphrasetable",
    "semanticsimilaritydetailstable",
    "semanticsimilaritytable",
    "session_user",
    "set",
    "setuser",
    "shutdown",
    "some",
    "statistics",
    "system_user",
    "table",
    "tablesample",
    "textsize",
    "then",
    "to",
    "top",
    "tran",
    "transaction",
    "trigger",
    "truncate",
    "try_convert",
    "tsequal",
    "union",
    "unique",
    "unpivot",
    "update",
    "updatetext",
    "use",
    "user",
    "values",
    "varying",
    "view",
    "waitfor",
    "when",
    "where",
    "while",
    "with",
    "within group",
    "writetext",
};

static int is_reserved(const char *w)
{
    return sqlalc__word_in(w, reserved, SQLALC_ARRAY_LEN_(reserved));
}

/* SET TRANSACTION ISOLATION LEVEL holds for the session on SQL Server, as
 * SQLAlchemy's mssql dialect sets it. */
static int begin_sql(sqlalc_sql_text *out, const char *isolation, int readonly, int begin)
{
    if (isolation && !sqlalc__isolation_standard(isolation) && strcmp(isolation, "SNAPSHOT"))
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "mssql has no isolation level %s", isolation);
    if (readonly)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "mssql has no read-only transactions");
    if (isolation)
        sqlalc_sql_text_printf(out, "SET TRANSACTION ISOLATION LEVEL %s", isolation);
    if (begin)
        sqlalc_sql_text_puts(out, isolation ? "; BEGIN TRANSACTION" : "BEGIN TRANSACTION");
    return SQLALC_OK;
}

/* SET TRANSACTION ISOLATION LEVEL lasts for the session: back to the
 * server's default once the transaction is over. */
static int reset_sql(sqlalc_sql_text *out, const char *isolation, int readonly)
{
    (void)readonly;
    if (isolation && strcmp(isolation, "READ COMMITTED"))
        sqlalc_sql_text_puts(out, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
    return SQLALC_OK;
}

/* SAVE TRANSACTION; no RELEASE (a savepoint ends with its transaction). */
static int savepoint_sql(sqlalc_sql_text *out, int op, const char *name)
{
    if (op == SQLALC_SAVEPOINT_CREATE)
        sqlalc_sql_text_printf(out, "SAVE TRANSACTION %s", name);
    else if (op == SQLALC_SAVEPOINT_ROLLBACK)
        sqlalc_sql_text_printf(out, "ROLLBACK TRANSACTION %s", name);
    return SQLALC_OK;
}

const sqlalc_dialect sqlalc__dialect_mssql = {
    .version = SQLALC_DIALECT_VERSION,
    .name = "mssql",
    .default_driver = "odbc",
    .quote_open = '[',
    .quote_close = ']',
    .is_reserved = is_reserved,
    .max_params = 2100,
    .transactional_ddl = 1,
    .supports_returning = 1, /* as OUTPUT INSERTED */
    .supports_savepoints = 1,
    .compile = &sqlalc__mssql_compile_hooks,
    .ddl = &sqlalc__mssql_ddl_hooks,
    .reflect = &sqlalc__mssql_reflect_hooks,
    .begin_sql = begin_sql,
    .reset_sql = reset_sql,
    .savepoint_sql = savepoint_sql,
    .last_insert_id_sql = "SELECT CAST(@@IDENTITY AS BIGINT)",
    .syntax = SQLALC_SYNTAX_BRACKET_IDENTIFIERS,
};

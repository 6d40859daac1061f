/* The SQL Server dialect: quoting, reserved words, limits, capabilities. */
#include <string.h>
#include <stdlib.h>
#include "../dialects.h"
#include "mssql.h"

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

static const sqlalc_dialect *for_server_version(const char *version);

/* One table per server generation; only the compile and DDL hooks differ. */
#define MSSQL_DIALECT(compile_hooks, ddl_hooks)                                                          \
    {                                                                                                    \
        .version = SQLALC_DIALECT_VERSION, .name = "mssql", .default_driver = "odbc", .quote_open = '[', \
        .quote_close = ']', .is_reserved = is_reserved, .max_params = 2100, .transactional_ddl = 1,      \
        .supports_returning = 1, /* as OUTPUT INSERTED */                                                \
            .supports_savepoints = 1, .compile = (compile_hooks), .ddl = (ddl_hooks),                    \
        .reflect = &sqlalc__mssql_reflect_hooks, .begin_sql = begin_sql, .reset_sql = reset_sql,         \
        .savepoint_sql = savepoint_sql, .last_insert_id_sql = "SELECT CAST(@@IDENTITY AS BIGINT)",       \
        .syntax = SQLALC_SYNTAX_BRACKET_IDENTIFIERS, .for_server_version = for_server_version,           \
    }

/* No version known: as SQLAlchemy compiles unconnected (and for 2005). */
const sqlalc_dialect sqlalc__dialect_mssql =
    MSSQL_DIALECT(&sqlalc__mssql_compile_hooks, &sqlalc__mssql_ddl_hooks);
const sqlalc_dialect sqlalc__dialect_mssql_2008 =
    MSSQL_DIALECT(&sqlalc__mssql2008_compile_hooks, &sqlalc__mssql2008_ddl_hooks);
const sqlalc_dialect sqlalc__dialect_mssql_2012 =
    MSSQL_DIALECT(&sqlalc__mssql2012_compile_hooks, &sqlalc__mssql2012_ddl_hooks);

/* "11.0.2100.60", "10.50", "14": the major version picks the table
 * (SQLAlchemy: 10 = 2008 multi-row VALUES and DATE/TIME, 11 = 2012
 * OFFSET/FETCH and the (max) types). */
static const sqlalc_dialect *for_server_version(const char *version)
{
    const char *p = version;
    while (*p == ' ')
        p++;
    char *end = NULL;
    long major = (*p >= '0' && *p <= '9') ? strtol(p, &end, 10) : -1;
    if (major < 0 || !end || (*end && *end != '.' && *end != ' ') || major > 1000) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "mssql: cannot read server version '%s' (want major[.minor…])",
                         version);
        return NULL;
    }
    if (major >= 11)
        return &sqlalc__dialect_mssql_2012;
    if (major == 10)
        return &sqlalc__dialect_mssql_2008;
    return &sqlalc__dialect_mssql;
}

/*
 * libsqlalc plugin API — the dialect and driver vtables, for registering
 * your own.  Not part of <sqlalc.h>: include <sqlalc/sys/plugin.h> (it
 * includes the public header, the compiler hooks <sqlalc/sys/compile.h>
 * and the DDL / reflection hooks <sqlalc/sys/schema.h>).
 *
 * As in SQLAlchemy, a URL names a dialect (the SQL flavour: "mssql") and
 * optionally a driver (the wire: "odbc"): "mssql+odbc://…".  Both are
 * plain structs of function pointers registered by name; the built-in
 * ones (sqlite, postgresql, mssql; drivers sqlite3, libpq, odbc) are
 * registered on first use.  Structs start with a version so they can grow.
 */
#ifndef SQLALC_SYS_PLUGIN_H
#define SQLALC_SYS_PLUGIN_H

#include "../../sqlalc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Driver: the wire                                                    */
/* ------------------------------------------------------------------ */

/*
 * Conventions for every driver function: return SQLALC_OK or a negative
 * code after recording the error with sqlalc_error_set*() (SQLSTATE and
 * driver code filled in when known).  A lost connection must be reported
 * as SQLALC_ERR_DISCONNECT.  Indexes are 0-based.  Opaque pointers are the
 * driver's own connection and statement objects.
 */
struct sqlalc_driver {
    unsigned version;            /* SQLALC_DRIVER_VERSION */
    const char *name;            /* "sqlite3", "libpq", "odbc" */
    const char *default_dialect; /* dialect used when the URL names only the driver */
    /* placeholders the driver expects (SQLALC_PARAMSTYLE_*) */
    int paramstyle;

    int (*connect)(const sqlalc_url *url, void **out_conn);
    void (*close)(void *conn);
    /* Liveness check; SQLALC_ERR_DISCONNECT when dead. */
    int (*ping)(void *conn);

    /* Run SQL without parameters or rows (BEGIN, SET …, DDL). */
    int (*exec_simple)(void *conn, const char *sql);
    /* Prepare sql (already in the driver's paramstyle) with nparams placeholders. */
    int (*prepare)(void *conn, const char *sql, size_t len, int nparams, void **out_stmt);
    /* Bind parameter idx.  The value's memory is only valid during the
     * call: a driver keeps a copy of what it needs (rows may still be
     * evaluated against the binding on later steps). */
    int (*bind)(void *stmt, int idx, const sqlalc_value *v);
    /* Execute / advance: SQLALC_ROW, SQLALC_DONE, or an error. */
    int (*step)(void *stmt);
    /* Make the statement ready to bind and run again (drop pending rows). */
    int (*reset)(void *stmt);
    void (*finalize)(void *stmt);

    int (*column_count)(void *stmt);
    const char *(*column_name)(void *stmt, int i);
    const char *(*column_decltype)(void *stmt, int i); /* may be NULL */
    /* Current row's column i; pointers valid until the next step/reset. */
    int (*column_value)(void *stmt, int i, sqlalc_value *out);
    /* Fast typed access for hot loops (may be NULL: column_value is used).
     * Return SQLALC_OK only when the value is of that kind (column_text:
     * a text kind, NUL-terminated); SQLALC_ERR_TYPE makes the engine fall
     * back to column_value and convert; any other error (the row could not
     * be read: out of memory, a driver error) is the getter's result. */
    int (*column_int64)(void *stmt, int i, int64_t *out);

    /* Rows changed by the last DML step, -1 if unknown. */
    int64_t (*rowcount)(void *stmt);
    /* The last inserted row id from the wire's own API
     * (sqlite3_last_insert_rowid); NULL: the engine runs the dialect's
     * last_insert_id_sql instead. */
    int (*last_insert_id)(void *conn, int64_t *out);

    /* The driver's own transaction API, used only with
     * SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS (otherwise the engine runs the
     * dialect's statements through exec_simple). */
    int (*begin)(void *conn);
    int (*commit)(void *conn);
    int (*rollback)(void *conn);
    /* Unused since version 5 (savepoints are the dialect's statements);
     * kept so that older tables keep their layout. */
    int (*savepoint)(void *conn, const char *name);
    int (*release_savepoint)(void *conn, const char *name);
    int (*rollback_to_savepoint)(void *conn, const char *name);

    /*
     * Optional batch execution: run a prepared statement for nsets rows of
     * nparams values each (row-major); the values stay valid for the whole
     * call, so no copies are needed.  NULL means the engine loops over
     * bind/step/reset.  *rowcount gets the total.
     */
    int (*exec_batch)(void *stmt, const sqlalc_value *values, size_t nsets, int nparams, int64_t *rowcount);

    /* More fast typed accessors (may be NULL), as column_int64. */
    int (*column_double)(void *stmt, int i, double *out);
    int (*column_text)(void *stmt, int i, const char **out, size_t *len);

    /* Most parameters one statement may bind through this driver, when
     * lower than the dialect's ceiling (ODBC numbers parameters with a
     * 16-bit integer); 0 = the dialect's max_params. */
    int max_params;

    /* Optional: the dialect name of the server behind conn ("mssql",
     * "postgresql", "sqlite"), for URLs that name only the driver
     * ("odbc://DSN").  NULL when unknown. */
    const char *(*server_dialect)(void *conn);

    /* ---- version 5 ---- */

    /* What the driver can do: SQLALC_DRIVER_CAP_* bits. */
    unsigned capabilities;
    /* Optional: non-zero when connections opened from url do not share
     * data (an SQLite in-memory database lives in its connection), so the
     * engine keeps one connection per thread instead of a pool. */
    int (*private_database)(const sqlalc_url *url);
    /* Optional: the connection's transaction state as the wire reports it
     * (PQtransactionStatus, sqlite3_get_autocommit): SQLALC_TXSTATE_*.
     * The engine skips a ROLLBACK the database already did, and reports a
     * COMMIT of a failed transaction as the rollback it is. */
    int (*transaction_state)(void *conn);

    /* ---- version 6 ---- */

    /* Optional: the statement timeout (seconds, 0 = none) for the
     * statements run on conn from now on; a statement (or a fetch) that
     * runs longer fails with SQLALC_ERR_TIMEOUT.  NULL: the driver has no
     * timeout and a requested one is SQLALC_ERR_NOT_SUPPORTED. */
    int (*set_timeout)(void *conn, double seconds);

    /* ---- version 7 ---- */

    /* Optional: the server's version as the wire reports it (ODBC's
     * SQL_DBMS_VER: "11.00.2100"), for dialects whose SQL depends on it
     * (sqlalc_dialect.for_server_version); valid while conn is open.
     * NULL when unknown. */
    const char *(*server_version)(void *conn);

    /* ---- version 8 ---- */

    /*
     * Optional: a statement whose rows come from a server-side cursor
     * (execution option stream_results), fetched in batches so that any
     * number of such results can stay open beside other commands.  sql is
     * the query (driver paramstyle, nparams placeholders), for messages;
     * the dialect's statements (sqlalc_dialect.cursor_sql) run it:
     * declare (inside a transaction block) or declare_hold (outside one:
     * the cursor outlives the statement's own transaction) with the bound
     * parameters, then fetch for each batch until one comes back empty,
     * and close when the result is dropped early.  NULL: stream_results
     * leaves the driver's own streaming in place.
     */
    int (*prepare_cursor)(void *conn, const char *sql, const char *declare, const char *declare_hold,
                          const char *fetch, const char *close, int nparams, void **out_stmt);
    /*
     * Optional: reset a statement whose remaining rows are not wanted,
     * when the engine knows it only reads (a SELECT, VALUES, a WITH
     * without data changes): the driver may stop it on the server instead
     * of reading the rest (libpq's cancel request).  NULL: reset.
     */
    int (*discard)(void *stmt);

    /* ---- version 9 ---- */

    /* Optional: reflection through the wire's own catalog functions (ODBC's
     * SQLTables, SQLColumns …), used where the dialect has no reflection
     * hooks or the URL says ?odbc_reflection=catalog.  Its functions reach
     * the driver's connection with sqlalc_conn_driver_connection. */
    const struct sqlalc_reflect_hooks *catalog_reflect;

    /* ---- version 10 ---- */

    /*
     * Optional: bind parameter idx knowing the SQL type the statement
     * gives it, as SQLAlchemy's bind processors do: type is the
     * sqlalc_type_kind of the column the parameter is compared with or
     * inserted into (an explicit bindparam type or a CAST's otherwise;
     * SQLALC_TYPE_UNICODE also for a user type spelled NVARCHAR / NCHAR /
     * NTEXT), never SQLALC_TYPE_NULL (unknown, as in raw SQL: bind is
     * called).  The odbc driver binds text as NVARCHAR only for the
     * Unicode kinds.  NULL: bind is always used.
     */
    int (*bind_typed)(void *stmt, int idx, const sqlalc_value *v, int type);
};

/*
 * The layout of each driver version (sqlalc_register_driver accepts any
 * of them and reads only the fields its version has):
 *   1  connect … exec_batch
 *   2  + column_double, column_text
 *   3  + max_params
 *   4  + server_dialect
 *   5  + capabilities, private_database, transaction_state
 *   6  + set_timeout
 *   7  + server_version
 *   8  + prepare_cursor, discard
 *   9  + catalog_reflect
 *  10  + bind_typed
 */
#define SQLALC_DRIVER_VERSION 10

/* sqlalc_driver.capabilities */
enum {
    /*
     * begin / commit / rollback are the driver's own transaction API
     * (ODBC: the autocommit attribute and SQLEndTran).  Without it the
     * engine runs the dialect's BEGIN / COMMIT / ROLLBACK statements
     * through exec_simple and these three may be NULL.  Savepoints are
     * always the dialect's statements.
     */
    SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS = 1 << 0,
    /* The database runs inside the process (no server, no network). */
    SQLALC_DRIVER_CAP_EMBEDDED = 1 << 1,
    /* exec_batch sends the rows without waiting for each one (a pipeline
     * or parameter array): one multi-row statement buys little. */
    SQLALC_DRIVER_CAP_BATCH_PIPELINE = 1 << 2
};

/* sqlalc_driver.transaction_state */
enum {
    SQLALC_TXSTATE_UNKNOWN = 0,
    SQLALC_TXSTATE_IDLE,   /* no transaction open (autocommit) */
    SQLALC_TXSTATE_ACTIVE, /* in a transaction */
    SQLALC_TXSTATE_FAILED  /* in a transaction a failed statement aborted: only ROLLBACK works */
};

/* ------------------------------------------------------------------ */
/* Dialect: the SQL flavour                                            */
/* ------------------------------------------------------------------ */

/*
 * Growing text that dialect hooks write the engine's SQL into (opaque).
 * Appending never fails visibly: after an allocation failure the text
 * stays in an error state the engine reports once.
 */
typedef struct sqlalc_sql_text sqlalc_sql_text;
/* Append s. */
SQLALC_API void sqlalc_sql_text_puts(sqlalc_sql_text *t, const char *s);
/* Append printf-style. */
SQLALC_API void sqlalc_sql_text_printf(sqlalc_sql_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Hooks the SQL compiler (src/sql) calls; defined in <sqlalc/sys/compile.h>. */
typedef struct sqlalc_compile_hooks sqlalc_compile_hooks;
/* DDL type names and flavour; defined in <sqlalc/sys/schema.h>. */
typedef struct sqlalc_ddl_hooks sqlalc_ddl_hooks;
/* Reflection queries for the inspector; defined in <sqlalc/sys/schema.h>. */
typedef struct sqlalc_reflect_hooks sqlalc_reflect_hooks;

struct sqlalc_dialect {
    unsigned version;           /* SQLALC_DIALECT_VERSION */
    const char *name;           /* "sqlite", "postgresql", "mssql" */
    const char *default_driver; /* driver used when the URL names none */

    /* Identifier quoting: the dialect's quote characters. */
    char quote_open, quote_close;
    /* Non-zero when word (any case) is reserved and must be quoted. */
    int (*is_reserved)(const char *word);
    /* Most bound parameters one statement may carry. */
    int max_params;
    /* Capabilities. */
    unsigned transactional_ddl : 1; /* DDL can roll back */
    unsigned supports_returning : 1;
    unsigned supports_savepoints : 1;

    const sqlalc_compile_hooks *compile;
    const sqlalc_ddl_hooks *ddl;
    const sqlalc_reflect_hooks *reflect;

    /* ---- version 2: the SQL the engine itself runs ---- */

    /*
     * The statement that begins a transaction (NULL hook: "BEGIN", and
     * isolation / readonly are refused).  isolation is NULL (the server's
     * default) or one of "SERIALIZABLE", "REPEATABLE READ", "READ
     * COMMITTED", "READ UNCOMMITTED", or a dialect's own word (SQLite's
     * "DEFERRED", "IMMEDIATE", "EXCLUSIVE"; SQL Server's "SNAPSHOT"), in
     * upper case with single spaces; readonly asks for a read-only
     * transaction.  begin is 0 when the driver begins transactions itself
     * (SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS): then write only what sets
     * the transaction's characteristics ("SET TRANSACTION …"), or nothing.
     * A level or mode the database lacks is an error naming it
     * (sqlalc_error_set, SQLALC_ERR_NOT_SUPPORTED).
     */
    int (*begin_sql)(sqlalc_sql_text *out, const char *isolation, int readonly, int begin);
    const char *commit_sql;   /* NULL: "COMMIT" */
    const char *rollback_sql; /* NULL: "ROLLBACK" */
    /*
     * Savepoint statements for op SQLALC_SAVEPOINT_* and the savepoint's
     * name (letters, digits and '_' only).  Writing nothing means no
     * statement is needed (SQL Server has no RELEASE).  NULL hook: the
     * standard SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT.
     */
    int (*savepoint_sql)(sqlalc_sql_text *out, int op, const char *name);
    /* A query returning the last inserted row id as one integer
     * ("SELECT lastval()").  Used when the driver has no last_insert_id
     * of its own; NULL: the dialect cannot tell (an error says so). */
    const char *last_insert_id_sql;
    /* Non-zero: a failed statement aborts the whole transaction
     * (PostgreSQL), so statements the engine adds inside a transaction
     * (last_insert_id_sql) run inside a savepoint. */
    int error_aborts_transaction;
    /* Optional: statements to run on every new connection, from the URL
     * (SQLite's ?journal_mode=wal → PRAGMA journal_mode=wal).  Write
     * nothing when there are none; an invalid value is an error naming it. */
    int (*connect_sql)(sqlalc_sql_text *out, const sqlalc_url *url);
    /* The dialect's lexical syntax beyond standard SQL (SQLALC_SYNTAX_*
     * bits): what the one SQL lexer recognises when it looks for binds in
     * raw SQL, so that a ':' inside [a:b] or $$…$$ is never a bind. */
    unsigned syntax;

    /* ---- version 3 ---- */

    /*
     * Optional: statements that put the session back once a transaction
     * begun with this isolation / readonly (as given to begin_sql) has
     * ended, where begin_sql changed more than the one transaction
     * (SQLite's PRAGMA read_uncommitted / query_only, SQL Server's SET
     * TRANSACTION ISOLATION LEVEL).  Write nothing when nothing stays.
     */
    int (*reset_sql)(sqlalc_sql_text *out, const char *isolation, int readonly);

    /* ---- version 4 ---- */

    /*
     * Optional: the dialect to compile for a server of this version (as
     * SQL Server spells it: "11.0.2100.60", "10.50", "14"), as SQLAlchemy
     * sets its dialect up from server_version_info: this table or a
     * variant of it (SQL Server before 2012 pages with ROW_NUMBER()).
     * NULL with the error recorded for a version it cannot read.  NULL
     * hook: the dialect has one flavour for every version.
     */
    const sqlalc_dialect *(*for_server_version)(const char *version);

    /* ---- version 5 ---- */

    /*
     * Optional: the statements of a server-side cursor named name (letters,
     * digits, '_') for op SQLALC_CURSOR_*: DECLARE over query (the SQL in
     * the driver's paramstyle, its parameters bound when it runs), the
     * same holding past the transaction's end, FETCH of the next n rows,
     * CLOSE.  NULL: the dialect has no cursors and stream_results leaves
     * the driver's own streaming in place.
     */
    int (*cursor_sql)(sqlalc_sql_text *out, int op, const char *name, const char *query, size_t n);
};

/*
 * The layout of each dialect version:
 *   1  version … reflect
 *   2  + begin_sql … connect_sql
 *   3  + reset_sql
 *   4  + for_server_version
 *   5  + cursor_sql
 */
#define SQLALC_DIALECT_VERSION 5

/* sqlalc_dialect.syntax: lexical forms beyond '…' strings, "…"
 * identifiers and -- / block comments. */
enum {
    SQLALC_SYNTAX_BRACKET_IDENTIFIERS = 1 << 0,  /* [name] (SQLite, SQL Server) */
    SQLALC_SYNTAX_BACKTICK_IDENTIFIERS = 1 << 1, /* `name` (SQLite, MySQL) */
    SQLALC_SYNTAX_DOLLAR = 1 << 2,               /* $tag$…$tag$ strings and $n parameters (PostgreSQL) */
    SQLALC_SYNTAX_ESCAPE_STRINGS = 1 << 3,       /* E'…\'…' strings (PostgreSQL) */
    SQLALC_SYNTAX_NESTED_COMMENTS = 1 << 4,      /* block comments nest (PostgreSQL) */
    SQLALC_SYNTAX_BACKSLASH_STRINGS = 1 << 5     /* '…\'…' in plain strings (MySQL) */
};

/* Cursor statements for sqlalc_dialect.cursor_sql. */
enum { SQLALC_CURSOR_DECLARE = 0, SQLALC_CURSOR_DECLARE_HOLD, SQLALC_CURSOR_FETCH, SQLALC_CURSOR_CLOSE };

/* Savepoint operations for sqlalc_dialect.savepoint_sql. */
enum { SQLALC_SAVEPOINT_CREATE = 0, SQLALC_SAVEPOINT_RELEASE, SQLALC_SAVEPOINT_ROLLBACK };

/*
 * Register under their names (replacing one of the same name).  The table
 * is copied (its strings and hook tables are not: they must stay valid);
 * any version from 1 to the current one is accepted and only the fields
 * that version has are read, the others count as absent (NULL / 0).
 */
SQLALC_API int sqlalc_register_driver(const sqlalc_driver *drv);
SQLALC_API int sqlalc_register_dialect(const sqlalc_dialect *dia);

/* For drivers: record the thread's last error.  Returns code. */
SQLALC_API int sqlalc_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Same, with SQLSTATE (may be NULL) and driver code. */
SQLALC_API int sqlalc_error_set_full(int code, const char *sqlstate, long driver_code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Attach PostgreSQL-style extra fields to the current last error. */
SQLALC_API void sqlalc_error_set_extra(const char *detail, const char *hint, const char *constraint_name);
/* For a driver's exec_batch, after recording its error: the failure is in
 * parameter sets first .. first + count - 1 of this call (count 1: exactly
 * that set; a multi-row statement that failed as a whole: its rows).  The
 * engine turns it into the caller's set numbers ("executemany parameter
 * set 7: …") and, for a range, finds the one set that fails. */
SQLALC_API void sqlalc_error_set_batch_position(size_t first, size_t count);
/* For a driver's own hooks (catalog_reflect): the driver connection
 * object (what its connect returned) behind a checked-out connection. */
SQLALC_API void *sqlalc_conn_driver_connection(sqlalc_conn *conn);
/* Map a SQLSTATE to an error class (23xxx → INTEGRITY, 40001 → SERIALIZATION, 08xxx → DISCONNECT …). */
SQLALC_API int sqlalc_code_from_sqlstate(const char *sqlstate);

#ifdef __cplusplus
}
#endif

#include "compile.h"
#include "schema.h"
#endif

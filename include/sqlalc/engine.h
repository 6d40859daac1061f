/*
 * libsqlalc — engine, connections, transactions, results.  Included by
 * <sqlalc.h>.
 *
 * Threads: an engine is shared by threads; a connection, its results and
 * its transactions are used by one thread at a time.
 */
#ifndef SQLALC_ENGINE_H
#define SQLALC_ENGINE_H

#include <stdio.h>
#include "core.h"
#include "url.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sqlalc_engine sqlalc_engine;
typedef struct sqlalc_conn sqlalc_conn;
typedef struct sqlalc_tx sqlalc_tx;
typedef struct sqlalc_result sqlalc_result;
typedef struct sqlalc_row sqlalc_row;

/* ------------------------------------------------------------------ */
/* Engine                                                              */
/* ------------------------------------------------------------------ */

/* Receives each echoed line (statement, or its parameters). */
typedef void (*sqlalc_log_fn)(void *ctx, const char *line);

/*
 * Engine options.  Start from SQLALC_ENGINE_OPTIONS_INIT, or use a
 * designated initialiser with .version = SQLALC_ENGINE_OPTIONS_VERSION
 * (fields left out are 0, which means what each field says).  The pool
 * knobs are SQLAlchemy's QueuePool arguments, with the same names.
 */
typedef struct sqlalc_engine_options {
    unsigned version;  /* SQLALC_ENGINE_OPTIONS_VERSION */
    int echo;          /* non-zero: log every statement and its parameters */
    sqlalc_log_fn log; /* where echo goes; NULL means stderr */
    void *log_ctx;
    /* Connections kept open in the pool for reuse, with their prepared
     * statements (0 = NullPool: close on release, no limit). */
    int pool_size;
    int stmt_cache_size; /* prepared statements kept per connection (LRU); 0 = default 128 */
    /* Check a pooled connection is alive before handing it out (a ping);
     * a dead one is replaced, and every connection older than it too. */
    int pool_pre_ping;

    /* ---- version 2 ---- */

    /* Connections opened beyond pool_size when all are checked out, closed
     * again on release; -1 = no limit.  INIT: 10 (SQLAlchemy's default). */
    int max_overflow;
    /* Seconds a checkout waits when pool_size + max_overflow connections
     * are out, then fails with SQLALC_ERR_TIMEOUT.  0 = 30 (the default);
     * negative = wait for ever. */
    double pool_timeout;
    /* Seconds after which a connection is replaced at its next checkout
     * (servers and proxies that drop idle connections); 0 = never. */
    double pool_recycle;
    /* Hand out the most recently returned connection first (LIFO), so a
     * quiet period lets the others idle out; default FIFO.  Embedded
     * databases (SQLite files) are always LIFO: warm page cache. */
    int pool_use_lifo;
    /* The isolation level of every connection's transactions, spelled as
     * in SQLAlchemy ("READ COMMITTED", "SERIALIZABLE", "AUTOCOMMIT" …;
     * see sqlalc_conn_set_execution_options); NULL = the database's. */
    const char *isolation_level;
    /* Record where each connection was checked out (sqlalc_engine_connect's
     * caller, or the tag of SQLALC_ENGINE_CONNECT / connect_tagged), listed
     * by sqlalc_engine_pool_checkouts and in the pool_timeout error. */
    int pool_debug;
    /* Execution options every connection starts with (copied); may be NULL.
     * isolation_level above, when set, wins over the one in here. */
    const struct sqlalc_execution_options *execution_options;

    /* ---- version 3 ---- */

    /* The server's version for dialects whose SQL depends on it (SQL
     * Server: "11" or "11.0.2100.60"; see sqlalc_dialect_for_server_version);
     * the URL query server_version= says the same.  NULL: read from the
     * server on the engine's first connection (SQL_DBMS_VER through ODBC),
     * as SQLAlchemy's initialize() does, when the driver can tell. */
    const char *server_version;
} sqlalc_engine_options;

#define SQLALC_ENGINE_OPTIONS_VERSION 3
#define SQLALC_ENGINE_OPTIONS_INIT                                                                   \
    {                                                                                                \
        SQLALC_ENGINE_OPTIONS_VERSION, 0, NULL, NULL, 5, 0, 0, 10, 30.0, 0.0, 0, NULL, 0, NULL, NULL \
    }

/*
 * Create an engine from a URL (see url.h).  Nothing connects yet except
 * that the URL, dialect and driver are checked.  options may be NULL.
 * SQLite query options: mode=ro|rw|rwc|memory, uri=true, and the pragmas
 * journal_mode, synchronous, cache_size, busy_timeout (ms, default 5000),
 * foreign_keys, applied on every new connection.
 */
SQLALC_API int sqlalc_engine_create(const char *url, const sqlalc_engine_options *options,
                                    sqlalc_engine **out);
/* Close pooled connections and free the engine.  Connections still checked
 * out must be closed before. */
SQLALC_API void sqlalc_engine_free(sqlalc_engine *eng);
/* The parsed URL (borrowed) and the dialect name ("sqlite", "postgresql"…). */
SQLALC_API const sqlalc_url *sqlalc_engine_url(const sqlalc_engine *eng);
SQLALC_API const char *sqlalc_engine_dialect_name(const sqlalc_engine *eng);
/* The dialect the engine compiles for (borrowed): the URL's, or the one
 * the server named ("odbc://DSN"), in the flavour of the server's version
 * (server_version option or URL query, else read on the first connect). */
SQLALC_API const sqlalc_dialect *sqlalc_engine_dialect(const sqlalc_engine *eng);
/*
 * Close every idle pooled connection and forget the pool, as SQLAlchemy's
 * Engine.dispose(): connections checked out now are closed when they are
 * returned, and the next checkouts connect afresh (after a fork, a
 * failover, or a credentials change).
 */
SQLALC_API void sqlalc_engine_dispose(sqlalc_engine *eng);

/* ------------------------------------------------------------------ */
/* Pool                                                                */
/* ------------------------------------------------------------------ */

/*
 * Which pool an engine has (chosen from its driver):
 *  - QUEUE: server databases.  SQLAlchemy's QueuePool: up to pool_size
 *    connections kept, max_overflow more opened under load, checkouts
 *    beyond that wait pool_timeout seconds; pool_recycle, pool_pre_ping,
 *    pool_use_lifo; reset on return (rollback of anything left open).
 *  - EMBEDDED: a database file in the process (SQLite).  The same queue
 *    and limits, always LIFO (the warmest page and statement caches are
 *    reused), no pre-ping (a file connection cannot drop).
 *  - THREAD: an in-memory SQLite database lives in its connection, so
 *    each thread keeps one connection for the engine's life
 *    (SingletonThreadPool); the queue limits do not apply.
 */
typedef enum sqlalc_pool_kind {
    SQLALC_POOL_QUEUE = 0,
    SQLALC_POOL_EMBEDDED,
    SQLALC_POOL_THREAD
} sqlalc_pool_kind;

/* The pool's state and counters since the engine was made. */
typedef struct sqlalc_pool_status {
    sqlalc_pool_kind kind;
    int size;         /* pool_size */
    int max_overflow; /* -1 = no limit */
    int open;         /* connections open now (idle + checked out + being opened) */
    int idle;         /* open and in the pool */
    int checked_out;
    int overflow;           /* open - size: negative while the pool is not full (as SQLAlchemy's) */
    int waiting;            /* checkouts waiting for a connection now */
    uint64_t checkouts;     /* successful checkouts */
    uint64_t waits;         /* checkouts that had to wait */
    uint64_t timeouts;      /* checkouts that gave up after pool_timeout */
    uint64_t connects;      /* driver connections opened */
    uint64_t recycles;      /* connections replaced for their age (pool_recycle) */
    uint64_t invalidations; /* disconnects and failed pings (each retires every older connection) */
} sqlalc_pool_status;

/* Fill *out with the pool's state (a consistent snapshot). */
SQLALC_API int sqlalc_engine_pool_status(sqlalc_engine *eng, sqlalc_pool_status *out);

/* One checked-out connection, as sqlalc_engine_pool_checkouts reports it. */
typedef struct sqlalc_checkout_info {
    const char *tag;    /* the connect_tagged tag ("file.c:42"), or NULL */
    const void *caller; /* pool_debug: return address of sqlalc_engine_connect's caller */
    double age;         /* seconds since the checkout */
    int in_transaction; /* a transaction is open on it */
} sqlalc_checkout_info;
typedef void (*sqlalc_checkout_fn)(void *ctx, const sqlalc_checkout_info *info);
/*
 * Call fn for every connection checked out now, oldest first (to find
 * the leak when the pool runs dry).  fn runs under the pool's lock: it
 * must not call into the engine.
 */
SQLALC_API int sqlalc_engine_pool_checkouts(sqlalc_engine *eng, sqlalc_checkout_fn fn, void *ctx);

/*
 * Engine-level execution: check out a connection, run, and return the
 * connection to the pool when the result is freed (or at once when out is
 * NULL).  Runs in its own transaction that commits on success.
 */
SQLALC_API int sqlalc_engine_execute_sql(sqlalc_engine *eng, const char *sql, const sqlalc_params *params,
                                         sqlalc_result **out);

/* ------------------------------------------------------------------ */
/* Connections                                                         */
/* ------------------------------------------------------------------ */

/*
 * Check out a connection from the engine's pool (see "Pool" above for the
 * limits; a checkout that waits past pool_timeout fails with
 * SQLALC_ERR_TIMEOUT naming the pool's state).  When a connection is found
 * dead (SQLALC_ERR_DISCONNECT) it is invalidated: its transaction, if one
 * was open, is reported as interrupted (nothing of it was committed), it is
 * discarded on close, and, as SQLAlchemy does, every pooled connection
 * opened before the disconnect is replaced at its next checkout (they
 * likely share its fate: a server restart, a failover).
 */
SQLALC_API int sqlalc_engine_connect(sqlalc_engine *eng, sqlalc_conn **out);
/*
 * The same, recording tag as where the connection was taken (listed by
 * sqlalc_engine_pool_checkouts and in a pool_timeout error).  tag must
 * live until the connection is closed (a string literal).
 * SQLALC_ENGINE_CONNECT(eng, &conn) tags the checkout with file:line.
 */
SQLALC_API int sqlalc_engine_connect_tagged(sqlalc_engine *eng, const char *tag, sqlalc_conn **out);
#define SQLALC_ENGINE_CONNECT(eng, out) \
    sqlalc_engine_connect_tagged((eng), __FILE__ ":" SQLALC__XSTR(__LINE__), (out))
/* Roll back anything uncommitted, free open results' statements and return
 * the connection to the pool (or close it).  NULL is ignored. */
SQLALC_API void sqlalc_conn_close(sqlalc_conn *conn);
SQLALC_API sqlalc_engine *sqlalc_conn_engine(const sqlalc_conn *conn);
/* Non-zero once the connection was found dead (a disconnect error). */
SQLALC_API int sqlalc_conn_invalidated(const sqlalc_conn *conn);
/* Check the connection is alive; SQLALC_ERR_DISCONNECT if not. */
SQLALC_API int sqlalc_conn_ping(sqlalc_conn *conn);

/*
 * Run raw SQL.  Named binds are written ":name" (not recognised inside
 * quotes, comments or after "::"); positional binds "?" take the
 * parameters without a name, in order.  A missing or unused parameter is
 * SQLALC_ERR_PROGRAMMING naming it.  out may be NULL to discard the result.
 * Outside an explicit transaction, the statement commits on its own.
 */
SQLALC_API int sqlalc_conn_execute_sql(sqlalc_conn *conn, const char *sql, const sqlalc_params *params,
                                       sqlalc_result **out);
/*
 * executemany: run sql once per parameter set, reusing one prepared
 * statement (drivers may batch).  All sets run in one transaction: if one
 * fails, none is kept (unless an outer explicit transaction decides).
 * *rowcount (may be NULL) receives the total affected rows.
 */
SQLALC_API int sqlalc_conn_execute_sql_many(sqlalc_conn *conn, const char *sql, const sqlalc_params *sets,
                                            size_t nsets, int64_t *rowcount);

/* ------------------------------------------------------------------ */
/* Execution options                                                   */
/* ------------------------------------------------------------------ */

/*
 * Options that shape how statements run, as SQLAlchemy's
 * execution_options: set on an engine (sqlalc_engine_options.execution_options),
 * on a connection (sqlalc_conn_set_execution_options) or for one statement
 * (the *_opts execute functions).  Each level starts from the one above and
 * replaces only the fields it sets: a NULL string or a 0 number inherits;
 * a negative number sets the field explicitly off (stream_results = -1
 * turns streaming off for one statement of a streaming connection).
 * Start from SQLALC_EXECUTION_OPTIONS_INIT (or a designated initialiser
 * with .version = SQLALC_EXECUTION_OPTIONS_VERSION).
 *
 *  isolation_level  connection (or engine) only, spelled as SQLAlchemy
 *                   does: "READ COMMITTED", "REPEATABLE READ",
 *                   "SERIALIZABLE", "READ UNCOMMITTED", "AUTOCOMMIT";
 *                   see sqlalc_conn_set_execution_options for what each
 *                   database offers.
 *  stream_results   >0: rows come from a server-side cursor in batches
 *                   instead of the driver's own buffering (PostgreSQL).
 *  yield_per        rows fetched per batch while streaming; implies
 *                   stream_results, as in SQLAlchemy.
 *  timeout          statement timeout in seconds: a statement (or one
 *                   fetch of a row) running longer fails with
 *                   SQLALC_ERR_TIMEOUT.  <0: none.
 *  no_compiled_cache >0: compile expression statements afresh instead of
 *                   using (and filling) the compiled form cached on the
 *                   statement.
 *  readonly         connection (or engine) only: >0 makes the
 *                   connection's transactions (and autocommit statements)
 *                   read-only; a write fails.
 */
typedef struct sqlalc_execution_options {
    unsigned version; /* SQLALC_EXECUTION_OPTIONS_VERSION */
    const char *isolation_level;
    int stream_results;
    size_t yield_per;
    double timeout;
    int no_compiled_cache;
    int readonly;
} sqlalc_execution_options;

#define SQLALC_EXECUTION_OPTIONS_VERSION 1
#define SQLALC_EXECUTION_OPTIONS_INIT                           \
    {                                                           \
        SQLALC_EXECUTION_OPTIONS_VERSION, NULL, 0, 0, 0.0, 0, 0 \
    }

/*
 * Merge o into the connection's execution options (the fields o sets
 * replace the connection's; the rest stay).  They last until the
 * connection is closed: a pooled connection goes back to the engine's
 * options.  Changing isolation_level or readonly while a transaction is
 * open is SQLALC_ERR_INTERFACE; a level the database lacks is
 * SQLALC_ERR_NOT_SUPPORTED naming the ones it has (an unknown word is
 * SQLALC_ERR_ARGUMENT).
 *
 * isolation_level and readonly apply to the transactions the connection
 * begins (sqlalc_conn_begin, executemany's own transaction); a statement
 * outside a transaction commits on its own at the database's default.
 *  - PostgreSQL: BEGIN ISOLATION LEVEL <level> [READ ONLY]; READ UNCOMMITTED
 *    behaves as READ COMMITTED there.  A write in a read-only transaction
 *    fails (SQLSTATE 25006).
 *  - SQLite: transactions are SERIALIZABLE.  The level words choose how
 *    BEGIN locks: "DEFERRED" (the default; also what "SERIALIZABLE"
 *    means), "IMMEDIATE" (takes the write lock at BEGIN, so a busy
 *    database waits busy_timeout there instead of failing at the first
 *    write of a transaction that read first), "EXCLUSIVE".  "READ
 *    UNCOMMITTED" sets PRAGMA read_uncommitted (it matters with a shared
 *    cache only).  readonly sets PRAGMA query_only for the transaction.
 *    Both PRAGMAs are put back when the transaction ends.
 *  - SQL Server: the four levels and "SNAPSHOT"; no read-only.
 *  - "AUTOCOMMIT" everywhere: sqlalc_conn_begin emits no BEGIN and every
 *    statement commits at once (commit/rollback of the block do nothing,
 *    savepoints are refused, executemany commits row by row).
 */
SQLALC_API int sqlalc_conn_set_execution_options(sqlalc_conn *conn, const sqlalc_execution_options *o);
/* The connection's effective options (engine's merged with its own),
 * borrowed; isolation_level is NULL when the database's default applies. */
SQLALC_API const sqlalc_execution_options *sqlalc_conn_execution_options(const sqlalc_conn *conn);
/*
 * sqlalc_conn_execute_sql with options for this one statement (o may be
 * NULL).  isolation_level and readonly belong to connections, not
 * statements: setting them here is SQLALC_ERR_ARGUMENT (as in SQLAlchemy).
 */
SQLALC_API int sqlalc_conn_execute_sql_opts(sqlalc_conn *conn, const char *sql, const sqlalc_params *params,
                                            const sqlalc_execution_options *o, sqlalc_result **out);

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/*
 * Callbacks a program registers on an engine, as SQLAlchemy's events:
 * session setup on connect, pool checkout/checkin, statement timing and
 * logging, error reporting.  echo is one listener of these.
 */
typedef enum sqlalc_event_kind {
    SQLALC_EVENT_CONNECT = 0,    /* a new driver connection; conn runs setup SQL on it */
    SQLALC_EVENT_CHECKOUT,       /* a connection leaves the pool */
    SQLALC_EVENT_CHECKIN,        /* a connection goes back (before its reset) */
    SQLALC_EVENT_BEFORE_EXECUTE, /* sql, params about to run */
    SQLALC_EVENT_AFTER_EXECUTE,  /* ran: elapsed, rowcount */
    SQLALC_EVENT_ERROR,          /* a statement or a connect failed: code, error */
    SQLALC_EVENT_INVALIDATE,     /* a connection was found dead (or failed its ping) */
    SQLALC_EVENT_BEGIN,          /* a transaction began: sql is its isolation level or NULL */
    SQLALC_EVENT_COMMIT,
    SQLALC_EVENT_ROLLBACK
} sqlalc_event_kind;

#define SQLALC_EVENT_MASK(kind) (1u << (kind))
#define SQLALC_EVENT_ALL 0x3ffu

typedef struct sqlalc_event {
    sqlalc_event_kind kind;
    sqlalc_engine *engine;
    /* The connection concerned (NULL for a connect that failed).  For
     * CONNECT it is a connection on the new driver connection: execute
     * session setup on it (SET search_path …, PRAGMA …), do not close it. */
    sqlalc_conn *conn;
    /* BEFORE/AFTER_EXECUTE, ERROR: the SQL as sent to the driver (its
     * paramstyle), the values in placeholder order and their names (NULL
     * when positional).  executemany: nsets parameter sets, params NULL. */
    const char *sql;
    const sqlalc_value *params;
    int nparams;
    char *const *param_names;
    size_t nsets;              /* executemany's parameter sets; 0 for one statement */
    double elapsed;            /* AFTER_EXECUTE, ERROR: seconds, the statement's run to its first row */
    int64_t rowcount;          /* AFTER_EXECUTE: rows changed by DML, -1 otherwise */
    int code;                  /* ERROR, INVALIDATE: the classified code (SQLALC_ERR_*) */
    const sqlalc_error *error; /* ERROR, INVALIDATE: the details */
} sqlalc_event;

/*
 * A listener returns SQLALC_OK; for CONNECT and CHECKOUT an error code
 * refuses the connection (the checkout fails with it, the connection is
 * closed); other kinds ignore the value.  Listeners run on the thread
 * doing the work, so one registered on a shared engine must be thread-safe.
 */
typedef int (*sqlalc_event_fn)(void *ctx, const sqlalc_event *ev);

/*
 * Listen for the kinds in mask (SQLALC_EVENT_MASK(k) | …) on every
 * connection of the engine; listeners run in the order added.  Adding and
 * removing are safe while other threads use the engine.
 */
SQLALC_API int sqlalc_event_listen(sqlalc_engine *eng, unsigned mask, sqlalc_event_fn fn, void *ctx);
/* Stop fn/ctx listening to the kinds in mask; SQLALC_ERR_NOT_FOUND if it was not. */
SQLALC_API int sqlalc_event_remove(sqlalc_engine *eng, unsigned mask, sqlalc_event_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

/*
 * Begin a transaction (sqlalc_conn_begin) or, inside one, a savepoint
 * (sqlalc_conn_begin_nested; also allowed when none is open, then it begins
 * one).  The handle ends with commit or rollback, which free it.  Closing
 * the connection rolls back whatever is still open.
 */
SQLALC_API int sqlalc_conn_begin(sqlalc_conn *conn, sqlalc_tx **out);
SQLALC_API int sqlalc_conn_begin_nested(sqlalc_conn *conn, sqlalc_tx **out);
/* Commit (or release the savepoint).  The handle is freed even on error;
 * a failed commit rolls back. */
SQLALC_API int sqlalc_tx_commit(sqlalc_tx *tx);
/* Roll back (to the savepoint).  The handle is freed. */
SQLALC_API int sqlalc_tx_rollback(sqlalc_tx *tx);
/* Non-zero when the connection has an explicit transaction open. */
SQLALC_API int sqlalc_conn_in_transaction(const sqlalc_conn *conn);

/*
 * A transaction block, SQLAlchemy's `with engine.begin() as conn:`.
 * sqlalc_engine_begin checks out a connection and begins a transaction on
 * it (*tx, may be NULL, is that transaction's handle for an early commit);
 * on failure nothing is left checked out.  sqlalc_conn_end finishes the
 * block whatever happened inside: when rc >= 0 it commits, when rc is an
 * error code it rolls back (the error that decided it stays the thread's
 * last error), then closes conn (back to the pool) and frees the handle.
 * It returns rc, or the commit's error when the commit fails (then rolled
 * back).  A transaction already ended inside the block is not ended again.
 *
 *     sqlalc_conn *conn;
 *     int rc = sqlalc_engine_begin(eng, &conn, NULL);
 *     if (rc == SQLALC_OK) {
 *         rc = sqlalc_conn_execute_sql(conn, "INSERT INTO log (msg) VALUES ('a')", NULL, NULL);
 *         if (rc == SQLALC_OK)
 *             rc = sqlalc_conn_execute_sql(conn, "UPDATE counter SET n = n + 1", NULL, NULL);
 *         rc = sqlalc_conn_end(conn, rc);   committed only if both worked
 *     }
 */
SQLALC_API int sqlalc_engine_begin(sqlalc_engine *eng, sqlalc_conn **conn, sqlalc_tx **tx);
SQLALC_API int sqlalc_conn_end(sqlalc_conn *conn, int rc);

/* ------------------------------------------------------------------ */
/* Results and rows                                                    */
/* ------------------------------------------------------------------ */

/*
 * A result streams rows from the driver.  sqlalc_result_next() returns
 * SQLALC_ROW and points *row at the current row (valid until the next
 * sqlalc_result_next() or the result is freed), SQLALC_DONE at the end, or
 * an error code: SQLALC_ERR_CLOSED when the result's connection was closed
 * before every row was read (the rows are lost; a result read to its end
 * keeps answering SQLALC_DONE).  The accessors below that read on
 * (fetchmany, all, first, one …) copy the current row first, so a row
 * handle from sqlalc_result_next() keeps its values until the next
 * sqlalc_result_next().
 */
SQLALC_API int sqlalc_result_next(sqlalc_result *res, const sqlalc_row **row);
/* fetchone: same as next, but a row is SQLALC_OK and SQLALC_DONE leaves *row NULL. */
SQLALC_API int sqlalc_result_fetchone(sqlalc_result *res, const sqlalc_row **row);
/*
 * fetchmany / fetchall: copy up to max rows (all, for fetchall) into a new
 * rowset owned by the caller (free it with sqlalc_rowset_free; it outlives
 * the result and the connection).  An empty rowset is returned at the end.
 */
typedef struct sqlalc_rowset sqlalc_rowset;
SQLALC_API int sqlalc_result_fetchmany(sqlalc_result *res, size_t max, sqlalc_rowset **out);
SQLALC_API int sqlalc_result_fetchall(sqlalc_result *res, sqlalc_rowset **out);
SQLALC_API size_t sqlalc_rowset_count(const sqlalc_rowset *rs);
SQLALC_API const sqlalc_row *sqlalc_rowset_row(const sqlalc_rowset *rs, size_t i);
SQLALC_API void sqlalc_rowset_free(sqlalc_rowset *rs);

/*
 * SQLAlchemy's everyday accessors.  Ownership, for all of them: they never
 * free the result (sqlalc_result_free() still must be called), and each
 * CLOSES it, whatever the outcome: what it needs is read, the statement
 * goes back to the connection's cache and the remaining rows are
 * discarded; afterwards sqlalc_result_next() says SQLALC_DONE and
 * sqlalc_result_closed() is true.  A row or value they return is a copy
 * kept by the result: valid until sqlalc_result_free(res) (column names
 * included, so the *_by_name getters work on it).
 *
 *  - all: every remaining row into a new rowset owned by the caller
 *    (fetchall, then close).
 *  - first: the next row, SQLALC_OK; SQLALC_DONE and *row NULL when there
 *    is none.
 *  - one: exactly one row, SQLALC_OK; SQLALC_ERR_NO_RESULT when there is
 *    none, SQLALC_ERR_MULTIPLE_RESULTS when there are more (*row NULL).
 *  - one_or_none: SQLALC_OK with the row, SQLALC_DONE with *row NULL when
 *    there is none, SQLALC_ERR_MULTIPLE_RESULTS when there are more.
 *  - scalar / scalar_one / scalar_one_or_none: the same three rules, and
 *    *out receives the first column of that row as a typed value (text and
 *    blob bytes pointing into the result's copy); *out is SQLALC_NULLV
 *    when no row came back.  SQL NULL in the column is SQLALC_OK with a
 *    SQLALC_V_NULL value, which tells it apart from "no row".
 *
 *     sqlalc_value n;
 *     sqlalc_conn_execute_sql(conn, "SELECT count(*) FROM t", NULL, &res);
 *     if (sqlalc_result_scalar_one(res, &n) == SQLALC_OK)
 *         printf("%lld rows\n", (long long)n.u.i);
 *     sqlalc_result_free(res);
 */
SQLALC_API int sqlalc_result_all(sqlalc_result *res, sqlalc_rowset **out);
SQLALC_API int sqlalc_result_first(sqlalc_result *res, const sqlalc_row **row);
SQLALC_API int sqlalc_result_one(sqlalc_result *res, const sqlalc_row **row);
SQLALC_API int sqlalc_result_one_or_none(sqlalc_result *res, const sqlalc_row **row);
SQLALC_API int sqlalc_result_scalar(sqlalc_result *res, sqlalc_value *out);
SQLALC_API int sqlalc_result_scalar_one(sqlalc_result *res, sqlalc_value *out);
SQLALC_API int sqlalc_result_scalar_one_or_none(sqlalc_result *res, sqlalc_value *out);

/* A value read as a number, with the row getters' conversions (INT, BOOL,
 * integral FLOAT, NUMERIC text); SQLALC_ERR_TYPE otherwise (NULL too). */
SQLALC_API int sqlalc_value_get_int64(const sqlalc_value *v, int64_t *out);
SQLALC_API int sqlalc_value_get_double(const sqlalc_value *v, double *out);

SQLALC_API int sqlalc_result_column_count(const sqlalc_result *res);
SQLALC_API const char *sqlalc_result_column_name(const sqlalc_result *res, int i);
/* Declared type as the database reports it ("VARCHAR(50)"), or NULL. */
SQLALC_API const char *sqlalc_result_column_decltype(const sqlalc_result *res, int i);
/* Index of a column by name, or -1 (SQLALC_ERR_NOT_FOUND recorded). */
SQLALC_API int sqlalc_result_column_index(const sqlalc_result *res, const char *name);
/* Rows affected by INSERT/UPDATE/DELETE, -1 when not applicable.  An
 * expression INSERT/UPDATE/DELETE … RETURNING reads its rows at execution
 * (as psycopg2 does), so its count is there before a row is read and a
 * failure of any row surfaces from the execute call; rows then come from
 * memory. */
SQLALC_API int64_t sqlalc_result_rowcount(const sqlalc_result *res);
/* The row id / identity of the last row inserted on the result's
 * connection (SQLite rowid, PostgreSQL lastval(), SQL Server @@IDENTITY),
 * asked when called.  Prefer RETURNING where the dialect has it. */
SQLALC_API int sqlalc_result_last_insert_id(const sqlalc_result *res, int64_t *out);
/* Non-zero once every row was read or the result was closed. */
SQLALC_API int sqlalc_result_closed(const sqlalc_result *res);
/* Release the result (and, for engine-level execution, its connection). */
SQLALC_API void sqlalc_result_free(sqlalc_result *res);

/*
 * Row access by 0-based index or by column name.  The checked getters
 * return SQLALC_OK, SQLALC_ERR_NOT_FOUND (no such column), SQLALC_ERR_TYPE
 * (the value cannot be converted; NULL is a type error for numbers) or
 * SQLALC_ERR_CLOSED (a live row the result has moved past).
 * Conversions: INT↔FLOAT↔BOOL, NUMERIC text to numbers, any value to
 * text: numbers in their shortest round-trip form, BOOL as true/false, a
 * BLOB in PostgreSQL's bytea hex form ("\x0aff", the same on every
 * backend; sqlalc_row_get_blob gives the bytes).
 * Returned pointers live as long as the row: for a live row until the
 * next sqlalc_result_next() (or the result is freed), for a row of a
 * rowset or one kept by first/one/scalar as long as its rowset / result
 * (text made by a conversion is stored with it: each conversion of a
 * rowset's number or blob keeps a copy until the rowset is freed).
 *
 * Typed results.  A statement built from expressions knows the SQL type
 * of each result column (a column's type, a CAST's target, Boolean for a
 * comparison, count() Integer, sum/min/max/coalesce their argument's), and
 * its rows return values of that type, the same on every backend, as
 * SQLAlchemy's result processors do:
 *   Boolean        SQLALC_V_BOOL (SQLite's 0/1, "t"/"f" text)
 *   Numeric(p, s)  SQLALC_V_NUMERIC text with exactly s decimals ("168.00",
 *                  SQLite's 59.899999999999999 as "59.90"; rounded half
 *                  away from zero); without a scale the number's shortest
 *                  exact text
 *   Float, REAL, DOUBLE  SQLALC_V_FLOAT (integers and numeric text too)
 *   Date / Time / DateTime  SQLALC_V_DATE / _TIME / _DATETIME text in
 *                  PostgreSQL's form ("2024-02-29 13:14:15.5": a space
 *                  before the time, no trailing zeros in the fraction;
 *                  a Date holds only the date part)
 * Other types, and values that are not numbers or text (a NULL, a blob),
 * come as the driver returns them.  Raw SQL declares its columns' types
 * with sqlalc_text_columns() (SQLAlchemy's text().columns()).
 */
SQLALC_API int sqlalc_row_count(const sqlalc_row *row);
SQLALC_API int sqlalc_row_get_value(const sqlalc_row *row, int i, sqlalc_value *out);
SQLALC_API int sqlalc_row_get_int64(const sqlalc_row *row, int i, int64_t *out);
SQLALC_API int sqlalc_row_get_double(const sqlalc_row *row, int i, double *out);
SQLALC_API int sqlalc_row_get_bool(const sqlalc_row *row, int i, int *out);
/* text: NUL-terminated; *out is NULL for SQL NULL.  len may be NULL. */
SQLALC_API int sqlalc_row_get_text(const sqlalc_row *row, int i, const char **out, size_t *len);
SQLALC_API int sqlalc_row_get_blob(const sqlalc_row *row, int i, const void **out, size_t *len);
SQLALC_API int sqlalc_row_is_null(const sqlalc_row *row, int i);
/* Column index by name within the row's result, or -1. */
SQLALC_API int sqlalc_row_index(const sqlalc_row *row, const char *name);

/* Unchecked shorthands: 0 / 0.0 / NULL on NULL or error (error recorded). */
SQLALC_API int64_t sqlalc_row_int64(const sqlalc_row *row, int i);
SQLALC_API double sqlalc_row_double(const sqlalc_row *row, int i);
SQLALC_API const char *sqlalc_row_text(const sqlalc_row *row, int i);
SQLALC_API int64_t sqlalc_row_int64_by_name(const sqlalc_row *row, const char *name);
SQLALC_API double sqlalc_row_double_by_name(const sqlalc_row *row, const char *name);
SQLALC_API const char *sqlalc_row_text_by_name(const sqlalc_row *row, const char *name);
SQLALC_API int sqlalc_row_is_null_by_name(const sqlalc_row *row, const char *name);

/* ------------------------------------------------------------------ */
/* Display                                                             */
/* ------------------------------------------------------------------ */

typedef enum sqlalc_format {
    SQLALC_FORMAT_TABLE = 0, /* aligned text table, like psql */
    SQLALC_FORMAT_CSV,       /* RFC 4180 with a header line */
    SQLALC_FORMAT_JSON       /* an array of objects, one per row */
} sqlalc_format;

/*
 * Write the remaining rows of res to f (at most max_rows; 0 means all; the
 * rest is left unread).  Read the column names before: a result already
 * read to its end prints its columns as "?column?".
 *  - TABLE: psql's aligned layout: names centred over a rule, cells
 *    padded to their UTF-8 display width (combining marks 0, East Asian
 *    wide 2), columns holding only numbers right-aligned, NULL empty (as
 *    psql's default), control characters shown as \n \t \x1b, a
 *    "(N rows)" footer.  Columns are sized on the first 1,000 rows (read
 *    ahead with fetchmany), then the rest streams; a later value wider
 *    than its column widens it from that row on.  A result without
 *    columns prints "(N rows affected)".
 *  - CSV: RFC 4180, header line, CRLF line ends, fields quoted when they
 *    hold a comma, quote, CR or LF; NULL is an empty field, the empty
 *    string is "".  Streams.
 *  - JSON: an array of objects, one per line, keys the column names;
 *    NULL is null, integers and floats numbers (NaN/Infinity null), BOOL
 *    true/false, NUMERIC a number when it spells one, other text kinds
 *    strings (invalid UTF-8 replaced by U+FFFD).  Two columns of the same
 *    name never share a key: the second "id" is "id_1", the third "id_2"
 *    (skipping any name another column has).  Streams.
 * Floats print in their shortest round-trip form with a ".0" kept on
 * integral values.  Blobs: hex as "\x0aff" in TABLE and CSV (PostgreSQL's
 * bytea form), base64 strings in JSON.
 */
SQLALC_API int sqlalc_result_print(sqlalc_result *res, FILE *f, sqlalc_format fmt, size_t max_rows);

/* Progress callback of sqlalc_result_print_ex: rows printed so far, every
 * 4,096 rows.  A non-zero return stops the print (SQLALC_ERR_GENERIC). */
typedef int (*sqlalc_print_progress_fn)(void *ctx, uint64_t rows);

typedef struct sqlalc_print_options {
    unsigned version; /* SQLALC_PRINT_OPTIONS_VERSION */
    sqlalc_format format;
    size_t max_rows; /* 0: all.  With a limit one more row is read, to set `more` */
    /* TABLE: rows read ahead to size the columns (0: 1,000). */
    size_t sample_rows;
    /* TABLE: fit every line in this many terminal columns (0: no limit):
     * the widest columns shrink first (never below 3) and cells cut to
     * their column end in "…" (U+2026). */
    size_t max_width;
    sqlalc_print_progress_fn progress; /* NULL: none */
    void *progress_ctx;
    /* Set by the call: rows printed, and 1 when max_rows cut the output
     * (rows were left; TABLE then ends in "(N rows shown; more rows were
     * not read)" instead of "(N rows)"). */
    uint64_t rows;
    int more;
} sqlalc_print_options;
#define SQLALC_PRINT_OPTIONS_VERSION 1
#define SQLALC_PRINT_OPTIONS_INIT                                                    \
    {                                                                                \
        SQLALC_PRINT_OPTIONS_VERSION, SQLALC_FORMAT_TABLE, 0, 0, 0, NULL, NULL, 0, 0 \
    }
/* sqlalc_result_print with options (opts is read and its out fields set). */
SQLALC_API int sqlalc_result_print_ex(sqlalc_result *res, FILE *f, sqlalc_print_options *opts);

#ifdef __cplusplus
}
#endif
#endif

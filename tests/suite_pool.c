/*
 * Execution options, isolation levels, the pool and events, on every
 * backend (SQLite memory and file, PostgreSQL, ODBC).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "testutil.h"
#include "sql/expr_int.h"

static sqlalc_engine *eng;

static int setup(void **state)
{
    (void)state;
    eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE pool_t");
    test_exec(eng, "CREATE TABLE pool_t (id INTEGER PRIMARY KEY, name VARCHAR(20))");
    test_exec(eng, "INSERT INTO pool_t (id, name) VALUES (1, 'one')");
    test_exec(eng, "INSERT INTO pool_t (id, name) VALUES (2, 'two')");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE pool_t");
    sqlalc_engine_free(eng);
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* First column of the first row on conn, failing the test on error. */
static int64_t conn_scalar(sqlalc_conn *c, const char *sql)
{
    sqlalc_result *res;
    sqlalc_value v;
    assert_ok(sqlalc_conn_execute_sql(c, sql, NULL, &res));
    assert_ok(sqlalc_result_scalar(res, &v));
    sqlalc_result_free(res);
    assert_int_equal(v.type, SQLALC_V_INT);
    return v.u.i;
}

/* ------------------------------------------------------------------ */
/* Execution options                                                   */
/* ------------------------------------------------------------------ */

static void test_exec_options_checked(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_execution_options o = SQLALC_EXECUTION_OPTIONS_INIT;
    o.version = 99;
    assert_code(sqlalc_conn_set_execution_options(c, &o), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "version 99"));

    /* Isolation and read-only belong to connections, as in SQLAlchemy. */
    sqlalc_execution_options s = { .version = SQLALC_EXECUTION_OPTIONS_VERSION,
                                   .isolation_level = "SERIALIZABLE" };
    assert_code(sqlalc_conn_execute_sql_opts(c, "SELECT 1", NULL, &s, NULL), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "isolation_level is a connection option"));
    s = (sqlalc_execution_options){ .version = SQLALC_EXECUTION_OPTIONS_VERSION, .readonly = 1 };
    assert_code(sqlalc_conn_execute_sql_opts(c, "SELECT 1", NULL, &s, NULL), SQLALC_ERR_ARGUMENT);

    s = (sqlalc_execution_options){ .version = SQLALC_EXECUTION_OPTIONS_VERSION,
                                    .isolation_level = "SNAPSHOTTY" };
    assert_code(sqlalc_conn_set_execution_options(c, &s), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "unknown isolation_level 'SNAPSHOTTY'"));

    /* Fields merge: yield_per implies stream_results; -1 turns it off. */
    const sqlalc_execution_options *eff = sqlalc_conn_execution_options(c);
    assert_int_equal(eff->stream_results, 0);
    s = (sqlalc_execution_options){ .version = SQLALC_EXECUTION_OPTIONS_VERSION, .no_compiled_cache = 1 };
    assert_ok(sqlalc_conn_set_execution_options(c, &s));
    assert_int_equal(eff->no_compiled_cache, 1);
    s = (sqlalc_execution_options){ .version = SQLALC_EXECUTION_OPTIONS_VERSION, .no_compiled_cache = -1 };
    assert_ok(sqlalc_conn_set_execution_options(c, &s));
    assert_int_equal(eff->no_compiled_cache, 0);
    sqlalc_conn_close(c);
}

static void test_no_compiled_cache(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t =
        sqlalc_table_new(md, "pool_t", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0));
    assert_non_null(t);
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(sqlalc_c(t, "name")), sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(2)));
    assert_non_null(q);
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_execution_options o = { .version = SQLALC_EXECUTION_OPTIONS_VERSION, .no_compiled_cache = 1 };
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_opts(c, q, NULL, &o, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "two");
    sqlalc_result_free(res);
    /* Nothing was cached on the statement ... */
    assert_null(atomic_load(&q->cache));
    /* ... until a statement runs with the cache. */
    assert_ok(sqlalc_conn_execute_opts(c, q, SQLALC_PARAMS(SQLALC_P_INT("id_1", 1)), NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "one");
    sqlalc_result_free(res);
    assert_non_null(atomic_load(&q->cache));
    sqlalc_conn_close(c);
    sqlalc_stmt_free(q);
    sqlalc_metadata_free(md);
}

/* A statement that runs for a long time on each backend. */
static const char *slow_sql(void)
{
    if (test_dialect_is("postgresql"))
        return "SELECT pg_sleep(5)";
    return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
}

static void test_statement_timeout(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_execution_options o = { .version = SQLALC_EXECUTION_OPTIONS_VERSION, .timeout = 0.3 };
    int rc = sqlalc_conn_set_execution_options(c, &o);
    if (rc == SQLALC_ERR_NOT_SUPPORTED && (test_dialect_is("postgresql") || test_via_odbc())) {
        /* libpq's and ODBC's timeouts come with their drivers' work. */
        sqlalc_conn_close(c);
        return;
    }
    assert_ok(rc);
    double t0 = now_s();
    assert_code(sqlalc_conn_execute_sql(c, slow_sql(), NULL, NULL), SQLALC_ERR_TIMEOUT);
    assert_non_null(strstr(sqlalc_errmsg(), "timeout"));
    assert_true(now_s() - t0 < 3.0);
    /* The connection is still good; a statement can lift the timeout. */
    assert_int_equal(conn_scalar(c, "SELECT count(*) FROM pool_t"), 2);
    sqlalc_execution_options off = { .version = SQLALC_EXECUTION_OPTIONS_VERSION, .timeout = -1 };
    assert_ok(sqlalc_conn_execute_sql_opts(c, "SELECT count(*) FROM pool_t", NULL, &off, NULL));
    sqlalc_conn_close(c);
    /* The pool's next user does not inherit it. */
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_true(sqlalc_conn_execution_options(c)->timeout == 0);
    sqlalc_conn_close(c);
}

/* ------------------------------------------------------------------ */
/* Isolation levels and read-only transactions                         */
/* ------------------------------------------------------------------ */

static int set_iso(sqlalc_conn *c, const char *level, int readonly)
{
    sqlalc_execution_options o = { .version = SQLALC_EXECUTION_OPTIONS_VERSION,
                                   .isolation_level = level,
                                   .readonly = readonly };
    return sqlalc_conn_set_execution_options(c, &o);
}

/* The isolation level PostgreSQL reports inside a transaction. */
static void expect_pg_level(sqlalc_conn *c, const char *want)
{
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT current_setting('transaction_isolation')", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), want);
    sqlalc_result_free(res);
}

static void test_isolation_levels_postgresql(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql"))
        return;
    static const char *const levels[][2] = {
        { "READ COMMITTED", "read committed" },
        { "REPEATABLE READ", "repeatable read" },
        { "SERIALIZABLE", "serializable" },
        { "read_uncommitted", "read uncommitted" }, /* SQLAlchemy's spellings pass too */
    };
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        assert_ok(set_iso(c, levels[i][0], 0));
        sqlalc_tx *tx;
        assert_ok(sqlalc_conn_begin(c, &tx));
        expect_pg_level(c, levels[i][1]);
        /* Not changeable while the transaction is open. */
        assert_code(set_iso(c, NULL, 1), SQLALC_ERR_INTERFACE);
        assert_ok(sqlalc_tx_commit(tx));
    }
    assert_code(set_iso(c, "IMMEDIATE", 0), SQLALC_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(sqlalc_errmsg(), "REPEATABLE READ"));

    /* Read-only: a write fails, a read works; autocommit statements are not affected. */
    sqlalc_conn_close(c);
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(set_iso(c, NULL, 1));
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_int_equal(conn_scalar(c, "SELECT count(*) FROM pool_t"), 2);
    assert_true(sqlalc_conn_execute_sql(c, "INSERT INTO pool_t (id, name) VALUES (9, 'x')", NULL, NULL) < 0);
    assert_string_equal(sqlalc_error_last()->sqlstate, "25006");
    sqlalc_tx_rollback(tx);
    sqlalc_conn_close(c);

    /* Engine-wide level. */
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.isolation_level = "REPEATABLE READ";
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(test_url(), &o, &e2));
    assert_ok(sqlalc_engine_begin(e2, &c, NULL));
    expect_pg_level(c, "repeatable read");
    assert_ok(sqlalc_conn_end(c, SQLALC_OK));
    sqlalc_engine_free(e2);
    o.isolation_level = "EXCLUSIVE";
    assert_code(sqlalc_engine_create(test_url(), &o, &e2), SQLALC_ERR_NOT_SUPPORTED);
}

/* SQLite: a write-locking BEGIN IMMEDIATE makes another connection's write
 * wait (and give up after busy_timeout); a deferred BEGIN does not. */
static void test_isolation_sqlite_begin_modes(void **state)
{
    (void)state;
    if (!test_dialect_is("sqlite"))
        return;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_code(set_iso(c, "READ COMMITTED", 0), SQLALC_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(sqlalc_errmsg(), "IMMEDIATE"));
    if (test_via_odbc()) {
        /* sqliteodbc begins transactions itself: no BEGIN IMMEDIATE. */
        assert_code(set_iso(c, "IMMEDIATE", 0), SQLALC_ERR_NOT_SUPPORTED);
        sqlalc_conn_close(c);
        return;
    }
    assert_ok(set_iso(c, "IMMEDIATE", 0));
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    if (!strncmp(test_url(), "sqlite:///", 10) && strlen(test_url()) > 10) {
        char url[600];
        snprintf(url, sizeof url, "%s?busy_timeout=50", test_url());
        sqlalc_engine *other;
        assert_ok(sqlalc_engine_create(url, NULL, &other));
        assert_code(
            sqlalc_engine_execute_sql(other, "INSERT INTO pool_t (id, name) VALUES (7, 'x')", NULL, NULL),
            SQLALC_ERR_TIMEOUT);
        assert_ok(sqlalc_tx_commit(tx));
        /* Deferred: no lock until the first write. */
        assert_ok(set_iso(c, "DEFERRED", 0));
        assert_ok(sqlalc_conn_begin(c, &tx));
        assert_int_equal(conn_scalar(c, "SELECT count(*) FROM pool_t"), 2);
        assert_ok(sqlalc_tx_commit(tx)); /* a reader in WAL or rollback mode alike */
        assert_ok(sqlalc_conn_begin(c, &tx));
        assert_ok(
            sqlalc_engine_execute_sql(other, "INSERT INTO pool_t (id, name) VALUES (7, 'x')", NULL, NULL));
        assert_ok(sqlalc_engine_execute_sql(other, "DELETE FROM pool_t WHERE id = 7", NULL, NULL));
        sqlalc_engine_free(other);
    }
    assert_ok(sqlalc_tx_commit(tx));

    /* READ UNCOMMITTED and read-only are PRAGMAs for the transaction only. */
    assert_ok(set_iso(c, "READ UNCOMMITTED", 1));
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_int_equal(conn_scalar(c, "PRAGMA read_uncommitted"), 1);
    assert_int_equal(conn_scalar(c, "PRAGMA query_only"), 1);
    assert_true(sqlalc_conn_execute_sql(c, "INSERT INTO pool_t (id, name) VALUES (9, 'x')", NULL, NULL) < 0);
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(conn_scalar(c, "PRAGMA read_uncommitted"), 0);
    assert_int_equal(conn_scalar(c, "PRAGMA query_only"), 0);
    sqlalc_conn_close(c);
}

static void test_autocommit_level(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(set_iso(c, "AUTOCOMMIT", 0));
    assert_code(set_iso(c, NULL, 1), SQLALC_ERR_ARGUMENT); /* readonly needs transactions */
    sqlalc_tx *tx, *sp;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_true(sqlalc_conn_in_transaction(c));
    assert_code(sqlalc_conn_begin_nested(c, &sp), SQLALC_ERR_NOT_SUPPORTED);
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO pool_t (id, name) VALUES (5, 'auto')", NULL, NULL));
    assert_ok(sqlalc_tx_rollback(tx)); /* nothing to roll back: it committed */
    assert_false(sqlalc_conn_in_transaction(c));
    sqlalc_conn_close(c);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pool_t WHERE id = 5"), 1);
    test_exec(eng, "DELETE FROM pool_t WHERE id = 5");
}

/* A raw BEGIN the engine did not see is rolled back when the connection
 * goes back to the pool (reset on return). */
static void test_reset_on_return(void **state)
{
    (void)state;
    if (test_via_odbc())
        return; /* ODBC drivers own the transaction state; a raw BEGIN confuses them */
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_execute_sql(c, "BEGIN", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO pool_t (id, name) VALUES (6, 'lost')", NULL, NULL));
    sqlalc_conn_close(c);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pool_t WHERE id = 6"), 0);
}

/* ------------------------------------------------------------------ */
/* Pool                                                                */
/* ------------------------------------------------------------------ */

static int is_thread_pool(void)
{
    return !strcmp(test_backend(), "sqlite_memory");
}

static sqlalc_engine *pool_engine(int size, int overflow, double timeout)
{
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = size;
    o.max_overflow = overflow;
    o.pool_timeout = timeout;
    o.pool_debug = 1;
    sqlalc_engine *e;
    if (sqlalc_engine_create(test_url(), &o, &e) != SQLALC_OK)
        fail_msg("engine_create: %s", sqlalc_errmsg());
    return e;
}

static void test_pool_limits_and_timeout(void **state)
{
    (void)state;
    if (is_thread_pool())
        return;
    sqlalc_engine *e = pool_engine(2, 1, 0.2);
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.kind, test_dialect_is("sqlite") && !test_via_odbc() ? SQLALC_POOL_EMBEDDED
                                                                            : SQLALC_POOL_QUEUE);
    sqlalc_conn *c[4];
    assert_ok(SQLALC_ENGINE_CONNECT(e, &c[0]));
    assert_ok(sqlalc_engine_connect(e, &c[1]));
    assert_ok(sqlalc_engine_connect_tagged(e, "job 42", &c[2]));
    double t0 = now_s();
    assert_code(sqlalc_engine_connect(e, &c[3]), SQLALC_ERR_TIMEOUT);
    double waited = now_s() - t0;
    assert_true(waited >= 0.15 && waited < 3.0);
    const char *msg = sqlalc_errmsg();
    assert_non_null(strstr(msg, "QueuePool limit of size 2 overflow 1 reached"));
    assert_non_null(strstr(msg, "3 checked out, 0 idle"));
    assert_non_null(strstr(msg, "suite_pool.c:"));
    assert_non_null(strstr(msg, "job 42"));
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.open, 3);
    assert_int_equal(st.checked_out, 3);
    assert_int_equal(st.overflow, 1);
    assert_int_equal(st.timeouts, 1);
    assert_int_equal(st.waits, 1);
    assert_int_equal(st.checkouts, 3);
    /* One back: the next checkout takes it at once. */
    sqlalc_conn_close(c[1]);
    assert_ok(sqlalc_engine_connect(e, &c[1]));
    for (int i = 0; i < 3; i++)
        sqlalc_conn_close(c[i]);
    /* The overflow connection closed; pool_size stay. */
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.open, 2);
    assert_int_equal(st.idle, 2);
    assert_int_equal(st.checked_out, 0);
    assert_int_equal(st.connects, 3);
    sqlalc_engine_free(e);

    /* max_overflow -1: no limit. */
    e = pool_engine(2, -1, 0.2);
    sqlalc_conn *many[6];
    for (int i = 0; i < 6; i++)
        assert_ok(sqlalc_engine_connect(e, &many[i]));
    for (int i = 0; i < 6; i++)
        sqlalc_conn_close(many[i]);
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.open, 2);
    sqlalc_engine_free(e);
}

typedef struct checkout_count {
    int n, in_tx, tagged;
} checkout_count;

static void count_checkout(void *ctx, const sqlalc_checkout_info *info)
{
    checkout_count *cc = ctx;
    cc->n++;
    cc->in_tx += info->in_transaction;
    cc->tagged += info->tag != NULL;
    assert_true(info->age >= 0);
}

static void test_pool_checkouts_listed(void **state)
{
    (void)state;
    sqlalc_engine *e = pool_engine(2, 2, 1);
    sqlalc_conn *a, *b;
    assert_ok(SQLALC_ENGINE_CONNECT(e, &a));
    assert_ok(sqlalc_engine_connect(e, &b));
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(b, &tx));
    checkout_count cc = { 0, 0, 0 };
    assert_ok(sqlalc_engine_pool_checkouts(e, count_checkout, &cc));
    assert_int_equal(cc.n, 2);
    assert_int_equal(cc.in_tx, is_thread_pool() ? 2 : 1); /* a thread's checkouts share one connection */
    assert_int_equal(cc.tagged, 1);
    assert_ok(sqlalc_tx_commit(tx));
    sqlalc_conn_close(a);
    sqlalc_conn_close(b);
    cc = (checkout_count){ 0, 0, 0 };
    assert_ok(sqlalc_engine_pool_checkouts(e, count_checkout, &cc));
    assert_int_equal(cc.n, 0);
    sqlalc_engine_free(e);
}

typedef struct holder {
    sqlalc_engine *eng;
    sqlalc_conn *conn;
    int rc;
    double waited;
} holder;

static void *take_conn(void *p)
{
    holder *h = p;
    double t0 = now_s();
    h->rc = sqlalc_engine_connect(h->eng, &h->conn);
    h->waited = now_s() - t0;
    return NULL;
}

/* A checkout waiting for a full pool gets the connection another thread returns. */
static void test_pool_waiter_is_woken(void **state)
{
    (void)state;
    if (is_thread_pool())
        return;
    sqlalc_engine *e = pool_engine(1, 0, 10);
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(e, &c));
    holder h = { e, NULL, -1, 0 };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, take_conn, &h), 0);
    sqlalc_pool_status st;
    for (int i = 0; i < 500; i++) {
        assert_ok(sqlalc_engine_pool_status(e, &st));
        if (st.waiting)
            break;
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
    }
    assert_int_equal(st.waiting, 1);
    sqlalc_conn_close(c);
    pthread_join(th, NULL);
    assert_ok(h.rc);
    assert_true(h.waited < 5);
    sqlalc_conn_close(h.conn);
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.waits, 1);
    assert_int_equal(st.timeouts, 0);
    assert_int_equal(st.connects, 1);
    sqlalc_engine_free(e);
}

/* Which driver connection a checkout got: PostgreSQL's backend pid, or a
 * number kept in a TEMP table that only that SQLite connection sees. */
static int64_t conn_ident(sqlalc_conn *c)
{
    static int64_t next = 1000;
    if (test_dialect_is("postgresql"))
        return conn_scalar(c, "SELECT pg_backend_pid()");
    sqlalc_result *res;
    sqlalc_value v;
    if (sqlalc_conn_execute_sql(c, "SELECT x FROM ident", NULL, &res) == SQLALC_OK) {
        assert_ok(sqlalc_result_scalar(res, &v));
        sqlalc_result_free(res);
        return v.u.i;
    }
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TEMP TABLE ident (x INTEGER)", NULL, NULL));
    int64_t id = ++next;
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO ident VALUES (:x)",
                                      SQLALC_PARAMS(SQLALC_P_INT("x", id)), NULL));
    return id;
}

static void test_pool_order_and_recycle(void **state)
{
    (void)state;
    if (is_thread_pool())
        return;
    int embedded = test_dialect_is("sqlite") && !test_via_odbc();
    for (int lifo = 0; lifo < 2; lifo++) {
        sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
        o.pool_size = 2;
        o.pool_use_lifo = lifo;
        sqlalc_engine *e;
        assert_ok(sqlalc_engine_create(test_url(), &o, &e));
        sqlalc_conn *a, *b;
        assert_ok(sqlalc_engine_connect(e, &a));
        assert_ok(sqlalc_engine_connect(e, &b));
        int64_t ia = conn_ident(a), ib = conn_ident(b);
        assert_true(ia != ib);
        sqlalc_conn_close(a);
        sqlalc_conn_close(b);
        assert_ok(sqlalc_engine_connect(e, &a));
        /* FIFO hands out the one returned first; LIFO (and SQLite files) the last. */
        assert_int_equal(conn_ident(a), lifo || embedded ? ib : ia);
        sqlalc_conn_close(a);
        sqlalc_engine_free(e);
    }

    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_recycle = 1.0; /* long enough for two checkouts on a loaded machine */
    sqlalc_engine *e;
    assert_ok(sqlalc_engine_create(test_url(), &o, &e));
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(e, &c));
    int64_t first = conn_ident(c);
    sqlalc_conn_close(c);
    assert_ok(sqlalc_engine_connect(e, &c));
    assert_int_equal(conn_ident(c), first); /* young enough */
    sqlalc_conn_close(c);
    struct timespec ts = { 1, 200000000 };
    nanosleep(&ts, NULL);
    assert_ok(sqlalc_engine_connect(e, &c));
    assert_true(conn_ident(c) != first);
    sqlalc_conn_close(c);
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.recycles, 1);
    assert_int_equal(st.connects, 2);
    sqlalc_engine_free(e);
}

static void test_pool_dispose(void **state)
{
    (void)state;
    if (is_thread_pool())
        return;
    sqlalc_engine *e = pool_engine(2, 2, 1);
    sqlalc_conn *a, *b;
    assert_ok(sqlalc_engine_connect(e, &a));
    assert_ok(sqlalc_engine_connect(e, &b));
    int64_t ia = conn_ident(a);
    sqlalc_conn_close(a);
    sqlalc_engine_dispose(e);
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.open, 1); /* the one still out */
    sqlalc_conn_close(b);         /* belongs to the old pool: closed */
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.open, 0);
    assert_ok(sqlalc_engine_connect(e, &a));
    assert_true(conn_ident(a) != ia);
    sqlalc_conn_close(a);
    sqlalc_engine_free(e);
}

/* The memory database: each thread has its own connection, kept. */
static void *memory_worker(void *p)
{
    sqlalc_engine *e = p;
    sqlalc_conn *c;
    if (sqlalc_engine_connect(e, &c) != SQLALC_OK)
        return (void *)1;
    /* A new thread sees a new, empty database. */
    int bad = sqlalc_conn_execute_sql(c, "SELECT count(*) FROM pool_t", NULL, NULL) == SQLALC_OK;
    sqlalc_conn_close(c);
    return bad ? (void *)1 : NULL;
}

static void test_thread_pool_memory(void **state)
{
    (void)state;
    if (!is_thread_pool())
        return;
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(eng, &st));
    assert_int_equal(st.kind, SQLALC_POOL_THREAD);
    pthread_t th;
    void *ret;
    assert_int_equal(pthread_create(&th, NULL, memory_worker, eng), 0);
    pthread_join(th, &ret);
    assert_null(ret);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pool_t"), 2); /* this thread's data stays */
}

/* ------------------------------------------------------------------ */
/* Invalidation                                                        */
/* ------------------------------------------------------------------ */

static void kill_backend(int64_t pid)
{
    sqlalc_engine *admin;
    assert_ok(sqlalc_engine_create(test_url(), NULL, &admin));
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(admin, "SELECT pg_terminate_backend(:p)",
                                        SQLALC_PARAMS(SQLALC_P_INT("p", pid)), &res));
    sqlalc_result_free(res);
    sqlalc_engine_free(admin);
    /* Wait for the backend to be gone. */
    for (int i = 0; i < 200; i++) {
        assert_ok(sqlalc_engine_create(test_url(), NULL, &admin));
        sqlalc_value v;
        assert_ok(sqlalc_engine_execute_sql(admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = :p",
                                            SQLALC_PARAMS(SQLALC_P_INT("p", pid)), &res));
        assert_ok(sqlalc_result_scalar(res, &v));
        sqlalc_result_free(res);
        sqlalc_engine_free(admin);
        if (v.u.i == 0)
            return;
        struct timespec ts = { 0, 10000000 };
        nanosleep(&ts, NULL);
    }
    fail_msg("backend %lld did not go", (long long)pid);
}

typedef struct ev_log {
    int counts[16];
    int64_t last_rowcount;
    double last_elapsed;
    int last_code;
    char last_sql[256];
    int nparams;
    char first_param_name[32];
    const char *refuse_connect; /* setup SQL that fails, or NULL */
} ev_log;

static int log_event(void *ctx, const sqlalc_event *ev)
{
    ev_log *l = ctx;
    l->counts[ev->kind]++;
    if (ev->sql)
        snprintf(l->last_sql, sizeof l->last_sql, "%s", ev->sql);
    if (ev->kind == SQLALC_EVENT_AFTER_EXECUTE) {
        l->last_rowcount = ev->rowcount;
        l->last_elapsed = ev->elapsed;
    }
    if (ev->kind == SQLALC_EVENT_BEFORE_EXECUTE) {
        l->nparams = ev->nparams;
        snprintf(l->first_param_name, sizeof l->first_param_name, "%s",
                 ev->nparams && ev->param_names && ev->param_names[0] ? ev->param_names[0] : "");
    }
    if (ev->kind == SQLALC_EVENT_ERROR || ev->kind == SQLALC_EVENT_INVALIDATE) {
        l->last_code = ev->code;
        assert_non_null(ev->error);
        assert_int_equal(ev->error->code, ev->code);
    }
    return SQLALC_OK;
}

static void test_invalidation_postgresql(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql"))
        return;
    sqlalc_engine *e = pool_engine(3, 0, 5);
    ev_log log;
    memset(&log, 0, sizeof log);
    assert_ok(sqlalc_event_listen(e, SQLALC_EVENT_MASK(SQLALC_EVENT_INVALIDATE), log_event, &log));
    sqlalc_conn *a, *b;
    assert_ok(sqlalc_engine_connect(e, &a));
    assert_ok(sqlalc_engine_connect(e, &b));
    int64_t pa = conn_ident(a), pb = conn_ident(b);
    sqlalc_conn_close(b); /* idle in the pool, still alive */

    /* a dies inside a transaction: reported as interrupted, not committed. */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(a, &tx));
    assert_ok(sqlalc_conn_execute_sql(a, "INSERT INTO pool_t (id, name) VALUES (3, 'half')", NULL, NULL));
    kill_backend(pa);
    assert_code(sqlalc_conn_execute_sql(a, "SELECT 1", NULL, NULL), SQLALC_ERR_DISCONNECT);
    assert_non_null(strstr(sqlalc_errmsg(), "transaction was interrupted"));
    assert_true(sqlalc_conn_invalidated(a));
    assert_code(sqlalc_tx_commit(tx), SQLALC_ERR_DISCONNECT);
    assert_non_null(strstr(sqlalc_errmsg(), "nothing of it was committed"));
    sqlalc_conn_close(a);
    assert_int_equal(log.counts[SQLALC_EVENT_INVALIDATE], 1);
    assert_int_equal(log.last_code, SQLALC_ERR_DISCONNECT);

    /* b was pooled before the disconnect: replaced at its checkout. */
    assert_ok(sqlalc_engine_connect(e, &b));
    assert_true(conn_ident(b) != pb);
    sqlalc_conn_close(b);
    assert_int_equal(test_scalar(e, "SELECT count(*) FROM pool_t WHERE id = 3"), 0);
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.invalidations, 1);
    sqlalc_engine_free(e);

    /* pre-ping: a dead idle connection is replaced before anyone sees it. */
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_pre_ping = 1;
    assert_ok(sqlalc_engine_create(test_url(), &o, &e));
    assert_ok(sqlalc_engine_connect(e, &a));
    pa = conn_ident(a);
    sqlalc_conn_close(a);
    kill_backend(pa);
    assert_ok(sqlalc_engine_connect(e, &a));
    assert_true(conn_ident(a) != pa);
    sqlalc_conn_close(a);
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.invalidations, 1);
    sqlalc_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* Session setup on connect: a TEMP table (SQLite) / a setting (PostgreSQL). */
static int on_connect(void *ctx, const sqlalc_event *ev)
{
    ev_log *l = ctx;
    l->counts[ev->kind]++;
    const char *sql = l->refuse_connect               ? l->refuse_connect
                      : test_dialect_is("postgresql") ? "SET application_name = 'sqlalc_events'"
                                                      : "CREATE TEMP TABLE setup_done (x INTEGER)";
    return sqlalc_conn_execute_sql(ev->conn, sql, NULL, NULL);
}

static void test_events(void **state)
{
    (void)state;
    sqlalc_engine *e = pool_engine(2, 2, 5);
    ev_log log, cl;
    memset(&log, 0, sizeof log);
    memset(&cl, 0, sizeof cl);
    assert_ok(sqlalc_event_listen(e, SQLALC_EVENT_MASK(SQLALC_EVENT_CONNECT), on_connect, &cl));
    if (is_thread_pool()) {
        /* A new memory database (this thread's connection): give it the table. */
        test_exec(e, "CREATE TABLE pool_t (id INTEGER PRIMARY KEY, name VARCHAR(20))");
        test_exec(e, "INSERT INTO pool_t (id, name) VALUES (1, 'one'), (2, 'two')");
    }
    unsigned all = SQLALC_EVENT_ALL & ~SQLALC_EVENT_MASK(SQLALC_EVENT_CONNECT);
    assert_ok(sqlalc_event_listen(e, all, log_event, &log));
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(e, &c));
    assert_int_equal(cl.counts[SQLALC_EVENT_CONNECT], 1);
    assert_int_equal(log.counts[SQLALC_EVENT_CHECKOUT], 1);
    if (test_dialect_is("postgresql")) {
        sqlalc_result *res;
        const sqlalc_row *row;
        assert_ok(sqlalc_conn_execute_sql(c, "SELECT current_setting('application_name')", NULL, &res));
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        assert_string_equal(sqlalc_row_text(row, 0), "sqlalc_events");
        sqlalc_result_free(res);
    } else
        assert_int_equal(conn_scalar(c, "SELECT count(*) FROM setup_done"), 0);
    /* Statement text, named parameters, rowcount, elapsed. */
    memset(log.counts, 0, sizeof log.counts);
    assert_ok(sqlalc_conn_execute_sql(c, "UPDATE pool_t SET name = name WHERE id >= :low",
                                      SQLALC_PARAMS(SQLALC_P_INT("low", 1)), NULL));
    assert_int_equal(log.counts[SQLALC_EVENT_BEFORE_EXECUTE], 1);
    assert_int_equal(log.counts[SQLALC_EVENT_AFTER_EXECUTE], 1);
    assert_non_null(strstr(log.last_sql, "UPDATE pool_t SET name = name WHERE id >= "));
    assert_int_equal(log.nparams, 1);
    assert_string_equal(log.first_param_name, "low");
    assert_int_equal(log.last_rowcount, 2);
    assert_true(log.last_elapsed >= 0 && log.last_elapsed < 10);
    /* An error carries its classified code. */
    assert_code(sqlalc_conn_execute_sql(c, "SELECT * FROM no_such_table", NULL, NULL),
                SQLALC_ERR_PROGRAMMING);
    assert_int_equal(log.counts[SQLALC_EVENT_ERROR], 1);
    assert_int_equal(log.last_code, SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "no_such_table")); /* the listener kept the error */
    /* Transactions. */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_tx_commit(tx));
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_tx_rollback(tx));
    assert_int_equal(log.counts[SQLALC_EVENT_BEGIN], 2);
    assert_int_equal(log.counts[SQLALC_EVENT_COMMIT], 1);
    assert_int_equal(log.counts[SQLALC_EVENT_ROLLBACK], 1);
    /* executemany: one event with the set count. */
    sqlalc_params sets[] = { { 1, (sqlalc_param[]){ SQLALC_P_INT("id", 1) } },
                             { 1, (sqlalc_param[]){ SQLALC_P_INT("id", 2) } } };
    assert_ok(sqlalc_conn_execute_sql_many(c, "UPDATE pool_t SET name = name WHERE id = :id", sets, 2, NULL));
    assert_int_equal(log.last_rowcount, 2);
    sqlalc_conn_close(c);
    assert_int_equal(log.counts[SQLALC_EVENT_CHECKIN], 1);
    /* The pooled connection comes back without a new CONNECT. */
    assert_ok(sqlalc_engine_connect(e, &c));
    assert_int_equal(cl.counts[SQLALC_EVENT_CONNECT], 1);
    sqlalc_conn_close(c);
    /* Removing. */
    assert_ok(sqlalc_event_remove(e, SQLALC_EVENT_ALL, log_event, &log));
    assert_code(sqlalc_event_remove(e, SQLALC_EVENT_ALL, log_event, &log), SQLALC_ERR_NOT_FOUND);
    memset(log.counts, 0, sizeof log.counts);
    assert_ok(sqlalc_engine_execute_sql(e, "SELECT 1", NULL, NULL));
    assert_int_equal(log.counts[SQLALC_EVENT_BEFORE_EXECUTE], 0);
    sqlalc_engine_free(e);

    /* A CONNECT listener that fails refuses the connection. */
    if (is_thread_pool())
        return;
    e = pool_engine(2, 2, 5);
    memset(&cl, 0, sizeof cl);
    cl.refuse_connect = "SELECT * FROM setup_table_missing";
    assert_ok(sqlalc_event_listen(e, SQLALC_EVENT_MASK(SQLALC_EVENT_CONNECT), on_connect, &cl));
    assert_code(sqlalc_engine_connect(e, &c), SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "setup_table_missing"));
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(e, &st));
    assert_int_equal(st.open, 0);
    assert_int_equal(st.checked_out, 0);
    sqlalc_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_options_checked),
        cmocka_unit_test(test_no_compiled_cache),
        cmocka_unit_test(test_statement_timeout),
        cmocka_unit_test(test_isolation_levels_postgresql),
        cmocka_unit_test(test_isolation_sqlite_begin_modes),
        cmocka_unit_test(test_autocommit_level),
        cmocka_unit_test(test_reset_on_return),
        cmocka_unit_test(test_pool_limits_and_timeout),
        cmocka_unit_test(test_pool_checkouts_listed),
        cmocka_unit_test(test_pool_waiter_is_woken),
        cmocka_unit_test(test_pool_order_and_recycle),
        cmocka_unit_test(test_pool_dispose),
        cmocka_unit_test(test_thread_pool_memory),
        cmocka_unit_test(test_invalidation_postgresql),
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

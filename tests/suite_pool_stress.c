/*
 * Pool stress (issue 12): 16 threads x 2,000 checkouts through one engine
 * with pool_size=4, max_overflow=4, mixing queries, committed and
 * rolled-back transactions, engine-level execution and serializable
 * read-modify-write with retries.  Checks:
 *  - no lost writes: the counter ends at exactly the number of committed
 *    increments, the log table holds exactly the committed rows;
 *  - no leaked connections: the pool reports nothing checked out and
 *    pool_size open; on PostgreSQL pg_stat_activity (this run's sessions,
 *    told apart by application_name) never shows more than 8 and ends at 4;
 *  - every checkout counted;
 * and one expression statement shared by every thread (its compiled form
 * cached on it once and read concurrently, the shape cache filled by
 * statements the threads build) returns the right rows.
 * Runs on PostgreSQL and on an SQLite file in WAL mode (ODBC backends run
 * the same workload with fewer checkouts: their drivers are slower).  The
 * in-memory SQLite backend keeps one connection per thread, so there is no
 * shared counter: each thread counts in its own database instead.
 * scripts/test runs this under ThreadSanitizer too.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"

enum { THREADS = 16, POOL_SIZE = 4, MAX_OVERFLOW = 4 };

static char url[1024];
static char app_name[64];
static int checkouts_per_thread = 2000;

typedef struct worker {
    sqlalc_engine *eng;
    int id;
    int64_t increments; /* committed +1s */
    int64_t logged;     /* committed log rows */
    int64_t checkouts;
    int retries;
    char failure[512];
} worker;

static void failf(worker *w, const char *what, int rc)
{
    if (!w->failure[0])
        snprintf(w->failure, sizeof w->failure, "thread %d: %s -> %s: %s", w->id, what, sqlalc_code_name(rc),
                 sqlalc_errmsg());
}

#define TRY(w, call)                \
    do {                            \
        int rc_ = (call);           \
        if (rc_ != SQLALC_OK) {     \
            failf((w), #call, rc_); \
            goto done;              \
        }                           \
    } while (0)

static int sqlite_backend(void)
{
    return test_dialect_is("sqlite");
}

/* One read-modify-write that must not lose an update: SERIALIZABLE on
 * PostgreSQL (retried on serialization failures), BEGIN IMMEDIATE on
 * SQLite (writers queue at BEGIN). */
static int rmw(worker *w, sqlalc_conn *c)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        sqlalc_tx *tx;
        int rc = sqlalc_conn_begin(c, &tx);
        sqlalc_result *res = NULL;
        sqlalc_value v;
        /* Through sqliteodbc there is no BEGIN IMMEDIATE: a write first takes
         * the lock the same way (a read first would hold a snapshot that a
         * concurrent commit makes stale). */
        if (rc == SQLALC_OK && sqlite_backend() && test_via_odbc())
            rc = sqlalc_conn_execute_sql(c, "UPDATE stress_counter SET n = n WHERE id = 1", NULL, NULL);
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_sql(c, "SELECT n FROM stress_counter WHERE id = 1", NULL, &res);
        if (rc == SQLALC_OK) {
            rc = sqlalc_result_scalar_one(res, &v);
            sqlalc_result_free(res);
        }
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_sql(c, "UPDATE stress_counter SET n = :n WHERE id = 1",
                                         SQLALC_PARAMS(SQLALC_P_INT("n", v.u.i + 1)), NULL);
        if (rc == SQLALC_OK) {
            rc = sqlalc_tx_commit(tx);
            tx = NULL;
        }
        if (rc == SQLALC_OK) {
            w->increments++;
            return SQLALC_OK;
        }
        if (tx)
            sqlalc_tx_rollback(tx);
        if (!sqlalc_error_is_retryable(sqlalc_error_last()))
            return rc;
        w->retries++;
    }
    return SQLALC_ERR_SERIALIZATION; /* 100 attempts failed; the last error says why */
}

static void *work(void *p)
{
    worker *w = p;
    sqlalc_execution_options rmw_opts = { .version = SQLALC_EXECUTION_OPTIONS_VERSION,
                                          .isolation_level = sqlite_backend() && !test_via_odbc()
                                                                 ? "IMMEDIATE"
                                                                 : "SERIALIZABLE" };
    for (int i = 0; i < checkouts_per_thread; i++) {
        sqlalc_conn *c = NULL;
        if (i % 5 == 2) {
            /* Engine-level execution checks out and returns by itself. */
            sqlalc_result *res;
            sqlalc_value v;
            TRY(w,
                sqlalc_engine_execute_sql(w->eng, "SELECT n FROM stress_counter WHERE id = 1", NULL, &res));
            int rc = sqlalc_result_scalar_one(res, &v);
            sqlalc_result_free(res);
            TRY(w, rc);
            w->checkouts++;
            continue;
        }
        TRY(w, SQLALC_ENGINE_CONNECT(w->eng, &c));
        w->checkouts++;
        sqlalc_tx *tx;
        switch (i % 5) {
        case 0: /* committed increment + log row */
            TRY(w, sqlalc_conn_begin(c, &tx));
            TRY(w,
                sqlalc_conn_execute_sql(c, "UPDATE stress_counter SET n = n + 1 WHERE id = 1", NULL, NULL));
            TRY(w,
                sqlalc_conn_execute_sql(c, "INSERT INTO stress_log (who, seq) VALUES (:w, :s)",
                                        SQLALC_PARAMS(SQLALC_P_INT("w", w->id), SQLALC_P_INT("s", i)), NULL));
            TRY(w, sqlalc_tx_commit(tx));
            w->increments++;
            w->logged++;
            break;
        case 1: { /* a read */
            sqlalc_result *res;
            sqlalc_value v;
            TRY(w, sqlalc_conn_execute_sql(c, "SELECT count(*) FROM stress_log WHERE who = :w",
                                           SQLALC_PARAMS(SQLALC_P_INT("w", w->id)), &res));
            int rc = sqlalc_result_scalar_one(res, &v);
            sqlalc_result_free(res);
            TRY(w, rc);
            if (v.u.i != w->logged) {
                failf(w, "own committed rows visible", SQLALC_ERR_DATA);
                goto done;
            }
            break;
        }
        case 3: /* rolled back: must leave no trace */
            TRY(w, sqlalc_conn_begin(c, &tx));
            TRY(w, sqlalc_conn_execute_sql(c, "UPDATE stress_counter SET n = n + 1000 WHERE id = 1", NULL,
                                           NULL));
            TRY(w, sqlalc_tx_rollback(tx));
            break;
        case 4: /* left open: the pool's reset on return rolls it back */
            if (i % 10 == 4) {
                TRY(w, sqlalc_conn_begin(c, &tx));
                TRY(w, sqlalc_conn_execute_sql(c, "UPDATE stress_counter SET n = n + 1000000 WHERE id = 1",
                                               NULL, NULL));
                sqlalc_conn_close(c); /* tx handle ends with the connection */
                c = NULL;
                sqlalc_tx_rollback(tx);
            } else {
                TRY(w, sqlalc_conn_set_execution_options(c, &rmw_opts));
                TRY(w, rmw(w, c));
            }
            break;
        }
        sqlalc_conn_close(c);
        c = NULL;
        continue;
    done:
        sqlalc_conn_close(c);
        break;
    }
    return NULL;
}

/* PostgreSQL: the most sessions of this run the server ever showed. */
typedef struct monitor {
    atomic_int stop;
    int max_seen;
    int last;
    char failure[256];
} monitor;

static int count_sessions(sqlalc_conn *c, int *out)
{
    sqlalc_result *res;
    sqlalc_value v;
    int rc = sqlalc_conn_execute_sql(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a",
                                     SQLALC_PARAMS(SQLALC_P_TEXT("a", app_name)), &res);
    if (rc == SQLALC_OK) {
        rc = sqlalc_result_scalar_one(res, &v);
        sqlalc_result_free(res);
    }
    if (rc == SQLALC_OK)
        *out = (int)v.u.i;
    return rc;
}

/* The monitor's own session carries another application_name. */
static sqlalc_engine *monitor_engine(char *err, size_t n)
{
    char murl[1024];
    const char *base = test_url();
    snprintf(murl, sizeof murl, "%s%sapplication_name=%s_monitor", base, strchr(base, '?') ? "&" : "?",
             app_name);
    sqlalc_engine *e = NULL;
    if (sqlalc_engine_create(murl, NULL, &e) != SQLALC_OK)
        snprintf(err, n, "monitor engine: %s", sqlalc_errmsg());
    return e;
}

static void *watch(void *p)
{
    monitor *m = p;
    sqlalc_engine *e = monitor_engine(m->failure, sizeof m->failure);
    sqlalc_conn *c;
    if (!e)
        return NULL;
    if (sqlalc_engine_connect(e, &c) != SQLALC_OK) {
        snprintf(m->failure, sizeof m->failure, "monitor: %s", sqlalc_errmsg());
        sqlalc_engine_free(e);
        return NULL;
    }
    while (!atomic_load(&m->stop)) {
        int n;
        if (count_sessions(c, &n) != SQLALC_OK) {
            snprintf(m->failure, sizeof m->failure, "monitor: %s", sqlalc_errmsg());
            break;
        }
        if (n > m->max_seen)
            m->max_seen = n;
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
    }
    sqlalc_conn_close(c);
    sqlalc_engine_free(e);
    return NULL;
}

static void run_stress(sqlalc_engine *eng, int shared_counter)
{
    int pg = test_dialect_is("postgresql") && !test_via_odbc();
    monitor m;
    memset(&m, 0, sizeof m);
    pthread_t mon;
    if (pg)
        assert_int_equal(pthread_create(&mon, NULL, watch, &m), 0);
    worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].eng = eng;
        w[i].id = i;
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    int64_t increments = 0, logged = 0, checkouts = 0;
    int retries = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failure[0])
            fail_msg("%s", w[i].failure);
        increments += w[i].increments;
        logged += w[i].logged;
        checkouts += w[i].checkouts;
        retries += w[i].retries;
    }
    if (pg) {
        atomic_store(&m.stop, 1);
        pthread_join(mon, NULL);
        if (m.failure[0])
            fail_msg("%s", m.failure);
    }
    assert_int_equal(checkouts, (int64_t)THREADS * checkouts_per_thread);
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(eng, &st));
    printf("# %s: %lld checkouts, %lld increments, %d retries; pool: %d open, %d idle, %llu waits, "
           "%llu timeouts, %llu connects; server sessions max %d\n",
           test_backend(), (long long)checkouts, (long long)increments, retries, st.open, st.idle,
           (unsigned long long)st.waits, (unsigned long long)st.timeouts, (unsigned long long)st.connects,
           m.max_seen);
    assert_int_equal(st.checked_out, 0);
    assert_int_equal(st.waiting, 0);
    assert_int_equal(st.timeouts, 0);
    assert_true(st.open <= POOL_SIZE);
    assert_true(st.checkouts >= (uint64_t)checkouts);
    if (st.kind != SQLALC_POOL_THREAD) {
        assert_int_equal(st.open, POOL_SIZE); /* back to pool_size: overflow closed */
        assert_true(st.connects <= st.checkouts);
    }
    if (shared_counter) {
        assert_int_equal(test_scalar(eng, "SELECT n FROM stress_counter WHERE id = 1"), increments);
        assert_int_equal(test_scalar(eng, "SELECT count(*) FROM stress_log"), logged);
    }
    if (pg) {
        assert_true(m.max_seen > 0);
        assert_true(m.max_seen <= POOL_SIZE + MAX_OVERFLOW);
        char err[256] = "";
        sqlalc_engine *me = monitor_engine(err, sizeof err);
        if (!me)
            fail_msg("%s", err);
        sqlalc_conn *c;
        assert_ok(sqlalc_engine_connect(me, &c));
        int now = -1;
        assert_ok(count_sessions(c, &now));
        assert_int_equal(now, POOL_SIZE);
        sqlalc_conn_close(c);
        sqlalc_engine_free(me);
    }
}

static void make_tables(sqlalc_engine *eng)
{
    test_exec_quiet(eng, "DROP TABLE stress_counter");
    test_exec_quiet(eng, "DROP TABLE stress_log");
    test_exec(eng, "CREATE TABLE stress_counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
    test_exec(eng, "INSERT INTO stress_counter (id, n) VALUES (1, 0)");
    test_exec(eng, "CREATE TABLE stress_log (who INTEGER NOT NULL, seq INTEGER NOT NULL)");
}

/* sqlite://: every thread has its own database, kept across its checkouts. */
typedef struct mem_worker {
    sqlalc_engine *eng;
    int id;
    char failure[512];
} mem_worker;

static void *work_memory(void *p)
{
    mem_worker *w = p;
    sqlalc_conn *c = NULL;
    int rc = sqlalc_engine_connect(w->eng, &c);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute_sql(c, "CREATE TABLE mine (n INTEGER)", NULL, NULL);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute_sql(c, "INSERT INTO mine VALUES (0)", NULL, NULL);
    sqlalc_conn_close(c);
    for (int i = 0; i < checkouts_per_thread && rc == SQLALC_OK; i++) {
        rc = sqlalc_engine_connect(w->eng, &c);
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_sql(c, "UPDATE mine SET n = n + 1", NULL, NULL);
        sqlalc_conn_close(c);
    }
    sqlalc_result *res;
    sqlalc_value v = SQLALC_NULLV;
    if (rc == SQLALC_OK &&
        (rc = sqlalc_engine_execute_sql(w->eng, "SELECT n FROM mine", NULL, &res)) == SQLALC_OK) {
        rc = sqlalc_result_scalar_one(res, &v);
        sqlalc_result_free(res);
    }
    if (rc != SQLALC_OK)
        snprintf(w->failure, sizeof w->failure, "thread %d: %s", w->id, sqlalc_errmsg());
    else if (v.u.i != checkouts_per_thread)
        snprintf(w->failure, sizeof w->failure, "thread %d: counted %lld", w->id, (long long)v.u.i);
    return NULL;
}

static void run_memory(sqlalc_engine *eng)
{
    mem_worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].eng = eng;
        w[i].id = i;
        assert_int_equal(pthread_create(&th[i], NULL, work_memory, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failure[0])
            fail_msg("%s", w[i].failure);
    }
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(eng, &st));
    assert_int_equal(st.checked_out, 0);
    assert_int_equal(st.connects, THREADS);
    /* Threads that are gone never lend their database to new threads. */
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT n FROM mine", NULL, NULL), SQLALC_ERR_PROGRAMMING);
}

/* The URL of this run: PostgreSQL sessions tagged with an application
 * name of their own; SQLite files in WAL mode. */
static int setup(void **state)
{
    (void)state;
    const char *base = test_url();
    snprintf(app_name, sizeof app_name, "sqlalc_stress_%ld", (long)getpid());
    const char *sep = strchr(base, '?') ? "&" : "?";
    if (test_dialect_is("postgresql") && !test_via_odbc())
        snprintf(url, sizeof url, "%s%sapplication_name=%s", base, sep, app_name);
    else if (sqlite_backend() && !test_via_odbc() && strlen(base) > strlen("sqlite://"))
        snprintf(url, sizeof url, "%s%sjournal_mode=wal&synchronous=normal&busy_timeout=60000", base, sep);
    else if (sqlite_backend() && test_via_odbc())
        /* sqliteodbc's own attributes: WAL, and a writer waits (ms) for the lock. */
        snprintf(url, sizeof url, "%s%sJournalMode=WAL&Timeout=20000&SyncPragma=NORMAL", base, sep);
    else
        snprintf(url, sizeof url, "%s", base);
    if (test_via_odbc()) /* slower drivers: fewer checkouts */
        checkouts_per_thread = 200;
    const char *env = getenv("SQLALC_STRESS_CHECKOUTS");
    if (env && atoi(env) > 0)
        checkouts_per_thread = atoi(env);
    return 0;
}

static void test_stress(void **state)
{
    (void)state;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = POOL_SIZE;
    o.max_overflow = MAX_OVERFLOW;
    o.pool_timeout = 120;
    o.pool_debug = 1;
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create(url, &o, &eng));
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(eng, &st));
    if (st.kind == SQLALC_POOL_THREAD) {
        run_memory(eng);
        sqlalc_engine_free(eng);
        return;
    }
    if (sqlite_backend() && !test_via_odbc()) {
        sqlalc_result *res;
        const sqlalc_row *row;
        assert_ok(sqlalc_engine_execute_sql(eng, "PRAGMA journal_mode", NULL, &res));
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        assert_string_equal(sqlalc_row_text(row, 0), "wal");
        sqlalc_result_free(res);
    }
    make_tables(eng);
    run_stress(eng, 1);
    test_exec(eng, "DROP TABLE stress_counter");
    test_exec(eng, "DROP TABLE stress_log");
    sqlalc_engine_free(eng);
}

/* ------------------------------------------------------------------ */
/* One expression statement shared by every thread                     */
/* ------------------------------------------------------------------ */

enum { SHARED_ROWS = 50, SHARED_ITERS = 300 };

typedef struct stmt_worker {
    sqlalc_engine *eng;
    sqlalc_stmt *shared; /* executed by every thread: compiled once, cached on it */
    sqlalc_table *table;
    int own_table; /* sqlite://: each thread fills its own database */
    int id;
    char failure[512];
} stmt_worker;

static int fill_shared(sqlalc_conn *c)
{
    int rc = sqlalc_conn_execute_sql(c, "CREATE TABLE shared_t (id INTEGER PRIMARY KEY, name VARCHAR(20))",
                                     NULL, NULL);
    for (int i = 1; i <= SHARED_ROWS && rc == SQLALC_OK; i++) {
        char name[20];
        snprintf(name, sizeof name, "n%d", i);
        rc = sqlalc_conn_execute_sql(c, "INSERT INTO shared_t (id, name) VALUES (:i, :n)",
                                     SQLALC_PARAMS(SQLALC_P_INT("i", i), SQLALC_P_TEXT("n", name)), NULL);
    }
    return rc;
}

/* The name the statement found for id k, checked. */
static int expect_name(sqlalc_conn *c, sqlalc_stmt *q, const sqlalc_params *ov, int k, char *failure,
                       size_t n)
{
    sqlalc_result *res;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute(c, q, ov, &res);
    if (rc != SQLALC_OK) {
        snprintf(failure, n, "execute: %s", sqlalc_errmsg());
        return rc;
    }
    char want[20];
    snprintf(want, sizeof want, "n%d", k);
    if (sqlalc_result_next(res, &row) != SQLALC_ROW || strcmp(sqlalc_row_text(row, 0), want)) {
        snprintf(failure, n, "id %d: wrong row", k);
        rc = SQLALC_ERR_DATA;
    }
    sqlalc_result_free(res);
    return rc;
}

static void *stmt_work(void *p)
{
    stmt_worker *w = p;
    sqlalc_conn *c = NULL;
    if (w->own_table && (sqlalc_engine_connect(w->eng, &c) != SQLALC_OK || fill_shared(c) != SQLALC_OK)) {
        snprintf(w->failure, sizeof w->failure, "fill: %s", sqlalc_errmsg());
        sqlalc_conn_close(c);
        return NULL;
    }
    sqlalc_conn_close(c);
    for (int i = 0; i < SHARED_ITERS && !w->failure[0]; i++) {
        int k = 1 + (w->id * 7 + i) % SHARED_ROWS;
        if (sqlalc_engine_connect(w->eng, &c) != SQLALC_OK) {
            snprintf(w->failure, sizeof w->failure, "connect: %s", sqlalc_errmsg());
            break;
        }
        expect_name(c, w->shared, SQLALC_PARAMS(SQLALC_P_INT("id_1", k)), k, w->failure, sizeof w->failure);
        if (i % 10 == 0 && !w->failure[0]) {
            /* A statement of the same shape built here: the shape cache. */
            sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_c(w->table, "name")),
                                           sqlalc_eq(sqlalc_c(w->table, "id"), sqlalc_int(k)));
            if (!q)
                snprintf(w->failure, sizeof w->failure, "build: %s", sqlalc_errmsg());
            else
                expect_name(c, q, NULL, k, w->failure, sizeof w->failure);
            sqlalc_stmt_free(q);
        }
        sqlalc_conn_close(c);
    }
    return NULL;
}

static void test_shared_statement(void **state)
{
    (void)state;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = POOL_SIZE;
    o.max_overflow = MAX_OVERFLOW;
    o.pool_timeout = 120;
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create(url, &o, &eng));
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(eng, &st));
    int own = st.kind == SQLALC_POOL_THREAD;
    if (!own) {
        test_exec_quiet(eng, "DROP TABLE shared_t");
        sqlalc_conn *c;
        assert_ok(sqlalc_engine_connect(eng, &c));
        assert_ok(fill_shared(c));
        sqlalc_conn_close(c);
    }
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t =
        sqlalc_table_new(md, "shared_t", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0));
    assert_non_null(t);
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(sqlalc_c(t, "name")), sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(1)));
    assert_non_null(q);
    stmt_worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (stmt_worker){ eng, q, t, own, i, "" };
        assert_int_equal(pthread_create(&th[i], NULL, stmt_work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failure[0])
            fail_msg("thread %d: %s", i, w[i].failure);
    }
    sqlalc_stmt_free(q);
    sqlalc_metadata_free(md);
    if (!own)
        test_exec(eng, "DROP TABLE shared_t");
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress),
        cmocka_unit_test(test_shared_statement),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, NULL);
}

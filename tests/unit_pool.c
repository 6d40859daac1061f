/*
 * Pool behaviour on SQLite: connections are reused (pool_size) or closed
 * (pool_size 0); a memory database keeps one connection per thread; an
 * engine is shared by threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"

static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/sqlalc_unit_pool_%ld.db", (long)getpid());
    remove(path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove(path);
    return 0;
}

/* A TEMP table lives only in its connection: seeing it again after a
 * checkout means the same driver connection came back. */
static int temp_table_survives(int pool_size)
{
    char url[300];
    snprintf(url, sizeof url, "sqlite:///%s", path);
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = pool_size;
    sqlalc_engine *eng;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_create(url, &o, &eng));
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TEMP TABLE marker (x INTEGER)", NULL, NULL));
    sqlalc_conn_close(c);
    assert_ok(sqlalc_engine_connect(eng, &c));
    int rc = sqlalc_conn_execute_sql(c, "SELECT * FROM marker", NULL, NULL);
    sqlalc_conn_close(c);
    sqlalc_engine_free(eng);
    return rc == SQLALC_OK;
}

static void test_pool_reuses_connections(void **state)
{
    (void)state;
    assert_true(temp_table_survives(5));
    assert_false(temp_table_survives(0));
}

static void test_dispose_closes_idle(void **state)
{
    (void)state;
    char url[300];
    snprintf(url, sizeof url, "sqlite:///%s", path);
    sqlalc_engine *eng;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_create(url, NULL, &eng));
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TEMP TABLE marker (x INTEGER)", NULL, NULL));
    sqlalc_conn_close(c);
    sqlalc_engine_dispose(eng);
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_code(sqlalc_conn_execute_sql(c, "SELECT * FROM marker", NULL, NULL), SQLALC_ERR_PROGRAMMING);
    sqlalc_conn_close(c);
    sqlalc_engine_free(eng);
}

static void test_memory_db_survives_checkouts(void **state)
{
    (void)state;
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create("sqlite://", NULL, &eng));
    assert_ok(sqlalc_engine_execute_sql(eng, "CREATE TABLE m (x INTEGER)", NULL, NULL));
    assert_ok(sqlalc_engine_execute_sql(eng, "INSERT INTO m VALUES (1)", NULL, NULL));
    sqlalc_conn *a, *b;
    assert_ok(sqlalc_engine_connect(eng, &a));
    assert_ok(sqlalc_engine_connect(eng, &b)); /* same thread: the same database */
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(b, "SELECT count(*) FROM m", NULL, &res));
    int64_t n;
    n = test_result_int64(res);
    assert_int_equal(n, 1);
    sqlalc_conn_close(a);
    sqlalc_conn_close(b);
    sqlalc_engine_free(eng);
}

typedef struct {
    sqlalc_engine *eng;
    int id;
    int ok;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    w->ok = 1;
    for (int i = 0; i < 50 && w->ok; i++) {
        sqlalc_conn *c;
        if (sqlalc_engine_connect(w->eng, &c) != SQLALC_OK) {
            w->ok = 0;
            break;
        }
        if (sqlalc_conn_execute_sql(c, "INSERT INTO shared (who, n) VALUES (:w, :n)",
                                    SQLALC_PARAMS(SQLALC_P_INT("w", w->id), SQLALC_P_INT("n", i)),
                                    NULL) != SQLALC_OK)
            w->ok = 0;
        sqlalc_result *res = NULL;
        sqlalc_value cnt;
        if (w->ok && (sqlalc_conn_execute_sql(c, "SELECT count(*) FROM shared WHERE who = :w",
                                              SQLALC_PARAMS(SQLALC_P_INT("w", w->id)), &res) != SQLALC_OK ||
                      sqlalc_result_scalar_one(res, &cnt) != SQLALC_OK || cnt.u.i != i + 1))
            w->ok = 0;
        sqlalc_result_free(res);
        sqlalc_conn_close(c);
    }
    return NULL;
}

static void test_engine_shared_by_threads(void **state)
{
    (void)state;
    char url[300];
    snprintf(url, sizeof url, "sqlite:///%s?journal_mode=wal&busy_timeout=10000", path);
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create(url, NULL, &eng));
    assert_ok(sqlalc_engine_execute_sql(eng, "CREATE TABLE shared (who INTEGER, n INTEGER)", NULL, NULL));
    enum { T = 4 };
    pthread_t th[T];
    worker_arg args[T];
    for (int i = 0; i < T; i++) {
        args[i] = (worker_arg){ eng, i, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, worker, &args[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        assert_true(args[i].ok);
    }
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM shared"), T * 50);
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pool_reuses_connections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispose_closes_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_db_survives_checkouts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine_shared_by_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

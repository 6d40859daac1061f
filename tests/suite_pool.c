/*
 * Execution options, isolation levels, the pool and events, on every
 * backend (SQLite memory and file, PostgreSQL, ODBC).
 */
#define _POSIX_C_SOURCE 200809L
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_options_checked),
        cmocka_unit_test(test_no_compiled_cache),
        cmocka_unit_test(test_statement_timeout),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

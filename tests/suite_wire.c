/*
 * Conformance: what the engine asks of the wire on every backend.  The
 * SQL for transactions, savepoints and the last inserted id comes from the
 * dialect; the driver only runs it (or uses its own transaction API).
 */
#include <string.h>
#include "testutil.h"

static sqlalc_engine *eng;

static int setup(void **state)
{
    (void)state;
    eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE w_items");
    test_exec(eng, "CREATE TABLE w_items (id INTEGER PRIMARY KEY, name VARCHAR(20))");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE w_items");
    sqlalc_engine_free(eng);
    return 0;
}

static void clear(void)
{
    test_exec(eng, "DELETE FROM w_items");
}

static int64_t count(sqlalc_conn *c)
{
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT count(*) FROM w_items", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    int64_t n = sqlalc_row_int64(row, 0);
    sqlalc_result_free(res);
    return n;
}

/* Savepoints nest through the dialect's statements on every backend. */
static void test_savepoints_nest(void **state)
{
    (void)state;
    clear();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_tx *tx, *a, *b;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (1, 'one')", NULL, NULL));
    assert_ok(sqlalc_conn_begin_nested(c, &a));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (2, 'two')", NULL, NULL));
    assert_ok(sqlalc_conn_begin_nested(c, &b));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (3, 'three')", NULL, NULL));
    assert_ok(sqlalc_tx_rollback(b));
    assert_int_equal(count(c), 2);
    assert_ok(sqlalc_tx_commit(a));
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(count(c), 2);
    /* A failed statement inside a savepoint: rolling back to it keeps the rest. */
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_begin_nested(c, &a));
    assert_code(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (1, 'dup')", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    assert_ok(sqlalc_tx_rollback(a));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (4, 'four')", NULL, NULL));
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(count(c), 3);
    sqlalc_conn_close(c);
}

/* The last inserted id: the driver's own (sqlite3) or the dialect's query
 * (ODBC, PostgreSQL).  Asking where there is none leaves the caller's
 * transaction usable, even where a failed statement aborts it. */
static void test_last_insert_id(void **state)
{
    (void)state;
    clear();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (41, 'x')", NULL, &res));
    int64_t id = 0;
    int rc = sqlalc_result_last_insert_id(res, &id);
    if (test_dialect_is("sqlite")) {
        assert_int_equal(rc, SQLALC_OK);
        assert_int_equal(id, 41);
    } else if (test_dialect_is("postgresql")) {
        /* no sequence was used in this session */
        assert_int_equal(rc, SQLALC_ERR_NOT_SUPPORTED);
    }
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (42, 'y')", NULL, NULL));
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(count(c), 2);
    if (test_dialect_is("postgresql")) {
        test_exec_quiet(eng, "DROP TABLE w_serial");
        assert_ok(sqlalc_conn_execute_sql(c, "CREATE TABLE w_serial (id SERIAL PRIMARY KEY, v INTEGER)", NULL,
                                          NULL));
        assert_ok(sqlalc_conn_begin(c, &tx));
        assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_serial (v) VALUES (1)", NULL, NULL));
        assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_serial (v) VALUES (2)", NULL, &res));
        assert_ok(sqlalc_result_last_insert_id(res, &id));
        assert_int_equal(id, 2);
        sqlalc_result_free(res);
        assert_ok(sqlalc_tx_commit(tx));
        assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE w_serial", NULL, NULL));
    }
    sqlalc_conn_close(c);
}

/* COMMIT of a transaction a failed statement aborted is reported as the
 * rollback it is (PostgreSQL: the driver's transaction state says so). */
static void test_commit_of_failed_transaction(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql") || test_via_odbc())
        skip();
    clear();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (1, 'a')", NULL, NULL));
    assert_code(sqlalc_conn_execute_sql(c, "INSERT INTO w_items VALUES (1, 'dup')", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    int rc = sqlalc_tx_commit(tx);
    assert_true(rc < 0);
    assert_string_equal(sqlalc_error_last()->sqlstate, "25P02");
    assert_false(sqlalc_conn_in_transaction(c));
    assert_int_equal(count(c), 0);
    sqlalc_conn_close(c);
}

/* The begin statements the PostgreSQL dialect writes run on the server. */
static void test_pg_begin_statements(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql") || test_via_odbc())
        skip();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "SHOW transaction_isolation", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "serializable");
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "SHOW transaction_read_only", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "on");
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "ROLLBACK", NULL, NULL));
    sqlalc_conn_close(c);
}

/* Row counts: DML has one, DDL none (SQLite asks the prepared statement
 * what it writes, not its first keyword). */
static void test_rowcounts(void **state)
{
    (void)state;
    clear();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(c, "/* lead */ INSERT INTO w_items VALUES (1, 'a')", NULL, &res));
    assert_int_equal(sqlalc_result_rowcount(res), 1);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "UPDATE w_items SET name = 'b' WHERE id = 99", NULL, &res));
    assert_int_equal(sqlalc_result_rowcount(res), 0);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(
        c, "WITH n(v) AS (SELECT 2) INSERT INTO w_items (id, name) SELECT v, 'c' FROM n", NULL, &res));
    if (!(test_via_odbc() && test_dialect_is("sqlite"))) /* sqliteodbc counts no CTE DML */
        assert_int_equal(sqlalc_result_rowcount(res), 1);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE INDEX w_ix ON w_items (name)", NULL, &res));
    assert_true(sqlalc_result_rowcount(res) <= 0);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP INDEX w_ix", NULL, NULL));
    sqlalc_conn_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_savepoints_nest),
        cmocka_unit_test(test_last_insert_id),
        cmocka_unit_test(test_commit_of_failed_transaction),
        cmocka_unit_test(test_pg_begin_statements),
        cmocka_unit_test(test_rowcounts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

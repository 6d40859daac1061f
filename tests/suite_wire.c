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

/* ---- executemany of a statement: multi-row VALUES batches ---- */

static sqlalc_metadata *many_md;
static sqlalc_table *many_table(void)
{
    if (!many_md) {
        many_md = sqlalc_metadata_new();
        sqlalc_table_new(many_md, "w_many", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0),
                         sqlalc_column("qty", sqlalc_type_integer(), 0));
    }
    return sqlalc_metadata_table(many_md, "w_many");
}

#define MANY_N 2345 /* batches of the full size, halving ones, and single rows */

static sqlalc_param many_items[MANY_N][3];
static sqlalc_params many_sets[MANY_N];
static char many_names[MANY_N][16];

static void many_data(int with_qty, int64_t dup_at)
{
    for (int i = 0; i < MANY_N; i++) {
        snprintf(many_names[i], sizeof many_names[i], "n%d", i);
        int64_t id = i == dup_at ? 1 : i + 1;
        many_items[i][0] = (sqlalc_param){ "id", SQLALC_INTV(id) };
        many_items[i][1] = (sqlalc_param){ "name", SQLALC_TEXTV(many_names[i]) };
        many_items[i][2] = (sqlalc_param){ "qty", SQLALC_INTV(i % 7) };
        many_sets[i].items = many_items[i];
        many_sets[i].count = with_qty ? 3 : 2;
    }
}

static void many_reset(sqlalc_conn *c)
{
    sqlalc_conn_execute_sql(c, "DROP TABLE w_many", NULL, NULL);
    assert_ok(sqlalc_conn_execute_sql(
        c, "CREATE TABLE w_many (id INTEGER PRIMARY KEY, name VARCHAR(20), qty INTEGER)", NULL, NULL));
}

static void many_check(sqlalc_conn *c, int64_t rows, int64_t sum_id, int64_t sum_qty)
{
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(
        sqlalc_conn_execute_sql(c, "SELECT count(*), sum(id), sum(qty), min(name) FROM w_many", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), rows);
    if (rows) {
        assert_int_equal(sqlalc_row_int64(row, 1), sum_id);
        assert_int_equal(sqlalc_row_int64(row, 2), sum_qty);
        assert_string_equal(sqlalc_row_text(row, 3), "n0");
    }
    sqlalc_result_free(res);
}

static void test_statement_executemany_batches(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    many_reset(c);
    sqlalc_stmt *ins = sqlalc_insert(many_table());
    int64_t n = 0, sum_qty = 0;
    for (int i = 0; i < MANY_N; i++)
        sum_qty += i % 7;
    many_data(1, -1);
    assert_ok(sqlalc_conn_execute_many(c, ins, many_sets, MANY_N, &n));
    assert_int_equal(n, MANY_N);
    many_check(c, MANY_N, (int64_t)MANY_N * (MANY_N + 1) / 2, sum_qty);

    /* sets naming only some columns: the narrowed INSERT batches too */
    many_reset(c);
    many_data(0, -1);
    assert_ok(sqlalc_conn_execute_many(c, ins, many_sets, MANY_N, &n));
    assert_int_equal(n, MANY_N);
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT count(*) FROM w_many WHERE qty IS NULL", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), MANY_N);
    sqlalc_result_free(res);

    /* all or nothing: a duplicate key deep in a batch leaves no row */
    many_reset(c);
    many_data(1, 1500);
    assert_code(sqlalc_conn_execute_many(c, ins, many_sets, MANY_N, &n), SQLALC_ERR_INTEGRITY);
    many_check(c, 0, 0, 0);

    /* a set without a value is named by its index among all the sets */
    many_data(1, -1);
    many_sets[2000].count = 1;
    assert_code(sqlalc_conn_execute_many(c, ins, many_sets, MANY_N, &n), SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "parameter set 2000"));
    many_check(c, 0, 0, 0);

    /* inside the caller's transaction: a failure undoes only the executemany */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO w_many (id, name, qty) VALUES (100000, 'keep', 0)",
                                      NULL, NULL));
    many_data(1, 700);
    assert_code(sqlalc_conn_execute_many(c, ins, many_sets, MANY_N, &n), SQLALC_ERR_INTEGRITY);
    many_data(1, MANY_N - 3); /* in the last, one-by-one part */
    assert_code(sqlalc_conn_execute_many(c, ins, many_sets, MANY_N, &n), SQLALC_ERR_INTEGRITY);
    many_data(1, -1);
    assert_ok(sqlalc_conn_execute_many(c, ins, many_sets, 40, &n));
    assert_int_equal(n, 40);
    assert_ok(sqlalc_tx_commit(tx));
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT count(*) FROM w_many", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 41);
    sqlalc_result_free(res);

    sqlalc_stmt_free(ins);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE w_many", NULL, NULL));
    sqlalc_conn_close(c);
    sqlalc_metadata_free(many_md);
    many_md = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_savepoints_nest),
        cmocka_unit_test(test_last_insert_id),
        cmocka_unit_test(test_commit_of_failed_transaction),
        cmocka_unit_test(test_pg_begin_statements),
        cmocka_unit_test(test_rowcounts),
        cmocka_unit_test(test_statement_executemany_batches),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Conformance suite: engine, connections, raw SQL, results, transactions.
 * Runs once per backend (SQLALC_TEST_URL).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"

static sqlalc_engine *eng;

static int setup(void **state)
{
    (void)state;
    eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE IF EXISTS t_people");
    test_exec(eng, "CREATE TABLE t_people (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                   "weight FLOAT, note VARCHAR(100), UNIQUE (name))");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS t_people");
    sqlalc_engine_free(eng);
    eng = NULL;
    return 0;
}

static void clear_people(void)
{
    test_exec(eng, "DELETE FROM t_people");
}

static void insert_person(sqlalc_conn *c, int id, const char *name, double w)
{
    assert_ok(sqlalc_conn_execute_sql(
        c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)",
        SQLALC_PARAMS(SQLALC_P_INT("id", id), SQLALC_P_TEXT("name", name), SQLALC_P_FLOAT("w", w)), NULL));
}

static void test_named_binds_and_rows(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    insert_person(c, 1, "Ann", 150.5);
    insert_person(c, 2, "Bob", 180.0);
    insert_person(c, 3, "O'Neil", 175.25);

    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(
        c, "SELECT id, name, weight, note FROM t_people WHERE weight > :w ORDER BY id",
        SQLALC_PARAMS(SQLALC_P_FLOAT("w", 170)), &res));
    assert_int_equal(sqlalc_result_column_count(res), 4);
    assert_string_equal(sqlalc_result_column_name(res, 1), "name");
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 2);
    assert_string_equal(sqlalc_row_text_by_name(row, "name"), "Bob");
    assert_true(sqlalc_row_double_by_name(row, "weight") == 180.0);
    assert_true(sqlalc_row_is_null(row, 3));
    assert_true(sqlalc_row_is_null_by_name(row, "note"));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 1), "O'Neil");
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    assert_null(row);
    assert_true(sqlalc_result_closed(res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
}

static void test_binds_not_in_quotes_or_comments(void **state)
{
    (void)state;
    sqlalc_result *res;
    /* ':x' inside quotes and comments is text; '::' is left alone on PG */
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT ':notabind' AS a, :v AS b -- :nope\n /* :nope2 */",
                                        SQLALC_PARAMS(SQLALC_P_TEXT("v", "yes")), &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), ":notabind");
    assert_string_equal(sqlalc_row_text(row, 1), "yes");
    sqlalc_result_free(res);
    if (test_dialect_is("postgresql")) {
        assert_ok(sqlalc_engine_execute_sql(eng, "SELECT :v::integer + 1",
                                            SQLALC_PARAMS(SQLALC_P_TEXT("v", "41")), &res));
        int64_t v;
        v = test_result_int64(res);
        assert_int_equal(v, 42);
    }
}

static void test_same_name_twice_and_positional(void **state)
{
    (void)state;
    sqlalc_result *res;
    int64_t v = 0;
    assert_ok(sqlalc_engine_execute_sql(
        eng, "SELECT CAST(:a AS INTEGER) + CAST(:a AS INTEGER) + CAST(:b AS INTEGER)",
        SQLALC_PARAMS(SQLALC_P_INT("a", 20), SQLALC_P_INT("b", 2)), &res));
    v = test_result_int64(res);
    assert_int_equal(v, 42);
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT CAST(? AS INTEGER) * CAST(? AS INTEGER)",
                                        SQLALC_PARAMS(SQLALC_P_INT(NULL, 6), SQLALC_P_INT(NULL, 7)), &res));
    v = test_result_int64(res);
    assert_int_equal(v, 42);
}

static void test_missing_and_extra_params(void **state)
{
    (void)state;
    sqlalc_result *res = (sqlalc_result *)1;
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT :a, :b", SQLALC_PARAMS(SQLALC_P_INT("a", 1)), &res),
                SQLALC_ERR_PROGRAMMING);
    assert_null(res);
    assert_non_null(strstr(sqlalc_errmsg(), "'b'"));
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT :a",
                                          SQLALC_PARAMS(SQLALC_P_INT("a", 1), SQLALC_P_INT("zz", 2)), &res),
                SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "'zz'"));
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT ?, ?", SQLALC_PARAMS(SQLALC_P_INT(NULL, 1)), &res),
                SQLALC_ERR_PROGRAMMING);
}

static void test_bad_sql_is_programming_error(void **state)
{
    (void)state;
    sqlalc_result *res;
    assert_code(sqlalc_engine_execute_sql(eng, "SELEKT 1", NULL, &res), SQLALC_ERR_PROGRAMMING);
    assert_true(strlen(sqlalc_error_last()->sqlstate) == 5);
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT * FROM no_such_table_xyz", NULL, &res),
                SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "no_such_table_xyz"));
}

static void test_integrity_error(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    insert_person(c, 1, "Ann", 1);
    assert_code(sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (2, 'Ann')", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    assert_string_equal(sqlalc_error_last()->sqlstate, "23505");
    assert_code(sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (3, NULL)", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    assert_string_equal(sqlalc_error_last()->sqlstate, "23502");
    /* the connection is still usable */
    insert_person(c, 4, "Dan", 1);
    sqlalc_conn_close(c);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 2);
}

static void test_transaction_commit_rollback(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    sqlalc_tx *tx;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_true(sqlalc_conn_in_transaction(c));
    insert_person(c, 1, "Ann", 1);
    assert_ok(sqlalc_tx_rollback(tx));
    assert_false(sqlalc_conn_in_transaction(c));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 0);

    assert_ok(sqlalc_conn_begin(c, &tx));
    insert_person(c, 1, "Ann", 1);
    sqlalc_tx *tx2;
    assert_code(sqlalc_conn_begin(c, &tx2), SQLALC_ERR_INTERFACE);
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 1);
    sqlalc_conn_close(c);
}

static void test_savepoints(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    sqlalc_tx *tx, *sp1, *sp2;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_begin(c, &tx));
    insert_person(c, 1, "Ann", 1);
    assert_ok(sqlalc_conn_begin_nested(c, &sp1));
    insert_person(c, 2, "Bob", 1);
    assert_ok(sqlalc_conn_begin_nested(c, &sp2));
    insert_person(c, 3, "Cid", 1);
    assert_ok(sqlalc_tx_rollback(sp2)); /* Cid gone */
    assert_ok(sqlalc_tx_commit(sp1));   /* Bob kept */
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 2);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people WHERE name = 'Cid'"), 0);

    /* Ending the outer transaction ends the inner handle. */
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_begin_nested(c, &sp1));
    insert_person(c, 9, "Zed", 1);
    assert_ok(sqlalc_tx_rollback(tx));
    assert_code(sqlalc_tx_commit(sp1), SQLALC_ERR_CLOSED);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 2);
    sqlalc_conn_close(c);
}

static void test_failed_statement_in_tx_loses_nothing(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    sqlalc_tx *tx, *sp;
    assert_ok(sqlalc_engine_connect(eng, &c));
    insert_person(c, 1, "Ann", 1);
    assert_ok(sqlalc_conn_begin(c, &tx));
    insert_person(c, 2, "Bob", 1);
    assert_ok(sqlalc_conn_begin_nested(c, &sp));
    /* fails halfway: both rows or neither */
    assert_code(sqlalc_conn_execute_sql(
                    c, "INSERT INTO t_people (id, name) SELECT id + 10, 'Ann' FROM t_people", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    assert_ok(sqlalc_tx_rollback(sp));
    insert_person(c, 3, "Cid", 1);
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 3);
    /* closing with an open transaction rolls it back */
    assert_ok(sqlalc_conn_begin(c, &tx));
    insert_person(c, 4, "Dan", 1);
    sqlalc_conn_close(c);
    assert_code(sqlalc_tx_commit(tx), SQLALC_ERR_CLOSED);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 3);
}

static void test_executemany(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    enum { N = 2500 };
    static char names[N][16];
    sqlalc_param *ps = calloc(N * 3, sizeof *ps);
    sqlalc_params *sets = calloc(N, sizeof *sets);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "p%d", i);
        ps[i * 3 + 0] = SQLALC_P_INT("id", i + 1);
        ps[i * 3 + 1] = SQLALC_P_TEXT("name", names[i]);
        ps[i * 3 + 2] = SQLALC_P_FLOAT("w", i * 0.5);
        sets[i] = (sqlalc_params){ 3, &ps[i * 3] };
    }
    int64_t count = 0;
    assert_ok(sqlalc_conn_execute_sql_many(
        c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)", sets, N, &count));
    assert_int_equal(count, N);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), N);
    assert_int_equal(test_scalar(eng, "SELECT CAST(sum(weight) * 2 AS INTEGER) FROM t_people"),
                     (int64_t)N * (N - 1) / 2);

    /* a failing set keeps none of the batch */
    clear_people();
    ps[(N - 1) * 3 + 1] = SQLALC_P_TEXT("name", "p0"); /* duplicate name in the last set */
    assert_code(sqlalc_conn_execute_sql_many(
                    c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)", sets, N, &count),
                SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "executemany parameter set 2499: "));
    assert_non_null(strstr(sqlalc_errmsg(), "[SQL: INSERT INTO t_people"));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 0);
    /* a 3-set batch names its middle set, not a range */
    ps[(N - 1) * 3 + 1] = SQLALC_P_TEXT("name", names[N - 1]);
    ps[1 * 3 + 0] = SQLALC_P_INT("id", 1); /* set 1 repeats set 0's id */
    assert_code(sqlalc_conn_execute_sql_many(
                    c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)", sets, 3, &count),
                SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "executemany parameter set 1: "));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 0);
    ps[1 * 3 + 0] = SQLALC_P_INT("id", 2);

    /* inside a transaction: a savepoint undoes only the batch */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    insert_person(c, 100000, "keep", 1);
    ps[2000 * 3 + 1] = SQLALC_P_TEXT("name", "keep"); /* set 2000, in the second chunk, is taken */
    assert_code(sqlalc_conn_execute_sql_many(
                    c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)", sets, N, NULL),
                SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "executemany parameter set 2000: "));
    ps[2000 * 3 + 1] = SQLALC_P_TEXT("name", names[2000]);
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 1);

    /* a set missing a parameter is named */
    sets[5].count = 2;
    assert_code(sqlalc_conn_execute_sql_many(
                    c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)", sets, N, NULL),
                SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "parameter set 5"));
    assert_non_null(strstr(sqlalc_errmsg(), "'w'"));
    free(ps);
    free(sets);
    sqlalc_conn_close(c);
}

static void test_fetchmany_fetchall(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    for (int i = 1; i <= 25; i++) {
        char n[16];
        snprintf(n, sizeof n, "n%02d", i);
        insert_person(c, i, n, i);
    }
    sqlalc_result *res;
    sqlalc_rowset *rs;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT id, name FROM t_people ORDER BY id", NULL, &res));
    assert_ok(sqlalc_result_fetchmany(res, 10, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 10);
    assert_int_equal(sqlalc_row_int64(sqlalc_rowset_row(rs, 9), 0), 10);
    sqlalc_rowset_free(rs);
    const sqlalc_row *row;
    assert_ok(sqlalc_result_fetchone(res, &row));
    assert_int_equal(sqlalc_row_int64(row, 0), 11);
    assert_ok(sqlalc_result_fetchall(res, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 14);
    /* stored rows survive the result */
    sqlalc_result_free(res);
    row = sqlalc_rowset_row(rs, 13);
    assert_string_equal(sqlalc_row_text_by_name(row, "name"), "n25");
    assert_null(sqlalc_rowset_row(rs, 14));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_NOT_FOUND);
    sqlalc_rowset_free(rs);
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT id FROM t_people WHERE id < 0", NULL, &res));
    assert_ok(sqlalc_result_fetchall(res, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 0);
    sqlalc_rowset_free(rs);
    assert_int_equal(sqlalc_result_fetchone(res, &row), SQLALC_DONE);
    assert_null(row);
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
}

static void test_getter_errors(void **state)
{
    (void)state;
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT 'abc' AS s, NULL AS n, 7 AS i", NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    int64_t v;
    assert_code(sqlalc_row_get_int64(row, 0, &v), SQLALC_ERR_TYPE);
    assert_non_null(strstr(sqlalc_errmsg(), "s"));
    assert_code(sqlalc_row_get_int64(row, 1, &v), SQLALC_ERR_TYPE);
    assert_code(sqlalc_row_get_int64(row, 5, &v), SQLALC_ERR_NOT_FOUND);
    assert_code(sqlalc_row_get_int64(row, -1, &v), SQLALC_ERR_NOT_FOUND);
    assert_int_equal(sqlalc_row_index(row, "nope"), -1);
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_NOT_FOUND);
    assert_null(sqlalc_row_text_by_name(row, "nope"));
    const char *t;
    assert_ok(sqlalc_row_get_text(row, 2, &t, NULL));
    assert_string_equal(t, "7");
    assert_ok(sqlalc_row_get_text(row, 1, &t, NULL));
    assert_null(t);
    double d;
    assert_ok(sqlalc_row_get_double(row, 2, &d));
    assert_true(d == 7.0);
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    sqlalc_result_free(res);
}

static void test_rowcount_and_last_id(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    sqlalc_result *res;
    assert_ok(sqlalc_engine_connect(eng, &c));
    for (int i = 1; i <= 5; i++)
        insert_person(c, i, i % 2 ? (i == 1 ? "a" : i == 3 ? "c" : "e") : (i == 2 ? "b" : "d"), i);
    assert_ok(sqlalc_conn_execute_sql(c, "UPDATE t_people SET note = 'x' WHERE id > :n",
                                      SQLALC_PARAMS(SQLALC_P_INT("n", 2)), &res));
    assert_int_equal(sqlalc_result_rowcount(res), 3);
    assert_int_equal(sqlalc_result_column_count(res), 0);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "DELETE FROM t_people WHERE id = 1", NULL, &res));
    assert_int_equal(sqlalc_result_rowcount(res), 1);
    sqlalc_result_free(res);
    /* DDL has no row count (not the previous DML's) */
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TABLE t_rc (x INTEGER)", NULL, &res));
    assert_true(sqlalc_result_rowcount(res) <= 0);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE t_rc", NULL, NULL));
    if (test_dialect_is("sqlite")) {
        assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (77, 'z')", NULL, &res));
        int64_t id;
        assert_ok(sqlalc_result_last_insert_id(res, &id));
        assert_int_equal(id, 77);
        sqlalc_result_free(res);
    }
    sqlalc_conn_close(c);
}

static void test_nested_results_same_sql(void **state)
{
    (void)state;
    clear_people();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    insert_person(c, 1, "a", 1);
    insert_person(c, 2, "b", 2);
    const char *q = "SELECT id FROM t_people WHERE id >= :m ORDER BY id";
    sqlalc_result *r1, *r2;
    const sqlalc_row *a, *b;
    assert_ok(sqlalc_conn_execute_sql(c, q, SQLALC_PARAMS(SQLALC_P_INT("m", 1)), &r1));
    assert_int_equal(sqlalc_result_next(r1, &a), SQLALC_ROW);
    /* the cached statement is busy: a second one must be used */
    assert_ok(sqlalc_conn_execute_sql(c, q, SQLALC_PARAMS(SQLALC_P_INT("m", 2)), &r2));
    assert_int_equal(sqlalc_result_next(r2, &b), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(b, 0), 2);
    assert_int_equal(sqlalc_row_int64(a, 0), 1);
    assert_int_equal(sqlalc_result_next(r1, &a), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(a, 0), 2);
    sqlalc_result_free(r2);
    sqlalc_result_free(r1);
    /* closing a connection with an open result invalidates it safely:
     * the rows it still had are lost, and next says so */
    assert_ok(sqlalc_conn_execute_sql(c, q, SQLALC_PARAMS(SQLALC_P_INT("m", 1)), &r1));
    sqlalc_conn_close(c);
    assert_code(sqlalc_result_next(r1, &a), SQLALC_ERR_CLOSED);
    assert_null(a);
    assert_true(sqlalc_result_closed(r1));
    sqlalc_result_free(r1);
}

static void test_engine_exec_returns_connection(void **state)
{
    (void)state;
    /* Many engine-level results opened and freed: connections come back. */
    for (int i = 0; i < 50; i++) {
        sqlalc_result *res;
        assert_ok(sqlalc_engine_execute_sql(eng, "SELECT 1", NULL, &res));
        int64_t v;
        v = test_result_int64(res);
        assert_int_equal(v, 1);
    }
}

typedef struct {
    int lines;
    int saw_password;
    int saw_param;
} logstate;

static void capture(void *ctx, const char *line)
{
    logstate *ls = ctx;
    ls->lines++;
    if (strstr(line, "s3cret"))
        ls->saw_password = 1;
    if (strstr(line, "'GEN'"))
        ls->saw_param = 1;
}

static void test_echo(void **state)
{
    (void)state;
    logstate ls = { 0, 0, 0 };
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.echo = 1;
    o.log = capture;
    o.log_ctx = &ls;
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(test_url(), &o, &e2));
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(e2, "SELECT :s", SQLALC_PARAMS(SQLALC_P_TEXT("s", "GEN")), &res));
    sqlalc_result_free(res);
    sqlalc_engine_free(e2);
    assert_true(ls.lines >= 2);
    assert_true(ls.saw_param);
    assert_false(ls.saw_password);
}

static void test_values_round_trip(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS t_vals");
    int pg = test_dialect_is("postgresql");
    test_exec(eng,
              pg ? "CREATE TABLE t_vals (i BIGINT, f DOUBLE PRECISION, t TEXT, b BYTEA, n NUMERIC(10,2), "
                   "d DATE, ts TIMESTAMP, ok BOOLEAN)"
                 : "CREATE TABLE t_vals (i BIGINT, f DOUBLE PRECISION, t TEXT, b BLOB, n NUMERIC(10,2), "
                   "d DATE, ts TIMESTAMP, ok BOOLEAN)");
    static const unsigned char blob[] = { 0, 1, 2, 255, 0, 7 };
    assert_ok(sqlalc_engine_execute_sql(
        eng, "INSERT INTO t_vals VALUES (:i, :f, :t, :b, :n, :d, :ts, :ok)",
        SQLALC_PARAMS(SQLALC_P_INT("i", INT64_C(9007199254740993)), SQLALC_P_FLOAT("f", 0.1),
                      SQLALC_P_TEXT("t", "h\xc3\xa9llo 'x'"), SQLALC_P_BLOB("b", blob, sizeof blob),
                      SQLALC_P_NUMERIC("n", "12.50"), SQLALC_P_DATE("d", "2024-02-29"),
                      SQLALC_P_DATETIME("ts", "2024-02-29 13:45:01"), SQLALC_P_BOOL("ok", 1)),
        NULL));
    assert_ok(sqlalc_engine_execute_sql(eng, "INSERT INTO t_vals (i) VALUES (NULL)", NULL, NULL));
    sqlalc_result *res;
    assert_ok(
        sqlalc_engine_execute_sql(eng, "SELECT i, f, t, b, n, d, ts, ok FROM t_vals ORDER BY i", NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    if (sqlalc_row_is_null(row, 0)) /* NULLs sort first on SQLite, last on PostgreSQL */
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), INT64_C(9007199254740993));
    assert_true(sqlalc_row_double(row, 1) == 0.1);
    assert_string_equal(sqlalc_row_text(row, 2), "h\xc3\xa9llo 'x'");
    const void *bp;
    size_t bl;
    assert_ok(sqlalc_row_get_blob(row, 3, &bp, &bl));
    assert_int_equal(bl, sizeof blob);
    assert_memory_equal(bp, blob, sizeof blob);
    double n;
    assert_ok(sqlalc_row_get_double(row, 4, &n));
    assert_true(n == 12.5);
    sqlalc_value v;
    assert_ok(sqlalc_row_get_value(row, 5, &v));
    assert_int_equal(v.type, SQLALC_V_DATE);
    assert_string_equal(sqlalc_row_text(row, 5), "2024-02-29");
    assert_ok(sqlalc_row_get_value(row, 6, &v));
    assert_int_equal(v.type, SQLALC_V_DATETIME);
    assert_string_equal(sqlalc_row_text(row, 6), "2024-02-29 13:45:01");
    int ok;
    assert_ok(sqlalc_row_get_bool(row, 7, &ok));
    assert_true(ok);
    assert_ok(sqlalc_row_get_value(row, 7, &v));
    assert_int_equal(v.type, SQLALC_V_BOOL);
    sqlalc_result_free(res);
    test_exec(eng, "DROP TABLE t_vals");
}

static void test_null_text_pointer_binds_null(void **state)
{
    (void)state;
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(eng,
                                        "SELECT CASE WHEN CAST(:t AS VARCHAR(10)) IS NULL THEN 1 ELSE 0 END",
                                        SQLALC_PARAMS(SQLALC_P_TEXT("t", NULL)), &res));
    int64_t v = -1;
    v = test_result_int64(res);
    assert_int_equal(v, 1);
}

/* "odbc://DSN" names only the driver: the server says which dialect. */
static void test_odbc_detects_dialect(void **state)
{
    (void)state;
    if (!test_via_odbc())
        skip(); /* only meaningful through ODBC */
    const sqlalc_url *u = sqlalc_engine_url(eng);
    char url[300];
    snprintf(url, sizeof url, "odbc://%s%s%s", sqlalc_url_username(u) ? sqlalc_url_username(u) : "",
             sqlalc_url_username(u) ? "@" : "", sqlalc_url_host(u));
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    assert_string_equal(sqlalc_engine_dialect_name(e2), sqlalc_engine_dialect_name(eng));
    assert_int_equal(test_scalar(e2, "SELECT 40 + 2"), 42);
    sqlalc_engine_free(e2);
}

static void test_bad_engine_urls(void **state)
{
    (void)state;
    sqlalc_engine *e2 = (sqlalc_engine *)1;
    assert_code(sqlalc_engine_create("nosuchdb://x", NULL, &e2), SQLALC_ERR_ARGUMENT);
    assert_null(e2);
    assert_non_null(strstr(sqlalc_errmsg(), "nosuchdb"));
    assert_code(sqlalc_engine_create("not a url", NULL, &e2), SQLALC_ERR_ARGUMENT);
    assert_code(sqlalc_engine_create("sqlite+nodriver:///x.db", NULL, &e2), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "nodriver"));
    assert_code(sqlalc_engine_create("postgresql://u:s3cret@h:99999/db", NULL, &e2), SQLALC_ERR_ARGUMENT);
    assert_null(strstr(sqlalc_errmsg(), "s3cret"));
    assert_ok(sqlalc_engine_create("sqlite:////nonexistent-dir/x/y.db", NULL, &e2));
    sqlalc_conn *c;
    assert_code(sqlalc_engine_connect(e2, &c), SQLALC_ERR_OPERATIONAL);
    assert_non_null(strstr(sqlalc_errmsg(), "unable to open database file"));
    assert_non_null(strstr(sqlalc_errmsg(), "/nonexistent-dir/x/y.db"));
    sqlalc_engine_free(e2);
    assert_ok(sqlalc_engine_create("sqlite:////tmp/sqlalc_pragma_test.db?journal_mode=wal;drop", NULL, &e2));
    assert_code(sqlalc_engine_connect(e2, &c), SQLALC_ERR_ARGUMENT);
    sqlalc_engine_free(e2);
}

/* ------------------------------------------------------------------ */
/* one / first / scalar / all (SQLAlchemy's Result accessors)          */
/* ------------------------------------------------------------------ */

static void fill_people(sqlalc_conn *c, int n)
{
    clear_people();
    for (int i = 1; i <= n; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%02d", i);
        insert_person(c, i, name, i * 10.5);
    }
}

static sqlalc_result *people_where(sqlalc_conn *c, const char *cols, int min_id, int max_id)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT %s FROM t_people WHERE id BETWEEN :a AND :b ORDER BY id", cols);
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(
        c, sql, SQLALC_PARAMS(SQLALC_P_INT("a", min_id), SQLALC_P_INT("b", max_id)), &res));
    return res;
}

static void test_result_one_first(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    fill_people(c, 3);
    const sqlalc_row *row = (const sqlalc_row *)1;

    /* one: exactly one row, kept by the result until it is freed */
    sqlalc_result *res = people_where(c, "id, name, weight", 2, 2);
    assert_ok(sqlalc_result_one(res, &row));
    assert_true(sqlalc_result_closed(res));
    assert_int_equal(sqlalc_row_int64(row, 0), 2);
    assert_string_equal(sqlalc_row_text_by_name(row, "name"), "p02");
    assert_true(sqlalc_row_double_by_name(row, "weight") == 21.0);
    /* the statement went back: the same SQL runs again on the connection
     * while the kept row still reads */
    sqlalc_result *res2 = people_where(c, "id, name, weight", 3, 3);
    const sqlalc_row *row2;
    assert_ok(sqlalc_result_one(res2, &row2));
    assert_string_equal(sqlalc_row_text(row2, 1), "p03");
    assert_string_equal(sqlalc_row_text(row, 1), "p02");
    assert_int_equal(sqlalc_result_next(res, &row2), SQLALC_DONE); /* closed: read to its end */
    sqlalc_result_free(res2);
    sqlalc_result_free(res);

    /* one: none and several are distinct errors */
    res = people_where(c, "id", 7, 9);
    assert_code(sqlalc_result_one(res, &row), SQLALC_ERR_NO_RESULT);
    assert_null(row);
    assert_non_null(strstr(sqlalc_errmsg(), "no row"));
    assert_string_equal(sqlalc_code_name(SQLALC_ERR_NO_RESULT), "SQLALC_ERR_NO_RESULT");
    sqlalc_result_free(res);
    res = people_where(c, "id", 1, 3);
    assert_code(sqlalc_result_one(res, &row), SQLALC_ERR_MULTIPLE_RESULTS);
    assert_null(row);
    assert_true(sqlalc_result_closed(res));
    assert_string_equal(sqlalc_code_name(SQLALC_ERR_MULTIPLE_RESULTS), "SQLALC_ERR_MULTIPLE_RESULTS");
    sqlalc_result_free(res);

    /* one_or_none: DONE for none, the row for one, an error for more */
    res = people_where(c, "id", 7, 9);
    assert_int_equal(sqlalc_result_one_or_none(res, &row), SQLALC_DONE);
    assert_null(row);
    sqlalc_result_free(res);
    res = people_where(c, "id", 1, 1);
    assert_ok(sqlalc_result_one_or_none(res, &row));
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    sqlalc_result_free(res);
    res = people_where(c, "id", 2, 3);
    assert_code(sqlalc_result_one_or_none(res, &row), SQLALC_ERR_MULTIPLE_RESULTS);
    sqlalc_result_free(res);

    /* first: the first row, the rest discarded, the result closed */
    res = people_where(c, "id, name", 1, 3);
    assert_ok(sqlalc_result_first(res, &row));
    assert_string_equal(sqlalc_row_text(row, 1), "p01");
    assert_true(sqlalc_result_closed(res));
    assert_int_equal(sqlalc_result_next(res, &row2), SQLALC_DONE);
    assert_string_equal(sqlalc_row_text(row, 1), "p01");
    sqlalc_result_free(res);
    res = people_where(c, "id", 7, 9);
    assert_int_equal(sqlalc_result_first(res, &row), SQLALC_DONE);
    assert_null(row);
    sqlalc_result_free(res);

    /* the connection is fine after all of it */
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 3);
    sqlalc_conn_close(c);
}

static void test_result_scalar_typed(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    fill_people(c, 3);
    sqlalc_value v;
    /* text stays valid until the result is freed, after the statement is reused */
    sqlalc_result *res = people_where(c, "name, id", 2, 3);
    assert_ok(sqlalc_result_scalar(res, &v));
    assert_int_equal(v.type, SQLALC_V_TEXT);
    sqlalc_result *other = people_where(c, "name, id", 1, 1);
    sqlalc_result_free(other);
    assert_int_equal(v.u.s.len, 3);
    assert_string_equal(v.u.s.p, "p02");
    sqlalc_result_free(res);

    res = people_where(c, "weight", 2, 2);
    assert_ok(sqlalc_result_scalar_one(res, &v));
    assert_int_equal(v.type, SQLALC_V_FLOAT);
    assert_true(v.u.f == 21.0);
    double d;
    assert_ok(sqlalc_value_get_double(&v, &d));
    assert_true(d == 21.0);
    int64_t i64;
    assert_ok(sqlalc_value_get_int64(&v, &i64)); /* 21.0 is integral: converts */
    assert_int_equal(i64, 21);
    sqlalc_result_free(res);

    /* a NULL in the column is a value; no row is SQLALC_DONE */
    res = people_where(c, "note", 1, 1);
    assert_ok(sqlalc_result_scalar_one_or_none(res, &v));
    assert_int_equal(v.type, SQLALC_V_NULL);
    sqlalc_result_free(res);
    res = people_where(c, "note", 8, 9);
    v = SQLALC_INTV(5);
    assert_int_equal(sqlalc_result_scalar_one_or_none(res, &v), SQLALC_DONE);
    assert_int_equal(v.type, SQLALC_V_NULL);
    sqlalc_result_free(res);
    res = people_where(c, "note", 8, 9);
    assert_int_equal(sqlalc_result_scalar(res, &v), SQLALC_DONE);
    sqlalc_result_free(res);
    res = people_where(c, "id", 8, 9);
    assert_code(sqlalc_result_scalar_one(res, &v), SQLALC_ERR_NO_RESULT);
    sqlalc_result_free(res);
    res = people_where(c, "id", 1, 2);
    assert_code(sqlalc_result_scalar_one(res, &v), SQLALC_ERR_MULTIPLE_RESULTS);
    sqlalc_result_free(res);
    res = people_where(c, "id", 1, 2);
    assert_code(sqlalc_result_scalar_one_or_none(res, &v), SQLALC_ERR_MULTIPLE_RESULTS);
    sqlalc_result_free(res);

    /* count(*) as an integer, whatever the backend's type for it */
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT count(*) FROM t_people", NULL, &res));
    assert_ok(sqlalc_result_scalar_one(res, &v));
    assert_ok(sqlalc_value_get_int64(&v, &i64));
    assert_int_equal(i64, 3);
    sqlalc_result_free(res);
    /* a statement without rows */
    assert_ok(sqlalc_conn_execute_sql(c, "UPDATE t_people SET note = 'x' WHERE id = 1", NULL, &res));
    assert_int_equal(sqlalc_result_scalar(res, &v), SQLALC_DONE);
    assert_int_equal(sqlalc_result_rowcount(res), 1);
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
}

static void test_result_all_and_value_getters(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    fill_people(c, 4);
    sqlalc_result *res = people_where(c, "id, name", 1, 4);
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_rowset *rs;
    assert_ok(sqlalc_result_all(res, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 3);
    assert_true(sqlalc_result_closed(res));
    /* the row next() gave out still reads its own values */
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    assert_string_equal(sqlalc_row_text_by_name(row, "name"), "p01");
    sqlalc_result_free(res);
    assert_string_equal(sqlalc_row_text_by_name(sqlalc_rowset_row(rs, 2), "name"), "p04");
    sqlalc_rowset_free(rs);

    sqlalc_value v = SQLALC_TYPEDV(SQLALC_V_NUMERIC, "12.000");
    int64_t i;
    assert_ok(sqlalc_value_get_int64(&v, &i));
    assert_int_equal(i, 12);
    v = SQLALC_FLOATV(3.0);
    assert_ok(sqlalc_value_get_int64(&v, &i));
    assert_int_equal(i, 3);
    v = SQLALC_TEXTV("12");
    assert_code(sqlalc_value_get_int64(&v, &i), SQLALC_ERR_TYPE);
    v = SQLALC_NULLV;
    double d;
    assert_code(sqlalc_value_get_double(&v, &d), SQLALC_ERR_TYPE);
    sqlalc_conn_close(c);
}

/* A row from next() keeps its values when fetchmany reads on (it used to
 * show the next row's values, or fail once the result ended). */
static void test_row_survives_fetchmany(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    fill_people(c, 5);
    sqlalc_result *res = people_where(c, "id, name, weight", 1, 5);
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_rowset *rs;
    assert_ok(sqlalc_result_fetchmany(res, 2, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 2);
    assert_int_equal(sqlalc_row_int64(sqlalc_rowset_row(rs, 0), 0), 2);
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    assert_string_equal(sqlalc_row_text(row, 1), "p01");
    assert_int_equal(sqlalc_row_count(row), 3);
    sqlalc_rowset_free(rs);
    assert_ok(sqlalc_result_fetchall(res, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 2);
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    assert_true(sqlalc_row_double_by_name(row, "weight") == 10.5);
    sqlalc_rowset_free(rs);
    /* next() moves the handle on as always */
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    sqlalc_result_free(res);

    /* first() after next(): the earlier row stays readable too */
    res = people_where(c, "id", 1, 5);
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    const sqlalc_row *f;
    assert_ok(sqlalc_result_first(res, &f));
    assert_int_equal(sqlalc_row_int64(f, 0), 2);
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
}

/* Every value converts to text; the pointers live as long as the row. */
static void test_text_conversions(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS t_blobtext");
    test_exec(eng, test_dialect_is("postgresql") ? "CREATE TABLE t_blobtext (i INTEGER, f FLOAT, b BYTEA)"
                                                 : "CREATE TABLE t_blobtext (i INTEGER, f FLOAT, b BLOB)");
    static const unsigned char blob[] = { 0, 0x0a, 0xff, 'A' };
    assert_ok(sqlalc_engine_execute_sql(eng, "INSERT INTO t_blobtext VALUES (:i, :f, :b)",
                                        SQLALC_PARAMS(SQLALC_P_INT("i", -42), SQLALC_P_FLOAT("f", 0.1),
                                                      SQLALC_P_BLOB("b", blob, sizeof blob)),
                                        NULL));
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT i, f, b FROM t_blobtext", NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    const char *ti, *tf, *tb;
    size_t lb;
    assert_ok(sqlalc_row_get_text(row, 0, &ti, NULL));
    assert_ok(sqlalc_row_get_text(row, 1, &tf, NULL));
    assert_ok(sqlalc_row_get_text(row, 2, &tb, &lb));
    /* all three still valid together */
    assert_string_equal(ti, "-42");
    assert_string_equal(tf, "0.1");
    assert_string_equal(tb, "\\x000aff41");
    assert_int_equal(lb, 10);
    const void *bp;
    size_t bl;
    assert_ok(sqlalc_row_get_blob(row, 2, &bp, &bl));
    assert_int_equal(bl, sizeof blob);
    assert_memory_equal(bp, blob, sizeof blob);
    sqlalc_result_free(res);
    /* the same from a rowset, after the result is gone */
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT i, f, b FROM t_blobtext", NULL, &res));
    sqlalc_rowset *rs;
    assert_ok(sqlalc_result_fetchall(res, &rs));
    sqlalc_result_free(res);
    row = sqlalc_rowset_row(rs, 0);
    ti = sqlalc_row_text(row, 0);
    tb = sqlalc_row_text(row, 2);
    tf = sqlalc_row_text(row, 1);
    assert_string_equal(ti, "-42");
    assert_string_equal(tb, "\\x000aff41");
    assert_string_equal(tf, "0.1");
    sqlalc_rowset_free(rs);
    test_exec(eng, "DROP TABLE t_blobtext");
}

/* ------------------------------------------------------------------ */
/* Transaction blocks: engine_begin / conn_end                         */
/* ------------------------------------------------------------------ */

static void test_engine_begin_block(void **state)
{
    (void)state;
    clear_people();
    /* success commits and gives the connection back */
    sqlalc_conn *c = NULL;
    sqlalc_tx *tx = NULL;
    assert_ok(sqlalc_engine_begin(eng, &c, &tx));
    assert_non_null(tx);
    assert_true(sqlalc_conn_in_transaction(c));
    int rc = sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (1, 'Ann')", NULL, NULL);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (2, 'Bob')", NULL, NULL);
    assert_ok(sqlalc_conn_end(c, rc));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 2);

    /* an error rolls back everything in the block and stays the last error */
    assert_ok(sqlalc_engine_begin(eng, &c, NULL));
    rc = sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (3, 'Cid')", NULL, NULL);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (4, 'Ann')", NULL, NULL);
    assert_code(rc, SQLALC_ERR_INTEGRITY);
    assert_code(sqlalc_conn_end(c, rc), SQLALC_ERR_INTEGRITY);
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_INTEGRITY);
    assert_string_equal(sqlalc_error_last()->sqlstate, "23505");
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 2);

    /* the caller's own failure code rolls back too; savepoints inside end with it */
    assert_ok(sqlalc_engine_begin(eng, &c, NULL));
    sqlalc_tx *sp;
    assert_ok(sqlalc_conn_begin_nested(c, &sp));
    insert_person(c, 5, "Eve", 1);
    assert_code(sqlalc_conn_end(c, SQLALC_ERR_GENERIC), SQLALC_ERR_GENERIC);
    assert_code(sqlalc_tx_commit(sp), SQLALC_ERR_CLOSED); /* ended with its block; this frees it */
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people WHERE id = 5"), 0);

    /* committed early inside the block: end just closes */
    assert_ok(sqlalc_engine_begin(eng, &c, &tx));
    insert_person(c, 6, "Fay", 1);
    assert_ok(sqlalc_tx_commit(tx));
    assert_ok(sqlalc_conn_end(c, SQLALC_OK));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people WHERE id = 6"), 1);

    /* a positive code (SQLALC_DONE from a fetch) is not an error */
    assert_ok(sqlalc_engine_begin(eng, &c, NULL));
    insert_person(c, 7, "Gus", 1);
    assert_int_equal(sqlalc_conn_end(c, SQLALC_DONE), SQLALC_DONE);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people WHERE id = 7"), 1);

    /* a failing begin leaves nothing checked out */
    c = (sqlalc_conn *)1;
    assert_code(sqlalc_engine_begin(NULL, &c, NULL), SQLALC_ERR_ARGUMENT);
    assert_null(c);
}

/* ------------------------------------------------------------------ */
/* Errors a caller can act on: retry the transaction                   */
/* ------------------------------------------------------------------ */

/* The backend's URL with one more query key. */
static void url_with(char *buf, size_t n, const char *url, const char *kv)
{
    snprintf(buf, n, "%s%s%s", url, strchr(url, '?') ? "&" : "?", kv);
}

static void assert_retryable(int rc, int want_code, const char *want_state)
{
    assert_code(rc, want_code);
    const sqlalc_error *e = sqlalc_error_last();
    if (strcmp(e->sqlstate, want_state) != 0)
        fail_msg("SQLSTATE %s, want %s: %s", e->sqlstate, want_state, e->message);
    assert_true(sqlalc_error_is_retryable(NULL));
    assert_true(sqlalc_error_is_retryable(e));
}

/* SQLite: a writer holds the database lock; a second connection with a
 * short busy_timeout gives up with a retryable error that names its SQL,
 * and the retry loop of the header succeeds once the lock is gone. */
static void test_sqlite_busy_is_retryable(void **state)
{
    (void)state;
    if (!test_dialect_is("sqlite"))
        skip();
    char url[600], path[300];
    sqlalc_engine *e1, *e2;
    if (test_via_odbc()) {
        /* the DSN's file; sqliteodbc's busy timeout is its Timeout attribute */
        url_with(url, sizeof url, test_url(), "Timeout=100");
        assert_ok(sqlalc_engine_create(url, NULL, &e1));
        assert_ok(sqlalc_engine_create(url, NULL, &e2));
    } else {
        snprintf(path, sizeof path, "/tmp/sqlalc_busy_%ld.db", (long)getpid());
        remove(path);
        snprintf(url, sizeof url, "sqlite:///%s?busy_timeout=100", path);
        assert_ok(sqlalc_engine_create(url, NULL, &e1));
        assert_ok(sqlalc_engine_create(url, NULL, &e2));
    }
    test_exec_quiet(e1, "DROP TABLE t_busy");
    test_exec(e1, "CREATE TABLE t_busy (id INTEGER PRIMARY KEY, v INTEGER)");
    test_exec(e1, "INSERT INTO t_busy VALUES (1, 0)");
    sqlalc_conn *a, *b;
    sqlalc_tx *ta;
    assert_ok(sqlalc_engine_connect(e1, &a));
    assert_ok(sqlalc_conn_begin(a, &ta));
    assert_ok(sqlalc_conn_execute_sql(a, "UPDATE t_busy SET v = v + 1 WHERE id = 1", NULL, NULL));

    assert_ok(sqlalc_engine_connect(e2, &b));
    int rc = sqlalc_conn_execute_sql(b, "UPDATE t_busy SET v = v + 10 WHERE id = 1", NULL, NULL);
    assert_retryable(rc, SQLALC_ERR_TIMEOUT, "55P03");
    assert_non_null(strstr(sqlalc_errmsg(), "[SQL: UPDATE t_busy SET v = v + 10"));
    sqlalc_conn_close(b);

    /* The retry loop: the first attempt meets the lock, then it is gone. */
    int attempts = 0;
    for (;;) {
        attempts++;
        rc = sqlalc_engine_begin(e2, &b, NULL);
        if (rc == SQLALC_OK) {
            rc = sqlalc_conn_execute_sql(b, "UPDATE t_busy SET v = v + 10 WHERE id = 1", NULL, NULL);
            rc = sqlalc_conn_end(b, rc);
        }
        if (rc == SQLALC_OK || attempts == 5 || !sqlalc_error_is_retryable(NULL))
            break;
        if (ta) {
            assert_ok(sqlalc_tx_commit(ta)); /* the other writer finishes */
            ta = NULL;
        }
    }
    assert_ok(rc);
    assert_int_equal(attempts, 2);
    sqlalc_conn_close(a);
    assert_int_equal(test_scalar(e1, "SELECT v FROM t_busy WHERE id = 1"), 11);
    test_exec(e1, "DROP TABLE t_busy");
    sqlalc_engine_free(e1);
    sqlalc_engine_free(e2);
    if (!test_via_odbc())
        remove(path);
}

/* SQLite WAL: a read transaction cannot write after another connection
 * committed meanwhile (SQLITE_BUSY_SNAPSHOT): a serialization failure. */
static void test_sqlite_stale_snapshot_is_serialization(void **state)
{
    (void)state;
    if (!test_dialect_is("sqlite") || test_via_odbc())
        skip();
    char url[400], path[300];
    snprintf(path, sizeof path, "/tmp/sqlalc_snap_%ld.db", (long)getpid());
    remove(path);
    snprintf(url, sizeof url, "sqlite:///%s?journal_mode=wal&busy_timeout=100", path);
    sqlalc_engine *e;
    assert_ok(sqlalc_engine_create(url, NULL, &e));
    test_exec(e, "CREATE TABLE t_snap (id INTEGER PRIMARY KEY, v INTEGER)");
    test_exec(e, "INSERT INTO t_snap VALUES (1, 0)");
    sqlalc_conn *a, *b;
    sqlalc_tx *ta;
    assert_ok(sqlalc_engine_connect(e, &a));
    assert_ok(sqlalc_engine_connect(e, &b));
    assert_ok(sqlalc_conn_begin(a, &ta));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(a, "SELECT v FROM t_snap WHERE id = 1", NULL, &res));
    assert_int_equal(test_result_int64(res), 0); /* a's snapshot */
    assert_ok(sqlalc_conn_execute_sql(b, "UPDATE t_snap SET v = 5 WHERE id = 1", NULL, NULL));
    int rc = sqlalc_conn_execute_sql(a, "UPDATE t_snap SET v = v + 1 WHERE id = 1", NULL, NULL);
    assert_retryable(rc, SQLALC_ERR_SERIALIZATION, "40001");
    assert_ok(sqlalc_tx_rollback(ta));
    sqlalc_conn_close(a);
    sqlalc_conn_close(b);
    sqlalc_engine_free(e);
    remove(path);
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    remove(wal);
}

static void pg_locks_setup(void)
{
    test_exec_quiet(eng, "DROP TABLE IF EXISTS t_locks");
    test_exec(eng, "CREATE TABLE t_locks (id INTEGER PRIMARY KEY, v INTEGER)");
    test_exec(eng, "INSERT INTO t_locks VALUES (1, 0), (2, 0)");
}

/* PostgreSQL: lock_timeout and NOWAIT give up with 55P03, retryable. */
static void test_pg_lock_timeout_is_retryable(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql"))
        skip();
    pg_locks_setup();
    sqlalc_conn *a, *b;
    sqlalc_tx *ta, *tb;
    assert_ok(sqlalc_engine_connect(eng, &a));
    assert_ok(sqlalc_engine_connect(eng, &b));
    assert_ok(sqlalc_conn_begin(a, &ta));
    assert_ok(sqlalc_conn_execute_sql(a, "UPDATE t_locks SET v = 1 WHERE id = 1", NULL, NULL));
    assert_ok(sqlalc_conn_begin(b, &tb));
    assert_ok(sqlalc_conn_execute_sql(b, "SET LOCAL lock_timeout = '100ms'", NULL, NULL));
    int rc = sqlalc_conn_execute_sql(b, "UPDATE t_locks SET v = 2 WHERE id = 1", NULL, NULL);
    assert_retryable(rc, SQLALC_ERR_TIMEOUT, "55P03");
    assert_non_null(strstr(sqlalc_errmsg(), "UPDATE t_locks SET v = 2"));
    assert_ok(sqlalc_tx_rollback(tb));
    /* NOWAIT: the same state without waiting */
    assert_ok(sqlalc_conn_begin(b, &tb));
    rc = sqlalc_conn_execute_sql(b, "SELECT v FROM t_locks WHERE id = 1 FOR UPDATE NOWAIT", NULL, NULL);
    assert_retryable(rc, SQLALC_ERR_TIMEOUT, "55P03");
    assert_ok(sqlalc_tx_rollback(tb));
    assert_ok(sqlalc_tx_commit(ta));
    sqlalc_conn_close(a);
    sqlalc_conn_close(b);
    test_exec(eng, "DROP TABLE t_locks");
}

typedef struct {
    sqlalc_conn *conn;
    int rc;
    int code;
    char sqlstate[6];
} blocked_update;

static void *run_blocked_update(void *p)
{
    blocked_update *u = p;
    u->rc = sqlalc_conn_execute_sql(u->conn, "UPDATE t_locks SET v = v + 1 WHERE id = 2", NULL, NULL);
    u->code = sqlalc_error_last()->code;
    memcpy(u->sqlstate, sqlalc_error_last()->sqlstate, sizeof u->sqlstate);
    return NULL;
}

/* PostgreSQL: two transactions waiting on each other; the server picks a
 * victim with 40P01, a serialization-class (retryable) error. */
static void test_pg_deadlock_is_retryable(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql"))
        skip();
    pg_locks_setup();
    sqlalc_conn *a, *b;
    sqlalc_tx *ta, *tb;
    assert_ok(sqlalc_engine_connect(eng, &a));
    assert_ok(sqlalc_engine_connect(eng, &b));
    assert_ok(sqlalc_conn_begin(a, &ta));
    assert_ok(sqlalc_conn_begin(b, &tb));
    assert_ok(sqlalc_conn_execute_sql(a, "SET LOCAL deadlock_timeout = '100ms'", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(b, "SET LOCAL deadlock_timeout = '100ms'", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(a, "UPDATE t_locks SET v = v + 1 WHERE id = 1", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(b, "UPDATE t_locks SET v = v + 1 WHERE id = 2", NULL, NULL));
    /* a waits for b's row in a thread; b then waits for a's: a cycle */
    blocked_update u = { a, 0, 0, "" };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_blocked_update, &u), 0);
    nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
    int rc = sqlalc_conn_execute_sql(b, "UPDATE t_locks SET v = v + 1 WHERE id = 1", NULL, NULL);
    int code_b = sqlalc_error_last()->code;
    char state_b[6];
    memcpy(state_b, sqlalc_error_last()->sqlstate, sizeof state_b);
    int retry_b = rc != SQLALC_OK && sqlalc_error_is_retryable(NULL);
    if (rc != SQLALC_OK)
        assert_ok(sqlalc_tx_rollback(tb)); /* frees a's wait if b was the victim */
    pthread_join(th, NULL);
    /* exactly one victim, told to retry with 40P01 */
    assert_true((rc == SQLALC_OK) != (u.rc == SQLALC_OK));
    if (rc != SQLALC_OK) {
        assert_int_equal(code_b, SQLALC_ERR_SERIALIZATION);
        assert_string_equal(state_b, "40P01");
        assert_true(retry_b);
        assert_ok(sqlalc_tx_commit(ta));
    } else {
        assert_int_equal(u.rc, SQLALC_ERR_SERIALIZATION);
        assert_int_equal(u.code, SQLALC_ERR_SERIALIZATION);
        assert_string_equal(u.sqlstate, "40P01");
        assert_ok(sqlalc_tx_rollback(ta));
        assert_ok(sqlalc_tx_commit(tb));
    }
    sqlalc_conn_close(a);
    sqlalc_conn_close(b);
    /* the survivor's two updates; the victim's were rolled back */
    assert_int_equal(test_scalar(eng, "SELECT sum(v) FROM t_locks"), 2);
    test_exec(eng, "DROP TABLE t_locks");
}

/* PostgreSQL SERIALIZABLE: a row changed since the transaction's snapshot
 * cannot be updated: 40001, retryable; the retry then succeeds. */
static void test_pg_serialization_failure_is_retryable(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql"))
        skip();
    pg_locks_setup();
    sqlalc_conn *a, *b;
    sqlalc_tx *ta;
    assert_ok(sqlalc_engine_connect(eng, &a));
    assert_ok(sqlalc_engine_connect(eng, &b));
    int attempts = 0, rc;
    for (;;) {
        attempts++;
        assert_ok(sqlalc_conn_begin(a, &ta));
        rc = sqlalc_conn_execute_sql(a, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", NULL, NULL);
        sqlalc_result *res;
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_sql(a, "SELECT v FROM t_locks WHERE id = 1", NULL, &res);
        if (rc == SQLALC_OK) {
            test_result_int64(res);
            if (attempts == 1) /* another transaction commits a change to that row */
                assert_ok(sqlalc_conn_execute_sql(b, "UPDATE t_locks SET v = 100 WHERE id = 1", NULL, NULL));
            rc = sqlalc_conn_execute_sql(a, "UPDATE t_locks SET v = v + 1 WHERE id = 1", NULL, NULL);
        }
        if (attempts == 1) {
            assert_retryable(rc, SQLALC_ERR_SERIALIZATION, "40001");
            assert_non_null(strstr(sqlalc_errmsg(), "UPDATE t_locks SET v = v + 1"));
        }
        if (rc == SQLALC_OK)
            rc = sqlalc_tx_commit(ta);
        else
            sqlalc_tx_rollback(ta);
        if (rc == SQLALC_OK || attempts == 5 || !sqlalc_error_is_retryable(NULL))
            break;
    }
    assert_ok(rc);
    assert_int_equal(attempts, 2);
    sqlalc_conn_close(a);
    sqlalc_conn_close(b);
    assert_int_equal(test_scalar(eng, "SELECT v FROM t_locks WHERE id = 1"), 101);
    test_exec(eng, "DROP TABLE t_locks");
}

/* Every SQLSTATE class maps as psycopg2 maps it (SQLAlchemy's view). */
static void test_sqlstate_classes(void **state)
{
    (void)state;
    static const struct {
        const char *state;
        int code;
    } cases[] = {
        { "40001", SQLALC_ERR_SERIALIZATION }, { "40P01", SQLALC_ERR_SERIALIZATION },
        { "55P03", SQLALC_ERR_TIMEOUT },       { "55006", SQLALC_ERR_OPERATIONAL },
        { "55000", SQLALC_ERR_OPERATIONAL },   { "40002", SQLALC_ERR_OPERATIONAL },
        { "08006", SQLALC_ERR_DISCONNECT },    { "57P01", SQLALC_ERR_DISCONNECT },
        { "57014", SQLALC_ERR_OPERATIONAL },   { "0A000", SQLALC_ERR_NOT_SUPPORTED },
        { "20000", SQLALC_ERR_PROGRAMMING },   { "21000", SQLALC_ERR_PROGRAMMING },
        { "22012", SQLALC_ERR_DATA },          { "23505", SQLALC_ERR_INTEGRITY },
        { "24000", SQLALC_ERR_INTERNAL },      { "25P02", SQLALC_ERR_INTERNAL },
        { "26000", SQLALC_ERR_OPERATIONAL },   { "27000", SQLALC_ERR_OPERATIONAL },
        { "28P01", SQLALC_ERR_OPERATIONAL },   { "2BP01", SQLALC_ERR_INTERNAL },
        { "2D000", SQLALC_ERR_INTERNAL },      { "2F005", SQLALC_ERR_INTERNAL },
        { "34000", SQLALC_ERR_OPERATIONAL },   { "38001", SQLALC_ERR_INTERNAL },
        { "39004", SQLALC_ERR_INTERNAL },      { "3B001", SQLALC_ERR_INTERNAL },
        { "3D000", SQLALC_ERR_PROGRAMMING },   { "3F000", SQLALC_ERR_PROGRAMMING },
        { "42P01", SQLALC_ERR_PROGRAMMING },   { "44000", SQLALC_ERR_PROGRAMMING },
        { "53300", SQLALC_ERR_OPERATIONAL },   { "54001", SQLALC_ERR_OPERATIONAL },
        { "58030", SQLALC_ERR_OPERATIONAL },   { "F0000", SQLALC_ERR_INTERNAL },
        { "HV000", SQLALC_ERR_OPERATIONAL },   { "P0001", SQLALC_ERR_INTERNAL },
        { "XX000", SQLALC_ERR_INTERNAL },      { "HY000", SQLALC_ERR_INTERFACE },
        { "01000", SQLALC_ERR_DATABASE },      { "", SQLALC_ERR_DATABASE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (sqlalc_code_from_sqlstate(cases[i].state) != cases[i].code)
            fail_msg("SQLSTATE %s: %s, want %s", cases[i].state,
                     sqlalc_code_name(sqlalc_code_from_sqlstate(cases[i].state)),
                     sqlalc_code_name(cases[i].code));
    /* the predicate on recorded errors, and not on others */
    sqlalc_error_set_full(SQLALC_ERR_DATABASE, "40001", 0, "a plugin driver's failure");
    assert_true(sqlalc_error_is_retryable(NULL));
    sqlalc_error_set_full(SQLALC_ERR_INTEGRITY, "23505", 0, "duplicate");
    assert_false(sqlalc_error_is_retryable(NULL));
    sqlalc_error_set_full(SQLALC_ERR_OPERATIONAL, "57014", 0, "canceling statement due to statement timeout");
    assert_false(sqlalc_error_is_retryable(NULL));
    sqlalc_error_clear();
    assert_false(sqlalc_error_is_retryable(NULL));
}

/* SQLite messages name the SQL that failed, like PostgreSQL's. */
static void test_error_message_names_sql(void **state)
{
    (void)state;
    sqlalc_result *res;
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT nope_col FROM t_people", NULL, &res),
                SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "[SQL: SELECT nope_col FROM t_people]"));
    clear_people();
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    insert_person(c, 1, "Ann", 1);
    assert_code(sqlalc_conn_execute_sql(c, "INSERT INTO t_people (id, name) VALUES (:i, 'Bob')",
                                        SQLALC_PARAMS(SQLALC_P_INT("i", 1)), NULL),
                SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "[SQL: INSERT INTO t_people (id, name) VALUES ("));
    sqlalc_conn_close(c);
}

/* ------------------------------------------------------------------ */
/* Expanding IN at scale                                               */
/* ------------------------------------------------------------------ */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* t_big holds ids 1..rows; SELECT count(*) … WHERE id IN (:ids…). */
static sqlalc_metadata *big_md;
static sqlalc_table *big_table(void)
{
    test_exec_quiet(eng, "DROP TABLE IF EXISTS t_big");
    test_exec(eng, "CREATE TABLE t_big (id INTEGER PRIMARY KEY)");
    /* 1..200,000 through a recursive CTE: no client round trip per row */
    test_exec(eng, "INSERT INTO t_big (id) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                   "WHERE i < 200000) SELECT i FROM n");
    big_md = sqlalc_metadata_new();
    sqlalc_table *t =
        sqlalc_table_new(big_md, "t_big", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY));
    assert_non_null(t);
    return t;
}

static int64_t count_in(sqlalc_stmt *q, const sqlalc_param *items, size_t n, const char *what)
{
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_params ov = { n, items };
    double t0 = now_ms();
    sqlalc_result *res;
    int rc = sqlalc_conn_execute(c, q, &ov, &res);
    if (rc)
        fail_msg("%s: %s", what, sqlalc_errmsg());
    int64_t got = test_result_int64(res);
    print_message("[ timing ] %s: expanding IN of %zu values: %.1f ms (%s)\n", what, n, now_ms() - t0,
                  test_backend());
    sqlalc_conn_close(c);
    return got;
}

/* 100,000 values: linear parameter gathering, and past the driver's
 * parameter ceiling (SQLite 32,766, PostgreSQL 65,535, ODBC 4,000) the
 * integers go inline.  Just under the ceiling they stay bound. */
static void test_expanding_in_100k(void **state)
{
    (void)state;
    sqlalc_table *t = big_table();
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(sqlalc_count_star()), sqlalc_in_expanding(sqlalc_c(t, "id"), "ids"));
    assert_non_null(q);
    size_t n = 100000;
    sqlalc_param *items = calloc(n, sizeof *items);
    assert_non_null(items);
    for (size_t i = 0; i < n; i++) /* every other id of 1..200,000 */
        items[i] = SQLALC_P_INT("ids", (int64_t)(2 * i + 1));
    items[n - 1] = SQLALC_P_INT("ids", 500000); /* and one that does not exist */
    assert_int_equal(count_in(q, items, n, "inline past the ceiling"), (int64_t)n - 1);
    /* bound: below every backend's ceiling */
    size_t bound = test_via_odbc() ? 3000 : test_dialect_is("postgresql") ? 60000 : 30000;
    assert_int_equal(count_in(q, items, bound, "bound"), (int64_t)bound);
    /* a value of another kind cannot go inline: an error naming the limit */
    items[n - 1] = SQLALC_P_TEXT("ids", "7");
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res = NULL;
    sqlalc_params ov = { n, items };
    assert_code(sqlalc_conn_execute(c, q, &ov, &res), SQLALC_ERR_NOT_SUPPORTED);
    assert_null(res);
    assert_non_null(strstr(sqlalc_errmsg(), "only integer values can be sent inline"));
    assert_non_null(strstr(sqlalc_errmsg(), "parameters one statement may carry"));
    /* an unknown name among many overrides is still named */
    items[n - 1] = SQLALC_P_INT("idz", 7);
    assert_code(sqlalc_conn_execute(c, q, &ov, &res), SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "'idz'"));
    sqlalc_conn_close(c);
    free(items);
    sqlalc_stmt_free(q);
    sqlalc_metadata_free(big_md);
    big_md = NULL;
    test_exec(eng, "DROP TABLE t_big");
}

/* An expression INSERT run over many sets (multi-row batches where the
 * backend gains from them): a failure names the one set, counted over
 * all of them, and keeps none of the rows. */
static void test_execute_many_names_the_set(void **state)
{
    (void)state;
    clear_people();
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "t_people", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL),
        sqlalc_column("weight", sqlalc_type_float(), 0), sqlalc_column("note", sqlalc_type_string(100), 0));
    assert_non_null(t);
    sqlalc_stmt *ins =
        sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("id", sqlalc_bindparam_required("id")),
                                                   SQLALC_KV("name", sqlalc_bindparam_required("name"))));
    assert_non_null(ins);
    enum { N = 2500 };
    static char names[N][16];
    sqlalc_param *ps = calloc(N * 2, sizeof *ps);
    sqlalc_params *sets = calloc(N, sizeof *sets);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "m%d", i);
        ps[i * 2] = SQLALC_P_INT("id", i + 1);
        ps[i * 2 + 1] = SQLALC_P_TEXT("name", names[i]);
        sets[i] = (sqlalc_params){ 2, &ps[i * 2] };
    }
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    ps[1500 * 2] = SQLALC_P_INT("id", 7); /* set 1500 repeats set 6's id */
    int64_t n = -1;
    assert_code(sqlalc_conn_execute_many(c, ins, sets, N, &n), SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "executemany parameter set 1500: "));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 0);
    /* and in the one-by-one rest after the batches */
    ps[1500 * 2] = SQLALC_P_INT("id", 1501);
    ps[(N - 2) * 2] = SQLALC_P_INT("id", 3);
    assert_code(sqlalc_conn_execute_many(c, ins, sets, N, &n), SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "executemany parameter set 2498: "));
    ps[(N - 2) * 2] = SQLALC_P_INT("id", N - 1);
    assert_ok(sqlalc_conn_execute_many(c, ins, sets, N, &n));
    assert_int_equal(n, N);
    sqlalc_conn_close(c);
    free(ps);
    free(sets);
    sqlalc_stmt_free(ins);
    sqlalc_metadata_free(md);
    clear_people();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_named_binds_and_rows),
        cmocka_unit_test(test_binds_not_in_quotes_or_comments),
        cmocka_unit_test(test_same_name_twice_and_positional),
        cmocka_unit_test(test_missing_and_extra_params),
        cmocka_unit_test(test_bad_sql_is_programming_error),
        cmocka_unit_test(test_integrity_error),
        cmocka_unit_test(test_transaction_commit_rollback),
        cmocka_unit_test(test_savepoints),
        cmocka_unit_test(test_failed_statement_in_tx_loses_nothing),
        cmocka_unit_test(test_executemany),
        cmocka_unit_test(test_fetchmany_fetchall),
        cmocka_unit_test(test_getter_errors),
        cmocka_unit_test(test_rowcount_and_last_id),
        cmocka_unit_test(test_nested_results_same_sql),
        cmocka_unit_test(test_engine_exec_returns_connection),
        cmocka_unit_test(test_echo),
        cmocka_unit_test(test_values_round_trip),
        cmocka_unit_test(test_null_text_pointer_binds_null),
        cmocka_unit_test(test_odbc_detects_dialect),
        cmocka_unit_test(test_bad_engine_urls),
        cmocka_unit_test(test_result_one_first),
        cmocka_unit_test(test_result_scalar_typed),
        cmocka_unit_test(test_result_all_and_value_getters),
        cmocka_unit_test(test_row_survives_fetchmany),
        cmocka_unit_test(test_text_conversions),
        cmocka_unit_test(test_engine_begin_block),
        cmocka_unit_test(test_sqlite_busy_is_retryable),
        cmocka_unit_test(test_sqlite_stale_snapshot_is_serialization),
        cmocka_unit_test(test_pg_lock_timeout_is_retryable),
        cmocka_unit_test(test_pg_deadlock_is_retryable),
        cmocka_unit_test(test_pg_serialization_failure_is_retryable),
        cmocka_unit_test(test_sqlstate_classes),
        cmocka_unit_test(test_error_message_names_sql),
        cmocka_unit_test(test_expanding_in_100k),
        cmocka_unit_test(test_execute_many_names_the_set),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

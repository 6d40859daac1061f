/*
 * Conformance suite: engine, connections, raw SQL, results, transactions.
 * Runs once per backend (SQLALC_TEST_URL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

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
        assert_ok(sqlalc_result_scalar_int64(res, &v));
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
    assert_ok(sqlalc_result_scalar_int64(res, &v));
    assert_int_equal(v, 42);
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT CAST(? AS INTEGER) * CAST(? AS INTEGER)",
                                        SQLALC_PARAMS(SQLALC_P_INT(NULL, 6), SQLALC_P_INT(NULL, 7)), &res));
    assert_ok(sqlalc_result_scalar_int64(res, &v));
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
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM t_people"), 0);

    /* inside a transaction: a savepoint undoes only the batch */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    insert_person(c, 100000, "keep", 1);
    assert_code(sqlalc_conn_execute_sql_many(
                    c, "INSERT INTO t_people (id, name, weight) VALUES (:id, :name, :w)", sets, N, NULL),
                SQLALC_ERR_INTEGRITY);
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
    /* closing a connection with an open result invalidates it safely */
    assert_ok(sqlalc_conn_execute_sql(c, q, SQLALC_PARAMS(SQLALC_P_INT("m", 1)), &r1));
    sqlalc_conn_close(c);
    assert_int_equal(sqlalc_result_next(r1, &a), SQLALC_DONE);
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
        assert_ok(sqlalc_result_scalar_int64(res, &v));
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
    assert_ok(sqlalc_result_scalar_int64(res, &v));
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
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

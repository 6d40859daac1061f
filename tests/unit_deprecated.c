/* The 0.1 names of <sqlalc/deprecated.h> still work and reach the new ones. */
#include "testutil.h"
#include <string.h>

#if defined(__GNUC__)
#    pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

static void test_old_names_forward(void **state)
{
    (void)state;
    sqlalc_engine *eng;
    sqlalc_conn *conn;
    sqlalc_tx *tx;
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_int_equal(sqlalc_engine_create("sqlite://", NULL, &eng), SQLALC_OK);
    assert_int_equal(sqlalc_connect(eng, &conn), SQLALC_OK);
    assert_int_equal(sqlalc_exec_text(conn, "CREATE TABLE t (a INTEGER)", NULL, NULL), SQLALC_OK);
    assert_int_equal(sqlalc_begin(conn, &tx), SQLALC_OK);
    assert_true(sqlalc_in_transaction(conn));
    assert_int_equal(
        sqlalc_exec_text(conn, "INSERT INTO t VALUES (:a)", SQLALC_PARAMS(SQLALC_P_INT("a", 7)), NULL),
        SQLALC_OK);
    assert_int_equal(sqlalc_tx_commit(tx), SQLALC_OK);
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_text("x"), sqlalc_literal_sql("a")));
    assert_non_null(q);
    assert_string_equal(sqlalc_stmt_sql(q, NULL), "SELECT :param_1 AS anon_1, a");
    sqlalc_stmt_free(q);
    assert_int_equal(sqlalc_exec_text(conn, "SELECT a FROM t", NULL, &res), SQLALC_OK);
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 7);
    sqlalc_result_free(res);
    sqlalc_type *ty = sqlalc_string(12);
    assert_int_equal(sqlalc_type_get_kind(ty), SQLALC_TYPE_STRING);
    assert_int_equal(sqlalc_type_length(ty), 12);
    sqlalc_type_free(ty);
    ty = sqlalc_enum("mood", "happy", "sad");
    assert_int_equal(sqlalc_type_enum_count(ty), 2);
    sqlalc_type_free(ty);
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_old_names_forward) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

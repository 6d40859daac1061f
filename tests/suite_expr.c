/*
 * Conformance suite for the expression language: statements built as
 * trees are executed on the backend under test (SQLALC_TEST_URL) and the
 * rows they return are checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "unit_compile_fixture.h"

static sqlalc_engine *eng;
static sqlalc_conn *conn;

static void drop_all(void)
{
    test_exec_quiet(eng, "DROP TABLE IF EXISTS \"Order\"");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS address");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS \"user\"");
}

static int setup(void **state)
{
    (void)state;
    fx_setup();
    eng = test_engine();
    drop_all();
    test_exec(eng, "CREATE TABLE \"user\" (id INTEGER PRIMARY KEY, name VARCHAR(50), fullname VARCHAR(100))");
    test_exec(eng, "CREATE TABLE address (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES \"user\"(id), "
                   "email VARCHAR(100))");
    test_exec(eng,
              "CREATE TABLE \"Order\" (id INTEGER PRIMARY KEY, address_id INTEGER REFERENCES address(id), "
              "\"Total\" FLOAT, \"select\" INTEGER)");
    if (sqlalc_engine_connect(eng, &conn) != SQLALC_OK)
        fail_msg("connect: %s", sqlalc_errmsg());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlalc_conn_close(conn);
    drop_all();
    sqlalc_engine_free(eng);
    fx_teardown();
    return 0;
}

/* Reset the data: 4 users, 5 addresses, through executemany and a multi-row insert. */
static int load(void **state)
{
    (void)state;
    sqlalc_stmt *d;
    d = sqlalc_delete(order);
    assert_ok(sqlalc_conn_execute(conn, d, NULL, NULL));
    sqlalc_stmt_free(d);
    d = sqlalc_delete(address);
    assert_ok(sqlalc_conn_execute(conn, d, NULL, NULL));
    sqlalc_stmt_free(d);
    d = sqlalc_delete(user);
    assert_ok(sqlalc_conn_execute(conn, d, NULL, NULL));
    sqlalc_stmt_free(d);

    sqlalc_stmt *ins = sqlalc_insert(user);
    const sqlalc_params sets[] = {
        *SQLALC_PARAMS(SQLALC_P_INT("id", 1), SQLALC_P_TEXT("name", "jack"),
                       SQLALC_P_TEXT("fullname", "Jack Jones")),
        *SQLALC_PARAMS(SQLALC_P_INT("id", 2), SQLALC_P_TEXT("name", "wendy"),
                       SQLALC_P_TEXT("fullname", "Wendy Williams")),
        *SQLALC_PARAMS(SQLALC_P_INT("id", 3), SQLALC_P_TEXT("name", "mary"), SQLALC_P_NULL("fullname")),
        *SQLALC_PARAMS(SQLALC_P_INT("id", 4), SQLALC_P_TEXT("name", "O'Brien"),
                       SQLALC_P_TEXT("fullname", "Pat O'Brien")),
    };
    int64_t n = 0;
    assert_ok(sqlalc_conn_execute_many(conn, ins, sets, 4, &n));
    assert_int_equal(n, 4);
    sqlalc_stmt_free(ins);

    sqlalc_stmt *a = sqlalc_insert(address);
    static const struct {
        int id, uid;
        const char *email;
    } rows[] = {
        { 1, 1, "jack@yahoo.com" }, { 2, 1, "jack@msn.com" }, { 3, 2, "www@www.org" },
        { 4, 2, "wendy@aol.com" },  { 5, 3, "mary@x.org" },
    };
    for (size_t i = 0; i < 5; i++)
        a = sqlalc_values(a, SQLALC_KVS(SQLALC_KV("id", sqlalc_int(rows[i].id)),
                                        SQLALC_KV("user_id", sqlalc_int(rows[i].uid)),
                                        SQLALC_KV("email", sqlalc_str(rows[i].email))));
    assert_ok(sqlalc_conn_execute(conn, a, NULL, NULL));
    sqlalc_stmt_free(a);
    return 0;
}

/* Run q (consumed) and collect column 0 of every row as text, joined by ','. */
static char *col0(sqlalc_stmt *q, const sqlalc_params *ov)
{
    static char buf[4096];
    buf[0] = 0;
    if (!q)
        fail_msg("build: %s", sqlalc_errmsg());
    sqlalc_result *res = NULL;
    int rc = sqlalc_conn_execute(conn, q, ov, &res);
    if (rc)
        fail_msg("execute: %s (SQL: %.300s)", sqlalc_errmsg(), sqlalc_stmt_sql(q, NULL));
    const sqlalc_row *row;
    int first = 1;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        if (!first)
            strncat(buf, ",", sizeof buf - strlen(buf) - 1);
        first = 0;
        const char *t = sqlalc_row_is_null(row, 0) ? "NULL" : sqlalc_row_text(row, 0);
        strncat(buf, t ? t : "?", sizeof buf - strlen(buf) - 1);
    }
    assert_int_equal(rc, SQLALC_DONE);
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);
    return buf;
}

static void test_where_or_and_in(void **state)
{
    (void)state;
    assert_string_equal(
        col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                                           sqlalc_or(sqlalc_gt(fx_c(user, "id"), sqlalc_int(3)),
                                                     sqlalc_lt(fx_c(user, "id"), sqlalc_int(2)))),
                             SQLALC_EXPRS(fx_c(user, "id"))),
             NULL),
        "jack,O'Brien");
    assert_string_equal(
        col0(sqlalc_order_by(
                 sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                               sqlalc_in(fx_c(user, "id"), SQLALC_EXPRS(sqlalc_int(2), sqlalc_int(3)))),
                 SQLALC_EXPRS(fx_c(user, "id"))),
             NULL),
        "wendy,mary");
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_in(fx_c(user, "id"), SQLALC_NOEXPRS)),
             NULL),
        "");
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(sqlalc_count_star()), sqlalc_notin(fx_c(user, "id"), SQLALC_NOEXPRS)),
             NULL),
        "4");
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "fullname"), sqlalc_null())),
             NULL),
        "mary");
    assert_string_equal(col0(sqlalc_select(SQLALC_COLS(fx_c(user, "fullname")),
                                           sqlalc_eq(fx_c(user, "name"), sqlalc_str("O'Brien"))),
                             NULL),
                        "Pat O'Brien");
    assert_string_equal(
        col0(sqlalc_order_by(
                 sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                               sqlalc_not(sqlalc_between(fx_c(user, "id"), sqlalc_int(2), sqlalc_int(3)))),
                 SQLALC_EXPRS(sqlalc_desc(fx_c(user, "id")))),
             NULL),
        "4,1");
}

static void test_like_family(void **state)
{
    (void)state;
    assert_string_equal(
        col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                                           sqlalc_contains(fx_c(user, "name"), sqlalc_str("a"))),
                             SQLALC_EXPRS(fx_c(user, "id"))),
             NULL),
        "jack,mary");
    assert_string_equal(col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                                           sqlalc_ilike(fx_c(user, "name"), sqlalc_str("o'b%"), 0)),
                             NULL),
                        "O'Brien");
    assert_string_equal(col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                                           sqlalc_startswith(fx_c(user, "name"), sqlalc_str("we"))),
                             NULL),
                        "wendy");
    assert_string_equal(col0(sqlalc_select(SQLALC_COLS(sqlalc_count_star()),
                                           sqlalc_endswith(fx_c(address, "email"), sqlalc_str(".org"))),
                             NULL),
                        "2");
    assert_string_equal(col0(sqlalc_select(SQLALC_COLS(sqlalc_count_star()),
                                           sqlalc_like(fx_c(address, "email"), sqlalc_str("%!%%"), '!')),
                             NULL),
                        "0");
}

static void test_join_group_having(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_select_from(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name"), sqlalc_count(fx_c(address, "id")))),
        sqlalc_join(sqlalc_table_expr(user), sqlalc_table_expr(address), SQLALC_JOIN_INNER));
    q = sqlalc_group_by(q, SQLALC_EXPRS(fx_c(user, "name")));
    q = sqlalc_having(q, sqlalc_gt(sqlalc_count(fx_c(address, "id")), sqlalc_int(1)));
    q = sqlalc_order_by(q, SQLALC_EXPRS(fx_c(user, "name")));
    assert_string_equal(col0(q, NULL), "jack,wendy");
    /* LEFT OUTER JOIN finds the user without addresses. */
    q = sqlalc_select_from(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(address, "id"), sqlalc_null())),
        sqlalc_join(sqlalc_table_expr(user), sqlalc_table_expr(address), SQLALC_JOIN_LEFT));
    assert_string_equal(col0(q, NULL), "O'Brien");
    /* Self-join through an alias. */
    sqlalc_expr *u2 = sqlalc_alias(sqlalc_table_expr(user), "u2");
    q = sqlalc_select(
        SQLALC_COLS(sqlalc_ac(u2, "name")),
        sqlalc_and(sqlalc_eq(fx_c(user, "name"), sqlalc_str("jack")),
                   sqlalc_eq(sqlalc_ac(u2, "id"), sqlalc_add(fx_c(user, "id"), sqlalc_int(1)))));
    assert_string_equal(col0(q, NULL), "wendy");
    sqlalc_expr_free(u2);
}

static void test_limit_offset_distinct(void **state)
{
    (void)state;
    sqlalc_stmt *q =
        sqlalc_offset(sqlalc_limit(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "name"))),
                                                   SQLALC_EXPRS(fx_c(user, "id"))),
                                   2),
                      1);
    assert_string_equal(col0(q, NULL), "wendy,mary");
    q = sqlalc_limit(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "name"))),
                                     SQLALC_EXPRS(sqlalc_desc(fx_c(user, "id")))),
                     1);
    assert_string_equal(col0(q, NULL), "O'Brien");
    q = sqlalc_order_by(sqlalc_select_distinct(sqlalc_select(SQLALC_COLS(fx_c(address, "user_id")))),
                        SQLALC_EXPRS(fx_c(address, "user_id")));
    assert_string_equal(col0(q, NULL), "1,2,3");
}

static void test_functions_case_cast(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_order_by(
        sqlalc_select(SQLALC_COLS(sqlalc_case_else(
            SQLALC_EXPRS(sqlalc_lt(fx_c(user, "id"), sqlalc_int(2)), sqlalc_str("first"),
                         sqlalc_eq(fx_c(user, "fullname"), sqlalc_null()), sqlalc_str("anon")),
            fx_c(user, "name")))),
        SQLALC_EXPRS(fx_c(user, "id")));
    assert_string_equal(col0(q, NULL), "first,wendy,anon,O'Brien");
    q = sqlalc_order_by(
        sqlalc_select(SQLALC_COLS(sqlalc_coalesce(SQLALC_EXPRS(fx_c(user, "fullname"), sqlalc_str("-"))))),
        SQLALC_EXPRS(fx_c(user, "id")));
    assert_string_equal(col0(q, NULL), "Jack Jones,Wendy Williams,-,Pat O'Brien");
    q = sqlalc_select(SQLALC_COLS(sqlalc_func("length", SQLALC_EXPRS(fx_c(user, "name")))),
                      sqlalc_eq(fx_c(user, "id"), sqlalc_int(2)));
    assert_string_equal(col0(q, NULL), "5");
    q = sqlalc_select(SQLALC_COLS(sqlalc_add(fx_c(user, "name"), sqlalc_str("!"))),
                      sqlalc_eq(fx_c(user, "id"), sqlalc_int(1)));
    assert_string_equal(col0(q, NULL), "jack!");
    q = sqlalc_select(
        SQLALC_COLS(sqlalc_cast_kind(sqlalc_add(fx_c(user, "id"), sqlalc_int(10)), SQLALC_TYPE_STRING, 10)),
        sqlalc_eq(fx_c(user, "id"), sqlalc_int(1)));
    assert_string_equal(col0(q, NULL), "11");
    q = sqlalc_order_by(sqlalc_select(SQLALC_COLS(sqlalc_over(
                            sqlalc_func("row_number", SQLALC_NOEXPRS), SQLALC_EXPRS(fx_c(address, "user_id")),
                            SQLALC_EXPRS(sqlalc_desc(fx_c(address, "id")))))),
                        SQLALC_EXPRS(fx_c(address, "id")));
    assert_string_equal(col0(q, NULL), "2,1,2,1,1");
}

static void test_subqueries(void **state)
{
    (void)state;
    /* Correlated scalar subquery: address count per user. */
    sqlalc_stmt *q =
        sqlalc_order_by(sqlalc_select_from(sqlalc_select(SQLALC_COLS(sqlalc_scalar_subquery(sqlalc_select(
                                               SQLALC_COLS(sqlalc_count(fx_c(address, "id"))),
                                               sqlalc_eq(fx_c(address, "user_id"), fx_c(user, "id")))))),
                                           sqlalc_table_expr(user)),
                        SQLALC_EXPRS(fx_c(user, "id")));
    assert_string_equal(col0(q, NULL), "2,2,1,0");
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                      sqlalc_not(sqlalc_exists(sqlalc_select(
                          SQLALC_NOEXPRS, sqlalc_eq(fx_c(address, "user_id"), fx_c(user, "id"))))));
    assert_string_equal(col0(q, NULL), "O'Brien");
    q = sqlalc_order_by(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                      sqlalc_in_select(fx_c(user, "id"), sqlalc_select(SQLALC_COLS(fx_c(address, "user_id")),
                                                                       sqlalc_like(fx_c(address, "email"),
                                                                                   sqlalc_str("%.com"), 0)))),
        SQLALC_EXPRS(fx_c(user, "id")));
    assert_string_equal(col0(q, NULL), "jack,wendy");
    sqlalc_expr *sq =
        sqlalc_subquery(sqlalc_group_by(sqlalc_select(SQLALC_COLS(fx_c(address, "user_id"),
                                                                  sqlalc_label(sqlalc_count_star(), "cnt"))),
                                        SQLALC_EXPRS(fx_c(address, "user_id"))),
                        "sq");
    q = sqlalc_select_from(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(sqlalc_ac(sq, "cnt"), sqlalc_int(1))),
        sqlalc_join_on(sqlalc_table_expr(user), sqlalc_expr_ref(sq),
                       sqlalc_eq(fx_c(user, "id"), sqlalc_ac(sq, "user_id")), SQLALC_JOIN_INNER));
    assert_string_equal(col0(q, NULL), "mary");
    sqlalc_expr_free(sq);
}

static void test_compound_and_cte(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_order_by(
        sqlalc_union(sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_lt(fx_c(user, "id"), sqlalc_int(3))),
                     sqlalc_select(SQLALC_COLS(fx_c(address, "user_id")))),
        SQLALC_EXPRS(fx_c(user, "id")));
    assert_string_equal(col0(q, NULL), "1,2,3");
    q = sqlalc_except(sqlalc_select(SQLALC_COLS(fx_c(user, "id"))),
                      sqlalc_select(SQLALC_COLS(fx_c(address, "user_id"))));
    assert_string_equal(col0(q, NULL), "4");
    /* Typed anchor: PostgreSQL types an untyped parameter as text. */
    sqlalc_expr *cnt =
        sqlalc_cte_recursive(sqlalc_select(SQLALC_COLS(
                                 sqlalc_label(sqlalc_cast_kind(sqlalc_int(1), SQLALC_TYPE_INTEGER, 0), "n"))),
                             "cnt");
    sqlalc_expr *cnt2 = sqlalc_cte_union_all(
        sqlalc_expr_ref(cnt), sqlalc_select(SQLALC_COLS(sqlalc_add(sqlalc_ac(cnt, "n"), sqlalc_int(1))),
                                            sqlalc_lt(sqlalc_ac(cnt, "n"), sqlalc_int(5))));
    q = sqlalc_select(SQLALC_COLS(sqlalc_func("sum", SQLALC_EXPRS(sqlalc_ac(cnt2, "n")))));
    assert_string_equal(col0(q, NULL), "15");
    sqlalc_expr_free(cnt);
    sqlalc_expr_free(cnt2);
}

static void test_update_delete_returning(void **state)
{
    (void)state;
    sqlalc_stmt *u = sqlalc_where(
        sqlalc_values(sqlalc_update(user),
                      SQLALC_KVS(SQLALC_KV("fullname", sqlalc_add(fx_c(user, "name"), sqlalc_str(" X"))))),
        sqlalc_eq(fx_c(user, "id"), sqlalc_int(3)));
    assert_ok(sqlalc_conn_execute(conn, u, NULL, NULL));
    sqlalc_stmt_free(u);
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(fx_c(user, "fullname")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(3))),
             NULL),
        "mary X");
    sqlalc_stmt *d =
        sqlalc_returning(sqlalc_where(sqlalc_delete(address), sqlalc_gt(fx_c(address, "id"), sqlalc_int(3))),
                         SQLALC_COLS(fx_c(address, "email")));
    d = sqlalc_order_by(d, SQLALC_NOEXPRS);
    assert_null(d); /* ORDER BY is for SELECTs */
    if (!strcmp(test_backend(), "odbc_sqlite"))
        return; /* the SQLite ODBC driver returns no rows for DML … RETURNING */
    d = sqlalc_returning(sqlalc_where(sqlalc_delete(address), sqlalc_eq(fx_c(address, "id"), sqlalc_int(5))),
                         SQLALC_COLS(fx_c(address, "email")));
    assert_string_equal(col0(d, NULL), "mary@x.org");
    sqlalc_stmt *ins = sqlalc_returning(
        sqlalc_values(sqlalc_insert(address),
                      SQLALC_KVS(SQLALC_KV("id", sqlalc_int(9)), SQLALC_KV("email", sqlalc_str("n@x")))),
        SQLALC_COLS(fx_c(address, "id")));
    assert_string_equal(col0(ins, NULL), "9");
    /* RETURNING's rowcount is there before a row is read (as psycopg2
     * reports it): the rows are read at execution */
    sqlalc_stmt *ur = sqlalc_returning(
        sqlalc_where(sqlalc_values(sqlalc_update(address), SQLALC_KVS(SQLALC_KV("email", sqlalc_str("z")))),
                     sqlalc_le(fx_c(address, "id"), sqlalc_int(3))),
        SQLALC_COLS(fx_c(address, "id"), sqlalc_label(fx_c(address, "email"), "e")));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute(conn, ur, NULL, &res));
    assert_int_equal(sqlalc_result_rowcount(res), 3);
    assert_string_equal(sqlalc_result_column_name(res, 1), "e");
    assert_int_equal(sqlalc_result_column_index(res, "e"), 1);
    const sqlalc_row *row;
    int n = 0;
    while (sqlalc_result_next(res, &row) == SQLALC_ROW) {
        assert_string_equal(sqlalc_row_text_by_name(row, "e"), "z");
        n++;
    }
    assert_int_equal(n, 3);
    assert_int_equal(sqlalc_result_rowcount(res), 3);
    sqlalc_result_free(res);
    /* and through first / all */
    assert_ok(sqlalc_conn_execute(conn, ur, NULL, &res));
    sqlalc_rowset *rs;
    assert_ok(sqlalc_result_all(res, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 3);
    sqlalc_rowset_free(rs);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute(conn, ur, NULL, &res));
    assert_ok(sqlalc_result_first(res, &row));
    assert_string_equal(sqlalc_row_text(row, 1), "z");
    sqlalc_result_free(res);
    sqlalc_stmt_free(ur);
}

/* UPDATE … FROM / DELETE … USING (issue 9.3): the other table the WHERE
 * names joins the statement; where the dialect cannot (SQLite DELETE) the
 * compile fails instead of running SQL without it. */
static int64_t exec_rowcount(sqlalc_stmt *q)
{
    sqlalc_result *res = NULL;
    assert_ok(sqlalc_conn_execute(conn, q, NULL, &res));
    int64_t n = sqlalc_result_rowcount(res);
    sqlalc_result_free(res);
    return n;
}

static void test_update_from_delete_using(void **state)
{
    (void)state;
    /* users with an address at msn.com or aol.com get the address as fullname */
    sqlalc_stmt *u = sqlalc_where(
        sqlalc_values(sqlalc_update(user), SQLALC_KVS(SQLALC_KV("fullname", fx_c(address, "email")))),
        sqlalc_and(sqlalc_eq(fx_c(user, "id"), fx_c(address, "user_id")),
                   sqlalc_or(sqlalc_like(fx_c(address, "email"), sqlalc_str("%msn.com"), 0),
                             sqlalc_like(fx_c(address, "email"), sqlalc_str("%aol.com"), 0))));
    assert_non_null(u);
    assert_int_equal(exec_rowcount(u), 2);
    sqlalc_stmt_free(u);
    assert_string_equal(col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "fullname"))),
                                             SQLALC_EXPRS(fx_c(user, "id"))),
                             NULL),
                        "jack@msn.com,wendy@aol.com,NULL,Pat O'Brien");

    /* an aliased other table */
    sqlalc_expr *a = sqlalc_alias(sqlalc_table_expr(address), "a");
    u = sqlalc_where(
        sqlalc_values(sqlalc_update(user), SQLALC_KVS(SQLALC_KV("name", sqlalc_str("has mary@")))),
        sqlalc_and(sqlalc_eq(fx_c(user, "id"), sqlalc_ac(a, "user_id")),
                   sqlalc_eq(sqlalc_ac(a, "email"), sqlalc_str("mary@x.org"))));
    sqlalc_expr_free(a);
    assert_ok(sqlalc_conn_execute(conn, u, NULL, NULL));
    sqlalc_stmt_free(u);
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(3))),
             NULL),
        "has mary@");

    /* DELETE the addresses of users named wendy */
    sqlalc_stmt *d =
        sqlalc_where(sqlalc_delete(address), sqlalc_and(sqlalc_eq(fx_c(user, "id"), fx_c(address, "user_id")),
                                                        sqlalc_eq(fx_c(user, "name"), sqlalc_str("wendy"))));
    assert_non_null(d);
    if (test_dialect_is("sqlite")) {
        assert_int_equal(sqlalc_conn_execute(conn, d, NULL, NULL), SQLALC_ERR_NOT_SUPPORTED);
        assert_non_null(strstr(sqlalc_errmsg(), "\"user\" besides \"address\""));
        sqlalc_stmt_free(d);
        return;
    }
    assert_int_equal(exec_rowcount(d), 2);
    sqlalc_stmt_free(d);
    assert_string_equal(col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(address, "id"))),
                                             SQLALC_EXPRS(fx_c(address, "id"))),
                             NULL),
                        "1,2,5");
}

/* Column 0 of a one-row result, as its value type and text. */
static const char *typed0(sqlalc_stmt *q, sqlalc_vtype *type)
{
    static char buf[256];
    sqlalc_result *res = NULL;
    if (!q)
        fail_msg("build: %s", sqlalc_errmsg());
    if (sqlalc_conn_execute(conn, q, NULL, &res))
        fail_msg("execute: %s", sqlalc_errmsg());
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_value v;
    assert_ok(sqlalc_row_get_value(row, 0, &v));
    *type = v.type;
    const char *t = sqlalc_row_text(row, 0);
    snprintf(buf, sizeof buf, "%s", t ? t : "NULL");
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);
    return buf;
}

#define ASSERT_TYPED(q, vt, text)          \
    do {                                   \
        sqlalc_vtype t_;                   \
        const char *s_ = typed0((q), &t_); \
        assert_string_equal(s_, (text));   \
        assert_int_equal(t_, (vt));        \
    } while (0)

/* Typed results (issue 9.2): values follow the statement's column types,
 * the same on every backend, as SQLAlchemy's result processors. */
static void test_typed_results(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "x_typed", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("flag", sqlalc_type_boolean(), 0),
        sqlalc_column("price", sqlalc_type_numeric(10, 2), 0), sqlalc_column("d", sqlalc_type_date(), 0),
        sqlalc_column("ts", sqlalc_type_datetime(0), 0), sqlalc_column("tm", sqlalc_type_time(0), 0),
        sqlalc_column("f", sqlalc_type_float(), 0));
    assert_non_null(t);
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_typed");
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_stmt *ins = sqlalc_values(
        sqlalc_insert(t),
        SQLALC_KVS(
            SQLALC_KV("id", sqlalc_int(1)), SQLALC_KV("flag", sqlalc_bool(1)),
            SQLALC_KV("price", sqlalc_value_expr(SQLALC_TYPEDV(SQLALC_V_NUMERIC, "59.90"))),
            SQLALC_KV("d", sqlalc_value_expr(SQLALC_TYPEDV(SQLALC_V_DATE, "2024-02-29"))),
            SQLALC_KV("ts", sqlalc_value_expr(SQLALC_TYPEDV(SQLALC_V_DATETIME, "2024-02-29 13:14:15.500"))),
            SQLALC_KV("tm", sqlalc_value_expr(SQLALC_TYPEDV(SQLALC_V_TIME, "13:14:15"))),
            SQLALC_KV("f", sqlalc_int(3))));
    ins = sqlalc_values(ins, SQLALC_KVS(SQLALC_KV("id", sqlalc_int(2)), SQLALC_KV("flag", sqlalc_bool(0)),
                                        SQLALC_KV("price", sqlalc_int(168)), SQLALC_KV("d", sqlalc_null()),
                                        SQLALC_KV("ts", sqlalc_null()), SQLALC_KV("tm", sqlalc_null()),
                                        SQLALC_KV("f", sqlalc_float(0.25))));
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    sqlalc_expr *one = sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(1));
    sqlalc_expr *two = sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(2));
#define COL1(col) sqlalc_select(SQLALC_COLS(col), sqlalc_expr_ref(one))
#define COL2(col) sqlalc_select(SQLALC_COLS(col), sqlalc_expr_ref(two))
    ASSERT_TYPED(COL1(sqlalc_c(t, "flag")), SQLALC_V_BOOL, "true");
    ASSERT_TYPED(COL2(sqlalc_c(t, "flag")), SQLALC_V_BOOL, "false");
    ASSERT_TYPED(COL1(sqlalc_c(t, "price")), SQLALC_V_NUMERIC, "59.90");
    ASSERT_TYPED(COL2(sqlalc_c(t, "price")), SQLALC_V_NUMERIC, "168.00");
    /* arithmetic keeps the Numeric type: SQLite's float comes back with two decimals */
    ASSERT_TYPED(COL1(sqlalc_mul(sqlalc_c(t, "price"), sqlalc_int(3))), SQLALC_V_NUMERIC, "179.70");
    ASSERT_TYPED(sqlalc_select(SQLALC_COLS(sqlalc_func("sum", SQLALC_EXPRS(sqlalc_c(t, "price"))))),
                 SQLALC_V_NUMERIC, "227.90");
    ASSERT_TYPED(COL1(sqlalc_c(t, "d")), SQLALC_V_DATE, "2024-02-29");
    ASSERT_TYPED(COL1(sqlalc_c(t, "ts")), SQLALC_V_DATETIME, "2024-02-29 13:14:15.5");
    ASSERT_TYPED(COL1(sqlalc_c(t, "tm")), SQLALC_V_TIME, "13:14:15");
    ASSERT_TYPED(COL1(sqlalc_c(t, "f")), SQLALC_V_FLOAT, "3");
    ASSERT_TYPED(COL2(sqlalc_c(t, "f")), SQLALC_V_FLOAT, "0.25");
    /* a comparison is a Boolean, a CAST its target type */
    ASSERT_TYPED(COL1(sqlalc_gt(sqlalc_c(t, "price"), sqlalc_int(50))), SQLALC_V_BOOL, "true");
    ASSERT_TYPED(COL1(sqlalc_cast(sqlalc_c(t, "id"), sqlalc_type_numeric(8, 3))), SQLALC_V_NUMERIC, "1.000");
    ASSERT_TYPED(COL1(sqlalc_cast(sqlalc_c(t, "id"), sqlalc_type_float())), SQLALC_V_FLOAT, "1");
    ASSERT_TYPED(COL2(sqlalc_c(t, "d")), SQLALC_V_NULL, "NULL");
    /* the same through fetchall (rowset) */
    sqlalc_stmt *q = sqlalc_order_by(sqlalc_select(SQLALC_COLS(sqlalc_c(t, "flag"), sqlalc_c(t, "price"))),
                                     SQLALC_EXPRS(sqlalc_c(t, "id")));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute(conn, q, NULL, &res));
    sqlalc_rowset *rs;
    assert_ok(sqlalc_result_all(res, &rs));
    assert_int_equal(sqlalc_rowset_count(rs), 2);
    int b = -1;
    assert_ok(sqlalc_row_get_bool(sqlalc_rowset_row(rs, 1), 0, &b));
    assert_int_equal(b, 0);
    assert_string_equal(sqlalc_row_text(sqlalc_rowset_row(rs, 0), 1), "59.90");
    assert_string_equal(sqlalc_row_text(sqlalc_rowset_row(rs, 1), 1), "168.00");
    double dv = 0;
    assert_ok(sqlalc_row_get_double(sqlalc_rowset_row(rs, 1), 1, &dv));
    assert_true(dv == 168.0);
    sqlalc_rowset_free(rs);
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);
    /* decimal text rounded half away from zero, padded, exponents read */
    sqlalc_stmt *tq = sqlalc_text_columns(
        sqlalc_text_sql("SELECT '9.995' AS a, '-0.004' AS b, '1e3' AS c, '7' AS d, '0.125' AS e", NULL),
        sqlalc_column_clause("a", sqlalc_type_numeric(10, 2)),
        sqlalc_column_clause("b", sqlalc_type_numeric(10, 2)),
        sqlalc_column_clause("c", sqlalc_type_numeric(10, 2)),
        sqlalc_column_clause("d", sqlalc_type_numeric(10, 3)),
        sqlalc_column_clause("e", sqlalc_type_numeric(10, 0)));
    assert_ok(sqlalc_conn_execute(conn, tq, NULL, &res));
    const sqlalc_row *tr;
    assert_int_equal(sqlalc_result_next(res, &tr), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(tr, 0), "10.00");
    assert_string_equal(sqlalc_row_text(tr, 1), "0.00");
    assert_string_equal(sqlalc_row_text(tr, 2), "1000.00");
    assert_string_equal(sqlalc_row_text(tr, 3), "7.000");
    assert_string_equal(sqlalc_row_text(tr, 4), "0");
    sqlalc_result_free(res);
    sqlalc_stmt_free(tq);
#undef COL1
#undef COL2
    sqlalc_expr_free(one);
    sqlalc_expr_free(two);
    test_exec(eng, "DROP TABLE x_typed");
    sqlalc_metadata_free(md);
}

/* select(table), union(a, b, c), selected_columns, text().columns()
 * (issues 9.7 and 9.2), run with rows checked. */
static void test_select_table_compounds_text_columns(void **state)
{
    (void)state;
    /* every column of a table, of an alias */
    sqlalc_stmt *q =
        sqlalc_order_by(sqlalc_select_table(sqlalc_table_expr(user)), SQLALC_EXPRS(fx_c(user, "id")));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute(conn, q, NULL, &res));
    assert_int_equal(sqlalc_result_column_count(res), 3);
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 2), "Jack Jones");
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);
    sqlalc_expr *a = sqlalc_alias(sqlalc_table_expr(address), "a");
    assert_string_equal(col0(sqlalc_order_by(sqlalc_where(sqlalc_select_table(sqlalc_expr_ref(a)),
                                                          sqlalc_eq(sqlalc_ac(a, "user_id"), sqlalc_int(2))),
                                             SQLALC_EXPRS(sqlalc_ac(a, "id"))),
                             NULL),
                        "3,4");
    sqlalc_expr_free(a);
    assert_null(sqlalc_select_table(sqlalc_int(1)));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);

    /* a UNION of three, ordered by its selected column */
    sqlalc_stmt *u = sqlalc_union_of(SQLALC_STMTS(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(1))),
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(3))),
        sqlalc_select(SQLALC_COLS(sqlalc_label(fx_c(address, "email"), "name")),
                      sqlalc_eq(fx_c(address, "id"), sqlalc_int(5)))));
    assert_non_null(u);
    sqlalc_expr *by = sqlalc_selected_column(u, "name");
    assert_non_null(by);
    assert_string_equal(col0(sqlalc_order_by(u, SQLALC_EXPRS(sqlalc_desc(by))), NULL),
                        "mary@x.org,mary,jack");
    assert_null(sqlalc_union_of(SQLALC_STMTS(sqlalc_select(SQLALC_COLS(fx_c(user, "name"))))));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);

    /* raw SQL with declared result columns: typed, and usable as a subquery */
    sqlalc_stmt *t = sqlalc_text_columns(
        sqlalc_text_sql("SELECT id, 1.5 * id AS amount, id > 2 AS big FROM address WHERE user_id = :u",
                        SQLALC_PARAMS(SQLALC_P_INT("u", 2))),
        sqlalc_column_clause("id", sqlalc_type_integer()),
        sqlalc_column_clause("amount", sqlalc_type_numeric(10, 2)),
        sqlalc_column_clause("big", sqlalc_type_boolean()));
    assert_non_null(t);
    assert_ok(sqlalc_conn_execute(conn, t, NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_value v;
    assert_ok(sqlalc_row_get_value(row, 1, &v));
    assert_int_equal(v.type, SQLALC_V_NUMERIC);
    assert_string_equal(sqlalc_row_text(row, 1), "4.50");
    assert_ok(sqlalc_row_get_value(row, 2, &v));
    assert_int_equal(v.type, SQLALC_V_BOOL);
    assert_string_equal(sqlalc_row_text(row, 2), "true");
    sqlalc_result_free(res);
    /* clauses do not apply to it */
    assert_null(sqlalc_where(sqlalc_stmt_ref(t), sqlalc_true()));
    assert_non_null(strstr(sqlalc_errmsg(), "textual SELECT"));
    sqlalc_expr *sq = sqlalc_subquery(t, "t");
    assert_string_equal(col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(sqlalc_ac(sq, "amount")),
                                                           sqlalc_gt(sqlalc_ac(sq, "id"), sqlalc_int(3))),
                                             SQLALC_EXPRS(sqlalc_ac(sq, "id"))),
                             NULL),
                        "6.00");
    sqlalc_expr_free(sq);
}

/* 1 when a table of that name answers a SELECT on conn. */
static int table_there(const char *name)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", name);
    sqlalc_result *res = NULL;
    int rc = sqlalc_conn_execute_sql(conn, sql, NULL, &res);
    sqlalc_result_free(res);
    return rc == SQLALC_OK;
}

/* create_all / drop_all over a chosen subset of a MetaData's tables, on a
 * connection inside the caller's transaction (issue 9.7). */
static void test_create_drop_subset(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *p =
        sqlalc_table_new(md, "x_parent", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY));
    sqlalc_table *k =
        sqlalc_table_new(md, "x_kid", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("pid", sqlalc_type_integer(), 0, sqlalc_foreign_key("x_parent.id")));
    sqlalc_table *o =
        sqlalc_table_new(md, "x_other", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY));
    assert_true(p && k && o);
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_kid");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_parent");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_other");
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(conn, &tx));
    /* listed child first: created in the MetaData's FK order all the same */
    sqlalc_table *const some[] = { k, p };
    assert_ok(sqlalc_metadata_create_tables_conn(md, conn, some, 2, 0));
    assert_true(table_there("x_parent"));
    assert_true(table_there("x_kid"));
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO x_parent (id) VALUES (1)", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO x_kid (id, pid) VALUES (1, 1)", NULL, NULL));
    /* checkfirst: the existing ones are skipped, the missing one made */
    sqlalc_table *const all3[] = { o, p, k };
    assert_ok(sqlalc_metadata_create_tables_conn(md, conn, all3, 3, SQLALC_CHECKFIRST));
    assert_true(table_there("x_other"));
    /* drop two of three, parent after child */
    assert_ok(sqlalc_metadata_drop_tables_conn(md, conn, some, 2, 0));
    assert_true(table_there("x_other"));
    assert_ok(sqlalc_tx_commit(tx));
    assert_ok(sqlalc_metadata_drop_tables_conn(md, conn, all3, 1, 0));
    assert_false(table_there("x_other"));
    /* a table of another MetaData */
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *z =
        sqlalc_table_new(md2, "x_z", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY));
    sqlalc_table *const bad[] = { p, z };
    assert_int_equal(sqlalc_metadata_create_tables_conn(md, conn, bad, 2, 0), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "x_z"));
    assert_ok(sqlalc_metadata_create_tables_conn(md, conn, NULL, 0, 0)); /* the empty subset: nothing */
    assert_false(table_there("x_parent"));
    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
}

/* VALUES as a FROM item (issue 9.4): selected, joined, in UPDATE … FROM. */
static sqlalc_expr *pairs(void)
{
    return sqlalc_values_clause("v",
                                SQLALC_EXPRS(sqlalc_column_clause("id", sqlalc_type_integer()),
                                             sqlalc_column_clause("name", sqlalc_type_string(0))),
                                SQLALC_EXPRS(sqlalc_int(1), sqlalc_str("jack"), sqlalc_int(3),
                                             sqlalc_str("mary"), sqlalc_int(9), sqlalc_str("x")));
}

static void test_values_from(void **state)
{
    (void)state;
    sqlalc_expr *v = pairs();
    assert_non_null(v);
    assert_string_equal(col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(sqlalc_ac(v, "name"))),
                                             SQLALC_EXPRS(sqlalc_desc(sqlalc_ac(v, "name")))),
                             NULL),
                        "x,mary,jack");
    assert_string_equal(col0(sqlalc_select_table(sqlalc_expr_ref(v)), NULL), "1,3,9");
    /* joined on its text column */
    assert_string_equal(
        col0(sqlalc_order_by(
                 sqlalc_select_from(sqlalc_select(SQLALC_COLS(fx_c(user, "fullname"))),
                                    sqlalc_join_on(sqlalc_table_expr(user), sqlalc_expr_ref(v),
                                                   sqlalc_eq(fx_c(user, "name"), sqlalc_ac(v, "name")),
                                                   SQLALC_JOIN_INNER)),
                 SQLALC_EXPRS(fx_c(user, "id"))),
             NULL),
        "Jack Jones,NULL");
    /* UPDATE … FROM the list: the names by id (compared as text on PostgreSQL,
     * where an untyped integer parameter in VALUES is text) */
    sqlalc_stmt *u = sqlalc_where(
        sqlalc_values(sqlalc_update(user), SQLALC_KVS(SQLALC_KV("fullname", sqlalc_ac(v, "name")))),
        sqlalc_eq(fx_c(user, "name"), sqlalc_ac(v, "name")));
    assert_int_equal(exec_rowcount(u), 2);
    sqlalc_stmt_free(u);
    assert_string_equal(col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "fullname"))),
                                             SQLALC_EXPRS(fx_c(user, "id"))),
                             NULL),
                        "jack,Wendy Williams,mary,Pat O'Brien");
    sqlalc_expr_free(v);
    /* bad shapes */
    assert_null(sqlalc_values_clause("v", SQLALC_EXPRS(sqlalc_column_clause("id", NULL)), SQLALC_NOEXPRS));
    assert_non_null(strstr(sqlalc_errmsg(), "no rows"));
    assert_null(sqlalc_values_clause(
        "v", SQLALC_EXPRS(sqlalc_column_clause("a", NULL), sqlalc_column_clause("b", NULL)),
        SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))));
    assert_non_null(strstr(sqlalc_errmsg(), "whole number of rows"));
}

/* SQLite: a reflected DEFAULT that is a bare word (SQLite reads DEFAULT foo
 * as the string 'foo') is written back without parentheses, which would
 * make it a column reference ("default value … is not constant"; found by
 * fuzz_reflect_sqlite). */
static void test_sqlite_reflected_word_default(void **state)
{
    (void)state;
    if (!test_dialect_is("sqlite") || test_via_odbc())
        return;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_wd");
    test_exec(eng, "CREATE TABLE x_wd (id INTEGER PRIMARY KEY, ts DATETIME DEFAULT CURRENIMESTAMP, "
                   "n INTEGER DEFAULT (1 + 2))");
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_ok(sqlalc_metadata_reflect(md, eng, NULL));
    char *script = NULL;
    assert_ok(sqlalc_metadata_create_script(md, sqlalc_find_dialect("sqlite"), &script));
    assert_non_null(strstr(script, "DEFAULT CURRENIMESTAMP"));
    assert_non_null(strstr(script, "DEFAULT (1 + 2)"));
    sqlalc_free(script);
    test_exec(eng, "DROP TABLE x_wd");
    sqlalc_table *const wd[] = { sqlalc_metadata_table(md, "x_wd") };
    assert_non_null(wd[0]);
    assert_ok(sqlalc_metadata_create_tables_conn(md, conn, wd, 1, 0));
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO x_wd (id) VALUES (1)", NULL, NULL));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM x_wd WHERE ts = 'CURRENIMESTAMP' AND n = 3"), 1);
    test_exec(eng, "DROP TABLE x_wd");
    sqlalc_metadata_free(md);
}

static void test_upsert(void **state)
{
    (void)state;
    sqlalc_stmt *i = sqlalc_on_conflict_do_nothing(
        sqlalc_values(sqlalc_insert(user),
                      SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)), SQLALC_KV("name", sqlalc_str("dup")))),
        SQLALC_EXPRS(fx_c(user, "id")));
    assert_ok(sqlalc_conn_execute(conn, i, NULL, NULL));
    sqlalc_stmt_free(i);
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(1))),
             NULL),
        "jack");
    i = sqlalc_on_conflict_do_update_where(
        sqlalc_values(sqlalc_insert(user),
                      SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)), SQLALC_KV("name", sqlalc_str("jack2")))),
        SQLALC_EXPRS(fx_c(user, "id")), SQLALC_KVS(SQLALC_KV("name", sqlalc_excluded(user, "name"))),
        sqlalc_lt(fx_c(user, "id"), sqlalc_int(10)));
    assert_ok(sqlalc_conn_execute(conn, i, NULL, NULL));
    sqlalc_stmt_free(i);
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(1))),
             NULL),
        "jack2");
}

static void test_overrides_and_cache(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                                   sqlalc_eq(fx_c(user, "id"), sqlalc_bindparam("uid", SQLALC_INTV(1))));
    sqlalc_stmt_ref(q);
    assert_string_equal(col0(q, NULL), "jack");
    const char *names[] = { "jack", "wendy", "mary", "O'Brien" };
    for (int k = 1; k <= 4; k++) {
        sqlalc_stmt_ref(q);
        assert_string_equal(col0(q, SQLALC_PARAMS(SQLALC_P_INT("uid", k))), names[k - 1]);
    }
    /* Anonymous binds are overridable by their compiled names too. */
    sqlalc_stmt *q2 =
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_eq(fx_c(user, "id"), sqlalc_int(1)));
    assert_string_equal(col0(q2, SQLALC_PARAMS(SQLALC_P_INT("id_1", 2))), "wendy");
    /* Unknown and missing names are errors naming them. */
    sqlalc_result *res = NULL;
    assert_code(sqlalc_conn_execute(conn, q, SQLALC_PARAMS(SQLALC_P_INT("nope", 2)), &res),
                SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "nope"));
    sqlalc_stmt_free(q);
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "name")),
                      sqlalc_eq(fx_c(user, "id"), sqlalc_bindparam_required("uid")));
    assert_code(sqlalc_conn_execute(conn, q, NULL, &res), SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "uid"));
    sqlalc_stmt_free(q);
}

/* An expanding IN: the list is given at execution, one entry per value. */
static void test_expanding_in(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_order_by(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_in_expanding(fx_c(user, "id"), "ids")),
        SQLALC_EXPRS(fx_c(user, "id")));
    sqlalc_stmt_ref(q);
    assert_string_equal(col0(q, SQLALC_PARAMS(SQLALC_P_INT("ids", 4), SQLALC_P_INT("ids", 2))),
                        "wendy,O'Brien");
    sqlalc_stmt_ref(q);
    assert_string_equal(col0(q, SQLALC_PARAMS(SQLALC_P_INT("ids", 3))), "mary");
    /* no overrides at all: the empty list, as the header says */
    sqlalc_stmt_ref(q);
    assert_string_equal(col0(q, NULL), "");
    assert_string_equal(
        sqlalc_stmt_sql(q, NULL),
        "SELECT \"user\".name \nFROM \"user\" \nWHERE \"user\".id IN (__[POSTCOMPILE_ids]) ORDER BY \"user\".id");
    sqlalc_stmt_free(q);
}

static void test_engine_execute_and_many_update(void **state)
{
    (void)state;
    sqlalc_stmt *u =
        sqlalc_where(sqlalc_values(sqlalc_update(user),
                                   SQLALC_KVS(SQLALC_KV("fullname", sqlalc_bindparam_required("fn")))),
                     sqlalc_eq(fx_c(user, "id"), sqlalc_bindparam_required("uid")));
    const sqlalc_params sets[] = {
        *SQLALC_PARAMS(SQLALC_P_TEXT("fn", "A"), SQLALC_P_INT("uid", 1)),
        *SQLALC_PARAMS(SQLALC_P_TEXT("fn", "B"), SQLALC_P_INT("uid", 2)),
    };
    int64_t n = 0;
    assert_ok(sqlalc_conn_execute_many(conn, u, sets, 2, &n));
    assert_int_equal(n, 2);
    sqlalc_stmt_free(u);
    sqlalc_stmt *q = sqlalc_order_by(
        sqlalc_select(SQLALC_COLS(fx_c(user, "fullname")), sqlalc_le(fx_c(user, "id"), sqlalc_int(2))),
        SQLALC_EXPRS(fx_c(user, "id")));
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute(eng, q, NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "A");
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "B");
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);
}

static void test_split_multirow_insert(void **state)
{
    (void)state;
    /* More rows than one statement may carry parameters for on every
     * backend: SQLite's 32,766, PostgreSQL's 65,535, the ODBC driver's 4,000. */
    int rows = 25000;
    sqlalc_stmt *ins = sqlalc_insert(order);
    for (int i = 0; i < rows; i++)
        ins = sqlalc_values(ins, SQLALC_KVS(SQLALC_KV("id", sqlalc_int(i + 1)),
                                            SQLALC_KV("Total", sqlalc_float(i * 0.5)),
                                            SQLALC_KV("select", sqlalc_int(i % 7))));
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    char want[32];
    snprintf(want, sizeof want, "%d", rows);
    assert_string_equal(col0(sqlalc_select(SQLALC_COLS(sqlalc_count_star()),
                                           sqlalc_ge(fx_c(order, "Total"), sqlalc_float(0))),
                             NULL),
                        want);
    snprintf(want, sizeof want, "%d", (rows + 6) / 7); /* ids with i % 7 == 0 */
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(sqlalc_count_star()), sqlalc_eq(fx_c(order, "select"), sqlalc_int(0))),
             NULL),
        want);
}

/* Tables declared through the schema API (sqlalc_table_new), created with
 * create_all: the FK the schema resolved drives the JOIN's ON clause, the
 * lesson's DESIGN.md query runs as written, and a reflected table works
 * in expressions like a declared one. */
static void test_schema_api_tables(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *u =
        sqlalc_table_new(md, "x_user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("first_name", sqlalc_type_string(50), SQLALC_NOT_NULL),
                         sqlalc_column("last_name", sqlalc_type_string(50), 0));
    sqlalc_table *a =
        sqlalc_table_new(md, "x_address", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("user_id", sqlalc_type_integer(), 0, sqlalc_foreign_key("x_user.id")),
                         sqlalc_column("email", sqlalc_type_string(100), 0));
    assert_non_null(u);
    assert_non_null(a);
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_address");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_user");
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));

    sqlalc_stmt *ins = sqlalc_insert(u);
    for (int i = 1; i <= 6; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        ins = sqlalc_values(
            ins, SQLALC_KVS(SQLALC_KV("id", sqlalc_int(i)), SQLALC_KV("first_name", sqlalc_str(name))));
    }
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    ins = sqlalc_values(sqlalc_values(sqlalc_insert(a), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)),
                                                                   SQLALC_KV("user_id", sqlalc_int(1)),
                                                                   SQLALC_KV("email", sqlalc_str("a@x")))),
                        SQLALC_KVS(SQLALC_KV("id", sqlalc_int(2)), SQLALC_KV("user_id", sqlalc_int(6)),
                                   SQLALC_KV("email", sqlalc_str("b@x"))));
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);

    /* DESIGN.md's query. */
    sqlalc_stmt *q = sqlalc_order_by(sqlalc_select(SQLALC_COLS(sqlalc_c(u, "first_name")),
                                                   sqlalc_or(sqlalc_gt(sqlalc_c(u, "id"), sqlalc_int(5)),
                                                             sqlalc_lt(sqlalc_c(u, "id"), sqlalc_int(2)))),
                                     SQLALC_EXPRS(sqlalc_c(u, "id")));
    assert_string_equal(col0(q, NULL), "n1,n6");
    /* ON inferred from the declared foreign key. */
    q = sqlalc_order_by(
        sqlalc_select_from(sqlalc_select(SQLALC_COLS(sqlalc_c(a, "email"), sqlalc_c(u, "first_name"))),
                           sqlalc_join(sqlalc_table_expr(u), sqlalc_table_expr(a), SQLALC_JOIN_INNER)),
        SQLALC_EXPRS(sqlalc_c(a, "id")));
    assert_non_null(q);
    assert_non_null(
        strstr(sqlalc_stmt_sql(q, NULL), "x_user JOIN x_address ON x_user.id = x_address.user_id"));
    assert_string_equal(col0(q, NULL), "a@x,b@x");

    /* Reflect x_address into a fresh MetaData and query through it. */
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *ra = NULL;
    int rc = sqlalc_table_reflect(md2, eng, NULL, "x_address", &ra);
    if (rc == SQLALC_ERR_NOT_SUPPORTED) { /* no reflection for this dialect yet */
        sqlalc_metadata_free(md2);
        assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
        sqlalc_metadata_free(md);
        return;
    }
    assert_ok(rc);
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(ra, "email")), sqlalc_eq(sqlalc_c(ra, "user_id"), sqlalc_int(6)));
    assert_string_equal(col0(q, NULL), "b@x");
    /* Its referenced table came along, with the FK linked: the join infers ON. */
    sqlalc_table *ru = sqlalc_metadata_table(md2, "x_user");
    assert_non_null(ru);
    q = sqlalc_select_from(sqlalc_select(SQLALC_COLS(sqlalc_c(ru, "first_name")),
                                         sqlalc_eq(sqlalc_c(ra, "email"), sqlalc_str("a@x"))),
                           sqlalc_join(sqlalc_table_expr(ra), sqlalc_table_expr(ru), SQLALC_JOIN_INNER));
    assert_string_equal(col0(q, NULL), "n1");
    sqlalc_metadata_free(md2);
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);
}

/* Issue 14, defect 5: the LIKE helpers match the same rows on every
 * backend with %, _, \ and / in the data; autoescape matches literally. */
static void test_like_helpers_pattern_characters(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *w =
        sqlalc_table_new(md, "x_words", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("s", sqlalc_type_string(40), 0));
    assert_non_null(w);
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_words");
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    static const char *const words[] = { "100%",      "1000", "a_b", "axb", "back\\slash",
                                         "backslash", "x/y",  "x%y", "x_",  "xx" };
    sqlalc_stmt *ins = sqlalc_insert(w);
    for (int i = 0; i < (int)(sizeof words / sizeof words[0]); i++)
        ins = sqlalc_values(
            ins, SQLALC_KVS(SQLALC_KV("id", sqlalc_int(i + 1)), SQLALC_KV("s", sqlalc_str(words[i]))));
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    static const struct {
        int helper;     /* 0 contains, 1 startswith, 2 endswith */
        int autoescape; /* 1: autoescape, 2: escape '^' with autoescape */
        const char *value;
        const char *want; /* the matching words, by id */
    } cases[] = {
        { 0, 0, "%", "100%,1000,a_b,axb,back\\slash,backslash,x/y,x%y,x_,xx" }, /* a wildcard */
        { 0, 1, "%", "100%,x%y" },
        { 0, 2, "%", "100%,x%y" },
        { 0, 0, "_", "100%,1000,a_b,axb,back\\slash,backslash,x/y,x%y,x_,xx" },
        { 0, 1, "_", "a_b,x_" },
        { 0, 0, "\\", "back\\slash" }, /* not PostgreSQL's escape any more */
        { 0, 1, "\\", "back\\slash" },
        { 0, 0, "k\\s", "back\\slash" },
        { 0, 1, "/", "x/y" },
        { 0, 0, "/", "x/y" },
        { 1, 0, "a_", "a_b,axb" },
        { 1, 1, "a_", "a_b" },
        { 1, 1, "10", "100%,1000" },
        { 1, 1, "100%", "100%" },
        { 2, 0, "0%", "100%,1000" },
        { 2, 1, "0%", "100%" },
        { 2, 1, "_", "x_" },
        { 2, 0, "\\slash", "back\\slash" },
        { 2, 1, "x/y", "x/y" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sqlalc_expr *col = sqlalc_c(w, "s"), *v = sqlalc_str(cases[i].value), *cond;
        char esc = cases[i].autoescape == 2 ? '^' : 0;
        int autoesc = cases[i].autoescape != 0;
        switch (cases[i].helper) {
        case 0: cond = autoesc ? sqlalc_contains_escape(col, v, esc, 1) : sqlalc_contains(col, v); break;
        case 1: cond = autoesc ? sqlalc_startswith_escape(col, v, esc, 1) : sqlalc_startswith(col, v); break;
        default: cond = autoesc ? sqlalc_endswith_escape(col, v, esc, 1) : sqlalc_endswith(col, v); break;
        }
        const char *got = col0(sqlalc_order_by(sqlalc_select(SQLALC_COLS(sqlalc_c(w, "s")), cond),
                                               SQLALC_EXPRS(sqlalc_c(w, "id"))),
                               NULL);
        if (strcmp(got, cases[i].want))
            fail_msg("case %zu (helper %d, autoescape %d, '%s'): got '%s', want '%s'", i, cases[i].helper,
                     cases[i].autoescape, cases[i].value, got, cases[i].want);
    }
    /* autoescape needs a string value */
    assert_null(sqlalc_contains_autoescape(sqlalc_c(w, "s"), sqlalc_c(w, "s")));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_words");
    sqlalc_metadata_free(md);
}

/* Issue 14, defect 8: the literal renderer's SQL runs on the backend and
 * gives back the values: a blob with NUL and 0xff bytes (X'..', bytea,
 * 0x..), infinities where the dialect has a literal for them, NaN on
 * PostgreSQL; a text with a NUL is refused, never cut. */
static void test_literal_rendering_round_trip(void **state)
{
    (void)state;
    const sqlalc_dialect *d = sqlalc_find_dialect(sqlalc_engine_dialect_name(eng));
    assert_non_null(d);
    static const char blob[] = { 'a', 0, (char)0xff, '\'', 'z' };
    double inf = 1.0 / 0.0, nan = 0.0 / 0.0;
    int pg = test_dialect_is("postgresql");
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(
        sqlalc_label(sqlalc_value_expr(SQLALC_BLOBV(blob, sizeof blob)), "b"),
        sqlalc_label(sqlalc_value_expr(SQLALC_BLOBV("", 0)), "e"), sqlalc_label(sqlalc_float(inf), "pinf"),
        sqlalc_label(sqlalc_float(-inf), "ninf"), sqlalc_label(sqlalc_str("it's"), "t")));
    char *sql = sqlalc_stmt_sql_literal(q, d);
    if (!sql)
        fail_msg("literal: %s", sqlalc_errmsg());
    sqlalc_result *res;
    if (sqlalc_conn_execute_sql(conn, sql, NULL, &res))
        fail_msg("%s: %s", sql, sqlalc_errmsg());
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    const void *p;
    size_t n;
    assert_ok(sqlalc_row_get_blob(row, 0, &p, &n));
    assert_int_equal(n, sizeof blob);
    assert_memory_equal(p, blob, sizeof blob);
    assert_ok(sqlalc_row_get_blob(row, 1, &p, &n));
    assert_int_equal(n, 0);
    assert_true(sqlalc_row_double(row, 2) == inf);
    assert_true(sqlalc_row_double(row, 3) == -inf);
    assert_string_equal(sqlalc_row_text(row, 4), "it's");
    sqlalc_result_free(res);
    sqlalc_free(sql);
    sqlalc_stmt_free(q);

    /* NaN: a literal on PostgreSQL, refused on SQLite (it would read NULL) */
    q = sqlalc_select(SQLALC_COLS(sqlalc_label(sqlalc_float(nan), "n")));
    sql = sqlalc_stmt_sql_literal(q, d);
    if (pg) {
        assert_non_null(sql);
        assert_ok(sqlalc_conn_execute_sql(conn, sql, NULL, &res));
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        double got = sqlalc_row_double(row, 0);
        assert_true(got != got);
        sqlalc_result_free(res);
    } else {
        assert_null(sql);
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_DATA);
        assert_non_null(strstr(sqlalc_errmsg(), "NaN"));
    }
    sqlalc_free(sql);
    sqlalc_stmt_free(q);

    /* text with an embedded NUL: refused on every dialect */
    q = sqlalc_select(SQLALC_COLS(sqlalc_value_expr(SQLALC_TEXTNV("a\0b", 3))));
    assert_null(sqlalc_stmt_sql_literal(q, d));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_DATA);
    assert_non_null(strstr(sqlalc_errmsg(), "embedded NUL"));
    sqlalc_stmt_free(q);
}

/* ---- issue 8, item 1: no fixed capacity (each old cap times ten) ---- */

#define WIDE 500 /* columns; the old cap of distinct bind names was 48, of INSERT columns 64 */

static sqlalc_table *wide_table(sqlalc_metadata *md)
{
    sqlalc_schema_item *items[WIDE + 1];
    char name[16];
    items[0] = sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY);
    for (int i = 0; i < WIDE; i++) {
        snprintf(name, sizeof name, "c%d", i);
        items[i + 1] = sqlalc_column(name, sqlalc_type_integer(), 0);
    }
    return sqlalc_table_newv(md, "x_wide", items, WIDE + 1);
}

/* The expected SQL of the 500-comparison WHERE, built the way SQLAlchemy
 * names and numbers it (c0_1 …, ? …, $1 …). */
static char *wide_sql(const char *style)
{
    size_t cap = 64 * WIDE, n = 0;
    char *b = malloc(cap);
    n += (size_t)snprintf(b + n, cap - n, "SELECT x_wide.id \nFROM x_wide \nWHERE ");
    for (int i = 0; i < WIDE; i++) {
        if (i)
            n += (size_t)snprintf(b + n, cap - n, " AND ");
        if (!strcmp(style, "named"))
            n += (size_t)snprintf(b + n, cap - n, "x_wide.c%d = :c%d_1", i, i);
        else if (!strcmp(style, "dollar"))
            n += (size_t)snprintf(b + n, cap - n, "x_wide.c%d = $%d", i, i + 1);
        else
            n += (size_t)snprintf(b + n, cap - n, "x_wide.c%d = ?", i);
    }
    return b;
}

static void test_wide_statements(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *w = wide_table(md);
    assert_non_null(w);
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_wide");
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    /* a 500-column row inserted (one statement, 501 binds) and read back */
    static sqlalc_kv kv[WIDE + 1];
    char names[WIDE][16];
    kv[0] = SQLALC_KV("id", sqlalc_int(1));
    for (int i = 0; i < WIDE; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        kv[i + 1] = SQLALC_KV(names[i], sqlalc_int(i * 7));
    }
    sqlalc_stmt *ins = sqlalc_values(sqlalc_insert(w), (sqlalc_kvs){ WIDE + 1, kv });
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    /* a second row through an INSERT narrowed to the parameters given (engine) */
    sqlalc_param ps[WIDE];
    ps[0] = SQLALC_P_INT("id", 2);
    for (int i = 1; i < WIDE; i++)
        ps[i] = SQLALC_P_INT(names[i], -i);
    ins = sqlalc_insert(w);
    assert_ok(sqlalc_conn_execute(conn, ins, &(sqlalc_params){ WIDE, ps }, NULL));
    sqlalc_stmt_free(ins);
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_NOEXPRS, sqlalc_eq(sqlalc_c(w, "id"), sqlalc_int(1))); /* SELECT * */
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute(conn, q, NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_count(row), WIDE + 1);
    for (int i = 0; i < WIDE; i++)
        assert_int_equal(sqlalc_row_int64(row, i + 1), i * 7);
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);

    /* WHERE of 500 distinct comparisons: exact SQL per dialect, then run */
    sqlalc_expr *conds[WIDE];
    for (int i = 0; i < WIDE; i++)
        conds[i] = sqlalc_eq(sqlalc_c(w, names[i]), sqlalc_int(i * 7));
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(w, "id")), sqlalc_and_list((sqlalc_exprs){ WIDE, conds }));
    assert_non_null(q);
    static const struct {
        const char *dialect, *style;
        int paramstyle;
    } ds[] = { { "sqlite", "qmark", SQLALC_PARAMSTYLE_QMARK },
               { "postgresql", "dollar", SQLALC_PARAMSTYLE_NUMERIC_DOLLAR },
               { "mssql", "qmark", SQLALC_PARAMSTYLE_QMARK } };
    for (int k = 0; k < 3; k++) {
        char *want = wide_sql("named");
        assert_string_equal(sqlalc_stmt_sql(q, sqlalc_find_dialect(ds[k].dialect)), want);
        free(want);
        sqlalc_compiled *c;
        assert_ok(sqlalc_compile(q, sqlalc_find_dialect(ds[k].dialect), ds[k].paramstyle, &c));
        want = wide_sql(ds[k].style);
        assert_string_equal(sqlalc_compiled_sql(c), want);
        assert_int_equal(sqlalc_compiled_nparams(c), WIDE);
        assert_string_equal(sqlalc_compiled_param_name(c, WIDE - 1), "c499_1");
        free(want);
        sqlalc_compiled_free(c);
    }
    assert_string_equal(col0(q, NULL), "1");
    /* the same shape with other values: the cached compilation, other rows */
    for (int i = 0; i < WIDE; i++)
        conds[i] = i ? sqlalc_eq(sqlalc_c(w, names[i]), sqlalc_int(-i))
                     : sqlalc_eq(sqlalc_c(w, names[i]), sqlalc_null());
    assert_string_equal(
        col0(sqlalc_select(SQLALC_COLS(sqlalc_c(w, "id")), sqlalc_and_list((sqlalc_exprs){ WIDE, conds })),
             NULL),
        "2");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS x_wide");
    sqlalc_metadata_free(md);
}

/* 320 FROM items (old cap 32), 160 levels of subqueries (16), 80 CTEs (8). */
static void test_many_froms_nesting_ctes(void **state)
{
    (void)state;
    /* FROM: aliases of one table; SQLite joins at most 64 tables (its own
     * ceiling, reported by SQLite), PostgreSQL takes them all. */
    int nfrom = test_dialect_is("sqlite") ? 64 : 320;
    sqlalc_expr *al[320], *cols[320], *conds[320];
    char name[16];
    for (int i = 0; i < nfrom; i++) {
        snprintf(name, sizeof name, "u%d", i);
        al[i] = sqlalc_alias(sqlalc_table_expr(user), name);
        cols[i] = sqlalc_ac(al[i], "id");
        conds[i] = sqlalc_eq(sqlalc_ac(al[i], "id"), sqlalc_int(2));
    }
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_count_star()),
                                   sqlalc_and_list((sqlalc_exprs){ (size_t)nfrom, conds }));
    const char *sql = sqlalc_stmt_sql(q, NULL);
    assert_non_null(sql);
    assert_non_null(strstr(sql, "FROM \"user\" AS u0, \"user\" AS u1, "));
    snprintf(name, sizeof name, "AS u%d \nWHERE", nfrom - 1);
    assert_non_null(strstr(sql, name));
    assert_string_equal(col0(q, NULL), "1");
    for (int i = 0; i < nfrom; i++)
        sqlalc_expr_free(al[i]);
    (void)cols;
    for (int i = 0; i < nfrom; i++)
        sqlalc_expr_free(cols[i]);

    /* 160 levels of nested subqueries (scalar: PostgreSQL plans nested IN
     * semi-joins as one join, exponentially) */
    q = sqlalc_select(SQLALC_COLS(sqlalc_func("max", SQLALC_EXPRS(fx_c(user, "id")))),
                      sqlalc_eq(fx_c(user, "name"), sqlalc_str("mary")));
    for (int i = 0; i < 160; i++)
        q = sqlalc_select(SQLALC_COLS(sqlalc_add(sqlalc_scalar_subquery(q), sqlalc_int(1))));
    sql = sqlalc_stmt_sql(q, NULL);
    assert_non_null(sql);
    assert_true(!strncmp(sql, "SELECT (SELECT (SELECT (SELECT", 30));
    if (test_dialect_is("sqlite")) {
        /* SQLite's parser has its own ceiling (YYSTACKDEPTH): its error */
        sqlalc_result *res = NULL;
        assert_int_not_equal(sqlalc_conn_execute(conn, q, NULL, &res), SQLALC_OK);
        assert_non_null(strstr(sqlalc_errmsg(), "parser stack overflow"));
        sqlalc_stmt_free(q);
        q = sqlalc_select(SQLALC_COLS(sqlalc_func("max", SQLALC_EXPRS(fx_c(user, "id")))),
                          sqlalc_eq(fx_c(user, "name"), sqlalc_str("mary")));
        for (int i = 0; i < 10; i++)
            q = sqlalc_select(SQLALC_COLS(sqlalc_add(sqlalc_scalar_subquery(q), sqlalc_int(1))));
        assert_string_equal(col0(q, NULL), "13");
    } else
        assert_string_equal(col0(q, NULL), "163");

    /* 80 CTEs, each reading the one before */
    sqlalc_expr *ctes[80];
    ctes[0] = sqlalc_cte(sqlalc_select(SQLALC_COLS(sqlalc_label(fx_c(user, "id"), "n")),
                                       sqlalc_eq(fx_c(user, "name"), sqlalc_str("wendy"))),
                         "k0");
    for (int i = 1; i < 80; i++) {
        snprintf(name, sizeof name, "k%d", i);
        ctes[i] = sqlalc_cte(sqlalc_select(SQLALC_COLS(
                                 sqlalc_label(sqlalc_add(sqlalc_ac(ctes[i - 1], "n"), sqlalc_int(1)), "n"))),
                             name);
    }
    q = sqlalc_select(SQLALC_COLS(sqlalc_ac(ctes[79], "n")));
    sql = sqlalc_stmt_sql(q, NULL);
    assert_non_null(sql);
    assert_true(!strncmp(sql, "WITH k0 AS \n(SELECT", 19));
    if (!strstr(sql, "k78 AS \n(SELECT k77.n + :n_2 AS n \nFROM k77), \nk79 AS"))
        fail_msg("CTE chain: %s", strstr(sql, "k77 AS") ? strstr(sql, "k77 AS") : sql);
    assert_string_equal(col0(q, NULL), "81");
    for (int i = 0; i < 80; i++)
        sqlalc_expr_free(ctes[i]);
}

/* A 1,000-label enum (the old variadic cap was 256) built, created and
 * compared; identifiers at PostgreSQL's 63 bytes and SQL Server's 128
 * rendered whole. */
#define E10(p) p "0", p "1", p "2", p "3", p "4", p "5", p "6", p "7", p "8", p "9"
#define E100(p)                                                                                     \
    E10(p "0"), E10(p "1"), E10(p "2"), E10(p "3"), E10(p "4"), E10(p "5"), E10(p "6"), E10(p "7"), \
        E10(p "8"), E10(p "9")
#define E1000(p)                                                                                            \
    E100(p "0"), E100(p "1"), E100(p "2"), E100(p "3"), E100(p "4"), E100(p "5"), E100(p "6"), E100(p "7"), \
        E100(p "8"), E100(p "9")

static void test_big_enum_and_long_names(void **state)
{
    (void)state;
    sqlalc_type *e = sqlalc_type_enum("x_mood", E1000("m"));
    assert_non_null(e);
    char id63[64], id128[129];
    memset(id63, 'n', 63);
    id63[63] = 0;
    memset(id128, 'q', 128);
    id128[128] = 0;
    memcpy(id63, "x_", 2);
    memcpy(id128, "x_", 2);
    /* rendered whole: PostgreSQL's longest name, SQL Server's */
    sqlalc_metadata *md0 = sqlalc_metadata_new();
    sqlalc_table *lt = sqlalc_table_new(md0, id128, sqlalc_column(id128, sqlalc_type_integer(), 0));
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_c(lt, id128)));
    char want[512];
    snprintf(want, sizeof want, "SELECT [%s].[%s] \nFROM [%s]", id128, id128, id128);
    want[0] = 'S';
    char *lower = NULL;
    (void)lower;
    /* SQL Server quotes nothing here (lower case): plain names */
    snprintf(want, sizeof want, "SELECT %s.%s \nFROM %s", id128, id128, id128);
    assert_string_equal(sqlalc_stmt_sql(q, sqlalc_find_dialect("mssql")), want);
    sqlalc_stmt_free(q);
    sqlalc_metadata_free(md0);

    const char *tname = test_dialect_is("postgresql") ? id63 : id128;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t =
        sqlalc_table_new(md, tname, sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column(tname, sqlalc_type_integer(), 0), sqlalc_column("mood", e, 0));
    assert_non_null(t);
    char drop[300];
    snprintf(drop, sizeof drop, "DROP TABLE IF EXISTS %s", tname);
    test_exec_quiet(eng, drop);
    test_exec_quiet(eng, "DROP TYPE IF EXISTS x_mood");
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_stmt *ins = sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)),
                                                                  SQLALC_KV(tname, sqlalc_int(63)),
                                                                  SQLALC_KV("mood", sqlalc_str("m999"))));
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(t, tname)), sqlalc_eq(sqlalc_c(t, "mood"), sqlalc_str("m999")));
    const char *sql = sqlalc_stmt_sql(q, NULL);
    assert_non_null(sql);
    assert_non_null(strstr(sql, tname));
    assert_string_equal(col0(q, NULL), "63");
    test_exec_quiet(eng, drop);
    test_exec_quiet(eng, "DROP TYPE IF EXISTS x_mood");
    sqlalc_metadata_free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_where_or_and_in, load),
        cmocka_unit_test_setup(test_like_family, load),
        cmocka_unit_test_setup(test_join_group_having, load),
        cmocka_unit_test_setup(test_limit_offset_distinct, load),
        cmocka_unit_test_setup(test_functions_case_cast, load),
        cmocka_unit_test_setup(test_subqueries, load),
        cmocka_unit_test_setup(test_compound_and_cte, load),
        cmocka_unit_test_setup(test_update_delete_returning, load),
        cmocka_unit_test_setup(test_update_from_delete_using, load),
        cmocka_unit_test(test_typed_results),
        cmocka_unit_test(test_sqlite_reflected_word_default),
        cmocka_unit_test_setup(test_values_from, load),
        cmocka_unit_test(test_create_drop_subset),
        cmocka_unit_test_setup(test_select_table_compounds_text_columns, load),
        cmocka_unit_test_setup(test_upsert, load),
        cmocka_unit_test_setup(test_overrides_and_cache, load),
        cmocka_unit_test_setup(test_engine_execute_and_many_update, load),
        cmocka_unit_test_setup(test_expanding_in, load),
        cmocka_unit_test_setup(test_split_multirow_insert, load),
        cmocka_unit_test(test_schema_api_tables),
        cmocka_unit_test(test_like_helpers_pattern_characters),
        cmocka_unit_test(test_literal_rendering_round_trip),
        cmocka_unit_test(test_wide_statements),
        cmocka_unit_test_setup(test_many_froms_nesting_ctes, load),
        cmocka_unit_test(test_big_enum_and_long_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

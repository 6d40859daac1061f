/*
 * The ownership rule, proven: a nested build (and its compilation for each
 * dialect) is repeated with allocation 1, 2, 3 … failing in turn.  Every
 * run must end with NULL / an error code and no live allocation (ASan
 * checks the rest); NULL arguments deep inside a build release everything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "unit_compile_fixture.h"
#include "../src/sql/expr_int.h"

static int setup(void **state)
{
    (void)state;
    fx_setup();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_teardown();
    return 0;
}

/* A build touching most constructors and modifiers. */
static sqlalc_stmt *build_nested(void)
{
    sqlalc_expr *cte = sqlalc_cte(
        sqlalc_select(SQLALC_COLS(fx_c(address, "user_id"), sqlalc_label(sqlalc_count_star(), "n")),
                      sqlalc_like(fx_c(address, "email"), sqlalc_str("%@x"), '/')),
        "counts");
    sqlalc_expr *u2 = sqlalc_alias(sqlalc_table_expr(user), "u2");
    sqlalc_stmt *q = sqlalc_select(
        SQLALC_COLS(
            fx_c(user, "name"), sqlalc_count(fx_c(address, "id")), sqlalc_ac(cte, "n"), sqlalc_ac(u2, "name"),
            sqlalc_case_else(SQLALC_EXPRS(sqlalc_gt(fx_c(user, "id"), sqlalc_int(1)), sqlalc_str("big")),
                             sqlalc_str("small")),
            sqlalc_over(sqlalc_func("row_number", SQLALC_NOEXPRS), SQLALC_EXPRS(fx_c(user, "name")),
                        SQLALC_EXPRS(sqlalc_desc(fx_c(user, "id")))),
            sqlalc_cast_kind(fx_c(user, "id"), SQLALC_TYPE_STRING, 10),
            sqlalc_scalar_subquery(
                sqlalc_select(SQLALC_COLS(sqlalc_func("max", SQLALC_EXPRS(fx_c(address, "id")))),
                              sqlalc_eq(fx_c(address, "user_id"), fx_c(user, "id"))))),
        sqlalc_or(sqlalc_in(fx_c(user, "id"), SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))),
                  sqlalc_and(sqlalc_ilike(fx_c(user, "name"), sqlalc_str("a%"), 0),
                             sqlalc_not(sqlalc_between(fx_c(user, "id"), sqlalc_int(5), sqlalc_int(9)))),
                  sqlalc_exists(
                      sqlalc_select(SQLALC_NOEXPRS, sqlalc_eq(fx_c(address, "user_id"), fx_c(user, "id"))))));
    q = sqlalc_select_from(
        q, sqlalc_join(sqlalc_table_expr(user), sqlalc_table_expr(address), SQLALC_JOIN_LEFT));
    q = sqlalc_where(q, sqlalc_eq(sqlalc_ac(cte, "user_id"), fx_c(user, "id")));
    q = sqlalc_where(q, sqlalc_eq(sqlalc_ac(u2, "id"), fx_c(user, "id")));
    q = sqlalc_group_by(q, SQLALC_EXPRS(fx_c(user, "name")));
    q = sqlalc_having(q, sqlalc_gt(sqlalc_count(fx_c(address, "id")), sqlalc_int(1)));
    q = sqlalc_order_by(q, SQLALC_EXPRS(sqlalc_desc(fx_c(user, "name"))));
    q = sqlalc_offset(sqlalc_limit(q, 10), 2);
    sqlalc_expr_free(cte);
    sqlalc_expr_free(u2);
    /* A generative copy sharing q's nodes, then a union. */
    sqlalc_stmt *q2 = sqlalc_where(sqlalc_stmt_ref(q), sqlalc_ne(fx_c(user, "name"), sqlalc_null()));
    return sqlalc_union_all(q, q2);
}

static sqlalc_stmt *build_dml(int which)
{
    switch (which) {
    case 0:
        return sqlalc_returning(
            sqlalc_on_conflict_do_update_where(
                sqlalc_values(
                    sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)),
                                                                  SQLALC_KV("name", sqlalc_str("a")))),
                    SQLALC_KVS(SQLALC_KV("name", sqlalc_str("b")), SQLALC_KV("id", sqlalc_int(2)))),
                SQLALC_EXPRS(fx_c(user, "id")), SQLALC_KVS(SQLALC_KV("name", sqlalc_excluded(user, "name"))),
                sqlalc_gt(fx_c(user, "id"), sqlalc_int(0))),
            SQLALC_COLS(fx_c(user, "id")));
    case 1:
        return sqlalc_returning(
            sqlalc_where(
                sqlalc_values(sqlalc_update(user),
                              SQLALC_KVS(SQLALC_KV("name", sqlalc_add(fx_c(user, "name"), sqlalc_str("x"))))),
                sqlalc_eq(fx_c(user, "id"), sqlalc_int(5))),
            SQLALC_COLS(fx_c(user, "id")));
    default:
        return sqlalc_where(
            sqlalc_delete(user),
            sqlalc_in_select(fx_c(user, "id"), sqlalc_select(SQLALC_COLS(fx_c(address, "user_id")))));
    }
}

static const sqlalc_dialect *const dias[] = { NULL, &sqlalc__dialect_sqlite, &sqlalc__dialect_postgresql,
                                              &sqlalc__dialect_mssql };

/* Build and compile every form; returns 1 when everything succeeded. */
static int workload(sqlalc_stmt *(*build)(int), int arg)
{
    sqlalc_stmt *q = build(arg);
    if (!q)
        return 0;
    int ok = 1;
    for (int d = 0; d < 4; d++) {
        if (!sqlalc_stmt_sql(q, dias[d]) && sqlalc_error_last()->code == SQLALC_ERR_NOMEM)
            ok = 0;
        sqlalc_compiled *c = NULL;
        int rc = sqlalc_compile(q, dias[d],
                                d == 2 ? SQLALC_PARAMSTYLE_NUMERIC_DOLLAR : SQLALC_PARAMSTYLE_QMARK, &c);
        if (rc == SQLALC_ERR_NOMEM)
            ok = 0;
        assert_true(rc == SQLALC_OK || c == NULL);
        sqlalc_compiled_free(c);
        rc = sqlalc_compile_postcompile(q, dias[d], SQLALC_PARAMSTYLE_QMARK,
                                        SQLALC_PARAMS(SQLALC_P_INT("ids", 1), SQLALC_P_INT("ids", 2)), &c);
        if (rc == SQLALC_ERR_NOMEM)
            ok = 0;
        sqlalc_compiled_free(c);
        char *lit = sqlalc_stmt_sql_literal(q, dias[d]);
        if (!lit && sqlalc_error_last()->code == SQLALC_ERR_NOMEM)
            ok = 0;
        sqlalc_free(lit);
    }
    sqlalc_stmt_free(q);
    return ok;
}

static sqlalc_stmt *nested(int unused)
{
    (void)unused;
    return build_nested();
}

/* The growth paths: more anonymous names than fit inline (their map),
 * FROM lists, correlation frames and CTEs past their inline room, an
 * operator chain (the iterative renderer's task list), an AND chain grown
 * in place, autoescape. */
static sqlalc_stmt *wide(int unused)
{
    (void)unused;
    enum { NAL = 18, CHAIN = 40, NEST = 20, NCTE = 10 };
    sqlalc_expr *al[NAL], *cols[NAL];
    char name[16];
    for (int i = 0; i < NAL; i++) {
        snprintf(name, sizeof name, "a%d", i);
        al[i] = sqlalc_alias(sqlalc_table_expr(user), name);
        snprintf(name, sizeof name, "c%d", i);
        cols[i] = sqlalc_label(sqlalc_ac(al[i], "id"), name);
    }
    sqlalc_expr *chain = fx_c(user, "id");
    for (int i = 0; i < CHAIN; i++)
        chain = i % 2 ? sqlalc_add(chain, sqlalc_int(i)) : sqlalc_sub(sqlalc_int(i), chain);
    sqlalc_stmt *sub =
        sqlalc_select(SQLALC_COLS(sqlalc_count_star()), sqlalc_gt(fx_c(address, "id"), sqlalc_int(0)));
    for (int i = 0; i < NEST; i++)
        sub = sqlalc_select(SQLALC_COLS(sqlalc_add(sqlalc_scalar_subquery(sub), sqlalc_int(1))));
    sqlalc_expr *cte = sqlalc_cte(sqlalc_select(SQLALC_COLS(sqlalc_label(fx_c(user, "id"), "n"))), "k0");
    for (int i = 1; i < NCTE; i++) {
        snprintf(name, sizeof name, "k%d", i);
        sqlalc_expr *next =
            sqlalc_cte(sqlalc_select(SQLALC_COLS(sqlalc_label(sqlalc_ac(cte, "n"), "n"))), name);
        sqlalc_expr_free(cte);
        cte = next;
    }
    sqlalc_exprs cl = { NAL, cols };
    sqlalc_stmt *q = sqlalc_select_where(cl, sqlalc_gt(chain, sqlalc_scalar_subquery(sub)));
    q = sqlalc_where(q, sqlalc_contains_autoescape(fx_c(user, "name"), sqlalc_str("50%_off")));
    for (int i = 0; i < NAL; i++)
        q = sqlalc_where(q, sqlalc_eq(sqlalc_ac(al[i], "name"), sqlalc_ac(cte, "n")));
    for (int i = 0; i < NAL; i++)
        sqlalc_expr_free(al[i]);
    sqlalc_expr_free(cte);
    return q;
}

/* The issue 9 constructs: VALUES, text().columns() as a subquery, select(table),
 * n-ary unions, UPDATE … FROM, DELETE … USING, CAST taking its type. */
static sqlalc_stmt *fidelity(int which)
{
    if (which == 1)
        return sqlalc_returning(
            sqlalc_where(
                sqlalc_values(sqlalc_update(user), SQLALC_KVS(SQLALC_KV("name", fx_c(address, "email")))),
                sqlalc_eq(fx_c(user, "id"), fx_c(address, "user_id"))),
            SQLALC_COLS(sqlalc_cast(fx_c(user, "id"), sqlalc_type_numeric(10, 2))));
    if (which == 2)
        return sqlalc_where(sqlalc_delete(user), sqlalc_eq(fx_c(user, "id"), fx_c(address, "user_id")));
    sqlalc_expr *v =
        sqlalc_values_clause("v",
                             SQLALC_EXPRS(sqlalc_column_clause("id", sqlalc_type_integer()),
                                          sqlalc_column_clause("name", sqlalc_type_string(20))),
                             SQLALC_EXPRS(sqlalc_int(1), sqlalc_str("a"), sqlalc_int(2), sqlalc_str("b")));
    sqlalc_expr *t =
        sqlalc_subquery(sqlalc_text_columns(sqlalc_text_sql("SELECT id, email FROM address WHERE id > :n",
                                                            SQLALC_PARAMS(SQLALC_P_INT("n", 1))),
                                            sqlalc_column_clause("id", sqlalc_type_integer()),
                                            sqlalc_column_clause("email", sqlalc_type_numeric(8, 3))),
                        "t");
    sqlalc_stmt *q = sqlalc_union_all_of(SQLALC_STMTS(
        sqlalc_select(SQLALC_COLS(sqlalc_ac(v, "id"), sqlalc_ac(v, "name"))),
        sqlalc_select(SQLALC_COLS(sqlalc_ac(t, "id"), sqlalc_ac(t, "email"))),
        sqlalc_select_table(sqlalc_alias(sqlalc_table_expr(address), "a")),
        sqlalc_select(SQLALC_COLS(fx_c(user, "id"), sqlalc_cast(fx_c(user, "name"), sqlalc_type_string(9))),
                      sqlalc_in_expanding(fx_c(user, "id"), "ids"))));
    sqlalc_expr_free(v);
    sqlalc_expr_free(t);
    return q;
}

static void run_failing(sqlalc_stmt *(*build)(int), int arg)
{
    failalloc_install();
    long n;
    for (n = 1; n < 100000; n++) {
        failalloc_fail_at(n);
        if (getenv("OOM_TRACE"))
            fprintf(stderr, "fail at %ld\n", n);
        int ok = workload(build, arg);
        sqlalc__shape_cache_clear(); /* its entries are kept on purpose */
        if (failalloc_live() != 0)
            fail_msg("allocation %ld failing leaves %ld blocks live", n, failalloc_live());
        if (!failalloc_failed()) {
            assert_true(ok);
            break;
        }
    }
    failalloc_uninstall();
    printf("  workload %d: survived %ld failing allocations\n", arg, n - 1);
    assert_true(n > 10);
}

static void test_oom_nested_select(void **state)
{
    (void)state;
    run_failing(nested, 0);
}

static void test_oom_fidelity(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        run_failing(fidelity, i);
}

static void test_oom_wide(void **state)
{
    (void)state;
    run_failing(wide, 9);
}

static void test_oom_dml(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        run_failing(build_dml, i);
}

/* A NULL deep in a nested call: everything released, NULL out, first error kept. */
static void test_null_argument_propagates(void **state)
{
    (void)state;
    failalloc_install();
    sqlalc_error_clear();
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(user, "name"), fx_c(user, "nope")),
                                   sqlalc_or(sqlalc_gt(fx_c(user, "id"), sqlalc_int(5)),
                                             sqlalc_like(fx_c(user, "name"), sqlalc_str(NULL), 0)));
    assert_null(q);
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "sqlalc_str"));
    sqlalc_expr *j = sqlalc_join(sqlalc_table_expr(user), sqlalc_table_expr(order), SQLALC_JOIN_INNER);
    assert_null(j);
    assert_non_null(strstr(sqlalc_errmsg(), "no foreign key"));
    assert_null(sqlalc_ac(sqlalc_alias(NULL, "x"), "id"));
    assert_null(sqlalc_where(sqlalc_select(SQLALC_COLS(fx_c(user, "id"))), NULL));
    assert_null(sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("zzz", sqlalc_int(1)))));
    assert_non_null(strstr(sqlalc_errmsg(), "no column 'zzz'"));
    assert_int_equal(failalloc_live(), 0);
    failalloc_uninstall();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_argument_propagates),
        cmocka_unit_test(test_oom_nested_select),
        cmocka_unit_test(test_oom_dml),
        cmocka_unit_test(test_oom_wide),
        cmocka_unit_test(test_oom_fidelity),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

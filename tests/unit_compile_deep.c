/*
 * Deep trees (issue 14, defect 3): 50,000-level chains compile, hash,
 * copy and free on a thread with a 256 KB stack; nesting the compiler
 * follows by recursion fails cleanly at SQLALC_MAX_EXPR_DEPTH (and works
 * just below it), never by overflowing the stack.  Each case runs on its
 * own small-stack thread; the asserts are made back on the test's thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "../src/sql/expr_int.h"

#define DEEP 50000
#define SMALL_STACK (256 * 1024)

static sqlalc_metadata *md;
static sqlalc_table *t;

static int setup(void **state)
{
    (void)state;
    md = sqlalc_metadata_new();
    t = sqlalc_table_new(md, "t", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("x", sqlalc_type_integer(), 0),
                         sqlalc_column("s", sqlalc_type_string(20), 0));
    return t ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sqlalc_metadata_free(md);
    return 0;
}

/* ---- running a job on a 256 KB stack ---- */

typedef struct job {
    void (*fn)(struct job *);
    int rc;        /* a result code the job reports */
    char msg[512]; /* an error message or a piece of SQL */
    size_t len;    /* a length the job reports */
    int flag;
} job;

static void *trampoline(void *arg)
{
    job *j = arg;
    j->fn(j);
    return NULL;
}

static void run_small(job *j)
{
    pthread_attr_t a;
    pthread_t th;
    assert_int_equal(pthread_attr_init(&a), 0);
    assert_int_equal(pthread_attr_setstacksize(&a, SMALL_STACK), 0);
    assert_int_equal(pthread_create(&th, &a, trampoline, j), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    pthread_attr_destroy(&a);
}

static void keep_msg(job *j, const char *s)
{
    snprintf(j->msg, sizeof j->msg, "%s", s ? s : "(null)");
}

/* Compile q for every dialect and the named and positional styles; the
 * SQLite text's length and first bytes are kept.  Then through the shape
 * cache twice (a hit: the key walk ran) and once as a copy sharing nodes
 * (sqlalc_where on a shared statement clones it). */
static void compile_all(job *j, sqlalc_stmt *q, sqlalc_expr *extra)
{
    const char *names[] = { "sqlite", "postgresql", "mssql" };
    j->rc = 0;
    for (int k = 0; k < 3 && !j->rc; k++) {
        const sqlalc_dialect *d = sqlalc_find_dialect(names[k]);
        const char *sql = sqlalc_stmt_sql(q, d);
        if (!sql) {
            j->rc = sqlalc_error_last()->code;
            keep_msg(j, sqlalc_errmsg());
            break;
        }
        if (k == 0) {
            j->len = strlen(sql);
            keep_msg(j, sql);
        }
        sqlalc_compiled *c;
        int rc =
            sqlalc_compile(q, d, k == 1 ? SQLALC_PARAMSTYLE_NUMERIC_DOLLAR : SQLALC_PARAMSTYLE_QMARK, &c);
        if (rc) {
            j->rc = rc;
            keep_msg(j, sqlalc_errmsg());
            break;
        }
        sqlalc_compiled_free(c);
        struct sqlalc_compiled *sc;
        for (int rep = 0; rep < 2 && !j->rc; rep++) {
            if ((rc = sqlalc__shape_compiled((sqlalc_expr *)q, d, SQLALC_PARAMSTYLE_QMARK, &sc))) {
                j->rc = rc;
                keep_msg(j, sqlalc_errmsg());
            } else
                sqlalc_compiled_free(sc);
        }
    }
    /* A generative copy of the shared statement, compiled, then both freed. */
    sqlalc_stmt *q2 = sqlalc_where(sqlalc_stmt_ref(q), extra);
    if (!q2 || !sqlalc_stmt_sql(q2, NULL))
        j->flag = -1;
    sqlalc_stmt_free(q2);
    sqlalc_stmt_free(q);
}

static sqlalc_expr *cond(void)
{
    return sqlalc_gt(sqlalc_c(t, "id"), sqlalc_int(0));
}

/* x + 1 + 2 + … (left-deep) */
static void left_chain(job *j)
{
    sqlalc_expr *e = sqlalc_c(t, "x");
    for (int i = 0; i < DEEP; i++)
        e = sqlalc_add(e, sqlalc_int(i));
    compile_all(j, sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), sqlalc_gt(e, sqlalc_int(0))), cond());
}

/* 1 - (2 - (3 - … x)) (right-deep, every level parenthesised) */
static void right_chain(job *j)
{
    sqlalc_expr *e = sqlalc_c(t, "x");
    for (int i = 0; i < DEEP; i++)
        e = sqlalc_sub(sqlalc_c(t, "id"), e);
    compile_all(j, sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), sqlalc_gt(e, sqlalc_int(0))), cond());
}

/* ((x * 2 + 1) * 2 + 1) … : two operators alternating, grouped each time */
static void mixed_chain(job *j)
{
    sqlalc_expr *e = sqlalc_c(t, "x");
    for (int i = 0; i < DEEP / 2; i++)
        e = sqlalc_add(sqlalc_mul(e, sqlalc_int(2)), sqlalc_int(1));
    compile_all(j, sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), sqlalc_gt(e, sqlalc_int(0))), cond());
}

/* where(where(where(…))) and and(and(…), c): one flat AND list, built in O(n). */
static void and_chain(job *j)
{
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), sqlalc_ne(sqlalc_c(t, "x"), sqlalc_int(-1)));
    for (int i = 0; i < DEEP / 2; i++)
        q = sqlalc_where(q, sqlalc_ne(sqlalc_c(t, "x"), sqlalc_int(i)));
    sqlalc_expr *o = sqlalc_eq(sqlalc_c(t, "x"), sqlalc_int(-1));
    for (int i = 0; i < DEEP / 2; i++)
        o = sqlalc_or(o, sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(i)));
    compile_all(j, sqlalc_where(q, o), cond());
}

/* Nesting compiled by recursion, past the limit: and(or(and(or(…)))),
 * f(f(f(…))), -(-(…)), subqueries in subqueries: a clean error. */
static void too_deep(job *j)
{
    sqlalc_expr *e = sqlalc_eq(sqlalc_c(t, "x"), sqlalc_int(0));
    for (int i = 0; i < DEEP; i++)
        e = i % 2 ? sqlalc_and(e, sqlalc_eq(sqlalc_c(t, "x"), sqlalc_int(i)))
                  : sqlalc_or(e, sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(i)));
    compile_all(j, sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), e), cond());
}

static void too_deep_func(job *j)
{
    sqlalc_expr *e = sqlalc_c(t, "x");
    for (int i = 0; i < DEEP; i++)
        e = i % 3 ? sqlalc_func("abs", SQLALC_EXPRS(e)) : sqlalc_neg(e);
    compile_all(j, sqlalc_select(SQLALC_COLS(e)), cond());
}

static sqlalc_stmt *nested_selects(int levels)
{
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), sqlalc_gt(sqlalc_c(t, "x"), sqlalc_int(0)));
    for (int i = 0; i < levels; i++)
        q = sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")), sqlalc_in_select(sqlalc_c(t, "x"), q));
    return q;
}

static void too_deep_subquery(job *j)
{
    compile_all(j, nested_selects(DEEP / 10), cond());
}

/* Just below the limit everything compiles, on the small stack too. */
static void at_limit_func(job *j)
{
    sqlalc_expr *e = sqlalc_c(t, "x");
    for (int i = 0; i < SQLALC_MAX_EXPR_DEPTH - 10; i++)
        e = i % 3 ? sqlalc_func("abs", SQLALC_EXPRS(e)) : sqlalc_neg(e);
    compile_all(j, sqlalc_select(SQLALC_COLS(e)), cond());
}

static void at_limit_subquery(job *j)
{
    /* each level: the subquery (4) and the IN holding it (1) */
    compile_all(j, nested_selects(SQLALC_MAX_EXPR_DEPTH / 5 - 2), cond());
}

/* Building, hashing and freeing a tree the compiler refuses. */
static void build_free_only(job *j)
{
    sqlalc_expr *e = sqlalc_c(t, "x");
    for (int i = 0; i < DEEP; i++)
        e = sqlalc_cast_kind(sqlalc_neg(e), SQLALC_TYPE_INTEGER, 0);
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(e));
    /* the shape walk runs (and the compile then fails cleanly) */
    struct sqlalc_compiled *sc;
    j->rc = sqlalc__shape_compiled((sqlalc_expr *)q, NULL, 0, &sc);
    keep_msg(j, sqlalc_errmsg());
    sqlalc_stmt *q2 = sqlalc_limit(sqlalc_stmt_ref(q), 5); /* a copy sharing the deep column */
    j->flag = q2 != NULL;
    sqlalc_stmt_free(q);
    sqlalc_stmt_free(q2);
}

static void test_left_deep_chain(void **state)
{
    (void)state;
    job j = { .fn = left_chain };
    run_small(&j);
    assert_int_equal(j.rc, 0);
    assert_int_equal(j.flag, 0);
    assert_true(!strncmp(j.msg, "SELECT t.id \nFROM t \nWHERE t.x + :x_1 + :param_1", 45));
    assert_true(j.len > (size_t)DEEP * 4);
}

static void test_right_deep_chain(void **state)
{
    (void)state;
    job j = { .fn = right_chain };
    run_small(&j);
    assert_int_equal(j.rc, 0);
    assert_int_equal(j.flag, 0);
    assert_true(!strncmp(j.msg, "SELECT t.id \nFROM t \nWHERE t.id - (t.id - (t.id - (", 48));
}

static void test_mixed_chain(void **state)
{
    (void)state;
    job j = { .fn = mixed_chain };
    run_small(&j);
    assert_int_equal(j.rc, 0);
    assert_int_equal(j.flag, 0);
    assert_true(!strncmp(j.msg, "SELECT t.id \nFROM t \nWHERE ((((", 30));
}

static void test_and_or_chain(void **state)
{
    (void)state;
    job j = { .fn = and_chain };
    run_small(&j);
    assert_int_equal(j.rc, 0);
    assert_int_equal(j.flag, 0);
    assert_true(!strncmp(j.msg, "SELECT t.id \nFROM t \nWHERE t.x != :x_1 AND t.x != :x_2 AND", 55));
}

static void expect_depth_error(void (*fn)(job *))
{
    job j = { .fn = fn };
    run_small(&j);
    assert_int_equal(j.rc, SQLALC_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(j.msg, "nested deeper than 1000 levels (SQLALC_MAX_EXPR_DEPTH"));
    assert_int_equal(j.flag, -1); /* the copy fails the same way */
}

static void test_too_deep_is_an_error(void **state)
{
    (void)state;
    expect_depth_error(too_deep);
    expect_depth_error(too_deep_func);
    expect_depth_error(too_deep_subquery);
}

static void test_below_the_limit_compiles(void **state)
{
    (void)state;
    job j = { .fn = at_limit_func };
    run_small(&j);
    if (j.rc)
        print_message("%s\n", j.msg);
    assert_int_equal(j.rc, 0);
    assert_int_equal(j.flag, 0);
    job k = { .fn = at_limit_subquery };
    run_small(&k);
    if (k.rc)
        print_message("%s\n", k.msg);
    assert_int_equal(k.rc, 0);
    assert_int_equal(k.flag, 0);
}

static void test_deep_tree_hash_copy_free(void **state)
{
    (void)state;
    job j = { .fn = build_free_only };
    run_small(&j);
    assert_int_equal(j.rc, SQLALC_ERR_NOT_SUPPORTED);
    assert_int_equal(j.flag, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_left_deep_chain),
        cmocka_unit_test(test_right_deep_chain),
        cmocka_unit_test(test_mixed_chain),
        cmocka_unit_test(test_and_or_chain),
        cmocka_unit_test(test_too_deep_is_an_error),
        cmocka_unit_test(test_below_the_limit_compiles),
        cmocka_unit_test(test_deep_tree_hash_copy_free),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

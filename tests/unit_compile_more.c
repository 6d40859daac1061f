/*
 * Compiler behaviour SQLAlchemy 1.4 has no direct reference string for
 * (or where libsqlalc deliberately differs): RETURNING on SQLite, compile
 * errors for unsupported combinations, the literal debug form, generative
 * sharing, the parameter ceiling, expanding IN, text fragments, quoting.
 */
#include <pthread.h>
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

#define SQLITE (&sqlalc__dialect_sqlite)
#define PG (&sqlalc__dialect_postgresql)
#define MSSQL (&sqlalc__dialect_mssql)

static void expect_sql(sqlalc_stmt *q, const sqlalc_dialect *d, const char *want)
{
    assert_non_null(q);
    const char *got = sqlalc_stmt_sql(q, d);
    if (!got)
        fail_msg("compile failed: %s", sqlalc_errmsg());
    assert_string_equal(got, want);
}

static void expect_error(sqlalc_stmt *q, const sqlalc_dialect *d, int code, const char *part)
{
    assert_non_null(q);
    const char *got = sqlalc_stmt_sql(q, d);
    if (got)
        fail_msg("expected an error, got: %s", got);
    assert_int_equal(sqlalc_error_last()->code, code);
    if (!strstr(sqlalc_errmsg(), part))
        fail_msg("error '%s' does not mention '%s'", sqlalc_errmsg(), part);
}

static void test_sqlite_returning(void **state)
{
    (void)state;
    sqlalc_stmt *q =
        sqlalc_returning(sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("name", sqlalc_str("a")))),
                         SQLALC_COLS(fx_c(user, "id")));
    expect_sql(q, SQLITE, "INSERT INTO user (name) VALUES (:name) RETURNING user.id");
    expect_sql(q, MSSQL, "INSERT INTO [user] (name) OUTPUT inserted.id VALUES (:name)");
    sqlalc_stmt_free(q);
    q = sqlalc_returning(sqlalc_where(sqlalc_delete(user), sqlalc_eq(fx_c(user, "id"), sqlalc_int(1))),
                         SQLALC_COLS(fx_c(user, "id"), fx_c(user, "name")));
    expect_sql(q, SQLITE, "DELETE FROM user WHERE user.id = :id_1 RETURNING user.id, user.name");
    expect_sql(q, MSSQL, "DELETE FROM [user] OUTPUT deleted.id, deleted.name WHERE [user].id = :id_1");
    sqlalc_stmt_free(q);
    q = sqlalc_insert_default_values(address);
    expect_sql(q, PG, "INSERT INTO address DEFAULT VALUES");
    expect_sql(q, MSSQL, "INSERT INTO address DEFAULT VALUES");
    sqlalc_stmt_free(q);
}

/* A user dialect: SQLite's flavour without RETURNING. */
static sqlalc_compile_hooks noret_hooks;
static sqlalc_dialect noret;

static void test_unsupported_is_a_compile_error(void **state)
{
    (void)state;
    noret_hooks = sqlalc__sqlite_compile_hooks;
    noret_hooks.returning_style = SQLALC_RETURNING_NONE;
    noret = sqlalc__dialect_sqlite;
    noret.name = "oldsqlite";
    noret.compile = &noret_hooks;
    sqlalc_stmt *q = sqlalc_returning(sqlalc_delete(user), SQLALC_COLS(fx_c(user, "id")));
    expect_error(q, &noret, SQLALC_ERR_NOT_SUPPORTED, "RETURNING");
    sqlalc_stmt_free(q);

    q = sqlalc_on_conflict_do_nothing(
        sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)))), SQLALC_NOEXPRS);
    expect_error(q, MSSQL, SQLALC_ERR_NOT_SUPPORTED, "ON CONFLICT");
    expect_sql(q, SQLITE, "INSERT INTO user (id) VALUES (:id) ON CONFLICT DO NOTHING");
    sqlalc_stmt_free(q);

    q = sqlalc_offset(sqlalc_select(SQLALC_COLS(fx_c(user, "id"))), 5);
    expect_error(q, MSSQL, SQLALC_ERR_NOT_SUPPORTED, "ORDER BY");
    sqlalc_stmt_free(q);

    q = sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "id"))),
                        SQLALC_EXPRS(sqlalc_nulls_last(fx_c(user, "id"))));
    expect_error(q, MSSQL, SQLALC_ERR_NOT_SUPPORTED, "NULLS");
    expect_sql(q, PG, "SELECT \"user\".id \nFROM \"user\" ORDER BY \"user\".id NULLS LAST");
    sqlalc_stmt_free(q);

    /* A statement-only node used as an expression. */
    q = sqlalc_select(SQLALC_COLS(sqlalc_table_expr(user)));
    expect_error(q, SQLITE, SQLALC_ERR_ARGUMENT, "expression");
    sqlalc_stmt_free(q);
}

static void test_literal_form(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(user, "id"), sqlalc_literal_column("'a'")),
                                   sqlalc_and(sqlalc_eq(fx_c(user, "name"), sqlalc_str("O'Brien")),
                                              sqlalc_eq(fx_c(user, "id"), sqlalc_int(3))));
    /* What SQLAlchemy renders with literal_binds=True. */
    char *s = sqlalc_stmt_sql_literal(q, SQLITE);
    assert_string_equal(s, "SELECT user.id, 'a' \nFROM user \nWHERE user.name = 'O''Brien' AND user.id = 3");
    sqlalc_free(s);
    s = sqlalc_stmt_sql_literal(q, MSSQL);
    assert_string_equal(
        s, "SELECT [user].id, 'a' \nFROM [user] \nWHERE [user].name = 'O''Brien' AND [user].id = 3");
    sqlalc_free(s);
    sqlalc_stmt_free(q);
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                      sqlalc_or(sqlalc_eq(fx_c(user, "id"), sqlalc_float(1.5)),
                                sqlalc_eq(fx_c(user, "id"), sqlalc_bool(1)),
                                sqlalc_eq(fx_c(user, "name"), sqlalc_value_expr(SQLALC_NULLV))));
    s = sqlalc_stmt_sql_literal(q, PG);
    assert_string_equal(
        s,
        "SELECT \"user\".id \nFROM \"user\" \nWHERE \"user\".id = 1.5 OR \"user\".id = true OR \"user\".name = NULL");
    sqlalc_free(s);
    s = sqlalc_stmt_sql_literal(q, SQLITE);
    assert_string_equal(
        s, "SELECT user.id \nFROM user \nWHERE user.id = 1.5 OR user.id = 1 OR user.name = NULL");
    sqlalc_free(s);
    sqlalc_stmt_free(q);
}

static void test_generative_sharing(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")));
    const char *before = sqlalc_stmt_sql(q, SQLITE);
    assert_string_equal(before, "SELECT user.id \nFROM user");
    sqlalc_stmt *q2 = sqlalc_where(sqlalc_stmt_ref(q), sqlalc_gt(fx_c(user, "id"), sqlalc_int(1)));
    sqlalc_stmt *q3 = sqlalc_limit(sqlalc_stmt_ref(q2), 2);
    assert_ptr_not_equal(q, q2);
    assert_string_equal(sqlalc_stmt_sql(q, SQLITE), "SELECT user.id \nFROM user");
    assert_string_equal(sqlalc_stmt_sql(q2, SQLITE), "SELECT user.id \nFROM user \nWHERE user.id > :id_1");
    assert_string_equal(
        sqlalc_stmt_sql(q3, SQLITE),
        "SELECT user.id \nFROM user \nWHERE user.id > :id_1\n LIMIT :param_1 OFFSET :param_2");
    /* Sole owner: modified in place, the compiled form is dropped. */
    sqlalc_stmt *same = sqlalc_select_distinct(q3);
    assert_ptr_equal(same, q3);
    assert_string_equal(
        sqlalc_stmt_sql(same, SQLITE),
        "SELECT DISTINCT user.id \nFROM user \nWHERE user.id > :id_1\n LIMIT :param_1 OFFSET :param_2");
    sqlalc_stmt_free(q);
    sqlalc_stmt_free(q2);
    sqlalc_stmt_free(same);
}

static void test_parameters(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_limit(sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                                                sqlalc_and(sqlalc_gt(fx_c(user, "id"), sqlalc_int(5)),
                                                           sqlalc_eq(fx_c(user, "name"), sqlalc_str("ed")))),
                                  7);
    sqlalc_compiled *c;
    assert_ok(sqlalc_compile(q, PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, &c));
    assert_string_equal(
        sqlalc_compiled_sql(c),
        "SELECT \"user\".id \nFROM \"user\" \nWHERE \"user\".id > $1 AND \"user\".name = $2 \n LIMIT $3");
    assert_int_equal(sqlalc_compiled_nparams(c), 3);
    assert_string_equal(sqlalc_compiled_param_name(c, 0), "id_1");
    assert_int_equal(sqlalc_compiled_param_value(c, 0)->u.i, 5);
    assert_int_equal(sqlalc_compiled_param_type(c, 0), SQLALC_TYPE_INTEGER);
    assert_string_equal(sqlalc_compiled_param_value(c, 1)->u.s.p, "ed");
    assert_int_equal(sqlalc_compiled_param_type(c, 1), SQLALC_TYPE_STRING);
    assert_string_equal(sqlalc_compiled_param_name(c, 2), "param_1");
    assert_int_equal(sqlalc_compiled_param_value(c, 2)->u.i, 7);
    assert_null(sqlalc_compiled_param_name(c, 3));
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);

    /* bindparam: named, value replaceable; required: no value. */
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                      sqlalc_and(sqlalc_eq(fx_c(user, "name"), sqlalc_bindparam_required("nm")),
                                 sqlalc_eq(fx_c(user, "id"), sqlalc_bindparam("x", SQLALC_INTV(4)))));
    assert_ok(sqlalc_compile(q, SQLITE, SQLALC_PARAMSTYLE_QMARK, &c));
    assert_string_equal(sqlalc_compiled_sql(c),
                        "SELECT user.id \nFROM user \nWHERE user.name = ? AND user.id = ?");
    assert_null(sqlalc_compiled_param_value(c, 0));
    assert_string_equal(sqlalc_compiled_param_name(c, 1), "x");
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
}

static void test_in_past_parameter_ceiling(void **state)
{
    (void)state;
    enum { N = 3000 };
    sqlalc_value *vals = malloc(N * sizeof *vals);
    for (int i = 0; i < N; i++)
        vals[i] = SQLALC_INTV(i);
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_in_values(fx_c(user, "id"), vals, N));
    free(vals);
    sqlalc_compiled *c;
    /* mssql takes 2,100 parameters: the list goes inline. */
    assert_ok(sqlalc_compile(q, MSSQL, SQLALC_PARAMSTYLE_QMARK, &c));
    assert_int_equal(sqlalc_compiled_nparams(c), 0);
    assert_non_null(strstr(sqlalc_compiled_sql(c), "IN (0, 1, 2, 3,"));
    assert_non_null(strstr(sqlalc_compiled_sql(c), ", 2999)"));
    sqlalc_compiled_free(c);
    /* postgresql takes 65,535: all bound. */
    assert_ok(sqlalc_compile(q, PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, &c));
    assert_int_equal(sqlalc_compiled_nparams(c), N);
    assert_string_equal(sqlalc_compiled_param_name(c, N - 1), "id_1_3000");
    assert_non_null(strstr(sqlalc_compiled_sql(c), "$3000)"));
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
}

static void test_multirow_insert_slices(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_insert(user);
    for (int i = 0; i < 3; i++)
        q = sqlalc_values(q, SQLALC_KVS(SQLALC_KV("id", sqlalc_int(i)), SQLALC_KV("name", sqlalc_str("n"))));
    struct sqlalc_compiled *c;
    assert_ok(sqlalc__compile((sqlalc_expr *)q, SQLITE, SQLALC_PARAMSTYLE_QMARK, 1, 3, &c));
    assert_string_equal(c->sql, "INSERT INTO user (id, name) VALUES (?, ?), (?, ?)");
    assert_int_equal(c->nparams, 4);
    assert_int_equal(c->params[0].value->u.i, 1);
    assert_int_equal(c->params[2].value->u.i, 2);
    sqlalc_compiled_free(c);
    expect_sql(
        q, SQLITE,
        "INSERT INTO user (id, name) VALUES (:id_m0, :name_m0), (:id_m1, :name_m1), (:id_m2, :name_m2)");
    sqlalc_stmt_free(q);
    /* Rows must name the same columns. */
    q = sqlalc_values(sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)))),
                      SQLALC_KVS(SQLALC_KV("name", sqlalc_str("x"))));
    assert_null(q);
    assert_non_null(strstr(sqlalc_errmsg(), "same columns"));
}

static void test_expanding_in_and_text(void **state)
{
    (void)state;
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_in_expanding(fx_c(user, "id"), "ids"));
    expect_sql(q, NULL, "SELECT \"user\".id \nFROM \"user\" \nWHERE \"user\".id IN (__[POSTCOMPILE_ids])");
    sqlalc_compiled *c;
    assert_int_equal(sqlalc_compile(q, SQLITE, SQLALC_PARAMSTYLE_QMARK, &c), SQLALC_ERR_NOT_SUPPORTED);
    sqlalc_stmt_free(q);
    q = sqlalc_where(sqlalc_select(SQLALC_COLS(fx_c(user, "id"))),
                     sqlalc_text_sql("user.id > :v AND 'a:b' = 'a:b' AND x::int = 1",
                                     SQLALC_PARAMS(SQLALC_P_INT("v", 3))));
    assert_ok(sqlalc_compile(q, PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, &c));
    assert_string_equal(
        sqlalc_compiled_sql(c),
        "SELECT \"user\".id \nFROM \"user\" \nWHERE user.id > $1 AND 'a:b' = 'a:b' AND x::int = 1");
    assert_int_equal(sqlalc_compiled_param_value(c, 0)->u.i, 3);
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
}

/* render_postcompile (issue 9.7): an expanding IN compiled with its
 * values; expected strings from SQLAlchemy 1.4.46 (render_postcompile=True
 * with ids=[4, 2] and ids=[]). */
static void test_expanding_in_postcompile(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_where(
        sqlalc_select(SQLALC_COLS(fx_c(user, "name")), sqlalc_in_expanding(fx_c(user, "id"), "ids")),
        sqlalc_ne(fx_c(user, "name"), sqlalc_str("x")));
    const sqlalc_params *two = SQLALC_PARAMS(SQLALC_P_INT("ids", 4), SQLALC_P_INT("ids", 2));
    char *s = sqlalc_stmt_sql_postcompile(q, NULL, two);
    assert_string_equal(s, "SELECT \"user\".name \nFROM \"user\" \nWHERE \"user\".id IN (:ids_1, :ids_2) AND "
                           "\"user\".name != :name_1");
    sqlalc_free(s);
    s = sqlalc_stmt_sql_postcompile(q, MSSQL, two);
    assert_string_equal(
        s, "SELECT [user].name \nFROM [user] \nWHERE [user].id IN (:ids_1, :ids_2) AND [user].name "
           "!= :name_1");
    sqlalc_free(s);
    static const struct {
        const sqlalc_dialect *d;
        int style;
        const char *sql;
    } pos[] = {
        { &sqlalc__dialect_sqlite, SQLALC_PARAMSTYLE_QMARK,
          "SELECT user.name \nFROM user \nWHERE user.id IN (?, ?) AND user.name != ?" },
        { &sqlalc__dialect_postgresql, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
          "SELECT \"user\".name \nFROM \"user\" \nWHERE \"user\".id IN ($1, $2) AND \"user\".name != $3" },
        { &sqlalc__dialect_mssql, SQLALC_PARAMSTYLE_QMARK,
          "SELECT [user].name \nFROM [user] \nWHERE [user].id IN (?, ?) AND [user].name != ?" },
    };
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++) {
        sqlalc_compiled *c;
        assert_ok(sqlalc_compile_postcompile(q, pos[i].d, pos[i].style, two, &c));
        assert_string_equal(sqlalc_compiled_sql(c), pos[i].sql);
        assert_int_equal(sqlalc_compiled_nparams(c), 3);
        assert_string_equal(sqlalc_compiled_param_name(c, 0), "ids_1");
        assert_string_equal(sqlalc_compiled_param_name(c, 1), "ids_2");
        assert_string_equal(sqlalc_compiled_param_name(c, 2), "name_1");
        assert_int_equal(sqlalc_compiled_param_value(c, 1)->u.i, 2);
        sqlalc_compiled_free(c);
    }
    /* no values: the empty IN */
    s = sqlalc_stmt_sql_postcompile(q, NULL, NULL);
    assert_string_equal(s,
                        "SELECT \"user\".name \nFROM \"user\" \nWHERE \"user\".id IN (NULL) AND (1 != 1) AND "
                        "\"user\".name != :name_1");
    sqlalc_free(s);
    s = sqlalc_stmt_sql_postcompile(q, SQLITE, NULL);
    assert_string_equal(
        s, "SELECT user.name \nFROM user \nWHERE user.id IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1) "
           "AND user.name != :name_1");
    sqlalc_free(s);
    /* the statement's own display form is unchanged */
    expect_sql(
        q, NULL,
        "SELECT \"user\".name \nFROM \"user\" \nWHERE \"user\".id IN (__[POSTCOMPILE_ids]) AND \"user\".name "
        "!= :name_1");
    sqlalc_stmt_free(q);
}

static void test_quoting_and_schema(void **state)
{
    (void)state;
    static const char *const cols[] = { "id", "first name", "We\"ird]", NULL };
    static struct sqlalc_type *const types[] = { &fx_int, &fx_str, &fx_str };
    sqlalc_table *t = fx_table("People", cols, types);
    t->schema = fx_strdup("sales");
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(t, "first name"), fx_c(t, "We\"ird]")),
                                   sqlalc_eq(fx_c(t, "id"), sqlalc_int(1)));
    expect_sql(
        q, PG,
        "SELECT sales.\"People\".\"first name\", sales.\"People\".\"We\"\"ird]\" \nFROM sales.\"People\" \nWHERE sales.\"People\".id = :id_1");
    expect_sql(
        q, MSSQL,
        "SELECT sales.[People].[first name], sales.[People].[We\"ird]]] \nFROM sales.[People] \nWHERE sales.[People].id = :id_1");
    sqlalc_stmt_free(q);
    free(t->schema);
    fx_free(t);
}

static void test_shared_across_threads_safe_cache(void **state)
{
    (void)state;
    /* The display form is computed once per dialect and kept. */
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")));
    const char *a = sqlalc_stmt_sql(q, SQLITE);
    const char *b = sqlalc_stmt_sql(q, SQLITE);
    const char *p = sqlalc_stmt_sql(q, PG);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, p);
    sqlalc_stmt_free(q);
}

static sqlalc_stmt *shape(int64_t id, const char *name, int64_t limit)
{
    return sqlalc_limit(
        sqlalc_order_by(sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                                      sqlalc_or(sqlalc_gt(fx_c(user, "id"), sqlalc_int(id)),
                                                sqlalc_eq(fx_c(user, "name"), sqlalc_str(name)))),
                        SQLALC_EXPRS(fx_c(user, "id"))),
        limit);
}

static void test_shape_cache(void **state)
{
    (void)state;
    sqlalc__shape_cache_clear();
    long h0, m0, h1, m1;
    sqlalc__shape_cache_stats(&h0, &m0);
    sqlalc_stmt *a = shape(1, "a", 5), *b = shape(2, "b", 5), *c = shape(3, "c", 6);
    const char *sa = sqlalc_stmt_sql(a, MSSQL);
    const char *sb = sqlalc_stmt_sql(b, MSSQL);
    const char *sc = sqlalc_stmt_sql(c, MSSQL);
    sqlalc__shape_cache_stats(&h1, &m1);
    assert_int_equal(h1 - h0, 1); /* b shares a's compilation */
    assert_int_equal(m1 - m0, 2); /* c differs: TOP 6 is text */
    assert_string_equal(sa, sb);
    assert_string_equal(
        sc,
        "SELECT TOP 6 [user].id \nFROM [user] \nWHERE [user].id > :id_1 OR [user].name = :name_1 ORDER BY [user].id");
    /* The values come from each statement. */
    const struct sqlalc_compiled *ca, *cb;
    assert_ok(sqlalc__stmt_compiled(a, SQLITE, SQLALC_PARAMSTYLE_QMARK, &ca));
    assert_ok(sqlalc__stmt_compiled(b, SQLITE, SQLALC_PARAMSTYLE_QMARK, &cb));
    assert_int_equal(ca->nparams, 4);
    assert_int_equal(ca->params[0].value->u.i, 1);
    assert_int_equal(cb->params[0].value->u.i, 2);
    assert_string_equal(cb->params[1].value->u.s.p, "b");
    assert_int_equal(cb->params[2].value->u.i, 5);
    assert_int_equal(cb->params[3].value->u.i, 0); /* SQLite's OFFSET 0 constant */
    sqlalc_stmt_free(a);
    sqlalc_stmt_free(b);
    /* c outlives a and b: its entry holds no pointer into them. */
    const struct sqlalc_compiled *cc;
    sqlalc_stmt *d = shape(9, "z", 6);
    assert_ok(sqlalc__stmt_compiled(d, MSSQL, 0, &cc));
    assert_int_equal(cc->params[0].value->u.i, 9);
    assert_string_equal(cc->params[1].value->u.s.p, "z");
    sqlalc_stmt_free(c);
    sqlalc_stmt_free(d);
    /* A different IN list length is a different shape. */
    sqlalc_stmt *i2 = sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                                    sqlalc_in(fx_c(user, "id"), SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2))));
    sqlalc_stmt *i3 =
        sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                      sqlalc_in(fx_c(user, "id"), SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))));
    assert_string_equal(sqlalc_stmt_sql(i2, SQLITE),
                        "SELECT user.id \nFROM user \nWHERE user.id IN (:id_1_1, :id_1_2)");
    assert_string_equal(sqlalc_stmt_sql(i3, SQLITE),
                        "SELECT user.id \nFROM user \nWHERE user.id IN (:id_1_1, :id_1_2, :id_1_3)");
    sqlalc_stmt_free(i2);
    sqlalc_stmt_free(i3);
}

/* The lesson's SQL Expressions, printed as SQLAlchemy's str(expr) does. */
static void test_expression_display(void **state)
{
    (void)state;
    static const char *const cols[] = { "id", "name", NULL };
    static struct sqlalc_type *const types[] = { &fx_int, &fx_str };
    sqlalc_table *ex = fx_table("example", cols, types);
    struct {
        sqlalc_expr *e;
        const char *want;
    } cases[] = {
        { sqlalc_eq(fx_c(ex, "id"), sqlalc_int(5)), "example.id = :id_1" },
        { sqlalc_ne(fx_c(ex, "id"), sqlalc_int(5)), "example.id != :id_1" },
        { sqlalc_gt(fx_c(ex, "id"), sqlalc_int(5)), "example.id > :id_1" },
        { sqlalc_or(sqlalc_gt(fx_c(ex, "id"), sqlalc_int(5)), sqlalc_lt(fx_c(ex, "id"), sqlalc_int(2))),
          "example.id > :id_1 OR example.id < :id_2" },
        { sqlalc_eq(fx_c(ex, "name"), sqlalc_null()), "example.name IS NULL" },
        { sqlalc_add(fx_c(ex, "id"), sqlalc_int(5)), "example.id + :id_1" },
        { sqlalc_add(fx_c(ex, "name"), sqlalc_str("some name")), "example.name || :name_1" },
        { sqlalc_in(fx_c(ex, "id"), SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))),
          "example.id IN (:id_1_1, :id_1_2, :id_1_3)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = sqlalc_expr_sql(cases[i].e, NULL);
        assert_string_equal(s, cases[i].want);
        sqlalc_free(s);
        sqlalc_expr_free(cases[i].e);
    }
    sqlalc_expr *e = sqlalc_add(fx_c(ex, "name"), sqlalc_str("x"));
    char *s = sqlalc_expr_sql(e, MSSQL);
    assert_string_equal(s, "example.name + :name_1");
    sqlalc_free(s);
    sqlalc_expr_free(e);
    fx_free(ex);
}

/* CAST names the type as the dialect's DDL does (what CREATE TABLE made). */
static void test_cast_follows_ddl_spelling(void **state)
{
    (void)state;
    struct {
        const sqlalc_dialect *d;
        int kind, length;
        const char *want;
    } cases[] = {
        { PG, SQLALC_TYPE_DATETIME, 0, "CAST(x AS TIMESTAMP WITHOUT TIME ZONE)" },
        { PG, SQLALC_TYPE_LARGE_BINARY, 0, "CAST(x AS BYTEA)" },
        { MSSQL, SQLALC_TYPE_BOOLEAN, 0, "CAST(x AS BIT)" },
        { MSSQL, SQLALC_TYPE_DATETIME, 0, "CAST(x AS DATETIME)" },
        { MSSQL, SQLALC_TYPE_UNICODE, 5, "CAST(x AS NVARCHAR(5))" },
        { MSSQL, SQLALC_TYPE_STRING, 0, "CAST(x AS VARCHAR(max))" },
        { SQLITE, SQLALC_TYPE_LARGE_BINARY, 0, "CAST(x AS BLOB)" },
        { NULL, SQLALC_TYPE_STRING, 20, "CAST(x AS VARCHAR(20))" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sqlalc_expr *e = sqlalc_cast_kind(sqlalc_literal_column("x"), cases[i].kind, cases[i].length);
        char *s = sqlalc_expr_sql(e, cases[i].d);
        assert_non_null(s);
        assert_string_equal(s, cases[i].want);
        sqlalc_free(s);
        sqlalc_expr_free(e);
    }
}

/* A statement shared by threads: each compiles it (cache pushed lock-free)
 * and builds statements of one shape (the shared shape cache). */
static sqlalc_stmt *shared_q;
static void *thread_body(void *arg)
{
    long ok = 1;
    for (int i = 0; i < 300; i++) {
        const char *s = sqlalc_stmt_sql(shared_q, (i & 1) ? SQLITE : PG);
        ok &= s && strstr(s, "WHERE") != NULL;
        sqlalc_stmt *b = shape((int64_t)(intptr_t)arg * 1000 + i, "t", 3);
        const struct sqlalc_compiled *c;
        ok &= b && sqlalc__stmt_compiled(b, MSSQL, SQLALC_PARAMSTYLE_QMARK, &c) == SQLALC_OK &&
              c->params[0].value->u.i == (int64_t)(intptr_t)arg * 1000 + i;
        sqlalc_stmt_free(b);
    }
    return (void *)ok;
}

static void test_threads(void **state)
{
    (void)state;
    shared_q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_gt(fx_c(user, "id"), sqlalc_int(1)));
    pthread_t th[8];
    for (intptr_t i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_body, (void *)i), 0);
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(th[i], &r);
        assert_true(r == (void *)1);
    }
    sqlalc_stmt_free(shared_q);
}

/* Issue 14, defect 2: a statement argument must be a row source.  An
 * INSERT / UPDATE / DELETE given to IN (…), EXISTS, a scalar subquery, a
 * subquery, a CTE, INSERT … SELECT or a UNION is an argument error (before:
 * accepted, then read as an expression list when compiled); every argument
 * is released (ASan's leak check). */
static void test_statement_arguments_must_select(void **state)
{
    (void)state;
    for (int k = 0; k < 3; k++) {
#define DML()                                                                                      \
    (k == 0   ? sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("name", sqlalc_str("a")))) \
     : k == 1 ? sqlalc_where(sqlalc_update(user), sqlalc_eq(fx_c(user, "id"), sqlalc_int(1)))      \
              : sqlalc_delete(user))
        sqlalc_error_clear();
        assert_null(sqlalc_in_select(fx_c(user, "id"), DML()));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_non_null(strstr(sqlalc_errmsg(), "sqlalc_in_select: needs a SELECT"));
        assert_null(sqlalc_notin_select(fx_c(user, "id"), DML()));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_exists(DML()));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_scalar_subquery(DML()));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_subquery(DML(), "s"));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_cte(DML(), "c"));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_insert_from_select(user, SQLALC_NAMES("id"), DML()));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_union(sqlalc_select(SQLALC_COLS(fx_c(user, "id"))), DML()));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        /* the error surfaces once, at the end of a nested build */
        sqlalc_stmt *q =
            sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_in_select(fx_c(user, "id"), DML()));
        assert_null(q);
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
#undef DML
    }
    /* SELECT and compound SELECT stay accepted */
    sqlalc_stmt *q = sqlalc_select(
        SQLALC_COLS(fx_c(user, "id")),
        sqlalc_in_select(fx_c(user, "id"), sqlalc_union(sqlalc_select(SQLALC_COLS(fx_c(address, "user_id"))),
                                                        sqlalc_select(SQLALC_COLS(fx_c(address, "id"))))));
    assert_non_null(q);
    expect_sql(q, SQLITE,
               "SELECT user.id \nFROM user \nWHERE user.id IN (SELECT address.user_id \nFROM address UNION "
               "SELECT address.id \nFROM address)");
    sqlalc_stmt_free(q);
}

/* Issue 14, defect 8: literals per dialect, or a clear refusal. */
static void test_literal_renderer_per_dialect(void **state)
{
    (void)state;
    double inf = 1.0 / 0.0, nan = 0.0 / 0.0;
    sqlalc_stmt *q = sqlalc_select(
        SQLALC_COLS(sqlalc_value_expr(SQLALC_BLOBV("\x01\xff", 2)), sqlalc_float(inf), sqlalc_float(-inf)));
    char *s = sqlalc_stmt_sql_literal(q, SQLITE);
    assert_string_equal(s, "SELECT X'01FF' AS anon_1, 9e999 AS anon_2, -9e999 AS anon_3");
    sqlalc_free(s);
    s = sqlalc_stmt_sql_literal(q, PG);
    assert_string_equal(s, "SELECT decode('01FF', 'hex') AS anon_1, CAST('Infinity' AS FLOAT) AS anon_2, "
                           "CAST('-Infinity' AS FLOAT) AS anon_3");
    sqlalc_free(s);
    assert_null(sqlalc_stmt_sql_literal(q, MSSQL));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_DATA);
    assert_non_null(strstr(sqlalc_errmsg(), "infinity has no SQL literal"));
    sqlalc_stmt_free(q);
    q = sqlalc_select(
        SQLALC_COLS(sqlalc_value_expr(SQLALC_BLOBV("\x01\xff", 2)), sqlalc_value_expr(SQLALC_BLOBV("", 0))));
    s = sqlalc_stmt_sql_literal(q, MSSQL);
    assert_string_equal(s, "SELECT 0x01FF AS anon_1, 0x0 AS anon_2");
    sqlalc_free(s);
    sqlalc_stmt_free(q);
    q = sqlalc_select(SQLALC_COLS(sqlalc_float(nan)));
    s = sqlalc_stmt_sql_literal(q, PG);
    assert_string_equal(s, "SELECT CAST('NaN' AS FLOAT) AS anon_1");
    sqlalc_free(s);
    assert_null(sqlalc_stmt_sql_literal(q, SQLITE));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_DATA);
    sqlalc_stmt_free(q);
    /* an embedded NUL used to end the string inside its quote */
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")),
                      sqlalc_eq(fx_c(user, "name"), sqlalc_value_expr(SQLALC_TEXTNV("a\0b", 3))));
    for (int k = 0; k < 3; k++) {
        assert_null(sqlalc_stmt_sql_literal(q, k == 0 ? SQLITE : k == 1 ? PG : MSSQL));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_DATA);
    }
    sqlalc_stmt_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_returning),
        cmocka_unit_test(test_unsupported_is_a_compile_error),
        cmocka_unit_test(test_literal_form),
        cmocka_unit_test(test_generative_sharing),
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_in_past_parameter_ceiling),
        cmocka_unit_test(test_multirow_insert_slices),
        cmocka_unit_test(test_expanding_in_and_text),
        cmocka_unit_test(test_expanding_in_postcompile),
        cmocka_unit_test(test_quoting_and_schema),
        cmocka_unit_test(test_shared_across_threads_safe_cache),
        cmocka_unit_test(test_shape_cache),
        cmocka_unit_test(test_expression_display),
        cmocka_unit_test(test_cast_follows_ddl_spelling),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_statement_arguments_must_select),
        cmocka_unit_test(test_literal_renderer_per_dialect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

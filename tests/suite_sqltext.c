/*
 * One corpus of tricky SQL through every entry point that reads SQL text,
 * on every backend: raw SQL (sqlalc_conn_execute_sql), a raw fragment in
 * an expression (sqlalc_text_sql + sqlalc_conn_execute), the compiled
 * parameter list (sqlalc_compile), and SQLite's DDL reader (reflection).
 * They must find the same binds, and the SQL must run where it is valid.
 */
#include <stdio.h>
#include <string.h>
#include "testutil.h"

enum { ALL = 0, PG_ONLY = 1, LITE_ONLY = 2, NOT_PG = 3 };

typedef struct corpus_case {
    const char *fragment; /* a SELECT's column list: "SELECT " + fragment */
    int where;            /* ALL, PG_ONLY (its syntax), LITE_ONLY, NOT_PG */
    const char *binds;    /* the bind names found, joined by ',' */
    const char *want;     /* first column of the row, as text */
} corpus_case;

static const corpus_case corpus[] = {
    /* the example: a quoted alias and a comment hold no bind */
    { "1 AS \"a:b\" -- :c", ALL, "", "1" },
    { ":x AS v", ALL, "x", "5" },
    { "':x' AS v", ALL, "", ":x" },
    { "'it''s :x' AS v", ALL, "", "it's :x" },
    { "/* :x */ 2 AS v", ALL, "", "2" },
    { "-- :x\n 4 AS v", ALL, "", "4" },
    { "'12:30' AS v", ALL, "", "12:30" },
    { ":x AS \"weird \"\" :y\"", ALL, "x", "5" },
    { ":x AS v, :x AS w", ALL, "x,x", "5" },
    { ":été AS v", ALL, "été", "9" },
    { "CAST(:s AS INTEGER) AS v", ALL, "s", "12" },
    /* PostgreSQL's own forms */
    { "/* /* :x */ :y */ 3 AS v", PG_ONLY, "", "3" },
    { "E'\\':x' AS v", PG_ONLY, "", "':x" },
    { "$$ :x $$ AS v", PG_ONLY, "", " :x " },
    { "$t$ :x $t$ AS v", PG_ONLY, "", " :x " },
    { ":x::int AS v", PG_ONLY, "x", "5" },
    { "(ARRAY[10,20,30])[:i] AS v", PG_ONLY, "i", "20" },
    /* SQLite's bracketed and backtick identifiers */
    { "(SELECT [a:b] FROM (SELECT 7 AS [a:b])) AS v", LITE_ONLY, "", "7" },
    { "(SELECT `a:b` FROM (SELECT 8 AS `a:b`)) AS v", LITE_ONLY, "", "8" },
};

static sqlalc_engine *eng;

static int setup(void **state)
{
    (void)state;
    eng = test_engine();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlalc_engine_free(eng);
    return 0;
}

static int applies(const corpus_case *cc)
{
    int pg = test_dialect_is("postgresql"), lite = test_dialect_is("sqlite");
    switch (cc->where) {
    case PG_ONLY: return pg;
    case LITE_ONLY: return lite;
    case NOT_PG: return !pg;
    default: return 1;
    }
}

/* Values for whatever the corpus binds. */
static const sqlalc_params *values(void)
{
    static sqlalc_param items[4];
    static sqlalc_params p = { 0, items };
    const sqlalc_param v[4] = { SQLALC_P_INT("x", 5), SQLALC_P_INT("été", 9), SQLALC_P_TEXT("s", "12"),
                                SQLALC_P_INT("i", 2) };
    memcpy(items, v, sizeof v);
    p.count = 4;
    return &p;
}

/* Only the parameters the case binds (unused ones are errors in raw SQL). */
static void used_values(const corpus_case *cc, sqlalc_params *out, sqlalc_param *buf)
{
    const sqlalc_params *all = values();
    out->items = buf;
    out->count = 0;
    for (size_t i = 0; i < all->count; i++) {
        const char *n = all->items[i].name;
        size_t nl = strlen(n);
        for (const char *b = cc->binds; *b;) {
            const char *e = strchr(b, ',');
            size_t bl = e ? (size_t)(e - b) : strlen(b);
            if (bl == nl && !memcmp(b, n, nl)) {
                buf[out->count++] = all->items[i];
                break;
            }
            b += bl + (e ? 1 : 0);
        }
    }
}

static void first_text(sqlalc_result *res, char *buf, size_t cap)
{
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    const char *t = sqlalc_row_text(row, 0);
    snprintf(buf, cap, "%s", t ? t : "(null)");
}

static void test_corpus_every_entry_point(void **state)
{
    (void)state;
    sqlalc_conn *conn;
    assert_ok(sqlalc_engine_connect(eng, &conn));
    const sqlalc_dialect *d = sqlalc_find_dialect(sqlalc_engine_dialect_name(eng));
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        const corpus_case *cc = &corpus[i];
        if (!applies(cc))
            continue;
        sqlalc_param buf[4];
        sqlalc_params used;
        used_values(cc, &used, buf);
        char sql[256], got[128];
        snprintf(sql, sizeof sql, "SELECT %s", cc->fragment);

        /* 1. raw SQL */
        sqlalc_result *res;
        int rc = sqlalc_conn_execute_sql(conn, sql, &used, &res);
        if (rc != SQLALC_OK)
            fail_msg("execute_sql(%s): %s", sql, sqlalc_errmsg());
        first_text(res, got, sizeof got);
        sqlalc_result_free(res);
        if (strcmp(got, cc->want))
            fail_msg("execute_sql(%s) = '%s', want '%s'", sql, got, cc->want);

        /* 2. the same text as a fragment of an expression statement */
        sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_text_sql(cc->fragment, values())));
        assert_non_null(q);
        /* 3. the binds the compiler found are the raw parser's */
        sqlalc_compiled *c;
        assert_ok(sqlalc_compile(q, d, 0, &c));
        char names[128] = "";
        size_t k = 0;
        for (size_t j = 0; j < sqlalc_compiled_nparams(c); j++)
            k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", j ? "," : "",
                                  sqlalc_compiled_param_name(c, j));
        if (strcmp(names, cc->binds))
            fail_msg("compile(%s): binds '%s', want '%s'", cc->fragment, names, cc->binds);
        sqlalc_compiled_free(c);
        rc = sqlalc_conn_execute(conn, q, NULL, &res);
        if (rc != SQLALC_OK)
            fail_msg("execute(text_sql(%s)): %s", cc->fragment, sqlalc_errmsg());
        first_text(res, got, sizeof got);
        sqlalc_result_free(res);
        if (strcmp(got, cc->want))
            fail_msg("execute(text_sql(%s)) = '%s', want '%s'", cc->fragment, got, cc->want);
        sqlalc_stmt_free(q);
    }
    sqlalc_conn_close(conn);
}

/* SQLite's ?NNN numbering, the same on every backend (PostgreSQL as $n,
 * ODBC as plain markers in value order). */
static void test_numbered_parameters(void **state)
{
    (void)state;
    sqlalc_result *res;
    const sqlalc_row *row;
    const char *sql = test_dialect_is("postgresql")
                          ? "SELECT CAST(?2 AS TEXT), CAST(?1 AS TEXT), CAST(?2 AS TEXT)"
                          : "SELECT ?2, ?1, ?2";
    assert_ok(sqlalc_engine_execute_sql(
        eng, sql, SQLALC_PARAMS(SQLALC_P_TEXT(NULL, "a"), SQLALC_P_TEXT(NULL, "b")), &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "b");
    assert_string_equal(sqlalc_row_text(row, 1), "a");
    assert_string_equal(sqlalc_row_text(row, 2), "b");
    sqlalc_result_free(res);
}

/* SQLite's DDL reader (reflection) sees the same tokens: comments with
 * ')' and ',', bracketed and backtick names, strings with ')'. */
static void test_sqlite_ddl_reader(void **state)
{
    (void)state;
    if (!test_dialect_is("sqlite"))
        skip();
    test_exec_quiet(eng, "DROP TABLE w_ddl");
    test_exec(eng, "CREATE TABLE w_ddl (\n"
                   "  id INTEGER PRIMARY KEY, -- a comment with ) and , inside\n"
                   "  [a:b] TEXT /* ), ( */ DEFAULT 'x)y',\n"
                   "  `c)d` INTEGER,\n"
                   "  CONSTRAINT ck_len CHECK (length([a:b]) < 10 /* ) */)\n"
                   ")");
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table(insp, NULL, "w_ddl", &ti));
    assert_int_equal(ti->ncolumns, 3);
    assert_string_equal(ti->columns[1].name, "a:b");
    assert_string_equal(ti->columns[2].name, "c)d");
    assert_int_equal(ti->nchecks, 1);
    assert_string_equal(ti->checks[0].name, "ck_len");
    assert_non_null(strstr(ti->checks[0].sqltext, "length([a:b]) < 10"));
    sqlalc_inspector_free(insp);
    test_exec(eng, "DROP TABLE w_ddl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_every_entry_point),
        cmocka_unit_test(test_numbered_parameters),
        cmocka_unit_test(test_sqlite_ddl_reader),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

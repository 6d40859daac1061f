/*
 * The one SQL lexer and the text-SQL bind parser on hostile text: quotes,
 * E'…' strings, dollar quotes, nested comments, [bracketed] and backtick
 * identifiers, casts, escapes, numbered parameters, non-ASCII names.
 */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"
#include "sql/lexer.h"
#include "engine/textsql.h"

#define PG (SQLALC_SYNTAX_DOLLAR | SQLALC_SYNTAX_ESCAPE_STRINGS | SQLALC_SYNTAX_NESTED_COMMENTS)
#define LITE (SQLALC_SYNTAX_BRACKET_IDENTIFIERS | SQLALC_SYNTAX_BACKTICK_IDENTIFIERS)
#define MSSQL SQLALC_SYNTAX_BRACKET_IDENTIFIERS

/* Tokens as a compact string: one letter per token kind, spaces dropped. */
static void shape(const char *sql, unsigned syntax, char *out, size_t cap)
{
    static const char letters[] = "E_CSQWNn:c?#$.";
    sqlalc__lexer lx;
    sqlalc__token t;
    size_t k = 0;
    sqlalc__lex_init(&lx, sql, strlen(sql), syntax);
    while (sqlalc__lex_next(&lx, &t) != SQLALC_TOK_END && k + 2 < cap)
        if (t.kind != SQLALC_TOK_SPACE)
            out[k++] = letters[t.kind];
    out[k] = 0;
}

typedef struct lex_case {
    const char *sql;
    unsigned syntax;
    const char *
        shape; /* E end _ space C comment S string Q quoted W word N number n :name : escaped c cast ? # $ . */
} lex_case;

static void test_token_kinds(void **state)
{
    (void)state;
    static const lex_case cases[] = {
        { "SELECT 1 AS \"a:b\" -- :c", 0, "WNWQC" },
        { "'it''s :x'", 0, "S" },
        { "E'\\':x' :y", PG, "Sn" },
        { "E'\\':x' :y", 0, "WSnS" }, /* no E strings: E, '\\', :x, then an open string */
        { "/* /* :x */ :y */ :z", PG, "Cn" },
        { "/* /* :x */ :y */ :z", 0, "Cn..n" }, /* :y, then * and /, then :z */
        { "[a:b] `c:d` :e", LITE, "QQn" },
        { "arr[:i]", PG, "W.n." }, /* an array subscript there: ":i" is a bind */
        { "$$ :x $$ $t$ :y $t$ $1", PG, "SS$" },
        { "a$1 :x", PG, "Wn" },
        { "x::int :v::text", PG, "Wc Wnc W" },
        { "12:30 a:b :c: \\: \\?", 0, "N.N W.W .W. ::" },
        { "? ?12 ?", 0, "?#?" },
        { ":été :_x1 :1a", 0, "nn.NW" },
        { "'unterminated :x", 0, "S" },
        { "\"q\"\"uote :x\" :y", 0, "Qn" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[64], want[64];
        shape(cases[i].sql, cases[i].syntax, got, sizeof got);
        size_t k = 0;
        for (const char *p = cases[i].shape; *p; p++)
            if (*p != ' ')
                want[k++] = *p;
        want[k] = 0;
        if (strcmp(got, want))
            fail_msg("lex(%s): got %s, want %s", cases[i].sql, got, want);
    }
}

typedef struct bind_case {
    const char *sql;
    unsigned syntax;
    int paramstyle;
    const char *rewritten; /* NULL: parse error expected */
    const char *names;     /* names joined by ',' ("" for none); "#n,m" positional value indexes */
} bind_case;

static void test_text_binds(void **state)
{
    (void)state;
    static const bind_case cases[] = {
        /* the issue's example: nothing to bind in a quoted alias and a comment */
        { "SELECT 1 AS \"a:b\" -- :c", 0, SQLALC_PARAMSTYLE_QMARK, "SELECT 1 AS \"a:b\" -- :c", "" },
        { "SELECT :a, :b, :a", 0, SQLALC_PARAMSTYLE_QMARK, "SELECT ?, ?, ?", "a,b,a" },
        { "SELECT :a, :b, :a", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT $1, $2, $1", "a,b" },
        { "SELECT E'\\':a' || :b", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT E'\\':a' || $1", "b" },
        { "SELECT /* /* :a */ :b */ :c", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT /* /* :a */ :b */ $1",
          "c" },
        { "SELECT [a:b] FROM t WHERE `x:y` = :v", LITE, SQLALC_PARAMSTYLE_QMARK,
          "SELECT [a:b] FROM t WHERE `x:y` = ?", "v" },
        { "SELECT $$:a$$, $q$ :b $q$, :c", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
          "SELECT $$:a$$, $q$ :b $q$, $1", "c" },
        { "SELECT :v::int, 12:30", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT $1::int, 12:30", "v" },
        { "SELECT '\\:' , \\:x", 0, SQLALC_PARAMSTYLE_QMARK, "SELECT '\\:' , :x", "" },
        /* a literal '?' is a marker where the driver's paramstyle is '?'
         * (fuzz_textsql found "\\?4" turning into SQLite's ?4): refused */
        { "SELECT a\\?b", 0, SQLALC_PARAMSTYLE_QMARK, NULL, NULL },
        { "SELECT \\?4, ?", LITE, SQLALC_PARAMSTYLE_QMARK, NULL, NULL },
        { "SELECT j \\? 'k', :v", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT j ? 'k', $1", "v" },
        { "SELECT :été, :naïve_1", 0, SQLALC_PARAMSTYLE_QMARK, "SELECT ?, ?", "été,naïve_1" },
        /* numbered parameters keep their numbers (issue 14 defect 9) */
        { "SELECT ?2, ?1", 0, SQLALC_PARAMSTYLE_QMARK, "SELECT ?, ?", "#1,0" },
        { "SELECT ?2, ?1, ?2", 0, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT $2, $1, $2", "#0,1" },
        { "SELECT ?, ?5, ?", 0, SQLALC_PARAMSTYLE_QMARK, "SELECT ?, ?, ?", "#0,4,5" },
        { "SELECT $2, $1", PG, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT $2, $1", "#0,1" },
        { "SELECT $2, $1", PG, SQLALC_PARAMSTYLE_QMARK, "SELECT ?, ?", "#1,0" },
        { "SELECT ?0", 0, SQLALC_PARAMSTYLE_QMARK, NULL, NULL },
        { "SELECT ?99999", 0, SQLALC_PARAMSTYLE_QMARK, NULL, NULL },
        { "SELECT :a, ?", 0, SQLALC_PARAMSTYLE_QMARK, NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bind_case *bc = &cases[i];
        sqlalc__textsql t;
        int rc = sqlalc__textsql_parse(bc->sql, bc->paramstyle, bc->syntax, &t);
        if (!bc->rewritten) {
            if (rc != SQLALC_ERR_PROGRAMMING)
                fail_msg("parse(%s) should fail, got %d", bc->sql, rc);
            continue;
        }
        if (rc != SQLALC_OK)
            fail_msg("parse(%s): %s", bc->sql, sqlalc_errmsg());
        if (strcmp(t.sql, bc->rewritten))
            fail_msg("parse(%s): got '%s', want '%s'", bc->sql, t.sql, bc->rewritten);
        char names[128] = "";
        size_t k = 0;
        if (t.positional)
            k += (size_t)snprintf(names, sizeof names, "#");
        for (int j = 0; j < t.nph; j++) {
            if (t.positional)
                k += (size_t)snprintf(names + k, sizeof names - k, "%s%d", j ? "," : "", t.pos[j]);
            else
                k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", j ? "," : "", t.names[j]);
        }
        if (strcmp(names, bc->names))
            fail_msg("parse(%s): placeholders %s, want %s", bc->sql, names, bc->names);
        sqlalc__textsql_free(&t);
    }
}

/* Numbered parameters bind the value they name, on SQLite itself. */
static void test_numbered_parameters_sqlite(void **state)
{
    (void)state;
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create("sqlite://", NULL, &eng));
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_engine_execute_sql(
        eng, "SELECT ?2, ?1, ?2", SQLALC_PARAMS(SQLALC_P_TEXT(NULL, "a"), SQLALC_P_TEXT(NULL, "b")), &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "b");
    assert_string_equal(sqlalc_row_text(row, 1), "a");
    assert_string_equal(sqlalc_row_text(row, 2), "b");
    sqlalc_result_free(res);
    /* too few values for the highest number: an error naming the count */
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT ?3", SQLALC_PARAMS(SQLALC_P_INT(NULL, 1)), &res),
                SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "3 positional"));
    sqlalc_engine_free(eng);
}

/* Bind names are validated: no SQL can ride in a name. */
static void test_bindparam_names(void **state)
{
    (void)state;
    static const char *const bad[] = { "", "x; DROP TABLE t", "a b", "a:b", "1abc", "x)--", "a'b", "a\"b" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(sqlalc_bindparam(bad[i], SQLALC_INTV(1)));
        assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
        assert_null(sqlalc_bindparam_required(bad[i]));
        sqlalc_expr *col = sqlalc_literal_column("x");
        assert_null(sqlalc_in_expanding(col, bad[i]));
    }
    static const char *const good[] = { "x", "user_id", "_a1", "été", "naïve" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        sqlalc_expr *e = sqlalc_bindparam(good[i], SQLALC_INTV(1));
        assert_non_null(e);
        sqlalc_expr_free(e);
    }
}

/* Positional markers in a raw fragment would be miscounted: refused. */
static void test_fragment_refuses_positional(void **state)
{
    (void)state;
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_text_sql("? + 1", NULL)));
    assert_non_null(q);
    assert_null(sqlalc_stmt_sql(q, sqlalc_find_dialect("sqlite")));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
    sqlalc_stmt_free(q);
    q = sqlalc_select(SQLALC_COLS(sqlalc_text_sql("'?' AS q, \\? AS r", NULL)));
    const char *sql = sqlalc_stmt_sql(q, sqlalc_find_dialect("sqlite"));
    assert_non_null(sql);
    assert_string_equal(sql, "SELECT '?' AS q, ? AS r");
    sqlalc_stmt_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_kinds),
        cmocka_unit_test(test_text_binds),
        cmocka_unit_test(test_numbered_parameters_sqlite),
        cmocka_unit_test(test_bindparam_names),
        cmocka_unit_test(test_fragment_refuses_positional),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

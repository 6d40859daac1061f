/*
 * Regression tests for what the fuzz targets (fuzz/) found, each written
 * so that it failed before its fix:
 *  - fuzz_textsql: a huge ?NNN number overflowed a signed long in the
 *    lexer (UB, caught by UBSan in the sanitizer pass);
 *  - fuzz_url: a URL that fails before its query is found ("x&pwd=s"),
 *    and keys such as "db_password", showed their secret in messages;
 *  - fuzz_reflect_sqlite: a declared type holding invalid UTF-8 made the
 *    inspector's JSON invalid;
 *  - fuzz_textsql (long run): "\\?" wrote a literal '?' that SQLite and
 *    ODBC read as a parameter marker nobody binds ("\\?4" became ?4);
 *  - fuzz_textsql (long run): SQLite's TCL form ":x(...)" after a word
 *    swallowed our markers, and its one named parameter took our value.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"
#include "engine/textsql.h"

static void test_huge_numbered_parameter(void **state)
{
    (void)state;
    static const char *const sqls[] = { "SELECT ?99999999999999999999999999",
                                        "SELECT ?02000000001000000000001",
                                        "SELECT $99999999999999999999999999" };
    for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        sqlalc__textsql t;
        int rc = sqlalc__textsql_parse(sqls[i], SQLALC_PARAMSTYLE_QMARK, SQLALC_SYNTAX_DOLLAR, &t);
        assert_int_equal(rc, SQLALC_ERR_PROGRAMMING);
        assert_non_null(strstr(sqlalc_errmsg(), "out of range"));
    }
}

/* "\\?" is refused where '?' marks parameters, in raw SQL and in a raw SQL
 * fragment of an expression; where it does not ($n), it is a literal. */
static void test_escaped_qmark(void **state)
{
    (void)state;
    sqlalc__textsql t;
    assert_int_equal(sqlalc__textsql_parse("SELECT \\?4, ?", SQLALC_PARAMSTYLE_QMARK, 0, &t),
                     SQLALC_ERR_PROGRAMMING);
    assert_non_null(strstr(sqlalc_errmsg(), "literal '?'"));
    assert_int_equal(
        sqlalc__textsql_parse("SELECT j \\? 'k'", SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, SQLALC_SYNTAX_DOLLAR, &t),
        SQLALC_OK);
    assert_string_equal(t.sql, "SELECT j ? 'k'");
    sqlalc__textsql_free(&t);

    static const struct {
        const char *dialect;
        int style;
        const char *sql; /* NULL: refused */
    } cases[] = {
        { "sqlite", SQLALC_PARAMSTYLE_QMARK, NULL },
        { "mssql", SQLALC_PARAMSTYLE_QMARK, NULL },
        { "postgresql", SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, "SELECT j ? 'k' AS x" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_label(sqlalc_text_sql("j \\? 'k'", NULL), "x")));
        assert_non_null(q);
        sqlalc_compiled *c = NULL;
        int rc = sqlalc_compile(q, sqlalc_find_dialect(cases[i].dialect), cases[i].style, &c);
        if (!cases[i].sql) {
            assert_int_equal(rc, SQLALC_ERR_ARGUMENT);
            assert_non_null(strstr(sqlalc_errmsg(), "parameter marker"));
        } else {
            assert_int_equal(rc, SQLALC_OK);
            assert_string_equal(sqlalc_compiled_sql(c), cases[i].sql);
        }
        sqlalc_compiled_free(c);
        sqlalc_stmt_free(q);
    }
}

/* SQLite reads "SELECT:v(?)" as one named parameter ":v(?)": the value
 * given for :y must not be bound to it by position. */
static void test_sqlite_named_parameter_left_in_text(void **state)
{
    (void)state;
    sqlalc_engine *eng = NULL;
    sqlalc_conn *conn = NULL;
    assert_int_equal(sqlalc_engine_create("sqlite://", NULL, &eng), SQLALC_OK);
    assert_int_equal(sqlalc_engine_connect(eng, &conn), SQLALC_OK);
    static const char *const sqls[] = { "SELECT:v(:y)", "SELECT 2, @w(:y)", "SELECT 3, $w(:y)" };
    for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        sqlalc_result *res = NULL;
        int rc = sqlalc_conn_execute_sql(conn, sqls[i], SQLALC_PARAMS(SQLALC_P_INT("y", 7)), &res);
        if (rc != SQLALC_ERR_PROGRAMMING)
            fail_msg("%s: got %d, want a programming error", sqls[i], rc);
        assert_null(res);
        assert_non_null(strstr(sqlalc_errmsg(), "not a bind"));
    }
    sqlalc_result *res = NULL; /* the connection is still usable */
    assert_int_equal(sqlalc_conn_execute_sql(conn, "SELECT :y", SQLALC_PARAMS(SQLALC_P_INT("y", 7)), &res),
                     SQLALC_OK);
    sqlalc_result_free(res);
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
}

#define SECRET "Qz7SECRETx9K"

static void test_url_secrets_in_messages(void **state)
{
    (void)state;
    static const char *const bad[] = { "&pwd=" SECRET, "nodialect?password=" SECRET "&x=%zz", "x;PWD=" SECRET,
                                       "?odbc_connect=DRIVER%3Dx%3BPWD%3D" SECRET };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sqlalc_url *u;
        assert_int_not_equal(sqlalc_url_parse(bad[i], &u), SQLALC_OK);
        if (strstr(sqlalc_errmsg(), SECRET))
            fail_msg("parse error shows the secret: %s", sqlalc_errmsg());
        sqlalc_engine *eng;
        assert_int_not_equal(sqlalc_engine_create(bad[i], NULL, &eng), SQLALC_OK);
        if (strstr(sqlalc_errmsg(), SECRET))
            fail_msg("engine_create error shows the secret: %s", sqlalc_errmsg());
    }
    /* keys ending in password/pwd are masked in renders and messages */
    sqlalc_url *u;
    assert_ok(sqlalc_url_parse("postgresql://h/d?db_password=" SECRET "&PGPWD=" SECRET, &u));
    char *m = sqlalc_url_render(u, 1);
    assert_non_null(m);
    assert_null(strstr(m, SECRET));
    assert_string_equal(m, "postgresql://h/d?db_password=***&PGPWD=***");
    sqlalc_free(m);
    sqlalc_url_free(u);
}

static void test_inspector_json_invalid_utf8(void **state)
{
    (void)state;
    char path[128], url[160];
    snprintf(path, sizeof path, "/tmp/sqlalc_unit_hostile_%d.db", (int)getpid());
    snprintf(url, sizeof url, "sqlite:///%s", path);
    unlink(path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* a declared type and a column name with bytes that are not UTF-8 */
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE q(\"a\xff\" UNSIGNE\xbc"
                                  "D INT, b TEXT)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create(url, NULL, &eng));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_ok(sqlalc_inspect_json(eng, f));
    fclose(f);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)buf[i] == 0xff || (unsigned char)buf[i] == 0xbc)
            fail_msg("invalid UTF-8 byte in the JSON at %zu: %s", i, buf);
    assert_non_null(strstr(buf, "\"a\\ufffd\""));
    assert_non_null(strstr(buf, "UNSIGNE\\ufffdD INT"));
    free(buf);
    sqlalc_engine_free(eng);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_numbered_parameter),
        cmocka_unit_test(test_escaped_qmark),
        cmocka_unit_test(test_sqlite_named_parameter_left_in_text),
        cmocka_unit_test(test_url_secrets_in_messages),
        cmocka_unit_test(test_inspector_json_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Display (sqlalc_result_print) and the command-line tool, on SQLite
 * memory and file databases.  Outputs are compared byte for byte.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "testutil.h"

#ifndef SQLALC_CLI_PATH
#    error "SQLALC_CLI_PATH must name the sqlalc binary (tests/CMakeLists.txt)"
#endif

static sqlalc_engine *eng;

/* Rows chosen for the awkward cases: NULLs, accents, an apostrophe, a
 * wide CJK name, quotes/commas/newline/tab/backslash in text, blobs, a
 * boolean column, an integral float. */
static const char *const setup_sql[] = {
    ("CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(40), weight FLOAT, note TEXT, "
     "data BLOB, active BOOLEAN)"),
    "INSERT INTO team VALUES (1, 'Olympique Lyonnais', 165.5, NULL, x'00ff10', 1)",
    "INSERT INTO team VALUES (2, 'Atlético Madrid', 180.0, 'say \"hi\", then\nleave', NULL, 0)",
    "INSERT INTO team VALUES (3, 'N''Golo Kanté', NULL, 'tab\there\\back', x'', NULL)",
    "INSERT INTO team VALUES (14, '東京', -0.25, '', NULL, 1)",
};

static int setup(void **state)
{
    (void)state;
    assert_ok(sqlalc_engine_create("sqlite://", NULL, &eng));
    for (size_t i = 0; i < sizeof setup_sql / sizeof *setup_sql; i++)
        test_exec(eng, setup_sql[i]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlalc_engine_free(eng);
    return 0;
}

/* Print a query in fmt into a string (caller frees). */
static char *print_query(const char *sql, sqlalc_format fmt, size_t max_rows, int *rc_out)
{
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(eng, sql, NULL, &res));
    FILE *f = tmpfile();
    assert_non_null(f);
    int rc = sqlalc_result_print(res, f, fmt, max_rows);
    sqlalc_result_free(res);
    if (rc_out)
        *rc_out = rc;
    else
        assert_ok(rc);
    long n = ftell(f);
    char *s = malloc((size_t)n + 1);
    rewind(f);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

static void expect(const char *sql, sqlalc_format fmt, size_t max_rows, const char *want)
{
    char *got = print_query(sql, fmt, max_rows, NULL);
    assert_string_equal(got, want);
    free(got);
}

#define ALL "SELECT id, name, weight, note, data, active FROM team ORDER BY id"

static void test_table(void **state)
{
    (void)state;
    expect(ALL, SQLALC_FORMAT_TABLE, 0,
           " id |        name        | weight |         note          |   data   | active \n"
           "----+--------------------+--------+-----------------------+----------+--------\n"
           "  1 | Olympique Lyonnais |  165.5 |                       | \\x00ff10 | true\n"
           "  2 | Atlético Madrid    |  180.0 | say \"hi\", then\\nleave |          | false\n"
           "  3 | N'Golo Kanté       |        | tab\\there\\back        | \\x       | \n"
           " 14 | 東京               |  -0.25 |                       |          | true\n"
           "(4 rows)\n");
}

static void test_table_limits_and_edges(void **state)
{
    (void)state;
    expect(ALL, SQLALC_FORMAT_TABLE, 1,
           " id |        name        | weight | note |   data   | active \n"
           "----+--------------------+--------+------+----------+--------\n"
           "  1 | Olympique Lyonnais |  165.5 |      | \\x00ff10 | true\n"
           "(1 row)\n");
    expect("SELECT id AS a_long_column_name FROM team WHERE id > 100", SQLALC_FORMAT_TABLE, 0,
           " a_long_column_name \n"
           "--------------------\n"
           "(0 rows)\n");
    /* A combining accent takes no column: "é" written e + U+0301. */
    expect("SELECT 'Jose' || char(769) AS n, 'x' AS m UNION ALL SELECT 'Maria', 'y'", SQLALC_FORMAT_TABLE, 0,
           "   n   | m \n"
           "-------+---\n"
           " Jose\xcc\x81  | x\n"
           " Maria | y\n"
           "(2 rows)\n");
    expect("UPDATE team SET weight = weight WHERE id < 3", SQLALC_FORMAT_TABLE, 0, "(2 rows affected)\n");
}

static void test_csv(void **state)
{
    (void)state;
    expect(ALL, SQLALC_FORMAT_CSV, 0,
           "id,name,weight,note,data,active\r\n"
           "1,Olympique Lyonnais,165.5,,\\x00ff10,true\r\n"
           "2,Atlético Madrid,180.0,\"say \"\"hi\"\", then\nleave\",,false\r\n"
           "3,N'Golo Kanté,,tab\there\\back,\\x,\r\n"
           "14,東京,-0.25,\"\",,true\r\n");
    expect("SELECT 1 AS \"a,b\", 2 AS \"q\"\"\"", SQLALC_FORMAT_CSV, 0, "\"a,b\",\"q\"\"\"\r\n1,2\r\n");
    expect("SELECT 1 AS x WHERE 0", SQLALC_FORMAT_CSV, 0, "x\r\n");
}

static void test_json(void **state)
{
    (void)state;
    expect(ALL, SQLALC_FORMAT_JSON, 0,
           "[\n"
           "  {\"id\": 1, \"name\": \"Olympique Lyonnais\", \"weight\": 165.5, \"note\": null, "
           "\"data\": \"AP8Q\", \"active\": true},\n"
           "  {\"id\": 2, \"name\": \"Atlético Madrid\", \"weight\": 180.0, "
           "\"note\": \"say \\\"hi\\\", then\\nleave\", \"data\": null, \"active\": false},\n"
           "  {\"id\": 3, \"name\": \"N'Golo Kanté\", \"weight\": null, \"note\": \"tab\\there\\\\back\", "
           "\"data\": \"\", \"active\": null},\n"
           "  {\"id\": 14, \"name\": \"東京\", \"weight\": -0.25, \"note\": \"\", \"data\": null, "
           "\"active\": true}\n"
           "]\n");
    expect("SELECT 1 AS x WHERE 0", SQLALC_FORMAT_JSON, 0, "[]\n");
    /* one name twice (and a name the suffix would take): every column kept */
    expect("SELECT 1 AS a, 2 AS a, 3 AS a_1, 4 AS a", SQLALC_FORMAT_JSON, 0,
           "[\n  {\"a\": 1, \"a_2\": 2, \"a_1\": 3, \"a_3\": 4}\n]\n");
    /* control characters, a key needing escapes, invalid UTF-8, blob padding */
    expect("SELECT char(1) || 'a' AS \"k\"\"ey\", CAST(x'41ff42' AS TEXT) AS bad, x'616263' AS b3, "
           "x'6162' AS b2, 1e300 * 1e300 AS inf",
           SQLALC_FORMAT_JSON, 0,
           "[\n  {\"k\\\"ey\": \"\\u0001a\", \"bad\": \"A\\ufffdB\", \"b3\": \"YWJj\", \"b2\": \"YWI=\", "
           "\"inf\": null}\n]\n");
}

/* print_ex: rows counted, a cut reported, a width fitted, progress called. */
static int count_progress(void *ctx, uint64_t rows)
{
    *(uint64_t *)ctx = rows;
    return 0;
}

static void test_print_ex(void **state)
{
    (void)state;
    sqlalc_result *res;
    sqlalc_print_options o = SQLALC_PRINT_OPTIONS_INIT;
    uint64_t seen = 0;
    o.max_rows = 2;
    o.max_width = 16;
    o.sample_rows = 1;
    o.progress = count_progress;
    o.progress_ctx = &seen;
    FILE *f = tmpfile();
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT id, name FROM team ORDER BY id", NULL, &res));
    assert_ok(sqlalc_result_print_ex(res, f, &o));
    sqlalc_result_free(res);
    assert_int_equal(o.rows, 2);
    assert_int_equal(o.more, 1);
    assert_int_equal(seen, 0); /* called every 4,096 rows */
    char buf[512] = { 0 };
    rewind(f);
    assert_true(fread(buf, 1, sizeof buf - 1, f) > 0);
    fclose(f);
    assert_string_equal(buf, " id |   name    \n"
                             "----+-----------\n"
                             "  1 | Olympiqu\xe2\x80\xa6\n"
                             "  2 | Atlético…\n"
                             "(2 rows shown; more rows were not read)\n");
    o.version = 99;
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT 1", NULL, &res));
    assert_code(sqlalc_result_print_ex(res, stdout, &o), SQLALC_ERR_ARGUMENT);
    sqlalc_result_free(res);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(eng, "SELECT 1", NULL, &res));
    assert_code(sqlalc_result_print(res, NULL, SQLALC_FORMAT_CSV, 0), SQLALC_ERR_ARGUMENT);
    assert_code(sqlalc_result_print(res, stdout, (sqlalc_format)42, 0), SQLALC_ERR_ARGUMENT);
    sqlalc_result_free(res);
    assert_code(sqlalc_result_print(NULL, stdout, SQLALC_FORMAT_CSV, 0), SQLALC_ERR_ARGUMENT);
}

/* Every allocation of a print fails in turn: an error comes back, nothing leaks. */
static void test_failing_allocator(void **state)
{
    (void)state;
    for (int fmt = SQLALC_FORMAT_TABLE; fmt <= SQLALC_FORMAT_JSON; fmt++) {
        int done = 0;
        for (long n = 1; !done && n < 200; n++) {
            sqlalc_result *res;
            FILE *f = tmpfile();
            failalloc_install();
            long live = failalloc_live();
            assert_ok(sqlalc_engine_execute_sql(eng, ALL, NULL, &res));
            failalloc_fail_at(n);
            int rc = sqlalc_result_print(res, f, (sqlalc_format)fmt, 0);
            int failed = failalloc_failed();
            failalloc_fail_at(0);
            sqlalc_result_free(res);
            assert_int_equal(failalloc_live(), live);
            failalloc_uninstall();
            fclose(f);
            if (failed)
                assert_code(rc, SQLALC_ERR_NOMEM);
            else {
                assert_ok(rc);
                done = 1;
            }
        }
        assert_true(done);
    }
}

/* ------------------------------------------------------------------ */
/* The command-line tool                                               */
/* ------------------------------------------------------------------ */

#define CLI_DB "unit_display_cli.db"

/* Run the CLI with args (shell syntax), stdout and stderr together. */
static char *run_cli(const char *args, int *status)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", SQLALC_CLI_PATH, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    size_t k;
    while ((k = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (cap - n < 2)
            out = realloc(out, cap *= 2);
    }
    out[n] = 0;
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

static void expect_cli(const char *args, int want_status, const char *want)
{
    int st;
    char *out = run_cli(args, &st);
    if (st != want_status)
        fail_msg("sqlalc %s: exit %d (want %d), output:\n%s", args, st, want_status, out);
    assert_string_equal(out, want);
    free(out);
}

static int cli_setup(void **state)
{
    (void)state;
    remove(CLI_DB);
    sqlalc_engine *fe;
    assert_ok(sqlalc_engine_create("sqlite:///" CLI_DB, NULL, &fe));
    for (size_t i = 0; i < sizeof setup_sql / sizeof *setup_sql; i++)
        test_exec(fe, setup_sql[i]);
    sqlalc_engine_free(fe);
    return 0;
}

static int cli_teardown(void **state)
{
    (void)state;
    remove(CLI_DB);
    return 0;
}

#define CLI_URL "sqlite:///" CLI_DB
#define CLI_Q "\"SELECT id, name, weight FROM team WHERE id <> 2 ORDER BY id\""

static void test_cli_formats(void **state)
{
    (void)state;
    expect_cli("query " CLI_URL " " CLI_Q, 0,
               " id |        name        | weight \n"
               "----+--------------------+--------\n"
               "  1 | Olympique Lyonnais |  165.5\n"
               "  3 | N'Golo Kanté       |       \n"
               " 14 | 東京               |  -0.25\n"
               "(3 rows)\n");
    expect_cli("query " CLI_URL " " CLI_Q " --format csv", 0,
               "id,name,weight\r\n1,Olympique Lyonnais,165.5\r\n3,N'Golo Kanté,\r\n14,東京,-0.25\r\n");
    expect_cli("query --format=json " CLI_URL " " CLI_Q, 0,
               "[\n  {\"id\": 1, \"name\": \"Olympique Lyonnais\", \"weight\": 165.5},\n"
               "  {\"id\": 3, \"name\": \"N'Golo Kanté\", \"weight\": null},\n"
               "  {\"id\": 14, \"name\": \"東京\", \"weight\": -0.25}\n]\n");
    expect_cli("query --max-rows 1 --format csv " CLI_URL " " CLI_Q, 0,
               "id,name,weight\r\n1,Olympique Lyonnais,165.5\r\n"
               "sqlalc: output cut at 1 row (--max-rows); more rows were not read\n");
    /* a memory database, and "--" before SQL that starts with a comment */
    expect_cli("query --format csv -- sqlite:// \"-- one\nSELECT 1 AS one\"", 0, "one\r\n1\r\n");
}

static void test_cli_errors(void **state)
{
    (void)state;
    expect_cli("query " CLI_URL " \"SELECT nope FROM team\"", 1,
               "sqlalc: query failed: no such column: nope [SQL: SELECT nope FROM team] (SQLSTATE 42000)\n");
    expect_cli(
        "query " CLI_URL " \"INSERT INTO team (id) VALUES (1)\"", 1,
        "sqlalc: query failed: UNIQUE constraint failed: team.id [SQL: INSERT INTO team (id) VALUES (1)] (SQLSTATE 23505)\n");
    int st;
    char *out = run_cli("query nosuchdb://x \"SELECT 1\"", &st);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "sqlalc: cannot create the engine: "));
    free(out);
    out = run_cli("query " CLI_URL, &st);
    assert_int_equal(st, 2);
    assert_non_null(strstr(out, "query needs a URL and an SQL statement"));
    free(out);
    out = run_cli("query " CLI_URL " \"SELECT 1\" --format xml", &st);
    assert_int_equal(st, 2);
    assert_non_null(strstr(out, "unknown format 'xml'"));
    free(out);
    out = run_cli("frobnicate", &st);
    assert_int_equal(st, 2);
    free(out);
    out = run_cli("", &st);
    assert_int_equal(st, 2);
    free(out);
    out = run_cli("inspect", &st);
    assert_int_equal(st, 2);
    free(out);
}

static void test_cli_inspect(void **state)
{
    (void)state;
    expect_cli(
        "inspect " CLI_URL " --json", 0,
        "{\n  \"team\": {\n    \"columns\": [\n"
        "      {\"name\": \"id\", \"type\": \"INTEGER\", \"nullable\": true, \"default\": null, \"primary_key\": 1, \"autoincrement\": true},\n"
        "      {\"name\": \"name\", \"type\": \"VARCHAR(40)\", \"nullable\": true, \"default\": null, \"primary_key\": 0, \"autoincrement\": false},\n"
        "      {\"name\": \"weight\", \"type\": \"FLOAT\", \"nullable\": true, \"default\": null, \"primary_key\": 0, \"autoincrement\": false},\n"
        "      {\"name\": \"note\", \"type\": \"TEXT\", \"nullable\": true, \"default\": null, \"primary_key\": 0, \"autoincrement\": false},\n"
        "      {\"name\": \"data\", \"type\": \"BLOB\", \"nullable\": true, \"default\": null, \"primary_key\": 0, \"autoincrement\": false},\n"
        "      {\"name\": \"active\", \"type\": \"BOOLEAN\", \"nullable\": true, \"default\": null, \"primary_key\": 0, \"autoincrement\": false}\n"
        "    ],\n"
        "    \"pk_constraint\": {\"name\": null, \"constrained_columns\": [\"id\"]},\n"
        "    \"foreign_keys\": [],\n    \"indexes\": [],\n    \"unique_constraints\": [],\n"
        "    \"check_constraints\": []\n  }\n}\n");
    expect_cli("inspect " CLI_URL, 0,
               "table team\n"
               "  id                       INTEGER PRIMARY KEY AUTOINCREMENT\n"
               "  name                     VARCHAR(40)\n"
               "  weight                   FLOAT\n"
               "  note                     TEXT\n"
               "  data                     BLOB\n"
               "  active                   BOOLEAN\n");
}

int main(void)
{
    const struct CMUnitTest display[] = {
        cmocka_unit_test(test_table),         cmocka_unit_test(test_table_limits_and_edges),
        cmocka_unit_test(test_csv),           cmocka_unit_test(test_json),
        cmocka_unit_test(test_bad_arguments), cmocka_unit_test(test_failing_allocator),
        cmocka_unit_test(test_print_ex),
    };
    const struct CMUnitTest cli[] = {
        cmocka_unit_test(test_cli_formats),
        cmocka_unit_test(test_cli_errors),
        cmocka_unit_test(test_cli_inspect),
    };
    int failed = cmocka_run_group_tests_name("display", display, setup, teardown);
    failed += cmocka_run_group_tests_name("cli", cli, cli_setup, cli_teardown);
    return failed;
}

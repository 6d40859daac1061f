/*
 * The sqlalc command's query and inspect, run as a program against the
 * backend under test (SQLite file, PostgreSQL): exit codes, stderr,
 * formats, parameters, streaming memory.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "cli_run.h"

static sqlalc_engine *eng;
static const char *url;

static int setup(void **state)
{
    (void)state;
    url = test_url();
    eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE cli_child");
    test_exec_quiet(eng, "DROP TABLE cli_team");
    test_exec(eng, "CREATE TABLE cli_team (id INTEGER NOT NULL, season INTEGER NOT NULL, "
                   "name VARCHAR(40) NOT NULL DEFAULT 'nobody', weight FLOAT, "
                   "PRIMARY KEY (id, season), CONSTRAINT uq_cli_team_name UNIQUE (name), "
                   "CONSTRAINT ck_cli_team_weight CHECK (weight > 0))");
    test_exec(eng, "CREATE INDEX ix_cli_team_w ON cli_team (weight, season)");
    test_exec(eng, "CREATE TABLE cli_child (id INTEGER PRIMARY KEY, team_id INTEGER, season INTEGER, "
                   "CONSTRAINT fk_cli_child FOREIGN KEY (team_id, season) REFERENCES cli_team (id, season) "
                   "ON DELETE CASCADE)");
    test_exec(eng, "INSERT INTO cli_team VALUES (1, 2024, 'Lyon', 165.5)");
    test_exec(eng, "INSERT INTO cli_team VALUES (2, 2024, 'Kanté', NULL)");
    test_exec(eng, "INSERT INTO cli_team VALUES (3, 2025, '東京', 0.25)");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE cli_child");
    test_exec_quiet(eng, "DROP TABLE cli_team");
    sqlalc_engine_free(eng);
    return 0;
}

#define Q "SELECT id, name, weight FROM cli_team WHERE season = :s ORDER BY id"

static void test_formats_and_params(void **state)
{
    (void)state;
    cli_out o = CLI("query", url, Q, "-p", "s=2024:int");
    expect_status(o, 0);
    assert_string_equal(o.out, " id | name  | weight \n"
                               "----+-------+--------\n"
                               "  1 | Lyon  |  165.5\n"
                               "  2 | Kanté |       \n"
                               "(2 rows)\n");
    assert_string_equal(o.err, "");
    cli_out_free(&o);
    o = CLI("query", "--format", "csv", url, Q, "--param=s=2025:int");
    expect_status(o, 0);
    assert_string_equal(o.out, "id,name,weight\r\n3,東京,0.25\r\n");
    cli_out_free(&o);
    o = CLI("query", "-F", "json", url, Q, "-ps=2024:int");
    expect_status(o, 0);
    assert_string_equal(o.out, "[\n  {\"id\": 1, \"name\": \"Lyon\", \"weight\": 165.5},\n"
                               "  {\"id\": 2, \"name\": \"Kanté\", \"weight\": null}\n]\n");
    cli_out_free(&o);
    /* every type suffix, and text that merely ends in one */
    o = CLI("query", "-F", "json", url,
            "SELECT CAST(:a AS INTEGER) AS a, CAST(:b AS FLOAT) AS b, :n AS n, :t AS t, :u AS u", "-p",
            "a=-7:int", "-p", "b=2.5:float", "-p", "n=:null", "-p", "t=x:int:text", "-p", "u=plain");
    expect_status(o, 0);
    assert_string_equal(o.out,
                        "[\n  {\"a\": -7, \"b\": 2.5, \"n\": null, \"t\": \"x:int\", \"u\": \"plain\"}\n]\n");
    cli_out_free(&o);
    o = CLI("query", "-F", "csv", url, "SELECT CASE WHEN :f THEN 'yes' ELSE 'no' END AS v", "-p",
            "f=true:bool");
    expect_status(o, 0);
    assert_string_equal(o.out, "v\r\nyes\r\n");
    cli_out_free(&o);
    /* bad typed values are usage errors */
    o = CLI("query", url, "SELECT :a AS a", "-p", "a=x:int");
    expect_status(o, 2);
    assert_non_null(strstr(o.err, "'x' is not an integer"));
    cli_out_free(&o);
    o = CLI("query", url, "SELECT :a AS a", "-p", "novalue");
    expect_status(o, 2);
    cli_out_free(&o);
    /* a missing parameter is the database layer's error: exit 1 */
    o = CLI("query", url, "SELECT :a AS a");
    expect_status(o, 1);
    assert_non_null(strstr(o.err, "a"));
    cli_out_free(&o);
}

/* Two columns of one name keep both values in JSON. */
static void test_json_duplicate_names(void **state)
{
    (void)state;
    cli_out o = CLI("query", "-F", "json", url,
                    "SELECT t.id, c.id, t.id AS id_1, t.name FROM cli_team t, cli_team c "
                    "WHERE t.id = 1 AND c.id = 2");
    expect_status(o, 0);
    assert_string_equal(o.out, "[\n  {\"id\": 1, \"id_2\": 2, \"id_1\": 1, \"name\": \"Lyon\"}\n]\n");
    cli_out_free(&o);
}

static void test_sql_from_file_and_stdin(void **state)
{
    (void)state;
    char path[] = "/tmp/sqlalc_cli_sqlXXXXXX";
    int fd = mkstemp(path);
    const char *sql = "-- a comment first\nSELECT count(*) AS n FROM cli_team WHERE season = :s\n";
    assert_int_equal(write(fd, sql, strlen(sql)), (ssize_t)strlen(sql));
    close(fd);
    cli_out o = CLI("query", "-F", "csv", "-f", path, url, "-p", "s=2024:int");
    expect_status(o, 0);
    assert_string_equal(o.out, "n\r\n2\r\n");
    cli_out_free(&o);
    o = CLI_IN(sql, "query", "-F", "csv", url, "-", "-p", "s=2025:int");
    expect_status(o, 0);
    assert_string_equal(o.out, "n\r\n1\r\n");
    cli_out_free(&o);
    o = CLI_IN(sql, "query", "-F", "csv", url, "-f", "-", "-p", "s=2025:int");
    expect_status(o, 0);
    assert_string_equal(o.out, "n\r\n1\r\n");
    cli_out_free(&o);
    unlink(path);
    o = CLI("query", "-f", "/nonexistent/x.sql", url);
    expect_status(o, 1);
    assert_non_null(strstr(o.err, "cannot read /nonexistent/x.sql"));
    cli_out_free(&o);
    o = CLI("query", "-f", path, url, "SELECT 1");
    expect_status(o, 2);
    cli_out_free(&o);
}

static void test_max_rows_says_cut(void **state)
{
    (void)state;
    const char *all = "SELECT id FROM cli_team ORDER BY id";
    cli_out o = CLI("query", "--max-rows", "2", url, all);
    expect_status(o, 0);
    assert_string_equal(o.out, " id \n----\n  1\n  2\n(2 rows shown; more rows were not read)\n");
    assert_string_equal(o.err, "sqlalc: output cut at 2 rows (--max-rows); more rows were not read\n");
    cli_out_free(&o);
    o = CLI("query", "-n", "2", "-F", "csv", url, all);
    expect_status(o, 0);
    assert_string_equal(o.out, "id\r\n1\r\n2\r\n");
    assert_non_null(strstr(o.err, "output cut at 2 rows"));
    cli_out_free(&o);
    o = CLI("query", "-n", "1", "-F", "json", url, all);
    expect_status(o, 0);
    assert_string_equal(o.out, "[\n  {\"id\": 1}\n]\n");
    assert_non_null(strstr(o.err, "output cut at 1 row ("));
    cli_out_free(&o);
    /* exactly as many rows as the limit: nothing was cut */
    o = CLI("query", "-n", "3", url, all);
    expect_status(o, 0);
    assert_non_null(strstr(o.out, "(3 rows)\n"));
    assert_string_equal(o.err, "");
    cli_out_free(&o);
    o = CLI("query", "-n", "0", url, all);
    expect_status(o, 2);
    cli_out_free(&o);
}

static void test_width_and_progress(void **state)
{
    (void)state;
    cli_out o = CLI("query", "-w", "24", url,
                    "SELECT id, name || name || name || name AS long_name FROM cli_team "
                    "WHERE id = 1");
    expect_status(o, 0);
    assert_string_equal(o.out, " id |    long_name     \n"
                               "----+------------------\n"
                               "  1 | LyonLyonLyonLyon\n"
                               "(1 row)\n");
    cli_out_free(&o);
    o = CLI("query", "-w", "20", url,
            "SELECT id, name || name || name || name AS long_name FROM cli_team "
            "WHERE id = 1");
    expect_status(o, 0);
    assert_string_equal(o.out, " id |   long_name   \n"
                               "----+---------------\n"
                               "  1 | LyonLyonLyon\xe2\x80\xa6\n"
                               "(1 row)\n");
    cli_out_free(&o);
    /* forced progress: a count on stderr, the line cleared at the end */
    const char *many =
        test_dialect_is("postgresql")
            ? "SELECT g FROM generate_series(1, 20000) AS g"
            : "WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c WHERE g < 20000) "
              "SELECT g FROM c";
    o = CLI("query", "--progress", "-F", "csv", url, many);
    expect_status(o, 0);
    assert_non_null(strstr(o.err, "4096 rows"));
    assert_non_null(strstr(o.err, "\r\033[K"));
    assert_non_null(strstr(o.out, "\r\n20000\r\n"));
    cli_out_free(&o);
    o = CLI("query", "-F", "csv", url, many);
    assert_string_equal(o.err, ""); /* not a terminal: no progress */
    cli_out_free(&o);
}

static void test_errors_and_exit_codes(void **state)
{
    (void)state;
    cli_out o = CLI("query", url, "SELECT nope FROM cli_team");
    expect_status(o, 1);
    assert_non_null(strstr(o.err, "sqlalc: query failed: "));
    assert_non_null(strstr(o.err, "nope"));
    assert_string_equal(o.out, "");
    cli_out_free(&o);
    o = CLI("query", url);
    expect_status(o, 2);
    assert_non_null(strstr(o.err, "Try 'sqlalc query --help'"));
    cli_out_free(&o);
    o = CLI("query", "--bogus", url, "SELECT 1");
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("frobnicate");
    expect_status(o, 2);
    cli_out_free(&o);
    /* a password never reaches stderr */
    o = CLI("query", "postgresql://app:s3cr3t@127.0.0.1:1/db", "SELECT 1");
    expect_status(o, 1);
    assert_null(strstr(o.err, "s3cr3t"));
    assert_non_null(strstr(o.err, "***"));
    cli_out_free(&o);
    o = CLI("inspect", "postgresql://app:s3cr3t@127.0.0.1:1/db");
    expect_status(o, 1);
    assert_null(strstr(o.err, "s3cr3t"));
    cli_out_free(&o);
    o = CLI("query", "postgresql://app:s3cr3t@127.0.0.1:1/db?%zz", "SELECT 1");
    expect_status(o, 1);
    assert_null(strstr(o.err, "s3cr3t"));
    cli_out_free(&o);
}

static void test_help_on_every_command(void **state)
{
    (void)state;
    const char *cmds[] = { "query", "inspect" };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        cli_out o = CLI(cmds[i], "--help");
        expect_status(o, 0);
        char want[64];
        snprintf(want, sizeof want, "usage: sqlalc %s ", cmds[i]);
        assert_true(!strncmp(o.out, want, strlen(want)));
        assert_string_equal(o.err, "");
        cli_out_free(&o);
        o = CLI(cmds[i], "-h");
        expect_status(o, 0);
        cli_out_free(&o);
    }
    cli_out o = CLI("--help");
    expect_status(o, 0);
    assert_non_null(strstr(o.out, "Exit status: 0 success, 1 database or SQL error, 2 usage error"));
    cli_out_free(&o);
}

static void test_inspect(void **state)
{
    (void)state;
    cli_out o = CLI("inspect", url);
    expect_status(o, 0);
    const char *team = strstr(o.out, "table cli_team\n");
    assert_non_null(team);
    /* everything --json has: defaults, composite key, unique, check, index columns, fk actions */
    assert_non_null(strstr(team, " NOT NULL DEFAULT 'nobody'"));
    assert_non_null(strstr(team, "  primary key"));
    assert_non_null(strstr(team, " (id, season)\n"));
    assert_non_null(strstr(team, "  unique uq_cli_team_name (name)\n"));
    assert_non_null(strstr(team, "  check ck_cli_team_weight ("));
    assert_non_null(strstr(team, "weight >"));
    assert_non_null(strstr(team, "  index ix_cli_team_w (weight, season)\n"));
    const char *child = strstr(o.out, "table cli_child\n");
    assert_non_null(child);
    assert_non_null(strstr(child, "(team_id, season) -> cli_team (id, season) ON DELETE CASCADE\n"));
    cli_out_free(&o);
    o = CLI("inspect", "--json", url);
    expect_status(o, 0);
    assert_non_null(strstr(o.out, "\"cli_team\": {"));
    assert_non_null(strstr(o.out, "\"uq_cli_team_name\""));
    cli_out_free(&o);
}

/* inspect never creates a database: a missing SQLite file is an error. */
static void test_inspect_missing_sqlite_file(void **state)
{
    (void)state;
    char path[64], u[96];
    snprintf(path, sizeof path, "/tmp/sqlalc_cli_missing.%ld.db", (long)getpid());
    snprintf(u, sizeof u, "sqlite:///%s", path);
    unlink(path);
    cli_out o = CLI("inspect", u);
    expect_status(o, 1);
    assert_non_null(strstr(o.err, "sqlalc: cannot open the database: "));
    assert_int_equal(access(path, F_OK), -1);
    cli_out_free(&o);
    o = CLI("inspect", "--json", u);
    expect_status(o, 1);
    assert_int_equal(access(path, F_OK), -1);
    cli_out_free(&o);
}

/* A million rows in every format: the process stays under 32 MB.  Under
 * the sanitizers (whose shadow memory makes RSS meaningless) 200,000 rows,
 * for the output only. */
static void test_streaming_memory(void **state)
{
    (void)state;
#ifdef SQLALC_TEST_SANITIZED
    const long rows = 200000;
#else
    const long rows = 1000000;
#endif
    char sql[400];
    if (test_dialect_is("postgresql"))
        snprintf(
            sql, sizeof sql,
            "SELECT g AS id, 'row number ' || g AS label, g * 0.5 AS half FROM generate_series(1, %ld) AS g",
            rows);
    else
        snprintf(sql, sizeof sql,
                 "WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c WHERE g < %ld) "
                 "SELECT g AS id, 'row number ' || g AS label, g * 0.5 AS half FROM c",
                 rows);
    const char *fmts[] = { "table", "csv", "json" };
    char lasts[3][128];
    snprintf(lasts[0], sizeof lasts[0], "(%ld rows)\n", rows);
    snprintf(lasts[1], sizeof lasts[1], "%ld,row number %ld,%ld.%d\r\n", rows, rows, rows / 2,
             rows % 2 ? 5 : 0);
    snprintf(lasts[2], sizeof lasts[2], "{\"id\": %ld, \"label\": \"row number %ld\", \"half\": %ld.%d}\n]\n",
             rows, rows, rows / 2, rows % 2 ? 5 : 0);
    char out[64];
    snprintf(out, sizeof out, "/tmp/sqlalc_cli_million.%ld.out", (long)getpid());
    for (size_t i = 0; i < 3; i++) {
        cli_out o = cli_run(NULL, out, (const char *const[]){ "query", "-F", fmts[i], url, sql, NULL });
        expect_status(o, 0);
        FILE *f = fopen(out, "rb");
        assert_non_null(f);
        fseek(f, -(long)strlen(lasts[i]), SEEK_END);
        char tail[128] = { 0 };
        assert_int_equal(fread(tail, 1, strlen(lasts[i]), f), strlen(lasts[i]));
        fclose(f);
        assert_string_equal(tail, lasts[i]);
        print_message("%s: %ld rows, peak RSS %ld kB\n", fmts[i], rows, o.maxrss_kb);
#ifndef SQLALC_TEST_SANITIZED
        assert_true(o.maxrss_kb < 32 * 1024);
#endif
        cli_out_free(&o);
    }
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_and_params),          cmocka_unit_test(test_json_duplicate_names),
        cmocka_unit_test(test_sql_from_file_and_stdin),     cmocka_unit_test(test_max_rows_says_cut),
        cmocka_unit_test(test_width_and_progress),          cmocka_unit_test(test_errors_and_exit_codes),
        cmocka_unit_test(test_help_on_every_command),       cmocka_unit_test(test_inspect),
        cmocka_unit_test(test_inspect_missing_sqlite_file), cmocka_unit_test(test_streaming_memory),
    };
    return cmocka_run_group_tests_name("cli_query", tests, setup, teardown);
}

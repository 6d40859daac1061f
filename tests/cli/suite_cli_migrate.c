/*
 * Schema diff and migrations on the backend under test (SQLite file,
 * PostgreSQL): the library API (sqlalc_diff_metadata, sqlalc_diff_apply,
 * sqlalc_migrate) and the command (sqlalc diff, sqlalc migrate).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlalc/migrate.h>
#include "testutil.h"
#include "cli_run.h"

static sqlalc_engine *eng;
static const char *url;

static const char *const all_tables[] = { "mg_player", "mg_team",    "mg_old",           "mg_new",
                                          "mg_league", "mg_stadium", "sqlalc_migrations" };

static void drop_all(sqlalc_engine *e)
{
    for (size_t i = 0; i < sizeof all_tables / sizeof *all_tables; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP TABLE %s%s", all_tables[i],
                 test_dialect_is("postgresql") ? " CASCADE" : "");
        test_exec_quiet(e, sql);
    }
}

static int setup(void **state)
{
    (void)state;
    url = test_url();
    eng = test_engine();
    drop_all(eng);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    drop_all(eng);
    sqlalc_engine_free(eng);
    return 0;
}

/* The starting schema. */
static sqlalc_metadata *schema_v1(void)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *team = sqlalc_table_new(
        md, "mg_team", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(40), SQLALC_NOT_NULL),
        sqlalc_column("short", sqlalc_type_string(3), 0), sqlalc_column("founded", sqlalc_type_integer(), 0),
        sqlalc_column("note", sqlalc_type_text(), 0),
        sqlalc_column("rank", sqlalc_type_integer(), 0, sqlalc_opt_server_default("1")),
        sqlalc_unique_constraint("uq_mg_team_short", "short"),
        sqlalc_check_constraint("ck_mg_team_founded", "founded > 1800"),
        sqlalc_index("ix_mg_team_name", "name", 0));
    sqlalc_table *player = sqlalc_table_new(
        md, "mg_player", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("team_id", sqlalc_type_integer(), 0,
                      sqlalc_foreign_key_ex("mg_team.id", SQLALC_FK_OPTIONS(.name = "fk_mg_player_team"))),
        sqlalc_column("nick", sqlalc_type_string(20), 0));
    sqlalc_table *old =
        sqlalc_table_new(md, "mg_old", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("label", sqlalc_type_string(10), 0));
    sqlalc_table *stadium =
        sqlalc_table_new(md, "mg_stadium", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("seats", sqlalc_type_integer(), 0));
    if (!team || !player || !old || !stadium)
        fail_msg("schema_v1: %s", sqlalc_errmsg());
    return md;
}

/* Every operation kind applied to v1. */
static sqlalc_metadata *schema_v2(void)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *league =
        sqlalc_table_new(md, "mg_league", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("title", sqlalc_type_string(30), SQLALC_NOT_NULL));
    sqlalc_table *team = sqlalc_table_new(
        md, "mg_team", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(80), SQLALC_NOT_NULL),                  /* type */
        sqlalc_column("short", sqlalc_type_string(3), SQLALC_NOT_NULL),                  /* nullable */
        sqlalc_column("founded", sqlalc_type_integer(), 0),                              /* check dropped */
        sqlalc_column("rank", sqlalc_type_integer(), 0, sqlalc_opt_server_default("5")), /* default */
        sqlalc_column("league_id", sqlalc_type_integer(), 0,                             /* add column + FK */
                      sqlalc_foreign_key_ex("mg_league.id", SQLALC_FK_OPTIONS(.name = "fk_mg_team_league"))),
        sqlalc_column("city", sqlalc_type_string(30), 0, sqlalc_opt_server_default("Paris")),
        sqlalc_unique_constraint("uq_mg_team_name", "name"),    /* unique swapped */
        sqlalc_check_constraint("ck_mg_team_rank", "rank > 0"), /* check added */
        sqlalc_index("ix_mg_team_city", "city", 0));            /* index swapped */
    sqlalc_table *player =
        sqlalc_table_new(md, "mg_player", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("team_id", sqlalc_type_integer(), 0),                 /* FK dropped */
                         sqlalc_column("nick", sqlalc_type_string(20), SQLALC_PRIMARY_KEY)); /* key widened */
    /* mg_old renamed: same columns */
    sqlalc_table *renamed =
        sqlalc_table_new(md, "mg_new", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("label", sqlalc_type_string(10), 0));
    /* mg_stadium dropped */
    if (!league || !team || !player || !renamed)
        fail_msg("schema_v2: %s", sqlalc_errmsg());
    return md;
}

static int has_kind(const sqlalc_diff *d, sqlalc_diff_kind k, const char *table, const char *name)
{
    for (size_t i = 0; i < sqlalc_diff_count(d); i++) {
        const sqlalc_diff_op *op = sqlalc_diff_op_at(d, i);
        if (op->kind == k && (!table || (op->table && !strcmp(op->table, table))) &&
            (!name || (op->name && !strcmp(op->name, name))))
            return 1;
    }
    return 0;
}

static void print_diff(const sqlalc_diff *d)
{
    char *sql = NULL;
    if (sqlalc_diff_sql(d, &sql) == SQLALC_OK)
        print_message("%s", sql);
    sqlalc_free(sql);
}

static void expect_empty(sqlalc_metadata *md)
{
    sqlalc_diff *d;
    assert_ok(sqlalc_diff_metadata(eng, md, NULL, &d));
    if (!sqlalc_diff_is_empty(d)) {
        print_diff(d);
        fail_msg("diff not empty: %zu operations", sqlalc_diff_count(d));
    }
    sqlalc_diff_free(d);
}

static void test_diff_metadata_round_trip(void **state)
{
    (void)state;
    drop_all(eng);
    sqlalc_metadata *v1 = schema_v1(), *v2 = schema_v2();
    assert_ok(sqlalc_metadata_create_all(v1, eng, 0));
    expect_empty(v1);
    test_exec(eng, "INSERT INTO mg_team (id, name, short, founded) VALUES (1, 'Lyon', 'OL', 1950)");
    test_exec(eng, "INSERT INTO mg_player (id, team_id, nick) VALUES (7, 1, 'Juni')");

    sqlalc_diff *d;
    assert_ok(sqlalc_diff_metadata(eng, v2, NULL, &d));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_TABLE, "mg_league", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_DROP_TABLE, "mg_stadium", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_COLUMN, "mg_team", "league_id"));
    assert_true(has_kind(d, SQLALC_DIFF_DROP_COLUMN, "mg_team", "note"));
    assert_true(has_kind(d, SQLALC_DIFF_ALTER_TYPE, "mg_team", "name"));
    assert_true(has_kind(d, SQLALC_DIFF_ALTER_NULLABLE, "mg_team", "short"));
    assert_true(has_kind(d, SQLALC_DIFF_ALTER_DEFAULT, "mg_team", "rank"));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_INDEX, "mg_team", "ix_mg_team_city"));
    assert_true(has_kind(d, SQLALC_DIFF_DROP_INDEX, "mg_team", "ix_mg_team_name"));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_UNIQUE, "mg_team", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_DROP_UNIQUE, "mg_team", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_CHECK, "mg_team", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_DROP_CHECK, "mg_team", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_FK, "mg_team", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_DROP_FK, "mg_player", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_ALTER_PRIMARY_KEY, "mg_player", NULL));
    /* the rename is reported, not guessed: a drop and an add stay */
    assert_true(has_kind(d, SQLALC_DIFF_DROP_TABLE, "mg_old", NULL));
    assert_true(has_kind(d, SQLALC_DIFF_ADD_TABLE, "mg_new", NULL));
    int candidate = 0;
    for (size_t i = 0; i < sqlalc_diff_count(d); i++) {
        const sqlalc_diff_op *op = sqlalc_diff_op_at(d, i);
        if (op->kind == SQLALC_DIFF_RENAME_CANDIDATE && !strcmp(op->from, "mg_old") &&
            !strcmp(op->to, "mg_new")) {
            candidate = 1;
            assert_null(op->sql);
        }
    }
    assert_true(candidate);
    if (test_dialect_is("sqlite"))
        assert_true(has_kind(d, SQLALC_DIFF_REBUILD_TABLE, "mg_team", NULL));
    else
        assert_false(has_kind(d, SQLALC_DIFF_REBUILD_TABLE, NULL, NULL));
    assert_ok(sqlalc_diff_apply(d, eng));
    sqlalc_diff_free(d);
    /* the database now is v2, its rows kept */
    expect_empty(v2);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM mg_team WHERE name = 'Lyon' AND rank = 1"), 1);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM mg_player WHERE team_id = 1"), 1);
    /* the new constraints hold */
    sqlalc_result *res = NULL;
    assert_true(sqlalc_engine_execute_sql(eng,
                                          "INSERT INTO mg_team (id, name, short) VALUES (2, 'Lyon', 'X')",
                                          NULL, &res) != SQLALC_OK);
    sqlalc_result_free(res);
    /* and back: v2 -> v1 (a dropped column's data is gone, the schema is v1 again) */
    assert_ok(sqlalc_diff_metadata(eng, v1, NULL, &d));
    assert_false(sqlalc_diff_is_empty(d));
    assert_ok(sqlalc_diff_apply(d, eng));
    sqlalc_diff_free(d);
    expect_empty(v1);
    sqlalc_metadata_free(v1);
    sqlalc_metadata_free(v2);
}

/* Every allocation of planning a diff (and writing its script) fails in
 * turn: SQLALC_ERR_NOMEM, nothing leaked. */
static void test_diff_failing_allocator(void **state)
{
    (void)state;
    drop_all(eng);
    sqlalc_metadata *v1 = schema_v1(), *v2 = schema_v2();
    assert_ok(sqlalc_metadata_create_all(v1, eng, 0));
    sqlalc_diff *d;
    assert_ok(sqlalc_diff_metadata(eng, v2, NULL, &d)); /* warm the statement cache */
    sqlalc_diff_free(d);
    int done = 0;
    long n;
    for (n = 1; !done && n < 100000; n++) {
        failalloc_install();
        long live = failalloc_live();
        failalloc_fail_at(n);
        d = NULL;
        char *sql = NULL;
        int rc = sqlalc_diff_metadata(eng, v2, NULL, &d);
        if (rc == SQLALC_OK)
            rc = sqlalc_diff_sql(d, &sql);
        int failed = failalloc_failed();
        failalloc_fail_at(0);
        sqlalc_free(sql);
        sqlalc_diff_free(d);
        long now = failalloc_live();
        failalloc_uninstall();
        if (now != live)
            fail_msg("allocation %ld failed: %ld allocations leaked", n, now - live);
        if (failed && rc != SQLALC_ERR_NOMEM)
            fail_msg("allocation %ld failed but the diff returned %s", n, sqlalc_code_name(rc));
        if (!failed) {
            assert_ok(rc);
            done = 1;
        }
    }
    assert_true(done);
    print_message("diff: %ld allocation points failed in turn\n", n - 1);
    sqlalc_metadata_free(v1);
    sqlalc_metadata_free(v2);
}

/* A failing apply leaves the database as it was (one transaction). */
static void test_diff_apply_is_atomic(void **state)
{
    (void)state;
    drop_all(eng);
    sqlalc_metadata *v1 = schema_v1(), *v2 = schema_v2();
    assert_ok(sqlalc_metadata_create_all(v1, eng, 0));
    /* a NULL in mg_team.short makes SET NOT NULL (or the rebuild's copy) fail */
    test_exec(eng, "INSERT INTO mg_team (id, name, founded) VALUES (1, 'Lyon', 1950)");
    sqlalc_diff *d;
    assert_ok(sqlalc_diff_metadata(eng, v2, NULL, &d));
    assert_true(sqlalc_diff_apply(d, eng) != SQLALC_OK);
    sqlalc_diff_free(d);
    expect_empty(v1);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM mg_team"), 1);
    sqlalc_metadata_free(v1);
    sqlalc_metadata_free(v2);
}

static void test_cli_diff(void **state)
{
    (void)state;
    drop_all(eng);
    char *other = cli_second_url(eng, url, "_second");
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(other, NULL, &e2));
    sqlalc_metadata *v1 = schema_v1(), *v2 = schema_v2();
    assert_ok(sqlalc_metadata_create_all(v1, eng, 0));
    assert_ok(sqlalc_metadata_create_all(v2, e2, 0));
    cli_out o = CLI("diff", url, url);
    expect_status(o, 0);
    assert_string_equal(o.out, "");
    cli_out_free(&o);
    o = CLI("diff", url, other);
    expect_status(o, 1);
    assert_non_null(strstr(o.out, "add table mg_league\n"));
    assert_non_null(strstr(o.out, "alter column mg_team.name type VARCHAR(40) -> VARCHAR(80)\n"));
    assert_non_null(strstr(o.out, "rename candidate: table mg_old may have been renamed to mg_new"));
    cli_out_free(&o);
    /* the --sql script, run as a migration, makes them match */
    char dir[] = "/tmp/sqlalc_mig_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/0001_to_v2.up.sql", dir);
    o = cli_run(NULL, path, (const char *const[]){ "diff", "--sql", url, other, NULL });
    expect_status(o, 1);
    cli_out_free(&o);
    o = CLI("migrate", url, dir, "up");
    expect_status(o, 0);
    assert_string_equal(o.out, "applied 0001 to_v2\n");
    cli_out_free(&o);
    o = CLI("diff", url, other);
    expect_status(o, 0);
    cli_out_free(&o);
    /* errors: 2 */
    o = CLI("diff", url);
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("diff", url, "sqlite:////nonexistent/dir/x.db");
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("diff", "--help");
    expect_status(o, 0);
    assert_true(!strncmp(o.out, "usage: sqlalc diff ", 19));
    cli_out_free(&o);
    unlink(path);
    rmdir(dir);
    sqlalc_metadata_free(v1);
    sqlalc_metadata_free(v2);
    sqlalc_engine_free(e2);
    if (test_dialect_is("sqlite"))
        unlink(strstr(other, ":///") + 4);
    sqlalc_free(other);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int table_exists(const char *name)
{
    sqlalc_inspector *insp;
    int yes = 0;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_has_table(insp, NULL, name, &yes));
    sqlalc_inspector_free(insp);
    return yes;
}

static void test_migrations(void **state)
{
    (void)state;
    drop_all(eng);
    char dir[] = "/tmp/sqlalc_mig_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "0001_init.up.sql",
               "-- the first tables; a ';' in a comment and 'a;b' in a string do not split\n"
               "CREATE TABLE mg_team (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'a;b');\n"
               "CREATE TABLE mg_player (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES mg_team (id));\n");
    write_file(dir, "0001_init.down.sql", "DROP TABLE mg_player;\nDROP TABLE mg_team;\n");
    write_file(dir, "0002_add_league.up.sql",
               "CREATE TABLE mg_league (id INTEGER PRIMARY KEY);\n"
               "INSERT INTO mg_league (id) VALUES (1);\n");
    write_file(dir, "0002_add_league.down.sql", "DROP TABLE mg_league;\n");
    write_file(dir, "0010_stadium.up.sql", "CREATE TABLE mg_stadium (id INTEGER PRIMARY KEY);\n");
    write_file(dir, "0010_stadium.down.sql", "DROP TABLE mg_stadium");

    /* the database before: a table of its own, and the migrations table
     * (status creates it) */
    test_exec(eng, "CREATE TABLE mg_new (id INTEGER PRIMARY KEY, label VARCHAR(10) DEFAULT 'x')");
    assert_ok(sqlalc_migrate(eng, dir, SQLALC_MIGRATE_STATUS, NULL, NULL));
    cli_out before = CLI("inspect", url);
    expect_status(before, 0);

    /* library: up to a target, then status */
    sqlalc_migrate_report r;
    assert_ok(sqlalc_migrate(eng, dir, SQLALC_MIGRATE_UP, "2", &r));
    assert_int_equal(r.count, 3);
    assert_string_equal(r.items[0].version, "0001");
    assert_string_equal(r.items[0].name, "init");
    assert_true(r.items[0].ran && r.items[1].ran && !r.items[2].ran);
    assert_true(r.items[1].applied && !r.items[2].applied);
    sqlalc_migrate_report_clear(&r);
    assert_true(table_exists("mg_league"));
    assert_false(table_exists("mg_stadium"));

    /* the command: status, up (numeric order: 10 after 2), down */
    cli_out o = CLI("migrate", url, dir, "status");
    expect_status(o, 0);
    assert_string_equal(o.out, "applied  0001 init\napplied  0002 add_league\npending  0010 stadium\n");
    cli_out_free(&o);
    o = CLI("migrate", url, dir, "up");
    expect_status(o, 0);
    assert_string_equal(o.out, "applied 0010 stadium\n");
    cli_out_free(&o);
    o = CLI("migrate", url, dir, "up");
    expect_status(o, 0);
    assert_string_equal(o.out, "nothing to apply\n");
    cli_out_free(&o);
    o = CLI("migrate", url, dir, "down");
    expect_status(o, 0);
    assert_string_equal(o.out, "reverted 0010 stadium\n");
    cli_out_free(&o);
    assert_false(table_exists("mg_stadium"));

    /* a failing migration: wholly absent afterwards, not recorded, the run stops */
    write_file(dir, "0011_bad.up.sql",
               "CREATE TABLE mg_old (id INTEGER PRIMARY KEY);\nSELECT nope FROM nowhere;\n");
    o = CLI("migrate", url, dir, "up");
    expect_status(o, 1);
    assert_string_equal(o.out, "applied 0010 stadium\n");
    assert_non_null(strstr(o.err, "migration 0011 (bad) up failed: script statement 2: "));
    cli_out_free(&o);
    assert_false(table_exists("mg_old"));
    assert_true(table_exists("mg_stadium"));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM sqlalc_migrations"), 3);
    char bad[600];
    snprintf(bad, sizeof bad, "%s/0011_bad.up.sql", dir);
    unlink(bad);

    /* down to 0: the database as it was before (only the migrations table) */
    assert_ok(sqlalc_migrate(eng, dir, SQLALC_MIGRATE_DOWN, "0", NULL));
    assert_false(table_exists("mg_team"));
    assert_false(table_exists("mg_player"));
    assert_false(table_exists("mg_league"));
    assert_false(table_exists("mg_stadium"));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM sqlalc_migrations"), 0);
    cli_out after = CLI("inspect", url);
    expect_status(after, 0);
    assert_string_equal(before.out, after.out);
    cli_out_free(&before);
    cli_out_free(&after);

    /* usage and argument errors */
    assert_code(sqlalc_migrate(eng, dir, SQLALC_MIGRATE_UP, "7", NULL), SQLALC_ERR_ARGUMENT);
    assert_code(sqlalc_migrate(eng, "/nonexistent/dir", SQLALC_MIGRATE_UP, NULL, NULL), SQLALC_ERR_ARGUMENT);
    o = CLI("migrate", url, dir, "sideways");
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("migrate", url, dir, "up", "x1");
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("migrate", "--help");
    expect_status(o, 0);
    assert_true(!strncmp(o.out, "usage: sqlalc migrate ", 22));
    cli_out_free(&o);
    const char *names[] = { "0001_init.up.sql",         "0001_init.down.sql",  "0002_add_league.up.sql",
                            "0002_add_league.down.sql", "0010_stadium.up.sql", "0010_stadium.down.sql" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* The script runner: statements split by the lexer, a failure named. */
static void test_execute_script(void **state)
{
    (void)state;
    drop_all(eng);
    sqlalc_conn *conn;
    assert_ok(sqlalc_engine_connect(eng, &conn));
    size_t n;
    assert_ok(sqlalc_conn_execute_script(conn,
                                         "CREATE TABLE mg_old (id INTEGER PRIMARY KEY, t TEXT);\n"
                                         "/* ; */ INSERT INTO mg_old VALUES (1, ';');  -- ;\n"
                                         "INSERT INTO mg_old VALUES (2, 'it''s; fine');;\n   \n",
                                         &n));
    assert_int_equal(n, 3);
    assert_code(
        sqlalc_conn_execute_script(conn, "INSERT INTO mg_old VALUES (3, 'x'); SELECT * FROM nowhere", &n),
        sqlalc_error_last()->code);
    assert_int_equal(n, 1);
    assert_non_null(strstr(sqlalc_errmsg(), "script statement 2: "));
    if (test_dialect_is("postgresql")) {
        assert_ok(
            sqlalc_conn_execute_script(conn,
                                       "CREATE FUNCTION mg_f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;"
                                       "DROP FUNCTION mg_f()",
                                       &n));
        assert_int_equal(n, 2);
    } else {
        assert_ok(sqlalc_conn_execute_script(conn,
                                             "CREATE TRIGGER mg_t AFTER INSERT ON mg_old BEGIN "
                                             "UPDATE mg_old SET t = 'x' WHERE id = NEW.id; SELECT 1; END;"
                                             "DROP TRIGGER mg_t;",
                                             &n));
        assert_int_equal(n, 2);
    }
    sqlalc_conn_close(conn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_metadata_round_trip),
        cmocka_unit_test(test_diff_apply_is_atomic),
        cmocka_unit_test(test_diff_failing_allocator),
        cmocka_unit_test(test_cli_diff),
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_execute_script),
    };
    return cmocka_run_group_tests_name("cli_migrate", tests, setup, teardown);
}

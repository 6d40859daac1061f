/*
 * sqlalc codegen round trip on the backend under test: a database →
 * codegen → the generated C compiled (-Wall -Wextra -Wpedantic -Werror)
 * and run to create the schema in an empty database → diff reports no
 * change between the two.
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

#ifndef SQLALC_TEST_INCLUDE_DIR
#    error "SQLALC_TEST_INCLUDE_DIR (the public headers) is set by tests/CMakeLists.txt"
#endif

static sqlalc_engine *eng;
static const char *url;

static const char *const tables[] = { "cg_player", "cg_team", "cg_league" };

static void drop_tables(sqlalc_engine *e)
{
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP TABLE %s", tables[i]);
        test_exec_quiet(e, sql);
    }
}

static int setup(void **state)
{
    (void)state;
    url = test_url();
    eng = test_engine();
    drop_tables(eng);
    int pg = test_dialect_is("postgresql");
    test_exec(eng, "CREATE TABLE cg_league (id INTEGER PRIMARY KEY, title VARCHAR(30) NOT NULL)");
    test_exec(
        eng,
        pg ? "CREATE TABLE cg_team (id SERIAL PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'nobody', "
             "rate NUMERIC(10, 2), created TIMESTAMP, flag BOOLEAN DEFAULT true, "
             "league_id INTEGER CONSTRAINT fk_cg_team_league REFERENCES cg_league (id) ON DELETE SET NULL, "
             "note TEXT, CONSTRAINT uq_cg_team_name UNIQUE (name), "
             "CONSTRAINT ck_cg_team_rate CHECK (rate >= 0))"
           : "CREATE TABLE cg_team (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'nobody', "
             "rate NUMERIC(10, 2), created DATETIME, flag BOOLEAN DEFAULT 1, "
             "league_id INTEGER CONSTRAINT fk_cg_team_league REFERENCES cg_league (id) ON DELETE SET NULL, "
             "note TEXT, CONSTRAINT uq_cg_team_name UNIQUE (name), "
             "CONSTRAINT ck_cg_team_rate CHECK (rate >= 0))");
    test_exec(eng,
              "CREATE TABLE cg_player (team_id INTEGER NOT NULL REFERENCES cg_team (id) ON DELETE CASCADE, "
              "season INTEGER NOT NULL, \"Nick \"\"Name\"\"\" VARCHAR(20), height FLOAT, "
              "PRIMARY KEY (team_id, season))");
    test_exec(eng, "CREATE INDEX ix_cg_player_height ON cg_player (height, season)");
    test_exec(eng, "CREATE UNIQUE INDEX ux_cg_team_note ON cg_team (note)");
    if (pg) {
        test_exec_quiet(eng, "DROP SEQUENCE cg_seq");
        test_exec(eng, "CREATE SEQUENCE cg_seq START 5 INCREMENT 2");
        test_exec(eng,
                  "ALTER TABLE cg_league ADD COLUMN score BIGINT GENERATED ALWAYS AS IDENTITY (START 10)");
        test_exec(eng, "CREATE INDEX ix_cg_team_lower ON cg_team (lower(name))");
        test_exec(eng, "CREATE INDEX ix_cg_team_created ON cg_team (created DESC) WHERE flag");
        test_exec(eng, "COMMENT ON COLUMN cg_team.note IS 'free text, with \"quotes\" and ?\?= no trigraph'");
        test_exec(eng, "COMMENT ON TABLE cg_team IS 'teams'");
    } else {
        test_exec(eng, "CREATE INDEX ix_cg_team_created ON cg_team (created DESC)");
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    drop_tables(eng);
    if (test_dialect_is("postgresql"))
        test_exec_quiet(eng, "DROP SEQUENCE cg_seq");
    sqlalc_engine_free(eng);
    return 0;
}

/* Creates the generated schema in argv[1], then writes a row through the
 * generated ORM struct and reads it back. */
static const char driver_c[] =
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "#include \"cg.h\"\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    sqlalc_engine *eng;\n"
    "    sqlalc_metadata *md = cg_metadata();\n"
    "    (void)argc;\n"
    "    if (!md || sqlalc_engine_create(argv[1], NULL, &eng) != SQLALC_OK) {\n"
    "        fprintf(stderr, \"%s\\n\", sqlalc_errmsg());\n"
    "        return 1;\n"
    "    }\n"
    "    int rc = sqlalc_metadata_create_all(md, eng, 0);\n"
    "    sqlalc_orm_registry *reg = rc == SQLALC_OK ? cg_orm(md) : NULL;\n"
    "    sqlalc_session *s = NULL;\n"
    "    if (reg && (rc = sqlalc_session_new(eng, &s)) == SQLALC_OK) {\n"
    "        struct cg_cg_team *t = sqlalc_session_new_object(s, sqlalc_orm_registry_mapper(reg, \"cg_team\"));\n"
    "        t->name = sqlalc_orm_strdup(\"Lyon\");\n"
    "        t->flag = 1;\n"
    "        t->league_id_is_null = 1;\n"
    "        if ((rc = sqlalc_session_commit(s)) == SQLALC_OK) {\n"
    "            sqlalc_value pk = SQLALC_INTV(t->id);\n"
    "            void *back = NULL;\n"
    "            sqlalc_session_free(s);\n"
    "            s = NULL;\n"
    "            rc = sqlalc_session_new(eng, &s);\n"
    "            if (rc == SQLALC_OK)\n"
    "                rc = sqlalc_session_get(s, sqlalc_orm_registry_mapper(reg, \"cg_team\"), &pk, 1, &back);\n"
    "            if (rc == SQLALC_OK)\n"
    "                printf(\"%lld %s %d\\n\", (long long)((struct cg_cg_team *)back)->id,\n"
    "                       ((struct cg_cg_team *)back)->name, ((struct cg_cg_team *)back)->flag);\n"
    "        }\n"
    "    } else if (rc == SQLALC_OK) {\n"
    "        rc = -1;\n"
    "    }\n"
    "    if (rc != SQLALC_OK)\n"
    "        fprintf(stderr, \"%s\\n\", sqlalc_errmsg());\n"
    "    sqlalc_session_free(s);\n"
    "    sqlalc_orm_registry_free(reg);\n"
    "    sqlalc_metadata_free(md);\n"
    "    sqlalc_engine_free(eng);\n"
    "    return rc != SQLALC_OK;\n"
    "}\n";

static void test_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/sqlalc_codegen_XXXXXX";
    assert_non_null(mkdtemp(dir));
    cli_out o = CLI("codegen", url, "-o", dir, "--prefix", "cg", "--tables", "cg_player", "--orm");
    expect_status(o, 0);
    assert_non_null(strstr(o.err, "(3 tables)"));
    cli_out_free(&o);

    char cmd[4096], path[600];
    snprintf(path, sizeof path, "%s/main.c", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(driver_c, f);
    fclose(f);
    const char *lib = SQLALC_TEST_LIB_FILE;
    char libdir[600];
    snprintf(libdir, sizeof libdir, "%s", lib);
    *strrchr(libdir, '/') = 0;
#ifdef SQLALC_TEST_SANITIZED
    const char *san = "-fsanitize=address,undefined";
#else
    const char *san = "";
#endif
    snprintf(cmd, sizeof cmd,
             "cc -std=c11 -Wall -Wextra -Wpedantic -Werror %s -I%s -I%s %s/cg.c %s/main.c -o %s/cg %s "
             "-Wl,-rpath,%s 2>&1",
             san, SQLALC_TEST_INCLUDE_DIR, dir, dir, dir, dir, lib, libdir);
    FILE *p = popen(cmd, "r");
    char out[8192];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int st = pclose(p);
    if (st != 0 || n != 0)
        fail_msg("compiling the generated code: %s\n%s", cmd, out);

    /* the header is C++17-clean too */
    snprintf(
        cmd, sizeof cmd,
        "command -v c++ >/dev/null || exit 0; echo '#include \"cg.h\"' | c++ -std=c++17 -Wall -Wextra -Wpedantic "
        "-Werror -fsyntax-only -I%s -I%s -x c++ - 2>&1",
        SQLALC_TEST_INCLUDE_DIR, dir);
    p = popen(cmd, "r");
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    st = pclose(p);
    if (st != 0 || n != 0)
        fail_msg("the generated header as C++17: %s\n%s", cmd, out);

    char *other = cli_second_url(eng, url, "_codegen");
    snprintf(cmd, sizeof cmd, "%s/cg '%s' 2>&1", dir, other);
    p = popen(cmd, "r");
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    st = pclose(p);
    if (st != 0)
        fail_msg("running the generated code: %s", out);
    /* the ORM struct wrote a row and read it back */
    assert_string_equal(out, "1 Lyon 1\n");

    /* the copy reflects back as the original */
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(other, NULL, &e2));
    sqlalc_diff *d;
    assert_ok(sqlalc_diff_databases(eng, e2, NULL, &d));
    if (!sqlalc_diff_is_empty(d)) {
        char *sql = NULL;
        sqlalc_diff_sql(d, &sql);
        fail_msg("the recreated schema differs:\n%s", sql ? sql : "");
    }
    sqlalc_diff_free(d);
    /* and to the inspector's eye too (comments, the partial index, the quoted name) */
    o = CLI("inspect", url);
    cli_out o2 = CLI("inspect", other);
    expect_status(o, 0);
    expect_status(o2, 0);
    assert_string_equal(o.out, o2.out);
    cli_out_free(&o);
    cli_out_free(&o2);
    sqlalc_engine_free(e2);

    /* usage */
    o = CLI("codegen", url);
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("codegen", url, "-o", dir, "--prefix", "1bad");
    expect_status(o, 2);
    cli_out_free(&o);
    o = CLI("codegen", url, "-o", dir, "--tables", "nope");
    expect_status(o, 1);
    cli_out_free(&o);
    o = CLI("codegen", "--help");
    expect_status(o, 0);
    assert_true(!strncmp(o.out, "usage: sqlalc codegen ", 22));
    cli_out_free(&o);

    const char *files[] = { "cg.h", "cg.c", "main.c", "cg" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    if (test_dialect_is("sqlite"))
        unlink(strstr(other, ":///") + 4);
    sqlalc_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("cli_codegen", tests, setup, teardown);
}

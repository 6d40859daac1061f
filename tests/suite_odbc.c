/*
 * ODBC-only conformance tests (skipped on the native backends): what the
 * odbc driver learns from the server and the SQL Server traps it handles,
 * checked through unixODBC against psqlodbc and sqliteodbc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static sqlalc_engine *eng;

static int setup(void **state)
{
    (void)state;
    eng = test_via_odbc() ? test_engine() : NULL;
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    sqlalc_engine_free(eng);
    return 0;
}

/* The backend's DSN as an ODBC URL of another dialect: "mssql+odbc://user@dsn?…". */
static void dsn_url(char *buf, size_t n, const char *dialect, const char *query)
{
    const sqlalc_url *u = sqlalc_engine_url(eng);
    snprintf(buf, n, "%s+odbc://%s%s%s%s%s", dialect, sqlalc_url_username(u) ? sqlalc_url_username(u) : "",
             sqlalc_url_username(u) ? "@" : "", sqlalc_url_host(u), query ? "?" : "", query ? query : "");
}

/* mssql+odbc with no server_version reads SQL_DBMS_VER on the first
 * connect, as SQLAlchemy's initialize() reads the server version; the
 * flavour follows the server's major version (PostgreSQL 15 → the 2012+
 * tables; SQLite 3 → the pre-2008 ones). */
static void test_server_version_from_wire(void **state)
{
    (void)state;
    if (!eng)
        skip();
    int64_t major =
        test_dialect_is("postgresql")
            ? test_scalar(eng, "SELECT CAST(current_setting('server_version_num') AS INTEGER) / 10000")
            : test_scalar(eng, "SELECT CAST(sqlite_version() AS INTEGER)");
    char url[512], ver[32];
    dsn_url(url, sizeof url, "mssql", NULL);
    sqlalc_engine *e2 = NULL;
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    snprintf(ver, sizeof ver, "%lld", (long long)major);
    const sqlalc_dialect *ms = sqlalc_find_dialect("mssql");
    assert_ptr_equal(sqlalc_engine_dialect(e2), sqlalc_dialect_for_server_version(ms, ver));
    sqlalc_engine_free(e2);
    /* a version given wins, and nothing is asked */
    dsn_url(url, sizeof url, "mssql", "server_version=9.0");
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    assert_ptr_equal(sqlalc_engine_dialect(e2), ms);
    sqlalc_engine_free(e2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_version_from_wire),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

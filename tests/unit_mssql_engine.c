/*
 * The engine runs the statements a compiled form asks for around it (SQL
 * Server's SET IDENTITY_INSERT t ON / OFF, issue 15.2): before, after, after
 * a failure too, once around an executemany.  SQL Server does not run here,
 * so a dialect registered over SQLite asks for statements SQLite can run
 * ("SELECT 1 -- t ON"), and a listener records what the engine sent.
 */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include <sqlalc/sys/plugin.h>

static char seen[32][160];
static int nseen;

static int record(void *ctx, const sqlalc_event *ev)
{
    (void)ctx;
    if (nseen < 32 && ev->sql && strncmp(ev->sql, "CREATE", 6) && strncmp(ev->sql, "PRAGMA", 6) &&
        strncmp(ev->sql, "SAVEPOINT", 9) && strncmp(ev->sql, "RELEASE", 7) && strncmp(ev->sql, "ROLLBACK", 8))
        snprintf(seen[nseen++], sizeof seen[0], "%s%s", ev->kind == SQLALC_EVENT_ERROR ? "error: " : "",
                 ev->sql);
    return SQLALC_OK;
}

static void expect_seen(const char *const *want, int n)
{
    for (int i = 0; i < n && i < nseen; i++)
        assert_string_equal(seen[i], want[i]);
    assert_int_equal(nseen, n);
    nseen = 0;
}

static void test_around_statements(void **state)
{
    (void)state;
    static sqlalc_compile_hooks hooks;
    const sqlalc_dialect *lite = sqlalc_find_dialect("sqlite");
    hooks = *lite->compile;
    hooks.version = SQLALC_COMPILE_HOOKS_VERSION;
    hooks.identity_insert = "SELECT 1 --";
    sqlalc_dialect d = *lite;
    d.name = "aroundsql";
    d.compile = &hooks;
    assert_ok(sqlalc_register_dialect(&d));
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create("aroundsql+sqlite3://", NULL, &eng));
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *k =
        sqlalc_table_new(md, "k", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0));
    assert_non_null(k);
    sqlalc_conn *conn;
    assert_ok(sqlalc_engine_connect(eng, &conn));
    assert_ok(sqlalc_metadata_create_all_conn(md, conn, 0));
    assert_ok(sqlalc_event_listen(
        eng, SQLALC_EVENT_MASK(SQLALC_EVENT_BEFORE_EXECUTE) | SQLALC_EVENT_MASK(SQLALC_EVENT_ERROR), record,
        NULL));

    /* an explicit id: ON, the INSERT, OFF */
    sqlalc_stmt *ins = sqlalc_values(
        sqlalc_insert(k), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(5)), SQLALC_KV("name", sqlalc_str("a"))));
    assert_ok(sqlalc_conn_execute(conn, ins, NULL, NULL));
    static const char *const one[] = { "SELECT 1 -- k ON", "INSERT INTO k (id, name) VALUES (?, ?)",
                                       "SELECT 1 -- k OFF" };
    expect_seen(one, 3);
    /* the same id again fails: OFF still runs, the INSERT's error is kept */
    assert_int_equal(sqlalc_conn_execute(conn, ins, NULL, NULL), SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "UNIQUE"));
    static const char *const failed[] = { "SELECT 1 -- k ON", "INSERT INTO k (id, name) VALUES (?, ?)",
                                          "error: INSERT INTO k (id, name) VALUES (?, ?)",
                                          "SELECT 1 -- k OFF" };
    expect_seen(failed, 4);
    sqlalc_stmt_free(ins);

    /* executemany of insert(k) naming id: once around the whole run */
    sqlalc_stmt *all = sqlalc_insert(k);
    sqlalc_params sets[3] = {
        *SQLALC_PARAMS(SQLALC_P_INT("id", 6), SQLALC_P_TEXT("name", "b")),
        *SQLALC_PARAMS(SQLALC_P_INT("id", 7), SQLALC_P_TEXT("name", "c")),
        *SQLALC_PARAMS(SQLALC_P_INT("id", 8), SQLALC_P_TEXT("name", "d")),
    };
    int64_t n = 0;
    assert_ok(sqlalc_conn_execute_many(conn, all, sets, 3, &n));
    assert_int_equal(n, 3);
    assert_true(nseen >= 3);
    assert_string_equal(seen[0], "SELECT 1 -- k ON");
    assert_string_equal(seen[nseen - 1], "SELECT 1 -- k OFF");
    for (int i = 1; i < nseen - 1; i++)
        assert_null(strstr(seen[i], "-- k"));
    nseen = 0;

    /* no id given (the executemany narrows to the keys): nothing around */
    sqlalc_params named[1] = { *SQLALC_PARAMS(SQLALC_P_TEXT("name", "e")) };
    assert_ok(sqlalc_conn_execute_many(conn, all, named, 1, NULL));
    static const char *const plain[] = { "INSERT INTO k (name) VALUES (?)" };
    expect_seen(plain, 1);
    sqlalc_stmt_free(all);

    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(conn, "SELECT COUNT(*) FROM k", NULL, &res));
    assert_int_equal(test_result_int64(res), 5);
    nseen = 0;
    sqlalc_conn_close(conn);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_around_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * ODBC-only conformance tests (skipped on the native backends): what the
 * odbc driver learns from the server and the SQL Server traps it handles,
 * checked through unixODBC against psqlodbc and sqliteodbc.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
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

/* A batch whose first statement returns no rows: the rows of the later
 * SELECT come back (SQLMoreResults), as "INSERT …; SELECT SCOPE_IDENTITY()"
 * does on SQL Server; a half-read multi-result statement is drained before
 * the connection runs the next one.  psqlodbc runs batches; sqliteodbc
 * only the first statement of one. */
static void test_multiple_results(void **state)
{
    (void)state;
    if (!eng || !test_dialect_is("postgresql"))
        skip();
    test_exec_quiet(eng, "DROP TABLE odbc_batch");
    test_exec(eng, "CREATE TABLE odbc_batch (id INTEGER PRIMARY KEY)");
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    for (int k = 1; k <= 3; k++) { /* the prepared statement again: its second shape is kept */
        sqlalc_result *res = NULL;
        const sqlalc_row *row;
        assert_ok(sqlalc_conn_execute_sql(
            c, "INSERT INTO odbc_batch VALUES (:k); SELECT COUNT(*) AS n FROM odbc_batch",
            SQLALC_PARAMS(SQLALC_P_INT("k", k)), &res));
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        int64_t n = 0;
        assert_ok(sqlalc_row_get_int64(row, 0, &n));
        assert_int_equal(n, k);
        sqlalc_result_free(res);
    }
    /* two row results, the second never read: drained, the connection goes on */
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT id FROM odbc_batch ORDER BY id; SELECT 7", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT COUNT(*) FROM odbc_batch", NULL, &res));
    assert_int_equal(test_result_int64(res), 3);
    sqlalc_conn_close(c);
    test_exec(eng, "DROP TABLE odbc_batch");
}

static int strlist_equal(const sqlalc_strlist *a, const sqlalc_strlist *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]))
            return 0;
    return 1;
}
static int str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}
static const sqlalc_index_info *index_named(const sqlalc_table_info *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (!strcmp(t->indexes[i].name, name))
            return &t->indexes[i];
    return NULL;
}

/* Field by field: what the catalog functions report (see
 * dialects/odbc/reflect_catalog.c for what they cannot). */
static void compare_tables(const sqlalc_table_info *n, const sqlalc_table_info *c)
{
    assert_string_equal(n->name, c->name);
    assert_int_equal(n->ncolumns, c->ncolumns);
    for (size_t i = 0; i < n->ncolumns; i++) {
        const sqlalc_column_info *a = &n->columns[i], *b = &c->columns[i];
        assert_string_equal(a->name, b->name);
        if (a->nullable != b->nullable)
            fail_msg("%s.%s nullable %d vs %d", n->name, a->name, a->nullable, b->nullable);
        if (!sqlalc_type_equal(a->type, b->type))
            fail_msg("%s.%s type %s vs %s", n->name, a->name, a->type_sql, b->type_sql);
        if (!str_eq(a->default_sql, b->default_sql))
            fail_msg("%s.%s default %s vs %s", n->name, a->name, a->default_sql ? a->default_sql : "NULL",
                     b->default_sql ? b->default_sql : "NULL");
        assert_int_equal(a->pk_position, b->pk_position);
    }
    assert_true(str_eq(n->pk.name, c->pk.name));
    assert_true(strlist_equal(&n->pk.columns, &c->pk.columns));
    assert_int_equal(n->nfks, c->nfks);
    for (size_t i = 0; i < n->nfks; i++) {
        const sqlalc_fk_info *a = &n->fks[i], *b = &c->fks[i];
        assert_true(str_eq(a->name, b->name));
        assert_true(strlist_equal(&a->columns, &b->columns));
        assert_true(str_eq(a->referred_schema, b->referred_schema));
        assert_string_equal(a->referred_table, b->referred_table);
        assert_true(strlist_equal(&a->referred_columns, &b->referred_columns));
        if (!str_eq(a->ondelete, b->ondelete))
            fail_msg("%s fk ondelete %s vs %s", n->name, a->ondelete ? a->ondelete : "NULL",
                     b->ondelete ? b->ondelete : "NULL");
        assert_true(str_eq(a->onupdate, b->onupdate));
    }
    assert_int_equal(n->nindexes, c->nindexes);
    for (size_t i = 0; i < n->nindexes; i++) {
        const sqlalc_index_info *a = &n->indexes[i], *b = index_named(c, a->name);
        if (!b)
            fail_msg("%s: index %s not reflected through the catalog", n->name, a->name);
        assert_int_equal(a->unique, b->unique);
        assert_true(strlist_equal(&a->columns, &b->columns));
    }
}

/* The generic catalog reflection (SQLTables, SQLColumns, SQLPrimaryKeys,
 * SQLForeignKeys, SQLStatistics) against the dialect's own reflection of
 * the same database, through psqlodbc and sqliteodbc. */
static void test_catalog_reflection(void **state)
{
    (void)state;
    if (!eng)
        skip();
    static const char *const ddl[] = {
        "CREATE TABLE cat_parent (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL)",
        ("CREATE TABLE cat_child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES cat_parent (id) ON DELETE "
         "CASCADE, name VARCHAR(40), amount NUMERIC(10, 2), qty INTEGER DEFAULT 5, note TEXT, ok BOOLEAN, "
         "d DATE, f FLOAT)"),
        "CREATE TABLE cat_pair (a INTEGER NOT NULL, b INTEGER NOT NULL, c VARCHAR(5), PRIMARY KEY (a, b))",
        ("CREATE TABLE cat_ref (id INTEGER PRIMARY KEY, pa INTEGER, pb INTEGER, "
         "FOREIGN KEY (pa, pb) REFERENCES cat_pair (a, b))"),
        "CREATE INDEX ix_cat_child_name ON cat_child (name)",
        "CREATE UNIQUE INDEX ux_cat_child_qty ON cat_child (qty, name)",
    };
    static const char *const tables[] = { "cat_ref", "cat_pair", "cat_child", "cat_parent" };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DROP TABLE %s", tables[i]);
        test_exec_quiet(eng, sql);
    }
    for (size_t i = 0; i < sizeof ddl / sizeof ddl[0]; i++)
        test_exec(eng, ddl[i]);
    char url[512];
    const char *base = test_url();
    snprintf(url, sizeof url, "%s%scatalog", base,
             strchr(base, '?') ? "&odbc_reflection=" : "?odbc_reflection=");
    sqlalc_engine *ce = NULL;
    assert_ok(sqlalc_engine_create(url, NULL, &ce));
    sqlalc_inspector *ni, *ci;
    assert_ok(sqlalc_inspector_new(eng, &ni));
    assert_ok(sqlalc_inspector_new(ce, &ci));
    const sqlalc_strlist *nn, *cn;
    assert_ok(sqlalc_inspector_table_names(ni, NULL, &nn));
    assert_ok(sqlalc_inspector_table_names(ci, NULL, &cn));
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        assert_true(sqlalc_strlist_contains(nn, tables[i]));
        assert_true(sqlalc_strlist_contains(cn, tables[i]));
        const sqlalc_table_info *a, *b;
        assert_ok(sqlalc_inspector_table(ni, NULL, tables[i], &a));
        assert_ok(sqlalc_inspector_table(ci, NULL, tables[i], &b));
        compare_tables(a, b);
    }
    sqlalc_inspector_free(ni);
    sqlalc_inspector_free(ci);
    sqlalc_engine_free(ce);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DROP TABLE %s", tables[i]);
        test_exec_quiet(eng, sql);
    }
}

/* A loopback port nothing listens on (bound, read back, closed). */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void expect_freetds_refused(int rc, const char *what)
{
    const sqlalc_error *e = sqlalc_error_last();
    if (rc != SQLALC_ERR_OPERATIONAL)
        fail_msg("%s: want SQLALC_ERR_OPERATIONAL, got %s: %s", what, sqlalc_code_name(rc), sqlalc_errmsg());
    /* FreeTDS itself answered (loaded, tried the TDS login), with a
     * connection-class SQLSTATE, and the password is masked */
    assert_non_null(strstr(e->message, "[FreeTDS]"));
    assert_true(!strncmp(e->sqlstate, "08", 2));
    assert_null(strstr(e->message, "s3cret"));
    assert_non_null(strstr(e->message, "***"));
}

/* FreeTDS (tdsodbc, registered by scripts/test): mssql+pymssql:// reaches
 * a server through it without a DSN, and a closed port fails cleanly. */
static void test_freetds_closed_port(void **state)
{
    (void)state;
    if (!eng)
        skip();
    char url[256];
    int port = closed_port();
    sqlalc_engine *e2 = NULL;
    /* the version is asked of the server at once: the engine fails */
    snprintf(url, sizeof url, "mssql+pymssql://sa:s3cret@127.0.0.1:%d/master", port);
    expect_freetds_refused(sqlalc_engine_create(url, NULL, &e2), "pymssql engine");
    assert_null(e2);
    /* with the version given, the first connect fails the same way */
    snprintf(url, sizeof url, "mssql+pymssql://sa:s3cret@127.0.0.1:%d/master?server_version=14", port);
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    sqlalc_conn *c = NULL;
    expect_freetds_refused(sqlalc_engine_connect(e2, &c), "pymssql connect");
    sqlalc_engine_free(e2);
    /* the DSN-less ODBC form with FreeTDS named */
    snprintf(url, sizeof url, "mssql+odbc://sa:s3cret@127.0.0.1:%d/master?driver=FreeTDS&server_version=11",
             port);
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    expect_freetds_refused(sqlalc_engine_connect(e2, &c), "odbc driver=FreeTDS connect");
    sqlalc_engine_free(e2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_version_from_wire),
        cmocka_unit_test(test_freetds_closed_port),
        cmocka_unit_test(test_multiple_results),
        cmocka_unit_test(test_catalog_reflection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

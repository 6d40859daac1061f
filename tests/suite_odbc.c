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
#include <sqlalc/orm.h>
#ifdef SQLALC_HAVE_ODBC
#    include <sqlext.h>
#    include <sqlalc/odbc.h>
#endif

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

struct si_obj {
    int64_t id;
    char *name;
};
static const sqlalc_orm_field si_fields[] = {
    SQLALC_ORM_FIELD(struct si_obj, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct si_obj, name, SQLALC_ORM_TEXT, "name"),
};

/* Issue 15.2: a table that reads its new key with SCOPE_IDENTITY() (OUTPUT
 * fails on tables with triggers): the mssql dialect's "INSERT …; select
 * scope_identity()" run through psqlodbc, the key read from the batch's
 * second result by the engine and by the ORM.  PostgreSQL gets a
 * scope_identity() function (lastval()) and the table a trigger, so the
 * mssql SQL runs unchanged; sqliteodbc runs only a batch's first statement. */
static void test_scope_identity_batch(void **state)
{
    (void)state;
    if (!eng || !test_dialect_is("postgresql"))
        skip();
    test_exec_quiet(eng, "DROP TABLE odbc_si");
    test_exec_quiet(eng, "DROP TABLE odbc_si_log");
    test_exec(eng, "CREATE TABLE odbc_si (id SERIAL PRIMARY KEY, name VARCHAR(20))");
    test_exec(eng, "CREATE TABLE odbc_si_log (n SERIAL PRIMARY KEY, what VARCHAR(20))");
    test_exec(eng, "ALTER SEQUENCE odbc_si_log_n_seq RESTART WITH 1000");
    test_exec(eng, "CREATE OR REPLACE FUNCTION scope_identity() RETURNS NUMERIC AS "
                   "'SELECT CAST(currval(''odbc_si_id_seq'') AS NUMERIC)' LANGUAGE sql");
    test_exec(eng,
              "CREATE OR REPLACE FUNCTION odbc_si_audit() RETURNS trigger AS "
              "'BEGIN INSERT INTO odbc_si_log (what) VALUES (NEW.name); RETURN NEW; END' LANGUAGE plpgsql");
    test_exec(
        eng,
        "CREATE TRIGGER odbc_si_t AFTER INSERT ON odbc_si FOR EACH ROW EXECUTE FUNCTION odbc_si_audit()");
    char url[512];
    dsn_url(url, sizeof url, "mssql", "server_version=14");
    sqlalc_engine *ms = NULL;
    assert_ok(sqlalc_engine_create(url, NULL, &ms));
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t =
        sqlalc_table_new(md, "odbc_si", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0), sqlalc_opt_mssql_scope_identity());
    assert_non_null(t);
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(ms, &c));
    for (int64_t k = 1; k <= 3; k++) {
        sqlalc_stmt *ins = sqlalc_returning(
            sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("name", sqlalc_str("core")))),
            SQLALC_COLS(sqlalc_c(t, "id")));
        assert_string_equal(sqlalc_stmt_sql(ins, sqlalc_engine_dialect(ms)),
                            "INSERT INTO odbc_si (name) VALUES (:name); select scope_identity()");
        sqlalc_result *res = NULL;
        const sqlalc_row *row;
        assert_ok(sqlalc_conn_execute(c, ins, NULL, &res));
        assert_int_equal(sqlalc_result_rowcount(res), 1);
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        int64_t id = 0;
        assert_ok(sqlalc_row_get_int64(row, 0, &id));
        assert_int_equal(id, k); /* the row's key, not the trigger's log row (1000 …) */
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
        sqlalc_result_free(res);
        sqlalc_stmt_free(ins);
    }
    sqlalc_conn_close(c);

    /* the ORM: one INSERT per object, each key from its second result */
    sqlalc_orm_registry *reg = sqlalc_orm_registry_new();
    sqlalc_orm_mapper *m = sqlalc_orm_map(reg, "Si", t, sizeof(struct si_obj), si_fields, 2);
    assert_non_null(m);
    sqlalc_session *s;
    assert_ok(sqlalc_session_new(ms, &s));
    struct si_obj *o[3];
    for (int i = 0; i < 3; i++) {
        o[i] = sqlalc_session_new_object(s, m);
        assert_non_null(o[i]);
        assert_ok(sqlalc_orm_set_text(&o[i]->name, "orm"));
    }
    assert_ok(sqlalc_session_commit(s));
    for (int i = 0; i < 3; i++)
        assert_int_equal(o[i]->id, 4 + i);
    sqlalc_session_free(s);
    sqlalc_orm_registry_free(reg);
    assert_int_equal(
        test_scalar(eng, "SELECT COUNT(*) FROM odbc_si WHERE name = 'orm' AND id BETWEEN 4 AND 6"), 3);
    assert_int_equal(test_scalar(eng, "SELECT MIN(n) FROM odbc_si_log"), 1000);

    sqlalc_metadata_free(md);
    sqlalc_engine_free(ms);
    test_exec(eng, "DROP TABLE odbc_si");
    test_exec(eng, "DROP TABLE odbc_si_log");
    test_exec(eng, "DROP FUNCTION odbc_si_audit()");
    test_exec(eng, "DROP FUNCTION scope_identity()");
}

#ifdef SQLALC_HAVE_ODBC
/* What the odbc driver passed to SQLBindParameter (its debug trace). */
typedef struct bound {
    int n;
    int ctype[16], sqltype[16];
    size_t size[16];
} bound;

static void on_bind(void *ud, int idx, int c_type, int sql_type, size_t column_size)
{
    bound *b = ud;
    if (b->n < 16 && idx == b->n) {
        b->ctype[b->n] = c_type;
        b->sqltype[b->n] = sql_type;
        b->size[b->n] = column_size;
        b->n++;
    }
}

#    define ASSERT_BOUND(b, i, c, t)               \
        do {                                       \
            assert_true((b).n > (i));              \
            assert_int_equal((b).ctype[i], (c));   \
            assert_int_equal((b).sqltype[i], (t)); \
        } while (0)

/* text with two-, three- and four-byte UTF-8 (a surrogate pair in UTF-16) */
#    define NON_ASCII "Gr\xc3\xbc\xc3\x9f \xe2\x98\x83 \xf0\x9d\x84\x9e \xe6\x97\xa5\xe6\x9c\xac"

static void expect_text(sqlalc_conn *c, sqlalc_table *t, const char *col, int64_t id, const char *want)
{
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(sqlalc_c(t, col)), sqlalc_eq(sqlalc_c(t, "id"), sqlalc_int(id)));
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute(c, q, NULL, &res));
    sqlalc_stmt_free(q);
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    const char *got;
    size_t len;
    assert_ok(sqlalc_row_get_text(row, 0, &got, &len));
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    sqlalc_result_free(res);
}

/* Issue 15.2: a string parameter is NVARCHAR (UTF-16, SQL_C_WCHAR) only
 * when it targets a Unicode column, VARCHAR otherwise (on SQL Server an
 * NVARCHAR value makes a VARCHAR column's index useless); the long types
 * past 4,000 characters / 8,000 bytes.  Asserted on the SQL type the
 * driver asks SQLBindParameter for, and by round trips of non-ASCII
 * text through both kinds of column. */
static void test_bind_types(void **state)
{
    (void)state;
    if (!eng)
        skip();
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "odbc_nv", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(60), 0), sqlalc_column("title", sqlalc_type_unicode(60), 0),
        sqlalc_column("body", sqlalc_type_unicode_text(), 0), sqlalc_column("note", sqlalc_type_text(), 0));
    assert_non_null(t);
    test_exec_quiet(eng, "DROP TABLE odbc_nv");
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));

    /* one row: id, VARCHAR name, NVARCHAR title, short body and note */
    bound b = { 0 };
    sqlalc_odbc_set_bind_trace(on_bind, &b);
    sqlalc_stmt *ins = sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(1)),
                                                                  SQLALC_KV("name", sqlalc_str(NON_ASCII)),
                                                                  SQLALC_KV("title", sqlalc_str(NON_ASCII)),
                                                                  SQLALC_KV("body", sqlalc_str(NON_ASCII)),
                                                                  SQLALC_KV("note", sqlalc_str("n"))));
    assert_ok(sqlalc_conn_execute(c, ins, NULL, NULL));
    sqlalc_stmt_free(ins);
    assert_int_equal(b.n, 5);
    ASSERT_BOUND(b, 0, SQL_C_SBIGINT, SQL_BIGINT);
    ASSERT_BOUND(b, 1, SQL_C_CHAR, SQL_VARCHAR);
    ASSERT_BOUND(b, 2, SQL_C_WCHAR, SQL_WVARCHAR);
    ASSERT_BOUND(b, 3, SQL_C_WCHAR, SQL_WVARCHAR);
    ASSERT_BOUND(b, 4, SQL_C_CHAR, SQL_VARCHAR);
    /* the bounded types are bound at their whole size (4,000 / 8,000), the
     * same for every value, so a binding is reused row after row */
    assert_int_equal(b.size[2], 4000);
    assert_int_equal(b.size[1], 8000);

    /* long values: 4,001 characters of a Unicode column, 8,001 bytes of a
     * plain one; exactly 4,000 / 8,000 keep the bounded types */
    size_t nlong = 9000;
    char *longtext = malloc(nlong * 3 + 1);
    assert_non_null(longtext);
    for (size_t i = 0; i < nlong; i++)
        memcpy(longtext + 3 * i, "\xe2\x82\xac", 3); /* the euro sign: 3 bytes, 1 unit */
    longtext[nlong * 3] = 0;
    char *ascii = malloc(8002);
    assert_non_null(ascii);
    memset(ascii, 'a', 8001);
    ascii[8001] = 0;
    struct {
        size_t body_chars, note_bytes;
        int body_type, note_type;
    } cases[] = {
        { 4000, 8000, SQL_WVARCHAR, SQL_VARCHAR },
        { 4001, 8001, SQL_WLONGVARCHAR, SQL_LONGVARCHAR },
    };
    for (int k = 0; k < 2; k++) {
        b.n = 0;
        char save_b = longtext[cases[k].body_chars * 3], save_n = ascii[cases[k].note_bytes];
        longtext[cases[k].body_chars * 3] = 0;
        ascii[cases[k].note_bytes] = 0;
        ins = sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(10 + k)),
                                                         SQLALC_KV("body", sqlalc_str(longtext)),
                                                         SQLALC_KV("note", sqlalc_str(ascii))));
        assert_ok(sqlalc_conn_execute(c, ins, NULL, NULL));
        sqlalc_stmt_free(ins);
        ASSERT_BOUND(b, 1, SQL_C_WCHAR, cases[k].body_type);
        ASSERT_BOUND(b, 2, SQL_C_CHAR, cases[k].note_type);
        assert_int_equal(b.size[1], cases[k].body_chars);
        assert_int_equal(b.size[2], cases[k].note_bytes);
        sqlalc_odbc_set_bind_trace(NULL, NULL);
        expect_text(c, t, "body", 10 + k, longtext);
        expect_text(c, t, "note", 10 + k, ascii);
        sqlalc_odbc_set_bind_trace(on_bind, &b);
        longtext[cases[k].body_chars * 3] = save_b;
        ascii[cases[k].note_bytes] = save_n;
    }

    /* executemany: the column types reach every row's binds */
    b.n = 0;
    sqlalc_stmt *many = sqlalc_insert(t);
    sqlalc_params sets[2] = {
        *SQLALC_PARAMS(SQLALC_P_INT("id", 2), SQLALC_P_TEXT("name", "plain"),
                       SQLALC_P_TEXT("title", NON_ASCII)),
        *SQLALC_PARAMS(SQLALC_P_INT("id", 3), SQLALC_P_TEXT("name", "plain"), SQLALC_P_TEXT("title", "x")),
    };
    assert_ok(sqlalc_conn_execute_many(c, many, sets, 2, NULL));
    sqlalc_stmt_free(many);
    ASSERT_BOUND(b, 1, SQL_C_CHAR, SQL_VARCHAR);
    ASSERT_BOUND(b, 2, SQL_C_WCHAR, SQL_WVARCHAR);

    /* a comparison takes the column's type: NVARCHAR against title, VARCHAR against name */
    b.n = 0;
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id")),
                                   sqlalc_and(sqlalc_eq(sqlalc_c(t, "title"), sqlalc_str(NON_ASCII)),
                                              sqlalc_eq(sqlalc_c(t, "name"), sqlalc_str(NON_ASCII))));
    sqlalc_result *res = NULL;
    assert_ok(sqlalc_conn_execute(c, q, NULL, &res));
    sqlalc_stmt_free(q);
    assert_int_equal(test_result_int64(res), 1);
    ASSERT_BOUND(b, 0, SQL_C_WCHAR, SQL_WVARCHAR);
    ASSERT_BOUND(b, 1, SQL_C_CHAR, SQL_VARCHAR);

    /* raw SQL says nothing of its columns: VARCHAR */
    b.n = 0;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT id FROM odbc_nv WHERE name = :n",
                                      SQLALC_PARAMS(SQLALC_P_TEXT("n", NON_ASCII)), &res));
    assert_int_equal(test_result_int64(res), 1);
    ASSERT_BOUND(b, 0, SQL_C_CHAR, SQL_VARCHAR);
    sqlalc_odbc_set_bind_trace(NULL, NULL);

    /* the text comes back as it went in, through both kinds of column */
    expect_text(c, t, "name", 1, NON_ASCII);
    expect_text(c, t, "title", 1, NON_ASCII);
    expect_text(c, t, "body", 1, NON_ASCII);
    expect_text(c, t, "title", 2, NON_ASCII);

    /* invalid UTF-8 for a Unicode column: a clear data error */
    ins = sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(4)),
                                                     SQLALC_KV("title", sqlalc_str("bad \xc3("))));
    assert_int_equal(sqlalc_conn_execute(c, ins, NULL, NULL), SQLALC_ERR_DATA);
    assert_non_null(strstr(sqlalc_errmsg(), "UTF-8"));
    sqlalc_stmt_free(ins);

    free(longtext);
    free(ascii);
    sqlalc_conn_close(c);
    test_exec(eng, "DROP TABLE odbc_nv");
    sqlalc_metadata_free(md);
}
#else
static void test_bind_types(void **state)
{
    (void)state;
    skip();
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_version_from_wire),
        cmocka_unit_test(test_freetds_closed_port),
        cmocka_unit_test(test_multiple_results),
        cmocka_unit_test(test_catalog_reflection),
        cmocka_unit_test(test_bind_types),
        cmocka_unit_test(test_scope_identity_batch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

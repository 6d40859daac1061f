/*
 * The plugin API: versioned driver and dialect tables (a version-1 table
 * still works and only its fields are read), the SQL the engine takes
 * from dialect hooks (transactions, savepoints, last inserted id), and the
 * per-dialect texts of those hooks.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"
#include "util/util.h"
#include "sql/expr_int.h"

/* ---- a driver table as a version-1 plugin laid it out ---- */
typedef struct driver_v1 {
    unsigned version;
    const char *name;
    const char *default_dialect;
    int paramstyle;
    int (*connect)(const sqlalc_url *url, void **out_conn);
    void (*close)(void *conn);
    int (*ping)(void *conn);
    int (*exec_simple)(void *conn, const char *sql);
    int (*prepare)(void *conn, const char *sql, size_t len, int nparams, void **out_stmt);
    int (*bind)(void *stmt, int idx, const sqlalc_value *v);
    int (*step)(void *stmt);
    int (*reset)(void *stmt);
    void (*finalize)(void *stmt);
    int (*column_count)(void *stmt);
    const char *(*column_name)(void *stmt, int i);
    const char *(*column_decltype)(void *stmt, int i);
    int (*column_value)(void *stmt, int i, sqlalc_value *out);
    int (*column_int64)(void *stmt, int i, int64_t *out);
    int64_t (*rowcount)(void *stmt);
    int (*last_insert_id)(void *conn, int64_t *out);
    int (*begin)(void *conn);
    int (*commit)(void *conn);
    int (*rollback)(void *conn);
    int (*savepoint)(void *conn, const char *name);
    int (*release_savepoint)(void *conn, const char *name);
    int (*rollback_to_savepoint)(void *conn, const char *name);
    int (*exec_batch)(void *stmt, const sqlalc_value *values, size_t nsets, int nparams, int64_t *rowcount);
} driver_v1;

/* ---- a dialect table of version 1 ---- */
typedef struct dialect_v1 {
    unsigned version;
    const char *name;
    const char *default_driver;
    char quote_open, quote_close;
    int (*is_reserved)(const char *word);
    int max_params;
    unsigned transactional_ddl : 1;
    unsigned supports_returning : 1;
    unsigned supports_savepoints : 1;
    const sqlalc_compile_hooks *compile;
    const sqlalc_ddl_hooks *ddl;
    const sqlalc_reflect_hooks *reflect;
} dialect_v1;

/* The old table sits at the end of a page-sized region filled with a
 * marker, so reading past it would show as garbage function pointers. */
static struct {
    driver_v1 drv;
    unsigned char after[256];
} v1d;
static struct {
    dialect_v1 dia;
    unsigned char after[256];
} v1a;

static int execs; /* exec_simple calls through the wrapped driver */
static const sqlalc_driver *real;
static int wrap_exec(void *c, const char *sql)
{
    execs++;
    return real->exec_simple(c, sql);
}

static char dbpath[256];

static void make_v1_tables(void)
{
    real = sqlalc_find_driver("sqlite3");
    assert_non_null(real);
    memset(&v1d, 0xA5, sizeof v1d);
    driver_v1 *d = &v1d.drv;
    d->version = 1;
    d->name = "oldlite";
    d->default_dialect = "oldsql";
    d->paramstyle = SQLALC_PARAMSTYLE_QMARK;
    d->connect = real->connect;
    d->close = real->close;
    d->ping = real->ping;
    d->exec_simple = wrap_exec;
    d->prepare = real->prepare;
    d->bind = real->bind;
    d->step = real->step;
    d->reset = real->reset;
    d->finalize = real->finalize;
    d->column_count = real->column_count;
    d->column_name = real->column_name;
    d->column_decltype = real->column_decltype;
    d->column_value = real->column_value;
    d->column_int64 = real->column_int64;
    d->rowcount = real->rowcount;
    d->last_insert_id = NULL; /* the dialect has no query either: not supported */
    d->begin = d->commit = d->rollback = NULL;
    d->savepoint = d->release_savepoint = d->rollback_to_savepoint = NULL;
    d->exec_batch = NULL;

    const sqlalc_dialect *lite = sqlalc_find_dialect("sqlite");
    memset(&v1a, 0xA5, sizeof v1a);
    dialect_v1 *a = &v1a.dia;
    a->version = 1;
    a->name = "oldsql";
    a->default_driver = "oldlite";
    a->quote_open = a->quote_close = '"';
    a->is_reserved = lite->is_reserved;
    a->max_params = 999;
    a->transactional_ddl = 1;
    a->supports_returning = 0;
    a->supports_savepoints = 1;
    a->compile = lite->compile;
    a->ddl = lite->ddl;
    a->reflect = lite->reflect;
}

static void test_version1_tables_work(void **state)
{
    (void)state;
    make_v1_tables();
    assert_ok(sqlalc_register_driver((const sqlalc_driver *)&v1d.drv));
    assert_ok(sqlalc_register_dialect((const sqlalc_dialect *)&v1a.dia));
    const sqlalc_driver *got = sqlalc_find_driver("oldlite");
    assert_non_null(got);
    /* Fields version 1 lacks read as absent, not as the bytes after it. */
    assert_null(got->column_double);
    assert_null(got->column_text);
    assert_int_equal(got->max_params, 0);
    assert_null(got->server_dialect);
    assert_int_equal(got->capabilities, 0);
    assert_null(got->private_database);
    assert_null(got->transaction_state);
    const sqlalc_dialect *gd = sqlalc_find_dialect("oldsql");
    assert_non_null(gd);
    assert_null(gd->begin_sql);
    assert_null(gd->savepoint_sql);
    assert_null(gd->last_insert_id_sql);
    assert_null(gd->connect_sql);

    snprintf(dbpath, sizeof dbpath, "/tmp/sqlalc_unit_plugin_%d.db", (int)getpid());
    unlink(dbpath);
    char url[320];
    snprintf(url, sizeof url, "oldsql:///%s", dbpath);
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create(url, NULL, &eng));
    sqlalc_conn *conn;
    assert_ok(sqlalc_engine_connect(eng, &conn));
    assert_ok(sqlalc_conn_execute_sql(conn, "CREATE TABLE t (x INTEGER)", NULL, NULL));
    execs = 0;
    /* Transactions and savepoints: the standard statements, run through exec_simple. */
    sqlalc_tx *tx, *sp;
    assert_ok(sqlalc_conn_begin(conn, &tx));
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO t VALUES (1)", NULL, NULL));
    assert_ok(sqlalc_conn_begin_nested(conn, &sp));
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO t VALUES (2)", NULL, NULL));
    assert_ok(sqlalc_tx_rollback(sp)); /* ROLLBACK TO + RELEASE */
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(execs, 5); /* BEGIN, SAVEPOINT, ROLLBACK TO, RELEASE, COMMIT */
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(conn, "SELECT count(*), max(x) FROM t", NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    assert_int_equal(sqlalc_row_int64(row, 1), 1);
    /* No driver id and no dialect query: a clear "not supported". */
    int64_t id;
    assert_code(sqlalc_result_last_insert_id(res, &id), SQLALC_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(sqlalc_errmsg(), "oldsql"));
    sqlalc_result_free(res);
    /* executemany keeps all-or-nothing through the same statements. */
    sqlalc_params sets[] = { { 1, (sqlalc_param[]){ SQLALC_P_INT("x", 7) } },
                             { 1, (sqlalc_param[]){ SQLALC_P_INT("x", 8) } } };
    int64_t n;
    assert_ok(sqlalc_conn_execute_sql_many(conn, "INSERT INTO t VALUES (:x)", sets, 2, &n));
    assert_int_equal(n, 2);
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
    unlink(dbpath);
}

static void test_version_out_of_range(void **state)
{
    (void)state;
    make_v1_tables();
    v1d.drv.version = 0;
    assert_code(sqlalc_register_driver((const sqlalc_driver *)&v1d.drv), SQLALC_ERR_ARGUMENT);
    v1d.drv.version = SQLALC_DRIVER_VERSION + 1;
    assert_code(sqlalc_register_driver((const sqlalc_driver *)&v1d.drv), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "version"));
    v1a.dia.version = SQLALC_DIALECT_VERSION + 1;
    assert_code(sqlalc_register_dialect((const sqlalc_dialect *)&v1a.dia), SQLALC_ERR_ARGUMENT);
    /* A driver that neither begins natively nor runs plain SQL cannot work. */
    v1d.drv.version = 1;
    v1d.drv.exec_simple = NULL;
    assert_code(sqlalc_register_driver((const sqlalc_driver *)&v1d.drv), SQLALC_ERR_ARGUMENT);
}

/* ---- a current dialect whose hooks write the engine's SQL ---- */
static int spy_begins, spy_savepoints[3];
static int spy_begin(sqlalc_sql_text *out, const char *isolation, int readonly, int begin)
{
    (void)isolation;
    (void)readonly;
    spy_begins++;
    if (begin)
        sqlalc_sql_text_puts(out, "BEGIN IMMEDIATE");
    return SQLALC_OK;
}
static int spy_savepoint(sqlalc_sql_text *out, int op, const char *name)
{
    static const char *const verbs[] = { "SAVEPOINT", "RELEASE", "ROLLBACK TO" };
    spy_savepoints[op]++;
    sqlalc_sql_text_printf(out, "%s %s", verbs[op], name);
    return SQLALC_OK;
}

static void test_dialect_hooks_drive_the_engine(void **state)
{
    (void)state;
    sqlalc_dialect spy = *sqlalc_find_dialect("sqlite");
    spy.name = "spysql";
    spy.begin_sql = spy_begin;
    spy.savepoint_sql = spy_savepoint;
    spy.last_insert_id_sql = "SELECT 4242";
    assert_ok(sqlalc_register_dialect(&spy));
    /* The registry keeps its own copy. */
    spy.begin_sql = NULL;
    /* A driver without its own last_insert_id: the dialect's query answers. */
    sqlalc_driver drv = *sqlalc_find_driver("sqlite3");
    drv.name = "spylite";
    drv.last_insert_id = NULL;
    assert_ok(sqlalc_register_driver(&drv));

    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create("spysql+spylite://", NULL, &eng));
    sqlalc_conn *conn;
    assert_ok(sqlalc_engine_connect(eng, &conn));
    assert_ok(sqlalc_conn_execute_sql(conn, "CREATE TABLE t (x INTEGER)", NULL, NULL));
    sqlalc_tx *tx, *sp;
    assert_ok(sqlalc_conn_begin(conn, &tx));
    assert_ok(sqlalc_conn_begin_nested(conn, &sp));
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO t VALUES (1)", NULL, NULL));
    assert_ok(sqlalc_tx_commit(sp));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(conn, "INSERT INTO t VALUES (2)", NULL, &res));
    int64_t id = 0;
    assert_ok(sqlalc_result_last_insert_id(res, &id));
    assert_int_equal(id, 4242);
    sqlalc_result_free(res);
    assert_ok(sqlalc_tx_commit(tx));
    assert_int_equal(spy_begins, 1);
    assert_int_equal(spy_savepoints[SQLALC_SAVEPOINT_CREATE], 1);
    assert_int_equal(spy_savepoints[SQLALC_SAVEPOINT_RELEASE], 1);
    assert_int_equal(spy_savepoints[SQLALC_SAVEPOINT_ROLLBACK], 0);
    /* The memory database is private to its connection: one per thread. */
    sqlalc_conn *again;
    assert_ok(sqlalc_engine_connect(eng, &again));
    assert_ok(sqlalc_conn_execute_sql(again, "SELECT count(*) FROM t", NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 2);
    sqlalc_result_free(res);
    sqlalc_conn_close(again);
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
}

/* What each built-in dialect's hooks write. */
static char *hook_text(int (*fn)(sqlalc_sql_text *, int, const char *), int op, int *rc)
{
    sqlalc_sql_text t = { SQLALC_BUF_INIT };
    *rc = fn(&t, op, "sp_1");
    return sqlalc_buf_detach(&t.b);
}

static char *begin_text(const sqlalc_dialect *d, const char *iso, int ro, int begin, int *rc)
{
    sqlalc_sql_text t = { SQLALC_BUF_INIT };
    *rc = d->begin_sql(&t, iso, ro, begin);
    return sqlalc_buf_detach(&t.b);
}

static void expect_begin(const char *dialect, const char *iso, int ro, int begin, const char *want)
{
    int rc;
    char *s = begin_text(sqlalc_find_dialect(dialect), iso, ro, begin, &rc);
    if (!want) {
        assert_int_equal(rc, SQLALC_ERR_NOT_SUPPORTED);
    } else {
        assert_int_equal(rc, SQLALC_OK);
        assert_string_equal(s ? s : "", want);
    }
    sqlalc_free(s);
}

static void test_hook_texts(void **state)
{
    (void)state;
    const sqlalc_dialect *ms = sqlalc_find_dialect("mssql");
    int rc;
    char *s = hook_text(ms->savepoint_sql, SQLALC_SAVEPOINT_CREATE, &rc);
    assert_string_equal(s, "SAVE TRANSACTION sp_1");
    sqlalc_free(s);
    s = hook_text(ms->savepoint_sql, SQLALC_SAVEPOINT_RELEASE, &rc);
    assert_true(!s || !*s); /* SQL Server has no RELEASE */
    sqlalc_free(s);
    s = hook_text(ms->savepoint_sql, SQLALC_SAVEPOINT_ROLLBACK, &rc);
    assert_string_equal(s, "ROLLBACK TRANSACTION sp_1");
    sqlalc_free(s);
    assert_string_equal(ms->last_insert_id_sql, "SELECT CAST(@@IDENTITY AS BIGINT)");
    assert_string_equal(sqlalc_find_dialect("postgresql")->last_insert_id_sql, "SELECT lastval()");
    assert_string_equal(sqlalc_find_dialect("sqlite")->last_insert_id_sql, "SELECT last_insert_rowid()");

    expect_begin("postgresql", NULL, 0, 1, "BEGIN");
    expect_begin("postgresql", "SERIALIZABLE", 1, 1, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY");
    expect_begin("postgresql", "READ COMMITTED", 0, 0, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
    expect_begin("postgresql", NULL, 0, 0, "");
    expect_begin("postgresql", "SNAPSHOT", 0, 1, NULL);
    expect_begin("mssql", "SNAPSHOT", 0, 1, "SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION");
    expect_begin("mssql", "READ COMMITTED", 0, 0, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
    expect_begin("mssql", NULL, 1, 1, NULL);
    expect_begin("sqlite", NULL, 0, 1, "BEGIN");
    expect_begin("sqlite", "SERIALIZABLE", 0, 1, "BEGIN");
    expect_begin("sqlite", "READ COMMITTED", 0, 1, NULL);
    expect_begin("sqlite", NULL, 1, 1, NULL);

    /* SQLite's URL pragmas are the dialect's connect statements. */
    sqlalc_url *u;
    assert_ok(sqlalc_url_parse("sqlite:///x.db?journal_mode=wal&foreign_keys=on", &u));
    sqlalc_sql_text t = { SQLALC_BUF_INIT };
    assert_ok(sqlalc_find_dialect("sqlite")->connect_sql(&t, u));
    s = sqlalc_buf_detach(&t.b);
    assert_string_equal(s, "PRAGMA journal_mode=wal;PRAGMA foreign_keys=on;");
    sqlalc_free(s);
    sqlalc_url_free(u);
    assert_ok(sqlalc_url_parse("sqlite:///x.db?synchronous=off;drop", &u));
    sqlalc_sql_text t2 = { SQLALC_BUF_INIT };
    assert_int_equal(sqlalc_find_dialect("sqlite")->connect_sql(&t2, u), SQLALC_ERR_ARGUMENT);
    sqlalc_buf_free(&t2.b);
    sqlalc_url_free(u);
}

/* Options structs: any version up to the current one; newer ones are
 * refused with a message saying so; the library's version in one place. */
static void test_options_versions(void **state)
{
    (void)state;
    sqlalc_engine *eng = NULL;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.version = 1; /* the oldest layout */
    o.pool_size = 2;
    assert_ok(sqlalc_engine_create("sqlite://", &o, &eng));
    sqlalc_engine_free(eng);
    o.version = SQLALC_ENGINE_OPTIONS_VERSION + 1;
    assert_code(sqlalc_engine_create("sqlite://", &o, &eng), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "newer libsqlalc"));
    o.version = 0;
    assert_code(sqlalc_engine_create("sqlite://", &o, &eng), SQLALC_ERR_ARGUMENT);
    sqlalc_reflect_options ro = SQLALC_REFLECT_OPTIONS_INIT;
    ro.version = SQLALC_REFLECT_OPTIONS_VERSION + 1;
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_ok(sqlalc_engine_create("sqlite://", NULL, &eng));
    assert_code(sqlalc_metadata_reflect(md, eng, &ro), SQLALC_ERR_ARGUMENT);
    ro.version = 1;
    assert_ok(sqlalc_metadata_reflect(md, eng, &ro));
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);

    assert_string_equal(sqlalc_libversion(), SQLALC_VERSION);
    assert_int_equal(sqlalc_libversion_number(), SQLALC_VERSION_NUMBER);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SQLALC_VERSION_MAJOR, SQLALC_VERSION_MINOR, SQLALC_VERSION_PATCH);
    assert_string_equal(SQLALC_VERSION, want);
    assert_int_equal(SQLALC_VERSION_NUMBER,
                     SQLALC_VERSION_MAJOR * 1000000 + SQLALC_VERSION_MINOR * 1000 + SQLALC_VERSION_PATCH);
}

/* The k-row form of a one-row INSERT, built from the tree. */
static void test_multirow_compile(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(md, "t", sqlalc_column("a", sqlalc_type_integer(), 0),
                                       sqlalc_column("b", sqlalc_type_string(10), 0));
    sqlalc_stmt *ins = sqlalc_insert(t);
    struct sqlalc_compiled *c;
    assert_ok(sqlalc__compile_repeat((sqlalc_expr *)ins, sqlalc_find_dialect("postgresql"),
                                     SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, 3, &c));
    assert_string_equal(c->sql, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)");
    assert_int_equal(c->nparams, 6);
    assert_string_equal(c->names + c->params[4].name_off, "a");
    assert_string_equal(c->names + c->params[5].name_off, "b");
    sqlalc_compiled_free(c);
    sqlalc_stmt *one = sqlalc_values(
        sqlalc_insert(t), SQLALC_KVS({ "a", sqlalc_bindparam_required("x") }, { "b", sqlalc_str("k") }));
    assert_ok(sqlalc__compile_repeat((sqlalc_expr *)one, sqlalc_find_dialect("sqlite"),
                                     SQLALC_PARAMSTYLE_QMARK, 2, &c));
    assert_string_equal(c->sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    assert_string_equal(c->names + c->params[2].name_off, "x");
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(one);
    sqlalc_stmt_free(ins);
    sqlalc_metadata_free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version1_tables_work),
        cmocka_unit_test(test_version_out_of_range),
        cmocka_unit_test(test_dialect_hooks_drive_the_engine),
        cmocka_unit_test(test_hook_texts),
        cmocka_unit_test(test_multirow_compile),
        cmocka_unit_test(test_options_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

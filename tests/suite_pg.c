/*
 * PostgreSQL-specific tests (libpq driver): the driver through its vtable,
 * every type both ways, errors with their fields, URL keywords, multi-host
 * and unix sockets, streaming with interleaved commands, batches, COPY,
 * and a backend terminated mid-transaction.  Skipped (all of them) when
 * SQLALC_TEST_URL is not a postgresql URL.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"
#include "sqlalc/postgresql.h"

static sqlalc_engine *eng;

static int setup(void **state)
{
    (void)state;
    eng = test_engine();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlalc_engine_free(eng);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The driver directly through the vtable                              */
/* ------------------------------------------------------------------ */

static void test_vtable_direct(void **state)
{
    (void)state;
    const sqlalc_driver *d = sqlalc_find_driver("libpq");
    assert_non_null(d);
    sqlalc_url *url;
    assert_ok(sqlalc_url_parse(test_url(), &url));
    void *c = NULL, *st = NULL;
    assert_ok(d->connect(url, &c));
    sqlalc_url_free(url);
    assert_ok(d->ping(c));
    assert_ok(d->exec_simple(c, "DROP TABLE IF EXISTS pg_vt"));
    assert_ok(d->exec_simple(c, "CREATE TABLE pg_vt (id int PRIMARY KEY, name text, w float8)"));
    assert_ok(d->exec_simple(c, "BEGIN"));
    static const char ins[] = "INSERT INTO pg_vt VALUES ($1, $2, $3)";
    assert_ok(d->prepare(c, ins, strlen(ins), 3, &st));
    for (int i = 1; i <= 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        sqlalc_value v[3] = { SQLALC_INTV(i), SQLALC_TEXTV(name),
                              i == 2 ? SQLALC_NULLV : SQLALC_FLOATV(i * 1.5) };
        for (int k = 0; k < 3; k++)
            assert_ok(d->bind(st, k, &v[k]));
        assert_int_equal(d->step(st), SQLALC_DONE);
        assert_int_equal(d->rowcount(st), 1);
        assert_ok(d->reset(st));
    }
    d->finalize(st);
    /* transactions and savepoints are the dialect's SQL, run as plain commands */
    assert_null(d->begin);
    assert_null(d->savepoint);
    assert_ok(d->exec_simple(c, "SAVEPOINT sp1"));
    assert_ok(d->exec_simple(c, "DELETE FROM pg_vt"));
    assert_ok(d->exec_simple(c, "ROLLBACK TO SAVEPOINT sp1"));
    assert_ok(d->exec_simple(c, "RELEASE SAVEPOINT sp1"));
    assert_ok(d->exec_simple(c, "COMMIT"));

    static const char sel[] = "SELECT id, name, w FROM pg_vt WHERE id >= $1 ORDER BY id";
    assert_ok(d->prepare(c, sel, strlen(sel), 1, &st));
    sqlalc_value one = SQLALC_INTV(1);
    assert_ok(d->bind(st, 0, &one));
    int n = 0;
    int rc;
    while ((rc = d->step(st)) == SQLALC_ROW) {
        n++;
        assert_int_equal(d->column_count(st), 3);
        assert_string_equal(d->column_name(st, 1), "name");
        assert_string_equal(d->column_decltype(st, 0), "INTEGER");
        int64_t id;
        assert_ok(d->column_int64(st, 0, &id));
        assert_int_equal(id, n);
        sqlalc_value v;
        assert_ok(d->column_value(st, 2, &v));
        if (n == 2)
            assert_int_equal(v.type, SQLALC_V_NULL);
        else {
            assert_int_equal(v.type, SQLALC_V_FLOAT);
            assert_true(v.u.f == n * 1.5);
        }
    }
    assert_int_equal(rc, SQLALC_DONE);
    assert_int_equal(n, 3);
    d->finalize(st);
    assert_ok(d->exec_simple(c, "DROP TABLE pg_vt"));
    d->close(c);
}

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

static void test_types_round_trip(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_types");
    test_exec_quiet(eng, "DROP TYPE IF EXISTS pg_mood");
    test_exec(eng, "CREATE TYPE pg_mood AS ENUM ('sad', 'ok', 'happy')");
    test_exec(eng, "CREATE TABLE pg_types (b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, "
                   "n numeric(20,6), t text, vc varchar(10), ch char(4), by bytea, d date, tm time, "
                   "ts timestamp, tz timestamptz, iv interval, u uuid, j json, jb jsonb, m pg_mood)");
    static const unsigned char blob[] = { 0, 'a', 0xff, '\\', 0, 'x' };
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_execute_sql(c, "SET TIME ZONE 'UTC'", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(
        c,
        "INSERT INTO pg_types VALUES (:b, :i2, :i4, :i8, :f4, :f8, :n, :t, :vc, :ch, :by, :d, :tm, :ts, :tz, :iv, "
        ":u, :j, :jb, :m)",
        SQLALC_PARAMS(
            SQLALC_P_BOOL("b", 1), SQLALC_P_INT("i2", -7), SQLALC_P_INT("i4", 2147483647),
            SQLALC_P_INT("i8", INT64_MIN), SQLALC_P_FLOAT("f4", 1.5), SQLALC_P_FLOAT("f8", -0.1),
            SQLALC_P_NUMERIC("n", "12345678901234.123456"), SQLALC_P_TEXT("t", "tab\there \xe2\x82\xac"),
            SQLALC_P_TEXT("vc", "short"), SQLALC_P_TEXT("ch", "ab"), SQLALC_P_BLOB("by", blob, sizeof blob),
            SQLALC_P_DATE("d", "2024-02-29"), SQLALC_P_TIME("tm", "13:45:01.5"),
            SQLALC_P_DATETIME("ts", "2024-02-29 13:45:01.123456"),
            SQLALC_P_DATETIME("tz", "2024-02-29 13:45:01+02:00"),
            SQLALC_P("iv", SQLALC_TYPEDV(SQLALC_V_INTERVAL, "1 day 02:00:00")),
            SQLALC_P("u", SQLALC_TYPEDV(SQLALC_V_UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
            SQLALC_P("j", SQLALC_TYPEDV(SQLALC_V_JSON, "{\"a\": [1, 2]}")),
            SQLALC_P("jb", SQLALC_TYPEDV(SQLALC_V_JSON, "{\"b\": true}")), SQLALC_P_TEXT("m", "happy")),
        NULL));
    /* and a row of NULLs everywhere */
    assert_ok(sqlalc_conn_execute_sql(
        c,
        "INSERT INTO pg_types VALUES (:b, :i2, :i4, :i8, :f4, :f8, :n, :t, :vc, :ch, :by, :d, :tm, :ts, :tz, :iv, "
        ":u, :j, :jb, :m)",
        SQLALC_PARAMS(SQLALC_P_NULL("b"), SQLALC_P_NULL("i2"), SQLALC_P_NULL("i4"), SQLALC_P_NULL("i8"),
                      SQLALC_P_NULL("f4"), SQLALC_P_NULL("f8"), SQLALC_P_NULL("n"), SQLALC_P_NULL("t"),
                      SQLALC_P_NULL("vc"), SQLALC_P_NULL("ch"), SQLALC_P_NULL("by"), SQLALC_P_NULL("d"),
                      SQLALC_P_NULL("tm"), SQLALC_P_NULL("ts"), SQLALC_P_NULL("tz"), SQLALC_P_NULL("iv"),
                      SQLALC_P_NULL("u"), SQLALC_P_NULL("j"), SQLALC_P_NULL("jb"), SQLALC_P_NULL("m")),
        NULL));
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT * FROM pg_types ORDER BY i2 NULLS LAST", NULL, &res));
    const sqlalc_row *row;
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    static const struct {
        sqlalc_vtype t;
        const char *text;
    } want[] = {
        { SQLALC_V_BOOL, NULL },
        { SQLALC_V_INT, "-7" },
        { SQLALC_V_INT, "2147483647" },
        { SQLALC_V_INT, "-9223372036854775808" },
        { SQLALC_V_FLOAT, NULL },
        { SQLALC_V_FLOAT, NULL },
        { SQLALC_V_NUMERIC, "12345678901234.123456" },
        { SQLALC_V_TEXT, "tab\there \xe2\x82\xac" },
        { SQLALC_V_TEXT, "short" },
        { SQLALC_V_TEXT, "ab  " },
        { SQLALC_V_BLOB, NULL },
        { SQLALC_V_DATE, "2024-02-29" },
        { SQLALC_V_TIME, "13:45:01.5" },
        { SQLALC_V_DATETIME, "2024-02-29 13:45:01.123456" },
        { SQLALC_V_DATETIME, "2024-02-29 11:45:01+00:00" },
        { SQLALC_V_INTERVAL, "1 day 02:00:00" },
        { SQLALC_V_UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" },
        { SQLALC_V_JSON, "{\"a\": [1, 2]}" },
        { SQLALC_V_JSON, "{\"b\": true}" },
        { SQLALC_V_TEXT, "happy" },
    };
    assert_int_equal(sqlalc_result_column_count(res), (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++) {
        sqlalc_value v;
        assert_ok(sqlalc_row_get_value(row, i, &v));
        if (v.type != want[i].t)
            fail_msg("column %d: type %s, want %s", i, sqlalc_vtype_name(v.type),
                     sqlalc_vtype_name(want[i].t));
        if (want[i].text) {
            const char *t;
            assert_ok(sqlalc_row_get_text(row, i, &t, NULL));
            assert_string_equal(t, want[i].text);
        }
    }
    int b;
    assert_ok(sqlalc_row_get_bool(row, 0, &b));
    assert_true(b);
    assert_true(sqlalc_row_double(row, 4) == 1.5);
    assert_true(sqlalc_row_double(row, 5) == -0.1);
    const void *bp;
    size_t bl;
    assert_ok(sqlalc_row_get_blob(row, 10, &bp, &bl));
    assert_int_equal(bl, sizeof blob);
    assert_memory_equal(bp, blob, sizeof blob);
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++)
        assert_true(sqlalc_row_is_null(row, i));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_DONE);
    sqlalc_result_free(res);

    /* typed parameters come back typed (FLOAT, BOOL, NUMERIC, BLOB are sent typed) */
    assert_ok(
        sqlalc_conn_execute_sql(c, "SELECT :f AS f, :b AS b, :n AS n, :by AS by",
                                SQLALC_PARAMS(SQLALC_P_FLOAT("f", 2.25), SQLALC_P_BOOL("b", 0),
                                              SQLALC_P_NUMERIC("n", "0.1"), SQLALC_P_BLOB("by", "\0z", 2)),
                                &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_true(sqlalc_row_double(row, 0) == 2.25);
    assert_ok(sqlalc_row_get_bool(row, 1, &b));
    assert_false(b);
    assert_string_equal(sqlalc_row_text(row, 2), "0.1");
    assert_ok(sqlalc_row_get_blob(row, 3, &bp, &bl));
    assert_int_equal(bl, 2);
    assert_memory_equal(bp, "\0z", 2);
    sqlalc_result_free(res);
    /* a float compared with an integer column is not parsed as integer */
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT count(*) FROM pg_types WHERE i2 < :x",
                                      SQLALC_PARAMS(SQLALC_P_FLOAT("x", -6.5)), &res));
    int64_t cnt;
    cnt = test_result_int64(res);
    assert_int_equal(cnt, 1);
    sqlalc_conn_close(c);
    test_exec(eng, "DROP TABLE pg_types");
    test_exec(eng, "DROP TYPE pg_mood");
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void test_error_fields(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_err");
    test_exec(eng, "CREATE TABLE pg_err (id int CONSTRAINT pg_err_pk PRIMARY KEY, v int CHECK (v > 0))");
    test_exec(eng, "INSERT INTO pg_err VALUES (1, 1)");
    assert_code(sqlalc_engine_execute_sql(eng, "INSERT INTO pg_err VALUES (1, 2)", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    const sqlalc_error *e = sqlalc_error_last();
    assert_string_equal(e->sqlstate, "23505");
    assert_non_null(e->constraint_name);
    assert_string_equal(e->constraint_name, "pg_err_pk");
    assert_non_null(e->detail);
    assert_non_null(strstr(e->detail, "(id)=(1)"));
    assert_non_null(strstr(e->message, "duplicate key"));
    assert_non_null(strstr(e->message, "INSERT INTO pg_err"));
    assert_code(sqlalc_engine_execute_sql(eng, "INSERT INTO pg_err VALUES (2, -1)", NULL, NULL),
                SQLALC_ERR_INTEGRITY);
    assert_string_equal(sqlalc_error_last()->sqlstate, "23514");
    assert_code(sqlalc_engine_execute_sql(eng, "SELEC 1", NULL, NULL), SQLALC_ERR_PROGRAMMING);
    assert_string_equal(sqlalc_error_last()->sqlstate, "42601");
    assert_code(sqlalc_engine_execute_sql(eng, "SELECT 1/0", NULL, NULL), SQLALC_ERR_DATA);
    assert_string_equal(sqlalc_error_last()->sqlstate, "22012");
    assert_code(sqlalc_engine_execute_sql(eng,
                                          "DO $$ BEGIN RAISE EXCEPTION 'try again' USING ERRCODE = '40001', "
                                          "HINT = 'retry the transaction'; END $$",
                                          NULL, NULL),
                SQLALC_ERR_SERIALIZATION);
    e = sqlalc_error_last();
    assert_string_equal(e->sqlstate, "40001");
    assert_non_null(e->hint);
    assert_string_equal(e->hint, "retry the transaction");
    test_exec(eng, "DROP TABLE pg_err");
}

static void test_connect_errors_mask_password(void **state)
{
    (void)state;
    sqlalc_engine *e2;
    sqlalc_conn *c;
    assert_ok(
        sqlalc_engine_create("postgresql://bob:s3cretpw@127.0.0.1:1/nodb?connect_timeout=2", NULL, &e2));
    int rc = sqlalc_engine_connect(e2, &c);
    assert_true(rc == SQLALC_ERR_OPERATIONAL);
    assert_null(strstr(sqlalc_errmsg(), "s3cretpw"));
    assert_non_null(strstr(sqlalc_errmsg(), "postgresql://bob:***@127.0.0.1:1/nodb"));
    sqlalc_engine_free(e2);
    /* an unknown libpq keyword is the caller's mistake */
    char url[512];
    snprintf(url, sizeof url, "%s%sno_such_keyword=1", test_url(), strchr(test_url(), '?') ? "&" : "?");
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    assert_code(sqlalc_engine_connect(e2, &c), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "no_such_keyword"));
    sqlalc_engine_free(e2);
}

/* ------------------------------------------------------------------ */
/* URL keywords, multi-host, unix socket                               */
/* ------------------------------------------------------------------ */

static char *text_scalar(sqlalc_engine *e, const char *sql)
{
    sqlalc_result *res;
    const sqlalc_row *row;
    if (sqlalc_engine_execute_sql(e, sql, NULL, &res) != SQLALC_OK)
        fail_msg("%s: %s", sql, sqlalc_errmsg());
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    const char *t = sqlalc_row_text(row, 0);
    char *s = malloc(strlen(t) + 1);
    strcpy(s, t);
    sqlalc_result_free(res);
    return s;
}

static void test_url_keywords_and_hosts(void **state)
{
    (void)state;
    const sqlalc_url *u = sqlalc_engine_url(eng);
    const char *host = sqlalc_url_host(u), *user = sqlalc_url_username(u), *db = sqlalc_url_database(u);
    int port = sqlalc_url_port(u);
    if (!host || !port)
        skip();
    char url[1024];
    sqlalc_engine *e2;
    /* keywords pass through */
    snprintf(url, sizeof url,
             "postgresql://%s@%s:%d/%s?application_name=sqlalc_test&options=-c%%20work_mem%%3D8MB",
             user ? user : "postgres", host, port, db ? db : "postgres");
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    char *s = text_scalar(e2, "SELECT current_setting('application_name')");
    assert_string_equal(s, "sqlalc_test");
    free(s);
    s = text_scalar(e2, "SHOW work_mem");
    assert_string_equal(s, "8MB");
    free(s);
    sqlalc_engine_free(e2);
    /* SQLAlchemy-style repeated host=h:port, first one dead; target_session_attrs */
    snprintf(url, sizeof url,
             "postgresql://%s@/%s?host=%s:1&host=%s:%d&target_session_attrs=read-write&connect_timeout=3",
             user ? user : "postgres", db ? db : "postgres", host, host, port);
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    s = text_scalar(e2, "SELECT current_setting('port')");
    assert_int_equal(atoi(s), port);
    free(s);
    sqlalc_engine_free(e2);
    /* libpq's own spelling: host=a,b&port=p1,p2 */
    snprintf(url, sizeof url, "postgresql://%s@/%s?host=%s,%s&port=1,%d", user ? user : "postgres",
             db ? db : "postgres", host, host, port);
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    s = text_scalar(e2, "SELECT 'multi'");
    assert_string_equal(s, "multi");
    free(s);
    sqlalc_engine_free(e2);
    /* unix-socket directory as host */
    char *dir = text_scalar(eng, "SELECT split_part(current_setting('unix_socket_directories'), ',', 1)");
    if (dir[0] == '/') {
        snprintf(url, sizeof url, "postgresql://%s@/%s?host=%s&port=%d", user ? user : "postgres",
                 db ? db : "postgres", dir, port);
        assert_ok(sqlalc_engine_create(url, NULL, &e2));
        s = text_scalar(e2, "SELECT coalesce(inet_client_addr()::text, 'local')");
        assert_string_equal(s, "local");
        free(s);
        sqlalc_engine_free(e2);
    }
    free(dir);
}

/* ------------------------------------------------------------------ */
/* Streaming                                                           */
/* ------------------------------------------------------------------ */

static void test_streaming_interleaved(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *big, *other;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT g, 'row ' || g AS s FROM generate_series(1, 50000) g", NULL,
                                      &big));
    int64_t n = 0;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(sqlalc_result_next(big, &row), SQLALC_ROW);
        assert_int_equal(sqlalc_row_int64(row, 0), ++n);
    }
    /* another command on the same connection while rows are pending */
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT 41 + 1", NULL, &other));
    int64_t v;
    v = test_result_int64(other);
    assert_int_equal(v, 42);
    while (sqlalc_result_next(big, &row) == SQLALC_ROW) {
        n++;
        assert_int_equal(sqlalc_row_int64(row, 0), n);
    }
    assert_int_equal(n, 50000);
    sqlalc_result_free(big);
    /* abandoning a result half read leaves the connection usable */
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT g FROM generate_series(1, 1000) g", NULL, &big));
    assert_int_equal(sqlalc_result_next(big, &row), SQLALC_ROW);
    sqlalc_result_free(big);
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT 7", NULL, &other));
    v = test_result_int64(other);
    assert_int_equal(v, 7);
    /* zero rows still describe their columns */
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT 1 AS a, 2 AS b WHERE false", NULL, &big));
    assert_int_equal(sqlalc_result_column_count(big), 2);
    assert_string_equal(sqlalc_result_column_name(big, 1), "b");
    assert_int_equal(sqlalc_result_next(big, &row), SQLALC_DONE);
    sqlalc_result_free(big);
    sqlalc_conn_close(c);
}

/* ------------------------------------------------------------------ */
/* Statements: named prepares, RETURNING, ON CONFLICT                  */
/* ------------------------------------------------------------------ */

static void test_prepared_once_returning_upsert(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_ret");
    test_exec(eng, "CREATE TABLE pg_ret (id serial PRIMARY KEY, k text UNIQUE, n int DEFAULT 0)");
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res;
    const sqlalc_row *row;
    for (int i = 0; i < 5; i++) {
        char k[8];
        snprintf(k, sizeof k, "k%d", i);
        assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO pg_ret (k) VALUES (:k) RETURNING id, k",
                                          SQLALC_PARAMS(SQLALC_P_TEXT("k", k)), &res));
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        assert_int_equal(sqlalc_row_int64(row, 0), i + 1);
        assert_string_equal(sqlalc_row_text_by_name(row, "k"), k);
        sqlalc_result_free(res);
    }
    /* the engine's statement cache + named prepared statements: one PQprepare */
    assert_ok(sqlalc_conn_execute_sql(
        c, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO pg_ret%'", NULL,
        &res));
    int64_t n;
    n = test_result_int64(res);
    assert_int_equal(n, 1);
    /* ON CONFLICT DO NOTHING: no row changed; DO UPDATE: one */
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO pg_ret (k) VALUES (:k) ON CONFLICT (k) DO NOTHING",
                                      SQLALC_PARAMS(SQLALC_P_TEXT("k", "k1")), &res));
    assert_int_equal(sqlalc_result_rowcount(res), 0);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(
        c,
        "INSERT INTO pg_ret (k) VALUES (:k) ON CONFLICT (k) DO UPDATE SET n = pg_ret.n + 1 "
        "RETURNING n",
        SQLALC_PARAMS(SQLALC_P_TEXT("k", "k1")), &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    sqlalc_result_free(res);
    /* last inserted id: lastval(), safe inside a transaction */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO pg_ret (k) VALUES ('z')", NULL, &res));
    int64_t id;
    assert_ok(sqlalc_result_last_insert_id(res, &id));
    assert_int_equal(id, 8); /* 5 rows, an id spent by each ON CONFLICT attempt, then this */
    sqlalc_result_free(res);
    assert_ok(sqlalc_tx_commit(tx));
    sqlalc_conn_close(c);
    test_exec(eng, "DROP TABLE pg_ret");
}

/* A cached statement whose table changed shape is prepared again. */
static void test_stale_plan_reprepared(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_shape");
    test_exec(eng, "CREATE TABLE pg_shape (a int, b text)");
    test_exec(eng, "INSERT INTO pg_shape VALUES (1, 'x')");
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT * FROM pg_shape WHERE a = :a",
                                      SQLALC_PARAMS(SQLALC_P_INT("a", 1)), &res));
    assert_int_equal(sqlalc_result_column_count(res), 2);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "ALTER TABLE pg_shape ADD COLUMN c int DEFAULT 7", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT * FROM pg_shape WHERE a = :a",
                                      SQLALC_PARAMS(SQLALC_P_INT("a", 1)), &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_result_column_count(res), 3);
    assert_int_equal(sqlalc_row_int64(row, 2), 7);
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
    test_exec(eng, "DROP TABLE pg_shape");
}

/* Statements the cache evicts are deallocated on the server (in batches). */
static void test_evicted_statements_deallocated(void **state)
{
    (void)state;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.stmt_cache_size = 4;
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(test_url(), &o, &e2));
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(e2, &c));
    sqlalc_result *res;
    for (int i = 0; i < 200; i++) {
        char q[64];
        snprintf(q, sizeof q, "SELECT %d + :x", i);
        assert_ok(sqlalc_conn_execute_sql(c, q, SQLALC_PARAMS(SQLALC_P_INT("x", 1)), &res));
        int64_t v;
        v = test_result_int64(res);
        assert_int_equal(v, i + 1);
    }
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT count(*) FROM pg_prepared_statements", NULL, &res));
    int64_t n;
    n = test_result_int64(res);
    assert_true(n <= 4 + 32 + 2);
    sqlalc_conn_close(c);
    sqlalc_engine_free(e2);
}

/* ------------------------------------------------------------------ */
/* Batches and COPY                                                    */
/* ------------------------------------------------------------------ */

static void test_executemany_paths(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_many");
    test_exec(eng, "CREATE TABLE pg_many (id int PRIMARY KEY, name text, w float8)");
    enum { N = 2500 };
    sqlalc_param *items = calloc(N * 3, sizeof *items);
    sqlalc_params *sets = calloc(N, sizeof *sets);
    char(*names)[16] = calloc(N, 16);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], 16, "n'%d", i);
        items[i * 3] = SQLALC_P_INT("id", i);
        items[i * 3 + 1] = i % 7 ? SQLALC_P_TEXT("name", names[i]) : SQLALC_P_NULL("name");
        items[i * 3 + 2] = SQLALC_P_FLOAT("w", i / 4.0);
        sets[i] = (sqlalc_params){ 3, items + i * 3 };
    }
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    int64_t count;
    /* multi-row VALUES path */
    assert_ok(sqlalc_conn_execute_sql_many(c, "INSERT INTO pg_many (id, name, w) VALUES (:id, :name, :w)",
                                           sets, N, &count));
    assert_int_equal(count, N);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_many"), N);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_many WHERE name IS NULL"), (N + 6) / 7);
    assert_int_equal(
        test_scalar(eng, "SELECT count(*) FROM pg_many WHERE name = 'n''2501' OR name = 'n''2498'"), 1);
    /* pipeline path: ON CONFLICT keeps per-row semantics */
    assert_ok(sqlalc_conn_execute_sql_many(
        c,
        "INSERT INTO pg_many (id, name, w) VALUES (:id, :name, :w) ON CONFLICT (id) DO UPDATE SET w = excluded.w + 1",
        sets, N, &count));
    assert_int_equal(count, N);
    assert_int_equal(test_scalar(eng, "SELECT CAST(floor(sum(w)) AS bigint) FROM pg_many"),
                     (int64_t)N * (N - 1) / 8 + N);
    /* UPDATE executemany */
    assert_ok(sqlalc_conn_execute_sql_many(
        c, "UPDATE pg_many SET w = 0 WHERE id = :id AND (name = :name OR :name IS NULL OR :w >= 0)", sets, N,
        &count));
    assert_int_equal(count, N);
    /* a failing row: nothing of the batch stays, the error names the rows */
    test_exec(eng, "DELETE FROM pg_many WHERE id >= 1000");
    items[1500 * 3] = SQLALC_P_INT("id", 5); /* duplicate of an existing id */
    assert_code(sqlalc_conn_execute_sql_many(c, "INSERT INTO pg_many (id, name, w) VALUES (:id, :name, :w)",
                                             sets + 1000, N - 1000, &count),
                SQLALC_ERR_INTEGRITY);
    assert_non_null(strstr(sqlalc_errmsg(), "executemany parameter set 500: "));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_many"), 1000);
    /* the connection is fine afterwards, and inside a transaction too */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_execute_sql_many(c, "INSERT INTO pg_many (id, name, w) VALUES (:id, :name, :w)",
                                           sets + 1000, 10, &count));
    assert_ok(sqlalc_tx_rollback(tx));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_many"), 1000);
    sqlalc_conn_close(c);
    free(items);
    free(sets);
    free(names);
    test_exec(eng, "DROP TABLE pg_many");
}

static void test_copy_in(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_copy");
    test_exec(eng, "CREATE TABLE pg_copy (id int PRIMARY KEY, t text, b bytea, ok bool, f float8)");
    enum { N = 3000 };
    sqlalc_value *rows = calloc(N * 5, sizeof *rows);
    static const char odd[] = "tab\t nl\n cr\r bs\\ \\N";
    for (int i = 0; i < N; i++) {
        rows[i * 5] = SQLALC_INTV(i);
        rows[i * 5 + 1] = i % 3 ? SQLALC_TEXTV(odd) : SQLALC_NULLV;
        rows[i * 5 + 2] = SQLALC_BLOBV("\0\\x\n", 4);
        rows[i * 5 + 3] = SQLALC_BOOLV(i & 1);
        rows[i * 5 + 4] = SQLALC_FLOATV(i * 0.5);
    }
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    int64_t count;
    static const char *const cols[] = { "id", "t", "b", "ok", "f" };
    assert_ok(sqlalc_pg_copy_in(c, "pg_copy", cols, 5, rows, N, &count));
    assert_int_equal(count, N);
    assert_ok(sqlalc_pg_copy_in(c, "public.pg_copy", NULL, 5, rows + 5, 0, &count));
    assert_int_equal(count, 0);
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT t, b, ok, f FROM pg_copy WHERE id = 4", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), odd);
    const void *bp;
    size_t bl;
    assert_ok(sqlalc_row_get_blob(row, 1, &bp, &bl));
    assert_int_equal(bl, 4);
    assert_memory_equal(bp, "\0\\x\n", 4);
    int ok;
    assert_ok(sqlalc_row_get_bool(row, 2, &ok));
    assert_false(ok);
    assert_true(sqlalc_row_double(row, 3) == 2.0);
    sqlalc_result_free(res);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_copy WHERE t IS NULL"), N / 3);
    /* a duplicate: integrity error, nothing of this COPY stays */
    rows[10 * 5] = SQLALC_INTV(N + 5);
    assert_code(sqlalc_pg_copy_in(c, "pg_copy", NULL, 5, rows, 20, &count), SQLALC_ERR_INTEGRITY);
    assert_string_equal(sqlalc_error_last()->sqlstate, "23505");
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_copy"), N);
    assert_code(sqlalc_pg_copy_in(c, "no_such_table", NULL, 5, rows, 1, &count), SQLALC_ERR_PROGRAMMING);
    /* the connection still works */
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT 1", NULL, &res));
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
    free(rows);
    test_exec(eng, "DROP TABLE pg_copy");
}

static void test_copy_streamed(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_copy2");
    test_exec(eng, "CREATE TABLE pg_copy2 (id int PRIMARY KEY, t text)");
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_pg_copy *cp;
    assert_ok(sqlalc_pg_copy_begin(c, "pg_copy2", NULL, 2, &cp));
    for (int chunk = 0; chunk < 50; chunk++) {
        char text[100][16];
        sqlalc_value rows[100][2];
        for (int i = 0; i < 100; i++) {
            snprintf(text[i], sizeof text[i], "r%d", chunk * 100 + i);
            rows[i][0] = SQLALC_INTV(chunk * 100 + i);
            rows[i][1] = SQLALC_TEXTV(text[i]);
        }
        assert_ok(sqlalc_pg_copy_put(cp, &rows[0][0], 100));
        if (chunk == 10) /* nothing else runs while the COPY is open */
            assert_code(sqlalc_conn_execute_sql(c, "SELECT 1", NULL, NULL), SQLALC_ERR_INTERFACE);
    }
    int64_t count;
    assert_ok(sqlalc_pg_copy_end(cp, &count));
    assert_int_equal(count, 5000);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_copy2 WHERE t = 'r' || id"), 5000);
    /* abort: none of it stays; inside a transaction rolled back: neither */
    assert_ok(sqlalc_pg_copy_begin(c, "pg_copy2", (const char *const[]){ "id" }, 1, &cp));
    assert_ok(sqlalc_pg_copy_put(cp, (sqlalc_value[]){ SQLALC_INTV(-1), SQLALC_INTV(-2) }, 2));
    sqlalc_pg_copy_abort(cp);
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_pg_copy_in(c, "pg_copy2", (const char *const[]){ "id" }, 1,
                                (sqlalc_value[]){ SQLALC_INTV(-3) }, 1, &count));
    assert_int_equal(count, 1);
    assert_ok(sqlalc_tx_rollback(tx));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_copy2"), 5000);
    sqlalc_result *res;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT 1", NULL, &res));
    sqlalc_result_free(res);
    sqlalc_conn_close(c);
    test_exec(eng, "DROP TABLE pg_copy2");
}

/* ------------------------------------------------------------------ */
/* Reflection in a non-default schema, across schemas, and search_path  */
/* ------------------------------------------------------------------ */

static void test_reflect_other_schema(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP SCHEMA IF EXISTS sqlalc_other CASCADE");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_parent CASCADE");
    test_exec(eng, "CREATE TABLE pg_parent (id int PRIMARY KEY)");
    test_exec(eng, "CREATE SCHEMA sqlalc_other");
    test_exec(
        eng,
        "CREATE TABLE sqlalc_other.child (id serial PRIMARY KEY, parent_id int REFERENCES pg_parent (id) "
        "ON DELETE SET NULL, note varchar(20) DEFAULT 'n/a')");
    test_exec(eng,
              "CREATE TABLE sqlalc_other.grandchild (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
              "child_id int REFERENCES sqlalc_other.child (id))");
    test_exec(eng, "COMMENT ON TABLE sqlalc_other.child IS 'in another schema'");
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
    o.schema = "sqlalc_other";
    assert_ok(sqlalc_metadata_reflect(md, eng, &o));
    sqlalc_table *child = sqlalc_metadata_table_in(md, "sqlalc_other", "child");
    sqlalc_table *gc = sqlalc_metadata_table_in(md, "sqlalc_other", "grandchild");
    assert_non_null(child);
    assert_non_null(gc);
    /* the FK into the default schema found the default-schema table */
    sqlalc_table *parent = sqlalc_table_fk_target(child, 0);
    assert_non_null(parent);
    assert_string_equal(sqlalc_table_name(parent), "pg_parent");
    assert_null(sqlalc_table_schema(parent));
    assert_ptr_equal(sqlalc_table_fk_target(gc, 0), child);
    sqlalc_metadata_free(md);
    /* the inspector: identity as autoincrement, comment, FK action */
    sqlalc_inspector *insp;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_table(insp, "sqlalc_other", "grandchild", &ti));
    assert_int_equal(ti->columns[0].autoincrement, 1);
    assert_string_equal(ti->columns[0].type_sql, "BIGINT");
    assert_ok(sqlalc_inspector_table(insp, "sqlalc_other", "child", &ti));
    assert_string_equal(ti->comment, "in another schema");
    assert_int_equal(ti->nfks, 1);
    assert_string_equal(ti->fks[0].ondelete, "SET NULL");
    assert_string_equal(ti->columns[2].type_sql, "VARCHAR(20)");
    assert_non_null(ti->columns[2].default_sql);
    sqlalc_inspector_free(insp);
    /* search_path decides the default schema */
    char url[512];
    snprintf(url, sizeof url, "%s%soptions=-csearch_path%%3Dsqlalc_other", test_url(),
             strchr(test_url(), '?') ? "&" : "?");
    sqlalc_engine *e2;
    assert_ok(sqlalc_engine_create(url, NULL, &e2));
    assert_ok(sqlalc_inspector_new(e2, &insp));
    const char *def;
    assert_ok(sqlalc_inspector_default_schema(insp, &def));
    assert_string_equal(def, "sqlalc_other");
    int has;
    assert_ok(sqlalc_inspector_has_table(insp, NULL, "grandchild", &has));
    assert_true(has);
    sqlalc_inspector_free(insp);
    sqlalc_engine_free(e2);
    test_exec(eng, "DROP SCHEMA sqlalc_other CASCADE");
    test_exec(eng, "DROP TABLE pg_parent");
}

/* ------------------------------------------------------------------ */
/* A backend terminated mid-transaction                                */
/* ------------------------------------------------------------------ */

static void test_terminated_backend(void **state)
{
    (void)state;
    test_exec_quiet(eng, "DROP TABLE IF EXISTS pg_kill");
    test_exec(eng, "CREATE TABLE pg_kill (id int)");
    sqlalc_conn *a, *b;
    assert_ok(sqlalc_engine_connect(eng, &a));
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(a, &tx));
    assert_ok(sqlalc_conn_execute_sql(a, "INSERT INTO pg_kill VALUES (1), (2)", NULL, NULL));
    sqlalc_result *res;
    int64_t pid;
    assert_ok(sqlalc_conn_execute_sql(a, "SELECT pg_backend_pid()", NULL, &res));
    pid = test_result_int64(res);
    /* a second connection kills the first one's backend */
    assert_ok(sqlalc_engine_connect(eng, &b));
    assert_ok(sqlalc_conn_execute_sql(b, "SELECT pg_terminate_backend(:p)",
                                      SQLALC_PARAMS(SQLALC_P_INT("p", pid)), &res));
    sqlalc_result_free(res);
    sqlalc_conn_close(b);
    /* the backend exits asynchronously: wait until it is gone */
    for (int i = 0; i < 200; i++) {
        char q[128];
        snprintf(q, sizeof q, "SELECT count(*) FROM pg_stat_activity WHERE pid = %lld", (long long)pid);
        if (test_scalar(eng, q) == 0)
            break;
    }
    int rc = sqlalc_conn_execute_sql(a, "INSERT INTO pg_kill VALUES (3)", NULL, NULL);
    assert_int_equal(rc, SQLALC_ERR_DISCONNECT);
    assert_non_null(strstr(sqlalc_errmsg(), "connection to postgresql://"));
    assert_true(sqlalc_conn_invalidated(a));
    assert_code(sqlalc_conn_execute_sql(a, "SELECT 1", NULL, NULL), SQLALC_ERR_DISCONNECT);
    assert_code(sqlalc_conn_ping(a), SQLALC_ERR_DISCONNECT);
    sqlalc_tx_rollback(tx);
    sqlalc_conn_close(a);
    /* nothing half-written; the next checkout works */
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_kill"), 0);
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    assert_ok(sqlalc_conn_ping(c));
    assert_ok(sqlalc_conn_execute_sql(c, "INSERT INTO pg_kill VALUES (9)", NULL, NULL));
    sqlalc_conn_close(c);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pg_kill"), 1);
    test_exec(eng, "DROP TABLE pg_kill");
}

static void test_ping_detects_dead_idle_connection(void **state)
{
    (void)state;
    sqlalc_conn *a;
    assert_ok(sqlalc_engine_connect(eng, &a));
    sqlalc_result *res;
    int64_t pid;
    assert_ok(sqlalc_conn_execute_sql(a, "SELECT pg_backend_pid()", NULL, &res));
    pid = test_result_int64(res);
    char q[128];
    snprintf(q, sizeof q, "SELECT CAST(pg_terminate_backend(%lld) AS int)", (long long)pid);
    sqlalc_engine *e2 = test_engine();
    assert_int_equal(test_scalar(e2, q), 1);
    sqlalc_engine_free(e2);
    int rc = SQLALC_OK;
    for (int i = 0; i < 100 && rc == SQLALC_OK; i++)
        rc = sqlalc_conn_ping(a);
    assert_int_equal(rc, SQLALC_ERR_DISCONNECT);
    assert_true(sqlalc_conn_invalidated(a));
    sqlalc_conn_close(a);
}

/* ------------------------------------------------------------------ */
/* Fault injection over the PostgreSQL paths                           */
/* ------------------------------------------------------------------ */

static int fa_workload(const char *url)
{
    sqlalc_engine *e = NULL;
    sqlalc_conn *c = NULL;
    sqlalc_result *res = NULL, *res2 = NULL;
    sqlalc_tx *tx = NULL;
    int rc;
    if ((rc = sqlalc_engine_create(url, NULL, &e)))
        return rc;
    if ((rc = sqlalc_engine_connect(e, &c)))
        goto out;
    if ((rc = sqlalc_conn_execute_sql(
             c, "CREATE TABLE IF NOT EXISTS pg_fa (id int PRIMARY KEY, name text, b bytea, ts timestamptz)",
             NULL, NULL)) ||
        (rc = sqlalc_conn_execute_sql(c, "DELETE FROM pg_fa", NULL, NULL)))
        goto out;
    sqlalc_params sets[30];
    sqlalc_param ps[30][2];
    sqlalc_value rows[30][2];
    for (int i = 0; i < 30; i++) {
        ps[i][0] = SQLALC_P_INT("id", i);
        ps[i][1] = SQLALC_P_TEXT("name", "x");
        sets[i] = (sqlalc_params){ 2, ps[i] };
        rows[i][0] = SQLALC_INTV(100 + i);
        rows[i][1] = SQLALC_TEXTV("c\tq");
    }
    /* multi-row VALUES, then the pipeline path */
    if ((rc = sqlalc_conn_execute_sql_many(c, "INSERT INTO pg_fa (id, name) VALUES (:id, :name)", sets, 30,
                                           NULL)) ||
        (rc =
             sqlalc_conn_execute_sql_many(c, "UPDATE pg_fa SET name = :name WHERE id = :id", sets, 30, NULL)))
        goto out;
    if ((rc = sqlalc_pg_copy_in(c, "pg_fa", (const char *const[]){ "id", "name" }, 2, &rows[0][0], 30, NULL)))
        goto out;
    if ((rc = sqlalc_conn_begin(c, &tx)))
        goto out;
    if ((rc = sqlalc_conn_execute_sql(c, "UPDATE pg_fa SET b = :b, ts = now() WHERE id < :n",
                                      SQLALC_PARAMS(SQLALC_P_BLOB("b", "\0\1", 2), SQLALC_P_INT("n", 10)),
                                      NULL)))
        goto out;
    /* stream one result while another command runs */
    if ((rc = sqlalc_conn_execute_sql(c, "SELECT id, name, b, ts FROM pg_fa ORDER BY id", NULL, &res)))
        goto out;
    const sqlalc_row *row;
    if ((rc = sqlalc_result_fetchone(res, &row)))
        goto out;
    if ((rc = sqlalc_conn_execute_sql(c, "SELECT count(*) FROM pg_fa", NULL, &res2)))
        goto out;
    int64_t n = 0;
    sqlalc_value x;
    rc = sqlalc_result_scalar(res2, &x); /* closes res2; freed at out */
    if (!rc)
        rc = sqlalc_value_get_int64(&x, &n);
    if (rc)
        goto out;
    int64_t sum = 0;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        sqlalc_value v;
        for (int i = 0; i < 4; i++)
            if ((rc = sqlalc_row_get_value(row, i, &v)))
                goto out;
        sum++;
    }
    if (rc != SQLALC_DONE)
        goto out;
    rc = (n == 60 && sum == 59) ? SQLALC_OK : SQLALC_ERR_GENERIC;
    if (!rc) {
        rc = sqlalc_tx_commit(tx);
        tx = NULL;
    }
out:
    sqlalc_result_free(res2);
    sqlalc_result_free(res);
    if (tx)
        sqlalc_tx_rollback(tx);
    sqlalc_conn_close(c);
    sqlalc_engine_free(e);
    return rc;
}

static void test_fault_injection(void **state)
{
    (void)state;
    failalloc_install();
    failalloc_fail_at(0);
    assert_ok(fa_workload(test_url()));
    long total = failalloc_count();
    assert_int_equal(failalloc_live(), 0);
    for (long n = 1; n <= total + 5; n++) {
        failalloc_fail_at(n);
        int rc = fa_workload(test_url());
        if (failalloc_failed()) {
            if (rc > 0)
                fail_msg("allocation %ld: positive code %d", n, rc);
            if (rc != SQLALC_OK && !*sqlalc_errmsg())
                fail_msg("allocation %ld: error %s without a message", n, sqlalc_code_name(rc));
        } else
            assert_ok(rc);
        if (failalloc_live() != 0)
            fail_msg("allocation %ld failed: %ld allocations leaked", n, failalloc_live());
    }
    failalloc_uninstall();
    print_message("postgresql: %ld allocations, each failed in turn, no leak\n", total);
    test_exec(eng, "DROP TABLE pg_fa");
}

/* ------------------------------------------------------------------ */
/* A SQLite football database copied to PostgreSQL: both inspect alike  */
/* ------------------------------------------------------------------ */

static const char *const soccer_ddl[] = {
    "CREATE TABLE \"Country\" (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE)",
    "CREATE TABLE \"League\" (id INTEGER PRIMARY KEY AUTOINCREMENT, country_id INTEGER, name TEXT UNIQUE, "
    "FOREIGN KEY (country_id) REFERENCES \"Country\" (id))",
    "CREATE TABLE \"Team\" (id INTEGER PRIMARY KEY AUTOINCREMENT, team_api_id INTEGER UNIQUE, "
    "team_fifa_api_id INTEGER, team_long_name TEXT, team_short_name TEXT)",
    "CREATE TABLE \"Match\" (id INTEGER PRIMARY KEY AUTOINCREMENT, country_id INTEGER, league_id INTEGER, "
    "season TEXT, home_team_api_id INTEGER, away_team_api_id INTEGER, home_team_goal INTEGER, "
    "FOREIGN KEY (country_id) REFERENCES \"Country\" (id), FOREIGN KEY (league_id) REFERENCES \"League\" (id), "
    "FOREIGN KEY (home_team_api_id) REFERENCES \"Team\" (team_api_id))",
    "CREATE INDEX ix_match_season ON \"Match\" (season, league_id)",
    "INSERT INTO \"Country\" (name) VALUES ('Belgium'), ('Côte d''Ivoire')",
    "INSERT INTO \"League\" (country_id, name) VALUES (1, 'Jupiler League'), (2, 'Ligue 1')",
    "INSERT INTO \"Team\" (team_api_id, team_fifa_api_id, team_long_name, team_short_name) VALUES "
    "(9987, 673, 'KRC Genk', 'GEN'), (9993, NULL, 'Beerschot AC', 'BAC'), (10000, 15005, 'Standard de Liège', 'STL')",
    "INSERT INTO \"Match\" (country_id, league_id, season, home_team_api_id, away_team_api_id, home_team_goal) "
    "VALUES (1, 1, '2008/2009', 9987, 9993, 1), (1, 1, '2008/2009', 10000, 9987, 3), (2, 2, '2009/2010', 9993, NULL, 0)",
};

static const char *const soccer_tables[] = { "Match", "League", "Team", "Country" };

static void copy_table(sqlalc_engine *src, sqlalc_conn *dst, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(src, sql, NULL, &res));
    int nc = sqlalc_result_column_count(res);
    const char *cols[16];
    for (int i = 0; i < nc; i++)
        cols[i] = sqlalc_result_column_name(res, i);
    sqlalc_rowset *rs;
    assert_ok(sqlalc_result_fetchall(res, &rs));
    size_t n = sqlalc_rowset_count(rs);
    sqlalc_value *vals = calloc(n * (size_t)nc + 1, sizeof *vals);
    for (size_t r = 0; r < n; r++)
        for (int i = 0; i < nc; i++)
            assert_ok(sqlalc_row_get_value(sqlalc_rowset_row(rs, r), i, &vals[r * (size_t)nc + (size_t)i]));
    int64_t count;
    assert_ok(sqlalc_pg_copy_in(dst, table, cols, nc, vals, n, &count));
    assert_int_equal(count, (int64_t)n);
    free(vals);
    sqlalc_rowset_free(rs);
    sqlalc_result_free(res);
    /* the serial's sequence continues after the copied ids */
    snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), max(id)) FROM \"%s\"",
             table, table);
    assert_ok(sqlalc_conn_execute_sql(dst, sql, NULL, NULL));
}

static int strlist_eq(const sqlalc_strlist *a, const sqlalc_strlist *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]))
            return 0;
    return 1;
}

static void test_football_copy_inspects_alike(void **state)
{
    (void)state;
    char path[128], url[160];
    snprintf(path, sizeof path, "/tmp/sqlalc_pg_soccer_%ld.db", (long)getpid());
    remove(path);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    sqlalc_engine *lite;
    assert_ok(sqlalc_engine_create(url, NULL, &lite));
    for (size_t i = 0; i < sizeof soccer_ddl / sizeof soccer_ddl[0]; i++)
        test_exec(lite, soccer_ddl[i]);
    /* reflect SQLite, create the same tables on PostgreSQL, copy the rows */
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_ok(sqlalc_metadata_reflect(md, lite, NULL));
    assert_ok(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    for (int i = 3; i >= 0; i--)
        copy_table(lite, c, soccer_tables[i]);
    sqlalc_conn_close(c);
    /* the same rows answer the same query */
    const char *q =
        "SELECT count(*) FROM \"Match\" m JOIN \"Team\" t ON t.team_api_id = m.home_team_api_id "
        "JOIN \"Country\" c ON c.id = m.country_id WHERE c.name LIKE 'B%' AND t.team_fifa_api_id IS NOT NULL";
    assert_int_equal(test_scalar(lite, q), 2);
    assert_int_equal(test_scalar(eng, q), 2);
    test_exec(eng, "INSERT INTO \"Country\" (name) VALUES ('Spain')");
    assert_int_equal(test_scalar(eng, "SELECT max(id) FROM \"Country\""), 3);
    /* both inspectors tell the same story where the databases agree */
    sqlalc_inspector *a, *b;
    assert_ok(sqlalc_inspector_new(lite, &a));
    assert_ok(sqlalc_inspector_new(eng, &b));
    for (int k = 0; k < 4; k++) {
        const char *tn = soccer_tables[k];
        const sqlalc_table_info *x, *y;
        assert_ok(sqlalc_inspector_table(a, NULL, tn, &x));
        assert_ok(sqlalc_inspector_table(b, NULL, tn, &y));
        assert_int_equal(x->ncolumns, y->ncolumns);
        for (size_t i = 0; i < x->ncolumns; i++) {
            const sqlalc_column_info *cx = &x->columns[i], *cy = &y->columns[i];
            assert_string_equal(cx->name, cy->name);
            if (strcmp(cx->type_sql, cy->type_sql))
                fail_msg("%s.%s: %s on SQLite, %s on PostgreSQL", tn, cx->name, cx->type_sql, cy->type_sql);
            assert_int_equal(cx->pk_position, cy->pk_position);
            assert_int_equal(cx->autoincrement, cy->autoincrement);
            /* SQLite reports an INTEGER PRIMARY KEY as nullable */
            if (!cx->pk_position)
                assert_int_equal(cx->nullable, cy->nullable);
        }
        assert_true(strlist_eq(&x->pk.columns, &y->pk.columns));
        assert_int_equal(x->nfks, y->nfks);
        for (size_t i = 0; i < x->nfks; i++) {
            const sqlalc_fk_info *fx = &x->fks[i], *fy = NULL;
            for (size_t j = 0; j < y->nfks && !fy; j++)
                if (strlist_eq(&fx->columns, &y->fks[j].columns))
                    fy = &y->fks[j];
            if (!fy)
                fail_msg("%s: foreign key on %s not on PostgreSQL", tn, fx->columns.items[0]);
            assert_string_equal(fx->referred_table, fy->referred_table);
            assert_null(fy->referred_schema);
            assert_true(strlist_eq(&fx->referred_columns, &fy->referred_columns));
        }
        assert_int_equal(x->nuniques, y->nuniques);
        for (size_t i = 0; i < x->nuniques; i++)
            assert_true(strlist_eq(&x->uniques[i].columns, &y->uniques[i].columns));
        /* PostgreSQL also lists the indexes behind unique constraints
         * (duplicates_constraint), as SQLAlchemy does; SQLite does not */
        size_t iy = 0;
        for (size_t i = 0; i < x->nindexes; i++, iy++) {
            while (iy < y->nindexes && y->indexes[iy].duplicates_constraint)
                iy++;
            assert_true(iy < y->nindexes);
            assert_string_equal(x->indexes[i].name, y->indexes[iy].name);
            assert_true(strlist_eq(&x->indexes[i].columns, &y->indexes[iy].columns));
            assert_int_equal(x->indexes[i].unique, y->indexes[iy].unique);
        }
        while (iy < y->nindexes && y->indexes[iy].duplicates_constraint)
            iy++;
        assert_int_equal(iy, y->nindexes);
    }
    sqlalc_inspector_free(a);
    sqlalc_inspector_free(b);
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);
    sqlalc_engine_free(lite);
    remove(path);
}

/* ------------------------------------------------------------------ */
/* Results set aside, dropped early, streamed through cursors          */
/* ------------------------------------------------------------------ */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#    define PG_SANITIZED 1
#elif defined(__has_feature)
#    if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#        define PG_SANITIZED 1
#    endif
#endif

/* First column of sql's first row on conn c. */
static int64_t test_scalar_conn(sqlalc_conn *c, const char *sql)
{
    sqlalc_result *res = NULL;
    assert_ok(sqlalc_conn_execute_sql(c, sql, NULL, &res));
    return test_result_int64(res);
}

/* Resident set size in bytes (/proc/self/statm). */
static long rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * sysconf(_SC_PAGESIZE);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A second statement while 300,000 rows are pending sets them aside in a
 * packed form close to the data's size (a PGresult per row took ~3 KB). */
static void test_set_aside_is_compact(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *big, *other;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(
        c,
        "SELECT g, md5(g::text) AS t, CASE WHEN g % 7 = 0 THEN NULL ELSE 'x' END AS n FROM generate_series(1, 300000) g",
        NULL, &big));
    assert_int_equal(sqlalc_result_next(big, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    long before = rss_bytes();
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT 41 + 1", NULL, &other));
    long grown = rss_bytes() - before;
    assert_int_equal(test_result_int64(other), 42);
    printf("set aside 300,000 rows (int, 32-char text, short text): RSS +%.1f MB\n",
           (double)grown / 1048576.0);
#ifndef PG_SANITIZED
    assert_true(grown < 32L * 1048576L);
#endif
    /* the current row stayed valid while the rest was set aside */
    assert_int_equal(sqlalc_row_int64(row, 0), 1);
    int64_t n = 1;
    while (sqlalc_result_next(big, &row) == SQLALC_ROW) {
        n++;
        assert_int_equal(sqlalc_row_int64(row, 0), n);
        assert_int_equal(strlen(sqlalc_row_text(row, 1)), 32);
        if (n % 7 == 0)
            assert_true(sqlalc_row_is_null(row, 2));
        else
            assert_string_equal(sqlalc_row_text(row, 2), "x");
    }
    assert_int_equal(n, 300000);
    sqlalc_result_free(big);
    sqlalc_conn_close(c);
}

/* Freeing a result early stops the query on the server instead of
 * reading the rest; the connection stays usable; a transaction around
 * it is left alone (drained, not cancelled). */
static void test_free_early_cancels(void **state)
{
    (void)state;
    /* (sanitizers make every row ten times slower: a tenth of the rows) */
#ifdef PG_SANITIZED
    enum { N = 300000 };
#else
    enum { N = 3000000 };
#endif
    char q[128];
    snprintf(q, sizeof q, "SELECT g, 'some text ' || g FROM (SELECT generate_series(1, %d) AS g) s", (int)N);
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res;
    const sqlalc_row *row;
    double t0 = now_s();
    assert_ok(sqlalc_conn_execute_sql(c, q, NULL, &res));
    int64_t n = 0;
    while (sqlalc_result_next(res, &row) == SQLALC_ROW)
        n++;
    sqlalc_result_free(res);
    double full = now_s() - t0;
    assert_int_equal(n, N);
    t0 = now_s();
    assert_ok(sqlalc_conn_execute_sql(c, q, NULL, &res));
    for (int i = 0; i < 3; i++)
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_result_free(res);
    double early = now_s() - t0;
    printf("3 of %d rows then free: %.1f ms, full read %.1f ms (%.2f%%)\n", (int)N, early * 1e3, full * 1e3,
           100.0 * early / full);
    assert_int_equal(test_scalar_conn(c, "SELECT 5"), 5);
    /* inside a transaction the rest is read (a cancel would abort it) */
    sqlalc_tx *tx;
    assert_ok(sqlalc_conn_begin(c, &tx));
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT g FROM generate_series(1, 20000) g", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_result_free(res);
    assert_int_equal(test_scalar_conn(c, "SELECT 6"), 6);
    assert_ok(sqlalc_tx_commit(tx));
    /* a statement that writes is never cancelled: every row is inserted */
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE IF EXISTS pg_early", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TABLE pg_early (id int)", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(
        c, "INSERT INTO pg_early SELECT g FROM generate_series(1, 200000) g RETURNING id", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    sqlalc_result_free(res);
    assert_int_equal(test_scalar_conn(c, "SELECT count(*) FROM pg_early"), 200000);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE pg_early", NULL, NULL));
    sqlalc_conn_close(c);
}

static sqlalc_result *streamed(sqlalc_conn *c, const char *sql, const sqlalc_params *p, size_t per)
{
    sqlalc_execution_options o = SQLALC_EXECUTION_OPTIONS_INIT;
    o.stream_results = 1;
    o.yield_per = per;
    sqlalc_result *res = NULL;
    assert_ok(sqlalc_conn_execute_sql_opts(c, sql, p, &o, &res));
    return res;
}

/* stream_results / yield_per: server-side cursors fetched in batches, any
 * number open at once on one connection, inside a transaction or not. */
static void test_stream_results_cursors(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    const sqlalc_row *row;
    sqlalc_tx *tx;
    for (int in_tx = 1; in_tx >= 0; in_tx--) {
        if (in_tx)
            assert_ok(sqlalc_conn_begin(c, &tx));
        sqlalc_result *r[3];
        for (int k = 0; k < 3; k++)
            r[k] = streamed(c, "SELECT g, CAST(:k AS int) AS k FROM generate_series(1, :n) g",
                            SQLALC_PARAMS(SQLALC_P_INT("k", k), SQLALC_P_INT("n", 1000 + k)),
                            (size_t)(7 + k * 50));
        /* three cursors open, read in turn, with other commands between */
        assert_int_equal(
            test_scalar_conn(c, "SELECT count(*) FROM pg_cursors WHERE name LIKE 'sqlalc_cur_%'"), 3);
        int64_t n[3] = { 0, 0, 0 };
        int open = 3;
        while (open) {
            open = 0;
            for (int k = 0; k < 3; k++) {
                if (!r[k])
                    continue;
                for (int i = 0; i < 13; i++) {
                    int rc = sqlalc_result_next(r[k], &row);
                    if (rc != SQLALC_ROW) {
                        assert_int_equal(rc, SQLALC_DONE);
                        sqlalc_result_free(r[k]);
                        r[k] = NULL;
                        break;
                    }
                    n[k]++;
                    assert_int_equal(sqlalc_row_int64(row, 0), n[k]);
                    assert_int_equal(sqlalc_row_int64(row, 1), k);
                }
                if (r[k])
                    open = 1;
                assert_int_equal(test_scalar_conn(c, "SELECT 1"), 1);
            }
        }
        for (int k = 0; k < 3; k++)
            assert_int_equal(n[k], 1000 + k);
        /* freed early: the cursor is closed, not read */
        sqlalc_result *e = streamed(c, "SELECT g FROM generate_series(1, 1000000) g", NULL, 100);
        assert_int_equal(sqlalc_result_next(e, &row), SQLALC_ROW);
        sqlalc_result_free(e);
        assert_int_equal(
            test_scalar_conn(c, "SELECT count(*) FROM pg_cursors WHERE name LIKE 'sqlalc_cur_%'"), 0);
        /* columns described even with no rows */
        e = streamed(c, "SELECT 1 AS a, 2 AS b WHERE false", NULL, 0);
        assert_int_equal(sqlalc_result_column_count(e), 2);
        assert_string_equal(sqlalc_result_column_name(e, 1), "b");
        assert_int_equal(sqlalc_result_next(e, &row), SQLALC_DONE);
        sqlalc_result_free(e);
        if (in_tx)
            assert_ok(sqlalc_tx_commit(tx));
    }
    /* in a transaction, an error in a later batch surfaces at that row
     * (outside one, WITH HOLD computes every row at the DECLARE) */
    assert_ok(sqlalc_conn_begin(c, &tx));
    sqlalc_result *e = streamed(c, "SELECT 1 / (500 - g) FROM generate_series(1, 1000) g", NULL, 100);
    int rc, got = 0;
    while ((rc = sqlalc_result_next(e, &row)) == SQLALC_ROW)
        got++;
    assert_int_equal(got, 400);
    assert_int_equal(rc, SQLALC_ERR_DATA);
    sqlalc_result_free(e);
    assert_ok(sqlalc_tx_rollback(tx));
    /* a statement that writes runs as it is */
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE IF EXISTS pg_stream", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TABLE pg_stream (id int)", NULL, NULL));
    e = streamed(c, "INSERT INTO pg_stream VALUES (1), (2) RETURNING id", NULL, 1);
    assert_int_equal(test_result_int64(e), 1);
    assert_int_equal(test_scalar_conn(c, "SELECT count(*) FROM pg_stream"), 2);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE pg_stream", NULL, NULL));
    sqlalc_conn_close(c);
}

/* Integer, float, boolean and uuid parameters carry their type to the
 * server (int4, int8 past its range), so an untyped context works. */
static void test_parameter_types(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res;
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(
        c,
        "WITH RECURSIVE t(n) AS (SELECT :start AS n UNION ALL "
        "SELECT n + 1 FROM t WHERE n < :stop) SELECT sum(n), pg_typeof(min(n))::text FROM t",
        SQLALC_PARAMS(SQLALC_P_INT("start", 1), SQLALC_P_INT("stop", 10)), &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_int_equal(sqlalc_row_int64(row, 0), 55);
    assert_string_equal(sqlalc_row_text(row, 1), "integer");
    sqlalc_result_free(res);
    static const char q[] = "SELECT :v AS v, pg_typeof(:v)::text";
    struct {
        sqlalc_value v;
        const char *type;
    } cases[] = {
        { SQLALC_INTV(7), "integer" },
        { SQLALC_INTV(INT64_C(5000000000)), "bigint" },
        { SQLALC_INTV(8), "bigint" }, /* an int4 fits the slot now prepared int8 */
        { SQLALC_FLOATV(1.5), "double precision" },
        { SQLALC_BOOLV(1), "boolean" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_ok(sqlalc_conn_execute_sql(c, q, SQLALC_PARAMS(SQLALC_P("v", cases[i].v)), &res));
        assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
        assert_string_equal(sqlalc_row_text(row, 1), cases[i].type);
        sqlalc_result_free(res);
    }
    sqlalc_value u = SQLALC_TEXTV("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    u.type = SQLALC_V_UUID;
    assert_ok(
        sqlalc_conn_execute_sql(c, "SELECT pg_typeof(:u)::text", SQLALC_PARAMS(SQLALC_P("u", u)), &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(row, 0), "uuid");
    sqlalc_result_free(res);
    /* an int4 still fills smallint, bigint, numeric and text-free contexts */
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE IF EXISTS pg_ptypes", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TABLE pg_ptypes (s smallint, b bigint, n numeric(10,2))",
                                      NULL, NULL));
    const sqlalc_param r1[] = { SQLALC_P_INT("s", 1), SQLALC_P_INT("b", 2), SQLALC_P_INT("n", 3) };
    const sqlalc_param r2[] = { SQLALC_P_INT("s", 4), SQLALC_P_INT("b", INT64_C(9000000000)),
                                SQLALC_P_INT("n", 6) };
    const sqlalc_params sets[2] = { { 3, r1 }, { 3, r2 } };
    assert_ok(sqlalc_conn_execute_sql_many(c, "INSERT INTO pg_ptypes VALUES (:s, :b, :n)", sets, 2, NULL));
    assert_int_equal(test_scalar_conn(c, "SELECT sum(b) FROM pg_ptypes LIMIT 1"), 9000000002);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE pg_ptypes", NULL, NULL));
    sqlalc_conn_close(c);
}

/* Text cannot hold NUL on PostgreSQL: a data error naming the parameter,
 * never a silent cut; blobs with NULs round-trip exactly. */
static void test_nul_in_text_and_blob(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res = NULL;
    assert_code(sqlalc_conn_execute_sql(c, "SELECT :t AS t",
                                        SQLALC_PARAMS(SQLALC_P("t", SQLALC_TEXTNV("a\0b", 3))), &res),
                SQLALC_ERR_DATA);
    assert_non_null(strstr(sqlalc_errmsg(), ":t"));
    assert_non_null(strstr(sqlalc_errmsg(), "NUL"));
    assert_null(res);
    /* the same through executemany names the set */
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE IF EXISTS pg_nul", NULL, NULL));
    assert_ok(sqlalc_conn_execute_sql(c, "CREATE TABLE pg_nul (t text, b bytea)", NULL, NULL));
    const sqlalc_param r1[] = { SQLALC_P("t", SQLALC_TEXTV("fine")), SQLALC_P("b", SQLALC_BLOBV("x", 1)) };
    const sqlalc_param r2[] = { SQLALC_P("t", SQLALC_TEXTNV("bad\0", 4)),
                                SQLALC_P("b", SQLALC_BLOBV("y", 1)) };
    const sqlalc_params sets[2] = { { 2, r1 }, { 2, r2 } };
    assert_code(sqlalc_conn_execute_sql_many(c, "INSERT INTO pg_nul VALUES (:t, :b)", sets, 2, NULL),
                SQLALC_ERR_DATA);
    assert_non_null(strstr(sqlalc_errmsg(), "NUL"));
    assert_int_equal(test_scalar_conn(c, "SELECT count(*) FROM pg_nul"), 0);
    /* a text without an explicit length stops at its NUL, as C strings do */
    static const unsigned char blob[] = { 0, 1, 0, 255, 0 };
    assert_ok(sqlalc_conn_execute_sql(
        c, "INSERT INTO pg_nul VALUES (:t, :b)",
        SQLALC_PARAMS(SQLALC_P("t", SQLALC_TEXTV("ok")), SQLALC_P("b", SQLALC_BLOBV(blob, sizeof blob))),
        NULL));
    const sqlalc_row *row;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT b FROM pg_nul", NULL, &res));
    assert_int_equal(sqlalc_result_next(res, &row), SQLALC_ROW);
    size_t n = 0;
    const void *p = NULL;
    assert_ok(sqlalc_row_get_blob(row, 0, &p, &n));
    assert_int_equal(n, sizeof blob);
    assert_memory_equal(p, blob, sizeof blob);
    sqlalc_result_free(res);
    assert_ok(sqlalc_conn_execute_sql(c, "DROP TABLE pg_nul", NULL, NULL));
    sqlalc_conn_close(c);
}

/* Every SQLSTATE class to the error class psycopg2 (SQLAlchemy's
 * psycopg2 dialect) raises, with the states a caller acts on singled out;
 * a lock timeout is retryable.  Checked live for 55P03 in suite_engine. */
static void test_sqlstate_classes(void **state)
{
    (void)state;
    static const struct {
        const char *state;
        int code;
    } map[] = {
        { "0A000", SQLALC_ERR_NOT_SUPPORTED }, { "08006", SQLALC_ERR_DISCONNECT },
        { "20000", SQLALC_ERR_PROGRAMMING },   { "21000", SQLALC_ERR_PROGRAMMING },
        { "22012", SQLALC_ERR_DATA },          { "23505", SQLALC_ERR_INTEGRITY },
        { "24000", SQLALC_ERR_INTERNAL },      { "25P02", SQLALC_ERR_INTERNAL },
        { "26000", SQLALC_ERR_OPERATIONAL },   { "27000", SQLALC_ERR_OPERATIONAL },
        { "28P01", SQLALC_ERR_OPERATIONAL },   { "2B000", SQLALC_ERR_INTERNAL },
        { "2D000", SQLALC_ERR_INTERNAL },      { "2F005", SQLALC_ERR_INTERNAL },
        { "34000", SQLALC_ERR_OPERATIONAL },   { "38001", SQLALC_ERR_INTERNAL },
        { "39004", SQLALC_ERR_INTERNAL },      { "3B001", SQLALC_ERR_INTERNAL },
        { "3D000", SQLALC_ERR_PROGRAMMING },   { "3F000", SQLALC_ERR_PROGRAMMING },
        { "40001", SQLALC_ERR_SERIALIZATION }, { "40P01", SQLALC_ERR_SERIALIZATION },
        { "40002", SQLALC_ERR_OPERATIONAL },   { "42P01", SQLALC_ERR_PROGRAMMING },
        { "44000", SQLALC_ERR_PROGRAMMING },   { "53100", SQLALC_ERR_OPERATIONAL },
        { "54001", SQLALC_ERR_OPERATIONAL },   { "55P03", SQLALC_ERR_TIMEOUT },
        { "55006", SQLALC_ERR_OPERATIONAL },   { "57014", SQLALC_ERR_OPERATIONAL },
        { "57P01", SQLALC_ERR_DISCONNECT },    { "58030", SQLALC_ERR_OPERATIONAL },
        { "F0000", SQLALC_ERR_INTERNAL },      { "HV000", SQLALC_ERR_OPERATIONAL },
        { "P0001", SQLALC_ERR_INTERNAL },      { "XX000", SQLALC_ERR_INTERNAL },
        { "99999", SQLALC_ERR_DATABASE },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (sqlalc_code_from_sqlstate(map[i].state) != map[i].code)
            fail_msg("%s -> %s, want %s", map[i].state,
                     sqlalc_code_name(sqlalc_code_from_sqlstate(map[i].state)),
                     sqlalc_code_name(map[i].code));
    sqlalc_error e = { SQLALC_ERR_TIMEOUT, "", "55P03", 0, NULL, NULL, NULL };
    assert_true(sqlalc_error_is_retryable(&e));
    e.code = SQLALC_ERR_DATABASE; /* a plugin that gives only the state */
    assert_true(sqlalc_error_is_retryable(&e));
    memcpy(e.sqlstate, "23505", 6);
    e.code = SQLALC_ERR_INTEGRITY;
    assert_false(sqlalc_error_is_retryable(&e));
}

/* ------------------------------------------------------------------ */
/* Binary results (a bytea column)                                     */
/* ------------------------------------------------------------------ */

#define BIN_COLS                                                                                          \
    "1::int2 AS i2, -2::int4 AS i4, 3000000000::int8 AS i8, 1.1::float4 AS f4, "                          \
    "-2.5e-300::float8 AS f8, 'NaN'::float4 AS fnan, true AS t, false AS f, 'abc'::text AS tx, "          \
    "'n'::name AS nm, 'x'::varchar AS vc, 'y'::char(3) AS ch, '{\"a\": [1, 2]}'::json AS js, "            \
    "'{\"a\": [1, 2]}'::jsonb AS jb, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, 4000000000::oid " \
    "AS o, NULL::int4 AS n, '' AS e"

static void same_value(const sqlalc_row *text_row, const sqlalc_row *bin_row, int i, int j)
{
    sqlalc_value a, b;
    assert_ok(sqlalc_row_get_value(text_row, i, &a));
    assert_ok(sqlalc_row_get_value(bin_row, j, &b));
    if (a.type != b.type)
        fail_msg("column %d: text gives %s, binary %s", i, sqlalc_vtype_name(a.type),
                 sqlalc_vtype_name(b.type));
    switch (a.type) {
    case SQLALC_V_NULL: break;
    case SQLALC_V_INT:
    case SQLALC_V_BOOL:
        if (a.u.i != b.u.i)
            fail_msg("column %d: %lld vs %lld", i, (long long)a.u.i, (long long)b.u.i);
        break;
    case SQLALC_V_FLOAT:
        if (memcmp(&a.u.f, &b.u.f, sizeof a.u.f) && !(a.u.f != a.u.f && b.u.f != b.u.f))
            fail_msg("column %d: %.17g vs %.17g", i, a.u.f, b.u.f);
        break;
    default:
        if (a.u.s.len != b.u.s.len || memcmp(a.u.s.p, b.u.s.p, a.u.s.len))
            fail_msg("column %d: '%.*s' vs '%.*s'", i, (int)a.u.s.len, a.u.s.p, (int)b.u.s.len, b.u.s.p);
    }
}

/* A result whose columns all have a binary reader comes in binary format:
 * every type reads back as the text format gives it (the reference query
 * has a numeric column, which keeps it text), through the value and the
 * typed getters, also from rows set aside while another command used the
 * wire; a bytea beside a numeric or a date keeps the text format. */
static void test_binary_results_match_text(void **state)
{
    (void)state;
    sqlalc_conn *c;
    assert_ok(sqlalc_engine_connect(eng, &c));
    sqlalc_result *tr, *br;
    const sqlalc_row *trow, *brow;
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT " BIN_COLS ", 1::numeric AS z", NULL, &tr));
    assert_ok(sqlalc_conn_execute_sql(
        c, "SELECT '\\x00ff00'::bytea AS b, " BIN_COLS " FROM generate_series(1, 3)", NULL, &br));
    /* the first statement's row was set aside for the second */
    assert_int_equal(sqlalc_result_next(tr, &trow), SQLALC_ROW);
    int ncols = sqlalc_row_count(trow) - 1;
    for (int k = 0; k < 3; k++) {
        if (k == 1) { /* the rest of br set aside (packed rows) */
            sqlalc_result *r7;
            assert_ok(sqlalc_conn_execute_sql(c, "SELECT 7", NULL, &r7));
            assert_int_equal(test_result_int64(r7), 7);
        }
        assert_int_equal(sqlalc_result_next(br, &brow), SQLALC_ROW);
        const void *bp;
        size_t bl;
        assert_ok(sqlalc_row_get_blob(brow, 0, &bp, &bl));
        assert_int_equal(bl, 3);
        assert_memory_equal(bp, "\0\xff\0", 3);
        for (int i = 0; i < ncols; i++)
            same_value(trow, brow, i, i + 1);
        int64_t v;
        double d;
        assert_ok(sqlalc_row_get_int64(brow, 3, &v));
        assert_int_equal(v, 3000000000LL);
        assert_ok(sqlalc_row_get_int64(brow, 16, &v));
        assert_int_equal(v, 4000000000LL);
        assert_ok(sqlalc_row_get_double(brow, 4, &d));
        assert_true(d == 1.1);
        assert_string_equal(sqlalc_row_text(brow, 9), "abc");
    }
    assert_int_equal(sqlalc_result_next(br, &brow), SQLALC_DONE);
    sqlalc_result_free(br);
    sqlalc_result_free(tr);
    /* no bytea: ints, floats, text in binary too (float4 would keep text) */
    const char *plain = "SELECT 1::int2 AS a, -3000000000::int8 AS b, 'abc'::text AS c, true AS d, "
                        "-0.0::float8 AS e, 1e308::float8 AS f, NULL::int4 AS g, 'a0eebc99-9c0b-4ef8-bb6d-"
                        "6bb9bd380a11'::uuid AS h";
    char sql[512];
    snprintf(sql, sizeof sql, "%s, 1::numeric AS z", plain);
    assert_ok(sqlalc_conn_execute_sql(c, sql, NULL, &tr));
    assert_ok(sqlalc_conn_execute_sql(c, plain, NULL, &br));
    assert_int_equal(sqlalc_result_next(tr, &trow), SQLALC_ROW);
    assert_int_equal(sqlalc_result_next(br, &brow), SQLALC_ROW);
    for (int i = 0; i < 8; i++)
        same_value(trow, brow, i, i);
    sqlalc_result_free(br);
    sqlalc_result_free(tr);
    assert_ok(sqlalc_conn_execute_sql(c, "SELECT '\\x01'::bytea AS b, 1.50::numeric AS n, now()::date AS d",
                                      NULL, &br));
    assert_int_equal(sqlalc_result_next(br, &brow), SQLALC_ROW);
    assert_string_equal(sqlalc_row_text(brow, 1), "1.50");
    const void *bp;
    size_t bl;
    assert_ok(sqlalc_row_get_blob(brow, 0, &bp, &bl));
    assert_int_equal(bl, 1);
    sqlalc_result_free(br);
    sqlalc_conn_close(c);
}

int main(void)
{
    if (!test_dialect_is("postgresql") || strstr(test_url(), "+odbc") || !sqlalc_find_driver("libpq")) {
        printf("suite_pg: SQLALC_TEST_URL is not a postgresql (libpq) URL; skipped\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vtable_direct),
        cmocka_unit_test(test_types_round_trip),
        cmocka_unit_test(test_error_fields),
        cmocka_unit_test(test_connect_errors_mask_password),
        cmocka_unit_test(test_url_keywords_and_hosts),
        cmocka_unit_test(test_streaming_interleaved),
        cmocka_unit_test(test_set_aside_is_compact),
        cmocka_unit_test(test_free_early_cancels),
        cmocka_unit_test(test_stream_results_cursors),
        cmocka_unit_test(test_parameter_types),
        cmocka_unit_test(test_nul_in_text_and_blob),
        cmocka_unit_test(test_sqlstate_classes),
        cmocka_unit_test(test_prepared_once_returning_upsert),
        cmocka_unit_test(test_evicted_statements_deallocated),
        cmocka_unit_test(test_stale_plan_reprepared),
        cmocka_unit_test(test_executemany_paths),
        cmocka_unit_test(test_copy_in),
        cmocka_unit_test(test_copy_streamed),
        cmocka_unit_test(test_reflect_other_schema),
        cmocka_unit_test(test_terminated_backend),
        cmocka_unit_test(test_ping_detects_dead_idle_connection),
        cmocka_unit_test(test_football_copy_inspects_alike),
        cmocka_unit_test(test_fault_injection),
        cmocka_unit_test(test_binary_results_match_text),
    };
    return cmocka_run_group_tests_name("postgresql", tests, setup, teardown);
}

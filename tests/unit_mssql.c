/*
 * SQL Server by server version: exact SQL and parameter order of every
 * compiler case for mssql with no version (as SQLAlchemy unconnected), 2008,
 * 2012 and 2017 (tests/unit_mssql_gen.py, from SQLAlchemy 1.4), the DDL
 * type names per version, and the server_version engine option / URL query.
 */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "unit_compile_fixture.h"
#include "sqlalc/mssql.h"

struct ms_expect {
    const char *named, *positional, *names; /* "!ERR": a compile error */
};
struct ms_case {
    const char *title;
    sqlalc_stmt *(*build)(void);
    struct ms_expect e[4]; /* none, 2008, 2012, 2017 */
};

#include "unit_mssql_cases.inc"

static const char *const versions[4] = { NULL, "10.50.1600", "11.0.2100.60", "14" };

static const sqlalc_dialect *ms_dialect(int i)
{
    const sqlalc_dialect *d = sqlalc_find_dialect("mssql");
    assert_non_null(d);
    if (!versions[i])
        return d;
    const sqlalc_dialect *v = sqlalc_dialect_for_server_version(d, versions[i]);
    assert_non_null(v);
    return v;
}

static int setup(void **state)
{
    (void)state;
    fx_setup();
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    fx_teardown();
    return 0;
}

static void test_cases(void **state)
{
    (void)state;
    int failed = 0, checks = 0;
    for (size_t k = 0; k < sizeof ms_cases / sizeof ms_cases[0]; k++) {
        const struct ms_case *mc = &ms_cases[k];
        sqlalc_stmt *q = mc->build();
        if (!q) {
            printf("case %zu (%s): build failed: %s\n", k, mc->title, sqlalc_errmsg());
            failed++;
            continue;
        }
        for (int d = 0; d < 4; d++) {
            const struct ms_expect *e = &mc->e[d];
            const char *vn = versions[d] ? versions[d] : "(none)";
            const char *got = sqlalc_stmt_sql(q, ms_dialect(d));
            checks++;
            if (!strcmp(e->named, "!ERR")) {
                if (got) {
                    printf("case %zu mssql %s: expected an error, got\n  %s\n", k, vn, got);
                    failed++;
                }
                continue;
            }
            if (!got || strcmp(got, e->named)) {
                printf("case %zu mssql %s (%s)\n  want: %s\n  got:  %s\n", k, vn, mc->title, e->named,
                       got ? got : sqlalc_errmsg());
                failed++;
                continue;
            }
            sqlalc_compiled *c = NULL;
            if (sqlalc_compile(q, ms_dialect(d), SQLALC_PARAMSTYLE_QMARK, &c)) {
                printf("case %zu mssql %s positional: %s\n", k, vn, sqlalc_errmsg());
                failed++;
                continue;
            }
            char names[4096] = "";
            for (size_t i = 0; i < sqlalc_compiled_nparams(c); i++) {
                if (i)
                    strncat(names, ",", sizeof names - strlen(names) - 1);
                strncat(names, sqlalc_compiled_param_name(c, i), sizeof names - strlen(names) - 1);
            }
            checks += 2;
            if (strcmp(names, e->names)) {
                printf("case %zu mssql %s params\n  want: %s\n  got:  %s\n", k, vn, e->names, names);
                failed++;
            }
            if (strcmp(sqlalc_compiled_sql(c), e->positional)) {
                printf("case %zu mssql %s positional\n  want: %s\n  got:  %s\n", k, vn, e->positional,
                       sqlalc_compiled_sql(c));
                failed++;
            }
            sqlalc_compiled_free(c);
        }
        sqlalc_stmt_free(q);
    }
    printf("%zu cases, %d checks, %d failed\n", sizeof ms_cases / sizeof ms_cases[0], checks, failed);
    assert_int_equal(failed, 0);
}

/* CREATE TABLE per version, as SQLAlchemy 1.4 (server_version_info set). */
static void test_ddl_types(void **state)
{
    (void)state;
    static const char *const want[4] = {
        "\nCREATE TABLE vt (\n\tid INTEGER NOT NULL IDENTITY, \n\td DATETIME NULL, \n\ttm DATETIME NULL, \n\tdt "
        "DATETIME NULL, \n\tdtz DATETIMEOFFSET NULL, \n\ttx TEXT NULL, \n\tut NTEXT NULL, \n\tlb IMAGE NULL, \n\ts "
        "VARCHAR(max) NULL, \n\tu NVARCHAR(max) NULL, \n\tj NVARCHAR(max) NULL, \n\tiv DATETIME NULL, \n\td2 "
        "DATETIME2(3) NULL, \n\tPRIMARY KEY (id)\n)\n\n",
        "\nCREATE TABLE vt (\n\tid INTEGER NOT NULL IDENTITY, \n\td DATE NULL, \n\ttm TIME NULL, \n\tdt DATETIME "
        "NULL, \n\tdtz DATETIMEOFFSET NULL, \n\ttx TEXT NULL, \n\tut NTEXT NULL, \n\tlb IMAGE NULL, \n\ts "
        "VARCHAR(max) NULL, \n\tu NVARCHAR(max) NULL, \n\tj NVARCHAR(max) NULL, \n\tiv DATETIME NULL, \n\td2 "
        "DATETIME2(3) NULL, \n\tPRIMARY KEY (id)\n)\n\n",
        "\nCREATE TABLE vt (\n\tid INTEGER NOT NULL IDENTITY, \n\td DATE NULL, \n\ttm TIME NULL, \n\tdt DATETIME "
        "NULL, \n\tdtz DATETIMEOFFSET NULL, \n\ttx VARCHAR(max) NULL, \n\tut NVARCHAR(max) NULL, \n\tlb "
        "VARBINARY(max) NULL, \n\ts VARCHAR(max) NULL, \n\tu NVARCHAR(max) NULL, \n\tj NVARCHAR(max) NULL, \n\tiv "
        "DATETIME NULL, \n\td2 DATETIME2(3) NULL, \n\tPRIMARY KEY (id)\n)\n\n",
        NULL, /* 2017: as 2012 */
    };
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "vt", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("d", sqlalc_type_date(), 0), sqlalc_column("tm", sqlalc_type_time(0), 0),
        sqlalc_column("dt", sqlalc_type_datetime(0), 0), sqlalc_column("dtz", sqlalc_type_datetime(1), 0),
        sqlalc_column("tx", sqlalc_type_text(), 0), sqlalc_column("ut", sqlalc_type_unicode_text(), 0),
        sqlalc_column("lb", sqlalc_type_large_binary(), 0), sqlalc_column("s", sqlalc_type_string(0), 0),
        sqlalc_column("u", sqlalc_type_unicode(0), 0), sqlalc_column("j", sqlalc_type_json(), 0),
        sqlalc_column("iv", sqlalc_type_interval(), 0), sqlalc_column("d2", sqlalc_mssql_datetime2(3), 0));
    if (!t)
        fail_msg("table: %s", sqlalc_errmsg());
    for (int d = 0; d < 4; d++) {
        char *sql = NULL;
        assert_int_equal(sqlalc_create_table_sql(t, ms_dialect(d), &sql), SQLALC_OK);
        assert_string_equal(sql, want[d] ? want[d] : want[2]);
        sqlalc_free(sql);
    }
    /* DATETIME2 is a DateTime elsewhere */
    char *sql = NULL;
    assert_int_equal(sqlalc_create_table_sql(t, sqlalc_find_dialect("sqlite"), &sql), SQLALC_OK);
    assert_non_null(strstr(sql, "d2 DATETIME"));
    sqlalc_free(sql);
    assert_null(sqlalc_mssql_datetime2(8));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
    sqlalc_metadata_free(md);
}

/* Versions as written; bad ones fail naming the version. */
static void test_versions(void **state)
{
    (void)state;
    const sqlalc_dialect *ms = sqlalc_find_dialect("mssql");
    assert_ptr_equal(sqlalc_dialect_for_server_version(ms, "9.00.1399"), ms);
    assert_ptr_equal(sqlalc_dialect_for_server_version(ms, "10"),
                     sqlalc_dialect_for_server_version(ms, "10.50"));
    assert_ptr_equal(sqlalc_dialect_for_server_version(ms, "16.0.1000.6"),
                     sqlalc_dialect_for_server_version(ms, "11.00.2100"));
    assert_ptr_not_equal(sqlalc_dialect_for_server_version(ms, "11"), ms);
    assert_null(sqlalc_dialect_for_server_version(ms, "eleven"));
    assert_non_null(strstr(sqlalc_errmsg(), "eleven"));
    assert_null(sqlalc_dialect_for_server_version(ms, "11x"));
    /* dialects without versions are themselves */
    const sqlalc_dialect *lite = sqlalc_find_dialect("sqlite");
    assert_ptr_equal(sqlalc_dialect_for_server_version(lite, "3.40"), lite);
    assert_null(sqlalc_dialect_for_server_version(ms, NULL));
}

/* The engine option and the URL query choose the flavour without
 * connecting (nothing listens behind this DSN). */
static void test_engine_server_version(void **state)
{
    (void)state;
    if (!sqlalc_find_driver("odbc"))
        skip(); /* built without unixODBC */
    const sqlalc_dialect *ms = sqlalc_find_dialect("mssql");
    sqlalc_engine *eng = NULL;
    assert_int_equal(
        sqlalc_engine_create("mssql+odbc://sa:pw@no_such_dsn?server_version=11.0.2100", NULL, &eng),
        SQLALC_OK);
    assert_ptr_equal(sqlalc_engine_dialect(eng), sqlalc_dialect_for_server_version(ms, "11"));
    sqlalc_engine_free(eng);
    sqlalc_engine_options opt = SQLALC_ENGINE_OPTIONS_INIT;
    opt.server_version = "10.50";
    assert_int_equal(sqlalc_engine_create("mssql+odbc://sa:pw@no_such_dsn?server_version=14", &opt, &eng),
                     SQLALC_OK);
    assert_ptr_equal(sqlalc_engine_dialect(eng), sqlalc_dialect_for_server_version(ms, "10"));
    sqlalc_engine_free(eng);
    assert_int_equal(sqlalc_engine_create("mssql+odbc://sa:secret@no_such_dsn?server_version=x", NULL, &eng),
                     SQLALC_ERR_ARGUMENT);
    assert_null(eng);
    assert_non_null(strstr(sqlalc_errmsg(), "server_version"));
    assert_null(strstr(sqlalc_errmsg(), "secret"));
}

/* SQL Server takes 2,100 parameters: an IN list past that is written
 * inline when it is all integers (they cannot inject), else refused with
 * the limit named. */
static void test_in_list_ceiling(void **state)
{
    (void)state;
    enum { N = 2500 };
    static sqlalc_value ints[N], texts[N];
    static char buf[N][8];
    for (int i = 0; i < N; i++) {
        ints[i] = SQLALC_INTV(i);
        snprintf(buf[i], sizeof buf[i], "v%d", i);
        texts[i] = SQLALC_TEXTV(buf[i]);
    }
    const sqlalc_dialect *ms = ms_dialect(2);
    sqlalc_stmt *q =
        sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_in_values(fx_c(user, "id"), ints, N));
    sqlalc_compiled *c = NULL;
    assert_int_equal(sqlalc_compile(q, ms, SQLALC_PARAMSTYLE_QMARK, &c), SQLALC_OK);
    assert_int_equal(sqlalc_compiled_nparams(c), 0);
    assert_non_null(strstr(sqlalc_compiled_sql(c), "WHERE [user].id IN (0, 1, 2, "));
    assert_non_null(strstr(sqlalc_compiled_sql(c), ", 2499)"));
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
    /* under the ceiling: bound as usual */
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_in_values(fx_c(user, "id"), ints, 2000));
    assert_int_equal(sqlalc_compile(q, ms, SQLALC_PARAMSTYLE_QMARK, &c), SQLALC_OK);
    assert_int_equal(sqlalc_compiled_nparams(c), 2000);
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
    q = sqlalc_select(SQLALC_COLS(fx_c(user, "id")), sqlalc_in_values(fx_c(user, "name"), texts, N));
    c = NULL;
    assert_int_not_equal(sqlalc_compile(q, ms, SQLALC_PARAMSTYLE_QMARK, &c), SQLALC_OK);
    assert_null(c);
    assert_non_null(strstr(sqlalc_errmsg(), "2100"));
    assert_non_null(strstr(sqlalc_errmsg(), "2500 values"));
    sqlalc_stmt_free(q);
}

/* Issue 15.2: each parameter carries the type of the column it targets
 * (sqlalc_compiled_param_type, what a driver's bind_typed is told), and an
 * NVARCHAR spelled as a user type or a variant counts as Unicode there. */
static void test_param_types(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "pt", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("a", sqlalc_type_string(20), 0), sqlalc_column("u", sqlalc_type_unicode(20), 0),
        sqlalc_column("n", sqlalc_type_user("NVARCHAR(30)"), 0),
        sqlalc_column(
            "v", sqlalc_type_with_variant(sqlalc_type_string(30), sqlalc_type_user("nvarchar(30)"), "mssql"),
            0),
        sqlalc_column("nt", sqlalc_type_user("NTEXT"), 0), sqlalc_column("x", sqlalc_type_user("XML"), 0));
    assert_non_null(t);
    sqlalc_stmt *ins = sqlalc_insert(t);
    const sqlalc_dialect *ms = sqlalc_find_dialect("mssql"), *pg = sqlalc_find_dialect("postgresql");
    sqlalc_compiled *c;
    assert_ok(sqlalc_compile(ins, ms, SQLALC_PARAMSTYLE_QMARK, &c));
    int want_ms[] = { SQLALC_TYPE_INTEGER, SQLALC_TYPE_STRING,  SQLALC_TYPE_UNICODE, SQLALC_TYPE_UNICODE,
                      SQLALC_TYPE_UNICODE, SQLALC_TYPE_UNICODE, SQLALC_TYPE_USER };
    assert_int_equal(sqlalc_compiled_nparams(c), 7);
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(sqlalc_compiled_param_type(c, i), want_ms[i]);
    sqlalc_compiled_free(c);
    /* the variant is mssql's only: String elsewhere */
    assert_ok(sqlalc_compile(ins, pg, SQLALC_PARAMSTYLE_QMARK, &c));
    assert_int_equal(sqlalc_compiled_param_type(c, 4), SQLALC_TYPE_STRING);
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(ins);
    /* a comparison's value takes the column's type */
    sqlalc_stmt *q = sqlalc_select(
        SQLALC_COLS(sqlalc_c(t, "id")),
        sqlalc_and(sqlalc_eq(sqlalc_c(t, "u"), sqlalc_str("x")), sqlalc_eq(sqlalc_c(t, "a"), sqlalc_str("y")),
                   sqlalc_in(sqlalc_c(t, "n"), SQLALC_EXPRS(sqlalc_str("p"), sqlalc_str("q")))));
    assert_ok(sqlalc_compile(q, ms, SQLALC_PARAMSTYLE_QMARK, &c));
    assert_int_equal(sqlalc_compiled_nparams(c), 4);
    assert_int_equal(sqlalc_compiled_param_type(c, 0), SQLALC_TYPE_UNICODE);
    assert_int_equal(sqlalc_compiled_param_type(c, 1), SQLALC_TYPE_STRING);
    assert_int_equal(sqlalc_compiled_param_type(c, 2), SQLALC_TYPE_UNICODE);
    assert_int_equal(sqlalc_compiled_param_type(c, 3), SQLALC_TYPE_UNICODE);
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
    sqlalc_metadata_free(md);
}

static void expect_compiled(sqlalc_stmt *q, const sqlalc_dialect *d, const char *sql, const char *on,
                            const char *off)
{
    assert_non_null(q);
    sqlalc_compiled *c = NULL;
    if (sqlalc_compile(q, d, SQLALC_PARAMSTYLE_QMARK, &c))
        fail_msg("compile: %s", sqlalc_errmsg());
    assert_string_equal(sqlalc_compiled_sql(c), sql);
    if (on) {
        assert_string_equal(sqlalc_compiled_around_sql(c, 0), on);
        assert_string_equal(sqlalc_compiled_around_sql(c, 1), off);
    } else {
        assert_null(sqlalc_compiled_around_sql(c, 0));
        assert_null(sqlalc_compiled_around_sql(c, 1));
    }
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(q);
}

static void expect_refused(sqlalc_stmt *q, const sqlalc_dialect *d, const char *why)
{
    assert_non_null(q);
    sqlalc_compiled *c = NULL;
    assert_int_equal(sqlalc_compile(q, d, SQLALC_PARAMSTYLE_QMARK, &c), SQLALC_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(sqlalc_errmsg(), why));
    sqlalc_stmt_free(q);
}

#define INS_NAME(t, v) sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("name", sqlalc_str(v))))
#define RET_ID(st, t) sqlalc_returning((st), SQLALC_COLS(sqlalc_c((t), "id")))

/* Issue 15.2: a table opting into SCOPE_IDENTITY() (OUTPUT inserted.*
 * fails on tables with triggers) gets SQLAlchemy's pyodbc text, "INSERT
 * …; select scope_identity()", for an INSERT returning its IDENTITY. */
static void test_scope_identity(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *si =
        sqlalc_table_new(md, "si", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0), sqlalc_opt_mssql_scope_identity());
    sqlalc_table *plain =
        sqlalc_table_new(md, "plain", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0));
    sqlalc_table *nokey =
        sqlalc_table_new(md, "nokey", sqlalc_column("code", sqlalc_type_string(5), 0),
                         sqlalc_column("name", sqlalc_type_string(20), 0), sqlalc_opt_mssql_scope_identity());
    assert_non_null(si);
    assert_non_null(plain);
    assert_non_null(nokey);
    for (int v = 0; v < 4; v++) {
        const sqlalc_dialect *d = ms_dialect(v);
        expect_compiled(RET_ID(INS_NAME(si, "a"), si), d,
                        "INSERT INTO si (name) VALUES (?); select scope_identity()", NULL, NULL);
        expect_compiled(RET_ID(sqlalc_insert_default_values(si), si), d,
                        "INSERT INTO si DEFAULT VALUES; select scope_identity()", NULL, NULL);
        /* no RETURNING: the INSERT alone; without the option: OUTPUT */
        expect_compiled(INS_NAME(si, "a"), d, "INSERT INTO si (name) VALUES (?)", NULL, NULL);
        expect_compiled(RET_ID(INS_NAME(plain, "a"), plain), d,
                        "INSERT INTO plain (name) OUTPUT inserted.id VALUES (?)", NULL, NULL);
        /* what SCOPE_IDENTITY() cannot give */
        expect_refused(sqlalc_returning(INS_NAME(si, "a"), SQLALC_COLS(sqlalc_c(si, "name"))), d,
                       "only the IDENTITY column");
        expect_refused(
            sqlalc_returning(INS_NAME(si, "a"), SQLALC_COLS(sqlalc_c(si, "id"), sqlalc_c(si, "name"))), d,
            "only the IDENTITY column");
        expect_refused(sqlalc_returning(INS_NAME(nokey, "a"), SQLALC_COLS(sqlalc_c(nokey, "code"))), d,
                       "no IDENTITY column");
        expect_refused(
            RET_ID(sqlalc_values(sqlalc_insert(si), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(3)),
                                                               SQLALC_KV("name", sqlalc_str("a")))),
                   si),
            d, "gives the IDENTITY column its value");
        if (v > 0) /* multi-row VALUES exists from 2008 */
            expect_refused(
                RET_ID(sqlalc_values(INS_NAME(si, "a"), SQLALC_KVS(SQLALC_KV("name", sqlalc_str("b")))), si),
                d, "one row");
    }
    /* the option is SQL Server's: PostgreSQL keeps RETURNING */
    expect_compiled(RET_ID(INS_NAME(si, "a"), si), sqlalc_find_dialect("postgresql"),
                    "INSERT INTO si (name) VALUES (?) RETURNING si.id", NULL, NULL);
    sqlalc_metadata_free(md);
}

/* Issue 15.2: an INSERT giving the IDENTITY column a value runs between
 * SET IDENTITY_INSERT <table> ON and OFF, as SQLAlchemy's mssql execution
 * context does (separate statements, the table as the compiler quotes it). */
static void test_identity_insert(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *u =
        sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0), sqlalc_opt_schema("dbo"));
    sqlalc_table *k =
        sqlalc_table_new(md, "k", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), 0));
    sqlalc_table *natural =
        sqlalc_table_new(md, "natural_key", sqlalc_column("code", sqlalc_type_string(5), SQLALC_PRIMARY_KEY),
                         sqlalc_column("n", sqlalc_type_integer(), 0));
    assert_non_null(u);
    assert_non_null(k);
    assert_non_null(natural);
    for (int v = 0; v < 4; v++) {
        const sqlalc_dialect *d = ms_dialect(v);
        expect_compiled(sqlalc_values(sqlalc_insert(u), SQLALC_KVS(SQLALC_KV("id", sqlalc_int(5)),
                                                                   SQLALC_KV("name", sqlalc_str("a")))),
                        d, "INSERT INTO dbo.[user] (id, name) VALUES (?, ?)",
                        "SET IDENTITY_INSERT dbo.[user] ON", "SET IDENTITY_INSERT dbo.[user] OFF");
        /* every column (executemany of a plain insert(t)) names id too */
        expect_compiled(sqlalc_insert(k), d, "INSERT INTO k (id, name) VALUES (?, ?)",
                        "SET IDENTITY_INSERT k ON", "SET IDENTITY_INSERT k OFF");
        /* no id given: nothing around */
        expect_compiled(INS_NAME(k, "a"), d, "INSERT INTO k (name) VALUES (?)", NULL, NULL);
        expect_compiled(sqlalc_insert_default_values(k), d, "INSERT INTO k DEFAULT VALUES", NULL, NULL);
        /* a key that is no IDENTITY */
        expect_compiled(sqlalc_insert(natural), d, "INSERT INTO natural_key (code, n) VALUES (?, ?)", NULL,
                        NULL);
    }
    /* SQL Server's alone */
    expect_compiled(sqlalc_insert(k), sqlalc_find_dialect("postgresql"),
                    "INSERT INTO k (id, name) VALUES (?, ?)", NULL, NULL);
    sqlalc_metadata_free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),           cmocka_unit_test(test_ddl_types),
        cmocka_unit_test(test_versions),        cmocka_unit_test(test_engine_server_version),
        cmocka_unit_test(test_in_list_ceiling), cmocka_unit_test(test_param_types),
        cmocka_unit_test(test_scope_identity),  cmocka_unit_test(test_identity_insert),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

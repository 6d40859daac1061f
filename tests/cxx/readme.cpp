// The README's examples, built as C++17 and run against an SQLite memory
// database: every public macro (SQLALC_PARAMS, SQLALC_P_*, value
// constructors, SQLALC_COLS / EXPRS / KVS / NAMES, SQLALC_FK_OPTIONS) and
// the public and plugin headers compile in C++.  Where C++17 cannot say
// what the README says in C (designated initialisers), the positional
// form is used and a comment says so.
#include <sqlalc.h>
#include <sqlalc/postgresql.h>
#include <sqlalc/odbc.h>
#include <sqlalc/migrate.h>
#include <sqlalc/sys/plugin.h>
#include <cstdio>
#include <cstring>

static int failures;
#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            std::fprintf(stderr, "readme.cpp:%d: %s (%s)\n", __LINE__, #cond, sqlalc_errmsg()); \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)
#define OK(call) CHECK((call) == SQLALC_OK)

// "Using it from your project": the complete consumer.
static void consumer(void)
{
    sqlalc_engine *eng;
    sqlalc_result *res;
    const sqlalc_row *row;
    OK(sqlalc_engine_create("sqlite://", NULL, &eng));
    OK(sqlalc_engine_execute_sql(eng, "SELECT :greeting AS g", SQLALC_PARAMS(SQLALC_P_TEXT("greeting", "hello")),
                                 &res));
    CHECK(sqlalc_result_next(res, &row) == SQLALC_ROW);
    CHECK(!std::strcmp(sqlalc_row_text_by_name(row, "g"), "hello"));
    sqlalc_result_free(res);
    sqlalc_engine_free(eng);
}

// "Engines and URLs", "Connections, raw SQL, results", "Transactions".
static void engine_and_sql(void)
{
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = 5;
    o.stmt_cache_size = 128;
    sqlalc_engine *eng;
    OK(sqlalc_engine_create("sqlite://", &o, &eng));
    sqlalc_conn *conn;
    sqlalc_result *res;
    const sqlalc_row *row;
    OK(sqlalc_engine_connect(eng, &conn));
    OK(sqlalc_conn_execute_sql(conn, "CREATE TABLE team (id INTEGER PRIMARY KEY, team_short_name TEXT, "
                                     "team_long_name TEXT)",
                               NULL, NULL));
    OK(sqlalc_conn_execute_sql(conn, "INSERT INTO team VALUES (1, 'GEN', 'Genoa')", NULL, NULL));
    OK(sqlalc_conn_execute_sql(conn, "select * from team where team_short_name = :s",
                               SQLALC_PARAMS(SQLALC_P_TEXT("s", "GEN")), &res));
    int n = 0;
    while (sqlalc_result_next(res, &row) == SQLALC_ROW) {
        CHECK(sqlalc_row_int64(row, 0) == 1);
        CHECK(!std::strcmp(sqlalc_row_text_by_name(row, "team_long_name"), "Genoa"));
        n++;
    }
    CHECK(n == 1);
    sqlalc_result_free(res);

    const sqlalc_error *e = sqlalc_error_last();
    (void)sqlalc_code_name(e->code);

    // executemany
    OK(sqlalc_conn_execute_sql(conn, "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)", NULL, NULL));
    sqlalc_param ann[] = { SQLALC_P_INT("id", 1), SQLALC_P_TEXT("name", "Ann") };
    sqlalc_param bob[] = { SQLALC_P_INT("id", 2), SQLALC_P_TEXT("name", "Bob") };
    sqlalc_params sets[] = { { 2, ann }, { 2, bob } };
    int64_t count;
    OK(sqlalc_conn_execute_sql_many(conn, "INSERT INTO person (id, name) VALUES (:id, :name)", sets, 2, &count));
    CHECK(count == 2);

    // raw SQL binds the one lexer finds
    OK(sqlalc_conn_execute_sql(conn, "SELECT 1 AS \"a:b\" -- :c", NULL, &res));
    sqlalc_result_free(res);
    OK(sqlalc_conn_execute_sql(conn, "SELECT ?2, ?1", SQLALC_PARAMS(SQLALC_P_TEXT(NULL, "a"), SQLALC_P_TEXT(NULL, "b")),
                               &res));
    CHECK(sqlalc_result_next(res, &row) == SQLALC_ROW);
    CHECK(!std::strcmp(sqlalc_row_text(row, 0), "b"));
    sqlalc_result_free(res);

    // every value constructor and parameter form
    OK(sqlalc_conn_execute_sql(conn, "SELECT :n, :i, :f, :b, :t, :x, :d, :num",
                               SQLALC_PARAMS(SQLALC_P_NULL("n"), SQLALC_P_INT("i", 7), SQLALC_P_FLOAT("f", 0.5),
                                             SQLALC_P_BOOL("b", true), SQLALC_P_TEXT("t", "txt"),
                                             SQLALC_P_BLOB("x", "\x01\x02", 2), SQLALC_P_DATE("d", "2024-01-02"),
                                             SQLALC_P_NUMERIC("num", "1.25")),
                               &res));
    CHECK(sqlalc_result_next(res, &row) == SQLALC_ROW);
    CHECK(sqlalc_row_is_null(row, 0));
    CHECK(sqlalc_row_int64(row, 1) == 7);
    CHECK(sqlalc_row_double(row, 2) == 0.5);
    sqlalc_result_free(res);
    sqlalc_value v = SQLALC_TEXTNV("abc", 2);
    CHECK(v.u.s.len == 2);
    v = SQLALC_NULLV;
    CHECK(v.type == SQLALC_V_NULL);

    // transactions and savepoints
    sqlalc_tx *tx, *sp;
    OK(sqlalc_conn_begin(conn, &tx));
    OK(sqlalc_conn_execute_sql(conn, "INSERT INTO person VALUES (3, 'Cy')", NULL, NULL));
    OK(sqlalc_conn_begin_nested(conn, &sp));
    if (sqlalc_conn_execute_sql(conn, "INSERT INTO person VALUES (3, 'dup')", NULL, NULL) != SQLALC_OK)
        OK(sqlalc_tx_rollback(sp));
    else
        OK(sqlalc_tx_commit(sp));
    OK(sqlalc_tx_commit(tx));
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
}

// "Schema as data", "SQL expressions", "Inspecting and reflecting".
static void schema_and_expressions(void)
{
    sqlalc_engine *eng;
    OK(sqlalc_engine_create("sqlite://", NULL, &eng));
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *user = sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                                          sqlalc_column("first_name", sqlalc_type_string(50), SQLALC_NOT_NULL),
                                          sqlalc_column("last_name", sqlalc_type_string(50), 0));
    // C: SQLALC_FK_OPTIONS(.ondelete = "CASCADE"); C++17 has no designators: name, ondelete, onupdate, use_alter.
    sqlalc_table *address = sqlalc_table_new(
        md, "address", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("email", sqlalc_type_string(100), SQLALC_NOT_NULL | SQLALC_UNIQUE),
        sqlalc_column("user_id", sqlalc_type_integer(), 0,
                      sqlalc_foreign_key_ex("user.id", SQLALC_FK_OPTIONS(NULL, "CASCADE", NULL, 0))),
        sqlalc_index("ix_address_email_user", "email, user_id", 0));
    CHECK(user && address);
    OK(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));

    sqlalc_conn *conn;
    sqlalc_result *res, *res2;
    const sqlalc_row *row;
    OK(sqlalc_engine_connect(eng, &conn));
    sqlalc_stmt *ins = sqlalc_values(sqlalc_insert(user), SQLALC_KVS({ "id", sqlalc_int(1) },
                                                                      { "first_name", sqlalc_str("Ann") },
                                                                      SQLALC_KV("last_name", sqlalc_str("Lee"))));
    OK(sqlalc_conn_execute(conn, ins, NULL, NULL));
    sqlalc_stmt_free(ins);

    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_c(user, "first_name")),
                                   sqlalc_or(sqlalc_gt(sqlalc_c(user, "id"), sqlalc_int(5)),
                                             sqlalc_lt(sqlalc_c(user, "id"), sqlalc_int(2))));
    CHECK(q != NULL);
    const char *sql = sqlalc_stmt_sql(q, NULL);
    CHECK(sql && std::strstr(sql, "WHERE \"user\".id > :id_1 OR \"user\".id < :id_2"));
    CHECK(sqlalc_stmt_sql(q, sqlalc_find_dialect("sqlite")) != NULL);
    OK(sqlalc_conn_execute(conn, q, NULL, &res));
    CHECK(sqlalc_result_next(res, &row) == SQLALC_ROW);
    CHECK(!std::strcmp(sqlalc_row_text(row, 0), "Ann"));
    sqlalc_result_free(res);
    OK(sqlalc_conn_execute(conn, q, SQLALC_PARAMS(SQLALC_P_INT("id_1", 9)), &res2));
    sqlalc_result_free(res2);
    sqlalc_stmt_free(q);

    // generative building, SQLALC_EXPRS, SQLALC_NOEXPRS, SQLALC_NAMES
    sqlalc_expr *n = sqlalc_label(sqlalc_func("count", SQLALC_EXPRS(sqlalc_c(user, "id"))), "n");
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(user, "last_name"), sqlalc_expr_ref(n)));
    q = sqlalc_group_by(q, SQLALC_EXPRS(sqlalc_c(user, "last_name")));
    q = sqlalc_limit(sqlalc_order_by(q, SQLALC_EXPRS(sqlalc_desc(n))), 5);
    OK(sqlalc_conn_execute(conn, q, NULL, &res));
    CHECK(sqlalc_result_next(res, &row) == SQLALC_ROW);
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);
    sqlalc_stmt *copy =
        sqlalc_insert_from_select(user, SQLALC_NAMES("id", "first_name"),
                                  sqlalc_select(SQLALC_COLS(sqlalc_add(sqlalc_c(user, "id"), sqlalc_int(10)),
                                                            sqlalc_c(user, "first_name"))));
    OK(sqlalc_conn_execute(conn, copy, NULL, NULL));
    sqlalc_stmt_free(copy);
    (void)SQLALC_NOEXPRS;

    // inspecting
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    OK(sqlalc_inspector_new(eng, &insp));
    OK(sqlalc_inspector_table(insp, NULL, "address", &ti));
    CHECK(ti->ncolumns == 3);
    sqlalc_inspector_free(insp);
    sqlalc_conn_close(conn);

    sqlalc_metadata *md2 = sqlalc_metadata_new();
    OK(sqlalc_metadata_reflect(md2, eng, NULL));
    CHECK(sqlalc_metadata_table(md2, "address") != NULL);
    sqlalc_metadata_free(md2);
    OK(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

// "Execution options" and "Pools, threads and events".
static int on_statement(void *ctx, const sqlalc_event *ev)
{
    *static_cast<int *>(ctx) += ev->elapsed >= 0;
    return SQLALC_OK;
}

static void pools_and_events(void)
{
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = 4;
    o.max_overflow = 2;
    o.pool_timeout = 10;
    o.pool_debug = 1;
    sqlalc_engine *eng;
    OK(sqlalc_engine_create("sqlite://", &o, &eng));
    int seen = 0;
    OK(sqlalc_event_listen(eng, SQLALC_EVENT_MASK(SQLALC_EVENT_AFTER_EXECUTE), on_statement, &seen));
    sqlalc_conn *conn;
    OK(SQLALC_ENGINE_CONNECT(eng, &conn));
    sqlalc_execution_options eo = SQLALC_EXECUTION_OPTIONS_INIT;
    eo.isolation_level = "SERIALIZABLE"; // designated initialisers are C++20: assigned instead
    OK(sqlalc_conn_set_execution_options(conn, &eo));
    sqlalc_tx *tx;
    OK(sqlalc_conn_begin(conn, &tx));
    OK(sqlalc_conn_execute_sql_opts(conn, "SELECT 1", NULL, NULL, NULL));
    OK(sqlalc_tx_commit(tx));
    sqlalc_conn_close(conn);
    CHECK(seen == 1);
    sqlalc_pool_status st;
    OK(sqlalc_engine_pool_status(eng, &st));
    CHECK(st.kind == SQLALC_POOL_THREAD && st.checked_out == 0);
    sqlalc_engine_free(eng);
}

int main()
{
    std::printf("libsqlalc %s (%d) from C++ %ld\n", sqlalc_libversion(), sqlalc_libversion_number(),
                (long)__cplusplus);
    consumer();
    engine_and_sql();
    schema_and_expressions();
    pools_and_events();
    if (failures)
        std::fprintf(stderr, "%d README checks failed in C++\n", failures);
    return failures ? 1 : 0;
}

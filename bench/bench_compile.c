/*
 * Compile benchmark: a two-table join with a WHERE of OR / IN / LIKE,
 * GROUP BY, HAVING count, ORDER BY, LIMIT — built once and compiled for
 * sqlite, postgresql and mssql: uncached (sqlalc_compile), cached
 * (sqlalc_stmt_sql on the same statement), and build + compile.  Then runs
 * bench/sqla_compile.py (SQLAlchemy Core on the same statement, same
 * machine, same run) and prints the ratio.
 *
 * Usage: bench_compile [iterations] [path/to/sqla_compile.py]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include "sqlalc.h"
#include "../tests/unit_compile_fixture.h"
#include "../src/sql/expr_int.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static sqlalc_stmt *build(void)
{
    return sqlalc_limit(
        sqlalc_order_by(
            sqlalc_having(
                sqlalc_group_by(
                    sqlalc_select_from(
                        sqlalc_select(
                            SQLALC_COLS(fx_c(user, "name"), sqlalc_count(fx_c(address, "id"))),
                            sqlalc_or(sqlalc_in(fx_c(user, "id"),
                                                SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))),
                                      sqlalc_like(fx_c(user, "name"), sqlalc_str("a%"), 0))),
                        sqlalc_join(sqlalc_table_expr(user), sqlalc_table_expr(address), SQLALC_JOIN_INNER)),
                    SQLALC_EXPRS(fx_c(user, "name"))),
                sqlalc_gt(sqlalc_count(fx_c(address, "id")), sqlalc_int(1))),
            SQLALC_EXPRS(sqlalc_desc(fx_c(user, "name")))),
        10);
}

/*
 * Executing a cached statement shape: 50,000 primary-key lookups through
 * sqlalc_conn_execute (statement built once, the key passed as an override)
 * against a plain sqlite3 prepared-statement loop doing the same work.
 */
static void bench_execute(void)
{
    enum { ROWS = 50000 };
    sqlalc_engine *eng;
    sqlalc_conn *conn;
    if (sqlalc_engine_create("sqlite://", NULL, &eng) || sqlalc_engine_connect(eng, &conn)) {
        fprintf(stderr, "engine: %s\n", sqlalc_errmsg());
        return;
    }
    sqlalc_conn_execute_sql(
        conn, "CREATE TABLE user (id INTEGER PRIMARY KEY, name VARCHAR(50), fullname VARCHAR)", NULL, NULL);
    sqlalc_param *ps = malloc(ROWS * 3 * sizeof *ps);
    sqlalc_params *sets = malloc(ROWS * sizeof *sets);
    static char names[ROWS][16];
    for (int i = 0; i < ROWS; i++) {
        snprintf(names[i], sizeof names[i], "user%d", i);
        ps[3 * i] = SQLALC_P_INT("id", i + 1);
        ps[3 * i + 1] = SQLALC_P_TEXT("name", names[i]);
        ps[3 * i + 2] = SQLALC_P_TEXT("fullname", names[i]);
        sets[i] = (sqlalc_params){ 3, ps + 3 * i };
    }
    sqlalc_stmt *ins = sqlalc_insert(user);
    sqlalc_tx *tx;
    sqlalc_conn_begin(conn, &tx);
    double t0 = now_us();
    if (sqlalc_conn_execute_many(conn, ins, sets, ROWS, NULL))
        fprintf(stderr, "insert: %s\n", sqlalc_errmsg());
    sqlalc_tx_commit(tx);
    double tins = now_us() - t0;
    sqlalc_stmt_free(ins);
    /* The engine's own text path doing the same insert, for reference. */
    sqlalc_conn_execute_sql(
        conn, "CREATE TABLE user2 (id INTEGER PRIMARY KEY, name VARCHAR(50), fullname VARCHAR)", NULL, NULL);
    sqlalc_conn_begin(conn, &tx);
    t0 = now_us();
    if (sqlalc_conn_execute_sql_many(
            conn, "INSERT INTO user2 (id, name, fullname) VALUES (:id, :name, :fullname)", sets, ROWS, NULL))
        fprintf(stderr, "insert text: %s\n", sqlalc_errmsg());
    sqlalc_tx_commit(tx);
    double ttext = now_us() - t0;

    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(fx_c(user, "name"), fx_c(user, "fullname")),
                                   sqlalc_eq(fx_c(user, "id"), sqlalc_bindparam("uid", SQLALC_INTV(1))));
    size_t sink = 0;
    t0 = now_us();
    for (int k = 0; k < ROWS; k++) {
        sqlalc_param p = SQLALC_P_INT("uid", (k * 7919) % ROWS + 1);
        sqlalc_params ov = { 1, &p };
        sqlalc_result *res;
        const sqlalc_row *row;
        if (sqlalc_conn_execute(conn, q, &ov, &res)) {
            fprintf(stderr, "lookup: %s\n", sqlalc_errmsg());
            break;
        }
        if (sqlalc_result_next(res, &row) == SQLALC_ROW)
            sink += strlen(sqlalc_row_text(row, 0)) + strlen(sqlalc_row_text(row, 1));
        sqlalc_result_free(res);
    }
    double tlib = now_us() - t0;
    sqlalc_stmt_free(q);
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);

    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db, "CREATE TABLE user (id INTEGER PRIMARY KEY, name VARCHAR(50), fullname VARCHAR)", 0, 0,
                 0);
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO user (id, name, fullname) VALUES (?, ?, ?)", -1, &st, 0);
    t0 = now_us();
    for (int i = 0; i < ROWS; i++) {
        sqlite3_bind_int64(st, 1, i + 1);
        sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, names[i], -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    double trawins = now_us() - t0;
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    sqlite3_prepare_v2(db, "SELECT user.name, user.fullname FROM user WHERE user.id = ?", -1, &st, 0);
    size_t sink2 = 0;
    t0 = now_us();
    for (int k = 0; k < ROWS; k++) {
        sqlite3_bind_int64(st, 1, (k * 7919) % ROWS + 1);
        if (sqlite3_step(st) == SQLITE_ROW)
            sink2 += strlen((const char *)sqlite3_column_text(st, 0)) +
                     strlen((const char *)sqlite3_column_text(st, 1));
        sqlite3_reset(st);
    }
    double traw = now_us() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("\nExecuting a cached statement (SQLite memory, %d rows):\n", ROWS);
    printf("  executemany insert(user): %8.0f µs   raw sqlite3 loop %8.0f µs   ratio %.2fx\n", tins, trawins,
           tins / trawins);
    printf("  (sqlalc_conn_execute_sql_many, same insert as text: %8.0f µs, ratio %.2fx)\n", ttext,
           ttext / trawins);
    printf("  PK lookups select().where(id == :uid) with override: %8.0f µs   raw %8.0f µs   ratio %.2fx%s\n",
           tlib, traw, tlib / traw, sink == sink2 ? "" : "  (MISMATCH)");
    free(ps);
    free(sets);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    const char *script = argc > 2 ? argv[2] : NULL;
    fx_setup();
    static const struct {
        const char *name;
        const sqlalc_dialect *d;
        int style;
    } ds[] = {
        { "sqlite", &sqlalc__dialect_sqlite, SQLALC_PARAMSTYLE_QMARK },
        { "postgresql", &sqlalc__dialect_postgresql, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR },
        { "mssql", &sqlalc__dialect_mssql, SQLALC_PARAMSTYLE_QMARK },
    };
    double unc[3];
    printf("%-11s %12s %12s %14s %15s\n", "dialect", "uncached µs", "cached µs", "build+comp µs",
           "build+shape µs");
    for (int k = 0; k < 3; k++) {
        sqlalc_stmt *q = build();
        if (!q) {
            fprintf(stderr, "build: %s\n", sqlalc_errmsg());
            return 1;
        }
        sqlalc_compiled *c;
        if (sqlalc_compile(q, ds[k].d, ds[k].style, &c)) {
            fprintf(stderr, "compile: %s\n", sqlalc_errmsg());
            return 1;
        }
        if (k == 0)
            printf("SQL (%s): %s\n", ds[k].name, sqlalc_compiled_sql(c));
        sqlalc_compiled_free(c);
        double t0 = now_us();
        for (long i = 0; i < n; i++) {
            sqlalc_compile(q, ds[k].d, ds[k].style, &c);
            sqlalc_compiled_free(c);
        }
        unc[k] = (now_us() - t0) / n;
        t0 = now_us();
        size_t sink = 0;
        for (long i = 0; i < n; i++)
            sink += strlen(sqlalc_stmt_sql(q, ds[k].d));
        double cached = (now_us() - t0) / n;
        sqlalc_stmt_free(q);
        long nb = n / 4;
        t0 = now_us();
        for (long i = 0; i < nb; i++) {
            sqlalc_stmt *b = build();
            sqlalc_compile(b, ds[k].d, ds[k].style, &c);
            sqlalc_compiled_free(c);
            sqlalc_stmt_free(b);
        }
        double bc = (now_us() - t0) / nb;
        /* A new statement of the same shape each time: the shape cache hits. */
        t0 = now_us();
        for (long i = 0; i < nb; i++) {
            sqlalc_stmt *b = build();
            struct sqlalc_compiled *sc;
            sqlalc__shape_compiled((sqlalc_expr *)b, ds[k].d, ds[k].style, &sc);
            sqlalc_compiled_free(sc);
            sqlalc_stmt_free(b);
        }
        double bs = (now_us() - t0) / nb;
        printf("%-11s %12.3f %12.4f %14.3f %15.3f%s\n", ds[k].name, unc[k], cached, bc, bs, sink ? "" : " ");
    }
    bench_execute();
    fx_teardown();
    if (!script)
        script = "bench/sqla_compile.py";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s 2000 2>/dev/null", script);
    FILE *p = popen(cmd, "r");
    if (!p)
        return 0;
    char line[256];
    int k = 0;
    printf("\nSQLAlchemy %s on the same statement (uncached compile):\n", "1.4");
    while (fgets(line, sizeof line, p) && k < 3) {
        char name[32];
        double us, bus;
        if (sscanf(line, "%31s %lf %lf", name, &us, &bus) == 3) {
            for (int j = 0; j < 3; j++)
                if (!strcmp(name, ds[j].name))
                    printf("%-11s %10.2f µs  -> libsqlalc is %.0fx faster\n", name, us, us / unc[j]);
            k++;
        }
    }
    if (pclose(p) != 0 && k == 0)
        printf("(could not run %s)\n", script);
    return 0;
}

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
#include "sqlalc.h"
#include "../tests/unit_compile_fixture.h"

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
                        sqlalc_select(SQLALC_COLS(fx_c(user, "name"), sqlalc_count(fx_c(address, "id"))),
                                      sqlalc_or(sqlalc_in(fx_c(user, "id"),
                                                          SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))),
                                                sqlalc_like(fx_c(user, "name"), sqlalc_text("a%"), 0))),
                        sqlalc_join(sqlalc_tbl(user), sqlalc_tbl(address), SQLALC_JOIN_INNER)),
                    SQLALC_EXPRS(fx_c(user, "name"))),
                sqlalc_gt(sqlalc_count(fx_c(address, "id")), sqlalc_int(1))),
            SQLALC_EXPRS(sqlalc_desc(fx_c(user, "name")))),
        10);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    const char *script = argc > 2 ? argv[2] : NULL;
    fx_setup();
    static const struct { const char *name; const sqlalc_dialect *d; int style; } ds[] = {
        { "sqlite", &sqlalc__dialect_sqlite, SQLALC_PARAMSTYLE_QMARK },
        { "postgresql", &sqlalc__dialect_postgresql, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR },
        { "mssql", &sqlalc__dialect_mssql, SQLALC_PARAMSTYLE_QMARK },
    };
    double unc[3];
    printf("%-11s %12s %12s %14s\n", "dialect", "uncached µs", "cached µs", "build+comp µs");
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
        printf("%-11s %12.3f %12.4f %14.3f%s\n", ds[k].name, unc[k], cached, bc, sink ? "" : " ");
    }
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

/*
 * Compiler tests: exact SQL and parameter order for every construct, per
 * dialect.  The table-driven cases come from tests/unit_compile_cases.txt,
 * with expected strings produced by SQLAlchemy 1.4 (unit_compile_gen.py).
 */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "unit_compile_fixture.h"

struct expect {
    const char *named;      /* display form (SQLAlchemy's str()), "!ERR" = compile error, NULL = skip */
    const char *positional; /* driver paramstyle form (qmark, $n) */
    const char *names;      /* parameter names in placeholder order, comma-separated */
};

struct compile_case {
    const char *title;
    sqlalc_stmt *(*build)(void);
    struct expect e[4]; /* default, sqlite, postgresql, mssql */
};

#include "unit_compile_cases.inc"

static const sqlalc_dialect *dia(int i)
{
    switch (i) {
    case 1: return &sqlalc__dialect_sqlite;
    case 2: return &sqlalc__dialect_postgresql;
    case 3: return &sqlalc__dialect_mssql_2012; /* the generator sets up a 2012+ server */
    default: return NULL;
    }
}

static const int pstyle[4] = { 0, SQLALC_PARAMSTYLE_QMARK, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
                               SQLALC_PARAMSTYLE_QMARK };
static const char *const dname[4] = { "default", "sqlite", "postgresql", "mssql" };

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

static void names_of(const sqlalc_compiled *c, char *buf, size_t n)
{
    buf[0] = 0;
    for (size_t i = 0; i < sqlalc_compiled_nparams(c); i++) {
        if (i)
            strncat(buf, ",", n - strlen(buf) - 1);
        strncat(buf, sqlalc_compiled_param_name(c, i), n - strlen(buf) - 1);
    }
}

static int checks;

static void test_cases(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t k = 0; k < sizeof compile_cases / sizeof compile_cases[0]; k++) {
        const struct compile_case *cc = &compile_cases[k];
        sqlalc_stmt *q = cc->build();
        if (!q) {
            printf("case %zu (%s): build failed: %s\n", k, cc->title, sqlalc_errmsg());
            failed++;
            continue;
        }
        for (int d = 0; d < 4; d++) {
            const struct expect *e = &cc->e[d];
            if (!e->named)
                continue;
            const char *got = sqlalc_stmt_sql(q, dia(d));
            checks++;
            if (!strcmp(e->named, "!ERR")) {
                if (got) {
                    printf("case %zu %s: expected an error, got\n  %s\n", k, dname[d], got);
                    failed++;
                }
                continue;
            }
            if (!got || strcmp(got, e->named)) {
                printf("case %zu %s (%s)\n  want: %s\n  got:  %s\n", k, dname[d], cc->title, e->named,
                       got ? got : sqlalc_errmsg());
                failed++;
                continue;
            }
            sqlalc_compiled *c = NULL;
            int rc = sqlalc_compile(q, dia(d), pstyle[d], &c);
            char names[2048];
            if (rc) {
                printf("case %zu %s positional: %s\n", k, dname[d], sqlalc_errmsg());
                failed++;
                continue;
            }
            names_of(c, names, sizeof names);
            checks += e->names != NULL;
            if (e->names && strcmp(names, e->names)) {
                printf("case %zu %s params\n  want: %s\n  got:  %s\n", k, dname[d], e->names, names);
                failed++;
            }
            if (e->positional) {
                checks++;
                if (strcmp(sqlalc_compiled_sql(c), e->positional)) {
                    printf("case %zu %s positional\n  want: %s\n  got:  %s\n", k, dname[d], e->positional,
                           sqlalc_compiled_sql(c));
                    failed++;
                }
            }
            sqlalc_compiled_free(c);
        }
        sqlalc_stmt_free(q);
    }
    printf("%zu cases, %d checks, %d failed\n", sizeof compile_cases / sizeof compile_cases[0], checks,
           failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

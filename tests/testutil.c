#include <stdlib.h>
#include <string.h>
#include "testutil.h"

const char *test_url(void)
{
    const char *u = getenv("SQLALC_TEST_URL");
    return u && *u ? u : "sqlite://";
}

const char *test_backend(void)
{
    const char *b = getenv("SQLALC_TEST_BACKEND");
    return b && *b ? b : "sqlite_memory";
}

int test_dialect_is(const char *name)
{
    size_t n = strlen(name);
    const char *u = test_url();
    return !strncmp(u, name, n) && (u[n] == ':' || u[n] == '+');
}

int test_via_odbc(void)
{
    const char *u = test_url();
    const char *sep = strstr(u, "://");
    return !strncmp(u, "odbc:", 5) || (sep && sep - u > 5 && !strncmp(sep - 5, "+odbc", 5));
}

sqlalc_engine *test_engine(void)
{
    sqlalc_engine *eng = NULL;
    int rc = sqlalc_engine_create(test_url(), NULL, &eng);
    if (rc != SQLALC_OK)
        fail_msg("engine_create(%s): %s", test_url(), sqlalc_errmsg());
    return eng;
}

void test_exec(sqlalc_engine *eng, const char *sql)
{
    int rc = sqlalc_engine_execute_sql(eng, sql, NULL, NULL);
    if (rc != SQLALC_OK)
        fail_msg("exec(%s): %s", sql, sqlalc_errmsg());
}

void test_exec_quiet(sqlalc_engine *eng, const char *sql)
{
    (void)sqlalc_engine_execute_sql(eng, sql, NULL, NULL);
}

int64_t test_scalar(sqlalc_engine *eng, const char *sql)
{
    sqlalc_result *res = NULL;
    int64_t v = 0;
    if (sqlalc_engine_execute_sql(eng, sql, NULL, &res) != SQLALC_OK)
        fail_msg("scalar(%s): %s", sql, sqlalc_errmsg());
    sqlalc_value x;
    int rc = sqlalc_result_scalar(res, &x);
    if (rc == SQLALC_OK)
        rc = sqlalc_value_get_int64(&x, &v);
    sqlalc_result_free(res);
    if (rc != SQLALC_OK)
        fail_msg("scalar(%s): %s: %s", sql, sqlalc_code_name(rc), sqlalc_errmsg());
    return v;
}

int64_t test_result_int64(sqlalc_result *res)
{
    sqlalc_value x;
    int64_t v = 0;
    int rc = sqlalc_result_scalar(res, &x);
    if (rc == SQLALC_OK)
        rc = sqlalc_value_get_int64(&x, &v);
    sqlalc_result_free(res);
    if (rc != SQLALC_OK)
        fail_msg("scalar: %s: %s", sqlalc_code_name(rc), sqlalc_errmsg());
    return v;
}

/* Failing allocator: a header before each block records its size so that
 * live blocks can be counted. */
static long fa_fail_at, fa_count, fa_live;
static int fa_failed;

static void *fa_malloc(void *ctx, size_t n)
{
    (void)ctx;
    fa_count++;
    if (fa_fail_at && fa_count >= fa_fail_at && !fa_failed) {
        fa_failed = 1;
        return NULL;
    }
    void *p = malloc(n);
    if (p)
        fa_live++;
    return p;
}

static void *fa_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    fa_count++;
    if (fa_fail_at && fa_count >= fa_fail_at && !fa_failed) {
        fa_failed = 1;
        return NULL;
    }
    void *q = realloc(p, n);
    if (q && !p)
        fa_live++;
    return q;
}

static void fa_free(void *ctx, void *p)
{
    (void)ctx;
    if (p)
        fa_live--;
    free(p);
}

void failalloc_install(void)
{
    sqlalc_allocator a = { fa_malloc, fa_realloc, fa_free, NULL };
    fa_fail_at = fa_count = 0;
    fa_failed = 0;
    fa_live = 0;
    sqlalc_set_allocator(&a);
}

void failalloc_uninstall(void)
{
    sqlalc_set_allocator(NULL);
}
void failalloc_fail_at(long n)
{
    fa_fail_at = n;
    fa_count = 0;
    fa_failed = 0;
}
long failalloc_count(void)
{
    return fa_count;
}
long failalloc_live(void)
{
    return fa_live;
}
int failalloc_failed(void)
{
    return fa_failed;
}

/* Shared helpers for the cmocka suite. */
#ifndef SQLALC_TESTUTIL_H
#define SQLALC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "sqlalc.h"

/* The backend URL under test (SQLALC_TEST_URL, default "sqlite://"). */
const char *test_url(void);
/* Backend name ("sqlite_memory", "postgresql", "odbc_pg" …). */
const char *test_backend(void);
/* Non-zero when the backend's dialect is name ("sqlite", "postgresql"). */
int test_dialect_is(const char *name);

/* Non-zero when the backend goes through ODBC ("…+odbc://"). */
int test_via_odbc(void);

/* Assert a call returned SQLALC_OK, printing the library's message if not. */
#define assert_ok(call)                                                              \
    do {                                                                             \
        int rc_ = (call);                                                            \
        if (rc_ != SQLALC_OK)                                                        \
            fail_msg("%s -> %s: %s", #call, sqlalc_code_name(rc_), sqlalc_errmsg()); \
    } while (0)
#define assert_code(call, code)                                                                      \
    do {                                                                                             \
        int rc_ = (call);                                                                            \
        if (rc_ != (code))                                                                           \
            fail_msg("%s -> %s (want %s): %s", #call, sqlalc_code_name(rc_), sqlalc_code_name(code), \
                     sqlalc_errmsg());                                                               \
    } while (0)

/* Create an engine on the backend under test (fails the test if it cannot). */
sqlalc_engine *test_engine(void);
/* Run SQL on a fresh engine-level connection, failing the test on error. */
void test_exec(sqlalc_engine *eng, const char *sql);
/* Run SQL ignoring errors (cleanup such as DROP TABLE). */
void test_exec_quiet(sqlalc_engine *eng, const char *sql);
/* First column of the first row as int64. */
int64_t test_scalar(sqlalc_engine *eng, const char *sql);
/* The first column of res's first row as int64, then res freed (fails the
 * test when there is no row or it is no integer). */
int64_t test_result_int64(sqlalc_result *res);

/* A counting allocator that fails the Nth allocation (1-based; 0 = never).
 * Tracks live allocations so a test can check nothing leaked. */
void failalloc_install(void);
void failalloc_uninstall(void);
void failalloc_fail_at(long n);
long failalloc_count(void); /* allocations made since the last fail_at */
long failalloc_live(void);  /* allocations not yet freed */
int failalloc_failed(void); /* non-zero once the planned failure happened */

#endif

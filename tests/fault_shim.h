/*
 * The fault suites' shared machinery (tests/suite_fault*.c include it):
 *
 * - a driver shim, registered through the plugin API as "fault_<driver>",
 *   that wraps the backend's real driver (sqlite3, libpq, odbc) and fails
 *   its Nth call (connect, exec_simple — BEGIN, COMMIT, ROLLBACK,
 *   SAVEPOINT —, prepare, bind, step, column reads, native
 *   begin/commit/rollback, batches, ping, server-side cursors).  The
 *   failure never reaches the database (as when a call fails before it is
 *   sent); every third one is reported as a lost connection;
 * - the stride of the allocation and driver-fault loops.
 *
 * Header-only (static): each suite is its own executable.
 */
#ifndef SQLALC_FAULT_SHIM_H
#define SQLALC_FAULT_SHIM_H
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"

static const sqlalc_driver *fs_real;
static sqlalc_driver fs_shim;
static char fs_name[64];
static long fs_calls, fs_fail_at, fs_hits;
static int fs_armed;
static char fs_hit_op[32];

/* The operations the shim counts, for the per-operation report. */
static const char *const fs_ops[] = { "connect", "ping",  "exec_simple", "prepare",  "bind",  "step",
                                      "column",  "begin", "commit",      "rollback", "batch", "cursor" };
#define FS_NOPS (sizeof fs_ops / sizeof fs_ops[0])

/* Part of a workload rather than a fault: the next ping / step finds the
 * connection dead (SQLALC_ERR_DISCONNECT), whether the shim is armed or
 * not, without counting as a call. */
static int fs_dead_ping, fs_dead_step;

static inline int fs_dead(const char *op, int *flag, int *rc)
{
    if (!*flag)
        return 0;
    *flag = 0;
    *rc = sqlalc_error_set_full(SQLALC_ERR_DISCONNECT, "08006", -1, "connection found dead (%s)", op);
    return 1;
}

/* Count this call; non-zero (after recording the error) when it is the one to fail. */
static inline int fs_fault(const char *op, int *rc)
{
    if ((!strcmp(op, "ping") && fs_dead(op, &fs_dead_ping, rc)) ||
        (!strcmp(op, "step") && fs_dead(op, &fs_dead_step, rc)))
        return 1;
    if (!fs_armed)
        return 0;
    ++fs_calls;
    if (fs_calls != fs_fail_at)
        return 0;
    fs_hits++;
    snprintf(fs_hit_op, sizeof fs_hit_op, "%s", op);
    int code = fs_fail_at % 3 == 0 ? SQLALC_ERR_DISCONNECT : SQLALC_ERR_OPERATIONAL;
    *rc = sqlalc_error_set_full(code, code == SQLALC_ERR_DISCONNECT ? "08006" : "58000", -1,
                                "injected fault: %s call %ld failed", op, fs_fail_at);
    return 1;
}

#define FS_WRAP(fn, op, params, args) \
    static int fs_##fn params         \
    {                                 \
        int rc;                       \
        if (fs_fault(op, &rc))        \
            return rc;                \
        return fs_real->fn args;      \
    }

FS_WRAP(connect, "connect", (const sqlalc_url *url, void **out), (url, out))
FS_WRAP(ping, "ping", (void *c), (c))
FS_WRAP(exec_simple, "exec_simple", (void *c, const char *sql), (c, sql))
FS_WRAP(prepare, "prepare", (void *c, const char *sql, size_t len, int n, void **out), (c, sql, len, n, out))
FS_WRAP(bind, "bind", (void *s, int i, const sqlalc_value *v), (s, i, v))
FS_WRAP(step, "step", (void *s), (s))
FS_WRAP(column_value, "column", (void *s, int i, sqlalc_value *out), (s, i, out))
FS_WRAP(begin, "begin", (void *c), (c))
FS_WRAP(commit, "commit", (void *c), (c))
FS_WRAP(rollback, "rollback", (void *c), (c))
FS_WRAP(exec_batch, "batch", (void *s, const sqlalc_value *v, size_t n, int np, int64_t *rows),
        (s, v, n, np, rows))
FS_WRAP(prepare_cursor, "cursor",
        (void *c, const char *sql, const char *d, const char *dh, const char *f, const char *cl, int n,
         void **out),
        (c, sql, d, dh, f, cl, n, out))

/* Register fault_<driver of url> and return the URL that uses it (free it
 * with sqlalc_free). */
static inline char *fault_shim_url(const char *url)
{
    sqlalc_url *u;
    assert_ok(sqlalc_url_parse(url, &u));
    const char *drv = sqlalc_url_driver(u);
    if (!drv)
        drv = sqlalc_find_dialect(sqlalc_url_dialect(u))->default_driver;
    fs_real = sqlalc_find_driver(drv);
    assert_non_null(fs_real);
    fs_shim = *fs_real;
    snprintf(fs_name, sizeof fs_name, "fault_%s", fs_real->name);
    fs_shim.name = fs_name;
    fs_shim.connect = fs_connect;
    fs_shim.ping = fs_real->ping ? fs_ping : NULL;
    fs_shim.exec_simple = fs_exec_simple;
    fs_shim.prepare = fs_prepare;
    fs_shim.bind = fs_bind;
    fs_shim.step = fs_step;
    fs_shim.column_value = fs_column_value;
    /* typed accessors would bypass column_value: reads go through it */
    fs_shim.column_int64 = NULL;
    fs_shim.column_double = NULL;
    fs_shim.column_text = NULL;
    fs_shim.begin = fs_real->begin ? fs_begin : NULL;
    fs_shim.commit = fs_real->commit ? fs_commit : NULL;
    fs_shim.rollback = fs_real->rollback ? fs_rollback : NULL;
    fs_shim.exec_batch = fs_real->exec_batch ? fs_exec_batch : NULL;
    fs_shim.prepare_cursor = fs_real->prepare_cursor ? fs_prepare_cursor : NULL;
    if (!sqlalc_find_driver(fs_name))
        assert_ok(sqlalc_register_driver(&fs_shim));
    assert_ok(sqlalc_url_set(u, SQLALC_URL_DRIVER, fs_name));
    char *s = sqlalc_url_render(u, 0);
    sqlalc_url_free(u);
    return s;
}

/* Arm the shim to fail call n (0: count only); fault_disarm stops counting. */
static inline void fault_arm(long n)
{
    fs_dead_ping = fs_dead_step = 0;
    fs_calls = 0;
    fs_hits = 0;
    fs_hit_op[0] = 0;
    fs_fail_at = n;
    fs_armed = 1;
}
static inline void fault_disarm(void)
{
    fs_armed = 0;
}

/* Count a hit of the last run under its operation. */
static inline void fault_note_op(long *per_op)
{
    for (size_t k = 0; k < FS_NOPS; k++)
        if (!strcmp(fs_hit_op, fs_ops[k]))
            per_op[k]++;
}
static inline void fault_print_ops(const long *per_op)
{
    for (size_t k = 0; k < FS_NOPS; k++)
        if (per_op[k])
            print_message(" %s %ld", fs_ops[k], per_op[k]);
}

/*
 * Which failure points a loop visits: every one (stride 1) unless
 * SQLALC_FAULT_STRIDE=k asks for every kth (points n with n % k ==
 * SQLALC_FAULT_PHASE % k, so k runs with phases 0…k-1 cover them all).
 * The sanitizer builds set it from CMake to stay inside ctest's timeout.
 */
/* SQLALC_FAULT_ONLY=n: visit point n alone and leave its leaks to
 * LeakSanitizer's report (to find what a failing point left behind). */
static inline long fault_only(void)
{
    const char *s = getenv("SQLALC_FAULT_ONLY");
    return s ? atol(s) : 0;
}
static inline long fault_stride(void)
{
    if (fault_only())
        return 1L << 40;
    const char *s = getenv("SQLALC_FAULT_STRIDE");
    long k = s ? atol(s) : 1;
    return k > 0 ? k : 1;
}
static inline long fault_first(void)
{
    if (fault_only())
        return fault_only();
    const char *s = getenv("SQLALC_FAULT_PHASE");
    long k = fault_stride(), p = s ? atol(s) : 0;
    p %= k;
    return p == 0 ? k : p; /* points are 1-based */
}

/* The leak check of a run: live allocations now against before it. */
#define fault_check_leak(live0, ...)                      \
    do {                                                  \
        if (failalloc_live() != (live0) && !fault_only()) \
            fail_msg(__VA_ARGS__);                        \
    } while (0)

/* A memory database lives and dies with its engine: no second engine sees it. */
static inline int fault_memory_database(void)
{
    return !strcmp(test_backend(), "sqlite_memory");
}

#endif

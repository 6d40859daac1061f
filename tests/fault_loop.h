/*
 * The two loops of the fault suites, for any workload:
 *
 * - fault_driver_loop: the workload runs once through the shim unarmed to
 *   count its driver calls, then once per call N with call N failing;
 * - fault_alloc_loop: the same with allocation N failing.
 *
 * Each run is on a fresh engine and must end with an error message (or
 * success), leave no allocation behind once the engine is freed, leave
 * every transaction of the workload wholly committed or wholly absent
 * (the workload's check, through a second engine on the real driver, or
 * the run's own engine for a memory database, which no other engine
 * sees), and leave the engine usable (the workload's after-call succeeds
 * on it).
 */
#ifndef SQLALC_FAULT_LOOP_H
#define SQLALC_FAULT_LOOP_H
#include "fault_shim.h"

#define FAULT_MAX_PARTS 16

typedef struct fault_workload {
    const char *name;                  /* "ORM", "pool" … for the report */
    const sqlalc_engine_options *opts; /* of the run's engine (may be NULL) */
    int nparts;                        /* o[0…nparts-1] are the parts' rc, reported */
    const char *const *part_names;
    /* Run the workload tagged base: the rc of each part (and whatever the
     * check needs) in o, the first failure returned, its message in
     * fault_msg. */
    int (*run)(sqlalc_engine *eng, long base, int *o);
    /* After a failure: work that must succeed on the same engine. */
    int (*after)(sqlalc_engine *eng, long base);
    /* fail_msg when the rows of run base break all-or-nothing. */
    void (*check)(sqlalc_engine *e, long base, const int *o, const char *what);
    /* Optional: on a new engine before the run (a memory database's tables). */
    void (*prepare)(sqlalc_engine *eng);
    /* Optional: after the run and its check, before the engine is freed. */
    void (*cleanup)(sqlalc_engine *eng);
} fault_workload;

/* The message of the first failure of a run (later calls may clear it). */
static char fault_msg[1024];

/* Record rc as a part's outcome; the first failure's message is kept. */
static inline int fault_note(int *first, int rc)
{
    if (rc != SQLALC_OK && rc != SQLALC_DONE && !*first) {
        *first = rc;
        snprintf(fault_msg, sizeof fault_msg, "%s", sqlalc_errmsg());
    }
    return rc;
}

static inline int fault_run(const fault_workload *w, sqlalc_engine *eng, long base, int *o)
{
    fault_msg[0] = 0;
    for (int p = 0; p < FAULT_MAX_PARTS; p++)
        o[p] = SQLALC_DONE; /* not run */
    return w->run(eng, base, o);
}

/* Rows of table with lo <= id <= hi, through e. */
static inline int64_t fault_count_ids(sqlalc_engine *e, const char *table, long lo, long hi)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE id >= :lo AND id <= :hi", table);
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(e, sql, SQLALC_PARAMS(SQLALC_P_INT("lo", lo), SQLALC_P_INT("hi", hi)),
                                        &res));
    return test_result_int64(res);
}

/* The first part that failed, counted for the report. */
static inline void fault_tally(const fault_workload *w, const int *o, long *per_part)
{
    for (int p = 0; p < w->nparts; p++)
        if (o[p] != SQLALC_OK && o[p] != SQLALC_DONE) {
            per_part[p]++;
            return;
        }
}

static inline void fault_print_parts(const fault_workload *w, const long *per_part)
{
    print_message("; first failing part:");
    for (int p = 0; p < w->nparts; p++)
        print_message(" %s %ld", w->part_names[p], per_part[p]);
    print_message("\n");
}

static inline void fault_driver_loop(const fault_workload *w, sqlalc_engine *clean)
{
    char *url = fault_shim_url(test_url());
    sqlalc_engine *eng;
    int o[FAULT_MAX_PARTS];
    failalloc_install();
    assert_ok(sqlalc_engine_create(url, w->opts, &eng));
    fault_arm(0);
    int rc = fault_run(w, eng, 100, o);
    fault_disarm();
    if (rc)
        fail_msg("%s workload without faults: %s", w->name, fault_msg);
    long total = fs_calls;
    assert_ok(w->after(eng, 100));
    if (w->cleanup)
        w->cleanup(eng);
    sqlalc_engine_free(eng);
    w->check(clean, 100, o, "without faults");
    long points = 0, per_op[FS_NOPS] = { 0 }, per_part[FAULT_MAX_PARTS] = { 0 }, stride = fault_stride();
    for (long n = fault_first(); n <= total + 20; n += stride) {
        long base = 1000 + n * 100;
        /* the clean engine's statement cache grows between runs: count
         * this run's allocations only */
        long live0 = failalloc_live();
        assert_ok(sqlalc_engine_create(url, w->opts, &eng));
        fault_arm(n);
        rc = fault_run(w, eng, base, o);
        fault_disarm();
        if (!fs_hits) {
            sqlalc_engine_free(eng);
            break; /* past the last call of the workload */
        }
        points++;
        fault_note_op(per_op);
        fault_tally(w, o, per_part);
        char what[96];
        snprintf(what, sizeof what, "fault %ld (%s)", n, fs_hit_op);
        if (rc != SQLALC_OK && !fault_msg[0])
            fail_msg("%s: an error (%s) without a message", what, sqlalc_code_name(rc));
        if (rc > 0)
            fail_msg("%s: a positive code %d (%s)", what, rc, fault_msg);
        if (w->after(eng, base) != SQLALC_OK)
            fail_msg("%s: engine unusable afterwards: %s", what, sqlalc_errmsg());
        if (w->cleanup)
            w->cleanup(eng);
        sqlalc_engine_free(eng);
        fault_check_leak(live0, "%s: %ld allocations left behind (%s)", what, failalloc_live() - live0,
                         fault_msg);
        w->check(clean, base, o, what);
    }
    failalloc_uninstall();
    print_message("%s: %ld driver calls in the %s workload, %ld fault points (stride %ld):", test_backend(),
                  total, w->name, points, stride);
    fault_print_ops(per_op);
    fault_print_parts(w, per_part);
    assert_true(fault_only() || (points + 1) * stride > total);
    sqlalc_free(url);
}

/* url: the engine's (the shim's, for a workload that uses its dead
 * connections; it is never armed here).  clean: NULL for a memory
 * database (the run's engine is read instead). */
static inline void fault_alloc_loop(const fault_workload *w, const char *url, sqlalc_engine *clean)
{
    sqlalc_engine *eng;
    int o[FAULT_MAX_PARTS];
    /* once before counting: what the library sets up once per process
     * (registry, per-thread state) is not a leak of a run */
    assert_ok(sqlalc_engine_create(url, w->opts, &eng));
    if (w->prepare)
        w->prepare(eng);
    if (fault_run(w, eng, 100, o))
        fail_msg("%s workload without faults: %s", w->name, fault_msg);
    if (w->cleanup)
        w->cleanup(eng);
    sqlalc_engine_free(eng);
    failalloc_install();
    long points = 0, absorbed = 0, total = 0, per_part[FAULT_MAX_PARTS] = { 0 }, stride = fault_stride();
    for (long n = fault_first();; n += stride) {
        long base = 1000 + n * 100;
        failalloc_fail_at(0);
        long live0 = failalloc_live();
        assert_ok(sqlalc_engine_create(url, w->opts, &eng));
        if (w->prepare)
            w->prepare(eng);
        /* a pooled connection first: connecting is the pool workload's */
        sqlalc_conn *c;
        assert_ok(sqlalc_engine_connect(eng, &c));
        sqlalc_conn_close(c);
        failalloc_fail_at(n);
        int rc = fault_run(w, eng, base, o);
        int failed = failalloc_failed();
        long count = failalloc_count();
        failalloc_fail_at(0);
        if (!failed) {
            if (rc != SQLALC_OK)
                fail_msg("%s: fails past its last allocation: %s", w->name, fault_msg);
            total = count;
            if (w->cleanup)
                w->cleanup(eng);
            sqlalc_engine_free(eng);
            break;
        }
        points++;
        fault_tally(w, o, per_part);
        char what[64];
        snprintf(what, sizeof what, "allocation %ld", n);
        if (rc == SQLALC_OK)
            absorbed++; /* a cache that could not grow */
        else if (!fault_msg[0])
            fail_msg("%s: an error (%s) without a message", what, sqlalc_code_name(rc));
        else if (rc > 0)
            fail_msg("%s: a positive code %d (%s)", what, rc, fault_msg);
        if (w->after(eng, base) != SQLALC_OK)
            fail_msg("%s: engine unusable afterwards: %s", what, sqlalc_errmsg());
        if (!clean) /* the engine is the database: read it there */
            w->check(eng, base, o, what);
        if (w->cleanup)
            w->cleanup(eng);
        sqlalc_engine_free(eng);
        fault_check_leak(live0, "%s: %ld allocations left behind (%s)", what, failalloc_live() - live0,
                         fault_msg);
        if (clean)
            w->check(clean, base, o, what);
    }
    failalloc_uninstall();
    print_message("%s: %ld allocations in the %s workload, %ld failed (stride %ld), %ld absorbed",
                  test_backend(), total, w->name, points, stride, absorbed);
    fault_print_parts(w, per_part);
}

#endif

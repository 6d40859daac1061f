/*
 * Fault injection through the pool on every backend (issue 14, "make it
 * stay fixed" 2): the driver shim of fault_shim.h failing its Nth call,
 * and every allocation failing in turn, over a pool workload — event
 * listeners (a connect listener running setup SQL, one counting
 * checkouts, checkins, invalidations, errors and transactions), three
 * checkouts at once (one tagged, one beyond pool_size), a connection
 * returned with its transaction open (the checkin's reset rolls it back),
 * a ping, the pool's status and checkout list, a pre-ping that finds its
 * connection dead and a statement that does (invalidation, a new
 * connection), dispose, and removing the listeners.  Each run must end
 * with an error message (or success), no allocation left behind, every
 * transaction wholly committed or wholly absent as a fresh connection
 * sees it, and the same engine usable afterwards.
 */
#include "fault_loop.h"

enum { G_COMMIT, G_RESET, G_PREPING, G_AFTER_DEAD, G_DISPOSE, NGROUPS };
static const char *const group_names[NGROUPS] = { "commit", "reset", "pre-ping", "after-dead", "dispose" };
/* The ids each group inserts (offsets from the run's base) */
static const int group_lo[NGROUPS] = { 1, 3, 4, 6, 7 }, group_hi[NGROUPS] = { 2, 3, 5, 6, 7 };

/* o[]: the parts' rc, then each group's transaction's */
enum { P_EVENTS, P_CHECKOUT, P_INVALIDATE, P_DISPOSE, P_REMOVE, NPARTS };
static const char *const part_names[NPARTS] = { "events", "checkout", "invalidate", "dispose", "remove" };
#define GROUP(o, g) ((o)[NPARTS + (g)])

static long n_events;

static int count_event(void *ctx, const sqlalc_event *ev)
{
    (void)ctx;
    (void)ev;
    n_events++;
    return SQLALC_OK;
}

/* Session setup on every new connection, through the connection. */
static int setup_connection(void *ctx, const sqlalc_event *ev)
{
    (void)ctx;
    return sqlalc_conn_execute_sql(ev->conn, "SELECT 1", NULL, NULL);
}

static void count_checkout(void *ctx, const sqlalc_checkout_info *info)
{
    (void)info;
    ++*(int *)ctx;
}

static int insert_row(sqlalc_conn *c, long id)
{
    return sqlalc_conn_execute_sql(c, "INSERT INTO fp_t (id, v) VALUES (:id, :v)",
                                   SQLALC_PARAMS(SQLALC_P_INT("id", id), SQLALC_P_TEXT("v", "p")), NULL);
}

/* A transaction inserting ids lo…hi on c. */
static int tx_rows(sqlalc_conn *c, long lo, long hi)
{
    sqlalc_tx *tx;
    int rc = sqlalc_conn_begin(c, &tx);
    if (rc)
        return rc;
    for (long id = lo; id <= hi && rc == SQLALC_OK; id++)
        rc = insert_row(c, id);
    return rc ? (sqlalc_tx_rollback(tx), rc) : sqlalc_tx_commit(tx);
}

/* Check out a connection and run group g's transaction on it. */
static int group_tx(sqlalc_engine *eng, long base, int g)
{
    sqlalc_conn *c;
    int rc = sqlalc_engine_connect(eng, &c);
    if (rc == SQLALC_OK)
        rc = tx_rows(c, base + group_lo[g], base + group_hi[g]);
    sqlalc_conn_close(c);
    return rc;
}

#define CHECK(call)                     \
    do {                                \
        if ((rc = (call)) != SQLALC_OK) \
            goto out;                   \
    } while (0)

static int part_events(sqlalc_engine *eng)
{
    int rc;
    CHECK(sqlalc_event_listen(eng, SQLALC_EVENT_MASK(SQLALC_EVENT_CONNECT), setup_connection, NULL));
    CHECK(sqlalc_event_listen(
        eng,
        SQLALC_EVENT_MASK(SQLALC_EVENT_CHECKOUT) | SQLALC_EVENT_MASK(SQLALC_EVENT_CHECKIN) |
            SQLALC_EVENT_MASK(SQLALC_EVENT_INVALIDATE) | SQLALC_EVENT_MASK(SQLALC_EVENT_ERROR) |
            SQLALC_EVENT_MASK(SQLALC_EVENT_BEGIN) | SQLALC_EVENT_MASK(SQLALC_EVENT_COMMIT) |
            SQLALC_EVENT_MASK(SQLALC_EVENT_ROLLBACK),
        count_event, NULL));
out:
    return rc;
}

/* Three connections out at once: a committed transaction on the first,
 * one left open on the second when it goes back, a ping on the third. */
static int part_checkout(sqlalc_engine *eng, long base, int *o)
{
    sqlalc_conn *c1 = NULL, *c2 = NULL, *c3 = NULL;
    int rc;
    GROUP(o, G_COMMIT) = GROUP(o, G_RESET) = SQLALC_DONE;
    CHECK(sqlalc_engine_connect(eng, &c1));
    CHECK(sqlalc_engine_connect_tagged(eng, "second", &c2));
    CHECK(sqlalc_engine_connect(eng, &c3));
    int out_now = 0;
    CHECK(sqlalc_engine_pool_checkouts(eng, count_checkout, &out_now));
    if (out_now != 3 && !fault_memory_database()) {
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "pool lists %d checkouts, not 3", out_now);
        goto out;
    }
    CHECK(GROUP(o, G_COMMIT) = tx_rows(c1, base + 1, base + 2));
    sqlalc_tx *tx;
    CHECK(GROUP(o, G_RESET) = sqlalc_conn_begin(c2, &tx));
    GROUP(o, G_RESET) = insert_row(c2, base + 3);
    sqlalc_conn_close(c2); /* its transaction open: rolled back on return */
    c2 = NULL;
    (void)sqlalc_tx_rollback(tx); /* frees the handle the close ended */
    CHECK(GROUP(o, G_RESET));
    CHECK(sqlalc_conn_ping(c3));
    sqlalc_pool_status st;
    CHECK(sqlalc_engine_pool_status(eng, &st));
out:
    sqlalc_conn_close(c1);
    sqlalc_conn_close(c2);
    sqlalc_conn_close(c3);
    return rc;
}

/* A pooled connection whose pre-ping finds it dead (replaced at checkout
 * where the pool pings), then one whose statement does (invalidated). */
static int part_invalidate(sqlalc_engine *eng, long base, int *o)
{
    sqlalc_conn *c = NULL;
    int rc;
    GROUP(o, G_PREPING) = GROUP(o, G_AFTER_DEAD) = SQLALC_DONE;
    fs_dead_ping = 1;
    CHECK(GROUP(o, G_PREPING) = group_tx(eng, base, G_PREPING));
    fs_dead_ping = 0; /* pools without pre-ping (embedded ones) never asked */
    if (fault_memory_database())
        goto out; /* a memory database would die with its invalidated connection */
    CHECK(sqlalc_engine_connect(eng, &c));
    fs_dead_step = 1;
    rc = sqlalc_conn_execute_sql(c, "SELECT 1", NULL, NULL);
    if (fs_dead_step) { /* an injected fault came first */
        fs_dead_step = 0;
        if (rc == SQLALC_OK)
            rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "the statement never stepped");
        goto out;
    }
    if (rc != SQLALC_ERR_DISCONNECT) {
        if (rc == SQLALC_OK)
            rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "a dead connection's statement succeeded");
        goto out;
    }
    if (!sqlalc_conn_invalidated(c)) {
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "a disconnect did not invalidate the connection");
        goto out;
    }
    sqlalc_conn_close(c);
    c = NULL;
    CHECK(GROUP(o, G_AFTER_DEAD) = group_tx(eng, base, G_AFTER_DEAD));
out:
    sqlalc_conn_close(c);
    return rc;
}

static int part_dispose(sqlalc_engine *eng, long base, int *o)
{
    if (!fault_memory_database()) /* a memory database would go with its connection */
        sqlalc_engine_dispose(eng);
    return GROUP(o, G_DISPOSE) = group_tx(eng, base, G_DISPOSE);
}

static int part_remove(sqlalc_engine *eng)
{
    int rc;
    CHECK(sqlalc_event_remove(eng, SQLALC_EVENT_MASK(SQLALC_EVENT_CONNECT), setup_connection, NULL));
    CHECK(sqlalc_event_remove(eng, SQLALC_EVENT_ALL, count_event, NULL));
out:
    return rc;
}

static int pool_run(sqlalc_engine *eng, long base, int *o)
{
    int first = SQLALC_OK;
    o[P_EVENTS] = fault_note(&first, part_events(eng));
    o[P_CHECKOUT] = fault_note(&first, part_checkout(eng, base, o));
    o[P_INVALIDATE] = fault_note(&first, part_invalidate(eng, base, o));
    o[P_DISPOSE] = fault_note(&first, part_dispose(eng, base, o));
    o[P_REMOVE] = fault_note(&first, part_remove(eng));
    fs_dead_ping = fs_dead_step = 0;
    return first;
}

/* After a fault: three rows in one transaction on the same engine. */
static int pool_after(sqlalc_engine *eng, long base)
{
    sqlalc_conn *c;
    int rc = sqlalc_engine_connect(eng, &c);
    if (rc == SQLALC_OK)
        rc = tx_rows(c, base + 50, base + 52);
    sqlalc_conn_close(c);
    return rc;
}

static int64_t count_between(sqlalc_engine *e, long lo, long hi)
{
    return fault_count_ids(e, "fp_t", lo, hi);
}

/* Every group's rows all there or none; the reset one never; a group that
 * succeeded there; the transaction after the fault there. */
static void pool_check(sqlalc_engine *e, long base, const int *o, const char *what)
{
    for (int g = 0; g < NGROUPS; g++) {
        int64_t want = group_hi[g] - group_lo[g] + 1;
        int64_t got = count_between(e, base + group_lo[g], base + group_hi[g]);
        if (g == G_RESET) {
            if (got != 0)
                fail_msg("%s: a transaction left open at checkin was committed", what);
            continue;
        }
        if (got != 0 && got != want)
            fail_msg("%s: %s transaction left %lld of %lld rows", what, group_names[g], (long long)got,
                     (long long)want);
        if (GROUP(o, g) == SQLALC_OK && got != want)
            fail_msg("%s: %s transaction succeeded but left %lld rows", what, group_names[g], (long long)got);
        if (GROUP(o, g) == SQLALC_DONE && got != 0)
            fail_msg("%s: %s transaction never ran but its rows are there", what, group_names[g]);
    }
    if (count_between(e, base + 50, base + 52) != 3)
        fail_msg("%s: the transaction after the fault is not whole", what);
}

static sqlalc_engine_options pool_options(void)
{
    sqlalc_engine_options opt = SQLALC_ENGINE_OPTIONS_INIT;
    opt.pool_size = 2;
    opt.max_overflow = 1;
    opt.pool_pre_ping = 1;
    opt.pool_debug = 1;
    opt.pool_timeout = 5;
    return opt;
}

static void setup_table(sqlalc_engine *e)
{
    test_exec_quiet(e, "DROP TABLE fp_t");
    test_exec(e, "CREATE TABLE fp_t (id INTEGER PRIMARY KEY, v VARCHAR(10))");
}

/* Listeners a failed run left behind go before the engine. */
static void pool_cleanup(sqlalc_engine *eng)
{
    (void)part_remove(eng);
}

static void pool_prepare(sqlalc_engine *eng)
{
    if (fault_memory_database())
        setup_table(eng);
}

static void test_driver_faults(void **state)
{
    (void)state;
    if (fault_memory_database()) {
        print_message("skipped: a memory database cannot be checked from a second engine\n");
        return;
    }
    sqlalc_engine *clean = test_engine();
    setup_table(clean);
    sqlalc_engine_options opt = pool_options();
    fault_workload w = { "pool",     &opt,       NPARTS, part_names,  pool_run,
                         pool_after, pool_check, NULL,   pool_cleanup };
    fault_driver_loop(&w, clean);
    test_exec_quiet(clean, "DROP TABLE fp_t");
    sqlalc_engine_free(clean);
}

static void test_allocation_faults(void **state)
{
    (void)state;
    sqlalc_engine *clean = NULL;
    if (!fault_memory_database()) {
        clean = test_engine();
        setup_table(clean);
    }
    /* through the shim (never armed): its dead pings and statements */
    char *url = fault_shim_url(test_url());
    sqlalc_engine_options opt = pool_options();
    fault_workload w = { "pool",     &opt,       NPARTS,       part_names,  pool_run,
                         pool_after, pool_check, pool_prepare, pool_cleanup };
    fault_alloc_loop(&w, url, clean);
    sqlalc_free(url);
    if (clean) {
        test_exec_quiet(clean, "DROP TABLE fp_t");
        sqlalc_engine_free(clean);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_driver_faults),
        cmocka_unit_test(test_allocation_faults),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, NULL, NULL);
}

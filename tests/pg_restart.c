/*
 * Restart test (issue 12): a workload runs on a PostgreSQL server that
 * this test starts for itself (never a shared one), the server is stopped
 * and started again under it, and with pool_pre_ping:
 *  - the operations in flight when it stopped fail, each with
 *    SQLALC_ERR_DISCONNECT, a transaction among them reported as
 *    interrupted and nothing of it committed;
 *  - every operation begun after the server is back succeeds: no stale
 *    pooled connection ever reaches the workload.
 * Workers hold back while the server is down (as a service behind a health
 * check does), so what fails is exactly what was in flight.
 *
 * The server binaries come from SQLALC_PG_BINDIR (CMake finds pg_ctl); as
 * root the server runs as the "postgres" user.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"

#ifndef SQLALC_PG_BINDIR
#    define SQLALC_PG_BINDIR ""
#endif

enum { WORKERS = 8 };

static char dir[256], url[512], bindir[512];
static int port;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_s(double s)
{
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    nanosleep(&ts, NULL);
}

/* Run a server command as the server's user. */
static int pg(const char *fmt, ...)
{
    char cmd[4096], args[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s%s/%s >>%s/cmd.log 2>&1", geteuid() == 0 ? "runuser -u postgres -- " : "",
             bindir, args, dir);
    return system(cmd);
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    int p = -1;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &n) == 0)
        p = ntohs(a.sin_port);
    if (s >= 0)
        close(s);
    return p;
}

static int server_start(void)
{
    return pg("pg_ctl -D %s/data -l %s/pg.log -w -t 60 -o \"-p %d -k %s -c listen_addresses=127.0.0.1 -c "
              "fsync=off\" start",
              dir, dir, port, dir);
}

static int server_stop(void)
{
    /* fast: the server terminates every session, as a restart does */
    return pg("pg_ctl -D %s/data -m fast -w -t 60 stop", dir);
}

static int setup(void **state)
{
    (void)state;
    const char *env = getenv("SQLALC_PG_BINDIR");
    snprintf(bindir, sizeof bindir, "%s", env && *env ? env : SQLALC_PG_BINDIR);
    char probe[600];
    snprintf(probe, sizeof probe, "%s/pg_ctl", bindir);
    if (!*bindir || access(probe, X_OK) != 0) {
        fprintf(stderr, "restart test: no pg_ctl in '%s' (set SQLALC_PG_BINDIR)\n", bindir);
        return -1;
    }
    snprintf(dir, sizeof dir, "/tmp/sqlalc_restart_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    if (geteuid() == 0) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "chown postgres %s && chmod 755 %s", dir, dir);
        if (system(cmd) != 0)
            return -1;
    }
    if (pg("initdb -D %s/data -U postgres -A trust -E UTF8 --locale=C --no-sync", dir) != 0) {
        fprintf(stderr, "restart test: initdb failed (see %s/cmd.log)\n", dir);
        return -1;
    }
    for (int tries = 0; tries < 5; tries++) {
        port = free_port();
        if (port > 0 && server_start() == 0) {
            snprintf(url, sizeof url, "postgresql://postgres@127.0.0.1:%d/postgres", port);
            return 0;
        }
    }
    fprintf(stderr, "restart test: the server did not start (see %s/pg.log)\n", dir);
    return -1;
}

static int teardown(void **state)
{
    (void)state;
    if (*dir) {
        pg("pg_ctl -D %s/data -m immediate -w stop", dir);
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "restart test: could not remove %s\n", dir);
    }
    return 0;
}

/* ------------------------------------------------------------------ */

typedef struct shared {
    sqlalc_engine *eng;
    atomic_int up;          /* workers start new operations only while set */
    atomic_int stop;        /* end of the workload */
    atomic_int in_progress; /* operations begun and not finished */
    atomic_int sleeping;    /* of those, inside their long statement */
    atomic_int seq;
    _Atomic double back_at; /* when the server was up again (0 before) */
} shared;

typedef struct worker {
    shared *sh;
    int id;
    int ops_before, ops_after; /* successes before the stop / after the restart */
    int failed, failed_in_tx, interrupted_msgs;
    int late_failures; /* failures of operations begun after the restart: must be 0 */
    int half_commits;  /* rows of failed transactions that were found committed */
    char failure[512];
} worker;

static int one_op(worker *w, int i, int *in_tx, int *row)
{
    sqlalc_conn *c;
    *in_tx = 0;
    int rc = sqlalc_engine_connect(w->sh->eng, &c);
    if (rc != SQLALC_OK)
        return rc;
    if (i % 16 == 0) {
        /* A long transaction: the kind a restart catches in flight. */
        sqlalc_tx *tx;
        *row = atomic_fetch_add(&w->sh->seq, 1);
        rc = sqlalc_conn_begin(c, &tx);
        if (rc == SQLALC_OK) {
            *in_tx = 1;
            rc = sqlalc_conn_execute_sql(c, "INSERT INTO work_log (id) VALUES (:id)",
                                         SQLALC_PARAMS(SQLALC_P_INT("id", *row)), NULL);
        }
        if (rc == SQLALC_OK) {
            atomic_fetch_add(&w->sh->sleeping, 1);
            rc = sqlalc_conn_execute_sql(c, "SELECT pg_sleep(2)", NULL, NULL);
            atomic_fetch_sub(&w->sh->sleeping, 1);
        }
        if (rc == SQLALC_OK)
            rc = sqlalc_tx_commit(tx);
        else if (*in_tx)
            sqlalc_tx_rollback(tx);
    } else {
        sqlalc_result *res;
        sqlalc_value v;
        rc = sqlalc_conn_execute_sql(c, "SELECT count(*) FROM work_log", NULL, &res);
        if (rc == SQLALC_OK) {
            rc = sqlalc_result_scalar_one(res, &v);
            sqlalc_result_free(res);
        }
    }
    sqlalc_conn_close(c);
    return rc;
}

static void *work(void *p)
{
    worker *w = p;
    shared *sh = w->sh;
    int failed_rows[64], nfailed_rows = 0;
    for (int i = w->id; !atomic_load(&sh->stop); i++) {
        /* Announce first, then look: the controller, which clears up and
         * then waits for in_progress, never misses an operation. */
        atomic_fetch_add(&sh->in_progress, 1);
        if (!atomic_load(&sh->up)) {
            atomic_fetch_sub(&sh->in_progress, 1);
            sleep_s(0.005);
            continue;
        }
        double begun = now_s(), back = atomic_load(&sh->back_at);
        int after = back > 0 && begun > back;
        int in_tx, row = -1;
        int rc = one_op(w, i, &in_tx, &row);
        atomic_fetch_sub(&sh->in_progress, 1);
        if (rc == SQLALC_OK) {
            if (after)
                w->ops_after++;
            else
                w->ops_before++;
            continue;
        }
        if (after) {
            w->late_failures++;
            if (!w->failure[0])
                snprintf(w->failure, sizeof w->failure, "after the restart: %s: %s", sqlalc_code_name(rc),
                         sqlalc_errmsg());
            continue;
        }
        w->failed++;
        if (rc != SQLALC_ERR_DISCONNECT && !w->failure[0])
            snprintf(w->failure, sizeof w->failure, "in flight: %s (want SQLALC_ERR_DISCONNECT): %s",
                     sqlalc_code_name(rc), sqlalc_errmsg());
        if (in_tx) {
            w->failed_in_tx++;
            if (strstr(sqlalc_errmsg(), "interrupted"))
                w->interrupted_msgs++;
            if (nfailed_rows < 64)
                failed_rows[nfailed_rows++] = row;
        }
    }
    /* Nothing of an interrupted transaction was committed. */
    for (int k = 0; k < nfailed_rows; k++) {
        sqlalc_result *res;
        sqlalc_value v;
        if (sqlalc_engine_execute_sql(sh->eng, "SELECT count(*) FROM work_log WHERE id = :id",
                                      SQLALC_PARAMS(SQLALC_P_INT("id", failed_rows[k])), &res) == SQLALC_OK &&
            sqlalc_result_scalar_one(res, &v) == SQLALC_OK && v.u.i != 0)
            w->half_commits++;
        sqlalc_result_free(res);
    }
    return NULL;
}

static void test_restart_under_load(void **state)
{
    (void)state;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = 4;
    o.max_overflow = 4;
    o.pool_pre_ping = 1;
    o.pool_timeout = 60;
    shared sh;
    memset(&sh, 0, sizeof sh);
    assert_ok(sqlalc_engine_create(url, &o, &sh.eng));
    test_exec(sh.eng, "CREATE TABLE work_log (id INTEGER PRIMARY KEY)");
    atomic_store(&sh.up, 1);
    worker w[WORKERS];
    pthread_t th[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].sh = &sh;
        w[i].id = i;
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    sleep_s(1.0);
    /* Stop while long transactions are in flight: hold new operations
     * back and let the short ones drain, so that what is in flight is
     * exactly the sleepers. */
    for (int i = 0; i < 600 && atomic_load(&sh.sleeping) < 2; i++)
        sleep_s(0.005);
    atomic_store(&sh.up, 0);
    for (int i = 0; i < 2000 && atomic_load(&sh.in_progress) != atomic_load(&sh.sleeping); i++)
        sleep_s(0.001);
    int caught = atomic_load(&sh.sleeping);
    assert_true(caught > 0);
    assert_int_equal(atomic_load(&sh.in_progress), caught);
    assert_int_equal(server_stop(), 0);
    sleep_s(0.3);
    assert_int_equal(server_start(), 0);
    atomic_store(&sh.back_at, now_s());
    atomic_store(&sh.up, 1);
    sleep_s(1.5);
    atomic_store(&sh.stop, 1);
    int before = 0, after = 0, failed = 0, in_tx = 0, interrupted = 0, half = 0;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failure[0])
            fail_msg("worker %d: %s", i, w[i].failure);
        assert_int_equal(w[i].late_failures, 0);
        before += w[i].ops_before;
        after += w[i].ops_after;
        failed += w[i].failed;
        in_tx += w[i].failed_in_tx;
        interrupted += w[i].interrupted_msgs;
        half += w[i].half_commits;
    }
    sqlalc_pool_status st;
    assert_ok(sqlalc_engine_pool_status(sh.eng, &st));
    printf("# restart: %d ops before, %d failed in flight (%d in transactions), %d ops after; "
           "pool: %llu invalidations, %llu connects\n",
           before, failed, in_tx, after, (unsigned long long)st.invalidations,
           (unsigned long long)st.connects);
    assert_true(before > 0);
    assert_int_equal(failed, caught);     /* exactly the operations in flight failed */
    assert_true(in_tx > 0);               /* among them transactions ... */
    assert_int_equal(interrupted, in_tx); /* ... each reported as interrupted */
    assert_int_equal(half, 0);            /* ... with nothing of them committed */
    assert_true(after > 0);               /* the workload carried on */
    assert_true(st.invalidations >= 1);
    assert_int_equal(st.checked_out, 0);
    test_exec(sh.eng, "DROP TABLE work_log");
    sqlalc_engine_free(sh.eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restart_under_load),
    };
    return cmocka_run_group_tests_name("pg_restart", tests, setup, teardown);
}

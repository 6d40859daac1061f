/*
 * 06_threads — a server-style program: one engine shared by worker
 * threads, a bounded pool, a slow-query hook, pool statistics.
 *
 *   ./make_soccer soccer.sqlite && ./06_threads [URL]
 *
 * Each worker checks out a connection per "request", looks up a team, and
 * gives the connection back.  The pool never opens
 * more than pool_size + max_overflow connections; a request that cannot
 * get one within pool_timeout fails with SQLALC_ERR_TIMEOUT instead of
 * piling up.  Exits non-zero when anything goes wrong.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc.h>

enum { WORKERS = 8, REQUESTS = 200 };

typedef struct stats {
    pthread_mutex_t lock;
    long statements, slow;
    double slowest;
} stats;

/* The event hook: every statement's elapsed time; log the slow ones. */
static int on_statement(void *ctx, const sqlalc_event *ev)
{
    stats *st = ctx;
    pthread_mutex_lock(&st->lock);
    st->statements++;
    if (ev->elapsed > st->slowest)
        st->slowest = ev->elapsed;
    if (ev->elapsed > 0.050) { /* 50 ms */
        st->slow++;
        fprintf(stderr, "slow query (%.1f ms): %s\n", ev->elapsed * 1e3, ev->sql);
    }
    pthread_mutex_unlock(&st->lock);
    return SQLALC_OK;
}

typedef struct worker {
    sqlalc_engine *eng;
    int id;
    int failures;
} worker;

/* One request: a connection from the pool for as long as it takes. */
static int handle_request(sqlalc_engine *eng, int team_id)
{
    sqlalc_conn *conn;
    int rc = SQLALC_ENGINE_CONNECT(eng, &conn); /* tagged with file:line for pool_debug */
    if (rc != SQLALC_OK)
        return rc;
    sqlalc_result *res;
    sqlalc_value name;
    rc = sqlalc_conn_execute_sql(conn, "SELECT team_long_name FROM \"Team\" WHERE id = :id",
                                 SQLALC_PARAMS(SQLALC_P_INT("id", team_id)), &res);
    if (rc == SQLALC_OK) {
        rc = sqlalc_result_scalar_one(res, &name); /* exactly one row */
        sqlalc_result_free(res);
    }
    sqlalc_conn_close(conn); /* back to the pool, rolled back if anything was left open */
    return rc;
}

static void *serve(void *p)
{
    worker *w = p;
    for (int i = 0; i < REQUESTS; i++)
        if (handle_request(w->eng, 1 + (w->id * REQUESTS + i) % 40) != SQLALC_OK) {
            fprintf(stderr, "06_threads: worker %d: %s\n", w->id, sqlalc_errmsg());
            w->failures++;
        }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite:///soccer.sqlite";
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = 4;     /* connections kept */
    o.max_overflow = 2;  /* opened beyond that under load, closed after */
    o.pool_timeout = 10; /* seconds a request waits for a connection */
    o.pool_pre_ping = 1; /* a server restart costs no failed request */
    o.pool_recycle = 3600;
    o.pool_debug = 1; /* a pool_timeout error lists where connections were taken */
    sqlalc_engine *eng;
    if (sqlalc_engine_create(url, &o, &eng) != SQLALC_OK) {
        fprintf(stderr, "06_threads: %s\n", sqlalc_errmsg());
        return 1;
    }
    stats st = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0 };
    sqlalc_event_listen(eng, SQLALC_EVENT_MASK(SQLALC_EVENT_AFTER_EXECUTE), on_statement, &st);

    pthread_t th[WORKERS];
    worker w[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (worker){ eng, i, 0 };
        pthread_create(&th[i], NULL, serve, &w[i]);
    }
    int failures = 0;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(th[i], NULL);
        failures += w[i].failures;
    }

    sqlalc_pool_status ps;
    sqlalc_engine_pool_status(eng, &ps);
    printf("%d workers x %d requests: %ld statements, slowest %.2f ms, %ld slow\n", WORKERS, REQUESTS,
           st.statements, st.slowest * 1e3, st.slow);
    printf("pool: size %d, open %d, idle %d, checked out %d; %llu checkouts, %llu waited, %llu timed out, "
           "%llu connects\n",
           ps.size, ps.open, ps.idle, ps.checked_out, (unsigned long long)ps.checkouts,
           (unsigned long long)ps.waits, (unsigned long long)ps.timeouts, (unsigned long long)ps.connects);
    int ok = failures == 0 && st.statements == WORKERS * REQUESTS && ps.checked_out == 0 &&
             ps.checkouts == (uint64_t)(WORKERS * REQUESTS) && ps.open <= o.pool_size;
    sqlalc_engine_free(eng);
    if (!ok) {
        fprintf(stderr, "06_threads: unexpected pool state or failures\n");
        return 1;
    }
    return 0;
}

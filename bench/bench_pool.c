/*
 * bench_pool — the pool's costs, against raw driver work in the same run
 * (not a test).
 *
 *   bench_pool [PG_URL] [--checkouts N] [--lookups N] [--repeat N]
 *
 * PG_URL defaults to $SQLALC_TEST_URL (PostgreSQL).  Measures:
 *  - uncontended checkout + checkin (sqlalc_engine_connect +
 *    sqlalc_conn_close of a pooled connection), N times (default 200,000):
 *    on an SQLite file (embedded pool), on PostgreSQL (queue pool), and on
 *    PostgreSQL with pool_pre_ping (which adds a round trip); and the same
 *    with a listener on every event kind;
 *  - primary-key lookup throughput at 1, 2, 4 and 8 threads, L lookups in
 *    all (default 20,000, split between the threads): each lookup checks a
 *    connection out of a shared engine (pool_size 8), runs
 *    sqlalc_conn_execute_sql with a bind and reads the row, and returns the
 *    connection; against the same lookups with one raw libpq connection per
 *    thread and a prepared statement (PQexecPrepared).
 * Best of --repeat runs (default 3), sides alternating.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlalc.h>
#ifdef SQLALC_HAVE_POSTGRESQL
#    include <libpq-fe.h>
#endif

static long NCHECK = 200000, NLOOK = 20000;
static int REPEAT = 3;
static const char *URL;
enum { NROWS = 10000 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define LIB(call)                                                            \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_ != SQLALC_OK) {                                              \
            fprintf(stderr, "bench_pool: %s: %s\n", #call, sqlalc_errmsg()); \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static int count_event(void *ctx, const sqlalc_event *ev)
{
    (void)ev;
    (*(long *)ctx)++;
    return SQLALC_OK;
}

/* ns per checkout + checkin of an idle pooled connection. */
static double checkout_cost(const char *url, int pre_ping, int listen)
{
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_pre_ping = pre_ping;
    sqlalc_engine *eng;
    LIB(sqlalc_engine_create(url, &o, &eng));
    long events = 0;
    if (listen)
        LIB(sqlalc_event_listen(eng, SQLALC_EVENT_ALL, count_event, &events));
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c)); /* the connection the loop reuses */
    sqlalc_conn_close(c);
    long n = pre_ping ? NCHECK / 20 : NCHECK;
    double best = 1e30;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now_s();
        for (long i = 0; i < n; i++) {
            LIB(sqlalc_engine_connect(eng, &c));
            sqlalc_conn_close(c);
        }
        double t = (now_s() - t0) / (double)n;
        if (t < best)
            best = t;
    }
    sqlalc_engine_free(eng);
    return best * 1e9;
}

/* ------------------------------------------------------------------ */
/* Threaded lookups                                                    */
/* ------------------------------------------------------------------ */

typedef struct job {
    sqlalc_engine *eng;
    long n;
    unsigned seed;
    long found;
    int failed;
} job;

static void *lib_lookups(void *p)
{
    job *j = p;
    for (long i = 0; i < j->n; i++) {
        int64_t id = 1 + (int64_t)(rand_r(&j->seed) % NROWS);
        sqlalc_conn *c;
        sqlalc_result *res;
        const sqlalc_row *row;
        if (sqlalc_engine_connect(j->eng, &c) != SQLALC_OK ||
            sqlalc_conn_execute_sql(c, "SELECT name, qty FROM bench_pool WHERE id = :id",
                                    SQLALC_PARAMS(SQLALC_P_INT("id", id)), &res) != SQLALC_OK) {
            j->failed = 1;
            return NULL;
        }
        if (sqlalc_result_next(res, &row) == SQLALC_ROW && sqlalc_row_text(row, 0) &&
            sqlalc_row_int64(row, 1) == id)
            j->found++;
        sqlalc_result_free(res);
        sqlalc_conn_close(c);
    }
    return NULL;
}

#ifdef SQLALC_HAVE_POSTGRESQL
static char conninfo[1024];

static void *raw_lookups(void *p)
{
    job *j = p;
    PGconn *pg = PQconnectdb(conninfo);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "bench_pool: raw connect: %s", PQerrorMessage(pg));
        j->failed = 1;
        PQfinish(pg);
        return NULL;
    }
    PGresult *r = PQprepare(pg, "look", "SELECT name, qty FROM bench_pool WHERE id = $1", 1, NULL);
    PQclear(r);
    char buf[24];
    const char *vals[1] = { buf };
    for (long i = 0; i < j->n; i++) {
        long id = 1 + (long)(rand_r(&j->seed) % NROWS);
        snprintf(buf, sizeof buf, "%ld", id);
        r = PQexecPrepared(pg, "look", 1, vals, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            j->failed = 1;
            PQclear(r);
            break;
        }
        if (PQntuples(r) == 1 && strtol(PQgetvalue(r, 0, 1), NULL, 10) == id && PQgetvalue(r, 0, 0))
            j->found++;
        PQclear(r);
    }
    PQfinish(pg);
    return NULL;
}
#endif

/* Lookups per second with t threads; raw: one libpq connection each. */
static double throughput(sqlalc_engine *eng, int t, int raw)
{
    pthread_t th[8];
    job jobs[8];
    double t0 = now_s();
    for (int i = 0; i < t; i++) {
        jobs[i] = (job){ eng, NLOOK / t, (unsigned)(1234 + i), 0, 0 };
#ifdef SQLALC_HAVE_POSTGRESQL
        pthread_create(&th[i], NULL, raw ? raw_lookups : lib_lookups, &jobs[i]);
#else
        (void)raw;
        pthread_create(&th[i], NULL, lib_lookups, &jobs[i]);
#endif
    }
    long found = 0;
    for (int i = 0; i < t; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].failed) {
            fprintf(stderr, "bench_pool: a lookup failed: %s\n", sqlalc_errmsg());
            exit(1);
        }
        found += jobs[i].found;
    }
    double el = now_s() - t0;
    if (found != (NLOOK / t) * t) {
        fprintf(stderr, "bench_pool: %ld of %ld lookups found their row\n", found, (NLOOK / t) * t);
        exit(1);
    }
    return (double)found / el;
}

int main(int argc, char **argv)
{
    URL = getenv("SQLALC_TEST_URL");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--checkouts") && i + 1 < argc)
            NCHECK = atol(argv[++i]);
        else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
            NLOOK = atol(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            REPEAT = atoi(argv[++i]);
        else
            URL = argv[i];
    }
    char path[64], sqlite_url[128];
    snprintf(path, sizeof path, "/tmp/bench_pool_%ld.db", (long)getpid());
    snprintf(sqlite_url, sizeof sqlite_url, "sqlite:///%s", path);
    sqlalc_engine *e;
    LIB(sqlalc_engine_create(sqlite_url, NULL, &e));
    LIB(sqlalc_engine_execute_sql(e, "CREATE TABLE t (x INTEGER)", NULL, NULL));
    sqlalc_engine_free(e);

    printf("checkout + checkin of an idle pooled connection (best of %d):\n", REPEAT);
    printf("  SQLite file (embedded pool)        %8.0f ns\n", checkout_cost(sqlite_url, 0, 0));
    printf("  SQLite file, listener on all events %7.0f ns\n", checkout_cost(sqlite_url, 0, 1));
    remove(path);
    if (!URL || strncmp(URL, "postgresql://", 13)) {
        printf("(no PostgreSQL URL: pass one or set SQLALC_TEST_URL for the rest)\n");
        return 0;
    }
    printf("  PostgreSQL (queue pool)            %8.0f ns\n", checkout_cost(URL, 0, 0));
    printf("  PostgreSQL with pool_pre_ping      %8.0f ns  (a round trip per checkout)\n",
           checkout_cost(URL, 1, 0));

    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = 8;
    o.max_overflow = 0;
    LIB(sqlalc_engine_create(URL, &o, &e));
    sqlalc_engine_execute_sql(e, "DROP TABLE IF EXISTS bench_pool", NULL, NULL);
    LIB(sqlalc_engine_execute_sql(
        e, "CREATE TABLE bench_pool (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)", NULL, NULL));
    LIB(sqlalc_engine_execute_sql(
        e, "INSERT INTO bench_pool SELECT g, 'name ' || g, g FROM generate_series(1, :n) g",
        SQLALC_PARAMS(SQLALC_P_INT("n", NROWS)), NULL));
#ifdef SQLALC_HAVE_POSTGRESQL
    /* libpq conninfo: the URL itself (libpq takes postgresql:// URIs). */
    snprintf(conninfo, sizeof conninfo, "%s", URL);
#endif
    printf("\nprimary-key lookups, %ld in all, per second (best of %d); library: a checkout per lookup\n",
           NLOOK, REPEAT);
    printf("  threads   libsqlalc    raw libpq   ratio (raw/lib)\n");
    static const int threads[] = { 1, 2, 4, 8 };
    for (size_t k = 0; k < sizeof threads / sizeof threads[0]; k++) {
        double lib = 0, raw = 0;
        for (int r = 0; r < REPEAT; r++) {
            double a = throughput(e, threads[k], 0);
#ifdef SQLALC_HAVE_POSTGRESQL
            double b = throughput(e, threads[k], 1);
#else
            double b = 0;
#endif
            if (a > lib)
                lib = a;
            if (b > raw)
                raw = b;
        }
        printf("  %7d %11.0f %12.0f   %.2fx\n", threads[k], lib, raw, lib > 0 ? raw / lib : 0);
    }
    sqlalc_pool_status st;
    LIB(sqlalc_engine_pool_status(e, &st));
    printf("pool after: %d open, %llu checkouts, %llu waits, %llu connects\n", st.open,
           (unsigned long long)st.checkouts, (unsigned long long)st.waits, (unsigned long long)st.connects);
    sqlalc_engine_execute_sql(e, "DROP TABLE bench_pool", NULL, NULL);
    sqlalc_engine_free(e);
    return 0;
}

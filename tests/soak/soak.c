/*
 * Soak: a mixed workload on PostgreSQL and an SQLite WAL file for a given
 * time, with the process's resident memory and the server's connection
 * count sampled every second (run by scripts/soak).
 *
 *   soak PG_URL SQLITE_PATH SECONDS [THREADS]
 *
 * Each worker thread loops over both engines: a transaction (insert,
 * update, commit; every 7th rolled back), an executemany of 200 rows, a
 * 2,000-row result read to the end and one fetched whole, an expression
 * statement, a raw point lookup, trimming old rows; every 50th round it
 * reflects the schema into a fresh MetaData.  Lines on stdout:
 *   sample <t> <rss_kb> <pg_connections> <ops> <errors>
 * then a summary; the exit status is non-zero when memory or connections
 * grow after the warm-up (the first quarter, at least 30 s), when the
 * connection count passes the pool's limit, or when an error other than
 * a retryable conflict happened.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlalc.h>

#define POOL_SIZE 4
#define MAX_OVERFLOW 2

static sqlalc_engine *pg, *lite;
static sqlalc_metadata *md_pg, *md_lite;
static sqlalc_table *t_pg, *t_lite;
static atomic_int stop;
static atomic_ullong ops, errors, retryable;
static char first_error[512];
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Count an outcome: ok, a retryable conflict (SQLite busy, serialization), or an error. */
static void outcome(int rc, const char *what)
{
    if (rc == SQLALC_OK || rc == SQLALC_ROW || rc == SQLALC_DONE) {
        atomic_fetch_add(&ops, 1);
        return;
    }
    if (sqlalc_error_is_retryable(NULL)) {
        atomic_fetch_add(&retryable, 1);
        return;
    }
    if (atomic_fetch_add(&errors, 1) == 0) {
        pthread_mutex_lock(&err_lock);
        snprintf(first_error, sizeof first_error, "%s: %s", what, sqlalc_errmsg());
        pthread_mutex_unlock(&err_lock);
    }
}

static void setup_one(sqlalc_engine *eng, sqlalc_metadata **md, sqlalc_table **t)
{
    *md = sqlalc_metadata_new();
    *t = sqlalc_table_new(*md, "soak_item", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                          sqlalc_column("worker", sqlalc_type_integer(), SQLALC_NOT_NULL),
                          sqlalc_column("name", sqlalc_type_string(100), 0),
                          sqlalc_column("score", sqlalc_type_float(), 0),
                          sqlalc_column("payload", sqlalc_type_large_binary(), 0));
    sqlalc_metadata_drop_all(*md, eng, SQLALC_CHECKFIRST);
    if (!*t || sqlalc_metadata_create_all(*md, eng, SQLALC_CHECKFIRST) != SQLALC_OK) {
        fprintf(stderr, "soak: setup failed: %s\n", sqlalc_errmsg());
        exit(2);
    }
}

typedef struct worker {
    int id;
    unsigned seed;
} worker;

static void round_on(sqlalc_engine *eng, sqlalc_table *t, worker *w, unsigned long round)
{
    char name[64], payload[512];
    memset(payload, 'p' + w->id, sizeof payload);
    /* a transaction: insert and update, committed or rolled back */
    sqlalc_conn *conn;
    int rc = sqlalc_engine_begin(eng, &conn, NULL);
    if (rc == SQLALC_OK) {
        snprintf(name, sizeof name, "w%d-r%lu", w->id, round);
        rc = sqlalc_conn_execute_sql(
            conn, "INSERT INTO soak_item (worker, name, score, payload) VALUES (:w, :n, :s, :p)",
            SQLALC_PARAMS(SQLALC_P_INT("w", w->id), SQLALC_P_TEXT("n", name),
                          SQLALC_P_FLOAT("s", round * 0.5), SQLALC_P_BLOB("p", payload, sizeof payload)),
            NULL);
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_sql(
                conn, "UPDATE soak_item SET score = score + 1 WHERE worker = :w AND name = :n",
                SQLALC_PARAMS(SQLALC_P_INT("w", w->id), SQLALC_P_TEXT("n", name)), NULL);
        rc = sqlalc_conn_end(conn, round % 7 == 0 && rc == SQLALC_OK ? SQLALC_ERR_ARGUMENT : rc);
        if (round % 7 == 0 && rc == SQLALC_ERR_ARGUMENT)
            rc = SQLALC_OK; /* the deliberate rollback */
    }
    outcome(rc, "transaction");

    /* executemany of 200 rows */
    enum { MANY = 200 };
    sqlalc_param ps[MANY][3];
    sqlalc_params sets[MANY];
    char names[MANY][32];
    for (int i = 0; i < MANY; i++) {
        snprintf(names[i], sizeof names[i], "m%d-%lu-%d", w->id, round, i);
        ps[i][0] = (sqlalc_param){ "w", SQLALC_INTV(w->id) };
        ps[i][1] = (sqlalc_param){ "n", SQLALC_TEXTV(names[i]) };
        ps[i][2] = (sqlalc_param){ "s", SQLALC_FLOATV(i) };
        sets[i] = (sqlalc_params){ 3, ps[i] };
    }
    if ((rc = sqlalc_engine_connect(eng, &conn)) == SQLALC_OK) {
        rc = sqlalc_conn_execute_sql_many(
            conn, "INSERT INTO soak_item (worker, name, score) VALUES (:w, :n, :s)", sets, MANY, NULL);
        outcome(rc, "executemany");
        /* a large result read to its end, and one fetched whole */
        sqlalc_result *res;
        const sqlalc_row *row;
        rc = sqlalc_conn_execute_sql(
            conn, "SELECT id, worker, name, score, payload FROM soak_item ORDER BY id DESC LIMIT 2000", NULL,
            &res);
        if (rc == SQLALC_OK) {
            int64_t sum = 0;
            while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW)
                sum += sqlalc_row_int64(row, 0) + (sqlalc_row_text(row, 2) ? 1 : 0);
            sqlalc_result_free(res);
            (void)sum;
        }
        outcome(rc, "large result");
        rc = sqlalc_conn_execute_sql(conn,
                                     "SELECT * FROM soak_item WHERE worker = :w ORDER BY id DESC LIMIT 500",
                                     SQLALC_PARAMS(SQLALC_P_INT("w", w->id)), &res);
        if (rc == SQLALC_OK) {
            sqlalc_rowset *rs;
            rc = sqlalc_result_fetchall(res, &rs);
            if (rc == SQLALC_OK)
                sqlalc_rowset_free(rs);
            sqlalc_result_free(res);
        }
        outcome(rc, "fetchall");
        /* an expression statement (compiled once per shape, cached) */
        sqlalc_stmt *q =
            sqlalc_select(SQLALC_COLS(sqlalc_count_star()),
                          sqlalc_and_list(SQLALC_EXPRS(sqlalc_eq(sqlalc_c(t, "worker"), sqlalc_int(w->id)),
                                                       sqlalc_gt(sqlalc_c(t, "score"), sqlalc_float(10)))));
        rc = sqlalc_conn_execute(conn, q, NULL, &res);
        if (rc == SQLALC_OK) {
            sqlalc_value v;
            rc = sqlalc_result_scalar(res, &v);
            sqlalc_result_free(res);
        }
        sqlalc_stmt_free(q);
        outcome(rc, "expression");
        /* trim: keep the table around a few thousand rows per worker */
        rc = sqlalc_conn_execute_sql(
            conn, "DELETE FROM soak_item WHERE worker = :w AND id < (SELECT max(id) FROM soak_item) - 20000",
            SQLALC_PARAMS(SQLALC_P_INT("w", w->id)), NULL);
        outcome(rc, "trim");
        sqlalc_conn_close(conn);
    } else
        outcome(rc, "connect");

    if (round % 50 == 0) {
        sqlalc_metadata *md = sqlalc_metadata_new();
        const char *only[] = { "soak_item" };
        sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
        o.only = only;
        o.nonly = 1;
        rc = sqlalc_metadata_reflect(md, eng, &o);
        outcome(rc, "reflect");
        sqlalc_metadata_free(md);
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    for (unsigned long round = 1; !atomic_load(&stop); round++) {
        round_on(pg, t_pg, w, round);
        round_on(lite, t_lite, w, round);
    }
    return NULL;
}

static int pg_connections(sqlalc_engine *mon)
{
    sqlalc_result *res;
    sqlalc_value v;
    int n = -1;
    if (sqlalc_engine_execute_sql(mon,
                                  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                                  NULL, &res) == SQLALC_OK) {
        if (sqlalc_result_scalar(res, &v) == SQLALC_OK && v.type == SQLALC_V_INT)
            n = (int)v.u.i;
        sqlalc_result_free(res);
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: soak PG_URL SQLITE_PATH SECONDS [THREADS]\n");
        return 2;
    }
    int seconds = atoi(argv[3]), nthreads = argc > 4 ? atoi(argv[4]) : 4;
    if (nthreads < 1 || nthreads > 64)
        nthreads = 4;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.pool_size = POOL_SIZE;
    o.max_overflow = MAX_OVERFLOW;
    o.pool_pre_ping = 1;
    char lurl[1024];
    snprintf(lurl, sizeof lurl, "sqlite:///%s?journal_mode=wal&synchronous=normal&busy_timeout=10000",
             argv[2]);
    sqlalc_engine *mon;
    sqlalc_engine_options mo = SQLALC_ENGINE_OPTIONS_INIT;
    mo.pool_size = 1;
    if (sqlalc_engine_create(argv[1], &o, &pg) != SQLALC_OK ||
        sqlalc_engine_create(lurl, &o, &lite) != SQLALC_OK ||
        sqlalc_engine_create(argv[1], &mo, &mon) != SQLALC_OK) {
        fprintf(stderr, "soak: %s\n", sqlalc_errmsg());
        return 2;
    }
    setup_one(pg, &md_pg, &t_pg);
    setup_one(lite, &md_lite, &t_lite);

    pthread_t th[64];
    worker ws[64];
    for (int i = 0; i < nthreads; i++) {
        ws[i] = (worker){ i, (unsigned)i * 7919u };
        pthread_create(&th[i], NULL, work, &ws[i]);
    }
    int warm = seconds / 4 < 30 ? 30 : seconds / 4;
    if (warm >= seconds)
        warm = seconds / 2;
    long rss_warm_max = 0, rss_after_max = 0, rss_end = 0, rss_first_after = 0;
    int conn_max = 0, conn_after_min = 1 << 30, conn_after_max = 0;
    double t0 = now();
    for (int s = 1; s <= seconds; s++) {
        double wake = t0 + s;
        struct timespec tick = { 0, 20 * 1000 * 1000 };
        while (now() < wake)
            nanosleep(&tick, NULL);
        long rss = rss_kb();
        int nc = pg_connections(mon);
        printf("sample %d %ld %d %llu %llu\n", s, rss, nc, (unsigned long long)atomic_load(&ops),
               (unsigned long long)atomic_load(&errors));
        fflush(stdout);
        if (nc > conn_max)
            conn_max = nc;
        if (s <= warm) {
            if (rss > rss_warm_max)
                rss_warm_max = rss;
        } else {
            if (!rss_first_after)
                rss_first_after = rss;
            if (rss > rss_after_max)
                rss_after_max = rss;
            if (nc >= 0 && nc < conn_after_min)
                conn_after_min = nc;
            if (nc > conn_after_max)
                conn_after_max = nc;
        }
        rss_end = rss;
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    sqlalc_pool_status ps;
    sqlalc_engine_pool_status(pg, &ps);
    int open_end = pg_connections(mon);
    sqlalc_metadata_drop_all(md_pg, pg, SQLALC_CHECKFIRST);
    sqlalc_metadata_drop_all(md_lite, lite, SQLALC_CHECKFIRST);
    sqlalc_metadata_free(md_pg);
    sqlalc_metadata_free(md_lite);
    sqlalc_engine_free(pg);
    sqlalc_engine_free(lite);
    sqlalc_engine_free(mon);

    /* Flat: after warm-up, memory stays within 5% (and 4 MB) of the
     * warm-up peak; the server never sees more than the pool's limit. */
    long allowed = rss_warm_max + (rss_warm_max / 20 > 4096 ? rss_warm_max / 20 : 4096);
    int mem_ok = rss_after_max <= allowed;
    int conn_ok = conn_max <= POOL_SIZE + MAX_OVERFLOW;
    printf("summary seconds=%d threads=%d warmup=%ds ops=%llu errors=%llu retryable=%llu\n", seconds,
           nthreads, warm, (unsigned long long)ops, (unsigned long long)errors,
           (unsigned long long)retryable);
    printf("summary rss_kb warmup_max=%ld first_after=%ld after_max=%ld end=%ld allowed=%ld %s\n",
           rss_warm_max, rss_first_after, rss_after_max, rss_end, allowed, mem_ok ? "FLAT" : "GROWING");
    printf("summary pg_connections max=%d after_warmup=%d..%d limit=%d at_end=%d pool_connects=%llu %s\n",
           conn_max, conn_after_min, conn_after_max, POOL_SIZE + MAX_OVERFLOW, open_end,
           (unsigned long long)ps.connects, conn_ok ? "BOUNDED" : "OVER LIMIT");
    if (errors)
        printf("summary first error: %s\n", first_error);
    return mem_ok && conn_ok && !errors ? 0 : 1;
}

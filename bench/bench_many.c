/*
 * bench_many — executemany of an INSERT: the statement form
 * (sqlalc_conn_execute_many of sqlalc_insert(table)) and the raw-SQL form
 * (sqlalc_conn_execute_sql_many) against the raw driver doing the same
 * work in the same run (not a test).
 *
 *   bench_many [--rows N] [--repeat N] [--pg URL] [--odbc URL]
 *
 * SQLite (a WAL file in /tmp): raw = one prepared INSERT reused in one
 * transaction.  PostgreSQL (--pg or $SQLALC_TEST_URL when it is one):
 * raw = the best of a pipeline of one-row INSERTs and multi-row VALUES
 * batches of 1,000 rows, prepared once.  ODBC (--odbc): libsqlalc only,
 * statement vs raw-SQL form.  Best of --repeat runs, µs per row.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlalc.h>
#ifdef SQLALC_HAVE_POSTGRESQL
#    include <libpq-fe.h>
#endif

static size_t NROWS = 100000;
static int REPEAT = 3;
static char (*names)[32];
static const char *const notes[8] = { "a", "bb", "ccc", "dddd", "e e", "ffffff", "g", "hh" };

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

#define LIB(call)                                                            \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_ != SQLALC_OK) {                                              \
            fprintf(stderr, "bench_many: %s: %s\n", #call, sqlalc_errmsg()); \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static const char *CREATE = "CREATE TABLE bench (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                            "value FLOAT, qty INTEGER, note VARCHAR(20))";
static const char *INSERT_NAMED = "INSERT INTO bench (id, name, value, qty, note) "
                                  "VALUES (:id, :name, :value, :qty, :note)";

static sqlalc_param *items;
static sqlalc_params *sets;

static void make_data(void)
{
    names = malloc(NROWS * sizeof *names);
    items = malloc(NROWS * 5 * sizeof *items);
    sets = malloc(NROWS * sizeof *sets);
    if (!names || !items || !sets)
        exit(1);
    for (size_t i = 0; i < NROWS; i++) {
        snprintf(names[i], sizeof names[i], "name %zu", i);
        sqlalc_param *p = items + i * 5;
        p[0] = (sqlalc_param){ "id", SQLALC_INTV((int64_t)i + 1) };
        p[1] = (sqlalc_param){ "name", SQLALC_TEXTV(names[i]) };
        p[2] = (sqlalc_param){ "value", SQLALC_FLOATV((double)i * 0.25) };
        p[3] = (sqlalc_param){ "qty", SQLALC_INTV((int64_t)(i % 997)) };
        p[4] = (sqlalc_param){ "note", SQLALC_TEXTV(notes[i % 8]) };
        sets[i].count = 5;
        sets[i].items = p;
    }
}

static void keep_min(double *best, double t)
{
    if (*best == 0 || t < *best)
        *best = t;
}

/* The table as metadata, for the statement form. */
static sqlalc_metadata *md;
static sqlalc_table *bench_table(void)
{
    if (!md) {
        md = sqlalc_metadata_new();
        sqlalc_table_new(md, "bench", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(40), SQLALC_NOT_NULL),
                         sqlalc_column("value", sqlalc_type_float(), 0),
                         sqlalc_column("qty", sqlalc_type_integer(), 0),
                         sqlalc_column("note", sqlalc_type_string(20), 0));
    }
    return sqlalc_metadata_table(md, "bench");
}

/* libsqlalc: recreate the table, then executemany in one transaction. */
static double lib_many(sqlalc_engine *eng, int statement)
{
    sqlalc_conn *conn;
    LIB(sqlalc_engine_connect(eng, &conn));
    sqlalc_conn_execute_sql(conn, "DROP TABLE bench", NULL, NULL);
    LIB(sqlalc_conn_execute_sql(conn, CREATE, NULL, NULL));
    sqlalc_stmt *ins = statement ? sqlalc_insert(bench_table()) : NULL;
    int64_t n = 0;
    double t0 = now_us();
    sqlalc_tx *tx;
    LIB(sqlalc_conn_begin(conn, &tx));
    if (statement)
        LIB(sqlalc_conn_execute_many(conn, ins, sets, NROWS, &n));
    else
        LIB(sqlalc_conn_execute_sql_many(conn, INSERT_NAMED, sets, NROWS, &n));
    LIB(sqlalc_tx_commit(tx));
    double t = now_us() - t0;
    if ((size_t)n != NROWS) {
        fprintf(stderr, "bench_many: inserted %lld rows, not %zu\n", (long long)n, NROWS);
        exit(1);
    }
    sqlalc_stmt_free(ins);
    sqlalc_conn_close(conn);
    return t / (double)NROWS;
}

static double raw_sqlite(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        exit(1);
    sqlite3_exec(db, "PRAGMA journal_mode=wal", NULL, NULL, NULL);
    sqlite3_exec(db, CREATE, NULL, NULL, NULL);
    double t0 = now_us();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO bench (id, name, value, qty, note) VALUES (?, ?, ?, ?, ?)", -1, &st,
                       NULL);
    for (size_t i = 0; i < NROWS; i++) {
        sqlite3_bind_int64(st, 1, (int64_t)i + 1);
        sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, (double)i * 0.25);
        sqlite3_bind_int64(st, 4, (int64_t)(i % 997));
        sqlite3_bind_text(st, 5, notes[i % 8], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            exit(1);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double t = now_us() - t0;
    sqlite3_close(db);
    return t / (double)NROWS;
}

#ifdef SQLALC_HAVE_POSTGRESQL
static void pq_ok(PGconn *c, PGresult *r, ExecStatusType want)
{
    if (PQresultStatus(r) != want) {
        fprintf(stderr, "bench_many: raw: %s", PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
}

typedef struct {
    char id[24], value[32], qty[24];
} rawbuf;

static void raw_fill(rawbuf *b, const char **v, size_t i)
{
    snprintf(b->id, sizeof b->id, "%zu", i + 1);
    snprintf(b->value, sizeof b->value, "%.17g", (double)i * 0.25);
    snprintf(b->qty, sizeof b->qty, "%zu", i % 997);
    v[0] = b->id;
    v[1] = names[i];
    v[2] = b->value;
    v[3] = b->qty;
    v[4] = notes[i % 8];
}

static void pg_reset(PGconn *c)
{
    pq_ok(c, PQexec(c, "DROP TABLE IF EXISTS bench"), PGRES_COMMAND_OK);
    pq_ok(c, PQexec(c, CREATE), PGRES_COMMAND_OK);
}

/* Pipeline of one-row INSERTs. */
static double raw_pg_pipeline(PGconn *c)
{
    pg_reset(c);
    double t0 = now_us();
    pq_ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK);
    pq_ok(c, PQprepare(c, "insp", "INSERT INTO bench VALUES ($1, $2, $3, $4, $5)", 5, NULL),
          PGRES_COMMAND_OK);
    PQenterPipelineMode(c);
    rawbuf b;
    const char *v[5];
    size_t sent = 0, got = 0;
    while (got < NROWS) {
        while (sent < NROWS && sent - got < 1000) {
            raw_fill(&b, v, sent++);
            PQsendQueryPrepared(c, "insp", 5, v, NULL, NULL, 0);
        }
        PQpipelineSync(c);
        while (got < sent) {
            PGresult *r = PQgetResult(c);
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                exit(1);
            PQclear(r);
            PQclear(PQgetResult(c)); /* NULL after each */
            got++;
        }
        PQclear(PQgetResult(c)); /* the sync */
    }
    PQexitPipelineMode(c);
    pq_ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK);
    pq_ok(c, PQexec(c, "DEALLOCATE insp"), PGRES_COMMAND_OK);
    return (now_us() - t0) / (double)NROWS;
}

/* Multi-row VALUES of 1,000 rows, prepared once. */
static double raw_pg_multirow(PGconn *c)
{
    enum { K = 1000 };
    pg_reset(c);
    char *sql = malloc(K * 48 + 64);
    size_t o = (size_t)sprintf(sql, "INSERT INTO bench VALUES ");
    for (int r = 0; r < K; r++)
        o += (size_t)sprintf(sql + o, "%s($%d,$%d,$%d,$%d,$%d)", r ? "," : "", r * 5 + 1, r * 5 + 2,
                             r * 5 + 3, r * 5 + 4, r * 5 + 5);
    double t0 = now_us();
    pq_ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK);
    pq_ok(c, PQprepare(c, "insm", sql, K * 5, NULL), PGRES_COMMAND_OK);
    rawbuf *bufs = malloc(K * sizeof *bufs);
    const char **v = malloc(K * 5 * sizeof *v);
    for (size_t done = 0; done < NROWS; done += K) {
        size_t n = NROWS - done < K ? NROWS - done : K;
        for (size_t r = 0; r < n; r++)
            raw_fill(&bufs[r], v + r * 5, done + r);
        if (n == K)
            pq_ok(c, PQexecPrepared(c, "insm", K * 5, v, NULL, NULL, 0), PGRES_COMMAND_OK);
        else
            for (size_t r = 0; r < n; r++)
                pq_ok(c,
                      PQexecParams(c, "INSERT INTO bench VALUES ($1, $2, $3, $4, $5)", 5, NULL, v + r * 5,
                                   NULL, NULL, 0),
                      PGRES_COMMAND_OK);
    }
    pq_ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK);
    double t = (now_us() - t0) / (double)NROWS;
    pq_ok(c, PQexec(c, "DEALLOCATE insm"), PGRES_COMMAND_OK);
    free(sql);
    free(bufs);
    free(v);
    return t;
}
#endif

int main(int argc, char **argv)
{
    const char *pg = getenv("SQLALC_TEST_URL"), *odbc = NULL;
    if (pg && strncmp(pg, "postgresql://", 13))
        pg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            NROWS = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            REPEAT = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
            pg = argv[++i];
        else if (!strcmp(argv[i], "--odbc") && i + 1 < argc)
            odbc = argv[++i];
    }
    make_data();
    char path[64], url[128];
    snprintf(path, sizeof path, "/tmp/bench_many_%d.db", (int)getpid());
    snprintf(url, sizeof url, "sqlite:///%s?journal_mode=wal", path);
    double raw = 0, stmt = 0, text = 0;
    for (int r = 0; r < REPEAT; r++) {
        keep_min(&raw, raw_sqlite(path));
        unlink(path);
        sqlalc_engine *eng;
        LIB(sqlalc_engine_create(url, NULL, &eng));
        keep_min(&stmt, lib_many(eng, 1));
        keep_min(&text, lib_many(eng, 0));
        sqlalc_engine_free(eng);
        unlink(path);
    }
    printf("%-44s %8s %8s %7s\n", "executemany INSERT, rows in one tx", "us/row", "raw", "ratio");
    printf("%-44s %8.3f %8.3f %6.2fx\n", "sqlite: statement (sqlalc_insert)", stmt, raw, stmt / raw);
    printf("%-44s %8.3f %8.3f %6.2fx\n", "sqlite: raw SQL (execute_sql_many)", text, raw, text / raw);
#ifdef SQLALC_HAVE_POSTGRESQL
    if (pg) {
        PGconn *c = PQconnectdb(pg);
        if (PQstatus(c) != CONNECTION_OK) {
            fprintf(stderr, "bench_many: %s", PQerrorMessage(c));
            return 1;
        }
        double pipe = 0, multi = 0;
        stmt = text = 0;
        sqlalc_engine *eng;
        LIB(sqlalc_engine_create(pg, NULL, &eng));
        for (int r = 0; r < REPEAT; r++) {
            keep_min(&pipe, raw_pg_pipeline(c));
            keep_min(&multi, raw_pg_multirow(c));
            keep_min(&stmt, lib_many(eng, 1));
            keep_min(&text, lib_many(eng, 0));
        }
        double best = pipe < multi ? pipe : multi;
        printf("%-44s %8.3f %8.3f %6.2fx\n", "postgresql: raw pipeline (one-row INSERTs)", pipe, best,
               pipe / best);
        printf("%-44s %8.3f %8.3f %6.2fx\n", "postgresql: raw multi-row VALUES x1000", multi, best,
               multi / best);
        printf("%-44s %8.3f %8.3f %6.2fx\n", "postgresql: statement (sqlalc_insert)", stmt, best,
               stmt / best);
        printf("%-44s %8.3f %8.3f %6.2fx\n", "postgresql: raw SQL (execute_sql_many)", text, best,
               text / best);
        sqlalc_conn *conn;
        LIB(sqlalc_engine_connect(eng, &conn));
        sqlalc_conn_execute_sql(conn, "DROP TABLE bench", NULL, NULL);
        sqlalc_conn_close(conn);
        sqlalc_engine_free(eng);
        PQfinish(c);
    }
#endif
    if (odbc) {
        sqlalc_engine *eng;
        LIB(sqlalc_engine_create(odbc, NULL, &eng));
        stmt = text = 0;
        for (int r = 0; r < REPEAT; r++) {
            keep_min(&stmt, lib_many(eng, 1));
            keep_min(&text, lib_many(eng, 0));
        }
        printf("%-44s %8.3f %8s %6.2fx\n", "odbc: statement (sqlalc_insert)", stmt, "-", stmt / text);
        printf("%-44s %8.3f %8s %7s\n", "odbc: raw SQL (execute_sql_many)", text, "-", "(1.00x)");
        sqlalc_conn *conn;
        LIB(sqlalc_engine_connect(eng, &conn));
        sqlalc_conn_execute_sql(conn, "DROP TABLE bench", NULL, NULL);
        sqlalc_conn_close(conn);
        sqlalc_engine_free(eng);
    }
    sqlalc_metadata_free(md);
    return 0;
}

/*
 * bench_pg — libsqlalc on PostgreSQL against raw libpq loops doing the
 * same work, in the same run (not a test).
 *
 *   bench_pg [URL] [--rows N] [--lookups N] [--tables N] [--repeat N] [--no-python]
 *
 * URL defaults to $SQLALC_TEST_URL.  Work (issue 5, item 7), on a table
 * bench (id int primary key, name text, value float8, qty int, note text):
 *  - insert N rows (default 100,000) in one transaction: libsqlalc
 *    executemany vs raw libpq one PQexecPrepared per row (timed on
 *    min(N, 20,000) rows: it is slow), pipeline mode, and multi-row
 *    VALUES batches of 1,000 rows (prepared once);
 *  - COPY: sqlalc_pg_copy_in vs raw PQputCopyData of the same text;
 *  - full scan reading every column: libsqlalc vs a raw single-row-mode
 *    loop and a raw single PQexec;
 *  - L primary-key lookups (default 20,000): libsqlalc exec_text with a
 *    named bind vs a raw PQexecPrepared loop;
 *  - reflection of a schema of T tables (default 1,000; each with a serial
 *    key, a unique constraint, a check, an index and a foreign key to the
 *    first table): sqlalc_metadata_reflect of the whole schema (a fixed
 *    handful of catalog queries) vs the same tables reflected one by one
 *    with sqlalc_table_reflect.
 * Best of --repeat runs (default 3), each side alternating.  Raw loops
 * convert values the way a libpq program would (snprintf, strtoll,
 * strtod).  When /usr/bin/python3 has SQLAlchemy and psycopg2,
 * bench/sqla_pg.py does insert / scan / lookups with SQLAlchemy Core and
 * its times are printed too.
 */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlalc.h>
#include <sqlalc/postgresql.h>

static size_t NROWS = 100000, NLOOK = 20000, NPERROW = 20000, NTABLES = 1000;
static int REPEAT = 3;
static const char *URL;

static char (*names)[32];
static const char *const notes[] = {
    "scored twice in the derby",
    "left footed, quick on the break",
    "injured in March",
    "captain since 2009",
    "on loan from Atlético Madrid",
    "N'Golo's understudy",
    "free kick specialist",
    "",
};
static int64_t *lookup_ids;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

#define LIB(call)                                                          \
    do {                                                                   \
        int rc_ = (call);                                                  \
        if (rc_ != SQLALC_OK) {                                            \
            fprintf(stderr, "bench_pg: %s: %s\n", #call, sqlalc_errmsg()); \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

static void pq_ok(PGconn *c, PGresult *r, ExecStatusType want, const char *what)
{
    if (PQresultStatus(r) != want) {
        fprintf(stderr, "bench_pg: raw %s: %s", what, PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
}

static const char *CREATE = "CREATE TABLE bench (id int PRIMARY KEY, name text NOT NULL, value float8, "
                            "qty int, note text)";
static const char *INSERT_NAMED = "INSERT INTO bench (id, name, value, qty, note) "
                                  "VALUES (:id, :name, :value, :qty, :note)";
static const char *INSERT_D = "INSERT INTO bench (id, name, value, qty, note) VALUES ($1, $2, $3, $4, $5)";
static const char *SCAN = "SELECT id, name, value, qty, note FROM bench";
static const char *LOOKUP_NAMED = "SELECT id, name, value, qty, note FROM bench WHERE id = :id";
static const char *LOOKUP_D = "SELECT id, name, value, qty, note FROM bench WHERE id = $1";

typedef struct {
    int64_t ints;
    size_t bytes;
    double sum;
} check;

static void reset_table(PGconn *c)
{
    pq_ok(c, PQexec(c, "DROP TABLE IF EXISTS bench"), PGRES_COMMAND_OK, "drop");
    pq_ok(c, PQexec(c, CREATE), PGRES_COMMAND_OK, "create");
}

/* ------------------------------------------------------------------ */
/* Raw libpq                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
    char id[24], value[32], qty[24];
    const char *v[5];
} rawrow;

static void raw_fill(rawrow *r, size_t i)
{
    snprintf(r->id, sizeof r->id, "%zu", i + 1);
    snprintf(r->value, sizeof r->value, "%.17g", (double)i * 0.25);
    snprintf(r->qty, sizeof r->qty, "%zu", i % 997);
    r->v[0] = r->id;
    r->v[1] = names[i];
    r->v[2] = r->value;
    r->v[3] = r->qty;
    r->v[4] = notes[i % 8];
}

static double raw_insert_per_row(PGconn *c, size_t n)
{
    reset_table(c);
    double t0 = now_us();
    pq_ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK, "begin");
    pq_ok(c, PQprepare(c, "ins1", INSERT_D, 5, NULL), PGRES_COMMAND_OK, "prepare");
    rawrow r;
    for (size_t i = 0; i < n; i++) {
        raw_fill(&r, i);
        pq_ok(c, PQexecPrepared(c, "ins1", 5, r.v, NULL, NULL, 0), PGRES_COMMAND_OK, "insert");
    }
    pq_ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK, "commit");
    double t = now_us() - t0;
    pq_ok(c, PQexec(c, "DEALLOCATE ins1"), PGRES_COMMAND_OK, "deallocate");
    return t / (double)n;
}

static double raw_insert_pipeline(PGconn *c)
{
    reset_table(c);
    double t0 = now_us();
    pq_ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK, "begin");
    pq_ok(c, PQprepare(c, "ins2", INSERT_D, 5, NULL), PGRES_COMMAND_OK, "prepare");
    PQenterPipelineMode(c);
    rawrow r;
    for (size_t done = 0; done < NROWS; done += 1000) {
        size_t k = NROWS - done < 1000 ? NROWS - done : 1000;
        for (size_t i = done; i < done + k; i++) {
            raw_fill(&r, i);
            if (!PQsendQueryPrepared(c, "ins2", 5, r.v, NULL, NULL, 0)) {
                fprintf(stderr, "bench_pg: raw pipeline send: %s", PQerrorMessage(c));
                exit(1);
            }
        }
        PQpipelineSync(c);
        for (;;) {
            PGresult *res = PQgetResult(c);
            if (!res)
                continue;
            ExecStatusType st = PQresultStatus(res);
            PQclear(res);
            if (st == PGRES_PIPELINE_SYNC)
                break;
            if (st != PGRES_COMMAND_OK) {
                fprintf(stderr, "bench_pg: raw pipeline: %s", PQerrorMessage(c));
                exit(1);
            }
        }
    }
    PQexitPipelineMode(c);
    pq_ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK, "commit");
    double t = now_us() - t0;
    pq_ok(c, PQexec(c, "DEALLOCATE ins2"), PGRES_COMMAND_OK, "deallocate");
    return t / (double)NROWS;
}

static char *multi_sql(size_t rows)
{
    size_t cap = 64 + rows * 48;
    char *s = malloc(cap);
    size_t n = (size_t)snprintf(s, cap, "INSERT INTO bench (id, name, value, qty, note) VALUES ");
    for (size_t r = 0; r < rows; r++)
        n += (size_t)snprintf(s + n, cap - n, "%s($%zu,$%zu,$%zu,$%zu,$%zu)", r ? "," : "", r * 5 + 1,
                              r * 5 + 2, r * 5 + 3, r * 5 + 4, r * 5 + 5);
    return s;
}

static double raw_insert_multirow(PGconn *c)
{
    enum { B = 1000 };
    reset_table(c);
    rawrow *rr = malloc(B * sizeof *rr);
    const char **vals = malloc(B * 5 * sizeof *vals);
    char *sql = multi_sql(B);
    double t0 = now_us();
    pq_ok(c, PQexec(c, "BEGIN"), PGRES_COMMAND_OK, "begin");
    pq_ok(c, PQprepare(c, "ins3", sql, 0, NULL), PGRES_COMMAND_OK, "prepare");
    for (size_t done = 0; done < NROWS; done += B) {
        size_t k = NROWS - done < B ? NROWS - done : B;
        for (size_t i = 0; i < k; i++) {
            raw_fill(&rr[i], done + i);
            memcpy(vals + i * 5, rr[i].v, sizeof rr[i].v);
        }
        if (k == B)
            pq_ok(c, PQexecPrepared(c, "ins3", B * 5, vals, NULL, NULL, 0), PGRES_COMMAND_OK, "multi insert");
        else {
            char *rs = multi_sql(k);
            pq_ok(c, PQexecParams(c, rs, (int)k * 5, NULL, vals, NULL, NULL, 0), PGRES_COMMAND_OK,
                  "rest insert");
            free(rs);
        }
    }
    pq_ok(c, PQexec(c, "COMMIT"), PGRES_COMMAND_OK, "commit");
    double t = now_us() - t0;
    pq_ok(c, PQexec(c, "DEALLOCATE ins3"), PGRES_COMMAND_OK, "deallocate");
    free(sql);
    free(vals);
    free(rr);
    return t / (double)NROWS;
}

static double raw_copy(PGconn *c)
{
    reset_table(c);
    double t0 = now_us();
    pq_ok(c, PQexec(c, "COPY bench (id, name, value, qty, note) FROM STDIN"), PGRES_COPY_IN, "copy");
    char *buf = malloc(1 << 18);
    size_t len = 0;
    for (size_t i = 0; i < NROWS; i++) {
        len += (size_t)snprintf(buf + len, 512, "%zu\t%s\t%.17g\t%zu\t%s\n", i + 1, names[i],
                                (double)i * 0.25, i % 997, notes[i % 8]);
        if (len > (1 << 18) - 512 || i + 1 == NROWS) {
            PQputCopyData(c, buf, (int)len);
            len = 0;
        }
    }
    PQputCopyEnd(c, NULL);
    PGresult *r;
    while ((r = PQgetResult(c)) != NULL)
        pq_ok(c, r, PGRES_COMMAND_OK, "copy end");
    double t = now_us() - t0;
    free(buf);
    return t / (double)NROWS;
}

static void read_raw_row(PGresult *r, int row, check *ck)
{
    ck->ints += strtoll(PQgetvalue(r, row, 0), NULL, 10);
    ck->bytes += (size_t)PQgetlength(r, row, 1);
    ck->sum += strtod(PQgetvalue(r, row, 2), NULL);
    ck->ints += strtoll(PQgetvalue(r, row, 3), NULL, 10);
    ck->bytes += (size_t)PQgetlength(r, row, 4);
}

static double raw_scan_single(PGconn *c, check *ck)
{
    double t0 = now_us();
    PQsendQueryParams(c, SCAN, 0, NULL, NULL, NULL, NULL, 0);
    PQsetSingleRowMode(c);
    PGresult *r;
    size_t n = 0;
    while ((r = PQgetResult(c)) != NULL) {
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
            read_raw_row(r, 0, ck);
            n++;
        }
        PQclear(r);
    }
    return (now_us() - t0) / (double)n;
}

static double raw_scan_exec(PGconn *c, check *ck)
{
    double t0 = now_us();
    PGresult *r = PQexec(c, SCAN);
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        read_raw_row(r, i, ck);
    PQclear(r);
    return (now_us() - t0) / (double)n;
}

static double raw_lookups(PGconn *c, check *ck)
{
    pq_ok(c, PQprepare(c, "lk", LOOKUP_D, 1, NULL), PGRES_COMMAND_OK, "prepare lookup");
    double t0 = now_us();
    char id[24];
    const char *v[1] = { id };
    for (size_t i = 0; i < NLOOK; i++) {
        snprintf(id, sizeof id, "%lld", (long long)lookup_ids[i]);
        PGresult *r = PQexecPrepared(c, "lk", 1, v, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            fprintf(stderr, "bench_pg: raw lookup: %s", PQerrorMessage(c));
            exit(1);
        }
        read_raw_row(r, 0, ck);
        PQclear(r);
    }
    double t = now_us() - t0;
    pq_ok(c, PQexec(c, "DEALLOCATE lk"), PGRES_COMMAND_OK, "deallocate");
    return t / (double)NLOOK;
}

/* ------------------------------------------------------------------ */
/* libsqlalc                                                           */
/* ------------------------------------------------------------------ */

static sqlalc_param *lib_items;
static sqlalc_params *lib_sets;
static sqlalc_value *copy_rows;

/* executemany of an insert() statement: the compiler's multi-row VALUES
 * (the raw-SQL form above is pipelined row by row: the driver never
 * rewrites SQL). */
static double lib_insert_tree(sqlalc_engine *eng, PGconn *admin)
{
    reset_table(admin);
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "bench", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_text(), SQLALC_NOT_NULL),
        sqlalc_column("value", sqlalc_type_float(), 0), sqlalc_column("qty", sqlalc_type_integer(), 0),
        sqlalc_column("note", sqlalc_type_text(), 0));
    sqlalc_stmt *ins = sqlalc_insert(t);
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c));
    double t0 = now_us();
    int64_t n;
    LIB(sqlalc_conn_execute_many(c, ins, lib_sets, NROWS, &n));
    double el = now_us() - t0;
    if ((size_t)n != NROWS) {
        fprintf(stderr, "bench_pg: execute_many inserted %lld rows\n", (long long)n);
        exit(1);
    }
    sqlalc_conn_close(c);
    sqlalc_stmt_free(ins);
    sqlalc_metadata_free(md);
    return el / (double)NROWS;
}

static void lib_prepare_data(void)
{
    lib_items = malloc(NROWS * 5 * sizeof *lib_items);
    lib_sets = malloc(NROWS * sizeof *lib_sets);
    copy_rows = malloc(NROWS * 5 * sizeof *copy_rows);
    for (size_t i = 0; i < NROWS; i++) {
        sqlalc_param *p = lib_items + i * 5;
        p[0] = SQLALC_P_INT("id", (int64_t)i + 1);
        p[1] = SQLALC_P_TEXT("name", names[i]);
        p[2] = SQLALC_P_FLOAT("value", (double)i * 0.25);
        p[3] = SQLALC_P_INT("qty", (int64_t)(i % 997));
        p[4] = SQLALC_P_TEXT("note", notes[i % 8]);
        lib_sets[i] = (sqlalc_params){ 5, p };
        for (int k = 0; k < 5; k++)
            copy_rows[i * 5 + (size_t)k] = p[k].value;
    }
}

static double lib_insert(sqlalc_engine *eng, PGconn *admin)
{
    reset_table(admin);
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c));
    double t0 = now_us();
    int64_t n;
    LIB(sqlalc_conn_execute_sql_many(c, INSERT_NAMED, lib_sets, NROWS, &n));
    double t = now_us() - t0;
    if ((size_t)n != NROWS) {
        fprintf(stderr, "bench_pg: executemany inserted %lld rows\n", (long long)n);
        exit(1);
    }
    sqlalc_conn_close(c);
    return t / (double)NROWS;
}

static double lib_copy(sqlalc_engine *eng, PGconn *admin)
{
    reset_table(admin);
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c));
    static const char *const cols[] = { "id", "name", "value", "qty", "note" };
    double t0 = now_us();
    int64_t n;
    LIB(sqlalc_pg_copy_in(c, "bench", cols, 5, copy_rows, NROWS, &n));
    double t = now_us() - t0;
    sqlalc_conn_close(c);
    return t / (double)NROWS;
}

static void read_lib_row(const sqlalc_row *row, check *ck)
{
    int64_t i;
    double d;
    const char *s;
    size_t len;
    sqlalc_row_get_int64(row, 0, &i);
    ck->ints += i;
    sqlalc_row_get_text(row, 1, &s, &len);
    ck->bytes += len;
    sqlalc_row_get_double(row, 2, &d);
    ck->sum += d;
    sqlalc_row_get_int64(row, 3, &i);
    ck->ints += i;
    sqlalc_row_get_text(row, 4, &s, &len);
    ck->bytes += len;
}

static double lib_scan(sqlalc_conn *c, check *ck)
{
    double t0 = now_us();
    sqlalc_result *res;
    LIB(sqlalc_conn_execute_sql(c, SCAN, NULL, &res));
    const sqlalc_row *row;
    size_t n = 0;
    while (sqlalc_result_next(res, &row) == SQLALC_ROW) {
        read_lib_row(row, ck);
        n++;
    }
    sqlalc_result_free(res);
    return (now_us() - t0) / (double)n;
}

static double lib_lookups(sqlalc_conn *c, check *ck)
{
    double t0 = now_us();
    for (size_t i = 0; i < NLOOK; i++) {
        sqlalc_result *res;
        const sqlalc_row *row;
        LIB(sqlalc_conn_execute_sql(c, LOOKUP_NAMED, SQLALC_PARAMS(SQLALC_P_INT("id", lookup_ids[i])), &res));
        if (sqlalc_result_next(res, &row) != SQLALC_ROW) {
            fprintf(stderr, "bench_pg: lookup %lld: no row\n", (long long)lookup_ids[i]);
            exit(1);
        }
        read_lib_row(row, ck);
        sqlalc_result_free(res);
    }
    return (now_us() - t0) / (double)NLOOK;
}

/* ------------------------------------------------------------------ */
/* Reflection                                                          */
/* ------------------------------------------------------------------ */

/* Dropped and created 100 tables per command: one transaction over all
 * of them would pass the server's lock table (max_locks_per_transaction). */
static void drop_schema(PGconn *c)
{
    PGresult *r = PQexec(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE n.nspname = 'bench_reflect' AND c.relkind = 'r'");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_pg: list reflection tables: %s", PQerrorMessage(c));
        exit(1);
    }
    int n = PQntuples(r);
    for (int i = 0; i < n; i += 100) {
        char sql[8192];
        size_t len = (size_t)snprintf(sql, sizeof sql, "DROP TABLE ");
        for (int k = i; k < n && k < i + 100; k++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%sbench_reflect.%s", k > i ? ", " : "",
                                    PQgetvalue(r, k, 0));
        snprintf(sql + len, sizeof sql - len, " CASCADE");
        pq_ok(c, PQexec(c, sql), PGRES_COMMAND_OK, "drop reflection tables");
    }
    PQclear(r);
    pq_ok(c, PQexec(c, "DROP SCHEMA IF EXISTS bench_reflect CASCADE"), PGRES_COMMAND_OK,
          "drop reflection schema");
}

static void make_schema(PGconn *c)
{
    drop_schema(c);
    pq_ok(c, PQexec(c, "CREATE SCHEMA bench_reflect"), PGRES_COMMAND_OK, "create reflection schema");
    size_t cap = 100 * 640, n = 0;
    char *sql = malloc(cap);
    for (size_t i = 0; i < NTABLES; i++) {
        n += (size_t)snprintf(
            sql + n, cap - n,
            "CREATE TABLE bench_reflect.t%04zu (id serial PRIMARY KEY, name varchar(50) NOT NULL "
            "UNIQUE, amount numeric(10,2) NOT NULL DEFAULT 0 CHECK (amount >= 0), created "
            "timestamptz, parent_id int%s); CREATE INDEX ix_t%04zu_created ON bench_reflect.t%04zu "
            "(created, amount);",
            i, i ? " REFERENCES bench_reflect.t0000 (id) ON DELETE CASCADE" : "", i, i);
        if ((i + 1) % 100 == 0 || i + 1 == NTABLES) {
            pq_ok(c, PQexec(c, sql), PGRES_COMMAND_OK, "create reflection tables");
            n = 0;
        }
    }
    free(sql);
}

static double reflect_all(sqlalc_engine *eng)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
    o.schema = "bench_reflect";
    double t0 = now_us();
    LIB(sqlalc_metadata_reflect(md, eng, &o));
    double t = now_us() - t0;
    if (sqlalc_metadata_table_count(md) != NTABLES) {
        fprintf(stderr, "bench_pg: reflected %zu tables of %zu\n", sqlalc_metadata_table_count(md), NTABLES);
        exit(1);
    }
    sqlalc_metadata_free(md);
    return t;
}

/* One sqlalc_table_reflect per table: each is a handful of catalog
 * queries filtered to that table (and its FK target). */
static double reflect_each(sqlalc_engine *eng)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    size_t n = NTABLES;
    double t0 = now_us();
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%04zu", i);
        LIB(sqlalc_table_reflect(md, eng, "bench_reflect", name, NULL));
    }
    double t = now_us() - t0;
    sqlalc_metadata_free(md);
    return t;
}

/* ------------------------------------------------------------------ */
/* SQLAlchemy                                                          */
/* ------------------------------------------------------------------ */

static int run_python(double out[3])
{
    const char *script = getenv("SQLALC_BENCH_PG_PY");
    char path[4096], cmd[8192];
    if (!script) {
        snprintf(path, sizeof path, "%s", __FILE__);
        char *slash = strrchr(path, '/');
        snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0),
                 "sqla_pg.py");
        script = path;
    }
    if (access("/usr/bin/python3", X_OK) != 0 || access(script, R_OK) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' %zu %zu %d", script, URL, NROWS, NLOOK, REPEAT);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char line[256];
    int got = 0;
    while (fgets(line, sizeof line, p)) {
        char key[32];
        double v;
        if (sscanf(line, "%31s %lf", key, &v) == 2) {
            if (!strcmp(key, "insert"))
                out[0] = v, got |= 1;
            else if (!strcmp(key, "scan"))
                out[1] = v, got |= 2;
            else if (!strcmp(key, "lookup"))
                out[2] = v, got |= 4;
        } else
            fputs(line, stderr);
    }
    int st = pclose(p);
    return st == 0 && got == 7 ? 0 : -1;
}

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void keep(double *best, double t)
{
    if (*best == 0 || t < *best)
        *best = t;
}

int main(int argc, char **argv)
{
    int python = 1;
    URL = getenv("SQLALC_TEST_URL");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            NROWS = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
            NLOOK = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--tables") && i + 1 < argc)
            NTABLES = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            REPEAT = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-python"))
            python = 0;
        else if (argv[i][0] != '-')
            URL = argv[i];
        else {
            fprintf(
                stderr,
                "usage: bench_pg [URL] [--rows N] [--lookups N] [--tables N] [--repeat N] [--no-python]\n");
            return 2;
        }
    }
    if (!URL || strncmp(URL, "postgresql", 10)) {
        fprintf(stderr, "bench_pg: give a postgresql:// URL (argument or SQLALC_TEST_URL)\n");
        return 2;
    }
    if (NPERROW > NROWS)
        NPERROW = NROWS;
    names = malloc(NROWS * sizeof *names);
    for (size_t i = 0; i < NROWS; i++)
        snprintf(names[i], sizeof names[i], "player-%07zu", i + 1);
    lookup_ids = malloc(NLOOK * sizeof *lookup_ids);
    uint64_t x = 42;
    for (size_t i = 0; i < NLOOK; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        lookup_ids[i] = (int64_t)((x >> 33) % NROWS) + 1;
    }
    lib_prepare_data();

    sqlalc_engine *eng;
    LIB(sqlalc_engine_create(URL, NULL, &eng));
    /* the raw side connects with the same libpq keywords the driver uses */
    sqlalc_conn *probe;
    LIB(sqlalc_engine_connect(eng, &probe));
    sqlalc_conn_close(probe);
    const sqlalc_url *u = sqlalc_engine_url(eng);
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%d dbname=%s user=%s client_encoding=UTF8",
             sqlalc_url_host(u) ? sqlalc_url_host(u) : "", sqlalc_url_port(u) ? sqlalc_url_port(u) : 5432,
             sqlalc_url_database(u) ? sqlalc_url_database(u) : "postgres",
             sqlalc_url_username(u) ? sqlalc_url_username(u) : "postgres");
    if (sqlalc_url_password(u)) {
        size_t n = strlen(conninfo);
        snprintf(conninfo + n, sizeof conninfo - n, " password=%s", sqlalc_url_password(u));
    }
    PGconn *raw = PQconnectdb(conninfo);
    if (PQstatus(raw) != CONNECTION_OK) {
        fprintf(stderr, "bench_pg: raw connect: %s", PQerrorMessage(raw));
        return 1;
    }
    PQsetNoticeProcessor(raw, quiet_notice, NULL);

    double r_row = 0, r_pipe = 0, r_multi = 0, r_copy = 0, r_scan1 = 0, r_scanx = 0, r_look = 0;
    double l_ins = 0, l_ins_tree = 0, l_copy = 0, l_scan = 0, l_look = 0;
    check ck_raw = { 0, 0, 0 }, ck_lib = { 0, 0, 0 };
    for (int rep = 0; rep < REPEAT; rep++) {
        keep(&r_row, raw_insert_per_row(raw, NPERROW));
        keep(&r_pipe, raw_insert_pipeline(raw));
        keep(&l_ins, lib_insert(eng, raw));
        keep(&l_ins_tree, lib_insert_tree(eng, raw));
        keep(&r_multi, raw_insert_multirow(raw));
        keep(&l_copy, lib_copy(eng, raw));
        keep(&r_copy, raw_copy(raw));
        pq_ok(raw, PQexec(raw, "VACUUM ANALYZE bench"), PGRES_COMMAND_OK, "vacuum");
        sqlalc_conn *c;
        LIB(sqlalc_engine_connect(eng, &c));
        check a = { 0, 0, 0 }, b = { 0, 0, 0 }, d = { 0, 0, 0 };
        keep(&r_scan1, raw_scan_single(raw, &a));
        keep(&l_scan, lib_scan(c, &b));
        keep(&r_scanx, raw_scan_exec(raw, &d));
        keep(&r_look, raw_lookups(raw, &a));
        keep(&l_look, lib_lookups(c, &b));
        sqlalc_conn_close(c);
        if (rep == 0) {
            ck_raw = a;
            ck_lib = b;
        }
    }
    if (ck_raw.ints != ck_lib.ints || ck_raw.bytes != ck_lib.bytes || ck_raw.sum != ck_lib.sum) {
        fprintf(stderr, "bench_pg: checksums differ between raw and libsqlalc reads\n");
        return 1;
    }
    double refl_all = 0, refl_each = 0;
    if (NTABLES) {
        make_schema(raw);
        for (int rep = 0; rep < REPEAT; rep++)
            keep(&refl_all, reflect_all(eng));
        keep(&refl_each, reflect_each(eng));
        drop_schema(raw);
    }
    double py[3] = { 0, 0, 0 };
    int have_py = python ? run_python(py) == 0 : 0;
    double best_ins = r_pipe < r_multi ? r_pipe : r_multi;
    double best_scan = r_scan1 < r_scanx ? r_scan1 : r_scanx;

    printf("PostgreSQL: %zu rows, %zu lookups, best of %d (µs per row / lookup)\n", NROWS, NLOOK, REPEAT);
    printf("%-44s %10s %10s %8s\n", "task", "libsqlalc", "raw", "ratio");
    printf("%-44s %10s %10.2f %8s\n", "insert: raw one PQexecPrepared per row", "", r_row, "");
    printf("%-44s %10s %10.2f %8s\n", "insert: raw pipeline mode", "", r_pipe, "");
    printf("%-44s %10s %10.2f %8s\n", "insert: raw multi-row VALUES x1000", "", r_multi, "");
    printf("%-44s %10.2f %10.2f %7.2fx\n", "insert: executemany (raw SQL) vs raw pipeline", l_ins, r_pipe,
           l_ins / r_pipe);
    printf("%-44s %10.2f %10.2f %7.2fx\n", "insert: execute_many(insert()) vs best raw", l_ins_tree, best_ins,
           l_ins_tree / best_ins);
    printf("%-44s %10.2f %10.2f %7.2fx\n", "COPY: sqlalc_pg_copy_in vs raw COPY", l_copy, r_copy,
           l_copy / r_copy);
    printf("%-44s %10s %10.2f %8s\n", "scan: raw single PQexec", "", r_scanx, "");
    printf("%-44s %10.2f %10.2f %7.2fx\n", "scan: vs raw single-row mode", l_scan, r_scan1, l_scan / r_scan1);
    printf("%-44s %10.2f %10.2f %7.2fx\n", "scan: vs best raw scan", l_scan, best_scan, l_scan / best_scan);
    printf("%-44s %10.2f %10.2f %7.2fx\n", "lookups: vs raw PQexecPrepared loop", l_look, r_look,
           l_look / r_look);
    if (NTABLES) {
        printf("reflection of %zu tables (ms):\n", NTABLES);
        printf("%-44s %10.1f\n", "  whole schema, sqlalc_metadata_reflect", refl_all / 1e3);
        printf("%-44s %10.1f %10s %7.1fx\n", "  table by table, sqlalc_table_reflect", refl_each / 1e3, "",
               refl_each / refl_all);
    }
    if (have_py) {
        printf("SQLAlchemy Core + psycopg2 (same rows, same run):\n");
        printf("%-44s %10.2f %10s %7.2fx\n", "  insert executemany (vs libsqlalc)", py[0], "", py[0] / l_ins);
        printf("%-44s %10.2f %10s %7.2fx\n", "  scan (vs libsqlalc)", py[1], "", py[1] / l_scan);
        printf("%-44s %10.2f %10s %7.2fx\n", "  lookups (vs libsqlalc)", py[2], "", py[2] / l_look);
    } else if (python)
        printf("(SQLAlchemy + psycopg2 not available: no Python column)\n");
    pq_ok(raw, PQexec(raw, "DROP TABLE IF EXISTS bench"), PGRES_COMMAND_OK, "drop");
    PQfinish(raw);
    sqlalc_engine_free(eng);
    free(names);
    free(lookup_ids);
    free(lib_items);
    free(lib_sets);
    free(copy_rows);
    return 0;
}

/*
 * bench_sqlite — libsqlalc against a plain sqlite3 prepared-statement loop
 * doing the same work, in the same run (not a test).
 *
 *   bench_sqlite [--rows N] [--lookups N] [--repeat N] [--no-python] [--cpu]
 *
 * Work (issue 2): insert N rows (default 200,000) in one transaction with
 * executemany; scan them reading every column; L primary-key lookups
 * (default 50,000).  Each is timed through libsqlalc and through raw
 * sqlite3, alternating, best of --repeat runs (default 3), on temporary
 * file databases in the default rollback journal and in WAL mode.  Also:
 * lookups each in their own implicit transaction vs all inside one
 * explicit transaction, and the default page cache (2 MB) vs
 * cache_size=-65536 (64 MB; the table is about 10 MB), warmed by one scan.
 * And the same lookups through a cached expression statement,
 * select(bench).where(bench.c.id == bindparam("uid")), executed with an
 * override for uid each time (compiled once, then the statement cache).
 * When /usr/bin/python3 has SQLAlchemy, bench/sqla_sqlite.py does the
 * three tasks with SQLAlchemy Core and its times are printed too.
 *
 * Parameter sets and data are prepared before the clock starts, for both
 * sides (as a Python list of dicts would be).
 *
 * --cpu times with the process's CPU clock instead of the wall clock: on
 * a machine shared with other work the wall clock counts time spent
 * waiting for a core, the CPU clock does not (it also leaves out waiting
 * for the disk, which both sides do alike).
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlalc.h>

static size_t NROWS = 200000, NLOOK = 50000;
static int REPEAT = 3;
static clockid_t CLOCK = CLOCK_MONOTONIC;

/* ------------------------------------------------------------------ */
/* Data                                                                */
/* ------------------------------------------------------------------ */

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
    clock_gettime(CLOCK, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die_lite(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_sqlite: raw %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

#define LITE(db, call, what)     \
    do {                         \
        if ((call) != SQLITE_OK) \
            die_lite(db, what);  \
    } while (0)
#define LIB(call)                                                              \
    do {                                                                       \
        int rc_ = (call);                                                      \
        if (rc_ != SQLALC_OK) {                                                \
            fprintf(stderr, "bench_sqlite: %s: %s\n", #call, sqlalc_errmsg()); \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

static const char *CREATE = "CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                            "value REAL, qty INTEGER, note TEXT)";
static const char *INSERT_NAMED = "INSERT INTO bench (id, name, value, qty, note) "
                                  "VALUES (:id, :name, :value, :qty, :note)";
static const char *INSERT_Q = "INSERT INTO bench (id, name, value, qty, note) VALUES (?, ?, ?, ?, ?)";
static const char *SCAN = "SELECT id, name, value, qty, note FROM bench";
static const char *LOOKUP_NAMED = "SELECT id, name, value, qty, note FROM bench WHERE id = :id";
static const char *LOOKUP_Q = "SELECT id, name, value, qty, note FROM bench WHERE id = ?";

/* Checksums make sure both sides really read the same data. */
typedef struct {
    int64_t ints;
    size_t bytes;
    double sum;
} check;

/* ------------------------------------------------------------------ */
/* Raw sqlite3                                                          */
/* ------------------------------------------------------------------ */

static sqlite3 *raw_open(const char *path, const char *journal, const char *cache)
{
    sqlite3 *db;
    /* Same flags and settings as the library's driver. */
    LITE(NULL,
         sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL),
         "open");
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", journal);
    LITE(db, sqlite3_exec(db, sql, NULL, NULL, NULL), "journal_mode");
    if (cache) {
        snprintf(sql, sizeof sql, "PRAGMA cache_size=%s", cache);
        LITE(db, sqlite3_exec(db, sql, NULL, NULL, NULL), "cache_size");
    }
    return db;
}

static double raw_insert(sqlite3 *db)
{
    LITE(db, sqlite3_exec(db, "DROP TABLE IF EXISTS bench", NULL, NULL, NULL), "drop");
    LITE(db, sqlite3_exec(db, CREATE, NULL, NULL, NULL), "create");
    double t0 = now_us();
    sqlite3_stmt *st;
    LITE(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
    LITE(db, sqlite3_prepare_v2(db, INSERT_Q, -1, &st, NULL), "prepare insert");
    for (size_t i = 0; i < NROWS; i++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, (double)i * 0.25);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)(i % 997));
        sqlite3_bind_text(st, 5, notes[i % 8], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            die_lite(db, "insert");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    LITE(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    return now_us() - t0;
}

static double raw_scan(sqlite3 *db, check *ck)
{
    double t0 = now_us();
    sqlite3_stmt *st;
    LITE(db, sqlite3_prepare_v2(db, SCAN, -1, &st, NULL), "prepare scan");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ck->ints += sqlite3_column_int64(st, 0);
        const unsigned char *s = sqlite3_column_text(st, 1);
        ck->bytes += (size_t)sqlite3_column_bytes(st, 1) + (s ? 1 : 0);
        ck->sum += sqlite3_column_double(st, 2);
        ck->ints += sqlite3_column_int64(st, 3);
        s = sqlite3_column_text(st, 4);
        ck->bytes += (size_t)sqlite3_column_bytes(st, 4) + (s ? 1 : 0);
    }
    if (rc != SQLITE_DONE)
        die_lite(db, "scan");
    sqlite3_finalize(st);
    return now_us() - t0;
}

static double raw_lookups(sqlite3 *db, int explicit_tx, check *ck)
{
    double t0 = now_us();
    sqlite3_stmt *st;
    if (explicit_tx)
        LITE(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
    LITE(db, sqlite3_prepare_v2(db, LOOKUP_Q, -1, &st, NULL), "prepare lookup");
    for (size_t i = 0; i < NLOOK; i++) {
        sqlite3_bind_int64(st, 1, lookup_ids[i]);
        if (sqlite3_step(st) != SQLITE_ROW)
            die_lite(db, "lookup");
        ck->ints += sqlite3_column_int64(st, 0);
        const unsigned char *s = sqlite3_column_text(st, 1);
        ck->bytes += (size_t)sqlite3_column_bytes(st, 1) + (s ? 1 : 0);
        ck->sum += sqlite3_column_double(st, 2);
        ck->ints += sqlite3_column_int64(st, 3);
        s = sqlite3_column_text(st, 4);
        ck->bytes += (size_t)sqlite3_column_bytes(st, 4) + (s ? 1 : 0);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (explicit_tx)
        LITE(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    return now_us() - t0;
}

/* ------------------------------------------------------------------ */
/* libsqlalc                                                           */
/* ------------------------------------------------------------------ */

static sqlalc_param *ins_items;
static sqlalc_params *ins_sets;

static void lib_prepare_params(void)
{
    ins_items = calloc(NROWS * 5, sizeof *ins_items);
    ins_sets = calloc(NROWS, sizeof *ins_sets);
    if (!ins_items || !ins_sets) {
        fprintf(stderr, "bench_sqlite: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < NROWS; i++) {
        sqlalc_param *p = ins_items + i * 5;
        p[0] = SQLALC_P_INT("id", (int64_t)i + 1);
        p[1] = SQLALC_P_TEXT("name", names[i]);
        p[2] = SQLALC_P_FLOAT("value", (double)i * 0.25);
        p[3] = SQLALC_P_INT("qty", (int64_t)(i % 997));
        p[4] = SQLALC_P_TEXT("note", notes[i % 8]);
        ins_sets[i].count = 5;
        ins_sets[i].items = p;
    }
}

static sqlalc_engine *lib_open(const char *path, const char *journal, const char *cache)
{
    char url[4200];
    snprintf(url, sizeof url, "sqlite:///%s?journal_mode=%s%s%s", path, journal, cache ? "&cache_size=" : "",
             cache ? cache : "");
    sqlalc_engine *eng;
    LIB(sqlalc_engine_create(url, NULL, &eng));
    return eng;
}

static double lib_insert(sqlalc_conn *conn)
{
    LIB(sqlalc_conn_execute_sql(conn, "DROP TABLE IF EXISTS bench", NULL, NULL));
    LIB(sqlalc_conn_execute_sql(conn, CREATE, NULL, NULL));
    double t0 = now_us();
    sqlalc_tx *tx;
    int64_t n = 0;
    LIB(sqlalc_conn_begin(conn, &tx));
    LIB(sqlalc_conn_execute_sql_many(conn, INSERT_NAMED, ins_sets, NROWS, &n));
    LIB(sqlalc_tx_commit(tx));
    double t = now_us() - t0;
    if ((size_t)n != NROWS) {
        fprintf(stderr, "bench_sqlite: executemany inserted %lld rows, not %zu\n", (long long)n, NROWS);
        exit(1);
    }
    return t;
}

static void lib_read_row(const sqlalc_row *row, check *ck)
{
    int64_t i;
    double d;
    const char *s;
    size_t len;
    LIB(sqlalc_row_get_int64(row, 0, &i));
    ck->ints += i;
    LIB(sqlalc_row_get_text(row, 1, &s, &len));
    ck->bytes += len + (s ? 1 : 0);
    LIB(sqlalc_row_get_double(row, 2, &d));
    ck->sum += d;
    LIB(sqlalc_row_get_int64(row, 3, &i));
    ck->ints += i;
    LIB(sqlalc_row_get_text(row, 4, &s, &len));
    ck->bytes += len + (s ? 1 : 0);
}

static double lib_scan(sqlalc_conn *conn, check *ck)
{
    double t0 = now_us();
    sqlalc_result *res;
    const sqlalc_row *row;
    LIB(sqlalc_conn_execute_sql(conn, SCAN, NULL, &res));
    int rc;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW)
        lib_read_row(row, ck);
    if (rc != SQLALC_DONE) {
        fprintf(stderr, "bench_sqlite: scan: %s\n", sqlalc_errmsg());
        exit(1);
    }
    sqlalc_result_free(res);
    return now_us() - t0;
}

static double lib_lookups(sqlalc_conn *conn, int explicit_tx, check *ck)
{
    double t0 = now_us();
    sqlalc_tx *tx = NULL;
    if (explicit_tx)
        LIB(sqlalc_conn_begin(conn, &tx));
    for (size_t i = 0; i < NLOOK; i++) {
        sqlalc_result *res;
        const sqlalc_row *row;
        LIB(sqlalc_conn_execute_sql(conn, LOOKUP_NAMED, SQLALC_PARAMS(SQLALC_P_INT("id", lookup_ids[i])),
                                    &res));
        if (sqlalc_result_next(res, &row) != SQLALC_ROW) {
            fprintf(stderr, "bench_sqlite: lookup %lld found nothing: %s\n", (long long)lookup_ids[i],
                    sqlalc_errmsg());
            exit(1);
        }
        lib_read_row(row, ck);
        sqlalc_result_free(res);
    }
    if (tx)
        LIB(sqlalc_tx_commit(tx));
    return now_us() - t0;
}

/* The bench table as an expression-language Table, and
 * SELECT … FROM bench WHERE bench.id = :uid built once. */
static sqlalc_metadata *expr_md;
static sqlalc_stmt *expr_lookup;

static void lib_prepare_expr(void)
{
    expr_md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        expr_md, "bench", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_text(), SQLALC_NOT_NULL),
        sqlalc_column("value", sqlalc_type_float(), 0), sqlalc_column("qty", sqlalc_type_integer(), 0),
        sqlalc_column("note", sqlalc_type_text(), 0));
    expr_lookup = t ? sqlalc_select(SQLALC_COLS(sqlalc_c(t, "id"), sqlalc_c(t, "name"), sqlalc_c(t, "value"),
                                                sqlalc_c(t, "qty"), sqlalc_c(t, "note")),
                                    sqlalc_eq(sqlalc_c(t, "id"), sqlalc_bindparam("uid", SQLALC_INTV(0))))
                    : NULL;
    if (!expr_lookup) {
        fprintf(stderr, "bench_sqlite: building the lookup statement: %s\n", sqlalc_errmsg());
        exit(1);
    }
}

static double lib_expr_lookups(sqlalc_conn *conn, int explicit_tx, check *ck)
{
    double t0 = now_us();
    sqlalc_tx *tx = NULL;
    if (explicit_tx)
        LIB(sqlalc_conn_begin(conn, &tx));
    for (size_t i = 0; i < NLOOK; i++) {
        sqlalc_result *res;
        const sqlalc_row *row;
        LIB(sqlalc_conn_execute(conn, expr_lookup, SQLALC_PARAMS(SQLALC_P_INT("uid", lookup_ids[i])), &res));
        if (sqlalc_result_next(res, &row) != SQLALC_ROW) {
            fprintf(stderr, "bench_sqlite: expression lookup %lld found nothing: %s\n",
                    (long long)lookup_ids[i], sqlalc_errmsg());
            exit(1);
        }
        lib_read_row(row, ck);
        sqlalc_result_free(res);
    }
    if (tx)
        LIB(sqlalc_tx_commit(tx));
    return now_us() - t0;
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

enum {
    T_INSERT,
    T_SCAN,
    T_LOOKUP,
    T_LOOKUP_TX,
    T_SCAN_CACHE,
    T_LOOKUP_CACHE,
    T_LOOKUP_TX_CACHE,
    T_EXPR_LOOKUP,
    T_EXPR_LOOKUP_TX,
    T_EXPR_LOOKUP_TX_CACHE,
    T_N
};
static const char *const task_names[T_N] = {
    "insert (executemany, 1 tx)",     "scan (every column)",       "lookup (implicit tx each)",
    "lookup (one explicit tx)",       "scan, cache_size=-65536",   "lookup, cache_size=-65536",
    "lookup 1 tx, cache_size=-65536", "expr lookup (implicit tx)", "expr lookup (one explicit tx)",
    "expr lookup 1 tx, cache -65536",
};

typedef struct {
    double raw[T_N], lib[T_N];
} times;

static void keep_min(double *best, double t)
{
    if (*best == 0 || t < *best)
        *best = t;
}

static void same(const check *a, const check *b, const char *what)
{
    if (a->ints != b->ints || a->bytes != b->bytes || a->sum != b->sum) {
        fprintf(stderr, "bench_sqlite: %s: raw and libsqlalc read different data\n", what);
        exit(1);
    }
}

static void run_mode(const char *dir, const char *journal, times *tm)
{
    char raw_path[4096], lib_path[4096];
    snprintf(raw_path, sizeof raw_path, "%s/raw_%s.db", dir, journal);
    snprintf(lib_path, sizeof lib_path, "%s/lib_%s.db", dir, journal);
    memset(tm, 0, sizeof *tm);
    for (int rep = 0; rep < REPEAT; rep++) {
        /* raw then lib on odd runs, lib then raw on even ones */
        check ck[2][5];
        memset(ck, 0, sizeof ck);
        for (int side = 0; side < 2; side++) {
            int do_raw = (side == 0) == (rep % 2 == 0);
            check *c = ck[do_raw];
            if (do_raw) {
                sqlite3 *db = raw_open(raw_path, journal, NULL);
                keep_min(&tm->raw[T_INSERT], raw_insert(db));
                keep_min(&tm->raw[T_SCAN], raw_scan(db, &c[0]));
                keep_min(&tm->raw[T_LOOKUP], raw_lookups(db, 0, &c[1]));
                keep_min(&tm->raw[T_LOOKUP_TX], raw_lookups(db, 1, &c[2]));
                /* the expression form sends the same SQL shape: same raw loop */
                keep_min(&tm->raw[T_EXPR_LOOKUP], raw_lookups(db, 0, &c[3]));
                keep_min(&tm->raw[T_EXPR_LOOKUP_TX], raw_lookups(db, 1, &c[4]));
                sqlite3_close(db);
                db = raw_open(raw_path, journal, "-65536");
                check w = { 0, 0, 0 };
                raw_scan(db, &w); /* warm the bigger cache */
                keep_min(&tm->raw[T_SCAN_CACHE], raw_scan(db, &w));
                keep_min(&tm->raw[T_LOOKUP_CACHE], raw_lookups(db, 0, &w));
                keep_min(&tm->raw[T_LOOKUP_TX_CACHE], raw_lookups(db, 1, &w));
                keep_min(&tm->raw[T_EXPR_LOOKUP_TX_CACHE], raw_lookups(db, 1, &w));
                sqlite3_close(db);
            } else {
                sqlalc_engine *eng = lib_open(lib_path, journal, NULL);
                sqlalc_conn *conn;
                LIB(sqlalc_engine_connect(eng, &conn));
                keep_min(&tm->lib[T_INSERT], lib_insert(conn));
                keep_min(&tm->lib[T_SCAN], lib_scan(conn, &c[0]));
                keep_min(&tm->lib[T_LOOKUP], lib_lookups(conn, 0, &c[1]));
                keep_min(&tm->lib[T_LOOKUP_TX], lib_lookups(conn, 1, &c[2]));
                keep_min(&tm->lib[T_EXPR_LOOKUP], lib_expr_lookups(conn, 0, &c[3]));
                keep_min(&tm->lib[T_EXPR_LOOKUP_TX], lib_expr_lookups(conn, 1, &c[4]));
                sqlalc_conn_close(conn);
                sqlalc_engine_free(eng);
                eng = lib_open(lib_path, journal, "-65536");
                LIB(sqlalc_engine_connect(eng, &conn));
                check w = { 0, 0, 0 };
                lib_scan(conn, &w);
                keep_min(&tm->lib[T_SCAN_CACHE], lib_scan(conn, &w));
                keep_min(&tm->lib[T_LOOKUP_CACHE], lib_lookups(conn, 0, &w));
                keep_min(&tm->lib[T_LOOKUP_TX_CACHE], lib_lookups(conn, 1, &w));
                keep_min(&tm->lib[T_EXPR_LOOKUP_TX_CACHE], lib_expr_lookups(conn, 1, &w));
                sqlalc_conn_close(conn);
                sqlalc_engine_free(eng);
            }
        }
        same(&ck[0][0], &ck[1][0], "scan");
        same(&ck[0][1], &ck[1][1], "lookups");
        same(&ck[0][2], &ck[1][2], "lookups in a transaction");
        same(&ck[0][3], &ck[1][3], "expression lookups");
        same(&ck[0][4], &ck[1][4], "expression lookups in a transaction");
    }
}

/* SQLAlchemy Core through /usr/bin/python3, if it is there. */
static int run_python(const char *dir, const char *journal, double out[3])
{
    const char *script = getenv("SQLALC_BENCH_PY");
    char path[4096], cmd[8192];
    if (!script) {
        /* the script sits next to this source file */
        snprintf(path, sizeof path, "%s", __FILE__);
        char *slash = strrchr(path, '/');
        snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0),
                 "sqla_sqlite.py");
        script = path;
    }
    if (access("/usr/bin/python3", X_OK) != 0 || access(script, R_OK) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s/sqla_%s.db' %zu %zu %d %s 2>/dev/null", script, dir,
             journal, NROWS, NLOOK, REPEAT, journal);
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
        }
    }
    int st = pclose(p);
    return st == 0 && got == 7 ? 0 : -1;
}

static void print_table(const char *journal, const times *tm, const double *py)
{
    printf("\njournal_mode=%s  (%zu rows, %zu lookups, best of %d; µs per row or lookup)\n", journal, NROWS,
           NLOOK, REPEAT);
    printf("%-31s %10s %10s %8s", "task", "raw µs", "lib µs", "lib/raw");
    if (py)
        printf(" %12s %9s", "SQLAlchemy µs", "sqla/raw");
    printf("\n");
    for (int t = 0; t < T_N; t++) {
        double n = (t == T_INSERT || t == T_SCAN || t == T_SCAN_CACHE) ? (double)NROWS : (double)NLOOK;
        double r = tm->raw[t] / n, l = tm->lib[t] / n;
        printf("%-31s %10.3f %10.3f %7.2fx", task_names[t], r, l, l / r);
        if (py && t <= T_LOOKUP)
            printf(" %12.3f %8.2fx", py[t], py[t] / r);
        printf("\n");
    }
    printf("%-36s %7.2fx %9.2fx\n", "  implicit tx / explicit tx", tm->raw[T_LOOKUP] / tm->raw[T_LOOKUP_TX],
           tm->lib[T_LOOKUP] / tm->lib[T_LOOKUP_TX]);
    printf("%-36s %7.2fx %9.2fx\n", "  default cache / 64 MB (scan)", tm->raw[T_SCAN] / tm->raw[T_SCAN_CACHE],
           tm->lib[T_SCAN] / tm->lib[T_SCAN_CACHE]);
    printf("%-36s %7.2fx %9.2fx\n", "  default cache / 64 MB (lookup)",
           tm->raw[T_LOOKUP] / tm->raw[T_LOOKUP_CACHE], tm->lib[T_LOOKUP] / tm->lib[T_LOOKUP_CACHE]);
    printf("%-36s %7.2fx %9.2fx\n", "  default cache / 64 MB (lookup 1 tx)",
           tm->raw[T_LOOKUP_TX] / tm->raw[T_LOOKUP_TX_CACHE],
           tm->lib[T_LOOKUP_TX] / tm->lib[T_LOOKUP_TX_CACHE]);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int python = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            NROWS = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
            NLOOK = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            REPEAT = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-python"))
            python = 0;
        else if (!strcmp(argv[i], "--cpu"))
            CLOCK = CLOCK_PROCESS_CPUTIME_ID;
        else {
            fprintf(stderr,
                    "usage: bench_sqlite [--rows N] [--lookups N] [--repeat N] [--no-python] [--cpu]\n");
            return 2;
        }
    }
    if (NROWS == 0 || NLOOK == 0 || REPEAT < 1) {
        fprintf(stderr, "bench_sqlite: rows, lookups and repeat must be positive\n");
        return 2;
    }

    names = calloc(NROWS, sizeof *names);
    lookup_ids = calloc(NLOOK, sizeof *lookup_ids);
    if (!names || !lookup_ids)
        return 1;
    for (size_t i = 0; i < NROWS; i++)
        snprintf(names[i], sizeof names[i], "player-%07zu", i + 1);
    uint64_t x = 42;
    for (size_t i = 0; i < NLOOK; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL; /* fixed LCG: same ids every run */
        lookup_ids[i] = (int64_t)((x >> 33) % NROWS) + 1;
    }
    lib_prepare_params();
    lib_prepare_expr();

    char dir[] = "/tmp/sqlalc_bench_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_sqlite: mkdtemp");
        return 1;
    }
    printf("libsqlalc %s, SQLite %s, %s clock\n", SQLALC_VERSION, sqlite3_libversion(),
           CLOCK == CLOCK_MONOTONIC ? "wall" : "CPU");
    static const char *const modes[] = { "delete", "wal" };
    for (int m = 0; m < 2; m++) {
        times tm;
        run_mode(dir, modes[m], &tm);
        double py[3];
        int have_py = python && run_python(dir, modes[m], py) == 0;
        print_table(modes[m], &tm, have_py ? py : NULL);
        if (python && !have_py && m == 0)
            printf("(SQLAlchemy numbers skipped: /usr/bin/python3 with sqlalchemy not available)\n");
    }
    /* Clean up the temporary databases. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_sqlite: could not remove %s\n", dir);
    sqlalc_stmt_free(expr_lookup);
    sqlalc_metadata_free(expr_md);
    return 0;
}

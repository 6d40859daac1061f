/*
 * bench_orm — the ORM against the raw driver and the library's own Core in
 * the same run (not a test), and SQLAlchemy 1.4's ORM on the same work
 * (bench/sqla_orm.py, when /usr/bin/python3 has SQLAlchemy).
 *
 *   bench_orm [--rows N] [--repeat N] [--pg URL] [--no-python]
 *
 * load:  a query of N mapped objects (session, identity map, loaded state
 *        kept for change detection) vs a raw sqlite3 / libpq loop filling
 *        the same structs.
 * flush: N new objects with their keys (executemany path) vs the
 *        library's sqlalc_conn_execute_many of the same rows; and N new
 *        objects whose keys the database makes (multi-row INSERT …
 *        RETURNING), for reference.
 * SQLite is a WAL file in /tmp; PostgreSQL with --pg (or $SQLALC_TEST_URL
 * when it is one).  Best of --repeat runs, µs per object.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stddef.h>
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

#define LIB(call)                                                           \
    do {                                                                    \
        int rc_ = (call);                                                   \
        if (rc_ != SQLALC_OK) {                                             \
            fprintf(stderr, "bench_orm: %s: %s\n", #call, sqlalc_errmsg()); \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

struct item {
    int64_t id;
    char *name;
    double value;
    int64_t qty;
};

static const sqlalc_orm_field item_fields[] = {
    SQLALC_ORM_FIELD(struct item, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct item, name, SQLALC_ORM_TEXT, "name"),
    SQLALC_ORM_FIELD(struct item, value, SQLALC_ORM_DOUBLE, "value"),
    SQLALC_ORM_FIELD(struct item, qty, SQLALC_ORM_INT64, "qty"),
};

static const char *CREATE = "CREATE TABLE bench_item (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                            "value FLOAT, qty INTEGER)";
static const char *CREATE_PG = "CREATE TABLE bench_item (id SERIAL PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                               "value FLOAT, qty INTEGER)";

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void keep_min(double *best, double t)
{
    if (*best == 0 || t < *best)
        *best = t;
}

static char (*names)[32];
static sqlalc_param *items;
static sqlalc_params *sets;

static void make_data(void)
{
    names = malloc(NROWS * sizeof *names);
    items = malloc(NROWS * 4 * sizeof *items);
    sets = malloc(NROWS * sizeof *sets);
    if (!names || !items || !sets)
        exit(1);
    for (size_t i = 0; i < NROWS; i++) {
        snprintf(names[i], sizeof names[i], "name %zu", i);
        sqlalc_param *p = items + i * 4;
        p[0] = (sqlalc_param){ "id", SQLALC_INTV((int64_t)i + 1) };
        p[1] = (sqlalc_param){ "name", SQLALC_TEXTV(names[i]) };
        p[2] = (sqlalc_param){ "value", SQLALC_FLOATV((double)i * 0.25) };
        p[3] = (sqlalc_param){ "qty", SQLALC_INTV((int64_t)(i % 997)) };
        sets[i].count = 4;
        sets[i].items = p;
    }
}

typedef struct backend {
    const char *label;
    const char *url;
    int pg;
    sqlalc_engine *eng;
    sqlalc_metadata *md;
    sqlalc_table *table;
    sqlalc_orm_registry *reg;
    sqlalc_orm_mapper *Item;
} backend;

static void recreate(backend *b)
{
    sqlalc_engine_execute_sql(b->eng, "DROP TABLE IF EXISTS bench_item", NULL, NULL);
    LIB(sqlalc_engine_execute_sql(b->eng, b->pg ? CREATE_PG : CREATE, NULL, NULL));
}

/* library executemany of the rows (keys given) */
static double core_many(backend *b)
{
    recreate(b);
    sqlalc_conn *conn;
    LIB(sqlalc_engine_connect(b->eng, &conn));
    sqlalc_stmt *ins = sqlalc_insert(b->table);
    double t0 = now_us();
    sqlalc_tx *tx;
    LIB(sqlalc_conn_begin(conn, &tx));
    LIB(sqlalc_conn_execute_many(conn, ins, sets, NROWS, NULL));
    LIB(sqlalc_tx_commit(tx));
    double t = now_us() - t0;
    sqlalc_stmt_free(ins);
    sqlalc_conn_close(conn);
    return t / (double)NROWS;
}

/* the ORM: N new objects, commit (keys given, or made by the database) */
static double orm_flush(backend *b, int keys_given)
{
    recreate(b);
    double t0 = now_us();
    sqlalc_session *s;
    LIB(sqlalc_session_new(b->eng, &s));
    for (size_t i = 0; i < NROWS; i++) {
        struct item *it = sqlalc_session_new_object(s, b->Item);
        if (!it)
            exit(1);
        it->id = keys_given ? (int64_t)i + 1 : 0;
        it->name = sqlalc_orm_strdup(names[i]);
        it->value = (double)i * 0.25;
        it->qty = (int64_t)(i % 997);
    }
    LIB(sqlalc_session_commit(s));
    double t = now_us() - t0;
    sqlalc_session_free(s);
    return t / (double)NROWS;
}

/* the ORM: load every row as an object (freeing included, as the raw loop frees) */
static double orm_load(backend *b)
{
    double t0 = now_us();
    sqlalc_session *s;
    LIB(sqlalc_session_new(b->eng, &s));
    sqlalc_orm_list l = { 0, NULL, 0 };
    LIB(sqlalc_orm_query_all(sqlalc_session_query(s, b->Item), &l));
    if (l.count != NROWS) {
        fprintf(stderr, "bench_orm: loaded %zu objects, not %zu\n", l.count, NROWS);
        exit(1);
    }
    sqlalc_orm_list_clear(&l);
    sqlalc_session_free(s);
    return (now_us() - t0) / (double)NROWS;
}

/* raw sqlite3: the same structs filled by a prepared SELECT loop */
static double raw_sqlite_load(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    double t0 = now_us();
    if (sqlite3_open(path, &db) != SQLITE_OK)
        exit(1);
    struct item *arr = malloc(NROWS * sizeof *arr);
    size_t n = 0;
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "SELECT id, name, value, qty FROM bench_item", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW && n < NROWS) {
        arr[n].id = sqlite3_column_int64(st, 0);
        arr[n].name = strdup((const char *)sqlite3_column_text(st, 1));
        arr[n].value = sqlite3_column_double(st, 2);
        arr[n].qty = sqlite3_column_int64(st, 3);
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    for (size_t i = 0; i < n; i++)
        free(arr[i].name);
    free(arr);
    return (now_us() - t0) / (double)NROWS;
}

static double raw_sqlite_insert(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        exit(1);
    sqlite3_exec(db, "DROP TABLE IF EXISTS bench_item", NULL, NULL, NULL);
    sqlite3_exec(db, CREATE, NULL, NULL, NULL);
    double t0 = now_us();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO bench_item (id, name, value, qty) VALUES (?, ?, ?, ?)", -1, &st,
                       NULL);
    for (size_t i = 0; i < NROWS; i++) {
        sqlite3_bind_int64(st, 1, (int64_t)i + 1);
        sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, (double)i * 0.25);
        sqlite3_bind_int64(st, 4, (int64_t)(i % 997));
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double t = now_us() - t0;
    sqlite3_close(db);
    return t / (double)NROWS;
}

#ifdef SQLALC_HAVE_POSTGRESQL
static double raw_pg_load(const char *url)
{
    double t0 = now_us();
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench_orm: %s", PQerrorMessage(c));
        exit(1);
    }
    struct item *arr = malloc(NROWS * sizeof *arr);
    size_t n = 0;
    PQsendQueryParams(c, "SELECT id, name, value, qty FROM bench_item", 0, NULL, NULL, NULL, NULL, 0);
    PQsetSingleRowMode(c);
    PGresult *r;
    while ((r = PQgetResult(c))) {
        for (int i = 0; i < PQntuples(r) && n < NROWS; i++, n++) {
            arr[n].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            arr[n].name = strdup(PQgetvalue(r, i, 1));
            arr[n].value = strtod(PQgetvalue(r, i, 2), NULL);
            arr[n].qty = strtoll(PQgetvalue(r, i, 3), NULL, 10);
        }
        PQclear(r);
    }
    PQfinish(c);
    for (size_t i = 0; i < n; i++)
        free(arr[i].name);
    free(arr);
    return (now_us() - t0) / (double)NROWS;
}
#endif

static void setup(backend *b)
{
    LIB(sqlalc_engine_create(b->url, NULL, &b->eng));
    b->md = sqlalc_metadata_new();
    b->table = sqlalc_table_new(
        b->md, "bench_item", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(40), SQLALC_NOT_NULL),
        sqlalc_column("value", sqlalc_type_float(), 0), sqlalc_column("qty", sqlalc_type_integer(), 0));
    b->reg = sqlalc_orm_registry_new();
    b->Item = sqlalc_orm_map(b->reg, "Item", b->table, sizeof(struct item), item_fields, 4);
    if (!b->table || !b->Item) {
        fprintf(stderr, "bench_orm: %s\n", sqlalc_errmsg());
        exit(1);
    }
}

static void teardown(backend *b)
{
    sqlalc_engine_execute_sql(b->eng, "DROP TABLE IF EXISTS bench_item", NULL, NULL);
    sqlalc_orm_registry_free(b->reg);
    sqlalc_metadata_free(b->md);
    sqlalc_engine_free(b->eng);
}

/* SQLAlchemy 1.4's ORM on the same work: "load flush flush_gen" µs per object. */
static int run_python(const char *url, double out[3])
{
    char cmd[1024];
    if (access("/usr/bin/python3", X_OK) != 0 || access("bench/sqla_orm.py", R_OK) != 0)
        return 0;
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 bench/sqla_orm.py '%s' %zu %d 2>/dev/null", url, NROWS,
             REPEAT);
    FILE *p = popen(cmd, "r");
    if (!p)
        return 0;
    int n = fscanf(p, "%lf %lf %lf", &out[0], &out[1], &out[2]);
    pclose(p);
    return n == 3;
}

static void run(backend *b, const char *sqlite_path, int python)
{
    setup(b);
    double many = 0, flush = 0, flush_gen = 0, load = 0, raw_load = 0, raw_ins = 0;
    for (int r = 0; r < REPEAT; r++) {
        keep_min(&many, core_many(b));
        keep_min(&flush, orm_flush(b, 1));
        keep_min(&flush_gen, orm_flush(b, 0));
        keep_min(&load, orm_load(b));
        if (sqlite_path) {
            keep_min(&raw_load, raw_sqlite_load(sqlite_path));
        }
#ifdef SQLALC_HAVE_POSTGRESQL
        else
            keep_min(&raw_load, raw_pg_load(b->url));
#endif
    }
    if (sqlite_path)
        for (int r = 0; r < REPEAT; r++)
            keep_min(&raw_ins, raw_sqlite_insert(sqlite_path));
    printf("\n%s, %zu objects, best of %d (µs per object)\n", b->label, NROWS, REPEAT);
    printf("  load   raw driver loop  %7.3f\n", raw_load);
    printf("  load   ORM query        %7.3f   %.2fx raw\n", load, load / raw_load);
    if (raw_ins > 0)
        printf("  flush  raw driver loop  %7.3f\n", raw_ins);
    printf("  flush  Core executemany %7.3f\n", many);
    printf("  flush  ORM, keys given  %7.3f   %.2fx executemany\n", flush, flush / many);
    printf("  flush  ORM, keys made   %7.3f   %.2fx executemany (multi-row INSERT … RETURNING)\n", flush_gen,
           flush_gen / many);
    double py[3];
    if (python && run_python(b->url, py)) {
        printf("  SQLAlchemy 1.4 ORM: load %.3f (%.2fx ours), flush keys given %.3f (%.2fx ours), "
               "keys made %.3f (%.2fx ours)\n",
               py[0], py[0] / load, py[1], py[1] / flush, py[2], py[2] / flush_gen);
    } else if (python) {
        printf("  (SQLAlchemy 1.4 not run: /usr/bin/python3 with python3-sqlalchemy is needed)\n");
    }
    teardown(b);
}

int main(int argc, char **argv)
{
    const char *pg = NULL;
    int python = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            NROWS = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            REPEAT = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
            pg = argv[++i];
        else if (!strcmp(argv[i], "--no-python"))
            python = 0;
    }
    const char *env = getenv("SQLALC_TEST_URL");
    if (!pg && env && !strncmp(env, "postgresql://", 13))
        pg = env;
    make_data();
    char path[128], url[160];
    snprintf(path, sizeof path, "/tmp/bench_orm_%ld.db", (long)getpid());
    snprintf(url, sizeof url, "sqlite:///%s?journal_mode=wal", path);
    backend lite = { "SQLite (WAL file)", url, 0, NULL, NULL, NULL, NULL, NULL };
    run(&lite, path, python);
    unlink(path);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
#ifdef SQLALC_HAVE_POSTGRESQL
    if (pg) {
        backend p = { "PostgreSQL", pg, 1, NULL, NULL, NULL, NULL, NULL };
        run(&p, NULL, python);
    }
#else
    (void)pg;
#endif
    free(names);
    free(items);
    free(sets);
    return 0;
}

/*
 * bench_odbc — libsqlalc's odbc driver against a raw ODBC loop doing the
 * same work on the same driver and DSN, in the same run (not a test).
 *
 *   bench_odbc URL [--rows N] [--lookups N] [--repeat N] [--cpu]
 *
 * URL is a libsqlalc ODBC URL ("postgresql+odbc://postgres@sqlalc_pg",
 * "sqlite+odbc://sqlalc_sqlite"); the raw side connects to the same DSN
 * (DSN=…;UID=…).  Work, on bench_odbc (id integer primary key, name
 * varchar(40), value float, qty integer):
 *  - insert N rows (default 20,000) in one transaction: executemany vs a
 *    raw loop of SQLExecute on one prepared statement with bound
 *    parameters (psqlodbc and sqliteodbc have no real parameter arrays);
 *  - full scan reading every column: the result's typed getters vs
 *    SQLFetch + SQLGetData per column;
 *  - L primary-key lookups (default 5,000): execute_sql with a named bind
 *    (the statement cache keeps it prepared) vs SQLExecute of a prepared
 *    statement, fetch, SQLCloseCursor.
 * Best of --repeat runs (default 3), sides alternating.
 *
 *   bench_odbc URL --only lib|raw [--rows N] [--lookups N]
 *
 * runs one side alone (the table filled first), for a profiler:
 * perf stat -e instructions:u counts the client's work whatever the load
 * of the machine.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlalc.h>

#ifndef SQLALC_HAVE_ODBC
int main(void)
{
    puts("bench_odbc: built without unixODBC");
    return 0;
}
#else
#    include <sql.h>
#    include <sqlext.h>

static size_t NROWS = 20000, NLOOK = 5000;
static int REPEAT = 3;
static const char *ONLY; /* "lib" or "raw": that side alone */
/* --cpu: the process's CPU time instead of the wall clock (on a loaded
 * machine; with a server it leaves out the server's side, the same for both) */
static clockid_t CLOCK = CLOCK_MONOTONIC;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

#    define LIB(call)                                                            \
        do {                                                                     \
            if ((call) != SQLALC_OK) {                                           \
                fprintf(stderr, "bench_odbc: %s: %s\n", #call, sqlalc_errmsg()); \
                exit(1);                                                         \
            }                                                                    \
        } while (0)

static void odbc_die(SQLSMALLINT type, SQLHANDLE h, const char *what)
{
    SQLCHAR state[6] = "", msg[512] = "";
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
    fprintf(stderr, "bench_odbc: raw %s: [%s] %s\n", what, state, msg);
    exit(1);
}
#    define RAW(h, type, call, what)                     \
        do {                                             \
            SQLRETURN r_ = (call);                       \
            if (!SQL_SUCCEEDED(r_) && r_ != SQL_NO_DATA) \
                odbc_die(type, h, what);                 \
        } while (0)

typedef struct check {
    long long ints;
    double sum;
    size_t bytes;
} check;

static char (*names)[40];
static int64_t *lookup_ids;
static sqlalc_param *lib_items;
static sqlalc_params *lib_sets;

static void prepare_data(void)
{
    names = malloc(NROWS * sizeof *names);
    lib_items = malloc(NROWS * 4 * sizeof *lib_items);
    lib_sets = malloc(NROWS * sizeof *lib_sets);
    for (size_t i = 0; i < NROWS; i++) {
        snprintf(names[i], sizeof names[i], "player %zu of the squad", i % 100000000u);
        sqlalc_param *p = lib_items + i * 4;
        p[0] = SQLALC_P_INT("id", (int64_t)i + 1);
        p[1] = SQLALC_P_TEXT("name", names[i]);
        p[2] = SQLALC_P_FLOAT("value", (double)i * 0.25);
        p[3] = SQLALC_P_INT("qty", (int64_t)(i % 997));
        lib_sets[i] = (sqlalc_params){ 4, p };
    }
    lookup_ids = malloc(NLOOK * sizeof *lookup_ids);
    unsigned s = 12345;
    for (size_t i = 0; i < NLOOK; i++) {
        s = s * 1103515245u + 12345u;
        lookup_ids[i] = (int64_t)((s >> 8) % NROWS) + 1;
    }
}

#    define INSERT_NAMED "INSERT INTO bench_odbc (id, name, value, qty) VALUES (:id, :name, :value, :qty)"
#    define INSERT_QMARK "INSERT INTO bench_odbc (id, name, value, qty) VALUES (?, ?, ?, ?)"
#    define SCAN "SELECT id, name, value, qty FROM bench_odbc"
#    define LOOKUP_NAMED "SELECT id, name, value, qty FROM bench_odbc WHERE id = :id"
#    define LOOKUP_QMARK "SELECT id, name, value, qty FROM bench_odbc WHERE id = ?"

static void reset_table(sqlalc_engine *eng)
{
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c));
    sqlalc_result *res = NULL;
    if (sqlalc_conn_execute_sql(c, "DROP TABLE bench_odbc", NULL, &res) == SQLALC_OK)
        sqlalc_result_free(res);
    LIB(sqlalc_conn_execute_sql(
        c, "CREATE TABLE bench_odbc (id INTEGER PRIMARY KEY, name VARCHAR(40), value FLOAT, qty INTEGER)",
        NULL, NULL));
    sqlalc_conn_close(c);
}

/* ---------------- raw ODBC ---------------- */

typedef struct raw {
    SQLHENV env;
    SQLHDBC dbc;
} raw;

static void raw_connect(raw *r, const char *connstr)
{
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &r->env);
    SQLSetEnvAttr(r->env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, r->env, &r->dbc);
    RAW(r->dbc, SQL_HANDLE_DBC,
        SQLDriverConnect(r->dbc, NULL, (SQLCHAR *)connstr, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT),
        "connect");
}

static void raw_close(raw *r)
{
    SQLDisconnect(r->dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, r->dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, r->env);
}

static double raw_insert(raw *r)
{
    SQLHSTMT h;
    SQLBIGINT id, qty;
    double value;
    char name[40];
    SQLLEN nlen, zero = 0;
    double t0 = now_us();
    SQLSetConnectAttr(r->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLAllocHandle(SQL_HANDLE_STMT, r->dbc, &h);
    RAW(h, SQL_HANDLE_STMT, SQLPrepare(h, (SQLCHAR *)INSERT_QMARK, SQL_NTS), "prepare insert");
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &id, 0, &zero);
    SQLBindParameter(h, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 40, 0, name, sizeof name, &nlen);
    SQLBindParameter(h, 3, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &value, 0, &zero);
    SQLBindParameter(h, 4, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &qty, 0, &zero);
    for (size_t i = 0; i < NROWS; i++) {
        id = (SQLBIGINT)i + 1;
        nlen = (SQLLEN)strlen(names[i]);
        memcpy(name, names[i], (size_t)nlen + 1);
        value = (double)i * 0.25;
        qty = (SQLBIGINT)(i % 997);
        RAW(h, SQL_HANDLE_STMT, SQLExecute(h), "insert");
    }
    RAW(r->dbc, SQL_HANDLE_DBC, SQLEndTran(SQL_HANDLE_DBC, r->dbc, SQL_COMMIT), "commit");
    SQLSetConnectAttr(r->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    SQLFreeHandle(SQL_HANDLE_STMT, h);
    return (now_us() - t0) / (double)NROWS;
}

/* The columns of the current row, read as a program would. */
static void raw_read_row(SQLHSTMT h, check *ck)
{
    SQLBIGINT i;
    double d;
    char buf[256];
    SQLLEN ind;
    SQLGetData(h, 1, SQL_C_SBIGINT, &i, 0, &ind);
    ck->ints += i;
    SQLGetData(h, 2, SQL_C_CHAR, buf, sizeof buf, &ind);
    ck->bytes += ind > 0 ? (size_t)ind : 0;
    SQLGetData(h, 3, SQL_C_DOUBLE, &d, 0, &ind);
    ck->sum += d;
    SQLGetData(h, 4, SQL_C_SBIGINT, &i, 0, &ind);
    ck->ints += i;
}

static double raw_scan(raw *r, check *ck)
{
    SQLHSTMT h;
    size_t n = 0;
    double t0 = now_us();
    SQLAllocHandle(SQL_HANDLE_STMT, r->dbc, &h);
    RAW(h, SQL_HANDLE_STMT, SQLExecDirect(h, (SQLCHAR *)SCAN, SQL_NTS), "scan");
    while (SQLFetch(h) == SQL_SUCCESS) {
        raw_read_row(h, ck);
        n++;
    }
    SQLFreeHandle(SQL_HANDLE_STMT, h);
    return (now_us() - t0) / (double)n;
}

static double raw_lookups(raw *r, check *ck)
{
    SQLHSTMT h;
    SQLBIGINT id;
    SQLLEN zero = 0;
    double t0 = now_us();
    SQLAllocHandle(SQL_HANDLE_STMT, r->dbc, &h);
    RAW(h, SQL_HANDLE_STMT, SQLPrepare(h, (SQLCHAR *)LOOKUP_QMARK, SQL_NTS), "prepare lookup");
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &id, 0, &zero);
    for (size_t i = 0; i < NLOOK; i++) {
        id = (SQLBIGINT)lookup_ids[i];
        RAW(h, SQL_HANDLE_STMT, SQLExecute(h), "lookup");
        if (SQLFetch(h) != SQL_SUCCESS) {
            fprintf(stderr, "bench_odbc: raw lookup %lld: no row\n", (long long)id);
            exit(1);
        }
        raw_read_row(h, ck);
        SQLCloseCursor(h);
    }
    SQLFreeHandle(SQL_HANDLE_STMT, h);
    return (now_us() - t0) / (double)NLOOK;
}

/* ---------------- libsqlalc ---------------- */

static double lib_insert(sqlalc_engine *eng)
{
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c));
    int64_t n = 0;
    double t0 = now_us();
    LIB(sqlalc_conn_execute_sql_many(c, INSERT_NAMED, lib_sets, NROWS, &n));
    double t = now_us() - t0;
    if ((size_t)n != NROWS) {
        fprintf(stderr, "bench_odbc: executemany inserted %lld rows\n", (long long)n);
        exit(1);
    }
    sqlalc_conn_close(c);
    return t / (double)NROWS;
}

static void lib_read_row(const sqlalc_row *row, check *ck)
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
}

static double lib_scan(sqlalc_conn *c, check *ck)
{
    sqlalc_result *res;
    const sqlalc_row *row;
    size_t n = 0;
    double t0 = now_us();
    LIB(sqlalc_conn_execute_sql(c, SCAN, NULL, &res));
    while (sqlalc_result_next(res, &row) == SQLALC_ROW) {
        lib_read_row(row, ck);
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
            fprintf(stderr, "bench_odbc: lookup %lld: no row\n", (long long)lookup_ids[i]);
            exit(1);
        }
        lib_read_row(row, ck);
        sqlalc_result_free(res);
    }
    return (now_us() - t0) / (double)NLOOK;
}

static double best(double a, double b)
{
    return a < b ? a : b;
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            NROWS = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
            NLOOK = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            REPEAT = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--cpu"))
            CLOCK = CLOCK_PROCESS_CPUTIME_ID;
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            ONLY = argv[++i];
        else
            url = argv[i];
    }
    if (!url)
        url = getenv("SQLALC_TEST_URL");
    if (!url || !NROWS || !NLOOK || REPEAT < 1) {
        fprintf(stderr, "usage: bench_odbc URL [--rows N] [--lookups N] [--repeat N]\n");
        return 2;
    }
    sqlalc_engine *eng;
    LIB(sqlalc_engine_create(url, NULL, &eng));
    const sqlalc_url *u = sqlalc_engine_url(eng);
    char connstr[512];
    snprintf(connstr, sizeof connstr, "DSN=%s;%s%s", sqlalc_url_host(u), sqlalc_url_username(u) ? "UID=" : "",
             sqlalc_url_username(u) ? sqlalc_url_username(u) : "");
    prepare_data();
    raw r;
    raw_connect(&r, connstr);
    double li = 1e300, ri = 1e300, ls = 1e300, rs = 1e300, ll = 1e300, rl = 1e300;
    check lc = { 0 }, rc = { 0 };
    if (ONLY) {
        int lib = !strcmp(ONLY, "lib");
        reset_table(eng);
        sqlalc_conn *c;
        LIB(sqlalc_engine_connect(eng, &c));
        double a = lib ? lib_insert(eng) : raw_insert(&r);
        double b = lib ? lib_scan(c, &lc) : raw_scan(&r, &rc);
        double l = lib ? lib_lookups(c, &lc) : raw_lookups(&r, &rc);
        printf("%s alone: insert %.2f, scan %.2f, lookups %.2f us\n", ONLY, a, b, l);
        LIB(sqlalc_conn_execute_sql(c, "DROP TABLE bench_odbc", NULL, NULL));
        sqlalc_conn_close(c);
        raw_close(&r);
        sqlalc_engine_free(eng);
        return 0;
    }
    for (int k = 0; k < REPEAT; k++) {
        reset_table(eng);
        li = best(li, lib_insert(eng));
        reset_table(eng);
        ri = best(ri, raw_insert(&r));
        sqlalc_conn *c;
        LIB(sqlalc_engine_connect(eng, &c));
        ls = best(ls, lib_scan(c, &lc));
        rs = best(rs, raw_scan(&r, &rc));
        ll = best(ll, lib_lookups(c, &lc));
        rl = best(rl, raw_lookups(&r, &rc));
        sqlalc_conn_close(c);
    }
    if (lc.ints != rc.ints || lc.bytes != rc.bytes || lc.sum != rc.sum) {
        fprintf(stderr, "bench_odbc: libsqlalc and raw ODBC read different data\n");
        return 1;
    }
    printf("bench_odbc %s: %zu rows, %zu lookups, best of %d (us per row / lookup)\n", url, NROWS, NLOOK,
           REPEAT);
    printf("%-40s %10s %10s %8s\n", "work", "libsqlalc", "raw ODBC", "ratio");
    printf("%-40s %10.2f %10.2f %7.2fx\n", "insert: executemany vs SQLExecute loop", li, ri, li / ri);
    printf("%-40s %10.2f %10.2f %7.2fx\n", "full scan, every column", ls, rs, ls / rs);
    printf("%-40s %10.2f %10.2f %7.2fx\n", "primary-key lookups", ll, rl, ll / rl);
    raw_close(&r);
    sqlalc_conn *c;
    LIB(sqlalc_engine_connect(eng, &c));
    LIB(sqlalc_conn_execute_sql(c, "DROP TABLE bench_odbc", NULL, NULL));
    sqlalc_conn_close(c);
    sqlalc_engine_free(eng);
    free(names);
    free(lib_items);
    free(lib_sets);
    free(lookup_ids);
    return 0;
}
#endif

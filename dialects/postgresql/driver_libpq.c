/*
 * The libpq driver: PostgreSQL behind the driver vtable.
 *
 * Connecting: the URL's parts become libpq keywords (host, port, dbname,
 * user, password) and every query key is passed through as a keyword, so
 * sslmode, connect_timeout, target_session_attrs, options … all work.
 * Several hosts: "?host=a,b&port=1,2" as libpq spells it, or repeated
 * SQLAlchemy-style "?host=a:5432&host=b:5433".  A host starting with '/'
 * is a unix-socket directory.
 *
 * Wire formats (chosen per type, for speed):
 *  - Results come in TEXT format.  libpq asks one format for all columns;
 *    the library's value model carries numeric, dates, times, intervals,
 *    json and uuid as text anyway, so binary would only save the
 *    integer/float parse (a few ns with the hand-written parser below) and
 *    would cost a binary→text conversion for every other type.  Integers
 *    (int2/4/8, oid), floats and booleans are parsed into INT/FLOAT/BOOL;
 *    bytea's hex text is decoded to BLOB; timestamptz/timetz offsets are
 *    normalized to ISO-8601 "+HH:MM"; everything else is handed out as a
 *    pointer into the PGresult (no copy).
 *  - Parameters go in TEXT format, except BLOB which goes BINARY (raw
 *    bytes: no hex escaping either side) and FLOAT into a float8 slot,
 *    which goes as binary float8 (no printf/strtod round trip, exact).
 *    The statement is prepared (PQprepare, once, named) at its first
 *    execution, with parameter
 *    types taken from the first values bound: FLOAT → float8, BOOL → bool,
 *    NUMERIC → numeric, DATE → date, TIME → time, INTERVAL → interval,
 *    BLOB → bytea; INT, TEXT, DATETIME, JSON, UUID and NULL are left for
 *    the server to infer from context (like psycopg2's literals), so an
 *    integer fits an int2 column or a LIMIT, a string fills a date, enum
 *    or json column, and a datetime keeps its offset.
 *
 *    A later value that needs another type re-prepares; a plan made
 *    stale by DDL (0A000 "cached plan must not change result type") is
 *    prepared again and rerun when outside a transaction block.
 *    Statements the engine drops are DEALLOCATEd in batches of 32, only
 *    outside transactions (a failing DEALLOCATE must not abort one).
 *
 * Rows stream in single-row mode: one PGresult per row, nothing
 * accumulated (measured as fast as a raw single-row loop, 2x faster than
 * one PQexec).  When another command needs the connection while a result
 * is still streaming, the rest of that result is read into the
 * statement's stash first (libpq allows one command on the wire).  A
 * result abandoned half read is drained, not cancelled: a cancel would
 * abort the enclosing transaction (or an INSERT … RETURNING).
 *
 * Batches (executemany, exec_batch): a single-row INSERT … VALUES (…) is
 * rewritten to multi-row VALUES statements sized under the 65,535
 * parameter ceiling and sent in pipeline mode; any other statement is
 * pipelined row by row (PQenterPipelineMode), syncing every 1,000 rows.
 * No round trip per row either way.  (A pipeline of statements returning
 * many rows each could fill both socket buffers; executemany is meant for
 * DML, whose replies are a few bytes per row.)  COPY FROM STDIN is in
 * driver_libpq_copy.c (sqlalc_pg_copy_* in <sqlalc/postgresql.h>).
 *
 * Errors carry SQLSTATE, primary message, DETAIL, HINT and constraint
 * name; a broken connection (terminated backend, server gone) is
 * SQLALC_ERR_DISCONNECT.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver_libpq.h"

/* PostgreSQL type OIDs (pg_type.dat; stable across versions). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_JSON = 114,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_INTERVAL = 1186,
    OID_TIMETZ = 1266,
    OID_NUMERIC = 1700,
    OID_UUID = 2950,
    OID_JSONB = 3802
};

/* How a column's text becomes a value. */
enum { K_TEXT = 0, K_INT, K_FLOAT, K_BOOL, K_BYTEA, K_TZ };

#define BATCH_ROWS_MAX 1024      /* rows per multi-row INSERT (the engine hands 1,024-row chunks) */
#define PIPELINE_SYNC_EVERY 1000 /* generic pipeline: rows between syncs */
#define DEALLOC_FLUSH 32         /* queued DEALLOCATEs sent together */

typedef struct pq_param {
    const char *direct; /* value memory used in place, or NULL: arena offset */
    size_t off;
    int len;
    int fmt; /* 0 text, 1 binary */
    int isnull;
} pq_param;

struct pq_stmt {
    pq_conn *c;
    char *sql;
    size_t len;
    char name[24]; /* server-side name once prepared */
    int prepared;
    int nparams;
    Oid *ptypes; /* types it was prepared with (pcap) */
    Oid *want;   /* types the bound values ask for (pcap) */
    pq_param *params;
    int pcap;
    const char **pv; /* libpq parameter arrays (pcap) */
    int *pl, *pf;
    sqlalc_buf arena; /* parameter text of the execution being built */

    int state;      /* 0 ready to run, 1 rows on the wire, 2 done */
    PGresult *meta; /* result holding the column description */
    PGresult *cur;  /* current row (single-row mode), may be meta */
    int ncols;
    unsigned char *kind; /* per column K_* */
    sqlalc_vtype *vt;    /* per column value type for K_TEXT */
    char **cbuf;         /* per column conversion buffers (bytea, tz) */
    size_t *ccap;
    int64_t rowcount;
    int stale_plan;   /* the last run failed on a plan made before DDL */
    PGresult **stash; /* rest of the result, read early (sqlalc__pq_idle) */
    size_t nstash, spos, scap;
    int stashed;

    /* multi-row INSERT rewrite: 0 unknown, 1 possible, -1 not */
    int ins;
    size_t grp_start, grp_end; /* the "( … )" after VALUES */
    char full_name[24];
    int full_rows;
    Oid *full_types; /* per slot (nparams) */
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static const char *trim_msg(const char *m, char *buf, size_t n)
{
    snprintf(buf, n, "%s", m ? m : "");
    size_t l = strlen(buf);
    while (l && (buf[l - 1] == '\n' || buf[l - 1] == ' '))
        buf[--l] = 0;
    return buf;
}

int sqlalc__pq_error(pq_conn *c, const PGresult *r, const char *sql)
{
    char mbuf[1024];
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!prim)
        prim = trim_msg(r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(c->pg), mbuf,
                        sizeof mbuf);
    int bad = PQstatus(c->pg) == CONNECTION_BAD;
    int code = bad ? SQLALC_ERR_DISCONNECT : state ? sqlalc_code_from_sqlstate(state) : SQLALC_ERR_DATABASE;
    if (bad && !state)
        state = "08006";
    if (code == SQLALC_ERR_DISCONNECT)
        sqlalc_error_set_full(code, state, 0, "%s (connection to %s lost)%s%.400s%s", prim, c->url,
                              sql ? " [SQL: " : "", sql ? sql : "", sql ? "]" : "");
    else
        sqlalc_error_set_full(code, state, 0, "%s%s%.400s%s", prim, sql ? " [SQL: " : "", sql ? sql : "",
                              sql ? "]" : "");
    if (r)
        sqlalc_error_set_extra(PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL),
                               PQresultErrorField(r, PG_DIAG_MESSAGE_HINT),
                               PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME));
    return code;
}

/* Read and drop results until libpq says the command is over. */
static void drain(pq_conn *c)
{
    PGresult *r;
    while ((r = PQgetResult(c->pg)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        PQclear(r);
        if (st == PGRES_COPY_IN)
            PQputCopyEnd(c->pg, "cancelled");
        else if (st == PGRES_COPY_OUT) {
            char *buf;
            while (PQgetCopyData(c->pg, &buf, 0) > 0)
                PQfreemem(buf);
        }
        if (PQstatus(c->pg) == CONNECTION_BAD)
            break;
    }
}

/* ------------------------------------------------------------------ */
/* Connection                                                          */
/* ------------------------------------------------------------------ */

void sqlalc__pq_quote_ident(sqlalc_buf *b, const char *name)
{
    const char *dot = strchr(name, '.');
    if (dot && name[0] != '"') {
        sqlalc_buf_putc(b, '"');
        for (const char *p = name; p < dot; p++) {
            if (*p == '"')
                sqlalc_buf_putc(b, '"');
            sqlalc_buf_putc(b, *p);
        }
        sqlalc_buf_puts(b, "\".");
        name = dot + 1;
    }
    sqlalc_buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            sqlalc_buf_putc(b, '"');
        sqlalc_buf_putc(b, *p);
    }
    sqlalc_buf_putc(b, '"');
}

/* A "host:port" entry of a repeated host key (not a socket path, not IPv6). */
static int split_host_port(const char *h, size_t n, size_t *hostlen)
{
    if (!n || h[0] == '/' || h[0] == '[')
        return 0;
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (h[i] == ':') {
            if (colon)
                return 0; /* two colons: IPv6 */
            colon = h + i;
        }
    if (!colon || colon == h + n - 1)
        return 0;
    for (const char *p = colon + 1; p < h + n; p++)
        if (*p < '0' || *p > '9')
            return 0;
    *hostlen = (size_t)(colon - h);
    return 1;
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int pq_connect(const sqlalc_url *url, void **out)
{
    *out = NULL;
    pq_conn *c = sqlalc__calloc(1, sizeof *c);
    if (!c)
        return SQLALC_ERR_NOMEM;
    if (!(c->url = sqlalc_url_render(url, 1))) {
        sqlalc_free(c);
        return sqlalc__oom();
    }
    size_t nq = sqlalc_url_query_count(url);
    size_t cap = nq + 10;
    const char **kw = sqlalc__calloc(cap, sizeof *kw);
    const char **val = sqlalc__calloc(cap, sizeof *val);
    sqlalc_buf hosts = SQLALC_BUF_INIT, ports = SQLALC_BUF_INIT, portbuf = SQLALC_BUF_INIT;
    int rc = SQLALC_OK;
    if (!kw || !val) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    size_t n = 0;
    int have_encoding = 0, have_host = 0, have_port = 0, host_has_ports = 0;
    /* Hosts: the URL's own, then every host= key (joined with commas). */
    if (sqlalc_url_host(url) && *sqlalc_url_host(url)) {
        sqlalc_buf_puts(&hosts, sqlalc_url_host(url));
        have_host = 1;
        if (sqlalc_url_port(url))
            sqlalc_buf_printf(&ports, "%d", sqlalc_url_port(url));
    }
    for (size_t i = 0; i < nq; i++) {
        const char *k = sqlalc_url_query_key(url, i), *v = sqlalc_url_query_value(url, i);
        if (!strcmp(k, "host") && v) {
            size_t hl;
            /* each comma-separated entry may carry its own :port */
            for (const char *p = v; *p;) {
                const char *e = strchr(p, ',');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                if (hosts.len)
                    sqlalc_buf_putc(&hosts, ',');
                if (split_host_port(p, len, &hl)) {
                    sqlalc_buf_append(&hosts, p, hl);
                    host_has_ports = 1;
                    if (ports.len || have_host)
                        sqlalc_buf_putc(&portbuf, ',');
                    sqlalc_buf_append(&portbuf, p + hl + 1, len - hl - 1);
                } else {
                    sqlalc_buf_append(&hosts, p, len);
                    if (ports.len || have_host || portbuf.len)
                        sqlalc_buf_putc(&portbuf, ',');
                }
                have_host = 1;
                p = e ? e + 1 : p + len;
            }
        }
    }
    if (host_has_ports) {
        /* ports of "host:port" entries, the URL's port (if any) first */
        sqlalc_buf_append(&ports, portbuf.p, portbuf.len);
        have_port = 1;
    } else if (ports.len)
        have_port = 1;
    if (hosts.oom || ports.oom || portbuf.oom) {
        rc = sqlalc__oom();
        goto out;
    }
    if (have_host) {
        kw[n] = "host";
        val[n++] = sqlalc_buf_cstr(&hosts);
    }
    if (have_port) {
        kw[n] = "port";
        val[n++] = sqlalc_buf_cstr(&ports);
    }
    if (sqlalc_url_database(url) && *sqlalc_url_database(url)) {
        kw[n] = "dbname";
        val[n++] = sqlalc_url_database(url);
    }
    if (sqlalc_url_username(url)) {
        kw[n] = "user";
        val[n++] = sqlalc_url_username(url);
    }
    if (sqlalc_url_password(url)) {
        kw[n] = "password";
        val[n++] = sqlalc_url_password(url);
    }
    for (size_t i = 0; i < nq; i++) {
        const char *k = sqlalc_url_query_key(url, i), *v = sqlalc_url_query_value(url, i);
        if (!strcmp(k, "host"))
            continue;
        if (!strcmp(k, "port") && have_port && host_has_ports)
            continue;
        if (!strcmp(k, "client_encoding"))
            have_encoding = 1;
        kw[n] = k;
        val[n++] = v ? v : "";
    }
    if (!have_encoding) {
        kw[n] = "client_encoding";
        val[n++] = "UTF8";
    }
    kw[n] = "fallback_application_name";
    val[n++] = "sqlalc";
    kw[n] = NULL;
    val[n] = NULL;

    c->pg = PQconnectdbParams(kw, val, 0);
    if (!c->pg) {
        rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "libpq could not allocate a connection for %s", c->url);
        goto out;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char m[1024];
        trim_msg(PQerrorMessage(c->pg), m, sizeof m);
        /* bad keywords are the caller's mistake; the rest is the server's */
        int code = strstr(m, "invalid connection option") || strstr(m, "invalid ") ? SQLALC_ERR_ARGUMENT
                                                                                   : SQLALC_ERR_OPERATIONAL;
        rc = sqlalc_error_set_full(code, "08001", 0, "cannot connect to %s: %s", c->url, m);
        goto out;
    }
    /* Server notices ("table does not exist, skipping") are not errors:
     * keep them off stderr. */
    PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
    /* Dates must come back in ISO form whatever the server default. */
    const char *ds = PQparameterStatus(c->pg, "DateStyle");
    if (!ds || strncmp(ds, "ISO", 3)) {
        PGresult *r = PQexec(c->pg, "SET DateStyle TO ISO");
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = sqlalc__pq_error(c, r, "SET DateStyle TO ISO");
        PQclear(r);
        if (rc)
            goto out;
    }
out:
    sqlalc_free(kw);
    sqlalc_free(val);
    sqlalc_buf_free(&hosts);
    sqlalc_buf_free(&ports);
    sqlalc_buf_free(&portbuf);
    if (rc) {
        if (c->pg)
            PQfinish(c->pg);
        sqlalc_free(c->url);
        sqlalc_free(c);
        return rc;
    }
    *out = c;
    return SQLALC_OK;
}

static void pq_close(void *conn)
{
    pq_conn *c = conn;
    if (!c)
        return;
    for (size_t i = 0; i < c->ndealloc; i++)
        sqlalc_free(c->dealloc[i]);
    sqlalc_free(c->dealloc);
    PQfinish(c->pg);
    sqlalc_free(c->url);
    sqlalc_free(c);
}

static int stash_rest(pq_stmt *s);

int sqlalc__pq_idle(pq_conn *c)
{
    if (c->copying)
        return sqlalc_error_set(SQLALC_ERR_INTERFACE,
                                "a COPY is in progress on this connection: end or abort it first");
    if (c->active) {
        pq_stmt *s = c->active;
        c->active = NULL;
        return stash_rest(s);
    }
    return SQLALC_OK;
}

/* Send queued DEALLOCATEs in one command (statements the engine dropped). */
static void flush_dealloc(pq_conn *c)
{
    /* Only outside transactions: a failing DEALLOCATE must not abort the
     * caller's transaction. */
    if (!c->ndealloc || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return;
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (size_t i = 0; i < c->ndealloc; i++)
        sqlalc_buf_printf(&b, "DEALLOCATE %s;", c->dealloc[i]);
    if (sqlalc_buf_cstr(&b)) {
        PGresult *r = PQexec(c->pg, b.p);
        PQclear(r);
        for (size_t i = 0; i < c->ndealloc; i++)
            sqlalc_free(c->dealloc[i]);
        c->ndealloc = 0;
    }
    sqlalc_buf_free(&b);
}

static int run_simple(pq_conn *c, const char *sql, PGresult **keep)
{
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
        if (keep)
            *keep = r;
        else
            PQclear(r);
        return SQLALC_OK;
    }
    if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
        PQclear(r);
        drain(c);
        return sqlalc_error_set(
            SQLALC_ERR_NOT_SUPPORTED,
            "COPY through exec_simple is not supported (use sqlalc_pg_copy_in) [SQL: %.200s]", sql);
    }
    rc = sqlalc__pq_error(c, r, sql);
    PQclear(r);
    return rc;
}

static int pq_exec_simple(void *conn, const char *sql)
{
    return run_simple(conn, sql, NULL);
}

static int pq_ping(void *conn)
{
    pq_conn *c = conn;
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return sqlalc_error_set_full(SQLALC_ERR_DISCONNECT, "08006", 0, "connection to %s is broken", c->url);
    if (c->active) /* rows streaming: the connection is evidently alive */
        return SQLALC_OK;
    return run_simple(c, "", NULL);
}

static int pq_begin(void *c)
{
    return run_simple(c, "BEGIN", NULL);
}

static int pq_commit(void *conn)
{
    pq_conn *c = conn;
    PGresult *r = NULL;
    int rc = run_simple(c, "COMMIT", &r);
    if (rc)
        return rc;
    /* COMMIT of a failed transaction rolls back: say so. */
    int rolled = r && !strcmp(PQcmdStatus(r), "ROLLBACK");
    PQclear(r);
    if (rolled)
        return sqlalc_error_set_full(sqlalc_code_from_sqlstate("25P02"), "25P02", 0,
                                     "COMMIT rolled back: an earlier statement of the transaction failed");
    return SQLALC_OK;
}

static int pq_rollback(void *c)
{
    return run_simple(c, "ROLLBACK", NULL);
}

static int sp_exec(pq_conn *c, const char *verb, const char *name)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_puts(&b, verb);
    sqlalc_buf_putc(&b, ' ');
    sqlalc__pq_quote_ident(&b, name);
    const char *sql = sqlalc_buf_cstr(&b);
    int rc = sql ? run_simple(c, sql, NULL) : SQLALC_ERR_NOMEM;
    sqlalc_buf_free(&b);
    return rc;
}

static int pq_savepoint(void *c, const char *n)
{
    return sp_exec(c, "SAVEPOINT", n);
}
static int pq_release(void *c, const char *n)
{
    return sp_exec(c, "RELEASE SAVEPOINT", n);
}
static int pq_rollback_to(void *c, const char *n)
{
    return sp_exec(c, "ROLLBACK TO SAVEPOINT", n);
}

/* The transaction state the server reported with its last message
 * (rows still streaming are stashed first, so the state is current). */
static int pq_transaction_state(void *conn)
{
    pq_conn *c = conn;
    if (sqlalc__pq_idle(c) != SQLALC_OK)
        return SQLALC_TXSTATE_UNKNOWN;
    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_IDLE: return SQLALC_TXSTATE_IDLE;
    case PQTRANS_INTRANS: return SQLALC_TXSTATE_ACTIVE;
    case PQTRANS_INERROR: return SQLALC_TXSTATE_FAILED;
    default: return SQLALC_TXSTATE_UNKNOWN;
    }
}

/* PostgreSQL has no per-connection "last row id"; lastval() (the last
 * sequence value this session took) is the closest, and a failing call
 * must not poison an open transaction, hence the savepoint. */
static int pq_last_insert_id(void *conn, int64_t *out)
{
    pq_conn *c = conn;
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    int intx = PQtransactionStatus(c->pg) == PQTRANS_INTRANS;
    if (intx && (rc = run_simple(c, "SAVEPOINT sqlalc_lastval", NULL)))
        return rc;
    PGresult *r = PQexec(c->pg, "SELECT lastval()");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        return intx ? run_simple(c, "RELEASE SAVEPOINT sqlalc_lastval", NULL) : SQLALC_OK;
    }
    rc = sqlalc__pq_error(c, r, "SELECT lastval()");
    PQclear(r);
    if (rc == SQLALC_ERR_DISCONNECT)
        return rc;
    sqlalc_error saved = *sqlalc_error_last();
    char msg[512];
    snprintf(msg, sizeof msg, "no inserted id to report (use RETURNING on PostgreSQL): %s", saved.message);
    if (intx) {
        run_simple(c, "ROLLBACK TO SAVEPOINT sqlalc_lastval", NULL);
        run_simple(c, "RELEASE SAVEPOINT sqlalc_lastval", NULL);
    }
    return sqlalc_error_set_full(SQLALC_ERR_NOT_SUPPORTED, saved.sqlstate, 0, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

/* A text or blob value without a pointer is SQL NULL (core.h). */
static int is_null_value(const sqlalc_value *v)
{
    return v->type == SQLALC_V_NULL || (v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL && !v->u.s.p);
}

static Oid oid_for(const sqlalc_value *v)
{
    if (is_null_value(v))
        return 0;
    switch (v->type) {
    case SQLALC_V_FLOAT: return OID_FLOAT8;
    case SQLALC_V_BOOL: return OID_BOOL;
    case SQLALC_V_NUMERIC: return OID_NUMERIC;
    case SQLALC_V_DATE: return OID_DATE;
    case SQLALC_V_TIME: return OID_TIME;
    case SQLALC_V_INTERVAL: return OID_INTERVAL;
    case SQLALC_V_BLOB: return OID_BYTEA;
    default: return 0;
    }
}

static char *fmt_i64(char *end, int64_t v)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    *--end = 0;
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--end = '-';
    return end;
}

static void arena_put(sqlalc_buf *a, pq_param *p, const char *s, size_t n)
{
    p->direct = NULL;
    p->off = a->len;
    p->len = (int)n;
    sqlalc_buf_append(a, s, n);
    sqlalc_buf_putc(a, 0);
}

/* Encode v for a slot of type slot (0: untyped).  copy: the value's memory
 * does not outlive the call. */
static void encode(sqlalc_buf *a, pq_param *p, const sqlalc_value *v, Oid slot, int copy)
{
    char tmp[40];
    p->isnull = 0;
    p->fmt = 0;
    switch (is_null_value(v) ? SQLALC_V_NULL : v->type) {
    case SQLALC_V_NULL:
        p->isnull = 1;
        p->direct = NULL;
        p->len = 0;
        return;
    case SQLALC_V_INT: {
        char *s = fmt_i64(tmp + sizeof tmp, v->u.i);
        arena_put(a, p, s, (size_t)(tmp + sizeof tmp - 1 - s));
        return;
    }
    case SQLALC_V_BOOL: arena_put(a, p, v->u.i ? "true" : "false", v->u.i ? 4 : 5); return;
    case SQLALC_V_FLOAT: {
        double d = v->u.f;
        int n;
        if (slot == OID_FLOAT8) {
            /* binary float8: no printf here, no strtod on the server */
            uint64_t bits;
            memcpy(&bits, &d, 8);
            for (int k = 7; k >= 0; k--, bits >>= 8)
                tmp[k] = (char)(bits & 0xff);
            arena_put(a, p, tmp, 8);
            p->fmt = 1;
            return;
        }
        if (isnan(d))
            n = snprintf(tmp, sizeof tmp, "NaN");
        else if (isinf(d))
            n = snprintf(tmp, sizeof tmp, "%sInfinity", d < 0 ? "-" : "");
        else
            n = snprintf(tmp, sizeof tmp, "%.17g", d);
        arena_put(a, p, tmp, (size_t)n);
        return;
    }
    case SQLALC_V_BLOB:
        if (slot == OID_BYTEA || slot == 0) {
            p->fmt = 1;
            if (copy)
                arena_put(a, p, v->u.s.p, v->u.s.len);
            else {
                p->direct = v->u.s.len ? v->u.s.p : "";
                p->len = (int)v->u.s.len;
            }
        } else {
            /* a typed non-bytea slot: hex text the type's input may take */
            static const char hx[] = "0123456789abcdef";
            p->direct = NULL;
            p->off = a->len;
            sqlalc_buf_puts(a, "\\x");
            for (size_t i = 0; i < v->u.s.len; i++) {
                unsigned char ch = (unsigned char)v->u.s.p[i];
                sqlalc_buf_putc(a, hx[ch >> 4]);
                sqlalc_buf_putc(a, hx[ch & 15]);
            }
            sqlalc_buf_putc(a, 0);
            p->len = (int)(a->len - p->off - 1);
        }
        return;
    default: {
        /* text kinds: libpq wants NUL-terminated text */
        if (v->u.s.len == SQLALC_NTS && !copy) {
            p->direct = v->u.s.p ? v->u.s.p : "";
            p->len = 0;
            return;
        }
        size_t n = v->u.s.len == SQLALC_NTS ? (v->u.s.p ? strlen(v->u.s.p) : 0) : v->u.s.len;
        arena_put(a, p, v->u.s.p ? v->u.s.p : "", n);
        return;
    }
    }
}

static int ensure_params(pq_stmt *s, int n)
{
    if (n <= s->pcap)
        return SQLALC_OK;
    int cap = s->pcap ? s->pcap : 8;
    while (cap < n)
        cap *= 2;
    pq_param *p = sqlalc__realloc(s->params, (size_t)cap * sizeof *p);
    if (!p)
        return SQLALC_ERR_NOMEM;
    s->params = p;
    const char **pv = sqlalc__realloc(s->pv, (size_t)cap * sizeof *pv);
    if (!pv)
        return SQLALC_ERR_NOMEM;
    s->pv = pv;
    int *pl = sqlalc__realloc(s->pl, (size_t)cap * sizeof *pl);
    if (!pl)
        return SQLALC_ERR_NOMEM;
    s->pl = pl;
    int *pf = sqlalc__realloc(s->pf, (size_t)cap * sizeof *pf);
    if (!pf)
        return SQLALC_ERR_NOMEM;
    s->pf = pf;
    Oid *pt = sqlalc__realloc(s->ptypes, (size_t)cap * sizeof *pt);
    if (!pt)
        return SQLALC_ERR_NOMEM;
    s->ptypes = pt;
    Oid *w = sqlalc__realloc(s->want, (size_t)cap * sizeof *w);
    if (!w)
        return SQLALC_ERR_NOMEM;
    s->want = w;
    for (int i = s->pcap; i < cap; i++) {
        s->params[i] = (pq_param){ .isnull = 1 };
        s->ptypes[i] = s->want[i] = 0;
    }
    s->pcap = cap;
    return SQLALC_OK;
}

/* Fill the libpq arrays from params [0, n) (arena offsets → pointers). */
static int resolve_params(pq_stmt *s, int n)
{
    if (s->arena.oom)
        return sqlalc__oom();
    for (int i = 0; i < n; i++) {
        pq_param *p = &s->params[i];
        s->pv[i] = p->isnull ? NULL : p->direct ? p->direct : s->arena.p + p->off;
        s->pl[i] = p->len;
        s->pf[i] = p->fmt;
    }
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

static int pq_prepare(void *conn, const char *sql, size_t len, int nparams, void **out)
{
    pq_conn *c = conn;
    *out = NULL;
    pq_stmt *s = sqlalc__calloc(1, sizeof *s);
    if (!s)
        return SQLALC_ERR_NOMEM;
    s->c = c;
    s->len = len;
    s->nparams = nparams > 0 ? nparams : 0;
    s->rowcount = -1;
    if (!(s->sql = sqlalc__strndup(sql, len)) || ensure_params(s, s->nparams ? s->nparams : 1)) {
        sqlalc_free(s->sql);
        sqlalc_free(s->params);
        sqlalc_free(s->pv);
        sqlalc_free(s->pl);
        sqlalc_free(s->pf);
        sqlalc_free(s->ptypes);
        sqlalc_free(s->want);
        sqlalc_free(s);
        return SQLALC_ERR_NOMEM;
    }
    *out = s;
    return SQLALC_OK;
}

static int pq_bind(void *stmt, int idx, const sqlalc_value *v)
{
    pq_stmt *s = stmt;
    if (idx < 0)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "bind: negative parameter index");
    if (idx >= s->nparams) {
        if (ensure_params(s, idx + 1))
            return SQLALC_ERR_NOMEM;
        for (int i = s->nparams; i <= idx; i++)
            s->params[i] = (pq_param){ .isnull = 1 };
        s->nparams = idx + 1;
    }
    Oid w = oid_for(v);
    s->want[idx] = w;
    encode(&s->arena, &s->params[idx], v, s->prepared ? s->ptypes[idx] : w, 1);
    return s->arena.oom ? sqlalc__oom() : SQLALC_OK;
}

static void clear_rows(pq_stmt *s)
{
    if (s->cur && s->cur != s->meta)
        PQclear(s->cur);
    s->cur = NULL;
    if (s->meta)
        PQclear(s->meta);
    s->meta = NULL;
    for (size_t i = s->spos; i < s->nstash; i++)
        PQclear(s->stash[i]);
    s->nstash = s->spos = 0;
    s->stashed = 0;
}

/* Queue a server-side statement for DEALLOCATE. */
static void forget_name(pq_conn *c, const char *name)
{
    if (!name[0] || PQstatus(c->pg) == CONNECTION_BAD)
        return;
    if (c->ndealloc == c->dealloc_cap &&
        sqlalc__grow((void **)&c->dealloc, &c->dealloc_cap, c->ndealloc + 1, sizeof *c->dealloc))
        return; /* out of memory: the statement lives until disconnect */
    char *n = sqlalc__strdup(name);
    if (n)
        c->dealloc[c->ndealloc++] = n;
}

/* PQprepare the statement with the given parameter types. */
static int server_prepare(pq_stmt *s, int ntypes, const Oid *types)
{
    pq_conn *c = s->c;
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    if (c->ndealloc >= DEALLOC_FLUSH)
        flush_dealloc(c);
    if (s->prepared) {
        forget_name(c, s->name);
        s->prepared = 0;
    }
    snprintf(s->name, sizeof s->name, "sqlalc_%u", ++c->seq);
    PGresult *r = PQprepare(c->pg, s->name, s->sql, ntypes, types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = sqlalc__pq_error(c, r, s->sql);
        PQclear(r);
        s->name[0] = 0;
        return rc;
    }
    PQclear(r);
    s->prepared = 1;
    return SQLALC_OK;
}

/* The values need other parameter types than the statement was prepared
 * with (a typed value where the slot was prepared untyped or otherwise;
 * bytea goes binary into an untyped slot fine).  Merges want into ptypes
 * and says whether a new PQprepare is needed. */
static int types_merge(pq_stmt *s, const Oid *want, int n)
{
    int conflict = !s->prepared;
    for (int i = 0; i < n; i++) {
        Oid w = want[i];
        if (!s->prepared)
            s->ptypes[i] = w;
        else if (w && w != s->ptypes[i] && !(w == OID_BYTEA && !s->ptypes[i])) {
            s->ptypes[i] = w;
            conflict = 1;
        }
    }
    return conflict;
}

static int stmt_fail(pq_stmt *s, PGresult *r)
{
    int rc = sqlalc__pq_error(s->c, r, s->sql);
    if (r)
        PQclear(r);
    return rc;
}

static void compute_kinds(pq_stmt *s)
{
    for (int i = 0; i < s->ncols; i++) {
        Oid t = PQftype(s->meta, i);
        unsigned char k = K_TEXT;
        sqlalc_vtype vt = SQLALC_V_TEXT;
        switch (t) {
        case OID_INT2:
        case OID_INT4:
        case OID_INT8:
        case OID_OID: k = K_INT; break;
        case OID_FLOAT4:
        case OID_FLOAT8: k = K_FLOAT; break;
        case OID_BOOL: k = K_BOOL; break;
        case OID_BYTEA: k = K_BYTEA; break;
        case OID_NUMERIC: vt = SQLALC_V_NUMERIC; break;
        case OID_DATE: vt = SQLALC_V_DATE; break;
        case OID_TIME: vt = SQLALC_V_TIME; break;
        case OID_TIMETZ:
            vt = SQLALC_V_TIME;
            k = K_TZ;
            break;
        case OID_TIMESTAMP: vt = SQLALC_V_DATETIME; break;
        case OID_TIMESTAMPTZ:
            vt = SQLALC_V_DATETIME;
            k = K_TZ;
            break;
        case OID_INTERVAL: vt = SQLALC_V_INTERVAL; break;
        case OID_UUID: vt = SQLALC_V_UUID; break;
        case OID_JSON:
        case OID_JSONB: vt = SQLALC_V_JSON; break;
        default: break;
        }
        s->kind[i] = k;
        s->vt[i] = vt;
    }
}

/* The result's column description arrived: size the per-column arrays
 * (once: a prepared statement's columns do not change). */
static int set_meta(pq_stmt *s, PGresult *r)
{
    s->meta = r;
    int n = PQnfields(r);
    if (s->kind && n == s->ncols)
        return SQLALC_OK;
    for (int i = 0; s->cbuf && i < s->ncols; i++)
        sqlalc_free(s->cbuf[i]);
    sqlalc_free(s->kind);
    sqlalc_free(s->vt);
    sqlalc_free(s->cbuf);
    sqlalc_free(s->ccap);
    s->kind = NULL;
    s->vt = NULL;
    s->cbuf = NULL;
    s->ccap = NULL;
    s->ncols = 0;
    size_t m = n ? (size_t)n : 1;
    s->kind = sqlalc__calloc(m, 1);
    s->vt = sqlalc__calloc(m, sizeof *s->vt);
    s->cbuf = sqlalc__calloc(m, sizeof *s->cbuf);
    s->ccap = sqlalc__calloc(m, sizeof *s->ccap);
    if (!s->kind || !s->vt || !s->cbuf || !s->ccap)
        return SQLALC_ERR_NOMEM;
    s->ncols = n;
    compute_kinds(s);
    return SQLALC_OK;
}

static PGresult *next_result(pq_stmt *s)
{
    if (s->stashed)
        return s->spos < s->nstash ? s->stash[s->spos++] : NULL;
    return PQgetResult(s->c->pg);
}

/* The command finished: read the results that remain (normally none). */
static void finish_cmd(pq_stmt *s)
{
    if (s->stashed) {
        for (; s->spos < s->nstash; s->spos++)
            PQclear(s->stash[s->spos]);
    } else
        drain(s->c);
    if (s->c->active == s)
        s->c->active = NULL;
    s->state = 2;
}

static int64_t parse_count(const char *t)
{
    return t && *t ? strtoll(t, NULL, 10) : -1;
}

/* Advance to the next row: SQLALC_ROW, SQLALC_DONE, or an error. */
static int fetch(pq_stmt *s)
{
    PGresult *r = next_result(s);
    if (!r) {
        finish_cmd(s);
        if (PQstatus(s->c->pg) == CONNECTION_BAD)
            return stmt_fail(s, NULL);
        return SQLALC_DONE;
    }
    switch (PQresultStatus(r)) {
    case PGRES_SINGLE_TUPLE:
        if (s->cur && s->cur != s->meta)
            PQclear(s->cur);
        s->cur = r;
        if (!s->meta && set_meta(s, r)) {
            finish_cmd(s);
            return SQLALC_ERR_NOMEM;
        }
        return SQLALC_ROW;
    case PGRES_TUPLES_OK:
        if (s->cur && s->cur != s->meta)
            PQclear(s->cur);
        s->cur = NULL;
        s->rowcount = parse_count(PQcmdTuples(r));
        if (!s->meta) {
            if (set_meta(s, r)) {
                finish_cmd(s);
                return SQLALC_ERR_NOMEM;
            }
        } else
            PQclear(r);
        finish_cmd(s);
        return SQLALC_DONE;
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
        s->rowcount = parse_count(PQcmdTuples(r));
        PQclear(r);
        finish_cmd(s);
        return SQLALC_DONE;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
        PQclear(r);
        finish_cmd(s);
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "COPY in a prepared statement is not supported (use sqlalc_pg_copy_in)");
    default: {
        int rc = sqlalc__pq_error(s->c, r, s->sql);
        /* The table changed shape since PQprepare (DDL by anyone): outside a
         * transaction block the statement can be prepared again and rerun. */
        const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        s->stale_plan = !s->meta && st && !strcmp(st, "0A000") && m &&
                        strstr(m, "cached plan must not change result type");
        PQclear(r);
        finish_cmd(s);
        if (s->stale_plan && PQtransactionStatus(s->c->pg) != PQTRANS_IDLE)
            s->stale_plan = 0;
        return rc;
    }
    }
}

static int stash_rest(pq_stmt *s)
{
    PGresult *r;
    while ((r = PQgetResult(s->c->pg)) != NULL) {
        if (s->nstash == s->scap &&
            sqlalc__grow((void **)&s->stash, &s->scap, s->nstash + 1, sizeof *s->stash)) {
            PQclear(r);
            drain(s->c);
            /* the rows are lost: this result ends with the error */
            return SQLALC_ERR_NOMEM;
        }
        s->stash[s->nstash++] = r;
    }
    s->stashed = 1;
    return SQLALC_OK;
}

static int pq_step(void *stmt)
{
    pq_stmt *s = stmt;
    if (s->state == 1)
        return fetch(s);
    if (s->state == 2)
        return SQLALC_DONE;
    pq_conn *c = s->c;
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    if (types_merge(s, s->want, s->nparams)) {
        rc = server_prepare(s, s->nparams, s->ptypes);
        if (rc) {
            sqlalc_buf_reset(&s->arena);
            return rc;
        }
    }
    if ((rc = resolve_params(s, s->nparams))) {
        sqlalc_buf_reset(&s->arena);
        return rc;
    }
    clear_rows(s);
    s->rowcount = -1;
    for (int attempt = 0;; attempt++) {
        /* the arena is kept until reset: a stale plan is rerun with it */
        if (!PQsendQueryPrepared(c->pg, s->name, s->nparams, s->pv, s->pl, s->pf, 0))
            return stmt_fail(s, NULL);
        PQsetSingleRowMode(c->pg);
        c->active = s;
        s->state = 1;
        s->stale_plan = 0;
        rc = fetch(s);
        if (!s->stale_plan || attempt)
            return rc;
        s->state = 0;
        s->prepared = 0;
        forget_name(c, s->name);
        if ((rc = server_prepare(s, s->nparams, s->ptypes)) || (rc = resolve_params(s, s->nparams)))
            return rc;
        clear_rows(s);
    }
}

static int pq_reset(void *stmt)
{
    pq_stmt *s = stmt;
    if (s->state == 1) {
        /* Dropping the rest of a result: read it off the wire. */
        if (!s->stashed)
            drain(s->c);
        if (s->c->active == s)
            s->c->active = NULL;
    }
    clear_rows(s);
    s->state = 0;
    sqlalc_buf_reset(&s->arena);
    return SQLALC_OK;
}

static void pq_finalize(void *stmt)
{
    pq_stmt *s = stmt;
    if (!s)
        return;
    pq_reset(s);
    if (s->prepared)
        forget_name(s->c, s->name);
    if (s->full_name[0])
        forget_name(s->c, s->full_name);
    for (int i = 0; s->cbuf && i < s->ncols; i++)
        sqlalc_free(s->cbuf[i]);
    sqlalc_free(s->cbuf);
    sqlalc_free(s->ccap);
    sqlalc_free(s->kind);
    sqlalc_free(s->vt);
    sqlalc_free(s->stash);
    sqlalc_free(s->ptypes);
    sqlalc_free(s->want);
    sqlalc_free(s->full_types);
    sqlalc_free(s->params);
    sqlalc_free(s->pv);
    sqlalc_free(s->pl);
    sqlalc_free(s->pf);
    sqlalc_buf_free(&s->arena);
    sqlalc_free(s->sql);
    sqlalc_free(s);
}

/* ------------------------------------------------------------------ */
/* Columns                                                             */
/* ------------------------------------------------------------------ */

static int pq_column_count(void *stmt)
{
    return ((pq_stmt *)stmt)->ncols;
}

static const char *pq_column_name(void *stmt, int i)
{
    pq_stmt *s = stmt;
    return s->meta && i >= 0 && i < s->ncols ? PQfname(s->meta, i) : NULL;
}

static const char *pq_column_decltype(void *stmt, int i)
{
    pq_stmt *s = stmt;
    if (!s->meta || i < 0 || i >= s->ncols)
        return NULL;
    switch (PQftype(s->meta, i)) {
    case OID_BOOL: return "BOOLEAN";
    case OID_BYTEA: return "BYTEA";
    case OID_INT2: return "SMALLINT";
    case OID_INT4: return "INTEGER";
    case OID_INT8: return "BIGINT";
    case OID_TEXT: return "TEXT";
    case OID_NAME: return "NAME";
    case OID_OID: return "OID";
    case OID_JSON: return "JSON";
    case OID_JSONB: return "JSONB";
    case OID_FLOAT4: return "REAL";
    case OID_FLOAT8: return "DOUBLE PRECISION";
    case OID_BPCHAR: return "CHAR";
    case OID_VARCHAR: return "VARCHAR";
    case OID_DATE: return "DATE";
    case OID_TIME: return "TIME";
    case OID_TIMETZ: return "TIME WITH TIME ZONE";
    case OID_TIMESTAMP: return "TIMESTAMP";
    case OID_TIMESTAMPTZ: return "TIMESTAMP WITH TIME ZONE";
    case OID_INTERVAL: return "INTERVAL";
    case OID_NUMERIC: return "NUMERIC";
    case OID_UUID: return "UUID";
    default: return NULL;
    }
}

static int64_t parse_i64(const char *p)
{
    int neg = *p == '-';
    if (neg)
        p++;
    uint64_t u = 0;
    while (*p >= '0' && *p <= '9')
        u = u * 10 + (uint64_t)(*p++ - '0');
    return neg ? (int64_t)(0 - u) : (int64_t)u;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static char *colbuf(pq_stmt *s, int i, size_t need)
{
    if (s->ccap[i] < need) {
        size_t cap = need < 64 ? 64 : need;
        char *p = sqlalc__realloc(s->cbuf[i], cap);
        if (!p)
            return NULL;
        s->cbuf[i] = p;
        s->ccap[i] = cap;
    }
    return s->cbuf[i];
}

static int no_row(const pq_stmt *s, int i)
{
    if (!s->cur)
        return sqlalc_error_set(SQLALC_ERR_INTERFACE, "no current row to read");
    return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column %d in the row (it has %d)", i, s->ncols);
}

static int pq_column_value(void *stmt, int i, sqlalc_value *out)
{
    pq_stmt *s = stmt;
    PGresult *r = s->cur;
    if (!r || i < 0 || i >= s->ncols)
        return no_row(s, i);
    if (PQgetisnull(r, 0, i)) {
        out->type = SQLALC_V_NULL;
        return SQLALC_OK;
    }
    const char *p = PQgetvalue(r, 0, i);
    size_t n = (size_t)PQgetlength(r, 0, i);
    switch (s->kind[i]) {
    case K_INT:
        out->type = SQLALC_V_INT;
        out->u.i = parse_i64(p);
        return SQLALC_OK;
    case K_FLOAT:
        out->type = SQLALC_V_FLOAT;
        out->u.f = strtod(p, NULL);
        return SQLALC_OK;
    case K_BOOL:
        out->type = SQLALC_V_BOOL;
        out->u.i = p[0] == 't';
        return SQLALC_OK;
    case K_BYTEA: {
        out->type = SQLALC_V_BLOB;
        if (n >= 2 && p[0] == '\\' && p[1] == 'x') {
            size_t m = (n - 2) / 2;
            char *d = colbuf(s, i, m + 1);
            if (!d)
                return SQLALC_ERR_NOMEM;
            for (size_t k = 0; k < m; k++)
                d[k] = (char)(hexval(p[2 + 2 * k]) << 4 | hexval(p[3 + 2 * k]));
            d[m] = 0;
            out->u.s.p = d;
            out->u.s.len = m;
            return SQLALC_OK;
        }
        /* escape format (bytea_output = escape) */
        size_t len;
        unsigned char *u = PQunescapeBytea((const unsigned char *)p, &len);
        if (!u)
            return sqlalc__oom();
        char *d = colbuf(s, i, len + 1);
        if (d) {
            memcpy(d, u, len);
            d[len] = 0;
        }
        PQfreemem(u);
        if (!d)
            return SQLALC_ERR_NOMEM;
        out->u.s.p = d;
        out->u.s.len = len;
        return SQLALC_OK;
    }
    case K_TZ:
        out->type = s->vt[i];
        /* "…+02" → "…+02:00" (ISO-8601, as the value model promises) */
        if (n >= 3 && (p[n - 3] == '+' || p[n - 3] == '-') && p[n - 2] >= '0' && p[n - 2] <= '9') {
            char *d = colbuf(s, i, n + 4);
            if (!d)
                return SQLALC_ERR_NOMEM;
            memcpy(d, p, n);
            memcpy(d + n, ":00", 4);
            out->u.s.p = d;
            out->u.s.len = n + 3;
            return SQLALC_OK;
        }
        out->u.s.p = p;
        out->u.s.len = n;
        return SQLALC_OK;
    default:
        out->type = s->vt[i];
        out->u.s.p = p;
        out->u.s.len = n;
        return SQLALC_OK;
    }
}

static int pq_column_int64(void *stmt, int i, int64_t *out)
{
    pq_stmt *s = stmt;
    PGresult *r = s->cur;
    if (!r || i < 0 || i >= s->ncols || s->kind[i] != K_INT || PQgetisnull(r, 0, i))
        return SQLALC_ERR_TYPE;
    *out = parse_i64(PQgetvalue(r, 0, i));
    return SQLALC_OK;
}

static int pq_column_double(void *stmt, int i, double *out)
{
    pq_stmt *s = stmt;
    PGresult *r = s->cur;
    if (!r || i < 0 || i >= s->ncols || s->kind[i] != K_FLOAT || PQgetisnull(r, 0, i))
        return SQLALC_ERR_TYPE;
    *out = strtod(PQgetvalue(r, 0, i), NULL);
    return SQLALC_OK;
}

static int pq_column_text(void *stmt, int i, const char **out, size_t *len)
{
    pq_stmt *s = stmt;
    PGresult *r = s->cur;
    if (!r || i < 0 || i >= s->ncols || s->kind[i] != K_TEXT || PQgetisnull(r, 0, i))
        return SQLALC_ERR_TYPE;
    *out = PQgetvalue(r, 0, i);
    if (len)
        *len = (size_t)PQgetlength(r, 0, i);
    return SQLALC_OK;
}

static int64_t pq_rowcount(void *stmt)
{
    return ((pq_stmt *)stmt)->rowcount;
}

/* ------------------------------------------------------------------ */
/* Batches                                                             */
/* ------------------------------------------------------------------ */

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}
static int is_word(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           (unsigned char)ch >= 0x80;
}

/* Skip a quoted run starting at sql[i] (a ' or "); returns the index after
 * it, or 0 when it cannot be followed safely (backslash escapes). */
static size_t skip_quoted(const char *sql, size_t len, size_t i)
{
    char q = sql[i];
    for (i++; i < len; i++) {
        if (sql[i] == '\\' && q == '\'')
            return 0;
        if (sql[i] == q) {
            if (i + 1 < len && sql[i + 1] == q) {
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return 0;
}

/* Is the SQL "INSERT … VALUES (group)" with nothing after the group and
 * no placeholder outside it?  Then rows can be sent as one multi-row
 * VALUES.  Comments, dollar quotes and E'' strings make us say no. */
static void analyse_insert(pq_stmt *s)
{
    const char *q = s->sql;
    size_t len = s->len, i = 0;
    s->ins = -1;
    while (i < len && is_space(q[i]))
        i++;
    if (len - i < 6 || sqlalc__strncasecmp(q + i, "insert", 6) || (i + 6 < len && is_word(q[i + 6])))
        return;
    int depth = 0;
    size_t vals = 0;
    for (; i < len; i++) {
        char ch = q[i];
        if (ch == '\'' || ch == '"') {
            size_t e = skip_quoted(q, len, i);
            if (!e)
                return;
            i = e - 1;
        } else if (ch == '$' || (ch == '-' && i + 1 < len && q[i + 1] == '-') ||
                   (ch == '/' && i + 1 < len && q[i + 1] == '*') || ch == ';')
            return;
        else if (ch == '(')
            depth++;
        else if (ch == ')')
            depth--;
        else if (depth == 0 && (ch == 'v' || ch == 'V') && i > 0 && !is_word(q[i - 1]) && len - i >= 6 &&
                 !sqlalc__strncasecmp(q + i, "values", 6) && (i + 6 == len || !is_word(q[i + 6]))) {
            vals = i;
            break;
        }
    }
    if (!vals)
        return;
    i = vals + 6;
    while (i < len && is_space(q[i]))
        i++;
    if (i >= len || q[i] != '(')
        return;
    size_t start = i;
    depth = 0;
    for (; i < len; i++) {
        char ch = q[i];
        if (ch == '\'' || ch == '"') {
            size_t e = skip_quoted(q, len, i);
            if (!e)
                return;
            i = e - 1;
        } else if (ch == '$') {
            if (i + 1 >= len || q[i + 1] < '0' || q[i + 1] > '9')
                return;
        } else if ((ch == '-' && i + 1 < len && q[i + 1] == '-') ||
                   (ch == '/' && i + 1 < len && q[i + 1] == '*'))
            return;
        else if (ch == '(')
            depth++;
        else if (ch == ')' && --depth == 0)
            break;
    }
    if (i >= len)
        return;
    size_t end = i + 1;
    for (i = end; i < len; i++)
        if (!is_space(q[i]) && q[i] != ';')
            return; /* RETURNING, ON CONFLICT …: keep row-by-row semantics */
    s->grp_start = start;
    s->grp_end = end;
    s->ins = 1;
}

/* SQL of the INSERT with rows VALUES groups, placeholders renumbered. */
static char *multi_sql(const pq_stmt *s, int rows)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_append(&b, s->sql, s->grp_start);
    const char *g = s->sql + s->grp_start;
    size_t glen = s->grp_end - s->grp_start;
    for (int r = 0; r < rows; r++) {
        if (r)
            sqlalc_buf_putc(&b, ',');
        size_t i = 0;
        while (i < glen) {
            char ch = g[i];
            if (ch == '\'' || ch == '"') {
                size_t e = skip_quoted(g, glen, i);
                sqlalc_buf_append(&b, g + i, e - i);
                i = e;
            } else if (ch == '$') {
                long k = 0;
                i++;
                while (i < glen && g[i] >= '0' && g[i] <= '9')
                    k = k * 10 + (g[i++] - '0');
                sqlalc_buf_printf(&b, "$%ld", k + (long)r * s->nparams);
            } else {
                sqlalc_buf_putc(&b, ch);
                i++;
            }
        }
    }
    return sqlalc_buf_detach(&b);
}

/* Per-slot types for a batch: the first non-NULL value of each column. */
static void batch_types(const sqlalc_value *values, size_t nsets, int n, Oid *types)
{
    for (int j = 0; j < n; j++) {
        types[j] = 0;
        for (size_t r = 0; r < nsets; r++) {
            const sqlalc_value *v = &values[r * (size_t)n + (size_t)j];
            if (!is_null_value(v)) {
                types[j] = oid_for(v);
                break;
            }
        }
    }
}

/* Read a pipeline's results up to its sync.  Adds rows affected to *count;
 * the first error is recorded with where (rows per command) for context. */
static int pipeline_collect(pq_stmt *s, int64_t *count, size_t first_row, size_t rows_per, const char *sql)
{
    pq_conn *c = s->c;
    int rc = SQLALC_OK;
    size_t cmd = 0;
    /* batch_insert passes first_row 1 when a PQsendPrepare leads: skip it */
    size_t lead = rows_per > 1 ? first_row : 0;
    if (rows_per > 1)
        first_row = 0;
    for (;;) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (PQstatus(c->pg) == CONNECTION_BAD) {
                if (rc == SQLALC_OK)
                    rc = sqlalc__pq_error(c, NULL, sql);
                break;
            }
            cmd++; /* NULL separates one command's results from the next */
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            int64_t k = parse_count(PQcmdTuples(r));
            if (k > 0)
                *count += k;
        } else if (st != PGRES_PIPELINE_ABORTED && rc == SQLALC_OK) {
            rc = sqlalc__pq_error(c, r, sql);
            size_t row = first_row + (cmd >= lead ? cmd - lead : 0) * rows_per;
            if (rows_per > 1)
                sqlalc__error_prefix("executemany rows %zu..%zu", row, row + rows_per - 1);
            else
                sqlalc__error_prefix("executemany row %zu", row);
        }
        PQclear(r);
    }
    return rc;
}

static int enter_pipeline(pq_conn *c)
{
    if (!PQenterPipelineMode(c->pg))
        return sqlalc__pq_error(c, NULL, NULL);
    return SQLALC_OK;
}

static void leave_pipeline(pq_conn *c)
{
    if (PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF && !PQexitPipelineMode(c->pg)) {
        /* results left over (only after errors): read them, then leave */
        drain(c);
        PQexitPipelineMode(c->pg);
    }
}

/* Multi-row VALUES batches, pipelined.  Full batches run a statement
 * prepared once (kept on s); a smaller rest goes as an unnamed one. */
static int batch_insert(pq_stmt *s, const sqlalc_value *values, size_t nsets, int n, int64_t *count)
{
    pq_conn *c = s->c;
    int per = 65535 / n;
    if (per > BATCH_ROWS_MAX)
        per = BATCH_ROWS_MAX;
    size_t nfull = nsets / (size_t)per, rem = nsets % (size_t)per;
    size_t width = nfull ? (size_t)per : rem;
    int rc = ensure_params(s, (int)width * n);
    if (rc)
        return rc;
    Oid *types = sqlalc__malloc(width * (size_t)n * sizeof *types);
    if (!types)
        return SQLALC_ERR_NOMEM;
    batch_types(values, nsets, n, types);
    for (size_t r = 1; r < width; r++)
        memcpy(types + r * (size_t)n, types, (size_t)n * sizeof *types);

    int need_prepare = nfull && (!s->full_name[0] || s->full_rows != per || !s->full_types ||
                                 memcmp(s->full_types, types, (size_t)n * sizeof *types));
    char *full_sql = NULL, *rem_sql = NULL;
    if (need_prepare) {
        if (s->full_name[0])
            forget_name(c, s->full_name);
        s->full_name[0] = 0;
        sqlalc_free(s->full_types);
        if (!(s->full_types = sqlalc__malloc((size_t)n * sizeof *types)) || !(full_sql = multi_sql(s, per))) {
            sqlalc_free(types);
            return SQLALC_ERR_NOMEM;
        }
        memcpy(s->full_types, types, (size_t)n * sizeof *types);
        s->full_rows = per;
    }
    if (rem && !(rem_sql = multi_sql(s, (int)rem))) {
        sqlalc_free(full_sql);
        sqlalc_free(types);
        return SQLALC_ERR_NOMEM;
    }
    if ((rc = sqlalc__pq_idle(c)) || (rc = enter_pipeline(c))) {
        sqlalc_free(full_sql);
        sqlalc_free(rem_sql);
        sqlalc_free(types);
        return rc;
    }
    if (need_prepare) {
        snprintf(s->full_name, sizeof s->full_name, "sqlalc_%u", ++c->seq);
        if (!PQsendPrepare(c->pg, s->full_name, full_sql, per * n, types))
            rc = sqlalc__pq_error(c, NULL, full_sql);
    }
    size_t row = 0;
    for (size_t b = 0; rc == SQLALC_OK && b < nfull + (rem ? 1 : 0); b++) {
        size_t k = b < nfull ? (size_t)per : rem;
        int np = (int)k * n;
        sqlalc_buf_reset(&s->arena);
        const sqlalc_value *v = values + row * (size_t)n;
        for (int j = 0; j < np; j++)
            encode(&s->arena, &s->params[j], &v[j], types[j], 0);
        if ((rc = resolve_params(s, np)))
            break;
        int ok = b < nfull ? PQsendQueryPrepared(c->pg, s->full_name, np, s->pv, s->pl, s->pf, 0)
                           : PQsendQueryParams(c->pg, rem_sql, np, types, s->pv, s->pl, s->pf, 0);
        if (!ok)
            rc = sqlalc__pq_error(c, NULL, s->sql);
        row += k;
    }
    sqlalc_buf_reset(&s->arena);
    if (PQpipelineSync(c->pg) != 1 && rc == SQLALC_OK)
        rc = sqlalc__pq_error(c, NULL, s->sql);
    /* the prepare's own result comes first: rows count after it */
    int rc2 = pipeline_collect(s, count, need_prepare, (size_t)per, s->sql);
    if (need_prepare && (rc || rc2))
        s->full_name[0] = 0; /* the prepare itself may have failed */
    leave_pipeline(c);
    sqlalc_free(full_sql);
    sqlalc_free(rem_sql);
    sqlalc_free(types);
    return rc ? rc : rc2;
}

/* Any statement: one pipelined execution per row. */
static int batch_pipeline(pq_stmt *s, const sqlalc_value *values, size_t nsets, int n, int64_t *count)
{
    pq_conn *c = s->c;
    int rc = SQLALC_OK;
    batch_types(values, nsets, n, s->want);
    if (types_merge(s, s->want, n) && (rc = server_prepare(s, n, s->ptypes)))
        return rc;
    if ((rc = sqlalc__pq_idle(c)) || (rc = enter_pipeline(c)))
        return rc;
    for (size_t done = 0; rc == SQLALC_OK && done < nsets; done += PIPELINE_SYNC_EVERY) {
        size_t k = nsets - done < PIPELINE_SYNC_EVERY ? nsets - done : PIPELINE_SYNC_EVERY;
        for (size_t r = done; r < done + k && rc == SQLALC_OK; r++) {
            sqlalc_buf_reset(&s->arena);
            for (int j = 0; j < n; j++)
                encode(&s->arena, &s->params[j], &values[r * (size_t)n + (size_t)j], s->ptypes[j], 0);
            if ((rc = resolve_params(s, n)))
                break;
            if (!PQsendQueryPrepared(c->pg, s->name, n, s->pv, s->pl, s->pf, 0))
                rc = sqlalc__pq_error(c, NULL, s->sql);
        }
        if (PQpipelineSync(c->pg) != 1 && rc == SQLALC_OK)
            rc = sqlalc__pq_error(c, NULL, s->sql);
        int rc2 = pipeline_collect(s, count, done, 1, s->sql);
        if (rc == SQLALC_OK)
            rc = rc2;
    }
    sqlalc_buf_reset(&s->arena);
    leave_pipeline(c);
    return rc;
}

static int pq_exec_batch(void *stmt, const sqlalc_value *values, size_t nsets, int nparams, int64_t *rowcount)
{
    pq_stmt *s = stmt;
    *rowcount = 0;
    if (!nsets)
        return SQLALC_OK;
    pq_reset(s);
    if (nparams > s->nparams)
        s->nparams = nparams;
    if (ensure_params(s, nparams ? nparams : 1))
        return SQLALC_ERR_NOMEM;
    if (!s->ins)
        analyse_insert(s);
    if (s->ins > 0 && nparams > 0 && nsets > 1)
        return batch_insert(s, values, nsets, nparams, rowcount);
    return batch_pipeline(s, values, nsets, nparams, rowcount);
}

const sqlalc_driver sqlalc__driver_libpq = {
    .version = SQLALC_DRIVER_VERSION,
    .name = "libpq",
    .default_dialect = "postgresql",
    .paramstyle = SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
    .connect = pq_connect,
    .close = pq_close,
    .ping = pq_ping,
    .exec_simple = pq_exec_simple,
    .prepare = pq_prepare,
    .bind = pq_bind,
    .step = pq_step,
    .reset = pq_reset,
    .finalize = pq_finalize,
    .column_count = pq_column_count,
    .column_name = pq_column_name,
    .column_decltype = pq_column_decltype,
    .column_value = pq_column_value,
    .column_int64 = pq_column_int64,
    .rowcount = pq_rowcount,
    .last_insert_id = pq_last_insert_id,
    .begin = pq_begin,
    .commit = pq_commit,
    .rollback = pq_rollback,
    .savepoint = pq_savepoint,
    .release_savepoint = pq_release,
    .rollback_to_savepoint = pq_rollback_to,
    .exec_batch = pq_exec_batch,
    .column_double = pq_column_double,
    .column_text = pq_column_text,
    .transaction_state = pq_transaction_state,
};

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
 *    types taken from the first values bound, as psycopg2's literals are
 *    typed: INT → int4 (int8 past its range), FLOAT → float8, BOOL →
 *    bool, NUMERIC → numeric, DATE → date, TIME → time, INTERVAL →
 *    interval, UUID → uuid, BLOB → bytea (so "SELECT $1 AS n UNION ALL
 *    SELECT n + 1" works); TEXT, DATETIME, JSON and NULL are left for the
 *    server to infer from context, so a string fills a date, enum or json
 *    column, and a datetime keeps its offset.  An int4 fills an int2
 *    column or a LIMIT by the server's own casts.
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
 * is still streaming, the rest of that result is read and packed into the
 * statement's blocks first (libpq allows one command on the wire), about
 * the data's own size.  A result dropped half read is cancelled on the
 * server when the engine says it only reads and it was sent outside a
 * transaction block (sqlalc__pq_discard); otherwise it is drained.  With
 * stream_results the rows come from a server-side cursor in batches
 * (sqlalc__pq_prepare_cursor, the dialect's statements).
 *
 * Batches (exec_batch): the statement as given, pipelined row by row
 * (PQenterPipelineMode), syncing every 1,000 rows: no round trip per row.
 * Multi-row VALUES are the compiler's (sqlalc__compile_repeat), never a
 * rewrite here.  (A pipeline of statements returning
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
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver_libpq.h"

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
void sqlalc__pq_drain(pq_conn *c)
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

int sqlalc__pq_idle(pq_conn *c)
{
    if (c->copying)
        return sqlalc_error_set(
            SQLALC_ERR_INTERFACE,
            "a copy (sqlalc_pg_copy_*) is in progress on this connection: end or abort it first");
    int rc = SQLALC_OK;
    if (c->active) {
        pq_stmt *s = c->active;
        c->active = NULL;
        rc = sqlalc__pq_stash_rest(s);
    }
    /* a cursor declared in a transaction block is gone once the block
     * ended: this tells a cursor whether its block is still the one */
    if (PQtransactionStatus(c->pg) == PQTRANS_IDLE)
        c->txgen++;
    return rc;
}

/* Send queued DEALLOCATEs in one command (statements the engine dropped). */
void sqlalc__pq_flush_dealloc(pq_conn *c)
{
    /* Only outside transactions: a failing DEALLOCATE must not abort the
     * caller's transaction. */
    if (!c->ndealloc || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return;
#ifdef LIBPQ_HAS_CLOSE_PREPARED
    /* libpq 17: the protocol's Close message, no SQL */
    for (size_t i = 0; i < c->ndealloc; i++) {
        PQclear(PQclosePrepared(c->pg, c->dealloc[i]));
        sqlalc_free(c->dealloc[i]);
    }
    c->ndealloc = 0;
#else
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (size_t i = 0; i < c->ndealloc; i++)
        sqlalc__pg_deallocate_sql(&b, c->dealloc[i]);
    if (sqlalc_buf_cstr(&b)) {
        PGresult *r = PQexec(c->pg, b.p);
        PQclear(r);
        for (size_t i = 0; i < c->ndealloc; i++)
            sqlalc_free(c->dealloc[i]);
        c->ndealloc = 0;
    }
    sqlalc_buf_free(&b);
#endif
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
        sqlalc__pq_drain(c);
        return sqlalc_error_set(
            SQLALC_ERR_NOT_SUPPORTED,
            "a copy through exec_simple is not supported (use sqlalc_pg_copy_in) [SQL: %.200s]", sql);
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

const sqlalc_driver sqlalc__driver_libpq = {
    .version = SQLALC_DRIVER_VERSION,
    .name = "libpq",
    .default_dialect = "postgresql",
    .paramstyle = SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
    .connect = pq_connect,
    .close = pq_close,
    .ping = pq_ping,
    .exec_simple = pq_exec_simple,
    .prepare = sqlalc__pq_prepare,
    .bind = sqlalc__pq_bind,
    .step = sqlalc__pq_step,
    .reset = sqlalc__pq_reset,
    .finalize = sqlalc__pq_finalize,
    .column_count = sqlalc__pq_column_count,
    .column_name = sqlalc__pq_column_name,
    .column_decltype = sqlalc__pq_column_decltype,
    .column_value = sqlalc__pq_column_value,
    .column_int64 = sqlalc__pq_column_int64,
    .rowcount = sqlalc__pq_rowcount,
    .exec_batch = sqlalc__pq_exec_batch,
    .column_double = sqlalc__pq_column_double,
    .column_text = sqlalc__pq_column_text,
    .transaction_state = pq_transaction_state,
    .prepare_cursor = sqlalc__pq_prepare_cursor,
    .discard = sqlalc__pq_discard,
};

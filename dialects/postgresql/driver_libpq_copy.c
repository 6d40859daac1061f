/*
 * COPY … FROM STDIN for the libpq driver (sqlalc_pg_copy_in).
 * Text format: values as their text forms, tab-separated, with COPY's
 * backslash escapes; sent in chunks of COPY_CHUNK bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver_libpq.h"
#include "sqlalc/postgresql.h"
#include "../../src/engine/engine_int.h"

#define COPY_CHUNK (256 * 1024)

static void put_escaped(sqlalc_buf *b, const char *p, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char e = 0;
        switch (p[i]) {
        case '\\': e = '\\'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        case '\t': e = 't'; break;
        default: continue;
        }
        sqlalc_buf_append(b, p + run, i - run);
        sqlalc_buf_putc(b, '\\');
        sqlalc_buf_putc(b, e);
        run = i + 1;
    }
    sqlalc_buf_append(b, p + run, n - run);
}

static void put_value(sqlalc_buf *b, const sqlalc_value *v)
{
    char tmp[40];
    /* a text or blob value without a pointer is SQL NULL (core.h) */
    int null =
        v->type == SQLALC_V_NULL || (v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL && !v->u.s.p);
    switch (null ? SQLALC_V_NULL : v->type) {
    case SQLALC_V_NULL: sqlalc_buf_append(b, "\\N", 2); return;
    case SQLALC_V_INT: {
        char *end = tmp + sizeof tmp, *s = end;
        int64_t x = v->u.i;
        uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        do {
            *--s = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (x < 0)
            *--s = '-';
        sqlalc_buf_append(b, s, (size_t)(end - s));
        return;
    }
    case SQLALC_V_BOOL: sqlalc_buf_putc(b, v->u.i ? 't' : 'f'); return;
    case SQLALC_V_FLOAT:
        if (isnan(v->u.f))
            sqlalc_buf_puts(b, "NaN");
        else if (isinf(v->u.f))
            sqlalc_buf_puts(b, v->u.f < 0 ? "-Infinity" : "Infinity");
        else
            sqlalc_buf_printf(b, "%.17g", v->u.f);
        return;
    case SQLALC_V_BLOB: {
        static const char hx[] = "0123456789abcdef";
        sqlalc_buf_append(b, "\\\\x", 3); /* bytea's "\x" with COPY's backslash doubled */
        for (size_t i = 0; i < v->u.s.len; i++) {
            unsigned char ch = (unsigned char)v->u.s.p[i];
            char two[2] = { hx[ch >> 4], hx[ch & 15] };
            sqlalc_buf_append(b, two, 2);
        }
        return;
    }
    default: {
        const char *p = v->u.s.p ? v->u.s.p : "";
        put_escaped(b, p, v->u.s.len == SQLALC_NTS ? strlen(p) : v->u.s.len);
        return;
    }
    }
}

struct sqlalc_pg_copy {
    sqlalc_conn *conn;
    pq_conn *c;
    int ncols;
    char *sql;      /* for messages */
    sqlalc_buf buf; /* rows not sent yet */
};

static void copy_free(sqlalc_pg_copy *cp)
{
    cp->c->copying = 0;
    sqlalc_buf_free(&cp->buf);
    sqlalc_free(cp->sql);
    sqlalc_free(cp);
}

static int flush(sqlalc_pg_copy *cp)
{
    if (cp->buf.oom)
        return sqlalc__oom();
    if (cp->buf.len && PQputCopyData(cp->c->pg, cp->buf.p, (int)cp->buf.len) != 1)
        return sqlalc__conn_fail(cp->conn, sqlalc__pq_error(cp->c, NULL, cp->sql));
    sqlalc_buf_reset(&cp->buf);
    return SQLALC_OK;
}

int sqlalc_pg_copy_begin(sqlalc_conn *conn, const char *table, const char *const *columns, int ncols,
                         sqlalc_pg_copy **out)
{
    if (out)
        *out = NULL;
    if (!conn || !table || ncols <= 0 || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "pg_copy_begin: NULL connection, table or out, or ncols <= 0");
    if (sqlalc__conn_driver(conn) != &sqlalc__driver_libpq)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pg_copy: the connection does not use the libpq driver");
    pq_conn *c = sqlalc__conn_driver_handle(conn);
    if (!c)
        return sqlalc_error_last()->code;
    sqlalc_buf q = SQLALC_BUF_INIT;
    sqlalc__pg_copy_in_sql(&q, table, columns, ncols);
    sqlalc_pg_copy *cp = sqlalc__calloc(1, sizeof *cp);
    char *sql = sqlalc_buf_detach(&q);
    if (!cp || !sql) {
        sqlalc_free(cp);
        sqlalc_free(sql);
        return SQLALC_ERR_NOMEM;
    }
    int rc = sqlalc__pq_idle(c);
    if (rc) {
        sqlalc_free(cp);
        sqlalc_free(sql);
        return rc;
    }
    PGresult *r = PQexec(c->pg, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = sqlalc__pq_error(c, r, sql);
        PQclear(r);
        sqlalc_free(cp);
        sqlalc_free(sql);
        return sqlalc__conn_fail(conn, rc);
    }
    PQclear(r);
    cp->conn = conn;
    cp->c = c;
    cp->ncols = ncols;
    cp->sql = sql;
    c->copying = 1;
    *out = cp;
    return SQLALC_OK;
}

int sqlalc_pg_copy_put(sqlalc_pg_copy *cp, const sqlalc_value *rows, size_t nrows)
{
    if (!cp || (!rows && nrows))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pg_copy_put: NULL copy or rows");
    for (size_t r = 0; r < nrows; r++) {
        const sqlalc_value *row = rows + r * (size_t)cp->ncols;
        for (int j = 0; j < cp->ncols; j++) {
            if (j)
                sqlalc_buf_putc(&cp->buf, '\t');
            put_value(&cp->buf, &row[j]);
        }
        sqlalc_buf_putc(&cp->buf, '\n');
        if (cp->buf.len >= COPY_CHUNK || cp->buf.oom) {
            int rc = flush(cp);
            if (rc)
                return rc;
        }
    }
    return cp->buf.oom ? sqlalc__oom() : SQLALC_OK;
}

/* Finish the COPY (reason NULL: commit it, else make the server drop it)
 * and read its outcome.  Errors are recorded only when record is set. */
static int finish(sqlalc_pg_copy *cp, const char *reason, int64_t *count, int record)
{
    pq_conn *c = cp->c;
    int rc = SQLALC_OK;
    if (PQputCopyEnd(c->pg, reason) != 1 && record)
        rc = sqlalc__pq_error(c, NULL, cp->sql);
    PGresult *r;
    while ((r = PQgetResult(c->pg)) != NULL) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            if (count)
                *count = strtoll(PQcmdTuples(r), NULL, 10);
        } else if (rc == SQLALC_OK && record)
            rc = sqlalc__pq_error(c, r, cp->sql);
        PQclear(r);
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            if (rc == SQLALC_OK && record)
                rc = sqlalc__pq_error(c, NULL, cp->sql);
            break;
        }
    }
    if (!record && PQstatus(c->pg) == CONNECTION_BAD)
        sqlalc__conn_fail(cp->conn, SQLALC_ERR_DISCONNECT);
    return sqlalc__conn_fail(cp->conn, rc);
}

int sqlalc_pg_copy_end(sqlalc_pg_copy *cp, int64_t *count)
{
    if (count)
        *count = 0;
    if (!cp)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pg_copy_end: NULL copy");
    int rc = flush(cp);
    if (rc) {
        finish(cp, "client error", NULL, 0);
        copy_free(cp);
        return rc;
    }
    rc = finish(cp, NULL, count, 1);
    copy_free(cp);
    return rc;
}

void sqlalc_pg_copy_abort(sqlalc_pg_copy *cp)
{
    if (!cp)
        return;
    finish(cp, "aborted by the client", NULL, 0);
    copy_free(cp);
}

int sqlalc_pg_copy_in(sqlalc_conn *conn, const char *table, const char *const *columns, int ncols,
                      const sqlalc_value *rows, size_t nrows, int64_t *count)
{
    if (count)
        *count = 0;
    if (!rows && nrows)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pg_copy_in: rows is NULL");
    sqlalc_pg_copy *cp;
    int rc = sqlalc_pg_copy_begin(conn, table, columns, ncols, &cp);
    if (rc)
        return rc;
    if ((rc = sqlalc_pg_copy_put(cp, rows, nrows))) {
        sqlalc_pg_copy_abort(cp);
        return rc;
    }
    return sqlalc_pg_copy_end(cp, count);
}

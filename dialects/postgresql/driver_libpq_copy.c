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
    int null = v->type == SQLALC_V_NULL || (v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL && !v->u.s.p);
    switch (null ? SQLALC_V_NULL : v->type) {
    case SQLALC_V_NULL:
        sqlalc_buf_append(b, "\\N", 2);
        return;
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
    case SQLALC_V_BOOL:
        sqlalc_buf_putc(b, v->u.i ? 't' : 'f');
        return;
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
        sqlalc_buf_append(b, "\\\\x", 3);  /* bytea's "\x" with COPY's backslash doubled */
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

static int copy_rows(pq_conn *c, const sqlalc_value *rows, size_t nrows, int ncols, const char *sql)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    int rc = SQLALC_OK;
    for (size_t r = 0; r < nrows && rc == SQLALC_OK; r++) {
        const sqlalc_value *row = rows + r * (size_t)ncols;
        for (int j = 0; j < ncols; j++) {
            if (j)
                sqlalc_buf_putc(&b, '\t');
            put_value(&b, &row[j]);
        }
        sqlalc_buf_putc(&b, '\n');
        if (b.oom)
            rc = sqlalc__oom();
        else if (b.len >= COPY_CHUNK || r + 1 == nrows) {
            if (PQputCopyData(c->pg, b.p, (int)b.len) != 1)
                rc = sqlalc__pq_error(c, NULL, sql);
            sqlalc_buf_reset(&b);
        }
    }
    sqlalc_buf_free(&b);
    return rc;
}

int sqlalc_pg_copy_in(sqlalc_conn *conn, const char *table, const char *const *columns, int ncols,
                      const sqlalc_value *rows, size_t nrows, int64_t *count)
{
    if (count)
        *count = 0;
    if (!conn || !table || ncols <= 0 || (!rows && nrows))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pg_copy_in: NULL connection, table or rows, or ncols <= 0");
    if (sqlalc__conn_driver(conn) != &sqlalc__driver_libpq)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pg_copy_in: the connection does not use the libpq driver");
    pq_conn *c = sqlalc__conn_driver_handle(conn);
    if (!c)
        return sqlalc_error_last()->code;
    sqlalc_buf q = SQLALC_BUF_INIT;
    sqlalc_buf_puts(&q, "COPY ");
    sqlalc__pq_quote_ident(&q, table);
    if (columns) {
        sqlalc_buf_puts(&q, " (");
        for (int j = 0; j < ncols; j++) {
            if (j)
                sqlalc_buf_puts(&q, ", ");
            sqlalc__pq_quote_ident(&q, columns[j]);
        }
        sqlalc_buf_putc(&q, ')');
    }
    sqlalc_buf_puts(&q, " FROM STDIN");
    const char *sql = sqlalc_buf_cstr(&q);
    if (!sql)
        return SQLALC_ERR_NOMEM;
    int rc = sqlalc__pq_idle(c);
    if (rc) {
        sqlalc_buf_free(&q);
        return rc;
    }
    PGresult *r = PQexec(c->pg, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = sqlalc__pq_error(c, r, sql);
        PQclear(r);
        sqlalc_buf_free(&q);
        return sqlalc__conn_fail(conn, rc);
    }
    PQclear(r);
    rc = copy_rows(c, rows, nrows, ncols, sql);
    /* ending with an error message makes the server abandon the COPY */
    if (PQputCopyEnd(c->pg, rc == SQLALC_OK ? NULL : "client error") != 1 && rc == SQLALC_OK)
        rc = sqlalc__pq_error(c, NULL, sql);
    while ((r = PQgetResult(c->pg)) != NULL) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            if (count)
                *count = strtoll(PQcmdTuples(r), NULL, 10);
        } else if (rc == SQLALC_OK)
            rc = sqlalc__pq_error(c, r, sql);
        PQclear(r);
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            if (rc == SQLALC_OK)
                rc = sqlalc__pq_error(c, NULL, sql);
            break;
        }
    }
    sqlalc_buf_free(&q);
    return sqlalc__conn_fail(conn, rc);
}

/*
 * libpq driver: the columns of the current row, decoded into values.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "driver_libpq.h"

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
int sqlalc__pq_set_meta(pq_stmt *s, PGresult *r)
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

/* ------------------------------------------------------------------ */
/* Columns                                                             */
/* ------------------------------------------------------------------ */

int sqlalc__pq_column_count(void *stmt)
{
    return ((pq_stmt *)stmt)->ncols;
}

const char *sqlalc__pq_column_name(void *stmt, int i)
{
    pq_stmt *s = stmt;
    return s->meta && i >= 0 && i < s->ncols ? PQfname(s->meta, i) : NULL;
}

const char *sqlalc__pq_column_decltype(void *stmt, int i)
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
    case OID_TIMETZ: return "TIMETZ";
    case OID_TIMESTAMP: return "TIMESTAMP";
    case OID_TIMESTAMPTZ: return "TIMESTAMPTZ";
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
    if (!s->cur && !s->rowp)
        return sqlalc_error_set(SQLALC_ERR_INTERFACE, "no current row to read");
    return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column %d in the row (it has %d)", i, s->ncols);
}

/* Column i of the current row: 1 with its text (NUL-terminated) and
 * length, 0 when NULL.  The row is a packed one (read early, see
 * driver_libpq_stmt.c) or row ri of cur. */
static inline int cell(const pq_stmt *s, int i, const char **p, size_t *n)
{
    if (s->rowp) {
        uint32_t h[2];
        memcpy(h, s->rowp + 4 + 8 * (size_t)i, sizeof h);
        if (h[1] == UINT32_MAX)
            return 0;
        *p = (const char *)s->rowp + h[0];
        *n = h[1];
        return 1;
    }
    if (PQgetisnull(s->cur, s->ri, i))
        return 0;
    *p = PQgetvalue(s->cur, s->ri, i);
    *n = (size_t)PQgetlength(s->cur, s->ri, i);
    return 1;
}

static inline int have_row(const pq_stmt *s, int i)
{
    return (s->cur || s->rowp) && i >= 0 && i < s->ncols;
}

int sqlalc__pq_column_value(void *stmt, int i, sqlalc_value *out)
{
    pq_stmt *s = stmt;
    if (!have_row(s, i))
        return no_row(s, i);
    const char *p;
    size_t n;
    if (!cell(s, i, &p, &n)) {
        out->type = SQLALC_V_NULL;
        return SQLALC_OK;
    }
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
            if ((n - 2) % 2)
                return sqlalc_error_set(SQLALC_ERR_DATA, "column %d: bytea hex of odd length %zu", i, n - 2);
            char *d = colbuf(s, i, m + 1);
            if (!d)
                return SQLALC_ERR_NOMEM;
            for (size_t k = 0; k < m; k++) {
                /* a server sends well-formed hex; anything else is refused, never shifted as -1 */
                int hi = hexval(p[2 + 2 * k]), lo = hexval(p[3 + 2 * k]);
                if (hi < 0 || lo < 0)
                    return sqlalc_error_set(SQLALC_ERR_DATA,
                                            "column %d: bytea hex has a non-hex digit at %zu", i,
                                            2 * k + (hi < 0 ? 0 : 1));
                d[k] = (char)(hi << 4 | lo);
            }
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

int sqlalc__pq_column_int64(void *stmt, int i, int64_t *out)
{
    pq_stmt *s = stmt;
    const char *p;
    size_t n;
    if (!have_row(s, i) || s->kind[i] != K_INT || !cell(s, i, &p, &n))
        return SQLALC_ERR_TYPE;
    *out = parse_i64(p);
    return SQLALC_OK;
}

int sqlalc__pq_column_double(void *stmt, int i, double *out)
{
    pq_stmt *s = stmt;
    const char *p;
    size_t n;
    if (!have_row(s, i) || s->kind[i] != K_FLOAT || !cell(s, i, &p, &n))
        return SQLALC_ERR_TYPE;
    *out = strtod(p, NULL);
    return SQLALC_OK;
}

int sqlalc__pq_column_text(void *stmt, int i, const char **out, size_t *len)
{
    pq_stmt *s = stmt;
    const char *p;
    size_t n;
    if (!have_row(s, i) || s->kind[i] != K_TEXT || !cell(s, i, &p, &n))
        return SQLALC_ERR_TYPE;
    *out = p;
    if (len)
        *len = n;
    return SQLALC_OK;
}

int64_t sqlalc__pq_rowcount(void *stmt)
{
    return ((pq_stmt *)stmt)->rowcount;
}

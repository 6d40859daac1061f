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

/* The kind of a column sent in binary format (text types are their
 * text either way); K_TEXT with *vt set, or 0xff when there is no
 * binary decoder for t. */
static unsigned char binary_kind(Oid t, sqlalc_vtype *vt)
{
    *vt = SQLALC_V_TEXT;
    switch (t) {
    case OID_INT2: return K_B_INT2;
    case OID_INT4: return K_B_INT4;
    case OID_OID: return K_B_OID;
    case OID_INT8: return K_B_INT8;
    case OID_FLOAT4: return K_B_FLOAT4;
    case OID_FLOAT8: return K_B_FLOAT8;
    case OID_BOOL: return K_B_BOOL;
    case OID_BYTEA: return K_B_BYTEA;
    case OID_UUID: *vt = SQLALC_V_UUID; return K_B_UUID;
    case OID_JSONB: *vt = SQLALC_V_JSON; return K_B_JSONB;
    case OID_JSON: *vt = SQLALC_V_JSON; return K_TEXT;
    case OID_TEXT:
    case OID_NAME:
    case OID_BPCHAR:
    case OID_VARCHAR: return K_TEXT;
    default: return 0xff;
    }
}

int sqlalc__pq_binary_ok(Oid t)
{
    sqlalc_vtype vt;
    return binary_kind(t, &vt) != 0xff;
}

int sqlalc__pq_result_format(const PGresult *d)
{
    int n = PQnfields(d), bytea = 0, float4 = 0;
    for (int i = 0; i < n; i++) {
        Oid t = PQftype(d, i);
        bytea |= t == OID_BYTEA;
        float4 |= t == OID_FLOAT4;
        if (!sqlalc__pq_binary_ok(t))
            return 0;
    }
    /* binary integers and floats also read faster than their text (a
     * scan of ints, floats and text: ~0.95x raw text libpq against
     * ~1.1x); float4 alone reads slower (its shortest decimal is
     * searched), so without a bytea it stays text */
    return n > 0 && (bytea || !float4);
}

static void compute_kinds(pq_stmt *s)
{
    for (int i = 0; i < s->ncols; i++) {
        Oid t = PQftype(s->meta, i);
        unsigned char k = K_TEXT;
        sqlalc_vtype vt = SQLALC_V_TEXT;
        if (PQfformat(s->meta, i) == 1) {
            k = binary_kind(t, &vt);
            if (k == 0xff) { /* never asked for; read as opaque bytes */
                k = K_B_BYTEA;
                vt = SQLALC_V_BLOB;
            }
            s->kind[i] = k;
            s->vt[i] = vt;
            continue;
        }
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
 * (once: a prepared statement's columns do not change; their format may). */
int sqlalc__pq_set_meta(pq_stmt *s, PGresult *r)
{
    s->meta = r;
    int n = PQnfields(r);
    if (s->kind && n == s->ncols) {
        compute_kinds(s); /* the same columns, maybe in the other format */
        return SQLALC_OK;
    }
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

/* Big-endian integers of the binary format. */
static uint64_t be(const char *p, size_t n)
{
    uint64_t u = 0;
    for (size_t k = 0; k < n; k++)
        u = u << 8 | (unsigned char)p[k];
    return u;
}

/* A binary float4 as the double its text would give: the shortest
 * decimal that reads back as the same float (what float4out prints), so
 * text and binary results agree (1.1, not 1.100000023841858). */
static double float4_value(const char *p)
{
    uint32_t bits = (uint32_t)be(p, 4);
    float f;
    memcpy(&f, &bits, 4);
    if (!isfinite(f))
        return (double)f;
    char tmp[32];
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, (double)f);
        if (strtof(tmp, NULL) == f)
            return strtod(tmp, NULL);
    }
    return (double)f;
}

static int bad_width(int i, size_t n, size_t want)
{
    return sqlalc_error_set(SQLALC_ERR_DATA, "column %d: binary value of %zu bytes where %zu are sent", i, n,
                            want);
}

/* The integer of a binary integer column (kind k). */
static int binary_int(int k, const char *p, size_t n, int i, int64_t *out)
{
    size_t w = k == K_B_INT2 ? 2 : k == K_B_INT8 ? 8 : 4;
    if (n != w)
        return bad_width(i, n, w);
    uint64_t u = be(p, w);
    if (k == K_B_INT2)
        *out = (int16_t)(uint16_t)u;
    else if (k == K_B_INT4)
        *out = (int32_t)(uint32_t)u;
    else if (k == K_B_OID)
        *out = (int64_t)(uint32_t)u;
    else
        *out = (int64_t)u;
    return SQLALC_OK;
}

static int binary_float(int k, const char *p, size_t n, int i, double *out)
{
    if (k == K_B_FLOAT4) {
        if (n != 4)
            return bad_width(i, n, 4);
        *out = float4_value(p);
        return SQLALC_OK;
    }
    if (n != 8)
        return bad_width(i, n, 8);
    uint64_t u = be(p, 8);
    memcpy(out, &u, 8);
    return SQLALC_OK;
}

/* Column i (kind K_B_*, not NULL) as a value.  Bytes are handed out from
 * the result itself (libpq ends every value with a NUL): a bytea of
 * 100 MB is never copied again. */
static int binary_value(pq_stmt *s, int i, const char *p, size_t n, sqlalc_value *out)
{
    int k = s->kind[i];
    switch (k) {
    case K_B_INT2:
    case K_B_INT4:
    case K_B_OID:
    case K_B_INT8: out->type = SQLALC_V_INT; return binary_int(k, p, n, i, &out->u.i);
    case K_B_FLOAT4:
    case K_B_FLOAT8: out->type = SQLALC_V_FLOAT; return binary_float(k, p, n, i, &out->u.f);
    case K_B_BOOL:
        if (n != 1)
            return bad_width(i, n, 1);
        out->type = SQLALC_V_BOOL;
        out->u.i = p[0] != 0;
        return SQLALC_OK;
    case K_B_UUID: {
        if (n != 16)
            return bad_width(i, n, 16);
        static const char hx[] = "0123456789abcdef";
        char *d = colbuf(s, i, 37), *w = d;
        if (!d)
            return SQLALC_ERR_NOMEM;
        for (int b = 0; b < 16; b++) {
            if (b == 4 || b == 6 || b == 8 || b == 10)
                *w++ = '-';
            *w++ = hx[(unsigned char)p[b] >> 4];
            *w++ = hx[p[b] & 15];
        }
        *w = 0;
        out->type = SQLALC_V_UUID;
        out->u.s.p = d;
        out->u.s.len = 36;
        return SQLALC_OK;
    }
    case K_B_JSONB:
        /* a version byte (1) then the text */
        if (n < 1 || p[0] != 1)
            return sqlalc_error_set(SQLALC_ERR_DATA, "column %d: binary jsonb of unknown version %d", i,
                                    n ? (unsigned char)p[0] : -1);
        out->type = SQLALC_V_JSON;
        out->u.s.p = p + 1;
        out->u.s.len = n - 1;
        return SQLALC_OK;
    default: /* K_B_BYTEA */
        out->type = SQLALC_V_BLOB;
        out->u.s.p = p;
        out->u.s.len = n;
        return SQLALC_OK;
    }
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
    if (s->kind[i] >= K_B_INT2)
        return binary_value(s, i, p, n, out);
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
    if (!have_row(s, i) || !cell(s, i, &p, &n))
        return SQLALC_ERR_TYPE;
    if (s->kind[i] >= K_B_INT2 && s->kind[i] <= K_B_INT8)
        return binary_int(s->kind[i], p, n, i, out) ? SQLALC_ERR_TYPE : SQLALC_OK;
    if (s->kind[i] != K_INT)
        return SQLALC_ERR_TYPE;
    *out = parse_i64(p);
    return SQLALC_OK;
}

int sqlalc__pq_column_double(void *stmt, int i, double *out)
{
    pq_stmt *s = stmt;
    const char *p;
    size_t n;
    if (!have_row(s, i) || !cell(s, i, &p, &n))
        return SQLALC_ERR_TYPE;
    if (s->kind[i] == K_B_FLOAT4 || s->kind[i] == K_B_FLOAT8)
        return binary_float(s->kind[i], p, n, i, out) ? SQLALC_ERR_TYPE : SQLALC_OK;
    if (s->kind[i] != K_FLOAT)
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

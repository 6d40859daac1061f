/*
 * libpq driver: parameters, their types (OIDs) and their wire encoding
 * (see driver_libpq.c for the choices).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "driver_libpq.h"

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

/* A text or blob value without a pointer is SQL NULL (core.h). */
int sqlalc__pq_is_null(const sqlalc_value *v)
{
    return v->type == SQLALC_V_NULL || (v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL && !v->u.s.p);
}

Oid sqlalc__pq_oid_for(const sqlalc_value *v)
{
    if (sqlalc__pq_is_null(v))
        return 0;
    switch (v->type) {
    /* as psycopg2's literals type them: int4 when it fits, else int8 */
    case SQLALC_V_INT: return v->u.i >= INT32_MIN && v->u.i <= INT32_MAX ? OID_INT4 : OID_INT8;
    case SQLALC_V_UUID: return OID_UUID;
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

int sqlalc__pq_check_text(const sqlalc_value *v, int idx)
{
    if (sqlalc__pq_is_null(v) || v->type < SQLALC_V_TEXT || v->type == SQLALC_V_BLOB ||
        v->type == SQLALC_V_BOOL || v->u.s.len == SQLALC_NTS || !memchr(v->u.s.p, 0, v->u.s.len))
        return SQLALC_OK;
    return sqlalc_error_set_full(SQLALC_ERR_DATA, "22021", 0,
                                 "parameter $%d: text with a NUL byte at offset %zu (PostgreSQL text cannot "
                                 "hold NUL; bind it as a blob)",
                                 idx + 1, (size_t)((const char *)memchr(v->u.s.p, 0, v->u.s.len) - v->u.s.p));
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
void sqlalc__pq_encode(sqlalc_buf *a, pq_param *p, const sqlalc_value *v, Oid slot, int copy)
{
    char tmp[40];
    p->isnull = 0;
    p->fmt = 0;
    switch (sqlalc__pq_is_null(v) ? SQLALC_V_NULL : v->type) {
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

int sqlalc__pq_ensure_params(pq_stmt *s, int n)
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
int sqlalc__pq_resolve_params(pq_stmt *s, int n)
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

/* The values need other parameter types than the statement was prepared
 * with (a typed value where the slot was prepared untyped or otherwise;
 * bytea goes binary into an untyped slot fine).  Merges want into ptypes
 * and says whether a new PQprepare is needed. */
/* A value asking for w fits a slot prepared as slot without a new
 * prepare: the same type, bytea into an untyped slot, an integer's text
 * into a wider number. */
static int fits(Oid w, Oid slot)
{
    if (w == slot || (w == OID_BYTEA && !slot))
        return 1;
    return (w == OID_INT4 || w == OID_INT8) &&
           (slot == OID_INT8 || slot == OID_NUMERIC || slot == OID_FLOAT8);
}

int sqlalc__pq_types_merge(pq_stmt *s, const Oid *want, int n)
{
    int conflict = !s->prepared;
    for (int i = 0; i < n; i++) {
        Oid w = want[i];
        if (!s->prepared)
            s->ptypes[i] = w;
        else if (w && !fits(w, s->ptypes[i])) {
            s->ptypes[i] = w;
            conflict = 1;
        }
    }
    return conflict;
}

/*
 * Results and rows.  A result streams: rows are read through the driver
 * on demand, nothing is buffered unless fetchmany/fetchall copy rows into
 * a rowset.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "txsql.h"
#include "../sql/expr_int.h"
#include "stream.h"

/* ------------------------------------------------------------------ */
/* Open / close                                                        */
/* ------------------------------------------------------------------ */

static void link_result(sqlalc_conn *conn, sqlalc_result *r)
{
    r->prev = NULL;
    r->next = conn->results;
    if (conn->results)
        conn->results->prev = r;
    conn->results = r;
}

static void unlink_result(sqlalc_result *r)
{
    if (!r->conn)
        return;
    if (r->prev)
        r->prev->next = r->next;
    else
        r->conn->results = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

/* Stand-ins for typed accessors a driver lacks: "convert it yourself". */
static int no_fast_int64(void *st, int i, int64_t *out)
{
    (void)st, (void)i, (void)out;
    return SQLALC_ERR_TYPE;
}
static int no_fast_double(void *st, int i, double *out)
{
    (void)st, (void)i, (void)out;
    return SQLALC_ERR_TYPE;
}
static int no_fast_text(void *st, int i, const char **out, size_t *len)
{
    (void)st, (void)i, (void)out, (void)len;
    return SQLALC_ERR_TYPE;
}

int sqlalc__result_open(sqlalc_conn *conn, stmt_entry *e, void *st, int first_rc, const char *sql,
                        sqlalc_result **out)
{
    const sqlalc_driver *drv = conn->eng->driver;
    sqlalc_result *r = conn->db->spare;
    if (r)
        conn->db->spare = NULL;
    else if (!(r = sqlalc__malloc(sizeof *r))) {
        sqlalc__conn_stmt_done(conn, e, st);
        return SQLALC_ERR_NOMEM;
    }
    /* Every field set here (one per statement: no memset of the rest). */
    r->conn = conn;
    r->owned_conn = NULL;
    r->entry = e;
    r->st = st;
    r->drv = drv;
    r->state = first_rc == SQLALC_DONE ? SQLALC_DONE : 0;
    r->pending = first_rc == SQLALC_ROW;
    r->closed = r->orphaned = r->fast = 0;
    r->ncols = drv->column_count(st);
    r->names = NULL;
    r->rowcount = -2; /* asked of the driver when wanted */
    r->row.st = NULL;
    r->row.ncols = r->ncols;
    r->row.get_int64 = drv->column_int64 ? drv->column_int64 : no_fast_int64;
    r->row.get_double = drv->column_double ? drv->column_double : no_fast_double;
    r->row.get_text = drv->column_text ? drv->column_text : no_fast_text;
    r->row.res = r;
    r->row.vals = NULL;
    r->row.rs = NULL;
    r->conv.head = NULL;
    r->snap = r->kept = NULL;
    r->sql_copy = NULL;
    r->ctypes = NULL;
    r->nctypes = 0;
    r->buf = NULL;
    r->bufpos = 0;
    /* A cached statement's SQL lives as long as the entry is in use; a
     * private statement's is copied (the entry may be evicted meanwhile). */
    r->sql = sql;
    /* (messages show 400 characters: a little more is enough) */
    size_t sl = !e && sql && first_rc == SQLALC_ROW ? strlen(sql) : 0;
    if (sl && (r->sql_copy = sqlalc__strndup(sql, sl > 401 ? 401 : sl)))
        r->sql = r->sql_copy;
    else if (!e)
        r->sql = NULL;
    link_result(conn, r);
    *out = r;
    return SQLALC_OK;
}

/* Column names are copied when the statement is released early. */
static int load_names(sqlalc_result *r)
{
    if (r->names || !r->ncols)
        return SQLALC_OK;
    if (!r->st)
        return sqlalc_error_set(SQLALC_ERR_CLOSED, "result is closed");
    r->names = sqlalc__calloc((size_t)r->ncols, sizeof *r->names);
    if (!r->names)
        return SQLALC_ERR_NOMEM;
    for (int i = 0; i < r->ncols; i++) {
        const char *n = r->drv->column_name(r->st, i);
        r->names[i] = n ? n : "";
    }
    return SQLALC_OK;
}

/* Rows may remain: a statement that only reads is stopped on the server
 * rather than read to its end (the driver's discard). */
static void give_back(sqlalc_result *r)
{
    if (r->state != SQLALC_DONE && r->drv->discard &&
        sqlalc__stmt_reads_only(r->conn, r->entry, r->sql, r->sql_copy && strlen(r->sql_copy) > 400))
        r->drv->discard(r->st);
    sqlalc__conn_stmt_done(r->conn, r->entry, r->st);
}

/* Give the statement back to the connection's cache; the names pointed
 * into it, so they go too. */
static void drop_stmt(sqlalc_result *r)
{
    if (r->st && r->conn)
        give_back(r);
    r->st = NULL;
    r->row.st = NULL;
    r->fast = 0;
    r->entry = NULL;
    r->sql = NULL;
    if (r->sql_copy) {
        sqlalc_free(r->sql_copy);
        r->sql_copy = NULL;
    }
    if (r->names) {
        sqlalc_free(r->names);
        r->names = NULL;
    }
}

static void release_stmt(sqlalc_result *r)
{
    /* the row count is lost with the statement: keep it for the caller */
    if (r->rowcount == -2)
        r->rowcount = r->st && r->drv->rowcount ? r->drv->rowcount(r->st) : -1;
    drop_stmt(r);
}

void sqlalc__result_detach(sqlalc_result *r)
{
    /* Rows not read yet are lost with the connection: say so when they
     * are asked for, rather than pretending the result ended. */
    if (r->state != SQLALC_DONE)
        r->orphaned = 1;
    release_stmt(r);
    unlink_result(r);
    r->conn = NULL;
    r->closed = 1;
    r->state = SQLALC_DONE;
}

void sqlalc__result_own_conn(sqlalc_result *res, sqlalc_conn *conn)
{
    res->owned_conn = conn;
}

static void arena_free(sqlalc__arena *a);

void sqlalc__result_release(sqlalc_result *res)
{
    drop_stmt(res);
    if (res->ctypes) {
        sqlalc_free(res->ctypes);
        res->ctypes = NULL;
        res->nctypes = 0;
    }
    if (res->buf) {
        sqlalc_rowset_free(res->buf);
        res->buf = NULL;
    }
    if (res->conv.head)
        arena_free(&res->conv);
    if (res->snap || res->kept) {
        sqlalc_rowset_free(res->snap);
        sqlalc_rowset_free(res->kept);
        res->snap = res->kept = NULL;
    }
}

void sqlalc_result_free(sqlalc_result *res)
{
    if (!res)
        return;
    sqlalc_conn *owned = res->owned_conn;
    sqlalc_conn *conn = res->conn;
    if (res->sql_copy || res->names || res->conv.head || res->snap || res->kept || res->ctypes || res->buf)
        sqlalc__result_release(res);
    else if (res->st && conn) /* the common case: only the statement to give back */
        give_back(res);
    unlink_result(res);
    if (conn && !conn->db->spare)
        conn->db->spare = res; /* reused by the next execution on this connection */
    else
        sqlalc_free(res);
    if (owned)
        sqlalc_conn_close(owned);
}

/* Close without freeing: the statement goes back, remaining rows are
 * dropped, and the handle keeps answering (rowcount, kept rows). */
static void close_result(sqlalc_result *res)
{
    release_stmt(res);
    res->state = SQLALC_DONE;
    res->closed = 1;
}

#if defined(__GNUC__)
#    define RESULT_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#    define RESULT_LIKELY(x) (x)
#endif

/* ------------------------------------------------------------------ */
/* Iteration                                                           */
/* ------------------------------------------------------------------ */

static void arena_reset(sqlalc__arena *a);

/* A step error: the SQL that was running goes into the message. */
static int step_failed(sqlalc_result *res, int rc)
{
    if (res->sql)
        sqlalc__error_append_sql(res->sql);
    res->state = SQLALC_DONE;
    release_stmt(res);
    return sqlalc__conn_fail(res->conn, rc);
}

/* After a step: a row, the end, or an error. */
static int stepped(sqlalc_result *res, int rc, const sqlalc_row **row)
{
    if (rc == SQLALC_ROW) {
        res->state = SQLALC_ROW;
        res->row.st = res->st;
        res->fast = 1;
        if (row)
            *row = &res->row;
        return SQLALC_ROW;
    }
    if (row)
        *row = NULL;
    res->row.st = NULL;
    res->fast = 0;
    if (rc == SQLALC_DONE) {
        res->state = SQLALC_DONE;
        release_stmt(res);
        return SQLALC_DONE;
    }
    return step_failed(res, rc);
}

static int next_slow(sqlalc_result *res, const sqlalc_row **row)
{
    if (row)
        *row = NULL;
    if (!res)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result is NULL");
    /* The row handle reads the driver again (it may have been a copy),
     * and what was converted for the last row goes. */
    res->row.rs = NULL;
    res->row.vals = NULL;
    res->row.st = NULL;
    if (res->conv.head)
        arena_reset(&res->conv);
    if (res->buf) {
        if (res->bufpos < res->buf->n && !res->closed) {
            res->row.rs = res->buf;
            res->row.vals = res->buf->rows[res->bufpos++].vals;
            res->state = SQLALC_ROW;
            if (row)
                *row = &res->row;
            return SQLALC_ROW;
        }
        res->state = SQLALC_DONE;
        return SQLALC_DONE;
    }
    if (res->state == SQLALC_DONE || res->closed || !res->st) {
        res->state = SQLALC_DONE;
        if (res->orphaned)
            return sqlalc_error_set(SQLALC_ERR_CLOSED,
                                    "the result's connection was closed before all its rows were read");
        return SQLALC_DONE;
    }
    if (res->pending) {
        res->pending = 0;
        return stepped(res, SQLALC_ROW, row);
    }
    return stepped(res, res->drv->step(res->st), row);
}

int sqlalc_result_next(sqlalc_result *res, const sqlalc_row **row)
{
    /* The hot loop: on a live row, nothing copied or converted for it. */
    if (RESULT_LIKELY(res && res->fast)) {
        int rc = res->drv->step(res->st);
        if (RESULT_LIKELY(rc == SQLALC_ROW)) {
            if (row)
                *row = &res->row;
            return SQLALC_ROW;
        }
        return stepped(res, rc, row);
    }
    return next_slow(res, row);
}

int sqlalc_result_fetchone(sqlalc_result *res, const sqlalc_row **row)
{
    int rc = sqlalc_result_next(res, row);
    return rc == SQLALC_ROW ? SQLALC_OK : rc;
}

int sqlalc_result_closed(const sqlalc_result *res)
{
    return !res || res->closed || res->state == SQLALC_DONE;
}
int sqlalc_result_column_count(const sqlalc_result *res)
{
    return res ? res->ncols : 0;
}
int64_t sqlalc_result_rowcount(const sqlalc_result *res)
{
    if (!res)
        return -1;
    if (res->rowcount == -2) {
        int64_t n = res->st && res->drv->rowcount ? res->drv->rowcount(res->st) : -1;
        if (n >= 0 || !res->st || res->state == SQLALC_DONE)
            ((sqlalc_result *)res)->rowcount = n; /* a -1 while rows remain may still become a count */
        return n;
    }
    return res->rowcount;
}

const char *sqlalc_result_column_name(const sqlalc_result *res, int i)
{
    if (!res || i < 0 || i >= res->ncols) {
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column %d in result (it has %d)", i, res ? res->ncols : 0);
        return NULL;
    }
    if (res->buf)
        return res->buf->names[i];
    if (!res->st) {
        sqlalc_error_set(SQLALC_ERR_CLOSED, "result is closed: column names are read while rows remain");
        return NULL;
    }
    return res->drv->column_name(res->st, i);
}

const char *sqlalc_result_column_decltype(const sqlalc_result *res, int i)
{
    if (!res || i < 0 || i >= res->ncols || !res->st || !res->drv->column_decltype)
        return NULL;
    return res->drv->column_decltype(res->st, i);
}

static int find_column(const sqlalc_result *res, const char *name)
{
    const char *const *names = res->buf ? (const char *const *)res->buf->names : NULL;
    if (!names) {
        if (!res->st)
            return sqlalc_error_set(SQLALC_ERR_CLOSED, "result is closed");
        if (load_names((sqlalc_result *)res))
            return SQLALC_ERR_NOMEM;
        names = res->names;
    }
    for (int i = 0; i < res->ncols; i++)
        if (!strcmp(names[i], name))
            return i;
    /* SQLAlchemy matches result keys case-insensitively as a fallback. */
    for (int i = 0; i < res->ncols; i++)
        if (!sqlalc__strcasecmp(names[i], name))
            return i;
    return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column named '%s' in the result", name);
}

int sqlalc_result_column_index(const sqlalc_result *res, const char *name)
{
    if (!res || !name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "column_index: NULL argument");
        return -1;
    }
    int i = find_column(res, name);
    return i < 0 ? -1 : i;
}

/* Asked of the connection when wanted: for some drivers it costs a round
 * trip, which most statements do not need. */
int sqlalc_result_last_insert_id(const sqlalc_result *res, int64_t *out)
{
    if (!res || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "last_insert_id: NULL argument");
    sqlalc_conn *conn = res->conn ? res->conn : res->owned_conn;
    if (!conn)
        return sqlalc_error_set(SQLALC_ERR_CLOSED, "last_insert_id: the result's connection is closed");
    return sqlalc__conn_fail(conn, sqlalc__db_last_insert_id(conn->eng, conn->db, out));
}

/* ------------------------------------------------------------------ */
/* Rowsets (fetchmany / fetchall) and their arena                      */
/* ------------------------------------------------------------------ */

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
};

static char *arena_alloc(sqlalc__arena *a, size_t n)
{
    struct arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        /* the first block of a small holder (one row) stays small */
        if (!b && n <= 512)
            cap = 1024;
        b = sqlalc__malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    char *d = b->data + b->used;
    b->used += n;
    return d;
}

static char *arena_copy(sqlalc__arena *a, const char *p, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, p, n);
    d[n] = 0;
    return d;
}

static void arena_free(sqlalc__arena *a)
{
    for (struct arena_block *b = a->head, *n; b; b = n) {
        n = b->next;
        sqlalc_free(b);
    }
    a->head = NULL;
}

/* Keep the newest block for the next row, drop the others. */
static void arena_reset(sqlalc__arena *a)
{
    struct arena_block *b = a->head;
    if (!b)
        return;
    for (struct arena_block *o = b->next, *n; o; o = n) {
        n = o->next;
        sqlalc_free(o);
    }
    b->next = NULL;
    b->used = 0;
}

void sqlalc_rowset_free(sqlalc_rowset *rs)
{
    if (!rs)
        return;
    arena_free(&rs->arena);
    sqlalc_free(rs->names);
    sqlalc_free(rs->vals);
    sqlalc_free(rs->rows);
    sqlalc_free(rs);
}

size_t sqlalc_rowset_count(const sqlalc_rowset *rs)
{
    return rs ? rs->n : 0;
}

const sqlalc_row *sqlalc_rowset_row(const sqlalc_rowset *rs, size_t i)
{
    if (!rs || i >= rs->n) {
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "rowset has no row %zu", i);
        return NULL;
    }
    return &rs->rows[i];
}

/* ------------------------------------------------------------------ */
/* Typed results                                                       */
/* ------------------------------------------------------------------ */

/*
 * A statement built from expressions knows each result column's SQL type
 * (src/sql/result_types.c); its values are converted here, the same on
 * every backend, as SQLAlchemy's result processors do: Boolean → BOOL
 * (SQLite's 0/1), Float → FLOAT (SQLite's integers, PostgreSQL's numeric
 * text), Numeric(p, s) → NUMERIC text with exactly s decimals (SQLite's
 * floats and integers; rounded half away from zero, as PostgreSQL rounds),
 * Date / Time / DateTime → DATE / TIME / DATETIME text in PostgreSQL's
 * output form (a space between date and time, no trailing zeros in the
 * fraction).  A value of any other kind is left as the driver gave it.
 */
int sqlalc__result_set_types(sqlalc_result *res, const sqlalc__coltype *t, size_t n)
{
    if (!t || !n)
        return SQLALC_OK;
    res->ctypes = sqlalc__malloc(n * sizeof *res->ctypes);
    if (!res->ctypes)
        return sqlalc__oom();
    memcpy(res->ctypes, t, n * sizeof *t);
    res->nctypes = (int)n;
    /* every read goes through the converting path */
    res->row.get_int64 = no_fast_int64;
    res->row.get_double = no_fast_double;
    res->row.get_text = no_fast_text;
    return SQLALC_OK;
}

static int is_text_value(sqlalc_vtype t)
{
    return t == SQLALC_V_TEXT || t == SQLALC_V_NUMERIC || t == SQLALC_V_DATE || t == SQLALC_V_TIME ||
           t == SQLALC_V_DATETIME;
}

static size_t text_len(const sqlalc_value *v)
{
    return v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
}

/* Set *v to text of n bytes made in the row's arena. */
static int put_text(sqlalc__arena *a, sqlalc_value *v, sqlalc_vtype type, const char *p, size_t n)
{
    char *d = arena_copy(a, p, n);
    if (!d)
        return sqlalc__oom();
    v->type = type;
    v->u.s.p = d;
    v->u.s.len = n;
    return SQLALC_OK;
}

/* A plain decimal ([-+]digits[.digits]) rounded or padded to scale
 * decimals, written into d (room for n + scale + 3); 0 when p is not one. */
static size_t rescale_decimal(const char *p, size_t n, int scale, char *d)
{
    size_t i = 0, o = 0;
    int neg = 0;
    if (i < n && (p[i] == '-' || p[i] == '+'))
        neg = p[i++] == '-';
    size_t ib = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    size_t ie = i, fb = i, fe = i;
    if (i < n && p[i] == '.') {
        fb = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        fe = i;
    }
    if (i != n || (ie == ib && fe == fb))
        return 0;
    /* digits: integer part (at least "0"), then scale fraction digits */
    d[o++] = '0'; /* room for a carry */
    if (ie == ib)
        d[o++] = '0';
    for (size_t k = ib; k < ie; k++)
        d[o++] = p[k];
    size_t point = o;
    for (int k = 0; k < scale; k++)
        d[o++] = fb + (size_t)k < fe ? p[fb + (size_t)k] : '0';
    if (fb + (size_t)scale < fe && p[fb + (size_t)scale] >= '5') {
        size_t k = o;
        while (k-- > 0) {
            if (d[k] == '9')
                d[k] = '0';
            else {
                d[k]++;
                break;
            }
        }
    }
    /* d = carry digit, integer digits, fraction digits: now lay it out */
    size_t lead = 0;
    while (lead + 1 < point && d[lead] == '0')
        lead++;
    int zero = 1;
    for (size_t k = lead; k < o; k++)
        zero &= d[k] == '0';
    size_t w = 0;
    char *q = d + o + 1; /* write after the digits, then move down */
    if (neg && !zero)
        q[w++] = '-';
    for (size_t k = lead; k < point; k++)
        q[w++] = d[k];
    if (scale > 0) {
        q[w++] = '.';
        for (size_t k = point; k < o; k++)
            q[w++] = d[k];
    }
    memmove(d, q, w);
    return w;
}

/* Is p already a plain decimal with exactly scale fraction digits? */
static int has_scale(const char *p, size_t n, int scale)
{
    size_t i = 0, dot = n;
    if (i < n && p[i] == '-')
        i++;
    if (i == n || p[i] < '0' || p[i] > '9')
        return 0;
    for (; i < n; i++) {
        if (p[i] == '.' && dot == n)
            dot = i;
        else if (p[i] < '0' || p[i] > '9')
            return 0;
    }
    return scale == 0 ? dot == n : dot < n && n - dot - 1 == (size_t)scale;
}

static int to_numeric(sqlalc__arena *a, sqlalc_value *v, int scale)
{
    char buf[64];
    size_t n;
    switch (v->type) {
    case SQLALC_V_INT:
        n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)v->u.i);
        if (scale > 0) {
            char *d = arena_alloc(a, n + (size_t)scale + 2);
            if (!d)
                return sqlalc__oom();
            memcpy(d, buf, n);
            d[n] = '.';
            memset(d + n + 1, '0', (size_t)scale);
            d[n + 1 + (size_t)scale] = 0;
            v->type = SQLALC_V_NUMERIC;
            v->u.s.p = d;
            v->u.s.len = n + 1 + (size_t)scale;
            return SQLALC_OK;
        }
        return put_text(a, v, SQLALC_V_NUMERIC, buf, n);
    case SQLALC_V_FLOAT: {
        if (!isfinite(v->u.f))
            return SQLALC_OK; /* NaN / infinities stay floats */
        if (scale >= 0) {
            int need = snprintf(NULL, 0, "%.*f", scale, v->u.f);
            char *d = need > 0 ? arena_alloc(a, (size_t)need + 1) : NULL;
            if (!d)
                return sqlalc__oom();
            snprintf(d, (size_t)need + 1, "%.*f", scale, v->u.f);
            v->type = SQLALC_V_NUMERIC;
            v->u.s.p = d;
            v->u.s.len = (size_t)need;
            return SQLALC_OK;
        }
        /* no scale: the shortest text that reads back the same */
        for (int prec = 15; prec <= 17; prec++) {
            n = (size_t)snprintf(buf, sizeof buf, "%.*g", prec, v->u.f);
            if (strtod(buf, NULL) == v->u.f)
                break;
        }
        return put_text(a, v, SQLALC_V_NUMERIC, buf, n);
    }
    case SQLALC_V_TEXT:
    case SQLALC_V_NUMERIC: {
        size_t len = text_len(v);
        if (scale < 0) {
            v->type = SQLALC_V_NUMERIC;
            return SQLALC_OK;
        }
        if (has_scale(v->u.s.p, len, scale)) {
            v->type = SQLALC_V_NUMERIC; /* PostgreSQL's numeric(p, s): as it is */
            return SQLALC_OK;
        }
        char *d = arena_alloc(a, 2 * (len + (size_t)scale + 4));
        if (!d)
            return sqlalc__oom();
        size_t w = rescale_decimal(v->u.s.p, len, scale, d);
        if (!w) {
            /* not a plain decimal (an exponent …): through a double */
            char *end;
            char num[128];
            if (len >= sizeof num)
                return SQLALC_OK;
            memcpy(num, v->u.s.p, len);
            num[len] = 0;
            double f = strtod(num, &end);
            if (end == num || *end)
                return SQLALC_OK; /* not a number: left as it is */
            v->type = SQLALC_V_FLOAT;
            v->u.f = f;
            return to_numeric(a, v, scale);
        }
        d[w] = 0;
        v->type = SQLALC_V_NUMERIC;
        v->u.s.p = d;
        v->u.s.len = w;
        return SQLALC_OK;
    }
    default: return SQLALC_OK;
    }
}

/* DATETIME / TIME text in PostgreSQL's form: "T" → " ", the fraction's
 * trailing zeros (and a bare point) dropped; DATE: the date part. */
static int to_temporal(sqlalc__arena *a, sqlalc_value *v, sqlalc_vtype type)
{
    if (!is_text_value(v->type))
        return SQLALC_OK;
    const char *p = v->u.s.p;
    size_t n = text_len(v);
    if (type == SQLALC_V_DATE) {
        if (n > 10 && p[4] == '-' && p[7] == '-' && (p[10] == ' ' || p[10] == 'T'))
            n = 10;
        v->type = type;
        v->u.s.len = n;
        if (n != text_len(v) || p[n])
            return put_text(a, v, type, p, n);
        return SQLALC_OK;
    }
    int t_sep = type == SQLALC_V_DATETIME && n > 10 && p[10] == 'T';
    size_t end = n;
    const char *dot = memchr(p, '.', n);
    if (dot) {
        size_t k = (size_t)(dot - p) + 1;
        while (k < n && p[k] >= '0' && p[k] <= '9')
            k++;
        /* only a fraction that ends the value (no zone after it) is trimmed */
        if (k == n) {
            while (end > (size_t)(dot - p) + 1 && p[end - 1] == '0')
                end--;
            if (end == (size_t)(dot - p) + 1)
                end--;
        }
    }
    if (!t_sep && end == n) {
        v->type = type;
        return SQLALC_OK;
    }
    int rc = put_text(a, v, type, p, end);
    if (!rc && t_sep)
        ((char *)v->u.s.p)[10] = ' ';
    return rc;
}

static int to_bool_text(const char *p, size_t n, int *out)
{
    if ((n == 1 && (*p == 't' || *p == '1')) || (n == 4 && !sqlalc__strncasecmp(p, "true", 4))) {
        *out = 1;
        return 1;
    }
    if ((n == 1 && (*p == 'f' || *p == '0')) || (n == 5 && !sqlalc__strncasecmp(p, "false", 5))) {
        *out = 0;
        return 1;
    }
    return 0;
}

/* Convert v (a column of type t) in place; text made lives in a. */
static int convert_value(const sqlalc__coltype *t, sqlalc_value *v, sqlalc__arena *a)
{
    if (v->type == SQLALC_V_NULL)
        return SQLALC_OK;
    switch (t->kind) {
    case SQLALC_TYPE_BOOLEAN: {
        int b;
        if (v->type == SQLALC_V_INT)
            v->u.i = v->u.i != 0;
        else if (v->type == SQLALC_V_FLOAT)
            v->u.i = v->u.f != 0;
        else if (is_text_value(v->type) && to_bool_text(v->u.s.p, text_len(v), &b))
            v->u.i = b;
        else
            return SQLALC_OK;
        v->type = SQLALC_V_BOOL;
        return SQLALC_OK;
    }
    case SQLALC_TYPE_FLOAT:
    case SQLALC_TYPE_REAL:
    case SQLALC_TYPE_DOUBLE:
        if (v->type == SQLALC_V_INT) {
            v->u.f = (double)v->u.i;
            v->type = SQLALC_V_FLOAT;
        } else if (v->type == SQLALC_V_NUMERIC || v->type == SQLALC_V_TEXT) {
            char num[128], *end;
            size_t n = text_len(v);
            if (n >= sizeof num)
                return SQLALC_OK;
            memcpy(num, v->u.s.p, n);
            num[n] = 0;
            double f = strtod(num, &end);
            if (end != num && !*end) {
                v->u.f = f;
                v->type = SQLALC_V_FLOAT;
            }
        }
        return SQLALC_OK;
    case SQLALC_TYPE_NUMERIC: return to_numeric(a, v, t->scale);
    case SQLALC_TYPE_DATE: return to_temporal(a, v, SQLALC_V_DATE);
    case SQLALC_TYPE_TIME: return to_temporal(a, v, SQLALC_V_TIME);
    case SQLALC_TYPE_DATETIME: return to_temporal(a, v, SQLALC_V_DATETIME);
    default: return SQLALC_OK;
    }
}

static inline const sqlalc__coltype *coltype_of(const sqlalc_result *res, int i)
{
    return res->ctypes && i < res->nctypes && res->ctypes[i].kind ? &res->ctypes[i] : NULL;
}

static sqlalc__arena *arena_of(const sqlalc_row *row);

static int is_bytes(sqlalc_vtype t)
{
    return t >= SQLALC_V_TEXT && t != SQLALC_V_BOOL;
}

int sqlalc__result_buffer(sqlalc_result *res)
{
    sqlalc_rowset *rs = NULL;
    int rc = sqlalc_result_fetchmany(res, 0, &rs);
    if (rc)
        return rc;
    /* the statement ran to its end: the driver's count was kept */
    res->buf = rs;
    res->bufpos = 0;
    res->state = 0;
    res->closed = 0;
    res->fast = 0;
    if (res->rowcount < 0)
        res->rowcount = (int64_t)rs->n;
    return SQLALC_OK;
}

/* Copy the result's current live row into rs. */
static int rowset_add(sqlalc_rowset *rs, sqlalc_result *res)
{
    size_t nc = (size_t)rs->ncols;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 16;
        sqlalc_value *v = sqlalc__realloc(rs->vals, cap * (nc ? nc : 1) * sizeof *v);
        if (!v)
            return SQLALC_ERR_NOMEM;
        rs->vals = v;
        rs->cap = cap;
    }
    sqlalc_value *dst = rs->vals + rs->n * nc;
    for (size_t i = 0; i < nc; i++) {
        int rc = SQLALC_OK;
        const sqlalc__coltype *ct = NULL;
        if (res->row.rs) /* a stored row (buffered): converted already */
            dst[i] = res->row.vals[i];
        else {
            rc = res->drv->column_value(res->st, (int)i, &dst[i]);
            ct = rc ? NULL : coltype_of(res, (int)i);
        }
        if (ct)
            rc = convert_value(ct, &dst[i], &rs->arena);
        if (rc)
            return rc;
        if (is_bytes(dst[i].type) && dst[i].u.s.p) {
            size_t n = dst[i].u.s.len == SQLALC_NTS ? strlen(dst[i].u.s.p) : dst[i].u.s.len;
            const char *copy = arena_copy(&rs->arena, dst[i].u.s.p, n);
            if (!copy)
                return SQLALC_ERR_NOMEM;
            dst[i].u.s.p = copy;
            dst[i].u.s.len = n;
        }
    }
    rs->n++;
    return SQLALC_OK;
}

/* A rowset with the result's column names (copied: they outlive it). */
static int rowset_new(sqlalc_result *res, size_t cap, sqlalc_rowset **out)
{
    sqlalc_rowset *rs = sqlalc__calloc(1, sizeof *rs);
    if (!rs)
        return SQLALC_ERR_NOMEM;
    rs->ncols = res->ncols;
    int rc = SQLALC_OK;
    if (res->ncols) {
        rs->names = sqlalc__calloc((size_t)res->ncols, sizeof *rs->names);
        if (!rs->names)
            rc = SQLALC_ERR_NOMEM;
        for (int i = 0; rc == SQLALC_OK && i < res->ncols; i++) {
            const char *n = res->buf  ? res->buf->names[i]
                            : res->st ? res->drv->column_name(res->st, i)
                                      : NULL;
            if (!(rs->names[i] = arena_copy(&rs->arena, n ? n : "", n ? strlen(n) : 0)))
                rc = SQLALC_ERR_NOMEM;
        }
    }
    if (rc == SQLALC_OK && cap) {
        rs->vals = sqlalc__calloc(cap * (size_t)(res->ncols ? res->ncols : 1), sizeof *rs->vals);
        rs->cap = cap;
        if (!rs->vals)
            rc = SQLALC_ERR_NOMEM;
    }
    if (rc) {
        sqlalc_rowset_free(rs);
        return rc;
    }
    *out = rs;
    return SQLALC_OK;
}

/* Row handles of a filled rowset. */
static int rowset_finish(sqlalc_rowset *rs)
{
    if (!rs->n)
        return SQLALC_OK;
    rs->rows = sqlalc__calloc(rs->n, sizeof *rs->rows);
    if (!rs->rows)
        return SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < rs->n; i++) {
        rs->rows[i].vals = rs->vals + i * (size_t)rs->ncols;
        rs->rows[i].rs = rs;
    }
    return SQLALC_OK;
}

/* The current live row copied into a one-row rowset. */
static int copy_current(sqlalc_result *res, sqlalc_rowset **out)
{
    sqlalc_rowset *rs;
    int rc = rowset_new(res, 1, &rs);
    if (rc)
        return rc;
    rc = rowset_add(rs, res);
    if (!rc)
        rc = rowset_finish(rs);
    if (rc) {
        sqlalc_rowset_free(rs);
        return rc;
    }
    *out = rs;
    return SQLALC_OK;
}

/*
 * Before reading past the current row for the caller (fetchmany, one …),
 * copy it: the row handle next() gave out keeps its values until the next
 * sqlalc_result_next(), instead of showing another row's.
 */
static int keep_current_row(sqlalc_result *res)
{
    if (!res->row.st)
        return SQLALC_OK; /* no live current row handed out */
    sqlalc_rowset *rs;
    int rc = copy_current(res, &rs);
    if (rc)
        return rc;
    sqlalc_rowset_free(res->snap);
    res->snap = rs;
    res->row.rs = rs;
    res->row.vals = rs->vals;
    res->row.st = NULL;
    res->fast = 0;
    return SQLALC_OK;
}

int sqlalc_result_fetchmany(sqlalc_result *res, size_t max, sqlalc_rowset **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "fetchmany: out is NULL");
    *out = NULL;
    if (!res)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "fetchmany: result is NULL");
    int rc = keep_current_row(res);
    sqlalc_rowset *rs = NULL;
    if (rc == SQLALC_OK)
        rc = rowset_new(res, 0, &rs);
    /* next() resets the row handle: put the copy back afterwards. */
    sqlalc_row saved = res->row;
    while (rc == SQLALC_OK && (max == 0 || rs->n < max)) {
        rc = sqlalc_result_next(res, NULL);
        if (rc == SQLALC_DONE) {
            rc = SQLALC_OK;
            break;
        }
        if (rc == SQLALC_ROW)
            rc = rowset_add(rs, res);
    }
    res->row = saved;
    res->fast = 0; /* the handle is the copy (or no row): next() must reset it */
    if (rc == SQLALC_OK)
        rc = rowset_finish(rs);
    if (rc != SQLALC_OK) {
        sqlalc_rowset_free(rs);
        return rc;
    }
    *out = rs;
    return SQLALC_OK;
}

int sqlalc_result_fetchall(sqlalc_result *res, sqlalc_rowset **out)
{
    return sqlalc_result_fetchmany(res, 0, out);
}

int sqlalc_result_all(sqlalc_result *res, sqlalc_rowset **out)
{
    int rc = sqlalc_result_fetchmany(res, 0, out);
    if (res)
        close_result(res);
    return rc;
}

/* ------------------------------------------------------------------ */
/* one / first / scalar                                                */
/* ------------------------------------------------------------------ */

enum { WANT_FIRST, WANT_ONE, WANT_ONE_OR_NONE };

/*
 * The shared body of first / one / one_or_none and their scalar forms:
 * read the next row, copy it into res->kept, read one more when the
 * count matters, close the result.  SQLALC_OK with *row, SQLALC_DONE
 * (no row: first and one_or_none), or an error.
 */
static int take_row(sqlalc_result *res, int want, const char *what, const sqlalc_row **row)
{
    *row = NULL;
    if (!res)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: result is NULL", what);
    int rc = keep_current_row(res);
    sqlalc_row saved = res->row;
    if (rc == SQLALC_OK)
        rc = sqlalc_result_next(res, NULL);
    if (rc == SQLALC_ROW) {
        sqlalc_rowset *rs;
        rc = copy_current(res, &rs);
        if (rc == SQLALC_OK) {
            sqlalc_rowset_free(res->kept);
            res->kept = rs;
            if (want != WANT_FIRST) {
                rc = sqlalc_result_next(res, NULL);
                if (rc == SQLALC_ROW)
                    rc = sqlalc_error_set(SQLALC_ERR_MULTIPLE_RESULTS,
                                          "%s: the query returned more than one row", what);
                else if (rc == SQLALC_DONE)
                    rc = SQLALC_OK;
            }
            if (rc == SQLALC_OK)
                *row = &rs->rows[0];
        }
    } else if (rc == SQLALC_DONE && want == WANT_ONE)
        rc = sqlalc_error_set(SQLALC_ERR_NO_RESULT, "%s: the query returned no row", what);
    res->row = saved;
    res->fast = 0; /* the handle is the copy (or no row): next() must reset it */
    close_result(res);
    return rc;
}

int sqlalc_result_first(sqlalc_result *res, const sqlalc_row **row)
{
    if (!row)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "first: row is NULL");
    return take_row(res, WANT_FIRST, "first", row);
}

int sqlalc_result_one(sqlalc_result *res, const sqlalc_row **row)
{
    if (!row)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "one: row is NULL");
    return take_row(res, WANT_ONE, "one", row);
}

int sqlalc_result_one_or_none(sqlalc_result *res, const sqlalc_row **row)
{
    if (!row)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "one_or_none: row is NULL");
    return take_row(res, WANT_ONE_OR_NONE, "one_or_none", row);
}

static int take_scalar(sqlalc_result *res, int want, const char *what, sqlalc_value *out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: out is NULL", what);
    *out = SQLALC_NULLV;
    const sqlalc_row *row;
    int rc = take_row(res, want, what, &row);
    if (rc == SQLALC_OK) {
        if (row->rs->ncols == 0)
            return sqlalc_error_set(SQLALC_ERR_INTERFACE, "%s: the statement returns no columns", what);
        *out = row->vals[0];
    }
    return rc;
}

int sqlalc_result_scalar(sqlalc_result *res, sqlalc_value *out)
{
    return take_scalar(res, WANT_FIRST, "scalar", out);
}

int sqlalc_result_scalar_one(sqlalc_result *res, sqlalc_value *out)
{
    return take_scalar(res, WANT_ONE, "scalar_one", out);
}

int sqlalc_result_scalar_one_or_none(sqlalc_result *res, sqlalc_value *out)
{
    return take_scalar(res, WANT_ONE_OR_NONE, "scalar_one_or_none", out);
}

/* ------------------------------------------------------------------ */
/* Row getters                                                         */
/* ------------------------------------------------------------------ */

int sqlalc_row_count(const sqlalc_row *row)
{
    if (!row)
        return 0;
    return row->rs ? row->rs->ncols : row->res->ncols;
}

static int check_index_slow(const sqlalc_row *row, int i)
{
    if (!row)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "row is NULL");
    int n = sqlalc_row_count(row);
    if (i < 0 || i >= n)
        return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column %d in row (it has %d)", i, n);
    if (!row->rs && !row->st)
        return sqlalc_error_set(SQLALC_ERR_CLOSED,
                                "the row is no longer current (the result moved on or closed)");
    return SQLALC_OK;
}

/* Every getter runs this: keep the common case (a live, current row)
 * to two compares. */
static inline int check_index(const sqlalc_row *row, int i)
{
    if (row && row->st && (unsigned)i < (unsigned)row->ncols)
        return SQLALC_OK;
    return check_index_slow(row, i);
}

int sqlalc__row_value(const sqlalc_row *row, int i, sqlalc_value *v)
{
    int rc = check_index(row, i);
    if (rc)
        return rc;
    if (row->rs) {
        *v = row->vals[i];
        return SQLALC_OK;
    }
    rc = row->res->drv->column_value(row->st, i, v);
    const sqlalc__coltype *ct = rc ? NULL : coltype_of(row->res, i);
    if (ct && v->type != SQLALC_V_NULL)
        rc = convert_value(ct, v, arena_of(row));
    return rc;
}

int sqlalc_row_get_value(const sqlalc_row *row, int i, sqlalc_value *out)
{
    return sqlalc__row_value(row, i, out);
}

/* Where text made for a row lives: the rowset's arena (as long as the
 * rowset), or the result's, emptied when the live row changes. */
static sqlalc__arena *arena_of(const sqlalc_row *row)
{
    if (row->rs)
        return &((sqlalc_rowset *)row->rs)->arena;
    row->res->fast = 0; /* the next step empties it */
    return &row->res->conv;
}

static int type_error(const sqlalc_row *row, int i, const sqlalc_value *v, const char *want)
{
    const char *name = NULL;
    if (row->rs)
        name = row->rs->names ? row->rs->names[i] : NULL;
    else if (row->res->st)
        name = row->res->drv->column_name(row->res->st, i);
    return sqlalc_error_set(SQLALC_ERR_TYPE, "column %d (%s) holds %s, which cannot be read as %s", i,
                            name ? name : "?", sqlalc_vtype_name(v->type), want);
}

static int parse_int(const char *p, size_t n, int64_t *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, p, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    long long x = strtoll(buf, &end, 10);
    if (!errno && *end == 0) {
        *out = x;
        return 1;
    }
    /* "12.000" from NUMERIC columns */
    double d = strtod(buf, &end);
    if (*end == 0 && d == floor(d) && fabs(d) < 9.2e18) {
        *out = (int64_t)d;
        return 1;
    }
    return 0;
}

/* The typed getters come in two halves: a small fast path (a live row and
 * the driver's typed accessor) that compiles without register spills, and
 * a cold general path with checks, conversions and error messages. */
#if defined(__GNUC__)
#    define GETTER_COLD __attribute__((noinline, cold))
#else
#    define GETTER_COLD
#endif
#define LIVE_ROW(row, i) ((row) && (row)->st && (unsigned)(i) < (unsigned)(row)->ncols)

/* Value conversions shared by the row getters and sqlalc_value_get_*:
 * SQLALC_OK, or SQLALC_ERR_TYPE with no message recorded. */
static int value_int64(const sqlalc_value *v, int64_t *out)
{
    switch (v->type) {
    case SQLALC_V_INT:
    case SQLALC_V_BOOL: *out = v->u.i; return SQLALC_OK;
    case SQLALC_V_FLOAT:
        if (v->u.f == floor(v->u.f) && fabs(v->u.f) < 9.2e18) {
            *out = (int64_t)v->u.f;
            return SQLALC_OK;
        }
        break;
    case SQLALC_V_NUMERIC:
        if (v->u.s.p && parse_int(v->u.s.p, v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len, out))
            return SQLALC_OK;
        break;
    default: break;
    }
    return SQLALC_ERR_TYPE;
}

static int value_double(const sqlalc_value *v, double *out)
{
    switch (v->type) {
    case SQLALC_V_INT:
    case SQLALC_V_BOOL: *out = (double)v->u.i; return SQLALC_OK;
    case SQLALC_V_FLOAT: *out = v->u.f; return SQLALC_OK;
    case SQLALC_V_NUMERIC: {
        char buf[128], *end;
        size_t n = !v->u.s.p ? 0 : v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
        if (n && n < sizeof buf) {
            memcpy(buf, v->u.s.p, n);
            buf[n] = 0;
            *out = strtod(buf, &end);
            if (*end == 0)
                return SQLALC_OK;
        }
        break;
    }
    default: break;
    }
    return SQLALC_ERR_TYPE;
}

int sqlalc_value_get_int64(const sqlalc_value *v, int64_t *out)
{
    if (!v || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "value_get_int64: NULL argument");
    if (value_int64(v, out) == SQLALC_OK)
        return SQLALC_OK;
    return sqlalc_error_set(SQLALC_ERR_TYPE, "a %s value cannot be read as an integer",
                            sqlalc_vtype_name(v->type));
}

int sqlalc_value_get_double(const sqlalc_value *v, double *out)
{
    if (!v || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "value_get_double: NULL argument");
    if (value_double(v, out) == SQLALC_OK)
        return SQLALC_OK;
    return sqlalc_error_set(SQLALC_ERR_TYPE, "a %s value cannot be read as a float",
                            sqlalc_vtype_name(v->type));
}

GETTER_COLD static int get_int64_slow(const sqlalc_row *row, int i, int64_t *out)
{
    sqlalc_value v;
    int rc = sqlalc__row_value(row, i, &v);
    if (rc)
        return rc;
    if (value_int64(&v, out) == SQLALC_OK)
        return SQLALC_OK;
    return type_error(row, i, &v, "an integer");
}

int sqlalc_row_get_int64(const sqlalc_row *row, int i, int64_t *out)
{
    if (LIVE_ROW(row, i)) {
        int rc = row->get_int64(row->st, i, out);
        if (rc != SQLALC_ERR_TYPE) /* OK, or the row could not be read */
            return rc;
    }
    return get_int64_slow(row, i, out);
}

GETTER_COLD static int get_double_slow(const sqlalc_row *row, int i, double *out)
{
    sqlalc_value v;
    int rc = sqlalc__row_value(row, i, &v);
    if (rc)
        return rc;
    if (value_double(&v, out) == SQLALC_OK)
        return SQLALC_OK;
    return type_error(row, i, &v, "a float");
}

int sqlalc_row_get_double(const sqlalc_row *row, int i, double *out)
{
    if (LIVE_ROW(row, i)) {
        int rc = row->get_double(row->st, i, out);
        if (rc != SQLALC_ERR_TYPE) /* OK, or the row could not be read */
            return rc;
    }
    return get_double_slow(row, i, out);
}

int sqlalc_row_get_bool(const sqlalc_row *row, int i, int *out)
{
    sqlalc_value v;
    int rc = sqlalc__row_value(row, i, &v);
    if (rc)
        return rc;
    if (v.type == SQLALC_V_INT || v.type == SQLALC_V_BOOL) {
        *out = v.u.i != 0;
        return SQLALC_OK;
    }
    if (v.type == SQLALC_V_FLOAT) {
        *out = v.u.f != 0;
        return SQLALC_OK;
    }
    return type_error(row, i, &v, "a boolean");
}

GETTER_COLD static int get_text_slow(const sqlalc_row *row, int i, const char **out, size_t *len)
{
    sqlalc_value v;
    int rc = sqlalc__row_value(row, i, &v);
    if (rc)
        return rc;
    char buf[64];
    size_t n = 0;
    switch (v.type) {
    case SQLALC_V_NULL:
        *out = NULL;
        if (len)
            *len = 0;
        return SQLALC_OK;
    case SQLALC_V_INT: n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)v.u.i); break;
    case SQLALC_V_BOOL: n = (size_t)snprintf(buf, sizeof buf, "%s", v.u.i ? "true" : "false"); break;
    case SQLALC_V_FLOAT:
        /* shortest form that reads back the same */
        for (int prec = 15; prec <= 17; prec++) {
            n = (size_t)snprintf(buf, sizeof buf, "%.*g", prec, v.u.f);
            if (strtod(buf, NULL) == v.u.f)
                break;
        }
        break;
    case SQLALC_V_BLOB: {
        /* PostgreSQL's bytea text form, the same on every backend */
        static const char hex[] = "0123456789abcdef";
        const unsigned char *p = (const unsigned char *)v.u.s.p;
        size_t bl = v.u.s.len;
        if (bl > (SIZE_MAX - 3) / 2)
            return sqlalc_error_set(SQLALC_ERR_DATA, "column %d: blob too large to show as text", i);
        char *d = arena_alloc(arena_of(row), 2 * bl + 3);
        if (!d)
            return SQLALC_ERR_NOMEM;
        d[0] = '\\';
        d[1] = 'x';
        for (size_t k = 0; k < bl; k++) {
            d[2 + 2 * k] = hex[p[k] >> 4];
            d[3 + 2 * k] = hex[p[k] & 15];
        }
        d[2 + 2 * bl] = 0;
        *out = d;
        if (len)
            *len = 2 + 2 * bl;
        return SQLALC_OK;
    }
    default:
        *out = v.u.s.p;
        if (len)
            *len = v.u.s.len == SQLALC_NTS ? strlen(v.u.s.p) : v.u.s.len;
        return SQLALC_OK;
    }
    char *d = arena_copy(arena_of(row), buf, n);
    if (!d)
        return SQLALC_ERR_NOMEM;
    *out = d;
    if (len)
        *len = n;
    return SQLALC_OK;
}

int sqlalc_row_get_text(const sqlalc_row *row, int i, const char **out, size_t *len)
{
    if (LIVE_ROW(row, i)) {
        int rc = row->get_text(row->st, i, out, len);
        if (rc != SQLALC_ERR_TYPE) /* OK, or the row could not be read */
            return rc;
    }
    return get_text_slow(row, i, out, len);
}

int sqlalc_row_get_blob(const sqlalc_row *row, int i, const void **out, size_t *len)
{
    sqlalc_value v;
    int rc = sqlalc__row_value(row, i, &v);
    if (rc)
        return rc;
    if (v.type == SQLALC_V_NULL) {
        *out = NULL;
        if (len)
            *len = 0;
        return SQLALC_OK;
    }
    if (v.type < SQLALC_V_TEXT || v.type == SQLALC_V_BOOL)
        return type_error(row, i, &v, "bytes");
    *out = v.u.s.p;
    if (len)
        *len = v.u.s.len == SQLALC_NTS ? strlen(v.u.s.p) : v.u.s.len;
    return SQLALC_OK;
}

int sqlalc_row_is_null(const sqlalc_row *row, int i)
{
    sqlalc_value v;
    return sqlalc__row_value(row, i, &v) == SQLALC_OK && v.type == SQLALC_V_NULL;
}

int sqlalc_row_index(const sqlalc_row *row, const char *name)
{
    if (!row || !name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "row_index: NULL argument");
        return -1;
    }
    if (row->rs) {
        for (int i = 0; i < row->rs->ncols; i++)
            if (!strcmp(row->rs->names[i], name))
                return i;
        for (int i = 0; i < row->rs->ncols; i++)
            if (!sqlalc__strcasecmp(row->rs->names[i], name))
                return i;
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column named '%s' in the row", name);
        return -1;
    }
    int i = find_column(row->res, name);
    return i < 0 ? -1 : i;
}

int64_t sqlalc_row_int64(const sqlalc_row *row, int i)
{
    int64_t v = 0;
    return sqlalc_row_get_int64(row, i, &v) == SQLALC_OK ? v : 0;
}

double sqlalc_row_double(const sqlalc_row *row, int i)
{
    double v = 0;
    return sqlalc_row_get_double(row, i, &v) == SQLALC_OK ? v : 0.0;
}

const char *sqlalc_row_text(const sqlalc_row *row, int i)
{
    const char *s = NULL;
    return sqlalc_row_get_text(row, i, &s, NULL) == SQLALC_OK ? s : NULL;
}

int64_t sqlalc_row_int64_by_name(const sqlalc_row *row, const char *name)
{
    int i = sqlalc_row_index(row, name);
    return i < 0 ? 0 : sqlalc_row_int64(row, i);
}

double sqlalc_row_double_by_name(const sqlalc_row *row, const char *name)
{
    int i = sqlalc_row_index(row, name);
    return i < 0 ? 0.0 : sqlalc_row_double(row, i);
}

const char *sqlalc_row_text_by_name(const sqlalc_row *row, const char *name)
{
    int i = sqlalc_row_index(row, name);
    return i < 0 ? NULL : sqlalc_row_text(row, i);
}

int sqlalc_row_is_null_by_name(const sqlalc_row *row, const char *name)
{
    int i = sqlalc_row_index(row, name);
    return i < 0 ? 0 : sqlalc_row_is_null(row, i);
}

const char *sqlalc_vtype_name(sqlalc_vtype t)
{
    static const char *const names[] = { "NULL", "INT",  "FLOAT",    "TEXT",     "BLOB", "BOOL", "NUMERIC",
                                         "DATE", "TIME", "DATETIME", "INTERVAL", "JSON", "UUID" };
    return (unsigned)t < SQLALC_ARRAY_LEN(names) ? names[t] : "UNKNOWN";
}

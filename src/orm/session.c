/* Session: tracked objects, identity map, transaction, loading rows, queries. */
#include <stdlib.h>
#include "orm_int.h"

/* ------------------------------------------------------------------ */
/* Identity map                                                        */
/* ------------------------------------------------------------------ */

static uint64_t hash_bytes(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211u;
    /* FNV's multiplications carry upward only: mix the high bits back into
     * the low ones the table indexes by (murmur3's finaliser) */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

static idslot *idmap_slot(idmap *im, uint64_t h, const char *key, size_t len)
{
    size_t i = (size_t)(h & (im->cap - 1));
    for (;;) {
        idslot *sl = &im->slots[i];
        if (!sl->st ||
            (sl->h == h && sl->st != (ostate *)im && sl->st->keylen == len && !memcmp(sl->st->key, key, len)))
            return sl;
        i = (i + 1) & (im->cap - 1);
    }
}

ostate *idmap_get(idmap *im, const char *key, size_t len)
{
    if (!im->cap)
        return NULL;
    return idmap_slot(im, hash_bytes(key, len), key, len)->st;
}

/* Deleted slots hold the map's own address (a tombstone), so probing
 * continues past them; they are dropped when the table grows. */
static int idmap_room(idmap *im)
{
    if ((im->n + 1) * 2 > im->cap) {
        size_t nc = im->cap ? im->cap * 2 : 64;
        idslot *ns = sqlalc_malloc(nc * sizeof *ns);
        if (!ns)
            return orm_err(SQLALC_ERR_NOMEM, "out of memory");
        memset(ns, 0, nc * sizeof *ns);
        idmap old = *im;
        im->slots = ns;
        im->cap = nc;
        im->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].st && old.slots[i].st != (ostate *)im) {
                /* a fresh table holds no duplicates: the first free slot */
                size_t j = (size_t)(old.slots[i].h & (nc - 1));
                while (ns[j].st)
                    j = (j + 1) & (nc - 1);
                ns[j] = old.slots[i];
                im->n++;
            }
        sqlalc_free(old.slots);
    }
    return SQLALC_OK;
}

idslot *idmap_reserve(idmap *im, const char *key, size_t len, uint64_t *h)
{
    if (idmap_room(im) != SQLALC_OK)
        return NULL;
    *h = hash_bytes(key, len);
    return idmap_slot(im, *h, key, len);
}

void idmap_fill(idmap *im, idslot *sl, uint64_t h, ostate *st)
{
    if (!sl->st)
        im->n++;
    sl->h = h;
    sl->st = st;
}

int idmap_put(idmap *im, ostate *st)
{
    if (idmap_room(im) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    uint64_t h = hash_bytes(st->key, st->keylen);
    idslot *sl = idmap_slot(im, h, st->key, st->keylen);
    if (!sl->st)
        im->n++;
    sl->h = h;
    sl->st = st;
    return SQLALC_OK;
}

void idmap_del(idmap *im, ostate *st)
{
    if (!im->cap || !st->key)
        return;
    idslot *sl = idmap_slot(im, hash_bytes(st->key, st->keylen), st->key, st->keylen);
    if (sl->st == st)
        sl->st = (ostate *)im; /* tombstone; still counted until the next growth */
}

/* ------------------------------------------------------------------ */
/* Session                                                             */
/* ------------------------------------------------------------------ */

int sqlalc_session_new(sqlalc_engine *eng, sqlalc_session **out)
{
    if (!out)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_new: NULL out");
    *out = NULL;
    if (!eng)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_new: NULL engine");
    sqlalc_session *s = orm_zalloc(sizeof *s);
    if (!s)
        return SQLALC_ERR_NOMEM;
    s->eng = eng;
    s->autoflush = 1;
    s->returning = -1;
    *out = s;
    return SQLALC_OK;
}

void state_destroy(ostate *st)
{
    rels_expire(st);
    obj_free_fields(st->m, OBJ(st));
    snap_free(st->snap, st->m->nfields);
    snap_free(st->base, st->m->nfields);
    st_key_free(st);
    st->magic = 0;
    sqlalc_free(st);
}

void sqlalc_session_free(sqlalc_session *s)
{
    if (!s)
        return;
    if (s->tx)
        (void)sqlalc_tx_rollback(s->tx);
    sqlalc_conn_close(s->conn);
    for (size_t i = 0; i < s->n; i++)
        state_destroy(s->objs[i]);
    sqlalc_free(s->objs);
    sqlalc_free(s->map.slots);
    sqlalc_free(s);
}

void sqlalc_session_set_autoflush(sqlalc_session *s, int on)
{
    if (s)
        s->autoflush = on;
}

int sess_begin(sqlalc_session *s)
{
    if (s->tx)
        return SQLALC_OK;
    int rc = SQLALC_OK;
    if (!s->conn)
        rc = sqlalc_engine_connect(s->eng, &s->conn);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_begin(s->conn, &s->tx);
    if (rc != SQLALC_OK) {
        sqlalc_conn_close(s->conn);
        s->conn = NULL;
        s->tx = NULL;
    }
    return rc;
}

int sqlalc_session_connection(sqlalc_session *s, sqlalc_conn **out)
{
    if (!s || !out)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_connection: NULL argument");
    int rc = sess_begin(s);
    *out = rc == SQLALC_OK ? s->conn : NULL;
    return rc;
}

int sess_track(sqlalc_session *s, ostate *st)
{
    if (orm_grow((void **)&s->objs, &s->cap, s->n + 1, sizeof(void *)) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    st->s = s;
    st->seq = s->n;
    s->objs[s->n++] = st;
    return SQLALC_OK;
}

void *sqlalc_session_new_object(sqlalc_session *s, const sqlalc_orm_mapper *m)
{
    if (!s || !m) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_new_object: NULL argument");
        return NULL;
    }
    ostate *st = obj_alloc(m);
    if (!st)
        return NULL;
    if (sess_track(s, st) != SQLALC_OK) {
        state_destroy(st);
        return NULL;
    }
    st->status = OS_PENDING;
    return OBJ(st);
}

static ostate *checked(const void *obj)
{
    if (!obj)
        return NULL;
    ostate *st = ST(obj);
    return st->magic == OMAGIC ? st : NULL;
}

int sqlalc_session_add(sqlalc_session *s, void *obj)
{
    ostate *st = checked(obj);
    if (!s || !st)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_add: NULL session or not an ORM object");
    if (st->s && st->s != s)
        return orm_err(SQLALC_ERR_INTERFACE, "sqlalc_session_add: the %s object belongs to another session",
                       st->m->name);
    if (!st->s && sess_track(s, st) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    if (st->status == OS_TRANSIENT)
        st->status = OS_PENDING;
    if (st->status == OS_DELETED)
        return orm_err(SQLALC_ERR_INTERFACE, "sqlalc_session_add: the %s object was deleted", st->m->name);
    st->marked_delete = 0;
    return SQLALC_OK;
}

int sqlalc_session_delete(sqlalc_session *s, void *obj)
{
    ostate *st = checked(obj);
    if (!s || !st || st->s != s)
        return orm_err(SQLALC_ERR_INTERFACE, "sqlalc_session_delete: the object is not in this session");
    if (st->status == OS_PENDING)
        st->status = OS_TRANSIENT; /* never written: just forget it */
    else if (st->status == OS_PERSISTENT)
        st->marked_delete = 1;
    return SQLALC_OK;
}

int sqlalc_session_flush(sqlalc_session *s)
{
    if (!s)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_flush: NULL session");
    return sess_flush(s);
}

static void end_tx(sqlalc_session *s)
{
    sqlalc_conn_close(s->conn);
    s->conn = NULL;
    s->tx = NULL;
}

int sqlalc_session_commit(sqlalc_session *s)
{
    if (!s)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_commit: NULL session");
    int rc = sess_flush(s);
    if (rc != SQLALC_OK)
        return rc;
    if (!s->tx)
        return SQLALC_OK;
    rc = sqlalc_tx_commit(s->tx);
    s->tx = NULL;
    if (rc != SQLALC_OK) {
        end_tx(s);
        (void)sqlalc_session_rollback(s); /* the commit rolled back: so does the session */
        return rc;
    }
    end_tx(s);
    for (size_t i = 0; i < s->n; i++) {
        ostate *st = s->objs[i];
        snap_free(st->base, st->m->nfields);
        st->base = NULL;
        st->inserted_in_tx = st->deleted_in_tx = 0;
    }
    return SQLALC_OK;
}

int sqlalc_session_rollback(sqlalc_session *s)
{
    if (!s)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_rollback: NULL session");
    int rc = SQLALC_OK;
    if (s->tx)
        rc = sqlalc_tx_rollback(s->tx);
    s->tx = NULL;
    end_tx(s);
    for (size_t i = 0; i < s->n; i++) {
        ostate *st = s->objs[i];
        const sqlalc_orm_mapper *m = st->m;
        void *obj = OBJ(st);
        if (st->inserted_in_tx) {
            /* its INSERT is undone: transient again, generated keys forgotten */
            idmap_del(&s->map, st);
            st_key_free(st);
            for (size_t k = 0; k < m->npk; k++)
                if (m->generated[m->pk[k]] == 1) {
                    ov z = { 0, 0, 0.0, NULL };
                    (void)ov_write(m, obj, m->pk[k], &z);
                }
            snap_free(st->snap, m->nfields);
            snap_free(st->base, m->nfields);
            st->snap = st->base = NULL;
            st->status = OS_TRANSIENT;
            st->inserted_in_tx = 0;
            continue;
        }
        if (st->status == OS_PENDING)
            st->status = OS_TRANSIENT; /* SQLAlchemy expunges pending objects */
        if (st->deleted_in_tx && st->status == OS_DELETED) {
            st->status = OS_PERSISTENT;
            if (st->key)
                (void)idmap_put(&s->map, st);
        }
        st->deleted_in_tx = 0;
        st->marked_delete = 0;
        if (st->base) {
            snap_free(st->snap, m->nfields);
            st->snap = st->base;
            st->base = NULL;
        }
        if (st->snap && st->status == OS_PERSISTENT)
            for (size_t f = 0; f < m->nfields; f++) {
                ov cur;
                ov_read(m, obj, f, &cur);
                if (!ov_equal(&cur, &st->snap[f]))
                    (void)ov_write(m, obj, f, &st->snap[f]);
            }
        memset(st->rel_set, 0, m->nrels ? m->nrels : 1);
        if (st->status == OS_PERSISTENT)
            rels_expire(st); /* reloaded on next access, as SQLAlchemy expires them */
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Loading rows                                                        */
/* ------------------------------------------------------------------ */

/* Read field fi of row column col into *v (text borrowed from the row). */
static int row_ov(const sqlalc_orm_mapper *m, size_t fi, const sqlalc_row *row, int col, ov *v)
{
    sqlalc_value x;
    int rc = sqlalc_row_get_value(row, col, &x);
    if (rc != SQLALC_OK)
        return rc;
    if (m->fields[fi].kind == SQLALC_ORM_TEXT && x.type != SQLALC_V_NULL &&
        (x.type == SQLALC_V_INT || x.type == SQLALC_V_FLOAT || x.type == SQLALC_V_BOOL)) {
        /* a number read into a text field: its text form */
        const char *t;
        rc = sqlalc_row_get_text(row, col, &t, NULL);
        if (rc != SQLALC_OK)
            return rc;
        memset(v, 0, sizeof *v);
        v->s = (char *)(uintptr_t)t;
        v->null = t == NULL;
        return SQLALC_OK;
    }
    if (m->fields[fi].kind == SQLALC_ORM_TEXT && x.type != SQLALC_V_NULL) {
        const char *t;
        rc = sqlalc_row_get_text(row, col, &t, NULL); /* NUL-terminated */
        if (rc != SQLALC_OK)
            return rc;
        memset(v, 0, sizeof *v);
        v->s = (char *)(uintptr_t)t;
        v->null = t == NULL;
        return SQLALC_OK;
    }
    return ov_from_value(m, fi, &x, v);
}

/*
 * Turn each row of res (m's fields first, in field order, then nextra
 * more columns) into an object: the identity map's when the session has
 * it, else a new persistent one.  Objects are appended to out (when not
 * NULL); the extra columns of each row to *extra (nextra per row, text
 * copied) when extra is not NULL.
 */
int sess_load_rows(sqlalc_session *s, const sqlalc_orm_mapper *m, sqlalc_result *res, size_t nextra,
                   const sqlalc_orm_mapper *em, const size_t *ef, sqlalc_orm_list *out, ov **extra,
                   size_t *nrows)
{
    const sqlalc_row *row;
    int rc;
    size_t cap_extra = 0, n = 0;
    ov keyv[8];
    ov *kv = m->npk <= 8 ? keyv : sqlalc_malloc(m->npk * sizeof(ov));
    if (!kv)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    if (extra)
        *extra = NULL;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        for (size_t k = 0; k < m->npk && rc == SQLALC_ROW; k++)
            if (row_ov(m, m->pk[k], row, (int)m->pk[k], &kv[k]) != SQLALC_OK)
                rc = SQLALC_ERR_TYPE;
        if (rc != SQLALC_ROW)
            break;
        char kbuf[64], *key;
        size_t klen;
        if ((rc = key_of_ovs_buf(m, kv, m->npk, kbuf, sizeof kbuf, &key, &klen)) != SQLALC_OK)
            break;
        rc = SQLALC_ROW;
        /* one probe finds the object or the slot it goes in */
        uint64_t h;
        idslot *sl = idmap_reserve(&s->map, key, klen, &h);
        if (!sl) {
            if (key != kbuf)
                sqlalc_free(key);
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        ostate *st = sl->st == (ostate *)&s->map ? NULL : sl->st;
        if (!st || st->status != OS_PERSISTENT) {
            st = obj_alloc(m);
            if (!st || st_key_set(st, key, klen) != SQLALC_OK) {
                if (key != kbuf)
                    sqlalc_free(key);
                if (st)
                    state_destroy(st);
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            memset(st->rel_loaded, 0, m->nrels ? m->nrels : 1);
            void *obj = OBJ(st);
            for (size_t f = 0; f < m->nfields && rc == SQLALC_ROW; f++) {
                ov v;
                if (row_ov(m, f, row, (int)f, &v) != SQLALC_OK || ov_write(m, obj, f, &v) != SQLALC_OK)
                    rc = SQLALC_ERR_TYPE;
            }
            if (rc == SQLALC_ROW && !(st->snap = snap_take(m, obj)))
                rc = SQLALC_ERR_NOMEM;
            if (rc == SQLALC_ROW && sess_track(s, st) != SQLALC_OK)
                rc = SQLALC_ERR_NOMEM;
            if (rc != SQLALC_ROW) {
                state_destroy(st);
                break;
            }
            st->status = OS_PERSISTENT;
            idmap_fill(&s->map, sl, h, st);
        }
        if (key != kbuf)
            sqlalc_free(key);
        if (out && list_add(out, OBJ(st)) != SQLALC_OK) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        if (extra) {
            if (orm_grow((void **)extra, &cap_extra, (n + 1) * nextra, sizeof(ov)) != SQLALC_OK) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            for (size_t j = 0; j < nextra; j++) {
                ov *e = &(*extra)[n * nextra + j];
                ov tmp;
                memset(e, 0, sizeof *e);
                if (row_ov(em, ef[j], row, (int)(m->nfields + j), &tmp) != SQLALC_OK) {
                    rc = SQLALC_ERR_TYPE;
                    break;
                }
                *e = tmp;
                if (tmp.s && !(e->s = orm_strdup(tmp.s))) {
                    rc = SQLALC_ERR_NOMEM;
                    break;
                }
            }
            n++;
        }
        if (rc != SQLALC_ROW)
            break;
    }
    if (kv != keyv)
        sqlalc_free(kv);
    if (nrows)
        *nrows = n;
    if (rc == SQLALC_DONE)
        return SQLALC_OK;
    if (rc == SQLALC_ERR_TYPE || rc == SQLALC_ERR_NOMEM)
        return sqlalc_error_last()->code ? sqlalc_error_last()->code : rc;
    return rc;
}

/* ------------------------------------------------------------------ */
/* SELECTs of mapped objects                                           */
/* ------------------------------------------------------------------ */

sqlalc_stmt *sqlalc_orm_select(const sqlalc_orm_mapper *m)
{
    if (!m) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_select: NULL mapper");
        return NULL;
    }
    sqlalc_expr *small[16];
    sqlalc_expr **cols = m->nfields <= 16 ? small : sqlalc_malloc(m->nfields * sizeof(void *));
    if (!cols) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < m->nfields; i++)
        cols[i] = sqlalc_c(m->table, m->fields[i].column);
    sqlalc_exprs l = { m->nfields, cols };
    sqlalc_stmt *sel = sqlalc_select_cols(l);
    if (cols != small)
        sqlalc_free(cols);
    return sel;
}

static int autoflush(sqlalc_session *s)
{
    return s->autoflush && !s->flushing ? sess_flush(s) : SQLALC_OK;
}

/* Autoflush, then run sel (consumed) in the session's transaction. */
static int sess_run(sqlalc_session *s, sqlalc_stmt *sel, sqlalc_result **res)
{
    int rc = autoflush(s);
    if (rc == SQLALC_OK)
        rc = sess_begin(s);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute(s->conn, sel, NULL, res);
    sqlalc_stmt_free(sel);
    return rc;
}

int sqlalc_session_scalars(sqlalc_session *s, const sqlalc_orm_mapper *m, sqlalc_stmt *sel,
                           sqlalc_orm_list *out)
{
    if (!s || !m || !sel || !out) {
        sqlalc_stmt_free(sel);
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_scalars: NULL argument");
    }
    sqlalc_result *res = NULL;
    int rc = sess_run(s, sel, &res);
    if (rc == SQLALC_OK)
        rc = sess_load_rows(s, m, res, 0, NULL, NULL, out, NULL, NULL);
    sqlalc_result_free(res);
    return rc;
}

int sqlalc_session_get(sqlalc_session *s, const sqlalc_orm_mapper *m, const sqlalc_value *pk, size_t npk,
                       void **out)
{
    if (out)
        *out = NULL;
    if (!s || !m || !pk || !out)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_get: NULL argument");
    if (npk != m->npk)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_get: %s has %zu key columns, %zu values given",
                       m->name, m->npk, npk);
    ov small[8] = { { 0, 0, 0.0, NULL } }, *kv = npk <= 8 ? small : sqlalc_malloc(npk * sizeof(ov));
    if (!kv)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    int rc = SQLALC_OK;
    for (size_t k = 0; k < npk && rc == SQLALC_OK; k++)
        rc = ov_from_value(m, m->pk[k], &pk[k], &kv[k]);
    char *key = NULL;
    size_t klen = 0;
    if (rc == SQLALC_OK)
        rc = key_of_ovs(m, kv, npk, &key, &klen);
    if (kv != small)
        sqlalc_free(kv);
    if (rc != SQLALC_OK)
        return rc;
    ostate *st = idmap_get(&s->map, key, klen);
    sqlalc_free(key);
    if (st && st->status == OS_PERSISTENT) {
        *out = st->marked_delete ? NULL : OBJ(st);
        return st->marked_delete ? SQLALC_DONE : SQLALC_OK;
    }
    sqlalc_stmt *sel = sqlalc_orm_select(m);
    for (size_t k = 0; k < npk; k++)
        sel = sqlalc_where(
            sel, sqlalc_eq(sqlalc_c(m->table, m->fields[m->pk[k]].column), sqlalc_value_expr(pk[k])));
    if (!sel)
        return sqlalc_error_last()->code;
    sqlalc_orm_list l = { 0, NULL, 0 };
    rc = sqlalc_session_scalars(s, m, sel, &l);
    if (rc == SQLALC_OK && l.count)
        *out = l.items[0];
    sqlalc_orm_list_clear(&l);
    return rc == SQLALC_OK && !*out ? SQLALC_DONE : rc;
}

/* ------------------------------------------------------------------ */
/* Query                                                               */
/* ------------------------------------------------------------------ */

struct sqlalc_orm_query {
    sqlalc_session *s;
    const sqlalc_orm_mapper *m;
    sqlalc_stmt *sel;
    sqlalc_expr *from; /* the joined FROM, when joins were added */
    size_t nsel, capsel;
    orm_rel **selectin;
};

void sqlalc_orm_query_free(sqlalc_orm_query *q)
{
    if (!q)
        return;
    sqlalc_stmt_free(q->sel);
    sqlalc_expr_free(q->from);
    sqlalc_free(q->selectin);
    sqlalc_free(q);
}

sqlalc_orm_query *sqlalc_session_query(sqlalc_session *s, const sqlalc_orm_mapper *m)
{
    if (!s || !m) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_session_query: NULL argument");
        return NULL;
    }
    sqlalc_orm_query *q = orm_zalloc(sizeof *q);
    if (!q)
        return NULL;
    q->s = s;
    q->m = m;
    q->sel = sqlalc_orm_select(m);
    if (!q->sel) {
        sqlalc_free(q);
        return NULL;
    }
    return q;
}

/* Apply a generative modifier; a NULL result frees q. */
static sqlalc_orm_query *q_set(sqlalc_orm_query *q, sqlalc_stmt *sel)
{
    q->sel = sel;
    if (!sel) {
        sqlalc_orm_query_free(q);
        return NULL;
    }
    return q;
}

sqlalc_orm_query *sqlalc_orm_query_filter(sqlalc_orm_query *q, sqlalc_expr *cond)
{
    if (!q) {
        sqlalc_expr_free(cond);
        return NULL;
    }
    return q_set(q, sqlalc_where(q->sel, cond));
}

sqlalc_orm_query *sqlalc_orm_query_filter_by(sqlalc_orm_query *q, const char *column, sqlalc_value v)
{
    if (!q)
        return NULL;
    return sqlalc_orm_query_filter(q, sqlalc_eq(sqlalc_c(q->m->table, column), sqlalc_value_expr(v)));
}

sqlalc_orm_query *sqlalc_orm_query_join(sqlalc_orm_query *q, sqlalc_expr *right, sqlalc_expr *on)
{
    if (!q || !right) {
        sqlalc_expr_free(right);
        sqlalc_expr_free(on);
        sqlalc_orm_query_free(q);
        return NULL;
    }
    sqlalc_expr *left = q->from ? q->from : sqlalc_table_expr(q->m->table);
    q->from =
        on ? sqlalc_join_on(left, right, on, SQLALC_JOIN_INNER) : sqlalc_join(left, right, SQLALC_JOIN_INNER);
    if (!q->from) {
        sqlalc_orm_query_free(q);
        return NULL;
    }
    return q;
}

sqlalc_orm_query *sqlalc_orm_query_group_by(sqlalc_orm_query *q, sqlalc_exprs exprs)
{
    if (!q) {
        orm_exprs_free(exprs);
        return NULL;
    }
    return q_set(q, sqlalc_group_by(q->sel, exprs));
}

sqlalc_orm_query *sqlalc_orm_query_having(sqlalc_orm_query *q, sqlalc_expr *cond)
{
    if (!q) {
        sqlalc_expr_free(cond);
        return NULL;
    }
    return q_set(q, sqlalc_having(q->sel, cond));
}

sqlalc_orm_query *sqlalc_orm_query_order_by(sqlalc_orm_query *q, sqlalc_exprs exprs)
{
    if (!q) {
        orm_exprs_free(exprs);
        return NULL;
    }
    return q_set(q, sqlalc_order_by(q->sel, exprs));
}

sqlalc_orm_query *sqlalc_orm_query_limit(sqlalc_orm_query *q, int64_t n)
{
    return q ? q_set(q, sqlalc_limit(q->sel, n)) : NULL;
}

sqlalc_orm_query *sqlalc_orm_query_offset(sqlalc_orm_query *q, int64_t n)
{
    return q ? q_set(q, sqlalc_offset(q->sel, n)) : NULL;
}

sqlalc_orm_query *sqlalc_orm_query_selectin(sqlalc_orm_query *q, const char *rel)
{
    if (!q)
        return NULL;
    orm_rel *r = rel_find(q->m, rel);
    if (!r) {
        orm_err(SQLALC_ERR_NOT_FOUND, "selectin: %s has no relationship %s", q->m->name,
                rel ? rel : "(null)");
        sqlalc_orm_query_free(q);
        return NULL;
    }
    if (orm_grow((void **)&q->selectin, &q->capsel, q->nsel + 1, sizeof(void *)) != SQLALC_OK) {
        sqlalc_orm_query_free(q);
        return NULL;
    }
    q->selectin[q->nsel++] = r;
    return q;
}

/* Run q (not freed) into out, then its selectin loads. */
static int q_run(sqlalc_orm_query *q, sqlalc_orm_list *out)
{
    sqlalc_stmt *sel = sqlalc_stmt_ref(q->sel);
    if (q->from)
        sel = sqlalc_select_from(sel, sqlalc_expr_ref(q->from));
    if (!sel)
        return sqlalc_error_last()->code;
    int rc = sqlalc_session_scalars(q->s, q->m, sel, out);
    for (size_t i = 0; rc == SQLALC_OK && i < q->nsel; i++) {
        /* only the objects that still need it */
        size_t n = 0;
        ostate **ps = sqlalc_malloc((out->count ? out->count : 1) * sizeof(void *));
        if (!ps)
            return orm_err(SQLALC_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < out->count; j++) {
            ostate *st = ST(out->items[j]);
            if (!st->rel_loaded[q->selectin[i]->index])
                ps[n++] = st;
        }
        rc = rel_load_many(q->s, q->selectin[i], ps, n);
        sqlalc_free(ps);
    }
    return rc;
}

/* A NULL query is a chain that failed: its first error stands. */
static int null_query(const char *fn)
{
    int code = sqlalc_error_last()->code;
    return code < 0 ? code : orm_err(SQLALC_ERR_ARGUMENT, "%s: NULL query", fn);
}

int sqlalc_orm_query_all(sqlalc_orm_query *q, sqlalc_orm_list *out)
{
    if (!q)
        return null_query("sqlalc_orm_query_all");
    if (!out) {
        sqlalc_orm_query_free(q);
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_query_all: NULL query or out");
    }
    int rc = q_run(q, out);
    sqlalc_orm_query_free(q);
    return rc;
}

static int q_single(sqlalc_orm_query *q, void **out, int mode)
{
    if (out)
        *out = NULL;
    if (!q)
        return null_query("query");
    if (!out) {
        sqlalc_orm_query_free(q);
        return orm_err(SQLALC_ERR_ARGUMENT, "query: NULL out");
    }
    /* first: LIMIT 1; one / one_or_none: LIMIT 2 tells "several" apart */
    q->sel = sqlalc_limit(q->sel, mode == 0 ? 1 : 2);
    if (!q->sel) {
        sqlalc_orm_query_free(q);
        return sqlalc_error_last()->code;
    }
    sqlalc_orm_list l = { 0, NULL, 0 };
    const char *name = q->m->name;
    int rc = q_run(q, &l);
    if (rc == SQLALC_OK) {
        if (l.count > 1 && mode != 0)
            rc = orm_err(SQLALC_ERR_MULTIPLE_RESULTS,
                         "query of %s: multiple rows were found when one was required", name);
        else if (l.count == 0)
            rc = mode == 1 ? orm_err(SQLALC_ERR_NO_RESULT,
                                     "query of %s: no row was found when one was required", name)
                           : SQLALC_DONE;
        else
            *out = l.items[0];
    }
    sqlalc_orm_list_clear(&l);
    sqlalc_orm_query_free(q);
    return rc;
}

int sqlalc_orm_query_one(sqlalc_orm_query *q, void **out)
{
    return q_single(q, out, 1);
}

int sqlalc_orm_query_one_or_none(sqlalc_orm_query *q, void **out)
{
    return q_single(q, out, 2);
}

int sqlalc_orm_query_first(sqlalc_orm_query *q, void **out)
{
    return q_single(q, out, 0);
}

int sqlalc_orm_query_count(sqlalc_orm_query *q, int64_t *out)
{
    if (!q)
        return null_query("sqlalc_orm_query_count");
    if (!out) {
        sqlalc_orm_query_free(q);
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_query_count: NULL query or out");
    }
    sqlalc_stmt *inner = sqlalc_stmt_ref(q->sel);
    if (q->from)
        inner = sqlalc_select_from(inner, sqlalc_expr_ref(q->from));
    sqlalc_expr *sub = sqlalc_subquery(inner, NULL);
    sqlalc_stmt *cnt =
        sub ? sqlalc_select_from(sqlalc_select_cols(SQLALC_COLS(sqlalc_count_star())), sub) : NULL;
    sqlalc_session *s = q->s;
    sqlalc_orm_query_free(q);
    if (!cnt)
        return sqlalc_error_last()->code;
    sqlalc_result *res = NULL;
    int rc = sess_run(s, cnt, &res);
    sqlalc_value v;
    if (rc == SQLALC_OK && (rc = sqlalc_result_scalar_one(res, &v)) == SQLALC_OK)
        rc = sqlalc_value_get_int64(&v, out);
    sqlalc_result_free(res);
    return rc;
}

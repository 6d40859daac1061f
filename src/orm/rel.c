/* Relationships: loading (lazy and select-in), and changes kept in step
 * with their back-references. */
#include <stdlib.h>
#include "orm_int.h"

/* Objects per IN list of a select-in load (SQLAlchemy's chunk too). */
#define SELECTIN_CHUNK 500

void rels_expire(ostate *st)
{
    const sqlalc_orm_mapper *m = st->m;
    void *obj = OBJ(st);
    for (size_t r = 0; r < m->nrels; r++) {
        orm_rel *rel = m->rels[r];
        if (rel->scalar)
            *rel_ptr(rel, obj) = NULL;
        else
            sqlalc_orm_list_clear(rel_list(rel, obj));
        st->rel_loaded[r] = 0;
        if (st->rel_snap)
            sqlalc_orm_list_clear(&st->rel_snap[r]);
    }
    sqlalc_free(st->rel_snap);
    st->rel_snap = NULL;
}

int rel_snap_take(ostate *st, orm_rel *r)
{
    size_t nr = st->m->nrels;
    if (!st->rel_snap) {
        st->rel_snap = sqlalc_malloc(nr * sizeof(sqlalc_orm_list));
        if (!st->rel_snap)
            return orm_err(SQLALC_ERR_NOMEM, "out of memory");
        memset(st->rel_snap, 0, nr * sizeof(sqlalc_orm_list));
    }
    sqlalc_orm_list *cur = rel_list(r, OBJ(st)), *snap = &st->rel_snap[r->index];
    snap->count = 0;
    if (orm_grow((void **)&snap->items, &snap->capacity, cur->count ? cur->count : 1, sizeof(void *)) !=
        SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    if (cur->count)
        memcpy(snap->items, cur->items, cur->count * sizeof(void *));
    snap->count = cur->count;
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

typedef struct pkey {
    char *key;
    size_t len;
    ostate *st;
} pkey;

static int cmp_pkey(const void *a, const void *b)
{
    const pkey *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* A tuple's key, comparable between both sides of a join. */
static int tuple_key(const orm_rel *r, const ov *vals, char **key, size_t *len)
{
    return key_of_ovs(r->m, vals, r->ncols, key, len);
}

static int tf_is_pk(const orm_rel *r)
{
    if (r->ncols != r->target->npk)
        return 0;
    for (size_t c = 0; c < r->ncols; c++)
        if (r->tf[c] != r->target->pk[c])
            return 0;
    return 1;
}

static int set_loaded(sqlalc_session *s, orm_rel *r, ostate *p)
{
    (void)s;
    p->rel_loaded[r->index] = 1;
    if (r->secondary)
        return rel_snap_take(p, r);
    return SQLALC_OK;
}

/* WHERE cols IN (tuples), or an OR of ANDs for a composite key. */
static sqlalc_expr *match_expr(orm_rel *r, sqlalc_table *t, char *const *names, const ov *vals, size_t n)
{
    if (r->ncols == 1) {
        sqlalc_value *vs = sqlalc_malloc(n * sizeof *vs);
        if (!vs) {
            orm_err(SQLALC_ERR_NOMEM, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < n; i++)
            vs[i] = ov_value(r->m, r->lf[0], &vals[i]);
        sqlalc_expr *e = sqlalc_in_values(sqlalc_c(t, names[0]), vs, n);
        sqlalc_free(vs);
        return e;
    }
    sqlalc_expr **ors = sqlalc_malloc(n * sizeof *ors);
    sqlalc_expr **ands = sqlalc_malloc(r->ncols * sizeof *ands);
    if (!ors || !ands) {
        sqlalc_free(ors);
        sqlalc_free(ands);
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < r->ncols; c++)
            ands[c] = sqlalc_eq(sqlalc_c(t, names[c]),
                                sqlalc_value_expr(ov_value(r->m, r->lf[c], &vals[i * r->ncols + c])));
        sqlalc_exprs l = { r->ncols, ands };
        ors[i] = sqlalc_and_list(l);
    }
    sqlalc_exprs l = { n, ors };
    sqlalc_expr *e = sqlalc_or_list(l);
    sqlalc_free(ors);
    sqlalc_free(ands);
    return e;
}

/* Load r for n parents with one SELECT per SELECTIN_CHUNK of them (a
 * many-to-one whose target the identity map has needs none). */
int rel_load_many(sqlalc_session *s, orm_rel *r, ostate **parents, size_t n)
{
    const sqlalc_orm_mapper *tm = r->target;
    orm_rel *back = rel_back(r);
    int rc = SQLALC_OK;
    size_t nc = r->ncols;
    pkey *pk = sqlalc_malloc((n ? n : 1) * sizeof *pk);
    ov *vals = sqlalc_malloc((n ? n : 1) * nc * sizeof(ov));
    if (!pk || !vals) {
        sqlalc_free(pk);
        sqlalc_free(vals);
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    }
    size_t np = 0;
    for (size_t i = 0; i < n && rc == SQLALC_OK; i++) {
        ostate *p = parents[i];
        void *obj = OBJ(p);
        if (r->scalar)
            *rel_ptr(r, obj) = NULL;
        else
            rel_list(r, obj)->count = 0;
        int null = 0;
        for (size_t c = 0; c < nc; c++) {
            ov_read(r->m, obj, r->lf[c], &vals[np * nc + c]);
            null |= vals[np * nc + c].null;
        }
        if (null || p->status != OS_PERSISTENT) {
            rc = set_loaded(s, r, p); /* nothing to find */
            continue;
        }
        if (r->local_fk && tf_is_pk(r)) {
            char *key;
            size_t klen;
            if ((rc = key_of_ovs(tm, &vals[np * nc], nc, &key, &klen)) != SQLALC_OK)
                break;
            ostate *t = idmap_get(&s->map, key, klen);
            sqlalc_free(key);
            if (t && t->status == OS_PERSISTENT) {
                *rel_ptr(r, obj) = OBJ(t);
                rc = set_loaded(s, r, p);
                continue;
            }
        }
        if ((rc = tuple_key(r, &vals[np * nc], &pk[np].key, &pk[np].len)) != SQLALC_OK)
            break;
        pk[np].st = p;
        np++;
    }
    if (rc == SQLALC_OK && np)
        rc = sess_begin(s);
    /* distinct tuples, in key order (parents sharing a tuple share the rows) */
    pkey *sorted = rc == SQLALC_OK && np ? sqlalc_malloc(np * sizeof *sorted) : NULL;
    ov *uniq = rc == SQLALC_OK && np ? sqlalc_malloc(np * nc * sizeof(ov)) : NULL;
    if (rc == SQLALC_OK && np && (!sorted || !uniq))
        rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
    size_t nu = 0;
    if (rc == SQLALC_OK && np) {
        /* remember which tuple each parent had: index in vals is its order */
        for (size_t i = 0; i < np; i++) {
            sorted[i] = pk[i];
            sorted[i].st = (ostate *)(uintptr_t)i; /* position, resolved below */
        }
        qsort(sorted, np, sizeof *sorted, cmp_pkey);
        for (size_t i = 0; i < np; i++)
            if (!i || cmp_pkey(&sorted[i], &sorted[i - 1])) {
                memcpy(&uniq[nu * nc], &vals[(size_t)(uintptr_t)sorted[i].st * nc], nc * sizeof(ov));
                nu++;
            }
        for (size_t i = 0; i < np; i++)
            sorted[i].st = pk[(size_t)(uintptr_t)sorted[i].st].st;
    }
    /* the SELECT: target columns [+ the secondary's columns naming the parent] */
    char **match_cols = NULL;
    sqlalc_table *mt = r->secondary ? r->secondary : tm->table;
    size_t *ef = NULL;
    if (rc == SQLALC_OK && nu) {
        match_cols = sqlalc_malloc(nc * sizeof(char *));
        ef = sqlalc_malloc(nc * sizeof(size_t));
        if (!match_cols || !ef)
            rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
        for (size_t c = 0; rc == SQLALC_OK && c < nc; c++) {
            match_cols[c] = r->secondary ? r->sl[c] : (char *)(uintptr_t)tm->fields[r->tf[c]].column;
            ef[c] = r->lf[c];
        }
    }
    for (size_t at = 0; rc == SQLALC_OK && at < nu; at += SELECTIN_CHUNK) {
        size_t cnt = nu - at < SELECTIN_CHUNK ? nu - at : SELECTIN_CHUNK;
        sqlalc_stmt *sel = sqlalc_orm_select(tm);
        if (r->secondary) {
            sqlalc_expr **extra = sqlalc_malloc(nc * sizeof *extra);
            if (!extra) {
                sqlalc_stmt_free(sel);
                rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
                break;
            }
            for (size_t c = 0; c < nc; c++)
                extra[c] = sqlalc_c(r->secondary, r->sl[c]);
            /* SELECT target.*, secondary.sl FROM target, secondary WHERE joined */
            sqlalc_stmt *full = NULL;
            {
                size_t tot = tm->nfields + nc;
                sqlalc_expr **cols = sqlalc_malloc(tot * sizeof *cols);
                if (cols) {
                    for (size_t f = 0; f < tm->nfields; f++)
                        cols[f] = sqlalc_c(tm->table, tm->fields[f].column);
                    for (size_t c = 0; c < nc; c++)
                        cols[tm->nfields + c] = extra[c];
                    sqlalc_exprs l = { tot, cols };
                    full = sqlalc_select_cols(l);
                    sqlalc_free(cols);
                } else {
                    for (size_t c = 0; c < nc; c++)
                        sqlalc_expr_free(extra[c]);
                    orm_err(SQLALC_ERR_NOMEM, "out of memory");
                }
            }
            sqlalc_free(extra);
            sqlalc_stmt_free(sel);
            sel = full;
            for (size_t c = 0; c < nc && sel; c++)
                sel = sqlalc_where(sel, sqlalc_eq(sqlalc_c(r->secondary, r->st[c]),
                                                  sqlalc_c(tm->table, tm->fields[r->tf[c]].column)));
        }
        sel = sqlalc_where(sel, match_expr(r, mt, match_cols, &uniq[at * nc], cnt));
        /* a stable order: the target's key */
        for (size_t k = 0; k < tm->npk && sel; k++)
            sel = sqlalc_order_by(sel, SQLALC_EXPRS(sqlalc_c(tm->table, tm->fields[tm->pk[k]].column)));
        if (!sel) {
            rc = sqlalc_error_last()->code;
            break;
        }
        sqlalc_result *res = NULL;
        rc = sqlalc_conn_execute(s->conn, sel, NULL, &res);
        sqlalc_stmt_free(sel);
        sqlalc_orm_list objs = { 0, NULL, 0 };
        ov *ex = NULL;
        size_t nrows = 0;
        if (rc == SQLALC_OK)
            rc = sess_load_rows(s, tm, res, r->secondary ? nc : 0, r->m, ef, &objs, r->secondary ? &ex : NULL,
                                &nrows);
        sqlalc_result_free(res);
        ov *link = sqlalc_malloc(nc * sizeof(ov));
        if (rc == SQLALC_OK && !link)
            rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < objs.count && rc == SQLALC_OK; j++) {
            void *t = objs.items[j];
            for (size_t c = 0; c < nc; c++) {
                if (r->secondary)
                    link[c] = ex[j * nc + c];
                else
                    ov_read(tm, t, r->tf[c], &link[c]);
            }
            pkey probe;
            if ((rc = tuple_key(r, link, &probe.key, &probe.len)) != SQLALC_OK)
                break;
            /* every parent with this tuple */
            pkey *hit = bsearch(&probe, sorted, np, sizeof *sorted, cmp_pkey);
            while (hit && hit > sorted && !cmp_pkey(hit - 1, &probe))
                hit--;
            for (; hit && hit < sorted + np && !cmp_pkey(hit, &probe) && rc == SQLALC_OK; hit++) {
                void *pobj = OBJ(hit->st);
                if (r->scalar) {
                    *rel_ptr(r, pobj) = t;
                } else if (!list_has(rel_list(r, pobj), t)) {
                    rc = list_add(rel_list(r, pobj), t);
                }
                /* a one-to-many's many-to-one back-reference is known too */
                if (rc == SQLALC_OK && back && back->scalar && !r->secondary &&
                    !ST(t)->rel_set[back->index]) {
                    *rel_ptr(back, t) = pobj;
                    ST(t)->rel_loaded[back->index] = 1;
                }
            }
            sqlalc_free(probe.key);
        }
        sqlalc_free(link);
        if (ex) {
            for (size_t j = 0; j < nrows * nc; j++)
                sqlalc_free(ex[j].s);
            sqlalc_free(ex);
        }
        sqlalc_orm_list_clear(&objs);
    }
    for (size_t i = 0; rc == SQLALC_OK && i < np; i++)
        rc = set_loaded(s, r, pk[i].st);
    for (size_t i = 0; i < np; i++)
        sqlalc_free(pk[i].key);
    sqlalc_free(pk);
    sqlalc_free(vals);
    sqlalc_free(sorted);
    sqlalc_free(uniq);
    sqlalc_free(match_cols);
    sqlalc_free(ef);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Public access                                                       */
/* ------------------------------------------------------------------ */

static int lookup(const void *obj, const char *name, ostate **st, orm_rel **r)
{
    if (!obj || ST(obj)->magic != OMAGIC)
        return orm_err(SQLALC_ERR_ARGUMENT, "not an ORM object");
    *st = ST(obj);
    *r = rel_find((*st)->m, name);
    if (!*r)
        return orm_err(SQLALC_ERR_NOT_FOUND, "%s has no relationship %s", (*st)->m->name,
                       name ? name : "(null)");
    return SQLALC_OK;
}

static int ensure_loaded(ostate *st, orm_rel *r)
{
    if (st->rel_loaded[r->index])
        return SQLALC_OK;
    if (!st->s || st->status != OS_PERSISTENT) {
        st->rel_loaded[r->index] = 1;
        return SQLALC_OK;
    }
    return rel_load_many(st->s, r, &st, 1);
}

int sqlalc_orm_load(void *obj, const char *rel)
{
    ostate *st;
    orm_rel *r;
    int rc = lookup(obj, rel, &st, &r);
    return rc == SQLALC_OK ? ensure_loaded(st, r) : rc;
}

int sqlalc_orm_is_loaded(const void *obj, const char *rel)
{
    ostate *st;
    orm_rel *r;
    return lookup(obj, rel, &st, &r) == SQLALC_OK && st->rel_loaded[r->index];
}

int sqlalc_orm_related(void *obj, const char *rel, sqlalc_orm_list **list, void **target)
{
    ostate *st;
    orm_rel *r;
    if (list)
        *list = NULL;
    if (target)
        *target = NULL;
    int rc = lookup(obj, rel, &st, &r);
    if (rc == SQLALC_OK)
        rc = ensure_loaded(st, r);
    if (rc != SQLALC_OK)
        return rc;
    if (r->scalar) {
        if (target)
            *target = *rel_ptr(r, obj);
    } else if (list) {
        *list = rel_list(r, obj);
    }
    return SQLALC_OK;
}

static int check_target(orm_rel *r, void *target)
{
    if (!target)
        return SQLALC_OK;
    if (ST(target)->magic != OMAGIC || ST(target)->m != r->target)
        return orm_err(SQLALC_ERR_ARGUMENT, "relationship %s.%s takes %s objects", r->m->name, r->name,
                       r->target->name);
    return SQLALC_OK;
}

static void orphan(orm_rel *r, ostate *t)
{
    if (!(r->cascade & SQLALC_ORM_CASCADE_DELETE_ORPHAN))
        return;
    if (t->status == OS_PERSISTENT)
        t->marked_delete = 1;
    else if (t->status == OS_PENDING)
        t->status = OS_TRANSIENT;
}

/* The target of a one-to-many / one-to-one (key on the target's side)
 * no longer belongs to obj: its key goes NULL (or it is deleted). */
static int detach_child(orm_rel *r, void *obj, void *t)
{
    orm_rel *b = rel_back(r);
    if (b && b->scalar && *rel_ptr(b, t) == obj) {
        *rel_ptr(b, t) = NULL;
        ST(t)->rel_set[b->index] = 1;
    }
    ov z = { 1, 0, 0.0, NULL };
    for (size_t c = 0; c < r->ncols; c++)
        if (ov_write(r->target, t, r->tf[c], &z) != SQLALC_OK)
            return SQLALC_ERR_NOMEM;
    orphan(r, ST(t));
    return SQLALC_OK;
}

/* The back-reference side of a change to r on obj (t gained or lost obj). */
static int back_add(orm_rel *r, void *obj, void *t)
{
    orm_rel *b = rel_back(r);
    if (!b)
        return SQLALC_OK;
    ostate *ts = ST(t);
    int rc = ensure_loaded(ts, b);
    if (rc != SQLALC_OK)
        return rc;
    if (b->scalar) {
        void *old = *rel_ptr(b, t);
        if (old == obj)
            return SQLALC_OK;
        if (old && old != obj) {
            /* t moves away from old: old's side forgets t */
            orm_rel *bb = rel_back(b);
            if (bb && !bb->scalar && ST(old)->rel_loaded[bb->index])
                list_del(rel_list(bb, old), t);
            else if (bb && bb->scalar && *rel_ptr(bb, old) == t)
                *rel_ptr(bb, old) = NULL;
        }
        *rel_ptr(b, t) = obj;
        ts->rel_set[b->index] = 1;
        ts->rel_loaded[b->index] = 1;
        return SQLALC_OK;
    }
    if (!list_has(rel_list(b, t), obj))
        return list_add(rel_list(b, t), obj);
    return SQLALC_OK;
}

static int back_del(orm_rel *r, void *obj, void *t)
{
    orm_rel *b = rel_back(r);
    if (!b)
        return SQLALC_OK;
    ostate *ts = ST(t);
    if (b->scalar) {
        if (*rel_ptr(b, t) == obj) {
            *rel_ptr(b, t) = NULL;
            ts->rel_set[b->index] = 1;
        }
        return SQLALC_OK;
    }
    int rc = ensure_loaded(ts, b);
    if (rc == SQLALC_OK)
        list_del(rel_list(b, t), obj);
    return rc;
}

/* Relating a session's object and one of no session puts the latter in
 * the session at once (the save cascade, both ways as SQLAlchemy 1.4's
 * cascade_backrefs), so the session frees it whatever happens next. */
static int adopt(orm_rel *r, ostate *a, ostate *b)
{
    if (!(r->cascade & SQLALC_ORM_CASCADE_SAVE) || !b)
        return SQLALC_OK;
    if (a->s && b->s && a->s != b->s)
        return orm_err(SQLALC_ERR_INTERFACE, "%s.%s: the objects belong to different sessions", r->m->name,
                       r->name);
    ostate *owner = a->s ? a : b, *other = a->s ? b : a;
    if (!owner->s || other->s)
        return SQLALC_OK;
    if (sess_track(owner->s, other) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    if (other->status == OS_TRANSIENT)
        other->status = OS_PENDING;
    return SQLALC_OK;
}

/* What append, remove and set_related check first: rel of the right kind,
 * a target of its mapper, rel loaded. */
static int change_begin(void *obj, const char *rel, void *target, int want_scalar, ostate **st, orm_rel **r)
{
    int rc = lookup(obj, rel, st, r);
    if (rc != SQLALC_OK)
        return rc;
    if ((*r)->scalar != want_scalar)
        return orm_err(SQLALC_ERR_ARGUMENT, "%s.%s is %s: use %s", (*st)->m->name, rel,
                       want_scalar ? "a collection" : "not a collection",
                       want_scalar ? "sqlalc_orm_append / sqlalc_orm_remove" : "sqlalc_orm_set_related");
    if (!want_scalar && !target)
        return orm_err(SQLALC_ERR_ARGUMENT, "%s.%s: NULL target", (*st)->m->name, rel);
    if ((rc = check_target(*r, target)) != SQLALC_OK)
        return rc;
    if (target && (rc = adopt(*r, *st, ST(target))) != SQLALC_OK)
        return rc;
    return ensure_loaded(*st, *r);
}

int sqlalc_orm_append(void *obj, const char *rel, void *target)
{
    ostate *st;
    orm_rel *r;
    int rc = change_begin(obj, rel, target, 0, &st, &r);
    if (rc != SQLALC_OK)
        return rc;
    sqlalc_orm_list *l = rel_list(r, obj);
    if (list_has(l, target))
        return SQLALC_OK;
    if ((rc = list_add(l, target)) != SQLALC_OK)
        return rc;
    if (ST(target)->marked_delete && (r->cascade & SQLALC_ORM_CASCADE_SAVE))
        ST(target)->marked_delete = 0;
    return back_add(r, obj, target);
}

int sqlalc_orm_remove(void *obj, const char *rel, void *target)
{
    ostate *st;
    orm_rel *r;
    int rc = change_begin(obj, rel, target, 0, &st, &r);
    if (rc != SQLALC_OK)
        return rc;
    sqlalc_orm_list *l = rel_list(r, obj);
    if (!target || !list_has(l, target))
        return orm_err(SQLALC_ERR_NOT_FOUND, "%s.%s does not hold that %s", st->m->name, rel,
                       r->target->name);
    list_del(l, target);
    if (r->secondary) {
        rc = back_del(r, obj, target);
        if (rc == SQLALC_OK)
            orphan(r, ST(target));
        return rc;
    }
    return detach_child(r, obj, target);
}

int sqlalc_orm_set_related(void *obj, const char *rel, void *target)
{
    ostate *st;
    orm_rel *r;
    int rc = change_begin(obj, rel, target, 1, &st, &r);
    if (rc != SQLALC_OK)
        return rc;
    void *old = *rel_ptr(r, obj);
    if (old == target) {
        st->rel_set[r->index] = 1;
        return SQLALC_OK;
    }
    if (old) {
        if (r->local_fk)
            rc = back_del(r, obj, old);
        else
            rc = detach_child(r, obj, old);
        if (rc != SQLALC_OK)
            return rc;
    }
    *rel_ptr(r, obj) = target;
    st->rel_set[r->index] = 1;
    st->rel_loaded[r->index] = 1;
    if (target) {
        if (ST(target)->marked_delete && (r->cascade & SQLALC_ORM_CASCADE_SAVE))
            ST(target)->marked_delete = 0;
        rc = back_add(r, obj, target);
    }
    return rc;
}

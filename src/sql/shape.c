/*
 * The compiled-SQL cache keyed by a statement's shape: the tree encoded
 * without its bind values (SQLAlchemy's cache key).  Two statements built
 * separately with the same structure and names but different values share
 * one compilation; the values are picked from the new tree in walk order.
 *
 * The key holds names, not pointers, so no entry can dangle when trees and
 * tables are freed.  Entries keep no pointer into any tree either: each
 * parameter records the ordinal of its value in the walk (or a static
 * constant of the compiler).
 */
#include <string.h>
#include "expr_int.h"

#define MAX_WALK_VALUES 256
#define MAX_ALIASES 16
#define CACHE_MAX 1024

typedef struct walk {
    sqlalc_buf *key;
    const sqlalc_value **vals;
    size_t nvals;
    const void *aliases[MAX_ALIASES];
    int naliases;
    int overflow;
} walk;

static void kb(walk *w, unsigned char b)
{
    sqlalc_buf_putc(w->key, (char)b);
}
static void ks(walk *w, const char *s)
{
    if (s)
        sqlalc_buf_append(w->key, s, strlen(s) + 1);
    else
        sqlalc_buf_putc(w->key, '\xff');
}
static void kn(walk *w, int64_t v)
{
    sqlalc_buf_append(w->key, (const char *)&v, sizeof v);
}
static void kv(walk *w, const sqlalc_value *v)
{
    if (w->nvals == MAX_WALK_VALUES) {
        w->overflow = 1;
        return;
    }
    w->vals[w->nvals++] = v;
}

static void node(walk *w, const sqlalc_expr *e);

static void vec(walk *w, const exprvec *v)
{
    kn(w, (int64_t)v->n);
    for (size_t i = 0; i < v->n; i++)
        node(w, v->v[i]);
}

static void table(walk *w, const struct sqlalc_table *t)
{
    ks(w, t->schema);
    ks(w, t->name);
}

static void node(walk *w, const sqlalc_expr *e)
{
    if (w->overflow)
        return;
    if (!e) {
        kb(w, 0);
        return;
    }
    kb(w, (unsigned char)e->kind);
    switch (e->kind) {
    case SQLALC_NK_COLUMN: {
        const struct sqlalc_column_node *c = (const struct sqlalc_column_node *)e;
        if (c->table)
            table(w, c->table);
        ks(w, c->name);
        kb(w, c->type ? (unsigned char)c->type->kind : 0);
        break;
    }
    case SQLALC_NK_TABLE: table(w, (const struct sqlalc_table *)e); break;
    case NK_BIND: {
        const struct bind *b = (const struct bind *)e;
        ks(w, b->name);
        kb(w, (unsigned char)(b->has_value | b->expanding << 1));
        kb(w, b->has_value ? (unsigned char)b->v.type : 0);
        if (b->has_value)
            kv(w, &b->v);
        break;
    }
    case NK_CONST: kb(w, (unsigned char)e->flags); break;
    case NK_BINARY: {
        const struct binop *b = (const struct binop *)e;
        kb(w, (unsigned char)b->op);
        kb(w, (unsigned char)b->escape);
        node(w, b->l);
        node(w, b->r);
        break;
    }
    case NK_UNARY:
        kb(w, (unsigned char)((const struct unop *)e)->op);
        node(w, ((const struct unop *)e)->e);
        break;
    case NK_BOOL: {
        const struct boollist *b = (const struct boollist *)e;
        kb(w, (unsigned char)b->op);
        kn(w, (int64_t)b->n);
        for (size_t i = 0; i < b->n; i++)
            node(w, b->items[i]);
        break;
    }
    case NK_LIST: {
        const struct exprlist *l = (const struct exprlist *)e;
        kn(w, (int64_t)l->n);
        for (size_t i = 0; i < l->n; i++)
            node(w, l->items[i]);
        break;
    }
    case NK_FUNC: {
        const struct func *f = (const struct func *)e;
        ks(w, f->name);
        kb(w, (unsigned char)f->star);
        kn(w, (int64_t)f->n);
        for (size_t i = 0; i < f->n; i++)
            node(w, f->args[i]);
        break;
    }
    case NK_CAST: {
        const struct cast *c = (const struct cast *)e;
        kn(w, c->kind);
        kn(w, c->length);
        kn(w, c->precision);
        kn(w, c->scale);
        node(w, c->e);
        break;
    }
    case NK_CASE: {
        const struct casex *c = (const struct casex *)e;
        node(w, c->value);
        kn(w, (int64_t)c->n);
        for (size_t i = 0; i < 2 * c->n; i++)
            node(w, c->items[i]);
        node(w, c->else_);
        break;
    }
    case NK_LABEL:
        ks(w, ((const struct label *)e)->name);
        node(w, ((const struct label *)e)->e);
        break;
    case NK_OVER: {
        const struct over *o = (const struct over *)e;
        node(w, o->func);
        vec(w, &o->partition);
        vec(w, &o->order);
        kb(w, (unsigned char)o->frame);
        if (o->frame) {
            /* which bounds are bound values depends on their sign class */
            kb(w, (unsigned char)(o->lower == SQLALC_UNBOUNDED ? 0
                                  : o->lower < 0               ? 1
                                  : o->lower == 0              ? 2
                                                               : 3));
            kb(w, (unsigned char)(o->upper == SQLALC_UNBOUNDED ? 0
                                  : o->upper < 0               ? 1
                                  : o->upper == 0              ? 2
                                                               : 3));
            kv(w, &o->lower_v);
            kv(w, &o->upper_v);
        }
        break;
    }
    case NK_TEXT: {
        const struct textx *t = (const struct textx *)e;
        ks(w, t->sql);
        kn(w, (int64_t)t->nparams);
        for (size_t i = 0; i < t->nparams; i++) {
            ks(w, t->params[i].name);
            kv(w, &t->params[i].value);
        }
        break;
    }
    case NK_ALIAS: {
        const struct alias *a = (const struct alias *)e;
        int i;
        for (i = 0; i < w->naliases && w->aliases[i] != a; i++)
            ;
        kn(w, i);
        if (i < w->naliases)
            break; /* seen: its identity is enough */
        if (w->naliases == MAX_ALIASES) {
            w->overflow = 1;
            break;
        }
        w->aliases[w->naliases++] = a;
        ks(w, a->name);
        kb(w, (unsigned char)(a->is_cte | a->recursive << 1));
        node(w, a->target);
        node(w, a->anchor ? &a->anchor->base : NULL);
        break;
    }
    case NK_ALIAS_COL:
        node(w, &((const struct aliascol *)e)->alias->base);
        ks(w, ((const struct aliascol *)e)->name);
        break;
    case NK_EXCLUDED: ks(w, ((const struct aliascol *)e)->name); break;
    case NK_JOIN: {
        const struct join *j = (const struct join *)e;
        kb(w, (unsigned char)j->kind);
        node(w, j->l);
        node(w, j->r);
        node(w, j->on);
        break;
    }
    case NK_SELECT: {
        const struct sel *s = (const struct sel *)e;
        vec(w, &s->cols);
        vec(w, &s->froms);
        node(w, s->where);
        vec(w, &s->group);
        node(w, s->having);
        vec(w, &s->order);
        kb(w, (unsigned char)(s->has_limit | s->has_offset << 1 | s->distinct << 2));
        kn(w, s->for_update);
        /* TOP n renders the limit as text: it is part of the shape. */
        if (s->has_limit) {
            kn(w, s->limit.u.i);
            kv(w, &s->limit);
        }
        if (s->has_offset)
            kv(w, &s->offset);
        break;
    }
    case NK_COMPOUND: {
        const struct compound *c = (const struct compound *)e;
        kb(w, (unsigned char)c->op);
        vec(w, &c->selects);
        vec(w, &c->order);
        kb(w, (unsigned char)(c->has_limit | c->has_offset << 1));
        if (c->has_limit)
            kv(w, &c->limit);
        if (c->has_offset)
            kv(w, &c->offset);
        break;
    }
    case NK_INSERT: {
        const struct ins *s = (const struct ins *)e;
        table(w, s->table);
        kn(w, (int64_t)s->ncols);
        for (size_t i = 0; i < s->ncols; i++)
            ks(w, s->cols[i]->name);
        kn(w, (int64_t)s->nrows);
        for (size_t i = 0; i < s->nrows * s->ncols; i++)
            node(w, s->values[i]);
        node(w, s->from_select);
        kb(w, (unsigned char)(s->default_values | s->upsert << 1));
        vec(w, &s->returning);
        vec(w, &s->conflict_cols);
        kn(w, (int64_t)s->nset);
        for (size_t i = 0; i < s->nset; i++) {
            ks(w, s->set_cols[i]->name);
            node(w, s->set_vals[i]);
        }
        node(w, s->upsert_where);
        break;
    }
    case NK_UPDATE: {
        const struct upd *s = (const struct upd *)e;
        table(w, s->table);
        kn(w, (int64_t)s->nset);
        for (size_t i = 0; i < s->nset; i++) {
            ks(w, s->set_cols[i]->name);
            node(w, s->set_vals[i]);
        }
        node(w, s->where);
        vec(w, &s->returning);
        break;
    }
    case NK_DELETE: {
        const struct del *s = (const struct del *)e;
        table(w, s->table);
        node(w, s->where);
        vec(w, &s->returning);
        break;
    }
    default: w->overflow = 1;
    }
}

/* ---- the cache ---- */

typedef struct shape_entry {
    char *sql;
    size_t len;
    char *names;
    size_t nparams;
    sqlalc_cparam *params; /* value pointers NULL; see ords */
    int *ords;             /* >= 0: walk ordinal; -1: required (no value); -2 - k: static constant k */
} shape_entry;

static sqlalc_map cache;
static atomic_flag lock = ATOMIC_FLAG_INIT;
static atomic_long hits, misses;

static void lock_take(void)
{
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
        ;
}
static void lock_give(void)
{
    atomic_flag_clear_explicit(&lock, memory_order_release);
}

static void entry_free(shape_entry *e)
{
    if (!e)
        return;
    sqlalc_free(e->sql);
    sqlalc_free(e->names);
    sqlalc_free(e->params);
    sqlalc_free(e->ords);
    sqlalc_free(e);
}

static void key_prefix(sqlalc_buf *key, const sqlalc_dialect *d, int style)
{
    sqlalc_buf_append(key, (const char *)&d, sizeof d);
    sqlalc_buf_append(key, (const char *)&style, sizeof style);
}

/* A compiled form for stmt whose values point into stmt, from an entry. */
static struct sqlalc_compiled *instantiate(const shape_entry *e, const sqlalc_value *const *vals)
{
    struct sqlalc_compiled *c = sqlalc__calloc(1, sizeof *c);
    if (!c)
        return NULL;
    size_t nl = 0;
    for (size_t i = 0; i < e->nparams; i++) {
        size_t end = e->params[i].name_off + strlen(e->names + e->params[i].name_off) + 1;
        if (end > nl)
            nl = end;
    }
    c->sql = sqlalc__malloc(e->len + 1);
    c->params = e->nparams ? sqlalc__malloc(e->nparams * sizeof *c->params) : NULL;
    c->names = sqlalc__malloc(nl ? nl : 1);
    if (!c->sql || (e->nparams && !c->params) || !c->names) {
        sqlalc_compiled_free(c);
        return NULL;
    }
    memcpy(c->sql, e->sql, e->len + 1);
    c->len = e->len;
    if (nl)
        memcpy(c->names, e->names, nl);
    c->nparams = e->nparams;
    for (size_t i = 0; i < e->nparams; i++) {
        c->params[i] = e->params[i];
        int o = e->ords[i];
        c->params[i].value = o >= 0 ? vals[o] : o == -1 ? NULL : sqlalc__compile_static_value(-2 - o);
    }
    return c;
}

/* An entry for a fresh compile: NULL when its values cannot be mapped. */
static shape_entry *entry_from(const struct sqlalc_compiled *c, const sqlalc_value *const *vals, size_t nvals)
{
    shape_entry *e = sqlalc__calloc(1, sizeof *e);
    if (!e)
        return NULL;
    size_t nl = 0;
    for (size_t i = 0; i < c->nparams; i++) {
        size_t end = c->params[i].name_off + strlen(c->names + c->params[i].name_off) + 1;
        if (end > nl)
            nl = end;
    }
    e->sql = sqlalc__strndup(c->sql, c->len);
    e->len = c->len;
    e->names = sqlalc__malloc(nl ? nl : 1);
    e->params = c->nparams ? sqlalc__malloc(c->nparams * sizeof *e->params) : NULL;
    e->ords = c->nparams ? sqlalc__malloc(c->nparams * sizeof *e->ords) : NULL;
    if (!e->sql || !e->names || (c->nparams && (!e->params || !e->ords))) {
        entry_free(e);
        return NULL;
    }
    if (nl)
        memcpy(e->names, c->names, nl);
    e->nparams = c->nparams;
    for (size_t i = 0; i < c->nparams; i++) {
        e->params[i] = c->params[i];
        e->params[i].value = NULL;
        const sqlalc_value *v = c->params[i].value;
        int o = -1;
        if (v) {
            size_t k;
            for (k = 0; k < nvals && vals[k] != v; k++)
                ;
            if (k < nvals)
                o = (int)k;
            else {
                int s = sqlalc__compile_static_index(v);
                if (s < 0) {
                    entry_free(e); /* a value the walk does not know: do not share */
                    return NULL;
                }
                o = -2 - s;
            }
        }
        e->ords[i] = o;
    }
    return e;
}

int sqlalc__shape_compiled(sqlalc_expr *stmt, const sqlalc_dialect *d, int style,
                           struct sqlalc_compiled **out)
{
    *out = NULL;
    if (!d)
        d = &sqlalc__default_dialect;
    sqlalc_buf key = SQLALC_BUF_INIT;
    const sqlalc_value *vals[MAX_WALK_VALUES];
    walk w;
    memset(&w, 0, sizeof w);
    w.key = &key;
    w.vals = vals;
    key_prefix(&key, d, style);
    node(&w, stmt);
    if (key.oom) {
        sqlalc_buf_free(&key);
        return sqlalc__oom();
    }
    if (w.overflow) {
        sqlalc_buf_free(&key);
        return sqlalc__compile(stmt, d, style, 0, 0, out);
    }
    lock_take();
    shape_entry *e = sqlalc_map_get(&cache, key.p, key.len);
    struct sqlalc_compiled *c = e ? instantiate(e, vals) : NULL;
    lock_give();
    if (e) {
        sqlalc_buf_free(&key);
        if (!c)
            return sqlalc__oom();
        atomic_fetch_add(&hits, 1);
        *out = c;
        return SQLALC_OK;
    }
    atomic_fetch_add(&misses, 1);
    int rc = sqlalc__compile(stmt, d, style, 0, 0, &c);
    if (rc) {
        sqlalc_buf_free(&key);
        return rc;
    }
    if (!c->literal_values) {
        shape_entry *ne = entry_from(c, vals, w.nvals);
        if (ne) {
            lock_take();
            if (cache.count >= CACHE_MAX) {
                /* Full: start over (simple and bounded). */
                size_t i = 0;
                sqlalc_map_entry *me;
                while ((me = sqlalc_map_next(&cache, &i)))
                    entry_free(me->value);
                sqlalc_map_free(&cache);
                memset(&cache, 0, sizeof cache);
            }
            shape_entry *old = sqlalc_map_get(&cache, key.p, key.len);
            if (old || sqlalc_map_put(&cache, key.p, key.len, ne) != SQLALC_OK)
                entry_free(ne);
            lock_give();
        }
    }
    sqlalc_buf_free(&key);
    *out = c;
    return SQLALC_OK;
}

void sqlalc__shape_cache_stats(long *h, long *m)
{
    *h = atomic_load(&hits);
    *m = atomic_load(&misses);
}

void sqlalc__shape_cache_clear(void)
{
    lock_take();
    size_t i = 0;
    sqlalc_map_entry *me;
    while ((me = sqlalc_map_next(&cache, &i)))
        entry_free(me->value);
    sqlalc_map_free(&cache);
    memset(&cache, 0, sizeof cache);
    lock_give();
}

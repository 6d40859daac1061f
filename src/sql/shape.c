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

#define CACHE_MAX 1024
#define WALK_INLINE 64

/* The walk: the key, the bound values in walk order, aliases seen. */
struct sqlalc_keywalk {
    sqlalc_buf *key;
    const sqlalc_value **vals;
    size_t nvals, capvals;
    const void **aliases;
    size_t naliases, capaliases;
    int oom;
    const sqlalc_value *vals_inline[WALK_INLINE];
};

static inline void kb(sqlalc_keywalk *w, unsigned char b)
{
    sqlalc_buf *k = w->key;
    if (k->len + 2 <= k->cap) { /* the buffer's own fast path, inline */
        k->p[k->len++] = (char)b;
        k->p[k->len] = 0;
    } else
        sqlalc_buf_putc(k, (char)b);
}
static inline void ks(sqlalc_keywalk *w, const char *s)
{
    if (s)
        sqlalc_buf_append(w->key, s, strlen(s) + 1);
    else
        sqlalc_buf_putc(w->key, '\xff');
}
/* Integers: one byte when small (most counts and operator codes), else a
 * marker and eight bytes; self-delimiting either way. */
static inline void kn(sqlalc_keywalk *w, int64_t v)
{
    if (v >= 0 && v < 0xff) {
        kb(w, (unsigned char)v);
        return;
    }
    kb(w, 0xff);
    sqlalc_buf_append(w->key, (const char *)&v, sizeof v);
}
static void kv(sqlalc_keywalk *w, const sqlalc_value *v)
{
    if (w->nvals == w->capvals) {
        size_t cap = w->capvals * 2;
        const sqlalc_value **nv = sqlalc__malloc(cap * sizeof *nv);
        if (!nv) {
            w->oom = 1;
            return;
        }
        memcpy(nv, w->vals, w->nvals * sizeof *nv);
        if (w->vals != w->vals_inline)
            sqlalc_free((void *)w->vals);
        w->vals = nv;
        w->capvals = cap;
    }
    w->vals[w->nvals++] = v;
}

static void table(sqlalc_keywalk *w, const struct sqlalc_table *t)
{
    ks(w, t->schema);
    ks(w, t->name);
}

/* ---- key hooks of the irregular kinds (named in node_kinds.c) ---- */

int sqlalc__key_column(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = (const struct sqlalc_column_node *)e;
    if (c->table)
        table(w, c->table);
    ks(w, c->name);
    kb(w, c->type ? (unsigned char)c->type->kind : 0);
    return 1;
}

int sqlalc__key_table(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    table(w, (const struct sqlalc_table *)e);
    return 1;
}

int sqlalc__key_bind(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct bind *b = (const struct bind *)e;
    ks(w, b->name);
    kb(w, (unsigned char)(b->has_value | b->expanding << 1));
    kb(w, b->has_value ? (unsigned char)b->v.type : 0);
    if (b->has_value)
        kv(w, &b->v);
    return 1;
}

static unsigned char bound_class(int64_t v)
{
    return v == SQLALC_UNBOUNDED ? 0 : v < 0 ? 1 : v == 0 ? 2 : 3;
}

int sqlalc__key_over(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct over *o = (const struct over *)e;
    if (o->frame) {
        /* which bounds are bound values depends on their sign class */
        kb(w, bound_class(o->lower));
        kb(w, bound_class(o->upper));
        /* a dialect may write the bounds as text (frame_bounds_literal) */
        kn(w, o->lower);
        kn(w, o->upper);
        kv(w, &o->lower_v);
        kv(w, &o->upper_v);
    }
    return 1;
}

int sqlalc__key_text(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct textx *t = (const struct textx *)e;
    ks(w, t->sql);
    kn(w, (int64_t)t->nparams);
    for (size_t i = 0; i < t->nparams; i++) {
        ks(w, t->params[i].name);
        kv(w, &t->params[i].value);
    }
    return 1;
}

int sqlalc__key_alias(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct alias *a = (const struct alias *)e;
    size_t i;
    for (i = 0; i < w->naliases && w->aliases[i] != a; i++)
        ;
    kn(w, (int64_t)i);
    if (i < w->naliases)
        return 0; /* seen: its identity is enough */
    if (sqlalc__grow((void **)&w->aliases, &w->capaliases, w->naliases + 1, sizeof *w->aliases)) {
        w->oom = 1;
        return 0;
    }
    w->aliases[w->naliases++] = a;
    kb(w, (unsigned char)(a->is_cte | a->recursive << 1));
    return 1;
}

int sqlalc__key_select(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct sel *s = (const struct sel *)e;
    kb(w, (unsigned char)(s->has_limit | s->has_offset << 1 | s->distinct << 2));
    /* TOP n renders the limit as text: it is part of the shape. */
    if (s->has_limit) {
        kn(w, s->limit.u.i);
        kv(w, &s->limit);
    }
    if (s->has_offset)
        kv(w, &s->offset);
    return 1;
}

int sqlalc__key_compound(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct compound *c = (const struct compound *)e;
    kb(w, (unsigned char)(c->has_limit | c->has_offset << 1));
    if (c->has_limit)
        kv(w, &c->limit);
    if (c->has_offset)
        kv(w, &c->offset);
    return 1;
}

int sqlalc__key_insert(sqlalc_keywalk *w, const sqlalc_expr *e)
{
    const struct ins *s = (const struct ins *)e;
    kb(w, (unsigned char)s->default_values);
    kn(w, (int64_t)s->nrows);
    return 1;
}

/* ---- the walk: iterative, so any depth is fine ---- */

typedef struct kstack {
    const sqlalc_expr **v;
    size_t n, cap;
    const sqlalc_expr *inl[WALK_INLINE];
} kstack;

static int kpush(kstack *s, const sqlalc_expr *e)
{
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        const sqlalc_expr **nv = sqlalc__malloc(cap * sizeof *nv);
        if (!nv)
            return 0;
        memcpy(nv, s->v, s->n * sizeof *nv);
        if (s->v != s->inl)
            sqlalc_free((void *)s->v);
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = e;
    return 1;
}

/* The field at off of a node (read only here; const cast away for brevity). */
#define CAT(e, off, T) ((T *)(uintptr_t)((const char *)(e) + (off)))

/* One node's own part of the key: kind, flags, hook, scalars and counts.
 * Its children are pushed (last first) so they are encoded next, in order:
 * every node's encoding delimits itself, so the preorder is unambiguous. */
static int key_node(sqlalc_keywalk *w, kstack *st, const sqlalc_expr *e)
{
    kb(w, (unsigned char)e->kind);
    kb(w, (unsigned char)e->flags);
    const sqlalc_node_desc *k = sqlalc__kind_of(e);
    if (k->key && !k->key(w, e))
        return 1;
    const sqlalc_node_field *f = k->fields, *last;
    if (!f)
        return 1;
    for (; f->kind; f++) {
        switch (f->kind) {
        case ND_INT: kn(w, *CAT(e, f->off, int)); break;
        case ND_CHAR: kb(w, (unsigned char)*CAT(e, f->off, char)); break;
        case ND_STR:
        case ND_SELFSTR: ks(w, *CAT(e, f->off, char *)); break;
        case ND_VEC: kn(w, (int64_t)CAT(e, f->off, exprvec)->n); break;
        case ND_ARRAY: kn(w, (int64_t)(*CAT(e, f->n_off, size_t) * f->mult)); break;
        case ND_PARRAY: {
            size_t n = *CAT(e, f->n_off, size_t);
            if (f->n2_off)
                n *= *CAT(e, f->n2_off, size_t);
            kn(w, (int64_t)n);
            break;
        }
        case ND_TABLEREF: table(w, *CAT(e, f->off, struct sqlalc_table *)); break;
        case ND_COLS: {
            size_t n = *CAT(e, f->n_off, size_t);
            struct sqlalc_column_node *const *c = *CAT(e, f->off, struct sqlalc_column_node **);
            kn(w, (int64_t)n);
            for (size_t i = 0; i < n; i++)
                ks(w, c[i]->name);
            break;
        }
        default: break;
        }
    }
    last = f;
    for (f = last; f-- != k->fields;) {
        int ok = 1;
        switch (f->kind) {
        case ND_CHILD: ok = kpush(st, *CAT(e, f->off, sqlalc_expr *)); break;
        case ND_VEC: {
            const exprvec *v = CAT(e, f->off, exprvec);
            for (size_t i = v->n; i-- > 0 && ok;)
                ok = kpush(st, v->v[i]);
            break;
        }
        case ND_ARRAY:
        case ND_PARRAY: {
            sqlalc_expr *const *v =
                f->kind == ND_ARRAY ? CAT(e, f->off, sqlalc_expr *) : *CAT(e, f->off, sqlalc_expr **);
            size_t n = *CAT(e, f->n_off, size_t) * (f->kind == ND_ARRAY ? f->mult : 1);
            if (f->kind == ND_PARRAY && f->n2_off)
                n *= *CAT(e, f->n2_off, size_t);
            for (size_t i = n; i-- > 0 && ok;)
                ok = kpush(st, v[i]);
            break;
        }
        default: break;
        }
        if (!ok)
            return 0;
    }
    return 1;
}

static void walk_tree(sqlalc_keywalk *w, const sqlalc_expr *root)
{
    kstack st;
    st.v = st.inl;
    st.n = 0;
    st.cap = WALK_INLINE;
    st.v[st.n++] = root;
    while (st.n && !w->oom) {
        const sqlalc_expr *e = st.v[--st.n];
        if (!e)
            kb(w, 0);
        else if (!key_node(w, &st, e))
            w->oom = 1;
    }
    if (st.v != st.inl)
        sqlalc_free((void *)st.v);
}

/* ---- the cache ---- */

typedef struct shape_entry {
    char *sql;
    size_t len;
    char *names;
    size_t nparams;
    sqlalc_cparam *params;   /* value pointers NULL; see ords */
    int *ords;               /* >= 0: walk ordinal; -1: required (no value); -2 - k: static constant k */
    sqlalc__coltype *ctypes; /* the result column types (the shape fixes them), or NULL */
    size_t nctypes;
    int dml_returning;
    char *around; /* as the compiled form's */
    size_t around_len;
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
    sqlalc_free(e->ctypes);
    sqlalc_free(e->around);
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
    c->ctypes = e->nctypes ? sqlalc__malloc(e->nctypes * sizeof *c->ctypes) : NULL;
    if (!c->sql || (e->nparams && !c->params) || !c->names || (e->nctypes && !c->ctypes)) {
        sqlalc_compiled_free(c);
        return NULL;
    }
    memcpy(c->sql, e->sql, e->len + 1);
    c->len = e->len;
    if (e->nctypes)
        memcpy(c->ctypes, e->ctypes, e->nctypes * sizeof *c->ctypes);
    c->nctypes = e->nctypes;
    c->dml_returning = e->dml_returning;
    if (e->around && !(c->around = sqlalc__strndup(e->around, e->around_len))) {
        sqlalc_compiled_free(c);
        return NULL;
    }
    c->around_len = e->around_len;
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
    e->ctypes = c->nctypes ? sqlalc__malloc(c->nctypes * sizeof *e->ctypes) : NULL;
    if (!e->sql || !e->names || (c->nparams && (!e->params || !e->ords)) || (c->nctypes && !e->ctypes)) {
        entry_free(e);
        return NULL;
    }
    if (nl)
        memcpy(e->names, c->names, nl);
    if (c->nctypes)
        memcpy(e->ctypes, c->ctypes, c->nctypes * sizeof *e->ctypes);
    e->nctypes = c->nctypes;
    e->dml_returning = c->dml_returning;
    if (c->around && !(e->around = sqlalc__strndup(c->around, c->around_len))) {
        entry_free(e);
        return NULL;
    }
    e->around_len = c->around_len;
    e->nparams = c->nparams;
    size_t cursor = 0;
    for (size_t i = 0; i < c->nparams; i++) {
        e->params[i] = c->params[i];
        e->params[i].value = NULL;
        const sqlalc_value *v = c->params[i].value;
        int o = -1;
        if (v) {
            /* Parameters mostly come in walk order: look on from the last
             * one found, so the mapping stays linear. */
            size_t k, tries;
            for (k = cursor, tries = 0; tries < nvals && vals[k] != v; tries++)
                k = k + 1 < nvals ? k + 1 : 0;
            if (tries < nvals) {
                o = (int)k;
                cursor = k + 1 < nvals ? k + 1 : 0;
            }
            if (o < 0) {
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
    sqlalc_keywalk w;
    w.key = &key;
    w.vals = w.vals_inline;
    w.nvals = 0;
    w.capvals = WALK_INLINE;
    w.aliases = NULL;
    w.naliases = w.capaliases = 0;
    w.oom = 0;
    key_prefix(&key, d, style);
    walk_tree(&w, stmt);
    sqlalc_free((void *)w.aliases);
    int rc = SQLALC_OK;
    struct sqlalc_compiled *c = NULL;
    if (key.oom || w.oom) {
        rc = sqlalc__oom();
        goto done;
    }
    lock_take();
    shape_entry *e = sqlalc_map_get(&cache, key.p, key.len);
    c = e ? instantiate(e, w.vals) : NULL;
    lock_give();
    if (e) {
        if (!c)
            rc = sqlalc__oom();
        else
            atomic_fetch_add(&hits, 1);
        goto done;
    }
    atomic_fetch_add(&misses, 1);
    rc = sqlalc__compile(stmt, d, style, 0, 0, &c);
    if (rc)
        goto done;
    if (!c->literal_values) {
        shape_entry *ne = entry_from(c, w.vals, w.nvals);
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
done:
    sqlalc_buf_free(&key);
    if (w.vals != w.vals_inline)
        sqlalc_free((void *)w.vals);
    *out = rc ? NULL : c;
    return rc;
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

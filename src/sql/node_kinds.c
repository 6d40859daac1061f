/*
 * The node-kind descriptor table and the generic walks that read it:
 * destruction, shallow cloning and child traversal (the shape key's walk
 * is in shape.c).  Adding a node kind means adding its struct to
 * expr_int.h and one entry here; no walk has a switch on the kind.
 *
 * Destruction is iterative: a dead node is queued through its (then
 * unused) type pointer, so freeing a tree of any depth needs neither stack
 * nor memory.
 */
#include <stddef.h>
#include <string.h>
#include "expr_int.h"

#define F_END                 \
    {                         \
        ND_END, 0, 0, 0, 0, 0 \
    }
#define F_CHILD(T, m)                        \
    {                                        \
        ND_CHILD, 0, offsetof(T, m), 0, 0, 0 \
    }
#define F_VEC(T, m)                        \
    {                                      \
        ND_VEC, 0, offsetof(T, m), 0, 0, 0 \
    }
#define F_ARRAY(T, m, n, mult)                               \
    {                                                        \
        ND_ARRAY, mult, offsetof(T, m), offsetof(T, n), 0, 0 \
    }
#define F_PARRAY(T, m, n, n2, cap)                            \
    {                                                         \
        ND_PARRAY, 0, offsetof(T, m), offsetof(T, n), n2, cap \
    }
#define F_TABLE(T, m)                           \
    {                                           \
        ND_TABLEREF, 0, offsetof(T, m), 0, 0, 0 \
    }
#define F_COLS(T, m, n)                                  \
    {                                                    \
        ND_COLS, 0, offsetof(T, m), offsetof(T, n), 0, 0 \
    }
#define F_INT(T, m)                        \
    {                                      \
        ND_INT, 0, offsetof(T, m), 0, 0, 0 \
    }
#define F_CHAR(T, m)                        \
    {                                       \
        ND_CHAR, 0, offsetof(T, m), 0, 0, 0 \
    }
#define F_STR(T, m)                        \
    {                                      \
        ND_STR, 0, offsetof(T, m), 0, 0, 0 \
    }
#define F_SELFSTR(T, m)                        \
    {                                          \
        ND_SELFSTR, 0, offsetof(T, m), 0, 0, 0 \
    }

static const sqlalc_node_field binop_f[] = { F_INT(struct binop, op), F_CHAR(struct binop, escape),
                                             F_CHILD(struct binop, l), F_CHILD(struct binop, r), F_END };
static const sqlalc_node_field unop_f[] = { F_INT(struct unop, op), F_CHILD(struct unop, e), F_END };
static const sqlalc_node_field bool_f[] = { F_INT(struct boollist, op), F_ARRAY(struct boollist, items, n, 1),
                                            F_END };
static const sqlalc_node_field list_f[] = { F_ARRAY(struct exprlist, items, n, 1), F_END };
static const sqlalc_node_field func_f[] = { F_SELFSTR(struct func, name), F_INT(struct func, star),
                                            F_ARRAY(struct func, args, n, 1), F_END };
static const sqlalc_node_field cast_f[] = { F_INT(struct cast, kind),      F_INT(struct cast, length),
                                            F_INT(struct cast, precision), F_INT(struct cast, scale),
                                            F_CHILD(struct cast, e),       F_END };
static const sqlalc_node_field case_f[] = { F_CHILD(struct casex, value), F_ARRAY(struct casex, items, n, 2),
                                            F_CHILD(struct casex, else_), F_END };
static const sqlalc_node_field colclause_f[] = {
    F_SELFSTR(struct colclause, name),  F_INT(struct colclause, kind),  F_INT(struct colclause, length),
    F_INT(struct colclause, precision), F_INT(struct colclause, scale), F_END
};
static const sqlalc_node_field values_f[] = { F_VEC(struct valuesx, cols), F_VEC(struct valuesx, data),
                                              F_END };
static const sqlalc_node_field label_f[] = { F_SELFSTR(struct label, name), F_CHILD(struct label, e), F_END };
static const sqlalc_node_field over_f[] = { F_INT(struct over, frame), F_CHILD(struct over, func),
                                            F_VEC(struct over, partition), F_VEC(struct over, order), F_END };
static const sqlalc_node_field alias_f[] = { F_SELFSTR(struct alias, name), F_CHILD(struct alias, target),
                                             F_CHILD(struct alias, anchor), F_END };
static const sqlalc_node_field aliascol_f[] = { F_SELFSTR(struct aliascol, name),
                                                F_CHILD(struct aliascol, alias), F_END };
static const sqlalc_node_field excluded_f[] = { F_STR(struct aliascol, name), F_TABLE(struct aliascol, table),
                                                F_END };
static const sqlalc_node_field join_f[] = { F_INT(struct join, kind), F_CHILD(struct join, l),
                                            F_CHILD(struct join, r), F_CHILD(struct join, on), F_END };
static const sqlalc_node_field select_f[] = {
    F_INT(struct sel, for_update), F_VEC(struct sel, cols),   F_VEC(struct sel, froms),
    F_CHILD(struct sel, where),    F_VEC(struct sel, group),  F_CHILD(struct sel, having),
    F_VEC(struct sel, order),      F_CHILD(struct sel, text), F_END
};
static const sqlalc_node_field compound_f[] = { F_INT(struct compound, op), F_VEC(struct compound, selects),
                                                F_VEC(struct compound, order), F_END };
static const sqlalc_node_field insert_f[] = { F_INT(struct ins, upsert),
                                              F_TABLE(struct ins, table),
                                              F_COLS(struct ins, cols, ncols),
                                              F_PARRAY(struct ins, values, nrows, offsetof(struct ins, ncols),
                                                       offsetof(struct ins, values_cap)),
                                              F_CHILD(struct ins, from_select),
                                              F_VEC(struct ins, returning),
                                              F_VEC(struct ins, conflict_cols),
                                              F_COLS(struct ins, set_cols, nset),
                                              F_PARRAY(struct ins, set_vals, nset, 0, 0),
                                              F_CHILD(struct ins, upsert_where),
                                              F_END };
static const sqlalc_node_field update_f[] = { F_TABLE(struct upd, table),
                                              F_COLS(struct upd, set_cols, nset),
                                              F_PARRAY(struct upd, set_vals, nset, 0, 0),
                                              F_CHILD(struct upd, where),
                                              F_VEC(struct upd, returning),
                                              F_END };
static const sqlalc_node_field delete_f[] = { F_TABLE(struct del, table), F_CHILD(struct del, where),
                                              F_VEC(struct del, returning), F_END };

static size_t boollist_size(const sqlalc_expr *e)
{
    /* the room build.c gives a list (it may grow in place) */
    return sizeof(struct boollist) +
           sqlalc__bool_slots(((const struct boollist *)e)->n) * sizeof(sqlalc_expr *);
}
static size_t list_size(const sqlalc_expr *e)
{
    return sizeof(struct exprlist) + ((const struct exprlist *)e)->n * sizeof(sqlalc_expr *);
}
static size_t func_size(const sqlalc_expr *e)
{
    const struct func *f = (const struct func *)e;
    return sizeof *f + f->n * sizeof(sqlalc_expr *) + strlen(f->name) + 1;
}
static size_t case_size(const sqlalc_expr *e)
{
    return sizeof(struct casex) + 2 * ((const struct casex *)e)->n * sizeof(sqlalc_expr *);
}
static size_t label_size(const sqlalc_expr *e)
{
    return sizeof(struct label) + strlen(((const struct label *)e)->name) + 1;
}
static size_t colclause_size(const sqlalc_expr *e)
{
    return sizeof(struct colclause) + strlen(((const struct colclause *)e)->name) + 1;
}
static size_t alias_size(const sqlalc_expr *e)
{
    const struct alias *a = (const struct alias *)e;
    return sizeof *a + (a->name ? strlen(a->name) + 1 : 0);
}
static size_t aliascol_size(const sqlalc_expr *e)
{
    return sizeof(struct aliascol) + strlen(((const struct aliascol *)e)->name) + 1;
}

#define KIND(nm, T, sz, key, f)      \
    {                                \
        nm, sizeof(T), 0, sz, key, f \
    }
#define STMT(nm, T, key, f)            \
    {                                  \
        nm, sizeof(T), 1, NULL, key, f \
    }

const sqlalc_node_desc sqlalc__node_kinds[NK__COUNT] = {
    [SQLALC_NK_NONE] = { "none", 0, 0, NULL, NULL, NULL },
    [SQLALC_NK_COLUMN] = KIND("column", struct sqlalc_column_node, NULL, sqlalc__key_column, NULL),
    [SQLALC_NK_TABLE] = KIND("table", struct sqlalc_table, NULL, sqlalc__key_table, NULL),
    [NK_BIND] = KIND("bind parameter", struct bind, NULL, sqlalc__key_bind, NULL),
    [NK_CONST] = KIND("constant", sqlalc_expr, NULL, NULL, NULL),
    [NK_BINARY] = KIND("binary expression", struct binop, NULL, NULL, binop_f),
    [NK_UNARY] = KIND("unary expression", struct unop, NULL, NULL, unop_f),
    [NK_BOOL] = KIND("AND/OR list", struct boollist, boollist_size, NULL, bool_f),
    [NK_LIST] = KIND("expression list", struct exprlist, list_size, NULL, list_f),
    [NK_FUNC] = KIND("function", struct func, func_size, NULL, func_f),
    [NK_CAST] = KIND("CAST", struct cast, NULL, NULL, cast_f),
    [NK_CASE] = KIND("CASE", struct casex, case_size, NULL, case_f),
    [NK_LABEL] = KIND("label", struct label, label_size, NULL, label_f),
    [NK_OVER] = KIND("window function", struct over, NULL, sqlalc__key_over, over_f),
    [NK_TEXT] = KIND("SQL text", struct textx, NULL, sqlalc__key_text, NULL),
    [NK_ALIAS] = KIND("alias", struct alias, alias_size, sqlalc__key_alias, alias_f),
    [NK_ALIAS_COL] = KIND("alias column", struct aliascol, aliascol_size, NULL, aliascol_f),
    [NK_EXCLUDED] = KIND("excluded column", struct aliascol, NULL, NULL, excluded_f),
    [NK_JOIN] = KIND("join", struct join, NULL, NULL, join_f),
    [NK_TABLEREF] = { "table reference", 0, 0, NULL, NULL, NULL },
    [NK_SELECT] = STMT("SELECT", struct sel, sqlalc__key_select, select_f),
    [NK_COMPOUND] = STMT("compound SELECT", struct compound, sqlalc__key_compound, compound_f),
    [NK_INSERT] = STMT("INSERT", struct ins, sqlalc__key_insert, insert_f),
    [NK_UPDATE] = STMT("UPDATE", struct upd, NULL, update_f),
    [NK_DELETE] = STMT("DELETE", struct del, NULL, delete_f),
    [NK_COLCLAUSE] = KIND("column clause", struct colclause, colclause_size, NULL, colclause_f),
    [NK_VALUES] = KIND("VALUES", struct valuesx, NULL, NULL, values_f),
};

/* ---- field access ---- */

#define AT(e, off, T) ((T *)((char *)(e) + (off)))
/* The field at off of a node (read only here; const cast away for brevity). */
#define CAT(e, off, T) ((T *)(uintptr_t)((const char *)(e) + (off)))

/* Number of slots an array field holds. */
static size_t field_count(const sqlalc_expr *e, const sqlalc_node_field *f)
{
    size_t n = *CAT(e, f->n_off, size_t);
    if (f->kind == ND_ARRAY)
        return n * f->mult;
    if (f->kind == ND_PARRAY && f->n2_off)
        return n * *CAT(e, f->n2_off, size_t);
    return n;
}

int sqlalc__node_children(const sqlalc_expr *e, sqlalc_child_fn fn, void *ctx)
{
    const sqlalc_node_field *f = sqlalc__kind_of(e)->fields;
    for (; f && f->kind; f++) {
        int rc = 0;
        switch (f->kind) {
        case ND_CHILD: {
            sqlalc_expr *c = *CAT(e, f->off, sqlalc_expr *);
            if (c)
                rc = fn(ctx, c);
            break;
        }
        case ND_TABLEREF: {
            struct sqlalc_table *t = *CAT(e, f->off, struct sqlalc_table *);
            if (t)
                rc = fn(ctx, &t->base);
            break;
        }
        case ND_VEC: {
            const exprvec *v = CAT(e, f->off, exprvec);
            for (size_t i = 0; i < v->n && !rc; i++)
                rc = fn(ctx, v->v[i]);
            break;
        }
        case ND_ARRAY:
        case ND_PARRAY: {
            sqlalc_expr *const *v =
                f->kind == ND_ARRAY ? CAT(e, f->off, sqlalc_expr *) : *CAT(e, f->off, sqlalc_expr **);
            size_t n = field_count(e, f);
            for (size_t i = 0; i < n && !rc; i++)
                if (v[i])
                    rc = fn(ctx, v[i]);
            break;
        }
        default: break;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- destruction ---- */

/* Drop one reference; a node that dies is pushed on *dead (through its
 * type pointer, no longer needed). */
static void release(sqlalc_expr **dead, sqlalc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SQLALC_NK_COLUMN) {
        struct sqlalc_table *t = ((struct sqlalc_column_node *)e)->table;
        if (!t)
            return; /* a free-standing column is owned by schema code */
        e = &t->base;
    }
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    e->type = (const sqlalc_type *)(void *)*dead;
    *dead = e;
}

static void free_stmt_cache(struct sqlalc_stmt *s)
{
    stmt_cache_entry *e = atomic_load(&s->cache);
    while (e) {
        stmt_cache_entry *n = e->next;
        sqlalc_compiled_free(e->compiled);
        sqlalc_free(e);
        e = n;
    }
}

/* Release e's children and owned arrays, then e itself. */
static void destroy_one(sqlalc_expr **dead, sqlalc_expr *e)
{
    const sqlalc_node_desc *k = sqlalc__kind_of(e);
    for (const sqlalc_node_field *f = k->fields; f && f->kind; f++) {
        switch (f->kind) {
        case ND_CHILD: release(dead, *AT(e, f->off, sqlalc_expr *)); break;
        case ND_TABLEREF: {
            struct sqlalc_table *t = *AT(e, f->off, struct sqlalc_table *);
            release(dead, t ? &t->base : NULL);
            break;
        }
        case ND_VEC: {
            exprvec *v = AT(e, f->off, exprvec);
            for (size_t i = 0; i < v->n; i++)
                release(dead, v->v[i]);
            sqlalc_free(v->v);
            break;
        }
        case ND_ARRAY: {
            sqlalc_expr **v = AT(e, f->off, sqlalc_expr *);
            size_t n = field_count(e, f);
            for (size_t i = 0; i < n; i++)
                release(dead, v[i]);
            break;
        }
        case ND_PARRAY: {
            sqlalc_expr **v = *AT(e, f->off, sqlalc_expr **);
            size_t n = v ? field_count(e, f) : 0;
            for (size_t i = 0; i < n; i++)
                release(dead, v[i]);
            sqlalc_free(v);
            break;
        }
        case ND_COLS: sqlalc_free(*AT(e, f->off, void *)); break;
        default: break;
        }
    }
    if (k->is_stmt)
        free_stmt_cache((struct sqlalc_stmt *)e);
    sqlalc_free(e);
}

void sqlalc__sql_node_destroy(sqlalc_expr *e)
{
    sqlalc_expr *dead = NULL;
    e->type = NULL;
    dead = e;
    while (dead) {
        sqlalc_expr *n = dead;
        dead = (sqlalc_expr *)(void *)n->type;
        if (n->kind == SQLALC_NK_TABLE)
            sqlalc__table_destroy((struct sqlalc_table *)n);
        else
            destroy_one(&dead, n);
    }
}

/* ---- cloning ---- */

static void relocate(void **p, const char *old, size_t size, char *new_)
{
    const char *q = *p;
    if (q >= old && q < old + size)
        *p = new_ + (q - old);
}

sqlalc_expr *sqlalc__node_clone(const sqlalc_expr *e)
{
    const sqlalc_node_desc *k = sqlalc__kind_of(e);
    /* Leaves are immutable and hold no children: sharing is copying. */
    if (!k->fields)
        return sqlalc_expr_ref((sqlalc_expr *)e);
    size_t size = k->alloc_size ? k->alloc_size(e) : k->size;
    sqlalc_expr *n = sqlalc__malloc(size);
    if (!n)
        return NULL;
    memcpy(n, e, size);
    atomic_init(&n->refs, 1);
    if (k->is_stmt)
        atomic_init(&((struct sqlalc_stmt *)n)->cache, NULL);
    /* First the owned arrays (the only step that can fail) ... */
    const sqlalc_node_field *f;
    for (f = k->fields; f->kind; f++) {
        void **slot;
        size_t bytes;
        if (f->kind == ND_VEC) {
            slot = (void **)&AT(n, f->off, exprvec)->v;
            bytes = AT(n, f->off, exprvec)->n * sizeof(sqlalc_expr *);
        } else if (f->kind == ND_PARRAY || f->kind == ND_COLS) {
            slot = AT(n, f->off, void *);
            bytes = field_count(n, f) * sizeof(void *);
            if (f->cap_off)
                *AT(n, f->cap_off, size_t) = field_count(n, f);
        } else {
            if (f->kind == ND_SELFSTR && *AT(n, f->off, char *))
                relocate(AT(n, f->off, void *), (const char *)e, size, (char *)n);
            continue;
        }
        if (!*slot)
            continue;
        if (!bytes) {
            *slot = NULL;
            continue;
        }
        void *copy = sqlalc__malloc(bytes);
        if (!copy) {
            /* undo the copies made so far */
            for (const sqlalc_node_field *g = k->fields; g != f; g++) {
                if (g->kind == ND_VEC)
                    sqlalc_free(AT(n, g->off, exprvec)->v);
                else if (g->kind == ND_PARRAY || g->kind == ND_COLS)
                    sqlalc_free(*AT(n, g->off, void *));
            }
            sqlalc_free(n);
            return NULL;
        }
        memcpy(copy, *slot, bytes);
        *slot = copy;
    }
    /* ... then the references. */
    for (f = k->fields; f->kind; f++) {
        switch (f->kind) {
        case ND_CHILD: sqlalc_expr_ref(*AT(n, f->off, sqlalc_expr *)); break;
        case ND_TABLEREF: {
            struct sqlalc_table *t = *AT(n, f->off, struct sqlalc_table *);
            if (t)
                sqlalc_expr_ref(&t->base);
            break;
        }
        case ND_VEC: {
            exprvec *v = AT(n, f->off, exprvec);
            for (size_t i = 0; i < v->n; i++)
                sqlalc_expr_ref(v->v[i]);
            break;
        }
        case ND_ARRAY:
        case ND_PARRAY: {
            sqlalc_expr **v =
                f->kind == ND_ARRAY ? AT(n, f->off, sqlalc_expr *) : *AT(n, f->off, sqlalc_expr **);
            size_t cnt = v ? field_count(n, f) : 0;
            for (size_t i = 0; i < cnt; i++)
                sqlalc_expr_ref(v[i]);
            break;
        }
        default: break;
        }
    }
    return n;
}

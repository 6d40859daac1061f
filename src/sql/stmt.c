/*
 * Statement builders: SELECT, compound selects, INSERT, UPDATE, DELETE,
 * and their generative modifiers.  A modifier consumes the statement it
 * is given: when the caller held the only reference (and nothing was
 * compiled yet) the node is changed in place, otherwise a shallow copy
 * sharing the children is made, so other holders never see a change.
 */
#include <string.h>
#include "expr_int.h"

static void drop_exprs(sqlalc_exprs l)
{
    for (size_t i = 0; i < l.n; i++)
        sqlalc_expr_free(l.items[i]);
}

static int exprs_ok(sqlalc_exprs l)
{
    for (size_t i = 0; i < l.n; i++)
        if (!l.items[i])
            return 0;
    return 1;
}

static void drop_kvs(sqlalc_kvs kv)
{
    for (size_t i = 0; i < kv.n; i++)
        sqlalc_expr_free(kv.items[i].value);
}

static int kvs_ok(sqlalc_kvs kv)
{
    for (size_t i = 0; i < kv.n; i++)
        if (!kv.items[i].value)
            return 0;
    return 1;
}

static void *stmt_new(size_t size, int kind)
{
    struct sqlalc_stmt *s = sqlalc__calloc(1, size);
    if (s) {
        sqlalc__node_init(&s->base, kind, NULL);
        atomic_init(&s->cache, NULL);
    }
    return s;
}

sqlalc_stmt *sqlalc_stmt_ref(sqlalc_stmt *s)
{
    return (sqlalc_stmt *)sqlalc_expr_ref((sqlalc_expr *)s);
}
void sqlalc_stmt_free(sqlalc_stmt *s)
{
    sqlalc_expr_free((sqlalc_expr *)s);
}

/* Append list items to a vector (taking the references; released on failure). */
static int vec_append(exprvec *v, sqlalc_exprs l)
{
    if (!l.n)
        return 1;
    sqlalc_expr **nv = sqlalc__realloc(v->v, (v->n + l.n) * sizeof(sqlalc_expr *));
    if (!nv) {
        drop_exprs(l);
        return 0;
    }
    memcpy(nv + v->n, l.items, l.n * sizeof(sqlalc_expr *));
    v->v = nv;
    v->n += l.n;
    return 1;
}

/* Copy a vector, taking a new reference on each item. */
static int vec_clone(exprvec *dst, const exprvec *src)
{
    dst->n = 0;
    dst->v = NULL;
    if (!src->n)
        return 1;
    dst->v = sqlalc__malloc(src->n * sizeof(sqlalc_expr *));
    if (!dst->v)
        return 0;
    for (size_t i = 0; i < src->n; i++)
        dst->v[i] = sqlalc_expr_ref(src->v[i]);
    dst->n = src->n;
    return 1;
}

/* Drop the compiled forms cached on a statement about to change in place. */
static void stmt_uncache(struct sqlalc_stmt *s)
{
    stmt_cache_entry *e = atomic_exchange(&s->cache, NULL);
    while (e) {
        stmt_cache_entry *n = e->next;
        sqlalc_compiled_free(e->compiled);
        sqlalc_free(e);
        e = n;
    }
}

/*
 * A statement of kind `kind` the caller may change: s itself when the
 * caller holds the only reference, else a copy.  Consumes s; NULL on
 * failure (s released).
 */
static struct sqlalc_stmt *stmt_mut(sqlalc_stmt *s, int kind, const char *what)
{
    if (!s)
        return NULL;
    if (s->base.kind != kind &&
        !(kind == -1 &&
          (s->base.kind == NK_SELECT || s->base.kind == NK_UPDATE || s->base.kind == NK_DELETE)) &&
        !(kind == -2 && (s->base.kind == NK_SELECT || s->base.kind == NK_COMPOUND)) &&
        !(kind == -3 &&
          (s->base.kind == NK_INSERT || s->base.kind == NK_UPDATE || s->base.kind == NK_DELETE))) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: not applicable to this kind of statement", what);
        sqlalc_stmt_free(s);
        return NULL;
    }
    if (s->base.kind == NK_SELECT && ((struct sel *)s)->text) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                         "%s: a textual SELECT (sqlalc_text_columns) is its SQL as written; "
                         "use it as a subquery to add clauses",
                         what);
        sqlalc_stmt_free(s);
        return NULL;
    }
    if (atomic_load(&s->base.refs) == 1) {
        stmt_uncache(s);
        return s;
    }
    /* Shared: a shallow copy (new references to the same children). */
    struct sqlalc_stmt *c = (struct sqlalc_stmt *)sqlalc__node_clone(&s->base);
    sqlalc_stmt_free(s);
    return c;
}

/* ---- SELECT ---- */

sqlalc_stmt *sqlalc_select_cols(sqlalc_exprs cols)
{
    if (!exprs_ok(cols)) {
        drop_exprs(cols);
        return NULL;
    }
    struct sel *s = stmt_new(sizeof *s, NK_SELECT);
    if (!s) {
        drop_exprs(cols);
        return NULL;
    }
    if (!vec_append(&s->cols, cols)) {
        sqlalc_stmt_free(&s->st);
        return NULL;
    }
    return &s->st;
}

sqlalc_stmt *sqlalc_text_columns_list(sqlalc_expr *text, sqlalc_exprs cols)
{
    if (!text || !exprs_ok(cols)) {
        sqlalc_expr_free(text);
        drop_exprs(cols);
        return NULL;
    }
    for (size_t i = 0; i < cols.n; i++)
        if (cols.items[i]->kind != NK_COLCLAUSE && cols.items[i]->kind != SQLALC_NK_COLUMN) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                             "sqlalc_text_columns: column %zu is not a column (sqlalc_column_clause or a "
                             "table's column)",
                             i);
            sqlalc_expr_free(text);
            drop_exprs(cols);
            return NULL;
        }
    if (text->kind != NK_TEXT) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_text_columns: not SQL text (sqlalc_text_sql)");
        sqlalc_expr_free(text);
        drop_exprs(cols);
        return NULL;
    }
    sqlalc_stmt *s = sqlalc_select_cols(cols);
    if (!s) {
        sqlalc_expr_free(text);
        return NULL;
    }
    ((struct sel *)s)->text = text;
    return s;
}

sqlalc_stmt *sqlalc_select_where(sqlalc_exprs cols, sqlalc_expr *where)
{
    if (!where) {
        drop_exprs(cols);
        return NULL;
    }
    return sqlalc_where(sqlalc_select_cols(cols), where);
}

/* AND cond into *slot (taking cond). */
static int and_into(sqlalc_expr **slot, sqlalc_expr *cond)
{
    if (!*slot) {
        *slot = cond;
        return 1;
    }
    sqlalc_expr *n = sqlalc_and(*slot, cond);
    *slot = n;
    return n != NULL;
}

sqlalc_stmt *sqlalc_where(sqlalc_stmt *stmt, sqlalc_expr *cond)
{
    if (!stmt || !cond) {
        sqlalc_stmt_free(stmt);
        sqlalc_expr_free(cond);
        return NULL;
    }
    struct sqlalc_stmt *s = stmt_mut(stmt, -1, "sqlalc_where");
    if (!s) {
        sqlalc_expr_free(cond);
        return NULL;
    }
    sqlalc_expr **slot = s->base.kind == NK_SELECT   ? &((struct sel *)s)->where
                         : s->base.kind == NK_UPDATE ? &((struct upd *)s)->where
                                                     : &((struct del *)s)->where;
    if (!and_into(slot, cond)) {
        sqlalc_stmt_free(s);
        return NULL;
    }
    return s;
}

sqlalc_stmt *sqlalc_having(sqlalc_stmt *stmt, sqlalc_expr *cond)
{
    if (!stmt || !cond) {
        sqlalc_stmt_free(stmt);
        sqlalc_expr_free(cond);
        return NULL;
    }
    struct sqlalc_stmt *s = stmt_mut(stmt, NK_SELECT, "sqlalc_having");
    if (!s) {
        sqlalc_expr_free(cond);
        return NULL;
    }
    if (!and_into(&((struct sel *)s)->having, cond)) {
        sqlalc_stmt_free(s);
        return NULL;
    }
    return s;
}

static sqlalc_stmt *vec_modifier(sqlalc_stmt *stmt, sqlalc_exprs l, int kind, int which, const char *what)
{
    if (!stmt || !exprs_ok(l)) {
        sqlalc_stmt_free(stmt);
        drop_exprs(l);
        return NULL;
    }
    struct sqlalc_stmt *s = stmt_mut(stmt, kind, what);
    if (!s) {
        drop_exprs(l);
        return NULL;
    }
    exprvec *v;
    if (s->base.kind == NK_COMPOUND)
        v = &((struct compound *)s)->order;
    else if (s->base.kind == NK_SELECT)
        v = which == 0   ? &((struct sel *)s)->froms
            : which == 1 ? &((struct sel *)s)->group
                         : &((struct sel *)s)->order;
    else
        v = s->base.kind == NK_INSERT   ? &((struct ins *)s)->returning
            : s->base.kind == NK_UPDATE ? &((struct upd *)s)->returning
                                        : &((struct del *)s)->returning;
    if (!vec_append(v, l)) {
        sqlalc_stmt_free(s);
        return NULL;
    }
    return s;
}

sqlalc_stmt *sqlalc_select_from(sqlalc_stmt *stmt, sqlalc_expr *from)
{
    if (!from) {
        sqlalc_stmt_free(stmt);
        return NULL;
    }
    if (from->kind != SQLALC_NK_TABLE && from->kind != NK_ALIAS && from->kind != NK_JOIN) {
        sqlalc_stmt_free(stmt);
        sqlalc_expr_free(from);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_select_from: not a table, alias, subquery or join");
        return NULL;
    }
    return vec_modifier(stmt, SQLALC_EXPRS(from), NK_SELECT, 0, "sqlalc_select_from");
}

sqlalc_stmt *sqlalc_group_by(sqlalc_stmt *stmt, sqlalc_exprs l)
{
    return vec_modifier(stmt, l, NK_SELECT, 1, "sqlalc_group_by");
}
sqlalc_stmt *sqlalc_order_by(sqlalc_stmt *stmt, sqlalc_exprs l)
{
    return vec_modifier(stmt, l, -2, 2, "sqlalc_order_by");
}
sqlalc_stmt *sqlalc_returning(sqlalc_stmt *stmt, sqlalc_exprs l)
{
    return vec_modifier(stmt, l, -3, 0, "sqlalc_returning");
}

static sqlalc_stmt *limoff(sqlalc_stmt *stmt, int64_t n, int is_limit)
{
    struct sqlalc_stmt *s = stmt_mut(stmt, -2, is_limit ? "sqlalc_limit" : "sqlalc_offset");
    if (!s)
        return NULL;
    if (s->base.kind == NK_SELECT) {
        struct sel *q = (struct sel *)s;
        if (is_limit)
            q->limit = SQLALC_INTV(n), q->has_limit = 1;
        else
            q->offset = SQLALC_INTV(n), q->has_offset = 1;
    } else {
        struct compound *q = (struct compound *)s;
        if (is_limit)
            q->limit = SQLALC_INTV(n), q->has_limit = 1;
        else
            q->offset = SQLALC_INTV(n), q->has_offset = 1;
    }
    return s;
}

sqlalc_stmt *sqlalc_limit(sqlalc_stmt *stmt, int64_t n)
{
    return limoff(stmt, n, 1);
}
sqlalc_stmt *sqlalc_offset(sqlalc_stmt *stmt, int64_t n)
{
    return limoff(stmt, n, 0);
}

sqlalc_stmt *sqlalc_select_distinct(sqlalc_stmt *stmt)
{
    struct sqlalc_stmt *s = stmt_mut(stmt, NK_SELECT, "sqlalc_select_distinct");
    if (s)
        ((struct sel *)s)->distinct = 1;
    return s;
}

sqlalc_stmt *sqlalc_for_update(sqlalc_stmt *stmt, int flags)
{
    struct sqlalc_stmt *s = stmt_mut(stmt, NK_SELECT, "sqlalc_for_update");
    if (s)
        ((struct sel *)s)->for_update = flags ? flags : SQLALC_FOR_UPDATE;
    return s;
}

/* ---- compound ---- */

static sqlalc_stmt *compound(int op, sqlalc_stmt *a, sqlalc_stmt *b)
{
    if (!a || !b) {
        sqlalc_stmt_free(a);
        sqlalc_stmt_free(b);
        return NULL;
    }
    if ((a->base.kind != NK_SELECT && a->base.kind != NK_COMPOUND) ||
        (b->base.kind != NK_SELECT && b->base.kind != NK_COMPOUND)) {
        sqlalc_error_set(
            SQLALC_ERR_ARGUMENT, "union/intersect/except: operands must be SELECTs, not %s",
            sqlalc__kind_of(a->base.kind != NK_SELECT && a->base.kind != NK_COMPOUND ? &a->base : &b->base)
                ->name);
        sqlalc_stmt_free(a);
        sqlalc_stmt_free(b);
        return NULL;
    }
    struct compound *c = stmt_new(sizeof *c, NK_COMPOUND);
    if (!c) {
        sqlalc_stmt_free(a);
        sqlalc_stmt_free(b);
        return NULL;
    }
    c->op = op;
    /* a UNION b UNION c reads as one flat list, as SQLAlchemy's union(a, b, c). */
    struct compound *ca = (struct compound *)a;
    if (a->base.kind == NK_COMPOUND && ca->op == op && !ca->order.n && !ca->has_limit && !ca->has_offset) {
        if (!vec_clone(&c->selects, &ca->selects)) {
            sqlalc_stmt_free(a);
            sqlalc_stmt_free(b);
            sqlalc_stmt_free(&c->st);
            sqlalc__oom();
            return NULL;
        }
        sqlalc_stmt_free(a);
        if (!vec_append(&c->selects, SQLALC_EXPRS((sqlalc_expr *)b))) {
            sqlalc_stmt_free(&c->st);
            return NULL;
        }
    } else if (!vec_append(&c->selects, SQLALC_EXPRS((sqlalc_expr *)a, (sqlalc_expr *)b))) {
        sqlalc_stmt_free(&c->st);
        return NULL;
    }
    return &c->st;
}

static sqlalc_stmt *compound_of(int op, sqlalc_stmts l, const char *what)
{
    int bad = l.n < 2;
    for (size_t i = 0; i < l.n; i++)
        bad |= !l.items[i];
    if (bad) {
        if (l.n < 2)
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: needs at least two statements (got %zu)", what, l.n);
        for (size_t i = 0; i < l.n; i++)
            sqlalc_stmt_free(l.items[i]);
        return NULL;
    }
    sqlalc_stmt *acc = compound(op, l.items[0], l.items[1]);
    for (size_t i = 2; i < l.n; i++)
        acc = compound(op, acc, l.items[i]);
    return acc;
}

sqlalc_stmt *sqlalc_union_of(sqlalc_stmts l)
{
    return compound_of(CMP_UNION, l, "sqlalc_union_of");
}
sqlalc_stmt *sqlalc_union_all_of(sqlalc_stmts l)
{
    return compound_of(CMP_UNION_ALL, l, "sqlalc_union_all_of");
}
sqlalc_stmt *sqlalc_intersect_of(sqlalc_stmts l)
{
    return compound_of(CMP_INTERSECT, l, "sqlalc_intersect_of");
}
sqlalc_stmt *sqlalc_except_of(sqlalc_stmts l)
{
    return compound_of(CMP_EXCEPT, l, "sqlalc_except_of");
}

sqlalc_expr *sqlalc_selected_column(const sqlalc_stmt *stmt, const char *name)
{
    const exprvec *cols = stmt ? sqlalc__stmt_result_exprs(&stmt->base) : NULL;
    if (!stmt || !name || !cols || (stmt->base.kind != NK_SELECT && stmt->base.kind != NK_COMPOUND)) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_selected_column: not a SELECT or compound, or no name");
        return NULL;
    }
    for (size_t i = 0; i < cols->n; i++) {
        const sqlalc_expr *e = cols->v[i];
        const char *k = e->kind == SQLALC_NK_COLUMN ? ((const struct sqlalc_column_node *)e)->name
                        : e->kind == NK_ALIAS_COL   ? ((const struct aliascol *)e)->name
                        : e->kind == NK_LABEL       ? ((const struct label *)e)->name
                        : e->kind == NK_COLCLAUSE   ? ((const struct colclause *)e)->name
                                                    : NULL;
        if (k && !strcmp(k, name))
            return sqlalc_expr_ref(cols->v[i]);
    }
    sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "sqlalc_selected_column: the statement returns no column '%s'",
                     name);
    return NULL;
}

sqlalc_stmt *sqlalc_union(sqlalc_stmt *a, sqlalc_stmt *b)
{
    return compound(CMP_UNION, a, b);
}
sqlalc_stmt *sqlalc_union_all(sqlalc_stmt *a, sqlalc_stmt *b)
{
    return compound(CMP_UNION_ALL, a, b);
}
sqlalc_stmt *sqlalc_intersect(sqlalc_stmt *a, sqlalc_stmt *b)
{
    return compound(CMP_INTERSECT, a, b);
}
sqlalc_stmt *sqlalc_except(sqlalc_stmt *a, sqlalc_stmt *b)
{
    return compound(CMP_EXCEPT, a, b);
}

/* ---- DML ---- */

static struct sqlalc_column_node *table_col(const struct sqlalc_table *t, const char *name)
{
    for (size_t i = 0; name && i < t->ncolumns; i++)
        if (!strcmp(t->columns[i]->name, name))
            return t->columns[i];
    sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column '%s' in table '%s'", name ? name : "(null)", t->name);
    return NULL;
}

static int table_ok(sqlalc_table *t, const char *what)
{
    if (!t) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: NULL table", what);
        return 0;
    }
    return 1;
}

sqlalc_stmt *sqlalc_insert(sqlalc_table *t)
{
    if (!table_ok(t, "sqlalc_insert"))
        return NULL;
    struct ins *s = stmt_new(sizeof *s, NK_INSERT);
    if (!s)
        return NULL;
    s->table = (struct sqlalc_table *)sqlalc_expr_ref(&t->base);
    return &s->st;
}

sqlalc_stmt *sqlalc_insert_default_values(sqlalc_table *t)
{
    sqlalc_stmt *s = sqlalc_insert(t);
    if (s)
        ((struct ins *)s)->default_values = 1;
    return s;
}

sqlalc_stmt *sqlalc_insert_from_select(sqlalc_table *t, sqlalc_names cols, sqlalc_stmt *sel)
{
    if (!sel || !sqlalc__select_arg_ok(sel, "sqlalc_insert_from_select"))
        return NULL;
    sqlalc_stmt *s = sqlalc_insert(t);
    if (!s) {
        sqlalc_stmt_free(sel);
        return NULL;
    }
    struct ins *in = (struct ins *)s;
    in->cols = sqlalc__calloc(cols.n ? cols.n : 1, sizeof *in->cols);
    if (!in->cols)
        goto fail;
    for (size_t i = 0; i < cols.n; i++) {
        in->cols[i] = table_col(t, cols.items[i]);
        if (!in->cols[i])
            goto fail;
    }
    in->ncols = cols.n;
    in->from_select = (sqlalc_expr *)sel;
    return s;
fail:
    sqlalc_stmt_free(sel);
    sqlalc_stmt_free(s);
    return NULL;
}

sqlalc_stmt *sqlalc_update(sqlalc_table *t)
{
    if (!table_ok(t, "sqlalc_update"))
        return NULL;
    struct upd *s = stmt_new(sizeof *s, NK_UPDATE);
    if (!s)
        return NULL;
    s->table = (struct sqlalc_table *)sqlalc_expr_ref(&t->base);
    return &s->st;
}

sqlalc_stmt *sqlalc_delete(sqlalc_table *t)
{
    if (!table_ok(t, "sqlalc_delete"))
        return NULL;
    struct del *s = stmt_new(sizeof *s, NK_DELETE);
    if (!s)
        return NULL;
    s->table = (struct sqlalc_table *)sqlalc_expr_ref(&t->base);
    return &s->st;
}

static size_t col_index(const struct sqlalc_table *t, const struct sqlalc_column_node *c)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i] == c)
            return i;
    return t->ncolumns;
}

/* Set (col, value) pairs into the arrays (growing them), taking the values. */
static int set_pairs(const struct sqlalc_table *t, sqlalc_kvs kv, struct sqlalc_column_node ***cols,
                     sqlalc_expr ***vals, size_t *n)
{
    struct sqlalc_column_node **nc = sqlalc__realloc(*cols, (*n + kv.n + 1) * sizeof *nc);
    if (!nc)
        goto fail;
    *cols = nc;
    sqlalc_expr **nv = sqlalc__realloc(*vals, (*n + kv.n + 1) * sizeof *nv);
    if (!nv)
        goto fail;
    *vals = nv;
    for (size_t i = 0; i < kv.n; i++) {
        struct sqlalc_column_node *c = table_col(t, kv.items[i].column);
        if (!c) {
            for (size_t j = i; j < kv.n; j++)
                sqlalc_expr_free(kv.items[j].value);
            return 0;
        }
        /* Setting a column twice replaces the earlier value. */
        size_t k;
        for (k = 0; k < *n && nc[k] != c; k++)
            ;
        if (k < *n) {
            sqlalc_expr_free(nv[k]);
            nv[k] = kv.items[i].value;
        } else {
            /* Insert in the table's column order, as SQLAlchemy renders SET. */
            size_t pos = col_index(t, c), j = *n;
            while (j > 0 && col_index(t, nc[j - 1]) > pos) {
                nc[j] = nc[j - 1];
                nv[j] = nv[j - 1];
                j--;
            }
            nc[j] = c;
            nv[j] = kv.items[i].value;
            (*n)++;
        }
    }
    return 1;
fail:
    drop_kvs(kv);
    return 0;
}

sqlalc_stmt *sqlalc_values(sqlalc_stmt *stmt, sqlalc_kvs kv)
{
    if (!stmt || !kvs_ok(kv)) {
        sqlalc_stmt_free(stmt);
        drop_kvs(kv);
        return NULL;
    }
    if (stmt->base.kind == NK_UPDATE) {
        struct sqlalc_stmt *s = stmt_mut(stmt, NK_UPDATE, "sqlalc_values");
        if (!s) {
            drop_kvs(kv);
            return NULL;
        }
        struct upd *u = (struct upd *)s;
        if (!set_pairs(u->table, kv, &u->set_cols, &u->set_vals, &u->nset)) {
            sqlalc_stmt_free(s);
            return NULL;
        }
        return s;
    }
    struct sqlalc_stmt *s = stmt_mut(stmt, NK_INSERT, "sqlalc_values");
    if (!s) {
        drop_kvs(kv);
        return NULL;
    }
    struct ins *in = (struct ins *)s;
    if (in->from_select || in->default_values) {
        drop_kvs(kv);
        sqlalc_stmt_free(s);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_values: INSERT has a SELECT or DEFAULT VALUES");
        return NULL;
    }
    if (in->nrows == 0) {
        in->cols = sqlalc__malloc((kv.n ? kv.n : 1) * sizeof *in->cols);
        in->values = sqlalc__malloc((kv.n ? kv.n : 1) * sizeof *in->values);
        in->values_cap = kv.n ? kv.n : 1;
        if (!in->cols || !in->values) {
            drop_kvs(kv);
            sqlalc_stmt_free(s);
            return NULL;
        }
        for (size_t i = 0; i < kv.n; i++) {
            struct sqlalc_column_node *c = table_col(in->table, kv.items[i].column);
            if (!c) {
                drop_kvs(kv);
                in->ncols = 0;
                sqlalc_stmt_free(s);
                return NULL;
            }
            in->cols[i] = c;
        }
        for (size_t i = 0; i < kv.n; i++)
            in->values[i] = kv.items[i].value;
        /* Columns in the table's order, as SQLAlchemy renders them. */
        for (size_t i = 1; i < kv.n; i++)
            for (size_t j = i;
                 j > 0 && col_index(in->table, in->cols[j - 1]) > col_index(in->table, in->cols[j]); j--) {
                struct sqlalc_column_node *tc = in->cols[j];
                in->cols[j] = in->cols[j - 1];
                in->cols[j - 1] = tc;
                sqlalc_expr *tv = in->values[j];
                in->values[j] = in->values[j - 1];
                in->values[j - 1] = tv;
            }
        in->ncols = kv.n;
        in->nrows = 1;
        return s;
    }
    /* Another row: same columns, taken in the table's order of the first row. */
    if (kv.n != in->ncols) {
        drop_kvs(kv);
        sqlalc_stmt_free(s);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_values: every row must name the same columns");
        return NULL;
    }
    size_t need = (in->nrows + 1) * in->ncols;
    if (need > in->values_cap) {
        /* Doubling: building a many-row INSERT row by row stays linear. */
        size_t cap = in->values_cap * 2 > need ? in->values_cap * 2 : need;
        sqlalc_expr **nv = sqlalc__realloc(in->values, cap * sizeof *nv);
        if (!nv) {
            drop_kvs(kv);
            sqlalc_stmt_free(s);
            return NULL;
        }
        in->values = nv;
        in->values_cap = cap;
    }
    sqlalc_expr **nv = in->values;
    sqlalc_expr **row = nv + in->nrows * in->ncols;
    for (size_t i = 0; i < in->ncols; i++)
        row[i] = NULL;
    for (size_t i = 0; i < kv.n; i++) {
        size_t k;
        for (k = 0; k < in->ncols && strcmp(in->cols[k]->name, kv.items[i].column); k++)
            ;
        if (k == in->ncols || row[k]) {
            for (size_t j = 0; j < in->ncols; j++)
                sqlalc_expr_free(row[j]);
            for (size_t j = i; j < kv.n; j++)
                sqlalc_expr_free(kv.items[j].value);
            sqlalc_stmt_free(s);
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_values: every row must name the same columns");
            return NULL;
        }
        row[k] = kv.items[i].value;
    }
    in->nrows++;
    return s;
}

static sqlalc_stmt *on_conflict(sqlalc_stmt *stmt, sqlalc_exprs idx, int mode, sqlalc_kvs set,
                                sqlalc_expr *where, int has_where)
{
    if (!stmt || !exprs_ok(idx) || !kvs_ok(set) || (has_where && !where)) {
        sqlalc_stmt_free(stmt);
        drop_exprs(idx);
        drop_kvs(set);
        sqlalc_expr_free(where);
        return NULL;
    }
    struct sqlalc_stmt *s = stmt_mut(stmt, NK_INSERT, "on_conflict");
    if (!s) {
        drop_exprs(idx);
        drop_kvs(set);
        sqlalc_expr_free(where);
        return NULL;
    }
    struct ins *in = (struct ins *)s;
    sqlalc__exprvec_free(&in->conflict_cols);
    in->upsert = mode;
    if (!vec_append(&in->conflict_cols, idx)) {
        drop_kvs(set);
        sqlalc_expr_free(where);
        sqlalc_stmt_free(s);
        return NULL;
    }
    if (set.n && !set_pairs(in->table, set, &in->set_cols, &in->set_vals, &in->nset)) {
        sqlalc_expr_free(where);
        sqlalc_stmt_free(s);
        return NULL;
    }
    sqlalc_expr_free(in->upsert_where);
    in->upsert_where = where;
    return s;
}

sqlalc_stmt *sqlalc_on_conflict_do_nothing(sqlalc_stmt *ins, sqlalc_exprs idx)
{
    return on_conflict(ins, idx, UPSERT_NOTHING, (sqlalc_kvs){ 0, NULL }, NULL, 0);
}

sqlalc_stmt *sqlalc_on_conflict_do_update(sqlalc_stmt *ins, sqlalc_exprs idx, sqlalc_kvs set)
{
    return on_conflict(ins, idx, UPSERT_UPDATE, set, NULL, 0);
}

sqlalc_stmt *sqlalc_on_conflict_do_update_where(sqlalc_stmt *ins, sqlalc_exprs idx, sqlalc_kvs set,
                                                sqlalc_expr *where)
{
    return on_conflict(ins, idx, UPSERT_UPDATE, set, where, 1);
}

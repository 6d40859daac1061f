/*
 * FROM-item constructors: aliases, subqueries, CTEs, alias columns and
 * joins (ON inferred from foreign keys).  The ownership rule of sqlalc.h
 * holds as in build.c.
 */
#include <string.h>
#include "build_int.h"

/* ---- FROM items ---- */

static sqlalc_expr *alias_new(sqlalc_expr *target, const char *name, int cte, int recursive)
{
    if (!target)
        return NULL;
    int k = target->kind;
    if (k != SQLALC_NK_TABLE && k != NK_SELECT && k != NK_COMPOUND && k != NK_ALIAS && k != NK_VALUES) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: only a table or a SELECT can be aliased, not %s",
                         cte ? "sqlalc_cte" : "sqlalc_alias / sqlalc_subquery",
                         sqlalc__kind_of(target)->name);
        sqlalc_expr_free(target);
        return NULL;
    }
    if (cte && (!name || !*name)) {
        sqlalc_expr_free(target);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "cte: a name is required");
        return NULL;
    }
    size_t nl = name ? strlen(name) + 1 : 0;
    struct alias *a = node_new(sizeof *a + nl, NK_ALIAS);
    if (!a) {
        sqlalc_expr_free(target);
        return NULL;
    }
    a->target = target;
    if (name) {
        a->name = (char *)(a + 1);
        memcpy(a->name, name, nl);
    }
    a->is_cte = cte ? 1u : 0u;
    a->recursive = recursive ? 1u : 0u;
    return &a->base;
}

static void drop_two(sqlalc_exprs a, sqlalc_exprs b)
{
    for (size_t i = 0; i < a.n; i++)
        sqlalc_expr_free(a.items[i]);
    for (size_t i = 0; i < b.n; i++)
        sqlalc_expr_free(b.items[i]);
}

sqlalc_expr *sqlalc_values_clause(const char *name, sqlalc_exprs cols, sqlalc_exprs data)
{
    int null_arg = 0;
    for (size_t i = 0; i < cols.n; i++)
        null_arg |= !cols.items[i];
    for (size_t i = 0; i < data.n; i++)
        null_arg |= !data.items[i];
    if (null_arg) {
        drop_two(cols, data);
        return NULL;
    }
    const char *bad = !cols.n           ? "no columns"
                      : !data.n         ? "no rows"
                      : data.n % cols.n ? "the values are not a whole number of rows"
                      : !name || !*name ? "a name is required"
                                        : NULL;
    for (size_t i = 0; !bad && i < cols.n; i++)
        if (cols.items[i]->kind != NK_COLCLAUSE)
            bad = "a column is not a sqlalc_column_clause";
    struct valuesx *v = bad ? NULL : node_new(sizeof *v, NK_VALUES);
    if (bad)
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_values_clause: %s", bad);
    if (!v) {
        drop_two(cols, data);
        return NULL;
    }
    v->cols.v = sqlalc__malloc(cols.n * sizeof *v->cols.v);
    v->data.v = sqlalc__malloc(data.n * sizeof *v->data.v);
    if (!v->cols.v || !v->data.v) {
        sqlalc_free(v->cols.v);
        sqlalc_free(v->data.v);
        v->cols.v = v->data.v = NULL;
        sqlalc_expr_free(&v->base);
        drop_two(cols, data);
        return NULL;
    }
    memcpy(v->cols.v, cols.items, cols.n * sizeof *v->cols.v);
    v->cols.n = cols.n;
    memcpy(v->data.v, data.items, data.n * sizeof *v->data.v);
    v->data.n = data.n;
    return alias_new(&v->base, name, 0, 0);
}

sqlalc_expr *sqlalc_alias(sqlalc_expr *from, const char *name)
{
    return alias_new(from, name, 0, 0);
}
sqlalc_expr *sqlalc_subquery(sqlalc_stmt *sel, const char *name)
{
    return alias_new((sqlalc_expr *)sel, name, 0, 0);
}
sqlalc_expr *sqlalc_cte(sqlalc_stmt *sel, const char *name)
{
    return alias_new((sqlalc_expr *)sel, name, 1, 0);
}
sqlalc_expr *sqlalc_cte_recursive(sqlalc_stmt *sel, const char *name)
{
    return alias_new((sqlalc_expr *)sel, name, 1, 1);
}

static sqlalc_expr *cte_union(sqlalc_expr *cte, sqlalc_stmt *rec, int all)
{
    if (!cte || !rec) {
        sqlalc_expr_free(cte);
        sqlalc_stmt_free(rec);
        return NULL;
    }
    struct alias *a = (struct alias *)cte;
    if (cte->kind != NK_ALIAS || !a->is_cte) {
        sqlalc_expr_free(cte);
        sqlalc_stmt_free(rec);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_cte_union: not a CTE");
        return NULL;
    }
    sqlalc_stmt *body = all ? sqlalc_union_all(sqlalc_stmt_ref((sqlalc_stmt *)a->target), rec)
                            : sqlalc_union(sqlalc_stmt_ref((sqlalc_stmt *)a->target), rec);
    if (!body) {
        sqlalc_expr_free(cte);
        return NULL;
    }
    sqlalc_expr *n = alias_new((sqlalc_expr *)body, a->name, 1, 1);
    if (!n) {
        sqlalc_expr_free(cte);
        return NULL;
    }
    ((struct alias *)n)->anchor = a; /* keeps the reference passed in */
    return n;
}

sqlalc_expr *sqlalc_cte_union_all(sqlalc_expr *cte, sqlalc_stmt *rec)
{
    return cte_union(cte, rec, 1);
}
sqlalc_expr *sqlalc_cte_union(sqlalc_expr *cte, sqlalc_stmt *rec)
{
    return cte_union(cte, rec, 0);
}

/* The name a SELECT column is known by in a subquery (NULL: none). */
static const char *sel_col_name(const sqlalc_expr *e)
{
    switch (e->kind) {
    case SQLALC_NK_COLUMN: return ((const struct sqlalc_column_node *)e)->name;
    case NK_ALIAS_COL: return ((const struct aliascol *)e)->name;
    case NK_LABEL: return ((const struct label *)e)->name;
    case NK_COLCLAUSE: return ((const struct colclause *)e)->name;
    default: return NULL;
    }
}

static const struct sel *first_select(const sqlalc_expr *e)
{
    while (e && e->kind == NK_COMPOUND)
        e = ((const struct compound *)e)->selects.v[0];
    return e && e->kind == NK_SELECT ? (const struct sel *)e : NULL;
}

sqlalc_expr *sqlalc_ac(sqlalc_expr *from, const char *name)
{
    if (!from)
        return NULL;
    if (from->kind != NK_ALIAS || !name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_ac: not an alias, subquery or CTE");
        return NULL;
    }
    struct alias *a = (struct alias *)from;
    sqlalc_expr *inner = NULL;
    const sqlalc_expr *t = a->target;
    while (t->kind == NK_ALIAS)
        t = ((const struct alias *)t)->target;
    if (t->kind == SQLALC_NK_TABLE) {
        const struct sqlalc_table *tb = (const struct sqlalc_table *)t;
        for (size_t i = 0; i < tb->ncolumns; i++)
            if (!strcmp(tb->columns[i]->name, name))
                inner = &tb->columns[i]->base;
    } else if (t->kind == NK_VALUES) {
        const struct valuesx *v = (const struct valuesx *)t;
        for (size_t i = 0; i < v->cols.n && !inner; i++)
            if (!strcmp(((const struct colclause *)v->cols.v[i])->name, name))
                inner = v->cols.v[i];
    } else {
        const struct sel *s = first_select(t);
        for (size_t i = 0; s && i < s->cols.n; i++) {
            const char *cn = sel_col_name(s->cols.v[i]);
            if (cn && !strcmp(cn, name)) {
                inner = s->cols.v[i];
                break;
            }
        }
    }
    if (!inner) {
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column '%s' in '%s'", name,
                         a->name ? a->name : "(anonymous subquery)");
        return NULL;
    }
    size_t nl = strlen(name) + 1;
    struct aliascol *c = node_new(sizeof *c + nl, NK_ALIAS_COL);
    if (!c)
        return NULL;
    c->alias = (struct alias *)sqlalc_expr_ref(from);
    c->inner = inner;
    c->name = (char *)(c + 1);
    memcpy(c->name, name, nl);
    c->base.type = inner->type;
    return &c->base;
}

sqlalc_stmt *sqlalc_select_table(sqlalc_expr *from)
{
    if (!from)
        return NULL;
    size_t n = 0;
    const struct sqlalc_table *tb = NULL;
    const struct sel *s = NULL;
    const struct valuesx *vx = NULL;
    if (from->kind == SQLALC_NK_TABLE)
        tb = (const struct sqlalc_table *)from;
    else if (from->kind == NK_ALIAS) {
        const sqlalc_expr *t = ((const struct alias *)from)->target;
        while (t->kind == NK_ALIAS)
            t = ((const struct alias *)t)->target;
        if (t->kind == SQLALC_NK_TABLE)
            tb = (const struct sqlalc_table *)t;
        else if (t->kind == NK_VALUES)
            vx = (const struct valuesx *)t;
        else
            s = first_select(t);
    }
    if (!tb && !s && !vx) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_select_table: not a table, alias or subquery");
        sqlalc_expr_free(from);
        return NULL;
    }
    n = tb ? tb->ncolumns : vx ? vx->cols.n : s->cols.n;
    sqlalc_expr **cols = sqlalc__calloc(n ? n : 1, sizeof *cols);
    if (!cols) {
        sqlalc_expr_free(from);
        return NULL;
    }
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (from->kind == SQLALC_NK_TABLE) {
            cols[i] = sqlalc_expr_ref(&tb->columns[i]->base);
            continue;
        }
        const char *nm = tb   ? tb->columns[i]->name
                         : vx ? ((const struct colclause *)vx->cols.v[i])->name
                              : sel_col_name(s->cols.v[i]);
        if (!nm) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                             "sqlalc_select_table: column %zu of the subquery has no name (label it)", i);
            ok = 0;
            break;
        }
        ok = (cols[i] = sqlalc_ac(from, nm)) != NULL;
    }
    sqlalc_stmt *q = NULL;
    if (ok) {
        q = sqlalc_select_cols((sqlalc_exprs){ n, cols });
        if (q && !n) /* SELECT with no columns: name the FROM item */
            q = sqlalc_select_from(q, sqlalc_expr_ref(from));
    } else
        for (size_t i = 0; i < n; i++)
            sqlalc_expr_free(cols[i]);
    sqlalc_free(cols);
    sqlalc_expr_free(from);
    return q;
}

sqlalc_expr *sqlalc_excluded(sqlalc_table *t, const char *column)
{
    if (!t || !column) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_excluded: NULL table or column");
        return NULL;
    }
    struct sqlalc_column_node *col = NULL;
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i]->name, column))
            col = t->columns[i];
    if (!col) {
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no column '%s' in table '%s'", column, t->name);
        return NULL;
    }
    struct aliascol *c = node_new(sizeof *c, NK_EXCLUDED);
    if (!c)
        return NULL;
    c->inner = &col->base;
    c->name = col->name;
    c->table = (struct sqlalc_table *)sqlalc_expr_ref(&t->base);
    c->base.type = col->type;
    return &c->base;
}

/* ---- joins ---- */

/* The table under a FROM leaf (table or alias of a table), or NULL. */
static const struct sqlalc_table *leaf_table(const sqlalc_expr *e)
{
    while (e && e->kind == NK_ALIAS)
        e = ((const struct alias *)e)->target;
    return e && e->kind == SQLALC_NK_TABLE ? (const struct sqlalc_table *)e : NULL;
}

/* A reference to column col of table t seen through leaf (the table or an alias). */
static sqlalc_expr *leaf_col(sqlalc_expr *leaf, struct sqlalc_column_node *col)
{
    if (leaf->kind == SQLALC_NK_TABLE)
        return sqlalc_expr_ref(&col->base);
    return sqlalc_ac(leaf, col->name);
}

static struct sqlalc_column_node *find_col(const struct sqlalc_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i]->name, name))
            return t->columns[i];
    return NULL;
}

static int fk_targets(const sqlalc_fk *fk, const struct sqlalc_table *t)
{
    if (fk->ref)
        return fk->ref == t;
    return fk->ref_table && !strcmp(fk->ref_table, t->name) &&
           ((!fk->ref_schema && !t->schema) ||
            (fk->ref_schema && t->schema && !strcmp(fk->ref_schema, t->schema)));
}

/* ON condition for child (has the FK) referencing parent: parent.col = child.fkcol. */
static sqlalc_expr *fk_condition(sqlalc_expr *parent, const struct sqlalc_table *pt, sqlalc_expr *child,
                                 const sqlalc_fk *fk)
{
    /* One comparison per key column, however many there are. */
    sqlalc_expr *small[8], **parts = small;
    size_t n = fk->ncols;
    if (n > SQLALC_ARRAY_LEN(small) && !(parts = sqlalc__malloc(n * sizeof *parts)))
        return NULL;
    sqlalc_expr *r = NULL;
    for (size_t i = 0; i < n; i++) {
        struct sqlalc_column_node *pc = find_col(pt, fk->ref_colnames[i]);
        if (!pc) {
            for (size_t j = 0; j < i; j++)
                sqlalc_expr_free(parts[j]);
            sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "foreign key target column '%s.%s' not found", pt->name,
                             fk->ref_colnames[i]);
            goto out;
        }
        parts[i] = sqlalc_eq(leaf_col(parent, pc), leaf_col(child, fk->cols[i]));
    }
    r = n == 1 ? parts[0] : sqlalc_and_list((sqlalc_exprs){ n, parts });
out:
    if (parts != small)
        sqlalc_free(parts);
    return r;
}

/* Collect the leaves of a FROM tree (joins flattened), left to right,
 * into a growing array; 0 on allocation failure. */
/* Collect the leaves of a FROM tree (joins flattened), left to right,
 * into out (inline room first, then the heap); 0 on allocation failure. */
typedef struct leafvec {
    sqlalc_expr **v;
    size_t n, cap;
    sqlalc_expr *inl[16];
} leafvec;

static int leaf_push(leafvec *l, sqlalc_expr *e)
{
    if (l->n == l->cap) {
        sqlalc_expr **nv = sqlalc__malloc(2 * l->cap * sizeof *nv);
        if (!nv)
            return 0;
        memcpy(nv, l->v, l->n * sizeof *nv);
        if (l->v != l->inl)
            sqlalc_free(l->v);
        l->v = nv;
        l->cap *= 2;
    }
    l->v[l->n++] = e;
    return 1;
}

static void leaf_init(leafvec *l)
{
    l->v = l->inl;
    l->n = 0;
    l->cap = SQLALC_ARRAY_LEN(l->inl);
}

static void leaf_free(leafvec *l)
{
    if (l->v != l->inl)
        sqlalc_free(l->v);
}

static int join_leaves(sqlalc_expr *e, leafvec *out)
{
    /* an explicit stack: a join chain of any length */
    leafvec st;
    leaf_init(&st);
    int ok = leaf_push(&st, e);
    while (ok && st.n) {
        sqlalc_expr *x = st.v[--st.n];
        if (x->kind == NK_JOIN)
            ok = leaf_push(&st, ((struct join *)x)->r) && leaf_push(&st, ((struct join *)x)->l);
        else
            ok = leaf_push(out, x);
    }
    leaf_free(&st);
    return ok;
}

static sqlalc_expr *infer_on_leaves(sqlalc_expr **leaves, size_t nl, const struct sqlalc_table *rt,
                                    sqlalc_expr *right);

static sqlalc_expr *infer_on(sqlalc_expr *left, sqlalc_expr *right)
{
    const struct sqlalc_table *rt = leaf_table(right);
    if (!rt) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                         "join: cannot infer the ON clause for a subquery; give it with sqlalc_join_on");
        return NULL;
    }
    leafvec lv;
    leaf_init(&lv);
    sqlalc_expr *r = join_leaves(left, &lv) ? infer_on_leaves(lv.v, lv.n, rt, right) : NULL;
    leaf_free(&lv);
    return r;
}

static sqlalc_expr *infer_on_leaves(sqlalc_expr **leaves, size_t nl, const struct sqlalc_table *rt,
                                    sqlalc_expr *right)
{
    /* SQLAlchemy searches the left side from the right end. */
    for (size_t k = nl; k-- > 0;) {
        const struct sqlalc_table *lt = leaf_table(leaves[k]);
        if (!lt)
            continue;
        const sqlalc_fk *found = NULL;
        int child_is_right = 0, count = 0;
        for (size_t i = 0; i < rt->nfks; i++)
            if (fk_targets(rt->fks[i], lt)) {
                found = rt->fks[i];
                child_is_right = 1;
                count++;
            }
        for (size_t i = 0; i < lt->nfks; i++)
            if (lt != rt && fk_targets(lt->fks[i], rt)) {
                if (!found)
                    found = lt->fks[i];
                count++;
            }
        if (count > 1) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                             "join: more than one foreign key between '%s' and '%s'; give the ON clause",
                             lt->name, rt->name);
            return NULL;
        }
        if (found)
            return child_is_right ? fk_condition(leaves[k], lt, right, found)
                                  : fk_condition(right, rt, leaves[k], found);
    }
    sqlalc_error_set(SQLALC_ERR_ARGUMENT, "join: no foreign key links '%s' to the left side", rt->name);
    return NULL;
}

static int is_from_kind(const sqlalc_expr *e)
{
    return e->kind == SQLALC_NK_TABLE || e->kind == NK_ALIAS || e->kind == NK_JOIN;
}

sqlalc_expr *sqlalc_join_on(sqlalc_expr *l, sqlalc_expr *r, sqlalc_expr *on, sqlalc_join_kind kind)
{
    if (!l || !r || (!on && kind != SQLALC_JOIN_CROSS)) {
        sqlalc_expr_free(l);
        sqlalc_expr_free(r);
        sqlalc_expr_free(on);
        return NULL;
    }
    if (!is_from_kind(l) || !is_from_kind(r)) {
        sqlalc_expr_free(l);
        sqlalc_expr_free(r);
        sqlalc_expr_free(on);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "join: operands must be tables, aliases, subqueries or joins");
        return NULL;
    }
    struct join *j = node_new(sizeof *j, NK_JOIN);
    if (!j) {
        sqlalc_expr_free(l);
        sqlalc_expr_free(r);
        sqlalc_expr_free(on);
        return NULL;
    }
    j->l = l;
    j->r = r;
    j->on = on;
    j->kind = kind;
    return &j->base;
}

sqlalc_expr *sqlalc_join(sqlalc_expr *l, sqlalc_expr *r, sqlalc_join_kind kind)
{
    if (!l || !r) {
        sqlalc_expr_free(l);
        sqlalc_expr_free(r);
        return NULL;
    }
    sqlalc_expr *on = NULL;
    if (kind != SQLALC_JOIN_CROSS) {
        if (!is_from_kind(l) || !is_from_kind(r)) {
            sqlalc_expr_free(l);
            sqlalc_expr_free(r);
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "join: operands must be tables, aliases or joins");
            return NULL;
        }
        on = infer_on(l, r);
        if (!on) {
            sqlalc_expr_free(l);
            sqlalc_expr_free(r);
            return NULL;
        }
    }
    return sqlalc_join_on(l, r, on, kind);
}

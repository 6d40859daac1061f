/* Compiling SELECT: FROM inference and correlation, CTEs, columns, ORDER BY, LIMIT, compounds. */
#include "compile_int.h"

/* ------------------------------------------------------------------ */
/* FROM handling                                                       */
/* ------------------------------------------------------------------ */

static int same_from(const sqlalc_expr *a, const sqlalc_expr *b)
{
    if (a == b)
        return 1;
    /* A recursive CTE and its anchor are one FROM item. */
    if (a->kind == NK_ALIAS && b->kind == NK_ALIAS && ((const struct alias *)a)->is_cte &&
        ((const struct alias *)b)->is_cte)
        return !strcmp(((const struct alias *)a)->name, ((const struct alias *)b)->name);
    return 0;
}

static void from_add(sqlalc_compiler *c, frame *f, const sqlalc_expr *x)
{
    for (size_t i = 0; i < f->n; i++)
        if (same_from(f->v[i], x))
            return;
    frame_push(c, f, x);
}

static int wpush(void *ctx, sqlalc_expr *e)
{
    sqlalc_compiler *c = ctx;
    if (c->wn == c->wcap && VGROW(c, &c->wstack, &c->wcap, c->wstack_inline, c->wn + 1))
        return SQLALC_ERR_NOMEM;
    c->wstack[c->wn++] = e;
    return 0;
}

/* Collect the FROM items an expression refers to (not inside nested
 * selects), in order of appearance.  Iterative over the node table's
 * children, so a deep expression needs no stack. */
static void collect(sqlalc_compiler *c, frame *f, const sqlalc_expr *e)
{
    if (!e)
        return;
    size_t base = c->wn;
    if (wpush(c, (sqlalc_expr *)e))
        return;
    while (c->wn > base && !c->err) {
        const sqlalc_expr *x = c->wstack[--c->wn];
        switch (x->kind) {
        case SQLALC_NK_COLUMN:
            if (((const struct sqlalc_column_node *)x)->table)
                from_add(c, f, &((const struct sqlalc_column_node *)x)->table->base);
            continue;
        case NK_ALIAS_COL: from_add(c, f, &((const struct aliascol *)x)->alias->base); continue;
        /* FROM items, statements (correlated on their own) and leaves */
        case SQLALC_NK_TABLE:
        case NK_ALIAS:
        case NK_JOIN:
        case NK_EXCLUDED:
        case NK_SELECT:
        case NK_COMPOUND:
        case NK_INSERT:
        case NK_UPDATE:
        case NK_DELETE: continue;
        default: break;
        }
        if (x->kind == NK_BINARY) {
            /* the common case, without the generic walk */
            const struct binop *b = (const struct binop *)x;
            if (wpush(c, b->r) || wpush(c, b->l))
                break;
            continue;
        }
        /* children in reverse, so the first is visited next */
        size_t from = c->wn;
        if (sqlalc__node_children(x, wpush, c))
            break;
        for (size_t a = from, b = c->wn; a + 1 < b; a++, b--) {
            const sqlalc_expr *t = c->wstack[a];
            c->wstack[a] = c->wstack[b - 1];
            c->wstack[b - 1] = t;
        }
    }
    c->wn = base;
}

/* Add the leaves of a FROM item (joins flattened, left to right) to f. */
static void leaves(sqlalc_compiler *c, const sqlalc_expr *e, frame *f, int dedup)
{
    size_t base = c->wn;
    if (wpush(c, (sqlalc_expr *)e))
        return;
    while (c->wn > base && !c->err) {
        const sqlalc_expr *x = c->wstack[--c->wn];
        if (x->kind == NK_JOIN) {
            if (wpush(c, ((const struct join *)x)->r) || wpush(c, ((const struct join *)x)->l))
                break;
        } else if (dedup)
            from_add(c, f, x);
        else
            frame_push(c, f, x);
    }
    c->wn = base;
}

static int in_frame(const frame *f, const sqlalc_expr *x)
{
    for (size_t i = 0; i < f->n; i++)
        if (same_from(f->v[i], x))
            return 1;
    return 0;
}

static void render_cte_ref(sqlalc_compiler *c, const struct alias *a);

static void render_from_node(sqlalc_compiler *c, const sqlalc_expr *e);

/* A VALUES list as a FROM item: (VALUES (…), (…)) AS name (a, b), or on a
 * dialect without column aliases for it (SQLite) the same rows through a
 * SELECT naming SQLite's column1, column2 …  Values are bound, named
 * param_N as SQLAlchemy names them. */
static void render_values(sqlalc_compiler *c, const struct valuesx *v, const char *name)
{
    size_t nc = v->cols.n, nr = nc ? v->data.n / nc : 0;
    int sub = c->h->version >= 4 && c->h->values_style == SQLALC_VALUES_SELECT_COLUMNS;
    putc_(c, '(');
    if (sub) {
        PUTS(c, "SELECT ");
        char col[32];
        for (size_t i = 0; i < nc; i++) {
            if (i)
                PUTS(c, ", ");
            snprintf(col, sizeof col, "column%zu", i + 1);
            puts_(c, col);
            PUTS(c, " AS ");
            ident(c, ((const struct colclause *)v->cols.v[i])->name);
        }
        PUTS(c, " FROM (");
    }
    PUTS(c, "VALUES ");
    for (size_t r = 0; r < nr; r++) {
        if (r)
            PUTS(c, ", ");
        putc_(c, '(');
        render_list_items(c, v->data.v + r * nc, nc, NULL);
        putc_(c, ')');
    }
    putc_(c, ')');
    if (sub)
        putc_(c, ')');
    PUTS(c, " AS ");
    ident(c, name);
    if (!sub) {
        PUTS(c, " (");
        for (size_t i = 0; i < nc; i++) {
            if (i)
                PUTS(c, ", ");
            ident(c, ((const struct colclause *)v->cols.v[i])->name);
        }
        putc_(c, ')');
    }
}

static void render_from(sqlalc_compiler *c, const sqlalc_expr *e)
{
    if (c->err || !sqlalc__cc_enter(c, 1))
        return;
    render_from_node(c, e);
    c->nest--;
}

static void render_from_node(sqlalc_compiler *c, const sqlalc_expr *e)
{
    switch (e->kind) {
    case SQLALC_NK_TABLE: table_name(c, (const struct sqlalc_table *)e); break;
    case NK_ALIAS: {
        const struct alias *a = (const struct alias *)e;
        if (a->is_cte) {
            render_cte_ref(c, a);
            break;
        }
        if (a->target->kind == NK_VALUES) {
            render_values(c, (const struct valuesx *)a->target, alias_name(c, a));
            break;
        }
        if (a->target->kind == SQLALC_NK_TABLE)
            table_name(c, (const struct sqlalc_table *)a->target);
        else if (a->target->kind == NK_ALIAS)
            render_from(c, a->target);
        else {
            putc_(c, '(');
            /* FROM subqueries do not correlate to the enclosing select. */
            int saved = c->corr_base;
            c->corr_base = c->depth;
            render_stmt(c, a->target, M_SUBQ);
            c->corr_base = saved;
            putc_(c, ')');
        }
        PUTS(c, " AS ");
        ident(c, alias_name(c, a));
        break;
    }
    case NK_JOIN: {
        const struct join *j = (const struct join *)e;
        render_from(c, j->l);
        static const char *const kw[] = { " JOIN ", " LEFT OUTER JOIN ", " RIGHT OUTER JOIN ",
                                          " FULL OUTER JOIN ", " CROSS JOIN " };
        puts_(c, kw[j->kind]);
        if (j->r->kind == NK_JOIN) {
            putc_(c, '(');
            render_from(c, j->r);
            putc_(c, ')');
        } else
            render_from(c, j->r);
        if (j->on) {
            PUTS(c, " ON ");
            render(c, j->on, P_NONE, 0, NULL);
        }
        break;
    }
    default: sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "not a FROM item");
    }
}

/* ------------------------------------------------------------------ */
/* CTEs                                                                */
/* ------------------------------------------------------------------ */

static void render_cte_ref(sqlalc_compiler *c, const struct alias *a)
{
    ident(c, a->name);
    for (size_t i = 0; i < c->nctes; i++)
        if (!strcmp(c->ctes[i]->name, a->name)) {
            /* The recursive form supersedes its anchor if seen later. */
            return;
        }
    if (c->nctes == c->capctes) {
        size_t cap = c->capctes;
        if (VGROW(c, &c->ctes, &cap, NULL, c->nctes + 1) ||
            VGROW(c, &c->done, &c->capctes, NULL, c->nctes + 1))
            return;
    }
    cte_ent *ce = sqlalc__calloc(1, sizeof *ce);
    if (!ce) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
        return;
    }
    c->ctes[c->nctes++] = ce;
    ce->name = a->name;
    ce->recursive = a->recursive;
    if (a->recursive)
        c->any_recursive = 1;
    seg *saved = c->cur;
    int saved_base = c->corr_base;
    c->cur = &ce->s;
    c->corr_base = c->depth;
    ident(c, a->name);
    if (a->recursive) {
        /* Column names of the anchor SELECT. */
        const sqlalc_expr *t = a->target;
        while (t->kind == NK_COMPOUND)
            t = ((const struct compound *)t)->selects.v[0];
        putc_(c, '(');
        if (t->kind == NK_SELECT) {
            const struct sel *s = (const struct sel *)t;
            for (size_t k = 0; k < s->cols.n; k++) {
                const char *nm = expr_key(s->cols.v[k]);
                if (k)
                    PUTS(c, ", ");
                ident(c, nm ? nm : "anon");
            }
        }
        putc_(c, ')');
    }
    PUTS(c, " AS \n(");
    render_stmt(c, a->target, M_SUBQ);
    putc_(c, ')');
    c->done[c->ndone++] = ce;
    c->cur = saved;
    c->corr_base = saved_base;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

/* ROW_NUMBER() paging: remember the name a column of the numbered inner
 * select is given, for the outer select's list. */
static void rn_capture(sqlalc_compiler *c, const struct sel *s, size_t off)
{
    if (c->rn_inner != s)
        return;
    if (c->rn_n == c->rn_cap && VGROW(c, &c->rn_names, &c->rn_cap, NULL, c->rn_n + 1))
        return;
    c->rn_names[c->rn_n++] = off;
}

static void render_column_clause_(sqlalc_compiler *c, const sqlalc_expr *e, int mode, size_t idx,
                                  const struct sel *s);

static void render_column_clause(sqlalc_compiler *c, const sqlalc_expr *e, int mode, size_t idx,
                                 const struct sel *s)
{
    size_t before = c->rn_n;
    render_column_clause_(c, e, mode, idx, s);
    /* A column that got no name (raw text): the outer select cannot name it. */
    if (c->rn_inner == s && c->rn_n == before && !c->err)
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED,
                              "mssql ROW_NUMBER() paging needs every selected column named (label it)");
}

static void render_column_clause_(sqlalc_compiler *c, const sqlalc_expr *e, int mode, size_t idx,
                                  const struct sel *s)
{
    /* Duplicate plain column names get a label (name_1), as SQLAlchemy. */
    const char *plain = NULL;
    if (e->kind == SQLALC_NK_COLUMN)
        plain = ((const struct sqlalc_column_node *)e)->name;
    else if (e->kind == NK_ALIAS_COL)
        plain = ((const struct aliascol *)e)->name;
    if (e->kind == NK_LABEL) {
        render(c, ((const struct label *)e)->e, P_NONE, 0, NULL);
        PUTS(c, " AS ");
        ident(c, ((const struct label *)e)->name);
        if (c->rn_inner == s)
            rn_capture(c, s, add_name(c, ((const struct label *)e)->name));
        return;
    }
    if (e->kind == NK_FUNC) {
        /* SQLAlchemy names the label before rendering the arguments. */
        size_t off = anon_name(c, ((const struct func *)e)->name);
        render(c, e, P_NONE, 0, NULL);
        PUTS(c, " AS ");
        ident(c, name_at(c, off));
        rn_capture(c, s, off);
        return;
    }
    render(c, e, P_NONE, 0, NULL);
    if (plain) {
        int dup = 0;
        for (size_t i = 0; i < idx; i++) {
            const char *o = expr_key(s->cols.v[i]);
            if (o && s->cols.v[i]->kind != NK_FUNC && !strcmp(o, plain))
                dup = 1;
        }
        if (dup) {
            size_t off = anon_name(c, plain);
            PUTS(c, " AS ");
            ident(c, name_at(c, off));
            rn_capture(c, s, off);
        } else if (mode == M_SUBQ) {
            PUTS(c, " AS ");
            ident(c, plain);
            if (c->rn_inner == s)
                rn_capture(c, s, add_name(c, plain));
        }
        return;
    }
    if (e->kind == NK_TEXT)
        return;
    if (e->kind == NK_UNARY && ((const struct unop *)e)->op != UOP_SCALAR &&
        ((const struct unop *)e)->op != UOP_EXISTS)
        return;
    PUTS(c, " AS ");
    if (e->kind == NK_CAST && ((const struct cast *)e)->e->kind == SQLALC_NK_COLUMN) {
        const char *nm = ((const struct sqlalc_column_node *)((const struct cast *)e)->e)->name;
        ident(c, nm);
        if (c->rn_inner == s)
            rn_capture(c, s, add_name(c, nm));
    } else {
        size_t off = anon_name(c, "anon");
        ident(c, name_at(c, off));
        rn_capture(c, s, off);
    }
}

static void limit_generic(sqlalc_compiler *c, const sqlalc_value *limit, const sqlalc_value *offset)
{
    if (limit) {
        PUTS(c, "\n LIMIT ");
        sqlalc_compiler_param(c, limit);
    }
    if (offset) {
        if (!limit)
            PUTS(c, "\n LIMIT -1");
        PUTS(c, " OFFSET ");
        sqlalc_compiler_param(c, offset);
    }
}

/* ORDER BY item: a label of the column list is referred to by its name,
 * as SQLAlchemy does ("ORDER BY goals DESC"). */
static void render_order_item(sqlalc_compiler *c, const sqlalc_expr *e, const exprvec *cols)
{
    if (e->kind == NK_UNARY) {
        const struct unop *u = (const struct unop *)e;
        if (u->op == UOP_ASC || u->op == UOP_DESC || u->op == UOP_NULLS_FIRST || u->op == UOP_NULLS_LAST) {
            render_order_item(c, u->e, cols);
            if ((u->op == UOP_NULLS_FIRST || u->op == UOP_NULLS_LAST) && !c->h->has_nulls_order)
                sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "NULLS FIRST / NULLS LAST");
            puts_(c, u->op == UOP_ASC           ? " ASC"
                     : u->op == UOP_DESC        ? " DESC"
                     : u->op == UOP_NULLS_FIRST ? " NULLS FIRST"
                                                : " NULLS LAST");
            return;
        }
    }
    if (e->kind == NK_LABEL && cols)
        for (size_t i = 0; i < cols->n; i++)
            if (cols->v[i] == e) {
                ident(c, ((const struct label *)e)->name);
                return;
            }
    render(c, e, P_COMMA, 0, NULL);
}

static void render_order(sqlalc_compiler *c, const exprvec *order, int names_only, const exprvec *cols)
{
    if (!order->n)
        return;
    PUTS(c, " ORDER BY ");
    for (size_t i = 0; i < order->n; i++) {
        if (i)
            PUTS(c, ", ");
        const sqlalc_expr *e = order->v[i];
        if (names_only) {
            /* A compound's ORDER BY names result columns. */
            const sqlalc_expr *in = e;
            const char *suffix = "";
            if (in->kind == NK_UNARY &&
                (((const struct unop *)in)->op == UOP_DESC || ((const struct unop *)in)->op == UOP_ASC)) {
                suffix = ((const struct unop *)in)->op == UOP_DESC ? " DESC" : " ASC";
                in = ((const struct unop *)in)->e;
            }
            const char *k = expr_key(in);
            if (k && in->kind != NK_FUNC) {
                ident(c, k);
                puts_(c, suffix);
                continue;
            }
        }
        render_order_item(c, e, cols);
    }
}

static void render_limit(sqlalc_compiler *c, int has_order, const sqlalc_value *limit,
                         const sqlalc_value *offset, int top_used)
{
    if (!limit && !offset)
        return;
    if (c->h->limit_style == SQLALC_LIMIT_ROW_NUMBER) {
        /* a select's OFFSET went to render_row_number; a compound has no
         * ROW_NUMBER() form (SQLAlchemy drops its LIMIT silently) */
        if (!top_used)
            sqlalc_compiler_error(
                c, SQLALC_ERR_NOT_SUPPORTED,
                "mssql before 2012 cannot LIMIT or OFFSET a compound select: select from it "
                "as a subquery");
        return;
    }
    if (c->h->limit_style == SQLALC_LIMIT_TOP_FETCH) {
        if (top_used)
            return;
        if (!has_order) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED,
                                  "mssql requires ORDER BY when using OFFSET (or LIMIT on a compound)");
            return;
        }
        PUTS(c, "\n OFFSET ");
        if (offset)
            sqlalc_compiler_param(c, offset);
        else
            sqlalc_compiler_param_const(c, 0);
        PUTS(c, " ROWS");
        if (limit) {
            PUTS(c, "\n FETCH FIRST ");
            sqlalc_compiler_param(c, limit);
            PUTS(c, " ROWS ONLY");
        }
        return;
    }
    if (c->h->limit_clause)
        c->h->limit_clause(c, limit, offset);
    else
        limit_generic(c, limit, offset);
}

/* Push a correlation frame for the statements nested in this one. */
int push_frame(sqlalc_compiler *c, frame *f)
{
    if ((size_t)c->depth == c->capstack &&
        VGROW(c, &c->stack, &c->capstack, c->stack_inline, c->capstack + 1))
        return 0;
    c->stack[c->depth++] = f;
    return 1;
}

/* The FROM items an UPDATE's or DELETE's WHERE names besides its target
 * (SQLAlchemy's extra froms: criteria only, in order of appearance), with
 * the target first in f: f is then also the statement's correlation frame. */
void dml_froms(sqlalc_compiler *c, frame *f, const struct sqlalc_table *target, const sqlalc_expr *where)
{
    frame_push(c, f, &target->base);
    collect(c, f, where);
}

/* Render FROM items f->v[from..] separated by commas. */
void render_from_list(sqlalc_compiler *c, const frame *f, size_t from)
{
    for (size_t i = from; i < f->n; i++) {
        if (i > from)
            PUTS(c, ", ");
        render_from(c, f->v[i]);
    }
}

/* SQL Server before 2012 pages with ROW_NUMBER(), as SQLAlchemy does:
 *   SELECT anon_1.a FROM (SELECT t.a AS a, ROW_NUMBER() OVER (ORDER BY t.a)
 *   AS mssql_rn FROM t) AS anon_1 WHERE mssql_rn > :param_1
 *   AND mssql_rn <= :param_2 + :param_1
 * The inner select is rendered first into its own segment (its column
 * names are known only then), the outer one around it. */
static void render_row_number(sqlalc_compiler *c, const struct sel *s)
{
    if (!s->order.n) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED,
                              "mssql requires an ORDER BY when using an OFFSET (ROW_NUMBER() paging)");
        return;
    }
    size_t alias = anon_name(c, "anon");
    seg inner = { .buf = SQLALC_BUF_INIT }, *saved = c->cur;
    const void *saved_inner = c->rn_inner;
    size_t first = c->rn_n;
    c->cur = &inner;
    c->rn_inner = s;
    render_select(c, s, M_SUBQ);
    c->cur = saved;
    c->rn_inner = saved_inner;
    size_t last = c->rn_n;
    PUTS(c, "SELECT ");
    for (size_t i = first; i < last; i++) {
        if (i > first)
            PUTS(c, ", ");
        ident(c, name_at(c, alias));
        putc_(c, '.');
        ident(c, name_at(c, c->rn_names[i]));
    }
    c->rn_n = first;
    PUTS(c, " \nFROM (");
    sqlalc_buf_append(&c->cur->buf, inner.buf.p ? inner.buf.p : "", inner.buf.len);
    if (inner.buf.oom)
        sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < inner.np && !c->err; i++)
        seg_push_param(c, c->cur, &inner.params[i]);
    sqlalc_buf_free(&inner.buf);
    sqlalc_free(inner.params);
    PUTS(c, ") AS ");
    ident(c, name_at(c, alias));
    PUTS(c, " \nWHERE mssql_rn > ");
    size_t off = anon_name(c, "param");
    emit_param(c, off, &s->offset, value_type_kind(&s->offset));
    if (s->has_limit) {
        PUTS(c, " AND mssql_rn <= ");
        sqlalc_compiler_param(c, &s->limit);
        PUTS(c, " + ");
        /* the same parameter again: one name, bound twice */
        emit_param(c, off, &s->offset, value_type_kind(&s->offset));
    }
}

void render_select(sqlalc_compiler *c, const struct sel *s, int mode)
{
    if (s->text) {
        /* a textual SELECT: its SQL as written (binds still bound) */
        render(c, s->text, P_NONE, 0, NULL);
        return;
    }
    if (c->h->limit_style == SQLALC_LIMIT_ROW_NUMBER && s->has_offset && c->rn_inner != s) {
        render_row_number(c, s);
        return;
    }
    int numbered = c->rn_inner == s;
    /* The FROM lists start inline and spill to the heap: any number of
     * FROM items, freed at "out" whatever happens. */
    frame f, covered, inferred, corr;
    frame_init(&f);
    frame_init(&covered);
    frame_init(&inferred);
    frame_init(&corr);
    /* Explicit FROM items first, then what the columns and criteria use. */
    for (size_t i = 0; i < s->froms.n; i++) {
        from_add(c, &f, s->froms.v[i]);
        leaves(c, s->froms.v[i], &covered, 0);
    }
    for (size_t i = 0; i < s->cols.n; i++)
        collect(c, &inferred, s->cols.v[i]);
    collect(c, &inferred, s->where);
    collect(c, &inferred, s->having);
    /* Automatic correlation: a nested select drops FROM items of its
     * enclosing selects, unless that would leave it none. */
    size_t keep = 0;
    for (size_t i = 0; i < inferred.n; i++) {
        const sqlalc_expr *x = inferred.v[i];
        if (!in_frame(&covered, x))
            inferred.v[keep++] = x;
    }
    inferred.n = keep;
    if (mode == M_NESTED && c->depth > c->corr_base && inferred.n) {
        keep = 0;
        for (size_t i = 0; i < inferred.n; i++) {
            int outer = 0;
            for (int d = c->corr_base; d < c->depth && !outer; d++)
                outer = in_frame(c->stack[d], inferred.v[i]);
            keep += !outer;
        }
        if (keep || f.n) {
            size_t k = 0;
            for (size_t i = 0; i < inferred.n; i++) {
                int outer = 0;
                for (int d = c->corr_base; d < c->depth && !outer; d++)
                    outer = in_frame(c->stack[d], inferred.v[i]);
                if (!outer)
                    inferred.v[k++] = inferred.v[i];
            }
            inferred.n = k;
        }
    }
    for (size_t i = 0; i < inferred.n; i++)
        from_add(c, &f, inferred.v[i]);

    /* The frame enclosing selects correlate against: every leaf. */
    for (size_t i = 0; i < f.n; i++)
        leaves(c, f.v[i], &corr, 1);
    if (c->err || !push_frame(c, &corr))
        goto out;

    PUTS(c, "SELECT ");
    if (s->distinct)
        PUTS(c, "DISTINCT ");
    int top = 0;
    if ((c->h->limit_style == SQLALC_LIMIT_TOP_FETCH || c->h->limit_style == SQLALC_LIMIT_ROW_NUMBER) &&
        s->has_limit && !s->has_offset) {
        PUTS(c, "TOP ");
        sqlalc_compiler_literal_int(c, s->limit.u.i);
        putc_(c, ' ');
        top = 1;
    }
    if (!s->cols.n)
        putc_(c, '*');
    for (size_t i = 0; i < s->cols.n; i++) {
        if (i)
            PUTS(c, ", ");
        render_column_clause(c, s->cols.v[i], mode, i, s);
    }
    if (numbered) {
        /* ORDER BY a label of the list means its expression here */
        PUTS(c, ", ROW_NUMBER() OVER (ORDER BY ");
        for (size_t i = 0; i < s->order.n; i++) {
            if (i)
                PUTS(c, ", ");
            render_order_item(c, s->order.v[i], NULL);
        }
        PUTS(c, ") AS mssql_rn");
    }
    if (f.n) {
        PUTS(c, " \nFROM ");
        for (size_t i = 0; i < f.n; i++) {
            if (i)
                PUTS(c, ", ");
            render_from(c, f.v[i]);
        }
    }
    if (s->where) {
        PUTS(c, " \nWHERE ");
        render(c, s->where, P_ASBOOL, 0, NULL);
    }
    if (s->group.n) {
        PUTS(c, " GROUP BY ");
        render_list_items(c, s->group.v, s->group.n, NULL);
    }
    if (s->having) {
        PUTS(c, " \nHAVING ");
        render(c, s->having, P_ASBOOL, 0, NULL);
    }
    /* SQL Server refuses an ORDER BY in a nested select that does not
     * limit its rows: SQLAlchemy leaves it out (INSERT … SELECT too). */
    int keep_order = !numbered;
    if (keep_order && c->h->order_needs_limit && (mode != M_TOP || c->depth > 1 || c->in_dml_select) &&
        !s->has_limit && (!s->has_offset || c->h->limit_style != SQLALC_LIMIT_TOP_FETCH))
        keep_order = 0;
    if (keep_order)
        render_order(c, &s->order, 0, &s->cols);
    if (!numbered)
        render_limit(c, s->order.n > 0, s->has_limit ? &s->limit : NULL, s->has_offset ? &s->offset : NULL,
                     top);
    if (s->for_update && c->h->has_for_update) {
        puts_(c, s->for_update & SQLALC_FOR_SHARE ? " FOR SHARE" : " FOR UPDATE");
        if (s->for_update & SQLALC_FOR_UPDATE_NOWAIT)
            PUTS(c, " NOWAIT");
        if (s->for_update & SQLALC_FOR_UPDATE_SKIP_LOCKED)
            PUTS(c, " SKIP LOCKED");
    }
    c->depth--;
out:
    frame_free(&f);
    frame_free(&covered);
    frame_free(&inferred);
    frame_free(&corr);
}

void render_compound(sqlalc_compiler *c, const struct compound *k, int mode)
{
    static const char *const kw[] = { "", " UNION ", " UNION ALL ", " INTERSECT ", " EXCEPT " };
    for (size_t i = 0; i < k->selects.n; i++) {
        const sqlalc_expr *m = k->selects.v[i];
        if (i)
            puts_(c, kw[k->op]);
        int grp = m->kind == NK_COMPOUND || (m->kind == NK_SELECT && (((const struct sel *)m)->order.n ||
                                                                      ((const struct sel *)m)->has_limit ||
                                                                      ((const struct sel *)m)->has_offset));
        if (grp)
            putc_(c, '(');
        render_stmt(c, m, mode == M_SUBQ ? M_SUBQ : M_TOP);
        if (grp)
            putc_(c, ')');
    }
    render_order(c, &k->order, 1, NULL);
    render_limit(c, k->order.n > 0, k->has_limit ? &k->limit : NULL, k->has_offset ? &k->offset : NULL, 0);
}

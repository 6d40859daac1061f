/* Compiling INSERT, UPDATE and DELETE, and the statement dispatch. */
#include "compile_int.h"

static void render_returning(sqlalc_compiler *c, const exprvec *r, const char *prefix)
{
    for (size_t i = 0; i < r->n; i++) {
        if (i)
            PUTS(c, ", ");
        const sqlalc_expr *e = r->v[i];
        if (prefix && e->kind == SQLALC_NK_COLUMN) {
            puts_(c, prefix);
            ident(c, ((const struct sqlalc_column_node *)e)->name);
        } else if (e->kind == NK_LABEL) {
            render(c, ((const struct label *)e)->e, P_NONE, 0, NULL);
            PUTS(c, " AS ");
            ident(c, ((const struct label *)e)->name);
        } else
            render(c, e, P_NONE, 0, NULL);
    }
}

static int check_returning(sqlalc_compiler *c, const exprvec *r)
{
    if (r->n && c->h->returning_style == SQLALC_RETURNING_NONE) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "RETURNING is not supported by this dialect");
        return 0;
    }
    return 1;
}

/* A SET / VALUES value: plain binds are named after the column. */
static void render_value(sqlalc_compiler *c, const sqlalc_expr *v, const struct sqlalc_column_node *col,
                         const char *suffix, int group)
{
    if (v->kind == NK_BIND && !((const struct bind *)v)->name) {
        const struct bind *b = (const struct bind *)v;
        size_t off = c->names.len;
        sqlalc_buf_puts(&c->names, col->name);
        if (suffix)
            sqlalc_buf_puts(&c->names, suffix);
        sqlalc_buf_putc(&c->names, 0);
        emit_param(c, off, b->has_value ? &b->v : NULL,
                   col->type ? sqlalc__cc_type_param_kind(c, col->type) : value_type_kind(&b->v));
        return;
    }
    int grp = group && (v->kind == NK_BINARY || v->kind == NK_BOOL);
    if (grp)
        putc_(c, '(');
    render(c, v, P_NONE, 0, &col->base);
    if (grp)
        putc_(c, ')');
}

/* Write the VALUES group rendered since (g0, p0) c->repeat times in all:
 * the same text and the same parameters again, numbered on output. */
static void repeat_group(sqlalc_compiler *c, size_t g0, size_t p0)
{
    if (c->repeat <= 1 || c->err)
        return;
    if (!c->h->has_multivalues) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "multi-row VALUES");
        return;
    }
    seg *s = c->cur;
    size_t glen = s->buf.len - g0, gp = s->np - p0;
    size_t need = s->np + gp * (c->repeat - 1);
    if (need > s->cap) {
        sqlalc_cparam *np = sqlalc__realloc(s->params, need * sizeof *np);
        if (!np) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
            return;
        }
        s->params = np;
        s->cap = need;
    }
    /* A copy of the group: appending may move the buffer it comes from. */
    char *g = sqlalc__malloc(glen ? glen : 1);
    if (!g) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
        return;
    }
    memcpy(g, s->buf.p + g0, glen);
    for (size_t r = 1; r < c->repeat && !s->buf.oom; r++) {
        PUTS(c, ", ");
        put(c, g, glen);
        memcpy(s->params + s->np, s->params + p0, gp * sizeof *s->params);
        s->np += gp;
        c->total_params += (int)gp;
    }
    sqlalc_free(g);
}

/* The column SQL Server makes IDENTITY, as the DDL compiler decides: the
 * autoincrement integer column or one with an Identity, never one drawing
 * from a sequence. */
static const struct sqlalc_column_node *identity_column(const struct sqlalc_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++) {
        const struct sqlalc_column_node *col = t->columns[i];
        int k = col->type ? (int)col->type->kind : 0;
        if ((k == SQLALC_TYPE_INTEGER || k == SQLALC_TYPE_SMALLINT || k == SQLALC_TYPE_BIGINT) &&
            !col->sequence && (t->autoinc == col || col->autoincrement == 1 || col->identity))
            return col;
    }
    return NULL;
}

/* "SET IDENTITY_INSERT [t] ON\0SET IDENTITY_INSERT [t] OFF": the table's
 * name as the compiler quotes it, written and taken back off the text. */
static void identity_insert_around(sqlalc_compiler *c, const struct sqlalc_table *t)
{
    sqlalc_buf *b = &c->cur->buf;
    size_t at = b->len;
    table_name(c, t);
    if (b->oom)
        return;
    for (int on = 1; on >= 0; on--) {
        sqlalc_buf_printf(&c->around, "%s %.*s %s", c->h->identity_insert, (int)(b->len - at), b->p + at,
                          on ? "ON" : "OFF");
        if (on)
            sqlalc_buf_putc(&c->around, 0);
    }
    b->len = at;
    b->p[at] = 0;
}

/* SCOPE_IDENTITY() reads one new IDENTITY value: RETURNING only that
 * column, of one row given no value for it. */
static int scope_identity_ok(sqlalc_compiler *c, const struct ins *s, const struct sqlalc_column_node *idc,
                             int explicit_id)
{
    const char *why = NULL;
    if (!idc)
        why = "the table has no IDENTITY column";
    else if (s->returning.n != 1 || s->returning.v[0] != &idc->base)
        why = "RETURNING can give only the IDENTITY column";
    else if (s->from_select || s->nrows > 1 || c->repeat > 1)
        why = "it reads one row's value (no multi-row INSERT or INSERT … SELECT)";
    else if (explicit_id)
        why = "the INSERT gives the IDENTITY column its value";
    if (!why)
        return 1;
    char msg[300];
    snprintf(msg, sizeof msg,
             "INSERT INTO %s … RETURNING with SCOPE_IDENTITY() (sqlalc_opt_mssql_scope_identity): %s",
             s->table->name, why);
    sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, msg);
    return 0;
}

static void render_insert(sqlalc_compiler *c, const struct ins *s)
{
    if (!check_returning(c, &s->returning))
        return;
    size_t ncols = s->ncols;
    struct sqlalc_column_node *const *cols = s->cols;
    if (!s->default_values && !s->from_select && s->nrows == 0) {
        ncols = s->table->ncolumns;
        cols = s->table->columns;
    }
    int v5 = c->h->version >= 5;
    int scope = v5 && c->h->scope_identity_select && s->returning.n && s->table->scope_identity;
    const struct sqlalc_column_node *idc =
        v5 && (scope || c->h->identity_insert) ? identity_column(s->table) : NULL;
    int explicit_id = 0;
    for (size_t i = 0; idc && !s->default_values && i < ncols; i++)
        explicit_id |= cols[i] == idc;
    if (scope && !scope_identity_ok(c, s, idc, explicit_id))
        return;
    /* SQLAlchemy's mssql dialect: SET IDENTITY_INSERT around an INSERT
     * that names the IDENTITY column */
    if (explicit_id && c->h->identity_insert)
        identity_insert_around(c, s->table);
    int output = !scope && s->returning.n && c->h->returning_style == SQLALC_RETURNING_OUTPUT;
    PUTS(c, "INSERT INTO ");
    table_name(c, s->table);
    if (!s->default_values && ncols) {
        PUTS(c, " (");
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                PUTS(c, ", ");
            ident(c, cols[i]->name);
        }
        putc_(c, ')');
    }
    if (output) {
        PUTS(c, " OUTPUT ");
        render_returning(c, &s->returning, "inserted.");
    }
    if (s->default_values || (!ncols && !s->from_select)) {
        PUTS(c, " DEFAULT VALUES");
    } else if (s->from_select) {
        putc_(c, ' ');
        c->in_dml_select++;
        render_stmt(c, s->from_select, M_TOP);
        c->in_dml_select--;
    } else if (s->nrows == 0) {
        PUTS(c, " VALUES ");
        size_t g0 = c->cur->buf.len, p0 = c->cur->np;
        putc_(c, '(');
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                PUTS(c, ", ");
            size_t off = add_name(c, cols[i]->name);
            emit_param(c, off, NULL, sqlalc__cc_type_param_kind(c, cols[i]->type));
        }
        putc_(c, ')');
        repeat_group(c, g0, p0);
    } else if (s->nrows == 1 && c->repeat > 1) {
        PUTS(c, " VALUES ");
        size_t g0 = c->cur->buf.len, p0 = c->cur->np;
        putc_(c, '(');
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                PUTS(c, ", ");
            render_value(c, s->values[i], cols[i], NULL, 0);
        }
        putc_(c, ')');
        repeat_group(c, g0, p0);
    } else {
        size_t r0 = c->rows_from, r1 = c->rows_to ? c->rows_to : s->nrows;
        if (r1 > s->nrows)
            r1 = s->nrows;
        if (r1 - r0 > 1 && !c->h->has_multivalues) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "multi-row VALUES");
            return;
        }
        PUTS(c, " VALUES ");
        char suffix[32];
        for (size_t r = r0; r < r1; r++) {
            if (r > r0)
                PUTS(c, ", ");
            putc_(c, '(');
            snprintf(suffix, sizeof suffix, "_m%zu", r - r0);
            for (size_t i = 0; i < ncols; i++) {
                if (i)
                    PUTS(c, ", ");
                render_value(c, s->values[r * ncols + i], cols[i], s->nrows > 1 ? suffix : NULL, 0);
            }
            putc_(c, ')');
        }
    }
    if (s->upsert) {
        if (!c->h->has_upsert) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "INSERT … ON CONFLICT (upsert)");
            return;
        }
        PUTS(c, " ON CONFLICT");
        if (s->conflict_cols.n) {
            PUTS(c, " (");
            for (size_t i = 0; i < s->conflict_cols.n; i++) {
                if (i)
                    PUTS(c, ", ");
                const sqlalc_expr *e = s->conflict_cols.v[i];
                const char *k = expr_key(e);
                if (e->kind == SQLALC_NK_COLUMN && k)
                    ident(c, k);
                else
                    render(c, e, P_NONE, 0, NULL);
            }
            putc_(c, ')');
        }
        if (s->upsert == UPSERT_NOTHING)
            PUTS(c, " DO NOTHING");
        else {
            PUTS(c, " DO UPDATE SET ");
            for (size_t i = 0; i < s->nset; i++) {
                if (i)
                    PUTS(c, ", ");
                ident(c, s->set_cols[i]->name);
                PUTS(c, " = ");
                render(c, s->set_vals[i], P_NONE, 0, NULL);
            }
            if (s->upsert_where) {
                PUTS(c, " WHERE ");
                render(c, s->upsert_where, P_ASBOOL, 0, NULL);
            }
        }
    }
    if (scope)
        puts_(c, c->h->scope_identity_select);
    else if (s->returning.n && !output) {
        PUTS(c, " RETURNING ");
        render_returning(c, &s->returning, NULL);
    }
}

/* UPDATE / DELETE: subqueries in SET and WHERE correlate to the target
 * table and the other tables the WHERE names, which the dialect renders as
 * UPDATE … FROM / DELETE … USING, or refuses (never SQL without them). */
static int push_dml_frame(sqlalc_compiler *c, frame *f, const struct sqlalc_table *t,
                          const sqlalc_expr *where, int style, const char *what)
{
    frame_init(f);
    dml_froms(c, f, t, where);
    if (c->err)
        return 0;
    if (f->n > 1 && !style) {
        const sqlalc_expr *x = f->v[1];
        const char *other = x->kind == SQLALC_NK_TABLE ? ((const struct sqlalc_table *)x)->name
                            : x->kind == NK_ALIAS      ? ((const struct alias *)x)->name
                                                       : NULL;
        sqlalc_buf m = SQLALC_BUF_INIT;
        sqlalc_buf_printf(&m, "%s is not supported by the %s dialect: the WHERE names \"%s\" besides \"%s\"",
                          what, c->d->name ? c->d->name : "?", other ? other : "?", t->name);
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, m.oom || !m.p ? what : m.p);
        sqlalc_buf_free(&m);
        return 0;
    }
    return push_frame(c, f);
}

static void render_update(sqlalc_compiler *c, const struct upd *s)
{
    if (!check_returning(c, &s->returning))
        return;
    frame tf;
    int style = c->h->update_from;
    if (!push_dml_frame(c, &tf, s->table, s->where, style, "UPDATE … FROM")) {
        frame_free(&tf);
        return;
    }
    int output = s->returning.n && c->h->returning_style == SQLALC_RETURNING_OUTPUT;
    PUTS(c, "UPDATE ");
    table_name(c, s->table);
    PUTS(c, " SET ");
    size_t n = s->nset;
    struct sqlalc_column_node *const *cols = s->set_cols;
    if (!n) {
        n = s->table->ncolumns;
        cols = s->table->columns;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            PUTS(c, ", ");
        ident(c, cols[i]->name);
        putc_(c, '=');
        if (s->nset)
            render_value(c, s->set_vals[i], cols[i], NULL, 1);
        else
            emit_param(c, add_name(c, cols[i]->name), NULL, sqlalc__cc_type_param_kind(c, cols[i]->type));
    }
    if (output) {
        PUTS(c, " OUTPUT ");
        render_returning(c, &s->returning, "inserted.");
    }
    if (tf.n > 1) {
        PUTS(c, " FROM ");
        render_from_list(c, &tf, style == SQLALC_UPDATE_FROM_TARGET_EXTRA ? 0 : 1);
    }
    if (s->where) {
        PUTS(c, " WHERE ");
        render(c, s->where, P_ASBOOL, 0, NULL);
    }
    if (s->returning.n && !output) {
        PUTS(c, " RETURNING ");
        render_returning(c, &s->returning, NULL);
    }
    c->depth--;
    frame_free(&tf);
}

static void render_delete(sqlalc_compiler *c, const struct del *s)
{
    if (!check_returning(c, &s->returning))
        return;
    frame tf;
    int style = c->h->delete_from;
    if (!push_dml_frame(c, &tf, s->table, s->where, style, "DELETE with other tables (DELETE … USING)")) {
        frame_free(&tf);
        return;
    }
    int output = s->returning.n && c->h->returning_style == SQLALC_RETURNING_OUTPUT;
    PUTS(c, "DELETE FROM ");
    table_name(c, s->table);
    if (output) {
        PUTS(c, " OUTPUT ");
        render_returning(c, &s->returning, "deleted.");
    }
    if (tf.n > 1) {
        switch (style) {
        case SQLALC_DELETE_FROM_USING:
            PUTS(c, " USING ");
            render_from_list(c, &tf, 1);
            break;
        case SQLALC_DELETE_FROM_TARGET_EXTRA:
            PUTS(c, " FROM ");
            render_from_list(c, &tf, 0);
            break;
        default: PUTS(c, " , "); render_from_list(c, &tf, 1);
        }
    }
    if (s->where) {
        PUTS(c, " WHERE ");
        render(c, s->where, P_ASBOOL, 0, NULL);
    }
    if (s->returning.n && !output) {
        PUTS(c, " RETURNING ");
        render_returning(c, &s->returning, NULL);
    }
    c->depth--;
    frame_free(&tf);
}

void render_stmt(sqlalc_compiler *c, const sqlalc_expr *e, int mode)
{
    if (c->err || !sqlalc__cc_enter(c, SUBQUERY_DEPTH_COST))
        return;
    switch (e->kind) {
    case NK_SELECT: render_select(c, (const struct sel *)e, mode); break;
    case NK_COMPOUND: render_compound(c, (const struct compound *)e, mode); break;
    case NK_INSERT: render_insert(c, (const struct ins *)e); break;
    case NK_UPDATE: render_update(c, (const struct upd *)e); break;
    case NK_DELETE: render_delete(c, (const struct del *)e); break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "not a statement");
    }
    c->nest -= SUBQUERY_DEPTH_COST;
}

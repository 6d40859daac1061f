/*
 * The one SQL compiler: walks a statement tree and writes SQL text plus
 * the ordered parameter list, asking the dialect (through its vtable
 * hooks) only where dialects differ.  Output follows SQLAlchemy 1.4's
 * compiler: the same bind names (id_1, param_2), labels (count_1, anon_1),
 * line breaks and parentheses, so its output can be compared verbatim.
 *
 * Speed: one output buffer per segment (the statement body, and one per
 * CTE), FROM lists on the C stack, no allocation per node.  Positional
 * placeholders are written as a marker byte and numbered in a final pass,
 * so CTE parameters (rendered late, emitted first) keep their order.
 *
 * This file: the entry points and the compiled form.  The other parts are
 * listed in compile_int.h.
 */
#include "compile_int.h"
#include "ddl.h" /* sqlalc__expr_sql_literal */

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static void seg_free(seg *s)
{
    sqlalc_buf_free(&s->buf);
    sqlalc_free(s->params);
}

void sqlalc__cc_init(sqlalc_compiler *c, const sqlalc_dialect *d, int style)
{
    /* Field by field: the inline arrays need no clearing. */
    c->d = d;
    c->h = d->compile;
    c->style = style;
    memset(&c->body, 0, sizeof c->body);
    c->cur = &c->body;
    c->names = (sqlalc_buf)SQLALC_BUF_INIT;
    c->anon = c->anon_inline;
    c->nanon = 0;
    c->capanon = ANON_INLINE;
    memset(&c->anon_map, 0, sizeof c->anon_map);
    c->aliasnames = NULL;
    c->naliasnames = c->capaliasnames = 0;
    c->stack = c->stack_inline;
    c->depth = 0;
    c->capstack = SQLALC_ARRAY_LEN(c->stack_inline);
    c->corr_base = 0;
    c->nest = 0;
    c->wstack = c->wstack_inline;
    c->wn = 0;
    c->wcap = SQLALC_ARRAY_LEN(c->wstack_inline);
    c->tasks = c->tasks_inline;
    c->ntasks = 0;
    c->captasks = SQLALC_ARRAY_LEN(c->tasks_inline);
    c->ctes = c->done = NULL;
    c->nctes = c->ndone = c->capctes = 0;
    c->any_recursive = 0;
    c->err = 0;
    c->literal_values = 0;
    c->expand = NULL;
    c->inline_expanding = 0;
    c->expanded = (sqlalc_buf)SQLALC_BUF_INIT;
    c->rows_from = c->rows_to = 0;
    c->repeat = 0;
    c->total_params = 0;
    c->rn_inner = NULL;
    c->in_dml_select = 0;
    c->around = (sqlalc_buf)SQLALC_BUF_INIT;
    c->rn_names = NULL;
    c->rn_n = c->rn_cap = 0;
    memset(c->qmemo, 0, sizeof c->qmemo);
}

void sqlalc__cc_free(sqlalc_compiler *c)
{
    seg_free(&c->body);
    for (size_t i = 0; i < c->nctes; i++) {
        seg_free(&c->ctes[i]->s);
        sqlalc_free(c->ctes[i]);
    }
    sqlalc_free(c->ctes);
    sqlalc_free(c->done);
    sqlalc_free(c->rn_names);
    sqlalc_buf_free(&c->names);
    sqlalc_buf_free(&c->expanded);
    sqlalc_buf_free(&c->around);
    if (c->anon != c->anon_inline)
        sqlalc_free(c->anon);
    sqlalc_map_free(&c->anon_map);
    sqlalc_free(c->aliasnames);
    if (c->stack != c->stack_inline)
        sqlalc_free(c->stack);
    if (c->wstack != c->wstack_inline)
        sqlalc_free((void *)c->wstack);
    if (c->tasks != c->tasks_inline)
        sqlalc_free(c->tasks);
}

int sqlalc__cc_grow(sqlalc_compiler *c, void **v, size_t *cap, const void *inl, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need)
        nc *= 2;
    void *n;
    if (*v && *v == inl) {
        n = sqlalc__malloc(nc * elem);
        if (n)
            memcpy(n, *v, *cap * elem);
    } else
        n = sqlalc__realloc(*v, nc * elem);
    if (!n)
        return sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
    *v = n;
    *cap = nc;
    return 0;
}

/* Append src's text to dst, numbering positional markers from *k. */
static void emit_final(sqlalc_buf *dst, const seg *src, int style, int *k)
{
    if (!src->buf.len)
        return;
    if (style == 0 || style == COMPILE_LITERAL) {
        sqlalc_buf_append(dst, src->buf.p, src->buf.len);
        return;
    }
    const char *p = src->buf.p, *end = p + src->buf.len;
    while (p < end) {
        const char *m = memchr(p, MARK, (size_t)(end - p));
        if (!m) {
            sqlalc_buf_append(dst, p, (size_t)(end - p));
            break;
        }
        sqlalc_buf_append(dst, p, (size_t)(m - p));
        if (style == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR) {
            char tmp[16];
            int j = sizeof tmp, v = ++*k;
            do
                tmp[--j] = (char)('0' + v % 10);
            while ((v /= 10) && j > 1);
            tmp[--j] = '$';
            sqlalc_buf_append(dst, tmp + j, sizeof tmp - (size_t)j);
        } else
            sqlalc_buf_putc(dst, '?');
        p = m + 1;
    }
}

int sqlalc__compile(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from, size_t rows_to,
                    struct sqlalc_compiled **out)
{
    return sqlalc__compile_expand(stmt, d, style, rows_from, rows_to, NULL, 0, out);
}

static int compile_all(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from,
                       size_t rows_to, size_t repeat, const sqlalc_params *expand, int inline_expanding,
                       struct sqlalc_compiled **out);

int sqlalc__compile_repeat(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows,
                           struct sqlalc_compiled **out)
{
    return compile_all(stmt, d, style, 0, 0, rows, NULL, 0, out);
}

int sqlalc__compile_expand(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from,
                           size_t rows_to, const sqlalc_params *expand, int inline_expanding,
                           struct sqlalc_compiled **out)
{
    return compile_all(stmt, d, style, rows_from, rows_to, 1, expand, inline_expanding, out);
}

static int compile_all(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from,
                       size_t rows_to, size_t repeat, const sqlalc_params *expand, int inline_expanding,
                       struct sqlalc_compiled **out)
{
    *out = NULL;
    if (!stmt)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "compile: NULL statement");
    if (!d)
        d = &sqlalc__default_dialect;
    if (!d->compile)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "dialect %s has no SQL compiler hooks", d->name);
    sqlalc_compiler c;
    sqlalc__cc_init(&c, d, style);
    c.rows_from = rows_from;
    c.rows_to = rows_to;
    c.repeat = repeat;
    c.expand = expand;
    c.inline_expanding = inline_expanding;
    render_stmt(&c, stmt, M_TOP);
    int rc = c.err;
    if (!rc && (c.body.buf.oom || c.names.oom || c.expanded.oom || c.around.oom))
        rc = sqlalc__oom();
    for (size_t i = 0; i < c.nctes && !rc; i++)
        if (c.ctes[i]->s.buf.oom)
            rc = sqlalc__oom();
    struct sqlalc_compiled *r = NULL;
    if (!rc) {
        r = sqlalc__calloc(1, sizeof *r);
        size_t np = c.body.np;
        for (size_t i = 0; i < c.nctes; i++)
            np += c.ctes[i]->s.np;
        if (r && np)
            r->params = sqlalc__malloc(np * sizeof *r->params);
        if (!r || (np && !r->params))
            rc = SQLALC_ERR_NOMEM;
        else {
            sqlalc_buf sql = SQLALC_BUF_INIT;
            int k = 0;
            size_t j = 0;
            if (c.nctes) {
                sqlalc_buf_puts(&sql,
                                c.any_recursive && c.h->recursive_keyword ? "WITH RECURSIVE " : "WITH ");
                /* In completion order: a CTE used by another comes first. */
                for (size_t o = 0; o < c.ndone; o++) {
                    const seg *cs = &c.done[o]->s;
                    if (o)
                        sqlalc_buf_puts(&sql, ", \n");
                    emit_final(&sql, cs, style, &k);
                    if (cs->np)
                        memcpy(r->params + j, cs->params, cs->np * sizeof *r->params);
                    j += cs->np;
                }
                sqlalc_buf_puts(&sql, "\n ");
            }
            if (!c.nctes && (style == 0 || style == COMPILE_LITERAL)) {
                /* Common case: hand the body buffer over as is. */
                sql = c.body.buf;
                c.body.buf = (sqlalc_buf)SQLALC_BUF_INIT;
                if (!sql.p)
                    sqlalc_buf_puts(&sql, "");
            } else
                emit_final(&sql, &c.body, style, &k);
            if (c.body.np)
                memcpy(r->params + j, c.body.params, c.body.np * sizeof *r->params);
            r->nparams = np;
            r->len = sql.len;
            r->sql = sqlalc_buf_detach(&sql);
            r->names = c.names.p;
            c.names.p = NULL;
            if (c.expanded.len) {
                sqlalc_buf_putc(&c.expanded, 0); /* the list ends with an empty name */
                r->expanded = c.expanded.oom ? NULL : sqlalc_buf_detach(&c.expanded);
                if (!r->expanded)
                    rc = SQLALC_ERR_NOMEM;
            }
            r->style = style;
            r->literal_values = c.literal_values || style == COMPILE_LITERAL;
            if (!rc && style != 0 && style != COMPILE_LITERAL)
                rc = sqlalc__stmt_result_types(stmt, &r->ctypes, &r->nctypes);
            if (c.around.len) {
                r->around_len = c.around.len;
                if (!(r->around = sqlalc_buf_detach(&c.around)))
                    rc = SQLALC_ERR_NOMEM;
            }
            if (stmt->kind == NK_INSERT || stmt->kind == NK_UPDATE || stmt->kind == NK_DELETE) {
                const exprvec *ret = sqlalc__stmt_result_exprs(stmt);
                r->dml_returning = ret && ret->n;
            }
            if (!r->sql)
                rc = SQLALC_ERR_NOMEM;
        }
        if (rc == SQLALC_ERR_NOMEM)
            sqlalc__oom();
    }
    sqlalc__cc_free(&c);
    if (rc) {
        sqlalc_compiled_free(r);
        return rc;
    }
    *out = r;
    return SQLALC_OK;
}

void sqlalc_compiled_free(sqlalc_compiled *c)
{
    if (!c)
        return;
    sqlalc_free(c->sql);
    sqlalc_free(c->params);
    sqlalc_free(c->names);
    sqlalc_free(c->expanded);
    sqlalc_free(c->ctypes);
    sqlalc_free(c->around);
    sqlalc_free(c);
}

int sqlalc_compile(sqlalc_stmt *stmt, const sqlalc_dialect *d, int paramstyle, sqlalc_compiled **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_compile: NULL out");
    int rc = sqlalc__compile((sqlalc_expr *)stmt, d, paramstyle, 0, 0, out);
    if (rc == SQLALC__NEEDS_EXPAND)
        rc = sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                              "compile: an expanding IN parameter gets its values at execution");
    return rc;
}

int sqlalc_compile_postcompile(sqlalc_stmt *stmt, const sqlalc_dialect *d, int paramstyle,
                               const sqlalc_params *params, sqlalc_compiled **out)
{
    static const sqlalc_params none = { 0, NULL };
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_compile_postcompile: NULL out");
    return sqlalc__compile_expand((sqlalc_expr *)stmt, d, paramstyle, 0, 0, params ? params : &none, 0, out);
}

char *sqlalc_stmt_sql_postcompile(sqlalc_stmt *stmt, const sqlalc_dialect *d, const sqlalc_params *params)
{
    sqlalc_compiled *c;
    if (sqlalc_compile_postcompile(stmt, d, 0, params, &c))
        return NULL;
    char *s = c->sql;
    c->sql = NULL;
    sqlalc_compiled_free(c);
    return s;
}

const char *sqlalc_compiled_sql(const sqlalc_compiled *c)
{
    return c ? c->sql : NULL;
}
size_t sqlalc_compiled_nparams(const sqlalc_compiled *c)
{
    return c ? c->nparams : 0;
}
const char *sqlalc_compiled_param_name(const sqlalc_compiled *c, size_t i)
{
    return c && i < c->nparams ? c->names + c->params[i].name_off : NULL;
}
const sqlalc_value *sqlalc_compiled_param_value(const sqlalc_compiled *c, size_t i)
{
    return c && i < c->nparams ? c->params[i].value : NULL;
}
int sqlalc_compiled_param_type(const sqlalc_compiled *c, size_t i)
{
    return c && i < c->nparams ? c->params[i].type : 0;
}
const char *sqlalc_compiled_around_sql(const sqlalc_compiled *c, int after)
{
    if (!c || !c->around)
        return NULL;
    return after ? c->around + strlen(c->around) + 1 : c->around;
}

int sqlalc__stmt_compiled(struct sqlalc_stmt *st, const sqlalc_dialect *d, int style,
                          const struct sqlalc_compiled **out)
{
    if (!d)
        d = &sqlalc__default_dialect;
    for (stmt_cache_entry *e = atomic_load(&st->cache); e; e = e->next)
        if (e->dialect == d && e->style == style) {
            *out = e->compiled;
            return SQLALC_OK;
        }
    struct sqlalc_compiled *comp;
    int rc = sqlalc__shape_compiled(&st->base, d, style, &comp);
    if (rc)
        return rc;
    stmt_cache_entry *n = sqlalc__malloc(sizeof *n);
    if (!n) {
        sqlalc_compiled_free(comp);
        return SQLALC_ERR_NOMEM;
    }
    n->dialect = d;
    n->style = style;
    n->compiled = comp;
    /* Lock-free push; a racing thread may add a duplicate entry, harmless. */
    stmt_cache_entry *head = atomic_load(&st->cache);
    do
        n->next = head;
    while (!atomic_compare_exchange_weak(&st->cache, &head, n));
    *out = comp;
    return SQLALC_OK;
}

const char *sqlalc_stmt_sql(sqlalc_stmt *stmt, const sqlalc_dialect *d)
{
    if (!stmt) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_stmt_sql: NULL statement");
        return NULL;
    }
    const struct sqlalc_compiled *c;
    if (sqlalc__stmt_compiled(stmt, d, 0, &c))
        return NULL;
    return c->sql;
}

char *sqlalc_stmt_sql_literal(sqlalc_stmt *stmt, const sqlalc_dialect *d)
{
    struct sqlalc_compiled *c;
    if (sqlalc__compile((sqlalc_expr *)stmt, d, COMPILE_LITERAL, 0, 0, &c))
        return NULL;
    char *s = c->sql;
    c->sql = NULL;
    sqlalc_compiled_free(c);
    return s;
}

static char *expr_sql_style(const sqlalc_expr *e, const sqlalc_dialect *d, int style);

char *sqlalc_expr_sql(const sqlalc_expr *e, const sqlalc_dialect *d)
{
    if (!e) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_expr_sql: NULL expression");
        return NULL;
    }
    if (sqlalc__is_stmt_kind(e->kind)) {
        struct sqlalc_compiled *c;
        if (sqlalc__compile((sqlalc_expr *)e, d, 0, 0, 0, &c))
            return NULL;
        char *s = c->sql;
        c->sql = NULL;
        sqlalc_compiled_free(c);
        return s;
    }
    return expr_sql_style(e, d, 0);
}

/* An expression with its values rendered inline (DDL: server defaults). */
char *sqlalc__expr_sql_literal(const sqlalc_expr *e, const sqlalc_dialect *d)
{
    return expr_sql_style(e, d, COMPILE_LITERAL);
}

static char *expr_sql_style(const sqlalc_expr *e, const sqlalc_dialect *d, int style)
{
    if (!d)
        d = &sqlalc__default_dialect;
    sqlalc_compiler c;
    sqlalc__cc_init(&c, d, style);
    render(&c, e, P_NONE, 0, NULL);
    char *s = NULL;
    if (!c.err && !c.body.buf.oom && !c.names.oom)
        s = sqlalc_buf_detach(&c.body.buf);
    else if (!c.err)
        sqlalc__oom();
    sqlalc__cc_free(&c);
    return s;
}

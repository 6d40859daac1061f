/*
 * The SQL type of each result column a statement returns, as SQLAlchemy's
 * result processors see it: a column's own type, a CAST's target, the
 * Boolean of a comparison, a function's declared return type.  The engine
 * converts the values the driver returns to it (src/engine/result.c), so a
 * Boolean reads as a boolean on SQLite too and a Numeric(10, 2) with two
 * decimals everywhere.
 */
#include <string.h>
#include "expr_int.h"
#include "../schema/model.h"

static sqlalc__coltype of_type(const sqlalc_type *t)
{
    sqlalc__coltype r = { 0, -1 };
    while (t && t->kind == SQLALC_TYPE_DOMAIN && t->base)
        t = t->base;
    if (t) {
        r.kind = (short)t->kind;
        r.scale = (short)(t->kind == SQLALC_TYPE_NUMERIC && t->scale >= 0 && t->scale < 1000 ? t->scale : -1);
    }
    return r;
}

static sqlalc__coltype of_kind(int kind)
{
    sqlalc__coltype r = { (short)kind, -1 };
    return r;
}

static int is_comparison(int op)
{
    return (op >= OP_EQ && op <= OP_ISNOT) || (op >= OP_LIKE && op <= OP_NOTBETWEEN);
}

static sqlalc__coltype of_value(const sqlalc_value *v)
{
    switch (v->type) {
    case SQLALC_V_BOOL: return of_kind(SQLALC_TYPE_BOOLEAN);
    case SQLALC_V_FLOAT: return of_kind(SQLALC_TYPE_FLOAT);
    case SQLALC_V_NUMERIC: return of_kind(SQLALC_TYPE_NUMERIC);
    case SQLALC_V_DATE: return of_kind(SQLALC_TYPE_DATE);
    case SQLALC_V_TIME: return of_kind(SQLALC_TYPE_TIME);
    case SQLALC_V_DATETIME: return of_kind(SQLALC_TYPE_DATETIME);
    default: return of_kind(SQLALC_TYPE_NULL);
    }
}

/* Iterative through the wrappers (labels, parentheses of one operand), so
 * any depth of them costs no stack. */
sqlalc__coltype sqlalc__expr_result_type(const sqlalc_expr *e)
{
    while (e) {
        switch (e->kind) {
        case SQLALC_NK_COLUMN: return of_type(((const struct sqlalc_column_node *)e)->type);
        case NK_ALIAS_COL:
        case NK_EXCLUDED: e = ((const struct aliascol *)e)->inner; continue;
        case NK_LABEL: e = ((const struct label *)e)->e; continue;
        case NK_COLCLAUSE: {
            const struct colclause *k = (const struct colclause *)e;
            sqlalc__coltype r = of_kind(k->kind);
            if (k->kind == SQLALC_TYPE_NUMERIC && k->scale >= 0 && k->scale < 1000)
                r.scale = (short)k->scale;
            return r;
        }
        case NK_CONST: return of_kind(e->flags == CONST_NULL ? SQLALC_TYPE_NULL : SQLALC_TYPE_BOOLEAN);
        case NK_BOOL: return of_kind(SQLALC_TYPE_BOOLEAN);
        case NK_BINARY:
            if (is_comparison(((const struct binop *)e)->op))
                return of_kind(SQLALC_TYPE_BOOLEAN);
            return of_type(e->type);
        case NK_UNARY: {
            const struct unop *u = (const struct unop *)e;
            if (u->op == UOP_NOT || u->op == UOP_EXISTS)
                return of_kind(SQLALC_TYPE_BOOLEAN);
            if (u->op == UOP_SCALAR) {
                const sqlalc_expr *s = u->e;
                while (s && s->kind == NK_COMPOUND && ((const struct compound *)s)->selects.n)
                    s = ((const struct compound *)s)->selects.v[0];
                if (s && s->kind == NK_SELECT && ((const struct sel *)s)->cols.n) {
                    e = ((const struct sel *)s)->cols.v[0];
                    continue;
                }
                return of_kind(SQLALC_TYPE_NULL);
            }
            if (u->op == UOP_NEG || u->op == UOP_DISTINCT) {
                e = u->e;
                continue;
            }
            return of_type(e->type);
        }
        case NK_CAST: {
            const struct cast *c = (const struct cast *)e;
            sqlalc__coltype r = of_kind(c->kind);
            if (c->kind == SQLALC_TYPE_NUMERIC && c->scale >= 0 && c->scale < 1000)
                r.scale = (short)c->scale;
            return r;
        }
        case NK_FUNC: {
            const struct func *f = (const struct func *)e;
            if (!strcmp(f->name, "count"))
                return of_kind(SQLALC_TYPE_INTEGER);
            if (f->n && (!strcmp(f->name, "sum") || !strcmp(f->name, "max") || !strcmp(f->name, "min") ||
                         !strcmp(f->name, "coalesce"))) {
                e = f->args[0];
                continue;
            }
            return of_type(e->type);
        }
        case NK_BIND: {
            const struct bind *b = (const struct bind *)e;
            if (e->type)
                return of_type(e->type);
            return b->has_value ? of_value(&b->v) : of_kind(SQLALC_TYPE_NULL);
        }
        default: return of_type(e->type);
        }
    }
    return of_kind(SQLALC_TYPE_NULL);
}

/* Does the engine change values of this type (see result.c)? */
static int converts(int kind)
{
    switch (kind) {
    case SQLALC_TYPE_BOOLEAN:
    case SQLALC_TYPE_NUMERIC:
    case SQLALC_TYPE_FLOAT:
    case SQLALC_TYPE_REAL:
    case SQLALC_TYPE_DOUBLE:
    case SQLALC_TYPE_DATE:
    case SQLALC_TYPE_TIME:
    case SQLALC_TYPE_DATETIME: return 1;
    default: return 0;
    }
}

const exprvec *sqlalc__stmt_result_exprs(const sqlalc_expr *stmt)
{
    while (stmt && stmt->kind == NK_COMPOUND) {
        const struct compound *k = (const struct compound *)stmt;
        stmt = k->selects.n ? k->selects.v[0] : NULL;
    }
    if (!stmt)
        return NULL;
    switch (stmt->kind) {
    case NK_SELECT: return &((const struct sel *)stmt)->cols;
    case NK_INSERT: return &((const struct ins *)stmt)->returning;
    case NK_UPDATE: return &((const struct upd *)stmt)->returning;
    case NK_DELETE: return &((const struct del *)stmt)->returning;
    default: return NULL;
    }
}

int sqlalc__stmt_result_types(const sqlalc_expr *stmt, sqlalc__coltype **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const exprvec *cols = sqlalc__stmt_result_exprs(stmt);
    if (!cols || !cols->n)
        return SQLALC_OK;
    size_t any = 0;
    for (size_t i = 0; i < cols->n && !any; i++)
        any = converts(sqlalc__expr_result_type(cols->v[i]).kind);
    if (!any)
        return SQLALC_OK; /* the usual case: nothing to convert, nothing kept */
    sqlalc__coltype *t = sqlalc__malloc(cols->n * sizeof *t);
    if (!t)
        return SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < cols->n; i++) {
        t[i] = sqlalc__expr_result_type(cols->v[i]);
        if (!converts(t[i].kind))
            t[i].kind = 0;
    }
    *out = t;
    *n = cols->n;
    return SQLALC_OK;
}

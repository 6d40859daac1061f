/* Destruction of src/sql node kinds (their reference count reached 0). */
#include "expr_int.h"

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

static void free_arr(sqlalc_expr **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sqlalc_expr_free(v[i]);
}

void sqlalc__sql_node_destroy(sqlalc_expr *e)
{
    switch (e->kind) {
    case NK_BIND:
    case NK_CONST:
    case NK_TEXT: break;
    case NK_BINARY:
        sqlalc_expr_free(((struct binop *)e)->l);
        sqlalc_expr_free(((struct binop *)e)->r);
        break;
    case NK_UNARY: sqlalc_expr_free(((struct unop *)e)->e); break;
    case NK_BOOL: free_arr(((struct boollist *)e)->items, ((struct boollist *)e)->n); break;
    case NK_LIST: free_arr(((struct exprlist *)e)->items, ((struct exprlist *)e)->n); break;
    case NK_FUNC: free_arr(((struct func *)e)->args, ((struct func *)e)->n); break;
    case NK_CAST: sqlalc_expr_free(((struct cast *)e)->e); break;
    case NK_CASE: {
        struct casex *c = (struct casex *)e;
        sqlalc_expr_free(c->value);
        sqlalc_expr_free(c->else_);
        free_arr(c->items, c->n * 2);
        break;
    }
    case NK_LABEL: sqlalc_expr_free(((struct label *)e)->e); break;
    case NK_OVER: {
        struct over *o = (struct over *)e;
        sqlalc_expr_free(o->func);
        sqlalc__exprvec_free(&o->partition);
        sqlalc__exprvec_free(&o->order);
        break;
    }
    case NK_ALIAS: {
        struct alias *a = (struct alias *)e;
        sqlalc_expr_free(a->target);
        sqlalc_expr_free(a->anchor ? &a->anchor->base : NULL);
        break;
    }
    case NK_ALIAS_COL: sqlalc_expr_free(&((struct aliascol *)e)->alias->base); break;
    case NK_EXCLUDED: sqlalc_expr_free(&((struct aliascol *)e)->table->base); break;
    case NK_JOIN: {
        struct join *j = (struct join *)e;
        sqlalc_expr_free(j->l);
        sqlalc_expr_free(j->r);
        sqlalc_expr_free(j->on);
        break;
    }
    case NK_SELECT: {
        struct sel *s = (struct sel *)e;
        free_stmt_cache(&s->st);
        sqlalc__exprvec_free(&s->cols);
        sqlalc__exprvec_free(&s->froms);
        sqlalc__exprvec_free(&s->group);
        sqlalc__exprvec_free(&s->order);
        sqlalc_expr_free(s->where);
        sqlalc_expr_free(s->having);
        break;
    }
    case NK_COMPOUND: {
        struct compound *c = (struct compound *)e;
        free_stmt_cache(&c->st);
        sqlalc__exprvec_free(&c->selects);
        sqlalc__exprvec_free(&c->order);
        break;
    }
    case NK_INSERT: {
        struct ins *s = (struct ins *)e;
        free_stmt_cache(&s->st);
        sqlalc_expr_free(&s->table->base);
        free_arr(s->values, s->nrows * s->ncols);
        sqlalc_free(s->values);
        sqlalc_free(s->cols);
        sqlalc_expr_free(s->from_select);
        sqlalc__exprvec_free(&s->returning);
        sqlalc__exprvec_free(&s->conflict_cols);
        free_arr(s->set_vals, s->nset);
        sqlalc_free(s->set_vals);
        sqlalc_free(s->set_cols);
        sqlalc_expr_free(s->upsert_where);
        break;
    }
    case NK_UPDATE: {
        struct upd *s = (struct upd *)e;
        free_stmt_cache(&s->st);
        sqlalc_expr_free(&s->table->base);
        free_arr(s->set_vals, s->nset);
        sqlalc_free(s->set_vals);
        sqlalc_free(s->set_cols);
        sqlalc_expr_free(s->where);
        sqlalc__exprvec_free(&s->returning);
        break;
    }
    case NK_DELETE: {
        struct del *s = (struct del *)e;
        free_stmt_cache(&s->st);
        sqlalc_expr_free(&s->table->base);
        sqlalc_expr_free(s->where);
        sqlalc__exprvec_free(&s->returning);
        break;
    }
    default: break;
    }
    sqlalc_free(e);
}

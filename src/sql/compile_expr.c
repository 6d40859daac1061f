/* Compiling expressions: operators, IN, LIKE, functions, windows, CAST, CASE, text. */
#include "compile_int.h"

static void render_bind(sqlalc_compiler *c, const struct bind *b, const sqlalc_expr *ctx)
{
    if (b->expanding) {
        if (c->style != 0 || c->expand) {
            /* Values arrive at execution: the caller compiles again with them. */
            if (!c->err)
                c->err = SQLALC__NEEDS_EXPAND;
            return;
        }
        PUTS(c, "(__[POSTCOMPILE_");
        puts_(c, b->name);
        PUTS(c, "])");
        return;
    }
    size_t off;
    if (b->name)
        off = add_name(c, b->name);
    else {
        const char *k = expr_key(ctx);
        off = anon_name(c, k ? k : "param");
    }
    int t = b->has_value ? value_type_kind(&b->v) : SQLALC_TYPE_NULL;
    if (ctx && expr_type_kind(c, ctx))
        t = expr_type_kind(c, ctx);
    emit_param(c, off, b->has_value ? &b->v : NULL, t);
}

/* ------------------------------------------------------------------ */
/* Expressions                                                         */
/* ------------------------------------------------------------------ */

static int op_prec(int op)
{
    switch (op) {
    case OP_MUL:
    case OP_DIV:
    case OP_MOD: return P_MUL;
    case OP_ADD:
    case OP_SUB: return P_ADD;
    case OP_CONCAT: return P_CONCAT;
    case OP_CONTAINS:
    case OP_NOTCONTAINS:
    case OP_STARTSWITH:
    case OP_NOTSTARTSWITH:
    case OP_ENDSWITH:
    case OP_NOTENDSWITH:
    case OP_NOTIN: return P_SMALLEST;
    default: return P_CMP;
    }
}

static int op_assoc(int op)
{
    return op == OP_ADD || op == OP_MUL || op == OP_CONCAT;
}

/* Does an expression of precedence prec/op need parentheses in context against/against_op? */
static int needs_group(int prec, int op, int against, int against_op)
{
    if (against == P_NONE)
        return 0;
    if (op && op == against_op && op_assoc(op))
        return 0;
    return prec <= against;
}

static const char *op_text(sqlalc_compiler *c, int op)
{
    switch (op) {
    case OP_EQ: return " = ";
    case OP_NE: return " != ";
    case OP_LT: return " < ";
    case OP_LE: return " <= ";
    case OP_GT: return " > ";
    case OP_GE: return " >= ";
    case OP_IS: return " IS ";
    case OP_ISNOT: return " IS NOT ";
    case OP_ADD: return " + ";
    case OP_SUB: return " - ";
    case OP_MUL: return " * ";
    case OP_DIV: return " / ";
    case OP_MOD: return " % ";
    case OP_CONCAT: return c->h->concat_op;
    case OP_LIKE:
    case OP_CONTAINS:
    case OP_STARTSWITH:
    case OP_ENDSWITH: return " LIKE ";
    case OP_NOTLIKE:
    case OP_NOTCONTAINS:
    case OP_NOTSTARTSWITH:
    case OP_NOTENDSWITH: return " NOT LIKE ";
    case OP_ILIKE: return " ILIKE ";
    case OP_NOTILIKE: return " NOT ILIKE ";
    case OP_IN: return " IN ";
    case OP_NOTIN: return " NOT IN ";
    case OP_BETWEEN: return " BETWEEN ";
    case OP_NOTBETWEEN: return " NOT BETWEEN ";
    default: return " ? ";
    }
}

void render_list_items(sqlalc_compiler *c, sqlalc_expr *const *items, size_t n, const sqlalc_expr *ctx)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            PUTS(c, ", ");
        render(c, items[i], P_COMMA, 0, ctx);
    }
}

/* Out of line: the message is built off the recursion's stack. */
void sqlalc__cc_in_limit_error(sqlalc_compiler *c, size_t n)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "IN list of %zu values passes %s's limit of %d parameters per statement; only a list of "
             "integers is written inline past it",
             n, c->d->name, c->d->max_params);
    sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, msg);
}

static int all_anon_binds(const struct exprlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i]->kind != NK_BIND || ((const struct bind *)l->items[i])->name ||
            ((const struct bind *)l->items[i])->expanding)
            return 0;
    return 1;
}

/* Out of line: its message buffer stays off the recursion's stack. */
NOINLINE static void inline_refused(sqlalc_compiler *c, const char *nm, size_t nexp, size_t k, int type)
{
    char msg[300];
    snprintf(msg, sizeof msg,
             "the expanding IN '%s' has %zu values, more than the %d parameters one "
             "statement may carry; only integer values can be sent inline past it "
             "(value %zu is %s)",
             nm, nexp, c->inline_expanding, k, sqlalc_vtype_name((sqlalc_vtype)type));
    sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, msg);
}

static void render_in(sqlalc_compiler *c, const struct binop *b)
{
    const sqlalc_expr *r = b->r;
    render(c, b->l, P_CMP, b->op, NULL);
    puts_(c, op_text(c, b->op));
    if (r->kind == NK_SELECT || r->kind == NK_COMPOUND) {
        putc_(c, '(');
        render_stmt(c, r, M_NESTED);
        putc_(c, ')');
        return;
    }
    size_t nexp = 0;
    if (r->kind == NK_BIND && ((const struct bind *)r)->expanding && c->expand) {
        /* An expanding parameter with its values: one placeholder each. */
        const char *nm = ((const struct bind *)r)->name;
        for (size_t i = 0; i < c->expand->count; i++)
            nexp += c->expand->items[i].name && !strcmp(c->expand->items[i].name, nm);
        c->literal_values = 1; /* this form depends on the values: never shared */
        sqlalc_buf_append(&c->expanded, nm, strlen(nm) + 1);
        if (nexp) {
            putc_(c, '(');
            size_t k = 0;
            int t = expr_type_kind(c, b->l);
            for (size_t i = 0; i < c->expand->count; i++) {
                const sqlalc_param *p = &c->expand->items[i];
                if (!p->name || strcmp(p->name, nm))
                    continue;
                if (k)
                    PUTS(c, ", ");
                k++;
                if (c->inline_expanding) {
                    /* Past the parameter ceiling: integers go inline (no
                     * SQL can hide in one); other values cannot. */
                    if (p->value.type != SQLALC_V_INT) {
                        inline_refused(c, nm, nexp, k, p->value.type);
                        return;
                    }
                    sqlalc_compiler_literal_int(c, p->value.u.i);
                    continue;
                }
                size_t off = name_n(c, nm, k);
                emit_param(c, off, &p->value, t ? t : value_type_kind(&p->value));
            }
            putc_(c, ')');
            return;
        }
    } else if (r->kind == NK_BIND) {
        render_bind(c, (const struct bind *)r, b->l);
        return;
    }
    const struct exprlist *l = (const struct exprlist *)r;
    if (nexp || r->kind == NK_BIND || l->n == 0) {
        const char *k = expr_key(b->l);
        (void)anon_name(c, k ? k : "param");
        if (c->h->empty_in_subquery)
            PUTS(c, "(SELECT 1 FROM (SELECT 1) WHERE 1!=1)");
        else if (b->op == OP_IN)
            PUTS(c, "(NULL) AND (1 != 1)");
        else
            PUTS(c, "(NULL) OR (1 = 1)");
        return;
    }
    putc_(c, '(');
    if (all_anon_binds(l)) {
        /* An expanding parameter, as SQLAlchemy 1.4 renders it: id_1_1, id_1_2 … */
        const char *k = expr_key(b->l);
        size_t base = anon_name(c, k ? k : "param");
        int t = expr_type_kind(c, b->l);
        int literal = c->total_params + (int)l->n > c->d->max_params && c->style != 0;
        for (size_t i = 0; literal && c->h->inline_in_ints_only && i < l->n; i++)
            if (((const struct bind *)l->items[i])->v.type != SQLALC_V_INT) {
                sqlalc__cc_in_limit_error(c, l->n);
                return;
            }
        for (size_t i = 0; i < l->n; i++) {
            const struct bind *bi = (const struct bind *)l->items[i];
            if (i)
                PUTS(c, ", ");
            if (literal) {
                /* Past the dialect's parameter ceiling: values go inline
                 * (rendered safely), as SQLAlchemy's literal_execute. */
                literal_value(c, &bi->v);
                c->literal_values = 1;
                continue;
            }
            size_t off = name_n(c, name_at(c, base), i + 1);
            emit_param(c, off, &bi->v, t ? t : value_type_kind(&bi->v));
        }
    } else
        render_list_items(c, l->items, l->n, b->l);
    putc_(c, ')');
}

/* An operator rendered "l op r" with no special form: chains of these
 * (a + b + c …, x = y AND …) are rendered without recursion. */
static int is_chain_op(const sqlalc_compiler *c, const sqlalc_expr *e)
{
    if (e->kind != NK_BINARY)
        return 0;
    const struct binop *b = (const struct binop *)e;
    switch (b->op) {
    case OP_IN:
    case OP_NOTIN:
    case OP_BETWEEN:
    case OP_NOTBETWEEN: return 0;
    case OP_ILIKE:
    case OP_NOTILIKE: return c->h->has_ilike;
    case OP_IS:
    case OP_ISNOT: return b->r->kind != NK_CONST;
    default: return !(b->op >= OP_CONTAINS && b->op <= OP_NOTENDSWITH);
    }
}

static void put_escape(sqlalc_compiler *c, const struct binop *b)
{
    if (b->escape && (b->op >= OP_LIKE && b->op <= OP_NOTENDSWITH)) {
        PUTS(c, " ESCAPE '");
        putc_(c, b->escape);
        if (b->escape == '\'')
            putc_(c, '\'');
        putc_(c, '\'');
    }
}

/* A tree of chain operators as an explicit task list (c->tasks): the same
 * text render_binary writes, at any depth of left, right or mixed nesting.
 * e's "(" was already written when grp0. */
enum { T_RENDER, T_OP, T_CLOSE };
static int task_push(sqlalc_compiler *c, int kind, const sqlalc_expr *e, int against, int against_op,
                     const sqlalc_expr *ctx)
{
    if (c->ntasks == c->captasks && VGROW(c, &c->tasks, &c->captasks, c->tasks_inline, c->ntasks + 1))
        return 0;
    cc_task *t = &c->tasks[c->ntasks++];
    t->kind = kind;
    t->e = e;
    t->against = against;
    t->against_op = against_op;
    t->ctx = ctx;
    return 1;
}

static void render_chain(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op, int grp0)
{
    size_t base = c->ntasks;
    int first = 1;
    if (!task_push(c, T_RENDER, e, against, against_op, NULL))
        return;
    while (c->ntasks > base && !c->err) {
        cc_task t = c->tasks[--c->ntasks];
        const struct binop *b = (const struct binop *)t.e;
        switch (t.kind) {
        case T_RENDER: {
            if (!is_chain_op(c, t.e)) {
                render(c, t.e, t.against, t.against_op, t.ctx);
                break;
            }
            int prec = op_prec(b->op);
            int grp = first ? grp0 : needs_group(prec, b->op, t.against, t.against_op);
            if (grp && !first)
                putc_(c, '(');
            first = 0;
            /* pushed last first: l, op, r, close */
            if (!task_push(c, T_CLOSE, t.e, grp, 0, NULL) ||
                !task_push(c, T_RENDER, b->r, prec, b->op, b->l) || !task_push(c, T_OP, t.e, 0, 0, NULL) ||
                !task_push(c, T_RENDER, b->l, prec, b->op, NULL))
                break;
            break;
        }
        case T_OP: puts_(c, op_text(c, b->op)); break;
        case T_CLOSE:
            put_escape(c, b);
            if (t.against)
                putc_(c, ')');
            break;
        }
    }
    c->ntasks = base;
}

static void render_binary(sqlalc_compiler *c, const struct binop *b, int against, int against_op)
{
    int prec = op_prec(b->op);
    int grp = needs_group(prec, b->op, against, against_op);
    if (grp)
        putc_(c, '(');
    switch (b->op) {
    case OP_IN:
    case OP_NOTIN: render_in(c, b); break;
    case OP_BETWEEN:
    case OP_NOTBETWEEN: {
        const struct exprlist *l = (const struct exprlist *)b->r;
        render(c, b->l, P_CMP, b->op, NULL);
        puts_(c, op_text(c, b->op));
        render(c, l->items[0], P_CMP, b->op, b->l);
        PUTS(c, " AND ");
        render(c, l->items[1], P_CMP, b->op, b->l);
        break;
    }
    case OP_ILIKE:
    case OP_NOTILIKE:
        if (!c->h->has_ilike) {
            PUTS(c, "lower(");
            render(c, b->l, P_COMMA, 0, NULL);
            PUTS(c, ")");
            puts_(c, b->op == OP_ILIKE ? " LIKE " : " NOT LIKE ");
            PUTS(c, "lower(");
            render(c, b->r, P_COMMA, 0, b->l);
            PUTS(c, ")");
            goto escape;
        }
        /* fall through */
    default:
        if (b->op >= OP_CONTAINS && b->op <= OP_NOTENDSWITH) {
            render(c, b->l, P_CMP, b->op, NULL);
            puts_(c, op_text(c, b->op));
            int pre = b->op == OP_CONTAINS || b->op == OP_NOTCONTAINS || b->op == OP_ENDSWITH ||
                      b->op == OP_NOTENDSWITH;
            int post = b->op == OP_CONTAINS || b->op == OP_NOTCONTAINS || b->op == OP_STARTSWITH ||
                       b->op == OP_NOTSTARTSWITH;
            if (pre) {
                PUTS(c, "'%'");
                puts_(c, c->h->concat_op);
            }
            render(c, b->r, P_CONCAT, OP_CONCAT, b->l);
            if (post) {
                puts_(c, c->h->concat_op);
                PUTS(c, "'%'");
            }
            if (b->escape)
                put_escape(c, b);
            else if (c->h->version >= 2 && c->h->like_default_escape)
                /* the value's characters other than % and _ match themselves,
                 * as on dialects whose LIKE has no default escape */
                PUTS(c, " ESCAPE ''");
            break;
        }
        if ((b->op == OP_IS || b->op == OP_ISNOT) && b->r->kind == NK_CONST) {
            render(c, b->l, prec, b->op, NULL);
            puts_(c, op_text(c, b->op));
            if (b->r->flags == CONST_NULL)
                PUTS(c, "NULL");
            else if (c->h->native_boolean)
                puts_(c, b->r->flags == CONST_TRUE ? "true" : "false");
            else
                putc_(c, b->r->flags == CONST_TRUE ? '1' : '0');
            break;
        }
        if (is_chain_op(c, b->l) || is_chain_op(c, b->r)) {
            /* operands that are operators themselves: without recursion
             * ("(" already written when grp; the chain closes it) */
            render_chain(c, &b->base, against, against_op, grp);
            return;
        }
        render(c, b->l, prec, b->op, NULL);
        puts_(c, op_text(c, b->op));
        render(c, b->r, prec, b->op, b->l);
    escape:
        put_escape(c, b);
        break;
    }
    if (grp)
        putc_(c, ')');
}

static void render_func(sqlalc_compiler *c, const struct func *f)
{
    const char *name = f->name;
    if (c->h->function_name) {
        const char *n = c->h->function_name(name);
        if (n)
            name = n;
    }
    /* ANSI functions written without parentheses. */
    if (!f->n &&
        (!strcmp(name, "CURRENT_TIMESTAMP") || !strcmp(name, "current_timestamp") ||
         !strcmp(name, "current_date") || !strcmp(name, "current_time") || !strcmp(name, "localtimestamp") ||
         !strcmp(name, "localtime") || !strcmp(name, "current_user") || !strcmp(name, "session_user"))) {
        for (const char *p = name; *p; p++)
            putc_(c, (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p);
        return;
    }
    puts_(c, name);
    putc_(c, '(');
    if (f->star)
        putc_(c, '*');
    else
        for (size_t i = 0; i < f->n; i++) {
            if (i)
                PUTS(c, ", ");
            render(c, f->args[i], P_COMMA, 0, &f->base);
        }
    putc_(c, ')');
}

static void frame_bound(sqlalc_compiler *c, int64_t v, const sqlalc_value *absval, int lower)
{
    if (v == SQLALC_UNBOUNDED)
        puts_(c, lower ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING");
    else if (v == INT64_MAX)
        PUTS(c, "UNBOUNDED FOLLOWING");
    else if (v == 0)
        PUTS(c, "CURRENT ROW");
    else {
        if (c->h->frame_bounds_literal)
            sqlalc_compiler_literal_int(c, absval->u.i);
        else
            sqlalc_compiler_param(c, absval);
        puts_(c, v < 0 ? " PRECEDING" : " FOLLOWING");
    }
}

static void render_over(sqlalc_compiler *c, const struct over *o)
{
    render(c, o->func, P_NONE, 0, NULL);
    PUTS(c, " OVER (");
    int sp = 0;
    if (o->partition.n) {
        PUTS(c, "PARTITION BY ");
        render_list_items(c, o->partition.v, o->partition.n, NULL);
        sp = 1;
    }
    if (o->order.n) {
        if (sp)
            putc_(c, ' ');
        PUTS(c, "ORDER BY ");
        render_list_items(c, o->order.v, o->order.n, NULL);
        sp = 1;
    }
    if (o->frame) {
        if (sp)
            putc_(c, ' ');
        puts_(c, o->frame == SQLALC_FRAME_ROWS ? "ROWS BETWEEN " : "RANGE BETWEEN ");
        frame_bound(c, o->lower, &o->lower_v, 1);
        PUTS(c, " AND ");
        frame_bound(c, o->upper, &o->upper_v, 0);
    }
    putc_(c, ')');
}

static void default_cast_type(sqlalc_compiler *c, int kind, int length, int precision, int scale)
{
    char tmp[64];
    switch (kind) {
    case SQLALC_TYPE_INTEGER: PUTS(c, "INTEGER"); break;
    case SQLALC_TYPE_SMALLINT: PUTS(c, "SMALLINT"); break;
    case SQLALC_TYPE_BIGINT: PUTS(c, "BIGINT"); break;
    case SQLALC_TYPE_FLOAT: PUTS(c, "FLOAT"); break;
    case SQLALC_TYPE_NUMERIC:
        if (precision >= 0 && scale >= 0)
            put(c, tmp, (size_t)snprintf(tmp, sizeof tmp, "NUMERIC(%d, %d)", precision, scale));
        else if (precision >= 0)
            put(c, tmp, (size_t)snprintf(tmp, sizeof tmp, "NUMERIC(%d)", precision));
        else
            PUTS(c, "NUMERIC");
        break;
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_UNICODE:
        if (length > 0)
            put(c, tmp, (size_t)snprintf(tmp, sizeof tmp, "VARCHAR(%d)", length));
        else
            PUTS(c, "VARCHAR");
        break;
    case SQLALC_TYPE_TEXT:
    case SQLALC_TYPE_UNICODE_TEXT: PUTS(c, "TEXT"); break;
    case SQLALC_TYPE_BOOLEAN: PUTS(c, "BOOLEAN"); break;
    case SQLALC_TYPE_DATE: PUTS(c, "DATE"); break;
    case SQLALC_TYPE_TIME: PUTS(c, "TIME"); break;
    case SQLALC_TYPE_DATETIME: PUTS(c, "DATETIME"); break;
    case SQLALC_TYPE_LARGE_BINARY: PUTS(c, "BLOB"); break;
    case SQLALC_TYPE_JSON: PUTS(c, "JSON"); break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "CAST to this type is not supported");
    }
}

/* Name of an anonymous alias/subquery, assigned on first sight. */
const char *alias_name(sqlalc_compiler *c, const struct alias *a)
{
    if (a->name)
        return a->name;
    for (size_t i = 0; i < c->naliasnames; i++)
        if (c->aliasnames[i].node == a)
            return name_at(c, c->aliasnames[i].off);
    if (VGROW(c, &c->aliasnames, &c->capaliasnames, NULL, c->naliasnames + 1))
        return "anon";
    c->aliasnames[c->naliasnames].node = a;
    c->aliasnames[c->naliasnames].off = anon_name(c, "anon");
    return name_at(c, c->aliasnames[c->naliasnames++].off);
}

static void render_const(sqlalc_compiler *c, int which, int against)
{
    if (which == CONST_NULL) {
        PUTS(c, "NULL");
        return;
    }
    if (c->h->native_boolean) {
        puts_(c, which == CONST_TRUE ? "true" : "false");
        return;
    }
    /* Where a boolean is expected, 1/0 alone is not a condition everywhere. */
    if (against <= P_AND)
        puts_(c, which == CONST_TRUE ? "1 = 1" : "0 = 1");
    else
        putc_(c, which == CONST_TRUE ? '1' : '0');
}

static void render_unary(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op)
{
    const struct unop *u = (const struct unop *)e;
    switch (u->op) {
    case UOP_NEG: {
        int grp = needs_group(P_MUL, 0, against, against_op);
        if (grp)
            putc_(c, '(');
        putc_(c, '-');
        render(c, u->e, P_MUL, 0, NULL);
        if (grp)
            putc_(c, ')');
        break;
    }
    case UOP_NOT: {
        int grp = needs_group(P_CMP, 0, against, against_op);
        if (grp)
            putc_(c, '(');
        PUTS(c, "NOT ");
        render(c, u->e, P_CMP, 0, NULL);
        if (grp)
            putc_(c, ')');
        break;
    }
    case UOP_DISTINCT:
        PUTS(c, "DISTINCT ");
        render(c, u->e, P_CMP, 0, NULL);
        break;
    case UOP_EXISTS: {
        int grp = needs_group(P_EXISTS, 0, against, against_op);
        if (grp)
            putc_(c, '(');
        PUTS(c, "EXISTS (");
        render_stmt(c, u->e, M_NESTED);
        putc_(c, ')');
        if (grp)
            putc_(c, ')');
        break;
    }
    case UOP_SCALAR:
        putc_(c, '(');
        render_stmt(c, u->e, M_NESTED);
        putc_(c, ')');
        break;
    case UOP_ASC:
    case UOP_DESC:
        render(c, u->e, P_AND, 0, NULL);
        puts_(c, u->op == UOP_ASC ? " ASC" : " DESC");
        break;
    case UOP_NULLS_FIRST:
    case UOP_NULLS_LAST:
        render(c, u->e, P_AND, 0, NULL);
        if (!c->h->has_nulls_order)
            sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "NULLS FIRST / NULLS LAST");
        puts_(c, u->op == UOP_NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST");
        break;
    }
}

static void render_bool(sqlalc_compiler *c, const sqlalc_expr *e, int against)
{
    const struct boollist *b = (const struct boollist *)e;
    int prec = b->op == BOOL_AND ? P_AND : P_OR;
    int grp = prec <= against && against != P_NONE;
    if (grp)
        putc_(c, '(');
    for (size_t i = 0; i < b->n; i++) {
        if (i)
            puts_(c, b->op == BOOL_AND ? " AND " : " OR ");
        render(c, b->items[i], prec, 0, NULL);
    }
    if (grp)
        putc_(c, ')');
}

/* The type of a CAST; apart (and not inlined) so its buffers are not on
 * the stack of every nesting level. */
NOINLINE static void cast_type_sql(sqlalc_compiler *c, const struct cast *k)
{
    if (c->h->cast_type)
        c->h->cast_type(c, k->kind, k->length, k->precision, k->scale);
    else if (c->d->ddl && c->d->ddl->type_sql) {
        /* The type as the dialect's DDL spells it. */
        struct sqlalc_type t = { .kind = (sqlalc_type_kind)k->kind,
                                 .length = k->length,
                                 .precision = k->precision,
                                 .scale = k->scale };
        atomic_init(&t.refs, -1);
        char tmp[128];
        size_t n = c->d->ddl->type_sql(&t, tmp, sizeof tmp);
        if (n < sizeof tmp)
            put(c, tmp, n);
        else {
            char *big = sqlalc__malloc(n + 1); /* a long spelling: never cut */
            if (!big) {
                sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
                return;
            }
            c->d->ddl->type_sql(&t, big, n + 1);
            put(c, big, n);
            sqlalc_free(big);
        }
    } else
        default_cast_type(c, k->kind, k->length, k->precision, k->scale);
}

static void render_cast(sqlalc_compiler *c, const sqlalc_expr *e)
{
    const struct cast *k = (const struct cast *)e;
    PUTS(c, "CAST(");
    render(c, k->e, P_NONE, 0, NULL);
    PUTS(c, " AS ");
    cast_type_sql(c, k);
    putc_(c, ')');
}

static void render_case(sqlalc_compiler *c, const sqlalc_expr *e)
{
    const struct casex *k = (const struct casex *)e;
    PUTS(c, "CASE ");
    if (k->value) {
        render(c, k->value, P_NONE, 0, NULL);
        putc_(c, ' ');
    }
    for (size_t i = 0; i < k->n; i++) {
        const sqlalc_expr *w = k->items[2 * i];
        PUTS(c, "WHEN ");
        int grp = !k->value && (w->kind == NK_BINARY || w->kind == NK_BOOL);
        if (grp)
            putc_(c, '(');
        render(c, w, P_NONE, 0, NULL);
        if (grp)
            putc_(c, ')');
        PUTS(c, " THEN ");
        render(c, k->items[2 * i + 1], P_NONE, 0, NULL);
        putc_(c, ' ');
    }
    if (k->else_) {
        PUTS(c, "ELSE ");
        render(c, k->else_, P_NONE, 0, NULL);
        putc_(c, ' ');
    }
    PUTS(c, "END");
}

NOINLINE static void render_text(sqlalc_compiler *c, const sqlalc_expr *e)
{
    /* Raw SQL: its :name binds, found by the one SQL lexer with the
     * dialect's syntax (never inside quotes or comments), take their
     * values; positional markers would be miscounted, so they are refused. */
    const struct textx *t = (const struct textx *)e;
    sqlalc__lexer lx;
    sqlalc__token tk;
    sqlalc__lex_init(&lx, t->sql, strlen(t->sql), c->d->syntax);
    while (sqlalc__lex_next(&lx, &tk) != SQLALC_TOK_END) {
        const char *p = t->sql + tk.off;
        if (tk.kind == SQLALC_TOK_NAMED) {
            size_t n = tk.len - 1;
            const sqlalc_value *v = NULL;
            for (size_t i = 0; i < t->nparams; i++)
                if (strlen(t->params[i].name) == n && !memcmp(t->params[i].name, p + 1, n))
                    v = &t->params[i].value;
            size_t off = c->names.len;
            sqlalc_buf_append(&c->names, p + 1, n);
            sqlalc_buf_putc(&c->names, 0);
            emit_param(c, off, v, value_type_kind(v));
        } else if (tk.kind == SQLALC_TOK_ESCAPED) {
            if (p[1] == '?' && c->style == SQLALC_PARAMSTYLE_QMARK) {
                /* the driver would read the literal as a marker nobody binds */
                sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT,
                                      "raw SQL fragment writes a literal '?' (\\?), which this driver "
                                      "reads as a parameter marker");
                break;
            }
            putc_(c, p[1]);
        } else if (tk.kind == SQLALC_TOK_QMARK || tk.kind == SQLALC_TOK_QMARK_NUM ||
                   tk.kind == SQLALC_TOK_DOLLAR_NUM) {
            sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT,
                                  "raw SQL fragment has a positional parameter: name it (:name), "
                                  "or write \\? for a literal '?' where the paramstyle is not '?'");
            break;
        } else
            put(c, p, tk.len);
    }
}

static void render_node(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op,
                        const sqlalc_expr *ctx);

/* Every recursive step counts against the depth limit, so a deep tree
 * fails cleanly instead of overflowing the C stack. */
int sqlalc__cc_enter(sqlalc_compiler *c, int cost)
{
    c->nest += cost;
    if (c->nest <= DEPTH_LIMIT)
        return 1;
    c->nest -= cost;
    if (!c->err) {
        c->err = SQLALC_ERR_NOT_SUPPORTED;
        sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                         "compile (%s): expression nested deeper than %d levels (SQLALC_MAX_EXPR_DEPTH; "
                         "a subquery counts %d)",
                         c->d->name, DEPTH_LIMIT, SUBQUERY_DEPTH_COST);
    }
    return 0;
}

void render(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op, const sqlalc_expr *ctx)
{
    if (c->err || !sqlalc__cc_enter(c, 1))
        return;
    render_node(c, e, against, against_op, ctx);
    c->nest--;
}

static void render_node(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op,
                        const sqlalc_expr *ctx)
{
    switch (e->kind) {
    case SQLALC_NK_COLUMN: {
        const struct sqlalc_column_node *col = (const struct sqlalc_column_node *)e;
        if (col->table) {
            table_name(c, col->table);
            putc_(c, '.');
        }
        ident(c, col->name);
        break;
    }
    case NK_COLCLAUSE: ident(c, ((const struct colclause *)e)->name); break;
    case NK_ALIAS_COL: {
        const struct aliascol *ac = (const struct aliascol *)e;
        ident(c, alias_name(c, ac->alias));
        putc_(c, '.');
        ident(c, ac->name);
        break;
    }
    case NK_EXCLUDED:
        PUTS(c, "excluded.");
        ident(c, ((const struct aliascol *)e)->name);
        break;
    case NK_BIND: render_bind(c, (const struct bind *)e, ctx); break;
    case NK_CONST: render_const(c, e->flags, against); break;
    case NK_BINARY: render_binary(c, (const struct binop *)e, against, against_op); break;
    case NK_UNARY: render_unary(c, e, against, against_op); break;
    case NK_BOOL: render_bool(c, e, against); break;
    case NK_LIST: {
        const struct exprlist *l = (const struct exprlist *)e;
        putc_(c, '(');
        render_list_items(c, l->items, l->n, ctx);
        putc_(c, ')');
        break;
    }
    case NK_FUNC: render_func(c, (const struct func *)e); break;
    case NK_CAST: render_cast(c, e); break;
    case NK_CASE: render_case(c, e); break;
    case NK_LABEL:
        /* A label outside the column list renders its expression. */
        render(c, ((const struct label *)e)->e, against, against_op, ctx);
        break;
    case NK_OVER: render_over(c, (const struct over *)e); break;
    case NK_TEXT: render_text(c, e); break;
    case NK_SELECT:
    case NK_COMPOUND:
        putc_(c, '(');
        render_stmt(c, e, M_NESTED);
        putc_(c, ')');
        break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "this node cannot be used as an expression");
    }
}

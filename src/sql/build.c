/*
 * Expression constructors.  Every function here follows the ownership
 * rule of sqlalc.h: it owns its expression arguments from the moment it
 * is called, releases them all when any is NULL or when it fails, and
 * returns one new reference.
 */
#include <string.h>
#include "build_int.h"
#include "lexer.h"

/* ---- helpers shared with stmt.c (prototypes in this file only) ---- */

void *node_new(size_t size, int kind)
{
    sqlalc_expr *e = sqlalc__calloc(1, size);
    if (e)
        sqlalc__node_init(e, kind, NULL);
    return e;
}

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

/* ---- leaves ---- */

static int is_text_kind(sqlalc_vtype t)
{
    return t == SQLALC_V_TEXT || t == SQLALC_V_BLOB || t == SQLALC_V_NUMERIC || t == SQLALC_V_DATE ||
           t == SQLALC_V_TIME || t == SQLALC_V_DATETIME || t == SQLALC_V_INTERVAL || t == SQLALC_V_JSON ||
           t == SQLALC_V_UUID;
}

/* One allocation holds the node, its copied text and its name. */
static sqlalc_expr *bind_new(const char *name, const sqlalc_value *v)
{
    size_t tlen = 0, nlen = name ? strlen(name) + 1 : 0;
    if (v && is_text_kind(v->type)) {
        if (!v->u.s.p && v->u.s.len) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "bind value: NULL text pointer");
            return NULL;
        }
        tlen = v->u.s.len == SQLALC_NTS ? (v->u.s.p ? strlen(v->u.s.p) : 0) : v->u.s.len;
    }
    struct bind *b = node_new(sizeof *b + tlen + 1 + nlen, NK_BIND);
    if (!b)
        return NULL;
    char *p = (char *)(b + 1);
    if (v) {
        b->v = *v;
        b->has_value = 1;
        if (is_text_kind(v->type)) {
            if (tlen)
                memcpy(p, v->u.s.p, tlen);
            p[tlen] = 0;
            b->v.u.s.p = p;
            b->v.u.s.len = tlen;
        }
    }
    if (name) {
        b->name = p + tlen + 1;
        memcpy(b->name, name, nlen);
    }
    return &b->base;
}

sqlalc_expr *sqlalc_int(int64_t v)
{
    return bind_new(NULL, &SQLALC_INTV(v));
}
sqlalc_expr *sqlalc_float(double v)
{
    return bind_new(NULL, &SQLALC_FLOATV(v));
}
sqlalc_expr *sqlalc_bool(int v)
{
    return bind_new(NULL, &SQLALC_BOOLV(v));
}
sqlalc_expr *sqlalc_value_expr(sqlalc_value v)
{
    return bind_new(NULL, &v);
}

sqlalc_expr *sqlalc_str(const char *s)
{
    if (!s) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_str: NULL string");
        return NULL;
    }
    return bind_new(NULL, &SQLALC_TEXTV(s));
}

/* A bind's name is written into named SQL (":name"): only what the SQL
 * lexer reads back as one name, so no SQL can ride in it. */
static int bind_name_ok(const char *who, const char *name)
{
    if (!name || !*name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: empty name", who);
        return 0;
    }
    if (*name >= '0' && *name <= '9')
        goto bad;
    for (const char *p = name; *p; p++)
        if (!sqlalc__lex_is_name_char(*p))
            goto bad;
    return 1;
bad:
    sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                     "%s: '%.80s' is not a bind parameter name (letters, digits and '_', not starting "
                     "with a digit)",
                     who, name);
    return 0;
}

sqlalc_expr *sqlalc_bindparam(const char *name, sqlalc_value v)
{
    if (!bind_name_ok("sqlalc_bindparam", name))
        return NULL;
    return bind_new(name, &v);
}

sqlalc_expr *sqlalc_bindparam_required(const char *name)
{
    if (!bind_name_ok("sqlalc_bindparam_required", name))
        return NULL;
    return bind_new(name, NULL);
}

sqlalc_expr *sqlalc__bindparam_column(const char *name)
{
    return bind_new(name, NULL);
}

static sqlalc_expr *const_new(int which)
{
    sqlalc_expr *e = node_new(sizeof *e, NK_CONST);
    if (e)
        e->flags = (uint16_t)which;
    return e;
}

sqlalc_expr *sqlalc_null(void)
{
    return const_new(CONST_NULL);
}
sqlalc_expr *sqlalc_true(void)
{
    return const_new(CONST_TRUE);
}
sqlalc_expr *sqlalc_false(void)
{
    return const_new(CONST_FALSE);
}

sqlalc_expr *sqlalc_literal_column(const char *sql)
{
    return sqlalc_text_sql(sql, NULL);
}

sqlalc_expr *sqlalc_text_sql(const char *sql, const sqlalc_params *params)
{
    if (!sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_text_sql: NULL SQL");
        return NULL;
    }
    size_t np = params ? params->count : 0, need = strlen(sql) + 1;
    for (size_t i = 0; i < np; i++) {
        const sqlalc_param *p = &params->items[i];
        if (!p->name) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_text_sql: parameter %zu has no name", i);
            return NULL;
        }
        need += strlen(p->name) + 1;
        if (is_text_kind(p->value.type))
            need += (p->value.u.s.len == SQLALC_NTS ? strlen(p->value.u.s.p) : p->value.u.s.len) + 1;
    }
    struct textx *t = node_new(sizeof *t + np * sizeof(sqlalc_param) + need, NK_TEXT);
    if (!t)
        return NULL;
    t->params = (sqlalc_param *)(t + 1);
    char *s = (char *)(t->params + np);
    t->sql = s;
    size_t l = strlen(sql) + 1;
    memcpy(s, sql, l);
    s += l;
    t->nparams = np;
    for (size_t i = 0; i < np; i++) {
        const sqlalc_param *p = &params->items[i];
        l = strlen(p->name) + 1;
        memcpy(s, p->name, l);
        t->params[i].name = s;
        s += l;
        t->params[i].value = p->value;
        if (is_text_kind(p->value.type)) {
            l = p->value.u.s.len == SQLALC_NTS ? strlen(p->value.u.s.p) : p->value.u.s.len;
            memcpy(s, p->value.u.s.p, l);
            s[l] = 0;
            t->params[i].value.u.s.p = s;
            t->params[i].value.u.s.len = l;
            s += l + 1;
        }
    }
    return &t->base;
}

/* ---- operators ---- */

static sqlalc_expr *binop_new(int op, sqlalc_expr *a, sqlalc_expr *b, char escape)
{
    if (!a || !b) {
        sqlalc_expr_free(a);
        sqlalc_expr_free(b);
        return NULL;
    }
    struct binop *n = node_new(sizeof *n, NK_BINARY);
    if (!n) {
        sqlalc_expr_free(a);
        sqlalc_expr_free(b);
        return NULL;
    }
    n->op = op;
    n->l = a;
    n->r = b;
    n->escape = escape;
    n->base.type = a->type ? a->type : b->type;
    return &n->base;
}

static int is_null_const(const sqlalc_expr *e)
{
    return e && e->kind == NK_CONST && e->flags == CONST_NULL;
}

/* == NULL becomes IS NULL, as in SQLAlchemy (either side). */
static sqlalc_expr *cmp(int op, sqlalc_expr *a, sqlalc_expr *b)
{
    if (a && b && (op == OP_EQ || op == OP_NE)) {
        if (is_null_const(b))
            op = op == OP_EQ ? OP_IS : OP_ISNOT;
        else if (is_null_const(a)) {
            sqlalc_expr *t = a;
            a = b;
            b = t;
            op = op == OP_EQ ? OP_IS : OP_ISNOT;
        }
    }
    return binop_new(op, a, b, 0);
}

sqlalc_expr *sqlalc_eq(sqlalc_expr *a, sqlalc_expr *b)
{
    return cmp(OP_EQ, a, b);
}
sqlalc_expr *sqlalc_ne(sqlalc_expr *a, sqlalc_expr *b)
{
    return cmp(OP_NE, a, b);
}
sqlalc_expr *sqlalc_lt(sqlalc_expr *a, sqlalc_expr *b)
{
    return cmp(OP_LT, a, b);
}
sqlalc_expr *sqlalc_le(sqlalc_expr *a, sqlalc_expr *b)
{
    return cmp(OP_LE, a, b);
}
sqlalc_expr *sqlalc_gt(sqlalc_expr *a, sqlalc_expr *b)
{
    return cmp(OP_GT, a, b);
}
sqlalc_expr *sqlalc_ge(sqlalc_expr *a, sqlalc_expr *b)
{
    return cmp(OP_GE, a, b);
}
sqlalc_expr *sqlalc_is(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_IS, a, b, 0);
}
sqlalc_expr *sqlalc_isnot(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_ISNOT, a, b, 0);
}

/* Whether an expression has a string type (decides + vs concatenation). */
static int is_stringy(const sqlalc_expr *e)
{
    /* through labels and alias columns without recursion (any depth) */
    while (e && (e->kind == NK_LABEL || e->kind == NK_ALIAS_COL || e->kind == NK_EXCLUDED))
        e = e->kind == NK_LABEL ? ((const struct label *)e)->e : ((const struct aliascol *)e)->inner;
    if (!e)
        return 0;
    switch (e->kind) {
    case SQLALC_NK_COLUMN: {
        const sqlalc_type *t = ((const struct sqlalc_column_node *)e)->type;
        if (!t)
            return 0;
        return t->kind == SQLALC_TYPE_STRING || t->kind == SQLALC_TYPE_TEXT ||
               t->kind == SQLALC_TYPE_UNICODE || t->kind == SQLALC_TYPE_UNICODE_TEXT ||
               t->kind == SQLALC_TYPE_ENUM;
    }
    case NK_BIND:
        return ((const struct bind *)e)->has_value && ((const struct bind *)e)->v.type == SQLALC_V_TEXT;
    case NK_BINARY: return ((const struct binop *)e)->op == OP_CONCAT;
    default: return 0;
    }
}

sqlalc_expr *sqlalc_add(sqlalc_expr *a, sqlalc_expr *b)
{
    int op = (is_stringy(a) || (a && a->kind == NK_BIND && is_stringy(b))) ? OP_CONCAT : OP_ADD;
    return binop_new(op, a, b, 0);
}
sqlalc_expr *sqlalc_sub(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_SUB, a, b, 0);
}
sqlalc_expr *sqlalc_mul(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_MUL, a, b, 0);
}
sqlalc_expr *sqlalc_div(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_DIV, a, b, 0);
}
sqlalc_expr *sqlalc_mod(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_MOD, a, b, 0);
}
sqlalc_expr *sqlalc_concat(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_CONCAT, a, b, 0);
}

static sqlalc_expr *unop_new(int op, sqlalc_expr *a)
{
    if (!a)
        return NULL;
    struct unop *n = node_new(sizeof *n, NK_UNARY);
    if (!n) {
        sqlalc_expr_free(a);
        return NULL;
    }
    n->op = op;
    n->e = a;
    n->base.type = a->type;
    return &n->base;
}

sqlalc_expr *sqlalc_neg(sqlalc_expr *a)
{
    return unop_new(UOP_NEG, a);
}
sqlalc_expr *sqlalc_distinct(sqlalc_expr *a)
{
    return unop_new(UOP_DISTINCT, a);
}
sqlalc_expr *sqlalc_asc(sqlalc_expr *a)
{
    return unop_new(UOP_ASC, a);
}
sqlalc_expr *sqlalc_desc(sqlalc_expr *a)
{
    return unop_new(UOP_DESC, a);
}
sqlalc_expr *sqlalc_nulls_first(sqlalc_expr *a)
{
    return unop_new(UOP_NULLS_FIRST, a);
}
sqlalc_expr *sqlalc_nulls_last(sqlalc_expr *a)
{
    return unop_new(UOP_NULLS_LAST, a);
}

/* Slots a boolean list of n items has room for: a power of two, so a list
 * held once can grow in place (node_kinds.c allocates clones the same). */
size_t sqlalc__bool_slots(size_t n)
{
    size_t s = 4;
    while (s < n)
        s *= 2;
    return s;
}

static size_t bool_count(const sqlalc_expr *e, int op)
{
    return (e->kind == NK_BOOL && ((const struct boollist *)e)->op == op) ? ((const struct boollist *)e)->n
                                                                          : 1;
}

static sqlalc_expr *boollist_new(int op, sqlalc_exprs l)
{
    if (!exprs_ok(l)) {
        drop_exprs(l);
        return NULL;
    }
    if (l.n == 0) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s of nothing", op == BOOL_AND ? "and" : "or");
        return NULL;
    }
    if (l.n == 1)
        return l.items[0];
    /* Flatten nested lists of the same operator. */
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++)
        n += bool_count(l.items[i], op);
    struct boollist *b;
    size_t k = 0, first = 0;
    sqlalc_expr *head = l.items[0];
    if (head->kind == NK_BOOL && ((struct boollist *)head)->op == op && atomic_load(&head->refs) == 1) {
        /* We hold the only reference to the list on the left (where(where(…))
         * and and(and(…), x) chains): extend it in place, so a chain of n
         * conditions costs O(n), not O(n^2). */
        b = (struct boollist *)head;
        if (sqlalc__bool_slots(b->n) < n) {
            struct boollist *nb =
                sqlalc__realloc(b, sizeof *b + sqlalc__bool_slots(n) * sizeof(sqlalc_expr *));
            if (!nb) {
                drop_exprs(l);
                return NULL;
            }
            b = nb;
        }
        k = b->n;
        first = 1;
    } else {
        b = node_new(sizeof *b + sqlalc__bool_slots(n) * sizeof(sqlalc_expr *), NK_BOOL);
        if (!b) {
            drop_exprs(l);
            return NULL;
        }
        b->op = op;
    }
    for (size_t i = first; i < l.n; i++) {
        sqlalc_expr *e = l.items[i];
        if (e->kind == NK_BOOL && ((struct boollist *)e)->op == op) {
            struct boollist *in = (struct boollist *)e;
            for (size_t j = 0; j < in->n; j++)
                b->items[k++] = sqlalc_expr_ref(in->items[j]);
            sqlalc_expr_free(e);
        } else
            b->items[k++] = e;
    }
    b->n = k;
    return &b->base;
}

sqlalc_expr *sqlalc_and_list(sqlalc_exprs items)
{
    return boollist_new(BOOL_AND, items);
}
sqlalc_expr *sqlalc_or_list(sqlalc_exprs items)
{
    return boollist_new(BOOL_OR, items);
}

static int negate_op(int op)
{
    switch (op) {
    case OP_EQ: return OP_NE;
    case OP_NE: return OP_EQ;
    case OP_LT: return OP_GE;
    case OP_GE: return OP_LT;
    case OP_GT: return OP_LE;
    case OP_LE: return OP_GT;
    case OP_IS: return OP_ISNOT;
    case OP_ISNOT: return OP_IS;
    case OP_LIKE: return OP_NOTLIKE;
    case OP_NOTLIKE: return OP_LIKE;
    case OP_ILIKE: return OP_NOTILIKE;
    case OP_NOTILIKE: return OP_ILIKE;
    case OP_CONTAINS: return OP_NOTCONTAINS;
    case OP_NOTCONTAINS: return OP_CONTAINS;
    case OP_STARTSWITH: return OP_NOTSTARTSWITH;
    case OP_NOTSTARTSWITH: return OP_STARTSWITH;
    case OP_ENDSWITH: return OP_NOTENDSWITH;
    case OP_NOTENDSWITH: return OP_ENDSWITH;
    case OP_IN: return OP_NOTIN;
    case OP_NOTIN: return OP_IN;
    case OP_BETWEEN: return OP_NOTBETWEEN;
    case OP_NOTBETWEEN: return OP_BETWEEN;
    default: return 0;
    }
}

sqlalc_expr *sqlalc_not(sqlalc_expr *a)
{
    if (!a)
        return NULL;
    if (a->kind == NK_BINARY) {
        struct binop *b = (struct binop *)a;
        int nop = negate_op(b->op);
        if (nop) {
            sqlalc_expr *r = binop_new(nop, sqlalc_expr_ref(b->l), sqlalc_expr_ref(b->r), b->escape);
            sqlalc_expr_free(a);
            return r;
        }
    } else if (a->kind == NK_UNARY && ((struct unop *)a)->op == UOP_NOT) {
        sqlalc_expr *r = sqlalc_expr_ref(((struct unop *)a)->e);
        sqlalc_expr_free(a);
        return r;
    } else if (a->kind == NK_CONST && a->flags != CONST_NULL) {
        int w = a->flags == CONST_TRUE ? CONST_FALSE : CONST_TRUE;
        sqlalc_expr_free(a);
        return const_new(w);
    }
    return unop_new(UOP_NOT, a);
}

static sqlalc_expr *list_new(sqlalc_exprs l)
{
    if (!exprs_ok(l)) {
        drop_exprs(l);
        return NULL;
    }
    struct exprlist *x = node_new(sizeof *x + l.n * sizeof(sqlalc_expr *), NK_LIST);
    if (!x) {
        drop_exprs(l);
        return NULL;
    }
    x->n = l.n;
    for (size_t i = 0; i < l.n; i++)
        x->items[i] = l.items[i];
    return &x->base;
}

sqlalc_expr *sqlalc_in(sqlalc_expr *a, sqlalc_exprs list)
{
    if (!a) {
        drop_exprs(list);
        return NULL;
    }
    return binop_new(OP_IN, a, list_new(list), 0);
}

sqlalc_expr *sqlalc_notin(sqlalc_expr *a, sqlalc_exprs list)
{
    if (!a) {
        drop_exprs(list);
        return NULL;
    }
    return binop_new(OP_NOTIN, a, list_new(list), 0);
}

sqlalc_expr *sqlalc_in_values(sqlalc_expr *a, const sqlalc_value *vals, size_t n)
{
    if (!a)
        return NULL;
    struct exprlist *x = node_new(sizeof *x + n * sizeof(sqlalc_expr *), NK_LIST);
    if (!x) {
        sqlalc_expr_free(a);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        x->items[i] = bind_new(NULL, &vals[i]);
        if (!x->items[i]) {
            x->n = i;
            sqlalc_expr_free(&x->base);
            sqlalc_expr_free(a);
            return NULL;
        }
    }
    x->n = n;
    return binop_new(OP_IN, a, &x->base, 0);
}

/* A combinator's statement argument must be a SELECT or a compound
 * SELECT: an INSERT / UPDATE / DELETE read as a row source would be
 * compiled as something it is not.  On refusal sub is released (the
 * caller releases its other arguments) and the error names the call. */
int sqlalc__select_arg_ok(sqlalc_stmt *sub, const char *what)
{
    if (!sub || sub->base.kind == NK_SELECT || sub->base.kind == NK_COMPOUND)
        return 1;
    sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: needs a SELECT (or UNION …), not %s", what,
                     sqlalc__kind_of(&sub->base)->name);
    sqlalc_stmt_free(sub);
    return 0;
}

static sqlalc_expr *in_select(int op, sqlalc_expr *a, sqlalc_stmt *sub, const char *what)
{
    if (a && !sqlalc__select_arg_ok(sub, what)) {
        sqlalc_expr_free(a);
        return NULL;
    }
    return binop_new(op, a, (sqlalc_expr *)sub, 0);
}

sqlalc_expr *sqlalc_in_select(sqlalc_expr *a, sqlalc_stmt *sub)
{
    return in_select(OP_IN, a, sub, "sqlalc_in_select");
}

sqlalc_expr *sqlalc_notin_select(sqlalc_expr *a, sqlalc_stmt *sub)
{
    return in_select(OP_NOTIN, a, sub, "sqlalc_notin_select");
}

sqlalc_expr *sqlalc_in_expanding(sqlalc_expr *a, const char *name)
{
    if (!a)
        return NULL;
    if (!bind_name_ok("sqlalc_in_expanding", name)) {
        sqlalc_expr_free(a);
        return NULL;
    }
    sqlalc_expr *b = bind_new(name, NULL);
    if (b)
        ((struct bind *)b)->expanding = 1;
    return binop_new(OP_IN, a, b, 0);
}

sqlalc_expr *sqlalc_like(sqlalc_expr *a, sqlalc_expr *p, char esc)
{
    return binop_new(OP_LIKE, a, p, esc);
}
sqlalc_expr *sqlalc_notlike(sqlalc_expr *a, sqlalc_expr *p, char esc)
{
    return binop_new(OP_NOTLIKE, a, p, esc);
}
sqlalc_expr *sqlalc_ilike(sqlalc_expr *a, sqlalc_expr *p, char esc)
{
    return binop_new(OP_ILIKE, a, p, esc);
}
sqlalc_expr *sqlalc_notilike(sqlalc_expr *a, sqlalc_expr *p, char esc)
{
    return binop_new(OP_NOTILIKE, a, p, esc);
}
/* contains / startswith / endswith; autoescape binds b with the escape
 * character, '%' and '_' escaped (SQLAlchemy's _escaped_like_impl). */
static sqlalc_expr *like_helper(int op, sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape,
                                const char *what)
{
    if (!a || !b || !autoescape)
        return binop_new(op, a, b, escape);
    if (!escape)
        escape = '/';
    const struct bind *v = (const struct bind *)b;
    if (b->kind != NK_BIND || !v->has_value || v->v.type != SQLALC_V_TEXT || v->expanding) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: autoescape needs a string value (sqlalc_str)", what);
        sqlalc_expr_free(a);
        sqlalc_expr_free(b);
        return NULL;
    }
    size_t n = v->v.u.s.len, k = 0; /* a bind holds its text with its length */
    char *esc = sqlalc__malloc(2 * n + 1);
    if (!esc) {
        sqlalc_expr_free(a);
        sqlalc_expr_free(b);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = v->v.u.s.p[i];
        if (ch == escape || ch == '%' || ch == '_')
            esc[k++] = escape;
        esc[k++] = ch;
    }
    sqlalc_value ev = SQLALC_TEXTNV(esc, k);
    sqlalc_expr *nb = bind_new(v->name, &ev);
    sqlalc_free(esc);
    sqlalc_expr_free(b);
    return binop_new(op, a, nb, escape);
}

sqlalc_expr *sqlalc_contains(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_CONTAINS, a, b, 0);
}
sqlalc_expr *sqlalc_startswith(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_STARTSWITH, a, b, 0);
}
sqlalc_expr *sqlalc_endswith(sqlalc_expr *a, sqlalc_expr *b)
{
    return binop_new(OP_ENDSWITH, a, b, 0);
}
sqlalc_expr *sqlalc_contains_escape(sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape)
{
    return like_helper(OP_CONTAINS, a, b, escape, autoescape, "sqlalc_contains");
}
sqlalc_expr *sqlalc_startswith_escape(sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape)
{
    return like_helper(OP_STARTSWITH, a, b, escape, autoescape, "sqlalc_startswith");
}
sqlalc_expr *sqlalc_endswith_escape(sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape)
{
    return like_helper(OP_ENDSWITH, a, b, escape, autoescape, "sqlalc_endswith");
}
sqlalc_expr *sqlalc_contains_autoescape(sqlalc_expr *a, sqlalc_expr *b)
{
    return like_helper(OP_CONTAINS, a, b, 0, 1, "sqlalc_contains_autoescape");
}
sqlalc_expr *sqlalc_startswith_autoescape(sqlalc_expr *a, sqlalc_expr *b)
{
    return like_helper(OP_STARTSWITH, a, b, 0, 1, "sqlalc_startswith_autoescape");
}
sqlalc_expr *sqlalc_endswith_autoescape(sqlalc_expr *a, sqlalc_expr *b)
{
    return like_helper(OP_ENDSWITH, a, b, 0, 1, "sqlalc_endswith_autoescape");
}

static sqlalc_expr *between(int op, sqlalc_expr *a, sqlalc_expr *lo, sqlalc_expr *hi)
{
    if (!a || !lo || !hi) {
        sqlalc_expr_free(a);
        sqlalc_expr_free(lo);
        sqlalc_expr_free(hi);
        return NULL;
    }
    return binop_new(op, a, list_new(SQLALC_EXPRS(lo, hi)), 0);
}

sqlalc_expr *sqlalc_between(sqlalc_expr *a, sqlalc_expr *lo, sqlalc_expr *hi)
{
    return between(OP_BETWEEN, a, lo, hi);
}
sqlalc_expr *sqlalc_notbetween(sqlalc_expr *a, sqlalc_expr *lo, sqlalc_expr *hi)
{
    return between(OP_NOTBETWEEN, a, lo, hi);
}

sqlalc_expr *sqlalc_cast_kind(sqlalc_expr *a, int kind, int length)
{
    if (!a)
        return NULL;
    struct cast *c = node_new(sizeof *c, NK_CAST);
    if (!c) {
        sqlalc_expr_free(a);
        return NULL;
    }
    c->e = a;
    c->kind = kind;
    c->length = length;
    c->precision = c->scale = -1;
    return &c->base;
}

sqlalc_expr *sqlalc_cast(sqlalc_expr *a, sqlalc_type *type)
{
    if (!type) {
        if (a)
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_cast: NULL type");
        sqlalc_expr_free(a);
        return NULL;
    }
    sqlalc_expr *e = sqlalc_cast_kind(a, type->kind, type->length);
    if (e) {
        ((struct cast *)e)->precision = type->precision;
        ((struct cast *)e)->scale = type->scale;
    }
    sqlalc_type_free(type);
    return e;
}

sqlalc_expr *sqlalc_column_clause(const char *name, sqlalc_type *type)
{
    if (!name || !*name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_column_clause: NULL or empty name");
        sqlalc_type_free(type);
        return NULL;
    }
    size_t nl = strlen(name) + 1;
    struct colclause *k = node_new(sizeof *k + nl, NK_COLCLAUSE);
    if (!k) {
        sqlalc_type_free(type);
        return NULL;
    }
    k->name = (char *)(k + 1);
    memcpy(k->name, name, nl);
    k->kind = type ? (int)type->kind : 0;
    k->length = type ? type->length : 0;
    k->precision = type ? type->precision : -1;
    k->scale = type ? type->scale : -1;
    sqlalc_type_free(type);
    return &k->base;
}

static sqlalc_expr *case_new(sqlalc_expr *value, int has_value, sqlalc_exprs whens, sqlalc_expr *else_,
                             int has_else)
{
    if ((has_value && !value) || (has_else && !else_) || !exprs_ok(whens) || whens.n == 0 || whens.n % 2) {
        if (exprs_ok(whens) && (whens.n == 0 || whens.n % 2) && (!has_value || value) && (!has_else || else_))
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_case: whens must be condition/result pairs");
        sqlalc_expr_free(value);
        sqlalc_expr_free(else_);
        drop_exprs(whens);
        return NULL;
    }
    struct casex *c = node_new(sizeof *c + whens.n * sizeof(sqlalc_expr *), NK_CASE);
    if (!c) {
        sqlalc_expr_free(value);
        sqlalc_expr_free(else_);
        drop_exprs(whens);
        return NULL;
    }
    c->value = value;
    c->else_ = else_;
    c->n = whens.n / 2;
    for (size_t i = 0; i < whens.n; i++)
        c->items[i] = whens.items[i];
    c->base.type = whens.items[1]->type;
    return &c->base;
}

sqlalc_expr *sqlalc_case(sqlalc_exprs whens)
{
    return case_new(NULL, 0, whens, NULL, 0);
}
sqlalc_expr *sqlalc_case_else(sqlalc_exprs whens, sqlalc_expr *e)
{
    return case_new(NULL, 0, whens, e, 1);
}
sqlalc_expr *sqlalc_case_value(sqlalc_expr *v, sqlalc_exprs whens)
{
    return case_new(v, 1, whens, NULL, 0);
}
sqlalc_expr *sqlalc_case_value_else(sqlalc_expr *v, sqlalc_exprs whens, sqlalc_expr *e)
{
    return case_new(v, 1, whens, e, 1);
}

static sqlalc_expr *func_new(const char *name, sqlalc_exprs args, int star)
{
    if (!exprs_ok(args) || !name || !*name) {
        if (exprs_ok(args))
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_func: empty function name");
        drop_exprs(args);
        return NULL;
    }
    size_t nl = strlen(name) + 1;
    struct func *f = node_new(sizeof *f + args.n * sizeof(sqlalc_expr *) + nl, NK_FUNC);
    if (!f) {
        drop_exprs(args);
        return NULL;
    }
    f->n = args.n;
    for (size_t i = 0; i < args.n; i++)
        f->args[i] = args.items[i];
    f->name = (char *)(f->args + args.n);
    memcpy(f->name, name, nl);
    f->star = star;
    if (args.n && (!strcmp(name, "coalesce") || !strcmp(name, "max") || !strcmp(name, "min") ||
                   !strcmp(name, "lower") || !strcmp(name, "upper")))
        f->base.type = args.items[0]->type;
    return &f->base;
}

sqlalc_expr *sqlalc_func(const char *name, sqlalc_exprs args)
{
    return func_new(name, args, 0);
}
sqlalc_expr *sqlalc_count_star(void)
{
    return func_new("count", SQLALC_NOEXPRS, 1);
}
sqlalc_expr *sqlalc_count(sqlalc_expr *a)
{
    if (!a)
        return NULL;
    return func_new("count", SQLALC_EXPRS(a), 0);
}
sqlalc_expr *sqlalc_coalesce(sqlalc_exprs args)
{
    return func_new("coalesce", args, 0);
}

sqlalc_expr *sqlalc_label(sqlalc_expr *a, const char *name)
{
    if (!a)
        return NULL;
    if (!name || !*name) {
        sqlalc_expr_free(a);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_label: empty name");
        return NULL;
    }
    size_t nl = strlen(name) + 1;
    struct label *l = node_new(sizeof *l + nl, NK_LABEL);
    if (!l) {
        sqlalc_expr_free(a);
        return NULL;
    }
    l->e = a;
    l->name = (char *)(l + 1);
    memcpy(l->name, name, nl);
    l->base.type = a->type;
    return &l->base;
}

/* Copy a list into a vector (taking the references).  On failure the
 * references are released. */
static int vec_take(exprvec *v, sqlalc_exprs l)
{
    v->n = 0;
    v->v = NULL;
    if (!l.n)
        return 1;
    v->v = sqlalc__malloc(l.n * sizeof(sqlalc_expr *));
    if (!v->v) {
        drop_exprs(l);
        return 0;
    }
    memcpy(v->v, l.items, l.n * sizeof(sqlalc_expr *));
    v->n = l.n;
    return 1;
}

void sqlalc__exprvec_free(exprvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        sqlalc_expr_free(v->v[i]);
    sqlalc_free(v->v);
    v->v = NULL;
    v->n = 0;
}

sqlalc_expr *sqlalc_over_frame(sqlalc_expr *func, sqlalc_exprs part, sqlalc_exprs order, int frame,
                               int64_t lower, int64_t upper)
{
    if (!func || !exprs_ok(part) || !exprs_ok(order)) {
        sqlalc_expr_free(func);
        drop_exprs(part);
        drop_exprs(order);
        return NULL;
    }
    struct over *o = node_new(sizeof *o, NK_OVER);
    if (!o) {
        sqlalc_expr_free(func);
        drop_exprs(part);
        drop_exprs(order);
        return NULL;
    }
    o->func = func;
    o->frame = frame;
    o->lower = lower;
    o->upper = upper;
    o->lower_v = SQLALC_INTV(lower < 0 && lower != SQLALC_UNBOUNDED ? -lower : lower);
    o->upper_v = SQLALC_INTV(upper < 0 && upper != SQLALC_UNBOUNDED ? -upper : upper);
    o->base.type = func->type;
    if (!vec_take(&o->partition, part)) {
        drop_exprs(order);
        sqlalc_expr_free(&o->base);
        return NULL;
    }
    if (!vec_take(&o->order, order)) {
        sqlalc_expr_free(&o->base);
        return NULL;
    }
    return &o->base;
}

sqlalc_expr *sqlalc_over(sqlalc_expr *func, sqlalc_exprs part, sqlalc_exprs order)
{
    return sqlalc_over_frame(func, part, order, SQLALC_FRAME_NONE, 0, 0);
}

sqlalc_expr *sqlalc_scalar_subquery(sqlalc_stmt *sel)
{
    if (!sqlalc__select_arg_ok(sel, "sqlalc_scalar_subquery"))
        return NULL;
    sqlalc_expr *e = unop_new(UOP_SCALAR, (sqlalc_expr *)sel);
    if (e && sel && sel->base.kind == NK_SELECT && ((struct sel *)sel)->cols.n)
        e->type = ((struct sel *)sel)->cols.v[0]->type;
    return e;
}

sqlalc_expr *sqlalc_exists(sqlalc_stmt *sel)
{
    if (!sqlalc__select_arg_ok(sel, "sqlalc_exists"))
        return NULL;
    return unop_new(UOP_EXISTS, (sqlalc_expr *)sel);
}

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
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "expr_int.h"
#include "lexer.h"
#include "../schema/model.h"
#include "ddl.h" /* sqlalc__expr_sql_literal */

#define MARK '\x01'
#define MAX_FROMS 32
#define MAX_DEPTH 16
#define MAX_CTES 8
#define MAX_ANON 48
#define MAX_ALIASNAMES 16

/* Precedences (SQLAlchemy's operators._PRECEDENCE). */
enum {
    P_SMALLEST = -100,
    P_ASBOOL = -10,
    P_COMMA = -1,
    P_EXISTS = 0,
    P_OR = 2,
    P_AND = 3,
    P_CMP = 5,
    P_CONCAT = 6,
    P_ADD = 7,
    P_MUL = 8,
    P_NONE = 100
};

typedef struct seg {
    sqlalc_buf buf;
    sqlalc_cparam *params;
    size_t np, cap;
} seg;

typedef struct frame {
    const sqlalc_expr *froms[MAX_FROMS];
    size_t n;
} frame;

struct sqlalc_compiler {
    const sqlalc_dialect *d;
    const sqlalc_compile_hooks *h;
    int style;
    seg body;
    seg *cur;
    sqlalc_buf names;
    struct {
        size_t off, len;
        int n;
    } anon[MAX_ANON];
    int nanon;
    struct {
        const void *node;
        size_t off;
    } aliasnames[MAX_ALIASNAMES];
    int naliasnames;
    frame *stack[MAX_DEPTH];
    int depth;
    int corr_base; /* selects below this level are not correlated against */
    struct {
        const char *name;
        seg s;
        int recursive;
    } ctes[MAX_CTES];
    int nctes;
    int order[MAX_CTES]; /* CTE indexes in completion order (dependencies first) */
    int ndone;
    int any_recursive;
    int err;
    int literal_values;
    const sqlalc_params *expand; /* values of expanding IN parameters (by repeated name) */
    int inline_expanding;        /* > 0: their values go inline (the parameter ceiling they pass) */
    sqlalc_buf expanded;         /* names of the expanding parameters given values, NUL-separated */
    /* Identifier pointer -> needs quoting, memoised per compile (the same
     * table and column names recur; the reserved-word lookup is costly). */
    struct {
        const char *p;
        int q;
    } qmemo[32];
    size_t rows_from, rows_to;
    size_t repeat; /* > 1: a one-row INSERT written as that many rows of the same shape */
    int total_params;
};

static void render(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op,
                   const sqlalc_expr *ctx);
static void render_stmt(sqlalc_compiler *c, const sqlalc_expr *e, int mode);

/* select rendering modes */
enum { M_TOP = 0, M_SUBQ = 1, M_NESTED = 2 };

/* ------------------------------------------------------------------ */
/* Output helpers                                                      */
/* ------------------------------------------------------------------ */

static inline void put(sqlalc_compiler *c, const char *s, size_t n)
{
    sqlalc_buf_append(&c->cur->buf, s, n);
}
#define PUTS(c, lit) put((c), lit, sizeof(lit) - 1)
static inline void puts_(sqlalc_compiler *c, const char *s)
{
    put(c, s, strlen(s));
}
static inline void putc_(sqlalc_compiler *c, char ch)
{
    sqlalc_buf_putc(&c->cur->buf, ch);
}

int sqlalc_compiler_error(sqlalc_compiler *c, int code, const char *msg)
{
    if (!c->err) {
        c->err = code;
        sqlalc_error_set(code, "compile (%s): %s", c->d->name, msg);
    }
    return code;
}

void sqlalc_compiler_puts(sqlalc_compiler *c, const char *s)
{
    puts_(c, s);
}

void sqlalc_compiler_literal_int(sqlalc_compiler *c, int64_t v)
{
    char tmp[24];
    int k = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        tmp[--k] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        tmp[--k] = '-';
    put(c, tmp + k, sizeof tmp - (size_t)k);
}

/* Identifier quoting: reserved words, upper case, odd characters, leading digit. */
static int needs_quote(const sqlalc_dialect *d, const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9') || *s == '$')
        return 1;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '$'))
            return 1;
    }
    return d->is_reserved && d->is_reserved(s);
}

static void ident(sqlalc_compiler *c, const char *s)
{
    size_t slot = ((uintptr_t)s >> 3) & 31;
    int q;
    if (c->qmemo[slot].p == s)
        q = c->qmemo[slot].q;
    else {
        q = needs_quote(c->d, s);
        c->qmemo[slot].p = s;
        c->qmemo[slot].q = q;
    }
    if (!q) {
        puts_(c, s);
        return;
    }
    putc_(c, c->d->quote_open);
    for (const char *p = s; *p; p++) {
        putc_(c, *p);
        if (*p == c->d->quote_close)
            putc_(c, *p);
    }
    putc_(c, c->d->quote_close);
}

static void table_name(sqlalc_compiler *c, const struct sqlalc_table *t)
{
    if (t->schema) {
        ident(c, t->schema);
        putc_(c, '.');
    }
    ident(c, t->name);
}

/* Anonymous name base_N, numbered per base in rendering order.  Returns
 * its offset in c->names. */
static size_t anon_name(sqlalc_compiler *c, const char *base)
{
    if (c->names.oom) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
        return 0;
    }
    size_t bl = strlen(base);
    int i;
    for (i = 0; i < c->nanon; i++)
        if (c->anon[i].len == bl && !memcmp(c->names.p + c->anon[i].off, base, bl))
            break;
    if (i == c->nanon) {
        if (c->nanon == MAX_ANON) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "too many distinct parameter names");
            return 0;
        }
        c->anon[i].off = c->names.len;
        c->anon[i].len = bl;
        c->anon[i].n = 0;
        sqlalc_buf_append(&c->names, base, bl);
        sqlalc_buf_putc(&c->names, 0);
        c->nanon++;
        if (c->names.oom)
            return 0;
    }
    size_t off = c->names.len;
    char tmp[96];
    int v = ++c->anon[i].n;
    if (bl > sizeof tmp - 16) {
        sqlalc_buf_printf(&c->names, "%s_%d", c->names.p + c->anon[i].off, v);
        sqlalc_buf_putc(&c->names, 0);
        return off;
    }
    /* base_N without printf: this runs for most parameters. */
    memcpy(tmp, c->names.p + c->anon[i].off, bl);
    char digits[16];
    int k = sizeof digits;
    do
        digits[--k] = (char)('0' + v % 10);
    while ((v /= 10) && k > 0);
    size_t n = bl;
    tmp[n++] = '_';
    memcpy(tmp + n, digits + k, sizeof digits - (size_t)k);
    n += sizeof digits - (size_t)k;
    tmp[n++] = 0;
    sqlalc_buf_append(&c->names, tmp, n);
    return off;
}

static size_t add_name(sqlalc_compiler *c, const char *s)
{
    size_t off = c->names.len;
    sqlalc_buf_puts(&c->names, s);
    sqlalc_buf_putc(&c->names, 0);
    return off;
}

static const char *name_at(sqlalc_compiler *c, size_t off)
{
    return c->names.oom ? "" : c->names.p + off;
}

static int value_type_kind(const sqlalc_value *v)
{
    if (!v)
        return SQLALC_TYPE_NULL;
    switch (v->type) {
    case SQLALC_V_INT: return SQLALC_TYPE_INTEGER;
    case SQLALC_V_FLOAT: return SQLALC_TYPE_FLOAT;
    case SQLALC_V_TEXT: return SQLALC_TYPE_STRING;
    case SQLALC_V_BLOB: return SQLALC_TYPE_LARGE_BINARY;
    case SQLALC_V_BOOL: return SQLALC_TYPE_BOOLEAN;
    case SQLALC_V_NUMERIC: return SQLALC_TYPE_NUMERIC;
    case SQLALC_V_DATE: return SQLALC_TYPE_DATE;
    case SQLALC_V_TIME: return SQLALC_TYPE_TIME;
    case SQLALC_V_DATETIME: return SQLALC_TYPE_DATETIME;
    case SQLALC_V_INTERVAL: return SQLALC_TYPE_INTERVAL;
    case SQLALC_V_JSON: return SQLALC_TYPE_JSON;
    case SQLALC_V_UUID: return SQLALC_TYPE_UUID;
    default: return SQLALC_TYPE_NULL;
    }
}

/* A value as SQL literal text (debug form only). */
static void literal_value(sqlalc_compiler *c, const sqlalc_value *v)
{
    char tmp[40];
    if (!v) {
        PUTS(c, "NULL");
        return;
    }
    switch (v->type) {
    case SQLALC_V_NULL: PUTS(c, "NULL"); return;
    case SQLALC_V_INT: sqlalc_compiler_literal_int(c, v->u.i); return;
    case SQLALC_V_BOOL:
        if (c->h->native_boolean)
            puts_(c, v->u.i ? "true" : "false");
        else
            putc_(c, v->u.i ? '1' : '0');
        return;
    case SQLALC_V_FLOAT: put(c, tmp, (size_t)snprintf(tmp, sizeof tmp, "%.17g", v->u.f)); return;
    case SQLALC_V_BLOB:
        PUTS(c, "X'");
        for (size_t i = 0; i < v->u.s.len; i++) {
            snprintf(tmp, sizeof tmp, "%02X", (unsigned char)v->u.s.p[i]);
            put(c, tmp, 2);
        }
        putc_(c, '\'');
        return;
    default: {
        size_t n = v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
        putc_(c, '\'');
        for (size_t i = 0; i < n; i++) {
            putc_(c, v->u.s.p[i]);
            if (v->u.s.p[i] == '\'')
                putc_(c, '\'');
        }
        putc_(c, '\'');
    }
    }
}

/* Emit a placeholder for a parameter named names[off] with value v. */
static void emit_param(sqlalc_compiler *c, size_t off, const sqlalc_value *v, int type)
{
    if (c->style == COMPILE_LITERAL) {
        literal_value(c, v);
        return;
    }
    if (c->style == 0) {
        putc_(c, ':');
        puts_(c, name_at(c, off));
    } else
        putc_(c, MARK);
    seg *s = c->cur;
    if (s->np == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        sqlalc_cparam *np = sqlalc__realloc(s->params, nc * sizeof *np);
        if (!np) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
            return;
        }
        s->params = np;
        s->cap = nc;
    }
    s->params[s->np].name_off = off;
    s->params[s->np].value = v;
    s->params[s->np].type = type;
    s->np++;
    c->total_params++;
}

void sqlalc_compiler_param(sqlalc_compiler *c, const sqlalc_value *v)
{
    emit_param(c, anon_name(c, "param"), v, value_type_kind(v));
}

static const sqlalc_value static_ints[3] = {
    { .type = SQLALC_V_INT, .u.i = -1 },
    { .type = SQLALC_V_INT, .u.i = 0 },
    { .type = SQLALC_V_INT, .u.i = 1 },
};

const sqlalc_value *sqlalc__compile_static_value(int k)
{
    return k >= 0 && k < 3 ? &static_ints[k] : NULL;
}

int sqlalc__compile_static_index(const sqlalc_value *v)
{
    for (int k = 0; k < 3; k++)
        if (v == &static_ints[k])
            return k;
    return -1;
}

void sqlalc_compiler_param_const(sqlalc_compiler *c, int v)
{
    if (v < -1 || v > 1) {
        sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "sqlalc_compiler_param_const: only -1, 0, 1");
        return;
    }
    sqlalc_compiler_param(c, &static_ints[v + 1]);
}

/* ------------------------------------------------------------------ */
/* Keys: what an anonymous bind is named after                         */
/* ------------------------------------------------------------------ */

static const char *expr_key(const sqlalc_expr *e)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case SQLALC_NK_COLUMN: return ((const struct sqlalc_column_node *)e)->name;
    case NK_ALIAS_COL:
    case NK_EXCLUDED: return ((const struct aliascol *)e)->name;
    case NK_FUNC: return ((const struct func *)e)->name;
    case NK_LABEL: return ((const struct label *)e)->name;
    default: return NULL;
    }
}

static int expr_type_kind(const sqlalc_expr *e)
{
    if (!e)
        return SQLALC_TYPE_NULL;
    if (e->kind == SQLALC_NK_COLUMN)
        return ((const struct sqlalc_column_node *)e)->type
                   ? (int)((const struct sqlalc_column_node *)e)->type->kind
                   : 0;
    if (e->kind == NK_ALIAS_COL || e->kind == NK_EXCLUDED)
        return expr_type_kind(((const struct aliascol *)e)->inner);
    if (e->type)
        return e->type->kind;
    return SQLALC_TYPE_NULL;
}

static void render_bind(sqlalc_compiler *c, const struct bind *b, const sqlalc_expr *ctx)
{
    if (b->expanding) {
        if (c->style != 0) {
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
    if (ctx && expr_type_kind(ctx))
        t = expr_type_kind(ctx);
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

static void render_list_items(sqlalc_compiler *c, sqlalc_expr *const *items, size_t n, const sqlalc_expr *ctx)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            PUTS(c, ", ");
        render(c, items[i], P_COMMA, 0, ctx);
    }
}

static int all_anon_binds(const struct exprlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i]->kind != NK_BIND || ((const struct bind *)l->items[i])->name ||
            ((const struct bind *)l->items[i])->expanding)
            return 0;
    return 1;
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
    if (r->kind == NK_BIND && ((const struct bind *)r)->expanding && c->expand && c->style != 0) {
        /* An expanding parameter with its values: one placeholder each. */
        const char *nm = ((const struct bind *)r)->name;
        for (size_t i = 0; i < c->expand->count; i++)
            nexp += c->expand->items[i].name && !strcmp(c->expand->items[i].name, nm);
        c->literal_values = 1; /* this form depends on the values: never shared */
        sqlalc_buf_append(&c->expanded, nm, strlen(nm) + 1);
        if (nexp) {
            putc_(c, '(');
            size_t k = 0;
            int t = expr_type_kind(b->l);
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
                        char msg[300];
                        snprintf(msg, sizeof msg,
                                 "the expanding IN '%s' has %zu values, more than the %d parameters one "
                                 "statement may carry; only integer values can be sent inline past it "
                                 "(value %zu is %s)",
                                 nm, nexp, c->inline_expanding, k, sqlalc_vtype_name(p->value.type));
                        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, msg);
                        return;
                    }
                    sqlalc_compiler_literal_int(c, p->value.u.i);
                    continue;
                }
                size_t off = c->names.len;
                sqlalc_buf_printf(&c->names, "%s_%zu", nm, k);
                sqlalc_buf_putc(&c->names, 0);
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
        int t = expr_type_kind(b->l);
        int literal = c->total_params + (int)l->n > c->d->max_params && c->style != 0;
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
            size_t off = c->names.len;
            sqlalc_buf_printf(&c->names, "%s_%zu", name_at(c, base), i + 1);
            sqlalc_buf_putc(&c->names, 0);
            emit_param(c, off, &bi->v, t ? t : value_type_kind(&bi->v));
        }
    } else
        render_list_items(c, l->items, l->n, b->l);
    putc_(c, ')');
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
        render(c, b->l, prec, b->op, NULL);
        puts_(c, op_text(c, b->op));
        render(c, b->r, prec, b->op, b->l);
    escape:
        if (b->escape && (b->op >= OP_LIKE && b->op <= OP_NOTENDSWITH)) {
            PUTS(c, " ESCAPE '");
            putc_(c, b->escape);
            if (b->escape == '\'')
                putc_(c, '\'');
            putc_(c, '\'');
        }
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
static const char *alias_name(sqlalc_compiler *c, const struct alias *a)
{
    if (a->name)
        return a->name;
    for (int i = 0; i < c->naliasnames; i++)
        if (c->aliasnames[i].node == a)
            return name_at(c, c->aliasnames[i].off);
    if (c->naliasnames == MAX_ALIASNAMES) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "too many anonymous subqueries");
        return "anon";
    }
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

static void render(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op,
                   const sqlalc_expr *ctx)
{
    if (c->err)
        return;
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
    case NK_UNARY: {
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
        break;
    }
    case NK_BOOL: {
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
        break;
    }
    case NK_LIST: {
        const struct exprlist *l = (const struct exprlist *)e;
        putc_(c, '(');
        render_list_items(c, l->items, l->n, ctx);
        putc_(c, ')');
        break;
    }
    case NK_FUNC: render_func(c, (const struct func *)e); break;
    case NK_CAST: {
        const struct cast *k = (const struct cast *)e;
        PUTS(c, "CAST(");
        render(c, k->e, P_NONE, 0, NULL);
        PUTS(c, " AS ");
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
            put(c, tmp, n < sizeof tmp ? n : sizeof tmp - 1);
        } else
            default_cast_type(c, k->kind, k->length, k->precision, k->scale);
        putc_(c, ')');
        break;
    }
    case NK_CASE: {
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
        break;
    }
    case NK_LABEL:
        /* A label outside the column list renders its expression. */
        render(c, ((const struct label *)e)->e, against, against_op, ctx);
        break;
    case NK_OVER: render_over(c, (const struct over *)e); break;
    case NK_TEXT: {
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
            } else if (tk.kind == SQLALC_TOK_ESCAPED)
                putc_(c, p[1]);
            else if (tk.kind == SQLALC_TOK_QMARK || tk.kind == SQLALC_TOK_QMARK_NUM ||
                     tk.kind == SQLALC_TOK_DOLLAR_NUM) {
                sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT,
                                      "raw SQL fragment has a positional parameter: name it (:name), "
                                      "or write \\? for a literal '?'");
                break;
            } else
                put(c, p, tk.len);
        }
        break;
    }
    case NK_SELECT:
    case NK_COMPOUND:
        putc_(c, '(');
        render_stmt(c, e, M_NESTED);
        putc_(c, ')');
        break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "this node cannot be used as an expression");
    }
}

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
        if (same_from(f->froms[i], x))
            return;
    if (f->n == MAX_FROMS) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "too many FROM items");
        return;
    }
    f->froms[f->n++] = x;
}

/* Collect the FROM items an expression refers to (not inside nested selects). */
static void collect(sqlalc_compiler *c, frame *f, const sqlalc_expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case SQLALC_NK_COLUMN:
        if (((const struct sqlalc_column_node *)e)->table)
            from_add(c, f, &((const struct sqlalc_column_node *)e)->table->base);
        break;
    case NK_ALIAS_COL: from_add(c, f, &((const struct aliascol *)e)->alias->base); break;
    case NK_BINARY:
        collect(c, f, ((const struct binop *)e)->l);
        if (((const struct binop *)e)->r->kind != NK_SELECT &&
            ((const struct binop *)e)->r->kind != NK_COMPOUND)
            collect(c, f, ((const struct binop *)e)->r);
        break;
    case NK_UNARY:
        if (((const struct unop *)e)->op != UOP_EXISTS && ((const struct unop *)e)->op != UOP_SCALAR)
            collect(c, f, ((const struct unop *)e)->e);
        break;
    case NK_BOOL:
        for (size_t i = 0; i < ((const struct boollist *)e)->n; i++)
            collect(c, f, ((const struct boollist *)e)->items[i]);
        break;
    case NK_LIST:
        for (size_t i = 0; i < ((const struct exprlist *)e)->n; i++)
            collect(c, f, ((const struct exprlist *)e)->items[i]);
        break;
    case NK_FUNC:
        for (size_t i = 0; i < ((const struct func *)e)->n; i++)
            collect(c, f, ((const struct func *)e)->args[i]);
        break;
    case NK_CAST: collect(c, f, ((const struct cast *)e)->e); break;
    case NK_CASE: {
        const struct casex *k = (const struct casex *)e;
        collect(c, f, k->value);
        for (size_t i = 0; i < 2 * k->n; i++)
            collect(c, f, k->items[i]);
        collect(c, f, k->else_);
        break;
    }
    case NK_LABEL: collect(c, f, ((const struct label *)e)->e); break;
    case NK_OVER: {
        const struct over *o = (const struct over *)e;
        collect(c, f, o->func);
        for (size_t i = 0; i < o->partition.n; i++)
            collect(c, f, o->partition.v[i]);
        for (size_t i = 0; i < o->order.n; i++)
            collect(c, f, o->order.v[i]);
        break;
    }
    default: break;
    }
}

static void leaves(const sqlalc_expr *e, const sqlalc_expr **out, size_t *n)
{
    if (e->kind == NK_JOIN) {
        leaves(((const struct join *)e)->l, out, n);
        leaves(((const struct join *)e)->r, out, n);
    } else if (*n < MAX_FROMS)
        out[(*n)++] = e;
}

static int in_frame(const frame *f, const sqlalc_expr *x)
{
    for (size_t i = 0; i < f->n; i++)
        if (same_from(f->froms[i], x))
            return 1;
    return 0;
}

static void render_cte_ref(sqlalc_compiler *c, const struct alias *a);

static void render_from(sqlalc_compiler *c, const sqlalc_expr *e)
{
    if (c->err)
        return;
    switch (e->kind) {
    case SQLALC_NK_TABLE: table_name(c, (const struct sqlalc_table *)e); break;
    case NK_ALIAS: {
        const struct alias *a = (const struct alias *)e;
        if (a->is_cte) {
            render_cte_ref(c, a);
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
    for (int i = 0; i < c->nctes; i++)
        if (!strcmp(c->ctes[i].name, a->name)) {
            /* The recursive form supersedes its anchor if seen later. */
            return;
        }
    if (c->nctes == MAX_CTES) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "too many CTEs");
        return;
    }
    int i = c->nctes++;
    c->ctes[i].name = a->name;
    c->ctes[i].recursive = a->recursive;
    memset(&c->ctes[i].s, 0, sizeof c->ctes[i].s);
    if (a->recursive)
        c->any_recursive = 1;
    seg *saved = c->cur;
    int saved_base = c->corr_base;
    c->cur = &c->ctes[i].s;
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
    c->order[c->ndone++] = i;
    c->cur = saved;
    c->corr_base = saved_base;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

static void render_column_clause(sqlalc_compiler *c, const sqlalc_expr *e, int mode, size_t idx,
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
        return;
    }
    if (e->kind == NK_FUNC) {
        /* SQLAlchemy names the label before rendering the arguments. */
        size_t off = anon_name(c, ((const struct func *)e)->name);
        render(c, e, P_NONE, 0, NULL);
        PUTS(c, " AS ");
        ident(c, name_at(c, off));
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
            PUTS(c, " AS ");
            ident(c, name_at(c, anon_name(c, plain)));
        } else if (mode == M_SUBQ) {
            PUTS(c, " AS ");
            ident(c, plain);
        }
        return;
    }
    if (e->kind == NK_TEXT)
        return;
    if (e->kind == NK_UNARY && ((const struct unop *)e)->op != UOP_SCALAR &&
        ((const struct unop *)e)->op != UOP_EXISTS)
        return;
    PUTS(c, " AS ");
    if (e->kind == NK_CAST && ((const struct cast *)e)->e->kind == SQLALC_NK_COLUMN)
        ident(c, ((const struct sqlalc_column_node *)((const struct cast *)e)->e)->name);
    else
        ident(c, name_at(c, anon_name(c, "anon")));
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

static void render_select(sqlalc_compiler *c, const struct sel *s, int mode)
{
    frame f;
    f.n = 0;
    /* Explicit FROM items first, then what the columns and criteria use. */
    const sqlalc_expr *covered[MAX_FROMS];
    size_t ncovered = 0;
    for (size_t i = 0; i < s->froms.n; i++) {
        from_add(c, &f, s->froms.v[i]);
        leaves(s->froms.v[i], covered, &ncovered);
    }
    frame inferred;
    inferred.n = 0;
    for (size_t i = 0; i < s->cols.n; i++)
        collect(c, &inferred, s->cols.v[i]);
    collect(c, &inferred, s->where);
    collect(c, &inferred, s->having);
    /* Automatic correlation: a nested select drops FROM items of its
     * enclosing selects, unless that would leave it none. */
    size_t keep = 0;
    for (size_t i = 0; i < inferred.n; i++) {
        const sqlalc_expr *x = inferred.froms[i];
        int cov = 0;
        for (size_t k = 0; k < ncovered && !cov; k++)
            cov = same_from(covered[k], x);
        if (!cov)
            inferred.froms[keep++] = x;
    }
    inferred.n = keep;
    if (mode == M_NESTED && c->depth > c->corr_base && inferred.n) {
        keep = 0;
        const sqlalc_expr *kept[MAX_FROMS];
        for (size_t i = 0; i < inferred.n; i++) {
            int outer = 0;
            for (int d = c->corr_base; d < c->depth && !outer; d++)
                outer = in_frame(c->stack[d], inferred.froms[i]);
            if (!outer)
                kept[keep++] = inferred.froms[i];
        }
        if (keep || f.n) {
            memcpy(inferred.froms, kept, keep * sizeof kept[0]);
            inferred.n = keep;
        }
    }
    for (size_t i = 0; i < inferred.n; i++)
        from_add(c, &f, inferred.froms[i]);

    /* The frame enclosing selects correlate against: every leaf. */
    frame corr;
    corr.n = 0;
    for (size_t i = 0; i < f.n; i++) {
        const sqlalc_expr *lv[MAX_FROMS];
        size_t nl = 0;
        leaves(f.froms[i], lv, &nl);
        for (size_t k = 0; k < nl; k++)
            from_add(c, &corr, lv[k]);
    }
    if (c->depth == MAX_DEPTH) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "subqueries nested too deep");
        return;
    }
    c->stack[c->depth++] = &corr;

    PUTS(c, "SELECT ");
    if (s->distinct)
        PUTS(c, "DISTINCT ");
    int top = 0;
    if (c->h->limit_style == SQLALC_LIMIT_TOP_FETCH && s->has_limit && !s->has_offset) {
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
    if (f.n) {
        PUTS(c, " \nFROM ");
        for (size_t i = 0; i < f.n; i++) {
            if (i)
                PUTS(c, ", ");
            render_from(c, f.froms[i]);
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
    render_order(c, &s->order, 0, &s->cols);
    render_limit(c, s->order.n > 0, s->has_limit ? &s->limit : NULL, s->has_offset ? &s->offset : NULL, top);
    if (s->for_update && c->h->has_for_update) {
        puts_(c, s->for_update & SQLALC_FOR_SHARE ? " FOR SHARE" : " FOR UPDATE");
        if (s->for_update & SQLALC_FOR_UPDATE_NOWAIT)
            PUTS(c, " NOWAIT");
        if (s->for_update & SQLALC_FOR_UPDATE_SKIP_LOCKED)
            PUTS(c, " SKIP LOCKED");
    }
    c->depth--;
}

static void render_compound(sqlalc_compiler *c, const struct compound *k, int mode)
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
                   col->type ? (int)col->type->kind : value_type_kind(&b->v));
        return;
    }
    int grp = group && (v->kind == NK_BINARY || v->kind == NK_BOOL);
    if (grp)
        putc_(c, '(');
    render(c, v, P_NONE, 0, &col->base);
    if (grp)
        putc_(c, ')');
}

static void repeat_group(sqlalc_compiler *c, size_t g0, size_t p0);

static void render_insert(sqlalc_compiler *c, const struct ins *s)
{
    if (!check_returning(c, &s->returning))
        return;
    int output = s->returning.n && c->h->returning_style == SQLALC_RETURNING_OUTPUT;
    PUTS(c, "INSERT INTO ");
    table_name(c, s->table);
    size_t ncols = s->ncols;
    struct sqlalc_column_node *const *cols = s->cols;
    if (!s->default_values && !s->from_select && s->nrows == 0) {
        ncols = s->table->ncolumns;
        cols = s->table->columns;
    }
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
        render_stmt(c, s->from_select, M_TOP);
    } else if (s->nrows == 0) {
        PUTS(c, " VALUES ");
        size_t g0 = c->cur->buf.len, p0 = c->cur->np;
        putc_(c, '(');
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                PUTS(c, ", ");
            size_t off = add_name(c, cols[i]->name);
            emit_param(c, off, NULL, cols[i]->type ? (int)cols[i]->type->kind : 0);
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
    if (s->returning.n && !output) {
        PUTS(c, " RETURNING ");
        render_returning(c, &s->returning, NULL);
    }
}

/* UPDATE / DELETE: subqueries in SET and WHERE correlate to the target table. */
static int push_table_frame(sqlalc_compiler *c, frame *f, const struct sqlalc_table *t)
{
    f->n = 1;
    f->froms[0] = &t->base;
    if (c->depth == MAX_DEPTH) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOT_SUPPORTED, "subqueries nested too deep");
        return 0;
    }
    c->stack[c->depth++] = f;
    return 1;
}

static void render_update(sqlalc_compiler *c, const struct upd *s)
{
    if (!check_returning(c, &s->returning))
        return;
    frame tf;
    if (!push_table_frame(c, &tf, s->table))
        return;
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
            emit_param(c, add_name(c, cols[i]->name), NULL, cols[i]->type ? (int)cols[i]->type->kind : 0);
    }
    if (output) {
        PUTS(c, " OUTPUT ");
        render_returning(c, &s->returning, "inserted.");
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
}

static void render_delete(sqlalc_compiler *c, const struct del *s)
{
    if (!check_returning(c, &s->returning))
        return;
    frame tf;
    if (!push_table_frame(c, &tf, s->table))
        return;
    int output = s->returning.n && c->h->returning_style == SQLALC_RETURNING_OUTPUT;
    PUTS(c, "DELETE FROM ");
    table_name(c, s->table);
    if (output) {
        PUTS(c, " OUTPUT ");
        render_returning(c, &s->returning, "deleted.");
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
}

static void render_stmt(sqlalc_compiler *c, const sqlalc_expr *e, int mode)
{
    if (c->err)
        return;
    switch (e->kind) {
    case NK_SELECT: render_select(c, (const struct sel *)e, mode); break;
    case NK_COMPOUND: render_compound(c, (const struct compound *)e, mode); break;
    case NK_INSERT: render_insert(c, (const struct ins *)e); break;
    case NK_UPDATE: render_update(c, (const struct upd *)e); break;
    case NK_DELETE: render_delete(c, (const struct del *)e); break;
    default: sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "not a statement");
    }
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static void seg_free(seg *s)
{
    sqlalc_buf_free(&s->buf);
    sqlalc_free(s->params);
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

static int compile_all(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from,
                       size_t rows_to, size_t repeat, const sqlalc_params *expand, int inline_expanding,
                       struct sqlalc_compiled **out);

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
        c->total_params += gp;
    }
    sqlalc_free(g);
}

int sqlalc__compile_repeat(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows,
                           struct sqlalc_compiled **out)
{
    return compile_all(stmt, d, style, 0, 0, rows, NULL, 0, out);
}

int sqlalc__compile(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from, size_t rows_to,
                    struct sqlalc_compiled **out)
{
    return sqlalc__compile_expand(stmt, d, style, rows_from, rows_to, NULL, 0, out);
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
    memset(&c, 0, offsetof(sqlalc_compiler, ctes));
    c.nctes = 0;
    c.ndone = 0;
    c.literal_values = 0;
    c.any_recursive = 0;
    c.err = 0;
    c.total_params = 0;
    c.d = d;
    c.h = d->compile;
    c.style = style;
    c.cur = &c.body;
    memset(c.qmemo, 0, sizeof c.qmemo);
    c.rows_from = rows_from;
    c.rows_to = rows_to;
    c.repeat = repeat;
    c.expand = expand;
    c.inline_expanding = inline_expanding;
    c.expanded = (sqlalc_buf)SQLALC_BUF_INIT;
    render_stmt(&c, stmt, M_TOP);
    int rc = c.err;
    if (!rc && (c.body.buf.oom || c.names.oom || c.expanded.oom))
        rc = sqlalc__oom();
    for (int i = 0; i < c.nctes && !rc; i++)
        if (c.ctes[i].s.buf.oom)
            rc = sqlalc__oom();
    struct sqlalc_compiled *r = NULL;
    if (!rc) {
        r = sqlalc__calloc(1, sizeof *r);
        size_t np = c.body.np;
        for (int i = 0; i < c.nctes; i++)
            np += c.ctes[i].s.np;
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
                for (int o = 0; o < c.ndone; o++) {
                    int i = c.order[o];
                    if (o)
                        sqlalc_buf_puts(&sql, ", \n");
                    emit_final(&sql, &c.ctes[i].s, style, &k);
                    if (c.ctes[i].s.np)
                        memcpy(r->params + j, c.ctes[i].s.params, c.ctes[i].s.np * sizeof *r->params);
                    j += c.ctes[i].s.np;
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
            if (!r->sql)
                rc = SQLALC_ERR_NOMEM;
        }
        if (rc == SQLALC_ERR_NOMEM)
            sqlalc__oom();
    }
    seg_free(&c.body);
    for (int i = 0; i < c.nctes; i++)
        seg_free(&c.ctes[i].s);
    sqlalc_buf_free(&c.names);
    sqlalc_buf_free(&c.expanded);
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
    memset(&c, 0, sizeof c);
    c.d = d;
    c.h = d->compile;
    c.cur = &c.body;
    c.style = style;
    render(&c, e, P_NONE, 0, NULL);
    char *s = NULL;
    if (!c.err && !c.body.buf.oom && !c.names.oom)
        s = sqlalc_buf_detach(&c.body.buf);
    else if (!c.err)
        sqlalc__oom();
    seg_free(&c.body);
    for (int i = 0; i < c.nctes; i++)
        seg_free(&c.ctes[i].s);
    sqlalc_buf_free(&c.names);
    return s;
}

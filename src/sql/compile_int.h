/*
 * The compiler's private header: its state (struct sqlalc_compiler), the
 * output helpers and the functions its files share.
 *
 *   compile.c         entry points, the compiled form, the public API
 *   compile_state.c   names, parameters, identifier quoting, literals
 *   compile_expr.c    expressions (operators, functions, CASE, CAST, text)
 *   compile_select.c  FROM inference and correlation, CTEs, SELECT, compounds
 *   compile_dml.c     INSERT, UPDATE, DELETE and the statement dispatch
 */
#ifndef SQLALC_SQL_COMPILE_INT_H
#define SQLALC_SQL_COMPILE_INT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "expr_int.h"
#include "../schema/model.h"
#include "quote.h"
#include "lexer.h"

/* Kept out of line: a function whose locals must not sit on the stack of
 * every recursion level. */
#if defined(__GNUC__)
#    define NOINLINE __attribute__((noinline))
#else
#    define NOINLINE
#endif

#define MARK '\x01'

/* Nesting the compiler follows by recursion (functions in functions,
 * subqueries in subqueries, zig-zag operator trees); chains of one
 * operator (a + b + c …, AND/OR lists) are rendered iteratively at any
 * length.  Deeper trees fail with SQLALC_ERR_NOT_SUPPORTED: see
 * SQLALC_MAX_EXPR_DEPTH in <sqlalc/expr.h>. */
#define DEPTH_LIMIT SQLALC_MAX_EXPR_DEPTH
/* Cost of one level of subquery nesting, in expression levels (a SELECT
 * frame is several times larger than an operator's). */
#define SUBQUERY_DEPTH_COST 4

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

/* A list of FROM items: inline storage first, then the heap (any length). */
#define FRAME_INLINE 8
typedef struct frame {
    const sqlalc_expr **v;
    size_t n, cap;
    const sqlalc_expr *inl[FRAME_INLINE];
} frame;

typedef struct anon_ent {
    size_t off, len; /* the base name in c->names */
    int n;           /* last number given */
} anon_ent;

typedef struct alias_ent {
    const void *node;
    size_t off;
} alias_ent;

typedef struct cte_ent {
    const char *name;
    seg s;
    int recursive;
} cte_ent;

/* A step of the iterative operator renderer (compile_expr.c). */
typedef struct cc_task {
    const sqlalc_expr *e, *ctx;
    int against, against_op;
    int kind;
} cc_task;

#define ANON_INLINE 16
struct sqlalc_compiler {
    const sqlalc_dialect *d;
    const sqlalc_compile_hooks *h;
    int style;
    seg body;
    seg *cur;
    sqlalc_buf names;
    /* Anonymous name bases (id, param, anon …); a map finds them once
     * there are more than fit inline. */
    anon_ent *anon;
    size_t nanon, capanon;
    sqlalc_map anon_map; /* base → 1 + index, used past ANON_INLINE */
    alias_ent *aliasnames;
    size_t naliasnames, capaliasnames;
    frame **stack; /* the correlation frames of the enclosing statements */
    int depth;
    size_t capstack;
    int corr_base;              /* selects below this level are not correlated against */
    int nest;                   /* recursion depth in expression levels (DEPTH_LIMIT) */
    const sqlalc_expr **wstack; /* scratch stack of the iterative walks */
    size_t wn, wcap;
    cc_task *tasks; /* the operator renderer's work list */
    size_t ntasks, captasks;
    cte_ent **ctes; /* heap entries: a CTE's segment must not move while it renders */
    cte_ent **done; /* the same, in completion order (dependencies first) */
    size_t nctes, ndone, capctes;
    int any_recursive;
    int err;
    int literal_values;
    const sqlalc_params *expand; /* values of expanding IN parameters (by repeated name) */
    int inline_expanding;        /* > 0: their values go inline (the parameter ceiling they pass) */
    sqlalc_buf expanded;         /* names of the expanding parameters given values, NUL-separated */
    size_t rows_from, rows_to;
    size_t repeat; /* > 1: a one-row INSERT written as that many rows of the same shape */
    int total_params;
    /* ROW_NUMBER() paging (SQLALC_LIMIT_ROW_NUMBER): the select rendered as
     * the numbered inner query, and the offsets in names of its column
     * names, which the outer select lists. */
    const void *rn_inner;
    int in_dml_select; /* > 0: rendering the SELECT of an INSERT … SELECT */
    /* "SET IDENTITY_INSERT t ON\0SET IDENTITY_INSERT t OFF" for an INSERT
     * giving the IDENTITY column a value (compile hooks' identity_insert) */
    sqlalc_buf around;
    size_t *rn_names;
    size_t rn_n, rn_cap;
    /* Identifier pointer -> needs quoting, memoised per compile (the same
     * table and column names recur; the reserved-word lookup is costly).
     * A cache, not a capacity: any number of names works. */
    struct {
        const char *p;
        int q;
    } qmemo[32];
    anon_ent anon_inline[ANON_INLINE];
    frame *stack_inline[16];
    const sqlalc_expr *wstack_inline[32];
    cc_task tasks_inline[16];
};

/* Set up and release a compiler (compile.c). */
void sqlalc__cc_init(sqlalc_compiler *c, const sqlalc_dialect *d, int style);
void sqlalc__cc_free(sqlalc_compiler *c);
/* Account cost levels of nesting; 0 (error recorded) past DEPTH_LIMIT. */
int sqlalc__cc_enter(sqlalc_compiler *c, int cost);
/* Grow *v (elements of elem bytes, first storage inl, which is never
 * freed) so index need-1 fits.  0, or SQLALC_ERR_NOMEM recorded in c. */
int sqlalc__cc_grow(sqlalc_compiler *c, void **v, size_t *cap, const void *inl, size_t need, size_t elem);
#define VGROW(c, v, cap, inl, need) sqlalc__cc_grow((c), (void **)(v), (cap), (inl), (need), sizeof **(v))

static inline void frame_init(frame *f)
{
    f->v = f->inl;
    f->n = 0;
    f->cap = FRAME_INLINE;
}
static inline void frame_free(frame *f)
{
    if (f->v != f->inl)
        sqlalc_free((void *)f->v);
}
static inline int frame_push(sqlalc_compiler *c, frame *f, const sqlalc_expr *x)
{
    if (f->n == f->cap && VGROW(c, &f->v, &f->cap, f->inl, f->n + 1))
        return 0;
    f->v[f->n++] = x;
    return 1;
}

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

/* Functions shared between the compiler's files (library-private names). */
#define add_name sqlalc__cc_add_name
#define alias_name sqlalc__cc_alias_name
#define anon_name sqlalc__cc_anon_name
#define dml_froms sqlalc__cc_dml_froms
#define emit_param sqlalc__cc_emit_param
#define seg_push_param sqlalc__cc_seg_push_param
#define expr_key sqlalc__cc_expr_key
#define expr_type_kind sqlalc__cc_expr_type_kind
#define ident sqlalc__cc_ident
#define literal_value sqlalc__cc_literal_value
#define name_at sqlalc__cc_name_at
#define name_n sqlalc__cc_name_n
#define push_frame sqlalc__cc_push_frame
#define render sqlalc__cc_render
#define render_compound sqlalc__cc_render_compound
#define render_from_list sqlalc__cc_render_from_list
#define render_list_items sqlalc__cc_render_list_items
#define render_select sqlalc__cc_render_select
#define render_stmt sqlalc__cc_render_stmt
#define table_name sqlalc__cc_table_name
#define value_type_kind sqlalc__cc_value_type_kind

size_t add_name(sqlalc_compiler *c, const char *s);
const char *alias_name(sqlalc_compiler *c, const struct alias *a);
size_t anon_name(sqlalc_compiler *c, const char *base);
void dml_froms(sqlalc_compiler *c, frame *f, const struct sqlalc_table *target, const sqlalc_expr *where);
void emit_param(sqlalc_compiler *c, size_t off, const sqlalc_value *v, int type);
/* The IN-list-past-the-ceiling refusal (compile_expr.c). */
void sqlalc__cc_in_limit_error(sqlalc_compiler *c, size_t n);
/* Append a parameter to segment s's list (0 and the error recorded on OOM). */
int seg_push_param(sqlalc_compiler *c, seg *s, const sqlalc_cparam *p);
const char *expr_key(const sqlalc_expr *e);
int expr_type_kind(const sqlalc_compiler *c, const sqlalc_expr *e);
/* A parameter's kind from a type, for this dialect (see sqlalc_driver.bind_typed). */
int sqlalc__cc_type_param_kind(const sqlalc_compiler *c, const sqlalc_type *t);
void ident(sqlalc_compiler *c, const char *s);
void literal_value(sqlalc_compiler *c, const sqlalc_value *v);
const char *name_at(sqlalc_compiler *c, size_t off);
size_t name_n(sqlalc_compiler *c, const char *s, size_t n);
int push_frame(sqlalc_compiler *c, frame *f);
void render(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op, const sqlalc_expr *ctx);
void render_compound(sqlalc_compiler *c, const struct compound *k, int mode);
void render_from_list(sqlalc_compiler *c, const frame *f, size_t from);
void render_list_items(sqlalc_compiler *c, sqlalc_expr *const *items, size_t n, const sqlalc_expr *ctx);
void render_select(sqlalc_compiler *c, const struct sel *s, int mode);
void render_stmt(sqlalc_compiler *c, const sqlalc_expr *e, int mode);
void table_name(sqlalc_compiler *c, const struct sqlalc_table *t);
int value_type_kind(const sqlalc_value *v);

#endif

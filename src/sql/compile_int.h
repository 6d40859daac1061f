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
    const sqlalc_expr **wstack; /* scratch stack of the iterative walks (wstack_inline first) */
    size_t wn, wcap;
    const sqlalc_expr *wstack_inline[32];
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
    /* Identifier pointer -> needs quoting, memoised per compile (the same
     * table and column names recur; the reserved-word lookup is costly). */
    struct {
        const char *p;
        int q;
    } qmemo[32];
    size_t rows_from, rows_to;
    int total_params;
};

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
#define emit_param sqlalc__cc_emit_param
#define expr_key sqlalc__cc_expr_key
#define expr_type_kind sqlalc__cc_expr_type_kind
#define ident sqlalc__cc_ident
#define literal_value sqlalc__cc_literal_value
#define name_at sqlalc__cc_name_at
#define name_n sqlalc__cc_name_n
#define render sqlalc__cc_render
#define render_compound sqlalc__cc_render_compound
#define render_list_items sqlalc__cc_render_list_items
#define render_select sqlalc__cc_render_select
#define render_stmt sqlalc__cc_render_stmt
#define table_name sqlalc__cc_table_name
#define value_type_kind sqlalc__cc_value_type_kind

size_t add_name(sqlalc_compiler *c, const char *s);
const char *alias_name(sqlalc_compiler *c, const struct alias *a);
size_t anon_name(sqlalc_compiler *c, const char *base);
void emit_param(sqlalc_compiler *c, size_t off, const sqlalc_value *v, int type);
const char *expr_key(const sqlalc_expr *e);
int expr_type_kind(const sqlalc_expr *e);
void ident(sqlalc_compiler *c, const char *s);
void literal_value(sqlalc_compiler *c, const sqlalc_value *v);
const char *name_at(sqlalc_compiler *c, size_t off);
size_t name_n(sqlalc_compiler *c, const char *s, size_t n);
void render(sqlalc_compiler *c, const sqlalc_expr *e, int against, int against_op, const sqlalc_expr *ctx);
void render_compound(sqlalc_compiler *c, const struct compound *k, int mode);
void render_list_items(sqlalc_compiler *c, sqlalc_expr *const *items, size_t n, const sqlalc_expr *ctx);
void render_select(sqlalc_compiler *c, const struct sel *s, int mode);
void render_stmt(sqlalc_compiler *c, const sqlalc_expr *e, int mode);
void table_name(sqlalc_compiler *c, const struct sqlalc_table *t);
int value_type_kind(const sqlalc_value *v);

#endif

/*
 * Expression and statement nodes of src/sql (kinds >= SQLALC_NK__SQL_FIRST).
 * Shared by the builders (build.c, stmt.c), the compiler (compile.c),
 * destruction (destroy.c) and execution (src/engine/execute.c).
 */
#ifndef SQLALC_SQL_EXPR_INT_H
#define SQLALC_SQL_EXPR_INT_H

#include <stdatomic.h>
#include "node.h"
#include "../schema/model.h"
#include "../util/util.h"

enum {
    NK_BIND = SQLALC_NK__SQL_FIRST, /* struct bind */
    NK_CONST,                       /* struct sqlalc_expr; flags = CONST_* */
    NK_BINARY,                      /* struct binop */
    NK_UNARY,                       /* struct unop */
    NK_BOOL,                        /* struct boollist: AND / OR */
    NK_LIST,                        /* struct exprlist: (a, b, …) */
    NK_FUNC,                        /* struct func */
    NK_CAST,                        /* struct cast */
    NK_CASE,                        /* struct casex */
    NK_LABEL,                       /* struct label */
    NK_OVER,                        /* struct over */
    NK_TEXT,                        /* struct textx */
    NK_ALIAS,                       /* struct alias (table alias, subquery, CTE) */
    NK_ALIAS_COL,                   /* struct aliascol */
    NK_JOIN,                        /* struct join */
    NK_EXCLUDED,                    /* struct aliascol (alias NULL): excluded.col */
    NK_TABLEREF,                    /* not used as a separate node: tables are NK_TABLE */
    NK_SELECT,                      /* struct sel */
    NK_COMPOUND,                    /* struct compound */
    NK_INSERT,                      /* struct ins */
    NK_UPDATE,                      /* struct upd */
    NK_DELETE,                      /* struct del */
    NK_COLCLAUSE,                   /* struct colclause: a typed name (column("x", Type)) */
    NK_VALUES,                      /* struct valuesx: VALUES (…), (…), the target of its alias */
    NK__COUNT
};

enum { CONST_NULL = 1, CONST_TRUE, CONST_FALSE };

/* Binary operators. */
enum {
    OP_EQ = 1,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_IS,
    OP_ISNOT,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_CONCAT,
    OP_LIKE,
    OP_NOTLIKE,
    OP_ILIKE,
    OP_NOTILIKE,
    OP_CONTAINS,
    OP_NOTCONTAINS,
    OP_STARTSWITH,
    OP_NOTSTARTSWITH,
    OP_ENDSWITH,
    OP_NOTENDSWITH,
    OP_IN,
    OP_NOTIN, /* right: NK_LIST, NK_SELECT/NK_COMPOUND, or expanding NK_BIND */
    OP_BETWEEN,
    OP_NOTBETWEEN /* right: NK_LIST of two */
};

/* Unary operators. */
enum {
    UOP_NEG = 1,
    UOP_NOT,
    UOP_DISTINCT,
    UOP_EXISTS,
    UOP_SCALAR,
    UOP_ASC,
    UOP_DESC,
    UOP_NULLS_FIRST,
    UOP_NULLS_LAST
};

typedef struct exprvec {
    size_t n;
    sqlalc_expr **v;
} exprvec;

struct bind {
    sqlalc_expr base;
    sqlalc_value v;
    char *name; /* explicit name (bindparam) or NULL: anonymous */
    unsigned has_value : 1;
    unsigned expanding : 1;
    /* text payload and name stored after the struct */
};

struct binop {
    sqlalc_expr base;
    int op;
    char escape;
    sqlalc_expr *l, *r;
};

struct unop {
    sqlalc_expr base;
    int op;
    sqlalc_expr *e;
};

struct boollist {
    sqlalc_expr base;
    int op; /* OP_AND_ / OP_OR_ below */
    size_t n;
    sqlalc_expr *items[];
};
enum { BOOL_AND = 1, BOOL_OR = 2 };

struct exprlist {
    sqlalc_expr base;
    size_t n;
    sqlalc_expr *items[];
};

struct func {
    sqlalc_expr base;
    char *name;
    int star; /* count(*) */
    size_t n;
    sqlalc_expr *args[];
};

struct cast {
    sqlalc_expr base;
    sqlalc_expr *e;
    int kind, length, precision, scale;
};

struct casex {
    sqlalc_expr base;
    sqlalc_expr *value;   /* simple CASE operand or NULL */
    sqlalc_expr *else_;   /* or NULL */
    size_t n;             /* pairs */
    sqlalc_expr *items[]; /* when0, then0, when1, then1 … */
};

struct label {
    sqlalc_expr base;
    sqlalc_expr *e;
    char *name;
};

/* A VALUES list (SQLAlchemy's values(column(…), …).data([…])): cols are
 * column clauses, data the rows' values row after row (data.n a multiple
 * of cols.n).  Always the target of an alias, which names it. */
struct valuesx {
    sqlalc_expr base;
    exprvec cols, data;
};

/* A free-standing typed column name (SQLAlchemy's column("x", Numeric(10, 2))):
 * renders as the quoted name; its type is kept as numbers, as a CAST's. */
struct colclause {
    sqlalc_expr base;
    int kind, length, precision, scale;
    char *name; /* stored after the struct */
};

struct over {
    sqlalc_expr base;
    sqlalc_expr *func;
    exprvec partition, order;
    int frame;
    int64_t lower, upper;
    sqlalc_value lower_v, upper_v; /* |bound| as bound values */
};

struct textx {
    sqlalc_expr base;
    char *sql;
    size_t nparams;
    sqlalc_param *params; /* names and values copied into storage */
    char *storage;
};

/* Alias / subquery / CTE. */
struct alias {
    sqlalc_expr base;
    sqlalc_expr *target; /* NK_TABLE, NK_SELECT, NK_COMPOUND (or an alias) */
    char *name;          /* NULL: anonymous (anon_N at compile time) */
    unsigned is_cte : 1;
    unsigned recursive : 1;
    struct alias *anchor; /* the recursive CTE this one extends (same name), ref held */
};

/* A column seen through an alias (or, for NK_EXCLUDED, excluded.col). */
struct aliascol {
    sqlalc_expr base;
    struct alias *alias; /* ref held; NULL for NK_EXCLUDED */
    sqlalc_expr *inner;  /* the underlying column / select column (borrowed) */
    char *name;
    struct sqlalc_table *table; /* NK_EXCLUDED: table (ref held) */
};

struct join {
    sqlalc_expr base;
    sqlalc_expr *l, *r;
    sqlalc_expr *on; /* NULL for CROSS */
    int kind;
};

/* Per statement: compiled forms, computed once and kept until the
 * statement dies.  Pushed lock-free so a shared statement is safe. */
typedef struct stmt_cache_entry {
    struct stmt_cache_entry *next;
    const void *dialect;
    int style;
    struct sqlalc_compiled *compiled;
} stmt_cache_entry;

struct sqlalc_stmt {
    sqlalc_expr base;
    _Atomic(stmt_cache_entry *) cache;
};

struct sel {
    struct sqlalc_stmt st;
    exprvec cols, froms, group, order;
    sqlalc_expr *where, *having;
    sqlalc_expr *text; /* textual SELECT (sqlalc_text_columns): this SQL, cols give its result columns */
    sqlalc_value limit, offset; /* INT values */
    unsigned has_limit : 1, has_offset : 1, distinct : 1;
    int for_update;
};

enum { CMP_UNION = 1, CMP_UNION_ALL, CMP_INTERSECT, CMP_EXCEPT };
struct compound {
    struct sqlalc_stmt st;
    int op;
    exprvec selects;
    exprvec order;
    sqlalc_value limit, offset;
    unsigned has_limit : 1, has_offset : 1;
};

enum { UPSERT_NONE = 0, UPSERT_NOTHING, UPSERT_UPDATE };
struct ins {
    struct sqlalc_stmt st;
    struct sqlalc_table *table; /* ref held */
    size_t ncols;               /* columns named by the rows */
    struct sqlalc_column_node **cols;
    size_t nrows;
    sqlalc_expr **values; /* nrows * ncols */
    size_t values_cap;    /* allocated slots of values */
    sqlalc_expr *from_select;
    unsigned default_values : 1;
    exprvec returning;
    int upsert;
    exprvec conflict_cols;
    size_t nset;
    struct sqlalc_column_node **set_cols;
    sqlalc_expr **set_vals;
    sqlalc_expr *upsert_where;
};

struct upd {
    struct sqlalc_stmt st;
    struct sqlalc_table *table;
    size_t nset;
    struct sqlalc_column_node **set_cols;
    sqlalc_expr **set_vals;
    sqlalc_expr *where;
    exprvec returning;
};

struct del {
    struct sqlalc_stmt st;
    struct sqlalc_table *table;
    sqlalc_expr *where;
    exprvec returning;
};

/* The compiled form. */
typedef struct sqlalc_cparam {
    size_t name_off;           /* into names */
    const sqlalc_value *value; /* borrowed from the tree; NULL: required */
    int type;                  /* sqlalc_type_kind */
} sqlalc_cparam;

/* A result column's SQL type as the engine converts its values
 * (result_types.c): a sqlalc_type_kind (0: left as the driver returns it)
 * and, for NUMERIC, the scale (-1: not given). */
typedef struct sqlalc__coltype {
    short kind, scale;
} sqlalc__coltype;

struct sqlalc_compiled {
    char *sql;
    size_t len;
    size_t nparams;
    sqlalc_cparam *params;
    char *names;
    int style;
    int literal_values; /* values were rendered inline (not shareable by shape) */
    char *expanded;     /* expanding IN parameters given values: names, each NUL-ended, then "" (or NULL) */
    sqlalc__coltype *ctypes; /* result column types, or NULL when no value needs converting */
    size_t nctypes;
    int dml_returning; /* INSERT/UPDATE/DELETE … RETURNING: rows are read at execution */
    /* SQL run before and after the statement, NUL-separated (SET
     * IDENTITY_INSERT t ON / OFF on SQL Server), or NULL */
    char *around;
    size_t around_len;
};

/* The result columns of a statement (a SELECT's columns, the first
 * SELECT's of a compound, DML's RETURNING), or NULL. */
const exprvec *sqlalc__stmt_result_exprs(const sqlalc_expr *stmt);
/* The type a result column's values are converted to (result_types.c). */
sqlalc__coltype sqlalc__expr_result_type(const sqlalc_expr *e);
/* *out: one entry per result column when any needs converting, else NULL. */
int sqlalc__stmt_result_types(const sqlalc_expr *stmt, sqlalc__coltype **out, size_t *n);

/* Compile stmt (an NK_SELECT … NK_DELETE node).  style: 0 named display,
 * SQLALC_PARAMSTYLE_QMARK / _NUMERIC_DOLLAR, or COMPILE_LITERAL.
 * rows_from/rows_to restrict a multi-row INSERT to a slice (0, 0 = all). */
#define COMPILE_LITERAL 100
/* Returned (positive, no error recorded) when a positional compile meets an
 * expanding IN parameter: compile again with its values. */
#define SQLALC__NEEDS_EXPAND 1
/* Same, with the values of expanding parameters: entries of expand named
 * like the parameter, in order (borrowed: the result is for one execution).
 * inline_expanding > 0 (the parameter ceiling the values would pass)
 * renders integer values inline and fails on any other kind. */
int sqlalc__compile_expand(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from,
                           size_t rows_to, const sqlalc_params *expand, int inline_expanding,
                           struct sqlalc_compiled **out);
int sqlalc__compile(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows_from, size_t rows_to,
                    struct sqlalc_compiled **out);
/* A one-row INSERT … VALUES compiled as rows rows of the same shape (the
 * group and its parameters repeated), for executemany batches. */
int sqlalc__compile_repeat(sqlalc_expr *stmt, const sqlalc_dialect *d, int style, size_t rows,
                           struct sqlalc_compiled **out);
/* The compiled form cached on the statement (compiled on first use). */
int sqlalc__stmt_compiled(struct sqlalc_stmt *st, const sqlalc_dialect *d, int style,
                          const struct sqlalc_compiled **out);
/* Compile through the shape cache (same structure, other values: no recompile). */
int sqlalc__shape_compiled(sqlalc_expr *stmt, const sqlalc_dialect *d, int style,
                           struct sqlalc_compiled **out);
void sqlalc__shape_cache_stats(long *hits, long *misses);
void sqlalc__shape_cache_clear(void);
/* Small integer constants the compiler binds (LIMIT -1, OFFSET 0). */
const sqlalc_value *sqlalc__compile_static_value(int k);
int sqlalc__compile_static_index(const sqlalc_value *v);
/* The SQLAlchemy default dialect used for display when none is given. */
extern const sqlalc_dialect sqlalc__default_dialect;

void sqlalc__exprvec_free(exprvec *v);
/* 1 when sub is NULL, a SELECT or a compound; else 0, sub released and an
 * argument error naming what (build.c). */
int sqlalc__select_arg_ok(sqlalc_stmt *sub, const char *what);
/* Item slots allocated for a boolean list of n items (build.c). */
size_t sqlalc__bool_slots(size_t n);
/* Table of a column, or NULL. */
static inline int sqlalc__is_stmt_kind(int k)
{
    return k == NK_SELECT || k == NK_COMPOUND || k == NK_INSERT || k == NK_UPDATE || k == NK_DELETE;
}

/* ------------------------------------------------------------------ */
/* Node-kind descriptors (node_kinds.c)                                */
/* ------------------------------------------------------------------ */

/*
 * One table, indexed by node kind, says what each kind holds, in the
 * spirit of SQLAlchemy's _traverse_internals: which fields are children
 * (owned references), which are owned arrays, which scalars belong to the
 * cache key.  Destruction, the shape key, cloning and child traversal
 * read it, so a new kind is described once instead of being added to a
 * switch in each of those walks.  Scalars a kind encodes irregularly
 * (conditional values, alias identity) go through its key hook.
 */
enum {
    ND_END = 0,
    ND_CHILD,    /* sqlalc_expr * (NULL allowed), one reference owned */
    ND_VEC,      /* exprvec of owned children */
    ND_ARRAY,    /* sqlalc_expr *[] inline (flexible member): count at n_off × mult */
    ND_PARRAY,   /* sqlalc_expr ** owned array: count at n_off (× n2_off when set) */
    ND_TABLEREF, /* struct sqlalc_table *, reference owned; key: schema and name */
    ND_COLS,     /* struct sqlalc_column_node ** owned array (borrowed columns), count at n_off; key: names */
    ND_INT,      /* int: key */
    ND_CHAR,     /* char: key */
    ND_STR,      /* char * (NULL allowed): key */
    ND_SELFSTR,  /* char * that may point into the node's own allocation: key, relocated by clone */
    ND_SELFPTR   /* other pointer into the node's own allocation: relocated by clone */
};

typedef struct sqlalc_node_field {
    uint8_t kind;     /* ND_* */
    uint8_t mult;     /* ND_ARRAY: slots per count (CASE: 2) */
    uint16_t off;     /* offsetof the field */
    uint16_t n_off;   /* offsetof the size_t count */
    uint16_t n2_off;  /* ND_PARRAY: offsetof a second size_t factor, 0: none */
    uint16_t cap_off; /* ND_PARRAY: offsetof a size_t capacity set by clone, 0: none */
} sqlalc_node_field;

typedef struct sqlalc_keywalk sqlalc_keywalk;

typedef struct sqlalc_node_desc {
    const char *name;                           /* for messages */
    uint16_t size;                              /* the struct's fixed size */
    uint8_t is_stmt;                            /* starts with struct sqlalc_stmt */
    size_t (*alloc_size)(const sqlalc_expr *e); /* with trailing storage; NULL: size */
    /* Irregular key parts, written before the fields; returns 0 when the
     * node's identity is already in the key (fields and children skipped). */
    int (*key)(sqlalc_keywalk *w, const sqlalc_expr *e);
    const sqlalc_node_field *fields; /* ND_END terminated; NULL: none */
} sqlalc_node_desc;

extern const sqlalc_node_desc sqlalc__node_kinds[NK__COUNT];

static inline const sqlalc_node_desc *sqlalc__kind_of(const sqlalc_expr *e)
{
    return e->kind < NK__COUNT ? &sqlalc__node_kinds[e->kind] : &sqlalc__node_kinds[0];
}

/* Key hooks of the kinds with irregular key parts (shape.c). */
int sqlalc__key_column(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_table(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_bind(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_over(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_text(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_alias(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_select(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_compound(sqlalc_keywalk *w, const sqlalc_expr *e);
int sqlalc__key_insert(sqlalc_keywalk *w, const sqlalc_expr *e);

/* Call fn on each non-NULL direct child of e, in order; stops at the first
 * non-zero return and returns it.  Tables of ND_TABLEREF count as children. */
typedef int (*sqlalc_child_fn)(void *ctx, sqlalc_expr *child);
int sqlalc__node_children(const sqlalc_expr *e, sqlalc_child_fn fn, void *ctx);

/* A shallow copy of e (kind >= SQLALC_NK__SQL_FIRST): one reference, new
 * references on its children, its own copies of owned arrays; a statement's
 * compiled cache starts empty.  NULL on allocation failure. */
sqlalc_expr *sqlalc__node_clone(const sqlalc_expr *e);

/* A required bind named after a column (any column name; positional
 * paramstyles never write it into SQL): the engine's narrowed INSERT. */
sqlalc_expr *sqlalc__bindparam_column(const char *name);

#endif

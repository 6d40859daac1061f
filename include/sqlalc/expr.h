/*
 * libsqlalc — the SQL expression language: column expressions, SELECT /
 * INSERT / UPDATE / DELETE statements, compiling them per dialect and
 * executing them.  Included by <sqlalc.h>.
 *
 * Ownership (the rule of sqlalc.h, restated because every call here obeys
 * it): constructors return a NEW reference; every function that takes an
 * sqlalc_expr * or sqlalc_stmt * argument TAKES OWNERSHIP of it, on
 * success and on failure.  A NULL expression argument makes the call
 * release its other arguments and return NULL (the first error stays in
 * sqlalc_error_last()), so a whole nested build needs one check at the end:
 *
 *     sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_c(user, "name")),
 *         sqlalc_or(sqlalc_gt(sqlalc_c(user, "id"), sqlalc_int(5)),
 *                   sqlalc_lt(sqlalc_c(user, "id"), sqlalc_int(2))));
 *     if (!q) die(sqlalc_errmsg());
 *
 * To keep using a node after passing it, pass sqlalc_expr_ref(node).
 * Column lookups borrow what they look in: sqlalc_c(table, …) and
 * sqlalc_ac(alias, …) (keep the alias in a variable, free it when done).
 * Nodes are immutable: the "generative" calls (sqlalc_where, sqlalc_limit …)
 * return a statement that shares the unchanged parts of their input; when
 * the caller held the only reference the input is reused in place.
 */
#ifndef SQLALC_EXPR_H
#define SQLALC_EXPR_H
#include "core.h"
#include "engine.h"
#ifdef __cplusplus
extern "C" {
#endif

/*
 * Size and depth.  A statement may hold any number of binds, FROM items,
 * CTEs, columns and values: nothing in the compiler is of fixed size.
 * Trees of any depth can be built, freed, hashed for the statement cache
 * and copied (those walks are iterative).  Compiling follows nesting by
 * recursion, except along chains of one kind of operator, which compile
 * at any length: AND / OR lists, and left-, right- or mixed-deep trees of
 * plain binary operators (a + b + c …, x = y, LIKE, ||).  Other nesting
 * (functions in functions, CASE, CAST, NOT, subqueries in subqueries)
 * compiles to SQLALC_MAX_EXPR_DEPTH levels (a subquery counts 4 levels,
 * besides the expression holding it: 198 nested IN (SELECT …) compile);
 * deeper, the compile fails with SQLALC_ERR_NOT_SUPPORTED naming the
 * limit, well before a 256 KB thread stack runs out.  (Databases have
 * lower ceilings still: SQLite's default expression depth is 1000,
 * PostgreSQL's max_stack_depth is 2 MB.)
 */
#define SQLALC_MAX_EXPR_DEPTH 1000

/* ------------------------------------------------------------------ */
/* Argument lists                                                      */
/* ------------------------------------------------------------------ */

/* A counted list of expressions (each reference is taken over). */
typedef struct sqlalc_exprs {
    size_t n;
    sqlalc_expr *const *items;
} sqlalc_exprs;

/* SQLALC_EXPRS(a, b, …): a list built in place (each argument evaluated
 * once).  The lists below live to the end of the enclosing block in C, to
 * the end of the full expression in C++: pass them straight to the call. */
#ifndef __cplusplus
#    define SQLALC_EXPRS(...)                                                              \
        ((sqlalc_exprs){ sizeof((sqlalc_expr *[]){ __VA_ARGS__ }) / sizeof(sqlalc_expr *), \
                         (sqlalc_expr *[]){ __VA_ARGS__ } })
/* The empty list. */
#    define SQLALC_NOEXPRS ((sqlalc_exprs){ 0, NULL })
#else
struct sqlalc__exprs_list : sqlalc_exprs {
    sqlalc__exprs_list(std::initializer_list<sqlalc_expr *> l)
    {
        n = l.size();
        items = l.begin();
    }
};
#    define SQLALC_EXPRS(...) (sqlalc__exprs_list{ __VA_ARGS__ })
#    define SQLALC_NOEXPRS (sqlalc_exprs{ 0, nullptr })
#endif
#define SQLALC_COLS(...) SQLALC_EXPRS(__VA_ARGS__)

/* column name = value pairs for INSERT / UPDATE / ON CONFLICT DO UPDATE. */
typedef struct sqlalc_kv {
    const char *column;
    sqlalc_expr *value;
} sqlalc_kv;
typedef struct sqlalc_kvs {
    size_t n;
    const sqlalc_kv *items;
} sqlalc_kvs;
#ifndef __cplusplus
#    define SQLALC_KV(col, val) ((sqlalc_kv){ (col), (val) })
#    define SQLALC_KVS(...)                                                      \
        ((sqlalc_kvs){ sizeof((sqlalc_kv[]){ __VA_ARGS__ }) / sizeof(sqlalc_kv), \
                       (sqlalc_kv[]){ __VA_ARGS__ } })
#else
struct sqlalc__kvs_list : sqlalc_kvs {
    sqlalc__kvs_list(std::initializer_list<sqlalc_kv> l)
    {
        n = l.size();
        items = l.begin();
    }
};
#    define SQLALC_KV(col, val) (sqlalc_kv{ (col), (val) })
#    define SQLALC_KVS(...) (sqlalc__kvs_list{ __VA_ARGS__ })
#endif

/* A counted list of names (INSERT … FROM SELECT columns). */
typedef struct sqlalc_names {
    size_t n;
    const char *const *items;
} sqlalc_names;
#ifndef __cplusplus
#    define SQLALC_NAMES(...)                                                            \
        ((sqlalc_names){ sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *), \
                         (const char *[]){ __VA_ARGS__ } })
#else
struct sqlalc__names_list : sqlalc_names {
    sqlalc__names_list(std::initializer_list<const char *> l)
    {
        n = l.size();
        items = l.begin();
    }
};
#    define SQLALC_NAMES(...) (sqlalc__names_list{ __VA_ARGS__ })
#endif

/* ------------------------------------------------------------------ */
/* Leaves: tables as FROM items, values, constants                     */
/* ------------------------------------------------------------------ */

/* Tables: sqlalc_c(table, "col") gives a column, sqlalc_table_expr(table)
 * the table as a FROM item (join operand, select_from); see schema.h. */

/* Bound literal values (each becomes a parameter named after what it is
 * compared with, as SQLAlchemy does: id_1, name_2, param_1 …). */
SQLALC_API sqlalc_expr *sqlalc_int(int64_t v);
SQLALC_API sqlalc_expr *sqlalc_float(double v);
SQLALC_API sqlalc_expr *sqlalc_str(const char *s); /* copied */
SQLALC_API sqlalc_expr *sqlalc_bool(int v);
/* Any value (text, blob and typed text are copied). */
SQLALC_API sqlalc_expr *sqlalc_value_expr(sqlalc_value v);
/* A named parameter (SQLAlchemy's bindparam): rendered ":name"; its value
 * may be replaced at execution by an override of the same name. */
SQLALC_API sqlalc_expr *sqlalc_bindparam(const char *name, sqlalc_value v);
/* A named parameter with no value: one must be given at execution. */
SQLALC_API sqlalc_expr *sqlalc_bindparam_required(const char *name);
/* NULL, TRUE, FALSE constants (TRUE/FALSE render as 1/0 where the
 * dialect has no boolean literals). */
SQLALC_API sqlalc_expr *sqlalc_null(void);
SQLALC_API sqlalc_expr *sqlalc_true(void);
SQLALC_API sqlalc_expr *sqlalc_false(void);
/* Raw SQL text rendered verbatim (SQLAlchemy's literal_column / text).
 * Named binds ":name" inside it take their values from params (copied). */
SQLALC_API sqlalc_expr *sqlalc_literal_column(const char *sql);
SQLALC_API sqlalc_expr *sqlalc_text_sql(const char *sql, const sqlalc_params *params);

/* ------------------------------------------------------------------ */
/* Operators                                                           */
/* ------------------------------------------------------------------ */

/* Comparison.  Comparing with sqlalc_null() renders IS NULL / IS NOT NULL. */
SQLALC_API sqlalc_expr *sqlalc_eq(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_ne(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_lt(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_le(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_gt(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_ge(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_is(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_isnot(sqlalc_expr *a, sqlalc_expr *b);
/* Arithmetic; sqlalc_add on two string-typed operands concatenates. */
SQLALC_API sqlalc_expr *sqlalc_add(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_sub(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_mul(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_div(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_mod(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_neg(sqlalc_expr *a);
/* String concatenation: || (+ on mssql). */
SQLALC_API sqlalc_expr *sqlalc_concat(sqlalc_expr *a, sqlalc_expr *b);

/* Boolean.  sqlalc_and(a, b, …) / sqlalc_or(a, b, …) flatten nested lists
 * of the same operator; parentheses appear only where precedence needs. */
SQLALC_API sqlalc_expr *sqlalc_and_list(sqlalc_exprs items);
SQLALC_API sqlalc_expr *sqlalc_or_list(sqlalc_exprs items);
#define sqlalc_and(...) sqlalc_and_list(SQLALC_EXPRS(__VA_ARGS__))
#define sqlalc_or(...) sqlalc_or_list(SQLALC_EXPRS(__VA_ARGS__))
/* NOT; negates comparisons, LIKE, IN, BETWEEN, IS in place (= becomes !=). */
SQLALC_API sqlalc_expr *sqlalc_not(sqlalc_expr *a);

/* IN / NOT IN over a list (an empty list renders as SQLAlchemy 1.4 does). */
SQLALC_API sqlalc_expr *sqlalc_in(sqlalc_expr *a, sqlalc_exprs list);
SQLALC_API sqlalc_expr *sqlalc_notin(sqlalc_expr *a, sqlalc_exprs list);
/* IN over n values (copied), each its own parameter. */
SQLALC_API sqlalc_expr *sqlalc_in_values(sqlalc_expr *a, const sqlalc_value *vals, size_t n);
/* IN / NOT IN over a subquery. */
SQLALC_API sqlalc_expr *sqlalc_in_select(sqlalc_expr *a, sqlalc_stmt *sub);
SQLALC_API sqlalc_expr *sqlalc_notin_select(sqlalc_expr *a, sqlalc_stmt *sub);
/* An "expanding" IN whose list is the parameter `name`: at execution, each
 * override named `name` is one value, in order (none: the empty list), e.g.
 * SQLALC_PARAMS(SQLALC_P_INT("ids", 4), SQLALC_P_INT("ids", 2)).  Display
 * form: IN (__[POSTCOMPILE_name]); sqlalc_compile() in a positional style
 * reports SQLALC_ERR_NOT_SUPPORTED since the values decide the SQL. */
SQLALC_API sqlalc_expr *sqlalc_in_expanding(sqlalc_expr *a, const char *name);

/* LIKE family; escape is the ESCAPE character or 0 for none.  ILIKE is
 * emulated as lower(a) LIKE lower(b) where the dialect has none. */
SQLALC_API sqlalc_expr *sqlalc_like(sqlalc_expr *a, sqlalc_expr *pattern, char escape);
SQLALC_API sqlalc_expr *sqlalc_notlike(sqlalc_expr *a, sqlalc_expr *pattern, char escape);
SQLALC_API sqlalc_expr *sqlalc_ilike(sqlalc_expr *a, sqlalc_expr *pattern, char escape);
SQLALC_API sqlalc_expr *sqlalc_notilike(sqlalc_expr *a, sqlalc_expr *pattern, char escape);
/*
 * a LIKE '%' || b || '%' and friends (SQLAlchemy's contains/startswith/
 * endswith).  As in SQLAlchemy, '%' and '_' in b are wildcards; any other
 * character matches itself on every dialect (PostgreSQL's default LIKE
 * escape, the backslash, is switched off with ESCAPE '', so "a\b" finds
 * the same rows there as on SQLite).  (SQL Server's LIKE also reads
 * [...] as a character class.)
 *
 * The _autoescape forms match b literally, '%' and '_' included, as
 * SQLAlchemy's autoescape=True: b must be a string value (sqlalc_str),
 * which is bound with '/' (the escape character), '%' and '_' prefixed
 * by '/', and the SQL says ESCAPE '/'.  The _escape forms take the
 * escape character (0: '/' when autoescape, none otherwise).
 *
 *     sqlalc_contains_autoescape(sqlalc_c(t, "s"), sqlalc_str("100%"))
 *     -> t.s LIKE '%' || :s_1 || '%' ESCAPE '/'    with s_1 = '100/%'
 */
SQLALC_API sqlalc_expr *sqlalc_contains(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_startswith(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_endswith(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_contains_autoescape(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_startswith_autoescape(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_endswith_autoescape(sqlalc_expr *a, sqlalc_expr *b);
SQLALC_API sqlalc_expr *sqlalc_contains_escape(sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape);
SQLALC_API sqlalc_expr *sqlalc_startswith_escape(sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape);
SQLALC_API sqlalc_expr *sqlalc_endswith_escape(sqlalc_expr *a, sqlalc_expr *b, char escape, int autoescape);

SQLALC_API sqlalc_expr *sqlalc_between(sqlalc_expr *a, sqlalc_expr *lo, sqlalc_expr *hi);
SQLALC_API sqlalc_expr *sqlalc_notbetween(sqlalc_expr *a, sqlalc_expr *lo, sqlalc_expr *hi);

/* DISTINCT x (in a column list or a function argument). */
SQLALC_API sqlalc_expr *sqlalc_distinct(sqlalc_expr *a);
/* CAST(a AS type).  Takes ownership of type like every combinator takes
 * its arguments (on failure too; a NULL type releases a and returns NULL).
 * The result column's values follow the type (see "Typed results" in
 * engine.h).  In 0.1 the type was borrowed: a caller that freed its own
 * type afterwards must stop doing so (static types such as
 * sqlalc_type_integer() are unaffected). */
SQLALC_API sqlalc_expr *sqlalc_cast(sqlalc_expr *a, sqlalc_type *type);
/* CAST to a generic kind with optional length (0 = none). */
SQLALC_API sqlalc_expr *sqlalc_cast_kind(sqlalc_expr *a, int type_kind, int length);

/* CASE WHEN c1 THEN r1 WHEN c2 THEN r2 … [ELSE e] END: whens holds the
 * pairs c1, r1, c2, r2 …  The _value forms are the simple CASE x WHEN v THEN r. */
SQLALC_API sqlalc_expr *sqlalc_case(sqlalc_exprs whens);
SQLALC_API sqlalc_expr *sqlalc_case_else(sqlalc_exprs whens, sqlalc_expr *else_);
SQLALC_API sqlalc_expr *sqlalc_case_value(sqlalc_expr *value, sqlalc_exprs whens);
SQLALC_API sqlalc_expr *sqlalc_case_value_else(sqlalc_expr *value, sqlalc_exprs whens, sqlalc_expr *else_);

/* Any SQL function: name(args…).  Generic names the dialect spells
 * differently are translated (length → LEN on mssql). */
SQLALC_API sqlalc_expr *sqlalc_func(const char *name, sqlalc_exprs args);
/* count(*) and count(x); count(DISTINCT x) is sqlalc_count(sqlalc_distinct(x)). */
SQLALC_API sqlalc_expr *sqlalc_count_star(void);
SQLALC_API sqlalc_expr *sqlalc_count(sqlalc_expr *a);
SQLALC_API sqlalc_expr *sqlalc_coalesce(sqlalc_exprs args);

/* expr AS name. */
SQLALC_API sqlalc_expr *sqlalc_label(sqlalc_expr *a, const char *name);

/* ORDER BY modifiers. */
SQLALC_API sqlalc_expr *sqlalc_asc(sqlalc_expr *a);
SQLALC_API sqlalc_expr *sqlalc_desc(sqlalc_expr *a);
SQLALC_API sqlalc_expr *sqlalc_nulls_first(sqlalc_expr *a);
SQLALC_API sqlalc_expr *sqlalc_nulls_last(sqlalc_expr *a);

/* Window functions: func OVER (PARTITION BY … ORDER BY … [frame]). */
#define SQLALC_UNBOUNDED INT64_MIN
enum { SQLALC_FRAME_NONE = 0, SQLALC_FRAME_ROWS, SQLALC_FRAME_RANGE };
SQLALC_API sqlalc_expr *sqlalc_over(sqlalc_expr *func, sqlalc_exprs partition_by, sqlalc_exprs order_by);
/* Frame bounds: SQLALC_UNBOUNDED, 0 (CURRENT ROW), -n (n PRECEDING), n (n FOLLOWING). */
SQLALC_API sqlalc_expr *sqlalc_over_frame(sqlalc_expr *func, sqlalc_exprs partition_by, sqlalc_exprs order_by,
                                          int frame, int64_t lower, int64_t upper);

/* Subqueries as expressions. */
SQLALC_API sqlalc_expr *sqlalc_scalar_subquery(sqlalc_stmt *sel);
SQLALC_API sqlalc_expr *sqlalc_exists(sqlalc_stmt *sel);

/* ------------------------------------------------------------------ */
/* FROM items                                                          */
/* ------------------------------------------------------------------ */

/* An alias of a table or subquery: FROM "user" AS u2. */
SQLALC_API sqlalc_expr *sqlalc_alias(sqlalc_expr *from, const char *name);
/* A SELECT as a FROM item (name NULL: anon_1 …). */
SQLALC_API sqlalc_expr *sqlalc_subquery(sqlalc_stmt *sel, const char *name);
/* A column of an alias, subquery or CTE, by name: a new reference that
 * keeps `from` alive.  Like sqlalc_c() with its table, `from` is BORROWED
 * (the one exception to the ownership rule, so that one alias can serve
 * many column references); a NULL `from` gives NULL. */
SQLALC_API sqlalc_expr *sqlalc_ac(sqlalc_expr *from, const char *name);
/* Common table expressions: WITH name AS (…).  A recursive CTE starts
 * with its anchor SELECT; sqlalc_cte_union[_all] adds the recursive part
 * (which refers to the CTE's columns through sqlalc_ac). */
SQLALC_API sqlalc_expr *sqlalc_cte(sqlalc_stmt *sel, const char *name);
SQLALC_API sqlalc_expr *sqlalc_cte_recursive(sqlalc_stmt *anchor, const char *name);
SQLALC_API sqlalc_expr *sqlalc_cte_union_all(sqlalc_expr *cte, sqlalc_stmt *recursive);
SQLALC_API sqlalc_expr *sqlalc_cte_union(sqlalc_expr *cte, sqlalc_stmt *recursive);

typedef enum sqlalc_join_kind {
    SQLALC_JOIN_INNER = 0,
    SQLALC_JOIN_LEFT,  /* LEFT OUTER JOIN */
    SQLALC_JOIN_RIGHT, /* RIGHT OUTER JOIN */
    SQLALC_JOIN_FULL,  /* FULL OUTER JOIN */
    SQLALC_JOIN_CROSS  /* CROSS JOIN (no ON) */
} sqlalc_join_kind;
/* JOIN with the ON clause inferred from the foreign keys between the two
 * sides (an error when there is none or more than one). */
SQLALC_API sqlalc_expr *sqlalc_join(sqlalc_expr *left, sqlalc_expr *right, sqlalc_join_kind kind);
/* JOIN … ON on. */
SQLALC_API sqlalc_expr *sqlalc_join_on(sqlalc_expr *left, sqlalc_expr *right, sqlalc_expr *on,
                                       sqlalc_join_kind kind);

/* ------------------------------------------------------------------ */
/* SELECT                                                              */
/* ------------------------------------------------------------------ */

/* SELECT cols [WHERE where]: the FROM list is inferred from the columns
 * and criteria, as SQLAlchemy does; nested selects correlate to their
 * enclosing one automatically. */
SQLALC_API sqlalc_stmt *sqlalc_select_cols(sqlalc_exprs cols);
SQLALC_API sqlalc_stmt *sqlalc_select_where(sqlalc_exprs cols, sqlalc_expr *where);
#define SQLALC__SELPICK(a, b, f, ...) f
#define sqlalc_select(...) \
    SQLALC__SELPICK(__VA_ARGS__, sqlalc_select_where, sqlalc_select_cols, )(__VA_ARGS__)
/* SELECT every column of a table, alias or subquery (SQLAlchemy's
 * select(table)), in their order: sqlalc_select_table(sqlalc_table_expr(t)).
 * Takes ownership of from.  A subquery column without a name (an
 * unlabelled expression) is an error: label it. */
SQLALC_API sqlalc_stmt *sqlalc_select_table(sqlalc_expr *from);

/* A VALUES list as a FROM item (SQLAlchemy's values(column("id",
 * Integer), column("name", String), name="v").data([(1, "a"), (2, "b")])):
 * cols are sqlalc_column_clause()s, data the values row after row (a
 * multiple of cols.n).  Returns the named FROM item: read its columns with
 * sqlalc_ac(v, "id"), select it, join it, use it in UPDATE … FROM.
 * Rendered (VALUES (…), (…)) AS v (id, name); on SQLite, which has no
 * column list there, (SELECT column1 AS id, column2 AS name FROM (VALUES …))
 * AS v.  Takes ownership of cols and data. */
SQLALC_API sqlalc_expr *sqlalc_values_clause(const char *name, sqlalc_exprs cols, sqlalc_exprs data);

/* A typed column name not bound to a table (SQLAlchemy's column("x",
 * Numeric(10, 2))): renders as the quoted name.  Takes ownership of type
 * (NULL: untyped).  Its use is sqlalc_text_columns. */
SQLALC_API sqlalc_expr *sqlalc_column_clause(const char *name, sqlalc_type *type);
/* Raw SQL as a SELECT with declared result columns (SQLAlchemy's
 * text("…").columns(…)): text is an sqlalc_text_sql() fragment, cols its
 * result columns in order (sqlalc_column_clause or a table's columns), so
 * rows follow their types (see "Typed results" in engine.h) and the
 * statement serves as a subquery (sqlalc_subquery, then sqlalc_ac by
 * name), a CTE or an IN's subquery.  Takes ownership of text and cols.
 * WHERE, ORDER BY and the other clauses do not apply to it (an error):
 * select from its subquery instead. */
SQLALC_API sqlalc_stmt *sqlalc_text_columns_list(sqlalc_expr *text, sqlalc_exprs cols);
#define sqlalc_text_columns(text, ...) sqlalc_text_columns_list((text), SQLALC_EXPRS(__VA_ARGS__))

/* Generative modifiers: each consumes stmt and returns the new statement. */
/* AND cond into WHERE (SELECT, UPDATE, DELETE). */
SQLALC_API sqlalc_stmt *sqlalc_where(sqlalc_stmt *stmt, sqlalc_expr *cond);
SQLALC_API sqlalc_stmt *sqlalc_select_from(sqlalc_stmt *stmt, sqlalc_expr *from);
SQLALC_API sqlalc_stmt *sqlalc_group_by(sqlalc_stmt *stmt, sqlalc_exprs exprs);
SQLALC_API sqlalc_stmt *sqlalc_having(sqlalc_stmt *stmt, sqlalc_expr *cond);
/* ORDER BY (SELECT or compound). */
SQLALC_API sqlalc_stmt *sqlalc_order_by(sqlalc_stmt *stmt, sqlalc_exprs exprs);
SQLALC_API sqlalc_stmt *sqlalc_limit(sqlalc_stmt *stmt, int64_t n);
SQLALC_API sqlalc_stmt *sqlalc_offset(sqlalc_stmt *stmt, int64_t n);
SQLALC_API sqlalc_stmt *sqlalc_select_distinct(sqlalc_stmt *stmt);
enum {
    SQLALC_FOR_UPDATE = 1,
    SQLALC_FOR_UPDATE_NOWAIT = 2,
    SQLALC_FOR_UPDATE_SKIP_LOCKED = 4,
    SQLALC_FOR_SHARE = 8
};
/* FOR UPDATE (ignored where the dialect has no row locking, as SQLAlchemy). */
SQLALC_API sqlalc_stmt *sqlalc_for_update(sqlalc_stmt *stmt, int flags);

/* UNION / UNION ALL / INTERSECT / EXCEPT. */
SQLALC_API sqlalc_stmt *sqlalc_union(sqlalc_stmt *a, sqlalc_stmt *b);
SQLALC_API sqlalc_stmt *sqlalc_union_all(sqlalc_stmt *a, sqlalc_stmt *b);
SQLALC_API sqlalc_stmt *sqlalc_intersect(sqlalc_stmt *a, sqlalc_stmt *b);
SQLALC_API sqlalc_stmt *sqlalc_except(sqlalc_stmt *a, sqlalc_stmt *b);

/* The same over any number of SELECTs (SQLAlchemy's union(a, b, c)), as
 * one flat compound: sqlalc_union_of(SQLALC_STMTS(a, b, c)).  Takes
 * ownership of every statement; fewer than two is an argument error. */
typedef struct sqlalc_stmts {
    size_t n;
    sqlalc_stmt *const *items;
} sqlalc_stmts;
#ifndef __cplusplus
#    define SQLALC_STMTS(...)                                                              \
        ((sqlalc_stmts){ sizeof((sqlalc_stmt *[]){ __VA_ARGS__ }) / sizeof(sqlalc_stmt *), \
                         (sqlalc_stmt *[]){ __VA_ARGS__ } })
#else
struct sqlalc__stmts_list : sqlalc_stmts {
    sqlalc__stmts_list(std::initializer_list<sqlalc_stmt *> l)
    {
        n = l.size();
        items = l.begin();
    }
};
#    define SQLALC_STMTS(...) (sqlalc__stmts_list{ __VA_ARGS__ })
#endif
SQLALC_API sqlalc_stmt *sqlalc_union_of(sqlalc_stmts stmts);
SQLALC_API sqlalc_stmt *sqlalc_union_all_of(sqlalc_stmts stmts);
SQLALC_API sqlalc_stmt *sqlalc_intersect_of(sqlalc_stmts stmts);
SQLALC_API sqlalc_stmt *sqlalc_except_of(sqlalc_stmts stmts);
/* A result column of a SELECT or compound by name (SQLAlchemy's
 * selected_columns): the first SELECT's column or label of that name, a new
 * reference, for the compound's ORDER BY (rendered by name) or to read
 * what a statement returns.  stmt is borrowed; NULL and
 * SQLALC_ERR_NOT_FOUND when there is none. */
SQLALC_API sqlalc_expr *sqlalc_selected_column(const sqlalc_stmt *stmt, const char *name);

/* ------------------------------------------------------------------ */
/* INSERT / UPDATE / DELETE                                            */
/* ------------------------------------------------------------------ */

/* INSERT INTO t: without values it lists every column as a parameter named
 * after the column (for execution with parameters / executemany). */
SQLALC_API sqlalc_stmt *sqlalc_insert(sqlalc_table *t);
/* INSERT: add a row of values (several calls: multi-row VALUES; every row
 * must name the same columns).  UPDATE: set columns (SET col=value). */
SQLALC_API sqlalc_stmt *sqlalc_values(sqlalc_stmt *stmt, sqlalc_kvs kvs);
/* INSERT INTO t DEFAULT VALUES. */
SQLALC_API sqlalc_stmt *sqlalc_insert_default_values(sqlalc_table *t);
/* INSERT INTO t (names…) SELECT … */
SQLALC_API sqlalc_stmt *sqlalc_insert_from_select(sqlalc_table *t, sqlalc_names cols, sqlalc_stmt *sel);
SQLALC_API sqlalc_stmt *sqlalc_update(sqlalc_table *t);
SQLALC_API sqlalc_stmt *sqlalc_delete(sqlalc_table *t);
/* RETURNING cols (OUTPUT inserted./deleted. on mssql). */
SQLALC_API sqlalc_stmt *sqlalc_returning(sqlalc_stmt *stmt, sqlalc_exprs cols);

/* Upsert (sqlite, postgresql): INSERT … ON CONFLICT [(index cols)] DO
 * NOTHING / DO UPDATE SET … [WHERE …].  An error at compile time on
 * dialects without it. */
SQLALC_API sqlalc_stmt *sqlalc_on_conflict_do_nothing(sqlalc_stmt *ins, sqlalc_exprs index_cols);
SQLALC_API sqlalc_stmt *sqlalc_on_conflict_do_update(sqlalc_stmt *ins, sqlalc_exprs index_cols,
                                                     sqlalc_kvs set);
SQLALC_API sqlalc_stmt *sqlalc_on_conflict_do_update_where(sqlalc_stmt *ins, sqlalc_exprs index_cols,
                                                           sqlalc_kvs set, sqlalc_expr *where);
/* The would-be-inserted value of a column inside ON CONFLICT DO UPDATE. */
SQLALC_API sqlalc_expr *sqlalc_excluded(sqlalc_table *t, const char *column);

/* ------------------------------------------------------------------ */
/* Statement handles                                                   */
/* ------------------------------------------------------------------ */

SQLALC_API sqlalc_stmt *sqlalc_stmt_ref(sqlalc_stmt *s);
SQLALC_API void sqlalc_stmt_free(sqlalc_stmt *s);

/* ------------------------------------------------------------------ */
/* Compiling                                                           */
/* ------------------------------------------------------------------ */

/*
 * The display form, as SQLAlchemy's str(stmt): named binds ":id_1" and the
 * dialect's quoting (d NULL: SQLAlchemy's default dialect).  The string is
 * owned by the statement (computed once per dialect).  NULL on error.
 */
SQLALC_API const char *sqlalc_stmt_sql(sqlalc_stmt *stmt, const sqlalc_dialect *d);
/* Debug form with values rendered as literals (quotes doubled); caller
 * frees with sqlalc_free().  Never send it to a database. */
SQLALC_API char *sqlalc_stmt_sql_literal(sqlalc_stmt *stmt, const sqlalc_dialect *d);

/* The display form of a lone expression (SQLAlchemy's str(expr)), e.g.
 * "example.id = :id_1".  e is borrowed; free the string with sqlalc_free(). */
SQLALC_API char *sqlalc_expr_sql(const sqlalc_expr *e, const sqlalc_dialect *d);

typedef struct sqlalc_compiled sqlalc_compiled;
/* Parameter styles for sqlalc_compile: SQLALC_PARAMSTYLE_* of dialect.h or 0
 * for the named display form. */
SQLALC_API int sqlalc_compile(sqlalc_stmt *stmt, const sqlalc_dialect *d, int paramstyle,
                              sqlalc_compiled **out);
SQLALC_API void sqlalc_compiled_free(sqlalc_compiled *c);
SQLALC_API const char *sqlalc_compiled_sql(const sqlalc_compiled *c);
SQLALC_API size_t sqlalc_compiled_nparams(const sqlalc_compiled *c);
/* Parameter i (in placeholder order): its name, value (NULL if it has
 * none and must be supplied at execution) and type (sqlalc_type_kind). */
SQLALC_API const char *sqlalc_compiled_param_name(const sqlalc_compiled *c, size_t i);
SQLALC_API const sqlalc_value *sqlalc_compiled_param_value(const sqlalc_compiled *c, size_t i);
SQLALC_API int sqlalc_compiled_param_type(const sqlalc_compiled *c, size_t i);
/* SQL the engine runs before (after = 0) and after (after = 1) the
 * statement, or NULL: on SQL Server "SET IDENTITY_INSERT [t] ON" / "… OFF"
 * around an INSERT that gives the table's IDENTITY column a value, as
 * SQLAlchemy's mssql dialect runs them (OFF also when the INSERT fails). */
SQLALC_API const char *sqlalc_compiled_around_sql(const sqlalc_compiled *c, int after);

/* An expanding IN compiled with its values (SQLAlchemy's
 * render_postcompile): each override in params named like an expanding
 * parameter is one value, so sqlalc_in_expanding(col, "ids") with three
 * "ids" values renders IN (:ids_1, :ids_2, :ids_3) (positional: one
 * placeholder each, in order), while the statement stays one cached shape
 * for any number of values.  No values: the empty IN.  The _sql form is the
 * display string (free with sqlalc_free()); the compiled form gives the
 * parameter order (sqlalc_compiled_param_name) and borrows the values from
 * params and stmt, so use it before either goes. */
SQLALC_API char *sqlalc_stmt_sql_postcompile(sqlalc_stmt *stmt, const sqlalc_dialect *d,
                                             const sqlalc_params *params);
SQLALC_API int sqlalc_compile_postcompile(sqlalc_stmt *stmt, const sqlalc_dialect *d, int paramstyle,
                                          const sqlalc_params *params, sqlalc_compiled **out);

/* ------------------------------------------------------------------ */
/* Executing                                                           */
/* ------------------------------------------------------------------ */

/*
 * Execute a statement on a connection.  overrides (may be NULL) replace
 * parameter values by name (a bindparam's name, "id_1", or a column name
 * for INSERT/UPDATE without values).  The compiled SQL is cached on the
 * statement per dialect, so executing it again skips compilation.  out may
 * be NULL.
 */
SQLALC_API int sqlalc_conn_execute(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                                   sqlalc_result **out);
/* sqlalc_conn_execute with execution options for this one statement (o
 * may be NULL; see sqlalc_execution_options in engine.h). */
SQLALC_API int sqlalc_conn_execute_opts(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                                        const sqlalc_execution_options *o, sqlalc_result **out);
/* Engine-level: a pooled connection, returned when the result is freed. */
SQLALC_API int sqlalc_engine_execute(sqlalc_engine *eng, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                                     sqlalc_result **out);
/* executemany: run an INSERT / UPDATE / DELETE once per parameter set,
 * through one prepared statement.  *rowcount (may be NULL) gets the total. */
SQLALC_API int sqlalc_conn_execute_many(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *sets,
                                        size_t nsets, int64_t *rowcount);

#ifdef __cplusplus
}
#endif
#endif

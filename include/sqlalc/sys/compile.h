/*
 * libsqlalc — the hooks a dialect gives the SQL compiler (src/sql).
 * Included by <sqlalc/sys/plugin.h>; needed only to write a dialect.
 *
 * The compiler is generic; a dialect describes how its SQL differs with
 * the flags below and, where text must be produced, callbacks that write
 * through the sqlalc_compiler_* functions (so binds stay bound).
 */
#ifndef SQLALC_SYS_COMPILE_H
#define SQLALC_SYS_COMPILE_H
#include "plugin.h"
#ifdef __cplusplus
extern "C" {
#endif

/* The compiler state a hook writes into (opaque). */
typedef struct sqlalc_compiler sqlalc_compiler;

/* Append raw SQL text. */
SQLALC_API void sqlalc_compiler_puts(sqlalc_compiler *c, const char *s);
/* Append an anonymous parameter (named param_N) bound to *v, which must
 * outlive the compiled statement (a value held by the statement or a
 * static constant). */
SQLALC_API void sqlalc_compiler_param(sqlalc_compiler *c, const sqlalc_value *v);
/* Append an anonymous parameter bound to the small constant v (-1, 0 or
 * 1), e.g. SQLite's LIMIT -1 when only OFFSET is given. */
SQLALC_API void sqlalc_compiler_param_const(sqlalc_compiler *c, int v);
/* Append an integer as SQL text (e.g. TOP n). */
SQLALC_API void sqlalc_compiler_literal_int(sqlalc_compiler *c, int64_t v);
/* Record a compile error (e.g. an unsupported combination); returns code. */
SQLALC_API int sqlalc_compiler_error(sqlalc_compiler *c, int code, const char *msg);

enum {
    SQLALC_LIMIT_LIMIT_OFFSET = 0, /* ... LIMIT n OFFSET m (hook may refine) */
    SQLALC_LIMIT_TOP_FETCH,        /* SELECT TOP n / OFFSET m ROWS FETCH FIRST n ROWS ONLY */
    /* SELECT TOP n for a limit alone; an OFFSET wraps the select in a
     * subquery numbering its rows (SQL Server before 2012, as SQLAlchemy):
     * SELECT anon_1.a FROM (SELECT t.a AS a, ROW_NUMBER() OVER (ORDER BY …)
     * AS mssql_rn FROM t) AS anon_1 WHERE mssql_rn > :offset AND mssql_rn
     * <= :limit + :offset */
    SQLALC_LIMIT_ROW_NUMBER
};
enum {
    SQLALC_RETURNING_NONE = 0,
    SQLALC_RETURNING_CLAUSE, /* ... RETURNING cols */
    SQLALC_RETURNING_OUTPUT  /* INSERT INTO t (...) OUTPUT inserted.x VALUES ... */
};

struct sqlalc_compile_hooks {
    unsigned version;               /* SQLALC_COMPILE_HOOKS_VERSION */
    const char *concat_op;          /* " || " or " + " */
    unsigned native_boolean : 1;    /* true/false literals (else 1/0) */
    unsigned has_ilike : 1;         /* ILIKE operator (else lower() LIKE lower()) */
    unsigned has_for_update : 1;    /* SELECT … FOR UPDATE */
    unsigned has_nulls_order : 1;   /* NULLS FIRST / NULLS LAST */
    unsigned has_upsert : 1;        /* INSERT … ON CONFLICT */
    unsigned has_multivalues : 1;   /* INSERT … VALUES (…), (…) */
    unsigned recursive_keyword : 1; /* WITH RECURSIVE (mssql: plain WITH) */
    unsigned empty_in_subquery : 1; /* empty IN as IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1) */
    /* An ORDER BY is only kept in a nested SELECT that limits its rows
     * (SQL Server refuses it otherwise; SQLAlchemy drops it, as in the
     * SELECT of an INSERT … SELECT). */
    unsigned order_needs_limit : 1;
    /* Window frame bounds (ROWS BETWEEN 2 PRECEDING …) as integer literals:
     * T-SQL's grammar takes no parameter there. */
    unsigned frame_bounds_literal : 1;
    /* An IN list past max_params is written inline only when every value
     * is an integer (which cannot inject); any other list is an error
     * naming the limit (else: every kind inline, literal-rendered). */
    unsigned inline_in_ints_only : 1;
    int limit_style;     /* SQLALC_LIMIT_* */
    int returning_style; /* SQLALC_RETURNING_* */
    /* Render the LIMIT / OFFSET clause after ORDER BY (LIMIT_OFFSET style);
     * limit / offset are NULL when not given.  NULL hook: the generic
     * "\n LIMIT n OFFSET m". */
    void (*limit_clause)(sqlalc_compiler *c, const sqlalc_value *limit, const sqlalc_value *offset);
    /* The dialect's name for a generic function (e.g. "length" → "LEN"),
     * or NULL to keep it. */
    const char *(*function_name)(const char *generic);
    /* Type name in CAST(x AS …) for a sqlalc_type_kind with its arguments.
     * NULL: the dialect's DDL spelling (ddl->type_sql), so a CAST names
     * the same type a CREATE TABLE would. */
    void (*cast_type)(sqlalc_compiler *c, int kind, int length, int precision, int scale);
    /* --- version 2 --- */
    /* LIKE's escape character when none is given ('\\' on PostgreSQL), 0
     * when there is none: contains/startswith/endswith then say ESCAPE ''
     * so every dialect matches the same rows. */
    char like_default_escape;
    /* How the literal renderer (sqlalc_stmt_sql_literal) writes a blob and
     * the non-finite floats: SQLALC_BLOB_LITERAL_*, SQLALC_FLOAT_LITERAL_*. */
    int blob_literal;
    int float_literal;
    /* --- version 3 --- */
    /* UPDATE / DELETE whose WHERE names tables besides the target:
     * SQLALC_UPDATE_FROM_* and SQLALC_DELETE_FROM_*.  0 (NONE): a compile
     * error naming the construct, never SQL that leaves the table out. */
    int update_from;
    int delete_from;
    /* --- version 4 --- */
    /* How a VALUES FROM item names its columns: SQLALC_VALUES_*. */
    int values_style;
    /* --- version 5 --- */
    /* Appended to an INSERT of one row whose RETURNING is only the table's
     * IDENTITY column, for a table that reads its new key that way
     * (sqlalc_opt_mssql_scope_identity): "; select scope_identity()"; the
     * row is the batch's second result.  NULL: the table option is ignored. */
    const char *scope_identity_select;
    /* An INSERT giving the table's IDENTITY column a value runs
     * "<identity_insert> <table> ON" before and "… OFF" after it
     * ("SET IDENTITY_INSERT" on SQL Server; sqlalc_compiled_around_sql).
     * NULL: nothing around. */
    const char *identity_insert;
};

enum {
    SQLALC_VALUES_COLUMN_ALIASES = 0, /* (VALUES (…), (…)) AS v (a, b) (SQLAlchemy's form) */
    SQLALC_VALUES_SELECT_COLUMNS      /* (SELECT column1 AS a, … FROM (VALUES …)) AS v (SQLite) */
};

enum {
    SQLALC_UPDATE_FROM_NONE = 0,
    SQLALC_UPDATE_FROM_EXTRA,       /* UPDATE t SET … FROM other WHERE … (PostgreSQL, SQLite 3.33+) */
    SQLALC_UPDATE_FROM_TARGET_EXTRA /* UPDATE t SET … FROM t, other WHERE … (SQL Server) */
};
enum {
    SQLALC_DELETE_FROM_NONE = 0,
    SQLALC_DELETE_FROM_USING,        /* DELETE FROM t USING other WHERE … (PostgreSQL) */
    SQLALC_DELETE_FROM_TARGET_EXTRA, /* DELETE FROM t FROM t, other WHERE … (SQL Server) */
    SQLALC_DELETE_FROM_COMMA         /* DELETE FROM t , other WHERE … (SQLAlchemy's generic form) */
};

enum {
    SQLALC_BLOB_LITERAL_X = 0, /* X'0102' (SQL standard, SQLite) */
    SQLALC_BLOB_LITERAL_0X,    /* 0x0102 (SQL Server, MySQL) */
    SQLALC_BLOB_LITERAL_BYTEA  /* decode('0102', 'hex') (PostgreSQL bytea) */
};
enum {
    SQLALC_FLOAT_LITERAL_FINITE = 0, /* NaN and infinities are refused */
    SQLALC_FLOAT_LITERAL_OVERFLOW,   /* infinities as 9e999 / -9e999 (SQLite), NaN refused */
    SQLALC_FLOAT_LITERAL_QUOTED      /* CAST('NaN' AS FLOAT), 'Infinity', '-Infinity' (PostgreSQL) */
};

#define SQLALC_COMPILE_HOOKS_VERSION 5

#ifdef __cplusplus
}
#endif
#endif

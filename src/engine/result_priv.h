/*
 * Results, rows and rowsets: the structs result.c works on, shared with
 * the rest of the engine through engine_priv.h.
 */
#ifndef SQLALC_RESULT_PRIV_H
#define SQLALC_RESULT_PRIV_H

#include "engine_int.h"

struct stmt_entry;

/* Chunked storage whose pointers never move: copies of row values and
 * text conversions handed to callers. */
typedef struct sqlalc__arena {
    struct arena_block *head;
} sqlalc__arena;

/*
 * A row handle.  What the getters' fast path needs sits first: st is the
 * driver statement while this is the result's current live row (NULL
 * otherwise: a stored row, a copy, or a row the result moved past), and
 * the driver's typed accessors (never NULL: a stub sends the getter to
 * its general path).
 */
struct sqlalc_row {
    void *st;
    int ncols;
    int (*get_int64)(void *st, int i, int64_t *out);
    int (*get_double)(void *st, int i, double *out);
    int (*get_text)(void *st, int i, const char **out, size_t *len);
    struct sqlalc_result *res; /* live row: read through the driver */
    const sqlalc_value *vals;  /* stored row (rowset), or NULL */
    const struct sqlalc_rowset *rs;
};

struct sqlalc_result {
    sqlalc_conn *conn;
    sqlalc_conn *owned_conn;  /* engine-level execution: closed with the result */
    struct stmt_entry *entry; /* cached statement, or NULL when private */
    void *st;
    const sqlalc_driver *drv;
    int state;    /* SQLALC_ROW, SQLALC_DONE, or 0 before the first step */
    int pending;  /* first step already done (row waiting) */
    int closed;   /* closed by an accessor (one, first, all …) or the connection */
    int orphaned; /* the connection closed while rows may have been pending */
    int fast;     /* on a live row with nothing copied or converted: next() just steps */
    int ncols;
    const char **names; /* lazily filled */
    int64_t rowcount;
    sqlalc_row row;
    sqlalc__arena conv;             /* text conversions of the current live row */
    struct sqlalc_rowset *snap;     /* the current row, copied before reading on */
    struct sqlalc_rowset *kept;     /* the row one/first/scalar returned */
    const char *sql;                /* for error messages: the SQL sent (borrowed or sql_copy) */
    char *sql_copy;                 /* owned copy when the statement is private */
    struct sqlalc__coltype *ctypes; /* the statement's result types (owned), or NULL: see result.c */
    int nctypes;
    struct sqlalc_rowset *buf;         /* every row read at execution (DML … RETURNING), or NULL */
    size_t bufpos;                     /* the next row of buf next() gives */
    struct sqlalc_result *next, *prev; /* conn's open list */
};

struct sqlalc_rowset {
    size_t n, cap;
    int ncols;
    char **names;
    sqlalc_value *vals;
    sqlalc_row *rows;
    sqlalc__arena arena; /* values' bytes, names and text conversions */
};

/* result.c */
int sqlalc__result_open(sqlalc_conn *conn, struct stmt_entry *e, void *st, int first_rc, const char *sql,
                        sqlalc_result **out);
void sqlalc__result_detach(sqlalc_result *res);  /* conn is closing */
void sqlalc__result_release(sqlalc_result *res); /* free what a spare result must not keep */
int sqlalc__row_value(const sqlalc_row *row, int i, sqlalc_value *v);
/* Give a fresh result the statement's result column types (copied):
 * values are converted to them as rows are read. */
int sqlalc__result_set_types(sqlalc_result *res, const struct sqlalc__coltype *t, size_t n);
/* Read every row now (INSERT/UPDATE/DELETE … RETURNING): the statement
 * completes, its rowcount is known before the caller reads a row (as
 * psycopg2 reports it), and next() then gives the stored rows. */
int sqlalc__result_buffer(sqlalc_result *res);

#endif

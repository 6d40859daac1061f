/*
 * The libpq driver's private interface, shared by its files:
 *   driver_libpq.c        the vtable, connecting, errors, transactions
 *   driver_libpq_param.c  parameters: types and wire encoding
 *   driver_libpq_stmt.c   statements: prepare, execute, stream rows
 *   driver_libpq_row.c    columns of the current row as values
 *   driver_libpq_batch.c  exec_batch: pipelines
 *   driver_libpq_copy.c   COPY FROM STDIN (sqlalc_pg_copy_*)
 */
#ifndef SQLALC_DRIVER_LIBPQ_H
#define SQLALC_DRIVER_LIBPQ_H

#include <libpq-fe.h>
#include "../dialects.h"
#include "../../src/util/util.h"
#include "pg_sql.h"

/* PostgreSQL type OIDs (pg_type.dat; stable across versions). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_JSON = 114,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_INTERVAL = 1186,
    OID_TIMETZ = 1266,
    OID_NUMERIC = 1700,
    OID_UUID = 2950,
    OID_JSONB = 3802
};

/* How a column's text becomes a value; K_B_*: a column sent in binary
 * format (see sqlalc__pq_result_format). */
enum {
    K_TEXT = 0,
    K_INT,
    K_FLOAT,
    K_BOOL,
    K_BYTEA,
    K_TZ,
    K_B_INT2,
    K_B_INT4,
    K_B_OID,
    K_B_INT8,
    K_B_FLOAT4,
    K_B_FLOAT8,
    K_B_BOOL,
    K_B_BYTEA,
    K_B_UUID,
    K_B_JSONB
};

#define PIPELINE_SYNC_EVERY 1000 /* generic pipeline: rows between syncs */
#define DEALLOC_FLUSH 32         /* queued DEALLOCATEs sent together */
#define ARENA_KEEP (1u << 20)    /* parameter arena kept between executions up to this size */
#define DESCRIBE_MAX_PARAMS 7000 /* (4 bytes each in a ParameterDescription) */

typedef struct pq_stmt pq_stmt;

typedef struct pq_conn {
    PGconn *pg;
    char *url;       /* masked URL, for messages */
    unsigned seq;    /* statement name counter (names are never reused) */
    pq_stmt *active; /* statement whose rows are on the wire */
    char **dealloc;  /* prepared statements to DEALLOCATE lazily */
    size_t ndealloc, dealloc_cap;
    int copying;    /* a COPY FROM STDIN is open: nothing else may run */
    unsigned txgen; /* counts the moments seen outside a transaction block */
} pq_conn;

typedef struct pq_param {
    const char *direct; /* value memory used in place, or NULL: arena offset */
    size_t off;
    int len;
    int fmt; /* 0 text, 1 binary */
    int isnull;
} pq_param;

struct pq_stmt {
    pq_conn *c;
    char *sql;
    size_t len;
    char name[24]; /* server-side name once prepared */
    int prepared;
    int nparams;
    Oid *ptypes; /* types it was prepared with (pcap) */
    Oid *want;   /* types the bound values ask for (pcap) */
    pq_param *params;
    int pcap;
    const char **pv; /* libpq parameter arrays (pcap) */
    int *pl, *pf;
    sqlalc_buf arena; /* parameter text of the execution being built */

    int state;      /* 0 ready to run, 1 rows on the wire, 2 done */
    PGresult *meta; /* result holding the column description */
    PGresult *cur;  /* current row (single-row mode: row 0; a cursor's batch: row ri), may be meta */
    int ri;         /* row of cur that is current */
    int ncols;
    unsigned char *kind; /* per column K_* */
    sqlalc_vtype *vt;    /* per column value type for K_TEXT */
    char **cbuf;         /* per column conversion buffers (bytea, tz) */
    size_t *ccap;
    int64_t rowcount;
    int stale_plan; /* the last run failed on a plan made before DDL */
    int rfmt;       /* result format asked for when run: 0 text, 1 binary (a bytea column) */
    /* The rest of a result read early (sqlalc__pq_idle) so that another
     * command can use the wire: rows packed into blocks (pq_rows), the
     * results after them (the end, an error) in stash. */
    struct pq_block *rows_head, *rows_tail;
    size_t rows_pos;           /* read offset in rows_head */
    const unsigned char *rowp; /* current row when it is a packed one */
    PGresult **stash;
    size_t nstash, spos, scap;
    int stashed;
    int stash_err; /* reading the rest failed: the result ends with this */
    int tx_before; /* PQtransactionStatus when the command was sent */

    /* server-side cursor (prepare_cursor): 0 none, else its SQL */
    char *cur_declare, *cur_declare_hold, *cur_fetch, *cur_close;
    int cur_open;       /* declared and not closed */
    int cur_hold;       /* declared WITH HOLD (outlives its transaction) */
    unsigned cur_txgen; /* c->txgen when declared */
    int64_t cur_rows;
};

/* driver_libpq.c: connection */
/* Make the wire free for a new command: rows of a statement still
 * streaming are read into that statement's stash. */
int sqlalc__pq_idle(pq_conn *c);
/* Record the error of r (may be NULL: the connection's message) for sql
 * (may be NULL); returns the library code. */
int sqlalc__pq_error(pq_conn *c, const PGresult *r, const char *sql);
/* Read and drop results until libpq says the command is over. */
void sqlalc__pq_drain(pq_conn *c);
/* Send queued DEALLOCATEs in one command (statements the engine dropped). */
void sqlalc__pq_flush_dealloc(pq_conn *c);

/* driver_libpq_param.c: parameters */
/* A text or blob value without a pointer is SQL NULL (core.h). */
int sqlalc__pq_is_null(const sqlalc_value *v);
/* SQLALC_ERR_DATA when v is text holding a NUL byte (PostgreSQL text
 * cannot: it would be cut there), naming parameter idx. */
int sqlalc__pq_check_text(const sqlalc_value *v, int idx);
/* The parameter type a value asks for (0: let the server infer it). */
Oid sqlalc__pq_oid_for(const sqlalc_value *v);
/* Encode v for a slot of type slot (0: untyped).  copy: the value's memory
 * does not outlive the call. */
void sqlalc__pq_encode(sqlalc_buf *a, pq_param *p, const sqlalc_value *v, Oid slot, int copy);
int sqlalc__pq_ensure_params(pq_stmt *s, int n);
/* Fill the libpq arrays from params [0, n) (arena offsets → pointers). */
int sqlalc__pq_resolve_params(pq_stmt *s, int n);
/* Merge the types the values want into ptypes; non-zero when a new
 * PQprepare is needed. */
int sqlalc__pq_types_merge(pq_stmt *s, const Oid *want, int n);

/* driver_libpq_stmt.c: statements */
int sqlalc__pq_prepare(void *conn, const char *sql, size_t len, int nparams, void **out);
int sqlalc__pq_bind(void *stmt, int idx, const sqlalc_value *v);
int sqlalc__pq_step(void *stmt);
int sqlalc__pq_reset(void *stmt);
int sqlalc__pq_discard(void *stmt);
int sqlalc__pq_prepare_cursor(void *conn, const char *sql, const char *declare, const char *declare_hold,
                              const char *fetch, const char *close, int nparams, void **out);
void sqlalc__pq_finalize(void *stmt);
/* Read the rest of s's result into its stash (the wire is needed). */
int sqlalc__pq_stash_rest(pq_stmt *s);
/* Queue a server-side statement for DEALLOCATE. */
void sqlalc__pq_forget_name(pq_conn *c, const char *name);
/* PQprepare the statement with the given parameter types. */
int sqlalc__pq_server_prepare(pq_stmt *s, int ntypes, const Oid *types);
/* A command tag's row count, -1 when it has none. */
int64_t sqlalc__pq_parse_count(const char *t);

/* Packed rows: for each row ncols (offset, length) pairs (length -1:
 * NULL) then the values, each NUL-terminated.  Blocks are freed as they
 * are read. */
typedef struct pq_block {
    struct pq_block *next;
    size_t used, cap;
    unsigned char data[];
} pq_block;
void sqlalc__pq_rows_free(pq_stmt *s);

/* driver_libpq_row.c: columns */
/* Non-zero when columns of type t can be read in binary format. */
int sqlalc__pq_binary_ok(Oid t);
/* The result format for a statement described by d: binary (1) when
 * every column can be read in binary (a bytea then comes without hex text
 * twice its size and a decoded copy; numbers without parsing) and float4
 * columns come with a bytea; else text (0). */
int sqlalc__pq_result_format(const PGresult *d);
/* The result's column description arrived: size the per-column arrays. */
int sqlalc__pq_set_meta(pq_stmt *s, PGresult *r);
int sqlalc__pq_column_count(void *stmt);
const char *sqlalc__pq_column_name(void *stmt, int i);
const char *sqlalc__pq_column_decltype(void *stmt, int i);
int sqlalc__pq_column_value(void *stmt, int i, sqlalc_value *out);
int sqlalc__pq_column_int64(void *stmt, int i, int64_t *out);
int sqlalc__pq_column_double(void *stmt, int i, double *out);
int sqlalc__pq_column_text(void *stmt, int i, const char **out, size_t *len);
int64_t sqlalc__pq_rowcount(void *stmt);

/* driver_libpq_batch.c */
int sqlalc__pq_exec_batch(void *stmt, const sqlalc_value *values, size_t nsets, int nparams,
                          int64_t *rowcount);

#endif

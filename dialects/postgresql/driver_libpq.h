/* The libpq driver's private interface, shared by driver_libpq*.c. */
#ifndef SQLALC_DRIVER_LIBPQ_H
#define SQLALC_DRIVER_LIBPQ_H

#include <libpq-fe.h>
#include "../dialects.h"
#include "../../src/util/util.h"

typedef struct pq_stmt pq_stmt;

typedef struct pq_conn {
    PGconn *pg;
    char *url;       /* masked URL, for messages */
    unsigned seq;    /* statement name counter (names are never reused) */
    pq_stmt *active; /* statement whose rows are on the wire */
    char **dealloc;  /* prepared statements to DEALLOCATE lazily */
    size_t ndealloc, dealloc_cap;
    int copying; /* a COPY FROM STDIN is open: nothing else may run */
} pq_conn;

/* Make the wire free for a new command: rows of a statement still
 * streaming are read into that statement's stash. */
int sqlalc__pq_idle(pq_conn *c);
/* Record the error of r (may be NULL: the connection's message) for sql
 * (may be NULL); returns the library code. */
int sqlalc__pq_error(pq_conn *c, const PGresult *r, const char *sql);
/* Quote an identifier (possibly schema-qualified "s.t") for PostgreSQL. */
void sqlalc__pq_quote_ident(sqlalc_buf *b, const char *name);

#endif

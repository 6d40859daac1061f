/*
 * Results that stream through a server-side cursor (execution option
 * stream_results / yield_per), and the read-only test that lets a result
 * dropped early stop its query instead of reading it to the end.
 */
#ifndef SQLALC_STREAM_H
#define SQLALC_STREAM_H

#include "engine_priv.h"

/* Rows per batch when yield_per is not given. */
#define SQLALC_STREAM_DEFAULT_BATCH 1000

/* Non-zero when the statement of sql (driver paramstyle) only reads: it
 * starts with SELECT, VALUES, TABLE or WITH and names no INSERT, UPDATE,
 * DELETE, MERGE or INTO anywhere (found with the one lexer, so words in
 * strings, identifiers and comments do not count). */
int sqlalc__sql_reads_only(const char *sql, size_t len, unsigned syntax);

/* Whether a result may be stopped early: its statement (cached entry e,
 * or private with the SQL shown in messages) only reads. */
int sqlalc__stmt_reads_only(const sqlalc_conn *conn, stmt_entry *e, const char *sql, int sql_truncated);

/* For a statement about to run with stream_results: when the driver and
 * dialect have cursors and the statement is a query, *cst is a private
 * driver statement running sql through a cursor fetched per rows at a
 * time (0: the default); else *cst is NULL and the statement runs as it is. */
int sqlalc__stream_prepare(sqlalc_conn *conn, const char *sql, int nparams, size_t per, void **cst);

#endif

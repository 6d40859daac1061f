/*
 * Engine internals other parts of src/engine (DDL runner, inspector,
 * statement execution) and src/engine's own files share.
 */
#ifndef SQLALC_ENGINE_INT_H
#define SQLALC_ENGINE_INT_H

#include "sqlalc.h"
#include "../util/util.h"

/* The dialect and driver an engine / connection uses. */
const sqlalc_dialect *sqlalc__engine_dialect(const sqlalc_engine *eng);
const sqlalc_dialect *sqlalc__conn_dialect(const sqlalc_conn *conn);
const sqlalc_driver *sqlalc__conn_driver(const sqlalc_conn *conn);

/*
 * Run SQL already written in the driver's paramstyle, with nvals
 * positional values, through the connection's prepared-statement cache.
 * Autocommits outside an explicit transaction.  out may be NULL.
 * label (may be NULL) is the display SQL echo prints instead of sql.
 */
int sqlalc__conn_exec_compiled(sqlalc_conn *conn, const char *sql, size_t len, const sqlalc_value *vals,
                               int nvals, sqlalc_result **out);
/* The same with the statement's effective execution options (NULL: the
 * connection's) and its compiled parameters (ptypes, NULL when unknown:
 * their types reach the driver's bind_typed). */
struct sqlalc_cparam;
int sqlalc__conn_exec_compiled_opts(sqlalc_conn *conn, const char *sql, size_t len, const sqlalc_value *vals,
                                    int nvals, const struct sqlalc_cparam *ptypes,
                                    const sqlalc_execution_options *eo, sqlalc_result **out);
/* Effective options of one statement: the connection's with o applied
 * (statement-level rules); *eo points at conn's or at tmp. */
int sqlalc__conn_stmt_opts(const sqlalc_conn *conn, const sqlalc_execution_options *o,
                           sqlalc_execution_options *tmp, const sqlalc_execution_options **eo);
/* Same, for SQL that will not come again (values inline): prepared for
 * this execution only, never kept in the statement cache. */
int sqlalc__conn_exec_compiled_once(sqlalc_conn *conn, const char *sql, size_t len, const sqlalc_value *vals,
                                    int nvals, const struct sqlalc_cparam *ptypes,
                                    const sqlalc_execution_options *eo, sqlalc_result **out);
/* executemany with parameter sets produced on demand: fill writes sets
 * first..first+n-1 (n * nvals values, row-major) into vals; a failure it
 * returns (with the error recorded) undoes the whole run.  For messages,
 * fill's set i is the caller's sets base + i*per .. base + (i+1)*per - 1
 * (per > 1: each execution carries several of the caller's sets).  A
 * failure is named "executemany parameter set N" when per is 1; when per
 * is more, the caller's range is left as the error's batch position
 * (sqlalc__error_batch_position) for the caller to narrow. */
typedef int (*sqlalc__fill_fn)(void *ctx, size_t first, size_t n, sqlalc_value *vals);
int sqlalc__conn_exec_compiled_fill(sqlalc_conn *conn, const char *sql, size_t len, int nvals, size_t nsets,
                                    sqlalc__fill_fn fill, void *ctx, const struct sqlalc_cparam *ptypes,
                                    size_t base, size_t per, int64_t *rowcount);
/* SQL without parameters or rows through the driver's exec_simple (a batch
 * of its own), with the statement events. */
int sqlalc__conn_exec_direct(sqlalc_conn *conn, const char *sql);
/* Engine-level variant: checks out a connection that the result returns. */
int sqlalc__engine_exec_compiled(sqlalc_engine *eng, const char *sql, size_t len, const sqlalc_value *vals,
                                 int nvals, sqlalc_result **out);

/* Give the result the connection to release when it is freed. */
void sqlalc__result_own_conn(sqlalc_result *res, sqlalc_conn *conn);

/*
 * For a driver's own public API (e.g. sqlalc_pg_copy_in): the driver
 * connection behind conn, after the usual checks (NULL conn, invalidated
 * connection: error recorded, NULL returned).  conn_fail records what an
 * error means for the connection (a disconnect invalidates it).
 */
void *sqlalc__conn_driver_handle(sqlalc_conn *conn);
int sqlalc__conn_fail(sqlalc_conn *conn, int rc);

/* Registry (src/engine/registry.c). */
const sqlalc_driver *sqlalc__find_driver(const char *name);
const sqlalc_dialect *sqlalc__find_dialect(const char *name);
/* The reflection hooks conn uses (reflect.c): the dialect's, or the
 * driver's catalog_reflect (?odbc_reflection=catalog, or no dialect hooks). */
const sqlalc_reflect_hooks *sqlalc__conn_reflect_hooks(sqlalc_conn *conn);

/* Echo a line through the engine's log (no-op unless echo is on). */
void sqlalc__engine_log(const sqlalc_engine *eng, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif

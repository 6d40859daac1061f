/*
 * libsqlalc — PostgreSQL-only API (libpq driver).  Include after
 * <sqlalc.h>; available when the library was built with libpq
 * (SQLALC_WITH_POSTGRESQL).
 */
#ifndef SQLALC_POSTGRESQL_H
#define SQLALC_POSTGRESQL_H

#include "../sqlalc.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Bulk load with COPY … FROM STDIN, the fastest way into a PostgreSQL
 * table (about twice as fast as multi-row INSERT).
 *
 * table:   table name, optionally "schema.table"; quoted as given (case
 *          kept), so pass the name as it is stored.
 * columns: ncols column names, or NULL for all columns in table order
 *          (ncols is then the number of values per row).
 * rows:    nrows × ncols values, row-major; NULL, INT, FLOAT, BOOL, text
 *          kinds and BLOB are accepted, converted as for bound parameters.
 * count:   rows loaded (may be NULL).
 *
 * One COPY command: all rows or none.  Runs in the connection's current
 * transaction, else commits on its own.  Fails with SQLALC_ERR_ARGUMENT
 * when conn is not a libpq connection; constraint and conversion errors
 * come back with SQLSTATE, detail and the line as the server reports them.
 */
SQLALC_API int sqlalc_pg_copy_in(sqlalc_conn *conn, const char *table, const char *const *columns, int ncols,
                                 const sqlalc_value *rows, size_t nrows, int64_t *count);

/*
 * The same, streamed: rows go in as many put calls as the caller likes
 * (e.g. while reading a file), so nothing needs to be held in memory.
 *
 *   sqlalc_pg_copy *cp;
 *   sqlalc_pg_copy_begin(conn, "player", cols, 3, &cp);
 *   while (more) sqlalc_pg_copy_put(cp, rows, n);   // n rows of 3 values
 *   sqlalc_pg_copy_end(cp, &count);                  // commits the COPY
 *
 * While a COPY is open the connection runs nothing else (other calls on
 * it fail with SQLALC_ERR_INTERFACE).  sqlalc_pg_copy_end always frees
 * cp; when put failed, or abort is wanted, sqlalc_pg_copy_abort frees it
 * and makes the server discard every row of this COPY.  The values of a
 * put call are used during the call only.
 */
typedef struct sqlalc_pg_copy sqlalc_pg_copy;
SQLALC_API int sqlalc_pg_copy_begin(sqlalc_conn *conn, const char *table, const char *const *columns,
                                    int ncols, sqlalc_pg_copy **out);
SQLALC_API int sqlalc_pg_copy_put(sqlalc_pg_copy *cp, const sqlalc_value *rows, size_t nrows);
SQLALC_API int sqlalc_pg_copy_end(sqlalc_pg_copy *cp, int64_t *count);
SQLALC_API void sqlalc_pg_copy_abort(sqlalc_pg_copy *cp);

#ifdef __cplusplus
}
#endif
#endif

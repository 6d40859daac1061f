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

#ifdef __cplusplus
}
#endif
#endif

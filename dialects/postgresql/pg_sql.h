/*
 * PostgreSQL statements the libpq driver needs for wire operations libpq
 * (before 17) has no protocol call for: closing a named prepared
 * statement, and the COPY that sqlalc_pg_copy_* opens.  Written here, in
 * the dialect's folder, so that the driver files hold no SQL.
 */
#ifndef SQLALC_PG_SQL_H
#define SQLALC_PG_SQL_H

#include "../../src/util/util.h"

/* Append name quoted as an identifier (possibly schema-qualified "s.t"). */
void sqlalc__pq_quote_ident(sqlalc_buf *b, const char *name);
/* Append the statement that drops the prepared statement name. */
void sqlalc__pg_deallocate_sql(sqlalc_buf *b, const char *name);
/* The COPY … FROM STDIN of table's columns (all when columns is NULL). */
void sqlalc__pg_copy_in_sql(sqlalc_buf *b, const char *table, const char *const *columns, int ncols);

#endif

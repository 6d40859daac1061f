/* Shared by the odbc driver's files. */
#ifndef SQLALC_ODBC_INT_H
#define SQLALC_ODBC_INT_H
#include <sql.h>
#include <sqlext.h>
#include "../dialects.h"

/* The ODBC connection handle of a driver connection (driver_odbc.c). */
SQLHDBC sqlalc__odbc_dbc(void *conn);
/* Record a handle's diagnostics as the last error (driver_odbc.c). */
int sqlalc__odbc_diag(SQLSMALLINT type, SQLHANDLE h, SQLRETURN ret, const char *what, void *conn);
/* Reflection through the catalog functions (reflect_catalog.c). */
extern const sqlalc_reflect_hooks sqlalc__odbc_catalog_reflect_hooks;

#endif

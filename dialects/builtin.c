/* The built-in dialect and driver tables the registry starts with. */
#include <string.h>
#include "dialects.h"

const sqlalc_dialect *const sqlalc__builtin_dialects[] = {
    &sqlalc__dialect_sqlite,
    &sqlalc__dialect_postgresql,
    &sqlalc__dialect_mssql,
    NULL,
};

const sqlalc_driver *const sqlalc__builtin_drivers[] = {
    &sqlalc__driver_sqlite3,
#ifdef SQLALC_HAVE_POSTGRESQL
    &sqlalc__driver_libpq,
#endif
#ifdef SQLALC_HAVE_ODBC
    &sqlalc__driver_odbc,
#endif
    NULL,
};

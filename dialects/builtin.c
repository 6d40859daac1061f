/*
 * The built-in dialect and driver tables the registry starts with.  A new
 * dialect is one X(name) line here (its table is sqlalc__dialect_<name>,
 * defined in dialects/<name>/); a new driver one X(name) line under the
 * SQLALC_HAVE_… macro its CMake option defines.
 */
#include <string.h>
#include "dialects.h"

#define SQLALC_BUILTIN_DIALECTS(X) X(sqlite) X(postgresql) X(mssql)

#define DECLARE_DIALECT(n) extern const sqlalc_dialect sqlalc__dialect_##n;
#define LIST_DIALECT(n) &sqlalc__dialect_##n,
SQLALC_BUILTIN_DIALECTS(DECLARE_DIALECT)

const sqlalc_dialect *const sqlalc__builtin_dialects[] = { SQLALC_BUILTIN_DIALECTS(LIST_DIALECT) NULL };

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

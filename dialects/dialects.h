/* The built-in dialects and drivers, and the hook tables each dialect's
 * files define.  Only dialects/ and the registry's builtin list use this. */
#ifndef SQLALC_DIALECTS_H
#define SQLALC_DIALECTS_H
#include "sqlalc/sys/plugin.h"
#include "../src/util/util.h" /* sqlalc__word_in for the reserved-word lists */

extern const sqlalc_dialect sqlalc__dialect_sqlite;
extern const sqlalc_dialect sqlalc__dialect_postgresql;
extern const sqlalc_dialect sqlalc__dialect_mssql;      /* no server version known */
extern const sqlalc_dialect sqlalc__dialect_mssql_2008; /* 10 */
extern const sqlalc_dialect sqlalc__dialect_mssql_2012; /* 11 and later */

extern const sqlalc_compile_hooks sqlalc__sqlite_compile_hooks;
extern const sqlalc_compile_hooks sqlalc__postgresql_compile_hooks;
extern const sqlalc_compile_hooks sqlalc__mssql_compile_hooks;
extern const sqlalc_ddl_hooks sqlalc__sqlite_ddl_hooks;
extern const sqlalc_ddl_hooks sqlalc__postgresql_ddl_hooks;
extern const sqlalc_ddl_hooks sqlalc__mssql_ddl_hooks;
extern const sqlalc_reflect_hooks sqlalc__sqlite_reflect_hooks;
extern const sqlalc_reflect_hooks sqlalc__postgresql_reflect_hooks;
extern const sqlalc_reflect_hooks sqlalc__mssql_reflect_hooks;
/* The other statements mssql reflection runs (NULL-ended; tests/tsql). */
extern const char *const sqlalc__mssql_engine_queries[];

extern const sqlalc_driver sqlalc__driver_sqlite3;
#ifdef SQLALC_HAVE_POSTGRESQL
extern const sqlalc_driver sqlalc__driver_libpq;
#endif
#ifdef SQLALC_HAVE_ODBC
extern const sqlalc_driver sqlalc__driver_odbc;
#endif

#define SQLALC_ARRAY_LEN_(a) (sizeof(a) / sizeof((a)[0]))

#endif

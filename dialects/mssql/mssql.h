/* The SQL Server dialect's tables, one set per server generation
 * (dialect.c picks one from the server version). */
#ifndef SQLALC_DIALECT_MSSQL_H
#define SQLALC_DIALECT_MSSQL_H
#include "../dialects.h"

extern const sqlalc_compile_hooks sqlalc__mssql2008_compile_hooks;
extern const sqlalc_compile_hooks sqlalc__mssql2012_compile_hooks;
extern const sqlalc_ddl_hooks sqlalc__mssql2008_ddl_hooks;
extern const sqlalc_ddl_hooks sqlalc__mssql2012_ddl_hooks;

#endif

/*
 * libsqlalc — SQL Server's own types (SQLAlchemy's sqlalchemy.dialects.mssql
 * types).  Include <sqlalc/mssql.h> after <sqlalc.h>.
 */
#ifndef SQLALC_MSSQL_H
#define SQLALC_MSSQL_H
#include "schema.h"
#ifdef __cplusplus
extern "C" {
#endif

/*
 * DATETIME2 (mssql.DATETIME2): DATETIME2(precision) on SQL Server,
 * precision -1 for plain DATETIME2 (7 digits, the server's default); a
 * DateTime on every other dialect.  Plain sqlalc_type_datetime() is
 * DATETIME on SQL Server, as in SQLAlchemy (1/300 s resolution).  NULL on
 * a precision outside -1..7.
 */
SQLALC_API sqlalc_type *sqlalc_mssql_datetime2(int precision);

#ifdef __cplusplus
}
#endif
#endif

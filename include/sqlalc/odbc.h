/*
 * libsqlalc — ODBC-only API (the odbc driver).  Include after <sqlalc.h>;
 * available when the library was built with unixODBC (SQLALC_WITH_ODBC).
 */
#ifndef SQLALC_ODBC_H
#define SQLALC_ODBC_H

#include "../sqlalc.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A debug trace of the odbc driver's parameter binding: fn is called for
 * every SQLBindParameter with the parameter's 0-based index, the C type
 * and SQL type passed (ODBC's SQL_C_* and SQL_* codes from <sqlext.h>:
 * SQL_C_WCHAR with SQL_WVARCHAR for text bound to a Unicode column,
 * SQL_C_CHAR with SQL_VARCHAR otherwise, the long types past 4,000
 * characters / 8,000 bytes) and the column size (4,000 / 8,000 for the
 * bounded types, the length for the long ones).  It is called for every
 * parameter bound, also when the binding is unchanged and the driver
 * skips calling SQLBindParameter again.  Process-wide, for
 * tests and debugging; fn NULL turns it off.  fn runs on the executing
 * thread, under a lock: it must not call back into the library.
 */
typedef void (*sqlalc_odbc_bind_trace_fn)(void *ud, int idx, int c_type, int sql_type, size_t column_size);
SQLALC_API void sqlalc_odbc_set_bind_trace(sqlalc_odbc_bind_trace_fn fn, void *ud);

#ifdef __cplusplus
}
#endif
#endif

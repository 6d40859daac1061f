/*
 * libsqlalc — names of release 0.1 kept for one release (removed in 0.3).
 * Included by <sqlalc.h>.  Each forwards to its new name; the compiler
 * warns where one is used.  Define SQLALC_NO_DEPRECATED to leave them out.
 *
 * Why the new names: every entry point that takes raw SQL says "sql"
 * (sqlalc_conn_execute_sql, sqlalc_text_sql, sqlalc_literal_column) and no
 * bound-value constructor does (sqlalc_str, sqlalc_int …); functions are
 * sqlalc_<noun>_<verb> (sqlalc_engine_connect, sqlalc_conn_begin,
 * sqlalc_tx_commit); type constructors are sqlalc_type_<kind>.
 */
#ifndef SQLALC_DEPRECATED_H
#define SQLALC_DEPRECATED_H
#include "core.h"
#include "engine.h"
#include "schema.h"
#include "expr.h"
#ifndef SQLALC_NO_DEPRECATED
#    ifdef __cplusplus
extern "C" {
#    endif

SQLALC_API SQLALC_DEPRECATED("use sqlalc_engine_connect") int sqlalc_connect(sqlalc_engine *eng,
                                                                             sqlalc_conn **out);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_conn_execute_sql") int sqlalc_exec_text(sqlalc_conn *conn,
                                                                                 const char *sql,
                                                                                 const sqlalc_params *params,
                                                                                 sqlalc_result **out);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_conn_execute_sql_many") int sqlalc_exec_text_many(
    sqlalc_conn *conn, const char *sql, const sqlalc_params *sets, size_t nsets, int64_t *rowcount);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_conn_execute") int sqlalc_execute(sqlalc_conn *conn,
                                                                           sqlalc_stmt *stmt,
                                                                           const sqlalc_params *overrides,
                                                                           sqlalc_result **out);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_conn_execute_many") int sqlalc_execute_many(
    sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *sets, size_t nsets, int64_t *rowcount);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_engine_execute_sql") int sqlalc_engine_exec_text(
    sqlalc_engine *eng, const char *sql, const sqlalc_params *params, sqlalc_result **out);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_conn_begin") int sqlalc_begin(sqlalc_conn *conn, sqlalc_tx **out);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_conn_begin_nested") int sqlalc_begin_nested(sqlalc_conn *conn,
                                                                                     sqlalc_tx **out);
SQLALC_API
SQLALC_DEPRECATED("use sqlalc_conn_in_transaction") int sqlalc_in_transaction(const sqlalc_conn *conn);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_str") sqlalc_expr *sqlalc_text(const char *s);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_literal_column") sqlalc_expr *sqlalc_literal_sql(const char *sql);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_integer") sqlalc_type *sqlalc_integer(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_smallint") sqlalc_type *sqlalc_smallint(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_bigint") sqlalc_type *sqlalc_bigint(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_float") sqlalc_type *sqlalc_float_type(void);
SQLALC_API
SQLALC_DEPRECATED("use sqlalc_type_float_precision") sqlalc_type *sqlalc_float_precision(int precision);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_numeric") sqlalc_type *sqlalc_numeric(int precision, int scale);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_string") sqlalc_type *sqlalc_string(int length);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_text") sqlalc_type *sqlalc_text_type(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_unicode") sqlalc_type *sqlalc_unicode(int length);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_unicode_text") sqlalc_type *sqlalc_unicode_text(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_boolean") sqlalc_type *sqlalc_boolean(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_date") sqlalc_type *sqlalc_date_type(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_time") sqlalc_type *sqlalc_time_type(int timezone);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_datetime") sqlalc_type *sqlalc_datetime(int timezone);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_large_binary") sqlalc_type *sqlalc_large_binary(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_json") sqlalc_type *sqlalc_json_type(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_interval") sqlalc_type *sqlalc_interval_type(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_uuid") sqlalc_type *sqlalc_uuid_type(void);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_enum_array")
    sqlalc_type *sqlalc_enum_array(const char *name, const char *const *values, size_t n);
SQLALC_API SQLALC_DEPRECATED("use sqlalc_type_user") sqlalc_type *sqlalc_user_type(const char *sql);
/* The first column of the first row as an integer; FREES the result
 * whatever happens; SQLALC_DONE when there is no row.  The getter that
 * freed its argument: use sqlalc_result_scalar / sqlalc_result_scalar_one
 * (they close the result but leave freeing it to the caller). */
SQLALC_API SQLALC_DEPRECATED("use sqlalc_result_scalar") int sqlalc_result_scalar_int64(sqlalc_result *res,
                                                                                        int64_t *out);
#    define sqlalc_enum_new sqlalc_type_enum_new
#    define sqlalc_enum(name, ...) sqlalc_type_enum_new((name), __VA_ARGS__, (const char *)NULL)

#    ifdef __cplusplus
}
#    endif
#endif
#endif

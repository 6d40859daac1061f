/* Forwarders for the 0.1 names of <sqlalc/deprecated.h>. */
#include "sqlalc.h"
#include "sqlalc/sys/plugin.h"

int sqlalc_connect(sqlalc_engine *eng, sqlalc_conn **out)
{
    return sqlalc_engine_connect(eng, out);
}

int sqlalc_exec_text(sqlalc_conn *conn, const char *sql, const sqlalc_params *params, sqlalc_result **out)
{
    return sqlalc_conn_execute_sql(conn, sql, params, out);
}

int sqlalc_exec_text_many(sqlalc_conn *conn, const char *sql, const sqlalc_params *sets, size_t nsets,
                          int64_t *rowcount)
{
    return sqlalc_conn_execute_sql_many(conn, sql, sets, nsets, rowcount);
}

int sqlalc_execute(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *overrides, sqlalc_result **out)
{
    return sqlalc_conn_execute(conn, stmt, overrides, out);
}

int sqlalc_execute_many(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *sets, size_t nsets,
                        int64_t *rowcount)
{
    return sqlalc_conn_execute_many(conn, stmt, sets, nsets, rowcount);
}

int sqlalc_engine_exec_text(sqlalc_engine *eng, const char *sql, const sqlalc_params *params,
                            sqlalc_result **out)
{
    return sqlalc_engine_execute_sql(eng, sql, params, out);
}

int sqlalc_begin(sqlalc_conn *conn, sqlalc_tx **out)
{
    return sqlalc_conn_begin(conn, out);
}

int sqlalc_begin_nested(sqlalc_conn *conn, sqlalc_tx **out)
{
    return sqlalc_conn_begin_nested(conn, out);
}

int sqlalc_in_transaction(const sqlalc_conn *conn)
{
    return sqlalc_conn_in_transaction(conn);
}

sqlalc_expr *sqlalc_text(const char *s)
{
    return sqlalc_str(s);
}

sqlalc_expr *sqlalc_literal_sql(const char *sql)
{
    return sqlalc_literal_column(sql);
}

sqlalc_type *sqlalc_integer(void)
{
    return sqlalc_type_integer();
}

sqlalc_type *sqlalc_smallint(void)
{
    return sqlalc_type_smallint();
}

sqlalc_type *sqlalc_bigint(void)
{
    return sqlalc_type_bigint();
}

sqlalc_type *sqlalc_float_type(void)
{
    return sqlalc_type_float();
}

sqlalc_type *sqlalc_float_precision(int precision)
{
    return sqlalc_type_float_precision(precision);
}

sqlalc_type *sqlalc_numeric(int precision, int scale)
{
    return sqlalc_type_numeric(precision, scale);
}

sqlalc_type *sqlalc_string(int length)
{
    return sqlalc_type_string(length);
}

sqlalc_type *sqlalc_text_type(void)
{
    return sqlalc_type_text();
}

sqlalc_type *sqlalc_unicode(int length)
{
    return sqlalc_type_unicode(length);
}

sqlalc_type *sqlalc_unicode_text(void)
{
    return sqlalc_type_unicode_text();
}

sqlalc_type *sqlalc_boolean(void)
{
    return sqlalc_type_boolean();
}

sqlalc_type *sqlalc_date_type(void)
{
    return sqlalc_type_date();
}

sqlalc_type *sqlalc_time_type(int timezone)
{
    return sqlalc_type_time(timezone);
}

sqlalc_type *sqlalc_datetime(int timezone)
{
    return sqlalc_type_datetime(timezone);
}

sqlalc_type *sqlalc_large_binary(void)
{
    return sqlalc_type_large_binary();
}

sqlalc_type *sqlalc_json_type(void)
{
    return sqlalc_type_json();
}

sqlalc_type *sqlalc_interval_type(void)
{
    return sqlalc_type_interval();
}

sqlalc_type *sqlalc_uuid_type(void)
{
    return sqlalc_type_uuid();
}

sqlalc_type *sqlalc_enum_array(const char *name, const char *const *values, size_t n)
{
    return sqlalc_type_enum_array(name, values, n);
}

sqlalc_type *sqlalc_user_type(const char *sql)
{
    return sqlalc_type_user(sql);
}

int sqlalc_result_scalar_int64(sqlalc_result *res, int64_t *out)
{
    sqlalc_value v;
    int rc = sqlalc_result_scalar(res, &v);
    if (rc == SQLALC_OK)
        rc = sqlalc_value_get_int64(&v, out);
    else if (rc == SQLALC_DONE)
        sqlalc_error_set(SQLALC_DONE, "the query returned no row");
    sqlalc_result_free(res);
    return rc;
}

/*
 * libsqlalc — database URLs.  Included by <sqlalc.h>.
 *
 * Grammar (SQLAlchemy's):
 *   dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&…]
 * Every part is percent-decoded; an IPv6 host is written in brackets
 * ("[::1]"); a query key may repeat.  SQLite: "sqlite://" is an in-memory
 * database, "sqlite:///rel.db" a relative path, "sqlite:////abs/path.db"
 * an absolute one.
 */
#ifndef SQLALC_URL_H
#define SQLALC_URL_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sqlalc_url sqlalc_url;

/* Parse text into a new URL.  A bad URL fails with SQLALC_ERR_ARGUMENT and
 * a message naming the part that is wrong. */
SQLALC_API int sqlalc_url_parse(const char *text, sqlalc_url **out);
SQLALC_API void sqlalc_url_free(sqlalc_url *url);

/* Parts, decoded; NULL when absent.  Borrowed from the URL. */
SQLALC_API const char *sqlalc_url_dialect(const sqlalc_url *url);  /* "postgresql" */
SQLALC_API const char *sqlalc_url_driver(const sqlalc_url *url);   /* "odbc" or NULL */
SQLALC_API const char *sqlalc_url_username(const sqlalc_url *url);
SQLALC_API const char *sqlalc_url_password(const sqlalc_url *url);
SQLALC_API const char *sqlalc_url_host(const sqlalc_url *url);     /* without brackets */
SQLALC_API int sqlalc_url_port(const sqlalc_url *url);             /* 0 when absent */
SQLALC_API const char *sqlalc_url_database(const sqlalc_url *url);
/* Query parameters in order of appearance. */
SQLALC_API size_t sqlalc_url_query_count(const sqlalc_url *url);
SQLALC_API const char *sqlalc_url_query_key(const sqlalc_url *url, size_t i);
SQLALC_API const char *sqlalc_url_query_value(const sqlalc_url *url, size_t i);
/* The first value of key, or NULL. */
SQLALC_API const char *sqlalc_url_query_get(const sqlalc_url *url, const char *key);

/*
 * Render back to text, percent-encoding where needed.  mask_password
 * non-zero prints the password as "***" (use for any message or log).
 * Returns a string to free with sqlalc_free(), or NULL on out of memory.
 */
SQLALC_API char *sqlalc_url_render(const sqlalc_url *url, int mask_password);

#ifdef __cplusplus
}
#endif
#endif

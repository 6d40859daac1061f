/*
 * libsqlalc — database URLs.  Included by <sqlalc.h>.
 *
 * Grammar (SQLAlchemy's):
 *   dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&…]
 * Every part is percent-decoded; an IPv6 host is written in brackets
 * ("[::1]"); a query key may repeat.  SQLite: "sqlite://" is an in-memory
 * database, "sqlite:///rel.db" a relative path, "sqlite:////abs/path.db"
 * an absolute one.
 *
 * Details, mostly as SQLAlchemy:
 *  - userinfo is everything before the LAST '@' of the authority (which
 *    ends at the first '/' or '?'); user and password split at its first
 *    ':'.  "u@h" has no password (NULL), "u:@h" an empty one.
 *  - The port is a number 1-65535.  Several hosts (libpq) are written as
 *    repeated query keys: "postgresql://u@/db?host=h1:5432&host=h2:5433".
 *  - "scheme:///x" gives database "x"; "scheme:///" database "" (not NULL);
 *    "odbc://DSN" host "DSN".
 *  - In the query, '+' is a space (form encoding, as SQLAlchemy reads it);
 *    elsewhere '+' is itself.  "?a" and "?a=" give a with value "".
 *  - "%00" is refused (parts are C strings).
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
SQLALC_API const char *sqlalc_url_dialect(const sqlalc_url *url); /* "postgresql" */
SQLALC_API const char *sqlalc_url_driver(const sqlalc_url *url);  /* "odbc" or NULL */
SQLALC_API const char *sqlalc_url_username(const sqlalc_url *url);
SQLALC_API const char *sqlalc_url_password(const sqlalc_url *url);
SQLALC_API const char *sqlalc_url_host(const sqlalc_url *url); /* without brackets */
SQLALC_API int sqlalc_url_port(const sqlalc_url *url);         /* 0 when absent */
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

/*
 * Building and changing a URL (SQLAlchemy's URL.create / URL.set).
 * All strings are copied.  Render never prints a password when asked to
 * mask it: the password part, query values of keys ending in "password"
 * or "pwd" (any case: "password", "PWD", "db_password"),
 * and the PWD= attribute inside an "odbc_connect" string become "***".
 */

/* A new URL with only a drivername: "postgresql" or "mssql+odbc".
 * Fails with SQLALC_ERR_ARGUMENT when a name is empty or holds a character
 * other than [A-Za-z0-9_]. */
SQLALC_API int sqlalc_url_create(const char *drivername, sqlalc_url **out);
/* Deep copy. */
SQLALC_API int sqlalc_url_copy(const sqlalc_url *url, sqlalc_url **out);

typedef enum sqlalc_url_part {
    SQLALC_URL_DIALECT, /* never NULL */
    SQLALC_URL_DRIVER,
    SQLALC_URL_USERNAME,
    SQLALC_URL_PASSWORD,
    SQLALC_URL_HOST,
    SQLALC_URL_DATABASE
} sqlalc_url_part;

/* Replace one part (decoded text; NULL removes it).  On failure the URL
 * is unchanged. */
SQLALC_API int sqlalc_url_set(sqlalc_url *url, sqlalc_url_part part, const char *value);
/* Set the port: 1-65535, or 0 to remove it. */
SQLALC_API int sqlalc_url_set_port(sqlalc_url *url, int port);
/* Append a query parameter (decoded text; keys may repeat). */
SQLALC_API int sqlalc_url_query_add(sqlalc_url *url, const char *key, const char *value);
/* Remove every parameter named key; returns how many were removed. */
SQLALC_API size_t sqlalc_url_query_remove(sqlalc_url *url, const char *key);

#ifdef __cplusplus
}
#endif
#endif

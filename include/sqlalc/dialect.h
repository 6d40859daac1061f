/*
 * libsqlalc — dialects by name, for compiling a statement for a database
 * without connecting (SQLAlchemy's stmt.compile(dialect=...)) and quoting
 * identifiers.  Included by <sqlalc.h>.  Writing a dialect or a driver of
 * your own is the plugin API: <sqlalc/sys/plugin.h>.
 */
#ifndef SQLALC_DIALECT_H
#define SQLALC_DIALECT_H
#include "core.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Placeholder styles: what a driver expects, and what sqlalc_compile()
 * renders (0 there means the named display form ":name"). */
enum {
    SQLALC_PARAMSTYLE_QMARK = 1,      /* ?   (sqlite, odbc) */
    SQLALC_PARAMSTYLE_NUMERIC_DOLLAR, /* $1 (libpq) */
    SQLALC_PARAMSTYLE_NAMED           /* :name */
};

/* Look up by name (NULL + SQLALC_ERR_NOT_FOUND when unknown). */
SQLALC_API const sqlalc_driver *sqlalc_find_driver(const char *name);
SQLALC_API const sqlalc_dialect *sqlalc_find_dialect(const char *name);

/*
 * Quote an identifier for dialect d when it needs it (reserved word,
 * upper-case letters, characters other than [a-z0-9_], leading digit).
 * Appends to buf; returns the number of bytes the quoted form needs
 * (excluding the NUL), like snprintf.
 */
SQLALC_API size_t sqlalc_quote_identifier(const sqlalc_dialect *d, const char *ident, char *buf,
                                          size_t bufsize);

/*
 * The dialect d as it compiles for a server of the given version, as
 * SQLAlchemy's dialect does once it knows server_version_info.  For
 * "mssql": no version (the registered table) compiles as SQLAlchemy does
 * unconnected; "10" (2008) adds multi-row VALUES and DATE / TIME; "11"
 * (2012) and later OFFSET … FETCH and VARCHAR(max) / NVARCHAR(max) /
 * VARBINARY(max).  version is "major[.minor[.build…]]" ("11.0.2100.60").
 * Dialects without versions return d.  Borrowed (static); NULL with the
 * error set on a malformed version.
 */
SQLALC_API const sqlalc_dialect *sqlalc_dialect_for_server_version(const sqlalc_dialect *d,
                                                                   const char *version);

/* The registered name of a dialect ("sqlite", "postgresql", "mssql"). */
SQLALC_API const char *sqlalc_dialect_name(const sqlalc_dialect *d);

#ifdef __cplusplus
}
#endif
#endif

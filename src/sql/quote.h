/*
 * Identifier quoting, defined once: the compiler, DDL and the public
 * sqlalc_quote_identifier (src/engine/registry.c) all use these.
 */
#ifndef SQLALC_SQL_QUOTE_H
#define SQLALC_SQL_QUOTE_H

#include <stddef.h>
#include "../util/util.h"

/* Whether d must quote s: a reserved word, an empty name, upper-case
 * letters or characters other than [a-z0-9_$], a leading digit or '$'
 * (SQLAlchemy's IdentifierPreparer rules). */
int sqlalc__ident_needs_quote(const sqlalc_dialect *d, const char *s);
/* Append s to b, quoted in d's quote characters (an embedded closing
 * quote doubled) when quote is non-zero, else as is. */
void sqlalc__ident_append(sqlalc_buf *b, const sqlalc_dialect *d, const char *s, int quote);
/* Append s to b, quoted when d needs it. */
void sqlalc__ident_put(sqlalc_buf *b, const sqlalc_dialect *d, const char *s);
/* snprintf-style: write the (possibly quoted) form of s into buf (always
 * NUL-terminated when bufsize > 0); returns the length it needs. */
size_t sqlalc__ident_format(const sqlalc_dialect *d, const char *s, char *buf, size_t bufsize);

#endif

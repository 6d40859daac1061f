/* Identifier quoting: the one definition of the rule (see quote.h). */
#include <string.h>
#include "quote.h"

int sqlalc__ident_needs_quote(const sqlalc_dialect *d, const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9') || *s == '$')
        return 1;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '$'))
            return 1;
    }
    return d->is_reserved && d->is_reserved(s);
}

void sqlalc__ident_append(sqlalc_buf *b, const sqlalc_dialect *d, const char *s, int quote)
{
    if (!quote) {
        sqlalc_buf_puts(b, s);
        return;
    }
    sqlalc_buf_putc(b, d->quote_open);
    for (const char *p = s; *p; p++) {
        const char *q = strchr(p, d->quote_close);
        if (!q) {
            sqlalc_buf_puts(b, p);
            break;
        }
        /* up to and including the quote, then the quote again */
        sqlalc_buf_append(b, p, (size_t)(q - p) + 1);
        sqlalc_buf_putc(b, d->quote_close);
        p = q;
    }
    sqlalc_buf_putc(b, d->quote_close);
}

void sqlalc__ident_put(sqlalc_buf *b, const sqlalc_dialect *d, const char *s)
{
    sqlalc__ident_append(b, d, s, sqlalc__ident_needs_quote(d, s));
}

size_t sqlalc__ident_format(const sqlalc_dialect *d, const char *s, char *buf, size_t bufsize)
{
    size_t n = 0;
#define PUT(ch)              \
    do {                     \
        if (n + 1 < bufsize) \
            buf[n] = (ch);   \
        n++;                 \
    } while (0)
    if (!sqlalc__ident_needs_quote(d, s)) {
        for (const char *p = s; *p; p++)
            PUT(*p);
    } else {
        PUT(d->quote_open);
        for (const char *p = s; *p; p++) {
            PUT(*p);
            if (*p == d->quote_close) /* embedded quote: doubled */
                PUT(*p);
        }
        PUT(d->quote_close);
    }
    if (bufsize)
        buf[n < bufsize ? n : bufsize - 1] = 0;
    return n;
#undef PUT
}

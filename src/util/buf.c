/* Growable byte buffer with a sticky out-of-memory state. */
#include <stdio.h>
#include <string.h>
#include "util.h"

static int reserve(sqlalc_buf *b, size_t extra)
{
    if (b->oom)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t nc = b->cap ? b->cap * 2 : 64;
    while (nc < b->len + extra + 1)
        nc *= 2;
    char *p = sqlalc_realloc(b->p, nc);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = nc;
    return 1;
}

void sqlalc_buf_append(sqlalc_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sqlalc_buf_puts(sqlalc_buf *b, const char *s)
{
    sqlalc_buf_append(b, s, strlen(s));
}

void sqlalc_buf_putc(sqlalc_buf *b, char c)
{
    if (!reserve(b, 1))
        return;
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

void sqlalc_buf_vprintf(sqlalc_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sqlalc_buf_append(b, tmp, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sqlalc_buf_printf(sqlalc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlalc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *sqlalc_buf_cstr(sqlalc_buf *b)
{
    if (!reserve(b, 0)) {
        sqlalc__oom();
        return NULL;
    }
    b->p[b->len] = 0;
    return b->p;
}

char *sqlalc_buf_detach(sqlalc_buf *b)
{
    if (!sqlalc_buf_cstr(b)) {
        sqlalc_buf_free(b);
        return NULL;
    }
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void sqlalc_buf_reset(sqlalc_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->p)
        b->p[0] = 0;
}

void sqlalc_buf_free(sqlalc_buf *b)
{
    sqlalc_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

void sqlalc_sql_text_puts(sqlalc_sql_text *t, const char *s)
{
    if (t && s)
        sqlalc_buf_puts(&t->b, s);
}

void sqlalc_sql_text_printf(sqlalc_sql_text *t, const char *fmt, ...)
{
    if (!t)
        return;
    va_list ap;
    va_start(ap, fmt);
    sqlalc_buf_vprintf(&t->b, fmt, ap);
    va_end(ap);
}

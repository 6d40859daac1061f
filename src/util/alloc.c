/* The allocation hook and allocation helpers. */
#include <stdlib.h>
#include <string.h>
#include "util.h"

static void *def_malloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}
static void *def_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return realloc(p, n);
}
static void def_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static sqlalc_allocator g_alloc = { def_malloc, def_realloc, def_free, NULL };

void sqlalc_set_allocator(const sqlalc_allocator *a)
{
    if (a && a->malloc_fn && a->realloc_fn && a->free_fn)
        g_alloc = *a;
    else {
        g_alloc.malloc_fn = def_malloc;
        g_alloc.realloc_fn = def_realloc;
        g_alloc.free_fn = def_free;
        g_alloc.ctx = NULL;
    }
}

void *sqlalc_malloc(size_t n)
{
    return g_alloc.malloc_fn(g_alloc.ctx, n ? n : 1);
}
void *sqlalc_realloc(void *p, size_t n)
{
    return g_alloc.realloc_fn(g_alloc.ctx, p, n ? n : 1);
}
void sqlalc_free(void *p)
{
    if (p)
        g_alloc.free_fn(g_alloc.ctx, p);
}

void *sqlalc__malloc(size_t n)
{
    void *p = sqlalc_malloc(n);
    if (!p)
        sqlalc__oom();
    return p;
}

void *sqlalc__calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        sqlalc__oom();
        return NULL;
    }
    void *p = sqlalc__malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *sqlalc__realloc(void *p, size_t n)
{
    void *q = sqlalc_realloc(p, n);
    if (!q)
        sqlalc__oom();
    return q;
}

char *sqlalc__strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = sqlalc__malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *sqlalc__strdup(const char *s)
{
    return s ? sqlalc__strndup(s, strlen(s)) : NULL;
}

int sqlalc__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return SQLALC_OK;
    size_t nc = *cap ? *cap : 8;
    while (nc < need)
        nc *= 2;
    if (nc > SIZE_MAX / elem)
        return sqlalc__oom();
    void *p = sqlalc__realloc(*arr, nc * elem);
    if (!p)
        return SQLALC_ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return SQLALC_OK;
}

int sqlalc__strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 32;
        if (cb >= 'A' && cb <= 'Z')
            cb += 32;
        if (ca != cb || !ca)
            return ca - cb;
    }
}

int sqlalc__strncasecmp(const char *a, const char *b, size_t n)
{
    for (; n; a++, b++, n--) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 32;
        if (cb >= 'A' && cb <= 'Z')
            cb += 32;
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

int sqlalc__word_in(const char *word, const char *const *sorted, size_t n)
{
    char low[64];
    size_t len = strlen(word);
    if (len >= sizeof low)
        return 0;
    for (size_t i = 0; i <= len; i++) {
        char c = word[i];
        low[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(low, sorted[mid]);
        if (!c)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

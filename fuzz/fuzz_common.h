/*
 * Shared by the libFuzzer targets: a cursor over the fuzz input that hands
 * out bytes, numbers and strings, returning zeros once the input runs out
 * (so every input, however short, is a complete program for the target).
 */
#ifndef SQLALC_FUZZ_COMMON_H
#define SQLALC_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz {
    const uint8_t *p;
    size_t n, i;
} fz;

static inline int fz_more(const fz *f)
{
    return f->i < f->n;
}

static inline unsigned fz_byte(fz *f)
{
    return f->i < f->n ? f->p[f->i++] : 0;
}

static inline uint64_t fz_u64(fz *f)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v = v << 8 | fz_byte(f);
    return v;
}

static inline double fz_double(fz *f)
{
    uint64_t u = fz_u64(f);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* A length-prefixed run of bytes (borrowed from the input). */
static inline const char *fz_bytes(fz *f, size_t *len)
{
    size_t want = fz_byte(f);
    if (want > f->n - f->i)
        want = f->n - f->i;
    const char *s = (const char *)f->p + f->i;
    f->i += want;
    *len = want;
    return s;
}

/* A length-prefixed NUL-terminated copy (free with free()); NULs inside
 * the run end the string early, as a C caller's would. */
static inline char *fz_str(fz *f)
{
    size_t n;
    const char *s = fz_bytes(f, &n);
    char *c = malloc(n + 1);
    if (!c)
        abort();
    memcpy(c, s, n);
    c[n] = 0;
    return c;
}

/* The whole input as a C string (cut at its first NUL). */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
    char *c = malloc(size + 1);
    if (!c)
        abort();
    memcpy(c, data, size);
    c[size] = 0;
    return c;
}

#define FZ_CHECK(cond, ...)                                                                     \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                       \
            fputc('\n', stderr);                                                                \
            abort();                                                                            \
        }                                                                                       \
    } while (0)

#endif

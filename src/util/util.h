/* Internal utilities: allocation, strings, buffers, hash map, errors. */
#ifndef SQLALC_UTIL_H
#define SQLALC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "sqlalc/sys/plugin.h"

#define SQLALC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation (through the user's hook).  On failure these record
 * SQLALC_ERR_NOMEM and return NULL. */
void *sqlalc__malloc(size_t n);
void *sqlalc__calloc(size_t n, size_t size);
void *sqlalc__realloc(void *p, size_t n);
char *sqlalc__strdup(const char *s); /* NULL in → NULL out, no error */
char *sqlalc__strndup(const char *s, size_t n);
/* Grow *arr (of elem-size items) so that index need-1 fits; cap doubles. */
int sqlalc__grow(void **arr, size_t *cap, size_t need, size_t elem);

/* Growable byte buffer.  After an allocation failure it stays in an
 * "oom" state where appends do nothing; check once at the end. */
typedef struct sqlalc_buf {
    char *p;
    size_t len, cap;
    int oom;
} sqlalc_buf;

#define SQLALC_BUF_INIT \
    {                   \
        NULL, 0, 0, 0   \
    }
void sqlalc_buf_append(sqlalc_buf *b, const char *s, size_t n);
void sqlalc_buf_puts(sqlalc_buf *b, const char *s);
void sqlalc_buf_putc(sqlalc_buf *b, char c);
void sqlalc_buf_printf(sqlalc_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sqlalc_buf_vprintf(sqlalc_buf *b, const char *fmt, va_list ap);
/* Ensure NUL termination; returns the string (owned by b) or NULL on oom
 * (SQLALC_ERR_NOMEM recorded). */
const char *sqlalc_buf_cstr(sqlalc_buf *b);
/* Hand the string over to the caller (free with sqlalc_free); NULL on oom. */
char *sqlalc_buf_detach(sqlalc_buf *b);
void sqlalc_buf_reset(sqlalc_buf *b); /* keep capacity, len = 0, clear oom */
void sqlalc_buf_free(sqlalc_buf *b);

/* The plugin API's text for dialect hooks is a buffer. */
struct sqlalc_sql_text {
    sqlalc_buf b;
};

/* Copy a versioned struct the caller gave (options, vtables): dst is
 * already filled with the current defaults; the first sizes[version]
 * bytes come from src (sizes[v] = bytes version v has, sizes[0] unused).
 * A version of 0 or above current is an argument error naming what. */
int sqlalc__versioned_copy(void *dst, const void *src, unsigned version, const size_t *sizes,
                           unsigned current, const char *what);

/* Non-zero when level is one of the four standard isolation levels
 * ("SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED"). */
int sqlalc__isolation_standard(const char *level);

/* String-keyed hash map of void* values (keys are copied). */
typedef struct sqlalc_map_entry {
    char *key;
    size_t keylen;
    uint64_t hash;
    void *value;
} sqlalc_map_entry;

typedef struct sqlalc_map {
    sqlalc_map_entry *slots;
    size_t cap, count, tombs;
} sqlalc_map;

uint64_t sqlalc__hash(const void *p, size_t n);
void *sqlalc_map_get(const sqlalc_map *m, const char *key, size_t keylen);
/* Insert or replace; returns SQLALC_OK or SQLALC_ERR_NOMEM. */
int sqlalc_map_put(sqlalc_map *m, const char *key, size_t keylen, void *value);
/* Remove; returns the value removed or NULL. */
void *sqlalc_map_remove(sqlalc_map *m, const char *key, size_t keylen);
/* Iterate: i from 0; returns next used entry or NULL. */
sqlalc_map_entry *sqlalc_map_next(const sqlalc_map *m, size_t *i);
void sqlalc_map_free(sqlalc_map *m);

/* Case-insensitive ASCII compare. */
int sqlalc__strcasecmp(const char *a, const char *b);
int sqlalc__strncasecmp(const char *a, const char *b, size_t n);

/* Binary search for word (any case) in a sorted array of lower-case
 * words; the dialects' reserved-word lists use it. */
int sqlalc__word_in(const char *word, const char *const *sorted, size_t n);

/* Error helpers. */
int sqlalc__oom(void); /* records and returns SQLALC_ERR_NOMEM */
/* Prefix the current message with "context: " (keeps code, sqlstate). */
void sqlalc__error_prefix(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Append " [SQL: sql]" (shortened) to the current message, as SQLAlchemy
 * and the PostgreSQL driver show the failing statement, unless the
 * message already shows it. */
void sqlalc__error_append_sql(const char *sql);
/* What a driver said with sqlalc_error_set_batch_position() about the
 * current error: 1 and the range, or 0 when it said nothing. */
int sqlalc__error_batch_position(size_t *first, size_t *count);

#endif

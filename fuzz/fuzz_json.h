/*
 * A strict JSON (RFC 8259) reader for the fuzz targets: checks that text
 * is one JSON value (UTF-8 checked, no trailing bytes) and, when asked,
 * reports the shape of a top-level array of objects (rows, and the key
 * count of each object) so display output can be compared with the rows
 * that produced it.
 */
#ifndef SQLALC_FUZZ_JSON_H
#define SQLALC_FUZZ_JSON_H

#include <stddef.h>
#include <string.h>

typedef struct fzj_shape {
    size_t rows;       /* elements of the top-level array */
    size_t min_keys;   /* fewest keys in one of its objects */
    size_t max_keys;   /* most keys */
    int all_objects;   /* every element is an object */
    int distinct_keys; /* no object repeats a key */
} fzj_shape;

typedef struct fzj {
    const unsigned char *s;
    size_t n, i;
    int depth;
} fzj;

static void fzj_ws(fzj *j)
{
    while (j->i < j->n &&
           (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
        j->i++;
}

/* One UTF-8 sequence at j->i (already known to be >= 0x80). */
static int fzj_utf8(fzj *j)
{
    unsigned char c = j->s[j->i];
    int k;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF)
        k = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 3, cp = c & 0x07;
    else
        return 0;
    for (int m = 1; m <= k; m++) {
        if (j->i + (size_t)m >= j->n || (j->s[j->i + m] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (j->s[j->i + m] & 0x3F);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    j->i += (size_t)k + 1;
    return 1;
}

/* A string; *out (may be NULL) gets the raw bytes between the quotes. */
static int fzj_string(fzj *j, const unsigned char **out, size_t *len)
{
    if (j->i >= j->n || j->s[j->i] != '"')
        return 0;
    size_t start = ++j->i;
    while (j->i < j->n) {
        unsigned char c = j->s[j->i];
        if (c == '"') {
            if (out) {
                *out = j->s + start;
                *len = j->i - start;
            }
            j->i++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (++j->i >= j->n)
                return 0;
            c = j->s[j->i];
            if (c == 'u') {
                for (int k = 1; k <= 4; k++) {
                    if (j->i + (size_t)k >= j->n)
                        return 0;
                    unsigned char h = j->s[j->i + k];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return 0;
                }
                j->i += 5;
            } else if (strchr("\"\\/bfnrt", c) && c) {
                j->i++;
            } else
                return 0;
        } else if (c >= 0x80) {
            if (!fzj_utf8(j))
                return 0;
        } else
            j->i++;
    }
    return 0;
}

static int fzj_number(fzj *j)
{
    size_t i = j->i;
    if (i < j->n && j->s[i] == '-')
        i++;
    if (i >= j->n)
        return 0;
    if (j->s[i] == '0')
        i++;
    else if (j->s[i] >= '1' && j->s[i] <= '9')
        while (i < j->n && j->s[i] >= '0' && j->s[i] <= '9')
            i++;
    else
        return 0;
    if (i < j->n && j->s[i] == '.') {
        i++;
        if (i >= j->n || !(j->s[i] >= '0' && j->s[i] <= '9'))
            return 0;
        while (i < j->n && j->s[i] >= '0' && j->s[i] <= '9')
            i++;
    }
    if (i < j->n && (j->s[i] == 'e' || j->s[i] == 'E')) {
        i++;
        if (i < j->n && (j->s[i] == '+' || j->s[i] == '-'))
            i++;
        if (i >= j->n || !(j->s[i] >= '0' && j->s[i] <= '9'))
            return 0;
        while (i < j->n && j->s[i] >= '0' && j->s[i] <= '9')
            i++;
    }
    j->i = i;
    return 1;
}

static int fzj_value(fzj *j, fzj_shape *top);

static int fzj_lit(fzj *j, const char *w)
{
    size_t k = strlen(w);
    if (j->n - j->i < k || memcmp(j->s + j->i, w, k))
        return 0;
    j->i += k;
    return 1;
}

/* An object; *keys gets its key count, *distinct whether keys repeat. */
static int fzj_object(fzj *j, size_t *keys, int *distinct)
{
    enum { MAXK = 256 };
    const unsigned char *seen[MAXK];
    size_t seen_len[MAXK], nk = 0;
    *distinct = 1;
    j->i++;
    fzj_ws(j);
    if (j->i < j->n && j->s[j->i] == '}') {
        j->i++;
        *keys = 0;
        return 1;
    }
    for (;;) {
        const unsigned char *k;
        size_t kl;
        fzj_ws(j);
        if (!fzj_string(j, &k, &kl))
            return 0;
        for (size_t m = 0; m < nk && m < MAXK; m++)
            if (seen_len[m] == kl && !memcmp(seen[m], k, kl))
                *distinct = 0;
        if (nk < MAXK) {
            seen[nk] = k;
            seen_len[nk] = kl;
        }
        nk++;
        fzj_ws(j);
        if (j->i >= j->n || j->s[j->i] != ':')
            return 0;
        j->i++;
        if (!fzj_value(j, NULL))
            return 0;
        fzj_ws(j);
        if (j->i < j->n && j->s[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->i < j->n && j->s[j->i] == '}') {
            j->i++;
            *keys = nk;
            return 1;
        }
        return 0;
    }
}

static int fzj_value(fzj *j, fzj_shape *top)
{
    fzj_ws(j);
    if (j->i >= j->n || ++j->depth > 64)
        return 0;
    int ok;
    unsigned char c = j->s[j->i];
    if (c == '{') {
        size_t keys;
        int distinct;
        ok = fzj_object(j, &keys, &distinct);
    } else if (c == '[') {
        j->i++;
        fzj_ws(j);
        ok = 1;
        if (j->i < j->n && j->s[j->i] == ']')
            j->i++;
        else
            for (;;) {
                fzj_ws(j);
                if (top && j->i < j->n && j->s[j->i] == '{') {
                    size_t keys;
                    int distinct;
                    if (!(ok = fzj_object(j, &keys, &distinct)))
                        break;
                    if (!top->rows || keys < top->min_keys)
                        top->min_keys = keys;
                    if (keys > top->max_keys)
                        top->max_keys = keys;
                    if (!distinct)
                        top->distinct_keys = 0;
                } else {
                    if (top)
                        top->all_objects = 0;
                    if (!(ok = fzj_value(j, NULL)))
                        break;
                }
                if (top)
                    top->rows++;
                fzj_ws(j);
                if (j->i < j->n && j->s[j->i] == ',') {
                    j->i++;
                    continue;
                }
                ok = j->i < j->n && j->s[j->i] == ']';
                j->i += ok;
                break;
            }
    } else if (c == '"')
        ok = fzj_string(j, NULL, NULL);
    else if (c == 't')
        ok = fzj_lit(j, "true");
    else if (c == 'f')
        ok = fzj_lit(j, "false");
    else if (c == 'n')
        ok = fzj_lit(j, "null");
    else
        ok = fzj_number(j);
    j->depth--;
    return ok;
}

/* Non-zero when text[0, n) is exactly one JSON value (white space around
 * allowed).  shape (may be NULL) describes a top-level array of objects. */
static inline int fzj_valid(const char *text, size_t n, fzj_shape *shape)
{
    fzj j = { (const unsigned char *)text, n, 0, 0 };
    if (shape) {
        memset(shape, 0, sizeof *shape);
        shape->all_objects = 1;
        shape->distinct_keys = 1;
    }
    if (!fzj_value(&j, shape))
        return 0;
    fzj_ws(&j);
    return j.i == n;
}

#endif

/* Open-addressing string hash map (FNV-1a, linear probing). */
#include <string.h>
#include "util.h"

#define TOMB ((char *)&tomb_marker)
static char tomb_marker;

uint64_t sqlalc__hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static sqlalc_map_entry *find(const sqlalc_map *m, const char *key, size_t n, uint64_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        sqlalc_map_entry *e = &m->slots[i];
        if (!e->key)
            return NULL;
        if (e->key != TOMB && e->hash == h && e->keylen == n && !memcmp(e->key, key, n))
            return e;
    }
}

void *sqlalc_map_get(const sqlalc_map *m, const char *key, size_t n)
{
    sqlalc_map_entry *e = find(m, key, n, sqlalc__hash(key, n));
    return e ? e->value : NULL;
}

static int rehash(sqlalc_map *m, size_t ncap)
{
    sqlalc_map_entry *ns = sqlalc__calloc(ncap, sizeof *ns);
    if (!ns)
        return SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        sqlalc_map_entry *e = &m->slots[i];
        if (!e->key || e->key == TOMB)
            continue;
        size_t j = e->hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = *e;
    }
    sqlalc_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->tombs = 0;
    return SQLALC_OK;
}

int sqlalc_map_put(sqlalc_map *m, const char *key, size_t n, void *value)
{
    uint64_t h = sqlalc__hash(key, n);
    sqlalc_map_entry *e = find(m, key, n, h);
    if (e) {
        e->value = value;
        return SQLALC_OK;
    }
    if ((m->count + m->tombs + 1) * 4 >= m->cap * 3) {
        size_t nc = m->cap ? m->cap : 16;
        while ((m->count + 1) * 2 >= nc)
            nc *= 2;
        if (rehash(m, nc))
            return SQLALC_ERR_NOMEM;
    }
    char *k = sqlalc__strndup(key, n);
    if (!k)
        return SQLALC_ERR_NOMEM;
    size_t mask = m->cap - 1, i = h & mask;
    while (m->slots[i].key && m->slots[i].key != TOMB)
        i = (i + 1) & mask;
    if (m->slots[i].key == TOMB)
        m->tombs--;
    m->slots[i] = (sqlalc_map_entry){ k, n, h, value };
    m->count++;
    return SQLALC_OK;
}

void *sqlalc_map_remove(sqlalc_map *m, const char *key, size_t n)
{
    sqlalc_map_entry *e = find(m, key, n, sqlalc__hash(key, n));
    if (!e)
        return NULL;
    void *v = e->value;
    sqlalc_free(e->key);
    e->key = TOMB;
    e->value = NULL;
    m->count--;
    m->tombs++;
    return v;
}

sqlalc_map_entry *sqlalc_map_next(const sqlalc_map *m, size_t *i)
{
    for (; *i < m->cap; (*i)++) {
        sqlalc_map_entry *e = &m->slots[*i];
        if (e->key && e->key != TOMB) {
            (*i)++;
            return e;
        }
    }
    return NULL;
}

void sqlalc_map_free(sqlalc_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMB)
            sqlalc_free(m->slots[i].key);
    sqlalc_free(m->slots);
    memset(m, 0, sizeof *m);
}

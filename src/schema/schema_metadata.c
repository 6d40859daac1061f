/* The metadata: tables by key, foreign-key resolution and the dependency sort. */
#include "schema_int.h"

/* The map key "schema\x1fname": in small when it fits, else on the heap
 * (names of any length).  NULL: out of memory (recorded). */
typedef struct tkey {
    char *p;
    size_t len;
    char small[128];
} tkey;

static const char *tkey_make(tkey *k, const char *schema, size_t slen, const char *name)
{
    size_t nl = strlen(name);
    k->len = slen + 1 + nl;
    k->p = k->len < sizeof k->small ? k->small : sqlalc__malloc(k->len + 1);
    if (!k->p)
        return NULL;
    if (slen)
        memcpy(k->p, schema, slen);
    k->p[slen] = '\x1f';
    memcpy(k->p + slen + 1, name, nl + 1);
    return k->p;
}

static void tkey_free(tkey *k)
{
    if (k->p && k->p != k->small)
        sqlalc_free(k->p);
}

/* The table named schema (slen bytes, 0: default schema) . name, or NULL. */
static struct sqlalc_table *md_find(const sqlalc_metadata *md, const char *schema, size_t slen,
                                    const char *name)
{
    tkey k;
    struct sqlalc_table *t = NULL;
    if (tkey_make(&k, schema, slen, name))
        t = sqlalc_map_get(&md->by_key, k.p, k.len);
    tkey_free(&k);
    return t;
}

sqlalc_table *sqlalc_metadata_table_in(const sqlalc_metadata *md, const char *schema, const char *name)
{
    sqlalc_table *t = md && name ? md_find(md, schema, schema ? strlen(schema) : 0, name) : NULL;
    if (!t && sqlalc_error_last()->code != SQLALC_ERR_NOMEM)
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no table %s%s%s in this MetaData", schema ? schema : "",
                         schema ? "." : "", name ? name : "(null)");
    return t;
}

sqlalc_table *sqlalc_metadata_table(const sqlalc_metadata *md, const char *name)
{
    if (!md || !name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_metadata_table: NULL argument");
        return NULL;
    }
    sqlalc_table *t = md_find(md, NULL, 0, name);
    const char *dot = strrchr(name, '.');
    if (!t && dot)
        t = md_find(md, name, (size_t)(dot - name), dot + 1);
    if (!t)
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no table %s in this MetaData", name);
    return t;
}

/* Resolve fk against the metadata (or t itself).  strict: an existing
 * target lacking a referenced column is an error. */
int resolve_fk(sqlalc_metadata *md, struct sqlalc_table *t, sqlalc_fk *fk, int strict)
{
    struct sqlalc_table *target = NULL;
    int self = !strcmp(fk->ref_table, t->name) &&
               ((!fk->ref_schema && !t->schema) ||
                (fk->ref_schema && t->schema && !strcmp(fk->ref_schema, t->schema)));
    if (self)
        target = t;
    else if (md)
        target = md_find(md, fk->ref_schema, fk->ref_schema ? strlen(fk->ref_schema) : 0, fk->ref_table);
    if (!target)
        return SQLALC_OK; /* pending: the target may be added later */
    for (size_t i = 0; i < fk->ncols; i++)
        if (!sqlalc__table_find_column(target, fk->ref_colnames[i])) {
            if (!strict)
                return SQLALC_OK;
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                    "table %s: foreign key references unknown column %s.%s", t->name,
                                    fk->ref_table, fk->ref_colnames[i]);
        }
    fk->ref = target;
    return SQLALC_OK;
}

int sqlalc__table_check_fks(const struct sqlalc_table *t)
{
    for (size_t i = 0; i < t->nfks; i++) {
        const sqlalc_fk *fk = t->fks[i];
        if (!fk->ref)
            return sqlalc_error_set(
                SQLALC_ERR_ARGUMENT,
                "table %s: foreign key on %s references %s%s%s.%s, which is not a table of this MetaData (or lacks that column)",
                t->name, fk->cols[0]->name, fk->ref_schema ? fk->ref_schema : "", fk->ref_schema ? "." : "",
                fk->ref_table, fk->ref_colnames[0]);
    }
    return SQLALC_OK;
}

int md_add(sqlalc_metadata *md, struct sqlalc_table *t)
{
    tkey k;
    if (!tkey_make(&k, t->schema, t->schema ? strlen(t->schema) : 0, t->name))
        return SQLALC_ERR_NOMEM;
    int rc = sqlalc__grow((void **)&md->tables, &md->cap, md->ntables + 1, sizeof *md->tables);
    if (!rc && sqlalc_map_put(&md->by_key, k.p, k.len, t))
        rc = sqlalc__oom();
    tkey_free(&k);
    if (rc)
        return rc;
    md->tables[md->ntables++] = t;
    t->metadata = md;
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Metadata                                                            */
/* ------------------------------------------------------------------ */

sqlalc_metadata *sqlalc_metadata_new(void)
{
    return sqlalc__calloc(1, sizeof(sqlalc_metadata));
}

void sqlalc_metadata_free(sqlalc_metadata *md)
{
    if (!md)
        return;
    /* Detach first: a table kept alive by a statement must not point at
     * tables or a metadata that are gone. */
    for (size_t i = 0; i < md->ntables; i++) {
        struct sqlalc_table *t = md->tables[i];
        t->metadata = NULL;
        for (size_t k = 0; k < t->nfks; k++)
            t->fks[k]->ref = NULL;
    }
    for (size_t i = 0; i < md->ntables; i++)
        sqlalc_expr_free(&md->tables[i]->base);
    sqlalc_free(md->tables);
    sqlalc_map_free(&md->by_key);
    for (size_t i = 0; i < md->nsequences; i++) {
        struct sqlalc_sequence *q = md->sequences[i];
        sqlalc_free(q->name);
        sqlalc_free(q->schema);
        sqlalc_type_free(q->data_type);
        sqlalc_free(q->owner_table);
        sqlalc_free(q->owner_column);
        sqlalc_free(q);
    }
    sqlalc_free(md->sequences);
    sqlalc_free(md);
}

size_t sqlalc_metadata_table_count(const sqlalc_metadata *md)
{
    return md ? md->ntables : 0;
}
sqlalc_table *sqlalc_metadata_table_at(const sqlalc_metadata *md, size_t i)
{
    return md && i < md->ntables ? md->tables[i] : NULL;
}

int sqlalc__fk_in(const sqlalc_fk *fk, sqlalc_fk *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == fk)
            return 1;
    return 0;
}

/* Character i of SQLAlchemy's table key "schema.name" (or "name"), 0 past the end. */
static char key_char(const struct sqlalc_table *t, size_t i, size_t slen)
{
    if (t->schema) {
        if (i < slen)
            return t->schema[i];
        if (i == slen)
            return '.';
        i -= slen + 1;
    }
    return t->name[i];
}

static int cmp_key(const void *pa, const void *pb)
{
    const struct sqlalc_table *a = *(struct sqlalc_table *const *)pa, *b = *(struct sqlalc_table *const *)pb;
    size_t sa = a->schema ? strlen(a->schema) : 0, sb = b->schema ? strlen(b->schema) : 0;
    for (size_t i = 0;; i++) {
        unsigned char x = (unsigned char)key_char(a, i, sa), y = (unsigned char)key_char(b, i, sb);
        if (x != y || !x)
            return x < y ? -1 : x > y;
    }
}

/* Tarjan's strongly connected components, iterative enough for our sizes
 * (recursion depth is bounded by the FK chain length). */
typedef struct scc_state {
    size_t n, counter, sp, ncomp;
    struct sqlalc_table **tabs;
    size_t *index, *low, *comp, *stack;
    unsigned char *on;
    sqlalc_fk **excl; /* edges left out (already moved to ALTER) */
    size_t nexcl;
    sqlalc_map idx; /* table pointer → 1 + position in tabs */
} scc_state;

/* Position of t in s->tabs through a pointer-keyed map (a chain of 1,000
 * foreign keys must not cost n^3). */
static size_t tab_idx(const scc_state *s, const struct sqlalc_table *t)
{
    void *v = sqlalc_map_get(&s->idx, (const char *)&t, sizeof t);
    return v ? (size_t)((uintptr_t)v - 1) : (size_t)-1;
}

static void strongconnect(scc_state *s, size_t v)
{
    s->index[v] = s->low[v] = ++s->counter;
    s->stack[s->sp++] = v;
    s->on[v] = 1;
    struct sqlalc_table *t = s->tabs[v];
    for (size_t k = 0; k < t->nfks; k++) {
        sqlalc_fk *fk = t->fks[k];
        if (!fk->ref || fk->ref == t || fk->use_alter || sqlalc__fk_in(fk, s->excl, s->nexcl))
            continue;
        size_t w = tab_idx(s, fk->ref);
        if (w == (size_t)-1)
            continue;
        if (!s->index[w]) {
            strongconnect(s, w);
            if (s->low[w] < s->low[v])
                s->low[v] = s->low[w];
        } else if (s->on[w] && s->index[w] < s->low[v])
            s->low[v] = s->index[w];
    }
    if (s->low[v] == s->index[v]) {
        size_t w;
        do {
            w = s->stack[--s->sp];
            s->on[w] = 0;
            s->comp[w] = s->ncomp;
        } while (w != v);
        s->ncomp++;
    }
}

int sqlalc__metadata_sort(const sqlalc_metadata *md, struct sqlalc_table ***out, size_t *nout,
                          sqlalc_fk ***cycle_out, size_t *ncycle_out)
{
    *out = NULL;
    *nout = 0;
    if (cycle_out) {
        *cycle_out = NULL;
        *ncycle_out = 0;
    }
    size_t n = md ? md->ntables : 0;
    scc_state s = { 0 };
    s.n = n;
    s.tabs = sqlalc__calloc(n + 1, sizeof *s.tabs);
    s.index = sqlalc__calloc(n + 1, sizeof(size_t));
    s.low = sqlalc__calloc(n + 1, sizeof(size_t));
    s.comp = sqlalc__calloc(n + 1, sizeof(size_t));
    s.stack = sqlalc__calloc(n + 1, sizeof(size_t));
    s.on = sqlalc__calloc(n + 1, 1);
    struct sqlalc_table **res = sqlalc__calloc(n + 1, sizeof *res);
    unsigned char *done = sqlalc__calloc(n + 1, 1);
    sqlalc_fk **cyc = NULL;
    size_t ncyc = 0;
    int rc = SQLALC_OK;
    if (!s.tabs || !s.index || !s.low || !s.comp || !s.stack || !s.on || !res || !done) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    /* Sorted by key, as SQLAlchemy does before its topological sort. */
    if (n) {
        memcpy(s.tabs, md->tables, n * sizeof *s.tabs);
        qsort(s.tabs, n, sizeof *s.tabs, cmp_key);
    }
    for (size_t i = 0; i < n; i++)
        if (sqlalc_map_put(&s.idx, (const char *)&s.tabs[i], sizeof s.tabs[i], (void *)(uintptr_t)(i + 1))) {
            rc = sqlalc__oom();
            goto out;
        }
    /* Break cycles as SQLAlchemy does: named foreign keys inside a cycle
     * move to ALTER TABLE first; what still cycles after that (unnamed
     * keys) is moved too, and the DDL layer decides whether the dialect
     * can live with it (SQLite: inline) or must refuse (unnamed). */
    for (int pass = 0; pass < 2; pass++) {
        memset(s.index, 0, n * sizeof(size_t));
        memset(s.on, 0, n);
        s.counter = s.sp = s.ncomp = 0;
        s.excl = cyc;
        s.nexcl = ncyc;
        for (size_t v = 0; v < n; v++)
            if (!s.index[v])
                strongconnect(&s, v);
        size_t before = ncyc;
        for (size_t v = 0; v < n; v++) {
            struct sqlalc_table *t = s.tabs[v];
            for (size_t k = 0; k < t->nfks; k++) {
                sqlalc_fk *fk = t->fks[k];
                if (!fk->ref || fk->ref == t || fk->use_alter || sqlalc__fk_in(fk, cyc, before))
                    continue;
                if (pass == 0 && !fk->name)
                    continue;
                size_t w = tab_idx(&s, fk->ref);
                if (w != (size_t)-1 && s.comp[w] == s.comp[v] && push((void **)&cyc, &ncyc, fk)) {
                    rc = SQLALC_ERR_NOMEM;
                    goto out;
                }
            }
        }
    }
    /* Layered topological sort: each round emits, in key order, every
     * table whose referenced tables are all emitted. */
    size_t emitted = 0;
    while (emitted < n) {
        size_t round_start = emitted;
        for (size_t v = 0; v < n; v++) {
            if (done[v])
                continue;
            struct sqlalc_table *t = s.tabs[v];
            int ready = 1;
            for (size_t k = 0; k < t->nfks && ready; k++) {
                sqlalc_fk *fk = t->fks[k];
                if (!fk->ref || fk->ref == t || fk->use_alter || sqlalc__fk_in(fk, cyc, ncyc))
                    continue;
                size_t w = tab_idx(&s, fk->ref);
                if (w != (size_t)-1 && done[w] != 1)
                    ready = 0;
            }
            if (ready)
                res[emitted++] = t;
        }
        if (emitted == round_start) { /* cannot happen: cycles were removed */
            rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "foreign key sort made no progress");
            goto out;
        }
        for (size_t i = round_start; i < emitted; i++)
            done[tab_idx(&s, res[i])] = 1;
    }
    *out = res;
    *nout = n;
    res = NULL;
    if (cycle_out) {
        *cycle_out = cyc;
        *ncycle_out = ncyc;
        cyc = NULL;
    }
out:
    sqlalc_map_free(&s.idx);
    sqlalc_free(s.tabs);
    sqlalc_free(s.index);
    sqlalc_free(s.low);
    sqlalc_free(s.comp);
    sqlalc_free(s.stack);
    sqlalc_free(s.on);
    sqlalc_free(res);
    sqlalc_free(done);
    sqlalc_free(cyc);
    return rc;
}

int sqlalc_metadata_sorted_tables(const sqlalc_metadata *md, sqlalc_table ***out, size_t *n)
{
    if (!md || !out || !n)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_metadata_sorted_tables: NULL argument");
    return sqlalc__metadata_sort(md, out, n, NULL, NULL);
}

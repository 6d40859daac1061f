/*
 * The inspector: name lists and per-table info, cached per schema, read
 * through the dialect's reflection hooks; the info builders dialects use;
 * describing a declared table in the same terms; the JSON dump.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "inspect_int.h"
#include "../sql/ddl.h"

/* ------------------------------------------------------------------ */
/* Name lists                                                          */
/* ------------------------------------------------------------------ */

int sqlalc_strlist_append(sqlalc_strlist *l, const char *name)
{
    char *s = sqlalc__strdup(name ? name : "");
    if (!s)
        return SQLALC_ERR_NOMEM;
    char **v = sqlalc__realloc(l->items, (l->count + 1) * sizeof *v);
    if (!v) {
        sqlalc_free(s);
        return SQLALC_ERR_NOMEM;
    }
    v[l->count++] = s;
    l->items = v;
    return SQLALC_OK;
}

int sqlalc_strlist_contains(const sqlalc_strlist *l, const char *name)
{
    for (size_t i = 0; l && name && i < l->count; i++)
        if (!strcmp(l->items[i], name))
            return 1;
    return 0;
}

void sqlalc_strlist_clear(sqlalc_strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        sqlalc_free(l->items[i]);
    sqlalc_free(l->items);
    l->items = NULL;
    l->count = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static void names_sort(sqlalc_strlist *l)
{
    if (l->count > 1)
        qsort(l->items, l->count, sizeof *l->items, cmp_str);
}

/* ------------------------------------------------------------------ */
/* Info structs and builders                                           */
/* ------------------------------------------------------------------ */

void sqlalc_table_info_free(sqlalc_table_info *ti)
{
    if (!ti)
        return;
    sqlalc_free(ti->schema);
    sqlalc_free(ti->name);
    sqlalc_free(ti->comment);
    for (size_t i = 0; i < ti->ncolumns; i++) {
        sqlalc_column_info *c = &ti->columns[i];
        sqlalc_free(c->name);
        sqlalc_type_free(c->type);
        sqlalc_free(c->type_sql);
        sqlalc_free(c->default_sql);
        sqlalc_free(c->comment);
        sqlalc_free(c->sequence);
        sqlalc_free(c->domain);
    }
    sqlalc_free(ti->columns);
    sqlalc_free(ti->pk.name);
    sqlalc_strlist_clear(&ti->pk.columns);
    for (size_t i = 0; i < ti->nfks; i++) {
        sqlalc_fk_info *f = &ti->fks[i];
        sqlalc_free(f->name);
        sqlalc_strlist_clear(&f->columns);
        sqlalc_free(f->referred_schema);
        sqlalc_free(f->referred_table);
        sqlalc_strlist_clear(&f->referred_columns);
        sqlalc_free(f->ondelete);
        sqlalc_free(f->onupdate);
    }
    sqlalc_free(ti->fks);
    for (size_t i = 0; i < ti->nindexes; i++) {
        sqlalc_index_info *ix = &ti->indexes[i];
        sqlalc_free(ix->name);
        sqlalc_strlist_clear(&ix->columns);
        for (size_t k = 0; k < ix->nelements; k++) {
            sqlalc_free(ix->elements[k].column);
            sqlalc_free(ix->elements[k].expression);
            sqlalc_free(ix->elements[k].sorting);
            sqlalc_free(ix->elements[k].opclass);
        }
        sqlalc_free(ix->elements);
        sqlalc_free(ix->method);
        sqlalc_free(ix->where);
        sqlalc_strlist_clear(&ix->include);
        sqlalc_free(ix->with);
        sqlalc_free(ix->duplicates_constraint);
    }
    sqlalc_free(ti->indexes);
    for (size_t i = 0; i < ti->nuniques; i++) {
        sqlalc_free(ti->uniques[i].name);
        sqlalc_strlist_clear(&ti->uniques[i].columns);
    }
    sqlalc_free(ti->uniques);
    for (size_t i = 0; i < ti->nchecks; i++) {
        sqlalc_free(ti->checks[i].name);
        sqlalc_free(ti->checks[i].sqltext);
    }
    sqlalc_free(ti->checks);
    sqlalc_free(ti->partition_by);
    sqlalc_free(ti->partition_of);
    sqlalc_free(ti->partition_bound);
    sqlalc_free(ti);
}

static void checks_free(sqlalc_check_info *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sqlalc_free(v[i].name);
        sqlalc_free(v[i].sqltext);
    }
    sqlalc_free(v);
}

/* The lookup key "schema\x1fname": in buf when it fits (the usual case,
 * no allocation per catalog row), else in *heap (to free).  NULL when out
 * of memory. */
static const char *key_of(const char *schema, const char *name, char *buf, size_t size, char **heap,
                          size_t *len)
{
    size_t sl = schema ? strlen(schema) : 0, nl = name ? strlen(name) : 0;
    char *k = buf;
    *heap = NULL;
    *len = sl + 1 + nl;
    if (*len + 1 > size && !(k = *heap = sqlalc__malloc(*len + 1)))
        return NULL;
    if (sl)
        memcpy(k, schema, sl);
    k[sl] = '\x1f';
    if (nl)
        memcpy(k + sl + 1, name, nl);
    k[*len] = 0;
    return k;
}

void sqlalc_schema_info_clear(sqlalc_schema_info *si)
{
    if (!si)
        return;
    for (size_t i = 0; i < si->count; i++)
        sqlalc_table_info_free(si->tables[i]);
    sqlalc_free(si->tables);
    for (size_t i = 0; i < si->nsequences; i++) {
        sqlalc_sequence_info *q = &si->sequences[i];
        sqlalc_free(q->schema);
        sqlalc_free(q->name);
        sqlalc_free(q->data_type);
        sqlalc_free(q->owner_table);
        sqlalc_free(q->owner_column);
    }
    sqlalc_free(si->sequences);
    for (size_t i = 0; i < si->ndomains; i++) {
        sqlalc_domain_info *dm = &si->domains[i];
        sqlalc_free(dm->schema);
        sqlalc_free(dm->name);
        sqlalc_type_free(dm->type);
        sqlalc_free(dm->type_sql);
        sqlalc_free(dm->default_sql);
        checks_free(dm->checks, dm->nchecks);
    }
    sqlalc_free(si->domains);
    if (si->priv) {
        sqlalc_map_free(si->priv);
        sqlalc_free(si->priv);
    }
    memset(si, 0, sizeof *si);
}

const sqlalc_table_info *sqlalc_schema_info_find(const sqlalc_schema_info *si, const char *schema,
                                                 const char *name)
{
    char buf[256], *heap;
    size_t n;
    if (!si || !si->priv)
        return NULL;
    const char *key = key_of(schema, name, buf, sizeof buf, &heap, &n);
    const sqlalc_table_info *ti = key ? sqlalc_map_get(si->priv, key, n) : NULL;
    sqlalc_free(heap);
    return ti;
}

sqlalc_table_info *sqlalc_reflect_find_table(sqlalc_schema_info *si, const char *schema, const char *name)
{
    return (sqlalc_table_info *)sqlalc_schema_info_find(si, schema, name);
}

int sqlalc_reflect_set_string(char **field, const char *value)
{
    char *s = NULL;
    if (value && !(s = sqlalc__strdup(value)))
        return SQLALC_ERR_NOMEM;
    sqlalc_free(*field);
    *field = s;
    return SQLALC_OK;
}

sqlalc_table_info *sqlalc_reflect_add_table(sqlalc_schema_info *si, const char *schema, const char *name,
                                            int is_view)
{
    char buf[256], *heap = NULL;
    size_t kn;
    if (!si->priv && !(si->priv = sqlalc__calloc(1, sizeof(sqlalc_map))))
        return NULL;
    const char *key = key_of(schema, name, buf, sizeof buf, &heap, &kn);
    if (!key)
        return NULL;
    sqlalc_table_info *ti = sqlalc_map_get(si->priv, key, kn);
    if (ti) {
        sqlalc_free(heap);
        return ti;
    }
    ti = sqlalc__calloc(1, sizeof *ti);
    if (!ti) {
        sqlalc_free(heap);
        return NULL;
    }
    ti->is_view = is_view;
    if (sqlalc_reflect_set_string(&ti->name, name) || sqlalc_reflect_set_string(&ti->schema, schema))
        goto fail;
    sqlalc_table_info **v = sqlalc__realloc(si->tables, (si->count + 1) * sizeof *v);
    if (!v)
        goto fail;
    si->tables = v;
    if (sqlalc_map_put(si->priv, key, kn, ti)) {
        sqlalc__oom();
        goto fail;
    }
    sqlalc_free(heap);
    si->tables[si->count++] = ti;
    return ti;
fail:
    sqlalc_free(heap);
    sqlalc_table_info_free(ti);
    return NULL;
}

/* Grow an info array by one zeroed element. */
static void *grow1(void **arr, size_t *n, size_t elem)
{
    char *v = sqlalc__realloc(*arr, (*n + 1) * elem);
    if (!v)
        return NULL;
    memset(v + *n * elem, 0, elem);
    *arr = v;
    return v + (*n)++ * elem;
}

sqlalc_column_info *sqlalc_reflect_add_column(sqlalc_table_info *t, const char *name, sqlalc_type *type,
                                              const char *type_sql, int nullable, const char *default_sql,
                                              int autoincrement, const char *comment)
{
    sqlalc_column_info *c = grow1((void **)&t->columns, &t->ncolumns, sizeof *c);
    if (!c) {
        sqlalc_type_free(type);
        return NULL;
    }
    c->type = type;
    c->nullable = nullable;
    c->autoincrement = autoincrement;
    if (sqlalc_reflect_set_string(&c->name, name) || sqlalc_reflect_set_string(&c->type_sql, type_sql) ||
        sqlalc_reflect_set_string(&c->default_sql, default_sql) ||
        sqlalc_reflect_set_string(&c->comment, comment))
        return NULL; /* partially filled; freed with the table */
    return c;
}

int sqlalc_reflect_pk_column(sqlalc_table_info *t, const char *column)
{
    int rc = sqlalc_strlist_append(&t->pk.columns, column);
    if (rc)
        return rc;
    for (size_t i = 0; i < t->ncolumns; i++)
        if (t->columns[i].name && !strcmp(t->columns[i].name, column))
            t->columns[i].pk_position = (int)t->pk.columns.count;
    return SQLALC_OK;
}

int sqlalc_reflect_set_pk_name(sqlalc_table_info *t, const char *name)
{
    return sqlalc_reflect_set_string(&t->pk.name, name);
}

sqlalc_fk_info *sqlalc_reflect_add_fk(sqlalc_table_info *t, const char *name, const char *referred_schema,
                                      const char *referred_table, const char *ondelete, const char *onupdate)
{
    sqlalc_fk_info *f = grow1((void **)&t->fks, &t->nfks, sizeof *f);
    if (!f)
        return NULL;
    if (sqlalc_reflect_set_string(&f->name, name) ||
        sqlalc_reflect_set_string(&f->referred_schema, referred_schema) ||
        sqlalc_reflect_set_string(&f->referred_table, referred_table) ||
        sqlalc_reflect_set_string(&f->ondelete, ondelete) ||
        sqlalc_reflect_set_string(&f->onupdate, onupdate))
        return NULL;
    return f;
}

int sqlalc_reflect_fk_column(sqlalc_fk_info *fk, const char *column, const char *referred_column)
{
    int rc = sqlalc_strlist_append(&fk->columns, column);
    return rc ? rc : sqlalc_strlist_append(&fk->referred_columns, referred_column);
}

sqlalc_index_info *sqlalc_reflect_add_index(sqlalc_table_info *t, const char *name, int unique)
{
    sqlalc_index_info *ix = grow1((void **)&t->indexes, &t->nindexes, sizeof *ix);
    if (!ix)
        return NULL;
    ix->unique = unique;
    return sqlalc_reflect_set_string(&ix->name, name) ? NULL : ix;
}

sqlalc_unique_info *sqlalc_reflect_add_unique(sqlalc_table_info *t, const char *name)
{
    sqlalc_unique_info *u = grow1((void **)&t->uniques, &t->nuniques, sizeof *u);
    if (!u)
        return NULL;
    return sqlalc_reflect_set_string(&u->name, name) ? NULL : u;
}

static sqlalc_check_info *add_check(sqlalc_check_info **v, size_t *n, const char *name, const char *sqltext)
{
    sqlalc_check_info *c = grow1((void **)v, n, sizeof *c);
    if (!c)
        return NULL;
    if (sqlalc_reflect_set_string(&c->name, name) || sqlalc_reflect_set_string(&c->sqltext, sqltext))
        return NULL;
    return c;
}

sqlalc_check_info *sqlalc_reflect_add_check(sqlalc_table_info *t, const char *name, const char *sqltext)
{
    return add_check(&t->checks, &t->nchecks, name, sqltext);
}

sqlalc_index_element_info *sqlalc_reflect_index_element(sqlalc_index_info *ix, const char *column,
                                                        const char *expression, const char *sorting,
                                                        const char *opclass)
{
    if (!column && !expression)
        expression = "";
    if (sqlalc_strlist_append(&ix->columns, column ? column : expression))
        return NULL;
    sqlalc_index_element_info *e = grow1((void **)&ix->elements, &ix->nelements, sizeof *e);
    if (!e)
        return NULL;
    if (sqlalc_reflect_set_string(&e->column, column) ||
        sqlalc_reflect_set_string(&e->expression, expression ? expression : column) ||
        sqlalc_reflect_set_string(&e->sorting, sorting && *sorting ? sorting : NULL) ||
        sqlalc_reflect_set_string(&e->opclass, opclass && *opclass ? opclass : NULL))
        return NULL;
    return e;
}

sqlalc_sequence_info *sqlalc_reflect_add_sequence(sqlalc_schema_info *si, const char *schema,
                                                  const char *name)
{
    sqlalc_sequence_info *q = grow1((void **)&si->sequences, &si->nsequences, sizeof *q);
    if (!q)
        return NULL;
    if (sqlalc_reflect_set_string(&q->schema, schema) || sqlalc_reflect_set_string(&q->name, name))
        return NULL;
    return q;
}

sqlalc_domain_info *sqlalc_reflect_add_domain(sqlalc_schema_info *si, const char *schema, const char *name,
                                              sqlalc_type *type, const char *type_sql, int nullable,
                                              const char *default_sql)
{
    sqlalc_domain_info *dm = grow1((void **)&si->domains, &si->ndomains, sizeof *dm);
    if (!dm) {
        sqlalc_type_free(type);
        return NULL;
    }
    dm->type = type;
    dm->nullable = nullable;
    if (sqlalc_reflect_set_string(&dm->schema, schema) || sqlalc_reflect_set_string(&dm->name, name) ||
        sqlalc_reflect_set_string(&dm->type_sql, type_sql) ||
        sqlalc_reflect_set_string(&dm->default_sql, default_sql))
        return NULL;
    return dm;
}

sqlalc_check_info *sqlalc_reflect_domain_check(sqlalc_domain_info *dom, const char *name, const char *sqltext)
{
    return add_check(&dom->checks, &dom->nchecks, name, sqltext);
}

/* ------------------------------------------------------------------ */
/* Describe a declared table                                           */
/* ------------------------------------------------------------------ */

char *sqlalc__type_spelled(const sqlalc_type *t, const sqlalc_dialect *d)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    if (t->kind == SQLALC_TYPE_DOMAIN && t->base)
        t = t->base; /* reported as its base type, as SQLAlchemy does */
    if (d && d->ddl && d->ddl->native_enum && t->kind == SQLALC_TYPE_ENUM && t->name && !t->non_native)
        sqlalc__ddl_ident(&b, d, t->name);
    else {
        size_t n = sqlalc_type_sql(t, d, NULL, 0);
        char *s = sqlalc__malloc(n + 1);
        if (!s)
            return NULL;
        sqlalc_type_sql(t, d, s, n + 1);
        return s;
    }
    return sqlalc_buf_detach(&b);
}

static int names_from(sqlalc_strlist *l, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sqlalc_strlist_append(l, v[i]))
            return SQLALC_ERR_NOMEM;
    return SQLALC_OK;
}

static void identity_info(sqlalc_identity_info *out, const struct sqlalc__identity *idn)
{
    memset(out, 0, sizeof *out);
    if (!idn)
        return;
    out->present = 1;
    out->always = idn->always;
    out->start = idn->start;
    out->increment = idn->increment;
    out->minvalue = idn->minvalue;
    out->maxvalue = idn->maxvalue;
    out->cache = idn->cache;
    out->cycle = idn->cycle;
}

static int describe_index(sqlalc_table_info *ti, const sqlalc_index_def *d)
{
    sqlalc_index_info *ix = sqlalc_reflect_add_index(ti, d->name, d->unique);
    if (!ix)
        return SQLALC_ERR_NOMEM;
    for (size_t k = 0; k < d->ncols; k++) {
        int expr = d->is_expr && d->is_expr[k];
        if (!sqlalc_reflect_index_element(ix, expr ? NULL : d->cols[k], expr ? d->cols[k] : NULL,
                                          d->sorting ? d->sorting[k] : NULL,
                                          d->opclass ? d->opclass[k] : NULL))
            return SQLALC_ERR_NOMEM;
    }
    if (sqlalc_reflect_set_string(&ix->method, d->method) ||
        sqlalc_reflect_set_string(&ix->where, d->where) || sqlalc_reflect_set_string(&ix->with, d->with) ||
        names_from(&ix->include, d->include, d->ninclude))
        return SQLALC_ERR_NOMEM;
    return SQLALC_OK;
}

int sqlalc_table_describe(const sqlalc_table *t, const sqlalc_dialect *d, sqlalc_table_info **out)
{
    if (!t || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_describe: NULL argument");
    *out = NULL;
    sqlalc_schema_info si = { 0 };
    sqlalc_table_info *ti = sqlalc_reflect_add_table(&si, t->schema, t->name, t->is_view);
    int rc = ti ? SQLALC_OK : SQLALC_ERR_NOMEM;
    if (!rc && (sqlalc_reflect_set_string(&ti->comment, t->comment) ||
                sqlalc_reflect_set_string(&ti->partition_by, t->partition_by) ||
                sqlalc_reflect_set_string(&ti->partition_of, t->partition_of) ||
                sqlalc_reflect_set_string(&ti->partition_bound, t->partition_bound)))
        rc = SQLALC_ERR_NOMEM;
    if (ti)
        ti->sqlite_autoincrement = t->sqlite_autoincrement;
    for (size_t i = 0; i < t->ncolumns && !rc; i++) {
        const struct sqlalc_column_node *c = t->columns[i];
        char *spelled = sqlalc__type_spelled(c->type, d), *dflt = NULL;
        if (!spelled) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        if ((rc = sqlalc__ddl_column_default(c, d, &dflt)) != SQLALC_OK) {
            sqlalc_free(spelled);
            break;
        }
        const sqlalc_type *ty =
            c->type->kind == SQLALC_TYPE_DOMAIN && c->type->base ? c->type->base : c->type;
        sqlalc_column_info *ci = sqlalc_reflect_add_column(
            ti, c->name, sqlalc_type_ref((sqlalc_type *)ty), spelled, c->nullable, dflt,
            t->autoinc == c || c->autoincrement == 1 || c->identity != NULL, c->comment);
        sqlalc_free(spelled);
        sqlalc_free(dflt);
        if (!ci) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        identity_info(&ci->identity, c->identity);
        ci->serial = sqlalc__ddl_is_serial(t, c, d);
        /* a created domain adds its NOT NULL and default, as reflection
         * reports them */
        const struct sqlalc__domain *dm = c->type->kind == SQLALC_TYPE_DOMAIN ? c->type->domain : NULL;
        int domains = !d || (d->ddl && sqlalc__ddl_v2(d)->domains);
        if (dm && domains) {
            if (dm->not_null)
                ci->nullable = 0;
            if (!ci->default_sql && dm->default_sql &&
                sqlalc_reflect_set_string(&ci->default_sql, dm->default_sql))
                rc = SQLALC_ERR_NOMEM;
        }
        if (sqlalc_reflect_set_string(&ci->sequence, c->sequence ? c->sequence->name : NULL) ||
            sqlalc_reflect_set_string(&ci->domain, dm && domains ? c->type->name : NULL))
            rc = SQLALC_ERR_NOMEM;
    }
    if (!rc && sqlalc_reflect_set_pk_name(ti, t->pk_name))
        rc = SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < t->npk && !rc; i++)
        rc = sqlalc_reflect_pk_column(ti, t->pk[i]->name);
    for (size_t i = 0; i < t->nfks && !rc; i++) {
        const sqlalc_fk *fk = t->fks[i];
        sqlalc_fk_info *f =
            sqlalc_reflect_add_fk(ti, fk->name, fk->ref_schema, fk->ref_table, fk->ondelete, fk->onupdate);
        if (!f) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < fk->ncols && !rc; k++)
            rc = sqlalc_reflect_fk_column(f, fk->cols[k]->name, fk->ref_colnames[k]);
    }
    for (size_t i = 0; i < t->nindexes && !rc; i++)
        rc = describe_index(ti, t->indexes[i]);
    for (size_t i = 0; i < t->ncons && !rc; i++) {
        const sqlalc_constraint *c = t->cons[i];
        if (c->kind == SQLALC__CON_UNIQUE) {
            sqlalc_unique_info *u = sqlalc_reflect_add_unique(ti, c->name);
            rc = u ? names_from(&u->columns, c->cols, c->ncols) : SQLALC_ERR_NOMEM;
        } else if (!sqlalc_reflect_add_check(ti, c->name, c->sqltext))
            rc = SQLALC_ERR_NOMEM;
    }
    /* Non-native enums asking for it are CHECK constraints in the
     * database: list them. */
    for (size_t i = 0; i < t->ncolumns && !rc; i++) {
        const struct sqlalc_column_node *c = t->columns[i];
        if (!sqlalc__ddl_enum_check_wanted(c->type, d))
            continue;
        sqlalc_buf b = SQLALC_BUF_INIT;
        sqlalc__ddl_enum_check(&b, c, d);
        const char *txt = sqlalc_buf_cstr(&b);
        if (!txt || !sqlalc_reflect_add_check(ti, c->type->name, txt))
            rc = SQLALC_ERR_NOMEM;
        sqlalc_buf_free(&b);
    }
    if (!rc) {
        *out = ti;
        si.tables[0] = NULL;
        si.count = 0;
    }
    sqlalc_schema_info_clear(&si);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Inspector                                                           */
/* ------------------------------------------------------------------ */

typedef struct schema_cache {
    sqlalc_schema_info si;
    sqlalc_strlist tables, views, sequences;
    int have_all;
} schema_cache;

struct sqlalc_inspector {
    sqlalc_conn *conn;
    int own_conn;
    char *default_schema;
    sqlalc_strlist schemas;
    int have_schemas;
    sqlalc_map cache; /* schema name ("" = default) → schema_cache */
};

static const sqlalc_reflect_hooks *hooks_of(sqlalc_conn *conn)
{
    return sqlalc__conn_reflect_hooks(conn);
}

static int no_reflection(sqlalc_conn *conn)
{
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                            "dialect %s cannot reflect schemas (no reflection hooks)",
                            d ? d->name : "(null)");
}

/* Treat the default schema's name like NULL (SQLAlchemy reports None). */
static const char *norm_schema(sqlalc_conn *conn, const char *schema)
{
    const sqlalc_reflect_hooks *h = hooks_of(conn);
    if (schema && h && h->default_schema_name && !strcmp(schema, h->default_schema_name))
        return NULL;
    return schema;
}

int sqlalc__reflect_schema(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames,
                           int views, sqlalc_schema_info *out);

int sqlalc__has_table(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    const sqlalc_reflect_hooks *h = hooks_of(conn);
    *out = 0;
    if (!h || h->version == 0)
        return no_reflection(conn);
    schema = norm_schema(conn, schema);
    if (h->has_table)
        return h->has_table(conn, schema, name, out);
    sqlalc_strlist l = { 0 };
    int rc = SQLALC_OK;
    for (int v = 0; v < 2 && !rc && !*out; v++) {
        if (h->table_names)
            rc = h->table_names(conn, schema, v, &l);
        else {
            sqlalc_schema_info si = { 0 };
            const char *one[1] = { name };
            rc = sqlalc__reflect_schema(conn, schema, one, 1, 1, &si);
            *out = !rc && si.count > 0;
            sqlalc_schema_info_clear(&si);
            break;
        }
        if (!rc)
            *out = sqlalc_strlist_contains(&l, name);
        sqlalc_strlist_clear(&l);
    }
    return rc;
}

int sqlalc__has_type(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    const sqlalc_reflect_hooks *h = hooks_of(conn);
    *out = 0;
    if (h && h->has_type)
        return h->has_type(conn, norm_schema(conn, schema), name, out);
    return SQLALC_OK;
}

int sqlalc__has_sequence(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    const sqlalc_reflect_hooks *h = hooks_of(conn);
    *out = 0;
    if (h && h->version >= 2 && h->has_sequence)
        return h->has_sequence(conn, norm_schema(conn, schema), name, out);
    return SQLALC_OK;
}

int sqlalc_inspector_new_conn(sqlalc_conn *conn, sqlalc_inspector **out)
{
    if (!conn || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_new_conn: NULL argument");
    *out = NULL;
    const sqlalc_reflect_hooks *h = hooks_of(conn);
    if (!h || (!h->reflect && !h->tables_query))
        return no_reflection(conn);
    sqlalc_inspector *insp = sqlalc__calloc(1, sizeof *insp);
    if (!insp)
        return SQLALC_ERR_NOMEM;
    insp->conn = conn;
    *out = insp;
    return SQLALC_OK;
}

int sqlalc_inspector_new(sqlalc_engine *eng, sqlalc_inspector **out)
{
    if (!eng || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_new: NULL argument");
    *out = NULL;
    sqlalc_conn *conn = NULL;
    int rc = sqlalc_engine_connect(eng, &conn);
    if (rc)
        return rc;
    rc = sqlalc_inspector_new_conn(conn, out);
    if (rc) {
        sqlalc_conn_close(conn);
        return rc;
    }
    (*out)->own_conn = 1;
    return SQLALC_OK;
}

void sqlalc_inspector_clear_cache(sqlalc_inspector *insp)
{
    if (!insp)
        return;
    size_t it = 0;
    for (sqlalc_map_entry *e; (e = sqlalc_map_next(&insp->cache, &it)) != NULL;) {
        schema_cache *sc = e->value;
        sqlalc_schema_info_clear(&sc->si);
        sqlalc_strlist_clear(&sc->tables);
        sqlalc_strlist_clear(&sc->views);
        sqlalc_strlist_clear(&sc->sequences);
        sqlalc_free(sc);
    }
    sqlalc_map_free(&insp->cache);
    sqlalc_strlist_clear(&insp->schemas);
    insp->have_schemas = 0;
}

void sqlalc_inspector_free(sqlalc_inspector *insp)
{
    if (!insp)
        return;
    sqlalc_inspector_clear_cache(insp);
    sqlalc_free(insp->default_schema);
    if (insp->own_conn)
        sqlalc_conn_close(insp->conn);
    sqlalc_free(insp);
}

int sqlalc_inspector_default_schema(sqlalc_inspector *insp, const char **out)
{
    if (!insp || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_default_schema: NULL argument");
    const sqlalc_reflect_hooks *h = hooks_of(insp->conn);
    if (!insp->default_schema) {
        if (h->default_schema) {
            int rc = h->default_schema(insp->conn, &insp->default_schema);
            if (rc)
                return rc;
        } else if (sqlalc_reflect_set_string(&insp->default_schema,
                                             h->default_schema_name ? h->default_schema_name : ""))
            return SQLALC_ERR_NOMEM;
    }
    *out = insp->default_schema;
    return SQLALC_OK;
}

int sqlalc_inspector_schema_names(sqlalc_inspector *insp, const sqlalc_strlist **out)
{
    if (!insp || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_schema_names: NULL argument");
    if (!insp->have_schemas) {
        const sqlalc_reflect_hooks *h = hooks_of(insp->conn);
        int rc;
        if (h->schema_names)
            rc = h->schema_names(insp->conn, &insp->schemas);
        else {
            const char *def = NULL;
            rc = sqlalc_inspector_default_schema(insp, &def);
            if (!rc)
                rc = sqlalc_strlist_append(&insp->schemas, def);
        }
        if (rc) {
            sqlalc_strlist_clear(&insp->schemas);
            return rc;
        }
        names_sort(&insp->schemas);
        insp->have_schemas = 1;
    }
    *out = &insp->schemas;
    return SQLALC_OK;
}

static int get_cache(sqlalc_inspector *insp, const char *schema, schema_cache **out)
{
    schema = norm_schema(insp->conn, schema);
    const char *key = schema ? schema : "";
    schema_cache *sc = sqlalc_map_get(&insp->cache, key, strlen(key));
    if (!sc) {
        if (!(sc = sqlalc__calloc(1, sizeof *sc)))
            return SQLALC_ERR_NOMEM;
        if (sqlalc_map_put(&insp->cache, key, strlen(key), sc)) {
            sqlalc_free(sc);
            return sqlalc__oom();
        }
    }
    if (!sc->have_all) {
        sqlalc_schema_info_clear(&sc->si);
        sqlalc_strlist_clear(&sc->tables);
        sqlalc_strlist_clear(&sc->views);
        sqlalc_strlist_clear(&sc->sequences);
        int rc = sqlalc__reflect_schema(insp->conn, schema, NULL, 0, 1, &sc->si);
        for (size_t i = 0; i < sc->si.count && !rc; i++)
            rc = sqlalc_strlist_append(sc->si.tables[i]->is_view ? &sc->views : &sc->tables,
                                       sc->si.tables[i]->name);
        for (size_t i = 0; i < sc->si.nsequences && !rc; i++)
            rc = sqlalc_strlist_append(&sc->sequences, sc->si.sequences[i].name);
        if (rc) {
            sqlalc_schema_info_clear(&sc->si);
            sqlalc_strlist_clear(&sc->tables);
            sqlalc_strlist_clear(&sc->views);
            sqlalc_strlist_clear(&sc->sequences);
            return rc;
        }
        names_sort(&sc->tables);
        names_sort(&sc->views);
        names_sort(&sc->sequences);
        sc->have_all = 1;
    }
    *out = sc;
    return SQLALC_OK;
}

int sqlalc_inspector_tables(sqlalc_inspector *insp, const char *schema, const sqlalc_schema_info **out)
{
    if (!insp || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_tables: NULL argument");
    schema_cache *sc;
    int rc = get_cache(insp, schema, &sc);
    if (!rc)
        *out = &sc->si;
    return rc;
}

int sqlalc_inspector_sequence_names(sqlalc_inspector *insp, const char *schema, const sqlalc_strlist **out)
{
    if (!insp || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_sequence_names: NULL argument");
    schema_cache *sc;
    int rc = get_cache(insp, schema, &sc);
    if (!rc)
        *out = &sc->sequences;
    return rc;
}

int sqlalc_inspector_table_names(sqlalc_inspector *insp, const char *schema, const sqlalc_strlist **out)
{
    if (!insp || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_table_names: NULL argument");
    schema_cache *sc;
    int rc = get_cache(insp, schema, &sc);
    if (!rc)
        *out = &sc->tables;
    return rc;
}

int sqlalc_inspector_view_names(sqlalc_inspector *insp, const char *schema, const sqlalc_strlist **out)
{
    if (!insp || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_view_names: NULL argument");
    schema_cache *sc;
    int rc = get_cache(insp, schema, &sc);
    if (!rc)
        *out = &sc->views;
    return rc;
}

int sqlalc_inspector_has_table(sqlalc_inspector *insp, const char *schema, const char *name, int *out)
{
    if (!insp || !name || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_has_table: NULL argument");
    /* Always asks the database: has_table is what callers use after DDL. */
    return sqlalc__has_table(insp->conn, schema, name, out);
}

int sqlalc_inspector_table(sqlalc_inspector *insp, const char *schema, const char *name,
                           const sqlalc_table_info **out)
{
    if (!insp || !name || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_table: NULL argument");
    *out = NULL;
    schema_cache *sc;
    int rc = get_cache(insp, schema, &sc);
    if (rc)
        return rc;
    *out = sqlalc_schema_info_find(&sc->si, norm_schema(insp->conn, schema), name);
    if (!*out)
        return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no table %s%s%s in the database", schema ? schema : "",
                                schema ? "." : "", name);
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at p (a byte >= 0x80), or 0:
 * no overlong forms, surrogates or code points past U+10FFFF. */
static size_t utf8_valid_len(const unsigned char *p)
{
    unsigned c = p[0], cp;
    size_t k;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, cp = c & 0x07;
    else
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else if (*p < 0x80)
                fputc(*p, f);
            else {
                /* names and SQL from the catalog may hold any bytes (SQLite
                 * keeps declared types as written): invalid UTF-8 becomes
                 * U+FFFD so the output stays JSON (found by fuzz_reflect_sqlite) */
                size_t k = utf8_valid_len(p);
                if (k) {
                    fwrite(p, 1, k, f);
                    p += k - 1;
                } else
                    fputs("\\ufffd", f);
            }
        }
    }
    fputc('"', f);
}

static void json_names(FILE *f, const sqlalc_strlist *l)
{
    fputc('[', f);
    for (size_t i = 0; i < l->count; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, l->items[i]);
    }
    fputc(']', f);
}

/* "column_names" (null for an expression element) and, as SQLAlchemy 2.0
 * reports them, "expressions" when there are any. */
static void json_index_columns(FILE *f, const sqlalc_index_info *ix)
{
    int any_expr = 0;
    fputs(", \"column_names\": ", f);
    if (!ix->nelements) {
        json_names(f, &ix->columns);
        return;
    }
    fputc('[', f);
    for (size_t i = 0; i < ix->nelements; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, ix->elements[i].column);
        any_expr |= !ix->elements[i].column;
    }
    fputc(']', f);
    if (any_expr) {
        fputs(", \"expressions\": [", f);
        for (size_t i = 0; i < ix->nelements; i++) {
            if (i)
                fputs(", ", f);
            json_str(f, ix->elements[i].expression);
        }
        fputc(']', f);
    }
}

/* SQLAlchemy's optional index keys: column_sorting, include_columns,
 * duplicates_constraint, dialect_options (<dialect>_using / _where / _with). */
static void json_index_extras(FILE *f, const sqlalc_index_info *ix, const char *dialect)
{
    int any = 0;
    for (size_t i = 0; i < ix->nelements; i++)
        if (ix->elements[i].sorting) {
            fputs(any ? ", " : ", \"column_sorting\": {", f);
            json_str(f, ix->elements[i].column ? ix->elements[i].column : ix->elements[i].expression);
            fputs(": [", f);
            /* "DESC NULLS LAST" → ["desc", "nulls_last"] */
            const char *p = ix->elements[i].sorting;
            int first = 1;
            while (*p) {
                while (*p == ' ')
                    p++;
                if (!*p)
                    break;
                fputs(first ? "\"" : ", \"", f);
                first = 0;
                int nulls = !sqlalc__strncasecmp(p, "NULLS ", 6);
                for (int k = 0; *p && (*p != ' ' || (nulls && k == 5)); p++, k++)
                    fputc(*p == ' ' ? '_' : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p), f);
                fputc('"', f);
            }
            fputc(']', f);
            any = 1;
        }
    if (any)
        fputc('}', f);
    if (ix->include.count) {
        fputs(", \"include_columns\": ", f);
        json_names(f, &ix->include);
    }
    if (ix->duplicates_constraint) {
        fputs(", \"duplicates_constraint\": ", f);
        json_str(f, ix->duplicates_constraint);
    }
    if (ix->method || ix->where || ix->with) {
        const char *sep = "";
        fputs(", \"dialect_options\": {", f);
        if (ix->method) {
            fprintf(f, "\"%s_using\": ", dialect);
            json_str(f, ix->method);
            sep = ", ";
        }
        if (ix->where) {
            fprintf(f, "%s\"%s_where\": ", sep, dialect);
            json_str(f, ix->where);
            sep = ", ";
        }
        if (ix->with) {
            fprintf(f, "%s\"%s_with\": ", sep, dialect);
            json_str(f, ix->with);
        }
        fputc('}', f);
    }
}

static void json_table(FILE *f, const sqlalc_table_info *t, const char *dialect)
{
    fputs("{\n    \"columns\": [", f);
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sqlalc_column_info *c = &t->columns[i];
        fputs(i ? ",\n      {" : "\n      {", f);
        fputs("\"name\": ", f);
        json_str(f, c->name);
        fputs(", \"type\": ", f);
        json_str(f, c->type_sql);
        fprintf(f, ", \"nullable\": %s, \"default\": ", c->nullable ? "true" : "false");
        json_str(f, c->default_sql);
        fprintf(f, ", \"primary_key\": %d, \"autoincrement\": %s", c->pk_position,
                c->autoincrement ? "true" : "false");
        if (c->identity.present)
            fprintf(
                f,
                ", \"identity\": {\"always\": %s, \"start\": %lld, \"increment\": %lld, \"minvalue\": %lld, "
                "\"maxvalue\": %lld, \"cache\": %lld, \"cycle\": %s}",
                c->identity.always ? "true" : "false", (long long)c->identity.start,
                (long long)c->identity.increment, (long long)c->identity.minvalue,
                (long long)c->identity.maxvalue, (long long)c->identity.cache,
                c->identity.cycle ? "true" : "false");
        if (c->domain) {
            fputs(", \"domain\": ", f);
            json_str(f, c->domain);
        }
        fputc('}', f);
    }
    fputs(t->ncolumns ? "\n    ],\n" : "],\n", f);
    fputs("    \"pk_constraint\": {\"name\": ", f);
    json_str(f, t->pk.name);
    fputs(", \"constrained_columns\": ", f);
    json_names(f, &t->pk.columns);
    fputs("},\n    \"foreign_keys\": [", f);
    for (size_t i = 0; i < t->nfks; i++) {
        const sqlalc_fk_info *k = &t->fks[i];
        fputs(i ? ",\n      {" : "\n      {", f);
        fputs("\"name\": ", f);
        json_str(f, k->name);
        fputs(", \"constrained_columns\": ", f);
        json_names(f, &k->columns);
        fputs(", \"referred_schema\": ", f);
        json_str(f, k->referred_schema);
        fputs(", \"referred_table\": ", f);
        json_str(f, k->referred_table);
        fputs(", \"referred_columns\": ", f);
        json_names(f, &k->referred_columns);
        fputc('}', f);
    }
    fputs(t->nfks ? "\n    ],\n" : "],\n", f);
    fputs("    \"indexes\": [", f);
    for (size_t i = 0; i < t->nindexes; i++) {
        fputs(i ? ",\n      {" : "\n      {", f);
        fputs("\"name\": ", f);
        json_str(f, t->indexes[i].name);
        json_index_columns(f, &t->indexes[i]);
        fprintf(f, ", \"unique\": %s", t->indexes[i].unique ? "true" : "false");
        json_index_extras(f, &t->indexes[i], dialect);
        fputc('}', f);
    }
    fputs(t->nindexes ? "\n    ],\n" : "],\n", f);
    fputs("    \"unique_constraints\": [", f);
    for (size_t i = 0; i < t->nuniques; i++) {
        fputs(i ? ",\n      {" : "\n      {", f);
        fputs("\"name\": ", f);
        json_str(f, t->uniques[i].name);
        fputs(", \"column_names\": ", f);
        json_names(f, &t->uniques[i].columns);
        fputc('}', f);
    }
    fputs(t->nuniques ? "\n    ],\n" : "],\n", f);
    fputs("    \"check_constraints\": [", f);
    for (size_t i = 0; i < t->nchecks; i++) {
        fputs(i ? ",\n      {" : "\n      {", f);
        fputs("\"name\": ", f);
        json_str(f, t->checks[i].name);
        fputs(", \"sqltext\": ", f);
        json_str(f, t->checks[i].sqltext);
        fputc('}', f);
    }
    fputs(t->nchecks ? "\n    ]" : "]", f);
    if (t->partition_by) {
        fputs(",\n    \"partition_by\": ", f);
        json_str(f, t->partition_by);
    }
    if (t->partition_of) {
        fputs(",\n    \"partition_of\": ", f);
        json_str(f, t->partition_of);
        fputs(", \"partition_bound\": ", f);
        json_str(f, t->partition_bound);
    }
    fputs("\n  }", f);
}

int sqlalc_inspector_json(sqlalc_inspector *insp, const char *schema, FILE *f)
{
    if (!insp || !f)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_inspector_json: NULL argument");
    const sqlalc_strlist *names;
    int rc = sqlalc_inspector_table_names(insp, schema, &names);
    if (rc)
        return rc;
    fputc('{', f);
    for (size_t i = 0; i < names->count; i++) {
        const sqlalc_table_info *t;
        if ((rc = sqlalc_inspector_table(insp, schema, names->items[i], &t)))
            return rc;
        fputs(i ? ",\n  " : "\n  ", f);
        json_str(f, t->name);
        fputs(": ", f);
        const sqlalc_dialect *d = sqlalc__conn_dialect(insp->conn);
        json_table(f, t, d && d->name ? d->name : "");
    }
    fputs(names->count ? "\n}\n" : "}\n", f);
    if (ferror(f))
        return sqlalc_error_set(SQLALC_ERR_GENERIC, "sqlalc_inspector_json: write error");
    return SQLALC_OK;
}

int sqlalc_inspect_json(sqlalc_engine *eng, FILE *f)
{
    sqlalc_inspector *insp;
    int rc = sqlalc_inspector_new(eng, &insp);
    if (rc)
        return rc;
    rc = sqlalc_inspector_json(insp, NULL, f);
    sqlalc_inspector_free(insp);
    return rc;
}

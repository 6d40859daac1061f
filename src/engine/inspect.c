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
        sqlalc_free(ti->indexes[i].name);
        sqlalc_strlist_clear(&ti->indexes[i].columns);
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
    sqlalc_free(ti);
}

static int key_of(const char *schema, const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s\x1f%s", schema ? schema : "", name ? name : "");
    return n > 0 && (size_t)n < size ? n : -1;
}

void sqlalc_schema_info_clear(sqlalc_schema_info *si)
{
    if (!si)
        return;
    for (size_t i = 0; i < si->count; i++)
        sqlalc_table_info_free(si->tables[i]);
    sqlalc_free(si->tables);
    if (si->priv) {
        sqlalc_map_free(si->priv);
        sqlalc_free(si->priv);
    }
    memset(si, 0, sizeof *si);
}

const sqlalc_table_info *sqlalc_schema_info_find(const sqlalc_schema_info *si, const char *schema,
                                                 const char *name)
{
    char key[512];
    int n = key_of(schema, name, key, sizeof key);
    if (!si || !si->priv || n < 0)
        return NULL;
    return sqlalc_map_get(si->priv, key, (size_t)n);
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
    char key[512];
    int kn = key_of(schema, name, key, sizeof key);
    if (kn < 0) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table name too long: %s", name);
        return NULL;
    }
    if (!si->priv && !(si->priv = sqlalc__calloc(1, sizeof(sqlalc_map))))
        return NULL;
    sqlalc_table_info *ti = sqlalc_map_get(si->priv, key, (size_t)kn);
    if (ti)
        return ti;
    ti = sqlalc__calloc(1, sizeof *ti);
    if (!ti)
        return NULL;
    ti->is_view = is_view;
    if (sqlalc_reflect_set_string(&ti->name, name) || sqlalc_reflect_set_string(&ti->schema, schema))
        goto fail;
    sqlalc_table_info **v = sqlalc__realloc(si->tables, (si->count + 1) * sizeof *v);
    if (!v)
        goto fail;
    si->tables = v;
    if (sqlalc_map_put(si->priv, key, (size_t)kn, ti)) {
        sqlalc__oom();
        goto fail;
    }
    si->tables[si->count++] = ti;
    return ti;
fail:
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

sqlalc_check_info *sqlalc_reflect_add_check(sqlalc_table_info *t, const char *name, const char *sqltext)
{
    sqlalc_check_info *c = grow1((void **)&t->checks, &t->nchecks, sizeof *c);
    if (!c)
        return NULL;
    if (sqlalc_reflect_set_string(&c->name, name) || sqlalc_reflect_set_string(&c->sqltext, sqltext))
        return NULL;
    return c;
}

/* ------------------------------------------------------------------ */
/* Describe a declared table                                           */
/* ------------------------------------------------------------------ */

char *sqlalc__type_spelled(const sqlalc_type *t, const sqlalc_dialect *d)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    if (d && d->ddl && d->ddl->native_enum && t->kind == SQLALC_TYPE_ENUM && t->name)
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

int sqlalc_table_describe(const sqlalc_table *t, const sqlalc_dialect *d, sqlalc_table_info **out)
{
    if (!t || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_describe: NULL argument");
    *out = NULL;
    sqlalc_schema_info si = { 0 };
    sqlalc_table_info *ti = sqlalc_reflect_add_table(&si, t->schema, t->name, t->is_view);
    int rc = ti ? SQLALC_OK : SQLALC_ERR_NOMEM;
    if (!rc && (sqlalc_reflect_set_string(&ti->comment, t->comment)))
        rc = SQLALC_ERR_NOMEM;
    if (ti)
        ti->sqlite_autoincrement = t->sqlite_autoincrement;
    for (size_t i = 0; i < t->ncolumns && !rc; i++) {
        const struct sqlalc_column_node *c = t->columns[i];
        char *spelled = sqlalc__type_spelled(c->type, d);
        if (!spelled) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        sqlalc_column_info *ci = sqlalc_reflect_add_column(
            ti, c->name, sqlalc_type_ref(c->type), spelled, c->nullable, c->server_default,
            t->autoinc == c || c->autoincrement == 1, c->comment);
        sqlalc_free(spelled);
        if (!ci)
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
    for (size_t i = 0; i < t->nindexes && !rc; i++) {
        sqlalc_index_info *ix = sqlalc_reflect_add_index(ti, t->indexes[i]->name, t->indexes[i]->unique);
        rc = ix ? names_from(&ix->columns, t->indexes[i]->cols, t->indexes[i]->ncols) : SQLALC_ERR_NOMEM;
    }
    for (size_t i = 0; i < t->ncons && !rc; i++) {
        const sqlalc_constraint *c = t->cons[i];
        if (c->kind == SQLALC__CON_UNIQUE) {
            sqlalc_unique_info *u = sqlalc_reflect_add_unique(ti, c->name);
            rc = u ? names_from(&u->columns, c->cols, c->ncols) : SQLALC_ERR_NOMEM;
        } else if (!sqlalc_reflect_add_check(ti, c->name, c->sqltext))
            rc = SQLALC_ERR_NOMEM;
    }
    /* Non-native enums are CHECK constraints in the database: list them. */
    for (size_t i = 0; i < t->ncolumns && !rc && d && d->ddl && d->ddl->enum_check && !d->ddl->native_enum;
         i++) {
        const struct sqlalc_column_node *c = t->columns[i];
        if (c->type->kind != SQLALC_TYPE_ENUM)
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
    sqlalc_strlist tables, views;
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
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    return d ? d->reflect : NULL;
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
        int rc = sqlalc__reflect_schema(insp->conn, schema, NULL, 0, 1, &sc->si);
        for (size_t i = 0; i < sc->si.count && !rc; i++)
            rc = sqlalc_strlist_append(sc->si.tables[i]->is_view ? &sc->views : &sc->tables,
                                       sc->si.tables[i]->name);
        if (rc) {
            sqlalc_schema_info_clear(&sc->si);
            sqlalc_strlist_clear(&sc->tables);
            sqlalc_strlist_clear(&sc->views);
            return rc;
        }
        names_sort(&sc->tables);
        names_sort(&sc->views);
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
            else
                fputc(*p, f);
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

static void json_table(FILE *f, const sqlalc_table_info *t)
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
        fprintf(f, ", \"primary_key\": %d, \"autoincrement\": %s}", c->pk_position,
                c->autoincrement ? "true" : "false");
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
        fputs(", \"column_names\": ", f);
        json_names(f, &t->indexes[i].columns);
        fprintf(f, ", \"unique\": %s}", t->indexes[i].unique ? "true" : "false");
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
    fputs(t->nchecks ? "\n    ]\n  }" : "]\n  }", f);
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
        json_table(f, t);
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

/*
 * Where the two sides of a diff come from: a live database (the
 * inspector's reflection) or a MetaData (sqlalc_table_describe, spelled
 * for the database it is compared with).
 */
#include <string.h>
#include "migrate_int.h"

typedef struct tables {
    size_t n, cap;
    const sqlalc_table_info **t;
} tables;

static int push(tables *l, const sqlalc_table_info *ti)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const sqlalc_table_info **p = sqlalc__realloc((void *)l->t, cap * sizeof *p);
        if (!p)
            return sqlalc__oom();
        l->t = p;
        l->cap = cap;
    }
    l->t[l->n++] = ti;
    return SQLALC_OK;
}

static int excluded(const sqlalc_diff_options *o, const char *name)
{
    if (!strcmp(name, SQLALC__MIGRATIONS_TABLE))
        return 1;
    for (size_t i = 0; o && i < o->nexclude; i++)
        if (o->exclude[i] && !strcmp(o->exclude[i], name))
            return 1;
    return 0;
}

static int check_opts(const sqlalc_diff_options *o)
{
    if (o && (o->version < 1 || o->version > SQLALC_DIFF_OPTIONS_VERSION))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "diff options: unknown version %u", o->version);
    return SQLALC_OK;
}

static int engine_dialect(sqlalc_engine *eng, const sqlalc_dialect **d)
{
    *d = sqlalc_find_dialect(sqlalc_engine_dialect_name(eng));
    return *d ? SQLALC_OK : sqlalc_error_last()->code;
}

/* The database's tables (views left out), borrowed from insp. */
static int db_tables(sqlalc_engine *eng, const sqlalc_diff_options *o, sqlalc_inspector **insp, tables *out)
{
    const sqlalc_schema_info *si;
    int rc = sqlalc_inspector_new(eng, insp);
    if (rc == SQLALC_OK)
        rc = sqlalc_inspector_tables(*insp, o ? o->schema : NULL, &si);
    for (size_t i = 0; rc == SQLALC_OK && i < si->count; i++)
        if (!si->tables[i]->is_view && !excluded(o, si->tables[i]->name))
            rc = push(out, si->tables[i]);
    return rc;
}

int sqlalc_diff_databases(sqlalc_engine *from, sqlalc_engine *to, const sqlalc_diff_options *opts,
                          sqlalc_diff **out)
{
    if (!from || !to || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_diff_databases: NULL argument");
    *out = NULL;
    const sqlalc_dialect *d;
    int rc = check_opts(opts);
    if (rc || (rc = engine_dialect(from, &d)))
        return rc;
    sqlalc_inspector *fi = NULL, *ti = NULL;
    tables f = { 0, 0, NULL }, t = { 0, 0, NULL };
    rc = db_tables(from, opts, &fi, &f);
    if (rc == SQLALC_OK)
        rc = db_tables(to, opts, &ti, &t);
    if (rc == SQLALC_OK)
        rc = sqlalc__diff_plan(d, f.t, f.n, t.t, t.n, out);
    sqlalc_free((void *)f.t);
    sqlalc_free((void *)t.t);
    sqlalc_inspector_free(fi);
    sqlalc_inspector_free(ti);
    return rc;
}

int sqlalc_diff_metadata(sqlalc_engine *from, const sqlalc_metadata *md, const sqlalc_diff_options *opts,
                         sqlalc_diff **out)
{
    if (!from || !md || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_diff_metadata: NULL argument");
    *out = NULL;
    const sqlalc_dialect *d;
    int rc = check_opts(opts);
    if (rc || (rc = engine_dialect(from, &d)))
        return rc;
    sqlalc_inspector *fi = NULL;
    tables f = { 0, 0, NULL }, t = { 0, 0, NULL };
    rc = db_tables(from, opts, &fi, &f);
    const char *schema = opts ? opts->schema : NULL;
    for (size_t i = 0; rc == SQLALC_OK && i < sqlalc_metadata_table_count(md); i++) {
        const sqlalc_table *tb = sqlalc_metadata_table_at(md, i);
        const char *s = sqlalc_table_schema(tb);
        if ((!s) != (!schema) || (s && strcmp(s, schema) != 0) || excluded(opts, sqlalc_table_name(tb)))
            continue;
        sqlalc_table_info *info;
        if ((rc = sqlalc_table_describe(tb, d, &info)) == SQLALC_OK && (rc = push(&t, info)) != SQLALC_OK)
            sqlalc_table_info_free(info);
    }
    if (rc == SQLALC_OK)
        rc = sqlalc__diff_plan(d, f.t, f.n, t.t, t.n, out);
    for (size_t i = 0; i < t.n; i++)
        sqlalc_table_info_free((sqlalc_table_info *)t.t[i]);
    sqlalc_free((void *)f.t);
    sqlalc_free((void *)t.t);
    sqlalc_inspector_free(fi);
    return rc;
}

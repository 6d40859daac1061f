/*
 * Reflection: the generic catalog-query path of the reflection hooks, and
 * building Tables in a MetaData from what the inspector reads.
 */
#include <stdio.h>
#include <string.h>
#include "inspect_int.h"

/* ------------------------------------------------------------------ */
/* Catalog-query path                                                  */
/* ------------------------------------------------------------------ */

const char *sqlalc_reflect_text(const sqlalc_row *row, int i, int *rr)
{
    const char *s = NULL;
    int rc = sqlalc_row_get_text(row, i, &s, NULL);
    if (rc != SQLALC_OK) {
        if (!*rr)
            *rr = rc;
        return NULL;
    }
    return s;
}

int sqlalc_reflect_int64(const sqlalc_row *row, int i, int *rr, int64_t *out)
{
    sqlalc_value val;
    *out = 0;
    /* (not sqlalc_row_is_null: it cannot report a failed conversion) */
    int rc = sqlalc_row_get_value(row, i, &val);
    if (rc == SQLALC_OK && val.type == SQLALC_V_NULL)
        return SQLALC_OK;
    if (rc == SQLALC_OK)
        rc = sqlalc_row_get_int64(row, i, out);
    if (rc != SQLALC_OK && rc != SQLALC_ERR_TYPE && !*rr)
        *rr = rc;
    return rc;
}

/* A flag column: a number, or a boolean spelled as text ('t', 'YES'). */
static int col_int(const sqlalc_row *row, int i, int *rr)
{
    int64_t v = 0;
    if (sqlalc_reflect_int64(row, i, rr, &v) == SQLALC_ERR_TYPE) {
        const char *s = sqlalc_reflect_text(row, i, rr);
        return s && (*s == 't' || *s == 'T' || *s == 'y' || *s == 'Y' || *s == '1');
    }
    return v != 0;
}

static int wanted(const char *name, const char *const *names, size_t nnames)
{
    if (!names)
        return 1;
    for (size_t i = 0; i < nnames; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

static int run_query(sqlalc_conn *conn, const char *sql, const char *schema_name, sqlalc_result **res)
{
    int rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", schema_name)), res);
    if (rc)
        sqlalc__error_prefix("reflection query failed");
    return rc;
}

/* The catalog queries of hooks with queries_take_tables also get :tables,
 * the wanted names joined by '\x1f' (NULL: all), to filter server-side. */
static int run_table_query(sqlalc_conn *conn, const sqlalc_reflect_hooks *h, const char *sql,
                           const char *schema_name, const char *tables, sqlalc_result **res)
{
    if (!h->queries_take_tables)
        return run_query(conn, sql, schema_name, res);
    int rc = sqlalc_conn_execute_sql(
        conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", schema_name), SQLALC_P_TEXT("tables", tables)), res);
    if (rc)
        sqlalc__error_prefix("reflection query failed");
    return rc;
}

static int query_path(sqlalc_conn *conn, const sqlalc_reflect_hooks *h, const char *schema,
                      const char *const *names, size_t nnames, int views, sqlalc_schema_info *out)
{
    char *defname = NULL;
    const char *sname = schema;
    int rc = SQLALC_OK, rr = SQLALC_OK;
    if (!sname) {
        if (h->default_schema) {
            if ((rc = h->default_schema(conn, &defname)))
                return rc;
            sname = defname;
        } else
            sname = h->default_schema_name ? h->default_schema_name : "";
    }
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    sqlalc_type **enums = NULL;
    size_t nenums = 0;
    char *tables = NULL;
    if (h->queries_take_tables && names && nnames) {
        sqlalc_buf tb = SQLALC_BUF_INIT;
        for (size_t i = 0; i < nnames; i++) {
            if (i)
                sqlalc_buf_putc(&tb, '\x1f');
            sqlalc_buf_puts(&tb, names[i]);
        }
        if (!(tables = sqlalc_buf_detach(&tb))) {
            sqlalc_free(defname);
            return SQLALC_ERR_NOMEM;
        }
    }
    /* native enum types first: columns of those types become Enums */
    if (h->enums_query) {
        if ((rc = run_query(conn, h->enums_query, sname, &res)))
            goto out;
        const char *labels[256];
        char *names_buf[256];
        size_t nl = 0;
        char cur[256] = "";
        for (;;) {
            rc = sqlalc_result_next(res, &row);
            const char *tn = rc == SQLALC_ROW ? sqlalc_reflect_text(row, 0, &rr) : NULL;
            if (rc == SQLALC_ROW && !tn)
                continue;
            if (nl && (rc != SQLALC_ROW || strcmp(tn, cur))) {
                sqlalc_type *e = sqlalc_type_enum_array(cur, labels, nl);
                for (size_t i = 0; i < nl; i++)
                    sqlalc_free(names_buf[i]);
                nl = 0;
                void *v = e ? sqlalc__realloc(enums, (nenums + 1) * sizeof *enums) : NULL;
                if (!v) {
                    sqlalc_type_free(e);
                    rc = sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_NOMEM;
                    break;
                }
                enums = v;
                enums[nenums++] = e;
            }
            if (rc != SQLALC_ROW)
                break;
            snprintf(cur, sizeof cur, "%s", tn);
            const char *label = sqlalc_reflect_text(row, 1, &rr);
            if (label && nl < SQLALC_ARRAY_LEN(labels)) {
                if (!(names_buf[nl] = sqlalc__strdup(label))) {
                    for (size_t i = 0; i < nl; i++)
                        sqlalc_free(names_buf[i]);
                    rc = SQLALC_ERR_NOMEM;
                    break;
                }
                labels[nl] = names_buf[nl];
                nl++;
            }
        }
        sqlalc_result_free(res);
        res = NULL;
        if (rc == SQLALC_DONE && rr)
            rc = rr;
        if (rc != SQLALC_DONE)
            goto out;
        rc = SQLALC_OK;
    }
    /* tables */
    if ((rc = run_table_query(conn, h, h->tables_query, sname, tables, &res)))
        goto out;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *tn = sqlalc_reflect_text(row, 0, &rr);
        int is_view = col_int(row, 1, &rr);
        if (!tn || (is_view && !views) || !wanted(tn, names, nnames))
            continue;
        sqlalc_table_info *ti = sqlalc_reflect_add_table(out, schema, tn, is_view);
        if (!ti || sqlalc_reflect_set_string(&ti->comment, sqlalc_reflect_text(row, 2, &rr))) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
    }
    sqlalc_result_free(res);
    res = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    /* columns */
    if (h->columns_query) {
        if ((rc = run_table_query(conn, h, h->columns_query, sname, tables, &res)))
            goto out;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, sqlalc_reflect_text(row, 0, &rr));
            if (!ti)
                continue;
            const char *spelled = sqlalc_reflect_text(row, 2, &rr);
            sqlalc_type *ty = NULL;
            for (size_t i = 0; spelled && i < nenums && !ty; i++) {
                const char *en = enums[i]->name;
                size_t el = strlen(en), sl = strlen(spelled);
                if (!strcmp(spelled, en) || (sl == el + 2 && spelled[0] == '"' && spelled[sl - 1] == '"' &&
                                             !strncmp(spelled + 1, en, el)))
                    ty = sqlalc_type_ref(enums[i]);
            }
            if (!ty)
                ty = h->parse_type ? h->parse_type(spelled) : sqlalc_type_parse(spelled);
            /* "type" is reported as the dialect's DDL spells it
             * ("character varying(30)" → "VARCHAR(30)"); names the library
             * does not know stay as the catalog wrote them. */
            char *ddl = NULL;
            if (ty && ty->kind != SQLALC_TYPE_USER && ty->kind != SQLALC_TYPE_NULL &&
                !(ddl = sqlalc__type_spelled(ty, sqlalc__conn_dialect(conn)))) {
                sqlalc_type_free(ty);
                ty = NULL;
            }
            sqlalc_column_info *ci = NULL;
            if (ty)
                ci = sqlalc_reflect_add_column(ti, sqlalc_reflect_text(row, 1, &rr), ty, ddl ? ddl : spelled,
                                               col_int(row, 3, &rr), sqlalc_reflect_text(row, 4, &rr),
                                               col_int(row, 5, &rr), sqlalc_reflect_text(row, 6, &rr));
            sqlalc_free(ddl);
            if (!ci) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
        }
        sqlalc_result_free(res);
        res = NULL;
        if (rc == SQLALC_DONE && rr)
            rc = rr;
        if (rc != SQLALC_DONE)
            goto out;
    }
    /* constraints: consecutive rows of one (table, kind, name) form one */
    if (h->constraints_query) {
        if ((rc = run_table_query(conn, h, h->constraints_query, sname, tables, &res)))
            goto out;
        char prev[600] = "";
        sqlalc_fk_info *fk = NULL;
        sqlalc_unique_info *uq = NULL;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *tn = sqlalc_reflect_text(row, 0, &rr);
            const char *kind = sqlalc_reflect_text(row, 1, &rr);
            const char *cname = sqlalc_reflect_text(row, 2, &rr);
            sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, tn);
            if (!ti || !kind)
                continue;
            char key[600];
            snprintf(key, sizeof key, "%s\x1f%c\x1f%s", tn, kind[0], cname ? cname : "");
            int fresh = strcmp(key, prev) != 0;
            snprintf(prev, sizeof prev, "%s", key);
            const char *col = sqlalc_reflect_text(row, 3, &rr);
            int r = SQLALC_OK;
            switch (kind[0]) {
            case 'p':
                if (fresh)
                    r = sqlalc_reflect_set_pk_name(ti, cname);
                if (!r && col)
                    r = sqlalc_reflect_pk_column(ti, col);
                break;
            case 'u':
                if (fresh && !(uq = sqlalc_reflect_add_unique(ti, cname)))
                    r = SQLALC_ERR_NOMEM;
                if (!r && col)
                    r = sqlalc_strlist_append(&uq->columns, col);
                break;
            case 'f':
                if (fresh) {
                    const char *rs = sqlalc_reflect_text(row, 4, &rr);
                    if (rs && !strcmp(rs, sname))
                        rs = schema;
                    fk = sqlalc_reflect_add_fk(ti, cname, rs, sqlalc_reflect_text(row, 5, &rr),
                                               sqlalc_reflect_text(row, 7, &rr),
                                               sqlalc_reflect_text(row, 8, &rr));
                    if (!fk)
                        r = SQLALC_ERR_NOMEM;
                }
                if (!r && col)
                    r = sqlalc_reflect_fk_column(fk, col, sqlalc_reflect_text(row, 6, &rr));
                break;
            case 'c':
                if (fresh && !sqlalc_reflect_add_check(ti, cname, sqlalc_reflect_text(row, 9, &rr)))
                    r = SQLALC_ERR_NOMEM;
                break;
            default: break;
            }
            if (r) {
                rc = r;
                break;
            }
        }
        sqlalc_result_free(res);
        res = NULL;
        if (rc == SQLALC_DONE && rr)
            rc = rr;
        if (rc != SQLALC_DONE)
            goto out;
    }
    /* indexes */
    if (h->indexes_query) {
        if ((rc = run_table_query(conn, h, h->indexes_query, sname, tables, &res)))
            goto out;
        char prev[600] = "";
        sqlalc_index_info *ix = NULL;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *tn = sqlalc_reflect_text(row, 0, &rr);
            const char *iname = sqlalc_reflect_text(row, 1, &rr);
            const char *col = sqlalc_reflect_text(row, 2, &rr);
            sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, tn);
            if (!ti || !iname)
                continue;
            char key[600];
            snprintf(key, sizeof key, "%s\x1f%s", tn, iname);
            if (strcmp(key, prev)) {
                snprintf(prev, sizeof prev, "%s", key);
                if (!(ix = sqlalc_reflect_add_index(ti, iname, col_int(row, 3, &rr)))) {
                    rc = SQLALC_ERR_NOMEM;
                    break;
                }
            }
            if (col && sqlalc_strlist_append(&ix->columns, col)) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
        }
        sqlalc_result_free(res);
        res = NULL;
        if (rc == SQLALC_DONE && rr)
            rc = rr;
        if (rc != SQLALC_DONE)
            goto out;
    }
    rc = SQLALC_OK;
out:
    sqlalc_result_free(res);
    for (size_t i = 0; i < nenums; i++)
        sqlalc_type_free(enums[i]);
    sqlalc_free(enums);
    sqlalc_free(defname);
    sqlalc_free(tables);
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

int sqlalc__reflect_schema(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames,
                           int views, sqlalc_schema_info *out)
{
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    const sqlalc_reflect_hooks *h = d ? d->reflect : NULL;
    if (h && schema && h->default_schema_name && !strcmp(schema, h->default_schema_name))
        schema = NULL;
    int rc;
    if (h && h->reflect)
        rc = h->reflect(conn, schema, names, nnames, views, out);
    else if (h && h->tables_query)
        rc = query_path(conn, h, schema, names, nnames, views, out);
    else
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "dialect %s cannot reflect schemas (no reflection hooks)",
                                d ? d->name : "(null)");
    if (rc)
        sqlalc_schema_info_clear(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Tables from info                                                    */
/* ------------------------------------------------------------------ */

static char *join_names(const sqlalc_strlist *l, const char *prefix1, const char *prefix2)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (size_t i = 0; i < l->count; i++) {
        if (i)
            sqlalc_buf_puts(&b, ", ");
        if (prefix1)
            sqlalc_buf_printf(&b, "%s.", prefix1);
        if (prefix2)
            sqlalc_buf_printf(&b, "%s.", prefix2);
        sqlalc_buf_puts(&b, l->items[i]);
    }
    return sqlalc_buf_detach(&b);
}

int sqlalc_table_from_info(sqlalc_metadata *md, const sqlalc_table_info *ti, sqlalc_table **out)
{
    if (out)
        *out = NULL;
    if (!md || !ti)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_from_info: NULL argument");
    size_t cap = ti->ncolumns + ti->nuniques + ti->nchecks + ti->nfks + ti->nindexes + 4;
    sqlalc_schema_item **items = sqlalc__calloc(cap, sizeof *items);
    if (!items)
        return SQLALC_ERR_NOMEM;
    size_t n = 0;
    if (ti->schema)
        items[n++] = sqlalc_opt_schema(ti->schema);
    if (ti->comment)
        items[n++] = sqlalc_opt_comment(ti->comment);
    if (ti->sqlite_autoincrement)
        items[n++] = sqlalc_opt_sqlite_autoincrement();
    for (size_t i = 0; i < ti->ncolumns; i++) {
        const sqlalc_column_info *c = &ti->columns[i];
        sqlalc_type *ty = c->type ? sqlalc_type_ref(c->type) : sqlalc_type_parse(c->type_sql);
        unsigned flags = c->nullable ? 0 : SQLALC_NOT_NULL;
        if (!c->autoincrement)
            flags |= SQLALC_NO_AUTOINCREMENT;
        else if (!c->pk_position || c->default_sql)
            flags |= SQLALC_AUTOINCREMENT; /* an IDENTITY off the key, or a SERIAL's nextval() default */
        sqlalc_schema_item *o[2];
        int k = 0;
        if (c->default_sql)
            o[k++] = sqlalc_opt_server_default_sql(c->default_sql);
        if (c->comment)
            o[k++] = sqlalc_opt_comment(c->comment);
        items[n++] = k == 0   ? sqlalc_column_new(c->name, ty, flags, SQLALC_END)
                     : k == 1 ? sqlalc_column_new(c->name, ty, flags, o[0], SQLALC_END)
                              : sqlalc_column_new(c->name, ty, flags, o[0], o[1], SQLALC_END);
    }
    if (ti->pk.columns.count) {
        char *cols = join_names(&ti->pk.columns, NULL, NULL);
        items[n++] = cols ? sqlalc_pk_constraint(ti->pk.name, cols) : NULL;
        sqlalc_free(cols);
    }
    for (size_t i = 0; i < ti->nuniques; i++) {
        char *cols = join_names(&ti->uniques[i].columns, NULL, NULL);
        items[n++] = cols ? sqlalc_unique_constraint(ti->uniques[i].name, cols) : NULL;
        sqlalc_free(cols);
    }
    for (size_t i = 0; i < ti->nchecks; i++)
        items[n++] = sqlalc_check_constraint(ti->checks[i].name, ti->checks[i].sqltext);
    for (size_t i = 0; i < ti->nfks; i++) {
        const sqlalc_fk_info *f = &ti->fks[i];
        char *cols = join_names(&f->columns, NULL, NULL);
        char *refs = join_names(&f->referred_columns, f->referred_schema, f->referred_table);
        sqlalc_fk_options o = { f->name, f->ondelete, f->onupdate, 0 };
        items[n++] = cols && refs ? sqlalc_foreign_key_constraint(cols, refs, &o) : NULL;
        sqlalc_free(cols);
        sqlalc_free(refs);
    }
    for (size_t i = 0; i < ti->nindexes; i++) {
        char *cols = join_names(&ti->indexes[i].columns, NULL, NULL);
        items[n++] = cols && ti->indexes[i].columns.count
                         ? sqlalc_index(ti->indexes[i].name, cols, ti->indexes[i].unique)
                         : NULL;
        sqlalc_free(cols);
    }
    sqlalc_table *t = sqlalc_table_newv(md, ti->name, items, n);
    sqlalc_free(items);
    if (!t) {
        sqlalc__error_prefix("reflecting table %s", ti->name);
        return sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_GENERIC;
    }
    t->is_view = ti->is_view;
    if (out)
        *out = t;
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Reflect into a MetaData                                             */
/* ------------------------------------------------------------------ */

/* Move every table of src into dst (dedup by key). */
static int merge_info(sqlalc_schema_info *dst, sqlalc_schema_info *src)
{
    int rc = SQLALC_OK;
    for (size_t i = 0; i < src->count && !rc; i++) {
        sqlalc_table_info *t = src->tables[i];
        if (sqlalc_schema_info_find(dst, t->schema, t->name))
            continue;
        sqlalc_table_info *slot = sqlalc_reflect_add_table(dst, t->schema, t->name, t->is_view);
        if (!slot) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        /* swap contents: slot takes src's table, src keeps the empty one */
        sqlalc_table_info tmp = *slot;
        *slot = *t;
        *t = tmp;
    }
    return rc;
}

int sqlalc_metadata_reflect_conn(sqlalc_metadata *md, sqlalc_conn *conn, const sqlalc_reflect_options *opt)
{
    if (!md || !conn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_metadata_reflect: NULL argument");
    /* Read only the fields the caller's version of the struct has. */
    static const size_t sizes[] = { 0, sizeof(sqlalc_reflect_options) };
    _Static_assert(sizeof sizes / sizeof sizes[0] == SQLALC_REFLECT_OPTIONS_VERSION + 1,
                   "a size for every reflect options version");
    sqlalc_reflect_options def = SQLALC_REFLECT_OPTIONS_INIT;
    if (opt && sqlalc__versioned_copy(&def, opt, opt->version, sizes, SQLALC_REFLECT_OPTIONS_VERSION,
                                      "sqlalc_metadata_reflect: options") != SQLALC_OK)
        return SQLALC_ERR_ARGUMENT;
    opt = &def;
    sqlalc_schema_info si = { 0 };
    int rc =
        sqlalc__reflect_schema(conn, opt->schema, opt->only, opt->only ? opt->nonly : 0, opt->views, &si);
    const char *schema = opt->schema;
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    if (schema && d->reflect && d->reflect->default_schema_name &&
        !strcmp(schema, d->reflect->default_schema_name))
        schema = NULL;
    for (size_t i = 0; opt->only && i < opt->nonly && !rc; i++)
        if (!sqlalc_schema_info_find(&si, schema, opt->only[i]))
            rc = sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "reflect: no table %s%s%s in the database",
                                  schema ? schema : "", schema ? "." : "", opt->only[i]);
    /* Referenced tables outside the selection come along (a bounded
     * number of extra rounds: each round adds at least one table). */
    for (int round = 0; round < 64 && !rc; round++) {
        sqlalc_strlist missing = { 0 };
        const char *mschema = NULL;
        int have = 0;
        for (size_t i = 0; i < si.count && !rc; i++)
            for (size_t k = 0; k < si.tables[i]->nfks && !rc; k++) {
                const sqlalc_fk_info *f = &si.tables[i]->fks[k];
                if (sqlalc_schema_info_find(&si, f->referred_schema, f->referred_table))
                    continue;
                sqlalc_table *mt = sqlalc_metadata_table_in(md, f->referred_schema, f->referred_table);
                sqlalc_error_clear();
                if (mt)
                    continue;
                if (have && !((mschema == NULL && f->referred_schema == NULL) ||
                              (mschema && f->referred_schema && !strcmp(mschema, f->referred_schema))))
                    continue; /* another schema: next round */
                mschema = f->referred_schema;
                have = 1;
                if (!sqlalc_strlist_contains(&missing, f->referred_table))
                    rc = sqlalc_strlist_append(&missing, f->referred_table);
            }
        if (!rc && missing.count) {
            sqlalc_schema_info more = { 0 };
            rc = sqlalc__reflect_schema(conn, mschema, (const char *const *)missing.items, missing.count, 1,
                                        &more);
            if (!rc && !more.count)
                rc = sqlalc_error_set(SQLALC_ERR_NOT_FOUND,
                                      "reflect: foreign key target %s is not in the database",
                                      missing.items[0]);
            if (!rc)
                rc = merge_info(&si, &more);
            sqlalc_schema_info_clear(&more);
        }
        size_t nm = missing.count;
        sqlalc_strlist_clear(&missing);
        if (!nm)
            break;
    }
    for (size_t i = 0; i < si.count && !rc; i++) {
        const sqlalc_table_info *ti = si.tables[i];
        if (sqlalc_metadata_table_in(md, ti->schema, ti->name))
            continue;
        sqlalc_error_clear();
        rc = sqlalc_table_from_info(md, ti, NULL);
    }
    sqlalc_schema_info_clear(&si);
    return rc;
}

int sqlalc_metadata_reflect(sqlalc_metadata *md, sqlalc_engine *eng, const sqlalc_reflect_options *opt)
{
    if (!md || !eng)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_metadata_reflect: NULL argument");
    sqlalc_conn *conn = NULL;
    int rc = sqlalc_engine_connect(eng, &conn);
    if (!rc)
        rc = sqlalc_metadata_reflect_conn(md, conn, opt);
    sqlalc_conn_close(conn);
    return rc;
}

int sqlalc_table_reflect(sqlalc_metadata *md, sqlalc_engine *eng, const char *schema, const char *name,
                         sqlalc_table **out)
{
    if (out)
        *out = NULL;
    if (!name)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_reflect: NULL name");
    sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
    const char *only[1] = { name };
    o.schema = schema;
    o.only = only;
    o.nonly = 1;
    o.views = 1;
    int rc = sqlalc_metadata_reflect(md, eng, &o);
    if (!rc && out) {
        const sqlalc_reflect_hooks *h = sqlalc__engine_dialect(eng)->reflect;
        if (schema && h && h->default_schema_name && !strcmp(schema, h->default_schema_name))
            schema = NULL;
        *out = sqlalc_metadata_table_in(md, schema, name);
        if (!*out)
            rc = sqlalc_error_last()->code;
    }
    return rc;
}

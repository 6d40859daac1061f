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

/* Consecutive catalog rows of one (table, kind, name) describe one
 * constraint or index: remember the current one. */
typedef struct group {
    char *table, *name;
    char kind;
    int have;
} group;

static void group_clear(group *g)
{
    sqlalc_free(g->table);
    sqlalc_free(g->name);
    memset(g, 0, sizeof *g);
}

/* *fresh = 1 when the row starts another group (which becomes current). */
static int group_next(group *g, const char *table, char kind, const char *name, int *fresh)
{
    *fresh = !g->have || g->kind != kind || strcmp(g->table, table) || strcmp(g->name, name ? name : "");
    if (!*fresh)
        return SQLALC_OK;
    group_clear(g);
    g->kind = kind;
    g->have = 1;
    if (!(g->table = sqlalc__strdup(table)) || !(g->name = sqlalc__strdup(name ? name : "")))
        return SQLALC_ERR_NOMEM;
    return SQLALC_OK;
}

/* An optional trailing column: NULL / 0 when the query does not return it. */
static const char *opt_text(const sqlalc_row *row, int i, int *rr)
{
    return i < sqlalc_row_count(row) ? sqlalc_reflect_text(row, i, rr) : NULL;
}

static int64_t opt_int(const sqlalc_row *row, int i, int *rr)
{
    int64_t v = 0;
    if (i < sqlalc_row_count(row) && sqlalc_reflect_int64(row, i, rr, &v) == SQLALC_ERR_TYPE)
        v = col_int(row, i, rr);
    return v;
}

/* Append the names of a 0x1f-joined list. */
static int add_joined(sqlalc_strlist *l, const char *joined)
{
    for (const char *s = joined; s && *s;) {
        const char *e = strchr(s, '\x1f');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *one = sqlalc__strndup(s, n);
        int rc = one ? sqlalc_strlist_append(l, one) : SQLALC_ERR_NOMEM;
        sqlalc_free(one);
        if (rc)
            return rc;
        s = e ? e + 1 : NULL;
    }
    return SQLALC_OK;
}

/* The spelled name matches a type name, as is or double-quoted. */
static int spelled_is(const char *spelled, const char *name)
{
    size_t el = strlen(name), sl = strlen(spelled);
    return !strcmp(spelled, name) ||
           (sl == el + 2 && spelled[0] == '"' && spelled[sl - 1] == '"' && !strncmp(spelled + 1, name, el));
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
    sqlalc_type **enums = NULL, **domains = NULL;
    size_t nenums = 0, ndomains = 0;
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
        sqlalc_strlist labels = { 0 };
        char *cur = NULL;
        for (;;) {
            rc = sqlalc_result_next(res, &row);
            const char *tn = rc == SQLALC_ROW ? sqlalc_reflect_text(row, 0, &rr) : NULL;
            if (rc == SQLALC_ROW && !tn)
                continue;
            if (labels.count && (rc != SQLALC_ROW || strcmp(tn, cur))) {
                sqlalc_type *e = sqlalc_type_enum_array(cur, (const char *const *)labels.items, labels.count);
                sqlalc_strlist_clear(&labels);
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
            if (!cur || strcmp(tn, cur)) {
                sqlalc_free(cur);
                if (!(cur = sqlalc__strdup(tn))) {
                    rc = SQLALC_ERR_NOMEM;
                    break;
                }
            }
            const char *label = sqlalc_reflect_text(row, 1, &rr);
            if (label && (rc = sqlalc_strlist_append(&labels, label)) != SQLALC_OK)
                break;
        }
        sqlalc_strlist_clear(&labels);
        sqlalc_free(cur);
        sqlalc_result_free(res);
        res = NULL;
        if (rc == SQLALC_DONE && rr)
            rc = rr;
        if (rc != SQLALC_DONE)
            goto out;
        rc = SQLALC_OK;
    }
    /* domains next (their base types may be enums): columns of those
     * types become domains */
    if (h->version >= 2 && h->domains_query) {
        if ((rc = run_query(conn, h->domains_query, sname, &res)))
            goto out;
        sqlalc_domain_info *dm = NULL;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *dn = sqlalc_reflect_text(row, 0, &rr), *base = sqlalc_reflect_text(row, 1, &rr);
            if (!dn)
                continue;
            if (!dm || strcmp(dm->name, dn)) {
                sqlalc_type *bt = NULL;
                for (size_t i = 0; base && i < nenums && !bt; i++)
                    if (spelled_is(base, enums[i]->name))
                        bt = sqlalc_type_ref(enums[i]);
                if (!bt)
                    bt = h->parse_type ? h->parse_type(base) : sqlalc_type_parse(base);
                char *ddl = bt ? sqlalc__type_spelled(bt, sqlalc__conn_dialect(conn)) : NULL;
                dm = ddl ? sqlalc_reflect_add_domain(out, schema, dn, bt, ddl, !col_int(row, 2, &rr),
                                                     sqlalc_reflect_text(row, 3, &rr))
                         : NULL;
                if (!ddl)
                    sqlalc_type_free(bt);
                sqlalc_free(ddl);
                if (!dm) {
                    rc = SQLALC_ERR_NOMEM;
                    break;
                }
            }
            const char *ck = sqlalc_reflect_text(row, 5, &rr);
            if (ck && !sqlalc_reflect_domain_check(dm, sqlalc_reflect_text(row, 4, &rr), ck)) {
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
        rc = SQLALC_OK;
        /* the library's domain types, for the columns */
        if (out->ndomains && !(domains = sqlalc__calloc(out->ndomains, sizeof *domains))) {
            rc = SQLALC_ERR_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < out->ndomains && !rc; i++) {
            const sqlalc_domain_info *di = &out->domains[i];
            const char **names_ = di->nchecks ? sqlalc__calloc(di->nchecks, sizeof *names_) : NULL;
            const char **texts = di->nchecks ? sqlalc__calloc(di->nchecks, sizeof *texts) : NULL;
            if (di->nchecks && (!names_ || !texts))
                rc = SQLALC_ERR_NOMEM;
            for (size_t k = 0; k < di->nchecks && !rc; k++) {
                names_[k] = di->checks[k].name;
                texts[k] = di->checks[k].sqltext;
            }
            if (!rc) {
                sqlalc_domain_options o = {
                    SQLALC_DOMAIN_OPTIONS_VERSION, !di->nullable, di->default_sql, names_, texts, di->nchecks
                };
                if (!(domains[i] = sqlalc_type_domain(di->name, sqlalc_type_ref(di->type), &o)))
                    rc = sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_NOMEM;
                else
                    ndomains = i + 1;
            }
            sqlalc_free((void *)names_);
            sqlalc_free((void *)texts);
        }
        if (rc)
            goto out;
    }
    /* sequences */
    if (h->version >= 2 && h->sequences_query) {
        if ((rc = run_query(conn, h->sequences_query, sname, &res)))
            goto out;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *qn = sqlalc_reflect_text(row, 0, &rr);
            if (!qn)
                continue;
            sqlalc_sequence_info *q = sqlalc_reflect_add_sequence(out, schema, qn);
            if (!q || sqlalc_reflect_set_string(&q->data_type, sqlalc_reflect_text(row, 1, &rr)) ||
                sqlalc_reflect_set_string(&q->owner_table, opt_text(row, 8, &rr)) ||
                sqlalc_reflect_set_string(&q->owner_column, opt_text(row, 9, &rr))) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            q->start = opt_int(row, 2, &rr);
            q->increment = opt_int(row, 3, &rr);
            q->minvalue = opt_int(row, 4, &rr);
            q->maxvalue = opt_int(row, 5, &rr);
            q->cache = opt_int(row, 6, &rr);
            q->cycle = opt_int(row, 7, &rr) != 0;
            q->identity = opt_int(row, 10, &rr) != 0;
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
        if (!ti || sqlalc_reflect_set_string(&ti->comment, sqlalc_reflect_text(row, 2, &rr)) ||
            sqlalc_reflect_set_string(&ti->partition_by, opt_text(row, 3, &rr)) ||
            sqlalc_reflect_set_string(&ti->partition_of, opt_text(row, 4, &rr)) ||
            sqlalc_reflect_set_string(&ti->partition_bound, opt_text(row, 5, &rr))) {
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
            const char *domain = opt_text(row, 16, &rr);
            sqlalc_type *ty = NULL;
            for (size_t i = 0; domain && i < ndomains && !ty; i++)
                if (!strcmp(domains[i]->name, domain))
                    ty = sqlalc_type_ref(domains[i]);
            for (size_t i = 0; spelled && i < nenums && !ty; i++)
                if (spelled_is(spelled, enums[i]->name))
                    ty = sqlalc_type_ref(enums[i]);
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
            const char *idn = opt_text(row, 7, &rr);
            if (idn && *idn) {
                ci->identity.present = 1;
                ci->identity.always = *idn == 'a';
                ci->identity.start = opt_int(row, 8, &rr);
                ci->identity.increment = opt_int(row, 9, &rr);
                ci->identity.minvalue = opt_int(row, 10, &rr);
                ci->identity.maxvalue = opt_int(row, 11, &rr);
                ci->identity.cache = opt_int(row, 12, &rr);
                ci->identity.cycle = opt_int(row, 13, &rr) != 0;
            }
            ci->serial = opt_int(row, 15, &rr) != 0;
            if (sqlalc_reflect_set_string(&ci->sequence, opt_text(row, 14, &rr)) ||
                sqlalc_reflect_set_string(&ci->domain, domain)) {
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
        group prev = { 0 };
        sqlalc_fk_info *fk = NULL;
        sqlalc_unique_info *uq = NULL;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *tn = sqlalc_reflect_text(row, 0, &rr);
            const char *kind = sqlalc_reflect_text(row, 1, &rr);
            const char *cname = sqlalc_reflect_text(row, 2, &rr);
            sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, tn);
            if (!ti || !kind)
                continue;
            int fresh = 0;
            if ((rc = group_next(&prev, tn, kind[0], cname, &fresh)) != SQLALC_OK)
                break;
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
        group_clear(&prev);
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
        group prev = { 0 };
        sqlalc_index_info *ix = NULL;
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *tn = sqlalc_reflect_text(row, 0, &rr);
            const char *iname = sqlalc_reflect_text(row, 1, &rr);
            const char *col = sqlalc_reflect_text(row, 2, &rr);
            sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, tn);
            if (!ti || !iname)
                continue;
            int fresh = 0;
            if ((rc = group_next(&prev, tn, 'i', iname, &fresh)) != SQLALC_OK)
                break;
            if (fresh) {
                if (!(ix = sqlalc_reflect_add_index(ti, iname, col_int(row, 3, &rr))) ||
                    sqlalc_reflect_set_string(&ix->method, opt_text(row, 7, &rr)) ||
                    sqlalc_reflect_set_string(&ix->where, opt_text(row, 8, &rr)) ||
                    add_joined(&ix->include, opt_text(row, 9, &rr)) ||
                    sqlalc_reflect_set_string(&ix->with, opt_text(row, 10, &rr)) ||
                    sqlalc_reflect_set_string(&ix->duplicates_constraint, opt_text(row, 11, &rr))) {
                    rc = SQLALC_ERR_NOMEM;
                    break;
                }
                ix->inherited = opt_int(row, 12, &rr) != 0;
            }
            const char *expr = opt_text(row, 4, &rr);
            if ((col || expr) &&
                !sqlalc_reflect_index_element(ix, expr ? NULL : col, expr, opt_text(row, 5, &rr),
                                              opt_text(row, 6, &rr))) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
        }
        group_clear(&prev);
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
    for (size_t i = 0; i < ndomains; i++)
        sqlalc_type_free(domains[i]);
    sqlalc_free(domains);
    sqlalc_free(defname);
    sqlalc_free(tables);
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

/* The reflection a connection uses: the driver's catalog functions when
 * the URL asks (?odbc_reflection=catalog) or the dialect has none, else
 * the dialect's. */
const sqlalc_reflect_hooks *sqlalc__conn_reflect_hooks(sqlalc_conn *conn)
{
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    const sqlalc_driver *drv = sqlalc__conn_driver(conn);
    const sqlalc_reflect_hooks *h = d ? d->reflect : NULL;
    if (drv && drv->catalog_reflect) {
        const char *how =
            sqlalc_url_query_get(sqlalc_engine_url(sqlalc_conn_engine(conn)), "odbc_reflection");
        if (!h || (how && !strcmp(how, "catalog")))
            return drv->catalog_reflect;
    }
    return h;
}

int sqlalc__reflect_schema(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames,
                           int views, sqlalc_schema_info *out)
{
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    const sqlalc_reflect_hooks *h = sqlalc__conn_reflect_hooks(conn);
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

/* The sequence a reflected column draws from, as a sequence of md: the
 * one md has, else made from the reflected definition (si may be NULL:
 * a bare sequence of that name). */
static sqlalc_sequence *md_sequence(sqlalc_metadata *md, const sqlalc_table_info *ti, const char *name,
                                    const sqlalc_schema_info *si)
{
    const char *schema = ti->schema;
    sqlalc_sequence *q = sqlalc_metadata_sequence(md, schema, name);
    if (q)
        return q;
    sqlalc_error_clear();
    const sqlalc_sequence_info *qi = NULL;
    for (size_t i = 0; si && i < si->nsequences && !qi; i++)
        if (!strcmp(si->sequences[i].name, name))
            qi = &si->sequences[i];
    if (!qi)
        return sqlalc_sequence_new(md, name, SQLALC_SEQUENCE_OPTIONS(.schema = schema));
    unsigned all = SQLALC_IDENTITY_START | SQLALC_IDENTITY_INCREMENT | SQLALC_IDENTITY_MINVALUE |
                   SQLALC_IDENTITY_MAXVALUE | SQLALC_IDENTITY_CACHE | SQLALC_IDENTITY_CYCLE;
    sqlalc_type *dt = qi->data_type ? sqlalc_type_parse(qi->data_type) : NULL;
    char *owned = NULL;
    if (qi->owner_table && qi->owner_column) {
        sqlalc_buf b = SQLALC_BUF_INIT;
        sqlalc_buf_printf(&b, "%s.%s", qi->owner_table, qi->owner_column);
        if (!(owned = sqlalc_buf_detach(&b))) {
            sqlalc_type_free(dt);
            return NULL;
        }
    }
    if (dt && dt->kind != SQLALC_TYPE_INTEGER && dt->kind != SQLALC_TYPE_SMALLINT &&
        dt->kind != SQLALC_TYPE_BIGINT) {
        sqlalc_type_free(dt);
        dt = NULL;
    }
    q = sqlalc_sequence_new(md, name,
                            SQLALC_SEQUENCE_OPTIONS(.schema = schema, .data_type = dt, .has = all,
                                                    .start = qi->start, .increment = qi->increment,
                                                    .minvalue = qi->minvalue, .maxvalue = qi->maxvalue,
                                                    .cache = qi->cache, .cycle = qi->cycle,
                                                    .owned_by = owned));
    sqlalc_free(owned);
    return q;
}

static int table_from_info(sqlalc_metadata *md, const sqlalc_table_info *ti, const sqlalc_schema_info *si,
                           sqlalc_table **out)
{
    if (out)
        *out = NULL;
    if (!md || !ti)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_from_info: NULL argument");
    size_t cap = ti->ncolumns + ti->nuniques + ti->nchecks + ti->nfks + ti->nindexes + 6;
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
    if (ti->partition_by)
        items[n++] = sqlalc_opt_partition_by(ti->partition_by);
    if (ti->partition_of)
        items[n++] =
            sqlalc_opt_partition_of(ti->partition_of, ti->partition_bound ? ti->partition_bound : "DEFAULT");
    for (size_t i = 0; i < ti->ncolumns; i++) {
        const sqlalc_column_info *c = &ti->columns[i];
        sqlalc_type *ty = c->type ? sqlalc_type_ref(c->type) : sqlalc_type_parse(c->type_sql);
        const char *dflt = c->default_sql;
        int nullable = c->nullable;
        /* a domain's own default and NOT NULL are the domain's, not the
         * column's (reflection reports them merged, as SQLAlchemy) */
        if (ty && ty->kind == SQLALC_TYPE_DOMAIN && ty->domain) {
            if (dflt && ty->domain->default_sql && !strcmp(dflt, ty->domain->default_sql))
                dflt = NULL;
            if (ty->domain->not_null)
                nullable = 1;
        }
        /* a nullable key column: SQLite reports one unless declared NOT NULL */
        unsigned flags = nullable ? (c->pk_position ? SQLALC_NULLABLE : 0) : SQLALC_NOT_NULL;
        sqlalc_schema_item *o[4];
        int k = 0;
        /* SERIAL recreates its own sequence and default; another sequence
         * (shared, explicitly created, or a serial off the key) becomes a
         * sequence of md, created before the table */
        int own_serial = c->sequence && c->serial && c->pk_position;
        if (c->identity.present) {
            sqlalc_identity_options io = { SQLALC_IDENTITY_OPTIONS_VERSION,
                                           c->identity.always,
                                           SQLALC_IDENTITY_START | SQLALC_IDENTITY_INCREMENT |
                                               SQLALC_IDENTITY_MINVALUE | SQLALC_IDENTITY_MAXVALUE |
                                               SQLALC_IDENTITY_CACHE | SQLALC_IDENTITY_CYCLE,
                                           c->identity.start,
                                           c->identity.increment,
                                           c->identity.minvalue,
                                           c->identity.maxvalue,
                                           c->identity.cache,
                                           c->identity.cycle };
            o[k++] = sqlalc_opt_identity(&io);
        } else if (!c->autoincrement)
            flags |= SQLALC_NO_AUTOINCREMENT;
        else if (!c->pk_position || dflt)
            flags |= SQLALC_AUTOINCREMENT; /* an IDENTITY off the key, or a SERIAL's nextval() default */
        /* a partition's columns are its parent's: nothing to create */
        if (c->sequence && !own_serial && !c->identity.present && !ti->partition_of) {
            sqlalc_sequence *q = md_sequence(md, ti, c->sequence, si);
            o[k++] = q ? sqlalc_opt_sequence(q) : NULL;
        }
        if (dflt)
            o[k++] = sqlalc_opt_server_default_sql(dflt);
        if (c->comment)
            o[k++] = sqlalc_opt_comment(c->comment);
        items[n++] = k == 0   ? sqlalc_column_new(c->name, ty, flags, SQLALC_END)
                     : k == 1 ? sqlalc_column_new(c->name, ty, flags, o[0], SQLALC_END)
                     : k == 2 ? sqlalc_column_new(c->name, ty, flags, o[0], o[1], SQLALC_END)
                     : k == 3 ? sqlalc_column_new(c->name, ty, flags, o[0], o[1], o[2], SQLALC_END)
                              : sqlalc_column_new(c->name, ty, flags, o[0], o[1], o[2], o[3], SQLALC_END);
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
        const sqlalc_index_info *ix = &ti->indexes[i];
        /* the constraint creates its index; a partition's copy of its
         * parent's index comes with the partition (SQLAlchemy skips the
         * former too) */
        if (ix->duplicates_constraint || ix->inherited)
            continue;
        if (ix->nelements) {
            sqlalc_index_element *el = sqlalc__calloc(ix->nelements, sizeof *el);
            char *inc = ix->include.count ? join_names(&ix->include, NULL, NULL) : NULL;
            if (el && (!ix->include.count || inc)) {
                for (size_t k = 0; k < ix->nelements; k++) {
                    el[k].column = ix->elements[k].column;
                    el[k].expression = ix->elements[k].expression;
                    el[k].sorting = ix->elements[k].sorting;
                    el[k].opclass = ix->elements[k].opclass;
                }
                items[n++] =
                    sqlalc_index_elements(ix->name, el, ix->nelements, ix->unique,
                                          SQLALC_INDEX_OPTIONS(.method = ix->method, .where = ix->where,
                                                               .include = inc, .with = ix->with));
            } else
                items[n++] = NULL;
            sqlalc_free(el);
            sqlalc_free(inc);
            continue;
        }
        char *cols = join_names(&ix->columns, NULL, NULL);
        items[n++] = cols && ix->columns.count ? sqlalc_index(ix->name, cols, ix->unique) : NULL;
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

int sqlalc_table_from_info(sqlalc_metadata *md, const sqlalc_table_info *ti, sqlalc_table **out)
{
    return table_from_info(md, ti, NULL, out);
}

/* The reflected sequences md gets besides those columns draw from:
 * standalone ones (owned by no column) when the whole schema was
 * reflected, so that create_all makes them again. */
static int standalone_sequences(sqlalc_metadata *md, const sqlalc_schema_info *si)
{
    for (size_t i = 0; i < si->nsequences; i++) {
        const sqlalc_sequence_info *q = &si->sequences[i];
        if (q->owner_table || q->identity)
            continue;
        sqlalc_table_info fake = { 0 };
        fake.schema = q->schema;
        if (!md_sequence(md, &fake, q->name, si))
            return sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_NOMEM;
    }
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
    const sqlalc_reflect_hooks *rh = sqlalc__conn_reflect_hooks(conn);
    if (schema && rh && rh->default_schema_name && !strcmp(schema, rh->default_schema_name))
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
    if (!rc && !opt->only)
        rc = standalone_sequences(md, &si);
    for (size_t i = 0; i < si.count && !rc; i++) {
        const sqlalc_table_info *ti = si.tables[i];
        if (sqlalc_metadata_table_in(md, ti->schema, ti->name))
            continue;
        sqlalc_error_clear();
        rc = table_from_info(md, ti, &si, NULL);
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

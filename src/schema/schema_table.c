/* Tables: built from items (constraints, foreign keys, indexes), destroyed, and read. */
#include "schema_int.h"

/* ------------------------------------------------------------------ */
/* Tables                                                              */
/* ------------------------------------------------------------------ */

struct sqlalc_column_node *sqlalc__table_find_column(const struct sqlalc_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i]->name, name))
            return t->columns[i];
    return NULL;
}

static void fk_free(sqlalc_fk *fk)
{
    if (!fk)
        return;
    sqlalc_free(fk->name);
    sqlalc_free(fk->cols);
    sqlalc_free(fk->ref_schema);
    sqlalc_free(fk->ref_table);
    free_names(fk->ref_colnames, fk->ncols);
    sqlalc_free(fk->ondelete);
    sqlalc_free(fk->onupdate);
    sqlalc_free(fk);
}

static void con_free(sqlalc_constraint *c)
{
    if (!c)
        return;
    sqlalc_free(c->name);
    free_names(c->cols, c->ncols);
    sqlalc_free(c->sqltext);
    sqlalc_free(c);
}

void index_free(sqlalc_index_def *ix)
{
    if (!ix)
        return;
    sqlalc_free(ix->name);
    free_names(ix->cols, ix->ncols);
    free_names(ix->sorting, ix->ncols);
    free_names(ix->opclass, ix->ncols);
    sqlalc_free(ix->is_expr);
    sqlalc_free(ix->method);
    sqlalc_free(ix->where);
    sqlalc_free(ix->with);
    free_names(ix->include, ix->ninclude);
    sqlalc_free(ix);
}

void sqlalc__table_destroy(struct sqlalc_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncolumns; i++)
        column_node_free(t->columns[i]);
    sqlalc_free(t->columns);
    for (size_t i = 0; i < t->nfks; i++)
        fk_free(t->fks[i]);
    sqlalc_free(t->fks);
    for (size_t i = 0; i < t->ncons; i++)
        con_free(t->cons[i]);
    sqlalc_free(t->cons);
    for (size_t i = 0; i < t->nindexes; i++)
        index_free(t->indexes[i]);
    sqlalc_free(t->indexes);
    sqlalc_free(t->pk);
    sqlalc_free(t->pk_name);
    sqlalc_free(t->name);
    sqlalc_free(t->schema);
    sqlalc_free(t->comment);
    sqlalc_free(t->partition_by);
    sqlalc_free(t->partition_of);
    sqlalc_free(t->partition_bound);
    sqlalc_free(t);
}

int push(void **arr, size_t *n, void *item)
{
    void **v = sqlalc__realloc(*arr, (*n + 1) * sizeof(void *));
    if (!v)
        return SQLALC_ERR_NOMEM;
    v[(*n)++] = item;
    *arr = v;
    return SQLALC_OK;
}

static int check_cols(const struct sqlalc_table *t, char **names, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (!sqlalc__table_find_column(t, names[i]))
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: %s names unknown column '%s'", t->name,
                                    what, names[i]);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(names[i], names[j]))
                return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: %s lists column '%s' twice", t->name,
                                        what, names[i]);
    }
    return SQLALC_OK;
}

static int add_constraint(struct sqlalc_table *t, int kind, char **name, char ***cols, size_t ncols,
                          char **sqltext, int order)
{
    sqlalc_constraint *c = sqlalc__calloc(1, sizeof *c);
    if (!c)
        return SQLALC_ERR_NOMEM;
    c->kind = kind;
    c->order = order;
    if (push((void **)&t->cons, &t->ncons, c)) {
        sqlalc_free(c);
        return SQLALC_ERR_NOMEM;
    }
    c->name = *name;
    *name = NULL;
    c->cols = *cols;
    *cols = NULL;
    c->ncols = ncols;
    if (sqltext) {
        c->sqltext = *sqltext;
        *sqltext = NULL;
    }
    return SQLALC_OK;
}

static int add_index(struct sqlalc_table *t, char *name, char **cols, size_t ncols, int unique,
                     sqlalc_index_def *ext)
{
    sqlalc_index_def *ix = ext ? ext : sqlalc__calloc(1, sizeof *ix);
    if (!ix || push((void **)&t->indexes, &t->nindexes, ix)) {
        sqlalc_free(name);
        if (ix && ix->cols == cols)
            ix->cols = NULL;
        index_free(ix);
        free_names(cols, ncols);
        return SQLALC_ERR_NOMEM;
    }
    ix->name = name;
    ix->cols = cols;
    ix->ncols = ncols;
    ix->unique = unique;
    return SQLALC_OK;
}

/* Build an FK from local names and "t.c, t.d" targets. */
static int add_fk(struct sqlalc_table *t, char **local, size_t nlocal, const char *refs,
                  sqlalc_schema_item *it, int order, int from_column)
{
    char **targets = NULL;
    size_t nt = 0;
    int rc = SQLALC_OK;
    if (split_names(refs, &targets, &nt, "foreign key") < 0)
        return sqlalc_error_last()->code;
    sqlalc_fk *fk = sqlalc__calloc(1, sizeof *fk);
    if (!fk) {
        free_names(targets, nt);
        return SQLALC_ERR_NOMEM;
    }
    if (nt != nlocal) {
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                              "table %s: foreign key has %zu columns but %zu referenced columns (%s)",
                              t->name, nlocal, nt, refs);
        goto out;
    }
    fk->order = order;
    fk->from_column = from_column;
    fk->use_alter = it->use_alter;
    fk->ncols = nlocal;
    fk->cols = sqlalc__calloc(nlocal, sizeof *fk->cols);
    fk->ref_colnames = sqlalc__calloc(nlocal, sizeof(char *));
    if (!fk->cols || !fk->ref_colnames) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nlocal; i++) {
        fk->cols[i] = sqlalc__table_find_column(t, local[i]);
        if (!fk->cols[i]) {
            rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: foreign key names unknown column '%s'",
                                  t->name, local[i]);
            goto out;
        }
        char *s, *tb, *c;
        if ((rc = parse_target(targets[i], &s, &tb, &c)) != SQLALC_OK)
            goto out;
        fk->ref_colnames[i] = c;
        if (!i) {
            fk->ref_schema = s;
            fk->ref_table = tb;
        } else {
            int same = !strcmp(tb, fk->ref_table) &&
                       ((!s && !fk->ref_schema) || (s && fk->ref_schema && !strcmp(s, fk->ref_schema)));
            sqlalc_free(s);
            sqlalc_free(tb);
            if (!same) {
                rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                      "table %s: foreign key columns reference different tables (%s)",
                                      t->name, refs);
                goto out;
            }
        }
    }
    fk->name = it->name;
    it->name = NULL;
    fk->ondelete = it->ondelete;
    it->ondelete = NULL;
    fk->onupdate = it->onupdate;
    it->onupdate = NULL;
    if ((rc = push((void **)&t->fks, &t->nfks, fk)) == SQLALC_OK)
        fk = NULL;
out:
    free_names(targets, nt);
    fk_free(fk);
    return rc;
}

int type_is_integer(const sqlalc_type *ty)
{
    return ty && (ty->kind == SQLALC_TYPE_INTEGER || ty->kind == SQLALC_TYPE_SMALLINT ||
                  ty->kind == SQLALC_TYPE_BIGINT);
}

static int column_has_fk(const struct sqlalc_table *t, const struct sqlalc_column_node *c)
{
    for (size_t i = 0; i < t->nfks; i++)
        for (size_t j = 0; j < t->fks[i]->ncols; j++)
            if (t->fks[i]->cols[j] == c)
                return 1;
    return 0;
}

static void compute_derived(struct sqlalc_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++) {
        struct sqlalc_column_node *c = t->columns[i];
        /* an identity column is NOT NULL unless said otherwise (SQLAlchemy) */
        c->nullable = !(c->flags & (SQLALC_NOT_NULL | SQLALC_PRIMARY_KEY)) && !c->identity;
        if ((c->flags & SQLALC_NULLABLE) && !(c->flags & SQLALC_NOT_NULL))
            c->nullable = 1;
    }
    /* SQLAlchemy's autoincrement column: the single integer key column,
     * unless autoincrement=False, or "auto" with a server default / FK. */
    t->autoinc = NULL;
    if (t->npk == 1) {
        struct sqlalc_column_node *c = t->pk[0];
        if (type_is_integer(c->type) &&
            (c->autoincrement == 1 || (c->autoincrement == -1 && !c->server_default &&
                                       !c->server_default_expr && !column_has_fk(t, c))))
            t->autoinc = c;
    } else {
        /* in a composite key, the one integer column saying
         * autoincrement=True (a reflected serial) */
        for (size_t i = 0; i < t->npk; i++)
            if (t->pk[i]->autoincrement == 1 && type_is_integer(t->pk[i]->type)) {
                t->autoinc = t->autoinc ? NULL : t->pk[i];
                if (!t->autoinc)
                    break;
            }
    }
}

/* Build the table; items are consumed.  On failure returns NULL. */
static sqlalc_table *table_build(sqlalc_metadata *md, const char *name, sqlalc_schema_item *const *items,
                                 size_t n)
{
    int rc = SQLALC_OK;
    struct sqlalc_table *t = NULL;
    for (size_t i = 0; i < n; i++)
        if (!items[i]) {
            if (sqlalc_error_last()->code == SQLALC_OK)
                sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: element %zu is NULL", name ? name : "",
                                 i + 1);
            rc = sqlalc_error_last()->code;
            goto done;
        }
    if (!md || !name || !*name) {
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_new: %s",
                              !md ? "NULL metadata" : "empty table name");
        goto done;
    }
    if (!(t = sqlalc__calloc(1, sizeof *t))) {
        rc = SQLALC_ERR_NOMEM;
        goto done;
    }
    sqlalc__node_init(&t->base, SQLALC_NK_TABLE, NULL);
    if (!(t->name = sqlalc__strdup(name))) {
        rc = SQLALC_ERR_NOMEM;
        goto done;
    }
    /* Options and columns first: constraints name columns. */
    for (size_t i = 0; i < n && !rc; i++) {
        sqlalc_schema_item *it = items[i];
        switch (it->kind) {
        case IT_SCHEMA:
            sqlalc_free(t->schema);
            t->schema = it->text;
            it->text = NULL;
            break;
        case IT_COMMENT:
            sqlalc_free(t->comment);
            t->comment = it->text;
            it->text = NULL;
            break;
        case IT_SQLITE_AUTOINC: t->sqlite_autoincrement = 1; break;
        case IT_MSSQL_SCOPE_IDENTITY: t->scope_identity = 1; break;
        case IT_PARTITION_BY:
            sqlalc_free(t->partition_by);
            t->partition_by = it->text;
            it->text = NULL;
            break;
        case IT_PARTITION_OF:
            sqlalc_free(t->partition_of);
            sqlalc_free(t->partition_bound);
            t->partition_of = it->refs;
            t->partition_bound = it->text;
            it->refs = it->text = NULL;
            break;
        case IT_COLUMN:
            if (sqlalc__table_find_column(t, it->col->name)) {
                rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: duplicate column '%s'", name,
                                      it->col->name);
                break;
            }
            if ((rc = push((void **)&t->columns, &t->ncolumns, it->col)) == SQLALC_OK) {
                it->col->table = t;
                it->col->position = (int)t->ncolumns - 1;
                it->col = NULL;
            }
            break;
        case IT_DEFAULT:
        case IT_SERVER_DEFAULT:
        case IT_SERVER_DEFAULT_EXPR:
        case IT_IDENTITY:
        case IT_SEQUENCE:
        case IT_FK:
            rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                  "table %s: element %zu is a column option; pass it to sqlalc_column()",
                                  name, i + 1);
            break;
        default: break;
        }
    }
    if (!rc && !t->ncolumns)
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: no columns", name);
    if (!rc && sqlalc_metadata_table_in(md, t->schema, name)) {
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s%s%s is already defined in this MetaData",
                              t->schema ? t->schema : "", t->schema ? "." : "", name);
    }
    if (!rc)
        sqlalc_error_clear(); /* the NOT_FOUND of the lookup above */

    /* Table-level constraints and indexes, in the order given. */
    int have_pk_constraint = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlalc_schema_item *it = items[i];
        char **cols = NULL;
        size_t ncols = 0;
        switch (it->kind) {
        case IT_PK:
            if (have_pk_constraint) {
                rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s: two primary key constraints", name);
                break;
            }
            have_pk_constraint = 1;
            if (split_names(it->cols, &cols, &ncols, "primary key") < 0 ||
                (rc = check_cols(t, cols, ncols, "primary key")) != SQLALC_OK) {
                rc = sqlalc_error_last()->code;
                free_names(cols, ncols);
                break;
            }
            t->pk = sqlalc__calloc(ncols + t->ncolumns, sizeof *t->pk);
            if (!t->pk) {
                rc = SQLALC_ERR_NOMEM;
                free_names(cols, ncols);
                break;
            }
            for (size_t k = 0; k < ncols; k++) {
                t->pk[k] = sqlalc__table_find_column(t, cols[k]);
                t->pk[k]->flags |= SQLALC_PRIMARY_KEY;
            }
            t->npk = ncols;
            free_names(cols, ncols);
            t->pk_name = it->name;
            it->name = NULL;
            break;
        case IT_UNIQUE:
            if (split_names(it->cols, &cols, &ncols, "unique constraint") < 0 ||
                check_cols(t, cols, ncols, "unique constraint") != SQLALC_OK) {
                rc = sqlalc_error_last()->code;
                free_names(cols, ncols);
                break;
            }
            rc = add_constraint(t, SQLALC__CON_UNIQUE, &it->name, &cols, ncols, NULL, (int)i);
            free_names(cols, ncols);
            break;
        case IT_CHECK:
            rc = add_constraint(t, SQLALC__CON_CHECK, &it->name, &cols, 0, &it->text, (int)i);
            break;
        case IT_FKC:
            if (split_names(it->cols, &cols, &ncols, "foreign key") < 0) {
                rc = sqlalc_error_last()->code;
                break;
            }
            rc = add_fk(t, cols, ncols, it->refs, it, (int)i, 0);
            free_names(cols, ncols);
            break;
        case IT_INDEX:
            if (it->ix && it->ix->include &&
                (rc = check_cols(t, it->ix->include, it->ix->ninclude, "index INCLUDE")) != SQLALC_OK)
                break;
            if (it->ix && it->ix->cols) { /* sqlalc_index_elements */
                sqlalc_index_def *ix = it->ix;
                for (size_t k = 0; k < ix->ncols && !rc; k++)
                    if (!ix->is_expr[k] && !sqlalc__table_find_column(t, ix->cols[k]))
                        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                              "table %s: index %s names unknown column '%s'", name, it->name,
                                              ix->cols[k]);
                if (rc || (rc = push((void **)&t->indexes, &t->nindexes, ix)) != SQLALC_OK)
                    break;
                ix->name = it->name;
                ix->unique = it->unique;
                it->name = NULL;
                it->ix = NULL;
                break;
            }
            if (split_names(it->cols, &cols, &ncols, "index") < 0 ||
                check_cols(t, cols, ncols, "index") != SQLALC_OK) {
                rc = sqlalc_error_last()->code;
                free_names(cols, ncols);
                break;
            }
            {
                char *ixname = it->name;
                it->name = NULL;
                if (!ixname) {
                    sqlalc_buf b = SQLALC_BUF_INIT;
                    sqlalc_buf_printf(&b, "ix_%s%s%s_%s", t->schema ? t->schema : "", t->schema ? "_" : "",
                                      name, cols[0]);
                    ixname = sqlalc_buf_detach(&b);
                    if (!ixname) {
                        rc = SQLALC_ERR_NOMEM;
                        free_names(cols, ncols);
                        break;
                    }
                }
                sqlalc_index_def *ext = it->ix;
                it->ix = NULL;
                rc = add_index(t, ixname, cols, ncols, it->unique, ext);
            }
            break;
        default: break;
        }
    }
    /* Primary key from column flags (appended to a constraint's columns). */
    if (!rc && !t->pk && !(t->pk = sqlalc__calloc(t->ncolumns, sizeof *t->pk)))
        rc = SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < t->ncolumns && !rc; i++) {
        struct sqlalc_column_node *c = t->columns[i];
        if (!(c->flags & SQLALC_PRIMARY_KEY))
            continue;
        size_t k;
        for (k = 0; k < t->npk && t->pk[k] != c; k++)
            ;
        if (k == t->npk)
            t->pk[t->npk++] = c;
    }
    /* Column-level UNIQUE, ForeignKey and index, in column order (after
     * the table-level ones, as SQLAlchemy orders them). */
    size_t nitems_col = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlalc_schema_item *it = items[i];
        if (it->kind != IT_COLUMN)
            continue;
        struct sqlalc_column_node *c = t->columns[nitems_col++];
        int order = 1000000 + c->position * 4;
        if ((c->flags & SQLALC_UNIQUE) && !(c->flags & SQLALC_INDEX)) {
            char **cols = sqlalc__calloc(1, sizeof *cols);
            char *nm = NULL;
            if (!cols || !(cols[0] = sqlalc__strdup(c->name))) {
                sqlalc_free(cols);
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            rc = add_constraint(t, SQLALC__CON_UNIQUE, &nm, &cols, 1, NULL, order);
            free_names(cols, cols ? 1 : 0);
            if (rc)
                break;
        }
        for (size_t k = 0; k < it->nfks && !rc; k++) {
            char *local[1] = { c->name };
            rc = add_fk(t, local, 1, it->fks[k]->refs, it->fks[k], order + 1, 1);
        }
        if (!rc && (c->flags & SQLALC_INDEX)) {
            sqlalc_buf b = SQLALC_BUF_INIT;
            sqlalc_buf_printf(&b, "ix_%s%s%s_%s", t->schema ? t->schema : "", t->schema ? "_" : "", name,
                              c->name);
            char *ixname = sqlalc_buf_detach(&b);
            char **cols = sqlalc__calloc(1, sizeof *cols);
            if (!ixname || !cols || !(cols[0] = sqlalc__strdup(c->name))) {
                sqlalc_free(ixname);
                sqlalc_free(cols);
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            rc = add_index(t, ixname, cols, 1, (c->flags & SQLALC_UNIQUE) != 0, NULL);
        }
    }
    if (!rc) {
        for (size_t k = 0; k < t->npk; k++)
            t->pk[k]->flags |= SQLALC_PRIMARY_KEY;
        compute_derived(t);
        for (size_t i = 0; i < t->nfks && !rc; i++)
            rc = resolve_fk(md, t, t->fks[i], 1);
    }
    if (!rc)
        rc = md_add(md, t);
    if (!rc) {
        /* Tables added earlier may have been waiting for this one. */
        for (size_t i = 0; i + 1 < md->ntables; i++) {
            struct sqlalc_table *o = md->tables[i];
            for (size_t k = 0; k < o->nfks; k++)
                if (!o->fks[k]->ref)
                    resolve_fk(md, o, o->fks[k], 0);
        }
    }
done:
    for (size_t i = 0; i < n; i++)
        sqlalc_schema_item_free(items[i]);
    if (rc) {
        sqlalc__table_destroy(t);
        return NULL;
    }
    return t;
}

sqlalc_table *sqlalc_table_newv(sqlalc_metadata *md, const char *name, sqlalc_schema_item *const *items,
                                size_t n)
{
    return table_build(md, name, items, n);
}

sqlalc_table *sqlalc_table_new_(sqlalc_metadata *md, const char *name, ...)
{
    sqlalc_schema_item *local[64];
    sqlalc_schema_item **items = local;
    size_t n = 0, cap = SQLALC_ARRAY_LEN(local);
    int oom = 0;
    va_list ap;
    va_start(ap, name);
    for (;;) {
        sqlalc_schema_item *it = va_arg(ap, sqlalc_schema_item *);
        if (it == SQLALC_END)
            break;
        if (oom) {
            sqlalc_schema_item_free(it);
            continue;
        }
        if (n == cap) {
            sqlalc_schema_item **v = sqlalc__malloc(cap * 2 * sizeof *v);
            if (!v) {
                oom = 1;
                sqlalc_schema_item_free(it);
                continue;
            }
            memcpy(v, items, n * sizeof *v);
            if (items != local)
                sqlalc_free(items);
            items = v;
            cap *= 2;
        }
        items[n++] = it;
    }
    va_end(ap);
    if (oom) {
        for (size_t i = 0; i < n; i++)
            sqlalc_schema_item_free(items[i]);
        if (items != local)
            sqlalc_free(items);
        return NULL;
    }
    sqlalc_table *t = table_build(md, name, items, n);
    if (items != local)
        sqlalc_free(items);
    return t;
}

/* ------------------------------------------------------------------ */
/* Getters                                                             */
/* ------------------------------------------------------------------ */

const char *sqlalc_table_name(const sqlalc_table *t)
{
    return t ? t->name : NULL;
}
const char *sqlalc_table_schema(const sqlalc_table *t)
{
    return t ? t->schema : NULL;
}
const char *sqlalc_table_comment(const sqlalc_table *t)
{
    return t ? t->comment : NULL;
}
sqlalc_metadata *sqlalc_table_metadata(const sqlalc_table *t)
{
    return t ? t->metadata : NULL;
}
size_t sqlalc_table_column_count(const sqlalc_table *t)
{
    return t ? t->ncolumns : 0;
}
int sqlalc_table_mssql_scope_identity(const sqlalc_table *t)
{
    return t ? t->scope_identity : 0;
}
size_t sqlalc_table_index_count(const sqlalc_table *t)
{
    return t ? t->nindexes : 0;
}

sqlalc_expr *sqlalc_table_column(const sqlalc_table *t, size_t i)
{
    if (!t || i >= t->ncolumns) {
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "table %s has no column %zu", t ? t->name : "(null)", i);
        return NULL;
    }
    return &t->columns[i]->base;
}

sqlalc_expr *sqlalc_table_column_by_name(const sqlalc_table *t, const char *name)
{
    struct sqlalc_column_node *c = t && name ? sqlalc__table_find_column(t, name) : NULL;
    if (!c) {
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "table %s has no column %s", t ? t->name : "(null)",
                         name ? name : "(null)");
        return NULL;
    }
    return &c->base;
}

sqlalc_expr *sqlalc_c(sqlalc_table *t, const char *name)
{
    return sqlalc_expr_ref(sqlalc_table_column_by_name(t, name));
}

sqlalc_expr *sqlalc_table_expr(sqlalc_table *t)
{
    if (!t) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_table_expr: NULL table");
        return NULL;
    }
    return sqlalc_expr_ref(&t->base);
}

size_t sqlalc_table_pk_count(const sqlalc_table *t)
{
    return t ? t->npk : 0;
}
sqlalc_expr *sqlalc_table_pk_column(const sqlalc_table *t, size_t i)
{
    return t && i < t->npk ? &t->pk[i]->base : NULL;
}
size_t sqlalc_table_fk_count(const sqlalc_table *t)
{
    return t ? t->nfks : 0;
}
sqlalc_table *sqlalc_table_fk_target(const sqlalc_table *t, size_t i)
{
    return t && i < t->nfks ? t->fks[i]->ref : NULL;
}

int sqlalc_expr_is_column(const sqlalc_expr *e)
{
    return e && e->kind == SQLALC_NK_COLUMN;
}

static const struct sqlalc_column_node *as_col(const sqlalc_expr *e)
{
    return e && e->kind == SQLALC_NK_COLUMN ? (const struct sqlalc_column_node *)e : NULL;
}

const char *sqlalc_column_name(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c ? c->name : NULL;
}
const sqlalc_type *sqlalc_column_type(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c ? c->type : NULL;
}
sqlalc_table *sqlalc_column_table(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c ? c->table : NULL;
}
int sqlalc_column_nullable(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c ? c->nullable : 0;
}
int sqlalc_column_primary_key(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    if (!c || !c->table)
        return 0;
    for (size_t i = 0; i < c->table->npk; i++)
        if (c->table->pk[i] == c)
            return (int)i + 1;
    return 0;
}
int sqlalc_column_autoincrement(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c && c->table && (c->table->autoinc == c || c->autoincrement == 1);
}
const char *sqlalc_column_server_default(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c ? c->server_default : NULL;
}
const char *sqlalc_column_comment(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c ? c->comment : NULL;
}
const sqlalc_value *sqlalc_column_default(const sqlalc_expr *e)
{
    static const sqlalc_value none = { .type = SQLALC_V_NULL };
    const struct sqlalc_column_node *c = as_col(e);
    return c ? &c->default_value : &none;
}
int sqlalc_column_unique(const sqlalc_expr *e)
{
    const struct sqlalc_column_node *c = as_col(e);
    return c && (c->flags & SQLALC_UNIQUE);
}

/*
 * DDL compiler: CREATE/DROP TABLE, CREATE/DROP INDEX, ALTER TABLE
 * ADD/DROP CONSTRAINT, enum types and comments, in SQLAlchemy's layout,
 * varied only through the dialect's sqlalc_ddl_hooks.
 */
#include <stdio.h>
#include <string.h>
#include "ddl.h"
#include "quote.h"

void sqlalc__ddl_list_free(sqlalc__ddl_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        sqlalc_free(l->sql[i]);
    sqlalc_free(l->sql);
    memset(l, 0, sizeof *l);
}

static int list_take(sqlalc__ddl_list *l, sqlalc_buf *b)
{
    char *s = sqlalc_buf_detach(b);
    if (!s)
        return SQLALC_ERR_NOMEM;
    if (sqlalc__grow((void **)&l->sql, &l->cap, l->n + 1, sizeof *l->sql)) {
        sqlalc_free(s);
        return SQLALC_ERR_NOMEM;
    }
    l->sql[l->n++] = s;
    return SQLALC_OK;
}

void sqlalc__ddl_ident(sqlalc_buf *b, const sqlalc_dialect *d, const char *ident)
{
    sqlalc__ident_put(b, d, ident);
}

static void put_table(sqlalc_buf *b, const sqlalc_dialect *d, const char *schema, const char *name)
{
    if (schema) {
        sqlalc__ddl_ident(b, d, schema);
        sqlalc_buf_putc(b, '.');
    }
    sqlalc__ddl_ident(b, d, name);
}

static void put_literal(sqlalc_buf *b, const char *s)
{
    sqlalc_buf_putc(b, '\'');
    for (; *s; s++) {
        sqlalc_buf_putc(b, *s);
        if (*s == '\'')
            sqlalc_buf_putc(b, '\'');
    }
    sqlalc_buf_putc(b, '\'');
}

static void put_names(sqlalc_buf *b, const sqlalc_dialect *d, char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sqlalc_buf_puts(b, ", ");
        sqlalc__ddl_ident(b, d, names[i]);
    }
}

static void put_type(sqlalc_buf *b, const sqlalc_type *t, const sqlalc_dialect *d)
{
    char small[128];
    size_t n = sqlalc_type_sql(t, d, small, sizeof small);
    if (n < sizeof small)
        sqlalc_buf_append(b, small, n);
    else {
        char *big = sqlalc__malloc(n + 1);
        if (!big) {
            b->oom = 1;
            return;
        }
        sqlalc_type_sql(t, d, big, n + 1);
        sqlalc_buf_append(b, big, n);
        sqlalc_free(big);
    }
}

static int is_int_kind(const sqlalc_type *t)
{
    return t->kind == SQLALC_TYPE_INTEGER || t->kind == SQLALC_TYPE_SMALLINT || t->kind == SQLALC_TYPE_BIGINT;
}

static int inline_autoinc(const struct sqlalc_table *t, const sqlalc_dialect *d)
{
    return d->ddl->inline_pk_autoincrement && t->sqlite_autoincrement && t->autoinc && t->npk == 1;
}

static void put_column(sqlalc_buf *b, const struct sqlalc_table *t, const struct sqlalc_column_node *c,
                       const sqlalc_dialect *d)
{
    const sqlalc_ddl_hooks *h = d->ddl;
    sqlalc__ddl_ident(b, d, c->name);
    sqlalc_buf_putc(b, ' ');
    if (h->native_enum && c->type->kind == SQLALC_TYPE_ENUM && c->type->name)
        sqlalc__ddl_ident(b, d, c->type->name);
    else if (h->autoincrement == SQLALC_DDL_AUTOINC_SERIAL && t->autoinc == c && is_int_kind(c->type))
        sqlalc_buf_puts(b, c->type->kind == SQLALC_TYPE_BIGINT     ? "BIGSERIAL"
                           : c->type->kind == SQLALC_TYPE_SMALLINT ? "SMALLSERIAL"
                                                                   : "SERIAL");
    else
        put_type(b, c->type, d);
    if (h->explicit_null) {
        int identity = h->autoincrement == SQLALC_DDL_AUTOINC_IDENTITY && is_int_kind(c->type) &&
                       (t->autoinc == c || c->autoincrement == 1);
        /* an IDENTITY column is never NULL */
        sqlalc_buf_puts(b, c->nullable && !identity ? " NULL" : " NOT NULL");
        if (identity)
            sqlalc_buf_puts(b, " IDENTITY");
        if (c->server_default) {
            sqlalc_buf_puts(b, " DEFAULT ");
            sqlalc_buf_puts(b, c->server_default);
        }
    } else {
        if (c->server_default) {
            sqlalc_buf_puts(b, " DEFAULT ");
            sqlalc_buf_puts(b, c->server_default);
        }
        if (!c->nullable)
            sqlalc_buf_puts(b, " NOT NULL");
    }
    if (inline_autoinc(t, d) && t->autoinc == c)
        sqlalc_buf_puts(b, " PRIMARY KEY AUTOINCREMENT");
}

void sqlalc__ddl_enum_check(sqlalc_buf *b, const struct sqlalc_column_node *c, const sqlalc_dialect *d)
{
    sqlalc__ddl_ident(b, d, c->name);
    sqlalc_buf_puts(b, " IN (");
    for (size_t k = 0; k < c->type->n_enum_values; k++) {
        if (k)
            sqlalc_buf_puts(b, ", ");
        put_literal(b, c->type->enum_values[k]);
    }
    sqlalc_buf_putc(b, ')');
}

static void put_constraint_name(sqlalc_buf *b, const sqlalc_dialect *d, const char *name)
{
    if (name) {
        sqlalc_buf_puts(b, "CONSTRAINT ");
        sqlalc__ddl_ident(b, d, name);
        sqlalc_buf_putc(b, ' ');
    }
}

static void put_fk_body(sqlalc_buf *b, const sqlalc_fk *fk, const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "FOREIGN KEY(");
    for (size_t i = 0; i < fk->ncols; i++) {
        if (i)
            sqlalc_buf_puts(b, ", ");
        sqlalc__ddl_ident(b, d, fk->cols[i]->name);
    }
    sqlalc_buf_puts(b, ") REFERENCES ");
    put_table(b, d, d->ddl->fk_same_schema ? NULL : fk->ref_schema, fk->ref_table);
    sqlalc_buf_puts(b, " (");
    put_names(b, d, fk->ref_colnames, fk->ncols);
    sqlalc_buf_putc(b, ')');
    if (fk->ondelete) {
        sqlalc_buf_puts(b, " ON DELETE ");
        sqlalc_buf_puts(b, fk->ondelete);
    }
    if (fk->onupdate) {
        sqlalc_buf_puts(b, " ON UPDATE ");
        sqlalc_buf_puts(b, fk->onupdate);
    }
}

void sqlalc__ddl_create_table(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_dialect *d,
                              sqlalc_fk *const *omit, size_t nomit)
{
    sqlalc_buf_puts(b, "\nCREATE TABLE ");
    put_table(b, d, t->schema, t->name);
    sqlalc_buf_puts(b, " (");
    int first = 1;
#define SEP()                                          \
    do {                                               \
        sqlalc_buf_puts(b, first ? "\n\t" : ", \n\t"); \
        first = 0;                                     \
    } while (0)
    for (size_t i = 0; i < t->ncolumns; i++) {
        SEP();
        put_column(b, t, t->columns[i], d);
    }
    if (t->npk && !inline_autoinc(t, d)) {
        SEP();
        put_constraint_name(b, d, t->pk_name);
        sqlalc_buf_puts(b, "PRIMARY KEY (");
        for (size_t i = 0; i < t->npk; i++) {
            if (i)
                sqlalc_buf_puts(b, ", ");
            sqlalc__ddl_ident(b, d, t->pk[i]->name);
        }
        sqlalc_buf_putc(b, ')');
    }
    /* UNIQUE, CHECK, FOREIGN KEY and enum CHECKs in declaration order:
     * table-level ones as given, then column-level ones in column order
     * (as SQLAlchemy's creation order comes out). */
    int enum_checks = d->ddl->enum_check && !d->ddl->native_enum;
    size_t ci = 0, fi = 0, ei = 0;
    for (;;) {
        while (fi < t->nfks && sqlalc__fk_in(t->fks[fi], omit, nomit))
            fi++;
        while (ei < t->ncolumns && !(enum_checks && t->columns[ei]->type->kind == SQLALC_TYPE_ENUM))
            ei++;
        long oc = ci < t->ncons ? t->cons[ci]->order : -1;
        long of = fi < t->nfks ? t->fks[fi]->order : -1;
        long oe = ei < t->ncolumns ? 1000000L + (long)t->columns[ei]->position * 4 + 2 : -1;
        long best = -1;
        int which = 0;
        if (oc >= 0 && (best < 0 || oc < best))
            best = oc, which = 1;
        if (of >= 0 && (best < 0 || of < best))
            best = of, which = 2;
        if (oe >= 0 && (best < 0 || oe < best))
            best = oe, which = 3;
        if (!which)
            break;
        SEP();
        if (which == 2) {
            const sqlalc_fk *fk = t->fks[fi++];
            put_constraint_name(b, d, fk->name);
            put_fk_body(b, fk, d);
        } else if (which == 1) {
            const sqlalc_constraint *c = t->cons[ci++];
            put_constraint_name(b, d, c->name);
            if (c->kind == SQLALC__CON_UNIQUE) {
                sqlalc_buf_puts(b, "UNIQUE (");
                put_names(b, d, c->cols, c->ncols);
                sqlalc_buf_putc(b, ')');
            } else {
                sqlalc_buf_puts(b, "CHECK (");
                sqlalc_buf_puts(b, c->sqltext);
                sqlalc_buf_putc(b, ')');
            }
        } else {
            const struct sqlalc_column_node *c = t->columns[ei++];
            put_constraint_name(b, d, c->type->name);
            sqlalc_buf_puts(b, "CHECK (");
            sqlalc__ddl_enum_check(b, c, d);
            sqlalc_buf_putc(b, ')');
        }
    }
#undef SEP
    sqlalc_buf_puts(b, "\n)\n\n");
}

void sqlalc__ddl_drop_table(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "\nDROP TABLE ");
    put_table(b, d, t->schema, t->name);
}

void sqlalc__ddl_create_index(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_index_def *ix,
                              const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (d->ddl->index_schema_on_name) {
        put_table(b, d, t->schema, ix->name);
        sqlalc_buf_puts(b, " ON ");
        put_table(b, d, NULL, t->name);
    } else {
        sqlalc__ddl_ident(b, d, ix->name);
        sqlalc_buf_puts(b, " ON ");
        put_table(b, d, t->schema, t->name);
    }
    sqlalc_buf_puts(b, " (");
    put_names(b, d, ix->cols, ix->ncols);
    sqlalc_buf_putc(b, ')');
}

void sqlalc__ddl_drop_index(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_index_def *ix,
                            const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "\nDROP INDEX ");
    if (d->ddl->drop_index_on_table) {
        sqlalc__ddl_ident(b, d, ix->name);
        sqlalc_buf_puts(b, " ON ");
        put_table(b, d, t->schema, t->name);
    } else
        put_table(b, d, t->schema, ix->name);
}

void sqlalc__ddl_add_fk(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_fk *fk,
                        const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "ALTER TABLE ");
    put_table(b, d, t->schema, t->name);
    sqlalc_buf_puts(b, " ADD ");
    put_constraint_name(b, d, fk->name);
    put_fk_body(b, fk, d);
}

void sqlalc__ddl_drop_fk(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_fk *fk,
                         const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "ALTER TABLE ");
    put_table(b, d, t->schema, t->name);
    sqlalc_buf_puts(b, " DROP CONSTRAINT ");
    sqlalc__ddl_ident(b, d, fk->name);
}

static void create_enum(sqlalc_buf *b, const sqlalc_type *ty, const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "CREATE TYPE ");
    sqlalc__ddl_ident(b, d, ty->name);
    sqlalc_buf_puts(b, " AS ENUM (");
    for (size_t k = 0; k < ty->n_enum_values; k++) {
        if (k)
            sqlalc_buf_puts(b, ", ");
        put_literal(b, ty->enum_values[k]);
    }
    sqlalc_buf_putc(b, ')');
}

/* ------------------------------------------------------------------ */
/* Plans                                                               */
/* ------------------------------------------------------------------ */

static int check_ddl_ready(const struct sqlalc_table *t, const sqlalc_dialect *d)
{
    if (!d || !d->ddl || !d->ddl->type_sql)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "dialect %s has no DDL hooks",
                                d ? d->name : "(null)");
    int rc = sqlalc__table_check_fks(t);
    if (rc)
        return rc;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sqlalc_type *ty = t->columns[i]->type;
        if (d->ddl->native_enum && ty->kind == SQLALC_TYPE_ENUM && !ty->name)
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s, column %s: %s ENUM type requires a name",
                                    t->name, t->columns[i]->name, d->name);
    }
    return SQLALC_OK;
}

/* Enum types (by name) used by tables, first use first. */
static int collect_enums(struct sqlalc_table *const *tabs, size_t n, const sqlalc_type ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < tabs[i]->ncolumns; k++) {
            const sqlalc_type *ty = tabs[i]->columns[k]->type;
            if (ty->kind != SQLALC_TYPE_ENUM || !ty->name)
                continue;
            size_t j;
            for (j = 0; j < *nout && strcmp((*out)[j]->name, ty->name); j++)
                ;
            if (j < *nout)
                continue;
            if (sqlalc__grow((void **)out, &cap, *nout + 1, sizeof **out)) {
                sqlalc_free(*out);
                *out = NULL;
                *nout = 0;
                return SQLALC_ERR_NOMEM;
            }
            (*out)[(*nout)++] = ty;
        }
    return SQLALC_OK;
}

static int comments(sqlalc__ddl_list *l, const struct sqlalc_table *t, const sqlalc_dialect *d)
{
    int rc = SQLALC_OK;
    sqlalc_buf b = SQLALC_BUF_INIT;
    if (t->comment) {
        sqlalc_buf_puts(&b, "COMMENT ON TABLE ");
        put_table(&b, d, t->schema, t->name);
        sqlalc_buf_puts(&b, " IS ");
        put_literal(&b, t->comment);
        if ((rc = list_take(l, &b)))
            return rc;
    }
    for (size_t i = 0; i < t->ncolumns && !rc; i++) {
        const struct sqlalc_column_node *c = t->columns[i];
        if (!c->comment)
            continue;
        sqlalc_buf_puts(&b, "COMMENT ON COLUMN ");
        put_table(&b, d, t->schema, t->name);
        sqlalc_buf_putc(&b, '.');
        sqlalc__ddl_ident(&b, d, c->name);
        sqlalc_buf_puts(&b, " IS ");
        put_literal(&b, c->comment);
        rc = list_take(l, &b);
    }
    return rc;
}

static int sorted(const sqlalc_metadata *md, const struct sqlalc_table *only, struct sqlalc_table ***tabs,
                  size_t *n, sqlalc_fk ***cyc, size_t *ncyc)
{
    if (only) {
        *tabs = sqlalc__calloc(1, sizeof **tabs);
        if (!*tabs)
            return SQLALC_ERR_NOMEM;
        (*tabs)[0] = (struct sqlalc_table *)only;
        *n = 1;
        *cyc = NULL;
        *ncyc = 0;
        return SQLALC_OK;
    }
    return sqlalc__metadata_sort(md, tabs, n, cyc, ncyc);
}

/* Foreign keys created after the tables: cycles and use_alter, where the
 * dialect can ALTER (SQLite declares them inline). */
static int alter_fks(struct sqlalc_table *const *tabs, size_t n, sqlalc_fk *const *cyc, size_t ncyc,
                     const sqlalc_dialect *d, int single, sqlalc_fk ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!d->ddl->alter_constraints || single)
        return SQLALC_OK;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < tabs[i]->nfks; k++) {
            sqlalc_fk *fk = tabs[i]->fks[k];
            if (!fk->use_alter && !sqlalc__fk_in(fk, cyc, ncyc))
                continue;
            if (!fk->name) {
                sqlalc_free(*out);
                *out = NULL;
                *nout = 0;
                return sqlalc_error_set(
                    SQLALC_ERR_ARGUMENT,
                    "table %s: the foreign key on %s to %s is in a dependency cycle (or use_alter): "
                    "give it a name (sqlalc_foreign_key_ex / sqlalc_fk_constraint options .name) so it can be "
                    "added and dropped with ALTER TABLE",
                    tabs[i]->name, fk->cols[0]->name, fk->ref_table);
            }
            void **v = sqlalc__realloc(*out, (*nout + 1) * sizeof(void *));
            if (!v) {
                sqlalc_free(*out);
                *out = NULL;
                *nout = 0;
                return SQLALC_ERR_NOMEM;
            }
            *out = (sqlalc_fk **)v;
            (*out)[(*nout)++] = fk;
        }
    return SQLALC_OK;
}

static struct sqlalc_table *fk_owner(struct sqlalc_table *const *tabs, size_t n, const sqlalc_fk *fk)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < tabs[i]->nfks; k++)
            if (tabs[i]->fks[k] == fk)
                return tabs[i];
    return NULL;
}

int sqlalc__ddl_plan_create(const sqlalc_metadata *md, const struct sqlalc_table *only,
                            const sqlalc_dialect *d, sqlalc__ddl_exists_fn exists, void *ctx,
                            sqlalc__ddl_list *out)
{
    struct sqlalc_table **tabs = NULL;
    sqlalc_fk **cyc = NULL, **alter = NULL;
    size_t n = 0, ncyc = 0, nalter = 0, nenums = 0;
    const sqlalc_type **enums = NULL;
    unsigned char *skip = NULL;
    sqlalc_buf b = SQLALC_BUF_INIT;
    memset(out, 0, sizeof *out);
    int rc = sorted(md, only, &tabs, &n, &cyc, &ncyc);
    for (size_t i = 0; i < n && !rc; i++)
        rc = check_ddl_ready(tabs[i], d);
    if (!rc)
        rc = alter_fks(tabs, n, cyc, ncyc, d, only != NULL, &alter, &nalter);
    if (!rc && !(skip = sqlalc__calloc(n + 1, 1)))
        rc = SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc && exists; i++) {
        int e = 0;
        rc = exists(ctx, 0, tabs[i]->schema, tabs[i]->name, &e);
        skip[i] = (unsigned char)(e != 0);
    }
    if (!rc && d->ddl->native_enum) {
        /* Types for the tables that will be created. */
        struct sqlalc_table **todo = sqlalc__calloc(n + 1, sizeof *todo);
        size_t ntodo = 0;
        if (!todo)
            rc = SQLALC_ERR_NOMEM;
        for (size_t i = 0; i < n && !rc; i++)
            if (!skip[i])
                todo[ntodo++] = tabs[i];
        if (!rc)
            rc = collect_enums(todo, ntodo, &enums, &nenums);
        sqlalc_free(todo);
        for (size_t i = 0; i < nenums && !rc; i++) {
            int e = 0;
            if (exists && (rc = exists(ctx, 1, NULL, enums[i]->name, &e)) != SQLALC_OK)
                break;
            if (e)
                continue;
            create_enum(&b, enums[i], d);
            rc = list_take(out, &b);
        }
    }
    for (size_t i = 0; i < n && !rc; i++) {
        if (skip[i])
            continue;
        sqlalc__ddl_create_table(&b, tabs[i], d, alter, nalter);
        if ((rc = list_take(out, &b)))
            break;
        for (size_t k = 0; k < tabs[i]->nindexes && !rc; k++) {
            sqlalc__ddl_create_index(&b, tabs[i], tabs[i]->indexes[k], d);
            rc = list_take(out, &b);
        }
        if (!rc && d->ddl->comments)
            rc = comments(out, tabs[i], d);
    }
    for (size_t i = 0; i < nalter && !rc; i++) {
        struct sqlalc_table *t = fk_owner(tabs, n, alter[i]);
        size_t ti;
        for (ti = 0; ti < n && tabs[ti] != t; ti++)
            ;
        if (ti < n && skip[ti])
            continue; /* its table existed already, constraint included */
        sqlalc__ddl_add_fk(&b, t, alter[i], d);
        rc = list_take(out, &b);
    }
    sqlalc_buf_free(&b);
    sqlalc_free(tabs);
    sqlalc_free(cyc);
    sqlalc_free(alter);
    sqlalc_free(enums);
    sqlalc_free(skip);
    if (rc)
        sqlalc__ddl_list_free(out);
    return rc;
}

int sqlalc__ddl_plan_drop(const sqlalc_metadata *md, const struct sqlalc_table *only, const sqlalc_dialect *d,
                          sqlalc__ddl_exists_fn exists, void *ctx, sqlalc__ddl_list *out)
{
    struct sqlalc_table **tabs = NULL, **dropped = NULL;
    sqlalc_fk **cyc = NULL, **alter = NULL;
    size_t n = 0, ncyc = 0, nalter = 0, ndropped = 0, nenums = 0;
    const sqlalc_type **enums = NULL;
    unsigned char *skip = NULL;
    sqlalc_buf b = SQLALC_BUF_INIT;
    memset(out, 0, sizeof *out);
    int rc = sorted(md, only, &tabs, &n, &cyc, &ncyc);
    if (!rc && (!d || !d->ddl || !d->ddl->type_sql))
        rc =
            sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "dialect %s has no DDL hooks", d ? d->name : "(null)");
    if (!rc)
        rc = alter_fks(tabs, n, cyc, ncyc, d, only != NULL, &alter, &nalter);
    if (!rc && (!(skip = sqlalc__calloc(n + 1, 1)) || !(dropped = sqlalc__calloc(n + 1, sizeof *dropped))))
        rc = SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc && exists; i++) {
        int e = 0;
        rc = exists(ctx, 0, tabs[i]->schema, tabs[i]->name, &e);
        skip[i] = (unsigned char)(e == 0);
    }
    /* Constraints in cycles go first, so that every table can be dropped. */
    for (size_t i = 0; i < nalter && !rc; i++) {
        struct sqlalc_table *t = fk_owner(tabs, n, alter[i]);
        size_t ti;
        for (ti = 0; ti < n && tabs[ti] != t; ti++)
            ;
        if (ti < n && skip[ti])
            continue;
        sqlalc__ddl_drop_fk(&b, t, alter[i], d);
        rc = list_take(out, &b);
    }
    for (size_t i = n; i-- > 0 && !rc;) {
        if (skip[i])
            continue;
        sqlalc__ddl_drop_table(&b, tabs[i], d);
        rc = list_take(out, &b);
        dropped[ndropped++] = tabs[i];
    }
    if (!rc && d->ddl->native_enum) {
        /* Every enum type of the tables, as SQLAlchemy drops the metadata's
         * types: with checkfirst also those whose table was already gone. */
        rc = collect_enums(exists ? tabs : dropped, exists ? n : ndropped, &enums, &nenums);
        for (size_t i = 0; i < nenums && !rc; i++) {
            int e = 1;
            if (exists && (rc = exists(ctx, 1, NULL, enums[i]->name, &e)) != SQLALC_OK)
                break;
            if (!e)
                continue;
            sqlalc_buf_puts(&b, "DROP TYPE ");
            sqlalc__ddl_ident(&b, d, enums[i]->name);
            rc = list_take(out, &b);
        }
    }
    sqlalc_buf_free(&b);
    sqlalc_free(tabs);
    sqlalc_free(dropped);
    sqlalc_free(cyc);
    sqlalc_free(alter);
    sqlalc_free(enums);
    sqlalc_free(skip);
    if (rc)
        sqlalc__ddl_list_free(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Public text API                                                     */
/* ------------------------------------------------------------------ */

static int finish(sqlalc_buf *b, char **out)
{
    *out = sqlalc_buf_detach(b);
    return *out ? SQLALC_OK : SQLALC_ERR_NOMEM;
}

static int args_ok(const void *t, const sqlalc_dialect *d, char **out, const char *fn)
{
    if (out)
        *out = NULL;
    if (!t || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: NULL argument", fn);
    if (!d || !d->ddl || !d->ddl->type_sql)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "%s: dialect %s has no DDL hooks", fn,
                                d ? d->name : "(null)");
    return SQLALC_OK;
}

int sqlalc_create_table_sql(const sqlalc_table *t, const sqlalc_dialect *d, char **out)
{
    int rc = args_ok(t, d, out, "sqlalc_create_table_sql");
    if (!rc)
        rc = check_ddl_ready(t, d);
    if (rc)
        return rc;
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc__ddl_create_table(&b, t, d, NULL, 0);
    return finish(&b, out);
}

int sqlalc_drop_table_sql(const sqlalc_table *t, const sqlalc_dialect *d, char **out)
{
    int rc = args_ok(t, d, out, "sqlalc_drop_table_sql");
    if (rc)
        return rc;
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc__ddl_drop_table(&b, t, d);
    return finish(&b, out);
}

int sqlalc_create_index_sql(const sqlalc_table *t, size_t i, const sqlalc_dialect *d, char **out)
{
    int rc = args_ok(t, d, out, "sqlalc_create_index_sql");
    if (rc)
        return rc;
    if (i >= t->nindexes)
        return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "table %s has no index %zu", t->name, i);
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc__ddl_create_index(&b, t, t->indexes[i], d);
    return finish(&b, out);
}

int sqlalc_drop_index_sql(const sqlalc_table *t, size_t i, const sqlalc_dialect *d, char **out)
{
    int rc = args_ok(t, d, out, "sqlalc_drop_index_sql");
    if (rc)
        return rc;
    if (i >= t->nindexes)
        return sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "table %s has no index %zu", t->name, i);
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc__ddl_drop_index(&b, t, t->indexes[i], d);
    return finish(&b, out);
}

static int script(const sqlalc_metadata *md, const sqlalc_dialect *d, char **out, int create)
{
    int rc = args_ok(md, d, out, create ? "sqlalc_metadata_create_script" : "sqlalc_metadata_drop_script");
    if (rc)
        return rc;
    sqlalc__ddl_list l;
    rc = create ? sqlalc__ddl_plan_create(md, NULL, d, NULL, NULL, &l)
                : sqlalc__ddl_plan_drop(md, NULL, d, NULL, NULL, &l);
    if (rc)
        return rc;
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (size_t i = 0; i < l.n; i++) {
        const char *s = l.sql[i];
        size_t len = strlen(s);
        while (*s == '\n')
            s++, len--;
        while (len && s[len - 1] == '\n')
            len--;
        sqlalc_buf_append(&b, s, len);
        sqlalc_buf_puts(&b, ";\n");
    }
    sqlalc__ddl_list_free(&l);
    return finish(&b, out);
}

int sqlalc_metadata_create_script(const sqlalc_metadata *md, const sqlalc_dialect *d, char **out)
{
    return script(md, d, out, 1);
}

int sqlalc_metadata_drop_script(const sqlalc_metadata *md, const sqlalc_dialect *d, char **out)
{
    return script(md, d, out, 0);
}

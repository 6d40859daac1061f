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

/* The hook fields appended in version 2 (identifier limits, defaults,
 * identity, domains, partitions, index options, sequences): read through
 * V2(d), which gives a table of zeros for a version-1 table (one built
 * against an older header has no such fields). */
const sqlalc_ddl_hooks *sqlalc__ddl_v2(const sqlalc_dialect *d)
{
    static const sqlalc_ddl_hooks v1 = { 0 };
    return d->ddl->version >= 2 ? d->ddl : &v1;
}
#define V2(d) sqlalc__ddl_v2(d)

/* Make room for n more bytes (and the NUL) at the end of b. */
static char *room(sqlalc_buf *b, size_t n)
{
    if (b->oom)
        return NULL;
    if (sqlalc__grow((void **)&b->p, &b->cap, b->len + n + 1, 1)) {
        b->oom = 1;
        return NULL;
    }
    return b->p + b->len;
}

void sqlalc__ddl_ident(sqlalc_buf *b, const sqlalc_dialect *d, const char *ident)
{
    sqlalc__ident_put(b, d, ident); /* the one quoting rule (quote.c) */
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
    size_t n = sqlalc_type_sql(t, d, NULL, 0);
    char *at = room(b, n);
    if (at) {
        sqlalc_type_sql(t, d, at, n + 1);
        b->len += n;
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

static int native_enum(const sqlalc_type *ty, const sqlalc_dialect *d)
{
    return d->ddl->native_enum && ty->kind == SQLALC_TYPE_ENUM && ty->name && !ty->non_native;
}

/* The CHECK of a non-native enum, only when asked (SQLAlchemy 1.4's
 * create_constraint defaults to false). */
static int enum_check(const sqlalc_type *ty, const sqlalc_dialect *d)
{
    return d->ddl->enum_check && ty->kind == SQLALC_TYPE_ENUM && ty->create_constraint && !native_enum(ty, d);
}

static int domain_type(const sqlalc_type *ty, const sqlalc_dialect *d)
{
    return V2(d)->domains && ty->kind == SQLALC_TYPE_DOMAIN && ty->name;
}

/* PostgreSQL SERIAL: the autoincrement column, unless it draws from an
 * identity or an explicit sequence (SQLAlchemy's condition). */
static int serial_column(const struct sqlalc_table *t, const struct sqlalc_column_node *c,
                         const sqlalc_dialect *d)
{
    return d->ddl->autoincrement == SQLALC_DDL_AUTOINC_SERIAL && t->autoinc == c && is_int_kind(c->type) &&
           !c->identity && !c->sequence;
}

static void put_seq_name(sqlalc_buf *b, const sqlalc_dialect *d, const struct sqlalc_sequence *s)
{
    if (s->schema) {
        sqlalc__ddl_ident(b, d, s->schema);
        sqlalc_buf_putc(b, '.');
    }
    sqlalc__ddl_ident(b, d, s->name);
}

/* The column's DEFAULT: its SQL text, its expression compiled for d
 * (parenthesised where the dialect wants it), or the next value of its
 * sequence.  Nothing written when it has none. */
static void put_default(sqlalc_buf *b, const struct sqlalc_column_node *c, const sqlalc_dialect *d)
{
    const sqlalc_ddl_hooks *h = V2(d);
    if (c->server_default) {
        /* a sequence's default means nothing where sequences do not exist */
        if (c->sequence && h->sequences == SQLALC_DDL_SEQUENCES_NONE)
            return;
        sqlalc_buf_puts(b, " DEFAULT ");
        sqlalc_buf_puts(b, c->server_default);
    } else if (c->server_default_expr) {
        char *sql = sqlalc__expr_sql_literal(c->server_default_expr, d);
        if (!sql) {
            b->oom = 1; /* the compile error is recorded; the plan reports it */
            return;
        }
        sqlalc_buf_puts(b, V2(d)->paren_default_expr ? " DEFAULT (" : " DEFAULT ");
        sqlalc_buf_puts(b, sql);
        if (V2(d)->paren_default_expr)
            sqlalc_buf_putc(b, ')');
        sqlalc_free(sql);
    } else if (c->sequence && V2(d)->sequences == SQLALC_DDL_SEQUENCES_NEXTVAL) {
        sqlalc_buf b2 = SQLALC_BUF_INIT;
        put_seq_name(&b2, d, c->sequence);
        const char *name = sqlalc_buf_cstr(&b2);
        sqlalc_buf_puts(b, " DEFAULT nextval(");
        if (name)
            put_literal(b, name);
        else
            b->oom = 1;
        sqlalc_buf_putc(b, ')');
        sqlalc_buf_free(&b2);
    } else if (c->sequence && V2(d)->sequences == SQLALC_DDL_SEQUENCES_NEXT_VALUE_FOR) {
        sqlalc_buf_puts(b, " DEFAULT NEXT VALUE FOR ");
        put_seq_name(b, d, c->sequence);
    }
}

/* SQLAlchemy's identity options, in its order. */
static void put_identity_options(sqlalc_buf *b, unsigned has, int64_t start, int64_t increment,
                                 int64_t minvalue, int64_t maxvalue, int64_t cache, int cycle)
{
    const char *sep = "";
#define OPT(bit, fmt, v)                                                \
    do {                                                                \
        if (has & (bit)) {                                              \
            sqlalc_buf_printf(b, "%s" fmt "%lld", sep, (long long)(v)); \
            sep = " ";                                                  \
        }                                                               \
    } while (0)
    OPT(SQLALC_IDENTITY_INCREMENT, "INCREMENT BY ", increment);
    OPT(SQLALC_IDENTITY_START, "START WITH ", start);
    OPT(SQLALC_IDENTITY_MINVALUE, "MINVALUE ", minvalue);
    OPT(SQLALC_IDENTITY_MAXVALUE, "MAXVALUE ", maxvalue);
    OPT(SQLALC_IDENTITY_CACHE, "CACHE ", cache);
#undef OPT
    if (has & SQLALC_IDENTITY_CYCLE)
        sqlalc_buf_printf(b, "%s%s", sep, cycle ? "CYCLE" : "NO CYCLE");
}

static unsigned identity_has_options(unsigned has)
{
    return has & (SQLALC_IDENTITY_START | SQLALC_IDENTITY_INCREMENT | SQLALC_IDENTITY_MINVALUE |
                  SQLALC_IDENTITY_MAXVALUE | SQLALC_IDENTITY_CACHE | SQLALC_IDENTITY_CYCLE);
}

int sqlalc__ddl_enum_check_wanted(const sqlalc_type *ty, const sqlalc_dialect *d)
{
    return d && d->ddl && enum_check(ty, d);
}

int sqlalc__ddl_is_serial(const struct sqlalc_table *t, const struct sqlalc_column_node *c,
                          const sqlalc_dialect *d)
{
    return d && d->ddl && serial_column(t, c, d);
}

int sqlalc__ddl_column_default(const struct sqlalc_column_node *c, const sqlalc_dialect *d, char **out)
{
    *out = NULL;
    if (!d || !d->ddl) {
        if (c->server_default && !(*out = sqlalc__strdup(c->server_default)))
            return SQLALC_ERR_NOMEM;
        return SQLALC_OK;
    }
    sqlalc_buf b = SQLALC_BUF_INIT;
    put_default(&b, c, d);
    if (b.oom) {
        sqlalc_buf_free(&b);
        return sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_NOMEM;
    }
    if (b.len > strlen(" DEFAULT ")) {
        *out = sqlalc__strdup(b.p + strlen(" DEFAULT "));
        sqlalc_buf_free(&b);
        return *out ? SQLALC_OK : SQLALC_ERR_NOMEM;
    }
    sqlalc_buf_free(&b);
    return SQLALC_OK;
}

static void put_column(sqlalc_buf *b, const struct sqlalc_table *t, const struct sqlalc_column_node *c,
                       const sqlalc_dialect *d)
{
    const sqlalc_ddl_hooks *h = d->ddl;
    const struct sqlalc__identity *idn = c->identity;
    int serial = serial_column(t, c, d);
    sqlalc__ddl_ident(b, d, c->name);
    sqlalc_buf_putc(b, ' ');
    size_t at = b->len;
    if (native_enum(c->type, d))
        sqlalc__ddl_ident(b, d, c->type->name);
    else if (domain_type(c->type, d))
        sqlalc__ddl_ident(b, d, c->type->name);
    else if (serial)
        sqlalc_buf_puts(b, c->type->kind == SQLALC_TYPE_BIGINT     ? "BIGSERIAL"
                           : c->type->kind == SQLALC_TYPE_SMALLINT ? "SMALLSERIAL"
                                                                   : "SERIAL");
    else
        put_type(b, c->type, d);
    if (b->len == at && !b->oom)
        b->p[--b->len] = 0; /* no type at all (SQLite allows that): no separator either */
    if (h->explicit_null) {
        /* a column drawing from a sequence is no IDENTITY (SQLAlchemy) */
        int identity = h->autoincrement == SQLALC_DDL_AUTOINC_IDENTITY && is_int_kind(c->type) &&
                       !c->sequence && (t->autoinc == c || c->autoincrement == 1 || idn);
        /* an IDENTITY column is never NULL */
        sqlalc_buf_puts(b, c->nullable && !identity ? " NULL" : " NOT NULL");
        if (identity) {
            sqlalc_buf_puts(b, " IDENTITY");
            if (idn && (idn->has & (SQLALC_IDENTITY_START | SQLALC_IDENTITY_INCREMENT)))
                sqlalc_buf_printf(b, "(%lld,%lld)",
                                  (long long)(idn->has & SQLALC_IDENTITY_START ? idn->start : 1),
                                  (long long)(idn->has & SQLALC_IDENTITY_INCREMENT ? idn->increment : 1));
        }
        put_default(b, c, d);
    } else {
        /* SERIAL makes its own sequence and default: a reflected
         * nextval() default is not written again (as SQLAlchemy) */
        if (!serial)
            put_default(b, c, d);
        int identity = idn && V2(d)->identity_columns;
        if (identity) {
            sqlalc_buf_puts(b, idn->always ? " GENERATED ALWAYS AS IDENTITY"
                                           : " GENERATED BY DEFAULT AS IDENTITY");
            if (identity_has_options(idn->has)) {
                sqlalc_buf_puts(b, " (");
                put_identity_options(b, idn->has, idn->start, idn->increment, idn->minvalue, idn->maxvalue,
                                     idn->cache, idn->cycle);
                sqlalc_buf_putc(b, ')');
            }
        }
        /* identity columns are NOT NULL by themselves (SQLAlchemy) */
        if (!c->nullable && !identity)
            sqlalc_buf_puts(b, " NOT NULL");
        else if (c->nullable && identity)
            sqlalc_buf_puts(b, " NULL");
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
    if (V2(d)->partitions && t->partition_of) {
        /* columns, keys and indexes come from the partitioned parent */
        sqlalc_buf_puts(b, " PARTITION OF ");
        put_table(b, d, t->schema, t->partition_of);
        sqlalc_buf_putc(b, ' ');
        sqlalc_buf_puts(b, t->partition_bound ? t->partition_bound : "DEFAULT");
        sqlalc_buf_puts(b, "\n\n");
        return;
    }
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
    size_t ci = 0, fi = 0, ei = 0;
    for (;;) {
        while (fi < t->nfks && sqlalc__fk_in(t->fks[fi], omit, nomit))
            fi++;
        while (ei < t->ncolumns && !enum_check(t->columns[ei]->type, d))
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
    sqlalc_buf_puts(b, "\n)");
    if (V2(d)->partitions && t->partition_by) {
        sqlalc_buf_puts(b, "\n PARTITION BY ");
        sqlalc_buf_puts(b, t->partition_by);
    }
    sqlalc_buf_puts(b, "\n\n");
}

void sqlalc__ddl_drop_table(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "\nDROP TABLE ");
    put_table(b, d, t->schema, t->name);
}

void sqlalc__ddl_create_index(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_index_def *ix,
                              const sqlalc_dialect *d)
{
    const sqlalc_ddl_hooks *h = d->ddl;
    sqlalc_buf_puts(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (h->index_schema_on_name) {
        put_table(b, d, t->schema, ix->name);
        sqlalc_buf_puts(b, " ON ");
        put_table(b, d, NULL, t->name);
    } else {
        sqlalc__ddl_ident(b, d, ix->name);
        sqlalc_buf_puts(b, " ON ");
        put_table(b, d, t->schema, t->name);
    }
    if (ix->method && V2(d)->index_method) {
        sqlalc_buf_puts(b, " USING ");
        sqlalc_buf_puts(b, ix->method);
    }
    sqlalc_buf_puts(b, " (");
    for (size_t i = 0; i < ix->ncols; i++) {
        if (i)
            sqlalc_buf_puts(b, ", ");
        if (ix->is_expr && ix->is_expr[i])
            sqlalc_buf_puts(b, ix->cols[i]);
        else
            sqlalc__ddl_ident(b, d, ix->cols[i]);
        if (ix->opclass && ix->opclass[i] && V2(d)->index_opclass) {
            sqlalc_buf_putc(b, ' ');
            sqlalc_buf_puts(b, ix->opclass[i]);
        }
        if (ix->sorting && ix->sorting[i]) {
            sqlalc_buf_putc(b, ' ');
            sqlalc_buf_puts(b, ix->sorting[i]);
        }
    }
    sqlalc_buf_putc(b, ')');
    if (ix->ninclude && V2(d)->index_include) {
        sqlalc_buf_puts(b, " INCLUDE (");
        put_names(b, d, ix->include, ix->ninclude);
        sqlalc_buf_putc(b, ')');
    }
    if (ix->with && V2(d)->index_with) {
        sqlalc_buf_puts(b, " WITH (");
        sqlalc_buf_puts(b, ix->with);
        sqlalc_buf_putc(b, ')');
    }
    if (ix->where && V2(d)->index_where) {
        sqlalc_buf_puts(b, " WHERE ");
        sqlalc_buf_puts(b, ix->where);
    }
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

/* CREATE DOMAIN name AS base [DEFAULT …] [NOT NULL] [CONSTRAINT n] CHECK (…)… */
static void create_domain(sqlalc_buf *b, const sqlalc_type *ty, const sqlalc_dialect *d)
{
    const struct sqlalc__domain *dm = ty->domain;
    sqlalc_buf_puts(b, "CREATE DOMAIN ");
    sqlalc__ddl_ident(b, d, ty->name);
    sqlalc_buf_puts(b, " AS ");
    if (native_enum(ty->base, d))
        sqlalc__ddl_ident(b, d, ty->base->name);
    else
        put_type(b, ty->base, d);
    if (dm && dm->default_sql) {
        sqlalc_buf_puts(b, " DEFAULT ");
        sqlalc_buf_puts(b, dm->default_sql);
    }
    if (dm && dm->not_null)
        sqlalc_buf_puts(b, " NOT NULL");
    for (size_t i = 0; dm && i < dm->nchecks; i++) {
        sqlalc_buf_putc(b, ' ');
        put_constraint_name(b, d, dm->check_names[i]);
        sqlalc_buf_puts(b, "CHECK (");
        sqlalc_buf_puts(b, dm->checks[i]);
        sqlalc_buf_putc(b, ')');
    }
}

/* CREATE SEQUENCE, options in SQLAlchemy's order. */
static void create_sequence(sqlalc_buf *b, const struct sqlalc_sequence *s, const sqlalc_dialect *d)
{
    sqlalc_buf_puts(b, "CREATE SEQUENCE ");
    put_seq_name(b, d, s);
    if (s->data_type) {
        sqlalc_buf_puts(b, " AS ");
        put_type(b, s->data_type, d);
    }
    if (identity_has_options(s->has)) {
        sqlalc_buf_putc(b, ' ');
        put_identity_options(b, s->has, s->start, s->increment, s->minvalue, s->maxvalue, s->cache, s->cycle);
    }
}

/* ------------------------------------------------------------------ */
/* Plans                                                               */
/* ------------------------------------------------------------------ */

/* Identifiers longer than the database keeps are an error naming its
 * limit (PostgreSQL would truncate them with only a NOTICE). */
static int ident_fits(const sqlalc_dialect *d, const struct sqlalc_table *t, const char *what,
                      const char *name)
{
    size_t max = V2(d)->max_identifier_length;
    if (!max || !name)
        return SQLALC_OK;
    size_t len = 0;
    if (V2(d)->identifier_length_in_chars) {
        for (const unsigned char *p = (const unsigned char *)name; *p; p++)
            len += (*p & 0xC0) != 0x80; /* UTF-8 lead bytes */
    } else
        len = strlen(name);
    if (len <= max)
        return SQLALC_OK;
    return sqlalc_error_set(
        SQLALC_ERR_ARGUMENT,
        "%s%s%s%s name '%s' is %zu %s long: %s keeps identifiers of at most %zu %s (a longer "
        "one would be truncated)",
        t ? "table " : "", t ? t->name : "", t ? ": " : "", what, name, len,
        V2(d)->identifier_length_in_chars ? "characters" : "bytes", d->name, max,
        V2(d)->identifier_length_in_chars ? "characters" : "bytes");
}

static int type_names_fit(const sqlalc_dialect *d, const struct sqlalc_table *t, const sqlalc_type *ty)
{
    int rc = SQLALC_OK;
    if (native_enum(ty, d))
        rc = ident_fits(d, t, "enum type", ty->name);
    else if (enum_check(ty, d))
        rc = ident_fits(d, t, "enum check constraint", ty->name);
    else if (domain_type(ty, d)) {
        rc = ident_fits(d, t, "domain", ty->name);
        for (size_t i = 0; !rc && ty->domain && i < ty->domain->nchecks; i++)
            rc = ident_fits(d, t, "domain check constraint", ty->domain->check_names[i]);
        if (!rc)
            rc = type_names_fit(d, t, ty->base);
    }
    return rc;
}

static int check_ddl_ready(const struct sqlalc_table *t, const sqlalc_dialect *d)
{
    if (!d || !d->ddl || !d->ddl->type_sql)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "dialect %s has no DDL hooks",
                                d ? d->name : "(null)");
    int rc = sqlalc__table_check_fks(t);
    if (rc)
        return rc;
    if (V2(d)->partitions && t->partition_of && t->metadata &&
        !sqlalc_metadata_table_in(t->metadata, t->schema, t->partition_of))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "table %s is a partition of %s, which is not a table of this MetaData",
                                t->name, t->partition_of);
    if ((rc = ident_fits(d, NULL, "table", t->name)) || (rc = ident_fits(d, t, "schema", t->schema)) ||
        (rc = ident_fits(d, t, "primary key", t->pk_name)))
        return rc;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const struct sqlalc_column_node *c = t->columns[i];
        const sqlalc_type *ty = c->type;
        if (d->ddl->native_enum && ty->kind == SQLALC_TYPE_ENUM && !ty->name && !ty->non_native)
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table %s, column %s: %s ENUM type requires a name",
                                    t->name, c->name, d->name);
        if ((rc = ident_fits(d, t, "column", c->name)) || (rc = type_names_fit(d, t, ty)))
            return rc;
        if (c->sequence && V2(d)->sequences && (rc = ident_fits(d, t, "sequence", c->sequence->name)))
            return rc;
        if (c->server_default_expr && !c->server_default) {
            /* compile once here so that a failure is reported as itself */
            char *sql = sqlalc__expr_sql_literal(c->server_default_expr, d);
            if (!sql) {
                sqlalc__error_prefix("table %s, column %s: server default", t->name, c->name);
                return sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_GENERIC;
            }
            sqlalc_free(sql);
        }
    }
    for (size_t i = 0; i < t->ncons && !rc; i++)
        rc = ident_fits(d, t, "constraint", t->cons[i]->name);
    for (size_t i = 0; i < t->nfks && !rc; i++)
        rc = ident_fits(d, t, "foreign key", t->fks[i]->name);
    for (size_t i = 0; i < t->nindexes && !rc; i++)
        rc = ident_fits(d, t, "index", t->indexes[i]->name);
    return rc;
}

/* Named types a table needs before it exists, dependencies first: enum
 * types (native) and domains (their base types first). */
typedef struct typelist {
    const sqlalc_type **v;
    size_t n, cap;
} typelist;

static int typelist_add(typelist *l, const sqlalc_type *ty, const sqlalc_dialect *d)
{
    if (domain_type(ty, d)) {
        int rc = typelist_add(l, ty->base, d);
        if (rc)
            return rc;
    } else if (!native_enum(ty, d))
        return SQLALC_OK;
    for (size_t j = 0; j < l->n; j++)
        if (l->v[j]->kind == ty->kind && !strcmp(l->v[j]->name, ty->name))
            return SQLALC_OK;
    if (sqlalc__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return SQLALC_ERR_NOMEM;
    l->v[l->n++] = ty;
    return SQLALC_OK;
}

static int collect_types(struct sqlalc_table *const *tabs, size_t n, const sqlalc_dialect *d, typelist *out)
{
    memset(out, 0, sizeof *out);
    int rc = SQLALC_OK;
    for (size_t i = 0; i < n && !rc; i++)
        for (size_t k = 0; k < tabs[i]->ncolumns && !rc; k++)
            rc = typelist_add(out, tabs[i]->columns[k]->type, d);
    if (rc) {
        sqlalc_free(out->v);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

/* Index in tabs of the table owning s (OWNED BY), n when none of them. */
static size_t seq_owner(const struct sqlalc_sequence *s, struct sqlalc_table *const *tabs, size_t n)
{
    if (!s->owner_table)
        return n;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(tabs[i]->name, s->owner_table) &&
            ((!tabs[i]->schema && !s->schema) ||
             (tabs[i]->schema && s->schema && !strcmp(tabs[i]->schema, s->schema))))
            return i;
    return n;
}

/* Sequences to create: the metadata's (all of them), or for one table
 * those its columns use. */
static int collect_sequences(const sqlalc_metadata *md, struct sqlalc_table *const *tabs, size_t n,
                             int single, struct sqlalc_sequence ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t cap = 0, nm = 0;
    struct sqlalc_sequence *const *ms = single ? NULL : sqlalc__metadata_sequences(md, &nm);
    for (size_t i = 0; i < nm; i++) {
        if (sqlalc__grow((void **)out, &cap, *nout + 1, sizeof **out))
            goto oom;
        (*out)[(*nout)++] = ms[i];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < tabs[i]->ncolumns; k++) {
            struct sqlalc_sequence *s = tabs[i]->columns[k]->sequence;
            size_t j;
            for (j = 0; s && j < *nout && (*out)[j] != s; j++)
                ;
            if (!s || j < *nout)
                continue;
            if (sqlalc__grow((void **)out, &cap, *nout + 1, sizeof **out))
                goto oom;
            (*out)[(*nout)++] = s;
        }
    return SQLALC_OK;
oom:
    sqlalc_free(*out);
    *out = NULL;
    *nout = 0;
    return SQLALC_ERR_NOMEM;
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

/* Partitions after their partitioned parents (a stable move: the FK
 * order holds otherwise). */
static void partitions_after_parents(struct sqlalc_table **tabs, size_t n, const sqlalc_dialect *d)
{
    if (!V2(d)->partitions)
        return;
    for (int moved = 1, guard = 0; moved && guard < 64; guard++) {
        moved = 0;
        for (size_t i = 0; i < n; i++) {
            struct sqlalc_table *t = tabs[i];
            if (!t->partition_of)
                continue;
            size_t p;
            for (p = i + 1; p < n; p++)
                if (!strcmp(tabs[p]->name, t->partition_of) &&
                    ((!tabs[p]->schema && !t->schema) ||
                     (tabs[p]->schema && t->schema && !strcmp(tabs[p]->schema, t->schema))))
                    break;
            if (p == n)
                continue;
            memmove(&tabs[i], &tabs[i + 1], (p - i) * sizeof *tabs);
            tabs[p] = t;
            moved = 1;
            i--; /* what slid into i is looked at again */
        }
    }
}

static int sorted(const sqlalc_metadata *md, const struct sqlalc_table *const *only, size_t nonly,
                  const sqlalc_dialect *d, struct sqlalc_table ***tabs, size_t *n, sqlalc_fk ***cyc,
                  size_t *ncyc)
{
    if (only && nonly == 1) {
        *tabs = sqlalc__calloc(1, sizeof **tabs);
        if (!*tabs)
            return SQLALC_ERR_NOMEM;
        (*tabs)[0] = (struct sqlalc_table *)only[0];
        *n = 1;
        *cyc = NULL;
        *ncyc = 0;
        return SQLALC_OK;
    }
    for (size_t i = 0; only && i < nonly; i++)
        if (!only[i] || only[i]->metadata != md)
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                    "create/drop: table %zu (%s) is not in this MetaData", i,
                                    only[i] ? only[i]->name : "NULL");
    int rc = sqlalc__metadata_sort(md, tabs, n, cyc, ncyc);
    if (!rc && only) {
        /* the chosen tables, in the whole MetaData's dependency order */
        size_t k = 0;
        for (size_t i = 0; i < *n; i++) {
            size_t j;
            for (j = 0; j < nonly && only[j] != (*tabs)[i]; j++)
                ;
            if (j < nonly)
                (*tabs)[k++] = (*tabs)[i];
        }
        *n = k;
    }
    if (!rc && d)
        partitions_after_parents(*tabs, *n, d);
    return rc;
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
            if (V2(d)->partitions && tabs[i]->partition_of)
                continue; /* a partition has its parent's keys */
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

int sqlalc__ddl_plan_create(const sqlalc_metadata *md, const struct sqlalc_table *const *only, size_t nonly,
                            const sqlalc_dialect *d, sqlalc__ddl_exists_fn exists, void *ctx,
                            sqlalc__ddl_list *out)
{
    struct sqlalc_table **tabs = NULL;
    sqlalc_fk **cyc = NULL, **alter = NULL;
    struct sqlalc_sequence **seqs = NULL;
    size_t n = 0, ncyc = 0, nalter = 0, nseqs = 0;
    typelist types = { 0 };
    unsigned char *skip = NULL;
    sqlalc_buf b = SQLALC_BUF_INIT;
    memset(out, 0, sizeof *out);
    int rc = sorted(md, only, nonly, d, &tabs, &n, &cyc, &ncyc);
    for (size_t i = 0; i < n && !rc; i++)
        rc = check_ddl_ready(tabs[i], d);
    if (!rc)
        rc = alter_fks(tabs, n, cyc, ncyc, d, only && nonly == 1, &alter, &nalter);
    if (!rc && !(skip = sqlalc__calloc(n + 1, 1)))
        rc = SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc && exists; i++) {
        int e = 0;
        rc = exists(ctx, SQLALC__DDL_TABLE, tabs[i]->schema, tabs[i]->name, &e);
        skip[i] = (unsigned char)(e != 0);
    }
    /* sequences first: defaults and identities may name them */
    if (!rc && V2(d)->sequences)
        rc = collect_sequences(md, tabs, n, only != NULL, &seqs, &nseqs);
    for (size_t i = 0; i < nseqs && !rc; i++) {
        int e = 0;
        if ((rc = ident_fits(d, NULL, "sequence", seqs[i]->name)) != SQLALC_OK ||
            (exists && (rc = exists(ctx, SQLALC__DDL_SEQUENCE, seqs[i]->schema, seqs[i]->name, &e))))
            break;
        if (e)
            continue;
        create_sequence(&b, seqs[i], d);
        rc = list_take(out, &b);
    }
    if (!rc && (d->ddl->native_enum || V2(d)->domains)) {
        /* Types for the tables that will be created. */
        struct sqlalc_table **todo = sqlalc__calloc(n + 1, sizeof *todo);
        size_t ntodo = 0;
        if (!todo)
            rc = SQLALC_ERR_NOMEM;
        for (size_t i = 0; i < n && !rc; i++)
            if (!skip[i])
                todo[ntodo++] = tabs[i];
        if (!rc)
            rc = collect_types(todo, ntodo, d, &types);
        sqlalc_free(todo);
        for (size_t i = 0; i < types.n && !rc; i++) {
            int e = 0;
            if (exists && (rc = exists(ctx, SQLALC__DDL_TYPE, NULL, types.v[i]->name, &e)) != SQLALC_OK)
                break;
            if (e)
                continue;
            if (types.v[i]->kind == SQLALC_TYPE_DOMAIN)
                create_domain(&b, types.v[i], d);
            else
                create_enum(&b, types.v[i], d);
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
    /* a sequence owned by a column: once the column exists */
    for (size_t i = 0; i < nseqs && !rc && V2(d)->sequences == SQLALC_DDL_SEQUENCES_NEXTVAL; i++) {
        size_t ti = seq_owner(seqs[i], tabs, n);
        if (ti == n || skip[ti])
            continue;
        sqlalc_buf_puts(&b, "ALTER SEQUENCE ");
        put_seq_name(&b, d, seqs[i]);
        sqlalc_buf_puts(&b, " OWNED BY ");
        put_table(&b, d, tabs[ti]->schema, tabs[ti]->name);
        sqlalc_buf_putc(&b, '.');
        sqlalc__ddl_ident(&b, d, seqs[i]->owner_column);
        rc = list_take(out, &b);
    }
    sqlalc_buf_free(&b);
    sqlalc_free(tabs);
    sqlalc_free(cyc);
    sqlalc_free(alter);
    sqlalc_free(types.v);
    sqlalc_free(seqs);
    sqlalc_free(skip);
    if (rc)
        sqlalc__ddl_list_free(out);
    return rc;
}

int sqlalc__ddl_plan_drop(const sqlalc_metadata *md, const struct sqlalc_table *const *only, size_t nonly,
                          const sqlalc_dialect *d, sqlalc__ddl_exists_fn exists, void *ctx,
                          sqlalc__ddl_list *out)
{
    struct sqlalc_table **tabs = NULL, **dropped = NULL;
    sqlalc_fk **cyc = NULL, **alter = NULL;
    struct sqlalc_sequence **seqs = NULL;
    size_t n = 0, ncyc = 0, nalter = 0, ndropped = 0, nseqs = 0;
    typelist types = { 0 };
    unsigned char *skip = NULL;
    sqlalc_buf b = SQLALC_BUF_INIT;
    memset(out, 0, sizeof *out);
    int rc = SQLALC_OK;
    if (!d || !d->ddl || !d->ddl->type_sql)
        rc =
            sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "dialect %s has no DDL hooks", d ? d->name : "(null)");
    if (!rc)
        rc = sorted(md, only, nonly, d, &tabs, &n, &cyc, &ncyc);
    if (!rc)
        rc = alter_fks(tabs, n, cyc, ncyc, d, only && nonly == 1, &alter, &nalter);
    if (!rc && (!(skip = sqlalc__calloc(n + 1, 1)) || !(dropped = sqlalc__calloc(n + 1, sizeof *dropped))))
        rc = SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc && exists; i++) {
        int e = 0;
        rc = exists(ctx, SQLALC__DDL_TABLE, tabs[i]->schema, tabs[i]->name, &e);
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
    if (!rc && (d->ddl->native_enum || V2(d)->domains)) {
        /* Every enum type and domain of the tables, as SQLAlchemy drops the
         * metadata's types: with checkfirst also those whose table was
         * already gone.  Domains before the enums they are based on. */
        rc = collect_types(exists ? tabs : dropped, exists ? n : ndropped, d, &types);
        for (size_t i = types.n; i-- > 0 && !rc;) {
            int e = 1;
            if (exists && (rc = exists(ctx, SQLALC__DDL_TYPE, NULL, types.v[i]->name, &e)) != SQLALC_OK)
                break;
            if (!e)
                continue;
            sqlalc_buf_puts(&b, types.v[i]->kind == SQLALC_TYPE_DOMAIN ? "DROP DOMAIN " : "DROP TYPE ");
            sqlalc__ddl_ident(&b, d, types.v[i]->name);
            rc = list_take(out, &b);
        }
    }
    if (!rc && V2(d)->sequences)
        rc = collect_sequences(md, tabs, n, only != NULL, &seqs, &nseqs);
    for (size_t i = nseqs; i-- > 0 && !rc;) {
        int e = 1;
        /* PostgreSQL dropped an owned sequence with its column's table */
        size_t ti = V2(d)->sequences == SQLALC_DDL_SEQUENCES_NEXTVAL ? seq_owner(seqs[i], tabs, n) : n;
        if (ti < n && !skip[ti])
            continue;
        if (exists && (rc = exists(ctx, SQLALC__DDL_SEQUENCE, seqs[i]->schema, seqs[i]->name, &e)))
            break;
        if (!e)
            continue;
        sqlalc_buf_puts(&b, "DROP SEQUENCE ");
        put_seq_name(&b, d, seqs[i]);
        rc = list_take(out, &b);
    }
    sqlalc_buf_free(&b);
    sqlalc_free(tabs);
    sqlalc_free(dropped);
    sqlalc_free(cyc);
    sqlalc_free(alter);
    sqlalc_free(types.v);
    sqlalc_free(seqs);
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
    rc = create ? sqlalc__ddl_plan_create(md, NULL, 0, d, NULL, NULL, &l)
                : sqlalc__ddl_plan_drop(md, NULL, 0, d, NULL, NULL, &l);
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

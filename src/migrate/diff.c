/*
 * Schema diff: compare two schemas as the inspector describes them (a
 * live database's reflection, or a MetaData through
 * sqlalc_table_describe) and plan the DDL that turns FROM into TO, in
 * FROM's dialect.  Tables, indexes and foreign keys of new forms are
 * written by the library's own DDL compiler (through tables rebuilt from
 * the info with sqlalc_table_from_info); the ALTER statements here.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sqlalc/migrate.h"
#include "migrate_int.h"

typedef struct plan_op {
    sqlalc_diff_op op;
    int phase; /* the order DDL runs in (PH_*) */
    size_t seq;
} plan_op;

/* The order of a script: what depends on a thing goes before it is
 * dropped, and after it is created. */
enum {
    PH_DROP_FK = 0,
    PH_DROP_INDEX,
    PH_DROP_CONSTRAINT,
    PH_DROP_TABLE,
    PH_ADD_TABLE,
    PH_COLUMN,
    PH_REBUILD,
    PH_ADD_CONSTRAINT,
    PH_ADD_INDEX,
    PH_ADD_FK,
    PH_NOTE
};

typedef struct side {
    size_t n;
    const sqlalc_table_info **t;
} side;

struct sqlalc_diff {
    size_t n, cap;
    plan_op *ops;
    sqlalc_diff_op *view; /* ops in order, as handed out */
    size_t nwarn, wcap;
    char **warnings;
    size_t nstr, scap;
    char **strings; /* every string the ops point at */
    const sqlalc_dialect *d;
    int sqlite; /* FROM is SQLite: ALTER is mostly a table rebuild */
    int oom;
    int err;              /* the first failure other than out of memory (its error recorded) */
    const side *sides[2]; /* FROM and TO while planning: where FK targets are found */
};

/* ------------------------------------------------------------------ */
/* Strings and lists                                                   */
/* ------------------------------------------------------------------ */

static const char *keep(sqlalc_diff *df, char *s)
{
    if (!s) {
        df->oom = 1;
        return NULL;
    }
    if (df->nstr == df->scap) {
        size_t cap = df->scap ? df->scap * 2 : 64;
        char **t = sqlalc__realloc(df->strings, cap * sizeof *t);
        if (!t) {
            sqlalc_free(s);
            df->oom = 1;
            return NULL;
        }
        df->strings = t;
        df->scap = cap;
    }
    df->strings[df->nstr++] = s;
    return s;
}

static const char *keepf(sqlalc_diff *df, const char *fmt, ...)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sqlalc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.oom) {
        sqlalc_buf_free(&b);
        df->oom = 1;
        return NULL;
    }
    return keep(df, sqlalc_buf_detach(&b));
}

static const char *keepstr(sqlalc_diff *df, const char *s)
{
    return s ? keep(df, sqlalc__strdup(s)) : NULL;
}

static void warn(sqlalc_diff *df, const char *fmt, ...)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sqlalc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (df->nwarn == df->wcap) {
        size_t cap = df->wcap ? df->wcap * 2 : 8;
        char **t = sqlalc__realloc(df->warnings, cap * sizeof *t);
        if (!t) {
            sqlalc_buf_free(&b);
            df->oom = 1;
            return;
        }
        df->warnings = t;
        df->wcap = cap;
    }
    char *s = b.oom ? NULL : sqlalc_buf_detach(&b);
    sqlalc_buf_free(&b);
    if (!s) {
        df->oom = 1;
        return;
    }
    df->warnings[df->nwarn++] = s;
}

/* A DDL step failed with rc (error recorded): planning stops there. */
static void fail(sqlalc_diff *df, int rc, sqlalc_buf *b)
{
    sqlalc_buf_free(b);
    if (rc == SQLALC_ERR_NOMEM)
        df->oom = 1;
    else if (!df->err)
        df->err = rc;
    df->oom |= 2; /* stop every loop that watches oom */
}

static plan_op *add_op(sqlalc_diff *df, int phase, sqlalc_diff_kind kind, const sqlalc_table_info *t,
                       const char *name)
{
    if (df->n == df->cap) {
        size_t cap = df->cap ? df->cap * 2 : 16;
        plan_op *p = sqlalc__realloc(df->ops, cap * sizeof *p);
        if (!p) {
            df->oom = 1;
            return NULL;
        }
        df->ops = p;
        df->cap = cap;
    }
    plan_op *p = &df->ops[df->n];
    memset(p, 0, sizeof *p);
    p->phase = phase;
    p->seq = df->n++;
    p->op.kind = kind;
    p->op.schema = keepstr(df, t->schema);
    p->op.table = keepstr(df, t->name);
    p->op.name = keepstr(df, name);
    return p;
}

/* The identifier quoted for the dialect, into b. */
static void put_ident(sqlalc_buf *b, const sqlalc_dialect *d, const char *name)
{
    size_t n = sqlalc_quote_identifier(d, name, NULL, 0);
    char *q = sqlalc__malloc(n + 1);
    if (!q) {
        b->oom = 1;
        return;
    }
    sqlalc_quote_identifier(d, name, q, n + 1);
    sqlalc_buf_puts(b, q);
    sqlalc_free(q);
}

static void put_table_name(sqlalc_buf *b, const sqlalc_dialect *d, const sqlalc_table_info *t)
{
    if (t->schema) {
        put_ident(b, d, t->schema);
        sqlalc_buf_putc(b, '.');
    }
    put_ident(b, d, t->name);
}

static void put_ident_list(sqlalc_buf *b, const sqlalc_dialect *d, const sqlalc_strlist *l)
{
    for (size_t i = 0; i < l->count; i++) {
        if (i)
            sqlalc_buf_puts(b, ", ");
        put_ident(b, d, l->items[i]);
    }
}

static int lists_equal(const sqlalc_strlist *a, const sqlalc_strlist *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return 0;
    return 1;
}

static void list_text(sqlalc_buf *b, const sqlalc_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        sqlalc_buf_printf(b, "%s%s", i ? ", " : "", l->items[i]);
}

static const char *list_str(sqlalc_diff *df, const sqlalc_strlist *l)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    list_text(&b, l);
    if (b.oom) {
        sqlalc_buf_free(&b);
        df->oom = 1;
        return NULL;
    }
    return keep(df, sqlalc_buf_detach(&b));
}

/* ------------------------------------------------------------------ */
/* Normalising what databases spell their own way                      */
/* ------------------------------------------------------------------ */

/* A type as the FROM dialect spells it ("VARCHAR(40)"). */
static char *type_text(const sqlalc_column_info *c, const sqlalc_dialect *d)
{
    if (!c->type)
        return sqlalc__strdup(c->type_sql ? c->type_sql : "");
    size_t n = sqlalc_type_sql(c->type, d, NULL, 0);
    char *s = sqlalc__malloc(n + 1);
    if (s)
        sqlalc_type_sql(c->type, d, s, n + 1);
    return s;
}

/* Compare SQL fragments (defaults, CHECK conditions) as databases give
 * them back: PostgreSQL's deparsed casts ("'x'::character varying"),
 * parentheses and spacing removed, case folded outside quotes. */
static char *norm_sql(const char *s)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '\'') {
            size_t j = i + 1;
            while (j < n && !(s[j] == '\'' && (j + 1 >= n || s[j + 1] != '\'')))
                j += s[j] == '\'' ? 2 : 1;
            sqlalc_buf_append(&b, s + i, (j < n ? j + 1 : n) - i);
            i = j < n ? j + 1 : n;
        } else if (c == ':' && i + 1 < n && s[i + 1] == ':') {
            /* a cast: skip the type name (words, spaces, (n), [], quotes) */
            i += 2;
            while (i < n && (isalnum((unsigned char)s[i]) || strchr("_ \"[]", s[i]) ||
                             (s[i] == '(' && i + 1 < n && isdigit((unsigned char)s[i + 1])))) {
                if (s[i] == '(') {
                    while (i < n && s[i] != ')')
                        i++;
                }
                i++;
                /* a following word is another expression part, not the type: stop at operators */
                if (i < n && s[i] == ' ' && i + 1 < n && !isalpha((unsigned char)s[i + 1]))
                    break;
            }
        } else if (c == '(' || c == ')' || isspace((unsigned char)c)) {
            i++;
        } else {
            sqlalc_buf_putc(&b, (char)tolower((unsigned char)c));
            i++;
        }
    }
    if (b.oom) {
        sqlalc_buf_free(&b);
        return NULL;
    }
    char *r = sqlalc_buf_detach(&b);
    return r ? r : sqlalc__strdup("");
}

/* '12' and 12, 'true' and true: a database may store a quoted number or
 * boolean default as the bare value. */
static void unquote_simple(char *s)
{
    size_t n = strlen(s);
    if (n < 3 || s[0] != '\'' || s[n - 1] != '\'')
        return;
    int simple = 1;
    for (size_t i = 1; i + 1 < n && simple; i++)
        simple = isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '+';
    if (!simple || !(isdigit((unsigned char)s[1]) || s[1] == '-' || s[1] == '.' || !strcmp(s, "'true'") ||
                     !strcmp(s, "'false'")))
        return;
    memmove(s, s + 1, n - 2);
    s[n - 2] = 0;
}

static int sql_same(sqlalc_diff *df, const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    char *x = norm_sql(a), *y = norm_sql(b);
    if (x)
        unquote_simple(x);
    if (y)
        unquote_simple(y);
    int same = x && y && !strcmp(x, y);
    if (!x || !y)
        df->oom = 1;
    sqlalc_free(x);
    sqlalc_free(y);
    return same;
}

/* A default worth comparing: not the sequence a serial or identity
 * column draws from (that is the column's autoincrement). */
static const char *plain_default(const sqlalc_column_info *c)
{
    if (c->serial || c->identity.present || (c->sequence && c->autoincrement))
        return NULL;
    return c->default_sql;
}

/* ------------------------------------------------------------------ */
/* DDL from the library's compiler                                     */
/* ------------------------------------------------------------------ */

/* A table of the wanted form built from its info in a scratch metadata
 * (named `as` when given: the rebuild's new table). */
static int build_table(const sqlalc_diff *df, int to, const sqlalc_table_info *ti, const char *as,
                       sqlalc_metadata **md, sqlalc_table **out)
{
    *md = sqlalc_metadata_new();
    if (!*md)
        return sqlalc__oom();
    sqlalc_table_info copy = *ti;
    if (as)
        copy.name = (char *)as;
    int rc = SQLALC_OK;
    /* The tables its foreign keys reference, first (without their own
     * foreign keys): the model resolves every reference. */
    const side *sd = df->sides[to];
    for (size_t k = 0; k < ti->nfks && rc == SQLALC_OK; k++) {
        const char *ref = ti->fks[k].referred_table;
        if (!strcmp(ref, copy.name) || sqlalc_metadata_table_in(*md, ti->fks[k].referred_schema, ref))
            continue;
        for (size_t j = 0; sd && j < sd->n; j++)
            if (!strcmp(sd->t[j]->name, ref)) {
                sqlalc_table_info bare = *sd->t[j];
                bare.nfks = 0;
                bare.fks = NULL;
                rc = sqlalc_table_from_info(*md, &bare, NULL);
                break;
            }
    }
    if (rc == SQLALC_OK)
        rc = sqlalc_table_from_info(*md, &copy, out);
    if (rc) {
        sqlalc_metadata_free(*md);
        *md = NULL;
    }
    return rc;
}

/* Append the DDL text s (trimmed) as one statement. */
static void put_stmt(sqlalc_buf *b, const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
        n--;
    sqlalc_buf_append(b, s, n);
    sqlalc_buf_puts(b, ";\n");
}

/* The index named `name` of t, or -1. */
static long index_position(const sqlalc_table *t, const sqlalc_table_info *ti, const char *name)
{
    /* The built table keeps the info's index order (constraint-backed ones skipped). */
    size_t k = 0;
    for (size_t i = 0; i < ti->nindexes; i++) {
        const sqlalc_index_info *ix = &ti->indexes[i];
        if (ix->duplicates_constraint || ix->inherited)
            continue;
        if (ix->name && !strcmp(ix->name, name))
            return k < sqlalc_table_index_count(t) ? (long)k : -1;
        k++;
    }
    return -1;
}

static int index_sql(sqlalc_diff *df, const sqlalc_table_info *ti, const char *name, int create,
                     sqlalc_buf *b)
{
    sqlalc_metadata *md;
    sqlalc_table *t;
    int rc = build_table(df, create, ti, NULL, &md, &t);
    if (rc)
        return rc;
    long i = index_position(t, ti, name);
    char *s = NULL;
    if (i < 0)
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "diff: index %s of %s not found", name, ti->name);
    else
        rc = create ? sqlalc_create_index_sql(t, (size_t)i, df->d, &s)
                    : sqlalc_drop_index_sql(t, (size_t)i, df->d, &s);
    if (!rc)
        put_stmt(b, s);
    sqlalc_free(s);
    sqlalc_metadata_free(md);
    return rc;
}

/* CREATE TABLE and its indexes. */
static int create_table_sql(sqlalc_diff *df, const sqlalc_table_info *ti, const char *as, sqlalc_buf *b,
                            int with_indexes)
{
    sqlalc_metadata *md;
    sqlalc_table *t;
    int rc = build_table(df, 1, ti, as, &md, &t);
    if (rc)
        return rc;
    char *s = NULL;
    rc = sqlalc_create_table_sql(t, df->d, &s);
    if (!rc)
        put_stmt(b, s);
    sqlalc_free(s);
    for (size_t i = 0; with_indexes && !rc && i < sqlalc_table_index_count(t); i++) {
        rc = sqlalc_create_index_sql(t, i, df->d, &s);
        if (!rc)
            put_stmt(b, s);
        sqlalc_free(s);
        s = NULL;
    }
    sqlalc_metadata_free(md);
    return rc;
}

static const char *finish_sql(sqlalc_diff *df, sqlalc_buf *b)
{
    if (b->oom) {
        sqlalc_buf_free(b);
        df->oom = 1;
        return NULL;
    }
    return keep(df, sqlalc_buf_detach(b));
}

static void put_fk(sqlalc_buf *b, const sqlalc_dialect *d, const sqlalc_fk_info *fk)
{
    if (fk->name) {
        sqlalc_buf_puts(b, "CONSTRAINT ");
        put_ident(b, d, fk->name);
        sqlalc_buf_putc(b, ' ');
    }
    sqlalc_buf_puts(b, "FOREIGN KEY(");
    put_ident_list(b, d, &fk->columns);
    sqlalc_buf_puts(b, ") REFERENCES ");
    if (fk->referred_schema) {
        put_ident(b, d, fk->referred_schema);
        sqlalc_buf_putc(b, '.');
    }
    put_ident(b, d, fk->referred_table);
    sqlalc_buf_puts(b, " (");
    put_ident_list(b, d, &fk->referred_columns);
    sqlalc_buf_putc(b, ')');
    if (fk->ondelete)
        sqlalc_buf_printf(b, " ON DELETE %s", fk->ondelete);
    if (fk->onupdate)
        sqlalc_buf_printf(b, " ON UPDATE %s", fk->onupdate);
}

/* ALTER TABLE t <rest>; */
static void alter(sqlalc_buf *b, const sqlalc_dialect *d, const sqlalc_table_info *t)
{
    sqlalc_buf_puts(b, "ALTER TABLE ");
    put_table_name(b, d, t);
    sqlalc_buf_putc(b, ' ');
}

static void drop_constraint(sqlalc_buf *b, const sqlalc_dialect *d, const sqlalc_table_info *t,
                            const char *name)
{
    alter(b, d, t);
    sqlalc_buf_puts(b, "DROP CONSTRAINT ");
    put_ident(b, d, name);
    sqlalc_buf_puts(b, ";\n");
}

/* ------------------------------------------------------------------ */
/* Comparing one table                                                 */
/* ------------------------------------------------------------------ */

static const sqlalc_column_info *find_column(const sqlalc_table_info *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i].name, name))
            return &t->columns[i];
    return NULL;
}

static const sqlalc_index_info *find_index(const sqlalc_table_info *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i].name && !strcmp(t->indexes[i].name, name) && !t->indexes[i].duplicates_constraint)
            return &t->indexes[i];
    return NULL;
}

static int index_equal(const sqlalc_index_info *a, const sqlalc_index_info *b)
{
    if (!a->unique != !b->unique || !lists_equal(&a->columns, &b->columns))
        return 0;
    if (!a->where != !b->where || !a->method != !b->method)
        return 0;
    return 1;
}

static int fk_equal(const sqlalc_fk_info *a, const sqlalc_fk_info *b)
{
    const char *ad = a->ondelete && strcmp(a->ondelete, "NO ACTION") ? a->ondelete : NULL;
    const char *bd = b->ondelete && strcmp(b->ondelete, "NO ACTION") ? b->ondelete : NULL;
    const char *au = a->onupdate && strcmp(a->onupdate, "NO ACTION") ? a->onupdate : NULL;
    const char *bu = b->onupdate && strcmp(b->onupdate, "NO ACTION") ? b->onupdate : NULL;
    return lists_equal(&a->columns, &b->columns) && !strcmp(a->referred_table, b->referred_table) &&
           lists_equal(&a->referred_columns, &b->referred_columns) && !ad == !bd &&
           (!ad || !strcasecmp(ad, bd)) && !au == !bu && (!au || !strcasecmp(au, bu));
}

/* Whether fk says the same as one of the n in list (both directions of the diff ask). */
static int fk_among(const sqlalc_fk_info *fk, const sqlalc_fk_info *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (fk_equal(fk, &list[k]))
            return 1;
    return 0;
}

static int check_match(sqlalc_diff *df, const sqlalc_check_info *a, const sqlalc_check_info *b)
{
    if (a->name && b->name)
        return !strcmp(a->name, b->name);
    return sql_same(df, a->sqltext, b->sqltext);
}

/* Plan the changes of one table present on both sides. */
static void diff_table(sqlalc_diff *df, const sqlalc_table_info *f, const sqlalc_table_info *t)
{
    size_t first = df->n;
    int rebuild = 0; /* SQLite: something ALTER cannot do */
    const sqlalc_dialect *d = df->d;
    sqlalc_buf b = SQLALC_BUF_INIT;
    plan_op *p;

    /* Columns. */
    for (size_t i = 0; i < f->ncolumns; i++) {
        const sqlalc_column_info *fc = &f->columns[i];
        const sqlalc_column_info *tc = find_column(t, fc->name);
        if (!tc) {
            if (!(p = add_op(df, PH_COLUMN, SQLALC_DIFF_DROP_COLUMN, t, fc->name)))
                return;
            p->op.description = keepf(df, "drop column %s.%s", t->name, fc->name);
            if (df->sqlite) {
                rebuild = 1;
                continue;
            }
            alter(&b, d, f);
            sqlalc_buf_puts(&b, "DROP COLUMN ");
            put_ident(&b, d, fc->name);
            sqlalc_buf_puts(&b, ";\n");
            p->op.sql = finish_sql(df, &b);
            continue;
        }
        char *ft = type_text(fc, d), *tt = type_text(tc, d);
        if (!ft || !tt) {
            df->oom = 1;
        } else if (strcasecmp(ft, tt) != 0) {
            if ((p = add_op(df, PH_COLUMN, SQLALC_DIFF_ALTER_TYPE, t, fc->name))) {
                p->op.from = keepstr(df, ft);
                p->op.to = keepstr(df, tt);
                p->op.description = keepf(df, "alter column %s.%s type %s -> %s", t->name, fc->name, ft, tt);
                if (df->sqlite) {
                    rebuild = 1;
                    warn(df, "%s.%s: SQLite keeps stored values as they are when a column's type changes",
                         t->name, fc->name);
                } else {
                    alter(&b, d, f);
                    sqlalc_buf_puts(&b, "ALTER COLUMN ");
                    put_ident(&b, d, fc->name);
                    sqlalc_buf_printf(&b, " TYPE %s USING ", tt);
                    put_ident(&b, d, fc->name);
                    sqlalc_buf_printf(&b, "::%s;\n", tt);
                    p->op.sql = finish_sql(df, &b);
                }
            }
        }
        sqlalc_free(ft);
        sqlalc_free(tt);
        /* A wanted key column's nullability is the key's (SQLite reports
         * its INTEGER PRIMARY KEY as nullable). */
        if (!tc->pk_position && !fc->nullable != !tc->nullable) {
            if ((p = add_op(df, PH_COLUMN, SQLALC_DIFF_ALTER_NULLABLE, t, fc->name))) {
                p->op.from = fc->nullable ? "NULL" : "NOT NULL";
                p->op.to = tc->nullable ? "NULL" : "NOT NULL";
                p->op.description =
                    keepf(df, "alter column %s.%s %s", t->name, fc->name, tc->nullable ? "NULL" : "NOT NULL");
                if (df->sqlite) {
                    rebuild = 1;
                } else {
                    alter(&b, d, f);
                    sqlalc_buf_puts(&b, "ALTER COLUMN ");
                    put_ident(&b, d, fc->name);
                    sqlalc_buf_puts(&b, tc->nullable ? " DROP NOT NULL;\n" : " SET NOT NULL;\n");
                    p->op.sql = finish_sql(df, &b);
                }
            }
        }
        const char *fd = plain_default(fc), *td = plain_default(tc);
        if (!sql_same(df, fd, td) && !(fc->autoincrement && tc->autoincrement)) {
            if ((p = add_op(df, PH_COLUMN, SQLALC_DIFF_ALTER_DEFAULT, t, fc->name))) {
                p->op.from = keepstr(df, fd);
                p->op.to = keepstr(df, td);
                p->op.description = keepf(df, "alter column %s.%s default %s -> %s", t->name, fc->name,
                                          fd ? fd : "(none)", td ? td : "(none)");
                if (df->sqlite) {
                    rebuild = 1;
                } else {
                    alter(&b, d, f);
                    sqlalc_buf_puts(&b, "ALTER COLUMN ");
                    put_ident(&b, d, fc->name);
                    if (td)
                        sqlalc_buf_printf(&b, " SET DEFAULT %s;\n", td);
                    else
                        sqlalc_buf_puts(&b, " DROP DEFAULT;\n");
                    p->op.sql = finish_sql(df, &b);
                }
            }
        }
    }
    for (size_t i = 0; i < t->ncolumns; i++) {
        const sqlalc_column_info *tc = &t->columns[i];
        if (find_column(f, tc->name))
            continue;
        char *tt = type_text(tc, d);
        if (!tt) {
            df->oom = 1;
            return;
        }
        if ((p = add_op(df, PH_COLUMN, SQLALC_DIFF_ADD_COLUMN, t, tc->name))) {
            p->op.to = keepstr(df, tt);
            p->op.description =
                keepf(df, "add column %s.%s %s%s", t->name, tc->name, tt, tc->nullable ? "" : " NOT NULL");
            const char *td = plain_default(tc);
            /* SQLite adds a column only when it is no key, and NOT NULL
             * only with a default. */
            if (df->sqlite && (tc->pk_position || (!tc->nullable && !td))) {
                rebuild = 1;
            } else {
                alter(&b, d, f);
                sqlalc_buf_puts(&b, "ADD COLUMN ");
                put_ident(&b, d, tc->name);
                sqlalc_buf_printf(&b, " %s", tt);
                if (td)
                    sqlalc_buf_printf(&b, " DEFAULT %s", td);
                if (!tc->nullable)
                    sqlalc_buf_puts(&b, " NOT NULL");
                sqlalc_buf_puts(&b, ";\n");
                p->op.sql = finish_sql(df, &b);
            }
            if (!tc->nullable && !td)
                warn(df, "%s.%s: a new NOT NULL column without a default fails on a table that has rows",
                     t->name, tc->name);
        }
        sqlalc_free(tt);
    }

    /* Primary key: dropped before the columns change (IF EXISTS: dropping
     * one of its columns drops it too), added after; SQLite rebuilds. */
    if (!lists_equal(&f->pk.columns, &t->pk.columns)) {
        const char *fromcols = list_str(df, &f->pk.columns), *tocols = list_str(df, &t->pk.columns);
        int can = df->sqlite || !f->pk.columns.count || f->pk.name;
        if (!can)
            warn(df, "%s: an unnamed primary key cannot be dropped by name; change it by hand", t->name);
        for (int part = 0; part < 2 && can; part++) {
            if (!(part ? t : f)->pk.columns.count)
                continue;
            if (!(p = add_op(df, part ? PH_ADD_CONSTRAINT : PH_DROP_CONSTRAINT, SQLALC_DIFF_ALTER_PRIMARY_KEY,
                             t, part ? t->pk.name : f->pk.name)))
                return;
            p->op.from = fromcols;
            p->op.to = tocols;
            p->op.description = keepf(df, "%s primary key %s(%s)", part ? "add" : "drop", t->name,
                                      (part ? tocols : fromcols) ? (part ? tocols : fromcols) : "");
            if (df->sqlite) {
                rebuild = 1;
                continue;
            }
            alter(&b, d, f);
            if (!part) {
                sqlalc_buf_puts(&b, "DROP CONSTRAINT IF EXISTS ");
                put_ident(&b, d, f->pk.name);
            } else {
                sqlalc_buf_puts(&b, "ADD ");
                if (t->pk.name) {
                    sqlalc_buf_puts(&b, "CONSTRAINT ");
                    put_ident(&b, d, t->pk.name);
                    sqlalc_buf_putc(&b, ' ');
                }
                sqlalc_buf_puts(&b, "PRIMARY KEY (");
                put_ident_list(&b, d, &t->pk.columns);
                sqlalc_buf_putc(&b, ')');
            }
            sqlalc_buf_puts(&b, ";\n");
            p->op.sql = finish_sql(df, &b);
        }
    }

    /* An enum type of the same name with other values: not altered. */
    for (size_t i = 0; i < f->ncolumns; i++) {
        const sqlalc_column_info *fc = &f->columns[i], *tc = find_column(t, fc->name);
        if (!tc || !fc->type || !tc->type || sqlalc_type_get_kind(fc->type) != SQLALC_TYPE_ENUM ||
            sqlalc_type_get_kind(tc->type) != SQLALC_TYPE_ENUM)
            continue;
        int same = sqlalc_type_enum_count(fc->type) == sqlalc_type_enum_count(tc->type);
        for (size_t k = 0; same && k < sqlalc_type_enum_count(fc->type); k++)
            same = !strcmp(sqlalc_type_enum_value(fc->type, k), sqlalc_type_enum_value(tc->type, k));
        if (!same)
            warn(df, "%s.%s: the enum's values differ; not migrated (ALTER TYPE … ADD VALUE by hand)",
                 t->name, fc->name);
    }

    /* Foreign keys, matched by what they say (names differ between unnamed SQLite and PostgreSQL). */
    for (size_t i = 0; i < f->nfks; i++) {
        if (fk_among(&f->fks[i], t->fks, t->nfks))
            continue;
        const sqlalc_fk_info *fk = &f->fks[i];
        if (!(p = add_op(df, PH_DROP_FK, SQLALC_DIFF_DROP_FK, t, fk->name)))
            return;
        p->op.from = list_str(df, &fk->columns);
        p->op.description = keepf(df, "drop foreign key %s (%s) -> %s", fk->name ? fk->name : "(unnamed)",
                                  p->op.from ? p->op.from : "", fk->referred_table);
        if (df->sqlite || !fk->name) {
            rebuild |= df->sqlite;
            if (!df->sqlite)
                warn(df, "%s: an unnamed foreign key cannot be dropped by name; drop it by hand", t->name);
        } else {
            drop_constraint(&b, d, f, fk->name);
            p->op.sql = finish_sql(df, &b);
        }
    }
    for (size_t k = 0; k < t->nfks; k++) {
        if (fk_among(&t->fks[k], f->fks, f->nfks))
            continue;
        const sqlalc_fk_info *fk = &t->fks[k];
        if (!(p = add_op(df, PH_ADD_FK, SQLALC_DIFF_ADD_FK, t, fk->name)))
            return;
        p->op.to = list_str(df, &fk->columns);
        p->op.description =
            keepf(df, "add foreign key %s(%s) -> %s", t->name, p->op.to ? p->op.to : "", fk->referred_table);
        if (df->sqlite) {
            rebuild = 1;
        } else {
            alter(&b, d, f);
            sqlalc_buf_puts(&b, "ADD ");
            put_fk(&b, d, fk);
            sqlalc_buf_puts(&b, ";\n");
            p->op.sql = finish_sql(df, &b);
        }
    }

    /* Unique constraints, matched by their columns; checks by name, else
     * by their condition. */
    for (int to_side = 0; to_side < 2; to_side++) {
        const sqlalc_table_info *a = to_side ? t : f, *o = to_side ? f : t;
        for (size_t i = 0; i < a->nuniques + a->nchecks; i++) {
            int is_unique = i < a->nuniques, found = 0;
            const sqlalc_unique_info *u = is_unique ? &a->uniques[i] : NULL;
            const sqlalc_check_info *c = is_unique ? NULL : &a->checks[i - a->nuniques];
            for (size_t k = 0; is_unique && k < o->nuniques && !found; k++)
                found = lists_equal(&u->columns, &o->uniques[k].columns);
            for (size_t k = 0; !is_unique && k < o->nchecks && !found; k++)
                found = check_match(df, c, &o->checks[k]);
            if (found)
                continue;
            const char *cname = is_unique ? u->name : c->name;
            sqlalc_diff_kind kind = is_unique ? (to_side ? SQLALC_DIFF_ADD_UNIQUE : SQLALC_DIFF_DROP_UNIQUE)
                                              : (to_side ? SQLALC_DIFF_ADD_CHECK : SQLALC_DIFF_DROP_CHECK);
            if (!(p = add_op(df, to_side ? PH_ADD_CONSTRAINT : PH_DROP_CONSTRAINT, kind, t, cname)))
                return;
            const char *cols = is_unique ? list_str(df, &u->columns) : NULL;
            p->op.description =
                is_unique ? keepf(df, "%s unique %s(%s)", to_side ? "add" : "drop", t->name, cols ? cols : "")
                          : keepf(df, "%s check %s (%s)", to_side ? "add" : "drop", t->name, c->sqltext);
            if (df->sqlite) {
                rebuild = 1;
            } else if (!to_side && !cname) {
                warn(df, "%s: an unnamed %s constraint cannot be dropped by name", t->name,
                     is_unique ? "unique" : "check");
            } else if (!to_side) {
                drop_constraint(&b, d, f, cname);
                p->op.sql = finish_sql(df, &b);
            } else {
                alter(&b, d, f);
                sqlalc_buf_puts(&b, "ADD ");
                if (cname) {
                    sqlalc_buf_puts(&b, "CONSTRAINT ");
                    put_ident(&b, d, cname);
                    sqlalc_buf_putc(&b, ' ');
                }
                if (is_unique) {
                    sqlalc_buf_puts(&b, "UNIQUE (");
                    put_ident_list(&b, d, &u->columns);
                    sqlalc_buf_puts(&b, ");\n");
                } else {
                    sqlalc_buf_printf(&b, "CHECK (%s);\n", c->sqltext);
                }
                p->op.sql = finish_sql(df, &b);
            }
        }
    }
    for (size_t k = 0; k < t->nchecks; k++)
        for (size_t i = 0; i < f->nchecks; i++)
            if (f->checks[i].name && t->checks[k].name && !strcmp(f->checks[i].name, t->checks[k].name) &&
                !sql_same(df, f->checks[i].sqltext, t->checks[k].sqltext))
                warn(df,
                     "%s: check %s reads \"%s\" in one schema and \"%s\" in the other; the database's "
                     "spelling is not compared",
                     t->name, t->checks[k].name, f->checks[i].sqltext, t->checks[k].sqltext);

    /* Indexes, by name. */
    for (size_t i = 0; i < f->nindexes; i++) {
        const sqlalc_index_info *fi = &f->indexes[i];
        if (fi->duplicates_constraint || fi->inherited || !fi->name)
            continue;
        const sqlalc_index_info *ti2 = find_index(t, fi->name);
        if (ti2 && index_equal(fi, ti2))
            continue;
        if (!(p = add_op(df, PH_DROP_INDEX, SQLALC_DIFF_DROP_INDEX, t, fi->name)))
            return;
        p->op.description = keepf(df, "drop index %s", fi->name);
        if (!rebuild) {
            int rc = index_sql(df, f, fi->name, 0, &b);
            if (rc == SQLALC_OK)
                p->op.sql = finish_sql(df, &b);
            else
                fail(df, rc, &b);
        }
    }
    for (size_t k = 0; k < t->nindexes; k++) {
        const sqlalc_index_info *ti2 = &t->indexes[k];
        if (ti2->duplicates_constraint || ti2->inherited || !ti2->name)
            continue;
        const sqlalc_index_info *fi = find_index(f, ti2->name);
        if (fi && index_equal(fi, ti2))
            continue;
        if (!(p = add_op(df, PH_ADD_INDEX, SQLALC_DIFF_ADD_INDEX, t, ti2->name)))
            return;
        const char *cols = list_str(df, &ti2->columns);
        p->op.description = keepf(df, "add %sindex %s on %s(%s)", ti2->unique ? "unique " : "", ti2->name,
                                  t->name, cols ? cols : "");
        if (!rebuild) {
            int rc = index_sql(df, t, ti2->name, 1, &b);
            if (rc == SQLALC_OK)
                p->op.sql = finish_sql(df, &b);
            else
                fail(df, rc, &b);
        }
    }

    if (!rebuild)
        return;
    /* SQLite: one rebuild carries every change of the table: create the
     * new form, copy the columns both have, drop, rename, re-index. */
    for (size_t i = first; i < df->n; i++)
        df->ops[i].op.sql = NULL;
    if (!(p = add_op(df, PH_REBUILD, SQLALC_DIFF_REBUILD_TABLE, t, NULL)))
        return;
    p->op.description =
        keepf(df, "rebuild table %s (create the new form, copy the rows, drop, rename)", t->name);
    char *tmp = NULL;
    {
        sqlalc_buf n = SQLALC_BUF_INIT;
        sqlalc_buf_printf(&n, "_sqlalc_new_%s", t->name);
        tmp = n.oom ? NULL : sqlalc_buf_detach(&n);
        sqlalc_buf_free(&n);
    }
    if (!tmp) {
        df->oom = 1;
        return;
    }
    sqlalc_table_info tmp_info = *t;
    tmp_info.schema = f->schema;
    int rc = create_table_sql(df, &tmp_info, tmp, &b, 0);
    if (rc != SQLALC_OK) {
        sqlalc_free(tmp);
        fail(df, rc, &b);
        return;
    }
    sqlalc_buf_puts(&b, "INSERT INTO ");
    put_ident(&b, d, tmp);
    sqlalc_buf_puts(&b, " (");
    sqlalc_buf cols = SQLALC_BUF_INIT;
    int any = 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (!find_column(f, t->columns[i].name))
            continue;
        if (any)
            sqlalc_buf_puts(&cols, ", ");
        put_ident(&cols, d, t->columns[i].name);
        any = 1;
    }
    sqlalc_buf_append(&b, cols.p ? cols.p : "", cols.len);
    sqlalc_buf_puts(&b, ") SELECT ");
    sqlalc_buf_append(&b, cols.p ? cols.p : "", cols.len);
    sqlalc_buf_puts(&b, " FROM ");
    put_table_name(&b, d, f);
    sqlalc_buf_puts(&b, ";\n");
    if (cols.oom)
        b.oom = 1;
    sqlalc_buf_free(&cols);
    if (!any) {
        /* nothing in common: no copy */
        sqlalc_buf_reset(&b);
        if ((rc = create_table_sql(df, &tmp_info, tmp, &b, 0)) != SQLALC_OK) {
            sqlalc_free(tmp);
            fail(df, rc, &b);
            return;
        }
    }
    sqlalc_buf_puts(&b, "DROP TABLE ");
    put_table_name(&b, d, f);
    sqlalc_buf_puts(&b, ";\nALTER TABLE ");
    put_ident(&b, d, tmp);
    sqlalc_buf_puts(&b, " RENAME TO ");
    put_ident(&b, d, t->name);
    sqlalc_buf_puts(&b, ";\n");
    sqlalc_free(tmp);
    /* the new table's indexes, under their own names (dropped with the old table) */
    for (size_t k = 0; k < t->nindexes; k++) {
        const sqlalc_index_info *ix = &t->indexes[k];
        if (ix->duplicates_constraint || ix->inherited || !ix->name)
            continue;
        if ((rc = index_sql(df, &tmp_info, ix->name, 1, &b)) != SQLALC_OK) {
            fail(df, rc, &b);
            return;
        }
    }
    p->op.sql = finish_sql(df, &b);
}

/* ------------------------------------------------------------------ */
/* Whole schemas                                                       */
/* ------------------------------------------------------------------ */

static const sqlalc_table_info *find_table(const side *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->t[i]->name, name))
            return s->t[i];
    return NULL;
}

/* Does `t` reference a table of `pending` other than itself? */
static int waits_on(const sqlalc_table_info *t, const side *pending, const unsigned char *done)
{
    for (size_t k = 0; k < t->nfks; k++)
        for (size_t j = 0; j < pending->n; j++)
            if (!done[j] && pending->t[j] != t && !strcmp(pending->t[j]->name, t->fks[k].referred_table))
                return 1;
    return 0;
}

/* Tables in foreign-key order (referenced first; cycles in given order). */
static int fk_order(side *s)
{
    unsigned char *done = sqlalc__calloc(s->n + 1, 1);
    const sqlalc_table_info **out = sqlalc__calloc(s->n + 1, sizeof *out);
    if (!done || !out) {
        sqlalc_free(done);
        sqlalc_free(out);
        return sqlalc__oom();
    }
    size_t k = 0;
    while (k < s->n) {
        size_t before = k;
        for (size_t i = 0; i < s->n; i++)
            if (!done[i] && !waits_on(s->t[i], s, done)) {
                done[i] = 1;
                out[k++] = s->t[i];
            }
        if (k == before) /* a cycle: take the next one as it comes */
            for (size_t i = 0; i < s->n && k == before; i++)
                if (!done[i]) {
                    done[i] = 1;
                    out[k++] = s->t[i];
                }
    }
    if (s->n)
        memcpy(s->t, out, s->n * sizeof *out);
    sqlalc_free(done);
    sqlalc_free(out);
    return SQLALC_OK;
}

static int same_columns(const sqlalc_table_info *a, const sqlalc_table_info *b)
{
    if (a->ncolumns != b->ncolumns)
        return 0;
    for (size_t i = 0; i < a->ncolumns; i++)
        if (!find_column(b, a->columns[i].name))
            return 0;
    return 1;
}

static int op_cmp(const void *x, const void *y)
{
    const plan_op *a = x, *b = y;
    if (a->phase != b->phase)
        return a->phase < b->phase ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int sqlalc__diff_plan(const sqlalc_dialect *d, const sqlalc_table_info *const *from, size_t nfrom,
                      const sqlalc_table_info *const *to, size_t nto, sqlalc_diff **out)
{
    *out = NULL;
    sqlalc_diff *df = sqlalc__calloc(1, sizeof *df);
    if (!df)
        return sqlalc__oom();
    df->d = d;
    df->sqlite = !strcmp(sqlalc_dialect_name(d), "sqlite");
    side fs = { nfrom, NULL }, ts = { nto, NULL };
    side added = { 0, NULL }, dropped = { 0, NULL };
    fs.t = sqlalc__calloc(nfrom + 1, sizeof *fs.t);
    ts.t = sqlalc__calloc(nto + 1, sizeof *ts.t);
    added.t = sqlalc__calloc(nto + 1, sizeof *added.t);
    dropped.t = sqlalc__calloc(nfrom + 1, sizeof *dropped.t);
    int rc = SQLALC_OK;
    if (!fs.t || !ts.t || !added.t || !dropped.t) {
        rc = sqlalc__oom();
        goto done;
    }
    if (nfrom)
        memcpy(fs.t, from, nfrom * sizeof *from);
    if (nto)
        memcpy(ts.t, to, nto * sizeof *to);
    df->sides[0] = &fs;
    df->sides[1] = &ts;
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (size_t i = 0; i < nfrom; i++)
        if (!find_table(&ts, from[i]->name))
            dropped.t[dropped.n++] = from[i];
    for (size_t i = 0; i < nto; i++)
        if (!find_table(&fs, to[i]->name))
            added.t[added.n++] = to[i];
    if ((rc = fk_order(&added)) || (rc = fk_order(&dropped)))
        goto done;
    /* drops in reverse dependency order */
    for (size_t i = dropped.n; i-- > 0;) {
        const sqlalc_table_info *t = dropped.t[i];
        plan_op *p = add_op(df, PH_DROP_TABLE, SQLALC_DIFF_DROP_TABLE, t, NULL);
        if (!p)
            break;
        p->op.description = keepf(df, "drop table %s", t->name);
        sqlalc_buf_puts(&b, "DROP TABLE ");
        put_table_name(&b, d, t);
        sqlalc_buf_puts(&b, ";\n");
        p->op.sql = finish_sql(df, &b);
    }
    for (size_t i = 0; i < added.n; i++) {
        const sqlalc_table_info *t = added.t[i];
        plan_op *p = add_op(df, PH_ADD_TABLE, SQLALC_DIFF_ADD_TABLE, t, NULL);
        if (!p)
            break;
        p->op.description = keepf(df, "add table %s", t->name);
        if ((rc = create_table_sql(df, t, NULL, &b, 1)) != SQLALC_OK) {
            sqlalc_buf_free(&b);
            goto done;
        }
        p->op.sql = finish_sql(df, &b);
    }
    for (size_t i = 0; i < nfrom && !df->oom; i++) {
        const sqlalc_table_info *t = find_table(&ts, from[i]->name);
        if (t)
            diff_table(df, from[i], t);
    }
    /* Rename candidates: reported, never applied. */
    for (size_t i = 0; i < dropped.n && !df->oom; i++)
        for (size_t k = 0; k < added.n; k++)
            if (same_columns(dropped.t[i], added.t[k])) {
                plan_op *p = add_op(df, PH_NOTE, SQLALC_DIFF_RENAME_CANDIDATE, added.t[k], NULL);
                if (!p)
                    break;
                p->op.from = keepstr(df, dropped.t[i]->name);
                p->op.to = keepstr(df, added.t[k]->name);
                p->op.description =
                    keepf(df,
                          "rename candidate: table %s may have been renamed to %s (planned as a drop "
                          "and an add; edit the script into ALTER TABLE … RENAME if so)",
                          dropped.t[i]->name, added.t[k]->name);
            }
    size_t nplanned = df->oom ? 0 : df->n;
    for (size_t i = 0; i < nplanned && !df->oom; i++) {
        if (df->ops[i].op.kind != SQLALC_DIFF_DROP_COLUMN)
            continue;
        for (size_t k = 0; k < nplanned; k++) {
            const plan_op *a = &df->ops[k], *dr = &df->ops[i];
            if (a->op.kind != SQLALC_DIFF_ADD_COLUMN || strcmp(a->op.table, dr->op.table) != 0)
                continue;
            const sqlalc_table_info *ft = find_table(&fs, dr->op.table);
            const sqlalc_column_info *fc = ft ? find_column(ft, dr->op.name) : NULL;
            char *ftype = fc ? type_text(fc, d) : NULL;
            if (fc && !ftype) {
                df->oom = 1;
                break;
            }
            int alike = ftype && a->op.to && !strcasecmp(ftype, a->op.to);
            sqlalc_free(ftype);
            if (!alike)
                continue;
            plan_op *p = add_op(df, PH_NOTE, SQLALC_DIFF_RENAME_CANDIDATE, ft, NULL);
            if (!p)
                break;
            /* add_op may have moved the array */
            p->op.from = keepstr(df, df->ops[i].op.name);
            p->op.to = keepstr(df, df->ops[k].op.name);
            p->op.description =
                keepf(df,
                      "rename candidate: column %s.%s may have been renamed to %s (planned as a "
                      "drop and an add; the drop loses its data)",
                      p->op.table, p->op.from, p->op.to);
        }
    }
    if (!df->oom && df->n > 1)
        qsort(df->ops, df->n, sizeof *df->ops, op_cmp);
    df->view = sqlalc__calloc(df->n + 1, sizeof *df->view);
    if (!df->view)
        df->oom = 1;
    df->sides[0] = df->sides[1] = NULL;
    for (size_t i = 0; df->view && i < df->n; i++)
        df->view[i] = df->ops[i].op;
    if (df->err)
        rc = df->err; /* its error is the last one recorded */
    else if (df->oom)
        rc = sqlalc__oom();
done:
    sqlalc_free(fs.t);
    sqlalc_free(ts.t);
    sqlalc_free(added.t);
    sqlalc_free(dropped.t);
    if (rc) {
        sqlalc_diff_free(df);
        return rc;
    }
    *out = df;
    return SQLALC_OK;
}

size_t sqlalc_diff_count(const sqlalc_diff *d)
{
    return d ? d->n : 0;
}

const sqlalc_diff_op *sqlalc_diff_op_at(const sqlalc_diff *d, size_t i)
{
    return d && i < d->n ? &d->view[i] : NULL;
}

int sqlalc_diff_is_empty(const sqlalc_diff *d)
{
    return !d || d->n == 0;
}

size_t sqlalc_diff_warning_count(const sqlalc_diff *d)
{
    return d ? d->nwarn : 0;
}

const char *sqlalc_diff_warning(const sqlalc_diff *d, size_t i)
{
    return d && i < d->nwarn ? d->warnings[i] : NULL;
}

int sqlalc_diff_sql(const sqlalc_diff *d, char **out)
{
    if (!d || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_diff_sql: NULL argument");
    *out = NULL;
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (size_t i = 0; i < d->nwarn; i++)
        sqlalc_buf_printf(&b, "-- warning: %s\n", d->warnings[i]);
    for (size_t i = 0; i < d->n; i++) {
        const sqlalc_diff_op *op = &d->view[i];
        sqlalc_buf_printf(&b, "-- %s\n", op->description);
        if (op->sql)
            sqlalc_buf_puts(&b, op->sql);
    }
    if (b.oom) {
        sqlalc_buf_free(&b);
        return sqlalc__oom();
    }
    *out = sqlalc_buf_detach(&b);
    if (!*out)
        *out = sqlalc__strdup("");
    return *out ? SQLALC_OK : sqlalc__oom();
}

int sqlalc_diff_apply(const sqlalc_diff *d, sqlalc_engine *eng)
{
    if (!d || !eng)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_diff_apply: NULL argument");
    char *sql;
    int rc = sqlalc_diff_sql(d, &sql);
    if (rc)
        return rc;
    sqlalc_conn *conn;
    rc = sqlalc_engine_begin(eng, &conn, NULL);
    if (rc == SQLALC_OK) {
        rc = sqlalc_conn_execute_script(conn, sql, NULL);
        rc = sqlalc_conn_end(conn, rc);
    }
    sqlalc_free(sql);
    return rc;
}

void sqlalc_diff_free(sqlalc_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nstr; i++)
        sqlalc_free(d->strings[i]);
    for (size_t i = 0; i < d->nwarn; i++)
        sqlalc_free(d->warnings[i]);
    sqlalc_free(d->strings);
    sqlalc_free(d->warnings);
    sqlalc_free(d->ops);
    sqlalc_free(d->view);
    sqlalc_free(d);
}

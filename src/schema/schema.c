/*
 * Schema model: items (columns, options, constraints, indexes), tables,
 * metadata, foreign-key resolution and dependency sorting.
 *
 * Ownership follows the rule of <sqlalc.h>: sqlalc_column() and
 * sqlalc_table_new() consume every item passed, on success and failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "../util/util.h"

char sqlalc_item_end;

enum item_kind {
    IT_COLUMN = 1,
    IT_FK,
    IT_DEFAULT,
    IT_SERVER_DEFAULT,
    IT_COMMENT,
    IT_SCHEMA,
    IT_SQLITE_AUTOINC,
    IT_PK,
    IT_UNIQUE,
    IT_CHECK,
    IT_FKC,
    IT_INDEX,
    /* --- added for reflection round trips --- */
    IT_SERVER_DEFAULT_EXPR,
    IT_IDENTITY,
    IT_SEQUENCE,
    IT_PARTITION_BY,
    IT_PARTITION_OF
};

struct sqlalc_schema_item {
    int kind;
    struct sqlalc_column_node *col; /* IT_COLUMN */
    sqlalc_schema_item **fks;       /* IT_COLUMN: its ForeignKey items */
    size_t nfks;
    char *name; /* constraint / index / FK name */
    char *text; /* comment, schema, server default SQL, CHECK SQL */
    char *cols; /* "a, b" local columns */
    char *refs; /* FK target(s) */
    char *ondelete, *onupdate;
    int use_alter;
    int unique;
    sqlalc_value value; /* IT_DEFAULT; text copied into text */
    /* --- added for reflection round trips --- */
    sqlalc_expr *expr;                 /* IT_SERVER_DEFAULT_EXPR */
    struct sqlalc__identity *identity; /* IT_IDENTITY */
    struct sqlalc_sequence *seq;       /* IT_SEQUENCE (the metadata's) */
    sqlalc_index_def *ix;              /* IT_INDEX made by sqlalc_index_ex/_elements (name, cols unset) */
};

struct sqlalc_metadata {
    size_t ntables, cap;
    struct sqlalc_table **tables;
    sqlalc_map by_key; /* "schema\x1fname" → table */
    /* --- added for reflection round trips --- */
    size_t nsequences;
    struct sqlalc_sequence **sequences;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int is_ident_ok(const char *s)
{
    return s && *s;
}

/* Split "a, b ,c" into trimmed names.  Returns count or -1 (error set). */
static int split_names(const char *list, char ***out, size_t *n, const char *what)
{
    *out = NULL;
    *n = 0;
    if (!list || !*list) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: empty column list", what);
        return -1;
    }
    size_t cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    char **v = sqlalc__calloc(cap, sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    const char *p = list;
    for (;;) {
        const char *e = strchr(p, ',');
        const char *end = e ? e : p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *q = end;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        if (q == p) {
            for (size_t i = 0; i < k; i++)
                sqlalc_free(v[i]);
            sqlalc_free(v);
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: empty name in column list '%s'", what, list);
            return -1;
        }
        v[k] = sqlalc__strndup(p, (size_t)(q - p));
        if (!v[k]) {
            for (size_t i = 0; i < k; i++)
                sqlalc_free(v[i]);
            sqlalc_free(v);
            return -1;
        }
        k++;
        if (!e)
            break;
        p = e + 1;
    }
    *out = v;
    *n = k;
    return (int)k;
}

static void free_names(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        sqlalc_free(v[i]);
    sqlalc_free(v);
}

/* "schema.table.col" → parts (schema may be NULL).  Copies. */
static int parse_target(const char *target, char **schema, char **table, char **col)
{
    *schema = *table = *col = NULL;
    const char *last = target ? strrchr(target, '.') : NULL;
    if (!last || last == target || !last[1]) {
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "foreign key target '%s' must be \"table.column\" or \"schema.table.column\"",
                                target ? target : "(null)");
    }
    const char *tstart = target;
    for (const char *p = last - 1; p > target; p--)
        if (*p == '.') {
            tstart = p + 1;
            break;
        }
    if (tstart != target && !(*schema = sqlalc__strndup(target, (size_t)(tstart - 1 - target))))
        return SQLALC_ERR_NOMEM;
    if (!(*table = sqlalc__strndup(tstart, (size_t)(last - tstart))) || !(*col = sqlalc__strdup(last + 1))) {
        sqlalc_free(*schema);
        sqlalc_free(*table);
        *schema = *table = NULL;
        return SQLALC_ERR_NOMEM;
    }
    return SQLALC_OK;
}

static int valid_action(const char *a)
{
    static const char *const ok[] = { "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION" };
    if (!a)
        return 1;
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(ok); i++)
        if (!sqlalc__strcasecmp(a, ok[i]))
            return 1;
    return 0;
}

static char *upper_dup(const char *s)
{
    char *d = sqlalc__strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
    return d;
}

/* ------------------------------------------------------------------ */
/* Items                                                               */
/* ------------------------------------------------------------------ */

static sqlalc_schema_item *item_new(int kind)
{
    sqlalc_schema_item *it = sqlalc__calloc(1, sizeof *it);
    if (it)
        it->kind = kind;
    return it;
}

static void column_node_free(struct sqlalc_column_node *c)
{
    if (!c)
        return;
    sqlalc_free(c->name);
    sqlalc_type_free(c->type);
    if (c->default_value.type != SQLALC_V_NULL && c->default_value.type != SQLALC_V_INT &&
        c->default_value.type != SQLALC_V_FLOAT && c->default_value.type != SQLALC_V_BOOL)
        sqlalc_free((void *)c->default_value.u.s.p);
    sqlalc_free(c->server_default);
    sqlalc_free(c->comment);
    sqlalc_expr_free(c->server_default_expr);
    sqlalc_free(c->identity);
    sqlalc_free(c);
}

static void index_free(sqlalc_index_def *ix);

void sqlalc_schema_item_free(sqlalc_schema_item *it)
{
    if (!it || it == SQLALC_END)
        return;
    column_node_free(it->col);
    for (size_t i = 0; i < it->nfks; i++)
        sqlalc_schema_item_free(it->fks[i]);
    sqlalc_free(it->fks);
    sqlalc_free(it->name);
    sqlalc_free(it->text);
    sqlalc_free(it->cols);
    sqlalc_free(it->refs);
    sqlalc_free(it->ondelete);
    sqlalc_free(it->onupdate);
    sqlalc_expr_free(it->expr);
    sqlalc_free(it->identity);
    index_free(it->ix);
    sqlalc_free(it);
}

static sqlalc_schema_item *text_item(int kind, const char *text, const char *what)
{
    if (!text) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: NULL argument", what);
        return NULL;
    }
    sqlalc_schema_item *it = item_new(kind);
    if (it && !(it->text = sqlalc__strdup(text))) {
        sqlalc_free(it);
        return NULL;
    }
    return it;
}

sqlalc_schema_item *sqlalc_opt_comment(const char *c)
{
    return text_item(IT_COMMENT, c, "comment");
}
sqlalc_schema_item *sqlalc_opt_schema(const char *s)
{
    if (s && !*s) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "schema: empty name");
        return NULL;
    }
    return text_item(IT_SCHEMA, s, "schema");
}
sqlalc_schema_item *sqlalc_opt_server_default_sql(const char *sql)
{
    if (sql && !*sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "server default: empty SQL");
        return NULL;
    }
    return text_item(IT_SERVER_DEFAULT, sql, "server default");
}

sqlalc_schema_item *sqlalc_opt_server_default(const char *literal)
{
    if (!literal) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "server default: NULL argument");
        return NULL;
    }
    /* A string literal, quotes doubled as SQL wants them. */
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_putc(&b, '\'');
    for (const char *p = literal; *p; p++) {
        sqlalc_buf_putc(&b, *p);
        if (*p == '\'')
            sqlalc_buf_putc(&b, '\'');
    }
    sqlalc_buf_putc(&b, '\'');
    char *s = sqlalc_buf_detach(&b);
    if (!s)
        return NULL;
    sqlalc_schema_item *it = item_new(IT_SERVER_DEFAULT);
    if (!it) {
        sqlalc_free(s);
        return NULL;
    }
    it->text = s;
    return it;
}

sqlalc_schema_item *sqlalc_opt_sqlite_autoincrement(void)
{
    return item_new(IT_SQLITE_AUTOINC);
}

sqlalc_schema_item *sqlalc_opt_default(sqlalc_value v)
{
    sqlalc_schema_item *it = item_new(IT_DEFAULT);
    if (!it)
        return NULL;
    it->value = v;
    if (v.type != SQLALC_V_NULL && v.type != SQLALC_V_INT && v.type != SQLALC_V_FLOAT &&
        v.type != SQLALC_V_BOOL) {
        size_t n = v.u.s.len == SQLALC_NTS ? (v.u.s.p ? strlen(v.u.s.p) : 0) : v.u.s.len;
        it->text = sqlalc__strndup(v.u.s.p ? v.u.s.p : "", n);
        if (!it->text) {
            sqlalc_free(it);
            return NULL;
        }
        it->value.u.s.p = it->text;
        it->value.u.s.len = n;
    }
    return it;
}

static sqlalc_schema_item *fk_item(int kind, const char *cols, const char *refs, const sqlalc_fk_options *o)
{
    if (!refs || (kind == IT_FKC && !cols)) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "foreign key: NULL column list");
        return NULL;
    }
    if (o && (!valid_action(o->ondelete) || !valid_action(o->onupdate))) {
        sqlalc_error_set(
            SQLALC_ERR_ARGUMENT,
            "foreign key %s: ON DELETE/UPDATE must be CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION (got '%s')",
            refs, valid_action(o->ondelete) ? o->onupdate : o->ondelete);
        return NULL;
    }
    sqlalc_schema_item *it = item_new(kind);
    if (!it)
        return NULL;
    if (!(it->refs = sqlalc__strdup(refs)) || (cols && !(it->cols = sqlalc__strdup(cols))))
        goto fail;
    if (o) {
        if ((o->name && !(it->name = sqlalc__strdup(o->name))) ||
            (o->ondelete && !(it->ondelete = upper_dup(o->ondelete))) ||
            (o->onupdate && !(it->onupdate = upper_dup(o->onupdate))))
            goto fail;
        it->use_alter = o->use_alter;
    }
    return it;
fail:
    sqlalc_schema_item_free(it);
    return NULL;
}

sqlalc_schema_item *sqlalc_foreign_key(const char *target)
{
    return fk_item(IT_FK, NULL, target, NULL);
}
sqlalc_schema_item *sqlalc_foreign_key_ex(const char *target, const sqlalc_fk_options *o)
{
    return fk_item(IT_FK, NULL, target, o);
}
sqlalc_schema_item *sqlalc_foreign_key_constraint(const char *cols, const char *refs,
                                                  const sqlalc_fk_options *o)
{
    return fk_item(IT_FKC, cols, refs, o);
}

static sqlalc_schema_item *named_cols_item(int kind, const char *name, const char *cols, const char *what)
{
    if (!cols || !*cols) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s %s: empty column list", what, name ? name : "");
        return NULL;
    }
    sqlalc_schema_item *it = item_new(kind);
    if (!it)
        return NULL;
    if ((name && !(it->name = sqlalc__strdup(name))) || !(it->cols = sqlalc__strdup(cols))) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

sqlalc_schema_item *sqlalc_pk_constraint(const char *name, const char *cols)
{
    return named_cols_item(IT_PK, name, cols, "primary key");
}
sqlalc_schema_item *sqlalc_unique_constraint(const char *name, const char *cols)
{
    return named_cols_item(IT_UNIQUE, name, cols, "unique constraint");
}
sqlalc_schema_item *sqlalc_index(const char *name, const char *cols, int unique)
{
    sqlalc_schema_item *it = named_cols_item(IT_INDEX, name, cols, "index");
    if (it)
        it->unique = unique != 0;
    return it;
}

sqlalc_schema_item *sqlalc_check_constraint(const char *name, const char *sqltext)
{
    if (!sqltext || !*sqltext) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "check constraint %s: empty SQL", name ? name : "");
        return NULL;
    }
    sqlalc_schema_item *it = item_new(IT_CHECK);
    if (!it)
        return NULL;
    if ((name && !(it->name = sqlalc__strdup(name))) || !(it->text = sqlalc__strdup(sqltext))) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

sqlalc_schema_item *sqlalc_column_new(const char *name, sqlalc_type *type, unsigned flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    sqlalc_schema_item *it = NULL;
    int failed = 0;
    if (!type)
        failed = 1; /* the type constructor failed: its error stands */
    else if (!is_ident_ok(name)) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "column: empty name");
        failed = 1;
    } else if ((flags & SQLALC_AUTOINCREMENT) && (flags & SQLALC_NO_AUTOINCREMENT)) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "column %s: both AUTOINCREMENT and NO_AUTOINCREMENT", name);
        failed = 1;
    }
    if (!failed && (it = item_new(IT_COLUMN)) != NULL) {
        struct sqlalc_column_node *c = sqlalc__calloc(1, sizeof *c);
        if (c) {
            it->col = c;
            sqlalc__node_init(&c->base, SQLALC_NK_COLUMN, type);
            c->type = type;
            type = NULL;
            c->flags = flags;
            c->autoincrement = (flags & SQLALC_AUTOINCREMENT)      ? 1
                               : (flags & SQLALC_NO_AUTOINCREMENT) ? 0
                                                                   : -1;
            c->name = sqlalc__strdup(name);
        }
        if (!c || !c->name)
            failed = 1;
    } else
        failed = 1;
    sqlalc_type_free(type);

    for (;;) {
        sqlalc_schema_item *o = va_arg(ap, sqlalc_schema_item *);
        if (o == SQLALC_END)
            break;
        if (failed) {
            sqlalc_schema_item_free(o);
            continue;
        }
        if (!o) {
            if (sqlalc_error_last()->code == SQLALC_OK)
                sqlalc_error_set(SQLALC_ERR_ARGUMENT, "column %s: an option is NULL", name);
            failed = 1;
            continue;
        }
        struct sqlalc_column_node *c = it->col;
        switch (o->kind) {
        case IT_FK: {
            sqlalc_schema_item **v = sqlalc__realloc(it->fks, (it->nfks + 1) * sizeof *v);
            if (!v) {
                failed = 1;
                sqlalc_schema_item_free(o);
                continue;
            }
            it->fks = v;
            it->fks[it->nfks++] = o;
            continue; /* kept until the table resolves it */
        }
        case IT_DEFAULT:
            c->default_value = o->value;
            o->text = NULL; /* moved */
            break;
        case IT_SERVER_DEFAULT:
            sqlalc_free(c->server_default);
            c->server_default = o->text;
            o->text = NULL;
            break;
        case IT_COMMENT:
            sqlalc_free(c->comment);
            c->comment = o->text;
            o->text = NULL;
            break;
        case IT_SERVER_DEFAULT_EXPR:
            sqlalc_expr_free(c->server_default_expr);
            c->server_default_expr = o->expr;
            o->expr = NULL;
            break;
        case IT_IDENTITY:
            sqlalc_free(c->identity);
            c->identity = o->identity;
            o->identity = NULL;
            break;
        case IT_SEQUENCE: c->sequence = o->seq; break;
        default:
            sqlalc_error_set(
                SQLALC_ERR_ARGUMENT,
                "column %s: option is not a column option (a constraint or index goes to sqlalc_table_new)",
                name);
            failed = 1;
        }
        sqlalc_schema_item_free(o);
    }
    va_end(ap);
    if (failed) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

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

static void index_free(sqlalc_index_def *ix)
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

static int push(void **arr, size_t *n, void *item)
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

static int type_is_integer(const sqlalc_type *ty)
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

static int key_of(const char *schema, const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s\x1f%s", schema ? schema : "", name);
    return n > 0 && (size_t)n < size ? n : -1;
}

sqlalc_table *sqlalc_metadata_table_in(const sqlalc_metadata *md, const char *schema, const char *name)
{
    char key[512];
    int n;
    sqlalc_table *t = NULL;
    if (md && name && (n = key_of(schema, name, key, sizeof key)) > 0)
        t = sqlalc_map_get(&md->by_key, key, (size_t)n);
    if (!t)
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
    char key[512];
    int n = key_of(NULL, name, key, sizeof key);
    sqlalc_table *t = n > 0 ? sqlalc_map_get(&md->by_key, key, (size_t)n) : NULL;
    const char *dot = strrchr(name, '.');
    if (!t && dot) {
        char schema[256];
        size_t sl = (size_t)(dot - name);
        if (sl < sizeof schema) {
            memcpy(schema, name, sl);
            schema[sl] = 0;
            n = key_of(schema, dot + 1, key, sizeof key);
            t = n > 0 ? sqlalc_map_get(&md->by_key, key, (size_t)n) : NULL;
        }
    }
    if (!t)
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no table %s in this MetaData", name);
    return t;
}

/* Resolve fk against the metadata (or t itself).  strict: an existing
 * target lacking a referenced column is an error. */
static int resolve_fk(sqlalc_metadata *md, struct sqlalc_table *t, sqlalc_fk *fk, int strict)
{
    struct sqlalc_table *target = NULL;
    int self = !strcmp(fk->ref_table, t->name) &&
               ((!fk->ref_schema && !t->schema) ||
                (fk->ref_schema && t->schema && !strcmp(fk->ref_schema, t->schema)));
    if (self)
        target = t;
    else if (md) {
        char key[512];
        int n = key_of(fk->ref_schema, fk->ref_table, key, sizeof key);
        target = n > 0 ? sqlalc_map_get(&md->by_key, key, (size_t)n) : NULL;
    }
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

static int md_add(sqlalc_metadata *md, struct sqlalc_table *t)
{
    char key[512];
    int n = key_of(t->schema, t->name, key, sizeof key);
    if (n < 0)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "table name too long: %s", t->name);
    if (sqlalc__grow((void **)&md->tables, &md->cap, md->ntables + 1, sizeof *md->tables))
        return SQLALC_ERR_NOMEM;
    if (sqlalc_map_put(&md->by_key, key, (size_t)n, t))
        return sqlalc__oom();
    md->tables[md->ntables++] = t;
    t->metadata = md;
    return SQLALC_OK;
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

/* ------------------------------------------------------------------ */
/* Reflection round trips: expression defaults, identity, sequences,   */
/* partitions, indexes with options and expressions                    */
/* ------------------------------------------------------------------ */

sqlalc_schema_item *sqlalc_opt_server_default_expr(sqlalc_expr *e)
{
    if (!e)
        return NULL; /* the expression's constructor failed: its error stands */
    sqlalc_schema_item *it = item_new(IT_SERVER_DEFAULT_EXPR);
    if (!it) {
        sqlalc_expr_free(e);
        return NULL;
    }
    it->expr = e;
    return it;
}

sqlalc_schema_item *sqlalc_opt_identity(const sqlalc_identity_options *o)
{
    sqlalc_schema_item *it = item_new(IT_IDENTITY);
    if (!it || !(it->identity = sqlalc__calloc(1, sizeof *it->identity))) {
        sqlalc_free(it);
        return NULL;
    }
    if (o) {
        it->identity->always = o->always != 0;
        it->identity->has = o->has;
        it->identity->start = o->start;
        it->identity->increment = o->increment;
        it->identity->minvalue = o->minvalue;
        it->identity->maxvalue = o->maxvalue;
        it->identity->cache = o->cache;
        it->identity->cycle = o->cycle != 0;
    }
    return it;
}

sqlalc_sequence *sqlalc_sequence_new(sqlalc_metadata *md, const char *name, const sqlalc_sequence_options *o)
{
    sqlalc_type *dt = o ? o->data_type : NULL;
    if (!md || !name || !*name) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_sequence_new: %s",
                         !md ? "NULL metadata" : "empty name");
        return NULL;
    }
    if (dt && !type_is_integer(dt)) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sequence %s: the data type must be an integer type", name);
        return NULL;
    }
    const char *schema = o ? o->schema : NULL;
    const char *dot = o && o->owned_by ? strrchr(o->owned_by, '.') : NULL;
    if (o && o->owned_by && (!dot || dot == o->owned_by || !dot[1])) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sequence %s: owned_by must be \"table.column\" (got '%s')",
                         name, o->owned_by);
        return NULL;
    }
    if (sqlalc_metadata_sequence(md, schema, name)) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sequence %s is already defined in this MetaData", name);
        return NULL;
    }
    sqlalc_error_clear(); /* the NOT_FOUND of the lookup */
    struct sqlalc_sequence *q = sqlalc__calloc(1, sizeof *q);
    if (!q || !(q->name = sqlalc__strdup(name)) || (schema && !(q->schema = sqlalc__strdup(schema))) ||
        (dot && (!(q->owner_table = sqlalc__strndup(o->owned_by, (size_t)(dot - o->owned_by))) ||
                 !(q->owner_column = sqlalc__strdup(dot + 1)))) ||
        push((void **)&md->sequences, &md->nsequences, q)) {
        if (q) {
            sqlalc_free(q->name);
            sqlalc_free(q->schema);
            sqlalc_free(q->owner_table);
            sqlalc_free(q->owner_column);
            sqlalc__oom();
        }
        sqlalc_free(q);
        sqlalc_type_free(dt);
        return NULL;
    }
    q->metadata = md;
    q->data_type = dt;
    if (o) {
        q->has = o->has;
        q->start = o->start;
        q->increment = o->increment;
        q->minvalue = o->minvalue;
        q->maxvalue = o->maxvalue;
        q->cache = o->cache;
        q->cycle = o->cycle != 0;
    }
    return q;
}

size_t sqlalc_metadata_sequence_count(const sqlalc_metadata *md)
{
    return md ? md->nsequences : 0;
}

sqlalc_sequence *sqlalc_metadata_sequence_at(const sqlalc_metadata *md, size_t i)
{
    return md && i < md->nsequences ? md->sequences[i] : NULL;
}

sqlalc_sequence *sqlalc_metadata_sequence(const sqlalc_metadata *md, const char *schema, const char *name)
{
    for (size_t i = 0; md && name && i < md->nsequences; i++) {
        struct sqlalc_sequence *q = md->sequences[i];
        if (!strcmp(q->name, name) &&
            ((!schema && !q->schema) || (schema && q->schema && !strcmp(schema, q->schema))))
            return q;
    }
    sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no sequence %s%s%s in this MetaData", schema ? schema : "",
                     schema ? "." : "", name ? name : "(null)");
    return NULL;
}

const char *sqlalc_sequence_name(const sqlalc_sequence *seq)
{
    return seq ? seq->name : NULL;
}

struct sqlalc_sequence *const *sqlalc__metadata_sequences(const struct sqlalc_metadata *md, size_t *n)
{
    *n = md ? md->nsequences : 0;
    return md ? md->sequences : NULL;
}

sqlalc_schema_item *sqlalc_opt_sequence(sqlalc_sequence *seq)
{
    if (!seq) {
        if (sqlalc_error_last()->code == SQLALC_OK)
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_opt_sequence: NULL sequence");
        return NULL;
    }
    sqlalc_schema_item *it = item_new(IT_SEQUENCE);
    if (it)
        it->seq = seq;
    return it;
}

sqlalc_schema_item *sqlalc_opt_partition_by(const char *sql)
{
    if (sql && !*sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "partition by: empty SQL");
        return NULL;
    }
    return text_item(IT_PARTITION_BY, sql, "partition by");
}

sqlalc_schema_item *sqlalc_opt_partition_of(const char *parent, const char *bound_sql)
{
    if (!parent || !*parent || !bound_sql || !*bound_sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "partition of: %s",
                         !parent || !*parent ? "no parent table" : "no bound");
        return NULL;
    }
    sqlalc_schema_item *it = text_item(IT_PARTITION_OF, bound_sql, "partition of");
    if (it && !(it->refs = sqlalc__strdup(parent))) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

/* The options part of an index definition (columns set by the caller). */
static sqlalc_index_def *index_ext(const sqlalc_index_options *o)
{
    sqlalc_index_def *ix = sqlalc__calloc(1, sizeof *ix);
    if (!ix || !o)
        return ix;
    if ((o->method && !(ix->method = sqlalc__strdup(o->method))) ||
        (o->where && !(ix->where = sqlalc__strdup(o->where))) ||
        (o->with && !(ix->with = sqlalc__strdup(o->with))) ||
        (o->include && split_names(o->include, &ix->include, &ix->ninclude, "index INCLUDE") < 0)) {
        index_free(ix);
        return NULL;
    }
    return ix;
}

sqlalc_schema_item *sqlalc_index_ex(const char *name, const char *columns, int unique,
                                    const sqlalc_index_options *o)
{
    sqlalc_schema_item *it = sqlalc_index(name, columns, unique);
    if (it && !(it->ix = index_ext(o))) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

sqlalc_schema_item *sqlalc_index_elements(const char *name, const sqlalc_index_element *el, size_t n,
                                          int unique, const sqlalc_index_options *o)
{
    if (!name || !*name || !el || !n) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "index %s: %s", name ? name : "",
                         !name || !*name ? "a name is needed" : "no elements");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(el[i].column && *el[i].column) && !(el[i].expression && *el[i].expression)) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                             "index %s: element %zu has neither a column nor an expression", name, i);
            return NULL;
        }
    sqlalc_schema_item *it = item_new(IT_INDEX);
    sqlalc_index_def *ix = it ? index_ext(o) : NULL;
    if (!ix || !(it->name = sqlalc__strdup(name)) || !(ix->cols = sqlalc__calloc(n, sizeof(char *))) ||
        !(ix->is_expr = sqlalc__calloc(n, 1)) || !(ix->sorting = sqlalc__calloc(n, sizeof(char *))) ||
        !(ix->opclass = sqlalc__calloc(n, sizeof(char *))))
        goto fail;
    ix->ncols = n;
    it->ix = ix;
    it->unique = unique != 0;
    for (size_t i = 0; i < n; i++) {
        int expr = !(el[i].column && *el[i].column);
        ix->is_expr[i] = (unsigned char)expr;
        if (!(ix->cols[i] = sqlalc__strdup(expr ? el[i].expression : el[i].column)) ||
            (el[i].sorting && *el[i].sorting && !(ix->sorting[i] = sqlalc__strdup(el[i].sorting))) ||
            (el[i].opclass && *el[i].opclass && !(ix->opclass[i] = sqlalc__strdup(el[i].opclass))))
            goto fail;
    }
    return it;
fail:
    if (it && it->ix != ix)
        index_free(ix);
    sqlalc_schema_item_free(it);
    return NULL;
}

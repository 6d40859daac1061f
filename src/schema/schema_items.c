/*
 * Schema items: columns, options, constraints and indexes, consumed by
 * sqlalc_table_new.  Ownership follows the rule of <sqlalc.h>: sqlalc_column()
 * and sqlalc_table_new() consume every item passed, on success and failure.
 */
#include "schema_int.h"

/* The end marker of sqlalc_table_new's item list (SQLALC_END). */
char sqlalc_item_end;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int is_ident_ok(const char *s)
{
    return s && *s;
}

/* Split "a, b ,c" into trimmed names.  Returns count or -1 (error set). */
int split_names(const char *list, char ***out, size_t *n, const char *what)
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

void free_names(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        sqlalc_free(v[i]);
    sqlalc_free(v);
}

/* "schema.table.col" → parts (schema may be NULL).  Copies. */
int parse_target(const char *target, char **schema, char **table, char **col)
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

sqlalc_schema_item *item_new(int kind)
{
    sqlalc_schema_item *it = sqlalc__calloc(1, sizeof *it);
    if (it)
        it->kind = kind;
    return it;
}

void column_node_free(struct sqlalc_column_node *c)
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

sqlalc_schema_item *text_item(int kind, const char *text, const char *what)
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

sqlalc_schema_item *sqlalc_opt_mssql_scope_identity(void)
{
    return item_new(IT_MSSQL_SCOPE_IDENTITY);
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

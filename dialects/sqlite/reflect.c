/*
 * SQLite reflection.  Four queries per schema whatever the number of
 * tables: sqlite_master joined with the pragma table-valued functions
 * (table_xinfo, foreign_key_list, index_list + index_info).  What the
 * pragmas do not say — constraint names, CHECK constraints, whether a
 * unique index is a UNIQUE constraint, AUTOINCREMENT — comes from parsing
 * the CREATE TABLE text kept in sqlite_master.
 *
 * SQLite cannot report: column and table comments (it has none), names
 * of constraints declared inline on a column, ON DELETE/UPDATE NO ACTION
 * vs absent (both read as absent).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../dialects.h"
#include "../../src/util/util.h"
#include "../../src/sql/lexer.h"

/* ------------------------------------------------------------------ */
/* A small tokenizer for CREATE TABLE text                             */
/* ------------------------------------------------------------------ */

enum { TK_END = 0, TK_WORD, TK_QUOTED, TK_STRING, TK_GROUP, TK_PUNCT };

typedef struct tok {
    int kind;
    const char *p; /* start (for TK_GROUP: after "(") */
    size_t n;      /* length (for TK_GROUP: of the inside) */
} tok;

/* The next token of s[0, end) that is not space or a comment, read by
 * the one SQL lexer with SQLite's syntax. */
static sqlalc__tok_kind lex_at(const char *s, const char *end, sqlalc__token *k)
{
    sqlalc__lexer lx;
    sqlalc__lex_init(&lx, s, (size_t)(end - s), sqlalc__dialect_sqlite.syntax);
    while (sqlalc__lex_next(&lx, k) == SQLALC_TOK_SPACE || k->kind == SQLALC_TOK_COMMENT)
        ;
    return k->kind;
}

static const char *next_tok(const char *s, const char *end, tok *t)
{
    sqlalc__token k;
    lex_at(s, end, &k);
    t->p = s + k.off;
    t->n = k.len;
    switch (k.kind) {
    case SQLALC_TOK_END: t->kind = TK_END; return end;
    case SQLALC_TOK_QUOTED: t->kind = TK_QUOTED; break;
    case SQLALC_TOK_STRING: t->kind = TK_STRING; break;
    case SQLALC_TOK_WORD:
    case SQLALC_TOK_NUMBER: t->kind = TK_WORD; break;
    default:
        if (s[k.off] == '(') {
            /* a parenthesised group, to its matching ')' */
            const char *q = s + k.off + 1;
            int depth = 1;
            sqlalc__token g;
            while (lex_at(q, end, &g) != SQLALC_TOK_END) {
                const char *at = q + g.off;
                q = at + g.len;
                if (g.kind == SQLALC_TOK_PUNCT && *at == '(')
                    depth++;
                else if (g.kind == SQLALC_TOK_PUNCT && *at == ')' && --depth == 0) {
                    q = at;
                    break;
                }
            }
            t->kind = TK_GROUP;
            t->p = s + k.off + 1;
            t->n = (size_t)(q - t->p);
            return q < end ? q + 1 : end;
        }
        t->kind = TK_PUNCT; /* one character at a time */
        t->n = 1;
    }
    return t->p + t->n;
}

static int is_kw(const tok *t, const char *kw)
{
    return t->kind == TK_WORD && strlen(kw) == t->n && !sqlalc__strncasecmp(t->p, kw, t->n);
}

/* Identifier text of a word or quoted token, unquoted: a new string
 * (NULL when out of memory, error recorded). */
static char *unquote(const tok *t)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    if (t->kind == TK_QUOTED || t->kind == TK_STRING) {
        char close = t->p[0] == '[' ? ']' : t->p[0];
        for (size_t i = 1; i + 1 < t->n; i++) {
            sqlalc_buf_putc(&b, t->p[i]);
            if (t->p[i] == close && close != ']' && i + 2 < t->n && t->p[i + 1] == close)
                i++;
        }
    } else
        sqlalc_buf_append(&b, t->p, t->n);
    if (!b.len && !b.oom)
        return sqlalc__strdup(""); /* an empty name is still a string */
    return sqlalc_buf_detach(&b);
}

/* Column names of a "(a, b DESC, "c")" group appended to out, joined by
 * '\x1f'.  Returns SQLALC_OK or SQLALC_ERR_NOMEM. */
static int group_names(const tok *g, sqlalc_buf *out)
{
    const char *s = g->p, *end = g->p + g->n;
    int expect_name = 1;
    while (s < end) {
        tok t;
        s = next_tok(s, end, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind == TK_PUNCT && *t.p == ',') {
            expect_name = 1;
            continue;
        }
        if (expect_name && (t.kind == TK_WORD || t.kind == TK_QUOTED)) {
            char *name = unquote(&t);
            if (!name)
                return SQLALC_ERR_NOMEM;
            if (out->len)
                sqlalc_buf_putc(out, '\x1f');
            sqlalc_buf_puts(out, name);
            sqlalc_free(name);
            expect_name = 0;
        }
    }
    return sqlalc_buf_cstr(out) ? SQLALC_OK : SQLALC_ERR_NOMEM;
}

typedef struct parsed_con {
    char kind;       /* 'p', 'u', 'c', 'f' */
    char *name;      /* NULL when unnamed */
    sqlalc_buf cols; /* local columns joined by \x1f */
    char *reftable;
    char *check; /* CHECK text */
} parsed_con;

typedef struct parsed_table {
    int autoincrement;
    size_t n;
    parsed_con *cons;
} parsed_table;

static void parsed_free(parsed_table *pt)
{
    for (size_t i = 0; i < pt->n; i++) {
        sqlalc_free(pt->cons[i].name);
        sqlalc_buf_free(&pt->cons[i].cols);
        sqlalc_free(pt->cons[i].reftable);
        sqlalc_free(pt->cons[i].check);
    }
    sqlalc_free(pt->cons);
    memset(pt, 0, sizeof *pt);
}

/* A new constraint of kind; takes *name (may be NULL). */
static parsed_con *add_con(parsed_table *pt, char kind, char **name)
{
    parsed_con *v = sqlalc__realloc(pt->cons, (pt->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    pt->cons = v;
    parsed_con *c = &v[pt->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->name = *name;
    *name = NULL;
    return c;
}

static char *dup_trim(const char *p, size_t n)
{
    while (n && isspace((unsigned char)*p))
        p++, n--;
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    return sqlalc__strndup(p, n);
}

/* Parse one element of the table body (a column or a table constraint). */
static int parse_element(parsed_table *pt, const char *s, const char *end)
{
    tok t;
    const char *q = next_tok(s, end, &t);
    int is_column = !(is_kw(&t, "CONSTRAINT") || is_kw(&t, "PRIMARY") || is_kw(&t, "UNIQUE") ||
                      is_kw(&t, "CHECK") || is_kw(&t, "FOREIGN"));
    char *colname = NULL, *pending_name = NULL;
    int rc = SQLALC_OK;
    if (is_column) {
        if (!(colname = unquote(&t)))
            return SQLALC_ERR_NOMEM;
        s = q;
    }
    while (s < end && !rc) {
        s = next_tok(s, end, &t);
        if (t.kind == TK_END)
            break;
        parsed_con *c = NULL;
        if (is_kw(&t, "AUTOINCREMENT"))
            pt->autoincrement = 1;
        else if (is_kw(&t, "CONSTRAINT")) {
            s = next_tok(s, end, &t);
            sqlalc_free(pending_name);
            if (!(pending_name = unquote(&t)))
                rc = SQLALC_ERR_NOMEM;
            continue;
        } else if (is_kw(&t, "PRIMARY") && !is_column) {
            tok g;
            s = next_tok(s, end, &g); /* KEY */
            s = next_tok(s, end, &g);
            if (!(c = add_con(pt, 'p', &pending_name)))
                rc = SQLALC_ERR_NOMEM;
            else if (g.kind == TK_GROUP)
                rc = group_names(&g, &c->cols);
        } else if (is_kw(&t, "UNIQUE")) {
            if (!(c = add_con(pt, 'u', &pending_name)))
                rc = SQLALC_ERR_NOMEM;
            else if (is_column)
                sqlalc_buf_puts(&c->cols, colname);
            else {
                tok g;
                s = next_tok(s, end, &g);
                if (g.kind == TK_GROUP)
                    rc = group_names(&g, &c->cols);
            }
        } else if (is_kw(&t, "CHECK")) {
            tok g;
            s = next_tok(s, end, &g);
            if (!(c = add_con(pt, 'c', &pending_name)) || !(c->check = dup_trim(g.p, g.n)))
                rc = SQLALC_ERR_NOMEM;
        } else if (is_kw(&t, "FOREIGN") || is_kw(&t, "REFERENCES")) {
            tok g;
            if (!(c = add_con(pt, 'f', &pending_name))) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            if (is_kw(&t, "FOREIGN")) {
                s = next_tok(s, end, &g); /* KEY */
                s = next_tok(s, end, &g);
                if (g.kind == TK_GROUP)
                    rc = group_names(&g, &c->cols);
                s = next_tok(s, end, &g); /* REFERENCES */
            } else
                sqlalc_buf_puts(&c->cols, colname);
            s = next_tok(s, end, &g);
            if (!rc && !(c->reftable = unquote(&g)))
                rc = SQLALC_ERR_NOMEM;
            /* schema.table is not allowed in SQLite FKs, but be lenient */
            const char *q2 = next_tok(s, end, &g);
            if (!rc && g.kind == TK_PUNCT && *g.p == '.') {
                s = next_tok(q2, end, &g);
                sqlalc_free(c->reftable);
                if (!(c->reftable = unquote(&g)))
                    rc = SQLALC_ERR_NOMEM;
            }
        }
        if (c && !rc && !sqlalc_buf_cstr(&c->cols))
            rc = SQLALC_ERR_NOMEM;
        sqlalc_free(pending_name);
        pending_name = NULL;
    }
    sqlalc_free(colname);
    sqlalc_free(pending_name);
    return rc;
}

static int parse_create(const char *sql, parsed_table *pt)
{
    memset(pt, 0, sizeof *pt);
    if (!sql)
        return SQLALC_OK;
    const char *end = sql + strlen(sql);
    const char *s = sql;
    tok t;
    /* the body is the first parenthesised group */
    do
        s = next_tok(s, end, &t);
    while (t.kind != TK_END && t.kind != TK_GROUP);
    if (t.kind != TK_GROUP)
        return SQLALC_OK; /* CREATE TABLE … AS SELECT, or a view */
    const char *b = t.p, *bend = t.p + t.n, *elem = b;
    while (b < bend) {
        tok x;
        const char *nx = next_tok(b, bend, &x);
        if (x.kind == TK_END || (x.kind == TK_PUNCT && *x.p == ',')) {
            int rc = parse_element(pt, elem, x.kind == TK_END ? bend : x.p);
            if (rc)
                return rc;
            elem = nx;
        }
        if (x.kind == TK_END)
            break;
        b = nx;
    }
    if (elem < bend) {
        int rc = parse_element(pt, elem, bend);
        if (rc)
            return rc;
    }
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

/* A column as a number; a failure (out of memory while converting, or a
 * value that is not a number) is kept in *rr so a loop can finish the row. */
static int64_t int_at(const sqlalc_row *row, int i, int *rr)
{
    int64_t v = 0;
    int rc = sqlalc_reflect_int64(row, i, rr, &v);
    if (rc != SQLALC_OK && !*rr)
        *rr = rc;
    return v;
}

/* SQL text from fmt, whose %s (one or two) are the schema ("main" or the attached
 * one) quoted as an identifier.  A new string or NULL (out of memory). */
static char *schema_sql(const char *schema, const char *fmt)
{
    sqlalc_buf q = SQLALC_BUF_INIT, b = SQLALC_BUF_INIT;
    sqlalc_buf_putc(&q, '"');
    for (const char *s = schema ? schema : "main"; *s; s++) {
        sqlalc_buf_putc(&q, *s);
        if (*s == '"')
            sqlalc_buf_putc(&q, '"');
    }
    sqlalc_buf_putc(&q, '"');
    const char *sch = sqlalc_buf_cstr(&q);
    if (sch)
        sqlalc_buf_printf(&b, fmt, sch, sch); /* formats name the schema once or twice */
    sqlalc_buf_free(&q);
    if (!sch) {
        sqlalc_buf_free(&b);
        return NULL;
    }
    return sqlalc_buf_detach(&b);
}

/* (used inside printf formats) */
#define USER_TABLES " m.name NOT LIKE 'sqlite~_%%' ESCAPE '~' "

static int has_table(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    *out = 0;
    char *sql = schema_sql(
        schema, "SELECT count(*) FROM %s.sqlite_master m WHERE m.type IN ('table', 'view') AND m.name = ?");
    if (!sql)
        return SQLALC_ERR_NOMEM;
    sqlalc_result *res = NULL;
    int rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT(NULL, name)), &res);
    sqlalc_free(sql);
    int64_t n = 0;
    if (!rc) {
        sqlalc_value v;
        rc = sqlalc_result_scalar(res, &v);
        if (rc == SQLALC_OK)
            rc = sqlalc_value_get_int64(&v, &n);
        sqlalc_result_free(res);
    }
    *out = n > 0;
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

static int table_names(sqlalc_conn *conn, const char *schema, int views, sqlalc_strlist *out)
{
    int rr = SQLALC_OK;
    char *sql = schema_sql(schema, views ? "SELECT m.name FROM %s.sqlite_master m WHERE m.type = 'view' "
                                           "AND" USER_TABLES "ORDER BY m.name"
                                         : "SELECT m.name FROM %s.sqlite_master m WHERE m.type = 'table' "
                                           "AND" USER_TABLES "ORDER BY m.name");
    if (!sql)
        return SQLALC_ERR_NOMEM;
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute_sql(conn, sql, NULL, &res);
    sqlalc_free(sql);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW)
        rc = sqlalc_strlist_append(out, sqlalc_reflect_text(row, 0, &rr));
    sqlalc_result_free(res);
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

static int schema_names(sqlalc_conn *conn, sqlalc_strlist *out)
{
    int rr = SQLALC_OK;
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute_sql(
        conn, "SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY name", NULL, &res);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW)
        rc = sqlalc_strlist_append(out, sqlalc_reflect_text(row, 0, &rr));
    sqlalc_result_free(res);
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

static int wanted(const char *name, const char *const *names, size_t n)
{
    if (!names)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

/* The foreign key / index being read, row by row. */
typedef struct pending {
    int active;
    char *table;
    int64_t id;
    sqlalc_buf cols, refcols; /* joined by \x1f */
    char *reftable, *ondelete, *onupdate, *origin, *name;
    int unique;
    char *sql;  /* the index's CREATE INDEX text (NULL for autoindexes) */
    size_t nel; /* key elements: the column (NULL for an expression), descending */
    char **el_col;
    unsigned char *el_desc;
} pending;

static void pending_clear(pending *p)
{
    sqlalc_free(p->table);
    sqlalc_buf_free(&p->cols);
    sqlalc_buf_free(&p->refcols);
    sqlalc_free(p->reftable);
    sqlalc_free(p->ondelete);
    sqlalc_free(p->onupdate);
    sqlalc_free(p->origin);
    sqlalc_free(p->name);
    sqlalc_free(p->sql);
    for (size_t i = 0; i < p->nel; i++)
        sqlalc_free(p->el_col[i]);
    sqlalc_free(p->el_col);
    sqlalc_free(p->el_desc);
    memset(p, 0, sizeof *p);
}

static int pending_element(pending *p, const char *col, int desc)
{
    char **c = sqlalc__realloc(p->el_col, (p->nel + 1) * sizeof *c);
    if (!c)
        return SQLALC_ERR_NOMEM;
    p->el_col = c;
    unsigned char *d = sqlalc__realloc(p->el_desc, p->nel + 1);
    if (!d)
        return SQLALC_ERR_NOMEM;
    p->el_desc = d;
    c[p->nel] = NULL;
    if (col && !(c[p->nel] = sqlalc__strdup(col)))
        return SQLALC_ERR_NOMEM;
    d[p->nel++] = (unsigned char)(desc != 0);
    return SQLALC_OK;
}

/* The key elements' SQL (ordering left out) and the WHERE
 * of a partial index, from its CREATE INDEX text. */
static int parse_index_sql(const char *sql, sqlalc_strlist *elems, char **where)
{
    *where = NULL;
    if (!sql)
        return SQLALC_OK;
    const char *end = sql + strlen(sql), *s = sql;
    tok t;
    int on = 0;
    for (;;) { /* the element list is the first group after ON */
        s = next_tok(s, end, &t);
        if (t.kind == TK_END)
            return SQLALC_OK;
        if (is_kw(&t, "ON"))
            on = 1;
        else if (on && t.kind == TK_GROUP)
            break;
    }
    const char *g = t.p, *gend = t.p + t.n, *el = g, *last = g;
    for (const char *q = g;;) {
        tok x;
        const char *nx = next_tok(q, gend, &x);
        int stop = x.kind == TK_END || (x.kind == TK_PUNCT && *x.p == ',');
        if (!stop) {
            /* a trailing ASC / DESC is the element's ordering, not its SQL */
            if (!is_kw(&x, "ASC") && !is_kw(&x, "DESC"))
                last = nx;
        } else {
            char *one = dup_trim(el, (size_t)(last > el ? last - el : 0));
            int rc = one ? sqlalc_strlist_append(elems, one) : SQLALC_ERR_NOMEM;
            sqlalc_free(one);
            if (rc)
                return rc;
            if (x.kind == TK_END)
                break;
            el = last = nx;
        }
        q = nx;
    }
    s = next_tok(s, end, &t);
    if (is_kw(&t, "WHERE")) {
        tok first;
        next_tok(t.p + t.n, end, &first); /* the predicate starts at its first token */
        const char *w = first.kind == TK_END ? end : first.kind == TK_GROUP ? first.p - 1 : first.p;
        size_t n = (size_t)(end - w);
        while (n && (w[n - 1] == ';' || isspace((unsigned char)w[n - 1])))
            n--;
        if (!(*where = sqlalc__strndup(w, n)))
            return SQLALC_ERR_NOMEM;
    }
    return SQLALC_OK;
}

/* Copy s (NULL: "") into *field; SQLALC_ERR_NOMEM on failure. */
static int set_text(char **field, const char *s)
{
    sqlalc_free(*field);
    *field = sqlalc__strdup(s ? s : "");
    return *field ? SQLALC_OK : SQLALC_ERR_NOMEM;
}

static void append_col(sqlalc_buf *b, const char *c)
{
    if (b->len)
        sqlalc_buf_putc(b, '\x1f');
    sqlalc_buf_puts(b, c ? c : "");
}

static int add_split(sqlalc_strlist *l, sqlalc_buf *joined)
{
    if (joined->oom)
        return SQLALC_ERR_NOMEM;
    const char *s = joined->len ? sqlalc_buf_cstr(joined) : "";
    if (!s)
        return SQLALC_ERR_NOMEM;
    while (*s) {
        const char *e = strchr(s, '\x1f');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *one = sqlalc__strndup(s, n);
        int rc = one ? sqlalc_strlist_append(l, one) : SQLALC_ERR_NOMEM;
        sqlalc_free(one);
        if (rc)
            return rc;
        if (!e)
            break;
        s = e + 1;
    }
    return SQLALC_OK;
}

static int buf_eq(const sqlalc_buf *a, const sqlalc_buf *b)
{
    return a->len == b->len && (!a->len || !memcmp(a->p, b->p, a->len));
}

/* Name of a parsed constraint of kind with these columns (and ref table). */
static const char *con_name(const parsed_table *pt, char kind, sqlalc_buf *cols, const char *reftable)
{
    for (size_t i = 0; i < pt->n; i++) {
        parsed_con *c = &pt->cons[i];
        if (c->kind == kind && buf_eq(&c->cols, cols) &&
            (!reftable || (c->reftable && !sqlalc__strcasecmp(c->reftable, reftable))))
            return c->name && c->name[0] ? c->name : NULL;
    }
    return NULL;
}

static const char *action(const char *a)
{
    return a && *a && sqlalc__strcasecmp(a, "NO ACTION") ? a : NULL;
}

static const parsed_table *parsed_of(parsed_table *pts, const sqlalc_strlist *tnames, const char *table)
{
    for (size_t i = 0; i < tnames->count; i++)
        if (!strcmp(tnames->items[i], table))
            return &pts[i];
    return NULL;
}

static int flush_fk(sqlalc_schema_info *si, const char *schema, pending *p, parsed_table *pts,
                    sqlalc_strlist *tnames)
{
    if (!p->active)
        return SQLALC_OK;
    p->active = 0;
    if (p->cols.oom || p->refcols.oom)
        return SQLALC_ERR_NOMEM;
    sqlalc_table_info *ti = sqlalc_reflect_find_table(si, schema, p->table);
    if (!ti)
        return SQLALC_OK;
    const parsed_table *pt = parsed_of(pts, tnames, p->table);
    const char *name = pt ? con_name(pt, 'f', &p->cols, p->reftable) : NULL;
    sqlalc_fk_info *fk =
        sqlalc_reflect_add_fk(ti, name, schema, p->reftable, action(p->ondelete), action(p->onupdate));
    if (!fk)
        return SQLALC_ERR_NOMEM;
    int rc = add_split(&fk->columns, &p->cols);
    return rc ? rc : add_split(&fk->referred_columns, &p->refcols);
}

static int flush_index(sqlalc_schema_info *si, const char *schema, pending *p, parsed_table *pts,
                       sqlalc_strlist *tnames)
{
    if (!p->active)
        return SQLALC_OK;
    p->active = 0;
    if (p->cols.oom || p->refcols.oom)
        return SQLALC_ERR_NOMEM;
    sqlalc_table_info *ti = sqlalc_reflect_find_table(si, schema, p->table);
    if (!ti || !strcmp(p->origin, "pk"))
        return SQLALC_OK;
    if (!strcmp(p->origin, "u")) {
        const parsed_table *pt = parsed_of(pts, tnames, p->table);
        const char *name = pt ? con_name(pt, 'u', &p->cols, NULL) : NULL;
        sqlalc_unique_info *u = sqlalc_reflect_add_unique(ti, name);
        return u ? add_split(&u->columns, &p->cols) : SQLALC_ERR_NOMEM;
    }
    sqlalc_index_info *ix = sqlalc_reflect_add_index(ti, p->name, p->unique);
    if (!ix)
        return SQLALC_ERR_NOMEM;
    sqlalc_strlist elems = { 0 };
    char *where = NULL;
    int rc = parse_index_sql(p->sql, &elems, &where);
    for (size_t i = 0; i < p->nel && !rc; i++) {
        const char *expr = p->el_col[i] ? NULL : (i < elems.count ? elems.items[i] : "?");
        if (!sqlalc_reflect_index_element(ix, p->el_col[i], expr, p->el_desc[i] ? "DESC" : NULL, NULL))
            rc = SQLALC_ERR_NOMEM;
    }
    if (!rc)
        rc = sqlalc_reflect_set_string(&ix->where, where);
    sqlalc_free(where);
    sqlalc_strlist_clear(&elems);
    return rc;
}

/* SQLite keeps a column's declared type as written: where the library's
 * SQLite spelling of the parsed type differs ("NVARCHAR(160)" parses as
 * Unicode(160), spelled VARCHAR(160)), the type carries the declared text
 * as its SQLite variant, so the same schema comes back on SQLite while
 * other databases get the generic type.  Consumes ty. */
static sqlalc_type *keep_spelling(sqlalc_type *ty, const char *spelled)
{
    if (!ty || !*spelled || sqlalc_type_get_kind(ty) == SQLALC_TYPE_USER)
        return ty;
    size_t n = sqlalc_type_sql(ty, &sqlalc__dialect_sqlite, NULL, 0);
    char *mine = sqlalc__malloc(n + 1);
    if (!mine) {
        sqlalc_type_free(ty);
        return NULL;
    }
    sqlalc_type_sql(ty, &sqlalc__dialect_sqlite, mine, n + 1);
    int same = !strcmp(mine, spelled);
    sqlalc_free(mine);
    if (same)
        return ty;
    sqlalc_type *as_written = sqlalc_type_user(spelled);
    if (!as_written) {
        if (sqlalc_error_last()->code == SQLALC_ERR_NOMEM) {
            sqlalc_type_free(ty);
            return NULL;
        }
        sqlalc_error_clear(); /* characters a user type refuses: the generic type */
        return ty;
    }
    return sqlalc_type_with_variant(ty, as_written, "sqlite");
}

/* A default SQLite accepts without parentheses: a literal, a signed
 * number, NULL / TRUE / FALSE, CURRENT_TIME / _DATE / _TIMESTAMP. */
static int simple_default(const char *d)
{
    static const char *const words[] = { "NULL",         "TRUE",         "FALSE",
                                         "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP" };
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(words); i++)
        if (!sqlalc__strcasecmp(d, words[i]))
            return 1;
    const char *p = d + (*d == '-' || *d == '+');
    if ((isdigit((unsigned char)*p) || *p == '.') && strspn(p, "0123456789.eE+-") == strlen(p))
        return 1; /* a number */
    if ((isalpha((unsigned char)*d) || *d == '_') &&
        strspn(d, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(d))
        return 1; /* a bare word (DEFAULT foo, which SQLite reads as the string 'foo'): parenthesised it
                     would name a column and fail as "not constant" */
    size_t n = strlen(d), i = 1;
    if ((d[0] == 'x' || d[0] == 'X') && n >= 3 && d[1] == '\'')
        i = 2; /* a blob X'…' */
    else if (d[0] != '\'')
        return 0;
    if (n < i + 1 || d[n - 1] != '\'')
        return 0;
    for (; i + 1 < n; i++) /* one string literal: inner quotes doubled */
        if (d[i] == '\'') {
            if (i + 2 < n && d[i + 1] == '\'')
                i++;
            else
                return 0;
        }
    return 1;
}

/* SQLite reports an expression default without the parentheses it must
 * be declared with (DEFAULT (datetime('now')) reads as datetime('now')):
 * put them back so the default can be written again. */
static char *default_as_declared(const char *d)
{
    if (!d || simple_default(d))
        return sqlalc__strdup(d ? d : "");
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_printf(&b, "(%s)", d);
    return sqlalc_buf_detach(&b);
}

/* Primary keys arrive as a position per column: build each table's key in
 * key order. */
static int apply_pks(sqlalc_table_info *ti)
{
    size_t n = 0;
    for (size_t k = 0; k < ti->ncolumns; k++)
        n += ti->columns[k].pk_position > 0;
    if (!n)
        return SQLALC_OK;
    int *pos = sqlalc__calloc(ti->ncolumns, sizeof *pos);
    if (!pos)
        return SQLALC_ERR_NOMEM;
    for (size_t k = 0; k < ti->ncolumns; k++) {
        pos[k] = ti->columns[k].pk_position;
        ti->columns[k].pk_position = 0;
    }
    int rc = SQLALC_OK;
    /* positions are 1..n; in order of position, then of column */
    for (int want = 1, done = 0; (size_t)done < n && !rc; want++)
        for (size_t k = 0; k < ti->ncolumns && !rc; k++)
            if (pos[k] == want) {
                rc = sqlalc_reflect_pk_column(ti, ti->columns[k].name);
                done++;
            }
    sqlalc_free(pos);
    return rc;
}

static int reflect(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames, int views,
                   sqlalc_schema_info *out)
{
    int rr = SQLALC_OK;
    char *sql = NULL;
    const char *sname = schema ? schema : "main";
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    sqlalc_strlist tnames = { 0 };
    parsed_table *pts = NULL;
    pending p;
    memset(&p, 0, sizeof p);
    int rc;

    /* 1. tables and views, with their CREATE text */
    if (!(sql = schema_sql(schema, "SELECT m.name, m.type, m.sql FROM %s.sqlite_master m "
                                   "WHERE m.type IN ('table', 'view') AND" USER_TABLES "ORDER BY m.name"))) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    rc = sqlalc_conn_execute_sql(conn, sql, NULL, &res);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *name = sqlalc_reflect_text(row, 0, &rr), *type = sqlalc_reflect_text(row, 1, &rr);
        int is_view = type && !strcmp(type, "view");
        if (!name || (is_view && !views) || !wanted(name, names, nnames))
            continue;
        parsed_table *v = sqlalc__realloc(pts, (tnames.count + 1) * sizeof *v);
        if (!v) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        pts = v;
        memset(&pts[tnames.count], 0, sizeof *pts);
        if ((rc = sqlalc_strlist_append(&tnames, name)))
            break;
        parsed_table *pt = &pts[tnames.count - 1];
        if ((rc = parse_create(is_view ? NULL : sqlalc_reflect_text(row, 2, &rr), pt)))
            break;
        sqlalc_table_info *ti = sqlalc_reflect_add_table(out, schema, name, is_view);
        if (!ti) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        ti->sqlite_autoincrement = pt->autoincrement;
        for (size_t i = 0; i < pt->n && !rc; i++) {
            const parsed_con *c = &pt->cons[i];
            if (c->kind == 'c' &&
                !sqlalc_reflect_add_check(ti, c->name && c->name[0] ? c->name : NULL, c->check))
                rc = SQLALC_ERR_NOMEM;
        }
        if (rc)
            break;
    }
    sqlalc_result_free(res);
    res = NULL;
    sqlalc_free(sql);
    sql = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    rc = SQLALC_OK;

    /* 2. columns; pk_position holds the pragma's key position until
     * apply_pks orders the key */
    if (!(sql = schema_sql(schema,
                           "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
                           "FROM %s.sqlite_master m JOIN pragma_table_xinfo(m.name, :schema) p "
                           "WHERE m.type IN ('table', 'view') AND" USER_TABLES "ORDER BY m.name, p.cid"))) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", sname)), &res);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *tn = sqlalc_reflect_text(row, 0, &rr);
        sqlalc_table_info *ti = tn ? sqlalc_reflect_find_table(out, schema, tn) : NULL;
        if (!ti || int_at(row, 6, &rr) == 1)
            continue;
        const char *spelled = sqlalc_reflect_text(row, 2, &rr);
        if (!spelled)
            spelled = "";
        sqlalc_type *ty = keep_spelling(sqlalc_type_parse(spelled), spelled);
        int64_t pk = int_at(row, 5, &rr);
        const char *dv = sqlalc_reflect_text(row, 4, &rr);
        char *dflt = dv ? default_as_declared(dv) : NULL;
        sqlalc_column_info *ci =
            ty && (!dv || dflt) ? sqlalc_reflect_add_column(ti, sqlalc_reflect_text(row, 1, &rr), ty, spelled,
                                                            int_at(row, 3, &rr) == 0, dflt, 0, NULL)
                                : NULL;
        if (!ci && ty && (dv && !dflt))
            sqlalc_type_free(ty);
        sqlalc_free(dflt);
        if (!ci) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        ci->pk_position = pk > 0 && pk <= (int64_t)1 << 30 ? (int)pk : 0;
    }
    sqlalc_result_free(res);
    res = NULL;
    sqlalc_free(sql);
    sql = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    rc = SQLALC_OK;
    /* The rowid alias (a lone INTEGER key) autoincrements; names of the
     * key constraint come from the CREATE text. */
    for (size_t i = 0; i < tnames.count && !rc; i++) {
        sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, tnames.items[i]);
        if (!ti || (rc = apply_pks(ti)))
            continue;
        if (ti->pk.columns.count == 1)
            for (size_t k = 0; k < ti->ncolumns; k++)
                if (ti->columns[k].pk_position == 1 && ti->columns[k].type_sql &&
                    !sqlalc__strcasecmp(ti->columns[k].type_sql, "INTEGER"))
                    ti->columns[k].autoincrement = 1;
        for (size_t k = 0; k < pts[i].n && !rc; k++)
            if (pts[i].cons[k].kind == 'p' && pts[i].cons[k].name && pts[i].cons[k].name[0])
                rc = sqlalc_reflect_set_pk_name(ti, pts[i].cons[k].name);
    }
    if (rc)
        goto out;

    /* 3. foreign keys (pragma ids count down from the last declared) */
    if (!(sql = schema_sql(schema,
                           "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
                           "FROM %s.sqlite_master m JOIN pragma_foreign_key_list(m.name, :schema) f "
                           "WHERE m.type = 'table' AND" USER_TABLES "ORDER BY m.name, f.id DESC, f.seq"))) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", sname)), &res);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *tn = sqlalc_reflect_text(row, 0, &rr);
        int64_t id = int_at(row, 1, &rr);
        if (!tn)
            continue;
        if (!p.active || strcmp(p.table, tn) || p.id != id) {
            if ((rc = flush_fk(out, schema, &p, pts, &tnames)))
                break;
            pending_clear(&p);
            p.active = 1;
            p.id = id;
            if ((rc = set_text(&p.table, tn)) ||
                (rc = set_text(&p.reftable, sqlalc_reflect_text(row, 2, &rr))) ||
                (rc = set_text(&p.onupdate, sqlalc_reflect_text(row, 5, &rr))) ||
                (rc = set_text(&p.ondelete, sqlalc_reflect_text(row, 6, &rr))))
                break;
        }
        append_col(&p.cols, sqlalc_reflect_text(row, 3, &rr));
        append_col(&p.refcols, sqlalc_reflect_text(row, 4, &rr));
    }
    if (rc == SQLALC_DONE)
        rc = flush_fk(out, schema, &p, pts, &tnames) ? SQLALC_ERR_NOMEM : SQLALC_DONE;
    pending_clear(&p);
    sqlalc_result_free(res);
    res = NULL;
    sqlalc_free(sql);
    sql = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    rc = SQLALC_OK;

    /* 4. indexes (and the unique constraints behind autoindexes): the key
     * elements from index_xinfo (an expression's column is -2), their
     * SQL and a partial index's WHERE from the CREATE INDEX text */
    if (!(sql = schema_sql(
              schema,
              "SELECT m.name, il.name, il.\"unique\", il.origin, ii.name, ii.cid, ii.\"desc\", mi.sql "
              "FROM %s.sqlite_master m JOIN pragma_index_list(m.name, :schema) il "
              "JOIN pragma_index_xinfo(il.name, :schema) ii "
              "LEFT JOIN %s.sqlite_master mi ON mi.type = 'index' AND mi.name = il.name "
              "WHERE m.type = 'table' AND" USER_TABLES "AND ii.key = 1 "
              "ORDER BY m.name, il.name, ii.seqno"))) {
        rc = SQLALC_ERR_NOMEM;
        goto out;
    }
    rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", sname)), &res);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *tn = sqlalc_reflect_text(row, 0, &rr), *iname = sqlalc_reflect_text(row, 1, &rr);
        if (!tn || !iname)
            continue;
        if (!p.active || strcmp(p.table, tn) || strcmp(p.name, iname)) {
            if ((rc = flush_index(out, schema, &p, pts, &tnames)))
                break;
            pending_clear(&p);
            p.active = 1;
            p.unique = int_at(row, 2, &rr) != 0;
            const char *origin = sqlalc_reflect_text(row, 3, &rr), *isql = sqlalc_reflect_text(row, 7, &rr);
            if ((rc = set_text(&p.table, tn)) || (rc = set_text(&p.name, iname)) ||
                (rc = set_text(&p.origin, origin ? origin : "c")) || (isql && (rc = set_text(&p.sql, isql))))
                break;
        }
        const char *col = int_at(row, 5, &rr) >= 0 ? sqlalc_reflect_text(row, 4, &rr) : NULL;
        if (col) /* expression elements have no name */
            append_col(&p.cols, col);
        if ((rc = pending_element(&p, col, int_at(row, 6, &rr) != 0)))
            break;
    }
    if (rc == SQLALC_DONE)
        rc = flush_index(out, schema, &p, pts, &tnames) ? SQLALC_ERR_NOMEM : SQLALC_DONE;
    pending_clear(&p);
    sqlalc_result_free(res);
    res = NULL;
    if (rc == SQLALC_DONE)
        rc = rr ? rr : SQLALC_OK;
out:
    pending_clear(&p);
    sqlalc_result_free(res);
    sqlalc_free(sql);
    for (size_t i = 0; i < tnames.count; i++)
        parsed_free(&pts[i]);
    sqlalc_free(pts);
    sqlalc_strlist_clear(&tnames);
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

const sqlalc_reflect_hooks sqlalc__sqlite_reflect_hooks = {
    .version = SQLALC_REFLECT_HOOKS_VERSION,
    .default_schema_name = "main",
    .schema_names = schema_names,
    .table_names = table_names,
    .has_table = has_table,
    .reflect = reflect,
    .parse_type = sqlalc_type_parse,
};

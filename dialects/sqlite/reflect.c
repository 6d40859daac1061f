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

/* Identifier text of a word or quoted token, unquoted, into buf. */
static void unquote(const tok *t, char *buf, size_t size)
{
    size_t k = 0;
    if (t->kind == TK_QUOTED || t->kind == TK_STRING) {
        char close = t->p[0] == '[' ? ']' : t->p[0];
        for (size_t i = 1; i + 1 < t->n && k + 1 < size; i++) {
            buf[k++] = t->p[i];
            if (t->p[i] == close && close != ']' && i + 2 < t->n && t->p[i + 1] == close)
                i++;
        }
    } else
        for (size_t i = 0; i < t->n && k + 1 < size; i++)
            buf[k++] = t->p[i];
    buf[k] = 0;
}

/* Column names of a "(a, b DESC, "c")" group, joined by '\x1f'. */
static void group_names(const tok *g, char *buf, size_t size)
{
    const char *s = g->p, *end = g->p + g->n;
    size_t k = 0;
    buf[0] = 0;
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
            char name[256];
            unquote(&t, name, sizeof name);
            int n = snprintf(buf + k, size - k, "%s%s", k ? "\x1f" : "", name);
            if (n > 0 && (size_t)n < size - k)
                k += (size_t)n;
            expect_name = 0;
        }
    }
}

typedef struct parsed_con {
    char kind;       /* 'p', 'u', 'c', 'f' */
    char name[256];  /* "" when unnamed */
    char cols[1024]; /* local columns joined by \x1f */
    char reftable[256];
    char *check; /* CHECK text (owned) */
} parsed_con;

typedef struct parsed_table {
    int autoincrement;
    size_t n;
    parsed_con *cons;
} parsed_table;

static void parsed_free(parsed_table *pt)
{
    for (size_t i = 0; i < pt->n; i++)
        sqlalc_free(pt->cons[i].check);
    sqlalc_free(pt->cons);
    memset(pt, 0, sizeof *pt);
}

static parsed_con *add_con(parsed_table *pt, char kind, const char *name)
{
    parsed_con *v = sqlalc_realloc(pt->cons, (pt->n + 1) * sizeof *v);
    if (!v) {
        sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    pt->cons = v;
    parsed_con *c = &v[pt->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    snprintf(c->name, sizeof c->name, "%s", name ? name : "");
    return c;
}

static char *dup_trim(const char *p, size_t n)
{
    while (n && isspace((unsigned char)*p))
        p++, n--;
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    char *s = sqlalc_malloc(n + 1);
    if (!s) {
        sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

/* Parse one element of the table body (a column or a table constraint). */
static int parse_element(parsed_table *pt, const char *s, const char *end)
{
    tok t;
    const char *q = next_tok(s, end, &t);
    int is_column = !(is_kw(&t, "CONSTRAINT") || is_kw(&t, "PRIMARY") || is_kw(&t, "UNIQUE") ||
                      is_kw(&t, "CHECK") || is_kw(&t, "FOREIGN"));
    char colname[256] = "";
    if (is_column) {
        unquote(&t, colname, sizeof colname);
        s = q;
    }
    char pending_name[256] = "";
    while (s < end) {
        s = next_tok(s, end, &t);
        if (t.kind == TK_END)
            break;
        if (is_kw(&t, "AUTOINCREMENT"))
            pt->autoincrement = 1;
        else if (is_kw(&t, "CONSTRAINT")) {
            s = next_tok(s, end, &t);
            unquote(&t, pending_name, sizeof pending_name);
            continue;
        } else if (is_kw(&t, "PRIMARY") && !is_column) {
            tok g;
            s = next_tok(s, end, &g); /* KEY */
            s = next_tok(s, end, &g);
            parsed_con *c = add_con(pt, 'p', pending_name);
            if (!c)
                return SQLALC_ERR_NOMEM;
            if (g.kind == TK_GROUP)
                group_names(&g, c->cols, sizeof c->cols);
        } else if (is_kw(&t, "UNIQUE")) {
            parsed_con *c = add_con(pt, 'u', pending_name);
            if (!c)
                return SQLALC_ERR_NOMEM;
            if (is_column)
                snprintf(c->cols, sizeof c->cols, "%s", colname);
            else {
                tok g;
                s = next_tok(s, end, &g);
                if (g.kind == TK_GROUP)
                    group_names(&g, c->cols, sizeof c->cols);
            }
        } else if (is_kw(&t, "CHECK")) {
            tok g;
            s = next_tok(s, end, &g);
            parsed_con *c = add_con(pt, 'c', pending_name);
            if (!c || !(c->check = dup_trim(g.p, g.n)))
                return SQLALC_ERR_NOMEM;
        } else if (is_kw(&t, "FOREIGN") || is_kw(&t, "REFERENCES")) {
            parsed_con *c = add_con(pt, 'f', pending_name);
            if (!c)
                return SQLALC_ERR_NOMEM;
            tok g;
            if (is_kw(&t, "FOREIGN")) {
                s = next_tok(s, end, &g); /* KEY */
                s = next_tok(s, end, &g);
                if (g.kind == TK_GROUP)
                    group_names(&g, c->cols, sizeof c->cols);
                s = next_tok(s, end, &g); /* REFERENCES */
            } else
                snprintf(c->cols, sizeof c->cols, "%s", colname);
            s = next_tok(s, end, &g);
            unquote(&g, c->reftable, sizeof c->reftable);
            /* schema.table is not allowed in SQLite FKs, but be lenient */
            const char *q2 = next_tok(s, end, &g);
            if (g.kind == TK_PUNCT && *g.p == '.') {
                s = next_tok(q2, end, &g);
                unquote(&g, c->reftable, sizeof c->reftable);
            }
        }
        pending_name[0] = 0;
    }
    return SQLALC_OK;
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

/* "main" (or the attached schema) quoted as an identifier. */
static void schema_ident(const char *schema, char *buf, size_t size)
{
    const char *s = schema ? schema : "main";
    size_t k = 0;
    if (size < 4)
        return;
    buf[k++] = '"';
    for (; *s && k + 3 < size; s++) {
        buf[k++] = *s;
        if (*s == '"')
            buf[k++] = '"';
    }
    buf[k++] = '"';
    buf[k] = 0;
}

/* (used inside snprintf formats) */
#define USER_TABLES " m.name NOT LIKE 'sqlite~_%%' ESCAPE '~' "

static int has_table(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    char sql[600], sch[300];
    schema_ident(schema, sch, sizeof sch);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM %s.sqlite_master m WHERE m.type IN ('table', 'view') AND m.name = ?", sch);
    sqlalc_result *res = NULL;
    int rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT(NULL, name)), &res);
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
    char sql[600], sch[300];
    schema_ident(schema, sch, sizeof sch);
    snprintf(sql, sizeof sql,
             "SELECT m.name FROM %s.sqlite_master m WHERE m.type = '%s' AND" USER_TABLES "ORDER BY m.name",
             sch, views ? "view" : "table");
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute_sql(conn, sql, NULL, &res);
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

/* Joined column list of the current FK / index while reading rows. */
typedef struct pending {
    char table[256];
    int64_t id;
    char cols[1024];
    char refcols[1024];
    char reftable[256];
    char ondelete[32], onupdate[32];
    int unique;
    char origin[4];
    char name[256];
    int active;
} pending;

static void append_col(char *buf, size_t size, const char *c)
{
    size_t k = strlen(buf);
    snprintf(buf + k, size - k, "%s%s", k ? "\x1f" : "", c ? c : "");
}

static int add_split(sqlalc_strlist *l, const char *joined)
{
    const char *s = joined;
    while (*s) {
        const char *e = strchr(s, '\x1f');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)n, s);
        int rc = sqlalc_strlist_append(l, buf);
        if (rc)
            return rc;
        if (!e)
            break;
        s = e + 1;
    }
    return SQLALC_OK;
}

/* Name of a parsed constraint of kind with these columns (and ref table). */
static const char *con_name(const parsed_table *pt, char kind, const char *cols, const char *reftable)
{
    for (size_t i = 0; i < pt->n; i++) {
        const parsed_con *c = &pt->cons[i];
        if (c->kind == kind && !strcmp(c->cols, cols) &&
            (!reftable || !sqlalc__strcasecmp(c->reftable, reftable)))
            return c->name[0] ? c->name : NULL;
    }
    return NULL;
}

static const char *action(const char *a)
{
    return a && *a && sqlalc__strcasecmp(a, "NO ACTION") ? a : NULL;
}

static int flush_fk(sqlalc_schema_info *si, const char *schema, pending *p, parsed_table *pts,
                    sqlalc_strlist *tnames)
{
    if (!p->active)
        return SQLALC_OK;
    p->active = 0;
    sqlalc_table_info *ti = sqlalc_reflect_find_table(si, schema, p->table);
    if (!ti)
        return SQLALC_OK;
    size_t idx = 0;
    while (idx < tnames->count && strcmp(tnames->items[idx], p->table))
        idx++;
    const char *name = idx < tnames->count ? con_name(&pts[idx], 'f', p->cols, p->reftable) : NULL;
    sqlalc_fk_info *fk =
        sqlalc_reflect_add_fk(ti, name, schema, p->reftable, action(p->ondelete), action(p->onupdate));
    if (!fk)
        return SQLALC_ERR_NOMEM;
    int rc = add_split(&fk->columns, p->cols);
    return rc ? rc : add_split(&fk->referred_columns, p->refcols);
}

static int flush_index(sqlalc_schema_info *si, const char *schema, pending *p, parsed_table *pts,
                       sqlalc_strlist *tnames)
{
    if (!p->active)
        return SQLALC_OK;
    p->active = 0;
    sqlalc_table_info *ti = sqlalc_reflect_find_table(si, schema, p->table);
    if (!ti)
        return SQLALC_OK;
    if (!strcmp(p->origin, "pk"))
        return SQLALC_OK;
    if (!strcmp(p->origin, "u")) {
        size_t idx = 0;
        while (idx < tnames->count && strcmp(tnames->items[idx], p->table))
            idx++;
        const char *name = idx < tnames->count ? con_name(&pts[idx], 'u', p->cols, NULL) : NULL;
        sqlalc_unique_info *u = sqlalc_reflect_add_unique(ti, name);
        return u ? add_split(&u->columns, p->cols) : SQLALC_ERR_NOMEM;
    }
    sqlalc_index_info *ix = sqlalc_reflect_add_index(ti, p->name, p->unique);
    return ix ? add_split(&ix->columns, p->cols) : SQLALC_ERR_NOMEM;
}

static int reflect(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames, int views,
                   sqlalc_schema_info *out)
{
    int rr = SQLALC_OK;
    char sql[1200], sch[300];
    const char *sname = schema ? schema : "main";
    schema_ident(schema, sch, sizeof sch);
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    sqlalc_strlist tnames = { 0 };
    parsed_table *pts = NULL;
    pending p;
    int rc;

    /* 1. tables and views, with their CREATE text */
    snprintf(
        sql, sizeof sql,
        "SELECT m.name, m.type, m.sql FROM %s.sqlite_master m WHERE m.type IN ('table', 'view') AND" USER_TABLES
        "ORDER BY m.name",
        sch);
    rc = sqlalc_conn_execute_sql(conn, sql, NULL, &res);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *name = sqlalc_reflect_text(row, 0, &rr), *type = sqlalc_reflect_text(row, 1, &rr);
        int is_view = type && !strcmp(type, "view");
        if (!name || (is_view && !views) || !wanted(name, names, nnames))
            continue;
        parsed_table *v = sqlalc_realloc(pts, (tnames.count + 1) * sizeof *v);
        if (!v) {
            rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
            break;
        }
        pts = v;
        memset(&pts[tnames.count], 0, sizeof *pts);
        if ((rc = sqlalc_strlist_append(&tnames, name)))
            break;
        if ((rc = parse_create(is_view ? NULL : sqlalc_reflect_text(row, 2, &rr), &pts[tnames.count - 1])))
            break;
        sqlalc_table_info *ti = sqlalc_reflect_add_table(out, schema, name, is_view);
        if (!ti) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        ti->sqlite_autoincrement = pts[tnames.count - 1].autoincrement;
        for (size_t i = 0; i < pts[tnames.count - 1].n && !rc; i++) {
            const parsed_con *c = &pts[tnames.count - 1].cons[i];
            if (c->kind == 'c' && !sqlalc_reflect_add_check(ti, c->name[0] ? c->name : NULL, c->check))
                rc = SQLALC_ERR_NOMEM;
        }
        if (rc)
            break;
    }
    sqlalc_result_free(res);
    res = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    rc = SQLALC_OK;

    /* 2. columns */
    snprintf(sql, sizeof sql,
             "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
             "FROM %s.sqlite_master m JOIN pragma_table_xinfo(m.name, :schema) p "
             "WHERE m.type IN ('table', 'view') AND" USER_TABLES "ORDER BY m.name, p.cid",
             sch);
    rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", sname)), &res);
    {
        /* primary key positions arrive per column; apply them in order */
        char pkt[256] = "";
        char pkcols[16][256];
        int npk = 0;
        int64_t pkpos[16];
        while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *tn = sqlalc_reflect_text(row, 0, &rr);
            sqlalc_table_info *ti = tn ? sqlalc_reflect_find_table(out, schema, tn) : NULL;
            if (!ti || int_at(row, 6, &rr) == 1)
                continue;
            if (strcmp(pkt, tn)) {
                sqlalc_table_info *prev = pkt[0] ? sqlalc_reflect_find_table(out, schema, pkt) : NULL;
                int r = SQLALC_OK;
                for (int pos = 1; prev && pos <= npk && !r; pos++)
                    for (int k = 0; k < npk; k++)
                        if (pkpos[k] == pos)
                            r = sqlalc_reflect_pk_column(prev, pkcols[k]);
                if (r) {
                    rc = r;
                    break;
                }
                npk = 0;
                snprintf(pkt, sizeof pkt, "%s", tn);
            }
            const char *spelled = sqlalc_reflect_text(row, 2, &rr);
            if (!spelled)
                spelled = "";
            sqlalc_type *ty = sqlalc_type_parse(spelled);
            int64_t pk = int_at(row, 5, &rr);
            if (!ty || !sqlalc_reflect_add_column(ti, sqlalc_reflect_text(row, 1, &rr), ty, spelled,
                                                  int_at(row, 3, &rr) == 0, sqlalc_reflect_text(row, 4, &rr),
                                                  0, NULL)) {
                rc = SQLALC_ERR_NOMEM;
                break;
            }
            if (pk > 0 && npk < 16) {
                snprintf(pkcols[npk], sizeof pkcols[npk], "%s", sqlalc_reflect_text(row, 1, &rr));
                pkpos[npk++] = pk;
            }
        }
        if (rc == SQLALC_DONE && pkt[0]) {
            sqlalc_table_info *prev = sqlalc_reflect_find_table(out, schema, pkt);
            int r = SQLALC_OK;
            for (int pos = 1; prev && pos <= npk && !r; pos++)
                for (int k = 0; k < npk; k++)
                    if (pkpos[k] == pos)
                        r = sqlalc_reflect_pk_column(prev, pkcols[k]);
            if (r)
                rc = r;
        }
    }
    sqlalc_result_free(res);
    res = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    rc = SQLALC_OK;
    /* The rowid alias (a lone INTEGER key) autoincrements; names of the
     * key constraint come from the CREATE text. */
    for (size_t i = 0; i < tnames.count && !rc; i++) {
        sqlalc_table_info *ti = sqlalc_reflect_find_table(out, schema, tnames.items[i]);
        if (!ti)
            continue;
        if (ti->pk.columns.count == 1)
            for (size_t k = 0; k < ti->ncolumns; k++)
                if (ti->columns[k].pk_position == 1 && ti->columns[k].type_sql &&
                    !sqlalc__strcasecmp(ti->columns[k].type_sql, "INTEGER"))
                    ti->columns[k].autoincrement = 1;
        for (size_t k = 0; k < pts[i].n; k++)
            if (pts[i].cons[k].kind == 'p' && pts[i].cons[k].name[0])
                rc = sqlalc_reflect_set_pk_name(ti, pts[i].cons[k].name);
    }
    if (rc)
        goto out;

    /* 3. foreign keys (pragma ids count down from the last declared) */
    snprintf(sql, sizeof sql,
             "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
             "FROM %s.sqlite_master m JOIN pragma_foreign_key_list(m.name, :schema) f "
             "WHERE m.type = 'table' AND" USER_TABLES "ORDER BY m.name, f.id DESC, f.seq",
             sch);
    rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", sname)), &res);
    memset(&p, 0, sizeof p);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *tn = sqlalc_reflect_text(row, 0, &rr);
        int64_t id = int_at(row, 1, &rr);
        if (!tn)
            continue;
        if (!p.active || strcmp(p.table, tn) || p.id != id) {
            if ((rc = flush_fk(out, schema, &p, pts, &tnames)))
                break;
            memset(&p, 0, sizeof p);
            p.active = 1;
            p.id = id;
            snprintf(p.table, sizeof p.table, "%s", tn);
            snprintf(p.reftable, sizeof p.reftable, "%s",
                     sqlalc_reflect_text(row, 2, &rr) ? sqlalc_reflect_text(row, 2, &rr) : "");
            snprintf(p.onupdate, sizeof p.onupdate, "%s",
                     sqlalc_reflect_text(row, 5, &rr) ? sqlalc_reflect_text(row, 5, &rr) : "");
            snprintf(p.ondelete, sizeof p.ondelete, "%s",
                     sqlalc_reflect_text(row, 6, &rr) ? sqlalc_reflect_text(row, 6, &rr) : "");
        }
        append_col(p.cols, sizeof p.cols, sqlalc_reflect_text(row, 3, &rr));
        append_col(p.refcols, sizeof p.refcols, sqlalc_reflect_text(row, 4, &rr));
    }
    if (rc == SQLALC_DONE)
        rc = flush_fk(out, schema, &p, pts, &tnames) ? SQLALC_ERR_NOMEM : SQLALC_DONE;
    sqlalc_result_free(res);
    res = NULL;
    if (rc == SQLALC_DONE && rr)
        rc = rr;
    if (rc != SQLALC_DONE)
        goto out;
    rc = SQLALC_OK;

    /* 4. indexes (and the unique constraints behind autoindexes) */
    snprintf(sql, sizeof sql,
             "SELECT m.name, il.name, il.\"unique\", il.origin, ii.name "
             "FROM %s.sqlite_master m JOIN pragma_index_list(m.name, :schema) il "
             "JOIN pragma_index_info(il.name, :schema) ii "
             "WHERE m.type = 'table' AND" USER_TABLES "ORDER BY m.name, il.name, ii.seqno",
             sch);
    rc = sqlalc_conn_execute_sql(conn, sql, SQLALC_PARAMS(SQLALC_P_TEXT("schema", sname)), &res);
    memset(&p, 0, sizeof p);
    while ((rc == SQLALC_OK || rc == SQLALC_ROW) && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *tn = sqlalc_reflect_text(row, 0, &rr), *iname = sqlalc_reflect_text(row, 1, &rr);
        if (!tn || !iname)
            continue;
        if (!p.active || strcmp(p.table, tn) || strcmp(p.name, iname)) {
            if ((rc = flush_index(out, schema, &p, pts, &tnames)))
                break;
            memset(&p, 0, sizeof p);
            p.active = 1;
            snprintf(p.table, sizeof p.table, "%s", tn);
            snprintf(p.name, sizeof p.name, "%s", iname);
            p.unique = int_at(row, 2, &rr) != 0;
            snprintf(p.origin, sizeof p.origin, "%s",
                     sqlalc_reflect_text(row, 3, &rr) ? sqlalc_reflect_text(row, 3, &rr) : "c");
        }
        if (sqlalc_reflect_text(row, 4, &rr)) /* expression index columns have no name */
            append_col(p.cols, sizeof p.cols, sqlalc_reflect_text(row, 4, &rr));
    }
    if (rc == SQLALC_DONE)
        rc = flush_index(out, schema, &p, pts, &tnames) ? SQLALC_ERR_NOMEM : SQLALC_DONE;
    sqlalc_result_free(res);
    res = NULL;
    if (rc == SQLALC_DONE)
        rc = rr ? rr : SQLALC_OK;
out:
    sqlalc_result_free(res);
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

/*
 * stream_results: a query runs through a server-side cursor the dialect
 * declares and the driver fetches in batches (sqlalc_driver.prepare_cursor),
 * so that many results stay open on one connection, each holding one
 * batch.  Also the read-only test used when a result is dropped early.
 */
#include <stdio.h>
#include <string.h>
#include "stream.h"
#include "../sql/lexer.h"

static int word_is(const char *s, const sqlalc__token *t, const char *w)
{
    size_t n = strlen(w);
    if (t->len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[t->off + i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != w[i])
            return 0;
    }
    return 1;
}

int sqlalc__sql_reads_only(const char *sql, size_t len, unsigned syntax)
{
    static const char *const writes[] = { "INSERT", "UPDATE", "DELETE", "MERGE", "INTO" };
    sqlalc__lexer lx;
    sqlalc__token t;
    sqlalc__lex_init(&lx, sql, len, syntax);
    int first = 1;
    while (sqlalc__lex_next(&lx, &t) != SQLALC_TOK_END) {
        if (t.kind == SQLALC_TOK_SPACE || t.kind == SQLALC_TOK_COMMENT)
            continue;
        if (first) {
            if (t.kind == SQLALC_TOK_PUNCT && sql[t.off] == '(')
                continue; /* (SELECT …) UNION … */
            if (t.kind != SQLALC_TOK_WORD || !(word_is(sql, &t, "SELECT") || word_is(sql, &t, "VALUES") ||
                                               word_is(sql, &t, "TABLE") || word_is(sql, &t, "WITH")))
                return 0;
            first = 0;
            continue;
        }
        if (t.kind == SQLALC_TOK_PUNCT && sql[t.off] == ';')
            return 0; /* more than one statement */
        if (t.kind == SQLALC_TOK_WORD)
            for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
                if (word_is(sql, &t, writes[i]))
                    return 0;
    }
    return !first;
}

int sqlalc__stmt_reads_only(const sqlalc_conn *conn, stmt_entry *e, const char *sql, int sql_truncated)
{
    unsigned syntax = conn->eng->dialect->syntax;
    if (e) {
        /* once per cached statement */
        if (!e->reads_only)
            e->reads_only = sqlalc__sql_reads_only(e->parsed.sql, e->parsed.len, syntax) ? 1 : -1;
        return e->reads_only > 0;
    }
    return sql && !sql_truncated && sqlalc__sql_reads_only(sql, strlen(sql), syntax);
}

int sqlalc__stream_prepare(sqlalc_conn *conn, const char *sql, int nparams, size_t per, void **cst)
{
    static atomic_ulong seq;
    const sqlalc_driver *drv = conn->eng->driver;
    const sqlalc_dialect *dia = conn->eng->dialect;
    *cst = NULL;
    size_t len = strlen(sql);
    if (!drv->prepare_cursor || !dia->cursor_sql || !sqlalc__sql_reads_only(sql, len, dia->syntax))
        return SQLALC_OK;
    char name[40];
    snprintf(name, sizeof name, "sqlalc_cur_%lu", atomic_fetch_add(&seq, 1) + 1);
    sqlalc_sql_text t[4] = {
        { SQLALC_BUF_INIT }, { SQLALC_BUF_INIT }, { SQLALC_BUF_INIT }, { SQLALC_BUF_INIT }
    };
    static const int ops[4] = { SQLALC_CURSOR_DECLARE, SQLALC_CURSOR_DECLARE_HOLD, SQLALC_CURSOR_FETCH,
                                SQLALC_CURSOR_CLOSE };
    int rc = SQLALC_OK;
    for (int i = 0; i < 4 && rc == SQLALC_OK; i++) {
        rc = dia->cursor_sql(&t[i], ops[i], name, sql, per ? per : SQLALC_STREAM_DEFAULT_BATCH);
        if (rc == SQLALC_OK && !sqlalc_buf_cstr(&t[i].b))
            rc = sqlalc__oom();
    }
    if (rc == SQLALC_OK)
        rc = drv->prepare_cursor(conn->db->dc, sql, t[0].b.p, t[1].b.p, t[2].b.p, t[3].b.p, nparams, cst);
    for (int i = 0; i < 4; i++)
        sqlalc_buf_free(&t[i].b);
    if (rc)
        sqlalc__error_append_sql(sql);
    return rc;
}

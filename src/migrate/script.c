/*
 * Running a script of several statements: cut at ';' by the one SQL
 * lexer (so quotes, comments and $$ bodies are respected), each piece
 * run as raw SQL on the caller's connection.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "migrate_int.h"
#include "sqlalc/sys/plugin.h"
#include "../sql/lexer.h"

static int word_is(const char *s, const sqlalc__token *t, const char *w)
{
    return t->kind == SQLALC_TOK_WORD && t->len == strlen(w) && !strncasecmp(s + t->off, w, t->len);
}

/* Run text[off, off+len) unless it is only blanks and comments. */
static int run_piece(sqlalc_conn *conn, const char *text, size_t off, size_t len, int meaningful,
                     size_t *count)
{
    if (!meaningful)
        return SQLALC_OK;
    char *sql = sqlalc__malloc(len + 1);
    if (!sql)
        return sqlalc__oom();
    memcpy(sql, text + off, len);
    sql[len] = 0;
    int rc = sqlalc_conn_execute_sql(conn, sql, NULL, NULL);
    sqlalc_free(sql);
    if (rc != SQLALC_OK) {
        /* keep the database's message, saying which statement it was */
        const sqlalc_error *e = sqlalc_error_last();
        char state[6];
        memcpy(state, e->sqlstate, sizeof state);
        char *msg = sqlalc__strdup(e->message);
        if (!msg)
            return rc;
        sqlalc_error_set_full(rc, state[0] ? state : NULL, e->driver_code, "script statement %zu: %s",
                              *count + 1, msg);
        sqlalc_free(msg);
        return rc;
    }
    (*count)++;
    return SQLALC_OK;
}

int sqlalc_conn_execute_script(sqlalc_conn *conn, const char *sql, size_t *count)
{
    size_t n = 0;
    if (count)
        *count = 0;
    if (!conn || !sql)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_conn_execute_script: NULL argument");
    const sqlalc_dialect *d = sqlalc_find_dialect(sqlalc_engine_dialect_name(sqlalc_conn_engine(conn)));
    sqlalc__lexer lx;
    sqlalc__token t;
    sqlalc__lex_init(&lx, sql, strlen(sql), d ? d->syntax : 0);
    size_t start = 0;
    int meaningful = 0, rc = SQLALC_OK;
    /* CREATE TRIGGER … BEGIN … END: its inner ';' do not end it. */
    int words = 0, trigger = 0, after_end = 0, saw_create = 0;
    while (rc == SQLALC_OK && sqlalc__lex_next(&lx, &t) != SQLALC_TOK_END) {
        if (t.kind == SQLALC_TOK_SPACE || t.kind == SQLALC_TOK_COMMENT)
            continue;
        if (t.kind == SQLALC_TOK_PUNCT && sql[t.off] == ';' && (!trigger || after_end)) {
            rc = run_piece(conn, sql, start, t.off - start, meaningful, &n);
            start = t.off + 1;
            meaningful = words = trigger = after_end = saw_create = 0;
            continue;
        }
        meaningful = 1;
        if (t.kind == SQLALC_TOK_WORD && words < 4) {
            if (words == 0)
                saw_create = word_is(sql, &t, "create");
            else if (saw_create && word_is(sql, &t, "trigger"))
                trigger = 1;
        }
        words++;
        after_end = trigger && word_is(sql, &t, "end");
    }
    if (rc == SQLALC_OK)
        rc = run_piece(conn, sql, start, strlen(sql) - start, meaningful, &n);
    if (count)
        *count = n;
    return rc;
}

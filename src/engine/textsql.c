/*
 * Text SQL bind parser: finds ":name" and positional placeholders in raw
 * SQL with the one SQL lexer (src/sql/lexer.h: never inside strings,
 * quoted identifiers, dollar quotes or comments, as the dialect's syntax
 * has them) and rewrites them into the driver's paramstyle.
 *
 * Positional forms: "?" (the next value), SQLite's "?NNN" and, where the
 * dialect has them, PostgreSQL's "$n" (the Nth value, reusable), numbered
 * as SQLite does: a plain "?" takes the value after the highest so far.
 * "\:" and "\?" write a literal ':' / '?'.  A literal '?' is refused when
 * the driver's own paramstyle is "?": there it could only become a
 * parameter marker nobody binds.
 */
#include <string.h>
#include "textsql.h"
#include "../sql/lexer.h"

void sqlalc__textsql_free(sqlalc__textsql *t)
{
    if (!t)
        return;
    sqlalc_free(t->sql);
    if (t->names)
        for (int i = 0; i < t->nph; i++)
            sqlalc_free(t->names[i]);
    sqlalc_free(t->names);
    sqlalc_free(t->pos);
    sqlalc_free(t->map);
    memset(t, 0, sizeof *t);
}

/* Index of name among the placeholders so far (dollar style reuses it). */
static int find_name(const sqlalc__textsql *t, const char *name, size_t n)
{
    for (int i = 0; i < t->nph; i++)
        if (t->names[i] && strlen(t->names[i]) == n && !memcmp(t->names[i], name, n))
            return i;
    return -1;
}

/* Capacities of the names and pos arrays while parsing. */
typedef struct caps {
    size_t names, pos;
} caps;

/* A placeholder the driver sees: named (name) or positional (value index pos). */
static int add_placeholder(sqlalc__textsql *t, caps *cap, const char *name, size_t n, int pos)
{
    if (sqlalc__grow((void **)&t->names, &cap->names, (size_t)t->nph + 1, sizeof *t->names) ||
        sqlalc__grow((void **)&t->pos, &cap->pos, (size_t)t->nph + 1, sizeof *t->pos))
        return SQLALC_ERR_NOMEM;
    t->names[t->nph] = NULL;
    t->pos[t->nph] = pos;
    if (name && !(t->names[t->nph] = sqlalc__strndup(name, n)))
        return SQLALC_ERR_NOMEM;
    t->nph++;
    return SQLALC_OK;
}

static void put_dollar(sqlalc_buf *out, int k)
{
    sqlalc_buf_printf(out, "$%d", k);
}

/* A positional placeholder for value index v (0-based). */
static int positional(sqlalc__textsql *t, caps *cap, sqlalc_buf *out, int paramstyle, int v)
{
    if (v + 1 > t->nvalues)
        t->nvalues = v + 1;
    if (paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR) {
        /* $n names the value itself: the driver sees nvalues placeholders */
        put_dollar(out, v + 1);
        return SQLALC_OK;
    }
    sqlalc_buf_putc(out, '?');
    return add_placeholder(t, cap, NULL, 0, v);
}

int sqlalc__textsql_parse(const char *sql, int paramstyle, unsigned syntax, sqlalc__textsql *t)
{
    memset(t, 0, sizeof *t);
    size_t len = strlen(sql);
    caps cap = { 0, 0 };
    sqlalc_buf out = SQLALC_BUF_INIT;
    int rc = SQLALC_OK, named = 0, npos = 0;
    sqlalc__lexer lx;
    sqlalc__token tk;
    sqlalc__lex_init(&lx, sql, len, syntax);
    while (rc == SQLALC_OK && sqlalc__lex_next(&lx, &tk) != SQLALC_TOK_END) {
        const char *p = sql + tk.off;
        switch (tk.kind) {
        case SQLALC_TOK_ESCAPED:
            if (p[1] == '?' && paramstyle == SQLALC_PARAMSTYLE_QMARK) {
                rc = sqlalc_error_set(SQLALC_ERR_PROGRAMMING,
                                      "'\\?' at offset %zu: this driver marks parameters with '?', so a "
                                      "literal '?' outside a string would be one",
                                      tk.off);
                break;
            }
            sqlalc_buf_putc(&out, p[1]);
            break;
        case SQLALC_TOK_NAMED: {
            named = 1;
            const char *name = p + 1;
            size_t nl = tk.len - 1;
            if (paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR) {
                int idx = find_name(t, name, nl);
                if (idx < 0) {
                    rc = add_placeholder(t, &cap, name, nl, -1);
                    idx = t->nph - 1;
                }
                put_dollar(&out, idx + 1);
            } else {
                rc = add_placeholder(t, &cap, name, nl, -1);
                if (paramstyle == SQLALC_PARAMSTYLE_NAMED)
                    sqlalc_buf_append(&out, p, tk.len);
                else
                    sqlalc_buf_putc(&out, '?');
            }
            break;
        }
        case SQLALC_TOK_QMARK:
            npos++;
            rc = positional(t, &cap, &out, paramstyle, t->nvalues);
            break;
        case SQLALC_TOK_QMARK_NUM:
        case SQLALC_TOK_DOLLAR_NUM:
            npos++;
            if (tk.number < 1 || tk.number > 65535) {
                rc = sqlalc_error_set(SQLALC_ERR_PROGRAMMING,
                                      "positional parameter '%.*s' is out of range (1 to 65535)", (int)tk.len,
                                      p);
                break;
            }
            rc = positional(t, &cap, &out, paramstyle, (int)tk.number - 1);
            break;
        default: sqlalc_buf_append(&out, p, tk.len);
        }
    }
    if (rc == SQLALC_OK && named && npos)
        rc =
            sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "SQL mixes named (:name) and positional (?) parameters");
    t->positional = npos > 0;
    if (rc == SQLALC_OK && t->positional && paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR) {
        /* the driver's $1..$n are the values in order */
        for (int v = 0; v < t->nvalues && rc == SQLALC_OK; v++)
            rc = add_placeholder(t, &cap, NULL, 0, v);
    }
    if (rc == SQLALC_OK) {
        if (!out.p)
            sqlalc_buf_append(&out, "", 0);
        t->len = out.len;
        t->sql = sqlalc_buf_detach(&out);
        if (!t->sql)
            rc = SQLALC_ERR_NOMEM;
    }
    if (rc == SQLALC_OK && t->nph && !(t->map = sqlalc__calloc((size_t)t->nph, sizeof *t->map)))
        rc = SQLALC_ERR_NOMEM;
    if (rc != SQLALC_OK) {
        sqlalc_buf_free(&out);
        sqlalc__textsql_free(t);
    }
    return rc;
}

int sqlalc__textsql_bind_values(const sqlalc__textsql *t, const sqlalc_params *params, sqlalc_value *vals)
{
    size_t given = params ? params->count : 0;
    if (t->positional) {
        if (given != (size_t)t->nvalues)
            return sqlalc_error_set(SQLALC_ERR_PROGRAMMING,
                                    "statement has %d positional parameters but %zu were given", t->nvalues,
                                    given);
        for (size_t j = 0; j < given; j++)
            if (params->items[j].name)
                return sqlalc_error_set(
                    SQLALC_ERR_PROGRAMMING,
                    "named parameter '%s' given to a statement with positional parameters",
                    params->items[j].name);
        for (int i = 0; i < t->nph; i++)
            vals[i] = params->items[t->pos[i]].value;
        return SQLALC_OK;
    }
    size_t used = 0;
    for (int i = 0; i < t->nph; i++) {
        const char *name = t->names[i];
        size_t j;
        for (j = 0; j < given; j++)
            if (params->items[j].name && !strcmp(params->items[j].name, name))
                break;
        if (j == given)
            return sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "a value is required for bind parameter '%s'",
                                    name);
        vals[i] = params->items[j].value;
    }
    /* Count distinct placeholder names to find parameters nobody uses. */
    for (size_t j = 0; j < given; j++) {
        const char *pn = params->items[j].name;
        int found = 0;
        for (int i = 0; i < t->nph && !found; i++)
            found = pn && !strcmp(t->names[i], pn);
        if (!found)
            return sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "parameter '%s' is not used by the statement",
                                    pn ? pn : "(positional)");
        used++;
    }
    (void)used;
    return SQLALC_OK;
}

static inline int same_name(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int sqlalc__textsql_bind_mapped(sqlalc__textsql *t, const sqlalc_params *params, sqlalc_value *vals)
{
    if (t->map_valid && !t->positional && params && params->count == (size_t)t->map_valid) {
        int i;
        for (i = 0; i < t->nph; i++) {
            const sqlalc_param *p = &params->items[t->map[i]];
            if (!p->name || !same_name(p->name, t->names[i]))
                break;
            vals[i] = p->value;
        }
        if (i == t->nph)
            return SQLALC_OK;
    }
    int rc = sqlalc__textsql_bind_values(t, params, vals);
    if (rc != SQLALC_OK || t->positional || !t->nph)
        return rc;
    /* Remember where each name was found for the next set. */
    for (int i = 0; i < t->nph; i++)
        for (size_t j = 0; j < params->count; j++)
            if (params->items[j].name && !strcmp(params->items[j].name, t->names[i])) {
                t->map[i] = (int)j;
                break;
            }
    t->map_valid = (int)params->count;
    return SQLALC_OK;
}

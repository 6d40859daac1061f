/*
 * Text SQL bind parser: finds ":name" and "?" placeholders in raw SQL and
 * rewrites them into the driver's paramstyle.
 *
 * Placeholders are not recognised inside '…' strings, "…" identifiers,
 * [..] identifiers (when the dialect quotes with brackets), $tag$…$tag$
 * strings, -- and block comments.  Like SQLAlchemy's text(), a colon
 * preceded by a word character or another colon is not a bind (so "::int"
 * casts and "12:30" pass through), and "\:" writes a literal colon.
 * Unlike SQLAlchemy, ":v::int" is a bind followed by a cast.
 */
#include <string.h>
#include "textsql.h"

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

void sqlalc__textsql_free(sqlalc__textsql *t)
{
    if (!t)
        return;
    sqlalc_free(t->sql);
    if (t->names)
        for (int i = 0; i < t->nph; i++)
            sqlalc_free(t->names[i]);
    sqlalc_free(t->names);
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

static int add_placeholder(sqlalc__textsql *t, size_t *cap, const char *name, size_t n)
{
    if (sqlalc__grow((void **)&t->names, cap, (size_t)t->nph + 1, sizeof *t->names))
        return SQLALC_ERR_NOMEM;
    t->names[t->nph] = NULL;
    if (name && !(t->names[t->nph] = sqlalc__strndup(name, n)))
        return SQLALC_ERR_NOMEM;
    t->nph++;
    return SQLALC_OK;
}

/* Skip a $tag$ … $tag$ string starting at p ('$'); returns the end or p. */
static const char *skip_dollar_quote(const char *p, const char *end)
{
    const char *q = p + 1;
    while (q < end && (is_word(*q) && !(*q >= '0' && *q <= '9' && q == p + 1)))
        q++;
    if (q >= end || *q != '$')
        return p;
    size_t taglen = (size_t)(q - p) + 1;
    for (const char *r = q + 1; r + taglen <= end; r++)
        if (*r == '$' && !memcmp(r, p, taglen))
            return r + taglen;
    return end;
}

int sqlalc__textsql_parse(const char *sql, int paramstyle, char bracket_quotes, sqlalc__textsql *t)
{
    memset(t, 0, sizeof *t);
    size_t len = strlen(sql), cap = 0;
    sqlalc_buf out = SQLALC_BUF_INIT;
    const char *p = sql, *end = sql + len, *copied = sql;
    int rc = SQLALC_OK, named = 0, positional = 0;

    while (p < end && rc == SQLALC_OK) {
        char c = *p;
        if (c == '\'' || c == '"' || (c == '[' && bracket_quotes) || c == '`') {
            char close = c == '[' ? ']' : c;
            for (p++; p < end; p++)
                if (*p == close) {
                    if (p + 1 < end && p[1] == close && close != ']') {
                        p++;
                        continue;
                    }
                    break;
                }
            p = p < end ? p + 1 : end;
        } else if (c == '-' && p + 1 < end && p[1] == '-') {
            while (p < end && *p != '\n')
                p++;
        } else if (c == '/' && p + 1 < end && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : end;
        } else if (c == '$' && paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR) {
            const char *e = skip_dollar_quote(p, end);
            p = e == p ? p + 1 : e;
        } else if (c == '\\' && p + 1 < end && (p[1] == ':' || p[1] == '?')) {
            /* escaped literal: drop the backslash */
            sqlalc_buf_append(&out, copied, (size_t)(p - copied));
            copied = p + 1;
            p += 2;
        } else if (c == ':' && p + 1 < end && p[1] == ':') {
            p += 2; /* PostgreSQL cast */
        } else if (c == ':' && p + 1 < end && is_name_start(p[1]) &&
                   (p == sql || (!is_word(p[-1]) && p[-1] != ':'))) {
            const char *n = p + 1, *ne = n;
            while (ne < end && is_word(*ne))
                ne++;
            /* "a:b:" is not a bind (SQLAlchemy's rule), but ":v::int" is
             * a bind followed by a PostgreSQL cast. */
            if (ne < end && *ne == ':' && !(ne + 1 < end && ne[1] == ':')) {
                p = ne;
                continue;
            }
            named = 1;
            sqlalc_buf_append(&out, copied, (size_t)(p - copied));
            int idx = paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR ? find_name(t, n, (size_t)(ne - n)) : -1;
            if (idx < 0) {
                rc = add_placeholder(t, &cap, n, (size_t)(ne - n));
                idx = t->nph - 1;
            }
            if (paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR)
                sqlalc_buf_printf(&out, "$%d", idx + 1);
            else if (paramstyle == SQLALC_PARAMSTYLE_NAMED)
                sqlalc_buf_append(&out, p, (size_t)(ne - p));
            else
                sqlalc_buf_putc(&out, '?');
            p = copied = ne;
        } else if (c == '?') {
            positional = 1;
            sqlalc_buf_append(&out, copied, (size_t)(p - copied));
            rc = add_placeholder(t, &cap, NULL, 0);
            if (paramstyle == SQLALC_PARAMSTYLE_NUMERIC_DOLLAR)
                sqlalc_buf_printf(&out, "$%d", t->nph);
            else
                sqlalc_buf_putc(&out, '?');
            p = copied = p + 1;
        } else
            p++;
    }
    if (rc == SQLALC_OK && named && positional)
        rc =
            sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "SQL mixes named (:name) and positional (?) parameters");
    if (rc == SQLALC_OK) {
        sqlalc_buf_append(&out, copied, (size_t)(end - copied));
        t->len = out.len;
        t->sql = sqlalc_buf_detach(&out);
        if (!t->sql)
            rc = SQLALC_ERR_NOMEM;
    }
    t->positional = positional;
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
        if (given != (size_t)t->nph)
            return sqlalc_error_set(SQLALC_ERR_PROGRAMMING,
                                    "statement has %d positional parameters but %zu were given", t->nph,
                                    given);
        for (int i = 0; i < t->nph; i++) {
            if (params->items[i].name)
                return sqlalc_error_set(
                    SQLALC_ERR_PROGRAMMING,
                    "named parameter '%s' given to a statement with positional parameters",
                    params->items[i].name);
            vals[i] = params->items[i].value;
        }
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

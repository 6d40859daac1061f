/* The one SQL lexer (see lexer.h). */
#include <string.h>
#include "lexer.h"
#include "sqlalc/sys/plugin.h"

int sqlalc__lex_is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (unsigned char)c >= 0x80;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void sqlalc__lex_init(sqlalc__lexer *lx, const char *text, size_t len, unsigned syntax)
{
    lx->s = text;
    lx->len = len;
    lx->pos = 0;
    lx->syntax = syntax;
}

/* A word character just before i (binds and dollar forms must not follow one). */
static int after_word(const sqlalc__lexer *lx, size_t i)
{
    return i > 0 && (sqlalc__lex_is_name_char(lx->s[i - 1]) || lx->s[i - 1] == '$');
}

/* Quoted run from i (the opening quote) to its close; doubled closes are
 * the close character itself, backslash escapes where asked.  Returns the
 * end (past the close), or len with *unterminated set. */
static size_t quoted_end(const sqlalc__lexer *lx, size_t i, char close, int backslash, int *unterminated)
{
    for (size_t j = i + 1; j < lx->len; j++) {
        char c = lx->s[j];
        if (backslash && c == '\\') {
            j++;
            continue;
        }
        if (c == close) {
            if (j + 1 < lx->len && lx->s[j + 1] == close) {
                j++;
                continue;
            }
            return j + 1;
        }
    }
    *unterminated = 1;
    return lx->len;
}

/* $tag$ at i: the tag's length including both '$', or 0 when it is not one. */
static size_t dollar_tag(const sqlalc__lexer *lx, size_t i)
{
    size_t j = i + 1;
    if (j < lx->len && is_name_start(lx->s[j]))
        while (j < lx->len && sqlalc__lex_is_name_char(lx->s[j]))
            j++;
    return j < lx->len && lx->s[j] == '$' ? j - i + 1 : 0;
}

static size_t number_end(const sqlalc__lexer *lx, size_t i)
{
    const char *s = lx->s;
    size_t j = i, n = lx->len;
    if (s[j] == '0' && j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X')) {
        j += 2;
        while (j < n && (is_digit(s[j]) || (s[j] >= 'a' && s[j] <= 'f') || (s[j] >= 'A' && s[j] <= 'F')))
            j++;
        return j;
    }
    while (j < n && is_digit(s[j]))
        j++;
    if (j < n && s[j] == '.') {
        j++;
        while (j < n && is_digit(s[j]))
            j++;
    }
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k < n && is_digit(s[k])) {
            j = k;
            while (j < n && is_digit(s[j]))
                j++;
        }
    }
    return j;
}

/* Digits after position i (for ?NNN, $n): their end and value. */
static size_t digits_end(const sqlalc__lexer *lx, size_t i, long *value)
{
    long v = 0;
    int fits = 1;
    size_t j = i;
    while (j < lx->len && is_digit(lx->s[j])) {
        if (v > 99999999)
            fits = 0; /* stop accumulating: ?99999999999999999999 must not overflow (fuzz_textsql) */
        else
            v = v * 10 + (lx->s[j] - '0');
        j++;
    }
    *value = fits ? v : 0;
    return j;
}

sqlalc__tok_kind sqlalc__lex_next(sqlalc__lexer *lx, sqlalc__token *t)
{
    const char *s = lx->s;
    size_t i = lx->pos, n = lx->len, e = i + 1;
    unsigned syn = lx->syntax;
    t->off = i;
    t->unterminated = 0;
    t->number = 0;
    if (i >= n) {
        t->kind = SQLALC_TOK_END;
        t->len = 0;
        return t->kind;
    }
    char c = s[i], c1 = i + 1 < n ? s[i + 1] : 0;
    sqlalc__tok_kind k = SQLALC_TOK_PUNCT;
    if (is_space(c)) {
        while (e < n && is_space(s[e]))
            e++;
        k = SQLALC_TOK_SPACE;
    } else if (c == '-' && c1 == '-') {
        while (e < n && s[e] != '\n')
            e++;
        k = SQLALC_TOK_COMMENT;
    } else if (c == '/' && c1 == '*') {
        int depth = 1, nested = (syn & SQLALC_SYNTAX_NESTED_COMMENTS) != 0;
        for (e = i + 2; e < n && depth; e++) {
            if (s[e] == '*' && e + 1 < n && s[e + 1] == '/') {
                depth--;
                e++;
            } else if (nested && s[e] == '/' && e + 1 < n && s[e + 1] == '*') {
                depth++;
                e++;
            }
        }
        t->unterminated = depth != 0;
        k = SQLALC_TOK_COMMENT;
    } else if (c == '\'') {
        e = quoted_end(lx, i, '\'', (syn & SQLALC_SYNTAX_BACKSLASH_STRINGS) != 0, &t->unterminated);
        k = SQLALC_TOK_STRING;
    } else if (c == '"') {
        e = quoted_end(lx, i, '"', 0, &t->unterminated);
        k = SQLALC_TOK_QUOTED;
    } else if (c == '[' && (syn & SQLALC_SYNTAX_BRACKET_IDENTIFIERS)) {
        e = quoted_end(lx, i, ']', 0, &t->unterminated);
        k = SQLALC_TOK_QUOTED;
    } else if (c == '`' && (syn & SQLALC_SYNTAX_BACKTICK_IDENTIFIERS)) {
        e = quoted_end(lx, i, '`', 0, &t->unterminated);
        k = SQLALC_TOK_QUOTED;
    } else if ((c == 'E' || c == 'e') && c1 == '\'' && (syn & SQLALC_SYNTAX_ESCAPE_STRINGS) &&
               !after_word(lx, i)) {
        e = quoted_end(lx, i + 1, '\'', 1, &t->unterminated);
        k = SQLALC_TOK_STRING;
    } else if (c == '$' && (syn & SQLALC_SYNTAX_DOLLAR) && !after_word(lx, i)) {
        size_t tag = dollar_tag(lx, i);
        if (tag) {
            const char *close = NULL;
            for (size_t j = i + tag; j + tag <= n && !close; j++)
                if (s[j] == '$' && !memcmp(s + j, s + i, tag))
                    close = s + j;
            e = close ? (size_t)(close - s) + tag : n;
            t->unterminated = !close;
            k = SQLALC_TOK_STRING;
        } else if (is_digit(c1)) {
            e = digits_end(lx, i + 1, &t->number);
            k = SQLALC_TOK_DOLLAR_NUM;
        }
    } else if (c == '\\' && (c1 == ':' || c1 == '?')) {
        e = i + 2;
        k = SQLALC_TOK_ESCAPED;
    } else if (c == ':' && c1 == ':') {
        e = i + 2;
        k = SQLALC_TOK_CAST;
    } else if (c == ':' && is_name_start(c1) &&
               !(i > 0 && (sqlalc__lex_is_name_char(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '\\'))) {
        size_t j = i + 1;
        while (j < n && sqlalc__lex_is_name_char(s[j]))
            j++;
        /* ":name:" is not a bind (SQLAlchemy's rule); ":name::type" is. */
        if (!(j < n && s[j] == ':' && !(j + 1 < n && s[j + 1] == ':'))) {
            e = j;
            k = SQLALC_TOK_NAMED;
        }
    } else if (c == '?') {
        if (is_digit(c1)) {
            e = digits_end(lx, i + 1, &t->number);
            k = SQLALC_TOK_QMARK_NUM;
        } else
            k = SQLALC_TOK_QMARK;
    } else if (is_digit(c) || (c == '.' && is_digit(c1))) {
        e = number_end(lx, i);
        k = SQLALC_TOK_NUMBER;
    } else if (is_name_start(c)) {
        while (e < n && (sqlalc__lex_is_name_char(s[e]) || s[e] == '$'))
            e++;
        k = SQLALC_TOK_WORD;
    }
    t->kind = k;
    t->len = e - i;
    lx->pos = e;
    return k;
}

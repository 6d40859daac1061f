/*
 * The one SQL lexer.  Every place that scans SQL text (the text-SQL bind
 * parser, raw fragments inside expressions, SQLite's DDL reader) cuts it
 * into tokens here, so quotes, comments and binds are seen the same way
 * everywhere.
 *
 * What the text is made of depends on the dialect (sqlalc_dialect.syntax,
 * SQLALC_SYNTAX_* bits): '…' strings with '' doubling, "…" identifiers,
 * -- and block comments and the standard punctuation are always known;
 * [bracketed] and `backtick` identifiers, $tag$ strings and $n
 * parameters, E'…\'…' strings, nested block comments and backslash
 * escapes in plain strings only where the dialect has them.
 *
 * Binds follow SQLAlchemy's text(): ":name" where the colon follows
 * neither a word character, a colon nor a backslash; names are letters,
 * digits, '_' and any non-ASCII letter (bytes >= 0x80, so ":été" works),
 * starting with a non-digit; ":name:" (a colon right after) is not a
 * bind, but ":name::type" is a bind and a cast.  "\:" and "\?" stand for
 * a literal ':' / '?'.
 */
#ifndef SQLALC_LEXER_H
#define SQLALC_LEXER_H

#include <stddef.h>

typedef enum sqlalc__tok_kind {
    SQLALC_TOK_END = 0,
    SQLALC_TOK_SPACE,      /* white space */
    SQLALC_TOK_COMMENT,    /* -- to end of line, or a block comment */
    SQLALC_TOK_STRING,     /* '…', E'…' (prefix included), $tag$…$tag$ */
    SQLALC_TOK_QUOTED,     /* "…", […], `…` identifier (quotes included) */
    SQLALC_TOK_WORD,       /* identifier or keyword */
    SQLALC_TOK_NUMBER,     /* 12, 1.5, .5, 1e-3, 0x1F */
    SQLALC_TOK_NAMED,      /* :name (the name is text[off+1, off+len)) */
    SQLALC_TOK_ESCAPED,    /* \: or \? (the literal is text[off+1]) */
    SQLALC_TOK_CAST,       /* :: */
    SQLALC_TOK_QMARK,      /* ? */
    SQLALC_TOK_QMARK_NUM,  /* ?NNN (SQLite's numbered parameter) */
    SQLALC_TOK_DOLLAR_NUM, /* $n (PostgreSQL's numbered parameter) */
    SQLALC_TOK_PUNCT       /* any other character */
} sqlalc__tok_kind;

typedef struct sqlalc__token {
    sqlalc__tok_kind kind;
    size_t off, len;  /* where in the text */
    int unterminated; /* a string, identifier or comment runs to the end of the text */
    long number;      /* the N of ?NNN / $n (0 when it does not fit) */
} sqlalc__token;

typedef struct sqlalc__lexer {
    const char *s;
    size_t len, pos;
    unsigned syntax; /* SQLALC_SYNTAX_* */
} sqlalc__lexer;

/* Start lexing text[0, len) with the dialect's syntax bits. */
void sqlalc__lex_init(sqlalc__lexer *lx, const char *text, size_t len, unsigned syntax);
/* The next token; SQLALC_TOK_END (len 0) at the end.  Never fails. */
sqlalc__tok_kind sqlalc__lex_next(sqlalc__lexer *lx, sqlalc__token *t);
/* Non-zero for a byte that may continue a bind name or identifier. */
int sqlalc__lex_is_name_char(char c);

#endif

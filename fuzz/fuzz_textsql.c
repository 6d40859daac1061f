/*
 * Raw-SQL bind parser against SQLite's own tokenizer.  The first byte
 * picks the dialect syntax and paramstyle, the rest is SQL text.  With
 * SQLite's syntax, whenever SQLite itself prepares the original text as
 * one statement, the ":name" parameters SQLite sees are exactly the binds
 * we found (none hidden in a string, identifier or comment, none invented),
 * and the rewritten text prepares with exactly as many parameters as we
 * will bind.  Other syntaxes (PostgreSQL, SQL Server) are run for memory
 * safety and the parser's own invariants.
 */
#include <sqlite3.h>
#include <sqlalc.h>
#include <sqlalc/sys/plugin.h>
#include "engine/textsql.h"
#include "sql/lexer.h"
#include "fuzz_common.h"

#define PG (SQLALC_SYNTAX_DOLLAR | SQLALC_SYNTAX_ESCAPE_STRINGS | SQLALC_SYNTAX_NESTED_COMMENTS)
#define LITE (SQLALC_SYNTAX_BRACKET_IDENTIFIERS | SQLALC_SYNTAX_BACKTICK_IDENTIFIERS)

static sqlite3 *db;

static int has_name(const sqlalc__textsql *t, const char *name)
{
    for (int i = 0; i < t->nph; i++)
        if (t->names[i] && !strcmp(t->names[i], name))
            return 1;
    return 0;
}

/* Does SQLite read text as exactly one statement?  *st gets it. */
static int sqlite_one(const char *text, sqlite3_stmt **st)
{
    const char *tail = NULL;
    *st = NULL;
    if (sqlite3_prepare_v2(db, text, -1, st, &tail) != SQLITE_OK || !*st) {
        sqlite3_finalize(*st);
        *st = NULL;
        return 0;
    }
    sqlite3_stmt *more = NULL;
    int rc = sqlite3_prepare_v2(db, tail, -1, &more, NULL);
    sqlite3_finalize(more);
    if (rc != SQLITE_OK || more) {
        sqlite3_finalize(*st);
        *st = NULL;
        return 0;
    }
    return 1;
}

/* Characters our bind names may hold (SQLAlchemy's \w plus non-ASCII). */
static int plain_name(const char *s)
{
    for (; *s; s++)
        if (!sqlalc__lex_is_name_char(*s))
            return 0;
    return 1;
}

static void against_sqlite(const char *text, const sqlalc__textsql *t)
{
    sqlite3_stmt *st;
    /* the rewritten text has one "?" per value we bind: none hidden in a
     * string or comment, none invented.  A ":name" we left alone (after a
     * word character, or SQLite's ":x(...)" that swallows our markers) is
     * still a parameter there, with a name: the driver refuses a named
     * parameter, so only bare markers must match ours exactly. */
    if (sqlite_one(t->sql, &st)) {
        int anon = 0, all = sqlite3_bind_parameter_count(st);
        for (int i = 1; i <= all; i++)
            anon += sqlite3_bind_parameter_name(st, i) == NULL;
        FZ_CHECK(anon < all /* named: refused */ || anon == t->nph,
                 "rewritten %s has %d \"?\" parameters, we bind %d (from %s)", t->sql, anon, t->nph, text);
        sqlite3_finalize(st);
    }
    if (!sqlite_one(text, &st))
        return;
    int n = sqlite3_bind_parameter_count(st), colon = 0, other = 0, numbered = 0, missed = 0;
    for (int i = 1; i <= n; i++) {
        const char *nm = sqlite3_bind_parameter_name(st, i);
        if (!nm)
            numbered++;
        else if (nm[0] == ':' && plain_name(nm + 1)) {
            colon++;
            /* ":name" after a word character is not a bind (SQLAlchemy's
             * rule): it stays in the text, where SQLite still sees it, so
             * the driver's parameter count check refuses the statement */
            missed += !has_name(t, nm + 1);
        } else if (nm[0] == '?')
            numbered++;
        else
            other++; /* @x, $x, :x::y — not our syntax */
    }
    sqlite3_finalize(st);
    if (missed) {
        if (sqlite_one(t->sql, &st)) {
            FZ_CHECK(sqlite3_bind_parameter_count(st) != t->nph,
                     "a :name we do not bind would be bound silently: %s (rewritten %s)", text, t->sql);
            sqlite3_finalize(st);
        }
        return;
    }
    if (other)
        return;
    if (!t->positional) {
        /* every bind we found is a parameter SQLite sees (distinct names) */
        int distinct = 0;
        for (int i = 0; i < t->nph; i++) {
            int seen = 0;
            for (int j = 0; j < i && !seen; j++)
                seen = !strcmp(t->names[i], t->names[j]);
            distinct += !seen;
        }
        FZ_CHECK(distinct == colon && !numbered, "we found %d binds, SQLite %d named + %d numbered in: %s",
                 distinct, colon, numbered, text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    if (!db && sqlite3_open(":memory:", &db) != SQLITE_OK)
        abort();
    static int once;
    if (!once) {
        once = 1;
        sqlite3_exec(db, "CREATE TABLE t(a, b, \"c:d\", [e f]); CREATE TABLE \"x:y\"(z)", NULL, NULL, NULL);
    }
    static const unsigned syntaxes[] = { LITE, PG, SQLALC_SYNTAX_BRACKET_IDENTIFIERS, 0 };
    static const int styles[] = { SQLALC_PARAMSTYLE_QMARK, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
                                  SQLALC_PARAMSTYLE_NAMED };
    unsigned sel = data[0];
    unsigned syntax = syntaxes[sel & 3];
    int style = styles[(sel >> 2) % 3];
    char *text = fz_cstr(data + 1, size - 1);

    /* the lexer covers the text exactly, token after token */
    sqlalc__lexer lx;
    sqlalc__token tk;
    size_t len = strlen(text), at = 0;
    sqlalc__lex_init(&lx, text, len, syntax);
    while (sqlalc__lex_next(&lx, &tk) != SQLALC_TOK_END) {
        FZ_CHECK(tk.off == at && tk.len > 0 && tk.off + tk.len <= len,
                 "token at %zu+%zu (expected %zu) in %s", tk.off, tk.len, at, text);
        at += tk.len;
    }
    FZ_CHECK(at == len, "lexer stopped at %zu of %zu", at, len);

    sqlalc__textsql t;
    if (sqlalc__textsql_parse(text, style, syntax, &t) == SQLALC_OK) {
        FZ_CHECK(t.sql && strlen(t.sql) == t.len, "rewritten length");
        for (int i = 0; i < t.nph; i++)
            FZ_CHECK(t.positional ? t.pos[i] >= 0 && t.pos[i] < t.nvalues : t.names[i] && *t.names[i],
                     "placeholder %d", i);
        if (syntax == LITE && style == SQLALC_PARAMSTYLE_QMARK)
            against_sqlite(text, &t);
        sqlalc__textsql_free(&t);
    } else {
        FZ_CHECK(*sqlalc_errmsg(), "parse failed without a message");
    }
    free(text);
    return 0;
}

/*
 * Expression compiler: the fuzz bytes are a little stack program that
 * builds expression trees and statements through the public API only
 * (leaves with hostile values and names, every operator family, IN, LIKE
 * helpers, CASE, functions, casts, subqueries, joins, aliases, compound
 * selects, INSERT/UPDATE/DELETE, upserts, RETURNING).  Every statement is
 * compiled for every dialect in every paramstyle and as literals.
 *
 * Oracle: SQLite itself.  When the SQLite dialect's qmark form prepares,
 * it has exactly as many parameters as the compiler reports (no value
 * became SQL, no placeholder is invented); its literal form prepares with
 * no parameter left.  Raw SQL fragments opt out of the oracle.
 */
#include <sqlite3.h>
#include <sqlalc.h>
#include "fuzz_common.h"

#define STACK 48

static sqlalc_metadata *md;
static sqlalc_table *user, *order;
static sqlite3 *db;
static const sqlalc_dialect *dialects[4];

static void setup(void)
{
    md = sqlalc_metadata_new();
    user = sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                            sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL),
                            sqlalc_column("score", sqlalc_type_float(), 0),
                            sqlalc_column("data", sqlalc_type_large_binary(), 0),
                            sqlalc_column("ok", sqlalc_type_boolean(), 0));
    order =
        sqlalc_table_new(md, "Order", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("user_id", sqlalc_type_integer(), 0, sqlalc_foreign_key("user.id")),
                         sqlalc_column("select", sqlalc_type_text(), 0));
    if (!user || !order)
        abort();
    char *ddl = NULL;
    if (sqlalc_metadata_create_script(md, sqlalc_find_dialect("sqlite"), &ddl) != SQLALC_OK)
        abort();
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_exec(db, ddl, NULL, NULL, NULL) != SQLITE_OK)
        abort();
    sqlalc_free(ddl);
    dialects[0] = NULL;
    dialects[1] = sqlalc_find_dialect("sqlite");
    dialects[2] = sqlalc_find_dialect("postgresql");
    dialects[3] = sqlalc_find_dialect("mssql");
}

typedef struct prog {
    fz f;
    sqlalc_expr *st[STACK];
    int n;
    int raw; /* a raw SQL fragment is in the tree: no oracle */
    char *strs[64];
    int nstrs;
} prog;

static const char *keep(prog *p, char *s)
{
    if (p->nstrs == 64) {
        free(s);
        return "x";
    }
    return p->strs[p->nstrs++] = s;
}

static void push(prog *p, sqlalc_expr *e)
{
    if (p->n == STACK) {
        sqlalc_expr_free(e);
        return;
    }
    p->st[p->n++] = e;
}

/* Pop (an empty stack gives a fresh integer literal). */
static sqlalc_expr *pop(prog *p)
{
    return p->n ? p->st[--p->n] : sqlalc_int((int64_t)fz_byte(&p->f));
}

static const char *name_of(prog *p)
{
    static const char *const names[] = { "x",     "id",  "été",     "a b", "x; DROP TABLE t",
                                         "",      "1a",  "user_id", "p:q", "select",
                                         "\"q\"", "[b]", "naïve_1", "id_1" };
    unsigned k = fz_byte(&p->f);
    if (k < 200)
        return names[k % (sizeof names / sizeof names[0])];
    return keep(p, fz_str(&p->f));
}

static sqlalc_value value_of(prog *p)
{
    size_t n;
    const char *s;
    switch (fz_byte(&p->f) % 7) {
    case 0: return SQLALC_INTV((int64_t)fz_u64(&p->f));
    case 1: return SQLALC_FLOATV(fz_double(&p->f));
    case 2: s = fz_bytes(&p->f, &n); return SQLALC_TEXTNV(s, n);
    case 3: s = fz_bytes(&p->f, &n); return SQLALC_BLOBV(s, n);
    case 4: return SQLALC_BOOLV(fz_byte(&p->f) & 1);
    case 5: return SQLALC_NULLV;
    default: return SQLALC_TEXTV(keep(p, fz_str(&p->f)));
    }
}

static sqlalc_expr *column_of(prog *p)
{
    static const char *const ucols[] = { "id", "name", "score", "data", "ok" };
    static const char *const ocols[] = { "id", "user_id", "select" };
    unsigned k = fz_byte(&p->f);
    if (k & 1)
        return sqlalc_c(order, ocols[(k >> 1) % 3]);
    return sqlalc_c(user, ucols[(k >> 1) % 5]);
}

/* Up to k items from the stack as a list (the caller frees the array). */
static sqlalc_exprs take(prog *p, size_t k, sqlalc_expr **buf)
{
    size_t n = 0;
    while (n < k && p->n)
        buf[n++] = pop(p);
    return (sqlalc_exprs){ n, buf };
}

static sqlalc_stmt *select_of(prog *p);

/* One instruction. */
static void step(prog *p)
{
    unsigned op = fz_byte(&p->f);
    sqlalc_expr *a, *b, *c, *buf[8];
    switch (op % 40) {
    case 0: push(p, column_of(p)); break;
    case 1: push(p, sqlalc_int((int64_t)fz_u64(&p->f))); break;
    case 2: push(p, sqlalc_float(fz_double(&p->f))); break;
    case 3: push(p, sqlalc_str(keep(p, fz_str(&p->f)))); break;
    case 4: push(p, sqlalc_value_expr(value_of(p))); break;
    case 5: {
        const char *nm = name_of(p);
        push(p, sqlalc_bindparam(nm, value_of(p)));
        break;
    }
    case 6: push(p, sqlalc_bindparam_required(name_of(p))); break;
    case 7: push(p, (fz_byte(&p->f) & 1) ? sqlalc_null() : sqlalc_true()); break;
    case 8:
        p->raw = 1;
        push(p, sqlalc_text_sql(keep(p, fz_str(&p->f)), NULL));
        break;
    case 9: {
        static sqlalc_expr *(*const bin[])(sqlalc_expr *, sqlalc_expr *) = { sqlalc_eq,
                                                                             sqlalc_ne,
                                                                             sqlalc_lt,
                                                                             sqlalc_le,
                                                                             sqlalc_gt,
                                                                             sqlalc_ge,
                                                                             sqlalc_is,
                                                                             sqlalc_isnot,
                                                                             sqlalc_add,
                                                                             sqlalc_sub,
                                                                             sqlalc_mul,
                                                                             sqlalc_div,
                                                                             sqlalc_mod,
                                                                             sqlalc_concat,
                                                                             sqlalc_contains,
                                                                             sqlalc_startswith,
                                                                             sqlalc_endswith,
                                                                             sqlalc_contains_autoescape,
                                                                             sqlalc_startswith_autoescape,
                                                                             sqlalc_endswith_autoescape };
        unsigned k = fz_byte(&p->f) % (sizeof bin / sizeof bin[0]);
        b = pop(p);
        a = pop(p);
        push(p, bin[k](a, b));
        break;
    }
    case 10:
        b = pop(p);
        a = pop(p);
        push(p, sqlalc_and_list(SQLALC_EXPRS(a, b)));
        break;
    case 11: push(p, sqlalc_or_list(take(p, 2 + fz_byte(&p->f) % 5, buf))); break;
    case 12: push(p, sqlalc_not(pop(p))); break;
    case 13: push(p, sqlalc_neg(pop(p))); break;
    case 14: {
        a = pop(p);
        push(p, sqlalc_in(a, take(p, fz_byte(&p->f) % 6, buf)));
        break;
    }
    case 15: {
        sqlalc_value vals[6];
        size_t n = fz_byte(&p->f) % 6;
        for (size_t i = 0; i < n; i++)
            vals[i] = value_of(p);
        push(p, sqlalc_in_values(pop(p), vals, n));
        break;
    }
    case 16: {
        a = pop(p);
        push(p, sqlalc_in_expanding(a, name_of(p)));
        break;
    }
    case 17: {
        b = pop(p);
        a = pop(p);
        char esc = (char)fz_byte(&p->f);
        switch (fz_byte(&p->f) % 4) {
        case 0: push(p, sqlalc_like(a, b, esc)); break;
        case 1: push(p, sqlalc_notilike(a, b, esc)); break;
        case 2: push(p, sqlalc_contains_escape(a, b, esc, fz_byte(&p->f) & 1)); break;
        default: push(p, sqlalc_endswith_escape(a, b, esc, fz_byte(&p->f) & 1)); break;
        }
        break;
    }
    case 18:
        c = pop(p);
        b = pop(p);
        a = pop(p);
        push(p, (fz_byte(&p->f) & 1) ? sqlalc_between(a, b, c) : sqlalc_notbetween(a, b, c));
        break;
    case 19: push(p, sqlalc_distinct(pop(p))); break;
    case 20: push(p, sqlalc_cast_kind(pop(p), (int)(fz_byte(&p->f) % 20), (int)fz_byte(&p->f) - 8)); break;
    case 21: {
        /* CASE WHEN c THEN v … [ELSE e] */
        sqlalc_exprs w = take(p, 2 * (1 + fz_byte(&p->f) % 3), buf);
        if (fz_byte(&p->f) & 1)
            push(p, sqlalc_case(w));
        else
            push(p, sqlalc_case_else(w, pop(p)));
        break;
    }
    case 22: {
        static const char *const fns[] = { "lower", "length", "coalesce", "max", "now", "my func", "a\"b" };
        const char *nm = fns[fz_byte(&p->f) % 7];
        push(p, sqlalc_func(nm, take(p, fz_byte(&p->f) % 4, buf)));
        break;
    }
    case 23: push(p, sqlalc_count(pop(p))); break;
    case 24: push(p, sqlalc_count_star()); break;
    case 25: push(p, sqlalc_coalesce(take(p, 1 + fz_byte(&p->f) % 3, buf))); break;
    case 26: push(p, sqlalc_label(pop(p), name_of(p))); break;
    case 27:
        push(p, (fz_byte(&p->f) & 1) ? sqlalc_asc(pop(p)) : sqlalc_nulls_last(sqlalc_desc(pop(p))));
        break;
    case 28: {
        sqlalc_stmt *s = select_of(p);
        push(p, (fz_byte(&p->f) & 1) ? sqlalc_scalar_subquery(s) : sqlalc_exists(s));
        break;
    }
    case 29: {
        a = pop(p);
        push(p, sqlalc_in_select(a, select_of(p)));
        break;
    }
    case 30: {
        sqlalc_expr *fn = sqlalc_func("row_number", SQLALC_NOEXPRS);
        sqlalc_exprs part = take(p, fz_byte(&p->f) % 2, buf);
        push(p, sqlalc_over(fn, part, SQLALC_NOEXPRS));
        break;
    }
    case 31: {
        sqlalc_expr *al = sqlalc_alias(sqlalc_table_expr(user), name_of(p));
        push(p, sqlalc_ac(al, (fz_byte(&p->f) & 1) ? "id" : "name"));
        sqlalc_expr_free(al);
        break;
    }
    case 32: {
        sqlalc_expr *sq = sqlalc_subquery(select_of(p), (fz_byte(&p->f) & 1) ? NULL : name_of(p));
        push(p, sqlalc_ac(sq, "id"));
        sqlalc_expr_free(sq);
        break;
    }
    case 33: push(p, sqlalc_excluded(user, (fz_byte(&p->f) & 1) ? "name" : "nope")); break;
    default: push(p, column_of(p)); break;
    }
}

/* A SELECT of what is on the stack, with modifiers from the input. */
static sqlalc_stmt *select_of(prog *p)
{
    sqlalc_expr *buf[8];
    sqlalc_exprs cols = take(p, 1 + fz_byte(&p->f) % 4, buf);
    if (!cols.n) {
        buf[0] = column_of(p);
        cols.n = 1;
    }
    sqlalc_stmt *s = sqlalc_select_cols(cols);
    unsigned m = fz_byte(&p->f);
    if (m & 1)
        s = sqlalc_where(s, pop(p));
    if (m & 2)
        s = sqlalc_select_from(s, sqlalc_join(sqlalc_table_expr(user), sqlalc_table_expr(order),
                                              (sqlalc_join_kind)(fz_byte(&p->f) % 5)));
    if (m & 4)
        s = sqlalc_group_by(s, take(p, 1, buf));
    if (m & 8)
        s = sqlalc_having(s, pop(p));
    if (m & 16)
        s = sqlalc_order_by(s, take(p, 1 + fz_byte(&p->f) % 2, buf));
    if (m & 32)
        s = sqlalc_limit(s, (int64_t)fz_u64(&p->f));
    if (m & 64)
        s = sqlalc_offset(s, (int64_t)fz_byte(&p->f));
    if (m & 128)
        s = sqlalc_select_distinct(s);
    return s;
}

static sqlalc_stmt *statement_of(prog *p)
{
    sqlalc_expr *buf[8];
    switch (fz_byte(&p->f) % 8) {
    case 0: {
        sqlalc_stmt *a = select_of(p);
        sqlalc_stmt *b = select_of(p);
        return (fz_byte(&p->f) & 1) ? sqlalc_union_all(a, b) : sqlalc_except(a, b);
    }
    case 1: {
        sqlalc_stmt *s = sqlalc_values(sqlalc_insert(user),
                                       SQLALC_KVS(SQLALC_KV("name", pop(p)), SQLALC_KV("score", pop(p))));
        if (fz_byte(&p->f) & 1)
            s = sqlalc_returning(s, take(p, 1, buf));
        return s;
    }
    case 2: {
        sqlalc_stmt *s = sqlalc_values(sqlalc_insert(user), SQLALC_KVS(SQLALC_KV("id", pop(p))));
        return sqlalc_on_conflict_do_update(s, SQLALC_EXPRS(sqlalc_c(user, "id")),
                                            SQLALC_KVS(SQLALC_KV("name", sqlalc_excluded(user, "name"))));
    }
    case 3: {
        sqlalc_stmt *s = sqlalc_values(sqlalc_update(user), SQLALC_KVS(SQLALC_KV(name_of(p), pop(p))));
        return sqlalc_where(s, pop(p));
    }
    case 4: return sqlalc_where(sqlalc_delete(order), pop(p));
    case 5: return sqlalc_insert(order);
    default: return select_of(p);
    }
}

static void check_sqlite(const char *sql, size_t nparams, const char *what)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && st) {
        FZ_CHECK((size_t)sqlite3_bind_parameter_count(st) == nparams,
                 "%s: SQLite sees %d parameters, the compiler reports %zu:\n  %s", what,
                 sqlite3_bind_parameter_count(st), nparams, sql);
    }
    sqlite3_finalize(st);
}

static void compile_everywhere(prog *p, sqlalc_stmt *q)
{
    static const int styles[] = { 0, SQLALC_PARAMSTYLE_QMARK, SQLALC_PARAMSTYLE_NUMERIC_DOLLAR,
                                  SQLALC_PARAMSTYLE_NAMED };
    for (int d = 0; d < 4; d++) {
        (void)sqlalc_stmt_sql(q, dialects[d]);
        for (int k = 0; k < 4; k++) {
            sqlalc_compiled *c;
            if (sqlalc_compile(q, dialects[d], styles[k], &c) != SQLALC_OK) {
                FZ_CHECK(*sqlalc_errmsg(), "compile failed without a message");
                continue;
            }
            const char *sql = sqlalc_compiled_sql(c);
            size_t np = sqlalc_compiled_nparams(c);
            FZ_CHECK(sql, "compiled without SQL");
            for (size_t i = 0; i < np; i++) {
                (void)sqlalc_compiled_param_name(c, i);
                (void)sqlalc_compiled_param_value(c, i);
                (void)sqlalc_compiled_param_type(c, i);
            }
            if (d == 1 && styles[k] == SQLALC_PARAMSTYLE_QMARK && !p->raw)
                check_sqlite(sql, np, "qmark");
            sqlalc_compiled_free(c);
        }
        char *lit = sqlalc_stmt_sql_literal(q, dialects[d]);
        if (lit) {
            if (d == 1 && !p->raw)
                check_sqlite(lit, 0, "literal");
            sqlalc_free(lit);
        } else
            FZ_CHECK(*sqlalc_errmsg(), "literal failed without a message");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    if (!md)
        setup();
    prog p;
    memset(&p, 0, sizeof p);
    p.f = (fz){ data, size, 0 };
    unsigned steps = 0;
    while (fz_more(&p.f) && steps++ < 200) {
        if (fz_byte(&p.f) < 40) {
            sqlalc_stmt *q = statement_of(&p);
            if (q) {
                compile_everywhere(&p, q);
                sqlalc_stmt_free(q);
            }
        } else
            step(&p);
    }
    sqlalc_stmt *q = statement_of(&p);
    if (q) {
        compile_everywhere(&p, q);
        sqlalc_stmt_free(q);
    }
    while (p.n)
        sqlalc_expr_free(p.st[--p.n]);
    for (int i = 0; i < p.nstrs; i++)
        free(p.strs[i]);
    return 0;
}

/* Compiler state: names, parameters, identifiers and literal values. */
#include "compile_int.h"

int sqlalc_compiler_error(sqlalc_compiler *c, int code, const char *msg)
{
    if (!c->err) {
        c->err = code;
        sqlalc_error_set(code, "compile (%s): %s", c->d->name, msg);
    }
    return code;
}

void sqlalc_compiler_puts(sqlalc_compiler *c, const char *s)
{
    puts_(c, s);
}

void sqlalc_compiler_literal_int(sqlalc_compiler *c, int64_t v)
{
    char tmp[24];
    int k = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        tmp[--k] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        tmp[--k] = '-';
    put(c, tmp + k, sizeof tmp - (size_t)k);
}

/* An identifier, quoted when the dialect needs it (quote.c has the rule);
 * the answer is memoised per name pointer (the same table and column
 * names recur, and the reserved-word lookup is costly). */
void ident(sqlalc_compiler *c, const char *s)
{
    size_t slot = ((uintptr_t)s >> 3) & (SQLALC_ARRAY_LEN(c->qmemo) - 1);
    int q;
    if (c->qmemo[slot].p == s)
        q = c->qmemo[slot].q;
    else {
        q = sqlalc__ident_needs_quote(c->d, s);
        c->qmemo[slot].p = s;
        c->qmemo[slot].q = q;
    }
    if (!q)
        puts_(c, s);
    else
        sqlalc__ident_append(&c->cur->buf, c->d, s, 1);
}

void table_name(sqlalc_compiler *c, const struct sqlalc_table *t)
{
    if (t->schema) {
        ident(c, t->schema);
        putc_(c, '.');
    }
    ident(c, t->name);
}

/* Anonymous name base_N, numbered per base in rendering order.  Returns
 * its offset in c->names. */
size_t anon_name(sqlalc_compiler *c, const char *base)
{
    if (c->names.oom) {
        sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
        return 0;
    }
    size_t bl = strlen(base), i;
    if (c->nanon <= ANON_INLINE) {
        for (i = 0; i < c->nanon; i++)
            if (c->anon[i].len == bl && !memcmp(c->names.p + c->anon[i].off, base, bl))
                break;
    } else {
        void *v = sqlalc_map_get(&c->anon_map, base, bl);
        i = v ? (size_t)((uintptr_t)v - 1) : c->nanon;
    }
    if (i == c->nanon) {
        if (VGROW(c, &c->anon, &c->capanon, c->anon_inline, c->nanon + 1))
            return 0;
        c->anon[i].off = c->names.len;
        c->anon[i].len = bl;
        c->anon[i].n = 0;
        sqlalc_buf_append(&c->names, base, bl);
        sqlalc_buf_putc(&c->names, 0);
        c->nanon++;
        if (c->names.oom)
            return 0;
        /* Past the inline ones, a map keeps the lookup constant. */
        if (c->nanon > ANON_INLINE) {
            size_t from = c->nanon == ANON_INLINE + 1 ? 0 : c->nanon - 1;
            for (size_t k = from; k < c->nanon; k++)
                if (sqlalc_map_put(&c->anon_map, c->names.p + c->anon[k].off, c->anon[k].len,
                                   (void *)(uintptr_t)(k + 1))) {
                    sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
                    return 0;
                }
        }
    }
    return name_n(c, c->names.p + c->anon[i].off, (size_t)++c->anon[i].n);
}

/* Append "s_n" to the names (s may point into them); returns its offset. */
size_t name_n(sqlalc_compiler *c, const char *s, size_t n)
{
    size_t off = c->names.len, sl = strlen(s);
    char digits[24];
    int k = sizeof digits;
    digits[--k] = 0;
    do
        digits[--k] = (char)('0' + n % 10);
    while ((n /= 10) && k > 1);
    digits[--k] = '_';
    /* s may point into the names, which the append may move: copy it */
    char local[64];
    char *heap = NULL;
    if (c->names.p && s >= c->names.p && s < c->names.p + c->names.len) {
        if (sl < sizeof local)
            s = memcpy(local, s, sl);
        else if (!(s = heap = sqlalc__strndup(s, sl))) {
            c->names.oom = 1;
            return off;
        }
    }
    sqlalc_buf_append(&c->names, s, sl);
    sqlalc_buf_append(&c->names, digits + k, sizeof digits - (size_t)k);
    sqlalc_free(heap);
    return off;
}

size_t add_name(sqlalc_compiler *c, const char *s)
{
    size_t off = c->names.len;
    sqlalc_buf_puts(&c->names, s);
    sqlalc_buf_putc(&c->names, 0);
    return off;
}

const char *name_at(sqlalc_compiler *c, size_t off)
{
    return c->names.oom ? "" : c->names.p + off;
}

int value_type_kind(const sqlalc_value *v)
{
    if (!v)
        return SQLALC_TYPE_NULL;
    switch (v->type) {
    case SQLALC_V_INT: return SQLALC_TYPE_INTEGER;
    case SQLALC_V_FLOAT: return SQLALC_TYPE_FLOAT;
    case SQLALC_V_TEXT: return SQLALC_TYPE_STRING;
    case SQLALC_V_BLOB: return SQLALC_TYPE_LARGE_BINARY;
    case SQLALC_V_BOOL: return SQLALC_TYPE_BOOLEAN;
    case SQLALC_V_NUMERIC: return SQLALC_TYPE_NUMERIC;
    case SQLALC_V_DATE: return SQLALC_TYPE_DATE;
    case SQLALC_V_TIME: return SQLALC_TYPE_TIME;
    case SQLALC_V_DATETIME: return SQLALC_TYPE_DATETIME;
    case SQLALC_V_INTERVAL: return SQLALC_TYPE_INTERVAL;
    case SQLALC_V_JSON: return SQLALC_TYPE_JSON;
    case SQLALC_V_UUID: return SQLALC_TYPE_UUID;
    default: return SQLALC_TYPE_NULL;
    }
}

/* A value as SQL literal text (debug form only). */
/* What version-2 hooks say about literals (older hooks: the defaults). */
static int blob_style(const sqlalc_compiler *c)
{
    return c->h->version >= 2 ? c->h->blob_literal : SQLALC_BLOB_LITERAL_X;
}
static int float_style(const sqlalc_compiler *c)
{
    return c->h->version >= 2 ? c->h->float_literal : SQLALC_FLOAT_LITERAL_FINITE;
}

/* A value as SQL literal text (the debug form, and IN lists past a
 * parameter ceiling), per dialect; what a dialect cannot write as a
 * literal is refused with an error, never written wrong. */
void literal_value(sqlalc_compiler *c, const sqlalc_value *v)
{
    char tmp[40];
    if (!v) {
        PUTS(c, "NULL");
        return;
    }
    switch (v->type) {
    case SQLALC_V_NULL: PUTS(c, "NULL"); return;
    case SQLALC_V_INT: sqlalc_compiler_literal_int(c, v->u.i); return;
    case SQLALC_V_BOOL:
        if (c->h->native_boolean)
            puts_(c, v->u.i ? "true" : "false");
        else
            putc_(c, v->u.i ? '1' : '0');
        return;
    case SQLALC_V_FLOAT: {
        double f = v->u.f;
        if (f == f && f - f == 0) { /* finite */
            put(c, tmp, (size_t)snprintf(tmp, sizeof tmp, "%.17g", f));
            return;
        }
        int st = float_style(c);
        if (st == SQLALC_FLOAT_LITERAL_QUOTED)
            puts_(c, f != f  ? "CAST('NaN' AS FLOAT)"
                     : f > 0 ? "CAST('Infinity' AS FLOAT)"
                             : "CAST('-Infinity' AS FLOAT)");
        else if (st == SQLALC_FLOAT_LITERAL_OVERFLOW && f == f)
            puts_(c, f > 0 ? "9e999" : "-9e999"); /* parsed as the infinity it overflows to */
        else
            sqlalc_compiler_error(c, SQLALC_ERR_DATA,
                                  f != f ? "literal rendering: NaN has no SQL literal in this dialect"
                                         : "literal rendering: infinity has no SQL literal in this dialect");
        return;
    }
    case SQLALC_V_BLOB: {
        static const char hex[] = "0123456789ABCDEF";
        int st = blob_style(c);
        puts_(c, st == SQLALC_BLOB_LITERAL_0X ? "0x" : st == SQLALC_BLOB_LITERAL_BYTEA ? "decode('" : "X'");
        for (size_t i = 0; i < v->u.s.len; i++) {
            unsigned char b = (unsigned char)v->u.s.p[i];
            putc_(c, hex[b >> 4]);
            putc_(c, hex[b & 15]);
        }
        if (st == SQLALC_BLOB_LITERAL_0X && !v->u.s.len)
            putc_(c, '0'); /* 0x alone is not a literal: 0x0 is the empty binary */
        else if (st == SQLALC_BLOB_LITERAL_BYTEA)
            PUTS(c, "', 'hex')");
        else if (st != SQLALC_BLOB_LITERAL_0X)
            putc_(c, '\'');
        return;
    }
    default: {
        size_t n = v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
        if (memchr(v->u.s.p, 0, n)) {
            sqlalc_compiler_error(c, SQLALC_ERR_DATA,
                                  "literal rendering: a text value with an embedded NUL has no SQL literal "
                                  "(bind it instead)");
            return;
        }
        putc_(c, '\'');
        for (size_t i = 0; i < n; i++) {
            putc_(c, v->u.s.p[i]);
            if (v->u.s.p[i] == '\'')
                putc_(c, '\'');
        }
        putc_(c, '\'');
    }
    }
}

/* Emit a placeholder for a parameter named names[off] with value v. */
void emit_param(sqlalc_compiler *c, size_t off, const sqlalc_value *v, int type)
{
    if (c->style == COMPILE_LITERAL) {
        literal_value(c, v);
        return;
    }
    if (c->style == 0) {
        putc_(c, ':');
        puts_(c, name_at(c, off));
    } else
        putc_(c, MARK);
    sqlalc_cparam p = { .name_off = off, .value = v, .type = type };
    if (seg_push_param(c, c->cur, &p))
        c->total_params++;
}

int seg_push_param(sqlalc_compiler *c, seg *s, const sqlalc_cparam *p)
{
    if (s->np == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        sqlalc_cparam *np = sqlalc__realloc(s->params, nc * sizeof *np);
        if (!np) {
            sqlalc_compiler_error(c, SQLALC_ERR_NOMEM, "out of memory");
            return 0;
        }
        s->params = np;
        s->cap = nc;
    }
    s->params[s->np++] = *p;
    return 1;
}

void sqlalc_compiler_param(sqlalc_compiler *c, const sqlalc_value *v)
{
    emit_param(c, anon_name(c, "param"), v, value_type_kind(v));
}

static const sqlalc_value static_ints[3] = {
    { .type = SQLALC_V_INT, .u.i = -1 },
    { .type = SQLALC_V_INT, .u.i = 0 },
    { .type = SQLALC_V_INT, .u.i = 1 },
};

const sqlalc_value *sqlalc__compile_static_value(int k)
{
    return k >= 0 && k < 3 ? &static_ints[k] : NULL;
}

int sqlalc__compile_static_index(const sqlalc_value *v)
{
    for (int k = 0; k < 3; k++)
        if (v == &static_ints[k])
            return k;
    return -1;
}

void sqlalc_compiler_param_const(sqlalc_compiler *c, int v)
{
    if (v < -1 || v > 1) {
        sqlalc_compiler_error(c, SQLALC_ERR_ARGUMENT, "sqlalc_compiler_param_const: only -1, 0, 1");
        return;
    }
    sqlalc_compiler_param(c, &static_ints[v + 1]);
}

/* ------------------------------------------------------------------ */
/* Keys: what an anonymous bind is named after                         */
/* ------------------------------------------------------------------ */

const char *expr_key(const sqlalc_expr *e)
{
    if (!e)
        return NULL;
    switch (e->kind) {
    case SQLALC_NK_COLUMN: return ((const struct sqlalc_column_node *)e)->name;
    case NK_ALIAS_COL:
    case NK_EXCLUDED: return ((const struct aliascol *)e)->name;
    case NK_FUNC: return ((const struct func *)e)->name;
    case NK_LABEL: return ((const struct label *)e)->name;
    case NK_COLCLAUSE: return ((const struct colclause *)e)->name;
    default: return NULL;
    }
}

/* The kind a parameter takes from a type, as the driver is told it
 * (sqlalc_driver.bind_typed): the variant for this dialect, a domain's
 * base, and a user-named N-type (NVARCHAR(30), NCHAR, NTEXT) is Unicode,
 * so that drivers bind text as national characters only for those. */
int sqlalc__cc_type_param_kind(const sqlalc_compiler *c, const sqlalc_type *t)
{
    if (!t)
        return SQLALC_TYPE_NULL;
    for (size_t i = 0; c && c->d && c->d->name && i < t->nvariants; i++)
        if (!strcmp(t->variants[i].dialect, c->d->name)) {
            t = t->variants[i].type;
            break;
        }
    if (t->kind == SQLALC_TYPE_DOMAIN && t->base)
        t = t->base;
    if (t->kind == SQLALC_TYPE_USER && t->name && (t->name[0] == 'N' || t->name[0] == 'n') &&
        (!sqlalc__strncasecmp(t->name + 1, "VARCHAR", 7) || !sqlalc__strncasecmp(t->name + 1, "CHAR", 4) ||
         !sqlalc__strncasecmp(t->name + 1, "TEXT", 4)))
        return SQLALC_TYPE_UNICODE;
    return (int)t->kind;
}

int expr_type_kind(const sqlalc_compiler *c, const sqlalc_expr *e)
{
    if (!e)
        return SQLALC_TYPE_NULL;
    if (e->kind == SQLALC_NK_COLUMN)
        return sqlalc__cc_type_param_kind(c, ((const struct sqlalc_column_node *)e)->type);
    if (e->kind == NK_ALIAS_COL || e->kind == NK_EXCLUDED)
        return expr_type_kind(c, ((const struct aliascol *)e)->inner);
    if (e->kind == NK_COLCLAUSE)
        return ((const struct colclause *)e)->kind;
    if (e->type)
        return sqlalc__cc_type_param_kind(c, e->type);
    return SQLALC_TYPE_NULL;
}

/*
 * Display: write a result as an aligned text table (psql's look), CSV
 * (RFC 4180) or JSON.  The table needs every row to size its columns, so
 * it buffers them in a rowset; CSV and JSON stream row by row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_priv.h"

/* ------------------------------------------------------------------ */
/* Cell text                                                           */
/* ------------------------------------------------------------------ */

/* Shortest text that reads back as the same double, keeping a ".0" on
 * integral values so a float column still reads as one (180.0, not 180). */
static void put_double(sqlalc_buf *b, double d, int json)
{
    char s[64];
    if (isnan(d) || isinf(d)) {
        /* JSON has no spelling for these; PostgreSQL's are used elsewhere. */
        sqlalc_buf_puts(b, json ? "null" : isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(s, sizeof s, "%.*g", prec, d);
        if (strtod(s, NULL) == d)
            break;
    }
    sqlalc_buf_append(b, s, (size_t)n);
    if (strspn(s, "-0123456789") == (size_t)n)
        sqlalc_buf_puts(b, ".0");
}

static size_t vlen(const sqlalc_value *v)
{
    return v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
}

/* Blobs in text and CSV: PostgreSQL's bytea hex form, "\x0aff". */
static void put_hex(sqlalc_buf *b, const unsigned char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sqlalc_buf_puts(b, "\\x");
    for (size_t i = 0; i < n; i++) {
        sqlalc_buf_putc(b, hex[p[i] >> 4]);
        sqlalc_buf_putc(b, hex[p[i] & 15]);
    }
}

/* Blobs in JSON: standard base64 with padding. */
static void put_base64(sqlalc_buf *b, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned x = (unsigned)p[i] << 16;
        if (i + 1 < n)
            x |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            x |= p[i + 2];
        sqlalc_buf_putc(b, tab[(x >> 18) & 63]);
        sqlalc_buf_putc(b, tab[(x >> 12) & 63]);
        sqlalc_buf_putc(b, i + 1 < n ? tab[(x >> 6) & 63] : '=');
        sqlalc_buf_putc(b, i + 2 < n ? tab[x & 63] : '=');
    }
}

/* The plain text of a value (table and CSV); NULL gives "". */
static void put_plain(sqlalc_buf *b, const sqlalc_value *v)
{
    switch (v->type) {
    case SQLALC_V_NULL: break;
    case SQLALC_V_INT: sqlalc_buf_printf(b, "%lld", (long long)v->u.i); break;
    case SQLALC_V_BOOL: sqlalc_buf_puts(b, v->u.i ? "true" : "false"); break;
    case SQLALC_V_FLOAT: put_double(b, v->u.f, 0); break;
    case SQLALC_V_BLOB: put_hex(b, (const unsigned char *)v->u.s.p, v->u.s.len); break;
    default: sqlalc_buf_append(b, v->u.s.p, vlen(v)); break;
    }
}

static int is_number(const sqlalc_value *v)
{
    return v->type == SQLALC_V_INT || v->type == SQLALC_V_FLOAT || v->type == SQLALC_V_NUMERIC;
}

/* ------------------------------------------------------------------ */
/* UTF-8 display width                                                 */
/* ------------------------------------------------------------------ */

/* Decode one code point; invalid bytes decode as themselves (one column
 * each) so broken text still lines up approximately. */
static size_t utf8_next(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned c = p[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    if (len == 1) {
        *cp = c;
        return 1;
    }
    unsigned x = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        x = (x << 6) | (p[i] & 0x3F);
    }
    *cp = x;
    return len;
}

static int in_ranges(unsigned cp, const unsigned (*r)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i][0] && cp <= r[i][1])
            return 1;
    return 0;
}

/* Columns a code point takes on a terminal: 0 for combining marks and
 * zero-width characters, 2 for East Asian wide and emoji, else 1. */
static int cp_width(unsigned cp)
{
    static const unsigned zero[][2] = { { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
                                        { 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0E31, 0x0E31 },
                                        { 0x0E34, 0x0E3A }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
                                        { 0x200B, 0x200F }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
                                        { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF } };
    static const unsigned wide[][2] = { { 0x1100, 0x115F },   { 0x2E80, 0x303E },   { 0x3041, 0x33FF },
                                        { 0x3400, 0x4DBF },   { 0x4E00, 0x9FFF },   { 0xA000, 0xA4CF },
                                        { 0xAC00, 0xD7A3 },   { 0xF900, 0xFAFF },   { 0xFE30, 0xFE4F },
                                        { 0xFF00, 0xFF60 },   { 0xFFE0, 0xFFE6 },   { 0x1F300, 0x1F64F },
                                        { 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD } };
    if (cp < 0x300)
        return 1;
    if (in_ranges(cp, zero, SQLALC_ARRAY_LEN(zero)))
        return 0;
    return in_ranges(cp, wide, SQLALC_ARRAY_LEN(wide)) ? 2 : 1;
}

/* Table cells show control characters as C escapes (\n, \t, \x1b), so
 * every row stays on one line. */
static void put_table_text(sqlalc_buf *out, const char *s, size_t n, size_t *width)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7F) {
            char e[8];
            int k = c == '\n'   ? snprintf(e, sizeof e, "\\n")
                    : c == '\r' ? snprintf(e, sizeof e, "\\r")
                    : c == '\t' ? snprintf(e, sizeof e, "\\t")
                                : snprintf(e, sizeof e, "\\x%02x", c);
            if (out)
                sqlalc_buf_append(out, e, (size_t)k);
            w += (size_t)k;
            i++;
            continue;
        }
        unsigned cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (out)
            sqlalc_buf_append(out, s + i, len);
        w += (size_t)cp_width(cp);
        i += len;
    }
    if (width)
        *width = w;
}

/* ------------------------------------------------------------------ */
/* Output helpers                                                      */
/* ------------------------------------------------------------------ */

/* Write the line buffer out; reports buffer OOM or a write error. */
static int flush_line(sqlalc_buf *line, FILE *f)
{
    if (line->oom)
        return sqlalc__oom();
    if (line->len && fwrite(line->p, 1, line->len, f) != line->len)
        return sqlalc_error_set(SQLALC_ERR_GENERIC, "writing the result failed");
    sqlalc_buf_reset(line);
    return SQLALC_OK;
}

static void pad(sqlalc_buf *b, size_t n)
{
    while (n--)
        sqlalc_buf_putc(b, ' ');
}

/* Column names while the result still has its statement.  A result that
 * was already read to its end has none: columns are then "?column?". */
static const char *col_name(sqlalc_result *res, int i)
{
    if (!res->st)
        return "?column?";
    const char *n = res->drv->column_name(res->st, i);
    return n ? n : "?column?";
}

/* ------------------------------------------------------------------ */
/* Table                                                               */
/* ------------------------------------------------------------------ */

static int print_table(sqlalc_result *res, FILE *f, size_t max_rows)
{
    sqlalc_rowset *rs = NULL;
    int ncols = res->ncols;
    if (ncols == 0) {
        /* A statement without columns (INSERT, UPDATE…): say what it did. */
        int64_t n = sqlalc_result_rowcount(res);
        if (n >= 0)
            fprintf(f, "(%lld row%s affected)\n", (long long)n, n == 1 ? "" : "s");
        return ferror(f) ? sqlalc_error_set(SQLALC_ERR_GENERIC, "writing the result failed") : SQLALC_OK;
    }
    /* Names before fetching: the rowset only copies them while the
     * statement is open. */
    int rc = sqlalc_result_fetchmany(res, max_rows, &rs);
    if (rc)
        return rc;
    size_t nrows = rs->n;
    size_t *width = sqlalc__calloc((size_t)ncols, sizeof *width);
    unsigned char *numeric = sqlalc__calloc((size_t)ncols, 1);
    sqlalc_buf cell = SQLALC_BUF_INIT, line = SQLALC_BUF_INIT;
    if (!width || !numeric) {
        rc = SQLALC_ERR_NOMEM;
        goto done;
    }
    const char *const *names = (const char *const *)rs->names;

    /* Pass 1: widths, and which columns hold only numbers (right-aligned). */
    for (int c = 0; c < ncols; c++) {
        const char *n = names && names[c] ? names[c] : "?column?";
        put_table_text(NULL, n, strlen(n), &width[c]);
        numeric[c] = 2; /* unknown until a non-NULL value is seen */
    }
    for (size_t r = 0; r < nrows; r++) {
        const sqlalc_value *vals = rs->rows[r].vals;
        for (int c = 0; c < ncols; c++) {
            const sqlalc_value *v = &vals[c];
            if (v->type != SQLALC_V_NULL)
                numeric[c] = numeric[c] && is_number(v);
            sqlalc_buf_reset(&cell);
            put_plain(&cell, v);
            if (cell.oom) {
                rc = sqlalc__oom();
                goto done;
            }
            size_t w;
            put_table_text(NULL, cell.p ? cell.p : "", cell.len, &w);
            if (w > width[c])
                width[c] = w;
        }
    }

    /* Header (names centred, as psql does) and the rule under it. */
    for (int c = 0; c < ncols; c++) {
        const char *n = names && names[c] ? names[c] : "?column?";
        size_t w;
        put_table_text(NULL, n, strlen(n), &w);
        size_t left = (width[c] - w) / 2;
        sqlalc_buf_puts(&line, c ? "| " : " ");
        pad(&line, left);
        put_table_text(&line, n, strlen(n), NULL);
        pad(&line, width[c] - w - left + 1);
    }
    sqlalc_buf_putc(&line, '\n');
    for (int c = 0; c < ncols; c++) {
        if (c)
            sqlalc_buf_putc(&line, '+');
        for (size_t i = 0; i < width[c] + 2; i++)
            sqlalc_buf_putc(&line, '-');
    }
    sqlalc_buf_putc(&line, '\n');
    if ((rc = flush_line(&line, f)))
        goto done;

    /* Rows: numbers right-aligned, the rest left-aligned; no trailing
     * blanks after the last column. */
    for (size_t r = 0; r < nrows; r++) {
        const sqlalc_value *vals = rs->rows[r].vals;
        for (int c = 0; c < ncols; c++) {
            sqlalc_buf_reset(&cell);
            put_plain(&cell, &vals[c]);
            if (cell.oom) {
                rc = sqlalc__oom();
                goto done;
            }
            size_t w;
            put_table_text(NULL, cell.p ? cell.p : "", cell.len, &w);
            sqlalc_buf_puts(&line, c ? " | " : " ");
            int right = numeric[c] == 1;
            if (right)
                pad(&line, width[c] - w);
            put_table_text(&line, cell.p ? cell.p : "", cell.len, NULL);
            if (!right && c + 1 < ncols)
                pad(&line, width[c] - w);
        }
        sqlalc_buf_putc(&line, '\n');
        if ((rc = flush_line(&line, f)))
            goto done;
    }
    sqlalc_buf_printf(&line, "(%zu row%s)\n", nrows, nrows == 1 ? "" : "s");
    rc = flush_line(&line, f);
done:
    sqlalc_buf_free(&cell);
    sqlalc_buf_free(&line);
    sqlalc_free(width);
    sqlalc_free(numeric);
    sqlalc_rowset_free(rs);
    return rc;
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */
/* ------------------------------------------------------------------ */

/* RFC 4180: a field holding a comma, quote, CR or LF is quoted, quotes
 * doubled.  An empty string is written "" so it differs from NULL (an
 * empty field), as PostgreSQL's COPY … CSV does. */
static void put_csv_field(sqlalc_buf *b, const char *s, size_t n, int is_null)
{
    if (is_null)
        return;
    int quote = n == 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        sqlalc_buf_append(b, s, n);
        return;
    }
    sqlalc_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            sqlalc_buf_putc(b, '"');
        sqlalc_buf_putc(b, s[i]);
    }
    sqlalc_buf_putc(b, '"');
}

static int print_csv(sqlalc_result *res, FILE *f, size_t max_rows)
{
    int ncols = res->ncols, rc = SQLALC_OK;
    sqlalc_buf line = SQLALC_BUF_INIT, cell = SQLALC_BUF_INIT;
    if (ncols == 0)
        return SQLALC_OK;
    for (int c = 0; c < ncols; c++) {
        const char *n = col_name(res, c);
        if (c)
            sqlalc_buf_putc(&line, ',');
        put_csv_field(&line, n, strlen(n), 0);
    }
    sqlalc_buf_puts(&line, "\r\n");
    if ((rc = flush_line(&line, f)))
        goto done;
    const sqlalc_row *row;
    for (size_t r = 0; max_rows == 0 || r < max_rows; r++) {
        rc = sqlalc_result_next(res, &row);
        if (rc == SQLALC_DONE) {
            rc = SQLALC_OK;
            break;
        }
        if (rc != SQLALC_ROW)
            goto done;
        for (int c = 0; c < ncols; c++) {
            sqlalc_value v;
            if ((rc = sqlalc_row_get_value(row, c, &v)))
                goto done;
            if (c)
                sqlalc_buf_putc(&line, ',');
            sqlalc_buf_reset(&cell);
            put_plain(&cell, &v);
            if (cell.oom) {
                rc = sqlalc__oom();
                goto done;
            }
            put_csv_field(&line, cell.p ? cell.p : "", cell.len, v.type == SQLALC_V_NULL);
        }
        sqlalc_buf_puts(&line, "\r\n");
        if ((rc = flush_line(&line, f)))
            goto done;
    }
    rc = SQLALC_OK;
done:
    sqlalc_buf_free(&line);
    sqlalc_buf_free(&cell);
    return rc;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

/* A JSON string: quotes, backslashes and control characters escaped;
 * invalid UTF-8 bytes become U+FFFD so the output stays valid JSON. */
static void put_json_string(sqlalc_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    sqlalc_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            sqlalc_buf_putc(b, '\\');
            sqlalc_buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\b': sqlalc_buf_puts(b, "\\b"); break;
            case '\f': sqlalc_buf_puts(b, "\\f"); break;
            case '\n': sqlalc_buf_puts(b, "\\n"); break;
            case '\r': sqlalc_buf_puts(b, "\\r"); break;
            case '\t': sqlalc_buf_puts(b, "\\t"); break;
            default: sqlalc_buf_printf(b, "\\u%04x", c); break;
            }
            i++;
        } else if (c < 0x80) {
            sqlalc_buf_putc(b, (char)c);
            i++;
        } else {
            unsigned cp;
            size_t len = utf8_next(p + i, n - i, &cp);
            /* Reject overlong forms and surrogates too. */
            if (cp == 0xFFFD || (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
                sqlalc_buf_puts(b, "\\ufffd");
            else
                sqlalc_buf_append(b, s + i, len);
            i += len;
        }
    }
    sqlalc_buf_putc(b, '"');
}

/* Does s spell a JSON number?  (NUMERIC text such as "12.50" does.) */
static int json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return 0;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i == n;
}

static void put_json_value(sqlalc_buf *b, const sqlalc_value *v)
{
    switch (v->type) {
    case SQLALC_V_NULL: sqlalc_buf_puts(b, "null"); break;
    case SQLALC_V_INT: sqlalc_buf_printf(b, "%lld", (long long)v->u.i); break;
    case SQLALC_V_BOOL: sqlalc_buf_puts(b, v->u.i ? "true" : "false"); break;
    case SQLALC_V_FLOAT: put_double(b, v->u.f, 1); break;
    case SQLALC_V_BLOB:
        sqlalc_buf_putc(b, '"');
        put_base64(b, (const unsigned char *)v->u.s.p, v->u.s.len);
        sqlalc_buf_putc(b, '"');
        break;
    default:
        /* NUMERIC that spells a number is one; "NaN" and other kinds stay strings. */
        if (v->type == SQLALC_V_NUMERIC && json_number(v->u.s.p, vlen(v)))
            sqlalc_buf_append(b, v->u.s.p, vlen(v));
        else
            put_json_string(b, v->u.s.p, vlen(v));
        break;
    }
}

static int print_json(sqlalc_result *res, FILE *f, size_t max_rows)
{
    int ncols = res->ncols, rc = SQLALC_OK;
    sqlalc_buf keys = SQLALC_BUF_INIT, line = SQLALC_BUF_INIT;
    size_t *koff = sqlalc__calloc((size_t)ncols + 1, sizeof *koff);
    if (!koff)
        return SQLALC_ERR_NOMEM;
    /* Escaped keys rendered once: "name": */
    for (int c = 0; c < ncols; c++) {
        koff[c] = keys.len;
        const char *n = col_name(res, c);
        put_json_string(&keys, n, strlen(n));
        sqlalc_buf_puts(&keys, ": ");
    }
    koff[ncols] = keys.len;
    if (keys.oom) {
        rc = sqlalc__oom();
        goto done;
    }
    sqlalc_buf_putc(&line, '[');
    size_t r = 0;
    const sqlalc_row *row;
    while (max_rows == 0 || r < max_rows) {
        rc = sqlalc_result_next(res, &row);
        if (rc == SQLALC_DONE)
            break;
        if (rc != SQLALC_ROW)
            goto done;
        sqlalc_buf_puts(&line, r ? ",\n  {" : "\n  {");
        for (int c = 0; c < ncols; c++) {
            sqlalc_value v;
            if ((rc = sqlalc_row_get_value(row, c, &v)))
                goto done;
            if (c)
                sqlalc_buf_puts(&line, ", ");
            sqlalc_buf_append(&line, keys.p + koff[c], koff[c + 1] - koff[c]);
            put_json_value(&line, &v);
        }
        sqlalc_buf_putc(&line, '}');
        if ((rc = flush_line(&line, f)))
            goto done;
        r++;
    }
    sqlalc_buf_puts(&line, r ? "\n]\n" : "]\n");
    rc = flush_line(&line, f);
done:
    sqlalc_buf_free(&keys);
    sqlalc_buf_free(&line);
    sqlalc_free(koff);
    return rc;
}

int sqlalc_result_print(sqlalc_result *res, FILE *f, sqlalc_format fmt, size_t max_rows)
{
    if (!res || !f)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result_print: %s is NULL",
                                res ? "the file" : "the result");
    int rc;
    switch (fmt) {
    case SQLALC_FORMAT_TABLE: rc = print_table(res, f, max_rows); break;
    case SQLALC_FORMAT_CSV: rc = print_csv(res, f, max_rows); break;
    case SQLALC_FORMAT_JSON: rc = print_json(res, f, max_rows); break;
    default: return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result_print: unknown format %d", (int)fmt);
    }
    if (rc == SQLALC_OK && fflush(f) != 0)
        rc = sqlalc_error_set(SQLALC_ERR_GENERIC, "writing the result failed");
    return rc;
}

/*
 * Display: write a result as an aligned text table (psql's look), CSV
 * (RFC 4180) or JSON.  The table sizes its columns on the first rows (a
 * rowset of at most sample_rows) and streams the rest; CSV and JSON
 * stream row by row.  So memory stays flat whatever the result's size.
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
/* Print state shared by the formats                                   */
/* ------------------------------------------------------------------ */

typedef struct print_ctx {
    sqlalc_print_options *o;
    uint64_t rows;   /* rows printed so far */
    size_t max_rows; /* 0: all */
    uint64_t next_progress;
} print_ctx;

#define PROGRESS_EVERY 4096u

/* After each printed row: the progress callback, every PROGRESS_EVERY
 * rows (cheap enough for the hot loop). */
static int row_done(print_ctx *p)
{
    p->rows++;
    if (p->o && p->o->progress && p->rows >= p->next_progress) {
        p->next_progress = p->rows + PROGRESS_EVERY;
        if (p->o->progress(p->o->progress_ctx, p->rows) != 0)
            return sqlalc_error_set(SQLALC_ERR_GENERIC, "printing stopped by the progress callback");
    }
    return SQLALC_OK;
}

static int want_more(const print_ctx *p)
{
    return p->max_rows == 0 || p->rows < p->max_rows;
}

/* max_rows reached: read one more row to tell whether the output was cut. */
static int check_more(print_ctx *p, sqlalc_result *res)
{
    if (!p->o || p->max_rows == 0 || p->rows < p->max_rows)
        return SQLALC_OK;
    const sqlalc_row *row;
    int rc = sqlalc_result_next(res, &row);
    if (rc == SQLALC_ROW)
        p->o->more = 1;
    return rc == SQLALC_ROW || rc == SQLALC_DONE ? SQLALC_OK : rc;
}

/* ------------------------------------------------------------------ */
/* Table                                                               */
/* ------------------------------------------------------------------ */

#define DEFAULT_SAMPLE_ROWS 1000u
#define MIN_FIT_WIDTH 3u /* a shrunk column keeps this many terminal columns ("ab…") */

/* Write s into a cell of `width` columns: whole when it fits, otherwise
 * cut to width - 1 columns and ended by "…" (only when fit is set;
 * otherwise it overflows and the caller widens the column). */
static void put_cell_text(sqlalc_buf *out, const char *s, size_t n, size_t w, size_t width, int fit,
                          size_t *shown)
{
    if (w <= width || !fit) {
        put_table_text(out, s, n, NULL);
        *shown = w;
        return;
    }
    /* Walk the text as put_table_text does, stopping before width - 1. */
    const unsigned char *p = (const unsigned char *)s;
    size_t used = 0, limit = width ? width - 1 : 0;
    for (size_t i = 0; i < n;) {
        size_t len, cw;
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7F) {
            len = 1;
            cw = c == '\n' || c == '\r' || c == '\t' ? 2 : 4;
        } else {
            unsigned cp;
            len = utf8_next(p + i, n - i, &cp);
            cw = (size_t)cp_width(cp);
        }
        if (used + cw > limit)
            break;
        put_table_text(out, s + i, len, NULL);
        used += cw;
        i += len;
    }
    if (width) {
        sqlalc_buf_puts(out, "\xe2\x80\xa6"); /* … */
        used++;
    }
    *shown = used;
}

/* Fit the columns into max_width terminal columns: cap every column at
 * the largest width T for which the line fits (the widest shrink first,
 * as if shaved one column at a time), never below MIN_FIT_WIDTH. */
static void fit_widths(size_t *width, int ncols, size_t max_width)
{
    size_t overhead = (size_t)ncols * 3 - 1, total = overhead, widest = 0;
    for (int c = 0; c < ncols; c++) {
        total += width[c];
        if (width[c] > widest)
            widest = width[c];
    }
    if (max_width == 0 || total <= max_width || widest <= MIN_FIT_WIDTH)
        return;
    size_t lo = MIN_FIT_WIDTH, hi = widest; /* largest T in [lo, hi] that fits, else lo */
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2, sum = overhead;
        for (int c = 0; c < ncols; c++)
            sum += width[c] < mid ? width[c] : mid;
        if (sum <= max_width)
            lo = mid;
        else
            hi = mid - 1;
    }
    for (int c = 0; c < ncols; c++)
        if (width[c] > lo)
            width[c] = lo;
}

typedef struct table_state {
    int ncols;
    size_t *width;
    unsigned char *numeric;
    int fit;
    sqlalc_buf cell, line;
} table_state;

/* One row of values into the line buffer; widens a column a later row
 * overflows (when not fitting a width), so the rest aligns again. */
static int table_row(table_state *t, const sqlalc_value *vals, FILE *f)
{
    for (int c = 0; c < t->ncols; c++) {
        sqlalc_buf_reset(&t->cell);
        put_plain(&t->cell, &vals[c]);
        if (t->cell.oom)
            return sqlalc__oom();
        const char *s = t->cell.p ? t->cell.p : "";
        size_t w, shown;
        put_table_text(NULL, s, t->cell.len, &w);
        if (!t->fit && w > t->width[c])
            t->width[c] = w;
        sqlalc_buf_puts(&t->line, c ? " | " : " ");
        int right = t->numeric[c] == 1;
        if (right && w < t->width[c])
            pad(&t->line, t->width[c] - w);
        put_cell_text(&t->line, s, t->cell.len, w, t->width[c], t->fit, &shown);
        if (!right && c + 1 < t->ncols && shown < t->width[c])
            pad(&t->line, t->width[c] - shown);
    }
    sqlalc_buf_putc(&t->line, '\n');
    return flush_line(&t->line, f);
}

static int print_table(sqlalc_result *res, FILE *f, print_ctx *p)
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
    /* Size the columns on the first rows, then stream the rest. */
    size_t sample = p->o && p->o->sample_rows ? p->o->sample_rows : DEFAULT_SAMPLE_ROWS;
    if (p->max_rows && p->max_rows < sample)
        sample = p->max_rows;
    int rc = sqlalc_result_fetchmany(res, sample, &rs);
    if (rc)
        return rc;
    size_t nrows = rs->n;
    table_state t = { ncols, NULL, NULL, p->o && p->o->max_width > 0, SQLALC_BUF_INIT, SQLALC_BUF_INIT };
    t.width = sqlalc__calloc((size_t)ncols, sizeof *t.width);
    t.numeric = sqlalc__calloc((size_t)ncols, 1);
    if (!t.width || !t.numeric) {
        rc = SQLALC_ERR_NOMEM;
        goto done;
    }
    const char *const *names = (const char *const *)rs->names;

    /* Widths, and which columns hold only numbers (right-aligned). */
    for (int c = 0; c < ncols; c++) {
        const char *n = names && names[c] ? names[c] : "?column?";
        put_table_text(NULL, n, strlen(n), &t.width[c]);
        t.numeric[c] = 2; /* unknown until a non-NULL value is seen */
    }
    for (size_t r = 0; r < nrows; r++) {
        const sqlalc_value *vals = rs->rows[r].vals;
        for (int c = 0; c < ncols; c++) {
            const sqlalc_value *v = &vals[c];
            if (v->type != SQLALC_V_NULL)
                t.numeric[c] = t.numeric[c] && is_number(v);
            sqlalc_buf_reset(&t.cell);
            put_plain(&t.cell, v);
            if (t.cell.oom) {
                rc = sqlalc__oom();
                goto done;
            }
            size_t w;
            put_table_text(NULL, t.cell.p ? t.cell.p : "", t.cell.len, &w);
            if (w > t.width[c])
                t.width[c] = w;
        }
    }
    if (t.fit)
        fit_widths(t.width, ncols, p->o->max_width);

    /* Header (names centred, as psql does) and the rule under it. */
    for (int c = 0; c < ncols; c++) {
        const char *n = names && names[c] ? names[c] : "?column?";
        size_t w, shown;
        put_table_text(NULL, n, strlen(n), &w);
        size_t left = w < t.width[c] ? (t.width[c] - w) / 2 : 0;
        sqlalc_buf_puts(&t.line, c ? "| " : " ");
        pad(&t.line, left);
        put_cell_text(&t.line, n, strlen(n), w, t.width[c], t.fit, &shown);
        pad(&t.line, t.width[c] - shown - left + 1);
    }
    sqlalc_buf_putc(&t.line, '\n');
    for (int c = 0; c < ncols; c++) {
        if (c)
            sqlalc_buf_putc(&t.line, '+');
        for (size_t i = 0; i < t.width[c] + 2; i++)
            sqlalc_buf_putc(&t.line, '-');
    }
    sqlalc_buf_putc(&t.line, '\n');
    if ((rc = flush_line(&t.line, f)))
        goto done;

    /* Rows: numbers right-aligned, the rest left-aligned; no trailing
     * blanks after the last column. */
    for (size_t r = 0; r < nrows; r++) {
        if ((rc = table_row(&t, rs->rows[r].vals, f)) || (rc = row_done(p)))
            goto done;
    }
    /* The sample is no longer needed: the rest streams row by row. */
    sqlalc_rowset_free(rs);
    rs = NULL;
    if (nrows == sample) {
        sqlalc_value *vals = sqlalc__calloc((size_t)ncols, sizeof *vals);
        if (!vals) {
            rc = SQLALC_ERR_NOMEM;
            goto done;
        }
        const sqlalc_row *row;
        while (want_more(p)) {
            rc = sqlalc_result_next(res, &row);
            if (rc == SQLALC_DONE)
                break;
            if (rc != SQLALC_ROW)
                break;
            rc = SQLALC_OK;
            for (int c = 0; c < ncols && rc == SQLALC_OK; c++)
                rc = sqlalc_row_get_value(row, c, &vals[c]);
            if (rc == SQLALC_OK)
                rc = table_row(&t, vals, f);
            if (rc == SQLALC_OK)
                rc = row_done(p);
            if (rc)
                break;
        }
        sqlalc_free(vals);
        if (rc != SQLALC_OK && rc != SQLALC_DONE)
            goto done;
        if ((rc = check_more(p, res)))
            goto done;
    }
    if (p->o && p->o->more)
        sqlalc_buf_printf(&t.line, "(%llu row%s shown; more rows were not read)\n",
                          (unsigned long long)p->rows, p->rows == 1 ? "" : "s");
    else
        sqlalc_buf_printf(&t.line, "(%llu row%s)\n", (unsigned long long)p->rows, p->rows == 1 ? "" : "s");
    rc = flush_line(&t.line, f);
done:
    sqlalc_buf_free(&t.cell);
    sqlalc_buf_free(&t.line);
    sqlalc_free(t.width);
    sqlalc_free(t.numeric);
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

static int print_csv(sqlalc_result *res, FILE *f, print_ctx *p)
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
    while (want_more(p)) {
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
        if ((rc = flush_line(&line, f)) || (rc = row_done(p)))
            goto done;
    }
    rc = check_more(p, res);
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

/* Is name taken: another column's own name, or a key chosen before c? */
static int key_taken(sqlalc_result *res, char **keys, int c, const char *name)
{
    for (int k = 0; k < res->ncols; k++)
        if (k != c && !strcmp(col_name(res, k), name))
            return 1;
    for (int k = 0; k < c; k++)
        if (!strcmp(keys[k], name))
            return 1;
    return 0;
}

/* The JSON keys: each column's name, except that a name an earlier column
 * already has becomes name_1, name_2 … (the first that is no column's name
 * and no key so far).  Counting from the number of earlier twins keeps it
 * one try in the usual case. */
static int json_keys(sqlalc_result *res, char **keys)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    for (int c = 0; c < res->ncols; c++) {
        const char *n = col_name(res, c);
        unsigned twins = 0;
        for (int k = 0; k < c; k++)
            twins += !strcmp(col_name(res, k), n);
        sqlalc_buf_reset(&b);
        sqlalc_buf_puts(&b, n);
        for (unsigned i = twins; i > 0 && !b.oom; i++) {
            sqlalc_buf_reset(&b);
            sqlalc_buf_printf(&b, "%s_%u", n, i);
            if (!b.oom && !key_taken(res, keys, c, b.p))
                break;
        }
        if (b.oom || !(keys[c] = sqlalc__strdup(b.p ? b.p : ""))) {
            sqlalc_buf_free(&b);
            return sqlalc__oom();
        }
    }
    sqlalc_buf_free(&b);
    return SQLALC_OK;
}

static int print_json(sqlalc_result *res, FILE *f, print_ctx *p)
{
    int ncols = res->ncols, rc = SQLALC_OK;
    sqlalc_buf keys = SQLALC_BUF_INIT, line = SQLALC_BUF_INIT;
    size_t *koff = sqlalc__calloc((size_t)ncols + 1, sizeof *koff);
    char **names = sqlalc__calloc((size_t)ncols + 1, sizeof *names);
    if (!koff || !names) {
        rc = SQLALC_ERR_NOMEM;
        goto done;
    }
    if ((rc = json_keys(res, names)))
        goto done;
    /* Escaped keys rendered once: "name": (a repeated name made unique,
     * so no column is lost to a JSON reader keeping one of two keys). */
    for (int c = 0; c < ncols; c++) {
        koff[c] = keys.len;
        put_json_string(&keys, names[c], strlen(names[c]));
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
    while (want_more(p)) {
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
        if ((rc = flush_line(&line, f)) || (rc = row_done(p)))
            goto done;
        r++;
    }
    if ((rc = check_more(p, res)))
        goto done;
    sqlalc_buf_puts(&line, r ? "\n]\n" : "]\n");
    rc = flush_line(&line, f);
done:
    sqlalc_buf_free(&keys);
    sqlalc_buf_free(&line);
    sqlalc_free(koff);
    for (int c = 0; names && c < ncols; c++)
        sqlalc_free(names[c]);
    sqlalc_free(names);
    return rc;
}

/* One print in fmt, then the flush that reports a late write error. */
static int print_dispatch(sqlalc_result *res, FILE *f, sqlalc_format fmt, print_ctx *p)
{
    int rc;
    switch (fmt) {
    case SQLALC_FORMAT_TABLE: rc = print_table(res, f, p); break;
    case SQLALC_FORMAT_CSV: rc = print_csv(res, f, p); break;
    case SQLALC_FORMAT_JSON: rc = print_json(res, f, p); break;
    default: return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result_print: unknown format %d", (int)fmt);
    }
    if (rc == SQLALC_OK && fflush(f) != 0)
        rc = sqlalc_error_set(SQLALC_ERR_GENERIC, "writing the result failed");
    return rc;
}

int sqlalc_result_print_ex(sqlalc_result *res, FILE *f, sqlalc_print_options *opts)
{
    if (!res || !f || !opts)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result_print: %s is NULL",
                                !res ? "the result"
                                : !f ? "the file"
                                     : "the options");
    if (opts->version < 1 || opts->version > SQLALC_PRINT_OPTIONS_VERSION)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result_print: unknown options version %u",
                                opts->version);
    opts->rows = 0;
    opts->more = 0;
    print_ctx p = { opts, 0, opts->max_rows, PROGRESS_EVERY };
    int rc = print_dispatch(res, f, opts->format, &p);
    opts->rows = p.rows;
    return rc;
}

int sqlalc_result_print(sqlalc_result *res, FILE *f, sqlalc_format fmt, size_t max_rows)
{
    if (!res || !f)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "result_print: %s is NULL",
                                res ? "the file" : "the result");
    /* No options: never reads past max_rows (the rest stays unread). */
    print_ctx p = { NULL, 0, max_rows, PROGRESS_EVERY };
    return print_dispatch(res, f, fmt, &p);
}

/*
 * Display formats: rows of fuzz-chosen values (integers, any double
 * including NaN/Inf, text with arbitrary bytes and NULs, blobs, booleans,
 * NULL) under fuzz-chosen column names (empty, repeated, quotes, control
 * characters, invalid UTF-8) are selected from SQLite and printed in every
 * format.  JSON must parse back strictly (valid UTF-8) as one object per
 * row with one key per column; CSV must read back (RFC 4180) as a header
 * plus one record per row, each with one field per column; the table form
 * must end with its "(N rows)" footer.
 */
#include <sqlalc.h>
#include "fuzz_common.h"
#include "fuzz_json.h"

static sqlalc_engine *eng;
static int json_keys_distinct; /* the library keeps keys distinct (checked once) */

/* RFC 4180: records and fields per record; 0 when it does not read back. */
static int csv_shape(const char *s, size_t n, size_t ncols, size_t *records)
{
    size_t i = 0, fields = 1;
    *records = 0;
    while (i < n) {
        if (s[i] == '"') {
            i++;
            for (;;) {
                if (i >= n)
                    return 0;
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                i++;
            }
        } else {
            while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
                if (s[i] == '"')
                    return 0; /* a quote inside an unquoted field */
                i++;
            }
        }
        if (i < n && s[i] == ',') {
            fields++;
            i++;
            continue;
        }
        if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') {
            if (fields != ncols)
                return 0;
            (*records)++;
            fields = 1;
            i += 2;
            continue;
        }
        return 0; /* a bare CR or LF, or text after a closing quote */
    }
    return fields == 1; /* ends right after a record */
}

static char *print(sqlalc_result *res, sqlalc_format fmt, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    int rc = sqlalc_result_print(res, f, fmt, 0);
    fclose(f);
    if (rc != SQLALC_OK) {
        FZ_CHECK(*sqlalc_errmsg(), "print failed without a message");
        free(buf);
        return NULL;
    }
    return buf;
}

static void setup(void)
{
    if (sqlalc_engine_create("sqlite://", NULL, &eng) != SQLALC_OK)
        abort();
    sqlalc_result *res;
    if (sqlalc_engine_execute_sql(eng, "SELECT 1 AS a, 2 AS a", NULL, &res) != SQLALC_OK)
        abort();
    size_t len;
    char *out = print(res, SQLALC_FORMAT_JSON, &len);
    fzj_shape sh;
    json_keys_distinct = out && fzj_valid(out, len, &sh) && sh.distinct_keys;
    free(out);
    sqlalc_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    if (!eng)
        setup();
    fz f = { data, size, 0 };
    size_t ncols = 1 + fz_byte(&f) % 6, nrows = fz_byte(&f) % 5;
    char *names[6];
    /* SELECT ? AS "n1", ? AS "n2" … [UNION ALL SELECT ?, ? …] */
    size_t cap = 64;
    for (size_t c = 0; c < ncols; c++) {
        unsigned k = fz_byte(&f);
        names[c] = k < 128
                       ? strdup((const char *[]){ "a", "a", "", "x\"y", "é", "\x1b[1m", "id", "a b" }[k % 8])
                       : fz_str(&f);
        cap += 2 * strlen(names[c]) + 16;
    }
    cap += nrows * (ncols * 3 + 32);
    char *sql = malloc(cap);
    size_t at = 0;
    for (size_t r = 0; r < (nrows ? nrows : 1); r++) {
        at += (size_t)snprintf(sql + at, cap - at, r ? " UNION ALL SELECT " : "SELECT ");
        for (size_t c = 0; c < ncols; c++) {
            at += (size_t)snprintf(sql + at, cap - at, c ? ", ?" : "?");
            if (r == 0) {
                at += (size_t)snprintf(sql + at, cap - at, " AS \"");
                for (const char *p = names[c]; *p; p++) {
                    sql[at++] = *p;
                    if (*p == '"')
                        sql[at++] = '"';
                }
                sql[at++] = '"';
                sql[at] = 0;
            }
        }
    }
    if (!nrows)
        at += (size_t)snprintf(sql + at, cap - at, " WHERE 0");
    size_t nvals = (nrows ? nrows : 1) * ncols;
    sqlalc_param *ps = calloc(nvals, sizeof *ps);
    char *strs[64];
    int nstrs = 0;
    for (size_t i = 0; i < nvals; i++) {
        size_t n;
        const char *s;
        switch (fz_byte(&f) % 7) {
        case 0: ps[i].value = SQLALC_INTV((int64_t)fz_u64(&f)); break;
        case 1: ps[i].value = SQLALC_FLOATV(fz_double(&f)); break;
        case 2:
            s = fz_bytes(&f, &n);
            ps[i].value = SQLALC_TEXTNV(s, n);
            break;
        case 3:
            s = fz_bytes(&f, &n);
            ps[i].value = SQLALC_BLOBV(s, n);
            break;
        case 4: ps[i].value = SQLALC_BOOLV(fz_byte(&f) & 1); break;
        case 5: ps[i].value = SQLALC_NULLV; break;
        default:
            if (nstrs < 64) {
                strs[nstrs] = fz_str(&f);
                ps[i].value = SQLALC_TEXTV(strs[nstrs]);
                nstrs++;
            }
            break;
        }
    }
    sqlalc_params params = { nvals, ps };
    for (int fmt = 0; fmt < 3; fmt++) {
        sqlalc_result *res;
        if (sqlalc_engine_execute_sql(eng, sql, &params, &res) != SQLALC_OK) {
            FZ_CHECK(*sqlalc_errmsg(), "execute failed without a message");
            break;
        }
        size_t len;
        char *out = print(res, (sqlalc_format)fmt, &len);
        sqlalc_result_free(res);
        if (!out)
            continue;
        if (fmt == SQLALC_FORMAT_JSON) {
            fzj_shape sh;
            FZ_CHECK(fzj_valid(out, len, &sh), "JSON output does not parse:\n%.*s", (int)len, out);
            FZ_CHECK(sh.rows == nrows && sh.all_objects, "JSON has %zu rows, want %zu:\n%.*s", sh.rows, nrows,
                     (int)len, out);
            FZ_CHECK(!nrows || (sh.min_keys == ncols && sh.max_keys == ncols),
                     "JSON objects hold %zu..%zu keys, want %zu:\n%.*s", sh.min_keys, sh.max_keys, ncols,
                     (int)len, out);
            FZ_CHECK(!json_keys_distinct || sh.distinct_keys, "JSON repeats a key:\n%.*s", (int)len, out);
        } else if (fmt == SQLALC_FORMAT_CSV) {
            size_t records;
            FZ_CHECK(csv_shape(out, len, ncols, &records) && records == nrows + 1,
                     "CSV does not read back as %zu records of %zu fields:\n%.*s", nrows + 1, ncols, (int)len,
                     out);
        } else {
            char footer[32];
            snprintf(footer, sizeof footer, "(%zu row%s)\n", nrows, nrows == 1 ? "" : "s");
            FZ_CHECK(len >= strlen(footer) && !memcmp(out + len - strlen(footer), footer, strlen(footer)),
                     "table form does not end with %s:\n%.*s", footer, (int)len, out);
        }
        free(out);
    }
    for (int i = 0; i < nstrs; i++)
        free(strs[i]);
    free(ps);
    free(sql);
    for (size_t c = 0; c < ncols; c++)
        free(names[c]);
    return 0;
}

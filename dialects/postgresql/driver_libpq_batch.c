/*
 * libpq driver: executemany (exec_batch) as pipelined executions.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver_libpq.h"

/* ------------------------------------------------------------------ */
/* Batches                                                             */
/* ------------------------------------------------------------------ */

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}
static int is_word(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
           (unsigned char)ch >= 0x80;
}

/* Skip a quoted run starting at sql[i] (a ' or "); returns the index after
 * it, or 0 when it cannot be followed safely (backslash escapes). */
static size_t skip_quoted(const char *sql, size_t len, size_t i)
{
    char q = sql[i];
    for (i++; i < len; i++) {
        if (sql[i] == '\\' && q == '\'')
            return 0;
        if (sql[i] == q) {
            if (i + 1 < len && sql[i + 1] == q) {
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return 0;
}

/* Is the SQL "INSERT … VALUES (group)" with nothing after the group and
 * no placeholder outside it?  Then rows can be sent as one multi-row
 * VALUES.  Comments, dollar quotes and E'' strings make us say no. */
static void analyse_insert(pq_stmt *s)
{
    const char *q = s->sql;
    size_t len = s->len, i = 0;
    s->ins = -1;
    while (i < len && is_space(q[i]))
        i++;
    if (len - i < 6 || sqlalc__strncasecmp(q + i, "insert", 6) || (i + 6 < len && is_word(q[i + 6])))
        return;
    int depth = 0;
    size_t vals = 0;
    for (; i < len; i++) {
        char ch = q[i];
        if (ch == '\'' || ch == '"') {
            size_t e = skip_quoted(q, len, i);
            if (!e)
                return;
            i = e - 1;
        } else if (ch == '$' || (ch == '-' && i + 1 < len && q[i + 1] == '-') ||
                   (ch == '/' && i + 1 < len && q[i + 1] == '*') || ch == ';')
            return;
        else if (ch == '(')
            depth++;
        else if (ch == ')')
            depth--;
        else if (depth == 0 && (ch == 'v' || ch == 'V') && i > 0 && !is_word(q[i - 1]) && len - i >= 6 &&
                 !sqlalc__strncasecmp(q + i, "values", 6) && (i + 6 == len || !is_word(q[i + 6]))) {
            vals = i;
            break;
        }
    }
    if (!vals)
        return;
    i = vals + 6;
    while (i < len && is_space(q[i]))
        i++;
    if (i >= len || q[i] != '(')
        return;
    size_t start = i;
    depth = 0;
    for (; i < len; i++) {
        char ch = q[i];
        if (ch == '\'' || ch == '"') {
            size_t e = skip_quoted(q, len, i);
            if (!e)
                return;
            i = e - 1;
        } else if (ch == '$') {
            if (i + 1 >= len || q[i + 1] < '0' || q[i + 1] > '9')
                return;
        } else if ((ch == '-' && i + 1 < len && q[i + 1] == '-') ||
                   (ch == '/' && i + 1 < len && q[i + 1] == '*'))
            return;
        else if (ch == '(')
            depth++;
        else if (ch == ')' && --depth == 0)
            break;
    }
    if (i >= len)
        return;
    size_t end = i + 1;
    for (i = end; i < len; i++)
        if (!is_space(q[i]) && q[i] != ';')
            return; /* RETURNING, ON CONFLICT …: keep row-by-row semantics */
    s->grp_start = start;
    s->grp_end = end;
    s->ins = 1;
}

/* SQL of the INSERT with rows VALUES groups, placeholders renumbered. */
static char *multi_sql(const pq_stmt *s, int rows)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_append(&b, s->sql, s->grp_start);
    const char *g = s->sql + s->grp_start;
    size_t glen = s->grp_end - s->grp_start;
    for (int r = 0; r < rows; r++) {
        if (r)
            sqlalc_buf_putc(&b, ',');
        size_t i = 0;
        while (i < glen) {
            char ch = g[i];
            if (ch == '\'' || ch == '"') {
                size_t e = skip_quoted(g, glen, i);
                sqlalc_buf_append(&b, g + i, e - i);
                i = e;
            } else if (ch == '$') {
                long k = 0;
                i++;
                while (i < glen && g[i] >= '0' && g[i] <= '9')
                    k = k * 10 + (g[i++] - '0');
                sqlalc_buf_printf(&b, "$%ld", k + (long)r * s->nparams);
            } else {
                sqlalc_buf_putc(&b, ch);
                i++;
            }
        }
    }
    return sqlalc_buf_detach(&b);
}

/* Per-slot types for a batch: the first non-NULL value of each column. */
static void batch_types(const sqlalc_value *values, size_t nsets, int n, Oid *types)
{
    for (int j = 0; j < n; j++) {
        types[j] = 0;
        for (size_t r = 0; r < nsets; r++) {
            const sqlalc_value *v = &values[r * (size_t)n + (size_t)j];
            if (!sqlalc__pq_is_null(v)) {
                types[j] = sqlalc__pq_oid_for(v);
                break;
            }
        }
    }
}

/* Read a pipeline's results up to its sync.  Adds rows affected to *count;
 * the first error is recorded with where (rows per command) for context. */
static int pipeline_collect(pq_stmt *s, int64_t *count, size_t first_row, size_t rows_per, const char *sql)
{
    pq_conn *c = s->c;
    int rc = SQLALC_OK;
    size_t cmd = 0;
    /* batch_insert passes first_row 1 when a PQsendPrepare leads: skip it */
    size_t lead = rows_per > 1 ? first_row : 0;
    if (rows_per > 1)
        first_row = 0;
    for (;;) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (PQstatus(c->pg) == CONNECTION_BAD) {
                if (rc == SQLALC_OK)
                    rc = sqlalc__pq_error(c, NULL, sql);
                break;
            }
            cmd++; /* NULL separates one command's results from the next */
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            int64_t k = sqlalc__pq_parse_count(PQcmdTuples(r));
            if (k > 0)
                *count += k;
        } else if (st != PGRES_PIPELINE_ABORTED && rc == SQLALC_OK) {
            rc = sqlalc__pq_error(c, r, sql);
            size_t row = first_row + (cmd >= lead ? cmd - lead : 0) * rows_per;
            /* the engine names the parameter set(s) (a short last
             * multi-row command is clamped to the batch) */
            sqlalc_error_set_batch_position(row, rows_per);
        }
        PQclear(r);
    }
    return rc;
}

static int enter_pipeline(pq_conn *c)
{
    if (!PQenterPipelineMode(c->pg))
        return sqlalc__pq_error(c, NULL, NULL);
    return SQLALC_OK;
}

static void leave_pipeline(pq_conn *c)
{
    if (PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF && !PQexitPipelineMode(c->pg)) {
        /* results left over (only after errors): read them, then leave */
        sqlalc__pq_drain(c);
        PQexitPipelineMode(c->pg);
    }
}

/* Multi-row VALUES batches, pipelined.  Full batches run a statement
 * prepared once (kept on s); a smaller rest goes as an unnamed one. */
static int batch_insert(pq_stmt *s, const sqlalc_value *values, size_t nsets, int n, int64_t *count)
{
    pq_conn *c = s->c;
    int per = 65535 / n;
    if (per > BATCH_ROWS_MAX)
        per = BATCH_ROWS_MAX;
    size_t nfull = nsets / (size_t)per, rem = nsets % (size_t)per;
    size_t width = nfull ? (size_t)per : rem;
    int rc = sqlalc__pq_ensure_params(s, (int)width * n);
    if (rc)
        return rc;
    Oid *types = sqlalc__malloc(width * (size_t)n * sizeof *types);
    if (!types)
        return SQLALC_ERR_NOMEM;
    batch_types(values, nsets, n, types);
    for (size_t r = 1; r < width; r++)
        memcpy(types + r * (size_t)n, types, (size_t)n * sizeof *types);

    int need_prepare = nfull && (!s->full_name[0] || s->full_rows != per || !s->full_types ||
                                 memcmp(s->full_types, types, (size_t)n * sizeof *types));
    char *full_sql = NULL, *rem_sql = NULL;
    if (need_prepare) {
        if (s->full_name[0])
            sqlalc__pq_forget_name(c, s->full_name);
        s->full_name[0] = 0;
        sqlalc_free(s->full_types);
        if (!(s->full_types = sqlalc__malloc((size_t)n * sizeof *types)) || !(full_sql = multi_sql(s, per))) {
            sqlalc_free(types);
            return SQLALC_ERR_NOMEM;
        }
        memcpy(s->full_types, types, (size_t)n * sizeof *types);
        s->full_rows = per;
    }
    if (rem && !(rem_sql = multi_sql(s, (int)rem))) {
        sqlalc_free(full_sql);
        sqlalc_free(types);
        return SQLALC_ERR_NOMEM;
    }
    if ((rc = sqlalc__pq_idle(c)) || (rc = enter_pipeline(c))) {
        sqlalc_free(full_sql);
        sqlalc_free(rem_sql);
        sqlalc_free(types);
        return rc;
    }
    if (need_prepare) {
        snprintf(s->full_name, sizeof s->full_name, "sqlalc_%u", ++c->seq);
        if (!PQsendPrepare(c->pg, s->full_name, full_sql, per * n, types))
            rc = sqlalc__pq_error(c, NULL, full_sql);
    }
    size_t row = 0;
    for (size_t b = 0; rc == SQLALC_OK && b < nfull + (rem ? 1 : 0); b++) {
        size_t k = b < nfull ? (size_t)per : rem;
        int np = (int)k * n;
        sqlalc_buf_reset(&s->arena);
        const sqlalc_value *v = values + row * (size_t)n;
        for (int j = 0; j < np; j++)
            sqlalc__pq_encode(&s->arena, &s->params[j], &v[j], types[j], 0);
        if ((rc = sqlalc__pq_resolve_params(s, np)))
            break;
        int ok = b < nfull ? PQsendQueryPrepared(c->pg, s->full_name, np, s->pv, s->pl, s->pf, 0)
                           : PQsendQueryParams(c->pg, rem_sql, np, types, s->pv, s->pl, s->pf, 0);
        if (!ok)
            rc = sqlalc__pq_error(c, NULL, s->sql);
        row += k;
    }
    sqlalc_buf_reset(&s->arena);
    if (PQpipelineSync(c->pg) != 1 && rc == SQLALC_OK)
        rc = sqlalc__pq_error(c, NULL, s->sql);
    /* the prepare's own result comes first: rows count after it */
    int rc2 = pipeline_collect(s, count, need_prepare, (size_t)per, s->sql);
    if (need_prepare && (rc || rc2))
        s->full_name[0] = 0; /* the prepare itself may have failed */
    leave_pipeline(c);
    sqlalc_free(full_sql);
    sqlalc_free(rem_sql);
    sqlalc_free(types);
    return rc ? rc : rc2;
}

/* Any statement: one pipelined execution per row. */
static int batch_pipeline(pq_stmt *s, const sqlalc_value *values, size_t nsets, int n, int64_t *count)
{
    pq_conn *c = s->c;
    int rc = SQLALC_OK;
    batch_types(values, nsets, n, s->want);
    if (sqlalc__pq_types_merge(s, s->want, n) && (rc = sqlalc__pq_server_prepare(s, n, s->ptypes)))
        return rc;
    if ((rc = sqlalc__pq_idle(c)) || (rc = enter_pipeline(c)))
        return rc;
    for (size_t done = 0; rc == SQLALC_OK && done < nsets; done += PIPELINE_SYNC_EVERY) {
        size_t k = nsets - done < PIPELINE_SYNC_EVERY ? nsets - done : PIPELINE_SYNC_EVERY;
        for (size_t r = done; r < done + k && rc == SQLALC_OK; r++) {
            sqlalc_buf_reset(&s->arena);
            for (int j = 0; j < n; j++)
                sqlalc__pq_encode(&s->arena, &s->params[j], &values[r * (size_t)n + (size_t)j], s->ptypes[j],
                                  0);
            if ((rc = sqlalc__pq_resolve_params(s, n)))
                break;
            if (!PQsendQueryPrepared(c->pg, s->name, n, s->pv, s->pl, s->pf, 0))
                rc = sqlalc__pq_error(c, NULL, s->sql);
        }
        if (PQpipelineSync(c->pg) != 1 && rc == SQLALC_OK)
            rc = sqlalc__pq_error(c, NULL, s->sql);
        int rc2 = pipeline_collect(s, count, done, 1, s->sql);
        if (rc == SQLALC_OK)
            rc = rc2;
    }
    sqlalc_buf_reset(&s->arena);
    leave_pipeline(c);
    return rc;
}

int sqlalc__pq_exec_batch(void *stmt, const sqlalc_value *values, size_t nsets, int nparams,
                          int64_t *rowcount)
{
    pq_stmt *s = stmt;
    *rowcount = 0;
    if (!nsets)
        return SQLALC_OK;
    sqlalc__pq_reset(s);
    if (nparams > s->nparams)
        s->nparams = nparams;
    if (sqlalc__pq_ensure_params(s, nparams ? nparams : 1))
        return SQLALC_ERR_NOMEM;
    if (!s->ins)
        analyse_insert(s);
    if (s->ins > 0 && nparams > 0 && nsets > 1)
        return batch_insert(s, values, nsets, nparams, rowcount);
    return batch_pipeline(s, values, nsets, nparams, rowcount);
}

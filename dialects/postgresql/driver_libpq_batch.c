/*
 * libpq driver: executemany (exec_batch) as pipelined executions of the
 * statement as given: the batching primitive.  Multi-row VALUES come from
 * the compiler (sqlalc__compile_repeat, run by src/engine/execute.c); the
 * driver never rewrites SQL.
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

/* Per-slot types for a batch: the first non-NULL value of each column's,
 * an integer column int8 when any of its values needs it. */
static void batch_types(const sqlalc_value *values, size_t nsets, int n, Oid *types)
{
    for (int j = 0; j < n; j++) {
        types[j] = 0;
        for (size_t r = 0; r < nsets; r++) {
            const sqlalc_value *v = &values[r * (size_t)n + (size_t)j];
            if (sqlalc__pq_is_null(v))
                continue;
            Oid t = sqlalc__pq_oid_for(v);
            if (!types[j])
                types[j] = t;
            if (types[j] != OID_INT4)
                break;
            if (t == OID_INT8) {
                types[j] = OID_INT8;
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
            /* the engine names the parameter set */
            sqlalc_error_set_batch_position(first_row + cmd * rows_per, rows_per);
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
            for (int j = 0; j < n && rc == SQLALC_OK; j++) {
                const sqlalc_value *v = &values[r * (size_t)n + (size_t)j];
                if ((rc = sqlalc__pq_check_text(v, j)))
                    sqlalc_error_set_batch_position(r, 1);
                else
                    sqlalc__pq_encode(&s->arena, &s->params[j], v, s->ptypes[j], 0);
            }
            if (rc)
                break;
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
    return batch_pipeline(s, values, nsets, nparams, rowcount);
}

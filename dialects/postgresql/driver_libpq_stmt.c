/*
 * libpq driver: statements.  Prepared once per connection (named), run
 * with PQsendQueryPrepared, rows streamed in single-row mode.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver_libpq.h"

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

int sqlalc__pq_prepare(void *conn, const char *sql, size_t len, int nparams, void **out)
{
    pq_conn *c = conn;
    *out = NULL;
    pq_stmt *s = sqlalc__calloc(1, sizeof *s);
    if (!s)
        return SQLALC_ERR_NOMEM;
    s->c = c;
    s->len = len;
    s->nparams = nparams > 0 ? nparams : 0;
    s->rowcount = -1;
    if (!(s->sql = sqlalc__strndup(sql, len)) || sqlalc__pq_ensure_params(s, s->nparams ? s->nparams : 1)) {
        sqlalc_free(s->sql);
        sqlalc_free(s->params);
        sqlalc_free(s->pv);
        sqlalc_free(s->pl);
        sqlalc_free(s->pf);
        sqlalc_free(s->ptypes);
        sqlalc_free(s->want);
        sqlalc_free(s);
        return SQLALC_ERR_NOMEM;
    }
    *out = s;
    return SQLALC_OK;
}

int sqlalc__pq_bind(void *stmt, int idx, const sqlalc_value *v)
{
    pq_stmt *s = stmt;
    if (idx < 0)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "bind: negative parameter index");
    if (idx >= s->nparams) {
        if (sqlalc__pq_ensure_params(s, idx + 1))
            return SQLALC_ERR_NOMEM;
        for (int i = s->nparams; i <= idx; i++)
            s->params[i] = (pq_param){ .isnull = 1 };
        s->nparams = idx + 1;
    }
    Oid w = sqlalc__pq_oid_for(v);
    s->want[idx] = w;
    sqlalc__pq_encode(&s->arena, &s->params[idx], v, s->prepared ? s->ptypes[idx] : w, 1);
    return s->arena.oom ? sqlalc__oom() : SQLALC_OK;
}

static void clear_rows(pq_stmt *s)
{
    if (s->cur && s->cur != s->meta)
        PQclear(s->cur);
    s->cur = NULL;
    if (s->meta)
        PQclear(s->meta);
    s->meta = NULL;
    for (size_t i = s->spos; i < s->nstash; i++)
        PQclear(s->stash[i]);
    s->nstash = s->spos = 0;
    s->stashed = 0;
}

/* Queue a server-side statement for DEALLOCATE. */
void sqlalc__pq_forget_name(pq_conn *c, const char *name)
{
    if (!name[0] || PQstatus(c->pg) == CONNECTION_BAD)
        return;
    if (c->ndealloc == c->dealloc_cap &&
        sqlalc__grow((void **)&c->dealloc, &c->dealloc_cap, c->ndealloc + 1, sizeof *c->dealloc))
        return; /* out of memory: the statement lives until disconnect */
    char *n = sqlalc__strdup(name);
    if (n)
        c->dealloc[c->ndealloc++] = n;
}

/* PQprepare the statement with the given parameter types. */
int sqlalc__pq_server_prepare(pq_stmt *s, int ntypes, const Oid *types)
{
    pq_conn *c = s->c;
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    if (c->ndealloc >= DEALLOC_FLUSH)
        sqlalc__pq_flush_dealloc(c);
    if (s->prepared) {
        sqlalc__pq_forget_name(c, s->name);
        s->prepared = 0;
    }
    snprintf(s->name, sizeof s->name, "sqlalc_%u", ++c->seq);
    PGresult *r = PQprepare(c->pg, s->name, s->sql, ntypes, types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = sqlalc__pq_error(c, r, s->sql);
        PQclear(r);
        s->name[0] = 0;
        return rc;
    }
    PQclear(r);
    s->prepared = 1;
    return SQLALC_OK;
}

static int stmt_fail(pq_stmt *s, PGresult *r)
{
    int rc = sqlalc__pq_error(s->c, r, s->sql);
    if (r)
        PQclear(r);
    return rc;
}

static PGresult *next_result(pq_stmt *s)
{
    if (s->stashed)
        return s->spos < s->nstash ? s->stash[s->spos++] : NULL;
    return PQgetResult(s->c->pg);
}

/* The command finished: read the results that remain (normally none). */
static void finish_cmd(pq_stmt *s)
{
    if (s->stashed) {
        for (; s->spos < s->nstash; s->spos++)
            PQclear(s->stash[s->spos]);
    } else
        sqlalc__pq_drain(s->c);
    if (s->c->active == s)
        s->c->active = NULL;
    s->state = 2;
}

int64_t sqlalc__pq_parse_count(const char *t)
{
    return t && *t ? strtoll(t, NULL, 10) : -1;
}

/* Advance to the next row: SQLALC_ROW, SQLALC_DONE, or an error. */
static int fetch(pq_stmt *s)
{
    PGresult *r = next_result(s);
    if (!r) {
        finish_cmd(s);
        if (PQstatus(s->c->pg) == CONNECTION_BAD)
            return stmt_fail(s, NULL);
        return SQLALC_DONE;
    }
    switch (PQresultStatus(r)) {
    case PGRES_SINGLE_TUPLE:
        if (s->cur && s->cur != s->meta)
            PQclear(s->cur);
        s->cur = r;
        if (!s->meta && sqlalc__pq_set_meta(s, r)) {
            finish_cmd(s);
            return SQLALC_ERR_NOMEM;
        }
        return SQLALC_ROW;
    case PGRES_TUPLES_OK:
        if (s->cur && s->cur != s->meta)
            PQclear(s->cur);
        s->cur = NULL;
        s->rowcount = sqlalc__pq_parse_count(PQcmdTuples(r));
        if (!s->meta) {
            if (sqlalc__pq_set_meta(s, r)) {
                finish_cmd(s);
                return SQLALC_ERR_NOMEM;
            }
        } else
            PQclear(r);
        finish_cmd(s);
        return SQLALC_DONE;
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
        s->rowcount = sqlalc__pq_parse_count(PQcmdTuples(r));
        PQclear(r);
        finish_cmd(s);
        return SQLALC_DONE;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
        PQclear(r);
        finish_cmd(s);
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "COPY in a prepared statement is not supported (use sqlalc_pg_copy_in)");
    default: {
        int rc = sqlalc__pq_error(s->c, r, s->sql);
        /* The table changed shape since PQprepare (DDL by anyone): outside a
         * transaction block the statement can be prepared again and rerun. */
        const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        s->stale_plan = !s->meta && st && !strcmp(st, "0A000") && m &&
                        strstr(m, "cached plan must not change result type");
        PQclear(r);
        finish_cmd(s);
        if (s->stale_plan && PQtransactionStatus(s->c->pg) != PQTRANS_IDLE)
            s->stale_plan = 0;
        return rc;
    }
    }
}

int sqlalc__pq_stash_rest(pq_stmt *s)
{
    PGresult *r;
    while ((r = PQgetResult(s->c->pg)) != NULL) {
        if (s->nstash == s->scap &&
            sqlalc__grow((void **)&s->stash, &s->scap, s->nstash + 1, sizeof *s->stash)) {
            PQclear(r);
            sqlalc__pq_drain(s->c);
            /* the rows are lost: this result ends with the error */
            return SQLALC_ERR_NOMEM;
        }
        s->stash[s->nstash++] = r;
    }
    s->stashed = 1;
    return SQLALC_OK;
}

int sqlalc__pq_step(void *stmt)
{
    pq_stmt *s = stmt;
    if (s->state == 1)
        return fetch(s);
    if (s->state == 2)
        return SQLALC_DONE;
    pq_conn *c = s->c;
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    if (sqlalc__pq_types_merge(s, s->want, s->nparams)) {
        rc = sqlalc__pq_server_prepare(s, s->nparams, s->ptypes);
        if (rc) {
            sqlalc_buf_reset(&s->arena);
            return rc;
        }
    }
    if ((rc = sqlalc__pq_resolve_params(s, s->nparams))) {
        sqlalc_buf_reset(&s->arena);
        return rc;
    }
    clear_rows(s);
    s->rowcount = -1;
    for (int attempt = 0;; attempt++) {
        /* the arena is kept until reset: a stale plan is rerun with it */
        if (!PQsendQueryPrepared(c->pg, s->name, s->nparams, s->pv, s->pl, s->pf, 0))
            return stmt_fail(s, NULL);
        PQsetSingleRowMode(c->pg);
        c->active = s;
        s->state = 1;
        s->stale_plan = 0;
        rc = fetch(s);
        if (!s->stale_plan || attempt)
            return rc;
        s->state = 0;
        s->prepared = 0;
        sqlalc__pq_forget_name(c, s->name);
        if ((rc = sqlalc__pq_server_prepare(s, s->nparams, s->ptypes)) ||
            (rc = sqlalc__pq_resolve_params(s, s->nparams)))
            return rc;
        clear_rows(s);
    }
}

int sqlalc__pq_reset(void *stmt)
{
    pq_stmt *s = stmt;
    if (s->state == 1) {
        /* Dropping the rest of a result: read it off the wire. */
        if (!s->stashed)
            sqlalc__pq_drain(s->c);
        if (s->c->active == s)
            s->c->active = NULL;
    }
    clear_rows(s);
    s->state = 0;
    sqlalc_buf_reset(&s->arena);
    return SQLALC_OK;
}

void sqlalc__pq_finalize(void *stmt)
{
    pq_stmt *s = stmt;
    if (!s)
        return;
    sqlalc__pq_reset(s);
    if (s->prepared)
        sqlalc__pq_forget_name(s->c, s->name);
    if (s->full_name[0])
        sqlalc__pq_forget_name(s->c, s->full_name);
    for (int i = 0; s->cbuf && i < s->ncols; i++)
        sqlalc_free(s->cbuf[i]);
    sqlalc_free(s->cbuf);
    sqlalc_free(s->ccap);
    sqlalc_free(s->kind);
    sqlalc_free(s->vt);
    sqlalc_free(s->stash);
    sqlalc_free(s->ptypes);
    sqlalc_free(s->want);
    sqlalc_free(s->full_types);
    sqlalc_free(s->params);
    sqlalc_free(s->pv);
    sqlalc_free(s->pl);
    sqlalc_free(s->pf);
    sqlalc_buf_free(&s->arena);
    sqlalc_free(s->sql);
    sqlalc_free(s);
}

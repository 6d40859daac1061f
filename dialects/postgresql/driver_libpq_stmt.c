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
    int rc = sqlalc__pq_check_text(v, idx);
    if (rc)
        return rc;
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
    s->stash_err = 0;
    sqlalc__pq_rows_free(s);
    s->ri = 0;
}

void sqlalc__pq_rows_free(pq_stmt *s)
{
    while (s->rows_head) {
        pq_block *b = s->rows_head;
        s->rows_head = b->next;
        sqlalc_free(b);
    }
    s->rows_tail = NULL;
    s->rows_pos = 0;
    s->rowp = NULL;
}

/* Append row 0 of r to the packed rows (see pq_block): about the data's
 * own size, where a PGresult per row costs some 3 KB. */
static int pack_row(pq_stmt *s, const PGresult *r)
{
    int n = PQnfields(r);
    size_t need = 4 + 8 * (size_t)n;
    for (int i = 0; i < n; i++)
        if (!PQgetisnull(r, 0, i))
            need += (size_t)PQgetlength(r, 0, i) + 1;
    need = (need + 3) & ~(size_t)3; /* the next row's header stays aligned */
    if (need > UINT32_MAX)
        return sqlalc_error_set(SQLALC_ERR_DATA, "a row of %zu bytes is too large to set aside", need);
    pq_block *b = s->rows_tail;
    if (!b || b->cap - b->used < need) {
        /* blocks grow to 1 MB: small results stay small, large ones
         * cost one allocation per MB */
        size_t cap = b ? b->cap * 2 : 16384;
        if (cap > ((size_t)1 << 20))
            cap = (size_t)1 << 20;
        if (cap < need)
            cap = need;
        pq_block *nb = sqlalc__malloc(sizeof *nb + cap);
        if (!nb)
            return SQLALC_ERR_NOMEM;
        nb->next = NULL;
        nb->used = 0;
        nb->cap = cap;
        if (b)
            b->next = nb;
        else
            s->rows_head = nb;
        s->rows_tail = b = nb;
    }
    unsigned char *row = b->data + b->used;
    uint32_t h[2] = { (uint32_t)need, 0 };
    memcpy(row, h, 4);
    size_t off = 4 + 8 * (size_t)n;
    for (int i = 0; i < n; i++) {
        if (PQgetisnull(r, 0, i)) {
            h[0] = 0;
            h[1] = UINT32_MAX;
        } else {
            size_t len = (size_t)PQgetlength(r, 0, i);
            memcpy(row + off, PQgetvalue(r, 0, i), len);
            row[off + len] = 0;
            h[0] = (uint32_t)off;
            h[1] = (uint32_t)len;
            off += len + 1;
        }
        memcpy(row + 4 + 8 * (size_t)i, h, sizeof h);
    }
    b->used += need;
    return SQLALC_OK;
}

/* The next packed row, or NULL when there are none left. */
static const unsigned char *next_packed(pq_stmt *s)
{
    pq_block *b = s->rows_head;
    while (b && s->rows_pos >= b->used) {
        /* the current row (if packed) lives in this block: it is done with */
        s->rows_head = b->next;
        sqlalc_free(b);
        b = s->rows_head;
        s->rows_pos = 0;
    }
    if (!b) {
        s->rows_tail = NULL;
        return NULL;
    }
    const unsigned char *row = b->data + s->rows_pos;
    uint32_t size;
    memcpy(&size, row, 4);
    s->rows_pos += size;
    return row;
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

/*
 * Parse and describe in one round trip (a pipeline: Parse, Describe,
 * Sync): the description says whether the result comes in binary format
 * (sqlalc__pq_result_format: a bytea's bytes as they are, not hex text
 * twice their size plus a decoded copy; numbers without parsing).  Returns the Parse's result (NULL: the
 * connection failed) and sets s->rfmt.
 */
static PGresult *prepare_describe(pq_stmt *s, int ntypes, const Oid *types)
{
    PGconn *pg = s->c->pg;
    s->rfmt = 0;
    /* libpq takes a ParameterDescription of at most 30,000 bytes (longer
     * ones are "lost synchronization"): past DESCRIBE_MAX_PARAMS the
     * statement is only parsed and its result comes as text */
    if ((ntypes > s->nparams ? ntypes : s->nparams) > DESCRIBE_MAX_PARAMS || !PQenterPipelineMode(pg))
        return PQprepare(pg, s->name, s->sql, ntypes, types);
    PGresult *parse = NULL;
    if (PQsendPrepare(pg, s->name, s->sql, ntypes, types) && PQsendDescribePrepared(pg, s->name) &&
        PQpipelineSync(pg)) {
        /* results: the Parse's, NULL, the Describe's, NULL, the sync */
        int step = 0;
        for (;;) {
            PGresult *r = PQgetResult(pg);
            if (!r) {
                if (PQstatus(pg) == CONNECTION_BAD || ++step > 4)
                    break;
                continue;
            }
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_PIPELINE_SYNC) {
                PQclear(r);
                break;
            }
            if (!parse)
                parse = r;
            else {
                if (st == PGRES_COMMAND_OK)
                    s->rfmt = sqlalc__pq_result_format(r);
                PQclear(r);
            }
        }
    }
    if (!PQexitPipelineMode(pg)) {
        /* something is still unread (a broken exchange): drop it */
        sqlalc__pq_drain(s->c);
        PQexitPipelineMode(pg);
    }
    return parse;
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
    PGresult *r = prepare_describe(s, ntypes, types);
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
    if (s->stashed && s->rows_head) {
        const unsigned char *row = next_packed(s);
        if (row) {
            if (s->cur && s->cur != s->meta)
                PQclear(s->cur);
            s->cur = NULL;
            s->rowp = row;
            return SQLALC_ROW;
        }
    }
    s->rowp = NULL;
    PGresult *r = next_result(s);
    if (!r && s->stash_err) {
        int rc = s->stash_err;
        s->stash_err = 0;
        finish_cmd(s);
        return sqlalc_error_set(rc, "the rest of the result could not be set aside: out of memory");
    }
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
                                "a copy in a prepared statement is not supported (use sqlalc_pg_copy_in)");
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
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
            int rc = SQLALC_OK;
            if (!s->meta) /* no row read yet: this one describes the columns */
                rc = sqlalc__pq_set_meta(s, r);
            if (rc == SQLALC_OK)
                rc = pack_row(s, r);
            if (s->meta != r)
                PQclear(r);
            if (rc) {
                sqlalc__pq_drain(s->c);
                s->stashed = 1;
                s->stash_err = rc;
                return rc;
            }
            continue;
        }
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

static int cursor_step(pq_stmt *s);

int sqlalc__pq_step(void *stmt)
{
    pq_stmt *s = stmt;
    if (s->cur_fetch)
        return cursor_step(s);
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
        s->tx_before = PQtransactionStatus(c->pg);
        if (!PQsendQueryPrepared(c->pg, s->name, s->nparams, s->pv, s->pl, s->pf, s->rfmt))
            return stmt_fail(s, NULL);
        PQsetSingleRowMode(c->pg);
        c->active = s;
        s->state = 1;
        s->stale_plan = 0;
        rc = fetch(s);
        if (!s->stale_plan || attempt) {
            /* the parameters are on their way (or the run failed): a
             * large copy of them is not kept for the next execution */
            if (s->arena.cap > ARENA_KEEP)
                sqlalc_buf_free(&s->arena);
            return rc;
        }
        s->state = 0;
        s->prepared = 0;
        sqlalc__pq_forget_name(c, s->name);
        if ((rc = sqlalc__pq_server_prepare(s, s->nparams, s->ptypes)) ||
            (rc = sqlalc__pq_resolve_params(s, s->nparams)))
            return rc;
        clear_rows(s);
    }
}

static void cursor_close(pq_stmt *s);

int sqlalc__pq_reset(void *stmt)
{
    pq_stmt *s = stmt;
    if (s->cur_open)
        cursor_close(s);
    if (s->state == 1 && !s->cur_fetch) {
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
    for (int i = 0; s->cbuf && i < s->ncols; i++)
        sqlalc_free(s->cbuf[i]);
    sqlalc_free(s->cbuf);
    sqlalc_free(s->ccap);
    sqlalc_free(s->kind);
    sqlalc_free(s->vt);
    sqlalc_free(s->stash);
    sqlalc_free(s->ptypes);
    sqlalc_free(s->want);
    sqlalc_free(s->params);
    sqlalc_free(s->pv);
    sqlalc_free(s->pl);
    sqlalc_free(s->pf);
    sqlalc_buf_free(&s->arena);
    sqlalc_free(s->sql);
    sqlalc_free(s->cur_declare);
    sqlalc_free(s->cur_declare_hold);
    sqlalc_free(s->cur_fetch);
    sqlalc_free(s->cur_close);
    sqlalc_free(s);
}

/* ------------------------------------------------------------------ */
/* Dropping a result early                                             */
/* ------------------------------------------------------------------ */

/*
 * The engine says the rest of the rows are not wanted and the statement
 * only reads.  Rows already received are dropped; when the server is
 * still sending, the command is cancelled (libpq's cancel request) rather
 * than read to its end.  Only for a command sent outside a transaction
 * block: there the cancel ends nothing but the query itself, while inside
 * one it would abort the transaction (stream_results gives such results
 * a cursor that is simply closed).  A cancel that arrives after the
 * command ended is ignored by the server, which waits for the next
 * command only after the drain below.
 */
int sqlalc__pq_discard(void *stmt)
{
    pq_stmt *s = stmt;
    pq_conn *c = s->c;
    if (s->state == 1 && !s->stashed && !s->cur_fetch && c->active == s && s->tx_before == PQTRANS_IDLE) {
        /* what has arrived already is read without waiting: first what
         * libpq holds (a one-row result usually ends there, no system
         * call), then once what the socket holds (not in a loop: a server
         * still sending would keep it going) */
        int busy = 0;
        for (int pass = 0; pass < 2; pass++) {
            if (pass && !PQconsumeInput(c->pg))
                break;
            PGresult *r = NULL;
            while (!(busy = PQisBusy(c->pg)) && (r = PQgetResult(c->pg)) != NULL)
                PQclear(r);
            if (!busy)
                break;
        }
        if (busy) {
            PGcancel *k = PQgetCancel(c->pg);
            if (k) {
                char err[256];
                PQcancel(k, err, sizeof err);
                PQfreeCancel(k);
            }
        }
    }
    return sqlalc__pq_reset(s);
}

/* ------------------------------------------------------------------ */
/* Server-side cursors (execution option stream_results)               */
/* ------------------------------------------------------------------ */

/*
 * A statement whose rows come from a cursor: the engine hands the
 * dialect's statements (declare the cursor over the query, in a
 * transaction block or holding past its end; fetch the next batch; close
 * it).  Each batch is one PGresult read whole, so nothing stays on the
 * wire between steps: any number of cursors and other commands can share
 * the connection.
 */
int sqlalc__pq_prepare_cursor(void *conn, const char *sql, const char *declare, const char *declare_hold,
                              const char *fetch, const char *close, int nparams, void **out)
{
    int rc = sqlalc__pq_prepare(conn, sql, strlen(sql), nparams, out);
    if (rc)
        return rc;
    pq_stmt *s = *out;
    if (!(s->cur_declare = sqlalc__strdup(declare)) ||
        !(s->cur_declare_hold = sqlalc__strdup(declare_hold)) || !(s->cur_fetch = sqlalc__strdup(fetch)) ||
        !(s->cur_close = sqlalc__strdup(close))) {
        sqlalc__pq_finalize(s);
        *out = NULL;
        return sqlalc__oom();
    }
    return SQLALC_OK;
}

/* The next batch: SQLALC_ROW at its first row, SQLALC_DONE when empty. */
static int cursor_batch(pq_stmt *s)
{
    pq_conn *c = s->c;
    int rc = sqlalc__pq_idle(c);
    if (rc)
        return rc;
    PGresult *r = PQexec(c->pg, s->cur_fetch);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        s->state = 2;
        return stmt_fail(s, r);
    }
    if (s->cur && s->cur != s->meta)
        PQclear(s->cur);
    s->cur = NULL;
    s->ri = 0;
    if (!s->meta && (rc = sqlalc__pq_set_meta(s, r))) {
        s->state = 2;
        return rc;
    }
    int n = PQntuples(r);
    if (!n) {
        if (r != s->meta)
            PQclear(r);
        s->state = 2;
        s->rowcount = s->cur_rows;
        cursor_close(s);
        return SQLALC_DONE;
    }
    s->cur = r;
    s->cur_rows += n;
    s->state = 1;
    return SQLALC_ROW;
}

static int cursor_step(pq_stmt *s)
{
    if (s->state == 2)
        return SQLALC_DONE;
    if (s->state == 1) {
        if (s->cur && s->ri + 1 < PQntuples(s->cur)) {
            s->ri++;
            return SQLALC_ROW;
        }
        return cursor_batch(s);
    }
    pq_conn *c = s->c;
    int rc = sqlalc__pq_idle(c);
    if (!rc)
        rc = sqlalc__pq_resolve_params(s, s->nparams);
    if (rc) {
        sqlalc_buf_reset(&s->arena);
        return rc;
    }
    clear_rows(s);
    s->rowcount = -1;
    s->cur_rows = 0;
    /* outside a transaction block the cursor must outlive the
     * statement's own transaction */
    s->cur_hold = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
    PGresult *r = PQexecParams(c->pg, s->cur_hold ? s->cur_declare_hold : s->cur_declare, s->nparams, s->want,
                               s->pv, s->pl, s->pf, 0);
    sqlalc_buf_reset(&s->arena);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return stmt_fail(s, r);
    PQclear(r);
    s->cur_open = 1;
    s->cur_txgen = c->txgen;
    return cursor_batch(s);
}

/* Close the cursor if it still exists: one declared in a transaction
 * block went with the block's end, and in a failed block nothing runs. */
static void cursor_close(pq_stmt *s)
{
    pq_conn *c = s->c;
    s->cur_open = 0;
    if (PQstatus(c->pg) == CONNECTION_BAD || c->copying || sqlalc__pq_idle(c))
        return;
    PGTransactionStatusType tx = PQtransactionStatus(c->pg);
    if (tx == PQTRANS_INERROR || (!s->cur_hold && (tx != PQTRANS_INTRANS || c->txgen != s->cur_txgen)))
        return;
    PQclear(PQexec(c->pg, s->cur_close));
}

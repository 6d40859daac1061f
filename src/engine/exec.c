/*
 * Running SQL on a connection: the per-connection prepared-statement
 * cache (LRU), single statements, executemany and engine-level execution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "txsql.h"
#include "stream.h"
#include "../sql/expr_int.h"

/* ------------------------------------------------------------------ */
/* Engine                                                              */
/* ------------------------------------------------------------------ */

void sqlalc__stmt_entry_free(const sqlalc_driver *drv, stmt_entry *e)
{
    if (e->st)
        drv->finalize(e->st);
    sqlalc__textsql_free(&e->parsed);
    sqlalc_free(e->key);
    sqlalc_free(e);
}

static void lru_unlink(dbconn *db, stmt_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        db->lru_head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        db->lru_tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push_front(dbconn *db, stmt_entry *e)
{
    e->prev = NULL;
    e->next = db->lru_head;
    if (db->lru_head)
        db->lru_head->prev = e;
    db->lru_head = e;
    if (!db->lru_tail)
        db->lru_tail = e;
}

/* Evict least recently used entries not in use until under the limit. */
static void cache_trim(sqlalc_engine *eng, dbconn *db)
{
    stmt_entry *e = db->lru_tail;
    while (db->ncached > eng->cache_size && e) {
        stmt_entry *prev = e->prev;
        if (!e->in_use) {
            lru_unlink(db, e);
            sqlalc_map_remove(&db->cache, e->key, e->keylen);
            db->ncached--;
            sqlalc__stmt_entry_free(eng->driver, e);
        }
        e = prev;
    }
}

/* The key distinguishes raw text from compiled SQL with one leading byte,
 * since the same string means different placeholders in each. */
static int make_key(char kind, const char *sql, size_t len, char *stackbuf, size_t stacksize, char **key)
{
    char *k = len + 1 < stacksize ? stackbuf : sqlalc__malloc(len + 1);
    if (!k)
        return SQLALC_ERR_NOMEM;
    k[0] = kind;
    memcpy(k + 1, sql, len);
    *key = k;
    return SQLALC_OK;
}

/*
 * Find or prepare the statement for sql.  On success *e is the cache entry
 * (now in use) or NULL with *st a private statement (when the cached one
 * is busy with an open result); parsed points at the placeholder info.
 */
static int acquire_stmt(sqlalc_conn *conn, const char *sql, size_t len, int is_text, int nvals,
                        stmt_entry **oute, void **ost, sqlalc__textsql **parsed)
{
    sqlalc_engine *eng = conn->eng;
    dbconn *db = conn->db;
    char stackkey[512], *key = NULL;
    *oute = NULL;
    *ost = NULL;
    /* Loops run the same statement again and again: compare with the most
     * recently used entry before hashing the whole text. */
    stmt_entry *e = db->lru_head;
    if (!(e && e->keylen == len + 1 && e->key[0] == (is_text ? 'T' : 'C') && !memcmp(e->key + 1, sql, len))) {
        if (make_key(is_text ? 'T' : 'C', sql, len, stackkey, sizeof stackkey, &key))
            return SQLALC_ERR_NOMEM;
        e = sqlalc_map_get(&db->cache, key, len + 1);
    }
    int rc = SQLALC_OK;
    if (e) {
        if (key && key != stackkey)
            sqlalc_free(key);
        *parsed = &e->parsed;
        if (!e->in_use) {
            e->in_use = 1;
            if (db->lru_head != e) {
                lru_unlink(db, e);
                lru_push_front(db, e);
            }
            *oute = e;
            *ost = e->st;
            return SQLALC_OK;
        }
        /* The cached statement is being read: use a private one. */
        rc = eng->driver->prepare(db->dc, e->parsed.sql, e->parsed.len, e->parsed.nph, ost);
        if (rc)
            sqlalc__error_append_sql(e->parsed.sql);
        return sqlalc__conn_fail(conn, rc);
    }
    e = sqlalc__calloc(1, sizeof *e);
    if (!e) {
        if (key && key != stackkey)
            sqlalc_free(key);
        return SQLALC_ERR_NOMEM;
    }
    if (key == stackkey) {
        if (!(e->key = sqlalc__strndup(key, len + 1))) {
            sqlalc_free(e);
            return SQLALC_ERR_NOMEM;
        }
    } else
        e->key = key;
    e->keylen = len + 1;
    e->is_text = is_text;
    if (is_text) {
        char *text = sqlalc__strndup(sql, len);
        rc = text ? sqlalc__textsql_parse(text, eng->driver->paramstyle, eng->dialect->syntax, &e->parsed)
                  : SQLALC_ERR_NOMEM;
        sqlalc_free(text);
    } else {
        /* Compiled SQL is already in the driver's paramstyle, with nvals
         * placeholders (names stay NULL). */
        e->parsed.sql = sqlalc__strndup(sql, len);
        e->parsed.len = len;
        e->parsed.nph = nvals;
        rc = e->parsed.sql ? SQLALC_OK : SQLALC_ERR_NOMEM;
    }
    if (rc == SQLALC_OK) {
        rc = sqlalc__conn_fail(
            conn, eng->driver->prepare(db->dc, e->parsed.sql, e->parsed.len, e->parsed.nph, &e->st));
        if (rc)
            sqlalc__error_append_sql(e->parsed.sql);
    }
    if (rc == SQLALC_OK)
        rc = sqlalc_map_put(&db->cache, e->key, e->keylen, e);
    if (rc != SQLALC_OK) {
        sqlalc__stmt_entry_free(eng->driver, e);
        return rc;
    }
    e->in_use = 1;
    lru_push_front(db, e);
    db->ncached++;
    cache_trim(eng, db);
    *oute = e;
    *ost = e->st;
    *parsed = &e->parsed;
    return SQLALC_OK;
}

/* The loop case, checked before anything else: the statement just run
 * comes again (the idle head of the LRU list). */
static inline int acquire_hot(sqlalc_conn *conn, const char *sql, size_t len, char kind, stmt_entry **oute,
                              void **ost, sqlalc__textsql **parsed)
{
    stmt_entry *e = conn->db->lru_head;
    if (e && !e->in_use && e->keylen == len + 1 && e->key[0] == kind && !memcmp(e->key + 1, sql, len)) {
        e->in_use = 1;
        *oute = e;
        *ost = e->st;
        *parsed = &e->parsed;
        return 1;
    }
    return 0;
}

/* A result (or an execution without one) is finished with a statement. */
void sqlalc__conn_stmt_done(sqlalc_conn *conn, stmt_entry *e, void *st)
{
    const sqlalc_driver *drv = conn->eng->driver;
    if (e) {
        drv->reset(e->st);
        e->in_use = 0;
    } else if (st)
        drv->finalize(st);
}

/* ------------------------------------------------------------------ */
/* Execution                                                           */
/* ------------------------------------------------------------------ */

/* The statement events, when someone listens (echo is a listener). */
#define EXEC_EVENTS                                                                                   \
    (SQLALC_EVENT_MASK(SQLALC_EVENT_BEFORE_EXECUTE) | SQLALC_EVENT_MASK(SQLALC_EVENT_AFTER_EXECUTE) | \
     SQLALC_EVENT_MASK(SQLALC_EVENT_ERROR))

static inline unsigned exec_events(sqlalc_engine *eng)
{
    return atomic_load_explicit(&eng->ev_mask, memory_order_relaxed) & EXEC_EVENTS;
}

/* Fire ev (kind set) if listened to; before sets *t0 for the elapsed time. */
static void exec_event(sqlalc_conn *conn, sqlalc_event *ev, sqlalc_event_kind kind, double *t0)
{
    sqlalc_engine *eng = conn->eng;
    if (kind != SQLALC_EVENT_BEFORE_EXECUTE)
        ev->elapsed = sqlalc__now() - *t0;
    if (sqlalc__event_on(eng, kind)) {
        ev->kind = kind;
        if (kind == SQLALC_EVENT_ERROR) {
            ev->error = sqlalc_error_last();
            ev->code = ev->error->code;
        }
        sqlalc__saved_error saved;
        sqlalc__error_save(&saved);
        sqlalc__event_fire(eng, ev);
        sqlalc__error_restore(&saved); /* a listener's own calls must not hide an error */
    }
    if (kind == SQLALC_EVENT_BEFORE_EXECUTE)
        *t0 = sqlalc__now();
}

/* A statement that could not even be prepared is an ERROR event too. */
static int prepare_failed(sqlalc_conn *conn, const char *sql, int rc)
{
    if (sqlalc__event_on(conn->eng, SQLALC_EVENT_ERROR)) {
        sqlalc_event ev;
        memset(&ev, 0, sizeof ev);
        ev.conn = conn;
        ev.sql = sql;
        ev.rowcount = -1;
        double t0 = sqlalc__now();
        exec_event(conn, &ev, SQLALC_EVENT_ERROR, &t0);
    }
    return rc;
}

/* A value the driver refused: the message names the bind as the caller
 * wrote it (":name"), when the statement has names. */
static void bind_failed(char *const *names, int i)
{
    if (!names || !names[i])
        return;
    sqlalc_error e = *sqlalc_error_last();
    char msg[512]; /* (the message lives in the buffer about to be rewritten) */
    snprintf(msg, sizeof msg, "%s", e.message);
    sqlalc_error_set_full(e.code, e.sqlstate[0] ? e.sqlstate : NULL, e.driver_code, "parameter :%s: %s",
                          names[i], msg);
}

/* Bind parameter i; with the compiled statement's parameter types
 * (ptypes, NULL for raw SQL) through the driver's bind_typed when it
 * has one, so it can choose the SQL type (NVARCHAR only for Unicode). */
static inline int bind_param(const sqlalc_driver *drv, void *st, int i, const sqlalc_value *v,
                             const sqlalc_cparam *ptypes)
{
    if (ptypes && ptypes[i].type && drv->bind_typed)
        return drv->bind_typed(st, i, v, ptypes[i].type);
    return drv->bind(st, i, v);
}

/* run_stmt with listeners: the same steps, timed and reported. */
static int run_stmt_watched(sqlalc_conn *conn, stmt_entry *e, void *st, const char *sql,
                            const sqlalc_value *vals, int nvals, char *const *names,
                            const sqlalc_cparam *ptypes, sqlalc_result **out)
{
    const sqlalc_driver *drv = conn->eng->driver;
    int rc = SQLALC_OK;
    for (int i = 0; i < nvals && rc == SQLALC_OK; i++)
        if ((rc = bind_param(drv, st, i, &vals[i], ptypes)))
            bind_failed(names, i);
    sqlalc_event ev;
    memset(&ev, 0, sizeof ev);
    ev.conn = conn;
    ev.sql = sql;
    ev.params = vals;
    ev.nparams = nvals;
    ev.param_names = names;
    ev.rowcount = -1;
    double t0 = 0;
    if (rc == SQLALC_OK) {
        exec_event(conn, &ev, SQLALC_EVENT_BEFORE_EXECUTE, &t0);
        rc = drv->step(st);
    }
    if (rc < 0) {
        sqlalc__error_append_sql(sql);
        sqlalc__conn_stmt_done(conn, e, st);
        rc = sqlalc__conn_fail(conn, rc);
        if (t0 > 0)
            exec_event(conn, &ev, SQLALC_EVENT_ERROR, &t0);
        return rc;
    }
    ev.rowcount = drv->rowcount ? drv->rowcount(st) : -1;
    exec_event(conn, &ev, SQLALC_EVENT_AFTER_EXECUTE, &t0);
    if (out)
        return sqlalc__result_open(conn, e, st, rc, sql, out);
    sqlalc__conn_stmt_done(conn, e, st);
    return SQLALC_OK;
}

/* eo: the effective execution options of this statement (never NULL);
 * names: the parameters' names for events (NULL when positional). */
static inline int run_stmt(sqlalc_conn *conn, stmt_entry *e, void *st, const char *sql,
                           const sqlalc_value *vals, int nvals, char *const *names,
                           const sqlalc_cparam *ptypes, const sqlalc_execution_options *eo,
                           sqlalc_result **out)
{
    const sqlalc_driver *drv = conn->eng->driver;
    /* (the timeout rarely changes between statements: test before calling) */
    int rc = eo->timeout == conn->db->timeout ? SQLALC_OK : sqlalc__conn_apply_opts(conn, eo);
    if (eo->stream_results > 0 && out && rc == SQLALC_OK) {
        /* a query streamed through a server-side cursor: its own statement */
        void *cst;
        rc = sqlalc__conn_fail(conn, sqlalc__stream_prepare(conn, sql, nvals, eo->yield_per, &cst));
        if (rc || cst) {
            sqlalc__conn_stmt_done(conn, e, st);
            if (rc)
                return rc;
            e = NULL;
            st = cst;
        }
    }
    if (rc == SQLALC_OK && exec_events(conn->eng))
        return run_stmt_watched(conn, e, st, sql, vals, nvals, names, ptypes, out);
    for (int i = 0; i < nvals && rc == SQLALC_OK; i++)
        if ((rc = bind_param(drv, st, i, &vals[i], ptypes)))
            bind_failed(names, i);
    if (rc == SQLALC_OK)
        rc = drv->step(st);
    if (rc < 0) {
        sqlalc__error_append_sql(sql);
        sqlalc__conn_stmt_done(conn, e, st);
        return sqlalc__conn_fail(conn, rc);
    }
    if (out)
        return sqlalc__result_open(conn, e, st, rc, sql, out);
    sqlalc__conn_stmt_done(conn, e, st);
    return SQLALC_OK;
}

int sqlalc_conn_execute_sql(sqlalc_conn *conn, const char *sql, const sqlalc_params *params,
                            sqlalc_result **out)
{
    return sqlalc_conn_execute_sql_opts(conn, sql, params, NULL, out);
}

int sqlalc_conn_execute_sql_opts(sqlalc_conn *conn, const char *sql, const sqlalc_params *params,
                                 const sqlalc_execution_options *o, sqlalc_result **out)
{
    if (out)
        *out = NULL;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    sqlalc_execution_options eff;
    const sqlalc_execution_options *eo;
    if ((rc = sqlalc__conn_stmt_opts(conn, o, &eff, &eo)))
        return rc;
    if (!sql)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "exec_text: sql is NULL");
    stmt_entry *e;
    void *st;
    sqlalc__textsql *parsed;
    size_t len = strlen(sql);
    if (!acquire_hot(conn, sql, len, 'T', &e, &st, &parsed) &&
        (rc = acquire_stmt(conn, sql, len, 1, -1, &e, &st, &parsed)))
        return prepare_failed(conn, sql, rc);
    sqlalc_value stackvals[16], *vals = stackvals;
    if (parsed->nph > (int)SQLALC_ARRAY_LEN(stackvals) &&
        !(vals = sqlalc__calloc((size_t)parsed->nph, sizeof *vals))) {
        sqlalc__conn_stmt_done(conn, e, st);
        return SQLALC_ERR_NOMEM;
    }
    rc = sqlalc__textsql_bind_mapped(parsed, params, vals);
    if (rc == SQLALC_OK) {
        rc = run_stmt(conn, e, st, parsed->sql, vals, parsed->nph, parsed->names, NULL, eo, out);
    } else
        sqlalc__conn_stmt_done(conn, e, st);
    if (vals != stackvals)
        sqlalc_free(vals);
    return rc;
}

int sqlalc__conn_exec_compiled(sqlalc_conn *conn, const char *sql, size_t len, const sqlalc_value *vals,
                               int nvals, sqlalc_result **out)
{
    return sqlalc__conn_exec_compiled_opts(conn, sql, len, vals, nvals, NULL, NULL, out);
}

int sqlalc__conn_exec_compiled_opts(sqlalc_conn *conn, const char *sql, size_t len, const sqlalc_value *vals,
                                    int nvals, const sqlalc_cparam *ptypes,
                                    const sqlalc_execution_options *eo, sqlalc_result **out)
{
    if (out)
        *out = NULL;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    stmt_entry *e;
    void *st;
    sqlalc__textsql *parsed;
    if (!acquire_hot(conn, sql, len, 'C', &e, &st, &parsed) &&
        (rc = acquire_stmt(conn, sql, len, 0, nvals, &e, &st, &parsed)))
        return prepare_failed(conn, sql, rc);
    return run_stmt(conn, e, st, parsed->sql, vals, nvals, NULL, ptypes, eo ? eo : &conn->opts, out);
}

/* SQL without parameters or rows through the driver's plain execution
 * (ODBC's SQLExecDirect: a batch of its own, so a session setting it makes
 * lasts, where SQL Server undoes one made inside a prepared statement's
 * procedure), with the statement events. */
int sqlalc__conn_exec_direct(sqlalc_conn *conn, const char *sql)
{
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    const sqlalc_driver *drv = conn->eng->driver;
    if (!drv->exec_simple)
        return sqlalc__conn_exec_compiled(conn, sql, strlen(sql), NULL, 0, NULL);
    sqlalc_event ev;
    memset(&ev, 0, sizeof ev);
    ev.conn = conn;
    ev.sql = sql;
    ev.rowcount = -1;
    double t0 = 0;
    unsigned watched = exec_events(conn->eng);
    if (watched)
        exec_event(conn, &ev, SQLALC_EVENT_BEFORE_EXECUTE, &t0);
    rc = drv->exec_simple(conn->db->dc, sql);
    if (rc) {
        sqlalc__error_append_sql(sql);
        rc = sqlalc__conn_fail(conn, rc);
    }
    if (watched)
        exec_event(conn, &ev, rc ? SQLALC_EVENT_ERROR : SQLALC_EVENT_AFTER_EXECUTE, &t0);
    return rc;
}

int sqlalc__conn_exec_compiled_once(sqlalc_conn *conn, const char *sql, size_t len, const sqlalc_value *vals,
                                    int nvals, const sqlalc_cparam *ptypes,
                                    const sqlalc_execution_options *eo, sqlalc_result **out)
{
    if (out)
        *out = NULL;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    void *st;
    rc = sqlalc__conn_fail(conn, conn->eng->driver->prepare(conn->db->dc, sql, len, nvals, &st));
    if (rc) {
        sqlalc__error_append_sql(sql);
        return prepare_failed(conn, sql, rc);
    }
    return run_stmt(conn, NULL, st, sql, vals, nvals, NULL, ptypes, eo ? eo : &conn->opts, out);
}

/* Run nsets rows through a prepared statement: the driver's batch entry
 * when it has one, else bind/step/reset per row. */
static int run_batch(sqlalc_conn *conn, void *st, const sqlalc_value *vals, int nvals, size_t nsets,
                     const sqlalc_cparam *ptypes, int64_t *count)
{
    const sqlalc_driver *drv = conn->eng->driver;
    if (drv->exec_batch) {
        int64_t n = 0;
        int rc = drv->exec_batch(st, vals, nsets, nvals, &n);
        *count += n;
        return sqlalc__conn_fail(conn, rc);
    }
    for (size_t r = 0; r < nsets; r++) {
        int rc = SQLALC_OK;
        for (int i = 0; i < nvals && rc == SQLALC_OK; i++)
            rc = bind_param(drv, st, i, &vals[r * (size_t)nvals + (size_t)i], ptypes);
        if (rc == SQLALC_OK)
            rc = drv->step(st);
        if (rc >= 0) {
            int64_t c = drv->rowcount(st);
            if (c > 0)
                *count += c;
        }
        drv->reset(st);
        if (rc < 0) {
            sqlalc_error_set_batch_position(r, 1);
            return sqlalc__conn_fail(conn, rc);
        }
    }
    return SQLALC_OK;
}

/* executemany keeps all-or-nothing: its own transaction in autocommit
 * mode, a savepoint inside an explicit transaction. */
static int many_begin(sqlalc_conn *conn, int *mode)
{
    if (conn->db->tx_auto || (conn->db->tx_depth == 0 && conn->opts.isolation_level &&
                              !strcmp(conn->opts.isolation_level, "AUTOCOMMIT"))) {
        *mode = 0; /* AUTOCOMMIT: each row commits as it goes */
        return SQLALC_OK;
    }
    if (conn->db->tx_depth == 0) {
        *mode = 1;
        return sqlalc__conn_tx_open(conn); /* the connection's isolation and readonly */
    }
    *mode = 2;
    return sqlalc__conn_fail(
        conn, sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_CREATE, "sqlalc_many"));
}

static int many_end(sqlalc_conn *conn, int mode, int rc)
{
    const sqlalc_engine *eng = conn->eng;
    dbconn *db = conn->db;
    if (rc == SQLALC_OK) {
        if (mode == 1)
            return sqlalc__conn_tx_close(conn, 1); /* rolls back if the commit fails */
        rc = sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_RELEASE, "sqlalc_many");
        if (rc == SQLALC_OK)
            return SQLALC_OK;
        sqlalc__conn_fail(conn, rc);
    }
    /* Keep the first error (message, where in the batch) while undoing. */
    sqlalc__saved_error saved;
    sqlalc__error_save(&saved);
    if (mode == 1)
        sqlalc__conn_tx_close(conn, 0);
    else if (!db->invalid &&
             sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_ROLLBACK, "sqlalc_many") == SQLALC_OK)
        sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_RELEASE, "sqlalc_many");
    sqlalc__error_restore(&saved);
    return rc;
}

#define MANY_CHUNK 1024
#define MANY_CHUNK_VALUES 65536 /* a chunk's values (multi-row batches carry many per set) */

/* Errors that belong to one parameter set (a constraint, a bad value, a
 * statement the values break), worth finding the set for; not a lost
 * connection, a lock or serialization conflict, or memory. */
static int set_error(int code)
{
    return code == SQLALC_ERR_INTEGRITY || code == SQLALC_ERR_DATA || code == SQLALC_ERR_PROGRAMMING ||
           code == SQLALC_ERR_DATABASE || code == SQLALC_ERR_OPERATIONAL || code == SQLALC_ERR_INTERNAL;
}

typedef struct many_run {
    sqlalc_conn *conn;
    void *st;
    int nvals, mode;
    size_t chunk;
    sqlalc_value *vals;
    sqlalc__fill_fn fill;
    void *ctx;
    const sqlalc_cparam *ptypes;
} many_run;

/* Run sets [from, to) in chunks through the batch entry. */
static int run_sets(const many_run *m, size_t from, size_t to, int64_t *total)
{
    int rc = SQLALC_OK;
    for (size_t done = from; rc == SQLALC_OK && done < to; done += m->chunk) {
        size_t n = to - done < m->chunk ? to - done : m->chunk;
        rc = m->fill(m->ctx, done, n, m->vals);
        if (rc == SQLALC_OK) {
            rc = run_batch(m->conn, m->st, m->vals, m->nvals, n, m->ptypes, total);
            if (rc) {
                /* the driver's position is within this call: make it the caller's */
                size_t f, c;
                if (sqlalc__error_batch_position(&f, &c) && f < n)
                    sqlalc_error_set_batch_position(done + f, c < n - f ? c : n - f);
                else
                    sqlalc_error_set_batch_position(done, n);
            }
        }
    }
    return rc;
}

/*
 * A statement covering sets [first, first + count) failed as a whole (a
 * multi-row INSERT).  Undo the run, run it again up to there, then those
 * sets one at a time: the first that fails is the one to name, with its
 * own error.  Nothing of the rerun stays (the whole executemany is rolled
 * back).  Returns 1 with *bad set and that set's error recorded, or 0
 * with the original error put back.
 */
static int find_failed_set(const many_run *m, size_t first, size_t count, size_t *bad)
{
    sqlalc_conn *conn = m->conn;
    const sqlalc_engine *eng = conn->eng;
    dbconn *db = conn->db;
    sqlalc_error saved = *sqlalc_error_last();
    char msg[1024], detail[512], hint[256], cname[128];
    snprintf(msg, sizeof msg, "%s", saved.message);
    snprintf(detail, sizeof detail, "%s", saved.detail ? saved.detail : "");
    snprintf(hint, sizeof hint, "%s", saved.hint ? saved.hint : "");
    snprintf(cname, sizeof cname, "%s", saved.constraint_name ? saved.constraint_name : "");
    int found = 0, rc;
    if (m->mode == 1)
        rc = sqlalc__db_rollback(eng, db) == SQLALC_OK
                 ? sqlalc__db_begin(eng, db, db->tx_iso, db->tx_ro) /* as many_begin began it */
                 : SQLALC_ERR_GENERIC;
    else
        rc = sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_ROLLBACK, "sqlalc_many");
    int64_t ignored = 0;
    if (rc == SQLALC_OK && !db->invalid)
        rc = run_sets(m, 0, first, &ignored);
    for (size_t i = first; rc == SQLALC_OK && !db->invalid && i < first + count; i++)
        if (run_sets(m, i, i + 1, &ignored) != SQLALC_OK) {
            found = set_error(sqlalc_error_last()->code);
            *bad = i;
            break;
        }
    if (!found) {
        sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code, "%s", msg);
        sqlalc_error_set_extra(saved.detail ? detail : NULL, saved.hint ? hint : NULL,
                               saved.constraint_name ? cname : NULL);
    }
    return found;
}

/*
 * The one executemany loop: parameter sets are produced chunk by chunk by
 * fill (so a large batch is never copied whole), each chunk runs through
 * the driver's batch entry, and the whole run is one transaction (or a
 * savepoint inside the caller's).  A failure names the parameter set it
 * came from, counted from 0 over all the sets.  e/st come from
 * acquire_stmt and are given back here.
 */
static int run_many(sqlalc_conn *conn, stmt_entry *e, void *st, const char *shown, int nvals, size_t nsets,
                    sqlalc__fill_fn fill, void *ctx, const sqlalc_cparam *ptypes, size_t base, size_t per,
                    int64_t *rowcount)
{
    size_t chunk = nsets < MANY_CHUNK ? nsets : MANY_CHUNK;
    if (nvals > 0 && chunk > 1 && chunk * (size_t)nvals > MANY_CHUNK_VALUES)
        chunk = MANY_CHUNK_VALUES / (size_t)nvals ? MANY_CHUNK_VALUES / (size_t)nvals : 1;
    sqlalc_value *vals = sqlalc__calloc((chunk ? chunk : 1) * (size_t)(nvals > 0 ? nvals : 1), sizeof *vals);
    int rc = vals ? sqlalc__conn_apply_opts(conn, &conn->opts) : SQLALC_ERR_NOMEM, mode = 0;
    int64_t total = 0;
    sqlalc_event ev;
    double t0 = 0;
    unsigned watched = exec_events(conn->eng);
    if (rc == SQLALC_OK) {
        rc = many_begin(conn, &mode);
        if (rc != SQLALC_OK)
            mode = 0;
    }
    if (watched && rc == SQLALC_OK) {
        memset(&ev, 0, sizeof ev);
        ev.conn = conn;
        ev.sql = shown;
        ev.nsets = nsets;
        ev.rowcount = -1;
        exec_event(conn, &ev, SQLALC_EVENT_BEFORE_EXECUTE, &t0);
    }
    many_run m = { conn, st, nvals, mode, chunk ? chunk : 1, vals, fill, ctx, ptypes };
    if (rc == SQLALC_OK && (rc = run_sets(&m, 0, nsets, &total)) != SQLALC_OK) {
        size_t f, c;
        if (sqlalc__error_batch_position(&f, &c)) {
            int code = sqlalc_error_last()->code;
            if (per > 1) {
                /* several of the caller's sets per execution: it narrows */
                sqlalc__error_append_sql(shown);
                sqlalc_error_set_batch_position(base + f * per, c * per);
            } else {
                if (c > 1 && mode && !conn->db->invalid && set_error(code) && find_failed_set(&m, f, c, &f))
                    c = 1;
                if (c == 1)
                    sqlalc__error_prefix("executemany parameter set %zu", base + f);
                else
                    sqlalc__error_prefix("executemany parameter sets %zu..%zu", base + f, base + f + c - 1);
                sqlalc__error_append_sql(shown);
                sqlalc_error_set_batch_position(0, 0); /* named: nothing left to narrow */
            }
        }
    }
    if (mode)
        rc = many_end(conn, mode, rc);
    if (watched && t0 > 0) {
        ev.rowcount = total;
        exec_event(conn, &ev, rc == SQLALC_OK ? SQLALC_EVENT_AFTER_EXECUTE : SQLALC_EVENT_ERROR, &t0);
    }
    sqlalc_free(vals);
    sqlalc__conn_stmt_done(conn, e, st);
    if (rc == SQLALC_OK && rowcount)
        *rowcount = total;
    return rc;
}

typedef struct text_fill {
    sqlalc__textsql *parsed;
    const sqlalc_params *sets;
} text_fill;

static int fill_text(void *p, size_t first, size_t n, sqlalc_value *vals)
{
    text_fill *tf = p;
    int nph = tf->parsed->nph;
    for (size_t r = 0; r < n; r++) {
        int rc = sqlalc__textsql_bind_mapped(tf->parsed, &tf->sets[first + r], vals + r * (size_t)nph);
        if (rc) {
            sqlalc__error_prefix("parameter set %zu", first + r);
            return rc;
        }
    }
    return SQLALC_OK;
}

int sqlalc_conn_execute_sql_many(sqlalc_conn *conn, const char *sql, const sqlalc_params *sets, size_t nsets,
                                 int64_t *rowcount)
{
    if (rowcount)
        *rowcount = 0;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    if (!sql || (!sets && nsets))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "exec_text_many: sql or sets is NULL");
    stmt_entry *e;
    void *st;
    sqlalc__textsql *parsed;
    rc = acquire_stmt(conn, sql, strlen(sql), 1, -1, &e, &st, &parsed);
    if (rc)
        return prepare_failed(conn, sql, rc);
    text_fill tf = { parsed, sets };
    return run_many(conn, e, st, parsed->sql, parsed->nph, nsets, fill_text, &tf, NULL, 0, 1, rowcount);
}

int sqlalc__conn_exec_compiled_fill(sqlalc_conn *conn, const char *sql, size_t len, int nvals, size_t nsets,
                                    sqlalc__fill_fn fill, void *ctx, const sqlalc_cparam *ptypes, size_t base,
                                    size_t per, int64_t *rowcount)
{
    if (rowcount)
        *rowcount = 0;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    stmt_entry *e;
    void *st;
    sqlalc__textsql *parsed;
    rc = acquire_stmt(conn, sql, len, 0, nvals, &e, &st, &parsed);
    if (rc)
        return prepare_failed(conn, sql, rc);
    return run_many(conn, e, st, parsed->sql, nvals, nsets, fill, ctx, ptypes, base, per ? per : 1, rowcount);
}

/* Engine-level execution: the result owns the connection. */
static int engine_finish(sqlalc_conn *conn, int rc, sqlalc_result **out)
{
    if (rc == SQLALC_OK && out && *out)
        sqlalc__result_own_conn(*out, conn);
    else
        sqlalc_conn_close(conn);
    return rc;
}

int sqlalc_engine_execute_sql(sqlalc_engine *eng, const char *sql, const sqlalc_params *params,
                              sqlalc_result **out)
{
    if (out)
        *out = NULL;
    sqlalc_conn *conn;
    int rc = sqlalc_engine_connect(eng, &conn);
    if (rc)
        return rc;
    return engine_finish(conn, sqlalc_conn_execute_sql(conn, sql, params, out), out);
}

int sqlalc__engine_exec_compiled(sqlalc_engine *eng, const char *sql, size_t len, const sqlalc_value *vals,
                                 int nvals, sqlalc_result **out)
{
    if (out)
        *out = NULL;
    sqlalc_conn *conn;
    int rc = sqlalc_engine_connect(eng, &conn);
    if (rc)
        return rc;
    return engine_finish(conn, sqlalc__conn_exec_compiled(conn, sql, len, vals, nvals, out), out);
}

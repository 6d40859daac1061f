/*
 * The pool and connections.
 *
 * QUEUE and EMBEDDED pools are SQLAlchemy's QueuePool: a list of idle
 * driver connections (kept with their prepared statements), a count of
 * every connection the pool has open, and a condition variable that
 * checkouts wait on when pool_size + max_overflow are out.  Connecting,
 * pinging and closing happen outside the lock; a slot is reserved (nopen)
 * before connecting so the limit holds while the lock is released.
 *
 * Invalidation uses a generation number: a disconnect (or a failed
 * pre-ping, or dispose) bumps eng->gen, and a connection opened under an
 * older generation is replaced at its next checkout and closed at checkin,
 * the way SQLAlchemy compares a record's start time with the pool's
 * invalidation time.
 *
 * THREAD pools (in-memory SQLite) keep one connection per thread, shared by
 * that thread's checkouts: its data lives only in that connection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__GLIBC__) || defined(__APPLE__)
#    include <dlfcn.h>
#    define HAVE_DLADDR 1
#endif
#include "txsql.h"

void sqlalc__dbconn_free(sqlalc_engine *eng, dbconn *db)
{
    if (!db)
        return;
    for (stmt_entry *e = db->lru_head, *n; e; e = n) {
        n = e->next;
        sqlalc__stmt_entry_free(eng->driver, e);
    }
    sqlalc_map_free(&db->cache);
    sqlalc_free(db->spare);
    if (db->dc)
        eng->driver->close(db->dc);
    sqlalc_free(db);
}

static void free_list(sqlalc_engine *eng, dbconn *d)
{
    for (dbconn *n; d; d = n) {
        n = d->next;
        sqlalc__dbconn_free(eng, d);
    }
}

void sqlalc__pool_init(sqlalc_engine *eng)
{
    pthread_mutex_init(&eng->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&eng->cond, &ca);
    pthread_condattr_destroy(&ca);
}

void sqlalc__pool_free(sqlalc_engine *eng)
{
    free_list(eng, eng->idle);
    free_list(eng, eng->threads);
    eng->idle = eng->idle_tail = eng->threads = NULL;
    pthread_cond_destroy(&eng->cond);
    pthread_mutex_destroy(&eng->lock);
}

void sqlalc_engine_dispose(sqlalc_engine *eng)
{
    if (!eng)
        return;
    pthread_mutex_lock(&eng->lock);
    dbconn *idle = eng->idle, *threads = NULL, **pp = &eng->threads;
    eng->idle = eng->idle_tail = NULL;
    eng->nopen -= eng->nidle;
    eng->nidle = 0;
    eng->gen++; /* the checked-out ones close when they come back */
    /* Thread connections still in use stay; the rest go. */
    while (*pp) {
        dbconn *d = *pp;
        if (d->users == 0) {
            *pp = d->next;
            d->next = threads;
            threads = d;
            eng->nopen--;
        } else
            pp = &d->next;
    }
    pthread_cond_broadcast(&eng->cond); /* slots came free */
    pthread_mutex_unlock(&eng->lock);
    free_list(eng, idle);
    free_list(eng, threads);
}

/* ------------------------------------------------------------------ */
/* Checkout                                                            */
/* ------------------------------------------------------------------ */

static int open_dbconn(sqlalc_engine *eng, dbconn **out)
{
    dbconn *db = sqlalc__calloc(1, sizeof *db);
    if (!db)
        return SQLALC_ERR_NOMEM;
    pthread_mutex_lock(&eng->lock);
    db->gen = eng->gen;
    pthread_mutex_unlock(&eng->lock);
    int rc = eng->driver->connect(eng->url, &db->dc);
    if (rc == SQLALC_OK && (rc = sqlalc__db_on_connect(eng, db)) != SQLALC_OK)
        eng->driver->close(db->dc);
    if (rc != SQLALC_OK) {
        sqlalc_free(db);
        return rc;
    }
    db->created = sqlalc__now();
    sqlalc__engine_log(eng, "connected to %s", eng->masked_url);
    *out = db;
    return SQLALC_OK;
}

/* Under the lock: conn joins / leaves the checked-out list. */
static void out_link(sqlalc_engine *eng, sqlalc_conn *c)
{
    c->out_next = NULL;
    c->out_prev = eng->out_tail;
    if (eng->out_tail)
        eng->out_tail->out_next = c;
    else
        eng->out_head = c;
    eng->out_tail = c;
}

static void out_unlink(sqlalc_engine *eng, sqlalc_conn *c)
{
    if (c->out_prev)
        c->out_prev->out_next = c->out_next;
    else
        eng->out_head = c->out_next;
    if (c->out_next)
        c->out_next->out_prev = c->out_prev;
    else
        eng->out_tail = c->out_prev;
    c->out_prev = c->out_next = NULL;
}

static void describe_caller(char *buf, size_t n, const sqlalc_conn *c)
{
    if (c->tag) {
        snprintf(buf, n, "%s", c->tag);
        return;
    }
    if (!c->caller) {
        snprintf(buf, n, "?");
        return;
    }
#ifdef HAVE_DLADDR
    Dl_info info;
    if (dladdr(c->caller, &info) && info.dli_sname) {
        snprintf(buf, n, "%s+0x%lx", info.dli_sname,
                 (unsigned long)((const char *)c->caller - (const char *)info.dli_saddr));
        return;
    }
#endif
    snprintf(buf, n, "%p", c->caller);
}

/* Under the lock: the SQLALC_ERR_TIMEOUT a checkout that waited too long
 * gets, naming the pool's state and (pool_debug, tags) where the
 * connections out were taken. */
static int timeout_error(sqlalc_engine *eng)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    int out = eng->nopen - eng->nidle;
    sqlalc_buf_printf(&b,
                      "QueuePool limit of size %d overflow %d reached, connection timed out, timeout %.2f "
                      "(%s: %d checked out, %d idle, %d waiting",
                      eng->opt.pool_size, eng->opt.max_overflow, eng->opt.pool_timeout, eng->masked_url, out,
                      eng->nidle, eng->nwaiting);
    int listed = 0, tagged = 0;
    double now = sqlalc__now();
    for (const sqlalc_conn *c = eng->out_head; c; c = c->out_next)
        if (c->tag || c->caller) {
            if (listed < 8) {
                char where[160];
                describe_caller(where, sizeof where, c);
                sqlalc_buf_printf(&b, "%s%s for %.1f s", listed ? ", " : "; taken at ", where,
                                  now - c->checkout_time);
                listed++;
            }
            tagged++;
        }
    if (tagged > listed)
        sqlalc_buf_printf(&b, " and %d more", tagged - listed);
    if (!tagged && out)
        sqlalc_buf_puts(&b, "; set pool_debug or use SQLALC_ENGINE_CONNECT to see where they were taken");
    sqlalc_buf_putc(&b, ')');
    int rc =
        sqlalc_error_set_full(SQLALC_ERR_TIMEOUT, "HYT00", 0, "%s",
                              sqlalc_buf_cstr(&b) ? b.p : "QueuePool limit reached, connection timed out");
    sqlalc_buf_free(&b);
    return rc;
}

static void deadline_ts(double deadline, struct timespec *ts)
{
    ts->tv_sec = (time_t)deadline;
    ts->tv_nsec = (long)((deadline - (double)ts->tv_sec) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Give a slot back (a connection closed or never opened); under the lock. */
static void slot_free(sqlalc_engine *eng)
{
    eng->nopen--;
    pthread_cond_signal(&eng->cond);
}

/*
 * Take an idle connection or a slot to open one, waiting up to
 * pool_timeout.  *db is the idle connection, or NULL to connect.
 */
static int queue_take(sqlalc_engine *eng, sqlalc_conn *c, dbconn **db, int *replace)
{
    int limit = eng->opt.pool_size + eng->opt.max_overflow;
    int unlimited = eng->opt.max_overflow < 0 || eng->opt.pool_size == 0;
    int waited = 0;
    double deadline = 0;
    pthread_mutex_lock(&eng->lock);
    for (;;) {
        if (eng->idle) {
            *db = eng->idle;
            eng->idle = (*db)->next;
            if (!eng->idle)
                eng->idle_tail = NULL;
            (*db)->next = NULL;
            eng->nidle--;
            break;
        }
        if (unlimited || eng->nopen < limit) {
            *db = NULL;
            eng->nopen++;
            break;
        }
        if (!waited) {
            waited = 1;
            eng->stats.waits++;
            deadline = sqlalc__now() + eng->opt.pool_timeout;
        }
        eng->nwaiting++;
        int w;
        if (eng->opt.pool_timeout < 0)
            w = pthread_cond_wait(&eng->cond, &eng->lock);
        else {
            struct timespec ts;
            deadline_ts(deadline, &ts);
            w = pthread_cond_timedwait(&eng->cond, &eng->lock, &ts);
        }
        eng->nwaiting--;
        if (w == ETIMEDOUT && !eng->idle && eng->nopen >= limit) {
            eng->stats.timeouts++;
            int rc = timeout_error(eng);
            pthread_mutex_unlock(&eng->lock);
            return rc;
        }
    }
    eng->stats.checkouts++;
    c->checkout_time = sqlalc__now();
    out_link(eng, c);
    /* Older than the last invalidation, or past pool_recycle: replace it. */
    *replace = 0;
    if (*db && (*db)->gen != eng->gen)
        *replace = 1;
    else if (*db && eng->opt.pool_recycle > 0 && c->checkout_time - (*db)->created > eng->opt.pool_recycle) {
        *replace = 2;
        eng->stats.recycles++;
    }
    pthread_mutex_unlock(&eng->lock);
    return SQLALC_OK;
}

/* db (of conn c) was found dead: it retires every connection opened before
 * it (they likely died with it: server restart, failover), and listeners
 * hear of it. */
static void invalidated(sqlalc_engine *eng, sqlalc_conn *c, dbconn *db, int rc)
{
    pthread_mutex_lock(&eng->lock);
    if (db->gen == eng->gen)
        eng->gen++;
    eng->stats.invalidations++;
    pthread_mutex_unlock(&eng->lock);
    if (sqlalc__event_on(eng, SQLALC_EVENT_INVALIDATE)) {
        sqlalc_event ev = { .kind = SQLALC_EVENT_INVALIDATE,
                            .conn = c,
                            .code = rc,
                            .error = sqlalc_error_last(),
                            .rowcount = -1 };
        sqlalc__event_fire(eng, &ev);
    }
}

/* A stale connection (older than the last invalidation, or past
 * pool_recycle) is replaced; with pre-ping a dead one too, and its death
 * retires every older connection.  Runs outside the lock. */
static dbconn *check_taken(sqlalc_engine *eng, sqlalc_conn *c, dbconn *db, int replace)
{
    if (replace) {
        sqlalc__engine_log(eng, "replacing a pooled connection (%s)",
                           replace == 1 ? "invalidated" : "pool_recycle");
        sqlalc__dbconn_free(eng, db);
        return NULL;
    }
    if (eng->opt.pool_pre_ping && eng->kind == SQLALC_POOL_QUEUE && eng->driver->ping) {
        sqlalc__saved_error saved;
        sqlalc__error_save(&saved);
        int rc = eng->driver->ping(db->dc);
        if (rc != SQLALC_OK) {
            sqlalc__engine_log(eng, "pooled connection failed its ping; the pool is invalidated");
            invalidated(eng, c, db, rc);
            sqlalc__dbconn_free(eng, db);
            /* The caller never sees the ping's failure. */
            sqlalc__error_restore(&saved);
            return NULL;
        }
    }
    return db;
}

/* Back out of a checkout that failed after taking a slot. */
static void untake(sqlalc_engine *eng, sqlalc_conn *c)
{
    pthread_mutex_lock(&eng->lock);
    out_unlink(eng, c);
    slot_free(eng);
    eng->stats.checkouts--;
    pthread_mutex_unlock(&eng->lock);
}

/* A number no other thread of the process ever had: a pthread_t may be
 * reused by a new thread once the old one is joined, and a new thread must
 * not inherit a dead thread's in-memory database. */
static uint64_t thread_token(void)
{
    static atomic_uint_fast64_t next = 1;
    static _Thread_local uint64_t mine;
    if (!mine)
        mine = atomic_fetch_add(&next, 1);
    return mine;
}

static int thread_take(sqlalc_engine *eng, sqlalc_conn *c, dbconn **out)
{
    uint64_t self = thread_token();
    dbconn *db;
    pthread_mutex_lock(&eng->lock);
    for (db = eng->threads; db; db = db->next)
        if (db->owner == self && !db->invalid)
            break;
    if (db)
        db->users++;
    else
        eng->nopen++;
    eng->stats.checkouts++;
    c->checkout_time = sqlalc__now();
    out_link(eng, c);
    pthread_mutex_unlock(&eng->lock);
    *out = db;
    return SQLALC_OK;
}

static int checkout(sqlalc_engine *eng, const char *tag, const void *caller, sqlalc_conn **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "connect: out is NULL");
    *out = NULL;
    if (!eng)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "connect: engine is NULL");
    sqlalc_conn *c = sqlalc__calloc(1, sizeof *c);
    if (!c)
        return SQLALC_ERR_NOMEM;
    c->eng = eng;
    c->opts = eng->exec_opts;
    c->tag = tag;
    c->caller = eng->opt.pool_debug ? caller : NULL;
    dbconn *db = NULL;
    int thread = eng->kind == SQLALC_POOL_THREAD;
    int replace = 0;
    int rc = thread ? thread_take(eng, c, &db) : queue_take(eng, c, &db, &replace);
    if (rc != SQLALC_OK) {
        sqlalc_free(c);
        return rc;
    }
    if (db && !thread)
        db = check_taken(eng, c, db, replace);
    int fresh = !db;
    if (fresh) {
        rc = open_dbconn(eng, &db);
        if (rc != SQLALC_OK) {
            if (sqlalc__event_on(eng, SQLALC_EVENT_ERROR)) {
                sqlalc_event ev = {
                    .kind = SQLALC_EVENT_ERROR, .code = rc, .error = sqlalc_error_last(), .rowcount = -1
                };
                sqlalc__event_fire(eng, &ev);
            }
            untake(eng, c);
            sqlalc_free(c);
            return rc;
        }
        pthread_mutex_lock(&eng->lock);
        eng->stats.connects++;
        if (thread) {
            db->owner = thread_token();
            db->users = 1;
            db->next = eng->threads;
            eng->threads = db;
        }
        pthread_mutex_unlock(&eng->lock);
    }
    c->db = db;
    if (fresh && sqlalc__event_on(eng, SQLALC_EVENT_CONNECT))
        rc = sqlalc__event_simple(c, SQLALC_EVENT_CONNECT, NULL);
    if (rc == SQLALC_OK && sqlalc__event_on(eng, SQLALC_EVENT_CHECKOUT))
        rc = sqlalc__event_simple(c, SQLALC_EVENT_CHECKOUT, NULL);
    if (rc != SQLALC_OK) {
        /* A listener refused it: do not pool what it may have half set up. */
        db->invalid = 1;
        sqlalc__saved_error saved;
        sqlalc__error_save(&saved);
        sqlalc_conn_close(c);
        sqlalc__error_restore(&saved);
        return rc;
    }
    *out = c;
    return SQLALC_OK;
}

#if defined(__GNUC__)
#    define CALLER() __builtin_return_address(0)
#    define NOINLINE __attribute__((noinline))
#else
#    define CALLER() NULL
#    define NOINLINE
#endif

NOINLINE int sqlalc_engine_connect(sqlalc_engine *eng, sqlalc_conn **out)
{
    return checkout(eng, NULL, CALLER(), out);
}

NOINLINE int sqlalc_engine_connect_tagged(sqlalc_engine *eng, const char *tag, sqlalc_conn **out)
{
    return checkout(eng, tag, CALLER(), out);
}

/* ------------------------------------------------------------------ */
/* Checkin                                                             */
/* ------------------------------------------------------------------ */

void sqlalc_conn_close(sqlalc_conn *conn)
{
    if (!conn)
        return;
    sqlalc_engine *eng = conn->eng;
    while (conn->results)
        sqlalc__result_detach(conn->results);
    dbconn *db = conn->db;
    if (sqlalc__event_on(eng, SQLALC_EVENT_CHECKIN))
        sqlalc__event_simple(conn, SQLALC_EVENT_CHECKIN, NULL);
    int thread = eng->kind == SQLALC_POOL_THREAD;
    int shared = thread && db->users > 1;
    if (!shared && !db->invalid) {
        /* Reset on return: roll back what is left open, including a
         * transaction begun in raw SQL the engine did not see. */
        int open = conn->tx_top || db->tx_depth || db->tx_auto;
        if (!open && eng->driver->transaction_state) {
            int st = eng->driver->transaction_state(db->dc);
            open = st == SQLALC_TXSTATE_ACTIVE || st == SQLALC_TXSTATE_FAILED;
        }
        if (open) {
            sqlalc__saved_error saved;
            sqlalc__error_save(&saved);
            if (sqlalc__conn_tx_close(conn, 0) != SQLALC_OK)
                db->invalid = 1; /* unsure what is left open: do not pool it */
            sqlalc__error_restore(&saved);
        }
    }
    if (!shared)
        db->tx_depth = 0;
    sqlalc__tx_end_all(conn);
    pthread_mutex_lock(&eng->lock);
    out_unlink(eng, conn);
    dbconn *to_close = NULL;
    if (thread) {
        db->users--;
        if (db->invalid && db->users == 0) {
            for (dbconn **pp = &eng->threads; *pp; pp = &(*pp)->next)
                if (*pp == db) {
                    *pp = db->next;
                    break;
                }
            to_close = db;
            eng->nopen--;
        }
    } else if (db->invalid || db->gen != eng->gen || eng->nidle >= eng->opt.pool_size) {
        to_close = db; /* dead, retired, or overflow: close it */
        slot_free(eng);
    } else {
        db->next = NULL;
        if (eng->opt.pool_use_lifo || eng->kind == SQLALC_POOL_EMBEDDED || !eng->idle_tail) {
            db->next = eng->idle;
            eng->idle = db;
            if (!eng->idle_tail)
                eng->idle_tail = db;
        } else {
            eng->idle_tail->next = db;
            eng->idle_tail = db;
        }
        eng->nidle++;
        pthread_cond_signal(&eng->cond);
    }
    pthread_mutex_unlock(&eng->lock);
    sqlalc__dbconn_free(eng, to_close);
    sqlalc_free(conn);
}

/* ------------------------------------------------------------------ */
/* Status                                                              */
/* ------------------------------------------------------------------ */

int sqlalc_engine_pool_status(sqlalc_engine *eng, sqlalc_pool_status *out)
{
    if (!eng || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pool_status: NULL %s", eng ? "out" : "engine");
    pthread_mutex_lock(&eng->lock);
    *out = eng->stats;
    out->kind = eng->kind;
    out->size = eng->opt.pool_size;
    out->max_overflow = eng->opt.max_overflow;
    out->open = eng->nopen;
    out->idle = eng->nidle;
    out->checked_out = 0;
    for (const sqlalc_conn *c = eng->out_head; c; c = c->out_next)
        out->checked_out++;
    out->overflow = eng->nopen - eng->opt.pool_size;
    out->waiting = eng->nwaiting;
    pthread_mutex_unlock(&eng->lock);
    return SQLALC_OK;
}

int sqlalc_engine_pool_checkouts(sqlalc_engine *eng, sqlalc_checkout_fn fn, void *ctx)
{
    if (!eng || !fn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "pool_checkouts: NULL %s", eng ? "callback" : "engine");
    pthread_mutex_lock(&eng->lock);
    double now = sqlalc__now();
    for (const sqlalc_conn *c = eng->out_head; c; c = c->out_next) {
        sqlalc_checkout_info info = { c->tag, c->caller, now - c->checkout_time,
                                      c->db && (c->db->tx_depth > 0 || c->tx_top) };
        fn(ctx, &info);
    }
    pthread_mutex_unlock(&eng->lock);
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */
/* ------------------------------------------------------------------ */

sqlalc_engine *sqlalc_conn_engine(const sqlalc_conn *conn)
{
    return conn ? conn->eng : NULL;
}
const sqlalc_dialect *sqlalc__conn_dialect(const sqlalc_conn *conn)
{
    return conn->eng->dialect;
}
const sqlalc_driver *sqlalc__conn_driver(const sqlalc_conn *conn)
{
    return conn->eng->driver;
}
int sqlalc_conn_invalidated(const sqlalc_conn *conn)
{
    return conn && conn->db && conn->db->invalid;
}

const sqlalc_execution_options *sqlalc_conn_execution_options(const sqlalc_conn *conn)
{
    return conn ? &conn->opts : NULL;
}

int sqlalc_conn_set_execution_options(sqlalc_conn *conn, const sqlalc_execution_options *o)
{
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    sqlalc_execution_options n = conn->opts;
    if ((rc = sqlalc__exec_opts_merge(&n, o, 0, "set_execution_options")))
        return rc;
    if (n.isolation_level != conn->opts.isolation_level || n.readonly != conn->opts.readonly) {
        if (conn->tx_top || conn->db->tx_depth)
            return sqlalc_error_set(
                SQLALC_ERR_INTERFACE,
                "set_execution_options: isolation_level and readonly cannot change while a "
                "transaction is open on the connection");
        if ((rc = sqlalc__check_tx_opts(conn->eng, n.isolation_level, n.readonly)))
            return rc;
    }
    if (n.timeout > 0 && !conn->eng->driver->set_timeout)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "set_execution_options: the %s driver has no statement timeout",
                                conn->eng->driver->name);
    conn->opts = n;
    return SQLALC_OK;
}

int sqlalc__check_tx_opts(const sqlalc_engine *eng, const char *iso, int readonly)
{
    if (iso && !strcmp(iso, "AUTOCOMMIT"))
        return readonly ? sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                           "readonly applies to transactions, and AUTOCOMMIT has none")
                        : SQLALC_OK;
    return sqlalc__db_check_begin(eng, iso, readonly);
}

int sqlalc__conn_stmt_opts(const sqlalc_conn *conn, const sqlalc_execution_options *o,
                           sqlalc_execution_options *tmp, const sqlalc_execution_options **eo)
{
    *eo = &conn->opts;
    if (!o)
        return SQLALC_OK;
    *tmp = conn->opts;
    int rc = sqlalc__exec_opts_merge(tmp, o, 1, "execute");
    if (rc == SQLALC_OK)
        *eo = tmp;
    return rc;
}

int sqlalc__conn_apply_opts(sqlalc_conn *conn, const sqlalc_execution_options *eo)
{
    dbconn *db = conn->db;
    if (eo->timeout == db->timeout)
        return SQLALC_OK;
    const sqlalc_driver *drv = conn->eng->driver;
    if (!drv->set_timeout)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "the %s driver has no statement timeout",
                                drv->name);
    int rc = sqlalc__conn_fail(conn, drv->set_timeout(db->dc, eo->timeout));
    if (rc == SQLALC_OK)
        db->timeout = eo->timeout;
    return rc;
}

int sqlalc__conn_check(const sqlalc_conn *conn)
{
    if (!conn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "connection is NULL");
    if (conn->db->invalid)
        return sqlalc_error_set(
            SQLALC_ERR_DISCONNECT,
            "connection to %s was invalidated after a disconnect; close it and connect again",
            conn->eng->masked_url);
    return SQLALC_OK;
}

/*
 * Record what an error means for the connection: a disconnect makes it
 * unusable (never pooled again), retires every connection opened before
 * it, and an open transaction is reported as interrupted.
 */
int sqlalc__conn_fail(sqlalc_conn *conn, int rc)
{
    if (rc != SQLALC_ERR_DISCONNECT || !conn || !conn->db || conn->db->invalid)
        return rc;
    sqlalc_engine *eng = conn->eng;
    dbconn *db = conn->db;
    db->invalid = 1;
    if (db->tx_depth > 0)
        sqlalc__error_prefix("the transaction was interrupted by the disconnect and rolled back by the "
                             "server (nothing of it was committed)");
    invalidated(eng, conn, db, rc);
    return rc;
}

void *sqlalc__conn_driver_handle(sqlalc_conn *conn)
{
    return sqlalc__conn_check(conn) == SQLALC_OK ? conn->db->dc : NULL;
}

int sqlalc_conn_ping(sqlalc_conn *conn)
{
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    rc = conn->eng->driver->ping ? conn->eng->driver->ping(conn->db->dc) : SQLALC_OK;
    return sqlalc__conn_fail(conn, rc);
}

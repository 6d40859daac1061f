/*
 * Pool and connections.  Idle driver connections are kept (pool_size) and
 * reused with their prepared statements; an in-memory SQLite database
 * keeps one connection per thread instead (its data lives only in that
 * connection), like SQLAlchemy's SingletonThreadPool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void sqlalc_engine_dispose(sqlalc_engine *eng)
{
    if (!eng)
        return;
    pthread_mutex_lock(&eng->lock);
    dbconn *idle = eng->idle, *threads = NULL, **pp = &eng->threads;
    eng->idle = NULL;
    eng->nidle = 0;
    /* Thread connections still in use stay; the rest go. */
    while (*pp) {
        dbconn *d = *pp;
        if (d->users == 0) {
            *pp = d->next;
            d->next = threads;
            threads = d;
        } else
            pp = &d->next;
    }
    pthread_mutex_unlock(&eng->lock);
    for (dbconn *d = idle, *n; d; d = n) {
        n = d->next;
        sqlalc__dbconn_free(eng, d);
    }
    for (dbconn *d = threads, *n; d; d = n) {
        n = d->next;
        sqlalc__dbconn_free(eng, d);
    }
}

/* ------------------------------------------------------------------ */
/* Pool                                                                */
/* ------------------------------------------------------------------ */

static int dbconn_open(sqlalc_engine *eng, dbconn **out)
{
    dbconn *db = sqlalc__calloc(1, sizeof *db);
    if (!db)
        return SQLALC_ERR_NOMEM;
    int rc = eng->driver->connect(eng->url, &db->dc);
    if (rc == SQLALC_OK && (rc = sqlalc__db_on_connect(eng, db)) != SQLALC_OK)
        eng->driver->close(db->dc);
    if (rc != SQLALC_OK) {
        sqlalc_free(db);
        return rc;
    }
    sqlalc__engine_log(eng, "connected to %s", eng->masked_url);
    *out = db;
    return SQLALC_OK;
}

int sqlalc_engine_connect(sqlalc_engine *eng, sqlalc_conn **out)
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
    dbconn *db = NULL;
    pthread_t self = pthread_self();
    pthread_mutex_lock(&eng->lock);
    if (eng->singleton) {
        for (db = eng->threads; db; db = db->next)
            if (pthread_equal(db->owner, self) && !db->invalid)
                break;
        if (db)
            db->users++;
    } else if (eng->idle) {
        db = eng->idle;
        eng->idle = db->next;
        eng->nidle--;
        db->next = NULL;
    }
    pthread_mutex_unlock(&eng->lock);
    if (db && eng->opt.pool_pre_ping && !eng->singleton && eng->driver->ping &&
        eng->driver->ping(db->dc) != SQLALC_OK) {
        sqlalc__engine_log(eng, "pooled connection failed its ping; reconnecting");
        sqlalc__dbconn_free(eng, db);
        db = NULL;
        sqlalc_error_clear();
    }
    if (!db) {
        int rc = dbconn_open(eng, &db);
        if (rc != SQLALC_OK) {
            sqlalc_free(c);
            return rc;
        }
        if (eng->singleton) {
            db->owner = self;
            db->users = 1;
            pthread_mutex_lock(&eng->lock);
            db->next = eng->threads;
            eng->threads = db;
            pthread_mutex_unlock(&eng->lock);
        }
    }
    c->db = db;
    *out = c;
    return SQLALC_OK;
}

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
    if (n.isolation_level != conn->opts.isolation_level || n.readonly != conn->opts.readonly)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "set_execution_options: isolation_level and readonly are not available yet");
    if (n.timeout > 0 && !conn->eng->driver->set_timeout)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "set_execution_options: the %s driver has no statement timeout",
                                conn->eng->driver->name);
    conn->opts = n;
    return SQLALC_OK;
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

/* Record what an error means for the connection: a disconnect makes it
 * unusable, so it is never returned to the pool. */
int sqlalc__conn_fail(sqlalc_conn *conn, int rc)
{
    if (rc == SQLALC_ERR_DISCONNECT && conn && conn->db && !conn->db->invalid) {
        conn->db->invalid = 1;
        /* The idle ones likely died with it (server restart, failover). */
        dbconn *idle;
        pthread_mutex_lock(&conn->eng->lock);
        idle = conn->eng->idle;
        conn->eng->idle = NULL;
        conn->eng->nidle = 0;
        pthread_mutex_unlock(&conn->eng->lock);
        for (dbconn *n; idle; idle = n) {
            n = idle->next;
            sqlalc__dbconn_free(conn->eng, idle);
        }
    }
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

void sqlalc_conn_close(sqlalc_conn *conn)
{
    if (!conn)
        return;
    sqlalc_engine *eng = conn->eng;
    while (conn->results)
        sqlalc__result_detach(conn->results);
    dbconn *db = conn->db;
    int shared = eng->singleton && db->users > 1;
    if (!shared) {
        if (conn->tx_top || db->tx_depth) {
            if (!db->invalid && sqlalc__db_rollback(eng, db) == SQLALC_ERR_DISCONNECT)
                db->invalid = 1;
            db->tx_depth = 0;
        }
    }
    sqlalc__tx_end_all(conn);
    pthread_mutex_lock(&eng->lock);
    dbconn *to_close = NULL;
    if (eng->singleton) {
        db->users--;
        if (db->invalid && db->users == 0) {
            for (dbconn **pp = &eng->threads; *pp; pp = &(*pp)->next)
                if (*pp == db) {
                    *pp = db->next;
                    break;
                }
            to_close = db;
        }
    } else if (db->invalid || eng->nidle >= eng->opt.pool_size) {
        to_close = db;
    } else {
        db->next = eng->idle;
        eng->idle = db;
        eng->nidle++;
    }
    pthread_mutex_unlock(&eng->lock);
    sqlalc__dbconn_free(eng, to_close);
    sqlalc_free(conn);
}

/* ------------------------------------------------------------------ */
/* Statement cache                                                     */
/* ------------------------------------------------------------------ */

/*
 * The SQL the engine runs on its own behalf, from the dialect's hooks
 * (see txsql.h).  Where a hook is absent the standard SQL forms apply, as
 * SQLAlchemy's default compiler writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "txsql.h"

static int native_tx(const sqlalc_driver *drv)
{
    return (drv->capabilities & SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS) != 0;
}

static int tx_state(const sqlalc_driver *drv, void *dc)
{
    return drv->transaction_state ? drv->transaction_state(dc) : SQLALC_TXSTATE_UNKNOWN;
}

/* Run what a hook wrote (nothing written: nothing to run). */
static int run_text(const sqlalc_engine *eng, dbconn *db, sqlalc_sql_text *t)
{
    if (t->b.oom) {
        sqlalc_buf_free(&t->b);
        return sqlalc__oom();
    }
    int rc = SQLALC_OK;
    if (t->b.len)
        rc = eng->driver->exec_simple(db->dc, t->b.p);
    sqlalc_buf_free(&t->b);
    return rc;
}

static int run_sql(const sqlalc_engine *eng, dbconn *db, const char *sql)
{
    return eng->driver->exec_simple(db->dc, sql);
}

int sqlalc__db_begin(const sqlalc_engine *eng, dbconn *db, const char *isolation, int readonly)
{
    const sqlalc_driver *drv = eng->driver;
    const sqlalc_dialect *d = eng->dialect;
    int native = native_tx(drv);
    sqlalc_sql_text t = { SQLALC_BUF_INIT };
    int rc = SQLALC_OK;
    if (d->begin_sql)
        rc = d->begin_sql(&t, isolation, readonly, !native);
    else if (isolation || readonly)
        rc = sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "the %s dialect cannot set %s%s%s on a transaction",
                              d->name, isolation ? isolation : "", isolation && readonly ? " or " : "",
                              readonly ? "READ ONLY" : "");
    else if (!native)
        sqlalc_sql_text_puts(&t, "BEGIN");
    if (rc != SQLALC_OK) {
        sqlalc_buf_free(&t.b);
        return rc;
    }
    if (native) {
        rc = drv->begin(db->dc);
        if (rc == SQLALC_OK && (rc = run_text(eng, db, &t)) != SQLALC_OK && rc != SQLALC_ERR_DISCONNECT)
            drv->rollback(db->dc);
        sqlalc_buf_free(&t.b);
        return rc;
    }
    return run_text(eng, db, &t);
}

int sqlalc__db_commit(const sqlalc_engine *eng, dbconn *db)
{
    const sqlalc_driver *drv = eng->driver;
    if (native_tx(drv))
        return drv->commit(db->dc);
    if (tx_state(drv, db->dc) == SQLALC_TXSTATE_FAILED) {
        /* COMMIT of an aborted transaction rolls back: say so. */
        int rc = run_sql(eng, db, eng->dialect->rollback_sql ? eng->dialect->rollback_sql : "ROLLBACK");
        if (rc != SQLALC_OK)
            return rc;
        return sqlalc_error_set_full(sqlalc_code_from_sqlstate("25P02"), "25P02", 0,
                                     "COMMIT rolled back: an earlier statement of the transaction failed");
    }
    return run_sql(eng, db, eng->dialect->commit_sql ? eng->dialect->commit_sql : "COMMIT");
}

int sqlalc__db_rollback(const sqlalc_engine *eng, dbconn *db)
{
    const sqlalc_driver *drv = eng->driver;
    if (native_tx(drv))
        return drv->rollback(db->dc);
    if (tx_state(drv, db->dc) == SQLALC_TXSTATE_IDLE) /* already rolled back (SQLite on SQLITE_FULL …) */
        return SQLALC_OK;
    return run_sql(eng, db, eng->dialect->rollback_sql ? eng->dialect->rollback_sql : "ROLLBACK");
}

int sqlalc__db_has_savepoints(const sqlalc_engine *eng)
{
    return eng->dialect->supports_savepoints && eng->driver->exec_simple;
}

int sqlalc__db_savepoint(const sqlalc_engine *eng, dbconn *db, int op, const char *name)
{
    const sqlalc_dialect *d = eng->dialect;
    sqlalc_sql_text t = { SQLALC_BUF_INIT };
    int rc = SQLALC_OK;
    if (d->savepoint_sql)
        rc = d->savepoint_sql(&t, op, name);
    else {
        static const char *const verbs[] = { "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT" };
        if (op < 0 || op > SQLALC_SAVEPOINT_ROLLBACK)
            rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "savepoint: unknown operation %d", op);
        else
            sqlalc_sql_text_printf(&t, "%s %s", verbs[op], name);
    }
    if (rc != SQLALC_OK) {
        sqlalc_buf_free(&t.b);
        return rc;
    }
    return run_text(eng, db, &t);
}

int sqlalc__db_on_connect(const sqlalc_engine *eng, dbconn *db)
{
    if (!eng->dialect->connect_sql)
        return SQLALC_OK;
    sqlalc_sql_text t = { SQLALC_BUF_INIT };
    int rc = eng->dialect->connect_sql(&t, eng->url);
    if (rc != SQLALC_OK) {
        sqlalc_buf_free(&t.b);
        return rc;
    }
    if (t.b.len && !eng->driver->exec_simple) {
        sqlalc_buf_free(&t.b);
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "the %s driver cannot run the %s dialect's setup",
                                eng->driver->name, eng->dialect->name);
    }
    return run_text(eng, db, &t);
}

/* Run the dialect's one-integer query through the driver. */
static int query_id(const sqlalc_engine *eng, dbconn *db, const char *sql, int64_t *out)
{
    const sqlalc_driver *drv = eng->driver;
    void *st = NULL;
    int rc = drv->prepare(db->dc, sql, strlen(sql), 0, &st);
    if (rc == SQLALC_OK)
        rc = drv->step(st);
    if (rc == SQLALC_ROW) {
        sqlalc_value v;
        rc = drv->column_value(st, 0, &v);
        if (rc == SQLALC_OK && v.type == SQLALC_V_INT)
            *out = v.u.i;
        else if (rc == SQLALC_OK && v.type == SQLALC_V_NULL)
            rc = sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "no inserted row id is known on this connection");
        else if (rc == SQLALC_OK && (v.type == SQLALC_V_TEXT || v.type == SQLALC_V_NUMERIC) && v.u.s.p) {
            char *end = NULL;
            char buf[32];
            size_t n = v.u.s.len == SQLALC_NTS ? strlen(v.u.s.p) : v.u.s.len;
            snprintf(buf, sizeof buf, "%.*s", (int)(n < 31 ? n : 31), v.u.s.p);
            long long x = strtoll(buf, &end, 10);
            if (end && end != buf && !*end)
                *out = x;
            else
                rc = sqlalc_error_set(SQLALC_ERR_DATA, "last insert id: '%s' is not an integer", buf);
        } else if (rc == SQLALC_OK)
            rc = sqlalc_error_set(SQLALC_ERR_DATA, "last insert id: the query gave no integer");
    } else if (rc == SQLALC_DONE)
        rc = sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "no inserted row id is known on this connection");
    if (st)
        drv->finalize(st);
    return rc;
}

int sqlalc__db_last_insert_id(const sqlalc_engine *eng, dbconn *db, int64_t *out)
{
    const sqlalc_driver *drv = eng->driver;
    const sqlalc_dialect *d = eng->dialect;
    if (drv->last_insert_id)
        return drv->last_insert_id(db->dc, out);
    if (!d->last_insert_id_sql)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "the %s dialect cannot report inserted row ids",
                                d->name);
    /* Where a failed statement aborts the transaction, ask inside a
     * savepoint so that "no id" leaves the caller's transaction usable. */
    int guard = d->error_aborts_transaction && db->tx_depth > 0 && sqlalc__db_has_savepoints(eng);
    int rc = guard ? sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_CREATE, "sqlalc_lastid") : SQLALC_OK;
    if (rc != SQLALC_OK)
        return rc;
    rc = query_id(eng, db, d->last_insert_id_sql, out);
    if (rc == SQLALC_ERR_DISCONNECT)
        return rc;
    if (rc == SQLALC_OK)
        return guard ? sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_RELEASE, "sqlalc_lastid") : SQLALC_OK;
    sqlalc_error saved = *sqlalc_error_last();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", saved.message);
    if (guard && sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_ROLLBACK, "sqlalc_lastid") == SQLALC_OK)
        sqlalc__db_savepoint(eng, db, SQLALC_SAVEPOINT_RELEASE, "sqlalc_lastid");
    if (saved.code == SQLALC_ERR_NOT_SUPPORTED)
        return sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code, "%s", msg);
    return sqlalc_error_set_full(SQLALC_ERR_NOT_SUPPORTED, saved.sqlstate, saved.driver_code,
                                 "no inserted row id to report (RETURNING names it): %s", msg);
}

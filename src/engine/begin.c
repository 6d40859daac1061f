/*
 * A transaction block in one call each way, SQLAlchemy's
 * `with engine.begin() as conn:` — check out a connection and begin;
 * then commit (or roll back on error) and give the connection back.
 */
#include <stdio.h>
#include <string.h>
#include "engine_priv.h"

int sqlalc_engine_begin(sqlalc_engine *eng, sqlalc_conn **conn, sqlalc_tx **tx)
{
    if (tx)
        *tx = NULL;
    if (!conn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "engine_begin: conn is NULL");
    *conn = NULL;
    sqlalc_conn *c;
    int rc = sqlalc_engine_connect(eng, &c);
    if (rc)
        return rc;
    sqlalc_tx *t;
    if ((rc = sqlalc_conn_begin(c, &t))) {
        sqlalc_conn_close(c);
        return rc;
    }
    *conn = c;
    if (tx)
        *tx = t;
    return SQLALC_OK;
}

int sqlalc_conn_end(sqlalc_conn *conn, int rc)
{
    if (!conn)
        return rc < 0 ? rc : sqlalc_error_set(SQLALC_ERR_ARGUMENT, "conn_end: connection is NULL");
    /* The outermost handle: ending it ends the savepoints inside. */
    sqlalc_tx *outer = conn->tx_top;
    while (outer && outer->parent)
        outer = outer->parent;
    if (rc >= 0) {
        if (outer) {
            int crc = sqlalc_tx_commit(outer); /* a failed commit rolls back */
            if (crc)
                rc = crc;
        }
    } else if (outer) {
        /* Roll back, keeping the error that decided it. */
        sqlalc_error saved = *sqlalc_error_last();
        char msg[2048], detail[512], hint[256], cname[128];
        snprintf(msg, sizeof msg, "%s", saved.message);
        snprintf(detail, sizeof detail, "%s", saved.detail ? saved.detail : "");
        snprintf(hint, sizeof hint, "%s", saved.hint ? saved.hint : "");
        snprintf(cname, sizeof cname, "%s", saved.constraint_name ? saved.constraint_name : "");
        sqlalc_tx_rollback(outer);
        sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code, "%s", msg);
        sqlalc_error_set_extra(saved.detail ? detail : NULL, saved.hint ? hint : NULL,
                               saved.constraint_name ? cname : NULL);
    }
    sqlalc_conn_close(conn);
    return rc;
}

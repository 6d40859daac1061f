/*
 * Transactions and savepoints.  Handles form a stack on the connection;
 * ending an outer handle ends the ones inside it, which stay allocated
 * (their conn is cleared) until the caller commits or rolls them back.
 */
#include <stdio.h>
#include <string.h>
#include "txsql.h"

static int push(sqlalc_conn *conn, int depth, sqlalc_tx **out)
{
    sqlalc_tx *tx = sqlalc__calloc(1, sizeof *tx);
    if (!tx)
        return SQLALC_ERR_NOMEM;
    tx->conn = conn;
    tx->parent = conn->tx_top;
    tx->depth = depth;
    if (depth > 1)
        snprintf(tx->spname, sizeof tx->spname, "sa_savepoint_%d", ++conn->db->sp_seq);
    *out = tx;
    return SQLALC_OK;
}

static int is_autocommit(const char *iso)
{
    return iso && !strcmp(iso, "AUTOCOMMIT");
}

int sqlalc__conn_tx_open(sqlalc_conn *conn)
{
    dbconn *db = conn->db;
    const char *iso = conn->opts.isolation_level;
    int ro = conn->opts.readonly;
    if (is_autocommit(iso)) {
        /* As a DBAPI connection in autocommit: no BEGIN, every statement
         * commits itself; the handle only marks the block. */
        db->tx_auto = 1;
        return SQLALC_OK;
    }
    int rc = sqlalc__conn_fail(conn, sqlalc__db_begin(conn->eng, db, iso, ro));
    if (rc == SQLALC_OK) {
        db->tx_iso = iso;
        db->tx_ro = ro;
        sqlalc__event_simple(conn, SQLALC_EVENT_BEGIN, iso);
    }
    return rc;
}

int sqlalc__conn_tx_close(sqlalc_conn *conn, int commit)
{
    dbconn *db = conn->db;
    const sqlalc_engine *eng = conn->eng;
    const char *iso = db->tx_iso;
    int ro = db->tx_ro, rc = SQLALC_OK;
    db->tx_iso = NULL;
    db->tx_ro = 0;
    if (db->tx_auto) {
        db->tx_auto = 0;
        return SQLALC_OK;
    }
    if (!db->invalid)
        sqlalc__event_simple(conn, commit ? SQLALC_EVENT_COMMIT : SQLALC_EVENT_ROLLBACK, NULL);
    if (db->invalid)
        return commit
                   ? sqlalc_error_set(SQLALC_ERR_DISCONNECT,
                                      "commit: the transaction was interrupted when the connection to %s was "
                                      "lost; nothing of it was committed",
                                      eng->masked_url)
                   : SQLALC_OK; /* the server rolled back when the connection went */
    if (commit) {
        rc = sqlalc__db_commit(eng, db);
        if (rc == SQLALC_ERR_DISCONNECT) {
            /* The COMMIT may or may not have reached the server. */
            sqlalc__error_prefix("the connection to %s was lost during COMMIT; whether the transaction "
                                 "committed is unknown",
                                 eng->masked_url);
            db->invalid = 1;
            sqlalc__conn_fail(conn, rc);
            return rc;
        }
    }
    sqlalc__saved_error saved;
    sqlalc__error_save(&saved);
    /* A failed commit must not leave half a transaction open. */
    int rrc = rc != SQLALC_OK || !commit ? sqlalc__conn_fail(conn, sqlalc__db_rollback(eng, db)) : SQLALC_OK;
    if (!commit)
        rc = rrc;
    if (!db->invalid && (iso || ro)) {
        int xrc = sqlalc__conn_fail(conn, sqlalc__db_reset(eng, db, iso, ro));
        if (xrc != SQLALC_OK && rc == SQLALC_OK)
            return xrc;
    }
    if (rc != SQLALC_OK && commit)
        sqlalc__error_restore(&saved);
    return rc;
}

int sqlalc_conn_begin(sqlalc_conn *conn, sqlalc_tx **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "begin: out is NULL");
    *out = NULL;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    if (conn->db->tx_depth > 0 || conn->tx_top)
        return sqlalc_error_set(
            SQLALC_ERR_INTERFACE,
            "a transaction is already begun on this connection; use sqlalc_conn_begin_nested for a savepoint");
    sqlalc_tx *tx;
    if ((rc = push(conn, 1, &tx)))
        return rc;
    sqlalc__engine_log(conn->eng, "BEGIN (explicit)");
    if ((rc = sqlalc__conn_tx_open(conn))) {
        sqlalc_free(tx);
        return rc;
    }
    conn->db->tx_depth = conn->db->tx_auto ? 0 : 1;
    conn->tx_top = tx;
    *out = tx;
    return SQLALC_OK;
}

int sqlalc_conn_begin_nested(sqlalc_conn *conn, sqlalc_tx **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "begin_nested: out is NULL");
    *out = NULL;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    if (conn->db->tx_auto)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "begin_nested: no savepoints on an AUTOCOMMIT connection (there is no "
                                "transaction to hold them)");
    if (conn->db->tx_depth == 0)
        return sqlalc_conn_begin(conn, out);
    if (!sqlalc__db_has_savepoints(conn->eng))
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED, "%s does not support savepoints",
                                conn->eng->dialect->name);
    sqlalc_tx *tx;
    if ((rc = push(conn, conn->db->tx_depth + 1, &tx)))
        return rc;
    sqlalc__engine_log(conn->eng, "SAVEPOINT %s", tx->spname);
    rc = sqlalc__conn_fail(conn,
                           sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_CREATE, tx->spname));
    if (rc) {
        sqlalc_free(tx);
        return rc;
    }
    conn->db->tx_depth = tx->depth;
    conn->tx_top = tx;
    *out = tx;
    return SQLALC_OK;
}

/* Pop tx and every handle inside it off the connection's stack. */
static void pop_to(sqlalc_conn *conn, sqlalc_tx *tx)
{
    sqlalc_tx *t = conn->tx_top;
    while (t && t != tx) {
        sqlalc_tx *p = t->parent;
        t->conn = NULL; /* the caller still frees it */
        t = p;
    }
    conn->tx_top = tx->parent;
    conn->db->tx_depth = tx->depth - 1;
    if (conn->db->tx_depth < 0)
        conn->db->tx_depth = 0; /* an AUTOCOMMIT block had no depth */
    tx->conn = NULL;
}

void sqlalc__tx_end_all(sqlalc_conn *conn)
{
    for (sqlalc_tx *t = conn->tx_top; t; t = t->parent)
        t->conn = NULL;
    conn->tx_top = NULL;
}

static int ended(sqlalc_tx *tx, const char *what)
{
    sqlalc_free(tx);
    return sqlalc_error_set(SQLALC_ERR_CLOSED,
                            "%s: this transaction was already ended (by its enclosing "
                            "transaction or by closing the connection)",
                            what);
}

int sqlalc_tx_commit(sqlalc_tx *tx)
{
    if (!tx)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "commit: transaction is NULL");
    sqlalc_conn *conn = tx->conn;
    if (!conn)
        return ended(tx, "commit");
    int rc;
    if (tx->depth == 1) {
        sqlalc__engine_log(conn->eng, "COMMIT");
        rc = sqlalc__conn_tx_close(conn, 1);
        if (rc != SQLALC_OK && !conn->db->invalid)
            sqlalc__error_prefix("commit failed");
    } else if ((rc = sqlalc__conn_check(conn)) == SQLALC_OK) {
        sqlalc__engine_log(conn->eng, "RELEASE SAVEPOINT %s", tx->spname);
        rc = sqlalc__conn_fail(
            conn, sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_RELEASE, tx->spname));
        if (rc != SQLALC_OK && !conn->db->invalid) {
            /* A failed release must not leave half a savepoint open. */
            sqlalc_error saved = *sqlalc_error_last();
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", saved.message);
            if (sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_ROLLBACK, tx->spname) == SQLALC_OK)
                sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_RELEASE, tx->spname);
            sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code, "commit failed: %s", msg);
        }
    }
    pop_to(conn, tx);
    sqlalc_free(tx);
    return rc;
}

int sqlalc_tx_rollback(sqlalc_tx *tx)
{
    if (!tx)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "rollback: transaction is NULL");
    sqlalc_conn *conn = tx->conn;
    if (!conn)
        return ended(tx, "rollback");
    int rc = SQLALC_OK;
    if (tx->depth == 1) {
        sqlalc__engine_log(conn->eng, "ROLLBACK");
        rc = sqlalc__conn_tx_close(conn, 0);
    } else if (!conn->db->invalid) {
        sqlalc__engine_log(conn->eng, "ROLLBACK TO SAVEPOINT %s", tx->spname);
        rc = sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_ROLLBACK, tx->spname);
        if (rc == SQLALC_OK)
            rc = sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_RELEASE, tx->spname);
        sqlalc__conn_fail(conn, rc);
    }
    pop_to(conn, tx);
    sqlalc_free(tx);
    return rc;
}

int sqlalc_conn_in_transaction(const sqlalc_conn *conn)
{
    return conn && conn->db && (conn->db->tx_depth > 0 || conn->tx_top);
}

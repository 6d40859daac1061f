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

int sqlalc_conn_begin(sqlalc_conn *conn, sqlalc_tx **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "begin: out is NULL");
    *out = NULL;
    int rc = sqlalc__conn_check(conn);
    if (rc)
        return rc;
    if (conn->db->tx_depth > 0)
        return sqlalc_error_set(
            SQLALC_ERR_INTERFACE,
            "a transaction is already begun on this connection; use sqlalc_conn_begin_nested for a savepoint");
    sqlalc_tx *tx;
    if ((rc = push(conn, 1, &tx)))
        return rc;
    sqlalc__engine_log(conn->eng, "BEGIN (explicit)");
    rc = sqlalc__conn_fail(conn, sqlalc__db_begin(conn->eng, conn->db, NULL, 0));
    if (rc) {
        sqlalc_free(tx);
        return rc;
    }
    conn->db->tx_depth = 1;
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
    int rc = sqlalc__conn_check(conn);
    if (rc == SQLALC_OK) {
        if (tx->depth == 1) {
            sqlalc__engine_log(conn->eng, "COMMIT");
            rc = sqlalc__db_commit(conn->eng, conn->db);
        } else {
            sqlalc__engine_log(conn->eng, "RELEASE SAVEPOINT %s", tx->spname);
            rc = sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_RELEASE, tx->spname);
        }
        sqlalc__conn_fail(conn, rc);
    }
    if (rc != SQLALC_OK && !conn->db->invalid) {
        /* A failed commit must not leave half a transaction open. */
        sqlalc_error saved = *sqlalc_error_last();
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", saved.message);
        if (tx->depth == 1)
            sqlalc__db_rollback(conn->eng, conn->db);
        else if (sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_ROLLBACK, tx->spname) ==
                 SQLALC_OK)
            sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_RELEASE, tx->spname);
        sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code, "commit failed: %s", msg);
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
    if (!conn->db->invalid) {
        if (tx->depth == 1) {
            sqlalc__engine_log(conn->eng, "ROLLBACK");
            rc = sqlalc__db_rollback(conn->eng, conn->db);
        } else {
            sqlalc__engine_log(conn->eng, "ROLLBACK TO SAVEPOINT %s", tx->spname);
            rc = sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_ROLLBACK, tx->spname);
            if (rc == SQLALC_OK)
                rc = sqlalc__db_savepoint(conn->eng, conn->db, SQLALC_SAVEPOINT_RELEASE, tx->spname);
        }
        sqlalc__conn_fail(conn, rc);
    }
    pop_to(conn, tx);
    sqlalc_free(tx);
    return rc;
}

int sqlalc_conn_in_transaction(const sqlalc_conn *conn)
{
    return conn && conn->db && conn->db->tx_depth > 0;
}

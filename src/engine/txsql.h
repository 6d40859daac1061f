/*
 * The SQL the engine itself runs on a connection (transactions,
 * savepoints, the last inserted id, per-connection setup): written by the
 * dialect's hooks, run through the driver's plain exec, or through the
 * driver's own transaction API when it has one
 * (SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS).  Drivers never write SQL.
 */
#ifndef SQLALC_TXSQL_H
#define SQLALC_TXSQL_H

#include "engine_priv.h"

/* Begin a transaction; isolation NULL = the server's default. */
int sqlalc__db_begin(const sqlalc_engine *eng, dbconn *db, const char *isolation, int readonly);
/* Commit; a transaction a failed statement aborted is rolled back and
 * reported (SQLSTATE 25P02). */
int sqlalc__db_commit(const sqlalc_engine *eng, dbconn *db);
/* Roll back (nothing to do when the database already did). */
int sqlalc__db_rollback(const sqlalc_engine *eng, dbconn *db);
/* SQLALC_SAVEPOINT_CREATE / _RELEASE / _ROLLBACK of the savepoint name. */
int sqlalc__db_savepoint(const sqlalc_engine *eng, dbconn *db, int op, const char *name);
/* The statements the dialect runs on a new connection (URL options). */
int sqlalc__db_on_connect(const sqlalc_engine *eng, dbconn *db);
/* The last inserted row id: the driver's own, else the dialect's query. */
int sqlalc__db_last_insert_id(const sqlalc_engine *eng, dbconn *db, int64_t *out);
/* Whether the engine can make savepoints at all. */
int sqlalc__db_has_savepoints(const sqlalc_engine *eng);

#endif

/*
 * Running DDL: create_all / drop_all / table create and drop on a live
 * connection, in one transaction where the dialect has transactional DDL.
 */
#include <stdio.h>
#include <string.h>
#include "inspect_int.h"
#include "../sql/ddl.h"

static int exists_cb(void *ctx, int what, const char *schema, const char *name, int *out)
{
    sqlalc_conn *conn = ctx;
    switch (what) {
    case SQLALC__DDL_TABLE: return sqlalc__has_table(conn, schema, name, out);
    case SQLALC__DDL_SEQUENCE: return sqlalc__has_sequence(conn, schema, name, out);
    default: return sqlalc__has_type(conn, schema, name, out);
    }
}

static int run(sqlalc_metadata *md, sqlalc_table *const *only, size_t nonly, sqlalc_conn *conn,
               unsigned flags, int create)
{
    const char *what = create ? (only && nonly == 1 ? "create table" : "create_all")
                              : (only && nonly == 1 ? "drop table" : "drop_all");
    if (!md || !conn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: NULL argument", what);
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    sqlalc_tx *tx = NULL;
    int rc = SQLALC_OK;
    /* One transaction for the lot where DDL can roll back; inside the
     * caller's transaction, theirs decides. */
    if (d->transactional_ddl && !sqlalc_conn_in_transaction(conn))
        rc = sqlalc_conn_begin(conn, &tx);
    if (rc)
        return rc;
    sqlalc__ddl_list l = { 0 };
    sqlalc__ddl_exists_fn ex = (flags & SQLALC_CHECKFIRST) ? exists_cb : NULL;
    rc = create
             ? sqlalc__ddl_plan_create(md, (const struct sqlalc_table *const *)only, nonly, d, ex, conn, &l)
             : sqlalc__ddl_plan_drop(md, (const struct sqlalc_table *const *)only, nonly, d, ex, conn, &l);
    for (size_t i = 0; i < l.n && !rc; i++)
        rc = sqlalc__conn_exec_compiled(conn, l.sql[i], strlen(l.sql[i]), NULL, 0, NULL);
    sqlalc__ddl_list_free(&l);
    if (rc) {
        /* keep the database's error; say which operation it was */
        sqlalc__error_prefix("%s", what);
        if (tx) {
            /* the rollback must not hide why we roll back */
            const sqlalc_error *e = sqlalc_error_last();
            char state[6]; /* a SQLSTATE is five characters */
            int code = e->code ? e->code : rc;
            long drv = e->driver_code;
            char *msg = sqlalc__strdup(e->message), *detail = sqlalc__strdup(e->detail),
                 *hint = sqlalc__strdup(e->hint), *cons = sqlalc__strdup(e->constraint_name);
            snprintf(state, sizeof state, "%s", e->sqlstate);
            sqlalc_tx_rollback(tx);
            sqlalc_error_set_full(code, state[0] ? state : NULL, drv, "%s",
                                  msg ? msg : "(message lost: out of memory)");
            if (detail || hint || cons)
                sqlalc_error_set_extra(detail, hint, cons);
            sqlalc_free(msg);
            sqlalc_free(detail);
            sqlalc_free(hint);
            sqlalc_free(cons);
        }
        return rc;
    }
    if (tx)
        rc = sqlalc_tx_commit(tx);
    return rc;
}

int sqlalc_metadata_create_all_conn(sqlalc_metadata *md, sqlalc_conn *conn, unsigned flags)
{
    return run(md, NULL, 0, conn, flags, 1);
}

int sqlalc_metadata_drop_all_conn(sqlalc_metadata *md, sqlalc_conn *conn, unsigned flags)
{
    return run(md, NULL, 0, conn, flags, 0);
}

int sqlalc_metadata_create_tables_conn(sqlalc_metadata *md, sqlalc_conn *conn, sqlalc_table *const *tables,
                                       size_t n, unsigned flags)
{
    if (n && !tables)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "create_all: NULL table list");
    if (!n)
        return md && conn ? SQLALC_OK : sqlalc_error_set(SQLALC_ERR_ARGUMENT, "create_all: NULL argument");
    return run(md, tables, n, conn, flags, 1);
}

int sqlalc_metadata_drop_tables_conn(sqlalc_metadata *md, sqlalc_conn *conn, sqlalc_table *const *tables,
                                     size_t n, unsigned flags)
{
    if (n && !tables)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "drop_all: NULL table list");
    if (!n)
        return md && conn ? SQLALC_OK : sqlalc_error_set(SQLALC_ERR_ARGUMENT, "drop_all: NULL argument");
    return run(md, tables, n, conn, flags, 0);
}

static int with_conn(sqlalc_metadata *md, sqlalc_table *only, sqlalc_engine *eng, unsigned flags, int create)
{
    if (!eng)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: NULL engine", create ? "create" : "drop");
    sqlalc_conn *conn = NULL;
    int rc = sqlalc_engine_connect(eng, &conn);
    if (rc)
        return rc;
    rc = run(md, only ? &only : NULL, only ? 1 : 0, conn, flags, create);
    sqlalc_conn_close(conn);
    return rc;
}

int sqlalc_metadata_create_all(sqlalc_metadata *md, sqlalc_engine *eng, unsigned flags)
{
    return with_conn(md, NULL, eng, flags, 1);
}

int sqlalc_metadata_drop_all(sqlalc_metadata *md, sqlalc_engine *eng, unsigned flags)
{
    return with_conn(md, NULL, eng, flags, 0);
}

int sqlalc_table_create(sqlalc_table *t, sqlalc_engine *eng, unsigned flags)
{
    if (!t)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "create table: NULL table");
    return with_conn(t->metadata, t, eng, flags, 1);
}

int sqlalc_table_drop(sqlalc_table *t, sqlalc_engine *eng, unsigned flags)
{
    if (!t)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "drop table: NULL table");
    return with_conn(t->metadata, t, eng, flags, 0);
}

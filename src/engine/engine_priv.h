/*
 * The engine's own structs, shared by engine.c, result.c and
 * transaction.c only (other layers use engine_int.h).
 */
#ifndef SQLALC_ENGINE_PRIV_H
#define SQLALC_ENGINE_PRIV_H

#include <pthread.h>
#include "engine_int.h"
#include "textsql.h"
#include "result_priv.h"

/* A prepared statement kept in a connection's cache, keyed by the SQL the
 * caller gave (raw text, or compiled SQL). */
typedef struct stmt_entry {
    char *key;
    size_t keylen;
    int is_text;                    /* key is raw text that parse rewrote */
    sqlalc__textsql parsed;         /* for text: rewritten SQL and names */
    void *st;                       /* driver statement */
    int in_use;                     /* an open result is reading it */
    struct stmt_entry *prev, *next; /* LRU list, most recent first */
} stmt_entry;

/* One driver connection, pooled with its statement cache. */
typedef struct dbconn {
    void *dc;
    sqlalc_map cache;
    stmt_entry *lru_head, *lru_tail;
    size_t ncached;
    int tx_depth;    /* 0: autocommit; 1: transaction; >1 savepoints */
    int sp_seq;      /* savepoint name counter */
    int invalid;     /* found dead: never reused */
    pthread_t owner; /* singleton-per-thread pools (memory SQLite) */
    int users;       /* checkouts sharing it (same thread) */
    struct dbconn *next;
    struct sqlalc_result *spare; /* one result struct kept for reuse */
    double timeout;              /* statement timeout the driver has now (0 none) */
} dbconn;

struct sqlalc_engine {
    sqlalc_url *url;
    char *masked_url;
    const sqlalc_dialect *dialect;
    const sqlalc_driver *driver;
    sqlalc_engine_options opt;
    pthread_mutex_t lock;
    dbconn *idle; /* queue pool: idle connections */
    int nidle;
    int singleton;   /* one connection per thread (memory SQLite) */
    dbconn *threads; /* singleton pool: every thread's connection */
    size_t cache_size;
    sqlalc_execution_options exec_opts; /* engine-level, effective form */
};

typedef struct sqlalc_tx sqlalc_tx;

struct sqlalc_conn {
    sqlalc_engine *eng;
    dbconn *db;
    sqlalc_tx *tx_top;             /* innermost open transaction handle */
    struct sqlalc_result *results; /* open results, for close */
    sqlalc_execution_options opts; /* effective: engine's merged with the connection's */
};

struct sqlalc_tx {
    sqlalc_conn *conn; /* NULL once ended from outside (outer end, close) */
    sqlalc_tx *parent;
    int depth; /* 1 = transaction, >1 = savepoint */
    char spname[32];
};

/* transaction.c: every handle loses its connection (close) */
void sqlalc__tx_end_all(sqlalc_conn *conn);

/* pool.c / exec.c: freeing a connection and its cached statements */
void sqlalc__dbconn_free(sqlalc_engine *eng, dbconn *db);
void sqlalc__stmt_entry_free(const sqlalc_driver *drv, stmt_entry *e);

/*
 * engine.c: execution options.  merge applies the fields o sets onto eff
 * (an effective set: flags 0/1, timeout 0 = none, isolation_level a
 * canonical static name or NULL); stmt_level rejects connection-only
 * fields.  who names the caller in errors.
 */
int sqlalc__exec_opts_merge(sqlalc_execution_options *eff, const sqlalc_execution_options *o, int stmt_level,
                            const char *who);
/* pool.c: make the driver connection match eo (statement timeout) before
 * running a statement; cheap when nothing changes. */
int sqlalc__conn_apply_opts(sqlalc_conn *conn, const sqlalc_execution_options *eo);

/* pool.c, exec.c */
void sqlalc__conn_stmt_done(sqlalc_conn *conn, stmt_entry *e, void *st);
int sqlalc__conn_check(const sqlalc_conn *conn);
int sqlalc__conn_fail(sqlalc_conn *conn, int rc);

#endif

/*
 * The engine's own structs, shared by engine.c, result.c and
 * transaction.c only (other layers use engine_int.h).
 */
#ifndef SQLALC_ENGINE_PRIV_H
#define SQLALC_ENGINE_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
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
    signed char reads_only;         /* 0 not known yet, 1 only reads, -1 may write (stream.c) */
    struct stmt_entry *prev, *next; /* LRU list, most recent first */
} stmt_entry;

/* One driver connection, pooled with its statement cache. */
typedef struct dbconn {
    void *dc;
    sqlalc_map cache;
    stmt_entry *lru_head, *lru_tail;
    size_t ncached;
    int tx_depth;   /* 0: autocommit; 1: transaction; >1 savepoints */
    int sp_seq;     /* savepoint name counter */
    int invalid;    /* found dead: never reused */
    uint64_t owner; /* THREAD pool: the owning thread's token */
    int users;      /* checkouts sharing it (same thread) */
    struct dbconn *next;
    struct sqlalc_result *spare; /* one result struct kept for reuse */
    double timeout;              /* statement timeout the driver has now (0 none) */
    const char *tx_iso;          /* the open transaction's isolation (canonical) or NULL */
    int tx_ro;                   /* the open transaction is read-only */
    int tx_auto;                 /* an AUTOCOMMIT block is open: nothing began */
    double created;              /* monotonic seconds when connected (pool_recycle) */
    unsigned gen;                /* the pool's generation when connected */
} dbconn;

/* Event listeners: an immutable array, replaced whole on every change so
 * that firing never locks; replaced arrays live until the engine goes (a
 * thread may still be reading one). */
typedef struct ev_listener {
    unsigned mask;
    sqlalc_event_fn fn;
    void *ctx;
} ev_listener;
typedef struct ev_list {
    struct ev_list *retired; /* older arrays, freed with the engine */
    size_t n;
    ev_listener v[];
} ev_list;

struct sqlalc_engine {
    sqlalc_url *url;
    char *masked_url;
    const sqlalc_dialect *dialect;
    const sqlalc_driver *driver;
    sqlalc_engine_options opt;
    size_t cache_size;
    sqlalc_execution_options exec_opts; /* engine-level, effective form */

    /* The pool (pool.c).  Everything below is under lock. */
    sqlalc_pool_kind kind;
    pthread_mutex_t lock;
    pthread_cond_t cond;          /* a connection or a slot came free */
    dbconn *idle, *idle_tail;     /* queue pools: idle connections, next out first */
    int nidle, nopen, nwaiting;   /* nopen counts idle, out and being opened */
    unsigned gen;                 /* bumped by a disconnect and by dispose */
    dbconn *threads;              /* THREAD pool: every thread's connection */
    struct sqlalc_conn *out_head; /* checked out, oldest first */
    struct sqlalc_conn *out_tail;
    sqlalc_pool_status stats; /* the counters */

    /* Events (engine.c): firing reads these without the lock. */
    _Atomic(ev_list *) listeners;
    atomic_uint ev_mask;
};

typedef struct sqlalc_tx sqlalc_tx;

struct sqlalc_conn {
    sqlalc_engine *eng;
    dbconn *db;
    sqlalc_tx *tx_top;             /* innermost open transaction handle */
    struct sqlalc_result *results; /* open results, for close */
    sqlalc_execution_options opts; /* effective: engine's merged with the connection's */
    /* Checkout record (pool.c). */
    const char *tag;
    const void *caller;
    double checkout_time;
    struct sqlalc_conn *out_prev, *out_next;
};

struct sqlalc_tx {
    sqlalc_conn *conn; /* NULL once ended from outside (outer end, close) */
    sqlalc_tx *parent;
    int depth; /* 1 = transaction, >1 = savepoint */
    char spname[32];
};

/* transaction.c: every handle loses its connection (close) */
void sqlalc__tx_end_all(sqlalc_conn *conn);
/* transaction.c: open the outermost transaction with the connection's
 * isolation_level and readonly (AUTOCOMMIT opens nothing), and end it:
 * commit (rolled back if the commit fails) or roll back, then put the
 * session back (the dialect's reset_sql).  A disconnect is reported as the
 * interrupted transaction it is. */
int sqlalc__conn_tx_open(sqlalc_conn *conn);
int sqlalc__conn_tx_close(sqlalc_conn *conn, int commit);

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
/* pool.c: whether transactions can begin with isolation iso / readonly on
 * the engine's database (AUTOCOMMIT always can, without readonly). */
int sqlalc__check_tx_opts(const sqlalc_engine *eng, const char *iso, int readonly);
/* pool.c: make the driver connection match eo (statement timeout) before
 * running a statement; cheap when nothing changes. */
int sqlalc__conn_apply_opts(sqlalc_conn *conn, const sqlalc_execution_options *eo);

/*
 * engine.c: events.  sqlalc__event_on is the cheap test the hot paths
 * make; sqlalc__event_fire calls the listeners of ev->kind and returns the
 * first error one returned (recorded as the last error).
 */
static inline int sqlalc__event_on(sqlalc_engine *eng, sqlalc_event_kind k)
{
    return (atomic_load_explicit(&eng->ev_mask, memory_order_relaxed) >> k) & 1u;
}
int sqlalc__event_fire(sqlalc_engine *eng, sqlalc_event *ev);
/* Fire a kind that carries only the connection (CHECKOUT, COMMIT …). */
int sqlalc__event_simple(sqlalc_conn *conn, sqlalc_event_kind k, const char *sql);
/* Seconds on the monotonic clock. */
double sqlalc__now(void);

/* pool.c: set up and tear down the engine's pool (every connection closed). */
void sqlalc__pool_init(sqlalc_engine *eng);
void sqlalc__pool_free(sqlalc_engine *eng);

/* pool.c, exec.c */
void sqlalc__conn_stmt_done(sqlalc_conn *conn, stmt_entry *e, void *st);
int sqlalc__conn_check(const sqlalc_conn *conn);
int sqlalc__conn_fail(sqlalc_conn *conn, int rc);

#endif

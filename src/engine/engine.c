/*
 * The engine: URL, dialect and driver, options, echo logging.  The pool
 * and connections are in pool.c; running SQL through each connection's
 * prepared-statement cache in exec.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine_priv.h"

#define DEFAULT_STMT_CACHE 128

/* ------------------------------------------------------------------ */
/* Logging                                                             */
/* ------------------------------------------------------------------ */

void sqlalc__engine_log(const sqlalc_engine *eng, const char *fmt, ...)
{
    if (!eng || !eng->opt.echo)
        return;
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (eng->opt.log)
        eng->opt.log(eng->opt.log_ctx, line);
    else
        fprintf(stderr, "sqlalc: %s\n", line);
}

/* ------------------------------------------------------------------ */
/* Execution options                                                   */
/* ------------------------------------------------------------------ */

/* Isolation levels as SQLAlchemy spells them, then SQLite's own begin
 * modes (Python's sqlite3 isolation_level words) and SQL Server's
 * SNAPSHOT; which ones a database has is its dialect's to say. */
static const char *const iso_names[] = {
    "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE", "AUTOCOMMIT",
    "DEFERRED",         "IMMEDIATE",      "EXCLUSIVE",       "SNAPSHOT",
};

/* The canonical name for a level written in any case, '_' for ' '. */
static const char *iso_canon(const char *level)
{
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(iso_names); i++) {
        const char *a = level, *b = iso_names[i];
        for (; *a && *b; a++, b++) {
            char c = *a == '_' ? ' ' : *a;
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (c != *b)
                break;
        }
        if (!*a && !*b)
            return iso_names[i];
    }
    return NULL;
}

/*
 * Bytes of each version of the options structs: a caller built against an
 * older header is read only as far as its version goes (the rest keeps the
 * defaults).  Appending a field bumps the version and adds a row here.
 */
static const size_t engine_options_sizes[] = { 0, offsetof(sqlalc_engine_options, max_overflow),
                                               offsetof(sqlalc_engine_options, server_version),
                                               sizeof(sqlalc_engine_options) };
static const size_t execution_options_sizes[] = { 0, sizeof(sqlalc_execution_options) };
_Static_assert(sizeof engine_options_sizes / sizeof engine_options_sizes[0] ==
                   SQLALC_ENGINE_OPTIONS_VERSION + 1,
               "a size for every engine options version");
_Static_assert(sizeof execution_options_sizes / sizeof execution_options_sizes[0] ==
                   SQLALC_EXECUTION_OPTIONS_VERSION + 1,
               "a size for every execution options version");

int sqlalc__exec_opts_merge(sqlalc_execution_options *eff, const sqlalc_execution_options *given,
                            int stmt_level, const char *who)
{
    if (!given)
        return SQLALC_OK;
    sqlalc_execution_options copy;
    memset(&copy, 0, sizeof copy);
    if (sqlalc__versioned_copy(&copy, given, given->version, execution_options_sizes,
                               SQLALC_EXECUTION_OPTIONS_VERSION, who) != SQLALC_OK)
        return SQLALC_ERR_ARGUMENT;
    const sqlalc_execution_options *o = &copy;
    if (stmt_level && (o->isolation_level || o->readonly))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "%s: %s is a connection option (sqlalc_conn_set_execution_options or the "
                                "engine's options), not a statement's",
                                who, o->isolation_level ? "isolation_level" : "readonly");
    sqlalc_execution_options n = *eff;
    if (o->isolation_level && !(n.isolation_level = iso_canon(o->isolation_level)))
        return sqlalc_error_set(
            SQLALC_ERR_ARGUMENT,
            "%s: unknown isolation_level '%s' (READ COMMITTED, REPEATABLE READ, SERIALIZABLE, "
            "READ UNCOMMITTED, AUTOCOMMIT; on SQLite also DEFERRED, IMMEDIATE, EXCLUSIVE; on SQL "
            "Server SNAPSHOT)",
            who, o->isolation_level);
    if (o->stream_results)
        n.stream_results = o->stream_results > 0;
    if (o->yield_per) {
        n.yield_per = o->yield_per;
        if (!o->stream_results)
            n.stream_results = 1; /* as SQLAlchemy: yield_per streams */
    }
    if (o->timeout != 0)
        n.timeout = o->timeout > 0 ? o->timeout : 0;
    if (o->no_compiled_cache)
        n.no_compiled_cache = o->no_compiled_cache > 0;
    if (o->readonly)
        n.readonly = o->readonly > 0;
    n.version = SQLALC_EXECUTION_OPTIONS_VERSION;
    *eff = n;
    return SQLALC_OK;
}

double sqlalc__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static const char *const event_names[] = {
    "CONNECT", "CHECKOUT",   "CHECKIN", "BEFORE_EXECUTE", "AFTER_EXECUTE",
    "ERROR",   "INVALIDATE", "BEGIN",   "COMMIT",         "ROLLBACK",
};

int sqlalc__event_fire(sqlalc_engine *eng, sqlalc_event *ev)
{
    const ev_list *l = atomic_load_explicit(&eng->listeners, memory_order_acquire);
    int rc = SQLALC_OK;
    ev->engine = eng;
    for (size_t i = 0; l && i < l->n; i++) {
        if (!(l->v[i].mask & SQLALC_EVENT_MASK(ev->kind)))
            continue;
        int r = l->v[i].fn(l->v[i].ctx, ev);
        if (r < 0 && rc == SQLALC_OK) {
            rc = r;
            if (sqlalc_error_last()->code != r)
                sqlalc_error_set(r, "a %s event listener refused with %s", event_names[ev->kind],
                                 sqlalc_code_name(r));
        }
    }
    return rc;
}

int sqlalc__event_simple(sqlalc_conn *conn, sqlalc_event_kind k, const char *sql)
{
    if (!sqlalc__event_on(conn->eng, k))
        return SQLALC_OK;
    sqlalc_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = k;
    ev.conn = conn;
    ev.sql = sql;
    ev.rowcount = -1;
    return sqlalc__event_fire(conn->eng, &ev);
}

/* Publish a new listener array (under eng->lock); the old one is retired. */
static void publish(sqlalc_engine *eng, ev_list *n)
{
    ev_list *old = atomic_load_explicit(&eng->listeners, memory_order_relaxed);
    n->retired = old;
    unsigned mask = 0;
    for (size_t i = 0; i < n->n; i++)
        mask |= n->v[i].mask;
    atomic_store_explicit(&eng->listeners, n, memory_order_release);
    atomic_store_explicit(&eng->ev_mask, mask, memory_order_release);
}

static ev_list *list_copy(const ev_list *old, size_t extra)
{
    size_t n = old ? old->n : 0;
    ev_list *l = sqlalc__malloc(sizeof *l + (n + extra) * sizeof l->v[0]);
    if (!l)
        return NULL;
    l->retired = NULL;
    l->n = n;
    if (n)
        memcpy(l->v, old->v, n * sizeof l->v[0]);
    return l;
}

int sqlalc_event_listen(sqlalc_engine *eng, unsigned mask, sqlalc_event_fn fn, void *ctx)
{
    if (!eng || !fn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "event_listen: NULL %s", eng ? "listener" : "engine");
    mask &= SQLALC_EVENT_ALL;
    if (!mask)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "event_listen: the mask names no event");
    pthread_mutex_lock(&eng->lock);
    ev_list *l = list_copy(atomic_load_explicit(&eng->listeners, memory_order_relaxed), 1);
    if (l) {
        l->v[l->n++] = (ev_listener){ mask, fn, ctx };
        publish(eng, l);
    }
    pthread_mutex_unlock(&eng->lock);
    return l ? SQLALC_OK : SQLALC_ERR_NOMEM;
}

int sqlalc_event_remove(sqlalc_engine *eng, unsigned mask, sqlalc_event_fn fn, void *ctx)
{
    if (!eng || !fn)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "event_remove: NULL %s", eng ? "listener" : "engine");
    pthread_mutex_lock(&eng->lock);
    const ev_list *old = atomic_load_explicit(&eng->listeners, memory_order_relaxed);
    size_t hit = 0;
    for (size_t i = 0; old && i < old->n; i++)
        if (old->v[i].fn == fn && old->v[i].ctx == ctx && (old->v[i].mask & mask))
            hit++;
    int rc = SQLALC_OK;
    if (!hit)
        rc = sqlalc_error_set(SQLALC_ERR_NOT_FOUND,
                              "event_remove: that listener is not registered for those events");
    else {
        ev_list *l = list_copy(NULL, old->n);
        if (!l)
            rc = SQLALC_ERR_NOMEM;
        else {
            for (size_t i = 0; i < old->n; i++) {
                ev_listener e = old->v[i];
                if (e.fn == fn && e.ctx == ctx)
                    e.mask &= ~mask;
                if (e.mask)
                    l->v[l->n++] = e;
            }
            publish(eng, l);
        }
    }
    pthread_mutex_unlock(&eng->lock);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Echo: a listener of the statement events                            */
/* ------------------------------------------------------------------ */

static void fmt_value(sqlalc_buf *b, const sqlalc_value *v)
{
    switch (v->type) {
    case SQLALC_V_NULL: sqlalc_buf_puts(b, "NULL"); break;
    case SQLALC_V_INT: sqlalc_buf_printf(b, "%lld", (long long)v->u.i); break;
    case SQLALC_V_BOOL: sqlalc_buf_puts(b, v->u.i ? "true" : "false"); break;
    case SQLALC_V_FLOAT: sqlalc_buf_printf(b, "%.17g", v->u.f); break;
    case SQLALC_V_BLOB: sqlalc_buf_printf(b, "<%zu bytes>", v->u.s.len); break;
    default: {
        if (!v->u.s.p) {
            sqlalc_buf_puts(b, "NULL");
            break;
        }
        size_t n = v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
        sqlalc_buf_putc(b, '\'');
        sqlalc_buf_append(b, v->u.s.p, n > 200 ? 200 : n);
        if (n > 200)
            sqlalc_buf_puts(b, "...");
        sqlalc_buf_putc(b, '\'');
    }
    }
}

static int echo_listener(void *ctx, const sqlalc_event *ev)
{
    const sqlalc_engine *eng = ctx;
    if (ev->nsets) {
        sqlalc__engine_log(eng, "%s  [executemany: %zu parameter sets]", ev->sql, ev->nsets);
        return SQLALC_OK;
    }
    sqlalc__engine_log(eng, "%s", ev->sql);
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_puts(&b, "[parameters] (");
    for (int i = 0; i < ev->nparams; i++) {
        if (i)
            sqlalc_buf_puts(&b, ", ");
        if (ev->param_names && ev->param_names[i])
            sqlalc_buf_printf(&b, "%s=", ev->param_names[i]);
        fmt_value(&b, &ev->params[i]);
    }
    sqlalc_buf_putc(&b, ')');
    if (sqlalc_buf_cstr(&b))
        sqlalc__engine_log(eng, "%s", b.p);
    sqlalc_buf_free(&b);
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Engine                                                              */
/* ------------------------------------------------------------------ */

/* Switch the engine to its dialect's table for this server version. */
static int engine_set_version(sqlalc_engine *eng, const char *version, const char *how)
{
    const sqlalc_dialect *d = eng->dialect->for_server_version(version);
    if (!d) {
        sqlalc__error_prefix("server_version %s in URL %s", how, eng->masked_url);
        return sqlalc_error_last()->code;
    }
    eng->dialect = d;
    sqlalc__engine_log(eng, "server version %s (%s)", version, how);
    return SQLALC_OK;
}

int sqlalc_engine_create(const char *url, const sqlalc_engine_options *options, sqlalc_engine **out)
{
    if (!out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "engine_create: out is NULL");
    *out = NULL;
    if (!url)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "engine_create: url is NULL");
    sqlalc_engine_options opt = SQLALC_ENGINE_OPTIONS_INIT;
    if (options &&
        sqlalc__versioned_copy(&opt, options, options->version, engine_options_sizes,
                               SQLALC_ENGINE_OPTIONS_VERSION, "engine_create: options") != SQLALC_OK)
        return SQLALC_ERR_ARGUMENT;
    opt.version = SQLALC_ENGINE_OPTIONS_VERSION;
    sqlalc_engine *eng = sqlalc__calloc(1, sizeof *eng);
    if (!eng)
        return SQLALC_ERR_NOMEM;
    eng->opt = opt;
    if (eng->opt.pool_size < 0)
        eng->opt.pool_size = 0;
    if (eng->opt.max_overflow < -1)
        eng->opt.max_overflow = -1;
    if (eng->opt.pool_timeout == 0)
        eng->opt.pool_timeout = 30.0;
    eng->cache_size = eng->opt.stmt_cache_size > 0 ? (size_t)eng->opt.stmt_cache_size : DEFAULT_STMT_CACHE;
    eng->exec_opts = (sqlalc_execution_options)SQLALC_EXECUTION_OPTIONS_INIT;
    sqlalc__pool_init(eng);
    int rc;
    if ((rc = sqlalc__exec_opts_merge(&eng->exec_opts, eng->opt.execution_options, 0, "engine_create")))
        goto fail;
    if (eng->opt.isolation_level) {
        sqlalc_execution_options iso = { .version = SQLALC_EXECUTION_OPTIONS_VERSION,
                                         .isolation_level = eng->opt.isolation_level };
        if ((rc = sqlalc__exec_opts_merge(&eng->exec_opts, &iso, 0, "engine_create")))
            goto fail;
    }
    /* Options point at the caller's memory: keep none of it. */
    eng->opt.isolation_level = eng->exec_opts.isolation_level;
    eng->opt.execution_options = NULL;
    if (eng->opt.echo &&
        (rc = sqlalc_event_listen(eng, SQLALC_EVENT_MASK(SQLALC_EVENT_BEFORE_EXECUTE), echo_listener, eng)))
        goto fail;

    rc = sqlalc_url_parse(url, &eng->url);
    if (rc != SQLALC_OK)
        goto fail;
    if (!(eng->masked_url = sqlalc_url_render(eng->url, 1))) {
        rc = sqlalc__oom();
        goto fail;
    }
    const char *dname = sqlalc_url_dialect(eng->url), *drvname = sqlalc_url_driver(eng->url);
    eng->dialect = sqlalc__find_dialect(dname);
    int detect = 0;
    if (!eng->dialect && !drvname) {
        /* "odbc://DSN": the scheme names a driver; the server says which
         * dialect (first connection below), else the driver's default. */
        eng->driver = sqlalc__find_driver(dname);
        if (eng->driver) {
            eng->dialect = sqlalc__find_dialect(eng->driver->default_dialect);
            detect = eng->driver->server_dialect != NULL;
        }
    }
    if (!eng->dialect) {
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "unknown dialect '%s' in URL %s", dname, eng->masked_url);
        goto fail;
    }
    if (!eng->driver) {
        const char *want = drvname ? drvname : eng->dialect->default_driver;
        eng->driver = sqlalc__find_driver(want);
        if (!eng->driver) {
            rc = sqlalc_error_set(
                SQLALC_ERR_ARGUMENT,
                "driver '%s' for dialect '%s' is not available (not registered or not built) in URL %s", want,
                eng->dialect->name, eng->masked_url);
            goto fail;
        }
    }
    /* Connections that cannot share a database (SQLite memory) are kept
     * one per thread; a database in the process gets the embedded pool. */
    if (eng->driver->private_database && eng->driver->private_database(eng->url))
        eng->kind = SQLALC_POOL_THREAD;
    else if (eng->driver->capabilities & SQLALC_DRIVER_CAP_EMBEDDED)
        eng->kind = SQLALC_POOL_EMBEDDED;
    else
        eng->kind = SQLALC_POOL_QUEUE;
    /* The server version, when the dialect's SQL depends on it: given
     * (option, then URL query) or asked of the server below. */
    const char *version =
        opt.server_version ? opt.server_version : sqlalc_url_query_get(eng->url, "server_version");
    eng->opt.server_version = NULL; /* the caller's memory: not kept */
    if (version && eng->dialect->for_server_version &&
        (rc = engine_set_version(eng, version, "given")) != SQLALC_OK)
        goto fail;
    int ask_version = !version && eng->driver->server_version;
    if (detect || (ask_version && eng->dialect->for_server_version)) {
        /* Like SQLAlchemy's first connect: ask the server, keep the
         * connection in the pool. */
        sqlalc_conn *c;
        if ((rc = sqlalc_engine_connect(eng, &c)) != SQLALC_OK)
            goto fail;
        if (detect) {
            const char *name = eng->driver->server_dialect(c->db->dc);
            const sqlalc_dialect *d = name ? sqlalc__find_dialect(name) : NULL;
            if (d)
                eng->dialect = d;
            sqlalc__engine_log(eng, "server dialect: %s", eng->dialect->name);
            if (version && eng->dialect->for_server_version &&
                (rc = engine_set_version(eng, version, "given")) != SQLALC_OK) {
                sqlalc_conn_close(c);
                goto fail;
            }
        }
        const char *sv =
            ask_version && eng->dialect->for_server_version ? eng->driver->server_version(c->db->dc) : NULL;
        if (sv && (rc = engine_set_version(eng, sv, "reported by the server")) != SQLALC_OK) {
            sqlalc_conn_close(c);
            goto fail;
        }
        sqlalc_conn_close(c);
    }
    /* A level or mode the database lacks fails here, not at each BEGIN. */
    if ((rc = sqlalc__check_tx_opts(eng, eng->exec_opts.isolation_level, eng->exec_opts.readonly)))
        goto fail;
    *out = eng;
    return SQLALC_OK;
fail:
    sqlalc_engine_free(eng);
    return rc;
}

const sqlalc_url *sqlalc_engine_url(const sqlalc_engine *eng)
{
    return eng ? eng->url : NULL;
}
const char *sqlalc_engine_dialect_name(const sqlalc_engine *eng)
{
    return eng ? eng->dialect->name : NULL;
}
void *sqlalc_conn_driver_connection(sqlalc_conn *conn)
{
    return conn && conn->db ? conn->db->dc : NULL;
}

const sqlalc_dialect *sqlalc_engine_dialect(const sqlalc_engine *eng)
{
    return eng ? eng->dialect : NULL;
}
const sqlalc_dialect *sqlalc__engine_dialect(const sqlalc_engine *eng)
{
    return eng->dialect;
}

void sqlalc_engine_free(sqlalc_engine *eng)
{
    if (!eng)
        return;
    sqlalc__pool_free(eng);
    for (ev_list *l = atomic_load(&eng->listeners), *n; l; l = n) {
        n = l->retired;
        sqlalc_free(l);
    }
    sqlalc_url_free(eng->url);
    sqlalc_free(eng->masked_url);
    sqlalc_free(eng);
}

/*
 * The engine: URL, dialect and driver, options, echo logging.  The pool
 * and connections are in pool.c; running SQL through each connection's
 * prepared-statement cache in exec.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
 * modes (Python's sqlite3 isolation_level words). */
static const char *const iso_names[] = {
    "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE",
    "AUTOCOMMIT",       "DEFERRED",       "IMMEDIATE",       "EXCLUSIVE",
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
static const size_t engine_options_sizes[] = { 0, sizeof(sqlalc_engine_options) };
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
            "READ UNCOMMITTED, AUTOCOMMIT; on SQLite also DEFERRED, IMMEDIATE, EXCLUSIVE)",
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
    eng->cache_size = eng->opt.stmt_cache_size > 0 ? (size_t)eng->opt.stmt_cache_size : DEFAULT_STMT_CACHE;
    eng->exec_opts = (sqlalc_execution_options)SQLALC_EXECUTION_OPTIONS_INIT;
    pthread_mutex_init(&eng->lock, NULL);

    int rc = sqlalc_url_parse(url, &eng->url);
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
    /* Connections that cannot share a database (SQLite memory) are kept one per thread. */
    eng->singleton = eng->driver->private_database && eng->driver->private_database(eng->url);
    if (detect) {
        /* Like SQLAlchemy's first connect: ask the server, keep the
         * connection in the pool. */
        sqlalc_conn *c;
        if ((rc = sqlalc_engine_connect(eng, &c)) != SQLALC_OK)
            goto fail;
        const char *name = eng->driver->server_dialect(c->db->dc);
        const sqlalc_dialect *d = name ? sqlalc__find_dialect(name) : NULL;
        if (d)
            eng->dialect = d;
        sqlalc__engine_log(eng, "server dialect: %s", eng->dialect->name);
        sqlalc_conn_close(c);
    }
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
const sqlalc_dialect *sqlalc__engine_dialect(const sqlalc_engine *eng)
{
    return eng->dialect;
}

void sqlalc_engine_free(sqlalc_engine *eng)
{
    if (!eng)
        return;
    sqlalc_engine_dispose(eng);
    for (dbconn *d = eng->threads, *n; d; d = n) {
        n = d->next;
        sqlalc__dbconn_free(eng, d);
    }
    pthread_mutex_destroy(&eng->lock);
    sqlalc_url_free(eng->url);
    sqlalc_free(eng->masked_url);
    sqlalc_free(eng);
}

/*
 * The sqlite3 driver: the SQLite C library behind the driver vtable.
 *
 * Values: SQLite's storage classes map onto INT/FLOAT/TEXT/BLOB/NULL; the
 * column's declared type refines the tag the way SQLAlchemy's SQLite types
 * do (BOOLEAN → BOOL, DATE/DATETIME/TIME → date kinds, NUMERIC/DECIMAL →
 * NUMERIC text) so rows read the same on every backend.
 * Errors: SQLite result codes map onto the DBAPI classes and a synthesized
 * SQLSTATE (constraint violations get PostgreSQL's 23xxx codes) so callers
 * can test failures the same way on every backend.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../dialects.h"
#include "../../src/util/util.h"
#include "../../src/sql/lexer.h"

#if defined(__GNUC__)
#    define SQLALC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#    define SQLALC_COLD __attribute__((cold, noinline))
#else
#    define SQLALC_UNLIKELY(x) (x)
#    define SQLALC_COLD
#endif

typedef struct lite_conn {
    sqlite3 *db;
    char *path;              /* for messages */
    struct dml_probe *probe; /* set while lite_prepare runs */
    double timeout;          /* statement timeout in seconds, 0 = none */
    double deadline;         /* monotonic time the running step must end by */
    int timed_out;           /* the progress handler interrupted for the timeout */
} lite_conn;

/* Column classes derived from declared types. */
enum { CC_PLAIN = 0, CC_BOOL, CC_DATE, CC_TIME, CC_DATETIME, CC_NUMERIC, CC_JSON };

typedef struct lite_stmt {
    sqlite3_stmt *st;
    lite_conn *conn;
    int ncols;
    int done;           /* last step returned DONE */
    int64_t changes;    /* rows changed by the last DML execution */
    int dml;            /* INSERT/UPDATE/DELETE/REPLACE: has a row count */
    unsigned char *cls; /* per-column class, NULL until computed */
    int bind_static;    /* bind text/blob without copying (exec_batch) */
    int big_bind;       /* a large text/blob copy is bound: released when the run ends */
} lite_stmt;

/* A bound copy larger than this is released as soon as its run ends (a
 * cached statement would otherwise hold it until its next execution). */
#define BIG_BIND ((sqlite3_uint64)1 << 20)

/*
 * How to bind a value of n bytes.  A large one in an INSERT/UPDATE/DELETE
 * is bound in place (no copy of 100 MB beside the record SQLite builds):
 * the engine runs such a statement to its end inside the execute call
 * that holds the value (RETURNING rows are read there too), and the
 * binding is cleared when the run ends, before that call returns.  A
 * query's binding is copied: its rows are read after the call.
 */
static sqlite3_destructor_type big_how(lite_stmt *s, sqlite3_uint64 n, sqlite3_destructor_type how)
{
    if (n <= BIG_BIND)
        return how;
    s->big_bind = 1;
    return s->dml ? SQLITE_STATIC : how;
}

static void release_big(lite_stmt *s)
{
    if (s->big_bind) {
        sqlite3_clear_bindings(s->st);
        s->big_bind = 0;
    }
}

SQLALC_COLD static int map_error(sqlite3 *db, int rc, const char *what)
{
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int code;
    const char *state;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        code = SQLALC_ERR_INTEGRITY;
        switch (ext) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: state = "23505"; break;
        case SQLITE_CONSTRAINT_NOTNULL: state = "23502"; break;
        case SQLITE_CONSTRAINT_FOREIGNKEY: state = "23503"; break;
        case SQLITE_CONSTRAINT_CHECK: state = "23514"; break;
        default: state = "23000";
        }
        break;
    case SQLITE_ERROR:
        code = SQLALC_ERR_PROGRAMMING;
        state = "42000";
        break;
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
        code = SQLALC_ERR_DATA;
        state = "22000";
        break;
    case SQLITE_NOMEM:
        code = SQLALC_ERR_NOMEM;
        state = "HY001";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        /* A lock SQLite waited for (busy_timeout) and gave up on, or would
         * deadlock on: PostgreSQL's lock_not_available.  In WAL mode a read
         * transaction that cannot become a write one because another
         * connection wrote meanwhile is a serialization failure.  Both
         * mean: roll back and run the transaction again. */
        if (ext == SQLITE_BUSY_SNAPSHOT) {
            code = SQLALC_ERR_SERIALIZATION;
            state = "40001";
        } else {
            code = SQLALC_ERR_TIMEOUT;
            state = "55P03";
        }
        break;
    case SQLITE_MISUSE:
        code = SQLALC_ERR_INTERFACE;
        state = "HY010";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_INTERNAL:
        code = SQLALC_ERR_INTERNAL;
        state = "XX000";
        break;
    case SQLITE_AUTH:
    case SQLITE_PERM:
        code = SQLALC_ERR_OPERATIONAL;
        state = "42501";
        break;
    default:
        code = SQLALC_ERR_OPERATIONAL;
        state = "HY000";
        break;
    }
    return sqlalc_error_set_full(code, state, ext, "%s%s%s", what ? what : "", what ? ": " : "", msg);
}

/*
 * Whether a statement is DML (it has a row count): SQLite's authorizer
 * reports what a statement will do while it is prepared.  Rows written
 * to the schema tables (sqlite_…) are DDL's, not DML's.
 */
typedef struct dml_probe {
    int writes; /* INSERT/UPDATE/DELETE of a user table */
    int ddl;    /* CREATE/DROP/ALTER … */
} dml_probe;

static int probe_auth(void *ctx, int action, const char *a, const char *b, const char *db,
                      const char *trigger)
{
    dml_probe *p = ((lite_conn *)ctx)->probe;
    (void)b;
    (void)db;
    if (!p || trigger) /* a re-prepare; or a trigger body, part of the outer statement */
        return SQLITE_OK;
    switch (action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        if (a && sqlalc__strncasecmp(a, "sqlite_", 7))
            p->writes = 1;
        break;
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
    case SQLITE_PRAGMA:
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
    case SQLITE_ANALYZE:
    case SQLITE_REINDEX: break;
    default: p->ddl = 1; /* create, drop, alter, virtual tables */
    }
    return SQLITE_OK;
}

static void lite_close(void *c)
{
    lite_conn *lc = c;
    if (!lc)
        return;
    sqlite3_close_v2(lc->db);
    sqlalc_free(lc->path);
    sqlalc_free(lc);
}

static int lite_connect(const sqlalc_url *url, void **out)
{
    *out = NULL;
    const char *db = sqlalc_url_database(url);
    const char *mode = sqlalc_url_query_get(url, "mode");
    const char *uri = sqlalc_url_query_get(url, "uri");
    int is_uri = uri && (!strcmp(uri, "true") || !strcmp(uri, "1"));
    int flags = SQLITE_OPEN_NOMUTEX; /* a connection is used by one thread at a time */
    if (!mode || !strcmp(mode, "rwc"))
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    else if (!strcmp(mode, "ro"))
        flags |= SQLITE_OPEN_READONLY;
    else if (!strcmp(mode, "rw"))
        flags |= SQLITE_OPEN_READWRITE;
    else if (!strcmp(mode, "memory"))
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    else
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "invalid sqlite mode '%s' (use ro, rw, rwc or memory)",
                                mode);
    if (is_uri)
        flags |= SQLITE_OPEN_URI;
    const char *path = (db && *db) ? db : ":memory:";

    lite_conn *lc = sqlalc__calloc(1, sizeof *lc);
    if (!lc)
        return SQLALC_ERR_NOMEM;
    lc->path = sqlalc__strdup(path);
    if (!lc->path) {
        sqlalc_free(lc);
        return SQLALC_ERR_NOMEM;
    }
    int rc = sqlite3_open_v2(path, &lc->db, flags, NULL);
    if (rc != SQLITE_OK) {
        if (lc->db)
            sqlalc_error_set_full(rc == SQLITE_NOMEM ? SQLALC_ERR_NOMEM : SQLALC_ERR_OPERATIONAL, "08001",
                                  sqlite3_extended_errcode(lc->db), "%s: %s", sqlite3_errmsg(lc->db), path);
        else
            sqlalc_error_set_full(SQLALC_ERR_NOMEM, "HY001", rc, "out of memory opening %s", path);
        int code = sqlalc_error_last()->code;
        lite_close(lc);
        return code;
    }
    sqlite3_extended_result_codes(lc->db, 1);
    /* Installed once: setting an authorizer expires prepared statements. */
    sqlite3_set_authorizer(lc->db, probe_auth, lc);
    const char *bt = sqlalc_url_query_get(url, "busy_timeout");
    sqlite3_busy_timeout(lc->db, bt ? atoi(bt) : 5000);

    *out = lc;
    return SQLALC_OK;
}

static int lite_ping(void *c)
{
    lite_conn *lc = c;
    return lc && lc->db ? SQLALC_OK : sqlalc_error_set(SQLALC_ERR_DISCONNECT, "sqlite connection is closed");
}

static int lite_exec_simple(void *c, const char *sql)
{
    lite_conn *lc = c;
    int rc = sqlite3_exec(lc->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SQLALC_OK : map_error(lc->db, rc, NULL);
}

/* Whether what follows a statement is only space, comments and ';'. */
static int only_space(const char *s, size_t n)
{
    sqlalc__lexer lx;
    sqlalc__token t;
    sqlalc__lex_init(&lx, s, n, sqlalc__dialect_sqlite.syntax);
    while (sqlalc__lex_next(&lx, &t) != SQLALC_TOK_END)
        if (t.kind != SQLALC_TOK_SPACE && t.kind != SQLALC_TOK_COMMENT &&
            !(t.kind == SQLALC_TOK_PUNCT && s[t.off] == ';'))
            return 0;
    return 1;
}

static int lite_prepare(void *c, const char *sql, size_t len, int nparams, void **out)
{
    lite_conn *lc = c;
    *out = NULL;
    lite_stmt *s = sqlalc__calloc(1, sizeof *s);
    if (!s)
        return SQLALC_ERR_NOMEM;
    const char *tail = NULL;
    dml_probe probe = { 0, 0 };
    lc->probe = &probe;
    int rc = sqlite3_prepare_v3(lc->db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &s->st, &tail);
    lc->probe = NULL;
    if (rc != SQLITE_OK) {
        sqlalc_free(s);
        return map_error(lc->db, rc, NULL);
    }
    if (!s->st) { /* empty statement or only a comment */
        sqlalc_free(s);
        return sqlalc_error_set_full(SQLALC_ERR_PROGRAMMING, "42000", 0, "empty SQL statement");
    }
    if (tail && tail < sql + len && !only_space(tail, (size_t)(sql + len - tail))) {
        sqlite3_finalize(s->st);
        sqlalc_free(s);
        return sqlalc_error_set_full(SQLALC_ERR_PROGRAMMING, "42000", 0,
                                     "only one statement may be executed at a time");
    }
    if (nparams >= 0 && sqlite3_bind_parameter_count(s->st) != nparams) {
        int have = sqlite3_bind_parameter_count(s->st);
        sqlite3_finalize(s->st);
        sqlalc_free(s);
        return sqlalc_error_set_full(SQLALC_ERR_PROGRAMMING, "07001", 0,
                                     "statement has %d placeholders but %d parameters were given", have,
                                     nparams);
    }
    /* Every marker the library writes is a bare "?": a named one is text it
     * left alone (":x" after a word character, "@x", "$x", ":x(...)"), and
     * binding by position would give it a value it was never meant to get. */
    for (int i = 1; i <= nparams; i++) {
        const char *name = sqlite3_bind_parameter_name(s->st, i);
        if (name) {
            sqlalc_error_set_full(SQLALC_ERR_PROGRAMMING, "07001", 0,
                                  "SQLite reads '%.64s' as a parameter, but it is not a bind here (a ':name' "
                                  "must not follow a letter or digit)",
                                  name);
            sqlite3_finalize(s->st);
            sqlalc_free(s);
            return SQLALC_ERR_PROGRAMMING;
        }
    }
    s->conn = lc;
    s->ncols = sqlite3_column_count(s->st);
    s->dml = probe.writes && !probe.ddl;
    *out = s;
    return SQLALC_OK;
}

static int lite_bind(void *stmt, int idx, const sqlalc_value *v)
{
    lite_stmt *s = stmt;
    int rc;
    sqlite3_destructor_type how = s->bind_static ? SQLITE_STATIC : SQLITE_TRANSIENT;
    /* A text or blob value without a pointer is SQL NULL. */
    sqlalc_vtype t =
        (v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL && !v->u.s.p) ? SQLALC_V_NULL : v->type;
    switch (t) {
    case SQLALC_V_NULL: rc = sqlite3_bind_null(s->st, idx + 1); break;
    case SQLALC_V_INT:
    case SQLALC_V_BOOL: rc = sqlite3_bind_int64(s->st, idx + 1, v->u.i); break;
    case SQLALC_V_FLOAT: rc = sqlite3_bind_double(s->st, idx + 1, v->u.f); break;
    case SQLALC_V_BLOB:
        rc = sqlite3_bind_blob64(s->st, idx + 1, v->u.s.p, v->u.s.len, big_how(s, v->u.s.len, how));
        break;
    default: {
        size_t n = v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
        rc = sqlite3_bind_text64(s->st, idx + 1, v->u.s.p, n, big_how(s, n, how), SQLITE_UTF8);
        break;
    }
    }
    return rc == SQLITE_OK ? SQLALC_OK : map_error(s->conn->db, rc, "bind");
}

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Called every few thousand VM instructions while a timeout is set. */
static int lite_progress(void *p)
{
    lite_conn *lc = p;
    if (now_mono() <= lc->deadline)
        return 0;
    lc->timed_out = 1;
    return 1;
}

static int lite_set_timeout(void *c, double seconds)
{
    lite_conn *lc = c;
    lc->timeout = seconds > 0 ? seconds : 0;
    sqlite3_progress_handler(lc->db, lc->timeout > 0 ? 1000 : 0, lc->timeout > 0 ? lite_progress : NULL, lc);
    return SQLALC_OK;
}

SQLALC_COLD static int timed_out(lite_conn *lc)
{
    lc->timed_out = 0;
    return sqlalc_error_set_full(SQLALC_ERR_TIMEOUT, "57014", SQLITE_INTERRUPT,
                                 "statement timeout (%g s) expired on %s", lc->timeout, lc->path);
}

static int lite_step(void *stmt)
{
    lite_stmt *s = stmt;
    if (SQLALC_UNLIKELY(s->conn->timeout > 0))
        s->conn->deadline = now_mono() + s->conn->timeout;
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return SQLALC_ROW;
    if (rc == SQLITE_DONE) {
        s->done = 1;
        /* sqlite3_changes64 keeps the last DML's count across DDL, so
         * only DML reports one (as DBAPI's rowcount -1 otherwise). */
        s->changes = s->dml ? sqlite3_changes64(s->conn->db) : -1;
        release_big(s);
        return SQLALC_DONE;
    }
    /* sqlite3_reset returns the same error; keep the first message. */
    int code = s->conn->timed_out && (rc & 0xff) == SQLITE_INTERRUPT ? timed_out(s->conn)
                                                                     : map_error(s->conn->db, rc, NULL);
    sqlite3_reset(s->st);
    release_big(s);
    return code;
}

static int lite_reset(void *stmt)
{
    lite_stmt *s = stmt;
    sqlite3_reset(s->st);
    release_big(s);
    s->done = 0;
    return SQLALC_OK;
}

static void lite_finalize(void *stmt)
{
    lite_stmt *s = stmt;
    if (!s)
        return;
    sqlite3_finalize(s->st);
    sqlalc_free(s->cls);
    sqlalc_free(s);
}

static int lite_column_count(void *stmt)
{
    return ((lite_stmt *)stmt)->ncols;
}
static const char *lite_column_name(void *stmt, int i)
{
    return sqlite3_column_name(((lite_stmt *)stmt)->st, i);
}
static const char *lite_column_decltype(void *stmt, int i)
{
    return sqlite3_column_decltype(((lite_stmt *)stmt)->st, i);
}

static int has(const char *decl, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = decl; *p; p++)
        if (!sqlalc__strncasecmp(p, word, n))
            return 1;
    return 0;
}

static unsigned char classify(const char *decl)
{
    if (!decl)
        return CC_PLAIN;
    if (has(decl, "BOOL"))
        return CC_BOOL;
    if (has(decl, "DATETIME") || has(decl, "TIMESTAMP"))
        return CC_DATETIME;
    if (has(decl, "DATE"))
        return CC_DATE;
    if (has(decl, "TIME"))
        return CC_TIME;
    if (has(decl, "NUMERIC") || has(decl, "DECIMAL"))
        return CC_NUMERIC;
    if (has(decl, "JSON"))
        return CC_JSON;
    return CC_PLAIN;
}

SQLALC_COLD static int compute_classes(lite_stmt *s)
{
    s->cls = sqlalc__calloc((size_t)(s->ncols ? s->ncols : 1), 1);
    if (!s->cls)
        return SQLALC_ERR_NOMEM;
    for (int i = 0; i < s->ncols; i++)
        s->cls[i] = classify(sqlite3_column_decltype(s->st, i));
    return SQLALC_OK;
}

/* One sqlite3_column_value() and then the cheaper sqlite3_value_*()
 * accessors: each sqlite3_column_*() call repeats the column lookup. */
static int lite_column_value(void *stmt, int i, sqlalc_value *out)
{
    lite_stmt *s = stmt;
    if (SQLALC_UNLIKELY(!s->cls) && compute_classes(s))
        return SQLALC_ERR_NOMEM;
    sqlite3_value *v = sqlite3_column_value(s->st, i);
    switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: out->type = SQLALC_V_NULL; return SQLALC_OK;
    case SQLITE_INTEGER:
        out->u.i = sqlite3_value_int64(v);
        out->type = SQLALC_V_INT;
        if (s->cls[i] == CC_BOOL) {
            out->type = SQLALC_V_BOOL;
            out->u.i = out->u.i != 0;
        }
        return SQLALC_OK;
    case SQLITE_FLOAT:
        out->u.f = sqlite3_value_double(v);
        out->type = SQLALC_V_FLOAT;
        return SQLALC_OK;
    case SQLITE_BLOB:
        out->u.s.p = sqlite3_value_blob(v);
        out->u.s.len = (size_t)sqlite3_value_bytes(v);
        if (!out->u.s.p)
            out->u.s.p = "";
        out->type = SQLALC_V_BLOB;
        return SQLALC_OK;
    default: {
        const unsigned char *p = sqlite3_value_text(v);
        if (!p)
            return map_error(s->conn->db, SQLITE_NOMEM, "reading column");
        out->u.s.p = (const char *)p;
        out->u.s.len = (size_t)sqlite3_value_bytes(v);
        static const sqlalc_vtype by_class[] = { SQLALC_V_TEXT, SQLALC_V_TEXT,     SQLALC_V_DATE,
                                                 SQLALC_V_TIME, SQLALC_V_DATETIME, SQLALC_V_NUMERIC,
                                                 SQLALC_V_JSON };
        out->type = by_class[s->cls[i]];
        return SQLALC_OK;
    }
    }
}

static int lite_column_int64(void *stmt, int i, int64_t *out)
{
    sqlite3_value *v = sqlite3_column_value(((lite_stmt *)stmt)->st, i);
    if (sqlite3_value_type(v) == SQLITE_INTEGER) {
        *out = sqlite3_value_int64(v);
        return SQLALC_OK;
    }
    return SQLALC_ERR_TYPE; /* the engine falls back to column_value and converts */
}

static int lite_column_double(void *stmt, int i, double *out)
{
    sqlite3_value *v = sqlite3_column_value(((lite_stmt *)stmt)->st, i);
    if (sqlite3_value_type(v) == SQLITE_FLOAT) {
        *out = sqlite3_value_double(v);
        return SQLALC_OK;
    }
    return SQLALC_ERR_TYPE;
}

static int lite_column_text(void *stmt, int i, const char **out, size_t *len)
{
    sqlite3_value *v = sqlite3_column_value(((lite_stmt *)stmt)->st, i);
    if (sqlite3_value_type(v) == SQLITE_TEXT) {
        const unsigned char *p = sqlite3_value_text(v);
        if (p) {
            *out = (const char *)p;
            if (len)
                *len = (size_t)sqlite3_value_bytes(v);
            return SQLALC_OK;
        }
    }
    return SQLALC_ERR_TYPE;
}

static int64_t lite_rowcount(void *stmt)
{
    lite_stmt *s = stmt;
    return s->done ? s->changes : -1;
}

static int lite_last_insert_id(void *c, int64_t *out)
{
    *out = sqlite3_last_insert_rowid(((lite_conn *)c)->db);
    return SQLALC_OK;
}

static int lite_transaction_state(void *c)
{
    return sqlite3_get_autocommit(((lite_conn *)c)->db) ? SQLALC_TXSTATE_IDLE : SQLALC_TXSTATE_ACTIVE;
}

/* Every connection to an in-memory database has a database of its own. */
static int lite_private_database(const sqlalc_url *url)
{
    const char *db = sqlalc_url_database(url);
    const char *mode = sqlalc_url_query_get(url, "mode");
    return !db || !*db || !strcmp(db, ":memory:") || (mode && !strcmp(mode, "memory"));
}

/* executemany: the caller keeps the values alive for the whole call, so
 * text and blobs are bound without copies. */
static int lite_exec_batch(void *stmt, const sqlalc_value *values, size_t nsets, int nparams,
                           int64_t *rowcount)
{
    lite_stmt *s = stmt;
    int64_t total = 0;
    int rc = SQLALC_OK;
    s->bind_static = 1;
    if (s->conn->timeout > 0) /* the whole batch is one statement's run */
        s->conn->deadline = now_mono() + s->conn->timeout;
    for (size_t r = 0; r < nsets; r++) {
        const sqlalc_value *row = values + r * (size_t)nparams;
        for (int i = 0; i < nparams && rc == SQLALC_OK; i++)
            rc = lite_bind(s, i, &row[i]);
        if (rc != SQLALC_OK) {
            sqlalc_error_set_batch_position(r, 1);
            break;
        }
        int st = sqlite3_step(s->st);
        if (st != SQLITE_DONE && st != SQLITE_ROW) {
            rc = s->conn->timed_out && (st & 0xff) == SQLITE_INTERRUPT ? timed_out(s->conn)
                                                                       : map_error(s->conn->db, st, NULL);
            sqlalc_error_set_batch_position(r, 1); /* the engine names the set */
            sqlite3_reset(s->st);
            break;
        }
        /* changes64, not total_changes64: rows done by triggers do not count */
        total += sqlite3_changes64(s->conn->db);
        sqlite3_reset(s->st);
    }
    /* Drop the borrowed pointers: the statement stays cached after the call. */
    sqlite3_clear_bindings(s->st);
    s->bind_static = 0;
    if (rowcount)
        *rowcount = total;
    return rc;
}

const sqlalc_driver sqlalc__driver_sqlite3 = {
    .version = SQLALC_DRIVER_VERSION,
    .name = "sqlite3",
    .default_dialect = "sqlite",
    .paramstyle = SQLALC_PARAMSTYLE_QMARK,
    .connect = lite_connect,
    .close = lite_close,
    .ping = lite_ping,
    .exec_simple = lite_exec_simple,
    .prepare = lite_prepare,
    .bind = lite_bind,
    .step = lite_step,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .column_count = lite_column_count,
    .column_name = lite_column_name,
    .column_decltype = lite_column_decltype,
    .column_value = lite_column_value,
    .column_int64 = lite_column_int64,
    .rowcount = lite_rowcount,
    .last_insert_id = lite_last_insert_id,
    .exec_batch = lite_exec_batch,
    .column_double = lite_column_double,
    .column_text = lite_column_text,
    .capabilities = SQLALC_DRIVER_CAP_EMBEDDED,
    .private_database = lite_private_database,
    .transaction_state = lite_transaction_state,
    .set_timeout = lite_set_timeout,
};

/*
 * The odbc driver: unixODBC behind the driver vtable, for SQL Server
 * ("mssql+odbc://") and for any database with an ODBC driver
 * ("postgresql+odbc://", "sqlite+odbc://").
 *
 * URL → connection string:
 *   ?odbc_connect=<string>          used verbatim (percent-decoded);
 *   user:pw@host:port/db?driver=X   DRIVER={X};SERVER=host,port;DATABASE=db;UID=…;PWD=…
 *   user:pw@dsn/db                  DSN=dsn;UID=…;PWD=…;DATABASE=db
 *   mssql+pymssql://user:pw@host:port/db   DRIVER={FreeTDS};SERVER=host;PORT=port;…
 *                                   (FreeTDS, as pymssql; any driver= whose
 *                                   name starts with FreeTDS gets PORT= too)
 * Other query keys are appended as KEY=value attributes.
 *
 * Rows: the first access to a column after a fetch reads every column of
 * the row with SQLGetData in order (drivers may refuse out-of-order or
 * repeated reads), into per-column buffers that stay valid until the next
 * fetch.  Values are exchanged as SQL_C_SBIGINT, SQL_C_DOUBLE, SQL_C_BIT,
 * SQL_C_BINARY, or SQL_C_CHAR text (numeric, dates and times keep their
 * exact text and get the matching value tag).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "odbc_int.h"
#include "sqlalc/odbc.h"
#include "../../src/util/util.h"

typedef struct odbc_conn {
    SQLHENV env;
    SQLHDBC dbc;
    int sqlite; /* the server is SQLite (SQL_DBMS_NAME): its native codes classify errors */
    int in_tx;
    /* SQL_MULT_RESULT_SETS: a batch can have later results.  When the
     * driver says no (sqliteodbc) SQLMoreResults is never asked: there it
     * drops the prepared statement, which the next execute prepares again. */
    int multi_results;
    char version[64]; /* SQL_DBMS_VER, read at connect ("" when the driver does not say) */
} odbc_conn;

typedef struct odbc_col {
    char name[128];
    SQLSMALLINT sqltype;
    sqlalc_vtype vtype;
    SQLSMALLINT ctype;
    char *buf; /* text / binary data */
    size_t cap;
    sqlalc_value val; /* value read for the current row */
} odbc_col;

typedef struct odbc_param {
    sqlalc_value v;
    char *buf; /* copy of text / blob */
    size_t cap;
    SQLLEN ind;
    SQLBIGINT i;
    double f;
    unsigned char bit;
    /* what SQLBindParameter was last given: the same again is not asked */
    int bound;
    SQLSMALLINT b_ctype, b_sqltype;
    SQLULEN b_size;
    SQLPOINTER b_data;
    SQLLEN b_buflen;
} odbc_param;

typedef struct odbc_stmt {
    odbc_conn *conn;
    SQLHSTMT h;
    int nparams;
    odbc_param *params;
    int executed;
    int ncols; /* -1 until known */
    odbc_col *cols;
    int row_loaded;
    SQLLEN rowcount;
    int done;
    int later_rows; /* the rows come after a result without columns (see odbc_step) */
    int closed;     /* the driver closed the cursor already (no SQLFreeStmt needed) */
} odbc_stmt;

/* Record the diagnostics of a handle as the last error. */
static int diag(SQLSMALLINT type, SQLHANDLE h, SQLRETURN ret, const char *what, int sqlite, SQLHDBC dbc)
{
    SQLCHAR state[6] = "", msg[1024] = "";
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    if (ret == SQL_INVALID_HANDLE)
        return sqlalc_error_set(SQLALC_ERR_INTERFACE, "%s: invalid ODBC handle", what);
    if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len)))
        return sqlalc_error_set(SQLALC_ERR_DATABASE, "%s failed (no ODBC diagnostics)", what);
    const char *sqlstate = (const char *)state;
    int code = sqlalc_code_from_sqlstate(sqlstate);
    /* sqliteodbc reports SQLite's result code as the native error with a
     * generic SQLSTATE: classify from the SQLite code instead. */
    if (sqlite && (native & 0xff) == 19) {
        code = SQLALC_ERR_INTEGRITY;
        if (strstr((char *)msg, "UNIQUE"))
            sqlstate = "23505";
        else if (strstr((char *)msg, "NOT NULL"))
            sqlstate = "23502";
        else if (strstr((char *)msg, "FOREIGN KEY"))
            sqlstate = "23503";
        else if (strstr((char *)msg, "CHECK"))
            sqlstate = "23514";
        else
            sqlstate = "23000";
    } else if (sqlite && (native & 0xff) == 1 && !strcmp(sqlstate, "HY000")) {
        code = SQLALC_ERR_PROGRAMMING;
        sqlstate = "42000";
    } else if (sqlite && ((native & 0xff) == 5 || (native & 0xff) == 6)) {
        /* SQLITE_BUSY / SQLITE_LOCKED: as the sqlite3 driver reports them */
        code = native == 517 ? SQLALC_ERR_SERIALIZATION : SQLALC_ERR_TIMEOUT;
        sqlstate = native == 517 ? "40001" : "55P03";
    }
    /* A server that ended the session (psqlodbc reports PostgreSQL's FATAL
     * with a generic SQLSTATE): the driver knows the link is dead. */
    SQLUINTEGER dead = SQL_CD_FALSE;
    if (code != SQLALC_ERR_DISCONNECT && dbc &&
        SQL_SUCCEEDED(SQLGetConnectAttr(dbc, SQL_ATTR_CONNECTION_DEAD, &dead, 0, NULL)) &&
        dead == SQL_CD_TRUE) {
        code = SQLALC_ERR_DISCONNECT;
        sqlstate = "08S01";
    }
    /* Trailing newlines from some drivers. */
    size_t n = strlen((char *)msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    return sqlalc_error_set_full(code, sqlstate, native, "%s", (char *)msg);
}

SQLHDBC sqlalc__odbc_dbc(void *conn)
{
    return ((odbc_conn *)conn)->dbc;
}

int sqlalc__odbc_diag(SQLSMALLINT type, SQLHANDLE h, SQLRETURN ret, const char *what, void *conn)
{
    odbc_conn *c = conn;
    return diag(type, h, ret, what, c->sqlite, c->dbc);
}

#define STMT_DIAG(s, ret, what) diag(SQL_HANDLE_STMT, (s)->h, ret, what, (s)->conn->sqlite, (s)->conn->dbc)
#define DBC_DIAG(c, ret, what) diag(SQL_HANDLE_DBC, (c)->dbc, ret, what, (c)->sqlite, (c)->dbc)

static void odbc_close(void *p)
{
    odbc_conn *c = p;
    if (!c)
        return;
    if (c->dbc) {
        if (c->in_tx)
            SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_ROLLBACK);
        SQLDisconnect(c->dbc);
        SQLFreeHandle(SQL_HANDLE_DBC, c->dbc);
    }
    if (c->env)
        SQLFreeHandle(SQL_HANDLE_ENV, c->env);
    sqlalc_free(c);
}

/* ODBC attribute values with ; or } must be braced. */
static void put_attr(sqlalc_buf *b, const char *key, const char *val)
{
    sqlalc_buf_printf(b, "%s=", key);
    if (strpbrk(val, ";{}= ")) {
        sqlalc_buf_putc(b, '{');
        for (const char *p = val; *p; p++) {
            sqlalc_buf_putc(b, *p);
            if (*p == '}')
                sqlalc_buf_putc(b, '}');
        }
        sqlalc_buf_putc(b, '}');
    } else
        sqlalc_buf_puts(b, val);
    sqlalc_buf_putc(b, ';');
}

static int build_connstr(const sqlalc_url *url, sqlalc_buf *b)
{
    const char *oc = sqlalc_url_query_get(url, "odbc_connect");
    if (oc) {
        sqlalc_buf_puts(b, oc);
        return SQLALC_OK;
    }
    const char *host = sqlalc_url_host(url), *driver = sqlalc_url_query_get(url, "driver");
    const char *user = sqlalc_url_username(url), *pw = sqlalc_url_password(url),
               *db = sqlalc_url_database(url);
    if (!host || !*host)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "ODBC URL needs a DSN or host (mssql+odbc://user:pw@dsn) or ?odbc_connect=…");
    /* mssql+pymssql:// (pymssql is FreeTDS underneath): FreeTDS's ODBC
     * driver, host and port from the URL, no DSN. */
    const char *via = sqlalc_url_driver(url);
    int pymssql = via && !strcmp(via, "pymssql");
    if (!driver && pymssql)
        driver = "FreeTDS";
    if (driver) {
        put_attr(b, "DRIVER", driver);
        /* FreeTDS takes the port apart (PORT=); Microsoft's drivers as "host,port" */
        if (pymssql || sqlalc__strncasecmp(driver, "FreeTDS", 7) == 0) {
            put_attr(b, "SERVER", host);
            if (sqlalc_url_port(url))
                sqlalc_buf_printf(b, "PORT=%d;", sqlalc_url_port(url));
        } else {
            char server[300];
            if (sqlalc_url_port(url))
                snprintf(server, sizeof server, "%s,%d", host, sqlalc_url_port(url));
            else
                snprintf(server, sizeof server, "%s", host);
            put_attr(b, "SERVER", server);
        }
    } else
        put_attr(b, "DSN", host);
    if (db && *db)
        put_attr(b, "DATABASE", db);
    if (user && *user)
        put_attr(b, "UID", user);
    if (pw)
        put_attr(b, "PWD", pw);
    for (size_t i = 0; i < sqlalc_url_query_count(url); i++) {
        const char *k = sqlalc_url_query_key(url, i);
        /* the library's own keys, not the driver's */
        if (!strcmp(k, "driver") || !strcmp(k, "odbc_connect") || !strcmp(k, "server_version") ||
            !strcmp(k, "odbc_reflection"))
            continue;
        put_attr(b, k, sqlalc_url_query_value(url, i));
    }
    return SQLALC_OK;
}

/* SQL_DBMS_NAME mapped onto our dialect names. */
static const char *odbc_server_dialect(void *p)
{
    odbc_conn *c = p;
    char name[128] = "";
    SQLSMALLINT len = 0;
    if (!SQL_SUCCEEDED(SQLGetInfo(c->dbc, SQL_DBMS_NAME, name, sizeof name, &len)))
        return NULL;
    if (strstr(name, "SQL Server"))
        return "mssql";
    if (!sqlalc__strncasecmp(name, "PostgreSQL", 10))
        return "postgresql";
    if (!sqlalc__strncasecmp(name, "SQLite", 6))
        return "sqlite";
    return NULL;
}

static int odbc_connect(const sqlalc_url *url, void **out)
{
    *out = NULL;
    odbc_conn *c = sqlalc__calloc(1, sizeof *c);
    if (!c)
        return SQLALC_ERR_NOMEM;
    sqlalc_buf cs = SQLALC_BUF_INIT;
    int rc = build_connstr(url, &cs);
    if (rc == SQLALC_OK && !sqlalc_buf_cstr(&cs))
        rc = SQLALC_ERR_NOMEM;
    if (rc != SQLALC_OK) {
        sqlalc_buf_free(&cs);
        sqlalc_free(c);
        return rc;
    }
    SQLRETURN r = SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &c->env);
    if (SQL_SUCCEEDED(r))
        r = SQLSetEnvAttr(c->env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    if (SQL_SUCCEEDED(r))
        r = SQLAllocHandle(SQL_HANDLE_DBC, c->env, &c->dbc);
    if (!SQL_SUCCEEDED(r)) {
        sqlalc_buf_free(&cs);
        odbc_close(c);
        return sqlalc_error_set(SQLALC_ERR_NOMEM, "cannot allocate ODBC handles");
    }
    /* One connect at a time: drivers set process-wide state while they
     * connect (psqlodbc calls setlocale, which is not thread-safe), and a
     * pool opens connections from many threads. */
    static pthread_mutex_t connect_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&connect_lock);
    r = SQLDriverConnect(c->dbc, NULL, (SQLCHAR *)cs.p, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    pthread_mutex_unlock(&connect_lock);
    sqlalc_buf_free(&cs);
    if (!SQL_SUCCEEDED(r)) {
        diag(SQL_HANDLE_DBC, c->dbc, r, "connect", 0, NULL);
        char *masked = sqlalc_url_render(url, 1);
        sqlalc__error_prefix("cannot connect to %s", masked ? masked : "(ODBC URL)");
        sqlalc_free(masked);
        int code = sqlalc_error_last()->code;
        SQLFreeHandle(SQL_HANDLE_DBC, c->dbc);
        c->dbc = NULL;
        odbc_close(c);
        return code == SQLALC_ERR_DISCONNECT ? SQLALC_ERR_OPERATIONAL : code;
    }
    SQLSetConnectAttr(c->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    /* What the server is, from the wire (never from the URL's dialect). */
    const char *server = odbc_server_dialect(c);
    c->sqlite = server && !strcmp(server, "sqlite");
    SQLSMALLINT vlen = 0;
    if (!SQL_SUCCEEDED(SQLGetInfo(c->dbc, SQL_DBMS_VER, c->version, sizeof c->version, &vlen)))
        c->version[0] = 0;
    char multi[8] = "Y";
    SQLGetInfo(c->dbc, SQL_MULT_RESULT_SETS, multi, sizeof multi, &vlen);
    c->multi_results = multi[0] != 'N';
    *out = c;
    return SQLALC_OK;
}

/* SQL_DBMS_VER ("11.00.2100" from SQL Server's drivers). */
static const char *odbc_server_version(void *p)
{
    odbc_conn *c = p;
    return c->version[0] ? c->version : NULL;
}

static int odbc_ping(void *p)
{
    odbc_conn *c = p;
    SQLUINTEGER dead = SQL_CD_FALSE;
    SQLRETURN r = SQLGetConnectAttr(c->dbc, SQL_ATTR_CONNECTION_DEAD, &dead, 0, NULL);
    if (SQL_SUCCEEDED(r) && dead == SQL_CD_TRUE)
        return sqlalc_error_set_full(SQLALC_ERR_DISCONNECT, "08S01", 0, "ODBC connection is dead");
    /* Drivers set "dead" only after a failed exchange, so make one: a
     * catalog call for a table that does not exist asks the server (a
     * driver may answer it locally; then it has no link to lose). */
    SQLHSTMT h;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, c->dbc, &h)))
        return DBC_DIAG(c, SQL_ERROR, "ping");
    r = SQLTables(h, NULL, 0, NULL, 0, (SQLCHAR *)"sqlalc_ping_probe", SQL_NTS, NULL, 0);
    int rc = SQL_SUCCEEDED(r) ? SQLALC_OK : diag(SQL_HANDLE_STMT, h, r, "ping", c->sqlite, c->dbc);
    SQLFreeHandle(SQL_HANDLE_STMT, h);
    return rc;
}

static int odbc_exec_simple(void *p, const char *sql)
{
    odbc_conn *c = p;
    SQLHSTMT h;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, c->dbc, &h)))
        return DBC_DIAG(c, SQL_ERROR, "allocate statement");
    SQLRETURN r = SQLExecDirect(h, (SQLCHAR *)sql, SQL_NTS);
    int rc = SQLALC_OK;
    if (!SQL_SUCCEEDED(r) && r != SQL_NO_DATA)
        rc = diag(SQL_HANDLE_STMT, h, r, sql, c->sqlite, c->dbc);
    SQLFreeHandle(SQL_HANDLE_STMT, h);
    return rc;
}

static void odbc_finalize(void *p)
{
    odbc_stmt *s = p;
    if (!s)
        return;
    if (s->h)
        SQLFreeHandle(SQL_HANDLE_STMT, s->h);
    /* params is NULL when its allocation failed in prepare (suite_fault) */
    for (int i = 0; s->params && i < s->nparams; i++)
        sqlalc_free(s->params[i].buf);
    for (int i = 0; s->cols && i < s->ncols; i++)
        sqlalc_free(s->cols[i].buf);
    sqlalc_free(s->params);
    sqlalc_free(s->cols);
    sqlalc_free(s);
}

static int odbc_prepare(void *p, const char *sql, size_t len, int nparams, void **out)
{
    odbc_conn *c = p;
    *out = NULL;
    odbc_stmt *s = sqlalc__calloc(1, sizeof *s);
    if (!s)
        return SQLALC_ERR_NOMEM;
    s->conn = c;
    s->ncols = -1;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, c->dbc, &s->h))) {
        sqlalc_free(s);
        return DBC_DIAG(c, SQL_ERROR, "allocate statement");
    }
    SQLRETURN r = SQLPrepare(s->h, (SQLCHAR *)sql, (SQLINTEGER)len);
    if (!SQL_SUCCEEDED(r)) {
        int rc = STMT_DIAG(s, r, "prepare");
        odbc_finalize(s);
        return rc;
    }
    if (nparams < 0) {
        SQLSMALLINT n = 0;
        SQLNumParams(s->h, &n);
        nparams = n;
    }
    s->nparams = nparams;
    if (nparams && !(s->params = sqlalc__calloc((size_t)nparams, sizeof *s->params))) {
        odbc_finalize(s);
        return SQLALC_ERR_NOMEM;
    }
    *out = s;
    return SQLALC_OK;
}

/* The debug trace of SQLBindParameter (sqlalc_odbc_set_bind_trace). */
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static sqlalc_odbc_bind_trace_fn trace_fn;
static void *trace_ud;
static atomic_int trace_on;

void sqlalc_odbc_set_bind_trace(sqlalc_odbc_bind_trace_fn fn, void *ud)
{
    pthread_mutex_lock(&trace_lock);
    trace_fn = fn;
    trace_ud = ud;
    atomic_store(&trace_on, fn != NULL);
    pthread_mutex_unlock(&trace_lock);
}

static void trace_bind(int idx, SQLSMALLINT ctype, SQLSMALLINT sqltype, SQLULEN size)
{
    pthread_mutex_lock(&trace_lock);
    if (trace_fn)
        trace_fn(trace_ud, idx, ctype, sqltype, (size_t)size);
    pthread_mutex_unlock(&trace_lock);
}

/* Bind parameter idx; a binding the same as the last (types, size, the
 * buffer: the new value is already in it) is not asked again, as a raw
 * loop binds once and executes many times. */
static SQLRETURN bind_param(odbc_stmt *s, int idx, SQLSMALLINT ctype, SQLSMALLINT sqltype, SQLULEN size,
                            SQLPOINTER data, SQLLEN buflen, SQLLEN *ind)
{
    if (atomic_load_explicit(&trace_on, memory_order_relaxed))
        trace_bind(idx, ctype, sqltype, size);
    odbc_param *pa = &s->params[idx];
    if (pa->bound && pa->b_ctype == ctype && pa->b_sqltype == sqltype && pa->b_size == size &&
        pa->b_data == data && pa->b_buflen == buflen)
        return SQL_SUCCESS;
    SQLRETURN r = SQLBindParameter(s->h, (SQLUSMALLINT)(idx + 1), SQL_PARAM_INPUT, ctype, sqltype, size, 0,
                                   data, buflen, ind);
    pa->bound = SQL_SUCCEEDED(r);
    pa->b_ctype = ctype;
    pa->b_sqltype = sqltype;
    pa->b_size = size;
    pa->b_data = data;
    pa->b_buflen = buflen;
    return r;
}

/* The longest text the bounded types hold; longer is bound as the long
 * type (NVARCHAR(max) / VARCHAR(max) on SQL Server). */
#define NVARCHAR_MAX_CHARS 4000
#define VARCHAR_MAX_BYTES 8000

/* UTF-8 to UTF-16 into pa->buf; *units gets the code units (no NUL). */
static int to_utf16(odbc_param *pa, const unsigned char *p, size_t len, size_t *units)
{
    /* at most one unit per byte, plus the terminator */
    if (sqlalc__grow((void **)&pa->buf, &pa->cap, (len + 1) * sizeof(SQLWCHAR), 1))
        return SQLALC_ERR_NOMEM;
    SQLWCHAR *w = (SQLWCHAR *)(void *)pa->buf;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned c = p[i], need, cp;
        if (c < 0x80)
            need = 0, cp = c;
        else if ((c & 0xe0) == 0xc0)
            need = 1, cp = c & 0x1f;
        else if ((c & 0xf0) == 0xe0)
            need = 2, cp = c & 0x0f;
        else if ((c & 0xf8) == 0xf0)
            need = 3, cp = c & 0x07;
        else
            goto bad;
        if (need && i + need >= len)
            goto bad;
        for (unsigned k = 1; k <= need; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                goto bad;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        /* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            goto bad;
        i += need + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            w[n++] = (SQLWCHAR)(0xd800 | (cp >> 10));
            w[n++] = (SQLWCHAR)(0xdc00 | (cp & 0x3ff));
        } else
            w[n++] = (SQLWCHAR)cp;
    }
    w[n] = 0;
    *units = n;
    return SQLALC_OK;
bad:
    return sqlalc_error_set(SQLALC_ERR_DATA, "text for a Unicode column is not valid UTF-8");
}

static int is_unicode(int type)
{
    return type == SQLALC_TYPE_UNICODE || type == SQLALC_TYPE_UNICODE_TEXT || type == SQLALC_TYPE_NCHAR;
}

/*
 * Bind with the SQL type the statement gives the parameter (type: a
 * sqlalc_type_kind, 0 unknown).  Text is VARCHAR unless it targets a
 * Unicode column, where it goes as UTF-16 NVARCHAR: on SQL Server an
 * NVARCHAR value compared with a VARCHAR column converts the column and
 * its index cannot be used.  Past 4,000 characters (NVARCHAR) / 8,000
 * bytes (VARCHAR) the long types, as (max).
 */
static int bind_as(odbc_stmt *s, int idx, const sqlalc_value *v, int type)
{
    if (idx < 0 || idx >= s->nparams)
        return sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "parameter %d out of range", idx + 1);
    odbc_param *pa = &s->params[idx];
    SQLRETURN r;
    int wide = is_unicode(type);
    /* A text or blob value without a pointer is SQL NULL. */
    sqlalc_vtype t =
        (v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL && !v->u.s.p) ? SQLALC_V_NULL : v->type;
    switch (t) {
    case SQLALC_V_NULL:
        pa->ind = SQL_NULL_DATA;
        r = bind_param(s, idx, SQL_C_CHAR, wide ? SQL_WVARCHAR : SQL_VARCHAR, 1, NULL, 0, &pa->ind);
        break;
    case SQLALC_V_INT:
        pa->i = v->u.i;
        pa->ind = 0;
        r = bind_param(s, idx, SQL_C_SBIGINT, SQL_BIGINT, 0, &pa->i, 0, &pa->ind);
        break;
    case SQLALC_V_BOOL:
        pa->bit = v->u.i != 0;
        pa->ind = 0;
        r = bind_param(s, idx, SQL_C_BIT, SQL_BIT, 0, &pa->bit, 0, &pa->ind);
        break;
    case SQLALC_V_FLOAT:
        pa->f = v->u.f;
        pa->ind = 0;
        r = bind_param(s, idx, SQL_C_DOUBLE, SQL_DOUBLE, 0, &pa->f, 0, &pa->ind);
        break;
    default: {
        size_t len = v->u.s.len == SQLALC_NTS ? strlen(v->u.s.p) : v->u.s.len;
        int blob = v->type == SQLALC_V_BLOB;
        if (wide && !blob) {
            size_t units = 0;
            int rc = to_utf16(pa, (const unsigned char *)v->u.s.p, len, &units);
            if (rc)
                return rc;
            pa->ind = (SQLLEN)(units * sizeof(SQLWCHAR));
            /* bounded: the type's whole size, the same for every value */
            int lng = units > NVARCHAR_MAX_CHARS;
            r = bind_param(s, idx, SQL_C_WCHAR, lng ? SQL_WLONGVARCHAR : SQL_WVARCHAR,
                           lng ? units : NVARCHAR_MAX_CHARS, pa->buf, (SQLLEN)pa->cap, &pa->ind);
            break;
        }
        if (sqlalc__grow((void **)&pa->buf, &pa->cap, len + 1, 1))
            return SQLALC_ERR_NOMEM;
        memcpy(pa->buf, v->u.s.p, len);
        pa->buf[len] = 0;
        pa->ind = (SQLLEN)len;
        int lng = blob || len > VARCHAR_MAX_BYTES;
        SQLSMALLINT sqltype = blob ? SQL_LONGVARBINARY : lng ? SQL_LONGVARCHAR : SQL_VARCHAR;
        r = bind_param(s, idx, blob ? SQL_C_BINARY : SQL_C_CHAR, sqltype,
                       lng ? (len ? len : 1) : VARCHAR_MAX_BYTES, pa->buf, (SQLLEN)pa->cap, &pa->ind);
    }
    }
    return SQL_SUCCEEDED(r) ? SQLALC_OK : STMT_DIAG(s, r, "bind");
}

static int odbc_bind(void *p, int idx, const sqlalc_value *v)
{
    return bind_as(p, idx, v, SQLALC_TYPE_NULL);
}

static int odbc_bind_typed(void *p, int idx, const sqlalc_value *v, int type)
{
    return bind_as(p, idx, v, type);
}

static void classify(odbc_col *col)
{
    switch (col->sqltype) {
    case SQL_TINYINT:
    case SQL_SMALLINT:
    case SQL_INTEGER:
    case SQL_BIGINT:
        col->vtype = SQLALC_V_INT;
        col->ctype = SQL_C_SBIGINT;
        break;
    case SQL_REAL:
    case SQL_FLOAT:
    case SQL_DOUBLE:
        col->vtype = SQLALC_V_FLOAT;
        col->ctype = SQL_C_DOUBLE;
        break;
    case SQL_BIT:
        col->vtype = SQLALC_V_BOOL;
        col->ctype = SQL_C_BIT;
        break;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
        col->vtype = SQLALC_V_BLOB;
        col->ctype = SQL_C_BINARY;
        break;
    case SQL_NUMERIC:
    case SQL_DECIMAL:
        col->vtype = SQLALC_V_NUMERIC;
        col->ctype = SQL_C_CHAR;
        break;
    case SQL_TYPE_DATE:
        col->vtype = SQLALC_V_DATE;
        col->ctype = SQL_C_CHAR;
        break;
    case SQL_TYPE_TIME:
        col->vtype = SQLALC_V_TIME;
        col->ctype = SQL_C_CHAR;
        break;
    case SQL_TYPE_TIMESTAMP:
        col->vtype = SQLALC_V_DATETIME;
        col->ctype = SQL_C_CHAR;
        break;
    case SQL_GUID:
        col->vtype = SQLALC_V_UUID;
        col->ctype = SQL_C_CHAR;
        break;
    default:
        col->vtype = SQLALC_V_TEXT;
        col->ctype = SQL_C_CHAR;
        break;
    }
}

static int describe(odbc_stmt *s)
{
    SQLSMALLINT n = 0;
    SQLRETURN r = SQLNumResultCols(s->h, &n);
    if (!SQL_SUCCEEDED(r))
        return STMT_DIAG(s, r, "describe result");
    s->ncols = n;
    if (!n)
        return SQLALC_OK;
    s->cols = sqlalc__calloc((size_t)n, sizeof *s->cols);
    if (!s->cols) {
        s->ncols = -1; /* not described: no column to read */
        return SQLALC_ERR_NOMEM;
    }
    for (int i = 0; i < n; i++) {
        odbc_col *col = &s->cols[i];
        SQLSMALLINT namelen = 0, dec = 0, nullable = 0;
        SQLULEN size = 0;
        r = SQLDescribeCol(s->h, (SQLUSMALLINT)(i + 1), (SQLCHAR *)col->name, sizeof col->name, &namelen,
                           &col->sqltype, &size, &dec, &nullable);
        if (!SQL_SUCCEEDED(r))
            return STMT_DIAG(s, r, "describe column");
        classify(col);
    }
    return SQLALC_OK;
}

/* Move to the next result that has columns (SQLMoreResults): 1 found,
 * 0 none left, or an error. */
static int later_rows(odbc_stmt *s)
{
    if (!s->conn->multi_results) {
        s->closed = 1; /* nothing follows a result without columns */
        return 0;
    }
    for (;;) {
        SQLRETURN m = SQLMoreResults(s->h);
        if (m == SQL_NO_DATA) {
            s->closed = 1;
            return 0;
        }
        if (!SQL_SUCCEEDED(m))
            return STMT_DIAG(s, m, "next result");
        SQLSMALLINT n = 0;
        if (!SQL_SUCCEEDED(SQLNumResultCols(s->h, &n)) || n <= 0)
            continue;
        if (n != s->ncols || !s->later_rows) {
            /* a result of another shape than the first: described again */
            for (int i = 0; s->cols && i < s->ncols; i++)
                sqlalc_free(s->cols[i].buf);
            sqlalc_free(s->cols);
            s->cols = NULL;
            int rc = describe(s);
            if (rc)
                return rc;
        }
        return 1;
    }
}

/* Large values (past BIG_VALUE bytes): the copy of a parameter is dropped
 * once it has been sent (the slot rebound as NULL until the next bind),
 * a column buffer once its row is done, so a cached statement does not
 * hold a 100 MB value until its next execution. */
#define BIG_VALUE ((size_t)1 << 20)
static int odbc_bind(void *p, int idx, const sqlalc_value *v);
static void release_big_params(odbc_stmt *s)
{
    static const sqlalc_value null_value = { .type = SQLALC_V_NULL };
    for (int i = 0; i < s->nparams; i++)
        if (s->params[i].cap > BIG_VALUE) {
            (void)odbc_bind(s, i, &null_value);
            sqlalc_free(s->params[i].buf);
            s->params[i].buf = NULL;
            s->params[i].cap = 0;
        }
}
static void release_big_columns(odbc_stmt *s)
{
    for (int i = 0; s->cols && i < s->ncols; i++)
        if (s->cols[i].cap > BIG_VALUE) {
            sqlalc_free(s->cols[i].buf);
            s->cols[i].buf = NULL;
            s->cols[i].cap = 0;
        }
}

static int odbc_step(void *p)
{
    odbc_stmt *s = p;
    SQLRETURN r;
    if (!s->executed) {
        r = SQLExecute(s->h);
        if (!SQL_SUCCEEDED(r) && r != SQL_NO_DATA) {
            int rc = STMT_DIAG(s, r, "execute"); /* (before a call clears the diagnostics) */
            release_big_params(s);
            return rc;
        }
        release_big_params(s);
        s->executed = 1;
        s->closed = 0;
        s->rowcount = -1;
        if (s->ncols < 0) {
            int rc = describe(s);
            if (rc)
                return rc;
        }
        if (s->ncols == 0 || s->later_rows) {
            SQLLEN rc = -1;
            SQLRowCount(s->h, &rc);
            s->rowcount = rc;
            /* A batch whose first statement returns no rows ("INSERT …;
             * SELECT SCOPE_IDENTITY()", or SQL Server's row counts before
             * a SELECT): the rows are in a later result. */
            int found = later_rows(s);
            if (found < 0)
                return found;
            if (!found) {
                s->done = 1;
                return SQLALC_DONE;
            }
            s->later_rows = 1;
        }
    }
    if (s->done)
        return SQLALC_DONE;
    r = SQLFetch(s->h);
    s->row_loaded = 0;
    if (r == SQL_NO_DATA) {
        s->done = 1;
        s->closed = SQL_SUCCEEDED(SQLCloseCursor(s->h));
        return SQLALC_DONE;
    }
    if (!SQL_SUCCEEDED(r))
        return STMT_DIAG(s, r, "fetch");
    return SQLALC_ROW;
}

static int odbc_reset(void *p)
{
    odbc_stmt *s = p;
    /* Drain what the server still sends (the rest of the rows, further
     * results of a batch) before the statement or its connection is used
     * again: SQL Server's drivers refuse a new statement on a connection
     * with pending results. */
    if (s->executed && !s->done && s->conn->multi_results) {
        SQLRETURN m;
        while (SQL_SUCCEEDED(m = SQLMoreResults(s->h)))
            ;
        s->closed = m == SQL_NO_DATA; /* no results left: the cursor is closed */
    }
    /* (a raw loop closes a cursor once; SQLFreeStmt again costs a call) */
    if (!s->executed || !s->closed)
        SQLFreeStmt(s->h, SQL_CLOSE);
    s->closed = 0;
    s->executed = 0;
    s->done = 0;
    s->row_loaded = 0;
    release_big_columns(s);
    return SQLALC_OK;
}

static int odbc_column_count(void *p)
{
    odbc_stmt *s = p;
    if (s->ncols < 0 && describe(s) != SQLALC_OK)
        return 0;
    return s->ncols;
}

static const char *odbc_column_name(void *p, int i)
{
    odbc_stmt *s = p;
    return (i >= 0 && i < s->ncols) ? s->cols[i].name : NULL;
}

static const char *odbc_column_decltype(void *p, int i)
{
    (void)p;
    (void)i;
    return NULL;
}

/* Read a variable-length column whole, growing the buffer as needed. */
static int get_var(odbc_stmt *s, int i, odbc_col *col, SQLSMALLINT ctype, SQLLEN *total)
{
    size_t got = 0;
    int text = ctype == SQL_C_CHAR;
    if (!col->buf && sqlalc__grow((void **)&col->buf, &col->cap, 256, 1))
        return SQLALC_ERR_NOMEM;
    for (;;) {
        SQLLEN ind = 0;
        SQLRETURN r =
            SQLGetData(s->h, (SQLUSMALLINT)(i + 1), ctype, col->buf + got, (SQLLEN)(col->cap - got), &ind);
        if (r == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(r))
            return STMT_DIAG(s, r, "read column");
        if (ind == SQL_NULL_DATA) {
            *total = SQL_NULL_DATA;
            return SQLALC_OK;
        }
        size_t room = col->cap - got - (text ? 1 : 0);
        if (r == SQL_SUCCESS_WITH_INFO && (ind == SQL_NO_TOTAL || (size_t)ind > room)) {
            got += room;
            size_t want = ind == SQL_NO_TOTAL ? col->cap * 2 : got + (size_t)ind - room + 1;
            if (sqlalc__grow((void **)&col->buf, &col->cap, want + 1, 1))
                return SQLALC_ERR_NOMEM;
            continue;
        }
        got += (size_t)ind;
        break;
    }
    if (text)
        col->buf[got] = 0;
    *total = (SQLLEN)got;
    return SQLALC_OK;
}

static int load_row(odbc_stmt *s)
{
    for (int i = 0; i < s->ncols; i++) {
        odbc_col *col = &s->cols[i];
        SQLLEN ind = 0;
        SQLRETURN r = SQL_SUCCESS;
        col->val.type = col->vtype;
        switch (col->ctype) {
        case SQL_C_SBIGINT: {
            SQLBIGINT v = 0;
            r = SQLGetData(s->h, (SQLUSMALLINT)(i + 1), SQL_C_SBIGINT, &v, 0, &ind);
            col->val.u.i = v;
            break;
        }
        case SQL_C_DOUBLE: {
            double v = 0;
            r = SQLGetData(s->h, (SQLUSMALLINT)(i + 1), SQL_C_DOUBLE, &v, 0, &ind);
            col->val.u.f = v;
            break;
        }
        case SQL_C_BIT: {
            unsigned char v = 0;
            r = SQLGetData(s->h, (SQLUSMALLINT)(i + 1), SQL_C_BIT, &v, 0, &ind);
            col->val.u.i = v != 0;
            break;
        }
        default: {
            int rc = get_var(s, i, col, col->ctype, &ind);
            if (rc)
                return rc;
            col->val.u.s.p = col->buf;
            col->val.u.s.len = ind == SQL_NULL_DATA ? 0 : (size_t)ind;
        }
        }
        if (!SQL_SUCCEEDED(r))
            return STMT_DIAG(s, r, "read column");
        if (ind == SQL_NULL_DATA)
            col->val.type = SQLALC_V_NULL;
    }
    s->row_loaded = 1;
    return SQLALC_OK;
}

static int odbc_column_value(void *p, int i, sqlalc_value *out)
{
    odbc_stmt *s = p;
    if (!s->row_loaded) {
        int rc = load_row(s);
        if (rc)
            return rc;
    }
    *out = s->cols[i].val;
    return SQLALC_OK;
}

/* The typed getters' fast path: the value as the row was read (a row is
 * read whole at its first access), SQLALC_ERR_TYPE for another kind (the
 * engine then converts from column_value).  A row that cannot be read
 * (out of memory, a driver error) is that error, never a type mismatch:
 * the engine would otherwise fall back and lose it. */
static int loaded(odbc_stmt *s, int i, sqlalc_vtype type, const sqlalc_value **v)
{
    if (i < 0 || i >= s->ncols)
        return SQLALC_ERR_TYPE;
    if (!s->row_loaded) {
        int rc = load_row(s);
        if (rc != SQLALC_OK)
            return rc;
    }
    *v = &s->cols[i].val;
    return (*v)->type == type ? SQLALC_OK : SQLALC_ERR_TYPE;
}

static int odbc_column_int64(void *p, int i, int64_t *out)
{
    const sqlalc_value *v;
    int rc = loaded(p, i, SQLALC_V_INT, &v);
    if (rc == SQLALC_OK)
        *out = v->u.i;
    return rc;
}

static int odbc_column_double(void *p, int i, double *out)
{
    const sqlalc_value *v;
    int rc = loaded(p, i, SQLALC_V_FLOAT, &v);
    if (rc == SQLALC_OK)
        *out = v->u.f;
    return rc;
}

static int odbc_column_text(void *p, int i, const char **out, size_t *len)
{
    const sqlalc_value *v;
    int rc = loaded(p, i, SQLALC_V_TEXT, &v);
    if (rc != SQLALC_OK)
        return rc;
    *out = v->u.s.p;
    if (len)
        *len = v->u.s.len;
    return SQLALC_OK;
}

static int64_t odbc_rowcount(void *p)
{
    odbc_stmt *s = p;
    return s->done ? (int64_t)s->rowcount : -1;
}

static int odbc_begin(void *p)
{
    odbc_conn *c = p;
    SQLRETURN r = SQLSetConnectAttr(c->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    if (!SQL_SUCCEEDED(r))
        return DBC_DIAG(c, r, "begin");
    c->in_tx = 1;
    return SQLALC_OK;
}

static int end_tx(odbc_conn *c, SQLSMALLINT how)
{
    SQLRETURN r = SQLEndTran(SQL_HANDLE_DBC, c->dbc, how);
    int rc = SQL_SUCCEEDED(r) ? SQLALC_OK : DBC_DIAG(c, r, how == SQL_COMMIT ? "commit" : "rollback");
    SQLSetConnectAttr(c->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    c->in_tx = 0;
    return rc;
}

static int odbc_commit(void *p)
{
    return end_tx(p, SQL_COMMIT);
}
static int odbc_rollback(void *p)
{
    return end_tx(p, SQL_ROLLBACK);
}

static int odbc_transaction_state(void *p)
{
    return ((odbc_conn *)p)->in_tx ? SQLALC_TXSTATE_ACTIVE : SQLALC_TXSTATE_IDLE;
}

const sqlalc_driver sqlalc__driver_odbc = {
    .version = SQLALC_DRIVER_VERSION,
    .name = "odbc",
    .default_dialect = "mssql",
    .paramstyle = SQLALC_PARAMSTYLE_QMARK,
    .connect = odbc_connect,
    .close = odbc_close,
    .ping = odbc_ping,
    .exec_simple = odbc_exec_simple,
    .prepare = odbc_prepare,
    .bind = odbc_bind,
    .step = odbc_step,
    .reset = odbc_reset,
    .finalize = odbc_finalize,
    .column_count = odbc_column_count,
    .column_name = odbc_column_name,
    .column_decltype = odbc_column_decltype,
    .column_value = odbc_column_value,
    .column_int64 = odbc_column_int64,
    .column_double = odbc_column_double,
    .column_text = odbc_column_text,
    .rowcount = odbc_rowcount,
    .last_insert_id = NULL, /* the dialect's query (last_insert_id_sql) */
    .begin = odbc_begin,
    .commit = odbc_commit,
    .rollback = odbc_rollback,
    .exec_batch = NULL,
    /* psqlodbc corrupts its heap binding parameter 32768 and loses protocol
     * sync near 8,000 parameters; 4,000 is measured safe. */
    .max_params = 4000,
    .server_dialect = odbc_server_dialect,
    .capabilities = SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS,
    .transaction_state = odbc_transaction_state,
    .server_version = odbc_server_version,
    .catalog_reflect = &sqlalc__odbc_catalog_reflect_hooks,
    .bind_typed = odbc_bind_typed,
};

/*
 * libsqlalc — core definitions: result codes, errors, allocator, values,
 * parameters.  Included by <sqlalc.h>; do not include directly.
 */
#ifndef SQLALC_CORE_H
#define SQLALC_CORE_H

#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
#    include <initializer_list>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * SQLALC_API marks the library's exported functions.  On Windows the
 * library's own build defines SQLALC_BUILDING (CMake does) and exports
 * them; a program linking the DLL imports them, one linking the static
 * library defines SQLALC_STATIC (the sqlalc::sqlalc_static target does).
 */
#if defined(_WIN32) || defined(__CYGWIN__)
#    if defined(SQLALC_BUILDING)
#        define SQLALC_API __declspec(dllexport)
#    elif defined(SQLALC_STATIC)
#        define SQLALC_API
#    else
#        define SQLALC_API __declspec(dllimport)
#    endif
#elif defined(__GNUC__)
#    define SQLALC_API __attribute__((visibility("default")))
#else
#    define SQLALC_API
#endif

/* Marks the 0.1 names kept for one release (<sqlalc/deprecated.h>). */
#if defined(__GNUC__) || defined(__clang__)
#    define SQLALC_DEPRECATED(msg) __attribute__((deprecated(msg)))
#elif defined(_MSC_VER)
#    define SQLALC_DEPRECATED(msg) __declspec(deprecated(msg))
#else
#    define SQLALC_DEPRECATED(msg)
#endif

/*
 * The library's version, defined here only (CMakeLists.txt reads these
 * three lines for the project, shared-library and package versions).
 * SQLALC_VERSION_NUMBER is MAJOR * 1000000 + MINOR * 1000 + PATCH, as
 * SQLite numbers its versions.  These say what a program was compiled
 * against; sqlalc_libversion() says what it runs with.
 */
#define SQLALC_VERSION_MAJOR 0
#define SQLALC_VERSION_MINOR 1
#define SQLALC_VERSION_PATCH 0
#define SQLALC__STR(x) #x
#define SQLALC__XSTR(x) SQLALC__STR(x)
#define SQLALC_VERSION                 \
    SQLALC__XSTR(SQLALC_VERSION_MAJOR) \
    "." SQLALC__XSTR(SQLALC_VERSION_MINOR) "." SQLALC__XSTR(SQLALC_VERSION_PATCH)
#define SQLALC_VERSION_NUMBER \
    (SQLALC_VERSION_MAJOR * 1000000 + SQLALC_VERSION_MINOR * 1000 + SQLALC_VERSION_PATCH)

/* The version of the library linked at run time ("0.1.0"; 1000 for 0.1.0). */
SQLALC_API const char *sqlalc_libversion(void);
SQLALC_API int sqlalc_libversion_number(void);

/* ------------------------------------------------------------------ */
/* Result codes                                                        */
/* ------------------------------------------------------------------ */

/*
 * Every fallible call returns an int: SQLALC_OK (0) on success, a negative
 * error code on failure.  The classes mirror Python DBAPI's exception
 * hierarchy, so code written against SQLAlchemy maps one to one.  Stepping
 * a result returns the positive codes SQLALC_ROW / SQLALC_DONE.
 * Details of the last failure on this thread: sqlalc_error_last().
 */
typedef enum sqlalc_code {
    SQLALC_OK = 0,
    SQLALC_ROW = 100,  /* a row is available */
    SQLALC_DONE = 101, /* no more rows */

    SQLALC_ERR_GENERIC = -1,        /* anything not classified below */
    SQLALC_ERR_NOMEM = -2,          /* an allocation failed */
    SQLALC_ERR_ARGUMENT = -3,       /* bad argument: NULL handle, bad URL, unknown name (ArgumentError) */
    SQLALC_ERR_INTERFACE = -4,      /* misuse of the library or driver (InterfaceError) */
    SQLALC_ERR_DATABASE = -5,       /* database error of no finer class (DatabaseError) */
    SQLALC_ERR_DATA = -6,           /* bad value: overflow, bad conversion (DataError) */
    SQLALC_ERR_OPERATIONAL = -7,    /* server-side operational failure, e.g. cannot open (OperationalError) */
    SQLALC_ERR_INTEGRITY = -8,      /* constraint violated (IntegrityError) */
    SQLALC_ERR_INTERNAL = -9,       /* database internal error (InternalError) */
    SQLALC_ERR_PROGRAMMING = -10,   /* bad SQL, missing table, wrong parameters (ProgrammingError) */
    SQLALC_ERR_NOT_SUPPORTED = -11, /* feature not supported by this backend (NotSupportedError) */
    SQLALC_ERR_DISCONNECT =
        -12, /* the connection was lost; it is now unusable (OperationalError + is_disconnect) */
    /* serialization failure (40001) or deadlock (40P01): roll back and run
     * the transaction again (see sqlalc_error_is_retryable) */
    SQLALC_ERR_SERIALIZATION = -13,
    SQLALC_ERR_NOT_FOUND = -14, /* no such column / table / registered name */
    SQLALC_ERR_TYPE = -15,      /* a value asked for as a type it cannot be converted to */
    SQLALC_ERR_CLOSED = -16,    /* the result, connection or transaction is closed */
    /* a wait for a lock gave up (PostgreSQL 55P03 lock_not_available, e.g.
     * lock_timeout or NOWAIT; SQLite SQLITE_BUSY / SQLITE_LOCKED once
     * busy_timeout ran out) or the pool had no connection in time: retry */
    SQLALC_ERR_TIMEOUT = -17,
    /* one() / scalar_one(): the query returned no row (SQLAlchemy's NoResultFound) */
    SQLALC_ERR_NO_RESULT = -18,
    /* one() / one_or_none() / scalar_one…(): more than one row (MultipleResultsFound) */
    SQLALC_ERR_MULTIPLE_RESULTS = -19
} sqlalc_code;

/* The thread-local record of the last failure. */
typedef struct sqlalc_error {
    int code;                    /* the sqlalc_code returned */
    const char *message;         /* what failed and where; never NULL (may be "") */
    char sqlstate[6];            /* five-character SQLSTATE, "" when unknown */
    long driver_code;            /* the driver's own code (sqlite extended code, ODBC native error) */
    const char *detail;          /* PostgreSQL DETAIL, or NULL */
    const char *hint;            /* PostgreSQL HINT, or NULL */
    const char *constraint_name; /* violated constraint when known, or NULL */
} sqlalc_error;

/*
 * The last error raised on this thread.  Never NULL: when nothing failed
 * yet, code is SQLALC_OK and message is "".  Valid until the next failing
 * call on this thread.
 */
SQLALC_API const sqlalc_error *sqlalc_error_last(void);
/* Shorthand for sqlalc_error_last()->message. */
SQLALC_API const char *sqlalc_errmsg(void);
/* Forget the last error on this thread. */
SQLALC_API void sqlalc_error_clear(void);
/* A short constant name for a code: "SQLALC_ERR_INTEGRITY", … */
SQLALC_API const char *sqlalc_code_name(int code);

/*
 * Non-zero when the failure e describes (NULL: the thread's last error)
 * means "roll back and run the whole transaction again": a serialization
 * failure or deadlock (SQLALC_ERR_SERIALIZATION: PostgreSQL 40001 / 40P01,
 * SQLite SQLITE_BUSY_SNAPSHOT) or a lock wait that gave up
 * (SQLALC_ERR_TIMEOUT: PostgreSQL 55P03, SQLite SQLITE_BUSY /
 * SQLITE_LOCKED), on every backend and through ODBC.  The retry loop:
 *
 *     int rc;
 *     for (int attempt = 1;; attempt++) {
 *         sqlalc_conn *conn;
 *         rc = sqlalc_engine_begin(eng, &conn, NULL);
 *         if (rc == SQLALC_OK) {
 *             rc = sqlalc_conn_execute_sql(conn, "UPDATE account SET balance = balance - 10 WHERE id = 1",
 *                                          NULL, NULL);
 *             if (rc == SQLALC_OK)
 *                 rc = sqlalc_conn_execute_sql(conn, "UPDATE account SET balance = balance + 10 WHERE id = 2",
 *                                              NULL, NULL);
 *             rc = sqlalc_conn_end(conn, rc);     (commits, or rolls back on error)
 *         }
 *         if (rc == SQLALC_OK || attempt == 5 || !sqlalc_error_is_retryable(NULL))
 *             break;
 *         usleep(1000u << attempt);               (back off, then run it all again)
 *     }
 *
 * Retry the whole transaction, never just the failed statement: the
 * database has already rolled the transaction back (PostgreSQL) or may
 * hold a stale snapshot (SQLite WAL).
 */
SQLALC_API int sqlalc_error_is_retryable(const sqlalc_error *e);

/* ------------------------------------------------------------------ */
/* Allocator                                                           */
/* ------------------------------------------------------------------ */

/*
 * Every allocation of the library goes through these three functions.
 * realloc must behave like C's (NULL ptr allocates; may fail without
 * freeing).  Set before creating any object; passing NULLs restores
 * malloc/realloc/free.  Memory of the drivers' own libraries (sqlite3,
 * libpq, unixODBC) is not routed here.
 */
typedef struct sqlalc_allocator {
    void *(*malloc_fn)(void *ctx, size_t size);
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    void (*free_fn)(void *ctx, void *ptr);
    void *ctx;
} sqlalc_allocator;

SQLALC_API void sqlalc_set_allocator(const sqlalc_allocator *a);
/* Allocate / free through the current hook (for plugin drivers and callers
 * freeing strings the library hands over, e.g. sqlalc_url_render()). */
SQLALC_API void *sqlalc_malloc(size_t n);
SQLALC_API void *sqlalc_realloc(void *p, size_t n);
SQLALC_API void sqlalc_free(void *p);

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/*
 * A tagged value: what rows hold and what parameters carry.
 * NUMERIC, DATE, TIME, DATETIME and INTERVAL are carried as text in
 * ISO-8601 / decimal form ("12.50", "2024-05-01", "13:45:00",
 * "2024-05-01 13:45:00.123456+02:00"), so no precision is lost on any
 * backend; JSON and UUID as their text.  Text is UTF-8; len is in bytes.
 * A text or blob value whose pointer is NULL is bound as SQL NULL.
 */
typedef enum sqlalc_vtype {
    SQLALC_V_NULL = 0,
    SQLALC_V_INT,
    SQLALC_V_FLOAT,
    SQLALC_V_TEXT,
    SQLALC_V_BLOB,
    SQLALC_V_BOOL,
    SQLALC_V_NUMERIC,
    SQLALC_V_DATE,
    SQLALC_V_TIME,
    SQLALC_V_DATETIME,
    SQLALC_V_INTERVAL,
    SQLALC_V_JSON,
    SQLALC_V_UUID
} sqlalc_vtype;

typedef struct sqlalc_value {
    sqlalc_vtype type;
    union {
        int64_t i; /* INT; BOOL as 0/1 */
        double f;  /* FLOAT */
        struct {
            const char *p; /* TEXT, NUMERIC, DATE, TIME, DATETIME, INTERVAL, JSON, UUID, BLOB bytes */
            size_t len;    /* bytes; for text kinds SQLALC_NTS means strlen(p) */
        } s;
    } u;
} sqlalc_value;

/* "compute the length with strlen" marker for text values */
#define SQLALC_NTS ((size_t)-1)

/* Value constructors (compound literals in C; the strings are borrowed). */
#ifndef __cplusplus
#    define SQLALC_NULLV ((sqlalc_value){ .type = SQLALC_V_NULL })
#    define SQLALC_INTV(x) ((sqlalc_value){ .type = SQLALC_V_INT, .u.i = (int64_t)(x) })
#    define SQLALC_FLOATV(x) ((sqlalc_value){ .type = SQLALC_V_FLOAT, .u.f = (double)(x) })
#    define SQLALC_BOOLV(x) ((sqlalc_value){ .type = SQLALC_V_BOOL, .u.i = (x) ? 1 : 0 })
#    define SQLALC_TEXTV(x) ((sqlalc_value){ .type = SQLALC_V_TEXT, .u.s = { (x), SQLALC_NTS } })
#    define SQLALC_TEXTNV(x, n) ((sqlalc_value){ .type = SQLALC_V_TEXT, .u.s = { (x), (n) } })
#    define SQLALC_BLOBV(p, n) ((sqlalc_value){ .type = SQLALC_V_BLOB, .u.s = { (const char *)(p), (n) } })
#    define SQLALC_TYPEDV(t, x) ((sqlalc_value){ .type = (t), .u.s = { (x), SQLALC_NTS } })
#else
/* C++ has no compound literals: the same values from inline functions. */
inline sqlalc_value sqlalc__value_s(sqlalc_vtype t, const char *p, size_t n)
{
    sqlalc_value v;
    v.type = t;
    v.u.s.p = p;
    v.u.s.len = n;
    return v;
}
inline sqlalc_value sqlalc__value_i(sqlalc_vtype t, int64_t i)
{
    sqlalc_value v = sqlalc__value_s(t, nullptr, 0);
    v.u.i = i;
    return v;
}
inline sqlalc_value sqlalc__value_f(double f)
{
    sqlalc_value v = sqlalc__value_s(SQLALC_V_FLOAT, nullptr, 0);
    v.u.f = f;
    return v;
}
#    define SQLALC_NULLV (sqlalc__value_s(SQLALC_V_NULL, nullptr, 0))
#    define SQLALC_INTV(x) (sqlalc__value_i(SQLALC_V_INT, (int64_t)(x)))
#    define SQLALC_FLOATV(x) (sqlalc__value_f((double)(x)))
#    define SQLALC_BOOLV(x) (sqlalc__value_i(SQLALC_V_BOOL, (x) ? 1 : 0))
#    define SQLALC_TEXTV(x) (sqlalc__value_s(SQLALC_V_TEXT, (x), SQLALC_NTS))
#    define SQLALC_TEXTNV(x, n) (sqlalc__value_s(SQLALC_V_TEXT, (x), (n)))
#    define SQLALC_BLOBV(p, n) (sqlalc__value_s(SQLALC_V_BLOB, (const char *)(p), (n)))
#    define SQLALC_TYPEDV(t, x) (sqlalc__value_s((t), (x), SQLALC_NTS))
#endif

/* Name of a value type: "NULL", "INT", … */
SQLALC_API const char *sqlalc_vtype_name(sqlalc_vtype t);

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

/*
 * A parameter: a name (NULL for a positional parameter) and a value.
 * A parameter set is a counted array of them; the library never keeps a
 * pointer into it after the call returns.
 */
typedef struct sqlalc_param {
    const char *name;
    sqlalc_value value;
} sqlalc_param;

typedef struct sqlalc_params {
    size_t count;
    const sqlalc_param *items;
} sqlalc_params;

/*
 * SQLALC_PARAMS(p1, p2, …): a const sqlalc_params * built in place.  In C
 * it lives to the end of the enclosing block; in C++ to the end of the
 * full expression, so there pass it straight to the call.
 */
#ifndef __cplusplus
#    define SQLALC_PARAMS(...)                                                                         \
        (&(const sqlalc_params){ sizeof((const sqlalc_param[]){ __VA_ARGS__ }) / sizeof(sqlalc_param), \
                                 (const sqlalc_param[]){ __VA_ARGS__ } })
#    define SQLALC_P(name, val) ((sqlalc_param){ (name), val })
#else
struct sqlalc__params_list : sqlalc_params {
    sqlalc__params_list(std::initializer_list<sqlalc_param> l)
    {
        count = l.size();
        items = l.begin();
    }
};
inline const sqlalc_params *sqlalc__params_ptr(const sqlalc_params &p)
{
    return &p;
}
inline sqlalc_param sqlalc__param(const char *name, sqlalc_value v)
{
    sqlalc_param p;
    p.name = name;
    p.value = v;
    return p;
}
#    define SQLALC_PARAMS(...) (sqlalc__params_ptr(sqlalc__params_list{ __VA_ARGS__ }))
#    define SQLALC_P(name, val) (sqlalc__param((name), (val)))
#endif
#define SQLALC_P_NULL(name) SQLALC_P(name, SQLALC_NULLV)
#define SQLALC_P_INT(name, x) SQLALC_P(name, SQLALC_INTV(x))
#define SQLALC_P_FLOAT(name, x) SQLALC_P(name, SQLALC_FLOATV(x))
#define SQLALC_P_BOOL(name, x) SQLALC_P(name, SQLALC_BOOLV(x))
#define SQLALC_P_TEXT(name, x) SQLALC_P(name, SQLALC_TEXTV(x))
#define SQLALC_P_BLOB(name, p, n) SQLALC_P(name, SQLALC_BLOBV(p, n))
#define SQLALC_P_NUMERIC(name, x) SQLALC_P(name, SQLALC_TYPEDV(SQLALC_V_NUMERIC, x))
#define SQLALC_P_DATE(name, x) SQLALC_P(name, SQLALC_TYPEDV(SQLALC_V_DATE, x))
#define SQLALC_P_TIME(name, x) SQLALC_P(name, SQLALC_TYPEDV(SQLALC_V_TIME, x))
#define SQLALC_P_DATETIME(name, x) SQLALC_P(name, SQLALC_TYPEDV(SQLALC_V_DATETIME, x))

/* ------------------------------------------------------------------ */
/* Handles shared by the schema and expression APIs                    */
/* ------------------------------------------------------------------ */

typedef struct sqlalc_expr sqlalc_expr;         /* any SQL expression node (a column is one) */
typedef struct sqlalc_stmt sqlalc_stmt;         /* SELECT/INSERT/UPDATE/DELETE/DDL statement */
typedef struct sqlalc_type sqlalc_type;         /* a column type */
typedef struct sqlalc_metadata sqlalc_metadata; /* a collection of tables */
typedef struct sqlalc_table sqlalc_table;       /* a table (also a FROM clause) */
typedef struct sqlalc_dialect sqlalc_dialect;   /* an SQL flavour (opaque; see <sqlalc/sys/plugin.h>) */
typedef struct sqlalc_driver sqlalc_driver;     /* a wire driver (opaque; see <sqlalc/sys/plugin.h>) */

/*
 * Reference counting shared by every node (expressions, statements,
 * tables, columns).  sqlalc_expr_ref returns its argument with one more
 * reference (NULL passes through); sqlalc_expr_free drops one and frees the
 * node when none is left.  A column reference keeps its table alive.
 */
SQLALC_API sqlalc_expr *sqlalc_expr_ref(sqlalc_expr *e);
SQLALC_API void sqlalc_expr_free(sqlalc_expr *e);

#ifdef __cplusplus
}
#endif
#endif

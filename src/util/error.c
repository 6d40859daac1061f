/* Thread-local last error.  Fixed buffers, so recording an error never
 * allocates (it must work when the allocator is what failed). */
#include <stdio.h>
#include <string.h>
#include "util.h"

typedef struct err_state {
    sqlalc_error pub;
    size_t batch_first, batch_count; /* exec_batch: the sets the failure is in (count 0: unknown) */
    char message[2048];
    char detail[512];
    char hint[256];
    char constraint_name[128];
} err_state;

static _Thread_local err_state g_err;

const sqlalc_error *sqlalc_error_last(void)
{
    g_err.pub.message = g_err.message;
    return &g_err.pub;
}

const char *sqlalc_errmsg(void)
{
    return g_err.message;
}

void sqlalc_error_clear(void)
{
    memset(&g_err.pub, 0, sizeof g_err.pub);
    g_err.message[0] = 0;
    g_err.batch_count = 0;
}

static int vset(int code, const char *sqlstate, long driver_code, const char *fmt, va_list ap)
{
    g_err.pub.code = code;
    g_err.pub.driver_code = driver_code;
    g_err.pub.detail = g_err.pub.hint = g_err.pub.constraint_name = NULL;
    g_err.batch_count = 0;
    if (sqlstate) {
        strncpy(g_err.pub.sqlstate, sqlstate, 5);
        g_err.pub.sqlstate[5] = 0;
    } else
        g_err.pub.sqlstate[0] = 0;
    vsnprintf(g_err.message, sizeof g_err.message, fmt, ap);
    g_err.pub.message = g_err.message;
    return code;
}

int sqlalc_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(code, NULL, 0, fmt, ap);
    va_end(ap);
    return code;
}

int sqlalc_error_set_full(int code, const char *sqlstate, long driver_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(code, sqlstate, driver_code, fmt, ap);
    va_end(ap);
    return code;
}

static const char *keep(char *dst, size_t n, const char *src)
{
    if (!src)
        return NULL;
    snprintf(dst, n, "%s", src);
    return dst;
}

void sqlalc_error_set_extra(const char *detail, const char *hint, const char *constraint_name)
{
    g_err.pub.detail = keep(g_err.detail, sizeof g_err.detail, detail);
    g_err.pub.hint = keep(g_err.hint, sizeof g_err.hint, hint);
    g_err.pub.constraint_name = keep(g_err.constraint_name, sizeof g_err.constraint_name, constraint_name);
}

void sqlalc_error_set_batch_position(size_t first, size_t count)
{
    g_err.batch_first = first;
    g_err.batch_count = count;
}

int sqlalc__error_batch_position(size_t *first, size_t *count)
{
    if (!g_err.batch_count)
        return 0;
    *first = g_err.batch_first;
    *count = g_err.batch_count;
    return 1;
}

void sqlalc__error_prefix(const char *fmt, ...)
{
    char pre[512], old[sizeof g_err.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, g_err.message, sizeof old);
    /* Truncation is fine here: the head of the message matters most. */
    size_t n = strlen(pre);
    if (n > sizeof g_err.message - 3)
        n = sizeof g_err.message - 3;
    memcpy(g_err.message, pre, n);
    memcpy(g_err.message + n, ": ", 2);
    size_t room = sizeof g_err.message - n - 3;
    size_t m = 0;
    while (m < room && old[m])
        m++;
    memcpy(g_err.message + n + 2, old, m);
    g_err.message[n + 2 + m] = 0;
}

void sqlalc__error_append_sql(const char *sql)
{
    if (!sql || !*sql || strstr(g_err.message, "[SQL: "))
        return;
    size_t n = strlen(g_err.message), room = sizeof g_err.message - n;
    size_t sl = strlen(sql);
    /* the head of a long statement is what identifies it */
    snprintf(g_err.message + n, room, " [SQL: %.*s%s]", sl > 400 ? 400 : (int)sl, sql, sl > 400 ? "..." : "");
}

int sqlalc__oom(void)
{
    return sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
}

/*
 * SQLSTATE classes to error codes, as psycopg2 (and so SQLAlchemy's
 * psycopg2 dialect) classifies them, with the states a caller acts on
 * singled out: serialization failures and deadlocks (retry), lock waits
 * that gave up (retry), lost connections.
 */
int sqlalc_code_from_sqlstate(const char *s)
{
    if (!s || strlen(s) < 5)
        return SQLALC_ERR_DATABASE;
    if (!strncmp(s, "40001", 5) || !strncmp(s, "40P01", 5))
        return SQLALC_ERR_SERIALIZATION; /* serialization_failure, deadlock_detected */
    if (!strncmp(s, "55P03", 5))
        return SQLALC_ERR_TIMEOUT; /* lock_not_available: lock_timeout, NOWAIT */
    if (!strncmp(s, "57P01", 5) || !strncmp(s, "57P02", 5) || !strncmp(s, "57P03", 5))
        return SQLALC_ERR_DISCONNECT; /* admin / crash shutdown, cannot connect now */
    char c0 = s[0], c1 = s[1];
    switch (c0) {
    case '0':
        if (c1 == '8')
            return SQLALC_ERR_DISCONNECT; /* connection exception */
        if (c1 == 'A')
            return SQLALC_ERR_NOT_SUPPORTED; /* feature not supported */
        break;
    case '2':
        switch (c1) {
        case '0': /* case not found */
        case '1': /* cardinality violation */ return SQLALC_ERR_PROGRAMMING;
        case '2': return SQLALC_ERR_DATA;      /* data exception */
        case '3': return SQLALC_ERR_INTEGRITY; /* integrity constraint violation */
        case '4':                              /* invalid cursor state */
        case '5':                              /* invalid transaction state */
        case 'B':                              /* dependent privilege descriptors still exist */
        case 'D':                              /* invalid transaction termination */
        case 'F': /* SQL routine exception */ return SQLALC_ERR_INTERNAL;
        case '6': /* invalid SQL statement name */
        case '7': /* triggered data change violation */
        case '8': /* invalid authorization specification */ return SQLALC_ERR_OPERATIONAL;
        }
        break;
    case '3':
        switch (c1) {
        case '4': return SQLALC_ERR_OPERATIONAL; /* invalid cursor name */
        case '8':                                /* external routine exception */
        case '9':                                /* external routine invocation exception */
        case 'B': /* savepoint exception */ return SQLALC_ERR_INTERNAL;
        case 'D': /* invalid catalog name */
        case 'F': /* invalid schema name */ return SQLALC_ERR_PROGRAMMING;
        }
        break;
    case '4':
        if (c1 == '0')
            return SQLALC_ERR_OPERATIONAL; /* transaction rollback (psycopg2's TransactionRollbackError) */
        if (c1 == '2' || c1 == '4')
            return SQLALC_ERR_PROGRAMMING; /* syntax error or access rule, WITH CHECK OPTION */
        break;
    case '5':
        /* 53 insufficient resources, 54 program limit exceeded, 55 object
         * not in prerequisite state, 57 operator intervention (57014 query
         * canceled), 58 system error */
        if (c1 == '3' || c1 == '4' || c1 == '5' || c1 == '7' || c1 == '8')
            return SQLALC_ERR_OPERATIONAL;
        break;
    case 'F':
        if (c1 == '0')
            return SQLALC_ERR_INTERNAL; /* configuration file error */
        break;
    case 'H':
        if (c1 == 'Y')
            return SQLALC_ERR_INTERFACE; /* ODBC CLI errors */
        if (c1 == 'V')
            return SQLALC_ERR_OPERATIONAL; /* foreign data wrapper error */
        break;
    case 'P':
        if (c1 == '0')
            return SQLALC_ERR_INTERNAL; /* PL/pgSQL error */
        break;
    case 'X':
        if (c1 == 'X')
            return SQLALC_ERR_INTERNAL; /* internal error */
        break;
    }
    return SQLALC_ERR_DATABASE;
}

int sqlalc_error_is_retryable(const sqlalc_error *e)
{
    if (!e)
        e = sqlalc_error_last();
    if (e->code == SQLALC_ERR_SERIALIZATION || e->code == SQLALC_ERR_TIMEOUT)
        return 1;
    /* a driver that reports the state but not the class (a plugin) */
    return !strncmp(e->sqlstate, "40001", 5) || !strncmp(e->sqlstate, "40P01", 5) ||
           !strncmp(e->sqlstate, "55P03", 5);
}

const char *sqlalc_code_name(int code)
{
    switch (code) {
    case SQLALC_OK: return "SQLALC_OK";
    case SQLALC_ROW: return "SQLALC_ROW";
    case SQLALC_DONE: return "SQLALC_DONE";
    case SQLALC_ERR_GENERIC: return "SQLALC_ERR_GENERIC";
    case SQLALC_ERR_NOMEM: return "SQLALC_ERR_NOMEM";
    case SQLALC_ERR_ARGUMENT: return "SQLALC_ERR_ARGUMENT";
    case SQLALC_ERR_INTERFACE: return "SQLALC_ERR_INTERFACE";
    case SQLALC_ERR_DATABASE: return "SQLALC_ERR_DATABASE";
    case SQLALC_ERR_DATA: return "SQLALC_ERR_DATA";
    case SQLALC_ERR_OPERATIONAL: return "SQLALC_ERR_OPERATIONAL";
    case SQLALC_ERR_INTEGRITY: return "SQLALC_ERR_INTEGRITY";
    case SQLALC_ERR_INTERNAL: return "SQLALC_ERR_INTERNAL";
    case SQLALC_ERR_PROGRAMMING: return "SQLALC_ERR_PROGRAMMING";
    case SQLALC_ERR_NOT_SUPPORTED: return "SQLALC_ERR_NOT_SUPPORTED";
    case SQLALC_ERR_DISCONNECT: return "SQLALC_ERR_DISCONNECT";
    case SQLALC_ERR_SERIALIZATION: return "SQLALC_ERR_SERIALIZATION";
    case SQLALC_ERR_NOT_FOUND: return "SQLALC_ERR_NOT_FOUND";
    case SQLALC_ERR_TYPE: return "SQLALC_ERR_TYPE";
    case SQLALC_ERR_CLOSED: return "SQLALC_ERR_CLOSED";
    case SQLALC_ERR_TIMEOUT: return "SQLALC_ERR_TIMEOUT";
    case SQLALC_ERR_NO_RESULT: return "SQLALC_ERR_NO_RESULT";
    case SQLALC_ERR_MULTIPLE_RESULTS: return "SQLALC_ERR_MULTIPLE_RESULTS";
    default: return "SQLALC_ERR_UNKNOWN";
    }
}

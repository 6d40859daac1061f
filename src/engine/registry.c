/* Registries of dialects and drivers by name, and identifier quoting. */
#include <pthread.h>
#include <string.h>
#include "engine_int.h"
#include "../sql/quote.h"

/* Defined in dialects/builtin.c: the tables the registry starts with. */
extern const sqlalc_dialect *const sqlalc__builtin_dialects[];
extern const sqlalc_driver *const sqlalc__builtin_drivers[];

#define MAX_REGISTERED 32

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static const sqlalc_dialect *user_dialects[MAX_REGISTERED];
static const sqlalc_driver *user_drivers[MAX_REGISTERED];
static size_t n_user_dialects, n_user_drivers;

/* SQLAlchemy's DBAPI names map onto our drivers, so URLs written for
 * SQLAlchemy ("postgresql+psycopg2://", "mssql+pyodbc://") work as is. */
static const char *driver_alias(const char *name)
{
    static const char *const aliases[][2] = {
        { "pysqlite", "sqlite3" }, { "sqlite", "sqlite3" },   { "psycopg2", "libpq" },
        { "psycopg", "libpq" },    { "pg8000", "libpq" },     { "asyncpg", "libpq" },
        { "pyodbc", "odbc" },      { "postgresql", "libpq" },
    };
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(aliases); i++)
        if (!strcmp(name, aliases[i][0]))
            return aliases[i][1];
    return name;
}

int sqlalc_register_driver(const sqlalc_driver *drv)
{
    if (!drv || !drv->name || drv->version < 1 || !drv->connect || !drv->prepare || !drv->step)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_driver: incomplete driver table");
    pthread_mutex_lock(&reg_lock);
    int rc = SQLALC_OK;
    size_t i;
    for (i = 0; i < n_user_drivers; i++)
        if (!strcmp(user_drivers[i]->name, drv->name))
            break;
    if (i < n_user_drivers)
        user_drivers[i] = drv;
    else if (n_user_drivers < MAX_REGISTERED)
        user_drivers[n_user_drivers++] = drv;
    else
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_driver: too many drivers registered");
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

int sqlalc_register_dialect(const sqlalc_dialect *dia)
{
    if (!dia || !dia->name || dia->version < 1 || !dia->is_reserved)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_dialect: incomplete dialect table");
    pthread_mutex_lock(&reg_lock);
    int rc = SQLALC_OK;
    size_t i;
    for (i = 0; i < n_user_dialects; i++)
        if (!strcmp(user_dialects[i]->name, dia->name))
            break;
    if (i < n_user_dialects)
        user_dialects[i] = dia;
    else if (n_user_dialects < MAX_REGISTERED)
        user_dialects[n_user_dialects++] = dia;
    else
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_dialect: too many dialects registered");
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

const sqlalc_driver *sqlalc__find_driver(const char *name)
{
    if (!name)
        return NULL;
    name = driver_alias(name);
    const sqlalc_driver *found = NULL;
    pthread_mutex_lock(&reg_lock);
    for (size_t i = 0; i < n_user_drivers && !found; i++)
        if (!strcmp(user_drivers[i]->name, name))
            found = user_drivers[i];
    pthread_mutex_unlock(&reg_lock);
    for (size_t i = 0; !found && sqlalc__builtin_drivers[i]; i++)
        if (!strcmp(sqlalc__builtin_drivers[i]->name, name))
            found = sqlalc__builtin_drivers[i];
    return found;
}

const sqlalc_dialect *sqlalc__find_dialect(const char *name)
{
    if (!name)
        return NULL;
    if (!strcmp(name, "postgres")) /* accepted by SQLAlchemy < 1.4 and by libpq */
        name = "postgresql";
    const sqlalc_dialect *found = NULL;
    pthread_mutex_lock(&reg_lock);
    for (size_t i = 0; i < n_user_dialects && !found; i++)
        if (!strcmp(user_dialects[i]->name, name))
            found = user_dialects[i];
    pthread_mutex_unlock(&reg_lock);
    for (size_t i = 0; !found && sqlalc__builtin_dialects[i]; i++)
        if (!strcmp(sqlalc__builtin_dialects[i]->name, name))
            found = sqlalc__builtin_dialects[i];
    return found;
}

const sqlalc_driver *sqlalc_find_driver(const char *name)
{
    const sqlalc_driver *d = sqlalc__find_driver(name);
    if (!d)
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no driver named '%s' is registered", name ? name : "(null)");
    return d;
}

const sqlalc_dialect *sqlalc_find_dialect(const char *name)
{
    const sqlalc_dialect *d = sqlalc__find_dialect(name);
    if (!d)
        sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no dialect named '%s' is registered", name ? name : "(null)");
    return d;
}

const char *sqlalc_dialect_name(const sqlalc_dialect *d)
{
    return d ? d->name : NULL;
}

/* The rule lives in src/sql (quote.c), with the compiler and DDL. */
size_t sqlalc_quote_identifier(const sqlalc_dialect *d, const char *ident, char *buf, size_t bufsize)
{
    return sqlalc__ident_format(d, ident, buf, bufsize);
}

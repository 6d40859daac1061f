/* Registries of dialects and drivers by name, and identifier quoting. */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include "engine_int.h"
#include "../sql/quote.h"

/* Defined in dialects/builtin.c: the tables the registry starts with. */
extern const sqlalc_dialect *const sqlalc__builtin_dialects[];
extern const sqlalc_driver *const sqlalc__builtin_drivers[];

/*
 * User registrations are copied into full-size structs of the current
 * version (fields an older version lacks stay zero), so the rest of the
 * library reads every field without checking versions.  A replaced entry
 * stays allocated: engines made before may still use it.
 */
typedef struct reg_entry {
    struct reg_entry *next;
    int live; /* 0 once replaced by a registration of the same name */
    union {
        sqlalc_driver drv;
        sqlalc_dialect dia;
    } u;
    /* A dialect's hook tables, copied the same way. */
    sqlalc_compile_hooks compile;
    sqlalc_ddl_hooks ddl;
    sqlalc_reflect_hooks reflect;
} reg_entry;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_entry *user_drivers, *user_dialects;

/* Bytes of each version of the vtables (see plugin.h for the layouts). */
static const size_t driver_sizes[] = {
    0,
    offsetof(sqlalc_driver, column_double),
    offsetof(sqlalc_driver, max_params),
    offsetof(sqlalc_driver, server_dialect),
    offsetof(sqlalc_driver, capabilities),
    offsetof(sqlalc_driver, set_timeout),
    offsetof(sqlalc_driver, server_version),
    offsetof(sqlalc_driver, prepare_cursor),
    offsetof(sqlalc_driver, catalog_reflect),
    offsetof(sqlalc_driver, bind_typed),
    sizeof(sqlalc_driver),
};
static const size_t dialect_sizes[] = {
    0,
    offsetof(sqlalc_dialect, begin_sql),
    offsetof(sqlalc_dialect, reset_sql),
    offsetof(sqlalc_dialect, for_server_version),
    offsetof(sqlalc_dialect, cursor_sql),
    sizeof(sqlalc_dialect),
};
static const size_t compile_hooks_sizes[] = { 0,
                                              offsetof(sqlalc_compile_hooks, like_default_escape),
                                              offsetof(sqlalc_compile_hooks, update_from),
                                              offsetof(sqlalc_compile_hooks, values_style),
                                              offsetof(sqlalc_compile_hooks, scope_identity_select),
                                              sizeof(sqlalc_compile_hooks) };
static const size_t ddl_hooks_sizes[] = { 0, offsetof(sqlalc_ddl_hooks, max_identifier_length),
                                          sizeof(sqlalc_ddl_hooks) };
static const size_t reflect_hooks_sizes[] = { 0, offsetof(sqlalc_reflect_hooks, sequences_query),
                                              sizeof(sqlalc_reflect_hooks) };
_Static_assert(sizeof compile_hooks_sizes / sizeof compile_hooks_sizes[0] == SQLALC_COMPILE_HOOKS_VERSION + 1,
               "a size for every compile hooks version");
_Static_assert(sizeof ddl_hooks_sizes / sizeof ddl_hooks_sizes[0] == SQLALC_DDL_HOOKS_VERSION + 1,
               "a size for every DDL hooks version");
_Static_assert(sizeof reflect_hooks_sizes / sizeof reflect_hooks_sizes[0] == SQLALC_REFLECT_HOOKS_VERSION + 1,
               "a size for every reflect hooks version");
_Static_assert(sizeof driver_sizes / sizeof driver_sizes[0] == SQLALC_DRIVER_VERSION + 1,
               "a size for every driver version");
_Static_assert(sizeof dialect_sizes / sizeof dialect_sizes[0] == SQLALC_DIALECT_VERSION + 1,
               "a size for every dialect version");

/* SQLAlchemy's DBAPI names map onto our drivers, so URLs written for
 * SQLAlchemy ("postgresql+psycopg2://", "mssql+pyodbc://") work as is. */
static const char *driver_alias(const char *name)
{
    static const char *const aliases[][2] = {
        { "pysqlite", "sqlite3" }, { "sqlite", "sqlite3" },
        { "psycopg2", "libpq" },   { "psycopg", "libpq" },
        { "pg8000", "libpq" },     { "asyncpg", "libpq" },
        { "pyodbc", "odbc" },      { "postgresql", "libpq" },
        { "pymssql", "odbc" }, /* FreeTDS through ODBC */
    };
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(aliases); i++)
        if (!strcmp(name, aliases[i][0]))
            return aliases[i][1];
    return name;
}

static void reg_add(reg_entry **list, reg_entry *e, const char *name, int is_driver)
{
    pthread_mutex_lock(&reg_lock);
    for (reg_entry *o = *list; o; o = o->next)
        if (o->live && !strcmp(is_driver ? o->u.drv.name : o->u.dia.name, name))
            o->live = 0;
    e->live = 1;
    e->next = *list;
    *list = e;
    pthread_mutex_unlock(&reg_lock);
}

int sqlalc_register_driver(const sqlalc_driver *drv)
{
    if (!drv)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_driver: driver is NULL");
    reg_entry *e = sqlalc__calloc(1, sizeof *e);
    if (!e)
        return SQLALC_ERR_NOMEM;
    int rc = sqlalc__versioned_copy(&e->u.drv, drv, drv->version, driver_sizes, SQLALC_DRIVER_VERSION,
                                    "register_driver");
    if (rc == SQLALC_OK && (!e->u.drv.name || !e->u.drv.connect || !e->u.drv.prepare || !e->u.drv.step))
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_driver: incomplete driver table");
    if (rc == SQLALC_OK && !(e->u.drv.capabilities & SQLALC_DRIVER_CAP_NATIVE_TRANSACTIONS) &&
        !e->u.drv.exec_simple)
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                              "register_driver: '%s' needs exec_simple (or native transactions)",
                              e->u.drv.name);
    if (rc != SQLALC_OK) {
        sqlalc_free(e);
        return rc;
    }
    e->u.drv.version = SQLALC_DRIVER_VERSION;
    reg_add(&user_drivers, e, e->u.drv.name, 1);
    return SQLALC_OK;
}

int sqlalc_register_dialect(const sqlalc_dialect *dia)
{
    if (!dia)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_dialect: dialect is NULL");
    reg_entry *e = sqlalc__calloc(1, sizeof *e);
    if (!e)
        return SQLALC_ERR_NOMEM;
    int rc = sqlalc__versioned_copy(&e->u.dia, dia, dia->version, dialect_sizes, SQLALC_DIALECT_VERSION,
                                    "register_dialect");
    if (rc == SQLALC_OK && (!e->u.dia.name || !e->u.dia.is_reserved))
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "register_dialect: incomplete dialect table");
    /* The hook tables too: each read as far as its own version goes. */
    if (rc == SQLALC_OK && e->u.dia.compile &&
        (rc = sqlalc__versioned_copy(&e->compile, e->u.dia.compile, e->u.dia.compile->version,
                                     compile_hooks_sizes, SQLALC_COMPILE_HOOKS_VERSION,
                                     "register_dialect: compile hooks")) == SQLALC_OK)
        e->u.dia.compile = &e->compile;
    if (rc == SQLALC_OK && e->u.dia.ddl &&
        (rc = sqlalc__versioned_copy(&e->ddl, e->u.dia.ddl, e->u.dia.ddl->version, ddl_hooks_sizes,
                                     SQLALC_DDL_HOOKS_VERSION, "register_dialect: DDL hooks")) == SQLALC_OK)
        e->u.dia.ddl = &e->ddl;
    if (rc == SQLALC_OK && e->u.dia.reflect &&
        (rc = sqlalc__versioned_copy(&e->reflect, e->u.dia.reflect, e->u.dia.reflect->version,
                                     reflect_hooks_sizes, SQLALC_REFLECT_HOOKS_VERSION,
                                     "register_dialect: reflect hooks")) == SQLALC_OK)
        e->u.dia.reflect = &e->reflect;
    if (rc != SQLALC_OK) {
        sqlalc_free(e);
        return rc;
    }
    e->u.dia.version = SQLALC_DIALECT_VERSION;
    reg_add(&user_dialects, e, e->u.dia.name, 0);
    return SQLALC_OK;
}

const sqlalc_driver *sqlalc__find_driver(const char *name)
{
    if (!name)
        return NULL;
    name = driver_alias(name);
    const sqlalc_driver *found = NULL;
    pthread_mutex_lock(&reg_lock);
    for (reg_entry *e = user_drivers; e && !found; e = e->next)
        if (e->live && !strcmp(e->u.drv.name, name))
            found = &e->u.drv;
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
    for (reg_entry *e = user_dialects; e && !found; e = e->next)
        if (e->live && !strcmp(e->u.dia.name, name))
            found = &e->u.dia;
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

const sqlalc_dialect *sqlalc_dialect_for_server_version(const sqlalc_dialect *d, const char *version)
{
    if (!d || !version) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "dialect_for_server_version: %s is NULL",
                         d ? "version" : "dialect");
        return NULL;
    }
    return d->for_server_version ? d->for_server_version(version) : d;
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

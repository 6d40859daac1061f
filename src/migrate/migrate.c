/*
 * The migration runner: versioned SQL files applied in order, each with
 * its record in sqlalc_migrations, in one transaction.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "migrate_int.h"

typedef struct mfile {
    char *version, *name, *up, *down; /* up/down: file paths (down NULL when none) */
} mfile;

typedef struct mlist {
    size_t n, cap;
    mfile *f;
} mlist;

/* Versions compare as numbers ("10" after "9", "0003" equal to "3"). */
static int vcmp(const char *a, const char *b)
{
    while (*a == '0' && a[1])
        a++;
    while (*b == '0' && b[1])
        b++;
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

static int mf_cmp(const void *x, const void *y)
{
    return vcmp(((const mfile *)x)->version, ((const mfile *)y)->version);
}

static void mlist_free(mlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        sqlalc_free(l->f[i].version);
        sqlalc_free(l->f[i].name);
        sqlalc_free(l->f[i].up);
        sqlalc_free(l->f[i].down);
    }
    sqlalc_free(l->f);
}

static char *path_join(const char *dir, const char *name)
{
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_printf(&b, "%s/%s", dir, name);
    if (b.oom) {
        sqlalc_buf_free(&b);
        return NULL;
    }
    return sqlalc_buf_detach(&b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* The migrations of dir: "<digits>_<name>.up.sql" (+ ".down.sql"). */
static int scan(const char *dir, mlist *out)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "migrations: cannot open directory %s: %s", dir,
                                strerror(errno));
    int rc = SQLALC_OK;
    struct dirent *e;
    while (rc == SQLALC_OK && (e = readdir(dh)) != NULL) {
        const char *nm = e->d_name;
        size_t digits = strspn(nm, "0123456789");
        if (digits == 0 || !ends_with(nm, ".up.sql") || (nm[digits] != '_' && nm[digits] != '.'))
            continue;
        size_t total = strlen(nm) - strlen(".up.sql");
        const char *label = nm[digits] == '_' ? nm + digits + 1 : nm + digits;
        size_t llen = total > (size_t)(label - nm) ? total - (size_t)(label - nm) : 0;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            mfile *p = sqlalc__realloc(out->f, cap * sizeof *p);
            if (!p) {
                rc = sqlalc__oom();
                break;
            }
            out->f = p;
            out->cap = cap;
        }
        mfile *m = &out->f[out->n];
        memset(m, 0, sizeof *m);
        m->version = sqlalc__malloc(digits + 1);
        m->name = sqlalc__malloc(llen + 1);
        m->up = path_join(dir, nm);
        if (m->version) {
            memcpy(m->version, nm, digits);
            m->version[digits] = 0;
        }
        if (m->name) {
            memcpy(m->name, label, llen);
            m->name[llen] = 0;
        }
        sqlalc_buf down = SQLALC_BUF_INIT;
        sqlalc_buf_append(&down, nm, total);
        sqlalc_buf_puts(&down, ".down.sql");
        const char *dn = sqlalc_buf_cstr(&down);
        if (dn) {
            m->down = path_join(dir, dn);
            FILE *f = m->down ? fopen(m->down, "rb") : NULL;
            if (f)
                fclose(f);
            else if (m->down) {
                sqlalc_free(m->down);
                m->down = NULL;
            }
        }
        sqlalc_buf_free(&down);
        out->n++;
        if (!m->version || !m->name || !m->up || !dn)
            rc = sqlalc__oom();
    }
    closedir(dh);
    if (rc)
        return rc;
    if (out->n > 1)
        qsort(out->f, out->n, sizeof *out->f, mf_cmp);
    for (size_t i = 1; i < out->n; i++)
        if (!vcmp(out->f[i - 1].version, out->f[i].version))
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "migrations: version %s is used twice (%s and %s)",
                                    out->f[i].version, out->f[i - 1].up, out->f[i].up);
    return SQLALC_OK;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "migrations: cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    sqlalc_buf b = SQLALC_BUF_INIT;
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        sqlalc_buf_append(&b, chunk, k);
    int bad = ferror(f);
    fclose(f);
    const char *s = sqlalc_buf_cstr(&b);
    if (bad || !s) {
        sqlalc_buf_free(&b);
        if (bad)
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "migrations: cannot read %s", path);
        else
            sqlalc__oom();
        return NULL;
    }
    return sqlalc_buf_detach(&b);
}

/* The versions recorded as applied. */
static int applied_versions(sqlalc_engine *eng, sqlalc_strlist *out)
{
    int rc =
        sqlalc_engine_execute_sql(eng,
                                  "CREATE TABLE IF NOT EXISTS " SQLALC__MIGRATIONS_TABLE
                                  " (version VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, "
                                  "applied_at VARCHAR(32) NOT NULL)",
                                  NULL, NULL);
    sqlalc_result *res = NULL;
    if (rc == SQLALC_OK)
        rc = sqlalc_engine_execute_sql(eng, "SELECT version FROM " SQLALC__MIGRATIONS_TABLE, NULL, &res);
    const sqlalc_row *row;
    while (rc == SQLALC_OK) {
        int r = sqlalc_result_next(res, &row);
        if (r == SQLALC_DONE)
            break;
        if (r != SQLALC_ROW) {
            rc = r;
            break;
        }
        const char *v = sqlalc_row_text(row, 0);
        rc = sqlalc_strlist_append(out, v ? v : "");
    }
    sqlalc_result_free(res);
    return rc;
}

static int is_applied(const sqlalc_strlist *applied, const char *version)
{
    for (size_t i = 0; i < applied->count; i++)
        if (!vcmp(applied->items[i], version))
            return 1;
    return 0;
}

/* One migration and its record, in one transaction. */
static int run_one(sqlalc_engine *eng, const mfile *m, int up)
{
    char *sql = read_all(up ? m->up : m->down);
    if (!sql)
        return sqlalc_error_last()->code;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sqlalc_conn *conn;
    int rc = sqlalc_engine_begin(eng, &conn, NULL);
    if (rc == SQLALC_OK) {
        rc = sqlalc_conn_execute_script(conn, sql, NULL);
        if (rc == SQLALC_OK && up)
            rc = sqlalc_conn_execute_sql(conn,
                                         "INSERT INTO " SQLALC__MIGRATIONS_TABLE
                                         " (version, name, applied_at) VALUES (:v, :n, :t)",
                                         SQLALC_PARAMS(SQLALC_P_TEXT("v", m->version),
                                                       SQLALC_P_TEXT("n", m->name), SQLALC_P_TEXT("t", when)),
                                         NULL);
        else if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_sql(conn, "DELETE FROM " SQLALC__MIGRATIONS_TABLE " WHERE version = :v",
                                         SQLALC_PARAMS(SQLALC_P_TEXT("v", m->version)), NULL);
        rc = sqlalc_conn_end(conn, rc);
    }
    if (rc != SQLALC_OK) {
        const sqlalc_error *e = sqlalc_error_last();
        char *msg = sqlalc__strdup(e->message);
        char state[6];
        memcpy(state, e->sqlstate, sizeof state);
        if (msg)
            sqlalc_error_set_full(rc, state[0] ? state : NULL, e->driver_code,
                                  "migration %s (%s) %s failed: %s", m->version, m->name, up ? "up" : "down",
                                  msg);
        sqlalc_free(msg);
    }
    sqlalc_free(sql);
    return rc;
}

static int fill_report(sqlalc_migrate_report *r, const mlist *l, const sqlalc_strlist *applied,
                       const unsigned char *ran)
{
    r->items = sqlalc__calloc(l->n + 1, sizeof *r->items);
    if (!r->items)
        return sqlalc__oom();
    for (size_t i = 0; i < l->n; i++) {
        sqlalc_migration_info *it = &r->items[r->count++];
        it->version = sqlalc__strdup(l->f[i].version);
        it->name = sqlalc__strdup(l->f[i].name);
        it->applied = is_applied(applied, l->f[i].version);
        it->ran = ran[i];
        it->has_down = l->f[i].down != NULL;
        if (!it->version || !it->name)
            return sqlalc__oom();
    }
    for (size_t i = 0; i < applied->count; i++) {
        int known = 0;
        for (size_t k = 0; k < l->n && !known; k++)
            known = !vcmp(applied->items[i], l->f[k].version);
        if (known)
            continue;
        char **u = sqlalc__realloc(r->unknown, (r->nunknown + 1) * sizeof *u);
        if (!u)
            return sqlalc__oom();
        r->unknown = u;
        if (!(r->unknown[r->nunknown] = sqlalc__strdup(applied->items[i])))
            return sqlalc__oom();
        r->nunknown++;
    }
    return SQLALC_OK;
}

/* Remove `version` from the applied list (after a down). */
static void forget(sqlalc_strlist *applied, const char *version)
{
    for (size_t i = 0; i < applied->count; i++)
        if (!vcmp(applied->items[i], version)) {
            sqlalc_free(applied->items[i]);
            memmove(&applied->items[i], &applied->items[i + 1],
                    (applied->count - i - 1) * sizeof *applied->items);
            applied->count--;
            return;
        }
}

int sqlalc_migrate(sqlalc_engine *eng, const char *dir, sqlalc_migrate_direction direction,
                   const char *target, sqlalc_migrate_report *report)
{
    if (report)
        memset(report, 0, sizeof *report);
    if (!eng || !dir)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_migrate: NULL argument");
    if (direction != SQLALC_MIGRATE_UP && direction != SQLALC_MIGRATE_DOWN &&
        direction != SQLALC_MIGRATE_STATUS)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_migrate: unknown direction %d", (int)direction);
    if (target && (!*target || target[strspn(target, "0123456789")]))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "migrations: target '%s' is not a version number",
                                target);
    mlist l = { 0, 0, NULL };
    sqlalc_strlist applied = { 0, NULL };
    unsigned char *ran = NULL;
    int rc = scan(dir, &l);
    if (rc == SQLALC_OK && !(ran = sqlalc__calloc(l.n + 1, 1)))
        rc = sqlalc__oom();
    if (rc == SQLALC_OK && target && vcmp(target, "0") != 0) {
        int known = 0;
        for (size_t i = 0; i < l.n && !known; i++)
            known = !vcmp(l.f[i].version, target);
        if (!known)
            rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "migrations: no migration has version %s in %s",
                                  target, dir);
    }
    if (rc == SQLALC_OK)
        rc = applied_versions(eng, &applied);
    if (rc == SQLALC_OK && direction == SQLALC_MIGRATE_UP) {
        for (size_t i = 0; i < l.n && rc == SQLALC_OK; i++) {
            if (target && vcmp(l.f[i].version, target) > 0)
                break;
            if (is_applied(&applied, l.f[i].version))
                continue;
            if ((rc = run_one(eng, &l.f[i], 1)) == SQLALC_OK) {
                ran[i] = 1;
                rc = sqlalc_strlist_append(&applied, l.f[i].version);
            }
        }
    } else if (rc == SQLALC_OK && direction == SQLALC_MIGRATE_DOWN) {
        int one = !target;
        for (size_t i = l.n; i-- > 0 && rc == SQLALC_OK;) {
            if (!is_applied(&applied, l.f[i].version))
                continue;
            if (target && vcmp(l.f[i].version, target) <= 0)
                break;
            if (!l.f[i].down) {
                rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                      "migration %s (%s) has no .down.sql: cannot revert it", l.f[i].version,
                                      l.f[i].name);
                break;
            }
            if ((rc = run_one(eng, &l.f[i], 0)) == SQLALC_OK) {
                ran[i] = 1;
                forget(&applied, l.f[i].version);
            }
            if (one)
                break;
        }
    }
    if (report && ran) {
        /* keep the run's error over a report failure */
        int keep = rc;
        const sqlalc_error *e = sqlalc_error_last();
        char *msg = keep ? sqlalc__strdup(e->message) : NULL;
        char state[6];
        memcpy(state, e->sqlstate, sizeof state);
        long dc = e->driver_code;
        int r2 = fill_report(report, &l, &applied, ran);
        if (keep && msg)
            sqlalc_error_set_full(keep, state[0] ? state : NULL, dc, "%s", msg);
        sqlalc_free(msg);
        if (!keep)
            rc = r2;
        if (r2)
            sqlalc_migrate_report_clear(report);
    }
    sqlalc_free(ran);
    sqlalc_strlist_clear(&applied);
    mlist_free(&l);
    return rc;
}

void sqlalc_migrate_report_clear(sqlalc_migrate_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        sqlalc_free((char *)r->items[i].version);
        sqlalc_free((char *)r->items[i].name);
    }
    for (size_t i = 0; i < r->nunknown; i++)
        sqlalc_free(r->unknown[i]);
    sqlalc_free(r->items);
    sqlalc_free(r->unknown);
    memset(r, 0, sizeof *r);
}

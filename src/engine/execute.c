/*
 * Executing expression statements: compile (or find the compiled form
 * cached on the statement for this dialect and paramstyle), gather the
 * parameter values in placeholder order (overrides by name win), and hand
 * the SQL to the engine's prepared-statement cache.
 *
 * A multi-row INSERT that would pass the dialect's parameter ceiling is
 * split into several INSERTs run in one transaction.
 */
#include <stdio.h>
#include <string.h>
#include "engine_priv.h"
#include "../sql/expr_int.h"

#define STACK_VALS 32

static int style_for(const sqlalc_driver *drv)
{
    if (!drv || drv->paramstyle == SQLALC_PARAMSTYLE_NAMED)
        return 0;
    return drv->paramstyle;
}

static const sqlalc_param *find_override(const sqlalc_params *ov, const char *name)
{
    for (size_t i = 0; ov && i < ov->count; i++)
        if (ov->items[i].name && !strcmp(ov->items[i].name, name))
            return &ov->items[i];
    return NULL;
}

/* An override no parameter took is still right when it is a value of an
 * expanding IN the statement was compiled with ("ids" feeds ids_1, ids_2
 * … or the inlined list). */
static int check_unmatched(const struct sqlalc_compiled *c, const sqlalc_params *ov, size_t k)
{
    const char *n = ov->items[k].name;
    if (!n)
        return sqlalc_error_set(SQLALC_ERR_PROGRAMMING,
                                "execute: parameter %zu has no name (statements take named values)", k);
    for (const char *e = c->expanded; e && *e; e += strlen(e) + 1)
        if (!strcmp(e, n))
            return SQLALC_OK;
    return sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "execute: the statement has no parameter '%s'", n);
}

static int no_value(const struct sqlalc_compiled *c, const char *name)
{
    return sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "execute: no value for parameter '%s' in: %.400s", name,
                            c->sql);
}

/* Names are short: an inline compare beats a call to strcmp. */
static inline int same_name(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Few overrides (the usual case): compare names directly, each search
 * starting after the previous match, since sets usually list values in
 * the statement's own order and one compare then suffices. */
#define FEW_OVERRIDES 16

static int gather_few(const struct sqlalc_compiled *c, const sqlalc_params *ov, sqlalc_value *vals)
{
    size_t nov = ov ? ov->count : 0, k = 0;
    const sqlalc_param *items = nov ? ov->items : NULL;
    unsigned seen = 0;
    for (size_t i = 0; i < c->nparams; i++) {
        const char *name = c->names + c->params[i].name_off;
        size_t j;
        for (j = 0; j < nov; j++) {
            const char *n = items[k].name;
            if (n && same_name(n, name))
                break;
            if (++k == nov)
                k = 0;
        }
        if (j < nov) {
            vals[i] = items[k].value;
            seen |= 1u << k;
            if (++k == nov)
                k = 0;
        } else if (c->params[i].value)
            vals[i] = *c->params[i].value;
        else
            return no_value(c, name);
    }
    if (seen == (1u << nov) - 1)
        return SQLALC_OK;
    for (k = 0; k < nov; k++) {
        if (seen & (1u << k))
            continue;
        /* the same name given twice: the first took the value */
        size_t j;
        for (j = 0; j < k; j++)
            if ((seen & (1u << j)) && items[k].name && !strcmp(items[j].name, items[k].name))
                break;
        int rc = j < k ? SQLALC_OK : check_unmatched(c, ov, k);
        if (rc)
            return rc;
    }
    return SQLALC_OK;
}

/* Many overrides (an expanding IN's values, a wide INSERT): index their
 * names once, so the work is linear in parameters plus overrides. */
static int gather_many(const struct sqlalc_compiled *c, const sqlalc_params *ov, sqlalc_value *vals)
{
    size_t nov = ov->count, cap = 32;
    while (cap < nov * 2)
        cap <<= 1;
    size_t mask = cap - 1;
    size_t *slot = sqlalc__calloc(cap, sizeof *slot); /* override index + 1; 0 = empty */
    unsigned char *used = sqlalc__calloc(nov, 1);
    int rc = slot && used ? SQLALC_OK : SQLALC_ERR_NOMEM;
    for (size_t k = 0; rc == SQLALC_OK && k < nov; k++) {
        const char *n = ov->items[k].name;
        if (!n)
            continue;
        size_t h = (size_t)sqlalc__hash(n, strlen(n)) & mask;
        while (slot[h] && strcmp(ov->items[slot[h] - 1].name, n))
            h = (h + 1) & mask;
        if (!slot[h])
            slot[h] = k + 1; /* a repeated name keeps its first value */
    }
    for (size_t i = 0; rc == SQLALC_OK && i < c->nparams; i++) {
        const char *name = c->names + c->params[i].name_off;
        size_t h = (size_t)sqlalc__hash(name, strlen(name)) & mask;
        while (slot[h] && strcmp(ov->items[slot[h] - 1].name, name))
            h = (h + 1) & mask;
        if (slot[h]) {
            vals[i] = ov->items[slot[h] - 1].value;
            used[slot[h] - 1] = 1;
        } else if (c->params[i].value)
            vals[i] = *c->params[i].value;
        else
            rc = no_value(c, name);
    }
    for (size_t k = 0; rc == SQLALC_OK && k < nov; k++) {
        if (used[k])
            continue;
        const char *n = ov->items[k].name;
        if (n) {
            /* a repeat of a name that took its value is fine */
            size_t h = (size_t)sqlalc__hash(n, strlen(n)) & mask;
            while (slot[h] && strcmp(ov->items[slot[h] - 1].name, n))
                h = (h + 1) & mask;
            if (slot[h] && used[slot[h] - 1])
                continue;
        }
        rc = check_unmatched(c, ov, k);
    }
    sqlalc_free(slot);
    sqlalc_free(used);
    return rc == SQLALC_ERR_NOMEM ? sqlalc__oom() : rc;
}

/* Fill vals[0..nparams) from the compiled defaults and the overrides
 * (by name); every override must name a parameter of the statement or a
 * value of one of its expanding INs. */
static inline int gather(const struct sqlalc_compiled *c, const sqlalc_params *ov, sqlalc_value *vals)
{
    /* The usual shape first: one override per parameter, in their order
     * (a point lookup: WHERE id = :uid). */
    if (ov && ov->count == c->nparams && ov->count <= FEW_OVERRIDES) {
        size_t i;
        for (i = 0; i < c->nparams; i++) {
            const char *n = ov->items[i].name;
            if (!n || !same_name(n, c->names + c->params[i].name_off))
                break;
            vals[i] = ov->items[i].value;
        }
        if (i == c->nparams)
            return SQLALC_OK;
    }
    if (!ov || ov->count <= FEW_OVERRIDES)
        return gather_few(c, ov, vals);
    return gather_many(c, ov, vals);
}

/*
 * An INSERT without values lists every column; executed with parameters
 * naming only some columns, it is narrowed to those (as SQLAlchemy
 * compiles an insert for the keys given).  Returns a new statement, or
 * NULL with *rc = OK when no narrowing applies.
 */
static sqlalc_stmt *narrow_insert(sqlalc_stmt *stmt, const sqlalc_params *keys, int *rc)
{
    *rc = SQLALC_OK;
    if (stmt->base.kind != NK_INSERT || !keys || !keys->count)
        return NULL;
    const struct ins *in = (const struct ins *)stmt;
    if (in->nrows || in->from_select || in->default_values || in->upsert)
        return NULL;
    /* one entry per column named: any number of columns */
    sqlalc_kv small[64], *kv = small;
    if (in->table->ncolumns > SQLALC_ARRAY_LEN(small) &&
        !(kv = sqlalc__malloc(in->table->ncolumns * sizeof *kv))) {
        *rc = SQLALC_ERR_NOMEM;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < in->table->ncolumns; i++) {
        const char *cn = in->table->columns[i]->name;
        if (find_override(keys, cn)) {
            kv[n].column = cn;
            kv[n].value = sqlalc__bindparam_column(cn);
            n++;
        }
    }
    if (n == in->table->ncolumns) {
        /* all columns: the cached form serves */
        for (size_t j = 0; j < n; j++)
            sqlalc_expr_free(kv[j].value);
        if (kv != small)
            sqlalc_free(kv);
        return NULL;
    }
    sqlalc_stmt *ni = sqlalc_insert(in->table);
    if (ni && in->returning.n) {
        for (size_t i = 0; i < in->returning.n; i++)
            sqlalc_expr_ref(in->returning.v[i]);
        ni = sqlalc_returning(ni, (sqlalc_exprs){ in->returning.n, in->returning.v });
    }
    ni = n ? sqlalc_values(ni, (sqlalc_kvs){ n, kv }) : ni;
    if (kv != small)
        sqlalc_free(kv);
    if (!ni)
        *rc = sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_NOMEM;
    return ni;
}

#if defined(__GNUC__)
#    define EXEC_INLINE inline __attribute__((always_inline))
#else
#    define EXEC_INLINE inline
#endif

/* The statements run around c (SQL Server's SET IDENTITY_INSERT t ON /
 * OFF, as SQLAlchemy runs them): after = 1 runs even when the statement
 * failed (rc), keeping that first error. */
static int run_around(sqlalc_conn *conn, const struct sqlalc_compiled *c, int after, int rc)
{
    /* as its own batch (SQLExecDirect), as SQLAlchemy runs it: SQL Server
     * would undo SET IDENTITY_INSERT made inside a prepared statement */
    const char *sql = sqlalc_compiled_around_sql(c, after);
    if (!after || rc == SQLALC_OK)
        return sqlalc__conn_exec_direct(conn, sql);
    if (sqlalc_conn_invalidated(conn))
        return rc;
    sqlalc__saved_error saved;
    sqlalc__error_save(&saved);
    sqlalc__conn_exec_direct(conn, sql);
    sqlalc__error_restore(&saved);
    return rc;
}

/* Inlined into execute(): the point-lookup path runs in one frame. */
static EXEC_INLINE int run_compiled_as(sqlalc_conn *conn, const struct sqlalc_compiled *c,
                                       const sqlalc_params *ov, const sqlalc_execution_options *eo, int once,
                                       sqlalc_result **out)
{
    sqlalc_value stackv[STACK_VALS];
    sqlalc_value *vals = c->nparams <= STACK_VALS ? stackv : sqlalc__malloc(c->nparams * sizeof *vals);
    if (!vals)
        return SQLALC_ERR_NOMEM;
    int rc = gather(c, ov, vals);
    int around = !rc && c->around;
    if (around && (rc = run_around(conn, c, 0, rc)))
        around = 0;
    if (!rc)
        rc = (once ? sqlalc__conn_exec_compiled_once : sqlalc__conn_exec_compiled_opts)(
            conn, c->sql, c->len, vals, (int)c->nparams, c->params, eo, out);
    if (!rc && out && *out &&
        ((c->ctypes && (rc = sqlalc__result_set_types(*out, c->ctypes, c->nctypes))) ||
         (c->dml_returning && (rc = sqlalc__result_buffer(*out))))) {
        sqlalc_result_free(*out);
        *out = NULL;
    }
    if (around)
        rc = run_around(conn, c, 1, rc);
    if (vals != stackv)
        sqlalc_free(vals);
    return rc;
}

static inline int run_compiled(sqlalc_conn *conn, const struct sqlalc_compiled *c, const sqlalc_params *ov,
                               const sqlalc_execution_options *eo, sqlalc_result **out)
{
    return run_compiled_as(conn, c, ov, eo, 0, out);
}

/* A multi-row INSERT past the parameter ceiling: chunks of rows, one transaction. */
/* The parameter ceiling for a connection: the dialect's, or the driver's when lower. */
static int max_params(sqlalc_conn *conn, const sqlalc_dialect *d)
{
    const sqlalc_driver *drv = sqlalc__conn_driver(conn);
    int m = d ? d->max_params : 0;
    if (drv && drv->max_params > 0 && (m <= 0 || drv->max_params < m))
        m = drv->max_params;
    return m > 0 ? m : 999;
}

static int run_split_insert(sqlalc_conn *conn, const struct ins *in, const sqlalc_dialect *d, int style,
                            const sqlalc_params *ov, const sqlalc_execution_options *eo, sqlalc_result **out)
{
    int limit = max_params(conn, d);
    if (in->returning.n)
        return sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                "execute: a multi-row INSERT … RETURNING past %d parameters cannot be split",
                                limit);
    size_t per = (size_t)limit / in->ncols;
    if (per == 0)
        per = 1;
    sqlalc_tx *tx = NULL;
    int rc = SQLALC_OK;
    if (!sqlalc_conn_in_transaction(conn) && (rc = sqlalc_conn_begin(conn, &tx)))
        return rc;
    for (size_t r = 0; r < in->nrows && !rc; r += per) {
        size_t r1 = r + per < in->nrows ? r + per : in->nrows;
        struct sqlalc_compiled *c;
        rc = sqlalc__compile((sqlalc_expr *)&in->st.base, d, style, r, r1, &c);
        if (rc)
            break;
        rc = run_compiled(conn, c, ov, eo, NULL);
        sqlalc_compiled_free(c);
    }
    if (tx) {
        if (rc)
            sqlalc_tx_rollback(tx);
        else
            rc = sqlalc_tx_commit(tx);
    }
    if (out)
        *out = NULL;
    return rc;
}

/*
 * Compile for this execution only and run: an expanding IN (its values,
 * the overrides of that name, shape the SQL; no overrides at all means
 * every expanding list is empty) or no_compiled_cache.  Past the driver's
 * parameter ceiling the expanding lists' integers go inline, as a long
 * non-expanding IN list's do, and that SQL is not cached.
 */
static int run_fresh(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_dialect *d, int style,
                     const sqlalc_params *overrides, const sqlalc_execution_options *eo, sqlalc_result **out)
{
    static const sqlalc_params no_values = { 0, NULL };
    const sqlalc_params *ev = overrides ? overrides : &no_values;
    struct sqlalc_compiled *x;
    int rc = sqlalc__compile_expand(&stmt->base, d, style, 0, 0, ev, 0, &x);
    int limit = max_params(conn, d), once = 0;
    if (rc == SQLALC_OK && x->expanded && x->nparams > (size_t)limit) {
        once = 1; /* inline values: this SQL will not come again */
        sqlalc_compiled_free(x);
        rc = sqlalc__compile_expand(&stmt->base, d, style, 0, 0, ev, limit, &x);
        if (rc == SQLALC_OK && x->nparams > (size_t)limit) {
            rc = sqlalc_error_set(SQLALC_ERR_NOT_SUPPORTED,
                                  "execute: the statement needs %zu parameters, more than the %d one "
                                  "statement may carry on %s",
                                  x->nparams, limit, d ? d->name : "this database");
            sqlalc_compiled_free(x);
        }
    }
    if (rc == SQLALC__NEEDS_EXPAND)
        rc = sqlalc_error_set(SQLALC_ERR_PROGRAMMING, "execute: no values for an expanding IN parameter");
    if (rc)
        return rc;
    rc = run_compiled_as(conn, x, overrides, eo, once, out);
    sqlalc_compiled_free(x);
    return rc;
}

static EXEC_INLINE int execute(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                               const sqlalc_execution_options *o, sqlalc_result **out)
{
    if (out)
        *out = NULL;
    if (!conn || !stmt)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_conn_execute: NULL %s",
                                conn ? "statement" : "connection");
    if (!sqlalc__is_stmt_kind(stmt->base.kind))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_conn_execute: not a statement");
    sqlalc_execution_options eff;
    const sqlalc_execution_options *eo;
    int orc = sqlalc__conn_stmt_opts(conn, o, &eff, &eo);
    if (orc)
        return orc;
    const sqlalc_dialect *d = conn->eng->dialect;
    int style = style_for(conn->eng->driver);
    if (stmt->base.kind == NK_INSERT) {
        const struct ins *in = (const struct ins *)stmt;
        if (in->nrows > 1 && in->ncols * in->nrows > (size_t)max_params(conn, d))
            return run_split_insert(conn, in, d, style, overrides, eo, out);
        int rc;
        sqlalc_stmt *narrow = narrow_insert(stmt, overrides, &rc);
        if (rc)
            return rc;
        if (narrow) {
            struct sqlalc_compiled *c;
            rc = sqlalc__compile(&narrow->base, d, style, 0, 0, &c);
            if (!rc) {
                rc = run_compiled(conn, c, overrides, eo, out);
                sqlalc_compiled_free(c);
            }
            sqlalc_stmt_free(narrow);
            return rc;
        }
    }
    const struct sqlalc_compiled *c;
    int rc;
    if (eo->no_compiled_cache)
        return run_fresh(conn, stmt, d, style, overrides, eo, out);
    rc = sqlalc__stmt_compiled(stmt, d, style, &c);
    if (rc == SQLALC__NEEDS_EXPAND) /* an expanding IN: its values shape the SQL */
        return run_fresh(conn, stmt, d, style, overrides, eo, out);
    if (rc)
        return rc;
    return run_compiled(conn, c, overrides, eo, out);
}

int sqlalc_conn_execute(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                        sqlalc_result **out)
{
    return execute(conn, stmt, overrides, NULL, out);
}

int sqlalc_conn_execute_opts(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                             const sqlalc_execution_options *o, sqlalc_result **out)
{
    return execute(conn, stmt, overrides, o, out);
}

int sqlalc_engine_execute(sqlalc_engine *eng, sqlalc_stmt *stmt, const sqlalc_params *overrides,
                          sqlalc_result **out)
{
    if (out)
        *out = NULL;
    sqlalc_conn *conn;
    int rc = sqlalc_engine_connect(eng, &conn);
    if (rc)
        return rc;
    rc = sqlalc_conn_execute(conn, stmt, overrides, out);
    if (rc || !out || !*out) {
        sqlalc_conn_close(conn);
        return rc;
    }
    /* The result gives the connection back when it is freed. */
    sqlalc__result_own_conn(*out, conn);
    return SQLALC_OK;
}

typedef struct gather_fill {
    const struct sqlalc_compiled *c;
    const sqlalc_params *sets;
    size_t base; /* index of sets[0] in the caller's sets (for messages) */
} gather_fill;

static int fill_gather(void *p, size_t first, size_t n, sqlalc_value *vals)
{
    gather_fill *gf = p;
    size_t np = gf->c->nparams;
    for (size_t s = 0; s < n; s++) {
        int rc = gather(gf->c, &gf->sets[first + s], vals + s * np);
        if (rc) {
            sqlalc__error_prefix("parameter set %zu", gf->base + first + s);
            return rc;
        }
    }
    return SQLALC_OK;
}

/*
 * executemany of a one-row INSERT as multi-row VALUES batches, built once
 * from the statement tree (SQLAlchemy's "insertmanyvalues"): the compiler
 * writes the INSERT with k rows of the same shape, the engine gathers k
 * parameter sets into each execution and hands the batches to the driver's
 * own batching (a pipeline on PostgreSQL).  Worth it where each execution
 * costs a round trip or a statement of its own; an embedded database
 * gains nothing over its reused one-row statement.
 */
#define MANYROWS_MAX 1000 /* rows per batch (SQLAlchemy's insertmanyvalues page size) */
#define MANYROWS_MIN 16   /* fewer rows than this go one by one */

typedef struct rows_fill {
    const struct sqlalc_compiled *one; /* the one-row form: each set's values in order */
    const sqlalc_params *sets;         /* the sets of this run */
    size_t base;                       /* index of sets[0] in the caller's sets (for messages) */
    size_t k;                          /* sets per execution */
} rows_fill;

static int fill_rows(void *p, size_t first, size_t n, sqlalc_value *vals)
{
    rows_fill *rf = p;
    size_t np = rf->one->nparams;
    for (size_t b = 0; b < n; b++)
        for (size_t s = 0; s < rf->k; s++) {
            size_t set = (first + b) * rf->k + s;
            int rc = gather(rf->one, &rf->sets[set], vals + (b * rf->k + s) * np);
            if (rc) {
                sqlalc__error_prefix("parameter set %zu", rf->base + set);
                return rc;
            }
        }
    return SQLALC_OK;
}

/* Rows per multi-row batch for this INSERT, or 0 when batching does not apply. */
static size_t manyrows_per_batch(sqlalc_conn *conn, const sqlalc_dialect *d, const sqlalc_stmt *tree,
                                 const struct sqlalc_compiled *one, size_t nsets)
{
    const sqlalc_driver *drv = sqlalc__conn_driver(conn);
    if (tree->base.kind != NK_INSERT || nsets < MANYROWS_MIN ||
        (drv->capabilities & SQLALC_DRIVER_CAP_EMBEDDED) || !d->compile || !d->compile->has_multivalues ||
        !one->nparams || one->literal_values)
        return 0;
    const struct ins *in = (const struct ins *)tree;
    if (in->nrows > 1 || in->from_select || in->default_values || in->upsert || in->returning.n)
        return 0;
    size_t per = (size_t)max_params(conn, d) / one->nparams;
    return per < 2 ? 0 : per < MANYROWS_MAX ? per : MANYROWS_MAX;
}

/*
 * A multi-row batch covering sets [first, first + count) failed as a
 * whole.  When the error is about the values and the run is undoable, run
 * all the sets again through the one-row form (which names the set that
 * fails), inside the same all-or-nothing transaction, rolled back anyway.
 * Otherwise, or if the rerun passes, the range is named.  Returns the
 * error to report.
 */
static int name_failed_row(sqlalc_conn *conn, sqlalc_tx **tx, const struct sqlalc_compiled *one,
                           const sqlalc_params *sets, size_t nsets, size_t first, size_t count)
{
    sqlalc_error saved = *sqlalc_error_last();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", saved.message);
    int code = saved.code;
    int retry =
        *tx && !sqlalc_conn_invalidated(conn) &&
        (code == SQLALC_ERR_INTEGRITY || code == SQLALC_ERR_DATA || code == SQLALC_ERR_PROGRAMMING ||
         code == SQLALC_ERR_DATABASE || code == SQLALC_ERR_OPERATIONAL || code == SQLALC_ERR_INTERNAL);
    if (retry) {
        sqlalc_tx_rollback(*tx);
        *tx = NULL;
        if (sqlalc_conn_begin_nested(conn, tx) == SQLALC_OK) {
            gather_fill gf = { one, sets, 0 };
            int64_t n = 0;
            int rc = sqlalc__conn_exec_compiled_fill(conn, one->sql, one->len, (int)one->nparams,
                                                     first + count < nsets ? first + count : nsets,
                                                     fill_gather, &gf, one->params, 0, 1, &n);
            if (rc)
                return rc; /* named by the one-row run */
        }
    }
    sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code,
                          "executemany parameter sets %zu..%zu: %s", first, first + count - 1, msg);
    return saved.code;
}

static int run_manyrows(sqlalc_conn *conn, sqlalc_stmt *tree, const sqlalc_dialect *d, int style,
                        const struct sqlalc_compiled *one, size_t kmax, const sqlalc_params *sets,
                        size_t nsets, int64_t *rowcount)
{
    /* All or nothing across the parts: a transaction of their own, or a
     * savepoint inside the caller's. */
    sqlalc_tx *tx = NULL;
    int rc = SQLALC_OK;
    if ((!sqlalc_conn_in_transaction(conn) || d->supports_savepoints) &&
        (rc = sqlalc_conn_begin_nested(conn, &tx)))
        return rc;
    int64_t total = 0;
    size_t done = 0;
    while (rc == SQLALC_OK && nsets - done >= MANYROWS_MIN) {
        /* Full batches of kmax rows; the rest in halving batches, so a
         * connection prepares only a few statement sizes. */
        size_t left = nsets - done, k = kmax;
        while (k > left)
            k /= 2;
        if (k < MANYROWS_MIN)
            break;
        size_t nb = left / k;
        if (k < kmax)
            nb = 1;
        struct sqlalc_compiled *ck;
        rc = sqlalc__compile_repeat(&tree->base, d, style, k, &ck);
        if (rc)
            break;
        rows_fill rf = { one, sets + done, done, k };
        int64_t n = 0;
        rc = sqlalc__conn_exec_compiled_fill(conn, ck->sql, ck->len, (int)ck->nparams, nb, fill_rows, &rf,
                                             ck->params, done, k, &n);
        sqlalc_compiled_free(ck);
        total += n;
        done += nb * k;
    }
    if (rc == SQLALC_OK && done < nsets) {
        gather_fill gf = { one, sets + done, done };
        int64_t n = 0;
        rc = sqlalc__conn_exec_compiled_fill(conn, one->sql, one->len, (int)one->nparams, nsets - done,
                                             fill_gather, &gf, one->params, done, 1, &n);
        total += n;
    }
    size_t f, c;
    if (rc && sqlalc__error_batch_position(&f, &c))
        rc = name_failed_row(conn, &tx, one, sets, nsets, f, c);
    if (tx) {
        if (rc) {
            sqlalc_error saved = *sqlalc_error_last();
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", saved.message);
            sqlalc_tx_rollback(tx);
            sqlalc_error_set_full(saved.code, saved.sqlstate, saved.driver_code, "%s", msg);
        } else
            rc = sqlalc_tx_commit(tx);
    }
    if (rc == SQLALC_OK && rowcount)
        *rowcount = total;
    return rc;
}

int sqlalc_conn_execute_many(sqlalc_conn *conn, sqlalc_stmt *stmt, const sqlalc_params *sets, size_t nsets,
                             int64_t *rowcount)
{
    if (rowcount)
        *rowcount = 0;
    if (!conn || !stmt || (nsets && !sets))
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_conn_execute_many: NULL argument");
    if (!nsets)
        return SQLALC_OK;
    if (stmt->base.kind != NK_INSERT && stmt->base.kind != NK_UPDATE && stmt->base.kind != NK_DELETE)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "sqlalc_conn_execute_many: only INSERT, UPDATE and DELETE");
    const sqlalc_dialect *d = sqlalc__conn_dialect(conn);
    int style = style_for(sqlalc__conn_driver(conn));
    int rc;
    struct sqlalc_compiled *owned = NULL;
    const struct sqlalc_compiled *c = NULL;
    sqlalc_stmt *narrow = narrow_insert(stmt, &sets[0], &rc);
    if (rc)
        return rc;
    if (narrow) {
        rc = sqlalc__compile(&narrow->base, d, style, 0, 0, &owned);
        c = owned;
    } else
        rc = sqlalc__stmt_compiled(stmt, d, style, &c);
    if (rc) {
        sqlalc_stmt_free(narrow);
        return rc;
    }
    /* SET IDENTITY_INSERT … ON / OFF once around the whole run, as SQLAlchemy */
    if (c->around && (rc = run_around(conn, c, 0, SQLALC_OK))) {
        sqlalc_stmt_free(narrow);
        sqlalc_compiled_free(owned);
        return rc;
    }
    size_t kmax = manyrows_per_batch(conn, d, narrow ? narrow : stmt, c, nsets);
    if (kmax)
        rc = run_manyrows(conn, narrow ? narrow : stmt, d, style, c, kmax, sets, nsets, rowcount);
    else {
        /* Sets are gathered chunk by chunk as the engine runs them. */
        gather_fill gf = { c, sets, 0 };
        rc = sqlalc__conn_exec_compiled_fill(conn, c->sql, c->len, (int)c->nparams, nsets, fill_gather, &gf,
                                             c->params, 0, 1, rowcount);
    }
    if (c->around)
        rc = run_around(conn, c, 1, rc);
    sqlalc_stmt_free(narrow);
    sqlalc_compiled_free(owned);
    return rc;
}

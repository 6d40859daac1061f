/* The unit of work: cascades, foreign-key sync, batched INSERT / UPDATE /
 * DELETE in foreign-key order, association rows, undo on failure. */
#include <stdio.h>
#include <stdlib.h>
#include "orm_int.h"

/* Parameters per multi-row INSERT … RETURNING: under SQL Server's 2,100
 * and far under SQLite's and PostgreSQL's limits, and rows enough that a
 * round trip carries hundreds of objects. */
#define PARAM_BUDGET 2000
#define MAX_ROWS 1000

typedef struct group {
    const sqlalc_orm_mapper *m;
    ostate **items; /* live objects of m (pending and persistent, not marked) */
    size_t n, cap;
    ostate **del;
    size_t ndel, capdel;
} group;

typedef struct plan {
    group *g;
    size_t n, cap;
    ostate **ins; /* inserted by this flush, for finishing or undoing */
    size_t nins, capins;
    ostate **upd;
    size_t nupd, capupd;
} plan;

static int push(ostate ***arr, size_t *n, size_t *cap, ostate *st)
{
    if (orm_grow((void **)arr, cap, *n + 1, sizeof(void *)) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    (*arr)[(*n)++] = st;
    return SQLALC_OK;
}

static group *group_of(plan *p, const sqlalc_orm_mapper *m)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->g[i].m == m)
            return &p->g[i];
    if (orm_grow((void **)&p->g, &p->cap, p->n + 1, sizeof(group)) != SQLALC_OK)
        return NULL;
    group *g = &p->g[p->n++];
    memset(g, 0, sizeof *g);
    g->m = m;
    return g;
}

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        sqlalc_free(p->g[i].items);
        sqlalc_free(p->g[i].del);
    }
    sqlalc_free(p->g);
    sqlalc_free(p->ins);
    sqlalc_free(p->upd);
}

static int alive(const ostate *st)
{
    return (st->status == OS_PENDING || st->status == OS_PERSISTENT) && !st->marked_delete;
}

/* ------------------------------------------------------------------ */
/* Cascades                                                            */
/* ------------------------------------------------------------------ */

static int cascade_add(sqlalc_session *s, void *obj, int *changed)
{
    if (!obj)
        return SQLALC_OK;
    ostate *t = ST(obj);
    if (t->s && t->s != s)
        return orm_err(SQLALC_ERR_INTERFACE, "flush: a related %s object belongs to another session",
                       t->m->name);
    if (!t->s) {
        if (sess_track(s, t) != SQLALC_OK)
            return SQLALC_ERR_NOMEM;
        *changed = 1;
    }
    if (t->status == OS_TRANSIENT) {
        t->status = OS_PENDING;
        *changed = 1;
    }
    return SQLALC_OK;
}

/* save-update: related objects not in the session join it. */
static int cascade_save(sqlalc_session *s)
{
    for (size_t i = 0; i < s->n; i++) { /* s->n grows as objects join */
        ostate *st = s->objs[i];
        if (!alive(st))
            continue;
        void *obj = OBJ(st);
        for (size_t r = 0; r < st->m->nrels; r++) {
            orm_rel *rel = st->m->rels[r];
            if (!(rel->cascade & SQLALC_ORM_CASCADE_SAVE) || !st->rel_loaded[r])
                continue;
            int changed = 0, rc = SQLALC_OK;
            if (rel->scalar) {
                rc = cascade_add(s, *rel_ptr(rel, obj), &changed);
            } else {
                sqlalc_orm_list *l = rel_list(rel, obj);
                for (size_t k = 0; k < l->count && rc == SQLALC_OK; k++)
                    rc = cascade_add(s, l->items[k], &changed);
            }
            if (rc != SQLALC_OK)
                return rc;
        }
    }
    return SQLALC_OK;
}

static void mark_deleted(ostate *t, int *changed)
{
    if (t->status == OS_PENDING) {
        t->status = OS_TRANSIENT;
        *changed = 1;
    } else if (t->status == OS_PERSISTENT && !t->marked_delete) {
        t->marked_delete = 1;
        *changed = 1;
    }
}

/* delete: targets go with the object.  Without it, the children of a
 * deleted parent lose their foreign key (SQLAlchemy's default). */
static int cascade_delete(sqlalc_session *s)
{
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = 0; i < s->n; i++) {
            ostate *st = s->objs[i];
            if (!st->marked_delete || st->status != OS_PERSISTENT)
                continue;
            void *obj = OBJ(st);
            for (size_t r = 0; r < st->m->nrels; r++) {
                orm_rel *rel = st->m->rels[r];
                int del = rel->cascade & SQLALC_ORM_CASCADE_DELETE;
                if (!del && (rel->local_fk || rel->secondary))
                    continue;
                if (!st->rel_loaded[r]) {
                    int rc = rel_load_many(s, rel, &st, 1);
                    if (rc != SQLALC_OK)
                        return rc;
                }
                size_t n = rel->scalar ? 1 : rel_list(rel, obj)->count;
                for (size_t k = 0; k < n; k++) {
                    void *t = rel->scalar ? *rel_ptr(rel, obj) : rel_list(rel, obj)->items[k];
                    if (!t)
                        continue;
                    ostate *ts = ST(t);
                    if (del) {
                        mark_deleted(ts, &changed);
                    } else if (alive(ts)) {
                        ov z = { 1, 0, 0.0, NULL };
                        for (size_t c = 0; c < rel->ncols; c++)
                            if (ov_write(ts->m, t, rel->tf[c], &z) != SQLALC_OK)
                                return SQLALC_ERR_NOMEM;
                        orm_rel *b = rel_back(rel);
                        if (b && b->scalar && *rel_ptr(b, t) == obj)
                            *rel_ptr(b, t) = NULL;
                    }
                }
            }
        }
    }
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Foreign keys from relationships                                     */
/* ------------------------------------------------------------------ */

static int copy_cols(const sqlalc_orm_mapper *dm, void *dst, const size_t *df, const sqlalc_orm_mapper *sm,
                     const void *src, const size_t *sf, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        ov v, cur;
        if (src)
            ov_read(sm, src, sf[c], &v);
        else
            v = (ov){ 1, 0, 0.0, NULL };
        ov_read(dm, dst, df[c], &cur);
        if (!ov_equal(&v, &cur) && ov_write(dm, dst, df[c], &v) != SQLALC_OK)
            return SQLALC_ERR_NOMEM;
    }
    return SQLALC_OK;
}

/* Before m's rows are written: their foreign keys from the objects they
 * point at (now inserted, keys known) and from the parents holding them. */
static int sync_fks(sqlalc_session *s, group *g)
{
    const sqlalc_orm_mapper *m = g->m;
    for (size_t i = 0; i < g->n; i++) {
        ostate *st = g->items[i];
        for (size_t r = 0; r < m->nrels; r++) {
            orm_rel *rel = m->rels[r];
            if (!rel->local_fk || !st->rel_set[r])
                continue;
            void *t = *rel_ptr(rel, OBJ(st));
            if (t && !alive(ST(t)))
                t = NULL;
            if (copy_cols(m, OBJ(st), rel->lf, rel->target, t, rel->tf, rel->ncols) != SQLALC_OK)
                return SQLALC_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        ostate *p = s->objs[i];
        if (!alive(p))
            continue;
        for (size_t r = 0; r < p->m->nrels; r++) {
            orm_rel *rel = p->m->rels[r];
            if (rel->target != m || rel->local_fk || rel->secondary || !p->rel_loaded[r])
                continue;
            size_t n = rel->scalar ? 1 : rel_list(rel, OBJ(p))->count;
            for (size_t k = 0; k < n; k++) {
                void *c = rel->scalar ? *rel_ptr(rel, OBJ(p)) : rel_list(rel, OBJ(p))->items[k];
                if (!c || ST(c)->s != s || !alive(ST(c)))
                    continue;
                if (copy_cols(m, c, rel->tf, p->m, OBJ(p), rel->lf, rel->ncols) != SQLALC_OK)
                    return SQLALC_ERR_NOMEM;
            }
        }
    }
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

static char *pname(const char *prefix, const char *col, size_t a, size_t b)
{
    char buf[64];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s%zu_%zu_", prefix, a, b);
    size_t l = strlen(col);
    char *p = sqlalc_malloc(n + l + 1);
    if (!p) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(p, buf, n);
    memcpy(p + n, col, l + 1);
    return p;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        sqlalc_free(names[i]);
    sqlalc_free(names);
}

/* INSERT INTO t (cols) VALUES (:names row 0), (…row 1) … [RETURNING ret]. */
static sqlalc_stmt *build_insert(sqlalc_table *t, char **cols, size_t ncols, char **names, size_t rows,
                                 char **ret, size_t nret)
{
    sqlalc_kv small[16];
    sqlalc_kv *kv = ncols <= 16 ? small : sqlalc_malloc(ncols * sizeof *kv);
    if (!kv) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    sqlalc_stmt *st = ncols ? sqlalc_insert(t) : sqlalc_insert_default_values(t);
    for (size_t r = 0; r < rows && ncols && st; r++) {
        for (size_t c = 0; c < ncols; c++) {
            kv[c].column = cols[c];
            kv[c].value = sqlalc_bindparam_required(names[r * ncols + c]);
        }
        sqlalc_kvs l = { ncols, kv };
        st = sqlalc_values(st, l);
    }
    if (kv != small)
        sqlalc_free(kv);
    if (st && nret) {
        sqlalc_expr **e = sqlalc_malloc(nret * sizeof *e);
        if (!e) {
            sqlalc_stmt_free(st);
            orm_err(SQLALC_ERR_NOMEM, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < nret; i++)
            e[i] = sqlalc_c(t, ret[i]);
        sqlalc_exprs l = { nret, e };
        st = sqlalc_returning(st, l);
        sqlalc_free(e);
    }
    return st;
}

/* Which fields an INSERT leaves to the database: an autoincrement key
 * still 0 (or NULL), a NULL field with a server default. */
static void omit_mask(const sqlalc_orm_mapper *m, const void *obj, unsigned char *mask)
{
    for (size_t f = 0; f < m->nfields; f++) {
        ov v;
        ov_read(m, obj, f, &v);
        mask[f] = 0;
        if (m->generated[f] == 1)
            mask[f] = v.null || (!v.s && m->fields[f].kind != SQLALC_ORM_TEXT &&
                                 m->fields[f].kind != SQLALC_ORM_DOUBLE && v.i == 0);
        else if (m->generated[f] == 2)
            mask[f] = v.null;
    }
}

/* 1 when the dialect's compiler writes RETURNING (or OUTPUT), 0 when it
 * cannot, a negative code when asking failed (out of memory: not cached). */
static int insert_batch(sqlalc_session *s, const sqlalc_orm_mapper *m, ostate **objs, size_t n,
                        const unsigned char *mask);

static int supports_returning(sqlalc_session *s)
{
    if (s->returning >= 0)
        return s->returning;
    const sqlalc_dialect *d = sqlalc_find_dialect(sqlalc_engine_dialect_name(s->eng));
    if (!d)
        return sqlalc_error_last()->code;
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t =
        md ? sqlalc_table_new(md, "orm_probe", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY))
           : NULL;
    sqlalc_stmt *st = t ? sqlalc_returning(sqlalc_insert(t), SQLALC_COLS(sqlalc_c(t, "id"))) : NULL;
    sqlalc_compiled *c = NULL;
    int rc = st ? sqlalc_compile(st, d, SQLALC_PARAMSTYLE_QMARK, &c) : sqlalc_error_last()->code;
    if (!md)
        rc = SQLALC_ERR_NOMEM;
    if (rc == SQLALC_OK) {
        const char *sql = sqlalc_compiled_sql(c);
        s->returning = strstr(sql, "RETURNING") != NULL || strstr(sql, "OUTPUT") != NULL;
    } else if (rc == SQLALC_ERR_NOT_SUPPORTED) {
        s->returning = 0;
        sqlalc_error_clear();
    }
    sqlalc_compiled_free(c);
    sqlalc_stmt_free(st);
    sqlalc_metadata_free(md);
    return s->returning >= 0 ? s->returning : rc;
}

typedef struct ret_row {
    ov *v;
    int64_t sortkey;
} ret_row;

static int cmp_ret(const void *a, const void *b)
{
    const ret_row *x = a, *y = b;
    return x->sortkey < y->sortkey ? -1 : x->sortkey > y->sortkey;
}

/* Without RETURNING: the server defaults of a row just inserted, by its key. */
static int fetch_defaults(sqlalc_session *s, const sqlalc_orm_mapper *m, ostate *st,
                          const unsigned char *mask)
{
    size_t n = 0;
    for (size_t f = 0; f < m->nfields; f++)
        n += mask[f] && m->generated[f] == 2;
    if (!n)
        return SQLALC_OK;
    sqlalc_expr **cols = orm_zalloc(n * sizeof *cols);
    if (!cols)
        return SQLALC_ERR_NOMEM;
    size_t k = 0;
    for (size_t f = 0; f < m->nfields; f++)
        if (mask[f] && m->generated[f] == 2)
            cols[k++] = sqlalc_c(m->table, m->fields[f].column);
    sqlalc_exprs l = { n, cols };
    sqlalc_stmt *sel = sqlalc_select_cols(l);
    sqlalc_free(cols);
    for (size_t q = 0; q < m->npk && sel; q++) {
        ov v;
        ov_read(m, OBJ(st), m->pk[q], &v);
        sel = sqlalc_where(sel, sqlalc_eq(sqlalc_c(m->table, m->fields[m->pk[q]].column),
                                          sqlalc_value_expr(ov_value(m, m->pk[q], &v))));
    }
    if (!sel)
        return sqlalc_error_last()->code;
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute(s->conn, sel, NULL, &res);
    sqlalc_stmt_free(sel);
    if (rc == SQLALC_OK)
        rc = sqlalc_result_one(res, &row);
    k = 0;
    for (size_t f = 0; f < m->nfields && rc == SQLALC_OK; f++)
        if (mask[f] && m->generated[f] == 2) {
            sqlalc_value x;
            ov v;
            const char *t = NULL;
            rc = sqlalc_row_get_value(row, (int)k, &x);
            if (rc == SQLALC_OK && m->fields[f].kind == SQLALC_ORM_TEXT && x.type != SQLALC_V_NULL) {
                rc = sqlalc_row_get_text(row, (int)k, &t, NULL);
                v = (ov){ t == NULL, 0, 0.0, (char *)(uintptr_t)t };
            } else if (rc == SQLALC_OK) {
                rc = ov_from_value(m, f, &x, &v);
            }
            if (rc == SQLALC_OK)
                rc = ov_write(m, OBJ(st), f, &v);
            k++;
        }
    sqlalc_result_free(res);
    return rc;
}

/* INSERT the objects of one mask: executemany when nothing comes back,
 * else multi-row INSERT … RETURNING (or one INSERT each and the last
 * insert id where the dialect has no RETURNING). */
static int insert_batch(sqlalc_session *s, const sqlalc_orm_mapper *m, ostate **objs, size_t n,
                        const unsigned char *mask)
{
    size_t ncols = 0, nret = 0;
    char **cols = sqlalc_malloc(m->nfields * sizeof(char *));
    char **ret = sqlalc_malloc((m->nfields + m->npk) * sizeof(char *));
    size_t *cf = sqlalc_malloc(m->nfields * sizeof(size_t)),
           *rf = sqlalc_malloc((m->nfields + m->npk) * sizeof(size_t));
    int rc = SQLALC_OK;
    char **names = NULL;
    size_t nnames = 0;
    sqlalc_param *params = NULL;
    sqlalc_params *sets = NULL;
    if (!cols || !ret || !cf || !rf) {
        rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
        goto out;
    }
    int key_generated = 0;
    for (size_t f = 0; f < m->nfields; f++) {
        if (mask[f]) {
            ret[nret] = (char *)(uintptr_t)m->fields[f].column;
            rf[nret++] = f;
        } else {
            cols[ncols] = (char *)(uintptr_t)m->fields[f].column;
            cf[ncols++] = f;
        }
    }
    /* the key comes back too, to tell the rows apart */
    for (size_t k = 0; k < m->npk; k++) {
        if (mask[m->pk[k]]) {
            key_generated = 1;
            continue;
        }
        ret[nret] = (char *)(uintptr_t)m->fields[m->pk[k]].column;
        rf[nret++] = m->pk[k];
    }
    int any_omitted = 0;
    for (size_t f = 0; f < m->nfields; f++)
        any_omitted |= mask[f];

    if (!any_omitted) {
        /* the library's executemany: multi-row VALUES batches built by the compiler */
        if (!(names = sqlalc_malloc(ncols * sizeof(char *)))) {
            rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
            goto out;
        }
        nnames = ncols;
        memset(names, 0, ncols * sizeof(char *));
        for (size_t c = 0; c < ncols; c++)
            if (!(names[c] = orm_strdup(cols[c]))) {
                rc = SQLALC_ERR_NOMEM;
                goto out;
            }
        /* every column of the table: the plain INSERT, whose executemany
         * the compiler turns into multi-row batches */
        sqlalc_stmt *ins = ncols == sqlalc_table_column_count(m->table)
                               ? sqlalc_insert(m->table)
                               : build_insert(m->table, cols, ncols, names, 1, NULL, 0);
        params = sqlalc_malloc((n * ncols > 0 ? n * ncols : 1) * sizeof *params);
        sets = sqlalc_malloc(n * sizeof *sets);
        if (!ins || !params || !sets) {
            sqlalc_stmt_free(ins);
            rc = ins ? orm_err(SQLALC_ERR_NOMEM, "out of memory") : sqlalc_error_last()->code;
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t c = 0; c < ncols; c++) {
                ov v;
                ov_read(m, OBJ(objs[i]), cf[c], &v);
                params[i * ncols + c].name = names[c];
                params[i * ncols + c].value = ov_value(m, cf[c], &v);
            }
            sets[i].count = ncols;
            sets[i].items = params + i * ncols;
        }
        rc = sqlalc_conn_execute_many(s->conn, ins, sets, n, NULL);
        sqlalc_stmt_free(ins);
        goto out;
    }

    int has_ret = supports_returning(s);
    if (has_ret < 0) {
        rc = has_ret;
        goto out;
    }
    /* A table reading its key with SCOPE_IDENTITY() (OUTPUT fails on its
     * triggers): one INSERT per object RETURNING only the key, which the
     * mssql compiler turns into "INSERT …; select scope_identity()". */
    int scope = has_ret && sqlalc_table_mssql_scope_identity(m->table) && key_generated && m->npk == 1;
    if (!has_ret || scope) {
        /* one INSERT per object, the generated key by the last insert id */
        if (!(names = sqlalc_malloc((ncols ? ncols : 1) * sizeof(char *)))) {
            rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
            goto out;
        }
        nnames = ncols;
        memset(names, 0, (ncols ? ncols : 1) * sizeof(char *));
        for (size_t c = 0; c < ncols; c++)
            if (!(names[c] = orm_strdup(cols[c]))) {
                rc = SQLALC_ERR_NOMEM;
                goto out;
            }
        char *key = (char *)(uintptr_t)m->fields[m->pk[0]].column;
        sqlalc_stmt *ins = build_insert(m->table, cols, ncols, names, 1, scope ? &key : NULL, scope ? 1 : 0);
        params = sqlalc_malloc((ncols ? ncols : 1) * sizeof *params);
        if (!ins || !params) {
            sqlalc_stmt_free(ins);
            rc = ins ? orm_err(SQLALC_ERR_NOMEM, "out of memory") : sqlalc_error_last()->code;
            goto out;
        }
        for (size_t i = 0; i < n && rc == SQLALC_OK; i++) {
            for (size_t c = 0; c < ncols; c++) {
                ov v;
                ov_read(m, OBJ(objs[i]), cf[c], &v);
                params[c].name = names[c];
                params[c].value = ov_value(m, cf[c], &v);
            }
            sqlalc_params ps = { ncols, params };
            sqlalc_result *res = NULL;
            rc = sqlalc_conn_execute(s->conn, ins, &ps, &res);
            int64_t id = 0;
            if (rc == SQLALC_OK && scope) {
                const sqlalc_row *row;
                int step = sqlalc_result_next(res, &row);
                rc = step == SQLALC_ROW ? sqlalc_row_get_int64(row, 0, &id)
                     : step < 0         ? step
                                        : orm_err(SQLALC_ERR_INTERNAL, "INSERT into %s returned no key",
                                                  sqlalc_table_name(m->table));
            } else if (rc == SQLALC_OK && key_generated && m->npk == 1)
                rc = sqlalc_result_last_insert_id(res, &id);
            sqlalc_result_free(res);
            if (rc == SQLALC_OK && key_generated && m->npk == 1) {
                ov v = { 0, id, (double)id, NULL };
                rc = ov_write(m, OBJ(objs[i]), m->pk[0], &v);
                objs[i]->generated_set = 1;
            }
            if (rc == SQLALC_OK)
                rc = fetch_defaults(s, m, objs[i], mask);
        }
        sqlalc_stmt_free(ins);
        goto out;
    }

    /* multi-row INSERT … RETURNING, one statement per chunk of rows */
    size_t per = ncols ? PARAM_BUDGET / ncols : MAX_ROWS;
    if (per > MAX_ROWS)
        per = MAX_ROWS;
    if (!per)
        per = 1;
    if (!ncols)
        per = 1; /* DEFAULT VALUES takes one row */
    size_t full = n < per ? n : per;
    nnames = full * ncols;
    if (!(names = sqlalc_malloc((nnames ? nnames : 1) * sizeof(char *)))) {
        rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
        goto out;
    }
    memset(names, 0, (nnames ? nnames : 1) * sizeof(char *));
    for (size_t r = 0; r < full; r++)
        for (size_t c = 0; c < ncols; c++)
            if (!(names[r * ncols + c] = pname("p", cols[c], r, c))) {
                rc = SQLALC_ERR_NOMEM;
                goto out;
            }
    params = sqlalc_malloc((nnames ? nnames : 1) * sizeof *params);
    ret_row *rows = sqlalc_malloc(full * sizeof *rows);
    ov *vals = sqlalc_malloc(full * nret * sizeof(ov));
    sqlalc_stmt *chunk_stmt = build_insert(m->table, cols, ncols, names, full, ret, nret);
    if (!params || !rows || !vals || !chunk_stmt) {
        rc = chunk_stmt ? orm_err(SQLALC_ERR_NOMEM, "out of memory") : sqlalc_error_last()->code;
        if (rc == SQLALC_OK)
            rc = SQLALC_ERR_NOMEM;
        sqlalc_free(rows);
        sqlalc_free(vals);
        sqlalc_stmt_free(chunk_stmt);
        goto out;
    }
    memset(vals, 0, full * nret * sizeof(ov));
    int fallback = 0;
    for (size_t at = 0; at < n && rc == SQLALC_OK; at += full) {
        size_t cnt = n - at < full ? n - at : full;
        sqlalc_stmt *st = chunk_stmt;
        if (cnt != full && !(st = build_insert(m->table, cols, ncols, names, cnt, ret, nret))) {
            rc = sqlalc_error_last()->code;
            break;
        }
        for (size_t i = 0; i < cnt; i++)
            for (size_t c = 0; c < ncols; c++) {
                ov v;
                ov_read(m, OBJ(objs[at + i]), cf[c], &v);
                params[i * ncols + c].name = names[i * ncols + c];
                params[i * ncols + c].value = ov_value(m, cf[c], &v);
            }
        sqlalc_params ps = { cnt * ncols, params };
        sqlalc_result *res = NULL;
        /* Some drivers run INSERT … RETURNING but hand back no rows
         * (sqliteodbc): the first one runs in a savepoint, so the rows can
         * be written again the other way. */
        sqlalc_tx *sp = NULL;
        if (!s->returning_seen)
            rc = sqlalc_conn_begin_nested(s->conn, &sp);
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute(s->conn, st, &ps, &res);
        size_t got = 0;
        const sqlalc_row *row;
        int step = SQLALC_DONE;
        while (rc == SQLALC_OK && (step = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            if (got >= cnt) {
                rc = orm_err(SQLALC_ERR_INTERNAL, "INSERT … RETURNING into %s gave more rows than inserted",
                             sqlalc_table_name(m->table));
                break;
            }
            rows[got].v = vals + got * nret;
            rows[got].sortkey = (int64_t)got;
            for (size_t j = 0; j < nret && rc == SQLALC_OK; j++) {
                sqlalc_value x;
                ov *o = &rows[got].v[j];
                sqlalc_free(o->s);
                memset(o, 0, sizeof *o);
                rc = sqlalc_row_get_value(row, (int)j, &x);
                if (rc != SQLALC_OK)
                    break;
                if (x.type == SQLALC_V_NULL) {
                    o->null = 1;
                } else if (m->fields[rf[j]].kind == SQLALC_ORM_TEXT) {
                    const char *t;
                    rc = sqlalc_row_get_text(row, (int)j, &t, NULL);
                    if (rc == SQLALC_OK && !(o->s = orm_strdup(t ? t : "")))
                        rc = SQLALC_ERR_NOMEM;
                } else {
                    ov tmp;
                    rc = ov_from_value(m, rf[j], &x, &tmp);
                    *o = tmp;
                }
            }
            /* a generated key ascends in the order the rows were inserted,
             * whatever order RETURNING gives them back in (as SQLAlchemy's
             * insertmanyvalues sorts on its sentinel) */
            if (key_generated && m->npk == 1)
                for (size_t j = 0; j < nret; j++)
                    if (rf[j] == m->pk[0])
                        rows[got].sortkey = rows[got].v[j].i;
            got++;
        }
        if (rc == SQLALC_OK && step != SQLALC_DONE)
            rc = step;
        sqlalc_result_free(res);
        if (st != chunk_stmt)
            sqlalc_stmt_free(st);
        if (sp && rc == SQLALC_OK && got == 0) {
            rc = sqlalc_tx_rollback(sp);
            s->returning = 0;
            if (rc == SQLALC_OK)
                fallback = 1;
            break;
        }
        if (sp) {
            int rc2 = rc == SQLALC_OK ? sqlalc_tx_commit(sp) : sqlalc_tx_rollback(sp);
            if (rc == SQLALC_OK)
                rc = rc2;
            s->returning_seen = rc == SQLALC_OK;
        }
        if (rc == SQLALC_OK && got != cnt)
            rc = orm_err(SQLALC_ERR_INTERNAL, "INSERT … RETURNING into %s gave %zu rows for %zu",
                         sqlalc_table_name(m->table), got, cnt);
        if (rc != SQLALC_OK)
            break;
        if (key_generated)
            qsort(rows, cnt, sizeof *rows, cmp_ret);
        for (size_t i = 0; i < cnt && rc == SQLALC_OK; i++) {
            ostate *o = objs[at + i];
            if (!key_generated) {
                /* match the row by the key the object already has */
                o = NULL;
                for (size_t k = 0; k < cnt && !o; k++) {
                    int same = 1;
                    for (size_t j = 0; j < nret && same; j++)
                        if (mask[rf[j]] == 0) {
                            ov cur;
                            ov_read(m, OBJ(objs[at + k]), rf[j], &cur);
                            same = ov_equal(&cur, &rows[i].v[j]);
                        }
                    if (same)
                        o = objs[at + k];
                }
                if (!o)
                    continue;
            }
            for (size_t j = 0; j < nret && rc == SQLALC_OK; j++)
                if (mask[rf[j]])
                    rc = ov_write(m, OBJ(o), rf[j], &rows[i].v[j]);
            o->generated_set = 1;
        }
    }
    for (size_t i = 0; i < full * nret; i++)
        sqlalc_free(vals[i].s);
    sqlalc_free(vals);
    sqlalc_free(rows);
    sqlalc_stmt_free(chunk_stmt);
    if (fallback) {
        free_names(names, nnames);
        names = NULL;
        nnames = 0;
        rc = insert_batch(s, m, objs, n, mask); /* now without RETURNING */
    }
out:
    free_names(names, nnames);
    sqlalc_free(params);
    sqlalc_free(sets);
    sqlalc_free(cols);
    sqlalc_free(ret);
    sqlalc_free(cf);
    sqlalc_free(rf);
    return rc;
}

static int do_inserts(sqlalc_session *s, plan *p, group *g)
{
    const sqlalc_orm_mapper *m = g->m;
    size_t nnew = 0;
    ostate **news = sqlalc_malloc((g->n ? g->n : 1) * sizeof(void *));
    unsigned char *masks = sqlalc_malloc((g->n ? g->n : 1) * m->nfields);
    unsigned char *done = sqlalc_malloc(g->n ? g->n : 1);
    int rc = SQLALC_OK;
    if (!news || !masks || !done) {
        rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < g->n && rc == SQLALC_OK; i++) {
        ostate *st = g->items[i];
        if (st->status != OS_PENDING)
            continue;
        /* client defaults fill what is still NULL */
        for (size_t f = 0; f < m->nfields && rc == SQLALC_OK; f++)
            if (m->cdefault[f].type != SQLALC_V_NULL) {
                ov v;
                ov_read(m, OBJ(st), f, &v);
                if (v.null) {
                    ov d;
                    rc = ov_from_value(m, f, &m->cdefault[f], &d);
                    if (rc == SQLALC_OK)
                        rc = ov_write(m, OBJ(st), f, &d);
                }
            }
        omit_mask(m, OBJ(st), masks + nnew * m->nfields);
        done[nnew] = 0;
        news[nnew++] = st;
    }
    /* one batch per set of columns left to the database, in added order */
    ostate **batch = NULL;
    size_t nb = 0, capb = 0;
    for (size_t i = 0; i < nnew && rc == SQLALC_OK; i++) {
        if (done[i])
            continue;
        nb = 0;
        const unsigned char *mk = masks + i * m->nfields;
        for (size_t j = i; j < nnew && rc == SQLALC_OK; j++)
            if (!done[j] && !memcmp(mk, masks + j * m->nfields, m->nfields)) {
                done[j] = 1;
                rc = push(&batch, &nb, &capb, news[j]);
            }
        if (rc == SQLALC_OK)
            rc = insert_batch(s, m, batch, nb, mk);
        for (size_t j = 0; j < nb && rc == SQLALC_OK; j++)
            rc = push(&p->ins, &p->nins, &p->capins, batch[j]);
    }
    sqlalc_free(batch);
out:
    sqlalc_free(news);
    sqlalc_free(masks);
    sqlalc_free(done);
    return rc;
}

/* UPDATE of changed columns, objects with the same changes batched
 * through executemany; the WHERE uses the key as loaded. */
static int do_updates(sqlalc_session *s, plan *p, group *g)
{
    const sqlalc_orm_mapper *m = g->m;
    size_t nf = m->nfields;
    int rc = SQLALC_OK;
    ostate **dirty = NULL;
    size_t nd = 0, capd = 0;
    unsigned char *masks = NULL;
    size_t capm = 0;
    for (size_t i = 0; i < g->n && rc == SQLALC_OK; i++) {
        ostate *st = g->items[i];
        if (st->status != OS_PERSISTENT || !st->snap)
            continue;
        if (orm_grow((void **)&masks, &capm, (nd + 1) * nf, 1) != SQLALC_OK) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        int any = 0;
        for (size_t f = 0; f < nf; f++) {
            ov v;
            ov_read(m, OBJ(st), f, &v);
            masks[nd * nf + f] = !ov_equal(&v, &st->snap[f]);
            any |= masks[nd * nf + f];
        }
        if (any)
            rc = push(&dirty, &nd, &capd, st);
    }
    unsigned char *done = rc == SQLALC_OK ? sqlalc_malloc(nd ? nd : 1) : NULL;
    if (rc == SQLALC_OK && !done)
        rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
    if (done)
        memset(done, 0, nd ? nd : 1);
    for (size_t i = 0; i < nd && rc == SQLALC_OK; i++) {
        if (done[i])
            continue;
        const unsigned char *mk = masks + i * nf;
        size_t nset = 0;
        for (size_t f = 0; f < nf; f++)
            nset += mk[f];
        size_t np = nset + m->npk;
        char **names = sqlalc_malloc(np * sizeof(char *));
        sqlalc_kv *kv = sqlalc_malloc(nset * sizeof *kv);
        size_t *pf = sqlalc_malloc(np * sizeof(size_t));
        if (!names || !kv || !pf) {
            sqlalc_free(names);
            sqlalc_free(kv);
            sqlalc_free(pf);
            rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
            break;
        }
        memset(names, 0, np * sizeof(char *));
        size_t k = 0;
        for (size_t f = 0; f < nf && rc == SQLALC_OK; f++)
            if (mk[f]) {
                pf[k] = f;
                if (!(names[k] = pname("u", m->fields[f].column, 0, 0)))
                    rc = SQLALC_ERR_NOMEM;
                else {
                    kv[k].column = m->fields[f].column;
                    kv[k].value = sqlalc_bindparam_required(names[k]);
                }
                k++;
            }
        sqlalc_stmt *up = NULL;
        if (rc == SQLALC_OK) {
            sqlalc_kvs l = { nset, kv };
            up = sqlalc_values(sqlalc_update(m->table), l);
        } else {
            for (size_t j = 0; j < k; j++)
                if (names[j])
                    sqlalc_expr_free(kv[j].value);
        }
        for (size_t q = 0; q < m->npk && rc == SQLALC_OK; q++, k++) {
            pf[k] = m->pk[q];
            if (!(names[k] = pname("k", m->fields[m->pk[q]].column, 0, 0)))
                rc = SQLALC_ERR_NOMEM;
            else
                up = sqlalc_where(up, sqlalc_eq(sqlalc_c(m->table, m->fields[m->pk[q]].column),
                                                sqlalc_bindparam_required(names[k])));
        }
        if (rc == SQLALC_OK && !up)
            rc = sqlalc_error_last()->code;
        ostate **batch = NULL;
        size_t nb = 0, capb = 0;
        for (size_t j = i; j < nd && rc == SQLALC_OK; j++)
            if (!done[j] && !memcmp(mk, masks + j * nf, nf)) {
                done[j] = 1;
                rc = push(&batch, &nb, &capb, dirty[j]);
            }
        sqlalc_param *params = rc == SQLALC_OK ? sqlalc_malloc(nb * np * sizeof *params) : NULL;
        sqlalc_params *sets = rc == SQLALC_OK ? sqlalc_malloc(nb * sizeof *sets) : NULL;
        if (rc == SQLALC_OK && (!params || !sets))
            rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < nb && rc == SQLALC_OK; j++) {
            for (size_t c = 0; c < np; c++) {
                ov v;
                if (c < nset)
                    ov_read(m, OBJ(batch[j]), pf[c], &v);
                else
                    v = batch[j]->snap[pf[c]]; /* the key as the database has it */
                params[j * np + c].name = names[c];
                params[j * np + c].value = ov_value(m, pf[c], &v);
            }
            sets[j].count = np;
            sets[j].items = params + j * np;
        }
        if (rc == SQLALC_OK)
            rc = sqlalc_conn_execute_many(s->conn, up, sets, nb, NULL);
        for (size_t j = 0; j < nb && rc == SQLALC_OK; j++)
            rc = push(&p->upd, &p->nupd, &p->capupd, batch[j]);
        sqlalc_stmt_free(up);
        sqlalc_free(params);
        sqlalc_free(sets);
        sqlalc_free(batch);
        free_names(names, np);
        sqlalc_free(kv);
        sqlalc_free(pf);
    }
    sqlalc_free(done);
    sqlalc_free(dirty);
    sqlalc_free(masks);
    return rc;
}

/* DELETE FROM table WHERE cols = values, once per object (executemany). */
static int delete_where(sqlalc_session *s, sqlalc_table *t, char *const *cols, size_t ncols,
                        const sqlalc_orm_mapper *m, const size_t *fi, ostate **objs, size_t n, int use_snap,
                        char *const *cols2, const sqlalc_orm_mapper *m2, const size_t *fi2, ostate **objs2)
{
    if (!n)
        return SQLALC_OK;
    size_t np = ncols + (cols2 ? ncols : 0);
    char **names = sqlalc_malloc(np * sizeof(char *));
    sqlalc_param *params = sqlalc_malloc(n * np * sizeof *params);
    sqlalc_params *sets = sqlalc_malloc(n * sizeof *sets);
    int rc = SQLALC_OK;
    if (!names || !params || !sets) {
        sqlalc_free(names);
        sqlalc_free(params);
        sqlalc_free(sets);
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    }
    memset(names, 0, np * sizeof(char *));
    sqlalc_stmt *del = sqlalc_delete(t);
    for (size_t c = 0; c < np && rc == SQLALC_OK; c++) {
        const char *col = c < ncols ? cols[c] : cols2[c - ncols];
        if (!(names[c] = pname("d", col, c, 0)))
            rc = SQLALC_ERR_NOMEM;
        else
            del = sqlalc_where(del, sqlalc_eq(sqlalc_c(t, col), sqlalc_bindparam_required(names[c])));
    }
    if (rc == SQLALC_OK && !del)
        rc = sqlalc_error_last()->code;
    for (size_t j = 0; j < n && rc == SQLALC_OK; j++) {
        for (size_t c = 0; c < np; c++) {
            ov v;
            if (c < ncols) {
                if (use_snap && objs[j]->snap)
                    v = objs[j]->snap[fi[c]];
                else
                    ov_read(m, OBJ(objs[j]), fi[c], &v);
                params[j * np + c].value = ov_value(m, fi[c], &v);
            } else {
                ov_read(m2, OBJ(objs2[j]), fi2[c - ncols], &v);
                params[j * np + c].value = ov_value(m2, fi2[c - ncols], &v);
            }
            params[j * np + c].name = names[c];
        }
        sets[j].count = np;
        sets[j].items = params + j * np;
    }
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute_many(s->conn, del, sets, n, NULL);
    sqlalc_stmt_free(del);
    free_names(names, np);
    sqlalc_free(params);
    sqlalc_free(sets);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Association rows                                                    */
/* ------------------------------------------------------------------ */

static int canonical(orm_rel *r)
{
    orm_rel *b = rel_back(r);
    if (!b)
        return 1;
    return r->m->index < b->m->index || (r->m->index == b->m->index && r->index < b->index);
}

/* Rows of the secondary tables: the difference between each loaded
 * collection and the targets it had in the database, on one side of each
 * back-populated pair (the other is kept in step with it). */
static int do_m2m(sqlalc_session *s, int inserting)
{
    int rc = SQLALC_OK;
    for (size_t i = 0; i < s->n && rc == SQLALC_OK; i++) {
        ostate *st = s->objs[i];
        if (!alive(st) || (!inserting && st->status != OS_PERSISTENT))
            continue;
        for (size_t ri = 0; ri < st->m->nrels && rc == SQLALC_OK; ri++) {
            orm_rel *r = st->m->rels[ri];
            if (!r->secondary || !st->rel_loaded[ri] || !canonical(r))
                continue;
            sqlalc_orm_list *cur = rel_list(r, OBJ(st));
            sqlalc_orm_list empty = { 0, NULL, 0 };
            sqlalc_orm_list *was = st->rel_snap ? &st->rel_snap[ri] : &empty;
            ostate **as = NULL, **bs = NULL;
            size_t na = 0, capa = 0, nb = 0, capb = 0;
            sqlalc_orm_list *from = inserting ? cur : was, *other = inserting ? was : cur;
            for (size_t k = 0; k < from->count && rc == SQLALC_OK; k++) {
                ostate *t = ST(from->items[k]);
                if (list_has(other, from->items[k]))
                    continue;
                if (inserting ? !alive(t) : t->status != OS_PERSISTENT)
                    continue;
                rc = push(&as, &na, &capa, st);
                if (rc == SQLALC_OK)
                    rc = push(&bs, &nb, &capb, t);
            }
            if (rc == SQLALC_OK && na && inserting) {
                size_t nc = 2 * r->ncols;
                char **cols = sqlalc_malloc(nc * sizeof(char *));
                sqlalc_param *params = sqlalc_malloc(na * nc * sizeof *params);
                sqlalc_params *sets = sqlalc_malloc(na * sizeof *sets);
                if (!cols || !params || !sets)
                    rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
                sqlalc_stmt *ins = NULL;
                if (rc == SQLALC_OK) {
                    for (size_t c = 0; c < r->ncols; c++) {
                        cols[c] = r->sl[c];
                        cols[r->ncols + c] = r->st[c];
                    }
                    ins = build_insert(r->secondary, cols, nc, cols, 1, NULL, 0);
                    if (!ins)
                        rc = sqlalc_error_last()->code;
                }
                for (size_t j = 0; j < na && rc == SQLALC_OK; j++) {
                    for (size_t c = 0; c < r->ncols; c++) {
                        ov v;
                        ov_read(r->m, OBJ(as[j]), r->lf[c], &v);
                        params[j * nc + c].name = cols[c];
                        params[j * nc + c].value = ov_value(r->m, r->lf[c], &v);
                        ov_read(r->target, OBJ(bs[j]), r->tf[c], &v);
                        params[j * nc + r->ncols + c].name = cols[r->ncols + c];
                        params[j * nc + r->ncols + c].value = ov_value(r->target, r->tf[c], &v);
                    }
                    sets[j].count = nc;
                    sets[j].items = params + j * nc;
                }
                if (rc == SQLALC_OK)
                    rc = sqlalc_conn_execute_many(s->conn, ins, sets, na, NULL);
                sqlalc_stmt_free(ins);
                sqlalc_free(cols);
                sqlalc_free(params);
                sqlalc_free(sets);
            } else if (rc == SQLALC_OK && na) {
                rc = delete_where(s, r->secondary, r->sl, r->ncols, r->m, r->lf, as, na, 1, r->st, r->target,
                                  r->tf, bs);
            }
            sqlalc_free(as);
            sqlalc_free(bs);
        }
    }
    return rc;
}

/* The association rows of the objects being deleted, from every
 * many-to-many relationship of the registry that uses them. */
static int delete_assoc(sqlalc_session *s, group *g)
{
    const sqlalc_orm_mapper *m = g->m;
    const sqlalc_orm_registry *reg = m->reg;
    int rc = SQLALC_OK;
    for (size_t i = 0; i < reg->n && rc == SQLALC_OK; i++) {
        const sqlalc_orm_mapper *o = reg->mappers[i];
        for (size_t r = 0; r < o->nrels && rc == SQLALC_OK; r++) {
            orm_rel *rel = o->rels[r];
            if (!rel->secondary)
                continue;
            if (rel->m == m)
                rc = delete_where(s, rel->secondary, rel->sl, rel->ncols, m, rel->lf, g->del, g->ndel, 1,
                                  NULL, NULL, NULL, NULL);
            if (rc == SQLALC_OK && rel->target == m && !rel_back(rel))
                rc = delete_where(s, rel->secondary, rel->st, rel->ncols, m, rel->tf, g->del, g->ndel, 1,
                                  NULL, NULL, NULL, NULL);
        }
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Flush                                                               */
/* ------------------------------------------------------------------ */

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->m->reg != y->m->reg)
        return x->m->reg < y->m->reg ? -1 : 1;
    return x->m->rank - y->m->rank;
}

/* After a failed flush the transaction is gone: what earlier flushes of
 * it wrote is to be written again, and this flush's generated keys are
 * forgotten. */
static void undo_flush(sqlalc_session *s, plan *p)
{
    for (size_t i = 0; i < s->n; i++) {
        ostate *st = s->objs[i];
        const sqlalc_orm_mapper *m = st->m;
        if (st->generated_set || st->inserted_in_tx) {
            for (size_t k = 0; k < m->npk; k++)
                if (m->generated[m->pk[k]] == 1) {
                    ov z = { 0, 0, 0.0, NULL };
                    (void)ov_write(m, OBJ(st), m->pk[k], &z);
                }
            st->generated_set = 0;
        }
        if (st->inserted_in_tx) {
            idmap_del(&s->map, st);
            st_key_free(st);
            snap_free(st->snap, m->nfields);
            st->snap = NULL;
            st->status = OS_PENDING;
            st->inserted_in_tx = 0;
        }
        if (st->deleted_in_tx) {
            st->status = OS_PERSISTENT;
            st->marked_delete = 1;
            st->deleted_in_tx = 0;
            if (st->key)
                (void)idmap_put(&s->map, st);
        }
        if (st->base) {
            snap_free(st->snap, m->nfields);
            st->snap = st->base;
            st->base = NULL;
        }
    }
    (void)p;
    if (s->tx)
        (void)sqlalc_tx_rollback(s->tx);
    s->tx = NULL;
    sqlalc_conn_close(s->conn);
    s->conn = NULL;
}

static int finish(sqlalc_session *s, plan *p)
{
    /* memory first, so nothing below fails half-way */
    int rc = SQLALC_OK;
    for (size_t i = 0; i < p->nins && rc == SQLALC_OK; i++) {
        ostate *st = p->ins[i];
        ov *snap = snap_take(st->m, OBJ(st));
        if (!snap)
            return SQLALC_ERR_NOMEM;
        if ((rc = st_key_from_obj(st)) != SQLALC_OK) {
            snap_free(snap, st->m->nfields);
            return rc;
        }
        snap_free(st->snap, st->m->nfields);
        st->snap = snap;
        if ((rc = idmap_put(&s->map, st)) != SQLALC_OK)
            return rc;
        st->status = OS_PERSISTENT;
        st->inserted_in_tx = 1;
        st->generated_set = 0;
    }
    for (size_t i = 0; i < p->nupd; i++) {
        ostate *st = p->upd[i];
        ov *snap = snap_take(st->m, OBJ(st));
        if (!snap)
            return SQLALC_ERR_NOMEM;
        if (!st->base && !st->inserted_in_tx)
            st->base = st->snap; /* the committed state, for a rollback */
        else
            snap_free(st->snap, st->m->nfields);
        st->snap = snap;
        /* a changed key moves in the identity map */
        char *key;
        size_t klen;
        if (obj_key(st->m, OBJ(st), st->m->pk, st->m->npk, &key, &klen) == SQLALC_OK) {
            if (!st->key || klen != st->keylen || memcmp(key, st->key, klen)) {
                idmap_del(&s->map, st);
                if (st_key_set(st, key, klen) == SQLALC_OK)
                    (void)idmap_put(&s->map, st);
            }
            sqlalc_free(key);
        }
    }
    for (size_t g = 0; g < p->n; g++)
        for (size_t i = 0; i < p->g[g].ndel; i++) {
            ostate *st = p->g[g].del[i];
            idmap_del(&s->map, st);
            st->status = OS_DELETED;
            st->marked_delete = 0;
            st->deleted_in_tx = 1;
        }
    for (size_t i = 0; i < s->n; i++) {
        ostate *st = s->objs[i];
        memset(st->rel_set, 0, st->m->nrels ? st->m->nrels : 1);
        for (size_t r = 0; alive(st) && r < st->m->nrels; r++)
            if (st->m->rels[r]->secondary && st->rel_loaded[r] &&
                rel_snap_take(st, st->m->rels[r]) != SQLALC_OK)
                return SQLALC_ERR_NOMEM;
    }
    return SQLALC_OK;
}

int sess_flush(sqlalc_session *s)
{
    if (s->flushing)
        return SQLALC_OK;
    s->flushing = 1;
    plan p;
    memset(&p, 0, sizeof p);
    int rc = cascade_save(s);
    if (rc == SQLALC_OK)
        rc = cascade_delete(s);
    int work = 0;
    for (size_t i = 0; i < s->n && rc == SQLALC_OK; i++) {
        ostate *st = s->objs[i];
        if (st->status != OS_PENDING && st->status != OS_PERSISTENT)
            continue;
        group *g = group_of(&p, st->m);
        if (!g) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        if (st->marked_delete) {
            rc = push(&g->del, &g->ndel, &g->capdel, st);
            work = 1;
        } else {
            rc = push(&g->items, &g->n, &g->cap, st);
            if (st->status == OS_PENDING)
                work = 1;
            else if (!work) {
                work = sqlalc_orm_is_modified(OBJ(st));
                for (size_t r = 0; r < st->m->nrels && !work; r++) {
                    orm_rel *rel = st->m->rels[r];
                    work = st->rel_set[r];
                    if (!work && rel->secondary && st->rel_loaded[r]) {
                        /* a collection that differs from what the database has */
                        sqlalc_orm_list *cur = rel_list(rel, OBJ(st));
                        size_t was = st->rel_snap ? st->rel_snap[r].count : 0;
                        work = cur->count != was;
                        for (size_t k = 0; k < cur->count && !work; k++)
                            work = !list_has(&st->rel_snap[r], cur->items[k]);
                    }
                }
            }
        }
    }
    if (rc == SQLALC_OK && work) {
        for (size_t i = 0; i < p.n; i++)
            registry_rank(p.g[i].m->reg);
        qsort(p.g, p.n, sizeof *p.g, cmp_group);
        rc = sess_begin(s);
        for (size_t i = 0; i < p.n && rc == SQLALC_OK; i++) {
            rc = sync_fks(s, &p.g[i]);
            if (rc == SQLALC_OK)
                rc = do_inserts(s, &p, &p.g[i]);
            if (rc == SQLALC_OK)
                rc = do_updates(s, &p, &p.g[i]);
        }
        if (rc == SQLALC_OK)
            rc = do_m2m(s, 0);
        if (rc == SQLALC_OK)
            rc = do_m2m(s, 1);
        for (size_t i = p.n; i-- > 0 && rc == SQLALC_OK;) {
            group *g = &p.g[i];
            if (!g->ndel)
                continue;
            rc = delete_assoc(s, g);
            if (rc == SQLALC_OK) {
                char **cols = sqlalc_malloc(g->m->npk * sizeof(char *));
                if (!cols) {
                    rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
                    break;
                }
                for (size_t k = 0; k < g->m->npk; k++)
                    cols[k] = (char *)(uintptr_t)g->m->fields[g->m->pk[k]].column;
                rc = delete_where(s, g->m->table, cols, g->m->npk, g->m, g->m->pk, g->del, g->ndel, 1, NULL,
                                  NULL, NULL, NULL);
                sqlalc_free(cols);
            }
        }
        if (rc == SQLALC_OK)
            rc = finish(s, &p);
        if (rc != SQLALC_OK) {
            sqlalc_error_last(); /* keep the first error: undo only rolls back */
            undo_flush(s, &p);
        }
    }
    plan_free(&p);
    s->flushing = 0;
    return rc;
}

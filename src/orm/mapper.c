/* Registry, mappers, field access, identity keys, relationships' definition. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sqlalc/sys/plugin.h>
#include "orm_int.h"

int orm_err(int code, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return sqlalc_error_set(code, "%s", buf);
}

char *orm_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = sqlalc_malloc(n);
    if (!p) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(p, s, n);
    return p;
}

void *orm_zalloc(size_t n)
{
    void *p = sqlalc_malloc(n);
    if (!p) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memset(p, 0, n);
    return p;
}

void orm_exprs_free(sqlalc_exprs l)
{
    for (size_t i = 0; i < l.n; i++)
        sqlalc_expr_free(l.items[i]);
}

char *sqlalc_orm_strdup(const char *s)
{
    return orm_strdup(s);
}

int orm_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return SQLALC_OK;
    size_t nc = *cap ? *cap : 8;
    while (nc < need)
        nc *= 2;
    void *p = sqlalc_realloc(*arr, nc * elem);
    if (!p)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    *arr = p;
    *cap = nc;
    return SQLALC_OK;
}

int sqlalc_orm_set_text(char **field, const char *s)
{
    char *c = NULL;
    if (s && !(c = orm_strdup(s)))
        return SQLALC_ERR_NOMEM;
    sqlalc_free(*field);
    *field = c;
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */
/* ------------------------------------------------------------------ */

int list_add(sqlalc_orm_list *l, void *p)
{
    if (orm_grow((void **)&l->items, &l->capacity, l->count + 1, sizeof(void *)) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    l->items[l->count++] = p;
    return SQLALC_OK;
}

int list_has(const sqlalc_orm_list *l, const void *p)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i] == p)
            return 1;
    return 0;
}

void list_del(sqlalc_orm_list *l, const void *p)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i] == p) {
            memmove(l->items + i, l->items + i + 1, (l->count - i - 1) * sizeof(void *));
            l->count--;
            return;
        }
}

void sqlalc_orm_list_clear(sqlalc_orm_list *l)
{
    if (!l)
        return;
    sqlalc_free(l->items);
    l->items = NULL;
    l->count = l->capacity = 0;
}

/* ------------------------------------------------------------------ */
/* Field values                                                        */
/* ------------------------------------------------------------------ */

static int *null_flag(const sqlalc_orm_field *f, const void *obj)
{
    return f->null_offset == SQLALC_ORM_NO_FLAG ? NULL : (int *)(void *)((char *)obj + f->null_offset);
}

void ov_read(const sqlalc_orm_mapper *m, const void *obj, size_t fi, ov *out)
{
    const sqlalc_orm_field *f = &m->fields[fi];
    const char *p = (const char *)obj + f->offset;
    memset(out, 0, sizeof *out);
    int *nf = null_flag(f, obj);
    if (nf && *nf) {
        out->null = 1;
        return;
    }
    switch (f->kind) {
    case SQLALC_ORM_INT64: memcpy(&out->i, p, sizeof(int64_t)); break;
    case SQLALC_ORM_INT:
    case SQLALC_ORM_BOOL: {
        int v;
        memcpy(&v, p, sizeof v);
        out->i = f->kind == SQLALC_ORM_BOOL ? (v != 0) : v;
        break;
    }
    case SQLALC_ORM_DOUBLE: memcpy(&out->f, p, sizeof(double)); break;
    case SQLALC_ORM_TEXT:
        memcpy(&out->s, p, sizeof(char *));
        out->null = out->s == NULL;
        break;
    }
}

int ov_write(const sqlalc_orm_mapper *m, void *obj, size_t fi, const ov *v)
{
    const sqlalc_orm_field *f = &m->fields[fi];
    char *p = (char *)obj + f->offset;
    int *nf = null_flag(f, obj);
    if (nf)
        *nf = v->null;
    switch (f->kind) {
    case SQLALC_ORM_INT64: {
        int64_t x = v->null ? 0 : v->i;
        memcpy(p, &x, sizeof x);
        break;
    }
    case SQLALC_ORM_INT:
    case SQLALC_ORM_BOOL: {
        int x = v->null ? 0 : (int)v->i;
        memcpy(p, &x, sizeof x);
        break;
    }
    case SQLALC_ORM_DOUBLE: {
        double x = v->null ? 0.0 : v->f;
        memcpy(p, &x, sizeof x);
        break;
    }
    case SQLALC_ORM_TEXT: {
        char *old, *c = NULL;
        if (!v->null && !(c = orm_strdup(v->s ? v->s : "")))
            return SQLALC_ERR_NOMEM;
        memcpy(&old, p, sizeof old);
        sqlalc_free(old);
        memcpy(p, &c, sizeof c);
        break;
    }
    }
    return SQLALC_OK;
}

int ov_equal(const ov *a, const ov *b)
{
    if (a->null || b->null)
        return a->null == b->null;
    if (a->s || b->s)
        return a->s && b->s && !strcmp(a->s, b->s);
    return a->i == b->i && (a->f == b->f || (a->f != a->f && b->f != b->f));
}

sqlalc_value ov_value(const sqlalc_orm_mapper *m, size_t fi, const ov *v)
{
    sqlalc_value x;
    memset(&x, 0, sizeof x);
    if (v->null) {
        x.type = SQLALC_V_NULL;
        return x;
    }
    switch (m->fields[fi].kind) {
    case SQLALC_ORM_INT64:
    case SQLALC_ORM_INT:
        x.type = SQLALC_V_INT;
        x.u.i = v->i;
        break;
    case SQLALC_ORM_BOOL:
        x.type = SQLALC_V_BOOL;
        x.u.i = v->i;
        break;
    case SQLALC_ORM_DOUBLE:
        x.type = SQLALC_V_FLOAT;
        x.u.f = v->f;
        break;
    case SQLALC_ORM_TEXT:
        /* typed text where the column says so, so PostgreSQL gets a date as a date */
        switch (m->ctype[fi]) {
        case SQLALC_TYPE_NUMERIC: x.type = SQLALC_V_NUMERIC; break;
        case SQLALC_TYPE_DATE: x.type = SQLALC_V_DATE; break;
        case SQLALC_TYPE_TIME: x.type = SQLALC_V_TIME; break;
        case SQLALC_TYPE_DATETIME: x.type = SQLALC_V_DATETIME; break;
        default: x.type = SQLALC_V_TEXT;
        }
        x.u.s.p = v->s;
        x.u.s.len = SQLALC_NTS;
        break;
    }
    return x;
}

/* A value as the field's kind; text borrowed from v (NUL-terminated text
 * kinds only: len is honoured by copying through a scratch on write). */
int ov_from_value(const sqlalc_orm_mapper *m, size_t fi, const sqlalc_value *v, ov *out)
{
    memset(out, 0, sizeof *out);
    if (v->type == SQLALC_V_NULL || ((v->type >= SQLALC_V_TEXT && v->type != SQLALC_V_BOOL) && !v->u.s.p)) {
        out->null = 1;
        return SQLALC_OK;
    }
    const sqlalc_orm_field *f = &m->fields[fi];
    switch (f->kind) {
    case SQLALC_ORM_INT64:
    case SQLALC_ORM_INT:
    case SQLALC_ORM_BOOL:
        if (sqlalc_value_get_int64(v, &out->i) != SQLALC_OK)
            return orm_err(SQLALC_ERR_TYPE, "%s.%s: a %s value is not an integer", m->name, f->column,
                           sqlalc_vtype_name(v->type));
        if (f->kind == SQLALC_ORM_BOOL)
            out->i = out->i != 0;
        return SQLALC_OK;
    case SQLALC_ORM_DOUBLE:
        if (sqlalc_value_get_double(v, &out->f) != SQLALC_OK)
            return orm_err(SQLALC_ERR_TYPE, "%s.%s: a %s value is not a number", m->name, f->column,
                           sqlalc_vtype_name(v->type));
        return SQLALC_OK;
    case SQLALC_ORM_TEXT:
        if (v->type == SQLALC_V_INT || v->type == SQLALC_V_FLOAT || v->type == SQLALC_V_BOOL ||
            v->type == SQLALC_V_BLOB)
            return orm_err(SQLALC_ERR_TYPE, "%s.%s: a %s value is not text", m->name, f->column,
                           sqlalc_vtype_name(v->type));
        out->s = (char *)(uintptr_t)v->u.s.p;
        return SQLALC_OK;
    }
    return orm_err(SQLALC_ERR_ARGUMENT, "bad field kind");
}

/* A snapshot is one block: the values, then copies of their text. */
void snap_free(ov *snap, size_t n)
{
    (void)n;
    sqlalc_free(snap);
}

ov *snap_take(const sqlalc_orm_mapper *m, const void *obj)
{
    size_t text = 0, n = m->nfields;
    ov small[16], *vals = n <= 16 ? small : sqlalc_malloc(n * sizeof(ov));
    if (!vals) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        ov_read(m, obj, i, &vals[i]);
        if (vals[i].s)
            text += strlen(vals[i].s) + 1;
    }
    ov *s = sqlalc_malloc(n * sizeof(ov) + text);
    if (!s) {
        if (vals != small)
            sqlalc_free(vals);
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char *p = (char *)(s + n);
    for (size_t i = 0; i < n; i++) {
        s[i] = vals[i];
        if (vals[i].s) {
            size_t l = strlen(vals[i].s) + 1;
            memcpy(p, vals[i].s, l);
            s[i].s = p;
            p += l;
        }
    }
    if (vals != small)
        sqlalc_free(vals);
    return s;
}

long field_index(const sqlalc_orm_mapper *m, const char *column)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (!strcmp(m->fields[i].column, column))
            return (long)i;
    return -1;
}

/* Identity key: the mapper's address, then each value tagged by kind. */
int key_of_ovs_buf(const sqlalc_orm_mapper *m, const ov *vals, size_t n, char *buf, size_t cap, char **key,
                   size_t *len)
{
    size_t need = sizeof(void *) + 1;
    for (size_t i = 0; i < n; i++)
        need += 2 + sizeof(int64_t) + sizeof(double) + (vals[i].s ? strlen(vals[i].s) + 1 : 0);
    char *k = need <= cap ? buf : sqlalc_malloc(need), *p = k;
    if (!k)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    memcpy(p, &m, sizeof(void *));
    p += sizeof(void *);
    for (size_t i = 0; i < n; i++) {
        if (vals[i].null) {
            *p++ = 'N';
        } else if (vals[i].s) {
            size_t l = strlen(vals[i].s) + 1;
            *p++ = 'T';
            memcpy(p, vals[i].s, l);
            p += l;
        } else {
            *p++ = 'V';
            memcpy(p, &vals[i].i, sizeof(int64_t));
            p += sizeof(int64_t);
            memcpy(p, &vals[i].f, sizeof(double));
            p += sizeof(double);
        }
    }
    *key = k;
    *len = (size_t)(p - k);
    return SQLALC_OK;
}

int key_of_ovs(const sqlalc_orm_mapper *m, const ov *vals, size_t n, char **key, size_t *len)
{
    return key_of_ovs_buf(m, vals, n, NULL, 0, key, len);
}

void st_key_free(ostate *st)
{
    if (st->key != st->keybuf)
        sqlalc_free(st->key);
    st->key = NULL;
    st->keylen = 0;
}

int st_key_set(ostate *st, const char *key, size_t len)
{
    char *k = len <= sizeof st->keybuf ? st->keybuf : sqlalc_malloc(len);
    if (!k)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    if (k != key)
        memmove(k, key, len);
    if (st->key != st->keybuf && st->key != key)
        sqlalc_free(st->key);
    st->key = k;
    st->keylen = len;
    return SQLALC_OK;
}

/* The object's key into st (its inline buffer when it fits). */
int st_key_from_obj(ostate *st)
{
    char buf[sizeof st->keybuf], *key = NULL;
    size_t len;
    const sqlalc_orm_mapper *m = st->m;
    ov small[8] = { { 0, 0, 0.0, NULL } }, *vals = m->npk <= 8 ? small : sqlalc_malloc(m->npk * sizeof(ov));
    if (!vals)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < m->npk; i++)
        ov_read(m, OBJ(st), m->pk[i], &vals[i]);
    int rc = key_of_ovs_buf(m, vals, m->npk, buf, sizeof buf, &key, &len);
    if (vals != small)
        sqlalc_free(vals);
    if (rc == SQLALC_OK)
        rc = st_key_set(st, key, len);
    if (key != buf)
        sqlalc_free(key);
    return rc;
}

int obj_key(const sqlalc_orm_mapper *m, const void *obj, const size_t *fi, size_t n, char **key, size_t *len)
{
    ov small[8] = { { 0, 0, 0.0, NULL } }, *vals = n <= 8 ? small : sqlalc_malloc(n * sizeof(ov));
    if (!vals)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        ov_read(m, obj, fi[i], &vals[i]);
    int rc = key_of_ovs(m, vals, n, key, len);
    if (vals != small)
        sqlalc_free(vals);
    return rc;
}

void obj_free_fields(const sqlalc_orm_mapper *m, void *obj)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (m->fields[i].kind == SQLALC_ORM_TEXT) {
            char **p = (char **)(void *)((char *)obj + m->fields[i].offset);
            sqlalc_free(*p);
            *p = NULL;
        }
    for (size_t i = 0; i < m->nrels; i++)
        if (!m->rels[i]->scalar)
            sqlalc_orm_list_clear(rel_list(m->rels[i], obj));
}

/* ------------------------------------------------------------------ */
/* Registry and mappers                                                */
/* ------------------------------------------------------------------ */

sqlalc_orm_registry *sqlalc_orm_registry_new(void)
{
    sqlalc_orm_registry *r = orm_zalloc(sizeof *r);
    if (!r)
        return NULL;
    return r;
}

static void rel_destroy(orm_rel *r)
{
    if (!r)
        return;
    sqlalc_free(r->name);
    sqlalc_free(r->back_populates);
    sqlalc_free(r->lf);
    sqlalc_free(r->tf);
    for (size_t i = 0; r->sl && i < r->ncols; i++)
        sqlalc_free(r->sl[i]);
    for (size_t i = 0; r->st && i < r->ncols; i++)
        sqlalc_free(r->st[i]);
    sqlalc_free(r->sl);
    sqlalc_free(r->st);
    sqlalc_free(r);
}

static void mapper_destroy(sqlalc_orm_mapper *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->fields && i < m->nfields; i++)
        sqlalc_free((char *)(uintptr_t)m->fields[i].column);
    for (size_t i = 0; i < m->nrels; i++)
        rel_destroy(m->rels[i]);
    for (size_t i = 0; m->cdefault && i < m->nfields; i++)
        if (m->cdefault[i].type >= SQLALC_V_TEXT && m->cdefault[i].type != SQLALC_V_BOOL)
            sqlalc_free((char *)(uintptr_t)m->cdefault[i].u.s.p);
    sqlalc_free(m->rels);
    sqlalc_free(m->fields);
    sqlalc_free(m->ctype);
    sqlalc_free(m->generated);
    sqlalc_free(m->cdefault);
    sqlalc_free(m->pk);
    sqlalc_free(m->name);
    sqlalc_free(m);
}

void sqlalc_orm_registry_free(sqlalc_orm_registry *reg)
{
    if (!reg)
        return;
    for (size_t i = 0; i < reg->n; i++)
        mapper_destroy(reg->mappers[i]);
    sqlalc_free(reg->mappers);
    for (size_t i = 0; i < reg->nmd; i++)
        sqlalc_metadata_free(reg->owned_md[i]);
    sqlalc_free(reg->owned_md);
    sqlalc_free(reg);
}

sqlalc_orm_mapper *sqlalc_orm_registry_mapper(const sqlalc_orm_registry *reg, const char *name)
{
    for (size_t i = 0; reg && name && i < reg->n; i++)
        if (!strcmp(reg->mappers[i]->name, name))
            return reg->mappers[i];
    orm_err(SQLALC_ERR_NOT_FOUND, "no mapper named %s", name ? name : "(null)");
    return NULL;
}

size_t sqlalc_orm_registry_count(const sqlalc_orm_registry *reg)
{
    return reg ? reg->n : 0;
}

sqlalc_orm_mapper *sqlalc_orm_registry_mapper_at(const sqlalc_orm_registry *reg, size_t i)
{
    return reg && i < reg->n ? reg->mappers[i] : NULL;
}

const char *sqlalc_orm_mapper_name(const sqlalc_orm_mapper *m)
{
    return m ? m->name : NULL;
}

sqlalc_table *sqlalc_orm_mapper_table(const sqlalc_orm_mapper *m)
{
    return m ? m->table : NULL;
}

sqlalc_expr *sqlalc_orm_col(const sqlalc_orm_mapper *m, const char *column)
{
    if (!m) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_col: NULL mapper");
        return NULL;
    }
    return sqlalc_c(m->table, column);
}

sqlalc_orm_mapper *sqlalc_orm_map(sqlalc_orm_registry *reg, const char *name, sqlalc_table *table,
                                  size_t size, const sqlalc_orm_field *fields, size_t nfields)
{
    if (!reg || !name || !table || !fields || !nfields || !size) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_map: NULL or empty argument");
        return NULL;
    }
    for (size_t i = 0; i < reg->n; i++)
        if (!strcmp(reg->mappers[i]->name, name)) {
            orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_map: a mapper named %s exists", name);
            return NULL;
        }
    if (orm_grow((void **)&reg->mappers, &reg->cap, reg->n + 1, sizeof(void *)) != SQLALC_OK)
        return NULL;
    sqlalc_orm_mapper *m = orm_zalloc(sizeof *m);
    if (!m)
        return NULL;
    m->reg = reg;
    m->table = table;
    m->size = size;
    m->nfields = nfields;
    m->name = orm_strdup(name);
    m->fields = orm_zalloc(nfields * sizeof *m->fields);
    m->ctype = orm_zalloc(nfields * sizeof *m->ctype);
    m->generated = orm_zalloc(nfields * sizeof *m->generated);
    m->cdefault = orm_zalloc(nfields * sizeof *m->cdefault);
    size_t npk = sqlalc_table_pk_count(table);
    m->pk = orm_zalloc((npk ? npk : 1) * sizeof *m->pk);
    if (!m->name || !m->fields || !m->ctype || !m->generated || !m->cdefault || !m->pk) {
        mapper_destroy(m);
        return NULL;
    }
    for (size_t i = 0; i < nfields; i++) {
        const sqlalc_orm_field *f = &fields[i];
        sqlalc_expr *col = f->column ? sqlalc_table_column_by_name(table, f->column) : NULL;
        if (!col || f->kind < SQLALC_ORM_INT64 || f->kind > SQLALC_ORM_TEXT || f->offset >= size ||
            (f->null_offset != SQLALC_ORM_NO_FLAG && f->null_offset >= size)) {
            orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_map %s: field %zu (%s): %s", name, i,
                    f->column ? f->column : "(null)",
                    !col ? "no such column in the table" : "bad kind or offset");
            mapper_destroy(m);
            return NULL;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(m->fields[j].column, f->column)) {
                orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_map %s: column %s mapped twice", name, f->column);
                mapper_destroy(m);
                return NULL;
            }
        m->fields[i] = *f;
        m->fields[i].column = orm_strdup(f->column);
        if (!m->fields[i].column) {
            mapper_destroy(m);
            return NULL;
        }
        const sqlalc_type *t = sqlalc_column_type(col);
        m->ctype[i] = t ? sqlalc_type_get_kind(t) : SQLALC_TYPE_NULL;
        if (m->ctype[i] == SQLALC_TYPE_DOMAIN && sqlalc_type_domain_base(t))
            m->ctype[i] = sqlalc_type_get_kind(sqlalc_type_domain_base(t));
        m->generated[i] = sqlalc_column_autoincrement(col) ? 1 : sqlalc_column_server_default(col) ? 2 : 0;
        const sqlalc_value *d = sqlalc_column_default(col);
        if (d && d->type != SQLALC_V_NULL) {
            m->cdefault[i] = *d;
            if (d->type >= SQLALC_V_TEXT && d->type != SQLALC_V_BOOL && d->u.s.p) {
                size_t l = d->u.s.len == SQLALC_NTS ? strlen(d->u.s.p) : d->u.s.len;
                char *c = sqlalc_malloc(l + 1);
                if (!c) {
                    m->cdefault[i].type = SQLALC_V_NULL;
                    mapper_destroy(m);
                    orm_err(SQLALC_ERR_NOMEM, "out of memory");
                    return NULL;
                }
                memcpy(c, d->u.s.p, l);
                c[l] = 0;
                m->cdefault[i].u.s.p = c;
                m->cdefault[i].u.s.len = l;
            }
        }
    }
    for (size_t k = 0; k < npk; k++) {
        const char *cn = sqlalc_column_name(sqlalc_table_pk_column(table, k));
        long fi = field_index(m, cn);
        if (fi < 0) {
            orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_map %s: primary key column %s is not mapped", name, cn);
            mapper_destroy(m);
            return NULL;
        }
        m->pk[k] = (size_t)fi;
    }
    m->npk = npk;
    if (!npk) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_map %s: table %s has no primary key", name,
                sqlalc_table_name(table));
        mapper_destroy(m);
        return NULL;
    }
    m->index = reg->n;
    reg->mappers[reg->n++] = m;
    reg->ranked = 0;
    return m;
}

/* Foreign-key order of the mappers: a depth-first walk from each table to
 * the tables it references gives referenced tables the lower rank.  A
 * self-reference is ignored (rows then go in the order they were added),
 * a cycle is broken where the walk meets it. */
static int rank_of(sqlalc_orm_registry *reg, sqlalc_orm_mapper *m, int *mark, int *next)
{
    if (mark[m->index] == 2)
        return m->rank;
    if (mark[m->index] == 1)
        return -1;
    mark[m->index] = 1;
    size_t nfk = sqlalc_table_fk_count(m->table);
    for (size_t i = 0; i < nfk; i++) {
        sqlalc_table *t = sqlalc_table_fk_target(m->table, i);
        if (!t || t == m->table)
            continue;
        for (size_t j = 0; j < reg->n; j++)
            if (reg->mappers[j]->table == t)
                rank_of(reg, reg->mappers[j], mark, next);
    }
    mark[m->index] = 2;
    m->rank = (*next)++;
    return m->rank;
}

void registry_rank(sqlalc_orm_registry *reg)
{
    if (reg->ranked)
        return;
    int small[64], *mark = reg->n <= 64 ? small : sqlalc_malloc(reg->n * sizeof(int));
    if (!mark) { /* no memory: keep the order of declaration */
        for (size_t i = 0; i < reg->n; i++)
            reg->mappers[i]->rank = (int)i;
        return;
    }
    memset(mark, 0, reg->n * sizeof(int));
    int next = 0;
    for (size_t i = 0; i < reg->n; i++)
        rank_of(reg, reg->mappers[i], mark, &next);
    if (mark != small)
        sqlalc_free(mark);
    reg->ranked = 1;
}

/* ------------------------------------------------------------------ */
/* Objects                                                             */
/* ------------------------------------------------------------------ */

/* One block: header, the caller's struct, the relationship flags. */
ostate *obj_alloc(const sqlalc_orm_mapper *m)
{
    if (!atomic_load_explicit(&m->objects_made, memory_order_relaxed))
        atomic_store_explicit(&((sqlalc_orm_mapper *)(uintptr_t)m)->objects_made, 1, memory_order_relaxed);
    size_t nr = m->nrels ? m->nrels : 1;
    ostate *st = sqlalc_malloc(OHDR + m->size + 2 * nr);
    if (!st) {
        orm_err(SQLALC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memset(st, 0, OHDR + m->size);
    unsigned char *flags = (unsigned char *)st + OHDR + m->size;
    memset(flags, 1, nr); /* a new object's relationships are loaded: empty */
    memset(flags + nr, 0, nr);
    st->magic = OMAGIC;
    st->m = m;
    st->rel_loaded = flags;
    st->rel_set = flags + nr;
    return st;
}

static ostate *state_of(const void *obj)
{
    if (!obj)
        return NULL;
    ostate *st = ST(obj);
    return st->magic == OMAGIC ? st : NULL;
}

void *sqlalc_orm_new(const sqlalc_orm_mapper *m)
{
    if (!m) {
        orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_new: NULL mapper");
        return NULL;
    }
    ostate *st = obj_alloc(m);
    return st ? OBJ(st) : NULL;
}

void sqlalc_orm_free(void *obj)
{
    ostate *st = state_of(obj);
    if (!st || st->s)
        return; /* a session's objects are freed with it */
    obj_free_fields(st->m, obj);
    snap_free(st->snap, st->m->nfields);
    snap_free(st->base, st->m->nfields);
    st_key_free(st);
    st->magic = 0;
    sqlalc_free(st);
}

const sqlalc_orm_mapper *sqlalc_orm_mapper_of(const void *obj)
{
    ostate *st = state_of(obj);
    return st ? st->m : NULL;
}

int sqlalc_orm_get(const void *obj, const char *column, sqlalc_value *out)
{
    ostate *st = state_of(obj);
    if (!st || !column || !out)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_get: not an ORM object or NULL argument");
    long fi = field_index(st->m, column);
    if (fi < 0)
        return orm_err(SQLALC_ERR_NOT_FOUND, "%s has no mapped column %s", st->m->name, column);
    ov v;
    ov_read(st->m, obj, (size_t)fi, &v);
    *out = ov_value(st->m, (size_t)fi, &v);
    return SQLALC_OK;
}

int sqlalc_orm_set(void *obj, const char *column, sqlalc_value v)
{
    ostate *st = state_of(obj);
    if (!st || !column)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_set: not an ORM object or NULL argument");
    long fi = field_index(st->m, column);
    if (fi < 0)
        return orm_err(SQLALC_ERR_NOT_FOUND, "%s has no mapped column %s", st->m->name, column);
    ov x;
    char *tmp = NULL;
    if (v.type >= SQLALC_V_TEXT && v.type != SQLALC_V_BOOL && v.u.s.p && v.u.s.len != SQLALC_NTS) {
        /* a counted string: make it NUL-terminated */
        tmp = sqlalc_malloc(v.u.s.len + 1);
        if (!tmp)
            return orm_err(SQLALC_ERR_NOMEM, "out of memory");
        memcpy(tmp, v.u.s.p, v.u.s.len);
        tmp[v.u.s.len] = 0;
        v.u.s.p = tmp;
    }
    int rc = ov_from_value(st->m, (size_t)fi, &v, &x);
    if (rc == SQLALC_OK)
        rc = ov_write(st->m, obj, (size_t)fi, &x);
    sqlalc_free(tmp);
    return rc;
}

int64_t sqlalc_orm_get_int64(const void *obj, const char *column)
{
    sqlalc_value v;
    int64_t i = 0;
    if (sqlalc_orm_get(obj, column, &v) == SQLALC_OK && v.type != SQLALC_V_NULL)
        (void)sqlalc_value_get_int64(&v, &i);
    return i;
}

const char *sqlalc_orm_get_text(const void *obj, const char *column)
{
    sqlalc_value v;
    if (sqlalc_orm_get(obj, column, &v) != SQLALC_OK || v.type == SQLALC_V_NULL)
        return NULL;
    if (v.type == SQLALC_V_INT || v.type == SQLALC_V_FLOAT || v.type == SQLALC_V_BOOL)
        return NULL;
    return v.u.s.p;
}

int sqlalc_orm_is_modified(const void *obj)
{
    ostate *st = state_of(obj);
    if (!st || !st->snap || st->status != OS_PERSISTENT)
        return 0;
    for (size_t i = 0; i < st->m->nfields; i++) {
        ov v;
        ov_read(st->m, obj, i, &v);
        if (!ov_equal(&v, &st->snap[i]))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Relationship definitions                                            */
/* ------------------------------------------------------------------ */

orm_rel *rel_find(const sqlalc_orm_mapper *m, const char *name)
{
    for (size_t i = 0; m && name && i < m->nrels; i++)
        if (!strcmp(m->rels[i]->name, name))
            return m->rels[i];
    return NULL;
}

orm_rel *rel_back(orm_rel *r)
{
    if (!r->back_resolved) {
        r->back_resolved = 1;
        r->back = r->back_populates ? rel_find(r->target, r->back_populates) : NULL;
    }
    return r->back;
}

void **rel_ptr(orm_rel *r, void *obj)
{
    return (void **)(void *)((char *)obj + r->offset);
}

sqlalc_orm_list *rel_list(orm_rel *r, void *obj)
{
    return (sqlalc_orm_list *)(void *)((char *)obj + r->offset);
}

static int same_table(const char *schema, const char *name, const sqlalc_table *t)
{
    const char *ts = sqlalc_table_schema(t);
    if (strcmp(name, sqlalc_table_name(t)))
        return 0;
    return (!schema && !ts) || (schema && ts && !strcmp(schema, ts)) || !schema || !ts;
}

/* "a, b" == the list l (in order) */
static int cols_match(const char *spec, const sqlalc_strlist *l)
{
    const char *p = spec;
    for (size_t i = 0; i < l->count; i++) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strlen(l->items[i]);
        if (strncmp(p, l->items[i], n) || (p[n] && p[n] != ',' && p[n] != ' '))
            return 0;
        p += n;
    }
    while (*p == ' ' || *p == ',')
        p++;
    return *p == 0;
}

/* The foreign key of `from` referring to table `to` (chosen by spec when
 * several), or NULL. */
static const sqlalc_fk_info *find_fk(const sqlalc_table_info *from, const sqlalc_table *to, const char *spec,
                                     int *count)
{
    const sqlalc_fk_info *found = NULL;
    *count = 0;
    for (size_t i = 0; i < from->nfks; i++) {
        const sqlalc_fk_info *fk = &from->fks[i];
        if (!same_table(fk->referred_schema, fk->referred_table, to))
            continue;
        if (spec && !cols_match(spec, &fk->columns) && !cols_match(spec, &fk->referred_columns))
            continue;
        if (!found)
            found = fk;
        (*count)++;
    }
    return found;
}

static int map_cols(const sqlalc_orm_mapper *m, const sqlalc_strlist *cols, size_t *out, const char *rel)
{
    for (size_t i = 0; i < cols->count; i++) {
        long fi = field_index(m, cols->items[i]);
        if (fi < 0)
            return orm_err(SQLALC_ERR_ARGUMENT, "relationship %s: column %s of %s is not mapped", rel,
                           cols->items[i], m->name);
        out[i] = (size_t)fi;
    }
    return SQLALC_OK;
}

static int copy_names(const sqlalc_strlist *l, char ***out)
{
    *out = sqlalc_malloc(l->count * sizeof(char *));
    if (!*out)
        return orm_err(SQLALC_ERR_NOMEM, "out of memory");
    memset(*out, 0, l->count * sizeof(char *));
    for (size_t i = 0; i < l->count; i++)
        if (!((*out)[i] = orm_strdup(l->items[i])))
            return SQLALC_ERR_NOMEM;
    return SQLALC_OK;
}

int sqlalc_orm_relationship(sqlalc_orm_mapper *m, const char *name, sqlalc_orm_rel_kind kind,
                            sqlalc_orm_mapper *target, size_t offset, const sqlalc_orm_rel_options *opts)
{
    if (!m || !name || !target || kind < SQLALC_ORM_MANY_TO_ONE || kind > SQLALC_ORM_MANY_TO_MANY)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_relationship: NULL or bad argument");
    if (rel_find(m, name) || field_index(m, name) >= 0)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_relationship: %s already has an attribute %s",
                       m->name, name);
    if (atomic_load_explicit(&m->objects_made, memory_order_relaxed))
        return orm_err(SQLALC_ERR_INTERFACE,
                       "relationship %s.%s: objects of %s exist; declare relationships before making objects",
                       m->name, name, m->name);
    int scalar = kind == SQLALC_ORM_MANY_TO_ONE || kind == SQLALC_ORM_ONE_TO_ONE;
    if (offset + (scalar ? sizeof(void *) : sizeof(sqlalc_orm_list)) > m->size)
        return orm_err(SQLALC_ERR_ARGUMENT, "relationship %s.%s: offset beyond the struct", m->name, name);
    sqlalc_orm_rel_options o = { SQLALC_ORM_REL_OPTIONS_VERSION, NULL, NULL, 0, NULL };
    if (opts)
        o = *opts;
    if (kind == SQLALC_ORM_MANY_TO_MANY && !o.secondary)
        return orm_err(SQLALC_ERR_ARGUMENT, "relationship %s.%s: MANY_TO_MANY needs a secondary table",
                       m->name, name);
    if (orm_grow((void **)&m->rels, &(size_t){ m->nrels }, m->nrels + 1, sizeof(void *)) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    orm_rel *r = orm_zalloc(sizeof *r);
    if (!r)
        return SQLALC_ERR_NOMEM;
    r->kind = kind;
    r->scalar = scalar;
    r->m = m;
    r->target = target;
    r->offset = offset;
    r->cascade = o.cascade ? o.cascade : SQLALC_ORM_CASCADE_SAVE;
    if (r->cascade & SQLALC_ORM_CASCADE_NONE)
        r->cascade &= ~(SQLALC_ORM_CASCADE_SAVE | SQLALC_ORM_CASCADE_NONE);
    r->name = orm_strdup(name);
    if (!r->name || (o.back_populates && !(r->back_populates = orm_strdup(o.back_populates)))) {
        rel_destroy(r);
        return SQLALC_ERR_NOMEM;
    }
    sqlalc_table_info *li = NULL, *ti = NULL, *si = NULL;
    int rc = sqlalc_table_describe(m->table, NULL, &li);
    if (rc == SQLALC_OK)
        rc = sqlalc_table_describe(target->table, NULL, &ti);
    if (rc == SQLALC_OK && o.secondary)
        rc = sqlalc_table_describe(o.secondary, NULL, &si);
    int count = 0;
    if (rc == SQLALC_OK && kind == SQLALC_ORM_MANY_TO_MANY) {
        int c2 = 0;
        const sqlalc_fk_info *a = find_fk(si, m->table, NULL, &count);
        const sqlalc_fk_info *b = NULL;
        /* a self-referential secondary: the first key is ours, the next the target's */
        if (a && m->table == target->table) {
            for (size_t i = 0; i < si->nfks; i++)
                if (&si->fks[i] != a &&
                    same_table(si->fks[i].referred_schema, si->fks[i].referred_table, target->table))
                    b = &si->fks[i];
            c2 = b ? 1 : 0;
        } else {
            b = find_fk(si, target->table, NULL, &c2);
        }
        if (!a || !b || a->columns.count != b->columns.count)
            rc = orm_err(SQLALC_ERR_ARGUMENT,
                         "relationship %s.%s: secondary table %s needs a foreign key to %s and one to %s",
                         m->name, name, sqlalc_table_name(o.secondary), sqlalc_table_name(m->table),
                         sqlalc_table_name(target->table));
        else {
            r->ncols = a->columns.count;
            r->secondary = o.secondary;
            r->lf = sqlalc_malloc(r->ncols * sizeof(size_t));
            r->tf = sqlalc_malloc(r->ncols * sizeof(size_t));
            if (!r->lf || !r->tf)
                rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
            if (rc == SQLALC_OK)
                rc = map_cols(m, &a->referred_columns, r->lf, name);
            if (rc == SQLALC_OK)
                rc = map_cols(target, &b->referred_columns, r->tf, name);
            if (rc == SQLALC_OK)
                rc = copy_names(&a->columns, &r->sl);
            if (rc == SQLALC_OK)
                rc = copy_names(&b->columns, &r->st);
        }
    } else if (rc == SQLALC_OK) {
        /* which side holds the key: MANY_TO_ONE local, ONE_TO_MANY target,
         * ONE_TO_ONE the target when it refers to us, else local */
        const sqlalc_fk_info *fk = NULL;
        if (kind == SQLALC_ORM_ONE_TO_MANY || kind == SQLALC_ORM_ONE_TO_ONE)
            fk = find_fk(ti, m->table, o.foreign_keys, &count);
        if (fk && m->table == target->table && kind == SQLALC_ORM_ONE_TO_ONE)
            fk = NULL;
        if (fk) {
            r->local_fk = 0;
        } else if (kind == SQLALC_ORM_MANY_TO_ONE || kind == SQLALC_ORM_ONE_TO_ONE) {
            fk = find_fk(li, target->table, o.foreign_keys, &count);
            r->local_fk = 1;
        }
        if (!fk)
            rc = orm_err(SQLALC_ERR_ARGUMENT, "relationship %s.%s: no foreign key between %s and %s", m->name,
                         name, sqlalc_table_name(m->table), sqlalc_table_name(target->table));
        else if (count > 1)
            rc = orm_err(SQLALC_ERR_ARGUMENT,
                         "relationship %s.%s: %d foreign keys between %s and %s; say which in foreign_keys",
                         m->name, name, count, sqlalc_table_name(m->table), sqlalc_table_name(target->table));
        else {
            r->ncols = fk->columns.count;
            r->lf = sqlalc_malloc(r->ncols * sizeof(size_t));
            r->tf = sqlalc_malloc(r->ncols * sizeof(size_t));
            if (!r->lf || !r->tf)
                rc = orm_err(SQLALC_ERR_NOMEM, "out of memory");
            else if (r->local_fk) {
                rc = map_cols(m, &fk->columns, r->lf, name);
                if (rc == SQLALC_OK)
                    rc = map_cols(target, &fk->referred_columns, r->tf, name);
            } else {
                rc = map_cols(m, &fk->referred_columns, r->lf, name);
                if (rc == SQLALC_OK)
                    rc = map_cols(target, &fk->columns, r->tf, name);
            }
        }
    }
    sqlalc_table_info_free(li);
    sqlalc_table_info_free(ti);
    sqlalc_table_info_free(si);
    if (rc != SQLALC_OK) {
        rel_destroy(r);
        return rc;
    }
    r->index = m->nrels;
    m->rels[m->nrels++] = r;
    return SQLALC_OK;
}

size_t sqlalc_orm_mapper_rel_count(const sqlalc_orm_mapper *m)
{
    return m ? m->nrels : 0;
}

const char *sqlalc_orm_mapper_rel_name(const sqlalc_orm_mapper *m, size_t i)
{
    return m && i < m->nrels ? m->rels[i]->name : NULL;
}

sqlalc_orm_rel_kind sqlalc_orm_mapper_rel_kind(const sqlalc_orm_mapper *m, size_t i)
{
    return m && i < m->nrels ? m->rels[i]->kind : (sqlalc_orm_rel_kind)0;
}

const sqlalc_orm_mapper *sqlalc_orm_mapper_rel_target(const sqlalc_orm_mapper *m, size_t i)
{
    return m && i < m->nrels ? m->rels[i]->target : NULL;
}

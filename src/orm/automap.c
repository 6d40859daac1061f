/* Automap: mappers over generic records from a reflected database, with
 * relationships from its foreign keys (SQLAlchemy's automap_base). */
#include <ctype.h>
#include <stdio.h>
#include "orm_int.h"

/* One column of a record: the value, then its null flag. */
typedef struct slot {
    union {
        int64_t i;
        double f;
        char *s;
    } v;
    int null;
} slot;

/* A relationship slot holds a list or a pointer. */
#define REL_SLOT sizeof(sqlalc_orm_list)

typedef struct planned {
    sqlalc_table *from, *to; /* the relationship's owner and target */
    sqlalc_orm_rel_kind kind;
    char name[384];
    char back[384];
    char fk[256]; /* foreign_keys spec */
    sqlalc_table *secondary;
} planned;

static void lower_into(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = 0;
}

static sqlalc_orm_kind kind_of(const sqlalc_type *t)
{
    sqlalc_type_kind k = t ? sqlalc_type_get_kind(t) : SQLALC_TYPE_NULL;
    if (k == SQLALC_TYPE_DOMAIN && sqlalc_type_domain_base(t))
        k = sqlalc_type_get_kind(sqlalc_type_domain_base(t));
    switch (k) {
    case SQLALC_TYPE_INTEGER:
    case SQLALC_TYPE_SMALLINT:
    case SQLALC_TYPE_BIGINT: return SQLALC_ORM_INT64;
    case SQLALC_TYPE_FLOAT:
    case SQLALC_TYPE_REAL:
    case SQLALC_TYPE_DOUBLE: return SQLALC_ORM_DOUBLE;
    case SQLALC_TYPE_BOOLEAN: return SQLALC_ORM_BOOL;
    default: return SQLALC_ORM_TEXT; /* NUMERIC stays exact as text */
    }
}

static sqlalc_table *find_table(sqlalc_metadata *md, const sqlalc_fk_info *fk)
{
    return fk->referred_schema ? sqlalc_metadata_table_in(md, fk->referred_schema, fk->referred_table)
                               : sqlalc_metadata_table(md, fk->referred_table);
}

/* "a, b" of a list of names */
static void join_names(char *dst, size_t n, const sqlalc_strlist *l)
{
    dst[0] = 0;
    for (size_t i = 0; i < l->count; i++)
        snprintf(dst + strlen(dst), n - strlen(dst), "%s%s", i ? ", " : "", l->items[i]);
}

/* A pure association table: two foreign keys, every column in one. */
static int is_association(const sqlalc_table_info *ti)
{
    if (ti->nfks != 2)
        return 0;
    for (size_t c = 0; c < ti->ncolumns; c++)
        if (!sqlalc_strlist_contains(&ti->fks[0].columns, ti->columns[c].name) &&
            !sqlalc_strlist_contains(&ti->fks[1].columns, ti->columns[c].name))
            return 0;
    return 1;
}

static int grow_plan(planned **p, size_t *n, size_t *cap)
{
    if (orm_grow((void **)p, cap, *n + 1, sizeof(planned)) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    memset(&(*p)[*n], 0, sizeof(planned));
    (*n)++;
    return SQLALC_OK;
}

/* Name rel on table t unique among its columns and planned relationships. */
static void unique_name(char *name, size_t n, const sqlalc_table *t, const planned *p, size_t np)
{
    for (int round = 0; round < 100; round++) {
        int clash = sqlalc_table_column_by_name(t, name) != NULL;
        for (size_t i = 0; i < np && !clash; i++)
            clash = p[i].from == t && !strcmp(p[i].name, name);
        if (!clash)
            break;
        size_t l = strlen(name);
        if (l + 2 < n)
            snprintf(name + l, n - l, "_");
    }
    sqlalc_error_clear();
}

int sqlalc_orm_automap(sqlalc_orm_registry *reg, sqlalc_engine *eng, const char *schema)
{
    if (!reg || !eng)
        return orm_err(SQLALC_ERR_ARGUMENT, "sqlalc_orm_automap: NULL registry or engine");
    if (orm_grow((void **)&reg->owned_md, &(size_t){ reg->nmd }, reg->nmd + 1, sizeof(void *)) != SQLALC_OK)
        return SQLALC_ERR_NOMEM;
    sqlalc_metadata *md = sqlalc_metadata_new();
    if (!md)
        return SQLALC_ERR_NOMEM;
    reg->owned_md[reg->nmd++] = md;
    sqlalc_reflect_options ro = SQLALC_REFLECT_OPTIONS_INIT;
    ro.schema = schema;
    int rc = sqlalc_metadata_reflect(md, eng, &ro);
    if (rc != SQLALC_OK)
        return rc;
    size_t nt = sqlalc_metadata_table_count(md);
    sqlalc_table_info **info = orm_zalloc((nt ? nt : 1) * sizeof *info);
    if (!info)
        return SQLALC_ERR_NOMEM;
    planned *plan = NULL;
    size_t np = 0, capp = 0;
    for (size_t i = 0; i < nt && rc == SQLALC_OK; i++)
        rc = sqlalc_table_describe(sqlalc_metadata_table_at(md, i), NULL, &info[i]);

    /* relationships first: they size the records */
    for (size_t i = 0; i < nt && rc == SQLALC_OK; i++) {
        sqlalc_table *t = sqlalc_metadata_table_at(md, i);
        const sqlalc_table_info *ti = info[i];
        if (is_association(ti)) {
            sqlalc_table *a = find_table(md, &ti->fks[0]), *b = find_table(md, &ti->fks[1]);
            if (!a || !b || !sqlalc_table_pk_count(a) || !sqlalc_table_pk_count(b))
                continue;
            char la[96], lb[96];
            lower_into(la, sizeof la, sqlalc_table_name(a));
            lower_into(lb, sizeof lb, sqlalc_table_name(b));
            if ((rc = grow_plan(&plan, &np, &capp)) != SQLALC_OK)
                break;
            planned *x = &plan[np - 1];
            x->from = a, x->to = b, x->kind = SQLALC_ORM_MANY_TO_MANY, x->secondary = t;
            snprintf(x->name, sizeof x->name, "%s_collection", lb);
            unique_name(x->name, sizeof x->name, a, plan, np - 1);
            if (a == b)
                continue; /* self-referential: one side */
            if ((rc = grow_plan(&plan, &np, &capp)) != SQLALC_OK)
                break;
            planned *y = &plan[np - 1];
            x = &plan[np - 2];
            y->from = b, y->to = a, y->kind = SQLALC_ORM_MANY_TO_MANY, y->secondary = t;
            snprintf(y->name, sizeof y->name, "%s_collection", la);
            unique_name(y->name, sizeof y->name, b, plan, np - 1);
            memcpy(x->back, y->name, sizeof x->back);
            memcpy(y->back, x->name, sizeof y->back);
            continue;
        }
        if (!sqlalc_table_pk_count(t))
            continue;
        for (size_t f = 0; f < ti->nfks && rc == SQLALC_OK; f++) {
            const sqlalc_fk_info *fk = &ti->fks[f];
            sqlalc_table *r = find_table(md, fk);
            if (!r || !sqlalc_table_pk_count(r))
                continue;
            int several = 0;
            for (size_t g = 0; g < ti->nfks; g++)
                if (g != f && find_table(md, &ti->fks[g]) == r)
                    several = 1;
            char lt[96], lr[96], col[128];
            lower_into(lt, sizeof lt, sqlalc_table_name(t));
            lower_into(lr, sizeof lr, sqlalc_table_name(r));
            /* a second key between the same tables: named after its column */
            lower_into(col, sizeof col, fk->columns.count ? fk->columns.items[0] : "");
            size_t cl = strlen(col);
            if (cl > 3 && !strcmp(col + cl - 3, "_id"))
                col[cl - 3] = 0;
            if ((rc = grow_plan(&plan, &np, &capp)) != SQLALC_OK ||
                (rc = grow_plan(&plan, &np, &capp)) != SQLALC_OK)
                break;
            planned *x = &plan[np - 2], *y = &plan[np - 1];
            x->from = t, x->to = r, x->kind = SQLALC_ORM_MANY_TO_ONE;
            y->from = r, y->to = t, y->kind = SQLALC_ORM_ONE_TO_MANY;
            snprintf(x->name, sizeof x->name, "%s", several ? col : lr);
            if (several)
                snprintf(y->name, sizeof y->name, "%s_collection_%s", lt, col);
            else
                snprintf(y->name, sizeof y->name, "%s_collection", lt);
            unique_name(x->name, sizeof x->name, t, plan, np - 2);
            unique_name(y->name, sizeof y->name, r, plan, np - 1);
            if (r == t && !strcmp(x->name, y->name))
                snprintf(y->name + strlen(y->name), sizeof y->name - strlen(y->name), "_");
            memcpy(x->back, y->name, sizeof x->back);
            memcpy(y->back, x->name, sizeof y->back);
            join_names(x->fk, sizeof x->fk, &fk->columns);
            memcpy(y->fk, x->fk, sizeof y->fk);
        }
    }

    /* one mapper per table with a key (association tables excepted) */
    size_t first = reg->n;
    for (size_t i = 0; i < nt && rc == SQLALC_OK; i++) {
        sqlalc_table *t = sqlalc_metadata_table_at(md, i);
        const sqlalc_table_info *ti = info[i];
        if (!sqlalc_table_pk_count(t) || is_association(ti))
            continue;
        size_t ncol = sqlalc_table_column_count(t), nrel = 0;
        for (size_t k = 0; k < np; k++)
            nrel += plan[k].from == t;
        sqlalc_orm_field *fields = orm_zalloc((ncol ? ncol : 1) * sizeof *fields);
        if (!fields) {
            rc = SQLALC_ERR_NOMEM;
            break;
        }
        for (size_t c = 0; c < ncol; c++) {
            sqlalc_expr *col = sqlalc_table_column(t, c);
            fields[c].column = sqlalc_column_name(col);
            fields[c].kind = kind_of(sqlalc_column_type(col));
            fields[c].offset = c * sizeof(slot) + offsetof(slot, v);
            fields[c].null_offset = fields[c].kind == SQLALC_ORM_TEXT
                                        ? SQLALC_ORM_NO_FLAG
                                        : c * sizeof(slot) + offsetof(slot, null);
        }
        size_t size = ncol * sizeof(slot) + nrel * REL_SLOT;
        sqlalc_orm_mapper *m = sqlalc_orm_map(reg, sqlalc_table_name(t), t, size ? size : 1, fields, ncol);
        sqlalc_free(fields);
        if (!m)
            rc = sqlalc_error_last()->code;
    }
    for (size_t k = 0; k < np && rc == SQLALC_OK; k++) {
        planned *x = &plan[k];
        sqlalc_orm_mapper *m = NULL, *to = NULL;
        for (size_t j = first; j < reg->n; j++) {
            if (reg->mappers[j]->table == x->from)
                m = reg->mappers[j];
            if (reg->mappers[j]->table == x->to)
                to = reg->mappers[j];
        }
        if (!m || !to)
            continue;
        size_t off = sqlalc_table_column_count(m->table) * sizeof(slot) + m->nrels * REL_SLOT;
        sqlalc_orm_rel_options o = { SQLALC_ORM_REL_OPTIONS_VERSION, x->secondary,
                                     x->back[0] ? x->back : NULL, 0, x->fk[0] ? x->fk : NULL };
        rc = sqlalc_orm_relationship(m, x->name, x->kind, to, off, &o);
    }
    for (size_t i = 0; i < nt; i++)
        sqlalc_table_info_free(info[i]);
    sqlalc_free(info);
    sqlalc_free(plan);
    return rc;
}

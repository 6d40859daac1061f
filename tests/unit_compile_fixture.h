/*
 * Test fixture for the compiler tests: the tables user, address and
 * "Order" built directly as src/schema/model.h structs, so the compiler
 * can be tested independently of the schema API.  Tables are plain
 * malloc'd and hold a reference count that never reaches zero; free them
 * with fx_free().
 */
#ifndef UNIT_COMPILE_FIXTURE_H
#define UNIT_COMPILE_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include "../src/schema/model.h"
#include "../dialects/dialects.h"

static char *fx_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    memcpy(p, s, n);
    return p;
}

static struct sqlalc_type fx_int = {
    .refs = -1, .kind = SQLALC_TYPE_INTEGER, .length = 0, .precision = -1, .scale = -1
};
static struct sqlalc_type fx_str50 = {
    .refs = -1, .kind = SQLALC_TYPE_STRING, .length = 50, .precision = -1, .scale = -1
};
static struct sqlalc_type fx_str = {
    .refs = -1, .kind = SQLALC_TYPE_STRING, .length = 0, .precision = -1, .scale = -1
};
static struct sqlalc_type fx_float = {
    .refs = -1, .kind = SQLALC_TYPE_FLOAT, .length = 0, .precision = -1, .scale = -1
};

static sqlalc_table *fx_table(const char *name, const char *const *cols, struct sqlalc_type *const *types)
{
    struct sqlalc_table *t = calloc(1, sizeof *t);
    sqlalc__node_init(&t->base, SQLALC_NK_TABLE, NULL);
    atomic_store(&t->base.refs, 1 << 28);
    t->name = fx_strdup(name);
    size_t n = 0;
    while (cols[n])
        n++;
    t->ncolumns = n;
    t->columns = calloc(n, sizeof *t->columns);
    for (size_t i = 0; i < n; i++) {
        struct sqlalc_column_node *c = calloc(1, sizeof *c);
        sqlalc__node_init(&c->base, SQLALC_NK_COLUMN, types[i]);
        c->table = t;
        c->name = fx_strdup(cols[i]);
        c->type = types[i];
        c->position = (int)i;
        t->columns[i] = c;
    }
    return t;
}

/* FK from t.col to ref_table.ref_col (ref resolved). */
static void fx_fk(sqlalc_table *t, const char *col, sqlalc_table *ref, const char *ref_col)
{
    sqlalc_fk *fk = calloc(1, sizeof *fk);
    fk->ncols = 1;
    fk->cols = calloc(1, sizeof *fk->cols);
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i]->name, col))
            fk->cols[0] = t->columns[i];
    fk->ref_table = fx_strdup(ref->name);
    fk->ref_colnames = calloc(1, sizeof(char *));
    fk->ref_colnames[0] = fx_strdup(ref_col);
    fk->ref = ref;
    t->fks = realloc(t->fks, (t->nfks + 1) * sizeof *t->fks);
    t->fks[t->nfks++] = fk;
}

static void fx_free(sqlalc_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++) {
        free(t->columns[i]->name);
        free(t->columns[i]);
    }
    for (size_t i = 0; i < t->nfks; i++) {
        free(t->fks[i]->cols);
        free(t->fks[i]->ref_table);
        free(t->fks[i]->ref_colnames[0]);
        free(t->fks[i]->ref_colnames);
        free(t->fks[i]);
    }
    free(t->fks);
    free(t->columns);
    free(t->name);
    free(t);
}

/* A new reference to column name of t (what sqlalc_c does). */
static sqlalc_expr *fx_c(sqlalc_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (!strcmp(t->columns[i]->name, name))
            return sqlalc_expr_ref(&t->columns[i]->base);
    return NULL;
}

static sqlalc_table *user, *address, *order;

static void fx_setup(void)
{
    static const char *const ucols[] = { "id", "name", "fullname", NULL };
    static struct sqlalc_type *const utypes[] = { &fx_int, &fx_str50, &fx_str };
    static const char *const acols[] = { "id", "user_id", "email", NULL };
    static struct sqlalc_type *const atypes[] = { &fx_int, &fx_int, &fx_str };
    static const char *const ocols[] = { "id", "address_id", "Total", "select", NULL };
    static struct sqlalc_type *const otypes[] = { &fx_int, &fx_int, &fx_float, &fx_int };
    user = fx_table("user", ucols, utypes);
    address = fx_table("address", acols, atypes);
    order = fx_table("Order", ocols, otypes);
    fx_fk(address, "user_id", user, "id");
    fx_fk(order, "address_id", address, "id");
}

static void fx_teardown(void)
{
    fx_free(user);
    fx_free(address);
    fx_free(order);
}

#endif

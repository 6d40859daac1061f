/* Reflection round trips: expression defaults, identity, sequences, partitions, index options. */
#include "schema_int.h"

/* ------------------------------------------------------------------ */
/* Reflection round trips: expression defaults, identity, sequences,   */
/* partitions, indexes with options and expressions                    */
/* ------------------------------------------------------------------ */

sqlalc_schema_item *sqlalc_opt_server_default_expr(sqlalc_expr *e)
{
    if (!e)
        return NULL; /* the expression's constructor failed: its error stands */
    sqlalc_schema_item *it = item_new(IT_SERVER_DEFAULT_EXPR);
    if (!it) {
        sqlalc_expr_free(e);
        return NULL;
    }
    it->expr = e;
    return it;
}

sqlalc_schema_item *sqlalc_opt_identity(const sqlalc_identity_options *o)
{
    sqlalc_schema_item *it = item_new(IT_IDENTITY);
    if (!it || !(it->identity = sqlalc__calloc(1, sizeof *it->identity))) {
        sqlalc_free(it);
        return NULL;
    }
    if (o) {
        it->identity->always = o->always != 0;
        it->identity->has = o->has;
        it->identity->start = o->start;
        it->identity->increment = o->increment;
        it->identity->minvalue = o->minvalue;
        it->identity->maxvalue = o->maxvalue;
        it->identity->cache = o->cache;
        it->identity->cycle = o->cycle != 0;
    }
    return it;
}

sqlalc_sequence *sqlalc_sequence_new(sqlalc_metadata *md, const char *name, const sqlalc_sequence_options *o)
{
    sqlalc_type *dt = o ? o->data_type : NULL;
    if (!md || !name || !*name) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_sequence_new: %s",
                         !md ? "NULL metadata" : "empty name");
        return NULL;
    }
    if (dt && !type_is_integer(dt)) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sequence %s: the data type must be an integer type", name);
        return NULL;
    }
    const char *schema = o ? o->schema : NULL;
    const char *dot = o && o->owned_by ? strrchr(o->owned_by, '.') : NULL;
    if (o && o->owned_by && (!dot || dot == o->owned_by || !dot[1])) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sequence %s: owned_by must be \"table.column\" (got '%s')",
                         name, o->owned_by);
        return NULL;
    }
    if (sqlalc_metadata_sequence(md, schema, name)) {
        sqlalc_type_free(dt);
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sequence %s is already defined in this MetaData", name);
        return NULL;
    }
    sqlalc_error_clear(); /* the NOT_FOUND of the lookup */
    struct sqlalc_sequence *q = sqlalc__calloc(1, sizeof *q);
    if (!q || !(q->name = sqlalc__strdup(name)) || (schema && !(q->schema = sqlalc__strdup(schema))) ||
        (dot && (!(q->owner_table = sqlalc__strndup(o->owned_by, (size_t)(dot - o->owned_by))) ||
                 !(q->owner_column = sqlalc__strdup(dot + 1)))) ||
        push((void **)&md->sequences, &md->nsequences, q)) {
        if (q) {
            sqlalc_free(q->name);
            sqlalc_free(q->schema);
            sqlalc_free(q->owner_table);
            sqlalc_free(q->owner_column);
            sqlalc__oom();
        }
        sqlalc_free(q);
        sqlalc_type_free(dt);
        return NULL;
    }
    q->metadata = md;
    q->data_type = dt;
    if (o) {
        q->has = o->has;
        q->start = o->start;
        q->increment = o->increment;
        q->minvalue = o->minvalue;
        q->maxvalue = o->maxvalue;
        q->cache = o->cache;
        q->cycle = o->cycle != 0;
    }
    return q;
}

size_t sqlalc_metadata_sequence_count(const sqlalc_metadata *md)
{
    return md ? md->nsequences : 0;
}

sqlalc_sequence *sqlalc_metadata_sequence_at(const sqlalc_metadata *md, size_t i)
{
    return md && i < md->nsequences ? md->sequences[i] : NULL;
}

sqlalc_sequence *sqlalc_metadata_sequence(const sqlalc_metadata *md, const char *schema, const char *name)
{
    for (size_t i = 0; md && name && i < md->nsequences; i++) {
        struct sqlalc_sequence *q = md->sequences[i];
        if (!strcmp(q->name, name) &&
            ((!schema && !q->schema) || (schema && q->schema && !strcmp(schema, q->schema))))
            return q;
    }
    sqlalc_error_set(SQLALC_ERR_NOT_FOUND, "no sequence %s%s%s in this MetaData", schema ? schema : "",
                     schema ? "." : "", name ? name : "(null)");
    return NULL;
}

const char *sqlalc_sequence_name(const sqlalc_sequence *seq)
{
    return seq ? seq->name : NULL;
}

struct sqlalc_sequence *const *sqlalc__metadata_sequences(const struct sqlalc_metadata *md, size_t *n)
{
    *n = md ? md->nsequences : 0;
    return md ? md->sequences : NULL;
}

sqlalc_schema_item *sqlalc_opt_sequence(sqlalc_sequence *seq)
{
    if (!seq) {
        if (sqlalc_error_last()->code == SQLALC_OK)
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_opt_sequence: NULL sequence");
        return NULL;
    }
    sqlalc_schema_item *it = item_new(IT_SEQUENCE);
    if (it)
        it->seq = seq;
    return it;
}

sqlalc_schema_item *sqlalc_opt_partition_by(const char *sql)
{
    if (sql && !*sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "partition by: empty SQL");
        return NULL;
    }
    return text_item(IT_PARTITION_BY, sql, "partition by");
}

sqlalc_schema_item *sqlalc_opt_partition_of(const char *parent, const char *bound_sql)
{
    if (!parent || !*parent || !bound_sql || !*bound_sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "partition of: %s",
                         !parent || !*parent ? "no parent table" : "no bound");
        return NULL;
    }
    sqlalc_schema_item *it = text_item(IT_PARTITION_OF, bound_sql, "partition of");
    if (it && !(it->refs = sqlalc__strdup(parent))) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

/* The options part of an index definition (columns set by the caller). */
static sqlalc_index_def *index_ext(const sqlalc_index_options *o)
{
    sqlalc_index_def *ix = sqlalc__calloc(1, sizeof *ix);
    if (!ix || !o)
        return ix;
    if ((o->method && !(ix->method = sqlalc__strdup(o->method))) ||
        (o->where && !(ix->where = sqlalc__strdup(o->where))) ||
        (o->with && !(ix->with = sqlalc__strdup(o->with))) ||
        (o->include && split_names(o->include, &ix->include, &ix->ninclude, "index INCLUDE") < 0)) {
        index_free(ix);
        return NULL;
    }
    return ix;
}

sqlalc_schema_item *sqlalc_index_ex(const char *name, const char *columns, int unique,
                                    const sqlalc_index_options *o)
{
    sqlalc_schema_item *it = sqlalc_index(name, columns, unique);
    if (it && !(it->ix = index_ext(o))) {
        sqlalc_schema_item_free(it);
        return NULL;
    }
    return it;
}

sqlalc_schema_item *sqlalc_index_elements(const char *name, const sqlalc_index_element *el, size_t n,
                                          int unique, const sqlalc_index_options *o)
{
    if (!name || !*name || !el || !n) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "index %s: %s", name ? name : "",
                         !name || !*name ? "a name is needed" : "no elements");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(el[i].column && *el[i].column) && !(el[i].expression && *el[i].expression)) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                             "index %s: element %zu has neither a column nor an expression", name, i);
            return NULL;
        }
    sqlalc_schema_item *it = item_new(IT_INDEX);
    sqlalc_index_def *ix = it ? index_ext(o) : NULL;
    if (!ix || !(it->name = sqlalc__strdup(name)) || !(ix->cols = sqlalc__calloc(n, sizeof(char *))) ||
        !(ix->is_expr = sqlalc__calloc(n, 1)) || !(ix->sorting = sqlalc__calloc(n, sizeof(char *))) ||
        !(ix->opclass = sqlalc__calloc(n, sizeof(char *))))
        goto fail;
    ix->ncols = n;
    it->ix = ix;
    it->unique = unique != 0;
    for (size_t i = 0; i < n; i++) {
        int expr = !(el[i].column && *el[i].column);
        ix->is_expr[i] = (unsigned char)expr;
        if (!(ix->cols[i] = sqlalc__strdup(expr ? el[i].expression : el[i].column)) ||
            (el[i].sorting && *el[i].sorting && !(ix->sorting[i] = sqlalc__strdup(el[i].sorting))) ||
            (el[i].opclass && *el[i].opclass && !(ix->opclass[i] = sqlalc__strdup(el[i].opclass))))
            goto fail;
    }
    return it;
fail:
    if (it && it->ix != ix)
        index_free(ix);
    sqlalc_schema_item_free(it);
    return NULL;
}

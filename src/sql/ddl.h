/* DDL compilation (src/sql/ddl.c): statements for tables, indexes,
 * constraints, enum types and comments, through the dialect's DDL hooks. */
#ifndef SQLALC_SQL_DDL_H
#define SQLALC_SQL_DDL_H

#include "../schema/model.h"
#include "../util/util.h"

/* A list of SQL statements (owned strings). */
typedef struct sqlalc__ddl_list {
    size_t n, cap;
    char **sql;
} sqlalc__ddl_list;

void sqlalc__ddl_list_free(sqlalc__ddl_list *l);

/* Append an identifier quoted for d when it needs quoting. */
void sqlalc__ddl_ident(sqlalc_buf *b, const sqlalc_dialect *d, const char *ident);

/* The condition of a non-native enum's CHECK: col IN ('a', 'b'). */
void sqlalc__ddl_enum_check(sqlalc_buf *b, const struct sqlalc_column_node *c, const sqlalc_dialect *d);

/* Single statements appended to b (SQLAlchemy's text, leading/trailing
 * newlines included).  create_table leaves out the foreign keys in omit. */
void sqlalc__ddl_create_table(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_dialect *d,
                              sqlalc_fk *const *omit, size_t nomit);
void sqlalc__ddl_drop_table(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_dialect *d);
void sqlalc__ddl_create_index(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_index_def *ix,
                              const sqlalc_dialect *d);
void sqlalc__ddl_drop_index(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_index_def *ix,
                            const sqlalc_dialect *d);
void sqlalc__ddl_add_fk(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_fk *fk,
                        const sqlalc_dialect *d);
void sqlalc__ddl_drop_fk(sqlalc_buf *b, const struct sqlalc_table *t, const sqlalc_fk *fk,
                         const sqlalc_dialect *d);

/*
 * Existence check the plans call for checkfirst (NULL: nothing exists for
 * create, everything for drop).  what: 0 table, 1 type.  Sets *out.
 */
typedef int (*sqlalc__ddl_exists_fn)(void *ctx, int what, const char *schema, const char *name, int *out);

/* Every statement to create (drop) md's tables — or only `only` when not
 * NULL — in dependency order, skipping what exists (is missing) when
 * exists is given. */
int sqlalc__ddl_plan_create(const sqlalc_metadata *md, const struct sqlalc_table *only,
                            const sqlalc_dialect *d, sqlalc__ddl_exists_fn exists, void *ctx,
                            sqlalc__ddl_list *out);
int sqlalc__ddl_plan_drop(const sqlalc_metadata *md, const struct sqlalc_table *only, const sqlalc_dialect *d,
                          sqlalc__ddl_exists_fn exists, void *ctx, sqlalc__ddl_list *out);

#endif

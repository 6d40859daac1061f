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

/* d's DDL hooks for the fields appended in version 2 (zeros for a
 * version-1 table). */
const sqlalc_ddl_hooks *sqlalc__ddl_v2(const sqlalc_dialect *d);

/* Append an identifier quoted for d when it needs quoting. */
void sqlalc__ddl_ident(sqlalc_buf *b, const sqlalc_dialect *d, const char *ident);

/* Does a column of type ty get the enum CHECK on d (non-native, asked for)? */
int sqlalc__ddl_enum_check_wanted(const sqlalc_type *ty, const sqlalc_dialect *d);
/* Is c declared SERIAL on d (the autoincrement column, no identity or sequence)? */
int sqlalc__ddl_is_serial(const struct sqlalc_table *t, const struct sqlalc_column_node *c,
                          const sqlalc_dialect *d);
/* The SQL after DEFAULT that c gets on d (its text, its expression compiled
 * for d, its sequence's next value); *out NULL when none. */
int sqlalc__ddl_column_default(const struct sqlalc_column_node *c, const sqlalc_dialect *d, char **out);

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

/* An expression with its values inline, for dialect d (src/sql/compile.c):
 * a new string, or NULL with the error recorded. */
char *sqlalc__expr_sql_literal(const sqlalc_expr *e, const sqlalc_dialect *d);

/* What an existence check asks about. */
enum { SQLALC__DDL_TABLE = 0, SQLALC__DDL_TYPE = 1, SQLALC__DDL_SEQUENCE = 2 };

/*
 * Existence check the plans call for checkfirst (NULL: nothing exists for
 * create, everything for drop).  what: SQLALC__DDL_* (a type is an enum
 * type or a domain).  Sets *out.
 */
typedef int (*sqlalc__ddl_exists_fn)(void *ctx, int what, const char *schema, const char *name, int *out);

/* Every statement to create (drop) md's tables — or only the nonly tables
 * of `only` when not NULL (SQLAlchemy's tables=[…], in md's dependency
 * order) — skipping what exists (is missing) when exists is given. */
int sqlalc__ddl_plan_create(const sqlalc_metadata *md, const struct sqlalc_table *const *only, size_t nonly,
                            const sqlalc_dialect *d, sqlalc__ddl_exists_fn exists, void *ctx,
                            sqlalc__ddl_list *out);
int sqlalc__ddl_plan_drop(const sqlalc_metadata *md, const struct sqlalc_table *const *only, size_t nonly,
                          const sqlalc_dialect *d, sqlalc__ddl_exists_fn exists, void *ctx,
                          sqlalc__ddl_list *out);

#endif

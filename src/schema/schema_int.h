/*
 * The schema model's private header: schema items and the metadata, and
 * the helpers the schema files share.
 *
 *   schema_items.c     columns, options, constraints and indexes as items
 *   schema_table.c     building tables from items, destroying, getters
 *   schema_metadata.c  the metadata: lookup by key, FK resolution, sorting
 */
#ifndef SQLALC_SCHEMA_INT_H
#define SQLALC_SCHEMA_INT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "../util/util.h"

enum item_kind {
    IT_COLUMN = 1,
    IT_FK,
    IT_DEFAULT,
    IT_SERVER_DEFAULT,
    IT_COMMENT,
    IT_SCHEMA,
    IT_SQLITE_AUTOINC,
    IT_PK,
    IT_UNIQUE,
    IT_CHECK,
    IT_FKC,
    IT_INDEX
};

struct sqlalc_schema_item {
    int kind;
    struct sqlalc_column_node *col; /* IT_COLUMN */
    sqlalc_schema_item **fks;       /* IT_COLUMN: its ForeignKey items */
    size_t nfks;
    char *name; /* constraint / index / FK name */
    char *text; /* comment, schema, server default SQL, CHECK SQL */
    char *cols; /* "a, b" local columns */
    char *refs; /* FK target(s) */
    char *ondelete, *onupdate;
    int use_alter;
    int unique;
    sqlalc_value value; /* IT_DEFAULT; text copied into text */
};

struct sqlalc_metadata {
    size_t ntables, cap;
    struct sqlalc_table **tables;
    sqlalc_map by_key; /* "schema\x1fname" → table */
};

/* Functions shared between the schema files (library-private names). */
#define column_node_free sqlalc__sc_column_node_free
#define free_names sqlalc__sc_free_names
#define md_add sqlalc__sc_md_add
#define parse_target sqlalc__sc_parse_target
#define push sqlalc__sc_push
#define resolve_fk sqlalc__sc_resolve_fk
#define split_names sqlalc__sc_split_names

void column_node_free(struct sqlalc_column_node *c);
void free_names(char **v, size_t n);
int md_add(sqlalc_metadata *md, struct sqlalc_table *t);
int parse_target(const char *target, char **schema, char **table, char **col);
int push(void **arr, size_t *n, void *item);
int resolve_fk(sqlalc_metadata *md, struct sqlalc_table *t, sqlalc_fk *fk, int strict);
int split_names(const char *list, char ***out, size_t *n, const char *what);

#endif

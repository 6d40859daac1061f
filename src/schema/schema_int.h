/*
 * The schema model's private header: schema items and the metadata, and
 * the helpers the schema files share.
 *
 *   schema_items.c     columns, options, constraints and indexes as items
 *   schema_table.c     building tables from items, destroying, getters
 *   schema_metadata.c  the metadata: lookup by key, FK resolution, sorting
 *   schema_objects.c   expression defaults, identity, sequences, partitions, index options
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
    IT_MSSQL_SCOPE_IDENTITY,
    IT_PK,
    IT_UNIQUE,
    IT_CHECK,
    IT_FKC,
    IT_INDEX,
    /* --- added for reflection round trips --- */
    IT_SERVER_DEFAULT_EXPR,
    IT_IDENTITY,
    IT_SEQUENCE,
    IT_PARTITION_BY,
    IT_PARTITION_OF
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
    /* --- added for reflection round trips --- */
    sqlalc_expr *expr;                 /* IT_SERVER_DEFAULT_EXPR */
    struct sqlalc__identity *identity; /* IT_IDENTITY */
    struct sqlalc_sequence *seq;       /* IT_SEQUENCE (the metadata's) */
    sqlalc_index_def *ix;              /* IT_INDEX made by sqlalc_index_ex/_elements (name, cols unset) */
};

struct sqlalc_metadata {
    size_t ntables, cap;
    struct sqlalc_table **tables;
    sqlalc_map by_key; /* "schema\x1fname" → table */
    /* --- added for reflection round trips --- */
    size_t nsequences;
    struct sqlalc_sequence **sequences;
};

/* Functions shared between the schema files (library-private names). */
#define md_add sqlalc__sc_md_add
#define resolve_fk sqlalc__sc_resolve_fk
#define column_node_free sqlalc__sc_column_node_free
#define free_names sqlalc__sc_free_names
#define index_free sqlalc__sc_index_free
#define item_new sqlalc__sc_item_new
#define parse_target sqlalc__sc_parse_target
#define push sqlalc__sc_push
#define split_names sqlalc__sc_split_names
#define text_item sqlalc__sc_text_item
#define type_is_integer sqlalc__sc_type_is_integer

void column_node_free(struct sqlalc_column_node *c);
void free_names(char **v, size_t n);
void index_free(sqlalc_index_def *ix);
sqlalc_schema_item *item_new(int kind);
int parse_target(const char *target, char **schema, char **table, char **col);
int push(void **arr, size_t *n, void *item);
int split_names(const char *list, char ***out, size_t *n, const char *what);
sqlalc_schema_item *text_item(int kind, const char *text, const char *what);
int type_is_integer(const sqlalc_type *ty);
int md_add(sqlalc_metadata *md, struct sqlalc_table *t);
int resolve_fk(sqlalc_metadata *md, struct sqlalc_table *t, sqlalc_fk *fk, int strict);

#endif

/*
 * Expression node base.  Every node (column, bind, operator, select …)
 * starts with this header.  Nodes are immutable once built and
 * reference counted atomically (see the ownership rule in sqlalc.h).
 *
 * src/schema includes this file (a column is an expression node) and
 * nothing else of src/sql.
 */
#ifndef SQLALC_SQL_NODE_H
#define SQLALC_SQL_NODE_H

#include <stdatomic.h>
#include <stdint.h>
#include "sqlalc/sys/plugin.h"

/* Node kinds.  The expression issue adds its kinds after NK_TABLE. */
typedef enum sqlalc_node_kind {
    SQLALC_NK_NONE = 0,
    SQLALC_NK_COLUMN,    /* struct sqlalc_column_node (src/schema/model.h) */
    SQLALC_NK_TABLE,     /* struct sqlalc_table (src/schema/model.h) */
    SQLALC_NK__SQL_FIRST /* first kind owned by src/sql */
} sqlalc_node_kind;

struct sqlalc_expr {
    atomic_int refs;
    uint16_t kind; /* sqlalc_node_kind or a src/sql kind */
    uint16_t flags;
    const sqlalc_type *type; /* the expression's type, NULL when untyped */
};

/* Destroy hooks the generic unref dispatches to (refs reached 0).
 * sqlalc__table_destroy lives in src/schema; sqlalc__sql_node_destroy in
 * src/sql handles every kind >= SQLALC_NK__SQL_FIRST. */
struct sqlalc_table;
void sqlalc__table_destroy(struct sqlalc_table *t);
void sqlalc__sql_node_destroy(sqlalc_expr *e);

/* Initialise a node header: one reference, the given kind and type. */
static inline void sqlalc__node_init(sqlalc_expr *e, int kind, const sqlalc_type *type)
{
    atomic_init(&e->refs, 1);
    e->kind = (uint16_t)kind;
    e->flags = 0;
    e->type = type;
}

#endif

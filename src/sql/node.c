/* Generic reference counting for every node kind. */
#include "node.h"
#include "../schema/model.h"

sqlalc_expr *sqlalc_expr_ref(sqlalc_expr *e)
{
    if (!e)
        return NULL;
    sqlalc_expr *owner = e;
    /* A column lives inside its table: its references are the table's. */
    if (e->kind == SQLALC_NK_COLUMN && ((struct sqlalc_column_node *)e)->table)
        owner = &((struct sqlalc_column_node *)e)->table->base;
    atomic_fetch_add_explicit(&owner->refs, 1, memory_order_relaxed);
    return e;
}

void sqlalc_expr_free(sqlalc_expr *e)
{
    if (!e)
        return;
    if (e->kind == SQLALC_NK_COLUMN && ((struct sqlalc_column_node *)e)->table)
        e = &((struct sqlalc_column_node *)e)->table->base;
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (e->kind == SQLALC_NK_TABLE)
        sqlalc__table_destroy((struct sqlalc_table *)e);
    else if (e->kind >= SQLALC_NK__SQL_FIRST)
        sqlalc__sql_node_destroy(e);
    /* A free-standing column (not yet in a table) is owned by schema code. */
}

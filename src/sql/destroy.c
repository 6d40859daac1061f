/* Destruction of src/sql node kinds (placeholder until the expression work lands). */
#include "node.h"

void sqlalc__sql_node_destroy(sqlalc_expr *e) { (void)e; }

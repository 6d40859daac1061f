/* Schema model (placeholder until the schema work lands). */
#include "model.h"

void sqlalc__table_destroy(struct sqlalc_table *t) { (void)t; }

/* sqlite DDL flavour. */
#include "../dialects.h"

const sqlalc_ddl_hooks sqlalc__sqlite_ddl_hooks = { .version = 1 };

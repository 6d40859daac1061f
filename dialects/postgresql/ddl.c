/* postgresql DDL flavour. */
#include "../dialects.h"

const sqlalc_ddl_hooks sqlalc__postgresql_ddl_hooks = { .version = 1 };

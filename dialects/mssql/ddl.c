/* mssql DDL flavour. */
#include "../dialects.h"

const sqlalc_ddl_hooks sqlalc__mssql_ddl_hooks = { .version = 1 };

/* mssql reflection queries for the inspector. */
#include "../dialects.h"

const sqlalc_reflect_hooks sqlalc__mssql_reflect_hooks = { .version = 1 };

/* postgresql hooks for the SQL compiler. */
#include "../dialects.h"

const sqlalc_compile_hooks sqlalc__postgresql_compile_hooks = { .version = 1 };

/*
 * libsqlalc — the hooks a dialect gives the SQL compiler (src/sql).
 * Included by <sqlalc.h>; needed only to write a dialect.
 */
#ifndef SQLALC_COMPILE_HOOKS_H
#define SQLALC_COMPILE_HOOKS_H
#include "plugin.h"
#ifdef __cplusplus
extern "C" {
#endif

struct sqlalc_compile_hooks {
    unsigned version;
};

#ifdef __cplusplus
}
#endif
#endif

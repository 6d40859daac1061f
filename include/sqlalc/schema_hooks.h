/*
 * libsqlalc — the hooks a dialect gives DDL compilation and the inspector.
 * Included by <sqlalc.h>; needed only to write a dialect.
 */
#ifndef SQLALC_SCHEMA_HOOKS_H
#define SQLALC_SCHEMA_HOOKS_H
#include "plugin.h"
#ifdef __cplusplus
extern "C" {
#endif

struct sqlalc_ddl_hooks {
    unsigned version;
};

struct sqlalc_reflect_hooks {
    unsigned version;
};

#ifdef __cplusplus
}
#endif
#endif

/* libsqlalc — expr API.  Included by <sqlalc.h>. */
#ifndef SQLALC_EXPR_H
#define SQLALC_EXPR_H
#include "core.h"
#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif

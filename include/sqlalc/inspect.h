/* libsqlalc — inspect API.  Included by <sqlalc.h>. */
#ifndef SQLALC_INSPECT_H
#define SQLALC_INSPECT_H
#include "core.h"
#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif

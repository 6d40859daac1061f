/* The one helper build.c shares with build_from.c (library-private name). */
#ifndef SQLALC_SQL_BUILD_INT_H
#define SQLALC_SQL_BUILD_INT_H
#include "expr_int.h"

#define node_new sqlalc__b_node_new
void *node_new(size_t size, int kind);

#endif

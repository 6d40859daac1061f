/* Internals shared by the DDL runner, the inspector and reflection
 * (src/engine/ddl_run.c, inspect.c, reflect.c). */
#ifndef SQLALC_ENGINE_INSPECT_INT_H
#define SQLALC_ENGINE_INSPECT_INT_H

#include "engine_int.h"
#include "../schema/model.h"

/* Does the table exist on the connection's database?  (hooks or query) */
int sqlalc__has_table(sqlalc_conn *conn, const char *schema, const char *name, int *out);
/* Does a named type exist?  0 when the dialect has no named types. */
int sqlalc__has_type(sqlalc_conn *conn, const char *schema, const char *name, int *out);
/* Does a sequence exist?  0 when the dialect has no sequences. */
int sqlalc__has_sequence(sqlalc_conn *conn, const char *schema, const char *name, int *out);
/* Reflect tables of a schema through the dialect's hooks (function or
 * catalog queries) into out. */
int sqlalc__reflect_schema(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames,
                           int views, sqlalc_schema_info *out);
/* The type as the dialect spells it in DDL (native enums by name);
 * new string or NULL on OOM. */
char *sqlalc__type_spelled(const sqlalc_type *t, const sqlalc_dialect *d);

#endif

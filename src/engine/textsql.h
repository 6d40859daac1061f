/* Raw SQL with :name / ? placeholders, rewritten to a driver paramstyle. */
#ifndef SQLALC_TEXTSQL_H
#define SQLALC_TEXTSQL_H
#include "../util/util.h"

typedef struct sqlalc__textsql {
    char *sql; /* rewritten SQL */
    size_t len;
    int nph;        /* placeholders the driver sees */
    char **names;   /* name of each placeholder (NULL for positional) */
    int positional; /* placeholders are "?", "?NNN" or "$n" */
    int *pos;       /* positional: the value index each placeholder takes */
    int nvalues;    /* positional: values the statement takes (highest index + 1) */
    int *map;       /* per placeholder: where its value sat in the last parameter set */
    int map_valid;  /* parameter count of that set, 0 when map is unset */
} sqlalc__textsql;

/* Parse sql for a driver's paramstyle with the dialect's syntax bits
 * (sqlalc_dialect.syntax). */
int sqlalc__textsql_parse(const char *sql, int paramstyle, unsigned syntax, sqlalc__textsql *out);
void sqlalc__textsql_free(sqlalc__textsql *t);
/* Order params into vals[nph]; missing or unused parameters are errors
 * naming them.  map (may be NULL) receives, per placeholder, the index in
 * params->items it came from. */
int sqlalc__textsql_bind_values(const sqlalc__textsql *t, const sqlalc_params *params, sqlalc_value *vals);
/* Like bind_values, first trying where the names sat in the previous
 * set (loops and executemany pass the same shape every time). */
int sqlalc__textsql_bind_mapped(sqlalc__textsql *t, const sqlalc_params *params, sqlalc_value *vals);
#endif

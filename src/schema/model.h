/*
 * The schema model's structs.  Owned by src/schema; src/sql reads them
 * (to compile column references, FROM clauses, DDL, FK join inference).
 * Fields may be added; the ones here keep their meaning.
 *
 * Lifetime: a metadata owns its tables (one reference each).  A table is a
 * node (NK_TABLE); its columns live inside the table's lifetime, so taking
 * a reference to a column (sqlalc_c) takes a reference to its table.
 */
#ifndef SQLALC_SCHEMA_MODEL_H
#define SQLALC_SCHEMA_MODEL_H

#include <stddef.h>
#include "../sql/node.h"

struct sqlalc_type {
    atomic_int refs;          /* < 0 for static singletons (never freed) */
    sqlalc_type_kind kind;
    int length;               /* String/Unicode length, 0 = none */
    int precision, scale;     /* Numeric; -1 = not given */
    int timezone;             /* DateTime(timezone=True) */
    char *name;               /* Enum type name or user type's SQL text */
    char **enum_values;
    size_t n_enum_values;
};

/* Column flags (also the public SQLALC_PRIMARY_KEY etc. values). */
struct sqlalc_column_node {
    sqlalc_expr base;             /* kind SQLALC_NK_COLUMN; base.type == type */
    struct sqlalc_table *table;   /* owner; NULL until added to a table */
    char *name;
    sqlalc_type *type;
    unsigned flags;               /* SQLALC_PRIMARY_KEY, SQLALC_NOT_NULL, … */
    int nullable;                 /* derived: !NOT_NULL && !primary key */
    int autoincrement;            /* -1 auto (SQLAlchemy's "auto"), 0 no, 1 yes */
    int position;                 /* index in table->columns */
    sqlalc_value default_value;   /* client-side default (NULL type = none); text owned */
    char *server_default;         /* SQL text of DEFAULT, or NULL */
    char *comment;
};

typedef struct sqlalc_fk {
    char *name;                   /* constraint name or NULL */
    size_t ncols;
    struct sqlalc_column_node **cols;    /* local columns */
    char *ref_schema;             /* may be NULL */
    char *ref_table;
    char **ref_colnames;          /* ncols names */
    struct sqlalc_table *ref;     /* resolved target table, NULL until resolved */
    char *ondelete, *onupdate;    /* "CASCADE", "SET NULL", … or NULL */
    int use_alter;                /* emitted as ALTER TABLE ADD CONSTRAINT (cycles) */
} sqlalc_fk;

struct sqlalc_table {
    sqlalc_expr base;             /* kind SQLALC_NK_TABLE */
    struct sqlalc_metadata *metadata;
    char *name;
    char *schema;                 /* NULL = default schema */
    char *comment;
    size_t ncolumns;
    struct sqlalc_column_node **columns;
    size_t nfks;
    sqlalc_fk **fks;
    /* Constraints and indexes: defined by src/schema (opaque to src/sql
     * except through src/schema's DDL helpers). */
    void *constraints;
};

#endif

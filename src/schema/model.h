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
    atomic_int refs; /* < 0 for static singletons (never freed) */
    sqlalc_type_kind kind;
    int length;           /* String/Unicode length, 0 = none */
    int precision, scale; /* Numeric; -1 = not given */
    int timezone;         /* DateTime(timezone=True) */
    char *name;           /* Enum type name or user type's SQL text */
    char **enum_values;
    size_t n_enum_values;
    /* --- added for reflection round trips --- */
    int create_constraint;         /* Enum: CHECK where not native (SQLAlchemy 1.4: off by default) */
    int non_native;                /* Enum: VARCHAR even where ENUM types exist */
    struct sqlalc_type *base;      /* DOMAIN: the base type */
    struct sqlalc__domain *domain; /* DOMAIN: constraints */
    size_t nvariants;              /* with_variant: spelled otherwise on these dialects */
    struct sqlalc__type_variant *variants;
};

struct sqlalc__type_variant {
    char *dialect;
    struct sqlalc_type *type;
};

struct sqlalc__domain {
    int not_null;
    char *default_sql;
    size_t nchecks;
    char **check_names; /* entries may be NULL */
    char **checks;
};

/* An identity column's options (NULL on a column: not an identity). */
struct sqlalc__identity {
    int always;
    unsigned has; /* SQLALC_IDENTITY_* */
    int64_t start, increment, minvalue, maxvalue, cache;
    int cycle;
};

struct sqlalc_sequence {
    struct sqlalc_metadata *metadata;
    char *name, *schema;
    sqlalc_type *data_type; /* NULL: the database's default */
    unsigned has;           /* SQLALC_IDENTITY_* */
    int64_t start, increment, minvalue, maxvalue, cache;
    int cycle;
    char *owner_table, *owner_column; /* OWNED BY, or NULL */
};

/* Column flags (also the public SQLALC_PRIMARY_KEY etc. values). */
struct sqlalc_column_node {
    sqlalc_expr base;           /* kind SQLALC_NK_COLUMN; base.type == type */
    struct sqlalc_table *table; /* owner; NULL until added to a table */
    char *name;
    sqlalc_type *type;
    unsigned flags;             /* SQLALC_PRIMARY_KEY, SQLALC_NOT_NULL, … */
    int nullable;               /* derived: !NOT_NULL && !primary key */
    int autoincrement;          /* -1 auto (SQLAlchemy's "auto"), 0 no, 1 yes */
    int position;               /* index in table->columns */
    sqlalc_value default_value; /* client-side default (NULL type = none); text owned */
    char *server_default;       /* SQL text of DEFAULT, or NULL */
    char *comment;
    /* --- added for reflection round trips --- */
    sqlalc_expr *server_default_expr;  /* DEFAULT compiled per dialect (owned), or NULL */
    struct sqlalc__identity *identity; /* owned, or NULL */
    struct sqlalc_sequence *sequence;  /* its metadata's, or NULL */
};

typedef struct sqlalc_fk {
    char *name; /* constraint name or NULL */
    size_t ncols;
    struct sqlalc_column_node **cols; /* local columns */
    char *ref_schema;                 /* may be NULL */
    char *ref_table;
    char **ref_colnames;       /* ncols names */
    struct sqlalc_table *ref;  /* resolved target table, NULL until resolved */
    char *ondelete, *onupdate; /* "CASCADE", "SET NULL", … or NULL */
    int use_alter;             /* emitted as ALTER TABLE ADD CONSTRAINT (cycles) */
    /* --- added by the schema work --- */
    int order;       /* position among the table's DDL constraints */
    int from_column; /* column-level ForeignKey (vs ForeignKeyConstraint) */
} sqlalc_fk;

/* UNIQUE and CHECK constraints (the primary key is table->pk). */
enum { SQLALC__CON_UNIQUE = 1, SQLALC__CON_CHECK = 2 };
typedef struct sqlalc_constraint {
    int kind;   /* SQLALC__CON_* */
    char *name; /* NULL = unnamed */
    size_t ncols;
    char **cols;   /* UNIQUE column names */
    char *sqltext; /* CHECK text */
    int order;     /* position among the table's DDL constraints */
} sqlalc_constraint;

typedef struct sqlalc_index_def {
    char *name;
    size_t ncols;
    char **cols; /* column names; an expression's SQL where exprs[i] is set */
    int unique;
    /* --- added for reflection round trips (arrays of ncols, each may be NULL) --- */
    unsigned char *is_expr; /* element i is an SQL expression (cols[i]) */
    char **sorting;         /* "DESC NULLS LAST" … or NULL */
    char **opclass;
    char *method, *where, *with; /* USING, partial predicate, storage parameters */
    size_t ninclude;
    char **include;
} sqlalc_index_def;

struct sqlalc_table {
    sqlalc_expr base; /* kind SQLALC_NK_TABLE */
    struct sqlalc_metadata *metadata;
    char *name;
    char *schema; /* NULL = default schema */
    char *comment;
    size_t ncolumns;
    struct sqlalc_column_node **columns;
    size_t nfks;
    sqlalc_fk **fks;
    /* Constraints and indexes: defined by src/schema (opaque to src/sql
     * except through src/schema's DDL helpers). */
    void *constraints; /* unused (NULL) */
    /* --- added by the schema work --- */
    char *pk_name; /* PRIMARY KEY constraint name, or NULL */
    size_t npk;
    struct sqlalc_column_node **pk; /* primary key columns in key order */
    size_t ncons;
    sqlalc_constraint **cons; /* UNIQUE / CHECK, in declaration order */
    size_t nindexes;
    sqlalc_index_def **indexes;
    int sqlite_autoincrement;           /* PRIMARY KEY AUTOINCREMENT on SQLite */
    int is_view;                        /* reflected from a view */
    struct sqlalc_column_node *autoinc; /* the autoincrement column or NULL */
    /* --- added for reflection round trips --- */
    char *partition_by;                   /* PARTITION BY clause body, or NULL */
    char *partition_of, *partition_bound; /* parent table and FOR VALUES … / DEFAULT, or NULL */
    /* --- added for SQL Server (issue 15.2) --- */
    int scope_identity; /* the new key by SCOPE_IDENTITY(), not OUTPUT inserted (sqlalc_opt_mssql_scope_identity) */
};

/* Internal schema helpers shared with src/sql (DDL) and src/engine. */
struct sqlalc_column_node *sqlalc__table_find_column(const struct sqlalc_table *t, const char *name);
/* Tables of md sorted for CREATE; *cycle_fks (may be NULL) receives the
 * foreign keys that sit in dependency cycles (array to sqlalc_free). */
int sqlalc__metadata_sort(const struct sqlalc_metadata *md, struct sqlalc_table ***out, size_t *n,
                          sqlalc_fk ***cycle_fks, size_t *ncycle);
/* Non-zero when fk is one of the n in list. */
int sqlalc__fk_in(const sqlalc_fk *fk, sqlalc_fk *const *list, size_t n);
/* Check every foreign key of t has a resolved target with those columns. */
int sqlalc__table_check_fks(const struct sqlalc_table *t);
/* Build a table directly from parts (reflection): see schema.c. */
sqlalc_type *sqlalc__type_new(sqlalc_type_kind kind);
/* The type as spelled on dialect d: the variant for d when t has one,
 * else t itself. */
const sqlalc_type *sqlalc__type_for(const sqlalc_type *t, const sqlalc_dialect *d);
/* The metadata's sequences (borrowed array). */
struct sqlalc_sequence *const *sqlalc__metadata_sequences(const struct sqlalc_metadata *md, size_t *n);

#endif

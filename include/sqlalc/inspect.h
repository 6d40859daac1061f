/*
 * libsqlalc — the inspector (reading a live database's schema) and
 * reflection (building Tables from it).  Included by <sqlalc.h>.
 *
 *   sqlalc_inspector *insp;
 *   sqlalc_inspector_new(eng, &insp);
 *   const sqlalc_table_info *ti;
 *   if (sqlalc_inspector_table(insp, NULL, "address", &ti) == SQLALC_OK)
 *       for (size_t i = 0; i < ti->ncolumns; i++)
 *           printf("%s %s\n", ti->columns[i].name, ti->columns[i].type_sql);
 *   sqlalc_inspector_free(insp);
 *
 * The info structs below are what the inspector hands out (borrowed from
 * the inspector, valid until it is freed) and what a dialect's reflection
 * hooks fill (see <sqlalc/sys/schema.h>).  Their keys are SQLAlchemy's
 * Inspector keys.
 *
 * Through ODBC, a database the library has no dialect for is reflected
 * with ODBC's catalog functions (SQLTables, SQLColumns, SQLPrimaryKeys,
 * SQLForeignKeys, SQLStatistics); the URL query ?odbc_reflection=catalog
 * asks for that path on any ODBC URL.  The catalog functions cannot
 * report: CHECK constraints; UNIQUE constraints as such (they come back
 * as unique indexes); expression and partial indexes; autoincrement /
 * identity, sequences, domains, enum types; comments where the driver
 * leaves REMARKS empty; a type beyond TYPE_NAME, COLUMN_SIZE and
 * DECIMAL_DIGITS (type_sql is the driver's spelling, "int4",
 * "varchar(40)"; an unbounded VARCHAR reports the driver's maximum as its
 * length).  Columns, nullability, defaults, primary keys, foreign keys
 * with their ON DELETE / ON UPDATE rules and plain indexes match the
 * native reflection (tests/suite_odbc.c compares them field by field
 * through psqlodbc and sqliteodbc).
 */
#ifndef SQLALC_INSPECT_H
#define SQLALC_INSPECT_H
#include <stdio.h>
#include "core.h"
#include "engine.h"
#include "schema.h"
#ifdef __cplusplus
extern "C" {
#endif

/* A list of names. */
typedef struct sqlalc_strlist {
    size_t count;
    char **items;
} sqlalc_strlist;

/* Append a copy of name.  SQLALC_OK or SQLALC_ERR_NOMEM. */
SQLALC_API int sqlalc_strlist_append(sqlalc_strlist *l, const char *name);
/* Non-zero when name is in the list. */
SQLALC_API int sqlalc_strlist_contains(const sqlalc_strlist *l, const char *name);
/* Free the items (the struct itself is the caller's). */
SQLALC_API void sqlalc_strlist_clear(sqlalc_strlist *l);

/* An identity column's options, as SQLAlchemy's "identity" key. */
typedef struct sqlalc_identity_info {
    int present; /* 0: not an identity column (the rest is 0) */
    int always;  /* GENERATED ALWAYS (else BY DEFAULT) */
    int64_t start, increment, minvalue, maxvalue, cache;
    int cycle;
} sqlalc_identity_info;

typedef struct sqlalc_column_info {
    char *name;
    sqlalc_type *type; /* the library type with its arguments */
    char *type_sql;    /* the type as the dialect's DDL spells it: "VARCHAR(100)" */
    int nullable;
    char *default_sql; /* server default as SQL text, NULL when none */
    int autoincrement; /* non-zero when the database generates values */
    int pk_position;   /* 1-based position in the primary key, 0 when not in it */
    char *comment;     /* NULL when none (or not supported, e.g. SQLite) */
    /* --- appended --- */
    sqlalc_identity_info identity;
    /* The sequence the default draws from (PostgreSQL nextval('…')), NULL
     * when none; serial: it is the column's own SERIAL sequence, named as
     * SERIAL names it, so recreating the column as SERIAL gives it back. */
    char *sequence;
    int serial;
    /* The domain the column is declared with (type and type_sql are then
     * its base type, nullable and default include the domain's, as
     * SQLAlchemy reports them); NULL when none. */
    char *domain;
} sqlalc_column_info;

typedef struct sqlalc_pk_info {
    char *name;             /* constraint name, NULL when unnamed */
    sqlalc_strlist columns; /* constrained_columns in key order */
} sqlalc_pk_info;

typedef struct sqlalc_fk_info {
    char *name;
    sqlalc_strlist columns; /* constrained_columns */
    char *referred_schema;  /* NULL: the same (default) schema */
    char *referred_table;
    sqlalc_strlist referred_columns;
    char *ondelete, *onupdate; /* "CASCADE" …, NULL for NO ACTION */
} sqlalc_fk_info;

/* One key element of an index. */
typedef struct sqlalc_index_element_info {
    char *column;     /* the column, NULL for an expression */
    char *expression; /* the element's SQL: the expression (or the column as written) */
    char *sorting;    /* "DESC", "NULLS FIRST", "DESC NULLS LAST" … or NULL (ascending, default nulls) */
    char *opclass;    /* a non-default operator class (PostgreSQL) or NULL */
} sqlalc_index_element_info;

typedef struct sqlalc_index_info {
    char *name;
    sqlalc_strlist columns; /* key columns; an expression element is listed as its SQL */
    int unique;
    /* --- appended --- */
    size_t nelements;
    sqlalc_index_element_info *elements; /* every key element, in order */
    char *method;                        /* access method when not the default ("gist", "gin"), or NULL */
    char *where;                         /* a partial index's predicate, or NULL */
    sqlalc_strlist include;              /* covering (INCLUDE) columns */
    char *with;                          /* storage parameters "fillfactor=70", or NULL */
    /* The unique constraint this index backs (PostgreSQL lists those
     * indexes too, as SQLAlchemy does); reflection skips such indexes,
     * the constraint creates them.  NULL for a plain index. */
    char *duplicates_constraint;
    /* Created by the partitioned parent's index (a partition's copy of
     * it): not created on its own. */
    int inherited;
} sqlalc_index_info;

typedef struct sqlalc_unique_info {
    char *name;
    sqlalc_strlist columns;
} sqlalc_unique_info;

typedef struct sqlalc_check_info {
    char *name;
    char *sqltext; /* the condition, without CHECK and outer parentheses */
} sqlalc_check_info;

typedef struct sqlalc_table_info {
    char *schema; /* NULL: the default schema */
    char *name;
    int is_view;
    char *comment;
    int sqlite_autoincrement; /* SQLite: declared PRIMARY KEY AUTOINCREMENT */
    size_t ncolumns;
    sqlalc_column_info *columns;
    sqlalc_pk_info pk;
    size_t nfks;
    sqlalc_fk_info *fks;
    size_t nindexes;
    sqlalc_index_info *indexes;
    size_t nuniques;
    sqlalc_unique_info *uniques;
    size_t nchecks;
    sqlalc_check_info *checks;
    /* --- appended --- */
    char *partition_by;    /* a partitioned table's key: "RANGE (created)" (PostgreSQL), or NULL */
    char *partition_of;    /* the partitioned table this one is a partition of, or NULL */
    char *partition_bound; /* its bound: "FOR VALUES FROM (…) TO (…)", "DEFAULT" */
} sqlalc_table_info;

/* A sequence (PostgreSQL, SQL Server). */
typedef struct sqlalc_sequence_info {
    char *schema; /* NULL: the default schema */
    char *name;
    char *data_type; /* "bigint", as the catalog spells it */
    int64_t start, increment, minvalue, maxvalue, cache;
    int cycle;
    /* The column owning it (SERIAL / OWNED BY), or NULL; identity: it
     * is an identity column's internal sequence. */
    char *owner_table, *owner_column;
    int identity;
} sqlalc_sequence_info;

/* A domain (PostgreSQL CREATE DOMAIN). */
typedef struct sqlalc_domain_info {
    char *schema; /* NULL: the default schema */
    char *name;
    sqlalc_type *type; /* the base type */
    char *type_sql;    /* the base type as the dialect spells it */
    int nullable;
    char *default_sql;
    size_t nchecks;
    sqlalc_check_info *checks; /* names and conditions (without CHECK and parentheses) */
} sqlalc_domain_info;

/* The tables of one reflection run. */
typedef struct sqlalc_schema_info {
    size_t count;
    sqlalc_table_info **tables;
    void *priv; /* lookup index; do not touch */
    /* --- appended --- */
    size_t nsequences;
    sqlalc_sequence_info *sequences;
    size_t ndomains;
    sqlalc_domain_info *domains;
} sqlalc_schema_info;

SQLALC_API void sqlalc_schema_info_clear(sqlalc_schema_info *si);
SQLALC_API const sqlalc_table_info *sqlalc_schema_info_find(const sqlalc_schema_info *si, const char *schema,
                                                            const char *name);

/*
 * Describe a declared table in the inspector's terms (as if reflected:
 * types spelled for dialect d, which may be NULL for generic names).
 * *out is freed with sqlalc_table_info_free().
 */
SQLALC_API int sqlalc_table_describe(const sqlalc_table *t, const sqlalc_dialect *d, sqlalc_table_info **out);
SQLALC_API void sqlalc_table_info_free(sqlalc_table_info *ti);

/* ------------------------------------------------------------------ */
/* Inspector                                                           */
/* ------------------------------------------------------------------ */

typedef struct sqlalc_inspector sqlalc_inspector;

/* An inspector on the engine (it checks out one connection and keeps it
 * until freed) or on a connection the caller keeps open. */
SQLALC_API int sqlalc_inspector_new(sqlalc_engine *eng, sqlalc_inspector **out);
SQLALC_API int sqlalc_inspector_new_conn(sqlalc_conn *conn, sqlalc_inspector **out);
SQLALC_API void sqlalc_inspector_free(sqlalc_inspector *insp);
/* Forget cached answers (after DDL). */
SQLALC_API void sqlalc_inspector_clear_cache(sqlalc_inspector *insp);

/* Name lists (borrowed from the inspector).  schema NULL = default. */
SQLALC_API int sqlalc_inspector_default_schema(sqlalc_inspector *insp, const char **out);
SQLALC_API int sqlalc_inspector_schema_names(sqlalc_inspector *insp, const sqlalc_strlist **out);
SQLALC_API int sqlalc_inspector_table_names(sqlalc_inspector *insp, const char *schema,
                                            const sqlalc_strlist **out);
SQLALC_API int sqlalc_inspector_view_names(sqlalc_inspector *insp, const char *schema,
                                           const sqlalc_strlist **out);
/* *out = 1 when the table (or view) exists, else 0. */
SQLALC_API int sqlalc_inspector_has_table(sqlalc_inspector *insp, const char *schema, const char *name,
                                          int *out);

/*
 * Everything about one table (columns, pk_constraint, foreign_keys,
 * indexes, unique_constraints, check_constraints), borrowed.  A missing
 * table is SQLALC_ERR_NOT_FOUND.  The first call for a schema reflects
 * the whole schema in a fixed number of queries and caches it.
 */
SQLALC_API int sqlalc_inspector_table(sqlalc_inspector *insp, const char *schema, const char *name,
                                      const sqlalc_table_info **out);
/* Every table (and view) of a schema, borrowed.  The sequences and
 * domains of the schema come with it (in out->sequences / ->domains). */
SQLALC_API int sqlalc_inspector_tables(sqlalc_inspector *insp, const char *schema,
                                       const sqlalc_schema_info **out);
/* Names of the schema's sequences (SQLAlchemy's get_sequence_names), borrowed. */
SQLALC_API int sqlalc_inspector_sequence_names(sqlalc_inspector *insp, const char *schema,
                                               const sqlalc_strlist **out);

/*
 * Write the tables of a schema (the default one for sqlalc_inspect_json;
 * views left out) as one JSON object keyed by table name, each holding
 * SQLAlchemy Inspector's keys:
 *   { "<table>": {
 *       "columns": [ {"name", "type", "nullable", "default", "primary_key",
 *                     "autoincrement"} … ],
 *       "pk_constraint": {"name", "constrained_columns"},
 *       "foreign_keys": [ {"name", "constrained_columns", "referred_schema",
 *                          "referred_table", "referred_columns"} … ],
 *       "indexes": [ {"name", "column_names", "unique"} … ],
 *       "unique_constraints": [ {"name", "column_names"} … ],
 *       "check_constraints": [ {"name", "sqltext"} … ] }, … }
 * "type" is spelled as the dialect's DDL does ("VARCHAR(100)",
 * "NUMERIC(10, 2)"); "primary_key" is the 1-based position in the key (0:
 * not in it, as SQLAlchemy's SQLite dialect reports it); "default" is the
 * server default's SQL or null.  Tables come in name order.
 */
SQLALC_API int sqlalc_inspect_json(sqlalc_engine *eng, FILE *f);
SQLALC_API int sqlalc_inspector_json(sqlalc_inspector *insp, const char *schema, FILE *f);

/* ------------------------------------------------------------------ */
/* Reflection                                                          */
/* ------------------------------------------------------------------ */

typedef struct sqlalc_reflect_options {
    unsigned version;        /* SQLALC_REFLECT_OPTIONS_VERSION */
    const char *schema;      /* NULL = default schema */
    const char *const *only; /* reflect only these table names (NULL = all) */
    size_t nonly;
    int views; /* also reflect views */
} sqlalc_reflect_options;
#define SQLALC_REFLECT_OPTIONS_VERSION 1
#define SQLALC_REFLECT_OPTIONS_INIT                      \
    {                                                    \
        SQLALC_REFLECT_OPTIONS_VERSION, NULL, NULL, 0, 0 \
    }

/*
 * Build a Table in md for every table of the database (or those named in
 * options->only, which must all exist), with foreign keys linked to their
 * reflected targets; tables md already holds are kept as they are.
 * Referenced tables outside the selection are reflected too (as
 * SQLAlchemy does) so that every foreign key resolves.  options may be NULL.
 */
SQLALC_API int sqlalc_metadata_reflect(sqlalc_metadata *md, sqlalc_engine *eng,
                                       const sqlalc_reflect_options *options);
SQLALC_API int sqlalc_metadata_reflect_conn(sqlalc_metadata *md, sqlalc_conn *conn,
                                            const sqlalc_reflect_options *options);
/* Reflect one table (schema NULL = default) into md; *out (may be NULL)
 * receives it, borrowed from md. */
SQLALC_API int sqlalc_table_reflect(sqlalc_metadata *md, sqlalc_engine *eng, const char *schema,
                                    const char *name, sqlalc_table **out);
/* Build a table in md from an info struct (no database needed). */
SQLALC_API int sqlalc_table_from_info(sqlalc_metadata *md, const sqlalc_table_info *ti, sqlalc_table **out);

#ifdef __cplusplus
}
#endif
#endif

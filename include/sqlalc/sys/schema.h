/*
 * libsqlalc — the hooks a dialect gives DDL compilation and the inspector.
 * Included by <sqlalc/sys/plugin.h>; needed only to write a dialect.
 */
#ifndef SQLALC_SYS_SCHEMA_H
#define SQLALC_SYS_SCHEMA_H
#include "plugin.h"
#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* DDL                                                                 */
/* ------------------------------------------------------------------ */

/* How a column draws from a sequence (sqlalc_ddl_hooks.sequences). */
enum {
    SQLALC_DDL_SEQUENCES_NONE = 0,
    SQLALC_DDL_SEQUENCES_NEXTVAL,       /* nextval('name') (PostgreSQL) */
    SQLALC_DDL_SEQUENCES_NEXT_VALUE_FOR /* NEXT VALUE FOR name (SQL Server) */
};

/* How the autoincrement column is declared. */
enum {
    SQLALC_DDL_AUTOINC_NONE = 0, /* nothing to write (SQLite: INTEGER PRIMARY KEY is the rowid) */
    SQLALC_DDL_AUTOINC_SERIAL,   /* type becomes SERIAL / BIGSERIAL / SMALLSERIAL (PostgreSQL) */
    SQLALC_DDL_AUTOINC_IDENTITY  /* IDENTITY after the nullability (SQL Server) */
};

/*
 * The generic DDL compiler (src/sql/ddl.c) writes CREATE/DROP TABLE,
 * CREATE/DROP INDEX, ALTER TABLE ADD/DROP CONSTRAINT and, where the
 * dialect has them, enum types and comments, in SQLAlchemy's layout; the
 * dialect only says how its flavour differs.
 */
struct sqlalc_ddl_hooks {
    unsigned version; /* SQLALC_DDL_HOOKS_VERSION */
    /* Spell a type for a column ("VARCHAR(50)"), snprintf-like (returns the
     * length needed).  Never called for an ENUM when native_enum is set. */
    size_t (*type_sql)(const sqlalc_type *t, char *buf, size_t bufsize);
    int autoincrement;                 /* SQLALC_DDL_AUTOINC_* */
    unsigned explicit_null : 1;        /* write NULL for nullable columns; NULL/NOT NULL before DEFAULT */
    unsigned native_enum : 1;          /* CREATE TYPE name AS ENUM (…) before the table, DROP TYPE after */
    unsigned enum_check : 1;           /* non-native enums get CHECK (col IN (…)) */
    unsigned alter_constraints : 1;    /* ALTER TABLE ADD/DROP CONSTRAINT works (FK cycles) */
    unsigned comments : 1;             /* COMMENT ON TABLE / COLUMN after the table */
    unsigned fk_same_schema : 1;       /* REFERENCES names the table without schema (SQLite) */
    unsigned index_schema_on_name : 1; /* CREATE INDEX schema.ix ON t (SQLite) */
    unsigned drop_index_on_table : 1;  /* DROP INDEX ix ON schema.t (SQL Server) */
    /* A table asking for it (sqlalc_opt_sqlite_autoincrement) declares its
     * integer key inline as PRIMARY KEY AUTOINCREMENT (SQLite). */
    unsigned inline_pk_autoincrement : 1;
    /* --- version 2 --- */
    /* The longest identifier the database keeps (0: no limit); a longer
     * name is an error naming the limit, never a silent truncation.
     * Counted in bytes (PostgreSQL's NAMEDATALEN - 1) or, with
     * identifier_length_in_chars, in characters (SQL Server's 128). */
    size_t max_identifier_length;
    unsigned identifier_length_in_chars : 1;
    unsigned paren_default_expr : 1; /* expression server defaults in parentheses (SQLite) */
    unsigned identity_columns : 1;   /* GENERATED … AS IDENTITY (…) (PostgreSQL) */
    unsigned domains : 1;            /* CREATE DOMAIN before the tables, DROP DOMAIN after */
    unsigned partitions : 1;         /* PARTITION BY / PARTITION OF (PostgreSQL) */
    unsigned index_method : 1;       /* CREATE INDEX … USING method (PostgreSQL) */
    unsigned index_with : 1;         /* CREATE INDEX … WITH (storage parameters) (PostgreSQL) */
    unsigned index_include : 1;      /* CREATE INDEX … INCLUDE (columns) */
    unsigned index_where : 1;        /* partial indexes: CREATE INDEX … WHERE predicate */
    unsigned index_opclass : 1;      /* operator classes on index elements (PostgreSQL) */
    /* Sequences: SQLALC_DDL_SEQUENCES_* (none, nextval('s'), NEXT VALUE FOR s). */
    int sequences;
};
#define SQLALC_DDL_HOOKS_VERSION 2 /* 1: the fields up to inline_pk_autoincrement */

/* ------------------------------------------------------------------ */
/* Reflection                                                          */
/* ------------------------------------------------------------------ */

/*
 * A dialect reflects a whole schema in a fixed number of round trips,
 * whatever the number of tables (1,000 tables must not mean 5,000
 * queries).  It does so in one of two ways:
 *
 *  1. Functions: `reflect` fills an sqlalc_schema_info with every table
 *     (or the named ones) of a schema, using the sqlalc_reflect_* builders
 *     below; it may run any queries it likes (SQLite joins sqlite_master
 *     with the pragma table-valued functions: four queries per schema).
 *
 *  2. Catalog queries: when `reflect` is NULL, the engine runs these
 *     queries with one named bind parameter :schema (the schema name, the
 *     default schema's name when none is given) and fills the structs
 *     itself.  Each returns rows for every table of the schema, in this
 *     column layout (text columns may be NULL where noted):
 *
 *     tables_query:      table_name, is_view (int 0/1), comment (NULL)
 *     columns_query:     table_name, column_name, type (as the catalog spells
 *                        it, given to parse_type), nullable (int 0/1),
 *                        default (SQL text or NULL), autoincrement (int 0/1),
 *                        comment (NULL) — ordered by table, column position
 *     constraints_query: table_name, kind ('p' primary key, 'u' unique,
 *                        'f' foreign key, 'c' check), constraint_name,
 *                        column_name (NULL for 'c'), referred_schema (NULL
 *                        when it is the queried schema), referred_table,
 *                        referred_column, ondelete, onupdate (NULL for NO
 *                        ACTION), check text (for 'c', without CHECK and
 *                        outer parentheses) — ordered by table,
 *                        constraint name, position in the constraint
 *     indexes_query:     table_name, index_name, column_name, is_unique
 *                        (int 0/1) — ordered by table, index, position;
 *                        leave out the indexes that back a primary key or
 *                        unique constraint
 *     enums_query:       (optional) type_name, label — ordered by type,
 *                        label position: a column whose spelled type is
 *                        one of these names (as is, or double-quoted)
 *                        reflects as sqlalc_type_enum(type_name, labels…)
 *
 *     Optional trailing columns (read when the query returns them):
 *     tables_query:      … partition_by, partition_of, partition_bound
 *     columns_query:     … identity ('a' ALWAYS, 'd' BY DEFAULT, NULL),
 *                        identity start, increment, minvalue, maxvalue,
 *                        cache, cycle (int 0/1), sequence (the sequence
 *                        the default draws from, or NULL), serial (int
 *                        0/1: the column's own SERIAL sequence, named as
 *                        SERIAL names it), domain (the domain's name when
 *                        the type column holds its base type, or NULL)
 *     indexes_query:     … expression (SQL of an expression element, its
 *                        column_name NULL), sorting ("DESC NULLS LAST" …
 *                        or NULL), opclass (NULL: the default), method
 *                        (NULL: the default), where, include (covering
 *                        columns joined by 0x1f), with, duplicates_constraint
 *                        (the unique constraint the index backs: then list
 *                        it), inherited (int 0/1) — the index-level ones
 *                        are read from an index's first row
 *     sequences_query:   (optional) sequence_name, data_type, start,
 *                        increment, minvalue, maxvalue, cache, cycle,
 *                        owner_table, owner_column, identity (int 0/1)
 *     domains_query:     (optional) domain_name, base type (spelled),
 *                        not_null (int 0/1), default, check_name,
 *                        check_text — one row per check (NULL check
 *                        columns for a domain without any), ordered by
 *                        domain; a column whose spelled type is a domain
 *                        reflects as sqlalc_type_domain()
 *
 * Either way `parse_type` turns a spelled type into a library type
 * ("character varying(30)" → String(30)); unknown spellings become
 * sqlalc_type_user().  has_table / table_names / has_type may be NULL:
 * the engine then derives them from tables_query (or reflect).
 */
struct sqlalc_reflect_hooks {
    unsigned version;                /* SQLALC_REFLECT_HOOKS_VERSION */
    const char *default_schema_name; /* "main", "public", "dbo" */
    /* The connection's default schema (NULL: default_schema_name). */
    int (*default_schema)(sqlalc_conn *conn, char **out);
    /* Schema names (NULL: just the default schema). */
    int (*schema_names)(sqlalc_conn *conn, sqlalc_strlist *out);
    /* Names of the tables (views non-zero: of the views) of schema. */
    int (*table_names)(sqlalc_conn *conn, const char *schema, int views, sqlalc_strlist *out);
    int (*has_table)(sqlalc_conn *conn, const char *schema, const char *name, int *out);
    /* Whether a named type (PostgreSQL enum) exists. */
    int (*has_type)(sqlalc_conn *conn, const char *schema, const char *name, int *out);
    /* Way 1: fill out with the tables of schema (every one when names is
     * NULL; views too when views is non-zero). */
    int (*reflect)(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames, int views,
                   sqlalc_schema_info *out);
    /* Way 2: catalog queries (see above). */
    const char *tables_query;
    const char *columns_query;
    const char *constraints_query;
    const char *indexes_query;
    const char *enums_query; /* optional: native enum types and labels */
    /* Spelled type → library type (new reference; NULL only when out of memory). */
    sqlalc_type *(*parse_type)(const char *spelled);
    /* Non-zero: tables/columns/constraints/indexes queries also take a
     * named parameter :tables, the wanted table names joined by the
     * character 0x1f (NULL when every table is wanted), so reflecting a few
     * tables of a large schema filters on the server. */
    int queries_take_tables;
    /* --- version 2 --- */
    const char *sequences_query; /* optional, see above */
    const char *domains_query;   /* optional, see above */
    /* Whether a sequence exists (NULL: none do). */
    int (*has_sequence)(sqlalc_conn *conn, const char *schema, const char *name, int *out);
};
#define SQLALC_REFLECT_HOOKS_VERSION 2 /* 1: the fields up to queries_take_tables */

/*
 * Builders for reflection hooks.  Strings are copied.  A pointer returned
 * by an add function stays valid until the next add of the same kind on
 * the same table (the arrays grow).  All return NULL / an error code only
 * when out of memory.
 */
SQLALC_API sqlalc_table_info *sqlalc_reflect_add_table(sqlalc_schema_info *si, const char *schema,
                                                       const char *name, int is_view);
/* The table already added (NULL if none). */
SQLALC_API sqlalc_table_info *sqlalc_reflect_find_table(sqlalc_schema_info *si, const char *schema,
                                                        const char *name);
/* A column; type is consumed (may be NULL: then parsed from type_sql by the
 * caller's parse_type later — pass one of them). */
SQLALC_API sqlalc_column_info *sqlalc_reflect_add_column(sqlalc_table_info *t, const char *name,
                                                         sqlalc_type *type, const char *type_sql,
                                                         int nullable, const char *default_sql,
                                                         int autoincrement, const char *comment);
/* Append column to the primary key (sets the column's pk_position). */
SQLALC_API int sqlalc_reflect_pk_column(sqlalc_table_info *t, const char *column);
SQLALC_API int sqlalc_reflect_set_pk_name(sqlalc_table_info *t, const char *name);
SQLALC_API sqlalc_fk_info *sqlalc_reflect_add_fk(sqlalc_table_info *t, const char *name,
                                                 const char *referred_schema, const char *referred_table,
                                                 const char *ondelete, const char *onupdate);
SQLALC_API int sqlalc_reflect_fk_column(sqlalc_fk_info *fk, const char *column, const char *referred_column);
SQLALC_API sqlalc_index_info *sqlalc_reflect_add_index(sqlalc_table_info *t, const char *name, int unique);
SQLALC_API sqlalc_unique_info *sqlalc_reflect_add_unique(sqlalc_table_info *t, const char *name);
SQLALC_API sqlalc_check_info *sqlalc_reflect_add_check(sqlalc_table_info *t, const char *name,
                                                       const char *sqltext);
SQLALC_API int sqlalc_reflect_set_string(char **field, const char *value);
/* A key element of an index (column NULL for an expression); also
 * appended to ix->columns (the column, or the expression's SQL). */
SQLALC_API sqlalc_index_element_info *sqlalc_reflect_index_element(sqlalc_index_info *ix, const char *column,
                                                                   const char *expression,
                                                                   const char *sorting, const char *opclass);
SQLALC_API sqlalc_sequence_info *sqlalc_reflect_add_sequence(sqlalc_schema_info *si, const char *schema,
                                                             const char *name);
/* A domain; type is consumed. */
SQLALC_API sqlalc_domain_info *sqlalc_reflect_add_domain(sqlalc_schema_info *si, const char *schema,
                                                         const char *name, sqlalc_type *type,
                                                         const char *type_sql, int nullable,
                                                         const char *default_sql);
SQLALC_API sqlalc_check_info *sqlalc_reflect_domain_check(sqlalc_domain_info *dom, const char *name,
                                                          const char *sqltext);

/* Reading catalog rows in a reflect hook: the column's value, NULL / 0 for
 * SQL NULL; a failure is kept in *rr (the first one wins) so a loop can
 * finish its row and report once.  sqlalc_reflect_int64 returns
 * SQLALC_ERR_TYPE without recording it when the value is not a number. */
SQLALC_API const char *sqlalc_reflect_text(const sqlalc_row *row, int i, int *rr);
SQLALC_API int sqlalc_reflect_int64(const sqlalc_row *row, int i, int *rr, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif

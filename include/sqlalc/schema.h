/*
 * libsqlalc — schema as data: metadata, tables, columns, types,
 * constraints, indexes, DDL.  Included by <sqlalc.h>.
 *
 *   sqlalc_metadata *md = sqlalc_metadata_new();
 *   sqlalc_table *user = sqlalc_table_new(md, "user",
 *       sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
 *       sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL),
 *       sqlalc_index("ix_user_name", "name", 0));
 *   sqlalc_table *addr = sqlalc_table_new(md, "address",
 *       sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
 *       sqlalc_column("user_id", sqlalc_type_integer(), SQLALC_NOT_NULL,
 *                     sqlalc_foreign_key_ex("user.id", SQLALC_FK_OPTIONS(.ondelete = "CASCADE"))),
 *       sqlalc_column("email", sqlalc_type_string(100), 0, sqlalc_opt_comment("primary mail")));
 *   if (!user || !addr) die(sqlalc_errmsg());
 *   sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST);
 *
 * Ownership.  Types and schema items follow the expression rule of
 * <sqlalc.h>: a constructor returns a new reference / new item; whatever
 * takes one (sqlalc_column takes its type and options, sqlalc_table_new
 * takes every element) owns it from then on, on success AND on failure.
 * A NULL argument (a constructor that failed) makes the taker release all
 * the others and return NULL, keeping the first error.  So a whole table
 * definition needs one check, at the end.
 *
 * The element lists of sqlalc_column() and sqlalc_table_new() are macros
 * that append their own end marker (SQLALC_END): do NOT end the list with
 * NULL — a NULL element means "this element failed" and fails the table.
 *
 * A metadata owns its tables: sqlalc_metadata_free() releases them.  A
 * table stays alive (detached from its metadata) while statements hold
 * references to it or its columns (see sqlalc_c()).
 *
 * Column lists in constraints and indexes are comma-separated names:
 * "a, b".  SQL fragments (CHECK text, server defaults given as SQL) are
 * written into DDL verbatim: never build them from untrusted input.
 */
#ifndef SQLALC_SCHEMA_H
#define SQLALC_SCHEMA_H
#include "core.h"
#include "engine.h"
#include "dialect.h"
#ifdef __cplusplus
extern "C" {
#endif

/* The generic kinds of column type (SQLAlchemy's generic types). */
typedef enum sqlalc_type_kind {
    SQLALC_TYPE_NULL = 0, /* unknown / untyped */
    SQLALC_TYPE_INTEGER,
    SQLALC_TYPE_SMALLINT,
    SQLALC_TYPE_BIGINT,
    SQLALC_TYPE_FLOAT,
    SQLALC_TYPE_NUMERIC, /* precision, scale */
    SQLALC_TYPE_STRING,  /* length (0 = unbounded) */
    SQLALC_TYPE_TEXT,
    SQLALC_TYPE_UNICODE, /* length */
    SQLALC_TYPE_UNICODE_TEXT,
    SQLALC_TYPE_BOOLEAN,
    SQLALC_TYPE_DATE,
    SQLALC_TYPE_TIME,
    SQLALC_TYPE_DATETIME, /* timezone flag */
    SQLALC_TYPE_ENUM,     /* values, name */
    SQLALC_TYPE_LARGE_BINARY,
    SQLALC_TYPE_JSON,
    SQLALC_TYPE_INTERVAL,
    SQLALC_TYPE_UUID,
    SQLALC_TYPE_USER, /* a user-named type rendered verbatim */
    /* --- appended (reflection round trips) --- */
    SQLALC_TYPE_REAL,   /* REAL / float4 */
    SQLALC_TYPE_DOUBLE, /* DOUBLE PRECISION / float8 (PostgreSQL's DOUBLE_PRECISION) */
    SQLALC_TYPE_CHAR,   /* CHAR(length): blank-padded, fixed length */
    SQLALC_TYPE_NCHAR,  /* NCHAR(length) */
    SQLALC_TYPE_JSONB,  /* PostgreSQL JSONB (JSON elsewhere) */
    SQLALC_TYPE_DOMAIN  /* a named domain over a base type (PostgreSQL CREATE DOMAIN) */
} sqlalc_type_kind;

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

/*
 * Type constructors return a new reference (types are immutable and may be
 * shared; parameterless ones are static and never allocate), or NULL with
 * SQLALC_ERR_ARGUMENT for bad arguments / SQLALC_ERR_NOMEM.  A few carry a
 * "_type" suffix so that they do not clash with the expression API's
 * literal constructors (sqlalc_type_text vs a text fragment).
 */
SQLALC_API sqlalc_type *sqlalc_type_integer(void);
SQLALC_API sqlalc_type *sqlalc_type_smallint(void);
SQLALC_API sqlalc_type *sqlalc_type_bigint(void);
/* Float; sqlalc_type_float_precision(p) is Float(precision=p), p >= 1. */
SQLALC_API sqlalc_type *sqlalc_type_float(void);
SQLALC_API sqlalc_type *sqlalc_type_float_precision(int precision);
/* Numeric(precision, scale): -1 leaves a part out (Numeric(10) is
 * (10, -1)); precision >= 1, 0 <= scale <= precision, and a scale needs a
 * precision. */
SQLALC_API sqlalc_type *sqlalc_type_numeric(int precision, int scale);
/* String(length) / Unicode(length): length 0 means none (VARCHAR). */
SQLALC_API sqlalc_type *sqlalc_type_string(int length);
SQLALC_API sqlalc_type *sqlalc_type_text(void);
SQLALC_API sqlalc_type *sqlalc_type_unicode(int length);
SQLALC_API sqlalc_type *sqlalc_type_unicode_text(void);
SQLALC_API sqlalc_type *sqlalc_type_boolean(void);
SQLALC_API sqlalc_type *sqlalc_type_date(void);
SQLALC_API sqlalc_type *sqlalc_type_time(int timezone);
SQLALC_API sqlalc_type *sqlalc_type_datetime(int timezone);
SQLALC_API sqlalc_type *sqlalc_type_large_binary(void);
SQLALC_API sqlalc_type *sqlalc_type_json(void);
SQLALC_API sqlalc_type *sqlalc_type_interval(void);
SQLALC_API sqlalc_type *sqlalc_type_uuid(void);
/* REAL (single precision) and DOUBLE PRECISION, as SQLAlchemy's REAL and
 * postgresql.DOUBLE_PRECISION (SQLite spells it DOUBLE). */
SQLALC_API sqlalc_type *sqlalc_type_real(void);
SQLALC_API sqlalc_type *sqlalc_type_double(void);
/* CHAR(length) / NCHAR(length): fixed length, blank-padded (length 0: none). */
SQLALC_API sqlalc_type *sqlalc_type_char(int length);
SQLALC_API sqlalc_type *sqlalc_type_nchar(int length);
/* JSONB on PostgreSQL (SQLAlchemy's postgresql.JSONB); JSON elsewhere.
 * sqlalc_type_json() is JSON everywhere, as SQLAlchemy's JSON. */
SQLALC_API sqlalc_type *sqlalc_type_jsonb(void);
/* DateTime / Time with fractional-seconds precision (TIMESTAMP(3) on
 * PostgreSQL, DATETIME2(3) on SQL Server); precision >= 0. */
SQLALC_API sqlalc_type *sqlalc_type_datetime_precision(int timezone, int precision);
SQLALC_API sqlalc_type *sqlalc_type_time_precision(int timezone, int precision);

/* Options of sqlalc_type_enum_ex (SQLAlchemy's Enum keywords). */
typedef struct sqlalc_enum_options {
    unsigned version;      /* SQLALC_ENUM_OPTIONS_VERSION */
    int create_constraint; /* non-native enums get CHECK (col IN (…)); off by default, as SQLAlchemy 1.4 */
    int non_native;        /* VARCHAR (+ CHECK when asked) even where the database has ENUM types */
} sqlalc_enum_options;
#define SQLALC_ENUM_OPTIONS_VERSION 1
#define SQLALC_ENUM_OPTIONS(...) (&(const sqlalc_enum_options){ SQLALC_ENUM_OPTIONS_VERSION, __VA_ARGS__ })
/* Enum of n values with options (NULL: as sqlalc_type_enum_array). */
SQLALC_API sqlalc_type *sqlalc_type_enum_ex(const char *name, const char *const *values, size_t n,
                                            const sqlalc_enum_options *opts);

/*
 * A domain: a named type over a base type with its own NOT NULL, default
 * and CHECK constraints (PostgreSQL CREATE DOMAIN; VALUE names the value
 * in a check).  create_all creates it before the first table using it
 * and drop_all drops it after the last, as enum types; on databases
 * without domains a column of it is declared with the base type.
 * base is consumed.
 */
typedef struct sqlalc_domain_options {
    unsigned version; /* SQLALC_DOMAIN_OPTIONS_VERSION */
    int not_null;
    const char *default_sql;        /* SQL of the DEFAULT, or NULL */
    const char *const *check_names; /* nchecks names (entries may be NULL) or NULL */
    const char *const *checks;      /* nchecks conditions, without CHECK and parentheses */
    size_t nchecks;
} sqlalc_domain_options;
#define SQLALC_DOMAIN_OPTIONS_VERSION 1
#define SQLALC_DOMAIN_OPTIONS(...) \
    (&(const sqlalc_domain_options){ SQLALC_DOMAIN_OPTIONS_VERSION, __VA_ARGS__ })
SQLALC_API sqlalc_type *sqlalc_type_domain(const char *name, sqlalc_type *base,
                                           const sqlalc_domain_options *opts);
/* The base type of a domain (borrowed), NULL for other types. */
SQLALC_API const sqlalc_type *sqlalc_type_domain_base(const sqlalc_type *t);

/*
 * t, spelled as variant on the dialect named dialect_name (SQLAlchemy's
 * with_variant): String(30).with_variant(user("NVARCHAR(30)"), "sqlite").
 * Reflection uses it to keep a database's own spelling when the schema
 * goes back to the same kind of database.  Both types are consumed;
 * returns a new reference.
 */
SQLALC_API sqlalc_type *sqlalc_type_with_variant(sqlalc_type *t, sqlalc_type *variant,
                                                 const char *dialect_name);
/*
 * Enum: sqlalc_type_enum("mood", "happy", "sad") (the macro ends the list).
 * name may be NULL (PostgreSQL then refuses it: its ENUM needs a name);
 * at least one value, no duplicates.  PostgreSQL creates a native ENUM type
 * (CREATE TYPE before the first table using it, DROP TYPE after the last);
 * other dialects use VARCHAR(longest value) plus a CHECK constraint named
 * after the enum.
 */
#define sqlalc_type_enum(name, ...) sqlalc_type_enum_new((name), __VA_ARGS__, (const char *)NULL)
SQLALC_API sqlalc_type *sqlalc_type_enum_new(const char *name, ...);
SQLALC_API sqlalc_type *sqlalc_type_enum_array(const char *name, const char *const *values, size_t n);
/* A type the dialect does not know, written verbatim in DDL ("CITEXT",
 * "GEOMETRY(POINT, 4326)").  Letters, digits, spaces, _ ( ) , only. */
SQLALC_API sqlalc_type *sqlalc_type_user(const char *sql);

SQLALC_API sqlalc_type *sqlalc_type_ref(sqlalc_type *t);
SQLALC_API void sqlalc_type_free(sqlalc_type *t);

/* Getters.  length/precision/scale are -1 (precision, scale) or 0
 * (length) when not given. */
SQLALC_API sqlalc_type_kind sqlalc_type_get_kind(const sqlalc_type *t);
SQLALC_API int sqlalc_type_length(const sqlalc_type *t);
SQLALC_API int sqlalc_type_precision(const sqlalc_type *t);
SQLALC_API int sqlalc_type_scale(const sqlalc_type *t);
SQLALC_API int sqlalc_type_timezone(const sqlalc_type *t);
/* Enum name or user type's SQL; NULL otherwise. */
SQLALC_API const char *sqlalc_type_name(const sqlalc_type *t);
SQLALC_API size_t sqlalc_type_enum_count(const sqlalc_type *t);
SQLALC_API const char *sqlalc_type_enum_value(const sqlalc_type *t, size_t i);
/* Generic name of a kind: "INTEGER", "NUMERIC", "VARCHAR", "ENUM" … */
SQLALC_API const char *sqlalc_type_kind_name(sqlalc_type_kind k);
/* Non-zero when a and b have the same kind and arguments. */
SQLALC_API int sqlalc_type_equal(const sqlalc_type *a, const sqlalc_type *b);
/* The type as dialect d spells it in DDL ("VARCHAR(50)", "SERIAL" is not a
 * type: autoincrement is the column's).  snprintf-like: returns the length
 * needed; buf may be NULL when bufsize is 0. */
SQLALC_API size_t sqlalc_type_sql(const sqlalc_type *t, const sqlalc_dialect *d, char *buf, size_t bufsize);
/*
 * Parse a type as a database spells it ("VARCHAR(50)", "NUMERIC(10, 2)",
 * "character varying(30)", "timestamp with time zone", "NVARCHAR(max)",
 * "bit", "jsonb" …) into a library type: the generic type whose DDL
 * matches.  Unknown names become sqlalc_type_user(spelled), an empty one
 * the NULL type.  Returns a new reference; NULL only when out of memory.
 */
SQLALC_API sqlalc_type *sqlalc_type_parse(const char *spelled);

/* ------------------------------------------------------------------ */
/* Schema items: columns, column options, constraints, indexes          */
/* ------------------------------------------------------------------ */

typedef struct sqlalc_schema_item sqlalc_schema_item;

/* The end marker the list macros append (never write it yourself). */
SQLALC_API extern char sqlalc_item_end;
#define SQLALC_END ((sqlalc_schema_item *)(void *)&sqlalc_item_end)

/* Column flags. */
#define SQLALC_PRIMARY_KEY 0x01u /* part of the primary key (implies NOT NULL) */
#define SQLALC_NOT_NULL 0x02u
#define SQLALC_UNIQUE 0x04u           /* UNIQUE constraint (with SQLALC_INDEX: a unique index) */
#define SQLALC_INDEX 0x08u            /* index named ix_<table>_<column> */
#define SQLALC_AUTOINCREMENT 0x10u    /* autoincrement=True (IDENTITY on mssql even off the key) */
#define SQLALC_NO_AUTOINCREMENT 0x20u /* autoincrement=False */
#define SQLALC_NULLABLE 0x40u /* nullable=True even in the primary key (SQLite lets such keys hold NULL) */

/*
 * sqlalc_column(name, type, flags [, option …]): a column.  Options are
 * items made by sqlalc_foreign_key*, sqlalc_opt_default, sqlalc_opt_server_default*,
 * sqlalc_opt_comment.  Takes ownership of type and options.  Without
 * SQLALC_AUTOINCREMENT / SQLALC_NO_AUTOINCREMENT, autoincrement is
 * SQLAlchemy's "auto": the table's single integer primary-key column with
 * no server default and no foreign key is autoincrementing.
 */
#define sqlalc_column(name, type, ...) sqlalc_column_new((name), (type), __VA_ARGS__, SQLALC_END)
SQLALC_API sqlalc_schema_item *sqlalc_column_new(const char *name, sqlalc_type *type, unsigned flags, ...);

/* Options of a foreign key.  Build in place with SQLALC_FK_OPTIONS(.name = "fk_x",
 * .ondelete = "CASCADE").  ondelete / onupdate: CASCADE, SET NULL, SET
 * DEFAULT, RESTRICT or NO ACTION.  use_alter: create it with ALTER TABLE
 * after the tables (needs a name; cycles get this automatically). */
typedef struct sqlalc_fk_options {
    const char *name;
    const char *ondelete;
    const char *onupdate;
    int use_alter;
} sqlalc_fk_options;
#ifndef __cplusplus
#    define SQLALC_FK_OPTIONS(...) (&(const sqlalc_fk_options){ __VA_ARGS__ })
#else
/* C++17 has no designated initialisers: SQLALC_FK_OPTIONS(name, ondelete, onupdate, use_alter). */
inline const sqlalc_fk_options *sqlalc__fk_options_ptr(const sqlalc_fk_options &o)
{
    return &o;
}
#    define SQLALC_FK_OPTIONS(...) (sqlalc__fk_options_ptr(sqlalc_fk_options{ __VA_ARGS__ }))
#endif

/* Column-level ForeignKey: target "table.column" or "schema.table.column". */
SQLALC_API sqlalc_schema_item *sqlalc_foreign_key(const char *target);
SQLALC_API sqlalc_schema_item *sqlalc_foreign_key_ex(const char *target, const sqlalc_fk_options *opts);
/* Client-side default: the value a builder uses when an INSERT omits the
 * column (text is copied). */
SQLALC_API sqlalc_schema_item *sqlalc_opt_default(sqlalc_value v);
/* Server default as a string literal: "0" becomes DEFAULT '0' (as
 * SQLAlchemy's server_default="0"). */
SQLALC_API sqlalc_schema_item *sqlalc_opt_server_default(const char *literal);
/* Server default as SQL: "CURRENT_TIMESTAMP" becomes DEFAULT CURRENT_TIMESTAMP. */
SQLALC_API sqlalc_schema_item *sqlalc_opt_server_default_sql(const char *sql);
/* Comment of a column or (given to sqlalc_table_new) of a table. */
SQLALC_API sqlalc_schema_item *sqlalc_opt_comment(const char *comment);
/* Table in a named schema (given to sqlalc_table_new). */
SQLALC_API sqlalc_schema_item *sqlalc_opt_schema(const char *schema);
/* SQLite: the integer primary key is declared PRIMARY KEY AUTOINCREMENT
 * (sqlite_autoincrement=True); ignored elsewhere. */
SQLALC_API sqlalc_schema_item *sqlalc_opt_sqlite_autoincrement(void);
/* SQL Server (given to sqlalc_table_new): the table's new IDENTITY value
 * is read with SCOPE_IDENTITY() instead of OUTPUT inserted.*, which SQL
 * Server refuses on a table with triggers (SQLAlchemy's
 * implicit_returning=False on mssql).  An INSERT of one row RETURNING only
 * the IDENTITY column then compiles to "INSERT …; select scope_identity()"
 * and its row comes from the batch's second result; RETURNING anything
 * else, several rows or INSERT … SELECT is a compile error on mssql.
 * Ignored by other dialects. */
SQLALC_API sqlalc_schema_item *sqlalc_opt_mssql_scope_identity(void);

/* Server default as an expression compiled for each dialect with its
 * values inline (SQLAlchemy's server_default=true() / func.now() /
 * literal(5)): DEFAULT true on PostgreSQL, DEFAULT 1 on SQL Server,
 * DEFAULT (1) on SQLite, which wants expressions parenthesised.  Takes
 * ownership of e (a NULL e fails the option, keeping e's error). */
SQLALC_API sqlalc_schema_item *sqlalc_opt_server_default_expr(sqlalc_expr *e);

/* An identity column (SQLAlchemy's Identity): GENERATED {ALWAYS | BY
 * DEFAULT} AS IDENTITY (…) on PostgreSQL, IDENTITY(start, increment) on
 * SQL Server.  Fields count only when their SQLALC_IDENTITY_* bit is in
 * has (an option left out takes the database's default). */
#define SQLALC_IDENTITY_START 0x01u
#define SQLALC_IDENTITY_INCREMENT 0x02u
#define SQLALC_IDENTITY_MINVALUE 0x04u
#define SQLALC_IDENTITY_MAXVALUE 0x08u
#define SQLALC_IDENTITY_CACHE 0x10u
#define SQLALC_IDENTITY_CYCLE 0x20u
typedef struct sqlalc_identity_options {
    unsigned version; /* SQLALC_IDENTITY_OPTIONS_VERSION */
    int always;       /* GENERATED ALWAYS (else BY DEFAULT) */
    unsigned has;     /* SQLALC_IDENTITY_* bits */
    int64_t start, increment, minvalue, maxvalue, cache;
    int cycle;
} sqlalc_identity_options;
#define SQLALC_IDENTITY_OPTIONS_VERSION 1
#define SQLALC_IDENTITY_OPTIONS(...) \
    (&(const sqlalc_identity_options){ SQLALC_IDENTITY_OPTIONS_VERSION, __VA_ARGS__ })
/* opts may be NULL (BY DEFAULT, database defaults). */
SQLALC_API sqlalc_schema_item *sqlalc_opt_identity(const sqlalc_identity_options *opts);

/*
 * Sequences (SQLAlchemy's Sequence).  A sequence belongs to a MetaData:
 * create_all creates it (CREATE SEQUENCE) before the tables and drop_all
 * drops it after them, where the database has sequences (PostgreSQL, SQL
 * Server).  The same SQLALC_IDENTITY_* bits say which options are given;
 * data_type (may be NULL) is an integer type, consumed.
 */
typedef struct sqlalc_sequence sqlalc_sequence;
typedef struct sqlalc_sequence_options {
    unsigned version;       /* SQLALC_SEQUENCE_OPTIONS_VERSION */
    const char *schema;     /* NULL: the default schema */
    sqlalc_type *data_type; /* AS SMALLINT / INTEGER / BIGINT, or NULL */
    unsigned has;           /* SQLALC_IDENTITY_* bits */
    int64_t start, increment, minvalue, maxvalue, cache;
    int cycle;
    /* "table.column" owning it (PostgreSQL OWNED BY: dropped with the
     * column), or NULL */
    const char *owned_by;
} sqlalc_sequence_options;
#define SQLALC_SEQUENCE_OPTIONS_VERSION 1
#define SQLALC_SEQUENCE_OPTIONS(...) \
    (&(sqlalc_sequence_options){ SQLALC_SEQUENCE_OPTIONS_VERSION, __VA_ARGS__ })
/* A new sequence in md (borrowed from it), or NULL (duplicate name, bad
 * options).  opts may be NULL. */
SQLALC_API sqlalc_sequence *sqlalc_sequence_new(sqlalc_metadata *md, const char *name,
                                                const sqlalc_sequence_options *opts);
SQLALC_API size_t sqlalc_metadata_sequence_count(const sqlalc_metadata *md);
SQLALC_API sqlalc_sequence *sqlalc_metadata_sequence_at(const sqlalc_metadata *md, size_t i);
/* By name ("name" or "schema.name"); NULL + SQLALC_ERR_NOT_FOUND when absent. */
SQLALC_API sqlalc_sequence *sqlalc_metadata_sequence(const sqlalc_metadata *md, const char *schema,
                                                     const char *name);
SQLALC_API const char *sqlalc_sequence_name(const sqlalc_sequence *seq);
/* The column draws its values from seq: DEFAULT nextval('seq') on
 * PostgreSQL (NEXT VALUE FOR seq on SQL Server) unless the column has a
 * server default of its own.  seq stays its metadata's. */
SQLALC_API sqlalc_schema_item *sqlalc_opt_sequence(sqlalc_sequence *seq);

/* PostgreSQL declarative partitioning (given to sqlalc_table_new):
 * sqlalc_opt_partition_by("RANGE (created)") makes a partitioned table
 * (SQLAlchemy's postgresql_partition_by); sqlalc_opt_partition_of(parent,
 * "FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')") a partition of
 * another table of the same schema, created after it as CREATE TABLE …
 * PARTITION OF parent <bound>: its columns, keys and indexes come from the
 * parent.  Other databases create plain tables. */
SQLALC_API sqlalc_schema_item *sqlalc_opt_partition_by(const char *sql);
SQLALC_API sqlalc_schema_item *sqlalc_opt_partition_of(const char *parent, const char *bound_sql);

/* Table-level constraints; name may be NULL (unnamed). */
SQLALC_API sqlalc_schema_item *sqlalc_pk_constraint(const char *name, const char *columns);
SQLALC_API sqlalc_schema_item *sqlalc_unique_constraint(const char *name, const char *columns);
SQLALC_API sqlalc_schema_item *sqlalc_check_constraint(const char *name, const char *sqltext);
/* ForeignKeyConstraint: columns "a, b" reference refcolumns
 * "table.x, table.y" (or "schema.table.x, …"); opts may be NULL. */
SQLALC_API sqlalc_schema_item *sqlalc_foreign_key_constraint(const char *columns, const char *refcolumns,
                                                             const sqlalc_fk_options *opts);
/* Index on "a, b"; name may be NULL (ix_<table>_<first column>). */
SQLALC_API sqlalc_schema_item *sqlalc_index(const char *name, const char *columns, int unique);

/* What an index may say besides its columns.  Fragments are SQL written
 * verbatim.  method: the access method ("gist", "gin", "brin", "hash";
 * PostgreSQL's USING, postgresql_using); where: a partial index's
 * predicate (PostgreSQL, SQLite, SQL Server); include: covering columns
 * "c, d" (PostgreSQL 11+, SQL Server); with: storage parameters
 * "fillfactor = 70" (PostgreSQL). */
typedef struct sqlalc_index_options {
    unsigned version; /* SQLALC_INDEX_OPTIONS_VERSION */
    const char *method;
    const char *where;
    const char *include;
    const char *with;
} sqlalc_index_options;
#define SQLALC_INDEX_OPTIONS_VERSION 1
#define SQLALC_INDEX_OPTIONS(...) (&(const sqlalc_index_options){ SQLALC_INDEX_OPTIONS_VERSION, __VA_ARGS__ })
/* One key element: a column of the table, or (column NULL) an SQL
 * expression such as "lower(email)"; sorting "DESC", "NULLS FIRST",
 * "DESC NULLS LAST" … or NULL; opclass an operator class (PostgreSQL)
 * or NULL. */
typedef struct sqlalc_index_element {
    const char *column;
    const char *expression;
    const char *sorting;
    const char *opclass;
} sqlalc_index_element;
/* sqlalc_index with options (opts may be NULL). */
SQLALC_API sqlalc_schema_item *sqlalc_index_ex(const char *name, const char *columns, int unique,
                                               const sqlalc_index_options *opts);
/* An index over n elements (columns and expressions; name required). */
SQLALC_API sqlalc_schema_item *sqlalc_index_elements(const char *name, const sqlalc_index_element *elements,
                                                     size_t n, int unique, const sqlalc_index_options *opts);

/* Free an item that was never given to a column or table. */
SQLALC_API void sqlalc_schema_item_free(sqlalc_schema_item *item);

/* ------------------------------------------------------------------ */
/* Metadata and tables                                                 */
/* ------------------------------------------------------------------ */

SQLALC_API sqlalc_metadata *sqlalc_metadata_new(void);
/* Release the metadata's tables (those still referenced by statements
 * live on, detached) and the metadata. */
SQLALC_API void sqlalc_metadata_free(sqlalc_metadata *md);
SQLALC_API size_t sqlalc_metadata_table_count(const sqlalc_metadata *md);
/* Tables in the order they were added (borrowed). */
SQLALC_API sqlalc_table *sqlalc_metadata_table_at(const sqlalc_metadata *md, size_t i);
/* Look up by name: "name" (default schema) or "schema.name".  NULL and
 * SQLALC_ERR_NOT_FOUND when absent. */
SQLALC_API sqlalc_table *sqlalc_metadata_table(const sqlalc_metadata *md, const char *name);
SQLALC_API sqlalc_table *sqlalc_metadata_table_in(const sqlalc_metadata *md, const char *schema,
                                                  const char *name);
/* Tables in foreign-key dependency order (referenced tables first; ties by
 * name, as SQLAlchemy's sorted_tables).  *out is an array of borrowed
 * tables to free with sqlalc_free(). */
SQLALC_API int sqlalc_metadata_sorted_tables(const sqlalc_metadata *md, sqlalc_table ***out, size_t *n);

/*
 * sqlalc_table_new(md, name, element …): add a table.  Elements are
 * columns, constraints, indexes, sqlalc_opt_schema / sqlalc_opt_comment /
 * sqlalc_opt_sqlite_autoincrement.  Returns the table, borrowed from md,
 * or NULL (duplicate table or column, unknown column in a constraint, bad
 * foreign key target, a NULL element …) after releasing every element.
 */
#define sqlalc_table_new(md, name, ...) sqlalc_table_new_((md), (name), __VA_ARGS__, SQLALC_END)
SQLALC_API sqlalc_table *sqlalc_table_new_(sqlalc_metadata *md, const char *name, ...);
/* Same with an array of n items (all consumed). */
SQLALC_API sqlalc_table *sqlalc_table_newv(sqlalc_metadata *md, const char *name,
                                           sqlalc_schema_item *const *items, size_t n);

SQLALC_API const char *sqlalc_table_name(const sqlalc_table *t);
SQLALC_API const char *sqlalc_table_schema(const sqlalc_table *t); /* NULL = default */
SQLALC_API const char *sqlalc_table_comment(const sqlalc_table *t);
SQLALC_API sqlalc_metadata *sqlalc_table_metadata(const sqlalc_table *t);
SQLALC_API size_t sqlalc_table_column_count(const sqlalc_table *t);
/* Non-zero when t was given sqlalc_opt_mssql_scope_identity(). */
SQLALC_API int sqlalc_table_mssql_scope_identity(const sqlalc_table *t);
/* Column i / by name, borrowed from the table (pass sqlalc_expr_ref() of it
 * to a combinator).  NULL + SQLALC_ERR_NOT_FOUND when absent. */
SQLALC_API sqlalc_expr *sqlalc_table_column(const sqlalc_table *t, size_t i);
SQLALC_API sqlalc_expr *sqlalc_table_column_by_name(const sqlalc_table *t, const char *name);
/* A NEW reference to the named column (keeps the table alive), or NULL +
 * SQLALC_ERR_NOT_FOUND ("table user has no column nmae"). */
SQLALC_API sqlalc_expr *sqlalc_c(sqlalc_table *t, const char *name);
/* A new reference to the table as an expression node (a FROM element). */
SQLALC_API sqlalc_expr *sqlalc_table_expr(sqlalc_table *t);
/* Primary key columns in key order (borrowed). */
SQLALC_API size_t sqlalc_table_pk_count(const sqlalc_table *t);
SQLALC_API sqlalc_expr *sqlalc_table_pk_column(const sqlalc_table *t, size_t i);
/* Number of foreign keys, and the table the i-th one references (NULL
 * while unresolved). */
SQLALC_API size_t sqlalc_table_fk_count(const sqlalc_table *t);
SQLALC_API sqlalc_table *sqlalc_table_fk_target(const sqlalc_table *t, size_t i);

/* Column getters (col is a column node, e.g. from sqlalc_c). */
SQLALC_API int sqlalc_expr_is_column(const sqlalc_expr *e);
SQLALC_API const char *sqlalc_column_name(const sqlalc_expr *col);
SQLALC_API const sqlalc_type *sqlalc_column_type(const sqlalc_expr *col);
SQLALC_API sqlalc_table *sqlalc_column_table(const sqlalc_expr *col);
SQLALC_API int sqlalc_column_nullable(const sqlalc_expr *col);
/* 1-based position in the primary key, 0 when not part of it. */
SQLALC_API int sqlalc_column_primary_key(const sqlalc_expr *col);
/* Non-zero when the column is its table's autoincrement column. */
SQLALC_API int sqlalc_column_autoincrement(const sqlalc_expr *col);
SQLALC_API const char *sqlalc_column_server_default(const sqlalc_expr *col); /* SQL text */
SQLALC_API const char *sqlalc_column_comment(const sqlalc_expr *col);
/* The client-side default (type SQLALC_V_NULL when none). */
SQLALC_API const sqlalc_value *sqlalc_column_default(const sqlalc_expr *col);
SQLALC_API int sqlalc_column_unique(const sqlalc_expr *col);

/* ------------------------------------------------------------------ */
/* DDL                                                                 */
/* ------------------------------------------------------------------ */

/*
 * DDL text for dialect d (sqlalc_find_dialect("postgresql")), as
 * SQLAlchemy's compiler writes it (CREATE TABLE starts with "\n" and ends
 * with "\n\n").  *out is a new string to free with sqlalc_free().
 */
SQLALC_API int sqlalc_create_table_sql(const sqlalc_table *t, const sqlalc_dialect *d, char **out);
SQLALC_API int sqlalc_drop_table_sql(const sqlalc_table *t, const sqlalc_dialect *d, char **out);
/* Index i of the table (index order: declared, then column-level). */
SQLALC_API size_t sqlalc_table_index_count(const sqlalc_table *t);
SQLALC_API int sqlalc_create_index_sql(const sqlalc_table *t, size_t i, const sqlalc_dialect *d, char **out);
SQLALC_API int sqlalc_drop_index_sql(const sqlalc_table *t, size_t i, const sqlalc_dialect *d, char **out);
/* Every statement create_all (drop_all) would run, in order, each
 * trimmed and ended by ";\n". */
SQLALC_API int sqlalc_metadata_create_script(const sqlalc_metadata *md, const sqlalc_dialect *d, char **out);
SQLALC_API int sqlalc_metadata_drop_script(const sqlalc_metadata *md, const sqlalc_dialect *d, char **out);

/* Flags of create/drop. */
#define SQLALC_CHECKFIRST 0x01u /* skip tables that exist (create) / are missing (drop) */

/*
 * Create / drop every table of md on the engine's database, in
 * foreign-key order (drop in reverse), in one transaction where the
 * dialect has transactional DDL.  Foreign keys in cycles are added after
 * with ALTER TABLE (they need names); SQLite declares them inline.
 */
SQLALC_API int sqlalc_metadata_create_all(sqlalc_metadata *md, sqlalc_engine *eng, unsigned flags);
SQLALC_API int sqlalc_metadata_drop_all(sqlalc_metadata *md, sqlalc_engine *eng, unsigned flags);
/* The same on a connection (inside the caller's transaction if one is open). */
SQLALC_API int sqlalc_metadata_create_all_conn(sqlalc_metadata *md, sqlalc_conn *conn, unsigned flags);
SQLALC_API int sqlalc_metadata_drop_all_conn(sqlalc_metadata *md, sqlalc_conn *conn, unsigned flags);
/* Only the n tables given, all of md (SQLAlchemy's create_all(conn,
 * tables=[…])): created in md's foreign-key order (dropped in reverse),
 * with the sequences and enum types they use, on the connection and inside
 * its transaction if one is open.  A table of another MetaData is
 * SQLALC_ERR_ARGUMENT; n = 0 does nothing. */
SQLALC_API int sqlalc_metadata_create_tables_conn(sqlalc_metadata *md, sqlalc_conn *conn,
                                                  sqlalc_table *const *tables, size_t n, unsigned flags);
SQLALC_API int sqlalc_metadata_drop_tables_conn(sqlalc_metadata *md, sqlalc_conn *conn,
                                                sqlalc_table *const *tables, size_t n, unsigned flags);
/* One table (with its indexes / enum types). */
SQLALC_API int sqlalc_table_create(sqlalc_table *t, sqlalc_engine *eng, unsigned flags);
SQLALC_API int sqlalc_table_drop(sqlalc_table *t, sqlalc_engine *eng, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif

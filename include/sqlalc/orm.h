/*
 * libsqlalc — the ORM: plain C structs mapped to tables, a session with a
 * unit of work and an identity map, queries returning objects,
 * relationships, automap.  Included by <sqlalc.h>.  Built on the public
 * API only (src/orm/), as SQLAlchemy's ORM is built on its Core.
 *
 *   struct employee { int64_t id; char *name; };
 *   static const sqlalc_orm_field employee_fields[] = {
 *       SQLALC_ORM_FIELD(struct employee, id, SQLALC_ORM_INT64, "id"),
 *       SQLALC_ORM_FIELD(struct employee, name, SQLALC_ORM_TEXT, "name"),
 *   };
 *   sqlalc_orm_registry *reg = sqlalc_orm_registry_new();
 *   sqlalc_orm_mapper *Employee = sqlalc_orm_map(reg, "Employee", employee_table,
 *       sizeof(struct employee), employee_fields, 2);
 *
 *   sqlalc_session *s;
 *   sqlalc_session_new(eng, &s);
 *   struct employee *dave = sqlalc_session_new_object(s, Employee);
 *   dave->name = sqlalc_orm_strdup("dave");
 *   sqlalc_session_commit(s);          (INSERT, dave->id read back)
 *   sqlalc_orm_set_text(&dave->name, "David");  (or any assignment of an owned string)
 *   sqlalc_session_commit(s);          (UPDATE: the change is found by comparison)
 *   sqlalc_session_free(s);            (frees every object it holds)
 *
 * Objects.  An object is the caller's struct with a hidden header in front
 * (made by sqlalc_orm_new or sqlalc_session_new_object, never by malloc).
 * Once a session holds it, it lives until the session is freed, whatever
 * happens to its row, so pointers to it stay valid.  Text fields (char *)
 * belong to the object and are freed with sqlalc_free(): assign strings
 * from sqlalc_orm_strdup() (or plain strdup() while the default allocator
 * is in use), or call sqlalc_orm_set_text(), which frees the old one.
 *
 * Changes are found by comparing every field with the state last loaded
 * from or written to the database, so plain assignment is enough.
 * Relationships are kept in step through calls (sqlalc_orm_append,
 * sqlalc_orm_set …), which update the back-reference too.
 *
 * Threads: a registry and its mappers are read-only once built and may be
 * shared; a session and its objects belong to one thread at a time.
 */
#ifndef SQLALC_ORM_H
#define SQLALC_ORM_H
#include <stddef.h>
#include "core.h"
#include "engine.h"
#include "schema.h"
#include "expr.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct sqlalc_orm_registry sqlalc_orm_registry;
typedef struct sqlalc_orm_mapper sqlalc_orm_mapper;
typedef struct sqlalc_session sqlalc_session;
typedef struct sqlalc_orm_query sqlalc_orm_query;

/* ------------------------------------------------------------------ */
/* Mappers                                                             */
/* ------------------------------------------------------------------ */

/* What C type a field has. */
typedef enum sqlalc_orm_kind {
    SQLALC_ORM_INT64 = 1, /* int64_t */
    SQLALC_ORM_INT,       /* int */
    SQLALC_ORM_DOUBLE,    /* double */
    SQLALC_ORM_BOOL,      /* int holding 0 or 1 */
    SQLALC_ORM_TEXT       /* char *, owned by the object; NULL is SQL NULL.  Also
                             NUMERIC, DATE, TIME, DATETIME columns, as text */
} sqlalc_orm_kind;

/* "No null flag": the field cannot be SQL NULL (a TEXT field still can,
 * through a NULL pointer). */
#define SQLALC_ORM_NO_FLAG ((size_t)-1)

/*
 * One mapped column: the column's name, the field's kind, its offset in
 * the struct and, for a number that may be NULL, the offset of an int
 * that is non-zero when the value is SQL NULL.
 */
typedef struct sqlalc_orm_field {
    const char *column;
    sqlalc_orm_kind kind;
    size_t offset;
    size_t null_offset; /* SQLALC_ORM_NO_FLAG, or offsetof an int null flag */
} sqlalc_orm_field;

#define SQLALC_ORM_FIELD(type, member, kind, column)                 \
    {                                                                \
        (column), (kind), offsetof(type, member), SQLALC_ORM_NO_FLAG \
    }
#define SQLALC_ORM_FIELD_NULL(type, member, null_member, kind, column)        \
    {                                                                         \
        (column), (kind), offsetof(type, member), offsetof(type, null_member) \
    }

/* A registry holds mappers (SQLAlchemy's registry / declarative base).
 * Freeing it frees its mappers; sessions using them must be freed first. */
SQLALC_API sqlalc_orm_registry *sqlalc_orm_registry_new(void);
SQLALC_API void sqlalc_orm_registry_free(sqlalc_orm_registry *reg);

/*
 * Map table (borrowed: it must outlive the registry) to a struct of size
 * bytes through nfields fields (copied; the column names too).  Every
 * primary-key column must be mapped.  An integer primary key that the
 * database generates (the table's autoincrement column) is "not set" while
 * it is 0: the INSERT leaves it out and reads it back.  A nullable field
 * (NULL text, null flag set) whose column has a server default is left out
 * of the INSERT and read back too; one whose column has a client default
 * (sqlalc_opt_default) receives that default.  Returns the mapper
 * (borrowed from reg) or NULL (SQLALC_ERR_ARGUMENT naming the problem:
 * unknown column, unmapped key, duplicate name).
 */
SQLALC_API sqlalc_orm_mapper *sqlalc_orm_map(sqlalc_orm_registry *reg, const char *name, sqlalc_table *table,
                                             size_t size, const sqlalc_orm_field *fields, size_t nfields);
/* Look up by name (NULL + SQLALC_ERR_NOT_FOUND), or iterate in the order made. */
SQLALC_API sqlalc_orm_mapper *sqlalc_orm_registry_mapper(const sqlalc_orm_registry *reg, const char *name);
SQLALC_API size_t sqlalc_orm_registry_count(const sqlalc_orm_registry *reg);
SQLALC_API sqlalc_orm_mapper *sqlalc_orm_registry_mapper_at(const sqlalc_orm_registry *reg, size_t i);

SQLALC_API const char *sqlalc_orm_mapper_name(const sqlalc_orm_mapper *m);
SQLALC_API sqlalc_table *sqlalc_orm_mapper_table(const sqlalc_orm_mapper *m);
/* A new reference to the mapped column `column` (sqlalc_c of the table). */
SQLALC_API sqlalc_expr *sqlalc_orm_col(const sqlalc_orm_mapper *m, const char *column);

/* ------------------------------------------------------------------ */
/* Relationships                                                       */
/* ------------------------------------------------------------------ */

typedef enum sqlalc_orm_rel_kind {
    /* the local table has the foreign key; a pointer to one target */
    SQLALC_ORM_MANY_TO_ONE = 1,
    /* the target table has the foreign key; a list of targets */
    SQLALC_ORM_ONE_TO_MANY,
    /* uselist=False: a pointer to one target, the foreign key on either side */
    SQLALC_ORM_ONE_TO_ONE,
    /* through a secondary (association) table with foreign keys to both */
    SQLALC_ORM_MANY_TO_MANY
} sqlalc_orm_rel_kind;

/* Cascades (SQLAlchemy's cascade=): SAVE is "save-update", on unless
 * NONE is given; DELETE deletes the targets with the object;
 * DELETE_ORPHAN deletes a target removed from the collection. */
#define SQLALC_ORM_CASCADE_SAVE 0x01u
#define SQLALC_ORM_CASCADE_DELETE 0x02u
#define SQLALC_ORM_CASCADE_DELETE_ORPHAN 0x04u
#define SQLALC_ORM_CASCADE_NONE 0x80u

/* A collection: what a ONE_TO_MANY / MANY_TO_MANY field holds.  Read it
 * freely; change it only through sqlalc_orm_append / sqlalc_orm_remove. */
typedef struct sqlalc_orm_list {
    size_t count;
    void **items;
    size_t capacity;
} sqlalc_orm_list;
/* Free a list's array (the objects belong to their session). */
SQLALC_API void sqlalc_orm_list_clear(sqlalc_orm_list *l);

typedef struct sqlalc_orm_rel_options {
    unsigned version;        /* SQLALC_ORM_REL_OPTIONS_VERSION */
    sqlalc_table *secondary; /* MANY_TO_MANY: the association table (borrowed) */
    /* the target's relationship that mirrors this one (back_populates);
     * it may be declared after this one */
    const char *back_populates;
    unsigned cascade; /* SQLALC_ORM_CASCADE_* bits; 0: SAVE */
    /* "col, col": the foreign-key columns to use when the tables have
     * several foreign keys between them (SQLAlchemy's foreign_keys) */
    const char *foreign_keys;
} sqlalc_orm_rel_options;
#define SQLALC_ORM_REL_OPTIONS_VERSION 1
#ifndef __cplusplus
#    define SQLALC_ORM_REL(...) \
        (&(const sqlalc_orm_rel_options){ SQLALC_ORM_REL_OPTIONS_VERSION, __VA_ARGS__ })
#endif

/*
 * Add relationship `name` to m, stored in the struct at offset: a
 * `struct target *` for MANY_TO_ONE / ONE_TO_ONE, an sqlalc_orm_list for
 * ONE_TO_MANY / MANY_TO_MANY.  The join follows the foreign keys between
 * the tables (opts->foreign_keys picks one when there are several).  opts
 * may be NULL.  A relationship starts unloaded on objects read from the
 * database (sqlalc_orm_load or a query's selectin loads it) and loaded
 * (empty) on new objects.  Declare every relationship of a mapper before
 * making its first object (SQLALC_ERR_INTERFACE after).
 */
SQLALC_API int sqlalc_orm_relationship(sqlalc_orm_mapper *m, const char *name, sqlalc_orm_rel_kind kind,
                                       sqlalc_orm_mapper *target, size_t offset,
                                       const sqlalc_orm_rel_options *opts);

/* ------------------------------------------------------------------ */
/* Objects                                                             */
/* ------------------------------------------------------------------ */

/* A new zeroed object of m, not in any session (transient). */
SQLALC_API void *sqlalc_orm_new(const sqlalc_orm_mapper *m);
/* Free a transient object (one no session holds): its text fields and lists. */
SQLALC_API void sqlalc_orm_free(void *obj);
/* The mapper of an object made by this library, or NULL. */
SQLALC_API const sqlalc_orm_mapper *sqlalc_orm_mapper_of(const void *obj);
/* Copy s with the library's allocator (NULL for NULL or no memory). */
SQLALC_API char *sqlalc_orm_strdup(const char *s);
/* Replace a text field (the old string is freed, s copied; NULL = SQL NULL). */
SQLALC_API int sqlalc_orm_set_text(char **field, const char *s);

/*
 * Generic access by column name (automap records, or any mapped struct):
 * get fills *out (text borrowed from the object; SQLALC_V_NULL for NULL),
 * set converts v to the field's kind (text copied).
 * SQLALC_ERR_NOT_FOUND for an unmapped column, SQLALC_ERR_TYPE when v
 * does not convert.
 */
SQLALC_API int sqlalc_orm_get(const void *obj, const char *column, sqlalc_value *out);
SQLALC_API int sqlalc_orm_set(void *obj, const char *column, sqlalc_value v);
/* Shorthands: 0 / NULL when unmapped or NULL. */
SQLALC_API int64_t sqlalc_orm_get_int64(const void *obj, const char *column);
SQLALC_API const char *sqlalc_orm_get_text(const void *obj, const char *column);

/*
 * Relationship access.  sqlalc_orm_load loads rel (one query; none when
 * a many-to-one target is already in the identity map) unless it is
 * loaded already.  sqlalc_orm_related loads and gives the collection
 * (*list) or the target (*target, NULL when none); pass NULL for the one
 * you do not want.
 */
SQLALC_API int sqlalc_orm_load(void *obj, const char *rel);
SQLALC_API int sqlalc_orm_related(void *obj, const char *rel, sqlalc_orm_list **list, void **target);
/* Non-zero when rel is loaded on obj. */
SQLALC_API int sqlalc_orm_is_loaded(const void *obj, const char *rel);

/*
 * Change a relationship, keeping its back-reference in step (the
 * collection or pointer on the other side is loaded first when the other
 * object is persistent and it is not).  append / remove: collections;
 * set: MANY_TO_ONE / ONE_TO_ONE (target NULL clears).  A target not in a
 * session joins obj's session (save cascade) at the next flush.
 */
SQLALC_API int sqlalc_orm_append(void *obj, const char *rel, void *target);
SQLALC_API int sqlalc_orm_remove(void *obj, const char *rel, void *target);
SQLALC_API int sqlalc_orm_set_related(void *obj, const char *rel, void *target);

/* ------------------------------------------------------------------ */
/* Session                                                             */
/* ------------------------------------------------------------------ */

/*
 * A session on eng (borrowed).  It takes a connection and begins a
 * transaction at its first database work, and ends both at commit or
 * rollback.  Autoflush is on: pending changes are flushed before a query.
 */
SQLALC_API int sqlalc_session_new(sqlalc_engine *eng, sqlalc_session **out);
/* Roll back what is uncommitted, free every object the session holds. */
SQLALC_API void sqlalc_session_free(sqlalc_session *s);
SQLALC_API void sqlalc_session_set_autoflush(sqlalc_session *s, int on);

/* A new object added to the session (pending); NULL when out of memory. */
SQLALC_API void *sqlalc_session_new_object(sqlalc_session *s, const sqlalc_orm_mapper *m);
/* Track obj (transient: pending, inserted at the next flush).  Adding an
 * object twice is harmless; one of another session is SQLALC_ERR_INTERFACE. */
SQLALC_API int sqlalc_session_add(sqlalc_session *s, void *obj);
/* Mark a persistent object for deletion at the next flush (with its
 * DELETE-cascaded targets); a pending one is simply dropped. */
SQLALC_API int sqlalc_session_delete(sqlalc_session *s, void *obj);

/*
 * Write every pending change in one transaction: INSERTs of new objects
 * (many objects of a mapper in one multi-row statement, server-generated
 * keys read back by RETURNING where the dialect has it), UPDATEs of
 * changed columns, association rows, DELETEs; tables in foreign-key order
 * (deletes in reverse).  On failure the transaction is rolled back and
 * the objects keep their pending state.
 */
SQLALC_API int sqlalc_session_flush(sqlalc_session *s);
/* Flush, then commit the transaction. */
SQLALC_API int sqlalc_session_commit(sqlalc_session *s);
/* Roll the transaction back and discard pending changes: changed fields
 * get back their last committed values, objects inserted since are
 * expunged (transient again), deletions are forgotten. */
SQLALC_API int sqlalc_session_rollback(sqlalc_session *s);
/* The session's connection (its transaction begun), for Core statements
 * in the same transaction.  Borrowed until commit / rollback. */
SQLALC_API int sqlalc_session_connection(sqlalc_session *s, sqlalc_conn **out);

/* Non-zero when a persistent object's fields differ from its loaded state. */
SQLALC_API int sqlalc_orm_is_modified(const void *obj);

/*
 * The object with this primary key (npk values in key order): from the
 * identity map without SQL when the session has it, else one SELECT.
 * SQLALC_OK with *out, or SQLALC_DONE with *out NULL when there is none.
 */
SQLALC_API int sqlalc_session_get(sqlalc_session *s, const sqlalc_orm_mapper *m, const sqlalc_value *pk,
                                  size_t npk, void **out);

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

/* SELECT of m's mapped columns (field order), to refine with the
 * expression language (sqlalc_where, sqlalc_select_from, sqlalc_group_by,
 * sqlalc_having, sqlalc_order_by, sqlalc_limit …) and run with
 * sqlalc_session_scalars. */
SQLALC_API sqlalc_stmt *sqlalc_orm_select(const sqlalc_orm_mapper *m);
/* Run such a SELECT (consumed) and append the objects of its rows to *out
 * (identity-mapped: a row of an object the session has gives that
 * object).  *out starts as {0}; free it with sqlalc_orm_list_clear. */
SQLALC_API int sqlalc_session_scalars(sqlalc_session *s, const sqlalc_orm_mapper *m, sqlalc_stmt *sel,
                                      sqlalc_orm_list *out);

/*
 * A query on m (SQLAlchemy's session.query(Employee)).  The modifiers
 * take over their expression arguments and return q (NULL after freeing q
 * when an argument is NULL or memory runs out, the first error kept), so
 * a chain needs one check; the terminal calls run it and free it.
 */
SQLALC_API sqlalc_orm_query *sqlalc_session_query(sqlalc_session *s, const sqlalc_orm_mapper *m);
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_filter(sqlalc_orm_query *q, sqlalc_expr *cond);
/* filter_by: mapped column = v (text copied). */
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_filter_by(sqlalc_orm_query *q, const char *column,
                                                        sqlalc_value v);
/* JOIN another table (or a join / alias expression) to the query's FROM,
 * ON inferred from the foreign keys (sqlalc_join), or given (on). */
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_join(sqlalc_orm_query *q, sqlalc_expr *right, sqlalc_expr *on);
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_group_by(sqlalc_orm_query *q, sqlalc_exprs exprs);
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_having(sqlalc_orm_query *q, sqlalc_expr *cond);
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_order_by(sqlalc_orm_query *q, sqlalc_exprs exprs);
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_limit(sqlalc_orm_query *q, int64_t n);
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_offset(sqlalc_orm_query *q, int64_t n);
/* selectinload(rel): load rel for every object of the result with one
 * more query (per 500 objects), never one per object. */
SQLALC_API sqlalc_orm_query *sqlalc_orm_query_selectin(sqlalc_orm_query *q, const char *rel);

/* Terminal calls (each frees q).  all: every object into *out (starts as
 * {0}; sqlalc_orm_list_clear it).  one: SQLALC_ERR_NO_RESULT when none,
 * SQLALC_ERR_MULTIPLE_RESULTS when several.  one_or_none: SQLALC_DONE
 * and *out NULL when none.  first: the first (LIMIT 1), SQLALC_DONE when
 * none.  count: SELECT count(*) of the query. */
SQLALC_API int sqlalc_orm_query_all(sqlalc_orm_query *q, sqlalc_orm_list *out);
SQLALC_API int sqlalc_orm_query_one(sqlalc_orm_query *q, void **out);
SQLALC_API int sqlalc_orm_query_one_or_none(sqlalc_orm_query *q, void **out);
SQLALC_API int sqlalc_orm_query_first(sqlalc_orm_query *q, void **out);
SQLALC_API int sqlalc_orm_query_count(sqlalc_orm_query *q, int64_t *out);
SQLALC_API void sqlalc_orm_query_free(sqlalc_orm_query *q);

/* ------------------------------------------------------------------ */
/* Automap                                                             */
/* ------------------------------------------------------------------ */

/*
 * Reflect eng's database (schema NULL: the default) into reg, as
 * SQLAlchemy's automap_base().prepare(autoload_with=engine): one mapper
 * per table with a primary key, named as the table, over a generic record
 * (read and write its columns with sqlalc_orm_get / sqlalc_orm_set);
 * a table of nothing but two foreign keys that make up its key is an
 * association table and gives a MANY_TO_MANY pair instead of a mapper.
 * Relationships from the foreign keys: on the referring side MANY_TO_ONE
 * named after the referred table in lower case, on the referred side
 * ONE_TO_MANY named <referring table, lower case>_collection, back
 * populating each other; a second foreign key between the same tables
 * names them after its column (home_team_api_id → home_team_api,
 * match_collection_home_team_api).  The reflected tables belong to reg.
 */
SQLALC_API int sqlalc_orm_automap(sqlalc_orm_registry *reg, sqlalc_engine *eng, const char *schema);
/* Relationships of a mapper, in the order made. */
SQLALC_API size_t sqlalc_orm_mapper_rel_count(const sqlalc_orm_mapper *m);
SQLALC_API const char *sqlalc_orm_mapper_rel_name(const sqlalc_orm_mapper *m, size_t i);
SQLALC_API sqlalc_orm_rel_kind sqlalc_orm_mapper_rel_kind(const sqlalc_orm_mapper *m, size_t i);
SQLALC_API const sqlalc_orm_mapper *sqlalc_orm_mapper_rel_target(const sqlalc_orm_mapper *m, size_t i);

#ifdef __cplusplus
}
#endif
#endif

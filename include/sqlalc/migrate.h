/*
 * libsqlalc — schema diff and migrations (Alembic's autogenerate and
 * its runner, for C).  #include <sqlalc/migrate.h> (not part of
 * <sqlalc.h>).
 *
 *   sqlalc_diff *d;
 *   if (sqlalc_diff_metadata(eng, md, NULL, &d) == SQLALC_OK) {
 *       for (size_t i = 0; i < sqlalc_diff_count(d); i++)
 *           puts(sqlalc_diff_op_at(d, i)->description);
 *       sqlalc_diff_apply(d, eng);          // the database now matches md
 *       sqlalc_diff_free(d);
 *   }
 *
 *   sqlalc_migrate(eng, "migrations", SQLALC_MIGRATE_UP, NULL, NULL);
 *
 * A diff goes FROM a database TO a wanted schema (a MetaData, or another
 * database): its operations, run on FROM, make it match TO.  The DDL is
 * written for FROM's dialect.  What cannot be compared reliably is a
 * warning, never guessed: a dropped and an added table (or column) that
 * look alike are reported as a rename candidate beside the drop and the
 * add, which stay as they are.
 */
#ifndef SQLALC_MIGRATE_H
#define SQLALC_MIGRATE_H
#include "../sqlalc.h"
#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Schema diff                                                         */
/* ------------------------------------------------------------------ */

typedef enum sqlalc_diff_kind {
    SQLALC_DIFF_ADD_TABLE = 1,
    SQLALC_DIFF_DROP_TABLE,
    SQLALC_DIFF_ADD_COLUMN,
    SQLALC_DIFF_DROP_COLUMN,
    SQLALC_DIFF_ALTER_TYPE,     /* from / to: the types as FROM's dialect spells them */
    SQLALC_DIFF_ALTER_NULLABLE, /* from / to: "NULL" or "NOT NULL" */
    SQLALC_DIFF_ALTER_DEFAULT,  /* from / to: the server default's SQL, NULL for none */
    SQLALC_DIFF_ADD_INDEX,
    SQLALC_DIFF_DROP_INDEX,
    SQLALC_DIFF_ADD_UNIQUE,
    SQLALC_DIFF_DROP_UNIQUE,
    SQLALC_DIFF_ADD_CHECK,
    SQLALC_DIFF_DROP_CHECK,
    SQLALC_DIFF_ADD_FK,
    SQLALC_DIFF_DROP_FK,
    /* A changed primary key is two operations of this kind: the old key
     * dropped (name: its name) before the columns change, the new one
     * added (name: its name) after; from / to: the columns "a, b". */
    SQLALC_DIFF_ALTER_PRIMARY_KEY,
    /* SQLite cannot ALTER most of the above: the table is rebuilt (create
     * the new form, copy the rows of the columns both have, drop the old,
     * rename the new), and the operations it covers have sql NULL. */
    SQLALC_DIFF_REBUILD_TABLE,
    /* No DDL: from (dropped) and to (added) may be one table (name NULL)
     * or one column of table (name NULL, from/to the column names) renamed.
     * The drop and the add are planned regardless: edit the script into a
     * RENAME if that is what happened. */
    SQLALC_DIFF_RENAME_CANDIDATE
} sqlalc_diff_kind;

typedef struct sqlalc_diff_op {
    sqlalc_diff_kind kind;
    const char *schema;      /* NULL: the default schema */
    const char *table;       /* the table (new name for ADD_TABLE) */
    const char *name;        /* the column, index or constraint; NULL when none or unnamed */
    const char *from, *to;   /* what changes (see the kinds), NULL when not used */
    const char *description; /* one line: "add column team.city TEXT" */
    const char *sql;         /* statements, each ended by ";\n"; NULL when none */
} sqlalc_diff_op;

typedef struct sqlalc_diff sqlalc_diff;

typedef struct sqlalc_diff_options {
    unsigned version;   /* SQLALC_DIFF_OPTIONS_VERSION */
    const char *schema; /* the schema to compare on both sides (NULL: default) */
    /* Table names left out of the comparison on both sides (the
     * migrations table is always left out). */
    const char *const *exclude;
    size_t nexclude;
} sqlalc_diff_options;
#define SQLALC_DIFF_OPTIONS_VERSION 1
#define SQLALC_DIFF_OPTIONS_INIT                   \
    {                                              \
        SQLALC_DIFF_OPTIONS_VERSION, NULL, NULL, 0 \
    }

/* The operations that make the database of `from` match md (views,
 * sequences and comments are not compared).  opts may be NULL. */
SQLALC_API int sqlalc_diff_metadata(sqlalc_engine *from, const sqlalc_metadata *md,
                                    const sqlalc_diff_options *opts, sqlalc_diff **out);
/* The operations that make the database of `from` match that of `to`. */
SQLALC_API int sqlalc_diff_databases(sqlalc_engine *from, sqlalc_engine *to, const sqlalc_diff_options *opts,
                                     sqlalc_diff **out);
/* Operations in the order their DDL runs (drops of foreign keys first,
 * new foreign keys last); rename candidates after the rest. */
SQLALC_API size_t sqlalc_diff_count(const sqlalc_diff *d);
SQLALC_API const sqlalc_diff_op *sqlalc_diff_op_at(const sqlalc_diff *d, size_t i);
/* Non-zero when the schemas match (no operation; warnings may remain). */
SQLALC_API int sqlalc_diff_is_empty(const sqlalc_diff *d);
/* What the diff could not compare or decide (one line each). */
SQLALC_API size_t sqlalc_diff_warning_count(const sqlalc_diff *d);
SQLALC_API const char *sqlalc_diff_warning(const sqlalc_diff *d, size_t i);
/* Every operation's DDL in order, as one script (each statement ended by
 * ";\n", descriptions as "-- " comments, warnings too).  Run it in one
 * transaction (sqlalc_diff_apply and sqlalc_migrate do).  *out is freed
 * with sqlalc_free(). */
SQLALC_API int sqlalc_diff_sql(const sqlalc_diff *d, char **out);
/* Run the script on eng in one transaction: all of it or none. */
SQLALC_API int sqlalc_diff_apply(const sqlalc_diff *d, sqlalc_engine *eng);
SQLALC_API void sqlalc_diff_free(sqlalc_diff *d);

/* ------------------------------------------------------------------ */
/* Scripts and migrations                                              */
/* ------------------------------------------------------------------ */

/*
 * Run a script of statements separated by ';' on conn (in the caller's
 * transaction, if one is open).  The split follows the dialect's lexer:
 * ';' inside strings, quoted names, comments and PostgreSQL $$ bodies does
 * not end a statement, nor inside CREATE TRIGGER … END.  Statements run
 * as raw SQL (a ":name" outside quotes is a bind and fails unbound).
 * *count (may be NULL) receives the statements run.  A failure names the
 * statement's position in the script.
 */
SQLALC_API int sqlalc_conn_execute_script(sqlalc_conn *conn, const char *sql, size_t *count);

typedef enum sqlalc_migrate_direction {
    SQLALC_MIGRATE_UP = 1,
    SQLALC_MIGRATE_DOWN,
    SQLALC_MIGRATE_STATUS /* change nothing; report only */
} sqlalc_migrate_direction;

/* One migration of a directory, as sqlalc_migrate reports it. */
typedef struct sqlalc_migration_info {
    const char *version; /* the file's leading digits: "0003" */
    const char *name;    /* the rest of its name: "add_city" */
    int applied;         /* recorded in the migrations table (after the call) */
    int ran;             /* this call applied (up) or reverted (down) it */
    int has_down;        /* a .down.sql file exists */
} sqlalc_migration_info;

typedef struct sqlalc_migrate_report {
    size_t count;
    sqlalc_migration_info *items; /* in version order */
    /* Versions recorded in the database with no file in the directory. */
    size_t nunknown;
    char **unknown;
} sqlalc_migrate_report;

/*
 * Apply the migrations of dir: files "VERSION_NAME.up.sql" (VERSION
 * digits, compared as numbers; NAME anything) with an optional
 * "VERSION_NAME.down.sql".  Applied versions are recorded in the table
 * sqlalc_migrations (version, name, applied_at), created when missing.
 *  - UP: every pending version up to target (NULL: all), in order; each
 *    migration and its record in one transaction (PostgreSQL and SQLite
 *    roll DDL back too), so a failing one leaves it wholly unapplied and
 *    stops the run (the ones before stay applied).
 *  - DOWN: reverts applied versions newer than target, newest first
 *    (NULL: only the newest one; "0": all), each in one transaction; a
 *    migration without a .down.sql stops the run with an error.
 *  - STATUS: changes nothing.
 * Two runners at once never apply a version twice: the later one's record
 * INSERT fails on the version key and its transaction (its DDL too) rolls
 * back, with an error.
 * report (may be NULL) is filled either way (free with
 * sqlalc_migrate_report_clear); on an error it says what ran before it.
 * A target that is no migration's version is SQLALC_ERR_ARGUMENT.
 */
SQLALC_API int sqlalc_migrate(sqlalc_engine *eng, const char *dir, sqlalc_migrate_direction direction,
                              const char *target, sqlalc_migrate_report *report);
SQLALC_API void sqlalc_migrate_report_clear(sqlalc_migrate_report *report);

#ifdef __cplusplus
}
#endif
#endif

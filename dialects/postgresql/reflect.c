/*
 * PostgreSQL reflection, as catalog queries (way 2 of <sqlalc/sys/schema.h>):
 * five queries over pg_catalog per schema whatever the number of tables;
 * reflecting named tables filters on the server (:tables), so one table of
 * a 1,000-table schema costs the same five small queries.
 * Types are spelled by format_type() ("character varying(50)",
 * "numeric(10,2)", "timestamp with time zone", an enum's name), which
 * sqlalc_type_parse understands.  A column is autoincrement when it is an
 * identity column or its default draws from a sequence (SERIAL).  The
 * default schema is current_schema(), so search_path is honoured.
 */
#include <string.h>
#include "../dialects.h"

static int first_text(sqlalc_conn *conn, const char *sql, const sqlalc_params *p, char **out)
{
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    *out = NULL;
    int rc = sqlalc_conn_execute_sql(conn, sql, p, &res);
    if (!rc && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *s = NULL;
        rc = sqlalc_row_get_text(row, 0, &s, NULL);
        if (!rc && s) {
            size_t n = strlen(s);
            if ((*out = sqlalc_malloc(n + 1)) != NULL)
                memcpy(*out, s, n + 1);
            else
                rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
        }
    } else if (rc == SQLALC_DONE)
        rc = SQLALC_OK;
    sqlalc_result_free(res);
    return rc;
}

static int default_schema(sqlalc_conn *conn, char **out)
{
    int rc = first_text(conn, "SELECT current_schema()", NULL, out);
    if (!rc && !*out)
        rc = sqlalc_error_set(SQLALC_ERR_DATABASE,
                              "current_schema() is NULL: search_path names no existing schema");
    return rc;
}

static int schema_names(sqlalc_conn *conn, sqlalc_strlist *out)
{
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute_sql(
        conn,
        "SELECT nspname FROM pg_catalog.pg_namespace "
        "WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname",
        NULL, &res);
    if (!rc)
        while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
            const char *s = NULL;
            if ((rc = sqlalc_row_get_text(row, 0, &s, NULL)) != SQLALC_OK ||
                (rc = sqlalc_strlist_append(out, s)) != SQLALC_OK)
                break;
        }
    sqlalc_result_free(res);
    return rc == SQLALC_DONE ? SQLALC_OK : rc;
}

static int count_of(sqlalc_conn *conn, const char *sql, const sqlalc_params *p, int *out)
{
    sqlalc_result *res = NULL;
    int64_t n = 0;
    int rc = sqlalc_conn_execute_sql(conn, sql, p, &res);
    if (!rc) {
        sqlalc_value v;
        rc = sqlalc_result_scalar(res, &v);
        if (rc == SQLALC_OK)
            rc = sqlalc_value_get_int64(&v, &n);
        sqlalc_result_free(res);
    }
    *out = !rc && n > 0;
    return rc;
}

static int has_table(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    return count_of(
        conn,
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = :name AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "AND n.nspname = coalesce(CAST(:schema AS text), current_schema())",
        SQLALC_PARAMS(SQLALC_P_TEXT("name", name),
                      schema ? SQLALC_P_TEXT("schema", schema) : SQLALC_P_NULL("schema")),
        out);
}

static int has_type(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    return count_of(
        conn,
        "SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typname = :name AND n.nspname = coalesce(CAST(:schema AS text), current_schema())",
        SQLALC_PARAMS(SQLALC_P_TEXT("name", name),
                      schema ? SQLALC_P_TEXT("schema", schema) : SQLALC_P_NULL("schema")),
        out);
}

#define REL_FILTER                                                     \
    " n.nspname = :schema AND c.relkind IN ('r', 'p', 'v', 'm', 'f') " \
    "AND (CAST(:tables AS text) IS NULL OR c.relname = ANY (string_to_array(CAST(:tables AS text), chr(31)))) "
#define FK_ACTION(col)                                                                                \
    "CASE WHEN con.contype = 'f' THEN CASE " col " WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' " \
    "WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' END END"

const sqlalc_reflect_hooks sqlalc__postgresql_reflect_hooks = {
    .version = SQLALC_REFLECT_HOOKS_VERSION,
    .default_schema_name = "public",
    .default_schema = default_schema,
    .schema_names = schema_names,
    .has_table = has_table,
    .has_type = has_type,
    .tables_query = "SELECT c.relname, CASE WHEN c.relkind IN ('v', 'm') THEN 1 ELSE 0 END, "
                    "obj_description(c.oid, 'pg_class') "
                    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE" REL_FILTER "ORDER BY c.relname",
    .columns_query =
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
        "CASE WHEN a.attnotnull THEN 0 ELSE 1 END, pg_get_expr(d.adbin, d.adrelid), "
        "CASE WHEN a.attidentity IN ('a', 'd') OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%' "
        "THEN 1 ELSE 0 END, col_description(c.oid, a.attnum) "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE" REL_FILTER "AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY c.relname, a.attnum",
    .constraints_query =
        "SELECT c.relname, CAST(con.contype AS text), con.conname, a.attname, "
        "CASE WHEN con.contype = 'f' AND rn.nspname <> current_schema() THEN rn.nspname END, rc.relname, ra.attname, " FK_ACTION("con.confdeltype") ", " FK_ACTION(
            "con.confupdtype") ", "
                               "CASE WHEN con.contype = 'c' THEN "
                               "regexp_replace(pg_get_constraintdef(con.oid), '^CHECK *\\((.*)\\)( NOT VALID)?$', '\\1') END "
                               "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
                               "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                               "LEFT JOIN LATERAL unnest(CASE WHEN con.contype = 'c' THEN NULL ELSE con.conkey END, "
                               "CASE WHEN con.contype = 'f' THEN con.confkey END) WITH ORDINALITY AS k(attnum, fattnum, pos) ON true "
                               "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
                               "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
                               "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
                               "LEFT JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.fattnum "
                               "WHERE" REL_FILTER "AND con.contype IN ('p', 'u', 'f', 'c') "
                               "ORDER BY c.relname, con.conname, k.pos",
    .indexes_query =
        "SELECT c.relname, i.relname, a.attname, CASE WHEN x.indisunique THEN 1 ELSE 0 END "
        "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indrelid "
        "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN LATERAL unnest(CAST(x.indkey AS int2[])) WITH ORDINALITY AS k(attnum, pos) ON true "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
        "WHERE" REL_FILTER "AND k.pos <= x.indnkeyatts "
        "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint pc WHERE pc.conindid = x.indexrelid "
        "AND pc.conrelid = x.indrelid AND pc.contype IN ('p', 'u', 'x')) "
        "ORDER BY c.relname, i.relname, k.pos",
    .enums_query = "SELECT t.typname, e.enumlabel FROM pg_catalog.pg_enum e "
                   "JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                   "WHERE n.nspname = :schema ORDER BY t.typname, e.enumsortorder",
    .parse_type = sqlalc_type_parse,
    .queries_take_tables = 1,
};

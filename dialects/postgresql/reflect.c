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

/* PostgreSQL's spellings first: bit strings are not booleans here (the
 * generic table reads SQL Server's bit), "char" is a one-byte type. */
static sqlalc_type *parse_type(const char *spelled)
{
    if (spelled &&
        (!strncmp(spelled, "bit(", 4) || !strncmp(spelled, "bit varying", 11) || !strcmp(spelled, "bit")))
        return sqlalc_type_user(spelled);
    return sqlalc_type_parse(spelled);
}

static int has_sequence(sqlalc_conn *conn, const char *schema, const char *name, int *out)
{
    return count_of(
        conn,
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = :name AND c.relkind = 'S' "
        "AND n.nspname = coalesce(CAST(:schema AS text), current_schema())",
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
/* The name SERIAL gives a column's sequence: PostgreSQL's makeObjectName
 * (table, column, "seq") keeps <table>_<column>_seq within 63 bytes by
 * shortening the longer name first (ASCII names). */
#define SERIAL_NAME                                                                                         \
    "(CASE WHEN length(c.relname) + length(a.attname) <= 58 THEN c.relname || '_' || a.attname "            \
    "WHEN least(length(c.relname), length(a.attname)) <= 29 THEN "                                          \
    "CASE WHEN length(c.relname) >= length(a.attname) THEN left(c.relname, 58 - length(a.attname)) || '_' " \
    "|| a.attname ELSE c.relname || '_' || left(a.attname, 58 - length(c.relname)) END "                    \
    "ELSE left(c.relname, 29) || '_' || left(a.attname, 29) END || '_seq')"

const sqlalc_reflect_hooks sqlalc__postgresql_reflect_hooks = {
    .version = SQLALC_REFLECT_HOOKS_VERSION,
    .default_schema_name = "public",
    .default_schema = default_schema,
    .schema_names = schema_names,
    .has_table = has_table,
    .has_type = has_type,
    .has_sequence = has_sequence,
    .tables_query =
        "SELECT c.relname, CASE WHEN c.relkind IN ('v', 'm') THEN 1 ELSE 0 END, "
        "obj_description(c.oid, 'pg_class'), "
        "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
        "(SELECT pc.relname FROM pg_catalog.pg_inherits ih JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent "
        "WHERE ih.inhrelid = c.oid AND c.relispartition), "
        "CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE" REL_FILTER "ORDER BY c.relname",
    /* A domain column reports its base type, the domain's NOT NULL and
     * default merged in (as SQLAlchemy), and the domain's name apart.  The
     * sequence a default draws from is found through pg_depend (the
     * default depends on it), an identity's options in its sequence. */
    .columns_query =
        "SELECT c.relname, a.attname, "
        "format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, "
        "CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), "
        "CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 0 ELSE 1 END, "
        "coalesce(de.expr, CASE WHEN t.typtype = 'd' THEN t.typdefault END), "
        "CASE WHEN a.attidentity IN ('a', 'd') OR de.expr LIKE 'nextval(%' THEN 1 ELSE 0 END, "
        "col_description(c.oid, a.attnum), "
        "CASE WHEN a.attidentity IN ('a', 'd') THEN CAST(a.attidentity AS text) END, "
        "iq.seqstart, iq.seqincrement, iq.seqmin, iq.seqmax, iq.seqcache, "
        "CASE WHEN iq.seqcycle THEN 1 ELSE 0 END, ds.relname, "
        "CASE WHEN od.objid IS NOT NULL AND ds.relnamespace = c.relnamespace AND ds.relname = " SERIAL_NAME
        " THEN 1 ELSE 0 END, "
        "CASE WHEN t.typtype = 'd' THEN t.typname END "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "LEFT JOIN LATERAL (SELECT pg_get_expr(d.adbin, d.adrelid) AS expr) de ON true "
        /* the sequence a default depends on (nextval('…'::regclass)) */
        "LEFT JOIN (SELECT dd.objid, s.oid, s.relname, s.relnamespace FROM pg_catalog.pg_depend dd "
        "JOIN pg_catalog.pg_class s ON s.oid = dd.refobjid AND s.relkind = 'S' "
        "WHERE dd.classid = 'pg_catalog.pg_attrdef'::regclass AND dd.refclassid = 'pg_catalog.pg_class'::regclass) ds "
        "ON ds.objid = d.oid "
        /* owned by this very column (SERIAL, OWNED BY) */
        "LEFT JOIN (SELECT objid, refobjid, refobjsubid FROM pg_catalog.pg_depend "
        "WHERE classid = 'pg_catalog.pg_class'::regclass AND refclassid = 'pg_catalog.pg_class'::regclass "
        "AND deptype = 'a') od ON od.objid = ds.oid AND od.refobjid = c.oid AND od.refobjsubid = a.attnum "
        /* an identity's options are its sequence's */
        "LEFT JOIN (SELECT idp.refobjid, idp.refobjsubid, q.* FROM pg_catalog.pg_depend idp "
        "JOIN pg_catalog.pg_sequence q ON q.seqrelid = idp.objid "
        "WHERE idp.classid = 'pg_catalog.pg_class'::regclass AND idp.refclassid = 'pg_catalog.pg_class'::regclass "
        "AND idp.deptype = 'i') iq ON a.attidentity IN ('a', 'd') AND iq.refobjid = c.oid "
        "AND iq.refobjsubid = a.attnum "
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
    /* One row per key element.  Indexes backing a unique constraint are
     * listed with duplicates_constraint, as SQLAlchemy lists them; those
     * of primary keys and exclusion constraints are not. */
    .indexes_query =
        "SELECT c.relname, i.relname, CASE WHEN k.attnum > 0 THEN a.attname END, "
        "CASE WHEN x.indisunique THEN 1 ELSE 0 END, "
        "CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(x.indexrelid, CAST(k.pos AS int), false) END, "
        "NULLIF(concat_ws(' ', CASE WHEN (x.indoption[CAST(k.pos AS int) - 1] & 1) = 1 THEN 'DESC' END, "
        "CASE WHEN (x.indoption[CAST(k.pos AS int) - 1] & 3) = 1 THEN 'NULLS LAST' "
        "WHEN (x.indoption[CAST(k.pos AS int) - 1] & 3) = 2 THEN 'NULLS FIRST' END), ''), "
        "CASE WHEN NOT oc.opcdefault THEN oc.opcname END, "
        "NULLIF(am.amname, 'btree'), pg_catalog.pg_get_expr(x.indpred, x.indrelid), "
        "(SELECT string_agg(ia.attname, chr(31) ORDER BY ik.pos) FROM unnest(CAST(x.indkey AS int2[])) "
        "WITH ORDINALITY AS ik(attnum, pos) JOIN pg_catalog.pg_attribute ia ON ia.attrelid = c.oid "
        "AND ia.attnum = ik.attnum WHERE ik.pos > x.indnkeyatts), "
        "array_to_string(i.reloptions, ', '), pc.conname, "
        "CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = x.indexrelid) "
        "THEN 1 ELSE 0 END "
        "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indrelid "
        "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_catalog.pg_am am ON am.oid = i.relam "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN LATERAL unnest(CAST(x.indkey AS int2[])) WITH ORDINALITY AS k(attnum, pos) ON true "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
        "LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = x.indclass[CAST(k.pos AS int) - 1] "
        "LEFT JOIN pg_catalog.pg_constraint pc ON pc.conindid = x.indexrelid AND pc.conrelid = x.indrelid "
        "AND pc.contype = 'u' "
        "WHERE" REL_FILTER "AND k.pos <= x.indnkeyatts "
        "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint xc WHERE xc.conindid = x.indexrelid "
        "AND xc.conrelid = x.indrelid AND xc.contype IN ('p', 'x')) "
        "ORDER BY c.relname, i.relname, k.pos",
    .enums_query = "SELECT t.typname, e.enumlabel FROM pg_catalog.pg_enum e "
                   "JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                   "WHERE n.nspname = :schema ORDER BY t.typname, e.enumsortorder",
    .sequences_query =
        "SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, "
        "q.seqcache, CASE WHEN q.seqcycle THEN 1 ELSE 0 END, tc.relname, ta.attname, "
        "CASE WHEN dep.deptype = 'i' THEN 1 ELSE 0 END "
        "FROM pg_catalog.pg_class s JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace "
        "JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid "
        "LEFT JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::regclass "
        "AND dep.objid = s.oid AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype IN ('a', 'i') "
        "LEFT JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid AND tc.relnamespace = s.relnamespace "
        "LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = tc.oid AND ta.attnum = dep.refobjsubid "
        "WHERE s.relkind = 'S' AND n.nspname = :schema ORDER BY s.relname",
    .domains_query =
        "SELECT t.typname, format_type(t.typbasetype, t.typtypmod), CASE WHEN t.typnotnull THEN 1 ELSE 0 END, "
        "t.typdefault, con.conname, "
        "regexp_replace(pg_get_constraintdef(con.oid), '^CHECK *\\((.*)\\)( NOT VALID)?$', '\\1') "
        "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "LEFT JOIN pg_catalog.pg_constraint con ON con.contypid = t.oid AND con.contype = 'c' "
        "WHERE t.typtype = 'd' AND n.nspname = :schema ORDER BY t.typname, con.conname",
    .parse_type = parse_type,
    .queries_take_tables = 1,
};

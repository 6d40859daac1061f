/*
 * SQL Server reflection, as catalog queries (way 2 of <sqlalc/sys/schema.h>):
 * four queries over the sys.* views per schema, whatever the number of
 * tables.  Comments are the MS_Description extended property.  Written
 * against SQL Server 2012+ catalog views; no server was available where
 * this was written, so the queries are untested against a live one.
 */
#include <stdio.h>
#include <string.h>
#include "../dialects.h"

#define DEFAULT_SCHEMA_SQL "SELECT SCHEMA_NAME()"
#define SCHEMA_NAMES_SQL                                                   \
    "SELECT s.name FROM sys.schemas s WHERE s.principal_id NOT IN (3, 4) " \
    "AND s.name NOT IN ('sys', 'INFORMATION_SCHEMA', 'guest') "            \
    "AND s.name NOT LIKE 'db[_]%' ORDER BY s.name"

/* The queries run outside the hook table's strings, for the T-SQL
 * grammar check (tests/tsql). */
const char *const sqlalc__mssql_engine_queries[] = { DEFAULT_SCHEMA_SQL, SCHEMA_NAMES_SQL, NULL };

static int default_schema(sqlalc_conn *conn, char **out)
{
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    *out = NULL;
    int rc = sqlalc_conn_execute_sql(conn, DEFAULT_SCHEMA_SQL, NULL, &res);
    if (!rc && (rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        const char *s = NULL;
        rc = sqlalc_row_get_text(row, 0, &s, NULL);
        if (!rc) {
            size_t n = strlen(s ? s : "dbo");
            *out = sqlalc_malloc(n + 1);
            if (*out)
                memcpy(*out, s ? s : "dbo", n + 1);
            else
                rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
        }
    } else if (rc == SQLALC_DONE)
        rc = sqlalc_error_set(SQLALC_ERR_DATABASE, "SCHEMA_NAME() returned no row");
    sqlalc_result_free(res);
    return rc;
}

static int schema_names(sqlalc_conn *conn, sqlalc_strlist *out)
{
    sqlalc_result *res = NULL;
    const sqlalc_row *row;
    int rc = sqlalc_conn_execute_sql(conn, SCHEMA_NAMES_SQL, NULL, &res);
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

#define OBJ_FILTER " s.name = :schema AND t.type IN ('U', 'V') AND t.is_ms_shipped = 0 "

const sqlalc_reflect_hooks sqlalc__mssql_reflect_hooks = {
    .version = SQLALC_REFLECT_HOOKS_VERSION,
    .default_schema_name = "dbo",
    .default_schema = default_schema,
    .schema_names = schema_names,
    .tables_query =
        "SELECT t.name, CASE WHEN t.type = 'V' THEN 1 ELSE 0 END, CAST(ep.value AS NVARCHAR(4000)) "
        "FROM sys.objects t JOIN sys.schemas s ON s.schema_id = t.schema_id "
        "LEFT JOIN sys.extended_properties ep ON ep.class = 1 AND ep.major_id = t.object_id "
        "AND ep.minor_id = 0 AND ep.name = 'MS_Description' "
        "WHERE" OBJ_FILTER "ORDER BY t.name",
    .columns_query =
        "SELECT t.name, c.name, "
        "CASE WHEN ty.name IN ('varchar', 'char', 'varbinary', 'binary') "
        "  THEN ty.name + '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length AS VARCHAR(10)) END + ')' "
        "WHEN ty.name IN ('nvarchar', 'nchar') "
        "  THEN ty.name + '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length / 2 AS VARCHAR(10)) END + ')' "
        "WHEN ty.name IN ('decimal', 'numeric') "
        "  THEN ty.name + '(' + CAST(c.precision AS VARCHAR(10)) + ', ' + CAST(c.scale AS VARCHAR(10)) + ')' "
        "ELSE ty.name END, "
        "c.is_nullable, dc.definition, c.is_identity, CAST(ep.value AS NVARCHAR(4000)) "
        "FROM sys.columns c JOIN sys.objects t ON t.object_id = c.object_id "
        "JOIN sys.schemas s ON s.schema_id = t.schema_id "
        "JOIN sys.types ty ON ty.user_type_id = c.user_type_id "
        "LEFT JOIN sys.default_constraints dc ON dc.object_id = c.default_object_id "
        "LEFT JOIN sys.extended_properties ep ON ep.class = 1 AND ep.major_id = c.object_id "
        "AND ep.minor_id = c.column_id AND ep.name = 'MS_Description' "
        "WHERE" OBJ_FILTER "ORDER BY t.name, c.column_id",
    .constraints_query =
        "SELECT tn, k, n, c, rs, rt, rc, od, ou, txt FROM ("
        " SELECT t.name AS tn, CASE WHEN kc.type = 'PK' THEN 'p' ELSE 'u' END AS k, kc.name AS n,"
        "  col.name AS c, NULL AS rs, NULL AS rt, NULL AS rc, NULL AS od, NULL AS ou, NULL AS txt,"
        "  ic.key_ordinal AS pos"
        " FROM sys.key_constraints kc JOIN sys.objects t ON t.object_id = kc.parent_object_id"
        " JOIN sys.schemas s ON s.schema_id = t.schema_id"
        " JOIN sys.index_columns ic ON ic.object_id = kc.parent_object_id AND ic.index_id = kc.unique_index_id"
        " JOIN sys.columns col ON col.object_id = ic.object_id AND col.column_id = ic.column_id"
        " WHERE" OBJ_FILTER " UNION ALL"
        " SELECT t.name, 'f', fk.name, pc.name, NULLIF(rsch.name, :schema), rt.name, rcol.name,"
        "  NULLIF(REPLACE(fk.delete_referential_action_desc, '_', ' '), 'NO ACTION'),"
        "  NULLIF(REPLACE(fk.update_referential_action_desc, '_', ' '), 'NO ACTION'), NULL,"
        "  fkc.constraint_column_id"
        " FROM sys.foreign_keys fk JOIN sys.objects t ON t.object_id = fk.parent_object_id"
        " JOIN sys.schemas s ON s.schema_id = t.schema_id"
        " JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id"
        " JOIN sys.columns pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id"
        " JOIN sys.objects rt ON rt.object_id = fkc.referenced_object_id"
        " JOIN sys.schemas rsch ON rsch.schema_id = rt.schema_id"
        " JOIN sys.columns rcol ON rcol.object_id = fkc.referenced_object_id"
        "  AND rcol.column_id = fkc.referenced_column_id"
        " WHERE" OBJ_FILTER " UNION ALL"
        " SELECT t.name, 'c', cc.name, NULL, NULL, NULL, NULL, NULL, NULL, cc.definition, 0"
        " FROM sys.check_constraints cc JOIN sys.objects t ON t.object_id = cc.parent_object_id"
        " JOIN sys.schemas s ON s.schema_id = t.schema_id"
        " WHERE" OBJ_FILTER ") x ORDER BY tn, k, n, pos",
    .indexes_query =
        "SELECT t.name, i.name, col.name, i.is_unique "
        "FROM sys.indexes i JOIN sys.objects t ON t.object_id = i.object_id "
        "JOIN sys.schemas s ON s.schema_id = t.schema_id "
        "JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id "
        "JOIN sys.columns col ON col.object_id = ic.object_id AND col.column_id = ic.column_id "
        "WHERE" OBJ_FILTER "AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 AND i.type > 0 "
        "AND ic.is_included_column = 0 "
        "ORDER BY t.name, i.name, ic.key_ordinal",
    .parse_type = sqlalc_type_parse,
};

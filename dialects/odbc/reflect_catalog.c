/*
 * Reflection through ODBC's catalog functions, for databases the library
 * has no dialect for and on request (?odbc_reflection=catalog): SQLTables,
 * SQLColumns, SQLPrimaryKeys, SQLForeignKeys and SQLStatistics, one call
 * of each per table.
 *
 * What the catalog functions cannot report, so this path leaves out:
 * CHECK constraints; UNIQUE constraints apart from unique indexes (both
 * come back as unique indexes); expression and partial indexes (an
 * expression element has no COLUMN_NAME; the WHERE is not reported);
 * whether a column is autoincrement / identity (SQL_DESC_AUTO_UNIQUE_VALUE
 * needs a query of the table), sequences, domains, enums; the exact
 * spelling of a type beyond TYPE_NAME, COLUMN_SIZE and DECIMAL_DIGITS (an
 * unbounded VARCHAR reports the driver's maximum as its size); ON UPDATE /
 * ON DELETE rules the driver reports as NO ACTION when it does not know.
 * Comments come from REMARKS where the driver fills it.
 */
#include <stdlib.h>
#include <string.h>
#include "odbc_int.h"
#include "../../src/util/util.h"

/* One catalog result's text cells, read whole with SQLGetData. */
typedef struct cat {
    SQLHSTMT h;
    void *conn;
    sqlalc_buf cell[14];
    int isnull[14];
} cat;

static int cat_open(cat *k, sqlalc_conn *conn)
{
    memset(k, 0, sizeof *k);
    k->conn = sqlalc_conn_driver_connection(conn);
    if (!k->conn)
        return sqlalc_error_set(SQLALC_ERR_INTERFACE, "catalog reflection: no driver connection");
    SQLRETURN r = SQLAllocHandle(SQL_HANDLE_STMT, sqlalc__odbc_dbc(k->conn), &k->h);
    if (!SQL_SUCCEEDED(r))
        return sqlalc__odbc_diag(SQL_HANDLE_DBC, sqlalc__odbc_dbc(k->conn), r, "catalog statement", k->conn);
    return SQLALC_OK;
}

static void cat_close(cat *k)
{
    if (k->h)
        SQLFreeHandle(SQL_HANDLE_STMT, k->h);
    for (size_t i = 0; i < SQLALC_ARRAY_LEN_(k->cell); i++)
        sqlalc_buf_free(&k->cell[i]);
}

static int cat_check(cat *k, SQLRETURN r, const char *what)
{
    return SQL_SUCCEEDED(r) || r == SQL_NO_DATA ? SQLALC_OK
                                                : sqlalc__odbc_diag(SQL_HANDLE_STMT, k->h, r, what, k->conn);
}

/* Next row, columns 1..ncols read as text: 1 row, 0 done, or an error. */
static int cat_next(cat *k, int ncols, const char *what)
{
    SQLRETURN r = SQLFetch(k->h);
    if (r == SQL_NO_DATA)
        return 0;
    if (!SQL_SUCCEEDED(r))
        return cat_check(k, r, what);
    for (int i = 0; i < ncols; i++) {
        sqlalc_buf *b = &k->cell[i];
        sqlalc_buf_reset(b);
        k->isnull[i] = 0;
        char chunk[256];
        for (;;) {
            SQLLEN ind = 0;
            r = SQLGetData(k->h, (SQLUSMALLINT)(i + 1), SQL_C_CHAR, chunk, sizeof chunk, &ind);
            if (r == SQL_NO_DATA)
                break;
            if (!SQL_SUCCEEDED(r))
                return cat_check(k, r, what);
            if (ind == SQL_NULL_DATA) {
                k->isnull[i] = 1;
                break;
            }
            size_t got =
                (ind == SQL_NO_TOTAL || (size_t)ind >= sizeof chunk) ? sizeof chunk - 1 : (size_t)ind;
            sqlalc_buf_append(b, chunk, got);
            if (r != SQL_SUCCESS_WITH_INFO)
                break;
        }
        if (!sqlalc_buf_cstr(b))
            return sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
    }
    return 1;
}

/* Cell i (0-based) as text, NULL for SQL NULL. */
static const char *cell(cat *k, int i)
{
    return k->isnull[i] ? NULL : sqlalc_buf_cstr(&k->cell[i]);
}
static long cell_int(cat *k, int i)
{
    const char *s = cell(k, i);
    return s ? strtol(s, NULL, 10) : 0;
}

/* Catalog arguments: NULL stays NULL (any), text is SQL_NTS. */
#define ARG(s) (SQLCHAR *)(s), (SQLSMALLINT)((s) ? SQL_NTS : 0)

static const char *rule_name(long rule)
{
    switch (rule) {
    case SQL_CASCADE: return "CASCADE";
    case SQL_SET_NULL: return "SET NULL";
    case SQL_SET_DEFAULT: return "SET DEFAULT";
    case SQL_RESTRICT: return "RESTRICT";
    default: return NULL; /* NO ACTION: the default, not spelled */
    }
}

/* The type as the database spells it, from TYPE_NAME and the sizes. */
static void spell_type(sqlalc_buf *b, const char *name, long data_type, const char *size, const char *digits)
{
    sqlalc_buf_puts(b, name ? name : "");
    if (!name || strchr(name, '('))
        return;
    switch (data_type) {
    case SQL_CHAR:
    case SQL_VARCHAR:
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_BINARY:
    case SQL_VARBINARY:
        if (size && *size)
            sqlalc_buf_printf(b, "(%s)", size);
        break;
    case SQL_NUMERIC:
    case SQL_DECIMAL:
        if (size && *size)
            sqlalc_buf_printf(b, "(%s, %s)", size, digits && *digits ? digits : "0");
        break;
    default: break;
    }
}

/* The dialect's spelled-type parser when the URL names one. */
static sqlalc_type *parse_type(sqlalc_conn *conn, const char *spelled)
{
    const sqlalc_dialect *d = sqlalc_engine_dialect(sqlalc_conn_engine(conn));
    if (d && d->reflect && d->reflect->parse_type)
        return d->reflect->parse_type(spelled);
    return sqlalc_type_parse(spelled);
}

static int reflect_columns(sqlalc_conn *conn, const char *schema, sqlalc_table_info *t)
{
    cat k;
    int rc = cat_open(&k, conn);
    if (!rc)
        rc = cat_check(&k, SQLColumns(k.h, NULL, 0, ARG(schema), ARG(t->name), NULL, 0), "SQLColumns");
    sqlalc_buf spelled = SQLALC_BUF_INIT;
    /* TABLE_CAT … COLUMN_DEF: 13 columns */
    while (!rc && (rc = cat_next(&k, 13, "SQLColumns")) == 1) {
        rc = SQLALC_OK;
        sqlalc_buf_reset(&spelled);
        spell_type(&spelled, cell(&k, 5), cell_int(&k, 4), cell(&k, 6), cell(&k, 8));
        if (!sqlalc_buf_cstr(&spelled)) {
            rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
            break;
        }
        sqlalc_type *ty = parse_type(conn, spelled.p);
        /* sqliteodbc reports "no default" as the text NULL: the same thing */
        const char *def = cell(&k, 12);
        if (def && !sqlalc__strncasecmp(def, "NULL", 5))
            def = NULL;
        if (!sqlalc_reflect_add_column(t, cell(&k, 3), ty, spelled.p, cell_int(&k, 10) != SQL_NO_NULLS, def,
                                       0, cell(&k, 11) && *cell(&k, 11) ? cell(&k, 11) : NULL))
            rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
    }
    sqlalc_buf_free(&spelled);
    cat_close(&k);
    return rc < 0 ? rc : SQLALC_OK;
}

static int reflect_pk(sqlalc_conn *conn, const char *schema, sqlalc_table_info *t)
{
    cat k;
    int rc = cat_open(&k, conn);
    if (!rc)
        rc = cat_check(&k, SQLPrimaryKeys(k.h, NULL, 0, ARG(schema), ARG(t->name)), "SQLPrimaryKeys");
    /* TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, KEY_SEQ, PK_NAME (by KEY_SEQ) */
    while (!rc && (rc = cat_next(&k, 6, "SQLPrimaryKeys")) == 1) {
        rc = sqlalc_reflect_pk_column(t, cell(&k, 3));
        if (!rc && cell(&k, 5))
            rc = sqlalc_reflect_set_pk_name(t, cell(&k, 5));
    }
    cat_close(&k);
    return rc < 0 ? rc : SQLALC_OK;
}

static int reflect_fks(sqlalc_conn *conn, const char *schema, sqlalc_table_info *t)
{
    cat k;
    int rc = cat_open(&k, conn);
    if (!rc)
        rc = cat_check(&k, SQLForeignKeys(k.h, NULL, 0, NULL, 0, NULL, 0, NULL, 0, ARG(schema), ARG(t->name)),
                       "SQLForeignKeys");
    sqlalc_fk_info *fk = NULL;
    /* PKTABLE_CAT … FK_NAME: 12 columns, ordered by the referred table and KEY_SEQ */
    while (!rc && (rc = cat_next(&k, 12, "SQLForeignKeys")) == 1) {
        rc = SQLALC_OK;
        if (!fk || cell_int(&k, 8) <= 1) {
            const char *rs = cell(&k, 1);
            /* the referred schema is kept only when it is not the table's own */
            if (rs && schema && !strcmp(rs, schema))
                rs = NULL;
            if (rs && !schema)
                rs = NULL;
            fk = sqlalc_reflect_add_fk(t, cell(&k, 11), rs, cell(&k, 2), rule_name(cell_int(&k, 10)),
                                       rule_name(cell_int(&k, 9)));
            if (!fk) {
                rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
                break;
            }
        }
        rc = sqlalc_reflect_fk_column(fk, cell(&k, 7), cell(&k, 3));
    }
    cat_close(&k);
    return rc < 0 ? rc : SQLALC_OK;
}

static int reflect_indexes(sqlalc_conn *conn, const char *schema, sqlalc_table_info *t)
{
    cat k;
    int rc = cat_open(&k, conn);
    if (!rc)
        rc = cat_check(&k, SQLStatistics(k.h, NULL, 0, ARG(schema), ARG(t->name), SQL_INDEX_ALL, SQL_QUICK),
                       "SQLStatistics");
    sqlalc_index_info *ix = NULL;
    char *last = NULL;
    /* TABLE_CAT … COLUMN_NAME: 9 columns; ordered by NON_UNIQUE, TYPE, INDEX_NAME, ORDINAL_POSITION */
    while (!rc && (rc = cat_next(&k, 9, "SQLStatistics")) == 1) {
        rc = SQLALC_OK;
        const char *name = cell(&k, 5), *col = cell(&k, 8);
        if (cell_int(&k, 6) == SQL_TABLE_STAT || !name || !col)
            continue; /* table statistics; expression elements */
        /* the primary key's own index is the key, not an index */
        if (t->pk.name && !strcmp(t->pk.name, name))
            continue;
        if (!last || strcmp(last, name)) {
            ix = sqlalc_reflect_add_index(t, name, cell_int(&k, 3) == SQL_FALSE);
            sqlalc_free(last);
            size_t n = strlen(name) + 1;
            last = sqlalc_malloc(n);
            if (!ix || !last) {
                rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
                break;
            }
            memcpy(last, name, n);
        }
        if (!sqlalc_reflect_index_element(ix, col, NULL, NULL, NULL))
            rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
    }
    sqlalc_free(last);
    cat_close(&k);
    /* An unnamed key's own index (SQLite's sqlite_autoindex_N) is the key:
     * a unique index over exactly the key's columns goes. */
    for (size_t i = 0; rc >= 0 && i < t->nindexes; i++) {
        sqlalc_index_info *x = &t->indexes[i];
        int same = x->unique && x->columns.count == t->pk.columns.count && x->columns.count > 0;
        for (size_t j = 0; same && j < x->columns.count; j++)
            same = !strcmp(x->columns.items[j], t->pk.columns.items[j]);
        if (same && !t->pk.name) {
            sqlalc_index_info gone = *x;
            memmove(x, x + 1, (t->nindexes - i - 1) * sizeof *x);
            t->nindexes--;
            /* free what the builders allocated for it */
            sqlalc_free(gone.name);
            sqlalc_strlist_clear(&gone.columns);
            for (size_t e = 0; e < gone.nelements; e++) {
                sqlalc_free(gone.elements[e].column);
                sqlalc_free(gone.elements[e].expression);
                sqlalc_free(gone.elements[e].sorting);
                sqlalc_free(gone.elements[e].opclass);
            }
            sqlalc_free(gone.elements);
            i--;
        }
    }
    return rc < 0 ? rc : SQLALC_OK;
}

/* The dialect's default schema when it has a way to ask (PostgreSQL:
 * current_schema()); NULL for databases without schemas. */
static int default_schema_of(sqlalc_conn *conn, char **out)
{
    *out = NULL;
    const sqlalc_dialect *d = sqlalc_engine_dialect(sqlalc_conn_engine(conn));
    if (d && d->reflect && d->reflect->default_schema)
        return d->reflect->default_schema(conn, out);
    if (d && d->reflect && d->reflect->default_schema_name &&
        strcmp(d->reflect->default_schema_name, "main")) {
        size_t n = strlen(d->reflect->default_schema_name) + 1;
        if (!(*out = sqlalc_malloc(n)))
            return sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
        memcpy(*out, d->reflect->default_schema_name, n);
    }
    return SQLALC_OK;
}

static int wanted(const char *name, const char *const *names, size_t nnames)
{
    if (!names)
        return 1;
    for (size_t i = 0; i < nnames; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

static int catalog_reflect(sqlalc_conn *conn, const char *schema, const char *const *names, size_t nnames,
                           int views, sqlalc_schema_info *out)
{
    char *defschema = NULL;
    int rc = SQLALC_OK;
    if (!schema && (rc = default_schema_of(conn, &defschema)))
        return rc;
    const char *cs = schema ? schema : defschema;
    cat k;
    if ((rc = cat_open(&k, conn))) {
        sqlalc_free(defschema);
        return rc;
    }
    rc = cat_check(&k,
                   SQLTables(k.h, NULL, 0, ARG(cs), (SQLCHAR *)"%", SQL_NTS,
                             (SQLCHAR *)(views ? "TABLE,VIEW" : "TABLE"), SQL_NTS),
                   "SQLTables");
    /* TABLE_CAT, TABLE_SCHEM, TABLE_NAME, TABLE_TYPE, REMARKS */
    while (!rc && (rc = cat_next(&k, 5, "SQLTables")) == 1) {
        rc = SQLALC_OK;
        const char *name = cell(&k, 2), *type = cell(&k, 3);
        /* SQLite's own tables (sqlite_sequence …), which sqliteodbc lists
         * as TABLE: the native reflection leaves them out too */
        if (!name || !wanted(name, names, nnames) || !strncmp(name, "sqlite_", 7))
            continue;
        sqlalc_table_info *t = sqlalc_reflect_add_table(out, schema, name, type && !strcmp(type, "VIEW"));
        if (!t)
            rc = sqlalc_error_set(SQLALC_ERR_NOMEM, "out of memory");
        else if (cell(&k, 4) && *cell(&k, 4))
            rc = sqlalc_reflect_set_string(&t->comment, cell(&k, 4));
    }
    cat_close(&k);
    /* one table at a time: a driver may allow one open catalog result */
    for (size_t i = 0; rc >= 0 && i < out->count; i++) {
        sqlalc_table_info *t = out->tables[i];
        if ((schema && (!t->schema || strcmp(t->schema, schema))) || (!schema && t->schema))
            continue;
        if ((rc = reflect_columns(conn, cs, t)) || (rc = reflect_pk(conn, cs, t)) ||
            (rc = reflect_fks(conn, cs, t)) || (rc = reflect_indexes(conn, cs, t)))
            break;
    }
    sqlalc_free(defschema);
    return rc < 0 ? rc : SQLALC_OK;
}

static int catalog_table_names(sqlalc_conn *conn, const char *schema, int views, sqlalc_strlist *out)
{
    char *defschema = NULL;
    int rc = SQLALC_OK;
    if (!schema && (rc = default_schema_of(conn, &defschema)))
        return rc;
    cat k;
    if (!(rc = cat_open(&k, conn)))
        rc = cat_check(&k,
                       SQLTables(k.h, NULL, 0, ARG(schema ? schema : defschema), (SQLCHAR *)"%", SQL_NTS,
                                 (SQLCHAR *)(views ? "VIEW" : "TABLE"), SQL_NTS),
                       "SQLTables");
    while (!rc && (rc = cat_next(&k, 3, "SQLTables")) == 1)
        rc = cell(&k, 2) && strncmp(cell(&k, 2), "sqlite_", 7) ? sqlalc_strlist_append(out, cell(&k, 2))
                                                               : SQLALC_OK;
    cat_close(&k);
    sqlalc_free(defschema);
    return rc < 0 ? rc : SQLALC_OK;
}

static int catalog_default_schema(sqlalc_conn *conn, char **out)
{
    return default_schema_of(conn, out);
}

const sqlalc_reflect_hooks sqlalc__odbc_catalog_reflect_hooks = {
    .version = SQLALC_REFLECT_HOOKS_VERSION,
    .default_schema = catalog_default_schema,
    .table_names = catalog_table_names,
    .reflect = catalog_reflect,
    .parse_type = sqlalc_type_parse,
};

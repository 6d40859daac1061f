/* SQLite DDL flavour: SQLAlchemy's sqlite type names; INTEGER PRIMARY KEY
 * is the rowid, so autoincrement needs no keyword; no ALTER TABLE ADD
 * CONSTRAINT (foreign keys in cycles are declared inline, which SQLite
 * accepts because it checks targets only when rows change). */
#include <stdio.h>
#include "../dialects.h"

static size_t type_sql(const sqlalc_type *t, char *buf, size_t size)
{
    int n;
    switch (sqlalc_type_get_kind(t)) {
    case SQLALC_TYPE_FLOAT: n = snprintf(buf, size, "FLOAT"); break;
    case SQLALC_TYPE_UNICODE: /* fall through: SQLite strings are Unicode */
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_ENUM:
        n = sqlalc_type_length(t) ? snprintf(buf, size, "VARCHAR(%d)", sqlalc_type_length(t))
                                  : snprintf(buf, size, "VARCHAR");
        break;
    case SQLALC_TYPE_UNICODE_TEXT: n = snprintf(buf, size, "TEXT"); break;
    case SQLALC_TYPE_TIME: n = snprintf(buf, size, "TIME"); break;
    case SQLALC_TYPE_DATETIME: n = snprintf(buf, size, "DATETIME"); break;
    case SQLALC_TYPE_INTERVAL: n = snprintf(buf, size, "DATETIME"); break; /* as SQLAlchemy: epoch + delta */
    case SQLALC_TYPE_UUID: n = snprintf(buf, size, "CHAR(32)"); break;
    case SQLALC_TYPE_DOUBLE: n = snprintf(buf, size, "DOUBLE"); break;
    case SQLALC_TYPE_NULL: n = snprintf(buf, size, "%s", ""); break; /* a column declared without a type */
    case SQLALC_TYPE_JSONB: n = snprintf(buf, size, "JSON"); break;
    default: return sqlalc_type_sql(t, NULL, buf, size);
    }
    return n < 0 ? 0 : (size_t)n;
}

const sqlalc_ddl_hooks sqlalc__sqlite_ddl_hooks = {
    .version = SQLALC_DDL_HOOKS_VERSION,
    .type_sql = type_sql,
    .autoincrement = SQLALC_DDL_AUTOINC_NONE,
    .enum_check = 1,
    .fk_same_schema = 1,
    .index_schema_on_name = 1,
    .inline_pk_autoincrement = 1,
    .paren_default_expr = 1,
    .index_where = 1,
};

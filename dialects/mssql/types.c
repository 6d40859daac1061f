/* SQL Server's own types (include/sqlalc/mssql.h). */
#include <stdio.h>
#include "../dialects.h"
#include "sqlalc/mssql.h"

sqlalc_type *sqlalc_mssql_datetime2(int precision)
{
    if (precision < -1 || precision > 7) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "mssql DATETIME2 precision %d is not in 0..7", precision);
        return NULL;
    }
    char name[32];
    if (precision >= 0)
        snprintf(name, sizeof name, "DATETIME2(%d)", precision);
    else
        snprintf(name, sizeof name, "DATETIME2");
    /* DateTime elsewhere, the named type on mssql */
    return sqlalc_type_with_variant(sqlalc_type_datetime_precision(0, precision), sqlalc_type_user(name),
                                    "mssql");
}

/*
 * PostgreSQL statements the libpq driver runs for wire operations libpq
 * has no protocol call for (see pg_sql.h).
 */
#include <string.h>
#include "pg_sql.h"

void sqlalc__pq_quote_ident(sqlalc_buf *b, const char *name)
{
    const char *dot = strchr(name, '.');
    if (dot && name[0] != '"') {
        sqlalc_buf_putc(b, '"');
        for (const char *p = name; p < dot; p++) {
            if (*p == '"')
                sqlalc_buf_putc(b, '"');
            sqlalc_buf_putc(b, *p);
        }
        sqlalc_buf_puts(b, "\".");
        name = dot + 1;
    }
    sqlalc_buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            sqlalc_buf_putc(b, '"');
        sqlalc_buf_putc(b, *p);
    }
    sqlalc_buf_putc(b, '"');
}

void sqlalc__pg_deallocate_sql(sqlalc_buf *b, const char *name)
{
    sqlalc_buf_puts(b, "DEALLOCATE ");
    sqlalc__pq_quote_ident(b, name);
    sqlalc_buf_putc(b, ';');
}

void sqlalc__pg_copy_in_sql(sqlalc_buf *b, const char *table, const char *const *columns, int ncols)
{
    sqlalc_buf_puts(b, "COPY ");
    sqlalc__pq_quote_ident(b, table);
    if (columns) {
        sqlalc_buf_puts(b, " (");
        for (int j = 0; j < ncols; j++) {
            if (j)
                sqlalc_buf_puts(b, ", ");
            sqlalc__pq_quote_ident(b, columns[j]);
        }
        sqlalc_buf_putc(b, ')');
    }
    sqlalc_buf_puts(b, " FROM STDIN");
}

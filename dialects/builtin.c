/* The built-in dialect and driver tables the registry starts with. */
#include <string.h>
#include "dialects.h"

const sqlalc_dialect *const sqlalc__builtin_dialects[] = {
    &sqlalc__dialect_sqlite, &sqlalc__dialect_postgresql, &sqlalc__dialect_mssql, NULL,
};

const sqlalc_driver *const sqlalc__builtin_drivers[] = {
    &sqlalc__driver_sqlite3,
#ifdef SQLALC_HAVE_POSTGRESQL
    &sqlalc__driver_libpq,
#endif
#ifdef SQLALC_HAVE_ODBC
    &sqlalc__driver_odbc,
#endif
    NULL,
};

int sqlalc__word_in(const char *word, const char *const *sorted, size_t n)
{
    char low[64];
    size_t len = strlen(word);
    if (len >= sizeof low)
        return 0;
    for (size_t i = 0; i <= len; i++) {
        char c = word[i];
        low[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(low, sorted[mid]);
        if (!c)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* The library's version, and versioned structs: every version up to the
 * current one is accepted. */
#include <string.h>
#include "util.h"

int sqlalc__versioned_copy(void *dst, const void *src, unsigned version, const size_t *sizes,
                           unsigned current, const char *what)
{
    if (version == 0 || version > current)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT,
                                "%s: version %u unknown (this library knows versions 1 to %u; "
                                "was it built against a newer libsqlalc?)",
                                what, version, current);
    memcpy(dst, src, sizes[version]);
    return SQLALC_OK;
}

int sqlalc__isolation_standard(const char *level)
{
    static const char *const levels[] = { "SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED",
                                          "READ UNCOMMITTED" };
    for (size_t i = 0; level && i < SQLALC_ARRAY_LEN(levels); i++)
        if (!strcmp(level, levels[i]))
            return 1;
    return 0;
}

const char *sqlalc_libversion(void)
{
    return SQLALC_VERSION;
}

int sqlalc_libversion_number(void)
{
    return SQLALC_VERSION_NUMBER;
}

/* libsqlalc — schema as data: metadata, tables, columns, types,
 * constraints, indexes, DDL.  Included by <sqlalc.h>. */
#ifndef SQLALC_SCHEMA_H
#define SQLALC_SCHEMA_H
#include "core.h"
#ifdef __cplusplus
extern "C" {
#endif

/* The generic kinds of column type (SQLAlchemy's generic types). */
typedef enum sqlalc_type_kind {
    SQLALC_TYPE_NULL = 0,      /* unknown / untyped */
    SQLALC_TYPE_INTEGER,
    SQLALC_TYPE_SMALLINT,
    SQLALC_TYPE_BIGINT,
    SQLALC_TYPE_FLOAT,
    SQLALC_TYPE_NUMERIC,       /* precision, scale */
    SQLALC_TYPE_STRING,        /* length (0 = unbounded) */
    SQLALC_TYPE_TEXT,
    SQLALC_TYPE_UNICODE,       /* length */
    SQLALC_TYPE_UNICODE_TEXT,
    SQLALC_TYPE_BOOLEAN,
    SQLALC_TYPE_DATE,
    SQLALC_TYPE_TIME,
    SQLALC_TYPE_DATETIME,      /* timezone flag */
    SQLALC_TYPE_ENUM,          /* values, name */
    SQLALC_TYPE_LARGE_BINARY,
    SQLALC_TYPE_JSON,
    SQLALC_TYPE_INTERVAL,
    SQLALC_TYPE_UUID,
    SQLALC_TYPE_USER           /* a user-named type rendered verbatim */
} sqlalc_type_kind;

#ifdef __cplusplus
}
#endif
#endif

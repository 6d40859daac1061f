/* Spelled type → library type, for reflection.  One table of names
 * covers SQLite's declared types, PostgreSQL's catalog names and SQL
 * Server's, so every dialect's parse_type can start here. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "../util/util.h"

static sqlalc_type t_null_type = { .refs = -1, .kind = SQLALC_TYPE_NULL, .precision = -1, .scale = -1 };

typedef struct name_map {
    const char *name; /* lower case, single spaces */
    sqlalc_type_kind kind;
    int tz;
} name_map;

static const name_map names[] = {
    { "integer", SQLALC_TYPE_INTEGER, 0 },
    { "int", SQLALC_TYPE_INTEGER, 0 },
    { "int4", SQLALC_TYPE_INTEGER, 0 },
    { "serial", SQLALC_TYPE_INTEGER, 0 },
    { "mediumint", SQLALC_TYPE_INTEGER, 0 },
    { "smallint", SQLALC_TYPE_SMALLINT, 0 },
    { "int2", SQLALC_TYPE_SMALLINT, 0 },
    { "tinyint", SQLALC_TYPE_SMALLINT, 0 },
    { "smallserial", SQLALC_TYPE_SMALLINT, 0 },
    { "bigint", SQLALC_TYPE_BIGINT, 0 },
    { "int8", SQLALC_TYPE_BIGINT, 0 },
    { "bigserial", SQLALC_TYPE_BIGINT, 0 },
    { "float", SQLALC_TYPE_FLOAT, 0 },
    { "real", SQLALC_TYPE_REAL, 0 },
    { "float4", SQLALC_TYPE_REAL, 0 },
    { "double", SQLALC_TYPE_DOUBLE, 0 },
    { "double precision", SQLALC_TYPE_DOUBLE, 0 },
    { "float8", SQLALC_TYPE_DOUBLE, 0 },
    { "numeric", SQLALC_TYPE_NUMERIC, 0 },
    { "decimal", SQLALC_TYPE_NUMERIC, 0 },
    { "varchar", SQLALC_TYPE_STRING, 0 },
    { "character varying", SQLALC_TYPE_STRING, 0 },
    { "char", SQLALC_TYPE_CHAR, 0 },
    { "character", SQLALC_TYPE_CHAR, 0 },
    { "bpchar", SQLALC_TYPE_CHAR, 0 },
    { "varchar2", SQLALC_TYPE_STRING, 0 },
    { "nvarchar", SQLALC_TYPE_UNICODE, 0 },
    { "nchar", SQLALC_TYPE_NCHAR, 0 },
    { "national character", SQLALC_TYPE_NCHAR, 0 },
    { "national character varying", SQLALC_TYPE_UNICODE, 0 },
    { "text", SQLALC_TYPE_TEXT, 0 },
    { "clob", SQLALC_TYPE_TEXT, 0 },
    { "ntext", SQLALC_TYPE_UNICODE_TEXT, 0 },
    { "boolean", SQLALC_TYPE_BOOLEAN, 0 },
    { "bool", SQLALC_TYPE_BOOLEAN, 0 },
    { "bit", SQLALC_TYPE_BOOLEAN, 0 },
    { "date", SQLALC_TYPE_DATE, 0 },
    { "time", SQLALC_TYPE_TIME, 0 },
    { "time without time zone", SQLALC_TYPE_TIME, 0 },
    { "time with time zone", SQLALC_TYPE_TIME, 1 },
    { "timetz", SQLALC_TYPE_TIME, 1 },
    { "datetime", SQLALC_TYPE_DATETIME, 0 },
    { "datetime2", SQLALC_TYPE_DATETIME, 0 },
    { "smalldatetime", SQLALC_TYPE_DATETIME, 0 },
    { "timestamp", SQLALC_TYPE_DATETIME, 0 },
    { "timestamp without time zone", SQLALC_TYPE_DATETIME, 0 },
    { "timestamp with time zone", SQLALC_TYPE_DATETIME, 1 },
    { "timestamptz", SQLALC_TYPE_DATETIME, 1 },
    { "datetimeoffset", SQLALC_TYPE_DATETIME, 1 },
    { "blob", SQLALC_TYPE_LARGE_BINARY, 0 },
    { "bytea", SQLALC_TYPE_LARGE_BINARY, 0 },
    { "varbinary", SQLALC_TYPE_LARGE_BINARY, 0 },
    { "binary", SQLALC_TYPE_LARGE_BINARY, 0 },
    { "image", SQLALC_TYPE_LARGE_BINARY, 0 },
    { "json", SQLALC_TYPE_JSON, 0 },
    { "jsonb", SQLALC_TYPE_JSONB, 0 },
    { "interval", SQLALC_TYPE_INTERVAL, 0 },
    { "uuid", SQLALC_TYPE_UUID, 0 },
    { "uniqueidentifier", SQLALC_TYPE_UUID, 0 },
};
/* Parse "(a[, b])": -1 for a missing number, -2 for "max". */
static int parse_args(const char *p, int *a, int *b)
{
    *a = *b = -1;
    if (*p != '(')
        return 0;
    p++;
    while (*p == ' ')
        p++;
    if (!sqlalc__strncasecmp(p, "max", 3)) {
        *a = -2;
        return 1;
    }
    char *end;
    long v = strtol(p, &end, 10);
    if (end == p)
        return 0;
    *a = (int)v;
    p = end;
    while (*p == ' ')
        p++;
    if (*p == ',') {
        p++;
        v = strtol(p, &end, 10);
        if (end != p)
            *b = (int)v;
    }
    return 1;
}

static sqlalc_type *parse_base(const char *spelled, const char *base, size_t n, const char *args);

sqlalc_type *sqlalc_type_parse(const char *spelled)
{
    if (!spelled)
        return &t_null_type;
    /* Normalise: lower case, single spaces, split off "(…)" and the
     * PostgreSQL time-zone words that follow it ("time(6) with time zone"). */
    size_t n = 0;
    const char *args = NULL;
    const char *p = spelled;
    while (*p == ' ')
        p++;
    char *base = sqlalc__malloc(strlen(p) + 1);
    if (!base)
        return NULL;
    for (; *p; p++) {
        if (*p == '(') {
            if (!args)
                args = p;
            const char *close = strchr(p, ')');
            if (!close)
                break;
            p = close;
            continue;
        }
        char c = (char)tolower((unsigned char)*p);
        if (c == ' ' && (n == 0 || base[n - 1] == ' '))
            continue;
        base[n++] = c;
    }
    while (n && base[n - 1] == ' ')
        n--;
    base[n] = 0;
    sqlalc_type *t = parse_base(spelled, base, n, args);
    sqlalc_free(base);
    return t;
}

static sqlalc_type *parse_base(const char *spelled, const char *base, size_t n, const char *args)
{
    if (!n)
        return &t_null_type;
    /* "unsigned" and friends do not change the kind. */
    const name_map *m = NULL;
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(names) && !m; i++)
        if (!strcmp(base, names[i].name))
            m = &names[i];
    if (!m) {
        sqlalc_type *u = sqlalc_type_user(spelled);
        if (!u && sqlalc_error_last()->code != SQLALC_ERR_NOMEM) {
            sqlalc_error_clear();
            return &t_null_type; /* a name we cannot write back: untyped */
        }
        return u;
    }
    int a = -1, b = -1;
    if (args)
        parse_args(args, &a, &b);
    switch (m->kind) {
    case SQLALC_TYPE_INTEGER: return sqlalc_type_integer();
    case SQLALC_TYPE_SMALLINT: return sqlalc_type_smallint();
    case SQLALC_TYPE_BIGINT: return sqlalc_type_bigint();
    case SQLALC_TYPE_FLOAT: {
        if (a > 0) {
            sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_FLOAT);
            if (t)
                t->precision = a;
            return t;
        }
        return sqlalc_type_float();
    }
    case SQLALC_TYPE_REAL: return sqlalc_type_real();
    case SQLALC_TYPE_DOUBLE: return sqlalc_type_double();
    case SQLALC_TYPE_JSONB: return sqlalc_type_jsonb();
    case SQLALC_TYPE_CHAR:
    case SQLALC_TYPE_NCHAR: {
        if (a <= 0)
            return m->kind == SQLALC_TYPE_CHAR ? sqlalc_type_char(0) : sqlalc_type_nchar(0);
        sqlalc_type *t = sqlalc__type_new(m->kind);
        if (t)
            t->length = a;
        return t;
    }
    case SQLALC_TYPE_NUMERIC: {
        if (a <= 0)
            return sqlalc_type_numeric(-1, -1);
        sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_NUMERIC);
        if (t) {
            t->precision = a;
            t->scale = b >= 0 && b <= a ? b : -1;
        }
        return t;
    }
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_UNICODE: {
        sqlalc_type *t;
        if (a <= 0) { /* no length or (max) */
            t = m->kind == SQLALC_TYPE_STRING ? sqlalc_type_string(0) : sqlalc_type_unicode(0);
            if (a == -2 && m->kind == SQLALC_TYPE_UNICODE)
                t = sqlalc_type_unicode_text(); /* NVARCHAR(max) is what UnicodeText becomes */
            else if (a == -2)
                t = sqlalc_type_text();
            return t;
        }
        t = sqlalc__type_new(m->kind);
        if (t)
            t->length = a;
        return t;
    }
    case SQLALC_TYPE_LARGE_BINARY: return sqlalc_type_large_binary();
    case SQLALC_TYPE_TEXT: return sqlalc_type_text();
    case SQLALC_TYPE_UNICODE_TEXT: return sqlalc_type_unicode_text();
    case SQLALC_TYPE_BOOLEAN: return sqlalc_type_boolean();
    case SQLALC_TYPE_DATE: return sqlalc_type_date();
    case SQLALC_TYPE_TIME:
    case SQLALC_TYPE_DATETIME:
        /* fractional-seconds precision: "timestamp(3) with time zone" */
        if (a >= 0) {
            sqlalc_type *t = sqlalc__type_new(m->kind);
            if (t) {
                t->timezone = m->tz;
                t->precision = a;
            }
            return t;
        }
        return m->kind == SQLALC_TYPE_TIME ? sqlalc_type_time(m->tz) : sqlalc_type_datetime(m->tz);
    case SQLALC_TYPE_JSON: return sqlalc_type_json();
    case SQLALC_TYPE_INTERVAL: return sqlalc_type_interval();
    case SQLALC_TYPE_UUID: return sqlalc_type_uuid();
    default: return &t_null_type;
    }
}

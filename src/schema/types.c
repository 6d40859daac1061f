/* Column types: constructors with argument checks, reference counting,
 * getters.  Parameterless types are static singletons so the common
 * sqlalc_type_integer() never allocates. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "model.h"
#include "../util/util.h"

#define STATIC_TYPE(var, k, tz)                                                              \
    static sqlalc_type var = {                                                               \
        .refs = -1, .kind = (k), .length = 0, .precision = -1, .scale = -1, .timezone = (tz) \
    }

STATIC_TYPE(t_integer, SQLALC_TYPE_INTEGER, 0);
STATIC_TYPE(t_smallint, SQLALC_TYPE_SMALLINT, 0);
STATIC_TYPE(t_bigint, SQLALC_TYPE_BIGINT, 0);
STATIC_TYPE(t_float, SQLALC_TYPE_FLOAT, 0);
STATIC_TYPE(t_numeric, SQLALC_TYPE_NUMERIC, 0);
STATIC_TYPE(t_string, SQLALC_TYPE_STRING, 0);
STATIC_TYPE(t_text, SQLALC_TYPE_TEXT, 0);
STATIC_TYPE(t_unicode, SQLALC_TYPE_UNICODE, 0);
STATIC_TYPE(t_unicode_text, SQLALC_TYPE_UNICODE_TEXT, 0);
STATIC_TYPE(t_boolean, SQLALC_TYPE_BOOLEAN, 0);
STATIC_TYPE(t_date, SQLALC_TYPE_DATE, 0);
STATIC_TYPE(t_time, SQLALC_TYPE_TIME, 0);
STATIC_TYPE(t_timetz, SQLALC_TYPE_TIME, 1);
STATIC_TYPE(t_datetime, SQLALC_TYPE_DATETIME, 0);
STATIC_TYPE(t_datetimetz, SQLALC_TYPE_DATETIME, 1);
STATIC_TYPE(t_large_binary, SQLALC_TYPE_LARGE_BINARY, 0);
STATIC_TYPE(t_json, SQLALC_TYPE_JSON, 0);
STATIC_TYPE(t_interval, SQLALC_TYPE_INTERVAL, 0);
STATIC_TYPE(t_uuid, SQLALC_TYPE_UUID, 0);
STATIC_TYPE(t_real, SQLALC_TYPE_REAL, 0);
STATIC_TYPE(t_double, SQLALC_TYPE_DOUBLE, 0);
STATIC_TYPE(t_char, SQLALC_TYPE_CHAR, 0);
STATIC_TYPE(t_nchar, SQLALC_TYPE_NCHAR, 0);
STATIC_TYPE(t_jsonb, SQLALC_TYPE_JSONB, 0);

sqlalc_type *sqlalc_type_integer(void)
{
    return &t_integer;
}
sqlalc_type *sqlalc_type_smallint(void)
{
    return &t_smallint;
}
sqlalc_type *sqlalc_type_bigint(void)
{
    return &t_bigint;
}
sqlalc_type *sqlalc_type_float(void)
{
    return &t_float;
}
sqlalc_type *sqlalc_type_text(void)
{
    return &t_text;
}
sqlalc_type *sqlalc_type_unicode_text(void)
{
    return &t_unicode_text;
}
sqlalc_type *sqlalc_type_boolean(void)
{
    return &t_boolean;
}
sqlalc_type *sqlalc_type_date(void)
{
    return &t_date;
}
sqlalc_type *sqlalc_type_time(int tz)
{
    return tz ? &t_timetz : &t_time;
}
sqlalc_type *sqlalc_type_datetime(int tz)
{
    return tz ? &t_datetimetz : &t_datetime;
}
sqlalc_type *sqlalc_type_large_binary(void)
{
    return &t_large_binary;
}
sqlalc_type *sqlalc_type_json(void)
{
    return &t_json;
}
sqlalc_type *sqlalc_type_interval(void)
{
    return &t_interval;
}
sqlalc_type *sqlalc_type_uuid(void)
{
    return &t_uuid;
}
sqlalc_type *sqlalc_type_real(void)
{
    return &t_real;
}
sqlalc_type *sqlalc_type_double(void)
{
    return &t_double;
}
sqlalc_type *sqlalc_type_jsonb(void)
{
    return &t_jsonb;
}

sqlalc_type *sqlalc__type_new(sqlalc_type_kind kind)
{
    sqlalc_type *t = sqlalc__calloc(1, sizeof *t);
    if (!t)
        return NULL;
    atomic_init(&t->refs, 1);
    t->kind = kind;
    t->precision = t->scale = -1;
    return t;
}

sqlalc_type *sqlalc_type_float_precision(int precision)
{
    if (precision < 1) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Float: precision must be >= 1 (got %d)", precision);
        return NULL;
    }
    sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_FLOAT);
    if (t)
        t->precision = precision;
    return t;
}

sqlalc_type *sqlalc_type_numeric(int precision, int scale)
{
    if (precision == -1 && scale == -1)
        return &t_numeric;
    if (precision < -1 || precision == 0 || precision > 1000) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Numeric: precision must be between 1 and 1000 (got %d)",
                         precision);
        return NULL;
    }
    if (scale < -1) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Numeric: scale must be >= 0 (got %d)", scale);
        return NULL;
    }
    if (scale >= 0 && precision == -1) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Numeric: a scale (%d) needs a precision", scale);
        return NULL;
    }
    if (scale > precision) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Numeric(%d, %d): scale is greater than precision", precision,
                         scale);
        return NULL;
    }
    sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_NUMERIC);
    if (t) {
        t->precision = precision;
        t->scale = scale;
    }
    return t;
}

static sqlalc_type *sized(sqlalc_type_kind k, sqlalc_type *unsized, const char *what, int length)
{
    if (length < 0) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: length must be >= 0 (got %d)", what, length);
        return NULL;
    }
    if (!length)
        return unsized;
    sqlalc_type *t = sqlalc__type_new(k);
    if (t)
        t->length = length;
    return t;
}

sqlalc_type *sqlalc_type_string(int length)
{
    return sized(SQLALC_TYPE_STRING, &t_string, "String", length);
}
sqlalc_type *sqlalc_type_unicode(int length)
{
    return sized(SQLALC_TYPE_UNICODE, &t_unicode, "Unicode", length);
}
sqlalc_type *sqlalc_type_char(int length)
{
    return sized(SQLALC_TYPE_CHAR, &t_char, "CHAR", length);
}
sqlalc_type *sqlalc_type_nchar(int length)
{
    return sized(SQLALC_TYPE_NCHAR, &t_nchar, "NCHAR", length);
}

static sqlalc_type *with_precision(sqlalc_type_kind k, int tz, int precision, const char *what)
{
    if (precision < 0) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s: precision must be >= 0 (got %d)", what, precision);
        return NULL;
    }
    sqlalc_type *t = sqlalc__type_new(k);
    if (t) {
        t->timezone = tz != 0;
        t->precision = precision;
    }
    return t;
}
sqlalc_type *sqlalc_type_datetime_precision(int tz, int precision)
{
    return with_precision(SQLALC_TYPE_DATETIME, tz, precision, "DateTime");
}
sqlalc_type *sqlalc_type_time_precision(int tz, int precision)
{
    return with_precision(SQLALC_TYPE_TIME, tz, precision, "Time");
}

sqlalc_type *sqlalc_type_enum_array(const char *name, const char *const *values, size_t n)
{
    if (!n) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Enum %s: at least one value is needed", name ? name : "");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!values[i]) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Enum %s: value %zu is NULL", name ? name : "", i);
            return NULL;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(values[i], values[j])) {
                sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Enum %s: duplicate value '%s'", name ? name : "",
                                 values[i]);
                return NULL;
            }
    }
    if (name && !*name) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "Enum: empty name");
        return NULL;
    }
    sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_ENUM);
    if (!t)
        return NULL;
    t->enum_values = sqlalc__calloc(n, sizeof(char *));
    if (!t->enum_values || (name && !(t->name = sqlalc__strdup(name))))
        goto oom;
    for (size_t i = 0; i < n; i++) {
        t->enum_values[i] = sqlalc__strdup(values[i]);
        if (!t->enum_values[i])
            goto oom;
        t->n_enum_values = i + 1;
        size_t len = strlen(values[i]);
        if ((int)len > t->length)
            t->length = (int)len;
    }
    return t;
oom:
    if (!t->enum_values)
        sqlalc__oom();
    sqlalc_type_free(t);
    return NULL;
}

sqlalc_type *sqlalc_type_enum_ex(const char *name, const char *const *values, size_t n,
                                 const sqlalc_enum_options *opts)
{
    sqlalc_type *t = sqlalc_type_enum_array(name, values, n);
    if (t && opts) {
        t->create_constraint = opts->create_constraint != 0;
        t->non_native = opts->non_native != 0;
    }
    return t;
}

sqlalc_type *sqlalc_type_enum_new(const char *name, ...)
{
    /* Count first, then gather: any number of labels. */
    size_t n = 0;
    va_list ap;
    va_start(ap, name);
    while (va_arg(ap, const char *) != NULL)
        n++;
    va_end(ap);
    const char *small[64];
    const char **vals = n <= SQLALC_ARRAY_LEN(small) ? small : sqlalc__malloc(n * sizeof *vals);
    if (!vals)
        return NULL;
    va_start(ap, name);
    for (size_t i = 0; i < n; i++)
        vals[i] = va_arg(ap, const char *);
    va_end(ap);
    sqlalc_type *t = sqlalc_type_enum_array(name, vals, n);
    if (vals != small)
        sqlalc_free((void *)vals);
    return t;
}

sqlalc_type *sqlalc_type_user(const char *sql)
{
    if (!sql || !*sql) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "user type: empty name");
        return NULL;
    }
    /* Written verbatim into DDL, so keep it to what type names use. */
    for (const char *p = sql; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == ' ' || c == '(' || c == ')' || c == ',' || c == '.' || c == '[' || c == ']')) {
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "user type '%s': character '%c' not allowed", sql, c);
            return NULL;
        }
    }
    sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_USER);
    if (t && !(t->name = sqlalc__strdup(sql))) {
        sqlalc__oom();
        sqlalc_free(t);
        return NULL;
    }
    return t;
}

sqlalc_type *sqlalc_type_ref(sqlalc_type *t)
{
    if (t && atomic_load_explicit(&t->refs, memory_order_relaxed) >= 0)
        atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
    return t;
}

void sqlalc_type_free(sqlalc_type *t)
{
    if (!t || atomic_load_explicit(&t->refs, memory_order_relaxed) < 0)
        return;
    if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t i = 0; i < t->n_enum_values; i++)
        sqlalc_free(t->enum_values[i]);
    sqlalc_free(t->enum_values);
    sqlalc_free(t->name);
    sqlalc_type_free(t->base);
    if (t->domain) {
        for (size_t i = 0; i < t->domain->nchecks; i++) {
            sqlalc_free(t->domain->check_names[i]);
            sqlalc_free(t->domain->checks[i]);
        }
        sqlalc_free(t->domain->check_names);
        sqlalc_free(t->domain->checks);
        sqlalc_free(t->domain->default_sql);
        sqlalc_free(t->domain);
    }
    for (size_t i = 0; i < t->nvariants; i++) {
        sqlalc_free(t->variants[i].dialect);
        sqlalc_type_free(t->variants[i].type);
    }
    sqlalc_free(t->variants);
    sqlalc_free(t);
}

/* ------------------------------------------------------------------ */
/* Domains and variants (reflection round trips)                       */
/* ------------------------------------------------------------------ */

sqlalc_type *sqlalc_type_domain(const char *name, sqlalc_type *base, const sqlalc_domain_options *o)
{
    if (!base)
        return NULL; /* the base type's constructor failed: its error stands */
    if (!name || !*name || base->kind == SQLALC_TYPE_DOMAIN) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "domain %s: %s", name ? name : "(null)",
                         !name || !*name ? "empty name" : "the base type is itself a domain");
        sqlalc_type_free(base);
        return NULL;
    }
    sqlalc_type *t = sqlalc__type_new(SQLALC_TYPE_DOMAIN);
    if (!t) {
        sqlalc_type_free(base);
        return NULL;
    }
    t->base = base;
    t->length = base->length;
    t->precision = base->precision;
    t->scale = base->scale;
    t->timezone = base->timezone;
    size_t nc = o ? o->nchecks : 0;
    if (!(t->name = sqlalc__strdup(name)) || !(t->domain = sqlalc__calloc(1, sizeof *t->domain)) ||
        (nc && (!(t->domain->checks = sqlalc__calloc(nc, sizeof(char *))) ||
                !(t->domain->check_names = sqlalc__calloc(nc, sizeof(char *))))) ||
        (o && o->default_sql && !(t->domain->default_sql = sqlalc__strdup(o->default_sql))))
        goto oom;
    if (o) {
        t->domain->not_null = o->not_null != 0;
        for (size_t i = 0; i < nc; i++) {
            t->domain->nchecks = i + 1;
            if (!o->checks || !o->checks[i] || !*o->checks[i]) {
                sqlalc_error_set(SQLALC_ERR_ARGUMENT, "domain %s: check %zu is empty", name, i);
                sqlalc_type_free(t);
                return NULL;
            }
            if (!(t->domain->checks[i] = sqlalc__strdup(o->checks[i])) ||
                (o->check_names && o->check_names[i] &&
                 !(t->domain->check_names[i] = sqlalc__strdup(o->check_names[i]))))
                goto oom;
        }
    }
    return t;
oom:
    if (t->domain && !t->domain->checks && nc) /* keep the counts consistent for free */
        t->domain->nchecks = 0;
    sqlalc__oom();
    sqlalc_type_free(t);
    return NULL;
}

const sqlalc_type *sqlalc_type_domain_base(const sqlalc_type *t)
{
    return t && t->kind == SQLALC_TYPE_DOMAIN ? t->base : NULL;
}

/* A deep copy of t (a new reference; static types stay shared). */
static sqlalc_type *type_copy(const sqlalc_type *t)
{
    sqlalc_type *c = sqlalc__type_new(t->kind);
    if (!c)
        return NULL;
    c->length = t->length;
    c->precision = t->precision;
    c->scale = t->scale;
    c->timezone = t->timezone;
    c->create_constraint = t->create_constraint;
    c->non_native = t->non_native;
    c->base = sqlalc_type_ref(t->base);
    if ((t->name && !(c->name = sqlalc__strdup(t->name))) ||
        (t->n_enum_values && !(c->enum_values = sqlalc__calloc(t->n_enum_values, sizeof(char *)))))
        goto oom;
    for (size_t i = 0; i < t->n_enum_values; i++) {
        if (!(c->enum_values[i] = sqlalc__strdup(t->enum_values[i])))
            goto oom;
        c->n_enum_values = i + 1;
    }
    if (t->domain) {
        const struct sqlalc__domain *d = t->domain;
        if (!(c->domain = sqlalc__calloc(1, sizeof *c->domain)) ||
            (d->default_sql && !(c->domain->default_sql = sqlalc__strdup(d->default_sql))) ||
            (d->nchecks && (!(c->domain->checks = sqlalc__calloc(d->nchecks, sizeof(char *))) ||
                            !(c->domain->check_names = sqlalc__calloc(d->nchecks, sizeof(char *))))))
            goto oom;
        c->domain->not_null = d->not_null;
        for (size_t i = 0; i < d->nchecks; i++) {
            c->domain->nchecks = i + 1;
            if (!(c->domain->checks[i] = sqlalc__strdup(d->checks[i])) ||
                (d->check_names[i] && !(c->domain->check_names[i] = sqlalc__strdup(d->check_names[i]))))
                goto oom;
        }
    }
    if (t->nvariants && !(c->variants = sqlalc__calloc(t->nvariants, sizeof *c->variants)))
        goto oom;
    for (size_t i = 0; i < t->nvariants; i++) {
        if (!(c->variants[i].dialect = sqlalc__strdup(t->variants[i].dialect)))
            goto oom;
        c->variants[i].type = sqlalc_type_ref(t->variants[i].type);
        c->nvariants = i + 1;
    }
    return c;
oom:
    if (c->domain && !c->domain->checks)
        c->domain->nchecks = 0;
    sqlalc__oom();
    sqlalc_type_free(c);
    return NULL;
}

sqlalc_type *sqlalc_type_with_variant(sqlalc_type *t, sqlalc_type *variant, const char *dialect_name)
{
    if (!t || !variant || !dialect_name || !*dialect_name) {
        if (t && variant)
            sqlalc_error_set(SQLALC_ERR_ARGUMENT, "with_variant: empty dialect name");
        sqlalc_type_free(t);
        sqlalc_type_free(variant);
        return NULL;
    }
    sqlalc_type *c = type_copy(t);
    sqlalc_type_free(t);
    struct sqlalc__type_variant *v = c ? sqlalc__realloc(c->variants, (c->nvariants + 1) * sizeof *v) : NULL;
    char *dn = v ? sqlalc__strdup(dialect_name) : NULL;
    if (!dn) {
        if (v)
            c->variants = v;
        sqlalc_type_free(c);
        sqlalc_type_free(variant);
        return NULL;
    }
    c->variants = v;
    /* a later variant for the same dialect replaces the earlier one */
    size_t i;
    for (i = 0; i < c->nvariants && strcmp(c->variants[i].dialect, dialect_name); i++)
        ;
    if (i < c->nvariants) {
        sqlalc_free(c->variants[i].dialect);
        sqlalc_type_free(c->variants[i].type);
    } else
        c->nvariants++;
    c->variants[i].dialect = dn;
    c->variants[i].type = variant;
    return c;
}

const sqlalc_type *sqlalc__type_for(const sqlalc_type *t, const sqlalc_dialect *d)
{
    if (t && d && d->name)
        for (size_t i = 0; i < t->nvariants; i++)
            if (!strcmp(t->variants[i].dialect, d->name))
                return t->variants[i].type;
    return t;
}

sqlalc_type_kind sqlalc_type_get_kind(const sqlalc_type *t)
{
    return t ? t->kind : SQLALC_TYPE_NULL;
}
int sqlalc_type_length(const sqlalc_type *t)
{
    return t ? t->length : 0;
}
int sqlalc_type_precision(const sqlalc_type *t)
{
    return t ? t->precision : -1;
}
int sqlalc_type_scale(const sqlalc_type *t)
{
    return t ? t->scale : -1;
}
int sqlalc_type_timezone(const sqlalc_type *t)
{
    return t ? t->timezone : 0;
}
const char *sqlalc_type_name(const sqlalc_type *t)
{
    return t ? t->name : NULL;
}
size_t sqlalc_type_enum_count(const sqlalc_type *t)
{
    return t ? t->n_enum_values : 0;
}

const char *sqlalc_type_enum_value(const sqlalc_type *t, size_t i)
{
    return t && i < t->n_enum_values ? t->enum_values[i] : NULL;
}

const char *sqlalc_type_kind_name(sqlalc_type_kind k)
{
    static const char *const names[] = {
        "NULL",     "INTEGER",  "SMALLINT", "BIGINT", "FLOAT", "NUMERIC",          "VARCHAR", "TEXT",
        "NVARCHAR", "NTEXT",    "BOOLEAN",  "DATE",   "TIME",  "DATETIME",         "ENUM",    "BLOB",
        "JSON",     "INTERVAL", "UUID",     "USER",   "REAL",  "DOUBLE PRECISION", "CHAR",    "NCHAR",
        "JSONB",    "DOMAIN",
    };
    return (unsigned)k < SQLALC_ARRAY_LEN(names) ? names[k] : "?";
}

static int streq0(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

int sqlalc_type_equal(const sqlalc_type *a, const sqlalc_type *b)
{
    if (a == b)
        return 1;
    if (!a || !b || a->kind != b->kind || a->length != b->length || a->precision != b->precision ||
        a->scale != b->scale || a->timezone != b->timezone || !streq0(a->name, b->name) ||
        a->n_enum_values != b->n_enum_values)
        return 0;
    for (size_t i = 0; i < a->n_enum_values; i++)
        if (strcmp(a->enum_values[i], b->enum_values[i]))
            return 0;
    if (a->create_constraint != b->create_constraint || a->non_native != b->non_native ||
        !sqlalc_type_equal(a->base, b->base) || !a->domain != !b->domain || a->nvariants != b->nvariants)
        return 0;
    if (a->domain) {
        if (a->domain->not_null != b->domain->not_null || a->domain->nchecks != b->domain->nchecks ||
            !streq0(a->domain->default_sql, b->domain->default_sql))
            return 0;
        for (size_t i = 0; i < a->domain->nchecks; i++)
            if (strcmp(a->domain->checks[i], b->domain->checks[i]) ||
                !streq0(a->domain->check_names[i], b->domain->check_names[i]))
                return 0;
    }
    for (size_t i = 0; i < a->nvariants; i++)
        if (strcmp(a->variants[i].dialect, b->variants[i].dialect) ||
            !sqlalc_type_equal(a->variants[i].type, b->variants[i].type))
            return 0;
    return 1;
}

size_t sqlalc_type_sql(const sqlalc_type *t, const sqlalc_dialect *d, char *buf, size_t bufsize)
{
    t = sqlalc__type_for(t, d);
    /* a domain spells as its base type (DDL declares columns of a created
     * domain by the domain's name) */
    if (t && t->kind == SQLALC_TYPE_DOMAIN)
        t = sqlalc__type_for(t->base, d);
    if (d && d->ddl && d->ddl->type_sql)
        return d->ddl->type_sql(t, buf, bufsize);
    /* No dialect: SQLAlchemy's generic spelling. */
    int n;
    switch (t ? t->kind : SQLALC_TYPE_NULL) {
    case SQLALC_TYPE_STRING:
    case SQLALC_TYPE_UNICODE:
    case SQLALC_TYPE_ENUM:
        n = t->length ? snprintf(buf, bufsize, "VARCHAR(%d)", t->length) : snprintf(buf, bufsize, "VARCHAR");
        break;
    case SQLALC_TYPE_NUMERIC:
        if (t->precision < 0)
            n = snprintf(buf, bufsize, "NUMERIC");
        else if (t->scale < 0)
            n = snprintf(buf, bufsize, "NUMERIC(%d)", t->precision);
        else
            n = snprintf(buf, bufsize, "NUMERIC(%d, %d)", t->precision, t->scale);
        break;
    case SQLALC_TYPE_USER: n = snprintf(buf, bufsize, "%s", t->name); break;
    case SQLALC_TYPE_UNICODE_TEXT: n = snprintf(buf, bufsize, "TEXT"); break;
    case SQLALC_TYPE_CHAR:
    case SQLALC_TYPE_NCHAR:
        n = t->length
                ? snprintf(buf, bufsize, "%s(%d)", t->kind == SQLALC_TYPE_CHAR ? "CHAR" : "NCHAR", t->length)
                : snprintf(buf, bufsize, "%s", t->kind == SQLALC_TYPE_CHAR ? "CHAR" : "NCHAR");
        break;
    default: n = snprintf(buf, bufsize, "%s", sqlalc_type_kind_name(t ? t->kind : SQLALC_TYPE_NULL));
    }
    return n < 0 ? 0 : (size_t)n;
}

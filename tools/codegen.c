/*
 * sqlalc codegen: reflect a database and write C code that builds the
 * same MetaData (tables, columns, types, keys, constraints, indexes,
 * comments, sequences), so a program can create, compare or migrate the
 * schema without the database at hand.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

static const char codegen_help[] =
    "usage: sqlalc codegen [options] URL -o DIR\n"
    "\n"
    "Reflects the database and writes DIR/NAME.h and DIR/NAME.c defining\n"
    "    sqlalc_metadata *NAME_metadata(void);\n"
    "which builds its MetaData: tables, columns, types, primary and foreign keys, unique and\n"
    "check constraints, indexes, server defaults, comments and sequences.  The code compiles\n"
    "warning-free (-Wall -Wextra -Wpedantic, C11 and C++17) and links with -lsqlalc.\n"
    "\n"
    "  -o, --output DIR     where to write (created if missing)\n"
    "      --prefix NAME    file and function prefix (default: schema); a C identifier\n"
    "      --tables a,b     only these tables (and the tables their foreign keys reference)\n"
    "      --schema S       a schema other than the default one\n"
    "      --orm            also a struct per table and sqlalc_orm_registry *NAME_orm(md)\n"
    "                       mapping each to its table (sqlalc/orm.h)\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 ok, 1 database or file error, 2 usage error.\n";

/* ------------------------------------------------------------------ */
/* Writing C                                                           */
/* ------------------------------------------------------------------ */

/* A C string literal (NULL prints NULL): escapes, octal for bytes outside
 * printable ASCII, "?\?" so no trigraph forms. */
static void lit(FILE *f, const char *s)
{
    if (!s) {
        fputs("NULL", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p == '?' && p[1] == '?')
            fputs("?\\", f);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(f, "\\%03o", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void list_lit(FILE *f, const sqlalc_strlist *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += strlen(l->items[i]) + 2;
    char *s = malloc(n + 1), *q = s;
    if (!s) {
        fputs("\"\"", f);
        return;
    }
    *q = 0;
    for (size_t i = 0; i < l->count; i++)
        q += sprintf(q, "%s%s", i ? ", " : "", l->items[i]);
    lit(f, s);
    free(s);
}

/* A type constructor call for t. */
static int put_type(FILE *f, const sqlalc_type *t, const char *spelled, const sqlalc_schema_info *si,
                    const char *domain)
{
    if (domain) {
        /* the domain with its own NOT NULL, default and checks */
        const sqlalc_domain_info *dm = NULL;
        for (size_t i = 0; i < si->ndomains && !dm; i++)
            if (!strcmp(si->domains[i].name, domain))
                dm = &si->domains[i];
        if (dm) {
            fputs("sqlalc_type_domain(", f);
            lit(f, domain);
            fputs(", ", f);
            put_type(f, dm->type, dm->type_sql, si, NULL);
            fprintf(f, ", SQLALC_DOMAIN_OPTIONS(%d, ", !dm->nullable);
            lit(f, dm->default_sql);
            if (dm->nchecks) {
                fputs(", (const char *const[]){ ", f);
                for (size_t k = 0; k < dm->nchecks; k++) {
                    lit(f, dm->checks[k].name);
                    fputs(k + 1 < dm->nchecks ? ", " : " }", f);
                }
                fputs(", (const char *const[]){ ", f);
                for (size_t k = 0; k < dm->nchecks; k++) {
                    lit(f, dm->checks[k].sqltext);
                    fputs(k + 1 < dm->nchecks ? ", " : " }", f);
                }
                fprintf(f, ", %zu))", dm->nchecks);
            } else {
                fputs(", NULL, NULL, 0))", f);
            }
            return 0;
        }
    }
    if (!t) {
        fputs("sqlalc_type_user(", f);
        lit(f, spelled ? spelled : "");
        fputc(')', f);
        return 0;
    }
    int len = sqlalc_type_length(t), prec = sqlalc_type_precision(t), scale = sqlalc_type_scale(t);
    int tz = sqlalc_type_timezone(t);
    switch (sqlalc_type_get_kind(t)) {
    case SQLALC_TYPE_INTEGER: fputs("sqlalc_type_integer()", f); break;
    case SQLALC_TYPE_SMALLINT: fputs("sqlalc_type_smallint()", f); break;
    case SQLALC_TYPE_BIGINT: fputs("sqlalc_type_bigint()", f); break;
    case SQLALC_TYPE_FLOAT:
        if (prec > 0)
            fprintf(f, "sqlalc_type_float_precision(%d)", prec);
        else
            fputs("sqlalc_type_float()", f);
        break;
    case SQLALC_TYPE_NUMERIC: fprintf(f, "sqlalc_type_numeric(%d, %d)", prec, scale); break;
    case SQLALC_TYPE_STRING: fprintf(f, "sqlalc_type_string(%d)", len); break;
    case SQLALC_TYPE_TEXT: fputs("sqlalc_type_text()", f); break;
    case SQLALC_TYPE_UNICODE: fprintf(f, "sqlalc_type_unicode(%d)", len); break;
    case SQLALC_TYPE_UNICODE_TEXT: fputs("sqlalc_type_unicode_text()", f); break;
    case SQLALC_TYPE_BOOLEAN: fputs("sqlalc_type_boolean()", f); break;
    case SQLALC_TYPE_DATE: fputs("sqlalc_type_date()", f); break;
    case SQLALC_TYPE_TIME:
        if (prec >= 0)
            fprintf(f, "sqlalc_type_time_precision(%d, %d)", tz, prec);
        else
            fprintf(f, "sqlalc_type_time(%d)", tz);
        break;
    case SQLALC_TYPE_DATETIME:
        if (prec >= 0)
            fprintf(f, "sqlalc_type_datetime_precision(%d, %d)", tz, prec);
        else
            fprintf(f, "sqlalc_type_datetime(%d)", tz);
        break;
    case SQLALC_TYPE_ENUM: {
        size_t n = sqlalc_type_enum_count(t);
        fputs("sqlalc_type_enum_array(", f);
        lit(f, sqlalc_type_name(t));
        fputs(", (const char *const[]){ ", f);
        for (size_t i = 0; i < n; i++) {
            lit(f, sqlalc_type_enum_value(t, i));
            fputs(i + 1 < n ? ", " : " ", f);
        }
        fprintf(f, "}, %zu)", n);
        break;
    }
    case SQLALC_TYPE_LARGE_BINARY: fputs("sqlalc_type_large_binary()", f); break;
    case SQLALC_TYPE_JSON: fputs("sqlalc_type_json()", f); break;
    case SQLALC_TYPE_INTERVAL: fputs("sqlalc_type_interval()", f); break;
    case SQLALC_TYPE_UUID: fputs("sqlalc_type_uuid()", f); break;
    case SQLALC_TYPE_REAL: fputs("sqlalc_type_real()", f); break;
    case SQLALC_TYPE_DOUBLE: fputs("sqlalc_type_double()", f); break;
    case SQLALC_TYPE_CHAR: fprintf(f, "sqlalc_type_char(%d)", len); break;
    case SQLALC_TYPE_NCHAR: fprintf(f, "sqlalc_type_nchar(%d)", len); break;
    case SQLALC_TYPE_JSONB: fputs("sqlalc_type_jsonb()", f); break;
    default:
        /* a user type (or one this tool does not name): its own spelling */
        fputs("sqlalc_type_user(", f);
        lit(f, sqlalc_type_name(t) ? sqlalc_type_name(t) : spelled ? spelled : "");
        fputc(')', f);
        break;
    }
    return 0;
}

static int is_integer_kind(const sqlalc_type *t)
{
    sqlalc_type_kind k = t ? sqlalc_type_get_kind(t) : SQLALC_TYPE_NULL;
    return k == SQLALC_TYPE_INTEGER || k == SQLALC_TYPE_SMALLINT || k == SQLALC_TYPE_BIGINT;
}

static void put_identity(FILE *f, const sqlalc_identity_info *id)
{
    fprintf(
        f,
        ",\n                      sqlalc_opt_identity(SQLALC_IDENTITY_OPTIONS(%d, 0x3fu, %lldLL, %lldLL, %lldLL, "
        "%lldLL, %lldLL, %d))",
        id->always, (long long)id->start, (long long)id->increment, (long long)id->minvalue,
        (long long)id->maxvalue, (long long)id->cache, id->cycle);
}

static void put_table(FILE *f, const sqlalc_table_info *ti, const sqlalc_schema_info *si, const char *schema)
{
    fputs("    /* ", f);
    for (const char *p = ti->name; *p; p++)
        fputc(*p == '*' && p[1] == '/' ? '_' : *p, f);
    fputs(" */\n    if (!sqlalc_table_new(md, ", f);
    lit(f, ti->name);
    /* one named or several-column key: a constraint; one unnamed column: the flag */
    int pk_item = ti->pk.columns.count > 1 || (ti->pk.columns.count == 1 && ti->pk.name);
    int single_pk = ti->pk.columns.count == 1;
    for (size_t c = 0; c < ti->ncolumns; c++) {
        const sqlalc_column_info *ci = &ti->columns[c];
        fputs(",\n        sqlalc_column(", f);
        lit(f, ci->name);
        fputs(", ", f);
        put_type(f, ci->type, ci->type_sql, si, ci->domain);
        unsigned flags = 0;
        char fl[160] = "";
        if (ci->pk_position && !pk_item)
            strcat(fl, "SQLALC_PRIMARY_KEY | "), flags++;
        if (!ci->nullable && !(ci->pk_position && !pk_item) && !ci->domain)
            strcat(fl, "SQLALC_NOT_NULL | "), flags++;
        if (ci->nullable && ci->pk_position)
            strcat(fl, "SQLALC_NULLABLE | "), flags++;
        /* autoincrement as reflected, where the "auto" rule would say otherwise */
        int auto_rule = single_pk && ci->pk_position && is_integer_kind(ci->type) && !ci->default_sql;
        if (ci->identity.present) {
            /* the identity option says it */
        } else if (ci->autoincrement && !auto_rule) {
            strcat(fl, "SQLALC_AUTOINCREMENT | "), flags++;
        } else if (!ci->autoincrement && auto_rule) {
            strcat(fl, "SQLALC_NO_AUTOINCREMENT | "), flags++;
        }
        if (flags)
            fl[strlen(fl) - 3] = 0;
        fprintf(f, ", %s", flags ? fl : "0");
        if (ci->identity.present)
            put_identity(f, &ci->identity);
        else if (ci->default_sql && !ci->serial && !ci->domain && !(ci->sequence && ci->autoincrement)) {
            fputs(",\n                      sqlalc_opt_server_default_sql(", f);
            lit(f, ci->default_sql);
            fputc(')', f);
        }
        if (ci->comment) {
            fputs(",\n                      sqlalc_opt_comment(", f);
            lit(f, ci->comment);
            fputc(')', f);
        }
        fputc(')', f);
    }
    if (pk_item) {
        fputs(",\n        sqlalc_pk_constraint(", f);
        lit(f, ti->pk.name);
        fputs(", ", f);
        list_lit(f, &ti->pk.columns);
        fputc(')', f);
    }
    for (size_t k = 0; k < ti->nfks; k++) {
        const sqlalc_fk_info *fk = &ti->fks[k];
        fputs(",\n        sqlalc_foreign_key_constraint(", f);
        list_lit(f, &fk->columns);
        fputs(", ", f);
        /* "schema.table.col, schema.table.col" */
        size_t n = 1;
        for (size_t i = 0; i < fk->referred_columns.count; i++)
            n += strlen(fk->referred_columns.items[i]) + strlen(fk->referred_table) +
                 (fk->referred_schema ? strlen(fk->referred_schema) + 1 : 0) + 4;
        char *refs = malloc(n), *q = refs;
        if (refs) {
            *q = 0;
            for (size_t i = 0; i < fk->referred_columns.count; i++)
                q += sprintf(q, "%s%s%s%s.%s", i ? ", " : "", fk->referred_schema ? fk->referred_schema : "",
                             fk->referred_schema ? "." : "", fk->referred_table,
                             fk->referred_columns.items[i]);
        }
        lit(f, refs ? refs : "");
        free(refs);
        fputs(", SQLALC_FK_OPTIONS(", f);
        lit(f, fk->name);
        fputs(", ", f);
        lit(f, fk->ondelete);
        fputs(", ", f);
        lit(f, fk->onupdate);
        fputs(", 0))", f);
    }
    for (size_t k = 0; k < ti->nuniques; k++) {
        fputs(",\n        sqlalc_unique_constraint(", f);
        lit(f, ti->uniques[k].name);
        fputs(", ", f);
        list_lit(f, &ti->uniques[k].columns);
        fputc(')', f);
    }
    for (size_t k = 0; k < ti->nchecks; k++) {
        fputs(",\n        sqlalc_check_constraint(", f);
        lit(f, ti->checks[k].name);
        fputs(", ", f);
        lit(f, ti->checks[k].sqltext);
        fputc(')', f);
    }
    for (size_t k = 0; k < ti->nindexes; k++) {
        const sqlalc_index_info *ix = &ti->indexes[k];
        if (ix->duplicates_constraint || ix->inherited)
            continue;
        int plain = !ix->method && !ix->where && !ix->include.count && !ix->with;
        for (size_t e = 0; e < ix->nelements && plain; e++)
            plain = ix->elements[e].column && !ix->elements[e].sorting && !ix->elements[e].opclass;
        if (plain) {
            fputs(",\n        sqlalc_index(", f);
            lit(f, ix->name);
            fputs(", ", f);
            list_lit(f, &ix->columns);
            fprintf(f, ", %d)", ix->unique != 0);
            continue;
        }
        fputs(",\n        sqlalc_index_elements(", f);
        lit(f, ix->name);
        fputs(", (const sqlalc_index_element[]){ ", f);
        for (size_t e = 0; e < ix->nelements; e++) {
            const sqlalc_index_element_info *el = &ix->elements[e];
            fputs("{ ", f);
            lit(f, el->column);
            fputs(", ", f);
            lit(f, el->column ? NULL : el->expression);
            fputs(", ", f);
            lit(f, el->sorting);
            fputs(", ", f);
            lit(f, el->opclass);
            fputs(e + 1 < ix->nelements ? " }, " : " } ", f);
        }
        fprintf(f, "}, %zu, %d, SQLALC_INDEX_OPTIONS(", ix->nelements, ix->unique != 0);
        lit(f, ix->method);
        fputs(", ", f);
        lit(f, ix->where);
        fputs(", ", f);
        if (ix->include.count)
            list_lit(f, &ix->include);
        else
            fputs("NULL", f);
        fputs(", ", f);
        lit(f, ix->with);
        fputs("))", f);
    }
    if (schema) {
        fputs(",\n        sqlalc_opt_schema(", f);
        lit(f, schema);
        fputc(')', f);
    }
    if (ti->comment) {
        fputs(",\n        sqlalc_opt_comment(", f);
        lit(f, ti->comment);
        fputc(')', f);
    }
    if (ti->sqlite_autoincrement)
        fputs(",\n        sqlalc_opt_sqlite_autoincrement()", f);
    if (ti->partition_by) {
        fputs(",\n        sqlalc_opt_partition_by(", f);
        lit(f, ti->partition_by);
        fputc(')', f);
    }
    if (ti->partition_of) {
        fputs(",\n        sqlalc_opt_partition_of(", f);
        lit(f, ti->partition_of);
        fputs(", ", f);
        lit(f, ti->partition_bound);
        fputc(')', f);
    }
    fputs("))\n        goto fail;\n", f);
}

/* ------------------------------------------------------------------ */
/* Selection and order                                                 */
/* ------------------------------------------------------------------ */

static const sqlalc_table_info *find(const sqlalc_schema_info *si, const char *name)
{
    for (size_t i = 0; i < si->count; i++)
        if (!si->tables[i]->is_view && !strcmp(si->tables[i]->name, name))
            return si->tables[i];
    return NULL;
}

/* Mark t and the tables its foreign keys reach. */
static void select_with_refs(const sqlalc_schema_info *si, const sqlalc_table_info *t, unsigned char *sel)
{
    for (size_t i = 0; i < si->count; i++)
        if (si->tables[i] == t) {
            if (sel[i])
                return;
            sel[i] = 1;
        }
    for (size_t k = 0; k < t->nfks; k++) {
        const sqlalc_table_info *r = find(si, t->fks[k].referred_table);
        if (r)
            select_with_refs(si, r, sel);
    }
}

/* Referenced tables before the tables referencing them (cycles in name order). */
static size_t order(const sqlalc_schema_info *si, const unsigned char *sel, const sqlalc_table_info **out)
{
    size_t n = 0, want = 0;
    unsigned char *done = calloc(si->count + 1, 1);
    if (!done)
        return 0;
    for (size_t i = 0; i < si->count; i++)
        want += sel[i] != 0;
    while (n < want) {
        size_t before = n;
        for (size_t i = 0; i < si->count; i++) {
            if (!sel[i] || done[i])
                continue;
            int ready = 1;
            const sqlalc_table_info *t = si->tables[i];
            for (size_t k = 0; k < t->nfks && ready; k++)
                for (size_t j = 0; j < si->count && ready; j++)
                    if (sel[j] && !done[j] && j != i &&
                        !strcmp(si->tables[j]->name, t->fks[k].referred_table))
                        ready = 0;
            if (ready) {
                done[i] = 1;
                out[n++] = t;
            }
        }
        for (size_t i = 0; n == before && i < si->count; i++)
            if (sel[i] && !done[i]) {
                done[i] = 1;
                out[n++] = si->tables[i];
            }
    }
    free(done);
    return n;
}

/* ------------------------------------------------------------------ */
/* --orm: a struct per table and the mappers                           */
/* ------------------------------------------------------------------ */

static const char *const c_keywords[] = {
    "auto",     "break",    "case",     "char",      "const",    "continue", "default",      "do",
    "double",   "else",     "enum",     "extern",    "float",    "for",      "goto",         "if",
    "inline",   "int",      "long",     "register",  "restrict", "return",   "short",        "signed",
    "sizeof",   "static",   "struct",   "switch",    "typedef",  "union",    "unsigned",     "void",
    "volatile", "while",    "bool",     "true",      "false",    "class",    "new",          "delete",
    "this",     "template", "typename", "namespace", "private",  "public",   "protected",    "virtual",
    "operator", "friend",   "throw",    "try",       "catch",    "using",    "explicit",     "mutable",
    "export",   "nullptr",  "alignas",  "alignof",   "asm",      "noexcept", "static_assert"
};

/* names used in one scope (a struct's members, or the struct tags) */
typedef struct names {
    size_t n, cap;
    char **v;
} names;

static int names_has(const names *ns, const char *s)
{
    for (size_t i = 0; i < ns->n; i++)
        if (!strcmp(ns->v[i], s))
            return 1;
    return 0;
}

static void names_free(names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
    ns->n = ns->cap = 0;
    ns->v = NULL;
}

/* A C identifier for an SQL name: other characters become '_', a leading
 * digit or a keyword gets a '_' more, a clash a number; kept in ns.
 * NULL when out of memory. */
static const char *c_ident(names *ns, const char *sql, const char *suffix)
{
    size_t n = strlen(sql);
    char *base = malloc(n + strlen(suffix) + 24);
    if (!base)
        return NULL;
    size_t k = 0;
    if (!n || (sql[0] >= '0' && sql[0] <= '9'))
        base[k++] = '_';
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        base[k++] = (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                        ? c
                        : '_';
    }
    base[k] = 0;
    strcat(base, suffix);
    for (size_t i = 0; i < sizeof c_keywords / sizeof *c_keywords; i++)
        if (!strcmp(base, c_keywords[i]))
            strcat(base, "_");
    size_t len = strlen(base);
    for (unsigned i = 2; names_has(ns, base); i++)
        sprintf(base + len, "_%u", i);
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 16;
        char **v = realloc(ns->v, cap * sizeof *v);
        if (!v) {
            free(base);
            return NULL;
        }
        ns->v = v;
        ns->cap = cap;
    }
    ns->v[ns->n++] = base;
    return base;
}

/* The ORM kind of a column, or NULL when the ORM has none (blobs). */
static const char *orm_kind(const sqlalc_column_info *ci, const char **ctype)
{
    sqlalc_type_kind k = ci->type ? sqlalc_type_get_kind(ci->type) : SQLALC_TYPE_NULL;
    if (k == SQLALC_TYPE_DOMAIN && ci->type)
        k = sqlalc_type_get_kind(ci->type);
    switch (k) {
    case SQLALC_TYPE_INTEGER:
    case SQLALC_TYPE_SMALLINT:
    case SQLALC_TYPE_BIGINT: *ctype = "int64_t"; return "SQLALC_ORM_INT64";
    case SQLALC_TYPE_FLOAT:
    case SQLALC_TYPE_REAL:
    case SQLALC_TYPE_DOUBLE: *ctype = "double"; return "SQLALC_ORM_DOUBLE";
    case SQLALC_TYPE_BOOLEAN: *ctype = "int"; return "SQLALC_ORM_BOOL";
    case SQLALC_TYPE_LARGE_BINARY: return NULL;
    default: *ctype = "char *"; return "SQLALC_ORM_TEXT";
    }
}

typedef struct orm_table {
    const char *tag;     /* struct tag: prefix_table */
    const char **member; /* per column: member name, NULL when not mapped */
    const char **nullf;  /* per column: null flag member, or NULL */
    int mapped;          /* the table gets a mapper */
} orm_table;

static int orm_plan(const char *prefix, const sqlalc_table_info **tables, size_t n, orm_table *ot,
                    names *tags, names *members)
{
    for (size_t i = 0; i < n; i++) {
        const sqlalc_table_info *ti = tables[i];
        char pre[300];
        snprintf(pre, sizeof pre, "%s_", prefix);
        char *full = malloc(strlen(pre) + strlen(ti->name) + 1);
        if (!full)
            return -1;
        sprintf(full, "%s%s", pre, ti->name);
        ot[i].tag = c_ident(tags, full, "");
        free(full);
        ot[i].member = calloc(ti->ncolumns + 1, sizeof *ot[i].member);
        ot[i].nullf = calloc(ti->ncolumns + 1, sizeof *ot[i].nullf);
        if (!ot[i].tag || !ot[i].member || !ot[i].nullf)
            return -1;
        ot[i].mapped = 1;
        names *ms = &members[i];
        for (size_t c = 0; c < ti->ncolumns; c++) {
            const sqlalc_column_info *ci = &ti->columns[c];
            const char *ctype;
            if (!orm_kind(ci, &ctype)) {
                if (ci->pk_position) {
                    fprintf(stderr, "sqlalc: codegen --orm: %s is not mapped (its key %s has no ORM kind)\n",
                            ti->name, ci->name);
                    ot[i].mapped = 0;
                }
                continue;
            }
            if (!(ot[i].member[c] = c_ident(ms, ci->name, "")))
                return -1;
        }
        for (size_t c = 0; c < ti->ncolumns; c++) {
            const sqlalc_column_info *ci = &ti->columns[c];
            const char *ctype;
            if (ot[i].member[c] && ci->nullable && !ci->pk_position &&
                strcmp(orm_kind(ci, &ctype), "SQLALC_ORM_TEXT") &&
                !(ot[i].nullf[c] = c_ident(ms, ot[i].member[c], "_is_null")))
                return -1;
        }
    }
    return 0;
}

static void orm_header(FILE *h, const char *prefix, const sqlalc_table_info **tables, size_t n,
                       const orm_table *ot)
{
    fputs("\n/* --- ORM (sqlalc/orm.h): one struct per table --- */\n", h);
    for (size_t i = 0; i < n; i++) {
        const sqlalc_table_info *ti = tables[i];
        if (!ot[i].mapped)
            continue;
        fprintf(h, "\n/* A row of table ");
        for (const char *p = ti->name; *p; p++)
            fputc(*p == '*' && p[1] == '/' ? '_' : *p, h);
        fprintf(h, " (mapper name: the table's name). */\nstruct %s {\n", ot[i].tag);
        for (size_t c = 0; c < ti->ncolumns; c++) {
            const char *ctype;
            if (!ot[i].member[c])
                continue;
            orm_kind(&ti->columns[c], &ctype);
            fprintf(h, "    %s%s%s;%s\n", ctype, ctype[strlen(ctype) - 1] == '*' ? "" : " ", ot[i].member[c],
                    !strcmp(ctype, "char *")
                        ? " /* owned: sqlalc_orm_strdup / sqlalc_orm_set_text; NULL is NULL */"
                        : "");
            if (ot[i].nullf[c])
                fprintf(h, "    int %s; /* non-zero: %s is NULL */\n", ot[i].nullf[c], ot[i].member[c]);
        }
        fputs("};\n", h);
    }
    fprintf(h,
            "\n/* A registry with a mapper per struct above (named as its table), on the\n"
            " * tables of md (from %s_metadata(); it must outlive the registry).\n"
            " * Free with sqlalc_orm_registry_free(); NULL on failure (sqlalc_errmsg()). */\n"
            "sqlalc_orm_registry *%s_orm(sqlalc_metadata *md);\n",
            prefix, prefix);
}

static void orm_source(FILE *c, const char *prefix, const sqlalc_table_info **tables, size_t n,
                       const orm_table *ot, const char *schema)
{
    for (size_t i = 0; i < n; i++) {
        const sqlalc_table_info *ti = tables[i];
        if (!ot[i].mapped)
            continue;
        fprintf(c, "\nstatic const sqlalc_orm_field %s_fields[] = {\n", ot[i].tag);
        for (size_t k = 0; k < ti->ncolumns; k++) {
            const char *ctype, *kind;
            if (!ot[i].member[k])
                continue;
            kind = orm_kind(&ti->columns[k], &ctype);
            if (ot[i].nullf[k])
                fprintf(c, "    SQLALC_ORM_FIELD_NULL(struct %s, %s, %s, %s, ", ot[i].tag, ot[i].member[k],
                        ot[i].nullf[k], kind);
            else
                fprintf(c, "    SQLALC_ORM_FIELD(struct %s, %s, %s, ", ot[i].tag, ot[i].member[k], kind);
            lit(c, ti->columns[k].name);
            fputs("),\n", c);
        }
        fputs("};\n", c);
    }
    fprintf(c,
            "\nsqlalc_orm_registry *%s_orm(sqlalc_metadata *md)\n{\n"
            "    sqlalc_orm_registry *reg = sqlalc_orm_registry_new();\n    sqlalc_table *t;\n"
            "    if (!reg)\n        return NULL;\n",
            prefix);
    for (size_t i = 0; i < n; i++) {
        if (!ot[i].mapped)
            continue;
        fputs("    if (!(t = sqlalc_metadata_table_in(md, ", c);
        lit(c, schema);
        fputs(", ", c);
        lit(c, tables[i]->name);
        fputs(")) ||\n        !sqlalc_orm_map(reg, ", c);
        lit(c, tables[i]->name);
        fprintf(
            c,
            ", t, sizeof(struct %s), %s_fields, sizeof %s_fields / sizeof *%s_fields))\n        goto fail;\n",
            ot[i].tag, ot[i].tag, ot[i].tag, ot[i].tag);
    }
    fputs("    return reg;\nfail:\n    sqlalc_orm_registry_free(reg);\n    return NULL;\n}\n", c);
}

static void orm_free(orm_table *ot, names *members, names *tags, size_t n)
{
    for (size_t i = 0; ot && i < n; i++) {
        free((void *)ot[i].member);
        free((void *)ot[i].nullf);
    }
    for (size_t i = 0; members && i < n; i++)
        names_free(&members[i]);
    names_free(tags);
    free(ot);
    free(members);
}

static int is_c_identifier(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static int write_files(const char *dir, const char *prefix, const char *url, const sqlalc_schema_info *si,
                       const sqlalc_table_info **tables, size_t n, const char *schema, int orm)
{
    orm_table *ot = orm ? calloc(n + 1, sizeof *ot) : NULL;
    names tags = { 0, 0, NULL }, *members = orm ? calloc(n + 1, sizeof *members) : NULL;
    if (orm && (!ot || !members || orm_plan(prefix, tables, n, ot, &tags, members) != 0)) {
        orm_free(ot, members, &tags, n);
        return cli_fail("out of memory");
    }
    char *hpath = malloc(strlen(dir) + strlen(prefix) + 8), *cpath = malloc(strlen(dir) + strlen(prefix) + 8);
    if (!hpath || !cpath) {
        free(hpath);
        free(cpath);
        return cli_fail("out of memory");
    }
    sprintf(hpath, "%s/%s.h", dir, prefix);
    sprintf(cpath, "%s/%s.c", dir, prefix);
    FILE *h = fopen(hpath, "w"), *c = h ? fopen(cpath, "w") : NULL;
    int status = CLI_OK;
    if (!h || !c) {
        status = cli_fail("cannot write %s: %s", h ? cpath : hpath, strerror(errno));
        goto out;
    }
    fprintf(h,
            "/* Generated by sqlalc codegen from %s: the database's schema as a MetaData. */\n"
            "#ifndef %s_SCHEMA_H\n#define %s_SCHEMA_H\n#include <stdint.h>\n#include <sqlalc.h>\n"
            "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
            "/* A new MetaData holding the %zu table%s, to free with sqlalc_metadata_free();\n"
            " * NULL on failure (sqlalc_errmsg() says why). */\n"
            "sqlalc_metadata *%s_metadata(void);\n",
            url, prefix, prefix, n, n == 1 ? "" : "s", prefix);
    if (orm)
        orm_header(h, prefix, tables, n, ot);
    fputs("\n#ifdef __cplusplus\n}\n#endif\n#endif\n", h);
    fprintf(c, "/* Generated by sqlalc codegen from %s. */\n#include \"%s.h\"\n\n", url, prefix);
    fprintf(c,
            "sqlalc_metadata *%s_metadata(void)\n{\n    sqlalc_metadata *md = sqlalc_metadata_new();\n"
            "    if (!md)\n        return NULL;\n",
            prefix);
    /* sequences that are no column's own (SERIAL, identity) */
    for (size_t i = 0; i < si->nsequences; i++) {
        const sqlalc_sequence_info *sq = &si->sequences[i];
        if (sq->identity || (sq->owner_table && sq->owner_column))
            continue;
        fputs("    if (!sqlalc_sequence_new(md, ", c);
        lit(c, sq->name);
        fputs(", SQLALC_SEQUENCE_OPTIONS(", c);
        lit(c, schema);
        fprintf(c, ", NULL, 0x3fu, %lldLL, %lldLL, %lldLL, %lldLL, %lldLL, %d, NULL)))\n        goto fail;\n",
                (long long)sq->start, (long long)sq->increment, (long long)sq->minvalue,
                (long long)sq->maxvalue, (long long)sq->cache, sq->cycle);
    }
    for (size_t i = 0; i < n; i++)
        put_table(c, tables[i], si, schema);
    fputs("    return md;\nfail:\n    sqlalc_metadata_free(md);\n    return NULL;\n}\n", c);
    if (orm)
        orm_source(c, prefix, tables, n, ot, schema);
    if (ferror(h) || ferror(c))
        status = cli_fail("writing %s failed", ferror(h) ? hpath : cpath);
out:
    if (h && fclose(h) != 0 && status == CLI_OK)
        status = cli_fail("writing %s failed", hpath);
    if (c && fclose(c) != 0 && status == CLI_OK)
        status = cli_fail("writing %s failed", cpath);
    if (status == CLI_OK)
        fprintf(stderr, "sqlalc: wrote %s and %s (%zu table%s)\n", hpath, cpath, n, n == 1 ? "" : "s");
    free(hpath);
    free(cpath);
    orm_free(ot, members, &tags, n);
    return status;
}

int cmd_codegen(int argc, char **argv)
{
    const char *url = NULL, *dir = NULL, *prefix = "schema", *tables = NULL, *schema = NULL;
    int orm = 0;
    for (int i = 0; i < argc; i++) {
        const char *v;
        int m;
        if (cli_flag(argv[i], "--help", "-h")) {
            fputs(codegen_help, stdout);
            return CLI_OK;
        }
        if ((m = cli_opt_value(argc, argv, &i, "--output", "-o", &v)) != 0)
            dir = v;
        else if ((m = cli_opt_value(argc, argv, &i, "--prefix", NULL, &v)) != 0)
            prefix = v;
        else if ((m = cli_opt_value(argc, argv, &i, "--tables", NULL, &v)) != 0)
            tables = v;
        else if ((m = cli_opt_value(argc, argv, &i, "--schema", NULL, &v)) != 0)
            schema = v;
        else if (!strcmp(argv[i], "--orm"))
            orm = 1;
        else if (argv[i][0] == '-')
            return cli_usage_error("codegen", "unknown option '%s'", argv[i]);
        else if (url)
            return cli_usage_error("codegen", "unexpected argument '%s'", argv[i]);
        else
            url = argv[i];
        if (m < 0)
            return cli_usage_error("codegen", "%s needs a value", argv[i]);
    }
    if (!url || !dir)
        return cli_usage_error("codegen", "codegen needs a URL and -o DIR");
    if (!is_c_identifier(prefix))
        return cli_usage_error("codegen", "--prefix must be a C identifier, not '%s'", prefix);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cli_fail("cannot create %s: %s", dir, strerror(errno));

    sqlalc_engine *eng;
    int status = cli_open(url, 1, &eng);
    if (status != CLI_OK)
        return status;
    sqlalc_inspector *insp = NULL;
    const sqlalc_schema_info *si = NULL;
    unsigned char *sel = NULL;
    const sqlalc_table_info **ordered = NULL;
    if (sqlalc_inspector_new(eng, &insp) != SQLALC_OK ||
        sqlalc_inspector_tables(insp, schema, &si) != SQLALC_OK) {
        status = cli_lib_error("codegen: reflecting the database failed");
        goto out;
    }
    sel = calloc(si->count + 1, 1);
    ordered = calloc(si->count + 1, sizeof *ordered);
    if (!sel || !ordered) {
        status = cli_fail("out of memory");
        goto out;
    }
    if (tables) {
        char *copy = strdup(tables), *save = NULL;
        for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ')
                tok++;
            const sqlalc_table_info *t = find(si, tok);
            if (!t) {
                status = cli_fail("codegen: no table %s in the database", tok);
                break;
            }
            select_with_refs(si, t, sel);
        }
        free(copy);
        if (status != CLI_OK)
            goto out;
    } else {
        for (size_t i = 0; i < si->count; i++)
            sel[i] = !si->tables[i]->is_view && strcmp(si->tables[i]->name, "sqlalc_migrations") != 0;
    }
    size_t n = order(si, sel, ordered);
    status = write_files(dir, prefix, cli_masked_url(url), si, ordered, n, schema, orm);
out:
    free(sel);
    free(ordered);
    sqlalc_inspector_free(insp);
    sqlalc_engine_free(eng);
    return status;
}

/*
 * sqlalc inspect: describe a database's tables (text, or SQLAlchemy
 * Inspector's keys as JSON).  Opens the database read-only: a missing
 * SQLite file is an error, never created.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char inspect_help[] =
    "usage: sqlalc inspect [--json] [--schema S] URL\n"
    "\n"
    "Describes every table and view: columns (type, NOT NULL, DEFAULT, key, autoincrement,\n"
    "identity, comment), primary key, foreign keys, indexes, unique and check constraints,\n"
    "then sequences and domains.  --json writes SQLAlchemy Inspector's keys (tables only).\n"
    "The database is opened read-only: an SQLite file that does not exist is an error.\n"
    "\n"
    "  --json        JSON output\n"
    "  --schema S    a schema other than the default one\n"
    "  -h, --help    this text\n"
    "\n"
    "Exit status: 0 ok, 1 database error, 2 usage error.\n";

static void print_list(const sqlalc_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        printf("%s%s", i ? ", " : "", l->items[i]);
}

static void print_table(const sqlalc_table_info *ti)
{
    printf("%s %s%s%s\n", ti->is_view ? "view" : "table", ti->schema ? ti->schema : "", ti->schema ? "." : "",
           ti->name);
    if (ti->comment)
        printf("  comment: %s\n", ti->comment);
    /* A one-column key without a name is shown on its column. */
    int inline_pk = ti->pk.columns.count == 1 && !ti->pk.name;
    for (size_t c = 0; c < ti->ncolumns; c++) {
        const sqlalc_column_info *ci = &ti->columns[c];
        printf("  %-24s %s", ci->name, ci->type_sql ? ci->type_sql : "?");
        if (ci->domain)
            printf(" (domain %s)", ci->domain);
        if (!ci->nullable && !(inline_pk && ci->pk_position))
            printf(" NOT NULL");
        if (ci->default_sql && !ci->serial)
            printf(" DEFAULT %s", ci->default_sql);
        if (inline_pk && ci->pk_position)
            printf(" PRIMARY KEY");
        if (ci->identity.present)
            printf(" GENERATED %s AS IDENTITY (START %lld INCREMENT %lld)",
                   ci->identity.always ? "ALWAYS" : "BY DEFAULT", (long long)ci->identity.start,
                   (long long)ci->identity.increment);
        else if (ci->serial)
            printf(" SERIAL");
        else if (ci->autoincrement && ci->pk_position)
            printf(" AUTOINCREMENT");
        if (ci->comment)
            printf("  -- %s", ci->comment);
        putchar('\n');
    }
    if (ti->pk.columns.count && !inline_pk) {
        printf("  primary key%s%s (", ti->pk.name ? " " : "", ti->pk.name ? ti->pk.name : "");
        print_list(&ti->pk.columns);
        printf(")\n");
    }
    for (size_t f = 0; f < ti->nfks; f++) {
        const sqlalc_fk_info *fk = &ti->fks[f];
        printf("  foreign key%s%s (", fk->name ? " " : "", fk->name ? fk->name : "");
        print_list(&fk->columns);
        printf(") -> %s%s%s (", fk->referred_schema ? fk->referred_schema : "",
               fk->referred_schema ? "." : "", fk->referred_table);
        print_list(&fk->referred_columns);
        printf(")");
        if (fk->ondelete)
            printf(" ON DELETE %s", fk->ondelete);
        if (fk->onupdate)
            printf(" ON UPDATE %s", fk->onupdate);
        putchar('\n');
    }
    for (size_t u = 0; u < ti->nuniques; u++) {
        printf("  unique%s%s (", ti->uniques[u].name ? " " : "",
               ti->uniques[u].name ? ti->uniques[u].name : "");
        print_list(&ti->uniques[u].columns);
        printf(")\n");
    }
    for (size_t k = 0; k < ti->nchecks; k++)
        printf("  check%s%s (%s)\n", ti->checks[k].name ? " " : "",
               ti->checks[k].name ? ti->checks[k].name : "", ti->checks[k].sqltext);
    for (size_t i = 0; i < ti->nindexes; i++) {
        const sqlalc_index_info *ix = &ti->indexes[i];
        if (ix->duplicates_constraint)
            continue; /* shown as its constraint */
        printf("  %sindex %s (", ix->unique ? "unique " : "", ix->name ? ix->name : "");
        if (ix->nelements) {
            for (size_t e = 0; e < ix->nelements; e++) {
                const sqlalc_index_element_info *el = &ix->elements[e];
                printf("%s%s", e ? ", " : "", el->column ? el->column : el->expression);
                if (el->opclass)
                    printf(" %s", el->opclass);
                if (el->sorting)
                    printf(" %s", el->sorting);
            }
        } else {
            print_list(&ix->columns);
        }
        printf(")");
        if (ix->method)
            printf(" USING %s", ix->method);
        if (ix->include.count) {
            printf(" INCLUDE (");
            print_list(&ix->include);
            printf(")");
        }
        if (ix->with)
            printf(" WITH (%s)", ix->with);
        if (ix->where)
            printf(" WHERE %s", ix->where);
        putchar('\n');
    }
    if (ti->partition_by)
        printf("  partition by %s\n", ti->partition_by);
    if (ti->partition_of)
        printf("  partition of %s %s\n", ti->partition_of, ti->partition_bound ? ti->partition_bound : "");
}

static int print_schema(sqlalc_engine *eng, const char *schema)
{
    sqlalc_inspector *insp = NULL;
    const sqlalc_schema_info *si = NULL;
    int rc = sqlalc_inspector_new(eng, &insp);
    if (rc == SQLALC_OK)
        rc = sqlalc_inspector_tables(insp, schema, &si);
    for (size_t t = 0; rc == SQLALC_OK && t < si->count; t++)
        print_table(si->tables[t]);
    for (size_t s = 0; rc == SQLALC_OK && s < si->nsequences; s++) {
        const sqlalc_sequence_info *sq = &si->sequences[s];
        if (sq->identity || (sq->owner_table && sq->owner_column))
            continue; /* shown on their column (IDENTITY, SERIAL) */
        printf("sequence %s (%s START %lld INCREMENT %lld MINVALUE %lld MAXVALUE %lld%s)\n", sq->name,
               sq->data_type ? sq->data_type : "bigint", (long long)sq->start, (long long)sq->increment,
               (long long)sq->minvalue, (long long)sq->maxvalue, sq->cycle ? " CYCLE" : "");
    }
    for (size_t d = 0; rc == SQLALC_OK && d < si->ndomains; d++) {
        const sqlalc_domain_info *dm = &si->domains[d];
        printf("domain %s %s%s", dm->name, dm->type_sql ? dm->type_sql : "?",
               dm->nullable ? "" : " NOT NULL");
        if (dm->default_sql)
            printf(" DEFAULT %s", dm->default_sql);
        for (size_t k = 0; k < dm->nchecks; k++)
            printf(" CHECK%s%s (%s)", dm->checks[k].name ? " " : "",
                   dm->checks[k].name ? dm->checks[k].name : "", dm->checks[k].sqltext);
        putchar('\n');
    }
    sqlalc_inspector_free(insp);
    if (rc == SQLALC_OK && (fflush(stdout) != 0 || ferror(stdout)))
        return cli_fail("writing the output failed");
    return rc == SQLALC_OK ? CLI_OK : cli_lib_error("inspect failed");
}

int cmd_inspect(int argc, char **argv)
{
    const char *url = NULL, *schema = NULL;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        const char *v;
        int m;
        if (cli_flag(argv[i], "--help", "-h")) {
            fputs(inspect_help, stdout);
            return CLI_OK;
        }
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--schema", NULL, &v)) != 0) {
            if (m < 0)
                return cli_usage_error("inspect", "--schema needs a name");
            schema = v;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("inspect", "unknown option '%s'", argv[i]);
        } else if (url) {
            return cli_usage_error("inspect", "unexpected argument '%s'", argv[i]);
        } else {
            url = argv[i];
        }
    }
    if (!url)
        return cli_usage_error("inspect", "inspect needs a URL");
    sqlalc_engine *eng = NULL;
    int status = cli_open(url, 1, &eng);
    if (status != CLI_OK)
        return status;
    if (json) {
        sqlalc_inspector *insp = NULL;
        int rc = sqlalc_inspector_new(eng, &insp);
        if (rc == SQLALC_OK)
            rc = sqlalc_inspector_json(insp, schema, stdout);
        sqlalc_inspector_free(insp);
        status = rc == SQLALC_OK ? CLI_OK : cli_lib_error("inspect failed");
    } else {
        status = print_schema(eng, schema);
    }
    sqlalc_engine_free(eng);
    return status;
}

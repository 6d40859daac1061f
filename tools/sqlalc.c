/*
 * sqlalc — command-line front end of libsqlalc.
 *
 *   sqlalc query URL "SQL" [--format table|csv|json] [--max-rows N]
 *   sqlalc inspect URL [--json]
 *
 * Exit status: 0 on success, 1 when the library reports an error (its
 * message goes to stderr), 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc.h>

#define EXIT_USAGE 2

static void usage(FILE *f)
{
    fputs("usage: sqlalc query [--format table|csv|json] [--max-rows N] [--] URL \"SQL\"\n"
          "       sqlalc inspect URL [--json]\n"
          "       sqlalc --help | --version\n"
          "URL examples: sqlite:///file.db  sqlite://  postgresql://user@host/db\n",
          f);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sqlalc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    return EXIT_USAGE;
}

static int lib_error(const char *what)
{
    const sqlalc_error *e = sqlalc_error_last();
    fprintf(stderr, "sqlalc: %s: %s", what, e->message[0] ? e->message : sqlalc_code_name(e->code));
    if (e->sqlstate[0])
        fprintf(stderr, " (SQLSTATE %s)", e->sqlstate);
    fputc('\n', stderr);
    return EXIT_FAILURE;
}

/* "--name value" or "--name=value"; advances *i past what it used. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int cmd_query(int argc, char **argv)
{
    const char *pos[2] = { NULL, NULL };
    int npos = 0;
    sqlalc_format fmt = SQLALC_FORMAT_TABLE;
    size_t max_rows = 0;
    int opts = 1;
    for (int i = 0; i < argc; i++) {
        const char *v;
        if (opts && !strcmp(argv[i], "--")) {
            opts = 0; /* the rest is positional (SQL starting with a "--" comment) */
        } else if (!opts) {
            if (npos == 2)
                return usage_error("unexpected argument '%s'", argv[i]);
            pos[npos++] = argv[i];
        } else if (!strncmp(argv[i], "--format", 8) && (argv[i][8] == 0 || argv[i][8] == '=')) {
            if (!(v = option_value(argc, argv, &i, "--format")))
                return usage_error("%s needs a value", "--format");
            if (!strcmp(v, "table"))
                fmt = SQLALC_FORMAT_TABLE;
            else if (!strcmp(v, "csv"))
                fmt = SQLALC_FORMAT_CSV;
            else if (!strcmp(v, "json"))
                fmt = SQLALC_FORMAT_JSON;
            else
                return usage_error("unknown format '%s' (table, csv or json)", v);
        } else if (!strncmp(argv[i], "--max-rows", 10) && (argv[i][10] == 0 || argv[i][10] == '=')) {
            if (!(v = option_value(argc, argv, &i, "--max-rows")))
                return usage_error("%s needs a value", "--max-rows");
            char *end;
            unsigned long long n = strtoull(v, &end, 10);
            if (!*v || *end || v[0] == '-')
                return usage_error("--max-rows wants a number, not '%s'", v);
            max_rows = (size_t)n;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            return usage_error("unexpected argument '%s'", argv[i]);
        }
    }
    if (npos < 2)
        return usage_error("%s", "query needs a URL and an SQL statement");

    sqlalc_engine *eng = NULL;
    sqlalc_result *res = NULL;
    int status = EXIT_SUCCESS;
    if (sqlalc_engine_create(pos[0], NULL, &eng) != SQLALC_OK)
        return lib_error("cannot create the engine");
    if (sqlalc_engine_execute_sql(eng, pos[1], NULL, &res) != SQLALC_OK)
        status = lib_error("query failed");
    else if (sqlalc_result_print(res, stdout, fmt, max_rows) != SQLALC_OK)
        status = lib_error("printing the result failed");
    sqlalc_result_free(res);
    sqlalc_engine_free(eng);
    return status;
}

/* A short human-readable listing: one block per table. */
static int print_schema(sqlalc_engine *eng)
{
    sqlalc_inspector *insp = NULL;
    const sqlalc_schema_info *si = NULL;
    int rc = sqlalc_inspector_new(eng, &insp);
    if (rc == SQLALC_OK)
        rc = sqlalc_inspector_tables(insp, NULL, &si);
    for (size_t t = 0; rc == SQLALC_OK && t < si->count; t++) {
        const sqlalc_table_info *ti = si->tables[t];
        printf("%s %s\n", ti->is_view ? "view" : "table", ti->name);
        for (size_t c = 0; c < ti->ncolumns; c++) {
            const sqlalc_column_info *ci = &ti->columns[c];
            printf("  %-24s %s%s%s%s\n", ci->name, ci->type_sql ? ci->type_sql : "?",
                   ci->nullable ? "" : " NOT NULL", ci->pk_position ? " PRIMARY KEY" : "",
                   ci->autoincrement && ci->pk_position ? " AUTOINCREMENT" : "");
        }
        for (size_t f = 0; f < ti->nfks; f++) {
            const sqlalc_fk_info *fk = &ti->fks[f];
            printf("  foreign key (");
            for (size_t i = 0; i < fk->columns.count; i++)
                printf("%s%s", i ? ", " : "", fk->columns.items[i]);
            printf(") -> %s (", fk->referred_table);
            for (size_t i = 0; i < fk->referred_columns.count; i++)
                printf("%s%s", i ? ", " : "", fk->referred_columns.items[i]);
            printf(")\n");
        }
        for (size_t i = 0; i < ti->nindexes; i++)
            printf("  %sindex %s\n", ti->indexes[i].unique ? "unique " : "",
                   ti->indexes[i].name ? ti->indexes[i].name : "");
    }
    sqlalc_inspector_free(insp);
    return rc;
}

static int cmd_inspect(int argc, char **argv)
{
    const char *url = NULL;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] == '-')
            return usage_error("unknown option '%s'", argv[i]);
        if (url)
            return usage_error("unexpected argument '%s'", argv[i]);
        url = argv[i];
    }
    if (!url)
        return usage_error("%s", "inspect needs a URL");
    sqlalc_engine *eng = NULL;
    if (sqlalc_engine_create(url, NULL, &eng) != SQLALC_OK)
        return lib_error("cannot create the engine");
    int rc = json ? sqlalc_inspect_json(eng, stdout) : print_schema(eng);
    int status = rc == SQLALC_OK ? EXIT_SUCCESS : lib_error("inspect failed");
    sqlalc_engine_free(eng);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "missing command");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (!strcmp(cmd, "--version")) {
        printf("sqlalc %s\n", SQLALC_VERSION);
        return EXIT_SUCCESS;
    }
    if (!strcmp(cmd, "query"))
        return cmd_query(argc - 2, argv + 2);
    if (!strcmp(cmd, "inspect"))
        return cmd_inspect(argc - 2, argv + 2);
    return usage_error("unknown command '%s' (query or inspect)", cmd);
}

/*
 * sqlalc diff FROM_URL TO_URL [--sql]: compare two databases' schemas;
 * exit 0 when they match, 1 when they differ, 2 on any error (as diff(1)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc/migrate.h>
#include "cli.h"

static const char diff_help[] =
    "usage: sqlalc diff [--sql] [--schema S] [--exclude T]… FROM_URL TO_URL\n"
    "\n"
    "Compares the schema of FROM with that of TO and lists the operations that make FROM\n"
    "match TO: tables, columns (type, NULL, default), indexes, unique, check and foreign-key\n"
    "constraints.  A dropped and an added table or column that look alike are reported as\n"
    "rename candidates, never guessed.  What cannot be compared reliably is a warning.\n"
    "\n"
    "  --sql          print the DDL (for FROM's database) instead of the list; SQLite tables\n"
    "                 that ALTER cannot change are rebuilt (run it in one transaction:\n"
    "                 'sqlalc migrate' does)\n"
    "  --schema S     compare schema S on both sides (default: the default schema)\n"
    "  --exclude T    leave table T out (repeatable)\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 the schemas match, 1 they differ, 2 an error.\n";

int cmd_diff(int argc, char **argv)
{
    const char *urls[2] = { NULL, NULL }, *schema = NULL;
    const char **exclude = NULL;
    size_t nexclude = 0;
    int nurl = 0, sql = 0, status = CLI_USAGE;
    for (int i = 0; i < argc; i++) {
        const char *v;
        int m;
        if (cli_flag(argv[i], "--help", "-h")) {
            fputs(diff_help, stdout);
            free(exclude);
            return CLI_OK;
        }
        if (!strcmp(argv[i], "--sql")) {
            sql = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--schema", NULL, &v)) != 0) {
            if (m < 0)
                goto usage_value;
            schema = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--exclude", NULL, &v)) != 0) {
            if (m < 0)
                goto usage_value;
            const char **t = realloc(exclude, (nexclude + 1) * sizeof *t);
            if (!t) {
                free(exclude);
                return cli_fail("out of memory") + 1;
            }
            exclude = t;
            exclude[nexclude++] = v;
        } else if (argv[i][0] == '-') {
            free(exclude);
            return cli_usage_error("diff", "unknown option '%s'", argv[i]);
        } else if (nurl == 2) {
            free(exclude);
            return cli_usage_error("diff", "unexpected argument '%s'", argv[i]);
        } else {
            urls[nurl++] = argv[i];
        }
        continue;
    usage_value:
        free(exclude);
        return cli_usage_error("diff", "%s needs a value", argv[i]);
    }
    if (nurl < 2) {
        free(exclude);
        return cli_usage_error("diff", "diff needs FROM_URL and TO_URL");
    }
    sqlalc_engine *from = NULL, *to = NULL;
    sqlalc_diff *d = NULL;
    char *script = NULL;
    sqlalc_diff_options o = SQLALC_DIFF_OPTIONS_INIT;
    o.schema = schema;
    o.exclude = exclude;
    o.nexclude = nexclude;
    /* errors are status 2 here: 1 means "they differ" */
    if (cli_open(urls[0], 1, &from) != CLI_OK || cli_open(urls[1], 1, &to) != CLI_OK)
        goto out;
    if (sqlalc_diff_databases(from, to, &o, &d) != SQLALC_OK) {
        cli_lib_error("diff failed");
        goto out;
    }
    if (sql) {
        if (sqlalc_diff_sql(d, &script) != SQLALC_OK) {
            cli_lib_error("diff failed");
            goto out;
        }
        fputs(script, stdout);
    } else {
        for (size_t i = 0; i < sqlalc_diff_warning_count(d); i++)
            fprintf(stderr, "sqlalc: warning: %s\n", sqlalc_diff_warning(d, i));
        for (size_t i = 0; i < sqlalc_diff_count(d); i++)
            printf("%s\n", sqlalc_diff_op_at(d, i)->description);
    }
    if (fflush(stdout) != 0) {
        cli_fail("writing the output failed");
        goto out;
    }
    status = sqlalc_diff_is_empty(d) ? CLI_OK : CLI_FAIL;
out:
    sqlalc_free(script);
    sqlalc_diff_free(d);
    sqlalc_engine_free(from);
    sqlalc_engine_free(to);
    free(exclude);
    return status;
}

/*
 * sqlalc — command-line front end of libsqlalc.
 *
 *   sqlalc query    URL [SQL | -f FILE | -] [-p name=value[:type]] …
 *   sqlalc inspect  URL [--json]
 *   sqlalc codegen  URL -o DIR [--prefix NAME] [--tables a,b] [--schema S]
 *   sqlalc diff     FROM_URL TO_URL [--sql]
 *   sqlalc migrate  URL DIR up|down|status [TARGET]
 *
 * Exit status: 0 success, 1 a database or SQL error (diff: the schemas
 * differ), 2 a usage error (diff: any error).  Errors go to stderr with
 * passwords masked.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: sqlalc COMMAND [options] …\n"
          "\n"
          "commands:\n"
          "  query    URL [SQL | -f FILE | -]   run a statement and print its rows (table, csv, json)\n"
          "  inspect  URL [--json]              describe the tables of a database\n"
          "  codegen  URL -o DIR                write C code building the database's MetaData\n"
          "  diff     FROM_URL TO_URL [--sql]   compare two schemas (exit 0 same, 1 differ, 2 error)\n"
          "  migrate  URL DIR up|down|status    apply versioned migration files\n"
          "\n"
          "'sqlalc COMMAND --help' describes a command.  sqlalc --version prints the version.\n"
          "URLs: sqlite:///file.db  sqlite:////abs/file.db  postgresql://user:pw@host:5432/db\n"
          "Exit status: 0 success, 1 database or SQL error, 2 usage error (diff: 1 = differ, 2 = error).\n",
          f);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sqlalc%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sqlalc %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return CLI_USAGE;
}

int cli_lib_error(const char *what)
{
    const sqlalc_error *e = sqlalc_error_last();
    fprintf(stderr, "sqlalc: %s: %s", what, e->message[0] ? e->message : sqlalc_code_name(e->code));
    if (e->sqlstate[0])
        fprintf(stderr, " (SQLSTATE %s)", e->sqlstate);
    fputc('\n', stderr);
    return CLI_FAIL;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("sqlalc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_FAIL;
}

const char *cli_masked_url(const char *url)
{
    static char *shown;
    sqlalc_url *u;
    free(shown);
    shown = NULL;
    if (sqlalc_url_parse(url, &u) != SQLALC_OK)
        return "(unparsable URL)";
    char *r = sqlalc_url_render(u, 1);
    sqlalc_url_free(u);
    if (!r)
        return "(URL)";
    shown = strdup(r);
    sqlalc_free(r);
    return shown ? shown : "(URL)";
}

int cli_open(const char *url, int readonly, sqlalc_engine **out)
{
    sqlalc_url *u = NULL;
    char *text = NULL;
    *out = NULL;
    if (sqlalc_url_parse(url, &u) != SQLALC_OK)
        return cli_lib_error("cannot create the engine");
    const char *db = sqlalc_url_database(u);
    /* An SQLite file read-only: SQLite then refuses to create it. */
    if (readonly && !strcmp(sqlalc_url_dialect(u), "sqlite") && !sqlalc_url_driver(u) && db && *db &&
        strcmp(db, ":memory:") != 0 && !sqlalc_url_query_get(u, "mode")) {
        if (sqlalc_url_query_add(u, "mode", "ro") != SQLALC_OK || !(text = sqlalc_url_render(u, 0))) {
            sqlalc_url_free(u);
            return cli_lib_error("cannot create the engine");
        }
    }
    sqlalc_url_free(u);
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    sqlalc_execution_options xo = SQLALC_EXECUTION_OPTIONS_INIT;
    if (readonly) {
        xo.readonly = 1;
        o.execution_options = &xo;
    }
    int rc = sqlalc_engine_create(text ? text : url, &o, out);
    sqlalc_free(text);
    if (rc != SQLALC_OK)
        return cli_lib_error("cannot create the engine");
    sqlalc_conn *conn;
    if (sqlalc_engine_connect(*out, &conn) != SQLALC_OK) {
        char what[64 + 1024];
        snprintf(what, sizeof what, "cannot open the database");
        sqlalc_engine_free(*out);
        *out = NULL;
        return cli_lib_error(what);
    }
    sqlalc_conn_close(conn);
    return CLI_OK;
}

int cli_flag(const char *arg, const char *name, const char *alias)
{
    return !strcmp(arg, name) || (alias && !strcmp(arg, alias));
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char *alias, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (strcmp(a, name) != 0 && !(alias && !strcmp(a, alias))) {
        /* "-pname=value": a short option glued to its value */
        if (alias && alias[1] && !alias[2] && !strncmp(a, alias, 2) && a[2]) {
            *value = a + 2;
            return 1;
        }
        return 0;
    }
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

int cli_parse_size(const char *s, size_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return 0;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*end || errno)
        return 0;
    *out = (size_t)n;
    return 1;
}

char *cli_read_file(const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    for (size_t k; s; n += k) {
        if (cap - n < 2) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                s = NULL;
                break;
            }
            s = t;
        }
        k = fread(s + n, 1, cap - n - 1, f);
        if (k == 0)
            break;
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!s || bad) {
        free(s);
        errno = bad ? EIO : ENOMEM;
        return NULL;
    }
    s[n] = 0;
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "missing command (query, inspect, codegen, diff or migrate)");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("sqlalc %s\n", SQLALC_VERSION);
        return CLI_OK;
    }
    if (!strcmp(cmd, "query"))
        return cmd_query(argc - 2, argv + 2);
    if (!strcmp(cmd, "inspect"))
        return cmd_inspect(argc - 2, argv + 2);
    if (!strcmp(cmd, "codegen"))
        return cmd_codegen(argc - 2, argv + 2);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 2, argv + 2);
    if (!strcmp(cmd, "migrate"))
        return cmd_migrate(argc - 2, argv + 2);
    return cli_usage_error(NULL, "unknown command '%s' (query, inspect, codegen, diff or migrate)", cmd);
}

/*
 * sqlalc query: run one statement with bound parameters and print what it
 * returns, streaming, in any size of result.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static const char query_help[] =
    "usage: sqlalc query [options] URL SQL\n"
    "       sqlalc query [options] URL -f FILE     (SQL from a file)\n"
    "       sqlalc query [options] URL -           (SQL from standard input)\n"
    "\n"
    "Runs one statement and prints its rows.\n"
    "\n"
    "options:\n"
    "  -p, --param NAME=VALUE[:TYPE]  bind :NAME (repeatable); TYPE is int, float, bool, null or text\n"
    "                                 (default text; 'x:int:text' is the text \"x:int\")\n"
    "  -f, --file FILE                read the SQL from FILE ('-': standard input)\n"
    "  -F, --format table|csv|json    output format (default table)\n"
    "  -n, --max-rows N               print at most N rows; when more were left, say so\n"
    "                                 (on stderr, and in the table's footer)\n"
    "  -w, --width N                  fit the table in N columns (default: the terminal's width\n"
    "                                 when standard output is a terminal; 0: no limit)\n"
    "      --progress, --no-progress  a row count on stderr while printing (default: when stderr\n"
    "                                 is a terminal and standard output is not)\n"
    "  -h, --help                     this text\n"
    "\n"
    "The table format sizes its columns on the first 1,000 rows, then streams; csv and json\n"
    "stream.  Exit status: 0 ok, 1 database or SQL error, 2 usage error.\n";

typedef struct params {
    size_t n, cap;
    sqlalc_param *items;
} params;

/* NAME=VALUE[:TYPE] into a parameter (strings point into arg). */
static int parse_param(char *arg, sqlalc_param *out)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return cli_usage_error("query", "-p wants NAME=VALUE[:TYPE], not '%s'", arg);
    *eq = 0;
    char *name = arg, *value = eq + 1, *type = NULL;
    if (name[0] == ':')
        name++; /* "-p :id=1" reads as the bind it names */
    char *colon = strrchr(value, ':');
    if (colon) {
        const char *t = colon + 1;
        if (!strcmp(t, "int") || !strcmp(t, "float") || !strcmp(t, "bool") || !strcmp(t, "null") ||
            !strcmp(t, "text")) {
            *colon = 0;
            type = colon + 1;
        }
    }
    out->name = name;
    if (!type || !strcmp(type, "text")) {
        out->value = SQLALC_TEXTV(value);
    } else if (!strcmp(type, "null")) {
        out->value = SQLALC_NULLV;
    } else if (!strcmp(type, "int")) {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (!*value || *end || errno)
            return cli_usage_error("query", "-p %s: '%s' is not an integer", name, value);
        out->value = SQLALC_INTV(v);
    } else if (!strcmp(type, "float")) {
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        if (!*value || *end || errno == ERANGE)
            return cli_usage_error("query", "-p %s: '%s' is not a number", name, value);
        out->value = SQLALC_FLOATV(v);
    } else {
        int v;
        if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes") || !strcmp(value, "on"))
            v = 1;
        else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no") ||
                 !strcmp(value, "off"))
            v = 0;
        else
            return cli_usage_error("query", "-p %s: '%s' is not a boolean (true/false)", name, value);
        out->value = SQLALC_BOOLV(v);
    }
    return CLI_OK;
}

/* Progress: at most every 200 ms, on one line of stderr. */
typedef struct progress {
    struct timespec start, last;
    int shown;
} progress;

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static int on_progress(void *ctx, uint64_t rows)
{
    progress *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->shown && since(&p->last, &now) < 0.2)
        return 0;
    p->last = now;
    p->shown = 1;
    double s = since(&p->start, &now);
    fprintf(stderr, "\r%llu rows, %.1f s (%.0f rows/s)\033[K", (unsigned long long)rows, s,
            s > 0 ? (double)rows / s : 0.0);
    fflush(stderr);
    return 0;
}

static size_t terminal_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

int cmd_query(int argc, char **argv)
{
    const char *pos[2] = { NULL, NULL }, *file = NULL;
    int npos = 0, opts = 1, want_progress = -1;
    sqlalc_print_options po = SQLALC_PRINT_OPTIONS_INIT;
    long width = -1;
    params ps = { 0, 0, NULL };
    int status = CLI_OK;
    char *sql_text = NULL;
    sqlalc_engine *eng = NULL;
    sqlalc_result *res = NULL;

    for (int i = 0; i < argc && status == CLI_OK; i++) {
        const char *a = argv[i], *v = NULL;
        int m;
        if (!opts || a[0] != '-' || !strcmp(a, "-")) {
            if (npos == 2) {
                status = cli_usage_error("query", "unexpected argument '%s'", a);
                break;
            }
            pos[npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            opts = 0; /* the rest is positional (SQL starting with a "--" comment) */
        } else if (cli_flag(a, "--help", "-h")) {
            fputs(query_help, stdout);
            free(ps.items);
            return CLI_OK;
        } else if ((m = cli_opt_value(argc, argv, &i, "--format", "-F", &v)) != 0) {
            if (m < 0)
                status = cli_usage_error("query", "%s needs a value", a);
            else if (!strcmp(v, "table"))
                po.format = SQLALC_FORMAT_TABLE;
            else if (!strcmp(v, "csv"))
                po.format = SQLALC_FORMAT_CSV;
            else if (!strcmp(v, "json"))
                po.format = SQLALC_FORMAT_JSON;
            else
                status = cli_usage_error("query", "unknown format '%s' (table, csv or json)", v);
        } else if ((m = cli_opt_value(argc, argv, &i, "--max-rows", "-n", &v)) != 0) {
            if (m < 0)
                status = cli_usage_error("query", "%s needs a value", a);
            else if (!cli_parse_size(v, &po.max_rows) || po.max_rows == 0)
                status = cli_usage_error("query", "--max-rows wants a positive number, not '%s'", v);
        } else if ((m = cli_opt_value(argc, argv, &i, "--width", "-w", &v)) != 0) {
            size_t w;
            if (m < 0)
                status = cli_usage_error("query", "%s needs a value", a);
            else if (!cli_parse_size(v, &w) || w > 1000000)
                status = cli_usage_error("query", "--width wants a number of columns, not '%s'", v);
            else
                width = (long)w;
        } else if ((m = cli_opt_value(argc, argv, &i, "--file", "-f", &v)) != 0) {
            if (m < 0)
                status = cli_usage_error("query", "%s needs a file name", a);
            else if (file)
                status = cli_usage_error("query", "only one -f");
            else
                file = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--param", "-p", &v)) != 0) {
            if (m < 0) {
                status = cli_usage_error("query", "%s needs NAME=VALUE", a);
                break;
            }
            if (ps.n == ps.cap) {
                size_t cap = ps.cap ? ps.cap * 2 : 8;
                sqlalc_param *t = realloc(ps.items, cap * sizeof *t);
                if (!t) {
                    status = cli_fail("out of memory");
                    break;
                }
                ps.items = t;
                ps.cap = cap;
            }
            /* argv strings are ours to cut */
            if ((status = parse_param((char *)v, &ps.items[ps.n])) == CLI_OK)
                ps.n++;
        } else if (!strcmp(a, "--progress")) {
            want_progress = 1;
        } else if (!strcmp(a, "--no-progress")) {
            want_progress = 0;
        } else {
            status = cli_usage_error("query", "unknown option '%s'", a);
        }
    }
    if (status != CLI_OK)
        goto out;
    if (npos == 0 || (npos == 1 && !file)) {
        status =
            cli_usage_error("query", "query needs a URL and an SQL statement (or -f FILE, or - for stdin)");
        goto out;
    }
    if (npos == 2 && file) {
        status = cli_usage_error("query", "give the SQL either as an argument or with -f, not both");
        goto out;
    }
    const char *src = file ? file : !strcmp(pos[1], "-") ? "-" : NULL;
    if (src) {
        if (!(sql_text = cli_read_file(src))) {
            status =
                cli_fail("cannot read %s: %s", strcmp(src, "-") ? src : "standard input", strerror(errno));
            goto out;
        }
    }
    const char *sql = sql_text ? sql_text : pos[1];
    if ((status = cli_open(pos[0], 0, &eng)) != CLI_OK)
        goto out;

    sqlalc_params bound = { ps.n, ps.items };
    if (sqlalc_engine_execute_sql(eng, sql, ps.n ? &bound : NULL, &res) != SQLALC_OK) {
        status = cli_lib_error("query failed");
        goto out;
    }
    po.max_width = width >= 0 ? (size_t)width : terminal_width();
    progress pr = { { 0, 0 }, { 0, 0 }, 0 };
    if (want_progress < 0)
        want_progress = isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
    if (want_progress) {
        clock_gettime(CLOCK_MONOTONIC, &pr.start);
        po.progress = on_progress;
        po.progress_ctx = &pr;
    }
    int rc = sqlalc_result_print_ex(res, stdout, &po);
    if (pr.shown)
        fputs("\r\033[K", stderr);
    if (rc != SQLALC_OK) {
        status = cli_lib_error("printing the result failed");
        goto out;
    }
    if (po.more)
        fprintf(stderr, "sqlalc: output cut at %llu row%s (--max-rows); more rows were not read\n",
                (unsigned long long)po.rows, po.rows == 1 ? "" : "s");
out:
    sqlalc_result_free(res);
    sqlalc_engine_free(eng);
    free(sql_text);
    free(ps.items);
    return status;
}

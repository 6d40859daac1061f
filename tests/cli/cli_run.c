#define _GNU_SOURCE
#include "cli_run.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n)
        abort();
    s[n] = 0;
    fclose(f);
    if (len)
        *len = (size_t)n;
    return s;
}

cli_out cli_run(const char *stdin_text, const char *stdout_path, const char *const *args)
{
    char in[] = "/tmp/sqlalc_cli_inXXXXXX", out[] = "/tmp/sqlalc_cli_outXXXXXX",
         err[] = "/tmp/sqlalc_cli_errXXXXXX";
    int fin = mkstemp(in), fout = mkstemp(out), ferr = mkstemp(err);
    if (fin < 0 || fout < 0 || ferr < 0)
        abort();
    if (stdin_text && write(fin, stdin_text, strlen(stdin_text)) != (ssize_t)strlen(stdin_text))
        abort();
    lseek(fin, 0, SEEK_SET);
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = calloc(n + 2, sizeof *argv);
    argv[0] = (char *)SQLALC_CLI_PATH;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = (char *)args[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int o = stdout_path ? open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : fout;
        dup2(fin, 0);
        dup2(o, 1);
        dup2(ferr, 2);
        execv(SQLALC_CLI_PATH, argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    wait4(pid, &st, 0, &ru);
    free(argv);
    close(fin);
    close(fout);
    close(ferr);
    cli_out r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = slurp(out, &r.out_len);
    r.err = slurp(err, NULL);
    r.maxrss_kb = ru.ru_maxrss;
    unlink(in);
    unlink(out);
    unlink(err);
    return r;
}

void cli_out_free(cli_out *o)
{
    free(o->out);
    free(o->err);
    o->out = o->err = NULL;
}

char *cli_second_url(sqlalc_engine *eng, const char *url, const char *suffix)
{
    sqlalc_url *u;
    assert_ok(sqlalc_url_parse(url, &u));
    char db[512];
    const char *cur = sqlalc_url_database(u);
    int sqlite = test_dialect_is("sqlite");
    snprintf(db, sizeof db, "%s%s%s", cur && *cur ? cur : "postgres", suffix, sqlite ? ".db" : "");
    assert_ok(sqlalc_url_set(u, SQLALC_URL_DATABASE, db));
    char *r = sqlalc_url_render(u, 0);
    sqlalc_url_free(u);
    if (sqlite) {
        unlink(db);
    } else {
        char sql[600];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db);
        test_exec(eng, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
        test_exec(eng, sql);
    }
    return r;
}

/*
 * The sqlalc command: what the subcommands share.  Everything here is
 * built on the public header only.
 *
 * Exit status of every command: 0 success (diff: the schemas match),
 * 1 a database or SQL error (diff: the schemas differ), 2 a usage error
 * (diff: 2 on any error).
 */
#ifndef SQLALC_CLI_H
#define SQLALC_CLI_H
#include <stdio.h>
#include <sqlalc.h>

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

/* "sqlalc CMD: message" and a pointer to --help on stderr; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "sqlalc: what: <the library's last error> (SQLSTATE x)"; returns CLI_FAIL. */
int cli_lib_error(const char *what);
/* "sqlalc: " + message on stderr; returns CLI_FAIL. */
int cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The URL with its password masked, for messages (static storage, or the
 * text itself when it does not parse: then it holds no parsed password
 * either, and the library's own error masks it). */
const char *cli_masked_url(const char *url);

/*
 * Open an engine on url and check that the database can be reached (one
 * connection is made and returned to the pool).  readonly: an SQLite file
 * is opened with mode=ro (so a missing file is an error, never created)
 * and every connection's transactions are read-only.  On failure prints
 * "sqlalc: cannot open <masked url>: <error>" and returns CLI_FAIL.
 */
int cli_open(const char *url, int readonly, sqlalc_engine **out);

/* Is argv[*i] the option `name` (long "--x", with its value as the next
 * argument or after "=")?  Sets *value and advances *i; returns 1 when it
 * matched, 0 when not, -1 when the value is missing. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char *alias, const char **value);
/* Is argv[i] the flag name (or alias)? */
int cli_flag(const char *arg, const char *name, const char *alias);
/* A non-negative decimal number; 0 when not one. */
int cli_parse_size(const char *s, size_t *out);

/* Read a whole file ("-": standard input) into a new string (free()). */
char *cli_read_file(const char *path);

int cmd_query(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_codegen(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

#endif

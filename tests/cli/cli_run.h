/* Running the built sqlalc binary from the CLI tests: argv (no shell),
 * stdin from a string, stdout and stderr captured apart, exit status and
 * peak RSS. */
#ifndef SQLALC_CLI_RUN_H
#define SQLALC_CLI_RUN_H
#include <stddef.h>

typedef struct cli_out {
    int status; /* exit status, -1 when killed by a signal */
    char *out, *err;
    size_t out_len;
    long maxrss_kb;
} cli_out;

/* Run SQLALC_CLI_PATH with args (NULL-ended); stdin_text may be NULL;
 * stdout_path non-NULL sends stdout to that file instead of capturing it. */
cli_out cli_run(const char *stdin_text, const char *stdout_path, const char *const *args);
void cli_out_free(cli_out *o);
/* A fresh, empty second database beside the one url names (an SQLite file
 * NAME<suffix>.db, or a PostgreSQL database NAME<suffix> created through
 * eng); the URL to free with sqlalc_free(). */
struct sqlalc_engine;
char *cli_second_url(struct sqlalc_engine *eng, const char *url, const char *suffix);
#define CLI(...) cli_run(NULL, NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define CLI_IN(text, ...) cli_run((text), NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* Fail (showing both streams) unless the run exited with want. */
#define expect_status(o, want)                                                                             \
    do {                                                                                                   \
        if ((o).status != (want))                                                                          \
            fail_msg("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", (o).status, (want), (o).out, (o).err); \
    } while (0)

#endif

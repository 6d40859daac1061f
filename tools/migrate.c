/*
 * sqlalc migrate URL DIR up|down|status [TARGET]: the library's
 * migration runner (sqlalc_migrate) from the command line.
 */
#include <stdio.h>
#include <string.h>
#include <sqlalc/migrate.h>
#include "cli.h"

static const char migrate_help[] =
    "usage: sqlalc migrate URL DIR up|down|status [TARGET]\n"
    "\n"
    "Applies the migrations of DIR: files VERSION_NAME.up.sql (VERSION digits, in numeric\n"
    "order) with an optional VERSION_NAME.down.sql.  Each migration runs with its record in\n"
    "the table sqlalc_migrations in one transaction: wholly applied or not at all.\n"
    "\n"
    "  up [TARGET]     apply every pending migration (up to TARGET)\n"
    "  down [TARGET]   revert the newest applied migration (with TARGET: every one newer\n"
    "                  than TARGET; 0 reverts all)\n"
    "  status          list the migrations, applied or pending\n"
    "  -h, --help      this text\n"
    "\n"
    "Start a migration from a schema diff:\n"
    "  sqlalc diff --sql sqlite:///live.db sqlite:///wanted.db > DIR/0002_add_city.up.sql\n"
    "\n"
    "Exit status: 0 ok, 1 database, SQL or file error, 2 usage error.\n";

int cmd_migrate(int argc, char **argv)
{
    const char *pos[4] = { NULL, NULL, NULL, NULL };
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        if (cli_flag(argv[i], "--help", "-h")) {
            fputs(migrate_help, stdout);
            return CLI_OK;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("migrate", "unknown option '%s'", argv[i]);
        if (npos == 4)
            return cli_usage_error("migrate", "unexpected argument '%s'", argv[i]);
        pos[npos++] = argv[i];
    }
    if (npos < 3)
        return cli_usage_error("migrate", "migrate needs URL, DIR and up, down or status");
    sqlalc_migrate_direction dir;
    if (!strcmp(pos[2], "up"))
        dir = SQLALC_MIGRATE_UP;
    else if (!strcmp(pos[2], "down"))
        dir = SQLALC_MIGRATE_DOWN;
    else if (!strcmp(pos[2], "status"))
        dir = SQLALC_MIGRATE_STATUS;
    else
        return cli_usage_error("migrate", "unknown action '%s' (up, down or status)", pos[2]);
    if (dir == SQLALC_MIGRATE_STATUS && pos[3])
        return cli_usage_error("migrate", "status takes no target");
    if (pos[3] && pos[3][strspn(pos[3], "0123456789")])
        return cli_usage_error("migrate", "TARGET is a version number, not '%s'", pos[3]);
    sqlalc_engine *eng;
    int status = cli_open(pos[0], 0, &eng);
    if (status != CLI_OK)
        return status;
    sqlalc_migrate_report r;
    int rc = sqlalc_migrate(eng, pos[1], dir, pos[3], &r);
    for (size_t i = 0; i < r.count; i++) {
        const sqlalc_migration_info *m = &r.items[i];
        if (dir == SQLALC_MIGRATE_STATUS)
            printf("%-8s %s %s%s\n", m->applied ? "applied" : "pending", m->version, m->name,
                   m->has_down ? "" : " (no down)");
        else if (m->ran)
            printf("%s %s %s\n", dir == SQLALC_MIGRATE_UP ? "applied" : "reverted", m->version, m->name);
    }
    for (size_t i = 0; i < r.nunknown; i++)
        fprintf(stderr, "sqlalc: warning: version %s is recorded as applied but has no file in %s\n",
                r.unknown[i], pos[1]);
    if (rc != SQLALC_OK)
        status = cli_lib_error("migrate failed");
    else if (dir != SQLALC_MIGRATE_STATUS) {
        size_t n = 0;
        for (size_t i = 0; i < r.count; i++)
            n += r.items[i].ran != 0;
        if (n == 0)
            printf("nothing to %s\n", dir == SQLALC_MIGRATE_UP ? "apply" : "revert");
    }
    sqlalc_migrate_report_clear(&r);
    sqlalc_engine_free(eng);
    return status;
}

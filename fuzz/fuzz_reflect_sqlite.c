/*
 * SQLite reflection of random DDL: the input is SQL that SQLite itself
 * runs (through sqlite3_exec) on a fresh database file; then the library
 * inspects it (every table's info, the JSON form), reflects it into a
 * MetaData, and writes the CREATE script for every dialect.  Invariants:
 * every table SQLite lists is reflected, the JSON parses, and the SQLite
 * CREATE script of the reflected model runs on an empty SQLite database.
 */
#include <sqlite3.h>
#include <strings.h>
#include <unistd.h>
#include <sqlalc.h>
#include "fuzz_common.h"
#include "fuzz_json.h"

static char path[256], url[300];

static int user_tables(sqlite3 *db)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(
            db,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\'",
            -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Declared types SQLite accepts but no dialect spells back (a string
 * literal, "2x", an unbalanced parenthesis) are carried verbatim: the
 * round trip is checked on the ordinary spellings
 * (WORD [WORD…] [(n[, m])]). */
static int plain_type(const char *s)
{
    size_t i = 0;
    if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
        return 0;
    while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
           s[i] == '_' || s[i] == ' ')
        i++;
    if (s[i] == '(') {
        i++;
        while ((s[i] >= '0' && s[i] <= '9') || s[i] == ',' || s[i] == ' ')
            i++;
        if (s[i++] != ')')
            return 0;
    }
    return s[i] == 0;
}

static int plain_types(const sqlalc_metadata *md)
{
    const sqlalc_dialect *d = sqlalc_find_dialect("sqlite");
    for (size_t t = 0; t < sqlalc_metadata_table_count(md); t++) {
        sqlalc_table *tb = sqlalc_metadata_table_at(md, t);
        for (size_t c = 0; c < sqlalc_table_column_count(tb); c++) {
            sqlalc_expr *col = sqlalc_table_column(tb, c);
            char buf[256];
            size_t n = sqlalc_type_sql(sqlalc_column_type(col), d, buf, sizeof buf);
            const char *name = sqlalc_column_name(col);
            /* SQLite reads a bare word after DEFAULT as a string; reflected,
             * it comes back as that word (an expression elsewhere) */
            const char *def = sqlalc_column_server_default(col);
            if (def &&
                ((def[0] >= 'A' && def[0] <= 'Z') || (def[0] >= 'a' && def[0] <= 'z') || def[0] == '_' ||
                 (unsigned char)def[0] >= 0x80) &&
                strcmp(def, "CURRENT_TIMESTAMP") && strcmp(def, "CURRENT_DATE") &&
                strcmp(def, "CURRENT_TIME") && strcasecmp(def, "NULL") && strcasecmp(def, "TRUE") &&
                strcasecmp(def, "FALSE"))
                return 0;
            if (n >= sizeof buf || !plain_type(buf))
                return 0;
            for (const char *p = name; *p; p++)
                if ((unsigned char)*p < 0x20)
                    return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    if (!path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/sqlalc_fuzz_reflect_%d.db", dir, (int)getpid());
        snprintf(url, sizeof url, "sqlite:///%s", path);
    }
    char *ddl = fz_cstr(data, size);
    unlink(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        abort();
    /* no extension loading, no attaching other files from fuzz text */
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_exec(db, ddl, NULL, NULL, NULL);
    int want = user_tables(db);
    sqlite3_close(db);
    free(ddl);
    /* virtual tables (fts, rtree) bring shadow tables and modules: the
     * oracle holds for ordinary tables */
    sqlalc_engine *eng;
    if (sqlalc_engine_create(url, NULL, &eng) != SQLALC_OK)
        abort();
    sqlalc_inspector *insp;
    if (sqlalc_inspector_new(eng, &insp) == SQLALC_OK) {
        const sqlalc_schema_info *info;
        if (sqlalc_inspector_tables(insp, NULL, &info) == SQLALC_OK) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            if (sqlalc_inspector_json(insp, NULL, f) == SQLALC_OK) {
                fflush(f);
                FZ_CHECK(fzj_valid(buf, len, NULL), "inspector JSON does not parse:\n%.*s", (int)len, buf);
            }
            fclose(f);
            free(buf);
        }
        sqlalc_inspector_free(insp);
    }
    sqlalc_metadata *md = sqlalc_metadata_new();
    if (sqlalc_metadata_reflect(md, eng, NULL) == SQLALC_OK) {
        FZ_CHECK(want < 0 || (int)sqlalc_metadata_table_count(md) >= want,
                 "SQLite has %d tables, reflected %zu", want, sqlalc_metadata_table_count(md));
        static const char *const names[] = { "sqlite", "postgresql", "mssql" };
        for (int d = 0; d < 3; d++) {
            char *script = NULL;
            if (sqlalc_metadata_create_script(md, sqlalc_find_dialect(names[d]), &script) == SQLALC_OK) {
                if (d == 0 && plain_types(md)) {
                    sqlite3 *fresh;
                    sqlite3_open(":memory:", &fresh);
                    char *err = NULL;
                    int rc = sqlite3_exec(fresh, script, NULL, NULL, &err);
                    FZ_CHECK(rc == SQLITE_OK, "reflected model's DDL fails on SQLite: %s\n%s", err ? err : "",
                             script);
                    sqlite3_free(err);
                    sqlite3_close(fresh);
                }
                sqlalc_free(script);
            }
            char *drop = NULL;
            if (sqlalc_metadata_drop_script(md, sqlalc_find_dialect(names[d]), &drop) == SQLALC_OK)
                sqlalc_free(drop);
        }
    } else
        FZ_CHECK(*sqlalc_errmsg(), "reflect failed without a message");
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
    return 0;
}

/*
 * 01_engine — the lesson's "Engine / Connection / Transaction" part, in C,
 * on the football database that examples/data/make_soccer writes.
 *
 *   ./make_soccer soccer.sqlite && ./01_engine [URL]
 *
 * URL defaults to sqlite:///soccer.sqlite.  The program exits non-zero as
 * soon as anything does not go as the lesson says, so the test suite
 * notices when the library breaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc.h>

/* One error check where it matters: print what the library says and stop.
 * (A real program would clean up; this one exits, and the OS does.) */
#define CHECK(call)                                                                         \
    do {                                                                                    \
        int rc_ = (call);                                                                   \
        if (rc_ != SQLALC_OK) {                                                             \
            fprintf(stderr, "01_engine: %s failed: %s: %s\n", #call, sqlalc_code_name(rc_), \
                    sqlalc_errmsg());                                                       \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "01_engine: unexpected: %s\n", what);
        exit(1);
    }
}

static void section(const char *title)
{
    printf("\n== %s ==\n", title);
}

/* SELECT count(*) on the connection: inside a transaction it sees that
 * transaction's own uncommitted rows. */
static int64_t count_rows(sqlalc_conn *conn, const char *table)
{
    char sql[128];
    sqlalc_result *res;
    sqlalc_value n;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    CHECK(sqlalc_conn_execute_sql(conn, sql, NULL, &res));
    CHECK(sqlalc_result_scalar_one(res, &n)); /* exactly one row: its first column */
    sqlalc_result_free(res);
    return n.u.i;
}

static void insert_team(sqlalc_conn *conn, int api_id, const char *long_name, const char *short_name)
{
    CHECK(sqlalc_conn_execute_sql(conn,
                                  "INSERT INTO team (team_api_id, team_long_name, team_short_name) "
                                  "VALUES (:api, :long, :short)",
                                  SQLALC_PARAMS(SQLALC_P_INT("api", api_id), SQLALC_P_TEXT("long", long_name),
                                                SQLALC_P_TEXT("short", short_name)),
                                  NULL));
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite:///soccer.sqlite";

    /* --- The engine ------------------------------------------------- */
    /* An engine is made once per database, from a URL.  It does not
     * connect yet: it checks the URL and finds the dialect and driver
     * (SQLAlchemy: create_engine). */
    section("Engine");
    sqlalc_engine *eng;
    CHECK(sqlalc_engine_create(url, NULL, &eng));
    char *shown = sqlalc_url_render(sqlalc_engine_url(eng), 1); /* password masked */
    printf("engine on %s (dialect %s)\n", shown ? shown : url, sqlalc_engine_dialect_name(eng));
    sqlalc_free(shown);

    /* --- A connection and raw SQL --------------------------------------- */
    /* A connection is checked out of the engine's pool.  Raw SQL takes
     * named binds (":s"): the value travels separately from the text, so
     * quotes in it can never break the statement (SQLAlchemy: text()). */
    section("Raw SQL with a named bind");
    sqlalc_conn *conn;
    CHECK(sqlalc_engine_connect(eng, &conn));
    sqlalc_result *res;
    CHECK(sqlalc_conn_execute_sql(conn, "select * from team where team_short_name = :s",
                                  SQLALC_PARAMS(SQLALC_P_TEXT("s", "GEN")), &res));
    /* Rows stream: read them one at a time, by index or by column name. */
    const sqlalc_row *row;
    int n = 0, rc;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        int64_t id = sqlalc_row_int64(row, 0);                             /* by index */
        const char *name = sqlalc_row_text_by_name(row, "team_long_name"); /* by name */
        int no_fifa = sqlalc_row_is_null_by_name(row, "team_fifa_api_id");
        printf("team %lld: %s%s\n", (long long)id, name, no_fifa ? " (no FIFA id)" : "");
        n++;
    }
    expect(rc == SQLALC_DONE, "reading the teams ended with an error");
    sqlalc_result_free(res);
    expect(n == 2, "two teams are called GEN (KRC Genk and Genoa)");

    /* The lesson shows query results through pandas; here a result
     * prints itself as a table (also CSV or JSON). */
    section("A result as a table");
    CHECK(sqlalc_conn_execute_sql(conn,
                                  "select player_name, birthday, height, weight from player "
                                  "where player_name like :pat order by player_name, birthday limit 5",
                                  SQLALC_PARAMS(SQLALC_P_TEXT("pat", "N'Golo%")), &res));
    CHECK(sqlalc_result_print(res, stdout, SQLALC_FORMAT_TABLE, 0));
    sqlalc_result_free(res);

    /* --- Transactions ----------------------------------------------- */
    /* Outside a transaction every statement commits on its own.  Inside
     * one, nothing is kept until commit; rollback forgets it all. */
    section("A transaction rolled back");
    int64_t before = count_rows(conn, "team");
    sqlalc_tx *tx;
    CHECK(sqlalc_conn_begin(conn, &tx));
    insert_team(conn, 999001, "Racing Club de Strasbourg", "STR");
    int64_t during = count_rows(conn, "team");
    CHECK(sqlalc_tx_rollback(tx));
    int64_t after = count_rows(conn, "team");
    printf("teams before: %lld, inside the transaction: %lld, after rollback: %lld\n", (long long)before,
           (long long)during, (long long)after);
    expect(during == before + 1 && after == before, "rollback undoes the insert");

    /* A savepoint is a transaction inside a transaction: rolling it back
     * undoes only what came after it (SQLAlchemy: begin_nested). */
    section("A savepoint");
    sqlalc_tx *outer, *sp;
    CHECK(sqlalc_conn_begin(conn, &outer));
    insert_team(conn, 999002, "Stade Brestois 29", "BRE");
    CHECK(sqlalc_conn_begin_nested(conn, &sp));
    insert_team(conn, 999003, "FC Lorient", "LOR");
    int64_t in_sp = count_rows(conn, "team");
    CHECK(sqlalc_tx_rollback(sp));
    int64_t after_sp = count_rows(conn, "team");
    printf("teams inside the savepoint: %lld, after rolling it back: %lld (the first insert stays)\n",
           (long long)in_sp, (long long)after_sp);
    expect(in_sp == before + 2 && after_sp == before + 1, "the savepoint undoes only its own insert");
    CHECK(sqlalc_tx_rollback(outer)); /* leave the database as we found it */

    /* A transaction block in two calls, like SQLAlchemy's
     * `with engine.begin() as conn:` — begin on a pooled connection, and
     * end it with the outcome: commit on success, roll back on error,
     * the connection back to the pool either way. */
    section("A transaction block: all or nothing");
    sqlalc_conn *blk;
    rc = sqlalc_engine_begin(eng, &blk, NULL);
    if (rc == SQLALC_OK) {
        rc = sqlalc_conn_execute_sql(
            blk, "insert into team (team_api_id, team_long_name) values (:a, :n)",
            SQLALC_PARAMS(SQLALC_P_INT("a", 999004), SQLALC_P_TEXT("n", "AS Monaco")), NULL);
        if (rc == SQLALC_OK) /* the same team_api_id again: the block fails here */
            rc = sqlalc_conn_execute_sql(
                blk, "insert into team (team_api_id, team_long_name) values (:a, :n)",
                SQLALC_PARAMS(SQLALC_P_INT("a", 999004), SQLALC_P_TEXT("n", "Monaco")), NULL);
        rc = sqlalc_conn_end(blk, rc);
    }
    printf("block ended with %s; teams now: %lld\n", sqlalc_code_name(rc),
           (long long)count_rows(conn, "team"));
    expect(rc == SQLALC_ERR_INTEGRITY && count_rows(conn, "team") == before,
           "a failed block keeps none of its inserts");

    /* executemany: one statement, many parameter sets, one prepared
     * statement reused for all of them. */
    section("executemany");
    static const char *const names[] = { "Wales", "Ireland", "Northern Ireland" };
    sqlalc_param items[3][2];
    sqlalc_params sets[3];
    for (int i = 0; i < 3; i++) {
        items[i][0] = SQLALC_P_INT("id", 90000 + i);
        items[i][1] = SQLALC_P_TEXT("name", names[i]);
        sets[i].count = 2;
        sets[i].items = items[i];
    }
    int64_t inserted = 0;
    CHECK(sqlalc_conn_begin(conn, &tx));
    CHECK(sqlalc_conn_execute_sql_many(conn, "insert into country (id, name) values (:id, :name)", sets, 3,
                                       &inserted));
    printf("inserted %lld countries in one call; countries now: %lld\n", (long long)inserted,
           (long long)count_rows(conn, "country"));
    expect(inserted == 3, "executemany inserts three rows");
    CHECK(sqlalc_tx_rollback(tx));

    /* --- Errors ----------------------------------------------------- */
    /* Breaking a constraint is an integrity error, whatever the database;
     * the details (message, SQLSTATE, driver code) are kept per thread. */
    section("An integrity error");
    rc = sqlalc_conn_execute_sql(
        conn, "insert into team (team_api_id, team_long_name) values (:api, :name)",
        SQLALC_PARAMS(SQLALC_P_INT("api", 8000), SQLALC_P_TEXT("name", "KRC Genk again")), NULL);
    const sqlalc_error *err = sqlalc_error_last();
    printf("%s, SQLSTATE %s: %s\n", sqlalc_code_name(rc), err->sqlstate, err->message);
    expect(rc == SQLALC_ERR_INTEGRITY, "a duplicate team_api_id is an integrity error");
    expect(strncmp(err->sqlstate, "23", 2) == 0, "integrity errors have SQLSTATE class 23");
    expect(count_rows(conn, "team") == before, "the failed insert left nothing behind");

    /* --- The exercise ---------------------------------------------- */
    /* How many players weigh over 170 lbs? */
    section("Exercise: players over 170 lbs");
    CHECK(sqlalc_conn_execute_sql(conn, "select count(*) from player where weight > :w",
                                  SQLALC_PARAMS(SQLALC_P_INT("w", 170)), &res));
    sqlalc_value v;
    CHECK(sqlalc_result_scalar_one(res, &v));
    int64_t heavy = v.u.i;
    sqlalc_result_free(res);
    printf("%lld players weigh over 170 lbs\n", (long long)heavy);
    expect(heavy > 0, "some players weigh over 170 lbs");

    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
    return 0;
}

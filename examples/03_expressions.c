/*
 * 03_expressions — the lesson's "SQL Expressions" part: expressions
 * written as C calls and printed as the SQL they compile to (SQLAlchemy's
 * str()), then the football queries of 01_engine rewritten as expression
 * trees and executed.
 *
 *   ./03_expressions [URL]   (the football database; default: the
 *                             expression part only, on "sqlite://")
 *
 * Every builder call takes ownership of its arguments, so a whole query is
 * one nested expression with one error check at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc.h>

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, sqlalc_errmsg());
    exit(1);
}

static void section(const char *title)
{
    printf("\n== %s\n", title);
}

static int failures;
static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "UNEXPECTED: %s\n", what);
        failures++;
    }
}

/* Print an expression as SQLAlchemy's print(expr) would, then free it. */
static void show(const char *python, sqlalc_expr *e, const char *want)
{
    if (!e)
        die(python);
    char *sql = sqlalc_expr_sql(e, NULL);
    if (!sql)
        die(python);
    printf("%-48s -> %s\n", python, sql);
    expect(!strcmp(sql, want), python);
    sqlalc_free(sql);
    sqlalc_expr_free(e);
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : NULL;

    /* --- The lesson's example table ---------------------------------- */
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *example =
        sqlalc_table_new(md, "example", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(0), 0));
    if (!example)
        die("table example");

    section("Column expressions (printed as SQL with bound parameters)");
    show("example.c.id == 5", sqlalc_eq(sqlalc_c(example, "id"), sqlalc_int(5)), "example.id = :id_1");
    show("example.c.id != 5", sqlalc_ne(sqlalc_c(example, "id"), sqlalc_int(5)), "example.id != :id_1");
    show("example.c.id > 5", sqlalc_gt(sqlalc_c(example, "id"), sqlalc_int(5)), "example.id > :id_1");
    show("or_(example.c.id > 5, example.c.id < 2)",
         sqlalc_or(sqlalc_gt(sqlalc_c(example, "id"), sqlalc_int(5)),
                   sqlalc_lt(sqlalc_c(example, "id"), sqlalc_int(2))),
         "example.id > :id_1 OR example.id < :id_2");
    /* Python's `|` is the same OR: in C there is one spelling. */
    show("(example.c.id > 5) | (example.c.id < 2)",
         sqlalc_or(sqlalc_gt(sqlalc_c(example, "id"), sqlalc_int(5)),
                   sqlalc_lt(sqlalc_c(example, "id"), sqlalc_int(2))),
         "example.id > :id_1 OR example.id < :id_2");
    show("example.c.name == None", sqlalc_eq(sqlalc_c(example, "name"), sqlalc_null()),
         "example.name IS NULL");
    show("example.c.id + 5", sqlalc_add(sqlalc_c(example, "id"), sqlalc_int(5)), "example.id + :id_1");
    show("example.c.name + \"some name\"", sqlalc_add(sqlalc_c(example, "name"), sqlalc_str("some name")),
         "example.name || :name_1");
    show("example.c.id.in_([1, 2, 3])",
         sqlalc_in(sqlalc_c(example, "id"), SQLALC_EXPRS(sqlalc_int(1), sqlalc_int(2), sqlalc_int(3))),
         "example.id IN (:id_1_1, :id_1_2, :id_1_3)");

    section("A statement, per dialect (\"user\" is reserved: quoted where needed)");
    sqlalc_table *user =
        sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("first_name", sqlalc_type_string(50), SQLALC_NOT_NULL));
    sqlalc_stmt *q = sqlalc_select(SQLALC_COLS(sqlalc_c(user, "first_name")),
                                   sqlalc_or(sqlalc_gt(sqlalc_c(user, "id"), sqlalc_int(5)),
                                             sqlalc_lt(sqlalc_c(user, "id"), sqlalc_int(2))));
    if (!q)
        die("select");
    static const char *const dialects[] = { "sqlite", "postgresql", "mssql" };
    printf("default:\n%s\n", sqlalc_stmt_sql(q, NULL));
    for (int i = 0; i < 3; i++)
        printf("%s:\n%s\n", dialects[i], sqlalc_stmt_sql(q, sqlalc_find_dialect(dialects[i])));
    sqlalc_stmt_free(q);
    /* The values travel separately; the debug form shows them inline. */
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(example, "id")),
                      sqlalc_eq(sqlalc_c(example, "name"), sqlalc_str("O'Brien")));
    char *lit = sqlalc_stmt_sql_literal(q, NULL);
    printf("literal (debugging only):\n%s\n", lit ? lit : sqlalc_errmsg());
    expect(lit && strstr(lit, "'O''Brien'"), "quotes are doubled in the literal form");
    sqlalc_free(lit);
    sqlalc_stmt_free(q);

    if (!url) {
        sqlalc_metadata_free(md);
        return failures ? 1 : 0;
    }

    /* --- The football database, queried with expression trees -------- */
    sqlalc_engine *eng = NULL;
    sqlalc_conn *conn = NULL;
    if (sqlalc_engine_create(url, NULL, &eng) || sqlalc_engine_connect(eng, &conn))
        die("engine");
    sqlalc_table *team =
        sqlalc_table_new(md, "team", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("team_api_id", sqlalc_type_integer(), 0),
                         sqlalc_column("team_fifa_api_id", sqlalc_type_integer(), 0),
                         sqlalc_column("team_long_name", sqlalc_type_text(), 0),
                         sqlalc_column("team_short_name", sqlalc_type_text(), 0));
    sqlalc_table *player = sqlalc_table_new(
        md, "player", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("player_name", sqlalc_type_text(), 0), sqlalc_column("birthday", sqlalc_type_text(), 0),
        sqlalc_column("height", sqlalc_type_integer(), 0), sqlalc_column("weight", sqlalc_type_integer(), 0));
    sqlalc_table *match =
        sqlalc_table_new(md, "match", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("season", sqlalc_type_text(), 0),
                         sqlalc_column("home_team_api_id", sqlalc_type_integer(), 0),
                         sqlalc_column("home_team_goal", sqlalc_type_integer(), 0));
    if (!team || !player || !match)
        die("tables");

    section("Teams called GEN");
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(team, "id"), sqlalc_c(team, "team_long_name"),
                                  sqlalc_c(team, "team_fifa_api_id")),
                      sqlalc_eq(sqlalc_c(team, "team_short_name"), sqlalc_str("GEN")));
    if (!q)
        die("select team");
    puts(sqlalc_stmt_sql(q, sqlalc_find_dialect(sqlalc_engine_dialect_name(eng))));
    sqlalc_result *res;
    if (sqlalc_conn_execute(conn, q, NULL, &res))
        die("execute");
    const sqlalc_row *row;
    int n = 0, rc;
    while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW) {
        printf("team %lld: %s%s\n", (long long)sqlalc_row_int64(row, 0),
               sqlalc_row_text_by_name(row, "team_long_name"),
               sqlalc_row_is_null(row, 2) ? " (no FIFA id)" : "");
        n++;
    }
    sqlalc_result_free(res);
    expect(rc == SQLALC_DONE && n == 2, "two teams are called GEN");
    /* The same statement again with another value: compiled once. */
    if (sqlalc_conn_execute(conn, q, SQLALC_PARAMS(SQLALC_P_TEXT("team_short_name_1", "BAR")), &res))
        die("execute again");
    while (sqlalc_result_next(res, &row) == SQLALC_ROW)
        printf("team %lld: %s\n", (long long)sqlalc_row_int64(row, 0), sqlalc_row_text(row, 1));
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);

    section("Players like N'Golo%, as a table");
    q = sqlalc_limit(
        sqlalc_order_by(
            sqlalc_select(SQLALC_COLS(sqlalc_c(player, "player_name"), sqlalc_c(player, "birthday"),
                                      sqlalc_c(player, "height"), sqlalc_c(player, "weight")),
                          sqlalc_like(sqlalc_c(player, "player_name"), sqlalc_str("N'Golo%"), 0)),
            SQLALC_EXPRS(sqlalc_c(player, "player_name"), sqlalc_c(player, "birthday"))),
        5);
    if (!q || sqlalc_conn_execute(conn, q, NULL, &res))
        die("players");
    if (sqlalc_result_print(res, stdout, SQLALC_FORMAT_TABLE, 0))
        die("print");
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);

    section("Home goals per team, top 5 (join, group by, order by, limit)");
    sqlalc_expr *goals =
        sqlalc_label(sqlalc_func("sum", SQLALC_EXPRS(sqlalc_c(match, "home_team_goal"))), "goals");
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(team, "team_long_name"), sqlalc_expr_ref(goals)));
    q = sqlalc_select_from(
        q, sqlalc_join_on(sqlalc_table_expr(match), sqlalc_table_expr(team),
                          sqlalc_eq(sqlalc_c(match, "home_team_api_id"), sqlalc_c(team, "team_api_id")),
                          SQLALC_JOIN_INNER));
    q = sqlalc_group_by(q, SQLALC_EXPRS(sqlalc_c(team, "team_long_name")));
    q = sqlalc_limit(sqlalc_order_by(q, SQLALC_EXPRS(sqlalc_desc(goals), sqlalc_c(team, "team_long_name"))),
                     5);
    if (!q)
        die("goals");
    puts(sqlalc_stmt_sql(q, NULL));
    if (sqlalc_conn_execute(conn, q, NULL, &res) || sqlalc_result_print(res, stdout, SQLALC_FORMAT_TABLE, 0))
        die("execute goals");
    sqlalc_result_free(res);
    sqlalc_stmt_free(q);

    section("Exercise: players over 170 lbs");
    q = sqlalc_select(SQLALC_COLS(sqlalc_count_star()),
                      sqlalc_gt(sqlalc_c(player, "weight"), sqlalc_int(170)));
    if (!q)
        die("count");
    puts(sqlalc_stmt_sql(q, NULL));
    sqlalc_value heavy_v;
    if (sqlalc_conn_execute(conn, q, NULL, &res) || sqlalc_result_scalar_one(res, &heavy_v))
        die("execute count");
    int64_t heavy = heavy_v.u.i;
    sqlalc_result_free(res);
    printf("%lld players weigh over 170 lbs\n", (long long)heavy);
    expect(heavy > 0, "some players weigh over 170 lbs");
    sqlalc_stmt_free(q);

    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
    sqlalc_metadata_free(md);
    return failures ? 1 : 0;
}

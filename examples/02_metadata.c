/*
 * 02_metadata — the lesson's "MetaData" part: describe tables in C,
 * create them, inspect the live database, reflect it back, create and
 * drop one table, and the exercise (a `client` table with a foreign key).
 *
 *   ./02_metadata [URL]        (default "sqlite://", an in-memory database)
 *
 * Everything it creates is dropped again at the end, so it can run on a
 * database you care about (the test suite runs it on the football one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sqlalc.h>

static void die(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, sqlalc_errmsg());
    exit(1);
}

static void show_has_table(sqlalc_engine *eng, const char *name)
{
    sqlalc_inspector *insp;
    int exists = 0;
    if (sqlalc_inspector_new(eng, &insp) || sqlalc_inspector_has_table(insp, NULL, name, &exists))
        die("has_table");
    printf("has_table('%s') = %s\n", name, exists ? "True" : "False");
    sqlalc_inspector_free(insp);
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite://";
    sqlalc_engine *eng;
    if (sqlalc_engine_create(url, NULL, &eng) != SQLALC_OK)
        die("engine");
    const sqlalc_dialect *dialect = sqlalc_find_dialect(sqlalc_engine_dialect_name(eng));

    /* --- Tables as data ------------------------------------------------ */
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *user =
        sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("first_name", sqlalc_type_string(50), SQLALC_NOT_NULL),
                         sqlalc_column("last_name", sqlalc_type_string(50), 0));
    sqlalc_table *large =
        sqlalc_table_new(md, "large", sqlalc_column("key", sqlalc_type_string(50), SQLALC_PRIMARY_KEY),
                         sqlalc_column("timestamp", sqlalc_type_datetime(0), 0),
                         sqlalc_column("amount", sqlalc_type_numeric(10, 2), 0),
                         sqlalc_column("type", sqlalc_type_enum("large_type", "a", "b", "c"), 0));
    sqlalc_table *address =
        sqlalc_table_new(md, "address", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("email_address", sqlalc_type_string(100), SQLALC_NOT_NULL),
                         sqlalc_column("user_id", sqlalc_type_integer(), 0, sqlalc_foreign_key("user.id")));
    /* The exercise: a client table with a foreign key. */
    sqlalc_table *client = sqlalc_table_new(
        md, "client", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL),
        sqlalc_column("email", sqlalc_type_string(100), SQLALC_UNIQUE),
        sqlalc_column("address_id", sqlalc_type_integer(), 0,
                      sqlalc_foreign_key_ex("address.id", SQLALC_FK_OPTIONS(.ondelete = "SET NULL"))));
    if (!user || !large || !address || !client)
        die("define tables");

    printf("user_table.c: ");
    for (size_t i = 0; i < sqlalc_table_column_count(user); i++)
        printf("%suser.%s", i ? ", " : "", sqlalc_column_name(sqlalc_table_column(user, i)));
    printf("\nprimary key: user.%s\n", sqlalc_column_name(sqlalc_table_pk_column(user, 0)));

    /* The DDL the engine's dialect gets (a select() of the table comes with
     * the expression language). */
    char *sql;
    if (sqlalc_create_table_sql(user, dialect, &sql))
        die("DDL");
    printf("%s", sql);
    sqlalc_free(sql);

    /* Create everything in foreign-key order; checkfirst skips what exists. */
    if (sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST))
        die("create_all");
    char *script;
    if (sqlalc_metadata_create_script(md, dialect, &script))
        die("script");
    printf("-- create_all ran:\n%s\n", script);
    sqlalc_free(script);

    /* --- Inspect the live database ------------------------------------- */
    sqlalc_inspector *insp = NULL;
    const sqlalc_table_info *ti = NULL;
    if (sqlalc_inspector_new(eng, &insp) || sqlalc_inspector_table(insp, NULL, "address", &ti))
        die("inspect address");
    printf("inspector.get_columns('address'):\n");
    for (size_t i = 0; i < ti->ncolumns; i++)
        printf("  {'name': '%s', 'type': %s, 'nullable': %s, 'default': %s, 'primary_key': %d}\n",
               ti->columns[i].name, ti->columns[i].type_sql, ti->columns[i].nullable ? "True" : "False",
               ti->columns[i].default_sql ? ti->columns[i].default_sql : "None", ti->columns[i].pk_position);
    for (size_t i = 0; i < ti->nfks; i++)
        printf("foreign key: (%s) -> %s(%s)\n", ti->fks[i].columns.items[0], ti->fks[i].referred_table,
               ti->fks[i].referred_columns.items[0]);
    sqlalc_inspector_free(insp);

    /* --- Reflect into a fresh MetaData ----------------------------------- */
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *reflected;
    if (sqlalc_table_reflect(md2, eng, NULL, "client", &reflected))
        die("reflect client");
    printf("reflected 'client' (and what it references): %zu tables\n", sqlalc_metadata_table_count(md2));
    for (size_t i = 0; i < sqlalc_table_column_count(reflected); i++) {
        sqlalc_expr *c = sqlalc_table_column(reflected, i);
        char type[64];
        sqlalc_type_sql(sqlalc_column_type(c), dialect, type, sizeof type);
        printf("  client.%s %s%s%s\n", sqlalc_column_name(c), type,
               sqlalc_column_nullable(c) ? "" : " NOT NULL",
               sqlalc_column_primary_key(c) ? " (primary key)" : "");
    }
    printf("client.address_id references %s\n", sqlalc_table_name(sqlalc_table_fk_target(reflected, 0)));
    sqlalc_metadata_free(md2);

    /* --- Create and drop one table ------------------------------------- */
    sqlalc_table *test =
        sqlalc_table_new(md, "Test", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY));
    if (!test)
        die("Test table");
    show_has_table(eng, "Test");
    if (sqlalc_table_create(test, eng, 0))
        die("create Test");
    show_has_table(eng, "Test");
    if (sqlalc_table_drop(test, eng, 0))
        die("drop Test");
    show_has_table(eng, "Test");

    /* Leave the database as we found it. */
    if (sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST))
        die("drop_all");
    show_has_table(eng, "user");
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
    return 0;
}

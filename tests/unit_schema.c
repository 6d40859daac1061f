/* Schema model: types and their checks, tables, lookups, errors,
 * ownership (also under a failing allocator), DDL scripts. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "dialects/dialects.h"

static void test_types(void **state)
{
    (void)state;
    sqlalc_type *t = sqlalc_type_numeric(10, 2);
    assert_non_null(t);
    assert_int_equal(sqlalc_type_get_kind(t), SQLALC_TYPE_NUMERIC);
    assert_int_equal(sqlalc_type_precision(t), 10);
    assert_int_equal(sqlalc_type_scale(t), 2);
    char buf[64];
    assert_int_equal(sqlalc_type_sql(t, &sqlalc__dialect_postgresql, buf, sizeof buf), 14);
    assert_string_equal(buf, "NUMERIC(10, 2)");
    sqlalc_type_free(t);

    assert_null(sqlalc_type_numeric(5, 6));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "scale is greater than precision"));
    assert_null(sqlalc_type_numeric(-1, 2));
    assert_null(sqlalc_type_numeric(0, -1));
    assert_null(sqlalc_type_string(-3));
    assert_null(sqlalc_type_float_precision(0));
    assert_null(sqlalc_type_enum("e", "a", "a"));
    assert_non_null(strstr(sqlalc_errmsg(), "duplicate value 'a'"));
    assert_null(sqlalc_type_enum_array("e", NULL, 0));
    assert_null(sqlalc_type_user("INT; DROP TABLE x"));

    t = sqlalc_type_enum("mood", "happy", "sad");
    assert_int_equal(sqlalc_type_enum_count(t), 2);
    assert_string_equal(sqlalc_type_enum_value(t, 1), "sad");
    assert_string_equal(sqlalc_type_name(t), "mood");
    assert_int_equal(sqlalc_type_length(t), 5);
    sqlalc_type *u = sqlalc_type_enum("mood", "happy", "sad");
    assert_true(sqlalc_type_equal(t, u));
    sqlalc_type_free(u);
    sqlalc_type_free(t);

    /* spelled types per dialect */
    struct {
        sqlalc_type *t;
        const char *sqlite, *pg, *ms;
    } cases[] = {
        { sqlalc_type_unicode(30), "VARCHAR(30)", "VARCHAR(30)", "NVARCHAR(30)" },
        { sqlalc_type_boolean(), "BOOLEAN", "BOOLEAN", "BIT" },
        { sqlalc_type_datetime(0), "DATETIME", "TIMESTAMP WITHOUT TIME ZONE", "DATETIME" },
        { sqlalc_type_datetime(1), "DATETIME", "TIMESTAMP WITH TIME ZONE", "DATETIMEOFFSET" },
        { sqlalc_type_large_binary(), "BLOB", "BYTEA", "VARBINARY(max)" },
        { sqlalc_type_json(), "JSON", "JSON", "NVARCHAR(max)" },
        { sqlalc_type_jsonb(), "JSON", "JSONB", "NVARCHAR(max)" },
        { sqlalc_type_double(), "DOUBLE", "DOUBLE PRECISION", "DOUBLE PRECISION" },
        { sqlalc_type_real(), "REAL", "REAL", "REAL" },
        { sqlalc_type_char(3), "CHAR(3)", "CHAR(3)", "CHAR(3)" },
        { sqlalc_type_uuid(), "CHAR(32)", "UUID", "UNIQUEIDENTIFIER" },
        { sqlalc_type_text(), "TEXT", "TEXT", "VARCHAR(max)" },
        { sqlalc_type_user("CITEXT"), "CITEXT", "CITEXT", "CITEXT" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sqlalc_type_sql(cases[i].t, &sqlalc__dialect_sqlite, buf, sizeof buf);
        assert_string_equal(buf, cases[i].sqlite);
        sqlalc_type_sql(cases[i].t, &sqlalc__dialect_postgresql, buf, sizeof buf);
        assert_string_equal(buf, cases[i].pg);
        sqlalc_type_sql(cases[i].t, &sqlalc__dialect_mssql_2012, buf, sizeof buf);
        assert_string_equal(buf, cases[i].ms);
        sqlalc_type_free(cases[i].t);
    }

    /* parsing what databases spell */
    struct {
        const char *in;
        sqlalc_type_kind k;
        int a, b;
    } parse[] = {
        { "VARCHAR(50)", SQLALC_TYPE_STRING, 50, 0 },
        { "character varying(30)", SQLALC_TYPE_STRING, 30, 0 },
        { "NUMERIC(10, 2)", SQLALC_TYPE_NUMERIC, 10, 2 },
        { "timestamp with time zone", SQLALC_TYPE_DATETIME, 1, 0 },
        { "NVARCHAR(max)", SQLALC_TYPE_UNICODE_TEXT, 0, 0 },
        { "bit", SQLALC_TYPE_BOOLEAN, 0, 0 },
        { "jsonb", SQLALC_TYPE_JSONB, 0, 0 },
        { "json", SQLALC_TYPE_JSON, 0, 0 },
        { "double precision", SQLALC_TYPE_DOUBLE, 0, 0 },
        { "character(5)", SQLALC_TYPE_CHAR, 5, 0 },
        { "INTEGER", SQLALC_TYPE_INTEGER, 0, 0 },
        { "", SQLALC_TYPE_NULL, 0, 0 },
        { "geometry", SQLALC_TYPE_USER, 0, 0 },
    };
    for (size_t i = 0; i < sizeof parse / sizeof parse[0]; i++) {
        t = sqlalc_type_parse(parse[i].in);
        assert_non_null(t);
        assert_int_equal(sqlalc_type_get_kind(t), parse[i].k);
        if (parse[i].k == SQLALC_TYPE_STRING || parse[i].k == SQLALC_TYPE_CHAR)
            assert_int_equal(sqlalc_type_length(t), parse[i].a);
        if (parse[i].k == SQLALC_TYPE_NUMERIC) {
            assert_int_equal(sqlalc_type_precision(t), parse[i].a);
            assert_int_equal(sqlalc_type_scale(t), parse[i].b);
        }
        if (parse[i].k == SQLALC_TYPE_DATETIME)
            assert_int_equal(sqlalc_type_timezone(t), parse[i].a);
        sqlalc_type_free(t);
    }
}

static void test_tables_and_lookups(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    /* address first: its FK target does not exist yet */
    sqlalc_table *addr = sqlalc_table_new(
        md, "address", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("user_id", sqlalc_type_integer(), SQLALC_NOT_NULL, sqlalc_foreign_key("user.id")),
        sqlalc_column("email", sqlalc_type_string(100), 0, sqlalc_opt_default(SQLALC_TEXTV("x@y")),
                      sqlalc_opt_comment("mail")));
    assert_non_null(addr);
    assert_null(sqlalc_table_fk_target(addr, 0));
    char *sql = NULL;
    assert_code(sqlalc_create_table_sql(addr, &sqlalc__dialect_sqlite, &sql), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "not a table of this MetaData"));
    sqlalc_table *user =
        sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL));
    assert_non_null(user);
    assert_ptr_equal(sqlalc_table_fk_target(addr, 0), user); /* resolved late */
    assert_ok(sqlalc_create_table_sql(addr, &sqlalc__dialect_sqlite, &sql));
    sqlalc_free(sql);

    sqlalc_table *s =
        sqlalc_table_new(md, "t", sqlalc_opt_schema("sch"), sqlalc_column("a", sqlalc_type_integer(), 0),
                         sqlalc_column("b", sqlalc_type_integer(), 0), sqlalc_pk_constraint("pk_t", "b, a"));
    assert_non_null(s);
    assert_ptr_equal(sqlalc_metadata_table(md, "sch.t"), s);
    assert_ptr_equal(sqlalc_metadata_table_in(md, "sch", "t"), s);
    assert_null(sqlalc_metadata_table(md, "t"));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_NOT_FOUND);
    assert_string_equal(sqlalc_table_schema(s), "sch");
    assert_int_equal(sqlalc_table_pk_count(s), 2);
    assert_string_equal(sqlalc_column_name(sqlalc_table_pk_column(s, 0)), "b");
    assert_int_equal(sqlalc_column_primary_key(sqlalc_table_column_by_name(s, "a")), 2);
    assert_int_equal(sqlalc_metadata_table_count(md), 3);
    assert_ptr_equal(sqlalc_metadata_table_at(md, 1), user);

    /* getters */
    sqlalc_expr *email = sqlalc_table_column_by_name(addr, "email");
    assert_true(sqlalc_expr_is_column(email));
    assert_int_equal(sqlalc_column_nullable(email), 1);
    assert_string_equal(sqlalc_column_comment(email), "mail");
    assert_int_equal(sqlalc_column_default(email)->type, SQLALC_V_TEXT);
    assert_string_equal(sqlalc_column_default(email)->u.s.p, "x@y");
    assert_int_equal(sqlalc_column_nullable(sqlalc_table_column(user, 0)), 0);
    assert_int_equal(sqlalc_column_autoincrement(sqlalc_table_column(user, 0)), 1);
    assert_int_equal(sqlalc_column_autoincrement(sqlalc_table_column(addr, 1)), 0);
    assert_int_equal(sqlalc_type_length(sqlalc_column_type(sqlalc_table_column(user, 1))), 50);

    /* sorted: referenced first */
    sqlalc_table **sorted;
    size_t n;
    assert_ok(sqlalc_metadata_sorted_tables(md, &sorted, &n));
    assert_int_equal(n, 3);
    assert_string_equal(sqlalc_table_name(sorted[0]), "t"); /* key "sch.t" < "user"; address waits for user */
    assert_string_equal(sqlalc_table_name(sorted[2]), "address");
    sqlalc_free(sorted);

    /* a column reference keeps its table alive after the metadata goes */
    sqlalc_expr *c = sqlalc_c(user, "name");
    assert_non_null(c);
    sqlalc_metadata_free(md);
    assert_string_equal(sqlalc_column_name(c), "name");
    assert_string_equal(sqlalc_table_name(sqlalc_column_table(c)), "user");
    assert_null(sqlalc_table_metadata(sqlalc_column_table(c)));
    sqlalc_expr_free(c);
}

static void test_errors(void **state)
{
    (void)state;
    failalloc_install();
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(
        sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY)));
    long base = failalloc_live();

    assert_null(sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), 0)));
    assert_non_null(strstr(sqlalc_errmsg(), "already defined"));
    assert_null(sqlalc_table_new(md, "x", sqlalc_column("a", sqlalc_type_integer(), 0),
                                 sqlalc_column("a", sqlalc_type_string(3), 0)));
    assert_non_null(strstr(sqlalc_errmsg(), "duplicate column 'a'"));
    assert_null(sqlalc_table_new(md, "x", sqlalc_column("a", sqlalc_type_integer(), 0),
                                 sqlalc_pk_constraint(NULL, "a, zz")));
    assert_non_null(strstr(sqlalc_errmsg(), "unknown column 'zz'"));
    assert_null(sqlalc_table_new(
        md, "x", sqlalc_column("a", sqlalc_type_integer(), 0, sqlalc_foreign_key("user.nope"))));
    assert_non_null(strstr(sqlalc_errmsg(), "unknown column user.nope"));
    assert_null(sqlalc_table_new(
        md, "x", sqlalc_column("a", sqlalc_type_integer(), 0, sqlalc_foreign_key("justone"))));
    assert_non_null(strstr(sqlalc_errmsg(), "table.column"));
    assert_null(sqlalc_table_new(
        md, "x",
        sqlalc_column("a", sqlalc_type_integer(), 0,
                      sqlalc_foreign_key_ex("user.id", SQLALC_FK_OPTIONS(.ondelete = "DROP TABLE")))));
    assert_non_null(strstr(sqlalc_errmsg(), "ON DELETE"));
    assert_null(sqlalc_table_new(md, "x", sqlalc_column("a", sqlalc_type_integer(), 0),
                                 sqlalc_foreign_key("user.id")));
    assert_non_null(strstr(sqlalc_errmsg(), "column option"));
    assert_null(
        sqlalc_table_new(md, "x", sqlalc_column("a", sqlalc_type_integer(), 0, sqlalc_index(NULL, "a", 0))));
    assert_non_null(strstr(sqlalc_errmsg(), "not a column option"));
    assert_null(sqlalc_table_new(md, "x", sqlalc_column("a", sqlalc_type_integer(), 0),
                                 sqlalc_foreign_key_constraint("a", "user.id, user.id", NULL)));
    assert_non_null(strstr(sqlalc_errmsg(), "1 columns but 2"));
    /* a failed constructor inside: everything released, its error kept */
    assert_null(sqlalc_table_new(
        md, "x", sqlalc_column("a", sqlalc_type_integer(), 0),
        sqlalc_column("b", sqlalc_type_numeric(2, 5), SQLALC_NOT_NULL, sqlalc_opt_comment("lost")),
        sqlalc_index("ix", "a", 0)));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "Numeric(2, 5)"));
    assert_int_equal(failalloc_live(), base); /* nothing leaked by any failure */
    assert_int_equal(sqlalc_metadata_table_count(md), 1);
    sqlalc_metadata_free(md);
    assert_int_equal(failalloc_live(), 0);
    failalloc_uninstall();
}

/* A nested definition: everything the model has. */
static sqlalc_metadata *build_nested(void)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table_new(
        md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL | SQLALC_UNIQUE | SQLALC_INDEX),
        sqlalc_column("mood", sqlalc_type_enum("mood", "a", "b"), 0, sqlalc_opt_server_default("a")),
        sqlalc_opt_comment("users"));
    sqlalc_table_new(
        md, "address", sqlalc_column("id", sqlalc_type_bigint(), SQLALC_PRIMARY_KEY),
        sqlalc_column(
            "user_id", sqlalc_type_integer(), SQLALC_NOT_NULL,
            sqlalc_foreign_key_ex("user.id", SQLALC_FK_OPTIONS(.name = "fk_u", .ondelete = "cascade"))),
        sqlalc_column("amount", sqlalc_type_numeric(10, 2), 0, sqlalc_opt_default(SQLALC_TEXTV("1.50")),
                      sqlalc_opt_comment("money")),
        sqlalc_check_constraint("ck_amount", "amount > 0"),
        sqlalc_unique_constraint("uq_a", "user_id, amount"), sqlalc_index("ix_a", "amount, user_id", 1),
        sqlalc_foreign_key_constraint("user_id", "user.id", SQLALC_FK_OPTIONS(.onupdate = "SET NULL")),
        sqlalc_opt_schema("main"));
    return md;
}

static void test_failing_allocator(void **state)
{
    (void)state;
    failalloc_install();
    long n;
    int completed = 0;
    for (n = 1; n < 2000 && !completed; n++) {
        failalloc_fail_at(n);
        sqlalc_metadata *md = build_nested();
        char *script = NULL;
        int rc =
            md ? sqlalc_metadata_create_script(md, &sqlalc__dialect_postgresql, &script) : SQLALC_ERR_NOMEM;
        if (!failalloc_failed()) {
            completed = 1;
            assert_ok(rc);
            assert_int_equal(sqlalc_metadata_table_count(md), 2);
        } else if (md && sqlalc_metadata_table_count(md) == 2 && rc == SQLALC_OK) {
            /* the failure hit nothing that mattered (impossible: every
             * allocation is needed), so flag it */
            fail_msg("allocation %ld failed but nothing noticed", n);
        }
        sqlalc_free(script);
        sqlalc_metadata_free(md);
        if (failalloc_live() != 0)
            fail_msg("leak after failing allocation %ld: %ld blocks live", n, failalloc_live());
    }
    assert_true(completed);
    assert_true(n > 50);
    failalloc_uninstall();
}

static void test_scripts(void **state)
{
    (void)state;
    sqlalc_metadata *md = sqlalc_metadata_new();
    /* an FK cycle (b -> a named, a -> b unnamed), an enum, a comment */
    assert_non_null(
        sqlalc_table_new(md, "a", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("bid", sqlalc_type_integer(), 0,
                                       sqlalc_foreign_key_ex("b.id", SQLALC_FK_OPTIONS(.name = "fk_a_b")))));
    assert_non_null(
        sqlalc_table_new(md, "b", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("aid", sqlalc_type_integer(), 0, sqlalc_foreign_key("a.id")),
                         sqlalc_column("m",
                                       sqlalc_type_enum_ex("mood", (const char *const[]){ "a", "b'" }, 2,
                                                           SQLALC_ENUM_OPTIONS(.create_constraint = 1)),
                                       0, sqlalc_opt_comment("it's")),
                         sqlalc_opt_comment("tbl")));
    char *s = NULL;
    /* PostgreSQL: the type first, the named cycle key added after
     * (strings as SQLAlchemy writes each statement) */
    assert_ok(sqlalc_metadata_create_script(md, &sqlalc__dialect_postgresql, &s));
    assert_string_equal(
        s, "CREATE TYPE mood AS ENUM ('a', 'b''');\n"
           "CREATE TABLE a (\n\tid SERIAL NOT NULL, \n\tbid INTEGER, \n\tPRIMARY KEY (id)\n);\n"
           "CREATE TABLE b (\n\tid SERIAL NOT NULL, \n\taid INTEGER, \n\tm mood, \n\tPRIMARY KEY (id), \n\t"
           "FOREIGN KEY(aid) REFERENCES a (id)\n);\n"
           "COMMENT ON TABLE b IS 'tbl';\n"
           "COMMENT ON COLUMN b.m IS 'it''s';\n"
           "ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY(bid) REFERENCES b (id);\n");
    sqlalc_free(s);
    assert_ok(sqlalc_metadata_drop_script(md, &sqlalc__dialect_postgresql, &s));
    assert_string_equal(
        s, "ALTER TABLE a DROP CONSTRAINT fk_a_b;\nDROP TABLE b;\nDROP TABLE a;\nDROP TYPE mood;\n");
    sqlalc_free(s);
    /* SQLite: no ALTER; the cycle key is declared inline, named */
    assert_ok(sqlalc_metadata_create_script(md, &sqlalc__dialect_sqlite, &s));
    assert_non_null(
        strstr(s, "CREATE TABLE a (\n\tid INTEGER NOT NULL, \n\tbid INTEGER, \n\tPRIMARY KEY (id), \n\t"
                  "CONSTRAINT fk_a_b FOREIGN KEY(bid) REFERENCES b (id)\n);\n"));
    assert_non_null(strstr(s, "CONSTRAINT mood CHECK (m IN ('a', 'b'''))"));
    assert_null(strstr(s, "COMMENT"));
    sqlalc_free(s);
    /* SQL Server: ALTER too; no comments */
    assert_ok(sqlalc_metadata_create_script(md, &sqlalc__dialect_mssql, &s));
    assert_non_null(strstr(s, "ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY(bid) REFERENCES b (id);\n"));
    assert_non_null(strstr(s, "\tid INTEGER NOT NULL IDENTITY, \n"));
    sqlalc_free(s);
    sqlalc_metadata_free(md);

    /* an unnamed cycle cannot be altered in */
    md = sqlalc_metadata_new();
    assert_non_null(
        sqlalc_table_new(md, "a", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("bid", sqlalc_type_integer(), 0, sqlalc_foreign_key("b.id"))));
    assert_non_null(
        sqlalc_table_new(md, "b", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("aid", sqlalc_type_integer(), 0, sqlalc_foreign_key("a.id"))));
    assert_code(sqlalc_metadata_create_script(md, &sqlalc__dialect_postgresql, &s), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "cycle"));
    assert_ok(sqlalc_metadata_create_script(md, &sqlalc__dialect_sqlite, &s));
    sqlalc_free(s);
    sqlalc_metadata_free(md);

    /* PostgreSQL refuses an unnamed enum */
    md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(md, "e", sqlalc_column("m", sqlalc_type_enum(NULL, "x", "y"), 0));
    assert_non_null(t);
    assert_code(sqlalc_create_table_sql(t, &sqlalc__dialect_postgresql, &s), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "ENUM type requires a name"));
    assert_ok(sqlalc_create_table_sql(t, &sqlalc__dialect_sqlite, &s));
    /* no CHECK unless asked (SQLAlchemy 1.4's create_constraint=False) */
    assert_string_equal(s, "\nCREATE TABLE e (\n\tm VARCHAR(1)\n)\n\n");
    sqlalc_free(s);
    sqlalc_metadata_free(md);
}

/* Fail each allocation of a whole live workload in turn: engine,
 * create_all, inspector, JSON, reflection, drop_all.  No crash, no leak. */
static void test_failing_allocator_live(void **state)
{
    (void)state;
    failalloc_install();
    int completed = 0;
    long n;
    for (n = 1; n < 20000 && !completed; n++) {
        failalloc_fail_at(n);
        sqlalc_engine *eng = NULL;
        sqlalc_metadata *md = build_nested(), *md2 = sqlalc_metadata_new();
        int rc = sqlalc_metadata_table_count(md) == 2 ? sqlalc_engine_create("sqlite://", NULL, &eng)
                                                      : SQLALC_ERR_NOMEM;
        if (!rc)
            rc = sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST);
        if (!rc) {
            FILE *f = fopen("/dev/null", "w");
            rc = sqlalc_inspect_json(eng, f);
            fclose(f);
        }
        if (!rc)
            rc = md2 ? sqlalc_metadata_reflect(md2, eng, NULL) : SQLALC_ERR_NOMEM;
        if (!rc)
            rc = sqlalc_metadata_drop_all(md2, eng, 0);
        if (!failalloc_failed()) {
            completed = 1;
            assert_ok(rc);
        } else if (rc == SQLALC_OK)
            fail_msg("allocation %ld failed but the workload succeeded", n);
        sqlalc_metadata_free(md2);
        sqlalc_metadata_free(md);
        sqlalc_engine_free(eng);
        if (failalloc_live() != 0)
            fail_msg("leak after failing allocation %ld: %ld blocks live", n, failalloc_live());
    }
    assert_true(completed);
    failalloc_uninstall();
}

/* Tables in a named schema: an attached SQLite database. */
static void test_sqlite_named_schema(void **state)
{
    (void)state;
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create("sqlite://", NULL, &eng));
    test_exec(eng, "ATTACH DATABASE ':memory:' AS sch");
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(sqlalc_table_new(md, "parent", sqlalc_opt_schema("sch"),
                                     sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                                     sqlalc_column("Name", sqlalc_type_string(20), SQLALC_INDEX)));
    assert_non_null(sqlalc_table_new(
        md, "kid", sqlalc_opt_schema("sch"), sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("pid", sqlalc_type_integer(), 0, sqlalc_foreign_key("sch.parent.id"))));
    assert_ok(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));
    assert_ok(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM sch.sqlite_master WHERE type = 'table'"), 2);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM main.sqlite_master"), 0);

    sqlalc_inspector *insp;
    const sqlalc_strlist *names;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_schema_names(insp, &names));
    assert_true(sqlalc_strlist_contains(names, "sch") && sqlalc_strlist_contains(names, "main"));
    assert_ok(sqlalc_inspector_table_names(insp, "sch", &names));
    assert_int_equal(names->count, 2);
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_table(insp, "sch", "kid", &ti));
    assert_string_equal(ti->schema, "sch");
    assert_string_equal(ti->fks[0].referred_schema, "sch");
    assert_ok(sqlalc_inspector_table(insp, "sch", "parent", &ti));
    assert_string_equal(ti->indexes[0].name, "ix_sch_parent_Name");
    sqlalc_inspector_free(insp);

    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
    o.schema = "sch";
    assert_ok(sqlalc_metadata_reflect(md2, eng, &o));
    sqlalc_table *kid = sqlalc_metadata_table(md2, "sch.kid");
    assert_non_null(kid);
    assert_ptr_equal(sqlalc_table_fk_target(kid, 0), sqlalc_metadata_table(md2, "sch.parent"));
    assert_ok(sqlalc_metadata_drop_all(md2, eng, 0));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM sch.sqlite_master"), 0);
    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

/* What SQLite reflection rebuilds compiles to the DDL it came from
 * (a rebuilt table lists its constraints as unique, check, foreign key,
 * so the declaration here uses that order). */
static void test_sqlite_reflect_recreates_ddl(void **state)
{
    (void)state;
    sqlalc_engine *eng;
    assert_ok(sqlalc_engine_create("sqlite://", NULL, &eng));
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "seq", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("Code", sqlalc_type_string(8), SQLALC_NOT_NULL, sqlalc_opt_server_default("x'y")),
        sqlalc_column("n", sqlalc_type_numeric(6, 1), 0), sqlalc_unique_constraint("uq_code_n", "Code, n"),
        sqlalc_check_constraint("ck_n", "n > 0"), sqlalc_opt_sqlite_autoincrement());
    assert_non_null(t);
    char *a, *b;
    assert_ok(sqlalc_create_table_sql(t, &sqlalc__dialect_sqlite, &a));
    assert_non_null(strstr(a, "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"));
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *r;
    assert_ok(sqlalc_table_reflect(md2, eng, NULL, "seq", &r));
    assert_ok(sqlalc_create_table_sql(r, &sqlalc__dialect_sqlite, &b));
    assert_string_equal(a, b);
    sqlalc_free(a);
    sqlalc_free(b);
    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_tables_and_lookups),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_failing_allocator),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_failing_allocator_live),
        cmocka_unit_test(test_sqlite_named_schema),
        cmocka_unit_test(test_sqlite_reflect_recreates_ddl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

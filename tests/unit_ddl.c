/* DDL compiler: exact SQL per dialect.  Expected strings are what
 * SQLAlchemy 1.4.46 emits for the same tables (CreateTable / DropTable /
 * CreateIndex / DropIndex / CreateSequence compiled for sqlite, postgresql
 * and mssql with server_version_info=(15,), deprecate_large_types=True),
 * with one deliberate difference: DateTime is DATETIME2 on mssql. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "dialects/dialects.h"

typedef struct expect {
    const char *dialect, *table, *what, *sql;
} expect;

static const expect
    expected
        [] = {
            { "sqlite", "user", "create",
              "\nCREATE TABLE user (\n\tid INTEGER NOT NULL, \n\tfirst_name VARCHAR(50) NOT NULL, \n\tlast_name VARCHAR(50), \n\tPRIMARY KEY (id)\n)\n\n" },
            { "sqlite", "user", "drop", "\nDROP TABLE user" },
            { "sqlite", "alltypes", "create",
              "\nCREATE TABLE alltypes (\n\tid INTEGER NOT NULL, \n\tsi SMALLINT, \n\tbi BIGINT, \n\tf FLOAT, \n\tn NUMERIC(10, 2), \n\tn2 NUMERIC, \n\ts VARCHAR(20) NOT NULL, \n\ts0 VARCHAR, \n\tt TEXT, \n\tu VARCHAR(30), \n\tut TEXT, \n\tb BOOLEAN, \n\td DATE, \n\ttm TIME, \n\tdt DATETIME, \n\tdtz DATETIME, \n\te VARCHAR(3), \n\tlb BLOB, \n\tj JSON, \n\tuser_id INTEGER, \n\tcnt INTEGER DEFAULT '0', \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_cnt CHECK (cnt >= 0), \n\tCONSTRAINT uq_sibi UNIQUE (si, bi), \n\tUNIQUE (s), \n\tFOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE\n)\n\n" },
            { "sqlite", "alltypes", "drop", "\nDROP TABLE alltypes" },
            { "sqlite", "alltypes", "ix:ix_alltypes_user_id",
              "CREATE INDEX ix_alltypes_user_id ON alltypes (user_id)" },
            { "sqlite", "alltypes", "dropix:ix_alltypes_user_id", "\nDROP INDEX ix_alltypes_user_id" },
            { "sqlite", "alltypes", "ix:ix_multi", "CREATE UNIQUE INDEX ix_multi ON alltypes (s, d)" },
            { "sqlite", "alltypes", "dropix:ix_multi", "\nDROP INDEX ix_multi" },
            { "sqlite", "p", "create",
              "\nCREATE TABLE p (\n\tid INTEGER NOT NULL, \n\tk INTEGER NOT NULL, \n\tPRIMARY KEY (id, k)\n)\n\n" },
            { "sqlite", "p", "drop", "\nDROP TABLE p" },
            { "sqlite", "c", "create",
              "\nCREATE TABLE c (\n\ta INTEGER, \n\tb INTEGER, \n\tc INTEGER, \n\tCONSTRAINT fk_ac FOREIGN KEY(a, c) REFERENCES p (id, k) ON UPDATE SET NULL, \n\tUNIQUE (b), \n\tUNIQUE (a), \n\tFOREIGN KEY(b) REFERENCES p (id), \n\tUNIQUE (c)\n)\n\n" },
            { "sqlite", "c", "drop", "\nDROP TABLE c" },
            { "sqlite", "big", "create",
              "\nCREATE TABLE big (\n\tid BIGINT NOT NULL, \n\tx INTEGER DEFAULT CURRENT_TIMESTAMP NOT NULL, \n\ty VARCHAR(5) DEFAULT 'it''s', \n\tPRIMARY KEY (id)\n)\n\n" },
            { "sqlite", "big", "drop", "\nDROP TABLE big" },
            { "sqlite", "s1", "create",
              "\nCREATE TABLE sch.s1 (\n\tid SMALLINT NOT NULL, \n\t\"Name\" VARCHAR(10), \n\tPRIMARY KEY (id)\n)\n\n" },
            { "sqlite", "s1", "drop", "\nDROP TABLE sch.s1" },
            { "sqlite", "s1", "ix:ix_sch_s1_Name", "CREATE INDEX sch.\"ix_sch_s1_Name\" ON s1 (\"Name\")" },
            { "sqlite", "s1", "dropix:ix_sch_s1_Name", "\nDROP INDEX sch.\"ix_sch_s1_Name\"" },
            { "sqlite", "s2", "create",
              "\nCREATE TABLE sch.s2 (\n\tid INTEGER NOT NULL, \n\ts1id INTEGER, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(s1id) REFERENCES s1 (id)\n)\n\n" },
            { "sqlite", "s2", "drop", "\nDROP TABLE sch.s2" },
            { "sqlite", "noauto", "create",
              "\nCREATE TABLE noauto (\n\tid INTEGER NOT NULL, \n\tv INTEGER, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "sqlite", "noauto", "drop", "\nDROP TABLE noauto" },
            { "sqlite", "sqliteauto", "create",
              "\nCREATE TABLE sqliteauto (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n)\n\n" },
            { "sqlite", "sqliteauto", "drop", "\nDROP TABLE sqliteauto" },
            { "postgresql", "user", "create",
              "\nCREATE TABLE \"user\" (\n\tid SERIAL NOT NULL, \n\tfirst_name VARCHAR(50) NOT NULL, \n\tlast_name VARCHAR(50), \n\tPRIMARY KEY (id)\n)\n\n" },
            { "postgresql", "user", "drop", "\nDROP TABLE \"user\"" },
            { "postgresql", "alltypes",
              "create", "\nCREATE TABLE alltypes (\n\tid SERIAL NOT NULL, \n\tsi SMALLINT, \n\tbi BIGINT, \n\tf FLOAT, \n\tn NUMERIC(10, 2), \n\tn2 NUMERIC, \n\ts VARCHAR(20) NOT NULL, \n\ts0 VARCHAR, \n\tt TEXT, \n\tu VARCHAR(30), \n\tut TEXT, \n\tb BOOLEAN, \n\td DATE, \n\ttm TIME WITHOUT TIME ZONE, \n\tdt TIMESTAMP WITHOUT TIME ZONE, \n\tdtz TIMESTAMP WITH TIME ZONE, \n\te mood, \n\tlb BYTEA, \n\tj JSON, \n\tuser_id INTEGER, \n\tcnt INTEGER DEFAULT '0', \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_cnt CHECK (cnt >= 0), \n\tCONSTRAINT uq_sibi UNIQUE (si, bi), \n\tUNIQUE (s), \n\tFOREIGN KEY(user_id) REFERENCES \"user\" (id) ON DELETE CASCADE\n)\n\n" },
            { "postgresql", "alltypes", "drop", "\nDROP TABLE alltypes" },
            { "postgresql", "alltypes", "ix:ix_alltypes_user_id",
              "CREATE INDEX ix_alltypes_user_id ON alltypes (user_id)" },
            { "postgresql", "alltypes", "dropix:ix_alltypes_user_id", "\nDROP INDEX ix_alltypes_user_id" },
            { "postgresql", "alltypes", "ix:ix_multi", "CREATE UNIQUE INDEX ix_multi ON alltypes (s, d)" },
            { "postgresql", "alltypes", "dropix:ix_multi", "\nDROP INDEX ix_multi" },
            { "postgresql", "p", "create",
              "\nCREATE TABLE p (\n\tid INTEGER NOT NULL, \n\tk INTEGER NOT NULL, \n\tPRIMARY KEY (id, k)\n)\n\n" },
            { "postgresql", "p", "drop", "\nDROP TABLE p" },
            { "postgresql", "c", "create",
              "\nCREATE TABLE c (\n\ta INTEGER, \n\tb INTEGER, \n\tc INTEGER, \n\tCONSTRAINT fk_ac FOREIGN KEY(a, c) REFERENCES p (id, k) ON UPDATE SET NULL, \n\tUNIQUE (b), \n\tUNIQUE (a), \n\tFOREIGN KEY(b) REFERENCES p (id), \n\tUNIQUE (c)\n)\n\n" },
            { "postgresql", "c", "drop", "\nDROP TABLE c" },
            { "postgresql", "big", "create",
              "\nCREATE TABLE big (\n\tid BIGSERIAL NOT NULL, \n\tx INTEGER DEFAULT CURRENT_TIMESTAMP NOT NULL, \n\ty VARCHAR(5) DEFAULT 'it''s', \n\tPRIMARY KEY (id)\n)\n\n" },
            { "postgresql", "big", "drop", "\nDROP TABLE big" },
            { "postgresql", "s1", "create",
              "\nCREATE TABLE sch.s1 (\n\tid SMALLSERIAL NOT NULL, \n\t\"Name\" VARCHAR(10), \n\tPRIMARY KEY (id)\n)\n\n" },
            { "postgresql", "s1", "drop", "\nDROP TABLE sch.s1" },
            { "postgresql", "s1", "ix:ix_sch_s1_Name",
              "CREATE INDEX \"ix_sch_s1_Name\" ON sch.s1 (\"Name\")" },
            { "postgresql", "s1", "dropix:ix_sch_s1_Name", "\nDROP INDEX sch.\"ix_sch_s1_Name\"" },
            { "postgresql", "s2", "create",
              "\nCREATE TABLE sch.s2 (\n\tid SERIAL NOT NULL, \n\ts1id INTEGER, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(s1id) REFERENCES sch.s1 (id)\n)\n\n" },
            { "postgresql", "s2", "drop", "\nDROP TABLE sch.s2" },
            { "postgresql", "noauto", "create",
              "\nCREATE TABLE noauto (\n\tid INTEGER NOT NULL, \n\tv INTEGER, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "postgresql", "noauto", "drop", "\nDROP TABLE noauto" },
            { "postgresql", "sqliteauto", "create",
              "\nCREATE TABLE sqliteauto (\n\tid SERIAL NOT NULL, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "postgresql", "sqliteauto", "drop", "\nDROP TABLE sqliteauto" },
            { "mssql", "user", "create",
              "\nCREATE TABLE [user] (\n\tid INTEGER NOT NULL IDENTITY, \n\tfirst_name VARCHAR(50) NOT NULL, \n\tlast_name VARCHAR(50) NULL, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "mssql", "user", "drop", "\nDROP TABLE [user]" },
            { "mssql", "alltypes", "create",
              "\nCREATE TABLE alltypes (\n\tid INTEGER NOT NULL IDENTITY, \n\tsi SMALLINT NULL, \n\tbi BIGINT NULL, \n\tf FLOAT NULL, \n\tn NUMERIC(10, 2) NULL, \n\tn2 NUMERIC NULL, \n\ts VARCHAR(20) NOT NULL, \n\ts0 VARCHAR(max) NULL, \n\tt VARCHAR(max) NULL, \n\tu NVARCHAR(30) NULL, \n\tut NVARCHAR(max) NULL, \n\tb BIT NULL, \n\td DATE NULL, \n\ttm TIME NULL, \n\tdt DATETIME2 NULL, \n\tdtz DATETIMEOFFSET NULL, \n\te VARCHAR(3) NULL, \n\tlb VARBINARY(max) NULL, \n\tj NVARCHAR(max) NULL, \n\tuser_id INTEGER NULL, \n\tcnt INTEGER NULL DEFAULT '0', \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_cnt CHECK (cnt >= 0), \n\tCONSTRAINT uq_sibi UNIQUE (si, bi), \n\tUNIQUE (s), \n\tFOREIGN KEY(user_id) REFERENCES [user] (id) ON DELETE CASCADE\n)\n\n" },
            { "mssql", "alltypes", "drop", "\nDROP TABLE alltypes" },
            { "mssql", "alltypes", "ix:ix_alltypes_user_id",
              "CREATE INDEX ix_alltypes_user_id ON alltypes (user_id)" },
            { "mssql", "alltypes", "dropix:ix_alltypes_user_id",
              "\nDROP INDEX ix_alltypes_user_id ON alltypes" },
            { "mssql", "alltypes", "ix:ix_multi", "CREATE UNIQUE INDEX ix_multi ON alltypes (s, d)" },
            { "mssql", "alltypes", "dropix:ix_multi", "\nDROP INDEX ix_multi ON alltypes" },
            { "mssql", "p", "create",
              "\nCREATE TABLE p (\n\tid INTEGER NOT NULL, \n\tk INTEGER NOT NULL, \n\tPRIMARY KEY (id, k)\n)\n\n" },
            { "mssql", "p", "drop", "\nDROP TABLE p" },
            { "mssql", "c", "create",
              "\nCREATE TABLE c (\n\ta INTEGER NULL, \n\tb INTEGER NULL, \n\tc INTEGER NULL, \n\tCONSTRAINT fk_ac FOREIGN KEY(a, c) REFERENCES p (id, k) ON UPDATE SET NULL, \n\tUNIQUE (b), \n\tUNIQUE (a), \n\tFOREIGN KEY(b) REFERENCES p (id), \n\tUNIQUE (c)\n)\n\n" },
            { "mssql", "c", "drop", "\nDROP TABLE c" },
            { "mssql", "big", "create",
              "\nCREATE TABLE big (\n\tid BIGINT NOT NULL IDENTITY, \n\tx INTEGER NOT NULL DEFAULT CURRENT_TIMESTAMP, \n\ty VARCHAR(5) NULL DEFAULT 'it''s', \n\tPRIMARY KEY (id)\n)\n\n" },
            { "mssql", "big", "drop", "\nDROP TABLE big" },
            { "mssql", "s1", "create",
              "\nCREATE TABLE sch.s1 (\n\tid SMALLINT NOT NULL IDENTITY, \n\t[Name] VARCHAR(10) NULL, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "mssql", "s1", "drop", "\nDROP TABLE sch.s1" },
            { "mssql", "s1", "ix:ix_sch_s1_Name", "CREATE INDEX [ix_sch_s1_Name] ON sch.s1 ([Name])" },
            { "mssql", "s1", "dropix:ix_sch_s1_Name", "\nDROP INDEX [ix_sch_s1_Name] ON sch.s1" },
            { "mssql", "s2", "create",
              "\nCREATE TABLE sch.s2 (\n\tid INTEGER NOT NULL IDENTITY, \n\ts1id INTEGER NULL, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(s1id) REFERENCES sch.s1 (id)\n)\n\n" },
            { "mssql", "s2", "drop", "\nDROP TABLE sch.s2" },
            { "mssql", "noauto", "create",
              "\nCREATE TABLE noauto (\n\tid INTEGER NOT NULL, \n\tv INTEGER NOT NULL IDENTITY, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "mssql", "noauto", "drop", "\nDROP TABLE noauto" },
            { "mssql", "sqliteauto", "create",
              "\nCREATE TABLE sqliteauto (\n\tid INTEGER NOT NULL IDENTITY, \n\tPRIMARY KEY (id)\n)\n\n" },
            { "mssql", "sqliteauto", "drop", "\nDROP TABLE sqliteauto" },
        };

static const sqlalc_dialect *dialect(const char *name)
{
    if (!strcmp(name, "sqlite"))
        return &sqlalc__dialect_sqlite;
    if (!strcmp(name, "postgresql"))
        return &sqlalc__dialect_postgresql;
    return &sqlalc__dialect_mssql;
}

static sqlalc_metadata *build(void)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(md);
    assert_non_null(sqlalc_table_new(md, "user",
                                     sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                                     sqlalc_column("first_name", sqlalc_type_string(50), SQLALC_NOT_NULL),
                                     sqlalc_column("last_name", sqlalc_type_string(50), 0)));
    sqlalc_table *t = sqlalc_table_new(
        md, "alltypes", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("si", sqlalc_type_smallint(), 0), sqlalc_column("bi", sqlalc_type_bigint(), 0),
        sqlalc_column("f", sqlalc_type_float(), 0), sqlalc_column("n", sqlalc_type_numeric(10, 2), 0),
        sqlalc_column("n2", sqlalc_type_numeric(-1, -1), 0),
        sqlalc_column("s", sqlalc_type_string(20), SQLALC_NOT_NULL | SQLALC_UNIQUE),
        sqlalc_column("s0", sqlalc_type_string(0), 0), sqlalc_column("t", sqlalc_type_text(), 0),
        sqlalc_column("u", sqlalc_type_unicode(30), 0), sqlalc_column("ut", sqlalc_type_unicode_text(), 0),
        sqlalc_column("b", sqlalc_type_boolean(), 0), sqlalc_column("d", sqlalc_type_date(), 0),
        sqlalc_column("tm", sqlalc_type_time(0), 0), sqlalc_column("dt", sqlalc_type_datetime(0), 0),
        sqlalc_column("dtz", sqlalc_type_datetime(1), 0),
        sqlalc_column("e", sqlalc_type_enum("mood", "a", "bb", "ccc"), 0),
        sqlalc_column("lb", sqlalc_type_large_binary(), 0), sqlalc_column("j", sqlalc_type_json(), 0),
        sqlalc_column("user_id", sqlalc_type_integer(), SQLALC_INDEX,
                      sqlalc_foreign_key_ex("user.id", SQLALC_FK_OPTIONS(.ondelete = "cascade"))),
        sqlalc_column("cnt", sqlalc_type_integer(), 0, sqlalc_opt_server_default("0"),
                      sqlalc_opt_comment("a count")),
        sqlalc_check_constraint("ck_cnt", "cnt >= 0"), sqlalc_unique_constraint("uq_sibi", "si, bi"),
        sqlalc_index("ix_multi", "s, d", 1));
    if (!t)
        fail_msg("alltypes: %s", sqlalc_errmsg());
    assert_non_null(sqlalc_table_new(md, "p", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                                     sqlalc_column("k", sqlalc_type_integer(), SQLALC_PRIMARY_KEY)));
    t = sqlalc_table_new(md, "c", sqlalc_column("a", sqlalc_type_integer(), SQLALC_UNIQUE),
                         sqlalc_column("b", sqlalc_type_integer(), 0, sqlalc_foreign_key("p.id")),
                         sqlalc_column("c", sqlalc_type_integer(), SQLALC_UNIQUE),
                         sqlalc_foreign_key_constraint(
                             "a, c", "p.id, p.k", SQLALC_FK_OPTIONS(.name = "fk_ac", .onupdate = "SET NULL")),
                         sqlalc_unique_constraint(NULL, "b"));
    if (!t)
        fail_msg("c: %s", sqlalc_errmsg());
    t = sqlalc_table_new(md, "big", sqlalc_column("id", sqlalc_type_bigint(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("x", sqlalc_type_integer(), SQLALC_NOT_NULL,
                                       sqlalc_opt_server_default_sql("CURRENT_TIMESTAMP")),
                         sqlalc_column("y", sqlalc_type_string(5), 0, sqlalc_opt_server_default("it's")));
    assert_non_null(t);
    t = sqlalc_table_new(md, "s1", sqlalc_opt_schema("sch"),
                         sqlalc_column("id", sqlalc_type_smallint(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("Name", sqlalc_type_string(10), SQLALC_INDEX));
    assert_non_null(t);
    t = sqlalc_table_new(md, "s2", sqlalc_opt_schema("sch"),
                         sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("s1id", sqlalc_type_integer(), 0, sqlalc_foreign_key("sch.s1.id")));
    assert_non_null(t);
    t = sqlalc_table_new(
        md, "noauto",
        sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY | SQLALC_NO_AUTOINCREMENT),
        sqlalc_column("v", sqlalc_type_integer(), SQLALC_AUTOINCREMENT));
    assert_non_null(t);
    t = sqlalc_table_new(md, "sqliteauto", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_opt_sqlite_autoincrement());
    assert_non_null(t);
    return md;
}

static void test_exact_ddl(void **state)
{
    (void)state;
    sqlalc_metadata *md = build();
    size_t checked = 0;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const expect *e = &expected[i];
        const sqlalc_dialect *d = dialect(e->dialect);
        sqlalc_table *t = sqlalc_metadata_table(md, e->table);
        if (!t)
            t = sqlalc_metadata_table_in(md, "sch", e->table);
        assert_non_null(t);
        char *sql = NULL;
        if (!strcmp(e->what, "create"))
            assert_ok(sqlalc_create_table_sql(t, d, &sql));
        else if (!strcmp(e->what, "drop"))
            assert_ok(sqlalc_drop_table_sql(t, d, &sql));
        else {
            int drop = !strncmp(e->what, "dropix:", 7);
            const char *ixname = strchr(e->what, ':') + 1;
            size_t k, n = sqlalc_table_index_count(t);
            char *probe = NULL;
            /* find the index by compiling each and matching the name */
            for (k = 0; k < n; k++) {
                assert_ok(sqlalc_create_index_sql(t, k, d, &probe));
                int hit = strstr(probe, ixname) != NULL;
                sqlalc_free(probe);
                if (hit)
                    break;
            }
            assert_true(k < n);
            if (drop)
                assert_ok(sqlalc_drop_index_sql(t, k, d, &sql));
            else
                assert_ok(sqlalc_create_index_sql(t, k, d, &sql));
        }
        if (strcmp(sql, e->sql)) {
            FILE *f = fopen("ddl_got.txt", "w");
            if (f) {
                fprintf(f, "%s\n=====\n%s", sql, e->sql);
                fclose(f);
            }
            fail_msg("%s %s %s:\n got: [%s]\nwant: [%s]", e->dialect, e->table, e->what, sql, e->sql);
        }
        sqlalc_free(sql);
        checked++;
    }
    assert_true(checked > 60);
    sqlalc_metadata_free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_ddl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

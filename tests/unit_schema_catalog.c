/*
 * The catalog-query way of the reflection hooks (<sqlalc/sys/schema.h>, way 2),
 * exercised on a real database: a dialect registered under another name
 * that is SQLite with its reflection given as four catalog queries over
 * sqlite_master and the pragma functions.  What it reflects must match
 * what the native SQLite hooks reflect (minus the names only the CREATE
 * text knows).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "dialects/dialects.h"

#define USER " m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite~_%' ESCAPE '~' "

static const sqlalc_reflect_hooks catalog_hooks = {
    .version = 1, /* a version-1 table (an older header): still read as far as it goes */
    .default_schema_name = "main",
    .tables_query = "SELECT m.name, m.type = 'view', NULL FROM sqlite_master m WHERE" USER
                    "AND :schema IS NOT NULL ORDER BY m.name",
    .columns_query =
        "SELECT m.name, p.name, p.type, NOT p.\"notnull\", p.dflt_value, "
        "p.pk = 1 AND upper(p.type) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_xinfo(m.name) q "
        "WHERE q.pk > 0) = 1, NULL "
        "FROM sqlite_master m JOIN pragma_table_xinfo(m.name, :schema) p WHERE" USER "ORDER BY m.name, p.cid",
    .constraints_query =
        "SELECT * FROM ("
        " SELECT m.name AS t, 'p' AS k, NULL AS n, p.name AS c, NULL, NULL, NULL, NULL, NULL, NULL, p.pk AS pos"
        " FROM sqlite_master m JOIN pragma_table_xinfo(m.name, :schema) p WHERE" USER "AND p.pk > 0"
        " UNION ALL"
        " SELECT m.name, 'f', 'fk' || f.id, f.\"from\", NULL, f.\"table\", f.\"to\","
        "  nullif(f.on_delete, 'NO ACTION'), nullif(f.on_update, 'NO ACTION'), NULL, f.seq"
        " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name, :schema) f WHERE" USER " UNION ALL"
        " SELECT m.name, 'u', il.name, ii.name, NULL, NULL, NULL, NULL, NULL, NULL, ii.seqno"
        " FROM sqlite_master m JOIN pragma_index_list(m.name, :schema) il"
        " JOIN pragma_index_info(il.name, :schema) ii WHERE" USER "AND il.origin = 'u'"
        ") ORDER BY t, k, n, pos",
    .indexes_query = "SELECT m.name, il.name, ii.name, il.\"unique\" "
                     "FROM sqlite_master m JOIN pragma_index_list(m.name, :schema) il "
                     "JOIN pragma_index_info(il.name, :schema) ii WHERE" USER "AND il.origin = 'c' "
                     "ORDER BY m.name, il.name, ii.seqno",
    /* SQLite has no enum types: pretend "mood" is one */
    .enums_query = "SELECT 'mood', 'happy' WHERE :schema IS NOT NULL UNION ALL SELECT 'mood', 'sad'",
    .parse_type = sqlalc_type_parse,
};

static sqlalc_dialect catalog_dialect;

static sqlalc_metadata *build(void)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(sqlalc_table_new(
        md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL | SQLALC_UNIQUE),
        sqlalc_column("born", sqlalc_type_date(), 0, sqlalc_opt_server_default("2000-01-01"))));
    assert_non_null(sqlalc_table_new(md, "pair", sqlalc_column("a", sqlalc_type_integer(), 0),
                                     sqlalc_column("b", sqlalc_type_string(5), 0),
                                     sqlalc_pk_constraint(NULL, "a, b")));
    assert_non_null(sqlalc_table_new(
        md, "address", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("user_id", sqlalc_type_integer(), SQLALC_NOT_NULL | SQLALC_INDEX,
                      sqlalc_foreign_key_ex("user.id", SQLALC_FK_OPTIONS(.ondelete = "CASCADE"))),
        sqlalc_column("pa", sqlalc_type_integer(), 0), sqlalc_column("pb", sqlalc_type_string(5), 0),
        sqlalc_column("amount", sqlalc_type_numeric(8, 3), 0),
        sqlalc_foreign_key_constraint("pa, pb", "pair.a, pair.b", NULL),
        sqlalc_index("ix_address_amount_pa", "amount, pa", 1)));
    return md;
}

static void same_tables(const sqlalc_table_info *a, const sqlalc_table_info *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->ncolumns, b->ncolumns);
    for (size_t i = 0; i < a->ncolumns; i++) {
        assert_string_equal(a->columns[i].name, b->columns[i].name);
        assert_string_equal(a->columns[i].type_sql, b->columns[i].type_sql);
        assert_true(sqlalc_type_equal(a->columns[i].type, b->columns[i].type));
        assert_int_equal(a->columns[i].nullable, b->columns[i].nullable);
        assert_int_equal(a->columns[i].pk_position, b->columns[i].pk_position);
        assert_int_equal(a->columns[i].autoincrement, b->columns[i].autoincrement);
        assert_true((!a->columns[i].default_sql && !b->columns[i].default_sql) ||
                    !strcmp(a->columns[i].default_sql, b->columns[i].default_sql));
    }
    assert_int_equal(a->pk.columns.count, b->pk.columns.count);
    for (size_t i = 0; i < a->pk.columns.count; i++)
        assert_string_equal(a->pk.columns.items[i], b->pk.columns.items[i]);
    assert_int_equal(a->nfks, b->nfks);
    for (size_t i = 0; i < a->nfks; i++) {
        const sqlalc_fk_info *x = &a->fks[i], *y = NULL;
        for (size_t k = 0; k < b->nfks; k++)
            if (!strcmp(x->columns.items[0], b->fks[k].columns.items[0]))
                y = &b->fks[k];
        assert_non_null(y);
        assert_int_equal(x->columns.count, y->columns.count);
        assert_string_equal(x->referred_table, y->referred_table);
        assert_string_equal(x->referred_columns.items[x->referred_columns.count - 1],
                            y->referred_columns.items[y->referred_columns.count - 1]);
        assert_true((!x->ondelete && !y->ondelete) || !strcmp(x->ondelete, y->ondelete));
    }
    assert_int_equal(a->nindexes, b->nindexes);
    for (size_t i = 0; i < a->nindexes; i++) {
        assert_string_equal(a->indexes[i].name, b->indexes[i].name);
        assert_int_equal(a->indexes[i].unique, b->indexes[i].unique);
        assert_int_equal(a->indexes[i].columns.count, b->indexes[i].columns.count);
    }
    assert_int_equal(a->nuniques, b->nuniques);
}

static void test_catalog_queries(void **state)
{
    (void)state;
    char path[] = "/tmp/sqlalc_catalog_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char url_native[300], url_catalog[300];
    snprintf(url_native, sizeof url_native, "sqlite:///%s", path);
    snprintf(url_catalog, sizeof url_catalog, "sqlitecat+sqlite3:///%s", path);

    catalog_dialect = sqlalc__dialect_sqlite;
    catalog_dialect.name = "sqlitecat";
    catalog_dialect.reflect = &catalog_hooks;
    assert_ok(sqlalc_register_dialect(&catalog_dialect));

    sqlalc_engine *native, *catalog;
    assert_ok(sqlalc_engine_create(url_native, NULL, &native));
    assert_ok(sqlalc_engine_create(url_catalog, NULL, &catalog));
    sqlalc_metadata *md = build();
    /* DDL runs through the catalog dialect too (checkfirst via its queries) */
    assert_ok(sqlalc_metadata_create_all(md, catalog, SQLALC_CHECKFIRST));
    assert_ok(sqlalc_metadata_create_all(md, catalog, SQLALC_CHECKFIRST));

    sqlalc_inspector *ia, *ib;
    const sqlalc_schema_info *sa, *sb;
    assert_ok(sqlalc_inspector_new(native, &ia));
    assert_ok(sqlalc_inspector_new(catalog, &ib));
    assert_ok(sqlalc_inspector_tables(ia, NULL, &sa));
    assert_ok(sqlalc_inspector_tables(ib, NULL, &sb));
    assert_int_equal(sa->count, 3);
    assert_int_equal(sb->count, 3);
    for (size_t i = 0; i < sa->count; i++) {
        const sqlalc_table_info *b = sqlalc_schema_info_find(sb, NULL, sa->tables[i]->name);
        assert_non_null(b);
        same_tables(sa->tables[i], b);
    }
    int e = 0;
    assert_ok(sqlalc_inspector_has_table(ib, NULL, "pair", &e));
    assert_int_equal(e, 1);
    assert_ok(sqlalc_inspector_has_table(ib, "main", "nope", &e));
    assert_int_equal(e, 0);
    sqlalc_inspector_free(ia);
    sqlalc_inspector_free(ib);

    /* reflection into a MetaData through the queries, FKs linked */
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *addr;
    assert_ok(sqlalc_table_reflect(md2, catalog, NULL, "address", &addr));
    assert_int_equal(sqlalc_metadata_table_count(md2), 3);
    assert_int_equal(sqlalc_table_fk_count(addr), 2);
    assert_non_null(sqlalc_table_fk_target(addr, 0));
    assert_non_null(sqlalc_table_fk_target(addr, 1));
    sqlalc_metadata_free(md2);

    /* every allocation of a catalog-path reflection failing in turn:
     * an error each time, never a leak */
    failalloc_install();
    int completed = 0;
    for (long n = 1; n < 20000 && !completed; n++) {
        failalloc_fail_at(n);
        sqlalc_engine *ce = NULL;
        sqlalc_metadata *m = sqlalc_metadata_new();
        int rc = m ? sqlalc_engine_create(url_catalog, NULL, &ce) : SQLALC_ERR_NOMEM;
        if (!rc)
            rc = sqlalc_metadata_reflect(m, ce, NULL);
        if (!failalloc_failed()) {
            completed = 1;
            assert_ok(rc);
            assert_int_equal(sqlalc_metadata_table_count(m), 3);
        } else if (rc == SQLALC_OK)
            fail_msg("allocation %ld failed but reflection succeeded", n);
        sqlalc_metadata_free(m);
        sqlalc_engine_free(ce);
        if (failalloc_live() != 0)
            fail_msg("leak after failing allocation %ld: %ld blocks live", n, failalloc_live());
    }
    assert_true(completed);
    failalloc_uninstall();

    /* a column of a native enum type reflects as an Enum with its labels */
    assert_ok(sqlalc_engine_execute_sql(native, "CREATE TABLE feel (m mood, \"n\" \"mood\")", NULL, NULL));
    md2 = sqlalc_metadata_new();
    sqlalc_table *feel;
    assert_ok(sqlalc_table_reflect(md2, catalog, NULL, "feel", &feel));
    for (size_t i = 0; i < 2; i++) {
        const sqlalc_type *ty = sqlalc_column_type(sqlalc_table_column(feel, i));
        assert_int_equal(sqlalc_type_get_kind(ty), SQLALC_TYPE_ENUM);
        assert_string_equal(sqlalc_type_name(ty), "mood");
        assert_int_equal(sqlalc_type_enum_count(ty), 2);
        assert_string_equal(sqlalc_type_enum_value(ty, 1), "sad");
    }
    sqlalc_metadata_free(md2);
    assert_ok(sqlalc_engine_execute_sql(native, "DROP TABLE feel", NULL, NULL));

    md2 = sqlalc_metadata_new();
    assert_ok(sqlalc_metadata_reflect(md2, catalog, NULL));
    assert_ok(sqlalc_metadata_drop_all(md2, catalog, 0));
    assert_ok(sqlalc_metadata_drop_all(md, native, SQLALC_CHECKFIRST));

    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(native);
    sqlalc_engine_free(catalog);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Schema round trip on the backend under test: declare tables with every
 * type and constraint, create them, reflect them into a fresh MetaData and
 * compare; drop_all leaves nothing behind; checkfirst makes create_all
 * idempotent; FK cycles; has_table; reflection of a subset; JSON.
 * Dialect-neutral: what a backend cannot report is guarded by
 * test_dialect_is().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "sqlalc/sys/plugin.h"

static const char *const our_tables[] = { "user", "large", "address", "composite", "child" };
#define NOURS (sizeof our_tables / sizeof our_tables[0])

static sqlalc_metadata *build(void)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(md);
    sqlalc_table *t =
        sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("first_name", sqlalc_type_string(50), SQLALC_NOT_NULL),
                         sqlalc_column("last_name", sqlalc_type_string(50), 0));
    if (!t)
        fail_msg("user: %s", sqlalc_errmsg());
    t = sqlalc_table_new(
        md, "large", sqlalc_column("key", sqlalc_type_string(20), SQLALC_PRIMARY_KEY),
        sqlalc_column("created", sqlalc_type_datetime(0), SQLALC_NOT_NULL),
        sqlalc_column("updated", sqlalc_type_datetime(1), 0),
        sqlalc_column("amount", sqlalc_type_numeric(10, 2), SQLALC_NOT_NULL, sqlalc_opt_server_default("0")),
        sqlalc_column("mood",
                      sqlalc_type_enum_ex("mood", (const char *const[]){ "happy", "sad", "it's ok" }, 3,
                                          SQLALC_ENUM_OPTIONS(.create_constraint = 1)),
                      0),
        sqlalc_column("flag", sqlalc_type_boolean(), 0), sqlalc_column("data", sqlalc_type_json(), 0),
        sqlalc_column("blob", sqlalc_type_large_binary(), 0), sqlalc_column("ratio", sqlalc_type_double(), 0),
        sqlalc_column("si", sqlalc_type_smallint(), 0), sqlalc_column("bi", sqlalc_type_bigint(), 0),
        sqlalc_column("txt", sqlalc_type_text(), 0), sqlalc_column("uni", sqlalc_type_unicode(40), 0),
        sqlalc_column("unitext", sqlalc_type_unicode_text(), 0), sqlalc_column("day", sqlalc_type_date(), 0),
        sqlalc_column("at", sqlalc_type_time(0), 0, sqlalc_opt_comment("time of day")),
        sqlalc_check_constraint("ck_large_amount", "amount >= 0"),
        sqlalc_unique_constraint("uq_large_si_bi", "si, bi"), sqlalc_index("ix_large_day_at", "day, at", 0),
        sqlalc_index("ix_large_uni", "uni", 1), sqlalc_opt_comment("all the types"));
    if (!t)
        fail_msg("large: %s", sqlalc_errmsg());
    t = sqlalc_table_new(
        md, "address", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("user_id", sqlalc_type_integer(), SQLALC_NOT_NULL | SQLALC_INDEX,
                      sqlalc_foreign_key_ex(
                          "user.id", SQLALC_FK_OPTIONS(.name = "fk_address_user", .ondelete = "CASCADE"))),
        sqlalc_column("email", sqlalc_type_string(100), SQLALC_UNIQUE));
    if (!t)
        fail_msg("address: %s", sqlalc_errmsg());
    t = sqlalc_table_new(md, "composite", sqlalc_column("a", sqlalc_type_integer(), 0),
                         sqlalc_column("b", sqlalc_type_string(10), 0),
                         sqlalc_pk_constraint("pk_composite", "a, b"));
    if (!t)
        fail_msg("composite: %s", sqlalc_errmsg());
    t = sqlalc_table_new(md, "child", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("ca", sqlalc_type_integer(), 0),
                         sqlalc_column("cb", sqlalc_type_string(10), 0),
                         sqlalc_foreign_key_constraint(
                             "ca, cb", "composite.a, composite.b",
                             SQLALC_FK_OPTIONS(.name = "fk_child_composite", .onupdate = "CASCADE")));
    if (!t)
        fail_msg("child: %s", sqlalc_errmsg());
    return md;
}

static const sqlalc_dialect *dialect_of(sqlalc_engine *eng)
{
    return sqlalc_find_dialect(sqlalc_engine_dialect_name(eng));
}

static int streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int names_eq(const sqlalc_strlist *a, const sqlalc_strlist *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]))
            return 0;
    return 1;
}

/* Compare a declared table with its reflected twin, both described for d. */
static void compare(const sqlalc_table *decl, const sqlalc_table *refl, const sqlalc_dialect *d)
{
    sqlalc_table_info *a, *b;
    assert_ok(sqlalc_table_describe(decl, d, &a));
    assert_ok(sqlalc_table_describe(refl, d, &b));
    const char *tn = a->name;
    int sqlite = !strcmp(d->name, "sqlite");
    if (a->ncolumns != b->ncolumns)
        fail_msg("%s: %zu columns declared, %zu reflected", tn, a->ncolumns, b->ncolumns);
    for (size_t i = 0; i < a->ncolumns; i++) {
        const sqlalc_column_info *x = &a->columns[i], *y = &b->columns[i];
        if (strcmp(x->name, y->name))
            fail_msg("%s: column %zu is %s, reflected %s", tn, i, x->name, y->name);
        if (strcmp(x->type_sql, y->type_sql))
            fail_msg("%s.%s: type %s, reflected %s", tn, x->name, x->type_sql, y->type_sql);
        if (x->nullable != y->nullable)
            fail_msg("%s.%s: nullable %d, reflected %d", tn, x->name, x->nullable, y->nullable);
        if (x->pk_position != y->pk_position)
            fail_msg("%s.%s: pk position %d, reflected %d", tn, x->name, x->pk_position, y->pk_position);
        if (x->autoincrement != y->autoincrement)
            fail_msg("%s.%s: autoincrement %d, reflected %d", tn, x->name, x->autoincrement,
                     y->autoincrement);
        /* PostgreSQL normalises defaults ('0'::numeric): presence only; a
         * serial's nextval() default may show on the reflected side */
        int serial_default = !x->default_sql && y->default_sql && y->autoincrement;
        if (sqlite ? !streq(x->default_sql, y->default_sql)
                   : (!x->default_sql != !y->default_sql && !serial_default))
            fail_msg("%s.%s: default %s, reflected %s", tn, x->name, x->default_sql ? x->default_sql : "NULL",
                     y->default_sql ? y->default_sql : "NULL");
        /* SQLite has no comments */
        if (!sqlite && !streq(x->comment, y->comment))
            fail_msg("%s.%s: comment %s, reflected %s", tn, x->name, x->comment ? x->comment : "NULL",
                     y->comment ? y->comment : "NULL");
    }
    if (!sqlite && !streq(a->comment, b->comment))
        fail_msg("%s: table comment %s, reflected %s", tn, a->comment ? a->comment : "NULL",
                 b->comment ? b->comment : "NULL");
    assert_true(names_eq(&a->pk.columns, &b->pk.columns));
    if (a->pk.name && !streq(a->pk.name, b->pk.name))
        fail_msg("%s: pk name %s, reflected %s", tn, a->pk.name, b->pk.name ? b->pk.name : "NULL");
    /* foreign keys, matched by name / columns */
    if (a->nfks != b->nfks)
        fail_msg("%s: %zu foreign keys, reflected %zu", tn, a->nfks, b->nfks);
    for (size_t i = 0; i < a->nfks; i++) {
        const sqlalc_fk_info *x = &a->fks[i], *y = NULL;
        for (size_t k = 0; k < b->nfks && !y; k++)
            if (names_eq(&x->columns, &b->fks[k].columns))
                y = &b->fks[k];
        if (!y)
            fail_msg("%s: foreign key on %s not reflected", tn, x->columns.items[0]);
        assert_string_equal(x->referred_table, y->referred_table);
        assert_true(names_eq(&x->referred_columns, &y->referred_columns));
        if (x->name && !streq(x->name, y->name))
            fail_msg("%s: fk name %s, reflected %s", tn, x->name, y->name ? y->name : "NULL");
        if (!streq(x->ondelete, y->ondelete) || !streq(x->onupdate, y->onupdate))
            fail_msg("%s: fk %s actions %s/%s, reflected %s/%s", tn, x->columns.items[0],
                     x->ondelete ? x->ondelete : "-", x->onupdate ? x->onupdate : "-",
                     y->ondelete ? y->ondelete : "-", y->onupdate ? y->onupdate : "-");
    }
    if (a->nindexes != b->nindexes)
        fail_msg("%s: %zu indexes, reflected %zu", tn, a->nindexes, b->nindexes);
    for (size_t i = 0; i < a->nindexes; i++) {
        const sqlalc_index_info *x = &a->indexes[i], *y = NULL;
        for (size_t k = 0; k < b->nindexes && !y; k++)
            if (!strcmp(x->name, b->indexes[k].name))
                y = &b->indexes[k];
        if (!y)
            fail_msg("%s: index %s not reflected", tn, x->name);
        assert_true(names_eq(&x->columns, &y->columns));
        assert_int_equal(x->unique, y->unique);
    }
    if (a->nuniques != b->nuniques)
        fail_msg("%s: %zu unique constraints, reflected %zu", tn, a->nuniques, b->nuniques);
    for (size_t i = 0; i < a->nuniques; i++) {
        const sqlalc_unique_info *x = &a->uniques[i], *y = NULL;
        for (size_t k = 0; k < b->nuniques && !y; k++)
            if (names_eq(&x->columns, &b->uniques[k].columns))
                y = &b->uniques[k];
        if (!y)
            fail_msg("%s: unique constraint on %s not reflected", tn, x->columns.items[0]);
        if (x->name && !streq(x->name, y->name))
            fail_msg("%s: unique name %s, reflected %s", tn, x->name, y->name ? y->name : "NULL");
    }
    if (a->nchecks != b->nchecks)
        fail_msg("%s: %zu check constraints, reflected %zu", tn, a->nchecks, b->nchecks);
    for (size_t i = 0; i < a->nchecks; i++) {
        const sqlalc_check_info *x = &a->checks[i], *y = NULL;
        for (size_t k = 0; k < b->nchecks && !y; k++)
            if (streq(x->name, b->checks[k].name))
                y = &b->checks[k];
        if (!y)
            fail_msg("%s: check %s not reflected", tn, x->name ? x->name : "(unnamed)");
        /* PostgreSQL rewrites the expression; SQLite keeps the text */
        if (sqlite)
            assert_string_equal(x->sqltext, y->sqltext);
    }
    sqlalc_table_info_free(a);
    sqlalc_table_info_free(b);
}

/* Reflection (and so checkfirst, has_table) needs the dialect's hooks;
 * every backend the suite runs on must have them. */
static int can_reflect(sqlalc_engine *eng)
{
    const sqlalc_dialect *d = dialect_of(eng);
    return d && d->reflect && (d->reflect->reflect || d->reflect->tables_query);
}

#define NEED_REFLECTION(eng)                             \
    do {                                                 \
        if (!can_reflect(eng)) {                         \
            sqlalc_engine_free(eng);                     \
            fail_msg("dialect has no reflection hooks"); \
        }                                                \
    } while (0)

static void drop_ours(sqlalc_engine *eng)
{
    sqlalc_metadata *md = build();
    assert_ok(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    sqlalc_metadata_free(md);
}

static int exists(sqlalc_engine *eng, const char *name)
{
    sqlalc_inspector *insp;
    int e = -1;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_has_table(insp, NULL, name, &e));
    sqlalc_inspector_free(insp);
    return e;
}

static void test_roundtrip(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    NEED_REFLECTION(eng);
    drop_ours(eng);
    sqlalc_metadata *md = build();
    const sqlalc_dialect *d = dialect_of(eng);
    assert_non_null(d);

    assert_ok(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));
    /* twice with checkfirst: harmless */
    assert_ok(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));
    /* without: the database refuses, and the failed run changed nothing */
    assert_true(sqlalc_metadata_create_all(md, eng, 0) != SQLALC_OK);
    assert_non_null(strstr(sqlalc_errmsg(), "create_all"));
    for (size_t i = 0; i < NOURS; i++)
        assert_int_equal(exists(eng, our_tables[i]), 1);

    /* the tables work: autoincrement, server default, FK */
    test_exec(eng, "INSERT INTO \"user\" (first_name) VALUES ('ann')");
    test_exec(eng, "INSERT INTO address (user_id, email) VALUES (1, 'a@b')");
    assert_int_equal(test_scalar(eng, "SELECT id FROM \"user\" WHERE first_name = 'ann'"), 1);
    test_exec(eng, "INSERT INTO large (\"key\", created) VALUES ('k', '2024-01-02 03:04:05')");
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM large WHERE amount = 0"), 1);
    /* enum enforced (CHECK or native type) */
    assert_true(sqlalc_engine_execute_sql(eng,
                                          "INSERT INTO large (\"key\", created, mood) VALUES ('k2', "
                                          "'2024-01-02 03:04:05', 'angry')",
                                          NULL, NULL) != SQLALC_OK);

    /* reflect into a fresh MetaData and compare everything */
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
    o.only = our_tables;
    o.nonly = NOURS;
    assert_ok(sqlalc_metadata_reflect(md2, eng, &o));
    assert_int_equal(sqlalc_metadata_table_count(md2), NOURS);
    for (size_t i = 0; i < NOURS; i++) {
        sqlalc_table *x = sqlalc_metadata_table(md, our_tables[i]);
        sqlalc_table *y = sqlalc_metadata_table(md2, our_tables[i]);
        assert_non_null(x);
        if (!y)
            fail_msg("%s not reflected: %s", our_tables[i], sqlalc_errmsg());
        compare(x, y, d);
    }
    /* a native enum comes back as an Enum with its labels (SQLite has no
     * enum type: there it is VARCHAR + CHECK, compared above) */
    if (test_dialect_is("postgresql")) {
        const sqlalc_type *mood =
            sqlalc_column_type(sqlalc_table_column_by_name(sqlalc_metadata_table(md2, "large"), "mood"));
        if (sqlalc_type_get_kind(mood) != SQLALC_TYPE_ENUM)
            fail_msg("large.mood reflected as %s, not ENUM (reflection hooks: enums_query)",
                     sqlalc_type_kind_name(sqlalc_type_get_kind(mood)));
        assert_int_equal(sqlalc_type_enum_count(mood), 3);
        assert_string_equal(sqlalc_type_enum_value(mood, 2), "it's ok");
    }
    /* foreign keys link to the reflected targets */
    sqlalc_table *addr = sqlalc_metadata_table(md2, "address");
    assert_int_equal(sqlalc_table_fk_count(addr), 1);
    assert_ptr_equal(sqlalc_table_fk_target(addr, 0), sqlalc_metadata_table(md2, "user"));
    /* a reflected table is a table: columns as expressions */
    sqlalc_expr *c = sqlalc_c(addr, "email");
    assert_non_null(c);
    assert_string_equal(sqlalc_column_name(c), "email");
    assert_ptr_equal(sqlalc_column_table(c), addr);
    sqlalc_expr_free(c);
    assert_null(sqlalc_c(addr, "nope"));
    assert_int_equal(sqlalc_error_last()->code, SQLALC_ERR_NOT_FOUND);

    /* sorted for DDL: referenced tables first */
    sqlalc_table **sorted;
    size_t n;
    assert_ok(sqlalc_metadata_sorted_tables(md2, &sorted, &n));
    size_t pu = n, pa = n;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(sqlalc_table_name(sorted[i]), "user"))
            pu = i;
        if (!strcmp(sqlalc_table_name(sorted[i]), "address"))
            pa = i;
    }
    assert_true(pu < pa && pa < n);
    sqlalc_free(sorted);

    /* drop_all of the reflected MetaData empties the database of them */
    assert_ok(sqlalc_metadata_drop_all(md2, eng, 0));
    for (size_t i = 0; i < NOURS; i++)
        assert_int_equal(exists(eng, our_tables[i]), 0);
    if (test_dialect_is("sqlite")) {
        sqlalc_inspector *insp;
        const sqlalc_strlist *names;
        assert_ok(sqlalc_inspector_new(eng, &insp));
        assert_ok(sqlalc_inspector_table_names(insp, NULL, &names));
        assert_int_equal(names->count, 0);
        sqlalc_inspector_free(insp);
    }
    /* drop_all with checkfirst on nothing: harmless; without: an error */
    assert_ok(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    assert_true(sqlalc_metadata_drop_all(md, eng, 0) != SQLALC_OK);

    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

static void test_reflect_subset_pulls_targets(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    NEED_REFLECTION(eng);
    drop_ours(eng);
    sqlalc_metadata *md = build();
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));

    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *child = NULL;
    assert_ok(sqlalc_table_reflect(md2, eng, NULL, "child", &child));
    assert_non_null(child);
    /* its FK target came along, linked */
    assert_int_equal(sqlalc_metadata_table_count(md2), 2);
    assert_ptr_equal(sqlalc_table_fk_target(child, 0), sqlalc_metadata_table(md2, "composite"));
    assert_int_equal(sqlalc_table_pk_count(sqlalc_metadata_table(md2, "composite")), 2);
    /* missing table */
    assert_code(sqlalc_table_reflect(md2, eng, NULL, "no_such_table", NULL), SQLALC_ERR_NOT_FOUND);

    /* inspector: names and a missing table */
    sqlalc_inspector *insp;
    const sqlalc_strlist *names;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table_names(insp, NULL, &names));
    for (size_t i = 0; i < NOURS; i++)
        assert_true(sqlalc_strlist_contains(names, our_tables[i]));
    assert_ok(sqlalc_inspector_table(insp, NULL, "large", &ti));
    assert_int_equal(ti->ncolumns, 16);
    assert_string_equal(ti->columns[3].name, "amount");
    assert_int_equal(sqlalc_type_get_kind(ti->columns[3].type), SQLALC_TYPE_NUMERIC);
    assert_int_equal(sqlalc_type_precision(ti->columns[3].type), 10);
    assert_int_equal(sqlalc_type_scale(ti->columns[3].type), 2);
    assert_int_equal(sqlalc_type_length(ti->columns[0].type), 20);
    assert_code(sqlalc_inspector_table(insp, NULL, "nope", &ti), SQLALC_ERR_NOT_FOUND);
    const sqlalc_strlist *schemas;
    assert_ok(sqlalc_inspector_schema_names(insp, &schemas));
    assert_true(schemas->count >= 1);
    sqlalc_inspector_free(insp);

    /* JSON dump has the Inspector keys */
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_ok(sqlalc_inspect_json(eng, f));
    long len = ftell(f);
    rewind(f);
    char *buf = calloc(1, (size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    const char *keys[] = { "\"columns\"",
                           "\"pk_constraint\"",
                           "\"foreign_keys\"",
                           "\"indexes\"",
                           "\"unique_constraints\"",
                           "\"check_constraints\"",
                           "\"constrained_columns\"",
                           "\"referred_table\"",
                           "\"column_names\"",
                           "\"sqltext\"",
                           "\"autoincrement\"",
                           "\"fk_child_composite\"",
                           "\"NUMERIC(10, 2)\"" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strstr(buf, keys[i]))
            fail_msg("JSON lacks %s", keys[i]);
    free(buf);

    /* views: listed apart, reflected only when asked */
    test_exec(eng, "CREATE VIEW v_user AS SELECT id, first_name FROM \"user\"");
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_view_names(insp, NULL, &names));
    assert_true(sqlalc_strlist_contains(names, "v_user"));
    assert_ok(sqlalc_inspector_table_names(insp, NULL, &names));
    assert_false(sqlalc_strlist_contains(names, "v_user"));
    sqlalc_inspector_free(insp);
    const char *only_view[] = { "v_user" };
    sqlalc_reflect_options vo = SQLALC_REFLECT_OPTIONS_INIT;
    vo.only = only_view;
    vo.nonly = 1;
    sqlalc_metadata *md3 = sqlalc_metadata_new();
    assert_code(sqlalc_metadata_reflect(md3, eng, &vo), SQLALC_ERR_NOT_FOUND);
    vo.views = 1;
    assert_ok(sqlalc_metadata_reflect(md3, eng, &vo));
    sqlalc_table *v = sqlalc_metadata_table(md3, "v_user");
    assert_non_null(v);
    assert_int_equal(sqlalc_table_column_count(v), 2);
    sqlalc_metadata_free(md3);
    test_exec(eng, "DROP VIEW v_user");

    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

static void test_fk_cycle(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    NEED_REFLECTION(eng);
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(sqlalc_table_new(
        md, "cyc_a", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("bid", sqlalc_type_integer(), 0,
                      sqlalc_foreign_key_ex("cyc_b.id", SQLALC_FK_OPTIONS(.name = "fk_cyc_a_b")))));
    assert_non_null(
        sqlalc_table_new(md, "cyc_b", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("aid", sqlalc_type_integer(), 0, sqlalc_foreign_key("cyc_a.id"))));
    assert_ok(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    assert_ok(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));
    assert_int_equal(exists(eng, "cyc_a"), 1);
    assert_int_equal(exists(eng, "cyc_b"), 1);
    /* both foreign keys are there */
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table(insp, NULL, "cyc_a", &ti));
    assert_int_equal(ti->nfks, 1);
    assert_string_equal(ti->fks[0].name, "fk_cyc_a_b");
    assert_ok(sqlalc_inspector_table(insp, NULL, "cyc_b", &ti));
    assert_int_equal(ti->nfks, 1);
    sqlalc_inspector_free(insp);
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    assert_int_equal(exists(eng, "cyc_a"), 0);
    sqlalc_metadata_free(md);

    /* a cycle of unnamed keys: fine inline on SQLite, an error elsewhere */
    md = sqlalc_metadata_new();
    assert_non_null(
        sqlalc_table_new(md, "cyc_a", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("bid", sqlalc_type_integer(), 0, sqlalc_foreign_key("cyc_b.id"))));
    assert_non_null(
        sqlalc_table_new(md, "cyc_b", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("aid", sqlalc_type_integer(), 0, sqlalc_foreign_key("cyc_a.id"))));
    int rc = sqlalc_metadata_create_all(md, eng, 0);
    if (test_dialect_is("sqlite")) {
        assert_ok(rc);
        assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    } else {
        assert_int_equal(rc, SQLALC_ERR_ARGUMENT);
        assert_non_null(strstr(sqlalc_errmsg(), "cycle"));
        assert_int_equal(exists(eng, "cyc_a"), 0);
    }
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

static void test_table_create_drop_has_table(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    NEED_REFLECTION(eng);
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t =
        sqlalc_table_new(md, "Test", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("Name", sqlalc_type_string(30), SQLALC_INDEX));
    assert_non_null(t);
    assert_ok(sqlalc_table_drop(t, eng, SQLALC_CHECKFIRST));
    assert_int_equal(exists(eng, "Test"), 0);
    assert_ok(sqlalc_table_create(t, eng, 0));
    assert_int_equal(exists(eng, "Test"), 1);
    assert_ok(sqlalc_table_create(t, eng, SQLALC_CHECKFIRST));
    /* mixed-case names were quoted and come back as written */
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table(insp, NULL, "Test", &ti));
    assert_string_equal(ti->columns[1].name, "Name");
    assert_int_equal(ti->nindexes, 1);
    assert_string_equal(ti->indexes[0].name, "ix_Test_Name");
    sqlalc_inspector_free(insp);
    assert_ok(sqlalc_table_drop(t, eng, 0));
    assert_int_equal(exists(eng, "Test"), 0);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

/* DDL alone, no reflection: create, use and drop every type and
 * constraint (what runs on a backend before its reflection lands). */
static void test_create_use_drop(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    sqlalc_metadata *md = build();
    if (can_reflect(eng))
        drop_ours(eng);
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    test_exec(eng, "INSERT INTO \"user\" (first_name) VALUES ('bob')");
    test_exec(eng, "INSERT INTO \"user\" (first_name) VALUES ('eve')");
    assert_int_equal(test_scalar(eng, "SELECT max(id) FROM \"user\""), 2);
    test_exec(eng, "INSERT INTO address (user_id, email) VALUES (2, 'e@x')");
    /* unique, FK and check constraints are enforced */
    assert_true(sqlalc_engine_execute_sql(eng, "INSERT INTO address (user_id, email) VALUES (1, 'e@x')", NULL,
                                          NULL) == SQLALC_ERR_INTEGRITY);
    assert_true(sqlalc_engine_execute_sql(eng,
                                          "INSERT INTO large (\"key\", created, amount) VALUES "
                                          "('n', '2024-01-01 00:00:00', -1)",
                                          NULL, NULL) == SQLALC_ERR_INTEGRITY);
    test_exec(eng, "INSERT INTO composite (a, b) VALUES (1, 'x')");
    test_exec(eng, "INSERT INTO child (ca, cb) VALUES (1, 'x')");
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    /* dropped for real: creating again works */
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

/* Reflection costs a fixed number of queries, whatever the number of
 * tables (the echo log counts the statements). */
static long nstatements;
static void count_stmt(void *ctx, const char *line)
{
    (void)ctx;
    if (line[0] != '[' && strncmp(line, "connected", 9))
        nstatements++;
}

static long reflect_cost(sqlalc_engine *eng, int ntables)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    char name[32], prev[40];
    for (int i = 0; i < ntables; i++) {
        snprintf(name, sizeof name, "scale_%03d", i);
        snprintf(prev, sizeof prev, "scale_%03d.id", i - 1);
        sqlalc_table *t =
            i ? sqlalc_table_new(
                    md, name, sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                    sqlalc_column("prev", sqlalc_type_integer(), SQLALC_INDEX, sqlalc_foreign_key(prev)),
                    sqlalc_column("label", sqlalc_type_string(20), SQLALC_UNIQUE))
              : sqlalc_table_new(md, name, sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY));
        assert_non_null(t);
    }
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    nstatements = 0;
    assert_ok(sqlalc_metadata_reflect(md2, eng, NULL));
    long cost = nstatements;
    for (int i = 0; i < ntables; i++) {
        snprintf(name, sizeof name, "scale_%03d", i);
        sqlalc_table *t = sqlalc_metadata_table(md2, name);
        assert_non_null(t);
        if (i) {
            snprintf(prev, sizeof prev, "scale_%03d", i - 1);
            assert_ptr_equal(sqlalc_table_fk_target(t, 0), sqlalc_metadata_table(md2, prev));
        }
    }
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md2);
    sqlalc_metadata_free(md);
    return cost;
}

static void test_reflection_query_count_is_fixed(void **state)
{
    (void)state;
    sqlalc_engine_options o = SQLALC_ENGINE_OPTIONS_INIT;
    o.echo = 1;
    o.log = count_stmt;
    sqlalc_engine *eng = NULL;
    assert_ok(sqlalc_engine_create(test_url(), &o, &eng));
    NEED_REFLECTION(eng);
    long few = reflect_cost(eng, 3), many = reflect_cost(eng, 60);
    printf("reflection statements: %ld for 3 tables, %ld for 60\n", few, many);
    assert_true(few > 0);
    assert_int_equal(few, many);
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_use_drop),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_reflect_subset_pulls_targets),
        cmocka_unit_test(test_fk_cycle),
        cmocka_unit_test(test_table_create_drop_has_table),
        cmocka_unit_test(test_reflection_query_count_is_fixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

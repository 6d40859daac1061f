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
    /* PostgreSQL lists the index behind a unique constraint, as
     * SQLAlchemy does, and spells double precision as SQLAlchemy does */
    if (test_dialect_is("postgresql")) {
        if (!strstr(buf, "\"duplicates_constraint\": \"address_email_key\"") ||
            !strstr(buf, "\"DOUBLE PRECISION\""))
            fail_msg("JSON lacks duplicates_constraint / DOUBLE PRECISION:\n%s", buf);
    } else
        assert_null(strstr(buf, "duplicates_constraint"));
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

/* ------------------------------------------------------------------ */
/* No fixed capacity: ten times the old caps (16 key columns, 256 enum */
/* labels, 600-byte keys), every backend                               */
/* ------------------------------------------------------------------ */

static sqlalc_table *reflect_one(sqlalc_metadata *md, sqlalc_engine *eng, const char *name)
{
    sqlalc_table *t = NULL;
    assert_ok(sqlalc_table_reflect(md, eng, NULL, name, &t));
    assert_non_null(t);
    return t;
}

static void test_wide_tables_and_keys(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE cap_wide");
    test_exec_quiet(eng, "DROP TABLE cap_key");
    /* 300 columns */
    sqlalc_schema_item *items[300];
    char name[32];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "c%03d", i);
        items[i] = sqlalc_column_new(name,
                                     i % 3 == 0   ? sqlalc_type_integer()
                                     : i % 3 == 1 ? sqlalc_type_string(10 + i)
                                                  : sqlalc_type_numeric(12, i % 7),
                                     i == 0 ? SQLALC_PRIMARY_KEY : 0, SQLALC_END);
    }
    sqlalc_metadata *md = sqlalc_metadata_new();
    assert_non_null(sqlalc_table_newv(md, "cap_wide", items, 300));
    /* a 40-column key in reverse column order (PostgreSQL refuses more
     * than 32 index columns: its error names the limit) */
    int keycols = test_dialect_is("postgresql") ? 32 : 40;
    sqlalc_schema_item *kitems[41];
    char pk[2048] = "";
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "k%02d", i);
        kitems[i] =
            sqlalc_column_new(name, i % 2 ? sqlalc_type_string(8) : sqlalc_type_integer(), 0, SQLALC_END);
    }
    for (int i = keycols - 1; i >= 0; i--) {
        snprintf(name, sizeof name, "%sk%02d", i == keycols - 1 ? "" : ", ", i);
        strcat(pk, name);
    }
    kitems[40] = sqlalc_pk_constraint("pk_cap_key", pk);
    assert_non_null(sqlalc_table_newv(md, "cap_key", kitems, 41));
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));

    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *w = reflect_one(md2, eng, "cap_wide");
    assert_int_equal(sqlalc_table_column_count(w), 300);
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "c%03d", i);
        const sqlalc_expr *c = sqlalc_table_column(w, (size_t)i);
        assert_string_equal(sqlalc_column_name(c), name);
        if (i % 3 == 1)
            assert_int_equal(sqlalc_type_length(sqlalc_column_type(c)), 10 + i);
        if (i % 3 == 2)
            assert_int_equal(sqlalc_type_scale(sqlalc_column_type(c)), i % 7);
    }
    /* inserted and read back through the reflected table */
    test_exec(eng, "INSERT INTO cap_wide (c000, c299) VALUES (1, 2.5)");
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM cap_wide WHERE c299 = 2.5"), 1);
    sqlalc_table *k = reflect_one(md2, eng, "cap_key");
    assert_int_equal(sqlalc_table_pk_count(k), (size_t)keycols);
    for (int i = 0; i < keycols; i++) {
        snprintf(name, sizeof name, "k%02d", keycols - 1 - i);
        assert_string_equal(sqlalc_column_name(sqlalc_table_pk_column(k, (size_t)i)), name);
    }
    sqlalc_metadata_free(md2);
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);

    if (test_dialect_is("postgresql")) {
        md = sqlalc_metadata_new();
        for (int i = 0; i < 40; i++) {
            snprintf(name, sizeof name, "k%02d", i);
            kitems[i] = sqlalc_column_new(name, sqlalc_type_integer(), SQLALC_PRIMARY_KEY, SQLALC_END);
        }
        assert_non_null(sqlalc_table_newv(md, "cap_key", kitems, 40));
        assert_true(sqlalc_metadata_create_all(md, eng, 0) != SQLALC_OK);
        if (!strstr(sqlalc_errmsg(), "32"))
            fail_msg("a 40-column key on PostgreSQL: the error should name the 32-column limit: %s",
                     sqlalc_errmsg());
        assert_int_equal(exists(eng, "cap_key"), 0);
        sqlalc_metadata_free(md);
    }
    sqlalc_engine_free(eng);
}

static void test_enum_of_1000_labels(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE cap_enum");
    if (test_dialect_is("postgresql"))
        test_exec_quiet(eng, "DROP TYPE cap_labels");
    static char labels[1000][16];
    const char *v[1000];
    for (int i = 0; i < 1000; i++) {
        snprintf(labels[i], sizeof labels[i], "label_%04d", 999 - i);
        v[i] = labels[i];
    }
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *t = sqlalc_table_new(
        md, "cap_enum", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column(
            "e", sqlalc_type_enum_ex("cap_labels", v, 1000, SQLALC_ENUM_OPTIONS(.create_constraint = 1)), 0));
    assert_non_null(t);
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    test_exec(eng, "INSERT INTO cap_enum (id, e) VALUES (1, 'label_0000')");
    assert_true(sqlalc_engine_execute_sql(eng, "INSERT INTO cap_enum (id, e) VALUES (2, 'label_1000')", NULL,
                                          NULL) != SQLALC_OK);
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *r = reflect_one(md2, eng, "cap_enum");
    const sqlalc_type *e = sqlalc_column_type(sqlalc_table_column_by_name(r, "e"));
    if (test_dialect_is("postgresql")) {
        /* the native type, every label in its order */
        assert_int_equal(sqlalc_type_get_kind(e), SQLALC_TYPE_ENUM);
        assert_int_equal(sqlalc_type_enum_count(e), 1000);
        for (size_t i = 0; i < 1000; i++)
            assert_string_equal(sqlalc_type_enum_value(e, i), labels[i]);
    } else {
        /* VARCHAR + the CHECK listing every label */
        assert_int_equal(sqlalc_type_length(e), 10);
        sqlalc_inspector *insp;
        const sqlalc_table_info *ti;
        assert_ok(sqlalc_inspector_new(eng, &insp));
        assert_ok(sqlalc_inspector_table(insp, NULL, "cap_enum", &ti));
        assert_int_equal(ti->nchecks, 1);
        assert_string_equal(ti->checks[0].name, "cap_labels");
        sqlalc_table_info *declared;
        assert_ok(sqlalc_table_describe(t, dialect_of(eng), &declared));
        if (test_dialect_is("sqlite"))
            assert_string_equal(ti->checks[0].sqltext, declared->checks[0].sqltext);
        assert_non_null(strstr(ti->checks[0].sqltext, "'label_0000'"));
        assert_non_null(strstr(ti->checks[0].sqltext, "'label_0999'"));
        sqlalc_table_info_free(declared);
        sqlalc_inspector_free(insp);
    }
    sqlalc_metadata_free(md2);
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
}

/* Identifiers as long as the database keeps (63 bytes on PostgreSQL,
 * SQLite has no limit: 300 bytes there) come back whole; one byte more is
 * an error naming the limit, not a silent truncation. */
static void test_long_identifiers(void **state)
{
    (void)state;
    sqlalc_engine *eng = test_engine();
    int pg = test_dialect_is("postgresql");
    size_t len = pg ? 63 : 300;
    char tname[400], cname[400], ixname[400], ukname[400], fkname[400], pname[400];
    memset(tname, 'T', len);
    tname[len] = 0;
    memcpy(tname, "lt_", 3);
    memset(cname, 'c', len);
    cname[len] = 0;
    memset(ixname, 'i', len);
    ixname[len] = 0;
    memset(ukname, 'u', len);
    ukname[len] = 0;
    memset(fkname, 'f', len);
    fkname[len] = 0;
    memset(pname, 'p', len);
    pname[len] = 0;
    memcpy(pname, "lp_", 3);
    sqlalc_metadata *md = sqlalc_metadata_new();
    char target[900];
    snprintf(target, sizeof target, "%s.id", pname);
    assert_non_null(
        sqlalc_table_new(md, pname, sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY)));
    assert_non_null(
        sqlalc_table_new(md, tname, sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column(cname, sqlalc_type_string(20), 0),
                         sqlalc_column("pid", sqlalc_type_integer(), 0,
                                       sqlalc_foreign_key_ex(target, SQLALC_FK_OPTIONS(.name = fkname))),
                         sqlalc_unique_constraint(ukname, cname), sqlalc_index(ixname, "pid", 0)));
    assert_ok(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table(insp, NULL, tname, &ti));
    assert_string_equal(ti->name, tname);
    assert_string_equal(ti->columns[1].name, cname);
    assert_int_equal(ti->nfks, 1);
    assert_string_equal(ti->fks[0].name, fkname);
    assert_string_equal(ti->fks[0].referred_table, pname);
    assert_int_equal(ti->nuniques, 1);
    assert_string_equal(ti->uniques[0].name, ukname);
    int found = 0;
    for (size_t i = 0; i < ti->nindexes; i++)
        found |= !strcmp(ti->indexes[i].name, ixname);
    assert_true(found);
    sqlalc_inspector_free(insp);
    /* the reflected MetaData links the long names */
    sqlalc_metadata *md2 = sqlalc_metadata_new();
    sqlalc_table *r = reflect_one(md2, eng, tname);
    assert_ptr_equal(sqlalc_table_fk_target(r, 0), sqlalc_metadata_table(md2, pname));
    sqlalc_metadata_free(md2);
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);
    if (pg) {
        char longer[80];
        memset(longer, 'x', 64);
        longer[64] = 0;
        md = sqlalc_metadata_new();
        assert_non_null(sqlalc_table_new(md, "lt_short", sqlalc_column(longer, sqlalc_type_integer(), 0)));
        assert_code(sqlalc_metadata_create_all(md, eng, 0), SQLALC_ERR_ARGUMENT);
        if (!strstr(sqlalc_errmsg(), "64 bytes") || !strstr(sqlalc_errmsg(), "63 bytes"))
            fail_msg("the error should name the length and PostgreSQL's limit: %s", sqlalc_errmsg());
        assert_int_equal(exists(eng, "lt_short"), 0);
        sqlalc_metadata_free(md);
    }
    sqlalc_engine_free(eng);
}

/* ------------------------------------------------------------------ */
/* Round trips: a real schema reflected, dropped, created again from  */
/* the reflected MetaData, inspected again: the same, field by field  */
/* ------------------------------------------------------------------ */

#define SAME_STR(what, x, y)                                                                  \
    do {                                                                                      \
        if (!streq((x), (y)))                                                                 \
            fail_msg("%s: %s was %s, after the round trip %s", ctx, what, (x) ? (x) : "NULL", \
                     (y) ? (y) : "NULL");                                                     \
    } while (0)
#define SAME_INT(what, x, y)                                                                  \
    do {                                                                                      \
        if ((long long)(x) != (long long)(y))                                                 \
            fail_msg("%s: %s was %lld, after the round trip %lld", ctx, what, (long long)(x), \
                     (long long)(y));                                                         \
    } while (0)

static void same_names(const char *ctx, const char *what, const sqlalc_strlist *a, const sqlalc_strlist *b)
{
    SAME_INT(what, a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        SAME_STR(what, a->items[i], b->items[i]);
}

/* Two inspections of one table, every field the inspector reports. */
static void same_table(const sqlalc_table_info *a, const sqlalc_table_info *b)
{
    char ctx[512];
    snprintf(ctx, sizeof ctx, "table %s", a->name);
    SAME_STR("comment", a->comment, b->comment);
    SAME_INT("sqlite_autoincrement", a->sqlite_autoincrement, b->sqlite_autoincrement);
    SAME_STR("partition_by", a->partition_by, b->partition_by);
    SAME_STR("partition_of", a->partition_of, b->partition_of);
    SAME_STR("partition_bound", a->partition_bound, b->partition_bound);
    SAME_INT("column count", a->ncolumns, b->ncolumns);
    for (size_t i = 0; i < a->ncolumns; i++) {
        const sqlalc_column_info *x = &a->columns[i], *y = &b->columns[i];
        snprintf(ctx, sizeof ctx, "%s.%s", a->name, x->name);
        SAME_STR("name", x->name, y->name);
        SAME_STR("type", x->type_sql, y->type_sql);
        if (!sqlalc_type_equal(x->type, y->type))
            fail_msg("%s: the library type differs (%s)", ctx, x->type_sql);
        SAME_INT("nullable", x->nullable, y->nullable);
        SAME_STR("default", x->default_sql, y->default_sql);
        SAME_INT("autoincrement", x->autoincrement, y->autoincrement);
        SAME_INT("primary key position", x->pk_position, y->pk_position);
        SAME_STR("comment", x->comment, y->comment);
        SAME_INT("identity", x->identity.present, y->identity.present);
        SAME_INT("identity always", x->identity.always, y->identity.always);
        SAME_INT("identity start", x->identity.start, y->identity.start);
        SAME_INT("identity increment", x->identity.increment, y->identity.increment);
        SAME_INT("identity minvalue", x->identity.minvalue, y->identity.minvalue);
        SAME_INT("identity maxvalue", x->identity.maxvalue, y->identity.maxvalue);
        SAME_INT("identity cache", x->identity.cache, y->identity.cache);
        SAME_INT("identity cycle", x->identity.cycle, y->identity.cycle);
        SAME_STR("sequence", x->sequence, y->sequence);
        SAME_INT("serial", x->serial, y->serial);
        SAME_STR("domain", x->domain, y->domain);
    }
    snprintf(ctx, sizeof ctx, "table %s", a->name);
    SAME_STR("primary key name", a->pk.name, b->pk.name);
    same_names(ctx, "primary key", &a->pk.columns, &b->pk.columns);
    SAME_INT("foreign key count", a->nfks, b->nfks);
    for (size_t i = 0; i < a->nfks; i++) {
        const sqlalc_fk_info *x = &a->fks[i], *y = &b->fks[i];
        SAME_STR("foreign key name", x->name, y->name);
        same_names(ctx, "foreign key columns", &x->columns, &y->columns);
        SAME_STR("referred schema", x->referred_schema, y->referred_schema);
        SAME_STR("referred table", x->referred_table, y->referred_table);
        same_names(ctx, "referred columns", &x->referred_columns, &y->referred_columns);
        SAME_STR("ON DELETE", x->ondelete, y->ondelete);
        SAME_STR("ON UPDATE", x->onupdate, y->onupdate);
    }
    SAME_INT("index count", a->nindexes, b->nindexes);
    for (size_t i = 0; i < a->nindexes; i++) {
        const sqlalc_index_info *x = &a->indexes[i], *y = &b->indexes[i];
        snprintf(ctx, sizeof ctx, "table %s, index %s", a->name, x->name);
        SAME_STR("name", x->name, y->name);
        SAME_INT("unique", x->unique, y->unique);
        same_names(ctx, "columns", &x->columns, &y->columns);
        SAME_INT("elements", x->nelements, y->nelements);
        for (size_t k = 0; k < x->nelements; k++) {
            SAME_STR("element column", x->elements[k].column, y->elements[k].column);
            SAME_STR("element expression", x->elements[k].expression, y->elements[k].expression);
            SAME_STR("element sorting", x->elements[k].sorting, y->elements[k].sorting);
            SAME_STR("element opclass", x->elements[k].opclass, y->elements[k].opclass);
        }
        SAME_STR("method", x->method, y->method);
        SAME_STR("where", x->where, y->where);
        same_names(ctx, "include", &x->include, &y->include);
        SAME_STR("with", x->with, y->with);
        SAME_STR("duplicates_constraint", x->duplicates_constraint, y->duplicates_constraint);
        SAME_INT("inherited", x->inherited, y->inherited);
    }
    snprintf(ctx, sizeof ctx, "table %s", a->name);
    SAME_INT("unique constraint count", a->nuniques, b->nuniques);
    for (size_t i = 0; i < a->nuniques; i++) {
        SAME_STR("unique constraint name", a->uniques[i].name, b->uniques[i].name);
        same_names(ctx, "unique constraint columns", &a->uniques[i].columns, &b->uniques[i].columns);
    }
    SAME_INT("check count", a->nchecks, b->nchecks);
    for (size_t i = 0; i < a->nchecks; i++) {
        SAME_STR("check name", a->checks[i].name, b->checks[i].name);
        SAME_STR("check text", a->checks[i].sqltext, b->checks[i].sqltext);
    }
}

static void same_schema(const sqlalc_schema_info *a, const sqlalc_schema_info *b, const char *const *tables,
                        size_t ntables)
{
    char ctx[256];
    for (size_t i = 0; i < ntables; i++) {
        const sqlalc_table_info *x = sqlalc_schema_info_find(a, NULL, tables[i]);
        const sqlalc_table_info *y = sqlalc_schema_info_find(b, NULL, tables[i]);
        if (!x)
            fail_msg("table %s was not reflected", tables[i]);
        if (!y)
            fail_msg("table %s is missing after the round trip", tables[i]);
        same_table(x, y);
    }
    snprintf(ctx, sizeof ctx, "schema");
    SAME_INT("sequence count", a->nsequences, b->nsequences);
    for (size_t i = 0; i < a->nsequences; i++) {
        const sqlalc_sequence_info *x = &a->sequences[i], *y = &b->sequences[i];
        snprintf(ctx, sizeof ctx, "sequence %s", x->name);
        SAME_STR("name", x->name, y->name);
        SAME_STR("data type", x->data_type, y->data_type);
        SAME_INT("start", x->start, y->start);
        SAME_INT("increment", x->increment, y->increment);
        SAME_INT("minvalue", x->minvalue, y->minvalue);
        SAME_INT("maxvalue", x->maxvalue, y->maxvalue);
        SAME_INT("cache", x->cache, y->cache);
        SAME_INT("cycle", x->cycle, y->cycle);
        SAME_STR("owner table", x->owner_table, y->owner_table);
        SAME_STR("owner column", x->owner_column, y->owner_column);
        SAME_INT("identity", x->identity, y->identity);
    }
    snprintf(ctx, sizeof ctx, "schema");
    SAME_INT("domain count", a->ndomains, b->ndomains);
    for (size_t i = 0; i < a->ndomains; i++) {
        const sqlalc_domain_info *x = &a->domains[i], *y = &b->domains[i];
        snprintf(ctx, sizeof ctx, "domain %s", x->name);
        SAME_STR("name", x->name, y->name);
        SAME_STR("type", x->type_sql, y->type_sql);
        SAME_INT("nullable", x->nullable, y->nullable);
        SAME_STR("default", x->default_sql, y->default_sql);
        SAME_INT("check count", x->nchecks, y->nchecks);
        for (size_t k = 0; k < x->nchecks; k++) {
            SAME_STR("check name", x->checks[k].name, y->checks[k].name);
            SAME_STR("check text", x->checks[k].sqltext, y->checks[k].sqltext);
        }
    }
}

static void exec_script(sqlalc_engine *eng, const char *const *stmts)
{
    for (size_t i = 0; stmts[i]; i++)
        test_exec(eng, stmts[i]);
}

/* Reflect the named tables, drop them with drop_all of the reflected
 * MetaData (types, domains, sequences too), create them again with
 * create_all, and compare the inspections before and after. */
static void round_trip(sqlalc_engine *eng, const char *const *tables, size_t ntables,
                       void (*use)(sqlalc_engine *eng))
{
    sqlalc_inspector *before, *after;
    const sqlalc_schema_info *a, *b;
    assert_ok(sqlalc_inspector_new(eng, &before));
    assert_ok(sqlalc_inspector_tables(before, NULL, &a));
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_reflect_options o = SQLALC_REFLECT_OPTIONS_INIT;
    o.only = tables;
    o.nonly = ntables;
    assert_ok(sqlalc_metadata_reflect(md, eng, &o));
    assert_int_equal(sqlalc_metadata_table_count(md), ntables);
    /* the database is empty of them afterwards */
    assert_ok(sqlalc_metadata_drop_all(md, eng, 0));
    for (size_t i = 0; i < ntables; i++)
        if (exists(eng, tables[i]))
            fail_msg("drop_all of the reflected MetaData left %s", tables[i]);
    {
        sqlalc_inspector *mid;
        const sqlalc_schema_info *m;
        assert_ok(sqlalc_inspector_new(eng, &mid));
        assert_ok(sqlalc_inspector_tables(mid, NULL, &m));
        if (m->nsequences || m->ndomains)
            fail_msg("drop_all left %zu sequences (%s) and %zu domains", m->nsequences,
                     m->nsequences ? m->sequences[0].name : "", m->ndomains);
        sqlalc_inspector_free(mid);
    }
    char *script = NULL;
    assert_ok(sqlalc_metadata_create_script(md, dialect_of(eng), &script));
    if (getenv("SQLALC_TEST_VERBOSE"))
        printf("%s", script);
    sqlalc_free(script);
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));
    assert_ok(sqlalc_inspector_new(eng, &after));
    assert_ok(sqlalc_inspector_tables(after, NULL, &b));
    same_schema(a, b, tables, ntables);
    sqlalc_inspector_free(after);
    sqlalc_inspector_free(before);
    if (use)
        use(eng);
    /* and once more from the recreated schema: stable */
    assert_ok(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    sqlalc_metadata_free(md);
}

/* A DVD-rental-like PostgreSQL schema: domains, an enum, an explicitly
 * shared sequence, SERIAL (alone and inside composite keys), identity,
 * partitions, expression / partial / gist indexes, comments, and the
 * type zoo (json and jsonb, double precision, real, character(n),
 * timestamp(3), arrays, tsvector, bit strings, money, inet, uuid …). */
static const char *const pg_cleanup[] = {
    "DROP TABLE IF EXISTS rt_payment, rt_film_actor, rt_film, rt_actor, rt_language, rt_customer, rt_zoo CASCADE",
    "DROP DOMAIN IF EXISTS rt_year, rt_email CASCADE", "DROP TYPE IF EXISTS rt_mpaa_rating CASCADE",
    "DROP SEQUENCE IF EXISTS rt_shared_id_seq, rt_loose_seq CASCADE", NULL
};
static const char *const pg_schema[] = {
    "CREATE DOMAIN rt_year AS integer CONSTRAINT rt_year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)",
    "CREATE DOMAIN rt_email AS varchar(254) DEFAULT 'x@y' NOT NULL CHECK (VALUE LIKE '%@%')",
    "CREATE TYPE rt_mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17')",
    "CREATE SEQUENCE rt_shared_id_seq START WITH 100 INCREMENT BY 10",
    "CREATE SEQUENCE rt_loose_seq AS smallint MINVALUE 5 MAXVALUE 500 CYCLE CACHE 3",
    "CREATE TABLE rt_language (language_id serial PRIMARY KEY, name character(20) NOT NULL, "
    "last_update timestamp without time zone DEFAULT now() NOT NULL)",
    "CREATE TABLE rt_actor (actor_id integer DEFAULT nextval('rt_shared_id_seq'::regclass) NOT NULL, "
    "first_name varchar(45) NOT NULL, \"Last Name\" varchar(45) NOT NULL, CONSTRAINT rt_actor_pkey PRIMARY KEY (actor_id))",
    "CREATE TABLE rt_film (film_id integer DEFAULT nextval('rt_shared_id_seq'::regclass) NOT NULL, "
    "title varchar(255) NOT NULL, description text, release_year rt_year, "
    "language_id integer NOT NULL REFERENCES rt_language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT, "
    "rental_rate numeric(4,2) DEFAULT 4.99 NOT NULL, length smallint, "
    "rating rt_mpaa_rating DEFAULT 'G'::rt_mpaa_rating, special_features text[], fulltext tsvector NOT NULL, "
    "CONSTRAINT rt_film_pkey PRIMARY KEY (film_id), CONSTRAINT rt_film_title_key UNIQUE (title), "
    "CONSTRAINT rt_film_length_check CHECK (length > 0))",
    "COMMENT ON TABLE rt_film IS 'films, with their own sequence'",
    "COMMENT ON COLUMN rt_film.title IS 'as released'",
    "CREATE INDEX rt_film_fulltext_idx ON rt_film USING gist (fulltext)",
    "CREATE INDEX rt_idx_lower_title ON rt_film (lower(title), length DESC NULLS LAST) INCLUDE (rating) "
    "WITH (fillfactor = 70) WHERE length > 60",
    "CREATE UNIQUE INDEX rt_idx_title_pattern ON rt_film (title varchar_pattern_ops, release_year NULLS FIRST)",
    "CREATE TABLE rt_film_actor (actor_id integer NOT NULL REFERENCES rt_actor, film_id integer NOT NULL "
    "REFERENCES rt_film ON DELETE CASCADE, seq serial, extra_seq serial, PRIMARY KEY (actor_id, film_id, seq))",
    "CREATE TABLE rt_customer (customer_id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 5 INCREMENT BY 2) "
    "PRIMARY KEY, email rt_email, active boolean DEFAULT true NOT NULL, create_date date DEFAULT CURRENT_DATE NOT NULL, "
    "badge bigint GENERATED ALWAYS AS IDENTITY (MAXVALUE 9000 CYCLE), UNIQUE (email))",
    "CREATE TABLE rt_payment (payment_id serial, customer_id integer NOT NULL REFERENCES rt_customer, "
    "amount numeric(5,2) NOT NULL, payment_date timestamp NOT NULL, PRIMARY KEY (payment_date, payment_id)) "
    "PARTITION BY RANGE (payment_date)",
    "CREATE TABLE rt_payment_p2022_01 PARTITION OF rt_payment FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')",
    "CREATE TABLE rt_payment_p2022_02 PARTITION OF rt_payment FOR VALUES FROM ('2022-02-01') TO ('2022-03-01')",
    "CREATE INDEX rt_idx_fk_payment_customer ON rt_payment (customer_id)",
    "CREATE TABLE rt_zoo (id bigserial PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n numeric, n10 numeric(10), "
    "n12 numeric(12,2), r real, dp double precision, f float, money money, vc varchar, vc9 character varying(9), "
    "c character, c5 character(5), t text, b boolean DEFAULT false, by bytea, d date, tm time, tmtz time with time zone, "
    "tm0 time(0) without time zone, ts timestamp, ts3 timestamp(3) with time zone, iv interval, "
    "ivd interval day to second, u uuid, j json, jb jsonb, ip inet, cidr cidr, mac macaddr, bits bit(8), "
    "vbits bit varying(16), ia integer[], va varchar(3)[], x xml, pt point, tsv tsvector, "
    "loose smallint DEFAULT nextval('rt_loose_seq'::regclass))",
    NULL
};
static const char *const pg_tables[] = { "rt_language",        "rt_actor",   "rt_film", "rt_film_actor",
                                         "rt_customer",        "rt_payment", "rt_zoo",  "rt_payment_p2022_01",
                                         "rt_payment_p2022_02" };

/* The recreated schema works: the shared sequence feeds both tables (from
 * 100 by 10), serials inside composite keys and identities generate,
 * domains and the enum check, rows go to their partitions. */
static void use_pg_schema(sqlalc_engine *eng)
{
    test_exec(eng, "INSERT INTO rt_language (name) VALUES ('English')");
    test_exec(eng, "INSERT INTO rt_actor (first_name, \"Last Name\") VALUES ('Penelope', 'Guiness')");
    test_exec(eng, "INSERT INTO rt_film (title, language_id, fulltext, release_year) "
                   "VALUES ('Academy Dinosaur', 1, to_tsvector('academy dinosaur'), 2006)");
    assert_int_equal(test_scalar(eng, "SELECT actor_id FROM rt_actor"), 100);
    assert_int_equal(test_scalar(eng, "SELECT film_id FROM rt_film"), 110);
    test_exec(eng, "INSERT INTO rt_film_actor (actor_id, film_id) VALUES (100, 110)");
    test_exec(eng, "INSERT INTO rt_film_actor (actor_id, film_id) VALUES (100, 110)");
    assert_int_equal(test_scalar(eng, "SELECT max(seq) FROM rt_film_actor"), 2);
    assert_true(sqlalc_engine_execute_sql(eng,
                                          "INSERT INTO rt_film (title, language_id, fulltext, release_year) "
                                          "VALUES ('x', 1, to_tsvector('x'), 1800)",
                                          NULL, NULL) == SQLALC_ERR_INTEGRITY);
    assert_true(sqlalc_engine_execute_sql(eng,
                                          "INSERT INTO rt_film (title, language_id, fulltext, rating) "
                                          "VALUES ('y', 1, to_tsvector('y'), 'XXX')",
                                          NULL, NULL) != SQLALC_OK);
    test_exec(eng, "INSERT INTO rt_customer (email) VALUES ('a@b')");
    test_exec(eng, "INSERT INTO rt_customer (email) VALUES ('c@d')");
    assert_int_equal(test_scalar(eng, "SELECT max(customer_id) FROM rt_customer"), 7);
    assert_true(sqlalc_engine_execute_sql(eng, "INSERT INTO rt_customer (email) VALUES ('nope')", NULL,
                                          NULL) == SQLALC_ERR_INTEGRITY);
    test_exec(eng,
              "INSERT INTO rt_payment (customer_id, amount, payment_date) VALUES (5, 1.99, '2022-02-03')");
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM rt_payment_p2022_02"), 1);
    assert_int_equal(test_scalar(eng, "SELECT nextval('rt_loose_seq')"), 5);
}

/* Every allocation of building the MetaData from reflected infos and
 * writing its DDL (sequences, domains, identity, index elements,
 * partitions, variants) failed in turn: no crash, no leak, an error. */
static void model_workload(const sqlalc_schema_info *si, const char *const *tables, size_t n,
                           const sqlalc_dialect *d, int *rc_out)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    int rc = md ? SQLALC_OK : SQLALC_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        const sqlalc_table_info *ti = sqlalc_schema_info_find(si, NULL, tables[i]);
        rc = ti ? sqlalc_table_from_info(md, ti, NULL) : SQLALC_ERR_NOT_FOUND;
    }
    char *script = NULL;
    if (!rc)
        rc = sqlalc_metadata_create_script(md, d, &script);
    sqlalc_free(script);
    script = NULL;
    if (!rc)
        rc = sqlalc_metadata_drop_script(md, d, &script);
    sqlalc_free(script);
    for (size_t i = 0; i < sqlalc_metadata_table_count(md) && !rc; i++) {
        sqlalc_table_info *ti = NULL;
        rc = sqlalc_table_describe(sqlalc_metadata_table_at(md, i), d, &ti);
        sqlalc_table_info_free(ti);
    }
    sqlalc_metadata_free(md);
    *rc_out = rc;
}

static void fault_inject_model(sqlalc_engine *eng, const char *const *tables, size_t n)
{
    sqlalc_inspector *insp;
    const sqlalc_schema_info *si;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_tables(insp, NULL, &si));
    const sqlalc_dialect *d = dialect_of(eng);
    int rc;
    failalloc_install();
    failalloc_fail_at(0);
    model_workload(si, tables, n, d, &rc);
    assert_ok(rc);
    long total = failalloc_count();
    for (long k = 1; k <= total; k++) {
        failalloc_fail_at(k);
        model_workload(si, tables, n, d, &rc);
        if (failalloc_failed() && rc == SQLALC_OK)
            fail_msg("allocation %ld of %ld failed but the workload succeeded", k, total);
        if (failalloc_live() != 0)
            fail_msg("leak after failing allocation %ld: %ld blocks live", k, failalloc_live());
    }
    failalloc_uninstall();
    printf("%s: %ld allocations of the reflected model failed in turn, no leak\n", test_backend(), total);
    sqlalc_inspector_free(insp);
}

/* A Chinook-like SQLite schema (the music-store sample's spellings:
 * NVARCHAR, NUMERIC(10,2), quoted mixed-case names) and SQLite's type zoo:
 * declared types come back as written, defaults (expressions too),
 * AUTOINCREMENT, expression and partial indexes, named constraints. */
static const char *const sqlite_cleanup[] = { "DROP TABLE IF EXISTS \"RtPlaylistTrack\"",
                                              "DROP TABLE IF EXISTS \"RtTrack\"",
                                              "DROP TABLE IF EXISTS \"RtAlbum\"",
                                              "DROP TABLE IF EXISTS \"RtArtist\"",
                                              "DROP TABLE IF EXISTS rt_zoo",
                                              NULL };
static const char *const sqlite_schema[] = {
    "CREATE TABLE \"RtArtist\" (\"ArtistId\" INTEGER NOT NULL, \"Name\" NVARCHAR(120), "
    "CONSTRAINT \"PK_Artist\" PRIMARY KEY (\"ArtistId\"))",
    "CREATE TABLE \"RtAlbum\" (\"AlbumId\" INTEGER PRIMARY KEY AUTOINCREMENT, \"Title\" NVARCHAR(160) NOT NULL, "
    "\"ArtistId\" INTEGER NOT NULL, FOREIGN KEY (\"ArtistId\") REFERENCES \"RtArtist\" (\"ArtistId\") "
    "ON DELETE NO ACTION ON UPDATE NO ACTION)",
    "CREATE TABLE \"RtTrack\" (\"TrackId\" INTEGER NOT NULL PRIMARY KEY, \"Name\" NVARCHAR(200) NOT NULL, "
    "\"AlbumId\" INTEGER, \"Composer\" NVARCHAR(220), \"Milliseconds\" INTEGER NOT NULL, \"Bytes\" INTEGER, "
    "\"UnitPrice\" NUMERIC(10,2) NOT NULL DEFAULT 0.99, "
    "CONSTRAINT \"FK_TrackAlbumId\" FOREIGN KEY (\"AlbumId\") REFERENCES \"RtAlbum\" (\"AlbumId\") ON DELETE CASCADE, "
    "CHECK (\"Milliseconds\" > 0))",
    "CREATE INDEX \"IFK_TrackAlbumId\" ON \"RtTrack\" (\"AlbumId\")",
    "CREATE INDEX ix_track_lower ON \"RtTrack\" (lower(\"Name\") COLLATE NOCASE, \"Bytes\" DESC) "
    "WHERE \"Bytes\" IS NOT NULL",
    "CREATE UNIQUE INDEX ix_track_composer ON \"RtTrack\" (\"Composer\", \"Name\" DESC)",
    "CREATE INDEX ix_track_ms ON \"RtTrack\" (\"Milliseconds\") WHERE (\"Milliseconds\" > 1000) AND \"Bytes\" > 0",
    "CREATE TABLE \"RtPlaylistTrack\" (\"PlaylistId\" INTEGER NOT NULL, \"TrackId\" INTEGER NOT NULL, "
    "CONSTRAINT \"PK_PlaylistTrack\" PRIMARY KEY (\"PlaylistId\", \"TrackId\"), "
    "CONSTRAINT \"FK_PlaylistTrackTrackId\" FOREIGN KEY (\"TrackId\") REFERENCES \"RtTrack\" (\"TrackId\"))",
    "CREATE TABLE rt_zoo (id INT PRIMARY KEY, a TINYINT, b SMALLINT, c BIGINT, d REAL, e DOUBLE, "
    "f DOUBLE PRECISION, g FLOAT, h NUMERIC(12,2), i DECIMAL(10, 3), j BOOLEAN, k VARCHAR(10), l NVARCHAR(20), "
    "m CHAR(5), n NCHAR(6), o TEXT, p CLOB, q BLOB, r DATE, s DATETIME, t TIMESTAMP, u TIME, v JSON, w, "
    "x integer, y unsigned big int, z varying character(30), "
    "created DATETIME DEFAULT CURRENT_TIMESTAMP, upd DATETIME DEFAULT (datetime('now')), "
    "flag INTEGER DEFAULT 0 NOT NULL, neg REAL DEFAULT -1.5, label VARCHAR(10) DEFAULT 'it''s', "
    "sum_ INTEGER DEFAULT (1 + 2), raw BLOB DEFAULT X'00FF', "
    "CONSTRAINT uq_zoo_kl UNIQUE (k, l), CONSTRAINT ck_zoo CHECK (b >= 0))",
    NULL
};
static const char *const sqlite_tables[] = { "RtArtist", "RtAlbum", "RtTrack", "RtPlaylistTrack", "rt_zoo" };

static void use_sqlite_schema(sqlalc_engine *eng)
{
    test_exec(eng, "INSERT INTO \"RtArtist\" (\"Name\") VALUES ('AC/DC')");
    test_exec(eng, "INSERT INTO \"RtAlbum\" (\"Title\", \"ArtistId\") VALUES ('Let There Be Rock', 1)");
    test_exec(
        eng,
        "INSERT INTO \"RtTrack\" (\"Name\", \"AlbumId\", \"Milliseconds\") VALUES ('Overdose', 1, 369319)");
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM \"RtTrack\" WHERE \"UnitPrice\" = 0.99"), 1);
    test_exec(eng, "INSERT INTO rt_zoo (id) VALUES (1)");
    assert_int_equal(test_scalar(eng, "SELECT sum_ + flag FROM rt_zoo"), 3);
    assert_int_equal(
        test_scalar(eng, "SELECT count(*) FROM rt_zoo WHERE upd IS NOT NULL AND label = 'it''s'"), 1);
    /* the declared types are what the sample declared */
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM pragma_table_info('RtTrack') "
                                      "WHERE type IN ('NVARCHAR(200)', 'NUMERIC(10,2)')"),
                     2);
}

static void test_roundtrip_sqlite_schema(void **state)
{
    (void)state;
    if (!test_dialect_is("sqlite")) {
        printf("not SQLite: skipped here (the PostgreSQL schema runs instead)\n");
        return;
    }
    sqlalc_engine *eng = test_engine();
    exec_script(eng, sqlite_cleanup);
    exec_script(eng, sqlite_schema);
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table(insp, NULL, "RtTrack", &ti));
    assert_string_equal(ti->columns[1].type_sql, "NVARCHAR(200)");
    assert_int_equal(sqlalc_type_get_kind(ti->columns[1].type), SQLALC_TYPE_UNICODE);
    assert_int_equal(sqlalc_type_precision(ti->columns[6].type), 10);
    assert_int_equal(sqlalc_type_scale(ti->columns[6].type), 2);
    int partial = 0;
    for (size_t i = 0; i < ti->nindexes; i++)
        if (!strcmp(ti->indexes[i].name, "ix_track_lower")) {
            partial = 1;
            assert_string_equal(ti->indexes[i].where, "\"Bytes\" IS NOT NULL");
            assert_null(ti->indexes[i].elements[0].column);
            assert_string_equal(ti->indexes[i].elements[0].expression, "lower(\"Name\") COLLATE NOCASE");
            assert_string_equal(ti->indexes[i].elements[1].sorting, "DESC");
        }
    assert_true(partial);
    assert_ok(sqlalc_inspector_table(insp, NULL, "rt_zoo", &ti));
    assert_string_equal(ti->columns[13].type_sql, "CHAR(5)");
    assert_int_equal(sqlalc_type_get_kind(ti->columns[13].type), SQLALC_TYPE_CHAR);
    assert_int_equal(sqlalc_type_get_kind(ti->columns[14].type), SQLALC_TYPE_NCHAR);
    assert_int_equal(sqlalc_type_get_kind(ti->columns[5].type), SQLALC_TYPE_DOUBLE);
    assert_int_equal(ti->columns[0].autoincrement, 0); /* INT PRIMARY KEY is not the rowid */
    for (size_t i = 0; i < ti->ncolumns; i++)
        if (!strcmp(ti->columns[i].name, "upd"))
            assert_string_equal(ti->columns[i].default_sql, "(datetime('now'))");
    sqlalc_inspector_free(insp);

    if (!test_via_odbc())
        fault_inject_model(eng, sqlite_tables, sizeof sqlite_tables / sizeof sqlite_tables[0]);
    round_trip(eng, sqlite_tables, sizeof sqlite_tables / sizeof sqlite_tables[0], use_sqlite_schema);
    exec_script(eng, sqlite_cleanup);
    sqlalc_engine_free(eng);
}

static void test_roundtrip_postgresql_schema(void **state)
{
    (void)state;
    if (!test_dialect_is("postgresql")) {
        printf("not PostgreSQL: skipped here (the SQLite schema runs instead)\n");
        return;
    }
    sqlalc_engine *eng = test_engine();
    exec_script(eng, pg_cleanup);
    exec_script(eng, pg_schema);
    /* what reflection reports, before anything is recreated */
    sqlalc_inspector *insp;
    const sqlalc_table_info *ti;
    assert_ok(sqlalc_inspector_new(eng, &insp));
    assert_ok(sqlalc_inspector_table(insp, NULL, "rt_film", &ti));
    assert_string_equal(ti->columns[3].type_sql, "INTEGER"); /* a domain: its base type, as SQLAlchemy */
    assert_string_equal(ti->columns[3].domain, "rt_year");
    assert_int_equal(sqlalc_type_get_kind(ti->columns[3].type), SQLALC_TYPE_DOMAIN);
    assert_string_equal(ti->columns[0].sequence, "rt_shared_id_seq");
    assert_int_equal(ti->columns[0].serial, 0);
    int have_dup = 0;
    for (size_t i = 0; i < ti->nindexes; i++)
        if (ti->indexes[i].duplicates_constraint) {
            have_dup = 1;
            assert_string_equal(ti->indexes[i].duplicates_constraint, "rt_film_title_key");
        }
    assert_true(have_dup);
    assert_ok(sqlalc_inspector_table(insp, NULL, "rt_zoo", &ti));
    for (size_t i = 0; i < ti->ncolumns; i++) {
        const sqlalc_column_info *c = &ti->columns[i];
        if (!strcmp(c->name, "dp"))
            assert_string_equal(c->type_sql, "DOUBLE PRECISION");
        if (!strcmp(c->name, "r"))
            assert_string_equal(c->type_sql, "REAL");
        if (!strcmp(c->name, "f")) /* float is double precision in PostgreSQL */
            assert_string_equal(c->type_sql, "DOUBLE PRECISION");
        if (!strcmp(c->name, "j"))
            assert_string_equal(c->type_sql, "JSON");
        if (!strcmp(c->name, "jb"))
            assert_string_equal(c->type_sql, "JSONB");
        if (!strcmp(c->name, "c5"))
            assert_string_equal(c->type_sql, "CHAR(5)");
        if (!strcmp(c->name, "ts3"))
            assert_string_equal(c->type_sql, "TIMESTAMP(3) WITH TIME ZONE");
    }
    assert_ok(sqlalc_inspector_table(insp, NULL, "rt_film_actor", &ti));
    assert_int_equal(ti->columns[2].serial, 1);
    assert_int_equal(ti->columns[2].autoincrement, 1);
    sqlalc_inspector_free(insp);

    if (!test_via_odbc())
        fault_inject_model(eng, pg_tables, sizeof pg_tables / sizeof pg_tables[0]);
    round_trip(eng, pg_tables, sizeof pg_tables / sizeof pg_tables[0], use_pg_schema);
    exec_script(eng, pg_cleanup);
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
        cmocka_unit_test(test_wide_tables_and_keys),
        cmocka_unit_test(test_enum_of_1000_labels),
        cmocka_unit_test(test_long_identifiers),
        cmocka_unit_test(test_roundtrip_postgresql_schema),
        cmocka_unit_test(test_roundtrip_sqlite_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Conformance suite: the ORM (mappers, session, unit of work, identity
 * map, queries, relationships, cascades, automap).  Runs once per backend;
 * statement counts are asserted through the engine's events.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

struct dept {
    int64_t id;
    char *name;
    sqlalc_orm_list employees; /* one-to-many, back: emp.dept */
    sqlalc_orm_list members;   /* many-to-many through orm_emp_dept, back: emp.depts */
};

struct emp {
    int64_t id;
    char *name;
    int64_t dept_id;
    int dept_id_null;
    double salary;
    int salary_null;
    int active;
    int active_null;         /* NULL at insert: the column's client default applies */
    struct dept *dept;       /* many-to-one */
    sqlalc_orm_list depts;   /* many-to-many */
    struct profile *profile; /* one-to-one (key on the profile) */
};

struct profile {
    int64_t id;
    int64_t emp_id;
    int emp_id_null;
    char *bio;
    struct emp *emp; /* many-to-one, back: emp.profile */
};

struct pair {
    int k1;
    char *k2;
    char *v;
};

static const sqlalc_orm_field dept_fields[] = {
    SQLALC_ORM_FIELD(struct dept, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct dept, name, SQLALC_ORM_TEXT, "name"),
};
static const sqlalc_orm_field emp_fields[] = {
    SQLALC_ORM_FIELD(struct emp, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct emp, name, SQLALC_ORM_TEXT, "name"),
    SQLALC_ORM_FIELD_NULL(struct emp, dept_id, dept_id_null, SQLALC_ORM_INT64, "dept_id"),
    SQLALC_ORM_FIELD_NULL(struct emp, salary, salary_null, SQLALC_ORM_DOUBLE, "salary"),
    SQLALC_ORM_FIELD_NULL(struct emp, active, active_null, SQLALC_ORM_BOOL, "active"),
};
static const sqlalc_orm_field profile_fields[] = {
    SQLALC_ORM_FIELD(struct profile, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD_NULL(struct profile, emp_id, emp_id_null, SQLALC_ORM_INT64, "emp_id"),
    SQLALC_ORM_FIELD(struct profile, bio, SQLALC_ORM_TEXT, "bio"),
};
static const sqlalc_orm_field pair_fields[] = {
    SQLALC_ORM_FIELD(struct pair, k1, SQLALC_ORM_INT, "k1"),
    SQLALC_ORM_FIELD(struct pair, k2, SQLALC_ORM_TEXT, "k2"),
    SQLALC_ORM_FIELD(struct pair, v, SQLALC_ORM_TEXT, "v"),
};

static sqlalc_engine *eng;
static sqlalc_metadata *md;
static sqlalc_table *t_dept, *t_emp, *t_profile, *t_emp_dept, *t_pair;
static sqlalc_orm_registry *reg;
static sqlalc_orm_mapper *Dept, *Emp, *Profile, *Pair;

/* Statements the engine ran, by their first word. */
static int n_select, n_insert, n_update, n_delete, n_total;
static int count_stmt(void *ctx, const sqlalc_event *ev)
{
    (void)ctx;
    const char *sql = ev->sql ? ev->sql : "";
    while (*sql == ' ' || *sql == '\n')
        sql++;
    n_total++;
    if (getenv("ORM_TRACE"))
        fprintf(stderr, "SQL: %s\n", sql);
    if (!strncmp(sql, "SELECT", 6))
        n_select++;
    else if (!strncmp(sql, "INSERT", 6))
        n_insert++;
    else if (!strncmp(sql, "UPDATE", 6))
        n_update++;
    else if (!strncmp(sql, "DELETE", 6))
        n_delete++;
    return SQLALC_OK;
}
/* INSERTs a flush of `objects` new objects of `mappers` mappers runs: one
 * multi-row INSERT … RETURNING per mapper, or, where the driver gives no
 * rows back from it (sqliteodbc), one tried in a savepoint and then one
 * INSERT per object. */
static int inserts_for(int mappers, int objects)
{
    return strcmp(test_backend(), "odbc_sqlite") ? mappers : 1 + objects;
}

static void reset_counts(void)
{
    n_select = n_insert = n_update = n_delete = n_total = 0;
}

static void drop_all(void)
{
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_emp_dept");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_profile");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_emp");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_dept");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_pair");
}

static int setup(void **state)
{
    (void)state;
    eng = test_engine();
    drop_all();
    md = sqlalc_metadata_new();
    t_dept = sqlalc_table_new(md, "orm_dept", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                              sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL));
    t_emp = sqlalc_table_new(
        md, "orm_emp", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("name", sqlalc_type_string(50), SQLALC_NOT_NULL),
        sqlalc_column("dept_id", sqlalc_type_integer(), 0, sqlalc_foreign_key("orm_dept.id")),
        sqlalc_column("salary", sqlalc_type_float(), 0),
        sqlalc_column("active", sqlalc_type_boolean(), 0, sqlalc_opt_default(SQLALC_BOOLV(1))));
    t_profile = sqlalc_table_new(
        md, "orm_profile", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("emp_id", sqlalc_type_integer(), SQLALC_UNIQUE, sqlalc_foreign_key("orm_emp.id")),
        sqlalc_column("bio", sqlalc_type_text(), 0, sqlalc_opt_server_default("none yet")));
    t_emp_dept = sqlalc_table_new(
        md, "orm_emp_dept",
        sqlalc_column("emp_id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY, sqlalc_foreign_key("orm_emp.id")),
        sqlalc_column("dept_id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY,
                      sqlalc_foreign_key("orm_dept.id")));
    t_pair = sqlalc_table_new(
        md, "orm_pair",
        sqlalc_column("k1", sqlalc_type_integer(), SQLALC_PRIMARY_KEY | SQLALC_NO_AUTOINCREMENT),
        sqlalc_column("k2", sqlalc_type_string(20), SQLALC_PRIMARY_KEY),
        sqlalc_column("v", sqlalc_type_string(20), 0));
    if (!t_dept || !t_emp || !t_profile || !t_emp_dept || !t_pair)
        fail_msg("tables: %s", sqlalc_errmsg());
    assert_ok(sqlalc_metadata_create_all(md, eng, 0));

    reg = sqlalc_orm_registry_new();
    Dept = sqlalc_orm_map(reg, "Dept", t_dept, sizeof(struct dept), dept_fields, 2);
    Emp = sqlalc_orm_map(reg, "Emp", t_emp, sizeof(struct emp), emp_fields, 5);
    Profile = sqlalc_orm_map(reg, "Profile", t_profile, sizeof(struct profile), profile_fields, 3);
    Pair = sqlalc_orm_map(reg, "Pair", t_pair, sizeof(struct pair), pair_fields, 3);
    if (!Dept || !Emp || !Profile || !Pair)
        fail_msg("map: %s", sqlalc_errmsg());
    sqlalc_orm_rel_options o = { SQLALC_ORM_REL_OPTIONS_VERSION, NULL, "dept", 0, NULL };
    assert_ok(sqlalc_orm_relationship(Dept, "employees", SQLALC_ORM_ONE_TO_MANY, Emp,
                                      offsetof(struct dept, employees), &o));
    o.back_populates = "employees";
    assert_ok(
        sqlalc_orm_relationship(Emp, "dept", SQLALC_ORM_MANY_TO_ONE, Dept, offsetof(struct emp, dept), &o));
    o.secondary = t_emp_dept;
    o.back_populates = "members";
    assert_ok(sqlalc_orm_relationship(Emp, "depts", SQLALC_ORM_MANY_TO_MANY, Dept,
                                      offsetof(struct emp, depts), &o));
    o.back_populates = "depts";
    assert_ok(sqlalc_orm_relationship(Dept, "members", SQLALC_ORM_MANY_TO_MANY, Emp,
                                      offsetof(struct dept, members), &o));
    o.secondary = NULL;
    o.back_populates = "emp";
    o.cascade = SQLALC_ORM_CASCADE_SAVE | SQLALC_ORM_CASCADE_DELETE | SQLALC_ORM_CASCADE_DELETE_ORPHAN;
    assert_ok(sqlalc_orm_relationship(Emp, "profile", SQLALC_ORM_ONE_TO_ONE, Profile,
                                      offsetof(struct emp, profile), &o));
    o.back_populates = "profile";
    o.cascade = 0;
    assert_ok(sqlalc_orm_relationship(Profile, "emp", SQLALC_ORM_MANY_TO_ONE, Emp,
                                      offsetof(struct profile, emp), &o));
    assert_ok(sqlalc_event_listen(eng, SQLALC_EVENT_MASK(SQLALC_EVENT_BEFORE_EXECUTE), count_stmt, NULL));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlalc_orm_registry_free(reg);
    drop_all();
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
    return 0;
}

static void clear_tables(void)
{
    test_exec(eng, "DELETE FROM orm_emp_dept");
    test_exec(eng, "DELETE FROM orm_profile");
    test_exec(eng, "DELETE FROM orm_emp");
    test_exec(eng, "DELETE FROM orm_dept");
    test_exec(eng, "DELETE FROM orm_pair");
}

static sqlalc_session *new_session(void)
{
    sqlalc_session *s;
    assert_ok(sqlalc_session_new(eng, &s));
    return s;
}

static struct emp *new_emp(sqlalc_session *s, const char *name)
{
    struct emp *e = sqlalc_session_new_object(s, Emp);
    assert_non_null(e);
    e->name = sqlalc_orm_strdup(name);
    e->dept_id_null = 1;
    e->salary_null = 1;
    e->active_null = 1;
    return e;
}

static struct dept *new_dept(sqlalc_session *s, const char *name)
{
    struct dept *d = sqlalc_session_new_object(s, Dept);
    assert_non_null(d);
    d->name = sqlalc_orm_strdup(name);
    return d;
}

/* ------------------------------------------------------------------ */

static void test_insert_batched_keys_read_back(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct emp *e[50];
    for (int i = 0; i < 50; i++) {
        char name[16];
        snprintf(name, sizeof name, "e%02d", i);
        e[i] = new_emp(s, name);
    }
    e[3]->salary = 1234.5;
    e[3]->salary_null = 0;
    reset_counts();
    assert_ok(sqlalc_session_commit(s));
    /* every object of one mapper in one statement (or one per object only
     * where the dialect has no RETURNING) */
    assert_int_equal(n_insert, inserts_for(1, 50));
    for (int i = 0; i < 50; i++) {
        assert_true(e[i]->id > 0);
        if (i)
            assert_true(e[i]->id != e[i - 1]->id);
        assert_int_equal(e[i]->active, 1); /* the client default */
    }
    /* the keys read back are the rows' keys */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT salary FROM orm_emp WHERE id = %lld", (long long)e[3]->id);
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(eng, sql, NULL, &res));
    sqlalc_value v;
    assert_ok(sqlalc_result_scalar_one(res, &v));
    assert_true(v.type == SQLALC_V_FLOAT || v.type == SQLALC_V_NUMERIC || v.type == SQLALC_V_INT);
    double d;
    assert_ok(sqlalc_value_get_double(&v, &d));
    assert_true(d == 1234.5);
    sqlalc_result_free(res);
    snprintf(sql, sizeof sql, "SELECT name FROM orm_emp WHERE id = %lld", (long long)e[49]->id);
    assert_ok(sqlalc_engine_execute_sql(eng, sql, NULL, &res));
    const sqlalc_row *row;
    assert_ok(sqlalc_result_one(res, &row));
    assert_string_equal(sqlalc_row_text(row, 0), "e49");
    sqlalc_result_free(res);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp"), 50);
    sqlalc_session_free(s);
}

static void test_client_keys_use_executemany(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    for (int i = 0; i < 30; i++) {
        struct pair *p = sqlalc_session_new_object(s, Pair);
        p->k1 = i % 3;
        char k2[8];
        snprintf(k2, sizeof k2, "k%d", i);
        p->k2 = sqlalc_orm_strdup(k2);
        p->v = sqlalc_orm_strdup("v");
    }
    reset_counts();
    assert_ok(sqlalc_session_commit(s));
    assert_true(n_insert >= 1 && n_insert <= 2); /* one executemany (its batches) */
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_pair"), 30);
    /* composite key get: from the identity map, no SQL */
    reset_counts();
    void *o;
    sqlalc_value key[2] = { SQLALC_INTV(1), SQLALC_TEXTV("k4") };
    assert_ok(sqlalc_session_get(s, Pair, key, 2, &o));
    assert_int_equal(n_total, 0);
    assert_string_equal(((struct pair *)o)->k2, "k4");
    sqlalc_session_free(s);

    /* a new session reads it from the database, then remembers it */
    s = new_session();
    reset_counts();
    void *o2, *o3;
    assert_ok(sqlalc_session_get(s, Pair, key, 2, &o2));
    assert_int_equal(n_select, 1);
    assert_ok(sqlalc_session_get(s, Pair, key, 2, &o3));
    assert_int_equal(n_select, 1);
    assert_ptr_equal(o2, o3);
    sqlalc_value missing[2] = { SQLALC_INTV(9), SQLALC_TEXTV("zz") };
    assert_code(sqlalc_session_get(s, Pair, missing, 2, &o3), SQLALC_DONE);
    assert_null(o3);
    assert_code(sqlalc_session_get(s, Pair, key, 1, &o3), SQLALC_ERR_ARGUMENT);
    sqlalc_session_free(s);
}

static void test_identity_map_and_change_detection(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct emp *ann = new_emp(s, "ann");
    (void)new_emp(s, "bob");
    assert_ok(sqlalc_session_commit(s));
    int64_t ann_id = ann->id;
    sqlalc_session_free(s); /* and ann with it */

    s = new_session();
    void *a1, *a2;
    assert_ok(sqlalc_orm_query_one(
        sqlalc_orm_query_filter_by(sqlalc_session_query(s, Emp), "name", SQLALC_TEXTV("ann")), &a1));
    sqlalc_value k = SQLALC_INTV(ann_id);
    assert_ok(sqlalc_session_get(s, Emp, &k, 1, &a2));
    assert_ptr_equal(a1, a2); /* same object for the same key */
    struct emp *a = a1;
    assert_string_equal(a->name, "ann");
    assert_true(a->salary_null);
    assert_false(sqlalc_orm_is_modified(a));
    /* plain assignment is enough */
    sqlalc_free(a->name);
    a->name = sqlalc_orm_strdup("anne");
    a->salary = 10.25;
    a->salary_null = 0;
    assert_true(sqlalc_orm_is_modified(a));
    reset_counts();
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(n_update, 1);
    assert_int_equal(n_insert, 0);
    assert_false(sqlalc_orm_is_modified(a));
    reset_counts();
    assert_ok(sqlalc_session_commit(s)); /* nothing changed: nothing runs */
    assert_int_equal(n_total, 0);
    sqlalc_session_free(s);

    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM orm_emp WHERE name = 'anne' AND salary = 10.25 AND id = %lld",
             (long long)ann_id);
    assert_int_equal(test_scalar(eng, sql), 1);
}

static void test_filter_one_first_all_count(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    const char *names[] = { "cy", "al", "bo", "di" };
    for (int i = 0; i < 4; i++) {
        struct emp *e = new_emp(s, names[i]);
        e->salary = 100.0 * (i + 1);
        e->salary_null = 0;
    }
    assert_ok(sqlalc_session_commit(s));
    sqlalc_session_free(s);

    s = new_session();
    void *o = NULL;
    assert_code(sqlalc_orm_query_one(
                    sqlalc_orm_query_filter(sqlalc_session_query(s, Emp),
                                            sqlalc_gt(sqlalc_orm_col(Emp, "salary"), sqlalc_float(150))),
                    &o),
                SQLALC_ERR_MULTIPLE_RESULTS);
    assert_null(o);
    assert_non_null(strstr(sqlalc_errmsg(), "multiple"));
    assert_code(
        sqlalc_orm_query_one(
            sqlalc_orm_query_filter_by(sqlalc_session_query(s, Emp), "name", SQLALC_TEXTV("zed")), &o),
        SQLALC_ERR_NO_RESULT);
    assert_code(
        sqlalc_orm_query_one_or_none(
            sqlalc_orm_query_filter_by(sqlalc_session_query(s, Emp), "name", SQLALC_TEXTV("zed")), &o),
        SQLALC_DONE);
    assert_null(o);
    assert_ok(sqlalc_orm_query_one_or_none(
        sqlalc_orm_query_filter_by(sqlalc_session_query(s, Emp), "name", SQLALC_TEXTV("bo")), &o));
    assert_string_equal(((struct emp *)o)->name, "bo");
    assert_ok(sqlalc_orm_query_first(
        sqlalc_orm_query_order_by(sqlalc_session_query(s, Emp),
                                  SQLALC_EXPRS(sqlalc_desc(sqlalc_orm_col(Emp, "name")))),
        &o));
    assert_string_equal(((struct emp *)o)->name, "di");
    sqlalc_orm_list l = { 0 };
    assert_ok(sqlalc_orm_query_all(
        sqlalc_orm_query_limit(sqlalc_orm_query_order_by(sqlalc_session_query(s, Emp),
                                                         SQLALC_EXPRS(sqlalc_orm_col(Emp, "name"))),
                               3),
        &l));
    assert_int_equal(l.count, 3);
    assert_string_equal(((struct emp *)l.items[0])->name, "al");
    assert_string_equal(((struct emp *)l.items[2])->name, "cy");
    sqlalc_orm_list_clear(&l);
    int64_t n;
    assert_ok(sqlalc_orm_query_count(
        sqlalc_orm_query_filter(sqlalc_session_query(s, Emp),
                                sqlalc_lt(sqlalc_orm_col(Emp, "salary"), sqlalc_float(350))),
        &n));
    assert_int_equal(n, 3);
    /* a bad column surfaces once, at the end of the chain */
    assert_code(
        sqlalc_orm_query_all(sqlalc_orm_query_filter(sqlalc_session_query(s, Emp),
                                                     sqlalc_eq(sqlalc_orm_col(Emp, "nmae"), sqlalc_int(1))),
                             &l),
        SQLALC_ERR_NOT_FOUND);
    sqlalc_session_free(s);
}

static void test_fk_order_insert_and_delete(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    /* added child first: the flush still writes the parents first */
    struct profile *p = sqlalc_session_new_object(s, Profile);
    p->bio = sqlalc_orm_strdup("likes C");
    struct emp *e = new_emp(s, "eve");
    struct dept *d = new_dept(s, "R&D");
    assert_ok(sqlalc_orm_set_related(p, "emp", e));
    assert_ptr_equal(e->profile, p); /* back-reference in step */
    assert_ok(sqlalc_orm_set_related(e, "dept", d));
    assert_int_equal(d->employees.count, 1);
    assert_ptr_equal(d->employees.items[0], e);
    assert_ok(sqlalc_session_commit(s));
    assert_true(d->id > 0 && e->id > 0 && p->id > 0);
    assert_int_equal(e->dept_id, d->id);
    assert_int_equal(p->emp_id, e->id);
    int64_t d_id = d->id;
    sqlalc_session_free(s);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_profile p JOIN orm_emp e ON p.emp_id = e.id "
                                      "JOIN orm_dept d ON e.dept_id = d.id WHERE d.name = 'R&D'"),
                     1);

    /* delete all three in one flush: children first */
    s = new_session();
    sqlalc_orm_list l = { 0 };
    assert_ok(sqlalc_orm_query_all(sqlalc_session_query(s, Dept), &l));
    assert_int_equal(l.count, 1);
    struct dept *d2 = l.items[0];
    sqlalc_orm_list_clear(&l);
    assert_ok(sqlalc_orm_query_all(sqlalc_session_query(s, Emp), &l));
    struct emp *e2 = l.items[0];
    sqlalc_orm_list_clear(&l);
    assert_ok(sqlalc_session_delete(s, d2));
    assert_ok(sqlalc_session_delete(s, e2)); /* cascades to its profile */
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_profile"), 0);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp"), 0);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_dept"), 0);
    void *gone;
    sqlalc_value k = SQLALC_INTV(d_id);
    assert_code(sqlalc_session_get(s, Dept, &k, 1, &gone), SQLALC_DONE);
    sqlalc_session_free(s);
}

static void test_rollback_discards(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct emp *e = new_emp(s, "fay");
    assert_ok(sqlalc_session_commit(s));
    int64_t id = e->id;

    sqlalc_free(e->name);
    e->name = sqlalc_orm_strdup("changed");
    struct emp *n = new_emp(s, "new");
    assert_ok(sqlalc_session_flush(s)); /* written in the open transaction */
    assert_true(n->id > 0);
    assert_ok(sqlalc_session_rollback(s));
    assert_string_equal(e->name, "fay"); /* the committed value */
    assert_int_equal(e->id, id);
    assert_int_equal(n->id, 0); /* transient again, its key forgotten */
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp"), 1);
    /* a failed flush rolls back and keeps the objects pending */
    struct emp *bad = new_emp(s, "x");
    sqlalc_free(bad->name);
    bad->name = NULL; /* NOT NULL column */
    int rc = sqlalc_session_commit(s);
    assert_true(rc == SQLALC_ERR_INTEGRITY || rc < 0);
    assert_int_equal(bad->id, 0);
    bad->name = sqlalc_orm_strdup("fixed");
    assert_ok(sqlalc_session_commit(s));
    assert_true(bad->id > 0);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp"), 2);
    sqlalc_session_free(s);
}

static void test_many_to_one_one_to_many_lazy_and_selectin(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    for (int i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "d%d", i);
        struct dept *d = new_dept(s, name);
        for (int j = 0; j < 4; j++) {
            char en[8];
            snprintf(en, sizeof en, "e%d%d", i, j);
            struct emp *e = sqlalc_orm_new(Emp); /* transient: joins by cascade */
            e->name = sqlalc_orm_strdup(en);
            e->salary_null = 1;
            assert_ok(sqlalc_orm_append(d, "employees", e));
            assert_ptr_equal(e->dept, d);
        }
    }
    reset_counts();
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(n_insert, inserts_for(2, 15)); /* one per mapper */
    sqlalc_session_free(s);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp WHERE dept_id IS NOT NULL"), 12);

    /* lazy: one query per access, none once loaded */
    s = new_session();
    sqlalc_orm_list depts = { 0 };
    assert_ok(sqlalc_orm_query_all(
        sqlalc_orm_query_order_by(sqlalc_session_query(s, Dept), SQLALC_EXPRS(sqlalc_orm_col(Dept, "name"))),
        &depts));
    assert_int_equal(depts.count, 3);
    struct dept *d0 = depts.items[0];
    assert_false(sqlalc_orm_is_loaded(d0, "employees"));
    reset_counts();
    sqlalc_orm_list *emps;
    assert_ok(sqlalc_orm_related(d0, "employees", &emps, NULL));
    assert_int_equal(n_select, 1);
    assert_int_equal(emps->count, 4);
    assert_ptr_equal(emps, &d0->employees);
    assert_ok(sqlalc_orm_related(d0, "employees", &emps, NULL));
    assert_int_equal(n_select, 1);
    /* the many-to-one back-reference came with it: no query */
    struct emp *e0 = d0->employees.items[0];
    void *back;
    assert_ok(sqlalc_orm_related(e0, "dept", NULL, &back));
    assert_ptr_equal(back, d0);
    assert_int_equal(n_select, 1);
    sqlalc_orm_list_clear(&depts);
    sqlalc_session_free(s);

    /* select-in: one extra query for the whole result */
    s = new_session();
    reset_counts();
    assert_ok(
        sqlalc_orm_query_all(sqlalc_orm_query_selectin(sqlalc_session_query(s, Dept), "employees"), &depts));
    assert_int_equal(n_select, 2);
    size_t total = 0;
    for (size_t i = 0; i < depts.count; i++) {
        struct dept *d = depts.items[i];
        assert_true(sqlalc_orm_is_loaded(d, "employees"));
        total += d->employees.count;
        for (size_t j = 0; j < d->employees.count; j++)
            assert_ptr_equal(((struct emp *)d->employees.items[j])->dept, d);
    }
    assert_int_equal(total, 12);
    assert_int_equal(n_select, 2);
    sqlalc_orm_list_clear(&depts);
    sqlalc_session_free(s);

    /* many-to-one select-in, and lazy from the identity map */
    s = new_session();
    sqlalc_orm_list emps2 = { 0 };
    reset_counts();
    assert_ok(sqlalc_orm_query_all(sqlalc_orm_query_selectin(sqlalc_session_query(s, Emp), "dept"), &emps2));
    assert_int_equal(emps2.count, 12);
    assert_int_equal(n_select, 2);
    for (size_t i = 0; i < emps2.count; i++) {
        struct emp *e = emps2.items[i];
        assert_non_null(e->dept);
        assert_int_equal(e->dept->id, e->dept_id);
    }
    sqlalc_orm_list_clear(&emps2);
    sqlalc_session_free(s);

    s = new_session();
    assert_ok(sqlalc_orm_query_all(sqlalc_session_query(s, Dept), &depts));
    assert_ok(sqlalc_orm_query_all(sqlalc_session_query(s, Emp), &emps2));
    reset_counts();
    for (size_t i = 0; i < emps2.count; i++)
        assert_ok(sqlalc_orm_load(emps2.items[i], "dept"));
    assert_int_equal(n_select, 0); /* every department was in the identity map */
    sqlalc_orm_list_clear(&depts);
    sqlalc_orm_list_clear(&emps2);
    sqlalc_session_free(s);
}

static void test_move_remove_and_delete_parent(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct dept *a = new_dept(s, "a"), *b = new_dept(s, "b");
    struct emp *x = new_emp(s, "x"), *y = new_emp(s, "y");
    assert_ok(sqlalc_orm_append(a, "employees", x));
    assert_ok(sqlalc_orm_append(a, "employees", y));
    assert_ok(sqlalc_session_commit(s));
    /* moving x: set its many-to-one, both collections follow */
    assert_ok(sqlalc_orm_set_related(x, "dept", b));
    assert_int_equal(a->employees.count, 1);
    assert_int_equal(b->employees.count, 1);
    /* removing y from a: its key goes NULL */
    assert_ok(sqlalc_orm_remove(a, "employees", y));
    assert_null(y->dept);
    assert_ok(sqlalc_session_commit(s));
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM orm_emp WHERE dept_id = %lld", (long long)b->id);
    assert_int_equal(test_scalar(eng, sql), 1);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp WHERE dept_id IS NULL"), 1);
    /* deleting a parent without a delete cascade: children keep living, key NULL */
    assert_ok(sqlalc_session_delete(s, b));
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp WHERE dept_id IS NULL"), 2);
    assert_true(x->dept_id_null);
    sqlalc_session_free(s);
}

static void test_one_to_one_cascades(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct emp *e = new_emp(s, "gil");
    struct profile *p = sqlalc_orm_new(Profile);
    assert_ok(sqlalc_orm_set_related(e, "profile", p));
    assert_ptr_equal(p->emp, e);
    assert_ok(sqlalc_session_commit(s));
    assert_true(p->id > 0);
    assert_string_equal(p->bio, "none yet"); /* the server default, read back */
    int64_t e_id = e->id;
    sqlalc_session_free(s);

    s = new_session();
    void *o;
    sqlalc_value k = SQLALC_INTV(e_id);
    assert_ok(sqlalc_session_get(s, Emp, &k, 1, &o));
    reset_counts();
    void *po;
    assert_ok(sqlalc_orm_related(o, "profile", NULL, &po));
    assert_int_equal(n_select, 1);
    assert_non_null(po);
    assert_string_equal(((struct profile *)po)->bio, "none yet");
    /* clearing the profile orphans it: delete-orphan deletes it.  (As in
     * SQLAlchemy, a flush INSERTs before it DELETEs, so a replacement
     * under a UNIQUE key is flushed after the old one is gone.) */
    assert_ok(sqlalc_orm_set_related(o, "profile", NULL));
    reset_counts();
    assert_ok(sqlalc_session_flush(s));
    assert_int_equal(n_delete, 1);
    struct profile *p2 = sqlalc_orm_new(Profile);
    p2->bio = sqlalc_orm_strdup("second");
    assert_ok(sqlalc_orm_set_related(o, "profile", p2));
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_profile"), 1);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_profile WHERE bio = 'second'"), 1);
    /* deleting the employee deletes its profile (delete cascade) */
    assert_ok(sqlalc_session_delete(s, o));
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_profile"), 0);
    sqlalc_session_free(s);
}

static void test_many_to_many(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct dept *it = new_dept(s, "IT"), *fin = new_dept(s, "Financial");
    struct emp *dave = new_emp(s, "dave"), *mary = new_emp(s, "mary");
    assert_ok(sqlalc_orm_append(it, "members", dave));
    assert_ok(sqlalc_orm_append(fin, "members", mary));
    assert_ok(sqlalc_orm_append(mary, "depts", it)); /* from the other side */
    assert_int_equal(mary->depts.count, 2);
    assert_int_equal(it->members.count, 2); /* back-reference in step */
    assert_ptr_equal(dave->depts.items[0], it);
    reset_counts();
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp_dept"), 3);
    sqlalc_session_free(s);

    /* lazy, both ways */
    s = new_session();
    void *m;
    assert_ok(sqlalc_orm_query_one(
        sqlalc_orm_query_filter_by(sqlalc_session_query(s, Emp), "name", SQLALC_TEXTV("mary")), &m));
    reset_counts();
    sqlalc_orm_list *ds;
    assert_ok(sqlalc_orm_related(m, "depts", &ds, NULL));
    assert_int_equal(n_select, 1);
    assert_int_equal(ds->count, 2);
    struct dept *d0 = ds->items[0];
    assert_ok(sqlalc_orm_related(d0, "members", &ds, NULL));
    assert_int_equal(n_select, 2);
    /* employees in more than one department: join + group by + having */
    sqlalc_orm_list l = { 0 };
    assert_ok(sqlalc_orm_query_all(
        sqlalc_orm_query_having(
            sqlalc_orm_query_group_by(
                sqlalc_orm_query_join(sqlalc_session_query(s, Emp), sqlalc_table_expr(t_emp_dept), NULL),
                SQLALC_EXPRS(sqlalc_orm_col(Emp, "id"), sqlalc_orm_col(Emp, "name"),
                             sqlalc_orm_col(Emp, "dept_id"), sqlalc_orm_col(Emp, "salary"),
                             sqlalc_orm_col(Emp, "active"))),
            sqlalc_gt(sqlalc_count_star(), sqlalc_int(1))),
        &l));
    assert_int_equal(l.count, 1);
    assert_ptr_equal(l.items[0], m);
    sqlalc_orm_list_clear(&l);

    /* remove: the association row goes, the other side follows */
    struct emp *mary2 = m;
    struct dept *first = mary2->depts.items[0];
    assert_ok(sqlalc_orm_remove(mary2, "depts", first));
    for (size_t i = 0; i < first->members.count; i++)
        assert_ptr_not_equal(first->members.items[i], mary2);
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp_dept"), 2);
    sqlalc_session_free(s);

    /* select-in over the secondary: one more query for all */
    s = new_session();
    sqlalc_orm_list depts = { 0 };
    reset_counts();
    assert_ok(
        sqlalc_orm_query_all(sqlalc_orm_query_selectin(sqlalc_session_query(s, Dept), "members"), &depts));
    assert_int_equal(n_select, 2);
    size_t pairs = 0;
    for (size_t i = 0; i < depts.count; i++)
        pairs += ((struct dept *)depts.items[i])->members.count;
    assert_int_equal(pairs, 2);
    /* deleting a department deletes its association rows */
    for (size_t i = 0; i < depts.count; i++)
        if (!strcmp(((struct dept *)depts.items[i])->name, "IT"))
            assert_ok(sqlalc_session_delete(s, depts.items[i]));
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_emp_dept"), 1);
    assert_int_equal(test_scalar(eng, "SELECT count(*) FROM orm_dept"), 1);
    sqlalc_orm_list_clear(&depts);
    sqlalc_session_free(s);
}

static void test_generic_access_and_errors(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    void *e = sqlalc_session_new_object(s, Emp);
    assert_ok(sqlalc_orm_set(e, "name", SQLALC_TEXTV("gen")));
    assert_ok(sqlalc_orm_set(e, "salary", SQLALC_INTV(5)));
    assert_ok(sqlalc_orm_set(e, "dept_id", SQLALC_NULLV));
    assert_code(sqlalc_orm_set(e, "nope", SQLALC_INTV(1)), SQLALC_ERR_NOT_FOUND);
    assert_code(sqlalc_orm_set(e, "salary", SQLALC_TEXTV("abc")), SQLALC_ERR_TYPE);
    assert_ok(sqlalc_session_commit(s));
    assert_true(sqlalc_orm_get_int64(e, "id") > 0);
    assert_string_equal(sqlalc_orm_get_text(e, "name"), "gen");
    sqlalc_value v;
    assert_ok(sqlalc_orm_get(e, "salary", &v));
    assert_int_equal(v.type, SQLALC_V_FLOAT);
    assert_true(v.u.f == 5.0);
    assert_ok(sqlalc_orm_get(e, "dept_id", &v));
    assert_int_equal(v.type, SQLALC_V_NULL);
    assert_ptr_equal(sqlalc_orm_mapper_of(e), Emp);
    /* mapping errors name the problem */
    static const sqlalc_orm_field bad[] = { SQLALC_ORM_FIELD(struct dept, name, SQLALC_ORM_TEXT, "name") };
    assert_null(sqlalc_orm_map(reg, "Bad", t_dept, sizeof(struct dept), bad, 1));
    assert_non_null(strstr(sqlalc_errmsg(), "primary key column id is not mapped"));
    sqlalc_orm_mapper *D2 = sqlalc_orm_registry_mapper(reg, "Dept2"); /* no objects yet */
    if (!D2)
        D2 = sqlalc_orm_map(reg, "Dept2", t_dept, sizeof(struct dept), dept_fields, 2);
    assert_non_null(D2);
    assert_code(sqlalc_orm_relationship(D2, "x", SQLALC_ORM_MANY_TO_ONE, Pair, 0, NULL), SQLALC_ERR_ARGUMENT);
    assert_non_null(strstr(sqlalc_errmsg(), "no foreign key"));
    /* relationships come before objects */
    assert_code(
        sqlalc_orm_relationship(Emp, "late", SQLALC_ORM_MANY_TO_ONE, Dept, offsetof(struct emp, dept), NULL),
        SQLALC_ERR_INTERFACE);
    /* an object of another session */
    sqlalc_session *s2 = new_session();
    assert_code(sqlalc_session_add(s2, e), SQLALC_ERR_INTERFACE);
    sqlalc_session_free(s2);
    /* a transient object is the caller's to free */
    void *t = sqlalc_orm_new(Dept);
    assert_ok(sqlalc_orm_set(t, "name", SQLALC_TEXTV("tmp")));
    sqlalc_orm_free(t);
    sqlalc_session_free(s);
}

static void test_any_select_and_more_selectin(void **state)
{
    (void)state;
    clear_tables();
    sqlalc_session *s = new_session();
    struct dept *it = new_dept(s, "IT"), *hr = new_dept(s, "HR");
    for (int i = 0; i < 6; i++) {
        char n[8];
        snprintf(n, sizeof n, "w%d", i);
        struct emp *e = new_emp(s, n);
        e->salary = 10.0 * i;
        e->salary_null = 0;
        assert_ok(sqlalc_orm_append(i % 2 ? it : hr, "employees", e));
        assert_ok(sqlalc_orm_append(e, "depts", it));
        if (i < 2) {
            struct profile *p = sqlalc_orm_new(Profile);
            p->bio = sqlalc_orm_strdup(n);
            assert_ok(sqlalc_orm_set_related(e, "profile", p));
        }
    }
    assert_ok(sqlalc_session_commit(s));
    sqlalc_session_free(s);

    /* any SELECT built on the mapper's columns: join, where, order, limit */
    s = new_session();
    sqlalc_stmt *sel = sqlalc_orm_select(Emp);
    sel = sqlalc_select_from(
        sel, sqlalc_join(sqlalc_table_expr(t_emp), sqlalc_table_expr(t_dept), SQLALC_JOIN_INNER));
    sel = sqlalc_where(sel, sqlalc_eq(sqlalc_c(t_dept, "name"), sqlalc_str("IT")));
    sel = sqlalc_order_by(sel, SQLALC_EXPRS(sqlalc_desc(sqlalc_orm_col(Emp, "salary"))));
    sel = sqlalc_limit(sel, 2);
    sqlalc_orm_list l = { 0 };
    assert_ok(sqlalc_session_scalars(s, Emp, sel, &l));
    assert_int_equal(l.count, 2);
    assert_string_equal(((struct emp *)l.items[0])->name, "w5");
    assert_string_equal(((struct emp *)l.items[1])->name, "w3");
    sqlalc_orm_list_clear(&l);
    sqlalc_session_free(s);

    /* one-to-one and many-to-many select-in from the employees' side */
    s = new_session();
    reset_counts();
    assert_ok(
        sqlalc_orm_query_all(sqlalc_orm_query_selectin(
                                 sqlalc_orm_query_selectin(sqlalc_session_query(s, Emp), "profile"), "depts"),
                             &l));
    assert_int_equal(n_select, 3);
    assert_int_equal(l.count, 6);
    int with_profile = 0;
    for (size_t i = 0; i < l.count; i++) {
        struct emp *e = l.items[i];
        assert_true(sqlalc_orm_is_loaded(e, "profile") && sqlalc_orm_is_loaded(e, "depts"));
        if (e->profile) {
            with_profile++;
            assert_ptr_equal(e->profile->emp, e); /* its back-reference came along */
        }
        assert_int_equal(e->depts.count, 1);
    }
    assert_int_equal(with_profile, 2);
    assert_int_equal(n_select, 3);
    /* and the one-to-one's other side, lazily */
    sqlalc_orm_list ps = { 0 };
    assert_ok(sqlalc_orm_query_all(sqlalc_session_query(s, Profile), &ps));
    reset_counts();
    for (size_t i = 0; i < ps.count; i++) {
        void *e;
        assert_ok(sqlalc_orm_related(ps.items[i], "emp", NULL, &e));
        assert_non_null(e);
    }
    assert_int_equal(n_select, 0); /* already set by the select-in above */
    sqlalc_orm_list_clear(&ps);
    sqlalc_orm_list_clear(&l);
    sqlalc_session_free(s);
}

/* ------------------------------------------------------------------ */
/* Automap                                                             */
/* ------------------------------------------------------------------ */

static const sqlalc_orm_mapper *rel_target_of(const sqlalc_orm_mapper *m, const char *name,
                                              sqlalc_orm_rel_kind *kind)
{
    for (size_t i = 0; i < sqlalc_orm_mapper_rel_count(m); i++)
        if (!strcmp(sqlalc_orm_mapper_rel_name(m, i), name)) {
            *kind = sqlalc_orm_mapper_rel_kind(m, i);
            return sqlalc_orm_mapper_rel_target(m, i);
        }
    return NULL;
}

static void test_automap_football(void **state)
{
    (void)state;
    clear_tables();
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_match");
    test_exec_quiet(eng, "DROP TABLE IF EXISTS orm_team");
    /* the football database's shape: two keys from Match to Team's api id */
    test_exec(eng, "CREATE TABLE orm_team (id INTEGER PRIMARY KEY, team_api_id INTEGER UNIQUE, "
                   "team_long_name VARCHAR(50))");
    test_exec(eng, "CREATE TABLE orm_match (id INTEGER PRIMARY KEY, "
                   "home_team_api_id INTEGER REFERENCES orm_team (team_api_id), "
                   "away_team_api_id INTEGER REFERENCES orm_team (team_api_id), home_team_goal INTEGER, "
                   "stage FLOAT)");
    test_exec(eng, "INSERT INTO orm_team (id, team_api_id, team_long_name) VALUES (1, 101, 'Genoa'), "
                   "(2, 102, 'Torino'), (3, 103, 'Lazio')");
    test_exec(eng,
              "INSERT INTO orm_match (id, home_team_api_id, away_team_api_id, home_team_goal, stage) VALUES "
              "(1, 101, 102, 2, 1.5), (2, 102, 101, 0, 2), (3, 101, 103, 1, 3), (4, 103, 102, 4, 4)");
    test_exec(eng, "INSERT INTO orm_dept (id, name) VALUES (1, 'IT')");
    test_exec(eng, "INSERT INTO orm_emp (id, name) VALUES (1, 'ann')");
    test_exec(eng, "INSERT INTO orm_emp_dept (emp_id, dept_id) VALUES (1, 1)");

    sqlalc_orm_registry *r2 = sqlalc_orm_registry_new();
    assert_ok(sqlalc_orm_automap(r2, eng, NULL));
    sqlalc_orm_mapper *Team = sqlalc_orm_registry_mapper(r2, "orm_team");
    sqlalc_orm_mapper *Match = sqlalc_orm_registry_mapper(r2, "orm_match");
    sqlalc_orm_mapper *D = sqlalc_orm_registry_mapper(r2, "orm_dept");
    sqlalc_orm_mapper *E = sqlalc_orm_registry_mapper(r2, "orm_emp");
    assert_non_null(Team);
    assert_non_null(Match);
    assert_non_null(D);
    assert_non_null(E);
    /* the pure association table is no class, it is a many-to-many pair */
    assert_null(sqlalc_orm_registry_mapper(r2, "orm_emp_dept"));
    int m2m = 0;
    for (size_t i = 0; i < sqlalc_orm_mapper_rel_count(D); i++)
        if (sqlalc_orm_mapper_rel_kind(D, i) == SQLALC_ORM_MANY_TO_MANY &&
            sqlalc_orm_mapper_rel_target(D, i) == E)
            m2m++;
    assert_int_equal(m2m, 1);
    sqlalc_orm_rel_kind k;
    assert_ptr_equal(rel_target_of(Match, "home_team_api", &k), Team);
    assert_int_equal(k, SQLALC_ORM_MANY_TO_ONE);
    assert_ptr_equal(rel_target_of(Team, "orm_match_collection_home_team_api", &k), Match);
    assert_int_equal(k, SQLALC_ORM_ONE_TO_MANY);
    assert_ptr_equal(rel_target_of(Team, "orm_match_collection_away_team_api", &k), Match);
    assert_ptr_equal(rel_target_of(E, "orm_profile_collection", &k),
                     sqlalc_orm_registry_mapper(r2, "orm_profile"));

    /* walk team -> matches with select-in, and back */
    sqlalc_session *s = new_session();
    sqlalc_orm_list teams = { 0 };
    reset_counts();
    assert_ok(sqlalc_orm_query_all(
        sqlalc_orm_query_selectin(sqlalc_orm_query_order_by(sqlalc_session_query(s, Team),
                                                            SQLALC_EXPRS(sqlalc_orm_col(Team, "id"))),
                                  "orm_match_collection_home_team_api"),
        &teams));
    assert_int_equal(n_select, 2);
    assert_int_equal(teams.count, 3);
    assert_string_equal(sqlalc_orm_get_text(teams.items[0], "team_long_name"), "Genoa");
    size_t expect_home[3] = { 2, 1, 1 };
    for (size_t i = 0; i < 3; i++) {
        sqlalc_orm_list *home;
        assert_ok(sqlalc_orm_related(teams.items[i], "orm_match_collection_home_team_api", &home, NULL));
        assert_int_equal(home->count, expect_home[i]);
        for (size_t j = 0; j < home->count; j++) {
            void *t;
            assert_ok(sqlalc_orm_related(home->items[j], "home_team_api", NULL, &t));
            assert_ptr_equal(t, teams.items[i]);
        }
    }
    assert_int_equal(n_select, 2);
    sqlalc_orm_list *away;
    assert_ok(sqlalc_orm_related(teams.items[1], "orm_match_collection_away_team_api", &away, NULL));
    assert_int_equal(away->count, 2);
    assert_int_equal(n_select, 3);
    /* generic records read and write by column name */
    void *m1 = away->items[0];
    sqlalc_value v;
    assert_ok(sqlalc_orm_get(m1, "stage", &v));
    assert_int_equal(v.type, SQLALC_V_FLOAT);
    assert_ok(sqlalc_orm_set(m1, "home_team_goal", SQLALC_INTV(7)));
    assert_true(sqlalc_orm_is_modified(m1));
    sqlalc_orm_list *ds;
    void *dept;
    sqlalc_value one = SQLALC_INTV(1);
    assert_ok(sqlalc_session_get(s, D, &one, 1, &dept));
    for (size_t i = 0; i < sqlalc_orm_mapper_rel_count(D); i++)
        if (sqlalc_orm_mapper_rel_kind(D, i) == SQLALC_ORM_MANY_TO_MANY) {
            assert_ok(sqlalc_orm_related(dept, sqlalc_orm_mapper_rel_name(D, i), &ds, NULL));
            assert_int_equal(ds->count, 1);
            assert_string_equal(sqlalc_orm_get_text(ds->items[0], "name"), "ann");
        }
    /* a new record through the generic API */
    void *t4 = sqlalc_session_new_object(s, Team);
    assert_ok(sqlalc_orm_set(t4, "id", SQLALC_INTV(4)));
    assert_ok(sqlalc_orm_set(t4, "team_api_id", SQLALC_INTV(104)));
    assert_ok(sqlalc_orm_set(t4, "team_long_name", SQLALC_TEXTV("Parma")));
    assert_ok(sqlalc_orm_append(t4, "orm_match_collection_home_team_api", m1));
    assert_ok(sqlalc_session_commit(s));
    assert_int_equal(test_scalar(eng, "SELECT home_team_goal FROM orm_match WHERE home_team_api_id = 104"),
                     7);
    sqlalc_orm_list_clear(&teams);
    sqlalc_session_free(s);
    sqlalc_orm_registry_free(r2);
    test_exec(eng, "DROP TABLE orm_match");
    test_exec(eng, "DROP TABLE orm_team");
}

/* ------------------------------------------------------------------ */
/* Allocation failures                                                 */
/* ------------------------------------------------------------------ */

struct fa_parent {
    int64_t id;
    char *name;
    sqlalc_orm_list kids;
};
struct fa_kid {
    int64_t id;
    int64_t parent_id;
    char *label;
    struct fa_parent *parent;
};

/* A flush (inserts, an update, a delete) and queries (filter, select-in,
 * lazy) on an in-memory database; SQLALC_OK or the first error. */
static int orm_workload(void)
{
    sqlalc_engine *e = NULL;
    sqlalc_metadata *m = NULL;
    sqlalc_orm_registry *r = NULL;
    sqlalc_session *s = NULL;
    sqlalc_orm_list l = { 0 };
    int rc = sqlalc_engine_create("sqlite://", NULL, &e);
    if (rc)
        return rc;
    m = sqlalc_metadata_new();
    sqlalc_table *tp =
        m ? sqlalc_table_new(m, "fa_parent", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                             sqlalc_column("name", sqlalc_type_string(20), 0))
          : NULL;
    sqlalc_table *tk =
        tp ? sqlalc_table_new(
                 m, "fa_kid", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                 sqlalc_column("parent_id", sqlalc_type_integer(), 0, sqlalc_foreign_key("fa_parent.id")),
                 sqlalc_column("label", sqlalc_type_string(20), 0))
           : NULL;
    if (!tk) {
        rc = sqlalc_error_last()->code;
        goto out;
    }
    if ((rc = sqlalc_metadata_create_all(m, e, 0)))
        goto out;
    static const sqlalc_orm_field pf[] = {
        SQLALC_ORM_FIELD(struct fa_parent, id, SQLALC_ORM_INT64, "id"),
        SQLALC_ORM_FIELD(struct fa_parent, name, SQLALC_ORM_TEXT, "name"),
    };
    static const sqlalc_orm_field kf[] = {
        SQLALC_ORM_FIELD(struct fa_kid, id, SQLALC_ORM_INT64, "id"),
        SQLALC_ORM_FIELD(struct fa_kid, parent_id, SQLALC_ORM_INT64, "parent_id"),
        SQLALC_ORM_FIELD(struct fa_kid, label, SQLALC_ORM_TEXT, "label"),
    };
    r = sqlalc_orm_registry_new();
    sqlalc_orm_mapper *P = r ? sqlalc_orm_map(r, "P", tp, sizeof(struct fa_parent), pf, 2) : NULL;
    sqlalc_orm_mapper *K = P ? sqlalc_orm_map(r, "K", tk, sizeof(struct fa_kid), kf, 3) : NULL;
    if (!K) {
        rc = sqlalc_error_last()->code;
        goto out;
    }
    sqlalc_orm_rel_options o = { SQLALC_ORM_REL_OPTIONS_VERSION, NULL, "parent",
                                 SQLALC_ORM_CASCADE_SAVE | SQLALC_ORM_CASCADE_DELETE, NULL };
    if ((rc = sqlalc_orm_relationship(P, "kids", SQLALC_ORM_ONE_TO_MANY, K, offsetof(struct fa_parent, kids),
                                      &o)))
        goto out;
    o.back_populates = "kids";
    o.cascade = 0;
    if ((rc = sqlalc_orm_relationship(K, "parent", SQLALC_ORM_MANY_TO_ONE, P, offsetof(struct fa_kid, parent),
                                      &o)))
        goto out;
    if ((rc = sqlalc_session_new(e, &s)))
        goto out;
    for (int i = 0; i < 3; i++) {
        struct fa_parent *p = sqlalc_session_new_object(s, P);
        if (!p || (rc = sqlalc_orm_set(p, "name", SQLALC_TEXTV("p"))))
            goto fail;
        for (int j = 0; j < 2; j++) {
            struct fa_kid *k = sqlalc_session_new_object(s, K);
            if (!k)
                goto fail;
            if ((rc = sqlalc_orm_set(k, "label", SQLALC_TEXTV("k"))) ||
                (rc = sqlalc_orm_append(p, "kids", k)))
                goto out;
        }
    }
    if ((rc = sqlalc_session_commit(s)))
        goto out;
    sqlalc_session_free(s);
    s = NULL;
    if ((rc = sqlalc_session_new(e, &s)))
        goto out;
    if ((rc = sqlalc_orm_query_all(
             sqlalc_orm_query_selectin(
                 sqlalc_orm_query_filter(sqlalc_session_query(s, P),
                                         sqlalc_gt(sqlalc_orm_col(P, "id"), sqlalc_int(0))),
                 "kids"),
             &l)))
        goto out;
    if (l.count != 3) {
        rc = SQLALC_ERR_GENERIC;
        goto out;
    }
    struct fa_parent *p0 = l.items[0];
    if ((rc = sqlalc_orm_set_text(&p0->name, "renamed")))
        goto out;
    if ((rc = sqlalc_session_delete(s, l.items[1])))
        goto out;
    if ((rc = sqlalc_session_commit(s)))
        goto out;
    void *got;
    sqlalc_value k1 = SQLALC_INTV(p0->id);
    if ((rc = sqlalc_session_get(s, P, &k1, 1, &got)))
        goto out;
    int64_t n = 0;
    if ((rc = sqlalc_orm_query_count(sqlalc_session_query(s, K), &n)))
        goto out;
    if (n != 4)
        rc = SQLALC_ERR_GENERIC;
    goto out;
fail:
    rc = sqlalc_error_last()->code ? sqlalc_error_last()->code : SQLALC_ERR_NOMEM;
out:
    sqlalc_orm_list_clear(&l);
    sqlalc_session_free(s);
    sqlalc_orm_registry_free(r);
    sqlalc_metadata_free(m);
    sqlalc_engine_free(e);
    return rc;
}

static void test_allocation_failures(void **state)
{
    (void)state;
    if (strcmp(test_backend(), "sqlite_memory")) {
        print_message("(allocation failures run on sqlite_memory only)\n");
        return;
    }
    if (getenv("ORM_LEAKCHECK")) { /* plain run, for LeakSanitizer's report */
        assert_ok(orm_workload());
        return;
    }
    assert_ok(orm_workload()); /* warm-up: the library's one-time lazy state is made here */
    failalloc_install();
    failalloc_fail_at(0);
    assert_ok(orm_workload());
    long total = failalloc_count();
    assert_int_equal(failalloc_live(), 0);
    long from = getenv("ORM_FA_FROM") ? atol(getenv("ORM_FA_FROM")) : 1;
    for (long n = from; n <= total + 3; n++) {
        failalloc_fail_at(n);
        if (getenv("ORM_FA_TRACE"))
            fprintf(stderr, "fail at %ld\n", n);
        int rc = orm_workload();
        if (failalloc_failed()) {
            if (rc >= 0 && rc != SQLALC_OK)
                fail_msg("allocation %ld: positive code %d", n, rc);
            if (rc != SQLALC_OK && !*sqlalc_errmsg())
                fail_msg("allocation %ld: %s without a message", n, sqlalc_code_name(rc));
        } else {
            assert_ok(rc);
        }
        if (getenv("ORM_FA_ONLY")) /* one run, for LeakSanitizer's report */
            break;
        if (failalloc_live() != 0)
            fail_msg("allocation %ld failed: %ld allocations leaked", n, failalloc_live());
    }
    failalloc_uninstall();
    print_message("orm workload: %ld allocations, each failed in turn, no leak\n", total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_batched_keys_read_back),
        cmocka_unit_test(test_client_keys_use_executemany),
        cmocka_unit_test(test_identity_map_and_change_detection),
        cmocka_unit_test(test_filter_one_first_all_count),
        cmocka_unit_test(test_fk_order_insert_and_delete),
        cmocka_unit_test(test_rollback_discards),
        cmocka_unit_test(test_many_to_one_one_to_many_lazy_and_selectin),
        cmocka_unit_test(test_move_remove_and_delete_parent),
        cmocka_unit_test(test_one_to_one_cascades),
        cmocka_unit_test(test_many_to_many),
        cmocka_unit_test(test_generic_access_and_errors),
        cmocka_unit_test(test_any_select_and_more_selectin),
        cmocka_unit_test(test_automap_football),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

/*
 * The ORM workload of the fault suites (suite_fault_orm.c: driver faults,
 * suite_fault_orm_alloc.c: allocation failures; two ctest entries per
 * backend, so neither nears ctest's timeout): session add / flush /
 * commit / rollback, get, queries with select-in loading, lazy loading
 * (one-to-many, many-to-one from the identity map, many-to-many), save /
 * delete / delete-orphan cascades, association rows, and automap; and the
 * check that each of its transactions is wholly committed or wholly
 * absent.  Every run tags its rows with its own number, so a run's
 * outcome is read from the shared tables without clearing them between
 * runs.
 */
#ifndef SQLALC_FAULT_ORM_H
#define SQLALC_FAULT_ORM_H
#include "fault_loop.h"

struct fo_dept {
    int64_t id;
    int64_t tag;
    char *name;
    sqlalc_orm_list emps; /* one-to-many, cascade save + delete + delete-orphan */
};
struct fo_emp {
    int64_t id;
    int64_t tag;
    char *name;
    int64_t dept_id;
    int dept_id_null;
    struct fo_dept *dept;  /* many-to-one */
    sqlalc_orm_list projs; /* many-to-many through fo_emp_proj */
};
struct fo_proj {
    int64_t id;
    int64_t tag;
    char *title;
    sqlalc_orm_list members;
};

static const sqlalc_orm_field dept_fields[] = {
    SQLALC_ORM_FIELD(struct fo_dept, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct fo_dept, tag, SQLALC_ORM_INT64, "tag"),
    SQLALC_ORM_FIELD(struct fo_dept, name, SQLALC_ORM_TEXT, "name"),
};
static const sqlalc_orm_field emp_fields[] = {
    SQLALC_ORM_FIELD(struct fo_emp, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct fo_emp, tag, SQLALC_ORM_INT64, "tag"),
    SQLALC_ORM_FIELD(struct fo_emp, name, SQLALC_ORM_TEXT, "name"),
    SQLALC_ORM_FIELD_NULL(struct fo_emp, dept_id, dept_id_null, SQLALC_ORM_INT64, "dept_id"),
};
static const sqlalc_orm_field proj_fields[] = {
    SQLALC_ORM_FIELD(struct fo_proj, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct fo_proj, tag, SQLALC_ORM_INT64, "tag"),
    SQLALC_ORM_FIELD(struct fo_proj, title, SQLALC_ORM_TEXT, "title"),
};

static sqlalc_metadata *md;
static sqlalc_orm_registry *reg;
static sqlalc_orm_mapper *Dept, *Emp, *Proj;

static inline void drop_tables(sqlalc_engine *eng)
{
    test_exec_quiet(eng, "DROP TABLE fo_emp_proj");
    test_exec_quiet(eng, "DROP TABLE fo_emp");
    test_exec_quiet(eng, "DROP TABLE fo_proj");
    test_exec_quiet(eng, "DROP TABLE fo_dept");
}

/* The model and the mappers (once, without faults). */
static inline void build_model(void)
{
    md = sqlalc_metadata_new();
    sqlalc_table *td =
        sqlalc_table_new(md, "fo_dept", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("tag", sqlalc_type_bigint(), SQLALC_NOT_NULL),
                         sqlalc_column("name", sqlalc_type_string(20), SQLALC_NOT_NULL));
    sqlalc_table *te = sqlalc_table_new(
        md, "fo_emp", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
        sqlalc_column("tag", sqlalc_type_bigint(), SQLALC_NOT_NULL),
        sqlalc_column("name", sqlalc_type_string(20), SQLALC_NOT_NULL),
        sqlalc_column("dept_id", sqlalc_type_integer(), 0, sqlalc_foreign_key("fo_dept.id")));
    sqlalc_table *tp =
        sqlalc_table_new(md, "fo_proj", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("tag", sqlalc_type_bigint(), SQLALC_NOT_NULL),
                         sqlalc_column("title", sqlalc_type_string(20), 0));
    sqlalc_table *tep = sqlalc_table_new(
        md, "fo_emp_proj",
        sqlalc_column("emp_id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY, sqlalc_foreign_key("fo_emp.id")),
        sqlalc_column("proj_id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY,
                      sqlalc_foreign_key("fo_proj.id")));
    if (!td || !te || !tp || !tep)
        fail_msg("tables: %s", sqlalc_errmsg());
    reg = sqlalc_orm_registry_new();
    Dept = sqlalc_orm_map(reg, "Dept", td, sizeof(struct fo_dept), dept_fields, 3);
    Emp = sqlalc_orm_map(reg, "Emp", te, sizeof(struct fo_emp), emp_fields, 4);
    Proj = sqlalc_orm_map(reg, "Proj", tp, sizeof(struct fo_proj), proj_fields, 3);
    if (!Dept || !Emp || !Proj)
        fail_msg("map: %s", sqlalc_errmsg());
    sqlalc_orm_rel_options o = { SQLALC_ORM_REL_OPTIONS_VERSION, NULL, "dept",
                                 SQLALC_ORM_CASCADE_SAVE | SQLALC_ORM_CASCADE_DELETE |
                                     SQLALC_ORM_CASCADE_DELETE_ORPHAN,
                                 NULL };
    assert_ok(sqlalc_orm_relationship(Dept, "emps", SQLALC_ORM_ONE_TO_MANY, Emp,
                                      offsetof(struct fo_dept, emps), &o));
    o.back_populates = "emps";
    o.cascade = 0;
    assert_ok(sqlalc_orm_relationship(Emp, "dept", SQLALC_ORM_MANY_TO_ONE, Dept,
                                      offsetof(struct fo_emp, dept), &o));
    o.secondary = tep;
    o.back_populates = "members";
    assert_ok(sqlalc_orm_relationship(Emp, "projs", SQLALC_ORM_MANY_TO_MANY, Proj,
                                      offsetof(struct fo_emp, projs), &o));
    o.back_populates = "projs";
    assert_ok(sqlalc_orm_relationship(Proj, "members", SQLALC_ORM_MANY_TO_MANY, Emp,
                                      offsetof(struct fo_proj, members), &o));
}

/* ------------------------------------------------------------------ */
/* The workload                                                        */
/* ------------------------------------------------------------------ */

enum { P_INSERT, P_CHANGE, P_READ, P_ROLLBACK, P_AUTOMAP, NPARTS };
static const char *const part_names[NPARTS] = { "insert", "change", "read", "rollback", "automap" };

static int64_t dept_id0; /* the first department of the run's insert (0: none) */

static inline int orm_err(void)
{
    const sqlalc_error *e = sqlalc_error_last();
    return e && e->code ? e->code : SQLALC_ERR_NOMEM;
}

static inline struct fo_emp *transient_emp(int64_t tag, const char *name)
{
    struct fo_emp *e = sqlalc_orm_new(Emp);
    if (!e)
        return NULL;
    e->tag = tag;
    e->dept_id_null = 1;
    if (sqlalc_orm_set_text(&e->name, name) != SQLALC_OK) {
        sqlalc_orm_free(e);
        return NULL;
    }
    return e;
}

#define CHECK(call)                     \
    do {                                \
        if ((rc = (call)) != SQLALC_OK) \
            goto out;                   \
    } while (0)
#define CHECK_PTR(p)        \
    do {                    \
        if (!(p)) {         \
            rc = orm_err(); \
            goto out;       \
        }                   \
    } while (0)

/* A new department of the session (NULL when it cannot be made). */
static inline struct fo_dept *tagged_dept(sqlalc_session *s, int64_t tag, const char *name)
{
    struct fo_dept *d = sqlalc_session_new_object(s, Dept);
    if (d) {
        d->tag = tag;
        if (sqlalc_orm_set_text(&d->name, name) != SQLALC_OK)
            return NULL; /* the session frees it */
    }
    return d;
}

/* Two departments with two employees each (joining by the save cascade),
 * a project with two members (association rows): one commit. */
static inline int part_insert(sqlalc_engine *eng, int64_t tag)
{
    sqlalc_session *s = NULL;
    int rc;
    dept_id0 = 0;
    CHECK(sqlalc_session_new(eng, &s));
    struct fo_dept *d[2];
    struct fo_emp *first = NULL, *second = NULL;
    for (int i = 0; i < 2; i++) {
        d[i] = tagged_dept(s, tag, i ? "d2" : "d1");
        CHECK_PTR(d[i]);
        for (int j = 0; j < 2; j++) {
            struct fo_emp *e = transient_emp(tag, "e");
            CHECK_PTR(e);
            if ((rc = sqlalc_orm_append(d[i], "emps", e)) != SQLALC_OK) {
                sqlalc_orm_free(e);
                goto out;
            }
            if (i == 0)
                *(j ? &second : &first) = e;
        }
    }
    struct fo_proj *p = sqlalc_session_new_object(s, Proj);
    CHECK_PTR(p);
    p->tag = tag;
    CHECK(sqlalc_orm_append(first, "projs", p));
    CHECK(sqlalc_orm_append(p, "members", second)); /* from the other side */
    CHECK(sqlalc_session_commit(s));
    dept_id0 = d[0]->id;
out:
    sqlalc_session_free(s);
    return rc;
}

/* Query the run's departments with select-in, rename the first, remove
 * one of its employees (delete-orphan, with its association row), delete
 * the second (delete cascade): one commit. */
static inline int part_change(sqlalc_engine *eng, int64_t tag)
{
    sqlalc_session *s = NULL;
    sqlalc_orm_list l = { 0 };
    int rc;
    CHECK(sqlalc_session_new(eng, &s));
    sqlalc_orm_query *q = sqlalc_orm_query_selectin(
        sqlalc_orm_query_order_by(
            sqlalc_orm_query_filter_by(sqlalc_session_query(s, Dept), "tag", SQLALC_INTV(tag)),
            SQLALC_EXPRS(sqlalc_orm_col(Dept, "id"))),
        "emps");
    CHECK_PTR(q);
    CHECK(sqlalc_orm_query_all(q, &l));
    if (l.count != 2) {
        rc = sqlalc_error_set(SQLALC_ERR_NO_RESULT, "change: %zu departments, not 2", l.count);
        goto out;
    }
    struct fo_dept *d1 = l.items[0], *d2 = l.items[1];
    if (d1->emps.count != 2 || d2->emps.count != 2) {
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "change: select-in gave %zu and %zu employees",
                              d1->emps.count, d2->emps.count);
        goto out;
    }
    CHECK(sqlalc_orm_set_text(&d1->name, "r"));
    CHECK(sqlalc_orm_remove(d1, "emps", d1->emps.items[0]));
    CHECK(sqlalc_session_delete(s, d2));
    CHECK(sqlalc_session_commit(s));
out:
    sqlalc_orm_list_clear(&l);
    sqlalc_session_free(s);
    return rc;
}

/* get (SQL), lazy loads of every kind, a count; then a rollback. */
static inline int part_read(sqlalc_engine *eng, int64_t tag)
{
    sqlalc_session *s = NULL;
    int rc;
    CHECK(sqlalc_session_new(eng, &s));
    void *o = NULL;
    sqlalc_value k = SQLALC_INTV(dept_id0);
    CHECK(sqlalc_session_get(s, Dept, &k, 1, &o));
    sqlalc_orm_list *emps;
    CHECK(sqlalc_orm_related(o, "emps", &emps, NULL));
    if (emps->count < 1) {
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "read: no employee loaded");
        goto out;
    }
    void *back;
    CHECK(sqlalc_orm_related(emps->items[0], "dept", NULL, &back));
    if (back != o) {
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "read: many-to-one is not the identity-mapped department");
        goto out;
    }
    sqlalc_orm_list *projs;
    CHECK(sqlalc_orm_related(emps->items[0], "projs", &projs, NULL));
    int64_t n;
    CHECK(sqlalc_orm_query_count(
        sqlalc_orm_query_filter_by(sqlalc_session_query(s, Emp), "tag", SQLALC_INTV(tag)), &n));
    CHECK(sqlalc_session_rollback(s));
out:
    sqlalc_session_free(s);
    return rc;
}

/* A department flushed (its INSERT sent), seen by a query, rolled back. */
static inline int part_rollback(sqlalc_engine *eng, int64_t tag)
{
    sqlalc_session *s = NULL;
    int rc;
    CHECK(sqlalc_session_new(eng, &s));
    struct fo_dept *d = tagged_dept(s, tag, "rb");
    CHECK_PTR(d);
    CHECK(sqlalc_session_flush(s));
    void *got = NULL;
    CHECK(sqlalc_orm_query_one(
        sqlalc_orm_query_filter_by(
            sqlalc_orm_query_filter_by(sqlalc_session_query(s, Dept), "tag", SQLALC_INTV(tag)), "name",
            SQLALC_TEXTV("rb")),
        &got));
    if (got != d) {
        rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "rollback: the query gave another object");
        goto out;
    }
    CHECK(sqlalc_session_rollback(s));
out:
    sqlalc_session_free(s);
    return rc;
}

/* automap of the database, and a query through its mapper. */
static inline int part_automap(sqlalc_engine *eng, int64_t tag)
{
    sqlalc_orm_registry *r = sqlalc_orm_registry_new();
    sqlalc_session *s = NULL;
    int rc;
    CHECK_PTR(r);
    CHECK(sqlalc_orm_automap(r, eng, NULL));
    sqlalc_orm_mapper *D = sqlalc_orm_registry_mapper(r, "fo_dept");
    CHECK_PTR(D);
    CHECK(sqlalc_session_new(eng, &s));
    int64_t n;
    CHECK(sqlalc_orm_query_count(
        sqlalc_orm_query_filter_by(sqlalc_session_query(s, D), "tag", SQLALC_INTV(tag)), &n));
out:
    sqlalc_session_free(s);
    sqlalc_orm_registry_free(r);
    return rc;
}

static int (*const parts[NPARTS])(sqlalc_engine *, int64_t) = { part_insert, part_change, part_read,
                                                                part_rollback, part_automap };

/* Run every part (the ones that need the insert's rows only after it
 * succeeded); rc of each in o, the first failure returned. */
static inline int orm_run(sqlalc_engine *eng, long tag, int *o)
{
    int first = SQLALC_OK;
    for (int p = 0; p < NPARTS; p++)
        if (!((p == P_CHANGE || p == P_READ) && o[P_INSERT] != SQLALC_OK))
            o[p] = fault_note(&first, parts[p](eng, tag));
    return first;
}

/* After a fault: the same engine commits a new department. */
static inline int orm_after(sqlalc_engine *eng, long tag)
{
    sqlalc_session *s = NULL;
    int rc;
    CHECK(sqlalc_session_new(eng, &s));
    CHECK_PTR(tagged_dept(s, tag, "after"));
    CHECK(sqlalc_session_commit(s));
out:
    sqlalc_session_free(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Checking a run's rows                                               */
/* ------------------------------------------------------------------ */

static inline int64_t count_sql(sqlalc_engine *clean, const char *sql, int64_t tag)
{
    sqlalc_result *res;
    assert_ok(sqlalc_engine_execute_sql(clean, sql, SQLALC_PARAMS(SQLALC_P_INT("t", tag)), &res));
    return test_result_int64(res);
}

typedef struct rows {
    int64_t dept, renamed, emp, proj, links, rb, after;
} rows;

static inline rows read_rows(sqlalc_engine *clean, int64_t tag)
{
    rows r;
    r.dept =
        count_sql(clean, "SELECT count(*) FROM fo_dept WHERE tag = :t AND name IN ('d1', 'd2', 'r')", tag);
    r.renamed = count_sql(clean, "SELECT count(*) FROM fo_dept WHERE tag = :t AND name = 'r'", tag);
    r.emp = count_sql(clean, "SELECT count(*) FROM fo_emp WHERE tag = :t", tag);
    r.proj = count_sql(clean, "SELECT count(*) FROM fo_proj WHERE tag = :t", tag);
    r.links = count_sql(
        clean, "SELECT count(*) FROM fo_emp_proj WHERE proj_id IN (SELECT id FROM fo_proj WHERE tag = :t)",
        tag);
    r.rb = count_sql(clean, "SELECT count(*) FROM fo_dept WHERE tag = :t AND name = 'rb'", tag);
    r.after = count_sql(clean, "SELECT count(*) FROM fo_dept WHERE tag = :t AND name = 'after'", tag);
    return r;
}

/* Each transaction all or nothing: the insert's 2/4/1/2 rows or none; the
 * change applied whole (1 department renamed, 1 employee, 1 link) or not
 * at all (2/0/4/2); the rolled-back department never there. */
static inline void orm_check(sqlalc_engine *e, long tag, const int *o, const char *what)
{
    rows rr = read_rows(e, tag), *r = &rr;
    int inserted = r->dept || r->emp || r->proj || r->links;
    if (!inserted) {
        if (o[P_INSERT] == SQLALC_OK)
            fail_msg("%s: the insert succeeded but no row is there", what);
    } else {
        int before = r->dept == 2 && r->renamed == 0 && r->emp == 4 && r->proj == 1 && r->links == 2;
        int after = r->dept == 1 && r->renamed == 1 && r->emp == 1 && r->proj == 1 && r->links == 1;
        if (!before && !after)
            fail_msg(
                "%s: half a transaction: %lld departments (%lld renamed), %lld employees, %lld projects, %lld "
                "links (insert %s, change %s)",
                what, (long long)r->dept, (long long)r->renamed, (long long)r->emp, (long long)r->proj,
                (long long)r->links, sqlalc_code_name(o[P_INSERT]), sqlalc_code_name(o[P_CHANGE]));
        if (o[P_CHANGE] == SQLALC_OK && !after)
            fail_msg("%s: the change succeeded but is not there", what);
        if (after && o[P_CHANGE] == SQLALC_DONE)
            fail_msg("%s: the change is there but never ran", what);
    }
    if (r->rb != 0)
        fail_msg("%s: a rolled-back department is there", what);
    if (r->after != 1)
        fail_msg("%s: the session after the fault left %lld of 1 rows", what, (long long)r->after);
}

static inline void orm_prepare(sqlalc_engine *eng)
{
    if (fault_memory_database())
        assert_ok(sqlalc_metadata_create_all(md, eng, 0));
}

static const fault_workload orm_workload = { "ORM",     NULL,      NPARTS,      part_names, orm_run,
                                             orm_after, orm_check, orm_prepare, NULL };

/* The tables on the backend under test (a second engine, the real driver's). */
static inline sqlalc_engine *orm_clean_engine(void)
{
    sqlalc_engine *clean = test_engine();
    drop_tables(clean);
    assert_ok(sqlalc_metadata_create_all(md, clean, 0));
    return clean;
}

static inline int setup(void **state)
{
    (void)state;
    build_model();
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    sqlalc_orm_registry_free(reg);
    sqlalc_metadata_free(md);
    return 0;
}

#endif

/*
 * The schema workload of the fault suites (suite_fault_schema.c: driver
 * faults, suite_fault_schema_alloc.c: allocation failures): create_all of
 * two tables (a foreign key, a unique constraint, an index), a
 * transaction filling them, reflection into a MetaData, the inspector
 * (table names, has_table, one table, its JSON, the engine's JSON), every
 * display format (a raw SQL result and an expression statement's typed
 * one), and drop_all; on ODBC backends reflection and the inspector again
 * through the driver's catalog functions (?odbc_reflection=catalog).
 *
 * What succeeds must be right, not only succeed: the reflected tables
 * have their columns, key and index, and every output (inspector JSON,
 * display in each format) is byte for byte the one of the run without
 * faults, so a fault can never cut an output short silently.  DDL and the
 * rows are all or nothing where the dialect has transactional DDL.
 */
#ifndef SQLALC_FAULT_SCHEMA_H
#define SQLALC_FAULT_SCHEMA_H
#include "fault_loop.h"

enum { P_CREATE, P_FILL, P_REFLECT, P_INSPECT, P_DISPLAY, P_CATALOG, P_DROP, NPARTS };
static const char *const part_names[NPARTS] = { "create_all", "fill",    "reflect", "inspect",
                                                "display",    "catalog", "drop_all" };

static sqlalc_metadata *md;
static sqlalc_table *t_parent, *t_child;

/* The second engine the checks read through (NULL: a memory database,
 * read through the run's own engine), and the last run's outcome. */
static sqlalc_engine *schema_clean;
static const int *schema_last;

static inline void build_model(void)
{
    md = sqlalc_metadata_new();
    t_parent =
        sqlalc_table_new(md, "fs_parent", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(20), SQLALC_NOT_NULL | SQLALC_UNIQUE),
                         sqlalc_column("w", sqlalc_type_float(), 0));
    t_child = sqlalc_table_new(md, "fs_child", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                               sqlalc_column("parent_id", sqlalc_type_integer(), SQLALC_NOT_NULL,
                                             sqlalc_foreign_key("fs_parent.id")),
                               sqlalc_column("label", sqlalc_type_string(20), 0),
                               sqlalc_index("ix_fs_child_label", "label", 0));
    if (!t_parent || !t_child)
        fail_msg("tables: %s", sqlalc_errmsg());
}

/* Each run starts without the tables. */
static inline void schema_prepare_tables(sqlalc_engine *eng)
{
    test_exec_quiet(eng, "DROP TABLE fs_child");
    test_exec_quiet(eng, "DROP TABLE fs_parent");
}

/* The outputs of the run without faults, to compare the others with
 * (plain malloc: the counting allocator never sees them). */
enum { OUT_INSPECTOR, OUT_ENGINE, OUT_TABLE, OUT_CSV, OUT_JSON, OUT_CAT_INSPECTOR, NOUTS };
static char *ref_out[NOUTS];

#define CHECK(call)                     \
    do {                                \
        if ((rc = (call)) != SQLALC_OK) \
            goto out;                   \
    } while (0)

static inline int last_code(void)
{
    const sqlalc_error *e = sqlalc_error_last();
    return e && e->code ? e->code : SQLALC_ERR_NOMEM;
}

/* What a writer call produced, compared with the run without faults. */
typedef int (*writer_fn)(void *arg, FILE *f);
static inline int same_output(int which, writer_fn fn, void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return sqlalc_error_set(SQLALC_ERR_NOMEM, "open_memstream failed");
    int rc = fn(arg, f);
    fclose(f);
    if (rc == SQLALC_OK) {
        if (!ref_out[which]) {
            ref_out[which] = buf; /* the run without faults */
            return SQLALC_OK;
        }
        if (strcmp(buf, ref_out[which]))
            fail_msg("output %d succeeded at %s but differs from the run without faults:\n%s\n-- instead of "
                     "--\n%s",
                     which, fault_point, buf, ref_out[which]);
    }
    free(buf);
    return rc;
}

static inline int write_inspector(void *arg, FILE *f)
{
    return sqlalc_inspector_json(arg, NULL, f);
}
static inline int write_engine(void *arg, FILE *f)
{
    return sqlalc_inspect_json(arg, f);
}

typedef struct print_arg {
    sqlalc_conn *conn;
    sqlalc_format fmt;
    int expression; /* the statement built from the tables (typed results) */
} print_arg;

static inline int write_rows(void *arg, FILE *f)
{
    print_arg *a = arg;
    sqlalc_result *res = NULL;
    int rc;
    if (a->expression) {
        sqlalc_stmt *q = sqlalc_select(
            SQLALC_COLS(sqlalc_c(t_parent, "name"), sqlalc_c(t_parent, "w"), sqlalc_c(t_child, "label")),
            sqlalc_eq(sqlalc_c(t_child, "parent_id"), sqlalc_c(t_parent, "id")));
        q = sqlalc_order_by(q, SQLALC_EXPRS(sqlalc_c(t_child, "id")));
        if (!q)
            return last_code();
        rc = sqlalc_conn_execute(a->conn, q, NULL, &res);
        sqlalc_stmt_free(q);
    } else
        rc = sqlalc_conn_execute_sql(a->conn,
                                     "SELECT p.id, p.name, p.w, c.label FROM fs_parent p JOIN fs_child c "
                                     "ON c.parent_id = p.id ORDER BY c.id",
                                     NULL, &res);
    if (rc == SQLALC_OK)
        rc = sqlalc_result_print(res, f, a->fmt, 0);
    sqlalc_result_free(res);
    return rc;
}

static inline int part_create(sqlalc_engine *eng)
{
    return sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST);
}

/* Three parents and four children in one transaction (executemany). */
static inline int part_fill(sqlalc_engine *eng)
{
    sqlalc_param pp[3][3], cp[4][3];
    sqlalc_params ps[3], cs[4];
    static const char *const names[3] = { "ann", "bob", "cy" };
    for (int i = 0; i < 3; i++) {
        pp[i][0] = SQLALC_P_INT("id", i + 1);
        pp[i][1] = SQLALC_P_TEXT("name", names[i]);
        pp[i][2] = SQLALC_P_FLOAT("w", 0.5 * i);
        ps[i] = (sqlalc_params){ 3, pp[i] };
    }
    for (int i = 0; i < 4; i++) {
        cp[i][0] = SQLALC_P_INT("id", i + 1);
        cp[i][1] = SQLALC_P_INT("p", i % 3 + 1);
        cp[i][2] = SQLALC_P_TEXT("label", i % 2 ? "odd" : "even");
        cs[i] = (sqlalc_params){ 3, cp[i] };
    }
    sqlalc_conn *c;
    int rc = sqlalc_engine_begin(eng, &c, NULL);
    if (rc)
        return rc;
    rc = sqlalc_conn_execute_sql_many(c, "INSERT INTO fs_parent (id, name, w) VALUES (:id, :name, :w)", ps, 3,
                                      NULL);
    if (rc == SQLALC_OK)
        rc = sqlalc_conn_execute_sql_many(
            c, "INSERT INTO fs_child (id, parent_id, label) VALUES (:id, :p, :label)", cs, 4, NULL);
    return sqlalc_conn_end(c, rc);
}

/* The child table as reflected: three columns, its key, its foreign key to
 * the parent, its index. */
static inline int child_info_ok(const sqlalc_table_info *ti, const char *how)
{
    if (ti->ncolumns != 3 || ti->pk.columns.count != 1 || ti->nfks != 1 ||
        strcmp(ti->fks[0].referred_table, "fs_parent") || ti->nindexes < 1)
        return sqlalc_error_set(
            SQLALC_ERR_INTERNAL,
            "%s: fs_child reflected with %zu columns, %zu key columns, %zu foreign keys, %zu "
            "indexes",
            how, ti->ncolumns, ti->pk.columns.count, ti->nfks, ti->nindexes);
    return SQLALC_OK;
}

static inline int part_reflect(sqlalc_engine *eng)
{
    sqlalc_metadata *rmd = sqlalc_metadata_new();
    if (!rmd)
        return last_code();
    const char *only[] = { "fs_parent", "fs_child" };
    sqlalc_reflect_options ro = SQLALC_REFLECT_OPTIONS_INIT;
    ro.only = only;
    ro.nonly = 2;
    int rc;
    CHECK(sqlalc_metadata_reflect(rmd, eng, &ro));
    sqlalc_table *t = sqlalc_metadata_table(rmd, "fs_child");
    if (!t || sqlalc_table_index_count(t) != 1 || !sqlalc_metadata_table(rmd, "fs_parent"))
        fail_msg("reflect at %s succeeded: fs_child %s", fault_point, t ? "without its index" : "missing");
out:
    sqlalc_metadata_free(rmd);
    return rc;
}

/* The inspector's calls on eng; which: the output slot of its JSON. */
static inline int inspect_on(sqlalc_engine *eng, int which, const char *how)
{
    sqlalc_inspector *insp = NULL;
    int rc;
    CHECK(sqlalc_inspector_new(eng, &insp));
    const sqlalc_strlist *names;
    CHECK(sqlalc_inspector_table_names(insp, NULL, &names));
    if (!sqlalc_strlist_contains(names, "fs_child") || !sqlalc_strlist_contains(names, "fs_parent"))
        fail_msg("%s at %s: table_names misses a table", how, fault_point);
    int has = 0;
    CHECK(sqlalc_inspector_has_table(insp, NULL, "fs_parent", &has));
    if (!has)
        fail_msg("%s at %s: has_table says no", how, fault_point);
    const sqlalc_table_info *ti;
    CHECK(sqlalc_inspector_table(insp, NULL, "fs_child", &ti));
    child_info_ok(ti, how);
    CHECK(same_output(which, write_inspector, insp)); /* from the cache */
out:
    sqlalc_inspector_free(insp);
    return rc;
}

static inline int part_inspect(sqlalc_engine *eng)
{
    int rc = inspect_on(eng, OUT_INSPECTOR, "inspector");
    return rc ? rc : same_output(OUT_ENGINE, write_engine, eng);
}

static inline int part_display(sqlalc_engine *eng)
{
    sqlalc_conn *c;
    int rc = sqlalc_engine_connect(eng, &c);
    if (rc)
        return rc;
    print_arg a = { c, SQLALC_FORMAT_TABLE, 0 };
    rc = same_output(OUT_TABLE, write_rows, &a);
    if (rc == SQLALC_OK) {
        a.fmt = SQLALC_FORMAT_CSV;
        rc = same_output(OUT_CSV, write_rows, &a);
    }
    if (rc == SQLALC_OK) {
        a.fmt = SQLALC_FORMAT_JSON;
        a.expression = 1;
        rc = same_output(OUT_JSON, write_rows, &a);
    }
    sqlalc_conn_close(c);
    return rc;
}

/* ODBC: the inspector through the driver's catalog functions, on an
 * engine of its own (the URL says so). */
static inline int part_catalog(sqlalc_engine *eng)
{
    if (!test_via_odbc())
        return SQLALC_DONE;
    sqlalc_url *u = NULL;
    sqlalc_engine *ce = NULL;
    char *url = NULL;
    int rc;
    CHECK(sqlalc_url_copy(sqlalc_engine_url(eng), &u));
    CHECK(sqlalc_url_query_add(u, "odbc_reflection", "catalog"));
    url = sqlalc_url_render(u, 0);
    if (!url) {
        rc = last_code();
        goto out;
    }
    CHECK(sqlalc_engine_create(url, NULL, &ce));
    CHECK(inspect_on(ce, OUT_CAT_INSPECTOR, "catalog inspector"));
out:
    sqlalc_engine_free(ce);
    sqlalc_free(url);
    sqlalc_url_free(u);
    return rc;
}

static inline int part_drop(sqlalc_engine *eng)
{
    return sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST);
}

static inline int schema_run(sqlalc_engine *eng, long base, int *o)
{
    (void)base;
    int first = SQLALC_OK;
    schema_last = o;
    o[P_CREATE] = fault_note(&first, part_create(eng));
    if (o[P_CREATE] == SQLALC_OK) {
        o[P_FILL] = fault_note(&first, part_fill(eng));
        o[P_REFLECT] = fault_note(&first, part_reflect(eng));
        o[P_INSPECT] = fault_note(&first, part_inspect(eng));
        if (o[P_FILL] == SQLALC_OK)
            o[P_DISPLAY] = fault_note(&first, part_display(eng));
        o[P_CATALOG] = fault_note(&first, part_catalog(eng));
        o[P_DROP] = fault_note(&first, part_drop(eng));
    }
    return first;
}

static inline int64_t rows_of(sqlalc_engine *e, const char *table)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return test_scalar(e, sql);
}

/* Where the run left its tables and rows, read before the after-call:
 * with transactional DDL both tables or neither (none once drop_all
 * succeeded, both once create_all did and drop_all failed), the rows all
 * or none (all once the fill succeeded). */
static inline void schema_check_run(sqlalc_engine *e, const int *o, const char *what)
{
    sqlalc_inspector *insp;
    assert_ok(sqlalc_inspector_new(e, &insp));
    int hp = 0, hc = 0;
    assert_ok(sqlalc_inspector_has_table(insp, NULL, "fs_parent", &hp));
    assert_ok(sqlalc_inspector_has_table(insp, NULL, "fs_child", &hc));
    if (hc && o[P_CREATE] == SQLALC_OK) { /* what create_all made is whole */
        const sqlalc_table_info *ti;
        assert_ok(sqlalc_inspector_table(insp, NULL, "fs_child", &ti));
        child_info_ok(ti, what);
    }
    sqlalc_inspector_free(insp);
    int transactional = sqlalc_engine_dialect(e)->transactional_ddl;
    if (transactional && hp != hc)
        fail_msg("%s: half a create_all / drop_all: parent %d, child %d (create %s, drop %s)", what, hp, hc,
                 sqlalc_code_name(o[P_CREATE]), sqlalc_code_name(o[P_DROP]));
    if (o[P_DROP] == SQLALC_OK && (hp || hc))
        fail_msg("%s: drop_all succeeded but a table is there", what);
    if (o[P_CREATE] == SQLALC_OK && o[P_DROP] != SQLALC_OK && transactional && !(hp && hc))
        fail_msg("%s: create_all succeeded, drop_all failed, but the tables are gone", what);
    if (o[P_CREATE] != SQLALC_OK && transactional && hp)
        fail_msg("%s: create_all failed but its tables are there", what);
    if (hp && hc) {
        int64_t np = rows_of(e, "fs_parent"), nc = rows_of(e, "fs_child");
        if (!((np == 0 && nc == 0) || (np == 3 && nc == 4)))
            fail_msg("%s: the fill left %lld parents and %lld children", what, (long long)np, (long long)nc);
        if (o[P_FILL] == SQLALC_OK && np != 3)
            fail_msg("%s: the fill succeeded but left %lld parents", what, (long long)np);
    }
}

/* After a fault: the run's outcome checked, then the tables made and
 * dropped again on the same engine. */
static inline int schema_after(sqlalc_engine *eng, long base)
{
    char what[64];
    snprintf(what, sizeof what, "run %ld", base);
    if (schema_clean)
        FAULT_SIDE(schema_check_run(schema_clean, schema_last, what));
    else
        schema_check_run(eng, schema_last, what);
    schema_prepare_tables(eng);
    int rc = sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST);
    return rc ? rc : sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST);
}

/* The after-call left no table behind. */
static inline void schema_check(sqlalc_engine *e, long base, const int *o, const char *what)
{
    (void)base;
    (void)o;
    sqlalc_inspector *insp;
    assert_ok(sqlalc_inspector_new(e, &insp));
    int hp = 0, hc = 0;
    assert_ok(sqlalc_inspector_has_table(insp, NULL, "fs_parent", &hp));
    assert_ok(sqlalc_inspector_has_table(insp, NULL, "fs_child", &hc));
    sqlalc_inspector_free(insp);
    if (hp || hc)
        fail_msg("%s: a table is left after drop_all (parent %d, child %d)", what, hp, hc);
}

static const fault_workload schema_workload = { "schema",   NULL,         NPARTS,       part_names,
                                                schema_run, schema_after, schema_check, schema_prepare_tables,
                                                NULL };

static inline int setup(void **state)
{
    (void)state;
    build_model();
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    sqlalc_metadata_free(md);
    for (int i = 0; i < NOUTS; i++)
        free(ref_out[i]);
    return 0;
}

#endif

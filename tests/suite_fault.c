/*
 * Fault injection on every backend (issue 14, "make it stay fixed" 2).
 *
 * 1. A driver shim, registered through the plugin API as
 *    "fault_<driver>", wraps the backend's real driver (sqlite3, libpq,
 *    odbc) and fails its Nth call (connect, exec_simple — BEGIN, COMMIT,
 *    ROLLBACK, SAVEPOINT —, prepare, bind, step, column reads, native
 *    begin/commit/rollback, batches, ping), for every N the workload
 *    reaches.  The failure never reaches the database (as when a call
 *    fails before it is sent); every third one is reported as a lost
 *    connection.  Each run must end with an error message (or success),
 *    no allocation left behind, every transaction of the workload either
 *    wholly committed or wholly absent as seen through the real driver,
 *    and the same engine usable afterwards (a transaction on it commits).
 *
 * 2. Every allocation of a workload that goes beyond SQLite's (connect
 *    and pool checkouts, DDL through create_all, executemany, streaming
 *    and fetched results, the display formats, the inspector's JSON and
 *    reflection) fails in turn on this backend: an error each time, and
 *    no allocation left once the engine is freed.
 */
#include "fault_loop.h"

/* ------------------------------------------------------------------ */
/* The workload under driver faults                                    */
/* ------------------------------------------------------------------ */

/* The parts of the workload, their rc in o[] */
enum { P_TX, P_MANY, P_NESTED, P_READ, P_REFLECT, P_DDL, NPARTS };
static const char *const part_names[NPARTS] = { "tx", "executemany", "savepoint", "read", "reflect", "ddl" };

static int insert_row(sqlalc_conn *c, long id)
{
    return sqlalc_conn_execute_sql(c, "INSERT INTO fault_t (id, v) VALUES (:id, :v)",
                                   SQLALC_PARAMS(SQLALC_P_INT("id", id), SQLALC_P_TEXT("v", "x")), NULL);
}

/* A transaction of three inserts and a read. */
static int tx_three(sqlalc_engine *eng, long base)
{
    sqlalc_conn *c;
    int rc = sqlalc_engine_begin(eng, &c, NULL);
    if (rc)
        return rc;
    for (long k = 1; k <= 3 && rc == SQLALC_OK; k++)
        rc = insert_row(c, base + k);
    if (rc == SQLALC_OK) {
        sqlalc_result *res;
        rc = sqlalc_conn_execute_sql(c, "SELECT count(*) FROM fault_t WHERE id > :lo AND id < :hi",
                                     SQLALC_PARAMS(SQLALC_P_INT("lo", base), SQLALC_P_INT("hi", base + 10)),
                                     &res);
        if (rc == SQLALC_OK) {
            sqlalc_value v;
            rc = sqlalc_result_scalar(res, &v);
            if (rc == SQLALC_OK && !(v.type == SQLALC_V_INT && v.u.i == 3))
                rc = sqlalc_error_set(SQLALC_ERR_INTERNAL, "transaction sees %lld rows, not 3",
                                      (long long)v.u.i);
            sqlalc_result_free(res);
        }
    }
    return sqlalc_conn_end(c, rc);
}

static int run_workload(sqlalc_engine *eng, long base, int *o)
{
    int first = SQLALC_OK;
#define NOTE(field, call) (o[field] = fault_note(&first, (call)))
    NOTE(P_TX, tx_three(eng, base));
    /* executemany: five rows, all or none */
    sqlalc_param ps[5][2];
    sqlalc_params sets[5];
    for (int i = 0; i < 5; i++) {
        ps[i][0] = SQLALC_P_INT("id", base + 11 + i);
        ps[i][1] = SQLALC_P_TEXT("v", "m");
        sets[i] = (sqlalc_params){ 2, ps[i] };
    }
    sqlalc_conn *c;
    int rc = sqlalc_engine_connect(eng, &c);
    if (rc == SQLALC_OK) {
        NOTE(P_MANY,
             sqlalc_conn_execute_sql_many(c, "INSERT INTO fault_t (id, v) VALUES (:id, :v)", sets, 5, NULL));
        /* a savepoint rolled back inside a committed transaction */
        sqlalc_tx *tx, *sp;
        rc = sqlalc_conn_begin(c, &tx);
        if (rc == SQLALC_OK) {
            rc = sqlalc_conn_begin_nested(c, &sp);
            if (rc == SQLALC_OK) {
                rc = insert_row(c, base + 21);
                int rc2 = sqlalc_tx_rollback(sp);
                rc = rc ? rc : rc2;
            }
            if (rc == SQLALC_OK)
                rc = insert_row(c, base + 22);
            rc = rc ? (sqlalc_tx_rollback(tx), rc) : sqlalc_tx_commit(tx);
        }
        NOTE(P_NESTED, rc);
        /* stream the seeded rows */
        sqlalc_result *res;
        rc = sqlalc_conn_execute_sql(c, "SELECT id, v FROM fault_t WHERE id <= 20 ORDER BY id", NULL, &res);
        if (rc == SQLALC_OK) {
            const sqlalc_row *row;
            int n = 0;
            while ((rc = sqlalc_result_next(res, &row)) == SQLALC_ROW)
                n++;
            if (rc == SQLALC_DONE)
                rc = n == 20 ? SQLALC_OK
                             : sqlalc_error_set(SQLALC_ERR_INTERNAL, "streamed %d rows, not 20", n);
            sqlalc_result_free(res);
        }
        NOTE(P_READ, rc);
        sqlalc_conn_close(c);
    } else
        NOTE(P_MANY, rc);
    /* reflection of the table */
    sqlalc_metadata *md = sqlalc_metadata_new();
    const char *only[] = { "fault_t" };
    sqlalc_reflect_options ro = SQLALC_REFLECT_OPTIONS_INIT;
    ro.only = only;
    ro.nonly = 1;
    NOTE(P_REFLECT, sqlalc_metadata_reflect(md, eng, &ro));
    sqlalc_metadata_free(md);
    /* DDL: create and drop a table */
    md = sqlalc_metadata_new();
    sqlalc_table_new(md, "fault_ddl", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                     sqlalc_column("name", sqlalc_type_string(20), 0));
    rc = sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST);
    if (rc == SQLALC_OK)
        rc = sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST);
    NOTE(P_DDL, rc);
    sqlalc_metadata_free(md);
#undef NOTE
    return first;
}

static int64_t count_between(sqlalc_engine *e, long lo, long hi)
{
    return fault_count_ids(e, "fault_t", lo, hi);
}

static void setup_table(sqlalc_engine *clean)
{
    test_exec_quiet(clean, "DROP TABLE fault_ddl");
    test_exec_quiet(clean, "DROP TABLE fault_t");
    test_exec(clean, "CREATE TABLE fault_t (id INTEGER PRIMARY KEY, v VARCHAR(10))");
    for (int i = 1; i <= 20; i++)
        assert_ok(sqlalc_engine_execute_sql(clean, "INSERT INTO fault_t (id, v) VALUES (:id, 's')",
                                            SQLALC_PARAMS(SQLALC_P_INT("id", i)), NULL));
}

static int after_fault(sqlalc_engine *eng, long base)
{
    return tx_three(eng, base + 50);
}

/* Every transaction all or nothing, as the real driver sees it. */
static void check_rows(sqlalc_engine *clean, long base, const int *o, const char *what)
{
    int64_t a = count_between(clean, base + 1, base + 3), m = count_between(clean, base + 11, base + 15);
    int64_t s21 = count_between(clean, base + 21, base + 21),
            s22 = count_between(clean, base + 22, base + 22);
    int64_t after = count_between(clean, base + 51, base + 53);
    if (!(a == 0 || a == 3) || (o[P_TX] == SQLALC_OK && a != 3))
        fail_msg("%s: transaction left %lld of 3 rows (rc %s)", what, (long long)a,
                 sqlalc_code_name(o[P_TX]));
    if (!(m == 0 || m == 5) || (o[P_MANY] == SQLALC_OK && m != 5))
        fail_msg("%s: executemany left %lld of 5 rows (rc %s)", what, (long long)m,
                 sqlalc_code_name(o[P_MANY]));
    if (s21 != 0 || (o[P_NESTED] == SQLALC_OK && s22 != 1))
        fail_msg("%s: savepoint rows %lld/%lld (rc %s)", what, (long long)s21, (long long)s22,
                 sqlalc_code_name(o[P_NESTED]));
    if (after != 3)
        fail_msg("%s: the transaction after the fault left %lld of 3 rows", what, (long long)after);
}

static void test_driver_faults(void **state)
{
    (void)state;
    if (fault_memory_database()) {
        print_message("skipped: a memory database cannot be checked from a second engine\n");
        return;
    }
    sqlalc_engine *clean = test_engine();
    setup_table(clean);
    fault_workload w = {
        "Core", NULL, NPARTS, part_names, run_workload, after_fault, check_rows, NULL, NULL
    };
    fault_driver_loop(&w, clean);
    test_exec_quiet(clean, "DROP TABLE fault_t");
    sqlalc_engine_free(clean);
}

/* ------------------------------------------------------------------ */
/* Allocation failures beyond the SQLite workload                      */
/* ------------------------------------------------------------------ */

static int print_to_memory(sqlalc_result *res, sqlalc_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = sqlalc_result_print(res, f, fmt, 0);
    fclose(f);
    free(buf);
    return rc;
}

/* The phases of the allocation workload.  Each runs on an engine made
 * (without faults) for it, so failing allocation n of one phase costs one
 * phase, not the whole workload; the engine and the phase's objects are
 * freed before the leak check. */
typedef int (*phase_fn)(sqlalc_engine *eng, sqlalc_metadata *md);

static sqlalc_table *alloc_table(sqlalc_metadata *md)
{
    return sqlalc_table_new(md, "fault_alloc", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                            sqlalc_column("name", sqlalc_type_string(30), SQLALC_NOT_NULL),
                            sqlalc_column("w", sqlalc_type_float(), 0),
                            sqlalc_index("ix_fault_alloc_name", "name", 0));
}

#define CHECK(call)                     \
    do {                                \
        if ((rc = (call)) != SQLALC_OK) \
            goto out;                   \
    } while (0)

/* Pool: two checkouts at once, a ping, the status. */
static int phase_pool(sqlalc_engine *eng, sqlalc_metadata *md)
{
    (void)md;
    sqlalc_conn *c1 = NULL, *c2 = NULL;
    sqlalc_pool_status st;
    int rc;
    CHECK(sqlalc_engine_connect(eng, &c1));
    CHECK(sqlalc_engine_connect_tagged(eng, "second", &c2));
    CHECK(sqlalc_conn_ping(c2));
    CHECK(sqlalc_engine_pool_status(eng, &st));
out:
    if (c1)
        sqlalc_conn_close(c1);
    if (c2)
        sqlalc_conn_close(c2);
    return rc;
}

/* DDL: a table and its index created (and dropped first). */
static int phase_ddl(sqlalc_engine *eng, sqlalc_metadata *md)
{
    int rc;
    CHECK(sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST));
    CHECK(sqlalc_metadata_create_all(md, eng, SQLALC_CHECKFIRST));
out:
    return rc;
}

/* executemany, every display format, an expression statement fetched whole. */
static int phase_rows(sqlalc_engine *eng, sqlalc_metadata *md)
{
    sqlalc_conn *c = NULL;
    sqlalc_result *res = NULL;
    sqlalc_stmt *q = NULL;
    int rc;
    sqlalc_param ps[6][3];
    sqlalc_params sets[6];
    for (int i = 0; i < 6; i++) {
        ps[i][0] = SQLALC_P_INT("id", i + 1);
        ps[i][1] = SQLALC_P_TEXT("name", i % 2 ? "odd" : "even");
        ps[i][2] = SQLALC_P_FLOAT("w", i * 0.25);
        sets[i] = (sqlalc_params){ 3, ps[i] };
    }
    CHECK(sqlalc_engine_connect(eng, &c));
    CHECK(sqlalc_conn_execute_sql(c, "DELETE FROM fault_alloc", NULL, NULL));
    CHECK(sqlalc_conn_execute_sql_many(c, "INSERT INTO fault_alloc (id, name, w) VALUES (:id, :name, :w)",
                                       sets, 6, NULL));
    for (int fmt = 0; fmt < 3; fmt++) {
        CHECK(sqlalc_conn_execute_sql(c, "SELECT id, name, w FROM fault_alloc ORDER BY id", NULL, &res));
        CHECK(print_to_memory(res, (sqlalc_format)fmt));
        sqlalc_result_free(res);
        res = NULL;
    }
    sqlalc_table *t = sqlalc_metadata_table(md, "fault_alloc");
    q = sqlalc_select(SQLALC_COLS(sqlalc_c(t, "name"), sqlalc_count_star()),
                      sqlalc_gt(sqlalc_c(t, "w"), sqlalc_float(0.1)));
    q = sqlalc_group_by(q, SQLALC_EXPRS(sqlalc_c(t, "name")));
    if (!q) {
        rc = sqlalc_error_last()->code;
        goto out;
    }
    CHECK(sqlalc_conn_execute(c, q, NULL, &res));
    sqlalc_rowset *rs;
    CHECK(sqlalc_result_fetchall(res, &rs));
    sqlalc_rowset_free(rs);
out:
    sqlalc_stmt_free(q);
    sqlalc_result_free(res);
    if (c)
        sqlalc_conn_close(c);
    return rc;
}

/* Reflection into a MetaData, and the inspector. */
static int phase_reflect(sqlalc_engine *eng, sqlalc_metadata *md)
{
    (void)md;
    sqlalc_metadata *rmd = sqlalc_metadata_new();
    sqlalc_inspector *insp = NULL;
    int rc;
    if (!rmd)
        return sqlalc_error_last()->code;
    const char *only[] = { "fault_alloc" };
    sqlalc_reflect_options ro = SQLALC_REFLECT_OPTIONS_INIT;
    ro.only = only;
    ro.nonly = 1;
    CHECK(sqlalc_metadata_reflect(rmd, eng, &ro));
    CHECK(sqlalc_inspector_new(eng, &insp));
    const sqlalc_table_info *ti;
    CHECK(sqlalc_inspector_table(insp, NULL, "fault_alloc", &ti));
out:
    sqlalc_inspector_free(insp);
    sqlalc_metadata_free(rmd);
    return rc;
}

static const struct {
    const char *name;
    phase_fn fn;
} phases[] = { { "engine+pool", phase_pool },
               { "ddl", phase_ddl },
               { "rows+display", phase_rows },
               { "reflection", phase_reflect } };

/* One run: a fresh engine (its creation counted in the first phase only),
 * the phase with allocation n failing (0: none).  Returns the phase's rc;
 * *failed says whether allocation n was reached. */
static int alloc_run(const char *url, size_t ph, long n, int *failed, long *count)
{
    sqlalc_engine_options opt = SQLALC_ENGINE_OPTIONS_INIT;
    opt.pool_size = 2;
    opt.max_overflow = 1;
    opt.pool_pre_ping = 1;
    opt.pool_debug = 1;
    sqlalc_engine *eng = NULL;
    long live0 = failalloc_live();
    int rc;
    fault_msg[0] = 0;
    failalloc_fail_at(0);
    sqlalc_metadata *md = sqlalc_metadata_new();
    if (!md || !alloc_table(md))
        fail_msg("model without faults: %s", sqlalc_errmsg());
    failalloc_fail_at(ph == 0 ? n : 0);
    rc = sqlalc_engine_create(url, &opt, &eng);
    if (ph != 0 && rc)
        fail_msg("%s: engine_create without faults: %s", phases[ph].name, sqlalc_errmsg());
    if (rc == SQLALC_OK) {
        /* a memory database lives and dies with its engine: its table first */
        if (ph >= 2 && fault_memory_database() && phase_ddl(eng, md))
            fail_msg("ddl without faults: %s", sqlalc_errmsg());
        if (ph != 0)
            failalloc_fail_at(n);
        rc = phases[ph].fn(eng, md);
    }
    if (rc)
        snprintf(fault_msg, sizeof fault_msg, "%s", sqlalc_errmsg());
    *failed = failalloc_failed();
    *count = failalloc_count();
    failalloc_fail_at(0);
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
    if (failalloc_live() != live0)
        fail_msg("%s, allocation %ld: %ld allocations left behind (%s)", phases[ph].name, n,
                 failalloc_live() - live0, fault_msg);
    return rc;
}

static void test_allocation_faults(void **state)
{
    (void)state;
    const char *url = test_url();
    int failed;
    long count, total = 0;
    /* once before counting: what the library sets up once per process
     * (registry, per-thread state) is not a leak of a run; the table the
     * later phases use is made here */
    for (size_t ph = 0; ph < sizeof phases / sizeof phases[0]; ph++)
        if (alloc_run(url, ph, 0, &failed, &count) != SQLALC_OK)
            fail_msg("%s without faults: %s", phases[ph].name, fault_msg);
    failalloc_install();
    print_message("%s: allocation points failed in turn:", test_backend());
    for (size_t ph = 0; ph < sizeof phases / sizeof phases[0]; ph++) {
        if (alloc_run(url, ph, 0, &failed, &count) != SQLALC_OK)
            fail_msg("%s without faults: %s", phases[ph].name, fault_msg);
        long n, stride = fault_stride();
        for (n = fault_first();; n += stride) {
            int rc = alloc_run(url, ph, n, &failed, &count);
            if (!failed) {
                if (rc != SQLALC_OK)
                    fail_msg("%s: fails past its last allocation: %s", phases[ph].name, fault_msg);
                break;
            }
            /* an absorbed failure (a cache that could not grow) may succeed */
            if (rc != SQLALC_OK && !fault_msg[0])
                fail_msg("%s, allocation %ld: an error (%s) without a message", phases[ph].name, n,
                         sqlalc_code_name(rc));
        }
        print_message(" %s %ld", phases[ph].name, count);
        total += count;
    }
    print_message(" (total %ld, stride %ld)\n", total, fault_stride());
    failalloc_uninstall();
    /* leave the database as found (other suites count its tables) */
    sqlalc_engine *eng = test_engine();
    test_exec_quiet(eng, "DROP TABLE fault_alloc");
    test_exec_quiet(eng, "DROP TABLE fault_ddl");
    sqlalc_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_driver_faults),
        cmocka_unit_test(test_allocation_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

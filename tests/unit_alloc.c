/*
 * Fault injection: fail every allocation of a representative workload in
 * turn (engine, connect, DDL, executemany, query, fetch, transactions,
 * rollback) and check each run fails cleanly with an error, never
 * crashes, and leaves no allocation behind.  Under ASan this also proves
 * no leak of the drivers' own objects.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"

/* Returns SQLALC_OK if the whole workload ran, else the first error. */
static int workload(const char *url)
{
    sqlalc_engine *eng = NULL;
    sqlalc_conn *c = NULL;
    sqlalc_result *res = NULL;
    sqlalc_rowset *rs = NULL;
    sqlalc_tx *tx = NULL, *sp = NULL;
    int rc;
    if ((rc = sqlalc_engine_create(url, NULL, &eng)))
        return rc;
    if ((rc = sqlalc_engine_connect(eng, &c)))
        goto out;
    if ((rc = sqlalc_conn_execute_sql(
             c, "CREATE TABLE IF NOT EXISTS fa (id INTEGER PRIMARY KEY, name TEXT, w REAL)", NULL, NULL)))
        goto out;
    if ((rc = sqlalc_conn_execute_sql(c, "DELETE FROM fa", NULL, NULL)))
        goto out;
    sqlalc_params sets[40];
    sqlalc_param ps[40][3];
    char names[40][8];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "n%d", i);
        ps[i][0] = SQLALC_P_INT("id", i);
        ps[i][1] = SQLALC_P_TEXT("name", names[i]);
        ps[i][2] = SQLALC_P_FLOAT("w", i * 1.5);
        sets[i] = (sqlalc_params){ 3, ps[i] };
    }
    if ((rc = sqlalc_conn_execute_sql_many(c, "INSERT INTO fa (id, name, w) VALUES (:id, :name, :w)", sets,
                                           40, NULL)))
        goto out;
    if ((rc = sqlalc_conn_begin(c, &tx)))
        goto out;
    if ((rc = sqlalc_conn_begin_nested(c, &sp)))
        goto out;
    if ((rc = sqlalc_conn_execute_sql(c, "UPDATE fa SET w = w + :d WHERE id < :n",
                                      SQLALC_PARAMS(SQLALC_P_FLOAT("d", 1), SQLALC_P_INT("n", 10)), NULL)))
        goto out;
    rc = sqlalc_tx_rollback(sp);
    sp = NULL;
    if (rc)
        goto out;
    if ((rc = sqlalc_conn_execute_sql(c, "SELECT id, name, w FROM fa WHERE w > :w ORDER BY id",
                                      SQLALC_PARAMS(SQLALC_P_FLOAT("w", 3.0)), &res)))
        goto out;
    const sqlalc_row *row;
    if ((rc = sqlalc_result_fetchone(res, &row)))
        goto out;
    if (!sqlalc_row_text_by_name(row, "name")) {
        rc = sqlalc_error_last()->code;
        goto out;
    }
    if ((rc = sqlalc_result_fetchmany(res, 5, &rs)))
        goto out;
    sqlalc_rowset_free(rs);
    rs = NULL;
    if ((rc = sqlalc_result_fetchall(res, &rs)))
        goto out;
    sqlalc_result_free(res);
    res = NULL;
    rc = sqlalc_tx_rollback(tx);
    tx = NULL;
    if (rc)
        goto out;
    rc = sqlalc_engine_execute_sql(eng, "SELECT count(*) FROM fa WHERE name LIKE :p",
                                   SQLALC_PARAMS(SQLALC_P_TEXT("p", "n%")), &res);
    if (rc == SQLALC_OK) {
        int64_t n = 0;
        sqlalc_value x;
        rc = sqlalc_result_scalar(res, &x); /* closes res; freed below */
        if (rc == SQLALC_OK)
            rc = sqlalc_value_get_int64(&x, &n);
        if (rc == SQLALC_OK && n != 40)
            rc = SQLALC_ERR_GENERIC;
    }
    /* one() keeps a copy of its row; converting a float to text stores it */
    if (rc == SQLALC_OK) {
        sqlalc_result_free(res);
        res = NULL;
        rc = sqlalc_conn_execute_sql(c, "SELECT id, name, w FROM fa WHERE id = :i",
                                     SQLALC_PARAMS(SQLALC_P_INT("i", 3)), &res);
        const char *t = NULL;
        if (rc == SQLALC_OK)
            rc = sqlalc_result_one(res, &row);
        if (rc == SQLALC_OK)
            rc = sqlalc_row_get_text(row, 2, &t, NULL);
        if (rc == SQLALC_OK && strcmp(t, "4.5") != 0)
            rc = SQLALC_ERR_GENERIC;
    }
out:
    sqlalc_rowset_free(rs);
    sqlalc_result_free(res);
    if (sp)
        sqlalc_tx_rollback(sp);
    if (tx)
        sqlalc_tx_rollback(tx);
    sqlalc_conn_close(c);
    sqlalc_engine_free(eng);
    return rc;
}

static void run_fault_injection(const char *url)
{
    failalloc_install();
    failalloc_fail_at(0);
    assert_ok(workload(url));
    long total = failalloc_count();
    assert_true(total > 20);
    assert_int_equal(failalloc_live(), 0);
    long failures = 0;
    for (long n = 1; n <= total + 5; n++) {
        failalloc_fail_at(n);
        int rc = workload(url);
        if (failalloc_failed()) {
            failures++;
            /* The failure must surface as an error (out of memory, or a
             * driver error caused by it) — or be absorbed by a retry. */
            if (rc != SQLALC_OK && rc != SQLALC_ERR_NOMEM && rc >= 0)
                fail_msg("allocation %ld: unexpected positive code %d", n, rc);
            if (rc != SQLALC_OK && !*sqlalc_errmsg())
                fail_msg("allocation %ld: error %s without a message", n, sqlalc_code_name(rc));
        } else
            assert_ok(rc);
        if (failalloc_live() != 0)
            fail_msg("allocation %ld failed: %ld allocations leaked", n, failalloc_live());
    }
    failalloc_uninstall();
    print_message("%s: %ld allocations, each failed in turn, no leak\n", url, total);
    assert_true(failures >= total);
}

static void test_fault_injection_memory(void **state)
{
    (void)state;
    run_fault_injection("sqlite://");
}

static void test_fault_injection_file(void **state)
{
    (void)state;
    char url[256];
    snprintf(url, sizeof url, "sqlite:////tmp/sqlalc_unit_alloc_%ld.db", (long)getpid());
    run_fault_injection(url);
    remove(url + strlen("sqlite:///"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_injection_memory),
        cmocka_unit_test(test_fault_injection_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Allocation failures through the ORM on every backend (issue 14, "make
 * it stay fixed" 2): every allocation of the ORM workload of fault_orm.h
 * fails in turn.  Each run must end with an error message (or success:
 * a cache that could not grow), no allocation left behind once the
 * engine is freed, each transaction wholly committed or wholly absent as
 * a fresh connection sees it, and the same engine usable afterwards.
 */
#include "fault_orm.h"

/* ------------------------------------------------------------------ */
/* Allocation failures                                                 */
/* ------------------------------------------------------------------ */

static void test_allocation_faults(void **state)
{
    (void)state;
    sqlalc_engine *clean = fault_memory_database() ? NULL : orm_clean_engine();
    fault_alloc_loop(&orm_workload, test_url(), clean);
    if (clean) {
        drop_tables(clean);
        sqlalc_engine_free(clean);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocation_faults),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

/*
 * Driver faults through the ORM on every backend (issue 14, "make it stay
 * fixed" 2): the shim of fault_shim.h fails its Nth call, for every N the
 * ORM workload of fault_orm.h reaches.  Each run must end with an error
 * message (or success), no allocation left behind, each transaction of
 * the workload wholly committed or wholly absent as a fresh connection
 * (the real driver's) sees it, and the same engine usable afterwards (a
 * session commits on it).
 */
#include "fault_orm.h"

/* ------------------------------------------------------------------ */
/* Driver faults                                                       */
/* ------------------------------------------------------------------ */

static void test_driver_faults(void **state)
{
    (void)state;
    if (fault_memory_database()) {
        print_message("skipped: a memory database cannot be checked from a second engine\n");
        return;
    }
    sqlalc_engine *clean = orm_clean_engine();
    fault_driver_loop(&orm_workload, clean);
    drop_tables(clean);
    sqlalc_engine_free(clean);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_driver_faults),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

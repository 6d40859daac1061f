/*
 * Allocation failures through DDL, reflection, the inspector and the
 * display writers on every backend (issue 14, "make it stay fixed" 2):
 * every allocation of the schema workload of fault_schema.h fails in
 * turn.  Each run must end with an error message (or success with the
 * output of the run without faults), no allocation left behind once the
 * engine is freed, DDL and rows all or nothing as a fresh connection sees
 * them, and the same engine usable afterwards.
 */
#include "fault_schema.h"

static void test_allocation_faults(void **state)
{
    (void)state;
    if (!fault_memory_database()) {
        schema_clean = test_engine();
        schema_prepare_tables(schema_clean);
    }
    fault_alloc_loop(&schema_workload, test_url(), schema_clean);
    sqlalc_engine_free(schema_clean);
    schema_clean = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocation_faults),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

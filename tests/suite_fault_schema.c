/*
 * Driver faults through DDL, reflection, the inspector and the display
 * writers on every backend (issue 14, "make it stay fixed" 2): the shim of
 * fault_shim.h fails its Nth call, for every N the schema workload of
 * fault_schema.h reaches.  Each run must end with an error message (or
 * success with the output of the run without faults), no allocation left
 * behind, DDL and rows all or nothing as a fresh connection (the real
 * driver's) sees them, and the same engine usable afterwards.
 */
#include "fault_schema.h"

static void test_driver_faults(void **state)
{
    (void)state;
    if (fault_memory_database()) {
        print_message("skipped: a memory database cannot be checked from a second engine\n");
        return;
    }
    schema_clean = test_engine();
    schema_prepare_tables(schema_clean);
    fault_driver_loop(&schema_workload, schema_clean);
    sqlalc_engine_free(schema_clean);
    schema_clean = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_driver_faults),
    };
    return cmocka_run_group_tests_name(test_backend(), tests, setup, teardown);
}

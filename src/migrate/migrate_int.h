/* Inside src/migrate: the planner the public diff calls share. */
#ifndef SQLALC_MIGRATE_INT_H
#define SQLALC_MIGRATE_INT_H
#include "sqlalc/migrate.h"
#include "../util/util.h"

/* Plan the operations turning `from` into `to` (tables and their
 * constraints, as the inspector describes them) in dialect d's DDL. */
int sqlalc__diff_plan(const sqlalc_dialect *d, const sqlalc_table_info *const *from, size_t nfrom,
                      const sqlalc_table_info *const *to, size_t nto, sqlalc_diff **out);

/* The migrations table's name (left out of every diff). */
#define SQLALC__MIGRATIONS_TABLE "sqlalc_migrations"
#endif

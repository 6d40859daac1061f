/*
 * libsqlalc — SQLAlchemy Core for C.  The one public header.
 *
 * Conventions (every part of the API keeps them):
 *
 *  - Fallible calls return int: SQLALC_OK (0) or a negative sqlalc_code;
 *    constructors that return a pointer return NULL on failure.  Details
 *    of the last failure on the calling thread: sqlalc_error_last().
 *  - Out-parameters come last and are owned by the caller; pointers
 *    returned by getters are borrowed from their parent object.
 *  - Expression trees (sqlalc_expr, sqlalc_stmt): nodes are immutable and
 *    reference counted (atomically).  Every constructor returns a NEW
 *    reference.  Every combinator TAKES OWNERSHIP of the references passed
 *    to it, on success and on every failure path.  A NULL argument makes a
 *    combinator release the other arguments and return NULL, so a failure
 *    deep inside a nested call surfaces once, at the outermost call, with
 *    the first error kept in sqlalc_error_last().  To keep using a node you
 *    pass to a combinator, pass sqlalc_expr_ref(node).
 *  - Values are always bound: user values never reach SQL text except
 *    through a dialect's literal renderer used only for display.
 *  - All memory comes from the hook set by sqlalc_set_allocator().
 *
 * This header is what applications use.  Writing a driver or a dialect
 * (the vtables, compiler hooks, reflection builders) is the plugin API in
 * <sqlalc/sys/plugin.h>, which is not included here.
 */
#ifndef SQLALC_H
#define SQLALC_H

#include "sqlalc/core.h"
#include "sqlalc/url.h"
#include "sqlalc/engine.h"
#include "sqlalc/dialect.h"
#include "sqlalc/schema.h"
#include "sqlalc/expr.h"
#include "sqlalc/inspect.h"
#include "sqlalc/orm.h"
#include "sqlalc/deprecated.h"

#endif

#!/usr/bin/env bash
# Drivers speak only the wire: no SQL keyword in a string literal of any
# dialects/*/driver_*.c (SQL comes from the compiler or the dialect's hooks).
# Usage: check_driver_sql.sh SOURCE_DIR
set -euo pipefail
cd "${1:-.}"
KEYWORDS='SELECT|INSERT|UPDATE|DELETE|MERGE|REPLACE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|TRANSACTION|PRAGMA|SET|SHOW|DEALLOCATE|PREPARE|EXECUTE|COPY|CREATE|DROP|ALTER|VALUES|FROM|WHERE|WITH|DECLARE|FETCH|CURSOR|LISTEN|NOTIFY|VACUUM|ANALYZE'
status=0
for f in dialects/*/driver_*.c; do
    # every string literal, with its line number
    hits=$(grep -noE '"([^"\\]|\\.)*"' "$f" | grep -wE "$KEYWORDS" || true)
    if [ -n "$hits" ]; then
        echo "$f: SQL in a driver's string literal (move it to the dialect's hooks):" >&2
        echo "$hits" | sed 's/^/  line /' >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "drivers speak only the wire: no SQL keyword in driver string literals"
exit $status

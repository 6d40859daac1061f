#!/bin/sh
# Install the built library into a temporary (non-default) prefix, then
# check what a user of that prefix gets:
#  - the installed sqlalc command runs without LD_LIBRARY_PATH (RPATH);
#  - find_package(sqlalc) builds and runs a consumer of the shared and the
#    static library, and of the shared one alone when no dependency's
#    development files can be found;
#  - pkg-config + make builds and runs it, shared and --static.
set -eu
BUILD=$1; SRC=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
LIBDIR=$(ls -d "$T"/prefix/lib* | head -n 1)
if [ -x "$T/prefix/bin/sqlalc" ]; then
    out=$(env -u LD_LIBRARY_PATH "$T/prefix/bin/sqlalc" --version)
    case $out in "sqlalc "*) ;; *) echo "installed sqlalc --version said: $out" >&2; exit 1 ;; esac
    out=$(env -u LD_LIBRARY_PATH "$T/prefix/bin/sqlalc" query --format csv sqlite:// "SELECT 'hi' AS g")
    case $out in *hi*) ;; *) echo "installed sqlalc query said: $out" >&2; exit 1 ;; esac
fi
cmake -S "$SRC" -B "$T/b" -DCMAKE_PREFIX_PATH="$T/prefix" >/dev/null
cmake --build "$T/b" >/dev/null
out=$(LD_LIBRARY_PATH="$LIBDIR" "$T/b/consumer"); [ "$out" = hello ]
out=$("$T/b/consumer_static"); [ "$out" = hello ]
# No pkg-config modules at all: the shared library still configures.
PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH= cmake -S "$SRC" -B "$T/b2" -DCMAKE_PREFIX_PATH="$T/prefix" \
    -DSHARED_ONLY=ON >/dev/null
cmake --build "$T/b2" >/dev/null
out=$(LD_LIBRARY_PATH="$LIBDIR" "$T/b2/consumer"); [ "$out" = hello ]
cp "$SRC/main.c" "$SRC/Makefile" "$T/"
PKG_CONFIG_PATH="$LIBDIR/pkgconfig" make -s -C "$T" consumer_pc consumer_pc_static
out=$(LD_LIBRARY_PATH="$LIBDIR" "$T/consumer_pc"); [ "$out" = hello ]
out=$(env -u LD_LIBRARY_PATH "$T/consumer_pc_static"); [ "$out" = hello ]
echo "consumer: RPATH, find_package (shared, static, shared without dependencies) and pkg-config (shared, --static) run"

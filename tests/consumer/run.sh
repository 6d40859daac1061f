#!/bin/sh
# Install the built library into a temporary prefix, then build and run a
# consumer with find_package(sqlalc) and with pkg-config + make.
set -eu
BUILD=$1; SRC=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
cmake -S "$SRC" -B "$T/b" -DCMAKE_PREFIX_PATH="$T/prefix" >/dev/null
cmake --build "$T/b" >/dev/null
out=$(LD_LIBRARY_PATH="$T/prefix/lib" "$T/b/consumer"); [ "$out" = hello ]
out=$("$T/b/consumer_static"); [ "$out" = hello ]
LIBDIR=$(ls -d "$T"/prefix/lib* | head -n 1)
cp "$SRC/main.c" "$SRC/Makefile" "$T/"
PKG_CONFIG_PATH="$LIBDIR/pkgconfig" make -s -C "$T" consumer_pc
out=$(LD_LIBRARY_PATH="$LIBDIR" "$T/consumer_pc"); [ "$out" = hello ]
echo "consumer: find_package and pkg-config builds run"

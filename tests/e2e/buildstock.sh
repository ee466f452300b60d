#!/bin/sh
# usage: tests/e2e/buildstock.sh TREE PREFIX WORK
# Builds the qmail tree TREE as it is, WITHOUT the moreipme patch, for
# the end-to-end tests' stock runs: copies it to WORK, applies the same
# build fixes and account mapping as tools/try, installs into PREFIX.
set -eu
LC_ALL=C
export LC_ALL
[ $# -eq 3 ] || { echo "usage: tests/e2e/buildstock.sh TREE PREFIX WORK" >&2; exit 100; }
tree=$(cd "$1" && pwd)
prefix=$2
work=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
fatal() { echo "buildstock: fatal: $*" >&2; exit 111; }

case $prefix in /*) ;; *) fatal "PREFIX must be an absolute path: $prefix" ;; esac
name=$("$top/tools/treename" "$tree") || fatal "$tree: not a qmail tree I know (see tools/treename)"
mkdir -p "$work"
rm -rf "$work/$name"
mkdir "$work/$name" && cp -R "$tree/." "$work/$name"
cd "$work/$name"
echo "buildstock: $name in $work/$name, no patch"

"$top/tools/prepare" . "$prefix" | sed 's/^/buildstock: /'

make it man > ../build.out 2>&1 || { tail -30 ../build.out >&2; fatal "build failed; see $work/build.out"; }
mkdir -p "$prefix"
make setup check > ../setup.out 2>&1 || { tail -30 ../setup.out >&2; fatal "make setup check failed; see $work/setup.out"; }
echo "buildstock: installed stock $name in $prefix (build tree $work/$name)"

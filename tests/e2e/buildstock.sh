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

# the build fixes of tools/try: qmail-1.03 predates modern glibc
if grep -q '^extern int errno;' error.h; then
  sed 's/^extern int errno;/#include <errno.h>/' error.h > error.h.new && mv error.h.new error.h
fi
if ! grep -q '"alloc.h"' spawn.c; then
  sed '0,/^#include "/s//#include "alloc.h"\n#include "/' spawn.c > spawn.c.new && mv spawn.c.new spawn.c
fi

echo "$prefix" > conf-qmail
missing=
for u in $(sed -n 1,8p conf-users) $(sed -n 1,2p conf-groups); do
  id "$u" >/dev/null 2>&1 || getent group "$u" >/dev/null 2>&1 || missing="$missing $u"
done
if [ -n "$missing" ]; then
  echo "buildstock: notice: no account$missing here: every qmail user and group is root in this copy"
  for i in 1 2 3 4 5 6 7 8; do echo root; done > conf-users
  printf 'root\nroot\n' > conf-groups
fi

make it man > ../build.out 2>&1 || { tail -30 ../build.out >&2; fatal "build failed; see $work/build.out"; }
mkdir -p "$prefix"
make setup check > ../setup.out 2>&1 || { tail -30 ../setup.out >&2; fatal "make setup check failed; see $work/setup.out"; }
echo "buildstock: installed stock $name in $prefix (build tree $work/$name)"

# TAP helpers for the shell tests; source it, then call these.
# Every check prints one "ok"/"not ok" line; done_testing prints the plan.
T_N=0
T_FAIL=0
T_TODO= # set by todo: the checks that follow are TAP TODO tests
T_TOP=$(cd "$(dirname "$0")/../.." && pwd)

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*${T_TODO:+ # TODO $T_TODO}"; }
notok() {
  T_N=$((T_N + 1)); [ -n "$T_TODO" ] || T_FAIL=$((T_FAIL + 1))
  echo "not ok $T_N - $*${T_TODO:+ # TODO $T_TODO}"
}
# todo REASON: the checks until endtodo are known to fail (a target not
# met yet): they print, but do not fail the file; prove lists one that passes
todo() { T_TODO=$*; }
endtodo() { T_TODO=; }
diag() { echo "$*" | sed 's/^/# /'; }

# is GOT WANT NAME
is() {
  if [ "$1" = "$2" ]; then ok "$3"
  else notok "$3"; diag "got:  $1"; diag "want: $2"; fi
}

# like GOT PATTERN NAME (grep -E pattern)
like() {
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok "$3"
  else notok "$3"; diag "got:  $1"; diag "want match: $2"; fi
}

# skip REASON: one check that cannot run here
skip() { T_N=$((T_N + 1)); echo "ok $T_N # SKIP $*"; }

# skip_all REASON: the whole file cannot run here
skip_all() { echo "SKIP: $(basename "$0"): $*" >&2; echo "1..0 # SKIP $*"; exit 0; }

# need_upstream: skip unless UPSTREAM names the pristine trees; make it absolute
need_upstream() {
  [ -n "${UPSTREAM:-}" ] || skip_all "UPSTREAM is not set, so no pristine trees"
  UPSTREAM=$(cd "$UPSTREAM" && pwd)
}

# in_netns "$@": run this script again in a private network namespace
# (root and unshare -n), or skip it
in_netns() {
  [ "$(id -u)" = 0 ] || skip_all "needs root"
  unshare -n true 2>/dev/null || skip_all "needs network namespaces (unshare -n)"
  [ "${1:-}" = --in-netns ] || exec unshare -n "$0" --in-netns
}

# maybe_netns "$@": run this script again in a private network namespace
# where root can make one (unshare -n); it runs on either way, and
# $netns is 1 in a namespace of its own, else 0
maybe_netns() {
  netns=0
  if [ "${1:-}" = --in-netns ]; then netns=1; return 0; fi
  if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then exec unshare -n "$0" --in-netns; fi
}

# each_tree TREE...: checktree NAME DIR for each TREE in $UPSTREAM, then
# checkstack NAME DIR for each stack (tools/mkstacks -l) in $STACKS; the
# script defines both; whatever is missing is a visible skip
each_tree() {
  if [ -n "${UPSTREAM:-}" ]; then
    for t in "$@"; do
      if [ -d "$UPSTREAM/$t" ]; then checktree "$t" "$UPSTREAM/$t"
      else echo "SKIP: $t: no $UPSTREAM/$t" >&2; skip "no $t in UPSTREAM"; fi
    done
  else
    echo "SKIP: UPSTREAM is not set: no pristine trees" >&2; skip "UPSTREAM is not set: no pristine trees"
  fi
  if [ -z "${STACKS:-}" ]; then
    echo "SKIP: STACKS is not set: no stacks" >&2; skip "STACKS is not set: no stacks"
  elif [ ! -d "$STACKS" ]; then
    echo "SKIP: STACKS=$STACKS is not a directory" >&2; skip "STACKS=$STACKS is not a directory"
  else
    STACKS=$(cd "$STACKS" && pwd)
    for t in $("$T_TOP/tools/mkstacks" -l); do
      if [ -d "$STACKS/$t" ]; then checkstack "$t" "$STACKS/$t"
      else echo "SKIP: $t: no $STACKS/$t" >&2; skip "no $t in STACKS"; fi
    done
  fi
}

done_testing() { echo "1..$T_N"; [ "$T_FAIL" -eq 0 ]; }

#!/bin/sh
# A short run of the libFuzzer target for moreipme.c's line parser, file
# reader, load and lookup (tests/fuzz/fuzz_ipme.c, built by make
# check-fuzz): every seed of tests/fuzz/corpus, then 20000 inputs grown
# from them. The long runs are "make fuzz SECONDS=600". Skips visibly
# without clang's libFuzzer.
. "$(dirname "$0")/../lib.sh"
cd "$T_TOP" || exit 111
out=$(make -s -f bench/Makefile check-fuzz 2>&1) || {
  notok "make check-fuzz builds tests/bin/fuzz_ipme"; diag "$out"; done_testing; exit 1; }
[ -x tests/bin/fuzz_ipme ] || skip_all "${out:-no tests/bin/fuzz_ipme}"
ok "make check-fuzz builds tests/bin/fuzz_ipme"

d=$(mktemp -d /tmp/moreipme-fuzz.XXXXXX)
trap 'rm -rf "$d"' EXIT
mkdir "$d/corpus"

# found: the input of a failed run, for the report
found() {
  diag "$(grep -E 'fuzz_ipme:|ERROR|SUMMARY|Seed:' "$1" | head -20)"
  for f in "$d"/crash-* "$d"/timeout-* "$d"/leak-* "$d"/oom-*; do
    [ -f "$f" ] && { diag "input $(basename "$f"):"; diag "$(od -c "$f" | head -20)"; }
  done
}

n=$(ls tests/fuzz/corpus | wc -l | tr -d ' ')
timeout 120 tests/bin/fuzz_ipme -artifact_prefix="$d/" tests/fuzz/corpus/* > "$d/seeds.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '^Executed ' "$d/seeds.log")" = "$n" ]; then ok "each of the $n seeds keeps the invariants"
else notok "each of the $n seeds keeps the invariants (exit $rc)"; found "$d/seeds.log"; fi

timeout 120 tests/bin/fuzz_ipme -runs=20000 -max_len=4096 -timeout=10 -dict=tests/fuzz/ipme.dict \
  -artifact_prefix="$d/" "$d/corpus" tests/fuzz/corpus > "$d/run.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^Done 20000 runs' "$d/run.log"; then
  ok "20000 fuzzed inputs keep the invariants ($(sed -n 's/.*INFO: Seed: \([0-9]*\).*/seed \1/p' "$d/run.log"))"
else notok "20000 fuzzed inputs keep the invariants (exit $rc)"; found "$d/run.log"; fi
done_testing

#!/bin/sh
# Static analysis, with gcc -fanalyzer and clang's analyzer (scan-build):
#  - our C files (tools/newfiles: moreipme.c, moreipmeprint.c, ipmetool.c,
#    ipmetest.c) against tests/qlib's headers;
#  - a copy of UPSTREAM/netqmail-1.06 with netqmail-1.05-moreipme-0.6.patch,
#    built with make: its qmail-remote.c and qmail-smtpd.c, and our files
#    again with the tree's own headers.
# A finding in our files, or on a line that one of our hunks adds to
# qmail-remote.c or qmail-smtpd.c, fails; one elsewhere in those two is
# upstream's, and only listed. Known false positives, if any, are listed
# below and explained in HACKING.md ("Static analysis"). Needs UPSTREAM; a
# missing analyzer skips visibly (Debian: gcc 10 or later, clang-tools).
. "$(dirname "$0")/../lib.sh"
need_upstream
tree=$UPSTREAM/netqmail-1.06
[ -f "$tree/qmail-remote.c" ] || skip_all "no $tree"
patchfile=$T_TOP/netqmail-1.05-moreipme-0.6.patch
LC_ALL=C
export LC_ALL

scratch=$(mktemp -d /tmp/moreipme-analyzers.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
printf 'int main(void) { return 0; }\n' > "$scratch/try.c"
gcc=gcc
if ! $gcc -fanalyzer -c "$scratch/try.c" -o /dev/null 2>/dev/null; then
  echo "SKIP: $(basename "$0"): gcc has no -fanalyzer (gcc 10 or later)" >&2; gcc=
fi
sb=scan-build
if ! command -v scan-build >/dev/null 2>&1 || ! command -v clang >/dev/null 2>&1; then
  echo "SKIP: $(basename "$0"): no scan-build or clang (Debian: apt-get install clang clang-tools)" >&2; sb=
fi
[ -n "$gcc$sb" ] || skip_all "neither gcc -fanalyzer nor scan-build (Debian: apt-get install clang clang-tools)"

# FILE CHECKER TEXT: a finding at a line whose text (without indentation)
# is TEXT, in FILE (ours, in this repository and in the tree), is a
# known false positive, a line each. None now: the one in ipmeprint.c's
# warngroup (a null me) went with moreipmeprint.c, whose me is never 0
known=''

# analyze DIR FILE: every analyzer finding, one a line, "FILE:LINE: [CHECKER] TEXT";
# "FAILED ..." if an analyzer could not run
analyze() {
  (cd "$1" || exit 1
  # gcc at -O0 and -O2: inlining changes the paths it follows
  if [ -n "$gcc" ]; then for o in -O0 -O2; do
    $gcc -fanalyzer $o $3 -c "$2" -o /dev/null > "$scratch/gcc.log" 2>&1 || echo "FAILED gcc -fanalyzer $o $2"
    sed -n 's/^\([^ :]*\):\([0-9]*\):[0-9]*: warning: \(.*\) \[-W\(analyzer-[a-z0-9-]*\)\]$/\1:\2: [\4] \3/p' "$scratch/gcc.log"
  done; fi
  if [ -n "$sb" ]; then
    rm -rf "$scratch/sb"
    scan-build -o "$scratch/sb" clang -O2 $3 -c "$2" -o /dev/null > "$scratch/sb.log" 2>&1
    grep -q '^scan-build: Analysis run complete' "$scratch/sb.log" || echo "FAILED scan-build $2"
    sed -n 's/^\([^ :]*\):\([0-9]*\):[0-9]*: warning: \(.*\) \[\([a-z]*\.[A-Za-z.]*\)\]$/\1:\2: [\4] \3/p' "$scratch/sb.log"
  fi) | sort -u
}

# judge DIR NAME FINDINGS ADDED: the findings of ours (in ADDED, the lines
# our hunks add, or all of them if ADDED is "all") fail, others are listed
judge() {
  dir=$1 name=$2 findings=$3 added=$4
  bad= upstream= fp=
  if printf '%s\n' "$findings" | grep -q '^FAILED'; then
    notok "$name: the analyzers ran"; diag "$(printf '%s\n' "$findings" | grep '^FAILED')"
    diag "$(tail -5 "$scratch/gcc.log" "$scratch/sb.log" 2>/dev/null)"; return
  fi
  while IFS= read -r x; do
    [ -n "$x" ] || continue
    f=${x%%:*} l=${x#*:}; l=${l%%:*}
    checker=$(printf '%s\n' "$x" | sed 's/^[^[]*\[\([^]]*\)\].*/\1/')
    text=$(sed -n "${l}p" "$dir/$f" | sed 's/^[ 	]*//')
    if [ "$added" != all ] && ! printf '%s\n' $added | grep -qx "$l"; then upstream="$upstream
$x"; continue; fi
    if printf '%s\n' "$known" | grep -qxF -- "$f $checker $text"; then fp="$fp
$x"; continue; fi
    bad="$bad
$x
  $text"
  done <<EOF
$findings
EOF
  if [ -z "$bad" ]; then ok "$name: no analyzer finding$([ "$added" = all ] || echo ' on a line our hunks add')"
  else notok "$name: analyzer findings"; diag "$bad"; fi
  [ -z "$fp" ] || diag "$name: known false positive (HACKING.md, Static analysis):$fp"
  [ -z "$upstream" ] || diag "$name: upstream's, not ours:$upstream"
}

analyzers="${gcc:+gcc $($gcc -dumpfullversion 2>/dev/null || $gcc -dumpversion) -fanalyzer (-O0, -O2)}${gcc:+${sb:+, }}${sb:+scan-build (clang $(clang -dumpversion))}"
diag "analyzers: $analyzers"

# ---- our files, with tests/qlib ----

make -s -C "$T_TOP/tests/qlib" > "$scratch/qlib.log" 2>&1 || { notok "make -C tests/qlib"; diag "$(tail "$scratch/qlib.log")"; }
# the C files the patch adds (tools/newfiles)
ours=$(grep '\.c$' "$T_TOP/tools/newfiles" | tr '\n' ' ')
for f in $ours; do
  judge "$T_TOP" "$f (tests/qlib)" "$(analyze "$T_TOP" $f -Itests/qlib)" all
done

# ---- a patched tree ----

cp -R "$tree" "$scratch/nq"
if (cd "$scratch/nq" && patch -p1 -F0 -s < "$patchfile") > "$scratch/patch.log" 2>&1; then ok "netqmail-1.06: $(basename "$patchfile") applies"
else notok "netqmail-1.06: $(basename "$patchfile") applies"; diag "$(cat "$scratch/patch.log")"; done_testing; exit; fi
# the builds of tools/try, without its install: every qmail account is root
(cd "$scratch/nq" && for i in 1 2 3 4 5 6 7 8; do echo root; done > conf-users && printf 'root\nroot\n' > conf-groups &&
  make qmail-remote qmail-smtpd ipmeprint ipmetest) > "$scratch/build.log" 2>&1
if [ $? -eq 0 ]; then ok "netqmail-1.06: patched, make qmail-remote qmail-smtpd ipmeprint ipmetest"
else notok "netqmail-1.06: make"; diag "$(tail -20 "$scratch/build.log")"; done_testing; exit; fi

# addedlines FILE: the line numbers, in the patched FILE, of the lines our hunks add
addedlines() {
  awk -v f="$1" '
    /^--- / { inh = 0; next }
    /^\+\+\+ / { cur = $2; sub(/^b\//, "", cur); next }
    /^@@ / { inh = (cur == f); split($3, a, ","); n = substr(a[1], 2) + 0; next }
    inh && /^\+/ { print n; n++; next }
    inh && /^ / { n++; next }' "$patchfile"
}
for f in qmail-remote.c qmail-smtpd.c; do
  added=$(addedlines $f)
  [ -n "$added" ] || { notok "$f: found the lines our hunks add"; continue; }
  # the patched file has, on those lines, what the patch adds
  is "$(for l in $added; do sed -n "${l}p" "$scratch/nq/$f"; done)" \
    "$(awk -v f="$f" '/^--- / { inh = 0; next } /^\+\+\+ / { cur = $2; sub(/^b\//, "", cur); next }
      /^@@ / { inh = (cur == f); next } inh && /^\+/ { print substr($0, 2) }' "$patchfile")" \
    "netqmail-1.06 $f: lines $(echo $added | tr ' ' ',') are the lines our hunks add"
  judge "$scratch/nq" "netqmail-1.06 $f (lines $(echo $added | tr ' ' ','))" "$(analyze "$scratch/nq" $f)" "$added"
done
for f in $ours; do
  judge "$scratch/nq" "netqmail-1.06 $f (the tree's headers)" "$(analyze "$scratch/nq" $f)" all
done
done_testing

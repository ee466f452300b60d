#!/bin/sh
# Upgrade suite. make try refuses bad arguments before it makes anything
# (always runs). With UPSTREAM=DIR and root, on qmail-1.03 and
# notqmail-1.09 (one setup rule each): make setup refuses, before it
# installs anything, an installed control directory with a line the
# patch refuses, and installs once it is fixed (setup depends on our rule
# moreipme, whose ./ipmecheck runs before the install); a moreipme written for
# 0.6 passes; and the "Changing the files" recipe, run as
# written in a scratch prefix, installs a new file, and leaves the old
# one alone when the new one is refused.
. "$(dirname "$0")/../lib.sh"
LC_ALL=C
export LC_ALL

scratch=$(mktemp -d /tmp/moreipme-upgrade.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# make try: the arguments are checked before any directory is made
mkdir "$scratch/tmp"
try() { TMPDIR=$scratch/tmp make -s -C "$T_TOP" try "$@" 2>&1; }
out=$(try TREE=/nonexistent PREFIX="$scratch/x"); rc=$?
[ $rc -ne 0 ] && ok "make try TREE=/nonexistent fails" || notok "make try TREE=/nonexistent fails"
like "$out" '^try: fatal: TREE is not a directory: /nonexistent$' "... saying why"
out=$(try TREE="$T_TOP" PREFIX="$scratch/x"); rc=$?
[ $rc -ne 0 ] && ok "make try with a TREE that is no qmail tree fails" || notok "make try with a TREE that is no qmail tree fails"
like "$out" "^try: fatal: .*: not a qmail tree\$" "... saying why"
out=$(try TREE="$scratch" PREFIX=relative/x); rc=$?
[ $rc -ne 0 ] && ok "make try with a relative PREFIX fails" || notok "make try with a relative PREFIX fails"
like "$out" 'PREFIX must be an absolute path' "... saying why"
is "$(ls -A "$scratch/tmp")" "" "make try made no work directory for bad arguments"
[ -e "$scratch/x" ] && notok "make try made no PREFIX for bad arguments" || ok "make try made no PREFIX for bad arguments"
[ -e "$T_TOP/relative" ] && notok "make try made no relative PREFIX" || ok "make try made no relative PREFIX"

if [ -z "${UPSTREAM:-}" ]; then
  echo "SKIP: $(basename "$0"): UPSTREAM is not set, so no trees to upgrade" >&2
  skip "the upgrade checks need UPSTREAM"; done_testing; exit
fi
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: $(basename "$0"): make setup needs root" >&2
  skip "the upgrade checks need root"; done_testing; exit
fi
UPSTREAM=$(cd "$UPSTREAM" && pwd)

# setup NAME: make setup in the build tree; its output in $scratch/setup.out
setup() { (cd "$build" && make setup) > "$scratch/setup.out" 2>&1; }

refused() {
  name=$1 line=$2 why=$3
  printf '# the public address\n%s\n' "$line" > "$prefix/control/moreipme"
  rm -f "$prefix/bin/qmail-remote" "$prefix/bin/ipmetest"
  if setup; then notok "$name: make setup refuses moreipme line 2 $line"; return; fi
  ok "$name: make setup refuses moreipme line 2 $line"
  out=$(cat "$scratch/setup.out")
  like "$out" "^ipmeprint: fatal: $prefix/control/moreipme line 2: $why: " "$name: ... naming file, line and reason"
  like "$out" 'qmail-remote would defer all mail' "$name: ... saying what the new qmail-remote would do"
  like "$out" 'moreipme.README,$' "$name: ... and where to read on"
  if [ -e "$prefix/bin/qmail-remote" ] || [ -e "$prefix/bin/ipmetest" ]; then
    notok "$name: ... before installing anything"
  else ok "$name: ... before installing anything"; fi
}

# the recipe: the first indented block after the heading "Changing the
# files" in moreipme.README (what an admin reads), else in README.md
for doc in moreipme.README README.md; do
  awk '/^(#+ *)?Changing the files *$/ { f = 1; next }
    f && /^    / { b = 1; print substr($0, 5); next }
    f && b { exit }' "$T_TOP/$doc" > "$scratch/recipe"
  [ -s "$scratch/recipe" ] && break
done
like "$(cat "$scratch/recipe")" '^mv |&& mv ' "$doc has the recipe, ending in a rename"
# an editor that appends $line to the file it edits
printf '#!/bin/sh\necho "$line" >> "$1"\n' > "$scratch/editor"
chmod 755 "$scratch/editor"
recipe() {
  sed "s|/var/qmail|$prefix|g" "$scratch/recipe" > "$scratch/recipe.sh"
  mkdir -p "$scratch/rtmp"
  (umask 077; line=$1 EDITOR=$scratch/editor TMPDIR=$scratch/rtmp; export line EDITOR TMPDIR
   cd / && sh "$scratch/recipe.sh") > "$scratch/recipe.out" 2>&1
}

checkrecipe() {
  name=$1
  rm -f "$prefix/control/moreipme" "$prefix/control/notipme"
  before=$(ls -A "$prefix/control")
  recipe 203.0.113.5
  is "$(cat "$prefix/control/moreipme" 2>&1)" "203.0.113.5" "$name: the README recipe makes a first moreipme"
  is "$(stat -c %a "$prefix/control/moreipme" 2>&1)" "644" "$name: ... mode 644 under umask 077"
  like "$(cat "$scratch/recipe.out")" '^203\.0\.113\.5: me ' "$name: ... and ipmetest showed the answer first"
  recipe 203.0.113.6
  is "$(cat "$prefix/control/moreipme" 2>&1)" "203.0.113.5
203.0.113.6" "$name: the recipe adds a line to an existing moreipme"
  is "$(ls -A "$prefix/control" | tr '\n' ' ')" "$(printf '%s\n' $before moreipme | sort | tr '\n' ' ')" \
    "$name: ... and leaves nothing else in the control directory"
  recipe 203.0.113.300
  like "$(cat "$scratch/recipe.out")" 'moreipme(\.new)? line 3: octet over 255: 203\.0\.113\.300' "$name: the recipe shows a refused line"
  case $(cat "$scratch/recipe.out") in
    *"$scratch/rtmp"*) notok "$name: ... naming the file being edited, not a temporary copy"; diag "$(cat "$scratch/recipe.out")" ;;
    *) ok "$name: ... naming the file being edited, not a temporary copy" ;;
  esac
  is "$(cat "$prefix/control/moreipme" 2>&1)" "203.0.113.5
203.0.113.6" "$name: ... and leaves the installed file alone"
  # the copy being edited: moreipme.new, ipme.new/moreipme or the like
  kept=$(cd "$prefix/control" && grep -rlx '203\.0\.113\.300' . | sed 's|^\./||' | grep -vx moreipme)
  [ -n "$kept" ] && [ "$(printf '%s\n' "$kept" | wc -l)" = 1 ] && ok "$name: ... keeping the edited copy to fix ($kept)" ||
    { notok "$name: ... keeping the edited copy to fix"; diag "$kept"; }
  # given up: the copy removed, and the directory it is in if it is one of the recipe's
  for k in $kept; do
    rm -f "$prefix/control/$k"
    case $k in */*) rm -rf "$prefix/control/${k%%/*}" ;; esac
  done
  is "$(ls -A "$scratch/rtmp")" "" "$name: the recipe leaves no temporary directory behind"
}

checkupgrade() {
  name=$1
  work=$scratch/$name.work prefix=$scratch/$name.prefix build=$work/$name
  [ ! -e "$prefix" ] && ok "$name: a fresh install: no $prefix, so no control directory yet" ||
    notok "$name: a fresh install: no $prefix, so no control directory yet"
  if "$T_TOP/tools/try" "$UPSTREAM/$name" "$prefix" "$work" > "$scratch/try.out" 2>&1; then
    ok "$name: ... make setup check installs it (tools/try)"
  else notok "$name: a fresh install"; diag "$(tail -20 "$scratch/try.out")"; return; fi
  # try's make setup check: ./ipmecheck, then at once the install, nothing between
  is "$(sed -n '/^\.\/ipmecheck$/,/^\.\/inst/p' "$work/setup.out" | sed '$s/^\.\/inst.*/INSTALL/' | tr '\n' ' ')" "./ipmecheck INSTALL " \
    "$name: ... where ./ipmecheck ran before the install and said nothing"
  # and again on its own, with no control directory, as on a fresh host
  mv "$prefix/control" "$prefix/control.off"
  out=$(cd "$build" && ./ipmecheck 2>&1); rc=$?
  mv "$prefix/control.off" "$prefix/control"
  is "$rc:$out" "0:" "$name: ... ./ipmecheck with no control directory exits 0 and prints nothing"
  out=$(cd "$build" && ./ipmecheck 2>&1); rc=$?
  is "$rc:$out" "0:" "$name: ... and with the installed control directory (no moreipme, no notipme) too"
  refused "$name" 192.0.2.300 "octet over 255"
  refused "$name" 192.0.2.0/255.0.255.0 "bad mask"
  printf '# the public address\n203.0.113.5\n' > "$prefix/control/moreipme"
  if setup; then ok "$name: with the line fixed, make setup installs"; else notok "$name: with the line fixed, make setup installs"; diag "$(tail -5 "$scratch/setup.out")"; fi
  # setup: moreipme, our rule, whose recipe is ./ipmecheck: before the install
  order=$(grep -E -x '\./(ipmecheck|install|instpackage)' "$scratch/setup.out" | tr '\n' ' ')
  like "$order" '^\./ipmecheck \./(install|instpackage) $' "$name: ... running ./ipmecheck first, then the install: $order"
  is "$(sed -n '/^moreipme:/,/^$/p' "$build/Makefile" | tr '\n\t' '  ')" "moreipme: \\ ipmeprint ipmetest ipmecheck  ./ipmecheck  " \
    "$name: ... from the rule moreipme, which setup depends on"
  (cd "$build" && make moreipme) > "$scratch/moreipme.out" 2>&1 && grep -qx '\./ipmecheck' "$scratch/moreipme.out" && ok "$name: make moreipme on its own runs the check, and passes" ||
    { notok "$name: make moreipme on its own runs the check, and passes"; diag "$(tail -5 "$scratch/moreipme.out")"; }
  [ -x "$prefix/bin/qmail-remote" ] && ok "$name: ... qmail-remote" || notok "$name: ... qmail-remote"
  # written for moreipme 0.6: a byte order mark, a comment after an entry, a zero-padded octet, IPv6
  printf '\357\273\277203.0.113.5\n192.0.2.1 # the router\n192.0.2.010\n2001:db8::1\n' > "$prefix/control/moreipme"
  if setup; then ok "$name: make setup accepts a moreipme written for 0.6"
  else notok "$name: make setup accepts a moreipme written for 0.6"; diag "$(grep fatal "$scratch/setup.out")"; fi
  is "$(grep -e ipmeprint -e ipmecheck -e warning "$scratch/setup.out" | grep -v -x '\./ipmecheck')" "" \
    "$name: ... without a warning (leading zeros are for ipmeprint -v to point out)"
  checkrecipe "$name"
}

for t in qmail-1.03 notqmail-1.09; do
  if [ -d "$UPSTREAM/$t" ]; then checkupgrade "$t"
  else echo "SKIP: $t: no $UPSTREAM/$t" >&2; skip "no $t in UPSTREAM"; fi
done
done_testing

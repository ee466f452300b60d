#!/bin/sh
# Tree suite: the patches on pristine qmail trees. Needs UPSTREAM=DIR
# holding qmail-1.03/, netqmail-1.05/, netqmail-1.06/, notqmail-1.08/ and notqmail-1.09/
# (a missing one is a visible skip), root, and network namespaces
# (unshare -n); skips visibly otherwise. Each tree is built with its own
# conf-cc (cc), then again with clang if there is one. The patched tree
# builds ipme.o from our moreipme.c, ipmeprint from our moreipmeprint.c,
# and leaves the tree's ipme.c, ipme.h, ipmeprint.c, qmail-showctl.c,
# config.sh and qmail-control.9 as they were. On netqmail-1.06, built
# with its own ./compile (cc) on x86_64, it measures what the daemons
# link (issue 19): ipme.o's text and the lines its recipe compiles.
. "$(dirname "$0")/../lib.sh"
need_upstream
in_netns "$@"
PATH=/usr/sbin:/sbin:$PATH

scratch=$(mktemp -d /tmp/moreipme-trees.XXXXXX)
sinkpid=
cleanup() { [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
make -s -C "$T_TOP" tests/bin/smtpsink >/dev/null || { notok "build smtpsink"; done_testing; exit; }

# this namespace: lo, and v0 with a primary, an unlabelled secondary and a labelled address
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip addr add 198.51.100.2/24 dev v0
ip addr add 198.51.100.3/24 dev v0 label v0:x
ip link set v0 up
ip link set v1 up

msg() { printf 'From: a@example.org\nSubject: moreipme test\n\nhello\n'; }
# remote HOST: qmail-remote's answer for u@[HOST], one report a line
remote() { msg | timeout 30 "$prefix/bin/qmail-remote" "[$1]" a@example.org "u@[$1]" | tr '\n\0' ' \n' | sed 's/ *$//'; }

checkpatch() {
  name=$1 tree=$2 patchfile=$3
  if [ "$(basename "$patchfile" -moreipme-0.6.patch)" = "$name" ]; then
    "$T_TOP/tools/mkpatch" "$name" "$tree" > "$scratch/$name.patch" 2> "$scratch/mkpatch.err"
    if cmp -s "$scratch/$name.patch" "$patchfile"; then ok "$name: the committed patch is what tools/mkpatch makes"
    else notok "$name: the committed patch differs from what tools/mkpatch makes"; diag "$(cat "$scratch/mkpatch.err"; diff "$patchfile" "$scratch/$name.patch" | head -20)"; fi
  fi
  rm -rf "$scratch/dry" && cp -R "$tree/." "$scratch/dry"
  out=$(cd "$scratch/dry" && patch -p1 -F0 --dry-run < "$patchfile" 2>&1)
  if [ $? -eq 0 ] && ! printf '%s\n' "$out" | grep -Eq 'offset|fuzz|FAILED|reject'; then
    ok "$name: $(basename "$patchfile") applies with no fuzz and no offset"
  else notok "$name: $(basename "$patchfile") does not apply cleanly"; diag "$out"; fi
}

checkunit() {
  name=$1 build=$2
  out=$(make -s -C "$T_TOP/tests/unit" TREE="$build" OUT="$build.unit" 2>&1)
  if [ $? -eq 0 ]; then ok "$name: unit tests pass linked with the tree's own objects"
  else notok "$name: unit tests against the tree's objects"; fi
  diag "$(printf '%s\n' "$out" | tail -n 1)"
}

checktools() {
  name=$1
  is "$("$prefix/bin/ipmeprint" 2>&1)" "127.0.0.1
198.51.100.1
198.51.100.3
203.0.113.5" "$name: ipmeprint prints the addresses that are me, bare, as stock's does"
  out=$("$prefix/bin/ipmeprint" -v 2>&1)
  like "$out" '^198\.51\.100\.1 +v0$' "$name: ipmeprint -v lists the primary address"
  like "$out" '^198\.51\.100\.2 +v0$' "$name: ipmeprint -v lists the unlabelled secondary address"
  like "$out" '^198\.51\.100\.3 +v0:x$' "$name: ipmeprint -v lists the labelled address"
  like "$out" '^127\.0\.0\.1 +lo$' "$name: ipmeprint -v lists lo"
  like "$out" '^203\.0\.113\.5 +control/moreipme:2$' "$name: ipmeprint -v names moreipme's line"
  out=$("$prefix/bin/ipmetest" 203.0.113.5 198.51.100.2 198.51.100.9 127.0.0.1 2>&1)
  is "$out" "203.0.113.5: me (ipme 203.0.113.5, control/moreipme:2)
198.51.100.2: not me (notipme 198.51.100.2, control/notipme:1)
198.51.100.9: not me (no entry matches)
127.0.0.1: me (ipme 127.0.0.1, lo)" "$name: ipmetest answers from the interfaces and both files"
}

checkremote() {
  name=$1
  out=$(remote 203.0.113.5)
  like "$out" "^DSorry. Although I'm listed as a best-preference MX or A for that host" "$name: qmail-remote refuses a moreipme address"
  like "$out" '#5\.4\.6' "$name: ... with #5.4.6"

  log=$scratch/sink.log
  : > "$log"
  "$T_TOP/tests/bin/smtpsink" 198.51.100.2 25 1 30 "$log" & sinkpid=$!
  n=0; until grep -q listening "$log" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
  out=$(remote 198.51.100.2)
  wait "$sinkpid"; sinkpid=
  like "$(cat "$log")" '^connect 198\.51\.100\.' "$name: qmail-remote connects to an interface address excluded by notipme"
  like "$out" '^K' "$name: ... and delivers: $(printf '%s' "$out" | tr '\n' ' ')"

  mv "$prefix/control/notipme" "$prefix/control/notipme.off"
  like "$(remote 198.51.100.2)" '^D.*#5\.4\.6' "$name: without notipme the interface address is me again"
  mv "$prefix/control/notipme.off" "$prefix/control/notipme"

  cp "$prefix/control/moreipme" "$prefix/control/moreipme.good"
  printf '# public\n203.0.113.300\n' > "$prefix/control/moreipme"
  is "$(remote 203.0.113.5)" "Zcontrol/moreipme line 2: octet over 255. (#4.3.0)" "$name: a malformed moreipme defers, naming file, line and reason, not the line's text"
  out=$("$prefix/bin/qmail-showctl" 2>&1); rc=$?
  is "$rc" 0 "$name: qmail-showctl, stock, is not stopped by a malformed moreipme"
  like "$out" '^moreipme: I have no idea what this file does\.$' "$name: ... it lists moreipme as a file it does not know"
  case $out in
    *203.0.113.300*|*"octet over"*) notok "$name: ... and does not read it"; diag "$(printf '%s\n' "$out" | grep -e 203.0.113.300 -e 'octet over')" ;;
    *) ok "$name: ... and does not read it" ;;
  esac
  out=$("$prefix/bin/ipmeprint" 2>&1); rc=$?
  is "$rc $out" "111 ipmeprint: fatal: control/moreipme line 2: octet over 255: 203.0.113.300" "$name: ipmeprint, not qmail-showctl, names the malformed line, exit 111"
  out=$(printf 'QUIT\r\n' | TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout 10 "$prefix/bin/qmail-smtpd" 2>&1)
  like "$out" '^220 ' "$name: qmail-smtpd greets with a malformed moreipme (only box@[a.b.c.d] gets 451: 42-outage.t, 44-smtpd-lazy.t)"
  rm "$prefix/control/moreipme" && mkdir "$prefix/control/moreipme"
  like "$(remote 203.0.113.5)" '^Zunable to read control/moreipme: .*\(#4\.3\.0\)$' "$name: an unreadable moreipme defers"
  rmdir "$prefix/control/moreipme" && mv "$prefix/control/moreipme.good" "$prefix/control/moreipme"
  out=$(printf 'QUIT\r\n' | TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout 10 "$prefix/bin/qmail-smtpd" 2>&1)
  like "$out" '^220 ' "$name: qmail-smtpd greets once moreipme is fixed"
}

# our files with the tree's headers, and the compiler the tree was built with:
# the C files the patch adds (tools/newfiles: moreipme.c, moreipmeprint.c,
# ipmetool.c, ipmetest.c)
ours=$(grep '\.c$' "$T_TOP/tools/newfiles" | tr '\n' ' ' | sed 's/ $//')
checkwarnings() {
  name=$1 build=$2 cc=$3
  out=$(cd "$build" && for f in $ours; do
    $cc -O2 -Wall -Wextra -Wshadow -c "$f" -o /dev/null || echo "$f: $cc failed"; done 2>&1)
  is "$out" "" "$name: $(echo $ours | sed 's/ /, /g') compile with $cc -Wall -Wextra -Wshadow, no warnings"
}

# the shape of the patched tree: our code is moreipme.c, built into
# ipme.o, and the tools' files; the tree's ipme.c, ipme.h, ipmeprint.c,
# qmail-showctl.c, config.sh and qmail-control.9 are left as they were;
# no unit test of ours is put into the tree
checkshape() {
  name=$1 tree=$2 build=$3
  for f in ipme.c ipme.h ipmeprint.c qmail-showctl.c config.sh qmail-control.9; do
    if cmp -s "$tree/$f" "$build/$f"; then ok "$name: $f is the tree's own, untouched"
    else notok "$name: $f is the tree's own, untouched"; diag "$(diff "$tree/$f" "$build/$f" | head -10)"; fi
  done
  # what ipme.o defines (T) among the names the daemons and tools call, and names it must not have
  syms=$(nm "$build/ipme.o" 2>&1 | sed -n 's/^[0-9a-f]* T \(ipme_[a-z_]*\)$/\1/p' | sort)
  is "$(printf '%s\n' "$syms" | grep -x -e ipme_init -e ipme_is -e ipme_check -e ipme_loop | tr '\n' ' ')" \
    "ipme_check ipme_init ipme_is ipme_loop " "$name: ipme.o is moreipme.c's: it defines ipme_init, ipme_is, ipme_check and ipme_loop"
  is "$(printf '%s\n' "$syms" | grep -x -e ipme_unsure -e ipme_report | tr '\n' ' ')" "" \
    "$name: ... and no ipme_unsure or ipme_report (no state between calls; qmail-remote writes its own Z line)"
  is "$(nm "$build/ipme.o" 2>&1 | sed -n 's/^[0-9a-f]* [BDC] \(ipme\)$/\1/p')" "ipme" "$name: ... and the variable ipme, as stock's"
  [ -e "$build/tests/unittest_ipme.c" ] && notok "$name: the patch puts no tests/unittest_ipme.c into the tree" ||
    ok "$name: the patch puts no tests/unittest_ipme.c into the tree"
}

# what qmail-remote and qmail-smtpd link of ours (issue 19, point 1):
# ipme.o's text, and the lines of the sources its recipe compiles, with
# the tree's own ./compile. Measured on netqmail-1.06 on x86_64; the
# targets are TODO tests until they are met
checksize() {
  name=$1 build=$2
  srcs=$(awk '/^ipme\.o:/ { r = 1; next } r && /^$/ { r = 0 }
    r && /^\t/ { for (i = 1; i < NF; i++) if ($i == "./compile") print $(i + 1) }' "$build/Makefile" | tr '\n' ' ' | sed 's/ $//')
  is "$srcs" moreipme.c "$name: the ipme.o recipe compiles moreipme.c"
  text=$(size "$build/ipme.o" | awk 'NR == 2 { print $1 }')
  lines=$(cd "$build" && cat ${srcs:-/dev/null} | wc -l | tr -d ' ')
  stock=$(cd "$build" && $(head -n 1 conf-cc) -c ipme.c -o "$scratch/stockipme.o" 2>/dev/null && size "$scratch/stockipme.o" | awk 'NR == 2 { print $1 }')
  diag "$name: size ipme.o: text $text bytes (target 6000; the tree's own ipme.c: ${stock:-?})"
  diag "$name: wc -l $srcs: $lines lines (target 450)"
  todo "issue 19 point 1, not met yet"
  [ "$text" -le 6000 ] 2>/dev/null && ok "$name: ipme.o has at most 6000 bytes of text ($text)" ||
    notok "$name: ipme.o has at most 6000 bytes of text ($text)"
  [ "$lines" -le 450 ] 2>/dev/null && ok "$name: the sources ipme.o is compiled from have at most 450 lines ($lines)" ||
    notok "$name: the sources ipme.o is compiled from have at most 450 lines ($lines)"
  endtodo
}

# the tree's own unit tests, if it has them (notqmail: make test), ours among them
checkowntests() {
  name=$1 build=$2
  grep -q '^test:' "$build/Makefile" || return 0
  out=$(cd "$build" && make test 2>&1)
  if [ $? -eq 0 ]; then ok "$name: make test passes"
  else notok "$name: make test passes"; diag "$(printf '%s\n' "$out" | tail -20)"; fi
  # qmail-remote now calls ipme_loop and ipme_error: its unit test links our ipme.o
  # (notqmail-1.08 has no unit test of qmail-remote)
  grep -q '^unittest_qmail-remote:' "$build/tests/Makefile" || return 0
  is "$(sed -n '/^unittest_qmail-remote:/,/^$/p' "$build/tests/Makefile" | grep -c '\.\./ipme\.o')" 2 \
    "$name: make test links unittest_qmail-remote with ipme.o (prerequisite and load line)"
  [ -x "$build/tests/unittest_qmail-remote" ] && ok "$name: ... which make test built and ran" ||
    notok "$name: ... which make test built and ran"
}

# config.sh with stand-ins for the DNS tools: which addresses get a PTR lookup
checkconfig() {
  name=$1 b=$2
  for p in hostname dnsfq dnsip dnsptr; do mv "$b/$p" "$b/$p.real"; done
  printf '#!/bin/sh\necho mail\n' > "$b/hostname"
  printf '#!/bin/sh\necho mail.example.org\n' > "$b/dnsfq"
  printf '#!/bin/sh\necho 192.0.2.25\n' > "$b/dnsip"
  printf '#!/bin/sh\necho "$1" >> %s/ptr.log\necho "ptr-$1.example.org"\n' "$scratch" > "$b/dnsptr"
  chmod 755 "$b/hostname" "$b/dnsfq" "$b/dnsip" "$b/dnsptr"
  : > "$scratch/ptr.log"
  (cd "$b" && ./config) > "$scratch/config.out" 2>&1
  is "$(sort "$scratch/ptr.log" | tr '\n' ' ')" "127.0.0.1 192.0.2.25 198.51.100.1 198.51.100.3 203.0.113.5 " "$name: ./config looks up the addresses that are me, and no others"
  like "$(cat "$prefix/control/locals")" '^ptr-203\.0\.113\.5\.example\.org$' "$name: ./config puts moreipme's name in locals"
  # a moreipme that ipmeprint refuses: only the host's own name is looked up
  mv "$prefix/control/moreipme" "$prefix/control/moreipme.good"
  printf '203.0.113.5\n192.0.2.0/255.0.255.0\n' > "$prefix/control/moreipme"
  : > "$scratch/ptr.log"
  (cd "$b" && ./config) > "$scratch/config.out" 2>&1
  like "$(cat "$scratch/config.out")" '^ipmeprint: fatal: control/moreipme line 2: ' "$name: ./config shows ipmeprint's message when moreipme is malformed"
  like "$(cat "$scratch/config.out")" '^Copying .*/control/locals to .*/control/rcpthosts\.\.\.$' "$name: ... and goes on to the end, as stock's config.sh does"
  is "$(cat "$scratch/ptr.log")" "192.0.2.25" "$name: ... and looks up only the address of its own name"
  is "$(cat "$prefix/control/locals")" "ptr-192.0.2.25.example.org" "$name: ... so locals has only that name"
  mv "$prefix/control/moreipme.good" "$prefix/control/moreipme"
  for p in hostname dnsfq dnsip dnsptr; do mv "$b/$p.real" "$b/$p"; done
}

# everything built is in TARGETS: make clean leaves the files of the patched tree, no others
checkclean() {
  name=$1 tree=$2 patchfile=$3 build=$4
  rm -rf "$scratch/ref" && cp -R "$tree/." "$scratch/ref"
  (cd "$scratch/ref" && patch -s -p1 < "$patchfile") || { notok "$name: patch a copy for make clean"; return; }
  (cd "$build" && make clean) > "$scratch/clean.out" 2>&1 || { notok "$name: make clean"; diag "$(tail -5 "$scratch/clean.out")"; return; }
  (cd "$build" && find . -type f) | sort > "$scratch/built.ls"
  (cd "$scratch/ref" && find . -type f) | sort > "$scratch/ref.ls"
  is "$(comm -3 "$scratch/built.ls" "$scratch/ref.ls")" "" "$name: make clean removes all it built (TARGETS lists ipmetest and the man pages)"
}

# checktree NAME TREE [CC]: with CC, on a copy of TREE whose conf-cc and
# conf-ld say CC instead of cc
checktree() {
  tree=$2 cc=${3:-cc}
  patchfile=$T_TOP/$("$T_TOP/tools/treename" -p "$tree") || { notok "$1: tools/treename knows it"; return; }
  if [ $# -eq 2 ]; then
    name=$1
    is "$("$T_TOP/tools/treename" "$tree")" "$name" "$name: tools/treename recognises it"
    checkpatch "$name" "$tree" "$patchfile"
  else
    name="$1 ($cc)"
    rm -rf "$scratch/src" && cp -R "$tree/." "$scratch/src"
    for f in conf-cc conf-ld; do
      sed "1s/^[^ ]*/$cc/" "$scratch/src/$f" > "$scratch/src/$f.new" && mv "$scratch/src/$f.new" "$scratch/src/$f"
    done
    tree=$scratch/src
  fi
  work=$scratch/$1.$cc.work
  prefix=$scratch/$1.$cc.prefix
  build=$work/$1
  if "$T_TOP/tools/try" "$tree" "$prefix" "$work" > "$scratch/try.out" 2>&1; then
    ok "$name: make try builds it and make setup check installs it, instcheck silent"
  else
    notok "$name: make try"; diag "$(tail -20 "$scratch/try.out")"; return
  fi
  diag "$(grep notice "$scratch/try.out")"
  like "$(cat "$build/compile")" "^exec $cc -O2 " "$name: built with $cc ($($cc --version | head -n 1))"
  checkwarnings "$name" "$build" "$cc"
  checkshape "$name" "$tree" "$build"
  if [ "$name" = netqmail-1.06 ]; then
    if [ "$(uname -m)" = x86_64 ]; then checksize "$name" "$build"
    else skip "the size targets are measured on x86_64, this is $(uname -m)"; fi
  fi
  for f in ipmeprint ipmetest; do
    [ -x "$prefix/bin/$f" ] && ok "$name: $f is installed in bin" || notok "$name: $f is installed in bin"
  done
  for f in man/man8/ipmeprint.8 man/man8/ipmetest.8 man/cat8/ipmeprint.0 man/cat8/ipmetest.0 doc/moreipme.README; do
    [ -s "$prefix/$f" ] && ok "$name: make setup installs $f" || notok "$name: make setup installs $f"
  done
  checkunit "$name" "$build"
  checkowntests "$name" "$build"
  echo mail.example.org > "$prefix/control/me"
  printf '# NAT: the public address\n203.0.113.5\n' > "$prefix/control/moreipme"
  printf '198.51.100.2\n' > "$prefix/control/notipme"
  checktools "$name"
  # qmail-showctl is stock: both files are ones it does not know
  out=$("$prefix/bin/qmail-showctl" 2>&1)
  like "$out" '^moreipme: I have no idea what this file does\.$' "$name: qmail-showctl, stock, lists moreipme as a file it does not know"
  like "$out" '^notipme: I have no idea what this file does\.$' "$name: ... and notipme"
  # ipmeprint -v shows the effective entries: no comments, no CR
  printf '# NAT: the public address\r\n  # indented\r\n203.0.113.5\r\n\r\n' > "$prefix/control/moreipme"
  out=$("$prefix/bin/ipmeprint" -v 2>&1)
  is "$(printf '%s\n' "$out" | grep -e moreipme -e NAT -e indented | sed 's/  */ /g' | tr '\r' '^')" "203.0.113.5 control/moreipme:3" \
    "$name: ipmeprint -v shows moreipme's entry, not its comments or CRs"
  printf '# NAT: the public address\n203.0.113.5\n' > "$prefix/control/moreipme"
  checkremote "$name"
  checkconfig "$name" "$build"
  checkclean "$name" "$tree" "$patchfile" "$build"
}

for t in qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.08 notqmail-1.09; do
  if [ -d "$UPSTREAM/$t" ]; then
    checktree "$t" "$UPSTREAM/$t"
    if command -v clang >/dev/null 2>&1; then checktree "$t" "$UPSTREAM/$t" clang
    else echo "SKIP: $t: no clang" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no clang for $t"; fi
  else echo "SKIP: $t: no $UPSTREAM/$t" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $t in UPSTREAM"; fi
done
done_testing

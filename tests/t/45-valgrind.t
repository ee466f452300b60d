#!/bin/sh
# Tree suite, under valgrind (memcheck): the unit tests (linked with
# tests/qlib, and with each tree's own objects), then ipmeprint, ipmetest,
# qmail-remote and qmail-smtpd (box@[a.b.c.d], read at the first literal:
# rewritten with good files, the fixed 451 with a malformed one) from a
# tools/try build of each tree, on good and bad control files and with
# more interface addresses than stock qmail's buffer holds. Any memcheck error or definite leak fails. Needs
# UPSTREAM=DIR, valgrind, root and unshare -n; skips visibly otherwise.
. "$(dirname "$0")/../lib.sh"
need_upstream
command -v valgrind >/dev/null 2>&1 || skip_all "no valgrind (Debian: apt-get install valgrind)"
in_netns "$@"
PATH=/usr/sbin:/sbin:$PATH

scratch=$(mktemp -d /tmp/moreipme-valgrind.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip addr add 198.51.100.2/24 dev v0
ip addr add 198.51.100.3/24 dev v0 label v0:x
ip link set v0 up
ip link set v1 up

# vg WANT NAME COMMAND...: COMMAND under memcheck exits WANT, and memcheck says nothing
vg() {
  vgwant=$1 vgname=$2; shift 2
  rm -f "$scratch"/vg.log.*
  timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --log-file="$scratch/vg.log.%p" "$@" > "$scratch/vg.out" 2> "$scratch/vg.err" < "${VGIN:-/dev/null}"
  rc=$?
  log=$(cat "$scratch"/vg.log.* 2>/dev/null)
  if [ "$rc" = "$vgwant" ] && [ -z "$log" ]; then ok "$vgname (exit $rc, memcheck silent)"
  else
    notok "$vgname"; diag "exit $rc, want $vgwant"
    diag "$(printf '%s\n' "$log" | head -40)"; diag "$(head -5 "$scratch/vg.err")"
  fi
}

cd "$T_TOP/tests/unit" || exit 111
make -s check_ipme >/dev/null 2>&1 || notok "make check_ipme"
CK_FORK=no CK_VERBOSITY=silent vg 0 "check_ipme (tests/qlib) under memcheck" ./check_ipme
cd "$T_TOP" || exit 111

msg() { printf 'From: a@example.org\nSubject: moreipme valgrind\n\nhello\n' > "$scratch/msg"; }
msg
# an SMTP session with two literals: one that is me, one that is not
printf 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[203.0.113.5]>\r\nRCPT TO:<box@[192.0.2.9]>\r\nRCPT TO:<u@mail.example.org>\r\nQUIT\r\n' > "$scratch/smtp"
TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1
export TCPREMOTEIP TCPLOCALIP
# replies LINES: those lines of qmail-smtpd's answers, CRs removed, on one line
replies() { tr -d '\r' < "$scratch/vg.out" | sed -n "$1p" | tr '\n' ' ' | sed 's/ $//'; }

checktree() {
  name=$1 tree=$2
  work=$scratch/$name.work
  prefix=$scratch/$name.prefix
  if ! "$T_TOP/tools/try" "$tree" "$prefix" "$work" > "$scratch/try.out" 2>&1; then
    notok "$name: tools/try"; diag "$(tail -20 "$scratch/try.out")"; return
  fi
  if make -s -C "$T_TOP/tests/unit" TREE="$work/$name" OUT="$work/unit" > "$scratch/unit.out" 2>&1; then
    CK_FORK=no CK_VERBOSITY=silent vg 0 "$name: check_ipme linked with the tree's objects, under memcheck" "$work/unit/check_ipme"
  else notok "$name: unit tests against the tree's objects"; diag "$(tail -5 "$scratch/unit.out")"; fi

  b=$prefix/bin c=$prefix/control
  echo mail.example.org > "$c/me"
  printf '# NAT\n203.0.113.5\n198.51.100.0/255.255.255.128\n' > "$c/moreipme"
  printf '198.51.100.2\n198.51.100.64/26\n' > "$c/notipme"
  vg 0 "$name: ipmeprint" "$b/ipmeprint"
  like "$(cat "$scratch/vg.out")" '^198\.51\.100\.3$' "$name: ... which lists the interfaces"
  vg 0 "$name: ipmeprint -v" "$b/ipmeprint" -v
  like "$(cat "$scratch/vg.out")" '^198\.51\.100\.3 +v0:x$' "$name: ... which names them"
  vg 0 "$name: ipmetest" "$b/ipmetest" 203.0.113.5 198.51.100.2 198.51.100.70 198.51.100.1 10.0.0.1
  vg 100 "$name: ipmetest, bad usage" "$b/ipmetest" 1.2.3.4.5
  VGIN=$scratch/msg vg 0 "$name: qmail-remote to an address that is me" "$b/qmail-remote" "[203.0.113.5]" a@example.org "u@[203.0.113.5]"
  like "$(tr '\0\n' '  ' < "$scratch/vg.out")" '^D.*#5\.4\.6' "$name: ... which refuses it"
  echo mail.example.org > "$c/rcpthosts"
  VGIN=$scratch/smtp vg 0 "$name: qmail-smtpd, box@[a.b.c.d] with good files" "$b/qmail-smtpd"
  is "$(replies 4,5)" "250 ok 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)" \
    "$name: ... which rewrites box@[203.0.113.5] to localiphost, and not box@[192.0.2.9]"

  printf '203.0.113.5\n198.51.100.0/255.0.255.0\n' > "$c/notipme"
  vg 111 "$name: ipmeprint, malformed notipme" "$b/ipmeprint"
  vg 111 "$name: ipmetest, malformed notipme" "$b/ipmetest" 203.0.113.5
  VGIN=$scratch/msg vg 0 "$name: qmail-remote, malformed notipme" "$b/qmail-remote" "[203.0.113.5]" a@example.org "u@[203.0.113.5]"
  like "$(tr '\0\n' '  ' < "$scratch/vg.out")" '^Zcontrol/notipme line 2: bad mask\. \(#4\.3\.0\)' "$name: ... which defers"
  VGIN=$scratch/smtp vg 0 "$name: qmail-smtpd, box@[a.b.c.d] with a malformed notipme" "$b/qmail-smtpd"
  is "$(replies 4,6)" "451 temporary local configuration problem (#4.3.0) 451 temporary local configuration problem (#4.3.0) 250 ok" \
    "$name: ... which answers both literals with the fixed 451, and the next RCPT with 250"
  is "$(cat "$scratch/vg.err")" 'ipme: unable to tell which addresses are mine: control/notipme line 2: bad mask' "$name: ... the reason on standard error, once"
  rm "$c/rcpthosts"
  rm "$c/notipme" && mkdir "$c/notipme"
  vg 111 "$name: ipmetest, notipme a directory" "$b/ipmetest" 203.0.113.5
  rmdir "$c/notipme"
  awk 'BEGIN { for (i = 0; i < 20000; i++) printf "10.%d.%d.0/24\n", i / 256, i % 256 }' > "$c/notipme"
  vg 0 "$name: ipmeprint, 20000 notipme lines" "$b/ipmeprint"
  rm "$c/notipme"
}

# more addresses than the 200000-byte buffer of stock qmail holds
ip link add t1 type veth peer name t1p && ip link set t1 up && ip link set t1p up
i=0; while [ $i -lt 6000 ]; do echo "addr add 10.$((i / 250 + 1)).$((i % 250 + 1)).1/32 dev t1"; i=$((i + 1)); done > "$scratch/batch"
ip -batch "$scratch/batch" || notok "ip -batch added 6000 addresses"

for name in qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.09; do
  if [ -d "$UPSTREAM/$name" ]; then checktree "$name" "$UPSTREAM/$name"
  else echo "SKIP: $name: no $UPSTREAM/$name" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $name in UPSTREAM"; fi
done
done_testing

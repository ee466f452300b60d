#!/bin/sh
# Stack suite: the patches on real stacks, qmail trees that carry other
# patches (TLS, AUTH, SPF, SPP, outgoingip, EHLO, jms1's and sagredo's
# combined patches), made by tools/mkstacks from git mirrors. Needs
# MIRRORS=DIR holding git mirrors notqmail, sagredo-qmail and
# sagredo-qmail-stuff (each may be NAME.git; the stacks of a missing one
# are visible skips); the stacks are made in STACKS (default
# $TMPDIR/moreipme-stacks) and kept for the next run. For each stack, on
# copies of it:
#   fit       tools/fitpatch names a patch: exactly or with offsets, not
#             with fuzz (unless the fuzzed result is checked: FUZZOK)
#   apply     patch -p1, without a terminal, exits 0 and leaves no .rej
#   again     tools/fitpatch on the patched copy says "already applied"
#   build     ipmeprint, ipmetest, qmail-remote and qmail-smtpd, then
#             make it (spfquery, where an SPF patch links ipme.o without
#             control.o); where the stack's own build fails there
#             without our patch too, a skip that says why (sagredo's
#             qmail-smtpd needs vpopmail.h, and libsrs2: Debian packages
#             neither)
#   remote    a moreipme address: D...#5.4.6; a malformed moreipme: Z,
#             naming file and line, #4.3.0 (the address is me, so
#             qmail-remote never connects)
#   ipmetest  -c DIR: me, and not me
#   smtpd     with control/spfbehavior 1 (an SPF patch's spf.c then asks
#             ipme_is about the client in MAIL) and a malformed moreipme,
#             two transactions: MAIL, RCPT, RSET, MAIL, RCPT all 250;
#             with box@[10.0.0.1] among the RCPTs, 451 for that command
#             alone, no reply naming the file; standard error names file
#             and line once. With good files, every answer is the one the
#             stack gives without our patch.
#   reverse   patch -R on another, unbuilt, copy gives back the stack
#   confcc    (sagredo) tools/prepare -c and -l, as make try CONFCC= and
#             CONFLD= use them, reach ./compile and ./load
# The loop guard on the stacks is 41-guard.t's. Nothing here needs a
# network; run in a private network namespace when root can make one.
. "$(dirname "$0")/../lib.sh"
[ -n "${MIRRORS:-}" ] || skip_all "MIRRORS is not set, so no git mirrors to make the stacks from"
[ -d "$MIRRORS" ] || skip_all "MIRRORS=$MIRRORS is not a directory"
for p in setsid timeout; do command -v $p >/dev/null 2>&1 || skip_all "no $p"; done
MIRRORS=$(cd "$MIRRORS" && pwd)
STACKS=${STACKS:-${TMPDIR:-/tmp}/moreipme-stacks}
PATH=/usr/sbin:/sbin:$PATH
maybe_netns "$@"
if [ $netns = 1 ]; then ip link set lo up
else echo "SKIP: $(basename "$0"): not root or no unshare -n: running in this host's network namespace" >&2; fi

# Stacks on which our patch applies only with fuzz and whose fuzzed
# result was checked by hand, each with a comment saying why it is
# right. None so far.
FUZZOK=

scratch=$(mktemp -d "${TMPDIR:-/tmp}/moreipme-stackst.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 111' HUP INT TERM

# mirror NAME: the mirror's path, NAME or NAME.git, else nothing
mirror() {
  for m in "$MIRRORS/$1" "$MIRRORS/$1.git"; do
    if [ -e "$m" ]; then echo "$m"; return; fi
  done
}
stackskip() { echo "SKIP: $(basename "$0"): $*" >&2; skip "$*"; }

"$T_TOP/tools/mkstacks" "$STACKS" "$(mirror notqmail)" "$(mirror sagredo-qmail)" \
  "$(mirror sagredo-qmail-stuff)" > "$scratch/mkstacks.out" 2>&1
is "$?" 0 "tools/mkstacks makes the stacks in $STACKS"
diag "$(cat "$scratch/mkstacks.out")"
STACKS=$(cd "$STACKS" 2>/dev/null && pwd) || STACKS=/nonexistent
made=$(sed -n 's/^stacks://p' "$scratch/mkstacks.out")

printf 'From: a@example.org\nSubject: moreipme stack test\n\nhello\n' > "$scratch/msg"
# remote IP: qmail-remote's report for u@[IP], one a line
remote() {
  timeout 30 "$b/qmail-remote" "[$1]" a@example.org "u@[$1]" < "$scratch/msg" |
    tr '\0\n' '\n ' | sed 's/ *$//'
}
oneline() { printf '%s' "$1" | tr '\n' ' '; }

# patchit DIR PATCHFILE [-R]: patch -p1 as an admin without a terminal
# would; sets rc and out
patchit() {
  if [ "${3:-}" = -R ]; then flags="-R"; else flags="-N $fuzz"; fi
  out=$(cd "$1" && timeout 60 setsid -w patch -p1 $flags --no-backup-if-mismatch -i "$2" < /dev/null 2>&1)
  rc=$?
}

# prep DIR: ready a copy to build, as tools/try does: conf-qmail the
# scratch prefix, the accounts root where they are missing, the two
# qmail-1.03 glibc fixes; then the headers the Makefile generates, as
# make it would reach them (some stacks' rules do not list them all)
prep() {
  (
    cd "$1" || exit 1
    "$T_TOP/tools/prepare" . "$prefix"
    for h in $(sed -n 's/^\([A-Za-z0-9_]*\.h\):.*$/\1/p' Makefile | sort -u); do
      [ -f "$h" ] || timeout 300 make "$h" > /dev/null 2>&1 || :
    done
  )
}

# build DIR TARGET: make TARGET in DIR, the log in DIR.TARGET.log
build() { (cd "$1" && timeout 600 make "$2") > "$1.$2.log" 2>&1; }
firsterror() { grep -m 1 -E 'error:|Error [0-9]' "$1" || tail -n 1 "$1"; }

# smtp BIN SESSION: qmail-smtpd's answers to SESSION (commands
# separated by "|"), one a line, from a client at 192.0.2.9 (not
# 127.0.0.1, which an SPF patch passes without asking ipme_is);
# standard error in $scratch/smtpd.err
smtp() {
  printf '%s|QUIT|' "$2" | tr '|' '\n' | sed 's/$/\r/' |
    TCPREMOTEIP=192.0.2.9 TCPLOCALIP=127.0.0.1 timeout 20 "$1/qmail-smtpd" 2> "$scratch/smtpd.err" | tr -d '\r'
}
codes() { printf '%s\n' "$1" | cut -c1-3 | tr '\n' ' ' | sed 's/ $//'; }
ordinary='HELO x|MAIL FROM:<a@example.org>|RCPT TO:<a@b>|RSET|MAIL FROM:<a@example.org>|RCPT TO:<c@d>'
literal='HELO x|MAIL FROM:<a@example.org>|RCPT TO:<a@b>|RCPT TO:<box@[10.0.0.1]>|RCPT TO:<c@d>|RSET|MAIL FROM:<a@example.org>|RCPT TO:<a@b>'
imsg='ipme: unable to tell which addresses are mine: '

smtpdcases() {
  echo 1 > "$c/spfbehavior"
  # qmail-spp's qmail-smtpd stops with 421 without its list of plugins: none
  printf '[connection]\n[helo]\n[mail]\n[rcpt]\n' > "$c/smtpplugins"
  if [ -n "$callers" ]; then by="spfbehavior 1: $callers asks ipme_is in MAIL"; else by="spfbehavior 1"; fi
  printf '# public\n203.0.113.300\n' > "$c/moreipme"
  out=$(smtp "$b" "$ordinary"); err=$(cat "$scratch/smtpd.err")
  is "$(codes "$out")" "220 250 250 250 250 250 250 221" \
    "$name: a malformed moreipme, $by: MAIL, RCPT, RSET, MAIL, RCPT all 250: $(oneline "$out")"
  if [ -n "$callers" ]; then
    is "$(printf '%s\n' "$err" | grep -c "^$imsg")" 1 "$name: ... standard error has the ipme message once: $err"
  else
    is "$err" "" "$name: ... and, no box@[a.b.c.d] and no other caller, qmail-smtpd never reads the files"
  fi
  out=$(smtp "$b" "$literal"); err=$(cat "$scratch/smtpd.err")
  is "$(codes "$out")" "220 250 250 250 451 250 250 250 250 221" \
    "$name: ... with RCPT box@[10.0.0.1]: 451 for that command alone: $(oneline "$out")"
  if printf '%s\n' "$out" | grep -q -e 'control/' -e '203\.0\.113\.300'; then
    notok "$name: ... and no reply names the file or the line"; diag "$out"
  else ok "$name: ... and no reply names the file or the line"; fi
  is "$(printf '%s\n' "$err" | grep -c "^$imsg.*control/moreipme line 2")" 1 \
    "$name: ... standard error names file and line, once: $err"

  printf '# NAT: the public address\n203.0.113.5\n' > "$c/moreipme"
  if [ $stocksmtpd = 1 ]; then
    for x in ordinary literal; do
      eval "session=\$$x"
      mine=$(smtp "$b" "$session"); stock=$(smtp "$o" "$session")
      is "$mine" "$stock" "$name: good files, $by, the $x session: stock's answers: $(codes "$mine")"
    done
  else
    stackskip "$name: no stock qmail-smtpd to compare the answers with good files"
  fi
  rm -f "$c/spfbehavior" "$c/smtpplugins"
}

checkstack() {
  name=$1 s=$STACKS/$1
  p=$("$T_TOP/tools/fitpatch" "$s" 2> "$scratch/fit.err"); rcfit=$?
  if [ $rcfit -ne 0 ]; then
    notok "$name: tools/fitpatch names a patch that fits"; diag "$(cat "$scratch/fit.err")"
    return
  fi
  [ -z "$(sed -n 's/^fitpatch: warning: //p' "$scratch/fit.err")" ] || diag "$(cat "$scratch/fit.err")"
  pf=$T_TOP/$p
  how=$(sed -n "s/^fitpatch: $p applies //p" "$scratch/fit.err")
  fuzz=-F0
  case $how in
    exactly | "with offsets") ok "$name: $p fits $how" ;;
    "with fuzz")
      fuzz=
      case " $FUZZOK " in
        *" $name "*) ok "$name: $p fits with fuzz, the result checked (see FUZZOK)" ;;
        *) notok "$name: $p fits only with fuzz"; diag "$(cat "$scratch/fit.err")" ;;
      esac ;;
    *) notok "$name: tools/fitpatch says how $p applies"; diag "$(cat "$scratch/fit.err")" ;;
  esac

  # patch -R, on a copy that is never built
  r=$scratch/$name.r
  cp -R "$s" "$r"
  patchit "$r" "$pf"
  patchit "$r" "$pf" -R
  is "$(diff -r "$s" "$r" 2>&1)" "" "$name: patch -R -p1 gives back the stack exactly"
  [ $rc -eq 0 ] || diag "patch -R exits $rc: $(printf '%s\n' "$out" | grep -v -e '^patching file' -e '^|' -e '^---' -e '^Hunk #' | head -n 5)"
  rm -rf "$r"

  w=$scratch/$name.work
  prefix=$scratch/$name.prefix
  cp -R "$s" "$w"
  patchit "$w" "$pf"
  gone=$(printf '%s\n' "$out" | sed -n 's/^|+++ b\///p' | tr '\n' ' ' | sed 's/ $//')
  is "$rc" 0 "$name: patch -p1 exits 0${gone:+ (it asks for files the stack lacks: $gone)}"
  [ $rc -eq 0 ] || diag "$(printf '%s\n' "$out" | grep -v -e '^patching file' -e '^|' -e '^---' -e '^Hunk #' | head -n 10)"
  is "$(cd "$w" && find . -name '*.rej' | sort | tr '\n' ' ')" "" "$name: patch -p1 leaves no .rej"
  again=$("$T_TOP/tools/fitpatch" "$w" 2>&1); rcagain=$?
  like "$rcagain $again" "^100 fitpatch: .* already has $p applied" "$name: tools/fitpatch on the patched copy: $(oneline "$again")"
  diag "$(prep "$w")"
  for t in ipmeprint ipmetest qmail-remote; do
    if build "$w" $t; then ok "$name: $t builds"
    else notok "$name: $t builds"; diag "$(tail -n 15 "$w.$t.log")"; fi
  done
  # the stack without our patch: stock's answers, and whether its build stops by itself
  o=$scratch/$name.orig
  cp -R "$s" "$o"
  prep "$o" > /dev/null
  stocksmtpd=0
  build "$o" qmail-smtpd && stocksmtpd=1
  smtpd=0
  if build "$w" qmail-smtpd; then ok "$name: qmail-smtpd builds"; smtpd=1
  elif [ $stocksmtpd = 1 ]; then
    notok "$name: qmail-smtpd builds (it does without our patch)"; diag "$(tail -n 15 "$w.qmail-smtpd.log")"
  else
    stackskip "$name: qmail-smtpd does not build without our patch either: $(firsterror "$o.qmail-smtpd.log")"
  fi
  spfq=
  if grep -q '^spfquery:' "$w/Makefile"; then spfq=" (spfquery too, which links ipme.o)"; fi
  if build "$w" it; then ok "$name: make it builds$spfq"
  elif build "$o" it; then
    notok "$name: make it builds$spfq (it does without our patch)"; diag "$(tail -n 15 "$w.it.log")"
  else
    stackskip "$name: make it fails without our patch too: $(firsterror "$o.it.log")"
  fi
  # the stack's own callers of ipme_is, besides the ones our patch knows
  callers=$(cd "$s" && grep -l 'ipme_is *(' *.c 2>/dev/null | grep -v -x -e ipme.c -e qmail-remote.c \
    -e qmail-smtpd.c -e ipmeprint.c -e ipmetest.c | tr '\n' ' ' | sed 's/ $//')

  b=$w c=$prefix/control
  mkdir -p "$c"
  echo mail.example.org > "$c/me"
  printf '# NAT: the public address\n203.0.113.5\n' > "$c/moreipme"
  if [ -x "$b/qmail-remote" ]; then
    out=$(remote 203.0.113.5)
    like "$out" '^D.*#5\.4\.6' "$name: qmail-remote refuses a moreipme address: $(oneline "$out")"
  else skip "$name: no qmail-remote to run"; fi
  if [ -x "$b/ipmetest" ]; then
    is "$("$b/ipmetest" -c "$c" 203.0.113.5 192.0.2.77 2>&1)" "203.0.113.5: me (ipme 203.0.113.5, $c/moreipme:2)
192.0.2.77: not me (no entry matches)" "$name: ipmetest -c says me for moreipme's address, not me for another"
  else skip "$name: no ipmetest to run"; fi

  printf '# public\n203.0.113.300\n' > "$c/moreipme"
  if [ -x "$b/qmail-remote" ]; then
    out=$(remote 203.0.113.5)
    like "$out" '^Z.*control/moreipme line 2.*#4\.3\.0' "$name: a malformed moreipme defers, naming file and line: $(oneline "$out")"
  else skip "$name: no qmail-remote to run"; fi
  if [ $smtpd = 1 ]; then
    smtpdcases
  fi
  [ -z "$callers" ] || [ $smtpd = 1 ] || stackskip "$name: its $callers calls ipme_is, but its qmail-smtpd does not build here: the SPF case is not run"
  if [ "$name" = sagredo ]; then
    # make try CONFCC=... CONFLD=...: where the headers and libraries
    # Debian lacks (libsrs2's srs2.h, vpopmail.h) are
    out=$("$T_TOP/tools/prepare" -c '-I/opt/srs2/include' -l '-L/opt/srs2/lib' "$o" 2>&1) &&
      (cd "$o" && make compile load) > "$o.conf.log" 2>&1
    like "$(grep -h -e '^exec' "$o/compile" "$o/load" | tr '\n' ' ')" \
      "-I/opt/srs2/include .*-L/opt/srs2/lib" "$name: tools/prepare -c, -l (make try CONFCC=, CONFLD=) reach ./compile and ./load: $(oneline "$out")"
  fi
  rm -rf "$o" "$o".*.log
  rm -rf "$w" "$w".*.log "$prefix"
}

for name in $("$T_TOP/tools/mkstacks" -l); do
  if why=$(sed -n "s/^SKIP: stack $name: //p" "$scratch/mkstacks.out") && [ -n "$why" ]; then
    stackskip "$name: tools/mkstacks could not make it: $why"
  elif case " $made " in *" $name "*) false ;; *) true ;; esac; then
    notok "$name: tools/mkstacks made it"
  else
    checkstack "$name"
  fi
done
done_testing

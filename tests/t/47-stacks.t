#!/bin/sh
# Stack suite: the patches on real stacks, qmail trees that carry other
# patches (TLS, AUTH, outgoingip, EHLO, jms1's and sagredo's combined
# patches), made by tools/mkstacks from git mirrors. Needs MIRRORS=DIR
# holding git mirrors notqmail, sagredo-qmail and sagredo-qmail-stuff
# (each may be NAME.git; the stacks of a missing one are visible skips);
# the stacks are made in STACKS (default $TMPDIR/moreipme-stacks) and
# kept for the next run. For each stack, on copies of it:
#   fit       tools/fitpatch names a patch: exactly or with offsets, not
#             with fuzz (unless the fuzzed result is checked: FUZZOK)
#   apply     patch -p1, without a terminal, exits 0 and leaves no .rej
#   build     ipmeprint, ipmetest, qmail-remote and qmail-smtpd (where the
#             stack's own qmail-smtpd builds without our patch; else a skip)
#   remote    a moreipme address: D...#5.4.6; a malformed moreipme: Z,
#             naming file and line, #4.3.0 (the address is me, so
#             qmail-remote never connects)
#   ipmetest  -c DIR: me, and not me
#   smtpd     a malformed moreipme: 220, an ordinary RCPT is not deferred,
#             box@[10.0.0.1] gets 451 naming no file, stderr names the line
#   reverse   patch -R on another, unbuilt, copy gives back the stack
# sagredo is a visible skip while no patch of ours is made for it. The
# loop guard on the stacks is 41-guard.t's. Nothing here needs a network;
# run in a private network namespace when root can make one.
. "$(dirname "$0")/../lib.sh"
[ -n "${MIRRORS:-}" ] || skip_all "MIRRORS is not set, so no git mirrors to make the stacks from"
[ -d "$MIRRORS" ] || skip_all "MIRRORS=$MIRRORS is not a directory"
for p in setsid timeout; do command -v $p >/dev/null 2>&1 || skip_all "no $p"; done
MIRRORS=$(cd "$MIRRORS" && pwd)
STACKS=${STACKS:-${TMPDIR:-/tmp}/moreipme-stacks}
PATH=/usr/sbin:/sbin:$PATH
if [ "${1:-}" != --in-netns ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  exec unshare -n "$0" --in-netns
fi
if [ "${1:-}" = --in-netns ]; then ip link set lo up
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

checkstack() {
  name=$1 s=$STACKS/$1
  p=$("$T_TOP/tools/fitpatch" "$s" 2> "$scratch/fit.err"); rcfit=$?
  if [ $rcfit -ne 0 ]; then
    if [ "$name" = sagredo ] && ! ls "$T_TOP"/*sagredo*-moreipme-0.6.patch >/dev/null 2>&1; then
      stackskip "$name: no sagredo patch of ours yet, and none of the others fits: $(sed -n 's/^fitpatch: the closest is \(.*\), with \([0-9]*\) rejected:$/the closest, \1, has \2 rejected hunks/p' "$scratch/fit.err")"
    else
      notok "$name: tools/fitpatch names a patch that fits"; diag "$(cat "$scratch/fit.err")"
    fi
    return
  fi
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
  diag "$(prep "$w")"
  for t in ipmeprint ipmetest qmail-remote; do
    if build "$w" $t; then ok "$name: $t builds"
    else notok "$name: $t builds"; diag "$(tail -n 15 "$w.$t.log")"; fi
  done
  smtpd=1
  if build "$w" qmail-smtpd; then ok "$name: qmail-smtpd builds"
  else
    o=$scratch/$name.orig
    cp -R "$s" "$o"
    prep "$o" > /dev/null
    if build "$o" qmail-smtpd; then
      notok "$name: qmail-smtpd builds (it does without our patch)"; diag "$(tail -n 15 "$w.qmail-smtpd.log")"
    else
      stackskip "$name: qmail-smtpd does not build without our patch either: $(firsterror "$o.qmail-smtpd.log")"
    fi
    smtpd=0
    rm -rf "$o" "$o".*.log
  fi

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
    out=$(printf 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<a@b>\r\nRCPT TO:<box@[10.0.0.1]>\r\nQUIT\r\n' |
      TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout 10 "$b/qmail-smtpd" 2> "$scratch/smtpd.err" | tr -d '\r')
    err=$(cat "$scratch/smtpd.err")
    like "$(printf '%s\n' "$out" | sed -n 1p)" '^220 ' "$name: a malformed moreipme: qmail-smtpd greets 220"
    rcpt=$(printf '%s\n' "$out" | sed -n 4p)
    like "$rcpt" '^[^4]' "$name: a malformed moreipme: ... an ordinary RCPT is not deferred: $rcpt"
    rcpt=$(printf '%s\n' "$out" | sed -n 5p)
    like "$rcpt" '^451 ' "$name: a malformed moreipme: ... RCPT box@[10.0.0.1] gets 451: $rcpt"
    if printf '%s\n' "$out" | grep -q -e 'control/' -e '203\.0\.113\.300'; then
      notok "$name: a malformed moreipme: ... and no reply names the file or the line"; diag "$out"
    else ok "$name: a malformed moreipme: ... and no reply names the file or the line"; fi
    like "$err" 'control/moreipme line 2' "$name: a malformed moreipme: ... standard error names file and line: $err"
  fi
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

#!/bin/sh
# Tree suite: qmail-smtpd asks which addresses are its own only when a
# MAIL or RCPT carries a box@[a.b.c.d]. tests/fault/failioctl.c, preloaded
# into every session, logs each SIOCGIFCONF and each open (FAILIOCTL_LOG),
# so the test sees what a session listed and read. On each tree, from a
# tools/try build:
#   ioctl   SIOCGIFCONF fails (FAILIOCTL=EIO)
#   fifo    control/moreipme a FIFO (mkfifo) that nobody writes, held
#           open by a process that never writes: a reader gets no line
#   bare    the same FIFO with no process holding it
# a session HELO, MAIL, RCPT, DATA, QUIT with no literal gets only 2xx and
# 3xx within the time limit, queues its message, lists no interface,
# opens neither moreipme nor notipme and writes nothing to standard
# error. In the same setup a literal recipient gets the fixed 451, the
# reason goes to standard error once, and the session goes on: the next
# RCPT gets 250 and DATA queues; a failed read is not remembered, so the
# next literal tries again. With good files box@[127.0.0.1] and an
# interface address are rewritten to control/localiphost exactly as stock
# qmail-smtpd (tests/e2e/buildstock.sh) does, and a moreipme address is
# too; once read, the files are not read again in that connection.
# Needs UPSTREAM=DIR, root, unshare -n, mkfifo, timeout and a C
# compiler; skips visibly otherwise.
. "$(dirname "$0")/../lib.sh"
need_upstream
for p in mkfifo timeout; do command -v $p >/dev/null 2>&1 || skip_all "no $p (coreutils)"; done
in_netns "$@"
PATH=/usr/sbin:/sbin:$PATH
limit=10 # seconds a session may take; one needs milliseconds

scratch=$(mktemp -d /tmp/moreipme-lazy.XXXXXX)
holdpid=
unhold() {
  [ -n "$holdpid" ] || return 0
  kill "$holdpid" 2>/dev/null; wait "$holdpid" 2>/dev/null; holdpid=
}
cleanup() { unhold; rm -rf "$scratch"; }
trap cleanup EXIT
trap 'exit 111' HUP INT TERM
${CC:-cc} -shared -fPIC -o "$scratch/failioctl.so" "$T_TOP/tests/fault/failioctl.c" -ldl ||
  { notok "build tests/fault/failioctl.c"; done_testing; exit 1; }

# lo, and v0 with 198.51.100.1 and 198.51.100.2 (notipme takes the second)
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip addr add 198.51.100.2/24 dev v0
ip link set v0 up
ip link set v1 up

fixed='451 temporary local configuration problem (#4.3.0)'
why='ipme: unable to tell which addresses are mine: '
body='DATA\r\nSubject: lazy\r\n\r\nhello\r\n.\r\n'
plain="HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<u@example.org>\r\n${body}QUIT\r\n"
literal="HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<u@example.org>\r\nRCPT TO:<box@[127.0.0.1]>\r\nRCPT TO:<u2@example.org>\r\nRCPT TO:<box@[127.0.0.1]>\r\n${body}QUIT\r\n"

# smtpd BIN INPUT: BIN's replies to INPUT (printf format), CRs removed,
# in $scratch/out, its standard error in $scratch/err, the shim's log in
# $scratch/log, timeout's exit code in $rc, the seconds taken in $secs;
# $fail is FAILIOCTL's value. $scratch/mark is older than what it queues.
fail=none
smtpd() {
  : > "$scratch/log"
  touch "$scratch/mark"
  t0=$(date +%s)
  printf "$2" | TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout $limit env FAILIOCTL="$fail" \
    FAILIOCTL_LOG="$scratch/log" LD_PRELOAD="$scratch/failioctl.so" "$1" > "$scratch/out.raw" 2> "$scratch/err"
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  tr -d '\r' < "$scratch/out.raw" > "$scratch/out"
}
reply() { sed -n "$1p" "$scratch/out"; }
codes() { cut -c1-3 "$scratch/out" | tr '\n' ' ' | sed 's/ $//'; }
# envelope PREFIX: the recipients of the messages queued since the mark
envelope() {
  find "$1/queue/todo" -type f -newer "$scratch/mark" | sort | while read -r f; do
    tr '\0' '\n' < "$f" | sed -n 's/^T//p'
  done | tr '\n' ' ' | sed 's/ $//'
}
listed() { grep -c '^SIOCGIFCONF$' "$scratch/log"; }
opened() { grep -c "^open \\(.*/\\)\\{0,1\\}control/$1\$" "$scratch/log"; }

# checkplain NAME SETUP: a session with no literal is not held up by SETUP
checkplain() {
  name=$1 what=$2
  smtpd "$prefix/bin/qmail-smtpd" "$plain"
  [ "$rc" = 0 ] && ok "$name: $what: a session with no literal ends within ${limit}s (${secs}s)" ||
    notok "$name: $what: a session with no literal ends within ${limit}s (timeout says $rc)"
  is "$(codes)" "220 250 250 250 354 250 221" "$name: $what: ... HELO, MAIL, RCPT, DATA, QUIT: 2xx and 3xx only"
  is "$(envelope "$prefix")" "u@example.org" "$name: $what: ... and its message is queued"
  is "$(listed)" 0 "$name: $what: ... it lists no interface (no SIOCGIFCONF)"
  is "$(opened moreipme) $(opened notipme)" "0 0" "$name: $what: ... opens neither moreipme nor notipme"
  is "$(cat "$scratch/err")" "" "$name: $what: ... and says nothing on standard error"
}

# checkliteral NAME SETUP REASON: box@[127.0.0.1] gets the fixed 451, the
# reason (a grep -E pattern after $why) goes to standard error once, the
# session goes on
checkliteral() {
  name=$1 what=$2 reason=$3
  smtpd "$prefix/bin/qmail-smtpd" "$literal"
  [ "$rc" = 0 ] && ok "$name: $what: a session with box@[127.0.0.1] ends within ${limit}s (${secs}s)" ||
    notok "$name: $what: a session with box@[127.0.0.1] ends within ${limit}s (timeout says $rc)"
  is "$(reply 5)" "$fixed" "$name: $what: ... RCPT box@[127.0.0.1] gets the fixed 451"
  is "$(reply 6)" "250 ok" "$name: $what: ... the next, ordinary, RCPT gets 250"
  is "$(reply 7)" "$fixed" "$name: $what: ... a second box@[127.0.0.1] gets the same 451"
  is "$(codes)" "220 250 250 250 451 250 451 354 250 221" "$name: $what: ... and the session goes on to DATA and QUIT"
  is "$(envelope "$prefix")" "u@example.org u2@example.org" "$name: $what: ... queueing the message for the ordinary recipients"
  case $(cat "$scratch/out") in
    *control/*) notok "$name: $what: ... no reply names a control file"; diag "$(cat "$scratch/out")" ;;
    *) ok "$name: $what: ... no reply names a control file" ;;
  esac
  is "$(wc -l < "$scratch/err" | tr -d ' ')" 1 "$name: $what: ... standard error has one line for the connection"
  like "$(cat "$scratch/err")" "^$why$reason\$" "$name: $what: ... saying why: $(cat "$scratch/err")"
}

checktree() {
  name=$1 tree=$2
  prefix=$scratch/$name.prefix stock=$scratch/$name.stock
  if ! "$T_TOP/tools/try" "$tree" "$prefix" "$scratch/$name.work" > "$scratch/try.out" 2>&1; then
    notok "$name: tools/try"; diag "$(tail -20 "$scratch/try.out")"; return
  fi
  c=$prefix/control
  echo mail.example.org > "$c/me"
  echo example.org > "$c/localiphost"
  echo example.org > "$c/rcpthosts"
  printf '# NAT\n203.0.113.5\n' > "$c/moreipme"
  printf '198.51.100.2\n' > "$c/notipme"

  fail=EIO
  checkplain "$name" "SIOCGIFCONF fails"
  checkliteral "$name" "SIOCGIFCONF fails" 'unable to list the network interfaces: input/output error'
  two=$(listed)
  smtpd "$prefix/bin/qmail-smtpd" "HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[127.0.0.1]>\r\nQUIT\r\n"
  one=$(listed)
  [ "$one" -ge 1 ] && [ "$two" = $((2 * one)) ] && ok "$name: SIOCGIFCONF fails: ... each literal made it list the interfaces again (a failure is not remembered: $one SIOCGIFCONF for one literal, $two for two)" ||
    notok "$name: SIOCGIFCONF fails: ... each literal made it list the interfaces again (a failure is not remembered: $one SIOCGIFCONF for one literal, $two for two)"
  fail=none

  rm "$c/moreipme" && mkfifo "$c/moreipme"
  sleep 600 <> "$c/moreipme" & holdpid=$!
  n=0; until [ "$(readlink "/proc/$holdpid/fd/0" 2>/dev/null)" = "$c/moreipme" ] || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
  checkplain "$name" "moreipme a FIFO nobody writes"
  checkliteral "$name" "moreipme a FIFO nobody writes" 'unable to read control/moreipme: .+'
  is "$(opened moreipme) $(opened notipme)" "2 0" "$name: moreipme a FIFO nobody writes: ... each literal made it open moreipme again (a failure is not remembered), and not notipme"
  unhold
  checkplain "$name" "moreipme a FIFO nobody holds"
  # no writer: the FIFO reads as an empty file, as control_readfile reads it
  smtpd "$prefix/bin/qmail-smtpd" "$literal"
  [ "$rc" = 0 ] && ok "$name: moreipme a FIFO nobody holds: a session with box@[127.0.0.1] ends within ${limit}s (${secs}s)" ||
    notok "$name: moreipme a FIFO nobody holds: a session with box@[127.0.0.1] ends within ${limit}s (timeout says $rc)"
  is "$(codes)" "220 250 250 250 250 250 250 354 250 221" "$name: moreipme a FIFO nobody holds: ... an empty moreipme, so box@[127.0.0.1] is me and accepted"
  rm "$c/moreipme"
  printf '# NAT\n203.0.113.5\n' > "$c/moreipme"

  # good files: the same answers and envelope as stock for what stock knows
  if ! "$T_TOP/tests/e2e/buildstock.sh" "$tree" "$stock" "$scratch/$name.stockwork" > "$scratch/stock.out" 2>&1; then
    notok "$name: tests/e2e/buildstock.sh"; diag "$(tail -20 "$scratch/stock.out")"
  else
    cp "$c/me" "$c/localiphost" "$c/rcpthosts" "$stock/control/"
    in="HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[127.0.0.1]>\r\nRCPT TO:<box@[198.51.100.1]>\r\nRCPT TO:<box@[192.0.2.1]>\r\nRCPT TO:<u@example.org>\r\n${body}QUIT\r\n"
    smtpd "$stock/bin/qmail-smtpd" "$in"
    sed 's/^250 ok [0-9]* qp [0-9]*$/250 ok N qp N/' "$scratch/out" > "$scratch/stock.replies"
    senv=$(envelope "$stock")
    is "$senv" "box@example.org box@example.org u@example.org" "$name: stock qmail-smtpd rewrites box@[127.0.0.1] and box@[198.51.100.1] to localiphost"
    smtpd "$prefix/bin/qmail-smtpd" "$in"
    sed 's/^250 ok [0-9]* qp [0-9]*$/250 ok N qp N/' "$scratch/out" > "$scratch/replies"
    is "$(diff "$scratch/stock.replies" "$scratch/replies")" "" "$name: good files: the patched qmail-smtpd answers as stock: $(codes)"
    is "$(envelope "$prefix")" "$senv" "$name: good files: ... and queues the same envelope: box@[127.0.0.1] rewritten to localiphost"
    is "$(cat "$scratch/err")" "" "$name: good files: ... with nothing on standard error"
  fi
  in="HELO x\r\nMAIL FROM:<a@[127.0.0.1]>\r\nRCPT TO:<box@[203.0.113.5]>\r\nRCPT TO:<box@[198.51.100.2]>\r\nRCPT TO:<box@[127.0.0.1]>\r\n${body}QUIT\r\n"
  smtpd "$prefix/bin/qmail-smtpd" "$in"
  is "$(codes)" "220 250 250 250 553 250 354 250 221" "$name: good files: box@[203.0.113.5] (moreipme) is accepted, box@[198.51.100.2] (notipme) is not"
  is "$(envelope "$prefix")" "box@example.org box@example.org" "$name: good files: ... the moreipme address rewritten to localiphost"
  is "$(opened moreipme) $(opened notipme)" "1 1" "$name: good files: ... four literals, and each file is opened once"
  [ "$(listed)" -ge 1 ] && ok "$name: good files: ... and the interfaces listed" || notok "$name: good files: ... and the interfaces listed"
  rm -rf "$prefix" "$stock" "$scratch/$name.work" "$scratch/$name.stockwork"
}

for t in qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.09; do
  if [ -d "$UPSTREAM/$t" ]; then checktree "$t" "$UPSTREAM/$t"
  else echo "SKIP: $t: no $UPSTREAM/$t" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $t in UPSTREAM"; fi
done
done_testing

#!/bin/sh
# Tree suite, fault injection: qmail-remote from a tools/try build of
# each tree, delivering to u@[198.51.100.2], an interface address that
# notipme excludes, where tests/bin/smtpsink listens. Each fault must
# give Z (a deferral) with its message and no connection; with the fault
# removed, the same call must deliver to the sink: nothing is lost.
# qmail-smtpd, run the same way, answers RCPT box@[203.0.113.5] with the
# fixed 451 and writes qmail-remote's reason to its standard error; with
# the fault removed the same RCPT is rewritten to localiphost and gets 250.
#   unreadable   control/moreipme mode 000, qmail-remote run as nobody
#   directory    control/moreipme a directory; control/notipme one, as nobody
#   memory       an address-space limit (prlimit --as) that qmail-remote
#                runs in, and a moreipme of a million lines that does not
#                fit; the fix is the usual small moreipme, same limit
#   interfaces   ioctl(SIOCGIFCONF) fails with EIO, or says EINVAL (too
#                small) whatever the size, through an LD_PRELOAD shim,
#                tests/fault/failioctl.c; the fix is running without it.
#                qmail-remote says "unable to list the network interfaces"
#                and the system's reason, never "Out of memory": for EINVAL
#                moreipme.c stops doubling its buffer at a few MB, so the
#                same happens in 16 MB of address space, after at most 12
#                tries
# Needs UPSTREAM=DIR, root, unshare -n, setpriv, prlimit and a C compiler;
# skips visibly otherwise.
. "$(dirname "$0")/../lib.sh"
need_upstream
for p in setpriv prlimit; do command -v $p >/dev/null 2>&1 || skip_all "no $p (util-linux)"; done
in_netns "$@"
PATH=/usr/sbin:/sbin:$PATH
nobody=$(id -u nobody 2>/dev/null) || nobody=65534

scratch=$(mktemp -d /tmp/moreipme-faults.XXXXXX)
chmod 755 "$scratch" # nobody must reach the qmail home inside it
sinkpid=
cleanup() { [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
make -s -C "$T_TOP" tests/bin/smtpsink >/dev/null || { notok "build smtpsink"; done_testing; exit 1; }
${CC:-cc} -shared -fPIC -o "$scratch/failioctl.so" "$T_TOP/tests/fault/failioctl.c" -ldl ||
  { notok "build tests/fault/failioctl.c"; done_testing; exit 1; }

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip addr add 198.51.100.2/24 dev v0
ip link set v0 up
ip link set v1 up
sinkip=198.51.100.2
log=$scratch/sink.log

printf 'From: a@example.org\nSubject: moreipme fault test\n\nhello\n' > "$scratch/msg"
# remote [WRAPPER...]: qmail-remote's report for u@[198.51.100.2], run
# through WRAPPER, with the environment settings in $preload
preload=
remote() {
  timeout 60 "$@" env $preload "$prefix/bin/qmail-remote" "[$sinkip]" a@example.org "u@[$sinkip]" < "$scratch/msg" |
    tr '\0\n' '\n ' | sed 's/ *$//'
}

# smtpd [WRAPPER...]: qmail-smtpd's answer to RCPT box@[203.0.113.5],
# run like remote; its standard error in $scratch/smtpd.err
smtpd() {
  printf 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[203.0.113.5]>\r\nQUIT\r\n' |
    TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout 60 "$@" env $preload "$prefix/bin/qmail-smtpd" 2> "$scratch/smtpd.err" |
    tr -d '\r' | sed -n 4p
}

# fault WHAT WANT BREAK FIX [WRAPPER...]: after BREAK, qmail-remote answers WANT
# and does not connect, and qmail-smtpd answers a literal with the fixed
# 451, WANT's text on its standard error; after FIX, qmail-remote delivers
# one message to the sink and qmail-smtpd accepts the literal
fault() {
  what=$1 want=$2 brk=$3 fix=$4; shift 4
  : > "$log"
  "$T_TOP/tests/bin/smtpsink" $sinkip 25 1 60 "$log" & sinkpid=$!
  n=0; until grep -q listening "$log" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
  eval "$brk"
  is "$(remote "$@")" "$want" "$name: $what: qmail-remote defers"
  is "$(grep -c '^connect' "$log")" 0 "$name: $what: ... without connecting"
  is "$(smtpd "$@")" "451 temporary local configuration problem (#4.3.0)" "$name: $what: qmail-smtpd answers box@[203.0.113.5] with the fixed 451"
  reason=${want#Z}
  is "$(cat "$scratch/smtpd.err")" "ipme: unable to tell which addresses are mine: ${reason%. (#4.3.0)}" "$name: $what: ... and gives qmail-remote's reason on standard error"
  eval "$fix"
  out=$(remote "$@")
  like "$out" '^K.*accepted message' "$name: $what: once fixed, the same call delivers"
  is "$(smtpd "$@")" "250 ok" "$name: $what: once fixed, qmail-smtpd rewrites box@[203.0.113.5] to localiphost and accepts it"
  wait "$sinkpid"; sinkpid=
  is "$(grep -E '^(connect|message)' "$log" | sed 's/ [0-9.]*$//' | tr '\n' ' ')" "connect message " "$name: $what: once fixed, the sink has the message"
}

checktree() {
  name=$1 tree=$2
  prefix=$scratch/$name.prefix
  if ! "$T_TOP/tools/try" "$tree" "$prefix" "$scratch/$name.work" > "$scratch/try.out" 2>&1; then
    notok "$name: tools/try"; diag "$(tail -20 "$scratch/try.out")"; return
  fi
  c=$prefix/control
  echo mail.example.org > "$c/me"
  echo mail.example.org > "$c/rcpthosts"
  printf '# NAT\n203.0.113.5\n203.0.113.64/26\n192.0.2.0/255.255.255.0\n10.9.8.7\n198.51.100.128/25\n' > "$c/moreipme"
  printf '198.51.100.2\n203.0.113.66\n' > "$c/notipme"
  chmod 644 "$c"/*
  cp "$c/moreipme" "$scratch/moreipme.good"

  fault "moreipme mode 000, as nobody" "Zunable to read control/moreipme: access denied. (#4.3.0)" \
    'chmod 000 "$c/moreipme"' 'chmod 644 "$c/moreipme"' \
    setpriv --reuid="$nobody" --regid="$nobody" --clear-groups --
  fault "moreipme a directory" "Zunable to read control/moreipme: is a directory. (#4.3.0)" \
    'rm "$c/moreipme" && mkdir "$c/moreipme"' 'rmdir "$c/moreipme" && cp "$scratch/moreipme.good" "$c/moreipme"'
  fault "notipme a directory, as nobody" "Zunable to read control/notipme: is a directory. (#4.3.0)" \
    'mv "$c/notipme" "$scratch/notipme.good" && mkdir "$c/notipme"' 'rmdir "$c/notipme" && mv "$scratch/notipme.good" "$c/notipme"' \
    setpriv --reuid="$nobody" --regid="$nobody" --clear-groups --
  fault "a million-line moreipme in 16 MB of address space" "ZOut of memory. (#4.3.0)" \
    'cp "$scratch/moreipme.big" "$c/moreipme"' 'cp "$scratch/moreipme.good" "$c/moreipme"' \
    prlimit --as=$((16 * 1024 * 1024)) --
  fault "SIOCGIFCONF fails with EIO" "Zunable to list the network interfaces: input/output error. (#4.3.0)" \
    'preload="FAILIOCTL=EIO LD_PRELOAD=$scratch/failioctl.so"' 'preload='
  fault "SIOCGIFCONF says EINVAL (buffer too small) for ever" "Zunable to list the network interfaces: invalid argument. (#4.3.0)" \
    'preload="FAILIOCTL=EINVAL LD_PRELOAD=$scratch/failioctl.so"' 'preload='
  # the buffer stays bounded: the same answer in 16 MB of address space
  # (it grew past 100 MB before issue 19), after a bounded number of tries
  preload="FAILIOCTL=EINVAL FAILIOCTL_LOG=$scratch/ioctl.log LD_PRELOAD=$scratch/failioctl.so"
  : > "$scratch/ioctl.log"
  is "$(remote prlimit --as=$((16 * 1024 * 1024)) --)" "Zunable to list the network interfaces: invalid argument. (#4.3.0)" \
    "$name: SIOCGIFCONF says EINVAL for ever, in 16 MB of address space: the same deferral, no Out of memory"
  tries=$(grep -c '^SIOCGIFCONF$' "$scratch/ioctl.log")
  [ "$tries" -ge 2 ] && [ "$tries" -le 12 ] && ok "$name: ... after $tries SIOCGIFCONF, at most 12" ||
    notok "$name: ... after $tries SIOCGIFCONF, at most 12"
  is "$(smtpd prlimit --as=$((16 * 1024 * 1024)) --)" "451 temporary local configuration problem (#4.3.0)" \
    "$name: ... and qmail-smtpd in 16 MB answers box@[203.0.113.5] with the fixed 451"
  is "$(cat "$scratch/smtpd.err")" "ipme: unable to tell which addresses are mine: unable to list the network interfaces: invalid argument" \
    "$name: ... giving the same reason on standard error"
  preload=
}

awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "10.%d.%d.%d\n", i / 65536, (i / 256) % 256, i % 256 }' > "$scratch/moreipme.big"
for name in qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.09; do
  if [ -d "$UPSTREAM/$name" ]; then checktree "$name" "$UPSTREAM/$name"
  else echo "SKIP: $name: no $UPSTREAM/$name" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $name in UPSTREAM"; fi
done
done_testing

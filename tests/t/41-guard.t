#!/bin/sh
# Tree suite: qmail-remote's loop guard (issue 11), and the evidence in
# its #5.4.6 refusal. Needs UPSTREAM=DIR with the pristine trees, root,
# network namespaces and nft; skips visibly otherwise. Each tree is
# built with gcc (tools/try); tests/t/40-trees.t covers clang.
#
# In a private namespace: v0 has 198.51.100.1, and an nft rule in the
# output hook sends 203.0.113.5:25 to 198.51.100.1:25 (NAT on one host:
# the public address is on no interface). tests/bin/smtpsink, with the
# greeting and HELO reply each check asks for, listens there (or on port
# 2525) and logs what the client sent.
. "$(dirname "$0")/../lib.sh"
need_upstream
PATH=/usr/sbin:/sbin:$PATH
command -v nft >/dev/null 2>&1 || skip_all "needs nft (apt-get install nftables)"
in_netns "$@"
printf 'table ip probe {\n chain c {\n  type nat hook output priority -100;\n }\n}\n' | nft -f - 2>/dev/null ||
  skip_all "needs nftables NAT in a network namespace"
nft delete table ip probe

scratch=$(mktemp -d /tmp/moreipme-guard.XXXXXX)
sinkpid=
cleanup() { [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
make -s -C "$T_TOP" tests/bin/smtpsink >/dev/null || { notok "build smtpsink"; done_testing; exit; }

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add 203.0.113.0/24 dev v0
nft -f - <<EOF || { notok "the nft DNAT rule"; done_testing; exit; }
table ip guard {
  chain out {
    type nat hook output priority -100; policy accept;
    ip daddr 203.0.113.5 tcp dport 25 counter dnat to 198.51.100.1:25
  }
}
EOF
dnat() { nft list chain ip guard out | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'; }

log=$scratch/sink.log
# sink PORT [smtpsink options]: a fake SMTP server on 198.51.100.1:PORT, one connection
sink() {
  port=$1; shift
  : > "$log"
  "$T_TOP/tests/bin/smtpsink" "$@" 198.51.100.1 "$port" 1 30 "$log" & sinkpid=$!
  sk_n=0; until grep -q listening "$log" || [ $sk_n -ge 50 ]; do sleep 0.1; sk_n=$((sk_n + 1)); done
}
# endsink: it exits after its one session; if nobody came, stop it
endsink() {
  sk_n=0; while kill -0 "$sinkpid" 2>/dev/null && [ $sk_n -lt 20 ]; do sleep 0.1; sk_n=$((sk_n + 1)); done
  kill "$sinkpid" 2>/dev/null; wait "$sinkpid" 2>/dev/null; sinkpid=
}
msg() { printf 'From: a@example.org\nSubject: guard test\n\nhello\n'; }
# remote HOST RCPT: qmail-remote's reports, one a line
remote() { msg | timeout 30 "$prefix/bin/qmail-remote" "$1" a@example.org "$2" | tr '\n\0' ' \n' | sed 's/ *$//'; }
# try GREETING HELOREPLY [HOST RCPT [PORT]]: deliver through a sink that
# answers so; sets out (the report) and seen (the sink's log, one line)
try() {
  sink "${5:-25}" -g "$1" -h "$2"
  out=$(remote "${3:-[203.0.113.5]}" "${4:-u@[203.0.113.5]}")
  endsink
  seen=$(tr '\n' ' ' < "$log")
}
loopmsg() { echo "ZConnected to $1 but it answered HELO with my own name $2: this is a mail loop. If $1 is this host, add it to control/moreipme. (#4.4.6)"; }
# guarded WHAT [ADDR [NAME]]: out is the loop deferral, and the server saw HELO, QUIT and no MAIL
guarded() {
  is "$out" "$(loopmsg "${2:-203.0.113.5}" "${3:-mail.example.org}")" "$name: $1: defers, naming the address and control/moreipme"
  case $seen in *"helo "*quit*) case $seen in *"mail "*) notok "$name: ... sends no MAIL FROM"; diag "$seen" ;; *) ok "$name: ... sends QUIT and no MAIL FROM" ;; esac ;;
    *) notok "$name: ... after HELO, QUIT"; diag "$seen" ;; esac
}
# delivered WHAT: out is K, and the server saw the message
delivered() {
  like "$out" '^K' "$name: $1: delivers"
  case $seen in *"mail FROM:<a@example.org>"*"message "*) ok "$name: ... the server got the message" ;; *) notok "$name: ... the server got the message"; diag "$seen" ;; esac
}

ME='mail.example.org'
comparisons() {
  d0=$(dnat)
  try "220 $ME ESMTP" "250 $ME"
  guarded "own name in the greeting and the HELO reply"
  is "$(($(dnat) - d0))" 1 "$name: ... one connection, through the DNAT rule"
  like "$seen" "helo $ME " "$name: ... after HELO $ME"
  try '220 other.example.net ESMTP' '250 other.example.net'
  delivered "another name in both"
  try '220 other.example.net ESMTP' '250 %h'
  delivered "a server that greets with its own name and echoes HELO's argument"
  try "220 $ME ESMTP" '250 other.example.net'
  delivered "own name in the greeting only"
  try '220 other.example.net ESMTP' "250 $ME"
  delivered "own name in the HELO reply only"
  try '220 MAIL.Example.ORG ESMTP' '250 Mail.Example.Org'
  guarded "own name in another case"
  try "220-$ME ESMTP
220 and a second line" "250-$ME
250-PIPELINING
250 8BITMIME"
  guarded "own name on the first lines of replies of several lines"
  try "220 $ME ESMTP" "250-other.example.net
250 $ME"
  delivered "own name on the HELO reply's second line only"
  try '220' "250 $ME"
  delivered "a greeting with no text"
  try "220 $ME ESMTP" '250'
  delivered "a HELO reply with no text"
  try "220 $ME ESMTP" '250 '
  delivered "a HELO reply with an empty text"
  try "220 ${ME}x ESMTP" "250 ${ME}x"
  delivered "a name that only starts with ours"
  try "220  $ME ESMTP" "250	$ME"
  guarded "own name after extra blanks"

  c=$prefix/control
  echo 'relay.example.net ESMTP ready' > "$c/smtpgreeting"
  try '220 relay.example.net ESMTP ready ESMTP' '250 relay.example.net ESMTP ready'
  guarded "control/smtpgreeting of several words: its first word is our name" 203.0.113.5 relay.example.net
  try "220 $ME ESMTP" "250 $ME"
  delivered "... and control/me's name is then not ours"
  rm "$c/smtpgreeting"

  for n in localhost localhost.localdomain LocalHost.example.org mail .example.org mail. 'mail..example.org'; do
    echo "$n" > "$c/me"
    try "220 $n ESMTP" "250 $n"
    delivered "our name '$n' is not a dotted name (or is localhost): no guard"
  done
  echo "$ME" > "$c/me"
}

optout() {
  c=$prefix/control
  echo 203.0.113.5 > "$c/notipme"
  try "220 $ME ESMTP" "250 $ME"
  delivered "own name, but the address is in notipme"
  echo 203.0.113.0/24 > "$c/notipme"
  try "220 $ME ESMTP" "250 $ME"
  delivered "own name, but the address is in a notipme network"
  echo 203.0.113.5 > "$c/notipme"
  echo 203.0.113.5 > "$c/moreipme"
  try "220 $ME ESMTP" "250 $ME"
  delivered "own name, the address in moreipme and notipme (notipme wins the tie)"
  rm "$c/notipme" "$c/moreipme"
}

routes() {
  c=$prefix/control
  echo 'loop.test:198.51.100.1' > "$c/smtproutes"
  try "220 $ME ESMTP" "250 $ME" loop.test u@loop.test
  guarded "smtproutes to this host's interface address, port 25" 198.51.100.1
  echo 'loop.test:198.51.100.1:2525' > "$c/smtproutes"
  try "220 $ME ESMTP" "250 $ME" loop.test u@loop.test 2525
  delivered "smtproutes to this host on port 2525: no guard"
  echo 'loop.test:203.0.113.5' > "$c/smtproutes"
  try "220 $ME ESMTP" "250 $ME" loop.test u@loop.test
  guarded "smtproutes to the public address, port 25"
  echo 203.0.113.5 > "$c/moreipme"
  try "220 $ME ESMTP" "250 $ME" loop.test u@loop.test
  guarded "... also when the public address is in moreipme"
  try '220 other.example.net ESMTP' '250 other.example.net' loop.test u@loop.test
  delivered "smtproutes to a server with another name"
  rm "$c/smtproutes" "$c/moreipme"
}

evidence() {
  c=$prefix/control
  stock="DSorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file, so I don't treat it as local."
  printf '# NAT: the public address\n203.0.113.5\n' > "$c/moreipme"
  is "$(remote '[203.0.113.5]' 'u@[203.0.113.5]')" "$stock (203.0.113.5 is me: control/moreipme line 2) (#5.4.6)" "$name: the #5.4.6 refusal names a moreipme address and its line"
  printf '203.0.113.0/24\n' > "$c/moreipme"
  is "$(remote '[203.0.113.9]' 'u@[203.0.113.9]')" "$stock (203.0.113.9 is me: control/moreipme line 1) (#5.4.6)" "$name: ... an address in a moreipme network"
  rm "$c/moreipme"
  is "$(remote '[198.51.100.1]' 'u@[198.51.100.1]')" "$stock (198.51.100.1 is me: interface v0) (#5.4.6)" "$name: ... an interface address and its interface"
  is "$(remote '[127.0.0.2]' 'u@[127.0.0.2]')" "$stock (127.0.0.2 is me: built in 127.0.0.0/8) (#5.4.6)" "$name: ... a built-in address"
}

checktree() {
  name=$1 tree=$2
  work=$scratch/$name.work prefix=$scratch/$name.prefix
  if "$T_TOP/tools/try" "$tree" "$prefix" "$work" > "$scratch/try.out" 2>&1; then
    ok "$name: make try builds and installs it"
  else notok "$name: make try"; diag "$(tail -20 "$scratch/try.out")"; return; fi
  echo "$ME" > "$prefix/control/me"
  rm -f "$prefix/control/moreipme" "$prefix/control/notipme" "$prefix/control/smtproutes" "$prefix/control/smtpgreeting"
  comparisons
  optout
  routes
  evidence
}

for t in qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.09; do
  if [ -d "$UPSTREAM/$t" ]; then checktree "$t" "$UPSTREAM/$t"
  else echo "SKIP: $t: no $UPSTREAM/$t" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $t in UPSTREAM"; fi
done
done_testing

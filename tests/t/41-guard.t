#!/bin/sh
# Tree suite: qmail-remote's loop guard (ipme_loop in moreipme.c, called
# from smtpcode() for every reply), and the #5.4.6 refusal, which is
# stock qmail's text. Runs on the pristine trees in UPSTREAM=DIR (each
# built with gcc and installed by tools/try; tests/t/40-trees.t covers
# clang) and on the patched stacks in STACKS=DIR (each copied, given the
# patch tools/fitpatch names, and only its qmail-remote built). Needs
# root, network namespaces and nft; skips visibly otherwise, and a tree
# that is missing, or that no patch of ours fits, is a SKIP line.
#
# In a private namespace: v0 has 198.51.100.1, and an nft rule in the
# output hook sends 203.0.113.5:25 to 198.51.100.1:25 (NAT on one host:
# the public address is on no interface). tests/bin/smtpsink, with the
# greeting, HELO reply and EHLO extensions each check asks for, listens
# there (or on port 2525) and logs what the client sent. A tree whose
# qmail-remote.c sends EHLO is expected to send EHLO; the guard reads
# the reply to it, and decides before any STARTTLS.
#
# Two MX (the guard's state belongs to one connection): dnsmasq on
# 127.0.0.1 in the namespace, seen by qmail-remote alone through a
# resolv.conf bind-mounted in a private mount namespace, says twomx.test
# has MX 10 at 203.0.113.6 (DNAT to 198.51.100.1:2526, a sink that
# greets 421) and MX 20 at 203.0.113.5 (the sink on port 25, greeting
# and answering HELO or EHLO with our name). A qmail-remote that tries
# the next MX after a 4xx greeting (its smtp() returns on it: sagredo's,
# jms1's) must defer with #4.4.6 and send nothing after HELO or EHLO but
# QUIT; any other must stop at the 421, as stock does. Without dnsmasq
# (apt-get install dnsmasq-base) that case is a visible skip.
. "$(dirname "$0")/../lib.sh"
[ -n "${UPSTREAM:-}" ] || [ -n "${STACKS:-}" ] || skip_all "neither UPSTREAM nor STACKS is set, so no trees"
[ -z "${UPSTREAM:-}" ] || need_upstream
PATH=/usr/sbin:/sbin:$PATH
command -v nft >/dev/null 2>&1 || skip_all "needs nft (apt-get install nftables)"
in_netns "$@"
printf 'table ip probe {\n chain c {\n  type nat hook output priority -100;\n }\n}\n' | nft -f - 2>/dev/null ||
  skip_all "needs nftables NAT in a network namespace"
nft delete table ip probe

scratch=$(mktemp -d /tmp/moreipme-guard.XXXXXX)
sinkpid= sink2pid= dnspid=
cleanup() {
  for p in $sinkpid $sink2pid $dnspid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$scratch"
}
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
    ip daddr 203.0.113.6 tcp dport 25 counter dnat to 198.51.100.1:2526
  }
}
EOF
dnat() { nft list chain ip guard out | sed -n 's/.*203\.0\.113\.5 .*counter packets \([0-9]*\) .*/\1/p'; }

# DNS for the two-MX case: dnsmasq on 127.0.0.1 here; qmail-remote sees
# it through $withdns, a private mount namespace with our resolv.conf
dns=0
if command -v dnsmasq >/dev/null 2>&1; then
  echo 'nameserver 127.0.0.1' > "$scratch/resolv.conf"
  withdns=$scratch/withdns
  printf '#!/bin/sh\nexec unshare -m --propagation private sh -c '\''mount --bind "$0" /etc/resolv.conf && exec "$@"'\'' %s "$@"\n' "$scratch/resolv.conf" > "$withdns"
  chmod 755 "$withdns"
  dnsmasq -k -C /dev/null --no-resolv --no-hosts --pid-file= -u root \
    --bind-interfaces --listen-address=127.0.0.1 --log-facility="$scratch/dnsmasq.log" \
    --local=/twomx.test/ --mx-host=twomx.test,mx1.twomx.test,10 --mx-host=twomx.test,mx2.twomx.test,20 \
    --host-record=mx1.twomx.test,203.0.113.6 --host-record=mx2.twomx.test,203.0.113.5 & dnspid=$!
  n=0; until grep -q started "$scratch/dnsmasq.log" 2>/dev/null || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
  if grep -q started "$scratch/dnsmasq.log" 2>/dev/null && "$withdns" true 2>/dev/null; then dns=1
  else diag "dnsmasq or the resolv.conf bind mount does not work here: $(tail -n 3 "$scratch/dnsmasq.log" 2>/dev/null)"; fi
else
  echo "SKIP: $(basename "$0"): no dnsmasq (apt-get install dnsmasq-base): the two-MX cases will skip" >&2
fi

log=$scratch/sink.log
ext= # the extensions the sink lists in its reply to EHLO, one a line
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
remote() { msg | timeout 30 "$qr" "$1" a@example.org "$2" | tr '\n\0' ' \n' | sed 's/ *$//'; }
# try GREETING HELOREPLY [HOST RCPT [PORT]]: deliver through a sink that
# answers so (and lists $ext after EHLO); sets out (the report) and seen
# (the sink's log, one line)
try() {
  sink "${5:-25}" -g "$1" -h "$2" -e "$ext"
  out=$(remote "${3:-[203.0.113.5]}" "${4:-u@[203.0.113.5]}")
  endsink
  seen=$(tr '\n' ' ' < "$log")
}
# loopmsg ADDR NAME: the deferral, as a pattern: the address, the name,
# and advice for the three cases (this host, another host with our
# name, a route in smtproutes), the files named in that order
loopmsg() {
  lm_a=$(printf '%s' "$1" | sed 's/\./\\./g') lm_n=$(printf '%s' "$2" | sed 's/\./\\./g')
  echo "^ZConnected to $lm_a but it greeted me with my own name $lm_n: a mail loop\. [^ ].*control/moreipme[;,] .*control/notipme .*control/smtproutes.*\. \(#4\.4\.6\)\$"
}
# guarded WHAT [ADDR [NAME]]: out is the loop deferral, and the server saw
# HELO or EHLO, QUIT, and no STARTTLS or MAIL FROM
guarded() {
  like "$out" "$(loopmsg "${2:-203.0.113.5}" "${3:-mail.example.org}")" "$name: $1: defers, naming the address, with the advice for the three cases"
  case $seen in
    *"$verb "*quit*)
      case $seen in
        *"mail FROM:"*|*starttls*) notok "$name: ... sends neither STARTTLS nor MAIL FROM"; diag "$seen" ;;
        *) ok "$name: ... after $verb, QUIT, and neither STARTTLS nor MAIL FROM" ;;
      esac ;;
    *) notok "$name: ... after $verb, QUIT"; diag "$seen" ;;
  esac
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
  guarded "own name in the greeting and the $verb reply"
  is "$(($(dnat) - d0))" 1 "$name: ... one connection, through the DNAT rule"
  like "$seen" "$verb $ME " "$name: ... after $verb $ME"
  try '220 other.example.net ESMTP' '250 other.example.net'
  delivered "another name in both"
  try '220 other.example.net ESMTP' '250 %h'
  delivered "a server that greets with its own name and echoes $verb's argument"
  try "220 $ME ESMTP" '250 other.example.net'
  delivered "own name in the greeting only"
  try '220 other.example.net ESMTP' "250 $ME"
  delivered "own name in the $verb reply only"
  try '220 MAIL.Example.ORG ESMTP' '250 Mail.Example.Org'
  guarded "own name in another case"
  try "220-$ME ESMTP
220 and a second line" "250-$ME
250-PIPELINING
250 8BITMIME"
  guarded "own name on the first lines of replies of several lines"
  try "220 $ME ESMTP" "250-other.example.net
250 $ME"
  delivered "own name on the $verb reply's second line only"
  try '220' "250 $ME"
  delivered "a greeting with no text"
  try "220 $ME ESMTP" '250'
  delivered "a $verb reply with no text"
  try "220 $ME ESMTP" '250 '
  delivered "a $verb reply with an empty text"
  try "220 ${ME}x ESMTP" "250 ${ME}x"
  delivered "a name that only starts with ours"
  try "220  $ME ESMTP" "250 	$ME"
  guarded "own name after extra blanks"
  try "220 $ME ESMTP" "250	$ME"
  delivered "a tab, not a space or '-', after the $verb reply's code (no SMTP reply line): not read"

  c=$prefix/control
  echo 'relay.example.net ESMTP ready' > "$c/smtpgreeting"
  try '220 relay.example.net ESMTP ready ESMTP' '250 relay.example.net ESMTP ready'
  guarded "control/smtpgreeting of several words: its first word is our name" 203.0.113.5 relay.example.net
  try "220 $ME ESMTP" "250 $ME"
  delivered "... and control/me's name is then not ours"
  rm "$c/smtpgreeting"

  mkdir "$c/smtpgreeting"
  try "220 $ME ESMTP" "250 $ME"
  delivered "control/smtpgreeting unreadable (a directory): no name, so no guard, and no deferral of its own"
  rmdir "$c/smtpgreeting"

  for n in localhost localhost.localdomain LocalHost.example.org mail .example.org mail. 'mail..example.org'; do
    echo "$n" > "$c/me"
    try "220 $n ESMTP" "250 $n"
    delivered "our name '$n' is not a dotted name (or is localhost): no guard"
  done
  echo "$ME" > "$c/me"
}

# The reply to EHLO as servers send it: the name on the first line, then
# the extensions; HELO gets the first line alone. A HELO tree sees the
# same cases as one-line replies, and never sends EHLO or STARTTLS.
exts='PIPELINING
STARTTLS
8BITMIME'
ehlocases() {
  if [ $verb = ehlo ]; then r="the first line of an EHLO reply of four lines"
  else r="the HELO reply (the sink lists extensions after EHLO only)"; fi
  ext=$exts
  try "220 $ME ESMTP" "250 $ME"
  guarded "own name in the greeting and $r"
  if [ $verb = ehlo ]; then other=helo; else other=ehlo; fi
  case $seen in
    *"$other "*) notok "$name: ... the client sent $verb, and never $other"; diag "$seen" ;;
    *"$verb $ME "*) ok "$name: ... the client sent $verb, and never $other" ;;
    *) notok "$name: ... the client sent $verb"; diag "$seen" ;;
  esac
  ext="$ME
PIPELINING
STARTTLS"
  try "220 $ME ESMTP" '250 other.example.net'
  delivered "own name in the greeting, and in the $verb reply only on a later line"
  ext=$exts
  try '220 other.example.net ESMTP' "250 $ME"
  delivered "own name in the first line of the $verb reply only"
  try '220 other.example.net ESMTP' '250 other.example.net'
  delivered "another name, with extensions listed"
  if [ $verb = ehlo ] && [ $tls = 1 ]; then
    like "$seen" "ehlo .*starttls .*mail FROM:" "$name: ... after STARTTLS, refused with 454, in plain text"
  else
    case $seen in *starttls*) notok "$name: ... no STARTTLS from a tree without it"; diag "$seen" ;; *) ok "$name: ... no STARTTLS (this tree does not send it)" ;; esac
  fi
  ext=
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

# The #5.4.6 refusal goes back to the sender, a stranger: it is stock
# qmail's text, with no word of our files (its own control/locals aside).
stock="DSorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)"
# refused WHAT: out is stock's text and tells nothing of how we decided
refused() {
  is "$out" "$stock" "$name: $1: refused with stock's #5.4.6"
  rest=$(printf '%s\n' "$out" | sed 's,control/locals,,')
  case $rest in
    *control/*|*"is me:"*|*moreipme*|*notipme*|*interface*|*"built in"*) notok "$name: ... and no evidence"; diag "$out" ;;
    *) ok "$name: ... with no evidence (no control/ file of ours, no \"is me:\")" ;;
  esac
}
refusals() {
  c=$prefix/control
  printf '# NAT: the public address\n203.0.113.5\n' > "$c/moreipme"
  out=$(remote '[203.0.113.5]' 'u@[203.0.113.5]')
  refused "an address in moreipme"
  printf '203.0.113.0/24\n' > "$c/moreipme"
  out=$(remote '[203.0.113.9]' 'u@[203.0.113.9]')
  refused "an address in a moreipme network"
  rm "$c/moreipme"
  out=$(remote '[198.51.100.1]' 'u@[198.51.100.1]')
  refused "an interface address"
  out=$(remote '[127.0.0.2]' 'u@[127.0.0.2]')
  refused "127.0.0.2, built in"
}

# twomx: MX 10 greets 421, MX 20 greets and answers HELO or EHLO with
# our name; nextmx (1: the tree's smtp() returns on a 4xx greeting, so
# qmail-remote tries the next MX in the same process) says what to expect
twomx() {
  if [ $dns = 0 ]; then
    echo "SKIP: $name: no DNS for two MX (dnsmasq)" >&2
    skip "$name: two MX, the first greeting 421: no dnsmasq here"; return
  fi
  log2=$scratch/sink2.log
  : > "$log2"
  "$T_TOP/tests/bin/smtpsink" -g '421 mx1.example.net busy, try another' 198.51.100.1 2526 1 30 "$log2" & sink2pid=$!
  n=0; until grep -q listening "$log2" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
  sink 25 -g "220 $ME ESMTP" -h "250 $ME"
  out=$(msg | timeout 30 "$withdns" "$qr" twomx.test a@example.org u@twomx.test | tr '\n\0' ' \n' | sed 's/ *$//')
  endsink
  kill "$sink2pid" 2>/dev/null; wait "$sink2pid" 2>/dev/null; sink2pid=
  seen=$(tr '\n' ' ' < "$log") seen2=$(tr '\n' ' ' < "$log2")
  like "$seen2" "^listening connect " "$name: two MX: qmail-remote tries MX 10 first, and it greets 421"
  if [ $nextmx = 1 ]; then
    guarded "two MX, MX 10 greets 421, qmail-remote goes on to MX 20, which greets and answers $verb with our name"
  else
    like "$out" "^ZConnected to 203\.0\.113\.6 but greeting failed" "$name: two MX: the 421 of MX 10 ends the attempt, as stock's does: $out"
    is "$seen" "listening " "$name: ... and MX 20 is never tried"
  fi
}

# what TREE's qmail-remote sends: verb (helo or ehlo), tls (1: STARTTLS)
sends() {
  if grep -q '"EHLO ' "$1/qmail-remote.c"; then verb=ehlo; else verb=helo; fi
  if grep -q STARTTLS "$1/qmail-remote.c"; then tls=1; else tls=0; fi
  if grep -Eq 'code >= 400 && code < [56]00\) return' "$1/qmail-remote.c"; then nextmx=1; else nextmx=0; fi
}

runcases() {
  echo "$ME" > "$prefix/control/me"
  rm -f "$prefix/control/moreipme" "$prefix/control/notipme" "$prefix/control/smtproutes" "$prefix/control/smtpgreeting"
  # jms1's qmail-remote asks for STARTTLS only if there is a client
  # certificate; the others ignore one they cannot use
  [ $tls = 0 ] || : > "$prefix/control/clientcert.pem"
  comparisons
  ehlocases
  optout
  routes
  refusals
  twomx
}

# checktree NAME TREE: a pristine tree, through make try
checktree() {
  name=$1 tree=$2
  work=$scratch/$name.work prefix=$scratch/$name.prefix qr=$scratch/$name.prefix/bin/qmail-remote
  if "$T_TOP/tools/try" "$tree" "$prefix" "$work" > "$scratch/try.out" 2>&1; then
    ok "$name: make try builds and installs it"
  else notok "$name: make try"; diag "$(tail -20 "$scratch/try.out")"; return; fi
  sends "$tree"
  runcases
}

# checkstack NAME TREE: a patched stack; its copy gets the patch that
# fits, the qmail-1.03 build fixes of tools/try, and builds qmail-remote
checkstack() {
  name=$1 tree=$2
  work=$scratch/$name.work prefix=$scratch/$name.prefix qr=$scratch/$name.work/$name/qmail-remote
  if ! fit=$("$T_TOP/tools/fitpatch" "$tree" 2> "$scratch/fit.out"); then
    echo "SKIP: $name: no patch of ours fits it yet (tools/fitpatch)" >&2
    skip "$name: no patch of ours fits it yet (tools/fitpatch: the closest is $(sed -n 's/.*the closest is \(.*\):$/\1/p' "$scratch/fit.out"))"
    return
  fi
  mkdir -p "$work/$name" "$prefix/control" && cp -R "$tree/." "$work/$name" || { notok "$name: copy $tree"; return; }
  src=$work/$name
  fuzz=-F0
  grep -q 'with fuzz' "$scratch/fit.out" && fuzz=
  # a tree may lack a file the patch lists (gentoo-authtls has no FILES): patch skips it
  lacks=$(sed -n 's,^--- a/,,p' "$T_TOP/$fit" | while read -r f; do [ -e "$tree/$f" ] || printf '%s ' "$f"; done)
  if patch -d "$src" -t -N -p1 $fuzz --no-backup-if-mismatch -i "$T_TOP/$fit" < /dev/null > "$scratch/patch.out" 2>&1; then
    ok "$name: $fit applies ($(sed 's/^fitpatch: //' "$scratch/fit.out" | head -1))"
  elif [ -n "$lacks" ] && ! grep -q FAILED "$scratch/patch.out" &&
    [ "$(grep -c 'No file to patch' "$scratch/patch.out")" = "$(echo $lacks | wc -w)" ]; then
    ok "$name: $fit applies, but for the files this tree does not have: ${lacks% }"
  else notok "$name: $fit applies"; diag "$(grep -v '^patching file' "$scratch/patch.out" | tail -20)"; return; fi
  "$T_TOP/tools/prepare" "$src" "$prefix" > /dev/null
  # first the headers the Makefile makes: some stacks' rules do not
  # list them all (sagredo's md5c.o needs uint32.h)
  for h in $(sed -n 's/^\([A-Za-z0-9_]*\.h\):.*$/\1/p' "$src/Makefile" | sort -u); do
    [ -f "$src/$h" ] || timeout 300 make -C "$src" "$h" > /dev/null 2>&1 || :
  done
  if timeout 600 make -C "$src" qmail-remote > "$scratch/build.out" 2>&1 && [ -x "$qr" ]; then
    ok "$name: qmail-remote builds"
  else notok "$name: qmail-remote builds"; diag "$(tail -20 "$scratch/build.out")"; return; fi
  sends "$src"
  diag "$name: qmail-remote sends $verb$( [ $tls = 1 ] && echo ', and STARTTLS when offered')$( [ $nextmx = 1 ] && echo '; after a 4xx greeting it tries the next MX')"
  runcases
}

each_tree qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.09
done_testing

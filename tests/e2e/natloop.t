#!/bin/sh
# End-to-end: the NAT mail loop that moreipme exists for (issue 4), in
# network namespaces this test creates; no packet leaves them.
#
#   router  203.0.113.5 (w0), 10.0.0.1 (r0): DNAT of TCP 25 to 10.0.0.2,
#           hairpin masquerade, dnsmasq on 10.0.0.1 only
#   mail    10.0.0.2 (m0, default route via the router), 10.0.1.2 (b0);
#           qmail-send and tcpserver/qmail-smtpd, /etc/resolv.conf
#           bind-mounted for these processes only
#   scale   E2E_ADDRS addresses on one interface (s0)
#
# MX loop.test -> 203.0.113.5, so qmail-remote takes its real MX path
# and, unless 203.0.113.5 is me, reaches its own qmail-smtpd through the
# router. Bounces go to sender@<me>, delivered by the instance itself to
# a Maildir owned by nobody (users/assign), so no account is created.
# The CPU time of each instance is read from its own cgroup.
#
# Needs UPSTREAM=DIR with pristine trees, root, network namespaces,
# nft, tcpserver (ucspi-tcp), dnsmasq and a cgroup with CPU accounting;
# prints SKIP otherwise. E2E_TREES picks the trees (default qmail-1.03
# netqmail-1.05 netqmail-1.06, those present), E2E_ADDRS the scale
# (default 20000), E2E_REPORT the report (default tests/e2e/REPORT.md).
# Takes a few minutes.
. "$(dirname "$0")/../lib.sh"
[ -n "${UPSTREAM:-}" ] || skip_all "UPSTREAM is not set, so no pristine trees"
[ "$(id -u)" = 0 ] || skip_all "needs root"
PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH
for c in ip nft tcpserver dnsmasq nsenter unshare mount awk; do
  command -v $c >/dev/null 2>&1 || skip_all "needs $c (apt-get install iproute2 nftables ucspi-tcp dnsmasq util-linux)"
done
unshare -n true 2>/dev/null || skip_all "needs network namespaces (unshare -n)"
printf 'table ip t {\n chain c {\n  type nat hook prerouting priority -100;\n }\n}\n' | unshare -n nft -f - 2>/dev/null ||
  skip_all "needs nftables NAT in network namespaces"
id nobody >/dev/null 2>&1 || skip_all "needs the account nobody for the test Maildirs"
UPSTREAM=$(cd "$UPSTREAM" && pwd)
TREES=${E2E_TREES:-qmail-1.03 netqmail-1.05 netqmail-1.06}
NADDR=${E2E_ADDRS:-20000}
REPORT=${E2E_REPORT:-$T_TOP/tests/e2e/REPORT.md}
COMMAND=${E2E_COMMAND:-UPSTREAM=DIR E2E_TREES=\'$TREES\' prove -v tests/e2e/natloop.t}
NOBODY="$(id -u nobody):$(id -g nobody)"

# CPU accounting: cgroup v2 (cpu.stat is always there), else v1 cpuacct
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then cgroot=/sys/fs/cgroup; cgv=2
elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then cgroot=/sys/fs/cgroup/unified; cgv=2
elif [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then cgroot=/sys/fs/cgroup/cpuacct; cgv=1
else skip_all "needs a cgroup with CPU accounting (cgroup v2, or v1 cpuacct)"; fi

id=mipme$$
nsr=$id-r nsm=$id-m nss=$id-s
scratch=$(mktemp -d /tmp/moreipme-e2e.XXXXXX)
chmod 755 "$scratch"
cgbase=$cgroot/moreipme-e2e.$$
nslist= pids=
t_start=$(date +%s)

gone() { [ ! -e "/proc/$1" ] || [ "$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# waitfor SECONDS CMD...: polls CMD every 50 ms, at most SECONDS
waitfor() { w_max=$(($1 * 20)) w_n=0; shift
  until "$@"; do w_n=$((w_n + 1)); [ $w_n -ge $w_max ] && return 1; sleep 0.05; done; }
# stop PID: a child of this shell, by TERM, then KILL; reaped
stop() { kill -TERM "$1" 2>/dev/null; waitfor 10 gone "$1" || kill -KILL "$1" 2>/dev/null
  waitfor 5 gone "$1"; wait "$1" 2>/dev/null; }
# cgkill DIR: every process left in the cgroup, by PID, then the cgroup
cgkill() {
  [ -d "$1" ] || return 0
  for sig in TERM TERM KILL KILL; do
    cg_p=$(cat "$1/cgroup.procs" 2>/dev/null)
    [ -z "$cg_p" ] && break
    for cg_q in $cg_p; do kill -$sig "$cg_q" 2>/dev/null; done
    sleep 0.3
  done
  rmdir "$1" 2>/dev/null || { sleep 1; rmdir "$1"; }
}
cleanup() {
  for cu_p in $pids; do kill -TERM "$cu_p" 2>/dev/null; done
  for d in "$cgbase"/*/; do [ -d "$d" ] && cgkill "${d%/}"; done
  [ -d "$cgbase" ] && rmdir "$cgbase"
  for cu_p in $pids; do gone "$cu_p" || kill -KILL "$cu_p" 2>/dev/null; wait "$cu_p" 2>/dev/null; done
  for ns in $nslist; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir "$cgbase" || skip_all "cannot create a cgroup in $cgroot"
cgnew() { mkdir "$cgbase/$1"; }
usec() { if [ $cgv = 2 ]; then sed -n 's/^usage_usec //p' "$cgbase/$1/cpu.stat"
  else echo $(($(cat "$cgbase/$1/cpuacct.usage") / 1000)); fi; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
cpus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }

# spawn CG NS CMD...: CMD in the background, in cgroup CG (before it
# enters the namespace, so nothing escapes the accounting), in NS
spawn() { sp_cg=$cgbase/$1 sp_ns=$2; shift 2
  sh -c 'echo $$ > "$0/cgroup.procs" || exit 111; ns=$1; shift; exec nsenter --net="/run/netns/$ns" -- "$@"' "$sp_cg" "$sp_ns" "$@" &
  pids="$pids $!"
}
inns() { ns=$1; shift; nsenter --net="/run/netns/$ns" -- "$@"; }
# $withdns CMD...: CMD in a private mount namespace that sees our resolv.conf
withdns=$scratch/withdns

# ---- the namespaces --------------------------------------------------
netup() {
  for ns in $nsr $nsm; do ip netns add "$ns" || return 1; nslist="$nslist $ns"; ip -n "$ns" link set lo up; done
  ip -n $nsr link add r0 type veth peer name m0 netns $nsm || return 1
  ip -n $nsr link add w0 type veth peer name w1 || return 1
  ip -n $nsm link add b0 type veth peer name b1 || return 1
  ip -n $nsr addr add 10.0.0.1/24 dev r0
  ip -n $nsr addr add 203.0.113.5/24 dev w0
  ip -n $nsm addr add 10.0.0.2/24 dev m0
  ip -n $nsm addr add 10.0.1.2/24 dev b0
  for l in r0 w0 w1; do ip -n $nsr link set $l up; done
  for l in m0 b0 b1; do ip -n $nsm link set $l up; done
  ip -n $nsm route add default via 10.0.0.1 || return 1
  inns $nsr sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward' || return 1
  # DNAT, and the hairpin: without it the mail host answers itself directly
  inns $nsr nft -f - <<EOF || return 1
table ip natloop {
  chain pre {
    type nat hook prerouting priority -100; policy accept;
    ip daddr 203.0.113.5 tcp dport 25 counter dnat to 10.0.0.2
  }
  chain post {
    type nat hook postrouting priority 100; policy accept;
    ip saddr 10.0.0.0/24 ip daddr 10.0.0.2 tcp dport 25 counter masquerade
  }
}
EOF
  echo 'nameserver 10.0.0.1' > "$scratch/resolv.conf"
  printf '#!/bin/sh\nexec unshare -m --propagation private sh -c '\''mount --bind "$0" /etc/resolv.conf && exec "$@"'\'' %s "$@"\n' "$scratch/resolv.conf" > "$withdns"
  chmod 755 "$withdns"
}
dnat() { inns $nsr nft list chain ip natloop pre | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'; }

dnsup() {
  cgnew dns
  spawn dns $nsr dnsmasq -k -C /dev/null --no-resolv --no-hosts --pid-file= -u root \
    --bind-interfaces --listen-address=10.0.0.1 --log-queries --log-facility="$scratch/dnsmasq.log" \
    --local=/loop.test/ --local=/b.test/ --local=/mail.test/ --local=/a.test/ \
    --mx-host=loop.test,mx.loop.test,10 --host-record=mx.loop.test,203.0.113.5 \
    --mx-host=b.test,mx.b.test,10 --host-record=mx.b.test,10.0.1.2
  waitfor 10 grep -q 'started' "$scratch/dnsmasq.log" 2>/dev/null
}

# ---- one qmail instance ----------------------------------------------
# setup PREFIX ME RCPTHOSTS: control files, and sender@ME and box@ME
# delivered to PREFIX.home/Maildir as nobody
setup() {
  s_p=$1
  rm -f "$s_p"/control/* "$s_p/users/cdb"
  echo "$2" > "$s_p/control/me"
  echo "$2" > "$s_p/control/locals"
  [ -n "$3" ] && echo "$3" > "$s_p/control/rcpthosts"
  rm -rf "$s_p.home" && mkdir -p "$s_p.home" && "$s_p/bin/maildirmake" "$s_p.home/Maildir" && chown -R "$NOBODY" "$s_p.home"
  printf '=sender:nobody:%s:%s:%s:::\n=box:nobody:%s:%s:%s:::\n.\n' \
    "${NOBODY%:*}" "${NOBODY#*:}" "$s_p.home" "${NOBODY%:*}" "${NOBODY#*:}" "$s_p.home" > "$s_p/users/assign"
  "$s_p/bin/qmail-newu"
}

# start NAME PREFIX [SMTPADDR]: qmail-send (and qmail-smtpd) in cgroup NAME
start() {
  st_p=$2
  cgnew "$1"
  log=$scratch/$1.send.log slog=$scratch/$1.smtpd.log
  : > "$log"; : > "$slog"
  spawn "$1" $nsm "$withdns" env - PATH="$st_p/bin:/usr/bin:/bin" qmail-start ./Maildir/ < /dev/null > "$log" 2>&1
  sendpid=$! tcppid=
  if [ -n "${3:-}" ]; then
    spawn "$1" $nsm env - PATH="$st_p/bin:/usr/bin:/bin" tcpserver -v -R -H -l "$(cat "$st_p/control/me")" "$3" 25 "$st_p/bin/qmail-smtpd" < /dev/null > /dev/null 2> "$slog"
    tcppid=$!
    waitfor 10 grep -q 'status:' "$slog" || return 1
  fi
  waitfor 10 grep -q 'status:' "$log"
}
halt() { stop "$sendpid"; [ -n "$tcppid" ] && stop "$tcppid"; cgkill "$cgbase/$1"; }

# inject PREFIX RCPT TOKEN: one message from sender@<me>
inject() {
  printf 'From: sender@%s\nTo: %s\nSubject: natloop %s\n\nbody %s\n' "$(cat "$1/control/me")" "$2" "$3" "$3" |
    timeout 30 nsenter --net="/run/netns/$nsm" -- env - PATH="$1/bin:/usr/bin:/bin" qmail-inject -f "sender@$(cat "$1/control/me")" "$2"
}
queued() { find "$1/queue/mess" -type f | wc -l | tr -d ' '; }
mails() { ls "$1.home/Maildir/new" | wc -l | tr -d ' '; }
clearmail() { rm -f "$1.home/Maildir/new/"* "$1.home/Maildir/cur/"*; }
hasmail() { [ "$(mails "$1")" -ge "${2:-1}" ]; }
isempty() { [ "$(queued "$1")" = 0 ]; }
newest() { ls -t "$1.home/Maildir/new/"* 2>/dev/null | head -n 1; }
# why FILE: the failure paragraph of a bounce
why() { sed -n '/^<.*>:$/,/^--- Below this line/p' "$1" | grep -v '^--- Below' | grep . | tr '\n' ' '; }
# stock qmail-remote's #5.4.6 text, as why() gives it: the patch adds no evidence
stock546="<user@loop.test>: Sorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file, so I don't treat it as local. (#5.4.6) "
# noevidence TEXT NAME: TEXT names no control file but stock's control/locals,
# no address as "is me:" and no moreipme or notipme line
noevidence() {
  case $(printf '%s' "$1" | sed 's|control/locals||g') in
    *control/*|*"is me:"*|*moreipme*|*notipme*) notok "$2"; diag "$1" ;;
    *) ok "$2" ;;
  esac
}
copyreceived() { sed -n '/^--- Below this line is a copy/,$p' "$1" | grep -c '^Received:'; }
count() { c=$(grep -c -- "$1" "$2" 2>/dev/null); echo "${c:-0}"; }

row() { echo "$*" >> "$scratch/rows"; }
text() { echo "$*" >> "$scratch/texts"; }

# loop TREE LABEL PREFIX: one message to user@loop.test; sets conns,
# dnatn, accepted, recv, cpu, wall, bounce
loop() {
  lp_n=$1 lp_l=$2 lp_p=$3
  isempty "$lp_p" || { notok "$lp_n $lp_l: the queue is empty before"; }
  clearmail "$lp_p"
  start "$lp_l" "$lp_p" 10.0.0.2 || { notok "$lp_n $lp_l: qmail starts"; halt "$lp_l"; return 1; }
  d0=$(dnat) u0=$(usec "$lp_l") t0=$(now)
  inject "$lp_p" user@loop.test "$lp_n-$lp_l-$$" || notok "$lp_n $lp_l: qmail-inject"
  waitfor 120 hasmail "$lp_p"; t1=$(now) u1=$(usec "$lp_l")
  waitfor 20 isempty "$lp_p"
  sleep 0.2
  halt "$lp_l"
  wall=$(secs "$t0" "$t1") cpu=$(cpus "$u0" "$u1")
  dnatn=$(($(dnat) - d0))
  conns=$(count '^tcpserver: ok ' "$slog")
  accepted=$(count 'success:.*accepted_message' "$log")
  tries=$(count 'starting delivery .* to remote' "$log")
  bounce=$(newest "$lp_p") recv=-
  [ -n "$bounce" ] && recv=$(copyreceived "$bounce")
  is "$(mails "$lp_p")" 1 "$lp_n $lp_l: one bounce reaches sender@mail.test"
  is "$(queued "$lp_p")" 0 "$lp_n $lp_l: the queue is empty afterwards"
  is "$dnatn" "$conns" "$lp_n $lp_l: every SMTP connection qmail-smtpd took came through the router's DNAT ($conns)"
  diag "$lp_l: $tries deliveries tried, $conns SMTP connections via the router, $accepted accepted, $recv Received: in the bounce's copy, $cpu CPU s, $wall s"
  row "| $lp_n | $lp_l | $tries | $dnatn | $accepted | $recv | $cpu | $wall |"
  text "$lp_n, $lp_l: $(why "$bounce" 2>/dev/null)"
}

# ---- the scenarios ---------------------------------------------------
# 1: the loop (stock: the MX, or a route to the public address), until
# qmail-smtpd's hop limit (100 Received: lines)
checkloop() {
  n=$1 l=$2 p=$3
  loop "$n" "$l" "$p" || return
  like "$(why "$bounce")" 'too many hops, this message is looping \(#5\.4\.6\)' "$n $l: the message loops until it bounces: 554 too many hops"
  is "$accepted" 50 "$n $l: qmail-smtpd accepted 50 passes (each adds 2 Received:, and it refuses at 100)"
  is "$conns" $((accepted + 1)) "$n $l: ... and refused the next one, through the router like the others"
  is "$recv" $((2 * accepted + 1)) "$n $l: the bounce's copy has 2 Received: per accepted pass, plus qmail-inject's"
  like "$cpu" '^[0-9]+\.[0-9]+$' "$n $l: the CPU time of the qmail processes is measured: $cpu s"
}

# 2: the public address in moreipme: refused at once
checkmoreipme() {
  n=$1 p=$2
  printf '# NAT: the public address the MX names\n203.0.113.5\n' > "$p/control/moreipme"
  loop "$n" patched-moreipme "$p" || return
  like "$(why "$bounce")" "Although I'm listed as a best-preference MX or A for that host" "$n patched-moreipme: qmail-remote refuses: listed as best-preference MX"
  like "$(why "$bounce")" '\(#5\.4\.6\)' "$n patched-moreipme: ... with #5.4.6"
  is "$(why "$bounce")" "$stock546" "$n patched-moreipme: ... in stock's words, exactly"
  noevidence "$(why "$bounce")" "$n patched-moreipme: ... no evidence for the stranger: no control/ file but stock's control/locals"
  is "$dnatn" 0 "$n patched-moreipme: zero SMTP connections to the router"
  is "$tries" 1 "$n patched-moreipme: one delivery attempt"
  cpu2=$cpu
  if awk -v a="$cpu2" -v b="$cpustock" 'BEGIN { exit !(a < b) }'; then ok "$n patched-moreipme: less CPU than the stock loop ($cpu2 s against $cpustock s)"
  else notok "$n patched-moreipme: less CPU than the stock loop ($cpu2 s against $cpustock s)"; fi
  rm -f "$p/control/moreipme"
}

# 3: the guard: no moreipme (or a route to the public address), so
# qmail-remote reaches its own qmail-smtpd, which greets and answers HELO
# with qmail-remote's own name: one connection, QUIT, a deferral. Every
# later attempt is one connection again. The fix (the address in
# moreipme, the route gone) and ALRM: the #5.4.6 refusal, in stock's words
deferred() { [ "$(count 'deferral:' "$log")" -ge "$1" ]; }
checkguard() {
  n=$1 l=$2 p=$3
  isempty "$p" || notok "$n $l: the queue is empty before"
  clearmail "$p"
  start $l "$p" 10.0.0.2 || { notok "$n $l: qmail starts"; halt $l; return; }
  d0=$(dnat) u0=$(usec $l) t0=$(now)
  inject "$p" user@loop.test "$n-$l-$$" || notok "$n $l: qmail-inject"
  waitfor 30 deferred 1; t1=$(now) u1=$(usec $l)
  sleep 2
  wall=$(secs "$t0" "$t1") cpu=$(cpus "$u0" "$u1")
  deflog=$(grep 'deferral:' "$log" | head -n 1)
  like "$deflog" 'deferral: Connected_to_203\.0\.113\.5_but_it_greeted_me_with_my_own_name_mail\.test:_a_mail_loop\._' "$n $l: deferred, and the log names 203.0.113.5 and the name"
  # the advice, for the three cases (issue 19): this host, another host with our name, a route
  like "$deflog" '_If_[^;]*_this_host,_add_[^;]*_to_control/moreipme;_if_another_host_has_this_name,_[^;]*control/notipme_or_give_it_a_name_of_its_own;_if_control/smtproutes_sends_mail_there,_fix_the_route\._\(#4\.4\.6\)/$' \
    "$n $l: ... and says what to do if it is this host (moreipme), another host with this name (notipme, or a name of its own), or a route (smtproutes)"
  dnatn=$(($(dnat) - d0)) conns=$(count '^tcpserver: ok ' "$slog")
  tries=$(count 'starting delivery .* to remote' "$log") accepted=$(count 'success:.*accepted_message' "$log")
  is "$dnatn" 1 "$n $l: one connection through the router"
  is "$conns" 1 "$n $l: ... which qmail-smtpd took"
  is "$accepted" 0 "$n $l: no pass accepted"
  is "$(mails "$p")" 0 "$n $l: no bounce"
  is "$(queued "$p")" 1 "$n $l: the message stays in the queue"
  kill -ALRM "$sendpid"
  waitfor 30 deferred 2
  sleep 1
  is "$(($(dnat) - d0))" 2 "$n $l: the next attempt (ALRM) makes one more connection, not fifty"
  is "$(count 'deferral:' "$log")" 2 "$n $l: ... and is deferred the same way"
  diag "$l: $tries delivery tried, $dnatn SMTP connection via the router, deferred, $cpu CPU s, $wall s"
  row "| $n | $l | $tries | $dnatn | $accepted | - | $cpu | $wall |"
  text "$n, $l: $deflog"
  printf '# NAT: the public address the MX names\n203.0.113.5\n' > "$p/control/moreipme"
  rm -f "$p/control/smtproutes"
  kill -ALRM "$sendpid"
  waitfor 30 hasmail "$p"
  waitfor 10 isempty "$p"
  halt $l
  bounce=$(newest "$p")
  is "$(why "$bounce" 2>/dev/null)" "$stock546" "$n $l: with the address in moreipme (and no route), ALRM: the #5.4.6 refusal, in stock's words"
  noevidence "$(why "$bounce" 2>/dev/null)" "$n $l: ... no control/ file but stock's control/locals, no \"is me:\""
  is "$(queued "$p")" 0 "$n $l: the queue is empty afterwards"
  is "$(($(dnat) - d0))" 2 "$n $l: ... and no further connection"
  rm -f "$p/control/moreipme"
}

# 4: a malformed moreipme defers; fixed, and ALRM, the message bounces right
checkmalformed() {
  n=$1 p=$2 l=patched-malformed
  printf '# NAT: the public address the MX names\n203.0.113.300\n' > "$p/control/moreipme"
  clearmail "$p"
  start $l "$p" 10.0.0.2 || { notok "$n $l: qmail starts"; halt $l; return; }
  d0=$(dnat)
  inject "$p" user@loop.test "$n-$l-$$" || notok "$n $l: qmail-inject"
  waitfor 30 grep -q 'deferral:' "$log"
  sleep 2
  deflog=$(grep 'deferral:' "$log" | head -n 1)
  like "$deflog" 'deferral: control/moreipme_line_2:_octet_over_255\._\(#4\.3\.0\)/$' "$n $l: the message is deferred and the log names the file, line and reason"
  case $deflog in
    *203.0.113.300*) notok "$n $l: ... not the line's text, which a late bounce would carry to the sender" ;;
    *) ok "$n $l: ... not the line's text, which a late bounce would carry to the sender" ;;
  esac
  is "$(mails "$p")" 0 "$n $l: no bounce while moreipme is malformed"
  is "$(queued "$p")" 1 "$n $l: the message stays in the queue"
  is "$(($(dnat) - d0))" 0 "$n $l: no SMTP connection to the router"
  deferrals=$(count 'deferral:' "$log")
  printf '# NAT: the public address the MX names\n203.0.113.5\n' > "$p/control/moreipme.new"
  mv "$p/control/moreipme.new" "$p/control/moreipme"
  t0=$(now)
  kill -ALRM "$sendpid"
  waitfor 30 hasmail "$p"; t1=$(now)
  waitfor 10 isempty "$p"
  halt $l
  alrm=$(secs "$t0" "$t1")
  bounce=$(newest "$p")
  is "$(mails "$p")" 1 "$n $l: after the fix and ALRM, one bounce, in $alrm s"
  is "$(why "$bounce" 2>/dev/null)" "$stock546" "$n $l: ... the #5.4.6 refusal, the correct way, in stock's words"
  if grep -q "body $n-$l-$$" "$bounce" 2>/dev/null; then ok "$n $l: the bounce carries the message: nothing is lost"
  else notok "$n $l: the bounce carries the message: nothing is lost"; fi
  is "$(queued "$p")" 0 "$n $l: the queue is empty afterwards"
  is "$(($(dnat) - d0))" 0 "$n $l: still no SMTP connection to the router"
  echo "| $n | $deferrals | \`$deflog\` | $alrm |" >> "$scratch/rows4"
  rm -f "$p/control/moreipme"
}

# 5: two instances on two interfaces of one host: A (10.0.0.2) sends to
# B (10.0.1.2, MX of b.test), which delivers to a Maildir. Both greet
# with the host's name, so only notipme keeps A's loop guard quiet
checkduo() {
  n=$1 a=$2 b=$3
  setup "$a" a.test ''
  setup "$b" b.test b.test
  echo host.test > "$a/control/smtpgreeting"
  echo host.test > "$b/control/smtpgreeting"
  echo 10.0.1.2 > "$a/control/notipme"
  start duo-b "$b" 10.0.1.2 || { notok "$n two instances: B starts"; halt duo-b; return; }
  bsend=$sendpid btcp=$tcppid blog=$log bslog=$slog
  start duo-a "$a" || { notok "$n two instances: A starts"; halt duo-a; return; }
  asend=$sendpid alog=$log
  t0=$(now)
  inject "$a" box@b.test "$n-duo-$$" || notok "$n two instances: qmail-inject"
  waitfor 30 hasmail "$b"; t1=$(now)
  duo1=$(secs "$t0" "$t1")
  m=$(newest "$b")
  if grep -q "body $n-duo-$$" "$m" 2>/dev/null; then ok "$n two instances: both greet as host.test; with B's address in notipme, A delivers to B's Maildir ($duo1 s)"
  else notok "$n two instances: with B's address in notipme, A delivers to B's Maildir"; diag "$(tail -5 "$alog")"; fi
  like "$(grep 'success:' "$alog" | head -n 1)" 'success: 10\.0\.1\.2_accepted_message' "$n two instances: A's log: 10.0.1.2 accepted the message"
  is "$(count '^tcpserver: ok ' "$bslog")" 1 "$n two instances: one SMTP connection to B"
  rm "$a/control/notipme"
  c1=$(count '^tcpserver: ok ' "$bslog")
  t0=$(now)
  inject "$a" box@b.test "$n-duo2-$$" || notok "$n two instances: qmail-inject"
  waitfor 30 hasmail "$a"; t1=$(now)
  duo2=$(secs "$t0" "$t1")
  sleep 0.5
  like "$(why "$(newest "$a")" 2>/dev/null)" "best-preference MX.*#5\.4\.6" "$n two instances: without notipme, A refuses with #5.4.6 ($duo2 s)"
  noevidence "$(why "$(newest "$a")" 2>/dev/null)" "$n two instances: ... with no evidence of ours in the bounce"
  is "$(count '^tcpserver: ok ' "$bslog")" 1 "$n two instances: ... and does not connect to B"
  is "$(mails "$b")" 1 "$n two instances: ... and B has still one message"
  sendpid=$asend tcppid=; halt duo-a
  sendpid=$bsend tcppid=$btcp; halt duo-b
  echo "| $n | $duo1 | $c1 | $duo2 | $(($(count '^tcpserver: ok ' "$bslog") - c1)) |" >> "$scratch/rows5"
}

# 6: many addresses on one interface
scaleup() {
  ip netns add $nss || return 1
  nslist="$nslist $nss"
  ip -n $nss link set lo up
  ip -n $nss link add s0 type veth peer name s1 || return 1
  ip -n $nss link set s0 up; ip -n $nss link set s1 up
  awk -v n="$NADDR" 'BEGIN { for (i = 0; i < n; i++) printf "addr add 10.%d.%d.%d/32 dev s0\n", 64 + int(i / 62500), int(i / 250) % 250, i % 250 + 1 }' > "$scratch/addrs"
  first=$(sed -n '1s/addr add \([^/]*\).*/\1/p' "$scratch/addrs")
  last=$(sed -n '$s/addr add \([^/]*\).*/\1/p' "$scratch/addrs")
  t0=$(now)
  ip -n $nss -batch "$scratch/addrs" || return 1
  addtime=$(secs "$t0" "$(now)")
  naddr=$(ip -n $nss -4 -o addr show dev s0 | wc -l | tr -d ' ')
}
checkscale() {
  n=$1 p=$2 stockbin=$3
  mkdir -p "$scratch/empty"
  t0=$(now)
  inns $nss "$p/bin/ipmeprint" -v -c "$scratch/empty" > "$scratch/print.out" 2> "$scratch/print.err"; r=$?
  ptime=$(secs "$t0" "$(now)")
  is "$r" 0 "$n scale: the patched ipmeprint succeeds with $naddr addresses on one interface ($ptime s)"
  is "$(grep -c ' s0$' "$scratch/print.out")" "$NADDR" "$n scale: ... and lists all $NADDR"
  last1=$(awk -v n="$last" 'BEGIN { split(n, a, "."); printf "%d.%d.%d.%d", a[1], a[2], a[3], a[4] + 1 }')
  is "$(inns $nss "$p/bin/ipmetest" -c "$scratch/empty" "$first" "$last" "$last1" 2>&1)" "$first: me (ipme $first, s0)
$last: me (ipme $last, s0)
$last1: not me (no entry matches)" "$n scale: ipmetest: the first and the last are me, the next is not"
  t0=$(now)
  inns $nss "$stockbin" > "$scratch/sprint.out" 2> "$scratch/sprint.err"; sr=$?
  stime=$(secs "$t0" "$(now)")
  slisted=$(grep -c '^10\.' "$scratch/sprint.out")
  serr=$(head -n 1 "$scratch/sprint.err")
  diag "stock $n ipmeprint: exit $sr, $slisted of $NADDR listed, ${serr:-no message} ($stime s)"
  echo "| $n | $naddr | $r | $(grep -c ' s0$' "$scratch/print.out") | $ptime | $sr | $slisted | $stime | ${serr:-(none)} |" >> "$scratch/rows6"
}

# ---- per tree --------------------------------------------------------
checktree() {
  name=$1 tree=$2 t=$scratch/$name
  S=$t.stock P=$t.patched B=$t.patchedb
  if "$T_TOP/tests/e2e/buildstock.sh" "$tree" "$S" "$S.work" > "$t.build.out" 2>&1 &&
     "$T_TOP/tools/try" "$tree" "$P" "$P.work" >> "$t.build.out" 2>&1 &&
     "$T_TOP/tools/try" "$tree" "$B" "$B.work" >> "$t.build.out" 2>&1; then
    ok "$name: builds stock, and twice patched (two instances)"
  else notok "$name: builds"; diag "$(tail -20 "$t.build.out")"; return; fi
  if [ -x "$S.work/$name/dnsmxip" ]; then
    out=$(timeout 20 nsenter --net="/run/netns/$nsm" -- "$withdns" "$S.work/$name/dnsmxip" loop.test 2>&1)
    is "$out" '203.0.113.5 10' "$name: the resolver gives the mail host MX loop.test = 203.0.113.5 (preference 10)"
  else
    skip "$name has no dnsmxip to ask the resolver with; the stock loop below shows the MX path"
  fi

  setup "$S" mail.test loop.test
  checkloop "$name" stock "$S"
  cpustock=$cpu
  echo 'loop.test:203.0.113.5' > "$S/control/smtproutes"
  checkloop "$name" stock-route "$S"
  rm "$S/control/smtproutes"
  setup "$P" mail.test loop.test
  checkmoreipme "$name" "$P"
  checkguard "$name" patched-no-moreipme "$P"
  echo 'loop.test:203.0.113.5' > "$P/control/smtproutes"
  checkguard "$name" patched-route "$P"
  checkmalformed "$name" "$P"
  checkduo "$name" "$P" "$B"
  if [ -z "${naddr:-}" ]; then
    scaleup || naddr=0
    is "${naddr:-0}" "$NADDR" "scale: $NADDR addresses on one interface of $nss, added in ${addtime:-?} s"
  fi
  [ "$naddr" -gt 0 ] && checkscale "$name" "$P" "$S.work/$name/ipmeprint"
}

netup || { notok "the namespaces, veths, routes and nft rules"; done_testing; exit; }
ok "namespaces $nsr (router, DNAT and hairpin) and $nsm (mail host)"
dnsup && ok "dnsmasq runs in $nsr, on 10.0.0.1 only" || { notok "dnsmasq starts"; diag "$(cat "$scratch/dnsmasq.log" 2>/dev/null)"; done_testing; exit; }
: > "$scratch/rows"; : > "$scratch/texts"; : > "$scratch/rows4"; : > "$scratch/rows5"; : > "$scratch/rows6"
for name in $TREES; do
  if [ -d "$UPSTREAM/$name" ]; then checktree "$name" "$UPSTREAM/$name"
  else echo "SKIP: $name: no $UPSTREAM/$name" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $name in UPSTREAM"; fi
done
t_end=$(date +%s)

# ---- the report ------------------------------------------------------
{
  echo "# End-to-end report: the NAT mail loop"
  echo
  echo "Written by tests/e2e/natloop.t on $(date -u '+%Y-%m-%d %H:%M UTC'), Linux $(uname -r), $(nproc) CPUs."
  echo "Command: \`$COMMAND\`"
  echo "Trees: $TREES; $NADDR addresses for the scale test."
  echo "Result: $T_N tests, $T_FAIL failed; the whole run took $((t_end - t_start)) s."
  echo
  echo "One message to user@loop.test, whose MX is the router's public address"
  echo "203.0.113.5; the router forwards port 25 back to the mail host 10.0.0.2."
  echo "Runs: stock; stock-route, stock with control/smtproutes"
  echo "\`loop.test:203.0.113.5\`; patched-moreipme, 203.0.113.5 in"
  echo "control/moreipme; patched-no-moreipme, without it (the loop guard);"
  echo "patched-route, with the route and no moreipme (the loop guard)."
  echo "Tries: deliveries qmail-send started; via router: connections the DNAT"
  echo "rule forwarded; accepted: passes qmail-smtpd accepted; Received: the"
  echo "Received: lines in the bounce's copy of the message; CPU: all the mail"
  echo "host's qmail processes (cgroup), from injection to the bounce in the"
  echo "sender's Maildir; wall: the same span. The message starts with one"
  echo "Received: (qmail-inject's) and each accepted pass adds two; qmail-smtpd"
  echo "refuses a message with 100 or more, so the pass after the 50th is"
  echo "refused with 554 and qmail-send bounces it. The guarded runs end at"
  echo "the first deferral: the message stays queued (no bounce, so no"
  echo "Received: count); the test then checks that the next attempt is one"
  echo "connection again, and that with 203.0.113.5 in moreipme (and the route"
  echo "removed) the message is refused with #5.4.6."
  echo
  echo "| tree | run | tries | via router | accepted | Received: | CPU s | wall s |"
  echo "|---|---|---|---|---|---|---|---|"
  cat "$scratch/rows"
  echo
  echo "Bounce texts (for the guarded runs, qmail-send's first deferral):"
  echo
  echo '```'
  cat "$scratch/texts"
  echo '```'
  echo
  echo "Malformed control/moreipme (203.0.113.300 on line 2): deferrals logged"
  echo "before the fix, the first one, and seconds from ALRM to the bounce:"
  echo
  echo "| tree | deferrals | qmail-send log | ALRM to bounce s |"
  echo "|---|---|---|---|"
  cat "$scratch/rows4"
  echo
  echo "Two instances on one host, both greeting as host.test: A (10.0.0.2) mails"
  echo "box@b.test, MX 10.0.1.2 (B), with and without 10.0.1.2 in A's notipme:"
  echo
  echo "| tree | with notipme: delivered in s | connections to B | without: bounced in s | connections to B |"
  echo "|---|---|---|---|---|"
  cat "$scratch/rows5"
  echo
  echo "Scale: addresses on one interface, added in ${addtime:-?} s."
  echo
  echo "| tree | addresses | patched ipmeprint exit | listed | s | stock ipmeprint exit | listed | s | stock message |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat "$scratch/rows6"
} > "$scratch/report"
cp "$scratch/report" "$REPORT.new" && mv "$REPORT.new" "$REPORT" && diag "report: $REPORT"
done_testing

#!/bin/sh
# ipmetest DOMAIN (issue 20): what qmail does with mail for user@DOMAIN.
#
# Always, with tests/bin/ipmetest (built against tests/qlib, whose dns.o
# stand-in answers from ./dnsfixture): local and virtual domains, routes,
# usage errors, names that cannot be domains, malformed control files,
# and qmail-remote's decision on the stand-in's answers.
#
# With UPSTREAM=DIR (the pristine trees, each built and installed by
# tools/try) and STACKS=DIR (the stacks of tools/mkstacks -l, each copied,
# patched as tools/fitpatch says, and its qmail-remote and ipmetest
# built), in a private network namespace (root, unshare -n, nft,
# dnsmasq): the tree's own ipmetest, with the tree's dns.o, beside the
# tree's real qmail-remote on the same DNS and control files; and -p
# against fake SMTP servers behind nft DNAT. No packet leaves the
# namespace. See the comment before the tree cases.
. "$(dirname "$0")/../lib.sh"
bin=$T_TOP/tests/bin
PATH=/usr/sbin:/sbin:$PATH
maybe_netns "$@"

d=$(mktemp -d /tmp/moreipme-domain.XXXXXX)
pids=
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
make -s -C "$T_TOP" tests/bin/ipmetest >/dev/null 2>&1 || { notok "build tests/bin/ipmetest"; done_testing; exit; }

c=$d/control
mkdir "$c"
echo mail.example.org > "$c/me"
printf 'example.org\n# a comment\n\nlocal.test  \n' > "$c/locals"
printf '# virtual domains\nvirt.test:alias\n.sub.test:subs\nexc.sub.test:\n' > "$c/virtualdomains"
printf 'routed.test:192.0.2.7:2525\n\n.r.test:[192.0.2.8]\nmx.r.test:\n' > "$c/smtproutes"

# run ARGS...: ipmetest ARGS in $d (where ./dnsfixture is), at most 60 seconds; sets rc, out, err
run() {
  (cd "$d" && timeout 60 "$bin/ipmetest" "$@" > "$d/out" 2> "$d/err"); rc=$?
  out=$(cat "$d/out") err=$(cat "$d/err")
}
# t DOMAIN LINES: ipmetest -c $c DOMAIN says LINES and exits 0
t() { run -c "$c" "$1"; is "$rc:$out$err" "0:$2" "$3"; }

t local.test "local.test: local ($c/locals:4 local.test): delivered here; qmail-remote never sees it" \
  "a domain in control/locals (its trailing blanks dropped, as qmail reads it), with file and line"
t Local.TEST "Local.TEST: local ($c/locals:4 local.test): delivered here; qmail-remote never sees it" \
  "... in any case"
t virt.test "virt.test: virtual ($c/virtualdomains:2 virt.test:alias): delivered here, to alias-user@virt.test; qmail-remote never sees it" \
  "a domain in control/virtualdomains"
t a.b.sub.test "a.b.sub.test: virtual ($c/virtualdomains:3 .sub.test:subs): delivered here, to subs-user@a.b.sub.test; qmail-remote never sees it" \
  "a .suffix rule of control/virtualdomains"
t routed.test "routed.test: route ($c/smtproutes:1 routed.test:192.0.2.7:2525): qmail-remote sends it to 192.0.2.7 port 2525 and does not check a route against its own addresses; the loop guard applies on port 25
routed.test: address 192.0.2.7: not me (no entry matches)
routed.test: delivers to 192.0.2.7 port 2525" \
  "a route, with its port: delivered there, and qmail-remote's addresses for it"
t x.r.test "x.r.test: route ($c/smtproutes:3 .r.test:[192.0.2.8]): qmail-remote sends it to [192.0.2.8] port 25 and does not check a route against its own addresses; the loop guard applies on port 25
x.r.test: address 192.0.2.8: not me (no entry matches)
x.r.test: delivers to 192.0.2.8 port 25" \
  "a .suffix route (blank lines do not count as entries, but as lines)"

# the stand-in DNS: no ./dnsfixture, every lookup fails temporarily
run -c "$c" exc.sub.test local.test
is "$rc:$out" "111:exc.sub.test: not virtual ($c/virtualdomains:4 exc.sub.test:): an exception, so qmail-remote delivers it
exc.sub.test: defers (#4.4.3): the CNAME lookup failed temporarily
local.test: local ($c/locals:4 local.test): delivered here; qmail-remote never sees it" \
  "an exception in control/virtualdomains goes to qmail-remote; a temporary DNS failure defers it, exit 111, and the next domain is answered"
is "$err" "ipmetest: warning: exc.sub.test: a temporary DNS failure" "... and it is said on stderr"
run -c "$c" mx.r.test
like "$out" "^mx\\.r\\.test: no route \\($c/smtproutes:4 mx\\.r\\.test:\\): an empty route, so qmail-remote looks up the MX\$" \
  "an empty route: the MX lookup, the .suffix route not taken"

# control/locals missing: qmail-send takes control/me
mkdir "$d/nolocals" && echo mail.example.org > "$d/nolocals/me"
run -c "$d/nolocals" Mail.Example.Org
is "$rc:$out" "0:Mail.Example.Org: local ($d/nolocals/me:1, as there is no $d/nolocals/locals): delivered here; qmail-remote never sees it" \
  "no control/locals: control/me is local, as qmail-send reads it"
# a default route and a default virtual domain
mkdir "$d/defaults" && echo mail.example.org > "$d/defaults/me"
printf ':[192.0.2.9]\n' > "$d/defaults/smtproutes"
run -c "$d/defaults" any.example
is "$(printf '%s\n' "$out" | sed -n 1p)" "any.example: route ($d/defaults/smtproutes:1 :[192.0.2.9]): qmail-remote sends it to [192.0.2.9] port 25 and does not check a route against its own addresses; the loop guard applies on port 25" \
  "the default route (an empty domain)"
printf 'other.example:one\n:catchall\nother.example:two\n' > "$d/defaults/virtualdomains"
run -c "$d/defaults" any.example other.example
is "$out" "any.example: virtual ($d/defaults/virtualdomains:2 :catchall): delivered here, to catchall-user@any.example; qmail-remote never sees it
other.example: virtual ($d/defaults/virtualdomains:3 other.example:two): delivered here, to two-user@other.example; qmail-remote never sees it" \
  "the default virtual domain; of two entries for a domain the last one counts, as in qmail's constmap"

# addresses and domains in one call, answered in order
run -c "$c" 192.0.2.1 local.test 127.0.0.2
is "$rc:$out" "0:192.0.2.1: not me (no entry matches)
local.test: local ($c/locals:4 local.test): delivered here; qmail-remote never sees it
127.0.0.2: me (ipme 127.0.0.0/8, builtin)" "addresses and domains together, each answered in its turn"

# usage and names that cannot be domains: exit 100, nothing answered
usage="ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..."
e() {
  want=$1 msg=$2; shift 2
  run "$@"
  is "$rc:$out:$err" "$want::$msg" "ipmetest $*: exits $want, answers nothing: $msg"
}
e 100 "$usage"
e 100 "$usage" -p
e 100 "$usage" -c "$c" -x local.test
e 100 "$usage" -c
e 100 "ipmetest: fatal: bad domain a..test: an empty label" -c "$c" a..test
e 100 "ipmetest: fatal: bad domain .test: an empty label" -c "$c" .test
e 100 "ipmetest: fatal: bad domain example.org.: a trailing dot (mail domains are written without it)" -c "$c" example.org.
e 100 "ipmetest: fatal: bad domain user@example.org: a mail address: give its domain, after the @" -c "$c" user@example.org
e 100 "ipmetest: fatal: bad domain exa mple.org: a character no domain has" -c "$c" 'exa mple.org'
e 100 "ipmetest: fatal: bad domain exa\$mple.org: a character no domain has" -c "$c" 'exa$mple.org'
e 100 "ipmetest: fatal: bad domain bücher.example: not ASCII (write a name in another script in its xn-- form)" -c "$c" bücher.example
long=$(printf '%064d' 0 | tr 0 a)
e 100 "ipmetest: fatal: bad domain $long.test: a label longer than 63 characters" -c "$c" "$long.test"
long=$(printf '%0250d' 0 | tr 0 a | sed 's/\(.\{50\}\)/\1./g; s/\.$//')
e 100 "ipmetest: fatal: bad domain $long.test: longer than 253 characters" -c "$c" "$long.test"
e 100 "ipmetest: fatal: bad domain [192.0.2.256]: not an address in brackets" -c "$c" '[192.0.2.256]'
e 100 "ipmetest: fatal: bad domain a..test: an empty label" -c "$c" local.test 192.0.2.1 a..test
e 100 "ipmetest: fatal: bad address 1.2.3.256: octet over 255" -c "$c" local.test 1.2.3.256
run -c "$c" "$(printf '%063d' 0 | tr 0 a).test" '[192.0.2.1]'
like "$out" "^a{63}\\.test: defers \\(#4\\.4\\.3\\)" "a label of 63 characters is a domain"
like "$out" "\\[192\\.0\\.2\\.1\\]: mx 0 192\\.0\\.2\\.1: not me \\(no entry matches\\)" "an address in brackets is a domain: qmail-remote delivers to it"

# malformed control files: exit 111, file and line; a route or virtual
# domain line qmail ignores is a warning, and the domains are answered
# as qmail reads the files; a bad moreipme or notipme answers nothing
m() {
  run -c "$d/bad" "$@"
  is "$rc:$out:$err" "111::$msg" "$name: exits 111, names file and line, answers nothing"
}
# w WANT DOMAIN: the warning $msg, exit 111, and the domain answered (first line WANT)
w() {
  run -c "$d/bad" "$2"
  is "$rc:$(printf '%s\n' "$out" | sed -n 1p):$(printf '%s\n' "$err" | sed -n 1p)" "111:$1:$msg" "$name: a warning with file and line, exit 111, and the domain answered as qmail reads the file"
}
mkdir "$d/bad"; echo mail.example.org > "$d/bad/me"
printf 'ok.test:192.0.2.1\n\nexample.org relay.example.net\n' > "$d/bad/smtproutes"
msg="ipmetest: warning: $d/bad/smtproutes line 3: no colon, so qmail ignores this line: example.org relay.example.net" name="a route without a colon"
w "ok.test: route ($d/bad/smtproutes:1 ok.test:192.0.2.1): qmail-remote sends it to 192.0.2.1 port 25 and does not check a route against its own addresses; the loop guard applies on port 25" ok.test
printf 'ok.test:relay.example.net:smtp\n' > "$d/bad/smtproutes"
msg="ipmetest: warning: $d/bad/smtproutes line 1: bad port (1 to 65535), which qmail-remote reads as far as it is digits: ok.test:relay.example.net:smtp" name="a route with a port that is no number"
w "ok.test: route ($d/bad/smtproutes:1 ok.test:relay.example.net:smtp): qmail-remote sends it to relay.example.net port 0 and does not check a route against its own addresses; the loop guard applies on port 25" ok.test
printf 'ok.test:relay.example.net:65536|user|secret\n' > "$d/bad/smtproutes"
msg="ipmetest: warning: $d/bad/smtproutes line 1: bad port (1 to 65535), which qmail-remote reads as far as it is digits: ok.test:relay.example.net:65536|..." name="a port over 65535, and a password is not shown"
w "ok.test: route ($d/bad/smtproutes:1 ok.test:relay.example.net:65536|...): qmail-remote sends it to relay.example.net port 65536 and does not check a route against its own addresses; the loop guard applies on port 25" ok.test
printf 'ok.test:relay.example.net:587|user|secret\n' > "$d/bad/smtproutes"
run -c "$d/bad" ok.test
like "$rc:$out" "^111:ok\\.test: route \\($d/bad/smtproutes:1 ok\\.test:relay\\.example\\.net:587\\|\\.\\.\\.\\): qmail-remote sends it to relay\\.example\\.net port 587 " \
  "a route with credentials (sagredo's smtproutes): the password is not shown"
printf '\000skipped:x\nok.test:relay.example.net|user|pass:word\n' > "$d/bad/smtproutes"
run -c "$d/bad" ok.test
like "$rc:$out" "^111:ok\\.test: route \\($d/bad/smtproutes:2 ok\\.test:relay\\.example\\.net\\|\\.\\.\\.\\): qmail-remote sends it to relay\\.example\\.net port 25 " \
  "a colon in a route's password is no port; a line that starts with a 0 byte is no entry, as control_readfile reads it"
rm "$d/bad/smtproutes"
printf 'virt.test:alias\nbroken.test\n' > "$d/bad/virtualdomains"
msg="ipmetest: warning: $d/bad/virtualdomains line 2: no colon, so qmail ignores this line: broken.test" name="a virtual domain without a colon"
w "virt.test: virtual ($d/bad/virtualdomains:1 virt.test:alias): delivered here, to alias-user@virt.test; qmail-remote never sees it" virt.test
rm "$d/bad/virtualdomains"
printf '203.0.113.5\n203.0.113.300\n' > "$d/bad/moreipme"
msg="ipmetest: fatal: $d/bad/moreipme line 2: octet over 255: 203.0.113.300" name="a bad line in control/moreipme"
m example.org
rm "$d/bad/moreipme"
mkdir "$d/bad/smtproutes"
msg="ipmetest: fatal: unable to read $d/bad/smtproutes: $(cd "$d" && "$bin/ipmetest" -c "$d/bad" x.test 2>&1 | sed -n 's/.*smtproutes: //p')" name="an unreadable control/smtproutes (a directory)"
m example.org
like "$err" "smtproutes: [a-z]" "... with the reason"
rmdir "$d/bad/smtproutes"
printf 'example.org relay\n' > "$d/bad/smtproutes"
run -c "$d/bad" 192.0.2.1
is "$rc:$out" "0:192.0.2.1: not me (no entry matches)" "ipmetest ADDRESS does not read the files of the domain form"
rm "$d/bad/smtproutes"

# qmail-remote's decision, on the stand-in's DNS answers
cat > "$d/dnsfixture" <<'END'
mx best.test 10 mx.best.test
a mx.best.test 203.0.113.5
mx backup.test 10 mx1.backup.test
mx backup.test 20 mx2.backup.test
a mx1.backup.test 198.51.100.10
a mx2.backup.test 203.0.113.5
mx two.test 10 mx1.backup.test
mx two.test 20 mx3.two.test
a mx3.two.test 198.51.100.11
a aonly.test 192.0.2.50
mx nomx.test 10 nothing.nomx.test
a other.nomx.test 192.0.2.51
mx half.test 10 mx1.backup.test
mx half.test 20 mx.fail.test
fail mx.fail.test
fail fail.test
cname alias.test best.test
mx noaddr.test 10 nothing.noaddr.test
mx noaddr.test 20 mx1.backup.test
mx zero.test 0 mx.best.test
END
echo 203.0.113.5 > "$c/moreipme"
run -c "$c" best.test
is "$rc:$out" "0:best.test: mx 10 203.0.113.5: me (ipme 203.0.113.5, $c/moreipme:1)
best.test: bounces (#5.4.6): the best MX with an address, at preference 10, is this host; add best.test to control/locals or control/virtualdomains, or fix the MX" \
  "the best MX is this host (moreipme): bounces, #5.4.6"
run -c "$c" backup.test
is "$rc:$out" "0:backup.test: mx 10 198.51.100.10: not me (no entry matches)
backup.test: mx 20 203.0.113.5: me (ipme 203.0.113.5, $c/moreipme:1)
backup.test: delivers to 198.51.100.10 only: this host is an MX at preference 20, and qmail-remote tries only the exchangers preferred to it" \
  "this host as the backup MX: delivers to the primary only"
run -c "$c" two.test
is "$rc:$out" "0:two.test: mx 10 198.51.100.10: not me (no entry matches)
two.test: mx 20 198.51.100.11: not me (no entry matches)
two.test: delivers to 198.51.100.10, then 198.51.100.11" "two exchangers, neither this host: both, in order"
run -c "$c" aonly.test
is "$rc:$out" "0:aonly.test: mx 0 192.0.2.50: not me (no entry matches)
aonly.test: delivers to 192.0.2.50" "no MX, an A record: the address, at preference 0"
run -c "$c" nosuch.test
is "$rc:$out" "0:nosuch.test: bounces (#5.1.2): no host named nosuch.test" "no such domain: bounces, #5.1.2"
run -c "$c" nomx.test
is "$rc:$out" "0:nomx.test: bounces (#5.4.4): no mail exchanger or address" "an MX whose host has no address: bounces, #5.4.4"
run -c "$c" fail.test best.test
is "$rc:$(printf '%s\n' "$out" | sed -n 1p):$err" "111:fail.test: defers (#4.4.3): the CNAME lookup failed temporarily:ipmetest: warning: fail.test: a temporary DNS failure" \
  "a DNS server that fails: defers, exit 111"
like "$out" "best\\.test: bounces \\(#5\\.4\\.6\\)" "... and the next domain is answered"
run -c "$c" half.test
is "$rc:$out" "111:half.test: a temporary DNS failure for an exchanger's address: qmail-remote goes on without it
half.test: mx 10 198.51.100.10: not me (no entry matches)
half.test: delivers to 198.51.100.10" "an exchanger's address fails temporarily: qmail-remote goes on without it, exit 111"
run -c "$c" alias.test
is "$rc:$out" "0:alias.test: cname best.test: qmail-remote does not skip this host's own exchangers for an alias
alias.test: mx 10 203.0.113.5: me (ipme 203.0.113.5, $c/moreipme:1)
alias.test: defers (#4.4.6): qmail-remote connects to 203.0.113.5 first, which is this host, and its loop guard stops there (if this host greets with a dotted name of its own; else the message loops): a CNAME, so qmail-remote tries every exchanger, this host's too" \
  "an alias (CNAME, where the tree's qmail-remote looks it up): every exchanger, this host's too, so the guard defers"
run -c "$c" noaddr.test
is "$rc:$out" "0:noaddr.test: mx 20 198.51.100.10: not me (no entry matches)
noaddr.test: delivers to 198.51.100.10" "an exchanger with no address is not shown (dns_mxip drops it); the next one is delivered to"
run -c "$c" zero.test
is "$rc:$(printf '%s\n' "$out" | sed -n 2p)" "0:zero.test: bounces (#5.4.6): the best MX with an address, at preference 0 (or, with no MX, the domain's address), is this host; add zero.test to control/locals or control/virtualdomains, or fix the MX" \
  "an MX at preference 0 that is this host: bounces, #5.4.6, said so"
run -c "$c" '[203.0.113.5]'
is "$rc:$(printf '%s\n' "$out" | sed -n 2p)" "0:[203.0.113.5]: bounces (#5.4.6): the address, is this host; add [203.0.113.5] to control/locals or control/virtualdomains, or fix the MX (qmail-smtpd rewrites box@[an address of its own] to control/localiphost)" \
  "an address of this host in brackets: bounces, #5.4.6, and the rewrite qmail-smtpd makes is said"
mkdir "$d/self" && cp "$c/me" "$c/moreipme" "$d/self/"
printf 'self.test:203.0.113.5\nself2525.test:203.0.113.5:2525\n' > "$d/self/smtproutes"
run -c "$d/self" self.test self2525.test
is "$rc:$(printf '%s\n' "$out" | grep -e '^self.test: defers' -e '^self2525.test: sends it to this host')" "0:self.test: defers (#4.4.6): qmail-remote connects to 203.0.113.5 first, which is this host, and its loop guard stops there (if this host greets with a dotted name of its own; else the message loops)
self2525.test: sends it to this host: qmail-remote sends it to 203.0.113.5 port 2525, an address of this host, where the loop guard does not look: a loop if this qmail (or anything that queues it back here) listens there" \
  "a route to this host: on port 25 the guard defers, #4.4.6; on another port, said as such"
printf 'any.test::2525\n' > "$d/self/smtproutes"
run -c "$d/self" any.test
is "$(printf '%s\n' "$out" | sed -n 1p)" "any.test: route ($d/self/smtproutes:1 any.test::2525): qmail-remote sends it to an empty host name port 2525 and does not check a route against its own addresses; the loop guard applies on port 25" \
  "a route with a port and no host: the empty host is named"
rm -r "$d/self"
printf '203.0.113.5\n' > "$c/notipme"
run -c "$c" best.test
is "$rc:$out" "0:best.test: mx 10 203.0.113.5: not me (notipme 203.0.113.5, $c/notipme:1)
best.test: delivers to 203.0.113.5" "notipme wins the tie: the MX is not this host"
rm "$c/notipme" "$c/moreipme"

# the same answers under valgrind's memcheck, where there is one
if command -v valgrind >/dev/null 2>&1; then
  echo 203.0.113.5 > "$c/moreipme"
  (cd "$d" && timeout 300 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$bin/ipmetest" -c "$c" local.test Local.TEST virt.test a.b.sub.test exc.sub.test routed.test x.r.test mx.r.test \
    best.test backup.test two.test aonly.test nosuch.test nomx.test fail.test half.test alias.test '[192.0.2.1]' \
    > /dev/null 2> "$d/vg.err"); rc=$?
  is "$rc:$(grep -v '^ipmetest: warning: ' "$d/vg.err")" "111:" "memcheck is silent on every kind of answer (exit 111: the temporary failures)"
  rm "$c/moreipme"
else
  echo "SKIP: $(basename "$0"): no valgrind: no memcheck run" >&2
  skip "no valgrind (apt-get install valgrind)"
fi

# -p without a namespace of our own would send packets out: only the directory rule here
run -c "$d/bad" -p local.test
is "$rc:$out:$err" "100::ipmetest: fatal: -p with -c $d/bad/: the directory must be called control, as the loop guard reads its names from control/me and control/smtpgreeting" \
  "-p with -c DIR not called control: exit 100"

[ -n "${UPSTREAM:-}" ] || [ -n "${STACKS:-}" ] || {
  echo "SKIP: $(basename "$0"): neither UPSTREAM nor STACKS is set: no trees" >&2
  skip "neither UPSTREAM nor STACKS is set: no trees, no real qmail-remote to compare with"
  done_testing; exit
}
# ---- the trees -------------------------------------------------------
# This namespace: v0 198.51.100.1/24 (an interface address of ours) and
# 203.0.113.0/24 routed through v0; nft in the output hook sends
#   203.0.113.5:25  to 198.51.100.1:25    a sink greeting, and answering
#                                         EHLO, as mail.example.org (us)
#   203.0.113.6:25  to 198.51.100.1:2526  a sink greeting as mx.other.example
#   203.0.113.7:25  to 198.51.100.1:2599  nothing listens: refused
#   203.0.113.8:25  to 198.51.100.1:2598  accepts, never says a word
#   203.0.113.9     dropped: never answers
#   203.0.113.10:25 to 198.51.100.1:2599  refused (the primary MX down)
#   203.0.113.11:25 to 198.51.100.1:2597  greets as mail.example.org,
#                                         refuses EHLO, answers HELO so
#   203.0.113.12:25 to 198.51.100.1:2596  greets as mail.example.org,
#                                         then never says a word
#   203.0.113.13:25 to 198.51.100.1:2595  a sink greeting, and answering
#                                         EHLO, as localhost.localdomain
# dnsmasq on 127.0.0.1, seen by qmail-remote and ipmetest alone through
# a resolv.conf bind-mounted in a private mount namespace ($withdns);
# $withfail's resolv.conf names 127.0.0.3, where no server listens (a
# DNS server that fails). Every qmail-remote runs beside the tree's
# ipmetest on the same DNS and control files.
skiptrees() {
  echo "SKIP: $(basename "$0"): $1: the tree cases are skipped" >&2
  skip "the tree cases: $1"; done_testing; exit
}
[ -z "${UPSTREAM:-}" ] || need_upstream
[ $netns = 1 ] || skiptrees "needs root and network namespaces (unshare -n)"
command -v nft >/dev/null 2>&1 || skiptrees "needs nft (apt-get install nftables)"
command -v dnsmasq >/dev/null 2>&1 || skiptrees "needs dnsmasq (apt-get install dnsmasq-base)"
command -v perl >/dev/null 2>&1 || skiptrees "needs perl"
make -s -C "$T_TOP" tests/bin/smtpsink >/dev/null || { notok "build smtpsink"; done_testing; exit; }

ip link set lo up
ip link add v0 type veth peer name v1 && ip addr add 198.51.100.1/24 dev v0 && ip addr add 198.51.100.2/24 dev v0 &&
  ip link set v0 up && ip link set v1 up && ip route add 203.0.113.0/24 dev v0 ||
  { notok "the namespace's interfaces"; done_testing; exit; }
printf 'table ip probe {\n chain c {\n  type nat hook output priority -100;\n }\n}\n' | nft -f - 2>/dev/null ||
  skiptrees "nftables NAT does not work in this namespace"
nft delete table ip probe
nft -f - <<EOF || { notok "the nft rules"; done_testing; exit; }
table ip domain {
  chain out {
    type nat hook output priority -100; policy accept;
    ip daddr 203.0.113.5 tcp dport 25 counter dnat to 198.51.100.1:25
    ip daddr 203.0.113.6 tcp dport 25 counter dnat to 198.51.100.1:2526
    ip daddr 203.0.113.7 tcp dport 25 counter dnat to 198.51.100.1:2599
    ip daddr 203.0.113.8 tcp dport 25 counter dnat to 198.51.100.1:2598
    ip daddr 203.0.113.10 tcp dport 25 counter dnat to 198.51.100.1:2599
    ip daddr 203.0.113.11 tcp dport 25 counter dnat to 198.51.100.1:2597
    ip daddr 203.0.113.12 tcp dport 25 counter dnat to 198.51.100.1:2596
    ip daddr 203.0.113.13 tcp dport 25 counter dnat to 198.51.100.1:2595
  }
  chain filt {
    type filter hook output priority 0; policy accept;
    ip daddr 203.0.113.9 counter drop
    ip daddr != { 127.0.0.0/8, 198.51.100.0/24 } counter drop
  }
}
EOF
# conns ADDR: packets the DNAT (or drop) rule for ADDR has counted
conns() { nft list table ip domain | sed -n "s/.*ip daddr $1 .*counter packets \\([0-9]*\\) .*/\\1/p" | sed 1q; }

echo 'nameserver 127.0.0.1' > "$d/resolv.conf"
echo 'nameserver 127.0.0.3' > "$d/resolv.fail"
for w in dns:resolv.conf fail:resolv.fail; do
  printf '#!/bin/sh\nexec unshare -m --propagation private sh -c '\''mount --bind "$0" /etc/resolv.conf && exec "$@"'\'' %s "$@"\n' "$d/${w#*:}" > "$d/with${w%%:*}"
  chmod 755 "$d/with${w%%:*}"
done
withdns=$d/withdns withfail=$d/withfail
dnsmasq -k -C /dev/null --no-resolv --no-hosts --pid-file= -u root \
  --bind-interfaces --listen-address=127.0.0.1 --log-facility="$d/dnsmasq.log" --local=/test/ \
  --mx-host=best.test,mx.best.test,10 --host-record=mx.best.test,203.0.113.5 \
  --mx-host=nat.test,mx1.nat.test,10 --mx-host=nat.test,mx2.nat.test,20 \
  --host-record=mx1.nat.test,203.0.113.6 --host-record=mx2.nat.test,203.0.113.5 \
  --mx-host=down.test,mx1.down.test,10 --mx-host=down.test,mx2.down.test,20 \
  --host-record=mx1.down.test,203.0.113.10 --host-record=mx2.down.test,203.0.113.5 \
  --host-record=aonly.test,203.0.113.6 \
  --cname=alias.test,best.test \
  --mx-host=probe.test,a.probe.test,10 --mx-host=probe.test,b.probe.test,20 \
  --mx-host=probe.test,c.probe.test,30 --mx-host=probe.test,d.probe.test,40 \
  --mx-host=probe.test,e.probe.test,50 --mx-host=probe.test,f.probe.test,60 \
  --host-record=a.probe.test,203.0.113.6 --host-record=b.probe.test,203.0.113.7 \
  --host-record=c.probe.test,203.0.113.8 --host-record=d.probe.test,203.0.113.9 \
  --host-record=e.probe.test,203.0.113.5 --host-record=f.probe.test,203.0.113.6 \
  --mx-host=again.test,mx.again.test,10 --host-record=mx.again.test,203.0.113.6 \
  --host-record=helo.test,203.0.113.11 --host-record=mute.test,203.0.113.12 \
  --host-record=untrusted.test,203.0.113.13 & pids="$pids $!"
n=0; until grep -q started "$d/dnsmasq.log" 2>/dev/null || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
"$withdns" true 2>/dev/null || skiptrees "the resolv.conf bind mount (unshare -m) does not work here"
grep -q started "$d/dnsmasq.log" || { notok "dnsmasq starts"; diag "$(tail -3 "$d/dnsmasq.log")"; done_testing; exit; }

ME=mail.example.org
# the sinks, for the whole run; each logs "connect IP" per connection
"$T_TOP/tests/bin/smtpsink" -g "220 $ME ESMTP" -h "250 $ME" 198.51.100.1 25 10000 3600 "$d/us.log" & pids="$pids $!"
"$T_TOP/tests/bin/smtpsink" -g '220 mx.other.example ESMTP' -h '250 mx.other.example' 198.51.100.1 2526 10000 3600 "$d/other.log" & pids="$pids $!"
"$T_TOP/tests/bin/smtpsink" -g '220 localhost.localdomain ESMTP' -h '250 localhost.localdomain' 198.51.100.1 2595 10000 3600 "$d/untrusted.log" & pids="$pids $!"
perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(LocalAddr => "198.51.100.1", LocalPort => 2598, Listen => 50, ReuseAddr => 1) or die;
  open(my $l, ">>", $ARGV[0]) or die; $l->autoflush(1); print $l "listening\n"; alarm 3600; my @keep;
  while (my $c = $s->accept) { print $l "connect\n"; push @keep, $c }' "$d/silent.log" & pids="$pids $!"
# HELO only, and a greeting then silence: both with our name
perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(LocalAddr => "198.51.100.1", LocalPort => 2597, Listen => 50, ReuseAddr => 1) or die;
  open(my $l, ">>", $ARGV[0]) or die; $l->autoflush(1); print $l "listening\n"; alarm 3600;
  while (my $c = $s->accept) { print $l "connect\n"; print $c "220 $ARGV[1] ESMTP\r\n";
    while (my $x = <$c>) { print $l $x; if ($x =~ /^EHLO/i) { print $c "502 unimplemented\r\n" } elsif ($x =~ /^HELO/i) { print $c "250 $ARGV[1]\r\n" }
      elsif ($x =~ /^QUIT/i) { print $c "221 bye\r\n"; last } else { print $c "502 no\r\n" } } close $c }' "$d/helo.log" "$ME" & pids="$pids $!"
perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(LocalAddr => "198.51.100.1", LocalPort => 2596, Listen => 50, ReuseAddr => 1) or die;
  open(my $l, ">>", $ARGV[0]) or die; $l->autoflush(1); print $l "listening\n"; alarm 3600; my @keep;
  while (my $c = $s->accept) { print $l "connect\n"; print $c "220 $ARGV[1] ESMTP\r\n"; push @keep, $c }' "$d/mute.log" "$ME" & pids="$pids $!"
n=0; until { grep -q listening "$d/us.log" && grep -q listening "$d/other.log" && grep -q listening "$d/silent.log" && grep -q listening "$d/helo.log" && grep -q listening "$d/mute.log" && grep -q listening "$d/untrusted.log"; } 2>/dev/null || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
seen() { grep -c '^connect' "$d/$1.log"; }

printf 'From: a@example.org\nSubject: ipmetest DOMAIN\n\nhello\n' > "$d/msg"
# remote DOMAIN [WITH]: the tree's qmail-remote, one recipient: its report, on one line
remote() { timeout 60 "${2:-$withdns}" "$qr" "$1" a@example.org "u@$1" < "$d/msg" | tr '\n\0' ' \n' | sed 's/ *$//' | grep -v '^r$'; }
# it ARGS...: the tree's ipmetest, no -c (the qmail home's control/, as qmail-remote reads it); sets rc, out, err
it() { w=$withdns; [ "$1" = --fail ] && { w=$withfail; shift; }
  timeout 120 "$w" "$ipmetest" "$@" > "$d/out" 2> "$d/err"; rc=$?; out=$(cat "$d/out") err=$(cat "$d/err"); }
line() { printf '%s\n' "$out" | grep -E "^$1" | sed 1q; }

# cases NAME: every case for one tree or stack; qr, ipmetest and prefix set
cases() {
  name=$1 c=$prefix/control
  rm -f "$c/moreipme" "$c/notipme" "$c/smtproutes" "$c/virtualdomains" "$c/smtpgreeting" "$c/helohost"
  echo "$ME" > "$c/me"
  printf '%s\nlocal.test\n' "$ME" > "$c/locals"
  printf 'virt.test:alias\n' > "$c/virtualdomains"
  if grep -q 'dns_cname(' "$tree/qmail-remote.c"; then cname=1; else cname=0; fi

  it local.test virt.test
  is "$rc:$out" "0:local.test: local (control/locals:2 local.test): delivered here; qmail-remote never sees it
virt.test: virtual (control/virtualdomains:1 virt.test:alias): delivered here, to alias-user@virt.test; qmail-remote never sees it" \
    "$name: a local and a virtual domain (no -c: control/ in the qmail home)"

  # best MX in moreipme: bounce, as qmail-remote does
  echo 203.0.113.5 > "$c/moreipme"
  it best.test
  is "$rc:$out" "0:best.test: mx 10 203.0.113.5: me (ipme 203.0.113.5, control/moreipme:1)
best.test: bounces (#5.4.6): the best MX with an address, at preference 10, is this host; add best.test to control/locals or control/virtualdomains, or fix the MX" \
    "$name: the best MX in moreipme: bounces, #5.4.6"
  like "$(remote best.test)" "^DSorry\\. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file, so I don't treat it as local\\. \\(#5\\.4\\.6\\)\$" \
    "$name: ... and the real qmail-remote bounces it the same, #5.4.6"

  # this host as the backup MX behind NAT (203.0.113.5 in moreipme): the primary only
  u0=$(seen us) o0=$(seen other)
  it nat.test
  is "$rc:$(line 'nat\.test: delivers')" "0:nat.test: delivers to 203.0.113.6 only: this host is an MX at preference 20, and qmail-remote tries only the exchangers preferred to it" \
    "$name: this host as the backup MX (moreipme): delivers to the primary only"
  like "$(remote nat.test)" "^K203\\.0\\.113\\.6 accepted message\\." "$name: ... and the real qmail-remote delivers to the primary"
  is "$(($(seen us) - u0)):$(($(seen other) - o0))" "0:1" "$name: ... and never connects to this host's public address"
  u0=$(seen us)
  it down.test
  is "$(line 'down\.test: delivers')" "down.test: delivers to 203.0.113.10 only: this host is an MX at preference 20, and qmail-remote tries only the exchangers preferred to it" \
    "$name: the primary down, this host the backup MX"
  is "$(remote down.test)" "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)" \
    "$name: ... and the real qmail-remote defers, without a try at this host"
  is "$(($(seen us) - u0))" 0 "$name: ... no connection to 203.0.113.5"

  # the same, before the admin knew: -p finds the public address
  rm "$c/moreipme"
  u0=$(seen us)
  it -p down.test
  is "$rc:$out" "0:down.test: mx 10 203.0.113.10: not me (no entry matches)
down.test: mx 20 203.0.113.5: not me (no entry matches)
down.test: delivers to 203.0.113.10, then 203.0.113.5
down.test: probe 203.0.113.10: refuses: connection refused
down.test: probe 203.0.113.5: greets as $ME, this host's own name: it is this host behind NAT or a forwarder; add 203.0.113.5 to control/moreipme (or, if it is another host with our name, to control/notipme)" \
    "$name: -p: the public address greets with our name: add it to moreipme"
  like "$(sed -n "$(grep -n '^connect' "$d/us.log" | sed -n "$((u0 + 1))p" | cut -d: -f1),\$p" "$d/us.log" | tr '\n' ' ')" "^connect [0-9.]+ ehlo $ME quit \$" \
    "$name: ... one connection: EHLO with control/me's name, QUIT, never MAIL"
  like "$(remote down.test)" "^ZConnected to 203\\.0\\.113\\.5 but it greeted me with my own name $ME: a mail loop\\..*\\(#4\\.4\\.6\\)\$" \
    "$name: ... the real qmail-remote tries it, and its loop guard defers, #4.4.6"

  # no MX, an A record
  it aonly.test
  is "$rc:$out" "0:aonly.test: mx 0 203.0.113.6: not me (no entry matches)
aonly.test: delivers to 203.0.113.6" "$name: no MX, an A record: delivers to the address"
  like "$(remote aonly.test)" "^K203\\.0\\.113\\.6 accepted message\\." "$name: ... as the real qmail-remote does"

  # no such domain
  it nosuch.test
  is "$rc:$out" "0:nosuch.test: bounces (#5.1.2): no host named nosuch.test" "$name: no such domain: bounces, #5.1.2"
  like "$(remote nosuch.test)" "^DSorry, I couldn't find any host named nosuch\\.test\\. \\(#5\\.1\\.2\\)\$" "$name: ... as the real qmail-remote does"

  # a DNS server that fails: qmail 1.03's CNAME lookup fails first
  if [ $cname = 1 ]; then want='(#4.4.3): the CNAME lookup failed temporarily' rwant='ZCNAME lookup failed temporarily. (#4.4.3)'
  else want='(#4.1.2): a temporary DNS failure looking up best.test' rwant="ZSorry, I couldn't find any host by that name. (#4.1.2)"; fi
  it --fail best.test local.test
  is "$rc:$out:$err" "111:best.test: defers $want
local.test: local (control/locals:2 local.test): delivered here; qmail-remote never sees it:ipmetest: warning: best.test: a temporary DNS failure" \
    "$name: a DNS server that fails: defers, exit 111, and the next domain is answered"
  is "$(remote best.test "$withfail")" "$rwant" "$name: ... as the real qmail-remote does"

  # an alias: where qmail-remote looks up CNAMEs, every exchanger is tried, this host's too
  echo 203.0.113.5 > "$c/moreipme"
  it alias.test
  if [ $cname = 1 ]; then
    like "$(line 'alias\.test: defers')" "^alias\\.test: defers \\(#4\\.4\\.6\\): qmail-remote connects to 203\\.0\\.113\\.5 first, .*: a CNAME" \
      "$name: an alias (CNAME) of a domain whose MX is this host: qmail-remote tries it all the same"
    like "$(remote alias.test)" "\\(#4\\.4\\.6\\)\$" "$name: ... and the real qmail-remote does, and its guard defers, #4.4.6"
  else
    is "$(line 'alias\.test: bounces')" "alias.test: bounces (#5.4.6): the best MX with an address, at preference 10, is this host; add alias.test to control/locals or control/virtualdomains, or fix the MX" \
      "$name: an alias (this qmail-remote does not look up CNAMEs): bounces, #5.4.6"
    like "$(remote alias.test)" "\\(#5\\.4\\.6\\)\$" "$name: ... as the real qmail-remote does"
  fi
  rm "$c/moreipme"

  # a route: qmail-remote goes there, port 25, and ipmetest says so
  printf 'routed.test:203.0.113.6\n' > "$c/smtproutes"
  it routed.test
  is "$rc:$out" "0:routed.test: route (control/smtproutes:1 routed.test:203.0.113.6): qmail-remote sends it to 203.0.113.6 port 25 and does not check a route against its own addresses; the loop guard applies on port 25
routed.test: address 203.0.113.6: not me (no entry matches)
routed.test: delivers to 203.0.113.6 port 25" "$name: a route"
  like "$(remote routed.test)" "^K203\\.0\\.113\\.6 accepted message\\." "$name: ... the real qmail-remote takes it there"
  printf 'routed.test 203.0.113.6\n' > "$c/smtproutes"
  it routed.test
  is "$rc:$out:$err" "111:routed.test: bounces (#5.1.2): no host named routed.test:ipmetest: warning: control/smtproutes line 1: no colon, so qmail ignores this line: routed.test 203.0.113.6" \
    "$name: a malformed control/smtproutes: a warning with file and line, exit 111, and the domain answered as qmail reads the file"
  like "$(remote routed.test)" "^DSorry, I couldn't find any host named routed\\.test\\. \\(#5\\.1\\.2\\)\$" \
    "$name: ... as the real qmail-remote does, which ignores the line"
  rm "$c/smtproutes"

  # -p: each kind of answer, each address once, in bounded time
  s0=$(date +%s) u0=$(seen us) o0=$(seen other) q0=$(seen silent) x0=$(conns 203.0.113.9)
  it -p probe.test again.test
  s1=$(date +%s)
  is "$rc:$(printf '%s\n' "$out" | grep ': probe ')" "0:probe.test: probe 203.0.113.6: greets as mx.other.example: not this host, as the loop guard decides
probe.test: probe 203.0.113.7: refuses: connection refused
probe.test: probe 203.0.113.8: no greeting: it connects, but says nothing within 5 seconds
probe.test: probe 203.0.113.9: no answer: no connection within 5 seconds
probe.test: probe 203.0.113.5: greets as $ME, this host's own name: it is this host behind NAT or a forwarder; add 203.0.113.5 to control/moreipme (or, if it is another host with our name, to control/notipme)
probe.test: probe 203.0.113.6: greets as mx.other.example: not this host, as the loop guard decides
again.test: probe 203.0.113.6: greets as mx.other.example: not this host, as the loop guard decides" \
    "$name: -p: another name, refused, silent, no answer, our own name; an address once, whatever lists it"
  is "$(($(seen us) - u0)):$(($(seen other) - o0)):$(($(seen silent) - q0))" "1:1:1" "$name: ... one connection an address"
  [ "$(conns 203.0.113.9)" -gt "$x0" ] && ok "$name: ... the dropped address was tried" || notok "$name: ... the dropped address was tried"
  [ $((s1 - s0)) -le 20 ] && ok "$name: ... in $((s1 - s0)) s (at most 5 s to connect and 5 s for the replies, an address)" ||
    notok "$name: ... in bounded time: $((s1 - s0)) s"
  echo "mail.example.org ESMTP" > "$c/smtpgreeting"
  echo 203.0.113.5 > "$c/notipme"
  it -p best.test
  is "$(line 'best\.test: probe')" "best.test: probe 203.0.113.5: greets as $ME: not this host, as the loop guard decides (whatever the name, for notipme 203.0.113.5, control/notipme:1)" \
    "$name: -p: an address in notipme greets with our name: the guard lets it be, and says why"
  rm "$c/smtpgreeting" "$c/notipme"
  : > "$d/helo.log"
  it -p helo.test mute.test
  is "$rc:$(printf '%s\n' "$out" | grep ': probe ')" "0:helo.test: probe 203.0.113.11: greets as $ME, refuses EHLO (502), this host's own name: it is this host behind NAT or a forwarder; add 203.0.113.11 to control/moreipme (or, if it is another host with our name, to control/notipme)
mute.test: probe 203.0.113.12: greets as $ME, then no reply to EHLO within 5 seconds: undecided: it greets with this host's own name, and the loop guard decides on a reply to HELO or EHLO, which did not come; if 203.0.113.12 is this host, add it to control/moreipme" \
    "$name: -p: EHLO refused, HELO answered with our name (as the qmail-remote that sends HELO: a loop); our name, then silence: undecided"
  like "$(tr '\r\n' '  ' < "$d/helo.log")" "EHLO $ME  HELO $ME  QUIT" "$name: ... HELO after the refused EHLO, then QUIT"

  # our name, which the guard does not trust (localhost.*): said, and qmail-remote does loop
  echo localhost.localdomain > "$c/smtpgreeting"
  it -p untrusted.test
  is "$rc:$(line 'untrusted\.test: probe')" "0:untrusted.test: probe 203.0.113.13: greets as localhost.localdomain: it is this host's own name, which the loop guard does not trust (it wants a dotted name, not localhost): if 203.0.113.13 is this host, add it to control/moreipme, or qmail-remote loops" \
    "$name: -p: a greeting with our name that the guard does not trust (localhost.*): said, with the advice"
  like "$(remote untrusted.test)" "^K203\\.0\\.113\\.13 accepted message\\." "$name: ... and the real qmail-remote's guard indeed lets it through"
  rm "$c/smtpgreeting"

  # a route to this host's own address, port 25: qmail-remote's guard defers
  printf 'self.test:203.0.113.5\n' > "$c/smtproutes"
  echo 203.0.113.5 > "$c/moreipme"
  it self.test
  is "$rc:$(line 'self\.test: defers')" "0:self.test: defers (#4.4.6): qmail-remote connects to 203.0.113.5 first, which is this host, and its loop guard stops there (if this host greets with a dotted name of its own; else the message loops)" \
    "$name: a route to this host (moreipme), port 25: the guard defers"
  like "$(remote self.test)" "^ZConnected to 203\\.0\\.113\\.5 but it greeted me with my own name $ME: a mail loop\\..*\\(#4\\.4\\.6\\)\$" \
    "$name: ... as the real qmail-remote does"
  rm "$c/smtproutes" "$c/moreipme"

  # the outgoingip patch: the probe binds control/outgoingip, as qmail-remote does
  if grep -q outip "$tree/timeoutconn.c"; then
    echo not.an.address > "$c/outgoingip"
    it best.test
    is "$rc:$out" "111:best.test: defers (#4.3.0): control/outgoingip is not an address, so qmail-remote delivers nothing" \
      "$name: a bad control/outgoingip, without -p: every remote domain defers, exit 111"
    is "$(remote best.test)" "Zinvalid ipaddr in control/outgoingip (#4.3.0)" "$name: ... as the real qmail-remote does"
    echo 198.51.100.2 > "$c/outgoingip"
    u0=$(seen us)
    it -p best.test
    like "$(sed -n "$(grep -n '^connect' "$d/us.log" | sed -n "$((u0 + 1))p" | cut -d: -f1)p" "$d/us.log")" '^connect 198\.51\.100\.2$' \
      "$name: -p binds control/outgoingip, as this tree's qmail-remote does"
    remote best.test > /dev/null
    is "$(sed -n "$(grep -n '^connect' "$d/us.log" | sed -n "$((u0 + 2))p" | cut -d: -f1)p" "$d/us.log")" "connect 198.51.100.2" \
      "$name: ... and so does the real qmail-remote"
    rm "$c/outgoingip"
  fi
}

# checktree NAME TREE: a pristine tree, built and installed by tools/try
checktree() {
  name=$1 tree=$2 src=$d/$1.work/$1 prefix=$d/$1.prefix
  if "$T_TOP/tools/try" "$tree" "$prefix" "$d/$1.work" > "$d/try.out" 2>&1; then ok "$name: make try builds and installs it"
  else notok "$name: make try"; diag "$(tail -20 "$d/try.out")"; return; fi
  qr=$prefix/bin/qmail-remote ipmetest=$prefix/bin/ipmetest
  cases "$name"
  rm -rf "$d/$1.work" "$prefix"
}

# checkstack NAME TREE: a stack, copied, patched as tools/fitpatch says,
# its qmail-remote and ipmetest built for PREFIX, not installed
checkstack() {
  name=$1 tree=$2 src=$d/$1.work/$1 prefix=$d/$1.prefix
  if ! fit=$("$T_TOP/tools/fitpatch" "$tree" 2> "$d/fit.out"); then
    echo "SKIP: $name: no patch of ours fits it (tools/fitpatch)" >&2
    skip "$name: no patch of ours fits it (tools/fitpatch)"; return
  fi
  mkdir -p "$src" "$prefix/control" && cp -R "$tree/." "$src" || { notok "$name: copy $tree"; return; }
  fuzz=-F0
  grep -q 'with fuzz' "$d/fit.out" && fuzz=
  patch -d "$src" -t -N -p1 $fuzz --no-backup-if-mismatch -i "$T_TOP/$fit" < /dev/null > "$d/patch.out" 2>&1
  "$T_TOP/tools/prepare" "$src" "$prefix" > /dev/null
  for h in $(sed -n 's/^\([A-Za-z0-9_]*\.h\):.*$/\1/p' "$src/Makefile" | sort -u); do
    [ -f "$src/$h" ] || timeout 300 make -C "$src" "$h" > /dev/null 2>&1 || :
  done
  if timeout 600 make -C "$src" qmail-remote ipmetest > "$d/build.out" 2>&1 && [ -x "$src/ipmetest" ]; then
    ok "$name: $fit, qmail-remote and ipmetest build"
  else notok "$name: $fit, qmail-remote and ipmetest build"; diag "$(tail -20 "$d/build.out")"; return; fi
  qr=$src/qmail-remote ipmetest=$src/ipmetest
  cases "$name"
  rm -rf "$d/$1.work" "$prefix"
}

each_tree qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.08 notqmail-1.09
done_testing

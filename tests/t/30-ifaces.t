#!/bin/sh
# Interface detection (ipme_ifaces through ipmeprint and ipmetest) in a private network
# namespace with known addresses: several unlabelled addresses on one
# interface, a labelled one, a down interface, and more addresses than
# stock qmail's fixed buffer holds. Needs root and unshare -n.
. "$(dirname "$0")/../lib.sh"
bin=$T_TOP/tests/bin
PATH=/usr/sbin:/sbin:$PATH
in_netns "$@"
d=$(mktemp -d /tmp/moreipme-ifaces.XXXXXX)
trap 'rm -rf "$d"' EXIT
mkdir "$d/c"

# an interface for test addresses: veth if the kernel has it, else ifb
mkif() {
  ip link add "$1" type veth peer name "$1p" 2>/dev/null && { ip link set "$1p" up; return 0; }
  ip link add "$1" type ifb 2>/dev/null
}
mkif t0 || skip_all "the kernel has neither veth nor ifb"
mkif t1 || skip_all "the kernel has neither veth nor ifb"
ok "made test interfaces ($(ip -o link show t0 | sed -n 's/.*link\/\([a-z]*\).*/\1/p'))"

ip link set lo up
for i in 1 2 3 4 5; do ip addr add "198.51.100.$i/24" dev t0; done
ip addr add 198.51.100.9/24 dev t0 label t0:nine
ip link set t0 up
ip addr add 203.0.113.1/24 dev t1

out=$("$bin/ipmeprint" -v -c "$d/c" 2>&1)
is "$out" "127.0.0.0/8        builtin
0.0.0.0            builtin
127.0.0.1          lo
198.51.100.1       t0
198.51.100.2       t0
198.51.100.3       t0
198.51.100.4       t0
198.51.100.5       t0
198.51.100.9       t0:nine" "every address of an up interface, unlabelled secondaries too; none of a down one"
is "$("$bin/ipmeprint" -c "$d/c" 2>&1)" "127.0.0.1
198.51.100.1
198.51.100.2
198.51.100.3
198.51.100.4
198.51.100.5
198.51.100.9" "ipmeprint without -v: the same addresses, bare, as stock ipmeprint prints them"
is "$("$bin/ipmetest" -c "$d/c" 198.51.100.4 203.0.113.1)" "198.51.100.4: me (ipme 198.51.100.4, t0)
203.0.113.1: not me (no entry matches)" "ipmetest: a secondary address is me, a down interface's is not"

ip link set t1 up
like "$("$bin/ipmeprint" -v -c "$d/c")" '^203\.0\.113\.1 +t1$' "an interface counts once it is up"

# IPv6: this qmail delivers over IPv4 only; the interfaces' IPv6 addresses are not read
if ip -6 addr add 2001:db8::1/64 dev t0 nodad 2>/dev/null; then
  printf '2001:db8::1\n' > "$d/c/notipme"
  is "$("$bin/ipmetest" -c "$d/c" 2001:db8::1 ::1 198.51.100.1 2>&1)" "2001:db8::1: not me (IPv6: this qmail delivers over IPv4 only)
::1: not me (IPv6: this qmail delivers over IPv4 only)
198.51.100.1: me (ipme 198.51.100.1, t0)" "ipmetest: an IPv6 address, even an interface's, is not me: this qmail uses IPv4 only"
  out=$("$bin/ipmeprint" -v -c "$d/c" 2>&1)
  is "$(printf '%s\n' "$out" | grep ':.*:')" "2001:db8::1        $d/c/notipme:1 (IPv6: not used by this qmail)" "ipmeprint -v lists the IPv6 line of a file, but no IPv6 interface address"
  rm "$d/c/notipme"
  if "$bin/ipmeprint" -c "$d/c" | grep -q :; then notok "ipmeprint lists no IPv6 interface address"; else ok "ipmeprint lists no IPv6 interface address"; fi
else
  skip "no IPv6 in this namespace"
fi

# stock qmail-1.03 gives up past 5406 addresses (its buffer stops growing near 200000 bytes)
n=6000
i=0
while [ $i -lt $n ]; do
  echo "addr add 10.$((i / 250 + 1)).$((i % 250 + 1)).1/32 dev t1"
  i=$((i + 1))
done > "$d/batch"
if ip -batch "$d/batch"; then
  out=$("$bin/ipmeprint" -v -c "$d/c" 2>&1); rc=$?
  is "$rc" 0 "ipmeprint works with $n more addresses on one interface"
  is "$(printf '%s\n' "$out" | grep -c ' t1$')" $((n + 1)) "... and lists all $((n + 1)) of t1's addresses"
  is "$("$bin/ipmetest" -c "$d/c" 10.1.1.1 10.24.250.1)" "10.1.1.1: me (ipme 10.1.1.1, t1)
10.24.250.1: me (ipme 10.24.250.1, t1)" "ipmetest finds the first and the last of them"
else
  notok "ip -batch added $n addresses"
fi
done_testing

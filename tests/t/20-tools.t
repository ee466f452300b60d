#!/bin/sh
# ipmetest and ipmeprint, built against tests/qlib: answers, sources,
# warnings, messages and exit codes. In a private network namespace
# when root can make one, so that the interface addresses are known.
. "$(dirname "$0")/../lib.sh"
bin=$T_TOP/tests/bin
PATH=/usr/sbin:/sbin:$PATH
if [ "${1:-}" != --in-netns ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  exec unshare -n "$0" --in-netns
fi
netns=0
if [ "${1:-}" = --in-netns ]; then
  netns=1
  ip link set lo up
  ip link add v0 type veth peer name v1 && ip addr add 198.51.100.1/24 dev v0 && ip link set v0 up || netns=0
fi
[ $netns = 1 ] || echo "SKIP: $(basename "$0"): not root or no unshare -n: the interface checks are skipped" >&2

d=$(mktemp -d /tmp/moreipme-tools.XXXXXX)
trap 'chmod -R u+rwx "$d"; rm -rf "$d"' EXIT
mkdir "$d/c"
cat > "$d/c/moreipme" <<'END'
# the office block, behind NAT
203.0.113.0/24
  198.51.100.7	
198.51.100.64/255.255.255.192
END
printf '203.0.113.7\r\n203.0.113.128/25\n\n198.51.100.64/26' > "$d/c/notipme"

# t ADDRESS ANSWER: ipmetest -c with one address
t() { is "$("$bin/ipmetest" -c "$d/c" "$1" 2>&1)" "$1: $2" "ipmetest $1: $2"; }
t 203.0.113.5 "me (ipme 203.0.113.0/24, $d/c/moreipme:2)"
t 203.0.113.7 "not me (notipme 203.0.113.7, $d/c/notipme:1)"
t 203.0.113.200 "not me (notipme 203.0.113.128/25, $d/c/notipme:2)"
t 203.0.113.127 "me (ipme 203.0.113.0/24, $d/c/moreipme:2)"
t 198.51.100.7 "me (ipme 198.51.100.7, $d/c/moreipme:3)"
t 198.51.100.70 "not me (notipme 198.51.100.64/26, $d/c/notipme:4)"
t 198.51.100.8 "not me (no entry matches)"
t 127.1.2.3 "me (ipme 127.0.0.0/8, builtin)"
t 0.0.0.0 "me (ipme 0.0.0.0, builtin)"
t 255.255.255.255 "not me (no entry matches)"
if [ $netns = 1 ]; then
  t 127.0.0.1 "me (ipme 127.0.0.1, lo)"
  t 198.51.100.1 "me (ipme 198.51.100.1, v0)"
fi

out=$("$bin/ipmetest" -c "$d/c" 203.0.113.5 198.51.100.8 2>&1); rc=$?
is "$rc" 0 "ipmetest exits 0 when it answered, whatever the answers"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "ipmetest answers each address on its own line"

# e EXIT MESSAGE ARGS...: ipmetest fails with EXIT, stderr MESSAGE, nothing on stdout
e() {
  want=$1 wantmsg=$2; shift 2
  "$bin/ipmetest" "$@" > "$d/out" 2> "$d/err"; rc=$?
  is "$rc:$(cat "$d/out")" "$want:" "ipmetest $* exits $want and answers nothing"
  is "$(cat "$d/err")" "$wantmsg" "ipmetest $*: $wantmsg"
}
e 100 "ipmetest: usage: ipmetest [ -c controldir ] address ..."
e 100 "ipmetest: usage: ipmetest [ -c controldir ] address ..." -c "$d/c"
e 100 "ipmetest: fatal: bad address 1.2.3: too few octets" -c "$d/c" 1.2.3
e 100 "ipmetest: fatal: bad address 1.2.3.256: octet over 255" -c "$d/c" 203.0.113.5 1.2.3.256
e 100 "ipmetest: fatal: bad address 10.0.0.0/8: a network, not an address" -c "$d/c" 10.0.0.0/8
e 100 "ipmetest: fatal: bad address ::1: IPv6 entry, but this qmail has no IPv6" -c "$d/c" ::1
mkdir "$d/bad"
printf '203.0.113.5\n\n# next is wrong\n203.0.113.0/33\n' > "$d/bad/moreipme"
e 111 "ipmetest: fatal: $d/bad/moreipme line 4: mask length over 32: 203.0.113.0/33" -c "$d/bad" 203.0.113.5
rm "$d/bad/moreipme"
printf '198.51.100.0/255.0.255.0' > "$d/bad/notipme"
e 111 "ipmetest: fatal: $d/bad/notipme line 1: mask not contiguous: 198.51.100.0/255.0.255.0" -c "$d/bad" 203.0.113.5
rm "$d/bad/notipme"
mkdir "$d/bad/moreipme"
e 111 "ipmetest: fatal: unable to read $d/bad/moreipme: is a directory" -c "$d/bad" 203.0.113.5
e 111 "ipmetest: fatal: unable to read $d/nosuchdir: file does not exist" -c "$d/nosuchdir" 203.0.113.5
rmdir "$d/bad/moreipme"
if [ "$(id -u)" != 0 ]; then
  printf '203.0.113.5\n' > "$d/bad/moreipme"; chmod 0 "$d/bad/moreipme"
  e 111 "ipmetest: fatal: unable to read $d/bad/moreipme: access denied" -c "$d/bad" 203.0.113.5
  rm -f "$d/bad/moreipme"
fi

# ipmeprint: the lists in order, each entry with its source
out=$("$bin/ipmeprint" -c "$d/c" 2> "$d/err"); rc=$?
is "$rc" 0 "ipmeprint exits 0"
is "$(printf '%s\n' "$out" | sed -n '1,2p')" "127.0.0.0/8        builtin
0.0.0.0            builtin" "ipmeprint starts with the builtin entries"
is "$(printf '%s\n' "$out" | tail -n 6)" "203.0.113.0/24     $d/c/moreipme:2
198.51.100.7       $d/c/moreipme:3
198.51.100.64/26   $d/c/moreipme:4
203.0.113.7        $d/c/notipme:1
203.0.113.128/25   $d/c/notipme:2
198.51.100.64/26   $d/c/notipme:4" "ipmeprint ends with moreipme, then notipme, with file and line"
if [ $netns = 1 ]; then
  is "$(printf '%s\n' "$out" | sed -n '3,4p')" "127.0.0.1          lo
198.51.100.1       v0" "ipmeprint lists the interface addresses after the builtins"
fi
is "$(cat "$d/err")" "ipmeprint: warning: $d/c/moreipme:4 198.51.100.64/26 is cancelled by $d/c/notipme:4 198.51.100.64/26: notipme wins a tie" "ipmeprint warns of an entry that a tie cancels"

# warnings: duplicates, host bits, an interface address, a notipme that cannot cover a /32
mkdir "$d/w"
printf '203.0.113.9\n203.0.113.9/32\n192.0.2.77/24\n127.0.0.0/8\n' > "$d/w/moreipme"
printf '198.51.100.0/24\n198.51.100.0/255.255.255.0\n' > "$d/w/notipme"
"$bin/ipmeprint" -c "$d/w" > "$d/out" 2> "$d/err"
is "$?:$(wc -l < "$d/out" | tr -d ' ')" "0:$(( $(grep -c . "$d/out") ))" "ipmeprint prints everything despite warnings"
w=$(cat "$d/err")
like "$w" "^ipmeprint: warning: $d/w/moreipme:2 203\.0\.113\.9 repeats $d/w/moreipme:1 203\.0\.113\.9$" "ipmeprint warns of a repeated moreipme entry"
like "$w" "^ipmeprint: warning: $d/w/notipme:2 198\.51\.100\.0/24 repeats $d/w/notipme:1 198\.51\.100\.0/24$" "ipmeprint warns of a repeated notipme entry"
like "$w" "^ipmeprint: warning: $d/w/moreipme:3 192\.0\.2\.77/24 has host bits set; it means 192\.0\.2\.0/24$" "ipmeprint warns of host bits under the mask"
like "$w" "^ipmeprint: warning: $d/w/moreipme:4 127\.0\.0\.0/8 repeats builtin 127\.0\.0\.0/8$" "ipmeprint warns of a moreipme entry that repeats a builtin"
if [ $netns = 1 ]; then
  like "$w" "^ipmeprint: warning: $d/w/notipme:1 198\.51\.100\.0/24 does not cover v0 198\.51\.100\.1, which is longer and stays me$" "ipmeprint warns of a notipme network around an interface address"
  printf '127.0.0.0/255.0.0.0\n' > "$d/w/notipme"
  printf '198.51.100.1\n' > "$d/w/moreipme"
  w=$("$bin/ipmeprint" -c "$d/w" 2>&1 >/dev/null)
  is "$w" "ipmeprint: warning: $d/w/moreipme:1 198.51.100.1 is already an address of interface v0
ipmeprint: warning: $d/w/notipme:1 127.0.0.0/8 does not cover lo 127.0.0.1, which is longer and stays me" "ipmeprint warns of the classic notipme 127/8 and of a moreipme interface address"
  is "$("$bin/ipmetest" -c "$d/w" 127.0.0.1 127.0.0.2)" "127.0.0.1: me (ipme 127.0.0.1, lo)
127.0.0.2: not me (notipme 127.0.0.0/8, $d/w/notipme:1)" "notipme 127/8 ties the builtin 127/8 but not lo's 127.0.0.1"
fi

"$bin/ipmeprint" -c "$d/bad" extra > "$d/out" 2> "$d/err"
is "$?:$(cat "$d/err")" "100:ipmeprint: usage: ipmeprint [ -c controldir ]" "ipmeprint exits 100 on bad usage"
printf '1.2.3.4 # a comment here is junk\n' > "$d/bad/moreipme"
"$bin/ipmeprint" -c "$d/bad" > "$d/out" 2> "$d/err"
is "$?:$(cat "$d/out")" "111:" "ipmeprint exits 111 and prints no list for a malformed file"
is "$(cat "$d/err")" "ipmeprint: fatal: $d/bad/moreipme line 1: junk after entry: 1.2.3.4 # a comment here is junk" "ipmeprint names file, line and reason"
done_testing

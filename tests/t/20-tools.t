#!/bin/sh
# ipmetest and ipmeprint, built against tests/qlib: answers, sources,
# warnings, messages and exit codes. In a private network namespace
# when root can make one, so that the interface addresses are known.
. "$(dirname "$0")/../lib.sh"
bin=$T_TOP/tests/bin
PATH=/usr/sbin:/sbin:$PATH
maybe_netns "$@"
if [ $netns = 1 ]; then
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

# re TEXT: TEXT as an extended regular expression, in which WHY stands for
# any reason the parser gives (its words are the unit tests' business)
re() { printf '%s\n' "$1" | sed 's/[].[*^$()+?{}|\\]/\\&/g; s#WHY#[a-z][^:]*#g'; }

# e EXIT MESSAGE ARGS...: ipmetest fails with EXIT, stderr MESSAGE, nothing on stdout
e() {
  want=$1 wantmsg=$2; shift 2
  "$bin/ipmetest" "$@" > "$d/out" 2> "$d/err"; rc=$?
  is "$rc:$(cat "$d/out")" "$want:" "ipmetest $* exits $want and answers nothing"
  like "$(cat "$d/err")" "^$(re "$wantmsg")\$" "ipmetest $*: $wantmsg"
}
e 100 "ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..."
e 100 "ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..." -c "$d/c"
e 100 "ipmetest: fatal: bad address 1.2.3: WHY" -c "$d/c" 1.2.3
e 100 "ipmetest: fatal: bad address 1.2.3.256: WHY" -c "$d/c" 203.0.113.5 1.2.3.256
e 100 "ipmetest: fatal: bad address 10.0.0.0/8: a network, not an address" -c "$d/c" 10.0.0.0/8
e 100 "ipmetest: fatal: bad address 2001:db8::/32: a network, not an address" -c "$d/c" 2001:db8::/32
e 100 "ipmetest: fatal: bad address 192.0.2.1:25: a port is not part of an entry" -c "$d/c" 192.0.2.1:25
e 100 "ipmetest: fatal: bad address fe80::1%eth0: WHY" -c "$d/c" fe80::1%eth0
e 100 "ipmetest: fatal: bad address : not an address" -c "$d/c" ""
e 100 "ipmetest: fatal: bad address 192.0.2.1 # x: not an address" -c "$d/c" "192.0.2.1 # x"
e 100 "ipmetest: fatal: bad address  192.0.2.1: not an address" -c "$d/c" " 192.0.2.1"
e 100 "ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..." -x 1.2.3.4
e 100 "ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..." -c "$d/c" -v 1.2.3.4
e 100 "ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..." -c
e 100 "ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..." -c "" 192.0.2.1
# IPv6: written as IPv6, answered without a look at the files or the interfaces
out=$("$bin/ipmetest" -c "$d/c" 2001:db8::1 ::ffff:203.0.113.5 2001:db8::1::2 203.0.113.5 2>&1); rc=$?
is "$rc:$out" "0:2001:db8::1: not me (IPv6: this qmail delivers over IPv4 only)
::ffff:203.0.113.5: not me (IPv6: this qmail delivers over IPv4 only)
2001:db8::1::2: not me (IPv6: this qmail delivers over IPv4 only)
203.0.113.5: me (ipme 203.0.113.0/24, $d/c/moreipme:2)" "ipmetest: an IPv6 address is not me, this qmail delivers over IPv4 only"
is "$("$bin/ipmetest" -c "$d/c" -- 203.0.113.5 2>&1)" "203.0.113.5: me (ipme 203.0.113.0/24, $d/c/moreipme:2)" "ipmetest: -- ends the options"
is "$("$bin/ipmetest" -c "$d/c/" 203.0.113.5 2>&1)" "203.0.113.5: me (ipme 203.0.113.0/24, $d/c/moreipme:2)" "ipmetest -c dir/ names dir/moreipme, not dir//moreipme"
mkdir "$d/bad"
printf '203.0.113.5\n\n# next is wrong\n203.0.113.0/33\n' > "$d/bad/moreipme"
e 111 "ipmetest: fatal: $d/bad/moreipme line 4: WHY: 203.0.113.0/33" -c "$d/bad" 203.0.113.5
rm "$d/bad/moreipme"
printf '198.51.100.0/255.0.255.0' > "$d/bad/notipme"
e 111 "ipmetest: fatal: $d/bad/notipme line 1: WHY: 198.51.100.0/255.0.255.0" -c "$d/bad" 203.0.113.5
rm "$d/bad/notipme"
mkdir "$d/bad/moreipme"
e 111 "ipmetest: fatal: unable to read $d/bad/moreipme: is a directory" -c "$d/bad" 203.0.113.5
e 111 "ipmetest: fatal: unable to read $d/c/moreipme: not a directory" -c "$d/c/moreipme" 203.0.113.5
e 111 "ipmetest: fatal: unable to read $d/c/moreipme/x: not a directory" -c "$d/c/moreipme/x" 203.0.113.5
ln -s "$d/nosuchdir" "$d/dangling"
e 111 "ipmetest: fatal: unable to read $d/dangling: symbolic link to a directory that does not exist" -c "$d/dangling" 203.0.113.5
# a directory that does not exist (yet: a fresh install) is read as empty files
out=$("$bin/ipmetest" -c "$d/nosuchdir" 203.0.113.5 127.0.0.2 2> "$d/err"); rc=$?
is "$rc:$out" "0:203.0.113.5: not me (no entry matches)
127.0.0.2: me (ipme 127.0.0.0/8, builtin)" "ipmetest -c with a directory that does not exist: no entries but the builtins and interfaces"
is "$(cat "$d/err")" "ipmetest: warning: $d/nosuchdir: no such directory: nothing read from it" "... and a warning that names it"
rmdir "$d/bad/moreipme"
if [ "$(id -u)" != 0 ]; then
  printf '203.0.113.5\n' > "$d/bad/moreipme"; chmod 0 "$d/bad/moreipme"
  e 111 "ipmetest: fatal: unable to read $d/bad/moreipme: access denied" -c "$d/bad" 203.0.113.5
  rm -f "$d/bad/moreipme"
fi

# ipmeprint: stock's format, one address a line, each single address that is me
mkdir "$d/empty"
ifs=$("$bin/ipmeprint" -c "$d/empty")
[ $netns = 1 ] && is "$ifs" "127.0.0.1
198.51.100.1" "ipmeprint with no files: the interface addresses"
# withifs LINE...: the interface addresses, then the lines
withifs() { { [ -z "$ifs" ] || printf '%s\n' "$ifs"; printf '%s\n' "$@"; }; }
out=$("$bin/ipmeprint" -c "$d/c" 2> "$d/err"); rc=$?
is "$rc" 0 "ipmeprint exits 0"
is "$out" "$(withifs 198.51.100.7)" "ipmeprint: interface addresses, then moreipme's single addresses; no networks, no notipme"
is "$(cat "$d/err")" "" "ipmeprint without -v warns of nothing (-v warns of a tie here)"
printf '203.0.113.7\n198.51.100.1\n203.0.113.9\n' > "$d/c/moreipme.bare"
mkdir "$d/bare" && cp "$d/c/moreipme.bare" "$d/bare/moreipme" && printf '203.0.113.9\n127.0.0.1\n' > "$d/bare/notipme"
if [ $netns = 1 ]; then
  is "$("$bin/ipmeprint" -c "$d/bare" 2>/dev/null)" "198.51.100.1
203.0.113.7" "ipmeprint: an address twice is printed once; notipme's /32 takes it out"
else
  skip "the interface addresses are not known"
fi
out=$("$bin/ipmeprint" -c "$d/nosuchdir" 2> "$d/err"); rc=$?
is "$rc:$out" "0:$ifs" "ipmeprint -c with a directory that does not exist (a fresh install): the interface addresses, exit 0"
is "$(cat "$d/err")" "ipmeprint: warning: $d/nosuchdir: no such directory: nothing read from it" "... and a warning that names it"

# ipmeprint -v: the lists in order, each entry with its source
out=$("$bin/ipmeprint" -v -c "$d/c" 2> "$d/err"); rc=$?
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
is "$(cat "$d/err")" "ipmeprint: warning: $d/c/moreipme:4 198.51.100.64/26 is cancelled by $d/c/notipme:4 198.51.100.64/26: notipme wins a tie" "ipmeprint -v warns of an entry that a tie cancels"

# warnings, with -v only: duplicates, host bits, an interface address, a notipme that cannot cover a /32
mkdir "$d/w"
printf '203.0.113.9\n203.0.113.9/32\n192.0.2.77/24\n127.0.0.0/8\n' > "$d/w/moreipme"
printf '198.51.100.0/24\n198.51.100.0/255.255.255.0\n' > "$d/w/notipme"
"$bin/ipmeprint" -c "$d/w" > "$d/out" 2> "$d/err"; rc=$?
is "$rc:$(cat "$d/out"):$(cat "$d/err")" "0:$(withifs 203.0.113.9):" "ipmeprint: 203.0.113.9 and 203.0.113.9/32 printed once, and no warning without -v"
"$bin/ipmeprint" -v -c "$d/w" > "$d/out" 2> "$d/err"; rc=$?
is "$rc:$(tail -n 6 "$d/out")" "0:203.0.113.9        $d/w/moreipme:1
203.0.113.9        $d/w/moreipme:2
192.0.2.77/24      $d/w/moreipme:3
127.0.0.0/8        $d/w/moreipme:4
198.51.100.0/24    $d/w/notipme:1
198.51.100.0/24    $d/w/notipme:2" "ipmeprint -v lists every entry as the core read it, and exits 0, despite warnings"
w=$(cat "$d/err")
like "$w" "^ipmeprint: warning: $d/w/moreipme:2 203\.0\.113\.9 repeats $d/w/moreipme:1 203\.0\.113\.9$" "ipmeprint -v warns of a repeated moreipme entry"
like "$w" "^ipmeprint: warning: $d/w/notipme:2 198\.51\.100\.0/24 repeats $d/w/notipme:1 198\.51\.100\.0/24$" "ipmeprint -v warns of a repeated notipme entry"
like "$w" "^ipmeprint: warning: $d/w/moreipme:3 192\.0\.2\.77/24 has host bits set; it means 192\.0\.2\.0/24$" "ipmeprint -v warns of host bits under the mask"
like "$w" "^ipmeprint: warning: $d/w/moreipme:4 127\.0\.0\.0/8 repeats builtin 127\.0\.0\.0/8$" "ipmeprint -v warns of a moreipme entry that repeats a builtin"
if [ $netns = 1 ]; then
  like "$w" "^ipmeprint: warning: $d/w/notipme:1 198\.51\.100\.0/24 does not cover v0 198\.51\.100\.1, which is longer and stays me$" "ipmeprint -v warns of a notipme network around an interface address"
  printf '127.0.0.0/255.0.0.0\n' > "$d/w/notipme"
  printf '198.51.100.1\n' > "$d/w/moreipme"
  w=$("$bin/ipmeprint" -v -c "$d/w" 2>&1 >/dev/null)
  is "$w" "ipmeprint: warning: $d/w/moreipme:1 198.51.100.1 is already an address of interface v0
ipmeprint: warning: $d/w/notipme:1 127.0.0.0/8 does not cover lo 127.0.0.1, which is longer and stays me" "ipmeprint -v warns of the classic notipme 127/8 and of a moreipme interface address"
  is "$("$bin/ipmeprint" -c "$d/w" 2>&1 >/dev/null)" "" "ipmeprint without -v says nothing of a moreipme interface address (sagredo's installs write them)"
  is "$("$bin/ipmetest" -c "$d/w" 127.0.0.1 127.0.0.2)" "127.0.0.1: me (ipme 127.0.0.1, lo)
127.0.0.2: not me (notipme 127.0.0.0/8, $d/w/notipme:1)" "notipme 127/8 ties the builtin 127/8 but not lo's 127.0.0.1"
fi

for args in "-c $d/bad extra" "-x" "-c" "-v -v -c $d/bad x" "-c ''"; do
  eval "\"\$bin/ipmeprint\" $args" > "$d/out" 2> "$d/err"
  is "$?:$(cat "$d/err")" "100:ipmeprint: usage: ipmeprint [ -v ] [ -c controldir ]" "ipmeprint $args: exits 100, bad usage"
done
is "$("$bin/ipmeprint" -c "$d/c" -- 2>/dev/null | tail -n 1)" "198.51.100.7" "ipmeprint: -- ends the options"
for v in "" -v; do
  printf '1.2.3.4 x # a comment after junk\n' > "$d/bad/moreipme"
  "$bin/ipmeprint" $v -c "$d/bad" > "$d/out" 2> "$d/err"
  is "$?:$(cat "$d/out")" "111:" "ipmeprint $v exits 111 and prints no list for a malformed file"
  like "$(cat "$d/err")" "^$(re "ipmeprint: fatal: $d/bad/moreipme line 1: WHY: 1.2.3.4 x # a comment after junk")\$" "ipmeprint $v names file, line and reason, then the line"
done
printf '# x\n\t192.0.2.1/\001\177%s \r\n' "$(printf '%0100d' 7)" > "$d/bad/moreipme"
"$bin/ipmeprint" -c "$d/bad" > "$d/out" 2> "$d/err"
like "$?:$(cat "$d/err")" "^111:$(re "ipmeprint: fatal: $d/bad/moreipme line 2: WHY: 192.0.2.1/??$(printf '%068d' 0)...")\$" "ipmeprint shows a bad line stripped, printable, cut at 80 bytes"
rm "$d/bad/moreipme"

# files that moreipme 0.6 read: comments after entries, zero padding, a BOM, IPv6
mkdir "$d/old"
printf '\357\273\277# saved by a Windows editor\r\n192.0.2.5 # mail host\r\n192.0.2.0/255.255.255.0\t# office\r\n010.0.0.1\n203.0.113.05\n2001:db8::/32\n  2001:DB8::1 # v6\n' > "$d/old/moreipme"
printf '192.0.2.0/255.255.255.000\n2001:db8::5\n' > "$d/old/notipme"
out=$("$bin/ipmetest" -c "$d/old" 192.0.2.5 10.0.0.1 203.0.113.5 192.0.2.9 2001:db8::5 2>&1)
is "$out" "192.0.2.5: me (ipme 192.0.2.5, $d/old/moreipme:2)
10.0.0.1: me (ipme 10.0.0.1, $d/old/moreipme:4)
203.0.113.5: me (ipme 203.0.113.5, $d/old/moreipme:5)
192.0.2.9: not me (notipme 192.0.2.0/24, $d/old/notipme:1)
2001:db8::5: not me (IPv6: this qmail delivers over IPv4 only)" "a 0.6-era file loads: comments after entries, a BOM, zero padding (decimal), IPv6 lines"
"$bin/ipmeprint" -v -c "$d/old" > "$d/out" 2> "$d/err"
is "$(tail -n 3 "$d/out")" "2001:db8::/32      $d/old/moreipme:6 (IPv6: not used by this qmail)
2001:DB8::1        $d/old/moreipme:7 (IPv6: not used by this qmail)
2001:db8::5        $d/old/notipme:2 (IPv6: not used by this qmail)" "ipmeprint -v lists the IPv6 lines last, as written, saying this qmail does not use them"
like "$(cat "$d/err")" "^ipmeprint: warning: $d/old/moreipme:4 10\\.0\\.0\\.1 has a number with a leading zero, read as decimal \\(not octal\\)\$" "ipmeprint -v warns that a zero-padded number is read as decimal"
like "$(cat "$d/err")" "^ipmeprint: warning: $d/old/moreipme:5 203\\.0\\.113\\.5 has a number with a leading zero" "... in the last octet too"
like "$(cat "$d/err")" "^ipmeprint: warning: $d/old/notipme:1 192\\.0\\.2\\.0/24 has a number with a leading zero" "... in a mask too"
if grep -q 'moreipme:2 .*leading zero' "$d/err"; then notok "no zero warning for 192.0.2.5 # mail host"; else ok "no zero warning for 192.0.2.5 # mail host"; fi
"$bin/ipmeprint" -c "$d/old" > "$d/out" 2> "$d/err"
if grep -q : "$d/out"; then notok "ipmeprint's default output has no IPv6 line"; else ok "ipmeprint's default output has no IPv6 line"; fi
is "$(cat "$d/err")" "" "ipmeprint without -v says nothing of leading zeros"

# moreipme networks from /8 to /15 load, with a warning from -v; shorter ones are refused
printf '10.0.0.0/8\n172.16.0.0/12\n192.168.0.0/16\n' > "$d/old/moreipme"
: > "$d/old/notipme"
w=$("$bin/ipmeprint" -v -c "$d/old" 2>&1 >/dev/null)
like "$w" "^ipmeprint: warning: $d/old/moreipme:1 10\\.0\\.0\\.0/8 is a network of more than 65536 addresses" "ipmeprint -v warns of a moreipme /8"
like "$w" "moreipme:2 172\\.16\\.0\\.0/12 is a network of more than 65536" "ipmeprint -v warns of a moreipme /12"
if printf '%s\n' "$w" | grep -q 'moreipme:3'; then notok "no warning for a /16"; else ok "no warning for a /16"; fi
printf '192.0.2.5\n203.0.113.5/2\n' > "$d/old/moreipme"
e 111 "ipmetest: fatal: $d/old/moreipme line 2: WHY: 203.0.113.5/2" -c "$d/old" 192.0.2.5
done_testing

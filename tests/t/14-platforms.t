#!/bin/sh
# Platforms: moreipme.c (ipme.o), the tools (ipmeprint and ipmetest from
# the sources the top Makefile's tests/bin rules compile), the unit tests
# (tests/unit/check_ipme.c, with tests/cross/check.h for Check) and the
# record-walk tests (tests/cross/records.c) built for three more targets
# with tests/qlib, static:
#   musl   musl-gcc, x86_64, run natively
#   armhf  arm-linux-gnueabihf-gcc, 32-bit ARM, run under qemu-arm
#   s390x  s390x-linux-gnu-gcc, 64-bit big-endian, run under qemu-s390x
# and the output and exit codes of ipmeprint, ipmeprint -v and ipmetest
# compared byte for byte with the native x86_64 glibc build on the same
# control files. In a private network namespace with known interfaces
# when root can make one (else the interface part is skipped, and the
# host's interfaces are what all of them see). A missing compiler, C
# library or emulator skips that target, naming the Debian package.
. "$(dirname "$0")/../lib.sh"
PATH=/usr/sbin:/sbin:$PATH
LC_ALL=C
export LC_ALL
maybe_netns "$@"
start=$(date +%s)
d=$(mktemp -d /tmp/moreipme-platforms.XXXXXX)
trap 'rm -rf "$d"' EXIT
c=$d/c
mkdir "$c"

# the interfaces, as tests/t/30-ifaces.t makes them: veth, else ifb
netns=0
mkif() {
  ip link add "$1" type veth peer name "$1p" 2>/dev/null && { ip link set "$1p" up; return 0; }
  ip link add "$1" type ifb 2>/dev/null
}
if [ "${1:-}" = --in-netns ] && ip link set lo up && mkif t0 && mkif t1 && mkif t2; then
  netns=1
  for i in 1 2 3 4 5; do ip addr add "198.51.100.$i/24" dev t0; done
  ip addr add 198.51.100.9/24 dev t0 label t0:nine
  ip -6 addr add 2001:db8::1/64 dev t0 nodad 2>/dev/null
  ip link set t0 up
  ip addr add 203.0.113.1/24 dev t1 # t1 stays down
  i=0 # more records than a first guess of the buffer holds, on every record size
  while [ $i -lt 300 ]; do echo "addr add 10.9.$((i / 250)).$((i % 250 + 1))/32 dev t2"; i=$((i + 1)); done > "$d/batch"
  ip -batch "$d/batch" && ip link set t2 up || netns=0
fi
if [ $netns = 1 ]; then
  ok "a network namespace: lo; t0 with five unlabelled addresses, a labelled one and 2001:db8::1; t1 down; t2 with 300 addresses"
else
  echo "SKIP: $(basename "$0"): not root or no unshare -n: the interface part is skipped (every build sees the host's interfaces)" >&2
  skip "interfaces: not root or no unshare -n, so no known interfaces; the comparisons see the host's"
fi

# ---- the targets ----

# the tools' sources (less .c), as the top Makefile's tests/bin rules compile them
toolsrcs() {
  make -s -n -B -o tests/qlib/qlib.a -C "$T_TOP" "tests/bin/$1" 2>/dev/null |
    sed -n "s|.* -o tests/bin/$1 ||p" | tr ' ' '\n' | sed -n 's/\.c$//p' | tr '\n' ' '
}
printsrcs=$(toolsrcs ipmeprint)
testsrcs=$(toolsrcs ipmetest)
case " $printsrcs " in *" moreipme "*) ;; *) printsrcs= ;; esac
case " $testsrcs " in *" moreipme "*) ;; *) testsrcs= ;; esac
if [ -z "$printsrcs" ] || [ -z "$testsrcs" ]; then
  notok "the top Makefile's tests/bin/ipmeprint and tests/bin/ipmetest rules name the tools' sources, moreipme.c among them"
  diag "ipmeprint: $printsrcs"; diag "ipmetest: $testsrcs"; done_testing; exit 1
fi
srcs=$(echo $printsrcs $testsrcs | tr ' ' '\n' | sort -u | tr '\n' ' ')
objs() { for f in $1; do printf '%s ' "$b/$f.o"; done; }

cflags="-O2 -Wall -Wextra"
# settarget T: cc, ar, ranlib, emu (the emulator, if any), static, pkgs, elf (class data machine), elfname
settarget() {
  emu= static=-static ar=ar ranlib=ranlib
  case $1 in
    glibc) cc=cc static= pkgs="build-essential" elf="2 1 3e" elfname="ELF64, little-endian, x86-64" ;;
    musl) cc=musl-gcc pkgs="musl-tools" elf="2 1 3e" elfname="ELF64, little-endian, x86-64" ;;
    armhf) cc=arm-linux-gnueabihf-gcc pkgs="gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user" elf="1 1 28"
      elfname="ELF32, little-endian, ARM" emu=$(command -v qemu-arm || command -v qemu-arm-static) ;;
    s390x) cc=s390x-linux-gnu-gcc pkgs="gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user" elf="2 2 16"
      elfname="ELF64, big-endian, S/390" emu=$(command -v qemu-s390x || command -v qemu-s390x-static) ;;
  esac
  case $cc in *-linux-*) ar=${cc%gcc}ar ranlib=${cc%gcc}ranlib ;; esac
}

# missing T: what T lacks here, or nothing
missing() {
  settarget "$1"
  command -v "$cc" >/dev/null 2>&1 || { echo "no $cc (Debian: apt-get install $(echo "$pkgs" | cut -d' ' -f1))"; return; }
  case $1 in armhf|s390x)
    [ -n "$emu" ] || { echo "no qemu-${1%hf} (Debian: apt-get install qemu-user)"; return; } ;;
  esac
  printf 'int main(void) { return 0; }\n' > "$d/try$1.c"
  $cc $static -o "$d/try$1" "$d/try$1.c" >/dev/null 2>&1 || {
    case $1 in
      musl) echo "$cc cannot link a static program (Debian: apt-get install musl-tools musl-dev)" ;;
      glibc) echo "$cc cannot link a program (Debian: apt-get install build-essential)" ;;
      *) echo "$cc cannot link a static program (Debian: apt-get install $(echo "$pkgs" | cut -d' ' -f2))" ;;
    esac; return; }
  $emu "$d/try$1" >/dev/null 2>&1 || echo "$d/try$1 does not run${emu:+ under $emu}"
}

# build T: into $d/T; our files' warnings in warn, the test files' in warntest
build() {
  settarget "$1"
  b=$d/$1
  mkdir -p "$b/qlib"
  cp "$T_TOP"/tests/qlib/Makefile "$T_TOP"/tests/qlib/*.c "$T_TOP"/tests/qlib/*.h "$b/qlib"
  rm -f "$b/qlib/hassalen.h"
  make -s -C "$b/qlib" CC="$cc" CFLAGS="$cflags" AR="$ar" RANLIB="$ranlib" || return 1
  for f in $srcs; do
    $cc $cflags -I"$T_TOP" -I"$b/qlib" -c "$T_TOP/$f.c" -o "$b/$f.o" 2>> "$b/warn" || { tail -20 "$b/warn"; return 1; }
  done
  $cc $static -o "$b/ipmeprint" $(objs "$printsrcs") "$b/qlib/qlib.a" || return 1
  $cc $static -o "$b/ipmetest" $(objs "$testsrcs") "$b/qlib/qlib.a" || return 1
  # relative names, so that __FILE__ and so the TAP lines are the same everywhere
  (cd "$T_TOP/tests/unit" && $cc $cflags -I../cross -I../.. -I"$b/qlib" -c check_ipme.c -o "$b/check_ipme.o") 2>> "$b/warntest" || return 1
  $cc $static -o "$b/check_ipme" "$b/check_ipme.o" "$b/moreipme.o" "$b/qlib/qlib.a" || return 1
  (cd "$T_TOP/tests/cross" &&
    $cc $cflags $static -I. -I../.. -I"$b/qlib" -o "$b/records" records.c "$b/qlib/qlib.a" &&
    $cc $cflags $static -DSALEN -I. -I../.. -I"$b/qlib" -o "$b/records-salen" records.c "$b/qlib/qlib.a" &&
    $cc $cflags $static -I. -o "$b/selftest" selftest.c) 2>> "$b/warntest" || return 1
  if [ "$1" = glibc ] && pkg-config --exists check 2>/dev/null; then # the real Check, to compare with
    (cd "$T_TOP/tests/unit" && $cc $cflags -I../.. -I"$b/qlib" $(pkg-config --cflags check) -o "$b/check_ipme.real" \
      check_ipme.c "$b/moreipme.o" "$b/qlib/qlib.a" $(pkg-config --libs check)) || return 1
  fi
  if [ "$1" = glibc ]; then # the walk under UBSan: a record read in place, off alignment, stops it
    (cd "$T_TOP/tests/cross" && for v in "" -DSALEN; do
      $cc $cflags $v -fsanitize=undefined -fno-sanitize-recover=all -I. -I../.. -I"$b/qlib" \
        -o "$b/records-ubsan$v" records.c "$b/qlib/qlib.a" || exit 1; done) 2>> "$b/warntest" || return 1
  fi
}

# elfis FILE: "class data machine" of an ELF file (1 32-bit, 2 64-bit; 1 little-, 2 big-endian; e_machine in hex)
elfis() {
  set -- $(od -An -tx1 -j4 -N2 "$1") $(od -An -tx1 -j18 -N2 "$1")
  if [ "$2" = 02 ]; then echo "${1#0} ${2#0} $4"; else echo "${1#0} ${2#0} $3"; fi
}

targets=
for t in glibc musl armhf s390x; do
  why=$(missing $t)
  if [ -n "$why" ]; then
    echo "SKIP: $(basename "$0"): $t: $why" >&2
    skip "$t: $why"
    [ $t = glibc ] && { diag "no native build to compare with"; done_testing; exit; }
    continue
  fi
  targets="$targets $t"
done
for t in $targets; do (build $t > "$d/$t.log" 2>&1; echo $? > "$d/$t.rc") & done
wait
built=
for t in $targets; do
  settarget $t
  if [ "$(cat "$d/$t.rc")" = 0 ]; then
    built="$built $t"
    ok "$t: builds with $($cc -dumpfullversion 2>/dev/null || $cc -dumpversion) ($cc${static:+ $static}): ipmeprint, ipmetest, check_ipme, records"
  else
    notok "$t: builds with $cc"; diag "$(tail -20 "$d/$t.log")"
  fi
done
for t in $built; do
  settarget $t
  is "$(cat "$d/$t/warn")" "" "$t: $(echo $srcs | sed 's/ /.c, /g').c compile with $cflags, no warnings"
  is "$(cat "$d/$t/warntest")" "" "$t: check_ipme.c, records.c and selftest.c with tests/cross/check.h compile with no warnings"
  got=$(elfis "$d/$t/ipmeprint")
  interp=$(readelf -l "$d/$t/ipmeprint" 2>/dev/null | grep -c 'Requesting program interpreter')
  case $t in glibc) want="$elf 1" ;; *) want="$elf 0" ;; esac
  is "$got $interp" "$want" "$t: ipmeprint is $elfname, $(case $t in glibc) echo dynamic ;; *) echo static ;; esac)"
done

# ---- the control files ----

mk() { mkdir "$c/$1"; }
mk masks
printf '203.0.113.0/24\n198.51.100.64/255.255.255.192\n10.0.0.0/255.0.0.0\n192.0.2.77/255.255.255.254\n172.16.0.0/12\n192.0.2.0/255.255.255.128\n' > "$c/masks/moreipme"
printf '10.1.0.0/16\n10.9.0.0/255.255.255.0\n' > "$c/masks/notipme"
mk longest
printf '192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n203.0.113.0/28\n203.0.113.0/30\n' > "$c/longest/moreipme"
printf '192.0.2.0/25\n192.0.2.96/27\n0.0.0.0/0\n192.0.2.240/28\n203.0.113.0/29\n' > "$c/longest/notipme"
mk ties
printf '192.0.2.0/24\n198.51.100.9\n203.0.113.0/255.255.255.0\n127.0.0.0/8\n10.9.0.5\n' > "$c/ties/moreipme"
printf '192.0.2.0/255.255.255.0\n198.51.100.9/32\n203.0.113.0/24\n127.0.0.0/8\n198.51.100.1\n10.9.0.5\n' > "$c/ties/notipme"
mk comments
printf '\357\273\277# saved by an editor\n\n  # indented\n\t203.0.113.5 # the router\n192.0.2.0/24\t# office\n#192.0.2.99\n   \n010.0.0.1\n203.0.113.05/32 #\n' > "$c/comments/moreipme"
printf '# nothing but comments\n#\n\t# 198.51.100.1\n' > "$c/comments/notipme"
mk crlf
printf '203.0.113.7\r\n203.0.113.128/25\r\n\r\n# c\r\n198.51.100.64/26 \r\n' > "$c/crlf/moreipme"
printf '203.0.113.200\r\n198.51.100.70/31\r\n198.51.100.80' > "$c/crlf/notipme"
mk warnings
printf '203.0.113.9\n203.0.113.9/32\n192.0.2.77/24\n127.0.0.0/8\n198.51.100.1\n172.16.0.0/12\n198.51.100.64/26\n' > "$c/warnings/moreipme"
printf '198.51.100.0/24\n198.51.100.0/255.255.255.0\n198.51.100.64/26\n10.9.0.0/16\n' > "$c/warnings/notipme"
mk ipv6
printf '2001:db8::/32\n::ffff:192.0.2.1\n192.0.2.1\nfe80::/10\n2001:DB8:0:0:1::/80 # upper case\n' > "$c/ipv6/moreipme"
printf '2001:db8::5\n2001:db8::1\n::1\n' > "$c/ipv6/notipme"
mk big # 5000 lines, across the reader's 4096-byte chunks, with CRLF, comments and indents
awk 'BEGIN { for (i = 0; i < 5000; ++i) {
  if (i % 97 == 0) printf "# block %d\n", i
  printf "%s10.%d.%d.%d%s%s\n", (i % 7) ? "" : "  ", i / 65536, int(i / 256) % 256, i % 256, (i % 10) ? "" : "/31", (i % 3) ? "" : "\r" } }' > "$c/big/moreipme"
awk 'BEGIN { for (i = 0; i < 300; ++i) printf "10.0.%d.%d/32\n", i % 20, i % 250 }' > "$c/big/notipme"
mk octet; printf '# public\n203.0.113.5\n192.0.2.300\n' > "$c/octet/moreipme"
mk noncontig; printf '198.51.100.0/24\n\n198.51.100.0/255.0.255.0\n' > "$c/noncontig/notipme"
mk masklen; printf '# x\r\n203.0.113.0/33\r\n' > "$c/masklen/moreipme"
mk junk; printf '192.0.2.5 mail host\n' > "$c/junk/moreipme"
mk short; printf '192.0.2.5\n0.0.0.0/0\n' > "$c/short/moreipme"
mk toolong; { printf '192.0.2.1\n192.0.2.2'; awk 'BEGIN { for (i = 0; i < 2000; ++i) printf "x"; printf "\n" }'; } > "$c/toolong/moreipme"
mk nul; printf '192.0.2.1\n192.0.2.2\000\n' > "$c/nul/notipme"
mk port; printf '192.0.2.1:25\n' > "$c/port/moreipme"
mk v6bad; printf '192.0.2.1\n2001:db8::/129\n' > "$c/v6bad/notipme"
mk isdir; mkdir "$c/isdir/moreipme"
mk dangling; ln -s /nonexistent/moreipme "$c/dangling/moreipme"
mk empty

q4="0.0.0.0 127.0.0.1 127.5.5.5 10.0.0.1 10.0.3.43 10.1.2.3 10.9.0.1 10.9.0.5 10.9.1.50 10.19.136.0 10.19.136.1 10.200.3.4
172.16.0.1 172.31.255.255 172.32.0.0 192.0.2.1 192.0.2.5 192.0.2.30 192.0.2.70 192.0.2.76 192.0.2.77 192.0.2.78 192.0.2.100
192.0.2.127 192.0.2.128 192.0.2.200 192.0.2.243 198.51.100.1 198.51.100.2 198.51.100.9 198.51.100.64 198.51.100.70
198.51.100.71 198.51.100.80 198.51.100.127 198.51.100.128 203.0.113.1 203.0.113.3 203.0.113.5 203.0.113.7 203.0.113.127
203.0.113.200 203.0.113.255 255.255.255.255"
q6="::1 :: 2001:db8::1 2001:db8::5 2001:db8::6 2001:db8:0:0:1::9 fe80::1 ::ffff:192.0.2.1 192.0.2.1"

# the cases: NAME DIR [IPv6]; each runs ipmeprint, ipmeprint -v, ipmetest (and with IPv6 questions)
cases="masks longest ties comments crlf warnings ipv6:6 big octet noncontig masklen junk short toolong nul port v6bad
isdir dangling empty nosuchdir notadir"
dirof() { case $1 in nosuchdir) echo "$c/nosuch" ;; notadir) echo "$c/masks/moreipme" ;; *) echo "$c/$1" ;; esac; }

# run T WHAT ARGS...: one command of target T, framed, onto stdout
run() {
  settarget "$1"; rt=$1 p=$2; shift 2
  echo "\$ $p $*"
  timeout 120 $emu "$d/$rt/$p" "$@" > "$d/$rt.1" 2> "$d/$rt.2"
  rc=$?
  cat "$d/$rt.1"; echo "[stderr]"; cat "$d/$rt.2"; echo "[exit $rc]"
}

# transcript T CASE: every command of a case
transcript() {
  t=$1 name=${2%:6} dir=$(dirof "${2%:6}")
  run $t ipmeprint -c "$dir"
  run $t ipmeprint -v -c "$dir"
  run $t ipmetest -c "$dir" $q4
  case $2 in *:6) run $t ipmetest -c "$dir" $q6 ;; esac
  return 0
}
usage() {
  t=$1 dir=$c/masks
  run $t ipmeprint -x
  run $t ipmeprint -c
  run $t ipmeprint -c "$dir" extra
  run $t ipmeprint -c "$dir" -- 
  run $t ipmeprint
  run $t ipmetest
  run $t ipmetest -c "$dir"
  run $t ipmetest -c "$dir" 1.2.3
  run $t ipmetest -c "$dir" 203.0.113.5 1.2.3.256
  run $t ipmetest -c "$dir" 10.0.0.0/8
  run $t ipmetest -c "$dir" 2001:db8::1::2
  run $t ipmetest -c "$dir" 192.0.2.1:25
  run $t ipmetest -c "$dir" -- 203.0.113.5
  run $t ipmetest
}

case " $built " in *" glibc "*) ;; *) notok "the native glibc build, to compare with"; done_testing; exit 1 ;; esac

# the native answers, checked for themselves: the exit codes and the errors
for k in $cases; do transcript glibc $k > "$d/glibc.${k%:6}"; done
usage glibc > "$d/glibc.usage"
exits() { grep '^\[exit ' "$1" | tr -d '[]' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'; }
is "$(for k in $cases; do printf '%s:%s\n' "${k%:6}" "$(exits "$d/glibc.${k%:6}")"; done)" "masks:0 0 0
longest:0 0 0
ties:0 0 0
comments:0 0 0
crlf:0 0 0
warnings:0 0 0
ipv6:0 0 0 0
big:0 0 0
octet:111 111 111
noncontig:111 111 111
masklen:111 111 111
junk:111 111 111
short:111 111 111
toolong:111 111 111
nul:111 111 111
port:111 111 111
v6bad:0 0 0
isdir:111 111 111
dangling:111 111 111
empty:0 0 0
nosuchdir:0 0 0
notadir:111 111 111" "glibc: the exit codes of ipmeprint, ipmeprint -v and ipmetest, case by case (an IPv6 line is ignored, whatever its prefix; no control directory is nothing configured)"
is "$(exits "$d/glibc.usage")" "100 100 100 0 111 100 100 100 100 100 0 100 0 100" "glibc: the exit codes of bad usage, bad questions (an IPv6 question is answered), -- and no control directory"
errs=$(for k in octet noncontig masklen junk short nul port isdir dangling nosuchdir notadir; do
  sed -n '/^\$ ipmetest/,/^\[exit/p' "$d/glibc.$k" | sed -n '/^\[stderr\]$/{n;p;}'; done)
is "$errs" "ipmetest: fatal: $c/octet/moreipme line 3: octet over 255: 192.0.2.300
ipmetest: fatal: $c/noncontig/notipme line 3: bad mask: 198.51.100.0/255.0.255.0
ipmetest: fatal: $c/masklen/moreipme line 2: bad mask: 203.0.113.0/33
ipmetest: fatal: $c/junk/moreipme line 1: junk after entry: 192.0.2.5 mail host
ipmetest: fatal: $c/short/moreipme line 2: network shorter than /8 (most of the Internet would be me): 0.0.0.0/0
ipmetest: fatal: $c/nul/notipme line 2: not an address: 192.0.2.2?
ipmetest: fatal: $c/port/moreipme line 1: a port is not part of an entry: 192.0.2.1:25
ipmetest: fatal: unable to read $c/isdir/moreipme: is a directory
ipmetest: fatal: unable to read $c/dangling/moreipme: symbolic link to a file that does not exist
ipmetest: warning: $c/nosuch: no such directory: nothing read from it
ipmetest: fatal: unable to read $c/masks/moreipme: not a directory" "glibc: the errors name file, line and reason"
like "$(cat "$d/glibc.toolong")" "^ipmeprint: fatal: $c/toolong/moreipme line 2: line too long: 192\\.0\\.2\\.2x{71}\\.\\.\\.\$" "glibc: a line too long is named by its line"
like "$(cat "$d/glibc.ties")" "^198\\.51\\.100\\.1: not me \\(notipme 198\\.51\\.100\\.1, $c/ties/notipme:5\\)\$" "glibc: ties: notipme wins over moreipme, builtin and interface entries alike"
like "$(cat "$d/glibc.ipv6")" "^192\\.0\\.2\\.1: me \\(ipme 192\\.0\\.2\\.1, $c/ipv6/moreipme:3\\)\$" "glibc: the IPv4 line among IPv6 lines is read, with its line number"
like "$(cat "$d/glibc.longest")" "^192\\.0\\.2\\.70: me \\(ipme 192\\.0\\.2\\.64/26, $c/longest/moreipme:2\\)\$" "glibc: longest match: a /26 inside a notipme /25"
if [ $netns = 1 ]; then
  like "$(cat "$d/glibc.masks")" "^10\\.9\\.0\\.1 +t2\$" "glibc: ipmeprint -v lists the interface addresses (t2's 300)"
  is "$(grep -c ' t2$' "$d/glibc.masks")" 300 "glibc: ... all 300 of them"
  like "$(cat "$d/glibc.ipv6")" "^2001:db8::1: not me \\(IPv6" "glibc: ipmetest: an IPv6 address, even an interface's (t0's 2001:db8::1), is not me: IPv4 only"
else
  skip "interfaces: not root or no unshare -n"
fi

# ---- each target against glibc ----

for t in $built; do
  [ $t = glibc ] && continue
  same= differ=
  for k in $cases usage; do
    n=${k%:6}
    if [ $n = usage ]; then usage $t > "$d/$t.$n"; else transcript $t $k > "$d/$t.$n"; fi
    if cmp -s "$d/glibc.$n" "$d/$t.$n"; then same="$same $n"
    else differ="$differ $n"; diag "$t: $n differs from glibc:"; diag "$(diff "$d/glibc.$n" "$d/$t.$n" | head -20)"; fi
  done
  ncmd=$(for k in $cases usage; do cat "$d/$t.${k%:6}"; done | grep -c '^\$ ')
  if [ -z "$differ" ]; then ok "$t: ipmeprint, ipmeprint -v and ipmetest answer as glibc's, byte for byte, exit codes too ($ncmd commands, $(echo $same | wc -w) cases)"
  else notok "$t: ipmeprint, ipmeprint -v and ipmetest differ from glibc's on:$differ"; fi
done

# ---- the unit tests and the record walk, on every target ----

unit() {
  settarget "$1"
  mkdir -p "$d/$1.run" && cd "$d/$1.run" || return 1
  CK_TAP_LOG_FILE_NAME=- CK_TIMEOUT_MULTIPLIER=10 timeout 240 $emu "$d/$1/check_ipme" 2> /dev/null
}
unit glibc > "$d/unit.glibc"; rc=$?
sum=$(tail -n 1 "$d/unit.glibc")
like "$rc:$sum" '^0:100%: Checks: [0-9]+, Failures: 0, Errors: 0$' "glibc: the unit tests with tests/cross/check.h: $sum"
if [ -x "$d/glibc/check_ipme.real" ]; then
  (cd "$d/glibc.run" && CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent "$d/glibc/check_ipme.real" 2>/dev/null) > "$d/unit.real"
  if cmp -s "$d/unit.real" "$d/unit.glibc"; then ok "glibc: tests/cross/check.h runs them as Check does: the same TAP lines and summary"
  else notok "glibc: tests/cross/check.h and Check give the same TAP lines"; diag "$(diff "$d/unit.real" "$d/unit.glibc" | head -20)"; fi
else
  echo "SKIP: $(basename "$0"): no Check (Debian: apt-get install check pkg-config): check.h is not compared with it" >&2
  skip "no Check (Debian: apt-get install check pkg-config) to compare tests/cross/check.h with"
fi
cd "$T_TOP" || exit 111
for t in $built; do
  [ $t = glibc ] && continue
  unit $t > "$d/unit.$t"; rc=$?
  cd "$T_TOP" || exit 111
  if [ $rc = 0 ] && cmp -s "$d/unit.glibc" "$d/unit.$t"; then ok "$t: the unit tests pass, TAP lines as glibc's: $(tail -n 1 "$d/unit.$t")"
  else notok "$t: the unit tests (exit $rc): $(tail -n 1 "$d/unit.$t")"; diag "$(grep -v '^ok ' "$d/unit.$t" | head -20)"; fi
done

selfwant="selftest.c:29:F:fail: Assertion 'x + 1 == 4' failed: x + 1 == 3, 4 == 4
selftest.c:36:F:fail: Assertion '5u < _i' failed: 5u == 5, _i == 3
selftest.c:36:F:fail: Assertion '5u < _i' failed: 5u == 5, _i == 4
selftest.c:42:F:fail: Assertion '\"192.0.2.1\" == \"192.0.2.2\"' failed: \"192.0.2.1\" == \"192.0.2.1\", \"192.0.2.2\" == \"192.0.2.2\"
selftest.c:48:F:fail: case 1: refused
selftest.c:54:F:fail: Assertion 'side == 99' failed
selftest.c:-1:E:fail: Received signal 11 (Segmentation fault)
selftest.c:-1:E:fail: Early exit with return value 3
selftest.c:-1:E:fail: Test timeout expired
25%: Checks: 12, Failures: 6, Errors: 3
1"
for t in $built; do
  settarget $t
  out=$(CK_DEFAULT_TIMEOUT=2 timeout 60 $emu "$d/$t/selftest" 2>/dev/null; echo $?)
  is "$out" "$selfwant" "$t: tests/cross/check.h reports each kind of failure (assertions, a signal, an exit, a timeout) and exits 1"
  for r in records records-salen; do
    out=$(CK_TIMEOUT_MULTIPLIER=10 timeout 120 $emu "$d/$t/$r" 2>&1); rc=$?
    like "$rc:$out" '^0:records \([a-z_]+, struct ifreq [0-9]+ bytes\): 100%: Checks: 16, Failures: 0, Errors: 0$' "$t: the SIOCGIFCONF walk on hand-made records, 0 to 7 bytes off alignment: $out"
  done
done
for v in "" -DSALEN; do
  out=$(timeout 60 "$d/glibc/records-ubsan$v" 2>&1); rc=$?
  like "$rc:$out" '^0:records .*100%: Checks: 16, Failures: 0, Errors: 0$' "glibc: ... under UBSan${v:+ ($v)}: no record is read in place"
  [ $rc = 0 ] || diag "$out"
done
diag "14-platforms.t took $(($(date +%s) - start)) s"
done_testing

#!/bin/sh
# Tree suite, issue 9: a mistake in moreipme or notipme must never stop,
# or bounce, a site's mail. On each tree, from a tools/try build:
#   patch      patch -R gives back the pristine tree exactly; a second
#              patch -p1, without a terminal, is refused and changes no file
#   smtpd      with a typo in moreipme (then notipme) qmail-smtpd greets and
#              takes mail; only MAIL or RCPT with a [a.b.c.d] that needs the
#              lists gets 451, a fixed text that names no file and shows
#              none of its content, for that command only, and standard
#              error has file, line and reason (not the line's text), once
#              a process; fixed, it is rewritten, in a new session and in
#              the same one (a failed read is not remembered). With no
#              interface list (SIOCGIFCONF failing) it greets 220, no
#              longer 421
#   mode 711   a control directory that cannot be listed: qmail-remote
#              delivers, qmail-smtpd greets and rewrites, as their own
#              users (qmailr, qmaild) if they exist, else as nobody
#   readers    moreipme a dangling symlink, or a symlink to /dev/zero, and
#              networks shorter than /8: qmail-remote defers (Z), never D
# qmail-remote delivers to tests/bin/smtpsink at 198.51.100.9, the far end
# of a veth pair in a second namespace of our own: an address that is not
# me however the lists are read. Needs UPSTREAM=DIR, root, unshare -n,
# nsenter, setpriv, setsid, prlimit and a C compiler; skips visibly otherwise.
. "$(dirname "$0")/../lib.sh"
need_upstream
for p in nsenter setpriv setsid prlimit; do command -v $p >/dev/null 2>&1 || skip_all "no $p (util-linux)"; done
in_netns "$@"
PATH=/usr/sbin:/sbin:$PATH

scratch=$(mktemp -d /tmp/moreipme-outage.XXXXXX)
chmod 755 "$scratch" # other users must reach the qmail home inside it
sinkpid= nspid=
cleanup() {
  [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null
  [ -n "$nspid" ] && kill "$nspid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 111' HUP INT TERM
make -s -C "$T_TOP" tests/bin/smtpsink >/dev/null || { notok "build smtpsink"; done_testing; exit 1; }
${CC:-cc} -shared -fPIC -o "$scratch/failioctl.so" "$T_TOP/tests/fault/failioctl.c" -ldl ||
  { notok "build tests/fault/failioctl.c"; done_testing; exit 1; }

# here: lo and v0 198.51.100.1; the far namespace: v1 198.51.100.9
far=198.51.100.9
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip link set v0 up
unshare -n sleep 3600 & nspid=$!
n=0
until [ "$(readlink /proc/$nspid/ns/net)" != "$(readlink /proc/$$/ns/net)" ] || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
if ! { ip link set v1 netns "$nspid" && nsenter -t "$nspid" -n sh -c \
  "ip link set lo up && ip addr add $far/24 dev v1 && ip link set v1 up"; }; then
  notok "the far namespace with $far"; done_testing; exit 1
fi

log=$scratch/sink.log
startsink() {
  : > "$log"
  nsenter -t "$nspid" -n "$T_TOP/tests/bin/smtpsink" $far 25 1 30 "$log" & sinkpid=$!
  n=0; until grep -q listening "$log" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
}
# stopsink: the sink's log, connections and messages, on one line
stopsink() {
  kill "$sinkpid" 2>/dev/null; wait "$sinkpid" 2>/dev/null; sinkpid=
  grep -E '^(connect|message)' "$log" | sed 's/ [0-9.]*$//' | tr '\n' ' ' | sed 's/ $//'
}

printf 'From: a@example.org\nSubject: moreipme outage test\n\nhello\n' > "$scratch/msg"
# remote [WRAPPER...]: qmail-remote's report for u@[198.51.100.9], one a line
remote() {
  timeout 30 "$@" "$prefix/bin/qmail-remote" "[$far]" a@example.org "u@[$far]" < "$scratch/msg" |
    tr '\0\n' '\n ' | sed 's/ *$//'
}
oneline() { printf '%s' "$1" | tr '\n' ' '; }
# smtpd INPUT [WRAPPER...]: qmail-smtpd's answers to INPUT (printf format);
# its standard error in $scratch/smtpd.err
smtpd() {
  in=$1; shift
  printf "$in" | TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout 10 "$@" "$prefix/bin/qmail-smtpd" 2> "$scratch/smtpd.err" | tr -d '\r'
}
fixed='451 temporary local configuration problem (#4.3.0)'
why='ipme: unable to tell which addresses are mine: '

# asuser NAME: sets $as to run as the account NAME if it exists, else as
# nobody, and $asname to the name
asuser() {
  asname=$1; id "$asname" >/dev/null 2>&1 || asname=nobody
  if id "$asname" >/dev/null 2>&1; then as="setpriv --reuid=$(id -u "$asname") --regid=$(id -g "$asname") --clear-groups --"
  else as="setpriv --reuid=65534 --regid=65534 --clear-groups --"; fi
}

# patch -R and a second patch -p1, each run as a user would, without a terminal
checkpatch() {
  name=$1 tree=$2 patchfile=$3
  p=$scratch/p q=$scratch/q
  rm -rf "$p" "$q" && mkdir "$p" && cp -R "$tree/." "$p"
  out=$(cd "$p" && patch -s -p1 -F0 < "$patchfile" 2>&1) || { notok "$name: the patch applies"; diag "$out"; return; }
  cp -R "$p" "$q"
  out=$(cd "$p" && timeout 60 setsid -w patch -p1 < "$patchfile" 2>&1); rc=$?
  is "$rc" 1 "$name: a second patch -p1 is refused, exit 1"
  like "$out" '^Reversed \(or previously applied\) patch detected!' "$name: ... saying it was applied before"
  is "$(diff -r "$q" "$p" | grep -v '^Only in [^ ]*: [^ ]*\.rej$')" "" "$name: ... and changes no file"
  is "$(cd "$p" && find . -name '*.rej' | sed 's|^\./||; s|\.rej$||' | sort | tr '\n' ' ')" \
    "$(sed -n 's|^--- a/||p' "$patchfile" | sort | tr '\n' ' ')" \
    "$name: ... leaving a .rej beside each upstream file it edits, and none for a new file"
  out=$(cd "$q" && timeout 60 setsid -w patch -R -p1 < "$patchfile" 2>&1); rc=$?
  is "$rc" 0 "$name: patch -R -p1 takes the patch out"
  is "$(diff -r "$tree" "$q")" "" "$name: ... leaving the pristine tree exactly (no empty files behind)"
  rm -rf "$p" "$q"
}

# the typo in FILE (moreipme or notipme), line 2
checksmtpd() {
  name=$1 file=$2
  c=$prefix/control
  printf '# public\n203.0.113.5\n' > "$c/moreipme"
  rm -f "$c/notipme"
  printf '# typo\n203.0.113.300\n' > "$c/$file"
  queued=$(find "$prefix/queue/mess" -type f | wc -l)
  out=$(smtpd 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<u@example.org>\r\nRCPT TO:<box@[203.0.113.5]>\r\nDATA\r\nSubject: t\r\n\r\nhello\r\n.\r\nMAIL FROM:<a@[203.0.113.5]>\r\nQUIT\r\n')
  err=$(cat "$scratch/smtpd.err")
  like "$out" '^220 mail\.example\.org ESMTP$' "$name: typo in $file: qmail-smtpd greets 220"
  is "$(printf '%s\n' "$out" | sed -n 3,4p | tr '\n' ' ')" "250 ok 250 ok " "$name: typo in $file: ... MAIL and an ordinary RCPT get 250"
  is "$(printf '%s\n' "$out" | sed -n 5p)" "$fixed" "$name: typo in $file: ... RCPT box@[203.0.113.5] gets exactly the fixed 451"
  like "$(printf '%s\n' "$out" | sed -n 7p)" '^250 ok [0-9]+ qp [0-9]+$' "$name: typo in $file: ... DATA for the ordinary RCPT is accepted"
  is "$(find "$prefix/queue/mess" -type f | wc -l)" $((queued + 1)) "$name: typo in $file: ... and queued"
  is "$(printf '%s\n' "$out" | sed -n 8p)" "$fixed" "$name: typo in $file: ... MAIL from box@[203.0.113.5] gets the same 451"
  like "$(printf '%s\n' "$out" | sed -n 9p)" '^221 ' "$name: typo in $file: ... and QUIT gets 221"
  case $out in
    *control/*|*203.0.113.300*|*typo*|*"octet over"*) notok "$name: typo in $file: ... no reply names the file or shows its content"; diag "$out" ;;
    *) ok "$name: typo in $file: ... no reply names the file or shows its content" ;;
  esac
  is "$err" "${why}control/$file line 2: octet over 255" "$name: typo in $file: ... standard error has file, line and reason, not the line, once for two 451s"
  if [ "$file" = moreipme ]; then printf '# fixed\n203.0.113.5\n' > "$c/moreipme"
  else printf '# fixed\n198.51.100.128/25\n' > "$c/notipme"; fi
  out=$(smtpd 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[203.0.113.5]>\r\nRCPT TO:<box@[203.0.113.6]>\r\nQUIT\r\n')
  is "$(printf '%s\n' "$out" | sed -n 4,5p | tr '\n' ' ')" \
    "250 ok 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1) " \
    "$name: $file fixed: box@[203.0.113.5] is rewritten to localiphost and accepted, box@[203.0.113.6] is not"
  is "$(cat "$scratch/smtpd.err")" "" "$name: $file fixed: ... and standard error is empty"

  # fixed in the middle of a session: the next literal is read afresh
  printf '# typo\n203.0.113.300\n' > "$c/$file"
  out=$(midsession 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[203.0.113.5]>\r\nRCPT TO:<u@example.org>\r\n' 5 \
    "fix $file" 'RCPT TO:<box@[203.0.113.5]>\r\nQUIT\r\n')
  is "$(printf '%s\n' "$out" | sed -n 4,6p | tr '\n' ' ')" "$fixed 250 ok 250 ok " \
    "$name: $file fixed during a session: box@[203.0.113.5] 451, an ordinary RCPT 250, then, fixed, box@[203.0.113.5] 250"
  like "$(printf '%s\n' "$out" | sed -n 7p)" '^221 ' "$name: $file fixed during a session: ... and QUIT 221"
  is "$(cat "$scratch/smtpd.err")" "${why}control/$file line 2: octet over 255" "$name: $file fixed during a session: ... standard error has the one reason"
  rm -f "$c/notipme"
}

# fix FILE: the typo of checksmtpd fixed, by a rename as the README says
fix() {
  if [ "$1" = moreipme ]; then printf '# fixed\n203.0.113.5\n' > "$c/moreipme.new"
  else printf '# fixed\n198.51.100.128/25\n' > "$c/notipme.new"; fi
  mv "$c/$1.new" "$c/$1"
}

# midsession FIRST N COMMAND REST: qmail-smtpd is sent FIRST (printf format);
# once it has answered with N lines, COMMAND runs; then it is sent REST.
# Its answers, CRs removed; its standard error in $scratch/smtpd.err
midsession() {
  rm -f "$scratch/mid.out"
  { printf "$1"
    n=0; until [ -f "$scratch/mid.out" ] && [ "$(wc -l < "$scratch/mid.out")" -ge "$2" ] || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
    $3
    printf "$4"; } | TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 timeout 30 "$prefix/bin/qmail-smtpd" > "$scratch/mid.out" 2> "$scratch/smtpd.err"
  tr -d '\r' < "$scratch/mid.out"
}

# no interface list (SIOCGIFCONF fails): stock answered 421 at connect;
# now only a literal needs the list, and gets the fixed 451
checknoifaces() {
  name=$1
  out=$(smtpd 'HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<u@example.org>\r\nRCPT TO:<box@[127.0.0.1]>\r\nQUIT\r\n' \
    env FAILIOCTL=EIO LD_PRELOAD="$scratch/failioctl.so")
  like "$(printf '%s\n' "$out" | head -n 1)" '^220 ' "$name: no interface list: qmail-smtpd greets 220, no 421 at connect"
  is "$(printf '%s\n' "$out" | sed -n 2,4p | tr '\n' ' ')" "250 mail.example.org 250 ok 250 ok " "$name: no interface list: ... HELO, MAIL and an ordinary RCPT get 250"
  is "$(printf '%s\n' "$out" | sed -n 5p)" "$fixed" "$name: no interface list: ... box@[127.0.0.1] gets the fixed 451"
  like "$(printf '%s\n' "$out" | sed -n 6p)" '^221 ' "$name: no interface list: ... and QUIT gets 221"
  is "$(cat "$scratch/smtpd.err")" "${why}unable to list the network interfaces: input/output error" "$name: no interface list: ... standard error says why"
}

# control mode 711: nobody can list it, and the files are readable
check711() {
  name=$1 files=$2
  c=$prefix/control
  rm -f "$c/moreipme" "$c/notipme"
  if [ "$files" = with ]; then
    printf '203.0.113.5\n' > "$c/moreipme"; printf '198.51.100.128/25\n' > "$c/notipme"; chmod 644 "$c/moreipme" "$c/notipme"
    box=203.0.113.5
  else box=127.0.0.1; fi
  chmod 711 "$c"
  startsink
  asuser qmailr
  out=$(remote $as)
  like "$out" '^K.*accepted message' "$name: control mode 711, $files moreipme and notipme: qmail-remote as $asname delivers: $(oneline "$out")"
  is "$(stopsink)" "connect message" "$name: control mode 711, $files moreipme and notipme: ... the sink has the message"
  asuser qmaild
  out=$(smtpd "HELO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<box@[$box]>\r\nQUIT\r\n" $as)
  like "$(printf '%s\n' "$out" | head -n 1)" '^220 ' "$name: control mode 711, $files moreipme and notipme: qmail-smtpd as $asname greets 220"
  is "$(printf '%s\n' "$out" | sed -n 4p)" "250 ok" "$name: control mode 711, $files moreipme and notipme: ... and rewrites box@[$box]"
  is "$(cat "$scratch/smtpd.err")" "" "$name: control mode 711, $files moreipme and notipme: ... with nothing on standard error"
  chmod 755 "$c"
  rm -f "$c/moreipme" "$c/notipme"
}

# what qmail-remote says for a moreipme that cannot be read as it stands
checkreaders() {
  name=$1
  c=$prefix/control
  rm -f "$c/moreipme" "$c/notipme"
  ln -s "$scratch/no-such-file" "$c/moreipme"
  startsink
  out=$(remote)
  like "$out" '^Z.*control/moreipme.*\(#4\.3\.0\)$' "$name: moreipme a dangling symlink: qmail-remote defers, naming the file: $(oneline "$out")"
  is "$(stopsink)" "" "$name: moreipme a dangling symlink: ... without connecting (it is no empty list)"
  rm "$c/moreipme"

  ln -s /dev/zero "$c/moreipme"
  t0=$(date +%s)
  out=$(remote prlimit --as=$((256 * 1024 * 1024)) --)
  t=$(( $(date +%s) - t0 ))
  like "$out" '^Zcontrol/moreipme line 1: line too long.*\(#4\.3\.0\)$' "$name: moreipme a symlink to /dev/zero: qmail-remote defers, line too long: $(oneline "$out")"
  [ $t -le 10 ] && ok "$name: moreipme a symlink to /dev/zero: ... within seconds (${t}s)" ||
    notok "$name: moreipme a symlink to /dev/zero: ... within seconds (${t}s; 30s is the limit)"
  rm "$c/moreipme"

  for net in 0.0.0.0/0 203.0.113.5/2; do
    printf '# too wide\n%s\n' "$net" > "$c/moreipme"
    startsink
    out=$(remote)
    like "$out" '^Zcontrol/moreipme line 2: [^:]*/8.*\(#4\.3\.0\)$' "$name: moreipme $net: qmail-remote defers, shorter than /8: $(oneline "$out")"
    is "$(stopsink)" "" "$name: moreipme $net: ... without connecting"
  done
  rm "$c/moreipme"
}

checktree() {
  name=$1 tree=$2
  patchfile=$T_TOP/$("$T_TOP/tools/treename" -p "$tree") || { notok "$name: tools/treename knows it"; return; }
  checkpatch "$name" "$tree" "$patchfile"
  prefix=$scratch/$name.prefix
  if ! "$T_TOP/tools/try" "$tree" "$prefix" "$scratch/$name.work" > "$scratch/try.out" 2>&1; then
    notok "$name: tools/try"; diag "$(tail -20 "$scratch/try.out")"; return
  fi
  echo mail.example.org > "$prefix/control/me"
  printf 'example.org\nmail.example.org\n' > "$prefix/control/rcpthosts"
  checksmtpd "$name" moreipme
  checksmtpd "$name" notipme
  checknoifaces "$name"
  check711 "$name" without
  check711 "$name" with
  checkreaders "$name"
  rm -rf "$prefix" "$scratch/$name.work"
}

for t in qmail-1.03 netqmail-1.05 netqmail-1.06 notqmail-1.09; do
  if [ -d "$UPSTREAM/$t" ]; then checktree "$t" "$UPSTREAM/$t"
  else echo "SKIP: $t: no $UPSTREAM/$t" >&2; T_N=$((T_N + 1)); echo "ok $T_N # SKIP no $t in UPSTREAM"; fi
done
done_testing

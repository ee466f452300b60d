#!/usr/bin/perl
# Malformed control files through tests/bin/ipmetest -c DIR (built by
# make check): each line of tests/fuzz/bad-lines.txt, placed after a few
# good lines in moreipme or notipme, must give exactly the reason listed
# there, the right line number and the stripped line as the tools show it
# (80 bytes at most, ? for bytes outside 32..126), exit 111, answer
# nothing and never crash or hang. Lines written as IPv6 load, unused.
# Then the big files, made here: lines of megabytes, a million lines, a
# megabyte of binary garbage.
# Perl, not sh, because the lines hold NUL bytes.
use strict;
use warnings;
use File::Temp qw(tempdir);
use FindBin;
use Test::More;

my $top = "$FindBin::Bin/../..";
my $ipmetest = "$top/tests/bin/ipmetest";
BAIL_OUT("$ipmetest is not built: run make check") unless -x $ipmetest;
my $d = tempdir('/tmp/moreipme-badinput.XXXXXX', CLEANUP => 1);
mkdir "$d/c" or die "mkdir: $!";

sub unescape {
  my $s = shift;
  my %c = (t => "\t", r => "\r", v => "\013", f => "\f", 0 => "\0", '\\' => '\\');
  $s =~ s/\\(x([0-9a-fA-F]{2})|[trvf0\\])/defined $2 ? chr(hex $2) : $c{$1}/ge;
  return $s;
}

# what the tools show of a line: stripped of blanks at both ends, 80 bytes
sub shown {
  my $s = shift;
  $s =~ s/^[ \t\r]+//;
  $s =~ s/[ \t\r]+$//;
  my $t = substr($s, 0, 80);
  $t =~ s/[^\x20-\x7e]/?/g;
  return length($s) > 80 ? "$t..." : $t;
}

sub put {
  my ($fn, @parts) = @_;
  open(my $f, '>', $fn) or die "$fn: $!";
  binmode $f;
  print $f @parts or die "$fn: $!";
  close $f or die "$fn: $!";
}

# run ipmetest -c $d/c ADDRESS..., at most 60 seconds; (exit, stdout, stderr)
sub ipmetest {
  system("timeout 60 '$ipmetest' -c '$d/c' @_ > '$d/out' 2> '$d/err'");
  my $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8;
  local $/;
  open(my $o, '<', "$d/out") or die; my $out = <$o>;
  open(my $e, '<', "$d/err") or die; my $err = <$e>;
  return ($rc, $out, $err);
}

# fails FILE LINE REASON TEXT NAME: ipmetest refuses $d/c/FILE at LINE
sub fails {
  my ($file, $line, $why, $text, $name) = @_;
  my ($rc, $out, $err) = ipmetest('192.0.2.77');
  my $want = "ipmetest: fatal: $d/c/$file line $line: $why: $text\n";
  ok($rc == 111 && $out eq '' && $err eq $want, $name) or
    diag("exit $rc, stdout " . length($out) . " bytes, stderr:\n$err" . "want exit 111 and:\n$want");
}

my @preamble = ("# the office block\n", "\n", "203.0.113.5\n", "  198.51.100.0/24\t\r\n");
my @reasons;
open(my $bl, '<', "$top/tests/fuzz/bad-lines.txt") or die "bad-lines.txt: $!";
my $i = 0;
while (<$bl>) {
  chomp;
  next if /^#/ || !/\t/;
  my ($why, $raw) = split /\t/, $_, 2;
  my $line = unescape($raw);
  $line = " \t$line" if $i % 3 == 1; # blanks around the line are not part of it
  $line .= "\r" if $i % 3 == 2;
  my $file = $i % 2 ? 'notipme' : 'moreipme';
  my $other = $i % 2 ? 'moreipme' : 'notipme';
  my $pre = $i % 5;
  unlink "$d/c/moreipme", "$d/c/notipme";
  put("$d/c/$other", "192.0.2.8\n") if $i % 4 < 2;
  put("$d/c/$file", @preamble[0 .. $pre - 1], $line, "\n192.0.2.9\nnot an address either\n");
  fails($file, $pre + 1, $why, shown($line), "$file line " . ($pre + 1) . ": $why: $raw");
  push @reasons, $why;
  ++$i;
}
my %distinct = map { $_ => 1 } @reasons;
cmp_ok($i, '>=', 50, "bad-lines.txt has at least 50 lines ($i), " . scalar(keys %distinct) . " reasons");
unlink "$d/c/moreipme", "$d/c/notipme";

# a line written as IPv6 (hex digits, two colons or more, perhaps a dotted
# tail and /N) loads and is not used, however odd, so that no daemon stops
# on it; ipmetest answers for IPv4 as if it were not there
my ($rc, $out, $err);
for my $v6 ('2001:db8::1', '2001:db8::/32', '2001:db8::1::2', '12345::1', '1:2:3:4:5:6:7:8:9',
    '::ffff:192.0.2.256', '2001:db8::/129', '::', 'FE80::1 # link-local') {
  put("$d/c/moreipme", "192.0.2.1\n $v6\r\n192.0.2.0/24\n");
  ($rc, $out, $err) = ipmetest('192.0.2.9');
  is("$rc:$out$err", "0:192.0.2.9: me (ipme 192.0.2.0/24, $d/c/moreipme:3)\n", "an IPv6 line loads, unused: $v6");
}
unlink "$d/c/moreipme";

# a last line without a newline is a line
put("$d/c/moreipme", "192.0.2.1\n192.0.2.1/33");
fails('moreipme', 2, 'bad mask', '192.0.2.1/33', 'a bad last line without a newline');

# lines of megabytes
my $mb = 8 * 1024 * 1024;
put("$d/c/moreipme", "# long\n", '1' x $mb, "\n");
fails('moreipme', 2, 'line too long', ('1' x 80) . '...', 'a line of 8 MB of digits');
put("$d/c/moreipme", "192.0.2.1", ' ' x $mb, "x\n");
fails('moreipme', 1, 'line too long', '192.0.2.1' . (' ' x 71) . '...', 'an entry, 8 MB of spaces, then junk');
put("$d/c/moreipme", "192.0.2.1", ' ' x 1015, "\rx\n");
fails('moreipme', 1, 'line too long', '192.0.2.1' . (' ' x 71) . '...', 'an entry, 1015 spaces, a CR and more: too long, and shown cut');
put("$d/c/moreipme", "192.0.2.1", ' ' x 1016, "\n");
fails('moreipme', 1, 'line too long', '192.0.2.1' . (' ' x 71) . '...', 'trailing blanks count: an entry and 1016 spaces is too long');
put("$d/c/moreipme", ' ' x 3000, "192.0.2.1", ' ' x 1015, "\r\n192.0.2.1/255.255.0.255\n");
fails('moreipme', 2, 'bad mask', '192.0.2.1/255.255.0.255', 'leading blanks do not count: 3000 blanks, an entry, 1015 spaces and a CR load');
put("$d/c/moreipme", "203.0.113.5\n", ' ' x 1024, "\n", "\t" x 5000, "\n192.0.2.1/255.255.0.255\n");
fails('moreipme', 4, 'bad mask', '192.0.2.1/255.255.0.255', 'blank lines of 1024 and 5000 bytes are empty lines, not too long');
put("$d/c/moreipme", "192.0.2.1 #", 'x' x 2000, "\n192.0.2.1/255.255.0.255\n");
fails('moreipme', 1, 'line too long', '192.0.2.1 #' . ('x' x 69) . '...', 'an entry and a comment over 1024 bytes: too long (only a comment line may be longer)');
# the \r of a CRLF file is not part of the 1024 bytes; a line of 1024
# bytes loads with LF and with CRLF ends, at the end of a 4 KB chunk too
sub pad { my $n = shift; return $n ? '#' . ('p' x ($n - 2)) . "\n" : ''; }
my $full = '192.0.2.64/26 #' . ('c' x (1024 - 15));
for my $eol ("\n", "\r\n") {
  my $name = $eol eq "\n" ? 'LF' : 'CRLF';
  for my $pad (0, 4096 - 1024 - length($eol) + 1, 4096 - 1024) {
    put("$d/c/moreipme", pad($pad), $full, $eol);
    my $at = $pad ? 2 : 1;
    ($rc, $out, $err) = ipmetest('192.0.2.70');
    is("$rc:$out$err", "0:192.0.2.70: me (ipme 192.0.2.64/26, $d/c/moreipme:$at)\n", "an entry line of 1024 bytes with $name ends loads (line starting at $pad)");
    put("$d/c/moreipme", pad($pad), $full, 'c', $eol);
    fails('moreipme', $at, 'line too long', shown($full), "one of 1025 bytes with $name ends is too long (line starting at $pad)");
  }
  put("$d/c/moreipme", $full, $eol eq "\n" ? '' : "\r");
  ($rc, $out, $err) = ipmetest('192.0.2.70');
  is("$rc:$out$err", "0:192.0.2.70: me (ipme 192.0.2.64/26, $d/c/moreipme:1)\n", "a last line of 1024 bytes without a newline (and with a lone \\r: $name) loads");
}
put("$d/c/moreipme", '#', 'x' x $mb, "\n", "192.0.2.64/26\r\n");
($rc, $out, $err) = ipmetest('192.0.2.70');
is("$rc:$out$err", "0:192.0.2.70: me (ipme 192.0.2.64/26, $d/c/moreipme:2)\n", 'a comment of 8 MB, then an entry');
put("$d/c/moreipme", "192.0.2.1\0", 'x' x $mb, "\n");
fails('moreipme', 1, 'line too long', '192.0.2.1?' . ('x' x 70) . '...', 'a NUL byte, then 8 MB');

# /dev/zero and a dangling link: errors, not an endless read or an empty list
unlink "$d/c/moreipme", "$d/c/notipme";
symlink('/dev/zero', "$d/c/moreipme") or die "symlink: $!";
fails('moreipme', 1, 'line too long', ('?' x 80) . '...', 'moreipme linked to /dev/zero');
unlink "$d/c/moreipme";
symlink("$d/nosuchfile", "$d/c/notipme") or die "symlink: $!";
($rc, $out, $err) = ipmetest('192.0.2.77');
is("$rc:$out$err", "111:ipmetest: fatal: unable to read $d/c/notipme: symbolic link to a file that does not exist\n", 'a dangling notipme link');
unlink "$d/c/notipme";

# moreipme networks shorter than /8 would bounce mail for most of the Internet
for my $net ('0.0.0.0/0', '203.0.113.5/2', '128.0.0.0/1', '10.0.0.0/7', '10.0.0.0/254.0.0.0') {
  put("$d/c/moreipme", "# x\n$net\n");
  fails('moreipme', 2, 'network shorter than /8 (most of the Internet would be me)', $net, "moreipme $net is refused");
}
unlink "$d/c/moreipme";
put("$d/c/notipme", "0.0.0.0/0\n");
($rc, $out, $err) = ipmetest('192.0.2.77');
like("$rc:$out$err", qr/^0:192\.0\.2\.77: not me \(notipme 0\.0\.0\.0\/0, /, 'notipme 0.0.0.0/0 is fine');
unlink "$d/c/moreipme", "$d/c/notipme";

# a million lines
my $n = 1000000;
open(my $f, '>', "$d/c/moreipme") or die;
for my $k (0 .. $n - 2) { printf $f "10.%d.%d.%d\n", $k >> 16, ($k >> 8) & 255, $k & 255; }
print $f "192.0.2.0/25\n";
close $f or die;
($rc, $out, $err) = ipmetest('192.0.2.100', '10.15.66.62', '10.15.66.64');
is("$rc:$out$err", "0:192.0.2.100: me (ipme 192.0.2.0/25, $d/c/moreipme:$n)\n"
  . "10.15.66.62: me (ipme 10.15.66.62, $d/c/moreipme:999999)\n"
  . "10.15.66.64: not me (no entry matches)\n", 'a million entries: loaded, the last line and the one before it found');
open($f, '>>', "$d/c/moreipme") or die;
print $f "10.0.0.256\n";
close $f or die;
fails('moreipme', $n + 1, 'octet over 255', '10.0.0.256', 'a million good lines, then a bad one');
open($f, '>', "$d/c/notipme") or die;
print $f "#\n" x $n, "\n" x $n, "192.0.2.1/\n";
close $f or die;
unlink "$d/c/moreipme";
fails('notipme', 2 * $n + 1, 'bad mask', '192.0.2.1/', 'two million comments and empty lines, then a bad line');
unlink "$d/c/notipme";

# a megabyte of binary garbage, the same each time
srand(5);
my $garbage = join('', map { chr(int(rand(256))) } 1 .. 1024 * 1024);
put("$d/c/moreipme", $garbage);
my ($first) = grep { !/^[ \t\r]*(#|$)/ } split(/\n/, $garbage);
my $at = 1;
for (split(/\n/, $garbage, -1)) { last if $_ eq $first; ++$at; }
($rc, $out, $err) = ipmetest('192.0.2.77');
like("$rc:$out$err", qr/^111:ipmetest: fatal: \Q$d\E\/c\/moreipme line $at: (not an address|octet over 255|bad mask|junk after entry|line too long|a port is not part of an entry|bad IPv6 address): \Q@{[shown($first)]}\E\n\z/,
  "a megabyte of binary garbage: refused at its first line with an entry, $at");
done_testing();

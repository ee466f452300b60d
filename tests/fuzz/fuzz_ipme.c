/*
 * libFuzzer target for moreipme.c: ipme_scan, ipme_readfile, ipme_loadfiles,
 * ipme_longest, ipme_check and ipme_is. Test tool, not part of the
 * patch; built against tests/qlib by bench/Makefile.inc (make -f
 * bench/Makefile check-fuzz).
 *
 * The input is a moreipme file, optionally followed by a line "%%" and
 * a notipme file. Each is written to a memfd, which DIR/control/moreipme
 * and DIR/control/notipme (symbolic links made once) name. Checked
 * against a reference written here from the documentation (the design
 * notes: the file grammar, longest match, notipme's tie), not from
 * moreipme.c:
 *   - ipme_scan of each line, in a buffer of the line's own size: 1 for
 *     an entry (the same address and length), 0 for nothing (empty, a
 *     comment, a line written as IPv6), -1 for a bad line, with a
 *     reason of the right kind (the length of a line is the reader's
 *     business: ipme_scan may or may not refuse a long one);
 *   - ipme_readfile returns 1 exactly when every line is good, and then
 *     the entries are the reference's, in order, with their lines; on
 *     -1, ipme_error() is "FILE line N: REASON" for the first bad line
 *     N and ipme_line holds that line from its first non-blank byte,
 *     or the first IPME_LINEMAX + 1 bytes of that;
 *   - ipme_loadfiles of the two files agrees: 1, the built-ins then the
 *     entries; or the first file's error;
 *   - after a load, ipme_check (and ipme_is) on addresses taken from the
 *     entries and the input agree with a brute-force longest match over
 *     the interfaces (/32), the built-ins, moreipme and notipme, where
 *     notipme wins a tie; ipme_longest finds the first longest entry;
 *   - after a failed load, ipme_is answers 0 and ipme_check -1, even for
 *     127.0.0.1.
 * A failed invariant prints what it saw and aborts, so libFuzzer keeps
 * the input.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moreipme.h"

#define LONG "line too long"
#define JUNK "junk after entry"
#define PORT "a port is not part of an entry"
#define SHORT "network shorter than /8 (most of the Internet would be me)"

/* the reasons of each kind of bad line */
static const char *colonwhy[] = { "bad IPv6 address", 0 } ;
static const char *addrwhy[] = {
  "not an address", "octet over 255", "empty octet", "too few octets", "too many octets", "missing address", 0
} ;
static const char *maskwhy[] = {
  "bad mask", "missing mask", "mask length over 32", "mask not contiguous",
  "not an address", "octet over 255", "empty octet", "too few octets", "too many octets", 0
} ;
static const char *longwhy[] = { LONG, 0 } ;
static const char *junkwhy[] = { JUNK, 0 } ;
static const char *portwhy[] = { PORT, 0 } ;
static const char *shortwhy[] = { SHORT, 0 } ;

#define MAXREF 16384 /* more entries: no lookups */
#define MAXSCAN 256 /* lines given to ipme_scan alone */

static int blank(uint8_t c) { return c == ' ' || c == '\t' || c == '\r'; }
static int digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int hex(uint8_t c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

struct ref {
  uint32_t addr;
  unsigned int bits;
  unsigned long line;
} ;

struct file {
  const uint8_t *s;
  size_t len;
  int flagmore;
  char fn[300];
  int fd;
  struct ref e[MAXREF];
  unsigned int n;
  unsigned long lines; /* how many lines the file has */
  unsigned long bad; /* first bad line, 0 if none */
  const uint8_t *badraw; /* that line as read (after a BOM on line 1) */
  size_t badrawlen;
  const char **badwhy; /* the reasons it may be given */
} ;

static struct file more;
static struct file not;
static char dir[64]; /* DIR/control/ */
static int cwd = -1;

static void cleanup(void);

static void die(const char *what,const struct file *f)
{
  fprintf(stderr,"fuzz_ipme: invariant broken: %s\n",what);
  if (f) fprintf(stderr,"fuzz_ipme: file %s, %lu lines, first bad line %lu, ipme_error() \"%s\"\n",
    f->fn,f->lines,f->bad,ipme_error());
  cleanup();
  abort();
}

/* digits, leading zeros allowed (decimal, as 0.6): the value, capped at 1000 */
static size_t refnum(const uint8_t *s,size_t len,unsigned int *v)
{
  size_t i = 0;

  *v = 0;
  while (i < len && digit(s[i])) { *v = 10 * *v + (s[i++] - '0'); if (*v > 1000) *v = 1000; }
  return i;
}

/* four decimal numbers 0..255 joined by dots */
static int refquad(const uint8_t *s,size_t len,uint32_t *u)
{
  size_t i = 0;
  size_t n;
  unsigned int v;
  int k;

  *u = 0;
  for (k = 0;k < 4;++k) {
    if (k) { if (i >= len || s[i] != '.') return 0; ++i; }
    n = refnum(s + i,len - i,&v);
    if (!n || v > 255) return 0;
    i += n;
    *u = (*u << 8) | v;
  }
  return i == len;
}

static int refmask(const uint8_t *s,size_t len,unsigned int *bits)
{
  uint32_t m;
  uint32_t inv;

  if (memchr(s,'.',len)) {
    if (!refquad(s,len,&m)) return 0;
    inv = ~m;
    if (inv & (inv + 1)) return 0; /* ones, then zeros: inv is 0...01...1 */
    *bits = 32 - (unsigned int) __builtin_popcount(inv);
    return 1;
  }
  if (!len || refnum(s,len,bits) != len) return 0;
  return *bits <= 32;
}

/* written as IPv6: hex digits, two colons or more, perhaps a dotted tail (no dot before a colon), perhaps /N */
static int refipv6(const uint8_t *s,size_t len)
{
  const uint8_t *slash = memchr(s,'/',len);
  size_t alen = slash ? (size_t) (slash - s) : len;
  size_t i;
  unsigned int colons = 0;
  unsigned int v;
  int dot = 0;

  for (i = 0;i < alen;++i) {
    if (s[i] == ':') { if (dot) return 0; ++colons; }
    else if (s[i] == '.') dot = 1;
    else if (!hex(s[i])) return 0;
  }
  if (colons < 2) return 0;
  if (!slash) return 1;
  len -= alen + 1;
  return len && refnum(slash + 1,len,&v) == len;
}

/*
One line, raw (after a BOM on line 1): -1 bad (*why its reasons),
0 nothing, 1 an entry. flagmore: moreipme's /8 rule; flaglong: the
reader's rule on long lines.
*/
static int refline(const uint8_t *raw,size_t rawlen,int flagmore,int flaglong,struct ref *r,const char ***why)
{
  const uint8_t *s = raw;
  const uint8_t *slash;
  size_t len = rawlen;
  size_t w;
  size_t j;

  while (len && blank(s[len - 1])) --len;
  while (len && blank(*s)) { ++s; --len; }
  if (!len || s[0] == '#') return 0;
  /* 1024 bytes a line after its leading blanks, and the \r of a CRLF line besides */
  if (flaglong && rawlen - (size_t) (s - raw) > IPME_LINEMAX + (raw[rawlen - 1] == '\r')) { *why = longwhy; return -1; }
  for (w = 0;w < len && !blank(s[w]);++w) ;
  for (j = w;j < len && blank(s[j]);++j) ;
  if (j < len && s[j] != '#') { *why = junkwhy; return -1; }
  if (refipv6(s,w)) return 0;
  if (memchr(s,':',w)) {
    const uint8_t *colon = memchr(s,':',w);
    *why = memchr(s,'.',(size_t) (colon - s)) ? portwhy : colonwhy;
    return -1;
  }
  slash = memchr(s,'/',w);
  *why = addrwhy;
  if (!refquad(s,slash ? (size_t) (slash - s) : w,&r->addr)) return -1;
  r->bits = 32;
  *why = maskwhy;
  if (slash && !refmask(slash + 1,w - (size_t) (slash - s) - 1,&r->bits)) return -1;
  *why = shortwhy;
  if (flagmore && r->bits < 8) return -1;
  return 1;
}

static uint32_t num(const struct ip_address *ip)
{
  return ((uint32_t) ip->d[0] << 24) | ((uint32_t) ip->d[1] << 16) | ((uint32_t) ip->d[2] << 8) | ip->d[3];
}

static int isreason(const char *s,size_t len,const char **why)
{
  int k;

  for (k = 0;why[k];++k)
    if (strlen(why[k]) == len && !memcmp(s,why[k],len)) return 1;
  return 0;
}

/*
ipme_scan alone, on a copy of the line its own size: as the reference
without the reader's length rule; a line too long may also be refused
as such
*/
static void scanline(const uint8_t *raw,size_t len,int flagmore,struct file *f)
{
  struct ipme_net n;
  struct ref e;
  const char **why = 0;
  char *copy;
  char *reason = 0;
  int r;
  int x;

  r = refline(raw,len,flagmore,0,&e,&why);
  copy = malloc(len ? len : 1);
  if (!copy) abort();
  memcpy(copy,raw,len);
  x = ipme_scan(&n,copy,(unsigned int) len,&reason);
  free(copy);
  if (x == -1 && reason && !strcmp(reason,LONG) && refline(raw,len,flagmore,1,&e,&why) == -1 && why == longwhy) return;
  if (r == -1 && why == shortwhy) { /* ipme_scan has no /8 rule */
    if (x != 1 || num(&n.ip) != e.addr || n.bits != e.bits) die("ipme_scan: a short network is not its entry",f);
    return;
  }
  if (x != r) {
    fprintf(stderr,"fuzz_ipme: ipme_scan returned %d, the reference %d, on line %lu\n",x,r,f->lines);
    die("ipme_scan disagrees with the reference",f);
  }
  if (x == 1 && (num(&n.ip) != e.addr || n.bits != e.bits)) die("ipme_scan: another entry",f);
  if (x == -1 && (!reason || !isreason(reason,strlen(reason),why))) {
    fprintf(stderr,"fuzz_ipme: ipme_scan's reason \"%s\"\n",reason ? reason : "(none)");
    die("ipme_scan gives the wrong kind of reason",f);
  }
}

static void refread(struct file *f)
{
  const uint8_t *s = f->s;
  const uint8_t *end = f->s + f->len;
  const uint8_t *nl;
  const uint8_t *raw;
  const char **why;
  size_t len;
  size_t rawlen;
  struct ref r;
  int x;

  f->n = 0; f->lines = 0; f->bad = 0;
  while (s < end) {
    nl = memchr(s,'\n',(size_t) (end - s));
    len = nl ? (size_t) (nl - s) : (size_t) (end - s);
    ++f->lines;
    raw = s;
    rawlen = len;
    if (f->lines == 1 && rawlen >= 3 && !memcmp(raw,"\357\273\277",3)) { raw += 3; rawlen -= 3; }
    x = refline(raw,rawlen,f->flagmore,1,&r,&why);
    if (f->lines <= MAXSCAN) scanline(raw,rawlen,f->flagmore,f);
    if (!f->bad) {
      if (x == -1) { f->bad = f->lines; f->badraw = raw; f->badrawlen = rawlen; f->badwhy = why; }
      if (x == 1) {
        r.line = f->lines;
        if (f->n < MAXREF) f->e[f->n] = r;
        ++f->n;
      }
    }
    s += len + (nl ? 1 : 0);
  }
}

static void put(struct file *f,const uint8_t *s,size_t len)
{
  if (ftruncate(f->fd,0) == -1) { perror("fuzz_ipme: ftruncate"); exit(111); }
  if (len && pwrite(f->fd,s,len,0) != (ssize_t) len) { perror("fuzz_ipme: pwrite"); exit(111); }
  f->s = s;
  f->len = len;
}

/* "FN line N: REASON", and ipme_line the start of line N */
static void checkerr(struct file *f)
{
  char want[512];
  const char *s = ipme_error();
  size_t len = strlen(s);
  size_t lead;
  size_t n;

  if (!f->bad) die("ipme_readfile refused a file the reference accepts",f);
  n = (size_t) snprintf(want,sizeof(want),"%s line %lu: ",f->fn,f->bad);
  if (len < n || memcmp(s,want,n)) die("ipme_error() does not start with FILE line N (the first bad line)",f);
  if (!isreason(s + n,len - n,f->badwhy)) die("ipme_error() gives the wrong kind of reason",f);
  for (lead = 0;lead < f->badrawlen && blank(f->badraw[lead]);++lead) ;
  if (ipme_line.len > f->badrawlen - lead || memcmp(ipme_line.s,f->badraw + lead,ipme_line.len))
    die("ipme_line is not the bad line from its first non-blank byte",f);
  if (ipme_line.len != (f->badrawlen - lead < IPME_LINEMAX + 1 ? f->badrawlen - lead : IPME_LINEMAX + 1))
    die("ipme_line is not the whole line, nor its first IPME_LINEMAX + 1 bytes",f);
}

static void checklist(struct file *f,ipme_nets *l,unsigned int skip)
{
  unsigned int i;

  if (f->bad) die("a file with a bad line was accepted",f);
  if (l->len != skip + f->n) die("a different number of entries",f);
  for (i = 0;i < f->n && i < MAXREF;++i) {
    if (num(&l->n[skip + i].ip) != f->e[i].addr) die("an entry's address differs",f);
    if (l->n[skip + i].bits != f->e[i].bits) die("an entry's mask length differs",f);
    if (l->n[skip + i].line != f->e[i].line) die("an entry's line differs",f);
  }
}

static uint32_t maskof(unsigned int bits) { return bits ? 0xffffffffU << (32 - bits) : 0; }

/* the first longest entry of l for a: its index, or -1 */
static long refbest(ipme_nets *l,uint32_t a)
{
  long best = -1;
  unsigned int i;

  for (i = 0;i < l->len;++i)
    if (((a ^ num(&l->n[i].ip)) & maskof(l->n[i].bits)) == 0)
      if (best == -1 || l->n[i].bits > l->n[best].bits) best = i;
  return best;
}

static int refiface(uint32_t a)
{
  unsigned int i;

  for (i = 0;i < ipme.len;++i) if (num(&ipme.ix[i].ip) == a) return 1;
  return 0;
}

static void lookup(uint32_t a)
{
  struct ip_address ip;
  struct ipme_net *m;
  long me;
  long no;
  unsigned int bits;
  int want;
  int c;

  ip.d[0] = a >> 24; ip.d[1] = a >> 16; ip.d[2] = a >> 8; ip.d[3] = a;
  me = refbest(&ipme_more,a);
  no = refbest(&ipme_not,a);
  m = ipme_longest(&ipme_more,&ip);
  if (m != (me == -1 ? 0 : ipme_more.n + me)) die("ipme_longest (moreipme) is not the first longest entry",0);
  m = ipme_longest(&ipme_not,&ip);
  if (m != (no == -1 ? 0 : ipme_not.n + no)) die("ipme_longest (notipme) is not the first longest entry",0);
  bits = refiface(a) ? 33 : (me == -1 ? 0 : ipme_more.n[me].bits + 1);
  want = (no != -1 && ipme_not.n[no].bits + 1U >= bits) ? 0 : bits > 0;
  c = ipme_check(&ip);
  if (c != want) {
    fprintf(stderr,"fuzz_ipme: %u.%u.%u.%u: ipme_check %d, the reference %d\n",ip.d[0],ip.d[1],ip.d[2],ip.d[3],c,want);
    die("ipme_check disagrees with the reference",0);
  }
  if (ipme_is(&ip) != want) die("ipme_is disagrees with ipme_check",0);
}

static void lookups(const uint8_t *data,size_t size)
{
  ipme_nets *l;
  uint32_t a;
  uint32_t m;
  unsigned int i;
  unsigned int k;
  unsigned int count = 0;

  lookup(0x7f000001);
  lookup(0);
  if (size >= 4) {
    lookup(((uint32_t) data[0] << 24) | ((uint32_t) data[1] << 16) | ((uint32_t) data[2] << 8) | data[3]);
    lookup(((uint32_t) data[size - 4] << 24) | ((uint32_t) data[size - 3] << 16) | ((uint32_t) data[size - 2] << 8) | data[size - 1]);
  }
  for (i = 0;i < ipme.len && i < 8;++i) lookup(num(&ipme.ix[i].ip));
  for (k = 0;k < 2;++k) {
    l = k ? &ipme_not : &ipme_more;
    for (i = 0;i < l->len && count < 64;++i, ++count) {
      a = num(&l->n[i].ip);
      m = maskof(l->n[i].bits);
      lookup(a);
      lookup(a ^ 1);
      lookup(a & m);
      lookup((a & m) - 1);
      lookup(a | ~m);
      lookup((a | ~m) + 1);
    }
  }
}

/* with files it cannot read, ipme_init reads control/ again: from DIR */
static void unsure(const uint8_t *data,size_t size)
{
  struct ip_address ip;
  unsigned int k;

  if (chdir(dir) == -1 || chdir("..") == -1) { perror("fuzz_ipme: chdir"); exit(111); }
  for (k = 0;k < 2;++k) {
    if (!k) { ip.d[0] = 127; ip.d[1] = 0; ip.d[2] = 0; ip.d[3] = 1; }
    else if (size >= 4) memcpy(ip.d,data,4);
    else break;
    if (ipme_is(&ip) != 0) die("with a file it cannot use, ipme_is did not answer 0",0);
    if (ipme_check(&ip) != -1) die("with a file it cannot use, ipme_check did not answer -1",0);
  }
  if (fchdir(cwd) == -1) { perror("fuzz_ipme: fchdir"); exit(111); }
}

static void cleanup(void)
{
  char fn[300];

  if (!*dir) return;
  snprintf(fn,sizeof(fn),"%smoreipme",dir); unlink(fn);
  snprintf(fn,sizeof(fn),"%snotipme",dir); unlink(fn);
  rmdir(dir);
  snprintf(fn,sizeof(fn),"%s",dir);
  fn[strlen(fn) - strlen("/control/")] = 0;
  rmdir(fn);
}

static void setup(void)
{
  char d[] = "/tmp/fuzz_ipme.XXXXXX";
  char target[64];
  struct file *f;
  int k;

  if (!mkdtemp(d)) { perror("fuzz_ipme: mkdtemp"); exit(111); }
  snprintf(dir,sizeof(dir),"%s/control/",d);
  if (mkdir(dir,0755) == -1) { perror("fuzz_ipme: mkdir"); exit(111); }
  for (k = 0;k < 2;++k) {
    f = k ? &not : &more;
    f->fd = memfd_create("ipme",0);
    if (f->fd == -1) { perror("fuzz_ipme: memfd_create"); exit(111); }
    snprintf(f->fn,sizeof(f->fn),"%s%s",dir,k ? "notipme" : "moreipme");
    snprintf(target,sizeof(target),"/proc/self/fd/%d",f->fd);
    if (symlink(target,f->fn) == -1) { perror("fuzz_ipme: symlink"); exit(111); }
    f->flagmore = !k;
  }
  cwd = open(".",O_RDONLY | O_DIRECTORY);
  if (cwd == -1) { perror("fuzz_ipme: ."); exit(111); }
  atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data,size_t size)
{
  static ipme_nets list;
  const uint8_t *sep;
  size_t morelen = size; /* where the line "%%" starts */
  int r;
  int rn;
  int rl;

  if (cwd == -1) setup();
  if (size >= 3 && !memcmp(data,"%%\n",3)) morelen = 0;
  else if ((sep = memmem(data,size,"\n%%\n",4))) morelen = (size_t) (sep - data) + 1;
  put(&more,data,morelen);
  if (morelen < size) put(&not,data + morelen + 3,size - morelen - 3);
  else put(&not,data,0);
  refread(&more);
  refread(&not);

  list.len = 0;
  r = ipme_readfile(&list,more.fn,1);
  if (r == 1) checklist(&more,&list,0);
  else if (r == -1) checkerr(&more);
  else die("ipme_readfile returned neither 1 nor -1",&more);
  list.len = 0;
  rn = ipme_readfile(&list,not.fn,0);
  if (rn == 1) checklist(&not,&list,0);
  else if (rn == -1) checkerr(&not);
  else die("ipme_readfile returned neither 1 nor -1",&not);

  rl = ipme_loadfiles(more.fn,not.fn);
  if (rl != ((r == 1 && rn == 1) ? 1 : -1)) die("ipme_loadfiles does not agree with ipme_readfile",0);
  if (rl == -1) {
    checkerr(r == -1 ? &more : &not);
    unsure(data,size);
    return 0;
  }
  if (ipme_more.len < 2 || ipme_more.n[0].bits != 8 || num(&ipme_more.n[0].ip) != 0x7f000000 || ipme_more.n[0].line
      || ipme_more.n[1].bits != 32 || num(&ipme_more.n[1].ip) != 0 || ipme_more.n[1].line)
    die("ipme_loadfiles: the built-ins are not 127.0.0.0/8 and 0.0.0.0 first",0);
  checklist(&more,&ipme_more,2);
  checklist(&not,&ipme_not,0);
  if (more.n <= MAXREF && not.n <= MAXREF) lookups(data,size);
  return 0;
}

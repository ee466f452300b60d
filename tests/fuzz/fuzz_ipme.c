/*
 * libFuzzer target for ipme.c: the control-file reader and the lookup.
 * Test tool, not part of the patch; built against tests/qlib by
 * bench/Makefile.inc (make -f bench/Makefile check-fuzz).
 *
 * The input is a moreipme file, optionally followed by a line "%%" and
 * a notipme file. Each is written to a memfd and read with
 * ipme_readfile. Invariants checked, against a reference written here
 * from the documentation (moreipme.README), not from ipme.c:
 *   - ipme_readfile returns 1, 0 or -1;
 *   - 1 exactly when every line is valid by the reference grammar, and
 *     then the entries are the reference's, in order, with their lines;
 *   - on -1, ipme_err is "FILE line N: REASON: TEXT", N is the first
 *     line the reference refuses (so N <= the number of lines), REASON
 *     is one of ipme.c's reasons, TEXT the stripped line as documented
 *     (for "line too long", its first 80 bytes as they are);
 *   - IPv6 lines are checked against inet_pton, and kept apart;
 *   - ipme_fmt of every entry parses back to the same entry;
 *   - ipme_match on addresses taken from the entries and the input
 *     agrees with a brute-force longest match where notipme wins a tie
 *     and, among equal lengths in one list, the first line decides.
 * A failed invariant prints what it saw and aborts, so libFuzzer keeps
 * the input.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipme.h"

static const char *reasons[] = {
  "NUL byte in line", "a port is not part of an entry", "bad IPv6 address",
  "missing prefix length", "bad prefix length", "prefix length over 128",
  "junk after entry", "missing address", "not an address", "empty octet",
  "too many octets", "octet over 255", "too few octets", "missing mask",
  "bad mask", "mask length over 32", "mask not contiguous", "line too long",
  "network shorter than /8 (most of the Internet would be me)", 0
} ;

#define MAXREF 16384 /* more entries: no lookups */

static int blank(uint8_t c) { return c == ' ' || c == '\t' || c == '\r'; }

struct ref {
  uint32_t addr;
  unsigned int bits;
  unsigned long line;
} ;

struct file {
  const uint8_t *s;
  size_t len;
  char fn[64];
  int fd;
  struct ref e[MAXREF];
  unsigned int n;
  unsigned long lines; /* how many lines the file has */
  unsigned int n6; /* IPv6 entries */
  int source;
  unsigned long bad; /* first invalid line, 0 if none */
  const uint8_t *badtext; /* that line, stripped */
  size_t badlen;
} ;

static struct file more;
static struct file not;

static void die(const char *what,const struct file *f)
{
  fprintf(stderr,"fuzz_ipme: invariant broken: %s\n",what);
  if (f) fprintf(stderr,"fuzz_ipme: file %s, %lu lines, first bad line %lu, ipme_err \"%.*s\"\n",
    f->fn,f->lines,f->bad,(int) ipme_err.len,ipme_err.s ? ipme_err.s : "");
  abort();
}

/* digits, leading zeros allowed (decimal, as 0.6): the value, capped at 1000 */
static size_t refnum(const uint8_t *s,size_t len,unsigned int *v)
{
  size_t i = 0;

  *v = 0;
  while (i < len && s[i] >= '0' && s[i] <= '9') { *v = 10 * *v + (s[i++] - '0'); if (*v > 1000) *v = 1000; }
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

/* an IPv6 address as inet_pton reads it, then an optional /0../128 */
static int refline6(const uint8_t *s,size_t len)
{
  char a[64];
  unsigned char ip[16];
  const uint8_t *slash = memchr(s,'/',len);
  size_t alen = slash ? (size_t) (slash - s) : len;
  unsigned int bits;

  if (alen >= sizeof(a)) return 0;
  memcpy(a,s,alen);
  a[alen] = 0;
  if (inet_pton(AF_INET6,a,ip) != 1) return 0;
  if (!slash) return 1;
  len -= alen + 1;
  if (!len || refnum(slash + 1,len,&bits) != len) return 0;
  return bits <= 128;
}


/* -1: invalid; 0: nothing (empty, comment); 1: an entry; 6: an IPv6 entry */
static int refline(const uint8_t *s,size_t len,struct ref *r,int source)
{
  const uint8_t *slash;
  size_t i;

  if (!len || s[0] == '#') return 0;
  for (i = 0;i < len && !blank(s[i]);++i) ;
  if (i < len) { /* white space, then a comment */
    size_t j = i;
    while (j < len && blank(s[j])) ++j;
    if (s[j] != '#') return -1;
    len = i;
  }
  if (memchr(s,0,len)) return -1;
  if (memchr(s,':',len)) return refline6(s,len) ? 6 : -1;
  slash = memchr(s,'/',len);
  if (!slash) { r->bits = 32; return refquad(s,len,&r->addr) ? 1 : -1; }
  if (!refquad(s,(size_t) (slash - s),&r->addr)) return -1;
  if (!refmask(slash + 1,len - (size_t) (slash - s) - 1,&r->bits)) return -1;
  return (source == IPME_MORE && r->bits < 8) ? -1 : 1;
}

static int refcomment(const uint8_t *s,size_t len,unsigned long line)
{
  if (line == 1 && len >= 3 && !memcmp(s,"\357\273\277",3)) { s += 3; len -= 3; }
  while (len && blank(*s)) { ++s; --len; }
  return len && *s == '#';
}

static void refread(struct file *f)
{
  const uint8_t *s = f->s;
  const uint8_t *end = f->s + f->len;
  const uint8_t *nl;
  size_t len;
  struct ref r;

  f->n = 0; f->n6 = 0; f->lines = 0; f->bad = 0;
  while (s < end) {
    nl = memchr(s,'\n',(size_t) (end - s));
    len = nl ? (size_t) (nl - s) : (size_t) (end - s);
    ++f->lines;
    /* 1024 bytes a line, and the \r of a CRLF line besides */
    if (!f->bad && len > IPME_LINEMAX && !(len == IPME_LINEMAX + 1 && s[len - 1] == '\r')) {
      if (!refcomment(s,IPME_LINEMAX,f->lines)) { f->bad = f->lines; f->badtext = s; f->badlen = IPME_LINEMAX; }
    }
    else if (!f->bad) {
      const uint8_t *t = s;
      size_t tl = len;
      if (f->lines == 1 && tl >= 3 && !memcmp(t,"\357\273\277",3)) { t += 3; tl -= 3; }
      while (tl && blank(t[tl - 1])) --tl;
      while (tl && blank(*t)) { ++t; --tl; }
      switch (refline(t,tl,&r,f->source)) {
        case -1: f->bad = f->lines; f->badtext = t; f->badlen = tl; break;
        case 6: ++f->n6; break;
        case 1:
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
  if (!f->fd) {
    f->fd = memfd_create("ipme",0);
    if (f->fd == -1) { perror("fuzz_ipme: memfd_create"); exit(111); }
    snprintf(f->fn,sizeof(f->fn),"/proc/self/fd/%d",f->fd);
  }
  if (ftruncate(f->fd,0) == -1) { perror("fuzz_ipme: ftruncate"); exit(111); }
  if (len && pwrite(f->fd,s,len,0) != (ssize_t) len) { perror("fuzz_ipme: pwrite"); exit(111); }
  f->s = s;
  f->len = len;
}

static uint32_t num(const struct ip_address *ip)
{
  return ((uint32_t) ip->d[0] << 24) | ((uint32_t) ip->d[1] << 16) | ((uint32_t) ip->d[2] << 8) | ip->d[3];
}

/* "FN line N: REASON: TEXT" */
static void checkerr(struct file *f)
{
  char want[128];
  char text[100];
  const char *s = ipme_err.s;
  size_t len = ipme_err.len;
  size_t n;
  size_t i;
  int k;

  if (!f->bad) die("ipme_readfile refused a file the reference accepts",f);
  if (f->bad > f->lines) die("reference: bad line past the end",f);
  n = (size_t) snprintf(want,sizeof(want),"%s line %lu: ",f->fn,f->bad);
  if (len < n || memcmp(s,want,n)) die("ipme_err does not start with FILE line N (the first bad line)",f);
  s += n; len -= n;
  for (k = 0;reasons[k];++k) {
    n = strlen(reasons[k]);
    if (len >= n + 2 && !memcmp(s,reasons[k],n) && s[n] == ':' && s[n + 1] == ' ') break;
  }
  if (!reasons[k]) die("ipme_err gives a reason ipme.c does not have",f);
  s += n + 2; len -= n + 2;
  for (i = 0;i < f->badlen && i < 80;++i)
    text[i] = (f->badtext[i] < 32 || f->badtext[i] > 126) ? '?' : (char) f->badtext[i];
  n = i;
  if (f->badlen > 80) { memcpy(text + n,"...",3); n += 3; }
  if (len != n || memcmp(s,text,n)) die("ipme_err does not end with the stripped line",f);
}

static void checklist(struct file *f,ipmelist *l,ipmelist6 *l6,int source)
{
  struct ipme_entry x;
  struct ipme_entry6 x6;
  char s[IPME_FMT];
  char *why;
  unsigned int i;
  unsigned int len;

  if (f->bad) die("ipme_readfile accepted a file with a bad line",f);
  if (l->len != f->n) die("ipme_readfile read a different number of entries",f);
  if (l6->len != f->n6) die("ipme_readfile read a different number of IPv6 entries",f);
  for (i = 0;i < l->len && i < MAXREF;++i) {
    if (num(&l->e[i].ip) != f->e[i].addr) die("an entry's address differs",f);
    if (l->e[i].bits != f->e[i].bits) die("an entry's mask length differs",f);
    if (l->e[i].where != f->e[i].line) die("an entry's line differs",f);
    if (l->e[i].source != source) die("an entry's source differs",f);
    len = ipme_fmt(s,l->e + i);
    if (len > IPME_FMT || len != ipme_fmt((char *) 0,l->e + i)) die("ipme_fmt length",f);
    if (ipme_parse(&x,&x6,s,len,&why) != 4) die("ipme_fmt gave what ipme_parse refuses",f);
    if (num(&x.ip) != f->e[i].addr || x.bits != f->e[i].bits) die("ipme_fmt does not parse back",f);
  }
}

static uint32_t maskof(unsigned int bits) { return bits ? 0xffffffffU << (32 - bits) : 0; }

/* the reference's best entry of f for a, or 0 */
static struct ref *refbest(struct file *f,uint32_t a)
{
  struct ref *best = 0;
  unsigned int i;

  for (i = 0;i < f->n && i < MAXREF;++i)
    if ((a & maskof(f->e[i].bits)) == (f->e[i].addr & maskof(f->e[i].bits)))
      if (!best || f->e[i].bits > best->bits) best = f->e + i;
  return best;
}

static void lookup(uint32_t a)
{
  struct ip_address ip;
  struct ipme_entry *m;
  struct ref *me;
  struct ref *no;
  struct ref *want;
  int source;

  ip.d[0] = a >> 24; ip.d[1] = a >> 16; ip.d[2] = a >> 8; ip.d[3] = a;
  m = ipme_match(&ip);
  me = refbest(&more,a);
  no = refbest(&not,a);
  if (no && (!me || no->bits >= me->bits)) { want = no; source = IPME_NOT; }
  else { want = me; source = IPME_MORE; }
  if (!want) { if (m) die("ipme_match found an entry where none matches",0); return; }
  if (!m) die("ipme_match found nothing where an entry matches",0);
  if (m->source != source || m->bits != want->bits || m->where != want->line) {
    fprintf(stderr,"fuzz_ipme: %u.%u.%u.%u: ipme_match source %d /%u line %u; reference source %d /%u line %lu\n",
      ip.d[0],ip.d[1],ip.d[2],ip.d[3],m->source,m->bits,m->where,source,want->bits,want->line);
    die("ipme_match disagrees with the reference",0);
  }
}

static void lookups(const uint8_t *data,size_t size)
{
  struct file *f;
  uint32_t a;
  uint32_t m;
  unsigned int i;
  unsigned int k;
  unsigned int count = 0;

  if (size >= 4) {
    lookup(((uint32_t) data[0] << 24) | ((uint32_t) data[1] << 16) | ((uint32_t) data[2] << 8) | data[3]);
    lookup(((uint32_t) data[size - 4] << 24) | ((uint32_t) data[size - 3] << 16) | ((uint32_t) data[size - 2] << 8) | data[size - 1]);
  }
  for (k = 0;k < 2;++k) {
    f = k ? &not : &more;
    for (i = 0;i < f->n && i < MAXREF && count < 64;++i, ++count) {
      a = f->e[i].addr;
      m = maskof(f->e[i].bits);
      lookup(a);
      lookup(a ^ 1);
      lookup(a & m);
      lookup((a & m) - 1);
      lookup(a | ~m);
      lookup((a | ~m) + 1);
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data,size_t size)
{
  const uint8_t *sep;
  size_t morelen = size; /* where the line "%%" starts */
  int r;
  int rn;

  if (size >= 3 && !memcmp(data,"%%\n",3)) morelen = 0;
  else if ((sep = memmem(data,size,"\n%%\n",4))) morelen = (size_t) (sep - data) + 1;
  put(&more,data,morelen);
  if (morelen < size) put(&not,data + morelen + 3,size - morelen - 3);
  else put(&not,data,0);
  more.source = IPME_MORE;
  not.source = IPME_NOT;
  refread(&more);
  refread(&not);

  ipme_me.len = 0;
  ipme_not.len = 0;
  ipme_me6.len = 0;
  ipme_not6.len = 0;
  ipme_err.len = 0;
  r = ipme_readfile(&ipme_me,&ipme_me6,more.fn,IPME_MORE);
  if (r != 1 && r != 0 && r != -1) die("ipme_readfile returned neither 1, 0 nor -1",&more);
  if (r == -1) checkerr(&more);
  if (r == 1) checklist(&more,&ipme_me,&ipme_me6,IPME_MORE);
  ipme_err.len = 0;
  rn = ipme_readfile(&ipme_not,&ipme_not6,not.fn,IPME_NOT);
  if (rn != 1 && rn != 0 && rn != -1) die("ipme_readfile returned neither 1, 0 nor -1",&not);
  if (rn == -1) checkerr(&not);
  if (rn == 1) checklist(&not,&ipme_not,&ipme_not6,IPME_NOT);
  if (r == 1 && rn == 1 && more.n <= MAXREF && not.n <= MAXREF) lookups(data,size);
  return 0;
}

/* test stand-in for qmail's dns.o: answers from ./dnsfixture (see dns.h) */
#include "dns.h"
#include <unistd.h>
#include "substdio.h"
#include "getln.h"
#include "open.h"
#include "error.h"
#include "byte.h"
#include "case.h"
#include "scan.h"
#include "str.h"

static stralloc fixture = {0}; /* the lines, each ending in 0 */
static int loaded = 0; /* 1 read, -1 no file */

static int load(void)
{
  static stralloc ln = {0};
  char buf[512];
  substdio ss;
  int match;
  int fd;

  if (loaded) return 1;
  fd = open_read("dnsfixture");
  if (fd == -1) { loaded = -1; return 1; }
  substdio_fdbuf(&ss,read,fd,buf,sizeof buf);
  for (;;) {
    if (getln(&ss,&ln,&match,'\n') == -1) { close(fd); return 0; }
    if (!ln.len) break;
    if (match) --ln.len;
    if (!stralloc_cat(&fixture,&ln) || !stralloc_0(&fixture)) { close(fd); return 0; }
    if (!match) break;
  }
  close(fd);
  loaded = 1;
  return 1;
}

/* the next line of the fixture after *pos, split at spaces into w[0..3] */
static int next(unsigned int *pos,char *w[4],unsigned int wl[4])
{
  unsigned int i;
  unsigned int n;
  char *s;

  while (*pos < fixture.len) {
    s = fixture.s + *pos;
    *pos += str_len(s) + 1;
    for (n = 0;n < 4;++n) { w[n] = ""; wl[n] = 0; }
    for (n = 0;*s && n < 4;++n) {
      while (*s == ' ') ++s;
      for (i = 0;s[i] && s[i] != ' ';++i) ;
      w[n] = s; wl[n] = i;
      s += i;
    }
    if (wl[0]) return 1;
  }
  return 0;
}

static int is(char *w,unsigned int wl,char *t) { return wl == str_len(t) && byte_equal(w,wl,t); }
static int named(char *w,unsigned int wl,stralloc *sa) { return wl == sa->len && !case_diffb(w,wl,sa->s); }

/* 1 if name has a line of this kind (or any, kind 0); DNS_SOFT for a fail line */
static int has(stralloc *name,char *kind)
{
  unsigned int pos;
  unsigned int wl[4];
  char *w[4];

  if (loaded == -1) return DNS_SOFT;
  for (pos = 0;next(&pos,w,wl);)
    if (named(w[1],wl[1],name)) {
      if (is(w[0],wl[0],"fail")) return DNS_SOFT;
      if (!kind || is(w[0],wl[0],kind)) return 1;
    }
  return 0;
}

void dns_init(int flagsearch) { (void) flagsearch; }

static int literal(ipalloc *ia,stralloc *sa)
{
  static stralloc z = {0};
  struct ip_mx ix;

  if (!stralloc_copy(&z,sa) || !stralloc_0(&z)) return DNS_MEM;
  if (!z.s[0]) return 0;
  byte_zero((char *) &ix,sizeof ix);
  if (z.s[ip_scan(z.s,&ix.ip)] && z.s[ip_scanbracket(z.s,&ix.ip)]) return 0;
  return ipalloc_append(ia,&ix) ? 1 : DNS_MEM;
}

/* as a server answers a query: name's CNAME chain (at most 10 links) followed, into t */
static int follow(stralloc *name,stralloc *t)
{
  unsigned int pos;
  unsigned int wl[4];
  char *w[4];
  int loop;
  int r;

  if (!stralloc_copy(t,name)) return DNS_MEM;
  for (loop = 0;loop < 10;++loop) {
    if ((r = has(t,"cname")) != 1) return r ? r : has(t,0);
    for (pos = 0;next(&pos,w,wl);)
      if (is(w[0],wl[0],"cname") && named(w[1],wl[1],t)) break;
    if (!stralloc_copyb(t,w[2],wl[2])) return DNS_MEM;
  }
  return DNS_SOFT;
}

static int addrs(ipalloc *ia,stralloc *sa,int pref)
{
  static stralloc name = {0};
  static stralloc z = {0};
  unsigned int pos;
  unsigned int wl[4];
  struct ip_mx ix;
  char *w[4];
  int r;

  if ((r = literal(ia,sa)) != 0) return (r == 1) ? 0 : r;
  if ((r = follow(sa,&name)) != 1) return r ? r : DNS_HARD;
  for (pos = 0;next(&pos,w,wl);)
    if (is(w[0],wl[0],"a") && named(w[1],wl[1],&name)) {
      if (!stralloc_copyb(&z,w[2],wl[2]) || !stralloc_0(&z)) return DNS_MEM;
      byte_zero((char *) &ix,sizeof ix);
      if (z.s[ip_scan(z.s,&ix.ip)]) continue;
      ix.pref = pref;
      if (!ipalloc_append(ia,&ix)) return DNS_MEM;
    }
  return 0;
}

int dns_ip(ipalloc *ia,stralloc *sa)
{
  if (!load()) return DNS_MEM;
  ia->len = 0;
  return addrs(ia,sa,0);
}

int dns_mxip(ipalloc *ia,stralloc *sa,unsigned long random)
{
  static stralloc name = {0};
  static stralloc host = {0};
  static stralloc num = {0};
  unsigned int pos;
  unsigned int wl[4];
  unsigned long pref;
  unsigned long best;
  unsigned long last;
  char *w[4];
  int flagsoft;
  int found;
  int r;

  (void) random;
  if (!load()) return DNS_MEM;
  ia->len = 0;
  if ((r = literal(ia,sa)) != 0) return (r == 1) ? 0 : r;
  if ((r = follow(sa,&name)) != 1) return r ? r : DNS_HARD;
  if (!has(&name,"mx")) return addrs(ia,sa,0);
  flagsoft = 0;
  for (last = 0,found = 1;found;last = best + 1) { /* each preference, lowest first */
    found = 0;
    best = 65536;
    for (pos = 0;next(&pos,w,wl);)
      if (is(w[0],wl[0],"mx") && named(w[1],wl[1],&name)) {
        if (!stralloc_copyb(&num,w[2],wl[2]) || !stralloc_0(&num)) return DNS_MEM;
        scan_ulong(num.s,&pref);
        if (pref >= last && pref < best) { best = pref; found = 1; }
      }
    if (!found) break;
    for (pos = 0;next(&pos,w,wl);)
      if (is(w[0],wl[0],"mx") && named(w[1],wl[1],&name)) {
        if (!stralloc_copyb(&num,w[2],wl[2]) || !stralloc_0(&num)) return DNS_MEM;
        scan_ulong(num.s,&pref);
        if (pref != best) continue;
        if (!stralloc_copyb(&host,w[3],wl[3])) return DNS_MEM;
        r = addrs(ia,&host,(int) pref);
        if (r == DNS_MEM || r == DNS_SOFT) flagsoft = 1;
      }
  }
  return flagsoft;
}

int dns_cname(stralloc *sa)
{
  unsigned int pos;
  unsigned int wl[4];
  char *w[4];
  int loop;
  int r;

  if (!load()) return DNS_MEM;
  for (loop = 0;loop < 10;++loop) {
    if (!sa->len || sa->s[sa->len - 1] == ']') return loop;
    if (sa->s[sa->len - 1] == '.') { --sa->len; continue; }
    if ((r = has(sa,"cname")) == DNS_SOFT) return DNS_SOFT;
    if (!r) return loop;
    for (pos = 0;next(&pos,w,wl);)
      if (is(w[0],wl[0],"cname") && named(w[1],wl[1],sa)) break;
    if (!stralloc_copyb(sa,w[2],wl[2])) return DNS_MEM;
  }
  return DNS_HARD;
}

#include "ipme.h"

#include <sys/types.h>
#include <sys/param.h>
#include <sys/time.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>
#include <errno.h>
#ifndef SIOCGIFCONF /* whatever works */
#include <sys/sockio.h>
#endif
#include "hassalen.h"
#include "alloc.h"
#include "byte.h"
#include "str.h"
#include "fmt.h"
#include "open.h"
#include "getln.h"
#include "substdio.h"
#include "error.h"

ipmelist ipme_me = {0};
ipmelist ipme_not = {0};
stralloc ipme_err = {0};
static int ipmeok = 0;
static char *ipmedir = "control";

/* by hand: gen_allocdefs.h takes different arguments in qmail and notqmail */
static int append(ipmelist *l,struct ipme_entry *e)
{
  struct ipme_entry *x;
  unsigned int n;

  if (l->len == l->a) {
    n = l->a ? 2 * l->a : 16;
    if (n <= l->a || n > 0xffffffffU / sizeof(*x)) { errno = error_nomem; return 0; }
    x = (struct ipme_entry *) alloc(n * (unsigned int) sizeof(*x));
    if (!x) return 0;
    if (l->e) { byte_copy((char *) x,l->len * (unsigned int) sizeof(*x),(char *) l->e); alloc_free((char *) l->e); }
    l->e = x;
    l->a = n;
  }
  l->e[l->len++] = *e;
  return 1;
}

static unsigned long num(struct ip_address *ip)
{
  return ((unsigned long) ip->d[0] << 24) | ((unsigned long) ip->d[1] << 16)
       | ((unsigned long) ip->d[2] << 8) | (unsigned long) ip->d[3];
}

static unsigned long mask(unsigned int bits)
{
  if (!bits) return 0;
  return (0xffffffffUL << (32 - bits)) & 0xffffffffUL;
}

static int isdigit09(char c) { return c >= '0' && c <= '9'; }
static int isblankchar(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static char *dotted(char *s,unsigned int len,unsigned long *u)
{
  unsigned int i;
  unsigned int start;
  unsigned int dots;
  unsigned long o;

  dots = 0;
  for (i = 0;i < len;++i) {
    if (s[i] == '.') ++dots;
    else if (!isdigit09(s[i])) return "not an address";
  }
  for (i = 0;i <= len;++i)
    if ((i == len || s[i] == '.') && (i == 0 || s[i - 1] == '.')) return "empty octet";
  if (dots < 3) return "too few octets";
  if (dots > 3) return "too many octets";
  *u = 0;
  for (i = 0;i <= len;++i) {
    start = i;
    o = 0;
    while (i < len && s[i] != '.') { if (o <= 255) o = 10 * o + (s[i] - '0'); ++i; }
    if (s[start] == '0' && i - start > 1) return "leading zero in octet";
    if (o > 255) return "octet over 255";
    *u = (*u << 8) | o;
  }
  return 0;
}

static char *masklen(char *s,unsigned int len,unsigned int *bits)
{
  unsigned int i;
  unsigned long m;
  char *why;

  if (!len) return "missing mask";
  for (i = 0;i < len;++i)
    if (!isdigit09(s[i]) && s[i] != '.') return "bad mask";
  if (byte_chr(s,len,'.') < len) {
    if ((why = dotted(s,len,&m))) return why;
    for (*bits = 0;*bits < 32 && (m & (0x80000000UL >> *bits));++*bits) ;
    if (m != mask(*bits)) return "mask not contiguous";
    return 0;
  }
  if (s[0] == '0' && len > 1) return "leading zero in mask";
  if (len > 2) return "mask length over 32";
  *bits = (len == 1) ? s[0] - '0' : 10 * (s[0] - '0') + (s[1] - '0');
  if (*bits > 32) return "mask length over 32";
  return 0;
}

/* s is one entry, white space already stripped */
int ipme_parse(struct ipme_entry *e,char *s,unsigned int len,char **why)
{
  unsigned int slash;
  unsigned int i;
  unsigned long u;

  if (byte_chr(s,len,'\0') < len) { *why = "NUL byte in line"; return 0; }
  if (byte_chr(s,len,':') < len) {
    /* 192.0.2.1:25 is an address with a port, not IPv6 */
    *why = (byte_chr(s,len,'.') < byte_chr(s,len,':')) ? "junk after entry" : "IPv6 entry, but this qmail has no IPv6";
    return 0;
  }
  for (i = 0;i < len;++i)
    if (isblankchar(s[i])) { *why = "junk after entry"; return 0; }
  slash = byte_chr(s,len,'/');
  if (!slash) { *why = "missing address"; return 0; }
  if ((*why = dotted(s,slash,&u))) return 0;
  e->bits = 32;
  if (slash < len)
    if ((*why = masklen(s + slash + 1,len - slash - 1,&e->bits))) return 0;
  e->ip.d[0] = u >> 24; e->ip.d[1] = u >> 16; e->ip.d[2] = u >> 8; e->ip.d[3] = u;
  return 1;
}

static int fail(char *fn,unsigned long line,char *why,char *s,unsigned int len)
{
  char strnum[FMT_ULONG];
  unsigned int i;

  if (!stralloc_copys(&ipme_err,fn)) return 0;
  if (!stralloc_cats(&ipme_err," line ")) return 0;
  if (!stralloc_catb(&ipme_err,strnum,fmt_ulong(strnum,line))) return 0;
  if (!stralloc_cats(&ipme_err,": ")) return 0;
  if (!stralloc_cats(&ipme_err,why)) return 0;
  if (!stralloc_cats(&ipme_err,": ")) return 0;
  for (i = 0;i < len && i < 80;++i)
    if (!stralloc_append(&ipme_err,(s[i] < 32 || s[i] > 126) ? "?" : s + i)) return 0;
  if (len > 80) if (!stralloc_cats(&ipme_err,"...")) return 0;
  if (!stralloc_0(&ipme_err)) return 0;
  --ipme_err.len;
  return -1;
}

static int failread(char *fn)
{
  if (errno == error_nomem) return 0;
  if (!stralloc_copys(&ipme_err,"unable to read ")) return 0;
  if (!stralloc_cats(&ipme_err,fn)) return 0;
  if (!stralloc_cats(&ipme_err,": ")) return 0;
  if (!stralloc_cats(&ipme_err,error_str(errno))) return 0;
  if (!stralloc_0(&ipme_err)) return 0;
  --ipme_err.len;
  return -1;
}

static int entry(ipmelist *l,char *fn,unsigned long line,int source,char *s,unsigned int len)
{
  struct ipme_entry e;
  char *why;

  while (len && isblankchar(s[len - 1])) --len;
  while (len && isblankchar(*s)) { ++s; --len; }
  if (!len || *s == '#') return 1;
  byte_zero((char *) &e,(unsigned int) sizeof(e));
  if (!ipme_parse(&e,s,len,&why)) return fail(fn,line,why,s,len);
  e.source = source;
  e.line = line;
  return append(l,&e);
}

static stralloc ln = {0};

int ipme_readfile(ipmelist *l,char *fn,int source)
{
  char buf[1024];
  substdio ss;
  unsigned long n;
  int match;
  int fd;
  int r;

  fd = open_read(fn);
  if (fd == -1) return (errno == error_noent) ? 1 : failread(fn);
  substdio_fdbuf(&ss,read,fd,buf,(int) sizeof(buf));
  for (n = 1;;++n) {
    if (getln(&ss,&ln,&match,'\n') == -1) { r = failread(fn); break; }
    if (!match && !ln.len) { r = 1; break; }
    if (match) --ln.len;
    r = entry(l,fn,n,source,ln.s,ln.len);
    if (r != 1 || !match) break;
  }
  close(fd);
  return r;
}

static stralloc ifbuf = {0};

/* fills ifbuf with every interface record the kernel has */
static int ifconf(int s)
{
  struct ifconf ifc;
  unsigned int len;

  len = 256;
  ifc.ifc_buf = 0;
  ifc.ifc_len = 0;
  /* Linux answers a null buffer with the size it needs; others may not */
  if (ioctl(s,SIOCGIFCONF,&ifc) >= 0 && ifc.ifc_len > 0)
    len = ifc.ifc_len + sizeof(struct ifreq) + 65;
  for (;;) {
    if (!stralloc_ready(&ifbuf,len)) return 0;
    ifc.ifc_buf = ifbuf.s;
    ifc.ifc_len = len;
    if (ioctl(s,SIOCGIFCONF,&ifc) >= 0) { /* > is for System V */
      /* a full buffer may have been cut short, silently */
      if ((unsigned int) ifc.ifc_len + sizeof(struct ifreq) + 64 < len) { ifbuf.len = ifc.ifc_len; return 1; }
    }
    else if (errno != EINVAL) return -1;
    if (len > 0x4000000) { errno = error_nomem; return 0; }
    len *= 2;
  }
}

static unsigned int recordlen(struct ifreq *ifr)
{
#ifdef HASSALEN
  unsigned int len;
  len = sizeof(ifr->ifr_name) + ifr->ifr_addr.sa_len;
  if (len > sizeof(*ifr)) return len;
#endif
  return sizeof(*ifr);
}

static int isup(int s,struct ifreq *ifr)
{
  struct ifreq flags;

  byte_zero((char *) &flags,(unsigned int) sizeof(flags));
  byte_copy(flags.ifr_name,(unsigned int) sizeof(flags.ifr_name),ifr->ifr_name);
  if (ioctl(s,SIOCGIFFLAGS,(char *) &flags) == -1) return 0;
  return (flags.ifr_flags & IFF_UP) != 0;
}

static int addifaces(ipmelist *l,int s)
{
  struct ifreq r;
  struct ipme_entry e;
  struct sockaddr_in *sin;
  char *x;
  unsigned int len;
  int up;

  up = 0;
  byte_zero((char *) &e,(unsigned int) sizeof(e));
  e.source = IPME_IFACE;
  e.bits = 32;
  for (x = ifbuf.s;x < ifbuf.s + ifbuf.len;x += len) {
    /* a copy: records need not be aligned, and ioctls must not write over them */
    len = ifbuf.s + ifbuf.len - x;
    if (len > sizeof(r)) len = sizeof(r);
    byte_zero((char *) &r,(unsigned int) sizeof(r));
    byte_copy((char *) &r,len,x);
    len = recordlen(&r);
    if (r.ifr_addr.sa_family != AF_INET) continue;
    if (str_diffn(e.ifname,r.ifr_name,IPME_IFNAMELEN) || !e.ifname[0]) {
      byte_copy(e.ifname,IPME_IFNAMELEN,r.ifr_name);
      up = isup(s,&r);
    }
    if (!up) continue;
    sin = (struct sockaddr_in *) &r.ifr_addr;
    byte_copy((char *) &e.ip,4,(char *) &sin->sin_addr);
    if (!append(l,&e)) return 0;
  }
  return 1;
}

int ipme_ifaces(ipmelist *l)
{
  int s;
  int r;

  if ((s = socket(AF_INET,SOCK_STREAM,0)) == -1) return -1;
  r = ifconf(s);
  if (r == 1) r = addifaces(l,s);
  close(s);
  return r;
}

static int builtin(ipmelist *l,char *ip,unsigned int bits)
{
  struct ipme_entry e;

  byte_zero((char *) &e,(unsigned int) sizeof(e));
  byte_copy((char *) &e.ip,4,ip);
  e.bits = bits;
  e.source = IPME_BUILTIN;
  return append(l,&e);
}

static stralloc fn = {0};

static int readlist(ipmelist *l,char *dir,char *base,int source)
{
  if (!stralloc_copys(&fn,dir)) return 0;
  if (!stralloc_cats(&fn,"/")) return 0;
  if (!stralloc_cats(&fn,base)) return 0;
  if (!stralloc_0(&fn)) return 0;
  return ipme_readfile(l,fn.s,source);
}

/* a mistyped directory must not look like one without the files */
static int dirreadable(char *dir)
{
  int fd;

  fd = open_read(dir);
  if (fd == -1) return failread(dir);
  close(fd);
  return 1;
}

int ipme_load(char *dir)
{
  int r;

  ipmeok = 0;
  ipmedir = dir;
  ipme_me.len = 0;
  ipme_not.len = 0;
  ipme_err.len = 0;
  if (!builtin(&ipme_me,"\177\0\0\0",8)) return 0;
  /* 0.0.0.0 is "this host" (RFC 1122, 3.2.1.3) */
  if (!builtin(&ipme_me,"\0\0\0\0",32)) return 0;
  if ((r = ipme_ifaces(&ipme_me)) != 1) return r;
  if ((r = dirreadable(dir)) != 1) return r;
  if ((r = readlist(&ipme_me,dir,"moreipme",IPME_MORE)) != 1) return r;
  if ((r = readlist(&ipme_not,dir,"notipme",IPME_NOT)) != 1) return r;
  ipmeok = 1;
  return 1;
}

int ipme_init(void)
{
  if (ipmeok) return 1;
  return ipme_load("control");
}

static struct ipme_entry *longest(ipmelist *l,unsigned long a)
{
  struct ipme_entry *best;
  unsigned int i;

  best = 0;
  for (i = 0;i < l->len;++i)
    if (((a ^ num(&l->e[i].ip)) & mask(l->e[i].bits)) == 0)
      if (!best || l->e[i].bits > best->bits)
        best = l->e + i;
  return best;
}

struct ipme_entry *ipme_match(struct ip_address *ip)
{
  struct ipme_entry *me;
  struct ipme_entry *not;

  me = longest(&ipme_me,num(ip));
  not = longest(&ipme_not,num(ip));
  if (not && (!me || not->bits >= me->bits)) return not;
  return me;
}

int ipme_is(struct ip_address *ip)
{
  struct ipme_entry *m;

  if (ipme_init() != 1) return -1;
  m = ipme_match(ip);
  return m && m->source != IPME_NOT;
}

unsigned int ipme_fmt(char *s,struct ipme_entry *e)
{
  unsigned int len;

  len = ip_fmt(s,&e->ip);
  if (e->bits == 32) return len;
  if (s) s[len] = '/';
  ++len;
  return len + fmt_ulong(s ? s + len : 0,(unsigned long) e->bits);
}

int ipme_catsource(stralloc *sa,struct ipme_entry *e)
{
  char strnum[FMT_ULONG];

  switch (e->source) {
    case IPME_BUILTIN: return stralloc_cats(sa,"builtin");
    case IPME_IFACE: return stralloc_cats(sa,e->ifname);
  }
  if (!stralloc_cats(sa,ipmedir)) return 0;
  if (!stralloc_cats(sa,(e->source == IPME_MORE) ? "/moreipme:" : "/notipme:")) return 0;
  return stralloc_catb(sa,strnum,fmt_ulong(strnum,e->line));
}

/* the evidence, for people: "control/moreipme line 2", "interface eth0" */
int ipme_catwhy(stralloc *sa,struct ipme_entry *e)
{
  char strnum[FMT_ULONG];
  char x[IPME_FMT];

  switch (e->source) {
    case IPME_BUILTIN:
      if (!stralloc_cats(sa,"built in ")) return 0;
      return stralloc_catb(sa,x,ipme_fmt(x,e));
    case IPME_IFACE:
      if (!stralloc_cats(sa,"interface ")) return 0;
      return stralloc_cats(sa,e->ifname);
  }
  if (!stralloc_cats(sa,ipmedir)) return 0;
  if (!stralloc_cats(sa,(e->source == IPME_MORE) ? "/moreipme line " : "/notipme line ")) return 0;
  return stralloc_catb(sa,strnum,fmt_ulong(strnum,e->line));
}

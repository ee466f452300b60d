#include "ipme.h"

#include <sys/types.h>
#include <sys/param.h>
#include <sys/time.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>
#include <errno.h>
#ifndef SIOCGIFCONF /* whatever works */
#include <sys/sockio.h>
#endif
#include "hassalen.h"
#include "hasgetifaddrs.h"
#ifdef HASGETIFADDRS
#include <ifaddrs.h>
#endif
#include "alloc.h"
#include "byte.h"
#include "str.h"
#include "fmt.h"
#include "error.h"

ipmelist ipme_me = {0};
ipmelist ipme_not = {0};
ipmelist6 ipme_me6 = {0};
ipmelist6 ipme_not6 = {0};
stralloc ipme_ifnames = {0};
stralloc ipme_err = {0};
static int ipmeok = 0;
static stralloc ipmedir = {0};

/*
By hand: gen_allocdefs.h takes different arguments in qmail and
notqmail. The old entries are copied as structs, not with byte_copy,
which goes a byte at a time: a million lines are copied about once.
*/
static char *bigger(unsigned int a,unsigned int size,unsigned int *n)
{
  *n = a ? a + a : 16;
  if (*n <= a || *n > 0xffffffffU / size) { errno = error_nomem; return 0; }
  return alloc(*n * size);
}

/* as gen_allocdefs.h's GEN_ALLOC_append, with bigger() */
#define IPME_APPEND(name,list,type) \
static int name(list *l,type *e) \
{ \
  type *x; \
  unsigned int i; \
  unsigned int n; \
  if (l->len == l->a) { \
    if (!(x = (type *) bigger(l->a,(unsigned int) sizeof(*x),&n))) return 0; \
    for (i = 0;i < l->len;++i) x[i] = l->e[i]; \
    if (l->e) alloc_free((char *) l->e); \
    l->e = x; \
    l->a = n; \
  } \
  l->e[l->len++] = *e; \
  return 1; \
}

IPME_APPEND(append,ipmelist,struct ipme_entry)
IPME_APPEND(append6,ipmelist6,struct ipme_entry6)

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

static int isdigit09(char c) { return (unsigned char) (c - '0') < 10; }
static int isblankchar(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int hexval(char c)
{
  if (isdigit09(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* 0.6 and ip_scan read 010 as ten; so do we, and say so through *flags */
static char *decimal(char *s,unsigned int len,unsigned long max,unsigned long *u,unsigned char *flags)
{
  unsigned int i;

  *u = 0;
  for (i = 0;i < len;++i) {
    if (!isdigit09(s[i])) return "not a number";
    if (*u <= max) *u = 10 * *u + (s[i] - '0');
  }
  if (s[0] == '0' && len > 1) *flags |= IPME_ZEROS;
  return 0;
}

static char *dotted(char *s,unsigned int len,unsigned long *u,unsigned char *flags)
{
  unsigned int i;
  unsigned int j;
  unsigned int dots;
  unsigned long o;
  char *over;

  *u = 0;
  dots = 0;
  over = 0;
  for (i = 0;;i = j + 1) {
    for (j = i;j < len && s[j] != '.';++j)
      if (!isdigit09(s[j])) return "not an address";
    if (j == i) return "empty octet";
    decimal(s + i,j - i,255,&o,flags);
    if (o > 255) over = "octet over 255";
    *u = (*u << 8) | o;
    if (j == len) break;
    ++dots;
  }
  if (dots < 3) return "too few octets";
  if (dots > 3) return "too many octets";
  return over;
}

static char *masklen(char *s,unsigned int len,unsigned int *bits,unsigned char *flags)
{
  unsigned long m;
  unsigned int i;
  char *why;

  if (!len) return "missing mask";
  for (i = 0;i < len;++i)
    if (!isdigit09(s[i]) && s[i] != '.') return "bad mask";
  if (byte_chr(s,len,'.') < len) {
    if ((why = dotted(s,len,&m,flags))) return why;
    for (*bits = 0;*bits < 32 && (m & (0x80000000UL >> *bits));++*bits) ;
    if (m != mask(*bits)) return "mask not contiguous";
    return 0;
  }
  decimal(s,len,32,&m,flags);
  if (m > 32) return "mask length over 32";
  *bits = m;
  return 0;
}

static char *parse4(struct ipme_entry *e,char *s,unsigned int len)
{
  unsigned int slash;
  unsigned int bits;
  unsigned long u;
  char *why;

  slash = byte_chr(s,len,'/');
  if (!slash) return "missing address";
  if ((why = dotted(s,slash,&u,&e->flags))) return why;
  bits = 32;
  if (slash < len)
    if ((why = masklen(s + slash + 1,len - slash - 1,&bits,&e->flags))) return why;
  e->bits = bits;
  e->ip.d[0] = u >> 24; e->ip.d[1] = u >> 16; e->ip.d[2] = u >> 8; e->ip.d[3] = u;
  return 0;
}

/* RFC 4291 2.2: up to 8 groups of 1 to 4 hex digits, one "::", a dotted quad last */
static char *addr6(char *s,unsigned int len,unsigned char *ip)
{
  unsigned char g[16];
  unsigned long u;
  unsigned char flags;
  unsigned int n;
  unsigned int gap;
  unsigned int i;
  unsigned int j;
  unsigned int k;
  int x;

  n = 0;
  gap = 17;
  i = 0;
  if (len >= 2 && s[0] == ':' && s[1] == ':') { gap = 0; i = 2; }
  else if (len && s[0] == ':') return "bad IPv6 address";
  while (i < len) {
    for (j = i;j < len && s[j] != ':';++j) ;
    if (byte_chr(s + i,j - i,'.') < j - i) {
      if (j < len || n > 12) return "bad IPv6 address";
      flags = 0;
      if (dotted(s + i,j - i,&u,&flags) || flags) return "bad IPv6 address";
      g[n++] = u >> 24; g[n++] = u >> 16; g[n++] = u >> 8; g[n++] = u;
      break;
    }
    if (j == i || j - i > 4 || n >= 16) return "bad IPv6 address";
    for (u = 0,k = i;k < j;++k) {
      if ((x = hexval(s[k])) < 0) return "bad IPv6 address";
      u = 16 * u + x;
    }
    g[n++] = u >> 8; g[n++] = u;
    if (j == len) break;
    i = j + 1;
    if (i < len && s[i] == ':') {
      if (gap != 17) return "bad IPv6 address";
      gap = n;
      ++i;
    }
    else if (i == len) return "bad IPv6 address";
  }
  if (gap == 17 && n != 16) return "bad IPv6 address";
  if (gap != 17 && n > 14) return "bad IPv6 address";
  byte_zero((char *) ip,16);
  if (gap == 17) gap = n;
  byte_copy((char *) ip,gap,(char *) g);
  byte_copy((char *) ip + 16 - (n - gap),n - gap,(char *) g + gap);
  return 0;
}

static char *parse6(struct ipme_entry6 *e,char *s,unsigned int len)
{
  unsigned int slash;
  unsigned long bits;
  char *why;

  slash = byte_chr(s,len,'/');
  if ((why = addr6(s,slash,e->ip))) return why;
  bits = 128;
  if (slash < len) {
    if (slash + 1 == len) return "missing prefix length";
    if (decimal(s + slash + 1,len - slash - 1,128,&bits,&e->flags)) return "bad prefix length";
    if (bits > 128) return "prefix length over 128";
  }
  e->bits = bits;
  return 0;
}

/* s is one entry, without white space or comment; 4 or 6 says which was filled in */
int ipme_parse(struct ipme_entry *e,struct ipme_entry6 *e6,char *s,unsigned int len,char **why)
{
  unsigned int colon;

  if (byte_chr(s,len,'\0') < len) { *why = "NUL byte in line"; return 0; }
  colon = byte_chr(s,len,':');
  if (colon == len) {
    byte_zero((char *) e,(unsigned int) sizeof(*e));
    *why = parse4(e,s,len);
    return *why ? 0 : 4;
  }
  if (byte_chr(s,colon,'.') < colon) { *why = "a port is not part of an entry"; return 0; }
  byte_zero((char *) e6,(unsigned int) sizeof(*e6));
  *why = parse6(e6,s,len);
  return *why ? 0 : 6;
}

/* an error message cut short by a lack of memory is no message */
static int nomem(void)
{
  ipme_err.len = 0;
  return 0;
}

static unsigned int errshort; /* ipme_err without the line's text */

static int fail(char *fn,unsigned long line,char *why,char *s,unsigned int len)
{
  char strnum[FMT_ULONG];
  unsigned int i;

  if (!stralloc_copys(&ipme_err,fn)) return nomem();
  if (!stralloc_cats(&ipme_err," line ")) return nomem();
  if (!stralloc_catb(&ipme_err,strnum,fmt_ulong(strnum,line))) return nomem();
  if (!stralloc_cats(&ipme_err,": ")) return nomem();
  if (!stralloc_cats(&ipme_err,why)) return nomem();
  errshort = ipme_err.len;
  if (!stralloc_cats(&ipme_err,": ")) return nomem();
  for (i = 0;i < len && i < 80;++i)
    if (!stralloc_append(&ipme_err,(s[i] < 32 || s[i] > 126) ? "?" : s + i)) return nomem();
  if (len > 80) if (!stralloc_cats(&ipme_err,"...")) return nomem();
  if (!stralloc_0(&ipme_err)) return nomem();
  --ipme_err.len;
  return -1;
}

static int failwhy(char *fn,char *why)
{
  errshort = 0;
  if (!stralloc_copys(&ipme_err,"unable to read ")) return nomem();
  if (!stralloc_cats(&ipme_err,fn)) return nomem();
  if (!stralloc_cats(&ipme_err,": ")) return nomem();
  if (!stralloc_cats(&ipme_err,why)) return nomem();
  if (!stralloc_0(&ipme_err)) return nomem();
  --ipme_err.len;
  return -1;
}

/* errno first: stralloc may change it (notqmail's allocator does) */
static int failread(char *fn)
{
  int e;

  e = errno;
  if (e == error_nomem) return 0;
  return failwhy(fn,error_str(e));
}

struct reader {
  char *fn;
  int source;
  ipmelist *l;
  ipmelist6 *l6;
  unsigned long line;
} ;

static int onlyblanks(char *s,unsigned int len)
{
  while (len) if (!isblankchar(s[--len])) return 0;
  return 1;
}

/* s is the whole line, as messages show it; its first xlen bytes are the entry */
static int entry(struct reader *r,char *s,unsigned int len)
{
  struct ipme_entry e;
  struct ipme_entry6 e6;
  unsigned int xlen;
  unsigned int hash;
  char *why;

  if (r->line == 1 && len >= 3 && byte_equal(s,3,"\357\273\277")) { s += 3; len -= 3; }
  while (len && isblankchar(s[len - 1])) --len;
  while (len && isblankchar(*s)) { ++s; --len; }
  if (!len || *s == '#') return 1;
  for (xlen = 0;xlen < len && !isblankchar(s[xlen]);++xlen) ;
  if (xlen < len) { /* 0.6 read "192.0.2.5 # mail host" */
    hash = xlen + byte_chr(s + xlen,len - xlen,'#');
    if (hash == len || !onlyblanks(s + xlen,hash - xlen)) return fail(r->fn,r->line,"junk after entry",s,len);
  }
  switch (ipme_parse(&e,&e6,s,xlen,&why)) {
    case 4:
      if (r->source == IPME_MORE && e.bits < 8)
        return fail(r->fn,r->line,"network shorter than /8 (most of the Internet would be me)",s,len);
      e.source = r->source;
      e.where = r->line;
      return append(r->l,&e);
    case 6:
      e6.source = r->source;
      e6.where = r->line;
      return append6(r->l6,&e6);
  }
  return fail(r->fn,r->line,why,s,len);
}

static int iscomment(struct reader *r,char *s,unsigned int len)
{
  if (r->line == 1 && len >= 3 && byte_equal(s,3,"\357\273\277")) { s += 3; len -= 3; }
  while (len && isblankchar(*s)) { ++s; --len; }
  return len && *s == '#';
}

/*
The usual line, "a.b.c.d" or "a.b.c.d/N" and a newline, in one pass:
the length of the line with its newline, or 0 for entry() to read it.
*/
static unsigned int quick(struct reader *r,struct ipme_entry *e,char *s,unsigned int len)
{
  unsigned long u;
  unsigned int bits;
  unsigned int i;
  unsigned int k;
  unsigned int n;

  e->flags = 0;
  u = 0;
  for (i = 0,k = 0;k < 4;++k) {
    if (k) { if (i >= len || s[i] != '.') return 0; ++i; }
    for (bits = 0,n = i;i < len && isdigit09(s[i]);++i) bits = 10 * bits + (s[i] - '0');
    if (i == n || i - n > 3 || bits > 255) return 0;
    if (s[n] == '0' && i - n > 1) e->flags = IPME_ZEROS;
    u = (u << 8) | bits;
  }
  bits = 32;
  if (i < len && s[i] == '/') {
    for (bits = 0,n = ++i;i < len && isdigit09(s[i]);++i) bits = 10 * bits + (s[i] - '0');
    if (i == n || i - n > 2 || bits > 32) return 0;
    if (s[n] == '0' && i - n > 1) e->flags = IPME_ZEROS;
    if (r->source == IPME_MORE && bits < 8) return 0;
  }
  if (i < len && s[i] == '\r') ++i;
  if (i >= len || s[i] != '\n') return 0;
  e->ip.d[0] = u >> 24; e->ip.d[1] = u >> 16; e->ip.d[2] = u >> 8; e->ip.d[3] = u;
  e->bits = bits;
  e->source = r->source;
  e->where = r->line;
  return i + 1;
}

/* IPME_LINEMAX bytes a line, and the \r of a CRLF file besides */
static int toolong(char *ln,unsigned int lnlen,char *s,unsigned int len,int flagend)
{
  if (lnlen + len <= IPME_LINEMAX) return 0;
  if (lnlen + len > IPME_LINEMAX + 1) return 1;
  if (!flagend) return 0;
  return (len ? s[len - 1] : ln[lnlen - 1]) != '\r';
}

/*
One pass over the file in chunks. A line lies in buf, or if it crosses
a chunk, in ln; a line longer than IPME_LINEMAX is an error, except a
comment, which is skipped in bounded memory.
*/
static int readlines(struct reader *r,int fd)
{
  struct ipme_entry e;
  char buf[4096];
  char ln[IPME_LINEMAX + 1];
  unsigned int lnlen;
  unsigned int used;
  unsigned int i;
  unsigned int j;
  int flagskip;
  int n;
  int x;

  lnlen = 0;
  flagskip = 0;
  r->line = 1;
  for (;;) {
    n = read(fd,buf,sizeof(buf));
    if (n == -1) { if (errno == error_intr) continue; return failread(r->fn); }
    if (!n) break;
    for (i = 0;i < (unsigned int) n;i = j + 1) {
      if (!lnlen && !flagskip && (used = quick(r,&e,buf + i,n - i))) {
        if (!append(r->l,&e)) return 0;
        ++r->line;
        j = i + used - 1;
        continue;
      }
      j = i + byte_chr(buf + i,n - i,'\n');
      if (flagskip) { if (j < (unsigned int) n) { flagskip = 0; ++r->line; } continue; }
      if (toolong(ln,lnlen,buf + i,j - i,j < (unsigned int) n)) {
        if (lnlen < IPME_LINEMAX) byte_copy(ln + lnlen,IPME_LINEMAX - lnlen,buf + i);
        if (!iscomment(r,ln,IPME_LINEMAX)) return fail(r->fn,r->line,"line too long",ln,IPME_LINEMAX);
        lnlen = 0;
        if (j == (unsigned int) n) flagskip = 1; else ++r->line;
        continue;
      }
      if (j == (unsigned int) n) { byte_copy(ln + lnlen,j - i,buf + i); lnlen += j - i; continue; }
      if (lnlen) {
        byte_copy(ln + lnlen,j - i,buf + i);
        x = entry(r,ln,lnlen + (j - i));
        lnlen = 0;
      }
      else x = entry(r,buf + i,j - i);
      if (x != 1) return x;
      ++r->line;
    }
  }
  if (toolong(ln,lnlen,ln,0,1)) {
    if (!iscomment(r,ln,IPME_LINEMAX)) return fail(r->fn,r->line,"line too long",ln,IPME_LINEMAX);
    return 1;
  }
  if (lnlen) return entry(r,ln,lnlen);
  return 1;
}

/* a dangling link is a mistake, not a missing file */
static int missing(char *fn)
{
  struct stat st;

  if (lstat(fn,&st) == -1) return 1;
  return failwhy(fn,"symbolic link to a file that does not exist");
}

int ipme_readfile(ipmelist *l,ipmelist6 *l6,char *fn,int source)
{
  struct reader r;
  int fd;
  int x;

  fd = open(fn,O_RDONLY | O_NONBLOCK); /* open_read: not all that links ipme.o has open.a */
  if (fd == -1) return (errno == error_noent) ? missing(fn) : failread(fn);
  r.fn = fn;
  r.source = source;
  r.l = l;
  r.l6 = l6;
  x = readlines(&r,fd);
  close(fd);
  return x;
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

/* each name once, however many addresses it has */
static int newifname(char *name,unsigned int len,unsigned int *where)
{
  *where = ipme_ifnames.len;
  if (!stralloc_catb(&ipme_ifnames,name,byte_chr(name,len,'\0'))) return 0;
  return stralloc_0(&ipme_ifnames);
}

static int addifaces(ipmelist *l,int s)
{
  struct ifreq r;
  struct ipme_entry e;
  struct sockaddr_in *sin;
  char *x;
  unsigned int len;
  unsigned int where;
  int up;

  up = 0;
  where = 0xffffffffU;
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
    if (where == 0xffffffffU || str_diffn(ipme_ifnames.s + where,r.ifr_name,IFNAMSIZ)) {
      if (!newifname(r.ifr_name,IFNAMSIZ,&where)) return 0;
      up = isup(s,&r);
    }
    if (!up) continue;
    sin = (struct sockaddr_in *) &r.ifr_addr;
    byte_copy((char *) &e.ip,4,(char *) &sin->sin_addr);
    e.where = where;
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

/* only the tools ask: this qmail has no IPv6 delivery */
int ipme_ifaces6(ipmelist6 *l6)
{
#ifdef HASGETIFADDRS
  struct ifaddrs *ifa;
  struct ifaddrs *i;
  struct ipme_entry6 e;
  unsigned int where;
  int r;

  if (getifaddrs(&ifa) == -1) return -1;
  r = 1;
  where = 0xffffffffU;
  for (i = ifa;i;i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET6) continue;
    if (!(i->ifa_flags & IFF_UP)) continue;
    byte_zero((char *) &e,(unsigned int) sizeof(e));
    byte_copy((char *) e.ip,16,(char *) &((struct sockaddr_in6 *) i->ifa_addr)->sin6_addr);
    e.bits = 128;
    e.source = IPME_IFACE;
    if (where == 0xffffffffU || str_diff(ipme_ifnames.s + where,i->ifa_name))
      if (!newifname(i->ifa_name,str_len(i->ifa_name),&where)) { r = 0; break; }
    e.where = where;
    if (!append6(l6,&e)) { r = 0; break; }
  }
  freeifaddrs(ifa);
  return r;
#else
  (void) l6;
  return 1;
#endif
}

static int builtin(char *ip,unsigned int bits)
{
  struct ipme_entry e;

  byte_zero((char *) &e,(unsigned int) sizeof(e));
  byte_copy((char *) &e.ip,4,ip);
  e.bits = bits;
  e.source = IPME_BUILTIN;
  return append(&ipme_me,&e);
}

static int builtin6(char *ip)
{
  struct ipme_entry6 e;

  byte_zero((char *) &e,(unsigned int) sizeof(e));
  byte_copy((char *) e.ip,16,ip);
  e.bits = 128;
  e.source = IPME_BUILTIN;
  return append6(&ipme_me6,&e);
}

static stralloc fn = {0};

static int readlist(ipmelist *l,ipmelist6 *l6,char *base,int source)
{
  if (!stralloc_copy(&fn,&ipmedir)) return 0;
  if (!stralloc_cats(&fn,base)) return 0;
  if (!stralloc_0(&fn)) return 0;
  return ipme_readfile(l,l6,fn.s,source);
}

/* "dir/", "dir//" and "dir" give the same file names */
static int setdir(char *dir)
{
  unsigned int len;

  len = str_len(dir);
  while (len > 1 && dir[len - 1] == '/') --len;
  if (!stralloc_copyb(&ipmedir,dir,len)) return 0;
  if (len == 1 && dir[0] == '/') return 1;
  return stralloc_cats(&ipmedir,"/");
}

/* for the tools' -c: stat needs no read permission, as the daemons need none */
int ipme_checkdir(char *dir)
{
  struct stat st;

  ipme_err.len = 0;
  if (stat(dir,&st) == -1) {
    if (errno == error_noent) return failwhy(dir,"no such directory");
    return failread(dir);
  }
  if (!S_ISDIR(st.st_mode)) return failwhy(dir,"not a directory");
  return 1;
}

int ipme_load(char *dir)
{
  int r;

  ipmeok = 0;
  ipme_me.len = 0;
  ipme_not.len = 0;
  ipme_me6.len = 0;
  ipme_not6.len = 0;
  ipme_ifnames.len = 0;
  ipme_err.len = 0;
  if (!setdir(dir)) return 0;
  if (!builtin("\177\0\0\0",8)) return 0;
  /* 0.0.0.0 is "this host" (RFC 1122, 3.2.1.3) */
  if (!builtin("\0\0\0\0",32)) return 0;
  if (!builtin6("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1")) return 0;
  if (!builtin6("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")) return 0;
  if ((r = ipme_ifaces(&ipme_me)) != 1) return r;
  if ((r = readlist(&ipme_me,&ipme_me6,"moreipme",IPME_MORE)) != 1) return r;
  if ((r = readlist(&ipme_not,&ipme_not6,"notipme",IPME_NOT)) != 1) return r;
  ipmeok = 1;
  return 1;
}

static int ipmeinit = 1; /* what ipme_init answered */
static int ipmetried = 0;

/* once a process, failure too: qmail-smtpd gets here only for a box@[a.b.c.d] */
int ipme_init(void)
{
  if (ipmeok) return 1;
  if (ipmetried) return ipmeinit;
  ipmetried = 1;
  ipmeinit = ipme_load("control");
  return ipmeinit;
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

static int within6(unsigned char *ip,struct ipme_entry6 *e)
{
  unsigned int n;

  n = e->bits / 8;
  if (!byte_equal((char *) ip,n,(char *) e->ip)) return 0;
  if (e->bits % 8 == 0) return 1;
  return ((ip[n] ^ e->ip[n]) & (0xff00 >> (e->bits % 8))) == 0;
}

static struct ipme_entry6 *longest6(ipmelist6 *l,unsigned char *ip)
{
  struct ipme_entry6 *best;
  unsigned int i;

  best = 0;
  for (i = 0;i < l->len;++i)
    if (within6(ip,l->e + i))
      if (!best || l->e[i].bits > best->bits)
        best = l->e + i;
  return best;
}

struct ipme_entry6 *ipme_match6(unsigned char *ip)
{
  struct ipme_entry6 *me;
  struct ipme_entry6 *not;

  me = longest6(&ipme_me6,ip);
  not = longest6(&ipme_not6,ip);
  if (not && (!me || not->bits >= me->bits)) return not;
  return me;
}

static int unsure = 0; /* ipme_is could not tell, and nobody has said so yet */

int ipme_is(struct ip_address *ip)
{
  struct ipme_entry *m;

  if (ipme_init() != 1) { unsure = 1; return -1; }
  m = ipme_match(ip);
  return m && m->source != IPME_NOT;
}

static unsigned int fmtbits(char *s,unsigned int len,unsigned int bits,unsigned int all)
{
  if (bits == all) return len;
  if (s) s[len] = '/';
  ++len;
  return len + fmt_ulong(s ? s + len : 0,(unsigned long) bits);
}

unsigned int ipme_fmt(char *s,struct ipme_entry *e)
{
  return fmtbits(s,ip_fmt(s,&e->ip),e->bits,32);
}

static unsigned int fmthex(char *s,unsigned int u)
{
  char x[4];
  unsigned int n;

  n = 0;
  do { x[n++] = "0123456789abcdef"[u & 15]; u >>= 4; } while (u);
  if (s) for (u = 0;u < n;++u) s[u] = x[n - 1 - u];
  return n;
}

/* RFC 5952: lower case, the longest run of two or more zero groups as "::" */
unsigned int ipme_fmt6(char *s,struct ipme_entry6 *e)
{
  unsigned int g[8];
  unsigned int best;
  unsigned int bestlen;
  unsigned int len;
  unsigned int i;
  unsigned int j;

  for (i = 0;i < 8;++i) g[i] = (e->ip[2 * i] << 8) | e->ip[2 * i + 1];
  best = 8; bestlen = 1;
  for (i = 0;i < 8;i = j + 1) {
    for (j = i;j < 8 && !g[j];++j) ;
    if (j - i > bestlen) { best = i; bestlen = j - i; }
  }
  len = 0;
  for (i = 0;i < 8;++i) {
    if (i == best) {
      if (s) { s[len] = ':'; s[len + 1] = ':'; }
      len += 2;
      i += bestlen - 1;
      continue;
    }
    if (i && i != best + bestlen) { if (s) s[len] = ':'; ++len; }
    len += fmthex(s ? s + len : 0,g[i]);
  }
  return fmtbits(s,len,e->bits,128);
}

char *ipme_ifname(unsigned int where)
{
  if (where >= ipme_ifnames.len) return "?";
  return ipme_ifnames.s + where;
}

/* e.g. "builtin", "eth0", "control/moreipme:2" */
int ipme_catsource(stralloc *sa,int source,unsigned int where)
{
  char strnum[FMT_ULONG];

  switch (source) {
    case IPME_BUILTIN: return stralloc_cats(sa,"builtin");
    case IPME_IFACE: return stralloc_cats(sa,ipme_ifname(where));
  }
  if (!stralloc_cat(sa,&ipmedir)) return 0;
  if (!stralloc_cats(sa,(source == IPME_MORE) ? "moreipme:" : "notipme:")) return 0;
  return stralloc_catb(sa,strnum,fmt_ulong(strnum,(unsigned long) where));
}

/*
The loop guard, for qmail-remote's smtpcode(), which sees every reply.
Behind NAT our own public address can lead back to our own qmail-smtpd:
then the greeting and the reply to HELO or EHLO both start with the
name our qmail-smtpd greets with (control/smtpgreeting's first word,
else control/me). Seen on port 25 from an address notipme does not
claim, that is a loop. A name is only a hint, so the caller defers.
*/

static stralloc myname = {0}; /* empty: no guard */
static int replies = 0;
static int greeted = 0;
static char *loopcode = 0; /* the code for ipme_report; 0: ipme_init's */

/* the length of the first word of s from *i on; *i moves to its start */
static unsigned int firstword(char *s,unsigned int len,unsigned int *i)
{
  unsigned int j;

  while (*i < len && (s[*i] == ' ' || s[*i] == '\t')) ++*i;
  for (j = *i;j < len;++j)
    if (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') break;
  return j - *i;
}

/* as control_readline: the first line, less trailing blanks; 0 if no file */
static int firstline(stralloc *sa,char *name)
{
  char buf[IPME_LINEMAX];
  unsigned int len;
  int fd;
  int r;

  fd = open(name,O_RDONLY | O_NONBLOCK);
  if (fd == -1) return (errno == error_noent) ? 0 : -1;
  len = 0;
  while (len < sizeof buf) {
    r = read(fd,buf + len,sizeof buf - len);
    if (r == -1 && errno == error_intr) continue;
    if (r == -1) { close(fd); return -1; }
    if (r == 0) break;
    len += r;
    if (byte_chr(buf,len,'\n') < len) break;
  }
  close(fd);
  len = byte_chr(buf,len,'\n');
  while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t')) --len;
  if (!stralloc_copyb(sa,buf,len)) return -1;
  return 1;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static int samename(char *s,char *t,unsigned int len)
{
  while (len--) if (lower(*s++) != lower(*t++)) return 0;
  return 1;
}

/* a name the guard can trust: dotted, not localhost */
static int guardable(stralloc *sa)
{
  unsigned int i;

  if (sa->len >= 9 && samename(sa->s,"localhost",9))
    if (sa->len == 9 || sa->s[9] == '.') return 0;
  if (!sa->len || sa->s[0] == '.' || sa->s[sa->len - 1] == '.') return 0;
  for (i = 1;i < sa->len;++i)
    if (sa->s[i] == '.' && sa->s[i - 1] == '.') return 0;
  return byte_chr(sa->s,sa->len,'.') < sa->len;
}

static int readmyname(void)
{
  unsigned int i;
  unsigned int len;
  int r;

  r = firstline(&myname,"control/smtpgreeting");
  if (r == 0) r = firstline(&myname,"control/me");
  if (r == -1) {
    if (!stralloc_copys(&ipme_err,"Unable to read control files.")) return nomem();
    if (!stralloc_0(&ipme_err)) return nomem();
    --ipme_err.len;
    return -1;
  }
  if (r == 0) { myname.len = 0; return 1; }
  i = 0;
  len = firstword(myname.s,myname.len,&i);
  byte_copy(myname.s,len,myname.s + i);
  myname.len = len;
  if (!guardable(&myname)) myname.len = 0;
  return 1;
}

/* does reply start with code and then myname? */
static int ownname(stralloc *reply,char *code)
{
  unsigned int i;

  if (reply->len < 4 || !byte_equal(reply->s,3,code)) return 0;
  if (reply->s[3] != ' ' && reply->s[3] != '-') return 0;
  i = 4;
  if (firstword(reply->s,reply->len,&i) != myname.len) return 0;
  return samename(reply->s + i,myname.s,myname.len);
}

static int catsafe(stralloc *sa,stralloc *name)
{
  unsigned int i;

  for (i = 0;i < name->len;++i)
    if (!stralloc_append(sa,(name->s[i] < 33 || name->s[i] > 126) ? "?" : name->s + i)) return 0;
  return 1;
}

static int loop(struct ip_address *partner)
{
  char x[IPFMT];
  unsigned int len;

  len = ip_fmt(x,partner);
  if (!stralloc_copys(&ipme_err,"Connected to ")) return nomem();
  if (!stralloc_catb(&ipme_err,x,len)) return nomem();
  if (!stralloc_cats(&ipme_err," but it greeted me with my own name ")) return nomem();
  if (!catsafe(&ipme_err,&myname)) return nomem();
  if (!stralloc_cats(&ipme_err,": this is a mail loop. If ")) return nomem();
  if (!stralloc_catb(&ipme_err,x,len)) return nomem();
  if (!stralloc_cats(&ipme_err," is this host, add it to control/moreipme.")) return nomem();
  if (!stralloc_0(&ipme_err)) return nomem();
  --ipme_err.len;
  return 1;
}

/* 1: the greeting and the next reply are ours, a loop; -1: cannot tell */
int ipme_loop(stralloc *reply,struct ip_address *partner,unsigned long port)
{
  struct ipme_entry *e;

  loopcode = "(#4.3.0)";
  if (port != 25 || ++replies > 2) return 0;
  if (replies == 1) {
    if (readmyname() != 1) return -1;
    greeted = myname.len && ownname(reply,"220");
    return 0;
  }
  if (!greeted || !ownname(reply,"250")) return 0;
  e = ipme_match(partner);
  if (e && e->source == IPME_NOT) return 0;
  if (loop(partner) != 1) return -1;
  loopcode = "(#4.4.6)";
  return 1;
}

static char *errtext(void)
{
  if (ipme_err.len) return ipme_err.s;
  if (ipmeinit == 0 || loopcode) return "Out of memory.";
  return "System resources temporarily unavailable.";
}

static stralloc report = {0};

/*
A deferral may end up in a bounce to the sender, once the message is
older than queuelifetime: it names the file and line, not their text.
*/
static int catreport(void)
{
  char *s;

  s = errtext();
  if (!stralloc_copys(&report,"Z")) return 0;
  if (!loopcode && s == ipme_err.s && errshort && errshort < ipme_err.len) {
    if (!stralloc_catb(&report,s,errshort)) return 0;
    if (!stralloc_cats(&report,".")) return 0;
  }
  else if (!stralloc_cats(&report,s)) return 0;
  if (!stralloc_cats(&report," ")) return 0;
  if (!stralloc_cats(&report,loopcode ? loopcode : "(#4.3.0)")) return 0;
  if (!stralloc_cats(&report,"\n")) return 0;
  return stralloc_0(&report);
}

/* qmail-remote's report of what ipme_init or ipme_loop said: Z, text, code */
char *ipme_report(void)
{
  if (!catreport()) return "ZOut of memory. (#4.3.0)\n";
  return report.s;
}

static void puterr(char *s)
{
  unsigned int len;
  int r;

  len = str_len(s);
  while (len) {
    r = write(2,s,len);
    if (r == -1 && errno == error_intr) continue;
    if (r <= 0) return;
    s += r;
    len -= r;
  }
}

/*
For qmail-smtpd. ipme_unsure: did the last ipme_is fail to tell? Then
addrparse() returns 0, and err_syntax(), its answer, asks
ipme_unsure_log(), which says yes once: the client is told only that
something is wrong here, and the reason goes to standard error, once a
connection.
*/
int ipme_unsure(void)
{
  return unsure;
}

int ipme_unsure_log(void)
{
  static int said = 0;

  if (!unsure) return 0;
  unsure = 0;
  if (said) return 1;
  said = 1;
  puterr("qmail-smtpd: unable to tell which addresses are mine: ");
  puterr(errtext());
  puterr("\n");
  return 1;
}

#include "moreipme.h"

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
#ifndef EFTYPE
#define EFTYPE ELOOP
#endif
#include "hassalen.h"
#include "ipalloc.h"
#include "substdio.h"
#include "subfd.h"
#include "alloc.h"
#include "byte.h"
#include "case.h"
#include "str.h"
#include "fmt.h"
#include "error.h"

/*
What links ipme.o links at least ip.o, ipalloc.o, substdio.a, stralloc.a
and its alloc, error.a, str.a, fs.a, case.a and socket.lib, but not
always control.o, getln.a or open.a (the SPF patch's spfquery does not):
hence open() and the line reader below.
*/

ipalloc ipme = {0}; /* as stock: the interface addresses */
ipme_nets ipme_more = {0};
ipme_nets ipme_not = {0};
stralloc ipme_line = {0};
static stralloc why = {0};
static int loaded = 0;

/* by hand: gen_allocdefs.h's macros take other arguments since notqmail 1.08 */
int ipme_append(ipme_nets *l,struct ipme_net *n)
{
  struct ipme_net *x;
  unsigned int a;

  if (l->len == l->a) {
    if (l->a >= 1 << 24) return 0; /* at most 32M entries, 384 MB: far past any file, and no overflow */
    a = l->a + l->a + 16;
    x = (struct ipme_net *) alloc(a * (unsigned int) sizeof(*x));
    if (!x) return 0;
    if (l->n) {
      byte_copy((char *) x,l->len * (unsigned int) sizeof(*x),(char *) l->n);
      alloc_free((char *) l->n);
    }
    l->n = x;
    l->a = a;
  }
  l->n[l->len++] = *n;
  return 1;
}

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static unsigned long mask(unsigned int bits)
{
  return bits ? (0xffffffffUL << (32 - bits)) & 0xffffffffUL : 0;
}

/*
Digits at s, read as ip_scan and 0.6 read them (010 is ten): how many;
*u stops growing past 999
*/
static unsigned int decimal(char *s,unsigned int len,unsigned long *u)
{
  unsigned int i;

  *u = 0;
  for (i = 0;i < len && (unsigned char) (s[i] - '0') < 10;++i)
    if (*u < 1000) *u = 10 * *u + (s[i] - '0');
  return i;
}

/* a.b.c.d at s: its length, 0 if there is none; *over: an octet is over 255 */
static unsigned int quad(char *s,unsigned int len,unsigned long *u,int *over)
{
  unsigned long o;
  unsigned int i;
  unsigned int n;
  int part;

  *u = 0;
  *over = 0;
  for (i = 0,part = 0;;++part) {
    n = decimal(s + i,len - i,&o);
    if (!n) return 0;
    i += n;
    if (o > 255) *over = 1;
    *u = (*u << 8) | (o & 255);
    if (part == 3) return i;
    if (i == len || s[i++] != '.') return 0;
  }
}

/* /N or /a.b.c.d, contiguous: all of s */
static char *masklen(char *s,unsigned int len,unsigned char *bits)
{
  unsigned long m;
  unsigned int i;
  int over;

  if (!len) return "bad mask";
  if (decimal(s,len,&m) == len) {
    if (m > 32) return "bad mask";
    *bits = m;
    return 0;
  }
  if (quad(s,len,&m,&over) != len || over) return "bad mask";
  for (i = 0;i < 32 && (m & (0x80000000UL >> i));++i) ;
  if (m != mask(i)) return "bad mask";
  *bits = i;
  return 0;
}

/* hex digits and two colons or more, perhaps a dotted tail and /N: IPv6, which no daemon uses */
static int isipv6(char *s,unsigned int len)
{
  unsigned long bits;
  unsigned int slash;
  unsigned int i;
  int colons;
  int dots;

  slash = byte_chr(s,len,'/');
  if (slash < len && (slash + 1 == len || decimal(s + slash + 1,len - slash - 1,&bits) != len - slash - 1)) return 0;
  for (i = 0,colons = 0,dots = 0;i < slash;++i)
    if (s[i] == ':') { if (dots) return 0; ++colons; }
    else if (s[i] == '.') ++dots;
    else if (byte_chr("0123456789abcdefABCDEF",22,s[i]) == 22) return 0;
  return colons >= 2;
}

/* 1: an entry in *n; 0: nothing for qmail (empty, comment, IPv6); -1: *reason */
int ipme_scan(struct ipme_net *n,char *s,unsigned int len,char **reason)
{
  unsigned long u;
  unsigned int addr;
  unsigned int end;
  unsigned int i;
  int over;

  while (len && blank(*s)) { ++s; --len; }
  if (!len || *s == '#') return 0;
  for (end = 0;end < len && !blank(s[end]);++end) ;
  for (i = end;i < len && blank(s[i]);++i) ;
  *reason = "junk after entry";
  if (i < len && s[i] != '#') return -1; /* 0.6 read "192.0.2.5 # mail host" */
  addr = quad(s,end,&u,&over);
  *reason = over ? "octet over 255" : "not an address";
  if (addr && !over && (addr == end || s[addr] == '/')) {
    n->bits = 32;
    if (addr < end) *reason = masklen(s + addr + 1,end - addr - 1,&n->bits);
    n->ip.d[0] = u >> 24; n->ip.d[1] = u >> 16; n->ip.d[2] = u >> 8; n->ip.d[3] = u;
    if (addr == end || !*reason) return 1;
  }
  if (isipv6(s,end)) return 0;
  i = byte_chr(s,end,':');
  if (i < end) *reason = (byte_chr(s,i,'.') < i) ? "a port is not part of an entry" : "bad IPv6 address";
  return -1;
}

/* why = a b c d e, and -1; 0 if out of memory */
static int fail(char *a,char *b,char *c,char *d,char *e)
{
  if (stralloc_copys(&why,a) && stralloc_cats(&why,b) && stralloc_cats(&why,c)
      && stralloc_cats(&why,d) && stralloc_cats(&why,e) && stralloc_0(&why)) {
    --why.len;
    return -1;
  }
  why.len = 0;
  return 0;
}

/* errno first: stralloc may change it (notqmail's allocator does) */
static int failsys(char *a,char *b)
{
  int e;

  e = errno;
  if (e == error_nomem) return 0;
  return fail(a,b,": ",error_str(e),"");
}

/*
The next line into ipme_line, less its leading blanks and its \n: 1;
0: no more; -1: errno. A line has at most IPME_LINEMAX bytes after its
leading blanks, and a CRLF's \r, or it is a comment, whose rest is
skipped. Of any other line *toolong is set, ipme_line keeps the start,
and the rest is left unread (a moreipme linked to /dev/zero).
*/
static int readline(substdio *ss,int *toolong)
{
  unsigned int i;
  unsigned int k;
  unsigned int n;
  int r;
  char *x;

  ipme_line.len = 0;
  *toolong = 0;
  while ((r = substdio_feed(ss)) > 0) {
    x = substdio_PEEK(ss);
    k = byte_chr(x,r,'\n');
    for (i = 0;!ipme_line.len && i < k && blank(x[i]);++i) ;
    n = IPME_LINEMAX + 1 - ipme_line.len;
    if (n > k - i) n = k - i;
    byte_copy(ipme_line.s + ipme_line.len,n,x + i);
    ipme_line.len += n;
    if (i + n < k && *ipme_line.s != '#') { *toolong = 1; return 1; }
    substdio_SEEK(ss,k);
    if (k < (unsigned int) r) { substdio_SEEK(ss,1); break; }
  }
  if (r == -1) return -1;
  if (ipme_line.len > IPME_LINEMAX && ipme_line.s[IPME_LINEMAX] != '\r' && *ipme_line.s != '#') *toolong = 1;
  return r > 0 || ipme_line.len > 0;
}

static int readlines(substdio *ss,ipme_nets *l,char *fn,int flagmore)
{
  char strnum[FMT_ULONG];
  struct ipme_net n;
  unsigned long line;
  char *reason;
  int toolong;
  int r;

  if (substdio_feed(ss) >= 3 && byte_equal(substdio_PEEK(ss),3,"\357\273\277")) substdio_SEEK(ss,3);
  for (line = 1;(r = readline(ss,&toolong)) == 1;++line) {
    r = ipme_scan(&n,ipme_line.s,ipme_line.len,&reason);
    if (toolong) { r = -1; reason = "line too long"; }
    if (r == 1 && flagmore && n.bits < 8) { r = -1; reason = "network shorter than /8 (most of the Internet would be me)"; }
    if (r == -1) {
      strnum[fmt_ulong(strnum,line)] = 0;
      return fail(fn," line ",strnum,": ",reason);
    }
    n.line = line;
    if (r == 1 && !ipme_append(l,&n)) return 0;
  }
  return (r == -1) ? failsys("unable to read ",fn) : 1;
}

/*
After open() said "no such file": 1 if there is none; -1 if fn is a
symbolic link to no file, which stock's control.c reads as no file but
which is a mistake here (the NAT address forgotten). O_NOFOLLOW tells
it where there is one (ELOOP, FreeBSD EMLINK, NetBSD EFTYPE), without
a stat call.
*/
static int nofile(char *fn)
{
#ifdef O_NOFOLLOW
  int fd;

  fd = open(fn,O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  if (fd != -1) { close(fd); return 1; } /* made just now: as if a moment later */
  if (errno == error_noent) return 1;
  if (errno != ELOOP && errno != EMLINK && errno != EFTYPE) return failsys("unable to read ",fn);
#else
  struct stat st;

  if (lstat(fn,&st) == -1) return (errno == error_noent) ? 1 : failsys("unable to read ",fn);
#endif
  return fail("unable to read ",fn,": ","symbolic link to a file that does not exist","");
}

/* no file: an empty list. 1, 0 (out of memory) or -1 (ipme_error()) */
int ipme_readfile(ipme_nets *l,char *fn,int flagmore)
{
  char buf[4096];
  substdio ss;
  int fd;
  int r;

  if ((fd = open(fn,O_RDONLY | O_NONBLOCK)) == -1)
    return (errno == error_noent) ? nofile(fn) : failsys("unable to read ",fn);
  r = 0;
  if (stralloc_ready(&ipme_line,IPME_LINEMAX + 1)) {
    substdio_fdbuf(&ss,read,fd,buf,sizeof buf);
    r = readlines(&ss,l,fn,flagmore);
  }
  close(fd);
  return r;
}

static stralloc ifbuf = {0};

/*
Every interface record into ifbuf. Linux tells the size it needs; where
the kernel does not, the buffer doubles, to 4 MB at most (4 MB more
than the size told, where it is told).
*/
static int ifconf(int s)
{
  struct ifconf ifc;
  unsigned int len;
  unsigned int max;

  len = 8192;
  max = 1 << 22;
  ifc.ifc_buf = 0;
  ifc.ifc_len = 0;
  if (ioctl(s,SIOCGIFCONF,&ifc) >= 0 && ifc.ifc_len > 0 && ifc.ifc_len < 1 << 26) { /* a size past 64 MB is no answer */
    len = ifc.ifc_len + sizeof(struct ifreq) + 65;
    max += len;
  }
  for (;;) {
    if (!stralloc_ready(&ifbuf,len)) return 0;
    ifc.ifc_buf = ifbuf.s;
    ifc.ifc_len = len;
    if (ioctl(s,SIOCGIFCONF,&ifc) >= 0) { /* > is for System V */
      /* what a stupid interface: a full buffer may have been cut short */
      if (ifc.ifc_len >= 0 && (unsigned int) ifc.ifc_len + sizeof(struct ifreq) + 64 < len) { ifbuf.len = ifc.ifc_len; return 1; }
    }
    else if (errno != EINVAL) return -1;
    if (len >= max) { errno = EINVAL; return -1; }
    len = (len > max / 2) ? max : len + len;
  }
}

static int eachiface(int s,int (*take)(struct ip_address *,char *))
{
  struct ifreq r;
  union { struct sockaddr sa; struct sockaddr_in in; } a;
  char name[IFNAMSIZ + 1];
  char *x;
  unsigned int i;
  unsigned int len;
  int up;

  byte_zero(name,sizeof name);
  up = 0;
  for (i = 0;i + IFNAMSIZ + sizeof a <= ifbuf.len;i += len) { /* a fragment at the end is no record */
    x = ifbuf.s + i;
    byte_copy((char *) &a,sizeof a,x + IFNAMSIZ); /* records need not be aligned */
#ifdef HASSALEN
    len = IFNAMSIZ + a.sa.sa_len;
    if (len < sizeof r) len = sizeof r;
#else
    len = sizeof r;
#endif
    if (a.sa.sa_family != AF_INET) continue;
    if (str_diffn(name,x,IFNAMSIZ)) { /* an interface's addresses come together */
      byte_copy(name,IFNAMSIZ,x);
      byte_copy(r.ifr_name,IFNAMSIZ,x);
      up = ioctl(s,SIOCGIFFLAGS,(char *) &r) == 0 && (r.ifr_flags & IFF_UP);
    }
    if (up && !take((struct ip_address *) &a.in.sin_addr,name)) return 0;
  }
  return 1;
}

/* take() is told each address of each interface that is up */
int ipme_ifaces(int (*take)(struct ip_address *ip,char *ifname))
{
  int s;
  int r;

  r = -1;
  if ((s = socket(AF_INET,SOCK_STREAM,0)) != -1)
    if ((r = ifconf(s)) == 1) r = eachiface(s,take);
  if (r == -1) r = failsys("unable to list the network interfaces","");
  if (s != -1) close(s);
  return r;
}

static int takeiface(struct ip_address *ip,char *ifname)
{
  unsigned int n;

  (void) ifname;
  /* room for every record, and 0.0.0.0, at once: ipalloc grows by an eighth, a copy each time */
  n = (unsigned int) (ifbuf.len / sizeof(struct ifreq)) + 1;
  if (!ipalloc_readyplus(&ipme,(n > ipme.len) ? n - ipme.len : 1)) return 0;
  byte_zero((char *) (ipme.ix + ipme.len),sizeof(struct ip_mx));
  ipme.ix[ipme.len++].ip = *ip;
  return 1;
}

/* 127.0.0.0/8, and 0.0.0.0: "this host" (RFC 1122, 3.2.1.3) */
static struct ipme_net builtin[2] = { { { { 127,0,0,0 } },8,0 }, { { { 0,0,0,0 } },32,0 } } ;

/* the built-ins, the interfaces, fnmore and fnnot: 1, 0 (out of memory) or -1 (ipme_error()) */
int ipme_loadfiles(char *fnmore,char *fnnot)
{
  int r;

  loaded = 0;
  why.len = 0;
  ipme.len = 0;
  ipme_more.len = 0;
  ipme_not.len = 0;
  if (!ipme_append(&ipme_more,builtin) || !ipme_append(&ipme_more,builtin + 1)) return 0;
  if (!takeiface(&builtin[1].ip,"")) return 0; /* 0.0.0.0 in ipme too, as netqmail's ipme.c */
  if ((r = ipme_ifaces(takeiface)) != 1) return r;
  if ((r = ipme_readfile(&ipme_more,fnmore,1)) != 1) return r;
  if ((r = ipme_readfile(&ipme_not,fnnot,0)) != 1) return r;
  loaded = 1;
  return 1;
}

/* not cached when it fails: the next call reads the files again */
int ipme_init(void)
{
  if (loaded) return 1;
  return ipme_loadfiles("control/moreipme","control/notipme");
}

/* what made ipme_init or ipme_loop say no, without a period */
char *ipme_error(void)
{
  return why.len ? why.s : "Out of memory";
}

static unsigned long num(struct ip_address *ip)
{
  return ((unsigned long) ip->d[0] << 24) | ((unsigned long) ip->d[1] << 16)
       | ((unsigned long) ip->d[2] << 8) | (unsigned long) ip->d[3];
}

struct ipme_net *ipme_longest(ipme_nets *l,struct ip_address *ip)
{
  struct ipme_net *best;
  unsigned long a;
  unsigned int i;

  a = num(ip);
  best = 0;
  for (i = 0;i < l->len;++i)
    if (((a ^ num(&l->n[i].ip)) & mask(l->n[i].bits)) == 0)
      if (!best || l->n[i].bits > best->bits)
        best = l->n + i;
  return best;
}

static int isiface(struct ip_address *ip)
{
  unsigned int i;

  for (i = 0;i < ipme.len;++i)
    if (byte_equal((char *) &ipme.ix[i].ip,4,(char *) ip)) return 1;
  return 0;
}

/* the longest match decides; an interface address is a /32; notipme wins a tie */
static int decide(struct ip_address *ip)
{
  struct ipme_net *me;
  struct ipme_net *not;
  unsigned int bits;

  bits = 33;
  if (!isiface(ip)) bits = (me = ipme_longest(&ipme_more,ip)) ? me->bits + 1 : 0;
  not = ipme_longest(&ipme_not,ip);
  if (not && not->bits + 1U >= bits) return 0;
  return bits > 0;
}

union sockbuf { struct sockaddr sa; char x[128]; } ;

/* fd's peer's address into *p, zero-padded (BSD may give none): 1; 0 if fd is no connected socket */
static int peer(int fd,union sockbuf *p)
{
  socklen_t len;

  byte_zero(p->x,sizeof *p);
  len = sizeof *p;
  return getpeername(fd,&p->sa,&len) == 0;
}

/*
Once a process, on fd 2: the callers we have never seen get no other
word. Under inetd fd 2 is the client's connection, the same socket as
fd 0: then nothing is said. (qmail-remote never comes here: it stops
when ipme_init fails, and its fd 2 is its report to qmail-rspawn.)
*/
static int unsure(void)
{
  static int said = 0;
  union sockbuf a;
  union sockbuf b;

  if (!said && (!peer(2,&a) || !peer(0,&b) || !byte_equal(a.x,sizeof a,b.x))) {
    substdio_puts(subfderr,"ipme: unable to tell which addresses are mine: ");
    substdio_puts(subfderr,ipme_error());
    substdio_putsflush(subfderr,"\n");
  }
  said = 1;
  return -1;
}

/* for our own callers: 1 me, 0 not me, -1 cannot tell */
int ipme_check(struct ip_address *ip)
{
  if (ipme_init() != 1) return unsure();
  return decide(ip);
}

/* stock's contract, for callers we have never seen: never "me" if unsure */
int ipme_is(struct ip_address *ip)
{
  return ipme_check(ip) == 1;
}

/*
The loop guard, for qmail-remote's smtpcode(), which sees every reply.
Behind NAT our public address may lead back to our own qmail-smtpd:
then its greeting and the reply right after it, to HELO or EHLO, both
start with the name it greets with (control/smtpgreeting's first word,
else control/me). On port 25, unless notipme claims the address, that
is a loop. A name is a hint: the caller defers, and a name we cannot
read guards nothing.
*/

static stralloc myname = {0};

/* 1: myname is the first word of fn; 2: no such file; -1: error */
static int firstword(char *fn)
{
  char buf[256];
  unsigned int i;
  unsigned int j;
  int fd;
  int r;

  if ((fd = open(fn,O_RDONLY | O_NONBLOCK)) == -1) return (errno == error_noent) ? 2 : -1;
  r = read(fd,buf,sizeof buf); /* the first word is in it */
  close(fd);
  if (r == -1) return -1;
  for (i = 0;i < (unsigned int) r && blank(buf[i]);++i) ;
  for (j = i;j < (unsigned int) r && !blank(buf[j]) && buf[j] != '\n';++j) ;
  if (!stralloc_copyb(&myname,buf + i,j - i) || !stralloc_0(&myname)) return -1;
  --myname.len; /* with its \0 after it, for the message */
  return 1;
}

/* 1: myname is the name we greet with, one the guard can trust: dotted, no empty label, not localhost */
static int ourname(void)
{
  unsigned int i;
  int r;

  if ((r = firstword("control/smtpgreeting")) == 2) r = firstword("control/me");
  if (r != 1 || !myname.len) return 0;
  for (i = 0,r = 0;i < myname.len;++i)
    if (myname.s[i] == '.') {
      if (!i || i + 1 == myname.len || myname.s[i - 1] == '.') return 0;
      r = 1;
    }
  return r && (myname.len < 10 || case_diffb(myname.s,10,"localhost."));
}

/* the reply is code, then our name as its first word */
static int named(stralloc *reply,char *code)
{
  unsigned int i;
  char *s;

  s = reply->s;
  if (reply->len < 4 || !byte_equal(s,3,code) || (s[3] != ' ' && s[3] != '-')) return 0;
  for (i = 4;i < reply->len && blank(s[i]);++i) ;
  if (reply->len - i < myname.len || case_diffb(s + i,myname.len,myname.s)) return 0;
  i += myname.len;
  return i == reply->len || blank(s[i]) || s[i] == '\n';
}

/*
1: a loop, said by ipme_error(); 0: go on. greeted lives one reply, and
the first reply of every connection is its greeting, which sets it
afresh: nothing passes from one connection to the next.
*/
int ipme_loop(stralloc *reply,struct ip_address *partner,unsigned long port)
{
  static int greeted = 0; /* the reply before was a 220 with our name, in myname */
  char x[IPFMT + 1];
  int was;

  was = greeted;
  greeted = 0;
  if (port != 25) return 0;
  if (reply->len >= 3 && byte_equal(reply->s,3,"220")) {
    greeted = ourname() && named(reply,"220");
    return 0;
  }
  if (!was || !named(reply,"250")) return 0;
  if (ipme_init() == 1 && !decide(partner) && ipme_longest(&ipme_not,partner)) return 0;
  x[ip_fmt(x,partner)] = 0;
  fail("Connected to ",x," but it greeted me with my own name ",myname.s,
    ": a mail loop. If that address is this host, add it to control/moreipme;"
    " if another host has this name, add its address to control/notipme or give it a name of its own;"
    " if control/smtproutes sends mail there, fix the route");
  return 1;
}

/*
 * Unit tests for moreipme.c (ipme.o), through moreipme.h: ipme_scan,
 * ipme_readfile, ipme_longest, ipme_loadfiles, ipme_init, ipme_is and
 * ipme_check (the built-ins, the interfaces, longest match, notipme's
 * tie), ipme_ifaces (on the real kernel, and on a fake SIOCGIFCONF
 * defined here) and the loop guard ipme_loop. Built against tests/qlib,
 * or against a patched qmail tree (see Makefile); only "moreipme.h"
 * (with the tree's "ipme.h") comes from qmail's side.
 *
 * ipme_init reads "control/" and keeps what it loaded, ipme_check says
 * its trouble once a process, ipme_loop remembers the reply before: so
 * whatever goes through them runs in a child process of its own (the
 * sanitizer run does not fork for each test: CK_FORK=no), in a home
 * with a control directory, on the fake kernel, so that the host's
 * interfaces do not matter. A child never asserts: it says what it got
 * (say()), and the parent judges.
 *
 * Addresses come from the documentation ranges 192.0.2.0/24,
 * 198.51.100.0/24 and 203.0.113.0/24.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64 /* readdir() on a 32-bit target, for cleanup() */
#include <check.h>
#include "failures.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moreipme.h"

extern char *error_str(int e); /* error.h: not every tree's goes with <errno.h> */

static char tmp[] = "/tmp/check_ipme.XXXXXX";

#define FNLEN 512
#define NOBODY 65534
#define N(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* buf = tmp/name, name made as by printf */
static char *mkfn(char *buf,const char *fmt,...)
{
  char name[256];
  va_list ap;

  va_start(ap,fmt);
  vsnprintf(name,sizeof(name),fmt,ap);
  va_end(ap);
  snprintf(buf,FNLEN,"%s/%s",tmp,name);
  return buf;
}

/* the entry n is addr (4 bytes) with bits and line; bits -1: not checked */
#define ENTRY(n,addr,nbits,nline) do { \
  ck_assert_msg(!memcmp((n).ip.d,addr,4),"%s: another address",#n); \
  if ((nbits) != -1) ck_assert_uint_eq((n).bits,(nbits)); \
  ck_assert_uint_eq((n).line,(nline)); } while (0)

/* DIR/moreipme and DIR/notipme, as the tools name them (dir ends with a slash) */
static int loaddir(const char *dir)
{
  char more[FNLEN + 16];
  char not[FNLEN + 16];

  snprintf(more,sizeof more,"%smoreipme",dir);
  snprintf(not,sizeof not,"%snotipme",dir);
  return ipme_loadfiles(more,not);
}

/* 1 if fn now holds len bytes of s; for children, which do not assert */
static int put(const char *fn,const char *s,size_t len)
{
  int fd;
  int ok;

  unlink(fn);
  fd = open(fn,O_WRONLY | O_CREAT | O_TRUNC,0644);
  if (fd == -1) return 0;
  ok = write(fd,s,len) == (ssize_t) len;
  return close(fd) == 0 && ok;
}

static void writefile(const char *fn,const char *s,size_t len)
{
  ck_assert_msg(put(fn,s,len),"cannot write %s",fn);
}

static struct ip_address addr(const char *s)
{
  struct ip_address ip;
  unsigned int a, b, c, d;

  ck_assert_msg(sscanf(s,"%u.%u.%u.%u",&a,&b,&c,&d) == 4,"bad test address %s",s);
  ip.d[0] = a; ip.d[1] = b; ip.d[2] = c; ip.d[3] = d;
  return ip;
}

/* the same, for children: no assertion */
static struct ip_address addrc(const char *s)
{
  struct ip_address ip;
  unsigned int a, b, c, d;

  a = b = c = d = 0;
  if (sscanf(s,"%u.%u.%u.%u",&a,&b,&c,&d) != 4) a = b = c = d = 255;
  ip.d[0] = a; ip.d[1] = b; ip.d[2] = c; ip.d[3] = d;
  return ip;
}

/* ipme_line, printable, for messages */
static const char *line(void)
{
  static char buf[2100];
  unsigned int i;

  for (i = 0;i < ipme_line.len && i < sizeof(buf) - 1;++i)
    buf[i] = (ipme_line.s[i] >= 32 && ipme_line.s[i] < 127) ? ipme_line.s[i] : '?';
  buf[i] = 0;
  return buf;
}

/* dir: a new directory, holding moreipme and notipme unless they are 0 */
static void mkcontrol(char *dir,const char *more,const char *not)
{
  char fn[FNLEN];

  ck_assert_msg(mkdir(dir,0755) == 0,"cannot make %s",dir);
  if (more) { snprintf(fn,sizeof(fn),"%s/moreipme",dir); writefile(fn,more,strlen(more)); }
  if (not) { snprintf(fn,sizeof(fn),"%s/notipme",dir); writefile(fn,not,strlen(not)); }
}

/* home: tmp/name (made as by printf), with control/ holding what is not 0 */
static char *mkhome(char *home,const char *more,const char *not,const char *me,const char *greeting,const char *fmt,...)
{
  char name[256];
  char d[FNLEN];
  char fn[FNLEN];
  va_list ap;

  va_start(ap,fmt);
  vsnprintf(name,sizeof(name),fmt,ap);
  va_end(ap);
  ck_assert_msg(mkdir(mkfn(home,"%s",name),0755) == 0,"cannot make %s",home);
  mkcontrol(mkfn(d,"%s/control",name),more,not);
  if (me) writefile(mkfn(fn,"%s/control/me",name),me,strlen(me));
  if (greeting) writefile(mkfn(fn,"%s/control/smtpgreeting",name),greeting,strlen(greeting));
  return home;
}

/*
 * The fake kernel. ioctl() is defined here, so that ipme.o's calls come
 * here first: SIOCGIFCONF is counted (with the largest buffer asked for)
 * and, unless kmode is K_REAL, answered from a table of records, as
 * SIOCGIFFLAGS is for the table's names. All else goes to the kernel.
 */

#define K_REAL 0 /* the kernel; counted all the same */
#define K_LINUX 1 /* a null buffer is told the size; else the whole records that fit */
#define K_NOSIZE 2 /* a null buffer: EFAULT; else the whole records that fit */
#define K_BSD 3 /* a null buffer: EFAULT; too small for all: EINVAL */
#define K_EINVAL 4 /* EINVAL for ever ("too small", for ever) */
#define K_EIO 5
#define K_HUGE 6 /* as K_LINUX, but a null buffer is told 2 GB */
#define K_NEGLEN 7 /* success, with a length of -1 */

static int kmode = K_REAL;
static unsigned int knrec; /* records in the table */
static void (*krec)(unsigned int i,struct ifreq *r); /* record i */

#define KCALLS 64
static struct {
  unsigned int calls; /* SIOCGIFCONF */
  int null[KCALLS]; /* ... with a null buffer */
  long asked[KCALLS]; /* its ifc_len */
  long told[KCALLS]; /* ifc_len after; -1: failed */
  long maxasked; /* the largest buffer */
  unsigned int flags; /* SIOCGIFFLAGS asked of the fake */
} ks;

static void kernel(int mode,unsigned int n,void (*rec)(unsigned int,struct ifreq *))
{
  memset(&ks,0,sizeof(ks));
  kmode = mode;
  knrec = n;
  krec = rec;
}

/* the flags of the fake's interfaces: -1 none such. Up to a colon, as Linux */
static int kflags(const char *ifname)
{
  char name[IFNAMSIZ + 1];
  char *colon;

  memcpy(name,ifname,IFNAMSIZ);
  name[IFNAMSIZ] = 0;
  if ((colon = strchr(name,':'))) *colon = 0;
  if (!strcmp(name,"up0") || !strcmp(name,"v0") || !strcmp(name,"abcdefghijklmnop")) return IFF_UP | IFF_RUNNING;
  if (!strcmp(name,"down0")) return IFF_BROADCAST;
  return -1;
}

static int fakeconf(struct ifconf *ifc)
{
  struct ifreq r;
  unsigned int n;
  unsigned int i;

  if (kmode == K_EINVAL) { errno = EINVAL; return -1; }
  if (kmode == K_EIO) { errno = EIO; return -1; }
  if (kmode == K_NEGLEN) { ifc->ifc_len = -1; return 0; }
  if (!ifc->ifc_buf) {
    if (kmode != K_LINUX && kmode != K_HUGE) { errno = EFAULT; return -1; }
    ifc->ifc_len = (kmode == K_HUGE) ? 0x7fffff00 : knrec * sizeof(r);
    return 0;
  }
  if (ifc->ifc_len < 0) { errno = EINVAL; return -1; }
  n = ifc->ifc_len / sizeof(r);
  if (n > knrec) n = knrec;
  if (kmode == K_BSD && n < knrec) { errno = EINVAL; return -1; }
  for (i = 0;i < n;++i) {
    memset(&r,0,sizeof(r));
    krec(i,&r);
    memcpy(ifc->ifc_buf + i * sizeof(r),&r,sizeof(r));
  }
  ifc->ifc_len = n * sizeof(r);
  return 0;
}

#ifdef __GLIBC__
int ioctl(int fd,unsigned long req,...)
#else
int ioctl(int fd,int req,...) /* musl */
#endif
{
  struct ifconf *ifc;
  struct ifreq *ifr;
  unsigned int k;
  va_list ap;
  void *arg;
  int r;
  int f;

  va_start(ap,req);
  arg = va_arg(ap,void *);
  va_end(ap);
  if ((unsigned int) req == (unsigned int) SIOCGIFCONF) {
    ifc = (struct ifconf *) arg;
    k = ks.calls++;
    if (k < KCALLS) { ks.null[k] = !ifc->ifc_buf; ks.asked[k] = ifc->ifc_len; }
    if (ifc->ifc_buf && ifc->ifc_len > ks.maxasked) ks.maxasked = ifc->ifc_len;
    r = (kmode == K_REAL) ? (int) syscall(SYS_ioctl,fd,req,arg) : fakeconf(ifc);
    if (k < KCALLS) ks.told[k] = (r == -1) ? -1 : ifc->ifc_len;
    return r;
  }
  if ((unsigned int) req == (unsigned int) SIOCGIFFLAGS && kmode != K_REAL) {
    ifr = (struct ifreq *) arg;
    ++ks.flags;
    if ((f = kflags(ifr->ifr_name)) == -1) { errno = ENXIO; return -1; }
    /* over ifr_addr: a walk that reads the address after this reads nothing */
    memset(&ifr->ifr_ifru,0,sizeof(ifr->ifr_ifru));
    ifr->ifr_flags = f;
    return 0;
  }
  return (int) syscall(SYS_ioctl,fd,req,arg);
}

static void setrec(struct ifreq *r,const char *name,int family,const char *ip)
{
  memcpy(r->ifr_name,name,strlen(name) < IFNAMSIZ ? strlen(name) : IFNAMSIZ);
  r->ifr_addr.sa_family = family;
  if (ip) memcpy(&((struct sockaddr_in *) &r->ifr_addr)->sin_addr,ip,4);
}

/* six records: three addresses of interfaces that are up */
static void rec6(unsigned int i,struct ifreq *r)
{
  switch (i) {
    case 0: setrec(r,"up0",AF_INET,"\300\0\2\115"); break; /* 192.0.2.77 */
    case 1: setrec(r,"up0",AF_INET6,0); break;
    case 2: setrec(r,"down0",AF_INET,"\300\0\2\116"); break; /* 192.0.2.78, down */
    case 3: setrec(r,"gone0",AF_INET,"\300\0\2\117"); break; /* 192.0.2.79, no such interface */
    case 4: setrec(r,"abcdefghijklmnop",AF_INET,"\300\0\2\120"); break; /* IFNAMSIZ bytes, no NUL */
    case 5: setrec(r,"up0:lab",AF_INET,"\300\0\2\121"); break; /* a label */
  }
}
#define REC6 "192.0.2.77 up0,192.0.2.80 abcdefghijklmnop,192.0.2.81 up0:lab,"

/* record i: 10.x.y.z = 10.0.0.0 + i, on v0 */
static void recv0(unsigned int i,struct ifreq *r)
{
  char ip[4];

  ip[0] = 10; ip[1] = i >> 16; ip[2] = i >> 8; ip[3] = i;
  setrec(r,"v0",AF_INET,ip);
}

/* what ipme_ifaces tells take(): "ip name," each, in a buffer */
static char *took;
static unsigned int tooklen;
static unsigned int tookn;
static unsigned int tooklimit; /* take() says out of memory after these; 0: never */
static int tookseq; /* each address must be 10.0.0.0 + its index */

static int take(struct ip_address *ip,char *ifname)
{
  char buf[64];
  unsigned int want;
  int n;

  if (tooklimit && tookn >= tooklimit) return 0;
  if (tookseq) {
    want = tookn;
    if (ip->d[0] != 10 || ip->d[1] != ((want >> 16) & 255) || ip->d[2] != ((want >> 8) & 255) || ip->d[3] != (want & 255)
        || strcmp(ifname,"v0")) tookseq = -1;
    ++tookn;
    return 1;
  }
  ++tookn;
  n = snprintf(buf,sizeof(buf),"%u.%u.%u.%u %s,",ip->d[0],ip->d[1],ip->d[2],ip->d[3],ifname);
  if (n < 0 || (unsigned int) n >= sizeof(buf)) { snprintf(buf,sizeof(buf),"(name too long),"); n = strlen(buf); }
  took = realloc(took,tooklen + n + 1);
  if (!took) abort();
  memcpy(took + tooklen,buf,n + 1);
  tooklen += n;
  return 1;
}

static int ifaces(void)
{
  free(took);
  took = 0;
  tooklen = 0;
  tookn = 0;
  took = malloc(1);
  if (!took) abort();
  *took = 0;
  return ipme_ifaces(take);
}

/*
 * Children. inchild(dir,fn,arg,secs): fn(arg) in a child, in dir, for at
 * most secs seconds; what it say()s in out, its fd 2 in err.
 */

static int sayfd = -1;
static char out[32768];
static char err[8192];
static int status;

static void say(const char *fmt,...)
{
  char buf[4096];
  va_list ap;
  int n;

  va_start(ap,fmt);
  n = vsnprintf(buf,sizeof(buf),fmt,ap);
  va_end(ap);
  if (n > (int) sizeof(buf) - 1) n = sizeof(buf) - 1;
  if (n > 0 && write(sayfd,buf,n) != n) _exit(120);
}

static void readall(int fd,char *buf,size_t size)
{
  size_t len;
  ssize_t r;

  for (len = 0;len < size - 1;len += r)
    if ((r = read(fd,buf + len,size - 1 - len)) <= 0) break;
  buf[len] = 0;
}

static void inchild(const char *dir,void (*fn)(void *),void *arg,unsigned int secs)
{
  char name[FNLEN];
  sigset_t set;
  int po[2];
  int fe;
  pid_t pid;

  snprintf(name,sizeof(name),"%s/stderr",tmp);
  unlink(name);
  fe = open(name,O_RDWR | O_CREAT | O_TRUNC,0600);
  ck_assert(fe != -1);
  ck_assert(pipe(po) == 0);
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  ck_assert(pid != -1);
  if (pid == 0) {
    close(po[0]);
    sayfd = po[1];
    if (dup2(fe,2) == -1) _exit(121);
    /* Check's own child may ignore or block it */
    signal(SIGALRM,SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set,SIGALRM);
    sigprocmask(SIG_UNBLOCK,&set,0);
    alarm(secs);
    if (dir && chdir(dir) == -1) _exit(122);
    fn(arg);
    _exit(0);
  }
  close(po[1]);
  readall(po[0],out,sizeof(out));
  close(po[0]);
  ck_assert(waitpid(pid,&status,0) == pid);
  ck_assert(lseek(fe,0,SEEK_SET) == 0);
  readall(fe,err,sizeof(err));
  close(fe);
}

/* the child ended as it should */
static void childok(void)
{
  ck_assert_msg(!WIFSIGNALED(status) || WTERMSIG(status) != SIGALRM,"the child did not finish in time; it said \"%s\"",out);
  ck_assert_msg(!WIFSIGNALED(status),"the child died of signal %d; it said \"%s\"",WTERMSIG(status),out);
  ck_assert_msg(WEXITSTATUS(status) == 0,"the child exited %d; it said \"%s\"",WEXITSTATUS(status),out);
}

/* in a child: nothing loaded (ipme_loadfiles fails on tmp/forget/), as in a new process */
static void forget(void)
{
  char d[FNLEN];

  snprintf(d,sizeof(d),"%s/forget/",tmp);
  if (loaddir(d) != -1) _exit(123);
}

/* in a child, as root: become nobody. 1: done, or not root; 0: cannot */
static int nobody(void)
{
  if (geteuid() != 0) return 1;
  if (setgroups(0,0) == -1 || setgid(NOBODY) == -1 || setuid(NOBODY) == -1) return 0;
  return geteuid() == NOBODY;
}

/* ---- ipme_scan ---- */

static struct good {
  const char *s;
  unsigned int len; /* 0: strlen */
  unsigned char d[4];
  unsigned int bits;
} good[] = {
  { "192.0.2.1", 0, { 192, 0, 2, 1 }, 32 },
  { "0.0.0.0", 0, { 0, 0, 0, 0 }, 32 },
  { "255.255.255.255", 0, { 255, 255, 255, 255 }, 32 },
  { "198.51.100.0/24", 0, { 198, 51, 100, 0 }, 24 },
  { "0.0.0.0/0", 0, { 0, 0, 0, 0 }, 0 },
  { "203.0.113.5/32", 0, { 203, 0, 113, 5 }, 32 },
  { "128.0.0.0/1", 0, { 128, 0, 0, 0 }, 1 },
  { "10.0.0.0/8", 0, { 10, 0, 0, 0 }, 8 },
  { "198.51.100.0/255.255.255.0", 0, { 198, 51, 100, 0 }, 24 },
  { "0.0.0.0/0.0.0.0", 0, { 0, 0, 0, 0 }, 0 },
  { "192.0.2.1/255.255.255.255", 0, { 192, 0, 2, 1 }, 32 },
  { "10.1.2.3/255.128.0.0", 0, { 10, 1, 2, 3 }, 9 },
  { "192.0.2.0/255.255.255.254", 0, { 192, 0, 2, 0 }, 31 },
  { "203.0.113.77/24", 0, { 203, 0, 113, 77 }, 24 }, /* host bits kept */
  { "203.0.113.77/255.255.255.0", 0, { 203, 0, 113, 77 }, 24 },
  { "192.0.2.1/24 and more", 12, { 192, 0, 2, 1 }, 24 }, /* len, not the NUL */
  /* as moreipme 0.6 and ip_scan: leading zeros are decimal */
  { "010.0.0.1", 0, { 10, 0, 0, 1 }, 32 },
  { "203.0.113.05", 0, { 203, 0, 113, 5 }, 32 },
  { "192.0.002.0/255.255.255.000", 0, { 192, 0, 2, 0 }, 24 },
  { "192.0.2.1/08", 0, { 192, 0, 2, 1 }, 8 },
  { "192.0.2.1/00", 0, { 192, 0, 2, 1 }, 0 },
  { "0000000000192.0.2.1", 0, { 192, 0, 2, 1 }, 32 },
  /* blanks, CRs and comments around an entry */
  { "  192.0.2.1  ", 0, { 192, 0, 2, 1 }, 32 },
  { "\t198.51.100.0/24 \r", 0, { 198, 51, 100, 0 }, 24 },
  { "192.0.2.1\r", 0, { 192, 0, 2, 1 }, 32 },
  { "192.0.2.5 # mail host", 0, { 192, 0, 2, 5 }, 32 },
  { "192.0.2.0/255.255.255.0\t# office", 0, { 192, 0, 2, 0 }, 24 },
  { "192.0.2.5\t#\r", 0, { 192, 0, 2, 5 }, 32 },
  { "192.0.2.5 ## x # y", 0, { 192, 0, 2, 5 }, 32 },
} ;

START_TEST(test_scan_good)
{
  struct good *g = &good[_i];
  struct ipme_net n;
  char *why = 0;
  int r;

  memset(&n,0x55,sizeof(n));
  r = ipme_scan(&n,(char *) g->s,g->len ? g->len : strlen(g->s),&why);
  ck_assert_msg(r == 1,"\"%s\": %d, not 1 (%s)",g->s,r,r == -1 && why ? why : "");
  ck_assert_msg(!memcmp(n.ip.d,g->d,4),"\"%s\": address %u.%u.%u.%u",g->s,n.ip.d[0],n.ip.d[1],n.ip.d[2],n.ip.d[3]);
  ck_assert_msg(n.bits == g->bits,"\"%s\": /%u, not /%u",g->s,n.bits,g->bits);
}
END_TEST

/* nothing for the daemons: empty, blank, a comment, or written as IPv6 */
static const char *nothing[] = {
  "", " ", "\t \r", "\r", "#", "# 192.0.2.1", "  # x", "\t#192.0.2.300", "#\r",
  "::1", "::", "2001:db8::1", "2001:DB8::/32", "fe80::/10", "::ffff:192.0.2.1",
  "::ffff:192.0.2.1/128", "1:2:3:4:5:6:7:8", "2001:0db8:0000:0000:0000:0000:0000:0001",
  "2001:db8::/129", "2001:db8::1 # v6", "  2001:db8::1\r", "::/0",
} ;

START_TEST(test_scan_nothing)
{
  struct ipme_net n;
  char *why = 0;
  int r;

  r = ipme_scan(&n,(char *) nothing[_i],strlen(nothing[_i]),&why);
  ck_assert_msg(r == 0,"\"%s\": %d, not 0 (%s)",nothing[_i],r,r == -1 && why ? why : "");
}
END_TEST

/* every reason ipme_scan gives; 0: -1 for any reason */
#define PORT "a port is not part of an entry"
#define NOTADDR "not an address"
#define OVER "octet over 255"
#define BADMASK "bad mask"
#define BADV6 "bad IPv6 address"
#define JUNK "junk after entry"
#define LONG "line too long"
#define SHORT "network shorter than /8 (most of the Internet would be me)"

static struct bad {
  const char *s;
  unsigned int len; /* 0: strlen */
  const char *why;
} bad[] = {
  { "/24", 0, NOTADDR },
  { "abc", 0, NOTADDR },
  { "localhost", 0, NOTADDR },
  { "192.0.2.x", 0, NOTADDR },
  { "-1.2.3.4", 0, NOTADDR },
  { "+192.0.2.1", 0, NOTADDR },
  { "0x7f.0.0.1", 0, NOTADDR },
  { "192.0.2.1#x", 0, NOTADDR },
  { "[192.0.2.1]", 0, NOTADDR },
  { "192..2.1", 0, NOTADDR },
  { ".192.0.2", 0, NOTADDR },
  { "192.0.2.1.", 0, NOTADDR },
  { "192.0.2.1.5", 0, NOTADDR },
  { "192.0.2", 0, NOTADDR },
  { "192", 0, NOTADDR },
  { "3221225985", 0, OVER },
  { "192.0.2.1\0", 10, NOTADDR },
  { "192.0.2.256", 0, OVER },
  { "192.0.2.300", 0, OVER },
  { "256.0.0.1", 0, OVER },
  { "192.0.2.99999999999999999999", 0, OVER },
  { "192.0.2.1/", 0, BADMASK },
  { "192.0.2.1/x", 0, BADMASK },
  { "192.0.2.1/-1", 0, BADMASK },
  { "192.0.2.1/24/8", 0, BADMASK },
  { "192.0.2.1/255.255.x.0", 0, BADMASK },
  { "192.0.2.1/33", 0, BADMASK },
  { "192.0.2.1/100", 0, BADMASK },
  { "192.0.2.1/99999999999", 0, BADMASK },
  { "192.0.2.1/255.0.255.0", 0, BADMASK },
  { "192.0.2.1/0.255.255.255", 0, BADMASK },
  { "192.0.2.1/255.255.255.1", 0, BADMASK },
  { "192.0.2.1/255.255.256.0", 0, BADMASK },
  { "192.0.2.1/255.255.255", 0, BADMASK },
  /* a colon: an address with a port, or not written as IPv6 */
  { "192.0.2.1:25", 0, PORT },
  { "192.0.2.1:25 # smtp", 0, PORT },
  { "192.0.2.1/24:25", 0, PORT },
  { "1:2", 0, BADV6 },
  { ":", 0, BADV6 },
  { "::g", 0, BADV6 },
  { "[::1]", 0, BADV6 },
  { "::1/x", 0, BADV6 },
  { "fe80::1%eth0", 0, BADV6 },
  /* after the entry */
  { "192.0.2.1 x", 0, JUNK },
  { "192.0.2.1 5", 0, JUNK },
  { "  192.0.2.1 5  ", 0, JUNK },
  { "192.0.2.5 x # y", 0, JUNK },
  { "192.0.2.1/24 mail host", 0, JUNK },
  { "2001:db8::1 x", 0, JUNK },
  { "2001:db8::/33 x", 0, JUNK },
} ;

START_TEST(test_scan_bad)
{
  struct bad *b = &bad[_i];
  struct ipme_net n;
  char *why = 0;
  int r;

  r = ipme_scan(&n,(char *) b->s,b->len ? b->len : strlen(b->s),&why);
  ck_assert_msg(r == -1,"\"%s\": %d, not -1",b->s,r);
  ck_assert_msg(why != 0,"\"%s\": no reason",b->s);
  if (b->why) ck_assert_msg(!strcmp(why,b->why),"\"%s\": \"%s\", not \"%s\"",b->s,why,b->why);
}
END_TEST

/*
What is written as IPv6 (design notes and issue 19): hex digits, two
colons or more, perhaps a dotted tail and a /N. Dots before a colon are
an IPv4 address with something after it; a slash without its number, or
two, is not IPv6 either: all these are mistakes to report, not lines to
ignore.
*/
static const char *notipv6[] = {
  "192.0.2.1::25", "1.2.3.4::", "::ffff:192.0.2.1:25", "::1/", "::1/64/2", "2001:db8::/32/", "1.2::3",
} ;

START_TEST(test_scan_ipv6_shape)
{
  struct ipme_net n;
  char *why = 0;
  int r;

  r = ipme_scan(&n,(char *) notipv6[_i],strlen(notipv6[_i]),&why);
  ck_assert_msg(r == -1,"\"%s\": %d, not -1: it is not written as IPv6, and was ignored",notipv6[_i],r);
}
END_TEST

/* ipme_scan reads len bytes, and not the ones after */
START_TEST(test_scan_len)
{
  static struct { const char *s; unsigned int len; int r; } t[] = {
    { "192.0.2.1/24:25", 12, 1 },
    { "192.0.2.1 x", 9, 1 },
    { "192.0.2.1/2x", 11, 1 },
    { "2001:db8::1.2", 11, 0 },
    { "#x", 0, 0 },
  } ;
  struct ipme_net n;
  char *why;
  int r;
  int i;

  for (i = 0;i < N(t);++i) {
    r = ipme_scan(&n,(char *) t[i].s,t[i].len,&why);
    ck_assert_msg(r == t[i].r,"\"%.*s\" (then \"%s\"): %d, not %d",(int) t[i].len,t[i].s,t[i].s + t[i].len,r,t[i].r);
  }
}
END_TEST

/* ... nor past the end of memory: a line that ends at an unmapped page */
static char *edge;
static long pagesize;

static void scanedge(void *arg)
{
  struct ipme_net n;
  char *why;
  const char *s = arg;
  unsigned int len = strlen(s);

  memcpy(edge + pagesize - len,s,len);
  say("%d",ipme_scan(&n,edge + pagesize - len,len,&why));
}

START_TEST(test_scan_edge)
{
  static const char *s[] = { "192.0.2.1", "192.0.2.1 ", "# x", "::1", "192.0.2.1:25", "192.0.2.0/24", "192.0.2.0/255.255.255.0",
    "::1/64", "::ffff:192.0.2.1", "192.0.2.1 # x", "192.0.2.1 x", "192.0.2.1\r", "192", "1.2.3.4/", "1.2.3.4." } ;
  static const char *want[] = { "1", "1", "0", "0", "-1", "1", "1", "0", "0", "1", "-1", "1", "-1", "-1", "-1" } ;
  int i;

  pagesize = sysconf(_SC_PAGESIZE);
  edge = mmap(0,2 * pagesize,PROT_READ | PROT_WRITE,MAP_PRIVATE | MAP_ANONYMOUS,-1,0);
  ck_assert(edge != MAP_FAILED);
  ck_assert(mprotect(edge + pagesize,pagesize,PROT_NONE) == 0);
  for (i = 0;i < N(s);++i) {
    inchild(0,scanedge,(void *) s[i],10);
    ck_assert_msg(WIFEXITED(status) && !WEXITSTATUS(status),
      "\"%s\" at the end of a page: ipme_scan did not return (status %d: it read past the line) %.200s",s[i],status,err);
    ck_assert_msg(!strcmp(out,want[i]),"\"%s\": %s, not %s",s[i],out,want[i]);
  }
  munmap(edge,2 * pagesize);
}
END_TEST

/* ---- ipme_readfile ---- */

static ipme_nets list;

static struct rf {
  const char *text;
  unsigned int len; /* 0: strlen */
  int flagmore;
  int r;
  unsigned int n; /* entries read, if r is 1 */
  unsigned int line; /* of the last entry */
  const char *err; /* after "FILE ", if r is -1 */
  const char *bad; /* ipme_line then; 0: not checked */
} rf[] = {
  { "", 0, 1, 1, 0, 0, 0, 0 },
  { "# a comment\n#\n#192.0.2.1\n", 0, 1, 1, 0, 0, 0, 0 },
  { "\n \n\t\n \t \r\n\r\n", 0, 1, 1, 0, 0, 0, 0 },
  { "192.0.2.1\n", 0, 1, 1, 1, 1, 0, 0 },
  { "192.0.2.1", 0, 1, 1, 1, 1, 0, 0 },
  { "192.0.2.1\r\n198.51.100.0/24\r\n", 0, 1, 1, 2, 2, 0, 0 },
  { " \t192.0.2.1 \t\n", 0, 1, 1, 1, 1, 0, 0 },
  { "# x\n192.0.2.1\n\n198.51.100.0/24", 0, 0, 1, 2, 4, 0, 0 },
  { "  # indented comment\n\t#\n203.0.113.0/255.255.255.0\n", 0, 1, 1, 1, 3, 0, 0 },
  { "192.0.2.1\n192.0.2.1\n", 0, 1, 1, 2, 2, 0, 0 },
  { "192.0.2.5 # mail host\n192.0.2.0/255.255.255.0\t# office\n", 0, 1, 1, 2, 2, 0, 0 },
  { "192.0.2.5\t#\r\n", 0, 1, 1, 1, 1, 0, 0 },
  /* IPv6 lines: accepted, and no entry */
  { "192.0.2.1\n::1\n2001:db8::/32 # v6\n::ffff:192.0.2.7\n", 0, 1, 1, 1, 1, 0, 0 },
  { "2001:db8::1\n2001:db8::5\n", 0, 0, 1, 0, 0, 0, 0 },
  /* a byte order mark on line 1 */
  { "\357\273\277192.0.2.1\n", 0, 1, 1, 1, 1, 0, 0 },
  { "\357\273\277# saved by an editor\n192.0.2.1\n", 0, 1, 1, 1, 2, 0, 0 },
  { "\357\273\277\r\n192.0.2.1\r\n", 0, 1, 1, 1, 2, 0, 0 },
  { "192.0.2.1\n\357\273\277192.0.2.2\n", 0, 1, -1, 0, 0, "line 2: " NOTADDR, "\357\273\277192.0.2.2" },
  { "\357\273\277x\n", 0, 1, -1, 0, 0, "line 1: " NOTADDR, "x" },
  /* errors: the first bad line, its number, its reason; ipme_line holds it */
  { "bogus\n", 0, 1, -1, 0, 0, "line 1: " NOTADDR, "bogus" },
  { "# c\n\n  \n192.0.2.1\n192.0.2.300\n", 0, 1, -1, 0, 0, "line 5: " OVER, "192.0.2.300" },
  { "  192.0.2.1 5  \n", 0, 0, -1, 0, 0, "line 1: " JUNK, "192.0.2.1 5  " }, /* from its first non-blank byte */
  { "192.0.2.1/33\r\n", 0, 1, -1, 0, 0, "line 1: " BADMASK, "192.0.2.1/33\r" },
  { "192.0.2.1\n2001:db8::/33 x", 0, 1, -1, 0, 0, "line 2: " JUNK, "2001:db8::/33 x" },
  { "192.0.2.5 x # y\n", 0, 0, -1, 0, 0, "line 1: " JUNK, 0 },
  { "192.0.2.1\0\n", 11, 1, -1, 0, 0, "line 1: " NOTADDR, 0 },
  { "bad\nworse\n", 0, 1, -1, 0, 0, "line 1: " NOTADDR, "bad" },
  { "1#2\n", 0, 0, -1, 0, 0, "line 1: " NOTADDR, 0 },
  { "\r\n\r\n192.0.2.1/\r\n", 0, 1, -1, 0, 0, "line 3: " BADMASK, "192.0.2.1/\r" },
  { "192.0.2.1\n192.0.2.1:25\n", 0, 1, -1, 0, 0, "line 2: " PORT, "192.0.2.1:25" },
  { "192.0.2.1:25 # smtp\n", 0, 0, -1, 0, 0, "line 1: " PORT, 0 },
  /* moreipme: nothing shorter than /8; notipme: anything */
  { "# x\n203.0.113.5/7\n", 0, 1, -1, 0, 0, "line 2: " SHORT, "203.0.113.5/7" },
  { "0.0.0.0/0\n", 0, 1, -1, 0, 0, "line 1: " SHORT, 0 },
  { "10.0.0.0/255.254.0.0\n10.0.0.0/254.0.0.0\n", 0, 1, -1, 0, 0, "line 2: " SHORT, 0 },
  { "10.0.0.0/8\n", 0, 1, 1, 1, 1, 0, 0 },
  { "0.0.0.0/0\n128.0.0.0/1\n", 0, 0, 1, 2, 2, 0, 0 },
} ;

static char wbuf[4096];
static char obuf[32768];

/* ipme_error(), with the temporary directory as TMP: messages the same from run to run */
static char *errtext(void)
{
  static char buf[4096];
  char *t;
  size_t n = strlen(tmp);

  snprintf(buf,sizeof(buf),"%s",ipme_error());
  while ((t = strstr(buf,tmp))) {
    memcpy(t,"TMP",3);
    memmove(t + 3,t + n,strlen(t + n) + 1);
  }
  return buf;
}

/* the same with tmp/ written as TMP/ */
static char *notmp(char *buf,size_t size,const char *fmt,...)
{
  va_list ap;
  char *t;
  size_t n = strlen(tmp);

  va_start(ap,fmt);
  vsnprintf(buf,size,fmt,ap);
  va_end(ap);
  while ((t = strstr(buf,tmp))) {
    memcpy(t,"TMP",3);
    memmove(t + 3,t + n,strlen(t + n) + 1);
  }
  return buf;
}

START_TEST(test_readfile)
{
  struct rf *t = &rf[_i];
  char fn[FNLEN];
  char want[1024];
  int r;

  mkfn(fn,"rf%d",_i);
  writefile(fn,t->text,t->len ? t->len : strlen(t->text));
  list.len = 0;
  r = ipme_readfile(&list,fn,t->flagmore);
  ck_assert_msg(r == t->r,"case %d: %d, not %d (%s)",_i,r,t->r,r == -1 ? errtext() : "");
  if (r == 1) {
    ck_assert_msg(list.len == t->n,"case %d: %u entries, not %u",_i,list.len,t->n);
    if (t->n) ck_assert_msg(list.n[t->n - 1].line == t->line,"case %d: the last entry on line %u, not %u",
      _i,list.n[t->n - 1].line,t->line);
    return;
  }
  snprintf(want,sizeof(want),"%s %s",fn,t->err);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
  if (t->bad)
    ck_assert_msg(ipme_line.len == strlen(t->bad) && !memcmp(ipme_line.s,t->bad,ipme_line.len),
      "case %d: ipme_line is \"%s\"",_i,line());
}
END_TEST

/* the entries themselves, and their lines */
START_TEST(test_readfile_entries)
{
  static const char *text = "\357\273\277# x\r\n10.1.2.3/255.128.0.0\r\n\n  203.0.113.77/24 # net\n192.0.2.1\n";
  char fn[FNLEN];

  writefile(mkfn(fn,"entries"),text,strlen(text));
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,1),1);
  ck_assert_uint_eq(list.len,3);
  ENTRY(list.n[0],"\12\1\2\3",9,2);
  ENTRY(list.n[1],"\313\0\161\115",24,4);
  ENTRY(list.n[2],"\300\0\2\1",32,5);
}
END_TEST

/* lines by their length, in a file; ipme_line keeps enough of a long one to show it */
static struct rflong {
  const char *head; /* then x up to len, then tail, then \n */
  unsigned int len;
  const char *tail;
  int r;
  unsigned int n;
} rflong[] = {
  { "192.0.2.1 #", 1024, "", 1, 1 },
  { "192.0.2.1 #", 1025, "", -1, 0 },
  { "192.0.2.1 #", 1024, "\r", 1, 1 },
  { "192.0.2.1 #", 1025, "\r", -1, 0 },
  { "192.0.2.1 #", 1023, "\r\r", 1, 1 }, /* the \r of the CRLF is the last */
  { "192.0.2.1 #", 1024, "\r\r", -1, 0 },
  { "192.0.2.1 #", 1024, "\rx", -1, 0 },
  { "192.0.2.1", 3000, "", -1, 0 },
  { "x", 5000, "", -1, 0 },
  { "# ", 9000, "\n192.0.2.1", 1, 1 },
  { "192.0.2.1 # ", 9000, "", -1, 0 },
} ;

START_TEST(test_readfile_long)
{
  struct rflong *t = &rflong[_i];
  unsigned int hl = strlen(t->head);
  unsigned int tl = strlen(t->tail);
  unsigned int len = t->len + tl + 1;
  char fn[FNLEN];
  char want[1024];
  char *s;
  int r;

  s = malloc(len);
  ck_assert(s != 0);
  memcpy(s,t->head,hl);
  memset(s + hl,'x',t->len - hl);
  memcpy(s + t->len,t->tail,tl);
  s[len - 1] = '\n';
  writefile(mkfn(fn,"long%d",_i),s,len);
  list.len = 0;
  r = ipme_readfile(&list,fn,1);
  if (r == -1) {
    snprintf(want,sizeof(want),"%s line 1: " LONG,fn);
    ck_assert_msg(!strcmp(ipme_error(),want),"case %d: \"%s\", not \"%s\"",_i,errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
    ck_assert_msg(ipme_line.len >= 80 && ipme_line.len <= len && !memcmp(ipme_line.s,s,ipme_line.len),
      "case %d: ipme_line (%u bytes) is not the start of the line, enough of it to show",_i,ipme_line.len);
  }
  free(s);
  ck_assert_msg(r == t->r,"case %d: %d, not %d (%s)",_i,r,t->r,r == -1 ? errtext() : "");
  if (r == 1) ck_assert_uint_eq(list.len,t->n);
}
END_TEST

/*
Leading blanks do not count: 1100 of them and an entry is the entry,
and a line of blanks alone is empty, however long; 1015 blanks between
an entry and the CR of its CRLF are no more than 1024 bytes.
*/
static struct longblanks {
  unsigned int at; /* where text goes, after blanks */
  const char *text;
  unsigned int len; /* of the line, \n aside */
  int r;
  unsigned int n;
} longblanks[] = {
  { 1100, "192.0.2.1", 1109, 1, 1 },
  { 1100, "# comment", 1109, 1, 0 },
  { 0, "", 2000, 1, 0 },
  { 0, "", 1025, 1, 0 },
  { 0, "192.0.2.1", 1025, 1, 1 }, /* 1015 blanks, and a CR */
  { 0, "192.0.2.1", 1026, -1, 0 },
} ;

START_TEST(test_readfile_long_blanks)
{
  struct longblanks *t = &longblanks[_i];
  char fn[FNLEN];
  char want[1024];
  char s[2100];
  int r;

  memset(s,' ',sizeof(s));
  memcpy(s + t->at,t->text,strlen(t->text));
  if (!t->at && *t->text) s[t->len - 1] = '\r';
  s[t->len] = '\n';
  memcpy(s + t->len + 1,"192.0.2.2\n",10);
  writefile(mkfn(fn,"longblanks%d",_i),s,t->len + 11);
  list.len = 0;
  r = ipme_readfile(&list,fn,1);
  ck_assert_msg(r == t->r,"case %d: %d, not %d, with %u entries (%s)",_i,r,t->r,list.len,r == -1 ? errtext() : "");
  if (r == 1) {
    ck_assert_uint_eq(list.len,t->n + 1);
    ck_assert_uint_eq(list.n[t->n].line,2);
    return;
  }
  snprintf(want,sizeof(want),"%s line 1: " LONG,fn);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
}
END_TEST

/*
Lines across the reader's 4096-byte buffer: blanks are dropped only
at the start of a line, never at the start of a buffer (a comment of
4086 bytes puts the next line across the edge), and leading blanks
that fill a buffer and more are still no line of their own.
*/
START_TEST(test_readfile_buffers)
{
  char fn[FNLEN];
  char s[12000];
  unsigned int len;

  memset(s,'#',4086);
  s[4086] = '\n';
  len = 4087 + sprintf(s + 4087,"192.0.2.1 # mail host\n");
  writefile(mkfn(fn,"edge"),s,len);
  list.len = 0;
  ck_assert_msg(ipme_readfile(&list,fn,1) == 1,"a line across the buffer's edge: %s",errtext());
  ck_assert_uint_eq(list.len,1);
  ENTRY(list.n[0],"\300\0\2\1",32,2);
  memset(s,' ',9000);
  len = 9000 + sprintf(s + 9000,"192.0.2.2 #\n\t192.0.2.3\n");
  writefile(fn,s,len);
  list.len = 0;
  ck_assert_msg(ipme_readfile(&list,fn,1) == 1,"9000 blanks, then an entry: %s",errtext());
  ck_assert_uint_eq(list.len,2);
  ENTRY(list.n[0],"\300\0\2\2",32,1);
  ENTRY(list.n[1],"\300\0\2\3",32,2);
}
END_TEST

/* a byte order mark does not count, and does not hide the end of a long line 1 */
START_TEST(test_readfile_long_bom)
{
  char fn[FNLEN];
  char want[1024];
  char s[1200];
  int r;

  memcpy(s,"\357\273\277192.0.2.1 #",14);
  memset(s + 14,'x',1013);
  s[1027] = '\n';
  writefile(mkfn(fn,"longbom"),s,1028); /* 1024 bytes after the mark */
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,1),1);
  ck_assert_uint_eq(list.len,1);
  memset(s + 14,'x',1014);
  s[1028] = '\n';
  writefile(fn,s,1029); /* 1025 */
  list.len = 0;
  r = ipme_readfile(&list,fn,1);
  ck_assert_msg(r == -1,"a mark and 1025 bytes: %d, not -1, with %u entries",r,list.len);
  snprintf(want,sizeof(want),"%s line 1: " LONG,fn);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
  memset(s + 3,' ',1100);
  memcpy(s + 3,"192.0.2.1",9);
  memcpy(s + 3 + 1023,"junk\n",5);
  writefile(fn,s,3 + 1023 + 5); /* an entry, blanks, and junk past 1024 bytes */
  list.len = 0;
  r = ipme_readfile(&list,fn,1);
  ck_assert_msg(r == -1,"a mark, 192.0.2.1, 1014 blanks and junk: %d, not -1, with %u entries: the junk was not read",
    r,list.len);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
}
END_TEST

/* a big file: line numbers across the reader's buffer */
START_TEST(test_readfile_big)
{
  char fn[FNLEN];
  char *text;
  unsigned int len;
  unsigned int i;

  text = malloc(200000);
  ck_assert(text != 0);
  memset(text,'#',3000);
  len = 3000;
  text[len++] = '\n';
  for (i = 0;i < 5000;++i)
    len += sprintf(text + len,"%s10.%u.%u.%u%s\n",(i % 7) ? "" : "  ",i / 65536,(i / 256) % 256,i % 256,(i % 3) ? "" : "\r");
  memcpy(text + len,"# ",2);
  memset(text + len + 2,'x',9000);
  len += 9002;
  text[len++] = '\n';
  len += sprintf(text + len,"192.0.2.1");
  writefile(mkfn(fn,"big"),text,len);
  free(text);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,1),1);
  ck_assert_uint_eq(list.len,5001);
  ck_assert_uint_eq(list.n[4999].line,5001);
  ck_assert(!memcmp(list.n[4999].ip.d,"\12\0\23\207",4));
  ck_assert_uint_eq(list.n[5000].line,5003);
}
END_TEST

static void unreadable(char *fn,int e)
{
  char want[1024];

  snprintf(want,sizeof(want),"unable to read %s: %s",fn,error_str(e));
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,1),-1);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
}

START_TEST(test_readfile_missing)
{
  char fn[FNLEN];

  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,mkfn(fn,"nosuchfile"),1),1);
  ck_assert_uint_eq(list.len,0);
  ck_assert_int_eq(ipme_readfile(&list,mkfn(fn,"nosuchdir/moreipme"),0),1);
  ck_assert_uint_eq(list.len,0);
}
END_TEST

/* a dangling link is a mistake, not a missing file; a good link is followed */
START_TEST(test_readfile_links)
{
  char fn[FNLEN];
  char target[FNLEN];
  char want[1024];

  ck_assert(symlink("/nonexistent/moreipme",mkfn(fn,"dangling")) == 0);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,0),-1);
  snprintf(want,sizeof(want),"unable to read %s: symbolic link to a file that does not exist",fn);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
  writefile(mkfn(target,"linked"),"192.0.2.1\n",10);
  ck_assert(symlink(target,mkfn(fn,"link")) == 0);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,1),1);
  ck_assert_uint_eq(list.len,1);
}
END_TEST

/* a directory opens, and read() says EISDIR */
START_TEST(test_readfile_dir)
{
  char fn[FNLEN];

  ck_assert(mkdir(mkfn(fn,"adir"),0755) == 0);
  unreadable(fn,EISDIR);
}
END_TEST

START_TEST(test_readfile_notdir)
{
  char fn[FNLEN];

  writefile(mkfn(fn,"plain"),"192.0.2.1\n",10);
  unreadable(mkfn(fn,"plain/moreipme"),ENOTDIR);
}
END_TEST

/* a file its reader may not read: as nobody, when root runs the tests */
static void readasnobody(void *fn)
{
  int r;

  if (!nobody()) { say("cannot become nobody"); return; }
  list.len = 0;
  r = ipme_readfile(&list,fn,1);
  say("%d %u %s",r,list.len,r == -1 ? ipme_error() : "");
}

START_TEST(test_readfile_unreadable)
{
  char fn[FNLEN];
  char want[1024];

  writefile(mkfn(fn,"mode000"),"192.0.2.1\n",10);
  ck_assert(chmod(fn,0) == 0);
  inchild(0,readasnobody,fn,10);
  childok();
  if (!strcmp(out,"cannot become nobody")) {
    fprintf(stderr,"check_ipme: SKIP test_readfile_unreadable: root, and cannot become uid %d\n",NOBODY);
    return;
  }
  snprintf(want,sizeof(want),"-1 0 unable to read %s: %s",fn,error_str(EACCES));
  ck_assert_msg(!strcmp(out,want),"\"%s\", not \"%s\"",notmp(obuf,sizeof(obuf),"%s",out),notmp(wbuf,sizeof(wbuf),"%s",want));
}
END_TEST

/* /dev/zero: no line ends there; the reader must not wait for one */
static void readzero(void *fn)
{
  list.len = 0;
  say("%d",ipme_readfile(&list,fn,1));
}

START_TEST(test_readfile_zero)
{
  char fn[FNLEN];

  if (access("/dev/zero",R_OK) == -1) return;
  ck_assert(symlink("/dev/zero",mkfn(fn,"zero")) == 0);
  inchild(0,readzero,fn,2);
  ck_assert_msg(!WIFSIGNALED(status) || WTERMSIG(status) != SIGALRM,
    "ipme_readfile on a link to /dev/zero did not return in 2 seconds");
  childok();
  ck_assert_str_eq(out,"-1");
}
END_TEST

/* ---- ipme_longest ---- */

static struct longest {
  const char *text;
  const char *ip;
  unsigned int line; /* of the entry found; 0: none */
  unsigned int bits;
} longest[] = {
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.70", 2, 26 },
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.30", 3, 25 },
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.200", 1, 24 },
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "198.51.100.1", 0, 0 },
  /* equal lengths: the first line */
  { "192.0.2.0/24\n192.0.2.7/24\n", "192.0.2.9", 1, 24 },
  { "192.0.2.7/24\n192.0.2.0/255.255.255.0\n", "192.0.2.9", 1, 24 },
  { "0.0.0.0/0\n192.0.2.240/28\n192.0.2.0/24\n", "192.0.2.243", 2, 28 },
  { "0.0.0.0/0\n192.0.2.240/28\n192.0.2.0/24\n", "10.0.0.1", 1, 0 },
  { "0.0.0.0/0\n192.0.2.240/28\n192.0.2.0/24\n", "255.255.255.255", 1, 0 },
  /* the edges of a network; host bits in an entry do not matter */
  { "198.51.100.64/26\n", "198.51.100.63", 0, 0 },
  { "198.51.100.64/26\n", "198.51.100.64", 1, 26 },
  { "198.51.100.64/26\n", "198.51.100.127", 1, 26 },
  { "198.51.100.64/26\n", "198.51.100.128", 0, 0 },
  { "203.0.113.77/24\n", "203.0.113.0", 1, 24 },
  { "203.0.113.77/24\n", "203.0.112.255", 0, 0 },
  { "128.0.0.0/1\n", "200.1.1.1", 1, 1 },
  { "128.0.0.0/1\n", "127.255.255.255", 0, 0 },
  { "192.0.2.77/255.255.255.254\n", "192.0.2.76", 1, 31 },
  { "192.0.2.77/255.255.255.254\n", "192.0.2.78", 0, 0 },
  { "192.0.2.1\n", "192.0.2.1", 1, 32 },
  { "192.0.2.1\n", "192.0.2.0", 0, 0 },
  { "# none\n", "192.0.2.1", 0, 0 },
} ;

START_TEST(test_longest)
{
  struct longest *t = &longest[_i];
  struct ip_address ip = addr(t->ip);
  struct ipme_net *m;
  char fn[FNLEN];

  writefile(mkfn(fn,"longest%d",_i),t->text,strlen(t->text));
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,fn,0),1);
  m = ipme_longest(&list,&ip);
  if (!t->line) {
    ck_assert_msg(!m,"case %d: %s found line %u",_i,t->ip,m ? m->line : 0);
    return;
  }
  ck_assert_msg(m != 0,"case %d: %s found nothing",_i,t->ip);
  ck_assert_msg(m->line == t->line && m->bits == t->bits,"case %d: %s found line %u /%u, not line %u /%u",
    _i,t->ip,m->line,m->bits,t->line,t->bits);
}
END_TEST

/* ---- ipme_loadfiles ---- */

START_TEST(test_load)
{
  char d[FNLEN];
  char d2[FNLEN];
  int r;

  kernel(K_LINUX,6,rec6);
  mkcontrol(mkfn(d,"load"),"192.0.2.1\n# x\n198.51.100.0/24\n","\n203.0.113.0/25\n");
  strcat(d,"/");
  mkcontrol(mkfn(d2,"load2"),"10.0.0.0/8\n",0);
  strcat(d2,"/");
  r = loaddir(d);
  kmode = K_REAL;
  ck_assert_msg(r == 1,"ipme_loadfiles: %d (%s)",r,errtext());
  /* the built-ins first, line 0 */
  ck_assert_uint_eq(ipme_more.len,4);
  ENTRY(ipme_more.n[0],"\177\0\0\0",8,0);
  ENTRY(ipme_more.n[1],"\0\0\0\0",32,0);
  ENTRY(ipme_more.n[2],"\300\0\2\1",-1,1);
  ENTRY(ipme_more.n[3],"\306\63\144\0",24,3);
  ck_assert_uint_eq(ipme_not.len,1);
  ck_assert_uint_eq(ipme_not.n[0].line,2);
  ck_assert_uint_eq(ipme_not.n[0].bits,25);
  /* 0.0.0.0, as netqmail's ipme, then the interfaces that are up */
  ck_assert_uint_eq(ipme.len,4);
  ck_assert(!memcmp(&ipme.ix[0].ip,"\0\0\0\0",4));
  ck_assert(!memcmp(&ipme.ix[1].ip,"\300\0\2\115",4));
  ck_assert(!memcmp(&ipme.ix[2].ip,"\300\0\2\120",4));
  ck_assert(!memcmp(&ipme.ix[3].ip,"\300\0\2\121",4));
  /* a second load replaces the first */
  kernel(K_LINUX,1,rec6);
  r = loaddir(d2);
  kmode = K_REAL;
  ck_assert_msg(r == 1,"ipme_loadfiles: %d (%s)",r,errtext());
  ck_assert_uint_eq(ipme_more.len,3);
  ck_assert_uint_eq(ipme_more.n[2].bits,8);
  ck_assert_uint_eq(ipme_not.len,0);
  ck_assert_uint_eq(ipme.len,2); /* 0.0.0.0 and the one interface */
  /* no such directory: nothing configured */
  ck_assert_int_eq(loaddir(mkfn(d,"nosuchdir/")),1);
  ck_assert_uint_eq(ipme_more.len,2);
  ck_assert_uint_eq(ipme_not.len,0);
}
END_TEST

/* ipme_loadfiles failing: what ipme_error says after "DIR/" */
static struct loadbad {
  const char *more; /* 0: no such file */
  const char *not;
  const char *err;
} loadbad[] = {
  { "192.0.2.1\n\n10.0.0.300\n", 0, "moreipme line 3: " OVER },
  { "192.0.2.1\n\n10.0.0.300\n", "x\n", "moreipme line 3: " OVER },
  { "192.0.2.1\n", "# x\n192.0.2.1:25\n", "notipme line 2: " PORT },
  { "192.0.2.1\n0.0.0.0/0\n", 0, "moreipme line 2: " SHORT },
  { 0, "198.51.100.0/24\n198.51.100.0/255.0.255.0", "notipme line 2: " BADMASK },
} ;

START_TEST(test_load_bad)
{
  struct loadbad *t = &loadbad[_i];
  char d[FNLEN];
  char want[1024];

  mkcontrol(mkfn(d,"loadbad%d",_i),t->more,t->not);
  strcat(d,"/");
  ck_assert_int_eq(loaddir(d),-1);
  snprintf(want,sizeof(want),"%s%s",d,t->err);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
}
END_TEST

/* a file that cannot be read is not a file that is not there */
START_TEST(test_load_unreadable)
{
  char d[FNLEN];
  char fn[FNLEN];
  char want[1024];

  mkcontrol(mkfn(d,"unreadable"),"192.0.2.1\n",0);
  ck_assert(mkdir(mkfn(fn,"unreadable/notipme"),0755) == 0);
  strcat(d,"/");
  ck_assert_int_eq(loaddir(d),-1);
  snprintf(want,sizeof(want),"unable to read %s: %s",fn,error_str(EISDIR));
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
  mkcontrol(mkfn(d,"loaddangling"),0,0);
  ck_assert(symlink("/nonexistent/moreipme",mkfn(fn,"loaddangling/moreipme")) == 0);
  strcat(d,"/");
  ck_assert_int_eq(loaddir(d),-1);
  snprintf(want,sizeof(want),"unable to read %s: symbolic link to a file that does not exist",fn);
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
}
END_TEST

/* ---- ipme_is and ipme_check: which addresses are mine ---- */

/*
In a child, in home: ipme_init(), then for each address of answers
("ip=R ...", R what ipme_is answers) "ip=R" with R from ipme_is, or
"ip=R!C" if ipme_check said C.
*/
static struct lookup {
  unsigned int nrec; /* the fake kernel's records (rec6) */
  const char *more; /* 0: no such file */
  const char *not;
  const char *answers;
} lookup[] = {
  /* nothing configured: the built-ins, 127.0.0.0/8 and 0.0.0.0 */
  { 0, 0, 0, "192.0.2.201=0 127.0.0.1=1 127.255.255.254=1 126.255.255.255=0 128.0.0.0=0 0.0.0.0=1 0.0.0.1=0" },
  { 0, "", "", "198.51.100.201=0 127.0.0.1=1" },
  /* moreipme alone */
  { 0, "192.0.2.201\n", 0, "192.0.2.201=1 192.0.2.202=0" },
  { 0, "203.0.113.77/24\n", 0, "203.0.113.201=1 203.0.113.0=1 203.0.113.255=1 203.0.114.0=0 198.51.100.77=0" },
  { 0, "# a\n\n  \n\t198.51.100.0/24 \r\n", 0, "198.51.100.150=1" },
  { 0, "010.0.0.1\n10.0.0.0/8 # ten\n", 0, "10.0.0.1=1 10.255.255.255=1 11.0.0.0=0 9.255.255.255=0" },
  { 0, "192.0.2.77/255.255.255.254\n", 0, "192.0.2.76=1 192.0.2.77=1 192.0.2.78=0" },
  /* notipme alone */
  { 0, 0, "192.0.2.201\n", "192.0.2.201=0 192.0.2.202=0" },
  /* a longer notipme inside a shorter moreipme, and the other way round */
  { 0, "198.51.100.0/24\n", "198.51.100.128/25\n", "198.51.100.200=0 198.51.100.127=1" },
  { 0, "# me\n203.0.113.207\n", "203.0.113.0/24\n", "203.0.113.207=1 203.0.113.208=0" },
  /* equal lengths: notipme wins, whatever the form of the mask */
  { 0, "192.0.2.0/24\n", "192.0.2.0/255.255.255.0\n", "192.0.2.209=0" },
  { 0, "192.0.2.0/255.255.255.0\n", "192.0.2.0/24\n", "192.0.2.209=0" },
  { 0, "192.0.2.209\n", "192.0.2.209/32\n", "192.0.2.209=0" },
  { 0, "198.51.100.0/255.255.255.128", "\n198.51.100.5/25", "198.51.100.101=0" },
  /* the longest entry decides, not the first */
  { 0, "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.0/25\n", "192.0.2.70=1 192.0.2.30=0 192.0.2.200=1" },
  /* notipme 0.0.0.0/0 against longer entries and the built-ins */
  { 0, "198.51.100.109/32\n", "0.0.0.0/0\n", "198.51.100.109=1 198.51.100.110=0 127.1.2.3=1 0.0.0.0=1" },
  { 0, 0, "0.0.0.0/0\n192.0.2.240/28\n192.0.2.0/24\n", "192.0.2.243=0 127.0.0.1=1" },
  /* notipme ties the built-ins, and wins */
  { 0, 0, "127.0.0.0/8\n", "127.0.0.2=0 0.0.0.0=1" },
  { 0, 0, "127.0.0.0/255.0.0.0\n0.0.0.0\n", "127.255.255.255=0 0.0.0.0=0" },
  /* the interfaces: an address of one that is up is a /32 of moreipme */
  { 6, 0, 0, "192.0.2.77=1 192.0.2.78=0 192.0.2.79=0 192.0.2.80=1 192.0.2.81=1 192.0.2.76=0" },
  { 6, 0, "192.0.2.77\n192.0.2.80/32\n", "192.0.2.77=0 192.0.2.80=0 192.0.2.81=1" },
  { 6, 0, "192.0.2.0/24\n", "192.0.2.77=1 192.0.2.76=0" },
  { 6, "192.0.2.78\n", 0, "192.0.2.78=1 192.0.2.79=0" },
} ;

static void lookupchild(void *arg)
{
  struct lookup *t = arg;
  struct ip_address ip;
  char buf[1024];
  char *s;
  char *eq;
  int is;
  int c;

  kernel(K_LINUX,t->nrec,rec6);
  forget();
  say("init=%d",ipme_init());
  snprintf(buf,sizeof(buf),"%s",t->answers);
  for (s = strtok(buf," ");s;s = strtok(0," ")) {
    if ((eq = strchr(s,'='))) *eq = 0;
    ip = addrc(s);
    is = ipme_is(&ip);
    c = ipme_check(&ip);
    if (c == is) say(" %s=%d",s,is); else say(" %s=%d!%d",s,is,c);
  }
}

START_TEST(test_lookup)
{
  struct lookup *t = &lookup[_i];
  char home[FNLEN];
  char want[1024];

  mkhome(home,t->more,t->not,0,0,"lookup%d",_i);
  snprintf(want,sizeof(want),"init=1 %s",t->answers);
  inchild(home,lookupchild,t,20);
  childok();
  ck_assert_msg(!strcmp(out,want),"case %d: \"%s\", not \"%s\"",_i,out,want);
  ck_assert_msg(!*err,"case %d: said \"%s\"",_i,err);
}
END_TEST

/*
Callers we have never seen (spf.c) call ipme_is(): with files it cannot
read it answers 0, never 1 or -1, says so once on fd 2, and nothing is
remembered: once the file is mended, the same process gets the answers.
*/
#define UNSURE "ipme: unable to tell which addresses are mine: "

struct unsure {
  const char *more; /* control/moreipme, as it is broken */
  const char *notdir; /* if not 0, control/notipme is a directory */
  const char *err; /* ipme_error() */
} unsure[] = {
  { "192.0.2.3\n10.0.0.300\n", 0, "control/moreipme line 2: " OVER },
  { "192.0.2.3\n", "x", "unable to read control/notipme: is a directory" },
} ;

static void unsurechild(void *arg)
{
  struct unsure *t = arg;
  struct ip_address lo = addrc("127.0.0.1");
  struct ip_address me = addrc("192.0.2.3");
  struct ip_address other = addrc("198.51.100.7");
  int i;

  kernel(K_LINUX,0,rec6);
  forget();
  for (i = 0;i < 3;++i) say("%d%d%d ",ipme_is(&lo),ipme_is(&me),ipme_is(&other));
  say("check=%d ",ipme_check(&me));
  say("init=%d ",ipme_init());
  say("[%s] ",ipme_error());
  say("%d ",ipme_is(&me));
  if (t->notdir && rmdir("control/notipme") == -1) say("cannot remove control/notipme ");
  if (!put("control/moreipme","192.0.2.3\n",10)) say("cannot mend control/moreipme ");
  for (i = 0;i < 2;++i) say("%d%d%d ",ipme_is(&lo),ipme_is(&me),ipme_is(&other));
  say("check=%d",ipme_check(&me));
  say("%d",ipme_check(&other));
  say(" init=%d",ipme_init());
  /* loaded: kept; read again only when a load fails */
  if (!put("control/moreipme","x\n",2)) say("cannot break control/moreipme ");
  say(" %d",ipme_is(&me));
}

START_TEST(test_unsure)
{
  struct unsure *t = &unsure[_i];
  char home[FNLEN];
  char fn[FNLEN];
  char want[1024];

  mkhome(home,t->more,0,0,0,"unsure%d",_i);
  if (t->notdir) ck_assert(mkdir(mkfn(fn,"unsure%d/control/notipme",_i),0755) == 0);
  inchild(home,unsurechild,t,20);
  childok();
  snprintf(want,sizeof(want),"000 000 000 check=-1 init=-1 [%s] 0 110 110 check=10 init=1 1",t->err);
  ck_assert_msg(!strcmp(out,want),"case %d: \"%s\", not \"%s\"",_i,out,want);
  snprintf(want,sizeof(want),UNSURE "%s\n",t->err);
  ck_assert_msg(!strcmp(err,want),"case %d: standard error \"%s\", not \"%s\" once",_i,err,want);
}
END_TEST

/* tests/qlib's alloc fails at its alloc_failat-th call; a tree's alloc has no such thing */
extern unsigned int alloc_calls __attribute__((weak));
extern unsigned int alloc_failat __attribute__((weak));

/*
Out of memory at the Nth allocation of a first ipme_init, then a second
try with memory: it loads. tests/qlib's allocator, as qmail-1.03's,
leaves ipme.a set when ipme's first allocation fails.
*/
static void nomemchild(void *arg)
{
  struct ip_address lo = addrc("127.0.0.1");
  int r;

  kernel(K_LINUX,6,rec6);
  free(ipme.ix); /* ipme as in a new process (tests/qlib allocates with malloc) */
  ipme.ix = 0;
  ipme.len = ipme.a = 0;
  alloc_calls = 0;
  alloc_failat = *(unsigned int *) arg;
  r = ipme_init();
  alloc_failat = 0;
  say("%d %d",r != -1,ipme_init());
  say(" %d",ipme_is(&lo));
}

START_TEST(test_nomem_retry)
{
  unsigned int n = _i + 1;
  char home[FNLEN];

  if (&alloc_failat == 0) return; /* not tests/qlib */
  mkhome(home,"203.0.113.5\n","198.51.100.0/24\n",0,0,"nomem%d",_i);
  inchild(home,nomemchild,&n,20);
  childok();
  ck_assert_msg(!strcmp(out,"1 1 1"),"out of memory at allocation %u, then a second try: \"%s\", not \"1 1 1\"",n,out);
}
END_TEST

/*
Where the line goes: under inetd fd 0 and fd 2 are the client's
connection, over TCP or a UNIX socket, and nothing may reach it; a
UNIX socket of another peer on fd 2 (systemd's journal is one) gets
the line. Each case's fd 0 and fd 2, then what the other end of fd 2
read.
*/
static void peerchild(void *arg)
{
  struct ip_address me = addrc("192.0.2.3");
  struct sockaddr_un un;
  struct sockaddr_in in;
  socklen_t inlen;
  char buf[512];
  int client[2];
  int l;
  int s;
  int n;

  s = n = -1;
  kernel(K_LINUX,0,rec6);
  forget();
  if (!strcmp(arg,"inetd")) { /* a TCP client on fds 0 and 2 */
    memset(&in,0,sizeof in);
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    inlen = sizeof in;
    l = socket(AF_INET,SOCK_STREAM,0);
    n = socket(AF_INET,SOCK_STREAM,0);
    if (l == -1 || n == -1 || bind(l,(struct sockaddr *) &in,sizeof in) == -1 || listen(l,1) == -1
        || getsockname(l,(struct sockaddr *) &in,&inlen) == -1 || connect(n,(struct sockaddr *) &in,sizeof in) == -1
        || (s = accept(l,0,0)) == -1 || dup2(s,0) == -1 || dup2(s,2) == -1) {
      say("tcp socket failed");
      return;
    }
    close(s);
    s = n; /* the client's end */
  }
  else if (!strcmp(arg,"unix")) { /* a client over a UNIX socket on fds 0 and 2 */
    if (socketpair(AF_UNIX,SOCK_STREAM,0,client) == -1 || dup2(client[0],0) == -1 || dup2(client[0],2) == -1) {
      say("socketpair failed");
      return;
    }
    close(client[0]);
    s = client[1];
  }
  else { /* fd 2 connected to a named socket, as to journald's; fd 0 a client's */
    memset(&un,0,sizeof un);
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path,sizeof un.sun_path,"journal");
    l = socket(AF_UNIX,SOCK_STREAM,0);
    n = socket(AF_UNIX,SOCK_STREAM,0);
    if (l == -1 || n == -1 || bind(l,(struct sockaddr *) &un,sizeof un) == -1 || listen(l,1) == -1
        || connect(n,(struct sockaddr *) &un,sizeof un) == -1 || (s = accept(l,0,0)) == -1 || dup2(n,2) == -1
        || socketpair(AF_UNIX,SOCK_STREAM,0,client) == -1 || dup2(client[0],0) == -1) {
      say("journal socket failed");
      return;
    }
    close(n);
  }
  say("%d",ipme_is(&me));
  close(2);
  close(0);
  shutdown(s,SHUT_WR);
  n = read(s,buf,sizeof buf - 1);
  say(" read %d",n);
  if (n > 0) { buf[n] = 0; say(" [%s]",buf); }
}

START_TEST(test_unsure_peer)
{
  static const char *cases[] = { "inetd", "unix", "journal" } ;
  char home[FNLEN];
  char want[1024];

  mkhome(home,"10.0.0.300\n",0,0,0,"peer%d",_i);
  inchild(home,peerchild,(void *) cases[_i],20);
  childok();
  if (_i < 2) snprintf(want,sizeof want,"0 read 0");
  else snprintf(want,sizeof want,"0 read %d [" UNSURE "control/moreipme line 1: " OVER "\n]",(int) strlen(UNSURE "control/moreipme line 1: " OVER "\n"));
  ck_assert_msg(!strcmp(out,want),"%s: \"%s\", not \"%s\"",cases[_i],out,want);
}
END_TEST

/* ---- the interfaces ---- */

/* the real kernel: what ipme_ifaces tells is what getifaddrs() lists, up and IPv4 */
static int cmpstr(const void *a,const void *b) { return strcmp(*(char **) a,*(char **) b); }

static char *sorted(char *s)
{
  char *v[4096];
  char *w;
  char *x;
  int n;
  int i;

  w = malloc(strlen(s) + 2);
  ck_assert(w != 0);
  for (n = 0,x = strtok(s,",");x && n < 4096;x = strtok(0,",")) v[n++] = x;
  qsort(v,n,sizeof(v[0]),cmpstr);
  *w = 0;
  for (i = 0;i < n;++i) { strcat(w,v[i]); strcat(w,","); }
  return w;
}

START_TEST(test_ifaces_kernel)
{
  struct ifaddrs *ifa;
  struct ifaddrs *a;
  char ip[16];
  char *got;
  char *want;
  char *gs;
  char *ws;
  size_t len;
  int r;

  kernel(K_REAL,0,0);
  r = ifaces();
  ck_assert_msg(r == 1,"ipme_ifaces: %d (%s)",r,errtext());
  /* the size first, as Linux tells it; then one call is enough */
  ck_assert_uint_ge(ks.calls,2);
  ck_assert_msg(ks.null[0],"the first SIOCGIFCONF did not ask the kernel for the size");
  if (ks.told[0] > 0) {
    ck_assert_msg(ks.calls == 2,"%u SIOCGIFCONF calls after the kernel said %ld bytes",ks.calls,ks.told[0]);
    ck_assert_int_ge(ks.asked[1],ks.told[0]);
  }
  if (getifaddrs(&ifa) == -1) {
    fprintf(stderr,"check_ipme: SKIP test_ifaces_kernel's comparison: getifaddrs: %s\n",strerror(errno));
    return;
  }
  len = 1;
  for (a = ifa;a;a = a->ifa_next) len += strlen(a->ifa_name) + 20;
  want = malloc(len);
  ck_assert(want != 0);
  *want = 0;
  for (a = ifa;a;a = a->ifa_next)
    if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET && (a->ifa_flags & IFF_UP)) {
      inet_ntop(AF_INET,&((struct sockaddr_in *) a->ifa_addr)->sin_addr,ip,sizeof(ip));
      strcat(want,ip); strcat(want," "); strcat(want,a->ifa_name); strcat(want,",");
    }
  freeifaddrs(ifa);
  got = strdup(took);
  ck_assert(got != 0);
  gs = sorted(got);
  ws = sorted(want);
  ck_assert_msg(!strcmp(gs,ws),"ipme_ifaces told \"%s\"; getifaddrs lists \"%s\"",gs,ws);
  free(gs); free(ws); free(got); free(want);
}
END_TEST

/* the fake kernels: every record where it belongs, and the size first where it is told */
START_TEST(test_ifaces_fake)
{
  static int modes[] = { K_LINUX, K_NOSIZE, K_BSD } ;
  int r;

  kernel(modes[_i],6,rec6);
  r = ifaces();
  kmode = K_REAL;
  ck_assert_msg(r == 1,"ipme_ifaces: %d (%s)",r,errtext());
  ck_assert_str_eq(took,REC6);
  ck_assert_msg(ks.null[0],"the first SIOCGIFCONF did not ask for the size");
  if (modes[_i] == K_LINUX) ck_assert_uint_eq(ks.calls,2);
}
END_TEST

/* ipme_ifaces on n records of v0 from the kernel stand-in in mode m: its answer; *seq: 1 if they came in order */
static int ifacesin(int m,unsigned int n,int *seq)
{
  int r;

  kernel(m,n,recv0);
  tookseq = 1;
  r = ifaces();
  *seq = tookseq;
  tookseq = 0;
  kmode = K_REAL;
  return r;
}

/* more records than a first guess holds: all of them, in order, whether or not the size is told */
START_TEST(test_ifaces_many)
{
  static int modes[] = { K_LINUX, K_NOSIZE, K_BSD } ;
  int seq;
  int r;

  r = ifacesin(modes[_i],1000,&seq);
  ck_assert_msg(r == 1,"ipme_ifaces: %d (%s)",r,errtext());
  ck_assert_uint_eq(tookn,1000);
  ck_assert_msg(seq == 1,"the addresses were not 10.0.0.0 to 10.0.3.231 on v0, in order");
  ck_assert_msg(ks.flags == 1,"%u SIOCGIFFLAGS for 1000 records of one interface",ks.flags);
  ck_assert_int_le(ks.maxasked,1 << 22);
}
END_TEST

/* the kernel says it needs more than the usual bound: it gets it */
START_TEST(test_ifaces_huge)
{
  unsigned int n = 5 * 1024 * 1024 / sizeof(struct ifreq) + 1;
  int seq;
  int r;

  r = ifacesin(K_LINUX,n,&seq);
  ck_assert_msg(r == 1,"ipme_ifaces: %d (%s)",r,errtext());
  ck_assert_uint_eq(tookn,n);
  ck_assert_msg(seq == 1,"the addresses were not 10.0.0.0 and on, on v0, in order");
  ck_assert_uint_eq(ks.calls,2);
}
END_TEST

/* take() out of memory: 0, and no more calls */
START_TEST(test_ifaces_nomem)
{
  int r;

  kernel(K_LINUX,6,rec6);
  tooklimit = 2;
  r = ifaces();
  tooklimit = 0;
  kmode = K_REAL;
  ck_assert_int_eq(r,0);
  ck_assert_uint_eq(tookn,2);
}
END_TEST

/* a size told past 64 MB is no answer: the buffer grows from 8 KB as where none is told */
START_TEST(test_ifaces_told_huge)
{
  int seq;
  int r;

  r = ifacesin(K_HUGE,1000,&seq);
  ck_assert_msg(r == 1,"ipme_ifaces: %d (%s)",r,errtext());
  ck_assert_uint_eq(tookn,1000);
  ck_assert_msg(ks.maxasked <= 1 << 22,"a buffer of %ld bytes was asked for",ks.maxasked);
}
END_TEST

/* an interface list the kernel will not give is a system error, with a bounded buffer */
START_TEST(test_ifaces_fail)
{
  static int modes[] = { K_EINVAL, K_EIO, K_NEGLEN } ;
  static int errs[] = { EINVAL, EIO, EINVAL } ;
  char want[256];
  int r;

  kernel(modes[_i],6,rec6);
  r = ifaces();
  kmode = K_REAL;
  ck_assert_msg(r == -1,"ipme_ifaces: %d, not -1",r);
  snprintf(want,sizeof(want),"unable to list the network interfaces: %s",error_str(errs[_i]));
  ck_assert_msg(!strcmp(ipme_error(),want),"ipme_error(): \"%s\", not \"%s\"",errtext(),notmp(wbuf,sizeof(wbuf),"%s",want));
  ck_assert_uint_eq(tookn,0);
  ck_assert_msg(ks.maxasked <= 1 << 22,"a buffer of %ld bytes was asked for",ks.maxasked);
  ck_assert_msg(ks.calls <= 16,"%u SIOCGIFCONF calls",ks.calls);
}
END_TEST

/* resident memory, in kB; -1 if unknown */
static long resident(void)
{
  unsigned long size;
  unsigned long res;
  FILE *f;
  int n;

  f = fopen("/proc/self/statm","r");
  if (!f) return -1;
  n = fscanf(f,"%lu %lu",&size,&res);
  fclose(f);
  if (n != 2) return -1;
  return (long) (res * (sysconf(_SC_PAGESIZE) / 1024));
}

/* ipme_init with SIOCGIFCONF saying EINVAL for ever: -1, in a few MB */
static void einvalchild(void *arg)
{
  struct ip_address lo = addrc("127.0.0.1");
  long before;
  long after;

  int big;

  (void) arg;
  kernel(K_LINUX,0,rec6);
  forget();
  kernel(K_EINVAL,0,rec6);
  before = resident();
  say("init=%d",ipme_init());
  after = resident();
  say(" [%s]",ipme_error());
  big = ks.maxasked > 1 << 22 || ks.calls > 16 || (before >= 0 && after - before > 16384);
  say(" big=%d",big);
  if (big) say(" (%u calls, up to %ld bytes; %ld kB more resident)",ks.calls,ks.maxasked,after - before);
  say(" is=%d",ipme_is(&lo));
  say("%d",ipme_is(&lo));
  kmode = K_LINUX;
  say(" init=%d",ipme_init());
  say(" is=%d",ipme_is(&lo));
}

START_TEST(test_init_einval)
{
  char home[FNLEN];
  char want[1024];

  mkhome(home,"192.0.2.3\n","198.51.100.7\n",0,0,"einval");
  inchild(home,einvalchild,0,20);
  childok();
  snprintf(want,sizeof(want),"init=-1 [unable to list the network interfaces: %s] big=0 is=00 init=1 is=1",error_str(EINVAL));
  ck_assert_msg(!strcmp(out,want),"\"%s\", not \"%s\"",notmp(obuf,sizeof(obuf),"%s",out),notmp(wbuf,sizeof(wbuf),"%s",want));
  snprintf(want,sizeof(want),UNSURE "unable to list the network interfaces: %s\n",error_str(EINVAL));
  ck_assert_msg(!strcmp(err,want),"standard error \"%s\", not \"%s\"",notmp(obuf,sizeof(obuf),"%s",err),notmp(wbuf,sizeof(wbuf),"%s",want));
}
END_TEST

/* ---- the loop guard ---- */

/*
ipme_loop, as qmail-remote's smtpcode() calls it, with each reply as
smtptext holds it (no CR, each line ending in LF), from 203.0.113.5, in a
child: ipme_init() first, as qmail-remote does; then the replies, up to
the first that is a loop (qmail-remote quits there), each answer a
digit; then ipme_error() after a loop.
*/

#define ME "mail.example.org"
#define LOOPMSG(ip,name) "Connected to " ip " but it greeted me with my own name " name \
  ": a mail loop. If that address is this host, add it to control/moreipme;" \
  " if another host has this name, add its address to control/notipme or give it a name of its own;" \
  " if control/smtproutes sends mail there, fix the route"
#define LOOP LOOPMSG("203.0.113.5",ME)

static struct loopcase {
  const char *me; /* control/me; 0: none */
  const char *greeting; /* control/smtpgreeting; 0: none */
  const char *more; /* control/moreipme; 0: none */
  const char *not; /* control/notipme; 0: none */
  unsigned long port;
  const char *reply[8]; /* 0 ends the list */
  const char *want; /* an answer a reply, up to one that is not 0 */
  const char *msg; /* ipme_error() after a loop */
} loopcase[] = {
  /* greeting and EHLO with our name */
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOP },
  /* connection 1 greets 421 (another MX, or the same later): connection 2 starts afresh */
  { ME "\n",0,0,0,25,{ "421 " ME " busy\n","220 " ME " ESMTP\n","250 " ME "\n" },"001",LOOP },
  { ME "\n",0,0,0,25,{ "421 busy\n","220 " ME " ESMTP\n","250-" ME "\n250-PIPELINING\n250 8BITMIME\n" },"001",LOOP },
  { ME "\n",0,0,0,25,{ "220 other.example.net ESMTP\n","250 other.example.net\n","221 bye\n","220 " ME " ESMTP\n","250 " ME "\n" },"00001",LOOP },
  /* the 250 must come right after the greeting */
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","502 unimplemented\n","250 " ME "\n" },"000",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250-other.example.net\n250 STARTTLS\n","220 ready\n","250 " ME "\n" },"0000",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","220 other.example.net\n","250 " ME "\n" },"000",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","421 " ME " closing\n","250 " ME "\n" },"000",0 },
  /* greeting only, reply only */
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 other.example.net\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 other.example.net ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "554 " ME " go away\n","250 " ME "\n" },"00",0 },
  /* port 25 only */
  { ME "\n",0,0,0,2525,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,0,587,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,0,2525,{ "220 " ME " ESMTP\n","250 " ME "\n","220 " ME " ESMTP\n","250 " ME "\n" },"0000",0 },
  /* names the guard cannot trust; no name at all */
  { "mail\n",0,0,0,25,{ "220 mail ESMTP\n","250 mail\n" },"00",0 },
  { "localhost\n",0,0,0,25,{ "220 localhost ESMTP\n","250 localhost\n" },"00",0 },
  { "localhost.localdomain\n",0,0,0,25,{ "220 localhost.localdomain ESMTP\n","250 localhost.localdomain\n" },"00",0 },
  { "LocalHost.example.org\n",0,0,0,25,{ "220 LocalHost.example.org ESMTP\n","250 LocalHost.example.org\n" },"00",0 },
  { "localhostx.example.org\n",0,0,0,25,{ "220 localhostx.example.org ESMTP\n","250 localhostx.example.org\n" },"01",
    LOOPMSG("203.0.113.5","localhostx.example.org") },
  { 0,0,0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  /* replies of several lines: the first line counts */
  { ME "\n",0,0,0,25,{ "220-" ME " ESMTP\n220 and more\n","250-" ME "\n250-PIPELINING\n250 8BITMIME\n" },"01",LOOP },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250-other.example.net\n250-" ME "\n250 8BITMIME\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220-other.example.net ESMTP\n220 " ME "\n","250 " ME "\n" },"00",0 },
  /* any case; the message names us as control/me does */
  { "Mail.Example.Org\n",0,0,0,25,{ "220 MAIL.EXAMPLE.ORG ESMTP\n","250 mail.example.org\n" },"01",
    LOOPMSG("203.0.113.5","Mail.Example.Org") },
  /* words and blanks */
  { ME " \t\n",0,0,0,25,{ "220  " ME "\tESMTP\n","250 \t" ME "\n" },"01",LOOP },
  { "  " ME "\r\n",0,0,0,25,{ "220 " ME "\n","250 " ME "\n" },"01",LOOP },
  { ME "\n",0,0,0,25,{ "220 " ME "x ESMTP\n","250 " ME "x\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 mail.example ESMTP\n","250 mail.example\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250\t" ME "\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 \n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","25" },"00",0 },
  /* control/smtpgreeting's first word, not control/me */
  { ME "\n","relay.example.net ESMTP ready\n",0,0,25,{ "220 relay.example.net ESMTP ready ESMTP\n","250 relay.example.net\n" },"01",
    LOOPMSG("203.0.113.5","relay.example.net") },
  { ME "\n","relay.example.net ESMTP ready\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { 0,ME "\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOP },
  /* ... even when it is not a name to trust: our qmail-smtpd greets with it, not with control/me */
  { ME "\n","localhost.localdomain ESMTP\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n","mail ESMTP\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n","\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  /* notipme decides the partner; moreipme alone does not stop the guard */
  { ME "\n",0,0,"203.0.113.5\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,"203.0.113.0/24\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,"203.0.113.6\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOP },
  { ME "\n",0,"203.0.113.5\n","203.0.113.5\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,"203.0.113.5\n",0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOP },
  { ME "\n",0,"203.0.113.0/24\n","203.0.113.5\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,"203.0.113.5\n","203.0.113.0/24\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOP },
} ;

static int loopnobody; /* become nobody first */

static void loopchild(void *arg)
{
  struct loopcase *c = arg;
  struct ip_address ip = addrc("203.0.113.5");
  static stralloc sa;
  int i;
  int x;

  if (loopnobody && !nobody()) { say("cannot become nobody"); return; }
  kernel(K_LINUX,0,rec6);
  forget();
  say("%d:",ipme_init());
  x = 0;
  for (i = 0;i < 8 && c->reply[i];++i) {
    if (!stralloc_copys(&sa,(char *) c->reply[i])) _exit(124);
    x = ipme_loop(&sa,&ip,c->port);
    say("%c",(x == 1) ? '1' : x ? '?' : '0');
    if (x) break;
  }
  if (x) say("\n%s",ipme_error());
}


START_TEST(test_loop)
{
  struct loopcase *c = loopcase + _i;
  char want[1024];
  char home[FNLEN];

  mkhome(home,c->more,c->not,c->me,c->greeting,"loop%d",_i);
  inchild(home,loopchild,c,20);
  childok();
  snprintf(want,sizeof(want),"1:%s%s%s",c->want,c->msg ? "\n" : "",c->msg ? c->msg : "");
  ck_assert_msg(!strcmp(out,want),"case %d: \"%s\", not \"%s\"",_i,out,want);
  ck_assert_msg(!*err,"case %d: said \"%s\"",_i,err);
}
END_TEST

/*
A name that cannot be read guards nothing, and defers nothing: not even
with control/me, which it would otherwise fall back on, a loop by its name.
*/
START_TEST(test_loop_unreadable)
{
  static struct loopcase c = { ME "\n",ME "\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },0,0 } ;
  char fn[FNLEN];

  /* a directory: open() works, read() does not */
  mkhome(fn,0,0,ME "\n",0,"loopdir");
  ck_assert(mkdir(mkfn(fn,"loopdir/control/smtpgreeting"),0755) == 0);
  inchild(mkfn(fn,"loopdir"),loopchild,&c,20);
  childok();
  ck_assert_str_eq(out,"1:00");
  ck_assert_str_eq(err,"");
  /* mode 000, read by nobody */
  mkhome(fn,0,0,ME "\n",ME "\n","loop000");
  ck_assert(chmod(mkfn(fn,"loop000/control/smtpgreeting"),0) == 0);
  loopnobody = 1;
  inchild(mkfn(fn,"loop000"),loopchild,&c,20);
  loopnobody = 0;
  childok();
  if (!strcmp(out,"cannot become nobody")) {
    fprintf(stderr,"check_ipme: SKIP test_loop_unreadable, mode 000: root, and cannot become uid %d\n",NOBODY);
    return;
  }
  ck_assert_str_eq(out,"1:00");
  ck_assert_str_eq(err,"");
  /* and as it is readable: a loop, so the two above could have failed */
  ck_assert(chmod(fn,0644) == 0);
  inchild(mkfn(fn,"loop000"),loopchild,&c,20);
  childok();
  ck_assert_str_eq(out,"1:01\n" LOOP);
}
END_TEST

static void cleanup(const char *d)
{
  DIR *dp;
  struct dirent *x;
  char fn[1024];
  struct stat st;

  dp = opendir(d);
  if (!dp) return;
  while ((x = readdir(dp))) {
    if (!strcmp(x->d_name,".") || !strcmp(x->d_name,"..")) continue;
    snprintf(fn,sizeof(fn),"%s/%s",d,x->d_name);
    if (lstat(fn,&st) == 0 && S_ISDIR(st.st_mode)) cleanup(fn);
    else unlink(fn);
  }
  closedir(dp);
  rmdir(d);
}

static Suite *suite(void)
{
  Suite *s = suite_create("ipme");
  TCase *tc;

  tc = tcase_create("scan");
  tcase_add_loop_test(tc,test_scan_good,0,N(good));
  tcase_add_loop_test(tc,test_scan_nothing,0,N(nothing));
  tcase_add_loop_test(tc,test_scan_bad,0,N(bad));
  tcase_add_loop_test(tc,test_scan_ipv6_shape,0,N(notipv6));
  tcase_add_test(tc,test_scan_len);
  tcase_add_test(tc,test_scan_edge);
  suite_add_tcase(s,tc);

  tc = tcase_create("readfile");
  tcase_add_loop_test(tc,test_readfile,0,N(rf));
  tcase_add_test(tc,test_readfile_entries);
  tcase_add_loop_test(tc,test_readfile_long,0,N(rflong));
  tcase_add_loop_test(tc,test_readfile_long_blanks,0,N(longblanks));
  tcase_add_test(tc,test_readfile_buffers);
  tcase_add_test(tc,test_readfile_long_bom);
  tcase_add_test(tc,test_readfile_big);
  tcase_add_test(tc,test_readfile_missing);
  tcase_add_test(tc,test_readfile_links);
  tcase_add_test(tc,test_readfile_dir);
  tcase_add_test(tc,test_readfile_notdir);
  tcase_add_test(tc,test_readfile_unreadable);
  tcase_add_test(tc,test_readfile_zero);
  suite_add_tcase(s,tc);

  tc = tcase_create("lookup");
  tcase_add_loop_test(tc,test_longest,0,N(longest));
  tcase_add_test(tc,test_load);
  tcase_add_loop_test(tc,test_load_bad,0,N(loadbad));
  tcase_add_test(tc,test_load_unreadable);
  tcase_add_loop_test(tc,test_lookup,0,N(lookup));
  tcase_add_loop_test(tc,test_unsure,0,N(unsure));
  tcase_add_loop_test(tc,test_unsure_peer,0,3);
  tcase_add_loop_test(tc,test_nomem_retry,0,12);
  suite_add_tcase(s,tc);

  tc = tcase_create("ifaces");
  tcase_add_test(tc,test_ifaces_kernel);
  tcase_add_loop_test(tc,test_ifaces_fake,0,3);
  tcase_add_loop_test(tc,test_ifaces_many,0,3);
  tcase_add_test(tc,test_ifaces_huge);
  tcase_add_test(tc,test_ifaces_told_huge);
  tcase_add_test(tc,test_ifaces_nomem);
  tcase_add_loop_test(tc,test_ifaces_fail,0,3);
  tcase_add_test(tc,test_init_einval);
  suite_add_tcase(s,tc);

  tc = tcase_create("loop");
  tcase_add_loop_test(tc,test_loop,0,N(loopcase));
  tcase_add_test(tc,test_loop_unreadable);
  suite_add_tcase(s,tc);

  return s;
}

int main(void)
{
  SRunner *sr;
  int n;

  char fn[FNLEN];

  umask(022);
  if (!mkdtemp(tmp)) { perror("check_ipme: mkdtemp"); return 111; }
  /* nobody must reach the files; forget() loads forget/ */
  if (chmod(tmp,0755) == -1 || mkdir(mkfn(fn,"forget"),0755) == -1 || !put(mkfn(fn,"forget/moreipme"),"x\n",2)) {
    perror("check_ipme: tmp");
    return 111;
  }
  sr = srunner_create(suite());
  n = run_failures(sr);
  fflush(stdout);
  srunner_print(sr,CK_MINIMAL);
  srunner_free(sr);
  cleanup(tmp);
  return n ? 1 : 0;
}

/*
 * The SIOCGIFCONF record walk of moreipme.c (eachiface), on
 * hand-made records instead of the kernel's: at every offset from 0 to
 * 7 bytes off alignment, with families that are skipped, an interface
 * that does not exist, a name of IFNAMSIZ bytes with no NUL, and a
 * fragment at the end. moreipme.c is included, so that its static
 * functions can be called; nothing in it is changed.
 *
 * Built twice by tests/t/14-platforms.t: as on Linux (every record
 * sizeof(struct ifreq)), and with -DSALEN, as on a BSD (HASSALEN: a
 * record is longer when its address is, IFNAMSIZ + sa_len bytes). Linux
 * has no sa_len, so for -DSALEN a stand-in takes its place: the last
 * byte of sa_data, which no field of a sockaddr_in uses (a char, so the
 * lengths here stay under 128). The records are laid out by the BSD
 * kernels' rule (FreeBSD, OpenBSD, macOS: sa_len up to sizeof(struct
 * sockaddr) takes a whole struct ifreq, a longer one IFNAMSIZ + sa_len),
 * not by moreipme.c's eachiface. Needs lo up (SIOCGIFFLAGS is real).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/time.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <unistd.h>
#include <errno.h>
#include <check.h>
#include "../unit/failures.h"

#ifdef SALEN
#define HASSALEN 1
#define sa_len sa_data[13]
#endif
#include "moreipme.c"

#define AF_OTHER 17 /* a family that is neither AF_INET nor AF_INET6: Linux's AF_PACKET */

static char raw[4096];
static unsigned int rlen;

/* appends one record; a long one ends in junk, as a sockaddr_dl would */
static void rec(char *buf,const char *name,int family,const char *ip,unsigned int salen)
{
  struct ifreq r;
  unsigned int len;

  memset(&r,0,sizeof(r));
  memcpy(r.ifr_name,name,strlen(name) < IFNAMSIZ ? strlen(name) : IFNAMSIZ);
  r.ifr_addr.sa_family = family;
  if (ip) memcpy(&((struct sockaddr_in *) &r.ifr_addr)->sin_addr,ip,4);
  len = sizeof(r);
#ifdef SALEN
  r.ifr_addr.sa_len = salen;
  if (salen > sizeof(struct sockaddr)) len = offsetof(struct ifreq,ifr_addr) + salen;
#else
  (void) salen;
#endif
  ck_assert_uint_le(rlen + len,sizeof(raw) - 8);
  memcpy(buf + rlen,&r,len < sizeof(r) ? len : sizeof(r));
  if (len > sizeof(r)) memset(buf + rlen + sizeof(r),'Z',len - sizeof(r));
  rlen += len;
}

static int up(const char *name)
{
  struct ifreq r;
  int s;
  int x;

  s = socket(AF_INET,SOCK_STREAM,0);
  ck_assert(s != -1);
  memset(&r,0,sizeof(r));
  strcpy(r.ifr_name,name);
  x = ioctl(s,SIOCGIFFLAGS,&r) == 0 && (r.ifr_flags & IFF_UP);
  close(s);
  return x;
}

/* what eachiface tells take(): the addresses and the names */
#define TOOK 32
static struct ip_address took[TOOK];
static char tookname[TOOK][IFNAMSIZ + 2];
static unsigned int ntook;
static unsigned int limit; /* take() says out of memory after these; 0: never */

static int take(struct ip_address *ip,char *ifname)
{
  if (limit && ntook >= limit) return 0;
  ck_assert_uint_lt(ntook,TOOK);
  ck_assert_uint_le(strlen(ifname),IFNAMSIZ);
  took[ntook] = *ip;
  strcpy(tookname[ntook],ifname);
  ++ntook;
  return 1;
}

/* eachiface on buf[0..rlen), as ipme_ifaces calls it */
static int walk(char *buf)
{
  int s;
  int x;

  s = socket(AF_INET,SOCK_STREAM,0);
  ck_assert(s != -1);
  ifbuf.s = buf;
  ifbuf.len = rlen;
  ifbuf.a = rlen;
  ntook = 0;
  x = eachiface(s,take);
  ifbuf.s = 0;
  ifbuf.len = ifbuf.a = 0;
  close(s);
  return x;
}

static void want(unsigned int i,const char *ip)
{
  ck_assert_msg(i < ntook,"only %u addresses, not %u",ntook,i + 1);
  ck_assert_msg(!memcmp(took[i].d,ip,4),"address %u is %u.%u.%u.%u, not %u.%u.%u.%u",i,
    took[i].d[0],took[i].d[1],took[i].d[2],took[i].d[3],
    (unsigned char) ip[0],(unsigned char) ip[1],(unsigned char) ip[2],(unsigned char) ip[3]);
  ck_assert_str_eq(tookname[i],"lo");
}

START_TEST(test_walk)
{
  char *buf = raw + _i; /* _i bytes off alignment */
  char copy[sizeof(raw)];

  ck_assert_msg(up("lo"),"lo is not up: the test needs it");
  rlen = 0;
  rec(buf,"lo",AF_INET6,0,28);
  rec(buf,"lo",AF_INET,"\177\0\0\1",16);
  rec(buf,"lo",AF_OTHER,0,54); /* the next records are 54 + 16 bytes on, off alignment by 2 */
  rec(buf,"lo",AF_INET,"\177\0\0\2",16);
  rec(buf,"nosuch0",AF_INET,"\300\0\2\1",16);
  rec(buf,"abcdefghijklmnop",AF_INET,"\300\0\2\2",16);
  rec(buf,"lo",AF_INET,"\177\0\0\3",100); /* longer than a struct ifreq */
  rec(buf,"lo",AF_OTHER,0,27);
  rec(buf,"lo",AF_INET,"\177\0\0\4",0);
  rec(buf,"lo",AF_INET,"\177\0\0\5",16);
  memcpy(buf + rlen,"lo\0\0\0\0\0\0\0",10); /* a fragment, shorter than a name */
  rlen += 10;
  memcpy(copy,buf,rlen);
  ck_assert_int_eq(walk(buf),1);
  want(0,"\177\0\0\1");
  want(1,"\177\0\0\2");
  want(2,"\177\0\0\3");
  want(3,"\177\0\0\4");
  want(4,"\177\0\0\5");
  ck_assert_uint_eq(ntook,5);
  ck_assert_msg(!memcmp(copy,buf,rlen),"the walk wrote over the records");
  /* take() out of memory: 0, and the walk stops */
  limit = 2;
  ck_assert_int_eq(walk(buf),0);
  limit = 0;
  ck_assert_uint_eq(ntook,2);
}
END_TEST

/* the last record cut short inside its address: no address, and no read past the end */
START_TEST(test_short)
{
  char *buf = raw + _i;

  ck_assert_msg(up("lo"),"lo is not up: the test needs it");
  rlen = 0;
  rec(buf,"lo",AF_INET,"\177\0\0\7",16);
  rec(buf,"lo",AF_OTHER,0,54);
  rlen -= 20; /* ends inside the AF_OTHER record */
  ck_assert_int_eq(walk(buf),1);
  ck_assert_uint_eq(ntook,1);
  want(0,"\177\0\0\7");
}
END_TEST

int main(void)
{
  Suite *s = suite_create("records");
  TCase *tc = tcase_create(
#ifdef SALEN
    "salen"
#else
    "fixed"
#endif
  );
  SRunner *sr;
  int n;

  tcase_add_loop_test(tc,test_walk,0,8);
  tcase_add_loop_test(tc,test_short,0,8);
  suite_add_tcase(s,tc);
  sr = srunner_create(s);
  n = run_failures(sr);
  printf("records (%s, struct ifreq %u bytes): ",
#ifdef SALEN
    "sa_len",
#else
    "fixed",
#endif
    (unsigned int) sizeof(struct ifreq));
  srunner_print(sr,CK_MINIMAL);
  srunner_free(sr);
  return n ? 1 : 0;
}

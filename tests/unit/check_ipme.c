/*
 * Unit tests for moreipme.c: the parser, the file reader, the
 * longest-match lookup and the loop guard (ipme_loop).  Built against tests/qlib, or against a patched
 * qmail tree (see Makefile).  Only "ipme.h" comes from qmail's side, so
 * this compiles with either set of headers.
 *
 * Addresses come from the documentation ranges 192.0.2.0/24,
 * 198.51.100.0/24 and 203.0.113.0/24, away from the low host numbers
 * that test networks give their interfaces; test_lookup fails, saying
 * so, if one is on an interface all the same.
 */

#include <check.h>
#include "failures.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipme.h"

static char tmp[] = "/tmp/check_ipme.XXXXXX";

#define FNLEN 512

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

static void writefile(const char *fn,const char *s,size_t len)
{
  int fd;

  fd = open(fn,O_WRONLY | O_CREAT | O_TRUNC,0644);
  ck_assert_msg(fd != -1,"cannot create %s",fn);
  ck_assert_msg(write(fd,s,len) == (ssize_t) len,"cannot write %s",fn);
  ck_assert_msg(close(fd) == 0,"cannot close %s",fn);
}

static struct ip_address addr(const char *s)
{
  struct ip_address ip;
  unsigned int a, b, c, d;

  ck_assert_msg(sscanf(s,"%u.%u.%u.%u",&a,&b,&c,&d) == 4,"bad test address %s",s);
  ip.d[0] = a; ip.d[1] = b; ip.d[2] = c; ip.d[3] = d;
  return ip;
}

static const char *err(void)
{
  static char buf[4096];
  unsigned int n;

  n = ipme_err.len < sizeof(buf) - 1 ? ipme_err.len : sizeof(buf) - 1;
  if (n) memcpy(buf,ipme_err.s,n);
  buf[n] = 0;
  return buf;
}

/* ipme_parse, good entries */

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
  { "192.0.2.1/24 and more", 12, { 192, 0, 2, 1 }, 24 }, /* len, not the 0 */
  /* as moreipme 0.6 and ip_scan: leading zeros are decimal */
  { "010.0.0.1", 0, { 10, 0, 0, 1 }, 32 },
  { "203.0.113.05", 0, { 203, 0, 113, 5 }, 32 },
  { "192.0.002.0/255.255.255.000", 0, { 192, 0, 2, 0 }, 24 },
  { "192.0.2.1/08", 0, { 192, 0, 2, 1 }, 8 },
  { "192.0.2.1/00", 0, { 192, 0, 2, 1 }, 0 },
  { "0000000000192.0.2.1", 0, { 192, 0, 2, 1 }, 32 },
} ;

START_TEST(test_parse_good)
{
  struct good *g = &good[_i];
  struct ipme_entry e;
  struct ipme_entry6 e6;
  char *why = 0;
  unsigned int len = g->len ? g->len : strlen(g->s);
  int zeros = strstr(g->s,"/0") || strchr("0",g->s[0]) || strstr(g->s,".0");

  memset(&e,0x55,sizeof(e));
  ck_assert_msg(ipme_parse(&e,&e6,(char *) g->s,len,&why) == 4,
    "%s: refused: %s",g->s,why ? why : "(no reason)");
  ck_assert_msg(!memcmp(e.ip.d,g->d,4),"%s: address %u.%u.%u.%u",
    g->s,e.ip.d[0],e.ip.d[1],e.ip.d[2],e.ip.d[3]);
  ck_assert_msg(e.bits == g->bits,"%s: bits %u, not %u",g->s,e.bits,g->bits);
  if (!zeros) ck_assert_msg(!(e.flags & IPME_ZEROS),"%s: flagged as zero-padded",g->s);
}
END_TEST

START_TEST(test_parse_zeros)
{
  struct ipme_entry e;
  struct ipme_entry6 e6;
  char *why;

  ck_assert_int_eq(ipme_parse(&e,&e6,"010.0.0.1",9,&why),4);
  ck_assert(e.flags & IPME_ZEROS);
  ck_assert_int_eq(ipme_parse(&e,&e6,"10.0.0.0/255.0.0.000",20,&why),4);
  ck_assert(e.flags & IPME_ZEROS);
  ck_assert_int_eq(ipme_parse(&e,&e6,"10.0.0.0/08",11,&why),4);
  ck_assert(e.flags & IPME_ZEROS);
  ck_assert_int_eq(ipme_parse(&e,&e6,"10.0.0.0/0.0.0.0",16,&why),4);
  ck_assert(!(e.flags & IPME_ZEROS));
}
END_TEST

/* IPv6: kept, written back in RFC 5952 form */

static struct good6 {
  const char *s;
  const char *fmt;
  unsigned char d[16];
  unsigned int bits;
} good6[] = {
  { "::1", "::1", { 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1 }, 128 },
  { "::", "::", { 0 }, 128 },
  { "::/0", "::/0", { 0 }, 0 },
  { "2001:db8::1", "2001:db8::1", { 0x20,0x01,0x0d,0xb8,0,0,0,0,0,0,0,0,0,0,0,1 }, 128 },
  { "2001:DB8::/32", "2001:db8::/32", { 0x20,0x01,0x0d,0xb8 }, 32 },
  { "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", { 0x20,0x01,0x0d,0xb8,0,0,0,0,0,0,0,0,0,0,0,1 }, 128 },
  { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", { 0,1,0,2,0,3,0,4,0,5,0,6,0,7,0,8 }, 128 },
  { "1:0:0:2::3", "1:0:0:2::3", { 0,1,0,0,0,0,0,2,0,0,0,0,0,0,0,3 }, 128 },
  { "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", { 0,1,0,2,0,3,0,4,0,5,0,6,0,7,0,0 }, 128 },
  { "::ffff:192.0.2.1", "::ffff:c000:201", { 0,0,0,0,0,0,0,0,0,0,0xff,0xff,192,0,2,1 }, 128 },
  { "fe80::/10", "fe80::/10", { 0xfe,0x80 }, 10 },
  { "2001:db8::/128", "2001:db8::", { 0x20,0x01,0x0d,0xb8 }, 128 },
} ;

START_TEST(test_parse_good6)
{
  struct good6 *g = &good6[_i];
  struct ipme_entry e;
  struct ipme_entry6 e6;
  char s[IPME_FMT6];
  char *why = 0;
  unsigned int len;

  ck_assert_msg(ipme_parse(&e,&e6,(char *) g->s,strlen(g->s),&why) == 6,
    "%s: refused: %s",g->s,why ? why : "(no reason)");
  ck_assert_msg(!memcmp(e6.ip,g->d,16),"%s: wrong address",g->s);
  ck_assert_msg(e6.bits == g->bits,"%s: bits %u, not %u",g->s,e6.bits,g->bits);
  len = ipme_fmt6(s,&e6);
  ck_assert_uint_eq(len,ipme_fmt6((char *) 0,&e6));
  ck_assert_msg(len == strlen(g->fmt) && !memcmp(s,g->fmt,len),"%s: written as %.*s",g->s,(int) len,s);
}
END_TEST

/* ipme_parse, every reason it gives */

static struct bad {
  const char *s;
  unsigned int len; /* 0: strlen */
  const char *why;
} bad[] = {
  { "", 0, "missing address" },
  { "/24", 0, "missing address" },
  { "abc", 0, "not an address" },
  { "192.0.2.x", 0, "not an address" },
  { "-1.2.3.4", 0, "not an address" },
  { "192.0.2.1#x", 0, "not an address" },
  { "192..2.1", 0, "empty octet" },
  { ".192.0.2", 0, "empty octet" },
  { "192.0.2.1.", 0, "empty octet" },
  { "192.0.2.1.5", 0, "too many octets" },
  { "192.0.2", 0, "too few octets" },
  { "192", 0, "too few octets" },
  { "3221225985", 0, "too few octets" },
  { "192.0.2.1:25", 0, "a port is not part of an entry" },
  { "192.0.2.256", 0, "octet over 255" },
  { "192.0.2.99999999999999999999", 0, "octet over 255" },
  { "192.0.2.1/", 0, "missing mask" },
  { "192.0.2.1/x", 0, "bad mask" },
  { "192.0.2.1/-1", 0, "bad mask" },
  { "192.0.2.1/24/8", 0, "bad mask" },
  { "192.0.2.1/255.255.x.0", 0, "bad mask" },
  { "192.0.2.1/33", 0, "mask length over 32" },
  { "192.0.2.1/100", 0, "mask length over 32" },
  { "192.0.2.1/99999999999", 0, "mask length over 32" },
  { "192.0.2.1/255.0.255.0", 0, "mask not contiguous" },
  { "192.0.2.1/0.255.255.255", 0, "mask not contiguous" },
  { "192.0.2.1/255.255.255.1", 0, "mask not contiguous" },
  { "192.0.2.1/255.255.256.0", 0, "octet over 255" },
  { "192.0.2.1/255.255.255", 0, "too few octets" },
  { "2001:db8::1::2", 0, "bad IPv6 address" },
  { "1:2:3:4:5:6:7:8:9", 0, "bad IPv6 address" },
  { "1:2:3:4:5:6:7:8::", 0, "bad IPv6 address" },
  { "12345::", 0, "bad IPv6 address" },
  { ":1", 0, "bad IPv6 address" },
  { "1:", 0, "bad IPv6 address" },
  { ":::", 0, "bad IPv6 address" },
  { "::g", 0, "bad IPv6 address" },
  { "1:2:3:4:5:6:7", 0, "bad IPv6 address" },
  { "::192.0.2.1:1", 0, "bad IPv6 address" },
  { "::ffff:192.0.2.01", 0, "bad IPv6 address" },
  { "::ffff:192.0.2.256", 0, "bad IPv6 address" },
  { "2001:db8::/", 0, "missing prefix length" },
  { "2001:db8::/x", 0, "bad prefix length" },
  { "2001:db8::/129", 0, "prefix length over 128" },
  { "/64", 0, "missing address" },
  { "192.0.2.1 x", 0, "not an address" },
  { "192.0.2.1\t# comment", 0, "not an address" },
  { "192.0.2.1\0", 10, "NUL byte in line" },
  { "192.0\0:2.1 x", 12, "NUL byte in line" },
} ;

START_TEST(test_parse_bad)
{
  struct bad *b = &bad[_i];
  struct ipme_entry e;
  struct ipme_entry6 e6;
  char *why = 0;
  unsigned int len = b->len ? b->len : strlen(b->s);

  memset(&e,0,sizeof(e));
  ck_assert_msg(ipme_parse(&e,&e6,(char *) b->s,len,&why) == 0,"case %d: accepted",_i);
  ck_assert_msg(why != 0,"case %d: no reason",_i);
  ck_assert_msg(!strcmp(why,b->why),"case %d (%s): \"%s\", not \"%s\"",_i,b->s,why,b->why);
}
END_TEST

/* ipme_readfile on files */

static struct rf {
  const char *text;
  unsigned int len; /* 0: strlen */
  int r;
  unsigned int n; /* entries read, if r is 1 */
  unsigned long line; /* of the last entry */
  const char *err; /* after "FILE ", if r is -1 */
} rf[] = {
  { "", 0, 1, 0, 0, 0 },
  { "# a comment\n#\n#192.0.2.1\n", 0, 1, 0, 0, 0 },
  { "\n \n\t\n \t \r\n\r\n", 0, 1, 0, 0, 0 },
  { "192.0.2.1\n", 0, 1, 1, 1, 0 },
  { "192.0.2.1", 0, 1, 1, 1, 0 },
  { "192.0.2.1\r\n198.51.100.0/24\r\n", 0, 1, 2, 2, 0 },
  { " \t192.0.2.1 \t\n", 0, 1, 1, 1, 0 },
  { "# x\n192.0.2.1\n\n198.51.100.0/24", 0, 1, 2, 4, 0 },
  { "  # indented comment\n\t#\n203.0.113.0/255.255.255.0\n", 0, 1, 1, 3, 0 },
  { "192.0.2.1\n192.0.2.1\n", 0, 1, 2, 2, 0 },
  { "bogus\n", 0, -1, 0, 0, "line 1: not an address: bogus" },
  { "# c\n\n  \n192.0.2.1\n192.0.2.300\n", 0, -1, 0, 0, "line 5: octet over 255: 192.0.2.300" },
  { "  192.0.2.1 5  \n", 0, -1, 0, 0, "line 1: junk after entry: 192.0.2.1 5" },
  { "192.0.2.1/33\r\n", 0, -1, 0, 0, "line 1: mask length over 32: 192.0.2.1/33" },
  { "192.0.2.1\n::1", 0, 1, 1, 1, 0 },
  { "192.0.2.1\n2001:db8::/33 x", 0, -1, 0, 0, "line 2: junk after entry: 2001:db8::/33 x" },
  { "\357\273\277192.0.2.1\n", 0, 1, 1, 1, 0 },
  { "\357\273\277# saved by an editor\n192.0.2.1\n", 0, 1, 1, 2, 0 },
  { "192.0.2.1\n\357\273\277192.0.2.2\n", 0, -1, 0, 0, "line 2: not an address: ???192.0.2.2" },
  { "192.0.2.5 # mail host\n192.0.2.0/255.255.255.0\t# office\n", 0, 1, 2, 2, 0 },
  { "192.0.2.5\t#\r\n", 0, 1, 1, 1, 0 },
  { "192.0.2.5 x # y\n", 0, -1, 0, 0, "line 1: junk after entry: 192.0.2.5 x # y" },
  { "192.0.2.1\0\n", 11, -1, 0, 0, "line 1: NUL byte in line: 192.0.2.1?" },
  { "a\001b\377c\n", 0, -1, 0, 0, "line 1: not an address: a?b?c" },
  { "192.0.2.1 # me\n", 0, 1, 1, 1, 0 },
  { "bad\nworse\n", 0, -1, 0, 0, "line 1: not an address: bad" },
  { "1#2\n", 0, -1, 0, 0, "line 1: not an address: 1#2" },
  { "\r\n\r\n192.0.2.1/\r\n", 0, -1, 0, 0, "line 3: missing mask: 192.0.2.1/" },
} ;

static ipmelist list;
static ipmelist6 list6;

START_TEST(test_readfile)
{
  struct rf *t = &rf[_i];
  char fn[FNLEN];
  char want[1024];
  int source = (_i & 1) ? IPME_NOT : IPME_MORE;
  int r;

  mkfn(fn,"rf%d",_i);
  writefile(fn,t->text,t->len ? t->len : strlen(t->text));
  list.len = 0;
  ipme_err.len = 0;
  r = ipme_readfile(&list,&list6,fn,source);
  ck_assert_msg(r == t->r,"case %d: returned %d, not %d (%s)",_i,r,t->r,err());
  if (r == 1) {
    ck_assert_msg(list.len == t->n,"case %d: %u entries, not %u",_i,list.len,t->n);
    if (t->n) {
      ck_assert_msg(list.e[t->n - 1].where == t->line,"case %d: last entry on line %u, not %lu",
        _i,list.e[t->n - 1].where,t->line);
      ck_assert_msg(list.e[t->n - 1].source == source,"case %d: source %d",_i,list.e[t->n - 1].source);
    }
  }
  else {
    snprintf(want,sizeof(want),"%s %s",fn,t->err);
    ck_assert_str_eq(err(),want);
  }
}
END_TEST

static unsigned int longlen[] = { 79, 80, 81, 100, 1024, 1025, 3000, 5000 } ;

START_TEST(test_readfile_long)
{
  unsigned int len = longlen[_i];
  char fn[FNLEN];
  char *line;
  char want[1024];
  unsigned int show;

  mkfn(fn,"long%d",_i);
  line = malloc(len + 1);
  ck_assert(line != 0);
  memcpy(line,"192.0.2.1",9);
  memset(line + 9,'x',len - 9);
  line[len] = '\n';
  writefile(fn,line,len + 1);
  show = len > 80 ? 80 : len;
  snprintf(want,sizeof(want),"%s line 1: %s: %.*s%s",fn,
    len > IPME_LINEMAX ? "line too long" : "not an address",(int) show,line,len > 80 ? "..." : "");
  free(line);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),-1);
  ck_assert_str_eq(err(),want);
}
END_TEST

/* the reader works in chunks: lines and long comments across their edges */
START_TEST(test_readfile_chunks)
{
  char fn[FNLEN];
  char *text;
  unsigned int len;
  unsigned int i;

  text = malloc(200000);
  ck_assert(text != 0);
  len = 0;
  memset(text,'#',3000);
  len = 3000;
  text[len++] = '\n';
  for (i = 0;i < 5000;++i)
    len += sprintf(text + len,"%s10.%u.%u.%u\n",(i % 7) ? "" : "  ",i / 65536,(i / 256) % 256,i % 256);
  memcpy(text + len,"# ",2);
  memset(text + len + 2,'x',9000);
  len += 9002;
  text[len++] = '\n';
  len += sprintf(text + len,"192.0.2.1");
  writefile(mkfn(fn,"chunks"),text,len);
  free(text);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),1);
  ck_assert_uint_eq(list.len,5001);
  ck_assert_uint_eq(list.e[4999].where,5001);
  ck_assert(!memcmp(list.e[4999].ip.d,"\12\0\23\207",4));
  ck_assert_uint_eq(list.e[5000].where,5003);
}
END_TEST

/* a moreipme network shorter than /8 would bounce most mail: refused */
START_TEST(test_readfile_short)
{
  char fn[FNLEN];
  char want[1024];

  writefile(mkfn(fn,"short"),"0.0.0.0/0\n",10);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),-1);
  snprintf(want,sizeof(want),"%s line 1: network shorter than /8 (most of the Internet would be me): 0.0.0.0/0",fn);
  ck_assert_str_eq(err(),want);
  writefile(fn,"# x\n203.0.113.5/2\n",19);
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),-1);
  snprintf(want,sizeof(want),"%s line 2: network shorter than /8 (most of the Internet would be me): 203.0.113.5/2",fn);
  ck_assert_str_eq(err(),want);
  writefile(fn,"10.0.0.0/8\n",11);
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),1);
  writefile(fn,"0.0.0.0/0\n",10);
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_NOT),1);
}
END_TEST

/* a dangling link is not a missing file; /dev/zero is not a long wait */
START_TEST(test_readfile_links)
{
  char fn[FNLEN];
  char want[1024];

  ck_assert(symlink("/nonexistent/moreipme",mkfn(fn,"dangling")) == 0);
  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_NOT),-1);
  snprintf(want,sizeof(want),"unable to read %s: symbolic link to a file that does not exist",fn);
  ck_assert_str_eq(err(),want);
  ck_assert(symlink("/dev/zero",mkfn(fn,"zero")) == 0);
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),-1);
  snprintf(want,sizeof(want),"%s line 1: line too long: ",fn);
  ck_assert_msg(!strncmp(err(),want,strlen(want)),"error is \"%s\"",err());
}
END_TEST

START_TEST(test_readfile_missing)
{
  char fn[FNLEN];

  list.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,&list6,mkfn(fn,"nosuchfile"),IPME_MORE),1);
  ck_assert_uint_eq(list.len,0);
}
END_TEST

static void unreadable(char *fn)
{
  char want[1024];

  snprintf(want,sizeof(want),"unable to read %s: ",fn);
  list.len = 0;
  ipme_err.len = 0;
  ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),-1);
  ck_assert_msg(!strncmp(err(),want,strlen(want)) && strlen(err()) > strlen(want),
    "error is \"%s\"",err());
}

START_TEST(test_readfile_dir)
{
  char fn[FNLEN];

  ck_assert(mkdir(mkfn(fn,"adir"),0755) == 0);
  unreadable(fn);
}
END_TEST

START_TEST(test_readfile_notdir)
{
  char fn[FNLEN];

  writefile(mkfn(fn,"plain"),"192.0.2.1\n",10);
  unreadable(mkfn(fn,"plain/moreipme"));
}
END_TEST

START_TEST(test_readfile_mode000)
{
  char fn[FNLEN];

  writefile(mkfn(fn,"mode000"),"192.0.2.1\n",10);
  ck_assert(chmod(fn,0) == 0);
  if (geteuid() == 0) { /* root reads it all the same */
    list.len = 0;
    ck_assert_int_eq(ipme_readfile(&list,&list6,fn,IPME_MORE),1);
    ck_assert_uint_eq(list.len,1);
  }
  else
    unreadable(fn);
}
END_TEST

/* ipme_load, ipme_match, ipme_is */

#define ANY (-1)

static struct lookup {
  const char *more; /* 0: no such file */
  const char *not;
  const char *ip;
  int is;
  int source; /* of the deciding entry; 0: none; ANY: not checked */
  unsigned long line;
  unsigned int bits;
  const char *written; /* the entry's address, if not 0 */
} lookup[] = {
  /* nothing configured */
  { 0, 0, "192.0.2.201", 0, 0, 0, 0, 0 },
  { "", "", "198.51.100.201", 0, 0, 0, 0, 0 },
  /* moreipme alone */
  { "192.0.2.201\n", 0, "192.0.2.201", 1, IPME_MORE, 1, 32, "192.0.2.201" },
  { "192.0.2.201\n", 0, "192.0.2.202", 0, 0, 0, 0, 0 },
  { "203.0.113.77/24\n", 0, "203.0.113.201", 1, IPME_MORE, 1, 24, "203.0.113.77" },
  { "203.0.113.77/24\n", 0, "198.51.100.77", 0, 0, 0, 0, 0 },
  { "# a\n\n  \n\t198.51.100.0/24 \r\n", 0, "198.51.100.150", 1, IPME_MORE, 4, 24, "198.51.100.0" },
  /* notipme alone */
  { 0, "192.0.2.201\n", "192.0.2.201", 0, IPME_NOT, 1, 32, "192.0.2.201" },
  { "", "192.0.2.0/24\n", "192.0.2.201", 0, IPME_NOT, 1, 24, "192.0.2.0" },
  /* a longer notipme inside a shorter moreipme */
  { "198.51.100.0/24\n", "198.51.100.128/25\n", "198.51.100.200", 0, IPME_NOT, 1, 25, "198.51.100.128" },
  { "198.51.100.0/24\n", "198.51.100.128/25\n", "198.51.100.127", 1, IPME_MORE, 1, 24, "198.51.100.0" },
  /* a longer moreipme inside a shorter notipme */
  { "# me\n203.0.113.207\n", "203.0.113.0/24\n", "203.0.113.207", 1, IPME_MORE, 2, 32, "203.0.113.207" },
  { "# me\n203.0.113.207\n", "203.0.113.0/24\n", "203.0.113.208", 0, IPME_NOT, 1, 24, "203.0.113.0" },
  /* equal lengths: notipme wins, whatever the form of the mask */
  { "192.0.2.0/24\n", "192.0.2.0/255.255.255.0\n", "192.0.2.209", 0, IPME_NOT, 1, 24, 0 },
  { "192.0.2.0/255.255.255.0\n", "192.0.2.0/24\n", "192.0.2.209", 0, IPME_NOT, 1, 24, 0 },
  { "192.0.2.209\n", "192.0.2.209/32\n", "192.0.2.209", 0, IPME_NOT, 1, 32, 0 },
  { "198.51.100.0/255.255.255.128", "\n198.51.100.5/25", "198.51.100.101", 0, IPME_NOT, 2, 25, "198.51.100.5" },
  /* notipme /0 against moreipme /32 */
  { "198.51.100.109/32\n", "0.0.0.0/0\n", "198.51.100.109", 1, IPME_MORE, 1, 32, 0 },
  { "198.51.100.109/32\n", "0.0.0.0/0\n", "198.51.100.110", 0, IPME_NOT, 1, 0, 0 },
  { "198.51.100.109/32\n", "0.0.0.0/0\n", "127.1.2.3", 1, IPME_BUILTIN, 0, 8, "127.0.0.0" },
  /* the longest entry decides, not the first */
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.0/25\n", "192.0.2.70", 1, IPME_MORE, 2, 26, 0 },
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.0/25\n", "192.0.2.30", 0, IPME_NOT, 1, 25, 0 },
  { "192.0.2.0/24\n192.0.2.64/26\n192.0.2.0/25\n", "192.0.2.0/25\n", "192.0.2.200", 1, IPME_MORE, 1, 24, 0 },
  { 0, "0.0.0.0/0\n192.0.2.240/28\n192.0.2.0/24\n", "192.0.2.243", 0, IPME_NOT, 2, 28, 0 },
  /* builtins: 127.0.0.0/8 and 0.0.0.0 */
  { 0, 0, "127.0.0.1", 1, ANY, 0, 0, 0 },
  { 0, 0, "127.1.2.3", 1, IPME_BUILTIN, 0, 8, "127.0.0.0" },
  { 0, 0, "0.0.0.0", 1, IPME_BUILTIN, 0, 32, "0.0.0.0" },
  { 0, "0.0.0.0/0\n", "0.0.0.0", 1, IPME_BUILTIN, 0, 32, 0 },
  /* notipme 127.0.0.0/8 ties the builtin, and wins */
  { 0, "127.0.0.0/8\n", "127.0.0.2", 0, IPME_NOT, 1, 8, 0 },
  { 0, "127.0.0.0/255.0.0.0\n", "127.255.255.255", 0, IPME_NOT, 1, 8, 0 },
} ;

/* the name of an interface that has ip, or 0 */
static const char *iface(struct ip_address *ip)
{
  unsigned int i;

  for (i = 0;i < ipme_me.len;++i)
    if (ipme_me.e[i].source == IPME_IFACE && !memcmp(ipme_me.e[i].ip.d,ip->d,4))
      return ipme_ifname(ipme_me.e[i].where);
  return 0;
}

/* dir: a new directory, holding moreipme and notipme unless they are 0 */
static void mkcontrol(char *dir,const char *more,const char *not)
{
  char fn[FNLEN];

  ck_assert_msg(mkdir(dir,0755) == 0,"cannot make %s",dir);
  if (more) { snprintf(fn,sizeof(fn),"%s/moreipme",dir); writefile(fn,more,strlen(more)); }
  if (not) { snprintf(fn,sizeof(fn),"%s/notipme",dir); writefile(fn,not,strlen(not)); }
}

START_TEST(test_lookup)
{
  struct lookup *t = &lookup[_i];
  struct ip_address ip = addr(t->ip);
  struct ipme_entry *m;
  char d[FNLEN];
  char w[20];

  mkcontrol(mkfn(d,"lookup%d",_i),t->more,t->not);
  ck_assert_msg(ipme_load(d) == 1,"case %d: ipme_load failed: %s",_i,err());
  if (t->source != ANY)
    ck_assert_msg(!iface(&ip),"case %d: %s is an address of %s here; the table needs one that is not",
      _i,t->ip,iface(&ip));
  ck_assert_msg(ipme_is(&ip) == t->is,"case %d: %s is %sme",_i,t->ip,t->is ? "" : "not ");
  m = ipme_match(&ip);
  if (!t->source) {
    ck_assert_msg(m == 0,"case %d: %s matched source %d line %u",_i,t->ip,m ? m->source : 0,m ? m->where : 0);
    return;
  }
  ck_assert_msg(m != 0,"case %d: %s matched nothing",_i,t->ip);
  if (t->source == ANY) return;
  ck_assert_msg(m->source == t->source,"case %d: source %d, not %d",_i,m->source,t->source);
  if (t->source != IPME_BUILTIN)
    ck_assert_msg(m->where == t->line,"case %d: line %u, not %lu",_i,m->where,t->line);
  ck_assert_msg(m->bits == t->bits,"case %d: bits %u, not %u",_i,m->bits,t->bits);
  if (t->written) {
    snprintf(w,sizeof(w),"%u.%u.%u.%u",m->ip.d[0],m->ip.d[1],m->ip.d[2],m->ip.d[3]);
    ck_assert_str_eq(w,t->written);
  }
}
END_TEST

/* ipme_load failing: what ipme_err says after "DIR" */

static struct loadbad {
  const char *more; /* 0: no such file */
  const char *not;
  const char *err;
} loadbad[] = {
  { "192.0.2.1\n\n10.0.0.300\n", 0, "/moreipme line 3: octet over 255: 10.0.0.300" },
  { "192.0.2.1\n\n10.0.0.300\n", "x\n", "/moreipme line 3: octet over 255: 10.0.0.300" },
  { "192.0.2.1\n", "# v6\n::1/\n", "/notipme line 2: missing prefix length: ::1/" },
  { "192.0.2.1\n0.0.0.0/0\n", 0, "/moreipme line 2: network shorter than /8 (most of the Internet would be me): 0.0.0.0/0" },
  { 0, "198.51.100.0/24\n198.51.100.0/255.0.255.0", "/notipme line 2: mask not contiguous: 198.51.100.0/255.0.255.0" },
} ;

START_TEST(test_load_bad)
{
  struct loadbad *t = &loadbad[_i];
  char d[FNLEN];
  char want[1024];

  mkcontrol(mkfn(d,"loadbad%d",_i),t->more,t->not);
  ck_assert_int_eq(ipme_load(d),-1);
  snprintf(want,sizeof(want),"%s%s",d,t->err);
  ck_assert_str_eq(err(),want);
}
END_TEST

/* a file that cannot be read is not a file that is not there */
static void loadunreadable(char *dir,char *fn)
{
  char want[1024];

  ck_assert_int_eq(ipme_load(dir),-1);
  snprintf(want,sizeof(want),"unable to read %s: ",fn);
  ck_assert_msg(!strncmp(err(),want,strlen(want)) && strlen(err()) > strlen(want),
    "error is \"%s\", not \"%s...\"",err(),want);
}

START_TEST(test_load_unreadable)
{
  char d[FNLEN];
  char fn[FNLEN];

  mkcontrol(mkfn(d,"unreadable"),"192.0.2.1\n",0);
  ck_assert(mkdir(mkfn(fn,"unreadable/notipme"),0755) == 0);
  loadunreadable(d,fn);
}
END_TEST

/* the daemons never open the directory; the tools' -c asks ipme_checkdir */
START_TEST(test_load_nodir)
{
  char d[FNLEN];
  char want[1024];

  ck_assert_int_eq(ipme_load(mkfn(d,"nosuchdir")),1);
  ck_assert_int_eq(ipme_checkdir(d),-1);
  snprintf(want,sizeof(want),"unable to read %s: no such directory",d);
  ck_assert_str_eq(err(),want);
  writefile(mkfn(d,"aplainfile"),"",0);
  ck_assert_int_eq(ipme_checkdir(d),-1);
  snprintf(want,sizeof(want),"unable to read %s: not a directory",d);
  ck_assert_str_eq(err(),want);
  ck_assert(mkdir(mkfn(d,"mode711"),0711) == 0);
  ck_assert_int_eq(ipme_checkdir(d),1);
}
END_TEST

/* dir/ and dir// name the same files as dir */
START_TEST(test_load_slash)
{
  char d[FNLEN];
  char want[1024];
  struct ip_address ip = addr("192.0.2.88");
  struct ipme_entry *m;
  static stralloc sa;

  mkcontrol(mkfn(d,"slash"),"192.0.2.88\n",0);
  snprintf(want,sizeof(want),"%s/moreipme:1",d);
  strcat(d,"//");
  ck_assert_int_eq(ipme_load(d),1);
  m = ipme_match(&ip);
  ck_assert(m != 0);
  sa.len = 0;
  ck_assert(ipme_catsource(&sa,m->source,m->where));
  ck_assert_msg(sa.len == strlen(want) && !memcmp(sa.s,want,sa.len),"source \"%.*s\"",(int) sa.len,sa.s);
}
END_TEST

/* IPv6 lines are kept, and answered, but never make an IPv4 address me */
START_TEST(test_load_ipv6)
{
  char d[FNLEN];
  unsigned char a[16] = { 0x20,0x01,0x0d,0xb8,0,0,0,0,0,0,0,0,0,0,0,5 };
  unsigned char b[16] = { 0x20,0x01,0x0d,0xb8,0,1 };
  struct ip_address ip = addr("192.0.2.5");
  struct ipme_entry6 *m;

  mkcontrol(mkfn(d,"ipv6"),"2001:db8::/32\n","# v6\n2001:db8::5\n");
  ck_assert_int_eq(ipme_load(d),1);
  m = ipme_match6(a);
  ck_assert(m != 0);
  ck_assert_int_eq(m->source,IPME_NOT);
  ck_assert_uint_eq(m->where,2);
  m = ipme_match6(b);
  ck_assert(m != 0);
  ck_assert_int_eq(m->source,IPME_MORE);
  ck_assert_int_eq(ipme_is(&ip),0);
}
END_TEST

START_TEST(test_load_notdir)
{
  char d[FNLEN];
  char fn[FNLEN];

  writefile(mkfn(d,"notadir"),"192.0.2.1\n",10);
  loadunreadable(d,mkfn(fn,"notadir/moreipme"));
}
END_TEST

/* a second load replaces the first, and clears ipme_err */
START_TEST(test_load_again)
{
  char dirgood[FNLEN];
  char dirbad[FNLEN];
  char dirswapped[FNLEN];
  struct ip_address ip = addr("192.0.2.1");
  unsigned int n;

  mkcontrol(mkfn(dirgood,"again"),"192.0.2.1\n",0);
  mkcontrol(mkfn(dirbad,"againbad"),"192.0.2.1\n","192.0.2.1\nx\n");
  mkcontrol(mkfn(dirswapped,"againswapped"),0,"192.0.2.1\n");
  ck_assert_int_eq(ipme_load(dirgood),1);
  n = ipme_me.len;
  ck_assert_int_eq(ipme_load(dirbad),-1);
  ck_assert_uint_ne(ipme_err.len,0);
  ck_assert_int_eq(ipme_load(dirgood),1);
  ck_assert_uint_eq(ipme_me.len,n);
  ck_assert_uint_eq(ipme_not.len,0);
  ck_assert_uint_eq(ipme_err.len,0);
  ck_assert_int_eq(ipme_is(&ip),1);
  ck_assert_int_eq(ipme_load(dirswapped),1);
  ck_assert_uint_eq(ipme_me.len,n - 1);
  ck_assert_int_eq(ipme_is(&ip),0);
}
END_TEST

/* ipme_is loads control/moreipme and control/notipme when it must, once */
START_TEST(test_init)
{
  struct ip_address ip = addr("192.0.2.3");
  char home[FNLEN];
  char d[FNLEN];
  char fnmore[FNLEN];
  char fnnot[FNLEN];
  int cwd;

  ck_assert(mkdir(mkfn(home,"home"),0755) == 0);
  mkcontrol(mkfn(d,"home/control"),"192.0.2.3/33\n",0);
  mkfn(fnmore,"home/control/moreipme");
  mkfn(fnnot,"home/control/notipme");
  ck_assert_int_eq(ipme_load(d),-1);
  cwd = open(".",O_RDONLY);
  ck_assert(cwd != -1);
  ck_assert(chdir(home) == 0);
  ck_assert_int_eq(ipme_is(&ip),-1);
  ck_assert_str_eq(err(),"control/moreipme line 1: mask length over 32: 192.0.2.3/33");
  writefile(fnmore,"192.0.2.3/32\n",13);
  ck_assert_int_eq(ipme_is(&ip),-1); /* a failure holds for the process */
  ck_assert_int_eq(ipme_init(),-1);
  ck_assert_int_eq(ipme_unsure(),1);
  ck_assert_int_eq(ipme_unsure(),1);
  ck_assert_int_eq(ipme_unsure_log(),1);
  ck_assert_int_eq(ipme_unsure(),0);
  ck_assert_int_eq(ipme_unsure_log(),0);
  ck_assert_int_eq(ipme_load("control"),1);
  ck_assert_int_eq(ipme_is(&ip),1);
  writefile(fnnot,"192.0.2.3\n",10);
  ck_assert_int_eq(ipme_is(&ip),1); /* not read again */
  ck_assert(fchdir(cwd) == 0);
  close(cwd);
}
END_TEST

/* ipme_fmt and ipme_catsource, on entries ipme_load made */
START_TEST(test_fmt)
{
  static const char *more = "# x\n192.0.2.1\n198.51.100.77/24\n10.0.0.0/255.0.0.0\n";
  static const char *want[] = { "192.0.2.1", "198.51.100.77/24", "10.0.0.0/8" } ;
  char d[FNLEN];
  char s[IPME_FMT];
  char line[64];
  static stralloc sa;
  struct ip_address ip;
  struct ipme_entry *m;
  struct ipme_entry e;
  unsigned int i;
  unsigned int len;

  mkcontrol(mkfn(d,"fmt"),more,"203.0.113.0/25\n");
  ck_assert_int_eq(ipme_load(d),1);
  ck_assert_uint_ge(ipme_me.len,5);
  for (i = 0;i < 3;++i) {
    m = &ipme_me.e[ipme_me.len - 3 + i];
    ck_assert_int_eq(m->source,IPME_MORE);
    len = ipme_fmt(s,m);
    ck_assert_uint_eq(len,ipme_fmt((char *) 0,m));
    ck_assert_uint_eq(len,strlen(want[i]));
    ck_assert(!memcmp(s,want[i],len));
    sa.len = 0;
    ck_assert(ipme_catsource(&sa,m->source,m->where));
    snprintf(line,sizeof(line),"/moreipme:%u",i + 2);
    ck_assert_msg(sa.len == strlen(d) + strlen(line) && !memcmp(sa.s,d,strlen(d))
      && !memcmp(sa.s + strlen(d),line,strlen(line)),"source \"%.*s\"",(int) sa.len,sa.s);
  }
  ip = addr("203.0.113.99");
  m = ipme_match(&ip);
  ck_assert(m != 0);
  sa.len = 0;
  ck_assert(ipme_catsource(&sa,m->source,m->where));
  snprintf(line,sizeof(line),"%s/notipme:1",d);
  ck_assert_msg(sa.len == strlen(line) && !memcmp(sa.s,line,sa.len),"source \"%.*s\"",(int) sa.len,sa.s);
  ip = addr("127.3.4.5");
  m = ipme_match(&ip);
  ck_assert(m != 0);
  ck_assert_uint_eq(ipme_fmt(s,m),11);
  ck_assert(!memcmp(s,"127.0.0.0/8",11));
  sa.len = 0;
  ck_assert(ipme_catsource(&sa,m->source,m->where));
  ck_assert(sa.len == 7 && !memcmp(sa.s,"builtin",7));
  memset(&e,0,sizeof(e));
  e.ip = addr("255.255.255.255");
  e.bits = 31;
  ck_assert_uint_eq(ipme_fmt(s,&e),18); /* the longest */
  ck_assert(!memcmp(s,"255.255.255.255/31",18));
  ck_assert_uint_le(18,IPME_FMT);
}
END_TEST

/*
ipme_loop, the loop guard, as qmail-remote's smtpcode() calls it: with
each reply as smtptext holds it (no CR, each line ending in LF), from
203.0.113.5. It keeps what it saw in statics and reads control/me and
control/smtpgreeting from the cwd, so each case runs in a child of its
own: the sanitizer run does not fork for each test (CK_FORK=no). The
child only calls and writes what it got; the parent judges.
*/

#define ME "mail.example.org"
#define LOOPMSG(ip,name) "ZConnected to " ip " but it greeted me with my own name " name \
  ": this is a mail loop. If " ip " is this host, add it to control/moreipme. (#4.4.6)\n"

static struct loopcase {
  const char *me; /* control/me; 0: none */
  const char *greeting; /* control/smtpgreeting; 0: none */
  const char *more; /* control/moreipme; 0: none */
  const char *not; /* control/notipme; 0: none */
  unsigned long port;
  const char *reply[4]; /* 0 ends the list */
  const char *want; /* an answer a reply, up to one that is not 0: 1, 0, or - for -1 */
  const char *report; /* ipme_report() after an answer other than 0 */
} loopcase[] = {
  /* match */
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOPMSG("203.0.113.5",ME) },
  /* greeting only, reply only */
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 other.example.net\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 other.example.net ESMTP\n","250 " ME "\n" },"00",0 },
  /* another port */
  { ME "\n",0,0,0,2525,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,0,587,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  /* names the guard cannot trust */
  { "mail\n",0,0,0,25,{ "220 mail ESMTP\n","250 mail\n" },"00",0 },
  { "localhost\n",0,0,0,25,{ "220 localhost ESMTP\n","250 localhost\n" },"00",0 },
  { "localhost.localdomain\n",0,0,0,25,{ "220 localhost.localdomain ESMTP\n","250 localhost.localdomain\n" },"00",0 },
  { "LocalHost.example.org\n",0,0,0,25,{ "220 LocalHost.example.org ESMTP\n","250 LocalHost.example.org\n" },"00",0 },
  { ".example.org\n",0,0,0,25,{ "220 .example.org ESMTP\n","250 .example.org\n" },"00",0 },
  { "mail.\n",0,0,0,25,{ "220 mail. ESMTP\n","250 mail.\n" },"00",0 },
  { "mail..example.org\n",0,0,0,25,{ "220 mail..example.org ESMTP\n","250 mail..example.org\n" },"00",0 },
  { 0,0,0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  /* replies of several lines: the first line counts */
  { ME "\n",0,0,0,25,{ "220-" ME " ESMTP\n220 and more\n","250-" ME "\n250-PIPELINING\n250 8BITMIME\n" },"01",LOOPMSG("203.0.113.5",ME) },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250-other.example.net\n250-" ME "\n250 8BITMIME\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220-other.example.net ESMTP\n220 " ME "\n","250 " ME "\n" },"00",0 },
  /* any case; the report names us as control/me does */
  { "Mail.Example.Org\n",0,0,0,25,{ "220 MAIL.EXAMPLE.ORG ESMTP\n","250 mail.example.org\n" },"01",LOOPMSG("203.0.113.5","Mail.Example.Org") },
  /* words and blanks */
  { ME " \t\n",0,0,0,25,{ "220  " ME "\tESMTP\n","250 \t" ME "\n" },"01",LOOPMSG("203.0.113.5",ME) },
  { ME "\n",0,0,0,25,{ "220 " ME "x ESMTP\n","250 " ME "x\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 mail.example ESMTP\n","250 mail.example\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250\t" ME "\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250\n" },"00",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 \n" },"00",0 },
  { ME "\n",0,0,0,25,{ "554 " ME " go away\n","250 " ME "\n" },"00",0 },
  /* control/smtpgreeting's first word, not control/me */
  { ME "\n","relay.example.net ESMTP ready\n",0,0,25,{ "220 relay.example.net ESMTP ready ESMTP\n","250 relay.example.net\n" },"01",LOOPMSG("203.0.113.5","relay.example.net") },
  { ME "\n","relay.example.net ESMTP ready\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { 0,ME "\n",0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOPMSG("203.0.113.5",ME) },
  /* notipme decides; moreipme does not matter */
  { ME "\n",0,0,"203.0.113.5\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,"203.0.113.0/24\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,0,"203.0.113.6\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOPMSG("203.0.113.5",ME) },
  { ME "\n",0,"203.0.113.5\n","203.0.113.5\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  { ME "\n",0,"203.0.113.5\n",0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"01",LOOPMSG("203.0.113.5",ME) },
  { ME "\n",0,"203.0.113.0/24\n","203.0.113.5\n",25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"00",0 },
  /* after the second reply, nothing counts */
  { ME "\n",0,0,0,25,{ "220 other.example.net ESMTP\n","250 other.example.net\n","220 " ME " ESMTP\n","250 " ME "\n" },"0000",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","502 unimplemented\n","250 " ME "\n","250 " ME "\n" },"0000",0 },
  { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250-other.example.net\n250 STARTTLS\n","220 ready\n","250 " ME "\n" },"0000",0 },
} ;

/* in the child: the answers up to the first that is not 0, a newline,
then ipme_report() if there is one, to fd; exit code 0 */
static void loopchild(struct loopcase *c,struct ip_address *ip,char *home,int fd)
{
  static stralloc sa;
  char buf[4096];
  char *r;
  unsigned int len;
  int i;
  int x;

  if (chdir(home) == -1) _exit(2);
  if (ipme_load("control") != 1) _exit(3);
  len = 0;
  x = 0;
  for (i = 0;i < 4 && c->reply[i];++i) {
    if (!stralloc_copys(&sa,(char *) c->reply[i])) _exit(4);
    x = ipme_loop(&sa,ip,c->port);
    buf[len++] = (x == 1) ? '1' : x ? '-' : '0';
    if (x) break; /* qmail-remote says QUIT and ipme_report() */
  }
  buf[len++] = '\n';
  for (r = x ? ipme_report() : "";*r && len < sizeof(buf);++r) buf[len++] = *r;
  if (write(fd,buf,len) != (ssize_t) len) _exit(5);
  _exit(0);
}

/* out: what the child wrote, as a string */
static void runloop(struct loopcase *c,char *home,char *out,size_t outlen)
{
  struct ip_address ip = addr("203.0.113.5");
  size_t len;
  ssize_t r;
  pid_t pid;
  int pi[2];
  int status;

  ck_assert(pipe(pi) == 0);
  fflush(stdout);
  pid = fork();
  ck_assert(pid != -1);
  if (pid == 0) { close(pi[0]); loopchild(c,&ip,home,pi[1]); }
  close(pi[1]);
  for (len = 0;len < outlen - 1;len += r)
    if ((r = read(pi[0],out + len,outlen - 1 - len)) <= 0) break;
  out[len] = 0;
  close(pi[0]);
  ck_assert(waitpid(pid,&status,0) == pid);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,"the child failed: status %d",status);
}

START_TEST(test_loop)
{
  struct loopcase *c = loopcase + _i;
  char home[FNLEN];
  char d[FNLEN];
  char fn[FNLEN];
  char want[1024];
  char out[1024];

  ck_assert(mkdir(mkfn(home,"loop%d",_i),0755) == 0);
  mkcontrol(mkfn(d,"loop%d/control",_i),c->more,c->not);
  if (c->me) writefile(mkfn(fn,"loop%d/control/me",_i),c->me,strlen(c->me));
  if (c->greeting) writefile(mkfn(fn,"loop%d/control/smtpgreeting",_i),c->greeting,strlen(c->greeting));
  runloop(c,home,out,sizeof(out));
  snprintf(want,sizeof(want),"%s\n%s",c->want,c->report ? c->report : "");
  ck_assert_msg(!strcmp(out,want),"case %d: got \"%s\", want \"%s\"",_i,out,want);
}
END_TEST

/* a control/smtpgreeting that cannot be read: ipme_loop cannot tell */
START_TEST(test_loop_unreadable)
{
  static struct loopcase c = { ME "\n",0,0,0,25,{ "220 " ME " ESMTP\n","250 " ME "\n" },"-",0 } ;
  char home[FNLEN];
  char d[FNLEN];
  char out[1024];

  ck_assert(mkdir(mkfn(home,"loopdir"),0755) == 0);
  mkcontrol(mkfn(d,"loopdir/control"),0,0);
  ck_assert(mkdir(mkfn(d,"loopdir/control/smtpgreeting"),0755) == 0);
  runloop(&c,home,out,sizeof(out));
  ck_assert_str_eq(out,"-\nZUnable to read control files. (#4.3.0)\n");
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

#define N(a) ((int) (sizeof(a) / sizeof((a)[0])))

static Suite *suite(void)
{
  Suite *s = suite_create("ipme");
  TCase *tc;

  tc = tcase_create("parse");
  tcase_add_loop_test(tc,test_parse_good,0,N(good));
  tcase_add_loop_test(tc,test_parse_bad,0,N(bad));
  tcase_add_test(tc,test_parse_zeros);
  tcase_add_loop_test(tc,test_parse_good6,0,N(good6));
  suite_add_tcase(s,tc);

  tc = tcase_create("readfile");
  tcase_add_loop_test(tc,test_readfile,0,N(rf));
  tcase_add_loop_test(tc,test_readfile_long,0,N(longlen));
  tcase_add_test(tc,test_readfile_chunks);
  tcase_add_test(tc,test_readfile_short);
  tcase_add_test(tc,test_readfile_links);
  tcase_add_test(tc,test_readfile_missing);
  tcase_add_test(tc,test_readfile_dir);
  tcase_add_test(tc,test_readfile_notdir);
  tcase_add_test(tc,test_readfile_mode000);
  suite_add_tcase(s,tc);

  tc = tcase_create("lookup");
  tcase_add_loop_test(tc,test_lookup,0,N(lookup));
  tcase_add_loop_test(tc,test_load_bad,0,N(loadbad));
  tcase_add_test(tc,test_load_unreadable);
  tcase_add_test(tc,test_load_nodir);
  tcase_add_test(tc,test_load_notdir);
  tcase_add_test(tc,test_load_slash);
  tcase_add_test(tc,test_load_ipv6);
  tcase_add_test(tc,test_load_again);
  tcase_add_test(tc,test_init);
  tcase_add_test(tc,test_fmt);
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

  if (!mkdtemp(tmp)) { perror("check_ipme: mkdtemp"); return 111; }
  sr = srunner_create(suite());
  n = run_failures(sr);
  fflush(stdout);
  srunner_print(sr,CK_MINIMAL);
  srunner_free(sr);
  cleanup(tmp);
  return n ? 1 : 0;
}

#include "ipme.h"

#include <unistd.h>
#include "substdio.h"
#include "subfd.h"
#include "stralloc.h"
#include "strerr.h"
#include "alloc.h"
#include "str.h"
#include "auto_qmail.h"

#define FATAL "ipmetest: fatal: "

static void die_usage(void) { strerr_die1x(100,"ipmetest: usage: ipmetest [ -c controldir ] address ..."); }
static void die_nomem(void) { strerr_die2x(111,FATAL,"out of memory"); }
static void die_write(void) { strerr_die2sys(111,FATAL,"unable to write output: "); }

static stralloc out = {0};

static void cat(char *s) { if (!stralloc_cats(&out,s)) die_nomem(); }

static void scan(char *s,struct ip_address *ip)
{
  struct ipme_entry e;
  char *why;

  if (!ipme_parse(&e,s,str_len(s),&why)) strerr_die5x(100,FATAL,"bad address ",s,": ",why);
  if (s[str_chr(s,'/')]) strerr_die4x(100,FATAL,"bad address ",s,": a network, not an address");
  *ip = e.ip;
}

static void load(char *dir)
{
  int r;

  if (!dir) {
    if (chdir(auto_qmail) == -1) strerr_die4sys(111,FATAL,"unable to chdir to ",auto_qmail,": ");
    dir = "control";
  }
  r = ipme_load(dir);
  if (r == 0) die_nomem();
  if (r == -1 && ipme_err.len) strerr_die2x(111,FATAL,ipme_err.s);
  if (r == -1) strerr_die2sys(111,FATAL,"unable to list network interfaces: ");
}

static void answer(char *s,struct ip_address *ip)
{
  struct ipme_entry *e;
  char x[IPME_FMT];

  e = ipme_match(ip);
  out.len = 0;
  cat(s);
  if (!e) cat(": not me (no entry matches)\n");
  else {
    cat((e->source == IPME_NOT) ? ": not me (notipme " : ": me (ipme ");
    if (!stralloc_catb(&out,x,ipme_fmt(x,e))) die_nomem();
    cat(", ");
    if (!ipme_catsource(&out,e)) die_nomem();
    cat(")\n");
  }
  if (substdio_put(subfdout,out.s,out.len) == -1) die_write();
}

int main(int argc,char **argv)
{
  struct ip_address *ip;
  char *dir;
  int i;

  dir = 0;
  ++argv; --argc;
  if (argc && str_equal(argv[0],"-c")) {
    if (argc < 2) die_usage();
    dir = argv[1]; argv += 2; argc -= 2;
  }
  if (argc < 1) die_usage();
  ip = (struct ip_address *) alloc((unsigned int) argc * (unsigned int) sizeof(*ip));
  if (!ip) die_nomem();
  for (i = 0;i < argc;++i) scan(argv[i],ip + i);
  load(dir);
  for (i = 0;i < argc;++i) answer(argv[i],ip + i);
  if (substdio_flush(subfdout) == -1) die_write();
  return 0;
}

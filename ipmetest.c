#include "ipmetool.h"
#include "ipmedomain.h"
#include "substdio.h"
#include "subfd.h"
#include "stralloc.h"
#include "strerr.h"
#include "str.h"

#define FATAL "ipmetest: fatal: "
#define WARNING "ipmetest: warning: "

static void die_usage(void) { strerr_die1x(100,"ipmetest: usage: ipmetest [ -c controldir ] [ -p ] address|domain ..."); }
static void die_write(void) { strerr_die2sys(111,FATAL,"unable to write output: "); }

static stralloc out = {0};

static void cats(char *s) { if (!stralloc_cats(&out,s)) tool_nomem(); }

/* 1: an IPv4 address, in n->ip; 0: IPv6 (written as IPv6: not checked further) */
static int scan(char *s,struct ipme_net *n)
{
  unsigned int len;
  unsigned int i;
  char *why;
  int r;

  len = str_len(s);
  for (i = 0;i < len;++i)
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '#') break;
  why = "not an address";
  r = (len && i == len) ? ipme_scan(n,s,len,&why) : -1;
  if (r == -1) strerr_die5x(100,FATAL,"bad address ",s,": ",why);
  if (s[str_chr(s,'/')]) strerr_die4x(100,FATAL,"bad address ",s,": a network, not an address");
  return r;
}

static void answer(char *s)
{
  struct ipme_net n;

  out.len = 0;
  cats(s);
  if (scan(s,&n)) { tool_catme(&out,&n.ip); cats("\n"); }
  else cats(": not me (IPv6: this qmail delivers over IPv4 only)\n");
  if (substdio_put(subfdout,out.s,out.len) == -1) die_write();
}

int main(int argc,char **argv)
{
  struct ipme_net n;
  char *dir;
  int flagdomain;
  int flagprobe;
  int i;

  tool_fatal = FATAL;
  tool_warning = WARNING;
  dir = 0;
  flagprobe = 0;
  for (++argv,--argc;argc && argv[0][0] == '-';++argv,--argc) {
    if (str_equal(argv[0],"--")) { ++argv; --argc; break; }
    if (str_equal(argv[0],"-c") && argc > 1 && argv[1][0]) { dir = argv[1]; ++argv; --argc; }
    else if (str_equal(argv[0],"-p")) flagprobe = 1;
    else die_usage();
  }
  if (argc < 1) die_usage();
  flagdomain = 0;
  for (i = 0;i < argc;++i) /* every address and domain is checked before any is answered */
    if (domain_is(argv[i])) { domain_check(argv[i]); flagdomain = 1; }
    else scan(argv[i],&n);
  tool_load(dir);
  if (flagdomain) domain_load(flagprobe);
  for (i = 0;i < argc;++i)
    if (domain_is(argv[i])) domain_answer(argv[i]);
    else answer(argv[i]);
  if (substdio_flush(subfdout) == -1) die_write();
  return domain_status();
}

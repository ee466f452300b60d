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

struct question {
  int family; /* 4 or 6 */
  struct ipme_entry e;
  struct ipme_entry6 e6;
} ;

static stralloc out = {0};
static struct question *questions;

static void cat(char *s) { if (!stralloc_cats(&out,s)) die_nomem(); }

static void scan(char *s,struct question *q)
{
  char *why;

  q->family = ipme_parse(&q->e,&q->e6,s,str_len(s),&why);
  if (!q->family) strerr_die5x(100,FATAL,"bad address ",s,": ",why);
  if (s[str_chr(s,'/')]) strerr_die4x(100,FATAL,"bad address ",s,": a network, not an address");
}

static void load(char *dir)
{
  int r;

  if (!dir) {
    if (chdir(auto_qmail) == -1) strerr_die4sys(111,FATAL,"unable to chdir to ",auto_qmail,": ");
    dir = "control";
  }
  else if (ipme_checkdir(dir) == -1) strerr_die2x(111,FATAL,ipme_err.s);
  r = ipme_load(dir);
  if (r == 0) die_nomem();
  if (r == -1 && ipme_err.len) strerr_die2x(111,FATAL,ipme_err.s);
  if (r == -1) strerr_die2sys(111,FATAL,"unable to list network interfaces: ");
}

static void says(int source,unsigned int where)
{
  cat(", ");
  if (!ipme_catsource(&out,source,where)) die_nomem();
  cat(")\n");
}

static void answer4(struct ipme_entry *e)
{
  char x[IPME_FMT];

  if (!e) { cat(": not me (no entry matches)\n"); return; }
  cat((e->source == IPME_NOT) ? ": not me (notipme " : ": me (ipme ");
  if (!stralloc_catb(&out,x,ipme_fmt(x,e))) die_nomem();
  says(e->source,e->where);
}

static void answer6(struct ipme_entry6 *e)
{
  char x[IPME_FMT6];

  if (!e) { cat(": not me (no entry matches)\n"); return; }
  cat((e->source == IPME_NOT) ? ": not me (notipme " : ": me (ipme ");
  if (!stralloc_catb(&out,x,ipme_fmt6(x,e))) die_nomem();
  says(e->source,e->where);
}

static void answer(char *s,struct question *q)
{
  out.len = 0;
  cat(s);
  if (q->family == 4) answer4(ipme_match(&q->e.ip));
  else answer6(ipme_match6(q->e6.ip));
  if (substdio_put(subfdout,out.s,out.len) == -1) die_write();
}

int main(int argc,char **argv)
{
  char *dir;
  int flag6;
  int i;

  dir = 0;
  for (++argv,--argc;argc && argv[0][0] == '-';++argv,--argc) {
    if (str_equal(argv[0],"--")) { ++argv; --argc; break; }
    if (str_equal(argv[0],"-c") && argc > 1) { dir = argv[1]; ++argv; --argc; }
    else die_usage();
  }
  if (argc < 1) die_usage();
  questions = (struct question *) alloc((unsigned int) argc * (unsigned int) sizeof(*questions));
  if (!questions) die_nomem();
  flag6 = 0;
  for (i = 0;i < argc;++i) {
    scan(argv[i],questions + i);
    if (questions[i].family == 6) flag6 = 1;
  }
  load(dir);
  if (flag6)
    if (ipme_ifaces6(&ipme_me6) != 1) strerr_die2sys(111,FATAL,"unable to list IPv6 interface addresses: ");
  for (i = 0;i < argc;++i) answer(argv[i],questions + i);
  if (substdio_flush(subfdout) == -1) die_write();
  return 0;
}

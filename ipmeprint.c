#include "ipme.h"

#include <stdlib.h>
#include <unistd.h>
#include "substdio.h"
#include "subfd.h"
#include "stralloc.h"
#include "strerr.h"
#include "alloc.h"
#include "str.h"
#include "fmt.h"
#include "auto_qmail.h"

#define FATAL "ipmeprint: fatal: "
#define WARNING "ipmeprint: warning: "

static void die_usage(void) { strerr_die1x(100,"ipmeprint: usage: ipmeprint [ -c controldir ]"); }
static void die_nomem(void) { strerr_die2x(111,FATAL,"out of memory"); }
static void die_write(void) { strerr_die2sys(111,FATAL,"unable to write output: "); }

static stralloc out = {0};
static stralloc warning = {0};

static unsigned long num(struct ip_address *ip)
{
  return ((unsigned long) ip->d[0] << 24) | ((unsigned long) ip->d[1] << 16)
       | ((unsigned long) ip->d[2] << 8) | (unsigned long) ip->d[3];
}

static unsigned long net(struct ipme_entry *e)
{
  if (!e->bits) return 0;
  return num(&e->ip) & (0xffffffffUL << (32 - e->bits)) & 0xffffffffUL;
}

static void cat(stralloc *sa,char *s) { if (!stralloc_cats(sa,s)) die_nomem(); }

static void catentry(stralloc *sa,struct ipme_entry *e)
{
  char s[IPME_FMT];
  if (!stralloc_catb(sa,s,ipme_fmt(s,e))) die_nomem();
}

static void catsource(stralloc *sa,struct ipme_entry *e)
{
  if (!ipme_catsource(sa,e)) die_nomem();
}

static void print(ipmelist *l)
{
  unsigned int i;

  for (i = 0;i < l->len;++i) {
    out.len = 0;
    catentry(&out,l->e + i);
    do cat(&out," "); while (out.len < 19);
    catsource(&out,l->e + i);
    cat(&out,"\n");
    if (substdio_put(subfdout,out.s,out.len) == -1) die_write();
  }
}

/* e.g. "control/notipme:3 10.0.0.0/8" */
static void catwho(stralloc *sa,struct ipme_entry *e)
{
  catsource(sa,e);
  cat(sa," ");
  catentry(sa,e);
}

static void warnstart(struct ipme_entry *e)
{
  warning.len = 0;
  catwho(&warning,e);
}

static void warnend(void)
{
  if (!stralloc_0(&warning)) die_nomem();
  strerr_warn2(WARNING,warning.s,0);
}

static void warn(struct ipme_entry *e,char *what,struct ipme_entry *other,char *tail)
{
  warnstart(e);
  cat(&warning,what);
  if (other) catwho(&warning,other);
  cat(&warning,tail);
  warnend();
}

static struct ipme_entry **sorted;
static unsigned int sortedlen = 0;

static int byplace(const void *a,const void *b)
{
  struct ipme_entry *x = *(struct ipme_entry * const *) a;
  struct ipme_entry *y = *(struct ipme_entry * const *) b;

  if (net(x) != net(y)) return net(x) < net(y) ? -1 : 1;
  if (x->bits != y->bits) return x->bits < y->bits ? -1 : 1;
  if (x->source != y->source) return x->source < y->source ? -1 : 1;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  return str_diff(x->ifname,y->ifname);
}

static void sortall(void)
{
  unsigned int i;

  if (ipme_me.len + ipme_not.len < ipme_me.len) die_nomem();
  sorted = (struct ipme_entry **) alloc((ipme_me.len + ipme_not.len) * (unsigned int) sizeof(*sorted) + 1);
  if (!sorted) die_nomem();
  for (i = 0;i < ipme_me.len;++i) sorted[sortedlen++] = ipme_me.e + i;
  for (i = 0;i < ipme_not.len;++i) sorted[sortedlen++] = ipme_not.e + i;
  qsort(sorted,sortedlen,sizeof(*sorted),byplace);
}

static int fromfile(struct ipme_entry *e)
{
  return e->source == IPME_MORE || e->source == IPME_NOT;
}

static int same(struct ipme_entry *x,struct ipme_entry *y)
{
  return net(x) == net(y) && x->bits == y->bits;
}

/* entries in [i,j) are the same network; ipme entries sort before notipme */
static void warngroup(unsigned int i,unsigned int j)
{
  struct ipme_entry *firstme;
  struct ipme_entry *firstnot;
  struct ipme_entry *e;
  unsigned int k;

  firstme = (sorted[i]->source != IPME_NOT) ? sorted[i] : 0;
  firstnot = 0;
  for (k = i;k < j;++k)
    if (sorted[k]->source == IPME_NOT) { firstnot = sorted[k]; break; }
  for (k = i;k < j;++k) {
    e = sorted[k];
    if (e->source == IPME_MORE && e != firstme) {
      if (firstme->source == IPME_IFACE) warn(e," is already an address of interface ",0,firstme->ifname);
      else warn(e," repeats ",firstme,"");
    }
    if (e->source == IPME_NOT && e != firstnot) warn(e," repeats ",firstnot,"");
    if (e->source == IPME_MORE && firstnot) warn(e," is cancelled by ",firstnot,": notipme wins a tie");
  }
}

static void warnsame(void)
{
  unsigned int i;
  unsigned int j;

  for (i = 0;i < sortedlen;i = j) {
    for (j = i + 1;j < sortedlen && same(sorted[i],sorted[j]);++j) ;
    warngroup(i,j);
  }
}

static void warnhostbits(ipmelist *l)
{
  struct ipme_entry e;
  unsigned long u;
  unsigned int i;

  for (i = 0;i < l->len;++i) {
    e = l->e[i];
    u = net(&e);
    if (u == num(&e.ip)) continue;
    e.ip.d[0] = u >> 24; e.ip.d[1] = u >> 16; e.ip.d[2] = u >> 8; e.ip.d[3] = u;
    warnstart(l->e + i);
    cat(&warning," has host bits set; it means ");
    catentry(&warning,&e);
    warnend();
  }
}

/* a notipme network does not cover the interface addresses inside it: they are /32 */
static void warnshadow(void)
{
  struct ipme_entry *n;
  struct ipme_entry *example;
  unsigned long last;
  unsigned long count;
  unsigned int i;
  unsigned int j;
  char strnum[FMT_ULONG];

  for (i = 0;i < sortedlen;++i) {
    n = sorted[i];
    if (n->source != IPME_NOT || n->bits == 32) continue;
    last = net(n) | (0xffffffffUL >> n->bits);
    count = 0;
    example = 0;
    for (j = i + 1;j < sortedlen && net(sorted[j]) <= last;++j)
      if (!fromfile(sorted[j]) && sorted[j]->bits > n->bits)
        if (!count++) example = sorted[j];
    if (!count) continue;
    warnstart(n);
    cat(&warning," does not cover ");
    if (count > 1) {
      if (!stralloc_catb(&warning,strnum,fmt_ulong(strnum,count))) die_nomem();
      cat(&warning," longer entries inside it, such as ");
    }
    catwho(&warning,example);
    cat(&warning,(count > 1) ? "; they stay me" : ", which is longer and stays me");
    warnend();
  }
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

int main(int argc,char **argv)
{
  if (argc == 3 && str_equal(argv[1],"-c")) load(argv[2]);
  else if (argc == 1) load(0);
  else die_usage();
  print(&ipme_me);
  print(&ipme_not);
  if (substdio_flush(subfdout) == -1) die_write();
  sortall();
  warnsame();
  warnhostbits(&ipme_me);
  warnhostbits(&ipme_not);
  warnshadow();
  return 0;
}

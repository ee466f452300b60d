#include "ipme.h"

#include <stdlib.h>
#include <unistd.h>
#include "substdio.h"
#include "subfd.h"
#include "stralloc.h"
#include "strerr.h"
#include "alloc.h"
#include "byte.h"
#include "str.h"
#include "fmt.h"
#include "auto_qmail.h"

#define FATAL "ipmeprint: fatal: "
#define WARNING "ipmeprint: warning: "

static void die_usage(void) { strerr_die1x(100,"ipmeprint: usage: ipmeprint [ -v ] [ -c controldir ]"); }
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

static unsigned long last(struct ipme_entry *e)
{
  return net(e) | (0xffffffffUL >> e->bits);
}

static void cat(stralloc *sa,char *s) { if (!stralloc_cats(sa,s)) die_nomem(); }

static void catentry(stralloc *sa,struct ipme_entry *e)
{
  char s[IPME_FMT];
  if (!stralloc_catb(sa,s,ipme_fmt(s,e))) die_nomem();
}

static void catsource(stralloc *sa,struct ipme_entry *e)
{
  if (!ipme_catsource(sa,e->source,e->where)) die_nomem();
}

static void put(void)
{
  if (substdio_put(subfdout,out.s,out.len) == -1) die_write();
}

/* the annotated listing, ipmeprint -v */

static void column(void) { do cat(&out," "); while (out.len < 19); }

static void printlist(ipmelist *l)
{
  unsigned int i;

  for (i = 0;i < l->len;++i) {
    out.len = 0;
    catentry(&out,l->e + i);
    column();
    catsource(&out,l->e + i);
    cat(&out,"\n");
    put();
  }
}

static void printlist6(ipmelist6 *l)
{
  char s[IPME_FMT6];
  unsigned int i;

  for (i = 0;i < l->len;++i) {
    if (l->e[i].source == IPME_BUILTIN) continue;
    out.len = 0;
    if (!stralloc_catb(&out,s,ipme_fmt6(s,l->e + i))) die_nomem();
    column();
    if (!ipme_catsource(&out,l->e[i].source,l->e[i].where)) die_nomem();
    cat(&out," (IPv6: not used by this qmail)\n");
    put();
  }
}

/* warnings, each pass O(n log n) over the sorted entries */

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

/* by network, length, source, then list order: a group's first entry decides */
static int byplace(const void *a,const void *b)
{
  struct ipme_entry *x = *(struct ipme_entry * const *) a;
  struct ipme_entry *y = *(struct ipme_entry * const *) b;

  if (net(x) != net(y)) return net(x) < net(y) ? -1 : 1;
  if (x->bits != y->bits) return x->bits < y->bits ? -1 : 1;
  if (x->source != y->source) return x->source < y->source ? -1 : 1;
  if (x != y) return x < y ? -1 : 1;
  return 0;
}

static struct ipme_entry **pointers(unsigned int n)
{
  struct ipme_entry **p;

  if (n > 0xfffffffU / sizeof(*p)) die_nomem();
  p = (struct ipme_entry **) alloc(n * (unsigned int) sizeof(*p) + 1);
  if (!p) die_nomem();
  return p;
}

static void sortall(void)
{
  unsigned int i;

  if (ipme_me.len + ipme_not.len < ipme_me.len) die_nomem();
  sorted = pointers(ipme_me.len + ipme_not.len);
  for (i = 0;i < ipme_me.len;++i) sorted[sortedlen++] = ipme_me.e + i;
  for (i = 0;i < ipme_not.len;++i) sorted[sortedlen++] = ipme_not.e + i;
  qsort(sorted,sortedlen,sizeof(*sorted),byplace);
}

static int same(struct ipme_entry *x,struct ipme_entry *y)
{
  return net(x) == net(y) && x->bits == y->bits;
}

static struct ipme_entry *firstnot(unsigned int i,unsigned int j)
{
  for (;i < j;++i) if (sorted[i]->source == IPME_NOT) return sorted[i];
  return 0;
}

/* entries in [i,j) are the same network; ipme entries sort before notipme */
static void warngroup(unsigned int i,unsigned int j)
{
  struct ipme_entry *me;
  struct ipme_entry *not;
  struct ipme_entry *e;
  unsigned int k;

  me = (sorted[i]->source != IPME_NOT) ? sorted[i] : 0;
  not = firstnot(i,j);
  for (k = i;k < j;++k) {
    e = sorted[k];
    if (e->source == IPME_MORE && e != me) {
      if (me->source == IPME_IFACE) warn(e," is already an address of interface ",0,ipme_ifname(me->where));
      else warn(e," repeats ",me,"");
    }
    if (e->source == IPME_NOT && e != not) warn(e," repeats ",not,"");
    if (e->source == IPME_MORE && not) warn(e," is cancelled by ",not,": notipme wins a tie");
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

static void warnentry(struct ipme_entry *e)
{
  struct ipme_entry x;
  unsigned long u;

  if (e->flags & IPME_ZEROS)
    warn(e," has a number with a leading zero, read as decimal (not octal)",0,"");
  if (e->source == IPME_MORE && e->bits < 16)
    warn(e," is a network of more than 65536 addresses: is every one of them this host?",0,"");
  u = net(e);
  if (u == num(&e->ip)) return;
  x = *e;
  x.ip.d[0] = u >> 24; x.ip.d[1] = u >> 16; x.ip.d[2] = u >> 8; x.ip.d[3] = u;
  warnstart(e);
  cat(&warning," has host bits set; it means ");
  catentry(&warning,&x);
  warnend();
}

static void warnentries(ipmelist *l)
{
  unsigned int i;

  for (i = 0;i < l->len;++i) warnentry(l->e + i);
}

/* the builtin and interface entries, by address, for warnshadow */
static struct ipme_entry **found;
static unsigned int foundlen = 0;

static void sortfound(void)
{
  unsigned int i;

  found = pointers(sortedlen);
  for (i = 0;i < sortedlen;++i)
    if (sorted[i]->source == IPME_BUILTIN || sorted[i]->source == IPME_IFACE)
      found[foundlen++] = sorted[i];
}

/* the first of found whose address is after u, or with flagat at or after u */
static unsigned int bound(unsigned long u,int flagat)
{
  unsigned int lo;
  unsigned int hi;
  unsigned int mid;

  lo = 0; hi = foundlen;
  while (lo < hi) {
    mid = lo + (hi - lo) / 2;
    if (net(found[mid]) < u || (!flagat && net(found[mid]) == u)) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/*
A notipme network does not cover the interface addresses inside it:
they are longer. Only builtins are not /32, and they sort first.
*/
static void warnshadow(struct ipme_entry *n)
{
  unsigned int i;
  unsigned int end;
  char strnum[FMT_ULONG];

  i = bound(net(n),1);
  end = bound(last(n),0);
  while (i < end && found[i]->bits <= n->bits) ++i;
  if (i == end) return;
  warnstart(n);
  cat(&warning," does not cover ");
  if (end - i > 1) {
    if (!stralloc_catb(&warning,strnum,fmt_ulong(strnum,(unsigned long) (end - i)))) die_nomem();
    cat(&warning," longer entries inside it, such as ");
  }
  catwho(&warning,found[i]);
  cat(&warning,(end - i > 1) ? "; they stay me" : ", which is longer and stays me");
  warnend();
}

static void warnshadows(void)
{
  unsigned int i;

  sortfound();
  for (i = 0;i < ipme_not.len;++i)
    if (ipme_not.e[i].bits < 32) warnshadow(ipme_not.e + i);
}

/* the default listing, as stock ipmeprint: each single address that is me */

static char *decides;

/* the first of a /32 group decides it, unless notipme has the same /32 */
static void markdecided(void)
{
  unsigned int i;
  unsigned int j;

  decides = alloc(ipme_me.len + 1);
  if (!decides) die_nomem();
  byte_zero(decides,ipme_me.len + 1);
  for (i = 0;i < sortedlen;i = j) {
    for (j = i + 1;j < sortedlen && same(sorted[i],sorted[j]);++j) ;
    if (sorted[i]->bits != 32 || firstnot(i,j)) continue;
    if (sorted[i]->source == IPME_IFACE || sorted[i]->source == IPME_MORE)
      decides[sorted[i] - ipme_me.e] = 1;
  }
}

static void printbare(void)
{
  unsigned int i;

  markdecided();
  for (i = 0;i < ipme_me.len;++i)
    if (decides[i]) {
      out.len = 0;
      catentry(&out,ipme_me.e + i);
      cat(&out,"\n");
      put();
    }
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

int main(int argc,char **argv)
{
  char *dir;
  int flagverbose;

  dir = 0;
  flagverbose = 0;
  for (++argv,--argc;argc && argv[0][0] == '-';++argv,--argc) {
    if (str_equal(argv[0],"--")) { ++argv; --argc; break; }
    if (str_equal(argv[0],"-v")) flagverbose = 1;
    else if (str_equal(argv[0],"-c") && argc > 1) { dir = argv[1]; ++argv; --argc; }
    else die_usage();
  }
  if (argc) die_usage();
  load(dir);
  sortall();
  if (flagverbose) {
    printlist(&ipme_me);
    printlist(&ipme_not);
    printlist6(&ipme_me6);
    printlist6(&ipme_not6);
  }
  else printbare();
  if (substdio_flush(subfdout) == -1) die_write();
  warnsame();
  warnentries(&ipme_me);
  warnentries(&ipme_not);
  warnshadows();
  return 0;
}

#include "ipmetool.h"

#include <stdlib.h> /* qsort */
#include "substdio.h"
#include "subfd.h"
#include "stralloc.h"
#include "strerr.h"
#include "alloc.h"
#include "byte.h"
#include "str.h"
#include "fmt.h"

#define FATAL "ipmeprint: fatal: "
#define WARNING "ipmeprint: warning: "

static void die_usage(void) { strerr_die1x(100,"ipmeprint: usage: ipmeprint [ -v ] [ -c controldir ]"); }
static void die_write(void) { strerr_die2sys(111,FATAL,"unable to write output: "); }

static stralloc out = {0};
static stralloc warning = {0};

static void cats(stralloc *sa,char *s) { if (!stralloc_cats(sa,s)) tool_nomem(); }
static void put(void) { if (substdio_put(subfdout,out.s,out.len) == -1) die_write(); }

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

static unsigned long net(struct ipme_net *n) { return num(&n->ip) & mask(n->bits); }
static unsigned long last(struct ipme_net *n) { return net(n) | (~mask(n->bits) & 0xffffffffUL); }

/* ipmeprint -v: every entry, with where it comes from */

static void column(void) { do cats(&out," "); while (out.len < 19); }

static void printlist(ipme_nets *l,int kind)
{
  unsigned int i;

  for (i = 0;i < l->len;++i) {
    if (tool_kind(l,l->n + i) != kind) continue;
    out.len = 0;
    tool_catentry(&out,l->n + i);
    column();
    tool_catsource(&out,l,l->n + i);
    cats(&out,"\n");
    put();
  }
}

static void print6(ipme_nets *l,struct ipme_net *n,char *s,unsigned int len,int flag6)
{
  if (!flag6) return;
  if (!stralloc_copyb(&out,s,len)) tool_nomem();
  column();
  tool_catsource(&out,l,n);
  cats(&out," (IPv6: not used by this qmail)\n");
  put();
}

/* every entry, sorted by network, length, kind, then list order */

struct ent { struct ipme_net *n; ipme_nets *l; int kind; } ;
static struct ent *all;
static unsigned int alllen = 0;

static int byplace(const void *a,const void *b)
{
  const struct ent *x = (const struct ent *) a;
  const struct ent *y = (const struct ent *) b;

  if (net(x->n) != net(y->n)) return net(x->n) < net(y->n) ? -1 : 1;
  if (x->n->bits != y->n->bits) return x->n->bits < y->n->bits ? -1 : 1;
  if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
  if (x->n != y->n) return x->n < y->n ? -1 : 1;
  return 0;
}

static void add(ipme_nets *l)
{
  unsigned int i;

  for (i = 0;i < l->len;++i) {
    all[alllen].n = l->n + i;
    all[alllen].l = l;
    all[alllen].kind = tool_kind(l,l->n + i);
    ++alllen;
  }
}

static void sortall(void)
{
  unsigned int n;

  n = ipme_more.len + tool_ifaces.len + ipme_not.len;
  if (n > 0xfffffffU / sizeof(*all)) tool_nomem();
  all = (struct ent *) alloc(n * (unsigned int) sizeof(*all) + 1);
  if (!all) tool_nomem();
  add(&ipme_more);
  add(&tool_ifaces);
  add(&ipme_not);
  qsort(all,alllen,sizeof(*all),byplace);
}

static int same(struct ent *x,struct ent *y)
{
  return net(x->n) == net(y->n) && x->n->bits == y->n->bits;
}

/* all[i..end) is one network */
static unsigned int groupend(unsigned int i)
{
  unsigned int j;

  for (j = i + 1;j < alllen && same(all + i,all + j);++j) ;
  return j;
}

static struct ent *firstnot(unsigned int i,unsigned int j)
{
  for (;i < j;++i) if (all[i].kind == TOOL_NOT) return all + i;
  return 0;
}

/* ipmeprint, as stock: each single address that is me, once */

static char *mark; /* tool_ifaces, then ipme_more */

static void printmarked(ipme_nets *l,unsigned int at)
{
  unsigned int i;

  for (i = 0;i < l->len;++i)
    if (mark[at + i]) {
      out.len = 0;
      tool_catentry(&out,l->n + i);
      cats(&out,"\n");
      put();
    }
}

/* a /32's first entry decides it, unless notipme has the same /32 */
static void printbare(void)
{
  struct ent *e;
  unsigned int i;
  unsigned int j;

  mark = alloc(tool_ifaces.len + ipme_more.len + 1);
  if (!mark) tool_nomem();
  byte_zero(mark,tool_ifaces.len + ipme_more.len + 1);
  for (i = 0;i < alllen;i = j) {
    j = groupend(i);
    e = all + i;
    if (e->n->bits != 32 || firstnot(i,j)) continue;
    if (e->kind == TOOL_IFACE) mark[e->n - tool_ifaces.n] = 1;
    if (e->kind == TOOL_MORE) mark[tool_ifaces.len + (e->n - ipme_more.n)] = 1;
  }
  printmarked(&tool_ifaces,0);
  printmarked(&ipme_more,tool_ifaces.len);
}

/* warnings, for ipmeprint -v: advice, not errors */

static void catwho(stralloc *sa,ipme_nets *l,struct ipme_net *n)
{
  tool_catsource(sa,l,n);
  cats(sa," ");
  tool_catentry(sa,n);
}

static void warnstart(ipme_nets *l,struct ipme_net *n)
{
  warning.len = 0;
  catwho(&warning,l,n);
}

static void warnend(void)
{
  if (!stralloc_0(&warning)) tool_nomem();
  strerr_warn2(WARNING,warning.s,0);
}

static void warn(struct ent *e,char *what,struct ent *other,char *tail)
{
  warnstart(e->l,e->n);
  cats(&warning,what);
  if (other) catwho(&warning,other->l,other->n);
  cats(&warning,tail);
  warnend();
}

/*
all[i..j) is one network. Its first entry is the one that counts for
ipme: builtin before interface before moreipme before notipme.
*/
static void warngroup(unsigned int i,unsigned int j)
{
  struct ent *me;
  struct ent *not;
  struct ent *e;

  me = all + i;
  not = firstnot(i,j);
  for (e = all + i;e < all + j;++e) {
    if (e->kind == TOOL_MORE && e != me) {
      if (me->kind == TOOL_IFACE) warn(e," is already an address of interface ",0,tool_ifnames.s + me->n->line);
      else warn(e," repeats ",me,"");
    }
    if (e->kind == TOOL_NOT && e != not) warn(e," repeats ",not,"");
    if (e->kind == TOOL_MORE && not) warn(e," is cancelled by ",not,": notipme wins a tie");
  }
}

static void warnsame(void)
{
  unsigned int i;
  unsigned int j;

  for (i = 0;i < alllen;i = j) {
    j = groupend(i);
    warngroup(i,j);
  }
}

static void warnentry(ipme_nets *l,struct ipme_net *n,char *s,unsigned int len,int flag6)
{
  struct ipme_net x;
  unsigned long u;

  if (flag6) return;
  if (tool_zeros(s,len)) {
    warnstart(l,n);
    cats(&warning," has a number with a leading zero, read as decimal (not octal)");
    warnend();
  }
  if (l == &ipme_more && n->bits < 16) {
    warnstart(l,n);
    cats(&warning," is a network of more than 65536 addresses: is every one of them this host?");
    warnend();
  }
  u = net(n);
  if (u == num(&n->ip)) return;
  x = *n;
  x.ip.d[0] = u >> 24; x.ip.d[1] = u >> 16; x.ip.d[2] = u >> 8; x.ip.d[3] = u;
  warnstart(l,n);
  cats(&warning," has host bits set; it means ");
  tool_catentry(&warning,&x);
  warnend();
}

/* the builtin and interface entries, by address, for warnshadow */
static struct ent **found;
static unsigned int foundlen = 0;

static void sortfound(void)
{
  unsigned int i;

  found = (struct ent **) alloc(alllen * (unsigned int) sizeof(*found) + 1);
  if (!found) tool_nomem();
  for (i = 0;i < alllen;++i)
    if (all[i].kind == TOOL_BUILTIN || all[i].kind == TOOL_IFACE)
      found[foundlen++] = all + i;
}

/* the first of found whose network is after u, or with flagat at or after u */
static unsigned int bound(unsigned long u,int flagat)
{
  unsigned int lo;
  unsigned int hi;
  unsigned int mid;

  lo = 0; hi = foundlen;
  while (lo < hi) {
    mid = lo + (hi - lo) / 2;
    if (net(found[mid]->n) < u || (!flagat && net(found[mid]->n) == u)) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/*
A notipme network does not cover the interface addresses inside it:
they are longer. Only builtins are not /32, and they sort first.
*/
static void warnshadow(struct ipme_net *n)
{
  unsigned int i;
  unsigned int end;
  char strnum[FMT_ULONG];

  i = bound(net(n),1);
  end = bound(last(n),0);
  while (i < end && found[i]->n->bits <= n->bits) ++i;
  if (i == end) return;
  warnstart(&ipme_not,n);
  cats(&warning," does not cover ");
  if (end - i > 1) {
    if (!stralloc_catb(&warning,strnum,fmt_ulong(strnum,(unsigned long) (end - i)))) tool_nomem();
    cats(&warning," longer entries inside it, such as ");
  }
  catwho(&warning,found[i]->l,found[i]->n);
  cats(&warning,(end - i > 1) ? "; they stay me" : ", which is longer and stays me");
  warnend();
}

static void warnshadows(void)
{
  unsigned int i;

  sortfound();
  for (i = 0;i < ipme_not.len;++i)
    if (ipme_not.n[i].bits < 32) warnshadow(ipme_not.n + i);
}

int main(int argc,char **argv)
{
  char *dir;
  int flagverbose;

  tool_fatal = FATAL;
  tool_warning = WARNING;
  dir = 0;
  flagverbose = 0;
  for (++argv,--argc;argc && argv[0][0] == '-';++argv,--argc) {
    if (str_equal(argv[0],"--")) { ++argv; --argc; break; }
    if (str_equal(argv[0],"-v")) flagverbose = 1;
    else if (str_equal(argv[0],"-c") && argc > 1 && argv[1][0]) { dir = argv[1]; ++argv; --argc; }
    else die_usage();
  }
  if (argc) die_usage();
  tool_load(dir);
  sortall();
  if (!flagverbose) {
    printbare();
    if (substdio_flush(subfdout) == -1) die_write();
    return 0;
  }
  printlist(&ipme_more,TOOL_BUILTIN);
  printlist(&tool_ifaces,TOOL_IFACE);
  printlist(&ipme_more,TOOL_MORE);
  printlist(&ipme_not,TOOL_NOT);
  tool_reread(&ipme_more,print6);
  tool_reread(&ipme_not,print6);
  if (substdio_flush(subfdout) == -1) die_write();
  warnsame();
  tool_reread(&ipme_more,warnentry);
  tool_reread(&ipme_not,warnentry);
  warnshadows();
  return 0;
}

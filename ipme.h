#ifndef IPME_H
#define IPME_H

#include "ip.h"
#include "gen_alloc.h"
#include "stralloc.h"

#define IPME_BUILTIN 1
#define IPME_IFACE 2
#define IPME_MORE 3
#define IPME_NOT 4

#define IPME_IFNAMELEN 16

struct ipme_entry {
  struct ip_address ip; /* as written; the mask is applied when matching */
  unsigned int bits;
  int source;
  unsigned long line; /* for IPME_MORE and IPME_NOT */
  char ifname[IPME_IFNAMELEN + 1]; /* for IPME_IFACE */
} ;

GEN_ALLOC_typedef(ipmelist,struct ipme_entry,e,len,a)

extern ipmelist ipme_me;
extern ipmelist ipme_not;
extern stralloc ipme_err;

extern int ipme_init(void);
extern int ipme_load(char *dir);
extern int ipme_is(struct ip_address *ip);
extern struct ipme_entry *ipme_match(struct ip_address *ip);

#define IPME_FMT (IPFMT + 3)
extern unsigned int ipme_fmt(char *s,struct ipme_entry *e);
extern int ipme_catsource(stralloc *sa,struct ipme_entry *e);
extern int ipme_catwhy(stralloc *sa,struct ipme_entry *e);

extern int ipme_readfile(ipmelist *list,char *fn,int source);
extern int ipme_ifaces(ipmelist *list);
extern int ipme_parse(struct ipme_entry *e,char *s,unsigned int len,char **why);

#endif

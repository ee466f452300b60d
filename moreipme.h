#ifndef MOREIPME_H
#define MOREIPME_H

#include "ipme.h" /* the tree's: ipme, ipme_init, ipme_is */
#include "ip.h"
#include "stralloc.h"
#include "gen_alloc.h"

#define IPME_LINEMAX 1024 /* bytes a line that is no comment, from its first non-blank byte, less its \n (and a CRLF's \r) */

struct ipme_net {
  struct ip_address ip; /* as written; the mask is applied when matching */
  unsigned char bits;
  unsigned int line; /* in its file; 0: built in */
} ;

GEN_ALLOC_typedef(ipme_nets,struct ipme_net,n,len,a)

extern ipme_nets ipme_more; /* the built-ins, then control/moreipme */
extern ipme_nets ipme_not; /* control/notipme */
extern stralloc ipme_line; /* the line last read, from its first non-blank byte; after a bad line, its start */

extern int ipme_loadfiles(char *fnmore,char *fnnot);
extern int ipme_check(struct ip_address *ip);
extern char *ipme_error(void);
extern int ipme_loop(stralloc *reply,struct ip_address *partner,unsigned long port);

extern int ipme_append(ipme_nets *l,struct ipme_net *n);
extern int ipme_ifaces(int (*take)(struct ip_address *ip,char *ifname));
extern int ipme_readfile(ipme_nets *l,char *fn,int flagmore);
extern int ipme_scan(struct ipme_net *n,char *s,unsigned int len,char **why);
extern struct ipme_net *ipme_longest(ipme_nets *l,struct ip_address *ip);

#endif

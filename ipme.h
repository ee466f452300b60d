#ifndef IPME_H
#define IPME_H

#include "ip.h"
#include "ipalloc.h" /* as stock ipme.h, for the files that include it */
#include "gen_alloc.h"
#include "stralloc.h"

#define IPME_BUILTIN 1
#define IPME_IFACE 2
#define IPME_MORE 3
#define IPME_NOT 4

#define IPME_ZEROS 1 /* flags: a number was written with a leading zero */

#define IPME_LINEMAX 1024

struct ipme_entry {
  struct ip_address ip; /* as written; the mask is applied when matching */
  unsigned char bits;
  unsigned char source;
  unsigned char flags;
  unsigned int where; /* files: the line; IPME_IFACE: the name, in ipme_ifnames */
} ;

struct ipme_entry6 {
  unsigned char ip[16];
  unsigned char bits;
  unsigned char source;
  unsigned char flags;
  unsigned int where;
} ;

GEN_ALLOC_typedef(ipmelist,struct ipme_entry,e,len,a)
GEN_ALLOC_typedef(ipmelist6,struct ipme_entry6,e,len,a)

extern ipmelist ipme_me;
extern ipmelist ipme_not;
extern ipmelist6 ipme_me6;
extern ipmelist6 ipme_not6;
extern stralloc ipme_ifnames;
extern stralloc ipme_err;

extern int ipme_init(void);
extern int ipme_load(char *dir);
extern int ipme_checkdir(char *dir);
extern int ipme_is(struct ip_address *ip);
extern struct ipme_entry *ipme_match(struct ip_address *ip);
extern struct ipme_entry6 *ipme_match6(unsigned char *ip);

#define IPME_FMT (IPFMT + 3)
#define IPME_FMT6 44
extern unsigned int ipme_fmt(char *s,struct ipme_entry *e);
extern unsigned int ipme_fmt6(char *s,struct ipme_entry6 *e);
extern char *ipme_ifname(unsigned int where);
extern int ipme_catsource(stralloc *sa,int source,unsigned int where);

extern int ipme_loop(stralloc *reply,struct ip_address *partner,unsigned long port);
extern char *ipme_report(void);
extern int ipme_unsure(void);
extern int ipme_unsure_log(void);

extern int ipme_readfile(ipmelist *l,ipmelist6 *l6,char *fn,int source);
extern int ipme_ifaces(ipmelist *l);
extern int ipme_ifaces6(ipmelist6 *l6);
extern int ipme_parse(struct ipme_entry *e,struct ipme_entry6 *e6,char *s,unsigned int len,char **why);

#endif

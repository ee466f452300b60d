#ifndef IPMETOOL_H
#define IPMETOOL_H

#include "moreipme.h"
#include "stralloc.h"

/* where an entry comes from, in the order ipmeprint -v lists them */
#define TOOL_BUILTIN 1
#define TOOL_IFACE 2
#define TOOL_MORE 3
#define TOOL_NOT 4

extern char *tool_fatal; /* "ipmeprint: fatal: ", set by main */
extern char *tool_warning;

extern stralloc tool_dir; /* what was read, with a slash: "control/" */
extern ipme_nets tool_ifaces; /* a /32 each; line: where its name starts in tool_ifnames */
extern stralloc tool_ifnames;

extern void tool_nomem(void);
extern void tool_load(char *dir);
extern int tool_kind(ipme_nets *l,struct ipme_net *n);

#define TOOL_FMT (IPFMT + 3)
extern unsigned int tool_fmt(char *s,struct ipme_net *n);
extern void tool_catentry(stralloc *sa,struct ipme_net *n);
extern void tool_catsource(stralloc *sa,ipme_nets *l,struct ipme_net *n);
extern void tool_catme(stralloc *sa,struct ip_address *ip);
extern void tool_catprintable(stralloc *sa,char *s,unsigned int len);

extern int tool_zeros(char *s,unsigned int len);
typedef void tool_take(ipme_nets *l,struct ipme_net *n,char *s,unsigned int len,int flag6);
extern void tool_reread(ipme_nets *l,tool_take *take);

#endif

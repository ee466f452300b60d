#ifndef IPMEDOMAIN_H
#define IPMEDOMAIN_H

/* ipmetest DOMAIN: what qmail does with mail for user@DOMAIN, and why */

extern int domain_is(char *s); /* 1: s is meant as a domain, not an address */
extern void domain_check(char *s); /* exits 100 if s cannot be a domain */
extern void domain_load(int flagprobe); /* after tool_load: the files qmail-send and qmail-remote read */
extern void domain_answer(char *s); /* its lines on subfdout */
extern int domain_status(void); /* the exit status: 0, or 111 after a temporary error */

#endif

#ifndef DNS_H
#define DNS_H

#include "stralloc.h"
#include "ipalloc.h"

#define DNS_SOFT -1
#define DNS_HARD -2
#define DNS_MEM -3

/*
 * Test stand-in for qmail's dns.o, with its calling conventions. It
 * asks no server: it answers from the file dnsfixture in the current
 * directory, one record a line:
 *   mx NAME PREF HOST
 *   a NAME IP
 *   cname NAME TARGET
 *   fail NAME          every lookup of NAME fails temporarily
 * A name on no line does not exist. Without the file, every lookup
 * fails temporarily (DNS_SOFT), but for an address written as one.
 * dns_mxip sorts exchangers of equal preference by their order in the
 * file; random is not used.
 */
extern void dns_init(int flagsearch);
extern int dns_cname(stralloc *sa);
extern int dns_mxip(ipalloc *ia,stralloc *sa,unsigned long random);
extern int dns_ip(ipalloc *ia,stralloc *sa);

#endif

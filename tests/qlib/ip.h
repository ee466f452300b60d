#ifndef IP_H
#define IP_H

struct ip_address { unsigned char d[4]; } ;

/* d.d.d.d, no 0 after it; s may be 0 to count */
extern unsigned int ip_fmt(char *s,struct ip_address *ip);
#define IPFMT 19
/* return how many bytes were used, 0 if s does not start with an address */
extern unsigned int ip_scan(const char *s,struct ip_address *ip);
extern unsigned int ip_scanbracket(const char *s,struct ip_address *ip);

#endif

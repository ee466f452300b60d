/* test stand-in: a tree's Makefile makes ipmetree.h, which says what
   its qmail-remote does: IPME_CNAME if it looks the recipient's domain
   up as a CNAME (qmail 1.03, netqmail, notqmail 1.08), IPME_OUTIP if its
   timeoutconn binds control/outgoingip first (the outgoingip patch).
   The tests build with IPME_CNAME, which the stand-in dns_cname answers. */
#define IPME_CNAME 1

#include "getln.h"
#include "byte.h"

int getln2(substdio *ss,stralloc *sa,char **cont,unsigned int *clen,int sep)
{
  char *x;
  unsigned int i;
  int n;

  if (!stralloc_ready(sa,0)) return -1;
  sa->len = 0;
  for (;;) {
    n = substdio_feed(ss);
    if (n < 0) { *cont = 0; *clen = 0; return -1; }
    if (!n) { *cont = sa->s; *clen = sa->len; return 0; }
    x = substdio_PEEK(ss);
    i = byte_chr(x,n,sep);
    if (i < (unsigned int) n) {
      substdio_SEEK(ss,i + 1);
      if (!sa->len) { *cont = x; *clen = i + 1; return 0; }
      if (!stralloc_catb(sa,x,i + 1)) return -1;
      *cont = sa->s; *clen = sa->len; return 0;
    }
    if (!stralloc_catb(sa,x,n)) return -1;
    substdio_SEEK(ss,n);
  }
}

int getln(substdio *ss,stralloc *sa,int *match,int sep)
{
  char *cont;
  unsigned int clen;

  if (getln2(ss,sa,&cont,&clen,sep) == -1) return -1;
  *match = clen && cont[clen - 1] == (char) sep;
  if (cont == sa->s) return 0; /* also when clen is 0 */
  if (!stralloc_copyb(sa,cont,clen)) return -1;
  return 0;
}

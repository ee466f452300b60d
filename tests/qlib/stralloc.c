#include "stralloc.h"
#include "gen_allocdefs.h"
#include "byte.h"
#include "str.h"

GEN_ALLOC_ready(stralloc,char,s,len,a,i,n,x,30,stralloc_ready)
GEN_ALLOC_readyplus(stralloc,char,s,len,a,i,n,x,30,stralloc_readyplus)

int stralloc_copyb(stralloc *sa,const char *s,unsigned int n)
{
  if (!stralloc_ready(sa,n)) return 0;
  byte_copy(sa->s,n,s);
  sa->len = n;
  return 1;
}

int stralloc_catb(stralloc *sa,const char *s,unsigned int n)
{
  if (!stralloc_readyplus(sa,n)) return 0;
  byte_copy(sa->s + sa->len,n,s);
  sa->len += n;
  return 1;
}

int stralloc_copys(stralloc *sa,const char *s) { return stralloc_copyb(sa,s,str_len(s)); }
int stralloc_cats(stralloc *sa,const char *s) { return stralloc_catb(sa,s,str_len(s)); }
int stralloc_copy(stralloc *sa,const stralloc *from) { return stralloc_copyb(sa,from->s,from->len); }
int stralloc_cat(stralloc *sa,const stralloc *from) { return stralloc_catb(sa,from->s,from->len); }
int stralloc_append(stralloc *sa,const char *c) { return stralloc_catb(sa,c,1); }

int stralloc_starts(stralloc *sa,const char *s)
{
  unsigned int n;

  n = str_len(s);
  return sa->len >= n && byte_equal(sa->s,n,s);
}

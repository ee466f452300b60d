#include "byte.h"

/* index of the first c in s[0..n), or n */
unsigned int byte_chr(const char *s,unsigned int n,int c)
{
  unsigned int i;

  for (i = 0;i < n;++i) if (s[i] == (char) c) break;
  return i;
}

/* index of the last c in s[0..n), or n */
unsigned int byte_rchr(const char *s,unsigned int n,int c)
{
  unsigned int i;
  unsigned int r;

  r = n;
  for (i = 0;i < n;++i) if (s[i] == (char) c) r = i;
  return r;
}

/* front to back: safe when to is below from */
void byte_copy(char *to,unsigned int n,const char *from)
{
  while (n--) *to++ = *from++;
}

/* back to front: safe when to is above from */
void byte_copyr(char *to,unsigned int n,const char *from)
{
  to += n; from += n;
  while (n--) *--to = *--from;
}

int byte_diff(const char *s,unsigned int n,const char *t)
{
  unsigned int i;

  for (i = 0;i < n;++i)
    if (s[i] != t[i])
      return (int) (unsigned char) s[i] - (int) (unsigned char) t[i];
  return 0;
}

void byte_zero(char *s,unsigned int n)
{
  while (n--) *s++ = 0;
}

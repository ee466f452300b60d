#include "str.h"

unsigned int str_len(const char *s)
{
  unsigned int i;

  for (i = 0;s[i];++i) ;
  return i;
}

/* copies the terminating 0 too; returns the length without it */
unsigned int str_copy(char *to,const char *from)
{
  unsigned int i;

  for (i = 0;(to[i] = from[i]);++i) ;
  return i;
}

/* compares at most n bytes, stopping after a 0 */
int str_diffn(const char *s,const char *t,unsigned int n)
{
  unsigned int i;

  for (i = 0;i < n;++i) {
    if (s[i] != t[i]) return (int) (unsigned char) s[i] - (int) (unsigned char) t[i];
    if (!s[i]) break;
  }
  return 0;
}

int str_diff(const char *s,const char *t)
{
  return str_diffn(s,t,~0U);
}

unsigned int str_chr(const char *s,int c)
{
  unsigned int i;

  for (i = 0;s[i] && s[i] != (char) c;++i) ;
  return i;
}

unsigned int str_rchr(const char *s,int c)
{
  unsigned int i;
  unsigned int r;

  r = 0;
  for (i = 0;s[i];++i) if (s[i] == (char) c) r = i + 1;
  return r ? r - 1 : i;
}

/* 1 if s begins with t */
int str_start(const char *s,const char *t)
{
  unsigned int i;

  for (i = 0;t[i];++i) if (s[i] != t[i]) return 0;
  return 1;
}

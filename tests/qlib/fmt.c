#include "fmt.h"

/* none of these writes a terminating 0 */

static unsigned int base(char *s,unsigned long u,unsigned int b)
{
  unsigned int len;
  unsigned long q;

  len = 1;
  for (q = u;q >= b;q /= b) ++len;
  if (s) {
    s += len;
    do { *--s = "0123456789abcdef"[u % b]; u /= b; } while (u);
  }
  return len;
}

unsigned int fmt_ulong(char *s,unsigned long u) { return base(s,u,10); }
unsigned int fmt_uint(char *s,unsigned int u) { return base(s,u,10); }
unsigned int fmt_xlong(char *s,unsigned long u) { return base(s,u,16); }

/* at least n digits, zeros in front */
unsigned int fmt_uint0(char *s,unsigned int u,unsigned int n)
{
  unsigned int len;

  len = fmt_uint(FMT_LEN,u);
  if (len >= n) return fmt_uint(s,u);
  if (s) {
    for (len = 0;len < n - fmt_uint(FMT_LEN,u);++len) s[len] = '0';
    fmt_uint(s + len,u);
  }
  return n;
}

unsigned int fmt_strn(char *s,const char *t,unsigned int n)
{
  unsigned int len;

  for (len = 0;len < n && t[len];++len) if (s) s[len] = t[len];
  return len;
}

unsigned int fmt_str(char *s,const char *t)
{
  return fmt_strn(s,t,~0U);
}

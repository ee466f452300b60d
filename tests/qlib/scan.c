#include "scan.h"

/* decimal digits at s; returns how many were used, 0 if none */
unsigned int scan_ulong(const char *s,unsigned long *u)
{
  unsigned int len;
  unsigned long r;
  unsigned long d;

  r = 0;
  for (len = 0;s[len] >= '0' && s[len] <= '9';++len) {
    d = s[len] - '0';
    if (r > (~0UL - d) / 10) break; /* leave the digit that would overflow */
    r = 10 * r + d;
  }
  *u = r;
  return len;
}

unsigned int scan_uint(const char *s,unsigned int *u)
{
  unsigned int len;
  unsigned long r;

  len = scan_ulong(s,&r);
  while (r > ~0U) { r /= 10; --len; }
  *u = r;
  return len;
}

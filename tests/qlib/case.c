#include "case.h"

static unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int case_diffb(char *s,unsigned int len,char *t)
{
  unsigned char x;
  unsigned char y;

  while (len--) {
    x = lower((unsigned char) *s++);
    y = lower((unsigned char) *t++);
    if (x != y) return (int) x - (int) y;
  }
  return 0;
}

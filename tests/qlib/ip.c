#include "ip.h"
#include "fmt.h"
#include "scan.h"

unsigned int ip_fmt(char *s,struct ip_address *ip)
{
  unsigned int len;
  unsigned int i;

  len = 0;
  for (i = 0;i < 4;++i) {
    if (i) { if (s) s[len] = '.'; ++len; }
    len += fmt_uint(s ? s + len : FMT_LEN,ip->d[i]);
  }
  return len;
}

unsigned int ip_scan(const char *s,struct ip_address *ip)
{
  unsigned int len;
  unsigned int i;
  unsigned int k;
  unsigned long u;

  len = 0;
  for (i = 0;i < 4;++i) {
    if (i) { if (s[len] != '.') return 0; ++len; }
    k = scan_ulong(s + len,&u);
    if (!k || u > 255) return 0;
    ip->d[i] = u;
    len += k;
  }
  return len;
}

unsigned int ip_scanbracket(const char *s,struct ip_address *ip)
{
  unsigned int len;

  if (*s != '[') return 0;
  len = ip_scan(s + 1,ip);
  if (!len || s[len + 1] != ']') return 0;
  return len + 2;
}

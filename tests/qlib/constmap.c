/* test stand-in for qmail's constmap.o, a linear search: see constmap.h */
#include "constmap.h"
#include "alloc.h"
#include "case.h"

int constmap_init(struct constmap *cm,char *s,int len,int flagcolon)
{
  int n;
  int i;
  int j;
  int k;

  for (n = 0,j = 0;j < len;++j) if (!s[j]) ++n;
  cm->num = 0;
  cm->input = (char **) alloc((n + 1) * (unsigned int) sizeof(char *));
  if (!cm->input) return 0;
  cm->inputlen = (int *) alloc((n + 1) * (unsigned int) sizeof(int));
  if (!cm->inputlen) { alloc_free((char *) cm->input); return 0; }
  for (i = 0,j = 0;j < len;++j) {
    if (s[j]) continue;
    k = j - i;
    if (flagcolon) {
      for (k = 0;i + k < j && s[i + k] != ':';++k) ;
      if (i + k == j) { i = j + 1; continue; }
    }
    cm->input[cm->num] = s + i;
    cm->inputlen[cm->num++] = k;
    i = j + 1;
  }
  return 1;
}

void constmap_free(struct constmap *cm)
{
  alloc_free((char *) cm->input);
  alloc_free((char *) cm->inputlen);
}

char *constmap(struct constmap *cm,char *s,int len)
{
  int i;

  for (i = cm->num - 1;i >= 0;--i)
    if (cm->inputlen[i] == len && !case_diffb(cm->input[i],(unsigned int) len,s))
      return cm->input[i] + len + 1;
  return 0;
}

#include <stdlib.h>
#include "alloc.h"
#include "error.h"

char *alloc(unsigned int n)
{
  char *x;

  x = malloc(n ? n : 1); /* so that 0 always means failure */
  if (!x) errno = error_nomem;
  return x;
}

void alloc_free(char *x)
{
  free(x);
}

/* *x had m bytes, gets n; on failure it is left alone */
int alloc_re(char **x,unsigned int m,unsigned int n)
{
  char *y;

  (void) m;
  y = realloc(*x,n ? n : 1);
  if (!y) { errno = error_nomem; return 0; }
  *x = y;
  return 1;
}

#include <stdlib.h>
#include "alloc.h"
#include "error.h"

unsigned int alloc_calls = 0;
unsigned int alloc_failat = 0; /* for the unit tests: the call that fails, counting from 1; 0: none */

char *alloc(unsigned int n)
{
  char *x;

  if (alloc_failat && ++alloc_calls == alloc_failat) { errno = error_nomem; return 0; }
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

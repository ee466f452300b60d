#ifndef GETLN_H
#define GETLN_H

#include "substdio.h"
#include "stralloc.h"

/*
 * getln: the next line, sep included, into sa; *match is 1 if sep was
 * found, 0 at the end of input (sa then holds what was left, maybe
 * nothing).  getln2: the same, but *cont,*clen may point into the
 * buffer instead of sa.  Both return 0, or -1 on error.
 */
extern int getln(substdio *ss,stralloc *sa,int *match,int sep);
extern int getln2(substdio *ss,stralloc *sa,char **cont,unsigned int *clen,int sep);

#endif

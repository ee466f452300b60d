#ifndef GEN_ALLOC_DEFS_H
#define GEN_ALLOC_DEFS_H

#include "alloc.h"
#include "byte.h"
#include "error.h"

/*
 * qmail-1.03's argument lists: i, n and x are names for the locals.
 * ready(x,n): room for n in all; readyplus(x,n): room for n more.
 * A first allocation is exact and sets len to 0, and, as qmail-1.03's
 * and netqmail's, sets a even when it fails (notqmail 1.08 fixed that):
 * code that looks at a before field must be ready for it. Growth adds
 * an eighth and base.  Sizes that would not fit an unsigned int fail
 * with errno == error_nomem.
 */

#define GEN_ALLOC_grow(type,field,len,a,i,n,x,base) \
  type *f; \
  if (x->field && n <= x->a) return 1; \
  i = x->field ? n + (n >> 3) + (base) : n; \
  if (i < n || (unsigned int) (i * sizeof(type)) / sizeof(type) != i) \
    { errno = error_nomem; return 0; } \
  if (!x->field) { x->a = i; x->len = 0; } \
  f = (type *) alloc(i * sizeof(type)); \
  if (!f) return 0; \
  if (x->field) { \
    byte_copy((char *) f,x->a * sizeof(type),(char *) x->field); \
    alloc_free((char *) x->field); } \
  x->field = f; x->a = i; return 1;

#define GEN_ALLOC_ready(ta,type,field,len,a,i,n,x,base,ta_ready) \
int ta_ready(ta *x,unsigned int n) \
{ unsigned int i; \
  GEN_ALLOC_grow(type,field,len,a,i,n,x,base) }

#define GEN_ALLOC_readyplus(ta,type,field,len,a,i,n,x,base,ta_rplus) \
int ta_rplus(ta *x,unsigned int n) \
{ unsigned int i; \
  if (x->field) { \
    i = n; n += x->len; \
    if (n < i) { errno = error_nomem; return 0; } } \
  GEN_ALLOC_grow(type,field,len,a,i,n,x,base) }

#define GEN_ALLOC_append(ta,type,field,len,a,i,n,x,base,ta_rplus,ta_append) \
int ta_append(ta *x,type *i) \
{ if (!ta_rplus(x,1)) return 0; \
  x->field[x->len++] = *i; return 1; }

#endif

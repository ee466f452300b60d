/* test stand-in: a growable array type, as qmail's gen_alloc.h declares it */
#ifndef QLIB_GEN_ALLOC_H
#define QLIB_GEN_ALLOC_H

#define GEN_ALLOC_typedef(name,elt,ptr,used,room) \
typedef struct name { elt *ptr; unsigned int used; unsigned int room; } name;

#endif

#ifndef CONSTMAP_H
#define CONSTMAP_H

/*
 * As qmail's constmap: a lookup table over the 0-terminated entries of
 * s[0..len), ASCII case ignored; with flagcolon the key is what comes
 * before an entry's first ':' (an entry without one is left out) and
 * constmap() gives what follows it; without, the key is the whole entry
 * and constmap() points just past it. Of entries with the same key the
 * last one counts. 0: no such key (or, from init, out of memory).
 */
struct constmap {
  int num;
  char **input;
  int *inputlen;
} ;

extern int constmap_init(struct constmap *cm,char *s,int len,int flagcolon);
extern void constmap_free(struct constmap *cm);
extern char *constmap(struct constmap *cm,char *s,int len);

#endif

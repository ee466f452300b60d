#ifndef SUBSTDIO_H
#define SUBSTDIO_H

#include <sys/types.h>

/*
 * Output: x[0..p) waits to be written, n is the size of x.
 * Input: x[n..n+p) is read but not yet taken.
 * op is read or write, or anything called like them; it is
 * declared without arguments so that both fit.
 */
typedef struct substdio {
  char *x;
  int p;
  int n;
  int fd;
  ssize_t (*op)();
} substdio;

#define SUBSTDIO_FDBUF(op,fd,buf,len) { (buf), 0, (len), (fd), (op) }

extern void substdio_fdbuf(substdio *s,ssize_t (*op)(),int fd,char *buf,int len);

extern int substdio_flush(substdio *s);
extern int substdio_put(substdio *s,const char *buf,int len);
extern int substdio_bput(substdio *s,const char *buf,int len);
extern int substdio_putflush(substdio *s,const char *buf,int len);
extern int substdio_puts(substdio *s,const char *buf);
extern int substdio_bputs(substdio *s,const char *buf);
extern int substdio_putsflush(substdio *s,const char *buf);

extern int substdio_get(substdio *s,char *buf,int len);
extern int substdio_bget(substdio *s,char *buf,int len);
extern int substdio_feed(substdio *s);

extern char *substdio_peek(substdio *s);
extern void substdio_seek(substdio *s,int len);

extern int substdio_copy(substdio *out,substdio *in);

#define SUBSTDIO_INSIZE 8192
#define SUBSTDIO_OUTSIZE 8192

/* input: the bytes read and not taken yet, and taking len of them */
#define substdio_PEEK(s) ((s)->x + (s)->n)
#define substdio_SEEK(s,len) ((s)->p -= (len), (s)->n += (len))

#endif

#include "substdio.h"
#include "byte.h"
#include "str.h"
#include "error.h"

void substdio_fdbuf(substdio *s,ssize_t (*op)(),int fd,char *buf,int len)
{
  s->x = buf;
  s->p = 0;
  s->n = len;
  s->fd = fd;
  s->op = op;
}

/* the arguments as read and write take them */
static ssize_t call(ssize_t (*op)(),int fd,const char *buf,int len)
{
  ssize_t r;

  do r = op(fd,(void *) buf,(size_t) len);
  while (r == -1 && errno == error_intr);
  return r;
}

static int allwrite(ssize_t (*op)(),int fd,const char *buf,int len)
{
  ssize_t w;

  while (len > 0) {
    w = call(op,fd,buf,len);
    if (w == -1) return -1;
    if (w <= 0 || w > len) { errno = error_io; return -1; }
    buf += w;
    len -= w;
  }
  return 0;
}

int substdio_flush(substdio *s)
{
  int p;

  p = s->p;
  s->p = 0;
  return allwrite(s->op,s->fd,s->x,p);
}

int substdio_put(substdio *s,const char *buf,int len)
{
  if (len > s->n - s->p) {
    if (substdio_flush(s) == -1) return -1;
    if (len >= s->n) return allwrite(s->op,s->fd,buf,len);
  }
  byte_copy(s->x + s->p,len,buf);
  s->p += len;
  return 0;
}

int substdio_bput(substdio *s,const char *buf,int len) { return substdio_put(s,buf,len); }

int substdio_putflush(substdio *s,const char *buf,int len)
{
  if (substdio_put(s,buf,len) == -1) return -1;
  return substdio_flush(s);
}

int substdio_puts(substdio *s,const char *buf) { return substdio_put(s,buf,str_len(buf)); }
int substdio_bputs(substdio *s,const char *buf) { return substdio_bput(s,buf,str_len(buf)); }
int substdio_putsflush(substdio *s,const char *buf) { return substdio_putflush(s,buf,str_len(buf)); }

/* fills the buffer if it is empty; returns what it holds, 0 at end, -1 */
int substdio_feed(substdio *s)
{
  ssize_t r;

  if (s->p) return s->p;
  r = call(s->op,s->fd,s->x,s->n);
  if (r <= 0) return r;
  s->p = r;
  s->n -= r;
  if (s->n > 0) byte_copyr(s->x + s->n,r,s->x);
  return r;
}

static int take(substdio *s,char *buf,int len)
{
  if (len > s->p) len = s->p;
  byte_copy(buf,len,s->x + s->n);
  substdio_SEEK(s,len);
  return len;
}

int substdio_bget(substdio *s,char *buf,int len)
{
  int r;

  r = substdio_feed(s);
  if (r <= 0) return r;
  return take(s,buf,len);
}

/* a large read bypasses an empty buffer */
int substdio_get(substdio *s,char *buf,int len)
{
  if (!s->p && len >= s->n) return call(s->op,s->fd,buf,len);
  return substdio_bget(s,buf,len);
}

char *substdio_peek(substdio *s) { return substdio_PEEK(s); }
void substdio_seek(substdio *s,int len) { substdio_SEEK(s,len); }

/* -2: cannot read in, -3: cannot write out */
int substdio_copy(substdio *out,substdio *in)
{
  int n;

  for (;;) {
    n = substdio_feed(in);
    if (n < 0) return -2;
    if (!n) return 0;
    if (substdio_put(out,substdio_PEEK(in),n) == -1) return -3;
    substdio_SEEK(in,n);
  }
}

#include <unistd.h>
#include "subfd.h"

ssize_t subfd_read(int fd,void *buf,size_t len)
{
  if (substdio_flush(subfdout) == -1) return -1;
  return read(fd,buf,len);
}

ssize_t subfd_readsmall(int fd,void *buf,size_t len)
{
  if (substdio_flush(subfdoutsmall) == -1) return -1;
  return read(fd,buf,len);
}

static char inbuf[SUBSTDIO_INSIZE];
static char insmallbuf[256];
static char outbuf[SUBSTDIO_OUTSIZE];
static char outsmallbuf[256];
static char errbuf[256];

static substdio in = SUBSTDIO_FDBUF(subfd_read,0,inbuf,sizeof(inbuf));
static substdio insmall = SUBSTDIO_FDBUF(subfd_readsmall,0,insmallbuf,sizeof(insmallbuf));
static substdio out = SUBSTDIO_FDBUF(write,1,outbuf,sizeof(outbuf));
static substdio outsmall = SUBSTDIO_FDBUF(write,1,outsmallbuf,sizeof(outsmallbuf));
static substdio err = SUBSTDIO_FDBUF(write,2,errbuf,sizeof(errbuf));

substdio *subfdin = &in;
substdio *subfdinsmall = &insmall;
substdio *subfdout = &out;
substdio *subfdoutsmall = &outsmall;
substdio *subfderr = &err;

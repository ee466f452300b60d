/* test stand-ins for qmail's timeoutconn.o, timeoutread.o, timeoutwrite.o */
#include "timeoutconn.h"
#include "timeoutread.h"
#include "timeoutwrite.h"
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include "byte.h"
#include "error.h"

/* 1 when fd is ready for events within t seconds, 0 on timeout (errno set), -1 */
static int ready(int fd,int events,int t)
{
  struct pollfd p;
  int r;

  p.fd = fd;
  p.events = events;
  p.revents = 0;
  r = poll(&p,1,(t > 0 && t < 2000000) ? t * 1000 : 0);
  if (r == 0) errno = error_timeout;
  return r;
}

int timeoutread(int t,int fd,char *buf,int len)
{
  if (ready(fd,POLLIN,t) != 1) return -1;
  return (int) read(fd,buf,(size_t) len);
}

int timeoutwrite(int t,int fd,char *buf,int len)
{
  if (ready(fd,POLLOUT,t) != 1) return -1;
  return (int) write(fd,buf,(size_t) len);
}

int timeoutconn(int s,struct ip_address *ip,unsigned int port,int timeout)
{
  struct sockaddr_in sa;
  socklen_t len;
  int flags;
  int e;

  byte_zero((char *) &sa,sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short) port);
  byte_copy((char *) &sa.sin_addr,4,(char *) ip->d);
  if ((flags = fcntl(s,F_GETFL)) == -1 || fcntl(s,F_SETFL,flags | O_NONBLOCK) == -1) return -1;
  if (connect(s,(struct sockaddr *) &sa,sizeof sa) == -1) {
    if (errno != error_inprogress && errno != error_wouldblock) return -1;
    if (ready(s,POLLOUT,timeout) != 1) return -1;
    len = sizeof e;
    if (getsockopt(s,SOL_SOCKET,SO_ERROR,(char *) &e,&len) == -1) return -1;
    if (e) { errno = e; return -1; }
  }
  return fcntl(s,F_SETFL,flags);
}

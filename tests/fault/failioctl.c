/* failioctl.so: an LD_PRELOAD shim for the fault tests (tests/t/46-faults.t),
 * not part of the patch. ioctl(SIOCGIFCONF), the interface query of
 * ipme.c, fails with the errno named by $FAILIOCTL: EIO (the default), or
 * EINVAL, which ipme.c takes as "buffer too small", for ever. Every other
 * ioctl goes to the C library.
 *   cc -shared -fPIC -o failioctl.so failioctl.c -ldl
 *   FAILIOCTL=EIO LD_PRELOAD=./failioctl.so qmail-remote ...
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int ioctl(int fd,unsigned long req,...)
{
  static int (*next)(int,unsigned long,...);
  const char *e;
  va_list ap;
  void *arg;

  va_start(ap,req);
  arg = va_arg(ap,void *);
  va_end(ap);
  if (req == SIOCGIFCONF) {
    e = getenv("FAILIOCTL");
    errno = (e && !strcmp(e,"EINVAL")) ? EINVAL : EIO;
    return -1;
  }
  if (!next) next = (int (*)(int,unsigned long,...)) dlsym(RTLD_NEXT,"ioctl");
  if (!next) { errno = ENOSYS; return -1; }
  return next(fd,req,arg);
}

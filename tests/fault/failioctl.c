/* failioctl.so: an LD_PRELOAD shim for the fault tests (tests/t/42-outage.t,
 * 44-smtpd-lazy.t, 46-faults.t), not part of the patch.
 * ioctl(SIOCGIFCONF), the interface query of moreipme.c, fails with the
 * errno named by $FAILIOCTL: EIO (the default), or EINVAL, which
 * moreipme.c takes as "buffer too small", for ever; FAILIOCTL=none lets
 * it through. Every other ioctl goes to the C library.
 * With $FAILIOCTL_LOG set, each SIOCGIFCONF appends a line "SIOCGIFCONF"
 * to that file, and each open or openat a line "open PATH", so a test
 * can tell whether a program listed the interfaces or opened a file.
 *   cc -shared -fPIC -o failioctl.so failioctl.c -ldl
 *   FAILIOCTL=EIO LD_PRELOAD=./failioctl.so qmail-remote ...
 *   FAILIOCTL=none FAILIOCTL_LOG=/tmp/log LD_PRELOAD=./failioctl.so qmail-smtpd
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* one line, one write, O_APPEND: the lines of several processes do not mix */
static void logline(const char *what,const char *path)
{
  const char *fn;
  char buf[4096];
  size_t len;
  size_t n;
  int saved;
  int fd;

  fn = getenv("FAILIOCTL_LOG");
  if (!fn || !*fn) return;
  saved = errno;
  len = strlen(what);
  if (len > sizeof buf - 2) len = sizeof buf - 2;
  memcpy(buf,what,len);
  if (path) {
    n = strlen(path);
    if (n > sizeof buf - 2 - len - 1) n = sizeof buf - 2 - len - 1;
    buf[len++] = ' ';
    memcpy(buf + len,path,n);
    len += n;
  }
  buf[len++] = '\n';
  /* not open(): that is ours */
  fd = (int) syscall(SYS_openat,AT_FDCWD,fn,O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,0644);
  if (fd != -1) {
    if (write(fd,buf,len) == -1) { /* a test log: nothing to do */ }
    close(fd);
  }
  errno = saved;
}

int ioctl(int fd,unsigned long req,...)
{
  static int (*next)(int,unsigned long,...);
  const char *e;
  va_list ap;
  void *arg;

  va_start(ap,req);
  arg = va_arg(ap,void *);
  va_end(ap);
  if (!next) next = (int (*)(int,unsigned long,...)) dlsym(RTLD_NEXT,"ioctl");
  if (req == SIOCGIFCONF) {
    logline("SIOCGIFCONF",0);
    e = getenv("FAILIOCTL");
    if (!e || strcmp(e,"none")) {
      errno = (e && !strcmp(e,"EINVAL")) ? EINVAL : EIO;
      return -1;
    }
  }
  if (!next) { errno = ENOSYS; return -1; }
  return next(fd,req,arg);
}

static int needmode(int flags)
{
#ifdef O_TMPFILE
  if ((flags & O_TMPFILE) == O_TMPFILE) return 1;
#endif
  return (flags & O_CREAT) != 0;
}

/* as the C library's: a mode argument only with O_CREAT or O_TMPFILE */
#define OPENER(fn,params,type,call) \
int fn params \
{ \
  static type next; \
  mode_t mode; \
  va_list ap; \
\
  mode = 0; \
  if (needmode(flags)) { va_start(ap,flags); mode = (mode_t) va_arg(ap,unsigned int); va_end(ap); } \
  if (!next) next = (type) dlsym(RTLD_NEXT,#fn); \
  logline("open",path); \
  if (!next) { errno = ENOSYS; return -1; } \
  return next call; \
}

typedef int (*openfn)(const char *,int,...);
typedef int (*openatfn)(int,const char *,int,...);
OPENER(open,(const char *path,int flags,...),openfn,(path,flags,mode))
OPENER(open64,(const char *path,int flags,...),openfn,(path,flags,mode))
OPENER(openat,(int dirfd,const char *path,int flags,...),openatfn,(dirfd,path,flags,mode))
OPENER(openat64,(int dirfd,const char *path,int flags,...),openatfn,(dirfd,path,flags,mode))

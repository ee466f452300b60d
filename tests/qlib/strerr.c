#include <unistd.h>
#include "strerr.h"
#include "subfd.h"
#include "error.h"

struct strerr strerr_sys;

void strerr_sysinit(void)
{
  strerr_sys.who = 0;
  strerr_sys.x = error_str(errno);
  strerr_sys.y = "";
  strerr_sys.z = "";
}

static void put(const char *s)
{
  if (s) substdio_puts(subfderr,s);
}

void strerr_warn(const char *x1,const char *x2,const char *x3,
  const char *x4,const char *x5,const char *x6,struct strerr *se)
{
  strerr_sysinit(); /* before anything can change errno */
  put(x1); put(x2); put(x3); put(x4); put(x5); put(x6);
  for (;se;se = se->who) { put(se->x); put(se->y); put(se->z); }
  put("\n");
  substdio_flush(subfderr);
}

void strerr_die(int e,const char *x1,const char *x2,const char *x3,
  const char *x4,const char *x5,const char *x6,struct strerr *se)
{
  strerr_warn(x1,x2,x3,x4,x5,x6,se);
  _exit(e);
}

/* test stand-in for qmail's control.o: see control.h */
#include "control.h"
#include <unistd.h>
#include "substdio.h"
#include "getln.h"
#include "open.h"
#include "error.h"
#include "scan.h"

static stralloc me = {0};
static int flagme = 0;
static stralloc ln = {0};

static void chop(stralloc *sa)
{
  while (sa->len && (sa->s[sa->len - 1] == '\n' || sa->s[sa->len - 1] == ' ' || sa->s[sa->len - 1] == '\t'))
    --sa->len;
}

/* 1 and the fd, 0 no such file, -1 */
static int opened(char *fn,int *fd)
{
  *fd = open_read(fn);
  if (*fd != -1) return 1;
  return (errno == error_noent) ? 0 : -1;
}

int control_readline(stralloc *sa,char *fn)
{
  char buf[256];
  substdio ss;
  int match;
  int fd;
  int r;

  if ((r = opened(fn,&fd)) != 1) return r;
  substdio_fdbuf(&ss,read,fd,buf,sizeof buf);
  r = getln(&ss,sa,&match,'\n');
  close(fd);
  if (r == -1) return -1;
  chop(sa);
  return 1;
}

int control_init(void)
{
  int r;

  r = control_readline(&me,"control/me");
  flagme = (r == 1);
  return r;
}

int control_rldef(stralloc *sa,char *fn,int fme,char *def)
{
  int r;

  if ((r = control_readline(sa,fn)) != 0) return r;
  if (fme && flagme) return stralloc_copy(sa,&me) ? 1 : -1;
  if (def) return stralloc_copys(sa,def) ? 1 : -1;
  return 0;
}

int control_readint(int *i,char *fn)
{
  unsigned long u;
  int r;

  if ((r = control_readline(&ln,fn)) != 1) return r;
  if (!stralloc_0(&ln)) return -1;
  if (!scan_ulong(ln.s,&u)) return 0;
  *i = (int) u;
  return 1;
}

int control_readfile(stralloc *sa,char *fn,int fme)
{
  char buf[256];
  substdio ss;
  int match;
  int fd;
  int r;

  sa->len = 0;
  if ((r = opened(fn,&fd)) == 0 && fme && flagme) {
    if (!stralloc_copy(sa,&me) || !stralloc_0(sa)) return -1;
    return 1;
  }
  if (r != 1) return r;
  substdio_fdbuf(&ss,read,fd,buf,sizeof buf);
  for (;;) {
    if (getln(&ss,&ln,&match,'\n') == -1) break;
    if (!match && !ln.len) { close(fd); return 1; }
    chop(&ln);
    if (!stralloc_0(&ln)) break;
    if (ln.s[0] && ln.s[0] != '#' && !stralloc_cat(sa,&ln)) break;
    if (!match) { close(fd); return 1; }
  }
  close(fd);
  return -1;
}

#include "ipmetool.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <unistd.h>
#include "substdio.h"
#include "getln.h"
#include "strerr.h"
#include "alloc.h"
#include "byte.h"
#include "str.h"
#include "fmt.h"
#include "open.h"
#include "error.h"
#include "auto_qmail.h"

char *tool_fatal = "ipmetool: fatal: ";
char *tool_warning = "ipmetool: warning: ";
stralloc tool_dir = {0};
ipme_nets tool_ifaces = {0};
stralloc tool_ifnames = {0};

void tool_nomem(void) { strerr_die2x(111,tool_fatal,"out of memory"); }

static void cats(stralloc *sa,char *s) { if (!stralloc_cats(sa,s)) tool_nomem(); }
static int blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int digit(char c) { return (unsigned char) (c - '0') < 10; }

int tool_kind(ipme_nets *l,struct ipme_net *n)
{
  if (l == &tool_ifaces) return TOOL_IFACE;
  if (l == &ipme_not) return TOOL_NOT;
  return n->line ? TOOL_MORE : TOOL_BUILTIN;
}

unsigned int tool_fmt(char *s,struct ipme_net *n)
{
  unsigned int len;

  len = ip_fmt(s,&n->ip);
  if (n->bits == 32) return len;
  s[len++] = '/';
  return len + fmt_ulong(s + len,(unsigned long) n->bits);
}

void tool_catentry(stralloc *sa,struct ipme_net *n)
{
  char s[TOOL_FMT];

  if (!stralloc_catb(sa,s,tool_fmt(s,n))) tool_nomem();
}

/* builtin, an interface's name, or the file and line: control/moreipme:2 */
void tool_catsource(stralloc *sa,ipme_nets *l,struct ipme_net *n)
{
  char strnum[FMT_ULONG];

  switch (tool_kind(l,n)) {
    case TOOL_BUILTIN: cats(sa,"builtin"); return;
    case TOOL_IFACE: cats(sa,tool_ifnames.s + n->line); return;
  }
  if (!stralloc_cat(sa,&tool_dir)) tool_nomem();
  cats(sa,(l == &ipme_not) ? "notipme:" : "moreipme:");
  if (!stralloc_catb(sa,strnum,fmt_ulong(strnum,(unsigned long) n->line))) tool_nomem();
}

static void says(stralloc *sa,char *what,ipme_nets *l,struct ipme_net *n)
{
  cats(sa,what);
  tool_catentry(sa,n);
  cats(sa,", ");
  tool_catsource(sa,l,n);
  cats(sa,")");
}

/* ": me (ipme 203.0.113.5, control/moreipme:2)": as moreipme.c decides, an interface address a /32, notipme winning a tie */
void tool_catme(stralloc *sa,struct ip_address *ip)
{
  struct ipme_net *me;
  struct ipme_net *not;
  ipme_nets *l;
  unsigned int bits;

  l = &tool_ifaces;
  bits = 33;
  if (!(me = ipme_longest(l,ip))) {
    l = &ipme_more;
    me = ipme_longest(l,ip);
    bits = me ? me->bits + 1 : 0;
  }
  not = ipme_longest(&ipme_not,ip);
  if (not && not->bits + 1U >= bits) says(sa,": not me (notipme ",&ipme_not,not);
  else if (me) says(sa,": me (ipme ",l,me);
  else cats(sa,": not me (no entry matches)");
}

/* a number written with a leading zero: 010 is ten, not eight */
int tool_zeros(char *s,unsigned int len)
{
  unsigned int i;

  for (i = 0;i + 1 < len;++i)
    if (s[i] == '0' && digit(s[i + 1]) && (!i || !digit(s[i - 1]))) return 1;
  return 0;
}

static int takeiface(struct ip_address *ip,char *ifname)
{
  struct ipme_net n;

  byte_zero((char *) &n,(unsigned int) sizeof(n));
  n.ip = *ip;
  n.bits = 32;
  n.line = tool_ifnames.len;
  if (!stralloc_cats(&tool_ifnames,ifname) || !stralloc_0(&tool_ifnames)) return 0;
  return ipme_append(&tool_ifaces,&n);
}

static stralloc fn = {0};
static stralloc fn2 = {0};

static char *filename(stralloc *sa,char *base,char *tail)
{
  if (!stralloc_copy(sa,&tool_dir)) tool_nomem();
  cats(sa,base);
  cats(sa,tail);
  if (!stralloc_0(sa)) tool_nomem();
  return sa->s;
}

/* s as a terminal shows it safely: at most 80 bytes, each unprintable one a ? */
void tool_catprintable(stralloc *sa,char *s,unsigned int len)
{
  unsigned int i;
  char c;

  for (i = 0;i < len && i < 80;++i) {
    c = s[i];
    if ((unsigned char) c < 32 || (unsigned char) c > 126) c = '?';
    if (!stralloc_append(sa,&c)) tool_nomem();
  }
  if (len > 80) cats(sa,"...");
}

/* the line as the admin wrote it: printable, at most 80 bytes; of a line too long, the start is all there is */
static void catshown(stralloc *sa,char *s,unsigned int len,int cut)
{
  if (!cut) while (len && blank(s[len - 1])) --len;
  tool_catprintable(sa,s,len);
}

/* "control/moreipme line 7: octet over 255": then ipme_line is line 7 */
static void dieload(void)
{
  static stralloc shown = {0};
  unsigned int len;
  char *e;

  e = ipme_error();
  if (!str_start(e,filename(&fn,"moreipme"," line ")) && !str_start(e,filename(&fn2,"notipme"," line ")))
    strerr_die2x(111,tool_fatal,e);
  len = str_len(e);
  shown.len = 0;
  catshown(&shown,ipme_line.s,ipme_line.len,len >= 13 && str_equal(e + len - 13,"line too long"));
  if (!stralloc_0(&shown)) tool_nomem();
  strerr_die4x(111,tool_fatal,e,": ",shown.s);
}

/* a fresh install has no control directory yet: no files, no entries */
static void checkdir(char *dir)
{
  struct stat st;

  if (stat(dir,&st) == 0) {
    if (!S_ISDIR(st.st_mode)) strerr_die4x(111,tool_fatal,"unable to read ",dir,": not a directory");
    return;
  }
  if (errno != error_noent) strerr_die4sys(111,tool_fatal,"unable to read ",dir,": ");
  if (lstat(dir,&st) == 0)
    strerr_die4x(111,tool_fatal,"unable to read ",dir,": symbolic link to a directory that does not exist");
  strerr_warn3(tool_warning,dir,": no such directory: nothing read from it",0);
}

static void setdir(char *dir)
{
  unsigned int len;

  len = str_len(dir);
  while (len > 1 && dir[len - 1] == '/') --len;
  if (!stralloc_copyb(&tool_dir,dir,len)) tool_nomem();
  if (len > 1 || dir[0] != '/') cats(&tool_dir,"/");
  if (!stralloc_0(&tool_dir)) tool_nomem();
  --tool_dir.len;
}

/* dir 0: control/ in the qmail home, as qmail-remote reads it */
void tool_load(char *dir)
{
  int r;

  if (!dir) {
    if (chdir(auto_qmail) == -1) strerr_die4sys(111,tool_fatal,"unable to chdir to ",auto_qmail,": ");
    dir = "control";
  }
  checkdir(dir);
  setdir(dir);
  r = ipme_loadfiles(filename(&fn,"moreipme",""),filename(&fn2,"notipme",""));
  if (r == 0) tool_nomem();
  if (r == -1) dieload();
  r = ipme_ifaces(takeiface);
  if (r == 0) tool_nomem();
  if (r == -1) strerr_die2x(111,tool_fatal,ipme_error());
}

static void rereadline(ipme_nets *l,unsigned long line,stralloc *sa,tool_take *take)
{
  struct ipme_net n;
  unsigned int len;
  unsigned int end;
  char *why;
  char *s;
  int r;

  s = sa->s;
  len = sa->len;
  if (line == 1 && len >= 3 && byte_equal(s,3,"\357\273\277")) { s += 3; len -= 3; }
  while (len && blank(*s)) { ++s; --len; }
  if (!len || *s == '#') return;
  byte_zero((char *) &n,(unsigned int) sizeof(n));
  r = ipme_scan(&n,s,len,&why);
  if (r == -1) strerr_die3x(111,tool_fatal,fn.s," changed while I read it: try again");
  n.line = line;
  for (end = 0;end < len && !blank(s[end]);++end) ;
  take(l,&n,s,end,r == 0);
}

/*
Each entry of l's file again, as written, for what ipme_loadfiles does not
keep: take(l,n,s,len,flag6), s the entry; an IPv6 one has flag6 and
only n->line.
*/
void tool_reread(ipme_nets *l,tool_take *take)
{
  static stralloc line = {0};
  char buf[4096];
  substdio ss;
  unsigned long n;
  int match;
  int fd;

  fd = open_read(filename(&fn,(l == &ipme_not) ? "notipme" : "moreipme",""));
  if (fd == -1) {
    if (errno == error_noent) return;
    strerr_die4sys(111,tool_fatal,"unable to read ",fn.s,": ");
  }
  substdio_fdbuf(&ss,read,fd,buf,sizeof buf);
  for (n = 1;;++n) {
    if (getln(&ss,&line,&match,'\n') == -1) strerr_die4sys(111,tool_fatal,"unable to read ",fn.s,": ");
    if (!line.len) break;
    line.len -= match;
    rereadline(l,n,&line,take);
    if (!match) break;
  }
  close(fd);
}

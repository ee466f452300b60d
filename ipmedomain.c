#include "ipmedomain.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>
#include <errno.h>
#include <time.h>
#include "ipmetool.h"
#include "substdio.h"
#include "subfd.h"
#include "stralloc.h"
#include "strerr.h"
#include "getln.h"
#include "open.h"
#include "error.h"
#include "byte.h"
#include "str.h"
#include "case.h"
#include "fmt.h"
#include "scan.h"
#include "ip.h"
#include "ipalloc.h"
#include "control.h"
#include "constmap.h"
#include "dns.h"
#include "sig.h"
#include "timeoutconn.h"
#include "timeoutread.h"
#include "timeoutwrite.h"
#include "ipmetree.h"

#define PROBEMAX 5 /* seconds: a probe waits no longer to connect, nor then for the replies */

static stralloc out = {0};

static void cats(char *s) { if (!stralloc_cats(&out,s)) tool_nomem(); }
static void catb(char *s,unsigned int len) { if (!stralloc_catb(&out,s,len)) tool_nomem(); }
static void catnum(unsigned long u) { char s[FMT_ULONG]; catb(s,fmt_ulong(s,u)); }
static void catip(struct ip_address *ip) { char s[IPFMT]; catb(s,ip_fmt(s,ip)); }
static int digit(char c) { return (unsigned char) (c - '0') < 10; }

/* a line: "DOMAIN: " then what follows, until put */
static void start(char *d) { out.len = 0; cats(d); cats(": "); }
static void put(void)
{
  cats("\n");
  if (substdio_put(subfdout,out.s,out.len) == -1) strerr_die2sys(111,tool_fatal,"unable to write output: ");
}

static int status = 0;
int domain_status(void) { return status; }

/* a temporary error: said on stderr too, and the exit status is 111 */
static void temporary(char *d,char *what)
{
  if (substdio_flush(subfdout) == -1) strerr_die2sys(111,tool_fatal,"unable to write output: ");
  strerr_warn4(tool_warning,d,": ",what,0);
  status = 111;
}

/* --- which names are domains ------------------------------------- */

/* an address, or meant as one, has no letter in its first word */
int domain_is(char *s)
{
  unsigned int i;

  if (s[str_chr(s,':')]) return 0;
  for (i = 0;s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '#';++i)
    if (!digit(s[i]) && s[i] != '.' && s[i] != '/') return 1;
  return 0;
}

static char *baddomain(char *s)
{
  struct ip_address ip;
  unsigned int len;
  unsigned int i;
  unsigned int label;
  char c;

  len = str_len(s);
  if (s[str_chr(s,'@')]) return "a mail address: give its domain, after the @";
  if (s[0] == '[') return (ip_scanbracket(s,&ip) == len) ? 0 : "not an address in brackets";
  if (len > 253) return "longer than 253 characters";
  label = 0;
  for (i = 0;i < len;++i) {
    c = s[i];
    if (c == '.') {
      if (!label) return "an empty label";
      label = 0;
      continue;
    }
    if ((unsigned char) c > 127) return "not ASCII (write a name in another script in its xn-- form)";
    if (!digit(c) && c != '-' && c != '_' && (unsigned char) ((c | 32) - 'a') > 25) return "a character no domain has";
    if (++label > 63) return "a label longer than 63 characters";
  }
  if (!label) return "a trailing dot (mail domains are written without it)";
  return 0;
}

void domain_check(char *s)
{
  char *why;

  if ((why = baddomain(s))) strerr_die5x(100,tool_fatal,"bad domain ",s,": ",why);
}

/* --- the control files ------------------------------------------- */

static stralloc fn = {0};
static char *path(char *base)
{
  if (!stralloc_copy(&fn,&tool_dir) || !stralloc_cats(&fn,base) || !stralloc_0(&fn)) tool_nomem();
  return fn.s;
}

static int flagprobe = 0;
static stralloc me = {0};
static stralloc ourname = {0}; /* control/smtpgreeting's first word, else control/me: the name qmail-smtpd greets with */
static int flagme = 0; /* control/me has a line */
static int flaglocalsme = 0; /* no control/locals: qmail-send takes control/me */
static stralloc helohost = {0};
static int flaghelo = 0;
#ifdef IPME_OUTIP
static struct ip_address outip; /* control/outgoingip, which qmail-remote binds */
static int flagbadoutip = 0; /* it is no address: qmail-remote defers every delivery */
#endif
static int timeoutconnect = 60; /* qmail-remote's defaults */
static int timeoutremote = 1200;
static stralloc locals = {0};
static stralloc vdoms = {0};
static stralloc routes = {0};
static struct constmap maplocals;
static struct constmap mapvdoms;
static struct constmap maproutes;

static void dieread(char *f) { strerr_die4sys(111,tool_fatal,"unable to read ",f,": "); }

static void readmap(stralloc *sa,struct constmap *map,char *base,int flagcolon)
{
  if (control_readfile(sa,path(base),0) == -1) dieread(fn.s);
  if (!constmap_init(map,sa->s,sa->len,flagcolon)) tool_nomem();
}

/* what the admin wrote, printable: at most 80 bytes; a route's password not at all */
static void catshown(char *s,unsigned int len,int flagroute)
{
  unsigned int bar;

  bar = flagroute ? byte_chr(s,len,'|') : len;
  tool_catprintable(&out,s,(bar < 80) ? bar : len);
  if (bar < len && bar < 80) cats("|...");
}
static stralloc ln = {0};

/*
"control/smtproutes line 3: no colon, so qmail ignores this line:
example.com relay": a warning, and the exit status 111; the domains are
answered as qmail reads the file
*/
static void bad(unsigned long line,char *why,int flagroute)
{
  char strnum[FMT_ULONG];

  out.len = 0;
  catshown(ln.s,ln.len,flagroute);
  if (!stralloc_0(&out)) tool_nomem();
  strnum[fmt_ulong(strnum,line)] = 0;
  if (substdio_flush(subfdout) == -1) strerr_die2sys(111,tool_fatal,"unable to write output: ");
  strerr_warn6(tool_warning,fn.s," line ",strnum,why,out.s,0);
  status = 111;
}

/* a route's port, where there is one: digits, up to the end or a '|' (sagredo's credentials) */
static int badport(void)
{
  unsigned long port;
  unsigned int i;
  unsigned int j;
  unsigned int end;

  i = byte_chr(ln.s,ln.len,':') + 1;
  end = i + byte_chr(ln.s + i,ln.len - i,'|');
  i += byte_chr(ln.s + i,end - i,':');
  if (i++ >= end) return 0;
  j = i + scan_ulong(ln.s + i,&port);
  return j != end || port < 1 || port > 65535;
}

/*
The entries of base as control_readfile keeps them, with their line
numbers: each line less its trailing newline, spaces and tabs, unless
it is then empty or starts with '#'; a 0 byte in a line makes one entry
more. Gives the line of entry want (from 0), or 0. With check, it reads
them all, and a line with no colon is an error; with check 2, so is a
route's bad port.
*/
static unsigned long walk(char *base,unsigned long want,int check)
{
  char buf[1024];
  substdio ss;
  unsigned long line;
  unsigned long entry;
  unsigned int i;
  int match;
  int fd;

  fd = open_read(path(base));
  if (fd == -1) { if (errno == error_noent) return 0; dieread(fn.s); }
  substdio_fdbuf(&ss,read,fd,buf,sizeof buf);
  entry = 0;
  for (line = 1;;++line) {
    if (getln(&ss,&ln,&match,'\n') == -1) dieread(fn.s);
    if (!match && !ln.len) break;
    while (ln.len && (ln.s[ln.len - 1] == '\n' || ln.s[ln.len - 1] == ' ' || ln.s[ln.len - 1] == '\t')) --ln.len;
    if (ln.len && ln.s[0] && ln.s[0] != '#') { /* a line that starts with a 0 byte is skipped too */
      if (check && byte_chr(ln.s,ln.len,':') == ln.len) bad(line,": no colon, so qmail ignores this line: ",check == 2);
      else if (check == 2 && badport()) bad(line,": bad port (1 to 65535), which qmail-remote reads as far as it is digits: ",1);
      for (i = 0;i < ln.len;++i) if (!ln.s[i]) ++entry;
      if (!check && entry >= want) { close(fd); return line; }
      ++entry;
    }
    if (!match) break;
  }
  close(fd);
  return 0;
}

static int fdhome = -1; /* with -c DIR and -p: where we are; the guard reads control/ in guardhome */
static stralloc guardhome = {0};

/* the guard reads control/smtpgreeting and control/me; here they are in tool_dir */
static void guardhere(void)
{
  unsigned int len;

  len = tool_dir.len;
  if (len >= 8 && str_equal(tool_dir.s + len - 8,"control/") && (len == 8 || tool_dir.s[len - 9] == '/')) {
    if (len == 8) return; /* control/ here, or in the qmail home */
    if (!stralloc_copyb(&guardhome,tool_dir.s,len - 8) || !stralloc_0(&guardhome)) tool_nomem();
    fdhome = open_read(".");
    if (fdhome == -1) strerr_die2sys(111,tool_fatal,"unable to open the current directory: ");
    return;
  }
  strerr_die4x(100,tool_fatal,"-p with -c ",tool_dir.s,
    ": the directory must be called control, as the loop guard reads its names from control/me and control/smtpgreeting");
}

/* the first word of sa, as the loop guard reads our name: blanks, then no blank */
static void firstword(stralloc *sa)
{
  unsigned int i;
  unsigned int j;

  for (i = 0;i < sa->len && (sa->s[i] == ' ' || sa->s[i] == '\t' || sa->s[i] == '\r');++i) ;
  for (j = i;j < sa->len && sa->s[j] != ' ' && sa->s[j] != '\t' && sa->s[j] != '\r';++j) ;
  byte_copy(sa->s,j - i,sa->s + i);
  sa->len = j - i;
}

void domain_load(int flagp)
{
  int r;

  flagprobe = flagp;
  /* what qmail-remote reads first: control/me, the timeouts, control/helohost */
  if ((r = control_readline(&me,path("me"))) == -1) dieread(fn.s);
  flagme = (r == 1);
  if (control_readint(&timeoutremote,path("timeoutremote")) == -1) dieread(fn.s);
  if (control_readint(&timeoutconnect,path("timeoutconnect")) == -1) dieread(fn.s);
  if ((r = control_readline(&helohost,path("helohost"))) == -1) dieread(fn.s);
  flaghelo = (r == 1);
  if (!flaghelo && flagme) { if (!stralloc_copy(&helohost,&me)) tool_nomem(); flaghelo = 1; }

  /* qmail-send: control/locals (without it, control/me), control/virtualdomains */
  if ((r = control_readfile(&locals,path("locals"),0)) == -1) dieread(fn.s);
  if (r == 0 && flagme) {
    if (!stralloc_copy(&locals,&me) || !stralloc_0(&locals)) tool_nomem();
    flaglocalsme = 1;
  }
  if (!constmap_init(&maplocals,locals.s,locals.len,0)) tool_nomem();
  readmap(&vdoms,&mapvdoms,"virtualdomains",1);
  walk("virtualdomains",0,1);
  readmap(&routes,&maproutes,"smtproutes",1);
  walk("smtproutes",0,2);

#ifdef IPME_OUTIP
  /* as qmail-remote reads it, at its start */
  if ((r = control_readline(&ln,path("outgoingip"))) == -1) dieread(fn.s);
  byte_zero((char *) &outip,4);
  if (r == 1) {
    if (!stralloc_0(&ln)) tool_nomem();
    if (!str_equal(ln.s,"0.0.0.0") && !ip_scan(ln.s,&outip)) flagbadoutip = 1;
  }
#endif
  if (flagprobe) {
    if ((r = control_readline(&ourname,path("smtpgreeting"))) == -1) dieread(fn.s);
    if (r == 0 && !stralloc_copy(&ourname,&me)) tool_nomem();
    firstword(&ourname);
    if (timeoutconnect > PROBEMAX) timeoutconnect = PROBEMAX;
    if (timeoutremote > PROBEMAX) timeoutremote = PROBEMAX;
    guardhere();
    sig_pipeignore();
  }
  dns_init(0);
}

/* "control/virtualdomains:3 .example.com:alias": the entry of base (in sa) whose key of keylen bytes constmap found, x what it gave */
static void catentry(char *base,stralloc *sa,char *x,unsigned int keylen,int flagroute)
{
  unsigned long entry;
  unsigned int i;
  char *e;

  e = x - keylen - 1;
  entry = 0;
  for (i = 0;i < (unsigned int) (e - sa->s);++i) if (!sa->s[i]) ++entry;
  cats(tool_dir.s);
  cats(base);
  cats(":");
  catnum(walk(base,entry,0));
  cats(" ");
  catshown(e,str_len(e),flagroute);
}

/* --- what qmail does -------------------------------------------- */

/* the domain as qmail-send's rewrite() sees user@d: 1 delivered here */
static int local(char *d)
{
  unsigned int len;
  unsigned int i;
  char *x;

  len = str_len(d);
  if ((x = constmap(&maplocals,d,len))) {
    start(d);
    cats("local (");
    if (flaglocalsme) { cats(tool_dir.s); cats("me:1, as there is no "); cats(tool_dir.s); cats("locals"); }
    else catentry("locals",&locals,x,len,0);
    cats("): delivered here; qmail-remote never sees it");
    put();
    return 1;
  }
  for (i = 0;i <= len;++i) /* the domain, .suffixes, the empty default; user@domain entries are for that user only */
    if (!i || i == len || d[i] == '.')
      if ((x = constmap(&mapvdoms,d + i,len - i))) {
        start(d);
        if (!*x) {
          cats("not virtual (");
          catentry("virtualdomains",&vdoms,x,len - i,0);
          cats("): an exception, so qmail-remote delivers it");
          put();
          return 0;
        }
        cats("virtual (");
        catentry("virtualdomains",&vdoms,x,len - i,0);
        cats("): delivered here, to ");
        catshown(x,str_len(x),0);
        cats("-user@");
        cats(d);
        cats("; qmail-remote never sees it");
        put();
        return 1;
      }
  return 0;
}

/* qmail-remote's smtproutes: 0 none, else the host, and the port in *port */
static stralloc relay = {0};
static char *route(char *d,unsigned long *port)
{
  unsigned int len;
  unsigned int i;
  unsigned int keylen;
  char *x;

  *port = 25;
  len = str_len(d);
  for (i = 0;i <= len;++i)
    if (!i || i == len || d[i] == '.')
      if ((x = constmap(&maproutes,d + i,len - i))) break;
  if (i > len) return 0;
  keylen = len - i;
  start(d);
  if (!*x) {
    cats("no route (");
    catentry("smtproutes",&routes,x,keylen,1);
    cats("): an empty route, so qmail-remote looks up the MX");
    put();
    return 0;
  }
  if (!stralloc_copys(&relay,x) || !stralloc_0(&relay)) tool_nomem();
  relay.s[str_chr(relay.s,'|')] = 0; /* sagredo's user and password */
  i = str_chr(relay.s,':');
  if (relay.s[i]) { scan_ulong(relay.s + i + 1,port); relay.s[i] = 0; }
  cats("route (");
  catentry("smtproutes",&routes,x,keylen,1);
  cats("): qmail-remote sends it to ");
  if (*relay.s) catshown(relay.s,str_len(relay.s),1);
  else cats("an empty host name");
  cats(" port ");
  catnum(*port);
  cats(" and does not check a route against its own addresses; the loop guard applies on port 25");
  put();
  return relay.s;
}

static void probe(char *d,struct ip_address *ip);

/* the addresses, as qmail-remote's main() decides after its DNS lookup */
static void deliver(char *d,ipalloc *ia,char *relayhost,unsigned long port,int flagalias)
{
  unsigned long prefme;
  unsigned long best;
  int flagfirst;
  int i;
  int j;

  prefme = 100000;
  best = 100000;
  for (i = 0;i < (int) ia->len;++i) {
    start(d);
    if (relayhost) { cats("address "); catip(&ia->ix[i].ip); }
    else { cats("mx "); catnum((unsigned long) ia->ix[i].pref); cats(" "); catip(&ia->ix[i].ip); }
    tool_catme(&out,&ia->ix[i].ip);
    put();
    if ((unsigned long) ia->ix[i].pref < best) best = ia->ix[i].pref;
    if (ipme_check(&ia->ix[i].ip) == 1)
      if ((unsigned long) ia->ix[i].pref < prefme) prefme = ia->ix[i].pref;
  }
  if (relayhost) prefme = 300000;
  if (flagalias) prefme = 500000;

  start(d);
  for (i = 0;i < (int) ia->len;++i) if ((unsigned long) ia->ix[i].pref < prefme) break;
  if (i >= (int) ia->len) {
    /* dns_mxip drops an exchanger with no address: "best" is among those with one */
    if (*d == '[') cats("bounces (#5.4.6): the address");
    else {
      cats("bounces (#5.4.6): the best MX with an address, at preference ");
      catnum(best);
      if (!best) cats(" (or, with no MX, the domain's address)");
    }
    cats(", is this host; add ");
    cats(d);
    cats(" to control/locals or control/virtualdomains, or fix the MX");
    if (*d == '[') cats(" (qmail-smtpd rewrites box@[an address of its own] to control/localiphost)");
    put();
  }
  else if (ipme_check(&ia->ix[i].ip) == 1) {
    /* a route or an alias: qmail-remote tries this host first, or may */
    for (j = 0;j < (int) ia->len;++j)
      if ((relayhost || ia->ix[j].pref == ia->ix[i].pref) && ipme_check(&ia->ix[j].ip) != 1) break;
    if (port == 25) {
      cats("defers (#4.4.6): qmail-remote connects to ");
      catip(&ia->ix[i].ip);
      cats(" first, which is this host, and its loop guard stops there (if this host greets with a dotted name of its own; else the message loops)");
    }
    else {
      cats("sends it to this host: qmail-remote sends it to ");
      catip(&ia->ix[i].ip);
      cats(" port ");
      catnum(port);
      cats(", an address of this host, where the loop guard does not look: a loop if this qmail (or anything that queues it back here) listens there");
    }
    if (j < (int) ia->len) cats("; or, as the order of equally good addresses falls, it delivers to another first");
    if (flagalias) cats(": a CNAME, so qmail-remote tries every exchanger, this host's too");
    put();
  }
  else {
    cats("delivers to ");
    flagfirst = 1;
    for (i = 0;i < (int) ia->len;++i)
      if ((unsigned long) ia->ix[i].pref < prefme) {
        if (!flagfirst) cats(", then ");
        catip(&ia->ix[i].ip);
        if (ipme_check(&ia->ix[i].ip) == 1) cats(" (me)");
        flagfirst = 0;
      }
    if (relayhost) { cats(" port "); catnum(port); }
    if (prefme < 100000) {
      cats(" only: this host is an MX at preference ");
      catnum(prefme);
      cats(", and qmail-remote tries only the exchangers preferred to it");
    }
    else if (flagalias)
      cats(": a CNAME, so qmail-remote tries every exchanger, this host's too");
    put();
  }
  if (!flagprobe) return;
  if (port != 25) {
    start(d);
    cats("no probe: the port is ");
    catnum(port);
    cats(", and the loop guard applies on port 25 only");
    put();
    return;
  }
  for (i = 0;i < (int) ia->len;++i)
    if (ipme_check(&ia->ix[i].ip) != 1) probe(d,&ia->ix[i].ip);
}

static ipalloc ia = {0};
static stralloc host = {0};

void domain_answer(char *d)
{
  unsigned long random;
  unsigned long port;
  char *relayhost;
  int flagalias;
  int r;

  if (local(d)) return;
  relayhost = route(d,&port);
  if (!flaghelo) {
    start(d);
    cats("defers (#4.3.0): qmail-remote finds no ");
    cats(tool_dir.s);
    cats("helohost and no ");
    cats(tool_dir.s);
    cats("me");
    put();
    temporary(d,"qmail-remote cannot read its control files");
    return;
  }
#ifdef IPME_OUTIP
  if (flagbadoutip) {
    start(d);
    cats("defers (#4.3.0): ");
    cats(tool_dir.s);
    cats("outgoingip is not an address, so qmail-remote delivers nothing");
    put();
    temporary(d,"qmail-remote cannot use control/outgoingip");
    return;
  }
#endif
  flagalias = 0;
#ifdef IPME_CNAME
  /* qmail 1.03's addrmangle(): no route, and the domain is an alias: every MX is tried */
  if (!relayhost) {
    if (!stralloc_copys(&host,d)) tool_nomem();
    r = dns_cname(&host);
    if (r == DNS_MEM) tool_nomem();
    if (r == DNS_SOFT) {
      start(d);
      cats("defers (#4.4.3): the CNAME lookup failed temporarily");
      put();
      temporary(d,"a temporary DNS failure");
      return;
    }
    if (r != 0) {
      flagalias = 1;
      start(d);
      if (r == DNS_HARD) cats("cname loop");
      else { cats("cname "); catshown(host.s,host.len,0); }
      cats(": qmail-remote does not skip this host's own exchangers for an alias");
      put();
    }
  }
#endif
  if (!stralloc_copys(&host,relayhost ? relayhost : d)) tool_nomem();
  random = (unsigned long) time((time_t *) 0) + ((unsigned long) getpid() << 16);
  r = relayhost ? dns_ip(&ia,&host) : dns_mxip(&ia,&host,random);
  if (r == DNS_MEM) tool_nomem();
  start(d);
  if (r == DNS_SOFT || (r == 1 && !ia.len)) {
    cats("defers (#4.1.2): a temporary DNS failure looking up ");
    cats(relayhost ? relayhost : d);
    put();
    temporary(d,"a temporary DNS failure");
    return;
  }
  if (r == DNS_HARD) {
    cats("bounces (#5.1.2): no host named ");
    cats(relayhost ? relayhost : d);
    put();
    return;
  }
  if (!ia.len) {
    cats("bounces (#5.4.4): no mail exchanger or address");
    put();
    return;
  }
  if (r == 1) {
    cats("a temporary DNS failure for an exchanger's address: qmail-remote goes on without it");
    put();
    temporary(d,"a temporary DNS failure for an exchanger's address");
  }
  deliver(d,&ia,relayhost,port,flagalias);
}

/* --- -p: who answers on port 25 ------------------------------------ */

static stralloc probed = {0}; /* per address probed: its 4 bytes, what it did, a 0 */
static stralloc said = {0};
static stralloc reply = {0};
static stralloc greeting = {0};
static stralloc fake = {0};

static int smtpfd;
static time_t deadline;
static char inbuf[512];
static int inlen;
static int inpos;

/* 1 a byte, 0 the end, -1 an error or the deadline */
static int get(char *c)
{
  time_t t;
  int r;

  if (inpos == inlen) {
    t = deadline - time((time_t *) 0);
    if (t <= 0) { errno = error_timeout; return -1; }
    r = timeoutread((int) t,smtpfd,inbuf,(int) sizeof inbuf);
    if (r == 0) errno = 0; /* closed: not a timeout */
    if (r <= 0) return r;
    inlen = r;
    inpos = 0;
  }
  *c = inbuf[inpos++];
  return 1;
}

/* a byte of a reply, kept as qmail-remote's get() keeps it: no \r, at most 5000 bytes */
static int getkept(char *c)
{
  if (get(c) != 1) return 0;
  if (*c != '\r' && reply.len < 5000) if (!stralloc_append(&reply,c)) tool_nomem();
  return 1;
}

/* one reply, read as qmail-remote's smtpcode() reads it: its code, or -1 */
static long smtpreply(void)
{
  long code;
  char c;
  int i;

  reply.len = 0;
  code = 0;
  for (i = 0;i < 3;++i) {
    if (!getkept(&c)) return -1;
    code = code * 10 + (unsigned char) (c - '0');
  }
  for (;;) {
    if (!getkept(&c)) return -1;
    if (c != '-') break;
    while (c != '\n') if (!getkept(&c)) return -1;
    for (i = 0;i < 3;++i) if (!getkept(&c)) return -1;
  }
  while (c != '\n') if (!getkept(&c)) return -1;
  return code;
}

static int tell(char *s,unsigned int len)
{
  time_t t;
  int r;

  while (len) {
    t = deadline - time((time_t *) 0);
    if (t <= 0) { errno = error_timeout; return -1; }
    r = timeoutwrite((int) t,smtpfd,s,(int) len);
    if (r == 0) errno = 0;
    if (r <= 0) return -1;
    s += r;
    len -= r;
  }
  return 0;
}

static void saidc(char *s) { if (!stralloc_cats(&said,s)) tool_nomem(); }
static void saidnum(unsigned long u) { char s[FMT_ULONG]; if (!stralloc_catb(&said,s,fmt_ulong(s,u))) tool_nomem(); }

/* the first word of the reply: 1 if it is our name */
static int saidname(void)
{
  unsigned int i;
  unsigned int j;

  for (i = 4;i < reply.len && (reply.s[i] == ' ' || reply.s[i] == '\t');++i) ;
  for (j = i;j < reply.len && reply.s[j] != ' ' && reply.s[j] != '\t' && reply.s[j] != '\n';++j) ;
  if (j == i) saidc("no name");
  else tool_catprintable(&said,reply.s + i,j - i);
  return j - i == ourname.len && ourname.len && !case_diffb(reply.s + i,j - i,ourname.s);
}

static void saidtimeout(char *what,int t)
{
  saidc(what);
  saidnum((unsigned long) t);
  saidc((t == 1) ? " second" : " seconds");
}

/* what ip does on port 25, into said: connect, greeting, EHLO, QUIT */
static void talk(struct ip_address *ip)
{
  struct ipme_net *not;
  char x[IPFMT];
  long code;
  char *cmd;
  int flagours;
  int flagguard;
  int loop;
  int r;
  int e;

  smtpfd = socket(AF_INET,SOCK_STREAM,0);
  if (smtpfd == -1) strerr_die2sys(111,tool_fatal,"unable to create a socket: ");
#ifdef IPME_OUTIP
  r = timeoutconn(smtpfd,ip,&outip,25,timeoutconnect);
#else
  r = timeoutconn(smtpfd,ip,25,timeoutconnect);
#endif
  if (r == -1) {
    e = errno; /* before an alloc can change it */
    if (e == error_timeout) saidtimeout("no answer: no connection within ",timeoutconnect);
    else { saidc((e == ECONNREFUSED) ? "refuses: " : "no connection: "); saidc(error_str(e)); }
    close(smtpfd);
    return;
  }
  inlen = inpos = 0;
  deadline = time((time_t *) 0) + timeoutremote + 1; /* time() is whole seconds: never less than timeoutremote */
  if (fdhome != -1 && chdir(guardhome.s) == -1) strerr_die4sys(111,tool_fatal,"unable to chdir to ",guardhome.s,": ");
  ipme_loop(&reply,ip,0); /* a new connection: the guard forgets the last one */
  code = smtpreply();
  if (code == -1) {
    if (errno != error_timeout) saidc("no greeting: it connects, then closes the connection");
    else if (reply.len) saidtimeout("no greeting: it connects, but sends no whole reply within ",timeoutremote);
    else saidtimeout("no greeting: it connects, but says nothing within ",timeoutremote);
  }
  else if (code != 220) {
    saidc("no greeting: it answers ");
    tool_catprintable(&said,reply.s,byte_chr(reply.s,reply.len,'\n'));
  }
  else {
    saidc("greets as ");
    flagours = saidname();
    if (!stralloc_copy(&greeting,&reply)) tool_nomem();
    /* would the guard stop it, if the next reply named us too? */
    if (!stralloc_copys(&fake,"250 ") || !stralloc_catb(&fake,greeting.s + 4,greeting.len - 4)) tool_nomem();
    ipme_loop(&greeting,ip,25);
    flagguard = ipme_loop(&fake,ip,25);
    loop = 0;
    cmd = "EHLO";
    code = -1;
    if (tell("EHLO ",5) == 0 && tell(helohost.s,helohost.len) == 0 && tell("\r\n",2) == 0)
      code = smtpreply();
    if (code != -1 && code != 250) { /* refused: as the qmail-remote that sends HELO */
      saidc(", refuses EHLO (");
      saidnum((unsigned long) code);
      saidc(")");
      cmd = "HELO";
      code = (tell("HELO ",5) == 0 && tell(helohost.s,helohost.len) == 0 && tell("\r\n",2) == 0) ? smtpreply() : -1;
    }
    if (code == 250) {
      ipme_loop(&greeting,ip,25);
      loop = ipme_loop(&reply,ip,25);
    }
    else {
      if (code != -1) { saidc(", refuses HELO ("); saidnum((unsigned long) code); saidc(")"); }
      else if (errno == error_timeout) { saidc(", then no reply to "); saidc(cmd); saidtimeout(" within ",timeoutremote); }
      else { saidc(", then closes the connection before its reply to "); saidc(cmd); }
      if (flagguard) loop = -2;
    }
    x[ip_fmt(x,ip)] = 0;
    if (loop == 1) {
      saidc(", this host's own name: it is this host behind NAT or a forwarder; add ");
      saidc(x);
      saidc(" to control/moreipme (or, if it is another host with our name, to control/notipme)");
    }
    else if (loop == -2) {
      saidc(": undecided: it greets with this host's own name, and the loop guard decides on a reply to HELO or EHLO, which did not come; if ");
      saidc(x);
      saidc(" is this host, add it to control/moreipme");
    }
    else if (flagours && !flagguard && !ipme_longest(&ipme_not,ip)) {
      saidc(": it is this host's own name, which the loop guard does not trust (it wants a dotted name, not localhost): if ");
      saidc(x);
      saidc(" is this host, add it to control/moreipme, or qmail-remote loops");
    }
    else {
      saidc(": not this host, as the loop guard decides");
      if ((not = ipme_longest(&ipme_not,ip))) {
        saidc(" (whatever the name, for notipme ");
        tool_catentry(&said,not);
        saidc(", ");
        tool_catsource(&said,&ipme_not,not);
        saidc(")");
      }
    }
    tell("QUIT\r\n",6); /* waiting for remote side is just too ridiculous */
  }
  if (fdhome != -1 && fchdir(fdhome) == -1) strerr_die2sys(111,tool_fatal,"unable to chdir back: ");
  close(smtpfd);
}

/* each address once: a second domain with it gets the same answer */
static void probe(char *d,struct ip_address *ip)
{
  unsigned int i;

  for (i = 0;i < probed.len;i += 5 + str_len(probed.s + i + 4))
    if (byte_equal(probed.s + i,4,(char *) ip->d)) break;
  if (i >= probed.len) {
    said.len = 0;
    talk(ip);
    if (!stralloc_catb(&probed,(char *) ip->d,4) || !stralloc_cat(&probed,&said) || !stralloc_0(&probed)) tool_nomem();
  }
  start(d);
  cats("probe ");
  catip(ip);
  cats(": ");
  cats(probed.s + i + 4);
  put();
}

#ifndef STRERR_H
#define STRERR_H

/* a chain of message parts: x, y, z, then those of who */
struct strerr {
  struct strerr *who;
  const char *x;
  const char *y;
  const char *z;
} ;

extern struct strerr strerr_sys; /* error_str(errno), after strerr_sysinit */
extern void strerr_sysinit(void);

/* x1..x6 (each may be 0), then se's chain, then a newline, on subfderr */
extern void strerr_warn(const char *x1,const char *x2,const char *x3,
  const char *x4,const char *x5,const char *x6,struct strerr *se);
/* strerr_warn, then _exit(e) */
extern void strerr_die(int e,const char *x1,const char *x2,const char *x3,
  const char *x4,const char *x5,const char *x6,struct strerr *se)
#ifdef __GNUC__
  __attribute__((noreturn))
#endif
  ;

#define STRERR(r,se,a) \
  { se.who = 0; se.x = a; se.y = 0; se.z = 0; return r; }
#define STRERR_SYS(r,se,a) \
  { se.who = &strerr_sys; se.x = a; se.y = 0; se.z = 0; return r; }
#define STRERR_SYS3(r,se,a,b,c) \
  { se.who = &strerr_sys; se.x = a; se.y = b; se.z = c; return r; }

#define STRERR_0 ((const char *) 0)
#define STRERR_SE(se) ((struct strerr *) (se))

#define strerr_warn1(a,se) strerr_warn(a,STRERR_0,STRERR_0,STRERR_0,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_warn2(a,b,se) strerr_warn(a,b,STRERR_0,STRERR_0,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_warn3(a,b,c,se) strerr_warn(a,b,c,STRERR_0,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_warn4(a,b,c,d,se) strerr_warn(a,b,c,d,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_warn5(a,b,c,d,f,se) strerr_warn(a,b,c,d,f,STRERR_0,STRERR_SE(se))
#define strerr_warn6(a,b,c,d,f,g,se) strerr_warn(a,b,c,d,f,g,STRERR_SE(se))

#define strerr_die1(e,a,se) strerr_die(e,a,STRERR_0,STRERR_0,STRERR_0,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_die2(e,a,b,se) strerr_die(e,a,b,STRERR_0,STRERR_0,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_die3(e,a,b,c,se) strerr_die(e,a,b,c,STRERR_0,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_die4(e,a,b,c,d,se) strerr_die(e,a,b,c,d,STRERR_0,STRERR_0,STRERR_SE(se))
#define strerr_die5(e,a,b,c,d,f,se) strerr_die(e,a,b,c,d,f,STRERR_0,STRERR_SE(se))
#define strerr_die6(e,a,b,c,d,f,g,se) strerr_die(e,a,b,c,d,f,g,STRERR_SE(se))

/* ...sys: the text for errno last; ...x: nothing after */
#define strerr_die1sys(e,a) strerr_die1(e,a,&strerr_sys)
#define strerr_die2sys(e,a,b) strerr_die2(e,a,b,&strerr_sys)
#define strerr_die3sys(e,a,b,c) strerr_die3(e,a,b,c,&strerr_sys)
#define strerr_die4sys(e,a,b,c,d) strerr_die4(e,a,b,c,d,&strerr_sys)
#define strerr_die5sys(e,a,b,c,d,f) strerr_die5(e,a,b,c,d,f,&strerr_sys)
#define strerr_die6sys(e,a,b,c,d,f,g) strerr_die6(e,a,b,c,d,f,g,&strerr_sys)

#define strerr_die1x(e,a) strerr_die1(e,a,0)
#define strerr_die2x(e,a,b) strerr_die2(e,a,b,0)
#define strerr_die3x(e,a,b,c) strerr_die3(e,a,b,c,0)
#define strerr_die4x(e,a,b,c,d) strerr_die4(e,a,b,c,d,0)
#define strerr_die5x(e,a,b,c,d,f) strerr_die5(e,a,b,c,d,f,0)
#define strerr_die6x(e,a,b,c,d,f,g) strerr_die6(e,a,b,c,d,f,g,0)

#endif

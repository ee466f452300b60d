#ifndef FMT_H
#define FMT_H

#define FMT_ULONG 40 /* room for any unsigned long in decimal, and a 0 */
#define FMT_LEN ((char *) 0) /* fmt_x(FMT_LEN,...) only counts */

extern unsigned int fmt_ulong(char *s,unsigned long u);
extern unsigned int fmt_uint(char *s,unsigned int u);
extern unsigned int fmt_uint0(char *s,unsigned int u,unsigned int n);
extern unsigned int fmt_xlong(char *s,unsigned long u);
extern unsigned int fmt_str(char *s,const char *t);
extern unsigned int fmt_strn(char *s,const char *t,unsigned int n);

#endif

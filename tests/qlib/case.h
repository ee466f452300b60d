#ifndef CASE_H
#define CASE_H

/* as qmail's case.a: 0 when the two agree but for ASCII case */
extern int case_diffb(char *s,unsigned int len,char *t);

#endif

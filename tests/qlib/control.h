#ifndef CONTROL_H
#define CONTROL_H

#include "stralloc.h"

/*
 * As qmail's control.c: fn's first line, or every line, less its
 * trailing newline, spaces and tabs; readfile skips empty lines and
 * those starting with '#', each line kept ends with a 0. A missing file
 * is 0 (readfile with flagme: control/me's line, after control_init),
 * an error -1, else 1. readint: 0 also when the line is no number.
 */
extern int control_init(void);
extern int control_readline(stralloc *sa,char *fn);
extern int control_rldef(stralloc *sa,char *fn,int flagme,char *def);
extern int control_readint(int *i,char *fn);
extern int control_readfile(stralloc *sa,char *fn,int flagme);

#endif

#ifndef SCAN_H
#define SCAN_H

extern unsigned int scan_ulong(const char *s,unsigned long *u);
extern unsigned int scan_uint(const char *s,unsigned int *u);

#endif

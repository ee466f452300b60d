/* test stand-in: the qmail home directory, set in auto_qmail.c */
#ifndef QLIB_AUTO_QMAIL_H
#define QLIB_AUTO_QMAIL_H

extern char auto_qmail[];

#endif

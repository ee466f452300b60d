#ifndef TIMEOUTREAD_H
#define TIMEOUTREAD_H

/* read, after at most t seconds of waiting: else -1 with errno error_timeout */
extern int timeoutread(int t,int fd,char *buf,int len);

#endif

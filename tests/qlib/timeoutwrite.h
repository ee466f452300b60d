#ifndef TIMEOUTWRITE_H
#define TIMEOUTWRITE_H

/* write, after at most t seconds of waiting: else -1 with errno error_timeout */
extern int timeoutwrite(int t,int fd,char *buf,int len);

#endif

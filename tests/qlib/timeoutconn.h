#ifndef TIMEOUTCONN_H
#define TIMEOUTCONN_H

#include "ip.h"

/* connects the TCP socket s to ip:port within timeout seconds: 0, or -1 and errno (error_timeout) */
extern int timeoutconn(int s,struct ip_address *ip,unsigned int port,int timeout);

#endif

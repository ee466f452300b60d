/* compiles only where struct sockaddr has sa_len (the BSDs) */
#include <sys/types.h>
#include <sys/socket.h>

int trysalen(void)
{
  struct sockaddr sa;

  sa.sa_len = sizeof(sa);
  return sa.sa_len;
}

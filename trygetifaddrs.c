/* links only where the C library has getifaddrs (Linux, the BSDs) */
#include <sys/types.h>
#include <sys/socket.h>
#include <ifaddrs.h>

int main(void)
{
  struct ifaddrs *ifa;

  if (getifaddrs(&ifa) == -1) return 1;
  freeifaddrs(ifa);
  return 0;
}

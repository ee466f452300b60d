/* ifconf: the kernel's interface query alone, as a baseline for ipme's
 * initialisation: SIOCGIFCONF once with no buffer (Linux answers the
 * size it needs), once more into a buffer of that size; prints how many
 * records came back. Test tool for bench/run; not part of the patch. */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
  struct ifconf ifc;
  int s;

  s = socket(AF_INET,SOCK_STREAM,0);
  if (s == -1) { perror("ifconf: socket"); return 111; }
  ifc.ifc_buf = 0;
  ifc.ifc_len = 0;
  if (ioctl(s,SIOCGIFCONF,&ifc) == -1) { perror("ifconf: SIOCGIFCONF"); return 111; }
  ifc.ifc_buf = malloc(ifc.ifc_len + sizeof(struct ifreq));
  if (!ifc.ifc_buf) { perror("ifconf: malloc"); return 111; }
  ifc.ifc_len += sizeof(struct ifreq);
  if (ioctl(s,SIOCGIFCONF,&ifc) == -1) { perror("ifconf: SIOCGIFCONF"); return 111; }
  printf("%lu\n",(unsigned long) (ifc.ifc_len / sizeof(struct ifreq)));
  return 0;
}

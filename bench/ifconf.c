/* ifconf: the kernel's interface query alone, as a baseline for
 * ipme_init: SIOCGIFCONF once with no buffer (Linux answers the size
 * it needs), then once more into a new buffer of that size and a
 * little more, as moreipme.c asks it. Prints the CPU time those two
 * calls and the buffer took in microseconds (user and system, as
 * bench/ipmeinit.c), how many records came back, and the wall time.
 * Test tool for bench/run; not part of the patch. */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
  struct timespec a;
  struct timespec b;
  struct timespec ca;
  struct timespec cb;
  struct ifconf ifc;
  int s;

  s = socket(AF_INET,SOCK_STREAM,0);
  if (s == -1) { perror("ifconf: socket"); return 111; }
  clock_gettime(CLOCK_MONOTONIC,&a);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&ca);
  ifc.ifc_buf = 0;
  ifc.ifc_len = 0;
  if (ioctl(s,SIOCGIFCONF,&ifc) == -1) { perror("ifconf: SIOCGIFCONF"); return 111; }
  ifc.ifc_len += sizeof(struct ifreq) + 65;
  ifc.ifc_buf = malloc(ifc.ifc_len);
  if (!ifc.ifc_buf) { perror("ifconf: malloc"); return 111; }
  if (ioctl(s,SIOCGIFCONF,&ifc) == -1) { perror("ifconf: SIOCGIFCONF"); return 111; }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&cb);
  clock_gettime(CLOCK_MONOTONIC,&b);
  printf("%.1f %lu %.1f\n",(cb.tv_sec - ca.tv_sec) * 1e6 + (cb.tv_nsec - ca.tv_nsec) / 1e3,
    (unsigned long) (ifc.ifc_len / sizeof(struct ifreq)),(b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3);
  return 0;
}

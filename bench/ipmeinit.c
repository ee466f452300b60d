/* ipmeinit DIR [IP]: the time of one ipme_init(), in the process's
 * first call, as qmail-remote makes it: changes to DIR (which holds
 * control/), calls ipme_init() and, if IP is given and it succeeded,
 * ipme_is(IP). Prints one line: the CPU time of the call in
 * microseconds (user and system: on a shared machine the wall time
 * counts the others' time too), ipme_init's answer, the number of
 * interface addresses (ipme.len), ipme_is's answer (-2 if not asked),
 * the peak resident size in KB, and the wall time. Uses only stock's
 * interface (ipme.h), so it links with stock's ipme.o as well as ours;
 * bench/stock compiles it inside each tree. Test tool for bench/run;
 * not part of the patch. */
#include <sys/types.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ip.h"
#include "ipalloc.h"
#include "ipme.h"

int main(int argc,char **argv)
{
  struct timespec a;
  struct timespec b;
  struct timespec ca;
  struct timespec cb;
  struct ip_address ip;
  struct rusage ru;
  int r;
  int is = -2;

  if (argc < 2) { fprintf(stderr,"usage: ipmeinit DIR [IP]\n"); return 100; }
  if (chdir(argv[1]) == -1) { perror("ipmeinit: chdir"); return 111; }
  if (argc > 2 && ip_scan(argv[2],&ip) != strlen(argv[2])) { fprintf(stderr,"ipmeinit: bad IP\n"); return 100; }
  clock_gettime(CLOCK_MONOTONIC,&a);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&ca);
  r = ipme_init();
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&cb);
  clock_gettime(CLOCK_MONOTONIC,&b);
  if (argc > 2 && r == 1) is = ipme_is(&ip);
  getrusage(RUSAGE_SELF,&ru);
  printf("%.1f %d %u %d %ld %.1f\n",(cb.tv_sec - ca.tv_sec) * 1e6 + (cb.tv_nsec - ca.tv_nsec) / 1e3,
    r,(unsigned int) ipme.len,is,(long) ru.ru_maxrss,(b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3);
  return 0;
}

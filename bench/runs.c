/* runs N INPUT [-n NETNS] CMD [ARG...] [-- [-n NETNS] CMD [ARG...]]...:
 * a benchmark runner. Runs each command N times, interleaved (A B C A
 * B C ...) so that the machine's drift touches all alike, each with
 * stdin from INPUT and stdout and stderr to /dev/null, no shell in
 * between; with -n, in the network namespace NETNS (a file such as
 * /proc/PID/ns/net), entered between fork and exec. Prints one line
 * a command: median, mean and minimum wall time in microseconds, the
 * largest peak resident size of its runs in KB (getrusage), and its
 * exit status (or "mixed" if the runs disagree).
 * Test tool for bench/run; not part of the patch. */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 32

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC,&t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a,const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int main(int argc,char **argv)
{
  char **cmd[MAXCMD];
  char *ns[MAXCMD];
  double *t[MAXCMD];
  long rss[MAXCMD];
  int status[MAXCMD];
  int mixed[MAXCMD];
  int ncmd = 0;
  int n;
  int i;
  int k;
  char *in;

  if (argc < 4) { fprintf(stderr,"usage: runs N INPUT [-n NETNS] CMD [ARG...] [-- [-n NETNS] CMD [ARG...]]...\n"); return 100; }
  n = atoi(argv[1]);
  in = argv[2];
  if (n < 1) { fprintf(stderr,"runs: N must be at least 1\n"); return 100; }
  cmd[ncmd++] = argv + 3;
  for (i = 3;i < argc;++i)
    if (!strcmp(argv[i],"--")) {
      argv[i] = 0;
      if (i + 1 >= argc || ncmd == MAXCMD) { fprintf(stderr,"runs: bad command list\n"); return 100; }
      cmd[ncmd++] = argv + i + 1;
    }
  for (k = 0;k < ncmd;++k) {
    ns[k] = 0;
    if (cmd[k][0] && !strcmp(cmd[k][0],"-n")) {
      if (!cmd[k][1] || !cmd[k][2]) { fprintf(stderr,"runs: -n needs NETNS and a command\n"); return 100; }
      ns[k] = cmd[k][1];
      cmd[k] += 2;
    }
    t[k] = malloc(n * sizeof(double));
    if (!t[k]) { perror("runs: malloc"); return 111; }
    rss[k] = 0; status[k] = -1; mixed[k] = 0;
  }
  for (i = 0;i < n;++i)
    for (k = 0;k < ncmd;++k) {
      struct rusage ru;
      double start;
      int ws;
      int st;
      pid_t pid;

      start = now();
      pid = fork();
      if (pid == -1) { perror("runs: fork"); return 111; }
      if (!pid) {
        int fd = open(in,O_RDONLY);
        int null = open("/dev/null",O_WRONLY);
        if (fd == -1 || null == -1) _exit(126);
        if (ns[k]) {
          int nfd = open(ns[k],O_RDONLY);
          if (nfd == -1 || setns(nfd,CLONE_NEWNET) == -1) _exit(125);
          close(nfd);
        }
        dup2(fd,0); dup2(null,1); dup2(null,2);
        execv(cmd[k][0],cmd[k]);
        _exit(127);
      }
      if (wait4(pid,&ws,0,&ru) != pid) { perror("runs: wait4"); return 111; }
      t[k][i] = now() - start;
      if (ru.ru_maxrss > rss[k]) rss[k] = ru.ru_maxrss;
      st = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
      if (status[k] == -1) status[k] = st;
      else if (status[k] != st) mixed[k] = 1;
    }
  for (k = 0;k < ncmd;++k) {
    double sum = 0;
    for (i = 0;i < n;++i) sum += t[k][i];
    qsort(t[k],n,sizeof(double),cmp);
    printf("%.1f %.1f %.1f %ld ",n % 2 ? t[k][n / 2] : (t[k][n / 2 - 1] + t[k][n / 2]) / 2,sum / n,t[k][0],rss[k]);
    if (mixed[k]) printf("mixed\n"); else printf("%d\n",status[k]);
  }
  return 0;
}

/* sink ADDR PORT NAME: an SMTP server that accepts every message and
 * keeps none, for qmail-remote to deliver to. Listens on ADDR:PORT,
 * then goes to the background and prints its process id; serves one
 * connection at a time, greeting "220 NAME" and answering every
 * command "250 NAME" (DATA 354, QUIT 221). Greeting with the sender's
 * own name makes it a mail loop for moreipme's guard.
 * Test tool for bench/run; not part of the patch. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static char *name;

static void say(int fd,char *code,char *rest)
{
  char buf[512];
  snprintf(buf,sizeof buf,"%s %s%s\r\n",code,name,rest);
  if (write(fd,buf,strlen(buf)) == -1) return;
}

static void serve(int fd)
{
  char buf[8192];
  char line[1024];
  unsigned int len = 0;
  int data = 0;
  ssize_t r;
  ssize_t i;

  say(fd,"220"," ESMTP sink");
  while ((r = read(fd,buf,sizeof buf)) > 0)
    for (i = 0;i < r;++i) {
      if (len < sizeof line - 1) line[len++] = buf[i];
      if (buf[i] != '\n') continue;
      line[len] = 0;
      len = 0;
      if (data) {
        if (!strcmp(line,".\r\n") || !strcmp(line,".\n")) { data = 0; say(fd,"250"," ok"); }
      }
      else if (!strncasecmp(line,"DATA",4)) { data = 1; say(fd,"354"," go ahead"); }
      else if (!strncasecmp(line,"QUIT",4)) { say(fd,"221",""); return; }
      else say(fd,"250","");
    }
}

int main(int argc,char **argv)
{
  struct sockaddr_in sa;
  int one = 1;
  int s;
  int c;
  int null;
  pid_t pid;

  if (argc != 4) { fprintf(stderr,"usage: sink ADDR PORT NAME\n"); return 100; }
  name = argv[3];
  memset(&sa,0,sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(atoi(argv[2]));
  if (!inet_aton(argv[1],&sa.sin_addr)) { fprintf(stderr,"sink: bad address %s\n",argv[1]); return 100; }
  s = socket(AF_INET,SOCK_STREAM,0);
  if (s == -1) { perror("sink: socket"); return 111; }
  setsockopt(s,SOL_SOCKET,SO_REUSEADDR,&one,sizeof one);
  if (bind(s,(struct sockaddr *) &sa,sizeof sa) == -1) { perror("sink: bind"); return 111; }
  if (listen(s,64) == -1) { perror("sink: listen"); return 111; }
  signal(SIGPIPE,SIG_IGN);
  pid = fork();
  if (pid == -1) { perror("sink: fork"); return 111; }
  if (pid) { printf("%ld\n",(long) pid); return 0; }
  null = open("/dev/null",O_RDWR);
  if (null == -1) _exit(111);
  dup2(null,0); dup2(null,1); dup2(null,2);
  for (;;) {
    c = accept(s,0,0);
    if (c == -1) continue;
    serve(c);
    close(c);
  }
}

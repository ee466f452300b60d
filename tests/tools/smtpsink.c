/* smtpsink ADDR PORT MAXCONN SECONDS LOG: a test stand-in for an SMTP
 * server. Accepts at most MAXCONN connections on ADDR:PORT, answers any
 * SMTP client with success, appends "connect IP" and "message BYTES"
 * lines to LOG, and exits after SECONDS whatever happens. Not part of
 * the patch. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *logf;

static int getline_crlf(FILE *in, char *buf, size_t len)
{
  if (!fgets(buf, (int) len, in)) return 0;
  buf[strcspn(buf, "\r\n")] = 0;
  return 1;
}

static void session(int fd)
{
  FILE *in = fdopen(fd, "r");
  char line[1024];
  unsigned long bytes;

  if (!in) return;
  dprintf(fd, "220 smtpsink ESMTP\r\n");
  while (getline_crlf(in, line, sizeof line)) {
    if (!strncasecmp(line, "DATA", 4)) {
      dprintf(fd, "354 go ahead\r\n");
      bytes = 0;
      while (getline_crlf(in, line, sizeof line) && strcmp(line, "."))
        bytes += strlen(line) + 2;
      fprintf(logf, "message %lu\n", bytes);
      fflush(logf);
      dprintf(fd, "250 ok\r\n");
    } else if (!strncasecmp(line, "QUIT", 4)) {
      dprintf(fd, "221 bye\r\n");
      break;
    } else
      dprintf(fd, "250 ok\r\n");
  }
  fclose(in);
}

int main(int argc, char **argv)
{
  struct sockaddr_in sa;
  socklen_t salen;
  int s, c, n, one = 1;

  if (argc != 6) { fprintf(stderr, "usage: smtpsink ADDR PORT MAXCONN SECONDS LOG\n"); return 100; }
  alarm((unsigned) atoi(argv[4]));
  logf = fopen(argv[5], "a");
  if (!logf) { perror("smtpsink: log"); return 111; }
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short) atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) { fprintf(stderr, "smtpsink: bad address\n"); return 100; }
  s = socket(AF_INET, SOCK_STREAM, 0);
  if (s == -1) { perror("smtpsink: socket"); return 111; }
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s, (struct sockaddr *) &sa, sizeof sa) == -1) { perror("smtpsink: bind"); return 111; }
  if (listen(s, 16) == -1) { perror("smtpsink: listen"); return 111; }
  fprintf(logf, "listening\n");
  fflush(logf);
  for (n = 0; n < atoi(argv[3]); ++n) {
    salen = sizeof sa;
    c = accept(s, (struct sockaddr *) &sa, &salen);
    if (c == -1) { perror("smtpsink: accept"); return 111; }
    fprintf(logf, "connect %s\n", inet_ntoa(sa.sin_addr));
    fflush(logf);
    session(c);
  }
  return 0;
}

/* smtpsink [-g GREETING] [-h HELOREPLY] ADDR PORT MAXCONN SECONDS LOG:
 * a test stand-in for an SMTP server. Accepts at most MAXCONN
 * connections on ADDR:PORT, answers any SMTP client with success,
 * appends lines to LOG: "connect IP", "helo ARG" (or "ehlo ARG"),
 * "mail ARG", "rcpt ARG" (ARG: the rest of the command), "message
 * BYTES" and "quit"; exits after SECONDS whatever happens. GREETING
 * (default "220 smtpsink ESMTP") and HELOREPLY (the reply to HELO and
 * EHLO, default "250 ok") are sent as given, each newline in them as
 * CRLF, and end with CRLF; "%h" in HELOREPLY is the client's HELO
 * argument. Not part of the patch. */
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
static const char *greeting = "220 smtpsink ESMTP";
static const char *heloreply = "250 ok";

/* reply: TEXT with newlines as CRLF and %h as ARG, then CRLF */
static void reply(int fd, const char *text, const char *arg)
{
  for (; *text; ++text)
    if (*text == '\n') dprintf(fd, "\r\n");
    else if (text[0] == '%' && text[1] == 'h') { dprintf(fd, "%s", arg); ++text; }
    else dprintf(fd, "%c", *text);
  dprintf(fd, "\r\n");
}

/* the log line: a lower-case verb, then the rest of the command */
static void logcmd(const char *verb, const char *line)
{
  line += strcspn(line, " ");
  line += strspn(line, " ");
  fprintf(logf, "%s %s\n", verb, line);
  fflush(logf);
}

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
  reply(fd, greeting, "");
  while (getline_crlf(in, line, sizeof line)) {
    if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "EHLO", 4)) {
      logcmd(strncasecmp(line, "HELO", 4) ? "ehlo" : "helo", line);
      reply(fd, heloreply, line[4] ? line + 5 : "");
    } else if (!strncasecmp(line, "MAIL", 4)) {
      logcmd("mail", line);
      dprintf(fd, "250 ok\r\n");
    } else if (!strncasecmp(line, "RCPT", 4)) {
      logcmd("rcpt", line);
      dprintf(fd, "250 ok\r\n");
    } else if (!strncasecmp(line, "DATA", 4)) {
      dprintf(fd, "354 go ahead\r\n");
      bytes = 0;
      while (getline_crlf(in, line, sizeof line) && strcmp(line, "."))
        bytes += strlen(line) + 2;
      fprintf(logf, "message %lu\n", bytes);
      fflush(logf);
      dprintf(fd, "250 ok\r\n");
    } else if (!strncasecmp(line, "QUIT", 4)) {
      fprintf(logf, "quit\n");
      fflush(logf);
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
  int s, c, n, opt, one = 1;

  while ((opt = getopt(argc, argv, "g:h:")) != -1)
    switch (opt) {
      case 'g': greeting = optarg; break;
      case 'h': heloreply = optarg; break;
      default: argc = 0;
    }
  argc -= optind - 1;
  argv += optind - 1;
  if (argc != 6) { fprintf(stderr, "usage: smtpsink [-g GREETING] [-h HELOREPLY] ADDR PORT MAXCONN SECONDS LOG\n"); return 100; }
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

/* smtpsink [-g GREETING] [-h HELOREPLY] [-e EXTENSIONS] ADDR PORT MAXCONN SECONDS LOG:
 * a test stand-in for an SMTP server. Accepts at most MAXCONN
 * connections on ADDR:PORT, answers any SMTP client with success,
 * appends lines to LOG: "connect IP", "helo ARG" (or "ehlo ARG"),
 * "starttls", "mail ARG", "rcpt ARG" (ARG: the rest of the command),
 * "message BYTES" and "quit"; exits after SECONDS whatever happens.
 * GREETING (default "220 smtpsink ESMTP") and HELOREPLY (the reply to
 * HELO and EHLO, default "250 ok") are sent as given, each newline in
 * them as CRLF, and end with CRLF; "%h" in HELOREPLY is the client's
 * HELO argument. EXTENSIONS, one a line (e.g. "PIPELINING\nSTARTTLS"),
 * go into the reply to EHLO only, as a server lists them: HELOREPLY's
 * last line becomes "250-...", then "250-PIPELINING", "250 STARTTLS"
 * (with the code of that last line). STARTTLS is always answered
 * "454 4.7.0 TLS not available", so a client goes on in plain text.
 * Not part of the patch. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *logfp;
static const char *greeting = "220 smtpsink ESMTP";
static const char *heloreply = "250 ok";
static const char *extensions = "";

/* the LEN bytes of TEXT with newlines as CRLF and %h as ARG */
static void put(int fd, const char *text, size_t len, const char *arg)
{
  size_t i;

  for (i = 0; i < len; ++i)
    if (text[i] == '\n') dprintf(fd, "\r\n");
    else if (text[i] == '%' && i + 1 < len && text[i + 1] == 'h') { dprintf(fd, "%s", arg); ++i; }
    else dprintf(fd, "%c", text[i]);
}

/* reply: TEXT, then CRLF; with EXTS, TEXT's last line is continued
 * ("250-") and each line of EXTS follows with that line's code */
static void reply(int fd, const char *text, const char *arg, const char *exts)
{
  const char *last;
  const char *end;

  if (!*exts) { put(fd, text, strlen(text), arg); dprintf(fd, "\r\n"); return; }
  last = strrchr(text, '\n');
  last = last ? last + 1 : text;
  put(fd, text, (size_t) (last - text), arg);
  dprintf(fd, "%.3s-", last);
  if (strlen(last) > 4) put(fd, last + 4, strlen(last + 4), arg);
  dprintf(fd, "\r\n");
  for (; *exts; exts = end + (*end == '\n')) {
    end = exts + strcspn(exts, "\n");
    dprintf(fd, "%.3s%c%.*s\r\n", last, (*end && end[1]) ? '-' : ' ', (int) (end - exts), exts);
  }
}

/* the log line: a lower-case verb, then the rest of the command */
static void logcmd(const char *verb, const char *line)
{
  line += strcspn(line, " ");
  line += strspn(line, " ");
  fprintf(logfp, "%s %s\n", verb, line);
  fflush(logfp);
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
  reply(fd, greeting, "", "");
  while (getline_crlf(in, line, sizeof line)) {
    if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "EHLO", 4)) {
      logcmd(strncasecmp(line, "HELO", 4) ? "ehlo" : "helo", line);
      reply(fd, heloreply, line[4] ? line + 5 : "", strncasecmp(line, "EHLO", 4) ? "" : extensions);
    } else if (!strncasecmp(line, "STARTTLS", 8)) {
      fprintf(logfp, "starttls\n");
      fflush(logfp);
      dprintf(fd, "454 4.7.0 TLS not available\r\n");
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
      fprintf(logfp, "message %lu\n", bytes);
      fflush(logfp);
      dprintf(fd, "250 ok\r\n");
    } else if (!strncasecmp(line, "QUIT", 4)) {
      fprintf(logfp, "quit\n");
      fflush(logfp);
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

  while ((opt = getopt(argc, argv, "g:h:e:")) != -1)
    switch (opt) {
      case 'g': greeting = optarg; break;
      case 'h': heloreply = optarg; break;
      case 'e': extensions = optarg; break;
      default: argc = 0;
    }
  argc -= optind - 1;
  argv += optind - 1;
  if (argc != 6) { fprintf(stderr, "usage: smtpsink [-g GREETING] [-h HELOREPLY] [-e EXTENSIONS] ADDR PORT MAXCONN SECONDS LOG\n"); return 100; }
  alarm((unsigned) atoi(argv[4]));
  logfp = fopen(argv[5], "a");
  if (!logfp) { perror("smtpsink: log"); return 111; }
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short) atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) { fprintf(stderr, "smtpsink: bad address\n"); return 100; }
  s = socket(AF_INET, SOCK_STREAM, 0);
  if (s == -1) { perror("smtpsink: socket"); return 111; }
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s, (struct sockaddr *) &sa, sizeof sa) == -1) { perror("smtpsink: bind"); return 111; }
  if (listen(s, 16) == -1) { perror("smtpsink: listen"); return 111; }
  fprintf(logfp, "listening\n");
  fflush(logfp);
  for (n = 0; n < atoi(argv[3]); ++n) {
    salen = sizeof sa;
    c = accept(s, (struct sockaddr *) &sa, &salen);
    if (c == -1) { perror("smtpsink: accept"); return 111; }
    fprintf(logfp, "connect %s\n", inet_ntoa(sa.sin_addr));
    fflush(logfp);
    session(c);
  }
  return 0;
}

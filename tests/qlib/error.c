#include <string.h>
#include "error.h"

/* qmail's own words for the errors the tests meet, else the C library's */
char *error_str(int e)
{
  char *s;

  switch (e) {
    case 0: return "no error";
    case ENOMEM: return "out of memory";
    case ENOENT: return "file does not exist";
    case EACCES: return "access denied";
    case EISDIR: return "is a directory";
    case ENOTDIR: return "not a directory";
    case EIO: return "input/output error";
  }
  s = strerror(e);
  return s ? s : "unknown error";
}

static int temp[] = {
  EINTR, ENOMEM, ETXTBSY, EIO, ETIMEDOUT, EWOULDBLOCK, EAGAIN,
  EBUSY, ENFILE, EMFILE, ENOSPC, ENOBUFS, EDEADLK,
  ENETDOWN, ENETUNREACH, ENETRESET, ECONNABORTED, ECONNRESET,
  ECONNREFUSED, EHOSTUNREACH, ESTALE, EDQUOT
} ;

/* 1 if trying again later may help */
int error_temp(int e)
{
  unsigned int i;

  for (i = 0;i < sizeof(temp) / sizeof(temp[0]);++i)
    if (temp[i] == e) return 1;
  return 0;
}

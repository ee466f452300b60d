/* test stand-in for qmail's sig.a, the one function the tools need */
#include "sig.h"
#include <signal.h>

void sig_pipeignore(void) { signal(SIGPIPE,SIG_IGN); }

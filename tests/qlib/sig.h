#ifndef SIG_H
#define SIG_H

/* as qmail's sig.a: a write to a closed connection fails (error_pipe) instead of killing */
extern void sig_pipeignore(void);

#endif

#ifndef EXIT_H
#define EXIT_H

#include <unistd.h> /* _exit */

#endif

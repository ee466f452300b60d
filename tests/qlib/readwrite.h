#ifndef READWRITE_H
#define READWRITE_H

#include <unistd.h> /* read, write */

#endif

#include "auto_qmail.h"

char auto_qmail[] = "/var/qmail";

#!/bin/sh
# The Check unit tests of moreipme.c (built by make check against tests/qlib),
# reporting in TAP.
cd "$(dirname "$0")/../unit" || exit 111
[ -x check_ipme ] || { echo "Bail out! tests/unit/check_ipme is not built: run make check"; exit 1; }
CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent exec ./check_ipme

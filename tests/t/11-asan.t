#!/bin/sh
# The unit tests again, under AddressSanitizer and UndefinedBehaviorSanitizer.
cd "$(dirname "$0")/../unit" || exit 111
out=$(CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent make -s asan 2>&1); rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || echo "not ok - the sanitizer build or run failed (exit $rc)"

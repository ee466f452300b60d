#!/bin/sh
# The unit tests again, under AddressSanitizer and UndefinedBehaviorSanitizer.
# A failed build or run (a sanitizer stops the run at its first report)
# is one more failed test, before the plan.
cd "$(dirname "$0")/../unit" || exit 111
out=$(CK_TAP_LOG_FILE_NAME=- CK_VERBOSITY=silent make -s asan 2>&1); rc=$?
if [ $rc -eq 0 ]; then printf '%s\n' "$out"; exit 0; fi
printf '%s\n' "$out" | grep -v '^1\.\.[0-9][0-9]*$'
n=$(printf '%s\n' "$out" | grep -c '^\(not \)\{0,1\}ok [0-9]')
echo "not ok $((n + 1)) - the sanitizer build or run failed (exit $rc)"
echo "1..$((n + 1))"
exit 1

/* Included by the unit test programs after check.h (Check's, or
 * tests/cross/check.h): runs every test and prints each failure as
 * file:line:F|E:tcase: message, so that the summary, printed by the
 * caller, is the last line. Returns the number of failures. */
#include <stdio.h>
#include <stdlib.h>

static int run_failures(SRunner *sr)
{
  TestResult **tr;
  int i;
  int n;

  srunner_run_all(sr,CK_SILENT);
  n = srunner_ntests_failed(sr);
  tr = srunner_failures(sr);
  for (i = 0;i < n;++i)
    printf("%s:%d:%c:%s: %s\n",tr_lfile(tr[i]),tr_lno(tr[i]),
      tr_rtype(tr[i]) == CK_FAILURE ? 'F' : 'E',tr_tcname(tr[i]),tr_msg(tr[i]));
  free(tr);
  return n;
}

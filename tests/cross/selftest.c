/*
 * tests/cross/check.h on itself: one test that passes, and one of each
 * way to fail. 14-platforms.t compares the output with what it should
 * be, and wants exit 1.
 */
#include <check.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int side = 0;

START_TEST(test_pass)
{
  ck_assert(1 + 1 == 2);
  ck_assert_int_eq(-3,-3);
  ck_assert_uint_ge(_i,0);
  ck_assert_str_eq("a","a");
  side = 1;
}
END_TEST

START_TEST(test_int)
{
  int x = 2;

  ck_assert_int_eq(x + 1,4);
  side = 2; /* not reached */
}
END_TEST

START_TEST(test_uint)
{
  ck_assert_uint_lt(5u,_i);
}
END_TEST

START_TEST(test_str)
{
  ck_assert_str_eq("192.0.2.1","192.0.2.2");
}
END_TEST

START_TEST(test_msg)
{
  ck_assert_msg(_i != 1,"case %d: %s",_i,"refused");
}
END_TEST

START_TEST(test_plain)
{
  ck_assert(side == 99);
}
END_TEST

START_TEST(test_signal)
{
  raise(SIGSEGV);
}
END_TEST

START_TEST(test_exit)
{
  exit(3);
}
END_TEST

START_TEST(test_timeout)
{
  for (;;) pause();
}
END_TEST

#include "../unit/failures.h"

int main(void)
{
  Suite *s = suite_create("self");
  TCase *tc = tcase_create("fail");
  SRunner *sr;
  int n;

  tcase_add_test(tc,test_pass);
  tcase_add_test(tc,test_int);
  tcase_add_loop_test(tc,test_uint,3,5);
  tcase_add_test(tc,test_str);
  tcase_add_loop_test(tc,test_msg,0,3);
  tcase_add_test(tc,test_plain);
  if (!getenv("CK_FORK")) {
    tcase_add_test(tc,test_signal);
    tcase_add_test(tc,test_exit);
    tcase_add_test(tc,test_timeout);
  }
  suite_add_tcase(s,tc);
  sr = srunner_create(s);
  n = run_failures(sr);
  srunner_print(sr,CK_MINIMAL);
  srunner_free(sr);
  return n ? 1 : 0;
}

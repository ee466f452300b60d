/*
 * A stand-in for Check's <check.h>, for builds where libcheck is not at
 * hand (cross compilers, musl): the part of its API that
 * tests/unit/check_ipme.c and tests/cross/records.c use, in one header.
 * Put tests/cross first on the include path.  Not part of the patch.
 *
 * As Check: each test runs in a child process (CK_FORK=no: in this one,
 * a failure jumps back with longjmp), a failed assertion ends its test,
 * a signal or an early exit is an error, CK_DEFAULT_TIMEOUT (seconds,
 * default 4) times CK_TIMEOUT_MULTIPLIER is the limit of each test, and
 * CK_TAP_LOG_FILE_NAME=- writes one TAP line a test on stdout.
 * srunner_print(sr,CK_MINIMAL) prints Check's summary line,
 * "100%: Checks: N, Failures: F, Errors: E".  Not supported: fixtures,
 * tags, exit tests, other log files, the environment's CK_VERBOSITY.
 */
#ifndef CROSS_CHECK_H
#define CROSS_CHECK_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CK_FN static __attribute__((unused))

enum print_output { CK_SILENT, CK_MINIMAL, CK_NORMAL, CK_VERBOSE, CK_ENV };
enum test_result { CK_TEST_RESULT_INVALID, CK_PASS, CK_FAILURE, CK_ERROR };

typedef struct ck_test {
  const char *name;
  const char *file;
  void (*fn)(int);
} TTest;

struct ck_entry {
  const TTest *t;
  int start;
  int end;
} ;

typedef struct TCase {
  const char *name;
  struct ck_entry *e;
  int n;
  struct TCase *next;
} TCase;

typedef struct Suite {
  const char *name;
  TCase *first;
  TCase *last;
} Suite;

typedef struct TestResult {
  int rtype;
  const char *file; /* of the failure; the test's own file if none */
  int line;
  const char *tcname;
  const char *tname;
  int iter;
  char *msg;
} TestResult;

typedef struct SRunner {
  Suite *s;
  TestResult **r;
  int n;
  int nfailed; /* failures and errors */
  int nerrors;
} SRunner;

#define START_TEST(name) \
  static void name##_fn(int _i __attribute__((unused))); \
  static const TTest name##_ttest = { #name, __FILE__, name##_fn }; \
  static const TTest *name = &name##_ttest; \
  static void name##_fn(int _i __attribute__((unused)))
#define END_TEST

static jmp_buf ck_jb;
static char ck_msg[4096];
static const char *ck_file;
static int ck_line;

CK_FN void ck_nomem(void) { fputs("check.h: out of memory\n",stderr); exit(111); }

CK_FN void *ck_alloc(size_t n)
{
  void *p = calloc(1,n ? n : 1);
  if (!p) ck_nomem();
  return p;
}

CK_FN char *ck_strdup(const char *s)
{
  char *t = (char *) ck_alloc(strlen(s) + 1);
  strcpy(t,s);
  return t;
}

__attribute__((noreturn, format(printf,3,4), unused))
static void ck_failf(const char *file,int line,const char *fmt,...)
{
  va_list ap;

  va_start(ap,fmt);
  vsnprintf(ck_msg,sizeof(ck_msg) - 512,fmt,ap); /* room for line and file */
  va_end(ap);
  ck_file = file;
  ck_line = line;
  longjmp(ck_jb,1);
}

#define ck_assert_msg(expr, ...) \
  do { if (!(expr)) ck_failf(__FILE__,__LINE__,__VA_ARGS__); } while (0)
#define ck_assert(expr) \
  do { if (!(expr)) ck_failf(__FILE__,__LINE__,"%s","Assertion '" #expr "' failed"); } while (0)
#define ck_abort_msg(...) ck_failf(__FILE__,__LINE__,__VA_ARGS__)

#define ck_assert_int_(X,OP,Y) do { \
  intmax_t ck_x_ = (X); intmax_t ck_y_ = (Y); \
  ck_assert_msg(ck_x_ OP ck_y_,"Assertion '%s' failed: %s == %jd, %s == %jd", \
    #X " " #OP " " #Y,#X,ck_x_,#Y,ck_y_); } while (0)
#define ck_assert_uint_(X,OP,Y) do { \
  uintmax_t ck_x_ = (X); uintmax_t ck_y_ = (Y); \
  ck_assert_msg(ck_x_ OP ck_y_,"Assertion '%s' failed: %s == %ju, %s == %ju", \
    #X " " #OP " " #Y,#X,ck_x_,#Y,ck_y_); } while (0)
#define ck_assert_str_(X,OP,Y) do { \
  const char *ck_x_ = (X); const char *ck_y_ = (Y); \
  ck_assert_msg(strcmp(ck_x_,ck_y_) OP 0,"Assertion '%s' failed: %s == \"%s\", %s == \"%s\"", \
    #X " " #OP " " #Y,#X,ck_x_,#Y,ck_y_); } while (0)

#define ck_assert_int_eq(X,Y) ck_assert_int_(X,==,Y)
#define ck_assert_int_ne(X,Y) ck_assert_int_(X,!=,Y)
#define ck_assert_int_lt(X,Y) ck_assert_int_(X,<,Y)
#define ck_assert_int_le(X,Y) ck_assert_int_(X,<=,Y)
#define ck_assert_int_gt(X,Y) ck_assert_int_(X,>,Y)
#define ck_assert_int_ge(X,Y) ck_assert_int_(X,>=,Y)
#define ck_assert_uint_eq(X,Y) ck_assert_uint_(X,==,Y)
#define ck_assert_uint_ne(X,Y) ck_assert_uint_(X,!=,Y)
#define ck_assert_uint_lt(X,Y) ck_assert_uint_(X,<,Y)
#define ck_assert_uint_le(X,Y) ck_assert_uint_(X,<=,Y)
#define ck_assert_uint_gt(X,Y) ck_assert_uint_(X,>,Y)
#define ck_assert_uint_ge(X,Y) ck_assert_uint_(X,>=,Y)
#define ck_assert_str_eq(X,Y) ck_assert_str_(X,==,Y)
#define ck_assert_str_ne(X,Y) ck_assert_str_(X,!=,Y)

CK_FN Suite *suite_create(const char *name)
{
  Suite *s = (Suite *) ck_alloc(sizeof(*s));
  s->name = name;
  return s;
}

CK_FN TCase *tcase_create(const char *name)
{
  TCase *tc = (TCase *) ck_alloc(sizeof(*tc));
  tc->name = name;
  return tc;
}

CK_FN void suite_add_tcase(Suite *s,TCase *tc)
{
  if (s->last) s->last->next = tc; else s->first = tc;
  s->last = tc;
}

CK_FN void tcase_add_loop_test(TCase *tc,const TTest *t,int start,int end)
{
  struct ck_entry *e = (struct ck_entry *) realloc(tc->e,(tc->n + 1) * sizeof(*e));
  if (!e) ck_nomem();
  tc->e = e;
  e[tc->n].t = t;
  e[tc->n].start = start;
  e[tc->n].end = end;
  ++tc->n;
}

#define tcase_add_test(tc,t) tcase_add_loop_test(tc,t,0,1)

CK_FN SRunner *srunner_create(Suite *s)
{
  SRunner *sr = (SRunner *) ck_alloc(sizeof(*sr));
  sr->s = s;
  return sr;
}

CK_FN int ck_getenvint(const char *name,int dflt)
{
  const char *s = getenv(name);
  return (s && *s) ? atoi(s) : dflt;
}

/* runs t once, with _i = i, here or in a child; fills r */
CK_FN void ck_run1(const TTest *t,int i,TestResult *r)
{
  int p[2];
  int status;
  int timeout;
  ssize_t n;
  size_t got;
  pid_t pid;
  const char *env;

  r->rtype = CK_PASS;
  r->file = t->file;
  r->line = -1;
  ck_msg[0] = 0;
  env = getenv("CK_FORK");
  if (env && !strcmp(env,"no")) {
    if (!setjmp(ck_jb)) t->fn(i);
    else { r->rtype = CK_FAILURE; r->file = ck_file; r->line = ck_line; }
    r->msg = ck_strdup(r->rtype == CK_PASS ? "Passed" : ck_msg);
    return;
  }
  timeout = ck_getenvint("CK_DEFAULT_TIMEOUT",4) * ck_getenvint("CK_TIMEOUT_MULTIPLIER",1);
  if (pipe(p) == -1) { perror("check.h: pipe"); exit(111); }
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == -1) { perror("check.h: fork"); exit(111); }
  if (pid == 0) {
    close(p[0]);
    if (timeout > 0) alarm(timeout);
    if (!setjmp(ck_jb)) { t->fn(i); fflush(stdout); _exit(0); }
    snprintf(ck_msg + strlen(ck_msg),sizeof(ck_msg) - strlen(ck_msg),"%c%d%c%.400s",0,ck_line,0,ck_file);
    n = write(p[1],ck_msg,sizeof(ck_msg));
    fflush(stdout);
    _exit(n == (ssize_t) sizeof(ck_msg) ? 1 : 2);
  }
  close(p[1]);
  got = 0;
  while (got < sizeof(ck_msg)) {
    n = read(p[0],ck_msg + got,sizeof(ck_msg) - got);
    if (n <= 0) break;
    got += n;
  }
  close(p[0]);
  while (waitpid(pid,&status,0) == -1) ;
  if (got == sizeof(ck_msg)) {
    r->rtype = CK_FAILURE;
    r->line = atoi(ck_msg + strlen(ck_msg) + 1);
    env = ck_msg + strlen(ck_msg) + 1;
    r->file = ck_strdup(env + strlen(env) + 1);
    r->msg = ck_strdup(ck_msg);
    return;
  }
  r->rtype = CK_ERROR;
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    snprintf(ck_msg,sizeof(ck_msg),"Test timeout expired");
  else if (WIFSIGNALED(status))
    snprintf(ck_msg,sizeof(ck_msg),"Received signal %d (%s)",WTERMSIG(status),strsignal(WTERMSIG(status)));
  else if (WEXITSTATUS(status))
    snprintf(ck_msg,sizeof(ck_msg),"Early exit with return value %d",WEXITSTATUS(status));
  else { r->rtype = CK_PASS; snprintf(ck_msg,sizeof(ck_msg),"Passed"); }
  r->msg = ck_strdup(ck_msg);
}

CK_FN void srunner_run_all(SRunner *sr,enum print_output mode)
{
  TCase *tc;
  TestResult *r;
  const char *tap;
  int j;
  int i;

  tap = getenv("CK_TAP_LOG_FILE_NAME");
  if (tap && strcmp(tap,"-")) tap = 0;
  if (mode >= CK_NORMAL && mode != CK_ENV) printf("Running suite(s): %s\n",sr->s->name);
  for (tc = sr->s->first;tc;tc = tc->next)
    for (j = 0;j < tc->n;++j)
      for (i = tc->e[j].start;i < tc->e[j].end;++i) {
        r = (TestResult *) ck_alloc(sizeof(*r));
        r->tcname = tc->name;
        r->tname = tc->e[j].t->name;
        r->iter = i;
        ck_run1(tc->e[j].t,i,r);
        if (r->rtype != CK_PASS) ++sr->nfailed;
        if (r->rtype == CK_ERROR) ++sr->nerrors;
        sr->r = (TestResult **) realloc(sr->r,(sr->n + 1) * sizeof(*sr->r));
        if (!sr->r) ck_nomem();
        sr->r[sr->n++] = r;
        if (tap) {
          printf("%s %d - %s:%s:%s: %s\n",r->rtype == CK_PASS ? "ok" : "not ok",sr->n,
            tc->e[j].t->file,tc->name,r->tname,r->msg);
          fflush(stdout);
        }
      }
  if (tap) printf("1..%d\n",sr->n);
}

CK_FN int srunner_ntests_failed(SRunner *sr) { return sr->nfailed; }
CK_FN int srunner_ntests_run(SRunner *sr) { return sr->n; }

/* the failures and errors, in a new array that the caller frees */
CK_FN TestResult **srunner_failures(SRunner *sr)
{
  TestResult **f = (TestResult **) ck_alloc((sr->nfailed + 1) * sizeof(*f));
  int i;
  int n;

  for (i = 0,n = 0;i < sr->n;++i)
    if (sr->r[i]->rtype != CK_PASS) f[n++] = sr->r[i];
  return f;
}

CK_FN const char *tr_lfile(TestResult *r) { return r->file; }
CK_FN int tr_lno(TestResult *r) { return r->line; }
CK_FN int tr_rtype(TestResult *r) { return r->rtype; }
CK_FN const char *tr_tcname(TestResult *r) { return r->tcname; }
CK_FN const char *tr_msg(TestResult *r) { return r->msg; }

CK_FN void srunner_print(SRunner *sr,enum print_output mode)
{
  int i;

  if (mode == CK_SILENT) return;
  printf("%d%%: Checks: %d, Failures: %d, Errors: %d\n",
    sr->n ? (int) ((sr->n - sr->nfailed) * 100L / sr->n) : 0,sr->n,sr->nfailed - sr->nerrors,sr->nerrors);
  if (mode < CK_NORMAL) return;
  for (i = 0;i < sr->n;++i)
    if (sr->r[i]->rtype != CK_PASS)
      printf("%s:%d:%c:%s:%s:%d: %s\n",sr->r[i]->file,sr->r[i]->line,
        sr->r[i]->rtype == CK_FAILURE ? 'F' : 'E',sr->r[i]->tcname,sr->r[i]->tname,sr->r[i]->iter,sr->r[i]->msg);
}

CK_FN void srunner_free(SRunner *sr)
{
  TCase *tc;
  TCase *next;
  int i;

  for (i = 0;i < sr->n;++i) { free(sr->r[i]->msg); free(sr->r[i]); }
  free(sr->r);
  for (tc = sr->s->first;tc;tc = next) { next = tc->next; free(tc->e); free(tc); }
  free(sr->s);
  free(sr);
}

#endif

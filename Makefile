# moreipme: the patches, and the tests that prove them. See README.md.
#   make check                 unit and tool tests (CI runs this)
#   make check UPSTREAM=DIR    ... and the tree suite on DIR's pristine trees
#   make check UPSTREAM=DIR MIRRORS=DIR [STACKS=DIR]  ... and the stack suite
#                              (tests/t/47-stacks.t): MIRRORS holds git mirrors
#                              notqmail, sagredo-qmail, sagredo-qmail-stuff (each
#                              may be NAME.git; a missing one: its stacks skip);
#                              tools/mkstacks makes the stacks in STACKS, kept
#                              for the next run (default $TMPDIR/moreipme-stacks,
#                              /tmp without TMPDIR)
#   make patches UPSTREAM=DIR  regenerate the committed patches
#   make try TREE=DIR PREFIX=DIR [WORK=DIR] [CONFCC=WORDS] [CONFLD=WORDS]
#                              try the patch on a copy of any qmail tree;
#                              CONFCC and CONFLD are added to the copy's conf-cc
#                              and conf-ld, e.g. CONFCC='-I/opt/srs2/include'
#                              CONFLD='-L/opt/srs2/lib' for sagredo's libsrs2
#   make e2e UPSTREAM=DIR      the NAT mail loop, end to end (minutes)

SHELL = /bin/sh
CC = cc
CFLAGS = -O2 -Wall -Wextra
UPSTREAM =
MIRRORS =
STACKS = $(if $(MIRRORS),$${TMPDIR:-/tmp}/moreipme-stacks)
TREE =
PREFIX =
WORK =
CONFCC =
CONFLD =
PATCHES = qmail-1.03-moreipme-0.6.patch netqmail-1.05-moreipme-0.6.patch \
notqmail-1.09-moreipme-0.6.patch
QLIB = tests/qlib/qlib.a

default: check

include tests/e2e/Makefile.inc

check: $(QLIB) tests/bin/ipmeprint tests/bin/ipmetest tests/bin/smtpsink stacks
	$(MAKE) -s -C tests/unit CC='$(CC)' check_ipme
	UPSTREAM='$(UPSTREAM)' MIRRORS='$(MIRRORS)' STACKS="$(STACKS)" prove -v tests/t/*.t

$(QLIB): $(wildcard tests/qlib/*.c tests/qlib/*.h) tests/qlib/Makefile
	$(MAKE) -s -C tests/qlib CC='$(CC)' CFLAGS='$(CFLAGS)'

tests/bin/ipmeprint: moreipmeprint.c ipmetool.c ipmetool.h moreipme.c moreipme.h $(QLIB)
	mkdir -p tests/bin
	$(CC) $(CFLAGS) -Itests/qlib -o $@ moreipmeprint.c ipmetool.c moreipme.c $(QLIB)

tests/bin/ipmetest: ipmetest.c ipmedomain.c ipmedomain.h ipmetool.c ipmetool.h moreipme.c moreipme.h $(QLIB)
	mkdir -p tests/bin
	$(CC) $(CFLAGS) -Itests/qlib -o $@ ipmetest.c ipmedomain.c ipmetool.c moreipme.c $(QLIB)

tests/bin/smtpsink: tests/tools/smtpsink.c
	mkdir -p tests/bin
	$(CC) $(CFLAGS) -o $@ tests/tools/smtpsink.c

# the pristine trees' patches from UPSTREAM; those for patched trees
# (jms1's, sagredo's) from STACKS, made by tools/mkstacks, where present
# the stacks, before the suites that use them (41-guard.t, 47-stacks.t)
stacks:
	@test -n '$(MIRRORS)' || exit 0; \
	m() { for d in '$(MIRRORS)'/$$1 '$(MIRRORS)'/$$1.git; do \
	if test -d "$$d"; then echo "$$d"; return; fi; done; }; \
	tools/mkstacks "$(STACKS)" "`m notqmail`" "`m sagredo-qmail`" "`m sagredo-qmail-stuff`"

patches:
	@test -n '$(UPSTREAM)' || { echo 'usage: make patches UPSTREAM=DIR [STACKS=DIR]' >&2; exit 100; }
	for t in qmail-1.03 netqmail-1.05 notqmail-1.08 notqmail-1.09; do \
	tools/mkpatch $$t '$(UPSTREAM)'/$$t > $$t-moreipme-0.6.patch.new && \
	mv $$t-moreipme-0.6.patch.new $$t-moreipme-0.6.patch || exit 111; done
	for x in qmail-1.03-jms1-7.10:jms1 sagredo-302f308:sagredo; do \
	n=$${x%%:*} t="$(STACKS)"/$${x#*:}; \
	if test -z "$(STACKS)"; then echo "patches: no STACKS: $$n-moreipme-0.6.patch left as it is"; continue; fi; \
	if test ! -d "$$t"; then echo "patches: no $$t: $$n-moreipme-0.6.patch left as it is"; continue; fi; \
	if test ! -d hunks/$$n; then continue; fi; \
	tools/mkpatch $$n "$$t" > $$n-moreipme-0.6.patch.new && \
	mv $$n-moreipme-0.6.patch.new $$n-moreipme-0.6.patch || exit 111; done

try:
	@test -n '$(TREE)' -a -n '$(PREFIX)' || { echo "usage: make try TREE=DIR PREFIX=DIR [WORK=DIR] [CONFCC='-I DIR'] [CONFLD='-L DIR']" >&2; exit 100; }
	tools/try -c '$(CONFCC)' -l '$(CONFLD)' '$(TREE)' '$(PREFIX)' $(WORK:%='%')

clean:
	$(MAKE) -s -C tests/qlib clean
	$(MAKE) -s -C tests/unit clean
	rm -rf tests/bin

.PHONY: default check stacks patches try clean

include bench/Makefile.inc

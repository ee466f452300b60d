# moreipme: the patches, and the tests that prove them. See README.md.
#   make check                 unit and tool tests (CI runs this)
#   make check UPSTREAM=DIR    ... and the tree suite on DIR's pristine trees
#   make patches UPSTREAM=DIR  regenerate the committed patches
#   make try TREE=DIR PREFIX=DIR [WORK=DIR]  try the patch on a copy of any qmail tree
#   make e2e UPSTREAM=DIR      the NAT mail loop, end to end (minutes)

SHELL = /bin/sh
CC = cc
CFLAGS = -O2 -Wall -Wextra
UPSTREAM =
TREE =
PREFIX =
WORK =
PATCHES = qmail-1.03-moreipme-0.6.patch netqmail-1.05-moreipme-0.6.patch \
notqmail-1.09-moreipme-0.6.patch
QLIB = tests/qlib/qlib.a

default: check

include tests/e2e/Makefile.inc

check: $(QLIB) tests/bin/ipmeprint tests/bin/ipmetest tests/bin/smtpsink
	$(MAKE) -s -C tests/unit CC='$(CC)' check_ipme
	UPSTREAM='$(UPSTREAM)' prove -v tests/t/*.t

$(QLIB):
	$(MAKE) -s -C tests/qlib CC='$(CC)' CFLAGS='$(CFLAGS)'

tests/bin/ipmeprint: ipmeprint.c moreipme.c ipme.h trygetifaddrs.c $(QLIB)
	mkdir -p tests/bin
	$(CC) $(CFLAGS) -Itests/qlib -o $@ ipmeprint.c moreipme.c $(QLIB)

tests/bin/ipmetest: ipmetest.c moreipme.c ipme.h trygetifaddrs.c $(QLIB)
	mkdir -p tests/bin
	$(CC) $(CFLAGS) -Itests/qlib -o $@ ipmetest.c moreipme.c $(QLIB)

tests/bin/smtpsink: tests/tools/smtpsink.c
	mkdir -p tests/bin
	$(CC) $(CFLAGS) -o $@ tests/tools/smtpsink.c

patches:
	@test -n '$(UPSTREAM)' || { echo 'usage: make patches UPSTREAM=DIR' >&2; exit 100; }
	tools/mkpatch qmail-1.03 '$(UPSTREAM)/qmail-1.03' > qmail-1.03-moreipme-0.6.patch.new
	mv qmail-1.03-moreipme-0.6.patch.new qmail-1.03-moreipme-0.6.patch
	tools/mkpatch netqmail-1.05 '$(UPSTREAM)/netqmail-1.05' > netqmail-1.05-moreipme-0.6.patch.new
	mv netqmail-1.05-moreipme-0.6.patch.new netqmail-1.05-moreipme-0.6.patch
	tools/mkpatch notqmail-1.09 '$(UPSTREAM)/notqmail-1.09' > notqmail-1.09-moreipme-0.6.patch.new
	mv notqmail-1.09-moreipme-0.6.patch.new notqmail-1.09-moreipme-0.6.patch

try:
	@test -n '$(TREE)' -a -n '$(PREFIX)' || { echo 'usage: make try TREE=DIR PREFIX=DIR [WORK=DIR]' >&2; exit 100; }
	tools/try '$(TREE)' '$(PREFIX)' $(WORK:%='%')

clean:
	$(MAKE) -s -C tests/qlib clean
	$(MAKE) -s -C tests/unit clean
	rm -rf tests/bin

.PHONY: default check patches try clean

include bench/Makefile.inc

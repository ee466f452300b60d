
# make setup runs this before installing: the control files already in
# QMAIL/control must be ones the new qmail-remote can read.
if test -d QMAIL/control
then
  if ./ipmeprint -c QMAIL/control > /dev/null
  then
    exit 0
  fi
  echo 'ipmecheck: fatal: ipmeprint refuses QMAIL/control (its message is above).' >&2
  echo 'Installed now, the new qmail-remote would defer all mail, and qmail-smtpd' >&2
  echo 'would answer 451 for [address] literals. Nothing was installed.' >&2
  echo 'Fix the line, then run make setup again; see moreipme.README,' >&2
  echo '"Upgrading from moreipme 0.6".' >&2
  exit 111
fi
exit 0

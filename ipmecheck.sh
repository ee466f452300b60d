
# make setup runs this before installing: the control files already in
# QMAIL/control must be ones the new qmail-remote can read.
if test -d QMAIL/control
then
  for f in moreipme notipme
  do
    # make setup runs as root, who reads anything; qmail-remote runs as qmailr
    if test -f QMAIL/control/$f && test -z "`find QMAIL/control/$f -perm -004 -print`"
    then
      echo "ipmecheck: warning: QMAIL/control/$f is not readable by all: unless qmailr" >&2
      echo "can read it by its group, qmail-remote will defer all mail (chmod 644 it)." >&2
    fi
  done
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

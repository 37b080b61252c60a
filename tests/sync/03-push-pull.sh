# Push and pull are independent: a centre whose feed fails still gets the
# journal, and a centre that takes no records still gives its data.
. "$(dirname "$0")/lib.sh"
snapshot_file
fake ok
expect_exit 0 "a first snapshot" -- "$G" sync --once
for p in 豫D10001 豫D10002 豫D10003; do "$G" log --decision release --reason r "$p" >/dev/null 2>&1; done
[ "$(unsent)" -eq 3 ] && ok || bad "three records to send"
fake pull-500
expect_exit 69 "the feed fails" -- "$G" sync --once
expect_in "$T/out" "pushed: 3 held by the centre, 0 refused, 0 unsent" "yet the outbox drains"
expect_in "$T/err" "HTTP 500" "and the feed's failure is said"
[ "$(unsent)" -eq 0 ] && ok || bad "nothing left unsent"
[ "$(requests 'HELD ')" -eq 3 ] && ok || bad "the centre holds the three"
# The other way round: the centre takes no records (held-unknown), the data still comes.
rm -f "$GREENLANE_HOME"/cache.db*
"$G" log --decision release --reason r 豫D10004 >/dev/null 2>&1 || true
fake held-unknown
"$G" sync --once > "$T/out" 2>"$T/err"
expect_in "$T/out" "pulled: snapshot of" "a push that fails does not keep the data away"
# Counts printed are what happened: a record refused is sent once a round and counted once.
rm -f "$GREENLANE_HOME"/journal.db*
"$G" log --decision release --reason r 豫D10002 >/dev/null 2>&1
i=0; while [ $i -lt 104 ]; do "$G" log --decision release --reason r 豫D10001 >/dev/null 2>&1; i=$((i + 1)); done
fake refuse-one
"$G" sync --once > "$T/out" 2>"$T/err"
expect_in "$T/out" "pushed: 104 held by the centre, 1 refused, 1 unsent" "two batches: 104 held, 1 refused, counted once"
[ "$(requests 'REFUSED ')" -eq 1 ] && ok || bad "the refused record was sent once this round ($(requests 'REFUSED '))"
finish

# A journal whose chain is broken takes nothing more: the lane says so
# across the screen, and a decision is not logged, with the reason.
. "$(dirname "$0")/lib.sh"
demo
"$G" log --decision release 豫D10001 >/dev/null 2>&1
"$G" log --decision release 豫D10002 >/dev/null 2>&1
sqlite3 "$GREENLANE_HOME/journal.db" "UPDATE record SET body = replace(body, 'release', 'hold') WHERE seq = 2"
start
wait_for "JOURNAL DAMAGED: nothing can be logged" "the screen says the journal is damaged"
check 豫D10001 "\[G\]" "checks still work"
keys F5
wait_for "NOT logged: journal.db is damaged: its chain breaks at record 2" "a decision is not logged, and why"
finish

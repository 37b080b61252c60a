# Changes reach the lane's screen in seconds, not at its next poll: with the
# interval at 60 s, the lane keeps a request open on the real centre's
# change feed.  A pass revoked at the centre flags the truck on screen
# within seconds; a truck logged goes to the centre at once (the wait is
# ended for it); the sync screen says the lane is connected and waiting.
. "$(dirname "$0")/lib.sh"
centre 100
config '[lane]\ncheckpoint = PDS-01\nterminal = LANE-TUI\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\ninterval = 60\n' \
  "$CPORT" "$CTOKEN"
demo   # something to start on; the first sync replaces it
start
wait_for "│ online │" "the lane goes online after its first sync"
i=0; until grep -q "sync: wait: " "$GREENLANE_HOME/greenlane.log" 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
[ $i -lt 200 ] && ok || bad "the lane waits on the centre's feed after its snapshot"
keys F12
wait_for "Connected: waiting for the centre's changes." "the sync screen says it waits for changes"
keys Escape
check 豫D10001 "\[G\]  绿色通道" "green on the centre's data"
PASS=$("$G" verify --json 豫D10001 | sed -n 's/.*"pass_no":	"\([0-9]*\)".*/\1/p')
"$C" admin --db "$CDB" pass revoke "$PASS" >/dev/null || bad "revoke $PASS at the centre"
# wait_for gives up after 10 s: far less than the interval.
wait_for "PASS_REVOKED" "the revocation reaches the truck on screen within seconds"
wait_for "⚠ VERDICT CHANGED" "flagged at once"
keys F5; keys F5
wait_for "Logged #1: 豫D10001 release" "the new verdict logged"
i=0
until "$C" admin --db "$CDB" report | grep -A3 '"LANE-TUI"' | grep -q '"events":	1'; do
  sleep 0.1; i=$((i + 1)); [ $i -lt 50 ] || break
done
[ $i -lt 50 ] && ok || bad "the truck logged reaches the centre within 5 s, not at the next poll"
finish

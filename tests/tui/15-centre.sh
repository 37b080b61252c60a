# Against a real greenlane-central: the lane syncs by itself; a pass revoked
# at the centre reaches the lane while the truck is on screen, is flagged at
# once, and F5 cannot log green; offline is shown with its reason, and F12
# offers "sync now".
. "$(dirname "$0")/lib.sh"
centre 100
demo   # something to start on; the first sync replaces it
start
wait_for "│ online │" "the lane goes online after its first sync" ||
  { tail -n 20 "$GREENLANE_HOME/greenlane.log" "$T/central.log" | sed 's/^/  | /'; }
check 豫D10001 "\[G\]  绿色通道" "green on the centre's data"
PASS=$("$G" verify --json 豫D10001 | sed -n 's/.*"pass_no":	"\([0-9]*\)".*/\1/p')
"$C" admin --db "$CDB" pass revoke "$PASS" >/dev/null || bad "revoke $PASS at the centre"
wait_for "PASS_REVOKED" "the revocation reaches the truck on screen"
wait_for "⚠ VERDICT CHANGED" "flagged at once"
keys F5
wait_for "press the key again" "F5 cannot log the green that was shown"
"$G" export --csv | grep -q ",green," && bad "green was logged" || ok
keys F5
wait_for "Logged #1: 豫D10001 release" "the second F5 logs the new verdict"
journaled '"verdict":"check".*"PASS_REVOKED"' "as check, PASS_REVOKED"
i=0
until "$C" admin --db "$CDB" report | grep -A3 '"LANE-TUI"' | grep -q '"events":	1'; do
  sleep 0.2; i=$((i + 1)); [ $i -lt 75 ] || break
done
[ $i -lt 75 ] && ok || bad "the logged truck reaches the centre by itself"
wait_for "unsent 0" "and the status bar says nothing is unsent"
# The centre goes away: offline, with the reason, and the lane keeps working.
stop_centre
wait_for "│ OFFLINE │" "with the centre gone the status bar says OFFLINE"
wait_for "OFFLINE: centre unreachable" "and the reason, across the screen"
check 豫D10002 "\[P\]" "still checking trucks offline"
keys F12
wait_for "State: OFFLINE: centre unreachable" "F12 says why"
wait_for "Last error:" "with the sync's own words"
wait_for "s sync now" "and offers to sync now"
n=$(logged_lines "sync started")
keys s
wait_for "Sync started\|A sync is running" "s starts a sync"
i=0; until [ "$(logged_lines 'sync started')" -gt "$n" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
[ $i -lt 100 ] && ok || bad "a sync was started by s"
keys Escape
keys F10; keys y
# A token others can read is said on the lane's own screen, not on stderr.
chmod 644 "$T/config/greenlane/config.ini"
start
wait_for "chmod 600" "a token others can read is warned about on the screen"
finish

# Changes reach a lane in seconds, not at its next poll: against the real
# centre, with the lane's interval at 60 s, the running `greenlane sync`
# keeps a request open on the change feed; a revocation at the centre is in
# the lane's cache within seconds, SIGUSR1 ends the wait, a record logged
# at the command line wakes it and goes at once, a sync typed by hand takes
# its turn, and SIGTERM ends the wait at once.  A centre that does
# not say it waits (an older one) is never asked to.
. "$(dirname "$0")/lib.sh"
CDB="$T/central.db"
"$C" admin --db "$CDB" demo --size 100 >/dev/null 2>&1
TOKEN=$("$C" admin --db "$CDB" token add LANE-W)
"$C" serve --listen "127.0.0.1:$PORT" --db "$CDB" --log "$T/central.log" &
CPID=$!
i=0; until curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/keys"; do
  sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || { bad "the centre did not start"; finish; }; done
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-W\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\ninterval = 60\n' \
  "$PORT" "$TOKEN" > "$T/config/greenlane/config.ini"
chmod 600 "$T/config/greenlane/config.ini"

# within SECONDS COMMAND…: true once the command succeeds, trying every 0.1 s.
within() {
  n=$(($1 * 10)); shift; i=0
  until "$@" >/dev/null 2>&1; do sleep 0.1; i=$((i + 1)); [ $i -lt $n ] || return 1; done
}
waiting_requests() { grep -c "GET /v1/changes" "$T/central.log" || true; }

"$G" sync > "$T/sync.out" 2>"$T/sync.err" &
SPID=$!
within 10 grep -q "^wait: changes after cursor" "$T/sync.out" && ok ||
  bad "after its snapshot the lane waits on the feed at once ($(cat "$T/sync.out" "$T/sync.err"))"
"$G" verify 豫D10001 > "$T/out" 2>&1; expect_in "$T/out" "green" "green on the centre's data"

PASS=$("$G" verify --json 豫D10001 | sed -n 's/.*"pass_no":	"\([0-9]*\)".*/\1/p')
S0=$(date +%s)
"$C" admin --db "$CDB" pass revoke "$PASS" >/dev/null || bad "revoke $PASS at the centre"
pass_revoked() { "$G" verify 豫D10001 | grep -q PASS_REVOKED; }
within 5 pass_revoked && ok || bad "the revocation is in the lane's cache within 5 s (interval 60 s)"
echo "08-wait: the revocation reached the lane in $(( $(date +%s) - S0 )) s"
within 5 sh -c "[ \$(grep -c '^wait: ' '$T/sync.out') -ge 2 ]" && ok || bad "and the lane waits again"

# SIGUSR1 ends the wait at once: the next round begins, and waits again.
waits() { grep -c '^wait: ' "$T/sync.out"; }
within 5 sh -c "[ \$(grep -c '^wait: ' '$T/sync.out') -ge 2 ]"
n=$(waits)
kill -USR1 "$SPID"
within 3 sh -c "[ \$(grep -c '^wait: ' '$T/sync.out') -gt $n ]" && ok || bad "SIGUSR1 ends the wait at once"
kill -0 "$SPID" 2>/dev/null && ok || bad "the sync goes on after SIGUSR1"

# A record logged at the command line while the lane waits wakes the sync
# itself: it reaches the centre in seconds, not when the wait ends.
"$G" log --decision release --reason r 豫D10002 >/dev/null 2>&1
held() { "$C" admin --db "$CDB" report | grep -A3 '"LANE-W"' | grep -q "\"events\":	$1"; }
within 5 held 1 && ok || bad "greenlane log: the record reaches the centre within 5 s"

# A sync typed by hand while the loop waits (as the lane screen's does)
# ends that wait and takes the next turn: it is not turned away, and the
# loop goes on.
n=$(waits)
within 5 sh -c "[ \$(grep -c '^wait: ' '$T/sync.out') -gt $n ]"
S0=$(date +%s)
expect_exit 0 "greenlane sync --once while the loop waits" -- "$G" sync --once
[ $(( $(date +%s) - S0 )) -le 5 ] && ok || bad "it takes its turn within seconds, not at the end of the wait"
kill -0 "$SPID" 2>/dev/null && ok || bad "the loop goes on"
n=$(waits)
within 5 sh -c "[ \$(grep -c '^wait: ' '$T/sync.out') -gt $n ]" && ok || bad "and waits again"

# SIGTERM while waiting: it ends at once, with nothing lost.
S0=$(date +%s)
kill -TERM "$SPID"
wait "$SPID"; rc=$?
[ "$rc" -eq 75 ] || [ "$rc" -eq 0 ] && ok || bad "SIGTERM while waiting: exit $rc"
[ $(( $(date +%s) - S0 )) -le 2 ] && ok || bad "SIGTERM ends the wait at once"
[ "$(unsent)" -eq 0 ] && ok || bad "nothing left unsent"

# --once never waits, even on a centre that can.
S0=$(date +%s)
expect_exit 0 "a round with --once" -- "$G" sync --once
[ $(( $(date +%s) - S0 )) -le 3 ] && ok || bad "--once does not wait"
expect_not_in "$T/out" "wait: " "and does not say it waits"

# An older centre (no X-Wait-Max) is never asked to wait, and the lane does
# not poll it in a loop: one round, then the interval.
kill "$CPID"; wait "$CPID" 2>/dev/null; CPID=
snapshot_file
rm -f "$GREENLANE_HOME"/cache.db* "$GREENLANE_HOME"/journal.db*
fake ok
sed -i 's/interval = 2/interval = 60/' "$T/config/greenlane/config.ini"
"$G" sync > "$T/sync.out" 2>"$T/sync.err" &
SPID=$!
within 10 grep -q "pulled: snapshot" "$T/sync.out" || bad "a snapshot from the older centre ($(cat "$T/sync.out" "$T/sync.err"))"
sleep 3
[ "$(requests 'wait=')" -eq 0 ] && ok || bad "the older centre is never asked to wait ($(requests 'wait='))"
[ "$(requests 'GET /v1/')" -le 2 ] && ok || bad "nor polled in a loop: $(requests 'GET /v1/') requests in 3 s"
kill -TERM "$SPID"; wait "$SPID" 2>/dev/null
finish

# The lane checks its journal: a record altered in journal.db (behind
# greenlane's back) stops logging, with a clear message, keeps the file, and
# is never sent; and log killed at random loses nothing it confirmed.
. "$(dirname "$0")/lib.sh"
snapshot_file
fake ok
expect_exit 0 "a first sync" -- "$G" sync --once
for p in 豫D10001 豫D10002 豫D10003; do "$G" log --decision release --reason r "$p" >/dev/null 2>&1; done
expect_exit 0 "greenlane check: the chain is whole" -- "$G" check
# Record #3, the last, altered: every open checks it.
cp "$GREENLANE_HOME/journal.db" "$T/journal-copy.db"
sqlite3 "$GREENLANE_HOME/journal.db" "UPDATE record SET body = replace(body, '\"decision\":\"release\"', '\"decision\":\"hold\"') WHERE seq = 3"
expect_exit 74 "log refuses on a broken chain" -- "$G" log --decision release --reason r 豫D10004
expect_in "$T/err" "chain breaks at record 3" "and says where"
expect_in "$T/err" "keep the file" "and what to do"
[ -e "$GREENLANE_HOME/journal.db.damaged" ] && ok || bad "a mark is left beside it"
cp "$T/journal-copy.db" "$GREENLANE_HOME/journal.db"; rm -f "$GREENLANE_HOME/journal.db.damaged" "$GREENLANE_HOME/journal.db-wal"
# Record #2, altered: an older record, which the full check (greenlane check,
# the lane's background check) finds; then every log refuses.
sqlite3 "$GREENLANE_HOME/journal.db" "UPDATE record SET body = replace(body, '\"decision\":\"release\"', '\"decision\":\"hold\"') WHERE seq = 2"
expect_exit 65 "greenlane check finds it" -- "$G" check
expect_in "$T/err" "chain breaks at record 2" "and says where"
expect_exit 74 "then log refuses" -- "$G" log --decision release --reason r 豫D10004
rm -f "$GREENLANE_HOME/journal.db.damaged"
expect_exit 74 "sync checks what it sends, and sends nothing altered" -- "$G" sync --once
expect_in "$T/err" "chain breaks at record" "and says why"
[ "$(requests 'HELD ')" -eq 0 ] && ok || bad "the centre got none of the records ($(requests 'HELD '))"
expect_exit 0 "export still reads it" -- "$G" export --jsonl
[ "$(wc -l < "$T/out")" -eq 3 ] && ok || bad "all three records are there to inspect"
[ -e "$GREENLANE_HOME/journal.db" ] && ok || bad "the file is kept"
# kill -9 at random moments of log: what was confirmed is there, in order, chained.
rm -rf "$GREENLANE_HOME/journal.db"*
: > "$T/confirmed"
i=0
while [ $i -lt ${KILL_LOOPS:-200} ]; do
  "$G" log --decision release --reason r 豫D10001 >> "$T/confirmed" 2>/dev/null &
  pid=$!
  # 0 to about 20 ms: before, during and after the commit.
  n=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
  sleep "0.0$(printf '%02d' $((n % 20)))"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  i=$((i + 1))
done
expect_exit 0 "after $i kills the chain is whole" -- "$G" check
confirmed=$(grep -c '^OK ' "$T/confirmed")
"$G" export --jsonl > "$T/all"
missing=0
for u in $(sed -n 's/^OK logged #[0-9]* \([0-9a-f-]*\) .*/\1/p' "$T/confirmed"); do
  grep -q "\"uuid\":\"$u\"" "$T/all" || missing=$((missing + 1))
done
[ "$missing" -eq 0 ] && ok || bad "$missing of $confirmed confirmed records are missing"
seqs=$(sed -n 's/.*"seq":\([0-9]*\),.*/\1/p' "$T/all" | tr '\n' ' ')
expect=$(seq 1 "$(wc -l < "$T/all")" | tr '\n' ' ')
[ "$seqs" = "$expect" ] && ok || bad "sequence numbers without a gap"
echo "$NAME: $confirmed of $i logs confirmed before their kill"
finish

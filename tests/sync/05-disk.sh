# A download never starves the journal: it stops while the disk still has
# SYNC_DISK_RESERVE free, says why, and leaves no partial file; what a killed
# sync left is removed by the next one.  Needs a small tmpfs (root).
. "$(dirname "$0")/lib.sh"
snapshot_file
# Leftovers of a sync killed mid-way (a partial download, a half-built cache).
fake ok
mkdir -p "$GREENLANE_HOME"
head -c 100000 /dev/zero > "$GREENLANE_HOME/snapshot.ndjson.part"
head -c 100000 /dev/zero > "$GREENLANE_HOME/cache.db.new"
expect_exit 0 "a sync after one was killed" -- "$G" sync --once
[ ! -e "$GREENLANE_HOME/snapshot.ndjson.part" ] && [ ! -e "$GREENLANE_HOME/cache.db.new" ] && ok ||
  bad "what the killed sync left is gone"
# Two at once: the second says so and waits for another round.
fake hang
rm -f "$GREENLANE_HOME"/cache.db*
"$G" sync --once >/dev/null 2>&1 &
BG=$!
i=0; until [ "$(requests 'GET /v1/snapshot')" -ge 1 ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
expect_exit 75 "a second sync while one runs" -- "$G" sync --once
expect_in "$T/err" "another greenlane sync is running" "says so"
kill -TERM $BG; wait $BG
mkdir -p "$T/small"
if ! mount -t tmpfs -o size=96m tmpfs "$T/small" 2>/dev/null; then
  echo "$NAME: the disk checks skipped (cannot mount a tmpfs here)"
  finish
fi
export GREENLANE_HOME="$T/small/home"
"$G" demo --no-tui --size 200 >/dev/null 2>&1
# The next sync must take a snapshot (as after a schema upgrade).
sqlite3 "$GREENLANE_HOME/cache.db" "INSERT OR REPLACE INTO meta(k, v) VALUES('rebuild', 'test')"
fake endless
expect_exit 74 "a snapshot bigger than the disk" -- timeout 60 "$G" sync --once
expect_in "$T/err" "less than 64 MB free" "stops, saying the journal needs the room"
[ ! -e "$GREENLANE_HOME/snapshot.ndjson.part" ] && ok || bad "the partial download is removed"
free_kb=$(df -k "$T/small" | awk 'NR == 2 { print $4 }')
[ "$free_kb" -gt 60000 ] && ok || bad "the disk is left with room ($free_kb kB free)"
expect_exit 0 "and the lane still logs" -- "$G" log --decision release 豫D10001
expect_exit 0 "and checks on the data it had" -- "$G" verify 豫D10001
finish

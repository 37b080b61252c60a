#!/bin/sh
# make bench — prints figures side by side in one run; asserts nothing (the
# machines are shared and noisy).  Environment:
#   BENCH_DIR       where the data goes (default /tmp/greenlane-bench; ~9 GB)
#   BENCH_VEHICLES  vehicles (and drivers) in the big cache (default 5000000)
#   BENCH_QUERIES   random queries for the latency figures (default 100000)
# The big cache is built once and kept in BENCH_DIR for later runs.
set -eu
BUILD=$1
B=$BUILD/bench
G=$(pwd)/$BUILD/greenlane
DIR=${BENCH_DIR:-/tmp/greenlane-bench}
VEHICLES=${BENCH_VEHICLES:-5000000}
QUERIES=${BENCH_QUERIES:-100000}
AS_OF=2022-05-10T08:00:00+08:00
mkdir -p "$DIR"
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 command (apt-get install sqlite3)"; exit 1; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(sqlite3 --version | cut -d' ' -f1) ; $(date -u +%FT%TZ)"

# ---- (b) import ---------------------------------------------------------------
echo "== (b) import of a 1M-record NDJSON snapshot vs sqlite3 .import of the same rows as CSV"
if [ ! -s "$DIR/snap.ndjson" ]; then
  records=$("$B/bench_gen" 250000 "$DIR/snap.ndjson" "$DIR/snap.csv")
  echo "generated $records records ($(du -h "$DIR/snap.ndjson" | cut -f1) NDJSON, $(du -h "$DIR/snap.csv" | cut -f1) CSV)"
fi
for round in 1 2; do
  rm -rf "$DIR/imp" "$DIR/sq.db"
  GREENLANE_HOME="$DIR/imp" "$B/bench_run" greenlane-import -- "$G" import --replace "$DIR/snap.ndjson" 2>/dev/null > "$DIR/imp.$round"
  "$B/bench_run" sqlite3-import -- sqlite3 "$DIR/sq.db" "PRAGMA journal_mode=OFF" "PRAGMA synchronous=OFF" \
    "CREATE TABLE rec(kind TEXT, key TEXT, data TEXT, PRIMARY KEY(kind, key)) WITHOUT ROWID" \
    ".import --csv $DIR/snap.csv rec" | grep sqlite3-import > "$DIR/sq.$round"
  gi=$(cut -d' ' -f2 "$DIR/imp.$round"); gr=$(cut -d' ' -f3 "$DIR/imp.$round")
  si=$(cut -d' ' -f2 "$DIR/sq.$round"); sr=$(cut -d' ' -f3 "$DIR/sq.$round")
  echo "round $round: greenlane import ${gi}s (peak RSS ${gr} MB)  sqlite3 .import ${si}s (peak RSS ${sr} MB)  rate ratio greenlane/sqlite3 = $(echo "$si $gi" | awk '{printf "%.2f", $1/$2}')x"
done
rm -rf "$DIR/imp" "$DIR/sq.db"

# ---- (a) verdict latency --------------------------------------------------------
echo "== (a) verdict latency on a cache of $VEHICLES vehicles and $VEHICLES drivers"
if [ ! -s "$DIR/big/cache.db" ] || [ "$(cat "$DIR/big/size" 2>/dev/null)" != "$VEHICLES" ]; then
  rm -rf "$DIR/big"; mkdir -p "$DIR/big"
  GREENLANE_HOME="$DIR/big" "$B/bench_run" demo-build -- "$G" demo --no-tui --size "$VEHICLES" --at $AS_OF \
    2>"$DIR/big/demo.log" | sed 's/^/built: /'
  tail -n 2 "$DIR/big/demo.log"
  echo "$VEHICLES" > "$DIR/big/size"
fi
# A cache built by an older greenlane is brought to the current schema: an
# import (of nothing) opens it for writing, which migrates it.
: > "$DIR/empty.ndjson"
GREENLANE_HOME="$DIR/big" "$G" import "$DIR/empty.ndjson" >/dev/null 2>&1
echo "cache.db: $(du -h "$DIR/big/cache.db" | cut -f1)"
WARM=20000
[ "$(cat "$DIR/big/queries" 2>/dev/null | wc -l)" -eq $((QUERIES + WARM)) ] ||
  "$B/bench_lookup" sample "$DIR/big/cache.db" $((QUERIES + WARM)) "$DIR/big/queries"
echo "queries: $QUERIES timed (after $WARM untimed, the same for each mode) sampled at random from every vehicle and driver"
# The file in the OS page cache for all modes alike.
cat "$DIR/big/cache.db" > /dev/null
# "reads" makes exactly the SQLite reads a check makes and nothing else: the
# least a check can cost on this storage layout, whatever its CPU.
# Side by side: in each round one process runs raw, reads and verdict on their
# own connections, taking turns over blocks of 500 queries, so that a noisy
# spell of this shared machine falls on all three alike (bench_lookup side).
# Five rounds and the median of their ratios (a round is ~10 s).
printf '%-8s %8s %9s %9s %9s\n' mode n p50_us p99_us mean_us
: > "$DIR/ratios"
for round in 1 2 3 4 5; do
  "$B/bench_lookup" side "$DIR/big/cache.db" "$DIR/big/queries" $WARM > "$DIR/side.$round"
  awk '{printf "%-8s %8s %9s %9s %9s\n",$1,$2,$3,$4,$5}' "$DIR/side.$round"
  tr '\n' ' ' < "$DIR/side.$round" |
    awk '{printf "%.2f %.2f %.2f %.2f\n", $16/$4, $15/$3, $10/$4, $9/$3}' >> "$DIR/ratios"
  echo "round $round: verdict p99 / raw p99 = $(tail -n 1 "$DIR/ratios" | cut -d' ' -f1)x;" \
       "p50 ratio $(tail -n 1 "$DIR/ratios" | cut -d' ' -f2)x;" \
       "reads alone: p99 $(tail -n 1 "$DIR/ratios" | cut -d' ' -f3)x, p50 $(tail -n 1 "$DIR/ratios" | cut -d' ' -f4)x"
done
med() { cut -d' ' -f"$1" "$DIR/ratios" | sort -n | sed -n 3p; }
echo "median of the rounds: p99 ratio $(med 1)x, p50 ratio $(med 2)x;" \
     "the reads alone (the floor of this layout): p99 $(med 3)x, p50 $(med 4)x"
# (c) peak RSS, each mode alone in its process (as a lane runs a check).
echo "== (c) peak RSS of each alone (the same queries; its latency, taken apart from the others, beside it)"
printf '%-8s %8s %9s %9s %9s %12s\n' mode n p50_us p99_us mean_us peak_rss_MB
for mode in raw reads verdict; do
  "$B/bench_lookup" $mode "$DIR/big/cache.db" "$DIR/big/queries" $WARM | awk '{printf "%-8s %8s %9s %9s %9s %12s\n",$1,$2,$3,$4,$5,$6}'
done
# The same two on a cache small enough to sit in SQLite's page cache: no I/O
# at all, so the verdict's figure is the CPU a check costs.
echo "== (a2) the same on a 2 000-vehicle cache that fits in memory (what a check costs without I/O)"
if [ ! -s "$DIR/small/cache.db" ]; then
  rm -rf "$DIR/small"; mkdir -p "$DIR/small"
  GREENLANE_HOME="$DIR/small" "$G" demo --no-tui --size 2000 --at $AS_OF 2>/dev/null
fi
GREENLANE_HOME="$DIR/small" "$G" import "$DIR/empty.ndjson" >/dev/null 2>&1
"$B/bench_lookup" sample "$DIR/small/cache.db" 4000 "$DIR/small/q1"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do cat "$DIR/small/q1"; done > "$DIR/small/queries"
printf '%-8s %8s %9s %9s %9s\n' mode n p50_us p99_us mean_us
"$B/bench_lookup" side "$DIR/small/cache.db" "$DIR/small/queries" 10000 | awk '{printf "%-8s %8s %9s %9s %9s\n",$1,$2,$3,$4,$5}'
echo "== (d) the lane interface: Enter -> verdict drawn, on the same cache, in tmux"
if command -v tmux >/dev/null; then
  sh tests/bench/tui_latency.sh "$G" "$DIR/big" "$DIR/big/queries" "${BENCH_TUI_QUERIES:-1000}"
else
  echo "(tmux not installed: skipped)"
fi
echo "== (e) greenlane-central under wrk on loopback (demo data, ${BENCH_CENTRAL_VEHICLES:-20000} vehicles)"
sh tests/bench/central.sh "$BUILD" "$DIR" "${BENCH_CENTRAL_VEHICLES:-20000}"
echo "== targets: verdict p99 <= 3x raw; import >= 0.7x sqlite3's rate; RSS < 64 MB; TUI p99 <= 10 ms;"
echo "   central >= 10 000 look-ups/s"

#!/bin/sh
# make bench — what an officer or an administrator feels, on a province's
# data, each figure beside a physical reference measured in the same run.
# It asserts nothing (the machines are shared and noisy): the last lines say
# which targets this run met.  Environment:
#   BENCH_DIR       where the data goes (default /tmp/greenlane-bench; ~50 GB
#                   for a province)
#   BENCH_VEHICLES  vehicles, and as many drivers (default 10 000 000: a province)
#   BENCH_QUERIES   random queries for the latency figures (default 100 000)
#   BENCH_TUI_QUERIES  queries typed into the real interface (default 1 000)
#   BENCH_LANES     simulated lanes: waiting on the change feed (8), polling
#                   and posting (9) (default 5 000)
#   BENCH_PROVINCE_S  how long the simulated province runs (default 180 s)
#   BENCH_CENTRE_VEHICLES  vehicles (and drivers) loaded into each backend
#                   of the centre in (9) (default 1 000 000: at 10^7 the
#                   SQLite load alone takes over an hour; see the README)
#   BENCH_REUSE=1   keep the province cache of an earlier run instead of
#                   importing it again (the import figures are then not taken)
set -eu
BUILD=$1
B=$BUILD/bench
G=$(pwd)/$BUILD/greenlane
C=$(pwd)/$BUILD/greenlane-central
DIR=${BENCH_DIR:-/tmp/greenlane-bench}
VEHICLES=${BENCH_VEHICLES:-10000000}
QUERIES=${BENCH_QUERIES:-100000}
TUIQ=${BENCH_TUI_QUERIES:-1000}
AS_OF=2022-05-10T08:00:00+08:00
PROV="$DIR/prov-$VEHICLES"
mkdir -p "$DIR"
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 command (apt-get install sqlite3)"; exit 1; }
: > "$DIR/summary"
# target NAME FIGURE LIMIT UNIT REFERENCE: one line of the summary (met when FIGURE <= LIMIT).
target() {
  met=$(awk -v f="$2" -v l="$3" 'BEGIN { print (f != "" && f + 0 <= l + 0) ? "met" : "NOT met" }')
  printf '%-44s %10s %-4s (target <= %s %s; %s)  %s\n' "$1" "${2:-none}" "$4" "$3" "$4" "$5" "$met" >> "$DIR/summary"
}
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR) print v[int(NR * p) + 1 > NR ? NR : int(NR * p) + 1] }'; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(sqlite3 --version | cut -d' ' -f1); $(date -u +%FT%TZ)"
echo "== a province: $VEHICLES vehicles and as many drivers"

# ---- the province's snapshot, and its full import -------------------------------
if [ ! -s "$DIR/snap-$VEHICLES.ndjson" ] || [ ! -s "$DIR/snap-$VEHICLES.csv" ]; then
  records=$("$B/bench_gen" "$VEHICLES" "$DIR/snap-$VEHICLES.ndjson" "$DIR/snap-$VEHICLES.csv")
  echo "$records" > "$DIR/snap-$VEHICLES.records"
fi
RECORDS=$(cat "$DIR/snap-$VEHICLES.records")
echo "snapshot: $RECORDS records, $(du -h "$DIR/snap-$VEHICLES.ndjson" | cut -f1) of NDJSON"
echo "== (1) a full snapshot import, beside sqlite3 .import of the same rows (as CSV)"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -s "$PROV/cache.db" ]; then
  echo "(BENCH_REUSE=1: the cache of an earlier run is kept; import not measured)"
else
  rm -rf "$PROV" "$DIR/sq.db"
  GREENLANE_HOME="$PROV" "$B/bench_run" import -- "$G" import --replace "$DIR/snap-$VEHICLES.ndjson" 2>/dev/null > "$DIR/imp"
  "$B/bench_run" sqlite3 -- sqlite3 "$DIR/sq.db" "PRAGMA journal_mode=OFF" "PRAGMA synchronous=OFF" \
    "CREATE TABLE rec(kind TEXT, key TEXT, data TEXT, PRIMARY KEY(kind, key)) WITHOUT ROWID" \
    ".import --csv $DIR/snap-$VEHICLES.csv rec" | grep '^sqlite3 ' > "$DIR/sq"
  gi=$(cut -d' ' -f2 "$DIR/imp") gr=$(cut -d' ' -f3 "$DIR/imp") si=$(cut -d' ' -f2 "$DIR/sq") sr=$(cut -d' ' -f3 "$DIR/sq")
  echo "greenlane import ${gi} s, peak RSS ${gr} MB;  sqlite3 .import ${si} s, peak RSS ${sr} MB"
  rm -f "$DIR/sq.db"
  target "full snapshot import of the province" "$gi" 300 s "sqlite3 .import: $si s"
  target "peak RSS of that import" "$gr" 64 MB "sqlite3 .import: $sr MB"
fi

# ---- bytes per record -----------------------------------------------------------
echo "== (2) bytes per record"
CACHE_B=$(stat -c %s "$PROV/cache.db")
ND_B=$(stat -c %s "$DIR/snap-$VEHICLES.ndjson")
# gzip as /v1/snapshot sends it (level 6), on the first million lines.
head -n 1000000 "$DIR/snap-$VEHICLES.ndjson" > "$DIR/sample.ndjson"
GZ_S=$(gzip -6 -c "$DIR/sample.ndjson" | wc -c) S_B=$(stat -c %s "$DIR/sample.ndjson") S_N=$(wc -l < "$DIR/sample.ndjson")
rm -f "$DIR/sample.ndjson"
echo "cache.db: $(awk -v a="$CACHE_B" -v n="$RECORDS" 'BEGIN{printf "%.0f", a/n}') bytes a record on disk" \
     "($(du -h "$PROV/cache.db" | cut -f1)); the snapshot: $(awk -v a="$ND_B" -v n="$RECORDS" 'BEGIN{printf "%.0f", a/n}') bytes" \
     "a record as NDJSON, $(awk -v a="$GZ_S" -v n="$S_N" 'BEGIN{printf "%.0f", a/n}') gzip-compressed" \
     "($(awk -v a="$GZ_S" -v b="$S_B" 'BEGIN{printf "%.2f", a/b}') of the text)"

# ---- a check: Enter to verdict drawn --------------------------------------------
WARM=20000
[ "$(cat "$PROV/queries" 2>/dev/null | wc -l)" -eq $((QUERIES + WARM)) ] ||
  "$B/bench_lookup" sample "$PROV/cache.db" $((QUERIES + WARM)) "$PROV/queries"
cat "$PROV/cache.db" > /dev/null   # the file in the OS page cache, as on a lane that has run a while
echo "== (3) a check, beside a raw SQLite point look-up on the same file ($QUERIES random plates and ID numbers, after $WARM)"
printf '%-8s %8s %9s %9s %9s %12s\n' mode n p50_us p99_us mean_us peak_rss_MB
"$B/bench_lookup" side "$PROV/cache.db" "$PROV/queries" $WARM | tee "$DIR/side" |
  awk '{printf "%-8s %8s %9s %9s %9s %12s\n",$1,$2,$3,$4,$5,$6}'
RAW99=$(awk '$1=="raw"{print $4}' "$DIR/side")
echo "== (3b) Enter -> verdict drawn in the real interface, in tmux ($TUIQ queries)"
if command -v tmux >/dev/null; then
  TUI99=
  if sh tests/bench/tui_latency.sh "$G" "$PROV" "$PROV/queries" "$TUIQ" > "$DIR/tui"; then
    TUI99=$(awk '{printf "%.2f", $4 / 1000}' "$DIR/tui")
  fi
  cat "$DIR/tui"
  target "Enter -> verdict drawn, p99" "$TUI99" 10 ms "raw look-up p99: $RAW99 us"
else
  echo "(tmux not installed: skipped)"
fi

# ---- start to the first usable frame -----------------------------------------
echo "== (4) start -> first usable frame, 5 starts each; on 2 000 vehicles beside (a full scan would show as the difference)"
SMALL="$DIR/small"
if [ ! -s "$SMALL/cache.db" ]; then
  rm -rf "$SMALL"; mkdir -p "$SMALL"
  GREENLANE_HOME="$SMALL" "$G" demo --no-tui --size 2000 --at $AS_OF >/dev/null 2>&1
fi
starts() { # DATA_DIR: prints the 5 figures in ms
  for i in 1 2 3 4 5; do
    : > "$1/greenlane.log"
    tmux -L "gl-start-$$" -f /dev/null new-session -d -x 120 -y 40 -s s "env GREENLANE_HOME='$1' LANG=C.UTF-8 '$G' tui"
    k=0; until grep -q 'first frame drawn' "$1/greenlane.log" 2>/dev/null || [ $k -ge 200 ]; do sleep 0.05; k=$((k + 1)); done
    tmux -L "gl-start-$$" kill-server 2>/dev/null || true
    sed -n 's/.*first frame drawn \([0-9]*\) us after start$/\1/p' "$1/greenlane.log" | awk '{printf "%.1f\n", $1 / 1000}'
  done
}
if command -v tmux >/dev/null; then
  starts "$PROV" > "$DIR/start.prov"; starts "$SMALL" > "$DIR/start.small"
  echo "province: $(tr '\n' ' ' < "$DIR/start.prov")ms;  2 000 vehicles: $(tr '\n' ' ' < "$DIR/start.small")ms"
  [ "$(wc -l < "$DIR/start.prov")" -eq 5 ] || echo "(some starts drew no frame within 10 s)"
  target "start -> first usable frame (slowest of 5)" "$( [ "$(wc -l < "$DIR/start.prov")" -eq 5 ] && sort -n "$DIR/start.prov" | tail -n 1)" 200 ms \
    "2 000 vehicles: $(sort -n "$DIR/start.small" | tail -n 1) ms"
fi

# ---- a change page while the lane checks trucks ----------------------------------
echo "== (5) a change page of 1 000 records applied while the lane checks trucks"
# Vehicles spread over the file, each with its type changed (a put of the whole record).
awk '/"kind":"vehicle"/ && ++n % 97 == 1' "$DIR/snap-$VEHICLES.ndjson" | head -n 1000 |
  sed 's/"type":"/"type":"B/' > "$DIR/page.ndjson"
printf '{"cursor":999999999,"more":false,"as_of":"%s"}\n' "$(date '+%Y-%m-%dT%H:%M:%S+00:00' -u)" >> "$DIR/page.ndjson"
echo "page: $(($(wc -l < "$DIR/page.ndjson") - 1)) records"
"$B/bench_lookup" verdict "$PROV/cache.db" "$PROV/queries" $WARM > "$DIR/busy" &
CHECKS=$!
sleep 2
GREENLANE_HOME="$PROV" "$B/bench_run" page -- "$G" import "$DIR/page.ndjson" 2>/dev/null > "$DIR/page" || true
wait $CHECKS || true
PAGE_MS=$(awk '{printf "%.0f", $2 * 1000}' "$DIR/page")
echo "the page applied in $PAGE_MS ms (the whole greenlane import process); checks meanwhile:" \
     "p99 $(awk '{print $4}' "$DIR/busy") us, quiet (3): p99 $(awk '$1=="verdict"{print $4}' "$DIR/side") us"
target "a change page of 1 000 records, applied" "$PAGE_MS" 100 ms "checks' p99 meanwhile $(awk '{print $4}' "$DIR/busy") us"

# ---- an offline backlog delivered ------------------------------------------------
echo "== (6) a 10 000-record offline backlog delivered when the centre returns"
LANE="$DIR/backlog" CDB="$DIR/backlog-central.db" PORT=$((21000 + $$ % 10000))
rm -rf "$LANE" "$CDB"*; mkdir -p "$LANE/config/greenlane"
"$C" admin --db "$CDB" demo --size 200 >/dev/null 2>&1
TOKEN=$("$C" admin --db "$CDB" token add LANE-B)
"$B/bench_backlog" "$LANE/journal.db" LANE-B 10000 | tee "$DIR/backlog.out"
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-B\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\n' "$PORT" "$TOKEN" \
  > "$LANE/config/greenlane/config.ini"
chmod 600 "$LANE/config/greenlane/config.ini"
"$C" serve --listen "127.0.0.1:$PORT" --db "$CDB" --log /dev/null &
SPID=$!
k=0; until curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/keys"; do sleep 0.05; k=$((k + 1)); [ $k -lt 100 ] || break; done
GREENLANE_HOME="$LANE" XDG_CONFIG_HOME="$LANE/config" "$B/bench_run" sync -- "$G" sync --once > "$DIR/sync" 2>&1 || true
kill $SPID; wait $SPID 2>/dev/null || true
SYNC_S=$(awk '$1=="sync"{print $2}' "$DIR/sync")
HELD=$(sqlite3 "$CDB" "select count(*) || ' held, ' || count(distinct uuid) || ' distinct' from event")
echo "delivered in $SYNC_S s (one sync round, with the first snapshot of a small centre): $HELD;" \
     "$(grep -o 'pushed: [^;]*' "$DIR/sync" | head -n 1)"
target "a 10 000-record backlog delivered" "$SYNC_S" 10 s "$HELD"

# ---- the centre under load ---------------------------------------------------------
echo "== (7) greenlane-central under wrk on loopback (demo data, ${BENCH_CENTRAL_VEHICLES:-20000} vehicles)"
sh tests/bench/central.sh "$BUILD" "$DIR" "${BENCH_CENTRAL_VEHICLES:-20000}"

# ---- a change reaching every waiting lane -----------------------------------------
echo "== (8) propagation: from admin pass revoke to the change held by each of ${BENCH_LANES:-5000} waiting lanes"
sh tests/bench/propagate.sh "$BUILD" "$DIR" "${BENCH_LANES:-5000}" 5 | tee "$DIR/propagate"
for b in "SQLite, one central" "PostgreSQL, 2 central(s)"; do
  p99=$(grep "^$b" "$DIR/propagate" | sed -n 's/.*p99 \([0-9.]*\) s.*/\1/p')
  [ -n "$p99" ] && target "propagation p99, $b" "$p99" 5 s \
    "the interval it replaces: 60 s; p50 $(grep "^$b" "$DIR/propagate" | sed -n 's/.*p50 \([0-9.]*\) s.*/\1/p') s"
done

# ---- the centre of a province ----------------------------------------------------
CV=${BENCH_CENTRE_VEHICLES:-1000000}
echo "== (9) a centre on SQLite and on PostgreSQL ($CV vehicles and drivers): loaded, wrk, the whole snapshot, a simulated province"
[ -s "$DIR/centre-$CV.ndjson" ] || "$B/bench_gen" "$CV" "$DIR/centre-$CV.ndjson" "$DIR/centre-$CV.csv" >/dev/null
sh tests/bench/province.sh "$BUILD" "$DIR" "$DIR/centre-$CV.ndjson" "${BENCH_LANES:-5000}" "${BENCH_PROVINCE_S:-180}" |
  tee "$DIR/province"

echo "== targets (this run)"
cat "$DIR/summary"

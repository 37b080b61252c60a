#!/bin/sh
# A province's centre on each backend (issue 14's benchmarks): the
# province's records loaded by admin import (time, size on disk); vehicle
# and driver look-ups and change pages under wrk; the whole snapshot
# streamed to one lane (time, the central's peak RSS); and LANES simulated
# lanes for SECONDS (province.py).  On SQLite with one central, then on
# PostgreSQL with one and with two centrals on one database (when Debian's
# postgresql is installed).  Loopback only; it asserts nothing.
#   province.sh BUILD_DIR DATA_DIR SNAPSHOT.ndjson [LANES] [SECONDS]
# LANES 0: no simulated province.  PROVINCE_BACKENDS (default "sqlite
# postgresql") says which backends are loaded and measured, and
# PROVINCE_PG_CENTRALS (default "1 2") with how many centrals PostgreSQL is.
set -eu
BUILD=$(cd "$1" && pwd) DIR=$2 SNAP=$3 LANES=${4:-5000} SECS=${5:-180}
C="$BUILD/greenlane-central" B="$BUILD/bench"
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"
W=$(mktemp -d "$DIR/province.XXXXXX")
PIDS= PGD=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "$PGD" ] && { sh "$HERE/../pg/server.sh" stop "$PGD"; rm -rf "$PGD"; }; rm -rf "$W"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
enc() { printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /%/g; s/^/%/'; }
RECORDS=$(grep -c '"kind"' "$SNAP")

# load LABEL DB SIZE-COMMAND: the snapshot into an empty centre, one
# transaction; then its size on disk.
load() {
  "$B/bench_run" load -- "$C" admin --db "$2" import "$SNAP" > "$W/load" 2>"$W/load.err" ||
    { echo "$1: admin import failed: $(tail -n 3 "$W/load.err")"; return 1; }
  s=$(awk '$1=="load"{print $2}' "$W/load")
  printf '%-28s %s records in %s s (%s records/s), peak RSS %s MB; on disk %s\n' "$1:" "$RECORDS" "$s" \
    "$(awk -v n="$RECORDS" -v s="$s" 'BEGIN{printf "%.0f", n/s}')" "$(awk '$1=="load"{print $3}' "$W/load")" "$(eval "$3")"
}

# centrals DB N: N centrals on DB; their ports and pids in PORTS, CPIDS.
centrals() {
  PORTS= CPIDS=
  for i in $(seq "$2"); do
    p=$(port)
    "$C" serve --listen "127.0.0.1:$p" --db "$1" --log /dev/null &
    pid=$!; PIDS="$PIDS $pid"
    j=0; until curl -s -o /dev/null "http://127.0.0.1:$p/v1/keys"; do sleep 0.05; j=$((j + 1)); [ $j -lt 200 ] || exit 1; done
    PORTS="$PORTS${PORTS:+ }$p" CPIDS="$CPIDS${CPIDS:+ }$pid"
  done
}
stop_centrals() { for p in $CPIDS; do kill "$p"; wait "$p" 2>/dev/null || true; done; }

# measure LABEL DB SQL N TAG POSTMASTER: with N centrals on DB.
measure() {
  label=$1 db=$2 sqlq=$3 n=$4 tag=$5 pm=$6
  token=$("$C" admin --db "$db" token add "bench-$tag")
  $sqlq "select key from record where kind='vehicle' and data is not null order by random() limit 2000" |
    while IFS= read -r p; do printf '"/v1/vehicles/%s",\n' "$(enc "$p")"; done > "$W/vpaths"
  $sqlq "select '\"/v1/drivers/' || key || '\",' from record where kind='driver' and data is not null order by random() limit 2000" > "$W/dpaths"
  cur=$($sqlq "select max(seq) from record")
  printf '"/v1/changes?since=0&limit=1000",\n"/v1/changes?since=%s&limit=1000",\n"/v1/changes?since=%s&limit=1000",\n' \
    $((cur / 2)) $((cur - 1000)) > "$W/cpaths"
  for s in v d c; do
    { echo "paths = {"; cat "$W/${s}paths"; echo "}"
      echo "wrk.headers[\"Authorization\"] = \"Bearer $token\""
      echo "request = function() return wrk.format(\"GET\", paths[math.random(#paths)]) end"; } > "$W/$s.lua"
  done
  centrals "$db" "$n"
  echo "-- $label"
  if command -v wrk >/dev/null; then
    # 32 connections in all, shared among the centrals; 2 threads each.
    for what in v:vehicle-look-ups d:driver-look-ups c:change-pages-of-1000; do
      s=${what%%:*} i=0 wrks=
      for p in $PORTS; do
        i=$((i + 1))
        wrk -t2 -c$((32 / n)) -d10s --latency -s "$W/$s.lua" "http://127.0.0.1:$p" > "$W/$s.$i.out" &
        wrks="$wrks $!"
      done
      wait $wrks
      cat "$W/$s".*.out | awk -v label="${what#*:}" '
        /^Requests\/sec:/ { rps += $2 }
        /^ *99%/ { v = $2; ms = v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v * 1000; if (ms > p99) p99 = ms }
        /^ *50%/ { v = $2; ms = v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v * 1000; if (ms > p50) p50 = ms }
        /Non-2xx/ { bad += $NF }
        END { printf "%-24s %9.0f req/s   p50 %.2f ms  p99 %.2f ms  non-2xx %d\n", label, rps, p50, p99, bad }'
      rm -f "$W/$s".*.out
    done
  else
    echo "(wrk not installed: apt-get install wrk)"
  fi
  # The whole snapshot to one lane, gzip as a lane asks for it.
  p=${PORTS%% *} pid=${CPIDS%% *}
  before=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$pid/status")
  t0=$(date +%s%N)
  got=$(curl -s --compressed -H "Authorization: Bearer $token" "http://127.0.0.1:$p/v1/snapshot" | wc -l)
  t1=$(date +%s%N)
  printf 'snapshot to one lane: %s lines in %s s; the central'"'"'s peak RSS %s before it, %s after\n' "$got" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b - a) / 1e9}')" "$before" \
    "$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$pid/status")"
  # The simulated province, one terminal a lane.
  [ "$LANES" -gt 0 ] || { stop_centrals; return 0; }
  for i in $(seq "$LANES"); do echo "P$tag-$i $("$C" admin --db "$db" token add "P$tag-$i")"; done > "$W/tokens"
  cur=$($sqlq "select max(seq) from record")
  python3 "$HERE/province.py" "$LANES" "$SECS" "$W/tokens" "$(echo $PORTS | tr ' ' ,)" "$(echo $CPIDS | tr ' ' ,)" "$cur" "$pm"
  stop_centrals
}

echo "== a province's centre: $RECORDS records ($(du -h "$SNAP" | cut -f1) of NDJSON), $LANES simulated lanes for $SECS s"
DB="$W/central.db"
case " ${PROVINCE_BACKENDS:-sqlite postgresql} " in *" sqlite "*)
  load "SQLite" "$DB" "du -ch $DB $DB-wal 2>/dev/null | tail -n 1 | cut -f1"
  measure "SQLite, one central" "$DB" "sqlite3 $DB" 1 s 0
  rm -f "$DB" "$DB-wal" "$DB-shm" ;;
esac
case " ${PROVINCE_BACKENDS:-sqlite postgresql} " in *" postgresql "*) ;; *) exit 0 ;; esac
if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  PGD=$(mktemp -d /tmp/greenlane-province-pg.XXXXXX)   # the server's user must reach it
  base=$(sh "$HERE/../pg/server.sh" start "$PGD" "$(port)")
  pm=$(head -n 1 "$PGD/data/postmaster.pid")
  psql -XAtq "$base/postgres" -c "CREATE DATABASE gl" >/dev/null
  "$C" admin --db "$base/gl" migrate >/dev/null
  load "PostgreSQL" "$base/gl" "psql -XAtq $base/gl -c \"select pg_size_pretty(pg_database_size('gl'))\""
  for n in ${PROVINCE_PG_CENTRALS:-1 2}; do
    measure "PostgreSQL, $n central(s)" "$base/gl" "psql -XAtq $base/gl -c" "$n" "p$n" "$pm"
  done
else
  echo "(PostgreSQL not installed: its figures are not taken)"
fi

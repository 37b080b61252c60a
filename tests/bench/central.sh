#!/bin/sh
# Load on greenlane-central with wrk (2 threads, 32 connections, 10 s each):
# vehicle look-ups, driver look-ups and change-feed pages per second, with
# the server's peak RSS.  Loopback only.
#   central.sh BUILD_DIR DATA_DIR [VEHICLES]
set -eu
BUILD=$1 DIR=$2 N=${3:-20000}
C="$BUILD/greenlane-central"
PORT=$((21000 + $$ % 10000))
command -v wrk >/dev/null || { echo "(wrk not installed: apt-get install wrk)"; exit 0; }
mkdir -p "$DIR/central"
DB="$DIR/central/central.db"
if [ ! -s "$DB" ] || [ "$(cat "$DIR/central/size" 2>/dev/null)" != "$N" ]; then
  rm -f "$DB"*; "$C" admin --db "$DB" demo --size "$N" >/dev/null 2>&1; echo "$N" > "$DIR/central/size"
fi
TOKEN=$("$C" admin --db "$DB" token add "bench-$$")
"$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --log /dev/null &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
i=0; until curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/keys"; do sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || exit 1; done
enc() { printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /%/g; s/^/%/'; }
sqlite3 "$DB" "select key from record where kind='vehicle' and data is not null order by random() limit 2000" |
  while IFS= read -r p; do printf '"/v1/vehicles/%s",\n' "$(enc "$p")"; done > "$DIR/central/vpaths"
sqlite3 "$DB" "select '\"/v1/drivers/' || key || '\",' from record where kind='driver' and data is not null order by random() limit 2000" > "$DIR/central/dpaths"
mkscript() {
  { echo "paths = {"; cat "$1"; echo "}"
    echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\""
    echo "request = function() return wrk.format(\"GET\", paths[math.random(#paths)]) end"; } > "$2"
}
mkscript "$DIR/central/vpaths" "$DIR/central/v.lua"
mkscript "$DIR/central/dpaths" "$DIR/central/d.lua"
printf '"/v1/changes?since=0&limit=100",\n"/v1/changes?since=5000&limit=100",\n"/v1/changes?since=20000&limit=100",\n' > "$DIR/central/cpaths"
mkscript "$DIR/central/cpaths" "$DIR/central/c.lua"
for what in v:vehicle-lookups d:driver-lookups c:change-pages-of-100; do
  s=${what%%:*}; label=${what#*:}
  wrk -t2 -c32 -d10s --latency -s "$DIR/central/$s.lua" "http://127.0.0.1:$PORT" > "$DIR/central/$s.out"
  printf '%-22s %10s req/s   p50 %s  p99 %s  non-2xx: %s\n' "$label" \
    "$(sed -n 's/^Requests\/sec: *//p' "$DIR/central/$s.out")" \
    "$(sed -n 's/^ *50% *//p' "$DIR/central/$s.out")" "$(sed -n 's/^ *99% *//p' "$DIR/central/$s.out")" \
    "$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$DIR/central/$s.out" | grep . || echo 0)"
done
echo "server peak RSS: $(sed -n 's/^VmHWM: *//p' /proc/$PID/status)"

#!/bin/sh
# Propagation of a change to lanes waiting on the feed (issue 14, item 7):
# LANES simulated lanes (propagate.py) wait on one central with SQLite, then
# on one and on two centrals sharing PostgreSQL (when Debian's postgresql is
# installed); REVOCATIONS passes are revoked by admin commands, and each
# lane's arrival is timed.  Loopback only.
#   propagate.sh BUILD_DIR DATA_DIR [LANES] [REVOCATIONS]
set -eu
BUILD=$(cd "$1" && pwd) DIR=$2 LANES=${3:-5000} REV=${4:-5}
C="$BUILD/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR/propagate"
W=$(mktemp -d "$DIR/propagate/run.XXXXXX")
PIDS= PGD=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "$PGD" ] && { sh "$HERE/../pg/server.sh" stop "$PGD"; rm -rf "$PGD"; }; rm -rf "$W"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run LABEL DB SQL CENTRALS: LANES lanes over CENTRALS centrals on DB.
run() {
  label=$1 db=$2 sqlq=$3 n=$4 ports= pids=
  "$C" admin --db "$db" demo --size 200 >/dev/null 2>&1
  token=$("$C" admin --db "$db" token add "bench-$n-$(date +%s%N)")
  for i in $(seq "$n"); do
    p=$(port)
    "$C" serve --listen "127.0.0.1:$p" --db "$db" --log "$W/central-$label-$i.log" &
    pid=$!; PIDS="$PIDS $pid"
    j=0; until curl -s -o /dev/null "http://127.0.0.1:$p/v1/keys"; do sleep 0.05; j=$((j + 1)); [ $j -lt 100 ] || exit 1; done
    ports="$ports${ports:+,}$p" pids="$pids${pids:+,}$pid"
  done
  cur=$($sqlq "select max(seq) from record")
  printf '%-32s ' "$label:"
  python3 "$HERE/propagate.py" "$LANES" "$REV" "$C" "$db" "$token" "$ports" "$pids" "$cur" \
    "$sqlq \"select key from record where kind = 'pass' and data is not null order by key limit $REV\""
  for p in $(echo "$pids" | tr , ' '); do kill "$p"; wait "$p" 2>/dev/null || true; done
}
echo "== propagation: $LANES lanes waiting on the feed, $REV passes revoked by admin commands"
run "SQLite, one central" "$W/central.db" "sqlite3 $W/central.db" 1
if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  PGD=$(mktemp -d /tmp/greenlane-propagate-pg.XXXXXX)   # the server's user must reach it
  base=$(sh "$HERE/../pg/server.sh" start "$PGD" "$(port)")
  for n in 1 2; do
    psql -XAtq "$base/postgres" -c "CREATE DATABASE gl$n" >/dev/null
    "$C" admin --db "$base/gl$n" migrate >/dev/null
    run "PostgreSQL, $n central(s)" "$base/gl$n" "psql -XAtq $base/gl$n -c" "$n"
  done
else
  echo "(PostgreSQL not installed: its figures are not taken)"
fi

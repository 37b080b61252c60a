# lib.sh — what every sync scenario shares: a lane's data directory, the
# real greenlane-central's demo data as a snapshot file, and a scripted
# misbehaving centre (fake_centre.py) on a loopback port.  A scenario file
# sources this with the greenlane binary as $1, runs its steps and ends with
# `finish`, which prints "<name>: N passed, M failed".
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=$(basename "$0" .sh)
T=$(mktemp -d /tmp/greenlane-sync.XXXXXX)
export GREENLANE_HOME="$T/home" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 TZ=Asia/Shanghai
unset LC_ALL LC_MESSAGES LANGUAGE
mkdir -p "$T/config/greenlane"
pass=0 fail=0
FPID= CPID=
PORT=$((12000 + $$ % 8000))   # below the ephemeral range, apart from the api (20000-25999) and tui (26000-31999) tests
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
cleanup() {
  [ -n "$FPID" ] && kill "$FPID" 2>/dev/null
  [ -n "$CPID" ] && kill "$CPID" 2>/dev/null
  wait 2>/dev/null
  if mountpoint -q "$T/small" 2>/dev/null; then umount "$T/small"; fi
  rm -rf "$T"
}
trap cleanup EXIT
finish() {
  echo "$NAME: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}
command -v python3 >/dev/null || { bad "python3 is needed for the fake centre (apt-get install python3)"; finish; }

. "$HERE/../expect.sh"

# The real centre's demo data (the wire format, DESIGN.md §3) as one snapshot file.
snapshot_file() {
  "$C" admin --db "$T/central.db" demo --size 100 >/dev/null 2>&1
  "$C" admin --db "$T/central.db" bundle "$T/bundle.ndjson" >/dev/null 2>&1 || { bad "admin bundle"; finish; }
  sed '1d;$d' "$T/bundle.ndjson" > "$T/snapshot.ndjson"
}

# fake SCENARIO [ARGS]: the misbehaving centre, and this lane configured for it.
fake() {
  [ -n "$FPID" ] && { kill "$FPID"; wait "$FPID" 2>/dev/null; }
  : > "$T/requests"
  scen=$1; shift
  python3 "$HERE/fake_centre.py" "$PORT" "$T/snapshot.ndjson" "$scen" "$T/requests" "$@" 2>>"$T/fake.err" &
  FPID=$!
  i=0; until curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/nothing"; do
    sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || { bad "the fake centre did not start"; finish; }; done
  : > "$T/requests"
  printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-S\n[server]\nurl = http://127.0.0.1:%s\ntoken = t\ninterval = 2\n' "$PORT" \
    > "$T/config/greenlane/config.ini"
  chmod 600 "$T/config/greenlane/config.ini"
}
requests() { grep -c -- "$1" "$T/requests" || true; }
unsent() { sqlite3 "$GREENLANE_HOME/journal.db" "select count(*) from outbox"; }

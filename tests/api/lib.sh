# lib.sh — what every API scenario shares: the real greenlane-central on a
# loopback port with the demo data, spoken to with curl, and a lane's data
# directory.  A scenario file sources this with the greenlane binary as $1,
# runs its steps and ends with `finish`, which prints "<name>: N passed, M
# failed".  Each file runs alone: sh tests/api/NN-name.sh build/greenlane
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=$(basename "$0" .sh)
T=$(mktemp -d /tmp/greenlane-api.XXXXXX)
# Below the kernel's ephemeral range (32768-60999), so no client socket of a
# test running beside this one can hold it; tests/tui uses 26000-31999,
# tests/sync 12000-19999.
PORT=$((20000 + $$ % 6000))
URL="http://127.0.0.1:$PORT"
# The centre's store: an SQLite file, or with GL_TEST_PG (a server's base
# URI, as tests/pg/server.sh prints it) a fresh PostgreSQL database of this
# scenario's own.  sql runs a query on it either way.
if [ -n "${GL_TEST_PG:-}" ]; then
  BACKEND=postgresql
  PGDB="gl_$$_$(date +%s)"
  DB="$GL_TEST_PG/$PGDB"
  psql -XAtq "$GL_TEST_PG/postgres" -c "CREATE DATABASE $PGDB" >/dev/null || { echo "api: cannot create a database"; exit 1; }
  # A shared database's schema is an administrator's act, as in production.
  "$C" admin --db "$DB" migrate >/dev/null || { echo "api: admin migrate failed"; exit 1; }
  # What the scenarios' own queries use of SQLite's: json_extract.
  psql -XAtq "$DB" >/dev/null <<'SQL'
CREATE FUNCTION json_extract(j jsonb, p text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $f$ SELECT j #>> string_to_array(substr(p, 3), '.') $f$;
CREATE FUNCTION json_extract(j text, p text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $f$ SELECT j::jsonb #>> string_to_array(substr(p, 3), '.') $f$;
SQL
  sql() { psql -XAtq "$DB" -c "$1"; }
  # A backup, and a centre restored from it (its server stopped first).
  db_backup() { pg_dump -Fc -f "$1" "$DB"; }
  db_restore() { pg_restore --clean --if-exists -d "$DB" "$1" 2>/dev/null; }
else
  BACKEND=sqlite
  DB="$T/central.db"
  sql() { sqlite3 "$DB" "$1"; }
  db_backup() { cp "$DB" "$1"; }
  db_restore() { cp "$1" "$DB"; rm -f "$DB-wal" "$DB-shm"; }
fi
export GREENLANE_HOME="$T/lane" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 TZ=Asia/Shanghai
unset LC_ALL LC_MESSAGES LANGUAGE
mkdir -p "$XDG_CONFIG_HOME/greenlane"
pass=0 fail=0 SPID=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
cleanup() {
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null
  [ "$BACKEND" = postgresql ] && psql -XAtq "$GL_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
finish() {
  echo "$NAME${GL_TEST_PG:+ (postgresql)}: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}
. "$HERE/../expect.sh"

# expect STATUS DESCRIPTION -- curl args...: checks the HTTP status; the body
# is in $T/body, the headers in $T/headers.
expect() {
  want=$1; what=$2; shift 3
  got=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@")
  if [ "$got" = "$want" ]; then ok; else bad "$what: HTTP $got, want $want"; head -c 300 "$T/body"; echo; fi
}
has() { if grep -q -- "$1" "$T/body"; then ok; else bad "$2: no '$1' in the body"; head -c 300 "$T/body"; echo; fi; }
hasnt() { if grep -q -- "$1" "$T/body"; then bad "$2: '$1' must not be in the body"; else ok; fi; }

# serve [extra serve args]: (re)starts the centre on $PORT.
serve() {
  [ -n "$SPID" ] && { kill "$SPID"; wait "$SPID" 2>/dev/null; }
  "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --log "$T/central.log" "$@" 2>>"$T/serve.err" &
  SPID=$!
  i=0; until curl -s -o /dev/null "$URL/v1/keys"; do
    sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || { bad "the server did not start"; cat "$T/serve.err"; finish; }; done
}
admin() { "$C" admin --db "$DB" "$@"; }

# The demo data, the default policy, and a lane terminal PDS-01-A whose
# journal is $GREENLANE_HOME/journal.db; its token in $TOKEN, header $A.
setup() {
  admin demo --size "${1:-200}" >/dev/null 2>"$T/err" || { bad "admin demo"; cat "$T/err"; finish; }
  admin policy publish default >/dev/null || { bad "publish the default policy"; finish; }
  TOKEN=$(admin token add PDS-01-A)
  A="Authorization: Bearer $TOKEN"
  printf '[lane]\ncheckpoint = PDS-01\nterminal = PDS-01-A\n' > "$XDG_CONFIG_HOME/greenlane/config.ini"
  chmod 600 "$XDG_CONFIG_HOME/greenlane/config.ini"
}

# The lane's journal as events ({"hash":…,"body":…} per line) in $T/events;
# batch SEDRANGE prints a POST /v1/events body of those lines.
journal_events() {
  sqlite3 "$GREENLANE_HOME/journal.db" "select json_object('hash', hash, 'body', body) from record order by seq" > "$T/events"
}
batch() { printf '{"events":['; sed -n "$1" "$T/events" | paste -sd, -; printf ']}'; }

# event BODY: one event whose hash is right, as a batch.
event() {
  h=$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)
  python3 -c 'import json,sys; print(json.dumps({"events":[{"body":sys.argv[1],"hash":sys.argv[2]}]}))' "$1" "$h"
}

#!/bin/sh
# A shared database's schema is changed only by `admin migrate`: a central
# or an admin command meeting an empty or older schema says to migrate and
# changes nothing, a newer one says to upgrade; several migrations at once
# (centrals of a province upgraded together) take turns and all succeed.
#   migrate.sh GREENLANE PG_BASE_URI     prints "migrate: N passed, M failed"
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
BASE=$2
NAME=migrate
T=$(mktemp -d /tmp/greenlane-migrate.XXXXXX)
PGDB="migrate_$$" PORT=$((22000 + ($$ + 500) % 1000))
DB="$BASE/$PGDB"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
cleanup() { psql -XAtq "$BASE/postgres" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
. "$(cd "$(dirname "$0")" && pwd)/../expect.sh"
psql -XAtq "$BASE/postgres" -c "CREATE DATABASE $PGDB" >/dev/null
tables() { psql -XAtq "$DB" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"; }

expect_exit 66 "admin demo on an empty database" -- "$C" admin --db "$DB" demo --size 5
expect_in "$T/err" "admin --db … migrate" "it says to migrate"
expect_exit 66 "serve on an empty database" -- "$C" serve --listen "127.0.0.1:$PORT" --db "$DB"
expect_in "$T/err" "schema is at version 0, this program needs" "it says which versions"
[ "$(tables)" -eq 0 ] && ok || bad "neither created a table"

# Four at once, as centrals upgraded together would.
for i in 1 2 3 4; do "$C" admin --db "$DB" migrate >"$T/m$i" 2>&1 & done
wait
for i in 1 2 3 4; do expect_in "$T/m$i" "the schema is up to date (version" "migration $i at once"; done
expect_exit 0 "admin migrate again" -- "$C" admin --db "$DB" migrate
expect_exit 0 "admin demo once migrated" -- "$C" admin --db "$DB" demo --size 5

psql -XAtq "$DB" -c "UPDATE meta SET v = '99' WHERE k = 'schema'" >/dev/null
expect_exit 66 "serve on a newer schema" -- "$C" serve --listen "127.0.0.1:$PORT" --db "$DB"
expect_in "$T/err" "newer than this program's" "it says to upgrade greenlane-central"
expect_exit 66 "admin migrate on a newer schema" -- "$C" admin --db "$DB" migrate
expect_in "$T/err" "upgrade greenlane-central" "migrate never goes down"
[ "$(psql -XAtq "$DB" -c "SELECT v FROM meta WHERE k = 'schema'")" = 99 ] && ok || bad "the newer schema is left alone"
echo "migrate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

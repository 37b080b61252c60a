#!/bin/sh
# The restore procedure of the README, run as written: a base backup and a
# WAL archive bring the centre back to the moment before an operator's
# mistake (here a DELETE typed by hand), with everything committed before
# it — records a lane was told are held, a revocation — and lanes carry on
# by themselves: no fresh snapshot, no record sent twice, no gap.
# (A restore from pg_dump, to an older point, is tests/api/04-cursor.sh.)
#   restore.sh GREENLANE      prints "restore: N passed, M failed"
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=restore
T=$(mktemp -d /tmp/greenlane-restore.XXXXXX) PGD=$(mktemp -d /tmp/greenlane-restore-pg.XXXXXX)
PGPORT=$((11000 + ($$ + 250) % 1000)) PORT=$((22000 + ($$ + 250) % 1000))
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
pass=0 fail=0 SPID=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
finish() { echo "$NAME: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null; sh "$HERE/server.sh" stop "$PGD"; rm -rf "$T" "$PGD"; }
trap cleanup EXIT
as() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
. "$HERE/../expect.sh"

# A primary that archives its WAL.
BASE=$(sh "$HERE/server.sh" start "$PGD" "$PGPORT") || { bad "the database server"; finish; }
ARCH="$PGD/archive"
as mkdir "$ARCH"
sh "$HERE/server.sh" stop "$PGD"
as sh -c "cat >> '$PGD/data/postgresql.conf'" <<CONF
archive_mode = on
archive_command = 'test ! -f $ARCH/%f && cp %p $ARCH/%f'
CONF
sh "$HERE/server.sh" start "$PGD" "$PGPORT" >/dev/null || { bad "the archiving server"; finish; }
psql -XAtq "$BASE/postgres" -c "CREATE DATABASE gl" >/dev/null
DB="$BASE/gl"
q() { psql -XAtq "$DB" -c "$1"; }
"$C" admin --db "$DB" migrate >/dev/null && "$C" admin --db "$DB" demo --size 50 >/dev/null 2>&1 || bad "the demo centre"
TOKEN=$("$C" admin --db "$DB" token add LANE-R)
serve() {
  "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --log "$T/central.log" &
  SPID=$!
  i=0; until curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/keys"; do sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || break; done
}
serve
export GREENLANE_HOME="$T/lane" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 TZ=Asia/Shanghai
mkdir -p "$T/config/greenlane"
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-R\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\n' "$PORT" "$TOKEN" \
  > "$T/config/greenlane/config.ini"
chmod 600 "$T/config/greenlane/config.ini"
PASS=$("$C" admin --db "$DB" pass issue --plate 豫D10002 --origin 410102 --dest 410402 --days 10 2>/dev/null)
expect_exit 0 "the lane's first sync" -- "$G" sync --once
for p in 豫D10001 豫D10002 豫D10001; do "$G" log --officer 0417 "$p" >/dev/null 2>&1; done
expect_exit 0 "three transits sent" -- "$G" sync --once

# The nightly base backup (README: pg_basebackup).
as "$BIN/pg_basebackup" -D "$PGD/base" -X stream -c fast -d "host=127.0.0.1 port=$PGPORT user=greenlane" \
  >"$T/basebackup.log" 2>&1 && ok || { bad "pg_basebackup"; cat "$T/basebackup.log"; }

# The day goes on: a revocation, two more transits held.
PNO=$(q "select key from record where kind = 'pass' order by seq desc limit 1")
"$C" admin --db "$DB" pass revoke "$PNO" >/dev/null || bad "revoke the pass"
for p in 豫D10002 豫D10001; do "$G" log --officer 0417 "$p" >/dev/null 2>&1; done
expect_exit 0 "the revocation pulled, two more transits sent" -- "$G" sync --once
expect_in "$T/out" "pushed: 2 held" "both held"
expect_exit 3 "the lane: the revoked pass needs a manual check" -- "$G" verify "$PASS"
HELD=$(q "select count(*) from event") RECORDS=$(q "select count(*) || ' ' || max(seq) from record where data is not null")
sleep 1
TARGET=$(q "select clock_timestamp()")
sleep 1

# The mistake.
q "DELETE FROM event" >/dev/null; q "DELETE FROM record WHERE kind = 'vehicle'" >/dev/null
[ "$(q 'select count(*) from event')" = 0 ] && ok || bad "the mistake is made"

# The restore, as the README says: stop the centrals and the database; keep
# the damaged cluster's pg_wal (WAL not yet archived); the base backup in
# its place with that WAL; recover from the archive to the moment before
# the mistake; start the centrals.
kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=
as "$BIN/pg_ctl" -D "$PGD/data" -m fast -w stop >/dev/null || bad "stop the database"
as mv "$PGD/data" "$PGD/damaged"
as cp -a "$PGD/base" "$PGD/data"
as sh -c "rm -rf '$PGD/data/pg_wal'/* && cp '$PGD/damaged/pg_wal'/0* '$PGD/data/pg_wal/'"
as sh -c "cat >> '$PGD/data/postgresql.conf'" <<CONF
restore_command = 'cp $ARCH/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
CONF
as touch "$PGD/data/recovery.signal"
sh "$HERE/server.sh" start "$PGD" "$PGPORT" >/dev/null || { bad "the restored database starts"; finish; }
i=0; until [ "$(q 'select pg_is_in_recovery()' 2>/dev/null)" = f ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(q 'select pg_is_in_recovery()')" = f ] && ok || bad "recovery ends and the database takes writes"
serve

# Everything committed before the mistake is back; the lane carries on.
[ "$(q 'select count(*) from event')" = "$HELD" ] && [ "$HELD" = 5 ] && ok || bad "the five transits held: $(q 'select count(*) from event')"
[ "$(q "select count(*) || ' ' || max(seq) from record where data is not null")" = "$RECORDS" ] && ok ||
  bad "every record as it was: $(q "select count(*) || ' ' || max(seq) from record where data is not null"), want $RECORDS"
[ "$(q "select data->>'revoked' from record where kind = 'pass' and key = '$PNO'")" = true ] && ok || bad "the revocation"
expect_exit 0 "the lane's next sync" -- "$G" sync --once
expect_not_in "$T/out" "snapshot" "needs no fresh snapshot"
expect_exit 3 "the revoked pass still needs a manual check" -- "$G" verify "$PASS"
"$G" log --officer 0417 豫D10001 >/dev/null 2>&1
expect_exit 0 "a new transit sent" -- "$G" sync --once
expect_in "$T/out" "pushed: 1 held" "held"
[ "$(q "select count(*) || ' ' || count(distinct uuid) from event")" = "6 6" ] && ok || bad "six transits, once each"
"$C" admin --db "$DB" report > "$T/report" 2>&1 || bad "admin report"
python3 - "$T/report" <<'PY' && ok || bad "the journal chain whole: $(cat "$T/report")"
import json, sys
t = [x for x in json.load(open(sys.argv[1])) if x["terminal"] == "LANE-R"][0]
sys.exit(0 if t["events"] == 6 and t["gaps"] == 0 and t["breaks"] == 0 and t["missing"] == 0 else 1)
PY
finish

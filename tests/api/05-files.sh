#!/bin/sh
# Secrets and personal data: the database (with the keys that sign passes),
# its WAL and the access log are created the centre's user's alone; a
# database or TLS key others can read is refused; the log masks ID numbers and cannot be
# given a forged line; the systemd unit is hardened.
. "$(dirname "$0")/lib.sh"
umask 022   # as a careless operator's shell would have it
setup
serve
expect 200 "a look-up, to have a log line" -- -H "$A" "$URL/v1/drivers/410402196501010003"
mode() { stat -c %a "$1"; }
files="$T/central.log"
[ "$BACKEND" = sqlite ] && files="$DB $DB-wal $DB-shm $files"   # PostgreSQL's files are its server's
for f in $files; do
  [ -e "$f" ] || { bad "$(basename "$f") exists"; continue; }
  [ "$(mode "$f")" = 600 ] && ok || bad "$(basename "$f") is $(mode "$f"), want 600"
done
kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=

# A database others can read may have been copied already: refused, by the
# server and by admin, with how to mend it; so is a TLS key others can read.
if [ "$BACKEND" = sqlite ]; then
  chmod 644 "$DB"
  expect_exit 77 "a database others can read is refused" -- timeout 10 "$C" serve --listen "127.0.0.1:$PORT" --db "$DB"
  expect_in "$T/err" "chmod 600" "and says how to mend it"
  expect_exit 77 "by admin too" -- admin report
  chmod 600 "$DB"; : > "$DB-wal"; chmod 644 "$DB-wal"
  expect_exit 77 "a WAL others can read is refused" -- admin report
  rm -f "$DB-wal"
fi
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 -subj "/CN=127.0.0.1" 2>/dev/null
  chmod 644 "$T/key.pem"
  expect_exit 77 "a TLS key others can read is refused" -- timeout 10 "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" \
    --cert "$T/cert.pem" --key "$T/key.pem"
  expect_in "$T/err" "chmod 600" "and says how to mend it"
else
  bad "openssl is needed for the TLS key test"
fi

# A log that is not a file is left as it is: --log /dev/null, as root, must
# not take /dev/null from everyone (a regression of this very test).
NULLMODE=$(stat -c %a /dev/null)
timeout 3 "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --log /dev/null >/dev/null 2>&1
[ "$(stat -c %a /dev/null)" = "$NULLMODE" ] && ok || { bad "--log /dev/null changed /dev/null to $(stat -c %a /dev/null)"; chmod "$NULLMODE" /dev/null; }

# The access log: ID numbers masked, control characters escaped.
serve
: > "$T/central.log"
curl -s -o /dev/null -H "$A" "$URL/v1/drivers/410402196501010003"
curl -s -o /dev/null -H "$A" "$URL/v1/drivers/410402196501010004"
curl -s -o /dev/null -H "$A" "$URL/v1/vehicles/x%0A2022-05-10T08:00:00+08:00%20127.0.0.1%20GET%20/v1/keys%20200"
curl -s -o /dev/null -H "$A" "$URL/v1/changes?since=0&x=410402196501010003"
sleep 0.2
grep -q '410402196501010003\|410402196501010004' "$T/central.log" && bad "the log keeps a whole ID number" || ok
grep -q 'GET /v1/drivers/410402\*\*\*\*\*\*\*\*0003 200' "$T/central.log" && ok || { bad "the log shows the ID masked"; cat "$T/central.log"; }
# (the start-up poll's own line may land after the log was emptied)
[ "$(grep -vc 'GET /v1/keys 401' "$T/central.log")" -eq 4 ] && ok || { bad "one line per request, none forged"; cat "$T/central.log"; }
grep -q 'x\\x0a2022' "$T/central.log" && ok || bad "a line break in a path is escaped"

# The systemd unit: private files, and what systemd offers to confine it.
U=assets/greenlane-central.service
[ -f "$U" ] || U="$HERE/../../assets/greenlane-central.service"
for opt in UMask=0077 NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes ReadWritePaths=; do
  grep -q "^$opt" "$U" && ok || bad "the unit has $opt"
done
if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/local/bin/greenlane-central|$C|" "$U" > "$T/greenlane-central.service"
  systemd-analyze verify "$T/greenlane-central.service" > "$T/out" 2>&1
  grep -v 'Command .* is not executable\|getpwnam\|User=\|Failed to resolve\|No such file' "$T/out" | grep -q . \
    && { bad "systemd-analyze verify finds fault with the unit"; cat "$T/out"; } || ok
else
  bad "systemd-analyze is needed to verify the unit (apt-get install systemd)"
fi
finish

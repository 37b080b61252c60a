#!/bin/sh
# Signing keys out of the database (admin --keys DIR): a centre that keeps
# them in a directory of its own leaves database readers and replicas only
# the key ids and public halves, so they cannot sign a pass.  The keys of a
# running centre move out without lanes noticing; a key that is missing,
# open to others, damaged or another centre's signs nothing; and a command
# that forgets --keys never makes a second key in the database.
. "$(dirname "$0")/lib.sh"
setup
serve
K="$T/keys"
mkdir -m 700 "$K"
TOK=$(admin token add LANE-K)
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-K\n[server]\nurl = %s\ntoken = %s\n' "$URL" "$TOK" \
  > "$XDG_CONFIG_HOME/greenlane/config.ini"
expect_exit 0 "the lane's first sync" -- "$G" sync --once
BEFORE=$(admin pass issue --plate 豫D10002 --origin 410102 --dest 410402 --days 10 2>/dev/null)
KIDS=$(sql "select kid from signing_key order by kid" | tr '\n' ' ')

# Moving the keys of a running centre out.
expect_exit 64 "keys move-out without --keys" -- admin keys move-out
expect_in "$T/err" "with --keys DIR" "its usage says --keys"
chmod 755 "$K"
expect_exit 77 "a key directory others can read" -- admin --keys "$K" keys move-out
expect_in "$T/err" "chmod 700" "says how to close it"
[ "$(sql "select count(*) from signing_key where sk <> ''")" = 3 ] && ok || bad "and the keys stay where they were"
chmod 700 "$K"
expect_exit 77 "--keys before the keys moved out" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402
expect_in "$T/err" "keys move-out" "points to keys move-out"
expect_exit 0 "keys move-out" -- admin --keys "$K" keys move-out
expect_in "$T/out" "moved 3 key" "moves the three keys"
[ "$(sql "select count(*) from signing_key where sk <> ''")" = 0 ] && ok || bad "no secret is left in the database"
[ "$(sql "select kid from signing_key order by kid" | tr '\n' ' ')" = "$KIDS" ] && ok || bad "the key ids are kept"
[ "$(ls "$K" | wc -l)" = 3 ] && ok || bad "three key files"
[ "$(stat -c %a "$K"/*.key | sort -u)" = 600 ] && ok || bad "each the user's alone"
expect_exit 0 "keys move-out again: nothing to move" -- admin --keys "$K" keys move-out
expect_in "$T/out" "moved 0 key" "says so"

# Without --keys nothing is signed, and no second key is made.
expect_exit 77 "pass issue without --keys" -- admin pass issue --plate 豫D10002 --origin 410102 --dest 410402
expect_in "$T/err" "give --keys DIR" "says to give --keys"
expect_exit 77 "admin init without --keys" -- admin init
expect_exit 77 "policy publish without --keys" -- admin policy publish default
[ "$(sql "select count(*) from signing_key")" = 3 ] && ok || bad "no new key in the database"

# With --keys the same keys sign, and lanes take what they sign.
PASS=$(admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402 --days 10 2>"$T/err")
[ -n "$PASS" ] && ok || { bad "pass issue with --keys"; cat "$T/err"; }
expect_exit 0 "the lane syncs the new pass" -- "$G" sync --once
"$G" verify --json "$PASS" > "$T/out"
expect_in "$T/out" '"signature":	"ok"' "the lane verifies a pass signed from the key directory"
"$G" verify --json "$BEFORE" > "$T/out"
expect_in "$T/out" '"signature":	"ok"' "and still one signed before the move"
expect_exit 0 "bundle with --keys" -- admin --keys "$K" bundle "$T/bundle"
expect_exit 0 "policy publish with --keys" -- admin --keys "$K" policy publish default

# A key file that is open to others, damaged, missing or another centre's.
PK=$(ls "$K"/central-pass-*.key)
chmod 640 "$PK"
expect_exit 77 "a key file others can read" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402
expect_in "$T/err" "chmod 600" "says how to close it"
chmod 600 "$PK"
cp "$PK" "$T/pass.key"
# Another centre's key under this key's name.
O="$T/other"; mkdir -m 700 "$O"
"$C" admin --db "$T/other.db" --keys "$O" init 2>/dev/null
cat "$O"/central-pass-*.key > "$PK"
expect_exit 77 "another centre's key under this one's name" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402
expect_in "$T/err" "does not match" "says it does not match"
# One character of the secret changed.
python3 - "$T/pass.key" "$PK" <<'PY'
import sys
s = open(sys.argv[1]).read()
c = 'B' if s[5] != 'B' else 'C'
open(sys.argv[2], 'w').write(s[:5] + c + s[6:])
PY
expect_exit 77 "a key file with one character changed" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402
printf 'not a key\n' > "$PK"
expect_exit 77 "a key file that is not a key" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402
rm "$PK"
expect_exit 77 "a missing key file" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402
expect_in "$T/err" "cannot read key" "says it cannot read the key"
expect_exit 77 "admin init with the pass key's file missing" -- admin --keys "$K" init
[ "$(sql "select count(*) from signing_key")" = 3 ] && ok || bad "no key is made in its place"
cp "$T/pass.key" "$PK"; chmod 600 "$PK"
expect_exit 0 "the key file put back" -- admin --keys "$K" pass issue --plate 豫D10002 --origin 410102 --dest 410402

# A new centre with --keys from the start: no secret ever in the database.
N="$T/newkeys"; mkdir -m 700 "$N"
expect_exit 0 "admin init --keys on a new centre" -- "$C" admin --db "$T/new.db" --keys "$N" init
[ "$(sqlite3 "$T/new.db" "select count(*) from signing_key where sk = ''")" = 3 ] && ok || bad "the new centre's database holds no secret"
[ "$(ls "$N" | wc -l)" = 3 ] && ok || bad "its three keys are in the directory"
expect_exit 64 "serve takes no --keys (it signs nothing)" -- "$C" serve --listen 127.0.0.1:1 --db "$T/new.db" --keys "$N"
finish

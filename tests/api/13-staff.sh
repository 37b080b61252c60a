#!/bin/sh
# The command centre's staff sign in to the centre's page with accounts of
# their own: a lane's token opens nothing there and a staff session opens
# no lane endpoint; the session cookie is HttpOnly and SameSite=Strict; a
# change without the session's CSRF token is refused; sign-ins are limited
# by account (5 failures lock it) and by address (20 in 5 minutes); a session ends when signed out, when its
# member's password changes or they are removed, and when left idle.
. "$(dirname "$0")/lib.sh"
setup
serve
J="$T/jar"
PW='correct horse battery'
printf '%s\n' "$PW" > "$T/pw"
expect_exit 0 "staff add alice" -- admin staff add alice < "$T/pw"
printf 'short\n' > "$T/short"
expect_exit 65 "a password under 10 characters" -- admin staff add bob < "$T/short"
expect_exit 65 "a name with a space" -- admin staff add "al ice" < "$T/pw"
expect_exit 65 "staff add for a name taken" -- admin staff add alice < "$T/pw"
[ "$(sql "select count(*) from staff")" = 1 ] && ok || bad "one member"
sql "select pw_hash from staff" | grep -q '^\$argon2id\$' && ok || bad "the password kept as its Argon2id hash"
sql "select pw_hash from staff" | grep -q "$PW" && bad "the password itself is kept" || ok

signin() { # NAME PASSWORD [curl args]: the status
  n=$1 p=$2; shift 2
  python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "password": sys.argv[2]}))' "$n" "$p" > "$T/signin"
  curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X POST --data-binary @"$T/signin" "$@" "$URL/v1/centre/session"
}

# The page, and what it may run.
expect 200 "the page at /" -- "$URL/"
grep -qi "^Content-Security-Policy: default-src 'none'; script-src 'self'" "$T/headers" && ok || bad "a strict CSP"
grep -qi "^X-Frame-Options: DENY" "$T/headers" && ok || bad "never in a frame"
expect 404 "no file outside the page's" -- "$URL/centre/..%2Fpolicy%2Fdefault.json"

# Signing in.
expect 200 "who is signed in, without a session" -- "$URL/v1/centre/me"
has '"name":null' "no one"
expect 401 "the terminals without a session" -- "$URL/v1/centre/terminals"
expect 401 "what is in force, without a session" -- "$URL/v1/centre/in-force"
expect 401 "the day's figures, without a session" -- "$URL/v1/centre/figures"
expect 401 "an action, without a session" -- --data '{"id":"E000001"}' "$URL/v1/centre/actions/enterprise-suspend"
[ "$(signin alice 'wrong password')" = 401 ] && ok || bad "a wrong password: 401"
grep -qi "^Set-Cookie" "$T/headers" && bad "no cookie for a wrong password" || ok
[ "$(signin nobody "$PW")" = 401 ] && ok || bad "an unknown name: 401, as a wrong password"
has "wrong name or password" "the same words for both"
[ "$(signin alice "$PW" -c "$J")" = 200 ] && ok || bad "the right password: 200 ($(cat "$T/body"))"
C1=$(grep -i '^Set-Cookie' "$T/headers")
echo "$C1" | grep -q "HttpOnly" && ok || bad "the cookie is HttpOnly: $C1"
echo "$C1" | grep -q "SameSite=Strict" && ok || bad "SameSite=Strict"
echo "$C1" | grep -q "Secure" && bad "no Secure over plain HTTP on loopback" || ok
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$T/body")
[ ${#CSRF} -eq 64 ] && ok || bad "a CSRF token"
expect 200 "who is signed in" -- -b "$J" "$URL/v1/centre/me"
has '"name":"alice"' "alice"
expect 200 "the audit log" -- -b "$J" "$URL/v1/centre/audit"
has '"action":"signin"' "has the sign-in"
has '"action":"signin-failed"' "and the failed one"
has '"addr":"127.0.0.1"' "and where from"

# Never a lane's token there, never a session on a lane's endpoint.
expect 401 "a lane's token on the centre's JSON" -- -H "$A" "$URL/v1/centre/terminals"
expect 401 "a staff session on a lane's endpoint" -- -b "$J" "$URL/v1/keys"
expect 401 "a staff session on the feed" -- -b "$J" "$URL/v1/changes?since=0"

# A change needs the session's CSRF token.
expect 403 "sign-out without the CSRF token" -- -b "$J" -X DELETE "$URL/v1/centre/session"
expect 403 "sign-out with a forged CSRF token" -- -b "$J" -H "X-CSRF-Token: $(printf '0%.0s' $(seq 64))" -X DELETE "$URL/v1/centre/session"
expect 200 "still signed in" -- -b "$J" "$URL/v1/centre/me"
cp "$J" "$T/jar.old"
expect 200 "sign-out with it" -- -b "$J" -c "$J" -H "X-CSRF-Token: $CSRF" -X DELETE "$URL/v1/centre/session"
grep -qi '^Set-Cookie: gl_staff=;.*Max-Age=0' "$T/headers" && ok || bad "the cookie is cleared"
expect 401 "the old cookie after sign-out" -- -b "$T/jar.old" "$URL/v1/centre/terminals"

# A session ends with a new password, and when left idle.
[ "$(signin alice "$PW" -c "$J")" = 200 ] && ok || bad "signed in again"
printf 'another long password\n' | admin staff password alice >/dev/null
expect 401 "after the password changed" -- -b "$J" "$URL/v1/centre/terminals"
[ "$(signin alice 'another long password' -c "$J")" = 200 ] && ok || bad "signed in with the new password"
sql "update staff_session set seen_at = seen_at - 1801" >/dev/null
expect 401 "after 30 minutes idle" -- -b "$J" "$URL/v1/centre/terminals"
has "sign in" "says to sign in"

# Five wrong passwords in a row lock the account, even to the right one.
serve   # (a central's count by address starts again)
for i in 1 2 3 4 5; do signin alice "wrong $i" >/dev/null; done
[ "$(signin alice 'another long password')" = 429 ] && ok || bad "locked after five failures: $(cat "$T/body")"
grep -qi '^Retry-After: [1-9]' "$T/headers" && ok || bad "with Retry-After"
sql "update staff set locked_until = 0" >/dev/null
[ "$(signin alice 'another long password' -c "$J")" = 200 ] && ok || bad "the lock over, the right password signs in"
[ "$(sql "select failures from staff where name = 'alice'")" = 0 ] && ok || bad "and clears the count"

# Actions from the page: as the admin commands, with the CSRF token, audited.
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$T/body")
act() { # STATUS DESCRIPTION ACTION BODY
  expect "$1" "$2" -- -b "$J" -H "X-CSRF-Token: $CSRF" -H "Content-Type: application/json" --data "$4" \
    "$URL/v1/centre/actions/$3"
}
expect 403 "an action without the CSRF token" -- -b "$J" --data '{"id":"E000001"}' "$URL/v1/centre/actions/enterprise-suspend"
expect 401 "an action with a lane's token" -- -H "$A" --data '{"id":"E000001"}' "$URL/v1/centre/actions/enterprise-suspend"
CUR=$(sql 'select max(seq) from record')
act 200 "a meltdown from the page" enterprise-suspend '{"id":"E000001"}'
[ "$(sql "select json_extract(data, '$.status') from record where kind = 'enterprise' and key = 'E000001'")" = suspended ] &&
  ok || bad "the enterprise is suspended"
[ "$(sql "select count(*) from record where seq > $CUR")" = 1 ] && ok || bad "on the change feed"
act 404 "an enterprise that does not exist" enterprise-suspend '{"id":"E999999"}'
has '"message_zh":"没有 enterprise E999999"' "says so in both languages"
act 422 "a risk area that is not a region code" risk-set '{"region":"郑州","level":"high"}'
act 422 "a level not in the list" risk-set '{"region":"410302","level":"extreme"}'
act 404 "an action that does not exist" frobnicate '{}'
act 400 "a body that is not JSON" risk-clear 'region=410302'
act 404 "a tube no lane sampled" test-result '{"tube":"TB-NONE","result":"positive"}'
act 200 "restored from the page" enterprise-restore '{"id":"E000001"}'
expect 200 "the audit log" -- -b "$J" "$URL/v1/centre/audit"
has '"action":"enterprise-suspend","detail":"E000001"' "has the meltdown"
has '"action":"enterprise-restore","detail":"E000001"' "and the restoration"
hasnt '"detail":"E999999"' "but not what was refused"

# One address: at most 20 attempts in 5 minutes on a central.
serve
n=0; for i in $(seq 21); do [ "$(signin "nobody$i" x)" = 429 ] && n=$((n + 1)); done
[ "$n" -eq 1 ] && ok || bad "the 21st attempt from one address is refused ($n refused)"
[ "$(signin alice 'another long password')" = 429 ] && ok || bad "and is, whatever the account"

# Removed: no session left.
expect 200 "a session before the member is removed" -- -b "$J" "$URL/v1/centre/terminals"
expect_exit 0 "staff remove alice" -- admin staff remove alice
expect 401 "after removal" -- -b "$J" "$URL/v1/centre/terminals"
expect_exit 66 "removing one who is not there" -- admin staff remove alice
finish

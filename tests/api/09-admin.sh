#!/bin/sh
# An administrator's careless input is refused with a clear message and
# changes nothing: terminal names no lane could use, numbers that are not
# whole, a vehicle or pass naming an enterprise that does not exist.  A
# lane's token can be replaced (token rotate).
. "$(dirname "$0")/lib.sh"
setup
serve
CUR=$(sql 'select max(seq) from record')
LONG=$(printf 'A%.0s' $(seq 77))
expect_exit 65 "a 77-character terminal name" -- admin token add "$LONG"
expect_in "$T/err" "1 to 63" "says what a name is"
expect_exit 65 "an empty terminal name" -- admin token add ""
expect_exit 65 "a name over two lines" -- admin token add "PDS-01
GET"
expect_exit 65 "a name with a space" -- admin token add "PDS 01"
[ "$(sql 'select count(*) from terminal')" = 1 ] && ok || bad "no such terminal is made"
expect_exit 64 "pass issue --days -5" -- admin pass issue --plate 豫D10002 --origin 410102 --dest 410402 --days -5
expect_exit 64 "pass issue --days abc" -- admin pass issue --plate 豫D10002 --origin 410102 --dest 410402 --days abc
expect_exit 64 "pass issue --days 0" -- admin pass issue --plate 豫D10002 --origin 410102 --dest 410402 --days 0
expect_exit 65 "a pass for an enterprise that does not exist" -- admin pass issue --plate 豫D10002 --origin 410102 --dest 410402 --enterprise E999999
expect_in "$T/err" "E999999" "names the enterprise"
printf '%s\n' '{"kind":"vehicle","op":"put","key":"豫D77777","data":{"plate":"豫D77777","enterprise_id":"E999999","relation":"own"}}' > "$T/v.ndjson"
expect_exit 65 "a vehicle whose enterprise does not exist" -- admin import "$T/v.ndjson"
expect_in "$T/err" "does not exist" "says so"
printf '%s\n' '{"kind":"enterprise","op":"put","key":"E999999","data":{"id":"E999999","name":"新企业","status":"active"}}' >> "$T/v.ndjson"
expect_exit 0 "the same vehicle with its enterprise in the same file" -- admin import "$T/v.ndjson"
expect_exit 64 "demo --size abc" -- admin demo --size abc
expect_exit 64 "risk set with a level not in the list" -- admin risk set 410302 extreme
expect_exit 64 "an unknown command" -- admin frobnicate
expect_exit 0 "greenlane-central --help" -- "$C" --help
expect_in "$T/out" "usage: greenlane-central" "prints the usage on stdout"
expect_exit 0 "greenlane-central --version" -- "$C" --version
expect_in "$T/out" "^greenlane-central [0-9]*\.[0-9]*\.[0-9]*$" "prints the version"
[ "$(sql "select count(*) from record where seq > $CUR")" = 2 ] && ok || bad "only the good import published (2 records)"

# Replacing a lane's token: the old one stops working at once.
OLD=$TOKEN
expect_exit 65 "token add for a terminal that exists" -- admin token add PDS-01-A
expect_in "$T/err" "token rotate" "points to token rotate"
expect_exit 0 "token rotate" -- admin token rotate PDS-01-A
NEW=$(cat "$T/out")
[ ${#NEW} -eq 64 ] && [ "$NEW" != "$OLD" ] && ok || bad "a new 64-digit token"
expect 401 "the old token" -- -H "Authorization: Bearer $OLD" "$URL/v1/keys"
expect 200 "the new token" -- -H "Authorization: Bearer $NEW" "$URL/v1/keys"
admin token revoke PDS-01-A
expect 401 "a revoked token" -- -H "Authorization: Bearer $NEW" "$URL/v1/keys"
expect_exit 0 "a revoked terminal's token rotated" -- admin token rotate PDS-01-A
expect 200 "works again" -- -H "Authorization: Bearer $(cat "$T/out")" "$URL/v1/keys"
expect_exit 66 "rotating a terminal that does not exist" -- admin token rotate NOPE-1

# The schema: already this program's (a migration is never needed twice),
# on either store; extra words are a usage error.
expect_exit 0 "admin migrate on a current store" -- admin migrate
expect_in "$T/out" "the schema is up to date (version" "it says the schema is current"
expect_exit 64 "admin migrate with extra words" -- admin migrate now
# What it did, and what went wrong, in the operator's language.
expect_exit 0 "admin migrate under a Chinese locale" -- env LANG=zh_CN.UTF-8 "$C" admin --db "$DB" migrate
expect_in "$T/out" "数据库结构为最新版本" "says so in Chinese"
expect_exit 0 "a revocation under a Chinese locale" -- env LANG=zh_CN.UTF-8 "$C" admin --db "$DB" enterprise suspend E000001
expect_in "$T/out" "已完成" "says it is done in Chinese"
expect_exit 66 "a pass that does not exist, under a Chinese locale" -- env LANG=zh_CN.UTF-8 "$C" admin --db "$DB" pass revoke 410402999999
expect_not_in "$T/err" "[a-z][a-z][a-z] [a-z][a-z]" "and its error has no English sentence"
finish

#!/bin/sh
# A tube labels one sample, province-wide: a tube typed at a second
# checkpoint is refused at the centre naming the record that used it, so a
# positive result intercepts one truck and its crew, not two; tubes that
# are not tube labels are refused; the counts printed are the counts stored.
. "$(dirname "$0")/lib.sh"
setup
serve
TOKEN2=$(admin token add PDS-02-A)
lane() { # HOME TERMINAL TOKEN
  export GREENLANE_HOME="$T/$1"
  printf '[lane]\ncheckpoint = PDS-01\nterminal = %s\n[server]\nurl = %s\ntoken = %s\n' "$2" "$URL" "$3" \
    > "$XDG_CONFIG_HOME/greenlane/config.ini"
  chmod 600 "$XDG_CONFIG_HOME/greenlane/config.ini"
  "$G" sync --once >/dev/null 2>&1 || bad "lane $1 syncs"
}
lane a PDS-01-A "$TOKEN"
expect_exit 0 "lane a samples 豫D10003 with tube NAT-0001" -- "$G" log --officer 0417 --decision sample --tube nat-0001 --reason test 豫D10003
expect_exit 0 "and pushes it" -- "$G" sync --once
lane b PDS-02-A "$TOKEN2"
expect_exit 0 "lane b samples 豫D10001 with the same tube" -- "$G" log --officer 0418 --decision sample --tube NAT-0001 --reason test 豫D10001
"$G" sync --once > "$T/out" 2>&1
expect_in "$T/out" "1 refused" "the centre refuses lane b's record"
sqlite3 "$GREENLANE_HOME/journal.db" "select last_error from outbox" > "$T/why" 2>/dev/null || sqlite3 "$GREENLANE_HOME/journal.db" "select * from outbox" > "$T/why"
expect_in "$T/why" "NAT-0001 was already used by record" "naming the record that used the tube"
expect_in "$T/why" "PDS-01-A" "and its lane"
[ "$(sql "select count(*) from event where json_extract(body, '$.tube') = 'NAT-0001'")" = 1 ] && ok || bad "the centre holds one sample per tube"
expect_exit 0 "a positive result" -- admin test-result NAT-0001 positive
N=$(sed -n 's/.*: \([0-9]*\) intercepts/\1/p' "$T/out")
[ "$N" = "$(sql "select count(*) from record where kind = 'intercept' and key like 'NAT-NAT-0001-%' and data is not null")" ] \
  && ok || bad "the intercepts printed ($N) are the intercepts stored"
[ "$(sql "select count(*) from record where kind = 'intercept' and json_extract(data, '$.value') = '豫D10001'")" = 0 ] \
  && ok || bad "lane b's truck is not intercepted"
[ "$(sql "select count(*) from record where kind = 'intercept' and json_extract(data, '$.value') = '豫D10003'")" = 1 ] \
  && ok || bad "lane a's truck is"
expect_exit 0 "the same result again" -- admin test-result nat-0001 positive
expect_in "$T/out" ": $N intercepts" "counts the same intercepts, not more"

# Tubes that are not tube labels.
GEN=$(printf '0%.0s' $(seq 64))
LONG=$(printf 'T%.0s' $(seq 80))
for tube in "$LONG" "" "NAT 2" "nat-0002"; do
  event "{\"uuid\":\"0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e55\",\"terminal\":\"PDS-01-A\",\"seq\":9,\"kind\":\"landing_test\",\"at\":\"2022-05-10T08:00:00+08:00\",\"crew\":[],\"tube\":\"$tube\",\"prev_hash\":\"$GEN\"}" > "$T/ev"
  expect 200 "tube '$tube': answered" -- -H "$A" --data-binary @"$T/ev" "$URL/v1/events"
  has "the record.s tube" "tube '$(printf '%.12s' "$tube")' is refused"
done
expect_exit 64 "test-result of a tube that is not one" -- admin test-result "$LONG" positive
finish

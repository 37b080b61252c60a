#!/bin/sh
# Sequence numbers: two lanes sharing one terminal identity (a cloned
# terminal) show as a fork, not as a break of the honest lane's chain;
# numbers that are not whole, or out of range, are refused; no count in the
# report is ever negative.
. "$(dirname "$0")/lib.sh"
setup
serve
lane() { # HOME: a lane with terminal PDS-01-A on this centre
  export GREENLANE_HOME="$T/$1"
  printf '[lane]\ncheckpoint = PDS-01\nterminal = PDS-01-A\n[server]\nurl = %s\ntoken = %s\n' "$URL" "$TOKEN" \
    > "$XDG_CONFIG_HOME/greenlane/config.ini"
  chmod 600 "$XDG_CONFIG_HOME/greenlane/config.ini"
}
lane honest
expect_exit 0 "the honest lane syncs" -- "$G" sync --once
"$G" log --officer 0417 豫D10001 >/dev/null && "$G" log --officer 0417 豫D10002 >/dev/null || bad "the honest lane logs"
expect_exit 0 "and pushes" -- "$G" sync --once
HONEST=$(sqlite3 "$GREENLANE_HOME/journal.db" "select group_concat(quote(uuid)) from record")
lane clone
expect_exit 0 "a clone with the same identity syncs" -- "$G" sync --once
"$G" log --officer 0418 豫D10024 >/dev/null && "$G" log --officer 0418 豫D10002 >/dev/null && "$G" log --officer 0418 豫D10001 >/dev/null \
  || bad "the clone logs"
"$G" sync --once > "$T/out" 2>&1
admin report > "$T/report"
row() { grep -A8 '"PDS-01-A"' "$T/report" | grep "\"$1\"" | grep -o -- '-\?[0-9]*' | tail -n 1; }
[ "$(row forks)" = 2 ] && ok || { bad "the clone's two records with numbers held are forks"; cat "$T/report"; }
[ "$(row breaks)" = 0 ] && ok || bad "no break is reported"
[ "$(row missing)" = 0 ] && ok || bad "nothing is missing, and never a negative count ($(row missing))"
[ "$(sql "select count(*) from event where uuid in ($HONEST) and chain = 'ok'")" = 2 ] \
  && ok || bad "the honest lane's records stay ok"
[ "$(sql "select count(*) from event where terminal = 'PDS-01-A'")" = 5 ] && ok || bad "every record is held (5)"

# Sequence numbers a reader would round or wrap.
GEN=$(printf '0%.0s' $(seq 64))
for s in 1e300 2.5 0 -1 '"3"' 9007199254740992; do
  event "{\"uuid\":\"0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e77\",\"terminal\":\"PDS-01-A\",\"seq\":$s,\"kind\":\"ack\",\"at\":\"2022-05-10T08:00:00+08:00\",\"prev_hash\":\"$GEN\"}" > "$T/b"
  expect 200 "seq $s: answered" -- -H "$A" --data-binary @"$T/b" "$URL/v1/events"
  has '"refused":\[{"uuid":"0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e77","error":"the record.s seq' "seq $s is refused"
done
[ "$(sql "select count(*) from event where seq <= 0 or seq > 9007199254740991")" = 0 ] && ok || bad "no such number is stored"
finish

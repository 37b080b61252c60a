# Alerts an officer must not miss: a count of new ones in the status bar;
# new ones marked, the newest first; an ID number masked; acknowledging one
# is journaled and counts down.  A cache an older greenlane made (no alert
# list) is brought up to date when the lane opens it.
. "$(dirname "$0")/lib.sh"
demo
sqlite3 "$GREENLANE_HOME/cache.db" "DROP TRIGGER alert_put; DROP TRIGGER alert_set; DROP TRIGGER alert_del;
  DROP TABLE alert; PRAGMA user_version = 5" || bad "make the cache an old one"
start
wait_for "│ alerts 20" "the status bar counts the new alerts"
keys F4
wait_for "20 new, 20 in all" "the alerts screen"
wait_for "● new" "new ones are marked"
screen | grep -Eq "INTERCEPT  person [0-9]{6}\*{8}[0-9]{3}[0-9X] " && ok || bad "a person's ID number is masked"
screen | grep -Eq "person [0-9]{17}[0-9X]" && bad "a whole ID number on the alerts screen" || ok
# The newest first: an intercept issued now comes to the top.
TZ=Asia/Shanghai date '+%Y-%m-%dT%H:%M:%S+08:00' > "$T/now"
printf '{"kind":"intercept","op":"put","key":"I-NEW","data":{"id":"I-NEW","target":"plate","value":"豫D77777","reason":"新协查","since":"%s","cleared":false}}\n' "$(cat "$T/now")" > "$T/i.ndjson"
"$G" import "$T/i.ndjson" >/dev/null 2>&1 || bad "import an intercept"
keys Escape
wait_for "│ alerts 21" "a new intercept counts at once"
keys F4
wait_for "21 new, 21 in all" "and is listed"
screen | sed -n 3p | grep -q "豫D77777  新协查" && ok || bad "the newest is first"
keys a
wait_for "20 new, 21 in all" "a acknowledges the selected one"
journaled '"kind":"ack".*"alert_id":"I-NEW"' "journaled"
keys Escape
wait_for "│ alerts 20" "the count goes down"
finish

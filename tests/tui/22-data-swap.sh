# The data changes under a running lane: a snapshot replaces the file, an
# import changes an enterprise; the next check, and the truck on screen, use
# the new data.
. "$(dirname "$0")/lib.sh"
demo
start
ent() { # status: E000001 (豫D10001's enterprise) put with that status
  printf '{"kind":"enterprise","op":"put","key":"E000001","data":{"id":"E000001","name":"平顶山市鹰城物流有限公司","sector":"transport","region":"410411","whitelisted":true,"status":"%s"}}\n' "$1" > "$T/ent.ndjson"
  "$G" import "$T/ent.ndjson" >/dev/null 2>&1 || bad "import of E000001 $1"
}
ent suspended
check 豫D10001 "ENTERPRISE_SUSPENDED" "a suspension imported under a running lane counts at once"
check 豫D10002 "\[P\]" "another truck"
check 豫D10001 "ENTERPRISE_SUSPENDED" "and still on the next check"
ent active
wait_for "\[G\]  绿色通道" "lifting it counts at once too, on the truck on screen"
keys F5; wait_for "press the key again" "a change is acknowledged first"
keys F5; wait_for "Logged #1" "then logged"
# A snapshot replaces the file: the lane reads the new one.
check 豫D10001 "\[G\]" "green on today's data"
swaps=$(logged_lines "the cache was replaced")
"$G" demo --no-tui --at "$(date -d '2 days ago' '+%Y-%m-%dT%H:%M:%S+00:00' -u)" >/dev/null 2>&1
i=0; until [ "$(logged_lines 'the cache was replaced')" -gt "$swaps" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
[ $i -lt 100 ] && ok || bad "the lane notices the new file within 5 s"
wait_for "CACHE_STALE" "the truck on screen is checked on the new (older) data at once"
wait_for "⚠ VERDICT CHANGED" "and flagged"
finish

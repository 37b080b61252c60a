#!/bin/sh
# A lane may wait on the change feed (/v1/changes?since=N&wait=S): the
# centre answers as soon as there is something after N, or an empty page
# after S seconds; a change published by an admin command (another
# process) wakes every waiting request at once; nothing is missed between a
# request's read and its wait; a centre told to stop answers every waiting
# request first; wait is checked like every argument.
. "$(dirname "$0")/lib.sh"
setup
serve
cursor() { sql 'select max(seq) from record'; }
CUR=$(cursor)
ms() { date +%s%3N; }

expect 400 "wait=61 is over the most" -- -H "$A" "$URL/v1/changes?since=$CUR&wait=61"
has "wait must be whole seconds from 0 to 60" "and says so"
for w in -1 abc 1.5 ""; do expect 400 "wait=$w" -- -H "$A" "$URL/v1/changes?since=$CUR&wait=$w"; done
expect 401 "no token: refused before any wait" -- "$URL/v1/changes?since=$CUR&wait=30"

# Nothing changes: an empty page after the wait, the data current as of then.
S0=$(ms)
expect 200 "nothing after the cursor: an empty page" -- -H "$A" "$URL/v1/changes?since=$CUR&wait=2"
took=$(( $(ms) - S0 ))
[ "$took" -ge 1900 ] && [ "$took" -lt 4000 ] && ok || bad "it waited about 2 s: ${took} ms"
[ "$(wc -l < "$T/body")" -eq 1 ] && ok || bad "one closing line"
has "\"cursor\":$CUR,\"more\":false" "the cursor unchanged"
grep -qi '^X-Wait-Max: 60' "$T/headers" && ok || bad "the centre says it can wait (X-Wait-Max)"
expect 200 "the snapshot says so too" -- -H "$A" "$URL/v1/snapshot"
grep -qi '^X-Wait-Max: 60' "$T/headers" && ok || bad "X-Wait-Max on the snapshot"

# Something is there already: no wait at all.
S0=$(ms)
expect 200 "a change after the cursor: at once" -- -H "$A" "$URL/v1/changes?since=$((CUR - 1))&wait=30"
[ $(( $(ms) - S0 )) -lt 1000 ] && ok || bad "no wait when there is something"

# A change published while requests wait wakes them all: 200 waiting lanes,
# one revocation by an admin command.
cat > "$T/waiters.py" <<'PY'
import http.client, sys, threading, time
port, token, since, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
out = [None] * n
def one(i):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    c.request("GET", "/v1/changes?since=%s&wait=30" % since, headers={"Authorization": "Bearer " + token})
    r = c.getresponse(); body = r.read().decode()
    out[i] = (r.status, time.time(), body)
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in ts: t.start()
open(sys.argv[5], "w").write("started\n")
for t in ts: t.join()
for s, t, b in out:
    print(s, "%.3f" % t, 1 if '"kind":"pass"' in b else 0)
PY
python3 "$T/waiters.py" "$PORT" "$TOKEN" "$CUR" 200 "$T/started" > "$T/woken" &
WPID=$!
i=0; until [ -s "$T/started" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 1   # every request read its (empty) page and waits
PASS=$(sql "select key from record where kind = 'pass' order by key limit 1")
T0=$(date +%s.%N)
admin pass revoke "$PASS" >/dev/null || bad "revoke a pass"
wait "$WPID"
[ "$(grep -c '^200 ' "$T/woken")" -eq 200 ] && ok || bad "all 200 answered 200: $(cut -d' ' -f1 "$T/woken" | sort | uniq -c | tr '\n' ' ')"
[ "$(awk '$3 == 1' "$T/woken" | wc -l)" -eq 200 ] && ok || bad "each with the revoked pass"
slowest=$(awk -v t0="$T0" 'BEGIN { m = 0 } { d = $2 - t0; if (d > m) m = d } END { printf "%.2f", m }' "$T/woken")
echo "11-wait${GL_TEST_PG:+ (postgresql)}: 200 waiting requests woken by one revocation, the last after ${slowest} s"
awk -v s="$slowest" 'BEGIN { exit !(s < 5) }' && ok || bad "every waiting request woken within 5 s (the last after $slowest s)"

# A lane that gives up while it waits costs nothing: the centre goes on.
CUR=$(cursor)
curl -s -m 1 -o /dev/null -H "$A" "$URL/v1/changes?since=$CUR&wait=3"
expect 200 "the centre answers after a waiting client left" -- -H "$A" "$URL/v1/keys"

# Stopping: every waiting request is answered, and the centre ends at once.
for i in 1 2 3 4 5; do
  curl -s -o "$T/stop$i" -w '%{http_code}\n' -H "$A" "$URL/v1/changes?since=$CUR&wait=30" >> "$T/stopped" &
done
sleep 1
S0=$(ms)
kill "$SPID"; wait "$SPID"; rc=$?; SPID=
wait
[ "$rc" -eq 0 ] && ok || bad "the centre stopped with exit $rc"
[ $(( $(ms) - S0 )) -lt 3000 ] && ok || bad "it stopped at once, not after the waits: $(( $(ms) - S0 )) ms"
[ "$(grep -c '^200$' "$T/stopped")" -eq 5 ] && ok || bad "each waiting request was answered: $(tr '\n' ' ' < "$T/stopped")"
grep -q "\"cursor\":$CUR" "$T/stop1" && ok || bad "with its page"
finish

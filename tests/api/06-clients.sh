#!/bin/sh
# Careless and hostile clients: the token is checked on the headers, before
# any body is read, so unauthenticated uploads cost the centre nothing; the
# bodies being received at once are bounded, and beyond the bound a client
# is told to come back (503), not taken into memory.
. "$(dirname "$0")/lib.sh"
setup
serve
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SPID/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$SPID/status"; }
head -c 4194304 /dev/zero | tr '\0' 'a' > "$T/4m"
curl -s -o /dev/null -H "$A" "$URL/v1/keys"   # warm up: the threads' database connections
BASE=$(rss)
i=0 PIDS=
while [ $i -lt 60 ]; do
  curl -s -o "$T/u.$i" -w '%{http_code}\n' --data-binary @"$T/4m" "$URL/v1/events" > "$T/code.$i" &
  PIDS="$PIDS $!"; i=$((i + 1))
done
wait $PIDS
[ "$(cat "$T"/code.* | grep -c 401)" -eq 60 ] && ok || bad "60 unauthenticated uploads are refused: $(cat "$T"/code.* | sort | uniq -c | tr '\n' ' ')"
GROWTH=$(( ($(hwm) - BASE) / 1024 ))
echo "06-clients: 60 unauthenticated 4 MiB uploads: the centre grew $GROWTH MB"
[ "$GROWTH" -lt 16 ] && ok || bad "60 unauthenticated 4 MiB uploads grew the centre by $GROWTH MB (want < 16)"
rm -f "$T"/code.* "$T"/u.*

# Slow authenticated uploads, 24 at once, 4 MiB each announced: more than
# the 64 MiB the centre takes in at once, so some are told to come back.
BASE=$(hwm)
i=0 PIDS=
while [ $i -lt 24 ]; do
  curl -s -o /dev/null -w '%{http_code}\n' --limit-rate 256k -H "$A" --data-binary @"$T/4m" "$URL/v1/events" > "$T/code.$i" &
  PIDS="$PIDS $!"; i=$((i + 1))
done
sleep 3
kill $PIDS 2>/dev/null
wait $PIDS 2>/dev/null
BUSY=$(cat "$T"/code.* 2>/dev/null | grep -c 503)
[ "$BUSY" -ge 8 ] && ok || bad "beyond 64 MiB in flight a client gets 503 ($BUSY of 24 did, want at least 8)"
kill -0 "$SPID" 2>/dev/null && ok || bad "the centre is still up"
expect 200 "and answers" -- -H "$A" "$URL/v1/keys"
GROWTH=$(( ($(hwm) - BASE) / 1024 ))
echo "06-clients: 24 slow authenticated 4 MiB uploads: $BUSY told to come back, the centre grew $GROWTH MB"
[ "$GROWTH" -lt 100 ] && ok || bad "24 slow 4 MiB uploads grew the centre by $GROWTH MB (want < 100: 64 MiB of bodies at most)"
expect 413 "a body announced over 4 MiB is refused on its headers" -- -H "$A" -H "Content-Length: 5000000" \
  --data-binary @"$T/4m" "$URL/v1/events"
finish

#!/bin/sh
# Enter → verdict drawn, in the real interface under tmux, on the big cache.
# The interface logs "drawn N us" after each verdict reaches the terminal;
# queries are sent one at a time, each after the previous one was drawn.
#   tui_latency.sh GREENLANE DATA_DIR QUERIES_FILE N
set -eu
G=$1 DIR=$2 QUERIES=$3 N=$4
SOCK="greenlane-bench-$$"
LOG="$DIR/greenlane.log"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT
: > "$LOG"
tm -f /dev/null new-session -d -x 120 -y 40 -s b "env GREENLANE_HOME='$DIR' LANG=C.UTF-8 TZ=Asia/Shanghai '$G' tui"
i=0
until grep -q "first frame drawn" "$LOG" 2>/dev/null; do sleep 0.05; i=$((i + 1)); [ $i -lt 400 ] || { echo "tui did not start"; exit 1; }; done
sent=0
head -n "$N" "$QUERIES" | while IFS= read -r q; do
  sent=$((sent + 1))
  # The truck before is put away (Esc; y if it asks), so that every query is
  # a truck of its own: C-u clears a 'y' typed when nothing asked.
  tm send-keys -t b C-u Escape y C-u
  tm send-keys -t b -l "$q"
  tm send-keys -t b Enter
  i=0
  while [ "$(grep -c '^.* drawn ' "$LOG")" -lt "$sent" ]; do
    sleep 0.005; i=$((i + 1)); [ $i -lt 2000 ] || { echo "no verdict for $q"; exit 1; }
  done
done
tm send-keys -t b F10
sed -n 's/.* drawn \([0-9]*\) us$/\1/p' "$LOG" | sort -n | awk '
  { v[NR] = $1; s += $1 }
  END { if (NR == 0) exit 1;
        printf "tui      %8d %9.1f %9.1f %9.1f   (Enter to verdict drawn, us)\n", NR, v[int(NR*0.5)+1], v[int(NR*0.99)+1], s/NR }'

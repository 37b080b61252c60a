# A decision survives kill -9 right after the screen said "logged"; SIGTERM
# quits cleanly; a window too small says so; colour and NO_COLOR.
. "$(dirname "$0")/lib.sh"
demo
start
check 豫D10008 "\[H\]" "a hold to decide"
keys F7
wait_for "Logged #1: 豫D10008 hold" "F7 logs the hold"
kill -9 "$(lane_pid)"
wait_for "EXITED 137" "killed right after the confirmation"
"$G" export --csv > "$T/csv"
grep -q ",豫D10008,hold,hold," "$T/csv" && ok || { bad "the logged hold survives kill -9"; cat "$T/csv"; }
start
wait_for "unsent 1" "the record is there after a restart"
kill -TERM "$(lane_pid)"
wait_for "EXITED 0" "SIGTERM quits cleanly"
start
check 豫D10001 "\[G\]" "a verdict before resizing"
tm resize-window -t lane -x 70 -y 20
wait_for "Terminal too small: 70×20" "below 80×24 a clear message"
tm resize-window -t lane -x 120 -y 35
wait_for "\[G\]  绿色通道" "back to size, the verdict again"
check 豫D10008 "\[H\]" "hold in colour"
screen -e > "$T/color"
grep -q "$(printf '\033')\[[0-9;]*41m" "$T/color" && ok || bad "the hold banner is red"
start NO_COLOR=1
check 豫D10008 "\[H\]  拦截劝返  Hold" "NO_COLOR: the banner reads the same"
scan 豫D10001
wait_for "豫D10008 H  ▶豫D10001 G" "the queue marks the truck on screen in text, not colour alone"
screen -e > "$T/mono"
if grep -q "$(printf '\033')\[[0-9;]*4[1-7]m" "$T/mono"; then bad "NO_COLOR still paints colours"; else ok; fi
finish

# A scanner burst of five pass codes, a hold among them, without a decision
# in between: five undecided trucks, every one in sight; none is dropped.
. "$(dirname "$0")/lib.sh"
demo
start
for p in 豫D10001 豫D10003 豫D10008 豫D10006 豫D10010; do
  keys -l "$(token_of $p)"; keys Enter
done
wait_for "Waiting 5:" "five undecided trucks"
for p in 豫D10001 豫D10003 豫D10008 豫D10006 豫D10010; do
  screen | sed -n 4,6p | grep -q "$p" && ok || bad "$p is in sight"
done
screen | sed -n 4,6p | grep -q "豫D10008 H" && ok || bad "the hold among them shows its H"
wait_for "▶豫D10010" "the last scanned is on screen"
# Tab goes round them; the hold comes up.
keys Tab Tab Tab
wait_for "▶豫D10008" "Tab reaches the hold"
wait_for "\[H\]  拦截劝返" "and shows its verdict"
keys F7
wait_for "Logged #1: 豫D10008 hold" "the hold is logged"
wait_for "Waiting 4:" "four wait"
not_on_screen "豫D10008 H" "the decided truck leaves the queue"
# A burst with Enter between: each a truck; the scans are all in the log.
[ "$(logged_lines 'check 豫D100')" -ge 5 ] && ok || bad "every scan reached a check"
# Quitting with undecided trucks asks, and says how many and the worst.
keys F10
wait_for "4 truck(s) not logged (the worst: Manual check)" "F10 asks, naming the worst"
keys n
wait_gone "Quit anyway" "n goes back"
wait_for "Waiting 4:" "and nothing was dropped"
keys F10; wait_for "Quit anyway" "asks again"; keys y
wait_for "EXITED 0" "y quits"
[ "$(logged_lines 'not logged at quit')" -eq 4 ] && ok || bad "the four are named in the log at quit"
finish

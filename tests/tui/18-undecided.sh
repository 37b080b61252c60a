# An undecided truck is never dropped without the officer's word: not by
# clear_after, not by the lock; Esc asks for a hold, check or sample; a
# decided truck's personal data leaves the screen after clear_after.
. "$(dirname "$0")/lib.sh"
demo
printf '2468\n' | "$G" officer add 0417 张警官 >/dev/null || bad "officer add"
config '[ui]\nclear_after = 2\nlock_after = 600\n'
launch
wait_for "Officer sign-in" "with officers registered, the lane starts locked"
keys -l 0417; keys Tab; keys -l 2468; keys Enter
wait_for "Signed in: 0417 张警官" "signed in"
check 豫D10008 "\[H\]" "a hold, undecided"
sleep 3    # clear_after is 2 s
not_on_screen "Personal data cleared" "clear_after leaves an undecided truck alone"
wait_for "\[H\]  拦截劝返" "the hold is still there"
# Esc on an empty field asks before putting an undecided hold away.
keys Escape
wait_for "豫D10008 (Hold) is not logged. Put it away without logging? (y/n)" "Esc asks"
keys n
wait_for "\[H\]  拦截劝返" "n keeps it"
# Ctrl-X locks; the truck waits behind the lock.
keys C-x
wait_for "Officer sign-in" "Ctrl-X locks"
keys -l 0417; keys Tab; keys -l 2468; keys Enter
wait_for "1 undecided truck(s) kept from before the lock" "after sign-in the undecided truck is back"
wait_for "\[H\]  拦截劝返" "on screen"
journaled '"kind":"lock"' "the lock is journaled"
# Decided, it leaves the screen after clear_after, with what was typed.
keys F7
wait_for "Logged #[0-9]*: 豫D10008 hold" "logged"
wait_for "Personal data cleared" "a decided truck leaves after clear_after"
wait_for "Scan a pass code" "the screen is clear"
keys Up
wait_for "Query ▶ *$" "and Up recalls nothing"
# A green truck is put away with Esc at once, and said.
check 豫D10001 "\[G\]" "a green truck"
keys Escape
wait_for "豫D10001 put away without logging" "Esc puts a green truck away, and says so"
[ "$(logged_lines 'put away, not logged: 豫D10001')" -eq 1 ] && ok || bad "the log names it"
finish

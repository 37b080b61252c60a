# Officers sign in with a PIN; a wrong one is refused; the lane locks when
# idle; every sign-in and lock is journaled.
. "$(dirname "$0")/lib.sh"
demo
printf '2468\n' | "$G" officer add 0417 张警官 >/dev/null && ok || bad "officer add"
"$G" officer list | grep -q "0417	张警官" && ok || bad "officer list"
config '[ui]\nlock_after = 3\n'
launch
wait_for "Officer sign-in" "with officers registered, the lane starts locked"
keys -l 0417; keys Tab; keys -l 1111; keys Enter
wait_for "Wrong officer ID or PIN (1)" "a wrong PIN is refused"
keys -l 0417; keys Tab; keys -l 2468
not_on_screen 2468 "the PIN is never shown"
keys Enter
wait_for "Signed in: 0417 张警官" "the right PIN signs in"
wait_for "officer 0417" "the status bar names the officer"
check 豫D10001 "\[G\]" "a truck after sign-in"
keys Up
wait_for "Query ▶ 豫D10001" "Up recalls what was typed"
keys C-u
wait_for "Officer sign-in" "idle for lock_after: the screen locks"
keys -l 0417; keys Tab; keys -l 2468; keys Enter
wait_for "1 undecided truck(s) kept" "the truck waited behind the lock"
keys Up
wait_for "Query ▶ *$" "what was typed was forgotten at the lock"
journaled '"kind":"sign_in_failed"' "a failed sign-in is journaled"
journaled '"kind":"sign_in".*"officer":"0417"' "a sign-in is journaled"
journaled '"kind":"lock"' "the lock is journaled"
keys F10
wait_for "Quit anyway" "quitting with the undecided truck asks"
keys y
wait_for "EXITED 0" "and quits"
launch
wait_for "Officer sign-in" "locked at the start again"
keys F10
wait_for "EXITED 0" "F10 quits from the sign-in screen"
finish

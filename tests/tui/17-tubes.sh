# Tube numbers have a shape, and a tube used at this lane is refused with the
# record that used it; a landing test (Ctrl-E) counts at once.
. "$(dirname "$0")/lib.sh"
demo
TOKEN=$(token_of 豫D10001)
start
check 豫D10003 "\[S\]" "a truck to sample"
keys F6
wait_for "Scan the sample tube" "F6 asks for the tube"
keys -l x; keys Enter
wait_for "4 to 24 letters, digits or hyphens" "'x' is no tube"
keys C-u; keys -l "$TOKEN"; keys Enter
wait_for "too long for a tube number" "a pass code is no tube"
keys C-u; keys -l 410402196501010003; keys Enter
wait_for "is an ID number, not a tube number" "an ID card is no tube"
screen | grep "is an ID number" | grep -q "410402\*\*\*\*\*\*\*\*0003" && ok || bad "the message shows it masked"
keys C-u; keys -l pds-0001; keys Enter
wait_for "Logged #1: 豫D10003 sample" "a tube logs"
journaled '"tube":"PDS-0001"' "in capitals"
check 豫D10024 "LANDING_TEST_DUE" "a landing test due"
wait_for "Ctrl-E records it" "says what to do"
keys C-e
wait_for "Landing test: scan the tube" "Ctrl-E asks for the tube"
keys -l PDS-0001; keys Enter
wait_for "tube PDS-0001 was used already: record #1 (豫D10003" "a used tube is refused with its record"
keys C-u; keys -l LT-0001; keys Enter
wait_for "Logged #2: landing test — 豫D10024 checked again" "journaled, and checked again"
wait_for "LANDING_TEST_DONE" "the landing test counts at once"
wait_gone "LANDING_TEST_DUE" "no longer due"
wait_for "· landing test" "the crew line says it was here"
journaled '"kind":"landing_test".*"tube":"LT-0001"' "the landing test's tube"
check 豫D10024 "LANDING_TEST_DONE" "checked again later: still done"
finish

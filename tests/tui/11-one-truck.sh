# One truck is everything scanned for it: a plate, a pass and ID numbers in
# any order are checked together, as `greenlane verify` checks them.
. "$(dirname "$0")/lib.sh"
demo
TOKEN1=$(token_of 豫D10001)
D2=$(driver_of 豫D10002)
start
# A plate, then another truck's pass: the pass is for another plate.
check 豫D10002 "\[P\]" "a plate"
scan "$TOKEN1"
wait_for "PASS_PLATE_MISMATCH" "plate + another truck's pass code: PASS_PLATE_MISMATCH"
wait_for "\[H\]  拦截劝返" "a hold"
not_on_screen "Waiting" "one truck, not two"
"$G" verify 豫D10002 "$TOKEN1" >/dev/null 2>&1; [ $? -eq 4 ] && ok || bad "verify agrees: hold"
keys F7; wait_for "Logged #1" "the hold is logged"
journaled '"verdict":"hold".*"PASS_PLATE_MISMATCH"' "as the hold that was shown"
# The other order: the pass first, then the plate.
clear_lane; scan "$TOKEN1"
wait_for "\[G\]" "a pass code alone names its truck"
scan 豫D10002
wait_for "PASS_PLATE_MISMATCH" "pass then another plate: the same mismatch"
# An ID number joins the truck on screen; the trip's own driver is no swap.
check 豫D10001 "\[G\]" "a truck"
scan 410402196501010003
wait_for "Scanned already\|\[G\]" "its own driver"
not_on_screen "CREW_NOT_ON_TRIP" "the trip's own driver is no swap"
# A driver of another trip, scanned as crew: a driver swap, with its reason.
scan "$D2"
wait_for "CREW_NOT_ON_TRIP" "another trip's driver: CREW_NOT_ON_TRIP"
wait_for "not on the current trip's crew" "with its reason in words"
wait_for "\[C\]  人工核查" "and never better than check"
not_on_screen "Waiting" "still one truck"
# The same plate again is the same truck.
scan 豫D10001
wait_for "Scanned already for 豫D10001" "a scan twice says so"
finish

# An on-the-spot registration (Ctrl-R), prefilled from the trip, counts at
# this lane at once: the truck is checked again and is registered; verify
# says the same.
. "$(dirname "$0")/lib.sh"
demo
start
check 豫D10005 "NOT_REGISTERED" "a truck with no registered trip"
wait_for "Ctrl-R registers on the spot" "says what to do"
keys C-r
wait_for "Register on the spot (1/3)" "Ctrl-R opens the registration"
wait_for "│ 410102 " "the origin is the trip's"
keys C-u; keys -l "4101"; keys Enter
wait_for "6-digit code" "a bad region is refused in the prompt"
wait_for "│ 4101 " "with the text kept"
keys C-u; keys -l 410102; keys Enter
wait_for "(2/3)" "destination next"
wait_for "│ 410421 " "prefilled from the trip"
keys Enter
wait_for "(3/3)" "reception point next"
wait_for "│ 6号卸货区 " "prefilled from the trip"
keys Enter
wait_for "Logged #1: registration — 豫D10005 checked again: Green channel" "journaled, and checked again at once"
wait_gone "NOT_REGISTERED" "no longer NOT_REGISTERED"
wait_for "registered here #1" "the trip says where it was registered"
journaled '"kind":"registration".*"origin_region":"410102".*"reception_point":"6号卸货区"' "the registration's fields"
journaled '"kind":"registration".*"plate":"豫D10005"' "and its plate"
"$G" verify 豫D10005 >/dev/null 2>&1; [ $? -eq 0 ] && ok || bad "verify counts the registration too"
# A registration needs a vehicle.
check 410402199001010019 "\[C\]" "an ID alone"
keys C-r
wait_for "A registration is for a vehicle" "Ctrl-R on no vehicle says why"
finish

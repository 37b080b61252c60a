# The province picker types its character into the field; Up recalls what
# was typed.
. "$(dirname "$0")/lib.sh"
demo
start
keys F2
wait_for "Province" "F2 opens the province picker"
wait_for "京   津   冀" "with the 31 characters"
keys Right Enter
wait_gone "Province — arrows" "Enter closes the picker"
wait_for "Query ▶ 鄂" "Enter puts the picked character in the field"
keys BSpace
keys F2; wait_for "Province" "picker again"; keys Enter
keys -l "D10001"; keys Enter
wait_for "豫D10001" "the picked province starts the plate"
keys Up
wait_for "Query ▶ 豫D10001" "Up recalls the last input"
keys Down
wait_for "Query ▶ *$" "Down past the last clears the field"
finish

# A bad scan keeps the truck and the text, marked; every printable character
# is text (a pass code inside a URL has '?'); help is F1, and '?' only on an
# empty field.
. "$(dirname "$0")/lib.sh"
demo
TOKEN=$(token_of 豫D10001)
start
check 豫D10001 "\[G\]" "a truck"
scan 410402196501010004
wait_for "check character is wrong" "an ID with a wrong check character says why"
wait_for "✗ Query ▶ 410402196501010004" "the text stays in the field, marked"
wait_for "\[G\]  绿色通道" "the truck stays on screen"
not_on_screen "Waiting" "and is still one truck"
# Correcting it: the cursor keys keep the text; Backspace and a digit fix it.
keys BSpace; keys -l 3; keys Enter
wait_gone "✗ Query" "the corrected ID is taken"
wait_for "\[G\]  绿色通道" "with the truck: its own driver"
not_on_screen "Waiting" "one truck still"
# The next scan after a refused one replaces the refused text.
scan 豫D1000O
wait_for "✗ Query ▶ 豫D1000O" "a refused plate, marked"
scan 豫D10002
wait_for "Waiting 2:" "the next scan replaced it and made a truck"
wait_for "▶豫D10002" "on screen"
# '?' in a pass code's URL is text, and the code is read.
clear_lane
keys -l "https://pass.example/v?t=$TOKEN"
not_on_screen "greenlane — help" "'?' in the field is text, not help"
keys Enter
wait_for "signature ok" "a pass code inside a URL is scanned"
# '?' on an empty field, and F1, open the help.
keys C-u; keys -l "?"
wait_for "greenlane — help" "'?' on an empty field opens help"
keys Escape; keys F1
wait_for "greenlane — help" "F1 opens help"
keys Escape
wait_gone "greenlane — help" "Esc closes it"
finish

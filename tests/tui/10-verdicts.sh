# A verdict of each level, with its reasons and Chinese content; what is
# refused says why; ID numbers masked until F9, which is journaled.
. "$(dirname "$0")/lib.sh"
demo
start
wait_for "PDS-01 in" "the status bar names the checkpoint"
wait_for "unsent 0" "and counts unsent records"
check 豫D10001 "\[G\]  绿色通道  Green channel" "green banner"
wait_for "平顶山市鹰城物流有限公司" "the enterprise, in Chinese"
wait_for "410402\*\*\*\*\*\*\*\*0003" "crew ID masked"
check 豫D10002 "\[P\]  正常通行  Pass" "pass banner"
check 豫D10003 "\[S\]  即采即走  Sample and go" "sample banner"
check 豫D10005 "\[C\]  人工核查  Manual check" "check banner"
check 豫D10006 "not on the registered route" "route deviation marked in the trip chain"
check 豫D10008 "\[H\]  拦截劝返  Hold" "hold banner"
wait_for "POSITIVE_OR_CONTACT" "the reason code"
# A reason's text never runs into its code: the code has a column of its own.
screen | grep -Eq "[^ ]  +POSITIVE_OR_CONTACT$" && ok || bad "reason and code apart"
check 豫D1000O "I or O" "a mistyped plate says why"
wait_for "✗ Query ▶ 豫D1000O" "and stays in the field, marked"
check 830000198802110027 "UNKNOWN_DRIVER" "a Taiwan resident's permit is an ID number"
not_on_screen "malformed\|province code" "not refused as malformed"
check 410402199001010019 "\[C\]" "an unknown driver alone"
wait_for "410402\*\*\*\*\*\*\*\*0019" "the banner shows the ID masked"
not_on_screen 410402199001010019 "the typed ID is never shown whole"

# --- a scanner in the wrong encoding, or a burst of garbage ---------------------
clear_lane; keys -l "豫D1"; keys -l "$(printf '\377\3760001')"
wait_for "not UTF-8 and was cleared" "bytes that are not UTF-8 are refused"
wait_for "Query ▶ *$" "and the fragment left in the field is cleared"
check 豫D10001 "\[G\]" "the next scan works"
clear_lane; keys -l "$(head -c 3000 /dev/zero | tr '\0' A)"; keys Enter
wait_for "AAAA…\"\|AAAA…”" "a 3000-character scan is quoted short"
wait_for "too long" "so that the reason still shows"

# --- full ID numbers only on F9, and that is journaled -------------------------
check 豫D10001 "\[G\]" "a truck"
keys F9
wait_for "410402196501010003" "F9 shows the full ID number"
journaled '"kind":"reveal".*"plate":"豫D10001"' "revealing is journaled"
finish

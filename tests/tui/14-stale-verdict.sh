# No decision on a stale verdict: new data while a truck is on screen is
# checked at once and a change flagged; F5 then only acknowledges it, and
# the journal keeps the verdict the officer was shown.
. "$(dirname "$0")/lib.sh"
demo
start
check 豫D10001 "\[G\]  绿色通道" "green on the data as it was"
# The pass is revoked (an import here; the centre's feed in 15-centre).
"$G" verify --json 豫D10001 | sed -n 's/^	"pass":	\(.*\)$/\1/p' > /dev/null
printf '{"kind":"pass","op":"put","key":"410402000000","data":{"pass_no":"410402000000","plate":"豫D10001","enterprise_id":"E000001","origin_region":"410102","dest_region":"410402","valid_from":"2022-01-01T00:00:00+08:00","valid_to":"2099-01-01T00:00:00+08:00","revoked":true}}\n' > "$T/revoke.ndjson"
"$G" import "$T/revoke.ndjson" >/dev/null 2>&1 || bad "import the revocation"
wait_for "PASS_REVOKED" "the change is on screen at once"
wait_for "⚠ VERDICT CHANGED" "marked changed"
wait_for "changed: Green channel → Manual check" "and said"
keys F5
wait_for "look again, then press the key again" "F5 only acknowledges the change"
[ "$("$G" export --csv | wc -l)" -eq 1 ] && ok || bad "nothing logged by the first F5"
keys F5
wait_for "Logged #1" "the second F5 logs"
journaled '"verdict":"check","reasons":\[{"code":"PASS_REVOKED"' "the verdict shown: check, PASS_REVOKED"
journaled '"first_scan_at":' "and when the truck's first scan came"
# The other direction: an enterprise restored turns pass into green.
printf '{"kind":"enterprise","op":"put","key":"E000001","data":{"id":"E000001","name":"平顶山市鹰城物流有限公司","sector":"transport","region":"410411","whitelisted":true,"status":"%s"}}\n' suspended > "$T/ent.ndjson"
"$G" import "$T/ent.ndjson" >/dev/null 2>&1
check 豫D10011 "ENTERPRISE_SUSPENDED" "a suspended enterprise's truck"
wait_for "\[P\]  正常通行" "gets pass"
sed -i 's/suspended/active/' "$T/ent.ndjson"
"$G" import "$T/ent.ndjson" >/dev/null 2>&1
wait_for "\[G\]  绿色通道" "restored: green at once"
wait_for "⚠ VERDICT CHANGED" "marked changed"
keys F5
wait_for "press the key again" "acknowledged first"
keys F5
wait_for "Logged #2" "then logged"
journaled '"seq":2,.*"verdict":"green"' "as green, what was shown"
# A change while the officer answers a prompt: nothing is logged.
check 豫D10003 "\[S\]" "a truck to sample"
keys F6
wait_for "Scan the sample tube" "F6 asks for the tube"
printf '{"kind":"intercept","op":"put","key":"I-T1","data":{"id":"I-T1","target":"plate","value":"豫D10003","reason":"协查","since":"2022-01-01T00:00:00+08:00","cleared":false}}\n' > "$T/icpt.ndjson"
"$G" import "$T/icpt.ndjson" >/dev/null 2>&1
wait_gone "Scan the sample tube" "a change closes the question about the old verdict at once"
wait_for "NOT logged: the verdict changed to Hold" "and says nothing was logged"
keys -l PDS-0009; keys Enter   # what the officer was typing goes to the field, not to a tube
wait_for "INTERCEPT" "and the new verdict is shown"
[ "$("$G" export --csv | grep -c PDS-0009)" -eq 0 ] && ok || bad "no record with that tube"
finish

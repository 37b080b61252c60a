#!/bin/sh
# The demo's trucks, each with the verdict and reason it is built for;
# crew swaps, residence permits, pass codes; every reason code occurs; the
# data's age.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "demo" -- "$G" demo --no-tui --at $AS_OF
expect_in "$T/err" "0 refused" "the demo's signed policy is accepted"
check 豫D10001 0 LANDING_TEST_DONE
check 豫D10002 1 PASS_MISSING
check 豫D10003 2 NAT_EXPIRED
check 豫D10004 2 HEALTH_CODE_YELLOW
check 豫D10004 2 NAT_MISSING
check 豫D10004 2 ENTERPRISE_SUSPENDED
check 豫D10005 3 NOT_REGISTERED
check 豫D10006 3 ROUTE_DEVIATION
check 豫D10007 4 INTERCEPT
check 豫D10008 4 POSITIVE_OR_CONTACT
check 豫D10009 4 HEALTH_CODE_RED
check 豫D10010 0 WHITELIST_PROTECTED
check 豫D10011 0 TRANSIT_THROUGH_RISK
check 豫D10012 1 RISK_ORIGIN_CLOSED_LOOP
check 豫D10013 1 ENTERPRISE_SUSPENDED
check 豫D10014 1 PASS_EXPIRED
check 豫D10015 3 PASS_REVOKED
check 豫D10016 3 TRIP_CLOSED
check 豫D10018 3 CREW_UNKNOWN
check 豫D10019 3 UNKNOWN_DRIVER
check 豫DD10020 0 ""
check 豫D2001挂 0 ""
expect_in "$T/out" '"plate":	"豫D10021"' "a trailer's plate finds its tractor"
check 粤B10022 0 TRANSIT_THROUGH_RISK
check 豫D10023 4 INTERCEPT
check 豫D10024 0 LANDING_TEST_DUE
check 藏Z99999 3 UNKNOWN_VEHICLE
check 410421196501020008 3 RISK_ORIGIN_NO_TRIP 豫D10017
check 410402199001010019 3 UNKNOWN_DRIVER 豫D10001
# A driver of another truck's trip scanned with this plate: a driver swap is what the closed loop catches.
D2=$("$G" verify --json $AT 豫D10002 | sed -n 's/.*"id_no":	"\([0-9X]*\)".*/\1/p' | head -n 1)
check "$D2" 3 CREW_NOT_ON_TRIP 豫D10001
check 410402196501010003 0 "" 豫D10001
expect_not_in "$T/out" CREW_NOT_ON_TRIP "the trip's own driver is no swap"
# Residence permits of Hong Kong, Macao and Taiwan residents are ID numbers.
check 830000198802110027 3 UNKNOWN_DRIVER
check 810000200001010014 3 UNKNOWN_DRIVER
check "豫D·10001" 0 "" 
expect_exit 65 "no province and none configured" -- "$G" verify $AT d10001
expect_in "$T/err" "province" "the message suggests the province"
check 410402000000 0 ""
expect_in "$T/out" '"kind":	"pass_no"' "a pass number is detected"
check 410402196501010003 0 ""
expect_in "$T/out" '"plate":	"豫D10001"' "an ID alone finds the truck of the person's current trip"

# tokens: the demo pass's own, a forged one, one for another truck, a damaged one
"$G" verify --json $AT 豫D10001 | sed -n 's/.*"token":	"\([^"]*\)".*/\1/p' > "$T/token"
TOKEN=$(cat "$T/token")
[ ${#TOKEN} -gt 100 ] && ok || bad "the demo pass carries a token"
check "$TOKEN" 0 ""
expect_in "$T/out" '"kind":	"pass_token"' "a token is detected"
expect_in "$T/out" '"signature":	"ok"' "the token verifies offline"
check "https://pass.example/q?t=$TOKEN" 0 ""
FORGED=$("$G" demo --forged-token --at $AS_OF)
check "$FORGED" 4 PASS_FORGED
check "$TOKEN" 4 PASS_PLATE_MISMATCH 豫D10002
BROKEN=$(printf '%s' "$TOKEN" | sed 's/.\{20\}$/AAAAAAAAAAAAAAAAAAAA/')
check "$BROKEN" 4 PASS_FORGED
expect_exit 65 "a token cut short" -- "$G" verify $AT "$(printf '%s' "$TOKEN" | cut -c1-120)"
expect_in "$T/err" "corrupt" "says the code is corrupt"

# every reason code and every verdict of DESIGN.md §1 occurs in the demo
"$G" verify --json --at 2022-05-10T11:00:00+08:00 豫D10001 >> "$T/all.json"   # CACHE_AGING
"$G" verify --json --at 2022-05-11T09:00:00+08:00 豫D10001 >> "$T/all.json"   # CACHE_STALE
for c in POSITIVE_OR_CONTACT HEALTH_CODE_RED INTERCEPT PASS_FORGED PASS_PLATE_MISMATCH \
         HEALTH_CODE_YELLOW NAT_MISSING NAT_EXPIRED PASS_MISSING PASS_EXPIRED ENTERPRISE_SUSPENDED \
         NOT_REGISTERED ROUTE_DEVIATION TRIP_CLOSED UNKNOWN_VEHICLE UNKNOWN_DRIVER CACHE_STALE \
         PASS_REVOKED RISK_ORIGIN_NO_TRIP TRANSIT_THROUGH_RISK WHITELIST_PROTECTED LANDING_TEST_DUE \
         LANDING_TEST_DONE CACHE_AGING RISK_ORIGIN_CLOSED_LOOP CREW_UNKNOWN CREW_NOT_ON_TRIP; do
  expect_in "$T/all.json" "\"code\":	\"$c\"" "the demo produces $c"
done
for v in green pass sample check hold; do
  expect_in "$T/all.json" "\"verdict\":	\"$v\"" "the demo produces $v"
done

# time: ageing and stale cache
expect_exit 3 "stale cache" -- "$G" verify --at 2022-05-11T08:00:01+08:00 豫D10001
expect_in "$T/out" CACHE_STALE "stale cache reason"
expect_exit 0 "outbound needs no registration" -- "$G" verify --out $AT 豫D10005
expect_not_in "$T/out" NOT_REGISTERED "outbound"
expect_exit 3 "another checkpoint is off the route" -- "$G" verify --checkpoint PDS-02 $AT 豫D10001
expect_in "$T/out" ROUTE_DEVIATION "route deviation at PDS-02"
finish

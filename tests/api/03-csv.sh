#!/bin/sh
# A county bureau's CSV: merged into the record held (a close contact stays
# one), every enumerated field and reference checked, and any bad row
# cancels the whole file.
. "$(dirname "$0")/lib.sh"
setup
CC=410481196501010009   # the demo's close contact, crew of 豫D10008
field() { sql "select json_extract(data, '$.$2') from record where kind = 'driver' and key = '$1'"; }
[ "$(field $CC status)" = close_contact ] && ok || bad "the demo has its close contact"
NAT=$(field $CC nat_result) LT=$(field $CC landing_test_at)
printf 'id_no,name,phone,transport_whitelist,health_code,itinerary\n%s,曹秋菊,13900000000,是,green,normal\n' $CC > "$T/d.csv"
expect_exit 0 "the county's driver list with the documented columns" -- admin import-csv driver "$T/d.csv"
[ "$(field $CC phone)" = 13900000000 ] && ok || bad "the new phone is taken"
[ "$(field $CC status)" = close_contact ] && ok || bad "the close contact stays a close contact"
[ "$(field $CC nat_result)" = "$NAT" ] && [ "$(field $CC landing_test_at)" = "$LT" ] && ok || bad "the test result and landing test stay"
admin bundle "$T/b.ndjson" 2>/dev/null
sed '1d;$d' "$T/b.ndjson" > "$T/snap.ndjson"   # as a snapshot, without the bundle's signature
expect_exit 0 "the lane takes the centre's data" -- "$G" import --replace "$T/snap.ndjson"
expect_exit 4 "the truck with the close contact is still held" -- "$G" verify 豫D10008
expect_in "$T/out" "POSITIVE_OR_CONTACT" "for the close contact"
# An empty cell leaves the field as it was; a new person starts with status none.
printf 'id_no,phone,health_code\n%s,,yellow\n410402199001010019,13800000001,green\n' $CC > "$T/d2.csv"
expect_exit 0 "an empty cell and a new person" -- admin import-csv driver "$T/d2.csv"
[ "$(field $CC phone)" = 13900000000 ] && [ "$(field $CC health_code)" = yellow ] && ok || bad "an empty cell keeps the value"
[ "$(field 410402199001010019 status)" = none ] && ok || bad "a new person's status is none"

# Values outside each field's list, and references that do not exist.
CUR=$(sql 'select max(seq) from record')
refuse() { # DESCRIPTION KIND CSV-TEXT WHAT-THE-ERROR-SAYS
  printf "$3" > "$T/bad.csv"
  expect_exit 65 "$1" -- admin import-csv "$2" "$T/bad.csv"
  expect_in "$T/err" "$4" "$1: the error says"
}
refuse "health code 红" driver "id_no,health_code\n410402199001010019,green\n$CC,红\n" health_code
refuse "health code Red" driver "id_no,health_code\n$CC,Red\n" "green|yellow|red"
refuse "itinerary 风险" driver "id_no,itinerary\n$CC,风险\n" itinerary
refuse "enterprise status 熔断" enterprise 'id,status\nE000001,熔断\n' "status"
refuse "a sector not in the list" enterprise 'id,sector\nE000001,mining\n' "sector"
refuse "a region that is not a code" enterprise 'id,region\nE000001,郑州\n' "region"
refuse "an unknown enterprise" vehicle 'plate,enterprise_id,relation\n豫D10001,E999999,own\n' "E999999"
refuse "a relation not in the list" vehicle 'plate,relation\n豫D10001,borrowed\n' "relation"
refuse "a column twice" driver "id_no,phone,phone\n$CC,1,2\n" "twice"
refuse "the key not first" driver "phone,id_no\n1,$CC\n" "first column"
refuse "a row naming the row" driver "id_no,health_code\n$CC,green\n$CC,红\n" "row 3"
[ "$(sql 'select max(seq) from record')" = "$CUR" ] && ok || bad "a refused file publishes nothing, not even its good rows"
[ "$(field $CC health_code)" = yellow ] && ok || bad "and changes nothing"

# A county's whole list: rows are merged a batch at a time (1 000), and
# none of that shows.  2 500 new drivers; the close contact three times, in
# the first batch twice and again in the third, each row merged into the
# one before; a bad last row cancels every batch already published.
python3 - "$CC" > "$T/big.csv" <<'PY'
import sys
cc = sys.argv[1]
print("id_no,name,phone,health_code")
def idno(n):
    body = "410402199001%02d%03d" % (1 + n // 1000 % 28, n % 1000)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(a) * b for a, b in zip(body, w)) % 11]
for n in range(2500):
    if n == 10:
        print("%s,,13900000010," % cc)
    if n == 20:
        print("%s,,,green" % cc)
    if n == 2100:
        print("%s,曹秋菊二,," % cc)
    print("%s,司机%d,1380000%04d,green" % (idno(n), n, n))
PY
cp "$T/big.csv" "$T/bigbad.csv"
echo "$CC,,,红" >> "$T/bigbad.csv"
CUR=$(sql 'select max(seq) from record')
expect_exit 65 "a 2 500-row file whose last row is bad" -- admin import-csv driver "$T/bigbad.csv"
expect_in "$T/err" "row 2505" "names the last row"
[ "$(sql 'select max(seq) from record')" = "$CUR" ] && ok || bad "publishes none of its rows, not even earlier batches'"
expect_exit 0 "the same file without it" -- admin import-csv driver "$T/big.csv"
expect_in "$T/out" "imported 2503 rows" "takes every row"
[ "$(sql "select count(*) from record where kind = 'driver' and seq > $CUR")" = 2501 ] && ok || bad "2 500 new drivers and the close contact"
[ "$(field $CC phone)/$(field $CC health_code)/$(field $CC name)/$(field $CC status)" = "13900000010/green/曹秋菊二/close_contact" ] &&
  ok || bad "each row of the close contact merged into the one before: $(field $CC phone)/$(field $CC health_code)/$(field $CC name)/$(field $CC status)"
[ "$(sql "select count(*) from record where kind = 'driver' and json_extract(data, '$.status') = 'none' and seq > $CUR")" = 2500 ] &&
  ok || bad "each new driver's status is none"
finish

#!/bin/sh
# The command centre's figures of a day, from what lanes sent: trucks an
# hour by checkpoint (the day and the one before), the verdicts and
# decisions, time at the lane (p50/p90 by hour, flagged when it grows
# against the day before), the overrides with their reasons and the trucks
# held with why; and what is outstanding: samples with no result after 12
# hours, enterprises suspended.
. "$(dirname "$0")/lib.sh"
setup
serve
printf 'correct horse battery\n' | admin staff add alice >/dev/null
J="$T/jar"
curl -s -c "$J" -o /dev/null --data '{"name":"alice","password":"correct horse battery"}' "$URL/v1/centre/session"

# A terminal's chain of transits: at, first scan, decision, verdict,
# override reason, reasons — on 9 and 10 May 2022 (China Standard Time).
python3 - "$T/batch.json" <<'PY'
import hashlib, json, sys, uuid
rows = []
def tr(at, scan_s, verdict='green', decision='release', cp='PDS-01', reason=None, why=()):
    rows.append((at, scan_s, verdict, decision, cp, reason, why))
for m in (5, 20, 40):
    tr('2022-05-09T10:%02d:00+08:00' % m, 15)
for m in (5, 15, 25, 35):
    tr('2022-05-10T09:%02d:00+08:00' % m, 15)
tr('2022-05-10T10:05:00+08:00', 200)
tr('2022-05-10T10:10:00+08:00', 250, verdict='green', decision='sample', reason='随机抽检 <b>x</b>')
tr('2022-05-10T10:20:00+08:00', 20, verdict='hold', decision='hold', why=('INTERCEPT',))
tr('2022-05-10T10:30:00+08:00', 20, cp='PDS-02')
tr('2022-05-10T10:40:00+08:00', 20, cp='PDS-02', decision='sample', reason='=HYPERLINK("http://x","y")')
tr('2022-05-10T11:00:00+08:00', 20, cp='PDS-02', verdict='check', decision='release', why=('ROUTE_DEVIATION',))
events, prev = [], '0' * 64
for i, (at, scan, verdict, decision, cp, reason, why) in enumerate(rows):
    hh, mm = int(at[11:13]), int(at[14:16])
    t = hh * 3600 + mm * 60 - scan
    first = at[:11] + '%02d:%02d:%02d' % (t // 3600, t % 3600 // 60, t % 60) + at[19:]
    b = {'uuid': str(uuid.uuid4()), 'terminal': 'PDS-01-A', 'seq': i + 1, 'kind': 'transit', 'at': at,
         'checkpoint': cp, 'direction': 'in', 'officer': '0417', 'first_scan_at': first,
         'query': [{'kind': 'plate', 'value': '豫D10001'}], 'plate': '豫D1000%d' % (i % 9 + 1), 'crew': [],
         'verdict': verdict, 'reasons': [{'code': c, 'level': 'hold', 'subject': 'x'} for c in why] +
         [{'code': 'LANDING_TEST_DONE', 'level': 'info', 'subject': 'y'}],
         'decision': decision, 'override': reason is not None,
         'policy': {'id': 'pds-default', 'version': '2022.5.2'}, 'cache_age_s': 0, 'prev_hash': prev}
    if reason is not None:
        b['override_reason'] = reason
    if decision == 'sample':
        b['tube'] = 'TB-F-%d' % i
    body = json.dumps(b, ensure_ascii=False, separators=(',', ':'))
    prev = hashlib.sha256(body.encode()).hexdigest()
    events.append({'body': body, 'hash': prev})
json.dump({'events': events}, open(sys.argv[1], 'w'), ensure_ascii=False)
PY
expect 200 "the lane's transits" -- -H "$A" --data-binary @"$T/batch.json" "$URL/v1/events"
has '"refused":\[\]' "all held"

check() { # DESCRIPTION PYTHON-EXPRESSION over f (the figures)
  if python3 -c "import json,sys; f = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$T/body"; then ok
  else bad "$1"; head -c 600 "$T/body"; echo; fi
}
expect 401 "the figures without a session" -- "$URL/v1/centre/figures?day=2022-05-10"
expect 400 "a day that is not one" -- -b "$J" "$URL/v1/centre/figures?day=2022-13-40"
expect 200 "the figures of 10 May 2022" -- -b "$J" "$URL/v1/centre/figures?day=2022-05-10"
check "PDS-01: 4 trucks at 9:00 and 3 at 10:00 today, 3 at 10:00 yesterday" \
  "[h for h in f['hours'] if h['checkpoint'] == 'PDS-01'][0]['today'][9:11] == [4, 3] and [h for h in f['hours'] if h['checkpoint'] == 'PDS-01'][0]['yesterday'][10] == 3 and sum([h for h in f['hours'] if h['checkpoint'] == 'PDS-01'][0]['today']) == 7"
check "PDS-02: two trucks at 10:00" "[h for h in f['hours'] if h['checkpoint'] == 'PDS-02'][0]['today'][10] == 2"
check "the mix: 6 green released, 2 green sampled, 1 held" \
  "sorted((m['verdict'], m['decision'], m['n']) for m in f['mix']) == [('check', 'release', 1), ('green', 'release', 6), ('green', 'sample', 2), ('hold', 'hold', 1)]"
check "time at the lane at 9:00: p50 and p90 within 20 s, not grown" \
  "[(x['p50'], x['p90'], x['grown']) for x in f['lane_time'] if x['checkpoint'] == 'PDS-01' and x['hour'] == 9] == [(20, 20, False)]"
check "at 10:00 its p90 is over 4 minutes against 20 s yesterday: grown" \
  "[(x['p90'], x['p90_yesterday'], x['grown']) for x in f['lane_time'] if x['checkpoint'] == 'PDS-01' and x['hour'] == 10] == [(300, 20, True)]"
check "the overrides, the newest first, with their reasons as written" \
  "[(o['plate'], o['verdict'], o['decision'], o['reason']) for o in f['overrides']] == [('豫D10003', 'green', 'sample', '=HYPERLINK(\"http://x\",\"y\")'), ('豫D10009', 'green', 'sample', '随机抽检 <b>x</b>')]"
check "the truck held, with why (not the merely informative)" \
  "[(x['decision'], x['why']) for x in f['held']] == [('hold', ['INTERCEPT'])]"

# What is outstanding: the sample with no result yet, the enterprise suspended.
CSRF=$(curl -s -b "$J" "$URL/v1/centre/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
act() { curl -s -o "$T/body" -w '%{http_code}' -b "$J" -H "X-CSRF-Token: $CSRF" --data "$2" "$URL/v1/centre/actions/$1"; }
expect 200 "what is outstanding" -- -b "$J" "$URL/v1/centre/in-force"
check "the samples of 10 May, with no result after 12 hours" \
  "[(x['tube'], x['checkpoint'], x['plate']) for x in f['open_tubes']] == [('TB-F-8', 'PDS-01', '豫D10009'), ('TB-F-11', 'PDS-02', '豫D10003')] and f['open_tube_hours'] == 12"
check "the demo's suspended enterprises, not E000001" "'E000007' in [m['id'] for m in f['meltdowns']] and 'E000001' not in [m['id'] for m in f['meltdowns']]"
[ "$(act test-result '{"tube":"TB-F-8","result":"negative"}')" = 200 ] && ok || bad "its result recorded: $(cat "$T/body")"
[ "$(act enterprise-suspend '{"id":"E000001"}')" = 200 ] && ok || bad "a meltdown: $(cat "$T/body")"
expect 200 "what is outstanding now" -- -b "$J" "$URL/v1/centre/in-force"
check "that sample is no longer outstanding" "[x['tube'] for x in f['open_tubes']] == ['TB-F-11']"
check "the enterprise suspended is listed" "'E000001' in [m['id'] for m in f['meltdowns']]"
[ "$(act enterprise-restore '{"id":"E000001"}')" = 200 ] && ok || bad "restored"
expect 200 "and after its restoration" -- -b "$J" "$URL/v1/centre/in-force"
check "it is no longer listed" "'E000001' not in [m['id'] for m in f['meltdowns']] and 'E000007' in [m['id'] for m in f['meltdowns']]"

# The daily report as CSV: the same figures, each section with its header;
# a cell a spreadsheet would take for a formula is made text.
expect 401 "the report without a session" -- "$URL/v1/centre/report.csv?day=2022-05-10"
expect 200 "the report of 10 May 2022 as CSV" -- -b "$J" "$URL/v1/centre/report.csv?day=2022-05-10"
grep -qi '^Content-Type: text/csv; charset=utf-8' "$T/headers" && ok || bad "as CSV"
grep -qi '^Content-Disposition: attachment; filename="greenlane-2022-05-10.csv"' "$T/headers" && ok || bad "a download named by its day"
head -c 3 "$T/body" | od -An -tx1 | grep -q 'ef bb bf' && ok || bad "with a BOM, for spreadsheets"
has '"transits","PDS-01","9","4","0"' "PDS-01's trucks at 9:00"
has '"transits","PDS-01","10","3","3"' "and at 10:00, beside yesterday's"
has '"mix","green","sample","2"' "the mix"
has '"lane_time","PDS-01","10","300","300","20","yes"' "time at the lane, grown"
has "\"override\",\"2022-05-10T10:40:00+08:00\",\"PDS-01-A\",\"PDS-02\",\"豫D10003\",\"green\",\"sample\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" \
  "a reason that reads as a formula is made text, its quotes doubled"
has '"held","2022-05-10T10:20:00+08:00","PDS-01-A","PDS-01","豫D10001","hold","hold","INTERCEPT"' "the truck held, and why"
python3 -c 'import csv,sys; list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))' "$T/body" && ok || bad "a CSV reader takes it"
expect 400 "a report of a day that is not one" -- -b "$J" "$URL/v1/centre/report.csv?day=tomorrow"

# The closed loop: a trip two hours past its eta with no arrival, its truck
# last seen at a checkpoint since it departed; one whose truck was never
# seen; one that arrived; and the day's transit off its route.
python3 - > "$T/trips.ndjson" <<'PY'
import json
def trip(i, plate, status, eta):
    return {'kind': 'trip', 'op': 'put', 'key': 'T-LOOP-%d' % i, 'data': {
        'id': 'T-LOOP-%d' % i, 'plate': plate, 'crew': [], 'origin': {'region': '410102', 'place': '郑州'},
        'destination': {'region': '410402', 'enterprise_id': 'E000001', 'reception_point': '2号卸货区'},
        'via': [], 'route': ['PDS-01'], 'depart_at': '2022-05-10T08:00:00+08:00', 'eta': eta, 'status': status,
        'registered': True}}
for t in (trip(1, '豫D10001', 'en_route', '2022-05-10T12:00:00+08:00'),
          trip(2, '豫D19999', 'planned', '2022-05-10T12:00:00+08:00'),
          trip(3, '豫D10002', 'arrived', '2022-05-10T12:00:00+08:00')):
    print(json.dumps(t, ensure_ascii=False))
PY
admin import "$T/trips.ndjson" >/dev/null || bad "the trips imported"
sleep 3   # the figures are made again after 2 s
expect 200 "the figures with the loop" -- -b "$J" "$URL/v1/centre/figures?day=2022-05-10"
check "the trip overdue whose truck entered: last seen at PDS-01 at 10:20" \
  "[(o['plate'], o['seen_checkpoint'], o['seen_at']) for o in f['overdue'] if o['trip'] == 'T-LOOP-1'] == [('豫D10001', 'PDS-01', 1652149200)]"
check "the trip overdue whose truck was never seen" \
  "[(o['plate'], o['seen_at']) for o in f['overdue'] if o['trip'] == 'T-LOOP-2'] == [('豫D19999', None)]"
check "not the trip that arrived" "'T-LOOP-3' not in [o['trip'] for o in f['overdue']] and f['overdue_margin_s'] == 7200"
check "the transit off its route" "[(o['checkpoint'], o['plate']) for o in f['off_route']] == [('PDS-02', '豫D10004')]"
expect 200 "the report as CSV, with the loop" -- -b "$J" "$URL/v1/centre/report.csv?day=2022-05-10"
has '"overdue","T-LOOP-1","豫D10001","en_route","2022-05-10T12:00:00+08:00","410402 2号卸货区","2022-05-10T10:20:00+08:00","PDS-01"' \
  "the overdue trip and where its truck was last seen"
has '"overdue","T-LOOP-2","豫D19999","planned","2022-05-10T12:00:00+08:00","410402 2号卸货区","",""' "the one never seen"
has '"off_route","2022-05-10T11:00:00+08:00","PDS-01-A","PDS-02","豫D10004"' "the transit off its route"

expect 200 "the figures of a day with nothing" -- -b "$J" "$URL/v1/centre/figures?day=2021-01-01"
check "nothing at all" "f['hours'] == [] and f['mix'] == [] and f['lane_time'] == [] and f['overrides'] == []"

finish

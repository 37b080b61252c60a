# A snapshot cut part-way, while a pass is revoked and an enterprise
# suspended at the centre: the lane resumes, and the changes since the first
# part's cursor are applied before the data is used.  No change is lost.
. "$(dirname "$0")/lib.sh"
snapshot_file
# The two records that change while the lane waits, as the centre sends them later.
PASS=$(grep '"kind":"pass"' "$T/snapshot.ndjson" | grep '"plate":"豫D10001"' | head -n 1)
ENT=$(grep '"kind":"enterprise"' "$T/snapshot.ndjson" | grep '"key":"E000001"')
[ -n "$PASS" ] && [ -n "$ENT" ] && ok || { bad "the demo has 豫D10001's pass and E000001"; finish; }
printf '[%s,%s]\n' "$(printf '%s' "$PASS" | sed 's/"revoked":false/"revoked":true/')" \
  "$(printf '%s' "$ENT" | sed 's/"status":"active"/"status":"suspended"/')" > "$T/changed.json"
# Cut after every record of those kinds (kinds come in order), before the end.
CUT=$(grep -n '"kind":"risk_area"\|"kind":"trip"' "$T/snapshot.ndjson" | tail -n 1 | cut -d: -f1)
fake resume "$CUT" "$T/changed.json"
expect_exit 0 "a snapshot resumed after a break" -- "$G" sync --once
expect_in "$T/out" "(resumed)" "it was resumed"
expect_exit 3 "the pass revoked meanwhile is revoked at the lane" -- "$G" verify 豫D10001
expect_in "$T/out" PASS_REVOKED "PASS_REVOKED"
expect_in "$T/out" ENTERPRISE_SUSPENDED "and the enterprise suspended meanwhile is suspended"
[ "$(requests 'GET /v1/changes?since=')" -ge 1 ] && ok || bad "the changes since the first part were asked for"
expect_exit 0 "the next round" -- "$G" sync --once
expect_in "$T/out" "pulled: 0 changes" "finds nothing more: the cursor is the centre's"
# A centre that does not say where the first part began: the resumed data is not used.
rm -rf "$GREENLANE_HOME"
fake resume-nohead "$CUT" "$T/changed.json"
expect_exit 69 "a resumed snapshot that cannot be made consistent" -- "$G" sync --once
expect_in "$T/err" "cannot be made consistent" "says why"
[ ! -e "$GREENLANE_HOME/cache.db" ] && ok || bad "and installs nothing"
[ ! -e "$GREENLANE_HOME/snapshot.ndjson.part" ] && ok || bad "and leaves no partial file"
finish

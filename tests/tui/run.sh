#!/bin/sh
# Screen tests of the real lane interface in tmux: a pinned environment
# (LANG=C.UTF-8, TZ=Asia/Shanghai, 100×30), keys by send-keys, the screen by
# capture-pane, polling until it matches — never a fixed sleep.  Prints
# "tui: N passed, M failed" last.
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v tmux >/dev/null || { echo "tui: tmux is needed (apt-get install tmux)"; echo "tui: 0 passed, 1 failed"; exit 1; }
T=$(mktemp -d /tmp/greenlane-tui.XXXXXX)
SOCK="greenlane-tui-$$"
export GREENLANE_HOME="$T/home" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 TZ=Asia/Shanghai
unset LC_ALL LC_MESSAGES LANGUAGE NO_COLOR
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }
tm() { tmux -L "$SOCK" "$@"; }
# The greenlane process of the lane pane: the pane shell's child (env execs it).
lane_pid() { pgrep -P "$(tm list-panes -t lane -F '#{pane_pid}')" | head -n 1; }
cleanup() { tm kill-server 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

# A session that lives for the whole run, so that killing the lane's session
# never stops the tmux server while the next one is being started.
tm -f /dev/null new-session -d -s keep "sleep 3600"

# start [VAR=value ...]: the interface in a fresh 100×30 window.
start() {
  tm kill-session -t lane 2>/dev/null
  tm -f /dev/null new-session -d -x 100 -y 30 -s lane \
    "env $* '$G' tui 2>'$T/stderr'; echo \"EXITED \$?\"; sleep 600"
  wait_for "Scan a pass code\|扫描通行证" "the lane screen opens"
}
screen() { tm capture-pane -p -t lane "$@"; }
# wait_for PATTERN DESCRIPTION: polls the screen for up to 10 s.
wait_for() {
  i=0
  while [ $i -lt 200 ]; do
    screen > "$T/screen"
    if grep -q -- "$1" "$T/screen"; then ok; return 0; fi
    sleep 0.05; i=$((i + 1))
  done
  bad "$2: the screen never showed '$1'"; sed 's/^/  | /' "$T/screen"; return 1
}
wait_gone() {
  i=0
  while [ $i -lt 200 ]; do
    screen > "$T/screen"
    if ! grep -q -- "$1" "$T/screen"; then ok; return 0; fi
    sleep 0.05; i=$((i + 1))
  done
  bad "$2: '$1' stayed on screen"; return 1
}
keys() { tm send-keys -t lane "$@"; }
check() { # query pattern description
  keys Escape Escape; keys -l "$1"; keys Enter
  wait_for "$2" "$3"
}

"$G" demo --no-tui >/dev/null 2>&1 || { echo "tui: the demo could not be built"; exit 1; }
TOKEN=$("$G" verify --json 豫D10001 | sed -n 's/.*"token":	"\([^"]*\)".*/\1/p')

# --- a verdict of each level, with Chinese content -----------------------
start
wait_for "PDS-01 in" "status bar names the checkpoint"
wait_for "unsent 0" "status bar counts unsent records"
# Reads that found the cache damaged leave a mark; the status bar says so.
touch "$GREENLANE_HOME/cache.db.damaged"
check 豫D10001 "data damaged: next sync rebuilds" "the status bar says the data is damaged"
rm -f "$GREENLANE_HOME/cache.db.damaged"
check 豫D10001 "\[G\]  绿色通道  Green channel" "green banner"
wait_gone "data damaged" "and stops saying so once the mark is gone"
wait_for "平顶山市鹰城物流有限公司" "the enterprise, in Chinese"
wait_for "410402\*\*\*\*\*\*\*\*0003" "crew ID masked"
check 豫D10002 "\[P\]  正常通行  Pass" "pass banner"
check 豫D10003 "\[S\]  即采即走  Sample and go" "sample banner"
check 豫D10005 "\[C\]  人工核查  Manual check" "check banner"
check 豫D10006 "not on the registered route" "route deviation marked in the trip chain"
check 豫D10008 "\[H\]  拦截劝返  Hold" "hold banner"
wait_for "POSITIVE_OR_CONTACT" "the reason code"
check 豫D1000O "I or O" "a mistyped plate says why"

# --- enterprises are kept in memory; a change to one is seen at the next check -------------
loads() { grep -c "enterprises loaded into memory" "$GREENLANE_HOME/greenlane.log" || true; }
[ "$(loads)" -ge 1 ] && ok || bad "the lane keeps the enterprises in memory"
ent() { # status: E000001 (豫D10001's enterprise) put with that status
  printf '{"kind":"enterprise","op":"put","key":"E000001","data":{"id":"E000001","name":"平顶山市鹰城物流有限公司","sector":"transport","region":"410411","whitelisted":true,"status":"%s"}}\n' "$1" > "$T/ent.ndjson"
  "$G" import "$T/ent.ndjson" >/dev/null 2>&1 || bad "import of E000001 $1"
}
n=$(loads)
ent suspended
check 豫D10001 "ENTERPRISE_SUSPENDED" "a suspension imported under a running lane counts at once"
i=0; until [ "$(loads)" -gt "$n" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
[ $i -lt 100 ] && ok || bad "the lane loads the enterprises again when idle"
check 豫D10002 "\[P\]" "another truck"
check 豫D10001 "ENTERPRISE_SUSPENDED" "and still after the lane reloaded them"
ent active
check 豫D10001 "\[G\]  绿色通道" "lifting it counts at once too"

# --- scanner burst: a whole token typed at once, then Enter ---------------
keys Escape Escape; keys -l "$TOKEN"; keys Enter
wait_for "signature ok" "a scanned token arrives whole and verifies"
wait_for "\[G\]" "and gives the green channel"

# --- a scanner in the wrong encoding, or a burst of garbage ---------------------
keys Escape Escape; keys -l "豫D1"; keys -l "$(printf '\377\3760001')"
wait_for "not UTF-8 and was cleared" "bytes that are not UTF-8 are refused"
wait_for "Query ▶ *$" "and the fragment left in the field is cleared"
check 豫D10001 "\[G\]" "the next scan works"
keys Escape Escape; keys -l "$(head -c 3000 /dev/zero | tr '\0' A)"; keys Enter
wait_for "AAAA…\"" "a 3000-character scan is quoted short"
wait_for "too long" "so that the reason still shows"

# --- an ID number typed alone: masked in the banner too, whole only after F9 -------
check 410402199001010019 "\[C\]" "an unknown driver alone"
wait_for "410402\*\*\*\*\*\*\*\*0019" "the banner shows the ID masked"
screen | grep -q 410402199001010019 && bad "the typed ID is shown whole" || ok

# --- province picker --------------------------------------------------------
keys Escape Escape F2
wait_for "Province" "F2 opens the province picker"
wait_for "京   津   冀" "with the 31 characters"
keys Right Enter
wait_gone "Province — arrows" "Enter closes the picker"
wait_for "Query ▶ 鄂" "Enter puts the picked character in the field"
keys BSpace
tm send-keys -t lane F2; wait_for "Province" "picker again"; keys Enter
keys -l "D10001"; keys Enter
wait_for "豫D10001" "the picked province starts the plate"

# --- history ------------------------------------------------------------------
keys Escape Escape Up
wait_for "Query ▶ 豫D10001" "Up recalls the last input"

# --- help, generated from the key table ------------------------------------------
keys Escape Escape F1
wait_for "Lane screen" "F1 opens help"
wait_for "F7 *hold" "help lists the decisions"
keys Escape
wait_gone "Lane screen" "Esc closes help"

# --- decisions: committed before the screen says so; survive kill -9 ----------------
check 豫D10008 "\[H\]" "a hold to decide"
keys F7
wait_for "Logged #1: hold" "F7 logs the hold"
kill -9 "$(lane_pid)"
wait_for "EXITED 137" "killed right after the confirmation"
"$G" export --csv > "$T/csv"
grep -q ",豫D10008,hold,hold," "$T/csv" && ok || { bad "the logged hold survives kill -9"; cat "$T/csv"; }
start
wait_for "unsent 1" "the record is there after a restart"

check 豫D10003 "\[S\]" "a sample to decide"
keys F6
wait_for "Scan the sample tube" "F6 asks for the tube"
keys -l "PDS0001"; keys Enter
wait_for "Logged #2: sample" "sampling is logged with the tube"
check 豫D10008 "\[H\]" "another hold"
keys F5
wait_for "Override: why" "releasing a hold asks for a reason"
keys -l "复核阴性"; keys Enter
wait_for "Logged #3: release" "the override is logged"
"$G" export --jsonl > "$T/jsonl"
grep -q '"override_reason":"复核阴性"' "$T/jsonl" && ok || bad "the override reason is journaled"
grep -q '"tube":"PDS0001"' "$T/jsonl" && ok || bad "the tube is journaled"

# --- revealing IDs is journaled ---------------------------------------------------
check 豫D10001 "\[G\]" "a truck"
keys F9
wait_for "410402196501010003" "F9 shows the full ID number"
"$G" export --jsonl | grep -q '"kind":"reveal"' && ok || bad "revealing is journaled"

# --- registration on the spot and the landing test ----------------------------------
check 豫D10005 "Ctrl-R registers on the spot" "NOT_REGISTERED suggests registering"
keys C-r
wait_for "Register on the spot (1/3)" "Ctrl-R opens the registration"
keys -l "4101"; keys Enter
wait_for "6-digit code" "a bad region code is refused with the reason"
keys C-r; wait_for "(1/3)" "again"; keys -l "410102"; keys Enter
wait_for "(2/3)" "destination next"; keys -l "410402"; keys Enter
wait_for "(3/3)" "reception point next"; keys -l "1号卸货区"; keys Enter
wait_for "Logged #[0-9]*: registration" "the registration is journaled"
check 豫D10024 "Ctrl-E records it" "LANDING_TEST_DUE suggests the landing test"
keys C-e
wait_for "Landing test: scan the tube" "Ctrl-E asks for the tube"
keys -l "LT0001"; keys Enter
wait_for "Logged #[0-9]*: landing_test" "the landing test is journaled"
"$G" export --jsonl > "$T/jsonl"
grep -q '"kind":"registration".*"origin_region":"410102"' "$T/jsonl" && ok || bad "registration fields journaled"
grep -q '"kind":"landing_test".*"tube":"LT0001"' "$T/jsonl" && ok || bad "landing test tube journaled"

# --- trip detail -----------------------------------------------------------------------
check 豫D10006 "\[C\]" "a truck off its route"
keys C-t
wait_for "Trip detail" "Ctrl-T opens the trip"
wait_for "checkpoint PDS-03 二广高速汝州站检查点" "the route's checkpoints by name"
wait_for "origin  郑州市中原区" "the origin"
keys Escape
wait_gone "Trip detail" "Esc goes back"

# --- journal: search and filter ------------------------------------------------------------
keys F3
wait_for "Journal" "F3 opens the journal"
wait_for "豫D10008 *hold" "the logged hold is listed"
keys h
wait_for "verdict H" "h keeps holds only"
wait_gone "豫D10003 *sample" "the sample is filtered out"
keys a /
wait_for "Search the journal" "/ asks what to search"
keys -l "豫D10003"; keys Enter
wait_for "search: 豫D10003" "the search is shown"
wait_gone "豫D10008 *hold" "other trucks are filtered out"
keys Escape
wait_gone "Journal —" "back to the lane"

# --- alerts, acknowledged into the journal ---------------------------------------------------
keys F4
wait_for "INTERCEPT" "F4 lists intercepts"
wait_for "MELTDOWN  E000007 舞钢市钢铁物流有限公司" "and meltdowns"
keys a
wait_for "[0-9]* open" "acknowledging"
keys Escape
"$G" export --jsonl | grep -q '"kind":"ack"' && ok || bad "the acknowledgement is journaled"

# --- shift report, exported for the daily ledger ---------------------------------------------
keys F11
wait_for "Shift report" "F11 opens the report"
wait_for "\[H\] 拦截劝返 Hold *2" "holds counted"
wait_for "#" "an hourly bar chart"
keys e
wait_for "Ledger written" "e exports the ledger"
ls "$GREENLANE_HOME"/ledger-*.csv >/dev/null 2>&1 && ok || bad "the ledger file exists"
grep -q "豫D10003,sample,sample,no,PDS0001" "$GREENLANE_HOME"/ledger-*.csv && ok || bad "the ledger has the sample with its tube"
keys Escape F12
wait_for "State: offline" "F12 shows the sync status"
wait_for "Unsent journal records: [1-9]" "with the unsent count"
keys Escape

# --- quitting with an unlogged truck asks --------------------------------------------
keys F10
wait_for "not logged. Quit anyway" "F10 asks when a verdict is unlogged"
keys n
wait_gone "Quit anyway" "n goes back"
keys F10; wait_for "Quit anyway" "asks again"; keys y
wait_for "EXITED 0" "y quits cleanly"

# --- a new snapshot replaces the cache under a running lane: it is read -----------------------
start
check 豫D10001 "\[G\]" "green on today's data"
swaps=$(grep -c "the cache was replaced" "$GREENLANE_HOME/greenlane.log" || true)
"$G" demo --no-tui --at "$(date -d '2 days ago' '+%Y-%m-%dT%H:%M:%S+00:00' -u)" >/dev/null 2>&1
# The verdict on screen came from the old data; it stays readable and can still be logged
# after the lane has swapped files (its reasons must not point into the closed policy).
i=0; until [ "$(grep -c "the cache was replaced" "$GREENLANE_HOME/greenlane.log")" -gt "$swaps" ] || [ $i -ge 100 ]; do
  sleep 0.05; i=$((i + 1)); done
[ $i -lt 100 ] && ok || bad "the lane notices the new file within 5 s"
keys F1 Escape
wait_for "\[G\]" "the shown verdict survives the swap"
keys F5
wait_for "Logged #[0-9]*: release" "and is logged after the swap"
# The lane looks at the file once a second: ask again until it answers on the new data.
i=0
while [ $i -lt 20 ]; do
  keys Escape Escape; keys -l 豫D10001; keys Enter
  j=0; while [ $j -lt 20 ] && ! screen | grep -q "CACHE_STALE\|\[G\]"; do sleep 0.05; j=$((j + 1)); done
  screen | grep -q CACHE_STALE && break
  sleep 0.5; i=$((i + 1))
done
wait_for "CACHE_STALE" "the replaced (older) data is used"
"$G" demo --no-tui >/dev/null 2>&1   # today's data again for what follows

# --- SIGTERM: the terminal is restored and the loop quits at once ---------------------------
start
kill -TERM "$(lane_pid)"
wait_for "EXITED 0" "SIGTERM quits cleanly"

# --- resize ---------------------------------------------------------------------------
start
check 豫D10001 "\[G\]" "a verdict before resizing"
tm resize-window -t lane -x 70 -y 20
wait_for "Terminal too small: 70×20" "below 80×24 a clear message"
tm resize-window -t lane -x 120 -y 35
wait_for "\[G\]  绿色通道" "back to size, the verdict again"

# --- colour, and NO_COLOR --------------------------------------------------------------
check 豫D10008 "\[H\]" "hold in colour"
screen -e > "$T/color"
grep -q "$(printf '\033')\[[0-9;]*41m" "$T/color" && ok || bad "the hold banner is red"
start NO_COLOR=1
check 豫D10008 "\[H\]  拦截劝返  Hold" "NO_COLOR: the banner reads the same"
screen -e > "$T/mono"
if grep -q "$(printf '\033')\[[0-9;]*4[1-7]m" "$T/mono"; then bad "NO_COLOR still paints colours"; else ok; fi

# --- Chinese interface -------------------------------------------------------------------
start LANG=zh_CN.UTF-8
wait_for "查询 ▶" "the interface in Chinese"
check 豫D10001 "车辆" "Chinese labels"
wait_for "F5 放行" "Chinese key bar"
keys C-t; wait_for "行程详情" "trip detail in Chinese"; keys Escape
keys F3; wait_for "通行记录 — 本车道" "journal in Chinese"; keys Escape
keys F4; wait_for "预警 — 拦截与熔断" "alerts in Chinese"; keys Escape
keys F11; wait_for "班次报表" "report in Chinese"; keys Escape
keys F12; wait_for "状态：离线" "sync status in Chinese"; keys Escape
keys F1; wait_for "车道主屏" "help in Chinese"; keys Escape

# --- officer sign-in, idle lock, personal data cleared ------------------------------------
printf '2468\n' | "$G" officer add 0417 张警官 >/dev/null && ok || bad "officer add"
"$G" officer list | grep -q "0417	张警官" && ok || bad "officer list"
mkdir -p "$T/config/greenlane"
printf '[ui]\nlock_after = 3\nclear_after = 2\n' > "$T/config/greenlane/config.ini"
tm kill-session -t lane 2>/dev/null
tm -f /dev/null new-session -d -x 100 -y 30 -s lane "env '$G' tui 2>'$T/stderr'; echo \"EXITED \$?\"; sleep 600"
wait_for "Officer sign-in" "with officers registered, the lane starts locked"
keys -l "0417"; keys Tab; keys -l "1111"; keys Enter
wait_for "Wrong officer ID or PIN (1)" "a wrong PIN is refused"
keys -l "0417"; keys Tab; keys -l "2468"; keys Enter
wait_for "Signed in: 0417 张警官" "the right PIN signs in"
wait_for "officer 0417" "the status bar names the officer"
check 豫D10001 "\[G\]" "a truck after sign-in"
wait_for "Personal data cleared" "personal data leaves the screen after clear_after"
wait_gone "410402\*\*\*\*\*\*\*\*0003" "the crew is gone"
keys Up; keys -l "Z"
wait_for "Query ▶ Z" "and Up no longer recalls what was typed"
keys BSpace
wait_for "Officer sign-in" "idle for lock_after: the screen locks"
"$G" export --jsonl > "$T/jsonl"
grep -q '"kind":"sign_in_failed"' "$T/jsonl" && ok || bad "failed sign-in journaled"
grep -q '"kind":"sign_in".*"officer":"0417"' "$T/jsonl" && ok || bad "sign-in journaled"
grep -q '"kind":"lock"' "$T/jsonl" && ok || bad "lock journaled"
keys F10
wait_for "EXITED 0" "F10 quits from the sign-in screen"
rm "$T/config/greenlane/config.ini"

# --- with a centre configured, the lane syncs by itself ------------------------------------
C="$(dirname "$G")/greenlane-central"
if [ -x "$C" ]; then
  # Below the ephemeral range, apart from tests/api's 20000-25999.
  CPORT=$((26000 + $$ % 6000))
  "$C" admin --db "$T/central.db" demo --size 100 >/dev/null 2>"$T/central-admin.err"
  CTOKEN=$("$C" admin --db "$T/central.db" token add LANE-TUI)
  "$C" serve --listen "127.0.0.1:$CPORT" --db "$T/central.db" --log "$T/central.log" &
  CPID=$!
  i=0; until curl -s -o /dev/null "http://127.0.0.1:$CPORT/v1/keys"; do
    sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || { bad "the centre did not start on port $CPORT"; break; }; done
  export GREENLANE_HOME="$T/home2"
  printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-TUI\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\ninterval = 2\n' \
    "$CPORT" "$CTOKEN" > "$T/config/greenlane/config.ini"
  "$G" demo --no-tui >/dev/null 2>&1   # something to start on; the first sync replaces it
  start "GREENLANE_HOME='$GREENLANE_HOME'"   # tmux's sessions take the server's environment
  wait_for "│ online ·" "the lane goes online after its first sync" ||
    { tail -n 20 "$GREENLANE_HOME/greenlane.log" "$T/central.log" | sed 's/^/  | /'; }
  check 豫D10001 "\[G\]" "a truck on the centre's data"
  keys F5
  wait_for "Logged #1" "logged"
  i=0
  until "$C" admin --db "$T/central.db" report | grep -A3 '"LANE-TUI"' | grep -q '"events":	1'; do
    sleep 0.2; i=$((i + 1)); [ $i -lt 75 ] || break
  done
  [ $i -lt 75 ] && ok || bad "the logged truck reaches the centre by itself"
  wait_for "unsent 0" "and the status bar says nothing is unsent"
  kill "$CPID"; wait "$CPID" 2>/dev/null
  keys Escape Escape
  i=0; until screen | grep -q "│ offline ·"; do keys C-l; sleep 0.2; i=$((i + 1)); [ $i -lt 50 ] || break; done
  wait_for "│ offline ·" "with the centre gone the lane says offline, and keeps working"
  check 豫D10002 "\[P\]" "still checking trucks offline"
  keys F10; keys y
  rm "$T/config/greenlane/config.ini"
  export GREENLANE_HOME="$T/home"
else
  bad "greenlane-central is not built beside greenlane"
fi

# --- a record damaged in the cache: check with DATA_DAMAGED, and the decision logs ----------------
tm kill-session -t lane 2>/dev/null
tm -f /dev/null new-session -d -x 100 -y 30 -s lane "env '$G' tui 2>'$T/stderr'; echo \"EXITED \$?\"; sleep 600"
wait_for "Officer sign-in" "the sign-in screen"
keys -l "0417"; keys Tab; keys -l "2468"; keys Enter
wait_for "Scan a pass code" "signed in"
sqlite3 "$GREENLANE_HOME/cache.db" "UPDATE rec SET data = '{\"plate\":' WHERE home = '豫D10005' AND kind = 1"
check 豫D10005 "DATA_DAMAGED" "a truck whose record is damaged: DATA_DAMAGED"
wait_for "\[C\]  人工核查" "and never better than check"
keys F5
wait_for "Logged #" "the officer's decision is logged"
wait_for "data damaged" "the status bar says the data is damaged"
keys F10; keys y

# --- nothing but curses wrote to the terminal ---------------------------------------------
[ ! -s "$T/stderr" ] && ok || { bad "stderr was written while curses owned the terminal"; cat "$T/stderr"; }
[ -s "$GREENLANE_HOME/greenlane.log" ] && ok || bad "the log file is written"
grep -q 410402199001010019 "$GREENLANE_HOME/greenlane.log" && bad "the log file holds a whole ID number" || ok
grep -q "$TOKEN" "$GREENLANE_HOME/greenlane.log" && bad "the log file holds a whole pass token" || ok

echo "tui: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

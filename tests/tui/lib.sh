# lib.sh — what every screen test shares (tmux's regress/, tig's
# test/tools/libtest.sh): a pinned environment (LANG, TZ, a fixed window
# size), the real greenlane in a tmux pane, keys by send-keys, the screen by
# capture-pane, polling until it matches — never a fixed sleep.
#
# A scenario file sources this with the greenlane binary as $1, runs its
# steps and ends with `finish`, which prints "<name>: N passed, M failed".
# Whole screens are compared with golden files (tests/tui/golden/NAME.txt)
# after times, UUIDs and the terminal's random name are normalised;
# UPDATE_GOLDEN=1 writes them instead (then read every one before
# committing it).
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=$(basename "$0" .sh)
command -v tmux >/dev/null || { echo "$NAME: tmux is needed (apt-get install tmux)"; echo "$NAME: 0 passed, 1 failed"; exit 1; }
T=$(mktemp -d /tmp/greenlane-tui.XXXXXX)
SOCK="greenlane-tui-$$"
export GREENLANE_HOME="$T/home" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 TZ=Asia/Shanghai
unset LC_ALL LC_MESSAGES LANGUAGE NO_COLOR
mkdir -p "$T/config/greenlane"
pass=0 fail=0
CPID=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
tm() { tmux -L "$SOCK" "$@"; }
# stop_lane: the lane's session closed, and its greenlane gone: a process
# whose terminal went away must not linger (under LeakSanitizer the exit's
# leak scan has been seen to hang on a vanished terminal, spinning a core).
stop_lane() {
  lp=$(lane_pid 2>/dev/null)
  tm kill-session -t lane 2>/dev/null
  [ -n "$lp" ] || return 0
  k=0; while kill -0 "$lp" 2>/dev/null && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done
  kill -0 "$lp" 2>/dev/null && { printf 'note %s: greenlane %s did not exit within 5 s of losing its terminal: killed\n' "$NAME" "$lp"; kill -9 "$lp"; }
  return 0
}
cleanup() {
  [ -n "$CPID" ] && kill "$CPID" 2>/dev/null
  stop_lane
  tm kill-server 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
# A session that lives for the whole run, so that killing the lane's session
# never stops the tmux server while the next one is being started.
tm -f /dev/null new-session -d -s keep "sleep 3600"

# demo [ARGS]: the deterministic demo data in $GREENLANE_HOME.
demo() { "$G" demo --no-tui "$@" >/dev/null 2>&1 || { bad "the demo could not be built"; finish; }; }

# config TEXT: the lane's config.ini (printf format).
config() { printf "$@" > "$T/config/greenlane/config.ini"; chmod 600 "$T/config/greenlane/config.ini"; }

# launch [WxH] [VAR=value …]: greenlane in a fresh pane (default 100×30),
# not waiting for anything.
launch() {
  size=100x30
  case "${1:-}" in *x*) size=$1; shift ;; esac
  stop_lane
  tm -f /dev/null new-session -d -x "${size%x*}" -y "${size#*x}" -s lane \
    "env GREENLANE_HOME='$GREENLANE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' LANG='$LANG' $* '$G' tui 2>>'$T/stderr'; echo \"EXITED \$?\"; sleep 600"
}
# start [WxH] [VAR=value …]: launch, then wait for the lane screen.
start() {
  launch "$@"
  wait_for "Scan a pass code\|扫描通行证" "the lane screen opens"
}
screen() { tm capture-pane -p -t lane "$@"; }
keys() { tm send-keys -t lane "$@"; }
# scan TEXT: typed (or scanned) into the field, then Enter.
scan() { keys -l "$1"; keys Enter; }
# The greenlane process of the lane pane.
lane_pid() { pgrep -P "$(tm list-panes -t lane -F '#{pane_pid}')" -x greenlane | head -n 1; }

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
  bad "$2: '$1' stayed on screen"; sed 's/^/  | /' "$T/screen"; return 1
}
# not_on_screen PATTERN DESCRIPTION: now, not after waiting.
not_on_screen() {
  screen > "$T/screen"
  if grep -q -- "$1" "$T/screen"; then bad "$2: '$1' is on screen"; sed 's/^/  | /' "$T/screen"; else ok; fi
}
# clear_lane: every truck put away (undecided ones confirmed), the field
# empty: the next scan starts a truck of its own.
clear_lane() {
  i=0
  while [ $i -lt 40 ]; do
    screen > "$T/screen"
    grep -q "Scan a pass code\|扫描通行证" "$T/screen" && return 0
    if grep -q "(y/n)" "$T/screen"; then keys y; else keys C-u Escape; fi
    sleep 0.05; i=$((i + 1))
  done
  bad "the lane could not be cleared"; sed 's/^/  | /' "$T/screen"
}
# check QUERY PATTERN DESCRIPTION: a scan on a clear lane, and what it shows.
check() {
  clear_lane; scan "$1"
  wait_for "$2" "$3"
}

# Times, UUIDs and the terminal's random name differ from run to run.
normalise() {
  sed -E -e 's/\xc2\xa0/ /g' -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+08:00/YYYY-MM-DDThh:mm:ss+08:00/g' \
    -e 's/[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/MM-DD hh:mm/g' \
    -e 's/(^|[^0-9])[0-9]{2}:[0-9]{2}($|[^0-9])/\1hh:mm\2/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
    -e 's/T-[0-9a-f]{12}/T-TERMINAL/g' \
    -e 's/demo-([0-9]+)-[0-9]+/demo-\1-N/g' \
    -e 's/(data|数据|at the lane|已到达|data age|数据时长) [0-9]+ /\1 N /g' \
    -e 's/\([0-9]+ min ago\)/(N min ago)/g' -e 's/[0-9]+ min at the lane/N min at the lane/g' \
    -e 's/在车道 [0-9]+ 分钟/在车道 N 分钟/g' -e 's/(data|数据) [0-9]+ (min old|分钟前)/\1 N \2/g' -e 's/ +$//'
}
# golden FILE DESCRIPTION [SED]: polls until the whole normalised screen
# (further edited by the sed expression SED, if given) is the golden file
# tests/tui/golden/FILE.txt (up to 10 s); a difference fails with the diff.
golden() {
  gf="$HERE/golden/$1.txt" extra=${3:-}
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    sleep 0.5; screen | normalise | sed -E "${extra:-p;d}" | sed 's/ *$//' > "$gf"; ok; return 0
  fi
  [ -f "$gf" ] || { bad "$2: no golden file $gf (UPDATE_GOLDEN=1 writes it)"; return 1; }
  i=0
  while [ $i -lt 200 ]; do
    screen | normalise | sed -E "${extra:-p;d}" | sed 's/ *$//' > "$T/screen"
    if cmp -s "$T/screen" "$gf"; then ok; return 0; fi
    sleep 0.05; i=$((i + 1))
  done
  bad "$2: the screen is not $1.txt"; diff "$gf" "$T/screen" | sed 's/^/  | /' | head -60; return 1
}

# The demo pass token of a plate.
token_of() { "$G" verify --json "$1" | sed -n 's/.*"token":	"\([^"]*\)".*/\1/p'; }
# The first crew member's ID number of a plate's check.
driver_of() { "$G" verify --json "$1" | sed -n 's/.*"id_no":	"\([0-9X]*\)".*/\1/p' | head -n 1; }
# journaled PATTERN DESCRIPTION: a record of the journal matches.
journaled() {
  "$G" export --jsonl > "$T/jsonl" 2>/dev/null
  if grep -q -- "$1" "$T/jsonl"; then ok; else bad "$2: no '$1' in the journal"; sed 's/^/  | /' "$T/jsonl" | tail -5; fi
}
# logged_lines PATTERN: how many lines of greenlane.log match.
logged_lines() { grep -c -- "$1" "$GREENLANE_HOME/greenlane.log" 2>/dev/null || true; }

# centre [SIZE]: a real greenlane-central with demo data on a loopback port,
# and this lane configured to sync with it every 2 s.
centre() {
  [ -x "$C" ] || { bad "greenlane-central is not built beside greenlane"; finish; }
  CPORT=$((26000 + $$ % 6000))
  CDB="$T/central.db"
  "$C" admin --db "$CDB" demo --size "${1:-100}" >/dev/null 2>"$T/central-admin.err"
  "$C" admin --db "$CDB" policy publish default >/dev/null 2>&1
  CTOKEN=$("$C" admin --db "$CDB" token add LANE-TUI)
  "$C" serve --listen "127.0.0.1:$CPORT" --db "$CDB" --log "$T/central.log" &
  CPID=$!
  i=0; until curl -s -o /dev/null "http://127.0.0.1:$CPORT/v1/keys"; do
    sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || { bad "the centre did not start on port $CPORT"; finish; }; done
  config '[lane]\ncheckpoint = PDS-01\nterminal = LANE-TUI\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\ninterval = 2\n' \
    "$CPORT" "$CTOKEN"
}
stop_centre() { [ -n "$CPID" ] && kill "$CPID" && wait "$CPID" 2>/dev/null; CPID=; }

finish() {
  # Nothing but curses may write to the terminal, and the log keeps no
  # whole ID number.
  if [ -s "$T/stderr" ]; then bad "stderr was written while curses owned the terminal"; sed 's/^/  | /' "$T/stderr"; fi
  # While curses owns the terminal, stderr goes to the log: a sanitizer's
  # report would be there.
  if grep -q "Sanitizer\|runtime error" "$GREENLANE_HOME/greenlane.log" 2>/dev/null; then
    bad "a sanitizer reported"; grep -A20 "Sanitizer\|runtime error" "$GREENLANE_HOME/greenlane.log" | head -40
  fi
  if [ -f "$GREENLANE_HOME/greenlane.log" ] && grep -Eq '[1-8][0-9]{5}(19|20)[0-9]{9}[0-9X]' "$GREENLANE_HOME/greenlane.log"; then
    bad "the log file holds a whole ID number"; grep -E '[1-8][0-9]{5}(19|20)[0-9]{9}[0-9X]' "$GREENLANE_HOME/greenlane.log" | head -3
  fi
  echo "$NAME: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}

# layout SIZE LANG: every screen at one window size in one language,
# compared whole with golden files layout-SIZE-LANG-SCREEN.txt.  A Chinese
# screen shows no English word for a verdict, a decision or a trip state.
layout() {
  size=$1 lang=$2 lg="layout-$1-$2"
  case $lang in zh) export LANG=zh_CN.UTF-8 ;; *) export LANG=C.UTF-8 ;; esac
  demo
  "$G" log --decision release --reason "复核阴性, 放行" 豫D10008 >/dev/null 2>&1 || bad "an override to list"
  "$G" log --tube PDS0001 豫D10003 >/dev/null 2>&1 || bad "a sample to list"
  start "$size"
  golden "$lg-empty" "$size $lang: the lane, nothing scanned"
  keys -l 豫D10001; keys Enter
  keys -l 豫D10004; keys Enter
  keys -l 豫D10008; keys Enter
  golden "$lg-lane" "$size $lang: a hold on screen, two trucks waiting"
  keys F6; golden "$lg-prompt" "$size $lang: the tube prompt"; keys Escape
  keys C-t; golden "$lg-trip" "$size $lang: the trip in full"; keys Escape
  keys F1; golden "$lg-help" "$size $lang: help"
  keys NPage; golden "$lg-help2" "$size $lang: help, scrolled a page"; keys Escape
  keys F3; golden "$lg-journal" "$size $lang: the journal"
  keys Enter; golden "$lg-record" "$size $lang: one record whole"; keys Escape Escape
  keys F4; golden "$lg-alerts" "$size $lang: alerts"; keys Escape
  # The bars stand at the hours of the clock: checked apart from the layout.
  keys F11; wait_for "^ *#" "$size $lang: the report draws the bars"
  golden "$lg-report" "$size $lang: the shift report" 's/#/ /g'; keys Escape
  keys F12; golden "$lg-sync" "$size $lang: sync status"; keys Escape
  keys F10; golden "$lg-quit" "$size $lang: quitting with undecided trucks asks"; keys n
  if [ "$lang" = zh ]; then
    # What an officer reads: verdicts, decisions, trip states, in Chinese.
    words='Green channel|Manual check|Sample and go|\b(green|pass|sample|check|hold|release|divert|en route|planned|arrived|closed|registered)\b'
    if grep -Eq "$words" "$HERE"/golden/"$lg"-*.txt; then
      bad "$size zh: English words on a Chinese screen"; grep -En "$words" "$HERE"/golden/"$lg"-*.txt | head -5
    else
      ok
    fi
  fi
}

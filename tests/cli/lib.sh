# lib.sh — what every command-line scenario shares: the real greenlane
# binary with a data directory and configuration of its own, the demo data,
# and the checks.  A scenario file sources this with the binary as $1 and
# ends with `finish`, which prints "<name>: N passed, M failed".  Each runs
# alone: sh tests/cli/NN-name.sh build/greenlane
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
NAME=$(basename "$0" .sh)
T=$(mktemp -d /tmp/greenlane-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
export GREENLANE_HOME="$T/home" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 LC_ALL= TZ=Asia/Shanghai
unset LC_MESSAGES
AS_OF=2022-05-10T08:00:00+08:00
AT="--at 2022-05-10T09:00:00+08:00"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
finish() {
  echo "$NAME: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}
. "$(dirname "$0")/../expect.sh"

# The deterministic demo data, as of AS_OF.
demo() { "$G" demo --no-tui --at $AS_OF >/dev/null 2>&1 || { bad "the demo could not be built"; finish; }; }

# check QUERY EXIT CODE [MORE QUERIES]: verify --json at AT; the exit code,
# and the reason the demo builds that truck for.  All answers in $T/all.json.
check() {
  q=$1 want=$2 code=$3; shift 3
  "$G" verify --json $AT "$@" "$q" >"$T/out" 2>"$T/err"; got=$?
  if [ "$got" -ne "$want" ]; then bad "$q: exit $got, want $want"; sed 's/^/  | /' "$T/err" | head -5; return; fi
  ok
  [ -n "$code" ] && expect_in "$T/out" "\"code\":	\"$code\"" "$q gives $code"
  cat "$T/out" >> "$T/all.json"
}
: > "$T/all.json"

# The demo pass's QR code (豫D10001's pass token).
demo_token() { "$G" verify --json $AT 豫D10001 | sed -n 's/.*"token":	"\([^"]*\)".*/\1/p'; }

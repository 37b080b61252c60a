# expect.sh — checks of a command's exit code and output, for the shell
# tests (cli, sync).  The caller defines ok and bad, and T (a scratch dir).
# expect_exit CODE DESCRIPTION -- command...: output in $T/out, $T/err.
expect_exit() {
  want=$1; what=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, want $want"; sed 's/^/  | /' "$T/err" "$T/out" | head -20; fi
}
# expect_in FILE PATTERN DESCRIPTION
expect_in() {
  if grep -q -- "$2" "$1"; then ok; else bad "$3: no '$2' in output"; sed 's/^/  | /' "$1" | head -20; fi
}
expect_not_in() {
  if grep -q -- "$2" "$1"; then bad "$3: '$2' must not be in output"; else ok; fi
}

#!/bin/sh
# Runs every scenario file of a directory (NN-name.sh or NN-name.py, each
# runnable alone: sh tests/DIR/NN-name.sh build/greenlane, or python3 …),
# then one line with the totals,
# "NAME: N passed, M failed", so that a failure anywhere shows at the end.
#   scenarios.sh NAME DIR GREENLANE
NAME=$1 D=$2 G=$3
pass=0 fail=0 failed=""
for s in "$D"/[0-9]*.sh "$D"/[0-9]*.py; do
  [ -e "$s" ] || continue
  case $s in
    *.py) out=$(python3 "$s" "$G" 2>&1); rc=$? ;;
    *) out=$(sh "$s" "$G" 2>&1); rc=$? ;;
  esac
  printf '%s\n' "$out" | grep -v '^$'
  last=$(printf '%s\n' "$out" | grep -E ': [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  p=$(printf '%s\n' "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  f=$(printf '%s\n' "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
  [ $rc -ne 0 ] && failed="$failed $(basename "$s")"
done
echo "$NAME: $pass passed, $fail failed"
[ -n "$failed" ] && echo "failing:$failed"
[ "$fail" -eq 0 ] && [ -z "$failed" ]

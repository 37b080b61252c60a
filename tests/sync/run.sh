#!/bin/sh
# The lane's sync against misbehaving centres and a misbehaving disk: every
# scenario file here (each runnable alone: sh tests/sync/NN-name.sh
# build/greenlane), then one line "sync: N passed, M failed" with the totals.
G=$1
D=$(dirname "$0")
pass=0 fail=0 failed=""
for s in "$D"/[0-9]*.sh; do
  out=$(sh "$s" "$G" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -v '^$'
  last=$(printf '%s\n' "$out" | tail -n 1)
  p=$(printf '%s\n' "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  f=$(printf '%s\n' "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
  [ $rc -ne 0 ] && failed="$failed $(basename "$s" .sh)"
done
echo "sync: $pass passed, $fail failed"
[ -n "$failed" ] && echo "failing:$failed"
[ "$fail" -eq 0 ] && [ -z "$failed" ]

#!/bin/sh
# Runs each cmocka test binary given, then prints one closing line with the
# totals ("N passed, M failed") so a failure anywhere is visible at the end.
pass=0 fail=0 failed=""
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  if [ $rc -ne 0 ] && [ -z "$f" ]; then fail=$((fail + 1)); fi
  [ $rc -ne 0 ] && failed="$failed $(basename "$t")"
done
echo "unit: $pass passed, $fail failed"
[ -n "$failed" ] && echo "failing:$failed"
[ $fail -eq 0 ] && [ -z "$failed" ]

#!/bin/sh
# Malformed queries: refused with a message that says what is wrong, masked,
# short and safe; the verdict in Chinese.
. "$(dirname "$0")/lib.sh"
demo
# malformed queries: 65 and a message that says what is wrong
expect_exit 65 "plate with O" -- "$G" verify $AT 豫D1000O
expect_in "$T/err" "I or O" "why the plate is wrong"
expect_exit 65 "ID check digit" -- "$G" verify $AT 410402196501010004
expect_in "$T/err" "check character" "why the ID is wrong"
expect_in "$T/err" "410402\*\*\*\*\*\*\*\*0004" "a mistyped ID is quoted masked"
expect_not_in "$T/err" "410402196501010004" "never whole"
expect_exit 65 "gibberish" -- "$G" verify $AT 'hello world'
# A scanner that sends kilobytes, or terminal escapes: the message quotes a short, safe excerpt.
expect_exit 65 "a 3000-character scan" -- "$G" verify $AT "$(head -c 3000 /dev/zero | tr '\0' A)"
[ "$(wc -c < "$T/err")" -lt 300 ] && ok || bad "the message quotes an excerpt, not 3000 characters"
expect_in "$T/err" "AAAA…" "and says it was cut"
expect_exit 65 "a terminal escape in the query" -- "$G" verify $AT "$(printf '\033[2J豫D1')"
LC_ALL=C grep -q "$(printf '\033')" "$T/err" && bad "the escape reaches the terminal" || ok
expect_exit 65 "two plates" -- "$G" verify $AT 豫D10001 豫D10002
expect_exit 64 "bad --at" -- "$G" verify --at yesterday 豫D10001

# language
LANG=zh_CN.UTF-8 "$G" verify $AT 豫D10001 > "$T/out" 2>&1
expect_in "$T/out" "绿色通道" "Chinese verdict"
expect_in "$T/out" "车辆" "Chinese labels"
expect_in "$T/out" "410402\*\*\*\*\*\*\*\*0003" "ID numbers are masked on screen"
finish

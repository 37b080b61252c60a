#!/bin/sh
# The configuration file: the local province; a typo, a bad value, a value
# too long, a key in the wrong section are refused and named.
. "$(dirname "$0")/lib.sh"
demo
# configuration: the local province lets an officer type D10001
mkdir -p "$T/config/greenlane"
printf '[lane]\nprovince = 豫\ncheckpoint = PDS-01\n' > "$T/config/greenlane/config.ini"
expect_exit 0 "local province" -- "$G" verify $AT D10001
printf '[lane]\nprovnce = 豫\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a typo in the config is refused" -- "$G" verify $AT 豫D10001
expect_in "$T/err" "line 2" "the config error names the line"
expect_in "$T/err" '\[lane\] has no key "provnce"' "and the key it does not know"
printf '# lane 3\n[lane]\ndirection = sideways\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a bad value is refused" -- "$G" verify $AT 豫D10001
expect_in "$T/err" "line 3" "and names its line"
expect_in "$T/err" '"sideways" is not a valid value for direction' "and the value and its key"
printf '[lane]\ncheckpoint = %0100d\n' 0 > "$T/config/greenlane/config.ini"
expect_exit 78 "a value too long for its field is refused, not cut" -- "$G" verify $AT 豫D10001
printf '[server]\nprovince = 豫\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a key in the wrong section is refused" -- "$G" verify $AT 豫D10001
printf '[ui]\nlang = zh\n' > "$T/config/greenlane/config.ini"
LANG=C.UTF-8 expect_exit 0 "[ui] lang = zh" -- "$G" verify $AT 豫D10001
expect_in "$T/out" "车辆" "speaks Chinese whatever the locale"
rm "$T/config/greenlane/config.ini"
finish

#!/bin/sh
# The lane's files are its user's alone: cache.db holds every driver's name,
# phone and ID number; journal.db the lane's records; the config a token.
. "$(dirname "$0")/lib.sh"
demo
"$G" log --decision release $AT 豫D10001 >/dev/null 2>&1
mode() { stat -c %a "$1"; }
[ "$(mode "$GREENLANE_HOME")" = 700 ] && ok || bad "the data directory is 0700 ($(mode "$GREENLANE_HOME"))"
for f in cache.db journal.db journal.db-wal journal.db-shm; do
  [ ! -e "$GREENLANE_HOME/$f" ] || [ "$(mode "$GREENLANE_HOME/$f")" = 600 ] && ok || bad "$f is 0600 ($(mode "$GREENLANE_HOME/$f"))"
done
chmod 755 "$GREENLANE_HOME"; chmod 644 "$GREENLANE_HOME/journal.db" "$GREENLANE_HOME/cache.db"
"$G" log --decision release $AT 豫D10001 >/dev/null 2>&1
[ "$(mode "$GREENLANE_HOME")" = 700 ] && [ "$(mode "$GREENLANE_HOME/journal.db")" = 600 ] && ok ||
  bad "files made readable by others are made private again"
mkdir -p "$T/config/greenlane"
printf '[server]\nurl = https://centre.example\ntoken = secret\n' > "$T/config/greenlane/config.ini"
chmod 644 "$T/config/greenlane/config.ini"
expect_exit 0 "a token others can read" -- "$G" verify $AT 豫D10001
expect_in "$T/err" "others can read it: chmod 600" "is warned about"
chmod 600 "$T/config/greenlane/config.ini"
expect_exit 0 "a token only its user reads" -- "$G" verify $AT 豫D10001
expect_not_in "$T/err" "others can read" "is not"
rm "$T/config/greenlane/config.ini"
finish

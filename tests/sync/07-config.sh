# What is configuration is said to be: a URL that would send the token in
# clear to another host (judged as libcurl parses it), an unreadable CA file.
# Exit 78.
. "$(dirname "$0")/lib.sh"
conf() { printf '[server]\nurl = %s\ntoken = t\n%s' "$1" "${2:-}" > "$T/config/greenlane/config.ini"; }
for u in "http://127.0.0.1@10.0.0.1:8443" "http://localhost@10.0.0.1/" "http://127.0.0.1.example.com/" \
         "http://10.0.0.1/" "ftp://127.0.0.1/" "https://user:pw@centre.example/"; do
  conf "$u"
  expect_exit 78 "$u is refused" -- "$G" sync --once
  expect_in "$T/err" "https://\|not valid" "and says what a URL must be"
done
for u in "http://127.0.0.1:1/" "http://localhost:1/" "http://[::1]:1/"; do
  conf "$u"
  expect_exit 69 "$u is this machine: allowed (and unreachable here)" -- "$G" sync --once
done
conf "https://centre.example/" "ca = $T/no-such-ca.pem
"
expect_exit 78 "a CA file that cannot be read is configuration" -- "$G" sync --once
expect_in "$T/err" "CA file" "and says so"
finish

#!/bin/sh
# Layers only point down (assets/DESIGN.md §2): core speaks no I/O library, only store
# speaks SQLite, only net speaks HTTP, only tui speaks curses; and no unsafe
# libc string calls anywhere.  Prints "layers: N passed, M failed".
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
rule() { # description, directory, forbidden include pattern [a subdirectory left out]
  hits=$(grep -lE "#include *[<\"]($3)" -r "src/$2" 2>/dev/null | grep -v "^src/${4:-/}/" )
  if [ -n "$hits" ]; then fail=$((fail + 1)); echo "FAIL: $1: $hits"; else pass=$((pass + 1)); fi
}
rule "core is pure" core 'n?curses|ncursesw/|curl/|sqlite3|microhttpd|unistd|fcntl|sys/'
rule "cli does not speak SQLite" cli 'sqlite3|n?curses|curl/'
rule "store does not speak curses or HTTP" store 'n?curses|curl/|microhttpd'
rule "net does not speak curses" net 'n?curses'
rule "tui does not speak SQLite or HTTP" tui 'sqlite3|curl/'
rule "central speaks HTTP, not SQLite" central 'sqlite3|libpq|n?curses|curl/' central/store
rule "the centre's store speaks its databases, not HTTP" central/store 'microhttpd|n?curses|curl/'
unsafe=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets)\s*\(' -r src include tests/unit 2>/dev/null)
if [ -n "$unsafe" ]; then fail=$((fail + 1)); echo "FAIL: unsafe calls:"; echo "$unsafe"; else pass=$((pass + 1)); fi
echo "layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

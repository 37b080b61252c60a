# A captive portal answers everything with 200 and an HTML page: refused at
# once, saying what came, not "the download kept breaking" after 51 tries.
. "$(dirname "$0")/lib.sh"
snapshot_file
fake html
expect_exit 69 "HTML instead of the centre's data" -- timeout 20 "$G" sync --once
expect_in "$T/err" "not the centre's data (text/html" "says what came"
expect_in "$T/err" "Please log in" "quoting it"
[ "$(requests 'GET /v1/snapshot')" -eq 1 ] && ok || bad "one request ($(requests 'GET /v1/snapshot'))"
[ ! -e "$GREENLANE_HOME/cache.db" ] && ok || bad "and nothing installed"
[ ! -e "$GREENLANE_HOME/snapshot.ndjson.part" ] && ok || bad "and no partial file left"
finish

# The journal shows what was decided: Enter opens a record whole; overrides
# are marked and can be listed alone; search ignores case and never matches
# digits the screen hides; the ledger CSV has the override's reason.
. "$(dirname "$0")/lib.sh"
demo
D8=$(driver_of 豫D10008)
"$G" log --officer 0417 --decision release --reason "复核阴性, 放行" 豫D10008 >/dev/null 2>&1 || bad "an override"
"$G" log --officer 0417 --tube pds-0007 豫D10003 >/dev/null 2>&1 || bad "a sample"
"$G" log --officer 0418 豫D10001 >/dev/null 2>&1 || bad "a green"
start
keys F3
wait_for "3 of 3 in the last 24 h" "F3 lists the decisions"
screen | grep "豫D10008" | grep -q "hold *release *0417 *!" && ok || bad "the override is marked '!'"
screen | grep "豫D10001" | grep -q "!" && bad "a decision that follows its verdict is not marked" || ok
keys o
wait_for "1 of 3 in the last 24 h · overrides" "o lists the overrides alone"
not_on_screen "豫D10001" "nothing else"
keys Enter
wait_for "Journal — one record" "Enter opens it"
wait_for "Verdict shown  hold" "the verdict that was shown"
wait_for "positive, close contact or secondary contact" "its reasons in words"
wait_for "Decision       release  ! an override" "the decision, marked an override"
wait_for "Why            复核阴性, 放行" "the override's reason"
wait_for "Officer        0417" "the officer"
screen | grep -Eq "Crew +[0-9]{6}\*{8}[0-9]{3}[0-9X]" && ok || bad "the crew, masked"
not_on_screen "$D8" "never whole"
keys Escape
keys a /
wait_for "Search the journal" "/ asks what to search"
keys -l "PDS-0007"; keys Enter
wait_for "1 of 3 in the last 24 h · search: pds-0007" "search by tube"
wait_for "豫D10003" "finds the sample"
keys /; keys C-u; keys -l "SAMPLE"; keys Enter
wait_for "1 of 3 .* search: sample" "upper case finds lower case"
# The middle of an ID number is hidden on screen: searching it finds nothing.
keys /; keys C-u; keys -l "$(printf '%s' "$D8" | cut -c7-14)"; keys Enter
wait_for "0 of 3" "digits the screen hides are not searched"
keys /; keys C-u; keys -l "$(printf '%s' "$D8" | cut -c15-18)"; keys Enter
wait_for "1 of 3" "the digits it shows are"
keys Escape
keys F11
wait_for "overrides: 1" "the report counts overrides"
keys e
wait_for "Ledger written" "e writes the ledger"
grep -q '^at,first_scan_at,checkpoint,officer,plate,verdict,decision,override,override_reason,tube,reasons,uuid$' \
  "$GREENLANE_HOME"/ledger-*.csv && ok || bad "the ledger's columns"
grep -q ',豫D10008,hold,release,yes,"复核阴性, 放行",,' "$GREENLANE_HOME"/ledger-*.csv && ok || bad "the override's reason, quoted"
grep -q ',豫D10003,sample,sample,no,,PDS-0007,' "$GREENLANE_HOME"/ledger-*.csv && ok || bad "the sample with its tube"
finish

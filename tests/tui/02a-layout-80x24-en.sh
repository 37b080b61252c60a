# Every screen at 80x24 in English, whole, against golden files.
. "$(dirname "$0")/lib.sh"
layout 80x24 en
finish

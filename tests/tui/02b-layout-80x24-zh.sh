# Every screen at 80x24 in Chinese, whole, against golden files.
. "$(dirname "$0")/lib.sh"
layout 80x24 zh
finish

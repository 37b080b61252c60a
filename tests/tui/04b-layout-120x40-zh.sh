# Every screen at 120x40 in Chinese, whole, against golden files.
. "$(dirname "$0")/lib.sh"
layout 120x40 zh
finish

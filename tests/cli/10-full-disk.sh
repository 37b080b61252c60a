#!/bin/sh
# A disk that filled while greenlane was not running: the lane must still
# start, read and check, and say that nothing can be written.  Needs a real
# full file system (a file size limit does not stop SQLite creating its
# -shm file), so a small tmpfs: only where mounting one is allowed.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/full"
if mount -t tmpfs -o size=2m tmpfs "$T/full" 2>/dev/null; then
  trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
  home=$GREENLANE_HOME
  GREENLANE_HOME="$T/full/home"
  fill() { dd if=/dev/zero of="$T/full/fill" bs=1k count=4096 2>/dev/null; true; }
  "$G" demo --no-tui --size 200 --at $AS_OF >/dev/null 2>&1; fill
  expect_exit 0 "full disk right after a snapshot: checks work" -- "$G" verify $AT 豫D10001
  rm -f "$T/full/fill"
  "$G" log $AT 豫D10001 >/dev/null 2>&1; fill
  expect_exit 0 "full disk: the journal still opens (export)" -- "$G" export --jsonl
  expect_in "$T/out" '"decision":"release"' "and what was logged is there"
  expect_exit 0 "full disk: checks still work" -- "$G" verify $AT 豫D10001
  expect_exit 74 "full disk: logging fails as a disk failure" -- "$G" log $AT 豫D10001
  expect_in "$T/err" "disk is full" "and says the disk is full"
  GREENLANE_HOME=$home
  umount "$T/full"
else
  echo "$NAME: skipped (cannot mount a tmpfs here)"
fi
finish

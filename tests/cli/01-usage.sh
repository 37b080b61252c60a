#!/bin/sh
# Before any data: what to do next, usage, --help and --version.
. "$(dirname "$0")/lib.sh"
expect_exit 66 "verify without a cache" -- "$G" verify 豫D10001
expect_in "$T/err" "greenlane demo" "the message says what to do"
expect_exit 64 "no query" -- "$G" verify
expect_exit 64 "unknown option" -- "$G" verify --bogus 豫D10001
expect_exit 64 "unknown command" -- "$G" frobnicate
expect_in "$T/err" "usage: greenlane" "an unknown command shows the usage on stderr"
expect_exit 0 "--help" -- "$G" --help
expect_in "$T/out" "usage: greenlane" "--help prints the usage on stdout"
expect_exit 0 "--version" -- "$G" --version
expect_in "$T/out" "^greenlane [0-9]*\.[0-9]*\.[0-9]*$" "--version prints the version"
finish

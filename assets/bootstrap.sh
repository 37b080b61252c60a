#!/bin/sh
# Installs what greenlane needs on Debian 12, then runs a make target:
#   sh assets/bootstrap.sh run     build, then open greenlane on the demo data
#   sh assets/bootstrap.sh check   build, then run the whole test suite
#   sh assets/bootstrap.sh bench   build, then print the benchmark figures
# As root it installs the packages with apt-get; otherwise it prints the exact
# command to run and stops.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config gettext libncurses-dev libcurl4-openssl-dev libcjson-dev
libsqlite3-dev libsodium-dev libmicrohttpd-dev libpq-dev zlib1g-dev"
TEST_PKGS="libcmocka-dev tmux sqlite3 curl openssl python3 systemd postgresql pgbouncer chromium fonts-wqy-microhei"

target=${1:-run}
case "$target" in
  run) want="$PKGS" ;;
  check) want="$PKGS $TEST_PKGS" ;;
  bench) want="$PKGS $TEST_PKGS wrk" ;;
  *) echo "usage: sh assets/bootstrap.sh run|check|bench" >&2; exit 64 ;;
esac

missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "greenlane: installing$missing" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  else
    echo "greenlane needs these Debian packages; install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    echo "then run this command again." >&2
    exit 1
  fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
case "$target" in
  run) make -j"$jobs" && exec make run ;;
  check) exec make -j"$jobs" test ;;
  bench) make -j"$jobs" && exec make bench ;;
esac

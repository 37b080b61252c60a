#!/bin/sh
# A throwaway PostgreSQL for the tests: initdb in DIR, a loopback port, trust
# authentication for the user greenlane, as an unprivileged user (the server
# refuses root: as root, the cluster is run as the user postgres).
#   server.sh start DIR PORT   prints the base URI (postgresql://greenlane@127.0.0.1:PORT);
#                              a DIR stopped before is started again, its data kept
#   server.sh bouncer DIR PG_PORT PORT   PgBouncer (transaction mode) in front of it; prints its URI
#   server.sh standby DIR PRIMARY_PORT PORT   a streaming standby of that primary (pg_basebackup),
#                              named standby1, started on PORT; prints its base URI
#   server.sh promote DIR      the standby in DIR becomes the primary
#   server.sh kill DIR         kill -9 the cluster's postmaster (a machine dying)
#   server.sh stop DIR
set -eu
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$BIN/initdb" ] || { echo "tests/pg: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
cmd=$1 DIR=$2
as() { # run as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# Durability as a real centre would have it, except where a test says.
pg_start() {
  as "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_OPTIONS:-}" start >/dev/null ||
    { cat "$DIR/server.log" >&2; exit 1; }
  echo "postgresql://greenlane@127.0.0.1:$PORT"
}
case "$cmd" in
start)
  PORT=$3
  mkdir -p "$DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
  if [ ! -d "$DIR/data" ]; then	# else started again after a stop: the same cluster
    as "$BIN/initdb" -D "$DIR/data" -U greenlane -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  pg_start
  ;;
standby)
  PRIMARY=$3 PORT=$4
  mkdir -p "$DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
  as "$BIN/pg_basebackup" -D "$DIR/data" -X stream -R -c fast \
    -d "host=127.0.0.1 port=$PRIMARY user=greenlane application_name=standby1" >"$DIR/basebackup.log" 2>&1 ||
    { cat "$DIR/basebackup.log" >&2; exit 1; }
  pg_start
  ;;
promote)
  as "$BIN/pg_ctl" -D "$DIR/data" -w -t 30 promote >/dev/null
  ;;
kill)
  kill -9 "$(head -n 1 "$DIR/data/postmaster.pid")"
  ;;
bouncer)
  # PgBouncer in transaction mode in front of the cluster in DIR (on
  # PG_PORT): a server connection per transaction, never per client, so
  # nothing may live in a session between transactions.
  PG_PORT=$3 PORT=$4
  command -v pgbouncer >/dev/null || { echo "tests/pg: PgBouncer is not installed (apt-get install pgbouncer)" >&2; exit 1; }
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT user=greenlane
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 400
default_pool_size = 10
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
  as pgbouncer -d -q "$DIR/pgbouncer.ini" || { cat "$DIR/pgbouncer.log" >&2; exit 1; }
  echo "postgresql://greenlane@127.0.0.1:$PORT"
  ;;
stop)
  [ -f "$DIR/pgbouncer.pid" ] && kill "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null
  as "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  ;;
esac

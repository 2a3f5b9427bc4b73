#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 cluster: made in a
# temporary folder, listening on a free loopback port, and stopped and
# deleted when the command ends (however it ends). The command finds it in
# RUNOFF_TEST_PG, e.g. postgres://postgres@127.0.0.1:PORT/postgres.
#   Usage: scripts/pg.sh COMMAND [ARGS...]
#   e.g.   bash scripts/pg.sh cargo test -p runoff-server -p runoff-cli
# initdb refuses to run as root, so as root the cluster runs as the
# `postgres` user (Debian's package makes it; scripts/setup.sh installs it).
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ]; then
  echo "pg.sh: $bin/initdb is missing; run scripts/setup.sh" >&2
  exit 1
fi
if [ $# -eq 0 ]; then
  echo "usage: scripts/pg.sh COMMAND [ARGS...]" >&2
  exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/runoff-pg.XXXXXX")
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"

stop() {
  as_owner "$bin/pg_ctl" -D "$dir/data" stop -m fast -w >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

# A free port: asked of the kernel where Python is there (two runs at once
# then do not collide), else a random one that nothing answers on.
if command -v python3 >/dev/null; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
else
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
fi

as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# Enough connections for two servers' pools and the tests' own; fsync stays
# on, so the tests of durability mean what they say.
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }

export RUNOFF_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
echo "pg.sh: PostgreSQL at $RUNOFF_TEST_PG (until the command ends)" >&2
# Not exec: the trap must run after the command.
status=0
"$@" || status=$?
exit "$status"

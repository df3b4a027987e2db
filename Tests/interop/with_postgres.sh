#!/usr/bin/env bash
# Runs a command against a PostgreSQL server of its own: a new cluster in a temporary folder
# on a free loopback port, an empty database owned by a login role with a password, and the
# command given run with `--postgres URL` appended. The server is stopped by its own process
# id (the first line of its pid file) and the folder removed when the command ends.
#
#   bash Tests/interop/with_postgres.sh swift run sluice-bench crash --gateways 3 --sluice .build/debug/sluice
#
# As root (CI), initdb and postgres run as the postgres user, which they require.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGUMENTS…]" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "PostgreSQL's server programs are not installed (apt-get install postgresql)" >&2; exit 1; }
folder=$(mktemp -d /tmp/sluice-postgres.XXXXXX)
run=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$folder"
  run=(runuser -u postgres --)
fi
server=""
stop() {
  if [ -n "$server" ]; then
    kill -INT "$server" 2>/dev/null || true
    while kill -0 "$server" 2>/dev/null; do sleep 0.2; done
  fi
  rm -rf "$folder"
}
trap stop EXIT

"${run[@]}" "$bin/initdb" -D "$folder/data" -U sluice_owner --auth=trust -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 ||
  { cat "$folder/initdb.log"; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${run[@]}" "$bin/postgres" -D "$folder/data" -p "$port" -k "$folder" -c listen_addresses=127.0.0.1 -c max_connections=200 \
  </dev/null >"$folder/server.log" 2>&1 &
for _ in $(seq 1 100); do
  if [ -s "$folder/data/postmaster.pid" ] && "$bin/pg_isready" -q -h "$folder" -p "$port"; then break; fi
  sleep 0.1
done
server=$(head -n 1 "$folder/data/postmaster.pid")
"$bin/pg_isready" -q -h "$folder" -p "$port" || { cat "$folder/server.log"; echo "the PostgreSQL server did not start" >&2; exit 1; }

password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
psql=("$bin/psql" -h "$folder" -p "$port" -U sluice_owner -d postgres -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -c "CREATE ROLE sluice_gateway LOGIN PASSWORD '$password'"
"${psql[@]}" -c "CREATE DATABASE sluice OWNER sluice_gateway"
"$@" --postgres "postgres://sluice_gateway:$password@127.0.0.1:$port/sluice?sslmode=disable"

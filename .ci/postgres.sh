#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: Debian's `postgresql` package (installed
# when missing), a fresh cluster in a temporary folder on a free local port, one
# database, and a password known only to this run. Nothing else on the machine
# is touched.
#
# Usage:   pg_env="$(.ci/postgres.sh [PID])"; eval "$pg_env"   (or: eval "$(.ci/postgres.sh)")
# It prints `export COACH_TEST_PG_URL=postgresql+psycopg://...` on stdout (and
# writes the same URL to $COACH_PG_URL_FILE when that is set); progress goes to
# stderr. The cluster stops and its folder is deleted when PID exits (default:
# the calling shell), so a CI run leaves nothing behind.
set -euo pipefail

owner_pid="${1:-$PPID}"
started=$(date +%s%N)

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

bin=$(pg_bin)
if [ -z "$bin" ]; then
  echo "Installing Debian's PostgreSQL for the database tests..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >/dev/null
  bin=$(pg_bin)
fi
if [ -z "$bin" ]; then
  echo "postgres.sh: no initdb found after installing postgresql" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, run the server as the `postgres`
# user that the Debian package creates.
as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  as_owner() { (cd "$base" && runuser -u postgres -- "$@"); }
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/coach-pg.XXXXXX")
chmod 700 "$base"
[ "$(id -u)" = 0 ] && chown postgres: "$base"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
user=coach
database=coach_test

as_owner sh -c "umask 077; printf '%s\n' '$password' > '$base/pwfile'"
as_owner "$bin/initdb" -D "$base/data" -U "$user" --pwfile="$base/pwfile" \
  --auth-host=scram-sha-256 --auth-local=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
rm -f "$base/pwfile"

# fsync off: a throwaway test cluster trades durability for speed.
as_owner "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $base -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null

PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$database"

# Stop the cluster and delete its folder once the owner process is gone.
(
  trap '' HUP
  while kill -0 "$owner_pid" 2>/dev/null; do sleep 2; done
  as_owner "$bin/pg_ctl" -D "$base/data" -m fast -w stop || true
  rm -rf "$base"
) </dev/null >/dev/null 2>&1 &

url="postgresql+psycopg://$user:$password@127.0.0.1:$port/$database"
if [ -n "${COACH_PG_URL_FILE:-}" ]; then
  printf '%s\n' "$url" >"$COACH_PG_URL_FILE"
fi
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port in ${elapsed_ms} ms (cluster $base, stops with process $owner_pid)" >&2
echo "export COACH_TEST_PG_URL='$url'"

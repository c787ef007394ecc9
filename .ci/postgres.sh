#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests, on 127.0.0.1 with trust auth.
#   eval "$(.ci/postgres.sh)"      installs postgresql if missing, starts (or reuses) the cluster, prints the export
#   .ci/postgres.sh stop           stops it (the data directory is kept, so the next start is fast)
#   .ci/postgres.sh destroy        stops it and deletes the data directory
# Everything but the final `export AGENTFLOW_TEST_POSTGRES=...` line goes to stderr, so the output can be eval'd.
# AGENTFLOW_PG_DIR overrides the data directory; AGENTFLOW_PG_PORT the first port tried; AGENTFLOW_PG_FSYNC=on
# starts the server with fsync (the default is off: a throwaway test cluster trades crash safety for speed).
set -euo pipefail

dir=${AGENTFLOW_PG_DIR:-${TMPDIR:-/tmp}/agentflow-postgres-$(id -u)}
database=agentflow_test
superuser=postgres
log() { echo "postgres.sh: $*" >&2; }

# Root cannot run the server, so the cluster belongs to the postgres user the Debian package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null 2>&1; then found=$(dirname "$(command -v pg_ctl)"); fi
  echo "$found"
}

bin=$(find_bin)
case "${1:-start}" in
  stop|destroy)
    if [ -n "$bin" ] && [ -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
      log "stopped the cluster in $dir"
    fi
    if [ "$1" = destroy ]; then rm -rf "$dir"; fi
    exit 0
    ;;
  start) ;;
  *) log "usage: $0 [start|stop|destroy]"; exit 2 ;;
esac

if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then log "postgresql is not installed and installing it needs root"; exit 1; fi
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq postgresql >&2 || { apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2; }
  bin=$(find_bin)
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -f "$dir/port" ] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  port=$(cat "$dir/port")
  log "reusing the running cluster in $dir on port $port"
else
  if [ ! -f "$dir/PG_VERSION" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"
    log "initdb $dir"
    as_owner "$bin/initdb" -D "$dir" -U "$superuser" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # Trust only loopback TCP and the cluster's own socket directory; nothing else may connect.
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_owner tee "$dir/pg_hba.conf" >/dev/null
  fi

  port=${AGENTFLOW_PG_PORT:-54329}
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port" | as_owner tee "$dir/port" >/dev/null
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=${AGENTFLOW_PG_FSYNC:-off} -c max_connections=300" >/dev/null
  log "started the cluster in $dir on port $port"
fi

psql_cmd() { as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_cmd -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  psql_cmd -c "CREATE DATABASE $database" >/dev/null
fi

echo "export AGENTFLOW_TEST_POSTGRES=\"Host=127.0.0.1;Port=$port;Username=$superuser;Database=$database\""

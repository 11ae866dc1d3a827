# Native PostgreSQL 15 for scripts/infra.sh. Sourced; uses helpers from common.sh.
# Variables: POSTGRES_PORT, POSTGRES_DB, POSTGRES_PASSWORD, DATA_DIR, LOG_DIR, PID_DIR (absolute), PG_BIN.

PG_START_TIMEOUT_S=${PG_START_TIMEOUT_S:-60}
PG_STOP_TIMEOUT_S=${PG_STOP_TIMEOUT_S:-30}

pg_home() { printf '%s\n' "$DATA_DIR/postgres"; }
pg_data() { printf '%s\n' "$DATA_DIR/postgres/data"; }
pg_socket_dir() { printf '%s\n' "$DATA_DIR/postgres/run"; }

# Finds initdb/pg_ctl: $PG_BIN, then Debian's versioned folder, then PATH (Debian's /usr/bin has only
# wrappers for psql and friends, not pg_ctl).
pg_find_bin() {
  if [[ -n ${PG_BIN:-} && -x $PG_BIN/pg_ctl ]]; then return 0; fi
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    PG_BIN=/usr/lib/postgresql/15/bin
  elif command -v pg_ctl >/dev/null 2>&1; then
    PG_BIN=$(dirname "$(command -v pg_ctl)")
  else
    die "PostgreSQL 15 server binaries not found (pg_ctl, initdb): install them (Debian/Ubuntu: apt-get install -y postgresql-15) or set PG_BIN"
  fi
  local version
  version=$("$PG_BIN/pg_ctl" --version | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p')
  [[ ${version:-0} -ge 15 ]] || warn "PostgreSQL ${version:-?} found in $PG_BIN; the project is tested with 15"
}

# Postgres refuses to run as root: as root, its commands run as the unprivileged `postgres` user.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run PostgreSQL as (create one, or run as a normal user)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_running_pid() {
  local pidfile
  pidfile="$(pg_data)/postmaster.pid"
  [[ -f $pidfile ]] || return 0
  local pid
  pid=$(read_pid "$pidfile")
  if pid_alive "$pid" && grep -q 'postgres' "/proc/$pid/cmdline" 2>/dev/null; then printf '%s\n' "$pid"; fi
}

pg_render_config() {
  sed -e "s|@POSTGRES_PORT@|$POSTGRES_PORT|g" -e "s|@POSTGRES_SOCKET_DIR@|$(pg_socket_dir)|g" \
    "$REPO_ROOT/infra/postgres/postgresql.conf" | as_pg tee "$(pg_data)/kartshoppe.conf" >/dev/null
  if ! grep -q "^include_if_exists = 'kartshoppe.conf'" "$(pg_data)/postgresql.conf"; then
    echo "include_if_exists = 'kartshoppe.conf'" | as_pg tee -a "$(pg_data)/postgresql.conf" >/dev/null
  fi
}

pg_init() {
  local home pw
  home=$(pg_home)
  mkdir -p "$home"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$home"
    as_pg test -x "$home" ||
      die "the postgres user cannot reach $home: every parent folder must be traversable (chmod o+x)"
  fi
  chmod 700 "$home"
  as_pg mkdir -p "$(pg_socket_dir)"
  info "postgres: initialising a cluster in $(pg_data)"
  pw=$(as_pg mktemp "$home/pw.XXXXXX")
  printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" | as_pg tee "$pw" >/dev/null
  # Local (socket) connections are trusted: the socket folder is private to the cluster's owner.
  # TCP connections need the password (scram-sha-256), replication ones included.
  as_pg "$PG_BIN/initdb" -D "$(pg_data)" -U postgres --pwfile="$pw" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >>"$LOG_DIR/postgres-initdb.log" 2>&1 || {
    rm -f "$pw"
    die "postgres: initdb failed (see $LOG_DIR/postgres-initdb.log)"
  }
  rm -f "$pw"
}

pg_psql() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir)" -p "$POSTGRES_PORT" -U postgres "$@"
}

pg_up() {
  local pid
  pg_find_bin
  pid=$(pg_running_pid)
  if [[ -n $pid ]]; then
    info "postgres: already running (pid $pid, 127.0.0.1:$POSTGRES_PORT)"
    return 0
  fi
  if port_open "$POSTGRES_PORT"; then
    die "postgres: port $POSTGRES_PORT is already in use by another process ($(port_owner "$POSTGRES_PORT")); stop it or set POSTGRES_PORT"
  fi
  mkdir -p "$LOG_DIR" "$PID_DIR"
  [[ -f $(pg_data)/PG_VERSION ]] || pg_init
  pg_render_config
  local logfile="$LOG_DIR/postgres.log"
  touch "$logfile"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$logfile"
  local started_ms
  started_ms=$(now_ms)
  info "postgres: starting on 127.0.0.1:$POSTGRES_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -l "$logfile" -w -t "$PG_START_TIMEOUT_S" start >/dev/null 8>&- || {
    tail -n 20 "$logfile" >&2
    die "postgres: did not start (log: $logfile)"
  }
  pid=$(pg_running_pid)
  echo "$pid" >"$PID_DIR/postgres.pid"
  local db=${POSTGRES_DB:-ecommerce}
  if [[ -z $(pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
    pg_psql -d postgres -c "CREATE DATABASE \"$db\"" || die "postgres: could not create database $db"
    info "postgres: created database $db"
  fi
  info "postgres: ready in $(($(now_ms) - started_ms)) ms (pid $pid, 127.0.0.1:$POSTGRES_PORT)"
}

# Applies infra/migrations to the local cluster (scripts/manage-db.ts records what it applied).
pg_migrate() {
  POSTGRES_HOST=127.0.0.1 POSTGRES_SSL=false node "$REPO_ROOT/scripts/run-ts.js" \
    "$REPO_ROOT/scripts/manage-db.ts" migrate || die "postgres: migrations failed"
}

pg_down() {
  pg_find_bin
  local pid
  pid=$(pg_running_pid)
  if [[ -z $pid ]]; then
    rm -f "$PID_DIR/postgres.pid"
    info "postgres: not running"
    return 0
  fi
  info "postgres: stopping (pid $pid)"
  # fast = roll back open transactions and disconnect clients, then a clean shutdown checkpoint.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -m fast -w -t "$PG_STOP_TIMEOUT_S" stop >/dev/null; then
    warn "postgres: fast shutdown timed out; using immediate shutdown"
    as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -m immediate -w -t 10 stop >/dev/null || stop_pid "$pid" 5 postgres
  fi
  # pg_ctl returns once postmaster.pid is gone; the process itself may need a moment more to exit.
  wait_until 10 pid_gone "$pid" || die "postgres: pid $pid is still alive"
  rm -f "$PID_DIR/postgres.pid"
  info "postgres: stopped"
}

pg_status() {
  local pid health
  pg_find_bin
  pid=$(pg_running_pid)
  if [[ -z $pid ]]; then
    printf '%-9s %-8s %-10s %-22s %s\n' postgres stopped '-' "127.0.0.1:$POSTGRES_PORT" '-'
    return 1
  fi
  if PGPASSWORD=${POSTGRES_PASSWORD:-postgres} PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -tA -h 127.0.0.1 \
    -p "$POSTGRES_PORT" -U postgres -d "${POSTGRES_DB:-ecommerce}" -c 'SELECT 1' >/dev/null 2>&1; then
    health=healthy
  else
    health=unhealthy
  fi
  printf '%-9s %-8s %-10s %-22s %s\n' postgres running "pid $pid" "127.0.0.1:$POSTGRES_PORT" "$health (wal_level=logical)"
  [[ $health == healthy ]]
}

# Shared helpers of scripts/infra.sh: environment loading, messages, ports and processes.
# Sourced, never executed. Expects REPO_ROOT to be set.

info() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Loads KEY=VALUE lines from a file without executing it. A variable already set in the environment
# wins over the file, so `KAFKA_PORT=1234 npm run infra:up` always does what it says.
load_env_file() {
  local file=$1 line key value
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    # Strip one level of matching quotes.
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    if [[ -z ${!key+x} ]]; then export "$key=$value"; fi
  done <"$file"
}

# Makes a path absolute relative to the repository root.
abs_path() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$REPO_ROOT/$1" ;;
  esac
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Describes who listens on a port (best effort; ss shows the process only to root or the owner).
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1
  fi
}

# A zombie (exited, not yet reaped by its parent) counts as gone.
pid_alive() {
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  local state
  state=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
  [[ $state != Z ]]
}

pid_gone() { ! pid_alive "$1"; }

now_ms() { date +%s%3N; }

read_pid() {
  [[ -f $1 ]] && head -n1 "$1" | tr -dc '0-9'
}

# Stops a process: SIGTERM, wait up to $2 seconds, then SIGKILL (and wait for it to be gone).
stop_pid() {
  local pid=$1 timeout_s=$2 name=$3 waited=0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid" && ((waited < timeout_s * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if pid_alive "$pid"; then
    warn "$name (pid $pid) did not stop within ${timeout_s}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    waited=0
    while pid_alive "$pid" && ((waited < 50)); do
      sleep 0.1
      waited=$((waited + 1))
    done
  fi
  ! pid_alive "$pid"
}

# Waits until `$2...` succeeds, polling every 0.2 s, for at most $1 seconds.
wait_until() {
  local timeout_s=$1
  shift
  local deadline=$((SECONDS + timeout_s))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Shared helpers of the workshop scripts (start/stop-platform-*, inventory-processor.sh,
# order-cdc.sh, scripts/platform.sh): settings, numbered steps with timing, our components' pid files,
# port checks and health waits with deadlines. Sourced, never executed; expects REPO_ROOT.
#
# Every process these scripts start is recorded in $PID_DIR/<component>.pid and checked against its
# command line before it is signalled, so a stop never touches another user's processes (the
# original's `pkill -f gradle` and `lsof -ti:8080 | xargs kill -9` did, F-U-2).

# shellcheck source=common.sh
source "$REPO_ROOT/scripts/lib/common.sh"

# --- settings ---------------------------------------------------------------------------------------

# The settings file: $ENV_FILE when set (tests use their own), else .env at the repository root.
ws_env_file() { abs_path "${ENV_FILE:-.env}"; }

# Settings derived from another one, with the value .env.example spells out for them. A file value
# equal to that example default is dropped so the setting follows its base: otherwise copying
# .env.example and changing only KAFKA_PORT (or running KAFKA_PORT=19092 ./start-platform-local.sh)
# would leave the services talking to a broker on 9092. A value set in the environment always wins.
WS_DERIVED_EXAMPLE_DEFAULTS=(
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092
  PROCESSOR_URL=http://127.0.0.1:8091
  CDC_URL=http://127.0.0.1:8092
  PROCESSOR_STATE_DIR=.data/processor
)

# Loads FILE (default: ws_env_file, else .env.example) without executing it, then the defaults;
# variables already set in the environment win.
ws_load_env() {
  ws_read_env_file "${1:-$(ws_env_file)}"
  ws_defaults
}

# Loads FILE (else .env.example when FILE does not exist) without executing it; variables already set
# in the environment win; derived settings left at their example default are dropped (see above).
ws_read_env_file() {
  local file=$1 entry name given=()
  for entry in "${WS_DERIVED_EXAMPLE_DEFAULTS[@]}"; do
    name=${entry%%=*}
    [[ -n ${!name+x} ]] && given+=("$name")
  done
  if [[ -f $file ]]; then
    load_env_file "$file"
  elif [[ -f $REPO_ROOT/.env.example ]]; then
    load_env_file "$REPO_ROOT/.env.example"
  fi
  for entry in "${WS_DERIVED_EXAMPLE_DEFAULTS[@]}"; do
    name=${entry%%=*}
    [[ " ${given[*]} " == *" $name "* ]] && continue
    [[ ${!name:-} == "${entry#*=}" ]] && unset "$name"
  done
  return 0
}

# Defaults of DESIGN §10; every one overridable from the environment or .env.
ws_defaults() {
  export API_PORT=${API_PORT:-8081}
  export PROCESSOR_PORT=${PROCESSOR_PORT:-8091}
  export CDC_PORT=${CDC_PORT:-8092}
  export KAFKA_PORT=${KAFKA_PORT:-9092}
  export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
  export POSTGRES_PORT=${POSTGRES_PORT:-5432}
  export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
  export POSTGRES_HOST=${POSTGRES_HOST:-127.0.0.1}
  export POSTGRES_DB=${POSTGRES_DB:-ecommerce}
  export POSTGRES_USER=${POSTGRES_USER:-postgres}
  export POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}
  export LOG_LEVEL=${LOG_LEVEL:-info}
  export PROCESSOR_URL=${PROCESSOR_URL:-http://127.0.0.1:$PROCESSOR_PORT}
  export CDC_URL=${CDC_URL:-http://127.0.0.1:$CDC_PORT}
  DATA_DIR=$(abs_path "${DATA_DIR:-.data}")
  LOG_DIR=$(abs_path "${LOG_DIR:-logs}")
  PID_DIR=$(abs_path "${PID_DIR:-.pids}")
  # The processor's LMDB state is data: it lives in DATA_DIR (so --clean resets it too).
  PROCESSOR_STATE_DIR=$(abs_path "${PROCESSOR_STATE_DIR:-$DATA_DIR/processor}")
  export DATA_DIR LOG_DIR PID_DIR PROCESSOR_STATE_DIR
  # Seconds to wait for a component's /health, and for it to stop before SIGKILL.
  START_TIMEOUT_S=${START_TIMEOUT_S:-120}
  STOP_TIMEOUT_S=${STOP_TIMEOUT_S:-5}
  mkdir -p "$LOG_DIR" "$PID_DIR"
}

# --- numbered steps with timing ---------------------------------------------------------------------

WS_STEP_TOTAL=0
WS_STEP_NO=0
WS_STEP_LOG=""

now_s() { date +%s.%N; }
elapsed_s() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# steps_begin TOTAL LOGFILE: the detailed output of every step goes to LOGFILE; the terminal gets one
# line per step ("Step 2/7: starting Kafka and PostgreSQL… ready in 6.1 s").
steps_begin() {
  WS_STEP_TOTAL=$1
  WS_STEP_LOG=$2
  WS_STEP_NO=0
  mkdir -p "$(dirname "$WS_STEP_LOG")"
  : >"$WS_STEP_LOG"
}

# step "TITLE" CMD ARGS...: runs one step in a subshell (a `die` inside cannot skip the report); on
# failure prints the step's error (or its last output lines) and exits 1.
step() {
  local title=$1 t0 rc=0
  shift
  WS_STEP_NO=$((WS_STEP_NO + 1))
  t0=$(now_s)
  export WS_STEP_RESULT_FILE="$WS_STEP_LOG.result" WS_STEP_ERROR_FILE="$WS_STEP_LOG.error"
  rm -f "$WS_STEP_RESULT_FILE" "$WS_STEP_ERROR_FILE"
  printf 'Step %d/%d: %s… ' "$WS_STEP_NO" "$WS_STEP_TOTAL" "$title"
  printf '\n=== Step %d/%d: %s\n' "$WS_STEP_NO" "$WS_STEP_TOTAL" "$title" >>"$WS_STEP_LOG"
  local log_offset
  log_offset=$(($(stat -c %s "$WS_STEP_LOG") + 1))
  # Started in the background and awaited: a subshell on the left of `||` runs with `set -e`
  # switched off (bash ignores -e there, even when set again inside), so a failing command in the
  # middle of a step function went unnoticed and the step reported "done".
  (
    set -e
    "$@"
  ) >>"$WS_STEP_LOG" 2>&1 &
  wait "$!" || rc=$?
  if ((rc != 0)); then
    printf 'FAILED after %s s\n\n' "$(elapsed_s "$t0")"
    if [[ -s $WS_STEP_ERROR_FILE ]]; then
      cat "$WS_STEP_ERROR_FILE" >&2
    else
      # The step's own "error: …" lines are the message; else its last plain lines (not JSON logs).
      local output
      output=$(tail -c +"$log_offset" "$WS_STEP_LOG")
      if grep -q '^error:' <<<"$output"; then
        grep '^error:' <<<"$output" >&2
      else
        grep -v '^{' <<<"$output" | tail -n 15 >&2
      fi
    fi
    printf 'Full output of this step: %s\n' "${WS_STEP_LOG#"$REPO_ROOT"/}" >&2
    rm -f "$WS_STEP_RESULT_FILE" "$WS_STEP_ERROR_FILE"
    exit 1
  fi
  local word=done
  [[ -s $WS_STEP_RESULT_FILE ]] && word=$(cat "$WS_STEP_RESULT_FILE")
  rm -f "$WS_STEP_RESULT_FILE" "$WS_STEP_ERROR_FILE"
  printf '%s in %s s\n' "$word" "$(elapsed_s "$t0")"
}

# Inside a step: what to print instead of "done" ("ready", "already running", "skipped").
step_result() { [[ -n ${WS_STEP_RESULT_FILE:-} ]] && printf '%s' "$1" >"$WS_STEP_RESULT_FILE"; return 0; }

# Inside a step: the message the user sees when the step fails (also kept in the step log).
fail() {
  local message
  message=$(printf '%s\n' "$*" | sed 's/^/error: /')
  printf '%s\n' "$message"
  if [[ -n ${WS_STEP_ERROR_FILE:-} ]]; then printf '%s\n' "$message" >>"$WS_STEP_ERROR_FILE"; else printf '%s\n' "$message" >&2; fi
  return 1
}
# The last warnings and errors of a component's log since its latest start, one readable line each
# (the services log JSON: "ERROR message: cause"; plain lines such as a crash stack are kept).
log_digest() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
    const start = lines.map((l) => l.startsWith("=== ")).lastIndexOf(true);
    const names = { 40: "WARN", 50: "ERROR", 60: "FATAL" };
    const out = [];
    for (const line of lines.slice(start + 1)) {
      if (!line.trim()) continue;
      let entry;
      try { entry = JSON.parse(line); } catch { out.push("  " + line); continue; }
      if (!entry || typeof entry !== "object" || (entry.level ?? 0) < 40) continue;
      const cause = entry.err?.message ?? entry.error?.message ?? "";
      out.push(`  ${names[entry.level] ?? entry.level} ${entry.msg ?? ""}${cause && cause !== entry.msg ? ": " + cause : ""}`);
    }
    // Retries repeat one message: show each once, in order of last appearance.
    const unique = out.filter((l, i) => out.lastIndexOf(l) === i);
    console.log(unique.slice(-12).join("\n") || "  (nothing logged)");
  ' "$1" 2>/dev/null || tail -n 15 "$1"
}

# Inside a step: extra lines for the user (e.g. the tail of a component's log) after a fail.
fail_detail() {
  if [[ -n ${WS_STEP_ERROR_FILE:-} ]]; then cat >>"$WS_STEP_ERROR_FILE"; else cat >&2; fi
}

# --- topics and database ------------------------------------------------------------------------------

# Inside a step: runs a setup tool; when it fails, its own last plain line (not a JSON log line) plus
# what to check becomes the step's message ("Connection timeout" alone does not say which broker).
run_setup_tool() {
  local hint=$1 out rc=0 reason
  shift
  out=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$out"
  ((rc == 0)) && return 0
  reason=$(grep -v -e '^{' -e '^[[:space:]]*$' <<<"$out" | tail -n 1)
  fail "${reason:-exit code $rc}. $hint"
}

ws_create_topics() {
  run_setup_tool "Check that Kafka answers at $KAFKA_BOOTSTRAP_SERVERS (KAFKA_BOOTSTRAP_SERVERS, KAFKA_SASL_MECHANISM, KAFKA_USER, KAFKA_PASSWORD, KAFKA_SSL in $(basename "$(ws_env_file)"))." \
    node "$REPO_ROOT/scripts/run-ts.js" "$REPO_ROOT/scripts/manage-topics.ts" create
}

ws_migrate_db() {
  run_setup_tool "Check that PostgreSQL answers at $POSTGRES_HOST:$POSTGRES_PORT (POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_SSL in $(basename "$(ws_env_file)"))." \
    node "$REPO_ROOT/scripts/run-ts.js" "$REPO_ROOT/scripts/manage-db.ts" migrate
}

# --- components -------------------------------------------------------------------------------------

# component_main NAME: the entry point of one of our components.
component_main() {
  case $1 in
    checkout-api) echo "services/checkout-api/dist/main.js" ;;
    inventory-processor) echo "services/inventory-processor/dist/main.js" ;;
    cdc-worker) echo "services/cdc-worker/dist/main.js" ;;
    *) die "unknown component $1" ;;
  esac
}

component_port() {
  case $1 in
    checkout-api) echo "$API_PORT" ;;
    inventory-processor) echo "$PROCESSOR_PORT" ;;
    cdc-worker) echo "$CDC_PORT" ;;
  esac
}

component_pid_file() { printf '%s\n' "$PID_DIR/$1.pid"; }

# Prints the pid of NAME when its pid file names a live process that is really that component (a
# recycled pid belonging to something else is never reported, so never signalled).
component_pid() {
  local name=$1 pid main
  pid=$(read_pid "$(component_pid_file "$name")")
  pid_alive "$pid" || return 0
  main=$(component_main "$name")
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$main"; then
    printf '%s\n' "$pid"
  fi
}

http_ok() { curl -fsS -o /dev/null -m 2 "$1" 2>/dev/null; }

# A port is taken when something listens on it, or when an open connection uses it as its local
# port: ports from 32768 to 60999 are handed out to outgoing connections, and a listener cannot bind
# one that a live connection holds (the broker would die at start-up with "Address already in use").
port_taken() {
  port_open "$1" && return 0
  command -v ss >/dev/null 2>&1 || return 1
  # Only live connections: closing ones left by a stopped listener of ours do not block a new bind.
  [[ -n $(ss -Htan state established state syn-sent state close-wait "( sport = :$1 )" 2>/dev/null) ]]
}

# The message for PORT (needed by WHAT, set by VAR) being taken by another process.
port_problem() {
  local port=$1 what=$2 var=${3:-PORT} owner env_name
  env_name=$(basename "$(ws_env_file)")
  if port_open "$port"; then
    owner=$(port_owner "$port")
    printf 'port %s (needed by %s) is already in use%s. Stop that process, or choose another port in %s (e.g. %s=%s).\n' \
      "$port" "$what" "${owner:+ by $owner}" "$env_name" "$var" "$((port + 1000))"
  else
    owner=$(ss -Htanp state established state syn-sent state close-wait "( sport = :$port )" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1)
    printf 'port %s (needed by %s) is held by an open connection%s: ports 32768-60999 are also handed out to outgoing connections. Choose a port below 32768 in %s (e.g. %s=%s).\n' \
      "$port" "$what" "${owner:+ of $owner}" "$env_name" "$var" "$((port % 10000 + 20000))"
  fi
}

# Fails with one clear message when PORT is taken by a process that is not ours.
require_port_free() {
  if port_taken "$1"; then
    fail "$(port_problem "$@")"
  fi
}

# Prints the pid named by PIDFILE (first line) when that process is alive: our infrastructure
# (scripts/infra.sh) holding its own port is not a conflict.
ours_alive() {
  local pid
  pid=$(read_pid "$1")
  if pid_alive "$pid"; then printf '%s\n' "$pid"; fi
}

# Fails when WHAT at HOST:PORT does not accept a TCP connection within 3 s.
require_reachable() {
  local what=$1 address=$2 host port
  host=${address%:*}
  port=${address##*:}
  if ! timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
    fail "$what at $address does not accept connections. Is the platform running? Start it first with ./start-platform-local.sh (or ./start-platform-remote.sh), then run this script again."
  fi
}

# start_component NAME ENVVAR_OF_PORT [ARGS...]: starts NAME in the background (log in
# $LOG_DIR/NAME.log, pid in $PID_DIR/NAME.pid) and waits for GET /health = 200 within
# START_TIMEOUT_S. Never reports success for a component that did not become ready (F-U-1): on a
# crash or timeout it stops what it started, prints the last log lines and fails.
start_component() {
  local name=$1 port_var=$2
  shift 2
  local port main log pid url deadline
  port=$(component_port "$name")
  main=$(component_main "$name")
  log="$LOG_DIR/$name.log"
  url="http://127.0.0.1:$port/health"
  pid=$(component_pid "$name")
  if [[ -n $pid ]]; then
    step_result "already running (pid $pid)"
    return 0
  fi
  [[ -f $REPO_ROOT/$main ]] || { fail "$main is missing: build first (npm run build)"; return 1; }
  require_port_free "$port" "$name" "$port_var" || return 1
  # A dependency that does not even accept connections is said at once, not after the component's
  # own retries (20 s and more) end in a crash.
  require_reachable Kafka "${KAFKA_BOOTSTRAP_SERVERS%%,*}" || return 1
  if [[ $name != inventory-processor ]]; then
    require_reachable PostgreSQL "$POSTGRES_HOST:$POSTGRES_PORT" || return 1
  fi
  printf '\n=== %s starting %s\n' "$(date -Is)" "$name" >>"$log"
  (cd "$REPO_ROOT" && exec setsid node "$main" "$@" >>"$log" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$(component_pid_file "$name")"
  deadline=$((SECONDS + START_TIMEOUT_S))
  until http_ok "$url"; do
    if ! pid_alive "$pid"; then
      local code=0
      wait "$pid" 2>/dev/null || code=$?
      rm -f "$(component_pid_file "$name")"
      # (`|| true`: steps run with -e, and fail returns 1 on purpose.)
      fail "$name exited with code $code during start-up. Its last warnings and errors (${log#"$REPO_ROOT"/}):" || true
      log_digest "$log" | fail_detail
      return 1
    fi
    if ((SECONDS >= deadline)); then
      stop_components "$name" >/dev/null
      fail "$name did not report healthy at $url within ${START_TIMEOUT_S}s; stopped it. Its last warnings and errors (${log#"$REPO_ROOT"/}):" || true
      log_digest "$log" | fail_detail
      return 1
    fi
    sleep 0.3
  done
  step_result "ready (pid $pid)"
}

# Stops the named components at once: SIGTERM, up to STOP_TIMEOUT_S for all of them, then SIGKILL.
# Prints one line per component it stopped.
stop_components() {
  local name pid pids=() names=()
  for name in "$@"; do
    pid=$(component_pid "$name")
    if [[ -z $pid ]]; then
      rm -f "$(component_pid_file "$name")"
      continue
    fi
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
    names+=("$name")
  done
  ((${#pids[@]})) || return 0
  local deadline i alive killed
  # Milliseconds in bash's 64-bit arithmetic: mawk's printf "%d" clamps epoch deciseconds to 2^31-1,
  # which made this deadline "already passed" and every component was SIGKILLed at once.
  deadline=$(($(now_ms) + $(awk -v t="$STOP_TIMEOUT_S" 'BEGIN { printf "%d", t * 1000 }')))
  while :; do
    alive=0
    for pid in "${pids[@]}"; do pid_alive "$pid" && alive=1; done
    ((alive)) || break
    (($(now_ms) < deadline)) || break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    killed=""
    if pid_alive "${pids[$i]}"; then
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      killed=" (SIGKILL after ${STOP_TIMEOUT_S}s)"
      wait_until 5 bash -c "! kill -0 ${pids[$i]} 2>/dev/null" || true
    fi
    rm -f "$(component_pid_file "${names[$i]}")"
    echo "stopped ${names[$i]} (pid ${pids[$i]})$killed"
  done
}

# --- prerequisites ----------------------------------------------------------------------------------

require_node() {
  command -v node >/dev/null 2>&1 ||
    { fail "Node.js not found: install Node.js 20 or newer (https://nodejs.org, or nvm install 20)"; return 1; }
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  ((major >= 20)) ||
    { fail "Node.js $(node -v) found; KartShoppe needs Node.js 20 or newer (nvm install 20 && nvm use 20)"; return 1; }
}

# True when a Docker engine answers (then Kafka and Postgres run in containers).
docker_engine() {
  [[ ${USE_DOCKER:-auto} != false ]] || return 1
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1
}

# Node modules and a built tree.
ensure_node_modules() {
  if [[ -d $REPO_ROOT/node_modules/.bin && -d $REPO_ROOT/node_modules/kafkajs ]]; then
    step_result "node_modules present"
    return 0
  fi
  (cd "$REPO_ROOT" && npm ci --no-audit --no-fund)
}

build_all() {
  (cd "$REPO_ROOT" && npx tsc -b tsconfig.build.json)
  # The storefront build (vite) is the slow part: skip it when its output is newer than its inputs.
  local stamp="$REPO_ROOT/frontend/dist/index.html"
  if [[ -f $stamp ]] && [[ -z $(find "$REPO_ROOT/frontend" "$REPO_ROOT/services/contracts/src" \
    \( -path "$REPO_ROOT/frontend/dist" -o -path "$REPO_ROOT/frontend/node_modules" \) -prune -o \
    -type f -newer "$stamp" -print -quit 2>/dev/null) ]]; then
    echo "storefront up to date (frontend/dist)"
    return 0
  fi
  (cd "$REPO_ROOT" && npm run build -w frontend --if-present)
}

# Prints the value of a variable with secrets masked (passwords, tokens).
print_setting() {
  local key=$1 value=${!1:-}
  case $key in
    *PASSWORD* | *TOKEN* | *SECRET*) [[ -n $value ]] && value='********' ;;
  esac
  printf '  %-26s %s\n' "$key" "${value:-(unset)}"
}

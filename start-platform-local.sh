#!/usr/bin/env bash
# Starts KartShoppe locally for the workshop: Kafka + PostgreSQL (Docker compose when a Docker engine
# answers, otherwise native processes), topics, database migrations, the build, and the checkout API
# serving the storefront. Like the original it does NOT start the inventory processor or the CDC
# worker: the shop stays empty until you run ./inventory-processor.sh, then ./order-cdc.sh.
#
#   ./start-platform-local.sh
#
# Settings: .env, or $ENV_FILE (created from .env.example on the first run), overridable from the
# environment. Logs in logs/, pids in .pids/, data in .data/. Stop with ./stop-platform-local.sh.
# Exit codes: 0 started, 1 a step failed (its message says why and how to fix it), 3 already running.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"

env_file=$(ws_env_file)
created_env=""
if [[ ! -f $env_file ]]; then
  [[ -f .env.example ]] || die ".env.example is missing: this checkout is incomplete (git checkout -- .env.example)"
  mkdir -p "$(dirname "$env_file")"
  cp .env.example "$env_file"
  created_env=1
fi
ws_load_env "$env_file"
export API_MODE=${API_MODE:-local}

api_url="http://127.0.0.1:$API_PORT"
t_start=$(now_s)

# A second start changes nothing and says so (exit 3, so `npm start` can tell it from a failure).
pid=$(component_pid checkout-api)
if [[ -n $pid ]]; then
  echo "error: KartShoppe is already running (checkout-api pid $pid, storefront $api_url). Stop it first with ./stop-platform-local.sh" >&2
  exit 3
fi

echo "KartShoppe: starting the local platform"
[[ -n $created_env ]] && echo "  ${env_file#"$REPO_ROOT"/} was missing: created it from .env.example (edit it to change ports or credentials)"

if docker_engine; then INFRA_MODE=docker; else INFRA_MODE=native; fi

check_prerequisites() {
  require_node || return 1
  if [[ $INFRA_MODE == docker ]]; then
    echo "Docker engine answers: Kafka and PostgreSQL run with docker compose (compose-local.yml)"
  else
    echo "no Docker engine: Kafka and PostgreSQL run natively"
    command -v java >/dev/null 2>&1 ||
      { fail "Java not found: Kafka needs Java 17 or newer (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) — or start Docker and run this script again"; return 1; }
    local java_major
    java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
    ((${java_major:-0} >= 17)) ||
      { fail "Java ${java_major:-?} found; Kafka needs Java 17 or newer (sudo apt-get install -y openjdk-17-jre-headless)"; return 1; }
    if [[ ! -f ${KAFKA_LIBS_DIR:-$REPO_ROOT/.data/kafka/libs}/.fetched ]] && ! command -v mvn >/dev/null 2>&1; then
      fail "Maven not found: it downloads the Kafka jars once (sudo apt-get install -y maven; macOS: brew install maven)"
      return 1
    fi
    if [[ ! -x ${PG_BIN:-/nonexistent}/pg_ctl && ! -x /usr/lib/postgresql/15/bin/pg_ctl ]] && ! command -v pg_ctl >/dev/null 2>&1; then
      fail "PostgreSQL 15 server binaries (pg_ctl, initdb) not found: sudo apt-get install -y postgresql-15 (macOS: brew install postgresql@15), or set PG_BIN to their folder"
      return 1
    fi
  fi
  # Ports held by something else fail here, all in one message, before anything starts (a conflict
  # found later would leave Kafka running behind a failed start).
  local problems=()
  port_taken "$API_PORT" && problems+=("$(port_problem "$API_PORT" "the checkout API" API_PORT)")
  if [[ $INFRA_MODE == native ]]; then
    if [[ -z $(ours_alive "$PID_DIR/kafka.pid") ]]; then
      port_taken "$KAFKA_PORT" && problems+=("$(port_problem "$KAFKA_PORT" Kafka KAFKA_PORT)")
      port_taken "$KAFKA_CONTROLLER_PORT" &&
        problems+=("$(port_problem "$KAFKA_CONTROLLER_PORT" "Kafka's controller" KAFKA_CONTROLLER_PORT)")
    fi
    if [[ -z $(ours_alive "$DATA_DIR/postgres/data/postmaster.pid") ]]; then
      port_taken "$POSTGRES_PORT" && problems+=("$(port_problem "$POSTGRES_PORT" PostgreSQL POSTGRES_PORT)")
    fi
  fi
  if ((${#problems[@]})); then
    fail "$(printf '%s\n' "${problems[@]}")"
    return 1
  fi
}

infra_up() {
  if [[ $INFRA_MODE == docker ]]; then
    docker compose -f compose-local.yml up -d --wait kafka postgres
  else
    bash scripts/infra.sh up
  fi
  echo "$INFRA_MODE" >"$PID_DIR/infra-mode"
}


steps_begin 7 "$LOG_DIR/start-platform-local.log"
step "checking prerequisites" check_prerequisites
step "installing npm dependencies" ensure_node_modules
step "starting Kafka and PostgreSQL ($INFRA_MODE)" infra_up
step "creating topics" ws_create_topics
step "migrating the database" ws_migrate_db
step "building the services and the storefront" build_all
step "starting the checkout API" start_component checkout-api API_PORT

cat <<EOF

KartShoppe is running (started in $(elapsed_s "$t_start") s). Step log: ${WS_STEP_LOG#"$REPO_ROOT"/}
  Storefront     $api_url
  Topics page    $api_url/topics
  Platform page  $api_url/platform
  API docs       $api_url/api/docs
  Kafka          $KAFKA_BOOTSTRAP_SERVERS
  PostgreSQL     $POSTGRES_HOST:$POSTGRES_PORT db $POSTGRES_DB
  Logs           ${LOG_DIR#"$REPO_ROOT"/}/checkout-api.log

The shop is empty until the inventory processor runs (the Platform page shows it down).
Next steps (README, "Workshop"):
  2. ./inventory-processor.sh     start the inventory processor: the catalog appears
  3. buy something with "Use CDC" unchecked, then trace it:
     npm run topics -- tail order-events,inventory-events --filter '.value.productId == "PROD_0001"'
  4. set a stock by hand:
     npm run topics -- produce product-updates --key PROD_0001 --value '{"productId":"PROD_0001","inventory":10}'
  5. ./order-cdc.sh               start the CDC worker, then check "Use CDC" at checkout
  6. ./stop-platform-local.sh     stop everything (data is kept; --clean removes it)
EOF

#!/usr/bin/env bash
# Starts KartShoppe against a managed Kafka (SASL/SCRAM over TLS) and a managed PostgreSQL (TLS)
# configured in .env: creates the topics (replication factor TOPIC_REPLICATION_FACTOR, default 3),
# migrates the database, builds, and starts our components — checkout API + storefront, inventory
# processor, CDC worker. Refuses to start when a required setting is missing.
#
#   ./start-platform-remote.sh          stop with ./stop-platform-remote.sh
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"

env_file=${ENV_FILE:-$REPO_ROOT/.env}
[[ -f $env_file ]] ||
  die "$env_file not found: copy .env.example to .env and fill in the remote settings (KAFKA_BOOTSTRAP_SERVERS, KAFKA_SASL_MECHANISM, KAFKA_USER, KAFKA_PASSWORD, KAFKA_SSL=true, POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_SSL=true)"
# Example defaults of derived settings are dropped (a managed Kafka is never 127.0.0.1:9092).
ws_read_env_file "$env_file"

# Remote-only defaults before the common ones.
export TOPIC_REPLICATION_FACTOR=${TOPIC_REPLICATION_FACTOR:-3}
export API_MODE=${API_MODE:-remote}

# Every required setting is checked up front and all problems are reported together.
problems=()
for key in KAFKA_BOOTSTRAP_SERVERS KAFKA_SASL_MECHANISM KAFKA_USER KAFKA_PASSWORD POSTGRES_HOST POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD; do
  value=${!key:-}
  if [[ -z $value || $value == *REPLACE* || $value == *'<'*'>'* ]]; then problems+=("$key is not set"); fi
done
case ${KAFKA_SASL_MECHANISM:-} in
  '' | plain | scram-sha-256 | scram-sha-512) ;;
  *) problems+=("KAFKA_SASL_MECHANISM must be scram-sha-256, scram-sha-512 or plain (got ${KAFKA_SASL_MECHANISM})") ;;
esac
# Credentials never cross the internet in clear text (the original used SASL_PLAINTEXT and no
# Postgres TLS, F-SEC-2).
[[ ${KAFKA_SSL:-} == true ]] || problems+=("KAFKA_SSL must be true for a managed Kafka (SASL credentials over TLS)")
[[ ${POSTGRES_SSL:-} == true ]] || problems+=("POSTGRES_SSL must be true for a managed PostgreSQL")
# node-postgres connects to a single host; a host list could land on a read-only standby (F-REL-5).
[[ ${POSTGRES_HOST:-} != *,* ]] ||
  problems+=("POSTGRES_HOST lists several hosts (${POSTGRES_HOST}); set it to the primary's address only")
[[ ${POSTGRES_HOST:-} != 127.0.0.1 && ${POSTGRES_HOST:-} != localhost ]] ||
  problems+=("POSTGRES_HOST is $POSTGRES_HOST: for a local database use ./start-platform-local.sh")
if ((${#problems[@]})); then
  echo "error: cannot start in remote mode, fix $env_file:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
ws_defaults

api_url="http://127.0.0.1:$API_PORT"
t_start=$(now_s)
echo "KartShoppe: starting our components against the managed Kafka and PostgreSQL in ${env_file#"$REPO_ROOT"/}"
for key in KAFKA_BOOTSTRAP_SERVERS KAFKA_SASL_MECHANISM KAFKA_USER KAFKA_PASSWORD KAFKA_SSL POSTGRES_HOST POSTGRES_PORT POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD POSTGRES_SSL TOPIC_REPLICATION_FACTOR CDC_SLOT_NAME ADMIN_TOKEN; do
  print_setting "$key"
done
[[ -n ${ADMIN_TOKEN:-} ]] ||
  echo "  note: ADMIN_TOKEN is not set, so producing from the Topics page and 'npm run topics -- produce' is disabled in remote mode"

check_prerequisites() {
  require_node || return 1
  require_port_free "$API_PORT" "the checkout API" API_PORT || return 1
}

if [[ -z $(component_pid checkout-api) ]]; then
  total=8
else
  total=3
  echo "  the checkout API is already running; starting whatever else is missing"
fi
steps_begin "$total" "$LOG_DIR/start-platform-remote.log"
if ((total == 8)); then
  step "checking prerequisites" check_prerequisites
  step "installing npm dependencies" ensure_node_modules
  step "creating topics (replication factor $TOPIC_REPLICATION_FACTOR)" ws_create_topics
  step "migrating the database" ws_migrate_db
  step "building the services and the storefront" build_all
fi
step "starting the checkout API" start_component checkout-api API_PORT
step "starting the inventory processor" start_component inventory-processor PROCESSOR_PORT
step "starting the CDC worker" start_component cdc-worker CDC_PORT
echo remote >"$PID_DIR/platform-mode"

cat <<EOF

KartShoppe (remote mode) is running (started in $(elapsed_s "$t_start") s). Step log: ${WS_STEP_LOG#"$REPO_ROOT"/}
  Storefront     $api_url
  Topics page    $api_url/topics
  Platform page  $api_url/platform
  API docs       $api_url/api/docs
  Logs           ${LOG_DIR#"$REPO_ROOT"/}/{checkout-api,inventory-processor,cdc-worker}.log

Stop with ./stop-platform-remote.sh (the managed Kafka topics, the database and the CDC slot are kept;
add --drop-slot to also drop the replication slot).
EOF

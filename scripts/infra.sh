#!/usr/bin/env bash
# Starts, stops and reports the local infrastructure: a native single-node Kafka (KRaft) and a native
# PostgreSQL 15 with logical decoding. No Docker needed.
#
#   bash scripts/infra.sh up|down|status|jars [--env-file FILE]
#
# (`jars` only fetches the Kafka jars with Maven, once.)
# Settings come from the environment, then FILE (default .env, else .env.example), then defaults:
# KAFKA_PORT 9092, KAFKA_CONTROLLER_PORT 9093, POSTGRES_PORT 5432, DATA_DIR .data, LOG_DIR logs,
# PID_DIR .pids. `up` is idempotent; `down` stops only what these pid files name. `status` exits 0
# only when every component is running and healthy.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"

usage() { echo "usage: bash scripts/infra.sh up|down|status|jars [--env-file FILE]" >&2; exit 2; }

command=${1:-}
[[ -n $command ]] || usage
shift
env_file=""
while (($#)); do
  case $1 in
    --env-file) env_file=${2:?--env-file needs a file}; shift 2 ;;
    --env-file=*) env_file=${1#--env-file=}; shift ;;
    *) usage ;;
  esac
done
if [[ -n $env_file ]]; then
  [[ -f $env_file ]] || die "env file $env_file not found"
  load_env_file "$env_file"
elif [[ -f $REPO_ROOT/.env ]]; then
  load_env_file "$REPO_ROOT/.env"
else
  load_env_file "$REPO_ROOT/.env.example"
fi

export KAFKA_PORT=${KAFKA_PORT:-9092}
export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
export POSTGRES_PORT=${POSTGRES_PORT:-5432}
export POSTGRES_DB=${POSTGRES_DB:-ecommerce}
export POSTGRES_USER=postgres
export POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}
DATA_DIR=$(abs_path "${DATA_DIR:-.data}")
LOG_DIR=$(abs_path "${LOG_DIR:-logs}")
PID_DIR=$(abs_path "${PID_DIR:-.pids}")
# The jars are shared by every data folder (platform and tests): fetched once per pom.
KAFKA_LIBS_DIR=$(abs_path "${KAFKA_LIBS_DIR:-.data/kafka/libs}")
export DATA_DIR LOG_DIR PID_DIR KAFKA_LIBS_DIR

# shellcheck source=lib/kafka.sh
source "$REPO_ROOT/scripts/lib/kafka.sh"
# shellcheck source=lib/postgres.sh
source "$REPO_ROOT/scripts/lib/postgres.sh"

mkdir -p "$DATA_DIR" "$LOG_DIR" "$PID_DIR"

# One up/down at a time per pid folder: parallel test runs share one infrastructure.
with_lock() {
  exec 8>"$PID_DIR/infra.lock"
  flock -w 300 8 || die "another infra.sh holds $PID_DIR/infra.lock for more than 300s"
  "$@"
}

infra_up() {
  kafka_up
  pg_up
  pg_migrate
  info "infra: up (kafka 127.0.0.1:$KAFKA_PORT, postgres 127.0.0.1:$POSTGRES_PORT db $POSTGRES_DB)"
}

infra_down() {
  local failed=0
  kafka_down || failed=1
  pg_down || failed=1
  return $failed
}

infra_status() {
  local ok=0
  printf '%-9s %-8s %-10s %-22s %s\n' COMPONENT STATE PID ADDRESS HEALTH
  kafka_status || ok=3
  pg_status || ok=3
  return $ok
}

case $command in
  up) with_lock infra_up ;;
  down) with_lock infra_down ;;
  status) infra_status ;;
  jars) kafka_ensure_jars ;;
  *) usage ;;
esac

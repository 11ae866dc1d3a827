#!/usr/bin/env bash
# Stops what the local workshop scripts started: the CDC worker, the inventory processor, the checkout
# API (only the processes named in .pids/, checked against their command line — never other users'
# processes, F-U-2), then Kafka and PostgreSQL. Data in .data/ is kept unless --clean is given
# (then Kafka's and PostgreSQL's data and the processor state are removed; the Kafka jars stay).
#
#   ./stop-platform-local.sh [--clean]
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"

clean=""
for arg in "$@"; do
  case $arg in
    --clean) clean=1 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown option $arg (usage: ./stop-platform-local.sh [--clean])" ;;
  esac
done
ws_load_env

t0=$(now_s)
echo "KartShoppe: stopping the local platform"
stopped=$(stop_components cdc-worker inventory-processor checkout-api)
if [[ -n $stopped ]]; then sed 's/^/  /' <<<"$stopped"; else echo "  no component of ours was running"; fi

mode=native
[[ -f $PID_DIR/infra-mode ]] && mode=$(cat "$PID_DIR/infra-mode")
if [[ $mode == docker ]]; then
  # Without -v: the volumes (Kafka and PostgreSQL data) are kept.
  docker compose -f compose-local.yml down
  [[ -n $clean ]] && docker compose -f compose-local.yml down -v
else
  bash scripts/infra.sh down | sed 's/^/  /'
fi
rm -f "$PID_DIR/infra-mode"

if [[ -n $clean ]]; then
  # Only what this platform keeps in DATA_DIR: the broker's and the database's data and the
  # processor's state. Not the whole folder: .data/ also holds the test suites' infrastructure
  # (.data/test-infra, .data/e2e, possibly running) and the Kafka jar cache (.data/kafka/libs), which
  # is not data and stays, so the next start needs no download.
  libs=$(abs_path "${KAFKA_LIBS_DIR:-.data/kafka/libs}")
  if [[ -d $DATA_DIR/kafka ]]; then
    find "$DATA_DIR/kafka" -mindepth 1 -maxdepth 1 ! -path "$libs" ! -path "$libs.lock" ! -path "$libs.new" \
      -exec rm -rf {} +
    rmdir "$DATA_DIR/kafka" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR/postgres"
  # The processor's local state describes the topics just removed: a stale copy would be taken for
  # current on the next start.
  # Removed only inside the data folder or the checkout, never a folder elsewhere set by mistake.
  if [[ $PROCESSOR_STATE_DIR == "$DATA_DIR/"?* || $PROCESSOR_STATE_DIR == "$REPO_ROOT/"?* ]]; then
    rm -rf "$PROCESSOR_STATE_DIR"
  elif [[ -d $PROCESSOR_STATE_DIR ]]; then
    echo "  note: the processor state in $PROCESSOR_STATE_DIR is outside the checkout and was kept; remove it before the next start"
  fi
  echo "  --clean: removed the data in ${DATA_DIR#"$REPO_ROOT"/}/ (Kafka topics, PostgreSQL orders, processor state; the Kafka jar cache is kept)"
fi
echo "Stopped in $(elapsed_s "$t0") s."

#!/usr/bin/env bash
# Stops our components started by ./start-platform-remote.sh (CDC worker, inventory processor, checkout
# API; only the pids in .pids/). The managed Kafka and PostgreSQL are left alone and nothing is
# dropped: topics, tables and the CDC replication slot stay, so the next start resumes where this one
# stopped. --drop-slot also drops the CDC slot (then orders placed while stopped are not streamed).
#
#   ./stop-platform-remote.sh [--drop-slot]
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"

drop_slot=""
for arg in "$@"; do
  case $arg in
    --drop-slot) drop_slot=1 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown option $arg (usage: ./stop-platform-remote.sh [--drop-slot])" ;;
  esac
done
ws_load_env "${ENV_FILE:-$REPO_ROOT/.env}"

t0=$(now_s)
echo "KartShoppe: stopping our components (remote mode)"
stopped=$(stop_components cdc-worker inventory-processor checkout-api)
if [[ -n $stopped ]]; then sed 's/^/  /' <<<"$stopped"; else echo "  no component of ours was running"; fi
rm -f "$PID_DIR/platform-mode"

if [[ -n $drop_slot ]]; then
  echo "  dropping the CDC replication slot ${CDC_SLOT_NAME:-kartshoppe_cdc}"
  node services/cdc-worker/dist/main.js --drop-slot
fi
echo "Stopped in $(elapsed_s "$t0") s. The managed Kafka and PostgreSQL were not touched."

#!/usr/bin/env bash
# Starts the CDC worker (the original's Flink order CDC job) in the background: it streams committed
# order_items of orders placed with "Use CDC" from PostgreSQL's logical replication into order-events.
# Needs ./start-platform-local.sh (or -remote) to have run. Log: logs/cdc-worker.log.
#
#   ./order-cdc.sh
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"
ws_load_env

pid=$(component_pid cdc-worker)
if [[ -n $pid ]]; then
  echo "The CDC worker is already running (pid $pid): http://127.0.0.1:$CDC_PORT/health"
  exit 0
fi

steps_begin 1 "$LOG_DIR/cdc-worker-start.log"
step "starting the CDC worker" start_component cdc-worker CDC_PORT

cat <<EOF

The CDC worker is running: health http://127.0.0.1:$CDC_PORT/health, log
${LOG_DIR#"$REPO_ROOT"/}/cdc-worker.log. In the storefront, check "Use CDC" at checkout: the stock
drops as before, but the order reaches order-events through the database's change stream:
     npm run topics -- tail order-events --filter '.value.source == "cdc"'
(topics cdc.public.orders and cdc.public.order_items show the raw changes).
Next (README, "Workshop"):
  6. ./stop-platform-local.sh     stop everything (data is kept; --clean removes it)
EOF

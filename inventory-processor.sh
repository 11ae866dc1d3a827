#!/usr/bin/env bash
# Starts the inventory processor (the original's Flink inventory job) in the background: it loads the
# catalog on its first start, then applies product updates and orders, and feeds the storefront.
# Needs ./start-platform-local.sh (or -remote) to have run. Log: logs/inventory-processor.log.
#
#   ./inventory-processor.sh
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"
ws_load_env

pid=$(component_pid inventory-processor)
if [[ -n $pid ]]; then
  echo "The inventory processor is already running (pid $pid): http://127.0.0.1:$PROCESSOR_PORT/health"
  exit 0
fi

steps_begin 1 "$LOG_DIR/inventory-processor-start.log"
step "starting the inventory processor" start_component inventory-processor PROCESSOR_PORT

cat <<EOF

The inventory processor is running: health http://127.0.0.1:$PROCESSOR_PORT/health, state
http://127.0.0.1:$PROCESSOR_PORT/state/products, log ${LOG_DIR#"$REPO_ROOT"/}/inventory-processor.log.
Refresh the storefront (http://127.0.0.1:$API_PORT): the catalog appears. Next (README, "Workshop"):
  3. buy something with "Use CDC" unchecked, then trace it:
     npm run topics -- tail order-events,inventory-events --filter '.value.productId == "PROD_0001"'
  4. set a stock by hand:
     npm run topics -- produce product-updates --key PROD_0001 --value '{"productId":"PROD_0001","inventory":10}'
  5. ./order-cdc.sh               start the CDC worker
EOF

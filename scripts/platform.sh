#!/usr/bin/env bash
# The whole platform at once, for a newcomer (`npm start` / `npm stop`): the workshop's scripts in
# order — ./start-platform-local.sh, ./inventory-processor.sh, ./order-cdc.sh — and
# ./stop-platform-local.sh to stop. The workshop itself walks the same scripts one by one.
#
#   bash scripts/platform.sh start|stop [stop options, e.g. --clean]
#
# start exits 0 when the whole platform is up, 3 when all of it was already running (nothing done),
# 1 when a step failed. A partly running platform (say, the API without the processor) is completed.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/workshop.sh
source "$REPO_ROOT/scripts/lib/workshop.sh"
cd "$REPO_ROOT"

command=${1:-}
[[ $# -gt 0 ]] && shift
case $command in
  start)
    t0=$(now_s)
    # Settings as the scripts will see them (.env.example's while .env does not exist yet).
    ws_load_env
    running=()
    for name in checkout-api inventory-processor cdc-worker; do
      [[ -n $(component_pid "$name") ]] && running+=("$name")
    done
    if ((${#running[@]} == 3)); then
      echo "error: KartShoppe is already running (checkout-api, inventory-processor, cdc-worker): open http://127.0.0.1:$API_PORT, or stop it with npm stop" >&2
      exit 3
    fi
    rc=0
    ./start-platform-local.sh || rc=$?
    # 3: the API and the infrastructure were already up; the missing components are started below.
    ((rc == 0 || rc == 3)) || exit "$rc"
    echo
    ./inventory-processor.sh
    echo
    ./order-cdc.sh
    echo
    echo "The whole platform is up in $(elapsed_s "$t0") s: open http://127.0.0.1:$API_PORT (stop with npm stop)."
    ;;
  stop) exec ./stop-platform-local.sh "$@" ;;
  *)
    echo "usage: bash scripts/platform.sh start|stop [--clean]   (npm start / npm stop)" >&2
    exit 2
    ;;
esac

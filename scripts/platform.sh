#!/usr/bin/env bash
# The whole platform at once, for a newcomer (`npm start` / `npm stop`): the workshop's scripts in
# order — ./start-platform-local.sh, ./inventory-processor.sh, ./order-cdc.sh — and
# ./stop-platform-local.sh to stop. The workshop itself walks the same scripts one by one.
#
#   bash scripts/platform.sh start|stop [stop options, e.g. --clean]
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

command=${1:-}
[[ $# -gt 0 ]] && shift
case $command in
  start)
    t0=$(date +%s.%N)
    ./start-platform-local.sh
    echo
    ./inventory-processor.sh
    echo
    ./order-cdc.sh
    echo
    echo "The whole platform is up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s: open http://127.0.0.1:${API_PORT:-8081} (stop with npm stop)."
    ;;
  stop) exec ./stop-platform-local.sh "$@" ;;
  *)
    echo "usage: bash scripts/platform.sh start|stop [--clean]   (npm start / npm stop)" >&2
    exit 2
    ;;
esac

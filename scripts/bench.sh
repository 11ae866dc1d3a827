#!/usr/bin/env bash
# npm run bench [-- --quick]: every benchmark on its own infrastructure, then one summary.
#
#   1. scripts/infra.sh up on the bench's ports and folders (Kafka 39492/39493, Postgres 35832,
#      .data/bench, logs/bench, .pids/bench): never the platform's or the tests'.
#   2. The component benches (npm run bench:processor, bench:checkout, bench:cdc) against it, then the
#      end-to-end bench (bench/e2e.bench.ts: API 38381, processor 38391, CDC worker 38392).
#   3. bench/report.ts: the last JSON line of each → a table and bench/results/latest.json.
#   4. The infrastructure is stopped on exit (also on failure or Ctrl-C); the benches stop what they start.
#
# --quick: short runs (a few minutes in all) to check the harness, not figures for the README.
# Each bench's full output is kept in logs/bench/<name>.out. Exit status 1 when any bench failed.
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

quick=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: npm run bench [-- --quick]" >&2; exit 2 ;;
  esac
done

export KAFKA_PORT=${BENCH_KAFKA_PORT:-39492}
export KAFKA_CONTROLLER_PORT=${BENCH_KAFKA_CONTROLLER_PORT:-39493}
export POSTGRES_PORT=${BENCH_POSTGRES_PORT:-35832}
export BENCH_KAFKA_PORT=$KAFKA_PORT BENCH_KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT BENCH_POSTGRES_PORT=$POSTGRES_PORT
export POSTGRES_DB=ecommerce POSTGRES_PASSWORD=postgres
export DATA_DIR=.data/bench LOG_DIR=logs/bench PID_DIR=.pids/bench
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
out=logs/bench
mkdir -p "$out" bench/results

stop_infra() { bash scripts/infra.sh down >/dev/null 2>&1 || echo "warning: scripts/infra.sh down failed (DATA_DIR=$DATA_DIR)" >&2; }
trap stop_infra EXIT
trap 'exit 130' INT TERM

bash scripts/infra.sh up || exit 1
node node_modules/typescript/bin/tsc -b tsconfig.build.json || exit 1

failed=()
# run_bench NAME COMMAND…: runs it with its output shown and kept in logs/bench/NAME.out.
run_bench() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$out/$name.out"
  local status=${PIPESTATUS[0]}
  if ((status != 0)); then
    echo "=== $name FAILED (exit $status)"
    failed+=("$name")
  fi
}

if ((quick)); then
  processor_args=(--events 20000)
  checkout_env=(BENCH_DURATION_S=5 BENCH_SESSIONS=20000)
  cdc_args=(--seconds 3 --rates 200,1000 --burst-orders 5000)
  e2e_args=(--quick)
else
  processor_args=()
  checkout_env=()
  cdc_args=()
  e2e_args=()
fi

run_bench processor npm run --silent bench:processor -- --brokers "$KAFKA_BOOTSTRAP_SERVERS" "${processor_args[@]}"
run_bench checkout env BENCH_KAFKA="$KAFKA_BOOTSTRAP_SERVERS" BENCH_PG_PORT="$POSTGRES_PORT" "${checkout_env[@]}" \
  npm run --silent bench:checkout
run_bench cdc env TEST_KAFKA_PORT="$KAFKA_PORT" TEST_PG_PORT="$POSTGRES_PORT" npm run --silent bench:cdc -- "${cdc_args[@]}"
run_bench e2e node scripts/run-ts.js bench/e2e.bench.ts "${e2e_args[@]}"

report_args=(--out bench/results/latest.json)
((quick)) && report_args+=(--quick)
node scripts/run-ts.js bench/report.ts "${report_args[@]}" \
  processor="$out/processor.out" checkout="$out/checkout.out" cdc="$out/cdc.out" e2e="$out/e2e.out" || true

if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi

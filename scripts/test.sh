#!/usr/bin/env bash
# The project's test command (`npm test` = `bash scripts/test.sh all`, called by .ci/run).
#
#   bash scripts/test.sh all|unit|integration|e2e [extra jest args...]
#
# On a fresh machine it first installs what is missing (node_modules, Java + Maven for Kafka,
# PostgreSQL 15, Chromium for e2e; system packages only when running as root), builds, type-checks
# (all), fetches the Kafka jars, then runs jest ONCE over the selected tiers and prints
# `N passed, N failed` from jest's JSON report. Exits with jest's exit code.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

mode=${1:-all}
shift || true
case $mode in
  all | unit | integration | e2e) ;;
  *) echo "usage: bash scripts/test.sh all|unit|integration|e2e [jest args...]" >&2; exit 2 ;;
esac

step() { printf '\n==> %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: missing $*; install it (apt-get install -y $*) or run as root to let this script do it" >&2
    exit 1
  fi
  if ((apt_updated == 0)); then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold "$@"
}

ensure_node_modules() {
  if [[ ! -d node_modules ]]; then
    step "installing npm dependencies (npm ci)"
    flock /tmp/npm.lock npm ci --no-audit --no-fund
  elif [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
    if [[ ${CI:-} == true ]]; then
      step "package-lock.json changed: reinstalling npm dependencies (npm ci)"
      flock /tmp/npm.lock npm ci --no-audit --no-fund
    else
      # Not in CI: other people's processes may be using node_modules right now; do not wipe it.
      echo "warning: package-lock.json is newer than node_modules; run 'npm ci' if tests fail on imports" >&2
    fi
  fi
}

ensure_java() {
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    step "installing Java 17 and Maven (Kafka broker)"
    apt_install openjdk-17-jre-headless maven
  fi
}

ensure_postgres() {
  if [[ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]] && ! command -v pg_ctl >/dev/null 2>&1; then
    step "installing PostgreSQL 15"
    # Our clusters live under .data; Debian must not create (and start) its own on port 5432.
    mkdir -p /etc/postgresql-common 2>/dev/null || true
    if [[ -w /etc/postgresql-common && ! -f /etc/postgresql-common/createcluster.conf ]]; then
      echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
    fi
    apt_install postgresql-15
  fi
}

ensure_chromium() {
  if [[ ! -x /usr/bin/chromium ]]; then
    step "installing Chromium (end-to-end tests)"
    apt_install chromium
  fi
}

ensure_node_modules
if [[ $mode != unit ]]; then
  ensure_java
  ensure_postgres
fi
if [[ $mode == all || $mode == e2e ]]; then ensure_chromium; fi

step "building (tsc -b, frontend)"
npx tsc -b tsconfig.build.json
npm run build -w frontend --if-present

if [[ $mode == all ]]; then
  step "type-checking"
  npm run typecheck
fi

if [[ $mode != unit ]]; then
  step "fetching the Kafka jars (once)"
  bash scripts/infra.sh jars
fi

# The test infrastructure's ports (test/support/infra.ts reads TEST_KAFKA_PORT & co.). When something
# that is not this checkout's test infrastructure holds them (say, another clone's brokers left
# running), the tests move to free ports instead of failing on "port in use".
choose_test_ports() {
  local kafka=${TEST_KAFKA_PORT:-39092} controller=${TEST_KAFKA_CONTROLLER_PORT:-39093} pg=${TEST_PG_PORT:-35432}
  local status_env=(KAFKA_PORT="$kafka" KAFKA_CONTROLLER_PORT="$controller" POSTGRES_PORT="$pg"
    DATA_DIR="${TEST_INFRA_DATA_DIR:-.data/test-infra}" LOG_DIR="${TEST_INFRA_LOG_DIR:-logs/test-infra}"
    PID_DIR="${TEST_INFRA_PID_DIR:-.pids/test-infra}")
  busy() { local p; for p in "$@"; do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0; done; return 1; }
  if ! busy "$kafka" "$controller" "$pg" || env "${status_env[@]}" bash scripts/infra.sh status >/dev/null 2>&1; then
    return 0
  fi
  local offset
  # Steps of 10 stay clear of the ports the e2e suites, chaos run and benches use (+100, +200 …).
  for offset in 10 20 30 40 50 60 70 80 90; do
    if ! busy $((kafka + offset)) $((controller + offset)) $((pg + offset)); then
      echo "note: test ports $kafka/$controller/$pg are taken by something else; using +$offset" >&2
      export TEST_KAFKA_PORT=$((kafka + offset)) TEST_KAFKA_CONTROLLER_PORT=$((controller + offset))
      export TEST_PG_PORT=$((pg + offset))
      return 0
    fi
  done
  echo "error: the test ports $kafka/$controller/$pg and their alternatives are all in use" >&2
  exit 1
}
# The test ports sit inside Linux's range for outgoing connections (32768-60999): under load an outgoing
# socket can hold one of them and a broker then fails with "Address already in use" although nothing
# listens there. As root, reserve them so the kernel never hands them out as ephemeral ports.
reserve_test_ports() {
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports ours=35400-36400,38000-38600,39000-40000
  [[ $EUID -eq 0 && -w $file ]] || return 0
  local current
  current=$(<"$file")
  [[ $current == *"$ours"* ]] && return 0
  echo "${current:+$current,}$ours" >"$file" 2>/dev/null ||
    echo "note: could not reserve the test ports in $file; a busy machine may see 'address in use'" >&2
}
if [[ $mode != unit ]]; then
  reserve_test_ports
  choose_test_ports
fi

select=()
case $mode in
  unit) select=(--selectProjects unit) ;;
  integration) select=(--selectProjects integration) ;;
  e2e) select=(--selectProjects e2e) ;;
  all) ;;
esac

step "running jest ($mode)"
mkdir -p test-results
rm -f test-results/jest.json
set +e
# The local Kafka/Postgres data folders are not sources: without this, jest's file map crawls them and
# reports Postgres's pg_logical/snapshots/*.snap files as obsolete jest snapshots, failing the run.
npx jest "${select[@]}" --modulePathIgnorePatterns '<rootDir>/\.data/' '<rootDir>/logs/' '<rootDir>/\.pids/' \
  --json --outputFile=test-results/jest.json --forceExit "$@"
rc=$?
set -e

if [[ -f test-results/jest.json ]]; then
  node -e '
    const r = require(process.argv[1]);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  ' "$REPO_ROOT/test-results/jest.json"
else
  echo "jest wrote no report (test-results/jest.json); exit code $rc" >&2
  ((rc != 0)) || rc=1
fi
exit "$rc"

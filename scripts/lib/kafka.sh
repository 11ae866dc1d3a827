# Native single-node Kafka (KRaft) for scripts/infra.sh. Sourced; uses helpers from common.sh.
# Variables: KAFKA_PORT, KAFKA_CONTROLLER_PORT, DATA_DIR, LOG_DIR, PID_DIR (absolute), KAFKA_LIBS_DIR,
# KAFKA_HEAP_OPTS.

KAFKA_POM="$REPO_ROOT/infra/kafka/pom.xml"
KAFKA_START_TIMEOUT_S=${KAFKA_START_TIMEOUT_S:-90}
KAFKA_STOP_TIMEOUT_S=${KAFKA_STOP_TIMEOUT_S:-30}

kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM" | head -n1
}

kafka_pid_file() { printf '%s\n' "$PID_DIR/kafka.pid"; }

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found on PATH: Kafka needs a Java 17+ runtime (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)"
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  [[ -n $major && $major -ge 17 ]] ||
    die "java ${major:-?} found, but Kafka $(kafka_version) needs Java 17 or newer"
}

# Downloads the broker's jars with Maven once. A marker records the Kafka version and the pom's
# dependency list, so the jars are fetched again only when those change (not for a comment). The new
# set is fetched next to the old one and swapped in, so a broker starting meanwhile never sees half.
kafka_ensure_jars() {
  local marker="$KAFKA_LIBS_DIR/.fetched" want
  want="$(kafka_version) $(sed -n '/<dependencies>/,/<\/dependencies>/p' "$KAFKA_POM" | sha256sum | cut -c1-16)"
  if [[ -f $marker && $(cat "$marker") == "$want" ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found on PATH: it fetches the Kafka jars once (Debian/Ubuntu: apt-get install -y maven)"
  mkdir -p "$(dirname "$KAFKA_LIBS_DIR")"
  (
    # Concurrent `up`s (several test runs) must not download at the same time.
    flock 9
    if [[ -f $marker && $(cat "$marker") == "$want" ]]; then exit 0; fi
    info "fetching Kafka $(kafka_version) jars with Maven into $KAFKA_LIBS_DIR (once)"
    local fresh="$KAFKA_LIBS_DIR.new"
    rm -rf "$fresh"
    mkdir -p "$fresh"
    if ! mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$fresh" >"$fresh.log" 2>&1; then
      cat "$fresh.log" >&2
      die "Maven could not fetch the Kafka jars (output above)"
    fi
    printf '%s\n' "$want" >"$fresh/.fetched"
    rm -rf "$KAFKA_LIBS_DIR" "$fresh.log"
    mv "$fresh" "$KAFKA_LIBS_DIR"
  ) 9>"$KAFKA_LIBS_DIR.lock"
}

kafka_running_pid() {
  local pid
  pid=$(read_pid "$(kafka_pid_file)")
  if pid_alive "$pid" && grep -q 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    printf '%s\n' "$pid"
  fi
}

kafka_render_config() {
  local dir=$1
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA_DIR@|$dir|g" \
    "$REPO_ROOT/infra/kafka/server.properties" >"$dir/server.properties"
}

# kafka_probe <timeout ms> [--placement]: --placement (start-up only) also waits until a new topic
# gets a leader, which a just-started KRaft broker cannot do for its first seconds.
kafka_probe() {
  local timeout_ms=$1
  if [[ -d $REPO_ROOT/node_modules/kafkajs ]]; then
    node "$REPO_ROOT/scripts/lib/kafka-probe.js" "127.0.0.1:$KAFKA_PORT" "$timeout_ms" "${2:-}" 2>/dev/null
  else
    # Without node_modules, the broker's own "started" line is the best evidence.
    port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$LOG_DIR/kafka-server.log" 2>/dev/null
  fi
}

kafka_up() {
  local dir="$DATA_DIR/kafka" pid
  pid=$(kafka_running_pid)
  if [[ -n $pid ]]; then
    info "kafka: already running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  require_java
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "kafka: port $port is already in use by another process ($(port_owner "$port")); stop it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
    fi
  done
  kafka_ensure_jars
  mkdir -p "$dir" "$LOG_DIR" "$PID_DIR"
  kafka_render_config "$dir"
  local cp="$KAFKA_LIBS_DIR/*"
  if [[ ! -f $dir/metadata/meta.properties ]]; then
    # First start: format the storage with a fresh cluster id (base64url of 16 random bytes). Like
    # Kafka's own Uuid.randomUuid(), never one starting with "-": the storage tool would read it as an
    # option ("--cluster-id: expected one argument"), which failed one first start in 64.
    local cluster_id=-
    while [[ $cluster_id == -* ]]; do
      cluster_id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    done
    info "kafka: formatting storage in $dir (cluster id $cluster_id)"
    java -cp "$cp" -Dlog4j2.configurationFile="$REPO_ROOT/infra/kafka/log4j2.properties" \
      -Dkafka.logs.dir="$LOG_DIR" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$dir/server.properties" >>"$LOG_DIR/kafka.out" 2>&1 ||
      die "kafka: formatting the storage failed (see $LOG_DIR/kafka.out)"
  fi
  local started_ms
  started_ms=$(now_ms)
  # The heap is capped: a single-node dev broker does not need more, and the machine is shared.
  # setsid: the broker outlives the shell (and a test runner) that started it; it must not inherit
  # the lock descriptors (8, 9), or it would hold infra.sh's lock for its whole life.
  # shellcheck disable=SC2086
  setsid java ${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$REPO_ROOT/infra/kafka/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$cp" kafka.Kafka "$dir/server.properties" >>"$LOG_DIR/kafka.out" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$(kafka_pid_file)"
  info "kafka: starting $(kafka_version) (pid $pid) on 127.0.0.1:$KAFKA_PORT"
  local deadline=$((SECONDS + KAFKA_START_TIMEOUT_S))
  until port_open "$KAFKA_PORT"; do
    if ! pid_alive "$pid"; then
      tail -n 30 "$LOG_DIR/kafka-server.log" "$LOG_DIR/kafka.out" >&2 2>/dev/null || true
      rm -f "$(kafka_pid_file)"
      die "kafka: the broker exited during start-up (logs: $LOG_DIR/kafka-server.log, $LOG_DIR/kafka.out)"
    fi
    if ((SECONDS >= deadline)); then
      stop_pid "$pid" 10 kafka || true
      die "kafka: port $KAFKA_PORT not open after ${KAFKA_START_TIMEOUT_S}s (logs: $LOG_DIR/kafka-server.log)"
    fi
    sleep 0.2
  done
  local left_ms=$(((deadline - SECONDS) * 1000))
  ((left_ms > 5000)) || left_ms=5000
  if ! kafka_probe "$left_ms" --placement; then
    stop_pid "$pid" 10 kafka || true
    die "kafka: port $KAFKA_PORT is open but the broker does not answer metadata requests (logs: $LOG_DIR/kafka-server.log)"
  fi
  info "kafka: ready in $(($(now_ms) - started_ms)) ms (pid $pid, 127.0.0.1:$KAFKA_PORT)"
}

kafka_down() {
  local pid
  pid=$(kafka_running_pid)
  if [[ -z $pid ]]; then
    rm -f "$(kafka_pid_file)"
    info "kafka: not running"
    return 0
  fi
  info "kafka: stopping (pid $pid)"
  stop_pid "$pid" "$KAFKA_STOP_TIMEOUT_S" kafka || die "kafka: pid $pid is still alive after SIGKILL"
  rm -f "$(kafka_pid_file)"
  info "kafka: stopped"
}

# Prints one status line; returns 0 only when running and answering.
kafka_status() {
  local pid health
  pid=$(kafka_running_pid)
  if [[ -z $pid ]]; then
    printf '%-9s %-8s %-10s %-22s %s\n' kafka stopped '-' "127.0.0.1:$KAFKA_PORT" '-'
    return 1
  fi
  if kafka_probe 5000; then health=healthy; else health=unhealthy; fi
  printf '%-9s %-8s %-10s %-22s %s\n' kafka running "pid $pid" "127.0.0.1:$KAFKA_PORT" "$health ($(kafka_version))"
  [[ $health == healthy ]]
}

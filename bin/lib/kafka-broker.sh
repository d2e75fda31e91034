#!/usr/bin/env bash
# The local single-node Kafka broker (KRaft, broker + controller, 127.0.0.1 only) of the
# local-kafka module, run as a background JVM whose every file lives under one work folder.
#
#   kafka-broker.sh start  DIR PORT   start it (controller on PORT+1); waits for it to accept clients
#   kafka-broker.sh stop   DIR        SIGTERM the broker started in DIR, SIGKILL after 20 s
#   kafka-broker.sh status DIR        exit 0 if it runs, 3 if not
#
# Environment: LOCAL_KAFKA_JAVA_OPTS (default -Xmx1g), LOCAL_KAFKA_READY_TIMEOUT (seconds, default 60),
# JAVA_HOME (optional).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
MODULE_DIR="$REPO_ROOT/local-kafka"
CLASSPATH_FILE="$MODULE_DIR/target/runtime-classpath.txt"
LAUNCHER_CLASS_FILE="$MODULE_DIR/target/classes/io/gridtier/localkafka/LocalKafkaBroker.class"
MAIN_CLASS="io.gridtier.localkafka.LocalKafkaBroker"
READY_TIMEOUT="${LOCAL_KAFKA_READY_TIMEOUT:-60}"
STOP_TIMEOUT=20
# shellcheck source=processes.sh
source "$SCRIPT_DIR/processes.sh"

usage() {
  echo "usage: $(basename "$0") start DIR PORT | stop DIR | status DIR" >&2
  exit 2
}

die() {
  echo "kafka-broker: $*" >&2
  exit 1
}

# The PID in DIR/broker.pid if that process is alive AND is our launcher for DIR (never another
# process that reused the number); nothing otherwise.
broker_pid() {
  local dir="$1" pid args
  [[ -f "$dir/broker.pid" ]] || return 0
  pid="$(cat "$dir/broker.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  args="$(ps -ww -p "$pid" -o args= 2>/dev/null || true)"
  if [[ "$args" == *"$MAIN_CLASS"* && "$args" == *"--dir $dir "* ]]; then
    echo "$pid"
  fi
}

# DIR made absolute, without creating it; empty if it does not exist.
existing_dir() {
  if [[ -d "$1" ]]; then
    (cd "$1" && pwd)
  fi
}

now_ms() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    local us="${EPOCHREALTIME/[.,]/}"
    echo $(( us / 1000 ))
  else
    echo $(( $(date +%s) * 1000 ))
  fi
}

show_log_tails() {
  local dir="$1"
  for f in "$dir/logs/launcher.out" "$dir/logs/server.log"; do
    if [[ -s "$f" ]]; then
      echo "---- last lines of $f" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

ensure_built() {
  if [[ ! -f "$CLASSPATH_FILE" || ! -f "$LAUNCHER_CLASS_FILE" ]]; then
    echo "kafka-broker: building local-kafka (first use) ..." >&2
    (cd "$REPO_ROOT" && mvn -q -B -pl local-kafka -am package -DskipTests >&2) \
      || die "building local-kafka failed (cd $REPO_ROOT && mvn -B -pl local-kafka -am package -DskipTests)"
  fi
}

cmd_start() {
  [[ $# -eq 2 ]] || usage
  local dir="$1" port="$2" pid java started_ms elapsed_ms deadline
  if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65534 )); then
    die "PORT must be a number between 1 and 65534, not '$port'"
  fi

  mkdir -p "$dir/logs"
  dir="$(cd "$dir" && pwd)"

  pid="$(broker_pid "$dir")"
  if [[ -n "$pid" ]]; then
    if grep -qx "KAFKA READY 127.0.0.1:$port" "$dir/logs/launcher.out" 2>/dev/null; then
      echo "Kafka broker already running at 127.0.0.1:$port (pid $pid, $dir)"
      return 0
    fi
    die "a broker already runs in $dir (pid $pid) but not on port $port; stop it first: $0 stop $dir"
  fi
  rm -f "$dir/broker.pid"

  port_in_use "$port" && die "127.0.0.1:$port is already in use by another process"
  port_in_use "$(( port + 1 ))" && die "127.0.0.1:$(( port + 1 )) (controller port = PORT+1) is already in use"

  ensure_built
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  started_ms="$(now_ms)"
  # shellcheck disable=SC2086 # LOCAL_KAFKA_JAVA_OPTS is a list of JVM options
  nohup "$java" ${LOCAL_KAFKA_JAVA_OPTS:--Xmx1g} \
    -cp "$MODULE_DIR/target/classes:$(cat "$CLASSPATH_FILE")" \
    "$MAIN_CLASS" --dir "$dir" --port "$port" --controller-port "$(( port + 1 ))" \
    >"$dir/logs/launcher.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/broker.pid"

  deadline=$(( $(date +%s) + READY_TIMEOUT ))
  while :; do
    if grep -qx "KAFKA READY 127.0.0.1:$port" "$dir/logs/launcher.out" 2>/dev/null; then
      elapsed_ms=$(( $(now_ms) - started_ms ))
      echo "KAFKA READY 127.0.0.1:$port (pid $pid, started in ${elapsed_ms} ms, data in $dir/data, logs in $dir/logs)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$dir/broker.pid"
      show_log_tails "$dir"
      die "the Kafka broker in $dir exited before it was ready (see above)"
    fi
    if (( $(date +%s) >= deadline )); then
      terminate "$pid"
      rm -f "$dir/broker.pid"
      show_log_tails "$dir"
      die "the Kafka broker in $dir was not ready within ${READY_TIMEOUT}s; it has been stopped (see above)"
    fi
    sleep 0.2
  done
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local dir pid
  dir="$(existing_dir "$1")"
  if [[ -z "$dir" || ! -f "$dir/broker.pid" ]]; then
    echo "Kafka broker in $1 is not running (no pid file)"
    return 0
  fi
  pid="$(broker_pid "$dir")"
  if [[ -z "$pid" ]]; then
    echo "Kafka broker in $dir is not running (stale pid file $(cat "$dir/broker.pid") removed)"
    rm -f "$dir/broker.pid"
    return 0
  fi
  terminate "$pid"
  rm -f "$dir/broker.pid"
  echo "Kafka broker in $dir stopped (pid $pid)"
}

cmd_status() {
  [[ $# -eq 1 ]] || usage
  local dir pid ready
  dir="$(existing_dir "$1")"
  pid="${dir:+$(broker_pid "$dir")}"
  if [[ -n "$pid" ]]; then
    ready="$(grep -m1 '^KAFKA READY ' "$dir/logs/launcher.out" 2>/dev/null | cut -d' ' -f3 || true)"
    echo "Kafka broker in $dir is running (pid $pid${ready:+, $ready})"
    return 0
  fi
  echo "Kafka broker in $1 is not running"
  return 3
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  *) usage ;;
esac

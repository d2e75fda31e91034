#!/usr/bin/env bash
# A real Flink 2.2.1 standalone session cluster on 127.0.0.1: one JobManager and N TaskManagers, each its
# own JVM, started with Flink's own entry points (StandaloneSessionClusterEntrypoint, TaskManagerRunner)
# and Flink's own memory calculation (BashJavaUtils, as flink-dist's scripts do), from the artifacts of the
# local-flink module. Everything it writes lives under one work folder.
#
#   flink-cluster.sh start DIR [--taskmanagers N] [--rest-port P] [--rpc-port P] [--slots S]
#   flink-cluster.sh add-taskmanager DIR          start one more TaskManager (e.g. after a kill -9)
#   flink-cluster.sh kill-taskmanager DIR INDEX   kill -9 TaskManager INDEX (failure tests)
#   flink-cluster.sh stop DIR                     SIGTERM TaskManagers then the JobManager, SIGKILL after 20 s
#   flink-cluster.sh status DIR                   exit 0 and a line per process if the JobManager runs, 3 if not
#   flink-cluster.sh submit DIR [--from CHECKPOINT] JAR CLASS [ARG]...
#                                                 upload JAR through the REST API, run CLASS (restored from
#                                                 CHECKPOINT, a retained checkpoint or savepoint folder); prints the job id
#
# DIR/conf/config.yaml is a real Flink configuration (written at start from the options); logs in DIR/log,
# checkpoints in DIR/checkpoints, savepoints in DIR/savepoints. Processes are stopped by the PIDs in DIR/pids,
# and only when that PID is still our process for DIR.
# Environment: JAVA_HOME (optional), FLINK_CLUSTER_READY_TIMEOUT (seconds, default 90).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
MODULE_DIR="$REPO_ROOT/local-flink"
CLASSPATH_FILE="$MODULE_DIR/target/cluster-classpath.txt"
PLUGINS_DIR="$MODULE_DIR/target/plugins"
JM_CLASS="org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
TM_CLASS="org.apache.flink.runtime.taskexecutor.TaskManagerRunner"
READY_TIMEOUT="${FLINK_CLUSTER_READY_TIMEOUT:-90}"
STOP_TIMEOUT=20
# shellcheck source=processes.sh
source "$SCRIPT_DIR/processes.sh"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Flink on Java 17 needs these (the list of Flink's own config.yaml, env.java.opts.all)
JVM_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

usage() {
  sed -n '7,12p' "$0" | sed 's/^# *//' >&2
  exit 2
}

die() {
  echo "flink-cluster: $*" >&2
  exit 1
}

ensure_built() {
  if [[ ! -f "$CLASSPATH_FILE" || ! -d "$PLUGINS_DIR/metrics-prometheus" ]]; then
    echo "flink-cluster: assembling Flink from Maven Central (first use) ..." >&2
    (cd "$REPO_ROOT" && mvn -q -B -pl local-flink package >&2) \
      || die "building local-flink failed (cd $REPO_ROOT && mvn -B -pl local-flink package)"
  fi
}

# The PID in FILE if that process is alive AND runs CLASS with DIR's configuration; nothing otherwise.
live_pid() {
  local file="$1" class="$2" dir="$3" pid args
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  args="$(ps -ww -p "$pid" -o args= 2>/dev/null || true)"
  if [[ "$args" == *"$class"* && "$args" == *"--configDir $dir/conf"* ]]; then
    echo "$pid"
  fi
}

conf_value() {
  sed -n "s/^$2: *//p" "$1/conf/config.yaml" | head -n 1
}

rest_url() {
  echo "http://127.0.0.1:$(conf_value "$1" rest.port)"
}

# The JVM options and dynamic properties Flink computes for a process (BashJavaUtils, as bin/config.sh does).
resource_params() {
  local dir="$1" which="$2" out
  out="$("$JAVA" -Xmx128m -cp "$(cat "$CLASSPATH_FILE")" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "$which" --configDir "$dir/conf" 2>"$dir/log/bash-java-utils.err")" \
    || die "Flink's BashJavaUtils $which failed: $(tail -n 5 "$dir/log/bash-java-utils.err")"
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

write_config() {
  local dir="$1" rest="$2" rpc="$3" slots="$4"
  cat >"$dir/conf/config.yaml" <<EOF
# Written by bin/lib/flink-cluster.sh start; a standalone session cluster on 127.0.0.1.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: $slots
taskmanager.memory.process.size: 1728m
taskmanager.memory.managed.size: 512m
parallelism.default: 2
state.backend.type: rocksdb
execution.checkpointing.dir: file://$dir/checkpoints
execution.checkpointing.savepoint-dir: file://$dir/savepoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
io.tmp.dirs: $dir/tmp
web.upload.dir: $dir/web-upload
web.tmpdir: $dir/tmp
blob.storage.directory: $dir/tmp
heartbeat.timeout: 15000
# checkpoint statistics over REST at most 100 ms old (default: web.refresh-interval, 3 s), so that a drill
# that sees a checkpoint in progress sees it while it is
rest.cache.checkpoint-statistics.timeout: 100 ms
restart-strategy.type: exponential-delay
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: 19250-19290
EOF
  cat >"$dir/conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
EOF
}

# start_process DIR NAME CLASS WHICH [KEY=VALUE]: the optional setting is one more dynamic property (-D).
start_process() {
  local dir="$1" name="$2" class="$3" which="$4" params jvm dyn pid
  params="$(resource_params "$dir" "$which")"
  jvm="$(echo "$params" | sed -n 1p)"
  dyn="$(echo "$params" | sed -n 2p)"
  [[ -n "${5:-}" ]] && dyn="$dyn -D $5"
  # shellcheck disable=SC2086 # Flink's computed JVM options and dynamic properties are word lists
  # the working directory is the checkout: relative paths in GridTier's configuration resolve against it
  cd "$REPO_ROOT"
  FLINK_PLUGINS_DIR="$PLUGINS_DIR" FLINK_CONF_DIR="$dir/conf" nohup "$JAVA" $jvm "${JVM_OPENS[@]}" \
    -Djava.io.tmpdir="$dir/tmp" -Dlog.file="$dir/log/$name.log" \
    -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" \
    -cp "$(cat "$CLASSPATH_FILE")" "$class" --configDir "$dir/conf" $dyn \
    >"$dir/log/$name.out" 2>&1 </dev/null &
  echo $! >"$dir/pids/$name.pid"
  pid="$(cat "$dir/pids/$name.pid")"
  echo "  $name: pid $pid, log $dir/log/$name.log"
}

registered_taskmanagers() {
  local body
  body="$(curl -fsS --max-time 3 "$(rest_url "$1")/taskmanagers" 2>/dev/null || true)"
  grep -o '"id":"[^"]*"' <<<"$body" | wc -l
}

await() {
  local what="$1" deadline=$(( $(date +%s) + READY_TIMEOUT ))
  shift
  until "$@"; do
    if (( $(date +%s) >= deadline )); then
      return 1
    fi
    sleep 0.5
  done
}

rest_answers() {
  curl -fsS --max-time 3 "$(rest_url "$1")/overview" >/dev/null 2>&1
}

tm_count_is() {
  [[ "$(registered_taskmanagers "$1")" -ge "$2" ]]
}

tm_registered() {
  curl -fsS --max-time 3 "$(rest_url "$1")/taskmanagers" 2>/dev/null | grep -q "\"id\":\"$2\""
}

next_tm_index() {
  local dir="$1" i=1
  while [[ -n "$(live_pid "$dir/pids/taskmanager-$i.pid" "$TM_CLASS" "$dir")" ]]; do
    i=$(( i + 1 ))
  done
  echo "$i"
}

cmd_start() {
  [[ $# -ge 1 ]] || usage
  local dir="$1" tms=2 rest=8081 rpc=6123 slots=2 i
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --taskmanagers) tms="${2:?--taskmanagers needs a number}"; shift 2 ;;
      --rest-port) rest="${2:?--rest-port needs a port}"; shift 2 ;;
      --rpc-port) rpc="${2:?--rpc-port needs a port}"; shift 2 ;;
      --slots) slots="${2:?--slots needs a number}"; shift 2 ;;
      *) die "unknown option '$1' (start DIR [--taskmanagers N] [--rest-port P] [--rpc-port P] [--slots S])" ;;
    esac
  done
  for v in "$tms" "$rest" "$rpc" "$slots"; do
    [[ "$v" =~ ^[0-9]+$ ]] || die "'$v' is not a number"
  done
  (( tms >= 1 )) || die "--taskmanagers must be at least 1"
  mkdir -p "$dir"/{conf,log,pids,checkpoints,savepoints,tmp,web-upload}
  dir="$(cd "$dir" && pwd)"
  if [[ -n "$(live_pid "$dir/pids/jobmanager.pid" "$JM_CLASS" "$dir")" ]]; then
    echo "a Flink cluster already runs in $dir ($(rest_url "$dir"))"
    return 0
  fi
  port_in_use "$rest" && die "127.0.0.1:$rest (REST) is already in use; pick another with --rest-port"
  port_in_use "$rpc" && die "127.0.0.1:$rpc (JobManager RPC) is already in use; pick another with --rpc-port"
  ensure_built
  write_config "$dir" "$rest" "$rpc" "$slots"
  echo "Starting a Flink session cluster in $dir (REST $(rest_url "$dir"), $tms TaskManager(s) x $slots slots)"
  start_process "$dir" jobmanager "$JM_CLASS" GET_JM_RESOURCE_PARAMS
  if ! await "REST" rest_answers "$dir"; then
    tail -n 30 "$dir/log/jobmanager.log" "$dir/log/jobmanager.out" >&2 || true
    cmd_stop "$dir" >/dev/null
    die "the JobManager did not answer on $(rest_url "$dir") within ${READY_TIMEOUT}s (logs above); stopped"
  fi
  for (( i = 1; i <= tms; i++ )); do
    start_process "$dir" "taskmanager-$i" "$TM_CLASS" GET_TM_RESOURCE_PARAMS
  done
  if ! await "TaskManagers" tm_count_is "$dir" "$tms"; then
    tail -n 30 "$dir"/log/taskmanager-*.log >&2 || true
    cmd_stop "$dir" >/dev/null
    die "only $(registered_taskmanagers "$dir") of $tms TaskManagers registered within ${READY_TIMEOUT}s (logs above); stopped"
  fi
  echo "FLINK READY $(rest_url "$dir") ($tms TaskManager(s) registered)"
}

cmd_add_taskmanager() {
  [[ $# -eq 1 ]] || usage
  local dir i id
  dir="$(cd "$1" && pwd)" || die "no cluster folder $1"
  [[ -n "$(live_pid "$dir/pids/jobmanager.pid" "$JM_CLASS" "$dir")" ]] || die "no JobManager runs in $dir"
  i="$(next_tm_index "$dir")"
  # a resource id of its own, to wait for this one: a TaskManager killed a moment ago is still registered
  # until its heartbeat times out, so a count would be satisfied at once
  id="taskmanager-$i-$(date +%s)"
  start_process "$dir" "taskmanager-$i" "$TM_CLASS" GET_TM_RESOURCE_PARAMS "taskmanager.resource-id=$id"
  await "TaskManager" tm_registered "$dir" "$id" \
    || die "taskmanager-$i did not register within ${READY_TIMEOUT}s (see $dir/log/taskmanager-$i.log)"
  echo "taskmanager-$i registered"
}

cmd_kill_taskmanager() {
  [[ $# -eq 2 ]] || usage
  local dir pid
  dir="$(cd "$1" && pwd)" || die "no cluster folder $1"
  pid="$(live_pid "$dir/pids/taskmanager-$2.pid" "$TM_CLASS" "$dir")"
  [[ -n "$pid" ]] || die "taskmanager-$2 does not run in $dir"
  kill -KILL "$pid"
  echo "taskmanager-$2 (pid $pid) killed with SIGKILL"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local dir f pid
  [[ -d "$1" ]] || { echo "no Flink cluster in $1"; return 0; }
  dir="$(cd "$1" && pwd)"
  for f in "$dir"/pids/taskmanager-*.pid "$dir/pids/jobmanager.pid"; do
    [[ -e "$f" ]] || continue
    if [[ "$f" == */jobmanager.pid ]]; then
      pid="$(live_pid "$f" "$JM_CLASS" "$dir")"
    else
      pid="$(live_pid "$f" "$TM_CLASS" "$dir")"
    fi
    if [[ -n "$pid" ]]; then
      terminate "$pid"
      echo "stopped $(basename "$f" .pid) (pid $pid)"
    fi
    rm -f "$f"
  done
}

cmd_status() {
  [[ $# -eq 1 ]] || usage
  local dir f pid running=3
  [[ -d "$1" ]] || { echo "no Flink cluster in $1"; return 3; }
  dir="$(cd "$1" && pwd)"
  for f in "$dir/pids/jobmanager.pid" "$dir"/pids/taskmanager-*.pid; do
    [[ -e "$f" ]] || continue
    if [[ "$f" == */jobmanager.pid ]]; then
      pid="$(live_pid "$f" "$JM_CLASS" "$dir")"
      [[ -n "$pid" ]] && running=0
    else
      pid="$(live_pid "$f" "$TM_CLASS" "$dir")"
    fi
    echo "$(basename "$f" .pid): ${pid:+running (pid $pid)}${pid:-not running}"
  done
  if [[ $running -eq 0 ]]; then
    echo "REST $(rest_url "$dir"): $(registered_taskmanagers "$dir") TaskManager(s) registered"
  fi
  return $running
}

# Uploads JAR through the JobManager's REST API (the same handlers `flink run` uses) and runs CLASS with ARGS;
# prints the job id. Only plain ids are read from the answers, so no JSON library is needed here.
cmd_submit() {
  [[ $# -ge 3 ]] || usage
  local dir jar class url answer jar_id args="" a job from="" restore=""
  dir="$(cd "$1" && pwd)" || die "no cluster folder $1"
  shift
  if [[ "$1" == "--from" ]]; then
    [[ $# -ge 4 ]] || usage
    from="$2"
    [[ -f "$from/_metadata" ]] || die "--from $from: not a checkpoint or savepoint folder (no _metadata in it)"
    shift 2
  fi
  jar="$1" class="$2"
  shift 2
  [[ -f "$jar" ]] || die "no job jar $jar (build it: mvn -B -pl flink-jobs -am package -DskipTests)"
  url="$(rest_url "$dir")"
  answer="$(curl -fsS --max-time 120 -X POST -F "jarfile=@$jar" "$url/jars/upload")" || die "upload of $jar to $url failed"
  jar_id="$(sed -n 's/.*"filename":"[^"]*\/\([^"/]*\)".*/\1/p' <<<"$answer")"
  [[ -n "$jar_id" ]] || die "unexpected answer to the upload: $answer"
  [[ -z "$from" ]] || restore=",\"savepointPath\":\"file://$(cd "$from" && pwd)\""
  for a in "$@"; do
    a="${a//\\/\\\\}"
    a="${a//\"/\\\"}"
    args+="${args:+,}\"$a\""
  done
  answer="$(curl -sS --max-time 300 -X POST -H 'Content-Type: application/json' \
    -d "{\"entryClass\":\"$class\",\"programArgsList\":[${args}]${restore}}" "$url/jars/$jar_id/run")" \
    || die "running $class failed"
  job="$(sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p' <<<"$answer")"
  [[ -n "$job" ]] || die "the cluster refused the job: $answer"
  echo "$job"
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
  start) cmd_start "$@" ;;
  add-taskmanager) cmd_add_taskmanager "$@" ;;
  kill-taskmanager) cmd_kill_taskmanager "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  submit) cmd_submit "$@" ;;
  *) usage ;;
esac

# Process helpers shared by flink-cluster.sh and kafka-broker.sh (sourced, not run). Each caller sets
# STOP_TIMEOUT (seconds) before calling terminate.

# Whether something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sends SIGTERM to PID, waits up to STOP_TIMEOUT seconds for it to exit, then SIGKILL.
terminate() {
  local pid="$1" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= STOP_TIMEOUT * 10 )); then
      echo "$(basename "$0" .sh): pid $pid still alive after ${STOP_TIMEOUT}s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$(( waited + 1 ))
  done
}

# The servers of the continuous-mode benchmarks (continuous.sh, idle-vs-cronjob.sh): the test
# cluster and the reference receiver (protocol 1.1, SQLite, -Xmx512m) with a fresh key, each in the
# background, and a collector config directory that ships to it. Callers source bin/lib/await.sh
# first and keep a `pids` array, which these functions append to (for the caller's EXIT trap).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts the test cluster with PODS pods and a churn of RATE changes per second, without waiting
# for it (await_test_cluster does); its kubeconfig goes to OUT/kubeconfig, its log to
# OUT/testcluster.log. TESTCLUSTER_JAVA_OPTS are its JVM options; further arguments go to
# bin/k8s-testcluster as they are.
#   start_test_cluster OUT PODS RATE [ARGS...]
start_test_cluster() {
  local out=$1 pods=$2 rate=$3
  shift 3
  JAVA_OPTS=${TESTCLUSTER_JAVA_OPTS:-} bin/k8s-testcluster --pods "$pods" --churn "$rate" --kubeconfig "$out/kubeconfig" \
    "$@" > "$out/testcluster.log" 2>&1 &
  testcluster_pid=$!
  pids+=("$testcluster_pid")
}

# Returns once the test cluster started by start_test_cluster OUT serves.
#   await_test_cluster OUT
await_test_cluster() {
  await "$1/kubeconfig" "$testcluster_pid" "the test cluster" "$1/testcluster.log"
}

# Starts a receiver on a free port with its database in OUT, writes its URL into CONFIG/endpoint and
# exports the key's INFRALIGHT_ACCESS_KEY and INFRALIGHT_SECRET_KEY for the collector; sets
# receiver_url. Returns once it answers /healthz.
#   start_receiver OUT CONFIG
start_receiver() {
  local out=$1 config=$2 jar="$root/receiver/target/k8s-receiver.jar" db="jdbc:sqlite:$1/receiver.db" key port
  key=$(cd "$out" && java -cp "$jar" io.k8scollector.receiver.cli.Main keys create --all-clusters --scope ingest,read --db "$db")
  port=$(free_port)
  (cd "$out" && exec java -Xmx512m -cp "$jar" io.k8scollector.receiver.cli.Main serve --port "$port" \
    --db "$db" 2> "$out/receiver.log") &
  pids+=($!)
  receiver_url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$receiver_url/healthz" >/dev/null && break; sleep 0.2; done
  echo "$receiver_url" > "$config/endpoint"
  export INFRALIGHT_ACCESS_KEY INFRALIGHT_SECRET_KEY
  INFRALIGHT_ACCESS_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["accessKey"])' <<<"$key")
  INFRALIGHT_SECRET_KEY=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["secretKey"])' <<<"$key")
}

# Waits until the continuous collector PID answers /readyz on PORT (its first full fetching
# committed); fails the script when it exits first, naming LOG.
#   await_ready PID PORT LOG
await_ready() {
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$2/readyz" >/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { echo "the collector exited; see $3" >&2; exit 1; }
    sleep 0.5
  done
  echo "the collector was not ready after 600 s; see $3" >&2
  exit 1
}

#!/usr/bin/env bash
# Load test of the receiver: 20 clusters x 10k Pods (3-4 KB each) sent concurrently as gzip pages
# of ~500 KiB, into SQLite then PostgreSQL; prints objects/s, request latency and the receiver's
# peak RSS, and the CPU used by the receiver, the generator (timed part) and PostgreSQL. Needs
# PostgreSQL on 127.0.0.1:5432 (database test, user postgres, trust) for its part.
#   bench/receiver-load.sh [clusters] [objects] [pageKib] [warmupObjects]
# warmupObjects (default 0): other clusters first send that many other Pods each, untimed, so
# that the timed part meets a receiver whose JIT has compiled the ingest code.
# RECEIVER_DATABASES="sqlite postgresql" (the default) picks the databases, RECEIVER_JAVA_OPTS
# the receiver's JVM options (default -Xmx512m).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
clusters=${1:-20} objects=${2:-10000} page=${3:-500} warmup=${4:-0}
cd "$root"
source bench/lib/receiver.sh
build_receiver_and_bench "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
receiver_opts=${RECEIVER_JAVA_OPTS:--Xmx512m}

# utime + stime of every PostgreSQL server process, in clock ticks (0 without PostgreSQL): the
# database's share of the two cores during a run, its background writers included.
database_cpu_ticks() {
  local pids
  pids=$(pgrep -u postgres -d ' ' . || true)
  if [[ -z "$pids" ]]; then echo 0; return; fi
  (cd /proc && cat $(printf '%s/stat ' $pids) 2>/dev/null) | awk '{sum += $14 + $15} END {print sum + 0}'
}

run() { # run NAME DB_URL
  local name=$1 db=$2 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local key
  key=$(cd "$work" && java -cp "$jar" io.k8scollector.receiver.cli.Main keys create --all-clusters --scope ingest,read --db "$db")
  (cd "$work" && exec java $receiver_opts -cp "$jar" io.k8scollector.receiver.cli.Main serve --port "$port" --db "$db" \
      --max-requests-per-key $((clusters + 4)) \
      2>"$work/$name.log") &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local access secret
  access=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["accessKey"])' <<<"$key")
  secret=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["secretKey"])' <<<"$key")
  local result db_cpu_before
  db_cpu_before=$(database_cpu_ticks)
  result=$(java -Xmx1g -cp "$bench_cp" io.k8scollector.bench.ReceiverLoad "http://127.0.0.1:$port" "$access" "$secret" \
      "$clusters" "$objects" "$page" 42 "$warmup")
  local rss cpu db_cpu
  db_cpu=$(awk -v a="$db_cpu_before" -v b="$(database_cpu_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) / hz}')
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  # utime + stime of the receiver, in clock ticks: its own CPU cost, whatever else runs.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$name $result receiver_peak_rss_mb=$((rss / 1024)) receiver_cpu_s=$cpu postgres_cpu_s=$db_cpu load_avg=$(cut -d" " -f1 /proc/loadavg)"
}

databases=${RECEIVER_DATABASES:-sqlite postgresql}
if [[ " $databases " == *" sqlite "* ]]; then
  run sqlite "jdbc:sqlite:$work/receiver.db"
fi
if [[ " $databases " == *" postgresql "* ]]; then
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    schema="bench_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >&2
    run postgresql "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema"
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE" >&2
  else
    echo "postgresql skipped: nothing listens on 127.0.0.1:5432 (bin/setup starts it)" >&2
  fi
fi

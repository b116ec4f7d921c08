#!/usr/bin/env bash
# Issue 14's benchmark of continuous mode: the test cluster with PODS pods and a churn of RATE
# changes per second, the real collector in continuous mode (-Xmx128m) into the reference
# receiver (protocol 1.1, SQLite), for SECONDS after its first full fetching committed; then
# SIGTERM. Prints one line of figures, from the collector's own /metrics and /proc:
#   lag_p50_ms / lag_p99_ms  commit lag, from the collector seeing a change to its delta's commit
#                            (k8s_collector_commit_lag_seconds: the watch's delivery is not in it)
#   e2e_lag_p50_ms / _p99_ms from a change written to the test cluster to the receiver's query API
#                            answering with it, one probe a second (bench/lib/lag-probe.py)
#   cpu_ms_per_event         the collector's CPU after the first full fetching, per watch event
#   peak_rss_mb              the collector's VmHWM over the whole run
#   relists / full_fetchings after the start (targets: 0 and 1 without faults)
#   wchar_bytes_per_event    what the collector wrote to sockets and files after the start, per
#                            event (/proc/PID/io wchar: an upper bound of the bytes it sent)
#   exit                     the collector's exit code after SIGTERM (0)
#   bench/continuous.sh [PODS [RATE [SECONDS]]]     defaults: 100000 100 300
# The idle comparison against a CronJob every 15 minutes is bench/idle-vs-cronjob.sh.
# TESTCLUSTER_JAVA_OPTS are the test cluster's JVM options (100k pods take about 1.7 GB).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bin/lib/await.sh
source bench/lib/continuous.sh
pods=${1:-100000}
rate=${2:-100}
seconds=${3:-300}
for value in "$pods" "$seconds"; do
  [[ $value =~ ^[0-9]+$ ]] || { echo "PODS and SECONDS must be whole numbers, not \"$value\"" >&2; exit 2; }
done
[[ $rate =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "RATE must be a number of changes per second, not \"$rate\"" >&2; exit 2; }

echo "Building the collector, the test cluster and the receiver..." >&2
rm -rf "$root/receiver/target/classes/db"
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl collector,testkit,receiver -am package >&2

out="$root/bench/results/continuous-$(date -u +%Y%m%dT%H%M%SZ)"
config="$out/config"
mkdir -p "$config"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

start_test_cluster "$out" "$pods" "$rate"
start_receiver "$out" "$config"
await_test_cluster "$out"

metrics_port=$(free_port)
echo continuous > "$config/collector.mode"
echo "$metrics_port" > "$config/collector.metricsPort"

JAVA_OPTS=${JAVA_OPTS:--Xmx128m} bin/k8s-collector -external "$out/kubeconfig" -config "$config" bench \
  > "$out/collector.out" 2> "$out/collector.log" &
collector=$!
pids+=("$collector")
await_ready "$collector" "$metrics_port" "$out/collector.log"
# The launcher execs java, so the collector's pid is the JVM's.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$collector/stat"; }
wchar() { awk '/^wchar/ {print $2}' "/proc/$collector/io"; }
curl -sf "http://127.0.0.1:$metrics_port/metrics" > "$out/metrics-start.txt"
cpu_start=$(cpu_ticks)
wchar_start=$(wchar)
echo "First full fetching committed; measuring for $seconds s..." >&2
# One probe a second, from a change in the test cluster to the receiver answering with it, ending
# before the window does (a slow probe may run past it: the figures wait for the probe).
python3 bench/lib/lag-probe.py "$out/kubeconfig" "$receiver_url" bench $((seconds > 10 ? seconds - 10 : 1)) \
  > "$out/lag-probe.txt" 2>&1 &
probe=$!
sleep "$seconds"
wait "$probe" || { echo "the lag probe failed: $(cat "$out/lag-probe.txt")" >&2; exit 1; }
curl -sf "http://127.0.0.1:$metrics_port/metrics" > "$out/metrics-end.txt"
cpu_end=$(cpu_ticks)
wchar_end=$(wchar)
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$collector/status")
kill -TERM "$collector"
code=0
wait "$collector" || code=$?

python3 - "$out/metrics-start.txt" "$out/metrics-end.txt" "$cpu_start" "$cpu_end" "$(getconf CLK_TCK)" \
    "$wchar_start" "$wchar_end" "$rss_kb" "$code" "$pods" "$rate" "$seconds" "$out/lag-probe.txt" <<'EOF'
import re, sys
start_file, end_file, cpu0, cpu1, hz, w0, w1, rss, code, pods, rate, seconds, probe_file = sys.argv[1:]

def read(path):
    values = {}
    for line in open(path):
        if line.startswith('#') or not line.strip():
            continue
        name, value = line.rsplit(' ', 1)
        values[name] = float(value)
    return values

def total(values, prefix):
    return sum(v for k, v in values.items() if k.startswith(prefix))

a, b = read(start_file), read(end_file)
events = total(b, 'k8s_collector_watch_events_total') - total(a, 'k8s_collector_watch_events_total')
buckets = {}
for key, value in b.items():
    m = re.match(r'k8s_collector_commit_lag_seconds_bucket\{le="([^"]+)"\}', key)
    if m:
        buckets[float('inf') if m.group(1) == '+Inf' else float(m.group(1))] = value - a.get(key, 0)
count = buckets.get(float('inf'), 0)
def quantile(q):
    if count == 0:
        return 'n/a'
    for le in sorted(buckets):
        if buckets[le] >= q * count:
            return '<=%d' % (le * 1000) if le != float('inf') else '>max'
cpu_ms = (float(cpu1) - float(cpu0)) * 1000 / float(hz)
per_event = lambda x: 'n/a' if events == 0 else '%.3f' % (x / events)
relists = total(b, 'k8s_collector_relists_total') - total(a, 'k8s_collector_relists_total')
print('pods=%s rate=%s seconds=%s events=%d lag_p50_ms=%s lag_p99_ms=%s cpu_ms_per_event=%s peak_rss_mb=%d '
      'relists=%d deltas=%d heartbeats=%d wchar_bytes_per_event=%s exit=%s' % (
          pods, rate, seconds, events, quantile(0.5), quantile(0.99), per_event(cpu_ms), int(rss) // 1024, relists,
          total(b, 'k8s_collector_deltas_total') - total(a, 'k8s_collector_deltas_total'),
          total(b, 'k8s_collector_heartbeats_total') - total(a, 'k8s_collector_heartbeats_total'),
          per_event(float(w1) - float(w0)), code), open(probe_file).read().strip())
EOF
echo "Logs and metrics: $out" >&2

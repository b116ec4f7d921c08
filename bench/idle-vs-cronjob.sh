#!/usr/bin/env bash
# Issue 14's idle comparison: what the collector in continuous mode costs the API server and the
# endpoint in an hour of a cluster where nothing changes, against a CronJob run every 15 minutes.
# The test cluster with PODS pods and no churn, the reference receiver (protocol 1.1, SQLite), the
# collector with its default resources (every type) and -Xmx128m:
#   (a) continuous mode: its first full fetching (from its start to /readyz, plus 5 s for the
#       watches to open), then MINUTES idle (heartbeats, bookmarks and watch restarts only), then one
#       resync (due a minute after the idle window: collector.resyncMinutes is MINUTES + 1 for the
#       run; measured from the end of the window until its log line, plus 5 s for its delta); then
#       SIGTERM;
#   (b) one CronJob run (cronjob mode, a full collection and ship) of the same cluster.
# What the API server served comes from the test cluster's own counters (GET /testkit/traffic:
# requests answered and response body bytes, by kind of request); what the endpoint got from the
# receiver's /metrics (receiver_requests_total and receiver_bytes_in_total: request body bytes as
# sent, gzip included). Neither counts HTTP headers or TLS. Prints per hour, as a Markdown table:
# continuous idle (MINUTES extrapolated), the same plus a resync every RESYNC_MINUTES (the resync
# measured, less the idle traffic of its duration; and, for comparison, what it cost when a resync
# was a full list of every type: the first full fetching's API bytes), and the CronJob (4 runs),
# with the ratios; then the measured figures and times they come from.
#   bench/idle-vs-cronjob.sh [PODS [MINUTES]]          defaults: 100000 10
# RESYNC_MINUTES (default 360, the collector's default; 0 = never) is the resync period the figures
# per hour assume.
# BOOKMARK_SECONDS is the test cluster's bookmark interval (its default is 5 s; kube-apiserver sends
# a watch about one a minute). JAVA_OPTS (default -Xmx128m) is the collector's, TESTCLUSTER_JAVA_OPTS
# the test cluster's (100k pods take about 1.7 GB). Logs and figures go under bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bin/lib/await.sh
source bench/lib/continuous.sh
source bench/lib/gnu-time.sh
pods=${1:-100000}
minutes=${2:-10}
resync=${RESYNC_MINUTES:-360}
for value in "$pods" "$minutes" "$resync"; do
  [[ $value =~ ^[0-9]+$ ]] || { echo "PODS, MINUTES and RESYNC_MINUTES must be whole numbers, not \"$value\"" >&2; exit 2; }
done
(( minutes > 0 )) || { echo "MINUTES must be 1 or more" >&2; exit 2; }
[[ -z ${BOOKMARK_SECONDS:-} || $BOOKMARK_SECONDS =~ ^[1-9][0-9]*$ ]] || {
  echo "BOOKMARK_SECONDS must be a whole number of seconds, 1 or more, not \"$BOOKMARK_SECONDS\"" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found; run bin/setup" >&2; exit 1; }

echo "Building the collector, the test cluster and the receiver..." >&2
rm -rf "$root/receiver/target/classes/db"
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl collector,testkit,receiver -am package >&2

out="$root/bench/results/idle-vs-cronjob-$(date -u +%Y%m%dT%H%M%SZ)"
continuous="$out/continuous"
cronjob="$out/cronjob"
mkdir -p "$continuous" "$cronjob"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

start_test_cluster "$out" "$pods" 0 ${BOOKMARK_SECONDS:+--bookmark-seconds "$BOOKMARK_SECONDS"}
start_receiver "$out" "$continuous"
cp "$continuous/endpoint" "$cronjob/endpoint"
await_test_cluster "$out"

api_url=$(awk '/server:/ {print $2; exit}' "$out/kubeconfig")
token=$(awk '/token:/ {print $2; exit}' "$out/kubeconfig")
awk '/certificate-authority-data:/ {print $2; exit}' "$out/kubeconfig" | base64 -d > "$out/ca.pem"
# mark NAME: the test cluster's traffic, the receiver's metrics and the time, into OUT/NAME.*
mark() {
  curl -sf --cacert "$out/ca.pem" -H "Authorization: Bearer $token" "$api_url/testkit/traffic" > "$out/$1.traffic.json"
  curl -sf "$receiver_url/metrics" > "$out/$1.receiver.txt"
  date +%s.%N > "$out/$1.time"
}

metrics_port=$(free_port)
echo continuous > "$continuous/collector.mode"
echo "$metrics_port" > "$continuous/collector.metricsPort"
# one resync, a minute after the idle window (the period the figures assume is RESYNC_MINUTES)
echo $((minutes + 1)) > "$continuous/collector.resyncMinutes"
collector_opts=${JAVA_OPTS:--Xmx128m}

mark start
echo "Continuous mode: the first full fetching of $pods pods..." >&2
JAVA_OPTS=$collector_opts bin/k8s-collector -external "$out/kubeconfig" -config "$continuous" bench \
  > "$out/continuous.out" 2> "$out/continuous.log" &
collector=$!
pids+=("$collector")
await_ready "$collector" "$metrics_port" "$out/continuous.log"
date +%s.%N > "$out/ready.time"
# The watches start once the first full fetching committed: their first requests belong to it.
sleep 5
mark full
echo "Idle for $minutes minutes..." >&2
sleep $((minutes * 60))
mark idle
echo "Waiting for the resync..." >&2
for _ in $(seq 1 1200); do
  grep -q "Resync listed every type again" "$out/continuous.log" && break
  kill -0 "$collector" 2>/dev/null || { echo "the collector exited; see $out/continuous.log" >&2; exit 1; }
  sleep 0.5
done
grep -q "Resync listed every type again" "$out/continuous.log" || {
  echo "no resync within 600 s of the idle window; see $out/continuous.log" >&2; exit 1; }
sleep 5
mark resync
curl -sf "http://127.0.0.1:$metrics_port/metrics" > "$out/collector-metrics.txt"
kill -TERM "$collector"
code=0
wait "$collector" || code=$?
[ "$code" = 0 ] || { echo "the continuous collector exited $code after SIGTERM; see $out/continuous.log" >&2; exit 1; }
# The test cluster writes a bookmark or two into the closed watches before it notices they are gone.
sleep 12

echo "One CronJob run of the same cluster..." >&2
mark cron-start
JAVA_OPTS=$collector_opts /usr/bin/time -v -o "$out/cronjob.time" \
  bin/k8s-collector -external "$out/kubeconfig" -config "$cronjob" bench > /dev/null 2> "$out/cronjob.log" || {
  echo "the CronJob run failed; see $out/cronjob.log" >&2; exit 1; }
mark cron-end

python3 - "$out" "$pods" "$minutes" "$resync" "${BOOKMARK_SECONDS:-5}" "$(seconds "$out/cronjob.time")" \
    "$(rss_mib "$out/cronjob.time")" "$(cut -d' ' -f1 /proc/loadavg)" <<'EOF'
import json, re, sys
out, pods, minutes, resync, bookmark, cron_wall, cron_rss, load = sys.argv[1:]
minutes, resync = int(minutes), int(resync)

def traffic(name):
    return json.load(open(f'{out}/{name}.traffic.json'))

def receiver(name):
    values = {'requests': 0, 'bytes': 0}
    for line in open(f'{out}/{name}.receiver.txt'):
        if line.startswith('receiver_requests_total'):
            values['requests'] += float(line.rsplit(' ', 1)[1])
        elif line.startswith('receiver_bytes_in_total'):
            values['bytes'] += float(line.rsplit(' ', 1)[1])
    return values

def when(name):
    return float(open(f'{out}/{name}.time').read())

def window(a, b):
    """API requests, API bytes, endpoint requests, endpoint bytes between two marks; and by kind."""
    ta, tb, ra, rb = traffic(a), traffic(b), receiver(a), receiver(b)
    kinds = {k: (tb['kinds'][k]['requests'] - ta['kinds'][k]['requests'],
                 tb['kinds'][k]['responseBytes'] - ta['kinds'][k]['responseBytes']) for k in tb['kinds']}
    return (tb['requests'] - ta['requests'], tb['responseBytes'] - ta['responseBytes'],
            rb['requests'] - ra['requests'], rb['bytes'] - ra['bytes']), kinds

def collector_metric(prefix):
    total = 0
    for line in open(f'{out}/collector-metrics.txt'):
        if line.startswith(prefix):
            total += float(line.rsplit(' ', 1)[1])
    return total

full, full_kinds = window('start', 'full')
idle, idle_kinds = window('full', 'idle')
resynced, resync_kinds = window('idle', 'resync')
cron, cron_kinds = window('cron-start', 'cron-end')
idle_seconds = when('idle') - when('full')
resync_seconds = when('resync') - when('idle')
per_hour_idle = [x * 3600 / idle_seconds for x in idle]
# the resync alone: its window less the idle traffic of as long
resync_cost = [max(0, r - i * resync_seconds / 3600) for r, i in zip(resynced, per_hour_idle)]
per_hour_resync = [i + c * 60 / resync for i, c in zip(per_hour_idle, resync_cost)] if resync else None
per_hour_full_resync = [i + f * 60 / resync for i, f in zip(per_hour_idle, full)] if resync else None
per_hour_cron = [x * 4 for x in cron]

def size(n):
    for unit, scale in (('GB', 1e9), ('MB', 1e6), ('KB', 1e3)):
        if n >= scale:
            return f'{n / scale:,.1f} {unit}'
    return f'{n:,.0f} B'

def row(name, v):
    return f'| {name} | {v[0]:,.0f} | {size(v[1])} | {v[2]:,.0f} | {size(v[3])} |'

def ratio(a, b):
    if not b:
        return 'n/a (none)'
    return '**%.0fx**' % (a / b) if a >= 10 * b else '**%.2fx**' % (a / b)

print(f'{pods} pods, idle {idle_seconds:.0f} s, test cluster bookmarks every {bookmark} s, resync every '
      f'{resync or "never"} min; load average at the end {load}.')
print()
print('| per hour | API requests | API bytes read | endpoint requests | endpoint bytes sent |')
print('| --- | ---: | ---: | ---: | ---: |')
print(row(f'continuous, idle ({idle_seconds / 60:.1f} min x {3600 / idle_seconds:.2f})', per_hour_idle))
if per_hour_resync:
    print(row(f'continuous, idle, with the resync measured every {resync} min', per_hour_resync))
    print(row(f'continuous, idle, with a resync costing a full fetching every {resync} min', per_hour_full_resync))
print(row('CronJob every 15 min (one run x 4)', per_hour_cron))
print('| CronJob / continuous idle | ' + ' | '.join(ratio(c, i) for c, i in zip(per_hour_cron, per_hour_idle)) + ' |')
if per_hour_resync:
    print(f'| CronJob / continuous with the resync measured | '
          + ' | '.join(ratio(c, i) for c, i in zip(per_hour_cron, per_hour_resync)) + ' |')
    print(f'| CronJob / continuous with a resync as a full fetching | '
          + ' | '.join(ratio(c, i) for c, i in zip(per_hour_cron, per_hour_full_resync)) + ' |')
print()
print(f'Headline (target at least 100x for both): API bytes read {ratio(per_hour_cron[1], per_hour_idle[1])}, '
      f'endpoint bytes sent {ratio(per_hour_cron[3], per_hour_idle[3])} less per hour idle'
      + (f'; with the resync {ratio(per_hour_cron[1], per_hour_resync[1])} and '
         f'{ratio(per_hour_cron[3], per_hour_resync[3])}.' if per_hour_resync else '.'))
print()

def kinds_line(kinds):
    return ', '.join(f'{k} {r:,} ({size(b)})' for k, (r, b) in kinds.items() if r or b)

heartbeats = collector_metric('k8s_collector_heartbeats_total')
print(f'- first full fetching (collector start to /readyz {when("ready") - when("start"):.1f} s, plus 5 s): '
      f'API {full[0]:,} requests, {size(full[1])}; endpoint {full[2]:,.0f} requests, {size(full[3])}. '
      f'API by kind: {kinds_line(full_kinds)}')
print(f'- idle {idle_seconds:.0f} s: API {idle[0]:,} requests, {idle[1]:,} bytes; endpoint {idle[2]:,.0f} requests, '
      f'{idle[3]:,.0f} bytes. API by kind: {kinds_line(idle_kinds)}. Collector (whole run): '
      f'{heartbeats:.0f} heartbeats, {collector_metric("k8s_collector_deltas_total"):.0f} deltas, '
      f'{collector_metric("k8s_collector_watch_restarts_total"):.0f} watch restarts, '
      f'{collector_metric("k8s_collector_relists_total"):.0f} relists')
print(f'- resync (from the end of the idle window to its log line plus 5 s, {resync_seconds:.0f} s, idle traffic '
      f'included): API {resynced[0]:,} requests, {size(resynced[1])}; endpoint {resynced[2]:,.0f} requests, '
      f'{size(resynced[3])}. API by kind: {kinds_line(resync_kinds)}')
print(f'- CronJob run: wall {cron_wall} s, peak RSS {cron_rss} MiB: API {cron[0]:,} requests, {size(cron[1])}; endpoint '
      f'{cron[2]:,.0f} requests, {size(cron[3])}. API by kind: {kinds_line(cron_kinds)}')
EOF
echo "Logs and figures: $out" >&2

#!/usr/bin/env bash
# Issue 3's benchmark: the real collector lists N pods from the test cluster and ships them to an
# endpoint that only counts bytes (io.k8scollector.bench.CountingEndpoint); then, on the same
# servers, the floor: the same list pages fetched raw one after the other on one keep-alive
# connection (bench/list-pages.py, limit=500 and the continue token) and piped through `gzip -1`.
# The two alternate for ROUNDS rounds; the verdict is the median of the rounds' ratios, because
# one run's wall time on 2 shared cores moves by a tenth or more. Prints a Markdown table (wall
# time, objects/s, MB/s before and after gzip, peak RSS, per round) on stdout; logs and GNU time
# reports go under bench/results/.
#   bench/collect-and-ship.sh [PODS [ROUNDS]]          defaults: 100000 3
# JAVA_OPTS (default -Xmx128m) is the collector's; TESTCLUSTER_JAVA_OPTS the test cluster's
# (100k pods take about 1.7 GB). SLOW_MS=N makes the endpoint a slow one, answering each request N ms
# after reading its body (CountingEndpoint --delay-ms): what the collector holds while its requests
# wait shows in its peak RSS (issue 12: at most 200 MB for 100k pods with -Xmx128m); the floor does
# not wait for it, so the ratio means little then.
#
# Before anything is timed, both servers serve a whole run untimed: the test cluster and the
# counting endpoint stand in for a long-running API server and ingest endpoint, whose code is
# compiled, and a cold one spends a second or more of the 2 cores compiling its own code during
# the first run it serves, which the collector (timed first) would pay for. That run is the
# collector's own; nothing of it carries over to the timed runs, each a new JVM, but the
# class-data archive the launcher writes after every build (bench/lib/warm-up.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bin/lib/await.sh
source bench/lib/warm-up.sh
source bench/lib/config.sh
source bench/lib/gnu-time.sh
source bench/lib/floor.sh
pods=${1:-100000}
rounds=${2:-3}
collector_opts=${JAVA_OPTS:--Xmx128m}
slow_ms=${SLOW_MS:-0}
[[ $slow_ms =~ ^[0-9]+$ ]] || { echo "SLOW_MS must be a whole number of milliseconds, 0 or more, not \"$slow_ms\"" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found; run bin/setup" >&2; exit 1; }

echo "Building the collector, the test cluster and the bench module..." >&2
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl collector,testkit,bench -am package >&2

out="$root/bench/results/collect-and-ship-$(date -u +%Y%m%dT%H%M%SZ)"
config="$out/config"
mkdir -p "$config"
kubeconfig="$out/kubeconfig"

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

JAVA_OPTS=${TESTCLUSTER_JAVA_OPTS:-} bin/k8s-testcluster --pods "$pods" --kubeconfig "$kubeconfig" \
  > "$out/testcluster.log" 2>&1 &
pids+=($!)
java -Xmx256m -cp bench/target/classes io.k8scollector.bench.CountingEndpoint --delay-ms "$slow_ms" \
  > "$out/endpoint.url" 2> "$out/endpoint.log" &
endpoint=$!
pids+=("$endpoint")
await "$out/endpoint.url" "$endpoint" "the counting endpoint" "$out/endpoint.log"
await "$kubeconfig" "${pids[0]}" "the test cluster" "$out/testcluster.log"

cat "$out/endpoint.url" > "$config/endpoint"
pods_only_config "$config"

load() { uptime | sed 's/.*load average: //'; }

collect() { # collect TIME_REPORT LOG: one whole run of the collector into the counting endpoint
  INFRALIGHT_ACCESS_KEY=bench INFRALIGHT_SECRET_KEY=bench JAVA_OPTS=$collector_opts \
    /usr/bin/time -v -o "$1" \
    bin/k8s-collector -external "$kubeconfig" -config "$config" bench > /dev/null 2> "$2"
}

warm_test_cluster "$kubeconfig"
prepare_class_archive "$kubeconfig"
collect "$out/warm-up.time" "$out/warm-up.log" || { echo "the untimed warm-up run failed; see $out/warm-up.log" >&2; exit 1; }

rate() { awk -v n="$1" -v s="$2" "BEGIN {printf \"$3\", n / s}"; }

echo "Endpoint: answers each request $slow_ms ms after reading its body."
echo
echo "| $pods pods | wall (s) | objects/s | MB/s before gzip | MB/s after gzip | peak RSS (MiB) | load average at start |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
ratios=()
peaks=()
for round in $(seq "$rounds"); do
  load_collector=$(load)
  collect "$out/collector-$round.time" "$out/collector-$round.log" || { echo "the collector failed; see $out/collector-$round.log" >&2; exit 1; }
  load_floor=$(load)
  time_floor "$kubeconfig" "$out/floor-$round.time" "$out/floor-$round.log" "$out/floor-$round.gzip-bytes"

  # "Records: 99999 objects, 0 Helm releases, 1 types, 0 trees; 685 pages, 350.5 MB before gzip, 75.5 MB after (4.6x), retries: none."
  summary=$(grep -m1 '^Records: ' "$out/collector-$round.log") || { echo "no run summary; see $out/collector-$round.log" >&2; exit 1; }
  objects=$(sed -E 's/^Records: ([0-9]+) objects.*/\1/' <<< "$summary")
  pages=$(sed -E 's/.*; ([0-9]+) pages.*/\1/' <<< "$summary")
  before=$(sed -E 's/.* ([0-9.]+) MB before gzip.*/\1/' <<< "$summary")
  after=$(sed -E 's/.* ([0-9.]+) MB after.*/\1/' <<< "$summary")
  raw=$(awk '{printf "%.1f", $3 / 1e6}' "$out/floor-$round.log")
  raw_pages=$(awk '{print $1}' "$out/floor-$round.log")
  gzipped=$(awk '{printf "%.1f", $1 / 1e6}' "$out/floor-$round.gzip-bytes")
  c=$(seconds "$out/collector-$round.time")
  f=$(seconds "$out/floor-$round.time")
  ratio=$(awk -v c="$c" -v f="$f" 'BEGIN {printf "%.2f", c / f}')
  ratios+=("$ratio")
  peaks+=("$(rss_mib "$out/collector-$round.time")")
  echo "| round $round: collector ($objects objects, $pages pages, $before MB before gzip, $after MB after) | $c | $(rate "$objects" "$c" %.0f) | $(rate "$before" "$c" %.1f) | $(rate "$after" "$c" %.1f) | $(rss_mib "$out/collector-$round.time") | $load_collector |"
  echo "| round $round: floor, list pages raw ($raw_pages pages, $raw MB) then \`gzip -1\` ($gzipped MB): collector / floor **$ratio** | $f | $(rate "$objects" "$f" %.0f) | $(rate "$raw" "$f" %.1f) | $(rate "$gzipped" "$f" %.1f) | $(rss_mib "$out/floor-$round.time") | $load_floor |"
done

kill "$endpoint"
wait "$endpoint" 2>/dev/null || true

median=$(median "${ratios[@]}")
echo
echo "collector peak RSS: at most **$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) MiB** in ${#peaks[@]} rounds (${peaks[*]}) with JAVA_OPTS=$collector_opts, endpoint delay $slow_ms ms."
echo "collector / floor: median **$median** of ${#ratios[@]} rounds (${ratios[*]}); target at most 1.5. Load average at the end: $(load); endpoint: $(cat "$out/endpoint.log")"
echo "Logs and GNU time reports: $out" >&2

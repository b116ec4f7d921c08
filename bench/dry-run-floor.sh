#!/usr/bin/env bash
# Issue 12's first figure: the collector's dry-run of N pods against the floor, on one test cluster
# in one run. The floor is the same pages fetched raw, one request at a time on one keep-alive
# connection, and piped through `gzip -1` (bench/lib/floor.sh). The two alternate for ROUNDS rounds,
# collector first; every round's times and ratio are printed (a Markdown table on stdout), and the
# verdict is the median of the ratios, because one run's wall time on shared cores moves by a tenth
# or more. Logs and GNU time reports go under bench/results/.
#   bench/dry-run-floor.sh [PODS [ROUNDS]]          defaults: 100000 3
# JAVA_OPTS (default -Xmx128m) is the collector's; TESTCLUSTER_JAVA_OPTS the test cluster's
# (100k pods take about 1.7 GB).
#
# Before anything is timed, the test cluster serves one raw listing and one collector dry-run
# (both untimed), so that its code is compiled and every page the timed runs ask for is in its page
# cache, as a long-running API server's would be; the launcher writes its class-data archive.
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
[[ $pods =~ ^[1-9][0-9]*$ ]] || { echo "PODS must be a whole number above 0, not \"$pods\"" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a whole number above 0, not \"$rounds\"" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found; run bin/setup" >&2; exit 1; }

echo "Building the collector and the test cluster..." >&2
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl collector,testkit -am package >&2

out="$root/bench/results/dry-run-floor-$(date -u +%Y%m%dT%H%M%SZ)"
config="$out/config"
mkdir -p "$config"
kubeconfig="$out/kubeconfig"
pods_only_config "$config"

JAVA_OPTS=${TESTCLUSTER_JAVA_OPTS:-} bin/k8s-testcluster --pods "$pods" --kubeconfig "$kubeconfig" \
  > "$out/testcluster.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
await "$kubeconfig" "$server" "the test cluster" "$out/testcluster.log"

load() { cut -d' ' -f1-3 /proc/loadavg; }

dry_run() { # dry_run TIME_REPORT LOG: one whole dry-run of the collector, records to /dev/null
  JAVA_OPTS=$collector_opts /usr/bin/time -v -o "$1" \
    bin/k8s-collector -external "$kubeconfig" -config "$config" -dry-run bench > /dev/null 2> "$2"
}

warm_test_cluster "$kubeconfig"
prepare_class_archive "$kubeconfig"
dry_run "$out/warm-up.time" "$out/warm-up.log" || { echo "the untimed warm-up dry-run failed; see $out/warm-up.log" >&2; exit 1; }

echo "| $pods pods, round | collector dry-run (s) | floor (s) | collector / floor | collector peak RSS (MiB) | raw MB (pages) | gzipped MB | load average at the collector's start |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
ratios=()
for round in $(seq "$rounds"); do
  load_collector=$(load)
  dry_run "$out/collector-$round.time" "$out/collector-$round.log" || { echo "the dry-run failed; see $out/collector-$round.log" >&2; exit 1; }
  time_floor "$kubeconfig" "$out/floor-$round.time" "$out/floor-$round.log" "$out/floor-$round.gzip-bytes"
  c=$(seconds "$out/collector-$round.time")
  f=$(seconds "$out/floor-$round.time")
  ratio=$(awk -v c="$c" -v f="$f" 'BEGIN {printf "%.2f", c / f}')
  ratios+=("$ratio")
  raw=$(awk '{printf "%.1f (%d)", $3 / 1e6, $1}' "$out/floor-$round.log")
  gzipped=$(awk '{printf "%.1f", $1 / 1e6}' "$out/floor-$round.gzip-bytes")
  echo "| $round | $c | $f | **$ratio** | $(rss_mib "$out/collector-$round.time") | $raw | $gzipped | $load_collector |"
done

echo
echo "collector / floor: median **$(median "${ratios[@]}")** of ${#ratios[@]} rounds (${ratios[*]}); target at most 1.5. Load average at the end: $(load), $(nproc) CPUs."
grep -m1 '^Records: ' "$out/collector-$rounds.log" >&2 || true
echo "Logs and GNU time reports: $out" >&2

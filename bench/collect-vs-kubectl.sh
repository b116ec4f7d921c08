#!/usr/bin/env bash
# The collector's dry-run against `kubectl get pods -A -o json` on the same test cluster, in the
# same run: wall time, their ratio and the peak RSS of each process (GNU time).
#   bench/collect-vs-kubectl.sh [PODS...]        default: 10000 100000
# The collector lists only what kubectl lists (collector.resources=pods, everything else
# excluded), pages by collector.listPageSize=500 like kubectl, writes to /dev/null, and runs through
# its launcher bin/k8s-collector (which execs java, so GNU time measures the JVM) with JAVA_OPTS
# (default -Xmx128m). Results: a Markdown table on stdout; logs under bench/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bin/lib/await.sh
source bench/lib/warm-up.sh
source bench/lib/config.sh
source bench/lib/gnu-time.sh
export JAVA_OPTS=${JAVA_OPTS:--Xmx128m}
kubectl=${KUBECTL:-$root/.tools/bin/kubectl}
[ -x "$kubectl" ] || { echo "kubectl not found at $kubectl; run bin/setup" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found; run bin/setup" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

echo "Building the collector and the test cluster..." >&2
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl collector,testkit -am package >&2

out="$root/bench/results/collect-vs-kubectl-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
config="$out/config"
mkdir -p "$config"
pods_only_config "$config"

echo "| pods | collector (s) | kubectl (s) | kubectl / collector | collector peak RSS (MiB) | kubectl peak RSS (MiB) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for pods in "${sizes[@]}"; do
  kubeconfig="$out/kubeconfig-$pods"
  java -jar testkit/target/k8s-testcluster.jar --pods "$pods" --kubeconfig "$kubeconfig" > "$out/testcluster-$pods.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  await "$kubeconfig" "$server" "the test cluster" "$out/testcluster-$pods.log"

  warm_test_cluster "$kubeconfig"
  prepare_class_archive "$kubeconfig"
  /usr/bin/time -v -o "$out/collector-$pods.time" \
    bin/k8s-collector -external "$kubeconfig" -config "$config" -dry-run bench \
    > /dev/null 2> "$out/collector-$pods.log"
  /usr/bin/time -v -o "$out/kubectl-$pods.time" \
    "$kubectl" --kubeconfig "$kubeconfig" --cache-dir "$out/kubectl-cache" get pods -A -o json \
    > /dev/null 2> "$out/kubectl-$pods.log"

  kill "$server"
  wait "$server" 2>/dev/null || true
  trap - EXIT

  c=$(seconds "$out/collector-$pods.time")
  k=$(seconds "$out/kubectl-$pods.time")
  ratio=$(awk -v c="$c" -v k="$k" 'BEGIN {printf "%.1f", k / c}')
  echo "| $pods | $c | $k | $ratio | $(rss_mib "$out/collector-$pods.time") | $(rss_mib "$out/kubectl-$pods.time") |"
done
echo "Logs and GNU time reports: $out" >&2

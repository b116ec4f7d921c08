#!/usr/bin/env bash
# The collector's dry-run of one test cluster by several builds in turn (old and new code side by
# side in one session): wall time, CPU and peak RSS of each run (GNU time).
#   bench/collector-ab.sh PODS ROUNDS TREE...
# Each TREE is a checkout of this project with collector/target/k8s-collector.jar built
# (`git worktree add --detach ../old REV` and `mvn -q -DskipTests -pl collector,testkit -am package`
# there). The test cluster is this checkout's; it serves PODS pods and one untimed listing first.
# Each tree gets one untimed run that writes its class-data archive, then the trees run in turn,
# ROUNDS times; every run is printed. Pods only, page size 500, -Xmx128m unless JAVA_OPTS says
# otherwise; a fixed REDACTION_KEY, so that no run makes a key file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bin/lib/await.sh
source bench/lib/warm-up.sh
source bench/lib/config.sh
pods=${1:?PODS} rounds=${2:?ROUNDS}
shift 2
[ $# -gt 0 ] || { echo "name at least one tree" >&2; exit 2; }
export JAVA_OPTS=${JAVA_OPTS:--Xmx128m} REDACTION_KEY=${REDACTION_KEY:-a-fixed-benchmark-redaction-key}
out="$root/bench/results/collector-ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out/config"
pods_only_config "$out/config"
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl testkit -am package >&2
java -jar testkit/target/k8s-testcluster.jar --pods "$pods" --kubeconfig "$out/kubeconfig" > "$out/testcluster.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
await "$out/kubeconfig" "$server" "the test cluster" "$out/testcluster.log"
warm_test_cluster "$out/kubeconfig"
for tree in "$@"; do (cd "$tree" && prepare_class_archive "$out/kubeconfig"); done
for round in $(seq "$rounds"); do
  for tree in "$@"; do
    name=$(basename "$tree")
    (cd "$tree" && /usr/bin/time -v -o "$out/$name-$round.time" bin/k8s-collector -external "$out/kubeconfig" \
        -config "$out/config" -dry-run bench > /dev/null 2> "$out/$name-$round.log")
    awk -F': ' -v n="$name" -v r="$round" '/Elapsed/ {w = $2} /User time/ {u = $2} /System time/ {s = $2}
        /Maximum resident/ {m = $2} END {printf "%s round %s: wall %s, cpu %.2f s, peak RSS %d MiB\n", n, r, w, u + s, m / 1024}' \
        "$out/$name-$round.time"
  done
done
echo "Logs and GNU time reports: $out" >&2

#!/usr/bin/env bash
# Compares JVM options for the collector on one test cluster: each round runs the collector's
# dry-run once per variant, in turn, and prints wall time, the collector's CPU (user + sys), its
# peak RSS and the test cluster's CPU during the run. CPU is the sturdier figure on a shared
# machine: it barely moves when other work takes the cores, where wall time does.
#   bench/collector-cpu.sh PODS ROUNDS VARIANT...
# A variant is a list of JVM options in one argument ("" for none); the word "archive" in it
# stands for the launcher's class-data archive (made first, untimed, if missing). Every run also
# gets the launcher's -XX:+UseSerialGC -Xmn24m and -Xmx128m, before the variant's options.
#   bench/collector-cpu.sh 100000 3 "-XX:+TieredCompilation" "-XX:-TieredCompilation"
#   bench/collector-cpu.sh 100000 3 "-XX:-TieredCompilation" "-XX:-TieredCompilation archive"
# SELECT=none lists no object (a label selector that matches nothing): start-up and discovery only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source bin/lib/await.sh
source bench/lib/warm-up.sh
source bench/lib/config.sh
pods=${1:?PODS} rounds=${2:?ROUNDS}
shift 2
[ $# -gt 0 ] || { echo "name at least one variant" >&2; exit 2; }

mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl collector,testkit -am package >&2
out="$root/bench/results/collector-cpu-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out/config"
pods_only_config "$out/config"
if [ "${SELECT:-}" = none ]; then
  printf 'benchmark=nothing\n' > "$out/config/collector.labelSelector"
fi
java -jar testkit/target/k8s-testcluster.jar --pods "$pods" --kubeconfig "$out/kubeconfig" > "$out/testcluster.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
await "$out/kubeconfig" "$server" "the test cluster" "$out/testcluster.log"
jar=collector/target/k8s-collector.jar
archive=collector/target/k8s-collector.jsa
warm_test_cluster "$out/kubeconfig"
prepare_class_archive "$out/kubeconfig"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "| round | variant | wall (s) | collector CPU (s) | peak RSS (MiB) | test cluster CPU (s) | load average |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$rounds"); do
  for variant in "$@"; do
    options=${variant//archive/-Xlog:cds=off,cds+dynamic=off -XX:SharedArchiveFile=$archive}
    before=$(ticks "$server")
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086 # the variant is a list of options
    /usr/bin/time -o "$out/time" -f '%e %U %S %M' java -XX:+UseSerialGC -Xmn24m -Xmx128m $options \
      -cp "$jar" io.k8scollector.collector.cli.Main -external "$out/kubeconfig" -config "$out/config" -dry-run bench \
      > /dev/null 2> "$out/collector.log"
    after=$(ticks "$server")
    read -r wall user sys rss < "$out/time"
    echo "| $round | \`${variant:-(none)}\` | $wall | $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}') | $((rss / 1024)) | $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}') | $load |"
  done
done

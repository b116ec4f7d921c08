#!/usr/bin/env bash
# Ships synthetic Pod records through the real HTTP sink to a local endpoint that only counts
# bytes, then measures the floor (the same records through `gzip -1`), and prints records/s,
# MB/s before and after gzip, the ratio sink/floor and the JVM's peak RSS.
#   bench/ship-to-counting-endpoint.sh [records=100000] [size=3500] [pageSizeKib=500] [maxGoRoutines=4] [gzipLevel=1]
# JAVA_OPTS defaults to -Xmx128m, the issue's memory budget.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -B -ntp -pl bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:--Xmx128m} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.k8scollector.bench.ShipToCountingEndpoint "$@"

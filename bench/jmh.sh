#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar inside the reactor and runs JMH with it.
# With no arguments: every benchmark, briefly (1 fork, 2 warm-up and 3 measured iterations of 2 s),
# since the build machine's cores are shared. Any arguments go to JMH as they are, e.g.
#   bench/jmh.sh RedactionBenchmark -f 2 -wi 5 -i 5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -B -ntp -pl bench -am package -DskipTests
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 2s -r 2s
fi
exec java -jar bench/target/benchmarks.jar "$@"

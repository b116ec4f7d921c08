#!/usr/bin/env bash
# Single-thread timings of the receiver's ingest, apart from HTTP and the load generator:
#   bench/receiver-timing.sh parse           # us per object to parse and hash a page of the load test's Pods
#   bench/receiver-timing.sh store [pages]   # PostgreSQL CPU, writer-thread CPU and WAL bytes per object of
#                                            # Snapshots.add (default 600 pages of 145 Pods), fresh schema
#   bench/receiver-timing.sh delta [objects] [changes] [deltas]
#                                            # on SQLite, then PostgreSQL: a full fetching of `objects` Pods
#                                            # (default 100000), the same again unchanged, `deltas` (default 20)
#                                            # deltas of `changes` (default 10) changes, a heartbeat; per step
#                                            # the commit's time and the rows written (docs/benchmarks.md)
# The harnesses (bench/receiver-timing/) sit in the receiver's ingest package to reach its page
# parser, and are compiled here against the receiver jar, outside the Maven build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:?parse, store or delta} pages=${2:-600}
cd "$root"
# Migrations copied by an earlier build of another commit would survive `mvn package` and run.
rm -rf "$root/receiver/target/classes/db"
mvn -q -B -ntp -pl receiver,bench -am -DskipTests -Dmaven.test.skip=true package \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
cp="$root/receiver/target/k8s-receiver.jar:$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "$cp" bench/receiver-timing/io/k8scollector/receiver/ingest/*.java
case $mode in
  parse) java -cp "$out:$cp" io.k8scollector.receiver.ingest.ParseTiming ;;
  store)
    schema="timing_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema" >&2
    before=$(psql -h 127.0.0.1 -U postgres -d test -Atc "SELECT pg_current_wal_lsn()")
    java -cp "$out:$cp" io.k8scollector.receiver.ingest.StoreTiming \
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema" "$pages" 2>/dev/null
    # Every page written (the untimed tenth too), so a little above the timed part's share.
    psql -h 127.0.0.1 -U postgres -d test -Atc \
        "SELECT 'wal_bytes_per_object=' || round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$before') / ($pages * 145))"
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
    ;;
  delta)
    objects=${2:-100000} changes=${3:-10} deltas=${4:-20}
    # logback prints its status to stdout (two logback.xml on this classpath): only the steps' lines are kept.
    java -Xmx6g -cp "$out:$cp" io.k8scollector.receiver.ingest.DeltaTiming "jdbc:sqlite:$out/timing.db" \
        "$objects" "$changes" "$deltas" 2>/dev/null | grep -E '^(full|delta|heartbeat)' | sed 's/^/sqlite /'
    schema="timing_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema" >&2
    java -Xmx6g -cp "$out:$cp" io.k8scollector.receiver.ingest.DeltaTiming \
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema" "$objects" "$changes" "$deltas" \
        2>/dev/null | grep -E '^(full|delta|heartbeat)' | sed 's/^/postgresql /'
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
    ;;
  *) echo "parse, store or delta" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Load test of the receiver: 20 clusters x 10k Pods (3-4 KB each) sent concurrently as gzip pages
# of ~500 KiB, into SQLite then PostgreSQL; prints objects/s, request latency and the receiver's
# peak RSS, and the CPU used by the receiver, the generator (timed part) and PostgreSQL. Needs
# PostgreSQL on 127.0.0.1:5432 (database test, user postgres, trust) for its part.
#   bench/receiver-load.sh [clusters] [objects] [pageKib] [warmupObjects]
# warmupObjects (default 0): other clusters first send that many other Pods each, untimed, so
# that the timed part meets a receiver whose JIT has compiled the ingest code.
# RECEIVER_DATABASES="sqlite postgresql" (the default) picks the databases, RECEIVER_JAVA_OPTS
# the receiver's JVM options (default -Xmx512m).
set -euo pipefail
clusters=${1:-20} objects=${2:-10000} page=${3:-500} warmup=${4:-0}
max_requests=$((clusters + 4))
receiver_opts=${RECEIVER_JAVA_OPTS:--Xmx512m}
. "$(dirname "$0")/lib/receiver.sh"
on_each_database io.k8scollector.bench.ReceiverLoad "$clusters" "$objects" "$page" 42 "$warmup"

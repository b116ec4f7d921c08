#!/usr/bin/env bash
# Heartbeat load on the receiver: `clusters` continuous collectors (default 100), each sending an
# empty delta every second for `seconds` (default 60) after a full fetching of `objects` Pods
# (default 100), into SQLite then PostgreSQL; prints the commits' p50/p99/max latency, failures,
# and the CPU of the receiver, the generator and PostgreSQL (CPU per heartbeat: divide by
# `heartbeats`; the receiver's figure includes its start and the untimed full fetchings).
#   bench/heartbeat-load.sh [clusters] [seconds] [objects]
# RECEIVER_DATABASES and RECEIVER_JAVA_OPTS as for receiver-load.sh.
set -euo pipefail
clusters=${1:-100} seconds=${2:-60} objects=${3:-100}
max_requests=$((clusters + 4))
receiver_opts=${RECEIVER_JAVA_OPTS:--Xmx512m}
. "$(dirname "$0")/lib/receiver.sh"
on_each_database io.k8scollector.bench.HeartbeatLoad "$clusters" "$seconds" "$objects"

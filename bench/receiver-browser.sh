#!/usr/bin/env bash
# The inventory browser's queries on one cluster of N generated Pods (3-4 KB each, the bench
# module's Pods with a few thousand images): the receiver is loaded by ReceiverLoad (the real ingest),
# then each query is timed with curl: /v1/images three times (the first derives the images from
# the Pod bodies, the others answer from what it kept), a search, a page of a kind's objects with
# a name prefix, the namespaces, and /v1/helm-charts. Prints one line per database and query.
#   bench/receiver-browser.sh [pods]          default 100000
# RECEIVER_DATABASES="sqlite postgresql" (the default) picks the databases, RECEIVER_JAVA_OPTS
# the receiver's JVM options (default -Xmx512m). PostgreSQL on 127.0.0.1:5432 (database test,
# user postgres, trust) for its part.
set -euo pipefail
pods=${1:-100000}
. "$(dirname "$0")/lib/receiver.sh"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

measure() { # measure NAME DB_URL
  local name=$1 db=$2 port key access secret token
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  key=$(cd "$work" && java -cp "$jar" io.k8scollector.receiver.cli.Main keys create --all-clusters --scope ingest,read --db "$db")
  (cd "$work" && exec java ${RECEIVER_JAVA_OPTS:--Xmx512m} -jar "$jar" serve --port "$port" --db "$db" 2>"$work/$name.log") &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  access=$(field accessKey <<<"$key")
  secret=$(field secretKey <<<"$key")
  echo "$name load: $(java -Xmx1g -cp "$bench_cp" io.k8scollector.bench.ReceiverLoad "http://127.0.0.1:$port" \
      "$access" "$secret" 1 "$pods" 500 42 0)"
  token=$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"accessKey\":\"$access\",\"secretKey\":\"$secret\"}" \
      "http://127.0.0.1:$port/account/access_keys/login" | field access_token)
  for query in "/v1/images?limit=100" "/v1/images?limit=100" "/v1/images?limit=100" "/v1/images?search=team%2Fapp-1:" \
      "/v1/clusters/load-0/object-refs?group=&kind=Pod&namePrefix=app-1&limit=50" "/v1/clusters/load-0/namespaces" \
      "/v1/helm-charts"; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" \
        -w "$name %{http_code} %{time_total}s %{size_download}B $query\n" "http://127.0.0.1:$port$query"
  done
  echo "$name receiver_peak_rss_mb=$(($(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024))"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=
}

databases=${RECEIVER_DATABASES:-sqlite postgresql}
if [[ " $databases " == *" sqlite "* ]]; then
  measure sqlite "jdbc:sqlite:$work/receiver.db"
fi
if [[ " $databases " == *" postgresql "* ]]; then
  schema="bench_browser_$$"
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >&2
  measure postgresql "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema"
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE" >&2
fi

#!/usr/bin/env bash
# End to end through the launchers: bin/k8s-testcluster > bin/k8s-collector > bin/k8s-receiver.
# A first run must store every object the cluster holds; after deleting and changing objects and
# forbidding a type, a second run must show the deletion and the change in `changes`, and the
# forbidden type must be carried over, not deleted.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source bin/lib/await.sh
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
fail() { echo "collect-into-receiver: $*" >&2; exit 1; }

bin/k8s-testcluster --pods 300 --port 0 --kubeconfig "$work/kubeconfig" > "$work/cluster.url" 2> "$work/cluster.log" &
pids+=($!)
receiver_port=$(free_port)
bin/k8s-receiver serve --host 127.0.0.1 --port "$receiver_port" --db "jdbc:sqlite:$work/receiver.db" > "$work/receiver.log" 2>&1 &
pids+=($!)
await "$work/cluster.url" "${pids[0]}" "the test cluster" "$work/cluster.log" 60
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$receiver_port/healthz" >/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || fail "the receiver exited: $(cat "$work/receiver.log")"
  sleep 0.5
done
curl -fs "http://127.0.0.1:$receiver_port/healthz" >/dev/null || fail "the receiver did not answer /healthz"
cluster=$(head -1 "$work/cluster.url")
token=$(grep -m1 'token:' "$work/kubeconfig" | awk '{print $2}' | tr -d '"')

# An ingest key for the collector, a read key for the queries below (keys reach only what they must).
keys=$(bin/k8s-receiver keys create --cluster e2e --scope ingest --db "jdbc:sqlite:$work/receiver.db")
access=$(echo "$keys" | json 'd["accessKey"]')
secret=$(echo "$keys" | json 'd["secretKey"]')
read_keys=$(bin/k8s-receiver keys create --cluster e2e --scope read --db "jdbc:sqlite:$work/receiver.db")
read_access=$(echo "$read_keys" | json 'd["accessKey"]')
read_secret=$(echo "$read_keys" | json 'd["secretKey"]')

mkdir -p "$work/config"
echo "http://127.0.0.1:$receiver_port" > "$work/config/endpoint"

collect() {
  # out of a cluster the collector keeps its redaction key in the user's config home: not the real one
  XDG_CONFIG_HOME="$work/config-home" INFRALIGHT_ACCESS_KEY="$access" INFRALIGHT_SECRET_KEY="$secret" \
    bin/k8s-collector -external "$work/kubeconfig" -config "$work/config" e2e 2> "$work/collector-$1.log" \
    || fail "collector run $1 failed: $(tail -5 "$work/collector-$1.log")"
}
api_token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"accessKey\":\"$read_access\",\"secretKey\":\"$read_secret\"}" \
  "http://127.0.0.1:$receiver_port/account/access_keys/login" | json 'd["access_token"]')
query() { curl -fs -H "Authorization: Bearer $api_token" "http://127.0.0.1:$receiver_port$1"; }
kube() { curl -fsk -H "Authorization: Bearer $token" "$cluster$1"; }
uids_in_receiver() { # kind
  query "/v1/clusters/e2e/objects?kind=$1&limit=5000" | json '"\n".join(sorted(i["metadata"]["uid"] for i in d["items"]))'
}
uids_in_cluster() { # list path
  kube "$1" | json '"\n".join(sorted(i["metadata"]["uid"] for i in d["items"]))'
}

collect 1
[ "$(uids_in_receiver Pod)" = "$(uids_in_cluster /api/v1/pods)" ] || fail "run 1: the receiver's pods differ from the cluster's"
[ "$(uids_in_receiver Service)" = "$(uids_in_cluster /api/v1/services)" ] || fail "run 1: services differ"
accounts_before=$(uids_in_receiver ServiceAccount)
[ -n "$accounts_before" ] || fail "run 1: no service accounts stored"

pod=$(kube /api/v1/pods?limit=1 | json 'd["items"][0]["metadata"]["namespace"]+"/"+d["items"][0]["metadata"]["name"]')
pod_uid=$(kube /api/v1/pods?limit=1 | json 'd["items"][0]["metadata"]["uid"]')
curl -fsk -X DELETE -H "Authorization: Bearer $token" "$cluster/testkit/objects/core/pods/$pod" >/dev/null
service_uid=$(kube /api/v1/services?limit=1 | json 'd["items"][0]["metadata"]["uid"]')
kube /api/v1/services?limit=1 | python3 -c '
import json,sys
s=json.load(sys.stdin)["items"][0]
s["apiVersion"]="v1"; s["kind"]="Service"
s["metadata"].setdefault("labels",{})["e2e"]="changed"
print(json.dumps(s))' | curl -fsk -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @- "$cluster/testkit/objects" >/dev/null
curl -fsk -X POST -H "Authorization: Bearer $token" "$cluster/testkit/faults/forbid?group=&resource=serviceaccounts" >/dev/null

collect 2
changes=$(query /v1/clusters/e2e/changes)
echo "$changes" | json '[r["uid"] for r in d["deleted"]]' | grep -q "$pod_uid" || fail "run 2: the deleted pod is not in changes.deleted"
echo "$changes" | json '[r["uid"] for r in d["changed"]]' | grep -q "$service_uid" || fail "run 2: the changed service is not in changes.changed"
[ "$(uids_in_receiver Pod)" = "$(uids_in_cluster /api/v1/pods)" ] || fail "run 2: the receiver's pods differ from the cluster's"
[ "$(uids_in_receiver ServiceAccount)" = "$accounts_before" ] || fail "run 2: the forbidden type was not carried over"
grep -q serviceaccounts "$work/collector-2.log" || fail "run 2: the summary does not mention the forbidden type"
echo "collect-into-receiver: 2 runs committed; deletion, change and carry-over seen"

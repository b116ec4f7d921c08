#!/usr/bin/env bash
# End to end: bin/k8s-testcluster runs on its own, the real kubectl lists from it, and the admin API
# changes objects and faults between two listings.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/bin/lib/await.sh"
kubectl="${K8S_COLLECTOR_TOOLS:-$root/.tools}/bin/kubectl"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "testcluster.sh: $*" >&2; exit 1; }

"$root/bin/k8s-testcluster" --pods 120 --seed 5 --kubeconfig "$work/kubeconfig" > "$work/url" 2> "$work/log" &
server=$!
await "$work/url" "$server" "the test cluster" "$work/log" 150
url=$(head -n1 "$work/url")
[[ "$url" =~ ^https://127\.0\.0\.1:[0-9]+$ ]] || fail "stdout is not just the URL: $(cat "$work/url")"

k() { "$kubectl" --kubeconfig "$work/kubeconfig" --cache-dir "$work/cache" "$@"; }
pods=$(k get pods -A -o name | wc -l)
[ "$pods" -eq 120 ] || fail "kubectl listed $pods pods, expected 120"

token=$(awk '/token:/ {print $2}' "$work/kubeconfig")
awk '/certificate-authority-data:/ {print $2}' "$work/kubeconfig" | base64 -d > "$work/ca.pem"
admin() { curl -sS -o /dev/null -w '%{http_code}' --cacert "$work/ca.pem" -H "Authorization: Bearer $token" "$@"; }

code=$(admin -X POST -H 'Content-Type: application/json' "$url/testkit/objects" \
  -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"e2e-added","namespace":"shop"},"data":{"a":"b"}}')
[ "$code" = 204 ] || fail "POST /testkit/objects answered $code"
[ "$(k get configmap -n shop e2e-added -o jsonpath='{.data.a}')" = b ] || fail "the added ConfigMap is not served"

code=$(admin -X DELETE "$url/testkit/objects/core/configmaps/shop/e2e-added")
[ "$code" = 204 ] || fail "DELETE /testkit/objects answered $code"
if k get configmap -n shop e2e-added >/dev/null 2>&1; then fail "the deleted ConfigMap is still served"; fi

code=$(admin -X POST "$url/testkit/faults/forbid?group=&resource=secrets")
[ "$code" = 204 ] || fail "POST /testkit/faults/forbid answered $code"
if k get secrets -A >/dev/null 2> "$work/forbidden"; then fail "secrets are not forbidden"; fi
grep -q "forbidden" "$work/forbidden" || fail "kubectl did not report 403: $(cat "$work/forbidden")"
code=$(admin -X DELETE "$url/testkit/faults")
[ "$code" = 204 ] || fail "DELETE /testkit/faults answered $code"
k get secrets -A >/dev/null || fail "secrets still fail after clearing the faults"

echo "testcluster.sh: ok ($url)"

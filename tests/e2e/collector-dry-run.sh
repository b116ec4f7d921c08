#!/usr/bin/env bash
# The collector through its launcher, against the test cluster's launcher: a dry-run writes one
# JSON document with every pod to stdout and exits 0; bad input exits 2 and writes nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source bin/lib/await.sh
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bin/k8s-testcluster --pods 200 --kubeconfig "$work/kubeconfig" > "$work/testcluster.log" 2>&1 &
server=$!
await "$work/kubeconfig" "$server" "the test cluster" "$work/testcluster.log" 300
mkdir -p "$work/config"
# out of a cluster the collector keeps its redaction key in the user's config home: not the real one
export XDG_CONFIG_HOME="$work/config-home"

bin/k8s-collector -external "$work/kubeconfig" -config "$work/config" -dry-run e2e > "$work/out.json" 2> "$work/err.log" || {
  echo "collector-dry-run: the dry-run failed" >&2; cat "$work/err.log" >&2; exit 1; }
pods=$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["objects", "helmReleases", "types", "trees", "skipped"], list(doc)
print(sum(1 for o in doc["objects"] if o["kind"] == "Pod"))' "$work/out.json")
[ "$pods" = 200 ] || { echo "collector-dry-run: expected 200 pods, got $pods" >&2; exit 1; }
grep -q "Types listed:" "$work/err.log" || { echo "collector-dry-run: no run summary on stderr" >&2; exit 1; }

code=0
bin/k8s-collector -external "$work/kubeconfig" -config "$work/config" -dry-run 'Not Valid' > "$work/bad.out" 2> "$work/bad.err" || code=$?
[ "$code" = 2 ] || { echo "collector-dry-run: an invalid cluster id exited $code, not 2" >&2; exit 1; }
[ ! -s "$work/bad.out" ] || { echo "collector-dry-run: bad input wrote to stdout" >&2; exit 1; }
grep -q "'Not Valid' is not valid" "$work/bad.err" || { cat "$work/bad.err" >&2; exit 1; }
echo "collector-dry-run: ok"

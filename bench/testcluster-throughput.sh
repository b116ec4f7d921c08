#!/usr/bin/env bash
# How fast the test cluster serves pods: starts bin/k8s-testcluster with N pods, then reads
# /api/v1/pods once unpaged (curl) and once in pages of 500 over one keep-alive connection (the way
# kubectl and the collector page), reporting bytes, seconds, MB/s and the server's CPU seconds.
#   bench/testcluster-throughput.sh [PODS]        default: 100000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bin/lib/await.sh"
pods=${1:-100000}
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

JAVA_OPTS=${JAVA_OPTS:--Xmx3g} "$root/bin/k8s-testcluster" --pods "$pods" --kubeconfig "$work/kubeconfig" \
  > "$work/url" 2> "$work/log" &
server=$!
await "$work/url" "$server" "the test cluster" "$work/log"
url=$(head -n1 "$work/url")
token=$(awk '/token:/ {print $2}' "$work/kubeconfig")
awk '/certificate-authority-data:/ {print $2}' "$work/kubeconfig" | base64 -d > "$work/ca.pem"
grep -o 'ready in [0-9]* ms' "$work/log" | sed "s/^/start with $pods pods: /"
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$server/stat"; }

before=$(cpu)
curl -sS --cacert "$work/ca.pem" -H "Authorization: Bearer $token" -o /dev/null \
  -w 'unpaged: %{size_download} bytes in %{time_total} s\n' "$url/api/v1/pods"
echo "  server CPU: $(echo "$(cpu) - $before" | bc) s"

before=$(cpu)
python3 - "$url" "$token" "$work/ca.pem" <<'PY'
import http.client, re, ssl, sys, time
url, token, ca = sys.argv[1:4]
host, port = url.split("//")[1].split(":")
conn = http.client.HTTPSConnection(host, int(port), context=ssl.create_default_context(cafile=ca))
token_param, pages, total, start = "", 0, 0, time.time()
while True:
    conn.request("GET", "/api/v1/pods?limit=500" + token_param, headers={"Authorization": "Bearer " + token})
    body = conn.getresponse().read()
    pages, total = pages + 1, total + len(body)
    found = re.search(rb'"continue":"([^"]*)"', body[:400])
    if not found:
        break
    token_param = "&continue=" + found.group(1).decode()
seconds = time.time() - start
print(f"paged by 500: {pages} pages, {total} bytes in {seconds:.2f} s = {total / seconds / 1e6:.0f} MB/s")
PY
echo "  server CPU: $(echo "$(cpu) - $before" | bc) s"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"

#!/usr/bin/env bash
# How fast the test cluster serves pods to one client: starts bin/k8s-testcluster with N pods,
# then reads /api/v1/pods once unpaged (curl) and ROUNDS times in pages of 500, each round over one
# keep-alive connection, one request at a time (the way kubectl and the collector page), reporting
# bytes, seconds, MB/s and the server's CPU seconds of each. The first paged round assembles every
# page (and the server compiles its code); later rounds are served from the page cache, as by a
# long-running server asked for the same pages again. Target: 120 MB/s or more for 100k pods.
#   bench/testcluster-throughput.sh [PODS [ROUNDS]]        defaults: 100000 3
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bin/lib/await.sh"
pods=${1:-100000}
rounds=${2:-3}
[[ $pods =~ ^[1-9][0-9]*$ ]] || { echo "PODS must be a whole number above 0, not \"$pods\"" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a whole number above 0, not \"$rounds\"" >&2; exit 2; }
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

python3 - "$url" "$token" "$work/ca.pem" "$server" "$rounds" <<'PY'
import http.client, re, ssl, sys, time
url, token, ca, server, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
host, port = url.split("//")[1].split(":")
tls = ssl.create_default_context(cafile=ca)

def server_cpu():
    with open(f"/proc/{server}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime and stime, in clock ticks

for round in range(1, rounds + 1):
    conn = http.client.HTTPSConnection(host, int(port), context=tls)
    token_param, pages, total, cpu, start = "", 0, 0, server_cpu(), time.time()
    while True:
        conn.request("GET", "/api/v1/pods?limit=500" + token_param, headers={"Authorization": "Bearer " + token})
        body = conn.getresponse().read()
        pages, total = pages + 1, total + len(body)
        found = re.search(rb'"continue":"([^"]*)"', body[:400])
        if not found:
            break
        token_param = "&continue=" + found.group(1).decode()
    seconds = time.time() - start
    conn.close()
    print(f"paged by 500, round {round}: {pages} pages, {total} bytes in {seconds:.2f} s = "
          f"{total / seconds / 1e6:.0f} MB/s; server CPU {server_cpu() - cpu:.2f} s")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"

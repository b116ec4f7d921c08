# The floor the collector's benchmarks compare with: every page of the Pod list fetched raw, one
# request at a time on one keep-alive connection (bench/list-pages.py: limit=500 and the continue
# token, as kubectl and the collector page), piped through `gzip -1`.

# Times one floor run with GNU time; list-pages.py's summary ("PAGES pages, BYTES bytes") goes to
# LOG, the gzipped size in bytes to GZIP_BYTES.
#   time_floor KUBECONFIG TIME_REPORT LOG GZIP_BYTES
time_floor() {
  /usr/bin/time -v -o "$2" bash -c \
    'python3 bench/list-pages.py "$1" /api/v1/pods 500 2> "$2" | gzip -1 | wc -c > "$3"' \
    floor "$1" "$3" "$4"
}

# Reading the reports of GNU time (`/usr/bin/time -v -o REPORT`), shared by the benchmarks.

# Wall time in seconds: "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34" -> 62.34
#   seconds REPORT
seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$1"
}

# Peak resident set size in MiB.
#   rss_mib REPORT
rss_mib() {
  awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"
}

# The median of numbers, with two decimals when it falls between two of them.
#   median NUMBER...
median() {
  printf '%s\n' "$@" | sort -n | awk '{r[NR] = $1} END {print (NR % 2) ? r[(NR + 1) / 2] : sprintf("%.2f", (r[NR / 2] + r[NR / 2 + 1]) / 2)}'
}

# Collector configuration shared by the benchmarks.
#
# The config directory of a collector that lists only Pods (every other type excluded), 500 to a
# page as kubectl pages: what the benchmarks compare with kubectl and with each other.
#   pods_only_config DIR
pods_only_config() {
  mkdir -p "$1"
  printf 'pods\n' > "$1/collector.resources"
  printf '*.*\n' > "$1/collector.excludeResources"
  printf '500\n' > "$1/collector.listPageSize"
}

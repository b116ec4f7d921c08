# The collector's launcher keeps a class-data archive next to its jar, written by the first run
# after each build (bin/lib/launch.sh); writing it costs that one run a few seconds. A benchmark
# times the runs that come after, so it calls this first: an untimed dry-run of the same cluster
# that selects no object.
#   prepare_class_archive KUBECONFIG
prepare_class_archive() {
  local config
  config=$(mktemp -d)
  printf 'pods\n' > "$config/collector.resources"
  printf 'benchmark=class-archive-only\n' > "$config/collector.labelSelector"
  bin/k8s-collector -external "$1" -config "$config" -dry-run bench > /dev/null 2>&1 || {
    rm -rf "$config"
    echo "The untimed dry-run that writes the class-data archive failed." >&2
    return 1
  }
  rm -rf "$config"
}

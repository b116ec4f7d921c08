# Untimed steps before a benchmark times anything.
#
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

# The test cluster compiles its own code as it serves: the first listing of its pods is slower than
# the next ones. Whatever a benchmark times first would pay for that, so the test cluster serves
# one untimed listing of every pod first (raw pages, as bench/list-pages.py fetches them).
#   warm_test_cluster KUBECONFIG
warm_test_cluster() {
  python3 bench/list-pages.py "$1" /api/v1/pods 500 > /dev/null 2>&1 || {
    echo "The untimed listing that warms the test cluster up failed." >&2
    return 1
  }
}

#!/usr/bin/env bash
# End to end: every launcher's --help, and every subcommand's, exits 0 and lists its options (the
# launchers route the subcommands: `k8s-collector demo` runs the demo's jar, not the collector's).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "help.sh: $*" >&2; exit 1; }

# help LAUNCHER "ARGS" OPTION...: `LAUNCHER ARGS` exits 0 and its stdout names every OPTION
help() {
  local launcher=$1 args=$2 option
  shift 2
  # shellcheck disable=SC2086 # ARGS is a list of words
  "$root/bin/$launcher" $args > "$work/out" 2> "$work/err" || fail "$launcher $args exited $?: $(cat "$work/err")"
  for option in "$@"; do
    grep -q -e "$option" "$work/out" || fail "$launcher $args does not list $option: $(cat "$work/out")"
  done
}

help k8s-collector --help -external -kubeconfig -config -debug -dry-run -context CLUSTER_ID "k8s-collector demo" \
  "k8s-collector check"
help k8s-collector -help -external -dry-run
help k8s-collector "demo --help" --pods --port --keep-running --verbose
help k8s-collector "check --help" --strict --rbac -external -config -dry-run CLUSTER_ID
help k8s-receiver --help serve keys
help k8s-receiver "serve --help" --port --host --db --retain --metrics-token --tls-cert --tls-key \
  --trusted-proxy-header --max-requests-per-key
help k8s-receiver "keys --help" create list revoke
help k8s-receiver "keys create --help" --db --cluster --all-clusters --scope
help k8s-receiver "keys list --help" --db
help k8s-receiver "keys revoke --help" --db ACCESS_KEY
help k8s-testcluster --help --pods --namespaces --seed --port --churn --watch-history --bookmark-seconds --kubeconfig
echo "help.sh: every launcher and subcommand answers --help"

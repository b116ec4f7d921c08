# Shared by the end-to-end and benchmark scripts that start a server in the background.
#   await FILE PID WHAT LOG [SECONDS]
# Waits until the process PID has written FILE (its URL or kubeconfig); fails the script with
# LOG's content when the process exits first, or when SECONDS (default 600) pass.
await() {
  local file=$1 pid=$2 what=$3 log=$4 seconds=${5:-600}
  for _ in $(seq 1 $((seconds * 2))); do
    [ -s "$file" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what exited before it was ready; its log ($log):" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "$what was not ready after $seconds s; see $log" >&2
  exit 1
}

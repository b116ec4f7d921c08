# The receiver side of the receiver benchmarks (receiver-load.sh, heartbeat-load.sh,
# receiver-browser.sh, which uses only the build, root, jar, bench_cp and work): builds the
# receiver and bench jars, starts a receiver on each database in turn with a fresh key, runs a
# load generator against it and prints its result line with the receiver's peak RSS and CPU and
# PostgreSQL's CPU. Callers set max_requests (the receiver's --max-requests-per-key) and
# receiver_opts (its JVM options), then call on_each_database GENERATOR_CLASS [ARGS...].
# RECEIVER_DATABASES="sqlite postgresql" (the default) picks the databases.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# Migrations copied by an earlier build of another commit would survive `mvn package` and run.
rm -rf "$root/receiver/target/classes/db"
mvn -q -B -ntp -pl receiver,bench -am -DskipTests -Dmaven.test.skip=true package \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
bench_cp="$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
jar="$root/receiver/target/k8s-receiver.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# utime + stime of every PostgreSQL server process, in clock ticks (0 without PostgreSQL): the
# database's share of the two cores during a run, its background writers included.
database_cpu_ticks() {
  local pids
  pids=$(pgrep -u postgres -d ' ' . || true)
  if [[ -z "$pids" ]]; then echo 0; return; fi
  (cd /proc && cat $(printf '%s/stat ' $pids) 2>/dev/null) | awk '{sum += $14 + $15} END {print sum + 0}'
}

run() { # run NAME DB_URL GENERATOR_CLASS [GENERATOR_ARGS...]: the generator gets URL ACCESS SECRET ARGS...
  local name=$1 db=$2 generator=$3 port
  shift 3
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local key
  key=$(cd "$work" && java -cp "$jar" io.k8scollector.receiver.cli.Main keys create --all-clusters --scope ingest,read --db "$db")
  (cd "$work" && exec java $receiver_opts -cp "$jar" io.k8scollector.receiver.cli.Main serve --port "$port" --db "$db" \
      --max-requests-per-key "$max_requests" \
      2>"$work/$name.log") &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local access secret
  access=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["accessKey"])' <<<"$key")
  secret=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["secretKey"])' <<<"$key")
  local result db_cpu_before
  db_cpu_before=$(database_cpu_ticks)
  result=$(java -Xmx1g -cp "$bench_cp" "$generator" "http://127.0.0.1:$port" "$access" "$secret" "$@")
  local rss cpu db_cpu
  db_cpu=$(awk -v a="$db_cpu_before" -v b="$(database_cpu_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) / hz}')
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  # utime + stime of the receiver, in clock ticks: its own CPU cost, whatever else runs.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$name $result receiver_peak_rss_mb=$((rss / 1024)) receiver_cpu_s=$cpu postgres_cpu_s=$db_cpu load_avg=$(cut -d" " -f1 /proc/loadavg)"
}

on_each_database() { # on_each_database GENERATOR_CLASS [ARGS...]
  databases=${RECEIVER_DATABASES:-sqlite postgresql}
  if [[ " $databases " == *" sqlite "* ]]; then
    run sqlite "jdbc:sqlite:$work/receiver.db" "$@"
  fi
  if [[ " $databases " == *" postgresql "* ]]; then
    if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
      schema="bench_$$"
      psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >&2
      run postgresql "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema" "$@"
      psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA $schema CASCADE" >&2
    else
      echo "postgresql skipped: nothing listens on 127.0.0.1:5432 (bin/setup starts it)" >&2
    fi
  fi
}

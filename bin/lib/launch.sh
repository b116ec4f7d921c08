# Shared by the bin/ launchers: builds a module's runnable jar when it is missing or older than
# the sources (build output to stderr, never stdout), then runs it with JAVA_OPTS.
#   launch MODULE JAR MAIN_CLASS ARGS...
launch() {
  local module=$1 jar=$2 main=$3
  shift 3
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  local path="$root/$module/target/$jar"
  if [ ! -f "$path" ] || [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src "$root/charts" \
        -newer "$path" -type f -print -quit 2>/dev/null)" ]; then
    echo "Building $module (first run, or sources changed)..." >&2
    (cd "$root" && mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl "$module" -am package) >&2 || {
      echo "Build of $module failed; see the output above." >&2
      exit 1
    }
  fi
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  exec java ${JAVA_OPTS:-} -cp "$path" "$main" "$@"
}

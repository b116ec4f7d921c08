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
  local archive=()
  if [ -n "${LAUNCH_CLASS_ARCHIVE:-}" ]; then
    archive=($(class_archive "${path%.jar}.jsa" "$path" "$@"))
  fi
  # A program out of memory ends at once (exit 3) instead of going on without what it lost, such
  # as a page of a snapshot; JAVA_OPTS comes after, so it can still turn this off.
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  exec java -XX:+ExitOnOutOfMemoryError "${archive[@]}" ${JAVA_OPTS:-} -cp "$path" "$main" "$@"
}

# The JVM options for a class-data archive (AppCDS) of a short-lived program's classes, which
# spares it about a second of class loading at every start (docs/benchmarks.md): use the archive
# when it is newer than the jar, else have this run write it at exit, unless the run only prints
# its help or version (its classes would make a poor archive). The JVM's own notes on the archive
# are turned off: they would go to stdout, which is the program's.
#   class_archive ARCHIVE JAR ARGS...
class_archive() {
  local archive=$1 jar=$2
  shift 2
  echo "-Xlog:cds=off,cds+dynamic=off"
  if [ -f "$archive" ] && [ "$archive" -nt "$jar" ]; then
    echo "-XX:SharedArchiveFile=$archive"
    return
  fi
  local arg
  for arg in "$@"; do
    case $arg in -h|-help|--help|-V|-version|--version) return ;; esac
  done
  echo "-XX:ArchiveClassesAtExit=$archive"
}

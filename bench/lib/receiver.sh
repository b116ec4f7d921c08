# The receiver's benchmarks: the receiver's jar and the bench module, built from this checkout.
#   build_receiver_and_bench ROOT      sets jar (the receiver's shaded jar) and bench_cp
build_receiver_and_bench() {
  # Migrations copied by an earlier build of another commit would survive `mvn package` and run.
  rm -rf "$1/receiver/target/classes/db"
  (cd "$1" && mvn -q -B -ntp -pl receiver,bench -am -DskipTests -Dmaven.test.skip=true package \
      dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2)
  bench_cp="$1/bench/target/classes:$(cat "$1/bench/target/classpath.txt")"
  jar="$1/receiver/target/k8s-receiver.jar"
}

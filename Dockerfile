# The collector's image for users who build with Docker (the project itself builds the same image
# without a daemon: `mvn -pl deploy -am verify` writes deploy/target/k8s-collector-image.tar).
#   docker build -t k8s-collector:1.0.0 .
# Both run the same script to make the runtime: a jlink-trimmed Java with only the modules the jars
# need, plus the few glibc libraries it links to, on an empty (scratch) base: no shell, no package
# manager, user 65532.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Packages the collector and runs the deploy module up to the runtime (jdeps, jlink, ldd); Jib and
# the tests are skipped here.
RUN mvn -B -ntp -pl deploy -am package -DskipTests -Djib.skip=true \
 && mkdir -p /image/app/libs \
 && tr ':' '\n' < deploy/target/image-classpath.txt | xargs -I{} cp {} /image/app/libs/ \
 && cp -a deploy/target/image-root/. /image/ \
 && cp -a deploy/src/image/root/. /image/ \
 && chmod 1777 /image/tmp

FROM scratch
COPY --from=build /image/ /
# The JVM options and malloc arenas of bin/k8s-collector (docs/deploy.md, "Memory"), as the
# project's image has them: options on the command line and in JDK_JAVA_OPTIONS (the chart's
# jvmOptions) override JAVA_TOOL_OPTIONS.
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin \
    LD_LIBRARY_PATH=/opt/java/lib:/opt/java/lib/server:/lib/x86_64-linux-gnu \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmn24m -XX:SurvivorRatio=4 -XX:-TieredCompilation -XX:InitialRAMPercentage=0 -XX:TrimNativeHeapInterval=1000 -XX:CICompilerCount=1" \
    MALLOC_ARENA_MAX=2
USER 65532:65532
WORKDIR /tmp
LABEL org.opencontainers.image.title="k8s-collector" \
      org.opencontainers.image.version="1.0.0" \
      org.opencontainers.image.licenses="Apache-2.0"
ENTRYPOINT ["/opt/java/bin/java", "-XX:+ExitOnOutOfMemoryError", "-cp", "/app/libs/*", "io.k8scollector.collector.cli.Main"]

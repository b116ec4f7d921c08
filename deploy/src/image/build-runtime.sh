#!/usr/bin/env bash
# Builds the image's file tree, minus the application jars that Jib adds:
#   /opt/java                   a jlink runtime holding only the modules the jars need (jdeps),
#                               plus what TLS and DNS need at run time
#   /lib64, /lib/x86_64-linux-gnu  the system libraries that runtime links to (ldd), from this
#                               machine, so that the image runs on a scratch base
# Usage: build-runtime.sh JAVA_HOME CLASSPATH OUTPUT_DIR
#   CLASSPATH is a file holding the jars as a colon-separated classpath (the collector's, from
#   dependency:build-classpath) or one jar (the receiver's shaded jar).
# A tree built from the same modules, JDK and script is kept (OUTPUT_DIR.stamp says what it was
# built from), so that a rebuild of the image takes seconds.
set -euo pipefail
java_home=$1 classpath=$2 out=$3

if [[ $classpath == *.jar ]]; then
  jars=("$classpath")
else
  IFS=: read -r -a jars < "$classpath" || [ ${#jars[@]} -gt 0 ]
fi
modules=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "${jars[@]}")
# jackson-databind's optional java.beans support is all that asks for java.desktop, which would
# bring AWT and a dozen X11 libraries; without it Jackson skips @ConstructorProperties. (In the
# receiver's jar, Jetty's leak preventers and webapp listeners and PostgreSQL's geometric types
# ask for it too: code the receiver never runs.)
modules=$(tr ',' '\n' <<< "$modules" | grep -vx java.desktop | paste -sd, -)
# Loaded by name at run time, so jdeps cannot see them: elliptic-curve TLS, the DNS provider of
# java.naming, and the extra charsets.
modules="$modules,jdk.crypto.ec,jdk.naming.dns,jdk.charsets"
stamp="$modules $("$java_home/bin/java" -version 2>&1 | head -1) $(sha256sum "$0" | cut -c1-16)"
# Beside the tree, not in it: Jib copies every file of the tree into the image.
if [ -d "$out" ] && [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
  echo "build-runtime: $out is up to date ($modules)" >&2
  exit 0
fi
echo "build-runtime: modules $modules" >&2
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp"

"$java_home/bin/jlink" --add-modules "$modules" --output "$out/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=2
# Debian's JDK keeps its configuration (cacerts among it) as links into /etc; the image needs the
# files themselves.
for link in $(find "$out/opt/java" -type l); do
  target=$(readlink -f "$link")
  rm "$link"
  cp "$target" "$link"
done
rm -rf "$out/opt/java/legal" "$out/opt/java/release.bak"

# Every library outside the runtime that the launcher or the runtime's libraries load.
libs=$( { ldd "$out/opt/java/bin/java"; find "$out/opt/java/lib" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/lib64\// { print $1 }' | sort -u)
# Loaded by the JVM with dlopen, never listed by ldd.
for extra in libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1; do
  libs="$libs /lib/x86_64-linux-gnu/$extra"
done
for lib in $libs; do
  case "$lib" in
    "$out"/*) continue ;;
  esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  echo "build-runtime: library $lib" >&2
done
echo "$stamp" > "$out.stamp"

#!/bin/bash
# Fast inner loop for developers: compiles bundles and test bundles with plain javac (no OSGi, no Tycho) and runs
# their JUnit 5 tests with the console launcher. The real gate is still `./mvnw -B verify` (tests inside OSGi).
#
#   releng/scripts/quick-test.sh <bundle-dir>... [-- <junit console args>]
#   e.g. releng/scripts/quick-test.sh bundles/org.diff2dgs.core tests/org.diff2dgs.core.tests -- --select-class=...
#
# Jars come from the local Maven repository (filled by ./mvnw or `mvn dependency:get`).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
M2=${M2_REPO:-$HOME/.m2/repository}
jars=(
  com/google/code/gson/gson/2.13.1/gson-2.13.1.jar
  org/osgi/org.osgi.service.component.annotations/1.5.1/org.osgi.service.component.annotations-1.5.1.jar
  org/osgi/org.osgi.service.component/1.5.1/org.osgi.service.component-1.5.1.jar
  org/osgi/org.osgi.framework/1.8.0/org.osgi.framework-1.8.0.jar
  info/picocli/picocli/4.7.7/picocli-4.7.7.jar
  org/yaml/snakeyaml/2.7/snakeyaml-2.7.jar
  org/jfree/jfreechart/1.5.6/jfreechart-1.5.6.jar
  org/jcodec/jcodec/0.2.5/jcodec-0.2.5.jar
  org/jcuda/jcuda/12.6.0/jcuda-12.6.0.jar
  org/jcuda/jcuda-natives/12.6.0/jcuda-natives-12.6.0-linux-x86_64.jar
  ai/djl/api/0.38.0/api-0.38.0.jar
  ai/djl/onnxruntime/onnxruntime-engine/0.38.0/onnxruntime-engine-0.38.0.jar
  com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar
  com/google/protobuf/protobuf-java/4.36.2/protobuf-java-4.36.2.jar
  org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
  org/junit/platform/junit-platform-console-standalone/1.13.4/junit-platform-console-standalone-1.13.4.jar
)
cp=""
for j in "${jars[@]}"; do
  if [ ! -f "$M2/$j" ]; then
    IFS=/ read -ra parts <<<"$j"; n=${#parts[@]}
    ver=${parts[n-2]}; art=${parts[n-3]}; grp=$(IFS=.; echo "${parts[*]:0:n-3}")
    # from outside the tree: the system Maven must not load this project's .mvn/ (the Tycho extension)
    (cd "${TMPDIR:-/tmp}" && mvn -q dependency:get -Dartifact="$grp:$art:$ver" -Dtransitive=false >&2) || true
  fi
  [ -f "$M2/$j" ] && cp="$cp:$M2/$j"
done
dirs=(); junit=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; junit=("$@"); break; fi
  dirs+=("$1"); shift
done
out=${QUICK_OUT:-$(mktemp -d)}
mkdir -p "$out/classes"
srcs=()
for d in "${dirs[@]}"; do
  while IFS= read -r f; do srcs+=("$f"); done < <(find "$d/src" -name '*.java')
  [ -d "$d/resources" ] && cp -r "$d/resources/." "$out/classes/"
done
"$JAVA_HOME/bin/javac" -nowarn -encoding UTF-8 --release 21 -d "$out/classes" -cp "${cp#:}" "${srcs[@]}"
if [ ${#junit[@]} -eq 0 ]; then junit=(--scan-classpath "$out/classes"); fi
exec "$JAVA_HOME/bin/java" -Xmx6g -Djava.awt.headless=true -cp "$out/classes$cp" \
  org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=summary "${junit[@]}"

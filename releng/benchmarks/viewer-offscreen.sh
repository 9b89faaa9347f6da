#!/bin/bash
# Offscreen frame rate of the 3D viewer (EGL, no display): n surfels in a curved sheet, the eye orbiting so that every
# frame re-sorts all splats, each frame finished. Runs from the built workbench product's jars.
#   releng/benchmarks/viewer-offscreen.sh [surfels (200000)] [width (1280)] [height (720)] [frames (30)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=${D2DGS_WORKBENCH:-$ROOT/releng/org.diff2dgs.product/target/products/org.diff2dgs.workbench/linux/gtk/x86_64/diff2dgs-workbench}
[ -d "$P/plugins" ] || { echo "viewer-offscreen: build the product first (./mvnw -B verify -DskipTests)" >&2; exit 1; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ -x "$P/jre/bin/java" ] && JAVA="$P/jre/bin/java"
cp=$(ls "$P"/plugins/org.diff2dgs.viewer_*.jar "$P"/plugins/org.diff2dgs.core_*.jar "$P"/plugins/org.lwjgl*.jar | tr '\n' ':')
exec "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$cp" org.diff2dgs.viewer.internal.OffscreenBenchmark \
  "${1:-200000}" "${2:-1280}" "${3:-720}" "${4:-30}"

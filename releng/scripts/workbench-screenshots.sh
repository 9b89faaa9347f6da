#!/bin/bash
# Regenerates the workbench screenshots in docs/images/workbench/ with real data: the product's tour trains two runs
# of the built-in synthetic scene (gaussian-basis and mlp deformation), inpaints when a method is installed, shows
# every view and photographs it. Needs an X display or xvfb-run.
#   releng/scripts/workbench-screenshots.sh [iterations (default 200)]
# TOUR_OPTS adds JVM options, e.g. TOUR_OPTS=-Dd2dgs.tour.benchmark=200000 (also times the 3D view with 200k surfels).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ITER=${1:-200}
P="$ROOT/releng/org.diff2dgs.product/target/products/org.diff2dgs.workbench/linux/gtk/x86_64/diff2dgs-workbench"
if [ ! -x "$P/diff2dgs-workbench" ]; then
  echo "workbench-screenshots: building the product once (./mvnw -B -q verify -DskipTests)..." >&2
  (cd "$ROOT" && ./mvnw -B -q verify -DskipTests)
fi
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for jdk in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if "${jdk}bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then export JAVA_HOME=${jdk%/}; break; fi
  done
fi
run=()
if [ -z "${DISPLAY:-}" ]; then
  command -v xvfb-run >/dev/null 2>&1 || { echo "workbench-screenshots: needs a display or xvfb-run (apt-get install xvfb xauth)" >&2; exit 1; }
  run=(xvfb-run -a -s "-screen 0 1280x800x24")
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home"
HOME="$WORK/home" D2DGS_VMARGS="-Xmx6g -Dd2dgs.tour.size=320x256 -Dd2dgs.tour.frames=24 ${TOUR_OPTS:-}" \
  "${run[@]}" "$P/diff2dgs-workbench" --tour "$WORK/tour" --tour-iterations "$ITER" --tour-compare \
  > "$WORK/workbench.log" 2>&1 || true
cat "$WORK/tour/tour.txt" 2>/dev/null || { tail -40 "$WORK/workbench.log" >&2; exit 1; }
grep -q '^RESULT PASS$' "$WORK/tour/tour.txt" || { echo "workbench-screenshots: the tour failed" >&2; exit 1; }
OUT="$ROOT/docs/images/workbench"
mkdir -p "$OUT"
cp "$WORK"/tour/screenshots/*.png "$OUT/"
sed "s#$WORK#<tmp>#g" "$WORK/tour/tour.txt" > "$OUT/tour.txt"
echo "workbench-screenshots: $(ls "$OUT"/*.png | wc -l) screenshots in docs/images/workbench/"

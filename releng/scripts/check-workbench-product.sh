#!/bin/bash
# Smoke test of the materialized workbench product as a user meets it: it starts under X (Xvfb when no display is
# set), and its tour opens every view, shows a bad folder's error dialog, trains the built-in synthetic scene for a
# few iterations with live progress, browses the clip, shows the result in 3D (colour, depth, normals, PNG and frame
# export), evaluates it, and closes. The tour's report and screenshots stay in <out-dir>.
#   releng/scripts/check-workbench-product.sh <product-dir> <out-dir>
# Without a display and without xvfb-run the check is skipped with a message, except under CI (CI set), where it fails.
set -euo pipefail
P=${1:?usage: check-workbench-product.sh <product-dir> <out-dir>}
OUT=${2:?usage: check-workbench-product.sh <product-dir> <out-dir>}
fail() { echo "check-workbench-product: $*" >&2; exit 1; }
[ -x "$P/diff2dgs-workbench" ] || fail "no launch script diff2dgs-workbench in $P"
for b in org.diff2dgs.ui_ org.diff2dgs.viewer_ org.lwjgl.opengl_ org.lwjgl.egl_; do
  compgen -G "$P/plugins/$b*" >/dev/null || fail "workbench product lacks bundle ${b%_}"
done
run=()
if [ -z "${DISPLAY:-}" ]; then
  if command -v xvfb-run >/dev/null 2>&1; then
    run=(xvfb-run -a -s "-screen 0 1280x800x24")
  elif [ -n "${CI:-}" ]; then
    fail "no X server: CI must provide Xvfb (.ci/run installs xvfb and xauth)"
  else
    echo "check-workbench-product: SKIPPED: no display and no xvfb-run (install xvfb and xauth to run the UI smoke test)" >&2
    exit 0
  fi
fi
rm -rf "$OUT"
mkdir -p "$OUT/home"
# a private HOME: the tour must not read or write the user's preferences
set +e
HOME="$OUT/home" timeout 900 "${run[@]}" "$P/diff2dgs-workbench" --tour "$OUT" --tour-iterations 30 \
  > "$OUT/workbench.log" 2>&1
code=$?
set -e
[ -f "$OUT/tour.txt" ] || { tail -40 "$OUT/workbench.log" >&2; fail "the tour wrote no report (exit $code)"; }
cat "$OUT/tour.txt"
grep -q '^RESULT PASS$' "$OUT/tour.txt" || { tail -40 "$OUT/workbench.log" >&2; fail "tour failed (see $OUT)"; }
for s in services error-dialog training-live training datasets inpainting viewer viewer-depth viewer-normal evaluation preferences; do
  [ -s "$OUT/screenshots/$s.png" ] || fail "missing screenshot $s.png"
done
echo "workbench product OK: every view opened, training ran with progress, 3D view shown ($OUT)"

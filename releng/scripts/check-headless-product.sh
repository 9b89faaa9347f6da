#!/bin/bash
# Checks the materialized headless product as a user meets it: it holds no UI bundles (no SWT, JFace or e4: it runs on
# servers), it holds the 3D viewer with LWJGL for offscreen snapshots, it starts and lists its services, bad input gives
# one line and exit code 1, and a snapshot where EGL is missing says so on one line with exit code 1.
#   releng/scripts/check-headless-product.sh <product-dir> [<extension-bundle.jar>]
set -euo pipefail
P=${1:?usage: check-headless-product.sh <product-dir>}
fail() { echo "check-headless-product: $*" >&2; exit 1; }
ui=$(ls "$P/plugins" | grep -E '^org\.eclipse\.(swt|jface|e4)' || true)
[ -z "$ui" ] || fail "headless product contains UI bundles: $ui"
# offscreen 3D snapshots (decision 0003): the viewer and LWJGL core, OpenGL and EGL with their Linux natives
for b in org.diff2dgs.viewer_ org.lwjgl_ org.lwjgl.natives.linux_ org.lwjgl.opengl_ org.lwjgl.opengl.natives.linux_ \
  org.lwjgl.egl_; do
  ls "$P/plugins" | grep -q "^$b" || fail "headless product lacks $b* (3D snapshots)"
done
out=$("$P/d2dgs" info --json) || fail "d2dgs info failed"
for svc in '"cpu"' '"cuda"' '"endonerf"' '"tissue"' '"gaussian-basis"' '"psnr"'; do
  echo "$out" | grep -q "$svc" || fail "d2dgs info does not list $svc"
done
snap=$(echo "$out" | grep -o '"snapshots3d": *"[^"]*"' || true)
[ -n "$snap" ] || fail "d2dgs info does not say whether 3D snapshots work"
# CI installs Mesa's EGL (.ci/run): there the offscreen path must work in the product as shipped
if [ -n "${CI:-}" ]; then
  echo "$snap" | grep -q '"available"' || fail "3D snapshots should work here (Mesa EGL installed): $snap"
fi
set +e
err=$("$P/d2dgs" validate "$P/no-such-dataset" 2>&1 >/dev/null); code=$?
set -e
[ $code -eq 1 ] || fail "a missing dataset should exit 1, got $code"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "a missing dataset should print one line, got: $err"
echo "$err" | grep -q "no-such-dataset" || fail "the error should name the path: $err"
# no EGL library: the snapshot command names it on one line and exits 1 (before the run folder is read)
set +e
err=$(D2DGS_VMARGS="-Dd2dgs.egl.library=libEGL-missing-check.so.1" "$P/d2dgs" snapshot "$P/no-such-run" --time 0 \
  --out "$P/no.png" 2>&1 >/dev/null); code=$?
set -e
[ $code -eq 1 ] || fail "a snapshot without EGL should exit 1, got $code: $err"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "a snapshot without EGL should print one line, got: $err"
echo "$err" | grep -q "libEGL-missing-check.so.1" || fail "the error should name the missing library: $err"
# without an NVIDIA driver, asking for the GPU is one clear line and exit 1 (not a crash, not JVM warnings)
if ! { ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; } && [ ! -e /usr/local/nvidia/lib64/libcuda.so.1 ]; then
  set +e
  gpu=$("$P/d2dgs" selftest --backend cuda 2>&1 >/dev/null); code=$?
  set -e
  [ $code -eq 1 ] || fail "selftest --backend cuda without a driver should exit 1, got $code"
  [ "$gpu" = "d2dgs: backend 'cuda' cannot run its kernel checks here: no NVIDIA driver found (libcuda.so.1)" ] \
    || fail "selftest --backend cuda without a driver: unexpected message: $gpu"
fi
# a lab's bundle dropped into an extensions folder is picked up through DS, without touching the product
EXT=${2:-}
if [ -n "$EXT" ]; then
  ext_dir=$(mktemp -d)
  cp "$EXT" "$ext_dir/"
  D2DGS_EXTENSIONS="$ext_dir" "$P/d2dgs" info --json | grep -q '"gradient-error"' \
    || fail "extension bundle $EXT in D2DGS_EXTENSIONS was not picked up"
  rm -rf "$ext_dir"
fi
echo "headless product OK: no UI bundles, viewer + LWJGL in, services listed, $snap, bad input -> exit 1 with: $err"

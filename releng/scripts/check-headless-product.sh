#!/bin/bash
# Checks the materialized headless product as a user meets it: it holds no UI bundles (it runs on servers), it starts
# and lists its services, and bad input gives one line and exit code 1.
#   releng/scripts/check-headless-product.sh <product-dir> [<extension-bundle.jar>]
set -euo pipefail
P=${1:?usage: check-headless-product.sh <product-dir>}
fail() { echo "check-headless-product: $*" >&2; exit 1; }
ui=$(ls "$P/plugins" | grep -E '^org\.eclipse\.(swt|jface|e4\.ui)|^org\.lwjgl' || true)
[ -z "$ui" ] || fail "headless product contains UI bundles: $ui"
out=$("$P/d2dgs" info --json) || fail "d2dgs info failed"
for svc in '"cpu"' '"endonerf"' '"tissue"' '"gaussian-basis"' '"psnr"'; do
  echo "$out" | grep -q "$svc" || fail "d2dgs info does not list $svc"
done
set +e
err=$("$P/d2dgs" validate "$P/no-such-dataset" 2>&1 >/dev/null); code=$?
set -e
[ $code -eq 1 ] || fail "a missing dataset should exit 1, got $code"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "a missing dataset should print one line, got: $err"
echo "$err" | grep -q "no-such-dataset" || fail "the error should name the path: $err"
# a lab's bundle dropped into an extensions folder is picked up through DS, without touching the product
EXT=${2:-}
if [ -n "$EXT" ]; then
  ext_dir=$(mktemp -d)
  cp "$EXT" "$ext_dir/"
  D2DGS_EXTENSIONS="$ext_dir" "$P/d2dgs" info --json | grep -q '"gradient-error"' \
    || fail "extension bundle $EXT in D2DGS_EXTENSIONS was not picked up"
  rm -rf "$ext_dir"
fi
echo "headless product OK: no UI bundles, services listed, bad input -> exit 1 with: $err"

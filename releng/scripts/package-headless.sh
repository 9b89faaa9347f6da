#!/bin/bash
# The self-contained headless archive: the materialized d2dgs product with a jlinked JRE inside, so a GPU server with
# no Java runs `d2dgs` right after unpacking (d2dgs prefers the jre/ beside it).
#   releng/scripts/package-headless.sh <product-dir> <out.tar.gz>
set -euo pipefail
PRODUCT=${1:?usage: package-headless.sh <product-dir> <out.tar.gz>}
OUT=${2:?usage: package-headless.sh <product-dir> <out.tar.gz>}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -a "$PRODUCT" "$WORK/d2dgs"
rm -rf "$WORK/d2dgs/configuration/org.eclipse.osgi" "$WORK/d2dgs/configuration/"*.log
bash "$HERE/build-jre.sh" "$WORK/d2dgs/jre" >/dev/null
mkdir -p "$(dirname "$OUT")"
tar -C "$WORK" -czf "$OUT.tmp" d2dgs
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(du -h "$OUT" | cut -f1))"

#!/bin/bash
# The self-contained workbench archive: the materialized workbench product (launch script diff2dgs-workbench, and the
# headless d2dgs beside it) with a jlinked JRE inside, for desktops without Java 21.
#   releng/scripts/package-workbench.sh <product-dir> <out.tar.gz>
set -euo pipefail
PRODUCT=${1:?usage: package-workbench.sh <product-dir> <out.tar.gz>}
OUT=${2:?usage: package-workbench.sh <product-dir> <out.tar.gz>}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -a "$PRODUCT" "$WORK/diff2dgs-workbench"
rm -rf "$WORK/diff2dgs-workbench/configuration/org.eclipse.osgi" "$WORK/diff2dgs-workbench/configuration/"*.log
# the headless archive's runtime plus the W3C CSS DOM that the e4 styling engine (batik-css) needs
JRE_EXTRA_MODULES=jdk.xml.dom bash "$HERE/build-jre.sh" "$WORK/diff2dgs-workbench/jre" >/dev/null
[ -x "$WORK/diff2dgs-workbench/diff2dgs-workbench" ] || { echo "package-workbench: no launch script in $PRODUCT" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
tar -C "$WORK" -czf "$OUT.tmp" diff2dgs-workbench
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(du -h "$OUT" | cut -f1))"

#!/bin/bash
# The self-contained headless archives: the materialized d2dgs product with a jlinked JRE inside, so a GPU server with
# no Java runs `d2dgs` right after unpacking (d2dgs prefers the jre/ beside it).
#   releng/scripts/package-headless.sh <product-dir> <out.tar.gz> [<gpu-server.tar.xz>]
# <out.tar.gz>: the whole product (every platform's natives inside the ONNX Runtime jar), gzip.
# <gpu-server.tar.xz>: the slim archive for Linux x86_64 GPU servers, small enough to travel with a working tree
#   (docs/benchmarks/build.md): only linux-x64 natives in the ONNX Runtime jar (JCuda's natives jar is linux-x86_64
#   only already and stays whole: the GPU backend needs libJCudaDriver), every jar re-stored without compression and
#   the JRE image uncompressed, so that xz compresses the raw bytes once instead of meeting deflated data. It is
#   unpacked and run (`d2dgs info`, JAVA_HOME unset) before it is written.
set -euo pipefail
PRODUCT=${1:?usage: package-headless.sh <product-dir> <out.tar.gz> [<gpu-server.tar.xz>]}
OUT=${2:?usage: package-headless.sh <product-dir> <out.tar.gz> [<gpu-server.tar.xz>]}
SLIM=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
JDK=${JAVA_HOME:?set JAVA_HOME to a JDK 21+}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -a "$PRODUCT" "$WORK/d2dgs"
rm -rf "$WORK/d2dgs/configuration/org.eclipse.osgi" "$WORK/d2dgs/configuration/"*.log
bash "$HERE/build-jre.sh" "$WORK/d2dgs/jre" >/dev/null
mkdir -p "$(dirname "$OUT")"
tar -C "$WORK" -czf "$OUT.tmp" d2dgs
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(du -h "$OUT" | cut -f1))"
[ -n "$SLIM" ] || exit 0

# Rewrites a jar with its entries stored (no compression), keeping only the entries that pass the filter; the
# manifest stays the first entry.
restore_jar() { # <jar> [<path prefix to drop>...]
  local jar=$1; shift
  local x="$WORK/x"
  rm -rf "$x" && mkdir -p "$x/content"
  unzip -q "$jar" -d "$x/content"
  for drop in "$@"; do rm -rf "${x:?}/content/${drop:?}"; done
  mv "$x/content/META-INF/MANIFEST.MF" "$x/MANIFEST.MF"
  rm -f "$jar"
  "$JDK/bin/jar" --create --file "$jar" --manifest "$x/MANIFEST.MF" --no-compress -C "$x/content" .
}
S="$WORK/d2dgs"
for jar in "$S"/plugins/*.jar; do
  case "$(basename "$jar")" in
    com.microsoft.onnxruntime_*.jar)
      # ONNX Runtime extracts the natives of the running platform from ai/onnxruntime/native/<os-arch>/
      restore_jar "$jar" ai/onnxruntime/native/linux-aarch64 ai/onnxruntime/native/osx-aarch64 \
        ai/onnxruntime/native/osx-x64 ai/onnxruntime/native/win-x64 ai/onnxruntime/native/win-aarch64 ;;
    *) restore_jar "$jar" ;;
  esac
done
left=$(unzip -Z1 "$S"/plugins/com.microsoft.onnxruntime_*.jar | grep '^ai/onnxruntime/native/[^/]*/$' | grep -v linux-x64 \
  || true)
[ -z "$left" ] || { echo "package-headless: other platforms' ONNX Runtime natives left: $left" >&2; exit 1; }
mkdir -p "$(dirname "$SLIM")"
tar -C "$WORK" -cf - d2dgs | xz -9 -T0 -c > "$SLIM.tmp"

# the archive as a GPU server meets it: unpacked anywhere, no Java installed but its own
check="$WORK/check"
mkdir -p "$check"
tar -C "$check" -xJf "$SLIM.tmp"
if ! info=$(env -u JAVA_HOME "$check/d2dgs/d2dgs" info --json); then
  echo "package-headless: 'd2dgs info' fails in the unpacked $SLIM" >&2
  exit 1
fi
for svc in '"cpu"' '"psnr"' '"lpips"'; do
  echo "$info" | grep -q "$svc" || { echo "package-headless: unpacked $SLIM does not list $svc" >&2; exit 1; }
done
mv "$SLIM.tmp" "$SLIM"
echo "wrote $SLIM ($(du -h "$SLIM" | cut -f1), $(stat -c %s "$SLIM") bytes; d2dgs info runs after unpacking)"

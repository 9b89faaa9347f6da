#!/bin/bash
# Builds the CUDA kernels of bundles/org.diff2dgs.cuda: every cuda/*.cu becomes fatbin/<stem>.fatbin (one module
# each), with the nvcc flags of cuda/nvcc-flags.txt; writes fatbin/modules.txt and fatbin/SOURCES.sha256 (the hash
# of every file in cuda/, flags file included, that tests/org.diff2dgs.cuda.tests checks against the sources).
#
#   releng/scripts/build-fatbin.sh                 # into bundles/org.diff2dgs.cuda/fatbin (commit the result)
#   releng/scripts/build-fatbin.sh --out DIR       # into DIR (the device check builds into a temp folder)
#   releng/scripts/build-fatbin.sh --hash          # print the sources hash only (no nvcc needed)
#   NVCC=/path/to/nvcc releng/scripts/build-fatbin.sh   # another nvcc (default: nvcc on PATH, else /usr/local/cuda)
#   VERBOSE=1 ...                                  # ptxas register and spill report per kernel
#
# The hash: for each regular file of cuda/ in byte order of its name: the name, a NUL byte, the content, a NUL byte;
# SHA-256 of all of it. Changing a flag changes cuda/nvcc-flags.txt and so the hash.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUNDLE="$ROOT/bundles/org.diff2dgs.cuda"
SRC="$BUNDLE/cuda"
OUTDIR="$BUNDLE/fatbin"
HASH_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUTDIR="$2"; shift 2 ;;
    --hash) HASH_ONLY=1; shift ;;
    *) echo "build-fatbin.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

sources_hash() {
  local f
  (cd "$SRC" && LC_ALL=C ls -1 | while IFS= read -r f; do
     [ -f "$f" ] || continue
     printf '%s\0' "$f"; cat -- "$f"; printf '\0'
   done) | sha256sum | cut -d' ' -f1
}

HASH=$(sources_hash)
if [ "$HASH_ONLY" = 1 ]; then echo "$HASH"; exit 0; fi

NVCC=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
[ -x "$NVCC" ] || { echo "build-fatbin.sh: no nvcc (set NVCC=...)" >&2; exit 1; }
NVCC_VERSION=$("$NVCC" --version | sed -n 's/.*release \([0-9.]*\), V\([0-9.]*\).*/\2/p')
case "$NVCC_VERSION" in
  13.0.*) ;;
  *) echo "build-fatbin.sh: nvcc $NVCC_VERSION found; the kernels are built with CUDA 13.0 (KernelBuild.CUDA_VERSION)" >&2; exit 1 ;;
esac
read -r -a FLAGS <<< "$(tr "\n" " " < "$SRC/nvcc-flags.txt")"
if [ "${VERBOSE:-0}" = 1 ]; then FLAGS+=(-Xptxas -v); fi

mkdir -p "$OUTDIR"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fatbin.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
stems=()
for cu in $(cd "$SRC" && LC_ALL=C ls -1 | grep '\.cu$'); do
  stem=${cu%.cu}
  echo "nvcc $cu -> $stem.fatbin"
  (cd "$SRC" && nice "$NVCC" -fatbin "${FLAGS[@]}" -o "$TMP/$stem.fatbin" "$cu")
  stems+=("$stem")
done
[ ${#stems[@]} -gt 0 ] || { echo "build-fatbin.sh: no .cu in $SRC" >&2; exit 1; }
printf '%s\n' "${stems[@]}" > "$TMP/modules.txt"
{
  echo "$HASH"
  echo "# SHA-256 of bundles/org.diff2dgs.cuda/cuda/ (releng/scripts/build-fatbin.sh --hash), flags in cuda/nvcc-flags.txt"
  echo "nvcc $NVCC_VERSION"
} > "$TMP/SOURCES.sha256"
# replace the old modules only once every new one is built: a failed build leaves the previous fatbin intact
rm -f "$OUTDIR"/*.fatbin
mv "$TMP"/*.fatbin "$TMP/modules.txt" "$TMP/SOURCES.sha256" "$OUTDIR/"
echo "built ${#stems[@]} module(s) into $OUTDIR, sources $HASH"

#!/bin/bash
# The one device call of the GPU path (issue 10): builds the kernels with the machine's nvcc, checks them against
# their Java twins and the golden 2DGS scene, benchmarks, and prints one summary table. Run from the repository root
# on the GPU machine, with the slim product archive carried in the git-ignored folder device/:
#
#   releng/org.diff2dgs.product/target/products/d2dgs-linux-x86_64-gpu-server.tar.xz  ->  device/
#   bash releng/scripts/gpu-check.sh [--quick]
#
# --quick: bench at 100k surfels only, 5 repeats, no training rows, no pipeline run (for a short call). The full
# bench trains the published schedule on the built-in full-size scene once (the training rows, then the capacity
# row), and `d2dgs run` on the same scene reports where the train stage's time goes.
# Everything goes under $OUT (default: ./gpu-check-out): the logs of every step, the fresh fatbin (fatbin/),
# bench.json and summary.txt. The freshly built fatbin is what the product runs (-Dd2dgs.cuda.fatbinDir through
# D2DGS_VMARGS), so new kernels are checked without repacking the product. Exit 0 when every step passed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-$ROOT/gpu-check-out}"
mkdir -p "$OUT"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
exec > >(tee "$OUT/gpu-check.log") 2>&1
GOLDEN=tests/org.diff2dgs.splat.tests/data/2dgs-golden/golden-2dgs-seed11.json
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

declare -a STEP STATUS DETAIL
record() { STEP+=("$1"); STATUS+=("$2"); DETAIL+=("$3"); echo "== $1: $2 $3"; }

# The driver's libcuda.so.1: never the CUDA forward-compatibility copy (cuInit then fails with
# CUDA_ERROR_SYSTEM_DRIVER_MISMATCH on this machine); some containers mount the driver under /usr/local/nvidia.
LD_LIBRARY_PATH=$(printf '%s' "${LD_LIBRARY_PATH:-}" | tr ':' '\n' | grep -v '/cuda[^/]*/compat' | paste -sd: -)
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -e "$d/libcuda.so.1" ] && LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
export LD_LIBRARY_PATH
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  revision: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/nvidia-smi.txt"
  record "gpu" "ok" "$(head -1 "$OUT/nvidia-smi.txt")"
else
  record "gpu" "FAIL" "no nvidia-smi"
fi

# 1. the product
ARCHIVE=$(ls device/d2dgs-linux-x86_64-gpu-server.tar.xz device/*.tar.xz 2>/dev/null | head -1)
if [ -z "$ARCHIVE" ]; then
  record "product" "FAIL" "no device/*.tar.xz (releng/scripts/package-headless.sh writes it)"
else
  tar -C "$WORK" -xJf "$ARCHIVE" && [ -x "$WORK/d2dgs/d2dgs" ] && record "product" "ok" "$ARCHIVE" \
    || record "product" "FAIL" "could not unpack $ARCHIVE"
fi
D2DGS="$WORK/d2dgs/d2dgs"

# 2. the kernels, built here; the sources hash must match the committed one
VMARGS="-Xmx16g"
NVCC=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
if [ -x "$NVCC" ]; then
  if NVCC="$NVCC" bash releng/scripts/build-fatbin.sh --out "$OUT/fatbin" > "$OUT/build-fatbin.log" 2>&1; then
    fresh=$(head -1 "$OUT/fatbin/SOURCES.sha256")
    committed=$(head -1 bundles/org.diff2dgs.cuda/fatbin/SOURCES.sha256)
    same="identical to the committed fatbin"
    for f in "$OUT"/fatbin/*.fatbin; do
      cmp -s "$f" "bundles/org.diff2dgs.cuda/fatbin/$(basename "$f")" || same="differs from the committed fatbin"
    done
    if [ "$fresh" = "$committed" ]; then
      record "fatbin" "ok" "$(sed -n 's/^nvcc //p' "$OUT/fatbin/SOURCES.sha256"), sources ${fresh:0:12}, $same"
    else
      record "fatbin" "FAIL" "sources ${fresh:0:12} but committed SOURCES.sha256 says ${committed:0:12}: run build-fatbin.sh and commit"
    fi
    VMARGS="$VMARGS -Dd2dgs.cuda.fatbinDir=$OUT/fatbin"
  else
    record "fatbin" "FAIL" "nvcc failed (build-fatbin.log); the product's own fatbin is used"
  fi
else
  record "fatbin" "skipped" "no nvcc here; the product's own fatbin is used"
fi
export D2DGS_VMARGS="${D2DGS_VMARGS:-$VMARGS}"
echo "D2DGS_VMARGS=$D2DGS_VMARGS"

run_step() { # <name> <log> <pattern of the line to show in the summary, or ''> <command...>
  local name=$1 log=$2 pattern=$3; shift 3
  local t0=$SECONDS
  "$@" > "$OUT/$log" 2>&1
  local rc=$?
  cat "$OUT/$log"
  local last
  if [ -n "$pattern" ] && grep -qE "$pattern" "$OUT/$log"; then
    last=$(grep -E "$pattern" "$OUT/$log" | head -1 | sed 's/^ *//' | cut -c1-110)
  else
    last=$(grep -v '^\s*$' "$OUT/$log" | tail -1 | cut -c1-110)
  fi
  if [ $rc -eq 0 ]; then record "$name" "ok" "$((SECONDS - t0)) s; $last"; else record "$name" "FAIL" "exit $rc; $last"; fi
}

if [ -x "$D2DGS" ]; then
  # 3. what the product sees
  run_step "info" "info.txt" "^  cuda " "$D2DGS" info
  # 4. every kernel against its Java twin, and the rasterizer against the original 2DGS (golden scene)
  run_step "selftest" "selftest.txt" "" "$D2DGS" selftest --backend cuda --golden "$GOLDEN"
  # 5. timings
  if [ "$QUICK" = 1 ]; then
    run_step "bench" "bench.txt" "^d2dgs bench:" "$D2DGS" bench --backend cuda --surfels 100000 --repeats 5 --no-training \
      --json-out "$OUT/bench.json"
  else
    run_step "bench" "bench.txt" "^d2dgs bench:" "$D2DGS" bench --backend cuda --json-out "$OUT/bench.json"
  fi
  # 6. the pipeline on the built-in full-size scene: the train stage against the issue's 10 s, where its time goes
  #    outside the loop (run.json secondsOutsideTheLoop) and per iteration (device stages, host time, scalar wait)
  if [ "$QUICK" = 0 ]; then
    run_step "run" "run.txt" "^training|^render " "$D2DGS" run --out "$WORK/run" --backend cuda --no-snapshots
    if [ -f "$WORK/run/run.json" ]; then
      cp "$WORK/run/run.json" "$OUT/run.json"
      python3 - "$OUT/run.json" <<'PY' | tee "$OUT/train-stage.txt"
import json, sys
t = json.load(open(sys.argv[1]))['stages']['train']
d = t['detail']
print('train stage %.2f s, training loop %.2f s' % (t['seconds'], d['trainingSeconds']))
print('outside the loop (s):', ', '.join('%s %.3f' % kv for kv in d.get('secondsOutsideTheLoop', {}).items()))
print('per iteration (ms):', ', '.join('%s %.3f' % (k, 1e3 * v) for k, v in d.get('secondsPerIterationByStage', {}).items()))
PY
    fi
  fi
fi

{
  echo
  echo "gpu-check summary ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(head -1 "$OUT/nvidia-smi.txt" 2>/dev/null || echo 'no GPU'))"
  printf '%-9s %-8s %s\n' "step" "status" "detail"
  for i in "${!STEP[@]}"; do printf '%-9s %-8s %s\n' "${STEP[$i]}" "${STATUS[$i]}" "${DETAIL[$i]}"; done
  if [ -f "$OUT/selftest.txt" ]; then echo; echo "kernel checks:"; grep -E 'PASS|FAIL|not checked' "$OUT/selftest.txt"; fi
  if [ -f "$OUT/bench.txt" ]; then echo; echo "bench:"; grep -v '^d2dgs bench:' "$OUT/bench.txt" | grep -E '^(section|kernels|rasterizer|training|memory)'; fi
  if [ -f "$OUT/train-stage.txt" ]; then echo; echo "d2dgs run, train stage:"; cat "$OUT/train-stage.txt"; fi
} | tee "$OUT/summary.txt"
for s in "${STATUS[@]}"; do [ "$s" = "FAIL" ] && exit 1; done
exit 0

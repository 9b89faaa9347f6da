#!/bin/bash
# CPU training benchmark (docs/benchmarks/cpu.md): the built-in synthetic scene, trained and evaluated on the CPU
# backend, then one table: time per iteration by stage, total time, test PSNR (masked-mean and the published protocol)
# and the occluded-region PSNR against the ground truth.
#   releng/benchmarks/cpu-training.sh <run-folder> [d2dgs run options...]
# e.g. releng/benchmarks/cpu-training.sh runs/bench-cpu --size 320x256 --preset published
set -euo pipefail
OUT=${1:?usage: cpu-training.sh <run-folder> [d2dgs run options...]}
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
start=$(date +%s)
"$ROOT/releng/scripts/d2dgs" run --out "$OUT" --backend cpu "$@" >/dev/null
end=$(date +%s)
python3 - "$OUT" "$((end - start))" <<'PY'
import json, sys
run, wall = sys.argv[1], int(sys.argv[2])
state = json.load(open(f"{run}/run.json"))
metrics = json.load(open(f"{run}/metrics.json"))
train = state["stages"]["train"]["detail"]
per = train["secondsPerIterationByStage"]
print(f"| scene | {state['stages']['prepare']['detail'].get('synthesized', {})} |")
print(f"| device | {state['environment'].get('device')} |")
print(f"| revision | {state['environment'].get('revision')} |")
print("| stage | ms per iteration |\n| --- | ---: |")
for k, v in per.items():
    print(f"| {k} | {1000 * v:.1f} |")
print(f"| total | {1000 * sum(per.values()):.1f} |")
print(f"\n| iterations | {train['iterations']} |\n| surfels | {train['surfels']} |")
print(f"| training time | {train['trainingSeconds']:.0f} s |")
print(f"| whole run (synthesis, training, renders, evaluation) | {wall} s |")
for ev in metrics["evaluations"]:
    for r in ev["results"]:
        if r["metric"] in ("psnr", "ssim"):
            print(f"| {ev['protocol']} {r['metric']} | {r['mean']:.3f} |")
print(f"| render FPS | {metrics['speed']['renderFps']:.1f} |")
PY

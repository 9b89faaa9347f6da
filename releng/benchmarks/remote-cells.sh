#!/bin/bash
# Runs the cells of a batch experiment in parallel on a many-core machine that has no Java (e.g. a GPU server used
# for its CPUs), from the slim headless archive, until a deadline; then packs each finished cell's small files
# (everything but checkpoints and renders) so that `d2dgs batch <experiment> --merge` at home builds the report.
#
#   releng/benchmarks/remote-cells.sh <archive.tar.xz> <experiment.yaml> <parallel> <seconds> <pack.tar.gz> [<cell>...]
#
# Cells are ids or names as `d2dgs batch --dry-run` lists them (default: every pending cell, longest first). Each
# cell gets one core (-XX:ActiveProcessorCount=1: the CPU backend is bit-identical for any thread count). Cells not
# finished by the deadline are stopped and left out of the pack; run them again in a later call.
set -euo pipefail
ARCHIVE=${1:?archive}; EXPERIMENT=${2:?experiment}; PARALLEL=${3:?parallel}; SECONDS_LEFT=${4:?seconds}
PACK=${5:?pack}; shift 5
work=$(mktemp -d)
tar -xJf "$ARCHIVE" -C "$work"
D2DGS=$(find "$work" -maxdepth 2 -name d2dgs -type f | head -1)
export D2DGS_VMARGS="${D2DGS_VMARGS:--Xmx6g -XX:ActiveProcessorCount=1}"
unset JAVA_HOME
"$D2DGS" info | head -3

listing=$("$D2DGS" batch "$EXPERIMENT" --dry-run)
out=$(printf '%s\n' "$listing" | sed -n "s/.*output \(.*\)$/\1/p" | head -1)
if [ $# -gt 0 ]; then
  cells=("$@")
else
  # pending cells, the ones with most iterations first, so the long ones do not start last
  mapfile -t cells < <(printf '%s\n' "$listing" | awk '$2 == "pending" {print $4, $3}' | sort -k1,1nr -s | cut -d' ' -f2)
fi
echo "remote-cells: ${#cells[@]} cells, $PARALLEL at a time, $SECONDS_LEFT s, output $out"
mkdir -p "$work/logs"
start=$(date +%s)
run_cell() {
  local cell=$1 name
  name=$(printf '%s' "$cell" | tr '/' '_')
  local now longest t0
  now=$(( $(date +%s) - start ))
  # start a cell only if it can end before the deadline: the longest finished cell so far is the estimate
  longest=$(sort -n "$work/durations" 2>/dev/null | tail -1)
  local late=""
  if [ -z "$longest" ]; then
    [ "$now" -lt $(( SECONDS_LEFT / 10 )) ] || late=yes
  else
    [ $(( now + longest * 11 / 10 )) -lt "$SECONDS_LEFT" ] || late=yes
  fi
  if [ -n "$late" ]; then
    echo "skip $cell (would not end before the deadline)"; return 0
  fi
  t0=$(date +%s)
  if timeout -s INT -k 20 $(( SECONDS_LEFT - now )) \
       "$D2DGS" batch "$EXPERIMENT" --cell "$cell" >"$work/logs/$name.log" 2>&1; then
    echo $(( $(date +%s) - t0 )) >> "$work/durations"
    echo "done $cell in $(( $(date +%s) - t0 )) s (at $(( $(date +%s) - start )) s)"
  else
    echo "FAILED $cell (exit $?): $(tail -2 "$work/logs/$name.log" | tr '\n' ' ')"
  fi
}
export -f run_cell; export start SECONDS_LEFT D2DGS EXPERIMENT work
printf '%s\n' "${cells[@]}" | xargs -P "$PARALLEL" -I{} bash -c 'run_cell "$@"' _ {}

# finished cells only, without checkpoints and renders
( cd "$out" && find cells -name cell.json -newermt "@$start" -printf '%h\n' && ls scenes/*.scene.json ) > "$work/finished"
echo "remote-cells: $(wc -l <"$work/finished") cells finished in $(( $(date +%s) - start )) s"
tar -C "$out" -czf "$PACK" --exclude='checkpoints' --exclude='renders' --exclude='*.npy' --exclude='*.mp4' \
    -T "$work/finished" -C "$work" logs

#!/bin/bash
# Coverage-guided fuzzing of every parser a user's file reaches, with Jazzer (docs/decisions/0004-fuzzing-jazzer.md).
#
#   releng/scripts/fuzz.sh list                      the targets
#   releng/scripts/fuzz.sh <target|all> <seconds>    fuzz each target for <seconds>, one after the other
#   releng/scripts/fuzz.sh minimize <target|all>     shrink a target's corpus to inputs that each reach a new edge
#                                                    (libFuzzer merge, hit counts ignored: a small committed corpus);
#                                                    the named seed files (valid files) always stay
#   releng/scripts/fuzz.sh replay <target|all>       run every kept input once (what FuzzCorpusTest does in OSGi)
#
# Needs the compiled bundles and test bundles: run `./mvnw -B -o verify` (or package) first. The classpath is the
# target/classes folders plus the third-party jars and Jazzer (com.code-intelligence:jazzer and jazzer-api, fetched
# with `mvn dependency:get` when missing) from the local Maven repository; no OSGi.
#
# The corpus of each target lives in tests/<bundle>/fuzz/<Target>/corpus (new inputs that reach new code are added
# there; minimize before committing), crash inputs in tests/<bundle>/fuzz/<Target>/crashes. Both are replayed by the
# bundle's FuzzCorpusTest in `./mvnw verify`. Logs go to target/fuzz/<Target>.log; the summary line per target gives
# executions, exec/s and coverage as Jazzer (libFuzzer) reports it: cov = edges, ft = features.
#
# Environment: JAZZER_VERSION (0.30.0), FUZZ_HEAP (-Xmx1g: a tiny input that makes a parser allocate more is a
# finding), FUZZ_TIMEOUT (10 s per input: a slower input is a hang), FUZZ_NICE (15), FUZZ_KEEP_GOING (20: go on
# after a finding until this many distinct ones, so one run reports every bug it meets).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
M2=${M2_REPO:-$HOME/.m2/repository}
JAZZER_VERSION=${JAZZER_VERSION:-0.30.0}
FUZZ_HEAP=${FUZZ_HEAP:--Xmx1g}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_NICE=${FUZZ_NICE:-15}
FUZZ_KEEP_GOING=${FUZZ_KEEP_GOING:-20}

# target  test bundle  class  bundles it needs (besides core)  max input length
TARGETS="
NpyFuzz            org.diff2dgs.core.tests             org.diff2dgs.core.tests.fuzz.NpyFuzz                           -                                4096
PngColorFuzz       org.diff2dgs.core.tests             org.diff2dgs.core.tests.fuzz.PngColorFuzz                      -                                4096
PngGrayFuzz        org.diff2dgs.core.tests             org.diff2dgs.core.tests.fuzz.PngGrayFuzz                       -                                4096
PosesBoundsFuzz    org.diff2dgs.dataset.endonerf.tests org.diff2dgs.dataset.endonerf.tests.fuzz.PosesBoundsFuzz      org.diff2dgs.dataset.endonerf    4096
IntrinsicsJsonFuzz org.diff2dgs.dataset.endonerf.tests org.diff2dgs.dataset.endonerf.tests.fuzz.IntrinsicsJsonFuzz   org.diff2dgs.dataset.endonerf    1024
SceneJsonFuzz      org.diff2dgs.dataset.endonerf.tests org.diff2dgs.dataset.endonerf.tests.fuzz.SceneJsonFuzz        org.diff2dgs.dataset.endonerf    1024
PlyFuzz            org.diff2dgs.train.tests            org.diff2dgs.train.tests.fuzz.PlyFuzz                          org.diff2dgs.train               4096
ExperimentYamlFuzz org.diff2dgs.batch.tests            org.diff2dgs.batch.tests.fuzz.ExperimentYamlFuzz               org.diff2dgs.batch,org.diff2dgs.train,org.diff2dgs.pipeline,org.diff2dgs.metrics  4096
ExperimentJsonFuzz org.diff2dgs.batch.tests            org.diff2dgs.batch.tests.fuzz.ExperimentJsonFuzz               org.diff2dgs.batch,org.diff2dgs.train,org.diff2dgs.pipeline,org.diff2dgs.metrics  4096
"

jar() { # group artifact version: path in the local repository, fetched when missing
  local p="$M2/${1//.//}/$2/$3/$2-$3.jar"
  if [ ! -f "$p" ]; then
    # from outside the tree: the system Maven must not load this project's .mvn/ (the Tycho extension)
    (cd "${TMPDIR:-/tmp}" && mvn -q dependency:get -Dartifact="$1:$2:$3" -Dtransitive=false >&2)
  fi
  echo "$p"
}

libs() {
  local cp=""
  for a in com.google.code.gson:gson:2.13.1 org.yaml:snakeyaml:2.7 org.osgi:org.osgi.framework:1.8.0 \
      org.osgi:org.osgi.service.component.annotations:1.5.1 org.osgi:org.osgi.service.component:1.5.1 \
      org.junit.platform:junit-platform-console-standalone:1.13.4 \
      com.code-intelligence:jazzer:$JAZZER_VERSION com.code-intelligence:jazzer-api:$JAZZER_VERSION; do
    IFS=: read -r g n v <<<"$a"
    cp="$cp:$(jar "$g" "$n" "$v")"
  done
  echo "${cp#:}"
}

field() { # target column
  awk -v t="$1" -v c="$2" '$1 == t { print $c }' <<<"$TARGETS"
}

targets() {
  if [ "$1" = all ]; then awk 'NF { print $1 }' <<<"$TARGETS"; else
    [ -n "$(field "$1" 1)" ] || { echo "unknown target '$1' (see: $0 list)" >&2; exit 2; }
    echo "$1"
  fi
}

classpath() { # target
  local bundle needs cp
  bundle=$(field "$1" 2)
  needs=$(field "$1" 4)
  cp="tests/$bundle/target/classes:bundles/org.diff2dgs.core/target/classes"
  if [ "$needs" != - ]; then
    for b in ${needs//,/ }; do cp="$cp:bundles/$b/target/classes"; done
  fi
  for d in ${cp//:/ }; do
    [ -d "$d" ] || { echo "$d is missing: build first (./mvnw -B -o verify)" >&2; exit 2; }
  done
  echo "$cp:$(libs)"
}

scratch() { # a RAM disk for the per-input scratch files when there is one
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo /dev/shm; else echo "${TMPDIR:-/tmp}"; fi
}

summary() { # target log
  local done_line stats
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$2" | tail -1 || true)
  stats=$(grep -a -E '^#[0-9]+' "$2" | grep -a -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' | tail -1 || true)
  local runs secs
  runs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1/' <<<"$done_line")
  secs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\2/' <<<"$done_line")
  local findings
  findings=$(grep -a -c '^== Java Exception' "$2" || true)
  if [ -n "$done_line" ]; then
    printf '%-19s executions %10s  in %5s s  exec/s %7s  %s  findings %s\n' "$1" "$runs" "$secs" \
      "$(( runs / (secs > 0 ? secs : 1) ))" "$stats" "$findings"
  else
    printf '%-19s stopped early (finding or error), see %s; last: %s\n' "$1" "$2" "$stats"
  fi
}

fuzz() { # target seconds
  local t=$1 bundle cls maxlen cp dir log
  bundle=$(field "$t" 2); cls=$(field "$t" 3); maxlen=$(field "$t" 5)
  cp=$(classpath "$t")
  dir="tests/$bundle/fuzz/$t"
  mkdir -p "$dir/corpus" "$dir/crashes" target/fuzz/reproducers
  log="target/fuzz/$t.log"
  # -rss_limit_mb guards the native side; the Java heap limit catches allocations driven by a claimed size
  nice -n "$FUZZ_NICE" "$JAVA_HOME/bin/java" $FUZZ_HEAP -XX:+UseSerialGC -XX:-OmitStackTraceInFastThrow -Djava.awt.headless=true \
    -Djava.io.tmpdir="$(scratch)" -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class="$cls" --instrumentation_includes='org.diff2dgs.**:com.google.gson.**:org.yaml.snakeyaml.**' \
    --reproducer_path=target/fuzz/reproducers --keep_going="$FUZZ_KEEP_GOING" \
    -max_total_time="$2" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb=4096 -max_len="$maxlen" -print_final_stats=1 \
    -artifact_prefix="$dir/crashes/" "$dir/corpus" >"$log" 2>&1 || true
  summary "$t" "$log"
}

minimize() { # target
  local t=$1 bundle cls cp dir
  bundle=$(field "$t" 2); cls=$(field "$t" 3)
  cp=$(classpath "$t")
  dir="tests/$bundle/fuzz/$t"
  rm -rf "target/fuzz/min-$t"; mkdir -p "target/fuzz/min-$t"
  nice -n "$FUZZ_NICE" "$JAVA_HOME/bin/java" $FUZZ_HEAP -XX:+UseSerialGC -XX:-OmitStackTraceInFastThrow -Djava.awt.headless=true \
    -Djava.io.tmpdir="$(scratch)" -cp "$cp" com.code_intelligence.jazzer.Jazzer --target_class="$cls" \
    --instrumentation_includes='org.diff2dgs.**:com.google.gson.**:org.yaml.snakeyaml.**' \
    -merge=1 -use_counters=0 -timeout="$FUZZ_TIMEOUT" "target/fuzz/min-$t" "$dir/corpus" >"target/fuzz/min-$t.log" 2>&1
  local before after
  before=$(ls "$dir/corpus" | wc -l)
  # the fuzzer names its inputs by their SHA-1; other names are the hand-made valid seeds, which stay
  find "$dir/corpus" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
  cp -n "target/fuzz/min-$t"/* "$dir/corpus/"
  after=$(ls "$dir/corpus" | wc -l)
  printf '%-19s corpus %5s -> %5s files, %s bytes\n' "$t" "$before" "$after" "$(cat "$dir/corpus"/* | wc -c)"
}

replay() { # target: every corpus and crash input once, through the same JUnit test as the OSGi build
  local t=$1 bundle cp
  bundle=$(field "$t" 2)
  cp=$(classpath "$t")
  (cd "tests/$bundle" && "$JAVA_HOME/bin/java" -Xmx1g -Djava.awt.headless=true -cp "$(sed -E \
    "s#(^|:)(tests|bundles)/#\1../../\2/#g" <<<"$cp")" org.junit.platform.console.ConsoleLauncher execute \
    --disable-banner --details=summary --select-class="${bundle%.tests}.tests.fuzz.FuzzCorpusTest")
}

case "${1:-}" in
  list) awk 'NF { printf "%-19s %s\n", $1, $3 }' <<<"$TARGETS" ;;
  minimize) for t in $(targets "${2:?target or all}"); do minimize "$t"; done ;;
  replay) for t in $(targets "${2:?target or all}"); do replay "$t"; done ;;
  "") sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  *) for t in $(targets "$1"); do fuzz "$t" "${2:?seconds per target}"; done ;;
esac

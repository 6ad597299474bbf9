#!/usr/bin/env bash
# The instructions that watching a lookup adds, counted by Valgrind's callgrind over the measured
# lookups of dev.cachescope.benchmarks.InstructionCount only (see its javadoc). Unlike JMH's
# nanoseconds, the counts barely move on a noisy machine; they are not time (an atomic or a cache
# miss costs more than its one instruction), so read them beside OverheadBenchmark.
#
#   cachescope-benchmarks/instruction-count.sh [VARIANT...]
#
# Needs valgrind and the built jar (mvn -pl cachescope-benchmarks -am package -DskipTests).
# Runs each variant RUNS times (3) and prints the run with the fewest instructions on the calling
# thread: its instructions per lookup there, and on all threads (the publisher's periodic work and
# the JIT compilers included, which Valgrind's slowdown inflates), then the most any run took on
# the calling thread (a run that met a deoptimisation spent part of its lookups in the
# interpreter). WARMUP, LOOKUPS (whole thousands) and RUNS may be set in the environment. A JVM
# that crashes under Valgrind (it happens, rarely) is run again, up to three times a variant.
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
WARMUP=${WARMUP:-2000000}
LOOKUPS=${LOOKUPS:-1000000}
RUNS=${RUNS:-3}
if ! command -v valgrind > /dev/null || ! command -v callgrind_control > /dev/null; then
  echo "instruction-count.sh: valgrind is not installed; try: sudo apt-get install valgrind" >&2
  exit 2
fi
if [ ! -f "$JAR" ]; then
  echo "instruction-count.sh: $JAR is missing; build it: mvn -pl cachescope-benchmarks -am package -DskipTests" >&2
  exit 2
fi
VARIANTS="bare stats disabled nosizing sizing"
[ $# -gt 0 ] || set -- $VARIANTS
for variant in "$@"; do
  if [[ " $VARIANTS " != *" $variant "* ]]; then
    echo "instruction-count.sh: unknown variant '$variant'; expected some of: $VARIANTS" >&2
    exit 2
  fi
done

# signal PID FILE REPLY SWITCH: waits for the JVM to write FILE, turns callgrind's counting to
# SWITCH (on or off), writes REPLY; fails if the JVM ended first.
signal() {
  local pid=$1 file=$2 reply=$3 switch=$4
  while [ ! -f "$file" ]; do
    kill -0 "$pid" 2> /dev/null || return 1
    sleep 0.05
  done
  callgrind_control --instr="$switch" "$pid" > /dev/null 2>&1 || return 1
  touch "$reply"
}

# count VARIANT DIR: runs one JVM under callgrind; fails if it did not get to the end.
count() {
  local variant=$1 dir=$2 pid
  valgrind --tool=callgrind --instr-atstart=no --smc-check=all --separate-threads=yes \
    --callgrind-out-file="$dir/callgrind.out" \
    java -Xmx512m -XX:ErrorFile="$dir/hs_err_%p.log" -XX:CompileCommand=quiet \
    -XX:CompileCommand=dontinline,dev.cachescope.benchmarks.InstructionCount::lookup \
    -cp "$JAR" dev.cachescope.benchmarks.InstructionCount "$variant" "$dir" "$WARMUP" "$LOOKUPS" \
    > "$dir/log" 2>&1 &
  pid=$!
  if ! signal "$pid" "$dir/warm" "$dir/go" on || ! signal "$pid" "$dir/done" "$dir/stop" off; then
    kill "$pid" 2> /dev/null
    return 1
  fi
  wait "$pid"
}

printf '%-10s %14s %14s %14s\n' variant 'caller Ir/op' 'all Ir/op' 'caller, max'
for variant in "$@"; do
  results=()
  failures=0
  while [ ${#results[@]} -lt "$RUNS" ]; do
    dir=$(mktemp -d)
    if count "$variant" "$dir"; then
      # One output file per thread; the calling thread executed the most.
      results+=("$(awk -v n="$LOOKUPS" '/^totals:/ { all += $2; if ($2 > top) top = $2 }
        END { printf "%.1f %.1f\n", top / n, all / n }' "$dir"/callgrind.out-*)")
      rm -rf "$dir"
    else
      failures=$((failures + 1))
      echo "instruction-count.sh: $variant failed (failure $failures); its log: $dir/log" >&2
      [ "$failures" -lt 3 ] || exit 1
    fi
  done
  # The fewest instructions of the runs: a run that met a deoptimisation ran part of its lookups
  # in the interpreter, which only adds; the largest shows whether one did.
  printf '%s\n' "${results[@]}" | sort -n | awk -v v="$variant" '
    NR == 1 { caller = $1; all = $2 } { max = $1 }
    END { printf "%-10s %14.1f %14.1f %14.1f\n", v, caller, all, max }'
done

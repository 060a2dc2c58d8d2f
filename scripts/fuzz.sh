#!/usr/bin/env bash
# Builds the fuzz targets with clang, libFuzzer, ASan and UBSan, then runs each for a while.
#
# Usage: scripts/fuzz.sh [target...]
#   targets default to every fuzz_* registered in fuzz/CMakeLists.txt among
#   fuzz_decode fuzz_encode fuzz_frame fuzz_properties fuzz_topic_match fuzz_topic_index
# Environment:
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_JOBS       targets run at once (default 2: CI runners have 2 cores)
#   FUZZ_BUILD_DIR  build directory (default build-fuzz in the repository, git-ignored)
#   CXX             the clang++ to use (default clang++)
#
# Each target starts from its seed corpus fuzz/corpus/<target> (read only) and keeps what it
# finds in fuzz/corpus-work/<target> (git-ignored), with fuzz/<target>.dict if present, else
# fuzz/mqtt.dict. Exits non-zero if any target crashed, leaked, timed out or failed an oracle,
# printing the crash file's path; reproduce with `<build>/fuzz/<target> <crash file>`, and add
# the minimised input to the seed corpus as fuzz/corpus/<target>/regress-<what>.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
build=${FUZZ_BUILD_DIR:-$repo/build-fuzz}
cxx=${CXX:-clang++}

all_targets=(fuzz_decode fuzz_encode fuzz_frame fuzz_properties fuzz_topic_match fuzz_topic_index)
targets=()
if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  for t in "${all_targets[@]}"; do
    if grep -q "^mqttcodec_add_fuzz(${t})" "$repo/fuzz/CMakeLists.txt"; then
      targets+=("$t")
    else
      echo "note: $t is not registered in fuzz/CMakeLists.txt, skipped"
    fi
  done
fi
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "no fuzz targets to run" >&2
  exit 1
fi

# Line tables are all a crash report's stack trace needs; full debug information takes a tenth
# longer to build.
generator=()
if command -v ninja > /dev/null; then generator=(-G Ninja); fi
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$repo" -B "$build" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" \
    -DCMAKE_CXX_COMPILER="$cxx" \
    -DMQTTCODEC_FUZZ_ENGINE=libfuzzer \
    -DMQTTCODEC_BUILD_FUZZ=ON \
    -DMQTTCODEC_BUILD_TESTS=OFF \
    -DMQTTCODEC_BUILD_BENCH=OFF \
    -DMQTTCODEC_BUILD_EXAMPLES=OFF \
    -DMQTTCODEC_INSTALL=OFF
fi
cmake --build "$build" --target "${targets[@]}"

logs=$build/fuzz-logs
mkdir -p "$logs"

run_one() {
  local t=$1
  local seeds=$repo/fuzz/corpus/$t
  local work=$repo/fuzz/corpus-work/$t
  local artifacts=$build/fuzz-artifacts/$t
  local dict=$repo/fuzz/$t.dict
  [[ -f $dict ]] || dict=$repo/fuzz/mqtt.dict
  mkdir -p "$seeds" "$work" "$artifacts"
  local rc=0
  # The outer timeout only guards against a hung process; libFuzzer stops itself.
  timeout $((seconds + 300)) "$build/fuzz/$t" "$work" "$seeds" \
    -max_total_time="$seconds" -max_len=4096 -timeout=5 -dict="$dict" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 > "$logs/$t.log" 2>&1 || rc=$?
  echo "$rc" > "$logs/$t.rc"
  echo "finished $t (exit $rc)"
}

echo "fuzzing ${targets[*]} for ${seconds}s each, ${jobs} at a time; logs in $logs"
running=0
for t in "${targets[@]}"; do
  rm -f "$logs/$t.rc"
  if [[ $running -ge $jobs ]]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait

failed=0
echo
for t in "${targets[@]}"; do
  rc=$(cat "$logs/$t.rc" 2> /dev/null || echo missing)
  summary=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$logs/$t.log" | tail -n 1 || true)
  if [[ $rc == 0 ]]; then
    echo "ok    $t: ${summary:-no summary}"
    continue
  fi
  failed=1
  echo "FAIL  $t (exit $rc), log $logs/$t.log"
  crash=$(grep -oE 'Test unit written to [^ ]+' "$logs/$t.log" | tail -n 1 | sed 's/^Test unit written to //' || true)
  if [[ -n $crash ]]; then
    echo "      crash file: $crash"
    echo "      reproduce:  $build/fuzz/$t $crash"
  fi
  grep -E 'oracle failed|ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error|SUMMARY' \
    "$logs/$t.log" | head -n 5 | sed 's/^/      /' || true
done
exit "$failed"

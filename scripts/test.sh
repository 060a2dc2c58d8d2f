#!/usr/bin/env bash
# Quick start, part two: installs what is missing, then builds and runs every test in every
# configuration the project promises:
#   gcc   C++17 Release  - all tests, interop with mosquitto / MQTT.js / paho, consumer tests,
#                          dump tool, fuzz corpus replay, benchmarks built and smoke-run,
#                          footprint measured
#   clang C++20 libc++   - all tests but interop, unoptimized; the other standard library
#                          (macOS, Android NDK) finds a header that leans on another's
#                          transitive includes
#   gcc   -Os -fno-exceptions -fno-rtti (MinSizeRel, as firmware builds: the library's
#         builds-for-size code paths), with GCC 11 where packaged (else the default g++): an
#         older GCC than the other builds' - all tests but interop
#   clang ASan + UBSan, libstdc++ assertions - all tests but interop, with clang 16 where
#         packaged (else the default clang): a newer clang than the other builds'
#   gcc   32-bit big-endian PowerPC, cross-compiled and run under qemu-user - all tests but
#         interop and packaging
#   MinGW-w64, 64-bit Windows, run under Wine - all tests but interop and packaging (skipped,
#                          with a note, where the distribution lacks MinGW-w64 or Wine)
#   (the configurations above after the first: -O2 where not said otherwise, the fuzz
#   corpus replay only at -Os and on PowerPC; see below)
#   clang-tidy           - the checks of .clang-tidy over the whole API's instantiations and
#                          the examples (scripts/tidy.sh); any finding fails (reported
#                          only, with a clang-tidy later than 14)
#   libFuzzer            - each fuzz target for FUZZ_SECONDS (default 60) under ASan + UBSan
# Set QUICK=1 to run only the first configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)

scripts/deps.sh test
# Node peers for the interop and differential tests (MQTT.js, mqtt-packet), pinned by lock files.
for lock in tests/*/package-lock.json; do
  [ -f "$lock" ] || continue
  d=$(dirname "$lock")
  [ -d "$d/node_modules" ] || (cd "$d" && npm ci --no-audit --no-fund --loglevel=error)
done

passed=0
failed=0
summary=()

# run_config NAME CTEST_ARGS -- CMAKE_ARGS...
run_config() {
  local name=$1 ctest_args=$2
  shift 3
  local dir=build/$name log
  echo "=== $name: configure and build"
  # A configuration that does not build counts as failed in the summary too, not only in the
  # exit status.
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.configure.log" 2>&1 || {
    cat "$dir.configure.log"
    failed=$((failed + 1)); summary+=("$name: configure FAILED ($dir.configure.log)")
    return 1
  }
  cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1 || {
    tail -80 "$dir.build.log"
    failed=$((failed + 1)); summary+=("$name: build FAILED ($dir.build.log)")
    return 1
  }
  echo "=== $name: ctest $ctest_args"
  log=$dir.ctest.log
  local rc=0
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600 $ctest_args) 2>&1 | tee "$log" || rc=1
  local p f
  p=$(sed -n 's/^.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*$/\2 \1/p' "$log" | tail -1)
  if [ -n "$p" ]; then
    f=${p#* }; p=${p% *}; p=$((p - f))
    passed=$((passed + p)); failed=$((failed + f))
    summary+=("$name: $p passed, $f failed")
  else
    failed=$((failed + 1)); summary+=("$name: ctest did not report")
  fi
  return $rc
}

# pick_compiler VAR CONFIG "PREFERRED [FLAGS]" FALLBACK: sets VAR to PREFERRED where it compiles
# and links a program with FLAGS (a compiler may be installed without its sanitizer runtime),
# else to FALLBACK; the summary says which CONFIG got.
pick_compiler() {
  local want=${3%% *} flags=""
  [ "$want" = "$3" ] || flags=${3#* }
  if command -v "$want" >/dev/null &&
    echo 'int main() { return 0; }' | "$want" -x c++ $flags - -o /dev/null >/dev/null 2>&1; then
    printf -v "$1" %s "$want"
    summary+=("$2: built with $want")
  else
    printf -v "$1" %s "$4"
    summary+=("$2: built with $4 ($want is missing or cannot link${flags:+ with $flags}: see scripts/deps.sh's note)")
  fi
}

# One Wine server for the whole Windows run, started with none of our pipes: a server that a
# test's `wine` starts inherits that test's output pipe and holds it open for the seconds it
# lingers, 2-3 s per program run. The first run also creates the Wine prefix.
start_wine() {
  export WINEDEBUG=-all
  # On a machine that never ran Wine the prefix does not exist yet, and wineserver, which
  # starts in it, fails ("chdir to ~/.wine"); the first `wine` then fills it.
  mkdir -p "${WINEPREFIX:-$HOME/.wine}"
  wineserver -p </dev/null >/dev/null 2>&1 &&
    timeout 300 wine cmd /c exit </dev/null >/dev/null 2>&1
}

mkdir -p build
status=0
run_config gcc-release "" -- -DCMAKE_CXX_COMPILER=g++ -DCMAKE_CXX_STANDARD=17 || status=1
if [ -d build/gcc-release/bench ] && [ $status -eq 0 ]; then
  echo "=== benchmarks: smoke run"
  for b in build/gcc-release/bench/*_bench; do
    [ -x "$b" ] || continue
    "$b" --benchmark_min_time=0.001 >"$b.smoke.log" 2>&1 || { echo "FAILED: $b"; tail -20 "$b.smoke.log"; status=1; }
  done
  if cmake --build build/gcc-release --target footprint 2>&1 | tee build/footprint.log | tail -15; then :; else status=1; fi
fi
if [ "${QUICK:-0}" != 1 ]; then
  # The configurations below compile the same code again with other compilers, libraries and
  # targets. The GCC ones build at -O2 (as RelWithDebInfo and most distributions do) where
  # Release means -O3, which the first configuration covers and which takes GCC a third
  # longer on the tests' large functions. The libc++ one builds unoptimized: clang's warnings
  # come from its front end, libc++'s differences are in its headers, and optimized clang code
  # runs in the libFuzzer run at the end; clang takes three times as long at -O1 or above.
  # The fuzz targets' corpus replay runs where the code differs from the first
  # configuration's: at -Os (other paths), on big-endian PowerPC, and under ASan and UBSan in
  # the libFuzzer run, which starts by running the whole corpus.
  o2="-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
  run_config clang-libcxx-cxx20 "-LE interop" -- -DCMAKE_CXX_COMPILER=clang++ \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O0 -DNDEBUG" -DCMAKE_CXX_STANDARD=20 \
    -DCMAKE_CXX_FLAGS=-stdlib=libc++ -DMQTTCODEC_BUILD_BENCH=OFF -DMQTTCODEC_BUILD_FUZZ=OFF ||
    status=1
  # An older GCC and a newer clang than Debian 12's where they are packaged (the warnings of
  # their optimizers differ, as GCC 12's -Warray-bounds false positive did, and so do their
  # bugs), each in a configuration that runs anyway.
  pick_compiler gcc_old gcc-noexcept g++-11 g++
  pick_compiler clang_new clang-asan "clang++-16 -fsanitize=address,undefined" clang++
  # -Os as well: the library takes other paths in builds for size (__OPTIMIZE_SIZE__).
  run_config gcc-noexcept "-LE interop" -- -DCMAKE_CXX_COMPILER="$gcc_old" \
    -DCMAKE_BUILD_TYPE=MinSizeRel "-DCMAKE_CXX_FLAGS=-fno-exceptions -fno-rtti" \
    -DMQTTCODEC_BUILD_BENCH=OFF || status=1
  # Every other configuration runs on x86-64 (little-endian, 64-bit pointers, SSE2); this one
  # checks byte order and pointer size, and takes the 8-byte word paths that SSE2 replaces.
  run_config gcc-ppc32 "-LE interop|packaging" -- "$o2" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/powerpc-linux-gnu.cmake" \
    -DMQTTCODEC_BUILD_BENCH=OFF || status=1
  run_config clang-asan "-LE interop" -- -DCMAKE_CXX_COMPILER="$clang_new" -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS" \
    -DMQTTCODEC_BUILD_BENCH=OFF -DMQTTCODEC_BUILD_FUZZ=OFF || status=1
  # Windows: LLP64 (a 32-bit `long`), Microsoft's C library, text-mode standard streams.
  # MinGW-w64 builds the tests and the examples that do no socket I/O; Wine runs them.
  if command -v x86_64-w64-mingw32-g++-posix >/dev/null && command -v wine >/dev/null &&
    start_wine; then
    run_config mingw64 "-LE interop|packaging" -- "$o2" \
      -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/x86_64-w64-mingw32.cmake" \
      -DMQTTCODEC_BUILD_BENCH=OFF -DMQTTCODEC_BUILD_FUZZ=OFF || status=1
    wineserver -k >/dev/null 2>&1 || true
  else
    summary+=("mingw64: skipped (MinGW-w64 or a working Wine is missing: see scripts/deps.sh's note)")
  fi
  if scripts/tidy.sh; then summary+=("clang-tidy: passed"); else
    status=1; failed=$((failed + 1)); summary+=("clang-tidy: FAILED"); fi
  if [ -x scripts/fuzz.sh ]; then
    echo "=== libFuzzer: ${FUZZ_SECONDS:-60} s per target"
    if scripts/fuzz.sh; then summary+=("fuzz: all targets clean"); else
      status=1; failed=$((failed + 1)); summary+=("fuzz: FAILED"); fi
  fi
fi

echo
echo "=== summary"
for s in "${summary[@]}"; do echo "$s"; done
echo "total: $passed passed, $failed failed"
[ $status -eq 0 ] && [ $failed -eq 0 ]

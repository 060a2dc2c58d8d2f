#!/usr/bin/env bash
# Instructions per iteration of codec_bench benchmarks, counted by callgrind: a figure that,
# unlike nanoseconds on a shared VM, does not move between runs. For each benchmark name that
# matches a filter it prints the instructions that one iteration of its timed loop executes,
# the benchmark's own loop and calls included.
#
#   scripts/instructions.sh BUILD_DIR FILTER...
#   scripts/instructions.sh /tmp/build-bench '^W1_v311_publish/decode/' '^W2_v5_publish/decode/'
#   BENCH=forward_bench scripts/instructions.sh /tmp/build-bench '^W2'   (another binary)
#
# How: callgrind runs the benchmark briefly (--benchmark_min_time=0.01); the function that
# holds the timed loop is the benchmark's `LambdaBenchmark<...add_case...>::Run` (or
# `add_case` itself when GCC inlined the lambda into it). Every instruction of the loop's body
# runs once per iteration (the input never changes), an inner loop's a multiple of that; the
# set-up of each of Google Benchmark's few runs runs once per run, or (a `rep stos` clearing
# a buffer) once per byte. So the number of iterations is the smallest execution count above
# 1,000 that at least three of that function's instructions share, and the figure is the
# function's inclusive count divided by it. Needs valgrind and python3.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR FILTER..." >&2
  exit 2
fi
build="$1"
shift
bench="$build/bench/${BENCH:-codec_bench}"
[[ -x "$bench" ]] || {
  echo "$bench: not built (cmake --build $build --target ${BENCH:-codec_bench})" >&2
  exit 2
}
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

for filter in "$@"; do
  for name in $("$bench" --benchmark_list_tests=true --benchmark_filter="$filter"); do
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$out" "$bench" \
      --benchmark_filter="^${name}\$" --benchmark_min_time=0.01 >/dev/null 2>&1
    python3 - "$out" "$name" <<'EOF'
import collections
import re
import sys

path, name = sys.argv[1], sys.argv[2]
names = {}  # callgrind's compressed names: "(id) name" the first time, "(id)" after
counts = collections.defaultdict(collections.Counter)  # per function: count -> instructions
inclusive = collections.Counter()  # per function: its own instructions and its calls'
fn = None
addr = 0
call_line = False


def function_name(text):
    m = re.match(r"\((\d+)\)\s*(.*)", text)
    if not m:
        return text
    if m.group(2):
        names[m.group(1)] = m.group(2)
    return names.get(m.group(1), "?")


for line in open(path):
    line = line.rstrip("\n")
    if line.startswith("fn="):
        fn = function_name(line[3:])
    elif line.startswith("cfn="):
        function_name(line[4:])
    elif line.startswith("calls="):
        call_line = True  # the next cost line is the inclusive cost of that call
    elif line and (line[0] in "+-*" or line[0].isdigit()):
        fields = line.split()
        pos = fields[0]
        if pos == "*":
            pass
        elif pos[0] in "+-":
            addr += int(pos, 0)
        else:
            addr = int(pos, 0)
        cost = int(fields[-1]) if len(fields) >= 3 else 0
        inclusive[fn] += cost
        if not call_line and cost > 1000:
            counts[fn][cost] += 1
        call_line = False

loops = [f for f in inclusive
         if any(k in f for k in ("LambdaBenchmark", "add_case", "add_memcpy_baseline")) and counts[f]]
if not loops:
    print(f"{name}: no timed loop found")
    sys.exit(0)
loop = max(loops, key=lambda f: inclusive[f])
shared = [count for count, n in counts[loop].items() if n >= 3]
if not shared:
    print(f"{name}: no timed loop found")
    sys.exit(0)
iterations = min(shared)
print(f"{inclusive[loop] / iterations:8.1f}  {name}")
EOF
  done
done

#!/usr/bin/env bash
# Builds and runs the codec, framing, forwarding and fitting benchmarks (Release), then prints the
# median of 5 repetitions of every contender and its ratio to the baseline(s) of its group,
# with the targets of docs/performance.md, the core's clock (codec_bench's clock/ benchmark)
# and the code-size (footprint) figures.
#
#   scripts/bench.sh [build-dir]          default build dir: /tmp/build-bench
#   MIN_TIME=0.5 scripts/bench.sh         seconds per repetition (default 0.2)
#   FILTER='W1|W5' scripts/bench.sh       only the benchmarks matching a regex
#   TIME=real scripts/bench.sh            ratios of wall-clock instead of CPU time
#   NO_FOOTPRINT=1 scripts/bench.sh       skip the code-size target
#   PIN=none scripts/bench.sh             do not pin the benchmarks to one CPU (default: the
#                                         last CPU, with taskset, when there are two or more)
set -euo pipefail

src="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-/tmp/build-bench}"
min_time="${MIN_TIME:-0.2}"
filter="${FILTER:-.}"
time_field="${TIME:-cpu}_time"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMQTTCODEC_BUILD_TESTS=OFF \
    -DMQTTCODEC_BUILD_FUZZ=OFF -DMQTTCODEC_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" --target codec_bench frame_bench forward_bench fit_bench -j "$(nproc)" >/dev/null

# One CPU for the whole run. Unpinned, separate runs of the same binary read W2 decode at
# either about 32 or about 55 ns; pinned, 31-32 ns in twelve runs out of twelve. It narrows
# the noise, it does not end it (docs/performance-history.md, "Results against the targets").
pin=()
if [[ "${PIN:-}" != none ]] && command -v taskset >/dev/null && [[ "$(nproc)" -gt 1 ]]; then
  pin=(taskset -c "${PIN:-$(($(nproc) - 1))}")
fi

for b in codec_bench frame_bench forward_bench fit_bench; do
  "${pin[@]}" "$build/bench/$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_format=json --benchmark_min_time="$min_time" --benchmark_filter="$filter" \
    >"$build/$b.json" || true  # a filter that matches nothing here leaves the file empty
done

python3 - "$time_field" "$build/codec_bench.json" "$build/frame_bench.json" "$build/forward_bench.json" \
  "$build/fit_bench.json" <<'EOF'
import json, sys

time_field = sys.argv[1]
# Targets from the project brief: group -> (baseline, max ratio), for every contender of the
# group but those in not_target.
targets = {
    "W1_v311_publish/decode": ("baseline_walk", 3.0),
    "W1_v311_publish/encode": ("baseline_memcpy", 3.0),
    "W2_v5_publish/decode": ("baseline_walk", 2.0),
    "W2_v5_publish/encode": ("baseline_memcpy", 4.0),
    "W4_v5_connect/decode": ("baseline_walk", 2.0),
    "W5_64MiB/frame": ("baseline_unchecked", 1.1),
    "W5_1MiB/frame": ("baseline_unchecked", 1.1),
}
# decode_publish_head is in the PUBLISH groups to show what streaming costs; no target is set
# for it (docs/performance.md, "Streaming and forwarding").
not_target = {"mqttcodec_head"}

groups = {}  # group -> {contender: row}
order = []
context = None
for path in sys.argv[2:]:
    with open(path) as f:
        text = f.read()
    if not text.strip():
        continue
    data = json.loads(text)
    context = context or data["context"]
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        group, contender = b["run_name"].rsplit("/", 1)
        if group not in groups:
            groups[group] = {}
            order.append(group)
        groups[group][contender] = b

print("host: %s, %d CPUs @ %.0f MHz, load %s" % (
    context.get("host_name"), context.get("num_cpus", 0), context.get("mhz_per_cpu", 0),
    context.get("load_avg")))
print("median of 5 repetitions, %s; ratio = contender / baseline of its group\n" % time_field)
head = "%-34s %-22s %11s %8s %9s %7s %s" % ("group", "contender", "ns", "ratio", "target",
                                           "allocs", "vs")
print(head)
print("-" * len(head))
for group in order:
    rows = groups[group]
    baselines = [c for c in rows if c.startswith("baseline_")]
    want = targets.get(group)
    for contender, b in rows.items():
        t = b[time_field]
        allocs = b.get("allocs", 0.0)
        if contender.startswith("baseline_"):
            print("%-34s %-22s %11.2f %8s %9s %7.0f" % (group, contender, t, "", "", allocs))
            continue
        for base in baselines:
            ratio = t / rows[base][time_field]
            mark = ""
            if want and want[0] == base and contender not in not_target:
                mark = "%.1fx %s" % (want[1], "ok" if ratio <= want[1] else "OFF")
            print("%-34s %-22s %11.2f %7.2fx %9s %7.0f %s" % (group, contender, t, ratio, mark,
                                                             allocs, base))

clock = groups.get("clock/1000_dependent_adds", {}).get("baseline_chain")
if clock and "Gcycles" in clock:
    print("\ncore clock: %.2f GHz (1,000 dependent additions in %.1f ns)" % (clock["Gcycles"],
                                                                         clock[time_field]))
    print("instructions per cycle = instructions (scripts/instructions.sh) / (ns x GHz)")
EOF

if [[ -z "${NO_FOOTPRINT:-}" ]]; then
  echo
  cmake --build "$build" --target footprint 2>&1 | grep -E "footprint|5.0" | grep -v "^\[" || true
fi

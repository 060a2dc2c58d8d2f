// What the codec benchmarks share: what they report besides their time (the allocations made
// inside the timed loop, counter `allocs`, which must be 0; packets and bytes per second), and
// the main() of a binary that registers its benchmarks at run time.
#ifndef MQTTCODEC_BENCH_BENCH_STATE_HPP
#define MQTTCODEC_BENCH_BENCH_STATE_HPP

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "bench_data.hpp"

namespace bench {

// Counts the allocations from its construction, before the timed loop, to report().
class alloc_probe {
 public:
  void report(benchmark::State& st) const {
    st.counters["allocs"] = static_cast<double>(allocation_count() - start_);
  }

 private:
  std::size_t start_ = allocation_count();
};

// Rates for a loop that handles one packet of `packet_size` bytes per iteration.
inline void set_rates(benchmark::State& st, std::size_t packet_size) {
  st.SetItemsProcessed(st.iterations());
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(packet_size));
}

// Registers `<group>/baseline_memcpy`: a memcpy of `bytes` into a caller buffer per iteration,
// the length not a compile-time constant (as when a forwarder copies a packet it holds).
inline void add_memcpy_baseline(const std::string& group,
                                std::shared_ptr<const byte_vector> bytes) {
  benchmark::RegisterBenchmark((group + "/baseline_memcpy").c_str(), [bytes](benchmark::State& st) {
    std::array<std::uint8_t, 512> out{};
    alloc_probe a;
    for (auto _ : st) {
      std::memcpy(out.data(), bytes->data(), bytes->size());
      benchmark::DoNotOptimize(out.data());
      benchmark::ClobberMemory();
    }
    a.report(st);
    set_rates(st, bytes->size());
  });
}

// main(): `register_all` registers the benchmarks (their names come from the workloads), then
// Google Benchmark reads its flags and runs them.
inline int run_main(int argc, char** argv, void (*register_all)()) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace bench

#endif

// What a broker or a proxy pays to forward a packet: encode the packet as decode_as returned
// it (views into the received bytes), and the whole step, decode and encode, each beside a
// memcpy of the same bytes. The workloads are those of codec_bench (bench-workloads.md W1,
// W2, W4, W4-311) and its 5.0 SUBSCRIBE.
//
// Benchmark names are <case>/forward/<contender>:
//   forward/mqttcodec_encode         encode<V> of the decoded packet into a caller buffer
//   forward/mqttcodec_decode_encode  decode_as<P, V>, then encode<V> of the result
//   forward/baseline_memcpy          memcpy of the packet's bytes
// A separate binary from codec_bench on purpose: a second call of encode<V> for the same
// packet type in codec_bench would change how GCC inlines the first (see
// docs/performance-history.md, "Forwarding a decoded packet").
// Setup checks that each contender's output equals the workload's bytes (memcmp).
// Counter `allocs`: allocations made inside the timed loop (must be 0).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "bench_data.hpp"
#include "bench_state.hpp"
#include "mqttcodec/mqttcodec.hpp"

namespace mc = mqttcodec;
using bench::alloc_probe;
using bench::set_rates;
using mc::protocol_version;

namespace {

using buffer = std::array<std::uint8_t, 512>;

template <class P, protocol_version V>
void add_case(const std::string& name, bench::byte_vector packet) {
  auto in = std::make_shared<const bench::byte_vector>(std::move(packet));
  const std::string what = name + ": setup check";
  {
    auto p = mc::decode_as<P, V>(mc::bytes_view(*in));
    bench::require(p.has_value(), what.c_str());
    buffer out{};
    auto n = mc::encode<V>(*p, mc::mutable_bytes_view(out.data(), out.size()));
    bench::require(
        n.has_value() && *n == in->size() && std::memcmp(out.data(), in->data(), *n) == 0,
        what.c_str());
  }

  benchmark::RegisterBenchmark(
      (name + "/forward/mqttcodec_encode").c_str(), [in](benchmark::State& st) {
        P p = *mc::decode_as<P, V>(mc::bytes_view(*in));
        benchmark::DoNotOptimize(p);
        buffer out{};
        alloc_probe a;
        for (auto _ : st) {
          auto n = mc::encode<V>(p, mc::mutable_bytes_view(out.data(), out.size()));
          benchmark::DoNotOptimize(n);
          benchmark::ClobberMemory();
        }
        a.report(st);
        set_rates(st, in->size());
      });
  benchmark::RegisterBenchmark(
      (name + "/forward/mqttcodec_decode_encode").c_str(), [in](benchmark::State& st) {
        const mc::bytes_view bytes(*in);
        buffer out{};
        alloc_probe a;
        for (auto _ : st) {
          auto p = mc::decode_as<P, V>(bytes);
          if (MQTTCODEC_UNLIKELY(!p)) {
            st.SkipWithError("decode failed");
            break;
          }
          auto n = mc::encode<V>(*p, mc::mutable_bytes_view(out.data(), out.size()));
          benchmark::DoNotOptimize(n);
          benchmark::ClobberMemory();
        }
        a.report(st);
        set_rates(st, in->size());
      });
  bench::add_memcpy_baseline(name + "/forward", in);
}

void register_all() {
  add_case<mc::publish, protocol_version::v311>("W1_v311_publish", bench::from_hex(bench::w1_hex));
  add_case<mc::connect, protocol_version::v311>("W4-311_v311_connect",
                                                bench::from_hex(bench::w4_311_hex));
  add_case<mc::publish, protocol_version::v5>("W2_v5_publish", bench::from_hex(bench::w2_hex));
  add_case<mc::connect, protocol_version::v5>("W4_v5_connect", bench::from_hex(bench::w4_hex));
  add_case<mc::subscribe, protocol_version::v5>("v5_subscribe", bench::v5_subscribe());
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, register_all);
}

// What fitting a packet to the peer's Maximum Packet Size costs: encode_to_fit of a decoded
// packet beside encode of the same packet (the run-time version both take) and a memcpy of
// its bytes. The PUBLISH and CONNECT fit as they are; the 5.0 PUBACK does not until its
// Reason String is left out, as encode_to_fit then does.
//
// Benchmark names are <case>/fit/<contender>:
//   fit/mqttcodec_encode         encode(p, v, buffer)
//   fit/mqttcodec_encode_to_fit  encode_to_fit(p, v, limit, buffer)
//   fit/baseline_memcpy          memcpy of the packet's bytes
// A binary of its own: a run-time encode beside codec_bench's or forward_bench's encode<V>
// of the same packet type changes how GCC inlines those (docs/performance-history.md,
// "Forwarding a decoded packet"). Setup checks every output (memcmp) and the fit report.
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

// `packet`: the bytes received; `limit`: the peer's maximum; `sent`: what encode_to_fit must
// write (the packet itself when it fits).
template <class P>
void add_case(const std::string& name, protocol_version v, bench::byte_vector packet,
              std::uint32_t limit, bench::byte_vector sent) {
  auto in = std::make_shared<const bench::byte_vector>(std::move(packet));
  const std::string what = name + ": setup check";
  {
    auto p = mc::decode_as<P>(mc::bytes_view(*in), v);
    bench::require(p.has_value(), what.c_str());
    buffer out{};
    auto n = mc::encode(*p, v, mc::mutable_bytes_view(out.data(), out.size()));
    bench::require(
        n.has_value() && *n == in->size() && std::memcmp(out.data(), in->data(), *n) == 0,
        what.c_str());
    auto fit = mc::encode_to_fit(*p, v, limit, mc::mutable_bytes_view(out.data(), out.size()));
    bench::require(fit.has_value() && fit->size == sent.size() &&
                       fit->dropped_reason_string == (sent.size() != in->size()) &&
                       std::memcmp(out.data(), sent.data(), sent.size()) == 0,
                   what.c_str());
  }
  benchmark::RegisterBenchmark(
      (name + "/fit/mqttcodec_encode").c_str(), [in, v](benchmark::State& st) {
        P p = *mc::decode_as<P>(mc::bytes_view(*in), v);
        benchmark::DoNotOptimize(p);
        buffer out{};
        alloc_probe a;
        for (auto _ : st) {
          auto n = mc::encode(p, v, mc::mutable_bytes_view(out.data(), out.size()));
          benchmark::DoNotOptimize(n);
          benchmark::ClobberMemory();
        }
        a.report(st);
        set_rates(st, in->size());
      });
  benchmark::RegisterBenchmark(
      (name + "/fit/mqttcodec_encode_to_fit").c_str(), [in, v, limit](benchmark::State& st) {
        P p = *mc::decode_as<P>(mc::bytes_view(*in), v);
        benchmark::DoNotOptimize(p);
        buffer out{};
        alloc_probe a;
        for (auto _ : st) {
          auto n = mc::encode_to_fit(p, v, limit, mc::mutable_bytes_view(out.data(), out.size()));
          benchmark::DoNotOptimize(n);
          benchmark::ClobberMemory();
        }
        a.report(st);
        set_rates(st, in->size());
      });
  bench::add_memcpy_baseline(name + "/fit", in);
}

void register_all() {
  const auto w2 = bench::from_hex(bench::w2_hex);
  add_case<mc::publish>("W2_v5_publish", protocol_version::v5, w2,
                        static_cast<std::uint32_t>(w2.size()), w2);
  const auto w4 = bench::from_hex(bench::w4_hex);
  add_case<mc::connect>("W4_v5_connect", protocol_version::v5, w4,
                        static_cast<std::uint32_t>(w4.size()), w4);
  // PUBACK 0x1234, No matching subscribers, Reason String "no subscribers": 23 bytes; for a
  // peer whose maximum is 10 it goes as 40 03 1234 10.
  const auto ack = bench::from_hex("40 15 1234 10 11 1f 000e 6e6f207375627363726962657273");
  add_case<mc::puback>("v5_puback_reason_string", protocol_version::v5, ack, 10,
                       bench::from_hex("40 03 1234 10"));
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, register_all);
}

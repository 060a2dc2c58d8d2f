// W5 of bench-workloads.md: framing a stream of back-to-back 3.1.1 packets with next_frame,
// beside two baselines in the same binary on the same buffer:
//   baseline_unchecked  the loop every hand-written reader starts with: read the type byte and
//                       the remaining length, jump; no check of anything
//   baseline_memchr     memchr over the whole buffer for its rarest byte value, every
//                       occurrence (the machine's streaming read speed)
// on about 64 MiB (mostly out of cache) and on its first 1 MiB (cut at a packet boundary),
// which stays in cache. Counters: items_per_second = packets/s, bytes_per_second,
// `packets`, `avg_packet_bytes`, and `allocs` (allocations inside the timed loop, must be 0).
//
// The stream comes from a seeded generator (splitmix64, portable, so every codec measured
// against this workload can regenerate the same bytes):
//   85 % PUBLISH QoS 1, topic from a W6-like list, 0-127-byte payload, packet ids 1..65535
//    2 % PUBLISH QoS 0 with a 4 KiB payload
//    6 % PUBACK
//    3 % PINGREQ
//    4 % PUBLISH QoS 0 RETAIN with a 0-31-byte payload
// Topics (1,000, from the same generator): 50 % sensors/building-N/floor-N/room-N/<kind>,
// 5 % the W1 topic, 8 % $SYS/broker/..., 13 % home/<room>/<device>/<state|set>,
// 14 % devices/<12 hex>/..., 10 % factory/line-N/machine-N/spindle/<metric>.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_data.hpp"
#include "bench_state.hpp"
#include "mqttcodec/frame.hpp"

namespace mc = mqttcodec;
using bench::alloc_probe;

namespace {

struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (modulo bias is irrelevant at these ranges).
  unsigned in(unsigned lo, unsigned hi) {
    return lo + static_cast<unsigned>(next() % (std::uint64_t{hi} - lo + 1));
  }
};

std::vector<std::string> make_topics(splitmix64& rng) {
  const char* const kinds[] = {"temperature", "humidity", "pressure", "co2", "illuminance"};
  const char* const sys[] = {"uptime", "clients/connected", "messages/received",
                             "load/bytes/sent/1min", "version"};
  const char* const rooms[] = {"kitchen", "living", "bedroom", "bath", "garage", "office"};
  const char* const devices[] = {"light", "heater", "blind", "plug", "fan"};
  const char* const tails[] = {"status", "telemetry/battery", "telemetry/rssi", "config/set"};
  const char* const metrics[] = {"rpm", "temperature", "vibration", "load"};
  std::vector<std::string> out;
  for (int i = 0; i < 1000; ++i) {
    const unsigned k = rng.in(0, 99);
    auto num = [&](unsigned lo, unsigned hi) { return std::to_string(rng.in(lo, hi)); };
    if (k < 50) {
      out.push_back("sensors/building-" + num(1, 12) + "/floor-" + num(1, 9) + "/room-" +
                    num(1, 60) + "/" + kinds[rng.in(0, 4)]);
    } else if (k < 55) {
      out.emplace_back(bench::topic);
    } else if (k < 63) {
      out.push_back(std::string("$SYS/broker/") + sys[rng.in(0, 4)]);
    } else if (k < 76) {
      out.push_back(std::string("home/") + rooms[rng.in(0, 5)] + "/" + devices[rng.in(0, 4)] +
                    (rng.in(0, 1) ? "/state" : "/set"));
    } else if (k < 90) {
      std::string hex;
      for (int d = 0; d < 12; ++d) hex += "0123456789abcdef"[rng.in(0, 15)];
      out.push_back("devices/" + hex + "/" + tails[rng.in(0, 3)]);
    } else {
      out.push_back("factory/line-" + num(1, 6) + "/machine-" + num(1, 30) + "/spindle/" +
                    metrics[rng.in(0, 3)]);
    }
  }
  return out;
}

void put_varint(bench::byte_vector& b, std::size_t v) {
  do {
    auto byte = static_cast<std::uint8_t>(v & 0x7Fu);
    v >>= 7;
    if (v != 0) byte |= 0x80u;
    b.push_back(byte);
  } while (v != 0);
}

void put_publish(bench::byte_vector& b, splitmix64& rng, std::uint8_t first,
                 const std::string& topic, std::uint16_t id, std::size_t payload) {
  b.push_back(first);
  put_varint(b, 2 + topic.size() + (id != 0 ? 2 : 0) + payload);
  b.push_back(static_cast<std::uint8_t>(topic.size() >> 8));
  b.push_back(static_cast<std::uint8_t>(topic.size()));
  b.insert(b.end(), topic.begin(), topic.end());
  if (id != 0) {
    b.push_back(static_cast<std::uint8_t>(id >> 8));
    b.push_back(static_cast<std::uint8_t>(id));
  }
  for (std::size_t i = 0; i < payload; ++i) b.push_back(static_cast<std::uint8_t>(rng.in(32, 126)));
}

struct stream {
  bench::byte_vector bytes;
  std::size_t packets = 0;
  bench::byte_vector prefix;  // the whole packets within the first 1 MiB
  std::size_t prefix_packets = 0;
};

stream make_stream() {
  constexpr std::size_t target = std::size_t{64} << 20;
  constexpr std::size_t prefix_target = std::size_t{1} << 20;
  splitmix64 rng{0x4D51545435ull};  // "MQTT5"
  const std::vector<std::string> topics = make_topics(rng);
  stream s;
  s.bytes.reserve(target + 8192);
  std::uint16_t id = 0;
  auto next_id = [&] {
    id = static_cast<std::uint16_t>(id == 0xFFFF ? 1 : id + 1);
    return id;
  };
  while (s.bytes.size() < target) {
    const std::size_t before = s.bytes.size();
    const unsigned k = rng.in(0, 99);
    const std::string& topic = topics[rng.in(0, 999)];
    if (k < 85) {
      put_publish(s.bytes, rng, 0x32, topic, next_id(), rng.in(0, 127));
    } else if (k < 87) {
      put_publish(s.bytes, rng, 0x30, topic, 0, 4096);
    } else if (k < 93) {
      const std::uint16_t ack = next_id();
      const std::uint8_t puback[] = {0x40, 0x02, static_cast<std::uint8_t>(ack >> 8),
                                     static_cast<std::uint8_t>(ack)};
      s.bytes.insert(s.bytes.end(), puback, puback + 4);
    } else if (k < 96) {
      s.bytes.push_back(0xC0);
      s.bytes.push_back(0x00);
    } else {
      put_publish(s.bytes, rng, 0x31, topic, 0, rng.in(0, 31));
    }
    ++s.packets;
    if (s.bytes.size() <= prefix_target) {
      s.prefix_packets = s.packets;
    } else if (s.prefix.empty()) {
      s.prefix.assign(s.bytes.begin(), s.bytes.begin() + static_cast<std::ptrdiff_t>(before));
    }
  }
  return s;
}

const stream& w5() {
  static const stream s = [] {
    stream made = make_stream();
    std::fprintf(
        stderr,
        "W5: %zu bytes, %zu packets, average %.1f bytes; 1 MiB prefix: %zu bytes, %zu packets\n",
        made.bytes.size(), made.packets,
        static_cast<double>(made.bytes.size()) / static_cast<double>(made.packets),
        made.prefix.size(), made.prefix_packets);
    return made;
  }();
  return s;
}

// The byte value that occurs least often in `b` (every value occurs: packet ids are binary),
// so a memchr loop over its occurrences reads the whole buffer at memchr's speed.
std::uint8_t rarest_byte(const bench::byte_vector& b) {
  std::vector<std::size_t> count(256, 0);
  for (const std::uint8_t c : b) ++count[c];
  return static_cast<std::uint8_t>(std::min_element(count.begin(), count.end()) - count.begin());
}

std::size_t memchr_all(const std::uint8_t* data, std::size_t size, int needle) {
  std::size_t n = 0;
  const std::uint8_t* p = data;
  const std::uint8_t* const end = data + size;
  while (p != end) {
    const void* hit = std::memchr(p, needle, static_cast<std::size_t>(end - p));
    if (hit == nullptr) break;
    p = static_cast<const std::uint8_t*>(hit) + 1;
    ++n;
  }
  return n;
}

// ---- the three framing loops -----------------------------------------------------------------

std::size_t frame_mqttcodec(const std::uint8_t* data, std::size_t size) {
  const mc::frame_options opt;  // 3.1.1, default maximum packet size, strict lengths
  std::size_t off = 0;
  std::size_t n = 0;
  while (off < size) {
    const mc::frame f = mc::next_frame(mc::bytes_view(data + off, size - off), opt);
    if (MQTTCODEC_UNLIKELY(f.status != mc::frame_status::complete)) break;
    off += f.size;
    ++n;
  }
  return n;
}

std::size_t frame_unchecked(const std::uint8_t* data, std::size_t size, std::uint32_t& types) {
  std::size_t off = 0;
  std::size_t n = 0;
  while (off < size) {
    const std::uint8_t* p = data + off;
    types ^= p[0];
    std::size_t len = 0;
    unsigned shift = 0;
    std::size_t i = 1;
    std::uint8_t b;
    do {
      b = p[i++];
      len |= std::size_t{static_cast<std::uint8_t>(b & 0x7Fu)} << shift;
      shift += 7;
    } while (b & 0x80u);
    off += i + len;
    ++n;
  }
  return n;
}

void set_counters(benchmark::State& st, std::size_t bytes, std::size_t packets) {
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(bytes));
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(packets));
  st.counters["packets"] = static_cast<double>(packets);
  st.counters["avg_packet_bytes"] = static_cast<double>(bytes) / static_cast<double>(packets);
}

const bench::byte_vector& buffer_of(bool prefix) {
  return prefix ? w5().prefix : w5().bytes;
}
std::size_t packets_of(bool prefix) {
  return prefix ? w5().prefix_packets : w5().packets;
}

void bm_mqttcodec(benchmark::State& st, bool prefix) {
  const bench::byte_vector& b = buffer_of(prefix);
  bench::require(frame_mqttcodec(b.data(), b.size()) == packets_of(prefix),
                 "next_frame frames every packet of W5");
  alloc_probe a;
  for (auto _ : st) {
    std::size_t n = frame_mqttcodec(b.data(), b.size());
    benchmark::DoNotOptimize(n);
  }
  a.report(st);
  set_counters(st, b.size(), packets_of(prefix));
}

void bm_unchecked(benchmark::State& st, bool prefix) {
  const bench::byte_vector& b = buffer_of(prefix);
  std::uint32_t types = 0;
  bench::require(frame_unchecked(b.data(), b.size(), types) == packets_of(prefix),
                 "the unchecked loop frames every packet of W5");
  alloc_probe a;
  for (auto _ : st) {
    std::size_t n = frame_unchecked(b.data(), b.size(), types);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(types);
  }
  a.report(st);
  set_counters(st, b.size(), packets_of(prefix));
}

void bm_memchr(benchmark::State& st, bool prefix) {
  const bench::byte_vector& b = buffer_of(prefix);
  int needle = rarest_byte(b);
  const std::size_t hits = memchr_all(b.data(), b.size(), needle);
  alloc_probe a;
  for (auto _ : st) {
    benchmark::DoNotOptimize(needle);
    std::size_t n = memchr_all(b.data(), b.size(), needle);
    benchmark::DoNotOptimize(n);
  }
  a.report(st);
  set_counters(st, b.size(), packets_of(prefix));
  st.counters["memchr_hits"] = static_cast<double>(hits);
}

}  // namespace

BENCHMARK_CAPTURE(bm_mqttcodec, W5_64MiB, false)->Name("W5_64MiB/frame/mqttcodec");
BENCHMARK_CAPTURE(bm_unchecked, W5_64MiB, false)->Name("W5_64MiB/frame/baseline_unchecked");
BENCHMARK_CAPTURE(bm_memchr, W5_64MiB, false)->Name("W5_64MiB/frame/baseline_memchr");
BENCHMARK_CAPTURE(bm_mqttcodec, W5_1MiB, true)->Name("W5_1MiB/frame/mqttcodec");
BENCHMARK_CAPTURE(bm_unchecked, W5_1MiB, true)->Name("W5_1MiB/frame/baseline_unchecked");
BENCHMARK_CAPTURE(bm_memchr, W5_1MiB, true)->Name("W5_1MiB/frame/baseline_memchr");

BENCHMARK_MAIN();

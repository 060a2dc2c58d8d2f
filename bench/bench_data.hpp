// Workload bytes of the codec and framing benchmarks (/work/shared/bench-workloads.md, copied
// verbatim), the small per-packet-type vectors written by hand from the two specifications,
// and an allocation counter.
//
// The hand-written vectors spell every length and every field in hex next to its ASCII text,
// so they come from the spec's field tables, not from our encoder; setup checks that each
// one's remaining length matches its size and that the decoder accepts it.
//
// The global operator new/delete replacements at the end count allocations; include this
// header from exactly one translation unit per executable.
#ifndef MQTTCODEC_BENCH_BENCH_DATA_HPP
#define MQTTCODEC_BENCH_BENCH_DATA_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string_view>
#include <vector>

namespace bench {

using byte_vector = std::vector<std::uint8_t>;

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "benchmark setup check failed: %s\n", what);
  std::abort();
}

inline void require(bool ok, const char* what) {
  if (!ok) fail(what);
}

// Builds a byte vector from pieces of hex (spaces ignored) and ASCII text, so a vector reads
// like the spec's field table.
class bytes_builder {
 public:
  bytes_builder& hex(std::string_view h) {
    int hi = -1;
    for (const char c : h) {
      if (c == ' ') continue;
      const int v = nibble(c);
      if (hi < 0) {
        hi = v;
      } else {
        out_.push_back(static_cast<std::uint8_t>(hi * 16 + v));
        hi = -1;
      }
    }
    require(hi < 0, "odd number of hex digits");
    return *this;
  }
  bytes_builder& ascii(std::string_view s) {
    out_.insert(out_.end(), s.begin(), s.end());
    return *this;
  }
  byte_vector done() const { return out_; }

 private:
  static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    fail("not a hex digit");
  }
  byte_vector out_;
};

inline byte_vector from_hex(std::string_view h) {
  return bytes_builder{}.hex(h).done();
}

// Checks that the fixed header's remaining length accounts for exactly the rest of `b`.
inline void check_remaining_length(const byte_vector& b, const char* what) {
  require(b.size() >= 2, what);
  std::size_t value = 0;
  std::size_t i = 1;
  for (unsigned shift = 0; i < b.size() && i <= 4; ++i, shift += 7) {
    value |= std::size_t{b[i] & 0x7Fu} << shift;
    if ((b[i] & 0x80u) == 0) break;
  }
  require(i < b.size() || value == 0, what);
  require(value + i + 1 == b.size(), what);
}

// ---- the common fields of W1-W4 --------------------------------------------------------------

inline constexpr std::string_view topic = "sensors/building-7/floor-3/room-42/temperature";
inline constexpr std::uint16_t packet_id = 0x1234;
inline constexpr std::string_view payload =
    "{\"t\":21.57,\"u\":\"C\",\"ts\":1717171717,\"seq\":4242,\"id\":\"b7-f3-r42\"} ";

// ---- W1, W2, W4, W4-311, verbatim from bench-workloads.md ------------------------------------

inline constexpr std::string_view w1_hex =
    "3272002e73656e736f72732f6275696c64696e672d372f666c6f6f722d332f726f6f6d2d34322f74656d7065726174"
    "75726512347b2274223a32312e35372c2275223a2243222c227473223a313731373137313731372c22736571223a34"
    "3234322c226964223a2262372d66332d723432227d20";

inline constexpr std::string_view w2_hex =
    "32af01002e73656e736f72732f6275696c64696e672d372f666c6f6f722d332f726f6f6d2d34322f74656d70657261"
    "7475726512343c0200000e100300106170706c69636174696f6e2f6a736f6e260004756e6974000763656c73697573"
    "260006736f75726365000973656e736f722d34327b2274223a32312e35372c2275223a2243222c227473223a313731"
    "373137313731372c22736571223a343234322c226964223a2262372d66332d723432227d20";

inline constexpr std::string_view w4_hex =
    "109a0100044d51545405ce003c321100000e1026000b636c69656e742d74797065000973656e736f722d6777260006"
    "726567696f6e000965752d776573742d31001973656e736f722d67772d6275696c64696e672d372d30303432071800"
    "00001e0101001973656e736f72732f6275696c64696e672d372f73746174757300076f66666c696e65000767772d30"
    "303432000b7333637233742d70347373";

inline constexpr std::string_view w4_311_hex =
    "105f00044d51545404ce003c001973656e736f722d67772d6275696c64696e672d372d30303432001973656e736f72"
    "732f6275696c64696e672d372f73746174757300076f66666c696e65000767772d30303432000b7333637233742d70"
    "347373";

// W4's fields.
inline constexpr std::string_view w4_client_id = "sensor-gw-building-7-0042";
inline constexpr std::string_view w4_will_topic = "sensors/building-7/status";
inline constexpr std::string_view w4_will_payload = "offline";
inline constexpr std::string_view w4_username = "gw-0042";
inline constexpr std::string_view w4_password = "s3cr3t-p4ss";

// ---- small typical packets of every type, by hand from the specs -----------------------------

// Topic filters used by SUBSCRIBE / UNSUBSCRIBE below (19 and 18 bytes).
inline constexpr std::string_view filter_a = "sensors/+/floor-3/#";
inline constexpr std::string_view filter_b = "$SYS/broker/uptime";

// 3.1.1 (OASIS mqtt-v3.1.1 §3.2-§3.14).
inline byte_vector v311_connack() {
  return from_hex("20 02 01 00");
}  // session present
inline byte_vector v311_puback() {
  return from_hex("40 02 12 34");
}
inline byte_vector v311_pubrec() {
  return from_hex("50 02 12 34");
}
inline byte_vector v311_pubrel() {
  return from_hex("62 02 12 34");
}  // flags 0010 [MQTT-3.6.1-1]
inline byte_vector v311_pubcomp() {
  return from_hex("70 02 12 34");
}
inline byte_vector v311_subscribe() {
  // flags 0010, packet id 0x1235, filter_a QoS 1, filter_b QoS 0.
  return bytes_builder{}
      .hex("82 2d 12 35")
      .hex("00 13")
      .ascii(filter_a)
      .hex("01")
      .hex("00 12")
      .ascii(filter_b)
      .hex("00")
      .done();
}
inline byte_vector v311_suback() {
  return from_hex("90 04 12 35 01 00");
}
inline byte_vector v311_unsubscribe() {
  return bytes_builder{}.hex("a2 17 12 36").hex("00 13").ascii(filter_a).done();
}
inline byte_vector v311_unsuback() {
  return from_hex("b0 02 12 36");
}
inline byte_vector v311_pingreq() {
  return from_hex("c0 00");
}
inline byte_vector v311_pingresp() {
  return from_hex("d0 00");
}
inline byte_vector v311_disconnect() {
  return from_hex("e0 00");
}

// 5.0 (OASIS mqtt-v5.0 §3.2-§3.15). Properties are listed in the order our encoder writes
// them (the order of the packet's property table), so the same bytes serve as the encode
// check; any order is valid on the wire.
inline byte_vector v5_connack() {
  // no session, success; properties (13): Receive Maximum 20, Maximum QoS 1,
  // Maximum Packet Size 1 MiB, Topic Alias Maximum 10.
  return from_hex("20 10 00 00 0d 21 0014 24 01 27 00100000 22 000a");
}
inline byte_vector v5_puback() {
  return from_hex("40 03 12 34 10");
}  // No matching subscribers
inline byte_vector v5_pubrec() {
  return from_hex("50 02 12 34");
}  // short form: success
inline byte_vector v5_pubrel() {
  return from_hex("62 02 12 34");
}
inline byte_vector v5_pubcomp() {
  return from_hex("70 02 12 34");
}
inline byte_vector v5_subscribe() {
  // packet id 0x1235; properties (2): Subscription Identifier 7; filter_a with QoS 1 and
  // Retain As Published (0x09), filter_b with QoS 0 and Retain Handling 2 (0x20).
  return bytes_builder{}
      .hex("82 30 12 35 02 0b 07")
      .hex("00 13")
      .ascii(filter_a)
      .hex("09")
      .hex("00 12")
      .ascii(filter_b)
      .hex("20")
      .done();
}
inline byte_vector v5_suback() {
  return from_hex("90 05 12 35 00 01 00");
}
inline byte_vector v5_unsubscribe() {
  return bytes_builder{}.hex("a2 18 12 36 00").hex("00 13").ascii(filter_a).done();
}
inline byte_vector v5_unsuback() {
  return from_hex("b0 04 12 36 00 00");
}
inline byte_vector v5_pingreq() {
  return from_hex("c0 00");
}
inline byte_vector v5_pingresp() {
  return from_hex("d0 00");
}
inline constexpr std::string_view v5_disconnect_reason = "shutting down";
inline byte_vector v5_disconnect() {
  // Server shutting down (0x8B) with Reason String.
  return bytes_builder{}.hex("e0 12 8b 10 1f 00 0d").ascii(v5_disconnect_reason).done();
}
inline constexpr std::string_view v5_auth_method = "SCRAM-SHA-256";
inline byte_vector v5_auth() {
  // Continue authentication (0x18): Authentication Method and 4 bytes of Authentication Data.
  return bytes_builder{}
      .hex("f0 19 18 17 15 00 0d")
      .ascii(v5_auth_method)
      .hex("16 0004 01020304")
      .done();
}

// ---- allocation counter ----------------------------------------------------------------------

// Counts calls of the replaceable global allocation functions; a benchmark reads it before and
// after its timed loop.
inline std::size_t& allocation_count() noexcept {
  static std::size_t n = 0;
  return n;
}

}  // namespace bench

// Replacements of the global allocation functions (one definition per program). Kept out of
// line: once inlined, GCC would pair a `new` expression with free() and warn.
#if defined(__GNUC__)
#define MQTTCODEC_BENCH_NOINLINE __attribute__((noinline))
#else
#define MQTTCODEC_BENCH_NOINLINE
#endif
MQTTCODEC_BENCH_NOINLINE void* operator new(std::size_t n) {
  ++bench::allocation_count();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  std::abort();
}
MQTTCODEC_BENCH_NOINLINE void* operator new[](std::size_t n) {
  ++bench::allocation_count();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  std::abort();
}
MQTTCODEC_BENCH_NOINLINE void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++bench::allocation_count();
  return std::malloc(n == 0 ? 1 : n);
}
MQTTCODEC_BENCH_NOINLINE void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  ++bench::allocation_count();
  return std::malloc(n == 0 ? 1 : n);
}
MQTTCODEC_BENCH_NOINLINE void operator delete(void* p) noexcept {
  std::free(p);
}
MQTTCODEC_BENCH_NOINLINE void operator delete[](void* p) noexcept {
  std::free(p);
}
MQTTCODEC_BENCH_NOINLINE void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
MQTTCODEC_BENCH_NOINLINE void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

#endif

// frame.hpp: incremental framing. The first byte of every packet type in every version,
// exact need_more hints, and the maximum packet size checked before the body arrives.
#include <string>

#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;
using mc::protocol_version;
using test::from_hex;

namespace {

// Flag nibble each packet type requires, from 3.1.1 Table 2.2 / 5.0 Table 2-2; -1 for PUBLISH
// (DUP, QoS, RETAIN) and for the reserved type 0.
constexpr int required_nibble[16] = {-1, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0};

bool type_exists(unsigned type, protocol_version v) {
  if (type == 0) return false;
  if (type == 15) return v == protocol_version::v5;  // AUTH
  return true;
}

}  // namespace

TEST_CASE("first byte: every type and flag nibble in every version", "[frame]") {
  for (const auto v : {protocol_version::v31, protocol_version::v311, protocol_version::v5}) {
    for (unsigned type = 0; type < 16; ++type) {
      for (unsigned flags = 0; flags < 16; ++flags) {
        const auto b0 = static_cast<std::uint8_t>(type << 4 | flags);
        INFO("version " << mc::to_string(v) << " first byte " << int{b0});
        bool valid = type_exists(type, v);
        mc::errc want = mc::errc::invalid_packet_type;
        if (valid && type == 3) {
          valid = (flags & 6u) != 6u;  // QoS 3 [MQTT-3.3.1-4]
          want = mc::errc::invalid_qos;
        } else if (valid) {
          // 3.1 allowed DUP on PUBREL, SUBSCRIBE and UNSUBSCRIBE (V3.1 §3.6, §3.8, §3.10).
          const bool dup_ok = v == protocol_version::v31 && required_nibble[type] == 2;
          valid = static_cast<int>(flags) == required_nibble[type] ||
                  (dup_ok && static_cast<int>(flags) == (required_nibble[type] | 8));
          want = mc::errc::invalid_header_flags;
        }
        // The decoders' test for one expected type agrees.
        for (unsigned t = 0; t < 16; ++t) {
          CHECK(mc::detail::is_first_byte_of(b0, static_cast<mc::packet_type>(t), v) ==
                (valid && t == type));
        }
        const std::uint8_t packet[] = {b0, 0x00};
        mc::frame_options o;
        o.version = v;
        const mc::frame f = mc::next_frame(mc::bytes_view(packet, 2), o);
        if (valid) {
          CHECK(f.status == mc::frame_status::complete);
          CHECK(f.size == 2);
          CHECK(static_cast<unsigned>(f.type) == type);
          CHECK(f.flags == flags);
        } else {
          CHECK(f.status == mc::frame_status::invalid);
          CHECK(f.err.code == want);
          CHECK(f.err.offset == 0);
        }
        // The first byte alone is judged at once: invalid, or need one more byte.
        const mc::frame g = mc::next_frame(mc::bytes_view(packet, 1), o);
        CHECK(g.status == (valid ? mc::frame_status::need_more : mc::frame_status::invalid));
        if (valid) CHECK(g.size == 1);
      }
    }
  }
}

TEST_CASE("header flag errors cite the packet's statement", "[frame]") {
  struct c {
    const char* hex;
    protocol_version v;
    const char* rule;
  };
  for (const c& x : {c{"6000", protocol_version::v311, "MQTT-3.6.1-1"},
                     c{"8000", protocol_version::v5, "MQTT-3.8.1-1"},
                     c{"a000", protocol_version::v311, "MQTT-3.10.1-1"},
                     c{"e100", protocol_version::v311, "MQTT-3.14.1-1"},
                     c{"f100", protocol_version::v5, "MQTT-3.15.1-1"},
                     c{"4100", protocol_version::v311, "MQTT-2.2.2-1"},
                     c{"4100", protocol_version::v5, "MQTT-2.1.3-1"},
                     c{"3600", protocol_version::v5, "MQTT-3.3.1-4"}}) {
    INFO(x.hex);
    mc::frame_options o;
    o.version = x.v;
    const mc::frame f = mc::next_frame(from_hex(x.hex), o);
    REQUIRE(f.status == mc::frame_status::invalid);
    REQUIRE(f.err.rule != nullptr);
    CHECK(std::string(f.err.rule) == x.rule);
  }
}

TEST_CASE("need_more says exactly how many more bytes", "[frame]") {
  struct c {
    const char* hex;
    std::size_t more;
  };
  for (const c& x : {c{"", 1}, c{"30", 1}, c{"3080", 1}, c{"30ff", 1}, c{"30ffff", 1},
                     c{"30ffffff", 1}, c{"3005", 5}, c{"3005 0003", 3}, c{"3005 0003 6162", 1},
                     c{"308001", 128}, c{"30ff7f", 16383}, c{"30808001", 16384},
                     c{"30ffffff7f", 268435455}, c{"30ffffff7f 00", 268435454}}) {
    INFO(x.hex);
    const auto bytes = from_hex(x.hex);
    const mc::frame f = mc::next_frame(bytes);
    CHECK(f.status == mc::frame_status::need_more);
    CHECK(f.size == x.more);
  }
  // Once the fixed header is whole, its facts are known before the body arrives.
  const mc::frame f = mc::next_frame(from_hex("32 8001"));
  CHECK(f.type == mc::packet_type::publish);
  CHECK(f.flags == 2);
  CHECK(f.header_size == 3);
  CHECK(f.remaining_length == 128);
}

TEST_CASE("complete frames stop at the packet's end", "[frame]") {
  const auto two = from_hex("3005 0003 616263 c000");
  const mc::frame f = mc::next_frame(two);
  REQUIRE(f.status == mc::frame_status::complete);
  CHECK(f.size == 7);
  CHECK(f.packet(two) == mc::bytes_view(two.data(), 7));
  CHECK(f.body(two) == mc::bytes_view(two.data() + 2, 5));
  const mc::frame g = mc::next_frame(mc::bytes_view(two).subview(f.size));
  REQUIRE(g.status == mc::frame_status::complete);
  CHECK(g.type == mc::packet_type::pingreq);
  CHECK(g.size == 2);
}

TEST_CASE("the maximum packet size is checked as soon as the length is known", "[frame]") {
  mc::frame_options o;
  o.max_packet_size = 100;
  // Two bytes announce a 129-byte packet: refused before a single body byte.
  mc::frame f = mc::next_frame(from_hex("30 7f"), o);
  CHECK(f.status == mc::frame_status::invalid);
  CHECK(f.err.code == mc::errc::packet_too_large);
  CHECK(f.err.offset == 1);
  // Exactly the limit passes, one more byte does not.
  f = mc::next_frame(from_hex("30 62"), o);  // 2 + 98 = 100
  CHECK(f.status == mc::frame_status::need_more);
  CHECK(f.size == 98);
  f = mc::next_frame(from_hex("30 63"), o);  // 101
  CHECK(f.status == mc::frame_status::invalid);
  CHECK(f.err.code == mc::errc::packet_too_large);
  // The largest packet MQTT can express passes the default limit, and a 1 MiB limit refuses
  // it from the five header bytes alone.
  const auto huge = from_hex("30 ffffff7f");
  CHECK(mc::next_frame(huge).status == mc::frame_status::need_more);
  o.max_packet_size = 1u << 20;
  f = mc::next_frame(huge, o);
  CHECK(f.status == mc::frame_status::invalid);
  CHECK(f.err.code == mc::errc::packet_too_large);
  // The size counts the fixed header: 2 bytes of header + 2 of body against a limit of 4/3.
  o.max_packet_size = 4;
  CHECK(mc::next_frame(from_hex("40 02 0001"), o).status == mc::frame_status::complete);
  o.max_packet_size = 3;
  CHECK(mc::next_frame(from_hex("40 02 0001"), o).status == mc::frame_status::invalid);
}

TEST_CASE("every spec vector frames as one complete packet", "[frame]") {
  for (const test::spec_vector& v : test::spec_vectors()) {
    INFO(v.name);
    mc::frame_options o;
    o.version = v.version;
    const mc::frame f = mc::next_frame(v.bytes, o);
    REQUIRE(f.status == mc::frame_status::complete);
    CHECK(f.size == v.bytes.size());
    CHECK(f.header_size + f.remaining_length == v.bytes.size());
    CHECK(static_cast<unsigned>(f.type) == (v.bytes[0] >> 4u));
  }
}

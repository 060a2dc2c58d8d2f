// sink.hpp: every sink receives the same bytes; a bounded sink refuses without writing; a
// gather sink leaves the payload where it is.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;
using mc::protocol_version;

namespace {

// A PUBLISH with a payload (W1 of bench-workloads.md, from 3.1.1 §3.3).
const test::byte_vector& w1() {
  static const auto b = test::from_hex(
      "3272002e73656e736f72732f6275696c64696e672d372f666c6f6f722d332f726f6f6d2d34322f74656d70"
      "6572617475726512347b2274223a32312e35372c2275223a2243222c227473223a313731373137313731372c"
      "22736571223a343234322c226964223a2262372d66332d723432227d20");
  return b;
}

mc::publish w1_packet() {
  auto r = mc::decode_as<mc::publish>(w1(), protocol_version::v311);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("span_sink writes the packet and refuses what does not fit", "[sink]") {
  const mc::publish p = w1_packet();
  std::array<std::uint8_t, 256> buf;
  buf.fill(0xEE);
  mc::span_sink s{buf};
  auto n = mc::encode(p, protocol_version::v311, s);
  REQUIRE(n);
  CHECK(*n == w1().size());
  CHECK(s.size() == w1().size());
  CHECK(s.written() == mc::bytes_view(w1()));

  // One byte short: buffer_too_small, nothing claimed, nothing written.
  std::vector<std::uint8_t> small(w1().size() - 1, 0xEE);
  mc::span_sink t{small};
  auto m = mc::encode(p, protocol_version::v311, t);
  REQUIRE_FALSE(m);
  CHECK(m.error().code == mc::errc::buffer_too_small);
  CHECK(t.size() == 0);
  for (const std::uint8_t b : small) CHECK(b == 0xEE);

  // Packets follow one another; a second that does not fit leaves the first intact.
  std::vector<std::uint8_t> room(w1().size() + 1, 0xEE);
  mc::span_sink u{room};
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, u));
  CHECK(u.size() == 2);
  auto no = mc::encode(p, protocol_version::v311, u);
  REQUIRE_FALSE(no);
  CHECK(no.error().code == mc::errc::buffer_too_small);
  CHECK(u.size() == 2);
  CHECK(room[2] == 0xEE);
  CHECK(test::to_hex(u.written()) == "c000");
  u.clear();
  CHECK(u.size() == 0);
  REQUIRE(mc::encode(p, protocol_version::v311, u));
  CHECK(u.written() == mc::bytes_view(w1()));

  // A plain writable range is a span_sink from its start.
  std::array<std::uint8_t, 2> tiny{};
  auto r = mc::encode(p, protocol_version::v311, tiny);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == mc::errc::buffer_too_small);
  CHECK(mc::encode(mc::pingresp{}, protocol_version::v311, tiny));
  CHECK(test::to_hex(tiny) == "d000");
}

TEST_CASE("container_sink appends to what the container holds", "[sink]") {
  const mc::publish p = w1_packet();
  std::vector<std::uint8_t> v{0x01, 0x02};
  mc::container_sink<std::vector<std::uint8_t>> s{v};
  REQUIRE(mc::encode(p, protocol_version::v311, s));
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, s));
  CHECK(test::to_hex(v) == "0102" + test::to_hex(w1()) + "c000");

  std::string str = "x";
  mc::container_sink<std::string> t{str};
  REQUIRE(mc::encode(mc::disconnect{}, protocol_version::v311, t));
  CHECK(str == std::string("x\xE0\x00", 3));
}

TEST_CASE("gather_sink keeps the payload by reference", "[sink]") {
  const mc::publish p = w1_packet();
  std::array<std::uint8_t, 64> header{};
  mc::gather_sink g{header};
  auto n = mc::encode(p, protocol_version::v311, g);
  REQUIRE(n);
  CHECK(*n == w1().size());
  CHECK(g.size() == w1().size());
  // The payload is the caller's: same pointer, same length.
  CHECK(g.payload().data() == p.payload.data());
  CHECK(g.payload().size() == 64);
  // header() + payload() is byte for byte what span_sink writes.
  std::string joined = std::string(g.header().as_chars()) + std::string(g.payload().as_chars());
  CHECK(test::to_hex(mc::as_bytes(joined)) == test::to_hex(w1()));
  CHECK(g.header().size() == w1().size() - 64);

  // Packets without a payload go wholly into the header; the payload view is empty.
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, g));
  CHECK(test::to_hex(g.header()) == "c000");
  CHECK(g.payload().empty());

  // The header must fit; the payload never needs room.
  std::array<std::uint8_t, 8> small{};
  mc::gather_sink h{small};
  auto r = mc::encode(p, protocol_version::v311, h);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == mc::errc::buffer_too_small);
  std::array<std::uint8_t, 52> exact{};  // 2 + 2 + 46 + 2 header bytes
  mc::gather_sink k{exact};
  REQUIRE(mc::encode(p, protocol_version::v311, k));
  CHECK(k.payload().data() == p.payload.data());
}

TEST_CASE("every sink sees the same bytes for every spec vector", "[sink]") {
  for (const test::spec_vector& v : test::spec_vectors()) {
    INFO(v.name);
    auto d = mc::decode(v.bytes, v.version);
    REQUIRE(d);
    mc::size_sink size;
    auto ns = mc::encode(*d, v.version, size);
    REQUIRE(ns);
    CHECK(size.size == *ns);
    std::vector<std::uint8_t> span_buf(*ns);
    mc::span_sink span{span_buf};
    REQUIRE(mc::encode(*d, v.version, span));
    CHECK(span.size() == *ns);
    std::vector<std::uint8_t> vec;
    REQUIRE(mc::encode(*d, v.version, mc::container_sink<std::vector<std::uint8_t>>(vec)));
    CHECK(vec == span_buf);
    std::array<std::uint8_t, 512> hdr{};
    mc::gather_sink g{hdr};
    REQUIRE(mc::encode(*d, v.version, g));
    std::vector<std::uint8_t> joined(g.header().begin(), g.header().end());
    joined.insert(joined.end(), g.payload().begin(), g.payload().end());
    CHECK(joined == span_buf);
    if (const auto* p = std::get_if<mc::publish>(&*d); p != nullptr && !p->payload.empty()) {
      CHECK(g.payload().data() == p->payload.data());
    }
  }
}

TEST_CASE("size_sink saturates instead of wrapping", "[sink]") {
  // Where size_t has 32 bits, 16 packets of 256 MiB add up past it.
  mc::size_sink size;
  size.size = SIZE_MAX - 1;
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, size));
  CHECK(size.size == SIZE_MAX);
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, size));
  CHECK(size.size == SIZE_MAX);
  size.size = SIZE_MAX - 2;
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, size));
  CHECK(size.size == SIZE_MAX);  // exactly full
  size.size = 5;
  REQUIRE(mc::encode(mc::pingreq{}, protocol_version::v311, size));
  CHECK(size.size == 7);
}

namespace {
// A user sink: only prepare(), counting the calls. The encoder asks once per packet.
struct counting_sink {
  std::array<std::uint8_t, 64> buf{};
  int calls = 0;
  std::size_t asked = 0;
  std::uint8_t* prepare(std::size_t n) {
    ++calls;
    asked = n;
    return n <= buf.size() ? buf.data() : nullptr;
  }
};
}  // namespace

TEST_CASE("a user-defined sink is asked once for the exact size", "[sink]") {
  STATIC_REQUIRE(mc::sink_traits<counting_sink>::is_sink);
  STATIC_REQUIRE_FALSE(mc::sink_traits<counting_sink>::gathers_payload);
  STATIC_REQUIRE(mc::sink_traits<mc::gather_sink>::gathers_payload);
  STATIC_REQUIRE(mc::sink_traits<mc::size_sink>::counts_only);
  counting_sink s;
  mc::puback a;
  a.packet_id = 9;
  REQUIRE(mc::encode(a, protocol_version::v311, s));
  CHECK(s.calls == 1);
  CHECK(s.asked == 4);
  CHECK(test::to_hex(mc::bytes_view(s.buf.data(), 4)) == "40020009");
}

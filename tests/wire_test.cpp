// wire.hpp: the variable byte integer (3.1.1 §2.2.3, 5.0 §1.5.5) both ways, and the bounds-
// checked reader / exact writer of integers, strings and binary data.
#include <array>
#include <string>
#include <vector>

#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;
using test::from_hex;

namespace {

struct varint_case {
  std::uint32_t value;
  const char* hex;  // from the table of 3.1.1 §2.2.3 / 5.0 §1.5.5
};

constexpr varint_case boundaries[] = {
    {0, "00"},         {127, "7f"},         {128, "8001"},         {16383, "ff7f"},
    {16384, "808001"}, {2097151, "ffff7f"}, {2097152, "80808001"}, {268435455, "ffffff7f"},
};

mc::varint_parse parse(const test::byte_vector& b) {
  return mc::parse_varint(b.data(), b.data() + b.size());
}

}  // namespace

TEST_CASE("variable byte integer boundaries decode and encode", "[wire]") {
  for (const varint_case& c : boundaries) {
    INFO(c.value << " = " << c.hex);
    const auto bytes = from_hex(c.hex);
    const auto p = parse(bytes);
    CHECK(p.status == mc::varint_parse::ok);
    CHECK(p.value == c.value);
    CHECK(p.size == bytes.size());
    CHECK(mc::varint_size(c.value) == bytes.size());
    std::array<std::uint8_t, 4> out{};
    mc::detail::writer w{out.data()};
    w.varint(c.value);
    CHECK(static_cast<std::size_t>(w.p - out.data()) == bytes.size());
    CHECK(test::to_hex(mc::bytes_view(out.data(), bytes.size())) == c.hex);
    // Every strict prefix needs more, and trailing bytes are not consumed.
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      CHECK(mc::parse_varint(bytes.data(), bytes.data() + n).status == mc::varint_parse::need_more);
    }
    auto longer = bytes;
    longer.push_back(0xFF);
    CHECK(parse(longer).size == bytes.size());
    CHECK(parse(longer).value == c.value);
  }
  CHECK(mc::max_varint == 268435455u);
  CHECK(mc::max_packet_size == 268435455u + 5);
}

TEST_CASE("non-minimal variable byte integers are reported, and accepted with the leniency",
          "[wire]") {
  struct nm {
    const char* hex;
    std::uint32_t value;
  };
  for (const nm& c :
       {nm{"8000", 0}, nm{"ff00", 127}, nm{"808000", 0}, nm{"ff8000", 127}, nm{"80808000", 0},
        nm{"ffff00", 16383}, nm{"ffffff00", 2097151}, nm{"808100", 128}}) {
    INFO(c.hex);
    const auto bytes = from_hex(c.hex);
    const auto p = parse(bytes);
    CHECK(p.status == mc::varint_parse::non_minimal);
    CHECK(p.value == c.value);
    CHECK(p.size == bytes.size());

    // As a remaining length: refused by default [MQTT-1.5.5-1], accepted when asked.
    const auto packet = from_hex(std::string("30") + c.hex);
    mc::frame_options strict;
    strict.version = mc::protocol_version::v5;
    const mc::frame f = mc::next_frame(packet, strict);
    CHECK(f.status == mc::frame_status::invalid);
    CHECK(f.err.code == mc::errc::non_minimal_length);
    CHECK(f.err.offset == 1);
    mc::frame_options lenient = strict;
    lenient.allow_non_minimal_length = true;
    const mc::frame g = mc::next_frame(packet, lenient);
    CHECK(g.status != mc::frame_status::invalid);
    CHECK(g.remaining_length == c.value);
    CHECK(g.header_size == 1 + bytes.size());
  }
}

TEST_CASE("a fifth length byte is refused", "[wire]") {
  for (const char* hex : {"ffffffff7f", "8080808000", "8080808001", "ffffffff"}) {
    INFO(hex);
    const auto bytes = from_hex(hex);
    const auto p = parse(bytes);
    CHECK(p.status == mc::varint_parse::too_long);
    // Never reads more than four bytes, whatever follows.
    CHECK(p.size == 4);
    const mc::frame f = mc::next_frame(from_hex(std::string("30") + hex));
    CHECK(f.status == mc::frame_status::invalid);
    CHECK(f.err.code == mc::errc::invalid_remaining_length);
  }
}

TEST_CASE("reader reads big-endian integers, strings and binary data with bounds checks",
          "[wire]") {
  const auto bytes = from_hex("ab 1234 01020304 0003 616263 0000 0002 ff00");
  mc::detail::reader r{bytes.data(), bytes.data(), bytes.data() + bytes.size(), false};
  std::uint8_t b = 0;
  std::uint16_t s = 0;
  std::uint32_t u = 0;
  std::string_view str;
  std::string_view empty = "x";
  mc::bytes_view bin;
  REQUIRE(r.u8(b));
  CHECK(b == 0xAB);
  REQUIRE(r.u16(s));
  CHECK(s == 0x1234);
  REQUIRE(r.u32(u));
  CHECK(u == 0x01020304u);
  REQUIRE(r.string(str));
  CHECK(str == "abc");
  CHECK(str.data() == reinterpret_cast<const char*>(bytes.data() + 9));
  REQUIRE(r.string(empty));
  CHECK(empty.empty());
  REQUIRE(r.binary(bin));
  CHECK(bin == mc::bytes_view(from_hex("ff00")));
  CHECK(r.left() == 0);
  CHECK_FALSE(r.u8(b));
  CHECK(r.err.code == mc::errc::truncated);
  CHECK(r.err.offset == bytes.size());

  // A length prefix running past the end fails at the field's start and consumes nothing.
  const auto cut = from_hex("00 0005 6162");
  mc::detail::reader r2{cut.data(), cut.data() + 1, cut.data() + cut.size(), true};
  CHECK_FALSE(r2.binary(bin));
  CHECK(r2.err.code == mc::errc::truncated);
  CHECK(r2.err.offset == 1);
  CHECK(r2.p == cut.data() + 1);
  mc::detail::reader r3{cut.data(), cut.data() + 4, cut.data() + cut.size(), true};
  CHECK_FALSE(r3.u32(u));
  const bool both = r3.u16(s) && r3.u16(s);
  CHECK_FALSE(both);

  // A string that is not UTF-8 fails at the offending byte, with the version's statement id.
  const auto bad = from_hex("0004 6162 c080");
  mc::detail::reader r4{bad.data(), bad.data(), bad.data() + bad.size(), true};
  CHECK_FALSE(r4.string(str));
  CHECK(r4.err.code == mc::errc::invalid_utf8);
  CHECK(r4.err.offset == 4);
  CHECK(std::string(r4.err.rule) == "MQTT-1.5.4-1");
  mc::detail::reader r5{bad.data(), bad.data(), bad.data() + bad.size(), false};
  r5.check_utf8 = false;
  CHECK(r5.string(str));
}

TEST_CASE("the reader's string check agrees with check_utf8 whatever bytes precede the string",
          "[wire][utf8]") {
  // The reader settles a short plain string with one 16-byte load ending where the string ends,
  // which also reads bytes of the packet before it: NULs and 0xFF here must change nothing.
  // Strings of 0-18 bytes after 0-20 such bytes, plain or with one NUL, one byte >= 0x80 or
  // one well-formed 2-byte sequence at each position.
  int checked = 0;
  for (std::size_t before = 0; before <= 20; ++before) {
    for (std::size_t n = 0; n <= 18; ++n) {
      std::vector<std::string> contents{std::string(n, 'a')};
      for (std::size_t i = 0; i < n; ++i) {
        for (const char bad : {'\x00', '\x80', '\xFF'}) {
          contents.push_back(std::string(n, 'a'));
          contents.back()[i] = bad;
        }
        if (i + 1 < n) {
          contents.push_back(std::string(n, 'a'));
          contents.back().replace(i, 2, "\xC3\xA9");
        }
      }
      for (const std::string& text : contents) {
        test::byte_vector packet;
        for (std::size_t i = 0; i < before; ++i) packet.push_back(i % 2 ? 0xFF : 0x00);
        packet.push_back(0);
        packet.push_back(static_cast<std::uint8_t>(n));
        packet.insert(packet.end(), text.begin(), text.end());
        mc::detail::reader r{packet.data(), packet.data() + before, packet.data() + packet.size(),
                             true};
        std::string_view out;
        const mc::utf8_status want = mc::check_utf8(text);
        INFO("before " << before << ", string " << test::to_hex(text));
        REQUIRE(r.string(out) == static_cast<bool>(want));
        if (!want) {
          CHECK(r.err.code == want.code);
          CHECK(r.err.offset == before + 2 + want.offset);
        } else {
          CHECK(out == text);
        }
        ++checked;
      }
    }
  }
  CHECK(checked == 21 * (19 + 3 * 171 + 153));
}

TEST_CASE("writer writes big-endian fields", "[wire]") {
  std::array<std::uint8_t, 32> out{};
  mc::detail::writer w{out.data()};
  w.u8(0xAB);
  w.u16(0x1234);
  w.u32(0x01020304u);
  w.string("abc");
  w.binary(mc::bytes_view(from_hex("ff00")));
  w.varint(321);
  const auto n = static_cast<std::size_t>(w.p - out.data());
  CHECK(test::to_hex(mc::bytes_view(out.data(), n)) ==
        test::to_hex(from_hex("ab 1234 01020304 0003 616263 0002 ff00 c102")));
}

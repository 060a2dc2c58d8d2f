// bytes.hpp: read-only and writable byte views over any contiguous range of 1-byte elements.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;

TEST_CASE("bytes_view is built from any contiguous range of 1-byte elements", "[bytes]") {
  const std::string s = "abc";
  const std::vector<char> vc{'a', 'b', 'c'};
  const std::vector<std::uint8_t> vu{0x61, 0x62, 0x63};
  const std::array<std::byte, 3> ab{std::byte{0x61}, std::byte{0x62}, std::byte{0x63}};
  const unsigned char raw[3] = {0x61, 0x62, 0x63};
  const mc::bytes_view a = s, b = vc, c = vu, d = ab, e = raw;
  for (const mc::bytes_view& v : {a, b, c, d, e}) {
    CHECK(v.size() == 3);
    CHECK(v == mc::as_bytes("abc"));
    CHECK(v.as_chars() == "abc");
  }
  // Views, not copies.
  CHECK(a.data() == reinterpret_cast<const std::uint8_t*>(s.data()));
  CHECK(c.data() == vu.data());
  // Incompatible element types do not convert.
  STATIC_REQUIRE_FALSE(std::is_convertible_v<const std::vector<int>&, mc::bytes_view>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<const std::vector<char16_t>&, mc::bytes_view>);
}

TEST_CASE("bytes_view refuses a string literal, whose size counts its NUL", "[bytes]") {
  // `c.password = "secret"` would otherwise send 7 bytes, the last a NUL: a broker that
  // compares bytes refuses the login, one that compares C strings (mosquitto) accepts it.
  STATIC_REQUIRE_FALSE(std::is_constructible_v<mc::bytes_view, const char(&)[7]>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<const char(&)[7], mc::bytes_view>);
  STATIC_REQUIRE_FALSE(std::is_assignable_v<std::optional<mc::bytes_view>&, const char(&)[7]>);
  STATIC_REQUIRE_FALSE(std::is_assignable_v<mc::bytes_view&, const char(&)[4]>);
#ifdef __cpp_char8_t
  STATIC_REQUIRE_FALSE(std::is_convertible_v<const char8_t(&)[7], mc::bytes_view>);
#endif
  CHECK(mc::as_bytes("secret").size() == 6);
  // A writable char array is a buffer, all of it; so are arrays of other 1-byte types.
  char buffer[9] = {};
  const mc::bytes_view whole = buffer;
  CHECK(whole.size() == 9);
  CHECK(whole.data() == reinterpret_cast<const std::uint8_t*>(buffer));
  const std::uint8_t binary[4] = {1, 2, 3, 0};
  CHECK(mc::bytes_view(binary).size() == 4);
}

TEST_CASE("bytes_view accessors and comparison", "[bytes]") {
  const auto bytes = test::from_hex("00 01 02 03 04");
  const mc::bytes_view v = bytes;
  CHECK_FALSE(v.empty());
  CHECK(v[4] == 4);
  CHECK(v.end() - v.begin() == 5);
  CHECK(v.subview(2) == mc::bytes_view(test::from_hex("02 03 04")));
  CHECK(v.subview(1, 2) == mc::bytes_view(test::from_hex("01 02")));
  CHECK(v.subview(5).empty());
  CHECK(v != v.subview(1));
  CHECK(mc::bytes_view{} == mc::bytes_view{});
  CHECK(mc::bytes_view{}.empty());
  // Equality compares contents: an empty view with a null pointer equals any other empty one.
  CHECK(mc::bytes_view{} == v.subview(5));
  const auto other = test::from_hex("00 01 02 03 05");
  CHECK(v != mc::bytes_view(other));
}

TEST_CASE("mutable_bytes_view writes through and converts to bytes_view", "[bytes]") {
  std::array<std::uint8_t, 4> a{};
  mc::mutable_bytes_view m = a;
  CHECK(m.size() == 4);
  m[1] = 0x7F;
  CHECK(a[1] == 0x7F);
  const mc::bytes_view r = m;
  CHECK(r.data() == a.data());
  CHECK(r.size() == 4);
  std::string s = "xy";
  mc::mutable_bytes_view ms = s;
  ms[0] = 'z';
  CHECK(s == "zy");
  // A const range is not writable.
  STATIC_REQUIRE_FALSE(std::is_constructible_v<mc::mutable_bytes_view, const std::string&>);
  STATIC_REQUIRE_FALSE(
      std::is_constructible_v<mc::mutable_bytes_view, const std::array<std::uint8_t, 2>&>);
}

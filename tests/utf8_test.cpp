// utf8.hpp: MQTT strings (3.1.1 §1.5.3, 5.0 §1.5.4) against RFC 3629's boundaries, and
// exhaustively against a reference decoder written here from the RFC's definition.
#include <string>
#include <string_view>

#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;

namespace {

// Reference: decode code point by code point the textbook way (bit patterns, then value
// ranges), independent of the library's table of second-byte ranges.
mc::utf8_status reference_check(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned c = p[i];
    std::size_t len;
    std::uint32_t cp;
    std::uint32_t min;
    if (c < 0x80) {
      if (c == 0) return {mc::errc::utf8_null_character, i};
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return {mc::errc::invalid_utf8, i};
    }
    if (s.size() - i < len) return {mc::errc::invalid_utf8, i};
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return {mc::errc::invalid_utf8, i};
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return {mc::errc::invalid_utf8, i};
    }
    i += len;
  }
  return {};
}

std::string bytes(std::initializer_list<unsigned> l) {
  std::string s;
  for (const unsigned b : l) s += static_cast<char>(b);
  return s;
}

void expect_invalid(const std::string& s, std::size_t offset,
                    mc::errc code = mc::errc::invalid_utf8) {
  INFO(test::to_hex(mc::as_bytes(s)));
  const auto st = mc::check_utf8(s);
  CHECK_FALSE(st);
  CHECK(st.code == code);
  CHECK(st.offset == offset);
  CHECK_FALSE(mc::is_valid_utf8(s));
}

void expect_valid(const std::string& s) {
  INFO(test::to_hex(mc::as_bytes(s)));
  const auto st = mc::check_utf8(s);
  CHECK(st);
  CHECK(mc::is_valid_utf8(s));
}

}  // namespace

TEST_CASE("RFC 3629 boundaries", "[utf8]") {
  expect_valid("");
  expect_valid("plain ascii, longer than one eight-byte word");
  // First and last code point of each length.
  expect_valid(bytes({0x01}));
  expect_valid(bytes({0x7F}));
  expect_valid(bytes({0xC2, 0x80}));              // U+0080
  expect_valid(bytes({0xDF, 0xBF}));              // U+07FF
  expect_valid(bytes({0xE0, 0xA0, 0x80}));        // U+0800
  expect_valid(bytes({0xED, 0x9F, 0xBF}));        // U+D7FF, just below the surrogates
  expect_valid(bytes({0xEE, 0x80, 0x80}));        // U+E000, just above
  expect_valid(bytes({0xEF, 0xBF, 0xBF}));        // U+FFFF, a noncharacter: allowed
  expect_valid(bytes({0xEF, 0xBF, 0xBE}));        // U+FFFE, a noncharacter: allowed
  expect_valid(bytes({0xF0, 0x90, 0x80, 0x80}));  // U+10000
  expect_valid(bytes({0xF4, 0x8F, 0xBF, 0xBF}));  // U+10FFFF
  // Control characters other than U+0000 are allowed (a receiver MAY refuse them).
  expect_valid(bytes({0x01, 0x1F, 0x7F, 0xC2, 0x80, 0xC2, 0x9F}));
  // U+FEFF is an ordinary character, wherever it stands [MQTT-1.5.3-3] [MQTT-1.5.4-3].
  expect_valid(bytes({0xEF, 0xBB, 0xBF, 0x61}));
  expect_valid(bytes({0x61, 0xEF, 0xBB, 0xBF}));

  // U+0000 [MQTT-1.5.3-2], also inside an otherwise ASCII word.
  expect_invalid(bytes({0x00}), 0, mc::errc::utf8_null_character);
  expect_invalid(std::string("abcdefg\0hij", 11), 7, mc::errc::utf8_null_character);
  expect_invalid(std::string("abcdefgh\0", 9), 8, mc::errc::utf8_null_character);
  // Overlong forms.
  expect_invalid(bytes({0xC0, 0x80}), 0);
  expect_invalid(bytes({0xC1, 0xBF}), 0);
  expect_invalid(bytes({0xE0, 0x80, 0x80}), 0);
  expect_invalid(bytes({0xE0, 0x9F, 0xBF}), 0);
  expect_invalid(bytes({0xF0, 0x80, 0x80, 0x80}), 0);
  expect_invalid(bytes({0xF0, 0x8F, 0xBF, 0xBF}), 0);
  // Surrogates U+D800..U+DFFF.
  expect_invalid(bytes({0xED, 0xA0, 0x80}), 0);
  expect_invalid(bytes({0xED, 0xAD, 0xBF}), 0);
  expect_invalid(bytes({0xED, 0xB0, 0x80}), 0);
  expect_invalid(bytes({0xED, 0xBF, 0xBF}), 0);
  // Above U+10FFFF, and lead bytes that never occur.
  expect_invalid(bytes({0xF4, 0x90, 0x80, 0x80}), 0);
  expect_invalid(bytes({0xF5, 0x80, 0x80, 0x80}), 0);
  expect_invalid(bytes({0xF8, 0x88, 0x80, 0x80, 0x80}), 0);
  expect_invalid(bytes({0xFE}), 0);
  expect_invalid(bytes({0xFF}), 0);
  // Continuation bytes without a lead.
  expect_invalid(bytes({0x80}), 0);
  expect_invalid(bytes({0x61, 0xBF}), 1);
  // Truncated sequences, at the end and followed by ASCII.
  expect_invalid(bytes({0xC2}), 0);
  expect_invalid(bytes({0xE0, 0xA0}), 0);
  expect_invalid(bytes({0xF0, 0x90, 0x80}), 0);
  expect_invalid(bytes({0x61, 0x62, 0xE2, 0x82}), 2);
  expect_invalid(bytes({0xE2, 0x82, 0x41}), 0);
  expect_invalid(bytes({0xF0, 0x90, 0x41, 0x80}), 0);
  // The offset is that of the offending sequence after valid multi-byte ones.
  expect_invalid(bytes({0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xC0, 0x80}), 5);
  expect_invalid(std::string("0123456789abcdef") + bytes({0xED, 0xA0, 0x80}), 16);
}

TEST_CASE("all 1- and 2-byte sequences agree with the reference decoder", "[utf8]") {
  std::size_t mismatches = 0;
  for (unsigned a = 0; a < 256; ++a) {
    const std::string s = bytes({a});
    const auto got = mc::check_utf8(s);
    const auto want = reference_check(s);
    if (got.code != want.code || got.offset != want.offset) ++mismatches;
  }
  // The same byte pair at every alignment inside an ASCII run, so the eight-bytes-at-a-time
  // path meets every sequence at every position of its word.
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) {
      const std::string pair = bytes({a, b});
      for (std::size_t pad = 0; pad <= 9; pad += (pad < 2 ? 1 : 7)) {
        const std::string s = std::string(pad, 'x') + pair + std::string(9 - pad, 'y');
        const auto got = mc::check_utf8(s);
        const auto want = reference_check(s);
        if (got.code != want.code || got.offset != want.offset) {
          if (++mismatches < 10) FAIL_CHECK("mismatch on " << test::to_hex(mc::as_bytes(s)));
        }
      }
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("one odd byte at every position of strings up to 80 bytes", "[utf8]") {
  // Every length and position meets the 4-, 8- and 16-byte ASCII tests (the three-vector form
  // up to 48 bytes, the loop beyond), and the full check's own word skipping.
  std::size_t mismatches = 0;
  for (std::size_t len = 1; len <= 80; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (const unsigned odd : {0x00u, 0x7Fu, 0x80u, 0xC3u, 0xFFu}) {
        std::string s(len, 'a');
        s[at] = static_cast<char>(odd);
        const auto got = mc::check_utf8(s);
        const auto want = reference_check(s);
        if (got.code != want.code || got.offset != want.offset) {
          if (++mismatches < 10) FAIL_CHECK("mismatch on " << test::to_hex(mc::as_bytes(s)));
        }
      }
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("all 3-byte sequences agree with the reference decoder", "[utf8][slow]") {
  std::size_t mismatches = 0;
  std::size_t valid = 0;
  char s[3];
  for (unsigned a = 0; a < 256; ++a) {
    s[0] = static_cast<char>(a);
    for (unsigned b = 0; b < 256; ++b) {
      s[1] = static_cast<char>(b);
      for (unsigned c = 0; c < 256; ++c) {
        s[2] = static_cast<char>(c);
        const std::string_view v(s, 3);
        const auto got = mc::check_utf8(v);
        const auto want = reference_check(v);
        if (got.code != want.code || got.offset != want.offset) {
          if (++mismatches < 10) FAIL_CHECK("mismatch on " << test::to_hex(mc::as_bytes(v)));
        }
        if (got) ++valid;
      }
    }
  }
  CHECK(mismatches == 0);
  // Independent count of valid 3-byte strings: every split into code points of lengths
  // (1,1,1), (1,2), (2,1), (3), with 127 non-NUL ASCII, 1920 two-byte and 61440 three-byte
  // code points (U+0800..U+FFFF minus 2048 surrogates).
  const std::size_t ascii = 127, two = 0x800 - 0x80, three = 0x10000 - 0x800 - 0x800;
  CHECK(valid == ascii * ascii * ascii + 2 * ascii * two + three);
}

TEST_CASE("4-byte sequences agree with the reference decoder", "[utf8]") {
  const unsigned tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF};
  std::size_t mismatches = 0;
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) {
      for (const unsigned c : tails) {
        for (const unsigned d : tails) {
          const std::string s = bytes({a, b, c, d});
          const auto got = mc::check_utf8(s);
          const auto want = reference_check(s);
          if (got.code != want.code || got.offset != want.offset) {
            if (++mismatches < 10) FAIL_CHECK("mismatch on " << test::to_hex(mc::as_bytes(s)));
          }
        }
      }
    }
  }
  CHECK(mismatches == 0);
}

// mqttcodec: validation of MQTT UTF-8 strings (3.1.1 §1.5.3, 5.0 §1.5.4).
#ifndef MQTTCODEC_UTF8_HPP
#define MQTTCODEC_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "mqttcodec/config.hpp"
#include "mqttcodec/error.hpp"

#if defined(__SSE2__) && !defined(__OPTIMIZE_SIZE__)
#include <emmintrin.h>
#endif

MQTTCODEC_NAMESPACE_BEGIN

/// Outcome of a UTF-8 check: `code` is errc{} (0) when the string is valid, else
/// errc::invalid_utf8 or errc::utf8_null_character with the offset of the offending sequence.
struct utf8_status {
  errc code{};             ///< errc{} when valid
  std::size_t offset = 0;  ///< where the offending sequence starts, when invalid
  /// True when the string is valid.
  constexpr explicit operator bool() const noexcept { return code == errc{}; }
};

namespace detail {

// High bit of every byte of an 8-byte word, to test eight bytes for ASCII at once.
inline constexpr std::uint64_t high_bits = 0x8080808080808080ull;

// A word has a zero byte iff (w - 0x01..) & ~w & 0x80.. is non-zero (the classic SWAR test).
constexpr bool has_zero_byte(std::uint64_t w) noexcept {
  return ((w - 0x0101010101010101ull) & ~w & high_bits) != 0;
}

}  // namespace detail

namespace detail {

// True when `s` is ASCII without U+0000, which is the common case of every MQTT string and
// settles it as valid: from 16 bytes on, 16-byte SSE2 vectors (three overlapping ones and no
// loop up to 48 bytes); else whole 8-byte words (the tail as the string's last 8 bytes), or
// for 4-7 bytes two overlapping 4-byte words. Any other string takes the full check.
#if defined(__SSE2__) && !defined(__OPTIMIZE_SIZE__)
// True when `clean(v)` is all-ones for every 16-byte vector of [p, p + n), n >= 16. The first
// and last 16 bytes overlap when n < 32 (an overlap is checked twice, harmlessly); up to 48
// bytes one more vector in the middle covers the gap, so the usual string takes three loads
// and no loop. Shared by the plain-ASCII and plain-topic tests.
template <class Clean>
MQTTCODEC_HOT_INLINE bool all_vectors_clean(const void* data, std::size_t n, Clean clean) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  auto at = [&](std::size_t i) {
    return clean(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
  };
  __m128i b = _mm_and_si128(at(0), at(n - 16));
  if (MQTTCODEC_LIKELY(n <= 48)) {
    b = _mm_and_si128(b, at((n - 16) / 2));
  } else {
    for (std::size_t i = 16; i < n - 16; i += 16) b = _mm_and_si128(b, at(i));
  }
  return _mm_movemask_epi8(b) == 0xFFFF;
}

// All-ones in the lanes of `v` that hold 0x01-0x7F (ASCII without U+0000): a signed compare
// with zero.
MQTTCODEC_HOT_INLINE __m128i ascii_lanes(__m128i v) noexcept {
  return _mm_cmpgt_epi8(v, _mm_setzero_si128());
}

// is_plain_ascii of the last n <= 16 bytes before `end`, for a caller that knows the 16 bytes
// before `end` are readable (a decoder, inside its packet): one load and a mask instead of
// choosing among word sizes, for the short strings that most properties and ids are.
MQTTCODEC_HOT_INLINE bool is_plain_ascii_before(const unsigned char* end, std::size_t n) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
  const auto clean = static_cast<unsigned>(_mm_movemask_epi8(ascii_lanes(v)));
  return ((~clean & 0xFFFFu) >> (16 - n)) == 0;  // the string is the top n lanes
}
#endif

MQTTCODEC_HOT_INLINE bool is_plain_ascii(const unsigned char* p, std::size_t n) noexcept {
#if defined(__SSE2__) && !defined(__OPTIMIZE_SIZE__)
  if (n >= 16) {
    return all_vectors_clean(p, n, [](__m128i v) { return ascii_lanes(v); });
  }
#endif
  if (n >= 8) {
    std::uint64_t bad = 0;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      bad |= w | ((w - 0x0101010101010101ull) & ~w);
    }
    if (i != n) {
      std::uint64_t w;
      std::memcpy(&w, p + n - 8, 8);
      bad |= w | ((w - 0x0101010101010101ull) & ~w);
    }
    return (bad & high_bits) == 0;
  }
  if (n >= 4) {
    std::uint32_t a;
    std::uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    const std::uint32_t bad = a | b | ((a - 0x01010101u) & ~a) | ((b - 0x01010101u) & ~b);
    return (bad & 0x80808080u) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<unsigned>(p[i]) - 1u >= 0x7Fu) return false;  // 0 or >= 0x80
  }
  return true;
}

// The full check of check_utf8, for strings that are not plain ASCII.
inline utf8_status check_utf8_slow(std::string_view s) noexcept;

}  // namespace detail

/// Checks that `s` is an MQTT string: well-formed UTF-8 (no overlong forms, no UTF-16
/// surrogates U+D800..U+DFFF, nothing above U+10FFFF) without U+0000. Non-characters and
/// control characters are allowed, as both specs allow them (a receiver MAY reject them).
/// Plain ASCII is settled inline, a word at a time; anything else takes the full check.
MQTTCODEC_HOT_INLINE utf8_status check_utf8(std::string_view s) noexcept {
#ifndef __OPTIMIZE_SIZE__  // builds for size keep one copy of the check
  if (MQTTCODEC_LIKELY(
          detail::is_plain_ascii(reinterpret_cast<const unsigned char*>(s.data()), s.size()))) {
    return {};
  }
#endif
  return detail::check_utf8_slow(s);
}

inline utf8_status detail::check_utf8_slow(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path: whole words of printable-or-control ASCII without a NUL.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & detail::high_bits) != 0 || detail::has_zero_byte(w)) break;
      i += 8;
    }
    if (i >= n) break;
    // Under 8 bytes left: the string's last 8 bytes as one word settle an ASCII tail at once.
    if (n - i < 8 && n >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p + n - 8, 8);
      if ((w & detail::high_bits) == 0 && !detail::has_zero_byte(w)) break;
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) return {errc::utf8_null_character, i};
      ++i;
      continue;
    }
    // Multi-byte sequence: lead byte decides length and the range of the second byte, which is
    // where overlongs, surrogates and values above U+10FFFF are excluded (RFC 3629 table).
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return {errc::invalid_utf8, i};
    }
    if (n - i < len) return {errc::invalid_utf8, i};
    if (p[i + 1] < lo || p[i + 1] > hi) return {errc::invalid_utf8, i};
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return {errc::invalid_utf8, i};
    }
    i += len;
  }
  return {};
}

/// True when `s` passes check_utf8.
inline bool is_valid_utf8(std::string_view s) noexcept {
  return static_cast<bool>(check_utf8(s));
}

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: wire primitives (MQTT 3.1.1 §1.5, 5.0 §1.5): two- and four-byte big-endian
// integers, the variable byte integer, UTF-8 strings, binary data and string pairs; a bounds-
// checked reader for decoding and an unchecked writer for encoding into space already sized.
#ifndef MQTTCODEC_WIRE_HPP
#define MQTTCODEC_WIRE_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/rules.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/types.hpp"
#include "mqttcodec/utf8.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Largest value of a variable byte integer (4 bytes): 268,435,455.
inline constexpr std::uint32_t max_varint = 268'435'455;
/// Largest string or binary data field: 65,535 bytes.
inline constexpr std::size_t max_field_size = 65'535;
/// Largest MQTT packet: 1 type byte, 4 length bytes, 268,435,455 bytes of body.
inline constexpr std::uint32_t max_packet_size = max_varint + 5;

/// A UTF-8 string pair (5.0 §1.5.7), as carried by User Property.
struct string_pair {
  std::string_view name;   ///< a UTF-8 string, possibly empty
  std::string_view value;  ///< a UTF-8 string, possibly empty
  /// Field by field; views compare by content.
  friend bool operator==(const string_pair& a, const string_pair& b) noexcept {
    return a.name == b.name && a.value == b.value;
  }
  /// Not ==.
  friend bool operator!=(const string_pair& a, const string_pair& b) noexcept { return !(a == b); }
};

/// Number of bytes the variable byte integer encoding of `v` takes (1-4); v <= max_varint.
constexpr std::size_t varint_size(std::uint32_t v) noexcept {
  return v < 128u ? 1 : v < 16'384u ? 2 : v < 2'097'152u ? 3 : 4;
}

/// Outcome of parsing a variable byte integer from a byte range.
struct varint_parse {
  /// What the bytes hold.
  enum status_t : std::uint8_t {
    ok,           ///< `value` in its shortest form, `size` bytes
    need_more,    ///< the range ends inside the integer
    too_long,     ///< a fifth byte would follow: malformed
    non_minimal,  ///< `value` in more bytes than it needs
  };
  status_t status;      ///< which of the four
  std::uint8_t size;    ///< bytes consumed when ok / non_minimal
  std::uint32_t value;  ///< the value when ok / non_minimal
};

/// Parses a variable byte integer from [p, end). Never reads past `end` or past 4 bytes.
/// `non_minimal` reports a value whose encoding has a redundant trailing 0x80-continued
/// zero group (e.g. 0x80 0x00 for 0), which 5.0 forbids [MQTT-1.5.5-1].
MQTTCODEC_HOT_INLINE constexpr varint_parse parse_varint(const std::uint8_t* p,
                                                         const std::uint8_t* end) noexcept {
#ifndef __OPTIMIZE_SIZE__  // builds for size keep the loop alone
  // One byte, the usual case (every property identifier, most lengths), without the loop.
  if (MQTTCODEC_LIKELY(p != end && *p < 0x80u)) return {varint_parse::ok, 1, *p};
#endif
  std::uint32_t value = 0;
  for (std::uint8_t i = 0; i < 4; ++i) {
    if (p + i == end) return {varint_parse::need_more, 0, 0};
    const std::uint8_t b = p[i];
    const std::uint32_t bits = b & 0x7Fu;  // 32 bits wide before the shift, whatever int is
    value |= bits << (7u * i);
    if ((b & 0x80u) == 0) {
      const auto n = static_cast<std::uint8_t>(i + 1);
      // The last byte of a multi-byte encoding being 0 means a shorter form existed.
      if (i > 0 && b == 0) return {varint_parse::non_minimal, n, value};
      return {varint_parse::ok, n, value};
    }
  }
  return {varint_parse::too_long, 4, 0};
}

namespace detail {

// `n`, or just above the largest remaining length when it is more: a size the encoder then
// refuses as packet_too_large, and small enough that a few of them add up without wrapping.
inline constexpr std::size_t size_cap = std::size_t{max_varint} + 1;
constexpr std::size_t clamp_size(std::size_t n) noexcept {
  return n < size_cap ? n : size_cap;
}

// Adds `n` bytes, the size of something in memory, to the size of a packet being planned.
// Where size_t has 64 bits no sum of what fits in memory can wrap. Where it has 32, it can: a
// list of caller elements that all view one 64 KiB string adds 128 KiB each while taking a
// few bytes of memory, and 32,769 of them wrap the sum to a small size that the encoder would
// trust and write past. There the sum saturates, and the encoder refuses the packet as a
// 64-bit build does with the true sum. (A size that nothing in memory backs, such as the
// payload still to come of encode_publish_head, is clamped on every target.)
MQTTCODEC_HOT_INLINE void add_size(std::size_t& total, std::size_t n) noexcept {
  if constexpr (sizeof(std::size_t) < 8) {
    total += clamp_size(n);  // both terms at most size_cap: no wrap
    if (total > size_cap) total = size_cap;
  } else {
    total += n;
  }
}

// Whether the size of a packet being planned has passed the largest Remaining Length, so that
// the encoder will refuse the packet as packet_too_large. A loop over a caller's list stops
// there: the elements after it cannot make the packet fit, and checking them all would let a
// runaway list (millions of elements viewing one long string) cost gigabytes of UTF-8 checks
// before the refusal. An invalid element past that point is therefore not reported; one
// before it is, as is anything else in the packet checked after the list.
constexpr bool past_largest_packet(std::size_t planned) noexcept {
  return planned > max_varint;
}

inline std::uint16_t load_u16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t load_u32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Encode-side check of an MQTT string field.
inline errc check_string_field(std::string_view s) noexcept {
  if (s.size() > max_field_size) return errc::value_too_long;
  return check_utf8(s).code;
}

// The rule a UTF-8 error of check_utf8 breaks: U+0000 has a statement of its own.
constexpr rule utf8_rule(errc e) noexcept {
  return e == errc::utf8_null_character ? rule::utf8_no_null : rule::utf8_well_formed;
}

// The rule a string field's error from check_string_field breaks: a UTF-8 one, or none for a
// string over 65,535 bytes, which no numbered statement covers (the length prefix cannot say
// more). The length of a topic name or filter has its own, MQTT-4.7.3-3 (topic_string_rule).
constexpr rule string_rule(errc e) noexcept {
  return e == errc::value_too_long ? rule::none : utf8_rule(e);
}

// The same for a topic name or topic filter.
constexpr rule topic_string_rule(errc e) noexcept {
  return e == errc::value_too_long ? rule::topic_length : utf8_rule(e);
}

// Bounds-checked reading of one packet. Every read either succeeds or records the first error
// (with the offset where the failing field starts) and returns false, so call sites read as
// the spec's field list: `if (!r.u16(id)) return r.err;`.
struct reader {
  const std::uint8_t* base;  // first byte of the packet, for offsets
  const std::uint8_t* p;
  const std::uint8_t* end;
  bool v5;
  bool strict_varint = true;
  bool check_utf8 = true;
  error err{};

  std::size_t left() const noexcept { return static_cast<std::size_t>(end - p); }
  std::uint32_t offset() const noexcept { return static_cast<std::uint32_t>(p - base); }
  std::uint32_t offset_of(const void* q) const noexcept {
    return static_cast<std::uint32_t>(static_cast<const std::uint8_t*>(q) - base);
  }

  bool fail(errc code, rule r) noexcept { return fail_at(code, offset(), r); }
  bool fail_at(errc code, std::uint32_t off, rule r) noexcept {
    err = error{code, off, rule_id(r, v5), 0};
    return false;
  }

  MQTTCODEC_HOT_INLINE bool u8(std::uint8_t& out) noexcept {
    if (MQTTCODEC_UNLIKELY(p == end)) return fail(errc::truncated, rule::none);
    out = *p++;
    return true;
  }
  MQTTCODEC_HOT_INLINE bool u16(std::uint16_t& out) noexcept {
    if (MQTTCODEC_UNLIKELY(left() < 2)) return fail(errc::truncated, rule::none);
    out = load_u16(p);
    p += 2;
    return true;
  }
  MQTTCODEC_HOT_INLINE bool u32(std::uint32_t& out) noexcept {
    if (MQTTCODEC_UNLIKELY(left() < 4)) return fail(errc::truncated, rule::none);
    out = load_u32(p);
    p += 4;
    return true;
  }
  MQTTCODEC_HOT_INLINE bool varint(std::uint32_t& out) noexcept {
    const varint_parse v = parse_varint(p, end);
    switch (v.status) {
      case varint_parse::ok: break;
      case varint_parse::need_more: return fail(errc::truncated, rule::none);
      case varint_parse::too_long: return fail(errc::invalid_remaining_length, rule::none);
      case varint_parse::non_minimal:
        if (strict_varint) return fail(errc::non_minimal_length, rule::varint_minimal);
        break;
    }
    out = v.value;
    p += v.size;
    return true;
  }
  // Two-byte length and that many bytes, not interpreted.
  MQTTCODEC_HOT_INLINE bool binary(bytes_view& out) noexcept {
    if (MQTTCODEC_UNLIKELY(left() < 2)) return fail(errc::truncated, rule::none);
    const std::size_t n = load_u16(p);
    if (MQTTCODEC_UNLIKELY(left() - 2 < n)) return fail(errc::truncated, rule::none);
    out = bytes_view(p + 2, n);
    p += 2 + n;
    return true;
  }
  // A UTF-8 string: binary framing, then the MQTT string rules unless disabled by a leniency.
  MQTTCODEC_HOT_INLINE bool string(std::string_view& out) noexcept {
    const std::uint8_t* start = p;
    bytes_view b;
    if (!binary(b)) return false;
    out = b.as_chars();
    return utf8(out, start);
  }
  MQTTCODEC_HOT_INLINE bool utf8(std::string_view s, const std::uint8_t* field_start) noexcept {
    if (!check_utf8) return true;
#if defined(__SSE2__) && !defined(__OPTIMIZE_SIZE__)
    // A short string with 16 bytes of this packet up to its end: one load settles plain ASCII.
    const auto* s_end = reinterpret_cast<const unsigned char*>(s.data()) + s.size();
    if (s.size() <= 16 && s_end - base >= 16 && detail::is_plain_ascii_before(s_end, s.size())) {
      return true;
    }
#endif
    const utf8_status st = mqttcodec::check_utf8(s);
    if (MQTTCODEC_LIKELY(static_cast<bool>(st))) return true;
    return fail_at(st.code, offset_of(field_start) + 2 + static_cast<std::uint32_t>(st.offset),
                   utf8_rule(st.code));
  }
  MQTTCODEC_HOT_INLINE bool string_pair(mqttcodec::string_pair& out) noexcept {
    return string(out.name) && string(out.value);
  }
};

// Unchecked big-endian writing into space the encoder has already sized exactly.
struct writer {
  std::uint8_t* p;

  void u8(std::uint8_t v) noexcept { *p++ = v; }
  void u16(std::uint16_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
    p += 2;
  }
  void u32(std::uint32_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
    p += 4;
  }
  void varint(std::uint32_t v) noexcept {
    do {
      auto b = static_cast<std::uint8_t>(v & 0x7Fu);
      v >>= 7;
      if (v != 0) b |= 0x80u;
      *p++ = b;
    } while (v != 0);
  }
// GCC 12 at -O3 warns about the fixed-size copies below on paths it cannot rule out for a
// small destination (e.g. a 32-byte array written with a run-time size), though `n` bounds
// every copy: a false positive of -Warray-bounds / -Wstringop-overflow. Likewise -Wnonnull
// for the empty payload (null data, size 0) of every packet but PUBLISH, when it loses track
// of the size but not of the pointer. On targets without SSE2 (seen on 32-bit PowerPC) it also
// warns that the source of a 16-byte copy has size 0 (-Wstringop-overread, GCC 11 and later).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wnonnull"
#if __GNUC__ >= 11
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#endif
  MQTTCODEC_HOT_INLINE void raw(const void* data, std::size_t n) noexcept {
#ifndef __OPTIMIZE_SIZE__
    // Most MQTT strings and many payloads are short: up to four overlapping fixed-size copies
    // instead of a call.
    const auto* s = static_cast<const std::uint8_t*>(data);
    if (n <= 64) {
      if (n >= 16) {
        std::memcpy(p, s, 16);
        if (n > 32) {
          std::memcpy(p + 16, s + 16, 16);
          std::memcpy(p + n - 32, s + n - 32, 16);
        }
        std::memcpy(p + n - 16, s + n - 16, 16);
      } else if (n >= 8) {
        std::memcpy(p, s, 8);
        std::memcpy(p + n - 8, s + n - 8, 8);
      } else if (n >= 4) {
        std::memcpy(p, s, 4);
        std::memcpy(p + n - 4, s + n - 4, 4);
      } else {
        for (std::size_t i = 0; i < n; ++i) p[i] = s[i];
      }
      p += n;
      return;
    }
#endif
    if (n != 0) std::memcpy(p, data, n);
    p += n;
  }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  MQTTCODEC_HOT_INLINE void string(std::string_view s) noexcept {
    u16(static_cast<std::uint16_t>(s.size()));
    raw(s.data(), s.size());
  }
  // The same bytes as a string's: one function for both where the compiler keeps it out of line.
  MQTTCODEC_HOT_INLINE void binary(bytes_view b) noexcept {
    string(b.as_chars());
  }
};

}  // namespace detail

MQTTCODEC_NAMESPACE_END

#endif

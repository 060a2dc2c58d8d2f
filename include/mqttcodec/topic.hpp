// mqttcodec: topic names and topic filters (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7 and §4.8.2):
// validation, single filter-vs-name matching and shared subscriptions. Nothing here allocates.
#ifndef MQTTCODEC_TOPIC_HPP
#define MQTTCODEC_TOPIC_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "mqttcodec/config.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/result.hpp"
#include "mqttcodec/types.hpp"
#include "mqttcodec/utf8.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Longest topic name or filter in bytes: both are UTF-8 strings with a two-byte length
/// (3.1.1 and 5.0 MQTT-4.7.3-3).
inline constexpr std::size_t max_topic_length = 65535;

/// The prefix that makes a 5.0 topic filter a shared subscription (5.0 §4.8.2, MQTT-4.8.2-1).
/// Compared case-sensitively: `$SHARE/` is an ordinary filter.
inline constexpr std::string_view shared_subscription_prefix = "$share/";

/// The parts of a shared subscription `$share/{share_name}/{filter}` (5.0 §4.8.2). Both are views
/// into the string that was parsed.
struct shared_subscription {
  std::string_view share_name;  ///< the ShareName, at least one character, no '/', '+', '#'
  std::string_view filter;      ///< the Topic Filter the group subscribes to
};

namespace detail {

// s[from, from + n), n clipped to what is left: std::string_view::substr without its range
// check, whose failure path is a throw. Even with -fno-exceptions that call stays in the
// program and links the C++ exception runtime (12.6 KB on a Cortex-M4 with the standard
// arm-none-eabi libstdc++). Every caller has from <= s.size().
constexpr std::string_view slice(std::string_view s, std::size_t from,
                                 std::size_t n = std::string_view::npos) noexcept {
  MQTTCODEC_ASSERT(from <= s.size());
  return {s.data() + from, n < s.size() - from ? n : s.size() - from};
}

// The statement ids that a topic error cites. The two specs number the same rules
// differently (3.1.1 has no §4.7.0, so its wildcard rules sit one step later), and 3.1 has no
// ids at all, so it borrows 3.1.1's: the rules are the same.
struct topic_rule_ids {
  const char* empty;             // at least one character
  const char* too_long;          // at most 65,535 bytes
  const char* null_character;    // no U+0000
  const char* bad_utf8;          // well-formed UTF-8 (the string rule of §1.5)
  const char* wildcard_in_name;  // no '+' / '#' in a topic name
  const char* multi_level;       // '#' alone in the last level
  const char* single_level;      // '+' alone in its level
};

inline constexpr topic_rule_ids topic_rules_v5 = {
    "MQTT-4.7.3-1", "MQTT-4.7.3-3", "MQTT-4.7.3-2", "MQTT-1.5.4-1",
    "MQTT-4.7.0-1", "MQTT-4.7.1-1", "MQTT-4.7.1-2",
};
inline constexpr topic_rule_ids topic_rules_v311 = {
    "MQTT-4.7.3-1", "MQTT-4.7.3-3", "MQTT-4.7.3-2", "MQTT-1.5.3-1",
    "MQTT-4.7.1-1", "MQTT-4.7.1-2", "MQTT-4.7.1-3",
};

constexpr const topic_rule_ids& topic_rules(protocol_version v) noexcept {
  return v == protocol_version::v5 ? topic_rules_v5 : topic_rules_v311;
}

constexpr mqttcodec::error topic_error(errc code, std::size_t offset, const char* rule) noexcept {
  return mqttcodec::error{code, static_cast<std::uint32_t>(offset), rule, 0};
}

// '#' is 0x23 and '+' is 0x2B: they differ only in bit 3, so OR-ing 0x08 into every byte maps
// both (and nothing else) to 0x2B, and one zero-byte test finds either wildcard in 8 bytes.
constexpr bool has_wildcard_byte(std::uint64_t w) noexcept {
  return has_zero_byte((w | 0x0808080808080808ull) ^ 0x2B2B2B2B2B2B2B2Bull);
}

// Every caller loads only where eight (four) bytes remain, but GCC 12, inlining a caller into code
// that passes a short string literal (`index.match("a/b", f)`), warns that the copy reads past
// the literal on a path the length test has ruled out: a false -Warray-bounds /
// -Wstringop-overread that a user's -Werror would make an error.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#if __GNUC__ >= 11
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#endif
inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
inline std::uint32_t load32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// Index of the first '+' or '#' in s at or after `from`, or s.size().
inline std::size_t find_wildcard(std::string_view s, std::size_t from) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = from;
  while (i + 8 <= n && !has_wildcard_byte(load64(p + i))) i += 8;
  for (; i < n; ++i) {
    if (p[i] == '+' || p[i] == '#') return i;
  }
  return n;
}

// Checks the wildcard placement rules in `s` (a filter, or the filter part of a shared
// subscription); `base` is the offset of `s` in the string the caller reports offsets against.
inline result<void> check_filter_levels(std::string_view s, std::size_t base,
                                        const topic_rule_ids& ids) noexcept {
  const std::size_t n = s.size();
  for (std::size_t i = find_wildcard(s, 0); i < n; i = find_wildcard(s, i + 1)) {
    const bool starts_level = i == 0 || s[i - 1] == '/';
    if (s[i] == '+') {
      if (!starts_level || (i + 1 < n && s[i + 1] != '/')) {
        return topic_error(errc::invalid_topic_filter, base + i, ids.single_level);
      }
    } else if (!starts_level || i + 1 != n) {
      return topic_error(errc::invalid_topic_filter, base + i, ids.multi_level);
    }
  }
  return {};
}

// check_topic_filter_syntax of a filter that is not a shared subscription (any 3.x filter),
// with the version's rule ids. The codec calls it directly for a compile-time 3.x version, so
// that no shared-subscription parsing is compiled in.
inline result<void> check_plain_filter_syntax(std::string_view s,
                                              const topic_rule_ids& ids) noexcept {
  if (MQTTCODEC_UNLIKELY(s.empty())) return topic_error(errc::invalid_topic_filter, 0, ids.empty);
  return check_filter_levels(s, 0, ids);
}

// The ASCII prefix of s (whole 8-byte words without a high bit, a NUL or a wildcard) that needs
// no further look; validation hands only the rest to the UTF-8 and wildcard checks, so a plain
// ASCII topic is read once.
constexpr bool is_clean_word(std::uint64_t w) noexcept {
  return (w & high_bits) == 0 && !has_zero_byte(w) && !has_wildcard_byte(w);
}

// True when `s` is ASCII without U+0000, '+' or '#': a valid topic name as far as its bytes
// go. One branch-free pass (16-byte SSE2 vectors where available, else 8-byte words) settles
// the common case of PUBLISH decode and encode and of validate_topic_name; any other topic
// takes the full UTF-8 and wildcard checks, which report what failed where.
// Builds for size answer false without looking: every topic then takes the full checks,
// which give the same answer, and the program keeps one copy of the checking code (as
// check_utf8 does).
MQTTCODEC_HOT_INLINE bool is_plain_topic_name(std::string_view s) noexcept {
#ifdef __OPTIMIZE_SIZE__
  (void)s;
  return false;
#else
  // High bit of each byte of the result set for a byte >= 0x80, a zero byte or a wildcard
  // ('#' 0x23 and '+' 0x2B differ only in bit 3, so OR-ing 0x08 maps both to 0x2B). The
  // zero-byte test may also flag bytes above a real zero byte, which is bad anyway.
  auto dirty = [](std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    const std::uint64_t x = (w | 0x0808080808080808ull) ^ 0x2B2B2B2B2B2B2B2Bull;
    return w | ((w - ones) & ~w) | ((x - ones) & ~x);
  };
  auto word = [&s](std::size_t at) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + at, 8);
    return w;
  };
  const std::size_t n = s.size();
  if (n < 8) {
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 0x80 || c == 0 || c == '+' || c == '#') return false;
    }
    return true;
  }
#ifdef __SSE2__
  if (n >= 16) {
    // The same test on 16-byte vectors: a byte is clean when it is 0x01-0x7F (a signed
    // compare with zero) and not a wildcard.
    const __m128i zero = _mm_setzero_si128();
    const __m128i bit3 = _mm_set1_epi8(0x08);
    const __m128i plus = _mm_set1_epi8(0x2B);
    return all_vectors_clean(s.data(), n, [=](__m128i v) {
      return _mm_andnot_si128(_mm_cmpeq_epi8(_mm_or_si128(v, bit3), plus), _mm_cmpgt_epi8(v, zero));
    });
  }
#endif
  std::uint64_t bad = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) bad |= dirty(word(i));
  // The tail as the last 8 bytes of the string; the overlap is checked twice, harmlessly.
  if (i != n) bad |= dirty(word(n - 8));
  return (bad & high_bits) == 0;
#endif
}

inline std::size_t clean_ascii_prefix(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i + 8 <= n) {
    if (!is_clean_word(load64(p + i))) return i;
    i += 8;
  }
  // The last partial word is read as the 8 bytes ending at the end of the string: the bytes
  // it shares with the previous word are already known clean, and there is no byte loop.
  if (i != n && n >= 8) return is_clean_word(load64(p + n - 8)) ? n : i;
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c >= 0x80 || c == 0 || c == '+' || c == '#') return i;
  }
  return n;
}

// Length, UTF-8 and U+0000 checks shared by names and filters; `from` bytes are known clean.
inline result<void> check_topic_string(std::string_view s, std::size_t from,
                                       const topic_rule_ids& ids) noexcept {
  if (MQTTCODEC_UNLIKELY(s.size() > max_topic_length)) {
    return topic_error(errc::value_too_long, max_topic_length, ids.too_long);
  }
  const utf8_status u = check_utf8(slice(s, from));
  if (MQTTCODEC_UNLIKELY(!u)) {
    return topic_error(u.code, from + u.offset,
                       u.code == errc::utf8_null_character ? ids.null_character : ids.bad_utf8);
  }
  return {};
}

// The UTF-8 and wildcard checks of a topic name that is not plain ASCII, reporting what failed
// where. Kept out of line: it is the rare path, and inlining it into every caller only grows
// the code.
MQTTCODEC_COLD inline result<void> check_topic_name_bytes(std::string_view s,
                                                          const topic_rule_ids& ids) noexcept {
  const std::size_t clean = clean_ascii_prefix(s);
  auto r = check_topic_string(s, clean, ids);
  if (!r) return r;
  const std::size_t w = find_wildcard(s, clean);
  if (MQTTCODEC_UNLIKELY(w != s.size())) {
    return topic_error(errc::topic_has_wildcard, w, ids.wildcard_in_name);
  }
  return {};
}

constexpr mqttcodec::error bad_version_error() noexcept {
  return topic_error(errc::invalid_version, 0, nullptr);
}

}  // namespace detail

/// True when `s` contains a '+' or '#' anywhere (names must not: MQTT-4.7.0-1 in 5.0,
/// MQTT-4.7.1-1 in 3.1.1). Scans eight bytes at a time.
[[nodiscard]] inline bool has_wildcards(std::string_view s) noexcept {
  return detail::find_wildcard(s, 0) != s.size();
}

/// True when `s` starts with `$share/`, i.e. a 5.0 client subscribing with it asks for a shared
/// subscription (5.0 §4.8.2). Says nothing about whether the rest is well formed; see
/// parse_shared_subscription. Case-sensitive.
[[nodiscard]] constexpr bool is_shared_subscription(std::string_view s) noexcept {
  return detail::slice(s, 0, shared_subscription_prefix.size()) == shared_subscription_prefix;
}

/// The name and filter of the 5.0 shared subscription `s` = `$share/{ShareName}/{filter}`.
/// Fails with errc::invalid_topic_filter when `s` does not start with `$share/` or its ShareName
/// is empty (MQTT-4.8.2-1), when the ShareName contains '+' or '#', is not followed by '/', or
/// the '/' is not followed by a filter (MQTT-4.8.2-2), or when the filter breaks the wildcard
/// rules (MQTT-4.7.1-1, MQTT-4.7.1-2). Offsets are into `s`. Does not check UTF-8 or length: use
/// validate_topic_filter for a string received from a peer.
[[nodiscard]] inline result<shared_subscription> parse_shared_subscription(
    std::string_view s) noexcept {
  constexpr std::size_t prefix = shared_subscription_prefix.size();
  if (!is_shared_subscription(s)) {
    return detail::topic_error(errc::invalid_topic_filter, 0, "MQTT-4.8.2-1");
  }
  std::size_t i = prefix;
  // The ShareName ends at the first '/'; wildcards inside it are refused where they stand.
  for (; i < s.size() && s[i] != '/'; ++i) {
    if (s[i] == '+' || s[i] == '#') {
      return detail::topic_error(errc::invalid_topic_filter, i, "MQTT-4.8.2-2");
    }
  }
  if (i == prefix) return detail::topic_error(errc::invalid_topic_filter, i, "MQTT-4.8.2-1");
  if (i == s.size() || i + 1 == s.size()) {
    return detail::topic_error(errc::invalid_topic_filter, s.size(), "MQTT-4.8.2-2");
  }
  const shared_subscription out{detail::slice(s, prefix, i - prefix), detail::slice(s, i + 1)};
  auto r = detail::check_filter_levels(out.filter, i + 1, detail::topic_rules_v5);
  if (!r) return r.error();
  return out;
}

/// Checks only the structure of a topic name: non-empty (MQTT-4.7.3-1) and free of '+' and '#'
/// (5.0 MQTT-4.7.0-1, 3.1.1 MQTT-4.7.1-1). For a decoder that has already checked the string's
/// length and UTF-8. A 5.0 PUBLISH may carry an empty topic name together with a Topic Alias:
/// the decoder decides that case before calling. One eight-bytes-at-a-time scan.
[[nodiscard]] inline result<void> check_topic_name_syntax(
    std::string_view s, protocol_version v = protocol_version::v5) noexcept {
  if (MQTTCODEC_UNLIKELY(!is_known(v))) return detail::bad_version_error();
  const auto& ids = detail::topic_rules(v);
  if (MQTTCODEC_UNLIKELY(s.empty())) return detail::topic_error(errc::empty_topic, 0, ids.empty);
  const std::size_t w = detail::find_wildcard(s, 0);
  if (MQTTCODEC_UNLIKELY(w != s.size())) {
    return detail::topic_error(errc::topic_has_wildcard, w, ids.wildcard_in_name);
  }
  return {};
}

/// Checks only the structure of a topic filter: non-empty (MQTT-4.7.3-1), '#' alone in the last
/// level (5.0 MQTT-4.7.1-1, 3.1.1 MQTT-4.7.1-2), '+' alone in its level (5.0 MQTT-4.7.1-2, 3.1.1
/// MQTT-4.7.1-3), and in 5.0 a `$share/` filter well formed as a shared subscription
/// (MQTT-4.8.2-1, MQTT-4.8.2-2; in 3.1.1 it is an ordinary filter). For a decoder that has
/// already checked length and UTF-8.
[[nodiscard]] inline result<void> check_topic_filter_syntax(
    std::string_view s, protocol_version v = protocol_version::v5) noexcept {
  if (MQTTCODEC_UNLIKELY(!is_known(v))) return detail::bad_version_error();
  // An empty filter is not a shared subscription, so testing that first changes nothing.
  if (v == protocol_version::v5 && is_shared_subscription(s)) {
    auto r = parse_shared_subscription(s);
    if (!r) return r.error();
    return {};
  }
  return detail::check_plain_filter_syntax(s, detail::topic_rules(v));
}

/// Validates a topic name as received in PUBLISH or a Will Topic: non-empty (MQTT-4.7.3-1), at
/// most 65,535 bytes (MQTT-4.7.3-3), well-formed UTF-8 (5.0 MQTT-1.5.4-1, 3.1.1 MQTT-1.5.3-1)
/// without U+0000 (MQTT-4.7.3-2), and without wildcards (5.0 MQTT-4.7.0-1, 3.1.1 MQTT-4.7.1-1).
/// When several rules fail, a UTF-8 error wins over a wildcard. A plain ASCII name is read once.
[[nodiscard]] inline result<void> validate_topic_name(
    std::string_view s, protocol_version v = protocol_version::v5) noexcept {
  if (MQTTCODEC_UNLIKELY(!is_known(v))) return detail::bad_version_error();
  const auto& ids = detail::topic_rules(v);
  if (MQTTCODEC_UNLIKELY(s.empty())) return detail::topic_error(errc::empty_topic, 0, ids.empty);
  if (MQTTCODEC_UNLIKELY(s.size() > max_topic_length)) {
    return detail::topic_error(errc::value_too_long, max_topic_length, ids.too_long);
  }
  if (MQTTCODEC_LIKELY(detail::is_plain_topic_name(s))) return {};
  return detail::check_topic_name_bytes(s, ids);
}

/// Validates a topic filter as received in SUBSCRIBE or UNSUBSCRIBE: non-empty
/// (MQTT-4.7.3-1, errc::invalid_topic_filter), at most 65,535 bytes (MQTT-4.7.3-3), well-formed
/// UTF-8 without U+0000 (MQTT-1.5.x-1, MQTT-4.7.3-2), then the wildcard and shared-subscription
/// rules of check_topic_filter_syntax. `$share/...` is a shared subscription only in 5.0.
[[nodiscard]] inline result<void> validate_topic_filter(
    std::string_view s, protocol_version v = protocol_version::v5) noexcept {
  if (MQTTCODEC_UNLIKELY(!is_known(v))) return detail::bad_version_error();
  const auto& ids = detail::topic_rules(v);
  if (MQTTCODEC_UNLIKELY(s.empty())) {
    return detail::topic_error(errc::invalid_topic_filter, 0, ids.empty);
  }
  auto r = detail::check_topic_string(s, detail::clean_ascii_prefix(s), ids);
  if (!r) return r;
  return check_topic_filter_syntax(s, v);
}

/// True when `s` passes validate_topic_name for version `v`.
[[nodiscard]] inline bool is_valid_topic_name(std::string_view s,
                                              protocol_version v = protocol_version::v5) noexcept {
  return validate_topic_name(s, v).has_value();
}

/// True when `s` passes validate_topic_filter for version `v`.
[[nodiscard]] inline bool is_valid_topic_filter(
    std::string_view s, protocol_version v = protocol_version::v5) noexcept {
  return validate_topic_filter(s, v).has_value();
}

/// True when topic name `topic` matches topic filter `filter` (3.1.1 and 5.0 §4.7): levels are
/// compared byte for byte without normalization (MQTT-4.7.3-4); '+' matches exactly one level,
/// possibly empty; '#' matches its parent level and any number of levels below, so `a/#`
/// matches `a` and `a/` (3.1.1 MQTT-4.7.1-2, 5.0 MQTT-4.7.1-1); a filter that starts with '+' or
/// '#' never matches a name that starts with '$', while `$SYS/#` matches `$SYS/x`
/// (MQTT-4.7.2-1). Empty levels are levels (`a//b`, `/a`).
///
/// Preconditions: `filter` passes check_topic_filter_syntax and is not a `$share/` filter (match
/// a shared subscription with its `filter` part from parse_shared_subscription), and `topic`
/// passes check_topic_name_syntax. Other inputs give an unspecified answer but never read out of
/// bounds. One pass over both strings, no allocation.
[[nodiscard]] inline bool topic_matches(std::string_view filter, std::string_view topic) noexcept {
  const char* f = filter.data();
  const char* const fe = f + filter.size();
  const char* t = topic.data();
  const char* const te = t + topic.size();
  if (f == fe || t == te) return false;
  if (*t == '$' && (*f == '+' || *f == '#')) return false;
  for (;;) {
    // Here f and t both stand at the start of a level; either level may be empty, and f may
    // stand at the end (a filter ending in '/' has an empty last level).
    if (f != fe && *f == '#') return true;
    if (f != fe && *f == '+') {
      ++f;
      while (t != te && *t != '/') ++t;
    } else {
      while (f != fe && *f != '/') {
        if (t == te || *t != *f) return false;
        ++f;
        ++t;
      }
      if (t != te && *t != '/') return false;
    }
    // Both levels ended: f at '/' or end, t at '/' or end.
    if (f == fe) return t == te;
    if (t == te) {
      // The name ran out first; only a trailing "/#" still matches (it includes the parent).
      return fe - f == 2 && f[1] == '#';
    }
    ++f;
    ++t;
  }
}

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: incremental framing of a byte stream into MQTT packets.
//
// next_frame() looks at whatever bytes have arrived and answers: a complete packet of N bytes,
// need at least K more bytes, or invalid. It reads only the fixed header (at most 5 bytes),
// checks the first byte's type and reserved flags, the remaining length encoding and the
// maximum packet size as soon as the length is known — before the body has arrived, so a
// receiver never buffers a packet it will reject. It never reads past its input.
#ifndef MQTTCODEC_FRAME_HPP
#define MQTTCODEC_FRAME_HPP

#include <cstddef>
#include <cstdint>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/rules.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/types.hpp"
#include "mqttcodec/wire.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Limits and leniencies of framing (and of decoding, which frames first).
struct frame_options {
  /// Version spoken on the stream; decides whether type 15 (AUTH) exists and, for 3.1, allows
  /// the DUP bit on PUBREL / SUBSCRIBE / UNSUBSCRIBE. CONNECT frames the same in all versions.
  protocol_version version = protocol_version::v311;
  /// Largest packet accepted, in bytes including the fixed header (5.0's Maximum Packet Size).
  std::uint32_t max_packet_size = mqttcodec::max_packet_size;
  /// Leniency: accept a remaining length not in its shortest form (5.0 forbids it,
  /// [MQTT-1.5.5-1]; some old 3.1 peers sent padded lengths).
  bool allow_non_minimal_length = false;
};

/// Leniencies and limits of decoding. The defaults are strict; each leniency is a named
/// opt-in for peers known to bend a rule.
struct decode_options {
  /// Largest packet accepted, including the fixed header.
  std::uint32_t max_packet_size = mqttcodec::max_packet_size;
  /// Accept variable byte integers not in their shortest form [MQTT-1.5.5-1].
  bool allow_non_minimal_length = false;
  /// Do not check that strings are well-formed UTF-8 without U+0000 (e.g. a broker's own
  /// re-decoding of packets it validated on receipt). Topic wildcard rules are still checked.
  bool skip_utf8_validation = false;
  /// Who sent the packets. When told, decoding also checks the rules of that direction
  /// (`check_sender`): a packet type, property or reason code the other side alone may send
  /// is errc::wrong_sender.
  role sender = role::unknown;

  /// The framing options with the same limits, for next_frame on a stream of version `v`, so
  /// framing and decoding never disagree.
  [[nodiscard]] constexpr frame_options framing(protocol_version v) const noexcept {
    frame_options f;
    f.version = v;
    f.max_packet_size = max_packet_size;
    f.allow_non_minimal_length = allow_non_minimal_length;
    return f;
  }
};

/// What next_frame() found.
enum class frame_status : std::uint8_t {
  complete,   ///< a whole packet starts the input: `size` bytes
  need_more,  ///< read more: at least `size` more bytes are needed
  invalid,    ///< the stream is broken: `err` says why; close the connection
};

/// The answer of next_frame().
struct frame {
  frame_status status = frame_status::need_more;  ///< which of the three answers
  /// complete: bytes in the packet; need_more: the least number of further bytes needed.
  std::size_t size = 1;
  /// complete (and need_more once the fixed header is whole): the fixed header's facts.
  packet_type type{};
  std::uint8_t flags = 0;              ///< low nibble of the first byte
  std::uint8_t header_size = 0;        ///< 2..5 once known
  std::uint32_t remaining_length = 0;  ///< once known
  error err{};                         ///< invalid: the rule that failed

  /// complete: the packet's bytes within `input`.
  [[nodiscard]] bytes_view packet(bytes_view input) const noexcept {
    return input.subview(0, size);
  }
  /// complete: the bytes after the fixed header.
  [[nodiscard]] bytes_view body(bytes_view input) const noexcept {
    return input.subview(header_size, remaining_length);
  }
};

namespace detail {

// Required value of the flag nibble per packet type (MQTT 3.1.1 Table 2.2, 5.0 Table 2-2);
// 0xFF marks PUBLISH, whose nibble carries DUP / QoS / RETAIN.
inline constexpr std::uint8_t required_flags[16] = {0, 0, 0, 0xFF, 0, 0, 2, 0,
                                                    2, 0, 2, 0,    0, 0, 0, 0};

// The first byte of a packet of type `t` (not PUBLISH, whose flags vary): the type and its
// required flags.
constexpr std::uint8_t fixed_first_byte(packet_type t) noexcept {
  return static_cast<std::uint8_t>((static_cast<unsigned>(t) << 4u) |
                                   required_flags[static_cast<unsigned>(t)]);
}

// Checks the first byte of a packet: type exists in the version, reserved flags as required.
// Returns errc{} when valid.
constexpr errc check_first_byte(std::uint8_t b, protocol_version v, rule& which) noexcept {
  const unsigned type = b >> 4u;
  const auto flags = static_cast<std::uint8_t>(b & 0x0Fu);
  if (type == 0 || (type == 15 && v != protocol_version::v5)) {
    which = rule::packet_type_reserved;
    return errc::invalid_packet_type;
  }
  const std::uint8_t want = required_flags[type];
  if (want == 0xFF) {
    if ((flags & 0x06u) == 0x06u) {
      which = rule::publish_qos_valid;
      return errc::invalid_qos;
    }
    return errc{};
  }
  // MQTT 3.1 set DUP on retransmitted PUBREL, SUBSCRIBE and UNSUBSCRIBE.
  const std::uint8_t got =
      (v == protocol_version::v31 && want == 2) ? static_cast<std::uint8_t>(flags & 0x7u) : flags;
  if (got != want) {
    which = header_flags_rule(type);
    return errc::invalid_header_flags;
  }
  return errc{};
}

// The remaining length of the packet at `b` (`n` >= 2 bytes) when it takes one or two bytes
// in minimal form, the common case that decoders settle inline; false for anything else,
// which next_frame decides. `header` is the fixed header's size.
MQTTCODEC_HOT_INLINE bool short_remaining_length(const std::uint8_t* b, std::size_t n,
                                                 std::size_t& header, std::size_t& len) noexcept {
  header = 2;
  len = b[1];
  if (len < 0x80u) return true;
  // A 2-byte length whose last byte is 0 is not minimal; a longer one is rare.
  if (n < 3 || b[2] == 0 || b[2] >= 0x80u) return false;
  header = 3;
  len = (len & 0x7Fu) | (std::size_t{b[2]} << 7);
  return true;
}

// True when `b` is a valid first byte of a packet of type `t` in version `v`: check_first_byte
// for a decoder that expects one type. With `t` known at compile time the table lookup folds
// away, leaving a compare or two. (check_first_byte stays separate: it also names the rule,
// and builds for size keep it small.)
constexpr bool is_first_byte_of(std::uint8_t b, packet_type t, protocol_version v) noexcept {
  const auto type = static_cast<unsigned>(t);
  if (type == 0 || (type == 15 && v != protocol_version::v5) || (b >> 4u) != type) return false;
  const std::uint8_t want = required_flags[type];
  if (want == 0xFF) return (b & 0x06u) != 0x06u;  // PUBLISH: any flags but QoS 3
  return (b & 0x0Fu) == want || (v == protocol_version::v31 && want == 2 && (b & 0x07u) == 2);
}

}  // namespace detail

/// Frames the packet at the start of `input`. See the file comment for the contract.
inline frame next_frame(bytes_view input, const frame_options& opt = {}) noexcept {
  frame f;
  const bool v5 = opt.version == protocol_version::v5;
  if (input.empty()) return f;  // need_more, 1
  const std::uint8_t b0 = input[0];
  detail::rule which = detail::rule::none;
  if (const errc e = detail::check_first_byte(b0, opt.version, which);
      MQTTCODEC_UNLIKELY(e != errc{})) {
    f.status = frame_status::invalid;
    f.err = error{e, 0, detail::rule_id(which, v5), 0};
    return f;
  }
  f.type = static_cast<packet_type>(b0 >> 4u);
  f.flags = static_cast<std::uint8_t>(b0 & 0x0Fu);

  const varint_parse len = parse_varint(input.data() + 1, input.end());
  if (len.status == varint_parse::need_more) {
    f.size = 1;  // one more length byte at least
    return f;
  }
  if (MQTTCODEC_UNLIKELY(len.status == varint_parse::too_long)) {
    f.status = frame_status::invalid;
    f.err = error{errc::invalid_remaining_length, 1, nullptr, 0};
    return f;
  }
  if (MQTTCODEC_UNLIKELY(len.status == varint_parse::non_minimal &&
                         !opt.allow_non_minimal_length)) {
    f.status = frame_status::invalid;
    f.err =
        error{errc::non_minimal_length, 1, detail::rule_id(detail::rule::varint_minimal, v5), 0};
    return f;
  }
  f.header_size = static_cast<std::uint8_t>(1 + len.size);
  f.remaining_length = len.value;
  const std::size_t total = std::size_t{f.header_size} + len.value;
  if (MQTTCODEC_UNLIKELY(total > opt.max_packet_size)) {
    f.status = frame_status::invalid;
    f.err = error{errc::packet_too_large, 1, nullptr, 0};
    return f;
  }
  if (input.size() < total) {
    f.size = total - input.size();
    return f;
  }
  f.status = frame_status::complete;
  f.size = total;
  return f;
}

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: the packet variant and the entry points: decode one complete packet, encode a
// packet to any sink, and compute its encoded size.
#ifndef MQTTCODEC_PACKET_HPP
#define MQTTCODEC_PACKET_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/codec.hpp"
#include "mqttcodec/detail/rules.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/frame.hpp"
#include "mqttcodec/packets/connect.hpp"
#include "mqttcodec/packets/control.hpp"
#include "mqttcodec/packets/publish.hpp"
#include "mqttcodec/packets/subscribe.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/result.hpp"
#include "mqttcodec/sink.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Any control packet; the alternative's index is its packet type minus one.
using packet = std::variant<connect, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe,
                            suback, unsubscribe, unsuback, pingreq, pingresp, disconnect, auth>;

namespace detail {
template <class... P>
constexpr bool nothrow_alternatives(const std::variant<P...>*) noexcept {
  return (... &&
          (std::is_nothrow_copy_constructible_v<P> && std::is_nothrow_move_constructible_v<P>));
}
}  // namespace detail
// So a packet is never valueless by exception, and std::visit over one never throws: the
// noexcept functions below that visit it rely on this.
static_assert(detail::nothrow_alternatives(static_cast<const packet*>(nullptr)));

/// The type of the packet held.
inline packet_type type_of(const packet& p) noexcept {
  return static_cast<packet_type>(p.index() + 1);
}

/// True for the 15 packet structs.
template <class P>
inline constexpr bool is_packet_v = false;
template <>
inline constexpr bool is_packet_v<connect> = true;
template <>
inline constexpr bool is_packet_v<connack> = true;
template <>
inline constexpr bool is_packet_v<publish> = true;
template <>
inline constexpr bool is_packet_v<puback> = true;
template <>
inline constexpr bool is_packet_v<pubrec> = true;
template <>
inline constexpr bool is_packet_v<pubrel> = true;
template <>
inline constexpr bool is_packet_v<pubcomp> = true;
template <>
inline constexpr bool is_packet_v<subscribe> = true;
template <>
inline constexpr bool is_packet_v<suback> = true;
template <>
inline constexpr bool is_packet_v<unsubscribe> = true;
template <>
inline constexpr bool is_packet_v<unsuback> = true;
template <>
inline constexpr bool is_packet_v<pingreq> = true;
template <>
inline constexpr bool is_packet_v<pingresp> = true;
template <>
inline constexpr bool is_packet_v<disconnect> = true;
template <>
inline constexpr bool is_packet_v<auth> = true;

/// The head of a PUBLISH: every field before its payload, decoded from the packet's first
/// bytes (decode_publish_head), and where the payload lies. For a payload too large to hold
/// whole, such as a firmware image: decode the head from the buffer, drop its `size` bytes,
/// then take the `payload_size` payload bytes as they arrive. Like a frame, one of three
/// answers.
struct publish_head {
  /// complete: the head is decoded; need_more: read at least `size` more bytes and call again
  /// with them appended; invalid: the packet breaks the rule in `err`.
  frame_status status = frame_status::need_more;
  /// complete: bytes of fixed and variable header, where the payload starts; need_more: the
  /// least number of further bytes needed.
  std::size_t size = 1;
  /// complete: bytes of payload in the whole packet, from `size` on.
  std::size_t payload_size = 0;
  /// complete: the PUBLISH, whose `payload` is the part of the payload within the input.
  publish packet;
  /// invalid: why, as decode_as<publish> of the whole packet would report it.
  error err{};
};

namespace detail {

template <class T>
struct type_tag {
  using type = T;
};

// A packet with every member at its initializer, in read-only storage. The variant's
// alternative is copied from it: `emplace<P>()` would value-initialize, which zero-fills the
// whole struct first (GCC emits `rep stos`, slow to start) and then runs the initializers.
template <class P>
inline constexpr P empty_packet{};

// A rule of one direction that the body of a 5.0 packet breaks (rule::none when it keeps
// them all), with the property identifier or reason code at fault (error::value).
struct sender_fault {
  rule which = rule::none;
  std::uint8_t value = 0;
};

// The first such rule of a 5.0 packet `p` sent by `sender`, in wire order: the reason code,
// then the properties. The packet type's own direction is `may_send`.
template <class P>
constexpr sender_fault find_sender_fault(const P& p, role sender) noexcept {
  if constexpr (std::is_same_v<P, publish>) {
    if (sender == role::client && !p.props.subscription_identifiers.empty()) {
      return {rule::publish_subscription_id_from_client, 0x0B};
    }
  } else if constexpr (std::is_same_v<P, disconnect> || std::is_same_v<P, auth>) {
    const auto code = static_cast<std::uint8_t>(p.reason_code);
    if (!reason_code_sent_by(P::type, code, sender)) {
      return {reason_code_rule(static_cast<unsigned>(P::type)), code};
    }
    if constexpr (std::is_same_v<P, disconnect>) {
      if (sender == role::server && p.props.session_expiry_interval) {
        return {rule::disconnect_session_expiry_from_server, 0x11};
      }
    }
  }
  return {};
}

// After a packet decoded (`r` over its bytes): the rules of the sender's direction, with the
// offset of what breaks them (its reason code or the property). Out of line: decoders run it
// only when told the sender.
template <class P>
MQTTCODEC_COLD bool check_decoded_sender(reader& r, const P& p, role sender) noexcept {
  const sender_fault f = find_sender_fault(p, sender);
  if (f.which == rule::none) return true;
  std::uint32_t at = 0;
  if constexpr (std::is_same_v<P, publish> || std::is_same_v<P, disconnect>) {
    const std::uint8_t* block = p.props.wire.data();
    const std::uint8_t* block_end = block + p.props.wire.size();
    if (f.which == rule::publish_subscription_id_from_client) {
      at = r.offset_of(property_walk<0x0B>::first(block, block_end));
    } else if (f.which == rule::disconnect_session_expiry_from_server) {
      at = r.offset_of(property_walk<0x11>::first(block, block_end));
    }
  }
  if (f.which == reason_code_rule(static_cast<unsigned>(P::type))) {
    at = 1u + parse_varint(r.base + 1, r.end).size;  // the first byte after the fixed header
  }
  r.fail_at(errc::wrong_sender, at, f.which);
  r.err.value = f.value;
  return false;
}

// The rules of one direction that need more than the fixed header: those of a 5.0 PUBLISH,
// DISCONNECT or AUTH, which decoders check after every format rule.
template <class P>
inline constexpr bool has_sender_rules =
    std::is_same_v<P, publish> || std::is_same_v<P, disconnect> || std::is_same_v<P, auth>;

// Fails `r` when `sender` may not send packets of `type`. Decoders check it from the fixed
// header, before the body: a client's CONNACK is refused whatever it holds.
inline bool check_packet_direction(reader& r, packet_type type, protocol_version v,
                                   role sender) noexcept {
  if (MQTTCODEC_LIKELY(sender == role::unknown) || may_send(sender, type, v)) return true;
  r.err = error{errc::wrong_sender, 0, nullptr, 0};
  return false;
}

// Sets `r` to read a packet that starts at `base`, up to `end`, by the options of a decoder of
// version `v` (the caller sets r.p).
MQTTCODEC_HOT_INLINE void start_reader(reader& r, const std::uint8_t* base, const std::uint8_t* end,
                                       protocol_version v, const decode_options& opt) noexcept {
  r.base = base;
  r.end = end;
  r.v5 = v == protocol_version::v5;
  r.strict_varint = !opt.allow_non_minimal_length;
  r.check_utf8 = !opt.skip_utf8_validation;
}

// Frames `bytes` as exactly one packet by next_frame's rules: the slow path of open_packet,
// taken only when the bytes are not one well-formed packet of the expected type with a 1- or
// 2-byte remaining length. Returns the size of the fixed header, or 0 with `err` set. It is
// not given the reader, whose address would then be taken: such a reader lives in memory for
// the whole decode instead of in registers.
inline std::size_t open_packet_slow(bytes_view bytes, protocol_version v, const decode_options& opt,
                                    error& err) noexcept {
  const frame f = next_frame(bytes, opt.framing(v));
  if (f.status == frame_status::invalid) {
    err = f.err;
  } else if (f.status == frame_status::need_more) {
    err = error{errc::truncated, static_cast<std::uint32_t>(bytes.size()), nullptr, 0};
  } else if (f.size != bytes.size()) {
    err = error{errc::trailing_bytes, static_cast<std::uint32_t>(f.size), nullptr, 0};
  } else {
    return f.header_size;
  }
  return 0;
}

// Frames `bytes` as exactly one packet and prepares a reader over its body. Returns false
// with r.err set when it is not one, or not one of `type` when the caller expects one (a
// framing error comes first). The common case (a remaining length of one or two bytes that
// matches the input, and a valid first byte) is settled inline; anything else goes through
// next_frame, so errors are exactly the framer's.
MQTTCODEC_HOT_INLINE bool open_packet(bytes_view bytes, protocol_version v,
                                      const decode_options& opt, reader& r,
                                      std::optional<packet_type> type = std::nullopt) noexcept {
  const std::uint8_t* b = bytes.data();
  const std::size_t n = bytes.size();
  start_reader(r, b, b + n, v, opt);
#ifndef __OPTIMIZE_SIZE__  // builds for size keep one copy of the framing code: next_frame's
  if (MQTTCODEC_LIKELY(n >= 2)) {
    std::size_t header = 0;
    std::size_t len = 0;
    rule which = rule::none;
    if (MQTTCODEC_LIKELY(short_remaining_length(b, n, header, len) && header + len == n &&
                         n <= opt.max_packet_size &&
                         (type ? is_first_byte_of(b[0], *type, v)
                               : check_first_byte(b[0], v, which) == errc{}))) {
      r.p = b + header;
      return true;
    }
  }
  // Not r.err itself: a reader whose address is taken lives in memory, not in registers.
  error err{};
  const std::size_t header = open_packet_slow(bytes, v, opt, err);
  r.err = err;
#else
  // Builds for size keep the reader in memory anyway.
  const std::size_t header = open_packet_slow(bytes, v, opt, r.err);
#endif
  r.p = b + header;
  if (header == 0) return false;
  if (type && static_cast<packet_type>(b[0] >> 4u) != *type) {
    r.err = error{errc::invalid_packet_type, 0, nullptr, 0};
    return false;
  }
  return true;
}

// The fast path of 3.x PUBLISH decoding (read_plain_publish_v3) for a decoder of version `v`
// with options `opt`; false when it does not apply or declines the bytes. Builds for size do
// not use it: the full decoder alone is smaller.
MQTTCODEC_HOT_INLINE bool read_plain_publish(bytes_view bytes, protocol_version v,
                                             const decode_options& opt, plain_publish& pp) {
  return is_v3(v) &&
         (opt.sender == role::unknown || may_send(opt.sender, packet_type::publish, v)) &&
         read_plain_publish_v3(bytes, v, opt.max_packet_size, pp);
}

// The fast path of decode for the packets that have one fixed size: an acknowledgement with a
// non-zero packet id and nothing after it (4 bytes: PUBACK, PUBREC, PUBREL, PUBCOMP; in 5.0
// the short form meaning Success), and PINGREQ, PINGRESP or DISCONNECT without a body (2
// bytes; a 5.0 DISCONNECT meaning Normal disconnection). Every version has them in exactly
// these bytes. Decoded into `out`, which holds the empty pingreq, for a decoder of a known
// version told no sender; false for anything else, which is decode_any's. Builds for size do
// not use it. An acknowledgement is built by its constructor, which stores the member
// initializers only; DISCONNECT, an aggregate, is copied from empty_packet, which measured
// faster than its value-initialization (a zero-fill with `rep stos`).
MQTTCODEC_HOT_INLINE bool read_fixed_size(bytes_view bytes, protocol_version v,
                                          const decode_options& opt, result<packet>& out) {
  const std::uint8_t* b = bytes.data();
  const std::size_t n = bytes.size();
  // The size first: every other packet leaves after a compare or two.
  auto plain = [&] {
    return opt.sender == role::unknown && is_known(v) && n <= opt.max_packet_size;
  };
  if (n == 4 && b[1] == 2 && plain()) {
    const std::uint16_t id = load_u16(b + 2);
    auto ack = [&](auto tag) {
      using P = typename decltype(tag)::type;
      out->template emplace<P>(id);
      return true;
    };
    if (id == 0) return false;
    switch (b[0]) {
      case fixed_first_byte(packet_type::puback): return ack(type_tag<puback>{});
      case fixed_first_byte(packet_type::pubrec): return ack(type_tag<pubrec>{});
      case fixed_first_byte(packet_type::pubrel): return ack(type_tag<pubrel>{});
      case fixed_first_byte(packet_type::pubcomp): return ack(type_tag<pubcomp>{});
      default: return false;
    }
  }
  if (n == 2 && b[1] == 0 && plain()) {
    switch (b[0]) {
      case fixed_first_byte(packet_type::pingreq): return true;  // `out` holds it already
      case fixed_first_byte(packet_type::pingresp): out->template emplace<pingresp>(); return true;
      case fixed_first_byte(packet_type::disconnect):
        out->template emplace<disconnect>(empty_packet<disconnect>);
        return true;
      default: return false;
    }
  }
  return false;
}

template <class P, class V>
MQTTCODEC_HOT_INLINE bool decode_into(reader& r, std::uint8_t flags, const V& ver, P& out) {
  if (!decode_body(r, flags, ver, out)) return false;
  if (MQTTCODEC_UNLIKELY(r.p != r.end)) return r.fail(errc::trailing_bytes, rule::none);
  return true;
}

// Where decode_any tests for bytes after the packet's last field. Builds for size test once,
// after the switch on the packet type, instead of in each of its 14 cases (440 B less in a
// 3.1.1 program). Optimized builds test in each case, where the test folds away for PUBLISH,
// whose payload takes the rest of the packet (3 instructions less per PUBLISH).
#ifdef __OPTIMIZE_SIZE__
inline constexpr bool trailing_test_per_type = false;
#else
inline constexpr bool trailing_test_per_type = true;
#endif

// The full decoder behind decode, into `out`, which holds the empty pingreq (see
// decode_variant). Out of line, so that decode_variant, inlined into the caller, stays small.
template <class V>
MQTTCODEC_NOINLINE void decode_any(result<packet>& out, bytes_view bytes, const V& ver,
                                   const decode_options& opt) {
  if (!is_known(ver.get())) {
    out.set_error(error{errc::invalid_version, 0, nullptr, 0});
    return;
  }
  reader r{};
  if (!open_packet(bytes, ver.get(), opt, r) ||
      !check_packet_direction(r, static_cast<packet_type>(bytes[0] >> 4u), ver.get(), opt.sender)) {
    out.set_error(r.err);
    return;
  }
  const bool told_sender = opt.sender != role::unknown;
  const auto flags = static_cast<std::uint8_t>(bytes[0] & 0x0Fu);
  bool ok = true;
  auto run = [&](auto tag) {
    using P = typename decltype(tag)::type;
    P& pkt = out->template emplace<P>(empty_packet<P>);
    ok = trailing_test_per_type ? decode_into(r, flags, ver, pkt) : decode_body(r, flags, ver, pkt);
    if constexpr (std::is_same_v<P, publish>) {
      if (!ok) cite_sender_rule(r, ver, opt.sender);
    }
    // After every format rule (trailing bytes, tested later in builds for size, included).
    if constexpr (has_sender_rules<P>) {
      if (ver.is_v5() && MQTTCODEC_UNLIKELY(told_sender) && ok && r.p == r.end) {
        ok = check_decoded_sender(r, pkt, opt.sender);
      }
    }
  };
  switch (static_cast<packet_type>(bytes[0] >> 4u)) {
    case packet_type::connect: run(type_tag<connect>{}); break;
    case packet_type::connack: run(type_tag<connack>{}); break;
    case packet_type::publish: run(type_tag<publish>{}); break;
    case packet_type::puback: run(type_tag<puback>{}); break;
    case packet_type::pubrec: run(type_tag<pubrec>{}); break;
    case packet_type::pubrel: run(type_tag<pubrel>{}); break;
    case packet_type::pubcomp: run(type_tag<pubcomp>{}); break;
    case packet_type::subscribe: run(type_tag<subscribe>{}); break;
    case packet_type::suback: run(type_tag<suback>{}); break;
    case packet_type::unsubscribe: run(type_tag<unsubscribe>{}); break;
    case packet_type::unsuback: run(type_tag<unsuback>{}); break;
    case packet_type::pingreq: run(type_tag<pingreq>{}); break;
    case packet_type::pingresp: run(type_tag<pingresp>{}); break;
    case packet_type::disconnect: run(type_tag<disconnect>{}); break;
    case packet_type::auth:
      // The framer refused type 15 outside 5.0; a compile-time 3.x version compiles no AUTH.
      if (ver.is_v5()) {
        run(type_tag<auth>{});
      } else {
        out.set_error(
            error{errc::invalid_packet_type, 0, rule_id(rule::packet_type_reserved, false), 0});
        return;
      }
      break;
  }
  if (MQTTCODEC_UNLIKELY(!ok || (!trailing_test_per_type && r.p != r.end))) {
    if (ok) r.fail(errc::trailing_bytes, rule::none);
    out.set_error(r.err);
  }
}

// decode. One result object on every path, so it is built in the caller's storage (NRVO) and
// the packet is decoded straight into it. It starts as the empty pingreq: a default packet
// would value-initialize a CONNECT (the largest alternative, zero-filled) only to destroy it
// when the real type is emplaced. A 3.x PUBLISH the fast path accepts, and a packet of one
// fixed size (read_fixed_size), are decoded inline in the caller; anything else goes to
// decode_any.
template <class V>
MQTTCODEC_HOT_INLINE result<packet> decode_variant(bytes_view bytes, const V& ver,
                                                   const decode_options& opt) {
  result<packet> out{std::in_place, std::in_place_type<pingreq>};
#ifndef __OPTIMIZE_SIZE__
  if (plain_publish pp; MQTTCODEC_LIKELY(read_plain_publish(bytes, ver.get(), opt, pp))) {
    pp.fill(out->template emplace<publish>(empty_packet<publish>));
    return out;
  }
  if (read_fixed_size(bytes, ver.get(), opt, out)) return out;
#endif
  decode_any(out, bytes, ver, opt);
  return out;
}

// After the fixed header: the body of a packet of type P, with every rule checked (the
// direction rules when opt.sender says who sent it). False with r.err set.
template <class P, class V>
MQTTCODEC_HOT_INLINE bool decode_checked_body(reader& r, std::uint8_t flags, const V& ver,
                                              const decode_options& opt, P& out) {
  if (!check_packet_direction(r, P::type, ver.get(), opt.sender)) return false;
  if (!decode_into(r, flags, ver, out)) {
    if constexpr (std::is_same_v<P, publish>) cite_sender_rule(r, ver, opt.sender);
    return false;
  }
  if constexpr (has_sender_rules<P>) {
    if (ver.is_v5() && MQTTCODEC_UNLIKELY(opt.sender != role::unknown)) {
      return check_decoded_sender(r, out, opt.sender);
    }
  }
  return true;
}

// The full decoder behind decode_as: every rule checked, every error named.
template <class P, class V>
result<P> decode_checked(bytes_view bytes, const V& ver, const decode_options& opt) {
  // One result object on every path, as in decode_any: built in the caller's storage (NRVO),
  // so the packet is never moved.
  // Default-initialized: every member of a packet struct has an initializer, and the decoder
  // sets the fields it reads, so the zero-fill of value-initialization would be wasted.
  result<P> out{default_init_t{}};
  reader r{};
  if (!is_known(ver.get())) {
    out.set_error(error{errc::invalid_version, 0, nullptr, 0});
    return out;
  }
  if (!open_packet(bytes, ver.get(), opt, r, P::type) ||
      !decode_checked_body(r, static_cast<std::uint8_t>(bytes[0] & 0x0Fu), ver, opt, *out)) {
    out.set_error(r.err);
  }
  return out;
}

// decode_checked kept out of line, for the PUBLISH fast path of decode_one to fall back on:
// that path is inlined into the caller, and the whole decoder with it would be too much.
template <class P, class V>
MQTTCODEC_NOINLINE result<P> decode_checked_call(bytes_view bytes, const V& ver,
                                                 const decode_options& opt) {
  return decode_checked<P>(bytes, ver, opt);
}

// decode_as. A 3.x PUBLISH the fast path accepts is decoded inline in the caller, with no
// registers to save and no store until the packet is known good (W1: 161 -> 123 instructions);
// anything else goes to the full decoder.
template <class P, class V>
MQTTCODEC_HOT_INLINE result<P> decode_one(bytes_view bytes, const V& ver,
                                          const decode_options& opt) {
  static_assert(is_packet_v<P>, "decode_as<P>: P must be one of the packet structs");
#ifndef __OPTIMIZE_SIZE__
  if constexpr (std::is_same_v<P, publish>) {
    plain_publish pp;
    if (MQTTCODEC_LIKELY(read_plain_publish(bytes, ver.get(), opt, pp))) {
      result<P> out{default_init_t{}};
      pp.fill(*out);
      return out;
    }
    return decode_checked_call<P>(bytes, ver, opt);
  }
#endif
  return decode_checked<P>(bytes, ver, opt);
}

// The size of the head of the PUBLISH whose first `avail` bytes, fewer than its `packet_size`,
// start at `b`: its fixed header, topic name, packet identifier and, with `properties` (5.0), its
// property block; or 0, with `more` set to the least number of further bytes that would tell
// the size or hold the head. A head that would run past its packet asks for the whole packet
// instead, whose decode then names the error.
inline std::size_t publish_head_size(const std::uint8_t* b, std::size_t avail,
                                     std::size_t packet_size, std::size_t header, bool properties,
                                     std::size_t& more) noexcept {
  auto lacks = [&](std::size_t want) {
    want = want < packet_size ? want : packet_size;
    if (want <= avail) return false;
    more = want - avail;
    return true;
  };
  std::size_t at = header;
  if (lacks(at + 2)) return 0;
  at += 2u + std::size_t{load_u16(b + at)};  // the topic name
  if ((b[0] & 0x06u) != 0) at += 2;          // QoS 1 or 2: the packet identifier
  if (properties) {
    if (lacks(at + 1)) return 0;
    // The Property Length starts within the input (at < avail < packet_size).
    const varint_parse len = parse_varint(b + at, b + avail);
    if (len.status == varint_parse::need_more) {
      more = 1;
      return 0;
    }
    if (len.status == varint_parse::too_long) {
      more = packet_size - avail;
      return 0;
    }
    at += len.size + std::size_t{len.value};
  }
  return lacks(at) ? 0 : at;
}

// The frame of the PUBLISH that `input` starts with, for the readers of its first bytes
// (decode_publish_head, skip_publish): invalid, with `err` set, for an unknown version, a fixed
// header that does not frame or another packet type; header_size 0 until the fixed header is
// whole.
inline frame publish_frame(bytes_view input, protocol_version v, const decode_options& opt) {
  frame f;
  if (!is_known(v)) {
    f.status = frame_status::invalid;
    f.err = error{errc::invalid_version, 0, nullptr, 0};
    return f;
  }
  f = next_frame(input, opt.framing(v));
  if (f.status != frame_status::invalid && f.header_size != 0 && f.type != packet_type::publish) {
    f.status = frame_status::invalid;
    f.err = error{errc::invalid_packet_type, 0, nullptr, 0};
  }
  return f;
}

// decode_publish_head into `h`; false when the packet is invalid (h.err says why). The head is
// decoded by decode_checked_body, decode_as's decoder, over a reader that ends where the head
// does, so it is checked as decode_as checks it: no rule of a PUBLISH concerns its payload. A
// whole packet in the input is decoded whole.
template <class V>
bool read_head(bytes_view input, const V& ver, const decode_options& opt, publish_head& h) {
  const frame f = publish_frame(input, ver.get(), opt);
  if (f.status == frame_status::invalid) {
    h.err = f.err;
    return false;
  }
  if (f.header_size == 0) {  // the fixed header is not whole yet
    h.size = f.size;
    return true;
  }
  const std::uint8_t* const b = input.data();
  const std::size_t packet_size = std::size_t{f.header_size} + f.remaining_length;
  std::size_t end = packet_size;
  if (f.status == frame_status::need_more) {
    end = publish_head_size(b, input.size(), packet_size, f.header_size, ver.is_v5(), h.size);
    if (end == 0) return true;
  }
  reader r{};
  start_reader(r, b, b + end, ver.get(), opt);
  r.p = b + f.header_size;
  if (!decode_checked_body(r, f.flags, ver, opt, h.packet)) {
    h.err = r.err;
    return false;
  }
  h.status = frame_status::complete;
  if (end == packet_size) {  // decode_body took the whole payload
    h.size = packet_size - h.packet.payload.size();
  } else {
    h.size = end;
    h.packet.payload = input.subview(end);
  }
  h.payload_size = packet_size - h.size;
  return true;
}

template <class V>
publish_head decode_head(bytes_view input, const V& ver, const decode_options& opt) {
  publish_head h;  // one object on every path, built in the caller's storage (NRVO)
  if (!read_head(input, ver, opt, h)) h.status = frame_status::invalid;
  return h;
}

// What encoding does whatever the packet type: the size limit, the sink's space and the fixed
// header. In builds for size it stays one function per sink rather than one copy per packet
// type; optimized builds inline it (MQTTCODEC_HOT_INLINE). Returns where the body goes, or
// nullptr with `err` set; `total` is the packet's size.
template <class Sink>
MQTTCODEC_HOT_INLINE std::uint8_t* open_packet_output(const encode_plan& pl, Sink& sink,
                                                      std::size_t& total, error& err) {
  if (pl.remaining_length > max_varint) {
    err = error{errc::packet_too_large, 0, nullptr, 0};
    return nullptr;
  }
  const auto rl = static_cast<std::uint32_t>(pl.remaining_length);
  total = 1 + varint_size(rl) + rl;
  if constexpr (sink_traits<Sink>::counts_only) {
    sink.count(total);
    return nullptr;
  } else {
    const std::size_t want = sink_traits<Sink>::gathers_payload ? total - pl.payload.size() : total;
    std::uint8_t* out = sink.prepare(want);
    if (out == nullptr) {
      err = error{errc::buffer_too_small, 0, nullptr, 0};
      return nullptr;
    }
    writer w{out};
    w.u8(pl.first_byte);
    w.varint(rl);
    return w.p;
  }
}

// A packet type's body writer, behind one signature so that what follows the plan is
// compiled once per sink rather than once per packet type.
using write_body_fn = void (*)(writer&, const void* packet, protocol_version, const encode_plan&);

// The version is passed by value: a compile-time version's writer ignores it, so the callers
// of such a program only load a constant.
template <class P, class V>
void write_body_of(writer& w, const void* p, protocol_version v, const encode_plan& pl) {
  if constexpr (std::is_same_v<V, version_value>) {
    write_body(w, *static_cast<const P*>(p), version_value{v}, pl);
  } else {
    write_body(w, *static_cast<const P*>(p), V{}, pl);
  }
}

// Everything of encoding after the plan: its error, the size limit, the sink, the fixed
// header, the body and the payload. Optimized builds inline it (MQTTCODEC_HOT_INLINE), and
// the constant `body` becomes a direct, inlined call; builds for size keep one copy per sink.
template <class Sink>
MQTTCODEC_HOT_INLINE result<std::size_t> encode_planned_to(plan_status st, const encode_plan& pl,
                                                           Sink& sink, write_body_fn body,
                                                           const void* p, protocol_version ver) {
  if (MQTTCODEC_UNLIKELY(st.failed())) return to_error(st);
  std::size_t total = 0;
  error err{};
  std::uint8_t* out = open_packet_output(pl, sink, total, err);
  if constexpr (!sink_traits<Sink>::counts_only) {
    if (out == nullptr) return err;
    writer w{out};
    body(w, p, ver, pl);
    if constexpr (sink_traits<Sink>::gathers_payload) {
      sink.payload(pl.payload);
    } else {
      w.raw(pl.payload.data(), pl.payload.size());
    }
  } else {
    if (err.code != errc{}) return err;
  }
  return total;
}

// `Out` is a sink, or a byte range (mutable_bytes_view) to write into through a span_sink made
// here: once per program rather than in every packet type's code.
template <class Out>
MQTTCODEC_HOT_INLINE result<std::size_t> encode_planned(plan_status st, const encode_plan& pl,
                                                        Out& out, write_body_fn body, const void* p,
                                                        protocol_version ver) {
  if constexpr (std::is_same_v<Out, mutable_bytes_view>) {
    span_sink sink{out};
    return encode_planned_to(st, pl, sink, body, p, ver);
  } else {
    return encode_planned_to(st, pl, out, body, p, ver);
  }
}

template <class V>
inline constexpr bool is_static_v3 = false;
template <protocol_version P>
inline constexpr bool is_static_v3<version_constant<P>> = P != protocol_version::v5;

template <class P>
inline constexpr bool is_publish_response = false;
template <packet_type T>
inline constexpr bool is_publish_response<publish_response<T>> = true;

inline void write_ack_v3(writer& w, const void* id, protocol_version, const encode_plan&) {
  w.u16(*static_cast<const std::uint16_t*>(id));
}

// PUBACK, PUBREC, PUBREL and PUBCOMP of a compile-time 3.x version: one encoder per sink for
// the four types, with the checks of their plan() in the same order (zero packet id, then any
// 5.0-only field: reason code, properties).
template <class Out>
MQTTCODEC_HOT_INLINE result<std::size_t> encode_ack_v3(std::uint8_t first_byte, std::uint16_t id,
                                                       reason_code code,
                                                       const ack_properties& props, Out& out) {
  const bool v5_fields = code != reason_code::success || any_property(props);
  encode_plan pl;
  plan_status st;
  if (id == 0) {
    st = plan_error(errc::zero_packet_id, rule::packet_id_nonzero, false);
  } else if (v5_fields) {
    st = plan_error(errc::field_not_in_version, rule::none, false);
  } else {
    pl.first_byte = first_byte;
    pl.remaining_length = 2;
  }
  return encode_planned(st, pl, out, &write_ack_v3, &id, protocol_version::v311);
}

inline void write_nothing(writer&, const void*, protocol_version, const encode_plan&) {}

// PINGREQ, PINGRESP and DISCONNECT of a compile-time 3.x version, which are a fixed header
// only: one encoder per sink for the three types. `v5_fields` is whether a 5.0-only field
// (DISCONNECT's reason code or properties) is set.
template <class Out>
MQTTCODEC_HOT_INLINE result<std::size_t> encode_empty_v3(std::uint8_t first_byte, bool v5_fields,
                                                         Out& out) {
  encode_plan pl;
  plan_status st;
  if (v5_fields) {
    st = plan_error(errc::field_not_in_version, rule::none, false);
  } else {
    pl.first_byte = first_byte;
  }
  return encode_planned(st, pl, out, &write_nothing, nullptr, protocol_version::v311);
}

template <class P, class V, class Out>
result<std::size_t> encode_to(const P& p, const V& ver, Out& out) {
  if (!is_known(ver.get())) return error{errc::invalid_version, 0, nullptr, 0};
  if constexpr (is_publish_response<P> && is_static_v3<V>) {
    return encode_ack_v3(fixed_first_byte(P::type), p.packet_id, p.reason_code, p.props, out);
  } else if constexpr ((std::is_same_v<P, pingreq> ||
                        std::is_same_v<P, pingresp>)&&is_static_v3<V>) {
    return encode_empty_v3(fixed_first_byte(P::type), false, out);
  } else if constexpr (std::is_same_v<P, disconnect> && is_static_v3<V>) {
    return encode_empty_v3(fixed_first_byte(packet_type::disconnect),
                           p.reason_code != reason_code::success || any_property(p.props), out);
  } else if constexpr (std::is_same_v<P, auth> && is_static_v3<V>) {
    // Said here rather than through plan(), so that no AUTH writer is compiled.
    return encode_error(errc::invalid_packet_type, rule::packet_type_reserved, false);
  } else {
    encode_plan pl;
    const plan_status st = plan(p, ver, pl);
    return encode_planned(st, pl, out, &write_body_of<P, V>, &p, ver.get());
  }
}

// Encodes to a sink, or in place into a contiguous byte range (bounded). A 3.x PUBLISH that
// write_plain_publish_v3 accepts is written by it, inline in the caller; anything else goes to
// the full encoder, which is a call: with a run-time version it tests the version throughout
// (W1: 187 instructions per packet against the fast path's 134). With a compile-time version
// GCC inlines the full encoder into a caller that is its only one (127), but a program that
// encodes a PUBLISH from two places calls it (170), so the fast path serves that version too
// (133-136 either way; forward_bench).
template <class P, class V, class Out>
MQTTCODEC_HOT_INLINE result<std::size_t> encode_out(const P& p, const V& ver, Out&& out) {
  using S = std::remove_cv_t<std::remove_reference_t<Out>>;
  if constexpr (sink_traits<S>::is_sink) {
    return encode_to(p, ver, out);
  } else if constexpr (!std::is_constructible_v<mutable_bytes_view, Out&>) {
    // Its own branch, so that the message is the only error (not the first of a hundred lines).
    static_assert(sink_traits<S>::is_sink,
                  "encode needs a sink (size_sink, span_sink, container_sink, gather_sink) or "
                  "a writable contiguous range of bytes (a pointer is not one: pass "
                  "mutable_bytes_view(pointer, size))");
    return error{errc::buffer_too_small};
  } else {
#ifdef __OPTIMIZE_SIZE__
    // The range is passed on, and encode_planned makes its span_sink: once per program.
    mutable_bytes_view bytes(out);
    return encode_to(p, ver, bytes);
#else
    if constexpr (std::is_same_v<P, publish> &&
                  (std::is_same_v<V, version_value> || is_static_v3<V>)) {
      if (is_v3(ver.get())) {
        const std::size_t n = write_plain_publish_v3(p, mutable_bytes_view(out));
        if (MQTTCODEC_LIKELY(n != 0)) return n;
      }
    }
    // Here the compiler keeps the span_sink in registers better (SUBSCRIBE encode<v311>: 458
    // instructions instead of 471).
    span_sink s{mutable_bytes_view(out)};
    return encode_to(p, ver, s);
#endif
  }
}

template <class V, class Out>
result<std::size_t> encode_variant(const packet& p, const V& ver, Out&& out) {
  return std::visit(
      [&](const auto& pkt) -> result<std::size_t> {
        return encode_out(pkt, ver, std::forward<Out>(out));
      },
      p);
}

// A sink that takes all of a packet but its last `after` bytes: the payload bytes that follow
// what encode_publish_head writes, which its caller sends itself. It has the members of the
// sink it wraps, so it prepares, counts or gathers as that sink does.
template <class Sink>
class head_sink {
 public:
  head_sink(Sink& sink, std::size_t after) noexcept : sink_(sink), after_(after) {}
  template <class S = Sink, class = std::enable_if_t<has_prepare<S>::value>>
  std::uint8_t* prepare(std::size_t n) {
    return sink_.prepare(n - after_);
  }
  template <class S = Sink, class = std::enable_if_t<has_count<S>::value>>
  void count(std::size_t n) {
    sink_.count(n - after_);
  }
  template <class S = Sink, class = std::enable_if_t<has_payload<S>::value>>
  void payload(bytes_view b) {
    sink_.payload(b);
  }

 private:
  Sink& sink_;
  std::size_t after_;
};

// encode_publish_head: PUBLISH's plan, with `after` more payload bytes in the remaining length
// and a sink that is not asked for them.
template <class V, class Sink>
result<std::size_t> encode_head_to(const publish& p, std::size_t after, const V& ver, Sink& out) {
  if (!is_known(ver.get())) return error{errc::invalid_version, 0, nullptr, 0};
  encode_plan pl;
  const plan_status st = plan(p, ver, pl);
  // Past max_varint the size check of encode_planned refuses it, without an overflow here.
  pl.remaining_length += clamp_size(after);
  head_sink<Sink> head{out, after};
  const result<std::size_t> total =
      encode_planned(st, pl, head, &write_body_of<publish, V>, &p, ver.get());
  if (!total) return total.error();
  return *total - after;
}

template <class V, class Out>
result<std::size_t> encode_head(const publish& p, std::size_t after, const V& ver, Out&& out) {
  using S = std::remove_cv_t<std::remove_reference_t<Out>>;
  if constexpr (sink_traits<S>::is_sink) {
    return encode_head_to(p, after, ver, out);
  } else if constexpr (!std::is_constructible_v<mutable_bytes_view, Out&>) {
    static_assert(sink_traits<S>::is_sink,  // alone in its branch, as in encode_out
                  "encode_publish_head needs a sink or a writable contiguous range of bytes (a "
                  "pointer is not one: pass mutable_bytes_view(pointer, size))");
    return error{errc::buffer_too_small};
  } else {
    span_sink s{mutable_bytes_view(out)};
    return encode_head_to(p, after, ver, s);
  }
}

}  // namespace detail

/// Decodes one complete packet (exactly `bytes`, as framed by next_frame) of protocol version
/// `v`. CONNECT is decoded by its own protocol level whatever `v` says. The result's views
/// point into `bytes`. Never allocates.
MQTTCODEC_HOT_INLINE result<packet> decode(bytes_view bytes, protocol_version v,
                                           const decode_options& opt = {}) {
  return detail::decode_variant(bytes, detail::version_value{v}, opt);
}

/// Decodes one complete packet of the compile-time version V; code for other versions is
/// not instantiated. A CONNECT of another version fails with unsupported_protocol_version.
template <protocol_version V>
MQTTCODEC_HOT_INLINE result<packet> decode(bytes_view bytes, const decode_options& opt = {}) {
  return detail::decode_variant(bytes, version_constant<V>{}, opt);
}

/// Decodes one complete packet that must be of type P (e.g. after next_frame said so):
/// no variant, fails with invalid_packet_type for another type.
template <class P>
MQTTCODEC_HOT_INLINE result<P> decode_as(bytes_view bytes, protocol_version v,
                                         const decode_options& opt = {}) {
  return detail::decode_one<P>(bytes, detail::version_value{v}, opt);
}

/// decode_as for the compile-time version V.
template <class P, protocol_version V>
MQTTCODEC_HOT_INLINE result<P> decode_as(bytes_view bytes, const decode_options& opt = {}) {
  return detail::decode_one<P>(bytes, version_constant<V>{}, opt);
}

/// Decodes the head of a PUBLISH (publish_head) from `input`, which starts at the packet and
/// may end anywhere before or after the packet's end: for receiving a payload larger than the
/// buffer in pieces. The head is checked exactly as decode_as<publish> checks it; the payload is
/// not read. A receiver whose buffer is full while the answer is need_more cannot take this
/// packet. Never allocates.
inline publish_head decode_publish_head(bytes_view input, protocol_version v,
                                        const decode_options& opt = {}) {
  return detail::decode_head(input, detail::version_value{v}, opt);
}

/// decode_publish_head for the compile-time version V.
template <protocol_version V>
publish_head decode_publish_head(bytes_view input, const decode_options& opt = {}) {
  return detail::decode_head(input, version_constant<V>{}, opt);
}

/// What a receiver needs to drop a PUBLISH it cannot take, such as one whose head is larger than
/// its buffer, and still acknowledge it: closing the connection instead would only bring a QoS 1
/// or 2 message back on the next one. Read from the packet's first bytes, up to its Packet
/// Identifier (skip_publish).
struct publish_skip {
  /// complete: the fields below are read; need_more: read at least `size` more bytes and call
  /// again with them appended; invalid: the packet breaks the rule in `err`.
  frame_status status = frame_status::need_more;
  /// complete: the whole packet's size, the bytes to drop from its start; need_more: the least
  /// number of further bytes needed.
  std::size_t size = 1;
  mqttcodec::qos qos = mqttcodec::qos::at_most_once;  ///< complete: the QoS to acknowledge at
  std::uint16_t packet_id = 0;                        ///< complete, QoS 1 and 2: non-zero
  error err{};  ///< invalid: why, as decode_as<publish> of the whole packet would report it
};

/// Reads a PUBLISH from `input`, which starts at the packet and may end anywhere, as far as its
/// Packet Identifier: its fixed header, topic name and packet identifier, checked as
/// decode_as<publish> checks them (an empty topic name too, in 3.x; in 5.0 it depends on a Topic
/// Alias in the properties, which are not read). It asks for no byte past the packet
/// identifier, so a receiver whose buffer holds the topic can drop any PUBLISH: acknowledge
/// `packet_id` (in 5.0 with a failure reason code such as 0x80 Unspecified error or 0x83
/// Implementation specific error, which ends the exchange; a 3.x acknowledgement carries no
/// code) and discard `size` bytes. A 3.x head is no longer than what this reads; a 5.0 head
/// adds the properties. Never allocates.
inline publish_skip skip_publish(bytes_view input, protocol_version v,
                                 const decode_options& opt = {}) {
  publish_skip s;
  const auto invalid = [&s](const error& e) {
    s.status = frame_status::invalid;
    s.err = e;
    return s;
  };
  const frame f = detail::publish_frame(input, v, opt);
  if (f.status == frame_status::invalid) return invalid(f.err);
  if (f.header_size == 0) {  // the fixed header is not whole yet
    s.size = f.size;
    return s;
  }
  const std::uint8_t* const b = input.data();
  const std::size_t packet_size = std::size_t{f.header_size} + f.remaining_length;
  // A packet not yet whole is read as far as its packet identifier: its head without the
  // property block.
  std::size_t end = packet_size;
  if (f.status == frame_status::need_more) {
    end = detail::publish_head_size(b, input.size(), packet_size, f.header_size, false, s.size);
    if (end == 0) return s;
  }
  detail::reader r{};
  detail::start_reader(r, b, b + end, v, opt);
  r.p = b + f.header_size;
  publish p;
  if (!detail::read_publish_start(r, f.flags, p)) {
    detail::cite_sender_rule(r, detail::version_value{v}, opt.sender);
    return invalid(r.err);
  }
  if (p.topic.empty() && v != protocol_version::v5) {
    r.fail_at(errc::empty_topic, f.header_size, detail::rule::publish_topic_nonempty);
    return invalid(r.err);
  }
  s.status = frame_status::complete;
  s.size = packet_size;
  s.qos = p.qos;
  s.packet_id = p.packet_id;
  return s;
}

/// The protocol version a CONNECT names by its protocol name and level, read from its first
/// bytes: `input` starts at the packet and may end anywhere after the level. For a server whose
/// decode of a CONNECT failed, to answer in the client's version: a 5.0 CONNACK with
/// error::reason(), or a 3.x CONNACK with error::connack_return_code() (or none). Fails as
/// decode(input, protocol_version::v5, opt) fails on the same bytes (framed by `opt`;
/// invalid_packet_type for another packet type, invalid_protocol_name,
/// unsupported_protocol_version), with `truncated` when they end before the level. A CONNECT
/// over opt.max_packet_size fails with packet_too_large; refuse_connect, which answers a
/// refused CONNECT, reads the version without that limit.
inline result<protocol_version> connect_version(bytes_view input,
                                                const decode_options& opt = {}) noexcept {
  const frame f = next_frame(input, opt.framing(protocol_version::v5));
  if (f.status == frame_status::invalid) return f.err;
  if (f.header_size == 0) {
    return error{errc::truncated, static_cast<std::uint32_t>(input.size()), nullptr, 0};
  }
  if (f.type != packet_type::connect) return error{errc::invalid_packet_type, 0, nullptr, 0};
  const std::uint8_t* const b = input.data();
  const std::size_t packet_size = std::size_t{f.header_size} + f.remaining_length;
  detail::reader r{};
  const std::size_t end = input.size() < packet_size ? input.size() : packet_size;
  detail::start_reader(r, b, b + end, protocol_version::v5, opt);
  r.p = b + f.header_size;
  const protocol_version v = detail::read_protocol(r, detail::version_value{protocol_version::v5});
  if (v == protocol_version{}) return r.err;
  return v;
}

/// How a server answers a CONNECT it refused: this CONNACK, encoded in `version`.
struct connect_refusal {
  connack ack;               ///< its reason code (5.0) or return code (3.x) says why
  protocol_version version;  ///< the version to encode it in: the one the client asked for
};

/// The answer to a CONNECT whose decode (or framing) with options `opt` failed with `e`,
/// `input` being its bytes as far as they arrived: a 5.0 CONNACK with e.reason() when the
/// CONNECT names 5.0 (read with `opt` but for its size limit), a 3.x
/// CONNACK with e.connack_return_code() when that is not 0 (an unacceptable protocol name or
/// level, in 3.1.1 form, or a rejected client identifier), else none: close the connection
/// without a CONNACK [MQTT-3.1.4-1, MQTT-3.2.2-6 of 3.1.1]. A CONNECT whose fixed header does
/// not frame (reserved flag bits, a remaining length not minimal or over four bytes) names no
/// version, and gets none too, whatever level follows. Either way the server then closes it
/// (3.1.1 [MQTT-3.2.2-5], 5.0 [MQTT-3.2.2-7]).
inline std::optional<connect_refusal> refuse_connect(bytes_view input, const error& e,
                                                     decode_options opt = {}) noexcept {
  // No size limit: a CONNECT refused as too large still names its version.
  opt.max_packet_size = decode_options{}.max_packet_size;
  const result<protocol_version> v = connect_version(input, opt);
  connect_refusal r{};
  if (v && *v == protocol_version::v5) {
    const reason_code rc = e.reason();
    const bool fits = reason_code_allowed(packet_type::connack, static_cast<std::uint8_t>(rc)) &&
                      rc != reason_code::success;
    r.ack.reason_code = fits ? rc : reason_code::unspecified_error;
    r.version = protocol_version::v5;
    return r;
  }
  const std::uint8_t rc = e.connack_return_code();
  if (rc == 0) return std::nullopt;
  r.ack.set_return_code(static_cast<connack_return_code>(rc));
  r.version = v ? *v : protocol_version::v311;
  return r;
}

/// Encodes packet `p` for version `v` into `out`: a sink (size_sink, span_sink,
/// container_sink, gather_sink or your own) or a writable byte range, filled from its start.
/// Returns the packet's size, or the error the decoder would report for the same packet: its
/// code, statement and property (one that breaks several rules may be refused for another of
/// them than the decoder meets first). Never allocates (a container_sink grows its container,
/// as asked).
template <class P, class Out, class = std::enable_if_t<is_packet_v<P>>>
MQTTCODEC_HOT_INLINE result<std::size_t> encode(const P& p, protocol_version v, Out&& out) {
  return detail::encode_out(p, detail::version_value{v}, std::forward<Out>(out));
}

/// encode for the compile-time version V.
template <protocol_version V, class P, class Out, class = std::enable_if_t<is_packet_v<P>>>
MQTTCODEC_HOT_INLINE result<std::size_t> encode(const P& p, Out&& out) {
  return detail::encode_out(p, version_constant<V>{}, std::forward<Out>(out));
}

/// Encodes PUBLISH `p` as the start of a packet whose payload goes on for `after` bytes past
/// `p.payload`, bytes the caller sends itself (from flash, a file, a camera): the fixed header
/// counts them, and what is written is the head and `p.payload`, which may be empty. For
/// sending a payload larger than memory; the counterpart of decode_publish_head. Validates `p`
/// as encode does. Returns the bytes written (the packet's size less `after`).
template <class Out>
result<std::size_t> encode_publish_head(const publish& p, std::size_t after, protocol_version v,
                                        Out&& out) {
  return detail::encode_head(p, after, detail::version_value{v}, std::forward<Out>(out));
}

/// encode_publish_head for the compile-time version V.
template <protocol_version V, class Out>
result<std::size_t> encode_publish_head(const publish& p, std::size_t after, Out&& out) {
  return detail::encode_head(p, after, version_constant<V>{}, std::forward<Out>(out));
}

/// Encodes whichever packet `p` holds.
template <class Out>
result<std::size_t> encode(const packet& p, protocol_version v, Out&& out) {
  return detail::encode_variant(p, detail::version_value{v}, std::forward<Out>(out));
}

/// Checks the rules that hold in one direction only, for packet `p` sent by `sender` in
/// version `v`: that side may send this packet type (the direction of flow of 3.1.1 Table 2.1
/// and 5.0 Table 2-1), and in 5.0 a client's PUBLISH carries no Subscription Identifier
/// [MQTT-3.3.4-6], a server's DISCONNECT no Session Expiry Interval [MQTT-3.14.2-2], and a
/// DISCONNECT or AUTH reason code is one its sender may use (`reason_code_sent_by`). Decoding
/// applies it when decode_options::sender is set; encoding is not told who sends, so a sender
/// that wants these rules kept calls it first. Fails with errc::wrong_sender (offset 0, the
/// identifier or reason code at fault in error::value); a `sender` of role::unknown passes.
template <class P, class = std::enable_if_t<is_packet_v<P>>>
result<void> check_sender(const P& p, protocol_version v, role sender) noexcept {
  if (!may_send(sender, P::type, v)) return error{errc::wrong_sender, 0, nullptr, 0};
  if (v != protocol_version::v5) return {};
  const detail::sender_fault f = detail::find_sender_fault(p, sender);
  if (f.which == detail::rule::none) return {};
  return error{errc::wrong_sender, 0, detail::rule_id(f.which, true), f.value};
}

/// check_sender for whichever packet `p` holds.
// NOLINTNEXTLINE(bugprone-exception-escape): never valueless (nothrow_alternatives)
inline result<void> check_sender(const packet& p, protocol_version v, role sender) noexcept {
  return std::visit([&](const auto& q) { return check_sender(q, v, sender); }, p);
}

/// The version to encode packet `p` with on a connection of version `v`: `v`, but for a
/// CONNECT whose `version` is set (every decoded one) that version, the only one encode
/// accepts for it. For code that re-encodes what it decoded, as a proxy does: decoding reads
/// a CONNECT by its own level whatever version it is given.
template <class P, class = std::enable_if_t<is_packet_v<P>>>
constexpr protocol_version encode_version(const P& p, protocol_version v) noexcept {
  if constexpr (std::is_same_v<P, connect>) {
    if (p.version != protocol_version{}) return p.version;
  }
  return v;
}

/// encode_version for whichever packet `p` holds.
inline protocol_version encode_version(const packet& p, protocol_version v) noexcept {
  const auto* c = std::get_if<connect>(&p);
  return c != nullptr ? encode_version(*c, v) : v;
}

/// A field of a packet that a protocol version cannot carry; see field_not_in_version().
struct version_field {
  /// The packet's member: "props", "will.props", "reason_code", "reason_codes",
  /// "subscriptions.options.no_local", "subscriptions.options.retain_as_published" or
  /// "subscriptions.options.retain"; null when every field fits the version.
  const char* member = nullptr;
  /// Which property, when `member` names a properties struct ("props", "will.props").
  property_id property{};

  /// Whether a field was found.
  explicit operator bool() const noexcept { return member != nullptr; }
};

namespace detail {
template <class Props>
version_field first_property(const Props& props, const char* member) noexcept {
  version_field f;
  for_each_property(props, [&](property_id id, const auto&) {
    if (f.member == nullptr) f = {member, id};
  });
  return f;
}
}  // namespace detail

/// Which field made encode fail with errc::field_not_in_version: the first of `p` that
/// version `v` cannot carry (3.x has no properties, reason codes in acknowledgements,
/// UNSUBACK or DISCONNECT, or subscription options but the maximum QoS), or none. The error
/// itself does not say, so that a 3.x program carries none of these names; call this to
/// find out, e.g. when a bridge from 5.0 to 3.1.1 must drop the field. A CONNECT whose
/// `version` is set to another version fails with errc::invalid_version before its fields
/// are looked at; for it this answers none (a bridge sets `version` to the one it writes).
template <class P, class = std::enable_if_t<is_packet_v<P>>>
version_field field_not_in_version(const P& p, protocol_version v) noexcept {
  if constexpr (std::is_same_v<P, connect>) {
    if (p.version != protocol_version{} && p.version != v) return {};
  }
  if (v == protocol_version::v5) return {};
  if constexpr (std::is_same_v<P, connect>) {
    if (p.will) {
      if (const version_field f = detail::first_property(p.will->props, "will.props")) return f;
    }
  }
  if constexpr (std::is_same_v<P, subscribe>) {
    for (const subscription& s : p.subscriptions) {
      if (s.options.no_local) return {"subscriptions.options.no_local", {}};
      if (s.options.retain_as_published) return {"subscriptions.options.retain_as_published", {}};
      if (s.options.retain != retain_handling::send_on_subscribe) {
        return {"subscriptions.options.retain", {}};
      }
    }
  }
  if constexpr (std::is_same_v<P, unsuback>) {
    if (!p.reason_codes.empty()) return {"reason_codes", {}};
  }
  if constexpr (detail::is_publish_response<P> || std::is_same_v<P, disconnect>) {
    if (p.reason_code != reason_code::success) return {"reason_code", {}};
  }
  if constexpr (std::is_same_v<P, pingreq> || std::is_same_v<P, pingresp> ||
                std::is_same_v<P, auth>) {
    return {};  // no 5.0 field; a 3.x AUTH fails as a packet type, invalid_packet_type
  } else {
    return detail::first_property(p.props, "props");
  }
}

/// field_not_in_version for whichever packet `p` holds.
// NOLINTNEXTLINE(bugprone-exception-escape): never valueless (nothrow_alternatives)
inline version_field field_not_in_version(const packet& p, protocol_version v) noexcept {
  return std::visit([&](const auto& q) { return field_not_in_version(q, v); }, p);
}

namespace detail {
// Whether packet type P has properties that include a Reason String (the packets
// encode_to_fit may trim: the acknowledgements, CONNACK, DISCONNECT, AUTH).
template <class P, class = void>
inline constexpr bool has_reason_string = false;
template <class P>
inline constexpr bool has_reason_string<P, std::void_t<decltype(P::props)>> =
    std::is_base_of_v<property::reason_string_field, decltype(P::props)>;
}  // namespace detail

/// What encode_to_fit left out to meet the peer's Maximum Packet Size.
struct fit_report {
  std::size_t size = 0;                  ///< bytes written
  bool dropped_reason_string = false;    ///< the Reason String was left out
  bool dropped_user_properties = false;  ///< the User Properties were left out
};

/// Encodes `p` for a peer whose Maximum Packet Size is `peer_maximum` (5.0 §3.1.2.11.4,
/// §3.2.2.3.6). When the packet is too large, the spec lets a sender leave out the Reason
/// String and then the User Properties of an acknowledgement, CONNACK, DISCONNECT or AUTH
/// (e.g. [MQTT-3.4.2-2], [MQTT-3.4.2-3]); this does that, in that order, and reports it.
/// Other packets (PUBLISH, CONNECT, SUBSCRIBE, …) are never trimmed: they fail with
/// packet_too_large, and the caller decides (a server discards such a PUBLISH). A packet that
/// fits costs what encode costs, so this is also the one-pass way to check a PUBLISH against
/// the peer's maximum.
template <class P, class Out, class = std::enable_if_t<is_packet_v<P>>>
result<fit_report> encode_to_fit(const P& p, protocol_version v, std::uint32_t peer_maximum,
                                 Out&& out) {
  if (!is_known(v)) return error{errc::invalid_version, 0, nullptr, 0};
  // A packet that fits costs what encode costs: one plan (validation and size), one write.
  detail::encode_plan pl;
  const detail::plan_status st = detail::plan(p, detail::version_value{v}, pl);
  if (st.failed()) return detail::to_error(st);
  // Past max_varint no peer can take the packet either: it goes to the trimming below.
  if (pl.remaining_length <= max_varint &&
      1 + varint_size(static_cast<std::uint32_t>(pl.remaining_length)) + pl.remaining_length <=
          peer_maximum) {
    using S = std::remove_cv_t<std::remove_reference_t<Out>>;
    result<std::size_t> written = error{};
    const auto body = &detail::write_body_of<P, detail::version_value>;
    if constexpr (sink_traits<S>::is_sink) {
      written = detail::encode_planned(st, pl, out, body, &p, v);
    } else if constexpr (!std::is_constructible_v<mutable_bytes_view, Out&>) {
      static_assert(sink_traits<S>::is_sink,  // alone in its branch, as in encode_out
                    "encode_to_fit needs a sink or a writable contiguous range of bytes (a "
                    "pointer is not one: pass mutable_bytes_view(pointer, size))");
    } else {
      mutable_bytes_view bytes(out);
      written = detail::encode_planned(st, pl, bytes, body, &p, v);
    }
    if (!written) return written.error();
    return fit_report{*written, false, false};
  }
  // Too large: leave out what the spec lets a sender leave out, in its order, until it fits.
  if constexpr (detail::has_reason_string<P>) {
    fit_report report;
    P trimmed = p;
    for (int step = 0; step < 2; ++step) {
      if (step == 0) {
        if (!trimmed.props.reason_string) continue;
        trimmed.props.reason_string.reset();
        report.dropped_reason_string = true;
      } else {
        if (trimmed.props.user_properties.empty()) continue;
        trimmed.props.user_properties = user_property_list{};
        report.dropped_user_properties = true;
      }
      const auto size = encoded_size(trimmed, v);
      if (!size && size.error().code != errc::packet_too_large) return size.error();
      if (!size || *size > peer_maximum) continue;
      const auto written = encode(trimmed, v, std::forward<Out>(out));
      if (!written) return written.error();
      report.size = *written;
      return report;
    }
  }
  return error{errc::packet_too_large, 0, nullptr, 0};
}

/// encode_to_fit for whichever packet `p` holds (a proxy that forwards decoded packets).
template <class Out>
result<fit_report> encode_to_fit(const packet& p, protocol_version v, std::uint32_t peer_maximum,
                                 Out&& out) {
  return std::visit(
      [&](const auto& q) { return encode_to_fit(q, v, peer_maximum, std::forward<Out>(out)); }, p);
}

/// The number of bytes encode would write, after the same validation.
template <class P, class = std::enable_if_t<is_packet_v<P> || std::is_same_v<P, packet>>>
result<std::size_t> encoded_size(const P& p, protocol_version v) {
  size_sink s;
  return encode(p, v, s);
}

MQTTCODEC_NAMESPACE_END

#endif

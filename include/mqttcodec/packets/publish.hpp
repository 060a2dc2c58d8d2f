// mqttcodec: PUBLISH (§3.3) and its acknowledgements PUBACK, PUBREC, PUBREL, PUBCOMP
// (§3.4-3.7), for 3.1, 3.1.1 and 5.0.
#ifndef MQTTCODEC_PACKETS_PUBLISH_HPP
#define MQTTCODEC_PACKETS_PUBLISH_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/codec.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// PUBLISH: an application message. Decoded views point into the packet buffer.
struct publish {
  static constexpr packet_type type = packet_type::publish;  ///< for generic code

  std::string_view topic;  ///< topic name; empty only in 5.0 with props.topic_alias
  bytes_view payload;      ///< application payload, never copied
  mqttcodec::qos qos = mqttcodec::qos::at_most_once;  ///< delivery guarantee, 0-2
  bool retain = false;                                ///< kept for future subscribers
  bool dup = false;             ///< re-delivery; must be false at QoS 0 [MQTT-3.3.1-2]
  std::uint16_t packet_id = 0;  ///< QoS 1 and 2 only; non-zero
  publish_properties props;     ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const publish& a, const publish& b) noexcept {
    return a.topic == b.topic && a.payload == b.payload && a.qos == b.qos && a.retain == b.retain &&
           a.dup == b.dup && a.packet_id == b.packet_id && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const publish& a, const publish& b) noexcept { return !(a == b); }
};

/// PUBACK, PUBREC, PUBREL or PUBCOMP (one struct template; each is its own type).
/// In 3.x only `packet_id` is carried; reason_code must stay success and props empty.
template <packet_type T>
struct publish_response {
  static constexpr packet_type type = T;  ///< for generic code

  /// Every member at its initializer. User-provided on purpose: with the implicit one, the
  /// variant `decode` building an acknowledgement (`emplace`) zero-filled it first, which GCC
  /// does with a `rep stos`, slow to start (a 3.1.1 PUBACK took 6.4 ns instead of 3.1).
  /// constexpr for the constant empty packets.
  constexpr publish_response() noexcept {}
  /// `packet_id` and, for 5.0, `reason_code`; the properties empty.
  constexpr explicit publish_response(
      std::uint16_t id, mqttcodec::reason_code rc = mqttcodec::reason_code::success) noexcept
      : packet_id(id), reason_code(rc) {}

  std::uint16_t packet_id = 0;                                           ///< non-zero
  mqttcodec::reason_code reason_code = mqttcodec::reason_code::success;  ///< 5.0 only
  ack_properties props;                                                  ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const publish_response& a, const publish_response& b) noexcept {
    return a.packet_id == b.packet_id && a.reason_code == b.reason_code && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const publish_response& a, const publish_response& b) noexcept {
    return !(a == b);
  }
};

/// PUBACK (§3.4): QoS 1 acknowledgement.
using puback = publish_response<packet_type::puback>;
/// PUBREC (§3.5): QoS 2 delivery, part 1.
using pubrec = publish_response<packet_type::pubrec>;
/// PUBREL (§3.6): QoS 2 delivery, part 2.
using pubrel = publish_response<packet_type::pubrel>;
/// PUBCOMP (§3.7): QoS 2 delivery, part 3.
using pubcomp = publish_response<packet_type::pubcomp>;

namespace detail {

// The low nibble of a PUBLISH's first byte (DUP, QoS, RETAIN), both ways.
MQTTCODEC_HOT_INLINE void set_flags(publish& p, std::uint8_t flags) noexcept {
  p.retain = (flags & 0x01u) != 0;
  p.qos = static_cast<qos>((flags >> 1) & 0x03u);
  p.dup = (flags & 0x08u) != 0;
}
MQTTCODEC_HOT_INLINE std::uint8_t first_byte_of(const publish& p) noexcept {
  return static_cast<std::uint8_t>(0x30u | (p.dup ? 0x08u : 0u) |
                                   (static_cast<unsigned>(p.qos) << 1) | (p.retain ? 0x01u : 0u));
}

// Topic name rules shared by PUBLISH and the will: UTF-8 was checked by the reader; no
// wildcards [MQTT-3.3.2-2].
inline bool check_topic_name(reader& r, std::string_view topic, const std::uint8_t* field) {
  if (const std::size_t at = find_wildcard(topic, 0); MQTTCODEC_UNLIKELY(at != topic.size())) {
    return r.fail_at(errc::topic_has_wildcard,
                     r.offset_of(field) + 2 + static_cast<std::uint32_t>(at),
                     rule::publish_topic_no_wildcard);
  }
  return true;
}

// Reads a topic name field (PUBLISH, the will) and checks its UTF-8 and wildcards. A plain one
// settles both in one pass; any other takes the checks that name what failed where.
MQTTCODEC_HOT_INLINE bool read_topic_name(reader& r, std::string_view& out) {
  const std::uint8_t* field = r.p;
  bytes_view topic;
  if (!r.binary(topic)) return false;
  out = topic.as_chars();
  if (MQTTCODEC_LIKELY(is_plain_topic_name(out))) return true;
  return r.utf8(out, field) && check_topic_name(r, out, field);
}

// The encoder's check of a topic name field (PUBLISH, the will) that is not plain (see
// is_plain_topic_name): the checks that name what it breaks, read_topic_name's mirror.
// Emptiness is the caller's (PUBLISH allows it with a Topic Alias).
inline plan_status plan_unplain_topic_name(std::string_view topic, bool v5) {
  if (const errc e = check_string_field(topic); e != errc{}) {
    return plan_error(e, topic_string_rule(e), v5);
  }
  if (has_wildcards(topic)) {
    return plan_error(errc::topic_has_wildcard, rule::publish_topic_no_wildcard, v5);
  }
  return plan_ok;
}

// The fields of a PUBLISH before its properties: the flags, the topic name and, at QoS 1 and 2,
// the packet identifier. Shared with skip_publish, which reads no further.
MQTTCODEC_HOT_INLINE bool read_publish_start(reader& r, std::uint8_t flags, publish& out) {
  set_flags(out, flags);
  if (MQTTCODEC_UNLIKELY(out.dup && out.qos == qos::at_most_once)) {
    return r.fail_at(errc::invalid_header_flags, 0, rule::publish_dup_qos0);
  }
  if (!read_topic_name(r, out.topic)) return false;
  return out.qos == qos::at_most_once || read_packet_id(r, out.packet_id);
}

// After a PUBLISH failed to decode: 5.0 states the non-zero packet identifier once for each
// side, and the reader cites the client's statement; told that a server sent the packet, the
// error cites the server's. (3.1.1 has one statement for both.)
template <class V>
void cite_sender_rule(reader& r, const V& ver, role sender) noexcept {
  if (ver.is_v5() && sender == role::server && r.err.code == errc::zero_packet_id) {
    r.err.rule = rule_id(rule::server_packet_id_nonzero, true);
  }
}

// Always inlined in optimized builds: the hottest packet of most programs, and as a call it
// would keep the reader in memory instead of registers.
template <class V>
MQTTCODEC_HOT_INLINE bool decode_body(reader& r, std::uint8_t flags, const V& ver, publish& out) {
  const std::uint8_t* topic_field = r.p;
  if (!read_publish_start(r, flags, out)) return false;
  if (!read_properties_if_v5(r, ver, out.props)) return false;
  if (MQTTCODEC_UNLIKELY(out.topic.empty())) {
    // 5.0 allows an empty topic name only when a Topic Alias stands for it (§3.3.2.1).
    if (!ver.is_v5() || !out.props.topic_alias) {
      return r.fail_at(errc::empty_topic, r.offset_of(topic_field), rule::publish_topic_nonempty);
    }
  }
  out.payload = bytes_view(r.p, r.left());
  r.p = r.end;
  return true;
}

// The fields of a PUBLISH that read_plain_publish_v3 accepted.
struct plain_publish {
  std::string_view topic;
  bytes_view payload;
  std::uint8_t flags = 0;  // the low nibble of the first byte
  std::uint16_t packet_id = 0;

  // Sets the fields of `p` a 3.x PUBLISH has (its properties stay as they are).
  MQTTCODEC_HOT_INLINE void fill(publish& p) const noexcept {
    p.topic = topic;
    p.payload = payload;
    set_flags(p, flags);
    p.packet_id = packet_id;
  }
};

// The common 3.x PUBLISH, recognized without a reader or an error: one packet with a 1- or
// 2-byte remaining length, no larger than `max_size`, a non-empty topic that passes
// is_plain_topic_name, and a non-zero packet id at QoS 1 and 2. It answers false for anything
// else, valid or not, and the caller then runs the full decoder, which alone names errors; so
// it may refuse what is valid but must never accept what the full decoder refuses (the
// robustness and fuzz tests compare the two). A leaf without calls: no registers to save,
// no stores until the packet is known good.
MQTTCODEC_HOT_INLINE bool read_plain_publish_v3(bytes_view bytes, protocol_version v,
                                                std::uint32_t max_size, plain_publish& out) {
  const std::uint8_t* b = bytes.data();
  const std::size_t n = bytes.size();
  if (n < 4 || n > max_size || !is_first_byte_of(b[0], packet_type::publish, v)) return false;
  std::size_t header = 0;
  std::size_t len = 0;
  if (!short_remaining_length(b, n, header, len)) return false;
  const std::uint8_t flags = b[0] & 0x0Fu;
  const auto level = static_cast<qos>((flags >> 1) & 0x03u);
  const std::size_t id_size = level == qos::at_most_once ? 0 : 2;
  // DUP at QoS 0 is an error [MQTT-3.3.1-2]; n >= header + 2 keeps the topic length in bounds.
  if (header + len != n || n < header + 2 || ((flags & 0x08u) != 0 && id_size == 0)) return false;
  const std::uint8_t* topic = b + header + 2;
  const std::size_t topic_size = load_u16(b + header);
  if (topic_size == 0 || topic_size + id_size > n - header - 2) return false;
  const std::string_view name(reinterpret_cast<const char*>(topic), topic_size);
  if (!is_plain_topic_name(name)) return false;
  const std::uint8_t* rest = topic + topic_size;
  std::uint16_t id = 0;
  if (id_size != 0) {
    id = load_u16(rest);
    if (id == 0) return false;
    rest += 2;
  }
  out.topic = name;
  out.payload = bytes_view(rest, static_cast<std::size_t>(b + n - rest));
  out.flags = flags;
  out.packet_id = id;
  return true;
}

// Always inlined in optimized builds, as the body decoder is: GCC inlined the compile-time
// versions' plan but called the run-time version's, whose plan then went through memory.
template <class V>
MQTTCODEC_HOT_INLINE plan_status plan(const publish& p, const V& ver, encode_plan& plan) {
  const bool v5 = ver.is_v5();
  if (static_cast<std::uint8_t>(p.qos) > 2)
    return plan_error(errc::invalid_qos, rule::publish_qos_valid, v5);
  if (p.dup && p.qos == qos::at_most_once) {
    return plan_error(errc::invalid_header_flags, rule::publish_dup_qos0, v5);
  }
  if (MQTTCODEC_UNLIKELY(p.topic.size() > max_field_size || !is_plain_topic_name(p.topic))) {
    if (const plan_status st = plan_unplain_topic_name(p.topic, v5); st.failed()) return st;
  }
  if (p.topic.empty() && (!v5 || !p.props.topic_alias)) {
    return plan_error(errc::empty_topic, rule::publish_topic_nonempty, v5);
  }
  plan.remaining_length = 2 + p.topic.size();  // at most 65,537: checked above
  add_size(plan.remaining_length, p.payload.size());
  if (p.qos != qos::at_most_once) {
    if (p.packet_id == 0) return plan_error(errc::zero_packet_id, rule::packet_id_nonzero, v5);
    plan.remaining_length += 2;
  } else if (p.packet_id != 0) {
    // A QoS 0 PUBLISH has no packet identifier field: dropping the value silently would
    // encode a packet that decodes differently.
    return plan_error(errc::unexpected_packet_id, rule::publish_qos0_no_packet_id, v5);
  }
  if (const plan_status st = plan_properties(ver, p.props, plan, plan.props_size); st.failed()) {
    return st;
  }
  plan.first_byte = first_byte_of(p);
  plan.payload = p.payload;
  return plan_ok;
}

template <class V>
void write_body(writer& w, const publish& p, const V& ver, const encode_plan& plan) {
  w.string(p.topic);
  if (p.qos != qos::at_most_once) w.u16(p.packet_id);
  if (ver.is_v5()) write_properties(w, p.props, plan.props_size);
}

// The encoding side of read_plain_publish_v3: writes a 3.x PUBLISH of the common shape (QoS
// and flags valid, a packet id exactly when QoS > 0, a non-empty topic that passes
// is_plain_topic_name, no 5.0 field set, a remaining length of 1 or 2 bytes) into `out` and
// returns its size, or returns 0 and writes nothing for anything else, including a buffer too
// small. The caller then runs the full encoder, which alone names errors; so this must never
// write what the full encoder refuses, nor other bytes than it would (tests compare them).
MQTTCODEC_HOT_INLINE std::size_t write_plain_publish_v3(const publish& p, mutable_bytes_view out) {
  const auto level = static_cast<std::uint8_t>(p.qos);
  if (level > 2 || (p.dup && level == 0) || (level == 0) != (p.packet_id == 0)) return 0;
  if (p.topic.empty() || p.topic.size() > max_field_size || !is_plain_topic_name(p.topic)) {
    return 0;
  }
  // Tested on its own, the payload's size bounds `length` for the compiler too (without it,
  // GCC 12 warns of writes beyond a small caller array after the size test below).
  if (any_property(p.props) || p.payload.size() >= 0x4000u) return 0;
  const std::size_t id_size = level == 0 ? 0 : 2;
  const std::size_t length = 2 + p.topic.size() + id_size + p.payload.size();
  if (length >= 0x4000u) return 0;  // more than two bytes of remaining length
  const std::size_t total = length + (length < 0x80u ? 2 : 3);
  if (total > out.size()) return 0;
  writer w{out.data()};
  w.u8(first_byte_of(p));
  w.varint(static_cast<std::uint32_t>(length));
  w.string(p.topic);
  if (id_size != 0) w.u16(p.packet_id);
  w.raw(p.payload.data(), p.payload.size());
  return total;
}

template <class V, packet_type T>
bool decode_body(reader& r, std::uint8_t, const V& ver, publish_response<T>& out) {
  if (!read_packet_id(r, out.packet_id)) return false;
  if (!ver.is_v5() || r.left() == 0) return true;  // 5.0 short form: success, no properties
  std::uint8_t code = 0;
  (void)r.u8(code);
  if (MQTTCODEC_UNLIKELY(!reason_code_allowed(T, code))) {
    r.p -= 1;
    return r.fail(errc::invalid_reason_code, reason_code_rule(static_cast<unsigned>(T)));
  }
  out.reason_code = static_cast<reason_code>(code);
  if (r.left() == 0) return true;  // reason code without properties
  return read_properties(r, out.props);
}

template <class V, packet_type T>
plan_status plan(const publish_response<T>& p, const V& ver, encode_plan& plan) {
  const bool v5 = ver.is_v5();
  plan.first_byte = fixed_first_byte(T);
  if (p.packet_id == 0) return plan_error(errc::zero_packet_id, rule::packet_id_nonzero, v5);
  plan.remaining_length = 2;
  if (!v5) {
    if (p.reason_code != reason_code::success || any_property(p.props)) {
      return plan_error(errc::field_not_in_version, rule::none, v5);
    }
    return plan_ok;
  }
  if (!reason_code_allowed(T, static_cast<std::uint8_t>(p.reason_code))) {
    return plan_error(errc::invalid_reason_code, reason_code_rule(static_cast<unsigned>(T)), v5);
  }
  const bool has_props = any_property(p.props);
  if (p.reason_code == reason_code::success && !has_props) return plan_ok;  // shortest form
  plan.remaining_length = 3;
  if (!has_props) return plan_ok;
  return plan_properties(ver, p.props, plan, plan.props_size);
}

template <class V, packet_type T>
void write_body(writer& w, const publish_response<T>& p, const V& ver, const encode_plan& plan) {
  w.u16(p.packet_id);
  // A compile-time 3.x version compiles no property writer (its plan is always 2 bytes).
  if (!ver.is_v5()) return;
  if (plan.remaining_length >= 3) w.u8(static_cast<std::uint8_t>(p.reason_code));
  if (plan.remaining_length > 3) write_properties(w, p.props, plan.props_size);
}

}  // namespace detail

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: CONNECT (§3.1) and CONNACK (§3.2), for 3.1, 3.1.1 and 5.0.
#ifndef MQTTCODEC_PACKETS_CONNECT_HPP
#define MQTTCODEC_PACKETS_CONNECT_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/codec.hpp"
#include "mqttcodec/packets/publish.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// The will message of a CONNECT (§3.1.2.5, §3.1.3.2-3.1.3.4).
struct will_message {
  /// Every member at its initializer. User-provided on purpose: an implicit one would make
  /// `will.emplace()` zero-fill all 168 bytes first (GCC: a `rep stos`, slow to start; 11 ns
  /// of a 57 ns 5.0 CONNECT decode), though only the optionals' flags need setting. constexpr
  /// because the variant decode copies a constant empty CONNECT.
  constexpr will_message() noexcept {}

  std::string_view topic;                             ///< a topic name: non-empty, no wildcards
  bytes_view payload;                                 ///< any bytes, possibly none
  mqttcodec::qos qos = mqttcodec::qos::at_most_once;  ///< the QoS to publish the will with
  bool retain = false;                                ///< publish the will as retained
  will_properties props;                              ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const will_message& a, const will_message& b) noexcept {
    return a.topic == b.topic && a.payload == b.payload && a.qos == b.qos && a.retain == b.retain &&
           a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const will_message& a, const will_message& b) noexcept {
    return !(a == b);
  }
};

namespace detail {
// Copies into `to` each field of list L that `from` has too.
template <class From, class To, class... F>
void copy_common_properties(const From& from, To& to, type_list<F...>) noexcept {
  (
      [&] {
        if constexpr (std::is_base_of_v<F, From>) {
          static_cast<F&>(to) = static_cast<const F&>(from);
        }
      }(),
      ...);
}
}  // namespace detail

/// The PUBLISH that delivers will `w` (§3.1.2.5; 3.1.1 §3.1.2.5): its topic, payload, QoS and
/// Retain [MQTT-3.1.2-14/-15] and, in 5.0, every will property a PUBLISH carries too (all but
/// the Will Delay Interval, which says when to send it), User Properties in their order
/// [MQTT-3.1.3-10]. It views the bytes `w` views, so a decoded will's CONNECT must still be
/// held. Left to the server: a packet identifier for QoS 1 and 2, and per subscriber the QoS
/// and Retain its subscription gives.
inline publish will_publish(const will_message& w) noexcept {
  publish p;
  p.topic = w.topic;
  p.payload = w.payload;
  p.qos = w.qos;
  p.retain = w.retain;
  detail::copy_common_properties(w.props, p.props, publish_properties::fields{});
  return p;
}

/// CONNECT. It carries its own protocol level, so it is decoded by that level whatever
/// version the caller expects, and encoded by `version` once that is set.
struct connect {
  static constexpr packet_type type = packet_type::connect;  ///< for generic code

  /// The protocol level. Decoding sets it from the protocol name and level. Unset (the
  /// default, `protocol_version{}`), encode writes the version it is given; set, encode
  /// refuses any other version (invalid_version), so that a decoded CONNECT is not silently
  /// written in its own version where another was asked for.
  protocol_version version = protocol_version{};
  std::string_view client_id;                ///< may be empty (3.1.1 with clean_start)
  bool clean_start = true;                   ///< Clean Session in 3.x
  std::uint16_t keep_alive = 0;              ///< seconds; 0 disables
  std::optional<will_message> will;          ///< set: the Will Flag is set
  std::optional<std::string_view> username;  ///< set: the User Name Flag is set
  std::optional<bytes_view> password;        ///< in 3.x only together with a username
  connect_properties props;                  ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const connect& a, const connect& b) noexcept {
    return a.version == b.version && a.client_id == b.client_id && a.clean_start == b.clean_start &&
           a.keep_alive == b.keep_alive && a.will == b.will && a.username == b.username &&
           a.password == b.password && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const connect& a, const connect& b) noexcept { return !(a == b); }
};

/// CONNACK. In 3.x `reason_code` holds the return code (0-5, see return_code()).
struct connack {
  static constexpr packet_type type = packet_type::connack;  ///< for generic code

  bool session_present = false;  ///< the server resumed a session (always false in 3.1)
  /// 5.0: the CONNACK reason code; 3.x: the return code (0x00-0x05).
  mqttcodec::reason_code reason_code = mqttcodec::reason_code::success;
  connack_properties props;  ///< 5.0 only

  /// The 3.x return code, which shares the byte with the 5.0 reason code.
  [[nodiscard]] connack_return_code return_code() const noexcept {
    return static_cast<connack_return_code>(reason_code);
  }
  /// Sets the 3.x return code (to answer a 3.x client).
  void set_return_code(connack_return_code rc) noexcept {
    reason_code = static_cast<mqttcodec::reason_code>(rc);
  }
  /// Field by field; views compare by content.
  friend bool operator==(const connack& a, const connack& b) noexcept {
    return a.session_present == b.session_present && a.reason_code == b.reason_code &&
           a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const connack& a, const connack& b) noexcept { return !(a == b); }
};

namespace detail {

inline constexpr std::string_view protocol_name_v311 = "MQTT";
inline constexpr std::string_view protocol_name_v31 = "MQIsdp";

// 3.1 limits client identifiers to 1..23 characters (answered with return code 0x02).
inline constexpr std::size_t v31_max_client_id = 23;

// Whether `id`, well-formed UTF-8, is a client identifier 3.1 allows: 1 to 23 characters,
// counted as code points (each starts at a byte that is not a continuation byte), so that
// 23 non-ASCII characters pass as 23 ASCII ones do.
constexpr bool is_v31_client_id(std::string_view id) noexcept {
  if (id.empty()) return false;
  if (id.size() <= v31_max_client_id) return true;
  std::size_t characters = 0;
  for (const char c : id) characters += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  return characters <= v31_max_client_id;
}

// Whether a CONNECT of level `v` is a 5.0 one. A compile-time version admits only its own
// level, so it answers at compile time and a 3.1.1-only program compiles no property code.
template <class V>
constexpr bool connect_is_v5(const V& ver, protocol_version v) noexcept {
  if constexpr (std::is_same_v<V, version_value>) {
    return v == protocol_version::v5;
  } else {
    return ver.is_v5();
  }
}

// The level of decoded CONNECT `c`: its own, which the decoder has set, or at compile time
// the decoder's version, which the CONNECT's must equal.
template <class V, class C>
constexpr protocol_version connect_level(const V& ver, const C& c) noexcept {
  if constexpr (std::is_same_v<V, version_value>) {
    return c.version;
  } else {
    return ver.get();
  }
}

// A CONNECT's protocol name and level, which decide the version of the rest: the version they
// name, or protocol_version{} (no version) with r.err set. A decoder of a compile-time version
// accepts that version's level only.
template <class V>
MQTTCODEC_HOT_INLINE protocol_version read_protocol(reader& r, const V& ver) {
  const std::uint8_t* name_field = r.p;
  bytes_view name;
  std::uint8_t level = 0;
  if (!r.binary(name) || !r.u8(level)) return {};
  // Each name is compared once, as 4-byte words ("MQIsdp" as two that overlap): loads
  // compared with constants, where GCC at -Os calls memcmp for the few bytes.
  static_assert(protocol_name_v311 == "MQTT" && protocol_name_v31 == "MQIsdp");
  const char* n = name.as_chars().data();
  const bool mqtt = name.size() == 4 && load32(n) == load32("MQTT");
  const bool mqisdp =
      name.size() == 6 && load32(n) == load32("MQIs") && load32(n + 2) == load32("Isdp");
  if (!mqtt && !mqisdp) {
    r.fail_at(errc::invalid_protocol_name, r.offset_of(name_field), rule::connect_protocol_name);
    return {};
  }
  bool known_level = false;
  if constexpr (std::is_same_v<V, version_value>) {
    known_level = mqtt ? level == 4 || level == 5 : level == 3;
  } else {
    // A decoder fixed to one version at compile time speaks only that version, which has one
    // name: one compare with a constant and the name's flag.
    known_level = level == static_cast<std::uint8_t>(ver.get()) &&
                  mqtt == (ver.get() != protocol_version::v31);
  }
  if (!known_level) {
    r.p -= 1;
    r.fail(errc::unsupported_protocol_version, rule::connect_protocol_level);
    return {};
  }
  return static_cast<protocol_version>(level);
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, connect& out) {
  out.version = read_protocol(r, ver);
  if (out.version == protocol_version{}) return false;
  const bool v5 = connect_is_v5(ver, out.version);
  r.v5 = v5;

  std::uint8_t flags = 0;
  if (!r.u8(flags)) return false;
  const std::uint32_t flags_at = r.offset() - 1;
  if (flags & 0x01u)
    return r.fail_at(errc::invalid_connect_flags, flags_at, rule::connect_reserved_flag);
  const bool will = (flags & 0x04u) != 0;
  const unsigned will_qos = (flags >> 3) & 0x03u;
  const bool will_retain = (flags & 0x20u) != 0;
  const bool has_password = (flags & 0x40u) != 0;
  const bool has_username = (flags & 0x80u) != 0;
  if (!will && will_qos != 0) {
    return r.fail_at(errc::invalid_will_flags, flags_at, rule::will_qos_without_will);
  }
  if (!will && will_retain) {
    return r.fail_at(errc::invalid_will_flags, flags_at, rule::will_retain_without_will);
  }
  if (will_qos == 3) return r.fail_at(errc::invalid_qos, flags_at, rule::will_qos_valid);
  if (!v5 && has_password && !has_username) {
    return r.fail_at(errc::password_without_username, flags_at, rule::password_without_username);
  }
  out.clean_start = (flags & 0x02u) != 0;
  if (!r.u16(out.keep_alive)) return false;
  if (v5 && !read_properties(r, out.props)) return false;

  const std::uint8_t* id_field = r.p;
  if (!r.string(out.client_id)) return false;
  if (out.version == protocol_version::v31 && !is_v31_client_id(out.client_id)) {
    return r.fail_at(errc::invalid_client_id, r.offset_of(id_field), rule::none);
  }
  if (out.version == protocol_version::v311 && out.client_id.empty() && !out.clean_start) {
    return r.fail_at(errc::invalid_client_id, r.offset_of(id_field),
                     rule::client_id_empty_needs_clean);
  }
  if (will) {
    will_message& w = out.will.emplace();
    w.qos = static_cast<qos>(will_qos);
    w.retain = will_retain;
    if (v5 && !read_properties(r, w.props)) return false;
    const std::uint8_t* topic_field = r.p;
    if (!read_topic_name(r, w.topic)) return false;
    if (w.topic.empty()) {
      return r.fail_at(errc::empty_topic, r.offset_of(topic_field), rule::publish_topic_nonempty);
    }
    if (!r.binary(w.payload)) return false;
  }
  // In 3.1 the Remaining Length takes precedence over the User Name and Password flags: a
  // flagged field may be missing at the end of the packet, and the connection goes on (V3.1
  // §3.1, User name and Password). It decodes as absent; a field cut short is still truncated.
  // (connect_level: known at compile time to a decoder fixed to one version.)
  const bool v31 = connect_level(ver, out) == protocol_version::v31;
  if (has_username && !(v31 && r.p == r.end) && !r.string(out.username.emplace())) return false;
  if (has_password && !(v31 && r.p == r.end) && !r.binary(out.password.emplace())) return false;
  return true;
}

template <class V>
plan_status plan(const connect& c, const V& ver, encode_plan& plan) {
  if (c.version != protocol_version{} && c.version != ver.get()) {
    return plan_error(errc::invalid_version, rule::none, c.version == protocol_version::v5);
  }
  // The level is now the version given; a compile-time one folds the tests of other levels
  // below away.
  const protocol_version v = ver.get();
  const bool v5 = v == protocol_version::v5;
  plan.first_byte = fixed_first_byte(packet_type::connect);
  const std::string_view name = v == protocol_version::v31 ? protocol_name_v31 : protocol_name_v311;
  plan.remaining_length = 2 + name.size() + 1 + 1 + 2;  // name, level, flags, keep alive
  if (const plan_status st = plan_properties(ver, c.props, plan, plan.props_size); st.failed()) {
    return st;
  }

  auto string_field = [&](std::string_view s) -> errc {
    plan.remaining_length += 2 + s.size();
    return check_string_field(s);
  };
  if (const errc e = string_field(c.client_id); e != errc{})
    return plan_error(e, string_rule(e), v5);
  if (v == protocol_version::v31 && !is_v31_client_id(c.client_id)) {
    return plan_error(errc::invalid_client_id, rule::none, v5);
  }
  if (v == protocol_version::v311 && c.client_id.empty() && !c.clean_start) {
    return plan_error(errc::invalid_client_id, rule::client_id_empty_needs_clean, v5);
  }
  if (c.will) {
    const will_message& w = *c.will;
    if (static_cast<std::uint8_t>(w.qos) > 2)
      return plan_error(errc::invalid_qos, rule::will_qos_valid, v5);
    plan.remaining_length += 2 + w.topic.size();
    if (MQTTCODEC_UNLIKELY(w.topic.size() > max_field_size || !is_plain_topic_name(w.topic))) {
      if (const plan_status st = plan_unplain_topic_name(w.topic, v5); st.failed()) return st;
    }
    if (w.topic.empty()) return plan_error(errc::empty_topic, rule::publish_topic_nonempty, v5);
    if (w.payload.size() > max_field_size) return plan_error(errc::value_too_long, rule::none, v5);
    plan.remaining_length += 2 + w.payload.size();
    if (const plan_status st = plan_properties(ver, w.props, plan, plan.will_props_size);
        st.failed()) {
      return st;
    }
  }
  if (c.username) {
    if (const errc e = string_field(*c.username); e != errc{})
      return plan_error(e, string_rule(e), v5);
  }
  if (c.password) {
    if (!v5 && !c.username) {
      return plan_error(errc::password_without_username, rule::password_without_username, v5);
    }
    if (c.password->size() > max_field_size)
      return plan_error(errc::value_too_long, rule::none, v5);
    plan.remaining_length += 2 + c.password->size();
  }
  return plan_ok;
}

template <class V>
void write_body(writer& w, const connect& c, const V& ver, const encode_plan& plan) {
  const protocol_version v = ver.get();  // plan() checked c.version against it
  w.string(v == protocol_version::v31 ? protocol_name_v31 : protocol_name_v311);
  w.u8(static_cast<std::uint8_t>(v));
  unsigned flags = c.clean_start ? 0x02u : 0u;
  if (c.will) {
    flags |= 0x04u | (static_cast<unsigned>(c.will->qos) << 3) | (c.will->retain ? 0x20u : 0u);
  }
  if (c.password) flags |= 0x40u;
  if (c.username) flags |= 0x80u;
  w.u8(static_cast<std::uint8_t>(flags));
  w.u16(c.keep_alive);
  const bool v5 = ver.is_v5();
  if (v5) write_properties(w, c.props, plan.props_size);
  w.string(c.client_id);
  if (c.will) {
    if (v5) write_properties(w, c.will->props, plan.will_props_size);
    w.string(c.will->topic);
    w.binary(c.will->payload);
  }
  if (c.username) w.string(*c.username);
  if (c.password) w.binary(*c.password);
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, connack& out) {
  // A 5.0 CONNACK always has a Property Length, so two bytes mean a 3.x server refused
  // (or accepted) us in its own version: say so, with its return code, so a client can retry
  // with 3.1.1.
  if (ver.is_v5() && r.left() == 2) {
    r.fail_at(errc::connack_from_v311_server, 0, rule::none);
    r.err.value = r.p[1];
    return false;
  }
  std::uint8_t flags = 0;
  std::uint8_t code = 0;
  if (!r.u8(flags)) return false;
  // 3.1 has no Session Present: the whole byte is reserved ("not used").
  const unsigned reserved = ver.get() == protocol_version::v31 ? 0xFFu : 0xFEu;
  if (flags & reserved) {
    r.p -= 1;
    return r.fail(errc::invalid_connack_flags, rule::connack_reserved_flags);
  }
  if (!r.u8(code)) return false;
  if (!reason_code_allowed(packet_type::connack, code, ver.get())) {
    r.p -= 1;
    return r.fail(errc::invalid_reason_code, rule::connack_return_code);
  }
  out.session_present = flags != 0;
  out.reason_code = static_cast<reason_code>(code);
  if (out.session_present && code != 0) {
    return r.fail_at(errc::session_present_on_refusal, r.offset() - 2,
                     rule::connack_session_present_on_refusal);
  }
  return read_properties_if_v5(r, ver, out.props);
}

template <class V>
plan_status plan(const connack& c, const V& ver, encode_plan& plan) {
  const bool v5 = ver.is_v5();
  plan.first_byte = fixed_first_byte(packet_type::connack);
  plan.remaining_length = 2;
  if (!reason_code_allowed(packet_type::connack, static_cast<std::uint8_t>(c.reason_code),
                           ver.get())) {
    return plan_error(errc::invalid_reason_code, rule::connack_return_code, v5);
  }
  // 3.1 has no Session Present (the decoder refuses the bit as reserved); elsewhere it is 0 in
  // a refusal.
  if (c.session_present && ver.get() == protocol_version::v31) {
    return plan_error(errc::invalid_connack_flags, rule::connack_reserved_flags, v5);
  }
  if (c.session_present && c.reason_code != reason_code::success) {
    return plan_error(errc::session_present_on_refusal, rule::connack_session_present_on_refusal,
                      v5);
  }
  return plan_properties(ver, c.props, plan, plan.props_size);
}

template <class V>
void write_body(writer& w, const connack& c, const V& ver, const encode_plan& plan) {
  w.u8(c.session_present ? 1 : 0);
  w.u8(static_cast<std::uint8_t>(c.reason_code));
  if (ver.is_v5()) write_properties(w, c.props, plan.props_size);
}

}  // namespace detail

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: PINGREQ (§3.12), PINGRESP (§3.13), DISCONNECT (§3.14) and AUTH (5.0 §3.15).
#ifndef MQTTCODEC_PACKETS_CONTROL_HPP
#define MQTTCODEC_PACKETS_CONTROL_HPP

#include <cstdint>
#include <type_traits>

#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/codec.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// PINGREQ: keep-alive probe; no fields.
struct pingreq {
  static constexpr packet_type type = packet_type::pingreq;  ///< for generic code
  /// Always true: there are no fields.
  friend constexpr bool operator==(const pingreq&, const pingreq&) noexcept { return true; }
  /// Always false: there are no fields.
  friend constexpr bool operator!=(const pingreq&, const pingreq&) noexcept { return false; }
};

/// PINGRESP: keep-alive answer; no fields.
struct pingresp {
  static constexpr packet_type type = packet_type::pingresp;  ///< for generic code
  /// Always true: there are no fields.
  friend constexpr bool operator==(const pingresp&, const pingresp&) noexcept { return true; }
  /// Always false: there are no fields.
  friend constexpr bool operator!=(const pingresp&, const pingresp&) noexcept { return false; }
};

/// DISCONNECT. In 3.x it has no fields; reason_code must stay success and props empty.
struct disconnect {
  static constexpr packet_type type = packet_type::disconnect;  ///< for generic code

  mqttcodec::reason_code reason_code = mqttcodec::reason_code::success;  ///< 5.0 only
  disconnect_properties props;                                           ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const disconnect& a, const disconnect& b) noexcept {
    return a.reason_code == b.reason_code && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const disconnect& a, const disconnect& b) noexcept { return !(a == b); }
};

/// AUTH (5.0 only): a step of extended authentication.
struct auth {
  static constexpr packet_type type = packet_type::auth;  ///< for generic code

  /// success (0x00), continue_authentication (0x18) or re_authenticate (0x19).
  mqttcodec::reason_code reason_code = mqttcodec::reason_code::success;
  auth_properties props;  ///< the Authentication Method, and Data if any

  /// Field by field; views compare by content.
  friend bool operator==(const auth& a, const auth& b) noexcept {
    return a.reason_code == b.reason_code && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const auth& a, const auth& b) noexcept { return !(a == b); }
};

namespace detail {

template <class V, class P>
std::enable_if_t<std::is_same_v<P, pingreq> || std::is_same_v<P, pingresp>, bool> decode_body(
    reader&, std::uint8_t, const V&, P&) {
  return true;  // any body bytes are reported as trailing by the caller
}

template <class V, class P>
std::enable_if_t<std::is_same_v<P, pingreq> || std::is_same_v<P, pingresp>, plan_status> plan(
    const P&, const V&, encode_plan& plan) {
  plan.first_byte = fixed_first_byte(P::type);
  return plan_ok;
}

template <class V, class P>
std::enable_if_t<std::is_same_v<P, pingreq> || std::is_same_v<P, pingresp>> write_body(
    writer&, const P&, const V&, const encode_plan&) {}

// DISCONNECT and AUTH share one layout in 5.0: nothing (success, no properties), a reason
// code, or a reason code and properties (§3.14.2.1, §3.15.2.1).
template <class P>
bool read_reason_and_properties(reader& r, P& out) {
  if (r.left() == 0) return true;
  std::uint8_t code = 0;
  (void)r.u8(code);
  if (MQTTCODEC_UNLIKELY(!reason_code_allowed(P::type, code))) {
    r.p -= 1;
    return r.fail(errc::invalid_reason_code, reason_code_rule(static_cast<unsigned>(P::type)));
  }
  out.reason_code = static_cast<reason_code>(code);
  // DISCONNECT may stop after its reason code (§3.14.2.2.1); AUTH may drop the Property
  // Length only together with the reason code (§3.15.2.1), so here it is required.
  if (r.left() == 0 && !std::is_same_v<P, auth>) return true;
  return read_properties(r, out.props);
}

template <class P>
plan_status plan_reason_and_properties(const P& p, encode_plan& plan) {
  const version_value v5{protocol_version::v5};
  plan.first_byte = fixed_first_byte(P::type);
  if (!reason_code_allowed(P::type, static_cast<std::uint8_t>(p.reason_code))) {
    return plan_error(errc::invalid_reason_code, reason_code_rule(static_cast<unsigned>(P::type)),
                      true);
  }
  const bool has_props = any_property(p.props);
  if (p.reason_code == reason_code::success && !has_props) return plan_ok;  // shortest form
  plan.remaining_length = 1;
  if (!has_props && !std::is_same_v<P, auth>) return plan_ok;
  return plan_properties(v5, p.props, plan, plan.props_size);
}

template <class P>
void write_reason_and_properties(writer& w, const P& p, const encode_plan& plan) {
  if (plan.remaining_length >= 1) w.u8(static_cast<std::uint8_t>(p.reason_code));
  if (plan.remaining_length > 1) write_properties(w, p.props, plan.props_size);
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, disconnect& out) {
  if (!ver.is_v5()) return true;
  return read_reason_and_properties(r, out);
}

template <class V>
plan_status plan(const disconnect& d, const V& ver, encode_plan& plan) {
  if (!ver.is_v5()) {
    if (d.reason_code != reason_code::success || any_property(d.props)) {
      return plan_error(errc::field_not_in_version, rule::none, false);
    }
    plan.first_byte = fixed_first_byte(packet_type::disconnect);
    return plan_ok;
  }
  return plan_reason_and_properties(d, plan);
}

template <class V>
void write_body(writer& w, const disconnect& d, const V& ver, const encode_plan& plan) {
  // A compile-time 3.x version compiles no property writer (its plan is always empty).
  if (ver.is_v5()) write_reason_and_properties(w, d, plan);
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V&, auth& out) {
  // The framer already refused type 15 outside 5.0.
  const std::uint8_t* body = r.p;
  if (!read_reason_and_properties(r, out)) return false;
  // Omitting the Authentication Method is a Protocol Error (§3.15.2.2.2); only the empty
  // short form (success, no properties) carries none.
  if (r.p != body && !out.props.authentication_method) {
    return r.fail_at(errc::missing_authentication_method, r.offset_of(body), rule::none);
  }
  return true;
}

template <class V>
plan_status plan(const auth& a, const V& ver, encode_plan& plan) {
  if (!ver.is_v5()) return plan_error(errc::invalid_packet_type, rule::packet_type_reserved, false);
  const plan_status st = plan_reason_and_properties(a, plan);
  if (!st.failed() && plan.remaining_length != 0 && !a.props.authentication_method) {
    return plan_error(errc::missing_authentication_method, rule::none, true);
  }
  return st;
}

template <class V>
void write_body(writer& w, const auth& a, const V&, const encode_plan& plan) {
  write_reason_and_properties(w, a, plan);
}

}  // namespace detail

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: which reason code each packet may carry (5.0 §2.4, Table 2-6), with names.
#ifndef MQTTCODEC_REASON_CODES_HPP
#define MQTTCODEC_REASON_CODES_HPP

#include <cstddef>
#include <cstdint>
#include <optional>

#include "mqttcodec/config.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// The spec's name of a 5.0 reason code in snake_case ("no_matching_subscribers"); codes
/// 0x00-0x02 are named by their most common meaning ("success", "granted_qos_1", …).
constexpr const char* to_string(reason_code rc) noexcept {
  switch (rc) {
    case reason_code::success: return "success";
    case reason_code::granted_qos_1: return "granted_qos_1";
    case reason_code::granted_qos_2: return "granted_qos_2";
    case reason_code::disconnect_with_will_message: return "disconnect_with_will_message";
    case reason_code::no_matching_subscribers: return "no_matching_subscribers";
    case reason_code::no_subscription_existed: return "no_subscription_existed";
    case reason_code::continue_authentication: return "continue_authentication";
    case reason_code::re_authenticate: return "re_authenticate";
    case reason_code::unspecified_error: return "unspecified_error";
    case reason_code::malformed_packet: return "malformed_packet";
    case reason_code::protocol_error: return "protocol_error";
    case reason_code::implementation_specific_error: return "implementation_specific_error";
    case reason_code::unsupported_protocol_version: return "unsupported_protocol_version";
    case reason_code::client_identifier_not_valid: return "client_identifier_not_valid";
    case reason_code::bad_user_name_or_password: return "bad_user_name_or_password";
    case reason_code::not_authorized: return "not_authorized";
    case reason_code::server_unavailable: return "server_unavailable";
    case reason_code::server_busy: return "server_busy";
    case reason_code::banned: return "banned";
    case reason_code::server_shutting_down: return "server_shutting_down";
    case reason_code::bad_authentication_method: return "bad_authentication_method";
    case reason_code::keep_alive_timeout: return "keep_alive_timeout";
    case reason_code::session_taken_over: return "session_taken_over";
    case reason_code::topic_filter_invalid: return "topic_filter_invalid";
    case reason_code::topic_name_invalid: return "topic_name_invalid";
    case reason_code::packet_identifier_in_use: return "packet_identifier_in_use";
    case reason_code::packet_identifier_not_found: return "packet_identifier_not_found";
    case reason_code::receive_maximum_exceeded: return "receive_maximum_exceeded";
    case reason_code::topic_alias_invalid: return "topic_alias_invalid";
    case reason_code::packet_too_large: return "packet_too_large";
    case reason_code::message_rate_too_high: return "message_rate_too_high";
    case reason_code::quota_exceeded: return "quota_exceeded";
    case reason_code::administrative_action: return "administrative_action";
    case reason_code::payload_format_invalid: return "payload_format_invalid";
    case reason_code::retain_not_supported: return "retain_not_supported";
    case reason_code::qos_not_supported: return "qos_not_supported";
    case reason_code::use_another_server: return "use_another_server";
    case reason_code::server_moved: return "server_moved";
    case reason_code::shared_subscriptions_not_supported:
      return "shared_subscriptions_not_supported";
    case reason_code::connection_rate_exceeded: return "connection_rate_exceeded";
    case reason_code::maximum_connect_time: return "maximum_connect_time";
    case reason_code::subscription_identifiers_not_supported:
      return "subscription_identifiers_not_supported";
    case reason_code::wildcard_subscriptions_not_supported:
      return "wildcard_subscriptions_not_supported";
  }
  return "unknown";
}

namespace detail {

// A 256-bit set of allowed codes, built from a list at compile time.
struct code_set {
  std::uint64_t words[4] = {0, 0, 0, 0};
  constexpr bool contains(std::uint8_t c) const noexcept {
    return (words[c >> 6] >> (c & 63u)) & 1u;
  }
};

template <std::size_t N>
constexpr code_set make_code_set(const std::uint8_t (&codes)[N]) noexcept {
  code_set s;
  for (std::size_t i = 0; i < N; ++i)
    s.words[codes[i] >> 6] |= std::uint64_t{1} << (codes[i] & 63u);
  return s;
}

inline constexpr std::uint8_t connack_codes[] = {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86,
                                                 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
                                                 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F};
inline constexpr std::uint8_t puback_codes[] = {0x00, 0x10, 0x80, 0x83, 0x87,
                                                0x90, 0x91, 0x97, 0x99};
inline constexpr std::uint8_t pubrel_codes[] = {0x00, 0x92};
inline constexpr std::uint8_t suback_codes[] = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87,
                                                0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
inline constexpr std::uint8_t unsuback_codes[] = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
inline constexpr std::uint8_t disconnect_codes[] = {
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
inline constexpr std::uint8_t auth_codes[] = {0x00, 0x18, 0x19};

// The codes of DISCONNECT (Table 3-10) and AUTH (§3.15.2.1) that the "Sent by" column gives
// to one side only; every other code of those packets either side may send.
inline constexpr std::uint8_t disconnect_server_codes[] = {
    0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
inline constexpr std::uint8_t disconnect_client_codes[] = {0x04};
inline constexpr std::uint8_t auth_server_codes[] = {0x00};
inline constexpr std::uint8_t auth_client_codes[] = {0x19};
inline constexpr code_set disconnect_server_set = make_code_set(disconnect_server_codes);
inline constexpr code_set disconnect_client_set = make_code_set(disconnect_client_codes);
inline constexpr code_set auth_server_set = make_code_set(auth_server_codes);
inline constexpr code_set auth_client_set = make_code_set(auth_client_codes);

// 3.1.1 CONNACK return codes 0-5 [MQTT-3.2.2-6]; SUBACK return codes [MQTT-3.9.3-2], of
// which 3.1 has no 0x80.
inline constexpr std::uint8_t v311_connack_codes[] = {0, 1, 2, 3, 4, 5};
inline constexpr std::uint8_t v311_suback_codes[] = {0x00, 0x01, 0x02, 0x80};
inline constexpr std::uint8_t v31_suback_codes[] = {0x00, 0x01, 0x02};
// As constants, so that a test reads a word of the set instead of building it first.
inline constexpr code_set v311_connack_set = make_code_set(v311_connack_codes);
inline constexpr code_set v311_suback_set = make_code_set(v311_suback_codes);
inline constexpr code_set v31_suback_set = make_code_set(v31_suback_codes);

inline constexpr code_set v5_code_sets[16] = {
    {},                               // reserved
    {},                               // connect
    make_code_set(connack_codes),     // connack
    {},                               // publish
    make_code_set(puback_codes),      // puback
    make_code_set(puback_codes),      // pubrec
    make_code_set(pubrel_codes),      // pubrel
    make_code_set(pubrel_codes),      // pubcomp
    {},                               // subscribe
    make_code_set(suback_codes),      // suback
    {},                               // unsubscribe
    make_code_set(unsuback_codes),    // unsuback
    {},                               // pingreq
    {},                               // pingresp
    make_code_set(disconnect_codes),  // disconnect
    make_code_set(auth_codes),        // auth
};

}  // namespace detail

/// True when `code` may appear as the reason code (return code in 3.x) of packet `type` in
/// version `v`. Packets without a reason code allow none.
constexpr bool reason_code_allowed(packet_type type, std::uint8_t code,
                                   protocol_version v = protocol_version::v5) noexcept {
  if (v != protocol_version::v5) {
    if (type == packet_type::connack) return detail::v311_connack_set.contains(code);
    if (type == packet_type::suback) {
      return v == protocol_version::v31 ? detail::v31_suback_set.contains(code)
                                        : detail::v311_suback_set.contains(code);
    }
    return false;
  }
  return detail::v5_code_sets[static_cast<std::uint8_t>(type) & 0x0Fu].contains(code);
}

/// True when `sender` may send reason code `code` in a 5.0 packet of `type`. Only DISCONNECT
/// and AUTH give some codes to one side (the "Sent by" column of Table 3-10 and of the AUTH
/// reason codes): 0x04 Disconnect with Will Message is the client's, 0x8B Server shutting
/// down the server's, AUTH 0x00 Success the server's and 0x19 Re-authenticate the client's.
/// Whether the packet allows the code at all is `reason_code_allowed`.
constexpr bool reason_code_sent_by(packet_type type, std::uint8_t code, role sender) noexcept {
  const bool server = sender == role::server;
  if (sender == role::unknown) return true;
  if (type == packet_type::disconnect) {
    return !(server ? detail::disconnect_client_set : detail::disconnect_server_set).contains(code);
  }
  if (type == packet_type::auth) {
    return !(server ? detail::auth_client_set : detail::auth_server_set).contains(code);
  }
  return true;
}

// Between versions. Neither spec maps 5.0 reason codes to 3.x return codes; these are the
// library's, for bridges and for servers that answer both versions from one decision. A 5.0
// acknowledgement's reason code has no 3.x counterpart at all (3.x acknowledgements carry
// none), and a 3.x SUBACK or CONNACK code is already the 5.0 code of the same meaning but
// for the return codes below.

/// The 3.1 / 3.1.1 CONNACK return code for 5.0 CONNACK reason code `rc`: 0x00 accepted, 0x84
/// unacceptable protocol version, 0x85 identifier rejected, 0x88, 0x89, 0x97, 0x9C, 0x9D and
/// 0x9F server unavailable, 0x86 bad user name or password, 0x87, 0x8A and 0x8C not
/// authorized. None for the others (malformed packet, protocol error, packet too large, …):
/// a 3.x server closes the connection without a CONNACK there [MQTT-3.1.4-1, MQTT-3.2.2-6].
constexpr std::optional<connack_return_code> to_connack_return_code(reason_code rc) noexcept {
  switch (rc) {
    case reason_code::success: return connack_return_code::accepted;
    case reason_code::unsupported_protocol_version:
      return connack_return_code::unacceptable_protocol_version;
    case reason_code::client_identifier_not_valid: return connack_return_code::identifier_rejected;
    case reason_code::server_unavailable:
    case reason_code::server_busy:
    case reason_code::quota_exceeded:
    case reason_code::use_another_server:
    case reason_code::server_moved:
    case reason_code::connection_rate_exceeded: return connack_return_code::server_unavailable;
    case reason_code::bad_user_name_or_password:
      return connack_return_code::bad_user_name_or_password;
    case reason_code::not_authorized:
    case reason_code::banned:
    case reason_code::bad_authentication_method: return connack_return_code::not_authorized;
    default: return std::nullopt;
  }
}

/// The 5.0 CONNACK reason code for 3.x CONNACK return code `rc` (0-5; 0x80 Unspecified
/// error for a value outside them): 0x00, 0x84, 0x85, 0x88, 0x86, 0x87.
constexpr reason_code to_reason_code(connack_return_code rc) noexcept {
  switch (rc) {
    case connack_return_code::accepted: return reason_code::success;
    case connack_return_code::unacceptable_protocol_version:
      return reason_code::unsupported_protocol_version;
    case connack_return_code::identifier_rejected: return reason_code::client_identifier_not_valid;
    case connack_return_code::server_unavailable: return reason_code::server_unavailable;
    case connack_return_code::bad_user_name_or_password:
      return reason_code::bad_user_name_or_password;
    case connack_return_code::not_authorized: return reason_code::not_authorized;
  }
  return reason_code::unspecified_error;
}

/// The SUBACK return code version `v` (3.1 or 3.1.1) carries for 5.0 SUBACK reason code `rc`:
/// a granted QoS (0x00-0x02) as it is, any failure (0x80 and above) as 0x80 Failure in
/// 3.1.1, and none in 3.1, which has no failure code (the server closes the connection).
constexpr std::optional<std::uint8_t> to_v3_suback_code(reason_code rc,
                                                        protocol_version v) noexcept {
  const auto code = static_cast<std::uint8_t>(rc);
  if (code <= 0x02) return code;
  if (code >= 0x80 && v == protocol_version::v311) return std::uint8_t{0x80};
  return std::nullopt;
}

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: protocol vocabulary shared by every packet: versions, packet types, QoS,
// reason codes and subscription options.
#ifndef MQTTCODEC_TYPES_HPP
#define MQTTCODEC_TYPES_HPP

#include <cstdint>

#include "mqttcodec/config.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Protocol level as carried in CONNECT (3.1 "MQIsdp" = 3, 3.1.1 "MQTT" = 4, 5.0 "MQTT" = 5).
enum class protocol_version : std::uint8_t {
  v31 = 3,   ///< MQTT 3.1 (IBM specification, protocol name "MQIsdp")
  v311 = 4,  ///< MQTT 3.1.1 (OASIS Standard, protocol name "MQTT")
  v5 = 5,    ///< MQTT 5.0 (OASIS Standard, protocol name "MQTT")
};

/// True for a protocol_version the library implements.
constexpr bool is_known(protocol_version v) noexcept {
  return v == protocol_version::v31 || v == protocol_version::v311 || v == protocol_version::v5;
}

/// A protocol version fixed at compile time: `decode<protocol_version::v311>` compiles no 5.0
/// code paths, which the optimiser removes as dead branches.
template <protocol_version P>
struct version_constant {
  static_assert(is_known(P), "protocol_version must be v31, v311 or v5");
  /// The version, P.
  constexpr protocol_version get() const noexcept { return P; }
  /// Whether P is MQTT 5.0.
  constexpr bool is_v5() const noexcept { return P == protocol_version::v5; }
};

/// True for MQTT 3.1 and 3.1.1.
[[nodiscard]] constexpr bool is_v3(protocol_version v) noexcept {
  return v == protocol_version::v31 || v == protocol_version::v311;
}

/// Human-readable version ("3.1", "3.1.1", "5.0"; "unknown" otherwise).
constexpr const char* to_string(protocol_version v) noexcept {
  switch (v) {
    case protocol_version::v31: return "3.1";
    case protocol_version::v311: return "3.1.1";
    case protocol_version::v5: return "5.0";
  }
  return "unknown";
}

/// Control packet type, the high nibble of the first byte (MQTT 3.1.1 §2.2.1, 5.0 §2.1.2).
enum class packet_type : std::uint8_t {
  connect = 1,
  connack = 2,
  publish = 3,
  puback = 4,
  pubrec = 5,
  pubrel = 6,
  pubcomp = 7,
  subscribe = 8,
  suback = 9,
  unsubscribe = 10,
  unsuback = 11,
  pingreq = 12,
  pingresp = 13,
  disconnect = 14,
  auth = 15,  ///< MQTT 5.0 only
};

/// Lower-case packet name ("publish"); "reserved" for 0.
constexpr const char* to_string(packet_type t) noexcept {
  switch (t) {
    case packet_type::connect: return "connect";
    case packet_type::connack: return "connack";
    case packet_type::publish: return "publish";
    case packet_type::puback: return "puback";
    case packet_type::pubrec: return "pubrec";
    case packet_type::pubrel: return "pubrel";
    case packet_type::pubcomp: return "pubcomp";
    case packet_type::subscribe: return "subscribe";
    case packet_type::suback: return "suback";
    case packet_type::unsubscribe: return "unsubscribe";
    case packet_type::unsuback: return "unsuback";
    case packet_type::pingreq: return "pingreq";
    case packet_type::pingresp: return "pingresp";
    case packet_type::disconnect: return "disconnect";
    case packet_type::auth: return "auth";
  }
  return "reserved";
}

/// Which side of a connection sent a packet. Most format rules hold whoever sent it; a few
/// hold in one direction only (a client never sends CONNACK, a server never sends Disconnect
/// with Will Message), and a decoder checks those when it is told the sender
/// (`decode_options::sender`).
enum class role : std::uint8_t {
  unknown,  ///< not told: what either side may send is accepted
  client,
  server,
};

/// "unknown", "client" or "server".
constexpr const char* to_string(role r) noexcept {
  switch (r) {
    case role::unknown: return "unknown";
    case role::client: return "client";
    case role::server: return "server";
  }
  return "unknown";
}

/// True when `sender` may send packets of `type` in version `v`: the "Direction of flow"
/// column of the control packet table (3.1.1 Table 2.1, 5.0 Table 2-1). In 3.x only the client
/// sends DISCONNECT; AUTH exists only in 5.0. Every type is allowed when the sender is unknown.
constexpr bool may_send(role sender, packet_type type, protocol_version v) noexcept {
  // Bit n stands for packet type n: the types only a client sends, and only a server sends.
  constexpr unsigned client_only = (1u << 1) | (1u << 8) | (1u << 10) | (1u << 12);
  constexpr unsigned server_only = (1u << 2) | (1u << 9) | (1u << 11) | (1u << 13);
  constexpr unsigned disconnect = 1u << 14;
  unsigned refused = 0;
  if (sender == role::client) refused = server_only;
  if (sender == role::server) {
    refused = v == protocol_version::v5 ? client_only : client_only | disconnect;
  }
  return ((refused >> (static_cast<unsigned>(type) & 15u)) & 1u) == 0;
}

/// Quality of service of a PUBLISH or a subscription (§4.3).
enum class qos : std::uint8_t {
  at_most_once = 0,
  at_least_once = 1,
  exactly_once = 2,
};

/// MQTT 5.0 Retain Handling subscription option (§3.8.3.1).
enum class retain_handling : std::uint8_t {
  send_on_subscribe = 0,  ///< send retained messages at subscribe time
  send_if_new = 1,        ///< only if the subscription did not exist
  do_not_send = 2,        ///< never send retained messages for this subscription
};

/// The subscription options byte of SUBSCRIBE (5.0 §3.8.3.1; in 3.x only `max_qos`).
struct subscription_options {
  qos max_qos = qos::at_most_once;   ///< maximum QoS the server may deliver with
  bool no_local = false;             ///< 5.0: do not deliver own publications back
  bool retain_as_published = false;  ///< 5.0: keep the RETAIN flag when forwarding
  retain_handling retain = retain_handling::send_on_subscribe;  ///< 5.0

  /// Field by field; views compare by content.
  friend constexpr bool operator==(const subscription_options& a,
                                   const subscription_options& b) noexcept {
    return a.max_qos == b.max_qos && a.no_local == b.no_local &&
           a.retain_as_published == b.retain_as_published && a.retain == b.retain;
  }
  /// Not ==.
  friend constexpr bool operator!=(const subscription_options& a,
                                   const subscription_options& b) noexcept {
    return !(a == b);
  }
};

/// MQTT 5.0 reason codes (§2.4). Which codes a packet may carry is in `reason_code_allowed`.
/// In 3.1.1, CONNACK return codes 0-5 and SUBACK codes 0-2 and 0x80 use the same byte field.
enum class reason_code : std::uint8_t {
  success = 0x00,  ///< also Normal disconnection and Granted QoS 0
  granted_qos_1 = 0x01,
  granted_qos_2 = 0x02,
  disconnect_with_will_message = 0x04,
  no_matching_subscribers = 0x10,
  no_subscription_existed = 0x11,
  continue_authentication = 0x18,
  re_authenticate = 0x19,
  unspecified_error = 0x80,
  malformed_packet = 0x81,
  protocol_error = 0x82,
  implementation_specific_error = 0x83,
  unsupported_protocol_version = 0x84,
  client_identifier_not_valid = 0x85,
  bad_user_name_or_password = 0x86,
  not_authorized = 0x87,
  server_unavailable = 0x88,
  server_busy = 0x89,
  banned = 0x8A,
  server_shutting_down = 0x8B,
  bad_authentication_method = 0x8C,
  keep_alive_timeout = 0x8D,
  session_taken_over = 0x8E,
  topic_filter_invalid = 0x8F,
  topic_name_invalid = 0x90,
  packet_identifier_in_use = 0x91,
  packet_identifier_not_found = 0x92,
  receive_maximum_exceeded = 0x93,
  topic_alias_invalid = 0x94,
  packet_too_large = 0x95,
  message_rate_too_high = 0x96,
  quota_exceeded = 0x97,
  administrative_action = 0x98,
  payload_format_invalid = 0x99,
  retain_not_supported = 0x9A,
  qos_not_supported = 0x9B,
  use_another_server = 0x9C,
  server_moved = 0x9D,
  shared_subscriptions_not_supported = 0x9E,
  connection_rate_exceeded = 0x9F,
  maximum_connect_time = 0xA0,
  subscription_identifiers_not_supported = 0xA1,
  wildcard_subscriptions_not_supported = 0xA2,
};

/// MQTT 3.1 / 3.1.1 CONNACK return codes (3.1.1 §3.2.2.3).
enum class connack_return_code : std::uint8_t {
  accepted = 0x00,
  unacceptable_protocol_version = 0x01,
  identifier_rejected = 0x02,
  server_unavailable = 0x03,
  bad_user_name_or_password = 0x04,
  not_authorized = 0x05,
};

/// The enumerator's name ("identifier_rejected"), or "unknown" for a value outside 0-5. For a
/// 3.x CONNACK print `to_string(c.return_code())`: `to_string(c.reason_code)` names 5.0 codes.
constexpr const char* to_string(connack_return_code rc) noexcept {
  switch (rc) {
    case connack_return_code::accepted: return "accepted";
    case connack_return_code::unacceptable_protocol_version: return "unacceptable_protocol_version";
    case connack_return_code::identifier_rejected: return "identifier_rejected";
    case connack_return_code::server_unavailable: return "server_unavailable";
    case connack_return_code::bad_user_name_or_password: return "bad_user_name_or_password";
    case connack_return_code::not_authorized: return "not_authorized";
  }
  return "unknown";
}

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: error codes, the error value every failing call returns, and std::error_code
// interop.
#ifndef MQTTCODEC_ERROR_HPP
#define MQTTCODEC_ERROR_HPP

#include <cstdint>
#include <string>
#include <system_error>

#include "mqttcodec/config.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Why a packet was rejected (decode) or refused (encode). Numbers are stable: an enumerator is
/// never renumbered or reused. Each names one rule; `error::rule` names the spec statement.
enum class errc : std::uint8_t {
  truncated = 1,                 ///< a field runs past the end of the packet
  trailing_bytes = 2,            ///< bytes remain after the last field the packet defines
  invalid_packet_type = 3,       ///< reserved type (0, or 15 before 5.0), or not in this version
  invalid_header_flags = 4,      ///< fixed-header flag bits not the ones the packet type requires
  invalid_remaining_length = 5,  ///< variable byte integer longer than 4 bytes
  non_minimal_length = 6,        ///< variable byte integer not in its shortest form
  packet_too_large = 7,          ///< packet larger than the configured maximum
  invalid_utf8 = 8,              ///< string is not well-formed UTF-8 (incl. surrogates, overlongs)
  utf8_null_character = 9,       ///< string contains U+0000
  invalid_qos = 10,              ///< QoS value 3 in PUBLISH or the will
  zero_packet_id = 11,           ///< packet identifier 0 where a non-zero one is required
  topic_has_wildcard = 12,       ///< '+' or '#' in a topic name
  empty_topic = 13,              ///< empty topic name (5.0: no Topic Alias) or Response Topic
  invalid_topic_filter = 14,     ///< topic filter empty, a wildcard misplaced, or a bad $share/
  no_topic_filters = 15,         ///< SUBSCRIBE / UNSUBSCRIBE without any topic filter
  invalid_subscription_options = 16,  ///< reserved bits set in subscription options
  invalid_retain_handling = 17,       ///< Retain Handling value 3
  shared_subscription_no_local = 18,  ///< No Local set on a shared subscription
  invalid_protocol_name = 19,         ///< CONNECT protocol name not "MQTT" / "MQIsdp"
  unsupported_protocol_version = 20,  ///< protocol level unknown or not matching the name
  invalid_connect_flags = 21,         ///< CONNECT reserved flag bit set
  invalid_will_flags = 22,            ///< Will QoS / Will Retain set without the Will flag
  password_without_username = 23,     ///< 3.x: Password flag set without User Name flag
  invalid_client_id = 24,             ///< client identifier the version forbids
  invalid_connack_flags = 25,         ///< CONNACK reserved bits (3.1: any bit)
  invalid_reason_code = 26,           ///< reason / return code not allowed in this packet
  unknown_property = 27,              ///< property identifier not defined by 5.0
  property_not_allowed = 28,          ///< property defined, but not allowed in this packet
  duplicate_property = 29,            ///< property that may appear once appears again
  invalid_property_value = 30,        ///< property value out of its range (e.g. 0, not 0/1)
  invalid_property_length = 31,       ///< property length runs past the packet or a property
  auth_data_without_method = 32,      ///< Authentication Data without Authentication Method
  connack_from_v311_server = 33,      ///< a 5.0 client got a 3.1.1 CONNACK: fall back
  field_not_in_version = 34,          ///< encode: a field set that this version cannot carry
  value_too_long = 35,        ///< string or binary longer than 65,535 bytes (encode, topic checks)
  buffer_too_small = 36,      ///< encode: the bounded output has no room
  invalid_version = 37,       ///< version unknown, or a CONNECT's own not the one encode<V> writes
  unexpected_packet_id = 38,  ///< encode: packet identifier set on a QoS 0 PUBLISH
  missing_authentication_method = 39,  ///< AUTH with a body but no Authentication Method
  invalid_subscription_qos = 40,       ///< subscription options with Maximum QoS 3
  wrong_sender = 41,  ///< packet, property or reason code the sender's side may not send
  session_present_on_refusal = 42,  ///< CONNACK with Session Present and a non-zero code
};

/// Number of the highest errc; enumerators are 1..errc_count.
inline constexpr std::uint8_t errc_count = 42;

namespace detail {
struct errc_info {
  const char* name;     // identifier, as printed by mqtt_dump
  const char* message;  // one line for humans
  std::uint8_t reason;  // 5.0 reason code a server answers with
};

// One table is the single source of truth for names, messages and reason codes. The reason
// code rule (docs/reason-codes.md): 0x81 Malformed Packet when the bytes cannot be parsed as
// the spec lays them out (lengths, reserved bits, encodings); 0x82 Protocol Error when they
// parse but break a rule about their values or combination; a specific code where the spec
// names one for that condition.
inline constexpr errc_info errc_table[] = {
    {"ok", "no error", 0x00},
    {"truncated", "a field runs past the end of the packet", 0x81},
    {"trailing_bytes", "bytes remain after the last field of the packet", 0x81},
    {"invalid_packet_type", "packet type is reserved or not part of this protocol version", 0x81},
    {"invalid_header_flags", "fixed header flag bits are not the ones the packet type requires",
     0x81},
    {"invalid_remaining_length", "variable byte integer is longer than 4 bytes", 0x81},
    {"non_minimal_length", "variable byte integer is not encoded in the minimum number of bytes",
     0x81},
    {"packet_too_large", "packet exceeds the maximum packet size", 0x95},
    {"invalid_utf8", "string is not well-formed UTF-8", 0x81},
    {"utf8_null_character", "string contains the null character U+0000", 0x81},
    {"invalid_qos", "PUBLISH or will QoS 3 is reserved", 0x81},
    {"zero_packet_id", "packet identifier must be non-zero", 0x82},
    {"topic_has_wildcard", "topic name contains a wildcard character", 0x82},
    {"empty_topic", "topic name is empty", 0x82},
    {"invalid_topic_filter", "topic filter is not valid", 0x82},
    {"no_topic_filters", "packet must carry at least one topic filter", 0x82},
    {"invalid_subscription_options", "reserved bits of the subscription options are set", 0x81},
    {"invalid_retain_handling", "Retain Handling value 3 is reserved", 0x82},
    {"shared_subscription_no_local", "No Local must not be set on a shared subscription", 0x82},
    {"invalid_protocol_name", "protocol name is not MQTT or MQIsdp", 0x84},
    {"unsupported_protocol_version", "protocol level is not supported for this protocol name",
     0x84},
    {"invalid_connect_flags", "CONNECT reserved flag bit is set", 0x81},
    {"invalid_will_flags", "Will QoS or Will Retain is set without the Will flag", 0x82},
    {"password_without_username", "Password flag is set without the User Name flag", 0x82},
    {"invalid_client_id", "client identifier is not allowed", 0x85},
    {"invalid_connack_flags", "CONNACK acknowledge flags are invalid", 0x81},
    {"invalid_reason_code", "reason code is not allowed in this packet", 0x82},
    {"unknown_property", "property identifier is not defined", 0x81},
    {"property_not_allowed", "property is not allowed in this packet", 0x81},
    {"duplicate_property", "property is included more than once", 0x82},
    {"invalid_property_value", "property value is out of range", 0x82},
    {"invalid_property_length", "property length does not fit the packet", 0x81},
    {"auth_data_without_method", "Authentication Data without Authentication Method", 0x82},
    {"connack_from_v311_server", "server answered with a 3.1.1 CONNACK; it does not speak 5.0",
     0x84},
    {"field_not_in_version", "a field is set that this protocol version cannot carry", 0x82},
    {"value_too_long", "string or binary data is longer than 65535 bytes", 0x81},
    {"buffer_too_small", "output buffer is too small for the packet", 0x00},
    {"invalid_version",
     "protocol version is not 3, 4 or 5, or the CONNECT's version is not the one encoded", 0x84},
    {"unexpected_packet_id", "a QoS 0 PUBLISH has no packet identifier", 0x81},
    {"missing_authentication_method", "AUTH must carry an Authentication Method", 0x82},
    {"invalid_subscription_qos", "subscription Maximum QoS 3 is reserved", 0x82},
    {"wrong_sender", "the sender's side of the connection may not send this", 0x82},
    {"session_present_on_refusal", "CONNACK sets Session Present with a non-zero reason code",
     0x82},
};
static_assert(sizeof(errc_table) / sizeof(errc_table[0]) == errc_count + 1,
              "errc_table needs exactly one row per errc");

constexpr const errc_info& info(errc e) noexcept {
  const auto i = static_cast<std::uint8_t>(e);
  return errc_table[i <= errc_count ? i : 0];
}
}  // namespace detail

/// The enumerator's identifier, e.g. "invalid_qos".
constexpr const char* name(errc e) noexcept {
  return detail::info(e).name;
}

/// A one-line English description.
constexpr const char* to_string(errc e) noexcept {
  return detail::info(e).message;
}

/// The MQTT 5.0 reason code for a packet that fails with `e`, which a server sends in a CONNACK
/// refusing a CONNECT, or (error::disconnect_reason) in a DISCONNECT; 0 for `buffer_too_small`,
/// which is local. See docs/reason-codes.md for the rule.
constexpr reason_code reason_code_for(errc e) noexcept {
  return static_cast<reason_code>(detail::info(e).reason);
}

/// What went wrong, where, and which spec statement says so. Returned by every decode and
/// encode call that fails; trivially copyable, two words on 64-bit targets (three on 32-bit).
struct error {
  errc code{};  ///< the rule that failed
  /// Detail of some errors: the property identifier for property errors; the reason code at
  /// fault for a wrong_sender DISCONNECT or AUTH; the return code received for
  /// connack_from_v311_server; otherwise 0.
  std::uint8_t value = 0;
  std::uint32_t offset = 0;    ///< byte offset into the packet (or stream) where it failed
  const char* rule = nullptr;  ///< spec statement id, e.g. "MQTT-3.3.2-2"; null if none applies

  constexpr error() noexcept = default;
  /// An error without a place: explicit, so that an `errc` never turns into an `error` unseen.
  constexpr explicit error(errc c) noexcept : code(c) {}
  /// The members in the order of a reader's interest, not of their layout (which packs the
  /// two bytes beside the offset): `error{errc::truncated, 9, "MQTT-x"}`.
  constexpr error(errc c, std::uint32_t at, const char* statement = nullptr,
                  std::uint8_t detail = 0) noexcept
      : code(c), value(detail), offset(at), rule(statement) {}

  /// The 5.0 reason code to send in a CONNACK; for a DISCONNECT see disconnect_reason().
  [[nodiscard]] constexpr reason_code reason() const noexcept { return reason_code_for(code); }
  /// The 5.0 reason code of a DISCONNECT that `sender` sends to close the connection over this
  /// error: reason(), except where such a DISCONNECT may not carry it. 0x84 and 0x85 belong to
  /// CONNACK (a CONNECT that fails is answered with a CONNACK): they give 0x82 Protocol Error.
  /// 0x00, a local failure (buffer_too_small), gives 0x83 Implementation specific error.
  /// With role::unknown, a code both sides may send.
  [[nodiscard]] constexpr reason_code disconnect_reason(role sender) const noexcept {
    const reason_code rc = reason();
    const auto byte = static_cast<std::uint8_t>(rc);
    if (rc == reason_code::success) return reason_code::implementation_specific_error;
    const bool sendable = sender == role::unknown
                              ? reason_code_sent_by(packet_type::disconnect, byte, role::server) &&
                                    reason_code_sent_by(packet_type::disconnect, byte, role::client)
                              : reason_code_sent_by(packet_type::disconnect, byte, sender);
    if (!reason_code_allowed(packet_type::disconnect, byte) || !sendable) {
      return reason_code::protocol_error;
    }
    return rc;
  }
  /// The 3.1.1 CONNACK return code to send when CONNECT fails with this error, or 0 when the
  /// spec says to close the connection without a CONNACK.
  [[nodiscard]] constexpr std::uint8_t connack_return_code() const noexcept {
    switch (code) {
      case errc::unsupported_protocol_version:
      case errc::invalid_protocol_name: return 0x01;
      case errc::invalid_client_id: return 0x02;
      default: return 0x00;
    }
  }
  /// Short description of `code`.
  [[nodiscard]] constexpr const char* message() const noexcept { return to_string(code); }
};

/// The "mqttcodec" error category, for std::error_code interop.
class error_category_impl final : public std::error_category {
 public:
  /// "mqttcodec".
  const char* name() const noexcept override { return "mqttcodec"; }
  /// The description of errc `ev` (see to_string()); a value no errc has is named so.
  std::string message(int ev) const override {
    if (ev < 0 || ev > errc_count) return "unknown mqttcodec error";
    return to_string(static_cast<errc>(ev));
  }
};

/// The single instance of the "mqttcodec" category.
inline const std::error_category& error_category() noexcept {
  static const error_category_impl instance;
  return instance;
}

/// Wraps an errc in a std::error_code of the "mqttcodec" category.
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

MQTTCODEC_NAMESPACE_END

namespace std {
/// Lets `std::error_code ec = mqttcodec::errc::truncated;` compile.
template <>
struct is_error_code_enum<mqttcodec::errc> : true_type {};
}  // namespace std

#endif

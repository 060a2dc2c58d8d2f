// mqttcodec: MQTT 5.0 properties (§2.2.2), typed per packet.
//
// Each packet (and the will of CONNECT) has its own properties struct that holds exactly the
// properties the spec allows there, so a property a packet may not carry cannot be set: it is
// not a member. Single-valued properties are std::optional; User Property and PUBLISH's
// Subscription Identifier are lists that iterate lazily over the validated wire bytes after
// decoding, or over the caller's array when encoding.
//
// A properties struct is a list of field types (`detail::property_set<F...>`); the one generic
// decoder, size function and encoder walk that list, and the list order is the encode order.
#ifndef MQTTCODEC_PROPERTIES_HPP
#define MQTTCODEC_PROPERTIES_HPP

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/lazy_list.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/types.hpp"
#include "mqttcodec/wire.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Property identifiers (5.0 §2.2.2.2, Table 2-4).
enum class property_id : std::uint8_t {
  payload_format_indicator = 0x01,
  message_expiry_interval = 0x02,
  content_type = 0x03,
  response_topic = 0x08,
  correlation_data = 0x09,
  subscription_identifier = 0x0B,
  session_expiry_interval = 0x11,
  assigned_client_identifier = 0x12,
  server_keep_alive = 0x13,
  authentication_method = 0x15,
  authentication_data = 0x16,
  request_problem_information = 0x17,
  will_delay_interval = 0x18,
  request_response_information = 0x19,
  response_information = 0x1A,
  server_reference = 0x1C,
  reason_string = 0x1F,
  receive_maximum = 0x21,
  topic_alias_maximum = 0x22,
  topic_alias = 0x23,
  maximum_qos = 0x24,
  retain_available = 0x25,
  user_property = 0x26,
  maximum_packet_size = 0x27,
  wildcard_subscription_available = 0x28,
  subscription_identifier_available = 0x29,
  shared_subscription_available = 0x2A,
};

/// How a property's value is carried on the wire (§1.5).
enum class property_type : std::uint8_t {
  none,         ///< not a defined property
  byte,         ///< one byte
  two_byte,     ///< two-byte integer
  four_byte,    ///< four-byte integer
  varint,       ///< variable byte integer
  utf8_string,  ///< UTF-8 encoded string
  binary,       ///< binary data
  utf8_pair,    ///< UTF-8 string pair
};

namespace detail {
// Wire type per identifier 0x00..0x2A; `none` marks identifiers 5.0 does not define.
inline constexpr property_type property_types[0x2B] = {
    property_type::none,        property_type::byte,        property_type::four_byte,
    property_type::utf8_string, property_type::none,        property_type::none,
    property_type::none,        property_type::none,        property_type::utf8_string,
    property_type::binary,      property_type::none,        property_type::varint,
    property_type::none,        property_type::none,        property_type::none,
    property_type::none,        property_type::none,        property_type::four_byte,
    property_type::utf8_string, property_type::two_byte,    property_type::none,
    property_type::utf8_string, property_type::binary,      property_type::byte,
    property_type::four_byte,   property_type::byte,        property_type::utf8_string,
    property_type::none,        property_type::utf8_string, property_type::none,
    property_type::none,        property_type::utf8_string, property_type::none,
    property_type::two_byte,    property_type::two_byte,    property_type::two_byte,
    property_type::byte,        property_type::byte,        property_type::utf8_pair,
    property_type::four_byte,   property_type::byte,        property_type::byte,
    property_type::byte,
};
}  // namespace detail

/// The wire type of property `id`; property_type::none when 5.0 does not define it.
constexpr property_type type_of(std::uint32_t id) noexcept {
  return id < sizeof(detail::property_types) ? detail::property_types[id] : property_type::none;
}

/// The property's name as the spec writes it in snake_case ("content_type"); "unknown" else.
constexpr const char* to_string(property_id id) noexcept {
  switch (id) {
    case property_id::payload_format_indicator: return "payload_format_indicator";
    case property_id::message_expiry_interval: return "message_expiry_interval";
    case property_id::content_type: return "content_type";
    case property_id::response_topic: return "response_topic";
    case property_id::correlation_data: return "correlation_data";
    case property_id::subscription_identifier: return "subscription_identifier";
    case property_id::session_expiry_interval: return "session_expiry_interval";
    case property_id::assigned_client_identifier: return "assigned_client_identifier";
    case property_id::server_keep_alive: return "server_keep_alive";
    case property_id::authentication_method: return "authentication_method";
    case property_id::authentication_data: return "authentication_data";
    case property_id::request_problem_information: return "request_problem_information";
    case property_id::will_delay_interval: return "will_delay_interval";
    case property_id::request_response_information: return "request_response_information";
    case property_id::response_information: return "response_information";
    case property_id::server_reference: return "server_reference";
    case property_id::reason_string: return "reason_string";
    case property_id::receive_maximum: return "receive_maximum";
    case property_id::topic_alias_maximum: return "topic_alias_maximum";
    case property_id::topic_alias: return "topic_alias";
    case property_id::maximum_qos: return "maximum_qos";
    case property_id::retain_available: return "retain_available";
    case property_id::user_property: return "user_property";
    case property_id::maximum_packet_size: return "maximum_packet_size";
    case property_id::wildcard_subscription_available: return "wildcard_subscription_available";
    case property_id::subscription_identifier_available: return "subscription_identifier_available";
    case property_id::shared_subscription_available: return "shared_subscription_available";
  }
  return "unknown";
}

/// Payload Format Indicator values (§3.3.2.3.2).
enum class payload_format : std::uint8_t {
  unspecified = 0,  ///< bytes of unspecified format
  utf8 = 1,         ///< UTF-8 encoded character data
};

namespace detail {

// Size in bytes of the property whose identifier byte is at p[-1] and whose value starts at
// p. Only for bytes already validated by decode_properties.
MQTTCODEC_HOT_INLINE std::size_t property_value_size(property_type t,
                                                     const std::uint8_t* p) noexcept {
  switch (t) {
    case property_type::byte: return 1;
    case property_type::two_byte: return 2;
    case property_type::four_byte: return 4;
    case property_type::varint: {
      std::size_t n = 1;
      while (p[n - 1] & 0x80u) ++n;
      return n;
    }
    case property_type::utf8_string:
    case property_type::binary: return 2u + load_u16(p);
    case property_type::utf8_pair: {
      const std::size_t first = 2u + load_u16(p);
      return first + 2u + load_u16(p + first);
    }
    case property_type::none: break;
  }
  return 0;
}

// The identifier of the property at p: one byte, unless a decode with
// allow_non_minimal_length accepted it padded as a variable byte integer (0xA6 0x00 for 0x26).
MQTTCODEC_HOT_INLINE varint_parse property_identifier(const std::uint8_t* p) noexcept {
  return parse_varint(p, p + 4);
}

// Walks a validated property block picking the properties with identifier Id, for lazy_list.
template <std::uint8_t Id>
struct property_walk {
  static constexpr bool encoded_form = false;
  // Past the property at p.
  MQTTCODEC_HOT_INLINE static const std::uint8_t* skip(const std::uint8_t* p) noexcept {
    const varint_parse id = property_identifier(p);
    return p + id.size + property_value_size(type_of(id.value), p + id.size);
  }
  MQTTCODEC_HOT_INLINE static const std::uint8_t* first(const std::uint8_t* p,
                                                        const std::uint8_t* end) noexcept {
    while (p != end && property_identifier(p).value != Id) p = skip(p);
    return p;
  }
  MQTTCODEC_HOT_INLINE static const std::uint8_t* next(const std::uint8_t* at,
                                                       const std::uint8_t* end) noexcept {
    return first(skip(at), end);
  }
  // The value of the property at p.
  MQTTCODEC_HOT_INLINE static const std::uint8_t* value(const std::uint8_t* p) noexcept {
    return p + property_identifier(p).size;
  }
};

struct user_property_element : property_walk<0x26> {
  using value_type = string_pair;
  // Pairs the decoder checked are copied by the encoder (lazy_list::encoded_bytes).
  static constexpr bool encoded_form = true;
  // Whether the property at p, in a block decoded with its identifiers in their shortest
  // form, is a User Property.
  MQTTCODEC_HOT_INLINE static bool is_element(const std::uint8_t* p) noexcept { return *p == 0x26; }
  // Past the pair at `at` without the type lookup of the generic skip.
  MQTTCODEC_HOT_INLINE static const std::uint8_t* end_of(const std::uint8_t* at) noexcept {
    const std::uint8_t* p = value(at);
    p += 2u + load_u16(p);
    return p + 2u + load_u16(p);
  }
  MQTTCODEC_HOT_INLINE static const std::uint8_t* next(const std::uint8_t* at,
                                                       const std::uint8_t* end) noexcept {
    return first(end_of(at), end);
  }
  static string_pair parse(const std::uint8_t* at) noexcept {
    const std::uint8_t* p = value(at);
    const std::size_t n = load_u16(p);
    const std::size_t m = load_u16(p + 2 + n);
    return {{reinterpret_cast<const char*>(p + 2), n},
            {reinterpret_cast<const char*>(p + 4 + n), m}};
  }
};
struct subscription_identifier_element : property_walk<0x0B> {
  using value_type = std::uint32_t;
  static std::uint32_t parse(const std::uint8_t* at) noexcept {
    const std::uint8_t* p = value(at);
    return parse_varint(p, p + 4).value;
  }
};

}  // namespace detail

/// User Properties (0x26): name/value pairs, duplicates and order preserved. After decoding
/// the list walks the packet's validated property block, in wire order; to encode, point it
/// at an array of pairs.
using user_property_list = detail::lazy_list<detail::user_property_element>;
/// Subscription Identifiers (0x0B) of a PUBLISH, which may carry several; a list like
/// user_property_list.
using subscription_identifier_list = detail::lazy_list<detail::subscription_identifier_element>;

/// Property fields. Each names its member, its identifier and its value rule; a packet's
/// properties struct derives from the fields it allows.
namespace property {

// Declares field type F with member M of type T for property `id`. M names a member and a
// property_id enumerator, which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define MQTTCODEC_PROPERTY_FIELD(F, M, T)                      \
  struct F {                                                   \
    static constexpr property_id id = property_id::M;          \
    using value_type = T;                                      \
    std::optional<T> M;                                        \
    std::optional<T>& get() noexcept { return M; }             \
    const std::optional<T>& get() const noexcept { return M; } \
  }
// NOLINTEND(bugprone-macro-parentheses)

/// Payload Format Indicator (0x01): unspecified bytes, or UTF-8 text.
MQTTCODEC_PROPERTY_FIELD(payload_format_indicator_field, payload_format_indicator, payload_format);
/// Message Expiry Interval (0x02): seconds the message lives.
MQTTCODEC_PROPERTY_FIELD(message_expiry_interval_field, message_expiry_interval, std::uint32_t);
/// Content Type (0x03): a UTF-8 string describing the payload, MIME-like.
MQTTCODEC_PROPERTY_FIELD(content_type_field, content_type, std::string_view);
/// Response Topic (0x08): the topic name to answer on; no wildcards.
MQTTCODEC_PROPERTY_FIELD(response_topic_field, response_topic, std::string_view);
/// Correlation Data (0x09): binary, matches a response to its request.
MQTTCODEC_PROPERTY_FIELD(correlation_data_field, correlation_data, bytes_view);
/// Subscription Identifier (0x0B) of a SUBSCRIBE: 1 to 268,435,455.
MQTTCODEC_PROPERTY_FIELD(subscription_identifier_field, subscription_identifier, std::uint32_t);
/// Session Expiry Interval (0x11): seconds the session outlives the connection
/// (0xFFFFFFFF: never expires).
MQTTCODEC_PROPERTY_FIELD(session_expiry_interval_field, session_expiry_interval, std::uint32_t);
/// Assigned Client Identifier (0x12): the identifier the server chose.
MQTTCODEC_PROPERTY_FIELD(assigned_client_identifier_field, assigned_client_identifier,
                         std::string_view);
/// Server Keep Alive (0x13): the keep alive the server requires, seconds.
MQTTCODEC_PROPERTY_FIELD(server_keep_alive_field, server_keep_alive, std::uint16_t);
/// Authentication Method (0x15): the name of the extended authentication.
MQTTCODEC_PROPERTY_FIELD(authentication_method_field, authentication_method, std::string_view);
/// Authentication Data (0x16): binary; only together with a method.
MQTTCODEC_PROPERTY_FIELD(authentication_data_field, authentication_data, bytes_view);
/// Request Problem Information (0x17): whether a failure may carry a Reason String
/// and User Properties.
MQTTCODEC_PROPERTY_FIELD(request_problem_information_field, request_problem_information, bool);
/// Will Delay Interval (0x18): seconds the server waits before it publishes the will.
MQTTCODEC_PROPERTY_FIELD(will_delay_interval_field, will_delay_interval, std::uint32_t);
/// Request Response Information (0x19): the client asks for Response Information.
MQTTCODEC_PROPERTY_FIELD(request_response_information_field, request_response_information, bool);
/// Response Information (0x1A): the base of the client's response topics.
MQTTCODEC_PROPERTY_FIELD(response_information_field, response_information, std::string_view);
/// Server Reference (0x1C): another server for the client to use.
MQTTCODEC_PROPERTY_FIELD(server_reference_field, server_reference, std::string_view);
/// Reason String (0x1F): diagnostics for humans, not to be parsed.
MQTTCODEC_PROPERTY_FIELD(reason_string_field, reason_string, std::string_view);
/// Receive Maximum (0x21): QoS 1 and 2 publications in flight at once; non-zero.
MQTTCODEC_PROPERTY_FIELD(receive_maximum_field, receive_maximum, std::uint16_t);
/// Topic Alias Maximum (0x22): the highest topic alias accepted.
MQTTCODEC_PROPERTY_FIELD(topic_alias_maximum_field, topic_alias_maximum, std::uint16_t);
/// Topic Alias (0x23): a non-zero number standing for the topic name.
MQTTCODEC_PROPERTY_FIELD(topic_alias_field, topic_alias, std::uint16_t);
/// Maximum QoS (0x24): 0 or 1 (absent: 2 is supported).
MQTTCODEC_PROPERTY_FIELD(maximum_qos_field, maximum_qos, qos);
/// Retain Available (0x25): whether the server keeps retained messages.
MQTTCODEC_PROPERTY_FIELD(retain_available_field, retain_available, bool);
/// Maximum Packet Size (0x27): the largest packet the sender accepts, bytes; non-zero.
MQTTCODEC_PROPERTY_FIELD(maximum_packet_size_field, maximum_packet_size, std::uint32_t);
/// Wildcard Subscription Available (0x28).
MQTTCODEC_PROPERTY_FIELD(wildcard_subscription_available_field, wildcard_subscription_available,
                         bool);
/// Subscription Identifier Available (0x29).
MQTTCODEC_PROPERTY_FIELD(subscription_identifier_available_field, subscription_identifier_available,
                         bool);
/// Shared Subscription Available (0x2A).
MQTTCODEC_PROPERTY_FIELD(shared_subscription_available_field, shared_subscription_available, bool);
#undef MQTTCODEC_PROPERTY_FIELD

/// User Property (0x26), repeatable.
struct user_properties_field {
  static constexpr property_id id = property_id::user_property;  ///< the identifier, 0x26
  user_property_list user_properties;  ///< in wire order; empty when there are none
};
/// Subscription Identifier (0x0B) in PUBLISH, repeatable.
struct subscription_identifiers_field {
  static constexpr property_id id = property_id::subscription_identifier;  ///< 0x0B
  subscription_identifier_list subscription_identifiers;  ///< in wire order; may be empty
};

}  // namespace property

namespace detail {
template <class... T>
struct type_list {};

/// A properties struct made of fields F...; `fields` lists them in encode order.
template <class... F>
struct property_set : F... {
  using fields = type_list<F...>;

  // The raw property block (identifiers and values, no length prefix) of a decoded packet;
  // empty for a struct filled by the caller. Repeatable lists point into it.
  bytes_view wire;
};
}  // namespace detail

/// PUBLISH properties (§3.3.2.3), in ascending identifier order.
struct publish_properties
    : detail::property_set<property::payload_format_indicator_field,
                           property::message_expiry_interval_field, property::content_type_field,
                           property::response_topic_field, property::correlation_data_field,
                           property::subscription_identifiers_field, property::topic_alias_field,
                           property::user_properties_field> {};

/// Will properties of CONNECT (§3.1.3.2).
struct will_properties
    : detail::property_set<property::will_delay_interval_field,
                           property::payload_format_indicator_field,
                           property::message_expiry_interval_field, property::content_type_field,
                           property::response_topic_field, property::correlation_data_field,
                           property::user_properties_field> {};

/// CONNECT properties (§3.1.2.11).
struct connect_properties
    : detail::property_set<property::session_expiry_interval_field, property::receive_maximum_field,
                           property::maximum_packet_size_field, property::topic_alias_maximum_field,
                           property::request_response_information_field,
                           property::request_problem_information_field,
                           property::user_properties_field, property::authentication_method_field,
                           property::authentication_data_field> {};

/// CONNACK properties (§3.2.2.3).
struct connack_properties
    : detail::property_set<
          property::session_expiry_interval_field, property::receive_maximum_field,
          property::maximum_qos_field, property::retain_available_field,
          property::maximum_packet_size_field, property::assigned_client_identifier_field,
          property::topic_alias_maximum_field, property::reason_string_field,
          property::user_properties_field, property::wildcard_subscription_available_field,
          property::subscription_identifier_available_field,
          property::shared_subscription_available_field, property::server_keep_alive_field,
          property::response_information_field, property::server_reference_field,
          property::authentication_method_field, property::authentication_data_field> {};

/// PUBACK, PUBREC, PUBREL and PUBCOMP properties (§3.4.2.2 and following).
struct ack_properties
    : detail::property_set<property::reason_string_field, property::user_properties_field> {};

/// SUBSCRIBE properties (§3.8.2.1).
struct subscribe_properties : detail::property_set<property::subscription_identifier_field,
                                                   property::user_properties_field> {};

/// SUBACK properties (§3.9.2.1).
struct suback_properties
    : detail::property_set<property::reason_string_field, property::user_properties_field> {};

/// UNSUBSCRIBE properties (§3.10.2.1).
struct unsubscribe_properties : detail::property_set<property::user_properties_field> {};

/// UNSUBACK properties (§3.11.2.1).
struct unsuback_properties
    : detail::property_set<property::reason_string_field, property::user_properties_field> {};

/// DISCONNECT properties (§3.14.2.2).
struct disconnect_properties
    : detail::property_set<property::session_expiry_interval_field, property::reason_string_field,
                           property::user_properties_field, property::server_reference_field> {};

/// AUTH properties (§3.15.2.2).
struct auth_properties
    : detail::property_set<property::authentication_method_field,
                           property::authentication_data_field, property::reason_string_field,
                           property::user_properties_field> {};

namespace detail {
template <class Fd, class Props, class F>
void visit_property_field(const Props& props, F& f) {
  const Fd& field = static_cast<const Fd&>(props);
  if constexpr (std::is_same_v<Fd, property::user_properties_field>) {
    for (const string_pair& p : field.user_properties) f(Fd::id, p);
  } else if constexpr (std::is_same_v<Fd, property::subscription_identifiers_field>) {
    for (const std::uint32_t v : field.subscription_identifiers) f(Fd::id, v);
  } else if (field.get()) {
    f(Fd::id, *field.get());
  }
}

template <class Props, class F, class... Fd>
void visit_property_fields(const Props& props, F& f, type_list<Fd...>) {
  (visit_property_field<Fd>(props, f), ...);
}
}  // namespace detail

/// Calls `f(property_id, value)` for every property set in `props`, in encode order; a
/// repeatable property once per value, in wire order. `value` has the field's type
/// (std::uint32_t, std::uint16_t, bool, qos, payload_format, std::string_view, bytes_view
/// or string_pair), so `f` is usually a generic lambda. For printing, logging and proxies
/// that must handle every property without naming each one.
template <class Props, class F, class = typename Props::fields>
void for_each_property(const Props& props, F&& f) {
  detail::visit_property_fields(props, f, typename Props::fields{});
}

MQTTCODEC_NAMESPACE_END

#endif
